"""Differential checks of `timon get KIND` against `kubectl get KIND` on one kubesim, for the
per-group kind tests (test_kinds_*.py).

Both outputs are parsed by the header's column offsets (Go tabwriter left-aligns every cell of
a column at the header's offset), so empty cells and headers with spaces ("LAST SCHEDULE") parse
correctly. Rows are matched by NAMESPACE/NAME, not by order (timon sorts names naturally).
"""
import re

from harness import KubeSim, run_timon


def parse_columns(text):
    """(header names, rows as dicts) of a kubectl-style table."""
    lines = [l.rstrip("\n") for l in text.splitlines() if l.strip()]
    if not lines:
        return [], []
    head = lines[0]
    starts = [m.start() for m in re.finditer(r"(?:^|(?<=   ))\S", head)]
    names = [head[s:e].strip() for s, e in zip(starts, starts[1:] + [None])]
    rows = []
    for line in lines[1:]:
        cells = [line[s:e].strip() if s < len(line) else ""
                 for s, e in zip(starts, starts[1:] + [None])]
        # A cell never starts left of its column, so the character before each column is blank.
        for s in starts[1:]:
            assert s > len(line) or line[s - 1] == " ", "misaligned row: %r" % line
        rows.append(dict(zip(names, cells)))
    return names, rows


def key(row):
    return (row.get("NAMESPACE", ""), row["NAME"])


def get_both(sim, kind, scope, wide):
    out = ["-o", "wide"] if wide else []
    k = sim.kubectl("get", kind, *scope, *out)
    t = run_timon("get", kind, *scope, *out, "--kubeconfig", sim.kubeconfig)
    assert t.returncode == 0, t.stderr
    return parse_columns(k.stdout), parse_columns(t.stdout)


def compare(sim, kind, scope, wide, timon_header, shared):
    """Checks timon's header, then that every column both show has the same cell in every row.

    `shared` is the list of columns both must show (so a printer that regressed to NAME/AGE, or
    a timon column that was renamed, fails instead of shrinking the comparison). Retries once
    when a cell differs, since an age may tick between the two commands. Returns timon's rows
    keyed by (namespace, name)."""
    diffs = None
    for _ in range(2):
        (kh, krows), (th, trows) = get_both(sim, kind, scope, wide)
        assert th == timon_header, (kind, th)
        assert [c for c in th if c in kh] == shared, (kind, kh, th)
        kb, tb = {key(r): r for r in krows}, {key(r): r for r in trows}
        assert len(kb) == len(krows) and len(tb) == len(trows)
        assert sorted(kb) == sorted(tb), (kind, sorted(kb), sorted(tb))
        assert tb, "no %s in the fixture" % kind
        diffs = [(n, c, kb[n][c], tb[n][c]) for n in sorted(kb) for c in shared
                 if kb[n][c] != tb[n][c]]
        if not diffs:
            return tb
    assert diffs == [], diffs
    return None


def start(tmp_path_factory, fixture):
    workdir = tmp_path_factory.mktemp("kinds-sim")
    return KubeSim("--no-controllers", "--objects", fixture, workdir=str(workdir))
