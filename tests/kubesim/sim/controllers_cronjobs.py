"""batch/v1 CronJobs: defaulting, validation and the CronJob controller (cronjob_controllerv2, 1.32).

Jobs are named `<cronjob>-<scheduled time in minutes since the epoch>`, carry the jobTemplate's labels
and annotations plus `batch.kubernetes.io/cronjob-scheduled-timestamp` (RFC3339 in the CronJob's time
zone) and a controller reference. Only the most recent missed activation is started (a warning
TooManyMissedTimes above 100), within startingDeadlineSeconds (MissSchedule otherwise);
concurrencyPolicy Allow/Forbid/Replace, suspend, timeZone, the history limits, status.active /
lastScheduleTime / lastSuccessfulTime, and the controller's events.

Time control (kubesim only): the annotation `kubesim.io/clock-offset` on a CronJob ("90", "90s",
"2h30m", "-5m"; Go durations or plain seconds) shifts the clock this controller uses for that CronJob,
so a test can make `*/5 * * * *` fire without waiting: set it, or raise it to fire again. Nothing else
(creation times, Job start times) is shifted.
"""

import datetime
import time

from . import controllers, errors, util
from .errors import FieldError
from .resources import REGISTRY
from . import ext_cron
from . import ext_workload_common as wc
from .controllers_jobs import JOBS, is_finished, cond_true, condition, default_job_spec  # noqa: F401
from .controllers_jobs import _CHECKS as _JOB_CHECKS

CRONJOBS = REGISTRY.get("batch", "v1", "cronjobs")
COMPONENT = "cronjob-controller"
SCHEDULED_ANN = "batch.kubernetes.io/cronjob-scheduled-timestamp"
OFFSET_ANN = "kubesim.io/clock-offset"
MAX_NAME = 52

# ---- defaulting / validation -------------------------------------------------------------------------


def _defaults(obj):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    spec.setdefault("suspend", False)
    if spec.get("successfulJobsHistoryLimit") is None:
        spec["successfulJobsHistoryLimit"] = 3
    if spec.get("failedJobsHistoryLimit") is None:
        spec["failedJobsHistoryLimit"] = 1
    jt = spec.get("jobTemplate")
    if isinstance(jt, dict):
        md = jt.get("metadata")
        if not isinstance(md, dict):
            md = jt["metadata"] = {}
        md.setdefault("creationTimestamp", None)
        js = jt.get("spec")
        if isinstance(js, dict) and isinstance(js.get("template"), dict):
            wc.default_pod_template(js["template"], restart_policy=False)


_CHECKS = [("spec", "CronJob", "v1.CronJobSpec")] + [("spec." + k, "CronJobSpec", t) for k, t in (
    ("schedule", "string"), ("timeZone", "string"), ("startingDeadlineSeconds", "int64"),
    ("concurrencyPolicy", "v1.ConcurrencyPolicy"), ("suspend", "bool"), ("jobTemplate", "v1.JobTemplateSpec"),
    ("successfulJobsHistoryLimit", "int32"), ("failedJobsHistoryLimit", "int32"))] + \
    [("spec.jobTemplate.metadata", "JobTemplateSpec", "v1.ObjectMeta"),
     ("spec.jobTemplate.spec", "JobTemplateSpec", "v1.JobSpec")] + \
    [("spec.jobTemplate." + p, s, t) for p, s, t in _JOB_CHECKS[1:]]


def _create(ctx, obj):
    wc.check_types(obj, "CronJob", "v1", _CHECKS)
    _defaults(obj)
    if not ctx.internal and not ctx.load:
        obj["status"] = {}


def _update(ctx, new, old):
    wc.check_types(new, "CronJob", "v1", _CHECKS)
    _defaults(new)


