"""Field selectors per kind, exactly as a 1.32 apiserver accepts them.

What a kind accepts is decided by its field-label conversion function (pkg/apis/*/v1/conversion.go):
kinds without one accept only metadata.name and metadata.namespace and reject anything else with
`"x" is not a known field selector: only "metadata.name", "metadata.namespace"`; kinds with one reject
with `field label not supported: x`. Some of those functions omit metadata.namespace (nodes,
namespaces), so it is refused there too. The values are those of the registry's ToSelectableFields
(numbers as decimal strings, so a job with no `status.succeeded` has status.successful=0).

Notably, apps/v1 registers no conversion function at all: `status.replicas` is *not* selectable on
replicasets (a long-standing upstream bug, kubernetes#135136), unlike core/v1 replicationcontrollers.
"""

from .resources import REGISTRY, meta_field


def _int_field(path):
    parts = path.split(".")

    def get(obj):
        cur = obj
        for p in parts:
            cur = cur.get(p) if isinstance(cur, dict) else None
        if isinstance(cur, bool) or not isinstance(cur, (int, float)):
            return "0"
        return str(int(cur))
    return get


def _event_source(obj):
    src = obj.get("source") if isinstance(obj.get("source"), dict) else {}
    return str(src.get("component") or obj.get("reportingComponent") or "")


# ---- core/v1 ------------------------------------------------------------------------------------------

PODS = REGISTRY.core("pods")
PODS.fields["spec.host"] = PODS.fields["spec.nodeName"]      # old clients' name, converted to spec.nodeName

NODES = REGISTRY.core("nodes")
NODES.extra["rejected_fields"] = ("metadata.namespace",)

NAMESPACES = REGISTRY.core("namespaces")
NAMESPACES.extra["rejected_fields"] = ("metadata.namespace",)

SERVICES = REGISTRY.core("services")
SERVICES.fields.update({"spec.clusterIP": meta_field("spec.clusterIP"), "spec.type": meta_field("spec.type")})
SERVICES.field_style = "core"

RCS = REGISTRY.core("replicationcontrollers")
RCS.fields["status.replicas"] = _int_field("status.replicas")

EVENTS = REGISTRY.core("events")
EVENTS.fields["source"] = _event_source

# events.k8s.io/v1 serves the same objects under its own field names, mapped to the core fields.
EVENTS_V1 = REGISTRY.get("events.k8s.io", "v1", "events")
if EVENTS_V1 is not None:
    _core = EVENTS.fields
    EVENTS_V1.fields = {
        "reason": _core["reason"], "type": _core["type"], "source": _event_source,
        "reportingController": _core["reportingComponent"],
        "regarding.kind": _core["involvedObject.kind"], "regarding.namespace": _core["involvedObject.namespace"],
        "regarding.name": _core["involvedObject.name"], "regarding.uid": _core["involvedObject.uid"],
        "regarding.apiVersion": _core["involvedObject.apiVersion"],
        "regarding.resourceVersion": _core["involvedObject.resourceVersion"],
        "regarding.fieldPath": _core["involvedObject.fieldPath"],
    }
    EVENTS_V1.field_style = "core"

# ---- apps/v1: no conversion functions ------------------------------------------------------------------

RS = REGISTRY.get("apps", "v1", "replicasets")
if RS is not None:
    RS.fields.pop("status.replicas", None)
    RS.field_style = "generic"

# ---- batch/v1 -------------------------------------------------------------------------------------------

JOBS = REGISTRY.get("batch", "v1", "jobs")
if JOBS is not None:
    JOBS.fields["status.successful"] = _int_field("status.succeeded")
    JOBS.field_style = "core"
