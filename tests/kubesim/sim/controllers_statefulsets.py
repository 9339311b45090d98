"""apps/v1 StatefulSets: defaulting, validation and the StatefulSet controller (1.32).

Pods `<name>-<ordinal>` with hostname/subdomain, the labels `statefulset.kubernetes.io/pod-name`,
`apps.kubernetes.io/pod-index` and `controller-revision-hash: <revision name>`; OrderedReady (one pod
at a time, the next only when all lower ordinals are Running and Ready; scale-down from the highest
ordinal, one at a time) and Parallel management; volumeClaimTemplates -> PVCs `<claim>-<name>-<ordinal>`
(left Pending; whenDeleted: Delete gives them an owner reference to the set); ControllerRevisions whose
data is a strategic-merge patch replacing spec.template, numbered, re-used (renumbered) when a template
comes back (rollout undo), pruned beyond revisionHistoryLimit; RollingUpdate (highest ordinal first,
down to the partition) and OnDelete; status and events as the statefulset-controller reports them.
Not simulated: maxUnavailable (alpha in 1.32), spec.ordinals other than start, whenScaled: Delete.
"""

import time

from . import controllers, errors, util
from .errors import FieldError
from .resources import REGISTRY
from . import ext_workload_common as wc

STS = REGISTRY.get("apps", "v1", "statefulsets")
COMPONENT = "statefulset-controller"
POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
REV_LABEL = "controller-revision-hash"
CR_HASH_LABEL = "controller.kubernetes.io/hash"

# ---- defaulting / validation ---------------------------------------------------------------------------


def _defaults(obj):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    spec.setdefault("podManagementPolicy", "OrderedReady")
    us = spec.get("updateStrategy")
    if not isinstance(us, dict) or not us.get("type"):
        us = spec["updateStrategy"] = dict(us or {}, type="RollingUpdate")
    if us.get("type") == "RollingUpdate":
        ru = us.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = us["rollingUpdate"] = {}
        ru.setdefault("partition", 0)
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    pr = spec.get("persistentVolumeClaimRetentionPolicy")
    if not isinstance(pr, dict):
        pr = spec["persistentVolumeClaimRetentionPolicy"] = {}
    pr.setdefault("whenDeleted", "Retain")
    pr.setdefault("whenScaled", "Retain")
    tmpl = spec.get("template")
    if isinstance(tmpl, dict):
        wc.default_pod_template(tmpl)
    for vct in spec.get("volumeClaimTemplates") or []:
        if not isinstance(vct, dict):
            continue
        vct.setdefault("apiVersion", "v1")
        vct.setdefault("kind", "PersistentVolumeClaim")
        vmd = vct.get("metadata")
        if not isinstance(vmd, dict):
            vmd = vct["metadata"] = {}
        vmd.setdefault("creationTimestamp", None)
        vspec = vct.get("spec")
        if isinstance(vspec, dict):
            vspec.setdefault("volumeMode", "Filesystem")
        vct.setdefault("status", {"phase": "Pending"})


_CHECKS = [("spec", "StatefulSet", "v1.StatefulSetSpec"), ("spec.replicas", "StatefulSetSpec", "int32"),
           ("spec.serviceName", "StatefulSetSpec", "string"),
           ("spec.podManagementPolicy", "StatefulSetSpec", "v1.PodManagementPolicyType"),
           ("spec.updateStrategy", "StatefulSetSpec", "v1.StatefulSetUpdateStrategy"),
           ("spec.updateStrategy.type", "StatefulSetUpdateStrategy", "v1.StatefulSetUpdateStrategyType"),
           ("spec.updateStrategy.rollingUpdate", "StatefulSetUpdateStrategy", "v1.RollingUpdateStatefulSetStrategy"),
           ("spec.updateStrategy.rollingUpdate.partition", "RollingUpdateStatefulSetStrategy", "int32"),
           ("spec.revisionHistoryLimit", "StatefulSetSpec", "int32"), ("spec.minReadySeconds", "StatefulSetSpec", "int32"),
           ("spec.persistentVolumeClaimRetentionPolicy", "StatefulSetSpec",
            "v1.StatefulSetPersistentVolumeClaimRetentionPolicy"),
           ("spec.ordinals", "StatefulSetSpec", "v1.StatefulSetOrdinals"),
           ("spec.template", "StatefulSetSpec", "v1.PodTemplateSpec"),
           ("spec.volumeClaimTemplates", "StatefulSetSpec", "[]v1.PersistentVolumeClaim"),
           ("spec.volumeClaimTemplates[]", "StatefulSetSpec", "v1.PersistentVolumeClaim"),
           ("spec.volumeClaimTemplates[].metadata", "PersistentVolumeClaim", "v1.ObjectMeta"),
           ("spec.volumeClaimTemplates[].spec", "PersistentVolumeClaim", "v1.PersistentVolumeClaimSpec")] + \
    wc.selector_checks("spec.selector", "StatefulSetSpec") + wc.template_checks("spec.template")


