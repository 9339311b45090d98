"""kubectl get pods/nodes/namespaces against fixture objects: server-side Tables, the pod STATUS / READY /
RESTARTS algorithm, HumanDuration ages, -A, -o wide, chunking and selectors."""

import json

import pytest

from conftest import table_rows


def ticking(fmt, start, n=40):
    """Values that tick with the clock: the fixture time plus 0..n-1 seconds of test module run time."""
    return tuple(fmt % (start + i) for i in range(n))


# name -> (READY, STATUS, RESTARTS, AGE or None when the age is not fixed by the fixture);
# a tuple lists the acceptable values of a cell that ticks each second
EXPECTED = {
    "running": ("1/1", "Running", "0", "5d3h"),
    "creating": ("0/1", "ContainerCreating", "0", ticking("%ds", 45)),
    "pending": ("0/1", "Pending", "0", ticking("3m%ds", 20)),
    "crashloop": ("0/1", "CrashLoopBackOff", "7 (125m ago)", "400d"),
    "errimagepull": ("0/1", "ErrImagePull", "0", "2y10d"),
    "completed": ("0/1", "Completed", "0", "47h"),
    "failed": ("0/1", "Error", "0", "179m"),
    "oomkilled": ("0/1", "OOMKilled", "3", "3h20m"),
    "exitcode": ("0/1", "ExitCode:3", "0", None),
    "signal": ("0/1", "Signal:15", "0", None),
    "half-ready": ("1/2", "Running", ticking("3 (%ds ago)", 90), None),
    "notready": ("1/2", "NotReady", "0", None),
    "completed-but-ready": ("1/2", "Running", "0", None),
    "restarts-no-date": ("1/1", "Running", "4", None),
    "init-progress": ("0/1", "Init:1/2", "0", None),
    "init-pending": ("0/1", "Init:0/1", "0", None),
    "init-backoff": ("0/1", "Init:CrashLoopBackOff", ticking("5 (%ds ago)", 45), None),
    "init-error": ("0/1", "Init:Error", "0", None),
    "init-exitcode": ("0/1", "Init:ExitCode:2", "0", None),
    "init-signal": ("0/1", "Init:Signal:9", "0", None),
    "sidecar": ("2/2", "Running", ticking("3 (5m%ds ago)", 10), None),
    "sidecar-starting": ("0/2", "Init:0/1", "0", None),
    "terminating": ("1/1", "Terminating", "0", None),
    "nodelost": ("1/1", "Unknown", "0", None),
    "gated": ("0/1", "SchedulingGated", "0", None),
    "evicted": ("0/1", "Evicted", "0", None),
    "gates": ("1/1", "Running", "0", None),
}


@pytest.fixture(scope="module")
def fx(make_sim):
    return make_sim(objects=["pods-status.yaml", "nodes.yaml"], args=["--no-controllers"])


def test_get_pods_columns_and_cells(fx):
    out = fx.kubectl("get", "pods", "-n", "cases").stdout
    header, rows = table_rows(out)
    assert header == ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
    got = {r["NAME"]: r for r in rows}
    assert sorted(got) == sorted(EXPECTED), "rows are sorted by name and complete"
    assert [r["NAME"] for r in rows] == sorted(got)
    for name, (ready, status, restarts, age) in EXPECTED.items():
        r = got[name]
        assert (r["READY"], r["STATUS"]) == (ready, status), name
        assert r["RESTARTS"] in (restarts if isinstance(restarts, tuple) else (restarts,)), name
        if age is not None:
            assert r["AGE"] in (age if isinstance(age, tuple) else (age,)), name


def test_get_pods_wide(fx):
    out = fx.kubectl("get", "pods", "-n", "cases", "-o", "wide").stdout
    header, rows = table_rows(out)
    assert header == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE",
                      "READINESS GATES"]
    got = {r["NAME"]: r for r in rows}
    assert (got["running"]["IP"], got["running"]["NODE"]) == ("10.244.1.5", "node-a")
    assert (got["pending"]["IP"], got["pending"]["NODE"]) == ("<none>", "<none>")
    assert got["gates"]["READINESS GATES"] == "1/2"
    assert got["gates"]["NOMINATED NODE"] == "node-b"
    assert got["gates"]["IP"] == "10.244.1.9"
    assert got["running"]["READINESS GATES"] == "<none>"


