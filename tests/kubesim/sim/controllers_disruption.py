"""PodDisruptionBudgets: validation, and the disruption controller (pkg/controller/disruption) that keeps
their status.

status: currentHealthy (ready pods that are not being deleted and not just evicted), desiredHealthy,
expectedPods, disruptionsAllowed = max(0, currentHealthy - desiredHealthy), disruptedPods (evictions the
eviction subresource recorded, forgotten once the pod is being deleted or after 2 minutes),
observedGeneration and the DisruptionAllowed condition (SufficientPods / InsufficientPods, SyncFailed).

minAvailable as a number counts the selected pods; maxUnavailable and a percentage minAvailable count the
replicas of the pods' controllers (Deployment via its ReplicaSet, ReplicaSet, StatefulSet,
ReplicationController), as getExpectedScale does; pods without a controller are ignored then, with the
UnmanagedPods event.
"""

import time

from . import controllers, selectors, util
from .controllers_replicasets import Coalescer, controller_ref, pod_ready
from .errors import FieldError
from .kinds_deployments import scaled_value, validate_label_selector
from .resources import REGISTRY

PDB_KEY = "policy/poddisruptionbudgets"
COMPONENT = "controllermanager"
DELETION_TIMEOUT = 120.0

PDBS = REGISTRY.get("policy", "v1", "poddisruptionbudgets")


def pdb_selector(pdb):
    """policy/v1: a nil selector selects nothing, an empty one every pod of the namespace."""
    sel = (pdb.get("spec") or {}).get("selector")
    if sel is None or not isinstance(sel, dict):
        return None
    return selectors.selector_from_label_selector(sel)


def pdbs_for_pod(store, pod):
    """The PDBs whose selector matches the pod (getPodDisruptionBudgets)."""
    md = pod.get("metadata") or {}
    labels = md.get("labels") or {}
    if not labels:
        return []
    _, entries = store.list_entries(PDB_KEY, md.get("namespace"))
    out = []
    for e in entries:
        sel = (e.obj.get("spec") or {}).get("selector")
        if not isinstance(sel, dict) or not (sel.get("matchLabels") or sel.get("matchExpressions")):
            continue      # "a PDB with a nil or empty selector ... should match nothing" (eviction)
        s = selectors.selector_from_label_selector(sel)
        if s is not None and s.matches(labels):
            out.append(e.obj)
    return out


def set_allowed_condition(status, now=None):
    """pdbhelper.UpdateDisruptionAllowedCondition."""
    if int(status.get("disruptionsAllowed") or 0) > 0:
        cond = {"type": "DisruptionAllowed", "status": "True", "reason": "SufficientPods", "message": ""}
    else:
        cond = {"type": "DisruptionAllowed", "status": "False", "reason": "InsufficientPods", "message": ""}
    if status.get("observedGeneration"):
        cond["observedGeneration"] = status["observedGeneration"]
    _set_meta_condition(status, cond, now)


def _set_meta_condition(status, cond, now=None):
    """apimeta.SetStatusCondition."""
    conds = [c for c in status.get("conditions") or []]
    cur = next((c for c in conds if c.get("type") == cond["type"]), None)
    out = {"type": cond["type"], "status": cond["status"]}
    if cond.get("observedGeneration"):
        out["observedGeneration"] = cond["observedGeneration"]
    if cur is not None and cur.get("status") == cond["status"]:
        out["lastTransitionTime"] = cur.get("lastTransitionTime")
    else:
        out["lastTransitionTime"] = util.rfc3339(now)
    out["reason"] = cond["reason"]
    out["message"] = cond.get("message", "")
    status["conditions"] = [out if c is cur else c for c in conds] if cur is not None else conds + [out]


_STATUS_ORDER = ("observedGeneration", "disruptedPods", "disruptionsAllowed", "currentHealthy", "desiredHealthy",
                 "expectedPods", "conditions")


def ordered_status(st):
    out = {}
    for k in _STATUS_ORDER:
        if k in st:
            if k in ("observedGeneration", "disruptedPods") and not st[k]:
                continue
            out[k] = st[k]
    return out


# ---- validation -------------------------------------------------------------------------------------

