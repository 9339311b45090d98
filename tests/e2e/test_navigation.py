"""The TUI's navigation, against kubesim with controllers on: command mode (aliases, arguments,
completion, history), filters, drill-down and back, history keys, namespaces and favourites,
sorting, wide, marks, help, mouse, custom resources, and the header/crumb/logo switches."""
import os
import re
import time

import pytest

from conftest import FIXTURES
from harness import KubeSim, Tui

NAV = os.path.join(FIXTURES, "nav.yaml")
CRD = os.path.join(FIXTURES, "crd.yaml")


@pytest.fixture(scope="module")
def sim(tmp_path_factory):
    s = KubeSim("--objects", NAV, CRD, workdir=str(tmp_path_factory.mktemp("navsim")))
    # Wait for the controllers to bring the workloads up.
    deadline = time.time() + 30
    while time.time() < deadline:
        r = s.kubectl("get", "pods", "-n", "shop", "-l", "app=web", "--no-headers", check=False)
        if r.stdout.count("Running") == 2:
            break
        time.sleep(0.3)
    yield s
    s.stop()


@pytest.fixture
def open_tui(sim, tui):
    def start(*args, **kw):
        return tui(["--kubeconfig", sim.kubeconfig, *args], **kw)
    return start


def command(t, line):
    t.send(":")
    t.type(line)
    t.send("Enter")


def selected_name(t):
    """The first cell of the selected row (reverse video: run with NO_COLOR)."""
    for line in t.screen(escapes=True).splitlines():
        if "\x1b[7m" in line:
            clean = re.sub(r"\x1b\[[0-9;]*m", "", line)
            return clean.split("│")[1].split()[0]
    return None


def wait_selected(t, prefix, timeout=5):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if (selected_name(t) or "").startswith(prefix):
            return
        time.sleep(0.1)
    raise AssertionError(f"selection is {selected_name(t)!r}, not {prefix}...:\n{t.screen()}")


def test_command_mode_aliases_and_arguments(open_tui):
    t = open_tui("-n", "shop")
    t.wait_for(r"pods\(shop\)\[\d+\]")
    for line, title in [("deploy", r"deployments\(shop\)\[2\]"), ("dp", r"deployments\(shop\)"),
                        ("svc", r"services\(shop\)"), ("cm", r"configmaps\(shop\)"),
                        ("ns", r"namespaces\[\d+\]"), ("crd", r"customresourcedefinitions\[\d+\]"),
                        ("widgets", r"widgets\(shop\)\[2\]"), ("wd", r"widgets\(shop\)"),
                        ("jo", r"jobs\(shop\)\[2\]"), ("cj", r"cronjobs\(shop\)\[1\]")]:
        command(t, line)
        t.wait_for(title)
    # A namespace argument, a filter argument, a label selector argument.
    command(t, "deploy other")
    t.wait_for(r"deployments\(other\)\[1\]")
    command(t, "po shop /web")
    screen = t.wait_for(r"pods\(shop\)\[2\] </web>")
    assert "api-" not in screen
    command(t, "po app=api")
    screen = t.wait_for(r"pods\(shop\)\[1\]")
    assert "api-" in screen and "web-" not in screen
    command(t, "po -A")
    t.wait_for(r"pods\(all\)")
    command(t, "nothing-here")
    t.wait_for(r"unknown command or resource \"nothing-here\"")


def test_completion_and_history(open_tui):
    t = open_tui("-n", "shop")
    t.wait_for(r"pods\(shop\)")
    t.send(":")
    t.type("deplo")
    t.wait_for(r"\n: deploy")              # the suggestion, dimmed after the text
    t.send("Tab", "Enter")
    t.wait_for(r"deployments\(shop\)")
    command(t, "cm")
    t.wait_for(r"configmaps\(shop\)")
    t.send(":", "Up")
    t.wait_for(r"\n: cm")
    t.send("Up")
    t.wait_for(r"\n: deploy")
    t.send("Enter")
    t.wait_for(r"deployments\(shop\)")
    # [ goes back in the history, ] forward again; - toggles with the previous view.
    t.send("[")
    t.wait_for(r"configmaps\(shop\)")
    t.send("]")
    t.wait_for(r"deployments\(shop\)")
    t.send("-")
    t.wait_for(r"configmaps\(shop\)")
    t.send("-")
    t.wait_for(r"deployments\(shop\)")


