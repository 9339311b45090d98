"""The TUI against kubesim in tmux: live pods, navigation, quitting, resizing, reconnecting."""
import os
import re
import shlex
import signal
import subprocess
import time

from harness import run_timon
from conftest import FIXTURES

STATES = os.path.join(FIXTURES, "pod-states.yaml")


def start(tui, sim, *extra, **kw):
    t = tui(["--kubeconfig", sim.kubeconfig, *extra], **kw)
    return t


def selected_line(t):
    """The row drawn in reverse video (NO_COLOR makes selection an attribute)."""
    for line in t.screen(escapes=True).splitlines():
        if "\x1b[7m" in line:
            return re.sub(r"\x1b\[[0-9;]*m", "", line)
    return None


def test_pods_appear_with_header_and_title(kubesim, tui):
    sim = kubesim("--no-controllers", "--objects", STATES)
    t = start(tui, sim, "-n", "states")
    screen = t.wait_for(r"pods\(states\)\[23\]")
    assert re.search(r"Context:\s+kubesim", screen)
    assert re.search(r"Cluster:\s+kubesim", screen)
    assert sim.url in screen
    assert re.search(r"Namespace:\s+states", screen)
    for col in ["NAME", "READY", "STATUS", "RESTARTS", "IP", "NODE", "AGE"]:
        assert col in screen
    assert "NAMESPACE" not in screen.split("pods(states)")[1]
    assert "CrashLoopBackOff" in screen and "Init:1/3" in screen


def test_all_namespaces_title_and_column(kubesim, tui):
    sim = kubesim("--no-controllers", "--objects", STATES)
    t = start(tui, sim, "-A")
    screen = t.wait_for(r"pods\(all\)\[[1-9]\d*\]")  # the list is in, not the first empty frame
    body = screen.split("pods(all)")[1]
    assert "NAMESPACE" in body and "states" in body


def test_live_create_and_delete(kubesim, tui):
    """A pod created or deleted on the server shows up on screen within a second, no key pressed."""
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)\[0\]")
    sim.kubectl("run", "live-one", "--image=nginx")
    t0 = time.time()
    t.wait_for(r"live-one", timeout=5)
    appeared = time.time() - t0
    t.wait_for(r"pods\(default\)\[1\]")
    t.wait_for(r"live-one\s+1/1\s+Running", timeout=15)
    sim.kubectl("delete", "pod", "live-one")  # returns once the server has removed it
    t0 = time.time()
    t.wait_gone(r"live-one", timeout=5)
    gone = time.time() - t0
    t.wait_for(r"pods\(default\)\[0\]")
    assert appeared < 1.0, f"the new pod took {appeared:.2f}s to appear"
    assert gone < 1.0, f"the deleted pod took {gone:.2f}s to disappear"


