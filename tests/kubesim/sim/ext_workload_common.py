"""Helpers shared by the StatefulSet, DaemonSet, Job and CronJob controllers.

Pod-template defaulting as the apiserver applies it to every PodTemplateSpec (SetDefaults_PodSpec and
friends), owner references, pod readiness and availability, the collision-resistant template hash
(fnv32a + rand.SafeEncodeString, like controller.ComputeHash), ControllerRevision bookkeeping, and
a few Go formatting helpers used in validation messages. No controller logic lives here.
"""

import json
import time

from . import errors, util
from .errors import FieldError
from .kinds_core import _default_container
from .resources import REGISTRY

# ---- defaulting ------------------------------------------------------------------------------------


def _default_probe(p):
    if not isinstance(p, dict):
        return
    p.setdefault("timeoutSeconds", 1)
    p.setdefault("periodSeconds", 10)
    p.setdefault("successThreshold", 1)
    p.setdefault("failureThreshold", 3)
    hg = p.get("httpGet")
    if isinstance(hg, dict):
        hg.setdefault("scheme", "HTTP")
        hg.setdefault("path", "/")


def _default_env(c):
    for e in c.get("env") or []:
        if isinstance(e, dict):
            fr = (e.get("valueFrom") or {}).get("fieldRef") if isinstance(e.get("valueFrom"), dict) else None
            if isinstance(fr, dict):
                fr.setdefault("apiVersion", "v1")


def default_container(c):
    _default_container(c)
    for k in ("livenessProbe", "readinessProbe", "startupProbe"):
        _default_probe(c.get(k))
    _default_env(c)


def default_pod_spec(spec, restart_policy=True):
    """SetDefaults_PodSpec and its nested defaults (not the pod-only ones such as tolerations,
    priority or the service account, which admission adds to pods)."""
    if not isinstance(spec, dict):
        return
    if restart_policy:
        spec.setdefault("restartPolicy", "Always")
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("schedulerName", "default-scheduler")
    spec.setdefault("securityContext", {})
    spec.setdefault("terminationGracePeriodSeconds", 30)
    if spec.get("serviceAccount") and not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName") and not spec.get("serviceAccount"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                default_container(c)
    for v in spec.get("volumes") or []:
        if not isinstance(v, dict):
            continue
        for src in ("configMap", "secret", "downwardAPI", "projected"):
            if isinstance(v.get(src), dict):
                v[src].setdefault("defaultMode", 420)
        if isinstance(v.get("hostPath"), dict):
            v["hostPath"].setdefault("type", "")
        if isinstance(v.get("downwardAPI"), dict):
            for it in v["downwardAPI"].get("items") or []:
                if isinstance(it, dict) and isinstance(it.get("fieldRef"), dict):
                    it["fieldRef"].setdefault("apiVersion", "v1")


def default_pod_template(tmpl, restart_policy=True):
    """A PodTemplateSpec as stored: `metadata.creationTimestamp: null` (1.32 serialises the zero
    time), then the pod spec defaults."""
    if not isinstance(tmpl, dict):
        return
    md = tmpl.get("metadata")
    if not isinstance(md, dict):
        md = tmpl["metadata"] = {}
    md.setdefault("creationTimestamp", None)
    spec = tmpl.get("spec")
    if isinstance(spec, dict):
        default_pod_spec(spec, restart_policy)


# ---- validation helpers ----------------------------------------------------------------------------


def go_map(m):
    """Go's %#v of a map[string]string, as field.Invalid prints it."""
    return "map[string]string{%s}" % ", ".join('"%s":"%s"' % (k, v) for k, v in sorted((m or {}).items()))


class _RawFieldError(FieldError):
    def __init__(self, field, raw, detail):
        super().__init__("Invalid", field, detail, None)
        self._raw = raw

    def body(self):
        return "Invalid value: %s: %s" % (self._raw, self.detail)


