"""Access kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object and kubesim's bootstrap RBAC objects (roles, cluster
roles, role bindings, cluster role bindings).

A real apiserver has no printer for roles and cluster roles: kubectl prints NAME and CREATED AT,
so timon's AGE is checked against the age of that instant."""
import os

import pytest

from conftest import FIXTURES
from harness import run_timon
from kinds_diff import age_of_created_at, compare, key, parse_columns, serve

FIXTURE = os.path.join(FIXTURES, "kinds-access.yaml")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURE)


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
    _, krows = parse_columns(sim.kubectl("get", *args, "-o", "wide").stdout)
    t = run_timon("get", *args, "--kubeconfig", sim.kubeconfig)
    _, trows = parse_columns(t.stdout)
    tb = {key(r): r for r in trows}
    assert len(tb) == len(krows)
    for k in krows:
        got = tb[key(k)]["SUBJECTS"]
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
