"""pods/log against kubectl 1.32: container choice, previous, tail/since/timestamps/limit-bytes, follow,
multi-pod selection, the apiserver's and the kubelet's errors, and kubesim's stress annotations.

The `frozen` server loads pods with hand-written statuses (fixtures/logs/logs-pods.yaml) under
--no-controllers; the `live` server runs the kubelet simulation for following, crashes and deletion.
"""

import datetime
import json
import re
import time

import pytest

RATE = 2          # --log-rate of the frozen server (lines per second per container)
TS = re.compile(rb"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.(\d{1,9}))?Z ")


def ts_ns(line):
    """The RFC3339Nano prefix of a --timestamps line, in nanoseconds since the epoch."""
    m = TS.match(line)
    assert m, line[:80]
    base = datetime.datetime.strptime(m.group(1).decode(), "%Y-%m-%dT%H:%M:%S").replace(
        tzinfo=datetime.timezone.utc)
    frac = (m.group(3) or b"0").decode().ljust(9, "0")
    return int(base.timestamp()) * 10 ** 9 + int(frac)


def raw_log(sim, pod, query="", timeout=30):
    return sim.request("GET", "/api/v1/namespaces/default/pods/%s/log%s" % (pod, ("?" + query) if query else ""),
                       timeout=timeout)


def is_run(sub, seq):
    """sub appears in seq as consecutive items."""
    n = len(sub)
    return any(seq[i:i + n] == sub for i in range(len(seq) - n + 1))


def lines_of(data):
    assert data.endswith(b"\n") or not data
    return data.split(b"\n")[:-1] if data else []


@pytest.fixture(scope="module")
def frozen(make_sim):
    t0 = time.time()        # the fixture's "@now" (rendered when kubesim starts)
    s = make_sim(objects=["logs/logs-pods.yaml"], args=["--no-controllers", "--log-rate", str(RATE)])
    s.t0 = t0
    return s


@pytest.fixture(scope="module")
def live(make_sim):
    return make_sim(args=["--log-rate", "20"])


# ---- content and the virtual clock ------------------------------------------------------------------

def test_logs_are_deterministic_and_only_grow(frozen):
    a = frozen.kubectl("logs", "multi", "-c", "app", "--timestamps").stdout.encode()
    time.sleep(0.6)
    b = frozen.kubectl("logs", "multi", "-c", "app", "--timestamps").stdout.encode()
    la, lb = lines_of(a), lines_of(b)
    assert len(la) > 1000     # ~9m50s at 2 lines/s, plus the start-up banner
    assert lb[:len(la)] == la, "a later request must repeat the earlier lines byte for byte"
    times = [ts_ns(ln) for ln in lb]
    assert times == sorted(times)
    started = frozen.t0 - 9 * 60 - 50
    assert abs(times[0] / 1e9 - started) < 2     # the clock starts at the container's startedAt
    assert time.time() - times[-1] / 1e9 < 1.5        # ... and reaches now
    # the steady rate is --log-rate: lines of the last 5 minutes
    recent = [t for t in times if t / 1e9 > time.time() - 300]
    assert abs(len(recent) - 300 * RATE) <= 3 * RATE


def test_content_is_a_realistic_mix(frozen):
    out = frozen.request("GET", "/api/v1/namespaces/default/pods/multi/log?container=app")[2]
    lines = lines_of(out)
    text = out.decode("utf-8")
    # a stack trace somewhere, some ANSI colour, some markup-looking text, some long lines
    assert re.search(r"^(\tat |goroutine \d+ \[running\]:|Traceback \(most recent call last\):|    at )", text, re.M)
    assert "\x1b[" in text
    assert re.search(r"\[(red|yellow|blue)[^\]]*\]|<b>|\*\*markdown", text)
    assert max(len(ln) for ln in lines) > 1000
    # the sidecar is nginx: its start-up banner and access-log lines
    side = frozen.kubectl("logs", "multi", "-c", "sidecar", "--tail=-1").stdout
    assert side.startswith("/docker-entrypoint.sh: ")
    assert re.search(r'^\d+\.\d+\.\d+\.\d+ - - \[\d\d/\w{3}/\d{4}:\d\d:\d\d:\d\d \+0000\] "(GET|POST|PUT|DELETE|PATCH) ',
                     side, re.M)
    # different containers, different logs
    assert side.encode() != out


