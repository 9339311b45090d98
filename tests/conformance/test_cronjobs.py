"""CronJobs with the real kubectl and the CronJob controller. Schedules are fired without waiting by
moving each CronJob's controller clock with the kubesim-only annotation kubesim.io/clock-offset.
Covers Job names and annotations, status.active / lastScheduleTime / lastSuccessfulTime, history limits,
concurrencyPolicy Forbid and Replace, suspend, timeZone, startingDeadlineSeconds, the events, validation,
and `kubectl create cronjob` / `kubectl create job --from=cronjob/x` (protobuf bodies)."""

import datetime
import os
import time

import pytest

from conftest import FIXTURES

CJS = "/apis/batch/v1/namespaces/default/cronjobs"
JOBS = "/apis/batch/v1/namespaces/default/jobs"
SCHED_ANN = "batch.kubernetes.io/cronjob-scheduled-timestamp"


def wait_for(fn, timeout=20.0, step=0.2):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(step)
    raise AssertionError("condition not met, last value %r" % (last,))


@pytest.fixture(scope="module")
def csim(make_sim):
    s = make_sim(args=["--nodes", "2"])
    s.kubectl("create", "-f", os.path.join(FIXTURES, "cronjobs", "cronjobs.yaml"))
    return s


def get(s, path):
    st, body = s.json("GET", path)
    return body if st == 200 else None


def cronjob(s, name):
    return get(s, "%s/%s" % (CJS, name))


def jobs_of(s, cj_name):
    cj = cronjob(s, cj_name)
    items = get(s, JOBS)["items"]
    return sorted((j for j in items if any(r.get("uid") == cj["metadata"]["uid"]
                                           for r in j["metadata"].get("ownerReferences") or [])),
                  key=lambda j: j["metadata"]["name"])


def events_of(s, name):
    body = get(s, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name +
               ",involvedObject.kind%3DCronJob")
    return [(e["type"], e["reason"], e["message"], e["source"]["component"]) for e in body["items"]]


def epoch(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def fire_at(s, name, when):
    """Move the CronJob's controller clock so that its 'now' is `when` (epoch seconds) + 1 s."""
    offset = int(when - time.time()) + 1
    s.kubectl("annotate", "cronjob", name, "kubesim.io/clock-offset=%d" % offset, "--overwrite")


def next_boundary(t, step):
    return (int(t) // step + 1) * step


def finished(j):
    return any(c["type"] in ("Complete", "Failed") and c["status"] == "True"
               for c in (j.get("status") or {}).get("conditions") or [])


def test_cronjob_defaults(csim):
    cj = cronjob(csim, "tick")
    spec = cj["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"], spec["successfulJobsHistoryLimit"],
            spec["failedJobsHistoryLimit"]) == ("Allow", False, 2, 1)
    assert spec["jobTemplate"]["metadata"]["creationTimestamp"] is None
    pod_spec = spec["jobTemplate"]["spec"]["template"]["spec"]
    assert pod_spec["dnsPolicy"] == "ClusterFirst" and pod_spec["terminationGracePeriodSeconds"] == 30
    assert "parallelism" not in spec["jobTemplate"]["spec"]     # Job defaults apply to Jobs, not templates
    assert cj["status"] == {}


def test_scheduled_runs_status_history_and_events(csim):
    cj = cronjob(csim, "tick")
    created = epoch(cj["metadata"]["creationTimestamp"])
    b1 = next_boundary(created, 300)
    names = []
    for i in range(3):
        when = b1 + 300 * i
        fire_at(csim, "tick", when)
        name = "tick-%d" % (when // 60)
        names.append(name)
        j = wait_for(lambda: get(csim, "%s/%s" % (JOBS, name)))
        if i == 0:
            assert j["metadata"]["annotations"] == {
                "purpose": "report", SCHED_ANN: time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))}
            assert j["metadata"]["labels"]["team"] == "ops"
            ref = j["metadata"]["ownerReferences"][0]
            assert (ref["kind"], ref["name"], ref["uid"], ref["controller"], ref["blockOwnerDeletion"]) == (
                "CronJob", "tick", cj["metadata"]["uid"], True, True)
            st = wait_for(lambda: cronjob(csim, "tick")["status"].get("active") and cronjob(csim, "tick")["status"])
            assert st["lastScheduleTime"] == time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))
            assert [(a["kind"], a["name"], a["namespace"], a["uid"], a["apiVersion"]) for a in st["active"]] == [
                ("Job", name, "default", j["metadata"]["uid"], "batch/v1")]
        wait_for(lambda: finished(get(csim, "%s/%s" % (JOBS, name)) or {}), timeout=20)
        wait_for(lambda: "active" not in cronjob(csim, "tick")["status"])
    st = cronjob(csim, "tick")["status"]
    assert st["lastSuccessfulTime"] and st["lastScheduleTime"] == \
        time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(b1 + 600))
    # successfulJobsHistoryLimit 2: the oldest finished job is removed
    wait_for(lambda: [j["metadata"]["name"] for j in jobs_of(csim, "tick")] == names[1:])
    ev = events_of(csim, "tick")
    for n in names:
        assert ("Normal", "SuccessfulCreate", "Created job %s" % n, "cronjob-controller") in ev
        assert ("Normal", "SawCompletedJob", "Saw completed job: %s, condition: Complete" % n,
                "cronjob-controller") in ev
    assert ("Normal", "SuccessfulDelete", "Deleted job %s" % names[0], "cronjob-controller") in ev
    # nothing new while the clock stays within the same schedule slot
    time.sleep(1.5)
    assert len(jobs_of(csim, "tick")) == 2


