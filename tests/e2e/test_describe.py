"""`timon describe` against `kubectl describe` (1.32) on the same kubesim objects: the text must be
the same, byte for byte, once ages are masked (they move with the clock between the two runs).

The fixture (fixtures/describe.yaml, loaded with --no-controllers so nothing changes) has pods in
every state describe tells apart: running with every kind of env var, probe, port and volume;
crash-looping after an OOM kill; init containers at work; a sidecar (a restartable init
container); pending with scheduler events in a series; terminating. Then a deployment with a new
and two old replica sets and a stray one it does not own, a Recreate deployment with none,
services of every type with their EndpointSlices, a Ready node with pods, hugepages and an
extended resource, and a NotReady cordoned node without a Lease. Kinds without a describer of
their own get kubectl's generic layout (a Lease, an Event, a custom resource)."""
import os
import re
import urllib.parse

import pytest

from conftest import FIXTURES
from harness import KubeSim, run_timon

DESCRIBE = os.path.join(FIXTURES, "describe.yaml")
CRD = os.path.join(FIXTURES, "crd.yaml")

# HumanDuration: 45s, 3m20s, 10h, 5d3h, 270d, 2y45d ...
AGE = re.compile(r"(?<![\w./:=-])\d+[smhdy](?:\d+[smhd])?(?![\w./:-])")

CASES = [
    ("pod", "web-7f9c8d-a1", "desc"),     # running: env, probes, ports, volumes, gates, spread
    ("pod", "web-7f9c8d-b2", "desc"),     # crash-looping after an OOM kill, two containers
    ("pod", "web-7f9c8d-c3", "desc"),     # pending, FailedScheduling in an event series
    ("pod", "init-1", "desc"),            # init containers: one done, one running
    ("pod", "sidecar-1", "desc"),         # a restartable init container (sidecar)
    ("pod", "stopping-1", "desc"),        # terminating, the container killed by a signal
    ("pod", "besteffort-1", "desc"),      # no resources, no status to speak of
    ("pod", "done-1", "desc"),            # succeeded
    ("deployment", "web", "desc"),        # new, old and empty replica sets; a stray one
    ("deployment", "batch", "desc"),      # Recreate, no replica sets at all
    ("replicaset", "web-7f9c8d", "desc"),  # pods in several phases, a condition
    ("replicaset", "web-5b6f7a", "desc"),
    ("replicaset", "web-stray", "desc"),  # no owner
    ("service", "web", "desc"),           # dual stack, two slices, "+ N more"
    ("service", "edge", "desc"),          # LoadBalancer: node ports, ingress, source ranges
    ("service", "db-alias", "desc"),      # ExternalName
    ("service", "peers", "desc"),         # headless, a slice without ports
    ("node", "node-a", None),             # Ready: Lease, pods, hugepages, extended resource
    ("node", "node-b", None),             # NotReady, cordoned, tainted, no Lease
    ("lease", "node-a", "kube-node-lease"),  # generic
    ("event", "web.0", "desc"),              # generic
    ("widget", "blue-one", "shop"),          # generic, a custom resource
    ("secret", "db", "desc"),                # sizes, never values
    ("pod", "web-7f9c8d", "desc"),           # no such pod: every pod whose name starts so
    ("node", "node-", None),                 # the same for nodes
]


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    s = KubeSim("--no-controllers", "--objects", DESCRIBE, CRD,
                workdir=str(tmp_path_factory.mktemp("describesim")))
    yield s
    s.stop()


def masked(text):
    return AGE.sub("<age>", text)


def args(kind, name, ns):
    return [kind, name] + (["-n", ns] if ns else [])


def kubectl_describe(sim, kind, name, ns):
    r = sim.kubectl("describe", *args(kind, name, ns), check=False)
    return r.returncode, r.stdout


def timon_describe(sim, kind, name, ns):
    r = run_timon("--kubeconfig", sim.kubeconfig, "describe", *args(kind, name, ns))
    return r.returncode, r.stdout, r.stderr