def test_tail_since_and_timestamps_agree(frozen):
    full = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--timestamps").stdout.encode())
    tail = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--timestamps", "--tail=7").stdout.encode())
    assert len(tail) == 7
    later = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--timestamps").stdout.encode())
    i = later.index(tail[0])
    assert later[i:i + 7] == tail
    assert later[:len(full)] == full
    # --since-time: exactly the lines at or after that instant
    since_ns = ts_ns(full[len(full) // 2]) - 1
    since = datetime.datetime.fromtimestamp(since_ns // 10 ** 9, datetime.timezone.utc).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    got = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--timestamps", "--since-time=" + since).stdout.encode())
    cut = (since_ns // 10 ** 9) * 10 ** 9
    expect = [ln for ln in later if ts_ns(ln) >= cut]
    assert got[:len(expect)] == expect and got
    # --since=1m: about a minute of lines, all inside the minute
    t0 = time.time()
    got = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--timestamps", "--since=1m").stdout.encode())
    assert all(ts_ns(ln) / 1e9 >= t0 - 60.5 for ln in got)
    assert abs(len(got) - 60 * RATE) <= 2 * RATE
    # the plain output is the timestamped output without its prefix
    plain = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--tail=5").stdout.encode())
    stamped = lines_of(frozen.kubectl("logs", "multi", "-c", "app", "--tail=40", "--timestamps").stdout.encode())
    stripped = [TS.sub(b"", ln) for ln in stamped]
    assert len(plain) == 5 and is_run(plain, stripped)


def test_limit_bytes(frozen):
    out = frozen.kubectl("logs", "multi", "-c", "app", "--limit-bytes=100").stdout.encode()
    assert len(out) == 100
    full = frozen.request("GET", "/api/v1/namespaces/default/pods/multi/log?container=app")[2]
    assert full.startswith(out)
    st, h, body = raw_log(frozen, "multi", "container=app&limitBytes=1&timestamps=true")
    assert st == 200 and body == b"2"
    assert h["content-type"] == "text/plain" and h.get("transfer-encoding") == "chunked"


# ---- which container ---------------------------------------------------------------------------------

def test_default_container_and_annotation(frozen):
    res = frozen.kubectl("logs", "multi", "--tail=3")
    assert 'Defaulted container "app" out of: app, sidecar, init-db (init)' in res.stderr
    got = res.stdout.splitlines()
    assert len(got) == 3 and is_run(got, frozen.kubectl("logs", "multi", "-c", "app", "--tail=8").stdout.splitlines())
    res = frozen.kubectl("logs", "annotated", "--tail=2")
    assert "Defaulted container" not in res.stderr
    got = res.stdout.splitlines()
    assert is_run(got, frozen.kubectl("logs", "annotated", "-c", "sidecar", "--tail=8").stdout.splitlines())
    assert not is_run(got, frozen.kubectl("logs", "annotated", "-c", "app", "--tail=8").stdout.splitlines())


def test_container_errors(frozen):
    st, _, body = raw_log(frozen, "multi")
    doc = json.loads(body)
    assert st == 400 and doc["reason"] == "BadRequest"
    assert doc["message"] == ("a container name must be specified for pod multi, choose one of: [app sidecar] "
                              "or one of the init containers: [init-db]")
    st, _, body = raw_log(frozen, "multi", "container=nope")
    assert st == 400 and json.loads(body)["message"] == "container nope is not valid for pod multi"
    res = frozen.kubectl("logs", "multi", "-c", "nope", check=False)
    assert res.returncode == 1 and "container nope is not valid for pod multi" in res.stderr
    st, _, body = raw_log(frozen, "nosuchpod")
    assert st == 404 and json.loads(body)["message"] == 'pods "nosuchpod" not found'
    res = frozen.kubectl("logs", "nosuchpod", check=False)
    assert res.returncode == 1 and 'pods "nosuchpod" not found' in res.stderr


def test_kubelet_errors(frozen):
    cases = {
        "creating": 'container "app" in pod "creating" is waiting to start: ContainerCreating',
        "badimage": 'container "app" in pod "badimage" is waiting to start: trying and failing to pull image',
        "pulling": 'container "app" in pod "pulling" is waiting to start: image can\'t be pulled',
    }
    for pod, msg in cases.items():
        res = frozen.kubectl("logs", pod, check=False)
        assert res.returncode == 1 and res.stderr.strip() == "Error from server (BadRequest): " + msg, res.stderr
    res = frozen.kubectl("logs", "multi", "-c", "app", "--previous", check=False)
    assert res.returncode == 1
    assert 'previous terminated container "app" in pod "multi" not found' in res.stderr
    # an unscheduled pod has no log location: 204 and nothing printed
    st, _, body = raw_log(frozen, "unscheduled")
    assert st == 204 and body == b""
    res = frozen.kubectl("logs", "unscheduled")
    assert res.stdout == ""
    # the kubelet of a NotReady node cannot be reached
    st, _, body = raw_log(frozen, "lost", "tailLines=3")
    doc = json.loads(body)
    assert st == 500 and "reason" not in doc
    assert doc["message"] == ('Get "https://10.0.0.99:10250/containerLogs/default/lost/app?tailLines=3": '
                              'dial tcp 10.0.0.99:10250: connect: no route to host')


def test_option_validation(frozen):
    bad = {
        "container=app&tailLines=-1": 'PodLogOptions "multi" is invalid: tailLines: Invalid value: -1: must be '
                                      'greater than or equal to 0',
        "container=app&limitBytes=0": 'PodLogOptions "multi" is invalid: limitBytes: Invalid value: 0: must be '
                                      'greater than 0',
        "container=app&sinceSeconds=0": 'PodLogOptions "multi" is invalid: sinceSeconds: Invalid value: 0: must be '
                                        'greater than 0',
        "container=app&sinceSeconds=5&sinceTime=2024-01-01T00:00:00Z":
            'PodLogOptions "multi" is invalid: : Forbidden: at most one of `sinceTime` or `sinceSeconds` may be '
            'specified',
    }
    for q, msg in bad.items():
        st, _, body = raw_log(frozen, "multi", q)
        doc = json.loads(body)
        assert st == 422 and doc["reason"] == "Invalid" and doc["message"] == msg, (q, body)
    for q in ("container=app&tailLines=abc", "container=app&follow=maybe", "container=app&sinceTime=yesterday"):
        st, _, body = raw_log(frozen, "multi", q)
        assert st == 400 and json.loads(body)["reason"] == "BadRequest", (q, body)


# ---- instances ---------------------------------------------------------------------------------------

def test_previous_instance(frozen):
    prev = lines_of(frozen.kubectl("logs", "restarted", "--previous", "--timestamps").stdout.encode())
    cur = lines_of(frozen.kubectl("logs", "restarted", "--timestamps").stdout.encode())
    now = frozen.t0
    # the previous run: from its startedAt to its finishedAt, then how it died
    assert abs(ts_ns(prev[0]) / 1e9 - (now - 20 * 60)) < 2
    assert abs(ts_ns(prev[-1]) / 1e9 - (now - 15 * 60)) < 2
    assert abs(len(prev) - 5 * 60 * RATE) < 30
    tail = b"\n".join(TS.sub(b"", ln) for ln in prev[-8:])
    assert b"panic: " in tail or b"fatal: " in tail or b"Error: Cannot find module" in tail
    assert abs(ts_ns(cur[0]) / 1e9 - (now - 4 * 60)) < 2
    assert prev[5:50] != cur[5:50]
    # crash-looping: the current request reads the last terminated run, as the kubelet does
    backoff = frozen.kubectl("logs", "backoff").stdout
    assert backoff == frozen.kubectl("logs", "backoff", "--previous").stdout
    assert abs(len(lines_of(backoff.encode())) - 30 * RATE) < 15
    # an init container and a completed pod end with their exit lines; -f returns at once
    init = frozen.kubectl("logs", "multi", "-c", "init-db").stdout.splitlines()
    assert init[0] == "starting busybox" and init[-1] == "exiting with status 0"
    t0 = time.time()
    done = frozen.kubectl("logs", "done", "-f", "--tail=2").stdout.splitlines()
    assert time.time() - t0 < 10
    assert len(done) == 2 and "exiting with status 0" in done[-1]


def test_all_containers_prefix_and_selectors(frozen):
    out = frozen.kubectl("logs", "multi", "--all-containers", "--prefix", "--tail=2").stdout.splitlines()
    prefixes = [ln.split(" ", 1)[0] for ln in out]
    # kubectl walks the containers in map order: each one's lines stay together
    assert sorted(prefixes) == ["[pod/multi/app]"] * 2 + ["[pod/multi/init-db]"] * 2 + ["[pod/multi/sidecar]"] * 2
    assert prefixes[0::2] == prefixes[1::2]
    out = frozen.kubectl("logs", "-l", "app=api", "--prefix", "--tail=3").stdout.splitlines()
    assert sorted({ln.split(" ", 1)[0] for ln in out}) == ["[pod/api-7d9f-abcde/api]", "[pod/api-7d9f-fghij/api]"]
    assert len(out) == 6
    res = frozen.kubectl("logs", "deploy/api", "--tail=4")
    assert re.search(r"Found 2 pods, using pod/api-7d9f-(abcde|fghij)", res.stderr)
    assert len(res.stdout.splitlines()) == 4
    one = re.search(r"using pod/(\S+)", res.stderr).group(1)
    assert is_run(res.stdout.splitlines(), frozen.kubectl("logs", one, "--tail=10").stdout.splitlines())


# ---- stress sources ----------------------------------------------------------------------------------

def test_stress_annotations(frozen):
    st, _, body = raw_log(frozen, "stress-long", "tailLines=120")
    assert st == 200
    lens = [len(ln) for ln in lines_of(body)]
    assert 300000 in lens and max(lens) == 300000
    st, _, body = raw_log(frozen, "stress-binary", "tailLines=240")
    assert st == 200
    assert b"\xff\xfe" in body and b"\x1b]0;" in body and b"\x00" in body and b"\r" in body
    with pytest.raises(UnicodeDecodeError):
        body.decode("utf-8")
    # 10000 lines/s must really arrive: follow for a while over the loopback TLS connection
    conn = frozen.conn(timeout=10)
    try:
        conn.request("GET", "/api/v1/namespaces/default/pods/stress-fast/log?follow=true&tailLines=0",
                     headers={"Authorization": "Bearer " + frozen.token})
        resp = conn.getresponse()
        assert resp.status == 200
        t0 = time.time()
        n = 0
        while time.time() - t0 < 2.0:
            line = resp.readline()
            if not line:
                break
            n += 1
        elapsed = time.time() - t0
    finally:
        conn.close()
    assert n / elapsed > 7000, "only %d lines in %.2fs" % (n, elapsed)
    assert frozen.alive()


# ---- following -----------------------------------------------------------------------------------------

def _wait_running(sim, pod, timeout=15):
    deadline = time.time() + timeout
    while time.time() < deadline:
        st, doc = sim.json("GET", "/api/v1/namespaces/default/pods/" + pod)
        css = ((doc or {}).get("status") or {}).get("containerStatuses") or []
        if st == 200 and css and all("running" in (c.get("state") or {}) for c in css):
            return doc
        time.sleep(0.1)
    raise AssertionError("pod %s is not running" % pod)


def _pod(name, image, **extra):
    md = {"name": name, "namespace": "default"}
    if "annotations" in extra:
        md["annotations"] = extra.pop("annotations")
    spec = {"containers": [{"name": "app", "image": image}]}
    spec.update(extra)
    return {"apiVersion": "v1", "kind": "Pod", "metadata": md, "spec": spec}


def test_follow_streams_at_the_log_rate_and_ends_on_delete(live):
    live.json("POST", "/api/v1/namespaces/default/pods", _pod("follow-me", "ghcr.io/example/api:1",
                                                              annotations={"kubesim.io/log-format": "logfmt"}),
              expect=201)
    _wait_running(live, "follow-me")
    p = live.kubectl_popen("logs", "-f", "follow-me", "--tail=0", "--timestamps")
    try:
        time.sleep(2.5)
        t_del = time.time()
        live.json("DELETE", "/api/v1/namespaces/default/pods/follow-me", expect=200)
        out, err = p.communicate(timeout=15)
    finally:
        if p.poll() is None:
            p.kill()
    assert p.returncode == 0, err
    assert time.time() - t_del < 10
    lines = lines_of(out.encode())
    stamps = [ts_ns(ln) / 1e9 for ln in lines]
    assert stamps == sorted(stamps) and len(stamps) > 10
    # --tail=0 -f: only lines written after the request, at 20 lines/s until the pod went away
    span = t_del - 0.3 - stamps[0]
    steady = [t for t in stamps if t < t_del - 0.3]
    assert abs(len(steady) - 20 * span) <= 6, (len(steady), span)
    assert lines[-1].endswith(b'msg="server stopped"')    # the container was stopped with the pod


def test_follow_ends_when_the_container_exits(live):
    pod = _pod("short-job", "python:3.12", restartPolicy="Never",
               annotations={"kubesim.io/exit-after": "2", "kubesim.io/exit-code": "3"})
    live.json("POST", "/api/v1/namespaces/default/pods", pod, expect=201)
    _wait_running(live, "short-job")
    t0 = time.time()
    res = live.kubectl("logs", "-f", "short-job", timeout=30)
    assert time.time() - t0 < 10
    out = res.stdout.splitlines()
    assert out and out[-1] in ("exiting with status 3", "}", "\t/src/cmd/app/main.go:57 +0x1c5")
    # the finished container's log is stable from now on
    assert live.kubectl("logs", "short-job").stdout == res.stdout


def test_crash_loop_previous_differs(live):
    live.json("POST", "/api/v1/namespaces/default/pods", _pod("crashy", "ghcr.io/example/app-crash:1"), expect=201)
    deadline = time.time() + 20
    while time.time() < deadline:
        _, doc = live.json("GET", "/api/v1/namespaces/default/pods/crashy")
        cs = ((doc.get("status") or {}).get("containerStatuses") or [{}])[0]
        if cs.get("restartCount", 0) >= 1:
            break
        time.sleep(0.2)
    prev = live.kubectl("logs", "crashy", "--previous").stdout
    assert prev.strip() and re.search(r"panic: |fatal: |Error: Cannot find module", prev)
    _, doc = live.json("GET", "/api/v1/namespaces/default/pods/crashy")
    cs = doc["status"]["containerStatuses"][0]
    cur = live.kubectl("logs", "crashy").stdout
    if "running" in cs["state"]:
        assert cur.strip() and cur != prev          # a new run, a new log
    else:
        assert cur == prev                          # backing off: the kubelet serves the last run


def test_hostile_log_requests_never_break_the_server(frozen):
    import random
    rng = random.Random(11)
    values = ["", "0", "1", "-1", "abc", "99999999999999999999999", "true", "false", "maybe", "2024-01-01T00:00:00Z",
              "2024-13-45T99:99:99Z", "%C3%A9", "%00", "1e3", "%205", "%FF"]
    keys = ["container", "follow", "previous", "timestamps", "tailLines", "sinceSeconds", "sinceTime", "limitBytes",
            "insecureSkipTLSVerifyBackend", "stream"]
    pods = ["multi", "done", "backoff", "creating", "unscheduled", "lost", "stress-binary", "nosuch", "a" * 300]
    for _ in range(150):
        q = "&".join("%s=%s" % (rng.choice(keys), rng.choice(values)) for _ in range(rng.randint(0, 4)))
        if "follow=true" in q or "follow=1" in q:
            q += "&limitBytes=2000"      # keep followed streams short
        method = rng.choice(["GET", "GET", "GET", "POST", "DELETE"])
        st, h, body = frozen.request(method, "/api/v1/namespaces/default/pods/%s/log?%s" % (rng.choice(pods), q),
                                     timeout=20)
        assert st < 500 or (st == 500 and b"no route to host" in body), (q, st, body[:200])
        if st >= 400:
            doc = json.loads(body)
            assert doc["kind"] == "Status" and doc["code"] == st
    assert frozen.alive()
