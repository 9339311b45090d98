"""Table printers for configuration kinds and events, as the 1.32 apiserver prints them: configmaps,
secrets, serviceaccounts, resourcequotas, events (core/v1 and events.k8s.io/v1 share one storage and so
one printer). Limit ranges, roles and cluster roles have no printer on a real server: they get the
default Name / Created At table.
"""

from . import util
from .resources import _event_to_core as _EVENT_TO_CORE
from .printers_common import age_of, i64, name_of, quantity_string
from .tables import col, register_printer

# ---- configmaps, secrets, serviceaccounts ---------------------------------------------------------

CONFIGMAP_COLUMNS = [col("Name", format="name"),
                     col("Data", description="Data contains the configuration data."), col("Age")]


def _len(v):
    return len(v) if isinstance(v, (dict, list)) else 0


def configmap_row(obj, now):
    return [name_of(obj), _len(obj.get("data")) + _len(obj.get("binaryData")), age_of(obj, now)]


register_printer("configmaps", CONFIGMAP_COLUMNS, configmap_row)

SECRET_COLUMNS = [col("Name", format="name"), col("Type", description="Used to facilitate programmatic handling of "
                                                                      "secret data."),
                  col("Data", description="Data contains the secret data."), col("Age")]


def secret_row(obj, now):
    return [name_of(obj), str(obj.get("type") or ""), _len(obj.get("data")), age_of(obj, now)]


register_printer("secrets", SECRET_COLUMNS, secret_row)

SERVICEACCOUNT_COLUMNS = [col("Name", format="name"),
                          col("Secrets", description="Secrets is a list of the secrets in the same namespace that "
                                                     "pods running using this ServiceAccount are allowed to use."),
                          col("Age")]


def serviceaccount_row(obj, now):
    return [name_of(obj), _len(obj.get("secrets")), age_of(obj, now)]


register_printer("serviceaccounts", SERVICEACCOUNT_COLUMNS, serviceaccount_row)

# ---- resourcequotas --------------------------------------------------------------------------------

RESOURCEQUOTA_COLUMNS = [
    col("Name", format="name"),
    col("Request", description="Request represents a minimum amount of cpu/memory that a container may consume."),
    col("Limit", description="Limits control the maximum amount of cpu/memory that a container may use "
                             "independent of contention on the node."),
    col("Age"),
]


def resourcequota_row(obj, now):
    st = obj.get("status") or {}
    hard = st.get("hard") if isinstance(st.get("hard"), dict) else {}
    used = st.get("used") if isinstance(st.get("used"), dict) else {}
    req, lim = [], []
    for res in sorted(hard):
        text = "%s: %s/%s" % (res, quantity_string(used.get(res)), quantity_string(hard.get(res)))
        pieces = res.split(".")
        (lim if len(pieces) > 1 and pieces[0] == "limits" else req).append(text)
    return [name_of(obj), ", ".join(req), ", ".join(lim), age_of(obj, now)]


register_printer("resourcequotas", RESOURCEQUOTA_COLUMNS, resourcequota_row)

# ---- events ----------------------------------------------------------------------------------------

EVENT_COLUMNS = [
    col("Last Seen", description="The time at which the most recent occurrence of this event was recorded."),
    col("Type", description="Type of this event (Normal, Warning), new types could be added in the future"),
    col("Reason", description="This should be a short, machine understandable string that gives the reason for "
                              "the transition into the object's current status."),
    col("Object", description="The object that this event is about."),
    col("Subobject", priority=1, description="If referring to a piece of an object instead of an entire object, "
                                             "this string should contain a valid JSON/Go field access statement."),
    col("Source", priority=1, description="The component reporting this event. Should be a short machine "
                                          "understandable string."),
    col("Message", description="A human-readable description of the status of this operation."),
    col("First Seen", priority=1, description="The time at which the event was first recorded."),
    col("Count", priority=1, description="The number of times this event has occurred."),
    col("Name", format="name", priority=1),
]


def _since(ts, now):
    """translateTimestampSince for Time and MicroTime: '<unknown>' for a zero time."""
    t = util.parse_time(ts) if isinstance(ts, str) else None
    if t is None:
        return "<unknown>"
    return util.human_duration(now - t)


def event_source(obj):
    src = obj.get("source") if isinstance(obj.get("source"), dict) else {}
    component = src.get("component") or obj.get("reportingComponent") or ""
    host = src.get("host") or obj.get("reportingInstance") or ""
    return component + (", " + host if host else "")


def event_row(obj, now):
    if obj.get("apiVersion") == "events.k8s.io/v1":     # served through events.k8s.io: print the same object
        obj = _EVENT_TO_CORE(obj)
    first = _since(obj.get("firstTimestamp"), now) if obj.get("firstTimestamp") else \
        _since(obj.get("eventTime"), now)
    last = _since(obj.get("lastTimestamp"), now) if obj.get("lastTimestamp") else first
    count = i64(obj.get("count"))
    series = obj.get("series")
    if isinstance(series, dict):
        last = _since(series.get("lastObservedTime"), now)
        count = i64(series.get("count"))
    elif count == 0:
        count = 1
    io = obj.get("involvedObject") if isinstance(obj.get("involvedObject"), dict) else {}
    kind = str(io.get("kind") or "").lower()
    target = "%s/%s" % (kind, io.get("name")) if io.get("name") else kind
    return [last, str(obj.get("type") or ""), str(obj.get("reason") or ""), target, str(io.get("fieldPath") or ""),
            event_source(obj), str(obj.get("message") or "").strip(), first, count, name_of(obj)]


register_printer("events", EVENT_COLUMNS, event_row)

