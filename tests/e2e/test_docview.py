"""The document views in tmux: d (describe) and y (YAML) from the pods table; searching a
describe; managedFields hidden until m; Ctrl-S writing a 0600 file; x decoding a secret in the
secrets table and in its YAML (and plain YAML never showing the value); describe following the
object when it changes."""
import os
import re
import stat

import pytest

from conftest import FIXTURES
from harness import KubeSim, run_timon

DOCS = os.path.join(FIXTURES, "docview.yaml")
SECRET_VALUE = "hunter2-swordfish"


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    s = KubeSim("--no-controllers", "--objects", DOCS,
                workdir=str(tmp_path_factory.mktemp("docsim")))
    yield s
    s.stop()


@pytest.fixture
def open_tui(sim, tui):
    def start(*args, **kw):
        return tui(["--kubeconfig", sim.kubeconfig, "-n", "docs", *args], **kw)
    return start


def body(screen):
    """The lines inside the view's box."""
    return [ln[1:-1] if ln.startswith("│") else ln for ln in screen.splitlines()]


def test_describe_and_yaml_from_the_pods_table(open_tui, sim):
    t = open_tui()
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("d")
    screen = t.wait_for(r"describe pod/web-1")
    t.wait_for(r"Name:\s+web-1")
    t.wait_for(r"Controlled By|Containers:")
    # The same text as timon describe prints, line for line as far as the screen shows it.
    out = run_timon("--kubeconfig", sim.kubeconfig, "describe", "pod", "web-1", "-n", "docs")
    assert out.returncode == 0, out.stderr
    screen = t.wait_for(r"Restart Count")
    shown = [ln.rstrip() for ln in body(screen) if ln.strip()]
    want = [ln.rstrip() for ln in out.stdout.splitlines()]
    first = next(i for i, ln in enumerate(shown) if "Name:" in ln)
    for got, expect in zip(shown[first:first + 20], want[:20]):
        assert got.strip() == expect.strip()
    t.wait_for(r"<describe:web-1>")
    t.send("q")
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("y")
    t.wait_for(r"yaml pod/web-1")
    screen = t.wait_for(r"apiVersion: v1")
    assert "kind: Pod" in screen


def test_describe_search(open_tui):
    t = open_tui()
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("d")
    screen = t.wait_for(r"Restart Count")
    assert "Tolerations:" not in screen  # below the fold
    t.send("/")
    t.type("toleration")
    t.send("Enter")
    screen = t.wait_for(r"Tolerations:\s+dedicated=docs:NoSchedule")
    assert "</toleration>" in screen
    # n and N walk the matches of another term, wrapping around.
    t.send("/", "C-u")
    t.type("restart count")
    t.send("Enter")
    t.wait_for(r"</restart count>")
    t.send("n")
    t.wait_for(r"Restart Count:\s+4")
    t.send("/", "C-u")
    t.type("no such text")
    t.send("Enter")
    t.wait_for(r'no match for "no such text"')


def test_yaml_hides_managed_fields(open_tui):
    t = open_tui()
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("y")
    screen = t.wait_for(r"yaml pod/web-1")
    t.wait_for(r"creationTimestamp")
    assert "managedFields" not in screen and "kubectl-client-side-apply" not in screen
    t.send("m")
    t.wait_for(r"managedFields shown")
    t.wait_for(r"managedFields:")
    t.wait_for(r"manager: kubectl-client-side-apply")
    t.send("m")
    screen = t.wait_for(r"managedFields hidden")
    assert "manager: kubectl-client-side-apply" not in screen


def saved_file(t, state, prefix, ext):
    """The one file Ctrl-S just wrote (the flash may be cut at the screen's edge) and the line
    count the flash reported."""
    screen = t.wait_for(r"saved \d+ lines to")
    lines = int(re.search(r"saved (\d+) lines", screen).group(1))
    folder = os.path.join(state, "timon")
    names = [n for n in os.listdir(folder) if n.startswith(prefix) and n.endswith(ext)]
    assert len(names) == 1, names
    return lines, os.path.join(folder, names[0])


