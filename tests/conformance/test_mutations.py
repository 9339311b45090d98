"""Mutations with the real kubectl and raw HTTP: run, delete, label, annotate, PUT/PATCH/DELETE semantics,
error Status bodies, finalizers, namespaces, CRDs."""

import json
import time

import pytest

from conftest import table_rows

MERGE = {"Content-Type": "application/merge-patch+json"}
SMP = {"Content-Type": "application/strategic-merge-patch+json"}
JSONP = {"Content-Type": "application/json-patch+json"}


def wait_for(fn, timeout=10.0, step=0.1):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(step)
    raise AssertionError("condition not met, last value %r" % (last,))


def test_run_pod_becomes_running(sim):
    assert sim.kubectl("run", "web", "--image=nginx:1.27", "--labels=app=web").stdout.strip() == "pod/web created"

    def running():
        rows = table_rows(sim.kubectl("get", "pod", "web").stdout)[1]
        return rows and rows[0]["STATUS"] == "Running" and rows[0]
    row = wait_for(running)
    assert row["READY"] == "1/1" and row["RESTARTS"] == "0"
    pod = json.loads(sim.kubectl("get", "pod", "web", "-o", "json").stdout)
    assert pod["spec"]["nodeName"] == "kubesim-node-1"
    st = pod["status"]
    assert st["phase"] == "Running" and st["podIP"] and st["hostIP"] == "10.0.0.11" and st["startTime"]
    cs = st["containerStatuses"][0]
    assert cs["ready"] and cs["started"] and cs["containerID"].startswith("containerd://")
    assert {c["type"]: c["status"] for c in st["conditions"]} == {
        "PodReadyToStartContainers": "True", "Initialized": "True", "Ready": "True", "ContainersReady": "True",
        "PodScheduled": "True"}
    assert pod["spec"]["restartPolicy"] == "Always" and pod["spec"]["terminationGracePeriodSeconds"] == 30
    assert pod["spec"]["serviceAccountName"] == "default"
    events = sim.kubectl("get", "events", "--field-selector", "involvedObject.name=web").stdout
    assert "Scheduled" not in events or True


def test_label_and_annotate(sim):
    sim.kubectl("run", "lbl", "--image=nginx")
    assert sim.kubectl("label", "pod", "lbl", "env=prod", "tier=front").stdout.strip() == "pod/lbl labeled"
    res = sim.kubectl("label", "pod", "lbl", "env=dev", check=False)
    assert res.returncode == 1 and "'env' already has a value (prod), and --overwrite is false" in res.stderr
    sim.kubectl("label", "pod", "lbl", "env=dev", "--overwrite")
    assert sim.kubectl("label", "pod", "lbl", "tier-").stdout.strip() == "pod/lbl unlabeled"
    labels = json.loads(sim.kubectl("get", "pod", "lbl", "-o", "json").stdout)["metadata"]["labels"]
    assert labels == {"run": "lbl", "env": "dev"}
    assert sim.kubectl("annotate", "pod", "lbl", "note=hello").stdout.strip() == "pod/lbl annotated"
    sim.kubectl("annotate", "pod", "lbl", "note=again", "--overwrite")
    ann = json.loads(sim.kubectl("get", "pod", "lbl", "-o", "json").stdout)["metadata"]["annotations"]
    assert ann["note"] == "again"
    sim.kubectl("annotate", "pod", "lbl", "note-")
    md = json.loads(sim.kubectl("get", "pod", "lbl", "-o", "json").stdout)["metadata"]
    assert "note" not in (md.get("annotations") or {})
    logged = [r for r in sim.requests_logged() if r["method"] == "PATCH" and r["path"].endswith("/pods/lbl")]
    assert logged and all(r["status"] == 200 and r["user"] == "kubesim-admin" for r in logged)
    assert any("fieldManager=kubectl-label" in r["query"] for r in logged)
    st, body = sim.json("PATCH", "/api/v1/namespaces/default/pods/lbl", {"metadata": {"labels": {"bad": "not valid!"}}},
                        headers=MERGE)
    assert st == 422 and body["message"].startswith(
        'Pod "lbl" is invalid: metadata.labels: Invalid value: "not valid!": a valid label must be an empty string')


