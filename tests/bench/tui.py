#!/usr/bin/python3
"""make bench, part 2: the real TUI at 50,000 pods, in tmux, against kubesim.

Scenarios (shared/docs/perf.md §8 and §9; issue 6 "Performance"; issue 7 logs):

  load     P3 (50,000 pods, 500 namespaces, 2,000 nodes): wall time from exec to the first rows
           and to all 50,000 rows on screen, and timon's CPU until then
  keys     I1: key -> frame latency for j, PgDn, G, g, Shift-N/A/S (sort), each character of a
           `/` filter and Esc, and `:deploy` / `:pods` Enter (view switch; also the time until the
           new view is fully listed). Target: every one under 16 ms at 50k rows.
  idle     CPU of the timon process over --idle-secs with nothing changing: the mean, the median
           1 s window (the AGE tick) and the busiest window (the 15 s metrics refresh), wakeups/s
           and bytes written to the terminal per second. Target ~0% (a 1 Hz tick of visible rows).
  churn    W1/W2: the same, with kubesim --churn R (R pod changes/s), plus key latency under it
  logs     L1/L2: a followed container log at --log-rate lines/s: CPU, RSS, and key latency
  rss      peak RSS (VmHWM) of each run

Key latency is measured in two ways, both printed:
  - in timon: with TIMON_KEYTRACE=1, timon logs for every key the microseconds from reading it
    to the end of the doupdate() that showed its effect (src/views/keytrace.h), and the
    CLOCK_MONOTONIC instant it read the key;
  - end to end: the harness drives tmux through a control-mode client and takes the instant
    just before it writes `send-keys`; from that and the logged instants it computes send ->
    frame written, which adds tmux routing the key (~1-3 ms) and any time the key waited while
    timon was busy (which the in-process number cannot see, and which matters under churn).
Polling `tmux capture-pane` is used only for the multi-second waits (rows loaded, a view
listed), where its ~10-20 ms resolution does not matter.

CPU and memory come from /proc/PID/stat and /proc/PID/status (utime+stime, VmHWM, VmRSS,
voluntary context switches). The machine's load average is printed with every scenario: the
figures are only comparable when the machine was otherwise idle.
"""
import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import ROOT, machine_line, start_kubesim, stop_kubesim  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
KEYTRACE = re.compile(r"keytrace: key (.+?): (?:(\d+) us to frame, read at ([\d.]+)|no frame)")


# ---- /proc --------------------------------------------------------------------------------------

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def proc_status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.strip()
    return {"hwm_mib": int(out["VmHWM"].split()[0]) / 1024,
            "rss_mib": int(out["VmRSS"].split()[0]) / 1024,
            "wakeups": int(out["voluntary_ctxt_switches"])}


def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


# ---- timon in tmux ------------------------------------------------------------------------------