def _validate(ctx, obj, old):
    spec = obj.get("spec")
    if spec is None:
        return []
    if not isinstance(spec, dict):
        return [FieldError("Invalid", "spec", "must be an object", spec)]
    errs = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(FieldError("Invalid", "spec", "minAvailable and maxUnavailable cannot be both set", None))
    for key in ("minAvailable", "maxUnavailable"):
        v = spec.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, str)):
            errs.append(FieldError("Invalid", "spec." + key, "must be an integer or percentage (e.g '5%')", v))
        elif isinstance(v, int) and v < 0:
            errs.append(FieldError("Invalid", "spec." + key, "must be greater than or equal to 0", v))
        elif isinstance(v, str):
            pct = scaled_value(v, 100, False)
            if pct is None:
                errs.append(FieldError("Invalid", "spec." + key, "a valid percent string must be a numeric string "
                                       "followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation "
                                       "is '[0-9]+%')", v))
            elif pct > 100:
                errs.append(FieldError("Invalid", "spec." + key, "must not be greater than 100%", v))
    pol = spec.get("unhealthyPodEvictionPolicy")
    if pol is not None and pol not in ("IfHealthyBudget", "AlwaysAllow"):
        errs.append(FieldError("NotSupported", "spec.unhealthyPodEvictionPolicy", value=pol,
                               supported=["AlwaysAllow", "IfHealthyBudget"]))
    sel = spec.get("selector")
    if sel is not None:
        errs += validate_label_selector(sel, "spec.selector")
    return errs


if PDBS is not None:
    PDBS.add_hook("validate", _validate)


# ---- the controller ------------------------------------------------------------------------------------

