"""Jobs with the real kubectl: create (protobuf body), create -f, wait, describe, delete; the Job
controller's pods, labels, finalizer, counters, 1.32 conditions and events for completions,
parallelism, backoffLimit (Never and OnFailure), activeDeadlineSeconds, Indexed mode, work queues,
suspend/resume and ttlSecondsAfterFinished; the apiserver's defaulting and validation."""

import json
import os
import time

import pytest

from conftest import FIXTURES

MERGE = {"Content-Type": "application/merge-patch+json"}
JOBS = "/apis/batch/v1/namespaces/default/jobs"


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
def ksim(make_sim):
    s = make_sim(args=["--nodes", "2"])
    # the slow ones first: their back-offs and deadlines run while the other tests do their work
    s.kubectl("create", "-f", os.path.join(FIXTURES, "jobs", "jobs.yaml"))
    return s


def job(s, name):
    st, body = s.json("GET", "%s/%s" % (JOBS, name))
    return body if st == 200 else None


def pods_of(s, name):
    _, body = s.json("GET", "/api/v1/namespaces/default/pods?labelSelector=batch.kubernetes.io/job-name%3D" + name)
    return body["items"]


def events_of(s, name, kind="Job"):
    _, body = s.json("GET", "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D"
                     + name + ",involvedObject.kind%3D" + kind)
    return [(e["type"], e["reason"], e["message"], e["source"]["component"]) for e in body["items"]]


def cond(j, ctype):
    for c in (j.get("status") or {}).get("conditions") or []:
        if c["type"] == ctype:
            return c
    return None


def finished(s, name):
    j = job(s, name)
    return j if j and (cond(j, "Complete") or cond(j, "Failed")) else None


def test_create_job_defaults_and_completion(ksim):
    res = ksim.kubectl("create", "job", "hello", "--image=busybox:1.36", "--", "sh", "-c", "echo hi")
    assert res.stdout.strip() == "job.batch/hello created"
    posts = [r for r in ksim.requests_logged() if r["method"] == "POST" and r["path"] == JOBS]
    assert posts and posts[-1]["status"] == 201
    j = job(ksim, "hello")
    uid = j["metadata"]["uid"]
    labels = {"batch.kubernetes.io/controller-uid": uid, "batch.kubernetes.io/job-name": "hello",
              "controller-uid": uid, "job-name": "hello"}
    assert j["metadata"]["labels"] == labels
    spec = j["spec"]
    assert spec["selector"] == {"matchLabels": {"batch.kubernetes.io/controller-uid": uid}}
    assert (spec["completions"], spec["parallelism"], spec["backoffLimit"], spec["completionMode"],
            spec["suspend"], spec["podReplacementPolicy"]) == (1, 1, 6, "NonIndexed", False, "TerminatingOrFailed")
    tmpl = spec["template"]
    assert tmpl["metadata"] == {"creationTimestamp": None, "labels": labels}
    assert tmpl["spec"]["restartPolicy"] == "Never" and tmpl["spec"]["dnsPolicy"] == "ClusterFirst"
    c = tmpl["spec"]["containers"][0]
    assert c["command"] == ["sh", "-c", "echo hi"] and c["imagePullPolicy"] == "IfNotPresent"
    assert c["terminationMessagePath"] == "/dev/termination-log" and c["resources"] == {}
    # the pod: owner, labels, the tracking finalizer while it runs
    pod = wait_for(lambda: pods_of(ksim, "hello"))[0]
    assert pod["metadata"]["name"].startswith("hello-") and len(pod["metadata"]["name"]) == len("hello-") + 5
    assert pod["metadata"]["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "Job", "name": "hello",
                                                   "uid": uid, "controller": True, "blockOwnerDeletion": True}]
    assert {k: pod["metadata"]["labels"][k] for k in labels} == labels
    assert pod["metadata"].get("finalizers") == ["batch.kubernetes.io/job-tracking"]
    res = ksim.kubectl("wait", "--for=condition=complete", "job/hello", "--timeout=30s")
    assert res.stdout.strip() == "job.batch/hello condition met"
    j = job(ksim, "hello")
    st = j["status"]
    assert [c["type"] for c in st["conditions"]] == ["SuccessCriteriaMet", "Complete"]
    for c in st["conditions"]:
        assert (c["status"], c["reason"], c["message"]) == ("True", "CompletionsReached",
                                                            "Reached expected number of succeeded pods")
    assert st["succeeded"] == 1 and "failed" not in st and "active" not in st
    assert st["ready"] == 0 and st["terminating"] == 0 and st["uncountedTerminatedPods"] == {}
    assert st["startTime"] <= st["completionTime"]
    pod = pods_of(ksim, "hello")[0]
    assert pod["status"]["phase"] == "Succeeded" and not pod["metadata"].get("finalizers")
    ev = events_of(ksim, "hello")
    assert ("Normal", "SuccessfulCreate", "Created pod: %s" % pod["metadata"]["name"], "job-controller") in ev
    assert ("Normal", "Completed", "Job completed", "job-controller") in ev
    out = ksim.kubectl("describe", "job", "hello").stdout
    assert "Pods Statuses:    0 Active (0 Ready) / 1 Succeeded / 0 Failed" in out
    assert "Completion Mode:  NonIndexed" in out and "Backoff Limit:    6" in out


