"""WATCH: kubectl get -w, resourceVersion semantics, 410 expiry, bookmarks, streaming lists, selectors."""

import json
import threading
import time

import pytest

from conftest import read_events

HISTORY = 40


@pytest.fixture(scope="module")
def ws(make_sim):
    s = make_sim(args=["--no-controllers", "--watch-history", str(HISTORY)])
    s.json("POST", "/api/v1/namespaces", {"metadata": {"name": "w"}}, expect=201)
    return s


def cm(name, labels=None, data=None):
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels or {}},
            "data": data or {"k": "v"}}


def pod(name, labels=None):
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, "labels": labels or {}},
            "spec": {"containers": [{"name": "c", "image": "nginx"}]}}


def test_kubectl_get_watch_sees_changes(ws):
    p = ws.kubectl_popen("get", "pods", "-n", "w", "-w", "--output-watch-events")
    try:
        time.sleep(1.5)   # kubectl lists, then starts its watch
        ws.json("POST", "/api/v1/namespaces/w/pods", pod("watched"), expect=201)
        time.sleep(0.5)
        ws.json("DELETE", "/api/v1/namespaces/w/pods/watched", {"gracePeriodSeconds": 0}, expect=200)
        deadline = time.time() + 10
        lines = []
        while time.time() < deadline:
            line = p.stdout.readline()
            if not line:
                break
            lines.append(line.split())
            if lines[-1][:2] == ["DELETED", "watched"]:
                break
    finally:
        p.kill()
        p.wait()
    events = [(ln[0], ln[1]) for ln in lines if ln and ln[0] != "EVENT"]
    assert ("ADDED", "watched") in events
    assert events[-1] == ("DELETED", "watched")
    assert lines[0][:3] == ["EVENT", "NAME", "READY"]


def test_watch_from_zero_sends_current_state_then_changes(ws):
    ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("a0"), expect=201)
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=0&timeoutSeconds=10")
    try:
        assert r.status == 200 and r.getheader("Transfer-Encoding") == "chunked"
        first = read_events(r, n=1)
        names = [first[0]["object"]["metadata"]["name"]]
        assert first[0]["type"] == "ADDED" and first[0]["object"]["kind"] == "ConfigMap"
        assert first[0]["object"]["apiVersion"] == "v1"
        ws.json("PATCH", "/api/v1/namespaces/w/configmaps/a0", {"data": {"k": "v2"}},
                headers={"Content-Type": "application/merge-patch+json"}, expect=200)
        ev = read_events(r, until=lambda e: e["type"] == "MODIFIED")
        assert ev[-1]["type"] == "MODIFIED" and ev[-1]["object"]["data"]["k"] == "v2"
        assert "a0" in names + [e["object"]["metadata"]["name"] for e in ev]
    finally:
        c.close()


def test_watch_from_resource_version_replays_history(ws):
    _, lst = ws.json("GET", "/api/v1/namespaces/w/configmaps", expect=200)
    rv = lst["metadata"]["resourceVersion"]
    ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("r1"), expect=201)
    ws.json("DELETE", "/api/v1/namespaces/w/configmaps/r1", expect=200)
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=1&resourceVersion=%s&timeoutSeconds=5" % rv)
    try:
        evs = read_events(r, n=2)
    finally:
        c.close()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in evs] == [("ADDED", "r1"), ("DELETED", "r1")]
    assert int(evs[1]["object"]["metadata"]["resourceVersion"]) > int(evs[0]["object"]["metadata"]["resourceVersion"])


def test_watch_too_old_resource_version_gets_410_event(ws):
    _, lst = ws.json("GET", "/api/v1/namespaces/w/configmaps", expect=200)
    old = int(lst["metadata"]["resourceVersion"])
    for i in range(HISTORY + 5):
        ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("old-%d" % i), expect=201)
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=%d" % old)
    try:
        assert r.status == 200
        evs = read_events(r, limit_s=5)
    finally:
        c.close()
    assert len(evs) == 1 and evs[0]["type"] == "ERROR"
    st = evs[0]["object"]
    assert st["kind"] == "Status" and st["code"] == 410 and st["reason"] == "Expired"
    assert st["status"] == "Failure"
    import re
    m = re.fullmatch(r"too old resource version: (\d+) \((\d+)\)", st["message"])
    assert m and int(m.group(1)) == old and int(m.group(2)) > old