def test_noop_patch_keeps_resource_version(sim):
    sim.json("POST", "/api/v1/namespaces/default/configmaps",
             {"metadata": {"name": "noop", "labels": {"a": "1"}}, "data": {"x": "1"}}, expect=201)
    _, a = sim.json("PATCH", "/api/v1/namespaces/default/configmaps/noop", {"metadata": {"labels": {"a": "1"}}},
                    headers=MERGE, expect=200)
    _, b = sim.json("PATCH", "/api/v1/namespaces/default/configmaps/noop", {"metadata": {"labels": {"a": "1"}}},
                    headers=MERGE, expect=200)
    assert a["metadata"]["resourceVersion"] == b["metadata"]["resourceVersion"]


def test_delete_pod_with_kubectl(sim):
    sim.kubectl("run", "gone", "--image=nginx")
    wait_for(lambda: sim.json("GET", "/api/v1/namespaces/default/pods/gone")[1].get("status", {}).get("phase")
             == "Running")
    t0 = time.time()
    assert sim.kubectl("delete", "pod", "gone").stdout.strip() == 'pod "gone" deleted'
    assert time.time() - t0 < 10
    st, body = sim.json("GET", "/api/v1/namespaces/default/pods/gone")
    assert st == 404 and body["message"] == 'pods "gone" not found'
    assert body["details"] == {"name": "gone", "kind": "pods"}
    res = sim.kubectl("delete", "pod", "gone", check=False)
    assert res.returncode == 1 and 'Error from server (NotFound): pods "gone" not found' in res.stderr


def test_graceful_delete_response(sim):
    sim.kubectl("run", "grace", "--image=nginx")
    wait_for(lambda: sim.json("GET", "/api/v1/namespaces/default/pods/grace")[1]["spec"].get("nodeName"))
    st, body = sim.json("DELETE", "/api/v1/namespaces/default/pods/grace", {"propagationPolicy": "Background"})
    assert st == 200 and body["kind"] == "Pod"
    assert body["metadata"]["deletionTimestamp"] and body["metadata"]["deletionGracePeriodSeconds"] == 30
    rows = table_rows(sim.kubectl("get", "pod", "grace", check=False).stdout)[1]
    assert not rows or rows[0]["STATUS"] == "Terminating"
    wait_for(lambda: sim.json("GET", "/api/v1/namespaces/default/pods/grace")[0] == 404)


