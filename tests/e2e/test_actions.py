"""Actions end to end: each key driven in tmux against kubesim, then the server's state checked
with kubectl. Dialogs: destructive ones open on Cancel, Tab moves, Enter activates."""
import json
import os
import re
import time

import pytest

from conftest import FIXTURES
from harness import KubeSim

ACTIONS = os.path.join(FIXTURES, "actions.yaml")


@pytest.fixture
def sim(tmp_path):
    s = KubeSim("--objects", ACTIONS, workdir=str(tmp_path / "sim"))
    wait_until(lambda: s.kubectl("get", "deploy", "web", "-n", "ops", "-o",
                                 "jsonpath={.status.readyReplicas}", check=False).stdout == "2")
    yield s
    s.stop()


def wait_until(cond, timeout=30, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def jget(sim, *args):
    return json.loads(sim.kubectl("get", *args, "-o", "json").stdout)


def command(t, line):
    t.send(":")
    t.type(line)
    t.send("Enter")


@pytest.fixture
def open_tui(sim, tui):
    def start(*args, **kw):
        env = dict(kw.pop("env", {}), NO_COLOR="1")
        return tui(["--kubeconfig", sim.kubeconfig, "-n", "ops", *args], env=env, **kw)
    return start


def select(t, name):
    """Filters the table down to one row named `name` (the selection lands on it)."""
    t.send("/")
    t.type(f"^{name}")
    t.send("Enter")
    t.wait_for(rf"\[1\] </\^{re.escape(name)}>")


def test_scale_deployment(sim, open_tui):
    t = open_tui("-c", "deploy")
    t.wait_for(r"deployments\(ops\)\[1\]")
    t.send("s")
    screen = t.wait_for(r"Replicas: 2")          # pre-filled from the server, focused
    assert "context kubesim" in screen and "namespace ops" in screen and "Deployment web" in screen
    t.send("C-u")
    t.type("4")
    t.send("Enter")
    t.wait_for(r"deployment/web in ops scaled to 4")
    wait_until(lambda: jget(sim, "deploy", "web", "-n", "ops")["spec"]["replicas"] == 4,
               what="4 replicas")
    t.wait_for(r"web\s+\d/4")                     # the watch shows it without a refresh


def test_restart_deployment(sim, open_tui):
    t = open_tui("-c", "deploy")
    t.wait_for(r"deployments\(ops\)\[1\]")
    t.send("r")
    t.wait_for(r"Restart")
    t.send("Enter")                               # Cancel is focused: nothing happens
    t.wait_gone(r"\[ Restart \]")
    assert "restartedAt" not in json.dumps(jget(sim, "deploy", "web", "-n", "ops"))
    t.send("r")
    t.wait_for(r"\[ Restart \]")
    t.send("Tab", "Enter")
    t.wait_for(r"deployment/web in ops restarted")
    ann = jget(sim, "deploy", "web", "-n", "ops")["spec"]["template"]["metadata"]["annotations"]
    assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$",
                    ann["kubectl.kubernetes.io/restartedAt"])


