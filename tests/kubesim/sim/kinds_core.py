"""Defaulting and validation for core kinds (namespaces, pods, nodes): the apiserver's strategies.

Registered as hooks on the ResourceTypes (see resources.HOOKS).
"""

from . import util
from .errors import FieldError
from .resources import REGISTRY

# ---- namespaces ------------------------------------------------------------------------------------

NS = REGISTRY.core("namespaces")


def _ns_create(ctx, obj):
    md = obj["metadata"]
    md.setdefault("labels", {})["kubernetes.io/metadata.name"] = md.get("name", "")
    spec = obj.setdefault("spec", {})
    if not ctx.load or "finalizers" not in spec:
        spec["finalizers"] = ["kubernetes"]
    st = obj.setdefault("status", {})
    if not st.get("phase") or not ctx.load:
        st["phase"] = "Active"


def _ns_update(ctx, new, old):
    md = new["metadata"]
    md.setdefault("labels", {})["kubernetes.io/metadata.name"] = md.get("name", "")
    if not ctx.internal:
        new["spec"] = old.get("spec") or {}


NS.add_hook("prepare_create", _ns_create)
NS.add_hook("prepare_update", _ns_update)

# ---- nodes -------------------------------------------------------------------------------------------

NODES = REGISTRY.core("nodes")
NODES.extra["keep_status_on_create"] = True   # nodes may set status on create

# ---- pods --------------------------------------------------------------------------------------------

PODS = REGISTRY.core("pods")

DEFAULT_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
     "tolerationSeconds": 300},
]


def _default_container(c):
    image = c.get("image") or ""
    if not isinstance(image, str):
        image = ""
    tag = image.rsplit("/", 1)[-1]
    if "@" in tag:
        policy = "IfNotPresent"
    elif ":" not in tag or tag.endswith(":latest"):
        policy = "Always"
    else:
        policy = "IfNotPresent"
    c.setdefault("imagePullPolicy", policy)
    c.setdefault("terminationMessagePath", "/dev/termination-log")
    c.setdefault("terminationMessagePolicy", "File")
    c.setdefault("resources", {})
    for p in c.get("ports") or []:
        if isinstance(p, dict):
            p.setdefault("protocol", "TCP")


def qos_class(spec):
    """Guaranteed / Burstable / BestEffort from the containers' requests and limits."""
    containers = list(spec.get("containers") or []) + list(spec.get("initContainers") or [])
    any_set = False
    guaranteed = True
    for c in containers:
        res = c.get("resources") if isinstance(c, dict) else None
        res = res if isinstance(res, dict) else {}
        req = res.get("requests") if isinstance(res.get("requests"), dict) else {}
        lim = res.get("limits") if isinstance(res.get("limits"), dict) else {}
        if req or lim:
            any_set = True
        for r in ("cpu", "memory"):
            if r not in lim:
                guaranteed = False
            elif r in req and str(req[r]) != str(lim[r]):
                guaranteed = False
    if not any_set:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def _pod_create(ctx, obj):
    spec = obj.setdefault("spec", {})
    if not isinstance(spec, dict):
        return
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("securityContext", {})
    sa = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = sa
    spec["serviceAccount"] = sa
    spec.setdefault("enableServiceLinks", True)
    spec.setdefault("preemptionPolicy", "PreemptLowerPriority")
    spec.setdefault("priority", 0)
    if "tolerations" not in spec:
        spec["tolerations"] = [dict(t) for t in DEFAULT_TOLERATIONS]
    for c in spec.get("containers") or []:
        if isinstance(c, dict):
            _default_container(c)
    for c in spec.get("initContainers") or []:
        if isinstance(c, dict):
            _default_container(c)
    st = obj.get("status")
    if not ctx.load or not isinstance(st, dict) or not st:
        st = obj["status"] = {"phase": "Pending", "qosClass": qos_class(spec)}
        if spec.get("schedulingGates"):
            st["conditions"] = [{"type": "PodScheduled", "status": "False", "lastProbeTime": None,
                                 "lastTransitionTime": util.rfc3339(),
                                 "reason": "SchedulingGated",
                                 "message": "Scheduling is blocked due to non-empty scheduling gates"}]


_MUTABLE_SPEC_MSG = ("pod updates may not change fields other than `spec.containers[*].image`,"
                     "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only "
                     "additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set "
                     "to 1 if it was previously negative)")


def _strip_mutable(spec):
    s = util.deep_copy(spec or {})
    for key in ("containers", "initContainers"):
        for c in s.get(key) or []:
            if isinstance(c, dict):
                c.pop("image", None)
    s.pop("activeDeadlineSeconds", None)
    s.pop("tolerations", None)
    s.pop("terminationGracePeriodSeconds", None)
    if s.get("schedulingGates") == []:
        s.pop("schedulingGates")
    return s


def _pod_validate(ctx, obj, old):
    errs = []
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec")]
    containers = spec.get("containers")
    if not containers:
        errs.append(FieldError("Required", "spec.containers"))
    else:
        seen = set()
        for i, c in enumerate(containers):
            if not isinstance(c, dict):
                errs.append(FieldError("Invalid", "spec.containers[%d]" % i, "must be an object", c))
                continue
            if not c.get("name"):
                errs.append(FieldError("Required", "spec.containers[%d].name" % i))
            elif c["name"] in seen:
                errs.append(FieldError("Duplicate", "spec.containers[%d].name" % i, value=c["name"]))
            else:
                seen.add(c["name"])
            if not c.get("image") and old is None:
                errs.append(FieldError("Required", "spec.containers[%d].image" % i))
    rp = spec.get("restartPolicy")
    if rp not in (None, "Always", "OnFailure", "Never"):
        errs.append(FieldError("NotSupported", "spec.restartPolicy", value=rp,
                               supported=["Always", "OnFailure", "Never"]))
    if old is not None and not ctx.internal:
        if _strip_mutable(spec) != _strip_mutable(old.get("spec")):
            # the scheduler's binding and gate removal are the only other spec changes allowed
            a, b = _strip_mutable(spec), _strip_mutable(old.get("spec"))
            a.pop("schedulingGates", None)
            b.pop("schedulingGates", None)
            if a != b:
                errs.append(FieldError("Forbidden", "spec", _MUTABLE_SPEC_MSG))
    return errs


PODS.add_hook("prepare_create", _pod_create)
PODS.add_hook("validate", _pod_validate)

# ---- secrets ---------------------------------------------------------------------------------------

SECRETS = REGISTRY.core("secrets")


def _secret_defaults(ctx, obj, old=None):
    if not obj.get("type"):
        obj["type"] = "Opaque"
    sd = obj.pop("stringData", None)   # write-only: merged into data as base64
    if isinstance(sd, dict):
        import base64
        data = obj.setdefault("data", {})
        for k, v in sd.items():
            data[k] = base64.b64encode(str(v).encode()).decode()


SECRETS.add_hook("prepare_create", _secret_defaults)
SECRETS.add_hook("prepare_update", _secret_defaults)