class Session:
    """timon in a private tmux server, a control-mode client that sends keys and counts output
    bytes, and the keytrace lines of timon's log."""

    def __init__(self, timon, args, workdir, cols=200, rows=60):
        self.socket = f"timon-bench-{os.getpid()}-{int(time.time() * 1000) % 100000}"
        self.log = os.path.join(workdir, "timon.log")
        home = os.path.join(workdir, "tuihome")
        os.makedirs(home, exist_ok=True)
        env = {"HOME": home, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "TIMON_KEYTRACE": "1", "PATH": "/usr/bin:/bin"}
        exports = " ".join(f"{k}={quote(v)}" for k, v in env.items())
        cmd = " ".join(quote(a) for a in [timon, *args, "--log-file", self.log])
        self.started = time.monotonic()
        self.tmux("-f", "/dev/null", "new-session", "-d", "-x", str(cols), "-y", str(rows),
                  f"exec env -i {exports} {cmd}")
        self.tmux("set-option", "-g", "status", "off")
        self.pid = int(self.tmux("display", "-p", "#{pane_pid}").strip())
        self.out_bytes = 0
        self.last_output = 0.0
        self.ctl = subprocess.Popen(["tmux", "-L", self.socket, "-C", "attach"],
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, bufsize=0)
        threading.Thread(target=self._read_control, daemon=True).start()
        self.log_pos = 0

    def tmux(self, *args):
        r = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {r.stderr}")
        return r.stdout

    def _read_control(self):
        for line in self.ctl.stdout:
            if line.startswith(b"%output "):
                data = line.split(b" ", 2)[2].rstrip(b"\n")
                # tmux escapes bytes below 32 and the backslash as \ooo.
                self.out_bytes += len(data) - 3 * data.count(b"\\")
                self.last_output = time.monotonic()

    def screen(self):
        return self.tmux("capture-pane", "-p")

    def wait_screen(self, rx, timeout, every=0.02):
        """Polls the pane until rx matches; returns the match."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = rx.search(self.screen())
            if m:
                return m
            time.sleep(every)
        raise RuntimeError(f"timed out waiting for {rx.pattern!r}; screen:\n{self.screen()}")

    def send(self, key):
        """Sends one key (tmux send-keys syntax); returns the CLOCK_MONOTONIC instant."""
        t = time.monotonic()
        self.ctl.stdin.write(f"send-keys -t {self.pane()} {key}\n".encode())
        return t

    def pane(self):
        if not hasattr(self, "_pane"):
            self._pane = self.tmux("display", "-p", "#{pane_id}").strip()
        return self._pane

    def next_trace(self, timeout=30):
        """The next keytrace record: (key, us_in_timon or None, read_instant or None)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with open(self.log, "rb") as f:
                f.seek(self.log_pos)
                data = f.read()
            for line in data.splitlines(keepends=True):
                if not line.endswith(b"\n"):
                    break
                self.log_pos += len(line)
                m = KEYTRACE.search(line.decode(errors="replace"))
                if m:
                    us = int(m.group(2)) if m.group(2) else None
                    return m.group(1), us, float(m.group(3)) if m.group(3) else None
            time.sleep(0.002)
        raise RuntimeError("no keytrace line from timon (was it built with src/views/keytrace.c?)")

    def skip_traces(self):
        if os.path.exists(self.log):
            self.log_pos = os.path.getsize(self.log)

    def alive(self):
        try:
            os.kill(self.pid, 0)
            return True
        except ProcessLookupError:
            return False

    def stop(self):
        try:
            self.ctl.stdin.write(b"kill-server\n")
        except OSError:
            pass
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True)
        try:
            self.ctl.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.ctl.kill()


def quote(s):
    return "'" + str(s).replace("'", "'\"'\"'") + "'"


# ---- measurements -------------------------------------------------------------------------------

TITLE = r"{kind}\(all\)\[(\d+)\]"


def wait_loaded(s, kind, expect, timeout):
    """Waits until the table shows at least `expect` rows (any, when expect is None) and the
    watch is live; returns the row count."""
    rx = re.compile(TITLE.format(kind=kind))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        scr = s.screen()
        m = rx.search(scr)
        if m and int(m.group(1)) > 0 and (expect is None or int(m.group(1)) >= expect) \
                and re.search(r"Watch:\s+live", scr):
            return int(m.group(1))
        time.sleep(0.02)
    raise RuntimeError(f"{kind} not loaded in {timeout} s; screen:\n{s.screen()}")


def measure_load(s, pods, timeout):
    """Seconds from starting timon to the first rows and to all rows, and its CPU by then."""
    rx_first = re.compile(TITLE.format(kind="pods"))
    while True:
        m = rx_first.search(s.screen())
        if m and int(m.group(1)) > 0:
            first = time.monotonic() - s.started
            break
        if time.monotonic() - s.started > timeout or not s.alive():
            raise RuntimeError("no rows; screen:\n" + s.screen())
        time.sleep(0.01)
    wait_loaded(s, "pods", pods, timeout)
    full = time.monotonic() - s.started
    return first, full, cpu_seconds(s.pid)


def key(s, k, label=None):
    """One key: returns (label, us in timon, ms from send to frame) once its frame is written
    (None, None when timon drew nothing for it)."""
    t_send = s.send(k)
    name, us, read_at = s.next_trace()
    e2e = None
    if us is not None:
        e2e = (read_at + us / 1e6 - t_send) * 1000
    return (label or k, us, e2e)


# The I1 script: (tmux key, label, pause after). Pauses let the 1 s AGE tick and the metrics
# refresh fall between keys rather than be counted in one.
def key_script():
    steps = [("j", "j (down)")] * 10 + [("PageDown", "PgDn")] * 5
    steps += [("G", "G (bottom)"), ("g", "g (top)")]
    steps += [("N", "Shift-N (sort name)"), ("N", "Shift-N (reverse)"),
              ("A", "Shift-A (sort age)"), ("S", "Shift-S (sort status)")]
    steps += [("/", "/ (open filter)")]
    steps += [(c, f"filter char '{c}'") for c in "crash"]
    steps += [("Enter", "filter Enter"), ("Escape", "Esc (clear filter)")]
    return steps


def run_keys(s, steps, pause=0.15):
    out = []
    for k, label in steps:
        out.append(key(s, k, label))
        time.sleep(pause)
    return out