def test_filter_and_clear(open_tui):
    t = open_tui("-n", "shop")
    t.wait_for(r"pods\(shop\)\[5\]")
    t.send("/")
    t.type("web")
    screen = t.wait_for(r"pods\(shop\)\[2\] </web>")
    t.send("Enter")
    t.send("/")
    t.send("C-u")
    t.type("!web")
    t.send("Enter")
    screen = t.wait_for(r"</!web>")
    assert "web-" not in screen.split("</!web>")[1]
    t.send("/", "C-u")
    t.type("-f ngtly")
    t.send("Enter")
    t.wait_for(r"pods\(shop\)\[1\] </-f ngtly>")
    t.send("/", "C-u")
    t.type("-l app=web")
    t.send("Enter")
    t.wait_for(r"pods\(shop\)\[2\]")
    # Esc clears a filter first; at the first view it does not leave.
    t.send("/", "C-u")
    t.type("api")
    t.send("Enter")
    t.wait_for(r"</api>")
    t.send("Escape")
    t.wait_gone(r"</api>")
    assert t.exit_status(timeout=0.3) is None
    # An invalid regex is reported and the previous filter stays.
    t.send("/")
    t.type("(web")
    t.send("Enter")
    t.wait_for(r"invalid filter")
    # A pattern that runs into PCRE2's limits is stopped, and the user is told.
    t.send("/", "C-u")
    t.type("^(.*.*)*[XZ]$")
    t.send("Enter")
    t.wait_for(r"match limits")


def test_drill_down_and_back(open_tui):
    t = open_tui("-n", "shop", "-c", "deploy", env={"NO_COLOR": "1"})
    t.wait_for(r"deployments\(shop\)\[2\]")
    t.send("G")                               # web (sorted after api)
    wait_selected(t, "web")
    t.send("Enter")
    screen = t.wait_for(r"pods:web\(shop\)\[2\]")
    assert "<deployments>" in screen and "<pods:web>" in screen
    t.send("Enter")                           # a pod -> its containers
    screen = t.wait_for(r"containers:web-[^\n]*(\n.*)*sidecar")
    assert "nginx" in screen and "IDX" in screen
    t.send("Escape")
    t.wait_for(r"pods:web\(shop\)")
    t.send("Escape")
    t.wait_for(r"deployments\(shop\)\[2\]")
    command(t, "cj")
    t.wait_for(r"cronjobs\(shop\)\[1\]")
    t.send("Enter")                           # a cron job -> its jobs
    screen = t.wait_for(r"jobs:nightly\(shop\)\[1\]")
    assert "nightly-29000000" in screen and "standalone" not in screen
    t.send("Escape")
    command(t, "no")
    t.wait_for(r"nodes\[[1-9]")
    t.send("Enter")                           # a node -> the pods on it
    t.wait_for(r"pods:kubesim-node-\d+\(all\)")
    t.send("Escape")
    command(t, "cm")
    t.wait_for(r"configmaps\(shop\)")
    t.send("/")
    t.type("settings")
    t.send("Enter")
    t.send("Enter")                           # anything else -> its describe
    t.wait_for(r"describe configmap/settings")
    t.wait_for(r"blue")
    command(t, "crd")
    t.wait_for(r"customresourcedefinitions")
    t.send("/")
    t.type("widgets")
    t.send("Enter", "Enter")                  # a CRD -> its objects, with printer columns
    t.wait_for(r"widgets\(shop\)\[2\]")
    screen = t.wait_for(r"blue")
    assert "COLOR" in screen and "SIZE" in screen
    command(t, "ns")
    t.wait_for(r"namespaces\[[1-9]")
    t.send("/")
    t.type("^other")
    t.send("Enter", "Enter")                  # a namespace -> its pods, and it becomes active
    t.wait_for(r"pods\(other\)\[1\]")
    t.wait_for(r"Namespace:\s+other")


def test_namespaces_favourites_and_all(open_tui):
    t = open_tui("-n", "shop")
    t.wait_for(r"pods\(shop\)")
    command(t, "ns other")
    t.wait_for(r"pods\(other\)\[1\]")
    screen = t.wait_for(r"<2>\s+shop")          # the previous namespace is a favourite
    assert re.search(r"<1>\s+other", screen)
    t.send("2")
    t.wait_for(r"pods\(shop\)")
    t.send("0")
    screen = t.wait_for(r"pods\(all\)")
    assert "NAMESPACE" in screen.split("pods(all)")[1]


