"""Defaulting the printers depend on, as the 1.32 apiserver applies it:

- autoscaling/v2 HorizontalPodAutoscaler: minReplicas 1, and with no metrics the CPU target of 80%
  average utilization (SetDefaults_HorizontalPodAutoscaler);
- scheduling.k8s.io/v1 PriorityClass: preemptionPolicy PreemptLowerPriority.
"""

from .resources import REGISTRY

HPA = REGISTRY.get("autoscaling", "v2", "horizontalpodautoscalers")
PRIORITY_CLASSES = REGISTRY.get("scheduling.k8s.io", "v1", "priorityclasses")


def _hpa_defaults(ctx, obj, old=None):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [{"type": "Resource", "resource": {
            "name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}}}]


def _pc_defaults(ctx, obj, old=None):
    if obj.get("preemptionPolicy") is None:
        obj["preemptionPolicy"] = "PreemptLowerPriority"


if HPA is not None:
    HPA.add_hook("prepare_create", _hpa_defaults)
    HPA.add_hook("prepare_update", _hpa_defaults)
if PRIORITY_CLASSES is not None:
    PRIORITY_CLASSES.add_hook("prepare_create", _pc_defaults)
    PRIORITY_CLASSES.add_hook("prepare_update", _pc_defaults)