def view_switch(s, cmd, kind, expect):
    """`:cmd` Enter: latency of the Enter key to its first frame, then the time until the new
    view is listed (title count > 0 and the watch live)."""
    for k in [":"] + list(cmd):
        key(s, k)
        time.sleep(0.05)
    t_send = s.send("Enter")
    _, us, read_at = s.next_trace()
    listed = wait_loaded(s, kind, expect, 120)
    return us, (read_at + us / 1e6 - t_send) * 1000, time.monotonic() - t_send, listed


def cpu_window(s, secs):
    """Samples timon's CPU every second: (mean %, median %, max %, wakeups/s, tty bytes/s)."""
    samples = []
    st0 = proc_status(s.pid)
    out0 = s.out_bytes
    c_prev = c0 = cpu_seconds(s.pid)
    t_prev = t0 = time.monotonic()
    while time.monotonic() - t0 < secs:
        time.sleep(1.0)
        c, t = cpu_seconds(s.pid), time.monotonic()
        samples.append(100 * (c - c_prev) / (t - t_prev))
        c_prev, t_prev = c, t
    el = t_prev - t0
    st1 = proc_status(s.pid)
    return {"mean": 100 * (c_prev - c0) / el, "median": statistics.median(samples),
            "max": max(samples), "wakeups": (st1["wakeups"] - st0["wakeups"]) / el,
            "tty": (s.out_bytes - out0) / el}


def summarize(rows):
    """Prints per-label latency lines (several samples of one label: median and max)."""
    by = {}
    for label, us, e2e in rows:
        by.setdefault(label, []).append((us, e2e))
    print(f"    {'key':<26} {'n':>3} {'in timon ms':>12} {'max':>8} {'send->frame ms':>15}"
          f" {'max':>8}")
    worst = 0.0
    for label, vals in by.items():
        ins = [v[0] / 1000 for v in vals if v[0] is not None]
        e2e = [v[1] for v in vals if v[1] is not None]
        if not ins:
            print(f"    {label:<26} {len(vals):>3}  no frame")
            continue
        worst = max(worst, max(ins))
        print(f"    {label:<26} {len(vals):>3} {statistics.median(ins):>12.2f} {max(ins):>8.2f}"
              f" {statistics.median(e2e):>15.2f} {max(e2e):>8.2f}")
    return worst


# ---- scenarios ----------------------------------------------------------------------------------

def scenario_cluster(args, churn):
    work = tempfile.mkdtemp(prefix="timon-bench-tui-")
    extra = ["--churn", str(churn)] if churn else []
    sim, kc, startup = start_kubesim(work, args.pods, extra)
    s = None
    try:
        time.sleep(args.warm)  # kubesim serialises the pods in the background after start
        print(f"\n== {args.pods} pods, churn {churn}/s (kubesim up in {startup:.1f} s; "
              f"load average {loadavg()})")
        s = Session(args.timon, ["--kubeconfig", kc, "-A"], work)
        first, full, cpu = measure_load(s, args.pods, 300)
        print(f"  load: first rows {first:.2f} s, all {args.pods} rows {full:.2f} s, "
              f"timon CPU {cpu:.2f} s, RSS {proc_status(s.pid)['rss_mib']:.1f} MiB")
        time.sleep(2)
        s.skip_traces()
        if churn:
            w = cpu_window(s, args.churn_secs)
            print(f"  churn {churn}/s over {args.churn_secs} s: CPU mean {w['mean']:.1f}%, "
                  f"median 1 s window {w['median']:.1f}%, max {w['max']:.1f}%; "
                  f"{w['wakeups']:.1f} wakeups/s; {w['tty'] / 1024:.1f} KiB/s to the terminal")
            print("  keys under churn:")
            rows = run_keys(s, [("j", "j (down)")] * 10 + [("G", "G (bottom)"),
                                                          ("N", "Shift-N (sort name)"),
                                                          ("N", "Shift-N (reverse)")])
            summarize(rows)
        else:
            w = cpu_window(s, args.idle_secs)
            print(f"  idle over {args.idle_secs} s: CPU mean {w['mean']:.2f}%, median 1 s window "
                  f"{w['median']:.2f}%, max {w['max']:.1f}%; {w['wakeups']:.1f} wakeups/s; "
                  f"{w['tty']:.0f} B/s to the terminal")
            print("  keys (I1):")
            rows = run_keys(s, key_script())
            worst = summarize(rows)
            us, e2e, listed_s, n = view_switch(s, "deploy", "deployments", None)
            print(f"    {':deploy Enter':<26} {1:>3} {us / 1000:>12.2f} {'':>8} {e2e:>15.2f}"
                  f"   (listed {n} in {listed_s:.2f} s)")
            worst = max(worst, us / 1000)
            us, e2e, listed_s, n = view_switch(s, "pods", "pods", args.pods)
            print(f"    {':pods Enter':<26} {1:>3} {us / 1000:>12.2f} {'':>8} {e2e:>15.2f}"
                  f"   (listed {n} in {listed_s:.2f} s)")
            worst = max(worst, us / 1000)
            print(f"  slowest key in timon: {worst:.1f} ms (target < 16 ms)")
        st = proc_status(s.pid)
        print(f"  memory: RSS {st['rss_mib']:.1f} MiB, peak (VmHWM) {st['hwm_mib']:.1f} MiB;"
              f" total timon CPU {cpu_seconds(s.pid):.2f} s")
    finally:
        if s:
            s.stop()
        rate = stop_kubesim(sim, work)
        if churn and rate:
            print(f"  kubesim: {rate}")
        shutil.rmtree(work, ignore_errors=True)


