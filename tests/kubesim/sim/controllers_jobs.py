"""batch/v1 Jobs: the apiserver's defaulting and validation, the Job controller, and the TTL-after-finished
controller, as in Kubernetes 1.32.

Defaulting: completions/parallelism 1 when both unset, backoffLimit 6, completionMode NonIndexed, suspend
false, podReplacementPolicy TerminatingOrFailed; a generated selector `batch.kubernetes.io/controller-uid`
and the four job labels on the template (and on the Job when it has none). The template's restartPolicy
is not defaulted: it must be OnFailure or Never.

Controller: pods named `<job>-<random>` (Indexed: `<job>-<index>-<random>`, hostname `<job>-<index>`,
completion index annotation, label and JOB_COMPLETION_INDEX), the `batch.kubernetes.io/job-tracking`
finalizer removed once a finished pod is counted, parallelism/completions, exponential re-creation back-off
after failures (10 s doubling, 6 min cap), backoffLimit (restart counts too for OnFailure),
activeDeadlineSeconds, suspend/resume, the 1.32 condition sequence (SuccessCriteriaMet then Complete,
FailureTarget then Failed, Suspended), status counters and events. Not simulated: podFailurePolicy,
successPolicy, backoffLimitPerIndex, managedBy (accepted and stored, ignored by the controller);
status.uncountedTerminatedPods stays empty because counting and finalizer removal are done in one step.
"""

import time

from . import controllers, errors, util
from .errors import FieldError
from .resources import REGISTRY
from . import ext_workload_common as wc

JOBS = REGISTRY.get("batch", "v1", "jobs")
COMPONENT = "job-controller"
FINALIZER = "batch.kubernetes.io/job-tracking"
INDEX_KEY = "batch.kubernetes.io/job-completion-index"
UID_LABEL = "batch.kubernetes.io/controller-uid"
NAME_LABEL = "batch.kubernetes.io/job-name"
LEGACY_UID_LABEL = "controller-uid"
LEGACY_NAME_LABEL = "job-name"
BACKOFF_BASE = 10.0
BACKOFF_MAX = 360.0

MSG_BACKOFF = "Job has reached the specified backoff limit"
MSG_DEADLINE = "Job was active longer than specified deadline"
MSG_COMPLETE = "Reached expected number of succeeded pods"

# ---- defaulting / validation -------------------------------------------------------------------------


def default_job_spec(spec):
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
        spec["parallelism"] = 1
    spec.setdefault("parallelism", 1)
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2147483647 if spec.get("backoffLimitPerIndex") is not None else 6
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    if spec.get("podReplacementPolicy") is None:
        spec["podReplacementPolicy"] = "Failed" if spec.get("podFailurePolicy") else "TerminatingOrFailed"


_CHECKS = [("spec", "Job", "v1.JobSpec")] + [("spec." + k, "JobSpec", t) for k, t in (
    ("parallelism", "int32"), ("completions", "int32"), ("activeDeadlineSeconds", "int64"),
    ("backoffLimit", "int32"), ("ttlSecondsAfterFinished", "int32"), ("completionMode", "v1.CompletionMode"),
    ("suspend", "bool"), ("manualSelector", "bool"), ("podReplacementPolicy", "v1.PodReplacementPolicy"),
    ("selector", "v1.LabelSelector"), ("template", "v1.PodTemplateSpec"), ("backoffLimitPerIndex", "int32"),
    ("maxFailedIndexes", "int32"), ("podFailurePolicy", "v1.PodFailurePolicy"), ("managedBy", "string"))] + \
    wc.selector_checks("spec.selector")[1:] + wc.template_checks("spec.template")


def _job_create(ctx, obj):
    wc.check_types(obj, "Job", "v1", _CHECKS)
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    default_job_spec(spec)
    tmpl = spec.get("template")
    if isinstance(tmpl, dict):
        wc.default_pod_template(tmpl, restart_policy=False)
    md = obj["metadata"]
    if not spec.get("manualSelector") and isinstance(tmpl, dict):
        uid = md.get("uid")
        tmd = tmpl.setdefault("metadata", {})
        labels = tmd.get("labels")
        if not isinstance(labels, dict):
            labels = tmd["labels"] = {}
        if not spec.get("selector"):
            spec["selector"] = {"matchLabels": {UID_LABEL: uid}}
        labels[UID_LABEL] = uid
        labels[NAME_LABEL] = md.get("name") or ""
        labels[LEGACY_UID_LABEL] = uid
        labels[LEGACY_NAME_LABEL] = md.get("name") or ""
    if not md.get("labels") and isinstance(tmpl, dict) and (tmpl.get("metadata") or {}).get("labels"):
        md["labels"] = dict(tmpl["metadata"]["labels"])
    if ctx.internal or ctx.load:
        return
    obj["status"] = {}


