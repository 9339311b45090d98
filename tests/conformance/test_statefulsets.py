"""StatefulSets with the real kubectl and the StatefulSet controller: ordered creation and stable
identities, claims from volumeClaimTemplates, OrderedReady vs Parallel, scale up and down (highest
ordinal first), RollingUpdate with partitions, OnDelete, ControllerRevisions and `kubectl rollout
status|history|undo|restart`, describe, delete, and the apiserver's defaulting and validation."""

import json
import os
import time

import pytest

from conftest import FIXTURES

STS = "/apis/apps/v1/namespaces/default/statefulsets"
MERGE = {"Content-Type": "application/merge-patch+json"}


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
def ssim(make_sim):
    s = make_sim(args=["--nodes", "2"])
    s.kubectl("create", "-f", os.path.join(FIXTURES, "statefulsets", "statefulsets.yaml"))
    return s


def get(s, path):
    st, body = s.json("GET", path)
    return body if st == 200 else None


def sts(s, name):
    return get(s, "%s/%s" % (STS, name))


def pods(s, app):
    items = get(s, "/api/v1/namespaces/default/pods?labelSelector=app%3D" + app)["items"]
    return {p["metadata"]["name"]: p for p in items}


def revisions(s, name):
    owner = sts(s, name)["metadata"]["uid"]
    items = get(s, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"]
    return sorted((r for r in items if r["metadata"]["ownerReferences"][0]["uid"] == owner),
                  key=lambda r: r["revision"])


def events_of(s, name):
    items = get(s, "/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D" + name +
                ",involvedObject.kind%3DStatefulSet")["items"]
    items.sort(key=lambda e: int(e["metadata"]["resourceVersion"]))
    return [(e["type"], e["reason"], e["message"], e["source"]["component"]) for e in items]


def settled(s, name, replicas):
    o = sts(s, name)
    st = o["status"]
    ok = (st.get("observedGeneration") == o["metadata"]["generation"] and st.get("replicas") == replicas and
          st.get("readyReplicas") == replicas and st.get("updatedReplicas") == replicas and
          st.get("currentRevision") == st.get("updateRevision"))
    return o if ok else None


def test_ordered_creation_identity_and_claims(ssim):
    o = wait_for(lambda: settled(ssim, "web", 3))
    spec = o["spec"]
    assert (spec["podManagementPolicy"], spec["revisionHistoryLimit"], spec["updateStrategy"]) == (
        "OrderedReady", 10, {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}})
    assert spec["persistentVolumeClaimRetentionPolicy"] == {"whenDeleted": "Retain", "whenScaled": "Retain"}
    vct = spec["volumeClaimTemplates"][0]
    assert (vct["apiVersion"], vct["kind"], vct["spec"]["volumeMode"], vct["status"]) == (
        "v1", "PersistentVolumeClaim", "Filesystem", {"phase": "Pending"})
    st = o["status"]
    rev = st["updateRevision"]
    assert st == {"observedGeneration": 1, "replicas": 3, "readyReplicas": 3, "availableReplicas": 3,
                  "currentReplicas": 3, "updatedReplicas": 3, "currentRevision": rev, "updateRevision": rev,
                  "collisionCount": 0}
    ps = pods(ssim, "web")
    assert sorted(ps) == ["web-0", "web-1", "web-2"]
    for i in range(3):
        p = ps["web-%d" % i]
        assert p["metadata"]["labels"] == {"app": "web", "statefulset.kubernetes.io/pod-name": "web-%d" % i,
                                           "apps.kubernetes.io/pod-index": str(i), "controller-revision-hash": rev}
        assert p["spec"]["hostname"] == "web-%d" % i and p["spec"]["subdomain"] == "nginx"
        assert {"name": "www", "persistentVolumeClaim": {"claimName": "www-web-%d" % i}} in p["spec"]["volumes"]
        ref = p["metadata"]["ownerReferences"][0]
        assert (ref["kind"], ref["name"], ref["controller"]) == ("StatefulSet", "web", True)
        pvc = get(ssim, "/api/v1/namespaces/default/persistentvolumeclaims/www-web-%d" % i)
        assert pvc["metadata"]["labels"] == {"app": "web"} and pvc["status"]["phase"] == "Pending"
        assert pvc["spec"]["resources"] == {"requests": {"storage": "1Gi"}}
        assert "ownerReferences" not in pvc["metadata"]
    # each pod was created only once the previous one was Running and Ready
    for i in (1, 2):
        prev_ready = [c for c in ps["web-%d" % (i - 1)]["status"]["conditions"] if c["type"] == "Ready"][0]
        assert prev_ready["lastTransitionTime"] <= ps["web-%d" % i]["metadata"]["creationTimestamp"]
    ev = [e for e in events_of(ssim, "web") if e[1] == "SuccessfulCreate"]
    assert ev[:6] == [("Normal", "SuccessfulCreate", msg, "statefulset-controller") for msg in (
        "create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "create Pod web-0 in StatefulSet web successful",
        "create Claim www-web-1 Pod web-1 in StatefulSet web success",
        "create Pod web-1 in StatefulSet web successful",
        "create Claim www-web-2 Pod web-2 in StatefulSet web success",
        "create Pod web-2 in StatefulSet web successful")]
    revs = revisions(ssim, "web")
    assert [(r["metadata"]["name"], r["revision"]) for r in revs] == [(rev, 1)]
    cr = revs[0]
    assert cr["metadata"]["labels"]["app"] == "web" and \
        cr["metadata"]["labels"]["controller.kubernetes.io/hash"] == rev[len("web-"):]
    assert cr["data"]["spec"]["template"]["$patch"] == "replace"
    assert cr["data"]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"