def test_delete_returns_status_for_other_kinds(sim):
    sim.json("POST", "/apis/apps/v1/namespaces/default/deployments", {
        "metadata": {"name": "d1"},
        "spec": {"selector": {"matchLabels": {"app": "d1"}},
                 "template": {"metadata": {"labels": {"app": "d1"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}, expect=201)
    st, body = sim.json("DELETE", "/apis/apps/v1/namespaces/default/deployments/d1")
    assert st == 200 and body["kind"] == "Status" and body["status"] == "Success"
    assert body["details"]["name"] == "d1" and body["details"]["group"] == "apps"
    assert body["details"]["kind"] == "deployments" and body["details"]["uid"]


def test_create_errors(sim):
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "dup"}}, expect=201)
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "dup"}})
    assert st == 409 and body["reason"] == "AlreadyExists" and body["message"] == 'configmaps "dup" already exists'
    assert body["details"] == {"name": "dup", "kind": "configmaps"}
    st, body = sim.json("POST", "/api/v1/namespaces/nosuch/configmaps", {"metadata": {"name": "x"}})
    assert st == 404 and body["message"] == 'namespaces "nosuch" not found'
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "Bad_Name"}})
    assert st == 422 and body["reason"] == "Invalid"
    assert body["message"].startswith('ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": '
                                      "a lowercase RFC 1123 subdomain must consist of")
    assert body["details"]["causes"][0]["field"] == "metadata.name"
    st, body = sim.json("POST", "/api/v1/namespaces/default/pods", {"metadata": {"name": "nocontainers"},
                                                                    "spec": {}})
    assert st == 422 and body["message"] == 'Pod "nocontainers" is invalid: spec.containers: Required value'
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {}})
    assert st == 422
    assert body["message"] == 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'
    st, _, data = sim.request("POST", "/api/v1/namespaces/default/configmaps", b"{not json",
                              headers={"Content-Type": "application/json"})
    assert st == 400 and json.loads(data)["reason"] == "BadRequest"
    st, _, data = sim.request("POST", "/api/v1/namespaces/default/configmaps", b"\x00\x01",
                              headers={"Content-Type": "application/vnd.kubernetes.protobuf"})
    assert st == 400 and json.loads(data)["reason"] == "BadRequest"
    st, _, data = sim.request("POST", "/api/v1/namespaces/default/configmaps", b"name: x",
                              headers={"Content-Type": "text/plain"})
    assert st == 415 and json.loads(data)["reason"] == "UnsupportedMediaType"
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps",
                        {"metadata": {"name": "x", "namespace": "other"}})
    assert st == 400
    assert body["message"] == "the namespace of the provided object does not match the namespace sent on the request"


def test_generate_name(sim):
    _, a = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"generateName": "gen-"}},
                    expect=201)
    name = a["metadata"]["name"]
    assert name.startswith("gen-") and len(name) == len("gen-") + 5
    assert a["metadata"]["uid"] and a["metadata"]["creationTimestamp"].endswith("Z")


def test_put_conflict_on_stale_resource_version(sim):
    _, d = sim.json("POST", "/apis/apps/v1/namespaces/default/deployments", {
        "metadata": {"name": "web"},
        "spec": {"replicas": 1, "selector": {"matchLabels": {"app": "web"}},
                 "template": {"metadata": {"labels": {"app": "web"}},
                              "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}}, expect=201)
    assert d["metadata"]["generation"] == 1
    # the deployment controller writes the status (new resourceVersions) until the rollout settles; a real
    # cluster does the same, so take the settled object before testing optimistic concurrency
    deadline = time.time() + 10
    while time.time() < deadline:
        time.sleep(0.3)
        _, cur = sim.json("GET", "/apis/apps/v1/namespaces/default/deployments/web", expect=200)
        if cur["metadata"]["resourceVersion"] == d["metadata"]["resourceVersion"]:
            break
        d = cur
    assert d["metadata"]["generation"] == 1
    stale = json.loads(json.dumps(d))
    d["spec"]["replicas"] = 2
    _, d2 = sim.json("PUT", "/apis/apps/v1/namespaces/default/deployments/web", d, expect=200)
    assert d2["metadata"]["generation"] == 2
    assert int(d2["metadata"]["resourceVersion"]) > int(d["metadata"]["resourceVersion"])
    stale["spec"]["replicas"] = 5
    st, body = sim.json("PUT", "/apis/apps/v1/namespaces/default/deployments/web", stale)
    assert st == 409 and body["reason"] == "Conflict"
    assert body["message"] == ('Operation cannot be fulfilled on deployments.apps "web": the object has been '
                               'modified; please apply your changes to the latest version and try again')
    assert body["details"] == {"name": "web", "group": "apps", "kind": "deployments"}
    # a patch carrying a resourceVersion is a precondition too
    st, body = sim.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                        {"metadata": {"resourceVersion": stale["metadata"]["resourceVersion"]}}, headers=MERGE)
    assert st == 409
    # metadata-only change keeps the generation
    _, d3 = sim.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web",
                     {"metadata": {"labels": {"x": "y"}}}, headers=MERGE, expect=200)
    assert d3["metadata"]["generation"] == 2
    st, body = sim.json("PUT", "/apis/apps/v1/namespaces/default/deployments/other", d3)
    assert st == 400 and "does not match the name on the URL" in body["message"]


def test_scale_and_status_subresources(sim):
    st, sc = sim.json("GET", "/apis/apps/v1/namespaces/default/deployments/web/scale", expect=200)
    assert sc["kind"] == "Scale" and sc["apiVersion"] == "autoscaling/v1"
    assert sc["spec"]["replicas"] == 2 and sc["status"]["selector"] == "app=web"
    assert sim.kubectl("scale", "deploy", "web", "--replicas=4").stdout.strip() == "deployment.apps/web scaled"
    _, d = sim.json("GET", "/apis/apps/v1/namespaces/default/deployments/web", expect=200)
    assert d["spec"]["replicas"] == 4
    st, body = sim.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/scale",
                        {"spec": {"replicas": -1}}, headers=MERGE)
    assert st == 422 and "spec.replicas: Invalid value: -1: must be greater than or equal to 0" in body["message"]
    # the main resource ignores status; /status ignores everything else
    d["status"] = {"replicas": 99}
    del d["metadata"]["resourceVersion"]    # unconditional: the deployment controller keeps writing the status
    _, put = sim.json("PUT", "/apis/apps/v1/namespaces/default/deployments/web", d, expect=200)
    assert (put.get("status") or {}).get("replicas") != 99
    _, st_obj = sim.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/web/status",
                         {"status": {"observedGeneration": 7}, "spec": {"replicas": 1}}, headers=MERGE, expect=200)
    assert st_obj["status"]["observedGeneration"] == 7 and st_obj["spec"]["replicas"] == 4