def _job_update(ctx, new, old):
    wc.check_types(new, "Job", "v1", _CHECKS)
    spec, ospec = new.get("spec"), old.get("spec") or {}
    if not isinstance(spec, dict):
        return
    default_job_spec(spec)
    tmpl = spec.get("template")
    if isinstance(tmpl, dict):
        wc.default_pod_template(tmpl, restart_policy=False)
    if not spec.get("selector") and ospec.get("selector"):
        spec["selector"] = ospec["selector"]


_IMMUTABLE = ("completions", "selector", "completionMode", "podFailurePolicy", "backoffLimitPerIndex",
              "managedBy", "successPolicy")


def _job_validate(ctx, obj, old):
    errs = []
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec")]
    for k in ("parallelism", "completions", "backoffLimit", "ttlSecondsAfterFinished"):
        wc.nonneg(spec, k, "spec." + k, errs)
    ads = spec.get("activeDeadlineSeconds")
    if ads is not None and (not isinstance(ads, int) or isinstance(ads, bool) or ads <= 0):
        errs.append(FieldError("Invalid", "spec.activeDeadlineSeconds", "must be greater than 0", ads))
    mode = spec.get("completionMode")
    if mode not in ("NonIndexed", "Indexed"):
        errs.append(FieldError("NotSupported", "spec.completionMode", value=mode,
                               supported=["NonIndexed", "Indexed"]))
    elif mode == "Indexed" and spec.get("completions") is None:
        errs.append(FieldError("Required", "spec.completions", "when completion mode is Indexed"))
    rpp = spec.get("podReplacementPolicy")
    if rpp not in ("TerminatingOrFailed", "Failed"):
        errs.append(FieldError("NotSupported", "spec.podReplacementPolicy", value=rpp,
                               supported=["Failed", "TerminatingOrFailed"]))
    if not spec.get("selector"):
        errs.append(FieldError("Required", "spec.selector"))
    errs += wc.validate_template(spec.get("template"), "spec.template", spec.get("selector"),
                                 restart_policies=["OnFailure", "Never"],
                                 required_restart='valid values: "OnFailure", "Never"')
    if old is not None and not ctx.internal:
        ospec = old.get("spec") or {}
        for k in _IMMUTABLE:
            if spec.get(k) != ospec.get(k) and not (k == "completions" and mode == "Indexed" and
                                                     spec.get("parallelism") == spec.get("completions")):
                errs.append(FieldError("Invalid", "spec." + k, "field is immutable", spec.get(k)))
        if spec.get("template") != ospec.get("template") and not (ospec.get("suspend") and
                                                                  _never_started(old)):
            errs.append(wc._RawFieldError("spec.template", "core.PodTemplateSpec{...}", "field is immutable"))
    return errs


def _never_started(job):
    return not (job.get("status") or {}).get("startTime")


JOBS.add_hook("prepare_create", _job_create)
JOBS.add_hook("prepare_update", _job_update)
JOBS.add_hook("validate", _job_validate)

# ---- helpers ------------------------------------------------------------------------------------------


def condition(job, ctype):
    for c in (job.get("status") or {}).get("conditions") or []:
        if c.get("type") == ctype:
            return c
    return None


def cond_true(job, ctype):
    c = condition(job, ctype)
    return c is not None and c.get("status") == "True"


def is_finished(job):
    return cond_true(job, "Complete") or cond_true(job, "Failed")


def set_condition(status, ctype, cstatus, reason, message, now):
    ts = util.rfc3339(now)
    conds = status.setdefault("conditions", [])
    for c in conds:
        if c.get("type") == ctype:
            if c.get("status") != cstatus:
                c["lastTransitionTime"] = ts
            c["status"] = cstatus
            c["lastProbeTime"] = ts
            c["reason"] = reason
            c["message"] = message
            return
    conds.append({"type": ctype, "status": cstatus, "lastProbeTime": ts, "lastTransitionTime": ts,
                  "reason": reason, "message": message})


