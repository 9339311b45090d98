"""Contexts: two kubesim clusters and an unreachable one, in three kubeconfig files joined by
KUBECONFIG. :ctx lists them; a switch is total (the first server hears nothing more), an
unreachable context shows its error and timon stays up, switching back restores the view, a
pinned action never lands on the other cluster, and per-context settings survive a restart."""
import os
import re
import socket
import time

import pytest
import yaml

from conftest import FIXTURES
from harness import KubeSim

ALPHA = os.path.join(FIXTURES, "ctx-alpha.yaml")
BETA = os.path.join(FIXTURES, "ctx-beta.yaml")


def renamed_kubeconfig(src, dst, name):
    """kubesim names everything "kubesim": give the context, cluster and user their own name."""
    with open(src) as f:
        kc = yaml.safe_load(f)
    kc["clusters"][0]["name"] = name
    kc["users"][0]["name"] = name + "-admin"
    kc["contexts"][0]["name"] = name
    kc["contexts"][0]["context"]["cluster"] = name
    kc["contexts"][0]["context"]["user"] = name + "-admin"
    kc["current-context"] = name
    with open(dst, "w") as f:
        yaml.safe_dump(kc, f)
    os.chmod(dst, 0o600)


def closed_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


@pytest.fixture
def clusters(tmp_path):
    a = KubeSim("--objects", ALPHA, workdir=str(tmp_path / "alpha"))
    b = KubeSim("--objects", BETA, workdir=str(tmp_path / "beta"))
    ka, kb, kg = (str(tmp_path / n) for n in ("alpha.yaml", "beta.yaml", "gamma.yaml"))
    renamed_kubeconfig(a.kubeconfig, ka, "alpha")
    renamed_kubeconfig(b.kubeconfig, kb, "beta")
    # The third file: a closed port, and two broken ways into beta's server (a token it
    # refuses, a credential plugin that fails).
    with open(kg, "w") as f:
        yaml.safe_dump({
            "apiVersion": "v1", "kind": "Config",
            "clusters": [{"name": "gamma", "cluster": {
                "server": f"https://127.0.0.1:{closed_port()}", "insecure-skip-tls-verify": True}},
                {"name": "beta-again", "cluster": {"server": b.url,
                                                   "insecure-skip-tls-verify": True}}],
            "users": [{"name": "gamma-user", "user": {"token": "not-a-real-token"}},
                      {"name": "plugin-user", "user": {"exec": {
                          "apiVersion": "client.authentication.k8s.io/v1",
                          "command": "false", "interactiveMode": "Never"}}}],
            "contexts": [{"name": "gamma-prod", "context": {"cluster": "gamma",
                                                           "user": "gamma-user"}},
                         {"name": "delta", "context": {"cluster": "beta-again",
                                                      "user": "gamma-user"}},
                         {"name": "epsilon", "context": {"cluster": "beta-again",
                                                        "user": "plugin-user"}}],
        }, f)
    env = {"KUBECONFIG": ":".join([ka, kb, kg]),
           "XDG_CONFIG_HOME": str(tmp_path / "cfg"), "XDG_DATA_HOME": str(tmp_path / "data")}
    yield a, b, env
    a.stop()
    b.stop()


def command(t, line):
    t.send(":")
    t.type(line)
    t.send("Enter")


def quiet_since(sim, n):
    return [r for r in sim.requests()[n:]]


def test_switch_list_error_and_back(clusters, tui):
    a, b, env = clusters
    t = tui(["-c", "cm"], env=env)
    t.wait_for(r"configmaps\(default\)\[\d")
    t.wait_for(r"alpha-settings")
    command(t, "ctx")
    screen = t.wait_for(r"contexts\[5\]")
    for name in ["alpha(*)", "beta", "gamma-prod", "CLUSTER", "AUTHINFO", "gamma-user"]:
        assert name in screen, name
    # Filtering works as in any table.
    t.send("/")
    t.type("^bet")
    t.send("Enter")
    t.wait_for(r"contexts\[1\] </\^bet>")
    t.send("Enter")                              # switch to beta
    screen = t.wait_for(r"beta-pod-one")
    assert "Context:   beta" in screen and "alpha" not in screen
    assert "beta-pod-two" in screen
    time.sleep(1.5)                               # the switch settles
    n = len(a.requests())
    time.sleep(3)
    assert quiet_since(a, n) == [], quiet_since(a, n)
    # The unreachable one: an error on screen, timon stays up, :ctx still works.
    command(t, "ctx gamma-prod")
    t.wait_for(r"Context:\s+gamma-prod")
    t.wait_for(r"(connection refused|cannot connect|Connection refused)", timeout=20)
    assert t.exit_status(timeout=0.1) is None
    command(t, "ctx delta")
    t.wait_for(r"Context:\s+delta")
    t.wait_for(r"Unauthorized", timeout=20)
    command(t, "ctx epsilon")
    t.wait_for(r"Context:\s+epsilon")
    t.wait_for(r"context epsilon: .*(false|plugin|exit)", timeout=20)
    assert t.exit_status(timeout=0.1) is None
    command(t, "ctx alpha")
    screen = t.wait_for(r"configmaps\(default\)")  # alpha's last view is back
    t.wait_for(r"alpha-settings")
    assert "Context:   alpha" in t.screen()