def test_sort_wide_and_marks(open_tui):
    t = open_tui("-n", "shop", env={"NO_COLOR": "1"}, cols=260)
    t.wait_for(r"pods\(shop\)\[5\]")
    t.send("N")                               # name ascending: arrow on NAME
    t.wait_for(r"NAME\u2191")
    t.send("N")
    t.wait_for(r"NAME\u2193")
    t.send("g")
    wait_selected(t, "web-")
    t.send("A")
    t.wait_for(r"AGE\u2191")
    t.send("S-Right", "S-Right", "O")         # sort by the column picked with shift-arrows
    t.wait_for(r"STATUS\u2191")
    t.send("C-w")
    screen = t.wait_for(r"LABELS")
    assert "QOS" in screen
    t.send("C-w")
    t.wait_gone(r"LABELS")
    t.send("g", "Space")
    t.wait_for("\u2022")                      # the mark
    t.send("/")
    t.type("api")
    t.send("Enter")
    t.wait_gone("\u2022")                     # marks clear when the filter changes


def test_help_lists_keys_from_the_tables(open_tui):
    t = open_tui()
    t.wait_for(r"pods\(default\)")
    t.send("?")
    screen = t.wait_for(r"help\(table\)")
    for text in ["Pods", "<ctrl-k>", "kill the pod", "Table", "<ctrl-w>", "toggle wide columns",
                 "<shift-n>"]:
        assert text in screen, text
    t.send("G")                                   # the rest is further down
    screen = t.wait_for(r"General")
    for text in ["Navigation", "<j, down>", "<:>", "command mode"]:
        assert text in screen, text
    t.send("Escape")
    t.wait_for(r"pods\(default\)")


def mouse(t, x, y, button=0):
    """An SGR mouse press and release at 1-based column x, row y."""
    t.type(f"\x1b[<{button};{x};{y}M")
    if button < 64:
        t.type(f"\x1b[<{button};{x};{y}m")


def test_mouse(open_tui):
    t = open_tui("-n", "shop", env={"NO_COLOR": "1"}, rows=30)
    screen = t.wait_for(r"pods\(shop\)\[5\]")
    lines = screen.splitlines()
    row = next(i for i, l in enumerate(lines) if "standalone" in l)
    mouse(t, 5, row + 1)
    wait_selected(t, "standalone-")
    header = next(i for i, l in enumerate(lines) if "NAME" in l and "READY" in l)
    col = lines[header].index("NAME")
    mouse(t, col + 2, header + 1)
    t.wait_for(r"NAME\u2191")
    mouse(t, 5, row + 1, button=65)           # the wheel never crashes, even at the ends
    mouse(t, 5, row + 1, button=64)
    for x, y in [(1, 1), (1, 9), (130, 30), (1, 30), (60, 9)]:
        mouse(t, x, y)                        # borders and corners
    time.sleep(0.3)
    assert t.exit_status(timeout=0.1) is None
    t.wait_for(r"pods\(shop\)")


def test_header_crumbs_logo_switches(open_tui):
    t = open_tui("--headless", "--crumbsless", "-c", "deploy shop")
    screen = t.wait_for(r"deployments\(shop\)\[2\]")
    assert "Context:" not in screen and "<deployments>" not in screen
    t2 = open_tui("--logoless")
    screen = t2.wait_for(r"pods\(default\)")
    assert "Context:" in screen and "|_(_)" not in screen
    t3 = open_tui()
    screen = t3.wait_for(r"pods\(default\)")
    assert "|_(_)" in screen


def test_pod_metrics_columns(sim, open_tui):
    """metrics.k8s.io is served: pods get CPU, MEM and the four percentages, in kubectl top's
    units (millicores, MiB), and n/a where a pod has no sample or no request to divide by."""
    t = open_tui("-n", "shop", cols=220)
    screen = t.wait_for(r"CPU\s+MEM\s+%CPU/R\s+%CPU/L\s+%MEM/R\s+%MEM/L", timeout=20)
    # kubesim varies usage per 15 s scrape window, and timon refreshes every 15 s: compare a
    # kubectl top snapshot with the screen until both show the same window.
    deadline, seen = time.time() + 40, None
    while time.time() < deadline:
        top = sim.kubectl("top", "pod", "-n", "shop", "--no-headers", check=False).stdout
        usage = {l.split()[0]: l.split()[1:3] for l in top.splitlines() if l.strip()}
        assert usage, top
        name = sorted(usage)[0]
        cpu, mem = usage[name][0].rstrip("m"), usage[name][1].rstrip("Mi")
        seen = re.search(re.escape(name) + r"\b.*\s" + re.escape(cpu) + r"\s+" + re.escape(mem)
                         + r"\s", t.screen())
        if seen:
            break
        time.sleep(1)
    assert seen, (top, t.screen())
    rows = [l for l in t.screen().splitlines() if "Running" in l]
    assert rows and all(re.search(r"\s(\d+|n/a)\s+(\d+|n/a)\s+(\d+|n/a)\s", r) for r in rows)