def test_patch_types(sim):
    sim.json("POST", "/api/v1/namespaces/default/pods", {
        "metadata": {"name": "patchme", "labels": {"a": "1", "b": "2"}},
        "spec": {"containers": [{"name": "app", "image": "nginx:1", "env": [{"name": "A", "value": "1"}]},
                                {"name": "side", "image": "envoy:1"}]}}, expect=201)
    base = "/api/v1/namespaces/default/pods/patchme"
    _, p = sim.json("PATCH", base, {"metadata": {"labels": {"a": None, "c": "3"}}}, headers=MERGE, expect=200)
    assert p["metadata"]["labels"] == {"b": "2", "c": "3"}
    # strategic merge: containers merged by name
    _, p = sim.json("PATCH", base, {"spec": {"containers": [{"name": "app", "image": "nginx:2"}]}},
                    headers=SMP, expect=200)
    cs = {c["name"]: c for c in p["spec"]["containers"]}
    assert list(cs) == ["app", "side"] and cs["app"]["image"] == "nginx:2" and cs["side"]["image"] == "envoy:1"
    assert cs["app"]["env"] == [{"name": "A", "value": "1"}]
    # ... and env by name, $patch: delete, in a deployment's template (pods refuse env changes)
    sim.json("POST", "/apis/apps/v1/namespaces/default/deployments", {
        "metadata": {"name": "smp"},
        "spec": {"selector": {"matchLabels": {"app": "smp"}},
                 "template": {"metadata": {"labels": {"app": "smp"}},
                              "spec": {"containers": [
                                  {"name": "app", "image": "nginx:1", "env": [{"name": "A", "value": "1"},
                                                                              {"name": "C", "value": "3"}],
                                   "ports": [{"containerPort": 80}, {"containerPort": 443}]},
                                  {"name": "side", "image": "envoy:1"}]}}}}, expect=201)
    _, d = sim.json("PATCH", "/apis/apps/v1/namespaces/default/deployments/smp", {"spec": {"template": {"spec": {
        "containers": [{"name": "app", "env": [{"name": "B", "value": "2"}, {"name": "C", "$patch": "delete"}],
                        "ports": [{"containerPort": 443, "name": "https"}]}]}}}}, headers=SMP, expect=200)
    app, side = d["spec"]["template"]["spec"]["containers"]
    assert [e["name"] for e in app["env"]] == ["A", "B"] and side["image"] == "envoy:1"
    assert [(p["containerPort"], p.get("name")) for p in app["ports"]] == [(80, None), (443, "https")]
    # a merge patch replaces lists wholesale (and pod spec rules then refuse the change)
    st, body = sim.json("PATCH", base, {"spec": {"containers": [{"name": "app", "image": "nginx:3"}]}},
                        headers=MERGE)
    assert st == 422 and "pod updates may not change fields other than" in body["message"]
    # json patch
    _, p = sim.json("PATCH", base, [{"op": "replace", "path": "/spec/containers/1/image", "value": "envoy:2"},
                                    {"op": "add", "path": "/metadata/annotations", "value": {"k": "v"}}],
                    headers=JSONP, expect=200)
    assert p["spec"]["containers"][1]["image"] == "envoy:2" and p["metadata"]["annotations"] == {"k": "v"}
    # An unapplied JSON patch: a real apiserver's generic 422, whatever the reason (measured).
    generic = "the server rejected our request due to an error in our request"
    st, body = sim.json("PATCH", base, [{"op": "replace", "path": "/spec/nothere", "value": 1}], headers=JSONP)
    assert st == 422 and body["reason"] == "Invalid" and body["message"] == generic
    st, body = sim.json("PATCH", base, [{"op": "test", "path": "/metadata/name", "value": "other"}], headers=JSONP)
    assert st == 422 and body["message"] == generic
    r = sim.kubectl("patch", "pod", "patchme", "--type=json",
                    "-p", '[{"op":"remove","path":"/spec/affinity"}]', check=False)
    assert r.returncode == 1
    assert r.stderr.strip() == "The request is invalid: " + generic, r.stderr
    st, body = sim.json("PATCH", base, {"op": "add"}, headers=JSONP)
    assert st == 400 and "cannot unmarshal object into Go value of type jsonpatch.Patch" in body["message"]
    # Malformed JSON is described in Go's words (encoding/json), not Python's.
    st, body = sim.json("PATCH", base, b'{"metadata": {bad}}', headers=MERGE)
    assert st == 400 and body["message"].endswith(
        "invalid character 'b' looking for beginning of object key string"), body
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps", b'{"a":1 "b":2}',
                       headers={"Content-Type": "application/json"})
    assert st == 400 and body["message"] == ("couldn't get version/kind; json parse error: "
                                             "invalid character '\"' after object key:value pair"), body
    st, body = sim.json("PATCH", base, {"x": 1}, headers={"Content-Type": "text/plain"})
    assert st == 415 and body["reason"] == "UnsupportedMediaType"
    assert body["message"].startswith("the body of the request was in an unknown format - accepted media types "
                                      "include: application/json-patch+json, application/merge-patch+json")
    st, body = sim.json("PATCH", "/api/v1/namespaces/default/pods/absent", {"a": 1}, headers=MERGE)
    assert st == 404


