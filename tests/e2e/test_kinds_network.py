"""`timon get` for services, ingresses and networkpolicies agrees with `kubectl get` on every
column both show (normal and wide, one namespace and all), against one kubesim loaded with
fixtures/kinds-network.yaml (statuses as given: --no-controllers)."""
import os

import pytest

from conftest import FIXTURES
from harness import run_timon
from kinds_diff import check_aliases, check_all_namespaces, check_namespace, parse_columns, serve

FIXTURE = os.path.join(FIXTURES, "kinds-network.yaml")

NP_WIDE = ["NAME", "POD-SELECTOR", "ING-SELECTOR", "ING-PORTS", "ING-BLOCK", "EGR-SELECTOR",
           "EGR-PORTS", "EGR-BLOCK", "LABELS", "AGE"]

# kind: (timon's columns, timon's wide columns, shared with kubectl, shared with kubectl -o wide)
KINDS = {
    "services": (
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "SELECTOR", "PORT(S)", "LABELS", "AGE"],
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"],
        ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "SELECTOR", "PORT(S)", "AGE"],
    ),
    "ingresses": (
        ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
        ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
    ),
    "networkpolicies": (
        ["NAME", "POD-SELECTOR", "AGE"],
        NP_WIDE,
        ["NAME", "POD-SELECTOR", "AGE"],
        ["NAME", "POD-SELECTOR", "AGE"],
    ),
}

# Cells the fixture exists for: each rule of kubectl's printers is really exercised.
SPOT = {
    ("services", "lb-pending"): {"EXTERNAL-IP": "<pending>", "PORT(S)": "80:31000/TCP"},
    ("services", "lb-ready"): {"EXTERNAL-IP": "192.0.2.10,192.0.2.20,lb.example.com,198.51.100.1"},
    ("services", "with-external"): {"EXTERNAL-IP": "203.0.113.7,203.0.113.8",
                                    "PORT(S)": "443/TCP"},
    ("services", "external-name"): {"CLUSTER-IP": "<none>", "EXTERNAL-IP": "db.example.com",
                                    "PORT(S)": "<none>", "SELECTOR": "<none>"},
    ("services", "headless"): {"CLUSTER-IP": "None"},
    ("services", "nodeport"): {"PORT(S)": "80:30080/TCP,443:30443/TCP"},
    ("services", "web"): {"PORT(S)": "80/TCP,53/UDP", "SELECTOR": "app=web,tier=front"},
    ("ingresses", "many-hosts"): {
        "HOSTS": "a.example.com,b.example.com,c.example.com + 3 more...", "ADDRESS": ""},
    ("ingresses", "catch-all"): {"CLASS": "<none>", "HOSTS": "*", "PORTS": "80"},
    ("ingresses", "shop"): {"PORTS": "80, 443", "ADDRESS": "192.0.2.30,ingress.example.com"},
    ("networkpolicies", "deny-all"): {"POD-SELECTOR": "<none>"},
    ("networkpolicies", "web-from-front"): {"POD-SELECTOR": "app=web,tier in (edge,front)"},
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURE)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("wide", [False, True], ids=["table", "wide"])
def test_namespace(sim, kind, wide):
    check_namespace(sim, KINDS, SPOT, kind, "net", wide)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_all_namespaces(sim, kind):
    rows = check_all_namespaces(sim, KINDS, kind)
    assert "net" in {ns for ns, _ in rows}


def test_networkpolicy_rules_wide(sim):
    """k9s's wide rule summaries (kubectl has no such columns): peers, ports and IP blocks."""
    r = run_timon("get", "netpol", "-n", "net", "-o", "wide", "--kubeconfig", sim.kubeconfig)
    assert r.returncode == 0, r.stderr
    header, rows = parse_columns(r.stdout)
    assert header == NP_WIDE
    web = {row["NAME"]: row for row in rows}["web-from-front"]
    assert web["ING-SELECTOR"] == "ns:team=shop po:role=front; po:*"
    assert web["ING-PORTS"] == "TCP:80,TCP:8000-8080"
    assert web["ING-BLOCK"] == "10.0.0.0/8[10.1.0.0/16,10.2.0.0/16...]"
    assert web["EGR-PORTS"] == "UDP:53,TCP:dns-tcp"
    assert web["EGR-BLOCK"] == "0.0.0.0/0"
    assert web["LABELS"] == "team=web"


def test_aliases(sim):
    check_aliases(sim, "net", [("svc", "services"), ("ing", "ingresses"),
                               ("netpol", "networkpolicies"), ("np", "networkpolicies")])