def test_forbid_skips_while_a_job_runs(csim):
    created = epoch(cronjob(csim, "forbid")["metadata"]["creationTimestamp"])
    b1 = next_boundary(created, 300)
    fire_at(csim, "forbid", b1)
    wait_for(lambda: len(jobs_of(csim, "forbid")) == 1)
    fire_at(csim, "forbid", b1 + 300)
    wait_for(lambda: any(e[1] == "JobAlreadyActive" for e in events_of(csim, "forbid")))
    assert ("Normal", "JobAlreadyActive", "Not starting job because prior execution is running and concurrency "
            "policy is Forbid", "cronjob-controller") in events_of(csim, "forbid")
    assert [j["metadata"]["name"] for j in jobs_of(csim, "forbid")] == ["forbid-%d" % (b1 // 60)]


def test_replace_deletes_the_running_job(csim):
    created = epoch(cronjob(csim, "replace")["metadata"]["creationTimestamp"])
    b1 = next_boundary(created, 300)
    fire_at(csim, "replace", b1)
    first = "replace-%d" % (b1 // 60)
    wait_for(lambda: get(csim, "%s/%s" % (JOBS, first)))
    fire_at(csim, "replace", b1 + 300)
    second = "replace-%d" % ((b1 + 300) // 60)
    wait_for(lambda: [j["metadata"]["name"] for j in jobs_of(csim, "replace")] == [second], timeout=20)
    st = cronjob(csim, "replace")["status"]
    assert [a["name"] for a in st["active"]] == [second]
    ev = events_of(csim, "replace")
    assert ("Normal", "SuccessfulDelete", "Deleted job %s" % first, "cronjob-controller") in ev
    assert ("Normal", "SuccessfulCreate", "Created job %s" % second, "cronjob-controller") in ev


def test_suspended_cronjob_starts_nothing(csim):
    fire_at(csim, "paused", time.time() + 3600)
    time.sleep(1.5)
    assert jobs_of(csim, "paused") == [] and cronjob(csim, "paused")["status"] == {}


def test_time_zone(csim):
    cj = cronjob(csim, "seoul")
    created = epoch(cj["metadata"]["creationTimestamp"])
    kst = datetime.timezone(datetime.timedelta(hours=9))
    c = datetime.datetime.fromtimestamp(created, kst)
    run = c.replace(hour=3, minute=0, second=0, microsecond=0)
    if run <= c:
        run += datetime.timedelta(days=1)
    fire_at(csim, "seoul", run.timestamp() - 120)       # 02:58 in Seoul: not yet
    time.sleep(1.5)
    assert jobs_of(csim, "seoul") == []
    fire_at(csim, "seoul", run.timestamp())
    j = wait_for(lambda: jobs_of(csim, "seoul"))[0]
    assert j["metadata"]["name"] == "seoul-%d" % (int(run.timestamp()) // 60)
    assert j["metadata"]["annotations"][SCHED_ANN] == run.strftime("%Y-%m-%dT03:00:00+09:00")


def test_starting_deadline(csim):
    created = epoch(cronjob(csim, "late")["metadata"]["creationTimestamp"])
    hour = next_boundary(created, 3600)
    fire_at(csim, "late", hour + 120)                   # two minutes late, deadline 60 s: skipped
    time.sleep(1.5)
    assert jobs_of(csim, "late") == []
    fire_at(csim, "late", hour + 3600 + 30)             # 30 s after the next run: started
    j = wait_for(lambda: jobs_of(csim, "late"))[0]
    assert j["metadata"]["name"] == "late-%d" % ((hour + 3600) // 60)


def test_kubectl_create_cronjob_and_job_from_it(csim):
    res = csim.kubectl("create", "cronjob", "backup", "--image=busybox:1.36", "--schedule=0 2 * * *",
                       "--restart=Never", "--", "sh", "-c", "echo backup")
    assert res.stdout.strip() == "cronjob.batch/backup created"
    cj = cronjob(csim, "backup")
    assert cj["spec"]["schedule"] == "0 2 * * *"
    tmpl = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert tmpl["restartPolicy"] == "Never" and tmpl["containers"][0]["command"] == ["sh", "-c", "echo backup"]
    res = csim.kubectl("create", "job", "backup-now", "--from=cronjob/backup")
    assert res.stdout.strip() == "job.batch/backup-now created"
    logged = [r for r in csim.requests_logged() if r["method"] == "POST" and r["path"] == JOBS]
    assert logged and logged[-1]["status"] == 201
    j = get(csim, JOBS + "/backup-now")
    assert j["metadata"]["annotations"] == {"cronjob.kubernetes.io/instantiate": "manual"}
    ref = j["metadata"]["ownerReferences"][0]
    assert (ref["apiVersion"], ref["kind"], ref["name"], ref["uid"], ref["controller"]) == (
        "batch/v1", "CronJob", "backup", cj["metadata"]["uid"], True)
    assert j["spec"]["template"]["spec"]["containers"][0]["command"] == ["sh", "-c", "echo backup"]
    assert j["spec"]["backoffLimit"] == 6 and j["spec"]["completions"] == 1
    # the controller did not create it: a warning, as on a real cluster
    wait_for(lambda: ("Warning", "UnexpectedJob", "Saw a job that the controller did not create or forgot: "
                      "backup-now", "cronjob-controller") in events_of(csim, "backup"))


def test_job_from_cronjob_keeps_pointer_zeroes_and_empty_volumes(csim):
    body = {"metadata": {"name": "rich"}, "spec": {"schedule": "@daily", "jobTemplate": {
        "metadata": {"labels": {"app": "rich"}},
        "spec": {"backoffLimit": 0, "parallelism": 0, "activeDeadlineSeconds": 600, "template": {
            "metadata": {"labels": {"app": "rich"}, "annotations": {"a": "b"}},
            "spec": {"restartPolicy": "OnFailure",
                     "containers": [{"name": "c", "image": "busybox", "args": ["x"], "workingDir": "/w",
                                     "ports": [{"containerPort": 8080, "name": "http"}],
                                     "env": [{"name": "A", "value": "1"},
                                             {"name": "POD", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
                                             {"name": "S", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}],
                                     "resources": {"limits": {"cpu": "500m", "memory": "128Mi"},
                                                   "requests": {"cpu": "100m"}},
                                     "volumeMounts": [{"name": "scratch", "mountPath": "/tmp"}],
                                     "readinessProbe": {"httpGet": {"path": "/ready", "port": "http"}},
                                     "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 5},
                                     "securityContext": {"runAsNonRoot": True, "runAsUser": 0,
                                                         "capabilities": {"drop": ["ALL"]}}}],
                     "volumes": [{"name": "scratch", "emptyDir": {}},
                                 {"name": "cfg", "configMap": {"name": "cfg", "optional": False}}],
                     "nodeSelector": {"disk": "ssd"},
                     "tolerations": [{"key": "k", "operator": "Exists", "effect": "NoSchedule",
                                      "tolerationSeconds": 0}],
                     "affinity": {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
                         "nodeSelectorTerms": [{"matchExpressions": [
                             {"key": "zone", "operator": "In", "values": ["a", "b"]}]}]}}},
                     "automountServiceAccountToken": False}}}}}}
    csim.json("POST", CJS, body, expect=201)
    csim.kubectl("create", "job", "rich-now", "--from=cronjob/rich")
    cj = cronjob(csim, "rich")
    j = get(csim, JOBS + "/rich-now")
    # what went through protobuf comes back identical, zero pointers and empty messages included
    want = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    assert j["spec"]["template"]["spec"] == want
    assert j["spec"]["backoffLimit"] == 0 and j["spec"]["parallelism"] == 0
    assert j["spec"]["activeDeadlineSeconds"] == 600 and "completions" not in j["spec"]
    assert j["spec"]["template"]["metadata"]["annotations"] == {"a": "b"}


def test_validation(csim):
    def post(spec, name="bad"):
        return csim.json("POST", CJS, {"metadata": {"name": name}, "spec": spec})
    tmpl = {"spec": {"template": {"spec": {"restartPolicy": "Never",
                                           "containers": [{"name": "c", "image": "busybox"}]}}}}
    st, body = post({"schedule": "bad", "jobTemplate": tmpl})
    assert st == 422
    assert body["message"] == 'CronJob.batch "bad" is invalid: spec.schedule: Invalid value: "bad": expected ' \
                              'exactly 5 fields, found 1: bad'
    st, body = post({"schedule": "TZ=UTC 0 * * * *", "jobTemplate": tmpl})
    assert st == 422 and body["message"].endswith(
        'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone '
        'field instead')
    st, body = post({"schedule": "0 * * * *", "timeZone": "Mars/Olympus", "jobTemplate": tmpl})
    assert st == 422 and body["message"].endswith(
        'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus')
    st, body = post({"schedule": "0 * * * *", "concurrencyPolicy": "Sometimes", "jobTemplate": tmpl})
    assert st == 422 and 'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", ' \
                         '"Forbid", "Replace"' in body["message"]
    st, body = post({"schedule": "0 * * * *", "jobTemplate": tmpl}, name="x" * 53)
    assert st == 422 and "must be no more than 52 characters" in body["message"]
    res = csim.kubectl("create", "cronjob", "oops", "--image=busybox", "--schedule=* * *", check=False)
    assert res.returncode == 1
    assert res.stderr == 'error: failed to create cronjob: CronJob.batch "oops" is invalid: spec.schedule: ' \
                         'Invalid value: "* * *": expected exactly 5 fields, found 3: * * *\n'


def test_delete_cronjob_removes_its_jobs(csim):
    assert jobs_of(csim, "forbid")
    assert csim.kubectl("delete", "cronjob", "forbid").stdout.strip() == 'cronjob.batch "forbid" deleted'
    wait_for(lambda: not [j for j in get(csim, JOBS)["items"] if j["metadata"]["name"].startswith("forbid-")],
             timeout=20)