def validate_template(tmpl, field, selector=None, restart_policies=None, required_restart=None):
    """Common checks of a PodTemplateSpec: containers, names, images, labels against the selector,
    allowed restart policies. Returns [FieldError]."""
    errs = []
    if not isinstance(tmpl, dict):
        return [FieldError("Required", field)]
    md = tmpl.get("metadata") or {}
    labels = md.get("labels") or {}
    spec = tmpl.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", field + ".spec.containers")]
    containers = spec.get("containers")
    if not containers or not isinstance(containers, list):
        errs.append(FieldError("Required", field + ".spec.containers"))
    else:
        seen = set()
        for i, c in enumerate(containers):
            f = "%s.spec.containers[%d]" % (field, i)
            if not isinstance(c, dict):
                errs.append(FieldError("Invalid", f, "must be an object", c))
                continue
            if not c.get("name"):
                errs.append(FieldError("Required", f + ".name"))
            elif c["name"] in seen:
                errs.append(FieldError("Duplicate", f + ".name", value=c["name"]))
            else:
                seen.add(c["name"])
            if not c.get("image"):
                errs.append(FieldError("Required", f + ".image"))
    rp = spec.get("restartPolicy")
    if restart_policies is not None:
        if not rp and required_restart:
            errs.append(FieldError("Required", field + ".spec.restartPolicy", required_restart))
        elif rp not in restart_policies:
            errs.append(FieldError("NotSupported", field + ".spec.restartPolicy", value=rp or "",
                                   supported=restart_policies))
    if selector is not None and isinstance(selector, dict):
        from .selectors import selector_from_label_selector
        sel = selector_from_label_selector(selector)
        if sel is not None and not sel.empty() and not sel.matches(labels):
            errs.append(_RawFieldError(field + ".metadata.labels", go_map(labels),
                                       "`selector` does not match template `labels`"))
    return errs


def nonneg(obj_spec, key, field, errs):
    v = obj_spec.get(key)
    if v is None:
        return
    if not isinstance(v, int) or isinstance(v, bool):
        errs.append(FieldError("Invalid", field, "must be an integer", v))
    elif v < 0:
        errs.append(FieldError("Invalid", field, "must be greater than or equal to 0", v))


# ---- owners, pods -----------------------------------------------------------------------------------


def owner_ref(obj, block=True):
    md = obj["metadata"]
    ref = {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"), "name": md.get("name"),
           "uid": md.get("uid"), "controller": True}
    if block:
        ref["blockOwnerDeletion"] = True
    return ref


def controller_of(obj):
    for r in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if r.get("controller"):
            return r
    return None


def owned_by(obj, uid):
    r = controller_of(obj)
    return r is not None and r.get("uid") == uid


def pod_terminal(pod):
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def pod_deleting(pod):
    return bool((pod.get("metadata") or {}).get("deletionTimestamp"))


def pod_active(pod):
    return not pod_terminal(pod) and not pod_deleting(pod)