def test_bookmark_before_timeout_and_clean_end(ws):
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&allowWatchBookmarks=true&timeoutSeconds=4"
                    "&resourceVersion=%d" % _rv(ws))
    t0 = time.time()
    try:
        evs = read_events(r, limit_s=15)
    finally:
        c.close()
    took = time.time() - t0
    assert 3.5 <= took < 7.0, "the stream ends at timeoutSeconds"
    assert [e["type"] for e in evs] == ["BOOKMARK"]
    b = evs[0]["object"]
    assert b["kind"] == "ConfigMap" and b["apiVersion"] == "v1"
    assert b["metadata"]["resourceVersion"] == str(_rv(ws)) and set(b["metadata"]) == {"resourceVersion",
                                                                                        "creationTimestamp"}


def _rv(ws):
    _, lst = ws.json("GET", "/api/v1/namespaces/w/configmaps?limit=1", expect=200)
    return int(lst["metadata"]["resourceVersion"])


def test_no_bookmarks_unless_allowed(ws):
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=3&resourceVersion=%d" % _rv(ws))
    try:
        evs = read_events(r, limit_s=10)
    finally:
        c.close()
    assert evs == []


def test_send_initial_events_and_end_bookmark(ws):
    ws.json("POST", "/api/v1/namespaces", {"metadata": {"name": "init"}}, expect=201)
    for n in ("x1", "x2", "x3"):
        ws.json("POST", "/api/v1/namespaces/init/configmaps", cm(n), expect=201)
    c, r = ws.watch("/api/v1/namespaces/init/configmaps?watch=1&sendInitialEvents=true"
                    "&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&resourceVersion=&timeoutSeconds=10")
    try:
        evs = read_events(r, until=lambda e: e["type"] == "BOOKMARK")
        names = [e["object"]["metadata"]["name"] for e in evs if e["type"] == "ADDED"]
        assert {"x1", "x2", "x3"} <= set(names)
        end = evs[-1]
        assert end["type"] == "BOOKMARK"
        assert end["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"] == "true"
        rv = int(end["object"]["metadata"]["resourceVersion"])
        ws.json("POST", "/api/v1/namespaces/init/configmaps", cm("x4"), expect=201)
        live = read_events(r, n=1)
        assert live[0]["type"] == "ADDED" and live[0]["object"]["metadata"]["name"] == "x4"
        assert int(live[0]["object"]["metadata"]["resourceVersion"]) > rv
    finally:
        c.close()


@pytest.mark.parametrize("query,field,msg", [
    ("watch=1&sendInitialEvents=true", "resourceVersionMatch",
     "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
    ("watch=1&resourceVersionMatch=NotOlderThan", "resourceVersionMatch",
     "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"),
    ("sendInitialEvents=true", "sendInitialEvents", "sendInitialEvents is forbidden for list"),
    ("resourceVersionMatch=Exact", "resourceVersionMatch",
     "resourceVersionMatch is forbidden unless resourceVersion is provided"),
])
def test_list_and_watch_option_validation(ws, query, field, msg):
    st, body = ws.json("GET", "/api/v1/namespaces/w/configmaps?" + query)
    assert st == 422 and body["reason"] == "Invalid"
    assert body["message"] == 'ListOptions.meta.k8s.io "" is invalid: %s: Forbidden: %s' % (field, msg)
    assert body["details"]["causes"][0] == {"reason": "FieldValueForbidden", "message": "Forbidden: " + msg,
                                            "field": field}


def test_selector_transitions_are_added_and_deleted(ws):
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&labelSelector=sel%%3Dyes&timeoutSeconds=10"
                    "&resourceVersion=%d" % _rv(ws))
    try:
        ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("t1"), expect=201)
        mp = {"Content-Type": "application/merge-patch+json"}
        ws.json("PATCH", "/api/v1/namespaces/w/configmaps/t1", {"metadata": {"labels": {"sel": "yes"}}},
                headers=mp, expect=200)
        ws.json("PATCH", "/api/v1/namespaces/w/configmaps/t1", {"data": {"k": "changed"}}, headers=mp, expect=200)
        ws.json("PATCH", "/api/v1/namespaces/w/configmaps/t1", {"metadata": {"labels": {"sel": "no"}}},
                headers=mp, expect=200)
        evs = read_events(r, n=3)
    finally:
        c.close()
    assert [e["type"] for e in evs] == ["ADDED", "MODIFIED", "DELETED"]
    assert evs[2]["object"]["metadata"]["labels"] == {"sel": "no"}


