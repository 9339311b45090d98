"""Defaulting the printers depend on, as the 1.32 apiserver applies it:

- autoscaling/v2 HorizontalPodAutoscaler: minReplicas 1, and with no metrics the CPU target of 80%
  average utilization (SetDefaults_HorizontalPodAutoscaler);
- scheduling.k8s.io/v1 PriorityClass: preemptionPolicy PreemptLowerPriority;
- core/v1 LimitRange items of type Container: a missing default limit takes the max, a missing default
  request takes the default limit, then the min (SetDefaults_LimitRangeItem).
"""

from .resources import REGISTRY

HPA = REGISTRY.get("autoscaling", "v2", "horizontalpodautoscalers")
LIMIT_RANGES = REGISTRY.core("limitranges")
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


def _limitrange_defaults(ctx, obj, old=None):
    limits = (obj.get("spec") or {}).get("limits") if isinstance(obj.get("spec"), dict) else None
    for item in limits if isinstance(limits, list) else []:
        if not isinstance(item, dict) or item.get("type") != "Container":
            continue
        default = dict(item.get("default") or {}) if isinstance(item.get("default"), dict) else {}
        request = dict(item.get("defaultRequest") or {}) if isinstance(item.get("defaultRequest"), dict) else {}
        for src, dst in (("max", default), ("default", None), ("min", request)):
            values = item.get(src) if src != "default" else default
            if not isinstance(values, dict):
                continue
            target = dst if dst is not None else request
            for k, v in values.items():
                target.setdefault(k, v)
        if default:
            item["default"] = default
        if request:
            item["defaultRequest"] = request


if LIMIT_RANGES is not None:
    LIMIT_RANGES.add_hook("prepare_create", _limitrange_defaults)
    LIMIT_RANGES.add_hook("prepare_update", _limitrange_defaults)


# ---- the apiserver's bootstrap priority classes ---------------------------------------------------------

SYSTEM_PRIORITY_CLASSES = [
    ("system-node-critical", 2000001000, "Used for system critical pods that must not be moved from their current "
                                         "node."),
    ("system-cluster-critical", 2000000000, "Used for system critical pods that must run in the cluster, but can be "
                                            "moved to another node if necessary."),
]


def _bootstrap_priority_classes(mgr):
    from . import errors
    if PRIORITY_CLASSES is None:
        return
    for name, value, desc in SYSTEM_PRIORITY_CLASSES:
        if mgr.store.get_entry(PRIORITY_CLASSES.key, "", name) is not None:
            continue
        try:
            mgr.api.create(mgr.ctx, PRIORITY_CLASSES, "", {
                "apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": name},
                "value": value, "description": desc, "preemptionPolicy": "PreemptLowerPriority"})
        except errors.ApiError:
            pass


def _register_bootstrap():
    from . import controllers

    @controllers.register
    class SystemPriorityClasses(controllers.Controller):
        """The scheduling/bootstrap-system-priority-classes post-start hook of the apiserver."""
        name = "system-priority-classes"
        always = True

        def setup(self, mgr):
            _bootstrap_priority_classes(mgr)


_register_bootstrap()