def _create(ctx, obj):
    wc.check_types(obj, "StatefulSet", "v1", _CHECKS)
    _defaults(obj)
    if not ctx.internal and not ctx.load:
        obj["status"] = {"replicas": 0, "availableReplicas": 0}


def _update(ctx, new, old):
    wc.check_types(new, "StatefulSet", "v1", _CHECKS)
    _defaults(new)


def _validate(ctx, obj, old):
    errs = []
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec.selector")]
    wc.nonneg(spec, "replicas", "spec.replicas", errs)
    wc.nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    pmp = spec.get("podManagementPolicy")
    if pmp not in ("OrderedReady", "Parallel"):
        errs.append(FieldError("NotSupported", "spec.podManagementPolicy", value=pmp,
                               supported=["OrderedReady", "Parallel"]))
    ut = (spec.get("updateStrategy") or {}).get("type")
    if ut not in ("RollingUpdate", "OnDelete"):
        errs.append(FieldError("NotSupported", "spec.updateStrategy.type", value=ut,
                               supported=["OnDelete", "RollingUpdate"]))
    part = ((spec.get("updateStrategy") or {}).get("rollingUpdate") or {})
    wc.nonneg(part, "partition", "spec.updateStrategy.rollingUpdate.partition", errs)
    sel = spec.get("selector")
    if not sel:
        errs.append(FieldError("Required", "spec.selector"))
    elif not (sel.get("matchLabels") or sel.get("matchExpressions")):
        errs.append(wc._RawFieldError("spec.selector", "v1.LabelSelector{MatchLabels:map[string]string(nil), "
                                      "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}",
                                      "empty selector is invalid for statefulset"))
    errs += wc.validate_template(spec.get("template"), "spec.template", sel,
                                 restart_policies=["Always"])
    if old is not None and not ctx.internal:
        ospec = old.get("spec") or {}
        frozen = {k: v for k, v in spec.items() if k not in _MUTABLE}
        ofrozen = {k: v for k, v in ospec.items() if k not in _MUTABLE}
        if frozen != ofrozen:
            errs.append(FieldError("Forbidden", "spec", "updates to statefulset spec for fields other than "
                                   "'replicas', 'ordinals', 'template', 'updateStrategy', "
                                   "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
    return errs


_MUTABLE = ("replicas", "ordinals", "template", "updateStrategy", "persistentVolumeClaimRetentionPolicy",
            "minReadySeconds", "revisionHistoryLimit")

STS.add_hook("prepare_create", _create)
STS.add_hook("prepare_update", _update)
STS.add_hook("validate", _validate)


# ---- helpers ------------------------------------------------------------------------------------------


def ordinal_of(set_name, pod):
    name = pod["metadata"].get("name") or ""
    prefix = set_name + "-"
    if not name.startswith(prefix):
        return None
    rest = name[len(prefix):]
    if not rest.isdigit() or (len(rest) > 1 and rest[0] == "0"):
        return None
    return int(rest)


def claim_name(claim, set_name, ordinal):
    return "%s-%s-%d" % (claim, set_name, ordinal)


def revision_name(set_name, data, collision):
    return "%s-%s" % (set_name, wc.compute_hash(data, collision))


def pod_revision(pod):
    return ((pod.get("metadata") or {}).get("labels") or {}).get(REV_LABEL)


# ---- controller ---------------------------------------------------------------------------------------


@controllers.register
class StatefulSetController(controllers.Controller):
    name = "statefulset"
    watches = ("apps/statefulsets", "pods", "apps/controllerrevisions")
    interval = 30.0     # a safety resync; changes arrive as events

    def setup(self, mgr):
        self.dirty = wc.Dirty()

    def on_event(self, mgr, ev):
        if ev.key == "apps/statefulsets":
            if ev.type != "DELETED":
                self.dirty.add(mgr, ev.ns, ev.name, self.sync)
            return
        ref = wc.controller_of(ev.entry.obj)
        if ref is not None and ref.get("kind") == "StatefulSet":
            self.dirty.add(mgr, ev.ns, ref.get("name"), self.sync)

    def tick(self, mgr, now):
        _, sets = mgr.store.list_entries("apps/statefulsets")
        for e in sets:
            self.dirty.add(mgr, e.ns, e.name, self.sync)

    # -- revisions --

    def _revisions(self, mgr, sts):
        """(current revision obj, update revision obj, all revisions), creating/renumbering as needed."""
        md = sts["metadata"]
        uid = md["uid"]
        revs = wc.revisions_of(mgr, md["namespace"], uid)
        data = wc.template_patch(sts)
        collision = int((sts.get("status") or {}).get("collisionCount") or 0)
        match = [r for r in revs if r.get("data") == data]
        nextrev = wc.next_revision(revs)
        if match:
            update = match[-1]
            if int(update.get("revision") or 0) != nextrev - 1:
                update = wc.bump_revision(mgr, update, nextrev)
        else:
            name = revision_name(md["name"], data, collision)
            while mgr.store.get_entry(wc.CR_KEY, md["namespace"], name) is not None:
                collision += 1
                name = revision_name(md["name"], data, collision)
            labels = dict(((sts["spec"].get("template") or {}).get("metadata") or {}).get("labels") or {})
            labels[CR_HASH_LABEL] = name[len(md["name"]) + 1:]
            update = wc.create_revision(mgr, sts, name, labels, data, nextrev, md.get("annotations"))
            if update is None:
                return None, None, revs
        revs = wc.revisions_of(mgr, md["namespace"], uid)
        cur_name = (sts.get("status") or {}).get("currentRevision")
        current = next((r for r in revs if r["metadata"]["name"] == cur_name), None) or update
        return current, update, revs

    @staticmethod
    def _template_of(rev, sts):
        tmpl = util.deep_copy(((rev.get("data") or {}).get("spec") or {}).get("template") or {})
        tmpl.pop("$patch", None)
        return tmpl or util.deep_copy(sts["spec"].get("template") or {})

    # -- pods and claims --

    def _new_pod(self, sts, rev, ordinal):
        md = sts["metadata"]
        tmpl = self._template_of(rev, sts)
        tmd = tmpl.get("metadata") or {}
        name = "%s-%d" % (md["name"], ordinal)
        labels = dict(tmd.get("labels") or {})
        labels[POD_NAME_LABEL] = name
        labels[POD_INDEX_LABEL] = str(ordinal)
        labels[REV_LABEL] = rev["metadata"]["name"]
        spec = tmpl.get("spec") or {}
        spec["hostname"] = name
        if sts["spec"].get("serviceName"):
            spec["subdomain"] = sts["spec"]["serviceName"]
        claims = sts["spec"].get("volumeClaimTemplates") or []
        if claims:
            vols = [v for v in spec.get("volumes") or [] if v.get("name") not in
                    set((c.get("metadata") or {}).get("name") for c in claims)]
            for c in claims:
                cname = (c.get("metadata") or {}).get("name")
                vols.append({"name": cname, "persistentVolumeClaim": {
                    "claimName": claim_name(cname, md["name"], ordinal)}})
            spec["volumes"] = vols
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"name": name, "namespace": md["namespace"], "labels": labels,
                            "ownerReferences": [wc.owner_ref(sts)]},
               "spec": spec}
        if tmd.get("annotations"):
            pod["metadata"]["annotations"] = dict(tmd["annotations"])
        return pod

    def _ensure_claims(self, mgr, sts, ordinal):
        md = sts["metadata"]
        pvcs = REGISTRY.core("persistentvolumeclaims")
        sel_labels = (sts["spec"].get("selector") or {}).get("matchLabels") or {}
        policy = sts["spec"].get("persistentVolumeClaimRetentionPolicy") or {}
        for c in sts["spec"].get("volumeClaimTemplates") or []:
            cname = (c.get("metadata") or {}).get("name")
            name = claim_name(cname, md["name"], ordinal)
            if mgr.store.get_entry("persistentvolumeclaims", md["namespace"], name) is not None:
                continue
            cmd = c.get("metadata") or {}
            labels = dict(cmd.get("labels") or {})
            labels.update(sel_labels)
            claim = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
                     "metadata": {"name": name, "namespace": md["namespace"], "labels": labels},
                     "spec": util.deep_copy(c.get("spec") or {}), "status": {"phase": "Pending"}}
            if cmd.get("annotations"):
                claim["metadata"]["annotations"] = dict(cmd["annotations"])
            if policy.get("whenDeleted") == "Delete":
                claim["metadata"]["ownerReferences"] = [wc.owner_ref(sts, block=True)]
                claim["metadata"]["ownerReferences"][0]["controller"] = True
            pod_name = "%s-%d" % (md["name"], ordinal)
            try:
                mgr.api.create(mgr.ctx, pvcs, md["namespace"], claim)
            except errors.ApiError as e:
                mgr.record_event(sts, "Warning", "FailedCreate", "create Claim %s for Pod %s in StatefulSet %s "
                                 "failed error: %s" % (name, pod_name, md["name"], e.message), COMPONENT)
                return False
            mgr.record_event(sts, "Normal", "SuccessfulCreate", "create Claim %s Pod %s in StatefulSet %s success"
                             % (name, pod_name, md["name"]), COMPONENT)
        return True

    def _create_pod(self, mgr, sts, rev, ordinal):
        if not self._ensure_claims(mgr, sts, ordinal):
            return
        pod = self._new_pod(sts, rev, ordinal)
        md = sts["metadata"]
        try:
            mgr.api.create(mgr.ctx, REGISTRY.core("pods"), md["namespace"], pod)
        except errors.ApiError as e:
            if e.code != 409:
                mgr.record_event(sts, "Warning", "FailedCreate", "create Pod %s in StatefulSet %s failed error: %s"
                                 % (pod["metadata"]["name"], md["name"], e.message), COMPONENT)
            return
        mgr.record_event(sts, "Normal", "SuccessfulCreate", "create Pod %s in StatefulSet %s successful"
                         % (pod["metadata"]["name"], md["name"]), COMPONENT)

    def _delete_pod(self, mgr, sts, pod):
        md = pod["metadata"]
        if md.get("deletionTimestamp"):
            return
        try:
            mgr.api.delete(mgr.ctx, REGISTRY.core("pods"), md["namespace"], md["name"],
                           {"preconditions": {"uid": md["uid"]}})
        except errors.ApiError:
            return
        mgr.record_event(sts, "Normal", "SuccessfulDelete", "delete Pod %s in StatefulSet %s successful"
                         % (md["name"], sts["metadata"]["name"]), COMPONENT)

    # -- sync --

    def sync(self, mgr, ns, name):
        e = mgr.store.get_entry("apps/statefulsets", ns, name)
        if e is None:
            return
        sts = util.deep_copy(e.obj)
        md = sts["metadata"]
        if md.get("deletionTimestamp"):
            return
        spec = sts.get("spec") or {}
        current, update, revs = self._revisions(mgr, sts)
        if update is None:
            return
        replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
        start = int((spec.get("ordinals") or {}).get("start") or 0)
        parallel = spec.get("podManagementPolicy") == "Parallel"
        strategy = (spec.get("updateStrategy") or {})
        rolling = strategy.get("type") == "RollingUpdate"
        partition = int((strategy.get("rollingUpdate") or {}).get("partition") or 0)
        pods = {}
        for p in wc.pods_of(mgr, ns, md["uid"]):
            o = ordinal_of(md["name"], p)
            if o is not None:
                pods[o] = p
        wanted = range(start, start + replicas)
        blocked = False
        # failed pods are deleted and recreated
        for o in sorted(pods):
            p = pods[o]
            if wc.pod_terminal(p) and not wc.pod_deleting(p):
                mgr.record_event(sts, "Warning", "RecreatingFailedPod", "StatefulSet %s/%s is recreating failed "
                                 "Pod %s" % (ns, md["name"], p["metadata"]["name"]), COMPONENT)
                self._delete_pod(mgr, sts, p)
                blocked = True
        # create missing pods in ordinal order
        for o in wanted:
            p = pods.get(o)
            if p is None:
                rev = current if (rolling and o - start < partition) else update
                self._create_pod(mgr, sts, rev, o)
                if not parallel:
                    blocked = True
                    break
                continue
            if not parallel and (wc.pod_deleting(p) or not wc.pod_running_ready(p)):
                blocked = True
                break
        # scale down: highest ordinal first
        condemned = sorted((o for o in pods if o not in wanted), reverse=True)
        if condemned and (parallel or not blocked):
            for o in condemned:
                p = pods[o]
                if wc.pod_deleting(p):
                    if not parallel:
                        break
                    continue
                self._delete_pod(mgr, sts, p)
                if not parallel:
                    break
            blocked = True
        # rolling update: from the highest ordinal down to the partition, one pod at a time
        if rolling and not blocked:
            healthy = all(o in pods and wc.pod_running_ready(pods[o]) and not wc.pod_deleting(pods[o])
                          for o in wanted)
            if healthy:
                for o in sorted(wanted, reverse=True):
                    if o - start < partition:
                        break
                    if pod_revision(pods[o]) != update["metadata"]["name"]:
                        self._delete_pod(mgr, sts, pods[o])
                        break
        self._status(mgr, sts, current, update, revs)

    def _status(self, mgr, sts, current, update, revs):
        md = sts["metadata"]
        ns = md["namespace"]
        spec = sts.get("spec") or {}
        replicas = int(spec.get("replicas") if spec.get("replicas") is not None else 1)
        now = time.time()
        pods = [p for p in wc.pods_of(mgr, ns, md["uid"]) if ordinal_of(md["name"], p) is not None]
        live = [p for p in pods if not wc.pod_deleting(p)]
        ready = [p for p in live if wc.pod_running_ready(p)]
        avail = [p for p in ready if wc.pod_available(p, spec.get("minReadySeconds"), now)]
        cur_name, upd_name = current["metadata"]["name"], update["metadata"]["name"]
        st = {"observedGeneration": md.get("generation"), "replicas": len(live),
              "readyReplicas": len(ready), "availableReplicas": len(avail),
              "currentReplicas": sum(1 for p in live if pod_revision(p) == cur_name),
              "updatedReplicas": sum(1 for p in live if pod_revision(p) == upd_name),
              "currentRevision": cur_name, "updateRevision": upd_name,
              "collisionCount": int((sts.get("status") or {}).get("collisionCount") or 0)}
        # a finished rollout makes the update revision the current one
        if st["updatedReplicas"] == replicas and st["readyReplicas"] == replicas and len(live) == replicas:
            st["currentRevision"] = upd_name
            st["currentReplicas"] = st["updatedReplicas"]
        for k in ("readyReplicas", "currentReplicas", "updatedReplicas"):
            if not st[k]:
                del st[k]
        old = sts.get("status") or {}
        if st != old:
            def fn(o):
                if o["metadata"].get("uid") != md["uid"]:
                    return None
                o["status"] = st
                return o
            mgr.api.mutate(mgr.ctx, STS, ns, md["name"], fn, subresource="status")
        live_names = {st["currentRevision"], upd_name} | set(pod_revision(p) for p in pods)
        wc.truncate_history(mgr, wc.revisions_of(mgr, ns, md["uid"]), live_names, spec.get("revisionHistoryLimit"))
        if any(not wc.pod_available(p, spec.get("minReadySeconds"), now) for p in ready):
            mgr.after(1.0, lambda: self.dirty.add(mgr, ns, md["name"], self.sync))