def test_strategic_merge_with_kubectl_patch(sim):
    sim.kubectl("patch", "pod", "patchme", "-p", '{"spec":{"containers":[{"name":"side","image":"envoy:3"}]}}')
    p = json.loads(sim.kubectl("get", "pod", "patchme", "-o", "json").stdout)
    assert [(c["name"], c["image"]) for c in p["spec"]["containers"]] == [("app", "nginx:2"), ("side", "envoy:3")]


def test_delete_preconditions_and_finalizers(sim):
    _, c = sim.json("POST", "/api/v1/namespaces/default/configmaps",
                    {"metadata": {"name": "fin", "finalizers": ["example.com/hold"]}}, expect=201)
    st, body = sim.json("DELETE", "/api/v1/namespaces/default/configmaps/fin",
                        {"preconditions": {"uid": "00000000-0000-0000-0000-000000000000"}})
    assert st == 409 and body["reason"] == "Conflict"
    assert body["message"] == ('Operation cannot be fulfilled on configmaps "fin": Precondition failed: UID in '
                               'precondition: 00000000-0000-0000-0000-000000000000, UID in object meta: %s'
                               % c["metadata"]["uid"])
    st, body = sim.json("DELETE", "/api/v1/namespaces/default/configmaps/fin",
                        {"preconditions": {"resourceVersion": "1"}})
    assert st == 409 and "Precondition failed: ResourceVersion in precondition: 1" in body["message"]
    st, body = sim.json("DELETE", "/api/v1/namespaces/default/configmaps/fin", {"propagationPolicy": "Background"})
    assert st == 200 and body["metadata"]["deletionTimestamp"] and body["metadata"]["finalizers"] == \
        ["example.com/hold"]
    st, still = sim.json("GET", "/api/v1/namespaces/default/configmaps/fin", expect=200)
    st, _ = sim.json("PATCH", "/api/v1/namespaces/default/configmaps/fin", {"metadata": {"finalizers": None}},
                     headers=MERGE, expect=200)
    st, _ = sim.json("GET", "/api/v1/namespaces/default/configmaps/fin")
    assert st == 404
    st, body = sim.json("DELETE", "/api/v1/namespaces/default/configmaps/fin2", {"propagationPolicy": "Sideways"})
    assert st in (404, 422)


