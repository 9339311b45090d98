"""Policy kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object (resource quotas, limit ranges, HPAs, PDBs).

A real apiserver has no printer for limit ranges: kubectl prints NAME and CREATED AT, which timon
shows too, with an AGE checked against the age of that instant."""
import os

import pytest

from conftest import FIXTURES
from kinds_diff import age_of_created_at, compare, serve

FIXTURE = os.path.join(FIXTURES, "kinds-policy.yaml")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURE)


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
