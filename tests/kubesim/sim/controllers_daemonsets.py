"""apps/v1 DaemonSets: defaulting, validation and the DaemonSet controller (1.32).

One pod per eligible node: nodeSelector, required node affinity and the node's NoSchedule/NoExecute
taints against the pod's tolerations plus those the controller adds to every daemon pod (not-ready and
unreachable NoExecute; disk-, memory-, pid-pressure and unschedulable NoSchedule; network-unavailable
for host-network pods). A NotReady node without an explicit taint counts as tainted
node.kubernetes.io/not-ready:NoSchedule (unreachable for Unknown), as the node lifecycle controller
would have done. Pods are not bound here: each carries a required node affinity on
metadata.name (matchFields), and the scheduler places it. Labels controller-revision-hash and
pod-template-generation; ControllerRevisions `<name>-<hash>`; RollingUpdate with maxUnavailable and
maxSurge, OnDelete; status and events as the daemonset-controller reports them.
"""

import time

from . import controllers, errors, util
from .errors import FieldError
from .resources import REGISTRY
from .selectors import selector_from_label_selector
from . import ext_workload_common as wc

DS = REGISTRY.get("apps", "v1", "daemonsets")
COMPONENT = "daemonset-controller"
HASH_LABEL = "controller-revision-hash"
GEN_LABEL = "pod-template-generation"

AUTO_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]
HOSTNET_TOLERATION = {"key": "node.kubernetes.io/network-unavailable", "operator": "Exists",
                      "effect": "NoSchedule"}

# ---- defaulting / validation ---------------------------------------------------------------------------


def _defaults(obj):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    us = spec.get("updateStrategy")
    if not isinstance(us, dict) or not us.get("type"):
        us = spec["updateStrategy"] = dict(us or {}, type="RollingUpdate")
    if us.get("type") == "RollingUpdate":
        ru = us.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = us["rollingUpdate"] = {}
        ru.setdefault("maxUnavailable", 1)
        ru.setdefault("maxSurge", 0)
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    tmpl = spec.get("template")
    if isinstance(tmpl, dict):
        wc.default_pod_template(tmpl)


_CHECKS = [("spec", "DaemonSet", "v1.DaemonSetSpec"), ("spec.selector", "DaemonSetSpec", "v1.LabelSelector"),
           ("spec.updateStrategy", "DaemonSetSpec", "v1.DaemonSetUpdateStrategy"),
           ("spec.updateStrategy.type", "DaemonSetUpdateStrategy", "v1.DaemonSetUpdateStrategyType"),
           ("spec.updateStrategy.rollingUpdate", "DaemonSetUpdateStrategy", "v1.RollingUpdateDaemonSet"),
           ("spec.updateStrategy.rollingUpdate.maxUnavailable", "RollingUpdateDaemonSet", "intstr.IntOrString"),
           ("spec.updateStrategy.rollingUpdate.maxSurge", "RollingUpdateDaemonSet", "intstr.IntOrString"),
           ("spec.revisionHistoryLimit", "DaemonSetSpec", "int32"), ("spec.minReadySeconds", "DaemonSetSpec", "int32"),
           ("spec.template", "DaemonSetSpec", "v1.PodTemplateSpec")] + \
    wc.selector_checks("spec.selector")[1:] + wc.template_checks("spec.template")


def _create(ctx, obj):
    wc.check_types(obj, "DaemonSet", "v1", _CHECKS)
    _defaults(obj)
    if not ctx.internal and not ctx.load:
        obj["status"] = {"currentNumberScheduled": 0, "numberMisscheduled": 0, "desiredNumberScheduled": 0,
                         "numberReady": 0}


def _update(ctx, new, old):
    wc.check_types(new, "DaemonSet", "v1", _CHECKS)
    _defaults(new)


def _validate(ctx, obj, old):
    errs = []
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec.selector")]
    wc.nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    us = spec.get("updateStrategy") or {}
    if us.get("type") not in ("RollingUpdate", "OnDelete"):
        errs.append(FieldError("NotSupported", "spec.updateStrategy.type", value=us.get("type"),
                               supported=["OnDelete", "RollingUpdate"]))
    elif us.get("type") == "RollingUpdate":
        ru = us.get("rollingUpdate") or {}
        mu, ms = ru.get("maxUnavailable"), ru.get("maxSurge")
        zero = lambda v: v in (0, "0", "0%", None)   # noqa: E731
        if zero(mu) and zero(ms):
            errs.append(FieldError("Invalid", "spec.updateStrategy.rollingUpdate.maxUnavailable",
                                   "may not be 0 when `maxSurge` is 0", mu))
    sel = spec.get("selector")
    if not sel:
        errs.append(FieldError("Required", "spec.selector"))
    errs += wc.validate_template(spec.get("template"), "spec.template", sel, restart_policies=["Always"])
    if old is not None and not ctx.internal and spec.get("selector") != (old.get("spec") or {}).get("selector"):
        errs.append(FieldError("Invalid", "spec.selector", "field is immutable", spec.get("selector")))
    return errs