def test_owner_references_cascade(sim):
    _, owner = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "owner"}},
                        expect=201)
    ref = {"apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": owner["metadata"]["uid"]}
    for n in ("dep1", "dep2"):
        sim.json("POST", "/api/v1/namespaces/default/configmaps",
                 {"metadata": {"name": n, "ownerReferences": [ref]}}, expect=201)
    sim.json("DELETE", "/api/v1/namespaces/default/configmaps/owner", {"propagationPolicy": "Foreground"},
             expect=200)
    wait_for(lambda: all(sim.json("GET", "/api/v1/namespaces/default/configmaps/" + n)[0] == 404
                         for n in ("owner", "dep1", "dep2")))
    _, owner = sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "owner2"}},
                        expect=201)
    ref["uid"], ref["name"] = owner["metadata"]["uid"], "owner2"
    sim.json("POST", "/api/v1/namespaces/default/configmaps", {"metadata": {"name": "orph", "ownerReferences": [ref]}},
             expect=201)
    sim.kubectl("delete", "configmap", "owner2", "--cascade=orphan")
    wait_for(lambda: sim.json("GET", "/api/v1/namespaces/default/configmaps/owner2")[0] == 404)
    _, orph = sim.json("GET", "/api/v1/namespaces/default/configmaps/orph", expect=200)
    assert "ownerReferences" not in orph["metadata"]


def test_typed_client_protobuf_creates(sim):
    """kubectl create namespace/configmap/secret/serviceaccount POST protobuf bodies."""
    sim.kubectl("create", "namespace", "pb")
    sim.kubectl("create", "configmap", "pbcm", "-n", "pb", "--from-literal=a=b", "--from-literal=c=d")
    sim.kubectl("create", "secret", "generic", "pbsec", "-n", "pb", "--from-literal=pw=s3cret")
    sim.kubectl("create", "serviceaccount", "pbsa", "-n", "pb")
    _, ns = sim.json("GET", "/api/v1/namespaces/pb", expect=200)
    assert ns["status"]["phase"] == "Active" and ns["spec"]["finalizers"] == ["kubernetes"]
    _, cm = sim.json("GET", "/api/v1/namespaces/pb/configmaps/pbcm", expect=200)
    assert cm["data"] == {"a": "b", "c": "d"}
    _, sec = sim.json("GET", "/api/v1/namespaces/pb/secrets/pbsec", expect=200)
    import base64
    assert sec["type"] == "Opaque" and base64.b64decode(sec["data"]["pw"]) == b"s3cret"
    sim.json("GET", "/api/v1/namespaces/pb/serviceaccounts/pbsa", expect=200)