def test_ctrl_s_saves_a_private_file(open_tui, sim, tmp_path):
    state = str(tmp_path / "state")
    t = open_tui(env={"XDG_STATE_HOME": state})
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("d")
    t.wait_for(r"Restart Count")
    t.send("C-s")
    lines, path = saved_file(t, state, "docs_pod_web-1-", ".txt")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(os.path.dirname(path)).st_mode) == 0o700
    with open(path) as f:
        saved = f.read()
    out = run_timon("--kubeconfig", sim.kubeconfig, "describe", "pod", "web-1", "-n", "docs")
    age = re.compile(r"\b\d+[smhdy](\d+[smhd])?\b")
    assert age.sub("AGE", saved) == age.sub("AGE", out.stdout)
    assert lines == len(out.stdout.splitlines())
    # The YAML view saves its YAML, as shown.
    t.send("q")
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("y")
    t.wait_for(r"apiVersion: v1")
    t.send("C-s")
    _, ypath = saved_file(t, state, "docs_pod_web-1-", ".yaml")
    assert stat.S_IMODE(os.stat(ypath).st_mode) == 0o600
    with open(ypath) as f:
        text = f.read()
    assert "name: web-1" in text and "managedFields" not in text


def test_x_decodes_a_secret_and_yaml_alone_does_not(open_tui, tmp_path):
    state = str(tmp_path / "state")
    t = open_tui("-c", "secrets", env={"XDG_STATE_HOME": state})
    t.wait_for(r"secrets\(docs\)\[1\]")
    # Plain YAML and describe: the stored base64, or sizes, never the value.
    t.send("y")
    screen = t.wait_for(r"password: aHVudGVyMi1zd29yZGZpc2g=")
    assert SECRET_VALUE not in screen
    # x in the YAML view decodes; x again hides it.
    t.send("x")
    screen = t.wait_for(r"password: " + SECRET_VALUE)
    assert "(decoded)" in screen
    # Decoded data is never written to disk.
    t.send("C-s")
    t.wait_for(r"decoded secrets are not saved")
    t.send("x")
    screen = t.wait_for(r"password: aHVudGVyMi1zd29yZGZpc2g=")
    assert SECRET_VALUE not in screen
    t.send("q")
    t.wait_for(r"secrets\(docs\)\[1\]")
    t.send("d")
    screen = t.wait_for(r"password:\s+17 bytes")
    assert SECRET_VALUE not in screen
    t.send("q")
    # x in the secrets table opens the decoded view directly.
    t.wait_for(r"secrets\(docs\)\[1\]")
    t.send("x")
    t.wait_for(r"yaml secret/creds \(decoded\)")
    t.wait_for(r"password: " + SECRET_VALUE)
    t.send("q")
    # x is a key of the secrets table (its hint is there), not of the others.
    screen = t.wait_for(r"secrets\(docs\)\[1\]")
    assert "<x>" in screen
    t.send(":")
    t.type("pods")
    t.send("Enter")
    screen = t.wait_for(r"pods\(docs\)\[1\]")
    assert "<x>" not in screen
    # Keys are handled in order: once d's describe is up, x has been handled, and did nothing.
    t.send("x", "d")
    screen = t.wait_for(r"describe pod/web-1")
    assert "(decoded)" not in screen and SECRET_VALUE not in screen
    saved = os.path.join(state, "timon")
    for name in os.listdir(saved) if os.path.isdir(saved) else []:
        with open(os.path.join(saved, name), errors="replace") as f:
            assert SECRET_VALUE not in f.read()


def test_describe_follows_the_object(open_tui, sim):
    t = open_tui()
    t.wait_for(r"pods\(docs\)\[1\]")
    t.send("d")
    t.wait_for(r"Labels:\s+app=web")
    sim.kubectl("label", "pod", "web-1", "-n", "docs", "tier=front")
    t.wait_for(r"Labels:\s+app=web.*\n.*tier=front", timeout=15)
    sim.kubectl("label", "pod", "web-1", "-n", "docs", "tier-")
    screen = t.wait_gone(r"tier=front", timeout=15)
    assert re.search(r"Labels:\s+app=web", screen)
