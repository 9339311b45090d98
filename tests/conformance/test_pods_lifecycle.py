"""Pod lifecycle with the real kubectl: the simulated kubelet's contract (Running with full status, crash
loops, image pull failures, Job-style pods, init containers and sidecars, readiness), graceful deletion,
the scheduler's filters and FailedScheduling messages, and NotReady nodes."""

import ipaddress
import json
import threading
import time

import pytest

from conftest import table_rows

SMP = {"Content-Type": "application/strategic-merge-patch+json"}
MERGE = {"Content-Type": "application/merge-patch+json"}


def wait_for(fn, timeout=10.0, step=0.1):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(step)
    raise AssertionError("condition not met within %.1fs, last value %r" % (timeout, last))


def pod_json(sim, name, ns="default"):
    st, body = sim.json("GET", "/api/v1/namespaces/%s/pods/%s" % (ns, name))
    return body if st == 200 else None


def events_for(sim, name, ns="default"):
    out = sim.kubectl("get", "events", "-n", ns, "--field-selector", "involvedObject.name=" + name, "-o", "json")
    return json.loads(out.stdout)["items"]


def pod_manifest(name, image, annotations=None, **spec):
    p = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
         "spec": {"containers": [{"name": "c", "image": image}]}}
    if annotations:
        p["metadata"]["annotations"] = annotations
    p["spec"].update(spec)
    return p


def create(sim, obj, ns="default"):
    st, body = sim.json("POST", "/api/v1/namespaces/%s/pods" % ns, obj)
    assert st == 201, body
    return body


def status_row(sim, name):
    rows = table_rows(sim.kubectl("get", "pod", name).stdout)[1]
    return rows[0] if rows else None


# Pods created at once when the module starts, so their lifecycles run in parallel with the tests.
LIFECYCLE_PODS = [
    pod_manifest("crash", "registry.example.com/app-crashloop:1.0"),
    pod_manifest("pullfail", "registry.example.com/does-not-exist:1.0"),
    pod_manifest("job-ok", "busybox:1.36", restartPolicy="Never"),
    pod_manifest("job-fail", "busybox:1.36", {"kubesim.io/run-seconds": "1", "kubesim.io/exit-code": "3"},
                 restartPolicy="Never"),
    pod_manifest("job-retry", "busybox:1.36", {"kubesim.io/run-seconds": "0.5", "kubesim.io/exit-code": "2"},
                 restartPolicy="OnFailure"),
    pod_manifest("inits", "nginx:1.27", initContainers=[
        {"name": "migrate", "image": "busybox:1.36"},
        {"name": "proxy", "image": "envoyproxy/envoy:v1.31", "restartPolicy": "Always"},
        {"name": "warmup", "image": "busybox:1.36"}]),
    pod_manifest("gated", "nginx:1.27", readinessGates=[{"conditionType": "example.com/feature"}]),
]


@pytest.fixture(scope="module")
def cluster(make_sim):
    s = make_sim(args=["--nodes", "3"])
    for p in LIFECYCLE_PODS:
        create(s, json.loads(json.dumps(p)))
    return s


