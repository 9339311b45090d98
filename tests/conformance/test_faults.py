"""--faults: every fault type seen from the client side (raw HTTP and kubectl), only on resource requests,
deterministic per --seed, and recorded in the request log."""

import json
import socket
import ssl
import subprocess
import threading
import time

import pytest

from conftest import KUBESIM, PYTHON, read_events

THROTTLE_BODY = b"Too many requests, please try again later.\n"
GONE = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
        "message": "The resourceVersion for the provided watch is too old.", "reason": "Expired", "code": 410}
DISCOVERY = ["/version", "/api", "/api/v1", "/apis", "/apis/apps", "/apis/apps/v1", "/openapi/v3", "/healthz",
             "/openapi/v3/api/v1"]


@pytest.fixture(scope="module")
def flaky(make_sim):
    return make_sim(args=["--faults", "throttle=40,error=20", "--seed", "21", "--no-controllers"])


def statuses(sim, n, path="/api/v1/namespaces/default/configmaps"):
    """n GETs on one keep-alive connection: [(status, headers, body)]."""
    out = []
    c = sim.conn()
    try:
        for _ in range(n):
            c.request("GET", path, headers={"Authorization": "Bearer " + sim.token, "Accept": "application/json"})
            r = c.getresponse()
            out.append((r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()))
    finally:
        c.close()
    return out


def test_throttle_and_error_on_resource_requests(flaky):
    res = statuses(flaky, 300)
    codes = [st for st, _, _ in res]
    n429, n500, n200 = codes.count(429), codes.count(500), codes.count(200)
    assert n429 + n500 + n200 == 300
    assert 0.30 * 300 < n429 < 0.50 * 300, (n429, n500, n200)
    assert 0.12 * 300 < n500 < 0.28 * 300, (n429, n500, n200)
    for st, hdrs, body in res:
        if st == 429:
            # the API Priority and Fairness filter: plain text, not a Status
            assert body == THROTTLE_BODY
            assert hdrs["retry-after"] == "1"
            assert hdrs["content-type"] == "text/plain; charset=utf-8"
        elif st == 500:
            doc = json.loads(body)
            assert doc["kind"] == "Status" and doc["code"] == 500 and doc["reason"] == "InternalError"
            assert doc["status"] == "Failure"
            assert doc["message"].startswith("Internal error occurred: ")
        else:
            assert json.loads(body)["kind"] == "ConfigMapList"
    # watches and writes are resource requests too
    res = set()
    for _ in range(30):
        res.add(flaky.request("GET", "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1")[0])
        if {200, 429, 500} <= res:
            break
    assert res == {200, 429, 500}
    logged = [r["status"] for r in flaky.requests_logged() if r["path"] == "/api/v1/namespaces/default/configmaps"]
    assert logged.count(429) >= n429 and logged.count(500) >= n500


def test_discovery_and_version_never_faulted(flaky):
    for _ in range(12):
        for path in DISCOVERY:
            st, _, body = flaky.request("GET", path)
            assert st == 200, (path, st, body[:200])


def test_authentication_comes_first(flaky):
    # as in the apiserver's filter chain, a request without credentials is refused (401) before API
    # Priority and Fairness could throttle it
    for _ in range(20):
        st, _, body = flaky.request("GET", "/api/v1/namespaces/default/configmaps", token=False)
        assert st == 401 and json.loads(body)["reason"] == "Unauthorized"


def test_faults_are_deterministic_per_seed(make_sim):
    args = ["--faults", "throttle=30,error=30", "--seed", "5", "--no-controllers"]
    a, b = make_sim(args=args), make_sim(args=args)
    sa = [st for st, _, _ in statuses(a, 80)]
    sb = [st for st, _, _ in statuses(b, 80)]
    assert sa == sb and len(set(sa)) == 3
    c = make_sim(args=["--faults", "throttle=30,error=30", "--seed", "6", "--no-controllers"])
    assert [st for st, _, _ in statuses(c, 80)] != sa


def test_kubectl_retries_throttled_requests(make_sim):
    # with this seed the first two resource requests are throttled, the third is not
    s = make_sim(args=["--faults", "throttle=50", "--seed", "21", "--no-controllers"])
    t0 = time.time()
    res = s.kubectl("get", "configmaps", "-n", "default", "-o", "name", timeout=120)
    assert res.stdout.strip() == "configmap/kube-root-ca.crt"
    assert time.time() - t0 > 2     # client-go waited Retry-After: 1 twice
    lists = [r["status"] for r in s.requests_logged() if r["path"] == "/api/v1/namespaces/default/configmaps"]
    assert lists == [429, 429, 200]


def test_kubectl_reports_internal_errors(make_sim):
    s = make_sim(args=["--faults", "error=100", "--no-controllers"])
    res = s.kubectl("get", "pods", check=False)
    assert res.returncode == 1
    assert "Error from server (InternalError): Internal error occurred: kubesim fault injection" in res.stderr


def raw_watch(sim, path):
    """Speak HTTP/1.1 over TLS by hand, so the exact end of the stream is visible."""
    raw = socket.create_connection((sim.host, sim.port), timeout=15)
    tls = sim.ssl.wrap_socket(raw, server_hostname=sim.host)
    tls.sendall(("GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\nAccept: application/json\r\n\r\n"
                 % (path, sim.host, sim.token)).encode())
    return tls


