"""Synthetic scale (--pods/--namespaces/--nodes): size and shape of the pods, pagination through kubectl
and raw HTTP, watch of the whole set, determinism per --seed, and controllers that leave the pods alone."""

import json
import re
import time
import urllib.parse

import pytest

from conftest import read_events, table_rows

N = 5000
M = 20
K = 60
SEED = 11


@pytest.fixture(scope="module")
def big(make_sim):
    t0 = time.time()
    s = make_sim(args=["--pods", str(N), "--namespaces", str(M), "--nodes", str(K), "--seed", str(SEED),
                       "--no-controllers"])
    s.startup = time.time() - t0
    _, lst = s.json("GET", "/api/v1/pods?limit=1", expect=200)
    s.first_rv = lst["metadata"]["resourceVersion"]
    return s


def list_all(sim, path, limit, accept="application/json"):
    """Follow limit/continue; returns (items, pages, list resourceVersions)."""
    items, pages, rvs = [], 0, set()
    cont = ""
    while True:
        q = "limit=%d" % limit + ("&continue=" + urllib.parse.quote(cont) if cont else "")
        st, _, body = sim.request("GET", path + ("&" if "?" in path else "?") + q, headers={"Accept": accept})
        assert st == 200, body[:300]
        doc = json.loads(body)
        pages += 1
        items += doc.get("items") or doc.get("rows") or []
        rvs.add(doc["metadata"]["resourceVersion"])
        cont = doc["metadata"].get("continue")
        if not cont:
            return items, pages, rvs


def test_starts_fast_with_every_pod(big):
    assert big.startup < 20, "5000 pods took %.1f s to start" % big.startup
    assert "synthetic scale: %d pods" % N in big.stderr()
    st, doc = big.json("GET", "/api/v1/nodes", expect=200)
    assert len(doc["items"]) == K
    ips = {a["address"] for n in doc["items"] for a in n["status"]["addresses"] if a["type"] == "InternalIP"}
    cidrs = {n["spec"]["podCIDR"] for n in doc["items"]}
    assert len(ips) == K and len(cidrs) == K
    st, doc = big.json("GET", "/api/v1/namespaces", expect=200)
    names = [n["metadata"]["name"] for n in doc["items"]]
    assert ["scale-%02d" % i for i in range(1, M + 1)] == [n for n in names if n.startswith("scale-")]


def test_kubectl_chunked_list_returns_every_pod(big):
    res = big.kubectl("get", "pods", "-A", "--chunk-size=700", "--no-headers", timeout=120)
    lines = [ln.split() for ln in res.stdout.splitlines() if ln.strip()]
    assert len(lines) == N
    assert len({(ln[0], ln[1]) for ln in lines}) == N
    statuses = {}
    for ln in lines:
        statuses[ln[3]] = statuses.get(ln[3], 0) + 1
    # mostly Running, and every state a client must render shows up
    assert statuses["Running"] > 0.85 * N
    for s in ("CrashLoopBackOff", "ImagePullBackOff", "ContainerCreating", "Completed", "Pending"):
        assert statuses.get(s), (s, statuses)
    pages = [r for r in big.requests_logged() if r["path"] == "/api/v1/pods" and "limit=700" in r["query"]]
    assert len(pages) == (N + 699) // 700
    assert sum("continue=" in r["query"] for r in pages) == len(pages) - 1


def test_every_pod_is_realistic_and_5_to_8_kb(big):
    items, pages, rvs = list_all(big, "/api/v1/pods", 1000)
    assert len(items) == N and pages == N // 1000 and len(rvs) == 1
    hexid = re.compile(r"^containerd://[0-9a-f]{64}$")
    sizes = []
    uids = set()
    for p in items:
        sizes.append(len(json.dumps(p, separators=(",", ":"), ensure_ascii=False).encode()))
        md, spec, st = p["metadata"], p["spec"], p["status"]
        uids.add(md["uid"])
        assert md["ownerReferences"][0]["controller"] is True
        assert md["ownerReferences"][0]["kind"] in ("ReplicaSet", "Job")
        assert len(md["managedFields"]) in (1, 2)
        assert md["managedFields"][0]["fieldsType"] == "FieldsV1"
        assert len(spec["containers"]) == 2
        main = spec["containers"][0]
        assert main["env"] and main["ports"] and main["resources"] and main["volumeMounts"]
        vols = [v for v in spec["volumes"] if v["name"].startswith("kube-api-access-")]
        assert len(vols) == 1 and len(vols[0]["projected"]["sources"]) == 3
        if st["phase"] == "Pending" and "containerStatuses" not in st:
            assert spec["schedulerName"] != "default-scheduler" and "nodeName" not in spec
            continue
        assert [m["manager"] for m in md["managedFields"]][1] == "kubelet"
        assert len(st["conditions"]) == 5
        for cs in st["containerStatuses"]:
            if "containerID" in cs:
                assert hexid.match(cs["containerID"]), cs["containerID"]
                assert re.search(r"@sha256:[0-9a-f]{64}$", cs["imageID"]), cs["imageID"]
        if st["phase"] == "Running":
            assert spec["nodeName"].startswith("kubesim-node-") and st["podIP"]
    assert len(uids) == N
    assert min(sizes) >= 5000 and max(sizes) <= 8192, (min(sizes), max(sizes))
    mean = sum(sizes) / len(sizes)
    assert 6500 < mean < 8000, mean
    # "labels incl. app/pod-template-hash": pods of a Deployment carry both
    assert sum(1 for p in items if "pod-template-hash" in p["metadata"]["labels"]) > 0.9 * N