def test_get_pods_all_namespaces(fx):
    out = fx.kubectl("get", "pods", "-A").stdout
    header, rows = table_rows(out)
    assert header[:2] == ["NAMESPACE", "NAME"]
    pairs = [(r["NAMESPACE"], r["NAME"]) for r in rows]
    assert ("elsewhere", "other") in pairs and ("cases", "running") in pairs
    assert pairs == sorted(pairs), "etcd order: namespace, then name"


def test_empty_namespace(fx):
    res = fx.kubectl("get", "pods", "-n", "nothing-here")
    assert res.stdout == ""
    assert "No resources found in nothing-here namespace." in res.stderr


def test_chunked_list_returns_everything(fx):
    full = table_rows(fx.kubectl("get", "pods", "-n", "cases").stdout)[1]
    chunked = table_rows(fx.kubectl("get", "pods", "-n", "cases", "--chunk-size=2").stdout)[1]
    assert [r["NAME"] for r in chunked] == [r["NAME"] for r in full]
    logged = [r for r in fx.requests_logged() if r["path"] == "/api/v1/namespaces/cases/pods"
              and "limit=2" in r["query"]]
    assert len(logged) >= len(full) // 2, "kubectl followed continue tokens page by page"


def test_raw_pagination_metadata(fx):
    _, page = fx.json("GET", "/api/v1/namespaces/cases/pods?limit=5", expect=200)
    md = page["metadata"]
    assert len(page["items"]) == 5 and md["continue"] and md["remainingItemCount"] == len(EXPECTED) - 5
    names = [i["metadata"]["name"] for i in page["items"]]
    seen = list(names)
    while md.get("continue"):
        _, page = fx.json("GET", "/api/v1/namespaces/cases/pods?limit=5&continue=" + md["continue"], expect=200)
        md = page["metadata"]
        seen += [i["metadata"]["name"] for i in page["items"]]
    assert seen == sorted(EXPECTED)
    # a token that does not decode is a 400; one whose snapshot is unknown is 410 Expired
    st, body = fx.json("GET", "/api/v1/namespaces/cases/pods?limit=5&continue=garbage")
    assert st == 400 and body["reason"] == "BadRequest"
    import base64
    bogus = base64.b64encode(b'{"v":"meta.k8s.io/v1","rv":1,"start":"x","snap":999999,"off":1}').decode()
    st, body = fx.json("GET", "/api/v1/namespaces/cases/pods?limit=5&continue=" + bogus)
    assert st == 410 and body["reason"] == "Expired"
    assert body["message"].startswith("The provided continue parameter is too old")


@pytest.mark.parametrize("selector,names", [
    ("app=web", {"running", "creating", "crashloop"}),
    ("app==web,tier=front", {"running", "crashloop"}),
    ("app=web,tier!=front", {"creating"}),
    ("tier in (front,back)", {"running", "creating", "crashloop"}),
    ("app in (web),track notin (canary)", {"running", "creating"}),
    ("track", {"running", "crashloop"}),
    ("app,!track", {"creating", "pending"}),
])
def test_label_selectors(fx, selector, names):
    rows = table_rows(fx.kubectl("get", "pods", "-n", "cases", "-l", selector).stdout)[1]
    assert {r["NAME"] for r in rows} == names


def test_bad_label_selector(fx):
    res = fx.kubectl("get", "pods", "-n", "cases", "-l", "app in web", check=False)
    assert res.returncode == 1
    assert "Error from server (BadRequest)" in res.stderr
    assert "unable to parse requirement: found 'web' expected: '('" in res.stderr
    st, body = fx.json("GET", "/api/v1/pods?labelSelector=a%3Db%2C")
    assert st == 400 and body["message"] == "found '', expected: identifier after ','"


