"""metrics.k8s.io/v1beta1 against kubectl top 1.32: discovery, PodMetrics/NodeMetrics lists and gets,
selectors, the quantities kubectl prints (CPU MilliValue rounded up, memory Mi rounded down, node
percentages of allocatable), <unknown> for nodes that are not Ready, and the 404s of metrics-server.
"""

import json
import math
import re
import time

import pytest

from conftest import table_rows

BASE = "/apis/metrics.k8s.io/v1beta1"
QTY = re.compile(r"^([0-9]+)(n|u|m|Ki|Mi|Gi|Ti)?$")
SCALE = {None: 1, "n": 1e-9, "u": 1e-6, "m": 1e-3, "Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40}


def qty(text):
    m = QTY.match(text)
    assert m, text
    return int(m.group(1)), m.group(2)


def cpu_nanos(text):
    n, unit = qty(text)
    return n * {None: 10 ** 9, "m": 10 ** 6, "u": 10 ** 3, "n": 1}[unit]


def mem_bytes(text):
    n, unit = qty(text)
    assert unit in (None, "Ki", "Mi", "Gi", "Ti"), text
    return n * SCALE[unit]


def milli_ceil(nanos):
    return -(-nanos // 10 ** 6)


@pytest.fixture(scope="module")
def ms(make_sim):
    return make_sim(objects=["metrics/metrics-cluster.yaml"], args=["--no-controllers"])


def stable(sim, path, fn, tries=4):
    """Run fn() between two identical GETs of path (the same 15 s scrape window); returns (doc, fn())."""
    for _ in range(tries):
        st, a = sim.json("GET", path, expect=200)
        out = fn()
        _, b = sim.json("GET", path, expect=200)
        strip = lambda d: [(i["metadata"].get("namespace"), i["metadata"]["name"], i.get("containers"), i.get("usage"))
                           for i in d["items"]]
        if strip(a) == strip(b):
            return a, out
    raise AssertionError("metrics kept changing")


def test_discovery(ms):
    out = ms.kubectl("api-resources", "--api-group=metrics.k8s.io", "-o", "wide").stdout
    _, rows = table_rows(out)
    got = {(r["NAME"], r["NAMESPACED"], r["KIND"], r["VERBS"]) for r in rows}
    assert got == {("nodes", "false", "NodeMetrics", "get,list"), ("pods", "true", "PodMetrics", "get,list")}
    assert "metrics.k8s.io/v1beta1" in ms.kubectl("api-versions").stdout.split()
    st, doc = ms.json("GET", BASE, expect=200)
    assert doc["groupVersion"] == "metrics.k8s.io/v1beta1"
    assert {r["name"]: r["singularName"] for r in doc["resources"]} == {"nodes": "", "pods": ""}


def test_pod_metrics_objects(ms):
    _, doc = ms.json("GET", BASE + "/namespaces/shop/pods", expect=200)
    assert doc["kind"] == "PodMetricsList" and doc["apiVersion"] == "metrics.k8s.io/v1beta1"
    names = [i["metadata"]["name"] for i in doc["items"]]
    # Running pods with running containers on Ready nodes only, in name order
    assert names == ["besteffort", "db-0", "web-1", "web-2"]
    web1 = [i for i in doc["items"] if i["metadata"]["name"] == "web-1"][0]
    assert web1["kind"] == "PodMetrics" and web1["metadata"]["labels"] == {"app": "web"}
    assert re.match(r"^\d+(\.\d+)?s$", web1["window"]) and web1["timestamp"].endswith("Z")
    assert [c["name"] for c in web1["containers"]] == ["nginx", "exporter"]
    now = time.time()
    ts = time.mktime(time.strptime(web1["timestamp"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert now - 16 <= ts <= now + 1
    for item in doc["items"]:
        for c in item["containers"]:
            assert re.match(r"^\d+(n|u|m)?$", c["usage"]["cpu"]), c
            assert re.match(r"^\d+(Ki|Mi|Gi)$", c["usage"]["memory"]), c
            assert cpu_nanos(c["usage"]["cpu"]) > 0 and mem_bytes(c["usage"]["memory"]) % 4096 == 0
    # usage follows requests and stays under limits
    usage = {(i["metadata"]["name"], c["name"]): c["usage"] for i in doc["items"] for c in i["containers"]}
    assert cpu_nanos(usage[("web-1", "nginx")]["cpu"]) < 10 ** 9
    assert mem_bytes(usage[("web-1", "exporter")]["memory"]) < 32 * 2 ** 20
    assert mem_bytes(usage[("db-0", "postgres")]["memory"]) > 2 * 2 ** 30
    assert cpu_nanos(usage[("db-0", "postgres")]["cpu"]) > cpu_nanos(usage[("besteffort", "shell")]["cpu"])
    # all namespaces, label and field selectors
    _, doc = ms.json("GET", BASE + "/pods", expect=200)
    assert [(i["metadata"]["namespace"], i["metadata"]["name"]) for i in doc["items"]][0] == \
        ("kube-system", "coredns-abc12")
    _, doc = ms.json("GET", BASE + "/namespaces/shop/pods?labelSelector=app%3Dweb", expect=200)
    assert [i["metadata"]["name"] for i in doc["items"]] == ["web-1", "web-2"]
    _, doc = ms.json("GET", BASE + "/pods?fieldSelector=metadata.namespace%3Dkube-system", expect=200)
    assert [i["metadata"]["name"] for i in doc["items"]] == ["coredns-abc12"]
    st, doc = ms.json("GET", BASE + "/pods?fieldSelector=spec.nodeName%3Dx")
    assert st == 400 and doc["reason"] == "BadRequest"


def test_gets_and_not_found(ms):
    _, doc = ms.json("GET", BASE + "/namespaces/shop/pods/web-2", expect=200)
    assert doc["kind"] == "PodMetrics" and doc["metadata"]["namespace"] == "shop"
    cases = [
        (BASE + "/namespaces/shop/pods/pending", 'podmetrics.metrics.k8s.io "shop/pending" not found'),
        (BASE + "/namespaces/shop/pods/crashing", 'podmetrics.metrics.k8s.io "shop/crashing" not found'),
        (BASE + "/namespaces/shop/pods/stranded", 'podmetrics.metrics.k8s.io "shop/stranded" not found'),
        (BASE + "/namespaces/shop/pods/nope", 'pods "nope" not found'),
        (BASE + "/nodes/m-node-down", 'nodemetrics.metrics.k8s.io "m-node-down" not found'),
        (BASE + "/nodes/nope", 'nodes "nope" not found'),
    ]
    for path, msg in cases:
        st, doc = ms.json("GET", path)
        assert st == 404 and doc["reason"] == "NotFound" and doc["message"] == msg, (path, doc)
    st, _ = ms.json("GET", BASE + "/namespaces/shop/pods?watch=true")
    assert st == 405
    st, _ = ms.json("POST", BASE + "/namespaces/shop/pods", {"kind": "PodMetrics"})
    assert st == 405


def test_kubectl_top_pods(ms):
    doc, out = stable(ms, BASE + "/namespaces/shop/pods", lambda: ms.kubectl("top", "pods", "-n", "shop").stdout)
    header, rows = table_rows(out)
    assert header == ["NAME", "CPU(cores)", "MEMORY(bytes)"]
    assert out.splitlines()[0].endswith("   ")       # kubectl pads every column, the last one too
    want = {}
    for i in doc["items"]:
        cpu = sum(cpu_nanos(c["usage"]["cpu"]) for c in i["containers"])
        mem = sum(mem_bytes(c["usage"]["memory"]) for c in i["containers"])
        want[i["metadata"]["name"]] = ("%dm" % milli_ceil(cpu), "%dMi" % (mem // 2 ** 20))
    assert {r["NAME"]: (r["CPU(cores)"], r["MEMORY(bytes)"]) for r in rows} == want
    doc, out = stable(ms, BASE + "/namespaces/shop/pods?labelSelector=app%3Dweb",
                      lambda: ms.kubectl("top", "pods", "-n", "shop", "-l", "app=web", "--containers").stdout)
    header, rows = table_rows(out)
    assert header == ["POD", "NAME", "CPU(cores)", "MEMORY(bytes)"]
    want = {(i["metadata"]["name"], c["name"]): ("%dm" % milli_ceil(cpu_nanos(c["usage"]["cpu"])),
                                                 "%dMi" % (mem_bytes(c["usage"]["memory"]) // 2 ** 20))
            for i in doc["items"] for c in i["containers"]}
    assert {(r["POD"], r["NAME"]): (r["CPU(cores)"], r["MEMORY(bytes)"]) for r in rows} == want
    header, rows = table_rows(ms.kubectl("top", "pods", "-A").stdout)
    assert header[0] == "NAMESPACE" and ("kube-system", "coredns-abc12") in [(r["NAMESPACE"], r["NAME"]) for r in rows]


def test_kubectl_top_pods_without_metrics(ms):
    res = ms.kubectl("top", "pods", "-n", "empty-ns")
    assert res.stdout == "" and "No resources found in empty-ns namespace." in res.stderr
    res = ms.kubectl("top", "pods", "-n", "only-pending", check=False)
    assert res.returncode == 1 and "Metrics not available for pod only-pending/waiting, age: " in res.stderr
    res = ms.kubectl("top", "pod", "pending", "-n", "shop", check=False)
    assert res.returncode == 1
    assert res.stderr.strip() == 'Error from server (NotFound): podmetrics.metrics.k8s.io "shop/pending" not found'


def test_kubectl_top_nodes(ms):
    _, nodes = ms.json("GET", "/api/v1/nodes", expect=200)
    alloc = {n["metadata"]["name"]: n["status"]["allocatable"] for n in nodes["items"]}
    doc, out = stable(ms, BASE + "/nodes", lambda: ms.kubectl("top", "nodes").stdout)
    header, rows = table_rows(out)
    assert header == ["NAME", "CPU(cores)", "CPU(%)", "MEMORY(bytes)", "MEMORY(%)"]
    rows = {r["NAME"]: r for r in rows}
    assert [i["metadata"]["name"] for i in doc["items"]] == ["m-node-1", "m-node-2"]
    assert rows["m-node-down"] == {"NAME": "m-node-down", "CPU(cores)": "<unknown>", "CPU(%)": "<unknown>",
                                   "MEMORY(bytes)": "<unknown>", "MEMORY(%)": "<unknown>"}
    alloc_cpu = {"m-node-1": 3800, "m-node-2": 8000}
    alloc_mem = {"m-node-1": 15 * 2 ** 30, "m-node-2": 62 * 2 ** 30}
    for item in doc["items"]:
        name = item["metadata"]["name"]
        assert alloc[name]["cpu"] in ("3800m", "8")
        cpu_m = milli_ceil(cpu_nanos(item["usage"]["cpu"]))
        mem = mem_bytes(item["usage"]["memory"])
        assert rows[name]["CPU(cores)"] == "%dm" % cpu_m
        assert rows[name]["CPU(%)"] == "%d%%" % int(cpu_m / alloc_cpu[name] * 100)
        assert rows[name]["MEMORY(bytes)"] == "%dMi" % (mem // 2 ** 20)
        assert rows[name]["MEMORY(%)"] == "%d%%" % int(mem / alloc_mem[name] * 100)
    # a node's usage includes its pods' (system overhead on top)
    _, pods = ms.json("GET", BASE + "/pods", expect=200)
    _, corepods = ms.json("GET", "/api/v1/pods", expect=200)
    where = {(p["metadata"]["namespace"], p["metadata"]["name"]): p["spec"].get("nodeName") for p in corepods["items"]}
    for item in doc["items"]:
        name = item["metadata"]["name"]
        pod_cpu = sum(cpu_nanos(c["usage"]["cpu"]) for p in pods["items"] for c in p["containers"]
                      if where[(p["metadata"]["namespace"], p["metadata"]["name"])] == name)
        assert cpu_nanos(item["usage"]["cpu"]) > pod_cpu
    res = ms.kubectl("top", "node", "m-node-down", check=False)
    assert res.returncode == 1 and 'nodemetrics.metrics.k8s.io "m-node-down" not found' in res.stderr
    _, rows = table_rows(ms.kubectl("top", "nodes", "-l", "pool=highmem").stdout)
    assert [r["NAME"] for r in rows] == ["m-node-2"]


def test_metrics_tables(ms):
    out = ms.kubectl("get", "pods.metrics.k8s.io", "-n", "shop").stdout
    header, rows = table_rows(out)
    assert header == ["NAME", "CPU", "MEMORY", "WINDOW"]
    assert [r["NAME"] for r in rows] == ["besteffort", "db-0", "web-1", "web-2"]
    assert all(re.match(r"^\d+(n|u|m)?$", r["CPU"]) and re.match(r"^\d+(Ki|Mi|Gi)$", r["MEMORY"]) for r in rows)
    header, rows = table_rows(ms.kubectl("get", "nodes.metrics.k8s.io").stdout)
    assert header == ["NAME", "CPU", "MEMORY", "WINDOW"] and [r["NAME"] for r in rows] == ["m-node-1", "m-node-2"]


def test_usage_varies_over_time_and_is_deterministic():
    from sim import handlers_metrics as hm
    c = {"name": "app", "resources": {"requests": {"cpu": "500m", "memory": "256Mi"},
                                      "limits": {"cpu": "1", "memory": "300Mi"}}}
    series = [hm.container_usage("uid-1", c, w) for w in range(40)]
    assert series == [hm.container_usage("uid-1", c, w) for w in range(40)]
    cpus = [s[0] for s in series]
    mems = [s[1] for s in series]
    assert len(set(cpus)) > 30 and max(cpus) < 0.98e9 + 1000 and min(cpus) > 0
    assert max(mems) <= 300 * 2 ** 20 and all(m % 4096 == 0 for m in mems)
    assert hm.container_usage("uid-2", c, 3) != series[3]
    assert hm.cpu_string(1234567) == "1234567n" and hm.cpu_string(2000000) == "2m" and hm.cpu_string(3 * 10 ** 9) == "3"
    assert hm.memory_string(3044 * 1024) == "3044Ki" and hm.memory_string(12 * 2 ** 20) == "12Mi"
    assert hm.memory_string(1000) == "1000"
    assert math.isclose(hm.quantity("1.5Gi"), 1.5 * 2 ** 30) and hm.quantity("100m") == 0.1
