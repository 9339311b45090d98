"""DaemonSets with the real kubectl and the DaemonSet controller: placement by nodeSelector, node
affinity and taints (cordoned nodes still get daemon pods, NotReady and tainted ones do not), the node
pinned through node affinity, automatic tolerations, status counters, node label changes, RollingUpdate
(maxUnavailable, maxSurge), OnDelete, ControllerRevisions and `kubectl rollout
status|history|undo|restart`, describe, delete and validation."""

import os
import time

import pytest

from conftest import FIXTURES

DSS = "/apis/apps/v1/namespaces/default/daemonsets"

AUTO_TOLERATIONS = [
    {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute"},
    {"key": "node.kubernetes.io/disk-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/memory-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/pid-pressure", "operator": "Exists", "effect": "NoSchedule"},
    {"key": "node.kubernetes.io/unschedulable", "operator": "Exists", "effect": "NoSchedule"},
]


def wait_for(fn, timeout=30.0, step=0.2):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(step)
    raise AssertionError("condition not met, last value %r" % (last,))


@pytest.fixture(scope="module")
def dsim(make_sim):
    s = make_sim(objects=[os.path.join("daemonsets", "nodes.yaml")])
    s.kubectl("create", "-f", os.path.join(FIXTURES, "daemonsets", "daemonsets.yaml"))
    return s


def get(s, path):
    st, body = s.json("GET", path)
    return body if st == 200 else None


def ds(s, name):
    return get(s, "%s/%s" % (DSS, name))


def pods(s, app, live=True):
    items = get(s, "/api/v1/namespaces/default/pods?labelSelector=app%3D" + app)["items"]
    if live:
        items = [p for p in items if not p["metadata"].get("deletionTimestamp")]
    return items


def node_of(p):
    return p["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][
        "nodeSelectorTerms"][0]["matchFields"][0]["values"][0]


def by_node(s, app):
    return {node_of(p): p for p in pods(s, app)}


def settled(s, name, desired):
    o = ds(s, name)
    st = o.get("status") or {}
    ok = (st.get("observedGeneration") == o["metadata"]["generation"] and st.get("desiredNumberScheduled") == desired
          and st.get("currentNumberScheduled") == desired and st.get("numberReady") == desired
          and st.get("updatedNumberScheduled") == desired and st.get("numberAvailable") == desired
          and st.get("numberMisscheduled") == 0)
    return o if ok else None


def revisions(s, name):
    owner = ds(s, name)["metadata"]["uid"]
    items = get(s, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"]
    return sorted((r for r in items if r["metadata"]["ownerReferences"][0]["uid"] == owner),
                  key=lambda r: r["revision"])


def events_of(s, name):
    items = get(s, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name +
                ",involvedObject.kind%3DDaemonSet")["items"]
    items.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [(e["type"], e["reason"], e["message"], e["source"]["component"]) for e in items]


def test_placement_pinning_and_status(dsim):
    o = wait_for(lambda: settled(dsim, "agent", 3))
    assert o["spec"]["updateStrategy"] == {"type": "RollingUpdate",
                                           "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0}}
    assert o["spec"]["revisionHistoryLimit"] == 10
    assert o["status"] == {"currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
                           "numberReady": 3, "observedGeneration": 1, "updatedNumberScheduled": 3,
                           "numberAvailable": 3}
    placed = by_node(dsim, "agent")
    # the cordoned node gets its daemon pod; the tainted and the NotReady node do not
    assert sorted(placed) == ["n1", "n2", "n3-cordoned"]
    revs = revisions(dsim, "agent")
    assert len(revs) == 1 and revs[0]["revision"] == 1
    h = revs[0]["metadata"]["labels"]["controller-revision-hash"]
    assert revs[0]["metadata"]["name"] == "agent-" + h
    for node, p in placed.items():
        assert p["spec"]["nodeName"] == node and p["status"]["phase"] == "Running"
        assert p["metadata"]["name"].startswith("agent-")
        assert p["metadata"]["labels"] == {"app": "agent", "controller-revision-hash": h,
                                           "pod-template-generation": "1"}
        assert p["spec"]["affinity"] == {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In", "values": [node]}]}]}}}
        assert p["spec"]["tolerations"] == AUTO_TOLERATIONS
        ref = p["metadata"]["ownerReferences"][0]
        assert (ref["kind"], ref["name"], ref["controller"], ref["blockOwnerDeletion"]) == (
            "DaemonSet", "agent", True, True)
    created = [e for e in events_of(dsim, "agent") if e[1] == "SuccessfulCreate"]
    assert sorted(e[2] for e in created) == sorted("Created pod: %s" % p["metadata"]["name"]
                                                   for p in placed.values())
    assert all(e[3] == "daemonset-controller" for e in created)
    # nodeSelector and tolerations of the template
    wait_for(lambda: settled(dsim, "ssd", 1))
    assert sorted(by_node(dsim, "ssd")) == ["n2"]
    wait_for(lambda: settled(dsim, "gpu", 4))
    gpu = by_node(dsim, "gpu")
    assert sorted(gpu) == ["n1", "n2", "n3-cordoned", "n4-gpu"]
    assert gpu["n4-gpu"]["spec"]["tolerations"][0] == {"key": "dedicated", "operator": "Equal", "value": "gpu",
                                                       "effect": "NoSchedule"}
    # the template's own required node affinity is replaced by the node pin
    wait_for(lambda: settled(dsim, "surge", 2))
    assert sorted(by_node(dsim, "surge")) == ["n1", "n2"]


def test_node_label_changes(dsim):
    wait_for(lambda: settled(dsim, "ssd", 1))
    dsim.kubectl("label", "node", "n1", "disk=ssd")
    wait_for(lambda: settled(dsim, "ssd", 2))
    assert sorted(by_node(dsim, "ssd")) == ["n1", "n2"]
    dsim.kubectl("label", "node", "n1", "disk-")
    wait_for(lambda: settled(dsim, "ssd", 1) and sorted(by_node(dsim, "ssd")) == ["n2"])
    assert any(e[1] == "SuccessfulDelete" for e in events_of(dsim, "ssd"))


def test_rolling_update_history_and_undo(dsim):
    wait_for(lambda: settled(dsim, "agent", 3))
    dsim.kubectl("annotate", "ds", "agent", "kubernetes.io/change-cause=agent 1.37")
    assert dsim.kubectl("set", "image", "ds/agent", "agent=busybox:1.37").stdout.strip() == \
        "daemonset.apps/agent image updated"
    # maxUnavailable 1: never more than one node without an available daemon pod
    worst = 3
    deadline = time.time() + 40
    while time.time() < deadline:
        o = ds(dsim, "agent")
        st = o["status"]
        if st.get("observedGeneration") == o["metadata"]["generation"]:
            worst = min(worst, st.get("numberAvailable", 0))
        if settled(dsim, "agent", 3):
            break
        time.sleep(0.1)
    assert worst >= 2
    out = dsim.kubectl("rollout", "status", "ds/agent", "--timeout=60s").stdout
    assert out.splitlines()[-1] == 'daemon set "agent" successfully rolled out'
    assert all(p["spec"]["containers"][0]["image"] == "busybox:1.37" for p in pods(dsim, "agent"))
    assert all(p["metadata"]["labels"]["pod-template-generation"] == "2" for p in pods(dsim, "agent"))
    assert [r["revision"] for r in revisions(dsim, "agent")] == [1, 2]
    assert dsim.kubectl("rollout", "history", "ds/agent").stdout == (
        "daemonset.apps/agent \nREVISION  CHANGE-CAUSE\n1         <none>\n2         agent 1.37\n\n")
    out = dsim.kubectl("rollout", "history", "daemonset/agent", "--revision=1").stdout
    assert out.startswith("daemonset.apps/agent with revision #1\nPod Template:\n") and "busybox:1.36" in out
    assert dsim.kubectl("rollout", "undo", "ds/agent", "--to-revision=1").stdout.strip() == \
        "daemonset.apps/agent rolled back"
    o = wait_for(lambda: settled(dsim, "agent", 3) and
                 all(p["spec"]["containers"][0]["image"] == "busybox:1.36" for p in pods(dsim, "agent")))
    assert ds(dsim, "agent")["spec"]["template"]["spec"]["containers"][0]["image"] == "busybox:1.36"
    revs = revisions(dsim, "agent")
    assert [r["revision"] for r in revs] == [2, 3]
    h = revs[1]["metadata"]["labels"]["controller-revision-hash"]
    assert all(p["metadata"]["labels"]["controller-revision-hash"] == h for p in pods(dsim, "agent"))
    res = dsim.kubectl("rollout", "undo", "ds/agent", "--to-revision=3")
    assert res.stdout.strip() == "daemonset.apps/agent skipped rollback (current template already matches revision 3)"


def test_max_surge(dsim):
    wait_for(lambda: settled(dsim, "surge", 2))
    # creation times have whole seconds and the oldest pod of a node is the one counted: keep them apart
    time.sleep(1.1)
    dsim.kubectl("set", "image", "ds/surge", "main=busybox:1.37")
    peak, least = 0, 2
    deadline = time.time() + 40
    while time.time() < deadline:
        ps = pods(dsim, "surge")
        peak = max(peak, len(ps))
        o = ds(dsim, "surge")
        if o["status"].get("observedGeneration") == o["metadata"]["generation"]:
            least = min(least, o["status"].get("numberAvailable", 0))
        if settled(dsim, "surge", 2) and all(p["spec"]["containers"][0]["image"] == "busybox:1.37" for p in ps):
            break
        time.sleep(0.1)
    assert peak >= 3 and least == 2
    assert sorted(by_node(dsim, "surge")) == ["n1", "n2"]


def test_on_delete(dsim):
    wait_for(lambda: settled(dsim, "gpu", 4))
    before = {n: p["metadata"]["uid"] for n, p in by_node(dsim, "gpu").items()}
    dsim.kubectl("set", "image", "ds/gpu", "main=busybox:1.37")
    wait_for(lambda: len(revisions(dsim, "gpu")) == 2)
    time.sleep(1.0)
    assert {n: p["metadata"]["uid"] for n, p in by_node(dsim, "gpu").items()} == before
    st = ds(dsim, "gpu")["status"]
    assert "updatedNumberScheduled" not in st and st["numberReady"] == 4
    res = dsim.kubectl("rollout", "status", "ds/gpu", check=False)
    assert res.returncode == 1 and "rollout status is only available for RollingUpdate strategy type" in res.stderr
    victim = by_node(dsim, "gpu")["n4-gpu"]["metadata"]["name"]
    dsim.kubectl("delete", "pod", victim)
    p = wait_for(lambda: (by_node(dsim, "gpu").get("n4-gpu") or {}).get("metadata", {}).get("uid") not in
                 (None, before["n4-gpu"]) and by_node(dsim, "gpu")["n4-gpu"])
    assert p["spec"]["containers"][0]["image"] == "busybox:1.37"
    wait_for(lambda: ds(dsim, "gpu")["status"].get("updatedNumberScheduled") == 1)


def test_rollout_restart_and_describe(dsim):
    wait_for(lambda: settled(dsim, "ssd", 1))
    assert dsim.kubectl("rollout", "restart", "ds/ssd").stdout.strip() == "daemonset.apps/ssd restarted"
    stamp = ds(dsim, "ssd")["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    wait_for(lambda: settled(dsim, "ssd", 1) and all(
        p["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] == stamp for p in pods(dsim, "ssd")))
    out = dsim.kubectl("describe", "ds", "ssd").stdout
    assert "Desired Number of Nodes Scheduled: 1\n" in out
    assert "Current Number of Nodes Scheduled: 1\n" in out
    assert "Number of Nodes Misscheduled: 0\n" in out
    assert "Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in out
    assert "Node-Selectors:  disk=ssd" in out
    assert "daemonset-controller  Created pod: ssd-" in out


def test_validation(dsim):
    spec = {"selector": {"matchLabels": {"app": "v"}},
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": 0}},
            "template": {"metadata": {"labels": {"app": "v"}}, "spec": {"containers": [{"name": "c",
                                                                                       "image": "busybox"}]}}}
    st, body = dsim.json("POST", DSS, {"metadata": {"name": "bad"}, "spec": spec})
    assert st == 422 and body["message"] == (
        'DaemonSet.apps "bad" is invalid: spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: '
        'may not be 0 when `maxSurge` is 0')
    spec["updateStrategy"] = {"type": "RollingUpdate"}
    spec["template"]["metadata"]["labels"] = {"app": "w"}
    st, body = dsim.json("POST", DSS, {"metadata": {"name": "bad"}, "spec": spec})
    assert st == 422 and body["message"] == (
        'DaemonSet.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"w"}: '
        '`selector` does not match template `labels`')


def test_delete(dsim):
    assert dsim.kubectl("delete", "ds", "surge").stdout.strip() == 'daemonset.apps "surge" deleted'
    wait_for(lambda: not pods(dsim, "surge", live=False), timeout=20)
