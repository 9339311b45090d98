"""--demo: a small but lively cluster to explore (issue 3 grows it into the full demo).

Namespaces, three nodes (one cordoned, one NotReady), pods that the simulated kubelet runs (one
crash-looping, one unschedulable and so Pending, one with init containers), and light churn: a pod
created or deleted in namespace `churn` every few seconds.
"""

import random
import threading
import time

from . import bootstrap, errors, ops
from .resources import REGISTRY

DEMO_NAMESPACES = ["shop", "payments", "monitoring", "churn"]


def _pod(name, ns, image="nginx:1.27", labels=None, **spec_extra):
    spec = {"containers": [{"name": "main", "image": image, "ports": [{"containerPort": 80}]}]}
    spec.update(spec_extra)
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": labels or {"app": name.rsplit("-", 1)[0]}},
            "spec": spec}


def setup(api, nodes_given=False):
    ctx = ops.Context(internal=True)
    pods = REGISTRY.core("pods")
    for ns in DEMO_NAMESPACES:
        bootstrap.ensure_namespace(api, ns)
    if not nodes_given:
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-1", 1, roles=("control-plane",)))
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-2", 2))
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-3", 3, unschedulable=True))
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-4", 4, ready=False))
    objs = [
        _pod("frontend-1", "shop"), _pod("frontend-2", "shop"),
        _pod("cart-1", "shop", image="redis:7.2", labels={"app": "cart", "tier": "backend"}),
        _pod("checkout-1", "payments", image="ghcr.io/example/checkout:2.3"),
        _pod("ledger-1", "payments", image="ghcr.io/example/ledger-crash:1.0", labels={"app": "ledger"}),
        _pod("gpu-job-1", "payments", image="busybox:1.36", nodeSelector={"accelerator": "nvidia-h100"}),
        _pod("prometheus-1", "monitoring", image="prom/prometheus:v2.53.0",
             initContainers=[{"name": "init-config", "image": "busybox:1.36"},
                             {"name": "config-reloader", "image": "quay.io/prometheus-operator/reloader:v0.75",
                              "restartPolicy": "Always"}]),
        _pod("broken-image-1", "monitoring", image="registry.example.com/doesnotexist:1"),
    ]
    for o in objs:
        try:
            api.create(ctx, pods, o["metadata"]["namespace"], o)
        except errors.ApiError:
            pass


class Churn(threading.Thread):
    """Creates or deletes a pod in namespace `churn` every `period` seconds."""

    def __init__(self, api, period=3.0, seed=1):
        super().__init__(name="kubesim-demo-churn", daemon=True)
        self.api = api
        self.period = period
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.n = 0

    def run(self):
        ctx = ops.Context(user="demo-churn", groups=["system:masters"])
        pods = REGISTRY.core("pods")
        while not self.stop.wait(self.period):
            try:
                _, live = self.api.store.list_entries("pods", "churn")
                live = [e for e in live if not (e.obj.get("metadata") or {}).get("deletionTimestamp")]
                if len(live) < 3 or (len(live) < 8 and self.rng.random() < 0.5):
                    self.n += 1
                    self.api.create(ctx, pods, "churn", _pod("worker-%d" % self.n, "churn", image="busybox:1.36",
                                                             labels={"app": "worker"}))
                else:
                    victim = self.rng.choice(live)
                    self.api.delete(ctx, pods, "churn", victim.name, {})
            except errors.ApiError:
                pass
            except Exception:
                import traceback
                traceback.print_exc()
            time.sleep(0)
