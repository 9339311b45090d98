"""The watch cache under injected faults (issue 4): kubesim cuts watches, expires them (410), throttles
requests and black-holes watches (--faults) while pods are created and deleted. Once the churn stops,
the pods table must show exactly the server's pods: the same names (no ghost row, no missing row) and
the same count in the title. kubectl, with a fresh cache for every call, is the judge of the server's
state."""
import datetime
import json
import os
import random
import re
import time

NS = "churn"
PODS = "/api/v1/namespaces/churn/pods"
TITLE = re.compile(r"pods\(churn\)\[(\d+)\]")
ROW = re.compile(r"^\s*│\s*(\S+)\s")


def start_sim(kubesim, faults):
    sim = kubesim("--faults", faults)
    sim.kubectl("create", "namespace", NS)
    return sim


def start_tui(tui, sim, env=None):
    # Tall enough for every row: each churn keeps at most MAX_PODS, and a test runs two at most.
    t = tui(["--kubeconfig", sim.kubeconfig, "-n", NS], cols=140, rows=60,
            env=dict({"NO_COLOR": "1"}, **(env or {})))
    t.wait_for(r"pods\(churn\)\[\d+\]", timeout=30)
    return t


MAX_PODS = 14


def churn(sim, seconds, seed, until=None, limit=90):
    """Creates and deletes pods in NS for `seconds` (and then, if `until` is given, until it holds,
    for at most `limit` seconds in all): single creates, batches of three, single and batched
    deletes, so the watch sees ADDED, MODIFIED (scheduling, start-up, Terminating) and DELETED
    events while the faults hit it. Returns the number of changes made."""
    rng = random.Random(seed)
    live = []
    made = 0
    serial = 0
    start = time.time()
    while True:
        elapsed = time.time() - start
        if elapsed >= limit or (elapsed >= seconds and (until is None or until())):
            break
        if len(live) < 4 or (len(live) < MAX_PODS - 3 and rng.random() < 0.55):
            names = ["c%d-%d" % (seed, serial + i) for i in range(rng.choice((1, 3)))]
            serial += len(names)
            items = [{"apiVersion": "v1", "kind": "Pod",
                      "metadata": {"name": n, "labels": {"app": "churn"}},
                      "spec": {"containers": [{"name": "c", "image": "nginx"}]}} for n in names]
            path = os.path.join(sim.dir, "churn-%d.json" % serial)
            with open(path, "w") as f:
                json.dump({"apiVersion": "v1", "kind": "List", "items": items}, f)
            r = sim.kubectl("-n", NS, "create", "--validate=false", "-f", path, check=False)
            if r.returncode == 0:
                live.extend(names)
        else:
            victims = rng.sample(live, min(len(live), rng.choice((1, 2))))
            r = sim.kubectl("-n", NS, "delete", "pod", *victims, "--wait=false", check=False)
            if r.returncode == 0:
                for v in victims:
                    live.remove(v)
        made += 1
        time.sleep(rng.uniform(0.05, 0.3))
    return made


def server_names(sim):
    r = sim.kubectl("-n", NS, "get", "pods", "-o", "name", check=False)
    if r.returncode != 0:
        return None
    return sorted(line.split("/", 1)[1] for line in r.stdout.split() if line.startswith("pod/"))


def screen_state(t):
    """(title count, row names) of the pods table on screen."""
    screen = t.screen()
    m = TITLE.search(screen)
    if not m:
        return None, []
    body = screen[m.end():]
    names = []
    for line in body.splitlines():
        row = ROW.match(line)
        if row and row.group(1) not in ("NAME", "No"):  # the header, "No resources found.
            names.append(row.group(1))
    return int(m.group(1)), sorted(names)


def assert_converges(t, sim, timeout):
    """Waits until the screen shows exactly the server's pods, twice in a row with the server
    unchanged in between (a Terminating pod may still be going away when the churn stops)."""
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        want = server_names(sim)
        count, shown = screen_state(t)
        again = server_names(sim)
        if want is not None and want == again and count == len(want) and shown == want:
            if last == want:
                return want
            last = want
        else:
            last = None
        time.sleep(0.3)
    want = server_names(sim)
    count, shown = screen_state(t)
    ghosts = sorted(set(shown) - set(want or []))
    missing = sorted(set(want or []) - set(shown))
    raise AssertionError(f"the table never matched the server: title count {count}, server "
                         f"{len(want or [])}; ghost rows {ghosts}, missing rows {missing}\n"
                         f"{t.screen()}")


def faults_logged(sim, kind, path=None):
    return [r for r in sim.requests()
            if r.get("fault") == kind and (path is None or r.get("path") == path)]


def timon_watches(sim):
    """timon's watches of the pods (kubectl never watches in these tests, and writes "watch=true")."""
    return [r for r in sim.requests() if r.get("path") == PODS and "watch=1" in r.get("query", "")]


def test_dropped_and_expired_watches(kubesim, tui):
    """drop-watch=3,gone=7: every watch is cut every 3 s and told 410 Expired every 7 s."""
    sim = start_sim(kubesim, "drop-watch=3,gone=7")
    t = start_tui(tui, sim)
    churn(sim, 15, seed=1)
    want = assert_converges(t, sim, timeout=20)
    assert want, "the churn left no pods; the comparison proved nothing"
    assert faults_logged(sim, "drop-watch", PODS) and faults_logged(sim, "gone", PODS)
    # Each 410 was answered by a full list (a streaming one: kubesim serves them).
    assert len([r for r in timon_watches(sim) if "sendInitialEvents=true" in r["query"]]) >= 2
    # Later changes still arrive: the watch is live again, not a table frozen at the last relist.
    sim.kubectl("-n", NS, "run", "after-faults", "--image=nginx")
    t.wait_for(r"after-faults", timeout=15)
    assert_converges(t, sim, timeout=20)


def test_throttled_dropped_and_expired_watches(kubesim, tui):
    """The same with throttle=30 on top: three resource requests in ten get 429 (Retry-After: 1),
    timon's watches, re-opened every few seconds, among them."""
    sim = start_sim(kubesim, "drop-watch=3,gone=7,throttle=30")
    t = start_tui(tui, sim)
    throttled = lambda: any(r.get("status") == 429 for r in timon_watches(sim))  # noqa: E731
    churn(sim, 15, seed=2, until=throttled)
    assert throttled(), "no watch of timon's was throttled; the test proved nothing"
    assert_converges(t, sim, timeout=30)


def test_stalled_watches(kubesim, tui):
    """stall=10: in [10 s, 20 s) after kubesim's start every watch goes silent, as over a
    black-holed connection. timon (its stall timeout lowered to 3 s for the test) tears the
    silent watch down and opens another within the window, and the table matches the server
    once the churn, which ran through the window, has stopped."""
    window = 10
    sim = start_sim(kubesim, "stall=%d" % window)
    t = start_tui(tui, sim, env={"TIMON_WATCH_STALL_TIMEOUT": "3"})
    stalled = lambda: len(faults_logged(sim, "stall", PODS)) >= 1  # noqa: E731
    churn(sim, 5, seed=3, until=stalled, limit=60)    # into the window
    churn(sim, window + 3, seed=4)                    # through it and past its end
    assert_converges(t, sim, timeout=30)
    stalls = faults_logged(sim, "stall", PODS)
    first = min(parse_ts(r["ts"]) for r in stalls)
    in_window = [r for r in stalls if parse_ts(r["ts"]) < first + window - 0.5]
    # The watch that went silent, and at least one timon opened in its place during the window.
    assert len(in_window) >= 2, stalls


def parse_ts(ts):
    return datetime.datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
