"""The node lifecycle controller and the taint eviction controller of kube-controller-manager.

* Node taints from conditions and cordon (TaintNodeByCondition / taint-based evictions):
  Ready=False -> node.kubernetes.io/not-ready (NoSchedule and NoExecute), Ready=Unknown or missing ->
  node.kubernetes.io/unreachable (NoSchedule and NoExecute), MemoryPressure/DiskPressure/PIDPressure=True and
  NetworkUnavailable=True -> their NoSchedule taints, spec.unschedulable -> node.kubernetes.io/unschedulable.
  Every taint the controller adds gets timeAdded; taints it does not own are left alone.
* Pods of a node that is not Ready get Ready=False and a NodeNotReady event (MarkPodsNotReady).
* NoExecute taints evict the pods that do not tolerate them: at once, or after the smallest
  tolerationSeconds of the tolerations that match (counted from when the controller noticed the taint, as
  the real taint manager does). Evicted pods get the DisruptionTarget condition, a TaintManagerEviction event
  and a graceful deletion.
"""

import time

from . import controllers, errors, util
from .controllers import node_ready, tolerates

NOT_READY = "node.kubernetes.io/not-ready"
UNREACHABLE = "node.kubernetes.io/unreachable"
UNSCHEDULABLE = "node.kubernetes.io/unschedulable"
CONDITION_TAINTS = [("MemoryPressure", "node.kubernetes.io/memory-pressure"),
                    ("DiskPressure", "node.kubernetes.io/disk-pressure"),
                    ("PIDPressure", "node.kubernetes.io/pid-pressure"),
                    ("NetworkUnavailable", "node.kubernetes.io/network-unavailable")]
OWNED_KEYS = {NOT_READY, UNREACHABLE, UNSCHEDULABLE} | {k for _, k in CONDITION_TAINTS}


def _ready_status(node):
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") or "Unknown"
    return "Unknown"


def wanted_taints(node):
    """[(key, effect)] the node lifecycle controller keeps on this node."""
    out = []
    ready = _ready_status(node)
    if ready == "False":
        out += [(NOT_READY, "NoSchedule"), (NOT_READY, "NoExecute")]
    elif ready != "True":
        out += [(UNREACHABLE, "NoSchedule"), (UNREACHABLE, "NoExecute")]
    conds = {c.get("type"): c.get("status") for c in (node.get("status") or {}).get("conditions") or []}
    for ctype, key in CONDITION_TAINTS:
        if conds.get(ctype) == "True":
            out.append((key, "NoSchedule"))
    if (node.get("spec") or {}).get("unschedulable"):
        out.append((UNSCHEDULABLE, "NoSchedule"))
    return out


def _pod_view(node):
    """What of a node decides its pods' fate here (a heartbeat alone changes none of it)."""
    return node_ready(node), (node.get("spec") or {}).get("taints")