def test_ordered_ready_waits_and_parallel_does_not(ssim):
    wait_for(lambda: len(pods(ssim, "para")) == 3)
    time.sleep(1.0)
    assert sorted(pods(ssim, "stuck")) == ["stuck-0"]
    assert sts(ssim, "stuck")["status"]["replicas"] == 1 and "readyReplicas" not in sts(ssim, "stuck")["status"]


def test_scale_up_and_down(ssim):
    wait_for(lambda: settled(ssim, "web", 3))
    assert ssim.kubectl("scale", "sts", "web", "--replicas=4").stdout.strip() == "statefulset.apps/web scaled"
    wait_for(lambda: settled(ssim, "web", 4))
    assert ssim.kubectl("scale", "statefulset/web", "--replicas=2").stdout.strip() == "statefulset.apps/web scaled"
    wait_for(lambda: settled(ssim, "web", 2) and sorted(pods(ssim, "web")) == ["web-0", "web-1"])
    deletes = [e[2] for e in events_of(ssim, "web") if e[1] == "SuccessfulDelete"]
    assert deletes == ["delete Pod web-3 in StatefulSet web successful", "delete Pod web-2 in StatefulSet web successful"]
    claims = get(ssim, "/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dweb")["items"]
    assert sorted(c["metadata"]["name"] for c in claims) == ["www-web-0", "www-web-1", "www-web-2", "www-web-3"]