def test_pods_belong_to_consistent_replicasets_and_deployments(big):
    _, rss = big.json("GET", "/apis/apps/v1/replicasets", expect=200)
    _, deps = big.json("GET", "/apis/apps/v1/deployments", expect=200)
    _, pods = big.json("GET", "/api/v1/pods", expect=200)
    by_uid = {rs["metadata"]["uid"]: rs for rs in rss["items"]}
    dep_uids = {d["metadata"]["uid"]: d for d in deps["items"]}
    owned = {}
    for p in pods["items"]:
        ref = p["metadata"]["ownerReferences"][0]
        if ref["kind"] != "ReplicaSet":
            continue
        rs = by_uid[ref["uid"]]
        assert rs["metadata"]["name"] == ref["name"]
        for k, v in rs["spec"]["selector"]["matchLabels"].items():
            assert p["metadata"]["labels"][k] == v
        owned.setdefault(ref["uid"], []).append(p)
    for uid, rs in by_uid.items():
        got = owned.get(uid, [])
        assert rs["spec"]["replicas"] == rs["status"]["replicas"] == len(got)
        ready = sum(1 for p in got if any(c.get("type") == "Ready" and c["status"] == "True"
                                          for c in p["status"].get("conditions") or []))
        assert rs["status"].get("readyReplicas", 0) == ready
        dref = rs["metadata"]["ownerReferences"][0]
        d = dep_uids[dref["uid"]]
        assert rs["metadata"]["labels"]["pod-template-hash"] in rs["metadata"]["name"]
        assert d["status"].get("readyReplicas", 0) == ready
    res = big.kubectl("get", "deploy", "-n", "scale-01")
    _, rows = table_rows(res.stdout)
    assert rows and all(re.match(r"^\d+/\d+$", r["READY"]) for r in rows)


def test_watch_of_every_pod(big):
    c, r = big.watch("/api/v1/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
                     "&allowWatchBookmarks=true&timeoutSeconds=60", timeout=60)
    try:
        assert r.status == 200
        evs = read_events(r, until=lambda e: e["type"] == "BOOKMARK", limit_s=60)
    finally:
        c.close()
    assert [e["type"] for e in evs[:-1]] == ["ADDED"] * N
    assert evs[-1]["object"]["metadata"]["annotations"]["k8s.io/initial-events-end"] == "true"


def test_frozen_without_controllers(big):
    # nothing changed a pod since the server started (the tests above only read)
    c, r = big.watch("/api/v1/pods?watch=1&resourceVersion=%s&timeoutSeconds=1" % big.first_rv)
    try:
        evs = read_events(r, limit_s=5)
    finally:
        c.close()
    assert evs == []


def _objects(sim, path):
    items, _, _ = list_all(sim, path, 500)
    return {(p["metadata"].get("namespace"), p["metadata"]["name"]): p for p in items}


def _timeless(v):
    """The object without its timestamps and resourceVersion (they depend on when a server started)."""
    if isinstance(v, dict):
        return {k: _timeless(x) for k, x in v.items()
                if k != "resourceVersion" and not k.endswith(("Time", "At", "Timestamp")) and k != "time"}
    if isinstance(v, list):
        return [_timeless(x) for x in v]
    return v


SMALL = ["--pods", "400", "--namespaces", "3", "--nodes", "7", "--seed", str(SEED)]


@pytest.fixture(scope="module")
def small(make_sim):
    return make_sim(args=SMALL + ["--no-controllers"])


def test_deterministic_per_seed(make_sim, small):
    again = make_sim(args=SMALL + ["--no-controllers"])
    for path in ("/api/v1/pods", "/apis/apps/v1/replicasets", "/apis/apps/v1/deployments", "/apis/batch/v1/jobs"):
        a, b = _objects(small, path), _objects(again, path)
        assert a and a.keys() == b.keys()
        for k in a:
            assert _timeless(a[k]) == _timeless(b[k]), (path, k)
    assert len(_objects(small, "/api/v1/pods")) == 400
    different = make_sim(args=SMALL[:-1] + [str(SEED + 1), "--no-controllers"])
    assert _objects(different, "/api/v1/pods").keys() != _objects(small, "/api/v1/pods").keys()


def test_controllers_leave_synthetic_objects_alone(make_sim, small):
    live = make_sim(args=SMALL)
    _, lst = live.json("GET", "/api/v1/pods?limit=1", expect=200)
    rv = lst["metadata"]["resourceVersion"]
    # with the scheduler, the kubelet and the workload controllers running, the generated pods, ReplicaSets,
    # Deployments and Jobs stay exactly as generated (the same seed without controllers is the reference)
    c, r = live.watch("/api/v1/pods?watch=1&resourceVersion=%s&timeoutSeconds=2" % rv)
    try:
        evs = read_events(r, limit_s=6)
    finally:
        c.close()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in evs] == []
    for path in ("/api/v1/pods", "/apis/apps/v1/replicasets", "/apis/apps/v1/deployments", "/apis/batch/v1/jobs"):
        want, got = _objects(small, path), _objects(live, path)
        assert want.keys() == got.keys(), path
        for k in want:
            assert _timeless(got[k]) == _timeless(want[k]), (path, k)