@controllers.register
class NodeLifecycleController(controllers.Controller):
    name = "node-lifecycle"
    watches = ("nodes", "pods")
    interval = 1.0

    def setup(self, mgr):
        self.marked = set()        # pod uids marked not ready for their node
        self.evictions = {}        # pod uid -> (ns, name, due time or None when immediate)
        self.first_seen = {}       # pod uid -> when its NoExecute taints were first noticed
        _, nodes = mgr.store.list_entries("nodes")
        for e in nodes:
            self._taints(mgr, e.obj)

    def on_event(self, mgr, ev):
        if ev.key == "nodes":
            if ev.type == "DELETED":
                return
            self._taints(mgr, ev.entry.obj)
            if ev.prev is None or _pod_view(ev.prev.obj) != _pod_view(ev.entry.obj):
                self._node_pods(mgr, ev.entry.obj)
        elif ev.type != "DELETED":
            pod = ev.entry.obj
            node_name = (pod.get("spec") or {}).get("nodeName")
            if node_name:
                ne = mgr.store.get_entry("nodes", "", node_name)
                if ne is not None:
                    self._pod(mgr, pod, ne.obj)
        else:
            uid = (ev.entry.obj.get("metadata") or {}).get("uid")
            self.marked.discard(uid)
            self.evictions.pop(uid, None)
            self.first_seen.pop(uid, None)

    def tick(self, mgr, now):
        for uid, (ns, name, due) in list(self.evictions.items()):
            if due is not None and due <= now:
                self._evict(mgr, uid, ns, name)

    # ---- node taints -------------------------------------------------------------------------------

    def _taints(self, mgr, node):
        want = wanted_taints(node)
        have = [t for t in (node.get("spec") or {}).get("taints") or [] if isinstance(t, dict)]
        have_owned = {(t.get("key"), t.get("effect")) for t in have if t.get("key") in OWNED_KEYS}
        if have_owned == set(want):
            return
        now = util.rfc3339()

        def fn(n):
            taints = [t for t in (n.get("spec") or {}).get("taints") or [] if isinstance(t, dict)]
            w = wanted_taints(n)
            keep = [t for t in taints if t.get("key") not in OWNED_KEYS or (t.get("key"), t.get("effect")) in w]
            present = {(t.get("key"), t.get("effect")) for t in keep}
            for key, effect in w:
                if (key, effect) not in present:
                    keep.append({"key": key, "effect": effect, "timeAdded": now})
            if keep == taints:
                return None
            spec = n.setdefault("spec", {})
            if keep:
                spec["taints"] = keep
            else:
                spec.pop("taints", None)
            return n
        mgr.api.mutate(mgr.ctx, mgr.rt("nodes"), "", node["metadata"]["name"], fn)

    # ---- pods of a node ------------------------------------------------------------------------

    def _node_pods(self, mgr, node):
        name = node["metadata"]["name"]
        _, pods = mgr.store.list_entries("pods")
        for e in pods:
            if (e.obj.get("spec") or {}).get("nodeName") == name:
                self._pod(mgr, e.obj, node)

    def _pod(self, mgr, pod, node):
        md = pod.get("metadata") or {}
        uid = md.get("uid")
        if md.get("deletionTimestamp") or (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
            self.evictions.pop(uid, None)
            return
        if not node_ready(node):
            self._mark_not_ready(mgr, pod)
        else:
            self.marked.discard(uid)
        self._plan_eviction(mgr, pod, node)

    def _mark_not_ready(self, mgr, pod):
        md = pod["metadata"]
        uid = md.get("uid")
        ready = [c for c in (pod.get("status") or {}).get("conditions") or [] if c.get("type") == "Ready"]
        if not ready or ready[0].get("status") != "True":
            if ready:
                self.marked.add(uid)
            return

        def fn(p):
            if (p.get("metadata") or {}).get("uid") != uid:
                return None
            for c in (p.get("status") or {}).get("conditions") or []:
                if c.get("type") == "Ready" and c.get("status") == "True":
                    c["status"] = "False"
                    c["lastTransitionTime"] = util.rfc3339()
                    return p
            return None
        res = mgr.api.mutate(mgr.ctx, mgr.rt("pods"), md.get("namespace"), md.get("name"), fn)
        if res is not None and uid not in self.marked:
            self.marked.add(uid)
            mgr.record_event(res, "Warning", "NodeNotReady", "Node is not ready", "node-controller")

    def _plan_eviction(self, mgr, pod, node):
        md = pod["metadata"]
        uid = md.get("uid")
        taints = [t for t in (node.get("spec") or {}).get("taints") or []
                  if isinstance(t, dict) and t.get("effect") == "NoExecute"]
        if not taints:
            if uid in self.evictions:
                self.evictions.pop(uid, None)
                self.first_seen.pop(uid, None)
                mgr.record_event(pod, "Normal", "TaintManagerEviction", "Cancelling deletion of Pod %s/%s"
                                 % (md.get("namespace"), md.get("name")), "taint-eviction-controller")
            return
        tolerations = [t for t in (pod.get("spec") or {}).get("tolerations") or [] if isinstance(t, dict)]
        used = []
        for taint in taints:
            match = [t for t in tolerations if tolerates([t], taint)]
            if not match:
                self.evictions[uid] = (md.get("namespace"), md.get("name"), None)
                self._evict(mgr, uid, md.get("namespace"), md.get("name"))
                return
            used += match
        seconds = []
        for t in used:
            ts = t.get("tolerationSeconds")
            if isinstance(ts, (int, float)) and not isinstance(ts, bool):
                seconds.append(max(0, ts))
        if not seconds:        # tolerated forever
            self.evictions.pop(uid, None)
            return
        start = self.first_seen.setdefault(uid, time.time())
        due = start + min(seconds)
        self.evictions[uid] = (md.get("namespace"), md.get("name"), due)
        if due <= time.time():
            self._evict(mgr, uid, md.get("namespace"), md.get("name"))

    def _evict(self, mgr, uid, ns, name):
        self.evictions.pop(uid, None)
        cur = mgr.store.get_entry("pods", ns, name)
        if cur is None or (cur.obj.get("metadata") or {}).get("uid") != uid or \
                (cur.obj.get("metadata") or {}).get("deletionTimestamp"):
            return
        mgr.record_event(cur.obj, "Normal", "TaintManagerEviction", "Marking for deletion Pod %s/%s" % (ns, name),
                         "taint-eviction-controller")

        def cond(p):
            if (p.get("metadata") or {}).get("uid") != uid:
                return None
            controllers._set_condition(p, "DisruptionTarget", "True", "DeletionByTaintManager",
                                       "Taint manager: deleting due to NoExecute taint")
            return p
        mgr.api.mutate(mgr.ctx, mgr.rt("pods"), ns, name, cond)
        try:
            mgr.api.delete(mgr.ctx, mgr.rt("pods"), ns, name, {"preconditions": {"uid": uid}})
        except errors.ApiError:
            pass
