"""The Deployment controller (pkg/controller/deployment), as kube-controller-manager runs it.

* ReplicaSets named `<deployment>-<pod-template-hash>`, the hash computed from the template and the
  collision count (kinds_deployments.template_hash), with the pod-template-hash label on the ReplicaSet,
  its selector and its template, and a controller ownerReference; orphans matching the selector are
  adopted, owned ones that stop matching released.
* Revisions: the new (or re-used) ReplicaSet gets max(old revisions)+1 in
  `deployment.kubernetes.io/revision`; a re-used one keeps its earlier numbers in `revision-history`; the
  deployment's annotations (but the skip list) are copied onto it (so `kubernetes.io/change-cause`
  travels); `desired-replicas` and `max-replicas` follow every scaling; the deployment carries the
  revision of its new ReplicaSet.
* RollingUpdate within maxSurge/maxUnavailable (ResolveFenceposts rounding: surge up, unavailable down),
  step by step as the new pods become available; Recreate (old pods gone before new ones start);
  proportional scaling during a rollout; paused deployments (scaling only, DeploymentPaused /
  DeploymentResumed); revisionHistoryLimit clean-up; progressDeadlineSeconds with the Progressing reasons
  NewReplicaSetCreated, FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable,
  ProgressDeadlineExceeded; the Available condition; status counters and observedGeneration;
  ScalingReplicaSet events ("Scaled up replica set web-6b7f6d9c5 from 0 to 3").
"""

import functools
import time

from . import controllers, errors, util
from .controllers_replicasets import Coalescer, controller_ref, label_selector, owner_reference
from .kinds_deployments import (max_surge, max_unavailable, scaled_value, template_hash, templates_equal)

D_KEY = "apps/deployments"
RS_KEY = "apps/replicasets"
COMPONENT = "deployment-controller"

REVISION = "deployment.kubernetes.io/revision"
REVISION_HISTORY = "deployment.kubernetes.io/revision-history"
DESIRED = "deployment.kubernetes.io/desired-replicas"
MAX = "deployment.kubernetes.io/max-replicas"
SKIP_COPY = {"kubectl.kubernetes.io/last-applied-configuration", REVISION, REVISION_HISTORY, DESIRED, MAX,
             "deprecated.deployment.rollback.to"}
MAX_REV_HISTORY_CHARS = 2000


class _Requeue(Exception):
    """A write lost a race (conflict): sync the deployment again."""


# ---- small accessors -------------------------------------------------------------------------------

def _replicas(obj):
    v = (obj.get("spec") or {}).get("replicas")
    return 1 if v is None else int(v)


def _st(obj, key):
    return int((obj.get("status") or {}).get(key) or 0)


def _ann(obj):
    return (obj.get("metadata") or {}).get("annotations") or {}


def revision_of(rs):
    try:
        return int(_ann(rs).get(REVISION, "0"))
    except ValueError:
        return 0


def _int_ann(rs, key):
    try:
        return int(_ann(rs)[key]), True
    except (KeyError, ValueError):
        return 0, False


def _created(rs):
    md = rs.get("metadata") or {}
    return (util.parse_time(md.get("creationTimestamp")) or 0, md.get("name", ""))


def _active(rss):
    return [r for r in rss if r is not None and _replicas(r) > 0]


def _sum_spec(rss):
    return sum(_replicas(r) for r in rss if r is not None)


def _sum_status(rss, key):
    return sum(_st(r, key) for r in rss if r is not None)


def _conditions(d):
    return [c for c in (d.get("status") or {}).get("conditions") or [] if isinstance(c, dict)]


def get_condition(d, ctype):
    for c in _conditions(d):
        if c.get("type") == ctype:
            return c
    return None


def new_condition(ctype, status, reason, message):
    now = util.rfc3339()
    return {"type": ctype, "status": status, "lastUpdateTime": now, "lastTransitionTime": now, "reason": reason,
            "message": message}


def set_condition(status, cond):
    """deploymentutil.SetDeploymentCondition: no-op for the same status and reason; keeps
    lastTransitionTime when only the reason changes."""
    conds = [c for c in status.get("conditions") or []]
    cur = next((c for c in conds if c.get("type") == cond["type"]), None)
    if cur is not None and cur.get("status") == cond["status"] and cur.get("reason") == cond["reason"]:
        return
    if cur is not None and cur.get("status") == cond["status"]:
        cond = dict(cond)
        cond["lastTransitionTime"] = cur.get("lastTransitionTime")
    status["conditions"] = [c for c in conds if c.get("type") != cond["type"]] + [cond]