def test_command_in_another_context(clusters, tui):
    a, b, env = clusters
    t = tui([], env=env)
    t.wait_for(r"alpha-pod")
    command(t, "pods @beta")
    screen = t.wait_for(r"beta-pod-one")
    assert "Context:   beta" in screen and "alpha-pod" not in screen


def test_danger_context_is_marked(clusters, tui):
    a, b, env = clusters
    t = tui(["-c", "deploy"], env=env)
    t.wait_for(r"deployments\(default\)\[1\]")
    esc = t.screen(escapes=True)
    command(t, "ctx gamma-prod")
    t.wait_for(r"Context:\s+gamma-prod")
    marked = t.screen(escapes=True)
    # The context name is drawn in another style than a safe context's.
    line_safe = next(l for l in esc.splitlines() if "Context:" in l)
    line_prod = next(l for l in marked.splitlines() if "Context:" in l)
    style = lambda line, word: line[:line.index(word)].rsplit("\x1b[", 1)[-1]
    assert style(line_safe, "alpha") != style(line_prod, "gamma-prod")


def test_pinned_drain_stops_with_its_context(clusters, tui, tmp_path):
    """A destructive action runs in alpha (a drain held by a disruption budget); the user
    switches to beta meanwhile. Nothing of it ever reaches beta, and alpha hears no more of it."""
    a, b, env = clusters
    pdb = tmp_path / "pdb.yaml"
    pdb.write_text("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, "
                   "namespace: default}\nspec:\n  maxUnavailable: 0\n  selector: {matchLabels: "
                   "{app: alpha-web}}\n")
    a.kubectl("apply", "-f", str(pdb))
    deadline = time.time() + 30  # the budget is processed (else the first 429 says only that)
    while time.time() < deadline and not a.kubectl(
            "get", "pdb", "web", "-o", "jsonpath={.status.observedGeneration}").stdout.strip():
        time.sleep(0.3)
    t = tui(["-c", "nodes"], env=env)
    t.wait_for(r"nodes\[1\]")
    t.send("r")
    t.wait_for(r"\[ Drain \]")
    t.send("Tab", "Tab", "Tab", "Tab", "Space")   # force: alpha-pod has no controller
    t.send("Tab", "Tab", "Tab", "Tab", "Enter")
    t.wait_for(r"waiting for a PodDisruptionBudget", timeout=30)
    command(t, "ctx beta")
    t.wait_for(r"beta-pod-one")
    time.sleep(1.5)
    n = len(a.requests())
    a.kubectl("delete", "pdb", "web", "-n", "default")
    time.sleep(7)                                  # longer than the eviction retry
    b_writes = [r for r in b.requests() if r.get("method") not in ("GET",)
                and "selfsubjectaccessreviews" not in r.get("path", "")]
    assert b_writes == [], b_writes
    later = [r for r in a.requests()[n:] if r.get("user") != "kubesim-admin"
             or r.get("path", "").endswith("/eviction")]
    assert [r for r in later if r.get("path", "").endswith("/eviction")] == []


def test_dialog_cannot_outlive_its_context(clusters, tui):
    """A delete confirmed after a switch attempt: the dialog is modal, so the switch keys reach
    the dialog (Enter presses Cancel) and nothing is deleted anywhere."""
    a, b, env = clusters
    t = tui(["-c", "cm"], env=env)
    t.wait_for(r"alpha-settings")
    t.send("/")
    t.type("alpha-settings")
    t.send("Enter")
    t.send("C-d")
    t.wait_for(r"\[ Delete \]")
    command(t, "ctx beta")                        # ':' 'ctx beta' go to the dialog; Enter cancels
    t.wait_gone(r"\[ Delete \]")
    t.send("Tab", "Enter")
    time.sleep(1)
    for sim in (a, b):
        assert [r for r in sim.requests() if r.get("method") == "DELETE"] == []


def test_per_context_settings_survive_a_restart(clusters, tui, tmp_path):
    a, b, env = clusters
    t = tui([], env=env)
    t.wait_for(r"alpha-pod")
    command(t, "deploy alpha-ns")
    t.wait_for(r"deployments\(alpha-ns\)")
    t.send("q")                                    # back to... the first view? quit at first
    t.send(":")
    t.type("q")
    t.send("Enter")
    assert t.exit_status(timeout=10) == 0
    path = tmp_path / "data" / "timon" / "clusters" / "alpha" / "alpha" / "config.yaml"
    assert path.exists()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    saved = yaml.safe_load(path.read_text())
    assert saved["k9s"]["namespace"]["active"] == "alpha-ns"
    assert saved["k9s"]["view"]["active"] == "deploy alpha-ns"
    # Settings of one's own are kept when timon writes the file.
    saved["k9s"]["readOnly"] = True
    path.write_text(yaml.safe_dump(saved))
    t2 = tui([], env=env)
    screen = t2.wait_for(r"deployments\(alpha-ns\)")
    assert "[read-only]" in screen
    t2.send(":")
    t2.type("q")
    t2.send("Enter")
    assert t2.exit_status(timeout=10) == 0
    assert yaml.safe_load(path.read_text())["k9s"]["readOnly"] is True
    # The kubeconfigs were never written.
    for name in ("alpha.yaml", "beta.yaml", "gamma.yaml"):
        assert "timon" not in (tmp_path / name).read_text()


