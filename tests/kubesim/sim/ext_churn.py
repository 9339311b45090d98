"""--churn R (issue 3): R object changes per second, visible to every watcher.

The changes are those a busy cluster sees on its pods:

  status   (40%)  a container restarts (restartCount+1, lastState terminated) or a pod's readiness flips
                  (container ready, the Ready and ContainersReady conditions)
  labels   (25%)  a label changes (`kubesim.io/churn`, a counter; selectors of workloads are untouched)
  create / delete (35%)
                  a bare pod (a CI runner: no owner, so no controller fights over it) is created already
                  Running on a node, or one of them is deleted gracefully (the pod turns Terminating, the
                  pod terminator removes it within a second: two watch events)

Targets: the synthetic namespaces of --pods/--namespaces when given, else the --demo namespaces, else
`default`. Status changes only touch pods whose status churn or the synthetic generator wrote (never a pod
the simulated kubelet runs). Creates and deletes keep the number of runner pods around a pool size (2% of
the synthetic pods, at least 20, at most 2000).

Every decision (which change, which pod, which value) comes from a generator seeded by --seed, so the
same seed gives the same sequence of changes. Changes are paced on the clock: R per second on average,
at most 1 s of backlog caught up in bursts. The churn thread never holds the store lock between
changes, so other requests keep being served; what it cannot keep up with is dropped, not queued
(`kubesim: churn: N changes in T s` on stderr at shutdown tells the achieved rate).
"""

import random
import threading
import time

from . import errors, ext_scale, ops, util
from .resources import REGISTRY
from .store import Exists, Missing

W_STATUS = 0.40
W_LABELS = 0.25


class Keys:
    """A set of (namespace, name) with O(1) add, remove and a uniform random pick. Removal moves the last
    key into the hole, so the order (and so every pick) depends only on the sequence of operations."""

    def __init__(self, keys=()):
        self.items = []
        self.index = {}
        for k in keys:
            self.add(k)

    def __len__(self):
        return len(self.items)

    def add(self, key):
        if key not in self.index:
            self.index[key] = len(self.items)
            self.items.append(key)

    def remove(self, key):
        i = self.index.pop(key, None)
        if i is None:
            return
        last = self.items.pop()
        if i < len(self.items):
            self.items[i] = last
            self.index[last] = i

    def pick(self, rng):
        return self.items[rng.randrange(len(self.items))]