def remove_condition(status, ctype):
    status["conditions"] = [c for c in status.get("conditions") or [] if c.get("type") != ctype]


def has_progress_deadline(d):
    pds = (d.get("spec") or {}).get("progressDeadlineSeconds")
    return pds is not None and pds != 2147483647


_STATUS_ORDER = ("observedGeneration", "replicas", "updatedReplicas", "readyReplicas", "availableReplicas",
                 "unavailableReplicas", "conditions", "collisionCount")


def _clean_status(st):
    out = {}
    for k in _STATUS_ORDER:
        v = st.get(k)
        if v in (None, 0, []) and k != "collisionCount":
            continue
        if v is None:
            continue
        out[k] = v
    return out


def deployment_complete(d, st):
    return (int(st.get("updatedReplicas") or 0) == _replicas(d) and
            int(st.get("replicas") or 0) == _replicas(d) and
            int(st.get("availableReplicas") or 0) == _replicas(d) and
            int(st.get("observedGeneration") or 0) >= int(d["metadata"].get("generation") or 0))


def deployment_progressing(d, st):
    old = d.get("status") or {}
    old_old = int(old.get("replicas") or 0) - int(old.get("updatedReplicas") or 0)
    new_old = int(st.get("replicas") or 0) - int(st.get("updatedReplicas") or 0)
    return (int(st.get("updatedReplicas") or 0) > int(old.get("updatedReplicas") or 0) or new_old < old_old or
            int(st.get("readyReplicas") or 0) > int(old.get("readyReplicas") or 0) or
            int(st.get("availableReplicas") or 0) > int(old.get("availableReplicas") or 0))


def deployment_timed_out(d, st, now=None):
    if not has_progress_deadline(d):
        return False
    cond = next((c for c in st.get("conditions") or [] if c.get("type") == "Progressing"), None)
    if cond is None:
        return False
    if cond.get("reason") == "NewReplicaSetAvailable":
        return False
    if cond.get("reason") == "ProgressDeadlineExceeded":
        return True
    frm = util.parse_time(cond.get("lastUpdateTime"))
    if frm is None:
        return False
    now = time.time() if now is None else now
    return frm + int(d["spec"]["progressDeadlineSeconds"]) < now


def _by_revision(a, b):
    ra, rb = revision_of(a), revision_of(b)
    if ra == rb:
        return -1 if _created(a) < _created(b) else (1 if _created(a) > _created(b) else 0)
    return -1 if ra < rb else 1


# ---- the controller --------------------------------------------------------------------------------