def test_danger_patterns_and_per_context_skin(clusters, tui, tmp_path):
    a, b, env = clusters
    cfg = tmp_path / "cfg" / "timon"
    cfg.mkdir(parents=True)
    (cfg / "config.yaml").write_text("timon:\n  dangerContexts: ['^beta$']\n")
    ctxdir = tmp_path / "data" / "timon" / "clusters" / "alpha" / "alpha"
    ctxdir.mkdir(parents=True)
    (ctxdir / "config.yaml").write_text("k9s:\n  skin: high-contrast\n")
    t = tui(["--context", "beta"], env=env)
    t.wait_for(r"beta-pod-one")
    t.send("/")
    t.type("beta-pod-one")
    t.send("Enter")
    t.send("C-d")
    t.wait_for(r"CAREFUL: beta is a protected context")
    t.send("Escape")
    t.wait_gone(r"\[ Delete \]")
    # alpha brings its own skin: the same table header is painted differently.
    # (Only the column titles: the frame around them also changes, beta being dangerous.)
    def header():
        line = next(l for l in t.screen(escapes=True).splitlines() if "READY" in l)
        return re.findall(r"((?:\x1b\[[0-9;]*m)+)(?:NAME|READY|STATUS)", line)
    before = header()
    command(t, "ctx alpha")
    t.wait_for(r"alpha-pod")
    after = header()
    assert before != after
    assert "CAREFUL" not in t.screen()


def test_read_only_follows_the_context(clusters, tui, tmp_path):
    """alpha's settings say readOnly; beta's do not. Switching carries nothing over: beta
    takes labels, alpha refuses them again, and alpha's server sees no write."""
    a, b, env = clusters
    ctxdir = tmp_path / "data" / "timon" / "clusters" / "alpha" / "alpha"
    ctxdir.mkdir(parents=True)
    (ctxdir / "config.yaml").write_text("k9s:\n  readOnly: true\n")
    t = tui([], env=env)
    t.wait_for(r"Context:\s+alpha \[read-only\]")
    t.wait_for(r"alpha-pod")
    t.send("L")
    t.wait_for(r"read-only: labels is disabled")
    command(t, "pods @beta")
    screen = t.wait_for(r"beta-pod-one")
    assert "[read-only]" not in screen
    t.send("/")
    t.type("beta-pod-one")
    t.send("Enter")
    t.send("L")
    t.wait_for(r"Labels")                          # the label prompt, not a refusal
    t.type("checked=yes")
    t.send("Enter")
    deadline = time.time() + 10
    while time.time() < deadline and not any(
            r.get("method") == "PATCH" for r in b.requests()):
        time.sleep(0.2)
    assert any(r.get("method") == "PATCH" for r in b.requests())
    command(t, "ctx alpha")
    t.wait_for(r"Context:\s+alpha \[read-only\]")
    t.wait_for(r"alpha-pod")
    t.send("L")
    t.wait_for(r"read-only: labels is disabled")
    assert [r for r in a.requests() if r.get("method") not in ("GET", "POST")] == []


def test_wrong_certificate_and_namespace_memory(clusters, tui, tmp_path):
    """A context whose CA is not its server's shows the certificate error and timon stays up;
    within one session, each context comes back in the namespace it was left in."""
    a, b, env = clusters
    alpha = yaml.safe_load(open(env["KUBECONFIG"].split(":")[0]))
    beta = yaml.safe_load(open(env["KUBECONFIG"].split(":")[1]))
    zeta = tmp_path / "zeta.yaml"
    zeta.write_text(yaml.safe_dump({
        "apiVersion": "v1", "kind": "Config",
        "clusters": [{"name": "zeta", "cluster": {
            "server": b.url,
            "certificate-authority-data":
                alpha["clusters"][0]["cluster"]["certificate-authority-data"]}}],
        "users": [{"name": "zeta-user", "user": beta["users"][0]["user"]}],
        "contexts": [{"name": "zeta", "context": {"cluster": "zeta", "user": "zeta-user"}}]}))
    env = dict(env, KUBECONFIG=env["KUBECONFIG"] + ":" + str(zeta))
    t = tui([], env=env)
    t.wait_for(r"alpha-pod")
    command(t, "pods alpha-ns")
    t.wait_for(r"pods\(alpha-ns\)")
    command(t, "ctx beta")
    t.wait_for(r"beta-pod-one")
    command(t, "ctx zeta")
    t.wait_for(r"Context:\s+zeta")
    t.wait_for(r"certificate", timeout=20)
    assert t.exit_status(timeout=0.1) is None
    command(t, "ctx alpha")
    t.wait_for(r"Context:\s+alpha")
    t.wait_for(r"pods\(alpha-ns\)")                 # the namespace it was left in