def test_pod_runs_with_full_status_and_events(cluster):
    sim = cluster
    assert sim.kubectl("run", "web", "--image=nginx:1.27").stdout.strip() == "pod/web created"
    row = wait_for(lambda: (status_row(sim, "web") or {}).get("STATUS") == "Running" and status_row(sim, "web"))
    assert row["READY"] == "1/1" and row["RESTARTS"] == "0"
    pod = pod_json(sim, "web")
    st = pod["status"]
    node = json.loads(sim.kubectl("get", "node", pod["spec"]["nodeName"], "-o", "json").stdout)
    internal = [a["address"] for a in node["status"]["addresses"] if a["type"] == "InternalIP"][0]
    assert st["hostIP"] == internal and st["hostIPs"] == [{"ip": internal}]
    assert ipaddress.ip_address(st["podIP"]) in ipaddress.ip_network(node["spec"]["podCIDR"])
    assert st["podIPs"] == [{"ip": st["podIP"]}]
    assert st["qosClass"] == "BestEffort" and st["startTime"]
    # kubelet-owned conditions in the kubelet's order, PodScheduled last
    assert [(c["type"], c["status"]) for c in st["conditions"]] == [
        ("PodReadyToStartContainers", "True"), ("Initialized", "True"), ("Ready", "True"),
        ("ContainersReady", "True"), ("PodScheduled", "True")]
    cs = st["containerStatuses"][0]
    assert cs["name"] == "web"
    assert cs["ready"] is True and cs["started"] is True and cs["restartCount"] == 0
    assert cs["image"] == "docker.io/library/nginx:1.27"
    assert cs["imageID"].startswith("docker.io/library/nginx@sha256:") and len(cs["imageID"].split(":")[-1]) == 64
    assert cs["containerID"].startswith("containerd://") and len(cs["containerID"]) == len("containerd://") + 64
    assert list(cs["state"]) == ["running"] and cs["lastState"] == {}
    evs = {e["reason"]: e for e in events_for(sim, "web")}
    assert evs["Scheduled"]["message"] == "Successfully assigned default/web to %s" % pod["spec"]["nodeName"]
    assert evs["Scheduled"]["source"] == {"component": "default-scheduler"}
    assert evs["Pulling"]["message"] == 'Pulling image "nginx:1.27"'
    assert evs["Pulled"]["message"].startswith('Successfully pulled image "nginx:1.27" in ') and \
        "including waiting). Image size: " in evs["Pulled"]["message"]
    assert evs["Created"]["message"] == "Created container: web"
    assert evs["Started"]["message"] == "Started container web"
    for r in ("Pulling", "Pulled", "Created", "Started"):
        assert evs[r]["source"] == {"component": "kubelet", "host": pod["spec"]["nodeName"]}
        assert evs[r]["involvedObject"]["fieldPath"] == "spec.containers{web}"
        assert evs[r]["type"] == "Normal"


def test_image_already_present_on_the_node(cluster):
    sim = cluster
    first = pod_json(sim, "web")["spec"]["nodeName"]
    over = json.dumps({"spec": {"nodeName": first}})
    sim.kubectl("run", "web-again", "--image=nginx:1.27", "--overrides", over)
    wait_for(lambda: (status_row(sim, "web-again") or {}).get("STATUS") == "Running")
    msgs = {e["reason"]: e["message"] for e in events_for(sim, "web-again")}
    assert msgs["Pulled"] == 'Container image "nginx:1.27" already present on machine'
    assert "Pulling" not in msgs and "Scheduled" not in msgs   # bound by spec.nodeName: no scheduler


def test_crash_loop(cluster):
    sim = cluster

    def looping():
        p = pod_json(sim, "crash")
        cs = p["status"]["containerStatuses"][0]
        w = cs["state"].get("waiting") or {}
        return w.get("reason") == "CrashLoopBackOff" and cs["restartCount"] >= 1 and p
    p = wait_for(looping, timeout=12)
    cs = p["status"]["containerStatuses"][0]
    assert p["status"]["phase"] == "Running"
    term = cs["lastState"]["terminated"]
    assert term["exitCode"] == 1 and term["reason"] == "Error" and term["containerID"] == cs["containerID"]
    assert cs["state"]["waiting"]["message"] == "back-off %ds restarting failed container=c pod=crash_default(%s)" % (
        2 ** (cs["restartCount"] - 1) if cs["restartCount"] < 5 else 10, p["metadata"]["uid"])
    assert cs["ready"] is False and cs["started"] is False
    ready = [c for c in p["status"]["conditions"] if c["type"] == "Ready"][0]
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False", "ContainersNotReady", "containers with unready status: [c]")
    row = status_row(sim, "crash")
    assert row["STATUS"] in ("CrashLoopBackOff", "Running", "Error") and row["RESTARTS"].startswith(
        str(cs["restartCount"]))
    backoff = [e for e in events_for(sim, "crash") if e["reason"] == "BackOff"]
    assert backoff and backoff[0]["type"] == "Warning" and backoff[0]["message"] == \
        "Back-off restarting failed container c in pod crash_default(%s)" % p["metadata"]["uid"]
    # the count keeps growing
    n = cs["restartCount"]
    wait_for(lambda: pod_json(sim, "crash")["status"]["containerStatuses"][0]["restartCount"] > n, timeout=8)


