"""`timon get` for configmaps, secrets and serviceaccounts agrees with `kubectl get` on every
column both show (one namespace and all), against one kubesim loaded with
fixtures/kinds-config.yaml; and no secret value reaches timon's table output."""
import os

import pytest

from conftest import FIXTURES
from harness import run_timon
from kinds_diff import compare, start

FIXTURE = os.path.join(FIXTURES, "kinds-config.yaml")

# kind: (timon's columns, timon's wide columns, shared with kubectl, shared with kubectl -o wide)
KINDS = {
    "configmaps": (["NAME", "DATA", "AGE"], ["NAME", "DATA", "AGE"],
                   ["NAME", "DATA", "AGE"], ["NAME", "DATA", "AGE"]),
    "secrets": (["NAME", "TYPE", "DATA", "AGE"], ["NAME", "TYPE", "DATA", "AGE"],
                ["NAME", "TYPE", "DATA", "AGE"], ["NAME", "TYPE", "DATA", "AGE"]),
    "serviceaccounts": (["NAME", "SECRETS", "AGE"], ["NAME", "SECRETS", "LABELS", "AGE"],
                        ["NAME", "SECRETS", "AGE"], ["NAME", "SECRETS", "AGE"]),
}

SPOT = {
    ("configmaps", "app-config"): {"DATA": "4"},
    ("configmaps", "empty"): {"DATA": "0"},
    ("configmaps", "only-binary"): {"DATA": "1"},
    ("secrets", "web-tls"): {"TYPE": "kubernetes.io/tls", "DATA": "3"},
    ("secrets", "empty-secret"): {"DATA": "0"},
    ("serviceaccounts", "builder"): {"SECRETS": "2"},
    ("serviceaccounts", "plain"): {"SECRETS": "0"},
}


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    s = start(tmp_path_factory, FIXTURE)
    yield s
    s.stop()


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("wide", [False, True], ids=["table", "wide"])
def test_namespace(sim, kind, wide):
    normal, wide_cols, shared, shared_wide = KINDS[kind]
    rows = compare(sim, kind, ["-n", "cfg"], wide, wide_cols if wide else normal,
                   shared_wide if wide else shared)
    for (k, name), cells in SPOT.items():
        if k == kind:
            for col, want in cells.items():
                assert rows[("", name)][col] == want, (kind, name, col)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_all_namespaces(sim, kind):
    normal, _, shared, _ = KINDS[kind]
    rows = compare(sim, kind, ["-A"], False, ["NAMESPACE"] + normal, ["NAMESPACE"] + shared)
    assert "cfg" in {ns for ns, _ in rows}


def test_no_secret_values(sim):
    r = run_timon("get", "secrets", "-n", "cfg", "-o", "wide", "--kubeconfig", sim.kubeconfig)
    assert r.returncode == 0, r.stderr
    for value in ["YWRtaW4=", "czNjcjN0LXZhbHVl", "admin", "s3cr3t", "username", "password"]:
        assert value not in r.stdout


def test_aliases(sim):
    for alias, kind in [("cm", "configmaps"), ("sec", "secrets"), ("sa", "serviceaccounts")]:
        a = run_timon("get", alias, "-n", "cfg", "-o", "name", "--kubeconfig", sim.kubeconfig)
        b = run_timon("get", kind, "-n", "cfg", "-o", "name", "--kubeconfig", sim.kubeconfig)
        assert a.returncode == 0 and a.stdout == b.stdout and a.stdout, (alias, a.stderr)
