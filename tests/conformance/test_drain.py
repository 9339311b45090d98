"""cordon, uncordon and drain with the real kubectl, through the Eviction API: DaemonSet, local-storage and
unmanaged pods, --grace-period, PodDisruptionBudgets (their status as the disruption controller keeps it,
the 429 when no disruption is allowed, --timeout), and the eviction subresource's answers over JSON and
protobuf."""

import json
import socket
import threading
import time

import pytest

from conftest import read_events, table_rows

EVICTION_429 = "Cannot evict pod as it would violate the pod's disruption budget."


def wait_for(fn, timeout=15.0, step=0.1):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(step)
    raise AssertionError("condition not met within %.1fs, last value %r" % (timeout, last))


@pytest.fixture(scope="module")
def sim(make_sim):
    return make_sim(args=["--nodes", "3"])


def get(sim, path):
    st, body = sim.json("GET", path)
    return body if st == 200 else None


def node(sim, name):
    return get(sim, "/api/v1/nodes/" + name)


def pods(sim, ns="default"):
    return get(sim, "/api/v1/namespaces/%s/pods" % ns)["items"]


def pods_on(sim, node_name, ns="default"):
    return [p for p in pods(sim, ns) if p["spec"].get("nodeName") == node_name]


def owner_kind(p):
    refs = [r for r in p["metadata"].get("ownerReferences") or [] if r.get("controller")]
    return refs[0]["kind"] if refs else None


def pdb(sim, name, ns="default"):
    return get(sim, "/apis/policy/v1/namespaces/%s/poddisruptionbudgets/%s" % (ns, name))


def apply(sim, obj):
    res = sim.kubectl("apply", "-f", "-", input=json.dumps(obj))
    return res.stdout.strip()


def rollout(sim, name):
    sim.kubectl("rollout", "status", "deployment/" + name, "--timeout=60s")


class Recorder:
    def __init__(self, sim, path):
        _, lst = sim.json("GET", path)
        self.conn, self.resp = sim.watch(path + "?watch=1&resourceVersion=%s" % lst["metadata"]["resourceVersion"],
                                         timeout=60)
        self.events = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        try:
            for ev in read_events(self.resp, limit_s=60, until=lambda e: False):
                self.events.append(ev)
        except Exception:
            pass

    def stop(self):
        time.sleep(0.2)
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(5)


def pdb_manifest(name, app, **spec):
    s = {"selector": {"matchLabels": {"app": app}}}
    s.update(spec)
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": name}, "spec": s}


# ---- protobuf (what client-go's typed clients send) ---------------------------------------------------

def _varint(n):
    out = b""
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out += bytes([b | 0x80])
        else:
            return out + bytes([b])


def _field(num, value):
    if isinstance(value, int):
        return _varint(num << 3) + _varint(value)
    if isinstance(value, str):
        value = value.encode()
    return _varint(num << 3 | 2) + _varint(len(value)) + value


def protobuf_eviction(name, ns, grace=None):
    meta = _field(1, name) + _field(3, ns)
    body = _field(1, meta)
    if grace is not None:
        body += _field(2, _field(1, grace))
    unknown = _field(1, _field(1, "policy/v1") + _field(2, "Eviction")) + _field(2, body)
    return b"k8s\x00" + unknown


# ---- tests ---------------------------------------------------------------------------------------

