"""Discovery follows CustomResourceDefinitions (issue 4): a kind defined, changed or removed while
timon runs can be named (or no longer) in command mode without restarting timon."""
import json
import os
import time

GROUP = "refresh.example.com"


def crd(short_names, versions=("v1",)):
    return {
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "gizmos." + GROUP},
        "spec": {"group": GROUP, "scope": "Namespaced",
                 "names": {"plural": "gizmos", "singular": "gizmo", "kind": "Gizmo",
                           "shortNames": list(short_names)},
                 "versions": [{"name": v, "served": True, "storage": v == versions[-1],
                               "schema": {"openAPIV3Schema": {"type": "object",
                                                              "x-kubernetes-preserve-unknown-fields": True}},
                               "additionalPrinterColumns": [
                                   {"name": "Flavour", "type": "string", "jsonPath": ".spec.flavour"},
                                   {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}]}
                              for v in versions]}}


def apply(sim, doc, name):
    path = os.path.join(sim.dir, name + ".json")
    with open(path, "w") as f:
        json.dump(doc, f)
    sim.kubectl("apply", "--validate=false", "-f", path)


def command(t, line):
    t.send(":")
    t.type(line)
    t.send("Enter")


def command_until(t, line, pattern, timeout=20):
    """Runs the command until the screen matches: the first tries may come before timon heard of
    the change, as a user typing at once would."""
    deadline = time.time() + timeout
    while True:
        command(t, line)
        try:
            return t.wait_for(pattern, timeout=2)
        except AssertionError:
            if time.time() > deadline:
                raise


def test_kinds_defined_changed_and_removed_while_running(kubesim, tui):
    sim = kubesim()
    t = tui(["--kubeconfig", sim.kubeconfig, "-n", "default"], env={"NO_COLOR": "1"})
    t.wait_for(r"pods\(default\)\[\d+\]")
    command(t, "gizmos")
    t.wait_for(r'unknown command or resource "gizmos"')

    # Created: the kind and its objects, by plural and by short name.
    apply(sim, crd(["gz"]), "crd1")
    apply(sim, {"apiVersion": GROUP + "/v1", "kind": "Gizmo", "metadata": {"name": "sprocket"},
                "spec": {"flavour": "mint"}}, "gizmo1")
    screen = command_until(t, "gizmos", r"gizmos\(default\)\[1\]")
    t.wait_for(r"sprocket\s+mint")
    assert "FLAVOUR" in screen
    command(t, "po")
    t.wait_for(r"pods\(default\)")
    command(t, "gz")
    t.wait_for(r"gizmos\(default\)\[1\]")

    # Changed: a new short name and a new served version (v2 preferred, as the server lists it).
    command(t, "po")
    t.wait_for(r"pods\(default\)")
    apply(sim, crd(["gz", "gzm"], versions=("v2", "v1")), "crd2")
    command_until(t, "gzm", r"gizmos\(default\)\[1\]")
    t.wait_for(r"sprocket\s+mint")

    # Removed: the word names nothing any more.
    command(t, "po")
    t.wait_for(r"pods\(default\)")
    sim.kubectl("delete", "crd", "gizmos." + GROUP)
    command_until(t, "gizmos", r'unknown command or resource "gizmos"')

    # The watch behind this is one watch, not polling: no discovery request without a change.
    n = len([r for r in sim.requests() if r["path"] == "/apis"])
    time.sleep(3)
    assert len([r for r in sim.requests() if r["path"] == "/apis"]) == n
