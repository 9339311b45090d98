"""Storage kinds, differentially: `timon get` and `kubectl get` on the same kubesim agree on every
column both print, for every fixture object (PVCs, PVs, storage classes)."""
import os
import re

import pytest

from harness import run_timon
from conftest import FIXTURES

FIXTURE = os.path.join(FIXTURES, "kinds-storage.yaml")


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


def keyed(rows):
    return {(r.get("NAMESPACE", ""), r["NAME"]): r for r in rows}


def compare(sim, args, header, shared):
    """timon's header is `header`; every column in `shared` (a name both print, or a pair of
    timon's name and kubectl's) holds the same text in both, row by row. An age may tick
    between the two commands: retry then."""
    for _ in range(3):
        k = sim.kubectl("get", *args)
        t = run_timon("get", *args, "--kubeconfig", sim.kubeconfig)
        assert t.returncode == 0, t.stderr
        kh, krows = columns(k.stdout)
        th, trows = columns(t.stdout)
        assert th == header
        pairs = [(c, c) if isinstance(c, str) else c for c in shared]
        for tc, kc in pairs:
            assert tc in th and kc in kh, (tc, kc, kh)
        kb, tb = keyed(krows), keyed(trows)
        assert sorted(kb) == sorted(tb)
        diffs = [(key, tc, kb[key][kc], tb[key][tc]) for key in kb for tc, kc in pairs
                 if kb[key][kc] != tb[key][tc]]
        if not diffs:
            return tb
    assert diffs == []


@pytest.fixture
def sim(kubesim):
    return kubesim("--no-controllers", "--objects", FIXTURE)


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
