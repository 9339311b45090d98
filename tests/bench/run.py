#!/usr/bin/python3
"""make bench: timon against kubectl on the same simulated cluster, side by side.

For each size, kubesim serves N realistic pods (--pods, ~7 KB each); `timon get pods -A -o name`
and `kubectl get pods -A -o name` each run against it in the same session, and their user+sys
CPU and peak RSS (from wait4's rusage) are printed with the ratios. Targets (issue 5): at 10k
and 50k pods timon's CPU <= 0.30x kubectl's and peak RSS <= 0.25x; 50k pods in <= 3 s of CPU.
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


def start_kubesim(workdir, pods):
    ready = os.path.join(workdir, "ready")
    kubeconfig = os.path.join(workdir, "kubeconfig")
    log = open(os.path.join(workdir, "kubesim.log"), "wb")
    namespaces = max(1, pods // 100)
    nodes = max(3, pods // 25)
    t0 = time.time()
    proc = subprocess.Popen(
        ["/usr/bin/python3", KUBESIM, "--port", "0", "--ready-file", ready,
         "--kubeconfig-out", kubeconfig, "--no-controllers", "--pods", str(pods),
         "--namespaces", str(namespaces), "--nodes", str(nodes), "--seed", "1"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    while not os.path.exists(ready):
        if proc.poll() is not None:
            sys.exit("kubesim failed:\n" + open(os.path.join(workdir, "kubesim.log")).read())
        time.sleep(0.1)
    return proc, kubeconfig, time.time() - t0


def run_wait4(argv, env):
    """Runs argv and returns (wall, cpu, maxrss_kib, lines, rc) from its own rusage."""
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
    print(f"machine: {platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
          f"{platform.platform()}")
    print(f"{'pods':>7} {'client':<8} {'wall s':>8} {'cpu s':>8} {'rss MiB':>9} {'rows':>7}"
          f" {'cpu ratio':>10} {'rss ratio':>10}")
    for n in [int(x) for x in args.sizes.split(",")]:
        work = tempfile.mkdtemp(prefix="timon-bench-")
        proc, kc, startup = start_kubesim(work, n)
        try:
            home = os.path.join(work, "home")
            os.makedirs(home)
            env = dict(os.environ, HOME=home, KUBECACHEDIR=os.path.join(home, "cache"))
            # Warm the server's per-object JSON cache so both clients see the same server.
            run_wait4([args.timon, "get", "pods", "-A", "-o", "name", "--kubeconfig", kc], env)
            t = run_wait4([args.timon, "get", "pods", "-A", "-o", "name", "--kubeconfig", kc], env)
            k = run_wait4([args.kubectl, "--kubeconfig", kc, "get", "pods", "-A", "-o", "name"],
                          env)
            for name, r in (("timon", t), ("kubectl", k)):
                ratio = ""
                if name == "timon":
                    ratio = f"{t[1] / k[1]:>10.3f} {t[2] / k[2]:>10.3f}"
                print(f"{n:>7} {name:<8} {r[0]:>8.2f} {r[1]:>8.2f} {r[2] / 1024:>9.1f} "
                      f"{r[3]:>7} {ratio}")
            if t[3] != n or k[3] != n:
                print(f"  warning: expected {n} rows (kubesim started in {startup:.1f} s)")
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait()
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