def log_counts(s):
    """The log view's line and dropped counters, from its indicator line."""
    m = re.search(r"lines:(\d+)\s+dropped:(\d+)", s.screen())
    return (int(m.group(1)), int(m.group(2))) if m else (0, 0)


def scenario_logs(args, rate):
    work = tempfile.mkdtemp(prefix="timon-bench-logs-")
    sim, kc, startup = start_kubesim(work, 10, ["--log-rate", str(rate)])
    s = None
    try:
        print(f"\n== log view, {rate} lines/s (load average {loadavg()})")
        s = Session(args.timon, ["--kubeconfig", kc, "-A"], work)
        wait_loaded(s, "pods", 10, 60)
        # A running pod (the first row may be Pending, with no log): filter, then l opens the
        # container picker, and Enter takes the preselected container.
        s.skip_traces()
        for k in ["/", "R", "u", "n", "n", "i", "n", "g", "Enter", "l"]:
            key(s, k)
        time.sleep(0.3)
        key(s, "Enter")
        s.wait_screen(re.compile(r"lines:[1-9]"), 30)
        time.sleep(3)
        before = log_counts(s)
        w = cpu_window(s, args.log_secs)
        after = log_counts(s)
        st = proc_status(s.pid)
        got = (sum(after) - sum(before)) / args.log_secs
        print(f"  over {args.log_secs} s: {got:.0f} lines/s received (kept + dropped); CPU mean "
              f"{w['mean']:.1f}%, max 1 s window {w['max']:.1f}%; {w['wakeups']:.1f} wakeups/s; "
              f"{w['tty'] / 1024:.1f} KiB/s to the terminal; RSS {st['rss_mib']:.1f} MiB, "
              f"peak {st['hwm_mib']:.1f} MiB")
        s.skip_traces()
        rows = run_keys(s, [("s", "s (autoscroll off)")] + [("k", "k (up)")] * 5 +
                        [("s", "s (autoscroll on)")], pause=0.2)
        summarize(rows)
    finally:
        if s:
            s.stop()
        stop_kubesim(sim, work)
        shutil.rmtree(work, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--timon", default=os.path.join(ROOT, "build", "timon"))
    ap.add_argument("--pods", type=int, default=50000)
    ap.add_argument("--churn", default="20,100,1000", help="churn rates (events/s); '' for none")
    ap.add_argument("--log-rates", default="1000,10000", help="log lines/s; '' for none")
    ap.add_argument("--idle-secs", type=int, default=30)
    ap.add_argument("--churn-secs", type=int, default=30)
    ap.add_argument("--log-secs", type=int, default=20)
    ap.add_argument("--scenarios", default="idle,churn,logs",
                    help="which to run: idle (load, idle CPU, keys), churn, logs")
    ap.add_argument("--warm", type=float, default=10,
                    help="seconds to let kubesim serialise its pods before timon starts")
    args = ap.parse_args()
    if not shutil.which("tmux"):
        sys.exit("tmux is needed for the TUI benchmarks")
    which = args.scenarios.split(",")
    print(machine_line())
    if "idle" in which:
        scenario_cluster(args, 0)
    for r in [float(x) for x in args.churn.split(",") if x and "churn" in which]:
        scenario_cluster(args, int(r) if r.is_integer() else r)
    for r in [int(x) for x in args.log_rates.split(",") if x and "logs" in which]:
        scenario_logs(args, r)


if __name__ == "__main__":
    main()
