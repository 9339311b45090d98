"""Policy kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object (resource quotas, limit ranges, HPAs, PDBs).

A real apiserver has no printer for limit ranges: kubectl prints NAME and CREATED AT, which timon
shows too, with an AGE checked against the age of that instant."""
import calendar
import os
import re
import time

import pytest

from harness import run_timon
from conftest import FIXTURES

FIXTURE = os.path.join(FIXTURES, "kinds-policy.yaml")


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


def compare(sim, args, header, shared, key=by_name, alias=None):
    """timon's header is `header`; every item of `shared` holds the same text in both, row by
    row: a column name both print, a pair (timon's name, kubectl's name), or a pair (timon's
    name, function of kubectl's row). `alias` names the kind for timon only (k9s's aliases are
    unknown to kubectl). An age may tick between the two commands: retry then."""
    targs = [alias or args[0]] + list(args[1:])
    for _ in range(3):
        k = sim.kubectl("get", *args)
        t = run_timon("get", *targs, "--kubeconfig", sim.kubeconfig)
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


def test_quotas(sim):
    header = ["NAMESPACE", "NAME", "REQUEST", "LIMIT", "AGE"]
    rows = compare(sim, ["resourcequotas", "-A"], header, header, alias="quota")
    assert rows[("pol", "compute")]["LIMIT"] == "limits.cpu: 1/2, limits.memory: 1Gi/2Gi"
    assert rows[("pol", "objects")]["REQUEST"] == \
        "configmaps: 2/10, count/deployments.apps: 5/5, services.loadbalancers: 0/0"
    assert rows[("pol", "objects")]["LIMIT"] == ""
    compare(sim, ["resourcequotas", "-n", "pol2", "-o", "wide"], header[1:], header[1:])


def test_limitranges(sim):
    shared = ["NAMESPACE", "NAME", "CREATED AT", ("AGE", age_of_created_at)]
    rows = compare(sim, ["limitranges", "-A"], ["NAMESPACE", "NAME", "CREATED AT", "AGE"], shared,
                   alias="limits")
    assert rows[("pol", "defaults")]["CREATED AT"] == "2025-05-05T05:05:05Z"
    compare(sim, ["limitranges", "-n", "pol", "-o", "wide"], ["NAME", "CREATED AT", "AGE"],
            shared[1:])


def test_hpas(sim):
    header = ["NAMESPACE", "NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"]
    rows = compare(sim, ["hpa", "-A"], header, header)
    assert rows[("pol", "web")]["TARGETS"] == "cpu: 45%/80%, memory: 300Mi/500Mi"
    assert rows[("pol", "api")]["TARGETS"] == "866m/1k, 12k/10k + 2 more..."
    assert rows[("pol2", "batch")]["TARGETS"] == "25/100, <unknown>/2 (avg)"
    assert rows[("pol2", "fresh")]["TARGETS"] == "memory: <unknown>/64Mi"
    compare(sim, ["horizontalpodautoscalers.autoscaling", "-n", "pol", "-o", "wide"], header[1:],
            header[1:])


def test_pdbs(sim):
    shared = ["NAMESPACE", "NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS",
              "AGE"]
    header = shared[:-1] + ["CURRENT", "DESIRED", "EXPECTED", "AGE"]
    rows = compare(sim, ["pdb", "-A"], header, shared)
    assert rows[("pol", "db")]["MIN AVAILABLE"] == "N/A"
    assert rows[("pol", "db")]["MAX UNAVAILABLE"] == "25%"
    assert rows[("pol2", "half")]["MIN AVAILABLE"] == "50%"
    # k9s's healthy-pod counts come from the status kubectl does not print.
    assert [rows[("pol", "db")][c] for c in ("CURRENT", "DESIRED", "EXPECTED")] == ["1", "2", "3"]
    rows = compare(sim, ["poddisruptionbudgets", "-n", "pol", "-o", "wide"],
                   header[1:-1] + ["LABELS", "AGE"], shared[1:])
    assert rows[("", "web")]["LABELS"] == "app=web"