def _ready_cond(pod):
    for c in (pod.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c
    return None


def pod_ready(pod):
    c = _ready_cond(pod)
    return c is not None and c.get("status") == "True"


def pod_running_ready(pod):
    return (pod.get("status") or {}).get("phase") == "Running" and pod_ready(pod)


def pod_available(pod, min_ready_seconds, now=None):
    """podutil.IsPodAvailable: ready for at least minReadySeconds."""
    if not pod_ready(pod):
        return False
    if not min_ready_seconds:
        return True
    now = time.time() if now is None else now
    t = util.parse_time((_ready_cond(pod) or {}).get("lastTransitionTime"))
    return t is not None and t + int(min_ready_seconds) <= now


def pods_of(mgr, ns, uid):
    """Pods of a namespace whose controller ownerReference has this uid (from the store's current state)."""
    _, entries = mgr.store.list_entries("pods", ns)
    return [e.obj for e in entries if owned_by(e.obj, uid)]


def record(mgr, obj, etype, reason, message, component):
    mgr.record_event(obj, etype, reason, message, component)


# ---- hashing ------------------------------------------------------------------------------------------

_SAFE = "bcdfghjklmnpqrstvwxz2456789"


def safe_encode(s):
    """k8s.io/apimachinery/pkg/util/rand.SafeEncodeString."""
    return "".join(_SAFE[ord(ch) % len(_SAFE)] for ch in s)


def fnv32a(data):
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def compute_hash(value, collision_count=None):
    """controller.ComputeHash: fnv32a over a deterministic rendering (+ the collision count), then
    SafeEncodeString of the decimal number."""
    data = json.dumps(value, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(int(collision_count)).encode()
    return safe_encode(str(fnv32a(data)))


# ---- ControllerRevisions --------------------------------------------------------------------------------

CR_KEY = "apps/controllerrevisions"


def cr_rt():
    return REGISTRY.by_key(CR_KEY)


def template_patch(obj):
    """The revision data both controllers store: a strategic-merge patch replacing spec.template
    (getPatch in the statefulset and daemon controllers)."""
    tmpl = util.deep_copy((obj.get("spec") or {}).get("template") or {})
    tmpl["$patch"] = "replace"
    # keys sorted at every level, as Go's json.Marshal of a map writes them: kubectl rollout undo compares
    # these bytes with its own rendering of the current template to detect a no-op rollback
    return json.loads(json.dumps({"spec": {"template": tmpl}}, sort_keys=True))


def revisions_of(mgr, ns, uid):
    _, entries = mgr.store.list_entries(CR_KEY, ns)
    return sorted((e.obj for e in entries if owned_by(e.obj, uid)),
                  key=lambda r: (int(r.get("revision") or 0), r["metadata"].get("name")))


def next_revision(revs):
    return max([int(r.get("revision") or 0) for r in revs] + [0]) + 1


def bump_revision(mgr, cr, revision):
    def fn(o):
        if int(o.get("revision") or 0) == revision:
            return None
        o["revision"] = revision
        return o
    return mgr.api.mutate(mgr.ctx, cr_rt(), cr["metadata"]["namespace"], cr["metadata"]["name"], fn) or cr


def create_revision(mgr, parent, name, labels, data, revision, annotations=None):
    md = parent["metadata"]
    cr = {"apiVersion": "apps/v1", "kind": "ControllerRevision",
          "metadata": {"name": name, "namespace": md["namespace"], "labels": dict(labels or {}),
                       "ownerReferences": [owner_ref(parent)]},
          "data": data, "revision": revision}
    if annotations:
        cr["metadata"]["annotations"] = dict(annotations)
    try:
        return mgr.api.create(mgr.ctx, cr_rt(), md["namespace"], cr)
    except errors.ApiError as e:
        if e.code == 409:
            return None
        raise


def truncate_history(mgr, revs, live_names, limit):
    """Delete the oldest revisions not in live_names beyond revisionHistoryLimit."""
    old = [r for r in revs if r["metadata"]["name"] not in live_names]
    excess = len(old) - int(limit if limit is not None else 10)
    for r in old[:max(0, excess)]:
        try:
            mgr.api.delete(mgr.ctx, cr_rt(), r["metadata"]["namespace"], r["metadata"]["name"], {})
        except errors.ApiError:
            pass


# ---- int-or-percent --------------------------------------------------------------------------------------


def scaled_value(v, total, round_up):
    """intstr.GetScaledValueFromIntOrPercent."""
    if v is None:
        return 0
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    s = str(v)
    if s.endswith("%"):
        try:
            pct = int(s[:-1])
        except ValueError:
            return 0
        import math
        x = pct * total / 100.0
        return int(math.ceil(x)) if round_up else int(math.floor(x))
    try:
        return int(s)
    except ValueError:
        return 0


class Dirty:
    """A set of (namespace, name) keys to sync, flushed once per manager loop pass."""

    def __init__(self):
        self.keys = set()
        self.scheduled = False

    def add(self, mgr, ns, name, fn):
        self.keys.add((ns, name))
        if not self.scheduled:
            self.scheduled = True

            def flush():
                self.scheduled = False
                keys, self.keys = self.keys, set()
                for k in sorted(keys):
                    fn(mgr, *k)
            mgr.after(0, flush)


# ---- JSON types ---------------------------------------------------------------------------------------------
# The apiserver decodes a body into Go structs first: a value of the wrong JSON type is a 400 BadRequest
# ("json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32").

STRING_TYPES = {"string", "v1.RestartPolicy", "v1.PodManagementPolicyType", "v1.StatefulSetUpdateStrategyType",
                "v1.DaemonSetUpdateStrategyType", "v1.CompletionMode", "v1.ConcurrencyPolicy",
                "v1.PodReplacementPolicy"}


def _json_kind(v):
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, list):
        return "array"
    return "object"


def _type_ok(v, gotype):
    if v is None:
        return True
    if gotype in ("int32", "int64"):
        return isinstance(v, int) and not isinstance(v, bool)
    if gotype == "bool":
        return isinstance(v, bool)
    if gotype == "string":
        return isinstance(v, str)
    if gotype in STRING_TYPES:
        return isinstance(v, str)
    if gotype == "intstr.IntOrString":
        return isinstance(v, (str, int)) and not isinstance(v, bool)
    if gotype.startswith("[]"):
        return isinstance(v, list)
    return isinstance(v, dict)


def check_types(obj, kind, version, checks):
    """checks: [(dotted path from the object root, Go struct name, Go type)]. Raises 400 on a mismatch;
    list elements are checked with a path segment "[]" (e.g. "spec.volumeClaimTemplates[]")."""
    for path, struct, gotype in checks:
        for value in _values_at(obj, path.split(".")):
            if not _type_ok(value, gotype):
                shown = _json_kind(value)
                if shown == "number" and gotype in ("int32", "int64"):
                    shown = "number %s" % value
                field = path.replace("[]", "")
                raise errors.bad_request('%s in version "%s" cannot be handled as a %s: json: cannot unmarshal %s '
                                         'into Go struct field %s.%s of type %s'
                                         % (kind, version, kind, shown, struct, field, gotype))


def _values_at(obj, parts):
    cur = [obj]
    for p in parts:
        many = p.endswith("[]")
        key = p[:-2] if many else p
        nxt = []
        for c in cur:
            if not isinstance(c, dict) or c.get(key) is None:
                continue
            v = c[key]
            if many:
                if isinstance(v, list):
                    nxt.extend(v)
            else:
                nxt.append(v)
        cur = nxt
    return cur


TEMPLATE_CHECKS = [
    ("metadata", "PodTemplateSpec", "v1.ObjectMeta"),
    ("metadata.labels", "ObjectMeta", "map[string]string"),
    ("spec", "PodTemplateSpec", "v1.PodSpec"),
    ("spec.containers", "PodSpec", "[]v1.Container"),
    ("spec.containers[]", "PodSpec", "v1.Container"),
    ("spec.initContainers", "PodSpec", "[]v1.Container"),
    ("spec.volumes", "PodSpec", "[]v1.Volume"),
    ("spec.tolerations", "PodSpec", "[]v1.Toleration"),
    ("spec.nodeSelector", "PodSpec", "map[string]string"),
    ("spec.affinity", "PodSpec", "v1.Affinity"),
    ("spec.restartPolicy", "PodSpec", "v1.RestartPolicy"),
]


def template_checks(prefix):
    """TEMPLATE_CHECKS under a path prefix (e.g. "spec.template")."""
    return [("%s.%s" % (prefix, path), struct, gotype) for path, struct, gotype in TEMPLATE_CHECKS]


def selector_checks(prefix, struct=""):
    return [(prefix, struct, "v1.LabelSelector"), (prefix + ".matchLabels", "LabelSelector", "map[string]string"),
            (prefix + ".matchExpressions", "LabelSelector", "[]v1.LabelSelectorRequirement")]