def test_field_selectors(fx):
    rows = table_rows(fx.kubectl("get", "pods", "-A", "--field-selector", "spec.nodeName=node-b").stdout)[1]
    assert {r["NAME"] for r in rows} == {"crashloop", "other"}
    rows = table_rows(fx.kubectl("get", "pods", "-n", "cases", "--field-selector",
                                 "status.phase!=Running,status.phase!=Pending").stdout)[1]
    assert {r["NAME"] for r in rows} == {"completed", "failed", "exitcode", "signal", "evicted"}
    rows = table_rows(fx.kubectl("get", "pods", "-A", "--field-selector",
                                 "metadata.namespace=elsewhere").stdout)[1]
    assert [r["NAME"] for r in rows] == ["other"]
    rows = table_rows(fx.kubectl("get", "pods", "-A", "--field-selector", "metadata.name==gated").stdout)[1]
    assert [r["NAME"] for r in rows] == ["gated"]


def test_unknown_field_selector(fx):
    res = fx.kubectl("get", "pods", "-n", "cases", "--field-selector", "spec.bogus=1", check=False)
    assert res.returncode == 1
    assert "field label not supported: spec.bogus" in res.stderr
    st, body = fx.json("GET", "/api/v1/configmaps?fieldSelector=data.x%3D1")
    assert st == 400
    assert body["message"] == '"data.x" is not a known field selector: only "metadata.name", "metadata.namespace"'


def test_get_namespaces(fx):
    header, rows = table_rows(fx.kubectl("get", "ns").stdout)
    assert header == ["NAME", "STATUS", "AGE"]
    names = [r["NAME"] for r in rows]
    for ns in ("default", "kube-system", "kube-public", "kube-node-lease", "cases", "elsewhere"):
        assert ns in names
    assert all(r["STATUS"] == "Active" for r in rows)
    assert names == sorted(names)


def test_get_nodes(fx):
    header, rows = table_rows(fx.kubectl("get", "nodes").stdout)
    assert header == ["NAME", "STATUS", "ROLES", "AGE", "VERSION"]
    got = {r["NAME"]: r for r in rows}
    assert set(got) == {"node-a", "node-b", "node-c", "node-d"}, "fixtures define nodes: no default node"
    assert [got["node-a"][k] for k in ("STATUS", "ROLES", "AGE", "VERSION")] == \
        ["Ready", "control-plane,etcd", "10d", "v1.32.4"]
    assert [got["node-b"][k] for k in ("STATUS", "ROLES", "AGE", "VERSION")] == \
        ["Ready,SchedulingDisabled", "worker", got["node-b"]["AGE"], "v1.31.2"]
    assert got["node-b"]["AGE"] in ticking("%ds", 90)
    assert got["node-c"]["STATUS"] == "NotReady" and got["node-c"]["ROLES"] == "<none>"
    assert got["node-d"]["STATUS"] == "Unknown,SchedulingDisabled"
    header, rows = table_rows(fx.kubectl("get", "nodes", "-o", "wide").stdout)
    assert header == ["NAME", "STATUS", "ROLES", "AGE", "VERSION", "INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE",
                      "KERNEL-VERSION", "CONTAINER-RUNTIME"]
    got = {r["NAME"]: r for r in rows}
    assert [got["node-a"][k] for k in header[5:]] == ["192.168.1.10", "203.0.113.10", "Ubuntu 24.04 LTS",
                                                     "6.8.0-45-generic", "containerd://1.7.22"]
    assert [got["node-b"][k] for k in header[5:]] == ["192.168.1.11", "<none>", "<unknown>", "<unknown>",
                                                     "<unknown>"]


TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io," \
        "application/json"


