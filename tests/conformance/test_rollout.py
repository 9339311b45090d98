"""Deployments and ReplicaSets with the real kubectl: create deployment (protobuf), apply, scale, set image,
rollout status/history/undo/restart/pause/resume, label, annotate, delete with cascade; the controllers'
revisions, annotations, rolling-update arithmetic, Recreate, history limit, progress deadline, events and
status, checked on the server after each command."""

import json
import os
import re
import socket
import threading
import time

import pytest

from conftest import read_events, table_rows

HASH_RE = re.compile(r"^[bcdfghjklmnpqrstvwxz2456789]{1,10}$")
REV = "deployment.kubernetes.io/revision"


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


def deploy(sim, name, ns="default"):
    return get(sim, "/apis/apps/v1/namespaces/%s/deployments/%s" % (ns, name))


def rss_of(sim, d):
    items = get(sim, "/apis/apps/v1/namespaces/%s/replicasets" % d["metadata"]["namespace"])["items"]
    return sorted([r for r in items if any(o.get("uid") == d["metadata"]["uid"] and o.get("controller")
                                           for o in r["metadata"].get("ownerReferences") or [])],
                  key=lambda r: int(r["metadata"]["annotations"].get(REV, "0")))


def pods_of(sim, rs, ns="default"):
    items = get(sim, "/api/v1/namespaces/%s/pods" % ns)["items"]
    return [p for p in items if any(o.get("uid") == rs["metadata"]["uid"] for o in
                                    p["metadata"].get("ownerReferences") or [])]


def events_of(sim, kind, name, ns="default"):
    out = sim.kubectl("get", "events", "-n", ns, "--field-selector",
                      "involvedObject.kind=%s,involvedObject.name=%s" % (kind, name), "-o", "json").stdout
    items = json.loads(out)["items"]
    items.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
    return items


def scaling_messages(sim, name, ns="default"):
    return [e["message"] for e in events_of(sim, "Deployment", name, ns) if e["reason"] == "ScalingReplicaSet"]


def rollout_status(sim, name, timeout="60s"):
    res = sim.kubectl("rollout", "status", "deployment/" + name, "--timeout=" + timeout)
    assert res.stdout.splitlines()[-1] == 'deployment "%s" successfully rolled out' % name, res.stdout
    return res.stdout


class Recorder:
    """Watch a collection in a thread and keep every event."""

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
        time.sleep(0.2)      # let the last events arrive
        try:
            self.conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.thread.join(5)


def assert_settled(sim, name, replicas):
    d = deploy(sim, name)
    st = d["status"]
    assert st["observedGeneration"] == d["metadata"]["generation"]
    assert (st["replicas"], st["updatedReplicas"], st["readyReplicas"], st["availableReplicas"]) == \
        (replicas, replicas, replicas, replicas)
    assert "unavailableReplicas" not in st
    conds = {c["type"]: c for c in st["conditions"]}
    assert [c["type"] for c in st["conditions"]] == ["Available", "Progressing"]
    assert (conds["Available"]["status"], conds["Available"]["reason"], conds["Available"]["message"]) == \
        ("True", "MinimumReplicasAvailable", "Deployment has minimum availability.")
    new = rss_of(sim, d)[-1]
    assert (conds["Progressing"]["status"], conds["Progressing"]["reason"], conds["Progressing"]["message"]) == \
        ("True", "NewReplicaSetAvailable", 'ReplicaSet "%s" has successfully progressed.' % new["metadata"]["name"])
    return d


# ---- create, status, events ----------------------------------------------------------------------------

def progressing_seen(rec, name):
    """(reason, message) of the Progressing condition in each version of the deployment, without repeats."""
    out = []
    for ev in rec.events:
        o = ev["object"]
        if o["metadata"]["name"] != name:
            continue
        for c in (o.get("status") or {}).get("conditions") or []:
            if c["type"] == "Progressing" and (not out or out[-1] != (c["reason"], c["message"])):
                out.append((c["reason"], c["message"]))
    return out


