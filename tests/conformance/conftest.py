"""Fixtures for the kubectl conformance suite: start kubesim, run the real kubectl against it.

Every kubectl run gets a fresh HOME and KUBECACHEDIR (kubectl caches discovery for hours).
Fixture manifests may contain relative times written "@now-125m30s" (units d, h, m, s); they are
replaced by absolute RFC3339 timestamps when the simulator starts, so ages are predictable.
"""

import http.client
import json
import os
import re
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

import pytest
import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KUBESIM = os.path.join(ROOT, "tests", "kubesim", "kubesim.py")
FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
PYTHON = "/usr/bin/python3"
KUBECTL = shutil.which("kubectl") or "/usr/bin/kubectl"

_REL = re.compile(r"@now(?:-((?:\d+[dhms])+))?")


def _rel_seconds(spec):
    total = 0
    for n, unit in re.findall(r"(\d+)([dhms])", spec or ""):
        total += int(n) * {"d": 86400, "h": 3600, "m": 60, "s": 1}[unit]
    return total


def render_fixture(path, out_dir, now=None):
    """Copy a fixture, replacing @now-<duration> with absolute UTC timestamps."""
    now = time.time() if now is None else now
    with open(path) as f:
        text = f.read()

    def sub(m):
        t = int(now) - _rel_seconds(m.group(1))
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))
    text = _REL.sub(sub, text)
    out = os.path.join(out_dir, os.path.basename(path))
    with open(out, "w") as f:
        f.write(text)
    return out


class Sim:
    """A running kubesim plus helpers to talk to it."""

    def __init__(self, workdir, objects=(), args=()):
        self.workdir = workdir
        self.ready = os.path.join(workdir, "ready")
        self.kubeconfig = os.path.join(workdir, "kubeconfig")
        self.request_log = os.path.join(workdir, "requests.log")
        self.stderr_path = os.path.join(workdir, "kubesim.stderr")
        rendered = [render_fixture(os.path.join(FIXTURES, o) if not os.path.isabs(o) else o, workdir)
                    for o in objects]
        cmd = [PYTHON, KUBESIM, "--port", "0", "--ready-file", self.ready, "--kubeconfig-out", self.kubeconfig,
               "--request-log", self.request_log] + list(args)
        if rendered:
            cmd += ["--objects"] + rendered
        self.cmd = cmd
        self._stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=self._stderr)
        deadline = time.time() + 30
        while not os.path.exists(self.ready):
            if self.proc.poll() is not None:
                raise RuntimeError("kubesim exited %s: %s" % (self.proc.returncode, self.stderr()))
            if time.time() > deadline:
                raise RuntimeError("kubesim did not become ready: %s" % self.stderr())
            time.sleep(0.05)
        with open(self.ready) as f:
            self.url = f.read().strip()
        with open(self.kubeconfig) as f:
            cfg = yaml.safe_load(f)
        self.token = cfg["users"][0]["user"].get("token")
        import base64
        ca = base64.b64decode(cfg["clusters"][0]["cluster"]["certificate-authority-data"])
        self.ca_file = os.path.join(workdir, "ca.crt")
        with open(self.ca_file, "wb") as f:
            f.write(ca)
        u = urllib.parse.urlsplit(self.url)
        self.host, self.port = u.hostname, u.port
        self.ssl = ssl.create_default_context(cafile=self.ca_file)

    def stderr(self):
        try:
            with open(self.stderr_path) as f:
                return f.read()
        except OSError:
            return ""

    # ---- kubectl -------------------------------------------------------------------------------

    def kubectl(self, *args, check=True, input=None, timeout=60, binary=None):
        home = tempfile.mkdtemp(prefix="kubectl-home-", dir=self.workdir)
        env = dict(os.environ)
        env["HOME"] = home
        env["KUBECACHEDIR"] = os.path.join(home, "cache")
        env.pop("KUBECONFIG", None)
        cmd = [binary or KUBECTL, "--kubeconfig", self.kubeconfig] + list(args)
        res = subprocess.run(cmd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                             timeout=timeout, text=True)
        if check and res.returncode != 0:
            raise AssertionError("kubectl %s failed (%d):\nstdout:\n%s\nstderr:\n%s"
                                 % (" ".join(args), res.returncode, res.stdout, res.stderr))
        return res

    def kubectl_popen(self, *args):
        home = tempfile.mkdtemp(prefix="kubectl-home-", dir=self.workdir)
        env = dict(os.environ)
        env["HOME"] = home
        env["KUBECACHEDIR"] = os.path.join(home, "cache")
        env.pop("KUBECONFIG", None)
        return subprocess.Popen([KUBECTL, "--kubeconfig", self.kubeconfig] + list(args), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, text=True)

    # ---- raw HTTP ------------------------------------------------------------------------------

    def conn(self, timeout=30):
        return http.client.HTTPSConnection(self.host, self.port, context=self.ssl, timeout=timeout)

    def request(self, method, path, body=None, headers=None, token=True, timeout=30):
        """(status, headers dict (lower-case keys), body bytes)."""
        h = {"Accept": "application/json"}
        if token and self.token:
            h["Authorization"] = "Bearer " + self.token
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        h.update(headers or {})
        c = self.conn(timeout)
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def json(self, method, path, body=None, headers=None, expect=None):
        status, hdrs, data = self.request(method, path, body, headers)
        if expect is not None:
            assert status == expect, "%s %s -> %d %s" % (method, path, status, data[:500])
        return status, json.loads(data) if data else None

    def watch(self, path, timeout=30, headers=None):
        """Open a watch; returns (connection, response) for line-by-line reading."""
        h = {"Accept": "application/json", "Authorization": "Bearer " + self.token}
        h.update(headers or {})
        c = self.conn(timeout)
        c.request("GET", path, headers=h)
        return c, c.getresponse()

    def requests_logged(self):
        with open(self.request_log) as f:
            return [json.loads(line) for line in f if line.strip()]

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._stderr.close()


