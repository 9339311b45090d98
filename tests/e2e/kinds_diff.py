"""Differential checks of `timon get KIND` against `kubectl get KIND` on one kubesim, for the
per-group kind tests (test_kinds_*.py): the kubesim a module runs, table parsing, the comparison
itself, kubectl's human durations, and the checks every group repeats.

Both outputs are parsed by the header's column offsets (Go tabwriter left-aligns every cell of
a column at the header's offset), so empty cells and headers with spaces ("LAST SCHEDULE") parse
correctly. Rows are matched by NAMESPACE/NAME, not by order (timon sorts names naturally).
"""
import calendar
import re
import time

from harness import KubeSim, run_timon


def serve(tmp_path_factory, fixture):
    """One kubesim loaded with `fixture`, statuses as given (no controllers), for a whole module:
    a module-scoped fixture does `yield from serve(tmp_path_factory, FIXTURE)`."""
    sim = KubeSim("--no-controllers", "--objects", fixture,
                  workdir=str(tmp_path_factory.mktemp("kinds-sim")))
    try:
        yield sim
    finally:
        sim.stop()


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
    """The AGE of kubectl's CREATED AT cell, now (for kinds with only the server's default table,
    where kubectl prints CREATED AT and timon an AGE)."""
    t = calendar.timegm(time.strptime(row["CREATED AT"], "%Y-%m-%dT%H:%M:%SZ"))
    return human_duration(int(time.time()) - t)


def compare(sim, args, header, shared, key=key, alias=None, exact=False):
    """`timon get ARGS` against `kubectl get ARGS`: timon's header is `header`, both list the same
    rows (matched by `key`), and every item of `shared` holds the same text in both, row by row:
    a column name both print, a pair (timon's name, kubectl's name), or a pair (timon's name,
    function of kubectl's row). `alias` names the kind for timon only (k9s's aliases are unknown
    to kubectl). With `exact`, `shared` must be every column both print, in timon's order (so a
    printer that regressed to NAME/AGE, or a renamed timon column, fails instead of shrinking the
    comparison). An age may tick between the two commands: retry then. Returns timon's rows
    keyed by `key`."""
    targs = [alias or args[0]] + list(args[1:])
    pairs = [(c, c) if isinstance(c, str) else c for c in shared]

    def want(row, kc):
        return kc(row) if callable(kc) else row[kc]

    diffs = None
    for _ in range(3):
        k = sim.kubectl("get", *args)
        t = run_timon("get", *targs, "--kubeconfig", sim.kubeconfig)
        assert t.returncode == 0, t.stderr
        kh, krows = parse_columns(k.stdout)
        th, trows = parse_columns(t.stdout)
        assert th == header, (args, th)
        if exact:
            assert [c for c in th if c in kh] == shared, (args, kh, th)
        for tc, kc in pairs:
            assert tc in th and (callable(kc) or kc in kh), (tc, kc, kh)
        kb, tb = {key(r): r for r in krows}, {key(r): r for r in trows}
        assert len(kb) == len(krows) and len(tb) == len(trows), (args, krows, trows)
        assert sorted(kb) == sorted(tb), (args, sorted(kb), sorted(tb))
        diffs = [(n, tc, want(kb[n], kc), tb[n][tc]) for n in sorted(kb) for tc, kc in pairs
                 if want(kb[n], kc) != tb[n][tc]]
        if not diffs:
            return tb
    assert diffs == [], diffs
    return None


def compare_kind(sim, kind, scope, wide, timon_header, shared):
    """compare() of `get KIND SCOPE [-o wide]`, `shared` being exactly the columns both print, on
    a fixture that has some KIND. Returns timon's rows keyed by (namespace, name)."""
    out = ["-o", "wide"] if wide else []
    rows = compare(sim, [kind, *scope, *out], timon_header, shared, exact=True)
    assert rows, "no %s in the fixture" % kind
    return rows


# The groups described by tables: KINDS is {kind: (timon's columns, timon's wide columns, shared
# with kubectl, shared with kubectl -o wide)}, SPOT is {(kind, name): {column: cell}}, the cells the
# fixture exists for.

def check_namespace(sim, kinds, spot, kind, namespace, wide):
    """compare_kind() of one kind in one namespace, then its SPOT cells that the table shows."""
    normal, wide_cols, shared, shared_wide = kinds[kind]
    rows = compare_kind(sim, kind, ["-n", namespace], wide, wide_cols if wide else normal,
                        shared_wide if wide else shared)
    for (k, name), cells in spot.items():
        if k != kind:
            continue
        for col, want in cells.items():
            if col in rows[("", name)]:
                assert rows[("", name)][col] == want, (kind, name, col)
    return rows


def check_all_namespaces(sim, kinds, kind):
    """compare_kind() of one kind across all namespaces; returns timon's rows."""
    normal, _, shared, _ = kinds[kind]
    return compare_kind(sim, kind, ["-A"], False, ["NAMESPACE"] + normal, ["NAMESPACE"] + shared)


def check_aliases(sim, namespace, aliases):
    """Every (alias, kind) pair lists the same objects in the namespace, and some."""
    for alias, kind in aliases:
        a = run_timon("get", alias, "-n", namespace, "-o", "name", "--kubeconfig", sim.kubeconfig)
        b = run_timon("get", kind, "-n", namespace, "-o", "name", "--kubeconfig", sim.kubeconfig)
        assert a.returncode == 0 and a.stdout == b.stdout and a.stdout, (alias, a.stderr)