def _validate(ctx, obj, old):
    errs = []
    md = obj.get("metadata") or {}
    name = md.get("name") or ""
    if len(name) > MAX_NAME:
        errs.append(FieldError("Invalid", "metadata.name", "must be no more than 52 characters", name))
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return errs + [FieldError("Required", "spec.schedule")]
    sched = spec.get("schedule")
    if not sched:
        errs.append(FieldError("Required", "spec.schedule"))
    elif not isinstance(sched, str):
        errs.append(FieldError("Invalid", "spec.schedule", "must be a string", sched))
    else:
        msg = ext_cron.validate_schedule(sched)
        if msg:
            errs.append(FieldError("Invalid", "spec.schedule", msg, sched))
    tz = spec.get("timeZone")
    if tz is not None:
        if tz == "Local":
            errs.append(FieldError("Invalid", "spec.timeZone", "timeZone must be an explicit time zone as defined "
                                   "in https://www.iana.org/time-zones", tz))
        else:
            try:
                if not isinstance(tz, str):
                    raise ValueError("unknown time zone %s" % tz)
                ext_cron.load_zone(tz)
            except ValueError as e:
                errs.append(FieldError("Invalid", "spec.timeZone", str(e), tz))
    cp = spec.get("concurrencyPolicy")
    if cp not in ("Allow", "Forbid", "Replace"):
        errs.append(FieldError("NotSupported", "spec.concurrencyPolicy", value=cp,
                               supported=["Allow", "Forbid", "Replace"]))
    for k in ("startingDeadlineSeconds", "successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        wc.nonneg(spec, k, "spec." + k, errs)
    jt = spec.get("jobTemplate")
    if not isinstance(jt, dict) or not isinstance(jt.get("spec"), dict):
        errs.append(FieldError("Required", "spec.jobTemplate.spec.template.spec.containers"))
    else:
        js = jt["spec"]
        errs += wc.validate_template(js.get("template"), "spec.jobTemplate.spec.template", None,
                                     restart_policies=["OnFailure", "Never"],
                                     required_restart='valid values: "OnFailure", "Never"')
    return errs


CRONJOBS.add_hook("prepare_create", _create)
CRONJOBS.add_hook("prepare_update", _update)
CRONJOBS.add_hook("validate", _validate)

# ---- time control -------------------------------------------------------------------------------------


def clock_offset(cj):
    raw = ((cj.get("metadata") or {}).get("annotations") or {}).get(OFFSET_ANN)
    if not raw:
        return 0.0
    try:
        return float(raw)
    except ValueError:
        try:
            return ext_cron.parse_go_duration(raw)
        except ValueError:
            return 0.0


def controller_now(cj, real_now=None):
    return (time.time() if real_now is None else real_now) + clock_offset(cj)


# ---- the scheduling decision (pure, unit-tested) ---------------------------------------------------------


def zone_of(cj):
    tz = (cj.get("spec") or {}).get("timeZone")
    return ext_cron.load_zone(tz)


def next_schedule(cj, now):
    """(scheduled time as aware datetime or None, missed count): the most recent unmet activation for the
    CronJob at epoch time `now` (mostRecentScheduleTime). Raises CronError / ValueError."""
    spec = cj.get("spec") or {}
    sched = ext_cron.parse(spec.get("schedule") or "")
    tz = zone_of(cj)
    st = cj.get("status") or {}
    earliest = util.parse_time(st.get("lastScheduleTime")) or \
        util.parse_time((cj.get("metadata") or {}).get("creationTimestamp")) or now
    e = datetime.datetime.fromtimestamp(earliest, tz)
    n = datetime.datetime.fromtimestamp(now, tz)
    return ext_cron.most_recent(sched, e, n, spec.get("startingDeadlineSeconds"))


def job_name(cj, scheduled):
    return "%s-%d" % (cj["metadata"]["name"], int(scheduled.timestamp()) // 60)


def job_from_template(cj, scheduled):
    """getJobFromTemplate2: the Job a CronJob creates for one scheduled time."""
    jt = util.deep_copy((cj.get("spec") or {}).get("jobTemplate") or {})
    jmd = jt.get("metadata") or {}
    ann = dict(jmd.get("annotations") or {})
    ann[SCHEDULED_ANN] = _rfc3339_in_zone(scheduled)
    md = {"name": job_name(cj, scheduled), "namespace": cj["metadata"]["namespace"],
          "annotations": ann, "ownerReferences": [wc.owner_ref(cj)]}
    if jmd.get("labels"):
        md["labels"] = dict(jmd["labels"])
    return {"apiVersion": "batch/v1", "kind": "Job", "metadata": md, "spec": jt.get("spec") or {}}


def _rfc3339_in_zone(dt):
    off = dt.utcoffset() or datetime.timedelta(0)
    if off == datetime.timedelta(0):
        return dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    total = int(off.total_seconds())
    sign = "+" if total >= 0 else "-"
    total = abs(total)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + "%s%02d:%02d" % (sign, total // 3600, (total % 3600) // 60)


def _job_ref(job):
    md = job["metadata"]
    return {"kind": "Job", "namespace": md["namespace"], "name": md["name"], "uid": md["uid"],
            "apiVersion": "batch/v1", "resourceVersion": md.get("resourceVersion")}


# ---- controller ------------------------------------------------------------------------------------------


@controllers.register
class CronJobController(controllers.Controller):
    name = "cronjob"
    watches = ("batch/cronjobs", "batch/jobs")
    interval = 1.0

    def setup(self, mgr):
        self.dirty = wc.Dirty()
        self.warned = {}    # cronjob uid -> last (reason, key) warned, to avoid an event every second

    def on_event(self, mgr, ev):
        if ev.key == "batch/cronjobs":
            if ev.type != "DELETED":
                self.dirty.add(mgr, ev.ns, ev.name, self.sync)
            return
        ref = wc.controller_of(ev.entry.obj)
        if ref is not None and ref.get("kind") == "CronJob":
            self.dirty.add(mgr, ev.ns, ref.get("name"), self.sync)

    def tick(self, mgr, now):
        """Every second: sync the CronJobs that have an activation due (cheap to decide)."""
        _, cjs = mgr.store.list_entries("batch/cronjobs")
        for e in cjs:
            spec = e.obj.get("spec") or {}
            if spec.get("suspend"):
                continue
            try:
                due, _ = next_schedule(e.obj, controller_now(e.obj, now))
            except (ext_cron.CronError, ValueError, TypeError):
                due = True
            if due is not None:
                self.sync(mgr, e.ns, e.name)

    def _warn_once(self, mgr, cj, key, etype, reason, msg):
        uid = cj["metadata"]["uid"]
        if self.warned.get(uid) == (reason, key):
            return
        self.warned[uid] = (reason, key)
        mgr.record_event(cj, etype, reason, msg, COMPONENT)

    def sync(self, mgr, ns, name):
        e = mgr.store.get_entry("batch/cronjobs", ns, name)
        if e is None:
            return
        cj = util.deep_copy(e.obj)
        md = cj["metadata"]
        uid = md["uid"]
        spec = cj.get("spec") or {}
        st = cj.setdefault("status", {})
        old = util.deep_copy(st)
        _, entries = mgr.store.list_entries("batch/jobs", ns)
        jobs = [x.obj for x in entries if wc.owned_by(x.obj, uid)]
        active = list(st.get("active") or [])
        active_uids = set(a.get("uid") for a in active)
        events = []
        children = set()
        for j in jobs:
            juid = j["metadata"]["uid"]
            children.add(juid)
            found = juid in active_uids
            if not found and not is_finished(j):
                if ("unexpected", juid) not in self.warned.get(uid + "/u", set()):
                    self.warned.setdefault(uid + "/u", set()).add(("unexpected", juid))
                    events.append(("Warning", "UnexpectedJob", "Saw a job that the controller did not create or "
                                   "forgot: %s" % j["metadata"]["name"]))
            elif is_finished(j):
                if found:
                    ctype = "Complete" if cond_true(j, "Complete") else "Failed"
                    active = [a for a in active if a.get("uid") != juid]
                    active_uids.discard(juid)
                    events.append(("Normal", "SawCompletedJob", "Saw completed job: %s, condition: %s"
                                   % (j["metadata"]["name"], ctype)))
                if cond_true(j, "Complete"):
                    ct = (j.get("status") or {}).get("completionTime")
                    last = util.parse_time(st.get("lastSuccessfulTime"))
                    if ct and (last is None or util.parse_time(ct) > last):
                        st["lastSuccessfulTime"] = ct
        for a in list(active):
            if a.get("uid") not in children and mgr.store.get_entry("batch/jobs", ns, a.get("name")) is None:
                events.append(("Normal", "MissingJob", "Active job went missing: %s" % a.get("name")))
                active = [x for x in active if x.get("uid") != a.get("uid")]
        st["active"] = active
        if not md.get("deletionTimestamp"):
            self._schedule(mgr, cj, st, events, jobs)
        if not st.get("active"):
            st.pop("active", None)
        self._cleanup(mgr, cj, jobs, events)
        if st != old:
            def fn(o):
                if o["metadata"].get("uid") != uid:
                    return None
                o["status"] = st
                return o
            res = mgr.api.mutate(mgr.ctx, CRONJOBS, ns, name, fn, subresource="status")
            if res is not None:
                cj = res
        for etype, reason, msg in events:
            mgr.record_event(cj, etype, reason, msg, COMPONENT)

    def _schedule(self, mgr, cj, st, events, jobs):
        spec = cj.get("spec") or {}
        now = controller_now(cj)
        tzname = spec.get("timeZone")
        if tzname is not None:
            try:
                ext_cron.load_zone(tzname)
            except ValueError as err:
                self._warn_once(mgr, cj, tzname, "Warning", "UnknownTimeZone", 'invalid timeZone: "%s": %s'
                                % (tzname, err))
                return
        if spec.get("suspend"):
            return
        sched_text = spec.get("schedule") or ""
        try:
            scheduled, missed = next_schedule(cj, now)
        except ext_cron.CronError as err:
            self._warn_once(mgr, cj, sched_text, "Warning", "UnparseableSchedule", 'unparseable schedule: "%s" : %s'
                            % (sched_text, err))
            return
        if scheduled is None:
            return
        if missed > 100:
            self._warn_once(mgr, cj, scheduled.timestamp(), "Warning", "TooManyMissedTimes",
                            "too many missed start times: %d. Set or decrease .spec.startingDeadlineSeconds or "
                            "check clock skew" % missed)
        sdl = spec.get("startingDeadlineSeconds")
        if sdl is not None and scheduled.timestamp() + int(sdl) < now:
            self._warn_once(mgr, cj, scheduled.timestamp(), "Warning", "MissSchedule",
                            "Missed scheduled time to start a job: %s"
                            % scheduled.astimezone(datetime.timezone.utc).strftime("%a, %d %b %Y %H:%M:%S +0000"))
            return
        name = job_name(cj, scheduled)
        if any(a.get("name") == name for a in st.get("active") or []) or \
                util.parse_time(st.get("lastScheduleTime")) == scheduled.timestamp():
            return
        if spec.get("concurrencyPolicy") == "Forbid" and st.get("active"):
            self._warn_once(mgr, cj, scheduled.timestamp(), "Normal", "JobAlreadyActive",
                            "Not starting job because prior execution is running and concurrency policy is Forbid")
            return
        ns = cj["metadata"]["namespace"]
        if spec.get("concurrencyPolicy") == "Replace":
            for a in list(st.get("active") or []):
                try:
                    mgr.api.delete(mgr.ctx, JOBS, ns, a.get("name"), {"propagationPolicy": "Background"})
                except errors.ApiError as err:
                    if err.code != 404:
                        continue
                st["active"] = [x for x in st.get("active") or [] if x.get("uid") != a.get("uid")]
                events.append(("Normal", "SuccessfulDelete", "Deleted job %s" % a.get("name")))
        job = job_from_template(cj, scheduled)
        try:
            created = mgr.api.create(mgr.ctx, JOBS, ns, job)
        except errors.ApiError as err:
            if err.code == 409 and err.reason == "AlreadyExists":
                ex = mgr.store.get(JOBS.key, ns, job["metadata"]["name"])
                if ex is None or not wc.owned_by(ex, cj["metadata"]["uid"]):
                    return
                if any(a.get("uid") == ex["metadata"]["uid"] for a in st.get("active") or []):
                    return
                created = ex
            else:
                events.append(("Warning", "FailedCreate", "Error creating job: %s" % err.message))
                return
        else:
            events.append(("Normal", "SuccessfulCreate", "Created job %s" % created["metadata"]["name"]))
        st.setdefault("active", []).append(_job_ref(created))
        st["lastScheduleTime"] = util.rfc3339(scheduled.timestamp())

    def _cleanup(self, mgr, cj, jobs, events):
        spec = cj.get("spec") or {}
        ns = cj["metadata"]["namespace"]
        done = [j for j in jobs if is_finished(j) and not j["metadata"].get("deletionTimestamp")]
        for ctype, limit in (("Complete", spec.get("successfulJobsHistoryLimit")),
                             ("Failed", spec.get("failedJobsHistoryLimit"))):
            if limit is None:
                continue
            group = [j for j in done if cond_true(j, ctype)]
            excess = len(group) - int(limit)
            if excess <= 0:
                continue
            group.sort(key=lambda j: (util.parse_time((j.get("status") or {}).get("startTime")) or float("inf"),
                                      j["metadata"]["name"]))
            for j in group[:excess]:
                try:
                    mgr.api.delete(mgr.ctx, JOBS, ns, j["metadata"]["name"], {"propagationPolicy": "Background"})
                except errors.ApiError:
                    continue
                events.append(("Normal", "SuccessfulDelete", "Deleted job %s" % j["metadata"]["name"]))
