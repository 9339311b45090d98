"""Access kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object and kubesim's bootstrap RBAC objects (roles, cluster
roles, role bindings, cluster role bindings).

A real apiserver has no printer for roles and cluster roles: kubectl prints NAME and CREATED AT,
so timon's AGE is checked against the age of that instant."""
import calendar
import os
import re
import time

import pytest

from harness import run_timon
from conftest import FIXTURES

FIXTURE = os.path.join(FIXTURES, "kinds-access.yaml")


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


CREATED = ["NAME", ("AGE", age_of_created_at)]


def test_roles(sim):
    rows = compare(sim, ["roles", "-A"], ["NAMESPACE", "NAME", "AGE"], ["NAMESPACE"] + CREATED,
                   alias="ro")
    assert sorted(rows) == [("acc", "reader"), ("acc", "writer-2"), ("default", "writer-10")]
    rows = compare(sim, ["roles", "-n", "acc", "-o", "wide"], ["NAME", "LABELS", "AGE"], CREATED)
    assert rows[("", "reader")]["LABELS"] == "app=shop"


def test_clusterroles(sim):
    rows = compare(sim, ["clusterroles"], ["NAME", "AGE"], CREATED, alias="cr")
    assert ("", "e2e-aggregated") in rows and ("", "cluster-admin") in rows
    rows = compare(sim, ["clusterroles.rbac.authorization.k8s.io", "-o", "wide"],
                   ["NAME", "LABELS", "AGE"], CREATED)
    assert rows[("", "e2e-viewer")]["LABELS"] == "e2e.example.com/aggregate=true"


def subject_names(krow):
    """The subjects' names from kubectl's wide USERS, GROUPS and SERVICEACCOUNTS (ns/name)."""
    names = []
    for col in ("USERS", "GROUPS", "SERVICEACCOUNTS"):
        names += [s.split("/")[-1] for s in krow[col].split(", ") if s]
    return sorted(names)


def check_subjects(sim, args):
    """timon's SUBJECTS hold the same names as kubectl's three wide subject columns."""
    _, krows = columns(sim.kubectl("get", *args, "-o", "wide").stdout)
    t = run_timon("get", *args, "--kubeconfig", sim.kubeconfig)
    _, trows = columns(t.stdout)
    tb = {by_name(r): r for r in trows}
    assert len(tb) == len(krows)
    for k in krows:
        got = tb[by_name(k)]["SUBJECTS"]
        assert sorted(s for s in got.split(",") if s) == subject_names(k), (k, got)


def test_rolebindings(sim):
    header = ["NAMESPACE", "NAME", "ROLE", "KIND", "SUBJECTS", "AGE"]
    rows = compare(sim, ["rolebindings", "-A"], header, ["NAMESPACE", "NAME", "ROLE", "AGE"],
                   alias="rb")
    assert rows[("acc", "read-pods")]["KIND"] == "User,Group,SvcAcct"
    assert rows[("acc", "read-pods")]["SUBJECTS"] == "jane,devs,builder,joe"
    assert rows[("acc", "admins")]["KIND"] == "n/a"
    assert rows[("default", "sa-only")]["KIND"] == "SvcAcct"
    rows = compare(sim, ["rolebindings", "-n", "acc", "-o", "wide"],
                   header[1:-1] + ["LABELS", "AGE"], ["NAME", "ROLE", "AGE"])
    assert rows[("", "read-pods")]["LABELS"] == "team=web"
    check_subjects(sim, ["rolebindings", "-A"])


def test_clusterrolebindings(sim):
    header = ["NAME", "CLUSTERROLE", "SUBJECT-KIND", "SUBJECTS", "AGE"]
    # kubectl's ROLE is `ClusterRole/name`; k9s's CLUSTERROLE column shows the name.
    shared = ["NAME", ("CLUSTERROLE", lambda r: r["ROLE"].split("ClusterRole/", 1)[1]), "AGE"]
    rows = compare(sim, ["clusterrolebindings"], header, shared, alias="crb")
    assert rows[("", "e2e-sa")]["SUBJECT-KIND"] == "SvcAcct,User"
    assert rows[("", "e2e-nobody")]["SUBJECT-KIND"] == "n/a"
    assert rows[("", "e2e-masters")]["SUBJECTS"] == "e2e:masters"
    compare(sim, ["clusterrolebindings", "-o", "wide"], header[:-1] + ["LABELS", "AGE"], shared)
    check_subjects(sim, ["clusterrolebindings"])