def format_indexes(indexes):
    """Sorted ints as the compressed interval list of status.completedIndexes ("1,3-5,7")."""
    out = []
    xs = sorted(set(indexes))
    i = 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[j] + 1:
            j += 1
        out.append(str(xs[i]) if i == j else "%d-%d" % (xs[i], xs[j]))
        i = j + 1
    return ",".join(out)


def parse_indexes(text):
    out = set()
    for part in (text or "").split(","):
        part = part.strip()
        if not part:
            continue
        a, _, b = part.partition("-")
        try:
            lo, hi = int(a), int(b or a)
        except ValueError:
            continue
        out.update(range(lo, hi + 1))
    return out


def pod_index(pod):
    md = pod.get("metadata") or {}
    v = (md.get("annotations") or {}).get(INDEX_KEY) or (md.get("labels") or {}).get(INDEX_KEY)
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _restarts(pod):
    st = pod.get("status") or {}
    return sum(int(cs.get("restartCount") or 0) for cs in
               (st.get("containerStatuses") or []) + (st.get("initContainerStatuses") or []))


def _finished_at(pod):
    best = None
    for cs in (pod.get("status") or {}).get("containerStatuses") or []:
        t = util.parse_time(((cs.get("state") or {}).get("terminated") or {}).get("finishedAt"))
        if t is not None and (best is None or t > best):
            best = t
    return best


# ---- controller ----------------------------------------------------------------------------------------