def test_image_pull_failure(cluster):
    sim = cluster
    image = "registry.example.com/does-not-exist:1.0"
    seen = set()

    def both():
        w = pod_json(sim, "pullfail")["status"]["containerStatuses"][0]["state"].get("waiting") or {}
        seen.add(w.get("reason"))
        return {"ErrImagePull", "ImagePullBackOff"} <= seen
    wait_for(both, timeout=8, step=0.05)
    p = pod_json(sim, "pullfail")
    assert p["status"]["phase"] == "Pending"
    cs = p["status"]["containerStatuses"][0]
    assert cs["image"] == image and cs["imageID"] == "" and "containerID" not in cs and cs["started"] is False
    evs = events_for(sim, "pullfail")
    msgs = [(e["type"], e["reason"], e["message"]) for e in evs]
    assert ("Normal", "BackOff", 'Back-off pulling image "%s"' % image) in msgs
    assert ("Warning", "Failed", "Error: ErrImagePull") in msgs
    assert ("Warning", "Failed", "Error: ImagePullBackOff") in msgs
    failed = [m for t, r, m in msgs if r == "Failed" and m.startswith("Failed to pull image")]
    assert failed and failed[0].startswith('Failed to pull image "%s": rpc error: code = NotFound' % image)
    assert status_row(sim, "pullfail")["STATUS"] in ("ErrImagePull", "ImagePullBackOff")