def test_table_watch_headers_only_on_first_event(ws):
    accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
    c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=0&timeoutSeconds=5",
                    headers={"Accept": accept})
    try:
        evs = read_events(r, n=3)
    finally:
        c.close()
    assert evs[0]["object"]["kind"] == "Table"
    assert [c["name"] for c in evs[0]["object"]["columnDefinitions"]] == ["Name", "Data", "Age"]
    assert evs[1]["object"]["columnDefinitions"] is None and len(evs[1]["object"]["rows"]) == 1
    assert evs[1]["object"]["rows"][0]["object"]["kind"] == "PartialObjectMetadata"


def test_single_object_watch(ws):
    ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("solo"), expect=201)
    for path in ("/api/v1/namespaces/w/configmaps?watch=true&fieldSelector=metadata.name%3Dsolo&timeoutSeconds=5",
                 "/api/v1/watch/namespaces/w/configmaps/solo?timeoutSeconds=5"):
        c, r = ws.watch(path)
        try:
            evs = read_events(r, n=1)
            ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("not-solo-%d" % len(path)), expect=201)
            ws.json("PATCH", "/api/v1/namespaces/w/configmaps/solo", {"data": {"n": str(len(path))}},
                    headers={"Content-Type": "application/merge-patch+json"}, expect=200)
            more = read_events(r, n=1)
        finally:
            c.close()
        assert [(e["type"], e["object"]["metadata"]["name"]) for e in evs + more] == [("ADDED", "solo"),
                                                                                      ("MODIFIED", "solo")]


def test_many_watches_do_not_block_the_server(ws):
    conns = []
    try:
        for i in range(25):
            conns.append(ws.watch("/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=30&resourceVersion=%d"
                                  % _rv(ws)))
        t0 = time.time()
        ws.json("POST", "/api/v1/namespaces/w/configmaps", cm("fanout"), expect=201)
        for c, r in conns:
            ev = read_events(r, n=1, limit_s=5)
            assert ev and ev[0]["object"]["metadata"]["name"] == "fanout"
        assert time.time() - t0 < 5
        st, _ = ws.json("GET", "/api/v1/namespaces/w/configmaps?limit=1")
        assert st == 200
    finally:
        for c, _ in conns:
            c.close()


def test_watch_too_large_resource_version(ws):
    future = _rv(ws) + 10 ** 9
    st, body = ws.json("GET", "/api/v1/namespaces/w/configmaps?watch=true&resourceVersion=%d" % future)
    assert st == 504 and body["reason"] == "Timeout"
    assert body["message"].startswith("Too large resource version: %d, current: " % future)
    st, body = ws.json("GET", "/api/v1/namespaces/w/configmaps?resourceVersion=%d" % future)
    assert st == 504


def test_resource_versions_grow_across_restarts(make_sim, ws):
    """A restarted kubesim must not hand out resourceVersions a client saw before: its clock-based RVs
    grow, and a watch resumed from the previous run is 410 Expired (the client relists)."""
    before = _rv(ws)
    other = make_sim(args=["--no-controllers"])
    _, lst = other.json("GET", "/api/v1/namespaces", expect=200)
    assert int(lst["metadata"]["resourceVersion"]) > before
    c, r = other.watch("/api/v1/namespaces?watch=true&resourceVersion=%d" % before)
    try:
        evs = read_events(r, limit_s=5)
    finally:
        c.close()
    assert [e["type"] for e in evs] == ["ERROR"] and evs[0]["object"]["code"] == 410


def test_disconnected_watchers_are_released(ws):
    import socket
    for i in range(5):
        c, r = ws.watch("/api/v1/namespaces/w/configmaps?watch=true&timeoutSeconds=60&resourceVersion=%d" % _rv(ws))
        c.sock.shutdown(socket.SHUT_RDWR)
        c.close()
    time.sleep(2.5)
    st, _ = ws.json("GET", "/api/v1/namespaces/w/configmaps?limit=1")
    assert st == 200