@controllers.register
class JobController(controllers.Controller):
    name = "job"
    watches = ("batch/jobs", "pods")
    interval = 30.0     # a safety resync: deadlines, back-offs and TTLs schedule their own wake-ups

    def setup(self, mgr):
        self.dirty = wc.Dirty()
        self.last_failure = {}     # job uid -> time of the latest counted failure
        self.deleted_by_us = set()  # pod uids the controller deleted itself (not failures)
        self.timers = set()

    def on_event(self, mgr, ev):
        obj = ev.entry.obj
        if ev.key == "batch/jobs":
            if ev.type == "DELETED":
                self.last_failure.pop((obj.get("metadata") or {}).get("uid"), None)
                return
            self.dirty.add(mgr, ev.ns, ev.name, self.sync)
            return
        ref = wc.controller_of(obj)
        tracked = FINALIZER in ((obj.get("metadata") or {}).get("finalizers") or []) and ev.type != "DELETED"
        if ref is not None and ref.get("kind") == "Job" and (ref.get("apiVersion") or "").startswith("batch/"):
            je = mgr.store.get_entry("batch/jobs", ev.ns, ref.get("name"))
            if je is not None and (je.obj.get("metadata") or {}).get("uid") == ref.get("uid"):
                self.dirty.add(mgr, ev.ns, ref.get("name"), self.sync)
                return
        if tracked:
            self._drop_finalizer(mgr, obj)     # an orphan (its job is gone): release it

    def tick(self, mgr, now):
        _, jobs = mgr.store.list_entries("batch/jobs")
        for e in jobs:
            st = e.obj.get("status") or {}
            if not is_finished(e.obj) or (e.obj.get("spec") or {}).get("ttlSecondsAfterFinished") is not None:
                self.dirty.add(mgr, e.ns, e.name, self.sync)
            elif st.get("active") or st.get("terminating"):
                self.dirty.add(mgr, e.ns, e.name, self.sync)

    def _later(self, mgr, ns, name, delay):
        key = (ns, name, round(time.time() + delay, 1))
        if key in self.timers:
            return
        self.timers.add(key)

        def fire():
            self.timers.discard(key)
            self.sync(mgr, ns, name)
        mgr.after(max(0.0, delay), fire)

    # -- pods --

    def _drop_finalizer(self, mgr, pod):
        md = pod["metadata"]

        def fn(p):
            fins = p["metadata"].get("finalizers") or []
            if FINALIZER not in fins:
                return None
            p["metadata"]["finalizers"] = [f for f in fins if f != FINALIZER]
            if not p["metadata"]["finalizers"]:
                del p["metadata"]["finalizers"]
            return p
        mgr.api.mutate(mgr.ctx, REGISTRY.core("pods"), md.get("namespace"), md.get("name"), fn)

    def _delete_pod(self, mgr, job, pod):
        md = pod["metadata"]
        if md.get("deletionTimestamp"):
            return
        self.deleted_by_us.add(md.get("uid"))
        try:
            mgr.api.delete(mgr.ctx, REGISTRY.core("pods"), md["namespace"], md["name"],
                           {"propagationPolicy": "Background"})
        except errors.ApiError:
            return
        mgr.record_event(job, "Normal", "SuccessfulDelete", "Deleted pod: %s" % md["name"], COMPONENT)

    def _create_pod(self, mgr, job, index=None):
        md = job["metadata"]
        tmpl = util.deep_copy((job.get("spec") or {}).get("template") or {})
        tmd = tmpl.get("metadata") or {}
        labels = dict(tmd.get("labels") or {})
        ann = dict(tmd.get("annotations") or {})
        spec = tmpl.get("spec") or {}
        gen = md["name"] + "-"
        if index is not None:
            ann[INDEX_KEY] = str(index)
            labels[INDEX_KEY] = str(index)
            gen = "%s-%d-" % (md["name"], index)
            if not spec.get("hostname"):
                spec["hostname"] = "%s-%d" % (md["name"], index)
            for key in ("containers", "initContainers"):
                for c in spec.get(key) or []:
                    env = [e for e in c.get("env") or [] if e.get("name") != "JOB_COMPLETION_INDEX"]
                    env.append({"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
                        "apiVersion": "v1", "fieldPath": "metadata.annotations['%s']" % INDEX_KEY}}})
                    c["env"] = env
        pod = {"apiVersion": "v1", "kind": "Pod",
               "metadata": {"generateName": gen, "namespace": md["namespace"], "labels": labels,
                            "finalizers": [FINALIZER], "ownerReferences": [wc.owner_ref(job)]},
               "spec": spec}
        if ann:
            pod["metadata"]["annotations"] = ann
        try:
            out = mgr.api.create(mgr.ctx, REGISTRY.core("pods"), md["namespace"], pod)
        except errors.ApiError as e:
            mgr.record_event(job, "Warning", "FailedCreate", "Error creating: %s" % e.message, COMPONENT)
            return None
        mgr.record_event(job, "Normal", "SuccessfulCreate", "Created pod: %s" % out["metadata"]["name"],
                         COMPONENT)
        return out

    # -- sync --

    def sync(self, mgr, ns, name):
        e = mgr.store.get_entry("batch/jobs", ns, name)
        if e is None:
            return
        job = util.deep_copy(e.obj)
        md = job["metadata"]
        spec = job.get("spec") or {}
        uid = md.get("uid")
        pods = wc.pods_of(mgr, ns, uid)
        now = time.time()
        if is_finished(job):
            for p in pods:
                if FINALIZER in (p["metadata"].get("finalizers") or []) and \
                        (wc.pod_terminal(p) or wc.pod_deleting(p)):
                    self._drop_finalizer(mgr, p)
                elif wc.pod_active(p):
                    self._delete_pod(mgr, job, p)
            self._ttl(mgr, job, now)
            return
        if md.get("deletionTimestamp"):
            for p in pods:
                if FINALIZER in (p["metadata"].get("finalizers") or []):
                    self._drop_finalizer(mgr, p)
            return
        old_status = util.deep_copy(job.get("status") or {})
        st = job.setdefault("status", {})
        indexed = spec.get("completionMode") == "Indexed"
        completions = spec.get("completions")
        parallelism = int(spec.get("parallelism") or 0)
        # 1. count pods that finished (or went away while running) and still carry the finalizer
        to_release = []
        new_failed = 0
        new_succeeded = 0
        done_indexes = parse_indexes(st.get("completedIndexes"))
        last_fail = None
        for p in pods:
            pmd = p["metadata"]
            has_fin = FINALIZER in (pmd.get("finalizers") or [])
            if not has_fin:
                continue
            phase = (p.get("status") or {}).get("phase")
            if phase == "Succeeded":
                idx = pod_index(p)
                if indexed:
                    if idx is not None and 0 <= idx < int(completions or 0) and idx not in done_indexes:
                        done_indexes.add(idx)
                        new_succeeded += 1
                else:
                    new_succeeded += 1
                to_release.append(p)
            elif phase == "Failed" or (pmd.get("deletionTimestamp") and pmd.get("uid") not in self.deleted_by_us):
                if phase == "Failed" or not wc.pod_terminal(p):
                    new_failed += 1
                    t = _finished_at(p) or now
                    last_fail = t if last_fail is None else max(last_fail, t)
                to_release.append(p)
            elif pmd.get("deletionTimestamp"):
                to_release.append(p)
        succeeded = int(st.get("succeeded") or 0) + new_succeeded
        failed = int(st.get("failed") or 0) + new_failed
        if last_fail is not None:
            self.last_failure[uid] = last_fail
        released = set(p["metadata"]["uid"] for p in to_release)
        live = [p for p in pods if p["metadata"]["uid"] not in released]
        active = [p for p in live if wc.pod_active(p)]
        terminating = [p for p in pods if wc.pod_deleting(p) and not wc.pod_terminal(p)]
        events = []
        suspended = bool(spec.get("suspend"))
        failure_target = condition(job, "FailureTarget")
        success_target = condition(job, "SuccessCriteriaMet")
        # 2. suspend / resume
        if suspended and not failure_target and not success_target:
            for p in active:
                self._delete_pod(mgr, job, p)
            active = []
            if not cond_true(job, "Suspended"):
                set_condition(st, "Suspended", "True", "JobSuspended", "Job suspended", now)
                events.append(("Normal", "Suspended", "Job suspended"))
                st.pop("startTime", None)
        elif not suspended and cond_true(job, "Suspended"):
            set_condition(st, "Suspended", "False", "JobResumed", "Job resumed", now)
            events.append(("Normal", "Resumed", "Job resumed"))
            st["startTime"] = util.rfc3339(now)
        if not suspended and not st.get("startTime"):
            st["startTime"] = util.rfc3339(now)
        # 3. failure and success criteria
        if not failure_target and not success_target and not suspended:
            limit = int(spec.get("backoffLimit") if spec.get("backoffLimit") is not None else 6)
            tmpl_spec = ((spec.get("template") or {}).get("spec") or {})
            restarts = 0
            if tmpl_spec.get("restartPolicy") == "OnFailure":
                restarts = sum(_restarts(p) for p in active)
            past_on_failure = (restarts > 0) if limit == 0 else (restarts >= limit > 0)
            start = util.parse_time(st.get("startTime"))
            ads = spec.get("activeDeadlineSeconds")
            if failed > limit or past_on_failure:
                set_condition(st, "FailureTarget", "True", "BackoffLimitExceeded", MSG_BACKOFF, now)
                failure_target = condition(job, "FailureTarget")
            elif ads is not None and start is not None and now - start >= int(ads):
                set_condition(st, "FailureTarget", "True", "DeadlineExceeded", MSG_DEADLINE, now)
                failure_target = condition(job, "FailureTarget")
            elif indexed and completions is not None and len(done_indexes) >= int(completions):
                set_condition(st, "SuccessCriteriaMet", "True", "CompletionsReached", MSG_COMPLETE, now)
                success_target = condition(job, "SuccessCriteriaMet")
            elif not indexed and completions is not None and succeeded >= int(completions):
                set_condition(st, "SuccessCriteriaMet", "True", "CompletionsReached", MSG_COMPLETE, now)
                success_target = condition(job, "SuccessCriteriaMet")
            elif completions is None and succeeded > 0 and not active:
                set_condition(st, "SuccessCriteriaMet", "True", "CompletionsReached", MSG_COMPLETE, now)
                success_target = condition(job, "SuccessCriteriaMet")
            elif ads is not None and start is not None:
                self._later(mgr, ns, name, start + int(ads) - now + 0.05)
        # 4. create or remove pods
        if failure_target or success_target:
            for p in active:
                self._delete_pod(mgr, job, p)
            active = []
        elif not suspended:
            self._scale(mgr, job, uid, ns, name, active, terminating, succeeded, done_indexes, failed, now,
                        indexed, completions, parallelism)
            active = [p for p in wc.pods_of(mgr, ns, uid) if wc.pod_active(p)]
        # 5. terminal conditions once every pod has stopped
        still_running = [p for p in wc.pods_of(mgr, ns, uid) if not wc.pod_terminal(p)]
        if (failure_target or success_target) and not still_running:
            if failure_target:
                set_condition(st, "Failed", "True", failure_target["reason"], failure_target["message"], now)
                events.append(("Warning", failure_target["reason"], failure_target["message"]))
            else:
                set_condition(st, "Complete", "True", "CompletionsReached", MSG_COMPLETE, now)
                st["completionTime"] = util.rfc3339(now)
                events.append(("Normal", "Completed", "Job completed"))
        # 6. status
        st["active"] = len(active)
        st["ready"] = sum(1 for p in active if wc.pod_ready(p))
        st["terminating"] = len([p for p in still_running if wc.pod_deleting(p)])
        st["uncountedTerminatedPods"] = {}
        for k, v in (("succeeded", succeeded), ("failed", failed)):
            if v:
                st[k] = v
            else:
                st.pop(k, None)
        if not st["active"]:
            st.pop("active")
        if indexed:
            ci = format_indexes(done_indexes)
            if ci:
                st["completedIndexes"] = ci
            else:
                st.pop("completedIndexes", None)
        if st != old_status:
            def fn(o):
                if o["metadata"].get("uid") != uid:
                    return None
                o["status"] = st
                return o
            res = mgr.api.mutate(mgr.ctx, JOBS, ns, name, fn, subresource="status")
            if res is None:
                return
            for etype, reason, msg in events:
                mgr.record_event(res, etype, reason, msg, COMPONENT)
        for p in to_release:
            self._drop_finalizer(mgr, p)
            self.deleted_by_us.discard(p["metadata"]["uid"])
        if is_finished({"status": st}):
            self._ttl(mgr, job, now)

    def _scale(self, mgr, job, uid, ns, name, active, terminating, succeeded, done_indexes, failed, now,
               indexed, completions, parallelism):
        spec = job.get("spec") or {}
        counted_active = len(active)
        if spec.get("podReplacementPolicy") == "Failed":
            counted_active += len(terminating)
        if completions is None:
            # A work queue: after the first success no pod is added, and whatever is running is
            # left to finish on its own (job_controller.go manageJob).
            want = counted_active if succeeded > 0 else parallelism
        elif indexed:
            want = min(parallelism, int(completions) - len(done_indexes))
        else:
            want = min(parallelism, int(completions) - succeeded)
        want = max(0, want)
        if counted_active > want:
            # too many (parallelism lowered): remove the newest, not-ready first
            extra = sorted(active, key=lambda p: (wc.pod_ready(p), p["metadata"].get("creationTimestamp")),
                           reverse=False)[:counted_active - want]
            for p in extra:
                self._delete_pod(mgr, job, p)
            return
        if counted_active == want:
            return
        # back-off after failures: 10 s, doubling, capped at 6 minutes, from the latest failure
        if failed > 0 and uid in self.last_failure:
            delay = min(BACKOFF_BASE * (2 ** (failed - 1)), BACKOFF_MAX)
            wait = self.last_failure[uid] + delay - now
            if wait > 0:
                self._later(mgr, ns, name, wait + 0.05)
                return
        n = want - counted_active
        if indexed:
            busy = set(pod_index(p) for p in active)
            if spec.get("podReplacementPolicy") == "Failed":
                busy |= set(pod_index(p) for p in terminating)
            for idx in range(int(completions)):
                if n <= 0:
                    break
                if idx in done_indexes or idx in busy:
                    continue
                self._create_pod(mgr, job, idx)
                n -= 1
        else:
            for _ in range(n):
                self._create_pod(mgr, job)

    def _ttl(self, mgr, job, now):
        ttl = (job.get("spec") or {}).get("ttlSecondsAfterFinished")
        if ttl is None or job["metadata"].get("deletionTimestamp"):
            return
        e = mgr.store.get_entry("batch/jobs", job["metadata"]["namespace"], job["metadata"]["name"])
        if e is None:
            return
        cur = e.obj
        if not is_finished(cur):
            return
        fin = util.parse_time((cur.get("status") or {}).get("completionTime"))
        if fin is None:
            c = condition(cur, "Failed") or condition(cur, "Complete") or {}
            fin = util.parse_time(c.get("lastTransitionTime")) or now
        due = fin + int(ttl)
        ns, name, uid = cur["metadata"]["namespace"], cur["metadata"]["name"], cur["metadata"]["uid"]
        if due > now:
            self._later(mgr, ns, name, due - now + 0.05)
            return
        try:
            mgr.api.delete(mgr.ctx, JOBS, ns, name, {"propagationPolicy": "Foreground",
                                                     "preconditions": {"uid": uid}})
        except errors.ApiError:
            pass
