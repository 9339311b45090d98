"""Storage kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object (PVCs, PVs, storage classes)."""
import os

import pytest

from conftest import FIXTURES
from kinds_diff import compare, serve

FIXTURE = os.path.join(FIXTURES, "kinds-storage.yaml")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    yield from serve(tmp_path_factory, FIXTURE)


PVC_HEADER = ["NAMESPACE", "NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
              "AGE"]
PVC_SHARED = ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS", "AGE"]


def test_pvcs_all_namespaces(sim):
    rows = compare(sim, ["pvc", "-A"], PVC_HEADER, ["NAMESPACE"] + PVC_SHARED)
    assert rows[("vol2", "going")]["STATUS"] == "Terminating"
    assert rows[("vol", "data-10")]["ACCESS MODES"] == "RWO,ROX,RWX,RWOP"
    assert rows[("vol", "data-2")]["CAPACITY"] == ""
    assert rows[("vol2", "lost")]["CAPACITY"] == "0"


def test_pvcs_in_namespace_wide(sim):
    header = PVC_HEADER[1:-1] + ["LABELS", "AGE"]
    rows = compare(sim, ["persistentvolumeclaims", "-n", "vol", "-o", "wide"], header, PVC_SHARED)
    assert sorted(n for _, n in rows) == ["data-1", "data-10", "data-2"]
    assert rows[("", "data-1")]["LABELS"] == "app=db,tier=data"
    assert rows[("", "data-10")]["STORAGECLASS"] == "legacy"


def test_pvs(sim):
    header = ["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM",
              "STORAGECLASS", "REASON", "AGE"]
    shared = header
    compare(sim, ["pv"], header, shared)
    # Cluster-scoped: -A changes nothing; wide adds VOLUMEMODE (kubectl's too) and LABELS.
    wide = header[:-1] + ["VOLUMEMODE", "LABELS", "AGE"]
    rows = compare(sim, ["persistentvolumes", "-A", "-o", "wide"], wide, shared + ["VOLUMEMODE"])
    assert rows[("", "pv-3")]["STATUS"] == "Terminating"
    assert rows[("", "pv-3")]["CLAIM"] == "vol/data-10"
    assert rows[("", "pv-10")]["STORAGECLASS"] == "old-class"
    assert rows[("", "pv-2")]["VOLUMEMODE"] == "Block"


def test_storageclasses(sim):
    header = ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION",
              "AGE"]
    compare(sim, ["sc"], header, header)
    rows = compare(sim, ["storageclasses.storage.k8s.io", "-o", "wide"],
                   header[:-1] + ["LABELS", "AGE"], header)
    assert sorted(n for _, n in rows) == ["fast (default)", "plain", "standard (default)"]
    assert rows[("", "plain")]["VOLUMEBINDINGMODE"] == "Immediate"