def test_job_style_pods_terminate(cluster):
    sim = cluster
    ok = wait_for(lambda: (pod_json(sim, "job-ok")["status"]["phase"] == "Succeeded") and pod_json(sim, "job-ok"),
                  timeout=8)
    term = ok["status"]["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == 0 and term["reason"] == "Completed"
    conds = {c["type"]: c for c in ok["status"]["conditions"]}
    assert (conds["Ready"]["status"], conds["Ready"]["reason"]) == ("False", "PodCompleted")
    assert (conds["ContainersReady"]["status"], conds["ContainersReady"]["reason"]) == ("False", "PodCompleted")
    assert (conds["Initialized"]["status"], conds["Initialized"]["reason"]) == ("True", "PodCompleted")
    assert conds["PodReadyToStartContainers"]["status"] == "False"
    started = ok["status"]["containerStatuses"][0]["state"]["terminated"]
    assert started["startedAt"] <= started["finishedAt"]
    assert status_row(sim, "job-ok")["STATUS"] == "Completed"

    bad = wait_for(lambda: (pod_json(sim, "job-fail")["status"]["phase"] == "Failed") and pod_json(sim, "job-fail"),
                   timeout=8)
    term = bad["status"]["containerStatuses"][0]["state"]["terminated"]
    assert term["exitCode"] == 3 and term["reason"] == "Error"
    assert [c["reason"] for c in bad["status"]["conditions"] if c["type"] == "Ready"] == ["PodFailed"]
    assert status_row(sim, "job-fail")["STATUS"] == "Error"

    retry = wait_for(lambda: (pod_json(sim, "job-retry")["status"]["containerStatuses"][0]["restartCount"] >= 2)
                     and pod_json(sim, "job-retry"), timeout=10)
    assert retry["status"]["phase"] == "Running"
    last = retry["status"]["containerStatuses"][0]["lastState"]["terminated"]
    assert last["exitCode"] == 2 and last["reason"] == "Error"


def test_init_containers_then_sidecar_keeps_running(cluster):
    sim = cluster
    p = wait_for(lambda: (pod_json(sim, "inits")["status"]["phase"] == "Running") and pod_json(sim, "inits"),
                 timeout=8)
    ics = {c["name"]: c for c in p["status"]["initContainerStatuses"]}
    assert [c["name"] for c in p["status"]["initContainerStatuses"]] == ["migrate", "proxy", "warmup"]
    for n in ("migrate", "warmup"):
        t = ics[n]["state"]["terminated"]
        assert t["exitCode"] == 0 and t["reason"] == "Completed" and ics[n]["ready"] is True
    assert "running" in ics["proxy"]["state"] and ics["proxy"]["started"] and ics["proxy"]["ready"]
    mig, warm = ics["migrate"]["state"]["terminated"], ics["warmup"]["state"]["terminated"]
    assert mig["finishedAt"] <= warm["startedAt"]
    row = status_row(sim, "inits")
    assert row["READY"] == "2/2" and row["STATUS"] == "Running"
    # while initialising, the STATUS column counts init containers
    sim.kubectl("run", "inits-2", "--image=nginx:1.27", "--overrides", json.dumps(
        {"spec": {"initContainers": [{"name": "a", "image": "busybox:1.36"}, {"name": "b", "image": "busybox:1.36"}]}}))
    seen = set()

    def progressed():
        r = status_row(sim, "inits-2")
        if r:
            seen.add(r["STATUS"])
        return r and r["STATUS"] == "Running"
    wait_for(progressed, timeout=8, step=0.05)
    assert seen & {"Init:0/2", "Init:1/2"}


def test_readiness_probe_delay(cluster):
    sim = cluster
    create(sim, pod_manifest("slow-ready", "nginx:1.27", containers=[
        {"name": "c", "image": "nginx:1.27", "readinessProbe": {"httpGet": {"path": "/", "port": 80},
                                                                "initialDelaySeconds": 2}}]))
    p = wait_for(lambda: (pod_json(sim, "slow-ready")["status"]["phase"] == "Running") and pod_json(sim, "slow-ready"),
                 step=0.05)
    running_at = time.time()
    if p["status"]["containerStatuses"][0]["ready"]:
        pytest.fail("ready before its initialDelaySeconds")
    assert status_row(sim, "slow-ready")["READY"] == "0/1"
    wait_for(lambda: pod_json(sim, "slow-ready")["status"]["containerStatuses"][0]["ready"], timeout=5)
    assert time.time() - running_at > 0.8
    conds = {c["type"]: c["status"] for c in pod_json(sim, "slow-ready")["status"]["conditions"]}
    assert conds["Ready"] == "True"


def test_readiness_gates(cluster):
    sim = cluster
    p = wait_for(lambda: (pod_json(sim, "gated")["status"]["phase"] == "Running") and pod_json(sim, "gated"))
    ready = [c for c in p["status"]["conditions"] if c["type"] == "Ready"][0]
    assert ready["status"] == "False" and ready["reason"] == "ReadinessGatesNotReady"
    assert ready["message"] == 'corresponding condition of pod readiness gate "example.com/feature" does not exist.'
    assert p["status"]["containerStatuses"][0]["ready"] is True
    patch = json.dumps({"status": {"conditions": [{"type": "example.com/feature", "status": "True"}]}})
    sim.kubectl("patch", "pod", "gated", "--subresource=status", "--type=strategic", "-p", patch)

    def gate_open():
        conds = {c["type"]: c for c in pod_json(sim, "gated")["status"]["conditions"]}
        return conds["Ready"]["status"] == "True" and conds
    conds = wait_for(gate_open, timeout=5)
    types = [c["type"] for c in pod_json(sim, "gated")["status"]["conditions"]]
    assert types[0] == "example.com/feature" and types[-1] == "PodScheduled"


def test_graceful_deletion(cluster):
    sim = cluster
    sim.kubectl("run", "slow-stop", "--image=nginx:1.27", "--annotations=kubesim.io/terminate-seconds=2")
    wait_for(lambda: (status_row(sim, "slow-stop") or {}).get("STATUS") == "Running")
    t0 = time.time()
    out = sim.kubectl("delete", "pod", "slow-stop", "--wait=false").stdout.strip()
    assert out == 'pod "slow-stop" deleted'
    p = pod_json(sim, "slow-stop")
    assert p["metadata"]["deletionGracePeriodSeconds"] == 30 and p["metadata"]["deletionTimestamp"]
    assert status_row(sim, "slow-stop")["STATUS"] == "Terminating"
    wait_for(lambda: pod_json(sim, "slow-stop") is None, timeout=6)
    took = time.time() - t0
    assert 1.5 < took < 4.5, took
    killing = [e for e in events_for(sim, "slow-stop") if e["reason"] == "Killing"]
    assert killing and killing[0]["message"] == "Stopping container slow-stop"
    # without the annotation a graceful deletion takes about a second; --grace-period shortens it
    sim.kubectl("run", "quick-stop", "--image=nginx:1.27")
    wait_for(lambda: (status_row(sim, "quick-stop") or {}).get("STATUS") == "Running")
    t0 = time.time()
    sim.kubectl("delete", "pod", "quick-stop")      # waits for the deletion
    assert time.time() - t0 < 3.5
    assert pod_json(sim, "quick-stop") is None


# ---- scheduler ------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def sched(make_sim):
    return make_sim(args=["--nodes", "3"])


def failed_scheduling(sim, name):
    evs = [e for e in events_for(sim, name) if e["reason"] == "FailedScheduling"]
    return evs[-1] if evs else None


def test_unschedulable_pod_message_cordon_and_resources(sched):
    sim = sched
    assert sim.kubectl("cordon", "kubesim-node-3").stdout.strip() == "node/kubesim-node-3 cordoned"
    create(sim, pod_manifest("huge", "nginx:1.27", containers=[
        {"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "6", "memory": "1Gi"}}}]))
    ev = wait_for(lambda: failed_scheduling(sim, "huge"))
    msg = ("0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu. preemption: 0/3 nodes are "
           "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod..")
    assert ev["message"] == msg and ev["type"] == "Warning" and ev["source"]["component"] == "default-scheduler"
    p = pod_json(sim, "huge")
    cond = [c for c in p["status"]["conditions"] if c["type"] == "PodScheduled"][0]
    assert (cond["status"], cond["reason"], cond["message"]) == ("False", "Unschedulable", msg)
    assert p["status"]["phase"] == "Pending" and "nodeName" not in p["spec"]
    assert p["status"]["qosClass"] == "Burstable"
    assert status_row(sim, "huge")["STATUS"] == "Pending"
    sim.kubectl("delete", "pod", "huge", "--wait=false")
    # a pod that fits is never placed on the cordoned node; requests add up per node
    for i in range(4):
        create(sim, pod_manifest("half-%d" % i, "nginx:1.27", containers=[
            {"name": "c", "image": "nginx:1.27", "resources": {"requests": {"cpu": "2500m"}}}]))
    wait_for(lambda: all(pod_json(sim, "half-%d" % i)["spec"].get("nodeName") or failed_scheduling(sim, "half-%d" % i)
                         for i in range(4)))
    placed = [pod_json(sim, "half-%d" % i)["spec"].get("nodeName") for i in range(4)]
    assert sorted(n for n in placed if n) == ["kubesim-node-1", "kubesim-node-2"]
    pending = [i for i, n in enumerate(placed) if not n]
    assert len(pending) == 2
    assert failed_scheduling(sim, "half-%d" % pending[0])["message"].startswith(
        "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.")
    # uncordon: one of them fits on node 3 now
    assert sim.kubectl("uncordon", "kubesim-node-3").stdout.strip() == "node/kubesim-node-3 uncordoned"
    wait_for(lambda: sorted(bool(pod_json(sim, "half-%d" % i)["spec"].get("nodeName")) for i in pending) ==
             [False, True], timeout=6)
    for i in range(4):
        sim.kubectl("delete", "pod", "half-%d" % i, "--wait=false", "--grace-period=0", "--force")


def test_node_selector_affinity_and_taints(sched):
    sim = sched
    create(sim, pod_manifest("wants-ssd", "nginx:1.27", nodeSelector={"disktype": "ssd"}))
    ev = wait_for(lambda: failed_scheduling(sim, "wants-ssd"))
    assert ev["message"] == ("0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. "
                             "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling..")
    sim.kubectl("label", "node", "kubesim-node-2", "disktype=ssd")
    p = wait_for(lambda: pod_json(sim, "wants-ssd")["spec"].get("nodeName") and pod_json(sim, "wants-ssd"))
    assert p["spec"]["nodeName"] == "kubesim-node-2"
    # required node affinity: In / NotIn
    aff = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
        {"matchExpressions": [{"key": "kubernetes.io/hostname", "operator": "NotIn",
                               "values": ["kubesim-node-1", "kubesim-node-2"]}]}]}}}
    create(sim, pod_manifest("not-1-or-2", "nginx:1.27", affinity=aff))
    p = wait_for(lambda: pod_json(sim, "not-1-or-2")["spec"].get("nodeName") and pod_json(sim, "not-1-or-2"))
    assert p["spec"]["nodeName"] == "kubesim-node-3"
    # taints: NoSchedule on two nodes, NoExecute on the third
    assert sim.kubectl("taint", "node", "kubesim-node-1", "dedicated=gpu:NoSchedule").stdout.strip() == \
        "node/kubesim-node-1 tainted"
    sim.kubectl("taint", "node", "kubesim-node-2", "dedicated=gpu:NoSchedule")
    sim.kubectl("taint", "node", "kubesim-node-3", "maintenance:NoExecute")
    # the NoExecute taint evicts the pod that does not tolerate it
    wait_for(lambda: pod_json(sim, "not-1-or-2") is None or pod_json(sim, "not-1-or-2")["metadata"].get(
        "deletionTimestamp"), timeout=5)
    ev = [e for e in events_for(sim, "not-1-or-2") if e["reason"] == "TaintManagerEviction"]
    assert ev and ev[0]["message"] == "Marking for deletion Pod default/not-1-or-2"
    create(sim, pod_manifest("plain", "nginx:1.27"))
    ev = wait_for(lambda: failed_scheduling(sim, "plain"))
    assert ev["message"] == ("0/3 nodes are available: 1 node(s) had untolerated taint {maintenance: }, 2 node(s) had "
                             "untolerated taint {dedicated: gpu}. preemption: 0/3 nodes are available: 3 Preemption "
                             "is not helpful for scheduling..")
    tol = [{"key": "dedicated", "operator": "Equal", "value": "gpu", "effect": "NoSchedule"}]
    create(sim, pod_manifest("tolerant", "nginx:1.27", tolerations=tol, nodeSelector={"disktype": "ssd"}))
    p = wait_for(lambda: pod_json(sim, "tolerant")["spec"].get("nodeName") and pod_json(sim, "tolerant"))
    assert p["spec"]["nodeName"] == "kubesim-node-2"
    for n, t in (("kubesim-node-1", "dedicated-"), ("kubesim-node-2", "dedicated-"), ("kubesim-node-3", "maintenance-")):
        sim.kubectl("taint", "node", n, t)
    wait_for(lambda: pod_json(sim, "plain")["spec"].get("nodeName"))


def test_not_ready_node(sched):
    sim = sched
    for n in ("kubesim-node-2", "kubesim-node-3"):
        sim.kubectl("cordon", n)
    over = json.dumps({"spec": {"tolerations": [
        {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 1}]}})
    sim.kubectl("run", "short-tolerance", "--image=nginx:1.27", "--overrides", over)
    sim.kubectl("run", "long-tolerance", "--image=nginx:1.27")
    for name in ("short-tolerance", "long-tolerance"):
        wait_for(lambda name=name: (status_row(sim, name) or {}).get("STATUS") == "Running")
        assert pod_json(sim, name)["spec"]["nodeName"] == "kubesim-node-1"
    ready_false = json.dumps([{"op": "replace", "path": "/status/conditions/3/status", "value": "False"},
                              {"op": "replace", "path": "/status/conditions/3/reason", "value": "KubeletNotReady"}])
    node = json.loads(sim.kubectl("get", "node", "kubesim-node-1", "-o", "json").stdout)
    assert node["status"]["conditions"][3]["type"] == "Ready"
    sim.kubectl("patch", "node", "kubesim-node-1", "--subresource=status", "--type=json", "-p", ready_false)

    def tainted():
        n = json.loads(sim.kubectl("get", "node", "kubesim-node-1", "-o", "json").stdout)
        return sorted((t["key"], t["effect"]) for t in n["spec"].get("taints") or []) == [
            ("node.kubernetes.io/not-ready", "NoExecute"), ("node.kubernetes.io/not-ready", "NoSchedule")] and n
    n = wait_for(tainted)
    assert all(t.get("timeAdded") for t in n["spec"]["taints"])
    assert table_rows(sim.kubectl("get", "node", "kubesim-node-1").stdout)[1][0]["STATUS"] == "NotReady"

    def not_ready():
        p = pod_json(sim, "long-tolerance")
        return [c["status"] for c in p["status"]["conditions"] if c["type"] == "Ready"] == ["False"]
    wait_for(not_ready)
    ev = [e for e in events_for(sim, "long-tolerance") if e["reason"] == "NodeNotReady"]
    assert ev and ev[0]["message"] == "Node is not ready" and ev[0]["type"] == "Warning"
    # tolerationSeconds 1: evicted; the default 300 s toleration keeps the other one
    wait_for(lambda: pod_json(sim, "short-tolerance") is None or
             pod_json(sim, "short-tolerance")["metadata"].get("deletionTimestamp"), timeout=6)
    assert pod_json(sim, "long-tolerance")["metadata"].get("deletionTimestamp") is None
    # nobody on the node confirms the termination: the evicted pod stays Terminating
    time.sleep(1.5)
    gone = pod_json(sim, "short-tolerance")
    assert gone is not None and gone["metadata"]["deletionTimestamp"]
    assert status_row(sim, "short-tolerance")["STATUS"] == "Terminating"
    dt = [c for c in gone["status"]["conditions"] if c["type"] == "DisruptionTarget"][0]
    assert (dt["status"], dt["reason"], dt["message"]) == (
        "True", "DeletionByTaintManager", "Taint manager: deleting due to NoExecute taint")
    create(sim, pod_manifest("after-notready", "nginx:1.27"))
    ev = wait_for(lambda: failed_scheduling(sim, "after-notready"))
    assert ev["message"].startswith("0/3 nodes are available: 1 node(s) had untolerated taint "
                                    "{node.kubernetes.io/not-ready: }, 2 node(s) were unschedulable.")
    # back to Ready: the taints go, the pod is ready again
    sim.kubectl("patch", "node", "kubesim-node-1", "--subresource=status", "--type=json", "-p", json.dumps(
        [{"op": "replace", "path": "/status/conditions/3/status", "value": "True"},
         {"op": "replace", "path": "/status/conditions/3/reason", "value": "KubeletReady"}]))
    wait_for(lambda: not json.loads(sim.kubectl("get", "node", "kubesim-node-1", "-o", "json").stdout)["spec"].get(
        "taints"))
    wait_for(lambda: not not_ready(), timeout=5)
    wait_for(lambda: pod_json(sim, "after-notready")["spec"].get("nodeName") == "kubesim-node-1", timeout=5)
    wait_for(lambda: pod_json(sim, "short-tolerance") is None, timeout=5)


def test_kubectl_watch_sees_pending_containercreating_running(cluster):
    """A new pod goes Pending, then ContainerCreating (pulling), then Running, and kubectl get
    -w prints each state as it comes."""
    sim = cluster
    w = sim.kubectl_popen("get", "pods", "-w", "--no-headers", "--field-selector",
                          "metadata.name=stages")
    guard = threading.Timer(40, w.kill)  # readline must not wait forever
    guard.start()
    try:
        time.sleep(1.5)  # the watch is open before the pod exists
        sim.kubectl("run", "stages", "--image=nginx:1.26")
        seen = []
        deadline = time.time() + 30
        while time.time() < deadline and "Running" not in seen:
            line = w.stdout.readline()
            if not line:
                break
            parts = line.split()
            if parts and parts[0] == "stages" and (not seen or seen[-1] != parts[2]):
                seen.append(parts[2])
    finally:
        guard.cancel()
        w.kill()
        w.wait()
    assert seen and seen[-1] == "Running", seen
    assert seen.index("ContainerCreating") < seen.index("Running"), seen
    assert seen[0] == "Pending", seen