def test_create_deployment_over_protobuf(sim):
    rec = Recorder(sim, "/apis/apps/v1/namespaces/default/deployments")
    try:
        res = sim.kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=3", "--port=80")
        assert res.stdout.strip() == "deployment.apps/web created"
        posts = [r for r in sim.requests_logged() if r["method"] == "POST" and r["path"].endswith("/deployments")]
        assert posts and posts[-1]["status"] == 201
        out = rollout_status(sim, "web")
    finally:
        rec.stop()
    assert out.splitlines()[0].startswith('Waiting for deployment "web" rollout to finish: ')
    d = assert_settled(sim, "web", 3)
    first = rss_of(sim, d)[0]["metadata"]["name"]
    seen = progressing_seen(rec, "web")
    assert seen[0] == ("NewReplicaSetCreated", 'Created new replica set "%s"' % first)
    assert ("ReplicaSetUpdated", 'ReplicaSet "%s" is progressing.' % first) in seen
    assert seen[-1] == ("NewReplicaSetAvailable", 'ReplicaSet "%s" has successfully progressed.' % first)
    spec = d["spec"]
    assert spec["strategy"] == {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}}
    assert (spec["revisionHistoryLimit"], spec["progressDeadlineSeconds"]) == (10, 600)
    tmpl = spec["template"]
    assert tmpl["metadata"] == {"creationTimestamp": None, "labels": {"app": "web"}}
    assert tmpl["spec"]["containers"] == [{"name": "nginx", "image": "nginx:1.27",
                                           "ports": [{"containerPort": 80, "protocol": "TCP"}], "resources": {},
                                           "terminationMessagePath": "/dev/termination-log",
                                           "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent"}]
    assert d["metadata"]["annotations"] == {REV: "1"}
    [rs] = rss_of(sim, d)
    h = rs["metadata"]["labels"]["pod-template-hash"]
    assert HASH_RE.match(h) and rs["metadata"]["name"] == "web-" + h
    assert rs["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}
    assert rs["spec"]["selector"] == {"matchLabels": {"app": "web", "pod-template-hash": h}}
    assert rs["spec"]["template"]["metadata"]["labels"] == {"app": "web", "pod-template-hash": h}
    assert rs["metadata"]["annotations"] == {REV: "1", "deployment.kubernetes.io/desired-replicas": "3",
                                             "deployment.kubernetes.io/max-replicas": "4"}
    assert rs["metadata"]["ownerReferences"] == [{"apiVersion": "apps/v1", "kind": "Deployment", "name": "web",
                                                  "uid": d["metadata"]["uid"], "controller": True,
                                                  "blockOwnerDeletion": True}]
    assert rs["status"] == {"replicas": 3, "fullyLabeledReplicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                            "observedGeneration": 1}
    pods = pods_of(sim, rs)
    assert len(pods) == 3 and all(p["metadata"]["name"].startswith("web-%s-" % h) for p in pods)
    assert all(p["metadata"]["labels"] == {"app": "web", "pod-template-hash": h} for p in pods)
    assert all(p["metadata"]["generateName"] == "web-%s-" % h for p in pods)
    assert sorted(p["spec"]["nodeName"] for p in pods) == ["kubesim-node-1", "kubesim-node-2", "kubesim-node-3"]
    assert scaling_messages(sim, "web") == ["Scaled up replica set web-%s from 0 to 3" % h]
    created = [e["message"] for e in events_of(sim, "ReplicaSet", rs["metadata"]["name"])
               if e["reason"] == "SuccessfulCreate"]
    assert sorted(created) == sorted("Created pod: " + p["metadata"]["name"] for p in pods)
    src = events_of(sim, "ReplicaSet", rs["metadata"]["name"])[0]["source"]
    assert src == {"component": "replicaset-controller"}
    # the same template always hashes the same
    assert sim.kubectl("create", "deployment", "web", "--image=nginx:1.27", "--replicas=0", "--port=80",
                       "-n", "kube-public").returncode == 0
    twin = wait_for(lambda: rss_of(sim, deploy(sim, "web", "kube-public")))
    assert twin[0]["metadata"]["name"] == "web-" + h
    sim.kubectl("delete", "deployment", "web", "-n", "kube-public")


def test_set_image_rolls_within_surge_and_unavailability(sim):
    old = rss_of(sim, deploy(sim, "web"))[0]["metadata"]["name"]
    rec = Recorder(sim, "/apis/apps/v1/namespaces/default/replicasets")
    try:
        res = sim.kubectl("set", "image", "deployment/web", "nginx=nginx:1.28")
        assert res.stdout.strip() == "deployment.apps/web image updated"
        out = rollout_status(sim, "web")
    finally:
        rec.stop()
    assert 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' in out
    d = assert_settled(sim, "web", 3)
    assert d["metadata"]["generation"] == 2 and d["metadata"]["annotations"][REV] == "2"
    old_rs, new_rs = rss_of(sim, d)
    new = new_rs["metadata"]["name"]
    assert old_rs["metadata"]["name"] == old and old_rs["spec"]["replicas"] == 0 and new != old
    assert new_rs["metadata"]["annotations"][REV] == "2"
    # maxSurge 25% of 3 rounds up to 1, maxUnavailable 25% rounds down to 0: one pod at a time
    assert scaling_messages(sim, "web")[1:] == [
        "Scaled up replica set %s from 0 to 1" % new, "Scaled down replica set %s from 3 to 2" % old,
        "Scaled up replica set %s from 1 to 2" % new, "Scaled down replica set %s from 2 to 1" % old,
        "Scaled up replica set %s from 2 to 3" % new, "Scaled down replica set %s from 1 to 0" % old]
    state = {}
    for ev in rec.events:
        o = ev["object"]
        state[o["metadata"]["name"]] = o
        live = [r for r in state.values() if r["metadata"]["name"] in (old, new)]
        assert sum(r["spec"]["replicas"] for r in live) <= 4
        if len(live) == 2:
            assert sum(r.get("status", {}).get("availableReplicas", 0) for r in live) >= 3 or \
                any(r["status"].get("observedGeneration", 0) < r["metadata"].get("generation", 0) for r in live)
    # the pod template hash of the new pods
    assert all(p["metadata"]["labels"]["pod-template-hash"] == new_rs["metadata"]["labels"]["pod-template-hash"]
               for p in pods_of(sim, new_rs))


def test_change_cause_and_history(sim):
    assert sim.kubectl("annotate", "deployment", "web", "kubernetes.io/change-cause=nginx 1.28").stdout.strip() == \
        "deployment.apps/web annotated"
    d = deploy(sim, "web")
    wait_for(lambda: rss_of(sim, d)[-1]["metadata"]["annotations"].get("kubernetes.io/change-cause") == "nginx 1.28")
    out = sim.kubectl("rollout", "history", "deployment/web").stdout
    assert out == ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         nginx 1.28\n\n")
    out = sim.kubectl("rollout", "history", "deployment/web", "--revision=2").stdout
    lines = out.splitlines()
    assert lines[0] == "deployment.apps/web with revision #2" and lines[1] == "Pod Template:"
    assert "    Image:\tnginx:1.28" in lines
    assert "  Annotations:\tkubernetes.io/change-cause: nginx 1.28" in lines
    res = sim.kubectl("rollout", "history", "deployment/web", "--revision=7", check=False)
    assert res.returncode == 1 and res.stderr.strip() == "error: unable to find the specified revision"


def test_rollout_undo(sim):
    d = deploy(sim, "web")
    first = rss_of(sim, d)[0]
    assert sim.kubectl("rollout", "undo", "deployment/web").stdout.strip() == "deployment.apps/web rolled back"
    patches = [r for r in sim.requests_logged() if r["method"] == "PATCH" and r["path"].endswith("/deployments/web")]
    assert patches[-1]["status"] == 200
    rollout_status(sim, "web")
    d = assert_settled(sim, "web", 3)
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    assert d["metadata"]["annotations"][REV] == "3"
    assert "kubernetes.io/change-cause" not in d["metadata"]["annotations"]   # undo replaced the annotations
    rss = rss_of(sim, d)
    reused = rss[-1]
    assert reused["metadata"]["uid"] == first["metadata"]["uid"]          # the old ReplicaSet came back
    assert reused["metadata"]["annotations"][REV] == "3"
    assert reused["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "1"
    assert reused["spec"]["replicas"] == 3 and rss[0]["spec"]["replicas"] == 0
    out = sim.kubectl("rollout", "history", "deployment/web").stdout
    assert out == ("deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         nginx 1.28\n3         <none>\n\n")
    res = sim.kubectl("rollout", "undo", "deployment/web", "--to-revision=3")
    assert res.stdout.strip() == \
        "deployment.apps/web skipped rollback (current template already matches revision 3)"
    res = sim.kubectl("rollout", "undo", "deployment/web", "--to-revision=9", check=False)
    assert res.returncode == 1 and res.stderr.strip() == "error: unable to find specified revision 9 in history"
    # back to revision 2, then 2's ReplicaSet records both of its numbers
    sim.kubectl("rollout", "undo", "deployment/web", "--to-revision=2")
    rollout_status(sim, "web")
    d = deploy(sim, "web")
    rs2 = rss_of(sim, d)[-1]
    assert rs2["metadata"]["annotations"][REV] == "4"
    assert rs2["metadata"]["annotations"]["deployment.kubernetes.io/revision-history"] == "2"
    assert d["metadata"]["annotations"]["kubernetes.io/change-cause"] == "nginx 1.28"


def test_rollout_restart(sim):
    before = {p["metadata"]["name"] for p in pods_of(sim, rss_of(sim, deploy(sim, "web"))[-1])}
    assert sim.kubectl("rollout", "restart", "deployment/web").stdout.strip() == "deployment.apps/web restarted"
    rollout_status(sim, "web")
    d = assert_settled(sim, "web", 3)
    ann = d["spec"]["template"]["metadata"]["annotations"]
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", ann["kubectl.kubernetes.io/restartedAt"])
    new = rss_of(sim, d)[-1]
    assert new["metadata"]["annotations"][REV] == "5"
    assert new["spec"]["template"]["metadata"]["annotations"] == ann
    after = pods_of(sim, new)
    assert len(after) == 3 and not before & {p["metadata"]["name"] for p in after}
    assert all(p["metadata"]["annotations"] == ann for p in after)


def test_pause_and_resume(sim):
    assert sim.kubectl("rollout", "pause", "deployment/web").stdout.strip() == "deployment.apps/web paused"

    def paused():
        d = deploy(sim, "web")
        c = [c for c in d["status"]["conditions"] if c["type"] == "Progressing"][0]
        return (c["status"], c["reason"], c["message"]) == ("Unknown", "DeploymentPaused", "Deployment is paused") \
            and d
    d = wait_for(paused)
    assert d["spec"]["paused"] is True
    res = sim.kubectl("rollout", "restart", "deployment/web", check=False)
    assert res.returncode == 1 and res.stderr.strip() == \
        'error: deployments.apps "web" can\'t restart paused deployment (run rollout resume first)'
    res = sim.kubectl("rollout", "undo", "deployment/web", check=False)
    assert res.returncode == 1 and res.stderr.strip() == ("error: you cannot rollback a paused deployment; resume it "
                                                          "first with 'kubectl rollout resume' and try again")
    n_rs = len(rss_of(sim, d))
    sim.kubectl("set", "image", "deployment/web", "nginx=nginx:1.29")
    assert sim.kubectl("scale", "deployment/web", "--replicas=4").stdout.strip() == "deployment.apps/web scaled"
    # paused: the scale applies to the current ReplicaSet, no new one is created
    cur = wait_for(lambda: [r for r in rss_of(sim, d) if r["spec"]["replicas"] == 4 and
                            r["status"].get("availableReplicas") == 4])
    assert len(rss_of(sim, d)) == n_rs
    assert cur[0]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert cur[0]["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "4"
    assert sim.kubectl("rollout", "resume", "deployment/web").stdout.strip() == "deployment.apps/web resumed"
    rollout_status(sim, "web")
    d = assert_settled(sim, "web", 4)
    assert "paused" not in d["spec"]
    new = rss_of(sim, d)[-1]
    assert new["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.29"
    assert new["metadata"]["annotations"] == {
        REV: "6", "deployment.kubernetes.io/desired-replicas": "4", "deployment.kubernetes.io/max-replicas": "5",
        "kubernetes.io/change-cause": "nginx 1.28"}


def test_scale_with_preconditions(sim):
    res = sim.kubectl("scale", "deployment", "web", "--replicas=2", "--current-replicas=3", check=False)
    assert res.returncode == 1 and res.stderr.strip() == "error: Expected replicas to be 3, was 4"
    assert sim.kubectl("scale", "deployment", "web", "--replicas=2", "--current-replicas=4").stdout.strip() == \
        "deployment.apps/web scaled"
    rollout_status(sim, "web")
    d = assert_settled(sim, "web", 2)
    rs = rss_of(sim, d)[-1]
    assert rs["spec"]["replicas"] == 2 and rs["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "3"
    wait_for(lambda: len([p for p in pods_of(sim, rs) if not p["metadata"].get("deletionTimestamp")]) == 2)
    deleted = [e["message"] for e in events_of(sim, "ReplicaSet", rs["metadata"]["name"])
               if e["reason"] == "SuccessfulDelete"]
    assert len(deleted) == 2 and all(m.startswith("Deleted pod: %s-" % rs["metadata"]["name"]) for m in deleted)
    assert scaling_messages(sim, "web")[-1] == "Scaled down replica set %s from 4 to 2" % rs["metadata"]["name"]


def test_label_and_annotate_deployment(sim):
    assert sim.kubectl("label", "deployment", "web", "tier=front", "env=prod").stdout.strip() == \
        "deployment.apps/web labeled"
    res = sim.kubectl("label", "deployment", "web", "tier=back", check=False)
    assert res.returncode == 1 and "'tier' already has a value (front), and --overwrite is false" in res.stderr
    sim.kubectl("label", "deployment", "web", "tier=back", "--overwrite")
    assert sim.kubectl("label", "deployment", "web", "env-").stdout.strip() == "deployment.apps/web unlabeled"
    d = deploy(sim, "web")
    assert d["metadata"]["labels"] == {"app": "web", "tier": "back"}
    gen = d["metadata"]["generation"]
    sim.kubectl("annotate", "deployment", "web", "team=checkout")
    d = deploy(sim, "web")
    assert d["metadata"]["annotations"]["team"] == "checkout" and d["metadata"]["generation"] == gen
    # deployment annotations travel to the current ReplicaSet, not its labels
    rs = wait_for(lambda: [r for r in rss_of(sim, d) if r["metadata"]["annotations"].get("team") == "checkout"])
    assert "tier" not in rs[0]["metadata"]["labels"]


# ---- other rollouts ---------------------------------------------------------------------------------

RECREATE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: db
spec:
  replicas: 2
  strategy: {type: Recreate}
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: db, image: "postgres:%s"}
"""


def test_apply_and_recreate_strategy(sim, tmp_path):
    path = os.path.join(str(tmp_path), "db.yaml")
    with open(path, "w") as f:
        f.write(RECREATE % "16")
    assert sim.kubectl("apply", "-f", path).stdout.strip() == "deployment.apps/db created"
    rollout_status(sim, "db")
    d = assert_settled(sim, "db", 2)
    assert d["spec"]["strategy"] == {"type": "Recreate"}
    old = rss_of(sim, d)[0]["metadata"]["name"]
    rec = Recorder(sim, "/api/v1/namespaces/default/pods")
    with open(path, "w") as f:
        f.write(RECREATE % "17")
    try:
        assert sim.kubectl("apply", "-f", path).stdout.strip() == "deployment.apps/db configured"
        rollout_status(sim, "db")
    finally:
        rec.stop()
    d = assert_settled(sim, "db", 2)
    new = rss_of(sim, d)[-1]["metadata"]["name"]
    assert scaling_messages(sim, "db") == ["Scaled up replica set %s from 0 to 2" % old,
                                           "Scaled down replica set %s from 2 to 0" % old,
                                           "Scaled up replica set %s from 0 to 2" % new]
    # every old pod was gone before the first new pod was created
    gone = [int(e["object"]["metadata"]["resourceVersion"]) for e in rec.events
            if e["type"] == "DELETED" and e["object"]["metadata"]["name"].startswith(old + "-")]
    born = [int(e["object"]["metadata"]["resourceVersion"]) for e in rec.events
            if e["type"] == "ADDED" and e["object"]["metadata"]["name"].startswith(new + "-")]
    assert len(gone) == 2 and len(born) == 2 and max(gone) < min(born)


def test_percentages_round_surge_up_and_unavailable_down(sim):
    sim.kubectl("create", "deployment", "wide", "--image=nginx:1.27", "--replicas=10")
    rollout_status(sim, "wide")
    old = rss_of(sim, deploy(sim, "wide"))[0]["metadata"]["name"]
    sim.kubectl("set", "image", "deployment/wide", "nginx=nginx:1.28")
    d = deploy(sim, "wide")
    new = wait_for(lambda: len(rss_of(sim, d)) == 2 and rss_of(sim, d)[-1])["metadata"]["name"]
    # 25% of 10: surge ceil(2.5) = 3, unavailable floor(2.5) = 2
    msgs = wait_for(lambda: len(scaling_messages(sim, "wide")) >= 3 and scaling_messages(sim, "wide"))
    assert msgs[1:3] == ["Scaled up replica set %s from 0 to 3" % new, "Scaled down replica set %s from 10 to 8" % old]
    assert json.loads(sim.kubectl("get", "rs", new, "-o", "json").stdout)["metadata"]["annotations"][
        "deployment.kubernetes.io/max-replicas"] == "13"
    rollout_status(sim, "wide")
    sim.kubectl("delete", "deployment", "wide")


def test_min_ready_seconds(sim):
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "patient"},
         "spec": {"replicas": 2, "minReadySeconds": 2, "selector": {"matchLabels": {"app": "patient"}},
                  "template": {"metadata": {"labels": {"app": "patient"}},
                               "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]}}}}
    sim.json("POST", "/apis/apps/v1/namespaces/default/deployments", d, expect=201)

    def ready_not_available():
        x = deploy(sim, "patient")
        st = x.get("status") or {}
        return st.get("readyReplicas") == 2 and not st.get("availableReplicas") and x
    x = wait_for(ready_not_available, step=0.05)
    t_ready = time.time()
    avail = [c for c in x["status"]["conditions"] if c["type"] == "Available"][0]
    assert (avail["status"], avail["reason"]) == ("False", "MinimumReplicasUnavailable")
    assert x["status"]["unavailableReplicas"] == 2
    rs = rss_of(sim, x)[0]
    assert rs["spec"]["minReadySeconds"] == 2
    rollout_status(sim, "patient")
    assert time.time() - t_ready > 0.9
    assert_settled(sim, "patient", 2)


def test_proportional_scaling_during_a_stuck_rollout(sim):
    # the example of the Kubernetes documentation ("Proportional scaling")
    d = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "nginx-deployment"},
         "spec": {"replicas": 10, "strategy": {"rollingUpdate": {"maxSurge": 3, "maxUnavailable": 2}},
                  "selector": {"matchLabels": {"app": "nginx"}},
                  "template": {"metadata": {"labels": {"app": "nginx"}},
                               "spec": {"containers": [{"name": "nginx", "image": "nginx:1.14.2"}]}}}}
    sim.json("POST", "/apis/apps/v1/namespaces/default/deployments", d, expect=201)
    rollout_status(sim, "nginx-deployment")
    d = deploy(sim, "nginx-deployment")
    sim.kubectl("set", "image", "deployment/nginx-deployment", "nginx=nginx:sometag-does-not-exist")
    sizes = lambda: [r["spec"]["replicas"] for r in rss_of(sim, d)]
    wait_for(lambda: sizes() == [8, 5])
    time.sleep(0.5)
    assert sizes() == [8, 5]          # stuck: 13 = 10 + 3 surge, 8 = 10 - 2 unavailable
    sim.kubectl("scale", "deployment/nginx-deployment", "--replicas=15")
    wait_for(lambda: sizes() == [11, 7])   # 5 more: 3 to the old ReplicaSet, 2 to the new one
    old, new = rss_of(sim, d)
    assert scaling_messages(sim, "nginx-deployment")[-2:] == [
        "Scaled up replica set %s from 8 to 11" % old["metadata"]["name"],
        "Scaled up replica set %s from 5 to 7" % new["metadata"]["name"]]
    assert all(r["metadata"]["annotations"]["deployment.kubernetes.io/desired-replicas"] == "15" and
               r["metadata"]["annotations"]["deployment.kubernetes.io/max-replicas"] == "18" for r in (old, new))
    sim.kubectl("delete", "deployment", "nginx-deployment", "--wait=false")


def test_revision_history_limit(sim):
    sim.kubectl("create", "deployment", "short", "--image=nginx:1.25", "--replicas=1")
    sim.kubectl("patch", "deployment", "short", "-p", '{"spec":{"revisionHistoryLimit":1}}')
    rollout_status(sim, "short")
    for v in ("1.26", "1.27", "1.28"):
        sim.kubectl("set", "image", "deployment/short", "nginx=nginx:" + v)
        rollout_status(sim, "short")
    d = deploy(sim, "short")
    rss = wait_for(lambda: len(rss_of(sim, d)) == 2 and rss_of(sim, d))
    assert [r["metadata"]["annotations"][REV] for r in rss] == ["3", "4"]
    assert [r["spec"]["template"]["spec"]["containers"][0]["image"] for r in rss] == ["nginx:1.27", "nginx:1.28"]
    out = sim.kubectl("rollout", "history", "deployment/short").stdout
    assert out == "deployment.apps/short \nREVISION  CHANGE-CAUSE\n3         <none>\n4         <none>\n\n"


def test_progress_deadline_exceeded(sim):
    sim.kubectl("create", "deployment", "stuck", "--image=registry.example.com/does-not-exist:1", "--replicas=1")
    sim.kubectl("patch", "deployment", "stuck", "-p", '{"spec":{"progressDeadlineSeconds":2}}')
    res = sim.kubectl("rollout", "status", "deployment/stuck", "--timeout=20s", check=False)
    assert res.returncode == 1
    assert res.stderr.strip() == 'error: deployment "stuck" exceeded its progress deadline'
    d = deploy(sim, "stuck")
    c = {c["type"]: c for c in d["status"]["conditions"]}
    rs = rss_of(sim, d)[0]["metadata"]["name"]
    assert (c["Progressing"]["status"], c["Progressing"]["reason"], c["Progressing"]["message"]) == \
        ("False", "ProgressDeadlineExceeded", 'ReplicaSet "%s" has timed out progressing.' % rs)
    assert (c["Available"]["status"], c["Available"]["reason"], c["Available"]["message"]) == \
        ("False", "MinimumReplicasUnavailable", "Deployment does not have minimum availability.")
    assert d["status"]["unavailableReplicas"] == 1 and "availableReplicas" not in d["status"]
    rows = table_rows(sim.kubectl("get", "deployment", "stuck").stdout)[1]
    assert rows[0]["READY"] == "0/1" and rows[0]["UP-TO-DATE"] == "1" and rows[0]["AVAILABLE"] == "0"


# ---- ReplicaSets directly ------------------------------------------------------------------------------

RS_MANIFEST = {"apiVersion": "apps/v1", "kind": "ReplicaSet", "metadata": {"name": "cache"},
               "spec": {"replicas": 2, "selector": {"matchLabels": {"app": "cache"}},
                        "template": {"metadata": {"labels": {"app": "cache"}},
                                     "spec": {"containers": [{"name": "redis", "image": "redis:7.2"}]}}}}


def test_replicaset_adopts_and_releases_pods(sim):
    rs = json.loads(json.dumps(RS_MANIFEST))
    sim.json("POST", "/apis/apps/v1/namespaces/default/replicasets", rs, expect=201)

    def settled():
        r = get(sim, "/apis/apps/v1/namespaces/default/replicasets/cache")
        return r.get("status", {}).get("availableReplicas") == 2 and r
    rs = wait_for(settled)
    # an orphan pod with the same labels that is not ready yet: adopted, and the first one deleted
    orphan = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "stray", "labels": {"app": "cache"}},
              "spec": {"containers": [{"name": "redis", "image": "redis:7.2",
                                       "readinessProbe": {"exec": {"command": ["true"]}, "initialDelaySeconds": 60}}]}}
    sim.json("POST", "/api/v1/namespaces/default/pods", orphan, expect=201)
    ev = wait_for(lambda: [e for e in events_of(sim, "ReplicaSet", "cache") if e["reason"] == "SuccessfulDelete"])
    assert ev[0]["message"] == "Deleted pod: stray"
    # release: a pod whose labels stop matching loses its owner, and is replaced
    victim = pods_of(sim, rs)[0]["metadata"]["name"]
    sim.kubectl("label", "pod", victim, "app=detached", "--overwrite")
    p = wait_for(lambda: not get(sim, "/api/v1/namespaces/default/pods/" + victim)["metadata"].get(
        "ownerReferences") and get(sim, "/api/v1/namespaces/default/pods/" + victim))
    assert p["metadata"]["labels"]["app"] == "detached"
    rs = wait_for(lambda: (settled() or {}).get("status", {}).get("replicas") == 2 and len(
        [q for q in pods_of(sim, settled()) if not q["metadata"].get("deletionTimestamp")]) == 2 and settled())
    assert rs["status"] == {"replicas": 2, "fullyLabeledReplicas": 2, "readyReplicas": 2, "availableReplicas": 2,
                            "observedGeneration": 1}
    created = [e for e in events_of(sim, "ReplicaSet", "cache") if e["reason"] == "SuccessfulCreate"]
    assert len(created) == 3
    # adopting back: relabel the pod, the ReplicaSet takes it and deletes one
    sim.kubectl("label", "pod", victim, "app=cache", "--overwrite")
    p = wait_for(lambda: (get(sim, "/api/v1/namespaces/default/pods/" + victim) or {"metadata": {}})["metadata"]
                 .get("ownerReferences") or (get(sim, "/api/v1/namespaces/default/pods/" + victim) or {}).get(
                     "metadata", {}).get("deletionTimestamp"))
    assert p


def test_delete_cascades_and_orphans(sim, tmp_path):
    d = deploy(sim, "web")
    rss = rss_of(sim, d)
    pods = [p["metadata"]["name"] for r in rss for p in pods_of(sim, r)]
    assert pods
    assert sim.kubectl("delete", "deployment", "web").stdout.strip() == 'deployment.apps "web" deleted'
    wait_for(lambda: not [r for r in get(sim, "/apis/apps/v1/namespaces/default/replicasets")["items"]
                          if r["metadata"]["name"].startswith("web-")])
    wait_for(lambda: not [p for p in get(sim, "/api/v1/namespaces/default/pods")["items"]
                          if p["metadata"]["name"] in pods])
    # orphan: the ReplicaSet and its pods stay, without the owner reference
    d = deploy(sim, "db")
    rs = rss_of(sim, d)[-1]
    assert sim.kubectl("delete", "deployment", "db", "--cascade=orphan").stdout.strip() == \
        'deployment.apps "db" deleted'
    left = wait_for(lambda: (get(sim, "/apis/apps/v1/namespaces/default/replicasets/" + rs["metadata"]["name"]) or {})
                    .get("metadata", {}).get("ownerReferences") is None and
                    get(sim, "/apis/apps/v1/namespaces/default/replicasets/" + rs["metadata"]["name"]))
    assert left["spec"]["replicas"] == 2 and len(pods_of(sim, left)) == 2
    # the same deployment again adopts the orphan as its new ReplicaSet, with its revision
    rec = Recorder(sim, "/apis/apps/v1/namespaces/default/deployments")
    try:
        with open(os.path.join(str(tmp_path), "db.yaml"), "w") as f:
            f.write(RECREATE % "17")
        sim.kubectl("apply", "-f", os.path.join(str(tmp_path), "db.yaml"))
        rollout_status(sim, "db")
    finally:
        rec.stop()
    d = deploy(sim, "db")
    old_rs, adopted = rss_of(sim, d)          # both ReplicaSets were orphaned, both are adopted
    assert adopted["metadata"]["uid"] == left["metadata"]["uid"] and old_rs["spec"]["replicas"] == 0
    assert d["metadata"]["annotations"][REV] == left["metadata"]["annotations"][REV] == "2"
    assert progressing_seen(rec, "db")[0] == ("FoundNewReplicaSet", 'Found new replica set "%s"' % rs["metadata"]["name"])
    assert len(pods_of(sim, adopted)) == 2
