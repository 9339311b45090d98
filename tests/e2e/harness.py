"""End-to-end harness: a kubesim process, the real kubectl, and timon in a private tmux server.

Every kubectl call gets a fresh HOME and KUBECACHEDIR (the dispatcher caches discovery for
hours). timon runs in its own tmux server (-L with a unique socket) at a fixed size; tests send
keys and wait for screen text.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PYTHON = "/usr/bin/python3"
KUBESIM = os.path.join(ROOT, "tests", "kubesim", "kubesim.py")
TIMON = os.environ.get("TIMON_BIN", os.path.join(ROOT, "build", "timon"))


class KubeSim:
    """A running kubesim with its kubeconfig, request log and a kubectl helper."""

    def __init__(self, *args, workdir=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="timon-e2e-")
        os.makedirs(self.dir, exist_ok=True)
        self.ready = os.path.join(self.dir, "ready")
        self.kubeconfig = os.path.join(self.dir, "kubeconfig")
        self.request_log = os.path.join(self.dir, "requests.log")
        self.stderr = open(os.path.join(self.dir, "kubesim.stderr"), "wb")
        cmd = [PYTHON, KUBESIM, "--port", "0", "--ready-file", self.ready,
               "--kubeconfig-out", self.kubeconfig, "--request-log", self.request_log,
               *args]
        self.proc = subprocess.Popen(cmd, stdout=self.stderr, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + 30
        while not os.path.exists(self.ready):
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError("kubesim did not start: " + self.log_tail())
            time.sleep(0.05)
        with open(self.ready) as f:
            self.url = f.read().strip()
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home, exist_ok=True)

    def log_tail(self):
        try:
            with open(os.path.join(self.dir, "kubesim.stderr"), "rb") as f:
                return f.read()[-2000:].decode(errors="replace")
        except OSError:
            return ""

    def kubectl(self, *args, check=True, timeout=60):
        home = tempfile.mkdtemp(prefix="home-", dir=self.dir)
        env = dict(os.environ, HOME=home, KUBECACHEDIR=os.path.join(home, "cache"),
                   KUBECONFIG=self.kubeconfig)
        r = subprocess.run(["kubectl", "--kubeconfig", self.kubeconfig, *args], env=env,
                           capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise AssertionError(f"kubectl {' '.join(args)} failed: {r.stderr}")
        return r

    def requests(self):
        out = []
        if os.path.exists(self.request_log):
            with open(self.request_log) as f:
                for line in f:
                    line = line.strip()
                    if line:
                        out.append(json.loads(line))
        return out

    def stop(self):
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.stderr.close()


class Tui:
    """timon running in a private tmux server."""

    def __init__(self, args, cols=120, rows=40, env=None, workdir=None):
        self.dir = workdir or tempfile.mkdtemp(prefix="timon-tui-")
        os.makedirs(self.dir, exist_ok=True)
        self.socket = "timon-" + uuid.uuid4().hex[:12]
        self.status_file = os.path.join(self.dir, "exit-status")
        self.home = os.path.join(self.dir, "home")
        os.makedirs(self.home, exist_ok=True)
        base_env = {"HOME": self.home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
                    "TERM": "xterm-256color", "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        base_env.update(env or {})
        exports = " ".join(f"{k}={shquote(v)}" for k, v in base_env.items())
        cmd = " ".join(shquote(a) for a in [TIMON, *args])
        script = f"env -i {exports} {cmd}; echo $? > {shquote(self.status_file)}; sleep 600"
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(cols), "-y", str(rows),
                  "sh", "-c", script)
        self.tmux("set-option", "-g", "status", "off")

    def tmux(self, *args, check=True):
        r = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        if check and r.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {r.stderr}")
        return r

    def screen(self, escapes=False):
        args = ["capture-pane", "-p"] + (["-e"] if escapes else [])
        return self.tmux(*args).stdout

    def send(self, *keys):
        """Keys in tmux send-keys syntax (e.g. "j", "Enter", "C-c", "PageDown")."""
        self.tmux("send-keys", *keys)

    def type(self, text):
        self.tmux("send-keys", "-l", "--", text)

    def wait_for(self, pattern, timeout=10):
        """Waits until the screen matches a regex (or contains a string); returns the screen."""
        rx = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if rx.search(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {rx.pattern!r}; screen was:\n{screen}")

    def wait_gone(self, pattern, timeout=10):
        rx = re.compile(pattern)
        deadline = time.time() + timeout
        screen = ""
        while time.time() < deadline:
            screen = self.screen()
            if not rx.search(screen):
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{rx.pattern!r} still on screen:\n{screen}")

    def resize(self, cols, rows):
        self.tmux("resize-window", "-x", str(cols), "-y", str(rows))

    def exit_status(self, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if os.path.exists(self.status_file):
                with open(self.status_file) as f:
                    text = f.read().strip()
                if text:
                    return int(text)
            time.sleep(0.05)
        return None

    def stop(self):
        self.tmux("kill-server", check=False)


def shquote(s):
    return "'" + str(s).replace("'", "'\"'\"'") + "'"


def run_timon(*args, env=None, timeout=60):
    """Runs a one-shot timon command and returns the CompletedProcess."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run([TIMON, *args], capture_output=True, text=True, env=full_env,
                          timeout=timeout)


def cleanup(path):
    shutil.rmtree(path, ignore_errors=True)