@pytest.mark.parametrize("kind,name,ns", CASES, ids=["%s/%s" % (k, n) for k, n, _ in CASES])
def test_same_as_kubectl(sim, kind, name, ns):
    want_rc, want = kubectl_describe(sim, kind, name, ns)
    assert want_rc == 0 and want, "kubectl describe %s %s failed" % (kind, name)
    rc, got, err = timon_describe(sim, kind, name, ns)
    assert rc == 0, err
    if masked(got) != masked(want):
        # An age may have ticked over between the two runs (the column then widens): once more.
        _, want = kubectl_describe(sim, kind, name, ns)
    assert masked(got) == masked(want), "\n".join(
        ["timon and kubectl differ; kubectl:", want, "timon:", got])


def requests_between(sim, start, end=None):
    """(path, query) of the resource requests logged in [start, end), queries as sorted tuples with
    field selectors split into sets (kubectl orders their terms at random)."""
    out = set()
    for r in sim.requests()[start:end]:
        path = r["path"]
        if path in ("/version", "/api", "/apis") or path.startswith("/openapi"):
            continue
        if path.startswith("/apis/") and path.count("/") <= 3:
            continue  # discovery of a group or group version
        if path.startswith("/api/v1") and path.count("/") == 2:
            continue
        q = urllib.parse.parse_qs(r["query"])
        items = []
        for k, vs in sorted(q.items()):
            for v in vs:
                items.append((k, frozenset(v.split(",")) if k == "fieldSelector" else v))
        out.add((path, tuple(items)))
    return out


REQUEST_CASES = [("pod", "web-7f9c8d-a1", "desc"),
                 ("deployment", "web", "desc"), ("replicaset", "web-7f9c8d", "desc"),
                 ("service", "web", "desc"), ("node", "node-a", None)]


@pytest.mark.parametrize("kind,name,ns", REQUEST_CASES,
                         ids=["%s/%s" % (k, n) for k, n, _ in REQUEST_CASES])
def test_same_requests_as_kubectl(sim, kind, name, ns):
    """timon asks the server what kubectl asks: the object, its events by field selector (a node's
    twice), and what the kind needs (pods, replica sets, EndpointSlices, the Lease)."""
    start = len(sim.requests())
    kubectl_describe(sim, kind, name, ns)
    mid = len(sim.requests())
    rc, _, err = timon_describe(sim, kind, name, ns)
    assert rc == 0, err
    theirs = requests_between(sim, start, mid)
    ours = requests_between(sim, mid)
    assert ours == theirs and len(ours) >= 2


def test_missing_object(sim):
    """A missing object is an error, even when events about it remain (gone-1's): kubectl reads
    the object before it describes it."""
    for name in ("nope", "gone-1"):
        r = sim.kubectl("describe", "pod", name, "-n", "desc", check=False)
        assert r.returncode != 0 and 'pods "%s" not found' % name in r.stderr
        rc, out, err = timon_describe(sim, "pod", name, "desc")
        assert rc == 1 and out == ""
        assert err.strip() == 'timon: error: pods "%s" not found' % name
    rc, out, err = timon_describe(sim, "deploy", "nope", "desc")
    assert rc == 1 and 'deployments.apps "nope" not found' in err


def test_kind_slash_name_and_aliases(sim):
    _, want = kubectl_describe(sim, "deployment", "web", "desc")
    for words in (["deploy/web"], ["deploy", "web"], ["deployments.apps", "web"]):
        r = run_timon("--kubeconfig", sim.kubeconfig, "describe", *words, "-n", "desc")
        assert r.returncode == 0, r.stderr
        assert masked(r.stdout) == masked(want)


def test_usage_errors(sim):
    for argv in (["describe"], ["describe", "pod"], ["describe", "pod", "a", "b"],
                 ["describe", "pod", "a", "-A"]):
        r = run_timon("--kubeconfig", sim.kubeconfig, *argv)
        assert r.returncode == 2, (argv, r.stderr)
    r = run_timon("--kubeconfig", sim.kubeconfig, "describe", "gizmo", "x")
    assert r.returncode == 1 and 'resource type "gizmo"' in r.stderr


def test_secret_values_never_shown(sim):
    _, out, _ = timon_describe(sim, "secret", "db", "desc")
    assert "password:  18 bytes" in out
    assert "super-secret" not in out and "c3VwZXI" not in out