def read_events(resp, n=None, until=None, limit_s=20):
    """Read newline-delimited watch events from an http.client response."""
    events = []
    t0 = time.time()
    while time.time() - t0 < limit_s:
        line = resp.readline()
        if not line:
            break
        line = line.strip()
        if not line:
            continue
        ev = json.loads(line)
        events.append(ev)
        if n is not None and len(events) >= n:
            break
        if until is not None and until(ev):
            break
    return events


@pytest.fixture(scope="module")
def make_sim(tmp_path_factory):
    sims = []

    def make(objects=(), args=()):
        d = str(tmp_path_factory.mktemp("kubesim"))
        s = Sim(d, objects, args)
        sims.append(s)
        return s
    yield make
    for s in sims:
        s.stop()
        assert "Traceback" not in s.stderr(), "kubesim logged a traceback:\n" + s.stderr()


@pytest.fixture(scope="module")
def sim(make_sim):
    """A plain kubesim with controllers on and the default objects."""
    return make_sim()


def table_rows(out):
    """kubectl table output -> (header list, [row dict]) splitting on runs of >=2 spaces... as kubectl
    pads with at least 3 spaces between columns and cells never contain two consecutive spaces."""
    lines = [ln for ln in out.splitlines() if ln.strip()]
    if not lines:
        return [], []
    header = re.split(r"\s{2,}", lines[0].strip())
    starts = []
    pos = 0
    for h in header:
        pos = lines[0].index(h, pos)
        starts.append(pos)
        pos += len(h)
    rows = []
    for ln in lines[1:]:
        cells = []
        for i, s in enumerate(starts):
            e = starts[i + 1] if i + 1 < len(starts) else None
            cells.append(ln[s:e].strip() if e is not None else ln[s:].strip())
        rows.append(dict(zip(header, cells)))
    return header, rows


sys.path.insert(0, os.path.join(ROOT, "tests", "kubesim"))