def test_rollback_after_set_image(sim, open_tui):
    sim.kubectl("set", "image", "deploy/web", "-n", "ops", "nginx=nginx:1.28")
    wait_until(lambda: jget(sim, "deploy", "web", "-n", "ops")["metadata"]["annotations"]
               .get("deployment.kubernetes.io/revision") == "2", what="revision 2")
    t = open_tui("-c", "deploy")
    t.wait_for(r"deployments\(ops\)\[1\]")
    t.send("C-l")
    screen = t.wait_for(r"rollout history\(deployments/web\)\[2\]")
    screen = t.wait_for(r"2 \*current")
    assert "nginx:1.28" in screen and "nginx:1.27" in screen
    t.send("Enter")                               # the previous revision is selected
    screen = t.wait_for(r"revision 2 -> 1")
    assert re.search(r"- .*image: nginx:1.28", screen) and re.search(r"\+ .*image: nginx:1.27",
                                                                      screen)
    t.send("Tab", "Enter")
    t.wait_for(r"deployment/web in ops rolled back to revision 1")
    d = jget(sim, "deploy", "web", "-n", "ops")
    assert d["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.27"
    wait_until(lambda: jget(sim, "deploy", "web", "-n", "ops")["metadata"]["annotations"]
               .get("deployment.kubernetes.io/revision") == "3", what="revision 3")
    t.wait_for(r"3 \*current")                    # the history view reloads


def test_rollback_from_replicaset(sim, open_tui):
    sim.kubectl("set", "image", "deploy/web", "-n", "ops", "nginx=nginx:1.28")
    wait_until(lambda: len(jget(sim, "rs", "-n", "ops", "-l", "app=web")["items"]) == 2,
               what="two replicasets")
    old = [rs for rs in jget(sim, "rs", "-n", "ops", "-l", "app=web")["items"]
           if rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"][0]
    t = open_tui("-c", "rs")
    t.wait_for(r"replicasets\(ops\)\[2\]")
    select(t, old["metadata"]["name"])
    t.send("C-l")
    t.wait_for(r"revision 2 -> 1")
    t.send("Tab", "Enter")
    t.wait_for(r"rolled back to revision 1")
    assert jget(sim, "deploy", "web", "-n", "ops")["spec"]["template"]["spec"]["containers"][0][
        "image"] == "nginx:1.27"


def test_rollback_statefulset(sim, open_tui):
    sim.kubectl("set", "image", "sts/db", "-n", "ops", "pg=postgres:17")
    wait_until(lambda: len(jget(sim, "controllerrevisions", "-n", "ops", "-l", "app=db")["items"])
               == 2, what="two controller revisions")
    t = open_tui("-c", "sts")
    t.wait_for(r"statefulsets\(ops\)\[1\]")
    t.send("C-l")
    t.wait_for(r"2 \*current")
    t.send("Enter")
    t.wait_for(r"revision 2 -> 1")
    t.send("Tab", "Enter")
    t.wait_for(r"statefulset/db in ops rolled back to revision 1")
    assert jget(sim, "sts", "db", "-n", "ops")["spec"]["template"]["spec"]["containers"][0][
        "image"] == "postgres:16"


def test_labels_add_remove_and_invalid(sim, open_tui):
    t = open_tui("-c", "cm")
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("L")
    t.wait_for(r"labels: team=blue")
    t.type("tier=front team-")
    t.send("Tab")
    t.type("note=\"hello world\"")
    t.send("Enter")
    t.wait_for(r"configmap/settings in ops labeled")
    md = jget(sim, "cm", "settings", "-n", "ops")["metadata"]
    assert md["labels"] == {"tier": "front"}
    assert md["annotations"]["note"] == "hello world"
    before = sim.requests()
    t.send("L")
    t.wait_for(r"labels: tier=front")
    t.type("bad_key!=x")
    t.send("Enter")
    t.wait_for(r"nothing was sent")
    t.send("C-u")
    t.type("ok=" + "v" * 64)
    t.send("Enter")
    t.wait_for(r"63")                             # the limit, named before sending
    t.send("Escape")
    t.wait_gone(r"\[ Apply \]")
    writes = [r for r in sim.requests()[len(before):] if r.get("method") != "GET"]
    assert writes == [], writes


def test_labels_conflict_offers_retry(sim, open_tui):
    t = open_tui("-c", "cm")
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("L")
    t.wait_for(r"labels: team=blue")
    sim.kubectl("label", "cm", "settings", "-n", "ops", "other=1")   # someone else writes
    t.type("tier=front")
    t.send("Enter")
    t.wait_for(r"conflict")
    t.wait_for(r"\[ Retry \]")
    t.send("Enter")
    t.wait_for(r"configmap/settings in ops labeled")
    assert jget(sim, "cm", "settings", "-n", "ops")["metadata"]["labels"] == {
        "team": "blue", "other": "1", "tier": "front"}


def test_delete_cancel_then_delete(sim, open_tui):
    t = open_tui("-c", "cm")
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("C-d")
    screen = t.wait_for(r"\[ Delete \]")
    assert "Propagation: < Background >" in screen and "ConfigMap settings" in screen
    t.send("Enter")                               # Cancel has the focus
    t.wait_gone(r"\[ Delete \]")
    assert sim.kubectl("get", "cm", "settings", "-n", "ops", check=False).returncode == 0
    t.send("C-d")
    t.wait_for(r"\[ Delete \]")
    t.send("Tab", "Enter")
    t.wait_for(r"configmap/settings in ops deleted")
    assert sim.kubectl("get", "cm", "settings", "-n", "ops", check=False).returncode != 0
    deletes = [r for r in sim.requests() if r.get("method") == "DELETE"]
    assert len(deletes) == 1


def test_kill_pod(sim, open_tui):
    t = open_tui()
    t.wait_for(r"pods\(ops\)")
    select(t, "lonely")
    t.send("C-k")
    t.wait_for(r"\[ Kill \]")
    t.send("Tab", "Enter")
    t.wait_for(r"pod/lonely in ops killed")
    wait_until(lambda: sim.kubectl("get", "pod", "lonely", "-n", "ops", check=False).returncode
               != 0, what="the pod gone")


def test_edit_with_scripted_editor(sim, open_tui, tmp_path):
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\nsed -i 's/color: blue/color: green/' \"$1\"\n")
    script.chmod(0o755)
    t = open_tui("-c", "cm", env={"EDITOR": str(script)})
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("e")
    t.wait_for(r"configmap/settings in ops edited")
    assert jget(sim, "cm", "settings", "-n", "ops")["data"]["color"] == "green"
    puts = [r for r in sim.requests() if r.get("method") == "PUT"]
    assert len(puts) == 1


def test_edit_without_change_sends_nothing(sim, open_tui, tmp_path):
    script = tmp_path / "editor.sh"
    script.write_text("#!/bin/sh\ntrue\n")
    script.chmod(0o755)
    t = open_tui("-c", "cm", env={"KUBE_EDITOR": str(script), "EDITOR": "false"})
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("e")
    t.wait_for(r"Edit cancelled, no changes made")
    assert not [r for r in sim.requests() if r.get("method") != "GET"
                and "selfsubjectaccessreviews" not in r.get("path", "")]


def test_edit_invalid_reopens_with_the_error(sim, open_tui, tmp_path):
    # First save: broken YAML. Second: the error is on top and the user's text is below it; fix.
    script = tmp_path / "editor.sh"
    log = tmp_path / "seen"
    script.write_text(f"""#!/bin/sh
n=$(cat {log} 2>/dev/null | wc -l)
cp "$1" {tmp_path}/round$n
echo x >> {log}
if [ "$n" = 0 ]; then
  sed -i 's/color: blue/color: [unclosed/' "$1"
else
  sed -i 's/color: \\[unclosed/color: red/' "$1"
fi
""")
    script.chmod(0o755)
    t = open_tui("-c", "cm", env={"EDITOR": str(script)})
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("e")
    t.wait_for(r"configmap/settings in ops edited", timeout=20)
    second = (tmp_path / "round1").read_text()
    assert "# error:" in second and "color: [unclosed" in second
    assert jget(sim, "cm", "settings", "-n", "ops")["data"]["color"] == "red"


def test_edit_that_lost_a_race_keeps_the_other_writers_change(sim, open_tui, tmp_path):
    # While the editor is open, someone else labels the ConfigMap: the save conflicts, the
    # editor reopens with the user's change carried onto the latest version, and saving that
    # keeps both the user's change and the other label.
    script = tmp_path / "editor.sh"
    log = tmp_path / "seen"
    home = tmp_path / "home"
    home.mkdir()
    script.write_text(f"""#!/bin/sh
n=$(cat {log} 2>/dev/null | wc -l)
echo x >> {log}
cp "$1" {tmp_path}/round$n
if [ "$n" = 0 ]; then
  sed -i '/^  color: /a\\  size: raced' "$1"
  HOME={home} KUBECACHEDIR={home}/cache kubectl --kubeconfig {sim.kubeconfig} \\
    label configmap settings -n ops racer=yes >/dev/null 2>&1
fi
""")
    script.chmod(0o755)
    t = open_tui("-c", "cm", env={"EDITOR": str(script)})
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("e")
    t.wait_for(r"configmap/settings in ops edited", timeout=30)
    second = (tmp_path / "round1").read_text()
    assert "changes are applied to its latest version" in second
    assert "racer: " in second and "size: raced" in second
    cm = jget(sim, "cm", "settings", "-n", "ops")
    assert cm["data"]["size"] == "raced"
    assert cm["metadata"]["labels"]["racer"] == "yes"


def test_edit_abandoned_after_an_error_keeps_the_users_text(sim, open_tui, tmp_path):
    # First save: broken YAML. On the reopen the editor fails (:cq in vim): what the user wrote
    # stays on disk, and the flash says where.
    script = tmp_path / "editor.sh"
    log = tmp_path / "seen"
    script.write_text(f"""#!/bin/sh
n=$(cat {log} 2>/dev/null | wc -l)
echo x >> {log}
if [ "$n" = 0 ]; then
  sed -i 's/color: .*/color: [mine/' "$1"
else
  exit 1
fi
""")
    script.chmod(0o755)
    before = jget(sim, "cm", "settings", "-n", "ops")["data"]["color"]
    t = open_tui("-c", "cm", env={"EDITOR": str(script)}, cols=240)
    t.wait_for(r"configmaps\(ops\)")
    select(t, "settings")
    t.send("e")
    screen = t.wait_for(r"edit cancelled: .*your text is in (\S+)", timeout=20)
    path = re.search(r"your text is in (\S+)", screen).group(1)
    assert "color: [mine" in open(path).read()
    assert jget(sim, "cm", "settings", "-n", "ops")["data"]["color"] == before


def test_cordon_uncordon_and_drain(sim, open_tui):
    wait_until(lambda: jget(sim, "pods", "-n", "ops", "-l", "app=agent")["items"].__len__() == 2,
               what="a daemon pod per node")
    t = open_tui("-c", "nodes")
    t.wait_for(r"nodes\[2\]")
    select(t, "kubesim-node-2")
    t.send("c")
    t.wait_for(r"\[ Cordon \]")
    t.send("Enter")                               # not destructive: the action has the focus
    t.wait_for(r"node/kubesim-node-2 cordoned")
    assert jget(sim, "node", "kubesim-node-2")["spec"].get("unschedulable") is True
    t.send("u")
    t.wait_for(r"\[ Uncordon \]")
    t.send("Enter")
    t.wait_for(r"node/kubesim-node-2 uncordoned")
    assert not jget(sim, "node", "kubesim-node-2")["spec"].get("unschedulable")
    # Drain: the node's workload pods are evicted, the DaemonSet's is left alone.
    on_node = [p["metadata"]["name"] for p in jget(sim, "pods", "-n", "ops")["items"]
               if p["spec"].get("nodeName") == "kubesim-node-2"
               and p["metadata"]["ownerReferences"][0]["kind"] != "DaemonSet"]
    t.send("r")
    screen = t.wait_for(r"\[ Drain \]")
    assert "Ignore DaemonSets: [x]" in screen
    t.send("Tab", "Tab", "Tab", "Tab", "Tab", "Tab")   # past the five fields to Drain
    t.send("Enter")
    t.wait_for(r"node/kubesim-node-2 drained", timeout=60)
    assert jget(sim, "node", "kubesim-node-2")["spec"].get("unschedulable") is True
    left = [p["metadata"]["name"] for p in jget(sim, "pods", "-n", "ops")["items"]
            if p["spec"].get("nodeName") == "kubesim-node-2"]
    assert not set(on_node) & set(left)
    evictions = [r for r in sim.requests() if r.get("path", "").endswith("/eviction")]
    assert len(evictions) >= len(on_node)


def test_cronjob_trigger_and_suspend(sim, open_tui):
    t = open_tui("-c", "cj")
    t.wait_for(r"cronjobs\(ops\)\[1\]")
    t.send("t")
    t.wait_for(r"\[ Trigger \]")
    t.send("Enter")
    t.wait_for(r"job/nightly-manual-\w+ created from cronjob/nightly")
    jobs = jget(sim, "jobs", "-n", "ops")["items"]
    assert len(jobs) == 1
    job = jobs[0]
    assert job["metadata"]["annotations"]["cronjob.kubernetes.io/instantiate"] == "manual"
    assert job["metadata"]["ownerReferences"][0]["kind"] == "CronJob"
    t.send("s")
    t.wait_for(r"\[ Suspend \]")
    t.send("Enter")
    t.wait_for(r"cronjob/nightly in ops suspended")
    assert jget(sim, "cj", "nightly", "-n", "ops")["spec"]["suspend"] is True
    t.wait_for(r"nightly\s+0 3 \* \* \*.*True")
    t.send("s")
    t.wait_for(r"\[ Resume \]")
    t.send("Enter")
    t.wait_for(r"cronjob/nightly in ops resumed")
    assert jget(sim, "cj", "nightly", "-n", "ops")["spec"]["suspend"] is False


def test_scale_marked_rows(sim, open_tui):
    sim.kubectl("create", "deployment", "api", "-n", "ops", "--image=example/api:1")
    t = open_tui("-c", "deploy")
    t.wait_for(r"deployments\(ops\)\[2\]")
    t.send("g", "Space", "Space")                 # mark both
    t.send("s")
    screen = t.wait_for(r"2 Deployments \(marked\)")
    t.send("C-u")
    t.type("3")
    t.send("Enter")
    t.wait_for(r"scale: done for 2 Deployments")
    assert jget(sim, "deploy", "web", "-n", "ops")["spec"]["replicas"] == 3
    assert jget(sim, "deploy", "api", "-n", "ops")["spec"]["replicas"] == 3


# The mutating keys each view binds, with the action each names (in read-only mode every one
# must be refused, by name).
COMMON = [("L", "labels"), ("C-d", "delete"), ("e", "edit")]
READONLY_VIEWS = [
    ("deploy", r"deployments\(ops\)\[1\]",
     [("s", "scale"), ("r", "restart"), ("C-l", "rollback")] + COMMON),
    ("pods", r"pods\(ops\)\[\d", [("C-k", "kill")] + COMMON),
    ("rs", r"replicasets\(ops\)\[1\]", [("s", "scale"), ("C-l", "rollback")] + COMMON),
    ("nodes", r"nodes\[2\]", [("c", "cordon"), ("u", "uncordon"), ("r", "drain")] + COMMON),
    ("cm", r"configmaps\(ops\)\[\d", COMMON),
    ("cj", r"cronjobs\(ops\)\[1\]", [("t", "trigger"), ("s", "suspend")] + COMMON),
]


def test_readonly_sends_nothing_but_get(sim, open_tui):
    t = open_tui("--readonly", "-c", "deploy")
    screen = t.wait_for(r"deployments\(ops\)\[1\]")
    assert "read-only" in screen
    for view, title, keys in READONLY_VIEWS:
        for key, name in keys:
            command(t, view)
            t.wait_for(title)
            t.send(key)
            t.wait_for(rf"read-only: {name} is disabled")
            t.send("Tab", "Enter")
            command(t, "ns")                      # leave whatever Enter opened
            t.wait_for(r"namespaces\[")
    time.sleep(1)
    writes = [r for r in sim.requests() if r.get("method") != "GET"]
    assert writes == [], writes


def test_readonly_from_config_and_its_precedence(sim, open_tui, tmp_path):
    cfg, data = tmp_path / "cfg", tmp_path / "data"
    (cfg / "timon").mkdir(parents=True)
    (cfg / "timon" / "config.yaml").write_text("k9s:\n  readOnly: true\n")
    env = {"XDG_CONFIG_HOME": str(cfg), "XDG_DATA_HOME": str(data)}
    t = open_tui("-c", "deploy", env=env)
    t.wait_for(r"Context:\s+kubesim \[read-only\]")
    t.wait_for(r"deployments\(ops\)\[1\]")
    t.send("s")
    t.wait_for(r"read-only: scale is disabled")
    # --write wins over the file.
    t2 = open_tui("--write", "-c", "deploy", env=env)
    screen = t2.wait_for(r"deployments\(ops\)\[1\]")
    assert "[read-only]" not in screen
    # The context's readOnly: false wins over the global true ...
    ctxdir = data / "timon" / "clusters" / "kubesim" / "kubesim"
    ctxdir.mkdir(parents=True)
    (ctxdir / "config.yaml").write_text("k9s:\n  readOnly: false\n")
    t3 = open_tui("-c", "deploy", env=env)
    screen = t3.wait_for(r"deployments\(ops\)\[1\]")
    assert "[read-only]" not in screen
    # ... and --readonly wins over the context. A broken file is reported, never fatal.
    (cfg / "timon" / "config.yaml").write_text("k9s:\n  readOnly: [\n")
    t4 = open_tui("--readonly", "-c", "deploy", env=env)
    screen = t4.wait_for(r"ignored \S*config\.yaml")
    assert "[read-only]" in screen
    writes = [r for r in sim.requests() if r.get("method") != "GET"
              and "selfsubjectaccessreviews" not in r.get("path", "")]
    assert writes == [], writes


def test_forbidden_actions_are_dimmed_and_refused(tmp_path, tui):
    viewer = str(tmp_path / "viewer")
    s = KubeSim("--objects", ACTIONS, os.path.join(FIXTURES, "actions-viewer.yaml"),
                "--client-cert-out", "viewer", "", viewer, workdir=str(tmp_path / "sim"))
    try:
        t = tui(["--kubeconfig", viewer + ".kubeconfig", "-n", "ops", "-c", "deploy"],
                env={"NO_COLOR": "1"})
        t.wait_for(r"deployments\(ops\)\[1\]")
        # The answers arrive: delete and restart are dimmed, scale is not.
        deadline = time.time() + 10
        while time.time() < deadline:
            esc = t.screen(escapes=True)
            if re.search(r"\x1b\[[0-9;]*2[0-9;]*m<ctrl-d>", esc):
                break
            time.sleep(0.2)
        assert re.search(r"\x1b\[[0-9;]*2[0-9;]*m<ctrl-d>", esc), esc
        assert re.search(r"\x1b\[[0-9;]*2[0-9;]*m<r>", esc)
        assert not re.search(r"\x1b\[[0-9;]*2[0-9;]*m<s>", esc)
        before = len(s.requests())
        t.send("C-d")
        t.wait_for(r"forbidden: you may not delete deployments")
        t.send("r")
        t.wait_for(r"forbidden: you may not restart deployments")
        sent = [r for r in s.requests()[before:] if r.get("method") not in ("GET", "POST")]
        assert sent == [], sent
        t.send("s")                               # allowed: scale goes through
        t.wait_for(r"Replicas: 2")
        t.send("C-u")
        t.type("1")
        t.send("Enter")
        t.wait_for(r"deployment/web in ops scaled to 1")
    finally:
        s.stop()


def test_drain_waits_for_a_disruption_budget(sim, open_tui, tmp_path):
    pdb = tmp_path / "pdb.yaml"
    pdb.write_text("apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata: {name: web, "
                   "namespace: ops}\nspec:\n  maxUnavailable: 0\n  selector: {matchLabels: "
                   "{app: web}}\n")
    sim.kubectl("apply", "-f", str(pdb))
    node = jget(sim, "pods", "-n", "ops", "-l", "app=web")["items"][0]["spec"]["nodeName"]
    t = open_tui("-c", "nodes")
    t.wait_for(r"nodes\[2\]")
    select(t, node)
    t.send("r")
    t.wait_for(r"\[ Drain \]")
    # From Cancel: Tab to Drain, then round to "Force" (the node may hold the bare pod),
    # Space, and on to Drain.
    t.send("Tab", "Tab", "Tab", "Tab", "Space")
    t.wait_for(r"Force \(pods without a controller\): \[x\]")
    t.send("Tab", "Tab", "Tab", "Tab", "Enter")
    t.wait_for(r"waiting for a PodDisruptionBudget", timeout=30)
    sim.kubectl("delete", "pdb", "web", "-n", "ops")
    t.wait_for(rf"node/{node} drained", timeout=60)
    refused = [r for r in sim.requests() if r.get("path", "").endswith("/eviction")
               and r.get("status") == 429]
    assert refused, "the budget refused no eviction"


def test_scale_custom_resource_with_scale_subresource(sim, open_tui):
    t = open_tui("-c", "gizmos")
    t.wait_for(r"gizmos\(ops\)\[1\]")
    t.send("s")
    t.wait_for(r"Replicas: 1")
    t.send("C-u")
    t.type("5")
    t.send("Enter")
    t.wait_for(r"gizmo/spinner in ops scaled to 5")
    assert jget(sim, "gizmo", "spinner", "-n", "ops")["spec"]["replicas"] == 5