def test_parallel_completions_and_status_while_running(ksim):
    ksim.json("POST", JOBS, {"metadata": {"name": "par"}, "spec": {
        "completions": 5, "parallelism": 2, "template": {
            "metadata": {"annotations": {"kubesim.io/run-seconds": "1"}},
            "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}, expect=201)
    # never more than `parallelism` pods at once
    peak = 0
    deadline = time.time() + 30
    while time.time() < deadline:
        pods = pods_of(ksim, "par")
        running = [p for p in pods if p["status"].get("phase") not in ("Succeeded", "Failed")]
        peak = max(peak, len(running))
        j = job(ksim, "par")
        if cond(j, "Complete"):
            break
        time.sleep(0.1)
    assert peak == 2
    j = job(ksim, "par")
    assert j["status"]["succeeded"] == 5 and len(pods_of(ksim, "par")) == 5


def test_backoff_limit_never(ksim):
    j = wait_for(lambda: finished(ksim, "fail-never"), timeout=40)
    st = j["status"]
    assert [c["type"] for c in st["conditions"]] == ["FailureTarget", "Failed"]
    for c in st["conditions"]:
        assert (c["reason"], c["message"]) == ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
    assert st["failed"] == 2 and "succeeded" not in st and "completionTime" not in st
    pods = sorted(pods_of(ksim, "fail-never"), key=lambda p: p["metadata"]["creationTimestamp"])
    assert len(pods) == 2 and all(p["status"]["phase"] == "Failed" for p in pods)
    # the replacement waited for the 10 s back-off after the first failure
    first_end = max(cs["state"]["terminated"]["finishedAt"] for cs in pods[0]["status"]["containerStatuses"])
    gap = (time.mktime(time.strptime(pods[1]["metadata"]["creationTimestamp"], "%Y-%m-%dT%H:%M:%SZ")) -
           time.mktime(time.strptime(first_end, "%Y-%m-%dT%H:%M:%SZ")))
    assert gap >= 9
    assert ("Warning", "BackoffLimitExceeded", "Job has reached the specified backoff limit",
            "job-controller") in events_of(ksim, "fail-never")
    assert not any(p["metadata"].get("finalizers") for p in pods)


def test_backoff_limit_on_failure_counts_restarts(ksim):
    j = wait_for(lambda: finished(ksim, "fail-onfailure"), timeout=40)
    assert cond(j, "Failed")["reason"] == "BackoffLimitExceeded"
    # one pod restarted in place; the job deleted it when it gave up
    wait_for(lambda: not pods_of(ksim, "fail-onfailure"), timeout=10)
    ev = events_of(ksim, "fail-onfailure")
    creates = [e for e in ev if e[1] == "SuccessfulCreate"]
    assert len(creates) == 1
    assert any(e[1] == "SuccessfulDelete" and e[2] == creates[0][2].replace("Created", "Deleted") for e in ev)


def test_active_deadline(ksim):
    j = wait_for(lambda: finished(ksim, "deadline"), timeout=20)
    assert [c["type"] for c in j["status"]["conditions"]] == ["FailureTarget", "Failed"]
    assert cond(j, "Failed")["reason"] == "DeadlineExceeded"
    assert cond(j, "Failed")["message"] == "Job was active longer than specified deadline"
    assert ("Warning", "DeadlineExceeded", "Job was active longer than specified deadline",
            "job-controller") in events_of(ksim, "deadline")
    wait_for(lambda: not pods_of(ksim, "deadline"), timeout=10)
    assert "active" not in j["status"] and "failed" not in j["status"]


def test_indexed_job(ksim):
    j = wait_for(lambda: finished(ksim, "indexed"), timeout=30)
    assert j["status"]["completedIndexes"] == "0-2" and j["status"]["succeeded"] == 3
    pods = pods_of(ksim, "indexed")
    assert len(pods) == 3
    for p in pods:
        idx = p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"]
        assert p["metadata"]["labels"]["batch.kubernetes.io/job-completion-index"] == idx
        assert p["metadata"]["name"].startswith("indexed-%s-" % idx)
        assert p["spec"]["hostname"] == "indexed-%s" % idx
        env = p["spec"]["containers"][0]["env"]
        assert {"name": "JOB_COMPLETION_INDEX", "valueFrom": {"fieldRef": {
            "apiVersion": "v1", "fieldPath": "metadata.annotations['batch.kubernetes.io/job-completion-index']"}}} \
            in env
    assert sorted(p["metadata"]["annotations"]["batch.kubernetes.io/job-completion-index"] for p in pods) == \
        ["0", "1", "2"]


def test_work_queue_job(ksim):
    j = wait_for(lambda: finished(ksim, "queue"), timeout=30)
    assert cond(j, "Complete") and j["spec"]["parallelism"] == 2 and "completions" not in j["spec"]
    assert j["status"]["succeeded"] == 2 and len(pods_of(ksim, "queue")) == 2


def test_ttl_after_finished(ksim):
    wait_for(lambda: job(ksim, "ttl") is None, timeout=20)
    wait_for(lambda: not pods_of(ksim, "ttl"), timeout=10)


def test_suspend_and_resume(ksim):
    ksim.json("POST", JOBS, {"metadata": {"name": "later"}, "spec": {"suspend": True, "template": {
        "metadata": {"annotations": {"kubesim.io/run-seconds": "0.5"}},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}, expect=201)
    j = wait_for(lambda: cond(job(ksim, "later"), "Suspended") and job(ksim, "later"))
    c = cond(j, "Suspended")
    assert (c["status"], c["reason"], c["message"]) == ("True", "JobSuspended", "Job suspended")
    assert "startTime" not in j["status"] and not pods_of(ksim, "later")
    assert ksim.kubectl("patch", "job", "later", "--type=merge", "-p", '{"spec":{"suspend":false}}').stdout.strip() \
        == "job.batch/later patched"
    j = wait_for(lambda: finished(ksim, "later"), timeout=20)
    c = cond(j, "Suspended")
    assert (c["status"], c["reason"], c["message"]) == ("False", "JobResumed", "Job resumed")
    assert j["status"]["startTime"] and cond(j, "Complete")
    ev = events_of(ksim, "later")
    assert ("Normal", "Suspended", "Job suspended", "job-controller") in ev
    assert ("Normal", "Resumed", "Job resumed", "job-controller") in ev


def test_suspending_a_running_job_deletes_its_pods(ksim):
    ksim.json("POST", JOBS, {"metadata": {"name": "pause"}, "spec": {"template": {
        "metadata": {"annotations": {"kubesim.io/run-seconds": "60"}},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}, expect=201)
    wait_for(lambda: (job(ksim, "pause")["status"].get("ready") == 1))
    ksim.json("PATCH", JOBS + "/pause", {"spec": {"suspend": True}}, headers=MERGE, expect=200)
    wait_for(lambda: not pods_of(ksim, "pause"), timeout=15)
    j = job(ksim, "pause")
    assert "failed" not in j["status"] and "active" not in j["status"]
    assert cond(j, "Suspended")["status"] == "True"


def test_validation(ksim):
    st, body = ksim.json("POST", JOBS, {"metadata": {"name": "bad"}, "spec": {"template": {"spec": {
        "containers": [{"name": "c", "image": "busybox"}]}}}})
    assert st == 422
    assert body["message"] == 'Job.batch "bad" is invalid: spec.template.spec.restartPolicy: Required value: ' \
                              'valid values: "OnFailure", "Never"'
    st, body = ksim.json("POST", JOBS, {"metadata": {"name": "bad"}, "spec": {"template": {"spec": {
        "restartPolicy": "Always", "containers": [{"name": "c", "image": "busybox"}]}}}})
    assert st == 422 and body["message"].endswith(
        'spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never"')
    st, body = ksim.json("POST", JOBS, {"metadata": {"name": "bad"}, "spec": {
        "completionMode": "Indexed", "parallelism": 2, "template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}})
    assert st == 422 and "spec.completions: Required value: when completion mode is Indexed" in body["message"]
    st, body = ksim.json("POST", JOBS, {"metadata": {"name": "bad"}, "spec": {
        "backoffLimit": -1, "template": {"spec": {
            "restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}})
    assert st == 422 and "spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0" in body["message"]
    # the selector cannot change
    _, j = ksim.json("GET", JOBS + "/hello")
    st, body = ksim.json("PATCH", JOBS + "/hello", {"spec": {"selector": {"matchLabels": {"a": "b"}}}},
                         headers=MERGE)
    assert st == 422 and "spec.selector" in body["message"] and "field is immutable" in body["message"]


def test_delete_job_cascades_to_pods(ksim):
    ksim.json("POST", JOBS, {"metadata": {"name": "doomed"}, "spec": {"parallelism": 2, "completions": 2,
                                                                      "template": {
        "metadata": {"annotations": {"kubesim.io/run-seconds": "60"}},
        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}}, expect=201)
    wait_for(lambda: job(ksim, "doomed")["status"].get("active") == 2)
    assert ksim.kubectl("delete", "job", "doomed").stdout.strip() == 'job.batch "doomed" deleted'
    wait_for(lambda: not pods_of(ksim, "doomed"), timeout=20)
    assert job(ksim, "doomed") is None


def test_jobs_from_fixture_listed_by_kubectl(ksim):
    out = json.loads(ksim.kubectl("get", "jobs", "-o", "json").stdout)
    names = set(i["metadata"]["name"] for i in out["items"])
    assert {"fail-never", "fail-onfailure", "deadline", "indexed", "queue", "hello"} <= names


def test_wrongly_typed_bodies_are_bad_requests(ksim):
    st, body = ksim.json("POST", JOBS, {"metadata": {"name": "typed"}, "spec": {"parallelism": "2", "template": {
        "spec": {"restartPolicy": "Never", "containers": [{"name": "c", "image": "busybox"}]}}}})
    assert st == 400 and body["message"] == (
        'Job in version "v1" cannot be handled as a Job: json: cannot unmarshal string into Go struct field '
        'JobSpec.spec.parallelism of type int32')
    st, body = ksim.json("POST", "/apis/batch/v1/namespaces/default/cronjobs", {"metadata": {"name": "typed"},
                                                                               "spec": {"schedule": 5}})
    assert st == 400 and body["message"] == (
        'CronJob in version "v1" cannot be handled as a CronJob: json: cannot unmarshal number into Go struct '
        'field CronJobSpec.spec.schedule of type string')
    for spec in ("x", [], {"template": "x"}, {"template": {"spec": {"containers": [1]}}}, {"backoffLimit": 1.5},
                 {"suspend": "yes"}, {"selector": []}):
        st, body = ksim.json("POST", JOBS, {"metadata": {"name": "typed"}, "spec": spec})
        assert st in (400, 422), (spec, st, body)
    assert ksim.alive()
