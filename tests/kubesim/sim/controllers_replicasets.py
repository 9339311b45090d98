"""The ReplicaSet controller (pkg/controller/replicaset), as kube-controller-manager runs it.

For each ReplicaSet: claim the active pods of its namespace (adopt orphans whose labels match the selector,
release owned pods that no longer match), create or delete pods to reach spec.replicas (events
SuccessfulCreate `Created pod: x` / SuccessfulDelete `Deleted pod: x` / FailedCreate), choosing pods to
delete in the controller's order (unscheduled, pending, not ready, lower deletion cost, doubled up on a
node, ready for less time, more restarts, newer), and keep the status: replicas, fullyLabeledReplicas,
readyReplicas, availableReplicas (ready for minReadySeconds), observedGeneration, and the ReplicaFailure
condition when pods cannot be created.
"""

import math
import time

from . import controllers, errors, selectors, util

RS_KEY = "apps/replicasets"
COMPONENT = "replicaset-controller"
BURST_REPLICAS = 500


# ---- helpers shared with the deployment and disruption controllers ----------------------------------

def controller_ref(obj):
    for r in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if isinstance(r, dict) and r.get("controller"):
            return r
    return None


def owner_reference(owner, kind, api_version):
    md = owner["metadata"]
    return {"apiVersion": api_version, "kind": kind, "name": md["name"], "uid": md["uid"], "controller": True,
            "blockOwnerDeletion": True}