def test_cordon_and_uncordon(sim):
    assert sim.kubectl("cordon", "kubesim-node-3").stdout.strip() == "node/kubesim-node-3 cordoned"
    n = node(sim, "kubesim-node-3")
    assert n["spec"]["unschedulable"] is True
    n = wait_for(lambda: node(sim, "kubesim-node-3")["spec"].get("taints") and node(sim, "kubesim-node-3"))
    [t] = n["spec"]["taints"]
    assert t["key"] == "node.kubernetes.io/unschedulable" and t["effect"] == "NoSchedule" and t["timeAdded"]
    row = table_rows(sim.kubectl("get", "node", "kubesim-node-3").stdout)[1][0]
    assert row["STATUS"] == "Ready,SchedulingDisabled"
    assert sim.kubectl("cordon", "kubesim-node-3").stdout.strip() == "node/kubesim-node-3 already cordoned"
    patches = [r for r in sim.requests_logged() if r["method"] == "PATCH" and r["path"] == "/api/v1/nodes/kubesim-node-3"]
    assert len(patches) == 1 and patches[0]["status"] == 200
    assert sim.kubectl("uncordon", "kubesim-node-3").stdout.strip() == "node/kubesim-node-3 uncordoned"
    wait_for(lambda: not node(sim, "kubesim-node-3")["spec"].get("taints"))
    assert "unschedulable" not in node(sim, "kubesim-node-3")["spec"]
    assert sim.kubectl("uncordon", "kubesim-node-3").stdout.strip() == "node/kubesim-node-3 already uncordoned"


def test_drain_refuses_then_evicts(sim):
    ds = {"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": {"name": "agent"},
          "spec": {"selector": {"matchLabels": {"app": "agent"}},
                   "template": {"metadata": {"labels": {"app": "agent"}},
                                "spec": {"containers": [{"name": "agent", "image": "fluent/fluent-bit:3.1"}]}}}}
    assert apply(sim, ds) == "daemonset.apps/agent created"
    sim.kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3")
    over = {"spec": {"nodeName": "kubesim-node-1", "volumes": [{"name": "scratch", "emptyDir": {}}],
                     "containers": [{"name": "scratchy", "image": "nginx:1.27",
                                     "volumeMounts": [{"name": "scratch", "mountPath": "/scratch"}]}]}}
    sim.kubectl("run", "scratchy", "--image=nginx:1.27", "--overrides", json.dumps(over))
    sim.kubectl("run", "bare", "--image=nginx:1.27", "--overrides", json.dumps({"spec": {"nodeName": "kubesim-node-1"}}))
    rollout(sim, "web")
    agent = wait_for(lambda: [p for p in pods_on(sim, "kubesim-node-1") if owner_kind(p) == "DaemonSet"])
    agent_names = sorted("default/" + p["metadata"]["name"] for p in agent)
    wait_for(lambda: all(p["status"].get("phase") == "Running" for p in pods_on(sim, "kubesim-node-1")))
    web = [p["metadata"]["name"] for p in pods_on(sim, "kubesim-node-1") if owner_kind(p) == "ReplicaSet"]
    assert len(web) == 1

    res = sim.kubectl("drain", "kubesim-node-1", check=False)
    assert res.returncode == 1
    assert res.stdout.strip() == "node/kubesim-node-1 cordoned"
    why = ["cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): %s" % ", ".join(agent_names),
           "cannot delete Pods with local storage (use --delete-emptydir-data to override): default/scratchy",
           "cannot delete Pods that declare no controller (use --force to override): default/bare"]
    # kubectl joins these in map order (and doubles "cannot delete" on the last one)
    lines = res.stderr.splitlines()
    assert lines[0].startswith('error: unable to drain node "kubesim-node-1" due to error: [')
    assert lines[0].endswith("], continuing command...")
    assert lines[1:3] == ["There are pending nodes to be drained:", " kubesim-node-1"]
    for w in why:
        assert w in lines[0] and any(w in ln for ln in lines[3:])
    assert node(sim, "kubesim-node-1")["spec"]["unschedulable"] is True
    assert len(pods_on(sim, "kubesim-node-1")) == len(agent) + 3     # nothing evicted

    rec = Recorder(sim, "/api/v1/namespaces/default/pods")
    try:
        res = sim.kubectl("drain", "kubesim-node-1", "--ignore-daemonsets", "--delete-emptydir-data", "--force",
                          "--grace-period=1", "--timeout=30s", check=False)
    finally:
        rec.stop()
    assert res.returncode == 0, res.stderr
    out = res.stdout.splitlines()
    assert out[0] == "node/kubesim-node-1 already cordoned" and out[-1] == "node/kubesim-node-1 drained"
    victims = sorted(web + ["scratchy", "bare"])
    assert sorted(out[1:-1]) == sorted(["evicting pod default/%s" % v for v in victims] +
                                       ["pod/%s evicted" % v for v in victims])
    warning = res.stderr.strip()
    assert warning.startswith("Warning: ")
    assert set(warning[len("Warning: "):].split("; ")) == {
        "ignoring DaemonSet-managed Pods: %s" % ", ".join(agent_names),
        "deleting Pods that declare no controller: default/bare, default/scratchy"}
    # server side: evictions went through pods/eviction, with the grace period and the DisruptionTarget condition
    evictions = [r for r in sim.requests_logged() if r["method"] == "POST" and r["path"].endswith("/eviction")]
    assert sorted(r["path"].split("/")[-2] for r in evictions if r["status"] == 201) == victims
    for v in victims:
        marked = [e["object"] for e in rec.events if e["type"] == "MODIFIED" and e["object"]["metadata"]["name"] == v
                  and e["object"]["metadata"].get("deletionTimestamp")]
        assert marked and marked[0]["metadata"]["deletionGracePeriodSeconds"] == 1
        dt = [c for c in marked[0]["status"]["conditions"] if c["type"] == "DisruptionTarget"]
        assert dt and (dt[0]["status"], dt[0]["reason"], dt[0]["message"]) == (
            "True", "EvictionByEvictionAPI", "Eviction API: evicting")
    left = pods_on(sim, "kubesim-node-1")
    assert sorted(p["metadata"]["name"] for p in left) == sorted(p["metadata"]["name"] for p in agent)
    rollout(sim, "web")
    web_pods = [p for p in pods(sim) if owner_kind(p) == "ReplicaSet" and p["metadata"]["name"].startswith("web-")
                and not p["metadata"].get("deletionTimestamp")]
    assert len(web_pods) == 3 and all(p["spec"]["nodeName"] != "kubesim-node-1" for p in web_pods)
    assert sim.kubectl("uncordon", "kubesim-node-1").stdout.strip() == "node/kubesim-node-1 uncordoned"


