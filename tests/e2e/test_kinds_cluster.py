"""Cluster kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object (nodes, namespaces, core/v1 events, CRDs)."""
import calendar
import os
import re
import time

import pytest

from harness import run_timon
from conftest import FIXTURES

FIXTURE = os.path.join(FIXTURES, "kinds-cluster.yaml")


def columns(text):
    """Rows keyed by header name. Cells are cut at the header's column offsets (the tabwriter
    starts every cell of a column where its header starts), so empty cells parse too."""
    lines = [l for l in text.splitlines() if l.strip()]
    spans = [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", lines[0])]
    rows = []
    for line in lines[1:]:
        row = {}
        for i, (start, name) in enumerate(spans):
            end = spans[i + 1][0] if i + 1 < len(spans) else None
            row[name] = line[start:end].strip()
        rows.append(row)
    return [name for _, name in spans], rows


def by_name(row):
    return (row.get("NAMESPACE", ""), row["NAME"])


def compare(sim, args, header, shared, key=by_name):
    """timon's header is `header`; every item of `shared` holds the same text in both, row by
    row: a column name both print, a pair (timon's name, kubectl's name), or a pair (timon's
    name, function of kubectl's row). An age may tick between the two commands: retry then."""
    for _ in range(3):
        k = sim.kubectl("get", *args)
        t = run_timon("get", *args, "--kubeconfig", sim.kubeconfig)
        assert t.returncode == 0, t.stderr
        kh, krows = columns(k.stdout)
        th, trows = columns(t.stdout)
        assert th == header
        pairs = [(c, c) if isinstance(c, str) else c for c in shared]
        for tc, kc in pairs:
            assert tc in th and (callable(kc) or kc in kh), (tc, kc, kh)
        kb, tb = {key(r): r for r in krows}, {key(r): r for r in trows}
        assert len(kb) == len(krows) and sorted(kb) == sorted(tb)

        def want(row, kc):
            return kc(row) if callable(kc) else row[kc]
        diffs = [(k_, tc, want(kb[k_], kc), tb[k_][tc]) for k_ in kb for tc, kc in pairs
                 if want(kb[k_], kc) != tb[k_][tc]]
        if not diffs:
            return tb
    assert diffs == []


def human_duration(secs):
    """apimachinery's HumanDuration (k8s-api.md §11.3)."""
    if secs < -1:
        return "<invalid>"
    if secs < 0:
        return "0s"
    if secs < 120:
        return "%ds" % secs
    m, h = secs // 60, secs // 3600
    if m < 10:
        return "%dm" % m if secs % 60 == 0 else "%dm%ds" % (m, secs % 60)
    if m < 180:
        return "%dm" % m
    if h < 8:
        return "%dh" % h if m % 60 == 0 else "%dh%dm" % (h, m % 60)
    if h < 48:
        return "%dh" % h
    if h < 24 * 8:
        return "%dd" % (h // 24) if h % 24 == 0 else "%dd%dh" % (h // 24, h % 24)
    if h < 24 * 365 * 2:
        return "%dd" % (h // 24)
    if h < 24 * 365 * 8:
        dy = (h // 24) % 365
        return "%dy" % (h // 24 // 365) if dy == 0 else "%dy%dd" % (h // 24 // 365, dy)
    return "%dy" % (h // 24 // 365)


def age_of_created_at(row):
    """The AGE of kubectl's CREATED AT cell, now."""
    t = calendar.timegm(time.strptime(row["CREATED AT"], "%Y-%m-%dT%H:%M:%SZ"))
    return human_duration(int(time.time()) - t)


@pytest.fixture
def sim(kubesim):
    return kubesim("--no-controllers", "--objects", FIXTURE)


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
    _, trows = columns(t.stdout)
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