def pod_active(pod):
    return not (pod.get("metadata") or {}).get("deletionTimestamp") and \
        (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")


def _ready_condition(pod):
    for c in (pod.get("status") or {}).get("conditions") or []:
        if isinstance(c, dict) and c.get("type") == "Ready":
            return c
    return None


def pod_ready(pod):
    c = _ready_condition(pod)
    return c is not None and c.get("status") == "True"


def pod_available(pod, min_ready_seconds, now=None):
    """podutil.IsPodAvailable: ready for at least minReadySeconds."""
    c = _ready_condition(pod)
    if c is None or c.get("status") != "True":
        return False
    if not min_ready_seconds:
        return True
    t = util.parse_time(c.get("lastTransitionTime"))
    now = time.time() if now is None else now
    return t is not None and t + min_ready_seconds <= now


def label_selector(sel):
    """The parsed selector of a metav1.LabelSelector; None (matches nothing) when empty or invalid."""
    if not isinstance(sel, dict) or not (sel.get("matchLabels") or sel.get("matchExpressions")):
        return None
    return selectors.selector_from_label_selector(sel)


def _ts(obj):
    return util.parse_time((obj.get("metadata") or {}).get("creationTimestamp")) or 0


def _restarts(pod):
    return max([int(cs.get("restartCount") or 0) for cs in (pod.get("status") or {}).get("containerStatuses") or []]
               or [0])


def _deletion_cost(pod):
    ann = (pod.get("metadata") or {}).get("annotations") or {}
    try:
        return int(ann.get("controller.kubernetes.io/pod-deletion-cost", "0"))
    except ValueError:
        return 0


def _log_bucket(seconds_ago):
    # the LogarithmicScaleDown comparison: timestamps compared by the power of two of their age
    return int(math.floor(math.log2(seconds_ago))) if seconds_ago >= 1 else 0


def pods_to_delete(pods, related, count, now=None):
    """controller.ActivePodsWithRanks ordering: the first `count` pods a controller deletes."""
    now = time.time() if now is None else now
    per_node = {}
    for p in related:
        n = (p.get("spec") or {}).get("nodeName")
        if n and pod_active(p):
            per_node[n] = per_node.get(n, 0) + 1
    phase_rank = {"Pending": 0, "Unknown": 1, "Running": 2}

    def key(p):
        spec = p.get("spec") or {}
        node = spec.get("nodeName")
        ready = pod_ready(p)
        rc = _ready_condition(p) or {}
        ready_for = now - (util.parse_time(rc.get("lastTransitionTime")) or now) if ready else 0
        return (1 if node else 0,
                phase_rank.get((p.get("status") or {}).get("phase"), 0),
                1 if ready else 0,
                _deletion_cost(p),
                -(per_node.get(node, 0) if node else 0),
                _log_bucket(ready_for) if ready else 0,
                -_restarts(p),
                _log_bucket(now - _ts(p)),
                (p.get("metadata") or {}).get("uid", ""))
    return sorted(pods, key=key)[:count]


def pod_from_template(owner, template, kind, api_version):
    """controller.GetPodFromTemplate."""
    tmd = template.get("metadata") or {}
    md = {"generateName": owner["metadata"]["name"] + "-", "namespace": owner["metadata"]["namespace"]}
    if tmd.get("labels"):
        md["labels"] = dict(tmd["labels"])
    if tmd.get("annotations"):
        md["annotations"] = dict(tmd["annotations"])
    if tmd.get("finalizers"):
        md["finalizers"] = list(tmd["finalizers"])
    md["ownerReferences"] = [owner_reference(owner, kind, api_version)]
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": util.deep_copy(template.get("spec") or {})}


class Coalescer:
    """Collects keys to sync and runs them once, after the current batch of store events."""

    def __init__(self, fn):
        self.fn = fn
        self.keys = set()
        self.scheduled = False

    def add(self, mgr, key, delay=0.0):
        if delay > 0:
            mgr.after(delay, lambda: self.add(mgr, key))
            return
        self.keys.add(key)
        if not self.scheduled:
            self.scheduled = True
            mgr.after(0.0, lambda: self.flush(mgr))

    def flush(self, mgr):
        self.scheduled = False
        keys, self.keys = self.keys, set()
        for k in sorted(keys):
            try:
                self.fn(mgr, k)
            except Exception:
                import traceback
                traceback.print_exc()


# ---- the controller --------------------------------------------------------------------------------

@controllers.register
class ReplicaSetController(controllers.Controller):
    name = "replicaset"
    watches = (RS_KEY, "pods")

    def setup(self, mgr):
        self.queue = Coalescer(self.sync)
        self.by_owner = {}     # controller uid -> {(ns, name)} of the pods it controls
        self.orphans = {}      # namespace -> {name} of pods without a controller
        self.owner_of = {}     # (ns, name) -> controller uid or None
        _, pods = mgr.store.list_entries("pods")
        for e in pods:
            self._index(e.ns, e.name, e.obj)
        _, rss = mgr.store.list_entries(RS_KEY)
        for e in rss:
            self.queue.add(mgr, (e.ns, e.name))

    def _index(self, ns, name, pod, deleted=False):
        ident = (ns, name)
        if ident in self.owner_of:
            old = self.owner_of.pop(ident)
            if old is None:
                self.orphans.get(ns, set()).discard(name)
            else:
                s = self.by_owner.get(old)
                if s is not None:
                    s.discard(ident)
                    if not s:
                        del self.by_owner[old]
        if deleted:
            return
        ref = controller_ref(pod)
        if ref is None:
            self.owner_of[ident] = None
            self.orphans.setdefault(ns, set()).add(name)
        else:
            self.owner_of[ident] = ref.get("uid")
            self.by_owner.setdefault(ref.get("uid"), set()).add(ident)

    def on_event(self, mgr, ev):
        if ev.key == RS_KEY:
            if ev.type != "DELETED":
                self.queue.add(mgr, (ev.ns, ev.name))
            return
        pod = ev.entry.obj
        self._index(ev.ns, ev.name, pod, deleted=ev.type == "DELETED")
        ref = controller_ref(pod)
        if ref is not None:
            if ref.get("kind") == "ReplicaSet":
                self.queue.add(mgr, (ev.ns, ref.get("name")))
            if ev.prev is not None:
                old = controller_ref(ev.prev.obj)
                if old is not None and old.get("kind") == "ReplicaSet" and old.get("name") != ref.get("name"):
                    self.queue.add(mgr, (ev.ns, old.get("name")))
            return
        if ev.prev is not None:
            old = controller_ref(ev.prev.obj)
            if old is not None and old.get("kind") == "ReplicaSet":
                self.queue.add(mgr, (ev.ns, old.get("name")))
        if ev.type == "DELETED" or not pod_active(pod):
            return
        # an orphan: the ReplicaSets that select it may adopt it
        labels = (pod.get("metadata") or {}).get("labels") or {}
        _, rss = mgr.store.list_entries(RS_KEY, ev.ns)
        for e in rss:
            sel = label_selector((e.obj.get("spec") or {}).get("selector"))
            if sel is not None and sel.matches(labels):
                self.queue.add(mgr, (e.ns, e.name))

    def _pods(self, mgr, idents):
        out = []
        for ns, name in idents:
            e = mgr.store.get_entry("pods", ns, name)
            if e is not None:
                out.append(e.obj)
        return out

    # ---- sync ------------------------------------------------------------------------------------

    def sync(self, mgr, key):
        ns, name = key
        e = mgr.store.get_entry(RS_KEY, ns, name)
        if e is None:
            return
        rs = e.obj
        md = rs["metadata"]
        spec = rs.get("spec") or {}
        sel = label_selector(spec.get("selector"))
        candidates = self._pods(mgr, sorted(self.by_owner.get(md["uid"], ())))
        if sel is not None and not md.get("deletionTimestamp"):
            for pname in sorted(self.orphans.get(ns, ())):
                pe = mgr.store.get_entry("pods", ns, pname)
                if pe is not None and sel.matches((pe.obj.get("metadata") or {}).get("labels") or {}):
                    candidates.append(pe.obj)
        owned = self._claim(mgr, rs, sel, [p for p in candidates if pod_active(p)])
        errors_seen = None
        if not md.get("deletionTimestamp"):
            errors_seen = self._manage(mgr, rs, owned)
        self._status(mgr, rs, owned, errors_seen)

    def _claim(self, mgr, rs, sel, pods):
        md = rs["metadata"]
        uid = md["uid"]
        deleting = bool(md.get("deletionTimestamp"))
        out = []
        prt = mgr.rt("pods")
        for p in pods:
            pmd = p.get("metadata") or {}
            ref = controller_ref(p)
            labels = pmd.get("labels") or {}
            matches = sel is not None and sel.matches(labels)
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if matches or deleting:
                    out.append(p)
                    continue
                # release: the pod no longer matches

                def release(o, uid=uid):
                    refs = [r for r in o["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
                    if refs:
                        o["metadata"]["ownerReferences"] = refs
                    else:
                        o["metadata"].pop("ownerReferences", None)
                    return o
                mgr.api.mutate(mgr.ctx, prt, pmd.get("namespace"), pmd.get("name"), release)
                continue
            if not matches or deleting or pmd.get("deletionTimestamp"):
                continue
            puid = pmd.get("uid")

            def adopt(o, puid=puid):
                if o["metadata"].get("uid") != puid or controller_ref(o) is not None:
                    return None
                o["metadata"].setdefault("ownerReferences", []).append(owner_reference(rs, "ReplicaSet", "apps/v1"))
                return o
            res = mgr.api.mutate(mgr.ctx, prt, pmd.get("namespace"), pmd.get("name"), adopt)
            if res is not None:
                out.append(res)
        return out

    def _manage(self, mgr, rs, owned):
        spec = rs.get("spec") or {}
        replicas = int(spec.get("replicas", 1) or 0)
        diff = len(owned) - replicas
        prt = mgr.rt("pods")
        md = rs["metadata"]
        if diff < 0:
            tmpl = spec.get("template") or {}
            failure = None
            for _ in range(min(-diff, BURST_REPLICAS)):
                pod = pod_from_template(rs, tmpl, "ReplicaSet", "apps/v1")
                try:
                    created = mgr.api.create(mgr.ctx, prt, md["namespace"], pod)
                except errors.ApiError as err:
                    failure = err.message
                    mgr.record_event(rs, "Warning", "FailedCreate", "Error creating: %s" % err.message, COMPONENT)
                    break
                mgr.record_event(rs, "Normal", "SuccessfulCreate", "Created pod: %s" % created["metadata"]["name"],
                                 COMPONENT)
            return failure
        if diff > 0:
            related = self._related_pods(mgr, rs)
            for p in pods_to_delete(owned, related, min(diff, BURST_REPLICAS)):
                pmd = p["metadata"]
                try:
                    mgr.api.delete(mgr.ctx, prt, pmd["namespace"], pmd["name"], {"preconditions": {"uid": pmd["uid"]}})
                except errors.ApiError as err:
                    if err.code != 404:
                        mgr.record_event(rs, "Warning", "FailedDelete", "Error deleting: %s" % err.message, COMPONENT)
                    continue
                mgr.record_event(rs, "Normal", "SuccessfulDelete", "Deleted pod: %s" % pmd["name"], COMPONENT)
        return None

    def _related_pods(self, mgr, rs):
        """Pods of every ReplicaSet controlled by the same owner (getIndirectlyRelatedPods)."""
        ref = controller_ref(rs)
        uids = {rs["metadata"]["uid"]}
        if ref is not None:
            _, rss = mgr.store.list_entries(RS_KEY, rs["metadata"]["namespace"])
            for e in rss:
                r = controller_ref(e.obj)
                if r is not None and r.get("uid") == ref.get("uid"):
                    uids.add(e.obj["metadata"]["uid"])
        return self._pods(mgr, sorted(i for u in uids for i in self.by_owner.get(u, ())))

    def _status(self, mgr, rs, owned, failure):
        spec = rs.get("spec") or {}
        md = rs["metadata"]
        tlabels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
        mrs = int(spec.get("minReadySeconds") or 0)
        now = time.time()
        fully = sum(1 for p in owned if all(((p.get("metadata") or {}).get("labels") or {}).get(k) == v
                                            for k, v in tlabels.items()))
        ready = sum(1 for p in owned if pod_ready(p))
        available = sum(1 for p in owned if pod_available(p, mrs, now))
        if mrs and ready > available:
            self.queue.add(mgr, (md["namespace"], md["name"]), delay=min(mrs, 5) + 0.05)
        old = rs.get("status") or {}
        conds = [c for c in old.get("conditions") or [] if isinstance(c, dict)]
        replicas = int(spec.get("replicas", 1) or 0)
        if failure is not None and len(owned) < replicas:
            if not any(c.get("type") == "ReplicaFailure" for c in conds):
                conds.append({"type": "ReplicaFailure", "status": "True", "lastTransitionTime": util.rfc3339(now),
                              "reason": "FailedCreate", "message": failure})
        elif failure is None:
            conds = [c for c in conds if c.get("type") != "ReplicaFailure"]
        status = {"replicas": len(owned)}
        if fully:
            status["fullyLabeledReplicas"] = fully
        if ready:
            status["readyReplicas"] = ready
        if available:
            status["availableReplicas"] = available
        if md.get("generation"):
            status["observedGeneration"] = md["generation"]
        if conds:
            status["conditions"] = conds
        if status == old:
            return

        def fn(o):
            if o["metadata"].get("uid") != md["uid"] or o.get("status") == status:
                return None
            o["status"] = status
            return o
        mgr.api.mutate(mgr.ctx, mgr.rt(RS_KEY), md["namespace"], md["name"], fn, subresource="status")