def test_pdb_status_and_blocked_drain(sim):
    sim.kubectl("create", "deployment", "guarded", "--image=nginx:1.27", "--replicas=2")
    rollout(sim, "guarded")
    assert apply(sim, pdb_manifest("guarded-pdb", "guarded", minAvailable=2)) == \
        "poddisruptionbudget.policy/guarded-pdb created"
    p = wait_for(lambda: (pdb(sim, "guarded-pdb").get("status") or {}).get("observedGeneration") == 1 and
                 pdb(sim, "guarded-pdb"))
    st = p["status"]
    assert {k: st[k] for k in ("currentHealthy", "desiredHealthy", "disruptionsAllowed", "expectedPods")} == \
        {"currentHealthy": 2, "desiredHealthy": 2, "disruptionsAllowed": 0, "expectedPods": 2}
    assert "disruptedPods" not in st
    [c] = st["conditions"]
    assert {k: c[k] for k in ("type", "status", "reason", "message", "observedGeneration")} == \
        {"type": "DisruptionAllowed", "status": "False", "reason": "InsufficientPods", "message": "",
         "observedGeneration": 1}
    target = [x for x in pods(sim) if x["metadata"]["name"].startswith("guarded-")][0]
    node_name = target["spec"]["nodeName"]
    t0 = time.time()
    res = sim.kubectl("drain", node_name, "--ignore-daemonsets", "--timeout=3s", check=False)
    assert res.returncode == 1 and 2.5 < time.time() - t0 < 15
    assert 'error when evicting pods/"%s" -n "default" (will retry after 5s): %s' % (
        target["metadata"]["name"], EVICTION_429) in res.stderr
    assert "global timeout reached: 3s" in res.stderr
    assert get(sim, "/api/v1/namespaces/default/pods/" + target["metadata"]["name"])["metadata"].get(
        "deletionTimestamp") is None
    # the same answer, raw
    body = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": target["metadata"]["name"]}}
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction" % target["metadata"]["name"], body)
    assert code == 429 and reply == {
        "kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": EVICTION_429,
        "reason": "TooManyRequests", "details": {"causes": [
            {"reason": "DisruptionBudget", "message": "The disruption budget guarded-pdb needs 2 healthy pods and has "
                                                      "2 currently"}]}, "code": 429}
    # relax the budget: one disruption allowed, and the drain goes through
    sim.kubectl("patch", "pdb", "guarded-pdb", "--type=merge", "-p", '{"spec":{"minAvailable":1}}')
    p = wait_for(lambda: (pdb(sim, "guarded-pdb").get("status") or {}).get("observedGeneration") == 2 and
                 pdb(sim, "guarded-pdb"))
    assert (p["status"]["disruptionsAllowed"], p["status"]["desiredHealthy"]) == (1, 1)
    assert [(c["status"], c["reason"]) for c in p["status"]["conditions"]] == [("True", "SufficientPods")]
    rec = Recorder(sim, "/apis/policy/v1/namespaces/default/poddisruptionbudgets")
    try:
        res = sim.kubectl("drain", node_name, "--ignore-daemonsets", "--timeout=30s")
    finally:
        rec.stop()
    assert res.stdout.splitlines()[-1] == "node/%s drained" % node_name
    recorded = [e["object"]["status"] for e in rec.events if e["type"] == "MODIFIED"]
    assert any(target["metadata"]["name"] in (s.get("disruptedPods") or {}) and s["disruptionsAllowed"] == 0
               for s in recorded)
    rollout(sim, "guarded")
    p = wait_for(lambda: pdb(sim, "guarded-pdb")["status"].get("currentHealthy") == 2 and pdb(sim, "guarded-pdb"))
    assert p["status"]["disruptionsAllowed"] == 1 and "disruptedPods" not in p["status"]
    sim.kubectl("uncordon", node_name)


