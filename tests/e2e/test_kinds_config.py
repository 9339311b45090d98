"""`timon get` for configmaps, secrets and serviceaccounts agrees with `kubectl get` on every
column both show (one namespace and all), against one kubesim loaded with
fixtures/kinds-config.yaml; and no secret value reaches timon's table output."""
import os

import pytest

from conftest import FIXTURES
from harness import run_timon
from kinds_diff import check_aliases, check_all_namespaces, check_namespace, serve

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
    yield from serve(tmp_path_factory, FIXTURE)


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("wide", [False, True], ids=["table", "wide"])
def test_namespace(sim, kind, wide):
    check_namespace(sim, KINDS, SPOT, kind, "cfg", wide)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_all_namespaces(sim, kind):
    rows = check_all_namespaces(sim, KINDS, kind)
    assert "cfg" in {ns for ns, _ in rows}


def test_no_secret_values(sim):
    r = run_timon("get", "secrets", "-n", "cfg", "-o", "wide", "--kubeconfig", sim.kubeconfig)
    assert r.returncode == 0, r.stderr
    for value in ["YWRtaW4=", "czNjcjN0LXZhbHVl", "admin", "s3cr3t", "username", "password"]:
        assert value not in r.stdout


def test_aliases(sim):
    check_aliases(sim, "cfg", [("cm", "configmaps"), ("sec", "secrets"), ("sa", "serviceaccounts")])
