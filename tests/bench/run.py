#!/usr/bin/python3
"""make bench: timon against kubectl on the same simulated cluster, side by side.

For each size, kubesim serves N realistic pods (--pods, ~7 KB each); `timon get pods -A -o name`
and `kubectl get pods -A -o name` each run against it in the same session, and their user+sys
CPU and peak RSS (from wait4's rusage) are printed with the ratios. Targets (issue 5): at 10k
and 50k pods timon's CPU <= 0.30x kubectl's and peak RSS <= 0.25x; 50k pods in <= 3 s of CPU.
Every kubectl run gets a fresh HOME and KUBECACHEDIR (the Cloud SDK dispatcher caches discovery).
`make bench` then runs tests/bench/tui.py, the TUI scenarios.
"""
import argparse
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
KUBESIM = os.path.join(ROOT, "tests", "kubesim", "kubesim.py")


def machine_line():
    """The machine the figures come from: CPU model, CPUs, memory, OS."""
    model = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 1024 / 1024
    return (f"machine: {model}, {os.cpu_count()} CPUs, {mem_gib:.1f} GiB RAM, "
            f"{platform.platform()}; load average {open('/proc/loadavg').read().split()[0]}")


def start_kubesim(workdir, pods, extra=()):
    """kubesim with N synthetic pods (perf.md's P1-P3 shapes: 100 pods a namespace, 25 a node)
    and no controllers; `extra` adds flags (--churn, --log-rate)."""
    ready = os.path.join(workdir, "ready")
    kubeconfig = os.path.join(workdir, "kubeconfig")
    log = open(os.path.join(workdir, "kubesim.log"), "wb")
    namespaces = max(1, pods // 100)
    nodes = max(3, pods // 25)
    t0 = time.time()
    proc = subprocess.Popen(
        ["/usr/bin/python3", KUBESIM, "--port", "0", "--ready-file", ready,
         "--kubeconfig-out", kubeconfig, "--no-controllers", "--pods", str(pods),
         "--namespaces", str(namespaces), "--nodes", str(nodes), "--seed", "1", *extra],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    while not os.path.exists(ready):
        if proc.poll() is not None:
            sys.exit("kubesim failed:\n" + open(os.path.join(workdir, "kubesim.log")).read())
        time.sleep(0.1)
    return proc, kubeconfig, time.time() - t0


def stop_kubesim(proc, workdir):
    """Stops kubesim; returns its churn report line ("churn: N changes in T s"), if any."""
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait()
    try:
        with open(os.path.join(workdir, "kubesim.log")) as f:
            for line in f:
                if "churn:" in line:
                    return line.strip().replace("kubesim: ", "")
    except OSError:
        pass
    return None


def run_wait4(argv, env):
    """Runs argv; returns (wall s, user+sys s, maxrss KiB, stdout lines) from its rusage."""
    t0 = time.time()
    out = tempfile.TemporaryFile()
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
    _, status, ru = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.time() - t0
    out.seek(0)
    lines = out.read().count(b"\n")
    err.seek(0)
    if proc.returncode != 0:
        sys.exit(f"{argv[0]} failed: {err.read().decode(errors='replace')[:500]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss, lines


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--timon", default=os.path.join(ROOT, "build", "timon"))
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--kubectl", default=shutil.which("kubectl") or "kubectl")
    args = ap.parse_args()
    print(machine_line())
    print(f"{'pods':>7} {'client':<8} {'wall s':>8} {'cpu s':>8} {'rss MiB':>9} {'rows':>7}"
          f" {'cpu ratio':>10} {'rss ratio':>10}")
    for n in [int(x) for x in args.sizes.split(",")]:
        work = tempfile.mkdtemp(prefix="timon-bench-")
        proc, kc, startup = start_kubesim(work, n)
        try:
            def fresh_env():
                home = tempfile.mkdtemp(prefix="home-", dir=work)
                return dict(os.environ, HOME=home, KUBECACHEDIR=os.path.join(home, "cache"))

            # Warm the server's per-object JSON cache so both clients see the same server.
            get = [args.timon, "get", "pods", "-A", "-o", "name", "--kubeconfig", kc]
            run_wait4(get, fresh_env())
            t = run_wait4(get, fresh_env())
            k = run_wait4([args.kubectl, "--kubeconfig", kc, "get", "pods", "-A", "-o", "name"],
                          fresh_env())
            for name, r in (("timon", t), ("kubectl", k)):
                ratio = ""
                if name == "timon":
                    ratio = f"{t[1] / k[1]:>10.3f} {t[2] / k[2]:>10.3f}"
                print(f"{n:>7} {name:<8} {r[0]:>8.2f} {r[1]:>8.2f} {r[2] / 1024:>9.1f} "
                      f"{r[3]:>7} {ratio}")
            if t[3] != n or k[3] != n:
                print(f"  warning: expected {n} rows (kubesim started in {startup:.1f} s)")
        finally:
            stop_kubesim(proc, work)
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