def test_table_include_object_modes(fx):
    st, hdrs, data = fx.request("GET", "/api/v1/namespaces/cases/pods?limit=3", headers={"Accept": TABLE})
    assert st == 200 and hdrs["content-type"].startswith("application/json;as=Table;v=v1;g=meta.k8s.io")
    t = json.loads(data)
    assert t["kind"] == "Table" and t["apiVersion"] == "meta.k8s.io/v1"
    assert [c["name"] for c in t["columnDefinitions"]] == ["Name", "Ready", "Status", "Restarts", "Age", "IP",
                                                           "Node", "Nominated Node", "Readiness Gates"]
    assert [c["priority"] for c in t["columnDefinitions"]] == [0, 0, 0, 0, 0, 1, 1, 1, 1]
    assert t["columnDefinitions"][0]["format"] == "name"
    assert t["metadata"]["continue"] and t["metadata"]["resourceVersion"]
    row = t["rows"][0]
    assert row["object"]["kind"] == "PartialObjectMetadata"
    assert row["object"]["apiVersion"] == "meta.k8s.io/v1"
    assert "spec" not in row["object"] and row["object"]["metadata"]["name"] == row["cells"][0]
    _, _, data = fx.request("GET", "/api/v1/namespaces/cases/pods/running?includeObject=Object",
                            headers={"Accept": TABLE})
    t = json.loads(data)
    assert t["rows"][0]["object"]["kind"] == "Pod" and t["rows"][0]["object"]["spec"]["nodeName"] == "node-a"
    _, _, data = fx.request("GET", "/api/v1/namespaces/cases/pods/running?includeObject=None",
                            headers={"Accept": TABLE})
    assert "object" not in json.loads(data)["rows"][0]
    st, body = fx.json("GET", "/api/v1/namespaces/cases/pods?includeObject=Everything", headers={"Accept": TABLE})
    assert st == 400 and body["message"] == 'unrecognized includeObject value: "Everything"'


def test_table_conditions_for_finished_pods(fx):
    _, _, data = fx.request("GET", "/api/v1/namespaces/cases/pods/completed", headers={"Accept": TABLE})
    row = json.loads(data)["rows"][0]
    assert row["conditions"] == [{"type": "Completed", "status": "True", "reason": "Succeeded",
                                  "message": "The pod has completed successfully."}]
    _, _, data = fx.request("GET", "/api/v1/namespaces/cases/pods/evicted", headers={"Accept": TABLE})
    assert json.loads(data)["rows"][0]["conditions"][0]["reason"] == "Failed"
    _, _, data = fx.request("GET", "/api/v1/namespaces/cases/pods/running", headers={"Accept": TABLE})
    assert "conditions" not in json.loads(data)["rows"][0]


def test_default_table_for_kinds_without_printer(fx):
    # limit ranges have no printer on a real apiserver (configmaps do: sim/printers_config.py)
    _, _, data = fx.request("GET", "/api/v1/namespaces/cases/limitranges", headers={"Accept": TABLE})
    t = json.loads(data)
    assert [(c["name"], c["type"]) for c in t["columnDefinitions"]] == [("Name", "string"), ("Created At", "date")]


def test_show_labels_and_sort_by(fx):
    rows = table_rows(fx.kubectl("get", "pods", "-n", "cases", "--show-labels", "-l", "track").stdout)[1]
    assert {r["NAME"]: r["LABELS"] for r in rows}["running"] == "app=web,tier=front,track=stable"
    out = fx.kubectl("get", "pods", "-n", "cases", "--sort-by=.metadata.name", "-l", "app=web").stdout
    assert [r["NAME"] for r in table_rows(out)[1]] == ["crashloop", "creating", "running"]
    assert any("includeObject=Object" in r["query"] for r in fx.requests_logged())


def test_get_single_pod_and_output_formats(fx):
    rows = table_rows(fx.kubectl("get", "pod", "crashloop", "-n", "cases").stdout)[1]
    assert rows[0]["RESTARTS"] == "7 (125m ago)"
    obj = json.loads(fx.kubectl("get", "pod", "running", "-n", "cases", "-o", "json").stdout)
    assert obj["kind"] == "Pod" and obj["metadata"]["uid"] and obj["metadata"]["resourceVersion"]
    assert fx.kubectl("get", "pods", "-n", "cases", "-o", "name", "-l", "app=web").stdout.split() == \
        ["pod/crashloop", "pod/creating", "pod/running"]


def test_kubectl_127_with_v2beta1_discovery(fx):
    """kubectl 1.27 asks only for aggregated discovery v2beta1: it must still find pods."""
    import os
    binary = "/usr/lib/google-cloud-sdk/bin/kubectl.1.27"
    if not os.path.exists(binary):
        pytest.skip("no kubectl 1.27 on this machine")
    res = fx.kubectl("get", "po", "-n", "cases", "-l", "app=web", binary=binary)
    assert [r["NAME"] for r in table_rows(res.stdout)[1]] == ["crashloop", "creating", "running"]
