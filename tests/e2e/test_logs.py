"""`timon logs` against `kubectl logs` with the same arguments: stdout, stderr and exit code.

kubesim runs with --log-rate 0, so a container's log is its start-up banner and stays the same
between the two commands; the `chatty` pod writes 20 lines a second for following.
"""
import importlib.util
import os
import re
import select
import signal
import subprocess
import time

import pytest

from harness import ROOT, TIMON, run_timon
from conftest import FIXTURES

STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z ")


def _render_fixture():
    """The conformance suite's fixture renderer ("@now-10m" to absolute times)."""
    path = os.path.join(ROOT, "tests", "conformance", "conftest.py")
    spec = importlib.util.spec_from_file_location("conformance_conftest", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.render_fixture


@pytest.fixture
def sim(kubesim, tmp_path):
    objects = _render_fixture()(os.path.join(FIXTURES, "logs.yaml"), str(tmp_path))
    return kubesim("--no-controllers", "--log-rate", "0", "--objects", objects)


def both(sim, *args):
    k = sim.kubectl("logs", *args, check=False)
    t = run_timon("logs", *args, "--kubeconfig", sim.kubeconfig)
    return k, t


def assert_same(sim, *args):
    k, t = both(sim, *args)
    assert (t.returncode, t.stdout, t.stderr) == (k.returncode, k.stdout, k.stderr), args
    return t


def test_tail_timestamps_container_previous_since(sim):
    out = assert_same(sim, "multi", "-c", "sidecar", "--tail=3").stdout
    assert len(out.splitlines()) == 3
    out = assert_same(sim, "multi", "-c", "init-db", "--timestamps").stdout
    assert out.startswith("20") and "Z " in out.splitlines()[0]
    assert_same(sim, "multi", "--container", "app", "--tail", "2", "--timestamps")
    prev = assert_same(sim, "restarted", "--previous").stdout
    assert prev and prev != assert_same(sim, "restarted").stdout
    assert_same(sim, "restarted", "-p", "--tail=1", "--timestamps")
    assert assert_same(sim, "young", "--since=5m").stdout
    assert assert_same(sim, "young", "--since=5s").stdout == ""
    assert_same(sim, "multi", "-c", "app", "--tail=0")


def test_flag_spellings_kubectl_takes(sim):
    """The same arguments in the other spellings kubectl (pflag) accepts: Go durations,
    --flag=bool, -c=NAME, and the container after the pod."""
    assert assert_same(sim, "young", "--since=1.5h").stdout
    assert assert_same(sim, "young", "--since=2m30s").stdout
    assert_same(sim, "young", "--since=1500ms")
    assert_same(sim, "multi", "-c=sidecar", "--tail=2")
    assert_same(sim, "multi", "sidecar", "--tail=2")
    assert_same(sim, "multi", "-c", "app", "--timestamps=true", "--tail=2")
    assert_same(sim, "multi", "-c", "app", "--timestamps=false", "--tail=2")
    assert_same(sim, "restarted", "--previous=false", "--tail=1")
    assert_same(sim, "restarted", "--previous=true", "--tail=1")


def test_multi_container_default_and_annotation(sim):
    t = assert_same(sim, "multi", "--tail=2")
    assert t.stderr == 'Defaulted container "app" out of: app, sidecar, init-db (init)\n'
    t = assert_same(sim, "annotated")
    assert t.stderr == ""
    assert t.stdout == sim.kubectl("logs", "annotated", "-c", "sidecar").stdout


def test_errors(sim):
    t = assert_same(sim, "nope")
    assert t.returncode == 1
    assert t.stderr == 'error: error from server (NotFound): pods "nope" not found in namespace "default"\n'
    t = assert_same(sim, "multi", "-c", "nope")
    assert t.returncode == 1 and t.stderr == "error: container nope is not valid for pod multi\n"
    t = assert_same(sim, "multi", "-c", "app", "--previous")
    assert t.returncode == 1
    assert t.stderr == ('Error from server (BadRequest): previous terminated container "app" in pod '
                        '"multi" not found\n')
    t = assert_same(sim, "multi", "--tail=-2")
    assert t.returncode == 1
    # timon's own usage errors exit 2
    t = run_timon("logs", "--kubeconfig", sim.kubeconfig)
    assert t.returncode == 2 and "which pod" in t.stderr
    t = run_timon("logs", "multi", "--since", "yesterday", "--kubeconfig", sim.kubeconfig)
    assert t.returncode == 2 and "--since" in t.stderr


def read_lines(proc, n, timeout=20):
    """The first n lines a process prints (raw bytes), or fewer if the deadline passes."""
    out, buf = [], b""
    deadline = time.time() + timeout
    fd = proc.stdout.fileno()
    while len(out) < n and time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            break
        buf += chunk
        *lines, buf = buf.split(b"\n")
        out.extend(lines)
    return out[:n]


def popen_both(sim, *args):
    home = os.path.join(sim.dir, "home-follow")
    os.makedirs(home, exist_ok=True)
    env = dict(os.environ, HOME=home, KUBECACHEDIR=os.path.join(home, "cache"))
    k = subprocess.Popen(["kubectl", "--kubeconfig", sim.kubeconfig, "logs", *args], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    t = subprocess.Popen([TIMON, "--kubeconfig", sim.kubeconfig, "logs", *args],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    return k, t


def stop(*procs):
    for p in procs:
        if p.poll() is None:
            os.killpg(p.pid, signal.SIGTERM)
        p.wait(timeout=10)
        p.stdout.close()
        p.stderr.close()


@pytest.mark.parametrize("stamps", [True, False])
def test_follow(sim, stamps):
    """Both follow the same stream: after the first lines (the two starts are not at the same
    instant), timon's lines are kubectl's, byte for byte, in order; without --timestamps the
    timestamps timon asks for internally (to resume a dropped stream) never show."""
    args = ["chatty", "-f", "--tail=2"] + (["--timestamps"] if stamps else [])
    k, t = popen_both(sim, *args)
    try:
        kl = read_lines(k, 40)
        tl = read_lines(t, 40)
    finally:
        stop(k, t)
    assert len(kl) == 40 and len(tl) == 40
    probe = tl[5]
    assert probe in kl, (probe, kl)
    i = kl.index(probe)
    common = min(len(kl) - i, len(tl) - 5)
    assert common >= 20
    assert tl[5:5 + common] == kl[i:i + common]
    assert all(bool(STAMP.match(line)) == stamps for line in tl)
