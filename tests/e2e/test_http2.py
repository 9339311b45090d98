"""HTTP/2, which every real API server speaks (kubesim speaks HTTP/1.1): watches multiplexed on
one connection, and what happens when that connection goes silent without being closed (a VPN
or NAT that dropped the flow). The watches must notice (TIMON_WATCH_STALL_TIMEOUT), and their
new requests must not be multiplexed onto the dead connection again: curl keeps it open while
other streams use it, and every retry used to time out on it in turn, for good.

The server and the freezing proxy are node scripts (tests/e2e/h2); the client is timon's own
(build/h2watch, two reflectors)."""
import os
import re
import subprocess
import time


ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

H2 = os.path.join(ROOT, "tests", "e2e", "h2")
H2WATCH = os.path.join(ROOT, "build", "h2watch")


def start(argv, log):
    out = open(log, "w")
    p = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, cwd=H2)
    deadline = time.time() + 10
    while time.time() < deadline:
        m = re.search(r"^PORT (\d+)$", open(log).read(), re.M)
        if m:
            return p, int(m.group(1))
        time.sleep(0.05)
    p.kill()
    raise AssertionError(f"{argv} did not start: {open(log).read()}")


def test_watches_leave_a_silent_http2_connection(tmp_path):
    cert, key = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"],
                   check=True, capture_output=True)
    slog, plog = str(tmp_path / "server.log"), str(tmp_path / "proxy.log")
    server, sport = start(["node", "server.js", cert, key], slog)
    proxy, pport = start(["node", "proxy.js", str(sport), "4000"], plog)
    try:
        env = dict(os.environ, TIMON_WATCH_STALL_TIMEOUT="3")
        out = subprocess.run([H2WATCH, str(pport), "25"], env=env, capture_output=True,
                             text=True, timeout=60).stdout
    finally:
        proxy.kill()
        server.kill()
    slines, plines = open(slog).read().splitlines(), open(plog).read().splitlines()
    # Both watches started on one HTTP/2 connection (they wait for it rather than open two).
    first = [l for l in slines if "session=1 " in l]
    assert any("pods?watch=1" in l for l in first) and any("services?watch=1" in l
                                                            for l in first), slines
    assert any("connection 1 frozen" in l for l in plines), plines
    frozen_at = float(next(l for l in plines if "frozen" in l).split()[0])
    # After the stall both watches came back on a new connection, within seconds.
    later = [l for l in slines if re.search(r"session=[2-9] ", l)]
    assert any("pods?watch=1" in l for l in later), (slines, out)
    assert any("services?watch=1" in l for l in later), (slines, out)
    opened_at = float(next(l for l in plines if "connection 2 opened" in l).split()[0])
    assert opened_at - frozen_at < 15, (plines, slines)
    # And they are live at the end.
    m = re.search(r"watches: pods=(\d+) services=(\d+)", out)
    assert m and int(m.group(1)) >= 2 and int(m.group(2)) >= 2, out
    tail = [l for l in out.splitlines() if l and not l.startswith("watches")]
    last = {}
    for l in tail:
        parts = l.split()
        last[parts[1]] = parts[2]
    assert last == {"pods": "watching", "services": "watching"}, out