def test_rolling_update_history_and_undo(ssim):
    wait_for(lambda: settled(ssim, "web", 2))
    ssim.kubectl("annotate", "sts", "web", "kubernetes.io/change-cause=upgrade to 1.28")
    assert ssim.kubectl("set", "image", "sts/web", "nginx=nginx:1.28").stdout.strip() == \
        "statefulset.apps/web image updated"
    out = ssim.kubectl("rollout", "status", "sts/web", "--timeout=60s").stdout
    assert out.splitlines()[-1] == "partitioned roll out complete: 2 new pods have been updated..."
    o = wait_for(lambda: settled(ssim, "web", 2))
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.28" for p in pods(ssim, "web").values())
    # highest ordinal first
    deletes = [e[2] for e in events_of(ssim, "web") if e[1] == "SuccessfulDelete"][-2:]
    assert deletes == ["delete Pod web-1 in StatefulSet web successful", "delete Pod web-0 in StatefulSet web successful"]
    revs = revisions(ssim, "web")
    assert [r["revision"] for r in revs] == [1, 2] and revs[1]["metadata"]["name"] == o["status"]["updateRevision"]
    assert ssim.kubectl("rollout", "history", "sts/web").stdout == (
        "statefulset.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         upgrade to 1.28\n\n")
    out = ssim.kubectl("rollout", "history", "sts/web", "--revision=1").stdout
    assert out.startswith("statefulset.apps/web with revision #1\nPod Template:\n")
    assert "nginx:1.27" in out and "nginx:1.28" not in out
    assert ssim.kubectl("rollout", "undo", "sts/web", "--to-revision=1").stdout.strip() == \
        "statefulset.apps/web rolled back"
    o = wait_for(lambda: settled(ssim, "web", 2))
    assert o["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    # the old revision is reused and renumbered
    revs = revisions(ssim, "web")
    assert [r["revision"] for r in revs] == [2, 3] and revs[1]["metadata"]["name"] == o["status"]["updateRevision"]
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.27" for p in pods(ssim, "web").values())
    res = ssim.kubectl("rollout", "undo", "sts/web", "--to-revision=3")
    assert res.stdout.strip() == "statefulset.apps/web skipped rollback (current template already matches revision 3)"
    res = ssim.kubectl("rollout", "undo", "sts/web", "--to-revision=7", check=False)
    assert res.returncode == 1 and "unable to find specified revision 7 in history" in res.stderr


def test_partitioned_rollout(ssim):
    wait_for(lambda: settled(ssim, "web", 2))
    ssim.kubectl("patch", "sts", "web", "-p", '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":1}}}}')
    ssim.kubectl("set", "image", "sts/web", "nginx=nginx:1.29")
    out = ssim.kubectl("rollout", "status", "sts/web", "--timeout=60s").stdout
    assert out.splitlines()[-1] == "partitioned roll out complete: 1 new pods have been updated..."
    ps = pods(ssim, "web")
    assert ps["web-1"]["spec"]["containers"][0]["image"] == "nginx:1.29"
    assert ps["web-0"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    st = sts(ssim, "web")["status"]
    assert st["currentRevision"] != st["updateRevision"]
    assert (st["currentReplicas"], st["updatedReplicas"]) == (1, 1)
    assert ps["web-0"]["metadata"]["labels"]["controller-revision-hash"] == st["currentRevision"]
    ssim.kubectl("patch", "sts", "web", "-p", '{"spec":{"updateStrategy":{"rollingUpdate":{"partition":0}}}}')
    wait_for(lambda: settled(ssim, "web", 2))
    assert pods(ssim, "web")["web-0"]["spec"]["containers"][0]["image"] == "nginx:1.29"


def test_rollout_restart(ssim):
    wait_for(lambda: settled(ssim, "web", 2))
    assert ssim.kubectl("rollout", "restart", "sts/web").stdout.strip() == "statefulset.apps/web restarted"
    o = sts(ssim, "web")
    stamp = o["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"]
    wait_for(lambda: settled(ssim, "web", 2) and all(
        (p["metadata"].get("annotations") or {}).get("kubectl.kubernetes.io/restartedAt") == stamp
        for p in pods(ssim, "web").values()))


def test_on_delete_strategy(ssim):
    wait_for(lambda: settled(ssim, "od", 2))
    before = {n: p["metadata"]["uid"] for n, p in pods(ssim, "od").items()}
    ssim.kubectl("set", "image", "sts/od", "main=busybox:1.37")
    wait_for(lambda: sts(ssim, "od")["status"]["updateRevision"] != sts(ssim, "od")["status"]["currentRevision"])
    time.sleep(1.0)
    assert {n: p["metadata"]["uid"] for n, p in pods(ssim, "od").items()} == before
    res = ssim.kubectl("rollout", "status", "sts/od", check=False)
    assert res.returncode == 1 and "rollout status is only available for RollingUpdate strategy type" in res.stderr
    ssim.kubectl("delete", "pod", "od-1")
    p = wait_for(lambda: (pods(ssim, "od").get("od-1") or {}).get("metadata", {}).get("uid") not in
                 (None, before["od-1"]) and pods(ssim, "od")["od-1"])
    assert p["spec"]["containers"][0]["image"] == "busybox:1.37"
    st = wait_for(lambda: (sts(ssim, "od")["status"].get("updatedReplicas") == 1) and sts(ssim, "od")["status"])
    assert st["currentReplicas"] == 1
    assert pods(ssim, "od")["od-0"]["spec"]["containers"][0]["image"] == "busybox:1.36"


def test_describe(ssim):
    wait_for(lambda: settled(ssim, "web", 2))
    out = ssim.kubectl("describe", "sts", "web").stdout
    assert "Replicas:           2 desired | 2 total\n" in out
    assert "Update Strategy:    RollingUpdate\n  Partition:        0\n" in out
    assert "Pods Status:        2 Running / 0 Waiting / 0 Succeeded / 0 Failed\n" in out
    assert "Volume Claims:\n  Name:          www\n" in out
    assert "create Pod web-0 in StatefulSet web successful" in out


def test_validation(ssim):
    base = {"serviceName": "x", "selector": {"matchLabels": {"app": "x"}},
            "template": {"metadata": {"labels": {"app": "other"}},
                         "spec": {"containers": [{"name": "c", "image": "busybox"}]}}}
    st, body = ssim.json("POST", STS, {"metadata": {"name": "bad"}, "spec": base})
    assert st == 422
    assert body["message"] == ('StatefulSet.apps "bad" is invalid: spec.template.metadata.labels: Invalid value: '
                               'map[string]string{"app":"other"}: `selector` does not match template `labels`')
    spec = json.loads(json.dumps(base))
    spec["template"]["metadata"]["labels"] = {"app": "x"}
    spec["template"]["spec"]["restartPolicy"] = "Never"
    st, body = ssim.json("POST", STS, {"metadata": {"name": "bad"}, "spec": spec})
    assert st == 422 and body["message"].endswith(
        'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"')
    st, body = ssim.json("PATCH", STS + "/web", {"spec": {"serviceName": "other"}}, headers=MERGE)
    assert st == 422 and body["message"] == (
        'StatefulSet.apps "web" is invalid: spec: Forbidden: updates to statefulset spec for fields other than '
        "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and "
        "'minReadySeconds' are forbidden")


def test_delete_keeps_claims(ssim):
    assert ssim.kubectl("delete", "sts", "web").stdout.strip() == 'statefulset.apps "web" deleted'
    wait_for(lambda: not pods(ssim, "web"), timeout=20)
    claims = get(ssim, "/api/v1/namespaces/default/persistentvolumeclaims?labelSelector=app%3Dweb")["items"]
    assert len(claims) == 4
    wait_for(lambda: not revisions_left(ssim), timeout=10)


def revisions_left(s):
    items = get(s, "/apis/apps/v1/namespaces/default/controllerrevisions")["items"]
    return [r for r in items if r["metadata"]["name"].startswith("web-")]


@pytest.mark.parametrize("path,kind", [(STS, "StatefulSet"), ("/apis/apps/v1/namespaces/default/daemonsets",
                                                               "DaemonSet")])
def test_wrongly_typed_bodies_are_bad_requests(ssim, path, kind):
    tmpl = {"metadata": {"labels": {"app": "t"}}, "spec": {"containers": [{"name": "c", "image": "busybox"}]}}
    good = {"serviceName": "t", "selector": {"matchLabels": {"app": "t"}}, "template": tmpl}
    n = 0
    for field in ("replicas", "selector", "template", "updateStrategy", "volumeClaimTemplates", "minReadySeconds",
                  "revisionHistoryLimit", "podManagementPolicy"):
        for value in ("x", 3, 1.5, [], [1], {"a": 1}, True, -1):
            n += 1
            spec = json.loads(json.dumps(good))
            spec[field] = value
            st, body = ssim.json("POST", path, {"metadata": {"name": "typed-%d" % n}, "spec": spec})
            assert st in (201, 400, 422), (field, value, st, body)
            if st == 201:
                ssim.json("DELETE", "%s/typed-%d" % (path, n))
    st, body = ssim.json("POST", path, {"metadata": {"name": "typed"}, "spec": dict(good, template={
        "metadata": {"labels": {"app": "t"}}, "spec": {"containers": "busybox"}})})
    assert st == 400 and body["reason"] == "BadRequest"
    assert body["message"] == ('%s in version "v1" cannot be handled as a %s: json: cannot unmarshal string into Go '
                               'struct field PodSpec.spec.template.spec.containers of type []v1.Container'
                               % (kind, kind))
    assert ssim.alive()