def test_age_ticks_by_itself(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    sim.kubectl("run", "ticker", "--image=nginx")
    screen = t.wait_for(r"ticker.*\s(\d+)s\s*│")
    first = int(re.search(r"ticker.*\s(\d+)s\s*│", screen).group(1))
    time.sleep(2.5)
    screen = t.screen()
    later = int(re.search(r"ticker.*\s(\d+)s\s*│", screen).group(1))
    assert later >= first + 2


def test_navigation_keys(kubesim, tui):
    sim = kubesim("--no-controllers", "--objects", STATES)
    t = start(tui, sim, "-n", "states", env={"NO_COLOR": "1"}, rows=20)
    t.wait_for(r"pods\(states\)\[23\]")
    assert selected_line(t).split("│")[1].split()[0] == "completed"
    t.send("j")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "completed-ready"
    t.send("Down")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "crashloop"
    t.send("k")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "completed-ready"
    t.send("G")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "web-10"
    t.send("g")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "completed"
    t.send("PageDown")
    time.sleep(0.2)
    after_page = selected_line(t).split("│")[1].split()[0]
    assert after_page not in ("completed", "completed-ready")
    t.send("PageUp")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "completed"
    t.send("Up")
    time.sleep(0.2)
    assert selected_line(t).split("│")[1].split()[0] == "completed"


def test_quit_with_q_restores_terminal(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)")
    t.send("q")
    assert t.exit_status() == 0
    t.wait_gone(r"Context:")


def test_quit_with_colon_q(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)")
    t.send(":")
    t.type("q")
    t.wait_for(r":\s*q")
    t.send("Enter")
    assert t.exit_status() == 0


def test_unknown_command_flashes(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)")
    t.send(":")
    t.type("nope")
    t.send("Enter")
    t.wait_for(r"unknown command.*nope")
    t.send(":")
    t.send("Escape")
    time.sleep(0.3)
    assert t.exit_status(timeout=0.1) is None


def test_quit_with_ctrl_c(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)")
    t.send("C-c")
    assert t.exit_status() == 0
    t.wait_gone(r"Context:")


def timon_pid(t):
    pane = t.tmux("list-panes", "-F", "#{pane_pid}").stdout.strip()
    out = subprocess.run(["pgrep", "-P", pane], capture_output=True, text=True).stdout.split()
    return int(out[0])


def test_sigterm_restores_terminal(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)")
    os.kill(timon_pid(t), signal.SIGTERM)
    assert t.exit_status() == 0
    t.wait_gone(r"Context:")


def test_fatal_signal_restores_terminal(kubesim, tui):
    sim = kubesim()
    t = start(tui, sim)
    t.wait_for(r"pods\(default\)")
    os.kill(timon_pid(t), signal.SIGSEGV)
    assert t.exit_status() == 128 + signal.SIGSEGV
    t.wait_gone(r"Context:")


def test_out_of_memory_restores_terminal(kubesim, tui):
    """An allocation that fails ends timon through xalloc's hook: the terminal is restored (the
    screen leaves the alternate buffer) before the one-line message and the abort. The address
    space is capped just above what timon uses, then the filter prompt asks for a few hundred KB
    (the text a filter searches, at 5,000 rows)."""
    sim = kubesim("--no-controllers", "--pods", "5000", "--namespaces", "50", "--nodes", "200")
    t = start(tui, sim, "-A")
    t.wait_for(r"pods\(all\)\[5000\]", timeout=60)
    pid = timon_pid(t)
    with open(f"/proc/{pid}/status") as f:
        vsz_kib = int(next(l for l in f if l.startswith("VmSize:")).split()[1])
    subprocess.run(["prlimit", f"--pid={pid}", f"--as={(vsz_kib + 64) * 1024}"], check=True)
    t.send("/")
    assert t.exit_status(timeout=20) == 128 + signal.SIGABRT
    screen = t.wait_gone(r"Context:")
    assert "timon: fatal: out of memory" in t.screen(), t.screen()


def test_resize_to_tiny_and_back(kubesim, tui):
    sim = kubesim("--no-controllers", "--objects", STATES)
    t = start(tui, sim, "-n", "states")
    t.wait_for(r"pods\(states\)\[23\]")
    for cols, rows in [(1, 1), (2, 1), (1, 5), (10, 3), (5, 2), (30, 8), (1, 1), (200, 60),
                       (40, 12)]:
        t.resize(cols, rows)
        time.sleep(0.15)
        t.send("j")
    t.resize(120, 40)
    t.wait_for(r"pods\(states\)\[23\]")
    assert t.exit_status(timeout=0.1) is None
    t.send("q")
    assert t.exit_status() == 0


def test_unreachable_server_never_opens_a_blank_screen(kubesim, tmp_path):
    sim = kubesim()
    text = open(sim.kubeconfig).read()
    port = sim.url.rsplit(":", 1)[1]
    closed = tmp_path / "closed.yaml"
    closed.write_text(text.replace(":" + port, ":1"))
    r = run_timon("--kubeconfig", str(closed))
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1
    assert "connection refused" in r.stderr


def test_bad_kubeconfig_or_context_never_opens_a_blank_screen(kubesim, tmp_path):
    """The TUI (no command word) on a missing file, an unreadable one, a file that is not a
    kubeconfig, and a context that is not in it: exit 1 and one line, before any screen."""
    sim = kubesim()
    unreadable = tmp_path / "unreadable.yaml"
    unreadable.write_text(open(sim.kubeconfig).read())
    unreadable.chmod(0)
    garbage = tmp_path / "garbage.yaml"
    garbage.write_text("clusters: [\n")
    cases = [(["--kubeconfig", str(tmp_path / "missing.yaml")], "missing.yaml"),
             (["--kubeconfig", str(garbage)], "garbage.yaml"),
             (["--kubeconfig", sim.kubeconfig, "--context", "elsewhere"], "elsewhere")]
    if os.geteuid() != 0:  # root reads anything
        cases.append((["--kubeconfig", str(unreadable)], "unreadable.yaml"))
    for args, word in cases:
        r = run_timon(*args)
        assert r.returncode == 1, (args, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1, (args, r.stderr)
        assert word in r.stderr, (args, r.stderr)
        assert "\x1b[" not in r.stdout, args      # no screen was ever drawn


def test_lost_watch_shows_reconnecting_and_recovers(kubesim, tui, tmp_path):
    state = str(tmp_path / "state")
    sim = kubesim("--state-dir", state)
    port = sim.url.rsplit(":", 1)[1]
    sim.kubectl("run", "survivor", "--image=nginx")
    t = start(tui, sim)
    t.wait_for(r"survivor")
    t.wait_for(r"Watch:\s+live")
    sim.stop()
    t.wait_for(r"reconnecting", timeout=15)
    assert t.exit_status(timeout=0.1) is None
    sim2 = kubesim("--state-dir", state, "--port", port)
    sim2.kubectl("run", "newcomer", "--image=nginx")
    t.wait_for(r"newcomer", timeout=40)
    t.wait_for(r"Watch:\s+live", timeout=10)
    # The restarted server has no "survivor": the relist removed it, and no ghost row stays.
    t.wait_gone(r"survivor", timeout=3)


def test_make_demo_script(tmp_path):
    """What make demo runs after building: the demo cluster comes up, timon opens on it with
    every namespace, q quits with 0, and the cluster is stopped and its files gone."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    sock = "timon-demo-" + str(os.getpid())
    status = tmp_path / "status"
    script = (f"cd {shlex.quote(root)} && TMPDIR={shlex.quote(str(tmp_path))} "
              f"tests/kubesim/demo.sh build/timon; echo $? > {shlex.quote(str(status))}; sleep 60")
    tmux = ["tmux", "-L", sock]
    subprocess.run(tmux + ["-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "45",
                           "env", "TERM=xterm-256color", "LANG=C.UTF-8", "sh", "-c", script],
                   check=True)
    try:
        deadline, screen = time.time() + 60, ""
        while time.time() < deadline and not re.search(r"pods\(all\)\[[1-9]", screen):
            time.sleep(0.3)
            screen = subprocess.run(tmux + ["capture-pane", "-p"], capture_output=True,
                                    text=True).stdout
        assert re.search(r"pods\(all\)\[[1-9]", screen), screen
        subprocess.run(tmux + ["send-keys", "q"], check=True)
        deadline = time.time() + 20
        while time.time() < deadline and not status.exists():
            time.sleep(0.2)
        assert status.read_text().strip() == "0"
        assert [p for p in os.listdir(tmp_path) if p.startswith("timon-demo.")] == []
        left = subprocess.run(["pgrep", "-f", str(tmp_path) + "/timon-demo"],
                              capture_output=True, text=True).stdout
        assert left == "", left
    finally:
        subprocess.run(tmux + ["kill-server"], capture_output=True)