@controllers.register
class DisruptionController(controllers.Controller):
    name = "disruption"
    watches = (PDB_KEY, "pods", "apps/deployments", "apps/replicasets", "apps/statefulsets",
               "replicationcontrollers")
    interval = 2.0

    def setup(self, mgr):
        self.queue = Coalescer(self.sync)
        self.warned = set()
        _, pdbs = mgr.store.list_entries(PDB_KEY)
        for e in pdbs:
            self.queue.add(mgr, (e.ns, e.name))

    def on_event(self, mgr, ev):
        if ev.key == PDB_KEY:
            if ev.type != "DELETED":
                self.queue.add(mgr, (ev.ns, ev.name))
            return
        _, pdbs = mgr.store.list_entries(PDB_KEY, ev.ns)
        for e in pdbs:
            self.queue.add(mgr, (e.ns, e.name))

    def tick(self, mgr, now):
        _, pdbs = mgr.store.list_entries(PDB_KEY)
        for e in pdbs:
            if (e.obj.get("status") or {}).get("disruptedPods"):
                self.queue.add(mgr, (e.ns, e.name))

    # ---- expected scale --------------------------------------------------------------------------

    @staticmethod
    def _controller_scale(mgr, ns, ref):
        """(uid, replicas) of the pod's controller as the disruption controller finds it, or None."""
        kind = ref.get("kind")
        if kind == "ReplicaSet":
            e = mgr.store.get_entry("apps/replicasets", ns, ref.get("name"))
            if e is None or e.obj["metadata"].get("uid") != ref.get("uid"):
                return None
            dref = controller_ref(e.obj)
            if dref is not None and dref.get("kind") == "Deployment":
                de = mgr.store.get_entry("apps/deployments", ns, dref.get("name"))
                if de is not None and de.obj["metadata"].get("uid") == dref.get("uid"):
                    return de.obj["metadata"]["uid"], int((de.obj.get("spec") or {}).get("replicas", 1) or 0)
                return None
            return e.obj["metadata"]["uid"], int((e.obj.get("spec") or {}).get("replicas", 1) or 0)
        key = {"StatefulSet": "apps/statefulsets", "ReplicationController": "replicationcontrollers"}.get(kind)
        if key is None:
            return None
        e = mgr.store.get_entry(key, ns, ref.get("name"))
        if e is None or e.obj["metadata"].get("uid") != ref.get("uid"):
            return None
        return e.obj["metadata"]["uid"], int((e.obj.get("spec") or {}).get("replicas", 1) or 0)

    def _expected_scale(self, mgr, pdb, pods):
        ns = pdb["metadata"]["namespace"]
        scales = {}
        unmanaged = []
        for p in pods:
            ref = controller_ref(p)
            if ref is None:
                unmanaged.append(p["metadata"]["name"])
                continue
            found = self._controller_scale(mgr, ns, ref)
            if found is None:
                raise _SyncFailed('found no controllers for pod "%s"' % p["metadata"]["name"])
            scales[found[0]] = found[1]
        return sum(scales.values()), unmanaged

    # ---- sync ------------------------------------------------------------------------------------

    def sync(self, mgr, key):
        ns, name = key
        e = mgr.store.get_entry(PDB_KEY, ns, name)
        if e is None:
            return
        pdb = e.obj
        spec = pdb.get("spec") or {}
        sel = pdb_selector(pdb)
        _, entries = mgr.store.list_entries("pods", ns)
        pods = [x.obj for x in entries if sel is not None and sel.matches((x.obj.get("metadata") or {})
                                                                          .get("labels") or {})]
        now = time.time()
        uid = pdb["metadata"]["uid"]
        try:
            unmanaged = []
            if spec.get("maxUnavailable") is not None:
                expected, unmanaged = self._expected_scale(mgr, pdb, pods)
                mu = scaled_value(spec["maxUnavailable"], expected, True) or 0
                desired = max(0, expected - mu)
            elif isinstance(spec.get("minAvailable"), int) and not isinstance(spec.get("minAvailable"), bool):
                expected = len(pods)
                desired = spec["minAvailable"]
            elif spec.get("minAvailable") is not None:
                expected, unmanaged = self._expected_scale(mgr, pdb, pods)
                desired = scaled_value(spec["minAvailable"], expected, True) or 0
            else:
                expected, desired = len(pods), 0
        except _SyncFailed as err:
            self._fail_safe(mgr, pdb, str(err), now)
            return
        if not pods and (uid, "NoPods") not in self.warned:
            self.warned.add((uid, "NoPods"))
            mgr.record_event(pdb, "Normal", "NoPods", "No matching pods found", COMPONENT)
        if unmanaged and (uid, "Unmanaged") not in self.warned:
            self.warned.add((uid, "Unmanaged"))
            mgr.record_event(pdb, "Warning", "UnmanagedPods",
                             "Pods selected by this PodDisruptionBudget (selector: %s) were found to be unmanaged. As "
                             "a result, the status of the PDB cannot be calculated correctly, which may result in "
                             "undefined behavior. To account for these pods please set \".spec.minAvailable\" field "
                             "of the PDB to an integer value." % selectors.label_selector_string(spec.get("selector")),
                             COMPONENT)
        old = pdb.get("status") or {}
        disrupted = {}
        by_name = {p["metadata"]["name"]: p for p in pods}
        for pname, ts in (old.get("disruptedPods") or {}).items():
            p = by_name.get(pname)
            if p is None or (p.get("metadata") or {}).get("deletionTimestamp"):
                continue
            t = util.parse_time(ts)
            if t is None or t + DELETION_TIMEOUT < now:
                continue
            disrupted[pname] = ts
        healthy = sum(1 for p in pods if not (p.get("metadata") or {}).get("deletionTimestamp")
                      and p["metadata"]["name"] not in disrupted and pod_ready(p))
        allowed = healthy - desired
        if expected <= 0 or allowed <= 0:
            allowed = 0
        st = {"observedGeneration": pdb["metadata"].get("generation"), "disruptedPods": disrupted,
              "disruptionsAllowed": allowed, "currentHealthy": healthy, "desiredHealthy": desired,
              "expectedPods": expected, "conditions": [dict(c) for c in old.get("conditions") or []]}
        set_allowed_condition(st, now)
        self._write(mgr, pdb, ordered_status(st))

    def _fail_safe(self, mgr, pdb, message, now):
        old = pdb.get("status") or {}
        st = dict(old)
        st["disruptionsAllowed"] = 0
        st["observedGeneration"] = pdb["metadata"].get("generation")
        st.setdefault("currentHealthy", 0)
        st.setdefault("desiredHealthy", 0)
        st.setdefault("expectedPods", 0)
        _set_meta_condition(st, {"type": "DisruptionAllowed", "status": "False", "reason": "SyncFailed",
                                 "message": message, "observedGeneration": st["observedGeneration"]}, now)
        self._write(mgr, pdb, ordered_status(st))

    @staticmethod
    def _write(mgr, pdb, status):
        if status == (pdb.get("status") or {}):
            return
        uid = pdb["metadata"]["uid"]

        def fn(o):
            if o["metadata"].get("uid") != uid or o.get("status") == status:
                return None
            o["status"] = status
            return o
        mgr.api.mutate(mgr.ctx, mgr.rt(PDB_KEY), pdb["metadata"]["namespace"], pdb["metadata"]["name"], fn,
                       subresource="status")


class _SyncFailed(Exception):
    pass