@controllers.register
class DeploymentController(controllers.Controller):
    name = "deployment"
    watches = (D_KEY, RS_KEY, "pods")
    interval = 1.0

    def setup(self, mgr):
        self.queue = Coalescer(self.sync)
        _, ds = mgr.store.list_entries(D_KEY)
        for e in ds:
            self.queue.add(mgr, (e.ns, e.name))

    # ---- event routing -------------------------------------------------------------------------

    def on_event(self, mgr, ev):
        if ev.key == D_KEY:
            if ev.type != "DELETED":
                self.queue.add(mgr, (ev.ns, ev.name))
            return
        if ev.key == RS_KEY:
            rs = ev.entry.obj
            ref = controller_ref(rs)
            if ref is not None:
                if ref.get("kind") == "Deployment":
                    self.queue.add(mgr, (ev.ns, ref.get("name")))
                return
            if ev.type == "DELETED":
                return
            labels = (rs.get("metadata") or {}).get("labels") or {}
            _, ds = mgr.store.list_entries(D_KEY, ev.ns)
            for e in ds:
                sel = label_selector((e.obj.get("spec") or {}).get("selector"))
                if sel is not None and sel.matches(labels):
                    self.queue.add(mgr, (e.ns, e.name))
            return
        # pods: a Recreate rollout waits for the old pods to be gone
        if ev.type != "DELETED":
            return
        ref = controller_ref(ev.entry.obj)
        if ref is None or ref.get("kind") != "ReplicaSet":
            return
        rse = mgr.store.get_entry(RS_KEY, ev.ns, ref.get("name"))
        if rse is None:
            return
        dref = controller_ref(rse.obj)
        if dref is not None and dref.get("kind") == "Deployment":
            de = mgr.store.get_entry(D_KEY, ev.ns, dref.get("name"))
            if de is not None and ((de.obj.get("spec") or {}).get("strategy") or {}).get("type") == "Recreate":
                self.queue.add(mgr, (ev.ns, dref.get("name")))

    def tick(self, mgr, now):
        # a rollout that stopped making progress times out without any event: look at the deadlines
        _, ds = mgr.store.list_entries(D_KEY)
        for e in ds:
            d = e.obj
            if int((d.get("status") or {}).get("observedGeneration") or 0) < int(d["metadata"].get("generation") or 0):
                self.queue.add(mgr, (e.ns, e.name))
                continue
            if not has_progress_deadline(d) or (d.get("spec") or {}).get("paused"):
                continue
            cond = get_condition(d, "Progressing")
            if cond is None or cond.get("reason") in ("NewReplicaSetAvailable", "ProgressDeadlineExceeded",
                                                      "DeploymentPaused"):
                continue
            t = util.parse_time(cond.get("lastUpdateTime"))
            if t is not None and t + int(d["spec"]["progressDeadlineSeconds"]) < now:
                self.queue.add(mgr, (e.ns, e.name))

    # ---- writes --------------------------------------------------------------------------------

    def _update_status(self, mgr, d):
        """UpdateStatus(d): the status and the annotations (the status strategy keeps them) of d."""
        md = d["metadata"]
        status = _clean_status(d.get("status") or {})
        ann = md.get("annotations")

        def fn(o):
            if o["metadata"].get("uid") != md["uid"] or o["metadata"].get("resourceVersion") != md["resourceVersion"]:
                raise _Requeue()
            if o.get("status") == status and o["metadata"].get("annotations") == ann:
                return None
            o["status"] = status
            if ann:
                o["metadata"]["annotations"] = ann
            else:
                o["metadata"].pop("annotations", None)
            return o
        try:
            res = mgr.api.mutate(mgr.ctx, mgr.rt(D_KEY), md["namespace"], md["name"], fn)
        except errors.ApiError:
            raise _Requeue()
        if res is None:
            raise _Requeue()
        md["resourceVersion"] = res["metadata"]["resourceVersion"]
        d["status"] = res.get("status") or {}

    def _update_rs(self, mgr, rs):
        md = rs["metadata"]

        def fn(o):
            if o["metadata"].get("uid") != md["uid"] or o["metadata"].get("resourceVersion") != md["resourceVersion"]:
                raise _Requeue()
            o["spec"] = rs["spec"]
            if md.get("annotations"):
                o["metadata"]["annotations"] = md["annotations"]
            return o
        try:
            res = mgr.api.mutate(mgr.ctx, mgr.rt(RS_KEY), md["namespace"], md["name"], fn)
        except errors.ApiError:
            raise _Requeue()
        if res is None:
            raise _Requeue()
        return res

    def _event(self, mgr, d, etype, reason, message):
        mgr.record_event(d, etype, reason, message, COMPONENT)

    # ---- sync ----------------------------------------------------------------------------------

    def sync(self, mgr, key):
        ns, name = key
        e = mgr.store.get_entry(D_KEY, ns, name)
        if e is None:
            return
        d = util.deep_copy(e.obj)
        try:
            self._sync(mgr, d)
        except _Requeue:
            self.queue.add(mgr, key, delay=0.05)

    def _sync(self, mgr, d):
        spec = d.get("spec") or {}
        sel = label_selector(spec.get("selector"))
        if sel is None:
            self._event(mgr, d, "Warning", "SelectingAll", "This deployment is selecting all pods. A non-empty "
                        "selector is required.")
            if _st(d, "observedGeneration") < int(d["metadata"].get("generation") or 0):
                d.setdefault("status", {})["observedGeneration"] = d["metadata"].get("generation")
                self._update_status(mgr, d)
            return
        rss = self._claim(mgr, d, sel)
        if d["metadata"].get("deletionTimestamp"):
            new_rs, old_rss = self._all_rss(mgr, d, rss, False)
            self._sync_status(mgr, [new_rs] + old_rss, new_rs, d)
            return
        self._check_paused(mgr, d)
        if spec.get("paused"):
            self._sync_scale(mgr, d, rss)
            return
        if self._is_scaling_event(mgr, d, rss):
            self._sync_scale(mgr, d, rss)
            return
        if (spec.get("strategy") or {}).get("type") == "Recreate":
            self._rollout_recreate(mgr, d, rss)
        else:
            self._rollout_rolling(mgr, d, rss)

    # ---- ReplicaSets of a deployment --------------------------------------------------------------

    def _claim(self, mgr, d, sel):
        md = d["metadata"]
        uid = md["uid"]
        deleting = bool(md.get("deletionTimestamp"))
        _, entries = mgr.store.list_entries(RS_KEY, md["namespace"])
        out = []
        rt = mgr.rt(RS_KEY)
        for e in entries:
            rs = e.obj
            ref = controller_ref(rs)
            matches = sel.matches((rs.get("metadata") or {}).get("labels") or {})
            if ref is not None:
                if ref.get("uid") != uid:
                    continue
                if matches or deleting:
                    out.append(util.deep_copy(rs))
                    continue

                def release(o):
                    refs = [r for r in o["metadata"].get("ownerReferences") or [] if r.get("uid") != uid]
                    if refs:
                        o["metadata"]["ownerReferences"] = refs
                    else:
                        o["metadata"].pop("ownerReferences", None)
                    return o
                mgr.api.mutate(mgr.ctx, rt, e.ns, e.name, release)
                continue
            if not matches or deleting or (rs.get("metadata") or {}).get("deletionTimestamp"):
                continue
            rs_uid = rs["metadata"]["uid"]

            def adopt(o, rs_uid=rs_uid):
                if o["metadata"].get("uid") != rs_uid or controller_ref(o) is not None:
                    return None
                o["metadata"].setdefault("ownerReferences", []).append(owner_reference(d, "Deployment", "apps/v1"))
                return o
            res = mgr.api.mutate(mgr.ctx, rt, e.ns, e.name, adopt)
            if res is not None:
                out.append(res)
        return out

    def _all_rss(self, mgr, d, rss, create):
        """getAllReplicaSetsAndSyncRevision: (new RS or None, old RSs)."""
        new = self._find_new(d, rss)
        old = [r for r in rss if new is None or r["metadata"]["uid"] != new["metadata"]["uid"]]
        new = self._get_new_rs(mgr, d, rss, old, new, create)
        return new, old

    @staticmethod
    def _find_new(d, rss):
        for rs in sorted(rss, key=_created):
            if templates_equal((rs.get("spec") or {}).get("template"), (d.get("spec") or {}).get("template")):
                return rs
        return None

    def _set_new_rs_annotations(self, d, rs, new_revision, exists):
        """deploymentutil.SetNewReplicaSetAnnotations; returns whether anything changed."""
        ann = rs["metadata"].setdefault("annotations", {})
        changed = False
        for k, v in _ann(d).items():
            if k in SKIP_COPY or ann.get(k) == v:
                continue
            ann[k] = v
            changed = True
        old_rev_s = ann.get(REVISION)
        try:
            old_rev = int(old_rev_s) if old_rev_s else 0
        except ValueError:
            return changed
        new_rev = int(new_revision)
        if old_rev < new_rev:
            ann[REVISION] = str(new_rev)
            changed = True
            if old_rev_s:
                hist = ann.get(REVISION_HISTORY, "")
                olds = hist.split(",") if hist else []
                if not olds:
                    ann[REVISION_HISTORY] = old_rev_s
                else:
                    total = len(hist) + len(old_rev_s) + 1
                    start = 0
                    while total > MAX_REV_HISTORY_CHARS and start < len(olds):
                        total -= len(olds[start]) + 1
                        start += 1
                    if total <= MAX_REV_HISTORY_CHARS:
                        ann[REVISION_HISTORY] = ",".join(olds[start:] + [old_rev_s])
        if not exists and self._set_replicas_annotations(rs, _replicas(d), _replicas(d) + max_surge(d)):
            changed = True
        return changed

    @staticmethod
    def _set_replicas_annotations(rs, desired, maximum):
        ann = rs["metadata"].setdefault("annotations", {})
        changed = False
        if ann.get(DESIRED) != str(desired):
            ann[DESIRED] = str(desired)
            changed = True
        if ann.get(MAX) != str(maximum):
            ann[MAX] = str(maximum)
            changed = True
        return changed

    @staticmethod
    def _set_deployment_revision(d, revision):
        ann = d["metadata"].setdefault("annotations", {})
        if ann.get(REVISION) == revision:
            return False
        ann[REVISION] = revision
        return True

    def _get_new_rs(self, mgr, d, rss, old_rss, existing, create):
        max_old = max([revision_of(r) for r in old_rss] or [0])
        new_revision = str(max_old + 1)
        if existing is not None:
            rs = util.deep_copy(existing)
            updated = self._set_new_rs_annotations(d, rs, new_revision, True)
            mrs = (d.get("spec") or {}).get("minReadySeconds") or 0
            if updated or ((rs.get("spec") or {}).get("minReadySeconds") or 0) != mrs:
                if mrs:
                    rs["spec"]["minReadySeconds"] = mrs
                else:
                    rs["spec"].pop("minReadySeconds", None)
                return self._update_rs(mgr, rs)
            needs = self._set_deployment_revision(d, _ann(rs).get(REVISION, ""))
            if has_progress_deadline(d) and get_condition(d, "Progressing") is None:
                set_condition(d.setdefault("status", {}), new_condition(
                    "Progressing", "True", "FoundNewReplicaSet", 'Found new replica set "%s"' % rs["metadata"]["name"]))
                needs = True
            if needs:
                self._update_status(mgr, d)
            return rs
        if not create:
            return None
        spec = d["spec"]
        collision = (d.get("status") or {}).get("collisionCount")
        h = template_hash(spec.get("template"), collision)
        tmpl = util.deep_copy(spec.get("template") or {})
        tmd = tmpl.setdefault("metadata", {})
        tmd["labels"] = dict(tmd.get("labels") or {})
        tmd["labels"]["pod-template-hash"] = h
        selector = util.deep_copy(spec.get("selector") or {})
        selector.setdefault("matchLabels", {})["pod-template-hash"] = h
        md = d["metadata"]
        rs = {"apiVersion": "apps/v1", "kind": "ReplicaSet",
              "metadata": {"name": "%s-%s" % (md["name"], h), "namespace": md["namespace"],
                           "labels": dict(tmd["labels"]),
                           "ownerReferences": [owner_reference(d, "Deployment", "apps/v1")]},
              "spec": {"replicas": 0, "selector": selector, "template": tmpl}}
        if spec.get("minReadySeconds"):
            rs["spec"]["minReadySeconds"] = spec["minReadySeconds"]
        count = self._new_rs_new_replicas(d, old_rss + [rs], rs)
        rs["spec"]["replicas"] = count
        self._set_new_rs_annotations(d, rs, new_revision, False)
        already = False
        try:
            created = mgr.api.create(mgr.ctx, mgr.rt(RS_KEY), md["namespace"], rs)
        except errors.ApiError as err:
            if err.reason != "AlreadyExists":
                self._event(mgr, d, "Warning", "FailedCreate", 'Failed to create new replica set "%s": %s'
                            % (rs["metadata"]["name"], err.message))
                if has_progress_deadline(d):
                    set_condition(d.setdefault("status", {}), new_condition(
                        "Progressing", "False", "ReplicaSetCreateError", 'Failed to create new replica set "%s": %s'
                        % (rs["metadata"]["name"], err.message)))
                    self._update_status(mgr, d)
                return None
            cur = mgr.store.get_entry(RS_KEY, md["namespace"], rs["metadata"]["name"])
            cref = controller_ref(cur.obj) if cur is not None else None
            if cur is not None and cref is not None and cref.get("uid") == md["uid"] and \
                    templates_equal((cur.obj.get("spec") or {}).get("template"), spec.get("template")):
                created = util.deep_copy(cur.obj)
                already = True
            else:
                # a hash collision: bump the collision count and try again
                st = d.setdefault("status", {})
                st["collisionCount"] = int(st.get("collisionCount") or 0) + 1
                self._update_status(mgr, d)
                raise _Requeue()
        if not already and count > 0:
            self._event(mgr, d, "Normal", "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d"
                        % (created["metadata"]["name"], count))
        needs = self._set_deployment_revision(d, new_revision)
        if not already and has_progress_deadline(d):
            set_condition(d.setdefault("status", {}), new_condition(
                "Progressing", "True", "NewReplicaSetCreated",
                'Created new replica set "%s"' % created["metadata"]["name"]))
            needs = True
        if needs:
            self._update_status(mgr, d)
        return created

    @staticmethod
    def _new_rs_new_replicas(d, all_rss, new_rs):
        """deploymentutil.NewRSNewReplicas."""
        if ((d.get("spec") or {}).get("strategy") or {}).get("type") == "Recreate":
            return _replicas(d)
        ru = (d["spec"].get("strategy") or {}).get("rollingUpdate") or {}
        surge = scaled_value(ru.get("maxSurge", "25%"), _replicas(d), True) or 0
        current = _sum_spec(all_rss)
        max_total = _replicas(d) + surge
        if current >= max_total:
            return _replicas(new_rs)
        up = min(max_total - current, _replicas(d) - _replicas(new_rs))
        return _replicas(new_rs) + up

    # ---- scaling ---------------------------------------------------------------------------------

    def _scale_rs(self, mgr, d, rs, new_scale, operation=None):
        """scaleReplicaSet: (scaled, rs)."""
        size_changes = _replicas(rs) != new_scale
        want_d, want_m = _replicas(d), _replicas(d) + max_surge(d)
        ann = _ann(rs)
        ann_changes = ann.get(DESIRED) != str(want_d) or ann.get(MAX) != str(want_m)
        if not (size_changes or ann_changes):
            return False, rs
        old = _replicas(rs)
        cp = util.deep_copy(rs)
        cp["spec"]["replicas"] = new_scale
        self._set_replicas_annotations(cp, want_d, want_m)
        res = self._update_rs(mgr, cp)
        if size_changes:
            op = operation or ("up" if old < new_scale else "down")
            self._event(mgr, d, "Normal", "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d"
                        % (op, rs["metadata"]["name"], old, new_scale))
        return size_changes, res

    def _scale_rs_and_record(self, mgr, d, rs, new_scale):
        if _replicas(rs) == new_scale:
            return False, rs
        return self._scale_rs(mgr, d, rs, new_scale)

    def _is_scaling_event(self, mgr, d, rss):
        new, old = self._all_rss(mgr, d, rss, False)
        for rs in _active([new] + old):
            desired, ok = _int_ann(rs, DESIRED)
            if ok and desired != _replicas(d):
                return True
        return False

    def _sync_scale(self, mgr, d, rss):
        """sync(): scaling (and paused deployments)."""
        new, old = self._all_rss(mgr, d, rss, False)
        self._scale(mgr, d, new, old)
        if (d.get("spec") or {}).get("paused"):
            self._cleanup(mgr, d, old)
        self._sync_status(mgr, [new] + old, new, d)

    def _scale(self, mgr, d, new, old):
        latest = self._active_or_latest(new, old)
        if latest is not None:
            if _replicas(latest) != _replicas(d):
                self._scale_rs_and_record(mgr, d, latest, _replicas(d))
            return
        if self._is_saturated(d, new):
            for rs in _active(old):
                self._scale_rs_and_record(mgr, d, rs, 0)
            return
        if ((d.get("spec") or {}).get("strategy") or {}).get("type", "RollingUpdate") != "RollingUpdate":
            return
        all_rss = _active(old + [new])
        all_replicas = _sum_spec(all_rss)
        allowed = _replicas(d) + max_surge(d) if _replicas(d) > 0 else 0
        to_add = allowed - all_replicas
        if to_add > 0:
            all_rss.sort(key=lambda r: (-_replicas(r), -_created(r)[0]))
            op = "up"
        elif to_add < 0:
            all_rss.sort(key=lambda r: (-_replicas(r), _created(r)))
            op = "down"
        else:
            op = None
        added = 0
        sizes = {}
        for rs in all_rss:
            if to_add != 0:
                p = self._proportion(d, rs, to_add, added)
                sizes[rs["metadata"]["name"]] = _replicas(rs) + p
                added += p
            else:
                sizes[rs["metadata"]["name"]] = _replicas(rs)
        if to_add != 0 and all_rss:
            first = all_rss[0]["metadata"]["name"]
            sizes[first] = max(0, sizes[first] + to_add - added)
        for rs in all_rss:
            self._scale_rs(mgr, d, rs, sizes[rs["metadata"]["name"]], op)

    @staticmethod
    def _active_or_latest(new, old):
        if new is None and not old:
            return None
        old_sorted = sorted(old, key=_created, reverse=True)
        active = _active(old_sorted + [new])
        if not active:
            return new if new is not None else old_sorted[0]
        if len(active) == 1:
            return active[0]
        return None

    @staticmethod
    def _is_saturated(d, rs):
        if rs is None:
            return False
        desired, ok = _int_ann(rs, DESIRED)
        return ok and _replicas(rs) == _replicas(d) and desired == _replicas(d) and \
            _st(rs, "availableReplicas") == _replicas(d)

    @staticmethod
    def _proportion(d, rs, to_add, added):
        if rs is None or _replicas(rs) == 0 or to_add == 0 or to_add == added:
            return 0
        if _replicas(d) == 0:
            frac = -_replicas(rs)
        else:
            dep_replicas = _replicas(d) + max_surge(d)
            annotated, ok = _int_ann(rs, MAX)
            if not ok:
                annotated = _st(d, "replicas")
            if annotated <= 0:
                frac = 0
            else:
                size = float(_replicas(rs) * dep_replicas) / float(annotated)
                rounded = int(size + 0.5) if size >= 0 else -int(-size + 0.5)
                frac = rounded - _replicas(rs)
        allowed = to_add - added
        return min(frac, allowed) if to_add > 0 else max(frac, allowed)

    # ---- rolling update ------------------------------------------------------------------------------

    def _rollout_rolling(self, mgr, d, rss):
        new, old = self._all_rss(mgr, d, rss, True)
        all_rss = old + [new]
        if self._reconcile_new(mgr, d, all_rss, new):
            self._sync_rollout_status(mgr, all_rss, new, d)
            return
        if self._reconcile_old(mgr, d, all_rss, _active(old), new):
            self._sync_rollout_status(mgr, all_rss, new, d)
            return
        if deployment_complete(d, d.get("status") or {}):
            self._cleanup(mgr, d, old)
        self._sync_rollout_status(mgr, old + [new], new, d)

    def _reconcile_new(self, mgr, d, all_rss, new):
        if new is None:
            return False
        if _replicas(new) == _replicas(d):
            return False
        if _replicas(new) > _replicas(d):
            return self._scale_rs_and_record(mgr, d, new, _replicas(d))[0]
        count = self._new_rs_new_replicas(d, all_rss, new)
        return self._scale_rs_and_record(mgr, d, new, count)[0]

    def _reconcile_old(self, mgr, d, all_rss, old_active, new):
        if _sum_spec(old_active) == 0:
            return False
        all_pods = _sum_spec(all_rss)
        min_available = _replicas(d) - max_unavailable(d)
        new_unavailable = (_replicas(new) - _st(new, "availableReplicas")) if new is not None else 0
        max_scaled_down = all_pods - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        old_active, cleaned = self._cleanup_unhealthy(mgr, d, old_active, max_scaled_down)
        scaled = self._scale_down_old(mgr, d, old_active + [new], old_active)
        return cleaned + scaled > 0

    def _cleanup_unhealthy(self, mgr, d, old, max_cleanup):
        old = sorted(old, key=_created)
        total = 0
        for i, rs in enumerate(old):
            if total >= max_cleanup:
                break
            if _replicas(rs) == 0 or _replicas(rs) == _st(rs, "availableReplicas"):
                continue
            n = min(max_cleanup - total, _replicas(rs) - _st(rs, "availableReplicas"))
            _, old[i] = self._scale_rs_and_record(mgr, d, rs, _replicas(rs) - n)
            total += n
        return old, total

    def _scale_down_old(self, mgr, d, all_rss, old):
        min_available = _replicas(d) - max_unavailable(d)
        available = _sum_status(all_rss, "availableReplicas")
        if available <= min_available:
            return 0
        total = available - min_available
        done = 0
        for rs in sorted(old, key=_created):
            if done >= total:
                break
            if _replicas(rs) == 0:
                continue
            n = min(_replicas(rs), total - done)
            self._scale_rs_and_record(mgr, d, rs, _replicas(rs) - n)
            done += n
        return done

    # ---- recreate ------------------------------------------------------------------------------------

    def _rollout_recreate(self, mgr, d, rss):
        new, old = self._all_rss(mgr, d, rss, False)
        scaled = False
        for rs in _active(old):
            s, _ = self._scale_rs_and_record(mgr, d, rs, 0)
            scaled = scaled or s
        if scaled:
            self._sync_rollout_status(mgr, old + [new], new, d)
            return
        if self._old_pods_running(mgr, d, new, old):
            self._sync_rollout_status(mgr, old + [new], new, d)
            return
        if new is None:
            new, old = self._all_rss(mgr, d, rss, True)
        if new is not None:
            self._scale_rs_and_record(mgr, d, new, _replicas(d))
        if deployment_complete(d, d.get("status") or {}):
            self._cleanup(mgr, d, old)
        self._sync_rollout_status(mgr, old + [new], new, d)

    @staticmethod
    def _old_pods_running(mgr, d, new, old):
        if _sum_status(old, "replicas") > 0:
            return True
        uids = {r["metadata"]["uid"] for r in old}
        _, pods = mgr.store.list_entries("pods", d["metadata"]["namespace"])
        for e in pods:
            ref = controller_ref(e.obj)
            if ref is None or ref.get("uid") not in uids:
                continue
            if (e.obj.get("status") or {}).get("phase") in ("Succeeded", "Failed"):
                continue
            return True
        return False

    # ---- clean-up, status ------------------------------------------------------------------------------

    def _cleanup(self, mgr, d, old):
        limit = (d.get("spec") or {}).get("revisionHistoryLimit")
        if limit is None:
            return
        alive = [r for r in old if not r["metadata"].get("deletionTimestamp")]
        diff = len(alive) - int(limit)
        if diff <= 0:
            return
        alive.sort(key=functools.cmp_to_key(_by_revision))
        for rs in alive[:diff]:
            md = rs["metadata"]
            if _st(rs, "replicas") != 0 or _replicas(rs) != 0 or \
                    int(md.get("generation") or 0) > _st(rs, "observedGeneration"):
                continue
            try:
                mgr.api.delete(mgr.ctx, mgr.rt(RS_KEY), md["namespace"], md["name"],
                               {"propagationPolicy": "Background", "preconditions": {"uid": md["uid"]}})
            except errors.ApiError:
                pass

    @staticmethod
    def _calculate_status(all_rss, new, d):
        all_rss = [r for r in all_rss if r is not None]
        available = _sum_status(all_rss, "availableReplicas")
        total = _sum_spec(all_rss)
        unavailable = max(0, total - available)
        old = d.get("status") or {}
        st = {"observedGeneration": d["metadata"].get("generation"),
              "replicas": _sum_status(all_rss, "replicas"),
              "updatedReplicas": _st(new, "replicas") if new is not None else 0,
              "readyReplicas": _sum_status(all_rss, "readyReplicas"),
              "availableReplicas": available,
              "unavailableReplicas": unavailable,
              "conditions": [dict(c) for c in old.get("conditions") or []]}
        if old.get("collisionCount") is not None:
            st["collisionCount"] = old["collisionCount"]
        if available >= _replicas(d) - max_unavailable(d):
            set_condition(st, new_condition("Available", "True", "MinimumReplicasAvailable",
                                            "Deployment has minimum availability."))
        else:
            set_condition(st, new_condition("Available", "False", "MinimumReplicasUnavailable",
                                            "Deployment does not have minimum availability."))
        return st

    def _sync_status(self, mgr, all_rss, new, d):
        st = self._calculate_status(all_rss, new, d)
        if _clean_status(st) == _clean_status(d.get("status") or {}):
            return
        d["status"] = st
        self._update_status(mgr, d)

    def _sync_rollout_status(self, mgr, all_rss, new, d):
        st = self._calculate_status(all_rss, new, d)
        if not has_progress_deadline(d):
            remove_condition(st, "Progressing")
        cur = next((c for c in st.get("conditions") or [] if c.get("type") == "Progressing"), None)
        complete = st.get("replicas") == st.get("updatedReplicas") and cur is not None and \
            cur.get("reason") == "NewReplicaSetAvailable"
        if has_progress_deadline(d) and not complete:
            name = new["metadata"]["name"] if new is not None else None
            if deployment_complete(d, st):
                msg = 'ReplicaSet "%s" has successfully progressed.' % name if name else \
                    'Deployment "%s" has successfully progressed.' % d["metadata"]["name"]
                set_condition(st, new_condition("Progressing", "True", "NewReplicaSetAvailable", msg))
            elif deployment_progressing(d, st):
                msg = 'ReplicaSet "%s" is progressing.' % name if name else \
                    'Deployment "%s" is progressing.' % d["metadata"]["name"]
                cond = new_condition("Progressing", "True", "ReplicaSetUpdated", msg)
                if cur is not None:
                    if cur.get("status") == "True":
                        cond["lastTransitionTime"] = cur.get("lastTransitionTime")
                    remove_condition(st, "Progressing")
                set_condition(st, cond)
            elif deployment_timed_out(d, st):
                msg = 'ReplicaSet "%s" has timed out progressing.' % name if name else \
                    'Deployment "%s" has timed out progressing.' % d["metadata"]["name"]
                set_condition(st, new_condition("Progressing", "False", "ProgressDeadlineExceeded", msg))
        if _clean_status(st) == _clean_status(d.get("status") or {}):
            return
        d["status"] = st
        self._update_status(mgr, d)

    def _check_paused(self, mgr, d):
        if not has_progress_deadline(d):
            return
        cond = get_condition(d, "Progressing")
        if cond is not None and cond.get("reason") == "ProgressDeadlineExceeded":
            return
        paused_cond = cond is not None and cond.get("reason") == "DeploymentPaused"
        paused = bool((d.get("spec") or {}).get("paused"))
        st = d.setdefault("status", {})
        if paused and not paused_cond:
            set_condition(st, new_condition("Progressing", "Unknown", "DeploymentPaused", "Deployment is paused"))
        elif not paused and paused_cond:
            set_condition(st, new_condition("Progressing", "Unknown", "DeploymentResumed", "Deployment is resumed"))
        else:
            return
        self._update_status(mgr, d)