def test_eviction_subresource(sim):
    sim.kubectl("create", "deployment", "pct", "--image=nginx:1.27", "--replicas=4")
    rollout(sim, "pct")
    apply(sim, pdb_manifest("pct-pdb", "pct", maxUnavailable="50%"))
    p = wait_for(lambda: (pdb(sim, "pct-pdb").get("status") or {}).get("currentHealthy") == 4 and pdb(sim, "pct-pdb"))
    # maxUnavailable counts the controller's replicas: expectedPods comes from the Deployment's scale
    assert (p["status"]["expectedPods"], p["status"]["desiredHealthy"], p["status"]["disruptionsAllowed"]) == (4, 2, 2)
    victims = sorted(x["metadata"]["name"] for x in pods(sim) if x["metadata"]["name"].startswith("pct-"))
    # JSON body, policy/v1: 201 and a Success Status
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction" % victims[0],
                           {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": victims[0]},
                            "deleteOptions": {"gracePeriodSeconds": 0}})
    assert code == 201 and reply == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                     "code": 201}
    wait_for(lambda: get(sim, "/api/v1/namespaces/default/pods/" + victims[0]) is None)
    # protobuf body (client-go's typed Evict): the pod is marked for a graceful deletion of 7 s
    st, hdrs, data = sim.request("POST", "/api/v1/namespaces/default/pods/%s/eviction" % victims[1],
                                 body=protobuf_eviction(victims[1], "default", grace=7),
                                 headers={"Content-Type": "application/vnd.kubernetes.protobuf"})
    assert st == 201, data
    gone = get(sim, "/api/v1/namespaces/default/pods/" + victims[1])
    assert gone is None or gone["metadata"]["deletionGracePeriodSeconds"] == 7
    # the replacements become ready and the budget recovers
    wait_for(lambda: pdb(sim, "pct-pdb")["status"]["disruptionsAllowed"] == 2 and
             pdb(sim, "pct-pdb")["status"]["currentHealthy"] == 4)
    # dry run: nothing happens
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction?dryRun=All" % victims[2],
                           {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": victims[2]}})
    assert code == 201
    assert get(sim, "/api/v1/namespaces/default/pods/" + victims[2])["metadata"].get("deletionTimestamp") is None
    # errors
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction" % victims[2],
                           {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "other"}})
    assert code == 400 and reply["message"] == "name in URL does not match name in Eviction object"
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/nope/eviction",
                           {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "nope"}})
    assert code == 404 and reply["message"] == 'pods "nope" not found' and reply["reason"] == "NotFound"
    st, _, data = sim.request("POST", "/api/v1/namespaces/default/pods/%s/eviction" % victims[2], body=b"k8s\x00\xff")
    assert st == 400
    # two budgets for one pod: the eviction subresource refuses
    apply(sim, pdb_manifest("pct-pdb-2", "pct", minAvailable=1))
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction" % victims[2],
                           {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": victims[2]}})
    assert code == 500 and reply["message"] == ("This pod has more than one PodDisruptionBudget, which the eviction "
                                                "subresource does not support.")
    sim.kubectl("delete", "pdb", "pct-pdb-2")
    # a pod that is not running yet ignores the budget
    over = json.dumps({"spec": {"nodeSelector": {"no-such": "node"}}})
    sim.kubectl("run", "pending-one", "--image=nginx:1.27", "--labels=app=pct", "--overrides", over)
    apply(sim, pdb_manifest("pct-pdb", "pct", minAvailable=10))
    wait_for(lambda: pdb(sim, "pct-pdb")["status"].get("disruptionsAllowed") == 0 and
             pdb(sim, "pct-pdb")["metadata"]["generation"] == pdb(sim, "pct-pdb")["status"]["observedGeneration"])
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/pending-one/eviction",
                           {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "pending-one"}})
    assert code == 201
    wait_for(lambda: get(sim, "/api/v1/namespaces/default/pods/pending-one") is None)
    # running but not ready: the default IfHealthyBudget policy protects it while the budget is not met,
    # AlwaysAllow lets it go
    slow = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "unready"},
            "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "unready"}},
                     "template": {"metadata": {"labels": {"app": "unready"}}, "spec": {"containers": [
                         {"name": "c", "image": "nginx:1.27",
                          "readinessProbe": {"httpGet": {"port": 80}, "initialDelaySeconds": 120}}]}}}}
    sim.json("POST", "/apis/apps/v1/namespaces/default/deployments", slow, expect=201)
    apply(sim, pdb_manifest("unready-pdb", "unready", minAvailable=2))
    running = wait_for(lambda: [x for x in pods(sim) if x["metadata"]["name"].startswith("unready-")
                                and x["status"].get("phase") == "Running"])
    wait_for(lambda: (pdb(sim, "unready-pdb").get("status") or {}).get("expectedPods") == 2)
    name = running[0]["metadata"]["name"]
    ev = {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": name}}
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction" % name, ev)
    assert code == 429 and reply["details"]["causes"][0]["message"] == \
        "The disruption budget unready-pdb needs 2 healthy pods and has 0 currently"
    sim.kubectl("patch", "pdb", "unready-pdb", "--type=merge", "-p", '{"spec":{"unhealthyPodEvictionPolicy":"AlwaysAllow"}}')
    code, reply = sim.json("POST", "/api/v1/namespaces/default/pods/%s/eviction" % name, ev)
    assert code == 201, reply
    assert pdb(sim, "unready-pdb")["status"]["disruptionsAllowed"] == 0
    assert sim.alive()