DS.add_hook("prepare_create", _create)
DS.add_hook("prepare_update", _update)
DS.add_hook("validate", _validate)

# ---- node eligibility -----------------------------------------------------------------------------------


def node_taints(node):
    taints = list((node.get("spec") or {}).get("taints") or [])
    keys = set(t.get("key") for t in taints)
    ready = None
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            ready = c.get("status")
    if ready == "False" and "node.kubernetes.io/not-ready" not in keys:
        taints.append({"key": "node.kubernetes.io/not-ready", "effect": "NoSchedule"})
    elif ready in (None, "Unknown") and "node.kubernetes.io/unreachable" not in keys and \
            "node.kubernetes.io/not-ready" not in keys:
        taints.append({"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule"})
    if (node.get("spec") or {}).get("unschedulable") and "node.kubernetes.io/unschedulable" not in keys:
        taints.append({"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"})
    return taints


def _tolerates(tolerations, taint):
    for t in tolerations:
        if t.get("effect") and t.get("effect") != taint.get("effect"):
            continue
        if t.get("operator") == "Exists":
            if not t.get("key") or t.get("key") == taint.get("key"):
                return True
        elif t.get("key") == taint.get("key") and (t.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def _match_expr(values_of, expr):
    op = expr.get("operator")
    vals = [str(v) for v in expr.get("values") or []]
    present, value = values_of(expr.get("key"))
    if op == "In":
        return present and value in vals
    if op == "NotIn":
        return not present or value not in vals
    if op == "Exists":
        return present
    if op == "DoesNotExist":
        return not present
    if op in ("Gt", "Lt"):
        try:
            a, b = int(value), int(vals[0])
        except (TypeError, ValueError, IndexError):
            return False
        return present and (a > b if op == "Gt" else a < b)
    return False


def node_matches_affinity(spec, node):
    """nodeSelector and requiredDuringSchedulingIgnoredDuringExecution node affinity."""
    labels = (node.get("metadata") or {}).get("labels") or {}
    for k, v in (spec.get("nodeSelector") or {}).items():
        if labels.get(k) != v:
            return False
    req = (((spec.get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    terms = req.get("nodeSelectorTerms")
    if not terms:
        return True
    name = (node.get("metadata") or {}).get("name")
    for term in terms:
        exprs = term.get("matchExpressions") or []
        fields = term.get("matchFields") or []
        if not exprs and not fields:
            continue
        ok = all(_match_expr(lambda k: (k in labels, labels.get(k)), x) for x in exprs) and \
            all(_match_expr(lambda k: (k == "metadata.name", name), x) for x in fields)
        if ok:
            return True
    return False


def daemon_tolerations(spec):
    tols = list(spec.get("tolerations") or [])
    extra = list(AUTO_TOLERATIONS)
    if spec.get("hostNetwork"):
        extra.append(HOSTNET_TOLERATION)
    for t in extra:
        if not any(x.get("key") == t["key"] and x.get("effect") == t["effect"] and
                   x.get("operator") == "Exists" for x in tols):
            tols.append(dict(t))
    return tols


def should_run(tmpl_spec, node):
    """(should run, should continue running) for a node (nodeShouldRunDaemonPod)."""
    if not node_matches_affinity(tmpl_spec, node):
        return False, False
    tols = daemon_tolerations(tmpl_spec)
    taints = node_taints(node)
    for t in taints:
        if t.get("effect") == "NoExecute" and not _tolerates(tols, t):
            return False, False
    for t in taints:
        if t.get("effect") == "NoSchedule" and not _tolerates(tols, t):
            return False, True
    return True, True


def pod_node(pod):
    name = (pod.get("spec") or {}).get("nodeName")
    if name:
        return name
    req = ((((pod.get("spec") or {}).get("affinity") or {}).get("nodeAffinity") or {})
           .get("requiredDuringSchedulingIgnoredDuringExecution") or {})
    for term in req.get("nodeSelectorTerms") or []:
        for f in term.get("matchFields") or []:
            if f.get("key") == "metadata.name" and f.get("operator") == "In" and len(f.get("values") or []) == 1:
                return f["values"][0]
    return None


def _pin(spec, node_name):
    """ReplaceDaemonSetPodNodeNameNodeAffinity: the required node affinity selects exactly this node."""
    aff = spec.setdefault("affinity", {})
    na = aff.setdefault("nodeAffinity", {})
    field_term = {"key": "metadata.name", "operator": "In", "values": [node_name]}
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution")
    if not isinstance(req, dict):
        req = na["requiredDuringSchedulingIgnoredDuringExecution"] = {}
    # every other term is replaced: the controller already checked them against this node
    req["nodeSelectorTerms"] = [{"matchFields": [field_term]}]


# ---- controller ------------------------------------------------------------------------------------------


@controllers.register
class DaemonSetController(controllers.Controller):
    name = "daemonset"
    watches = ("apps/daemonsets", "pods", "nodes", "apps/controllerrevisions")
    interval = 30.0     # a safety resync; changes arrive as events

    def setup(self, mgr):
        self.dirty = wc.Dirty()

    def on_event(self, mgr, ev):
        if ev.key == "apps/daemonsets":
            if ev.type != "DELETED":
                self.dirty.add(mgr, ev.ns, ev.name, self.sync)
            return
        if ev.key == "nodes":
            if ev.prev is not None and ev.type == "MODIFIED":
                a, b = ev.prev.obj, ev.entry.obj
                if (a.get("metadata") or {}).get("labels") == (b.get("metadata") or {}).get("labels") and \
                        a.get("spec") == b.get("spec") and node_taints(a) == node_taints(b):
                    return
            _, sets = mgr.store.list_entries("apps/daemonsets")
            for e in sets:
                self.dirty.add(mgr, e.ns, e.name, self.sync)
            return
        ref = wc.controller_of(ev.entry.obj)
        if ref is not None and ref.get("kind") == "DaemonSet":
            self.dirty.add(mgr, ev.ns, ref.get("name"), self.sync)

    def tick(self, mgr, now):
        _, sets = mgr.store.list_entries("apps/daemonsets")
        for e in sets:
            self.dirty.add(mgr, e.ns, e.name, self.sync)

    def _revision(self, mgr, ds):
        """(hash of the current template, revisions), creating or renumbering the ControllerRevision."""
        md = ds["metadata"]
        revs = wc.revisions_of(mgr, md["namespace"], md["uid"])
        data = wc.template_patch(ds)
        nextrev = wc.next_revision(revs)
        match = [r for r in revs if r.get("data") == data]
        if match:
            cur = match[-1]
            if int(cur.get("revision") or 0) != nextrev - 1:
                cur = wc.bump_revision(mgr, cur, nextrev)
            h = ((cur.get("metadata") or {}).get("labels") or {}).get(HASH_LABEL) or \
                cur["metadata"]["name"][len(md["name"]) + 1:]
            return h, revs
        collision = int((ds.get("status") or {}).get("collisionCount") or 0)
        h = wc.compute_hash(ds["spec"].get("template") or {}, collision)
        while mgr.store.get_entry(wc.CR_KEY, md["namespace"], "%s-%s" % (md["name"], h)) is not None:
            collision += 1
            h = wc.compute_hash(ds["spec"].get("template") or {}, collision)
        labels = dict(((ds["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {})
        labels[HASH_LABEL] = h
        wc.create_revision(mgr, ds, "%s-%s" % (md["name"], h), labels, data, nextrev, md.get("annotations"))
        return h, wc.revisions_of(mgr, md["namespace"], md["uid"])

    def _create_pod(self, mgr, ds, node_name, h):
        md = ds["metadata"]
        tmpl = util.deep_copy(ds["spec"].get("template") or {})
        tmd = tmpl.get("metadata") or {}
        labels = dict(tmd.get("labels") or {})
        labels[HASH_LABEL] = h
        labels[GEN_LABEL] = str(md.get("generation") or 1)
        spec = tmpl.get("spec") or {}
        spec["tolerations"] = daemon_tolerations(spec)
        _pin(spec, node_name)
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"generateName": md["name"] + "-", "namespace": md["namespace"], "labels": labels,
                            "ownerReferences": [wc.owner_ref(ds)]},
               "spec": spec}
        if tmd.get("annotations"):
            pod["metadata"]["annotations"] = dict(tmd["annotations"])
        try:
            out = mgr.api.create(mgr.ctx, REGISTRY.core("pods"), md["namespace"], pod)
        except errors.ApiError as e:
            mgr.record_event(ds, "Warning", "FailedCreate", "Error creating: %s" % e.message, COMPONENT)
            return
        mgr.record_event(ds, "Normal", "SuccessfulCreate", "Created pod: %s" % out["metadata"]["name"], COMPONENT)

    def _delete_pod(self, mgr, ds, pod):
        md = pod["metadata"]
        if md.get("deletionTimestamp"):
            return
        try:
            mgr.api.delete(mgr.ctx, REGISTRY.core("pods"), md["namespace"], md["name"],
                           {"preconditions": {"uid": md["uid"]}})
        except errors.ApiError:
            return
        mgr.record_event(ds, "Normal", "SuccessfulDelete", "Deleted pod: %s" % md["name"], COMPONENT)

    def sync(self, mgr, ns, name):
        e = mgr.store.get_entry("apps/daemonsets", ns, name)
        if e is None:
            return
        ds = util.deep_copy(e.obj)
        md = ds["metadata"]
        if md.get("deletionTimestamp"):
            return
        spec = ds.get("spec") or {}
        tmpl_spec = (spec.get("template") or {}).get("spec") or {}
        sel = selector_from_label_selector(spec.get("selector"))
        if sel is None or sel.empty():
            return
        h, revs = self._revision(mgr, ds)
        _, node_entries = mgr.store.list_entries("nodes")
        nodes = {n.name: n.obj for n in node_entries}
        by_node = {}
        orphans = []
        for p in wc.pods_of(mgr, ns, md["uid"]):
            n = pod_node(p)
            if n is None:
                orphans.append(p)
            else:
                by_node.setdefault(n, []).append(p)
        now = time.time()
        min_ready = spec.get("minReadySeconds")
        strategy = spec.get("updateStrategy") or {}
        rolling = strategy.get("type") == "RollingUpdate"
        desired_nodes = []
        for nname in sorted(nodes):
            run, keep = should_run(tmpl_spec, nodes[nname])
            pods = sorted(by_node.get(nname, []), key=lambda p: p["metadata"].get("creationTimestamp") or "")
            live = [p for p in pods if not wc.pod_deleting(p)]
            if run:
                desired_nodes.append(nname)
            if not run and not keep:
                for p in live:
                    self._delete_pod(mgr, ds, p)
                continue
            failed = [p for p in live if (p.get("status") or {}).get("phase") == "Failed"]
            for p in failed:
                mgr.record_event(ds, "Warning", "FailedDaemonPod", "Found failed daemon pod %s/%s on node %s, will "
                                 "try to kill it" % (ns, p["metadata"]["name"], nname), COMPONENT)
                self._delete_pod(mgr, ds, p)
            live = [p for p in live if p not in failed]
            if run and not live and not [p for p in pods if wc.pod_deleting(p)]:
                self._create_pod(mgr, ds, nname, h)
            elif len(live) > 1 and not (rolling and self._surge(strategy, len(desired_nodes))):
                # keep the oldest, prefer one at the current revision
                keep_pod = next((p for p in live if (p["metadata"].get("labels") or {}).get(HASH_LABEL) == h),
                                live[0])
                for p in live:
                    if p is not keep_pod:
                        self._delete_pod(mgr, ds, p)
        for nname, pods in by_node.items():
            if nname not in nodes:
                for p in pods:
                    self._delete_pod(mgr, ds, p)
        if rolling:
            self._rolling_update(mgr, ds, h, nodes, desired_nodes, now)
        self._status(mgr, ds, h, nodes, now)
        live_hashes = set()
        for p in wc.pods_of(mgr, ns, md["uid"]):
            live_hashes.add("%s-%s" % (md["name"], (p["metadata"].get("labels") or {}).get(HASH_LABEL)))
        live_hashes.add("%s-%s" % (md["name"], h))
        wc.truncate_history(mgr, wc.revisions_of(mgr, ns, md["uid"]), live_hashes, spec.get("revisionHistoryLimit"))
        if min_ready:
            mgr.after(1.0, lambda: self.dirty.add(mgr, ns, name, self.sync))

    @staticmethod
    def _surge(strategy, desired):
        ru = strategy.get("rollingUpdate") or {}
        return wc.scaled_value(ru.get("maxSurge"), desired, True) > 0

    def _rolling_update(self, mgr, ds, h, nodes, desired_nodes, now):
        md = ds["metadata"]
        spec = ds["spec"]
        ru = (spec.get("updateStrategy") or {}).get("rollingUpdate") or {}
        desired = len(desired_nodes)
        max_surge = wc.scaled_value(ru.get("maxSurge"), desired, True)
        max_unavail = wc.scaled_value(ru.get("maxUnavailable"), desired, True)
        min_ready = spec.get("minReadySeconds")
        by_node = {}
        for p in wc.pods_of(mgr, md["namespace"], md["uid"]):
            n = pod_node(p)
            if n in desired_nodes:
                by_node.setdefault(n, []).append(p)

        def is_new(p):
            return (p["metadata"].get("labels") or {}).get(HASH_LABEL) == h

        if max_surge == 0:
            unavailable = 0
            candidates_unavail, candidates_avail = [], []
            for n in desired_nodes:
                pods = [p for p in by_node.get(n, []) if not wc.pod_deleting(p)]
                deleting = [p for p in by_node.get(n, []) if wc.pod_deleting(p)]
                new = [p for p in pods if is_new(p)]
                old = [p for p in pods if not is_new(p)]
                avail = any(wc.pod_available(p, min_ready, now) for p in pods)
                if not pods or deleting or not avail:
                    unavailable += 1
                if old and not new:
                    if any(wc.pod_available(p, min_ready, now) for p in old):
                        candidates_avail.append(old[0])
                    else:
                        candidates_unavail.append(old[0])
            for p in candidates_unavail:
                self._delete_pod(mgr, ds, p)
            budget = max_unavail - unavailable
            for p in candidates_avail:
                if budget <= 0:
                    break
                self._delete_pod(mgr, ds, p)
                budget -= 1
            return
        # surge: start a new pod next to the old one, remove the old one once the new one is available
        surging = 0
        for n in desired_nodes:
            pods = [p for p in by_node.get(n, []) if not wc.pod_deleting(p)]
            if any(is_new(p) for p in pods) and any(not is_new(p) for p in pods):
                surging += 1
        for n in desired_nodes:
            pods = [p for p in by_node.get(n, []) if not wc.pod_deleting(p)]
            new = [p for p in pods if is_new(p)]
            old = [p for p in pods if not is_new(p)]
            if not old:
                continue
            if not new:
                if surging < max_surge or not any(wc.pod_available(p, min_ready, now) for p in old):
                    self._create_pod(mgr, ds, n, h)
                    surging += 1
            elif any(wc.pod_available(p, min_ready, now) for p in new):
                for p in old:
                    self._delete_pod(mgr, ds, p)

    def _status(self, mgr, ds, h, nodes, now):
        md = ds["metadata"]
        spec = ds["spec"]
        tmpl_spec = (spec.get("template") or {}).get("spec") or {}
        min_ready = spec.get("minReadySeconds")
        by_node = {}
        for p in wc.pods_of(mgr, md["namespace"], md["uid"]):
            if wc.pod_deleting(p):
                continue
            n = pod_node(p)
            if n is not None:
                by_node.setdefault(n, []).append(p)
        desired = current = mis = ready = updated = available = 0
        for nname, node in nodes.items():
            run, _ = should_run(tmpl_spec, node)
            pods = by_node.get(nname, [])
            if run:
                desired += 1
                if pods:
                    current += 1
                    # the oldest pod of the node speaks for it (podByCreationTimestampAndPhase)
                    pods = sorted(pods, key=lambda x: (not (x.get("spec") or {}).get("nodeName"),
                                                       x["metadata"].get("creationTimestamp") or "",
                                                       x["metadata"].get("name")))
                    p = pods[0]
                    if (p["metadata"].get("labels") or {}).get(HASH_LABEL) == h:
                        updated += 1
                    if wc.pod_ready(p):
                        ready += 1
                        if wc.pod_available(p, min_ready, now):
                            available += 1
            elif pods:
                mis += 1
        st = {"currentNumberScheduled": current, "numberMisscheduled": mis, "desiredNumberScheduled": desired,
              "numberReady": ready, "observedGeneration": md.get("generation"), "updatedNumberScheduled": updated,
              "numberAvailable": available, "numberUnavailable": desired - available}
        for k in ("updatedNumberScheduled", "numberAvailable", "numberUnavailable"):
            if not st[k]:
                del st[k]
        cc = (ds.get("status") or {}).get("collisionCount")
        if cc:
            st["collisionCount"] = cc
        if st != (ds.get("status") or {}):
            def fn(o):
                if o["metadata"].get("uid") != md["uid"]:
                    return None
                o["status"] = st
                return o
            mgr.api.mutate(mgr.ctx, DS, md["namespace"], md["name"], fn, subresource="status")