def read_to_end(tls, limit_s=20):
    data = b""
    how = "eof"
    t0 = time.time()
    while time.time() - t0 < limit_s:
        try:
            chunk = tls.recv(65536)
        except (ConnectionResetError, ssl.SSLError, OSError) as e:
            how = type(e).__name__
            break
        if not chunk:
            break
        data += chunk
    tls.close()
    return data, how


def test_drop_watch_cuts_the_connection(make_sim):
    s = make_sim(args=["--faults", "drop-watch=1.5", "--no-controllers"])
    t0 = time.time()
    data, how = read_to_end(raw_watch(s, "/api/v1/namespaces?watch=1&timeoutSeconds=30"))
    took = time.time() - t0
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b"Transfer-Encoding: chunked" in data
    assert b'"type":"ADDED"' in data
    # cut well before the watch's own deadline, and not as the end of a response: no final chunk
    assert took < 5
    assert not data.endswith(b"0\r\n\r\n"), (how, data[-40:])
    # kubectl's watch just ends (exit 0, nothing printed: the silent end the reliability notes warn about)
    t0 = time.time()
    res = s.kubectl("get", "namespaces", "-w", timeout=30)
    assert time.time() - t0 < 6
    assert "kube-system" in res.stdout
    faults = [r for r in s.requests_logged() if r.get("fault") == "drop-watch"]
    assert len(faults) >= 2 and all(r["status"] == 0 for r in faults)


def test_gone_sends_410_and_ends_cleanly(make_sim):
    s = make_sim(args=["--faults", "gone=1.5", "--no-controllers"])
    c, r = s.watch("/api/v1/namespaces?watch=1&allowWatchBookmarks=true&timeoutSeconds=30", timeout=30)
    t0 = time.time()
    try:
        evs = read_events(r, limit_s=10)
        ended = r.readline() == b""
    finally:
        c.close()
    assert time.time() - t0 < 5
    assert [e["type"] for e in evs[:-1]] == ["ADDED"] * (len(evs) - 1)
    assert evs[-1] == {"type": "ERROR", "object": GONE}
    assert ended
    # kubectl prints the Status as a row and ends
    res = s.kubectl("get", "namespaces", "-w", timeout=30)
    assert "Failure" in res.stdout and "Expired" in res.stdout and "too old" in res.stdout
    assert any(r.get("fault") == "gone" and r["status"] == 410 for r in s.requests_logged())


def test_stall_goes_silent_then_delivers_everything_in_order(make_sim):
    s = make_sim(args=["--faults", "stall=1.5", "--no-controllers"])
    s.json("POST", "/api/v1/namespaces", {"metadata": {"name": "stall"}}, expect=201)
    _, lst = s.json("GET", "/api/v1/namespaces/stall/configmaps", expect=200)
    c, r = s.watch("/api/v1/namespaces/stall/configmaps?watch=1&resourceVersion=%s&timeoutSeconds=6"
                   % lst["metadata"]["resourceVersion"], timeout=30)
    arrivals = []

    def reader():
        while True:
            line = r.readline()
            if not line:
                return
            arrivals.append((time.time(), json.loads(line)))
    t = threading.Thread(target=reader, daemon=True)
    t.start()
    made = []
    for i in range(20):      # 4 s, which cover the silent window [1.5 s, 3 s) after the start
        s.json("POST", "/api/v1/namespaces/stall/configmaps", {"metadata": {"name": "cm-%02d" % i}}, expect=201)
        made.append(time.time())
        time.sleep(0.2)
    t.join(20)               # the watch ends at its timeoutSeconds, not closed by the stall
    assert not t.is_alive()
    c.close()
    names = [e["object"]["metadata"]["name"] for _, e in arrivals]
    assert names == ["cm-%02d" % i for i in range(20)]            # nothing lost, nothing reordered
    assert all(e["type"] == "ADDED" for _, e in arrivals)
    gaps = [b[0] - a[0] for a, b in zip(arrivals, arrivals[1:])]
    lags = [at - mk for (at, _), mk in zip(arrivals, made)]
    assert max(gaps) > 0.9, gaps       # silence while changes kept happening
    assert max(lags) > 0.9 and min(lags) < 0.5, lags
    assert any(r.get("fault") == "stall" for r in s.requests_logged())


def test_bad_spec_and_help():
    res = subprocess.run([PYTHON, KUBESIM, "--faults", "throttle=120"], capture_output=True, text=True, timeout=30)
    assert res.returncode == 2 and "--faults: throttle=120" in res.stderr
    res = subprocess.run([PYTHON, KUBESIM, "--faults", "explode=1"], capture_output=True, text=True, timeout=30)
    assert res.returncode == 2 and "unknown fault 'explode'" in res.stderr
    res = subprocess.run([PYTHON, KUBESIM, "--help"], capture_output=True, text=True, timeout=30)
    text = " ".join(res.stdout.split())
    assert "drop-watch=S" in text and "stall=S" in text
    assert "never /version, /api, /apis, /openapi or /healthz" in text