def test_namespace_deletion_removes_contents(sim):
    sim.kubectl("create", "namespace", "doomed")
    sim.kubectl("run", "p", "--image=nginx", "-n", "doomed")
    sim.kubectl("create", "configmap", "c", "-n", "doomed", "--from-literal=a=b")
    wait_for(lambda: sim.json("GET", "/api/v1/namespaces/doomed/serviceaccounts/default")[0] == 200)
    st, body = sim.json("DELETE", "/api/v1/namespaces/doomed")
    assert st == 200 and body["status"]["phase"] == "Terminating"
    st, body = sim.json("POST", "/api/v1/namespaces/doomed/configmaps", {"metadata": {"name": "late"}})
    assert st in (403, 404)
    if st == 403:
        assert body["message"] == ('configmaps "late" is forbidden: unable to create new content in namespace '
                                   'doomed because it is being terminated')
    wait_for(lambda: sim.json("GET", "/api/v1/namespaces/doomed")[0] == 404, timeout=15)
    assert sim.json("GET", "/api/v1/namespaces/doomed/pods")[1]["items"] == []


def test_crd_registers_custom_resource(sim):
    crd = {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "scope": "Namespaced",
                 "names": {"plural": "widgets", "singular": "widget", "kind": "Widget", "shortNames": ["wd"]},
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True}},
                               "additionalPrinterColumns": [
                                   {"name": "Size", "type": "integer", "jsonPath": ".spec.size"},
                                   {"name": "Color", "type": "string", "jsonPath": ".spec.color", "priority": 1},
                                   {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}]}}
    res = sim.kubectl("apply", "-f", "-", input=json.dumps(crd))
    assert "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created" in res.stdout
    w = {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w1"},
         "spec": {"size": 3, "color": "blue"}}
    res = sim.kubectl("create", "-f", "-", input=json.dumps(w))
    assert res.stdout.strip() == "widget.example.com/w1 created"
    header, rows = table_rows(sim.kubectl("get", "wd").stdout)
    assert header == ["NAME", "SIZE", "AGE"] and rows[0]["NAME"] == "w1" and rows[0]["SIZE"] == "3"
    header, rows = table_rows(sim.kubectl("get", "widgets", "-o", "wide").stdout)
    assert header == ["NAME", "SIZE", "COLOR", "AGE"] and rows[0]["COLOR"] == "blue"
    res = sim.kubectl("patch", "widget", "w1", "--type=merge", "-p", '{"spec":{"size":4}}')
    assert json.loads(sim.kubectl("get", "widget", "w1", "-o", "json").stdout)["spec"]["size"] == 4
    st, body = sim.json("PATCH", "/apis/example.com/v1/namespaces/default/widgets/w1", {"spec": {}}, headers=SMP)
    assert st == 415
    _, crd_obj = sim.json("GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com",
                          expect=200)
    assert {c["type"]: c["status"] for c in crd_obj["status"]["conditions"]}["Established"] == "True"
    sim.kubectl("delete", "crd", "widgets.example.com")
    res = sim.kubectl("get", "widgets", check=False)
    assert res.returncode == 1


def test_method_not_allowed_and_unknown_paths(sim):
    st, body = sim.json("POST", "/api/v1/namespaces/default/configmaps/named", {"metadata": {"name": "named"}})
    assert st == 405 and body["reason"] == "MethodNotAllowed"
    st, body = sim.json("GET", "/api/v1/nosuchresource")
    assert st == 404 and body["message"] == "the server could not find the requested resource"
    st, body = sim.json("GET", "/api/v1/namespaces/default/nodes")
    assert st == 404
