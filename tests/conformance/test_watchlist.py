"""Streaming lists (KEP-3157, WatchList; beta and on in a 1.32 apiserver): a watch with
sendInitialEvents=true and resourceVersionMatch=NotOlderThan sends the state as ADDED events, then a
BOOKMARK annotated k8s.io/initial-events-end and, in 1.32, kubernetes.io/initial-events-list-blueprint
(an empty list of the watched kind as the JSON encoder writes it, base64), then live events.

kubectl 1.32 streams lists only where client-go's reflector runs (wait, delete --wait) and only with
KUBE_FEATURE_WatchListClient=true; that real client checks the wire format here."""

import base64
import json

import pytest

from conftest import read_events

STREAM = "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"

CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "gadgets.stream.example.com"},
    "spec": {"group": "stream.example.com", "scope": "Namespaced",
             "names": {"plural": "gadgets", "singular": "gadget", "kind": "Gadget"},
             "versions": [{"name": "v1", "served": True, "storage": True,
                           "schema": {"openAPIV3Schema": {"type": "object",
                                                          "x-kubernetes-preserve-unknown-fields": True}}}]}}


@pytest.fixture(scope="module")
def ws(make_sim):
    s = make_sim(args=["--no-controllers"])
    s.json("POST", "/api/v1/namespaces", {"metadata": {"name": "wl"}}, expect=201)
    return s


def stream(sim, path, query=""):
    c, r = sim.watch(path + "?" + STREAM + "&timeoutSeconds=10" + query)
    try:
        assert r.status == 200
        return read_events(r, until=lambda e: e["type"] == "BOOKMARK")
    finally:
        c.close()


def blueprint(end):
    return base64.b64decode(end["object"]["metadata"]["annotations"]
                            ["kubernetes.io/initial-events-list-blueprint"])


def test_end_bookmark_of_a_builtin_kind(ws):
    ws.json("POST", "/api/v1/namespaces/wl/configmaps", {"metadata": {"name": "one"}, "data": {"k": "v"}},
            expect=201)
    evs = stream(ws, "/api/v1/namespaces/wl/configmaps")
    assert [(e["type"], e["object"]["metadata"].get("name")) for e in evs[:-1]] == [
        ("ADDED", "kube-root-ca.crt"), ("ADDED", "one")]
    end = evs[-1]["object"]
    assert end["kind"] == "ConfigMap" and end["apiVersion"] == "v1"
    assert set(end["metadata"]["annotations"]) == {"k8s.io/initial-events-end",
                                                   "kubernetes.io/initial-events-list-blueprint"}
    assert end["metadata"]["annotations"]["k8s.io/initial-events-end"] == "true"
    # What the apiserver's JSON encoder writes for an empty typed list, newline included.
    assert blueprint(evs[-1]) == b'{"kind":"ConfigMapList","apiVersion":"v1","metadata":{},"items":null}\n'


def test_end_bookmark_of_a_custom_resource(ws):
    ws.json("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", CRD, expect=201)
    evs = []
    for _ in range(50):     # the new kind is served once the CRD is established
        st, _ = ws.json("GET", "/apis/stream.example.com/v1/namespaces/wl/gadgets")
        if st == 200:
            evs = stream(ws, "/apis/stream.example.com/v1/namespaces/wl/gadgets")
            break
    assert [e["type"] for e in evs] == ["BOOKMARK"]
    # An unstructured list: Go's encoding/json writes map keys sorted, and "items" as [].
    assert json.loads(blueprint(evs[0])) == {"apiVersion": "stream.example.com/v1", "items": [],
                                             "kind": "GadgetList"}
    assert blueprint(evs[0]).startswith(b'{"apiVersion":"stream.example.com/v1","items":[],')


def test_plain_bookmarks_carry_no_initial_events_annotations(ws):
    """Only the bookmark that ends the initial events is annotated; a watch without
    sendInitialEvents never sees one."""
    _, lst = ws.json("GET", "/api/v1/namespaces/wl/configmaps", expect=200)
    c, r = ws.watch("/api/v1/namespaces/wl/configmaps?watch=1&allowWatchBookmarks=true&timeoutSeconds=3"
                    "&resourceVersion=" + lst["metadata"]["resourceVersion"])
    try:
        evs = read_events(r, limit_s=10)
    finally:
        c.close()
    assert [e["type"] for e in evs] == ["BOOKMARK"]     # the one 2 s before the deadline
    assert "annotations" not in evs[0]["object"]["metadata"]


def test_kubectl_watchlist_client_streams(ws, monkeypatch):
    """The real client-go 1.32 reflector (kubectl wait, with its WatchListClient gate on) asks for a
    streaming list, takes kubesim's end bookmark as the end of the initial state and does not fall
    back to LIST."""
    ws.json("POST", "/api/v1/namespaces/wl/configmaps", {"metadata": {"name": "waited", "labels": {"w": "x"}}},
            expect=201)
    before = len(ws.requests_logged())
    monkeypatch.setenv("KUBE_FEATURE_WatchListClient", "true")
    res = ws.kubectl("wait", "-n", "wl", "configmap/waited", "--for=jsonpath={.metadata.labels.w}=x",
                     "--timeout=20s", "-v=4")
    assert "configmap/waited condition met" in res.stdout
    assert "marks the end of initial events stream" in res.stderr
    assert "falling back" not in res.stderr
    reqs = [r for r in ws.requests_logged()[before:] if r["path"] == "/api/v1/namespaces/wl/configmaps"]
    assert reqs and all("sendInitialEvents=true" in r["query"] for r in reqs), reqs
    assert all("resourceVersionMatch=NotOlderThan" in r["query"] and r["status"] == 200 for r in reqs)