class Churn(threading.Thread):
    def __init__(self, api, rate, seed=None, namespaces=None, statusable=None, log=None):
        super().__init__(name="kubesim-churn", daemon=True)
        self.api = api
        self.rate = float(rate)
        self.seed = seed if seed is not None else 1
        self.rng = random.Random("kubesim-churn-%s" % self.seed)
        self.stop = threading.Event()
        self.log = log
        self.pods_rt = REGISTRY.core("pods")
        self.ctx = ops.Context(user="system:serviceaccount:kube-system:kubesim-churn", groups=["system:masters"],
                               internal=True)
        self.namespaces = list(namespaces or ["default"])
        self.given = list(statusable or [])
        self.statusable = Keys()     # pods whose status churn may change
        self.labelable = Keys()      # pods whose labels churn may change
        self.runners = Keys()        # the pods churn created (and may delete)
        self.counter = 0
        self.changes = 0
        self.skipped = 0
        self.started_at = None
        self.synth = ext_scale.Synth(api, 0, 1, "churn-%s" % self.seed)
        self.synth_ready = False
        self.workloads = {}
        self.pool = max(20, min(2000, int(len(self.given) * 0.02)))

    # ---- setup -----------------------------------------------------------------------------------

    def prepare(self):
        """Snapshot the pods of the target namespaces: label changes may touch any of them, status changes
        the given (generated) ones whose first container runs."""
        given = set(self.given)
        _, entries = self.api.store.list_entries("pods")
        wanted = set(self.namespaces)
        for e in entries:
            key = (e.ns, e.name)
            if e.ns in wanted or key in given:
                self.labelable.add(key)
            if key in given and _first_running(e.obj):
                self.statusable.add(key)
        try:
            self.synth.prepare()
            self.synth_ready = True
        except ext_scale.ScaleError:
            self.synth_ready = False    # no Ready node: creates are skipped

    # ---- the loop --------------------------------------------------------------------------------

    def run(self):
        try:
            self.prepare()
        except Exception:
            import traceback
            traceback.print_exc()
            return
        self.started_at = time.monotonic()
        next_t = self.started_at
        burst = max(1, int(self.rate / 20))
        while not self.stop.is_set():
            now = time.monotonic()
            if now < next_t:
                self.stop.wait(min(next_t - now, 0.5))
                continue
            if now - next_t > 1.0:          # fell more than a second behind: drop the backlog
                missed = int((now - next_t - 1.0) * self.rate)
                self.skipped += missed
                next_t = now - 1.0
            due = min(burst, int((now - next_t) * self.rate) + 1)
            for _ in range(due):
                try:
                    self.step()
                except errors.ApiError:
                    pass
                except Exception:
                    import traceback
                    traceback.print_exc()
                self.changes += 1
            next_t += due / self.rate
            time.sleep(0)   # let request threads in between bursts

    def summary(self):
        if self.started_at is None:
            return "kubesim: churn: not started"
        t = time.monotonic() - self.started_at
        return "kubesim: churn: %d changes in %.1f s (%.0f/s, asked %g/s)" % (
            self.changes, t, self.changes / t if t > 0 else 0, self.rate)

    def step(self):
        r = self.rng.random()
        if r < W_STATUS and self.statusable:
            return self.change_status()
        if r < W_STATUS + W_LABELS and self.labelable:
            return self.change_labels()
        n = len(self.runners)
        if n < self.pool // 2 or (n < self.pool and self.rng.random() < 0.5) or n == 0:
            if self.create():
                return
        if self.runners:
            return self.delete()
        if self.labelable:
            return self.change_labels()

    # ---- helpers ---------------------------------------------------------------------------------

    def _forget(self, key):
        self.statusable.remove(key)
        self.labelable.remove(key)
        self.runners.remove(key)

    def _mutate(self, key, fn):
        """store.mutate a pod; a pod that is gone is forgotten."""
        ns, name = key
        try:
            self.api.store.mutate("pods", ns, name, fn)
        except Missing:
            self._forget(key)

    # ---- changes ---------------------------------------------------------------------------------

    def change_status(self):
        key = self.statusable.pick(self.rng)
        flip = self.rng.random() < 0.5
        code = 137 if self.rng.random() < 0.3 else 1
        cid = "containerd://" + "%064x" % self.rng.getrandbits(256)
        now = time.time()
        ts = util.rfc3339(now)

        def fn(pod, entry):
            md = pod["metadata"]
            if md.get("deletionTimestamp"):
                return None
            st = pod.get("status") or {}
            css = st.get("containerStatuses") or []
            if not css or st.get("phase") != "Running":
                return None
            cs = css[0]
            running = (cs.get("state") or {}).get("running")
            if not running:
                return None
            if flip:
                # readiness flips (a failing, then passing readiness probe)
                cs["ready"] = not cs.get("ready")
            else:
                # the container restarts
                cs["lastState"] = {"terminated": {"exitCode": code, "reason": "OOMKilled" if code == 137 else "Error",
                                                  "startedAt": running.get("startedAt") or ts, "finishedAt": ts,
                                                  "containerID": cs.get("containerID")}}
                cs["restartCount"] = int(cs.get("restartCount") or 0) + 1
                cs["containerID"] = cid
                cs["state"] = {"running": {"startedAt": ts}}
                cs["ready"] = True
                cs["started"] = True
            all_ready = all(c.get("ready") for c in css)
            unready = [c.get("name") for c in css if not c.get("ready")]
            for c in st.get("conditions") or []:
                if c.get("type") in ("Ready", "ContainersReady"):
                    want = "True" if all_ready else "False"
                    if c.get("status") != want:
                        c["lastTransitionTime"] = ts
                    c["status"] = want
                    if all_ready:
                        c.pop("reason", None)
                        c.pop("message", None)
                    else:
                        c["reason"] = "ContainersNotReady"
                        c["message"] = "containers with unready status: [%s]" % " ".join(unready)
            for m in md.get("managedFields") or []:
                if m.get("manager") == "kubelet":
                    m["time"] = ts
            return ("update", pod)
        self._mutate(key, fn)

    def change_labels(self):
        key = self.labelable.pick(self.rng)
        self.counter += 1
        value = str(self.counter)

        def fn(pod, entry):
            md = pod["metadata"]
            if md.get("deletionTimestamp"):
                return None
            labels = md.get("labels") or {}
            labels["kubesim.io/churn"] = value
            md["labels"] = labels
            return ("update", pod)
        self._mutate(key, fn)

    def _namespace_open(self, ns):
        e = self.api.store.get_entry("namespaces", "", ns)
        return e is not None and not (e.obj.get("metadata") or {}).get("deletionTimestamp")

    def create(self):
        if not self.synth_ready:
            return False
        ns = self.namespaces[self.rng.randrange(len(self.namespaces))]
        w = self.workloads.get(ns)
        if w is None:
            w = self.workloads[ns] = self.synth.runner(ns)
        created = time.time() - 8
        obj = self.synth.pod(w, "running", created)
        if not self._namespace_open(ns):
            return False
        name = obj["metadata"]["name"]
        try:
            self.api.store.create("pods", ns, name, obj)
        except Exists:
            return False
        key = (ns, name)
        self.runners.add(key)
        self.statusable.add(key)
        self.labelable.add(key)
        return True

    def delete(self):
        key = self.runners.pick(self.rng)
        self._forget(key)      # a terminating pod gets no more changes
        ns, name = key
        try:
            self.api.delete(self.ctx, self.pods_rt, ns, name, {})
        except errors.ApiError as e:
            if e.code != 404:
                raise


def _first_running(pod):
    st = pod.get("status") or {}
    css = st.get("containerStatuses") or []
    return st.get("phase") == "Running" and bool(css) and bool((css[0].get("state") or {}).get("running"))


def create(api, rate, seed=None, log=None):
    """The Churn for this run (start() it once the server is up). Targets as the module doc says."""
    synth = ext_scale.LAST
    if synth is not None and synth.created:
        namespaces = synth.namespace_names()
        statusable = [k for k in synth.created]
    else:
        from . import demo
        if demo.ACTIVE:
            namespaces = list(demo.DEMO_NAMESPACES)
        else:
            namespaces = ["default"]
        statusable = []
    return Churn(api, rate, seed, namespaces, statusable, log)
