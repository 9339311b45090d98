"""Cluster kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object (nodes, namespaces, core/v1 events, CRDs)."""
import os

import pytest

from conftest import FIXTURES
from harness import run_timon
from kinds_diff import age_of_created_at, compare, parse_columns, serve

FIXTURE = os.path.join(FIXTURES, "kinds-cluster.yaml")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURE)


def test_nodes(sim):
    shared = ["NAME", "STATUS", ("ROLE", "ROLES"), "VERSION", "AGE"]
    rows = compare(sim, ["no"], ["NAME", "STATUS", "ROLE", "TAINTS", "VERSION", "AGE"], shared)
    assert rows[("", "node-1")]["STATUS"] == "Ready"
    assert rows[("", "node-1")]["ROLE"] == "control-plane,master"
    assert rows[("", "node-2")]["STATUS"] == "NotReady,SchedulingDisabled"
    assert rows[("", "node-10")]["STATUS"] == "Unknown,SchedulingDisabled"
    assert rows[("", "node-10")]["ROLE"] == "gpu,worker"
    # TAINTS is k9s's count; kubectl has no such column.
    assert {n: r["TAINTS"] for (_, n), r in rows.items()} == \
        {"node-1": "2", "node-2": "0", "node-10": "1"}
    wide = ["NAME", "STATUS", "ROLE", "ARCH", "TAINTS", "VERSION", "OS-IMAGE", "KERNEL",
            "INTERNAL-IP", "EXTERNAL-IP", "LABELS", "AGE"]
    rows = compare(sim, ["nodes", "-A", "-o", "wide"], wide,
                   shared + ["OS-IMAGE", ("KERNEL", "KERNEL-VERSION"), "INTERNAL-IP",
                             "EXTERNAL-IP"])
    assert rows[("", "node-1")]["INTERNAL-IP"] == "10.0.0.1"
    assert rows[("", "node-2")]["OS-IMAGE"] == "<unknown>"
    assert rows[("", "node-10")]["INTERNAL-IP"] == "<none>"
    assert rows[("", "node-2")]["ARCH"] == "arm64"


def test_namespaces(sim):
    rows = compare(sim, ["ns"], ["NAME", "STATUS", "AGE"], ["NAME", "STATUS", "AGE"])
    assert rows[("", "leaving")]["STATUS"] == "Terminating"
    assert rows[("", "shop")]["STATUS"] == "Active"
    rows = compare(sim, ["namespaces", "-o", "wide"], ["NAME", "STATUS", "LABELS", "AGE"],
                   ["NAME", "STATUS", "AGE"])
    assert rows[("", "shop")]["LABELS"] == "kubernetes.io/metadata.name=shop,team=web"


EVENT_WIDE = ["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE",
              "MESSAGE", "FIRST SEEN", "COUNT", "NAME"]


def test_events_wide_all_namespaces(sim):
    rows = compare(sim, ["ev", "-A", "-o", "wide"], EVENT_WIDE, EVENT_WIDE)
    assert rows[("shop", "web-1.backoff")]["MESSAGE"] == \
        "Back-off restarting failed container app in pod web-1"
    assert rows[("shop", "web-1.scheduled")]["MESSAGE"] == \
        "Successfully assigned shop/web-1 to node-1..."
    assert rows[("shop", "web-1.scheduled")]["COUNT"] == "1"
    assert rows[("shop", "db-0.unhealthy")]["COUNT"] == "12"
    assert rows[("default", "cluster.nokind")]["OBJECT"] == "namespace"
    assert rows[("default", "cluster.nokind")]["SOURCE"] == ", node-9"


def test_events_in_namespace(sim):
    """Without -o wide there is no NAME: rows are matched by object and reason."""
    header = ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
    rows = compare(sim, ["events", "-n", "shop"], header, header,
                   key=lambda r: (r["OBJECT"], r["REASON"]))
    assert sorted(rows) == [("pod/db-0", "Unhealthy"), ("pod/web-1", "BackOff"),
                            ("pod/web-1", "Scheduled")]
    # timon starts events sorted by LAST SEEN, newest first.
    t = run_timon("get", "events", "-n", "shop", "--kubeconfig", sim.kubeconfig)
    _, trows = parse_columns(t.stdout)
    assert [r["REASON"] for r in trows] == ["Unhealthy", "BackOff", "Scheduled"]


def test_crds(sim):
    """kubectl prints NAME and CREATED AT (the default table); timon's AGE must be the age of
    the same instant."""
    shared = ["NAME", "CREATED AT", ("AGE", age_of_created_at)]
    rows = compare(sim, ["crd"], ["NAME", "GROUP", "KIND", "VERSIONS", "SCOPE", "CREATED AT",
                                  "AGE"], shared)
    assert rows[("", "widgets.example.com")]["VERSIONS"] == "v1,v1beta1!"
    assert rows[("", "gadgets.example.org")]["SCOPE"] == "Cluster"
    rows = compare(sim, ["customresourcedefinitions.apiextensions.k8s.io", "-o", "wide"],
                   ["NAME", "GROUP", "KIND", "VERSIONS", "SCOPE", "ALIASES", "LABELS",
                    "CREATED AT", "AGE"], shared)
    assert rows[("", "widgets.example.com")]["ALIASES"] == "wd,wdg"
    assert rows[("", "gadgets.example.org")]["ALIASES"] == "n/a"
