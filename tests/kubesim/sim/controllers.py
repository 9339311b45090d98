"""The controller framework and the core controllers (scheduler, kubelet, garbage collector, namespaces).

All controllers run in one background thread (the Manager). It receives every store event through a
Watcher on all kinds, calls `on_event` of the controllers that watch that kind, runs `tick` every
`interval` seconds, and runs delayed callbacks scheduled with `mgr.after(delay, fn)`.

To add a controller, from your own module (e.g. sim/controllers_workloads.py):

    from sim import controllers

    @controllers.register
    class DeploymentController(controllers.Controller):
        name = "deployment"
        watches = ("apps/deployments", "apps/replicasets", "pods")
        interval = 5.0                       # optional periodic resync
        def on_event(self, mgr, ev): ...     # ev: store.Event (type, key, ns, name, entry.obj, prev)
        def tick(self, mgr, now): ...

Write through `mgr.api` with `mgr.ctx` (a system Context), e.g. `mgr.api.create(mgr.ctx, rt, ns, obj)`,
`mgr.api.mutate(mgr.ctx, rt, ns, name, fn)`, `mgr.api.delete(mgr.ctx, rt, ns, name, {...})`, and record
events with `mgr.record_event(obj, "Normal", "Reason", "message", component)`.

Controllers with `always = True` also run under --no-controllers: they finish what a client asked for
(graceful pod deletion, garbage collection, namespace deletion, default service accounts).
"""

import heapq
import itertools
import threading
import time
import traceback

from . import errors, ops, util
from .resources import REGISTRY

CONTROLLERS = []


def register(cls):
    """Class decorator: add a controller class to the set the Manager instantiates."""
    CONTROLLERS.append(cls)
    return cls


class Controller:
    name = "controller"
    watches = ()        # store keys ("pods", "apps/deployments") whose events reach on_event
    interval = None     # seconds between tick() calls, None for none
    always = False      # run even with --no-controllers

    def setup(self, mgr):
        pass

    def on_event(self, mgr, ev):
        pass

    def tick(self, mgr, now):
        pass


class Manager:
    def __init__(self, api, enabled=True, rng=None):
        import random
        self.api = api
        self.store = api.store
        self.enabled = enabled
        self.rng = rng or random.Random()
        self.ctx = ops.Context.system()
        self.controllers = []
        self._timers = []
        self._seq = itertools.count()
        self._timer_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = None
        self._watcher = None
        self._next_tick = {}

    def start(self):
        for cls in CONTROLLERS:
            if self.enabled or cls.always:
                c = cls()
                self.controllers.append(c)
        self._watcher = self.store.watch_from(None, None, self.store.current_rv())
        for c in self.controllers:
            try:
                c.setup(self)
            except Exception:
                traceback.print_exc()
        self._thread = threading.Thread(target=self._run, name="kubesim-controllers", daemon=True)
        self._thread.start()

    def stop(self):
        self._stop.set()
        if self._watcher is not None:
            self._watcher.close()

    def after(self, delay, fn):
        """Run fn() in the controller thread after delay seconds."""
        with self._timer_lock:
            heapq.heappush(self._timers, (time.time() + delay, next(self._seq), fn))

    def rt(self, key):
        return REGISTRY.by_key(key)

    def _run(self):
        while not self._stop.is_set():
            now = time.time()
            wait = 0.2
            with self._timer_lock:
                if self._timers:
                    wait = max(0.0, min(wait, self._timers[0][0] - now))
            events = self._watcher.next_events(wait)
            for ev in events:
                for c in self.controllers:
                    if ev.key in c.watches:
                        self._safe(c.on_event, self, ev)
            now = time.time()
            while True:
                with self._timer_lock:
                    if not self._timers or self._timers[0][0] > now:
                        break
                    _, _, fn = heapq.heappop(self._timers)
                self._safe(fn)
            for c in self.controllers:
                if c.interval is None:
                    continue
                due = self._next_tick.get(id(c), 0)
                if now >= due:
                    self._next_tick[id(c)] = now + c.interval
                    self._safe(c.tick, self, now)

    @staticmethod
    def _safe(fn, *args):
        try:
            fn(*args)
        except Exception:
            traceback.print_exc()

    # ---- helpers for controllers --------------------------------------------------------------

    def record_event(self, obj, etype, reason, message, component="kubesim", host=None):
        """Create a core/v1 Event about obj (as the apiserver's event recorder would)."""
        md = obj.get("metadata") or {}
        ns = md.get("namespace") or "default"
        now = time.time()
        ev = {
            "apiVersion": "v1", "kind": "Event",
            "metadata": {"name": "%s.%x" % (md.get("name", "obj"), int(now * 1e9)), "namespace": ns},
            "involvedObject": {"apiVersion": obj.get("apiVersion"), "kind": obj.get("kind"),
                               "name": md.get("name"), "namespace": md.get("namespace"),
                               "uid": md.get("uid"), "resourceVersion": md.get("resourceVersion")},
            "reason": reason, "message": message,
            "source": {"component": component} if host is None else {"component": component, "host": host},
            "firstTimestamp": util.rfc3339(now), "lastTimestamp": util.rfc3339(now), "count": 1,
            "type": etype, "eventTime": None, "reportingComponent": component,
            "reportingInstance": host or "",
        }
        if not md.get("namespace"):
            ev["involvedObject"].pop("namespace")
        try:
            self.api.create(self.ctx, REGISTRY.core("events"), ns, ev)
        except errors.ApiError:
            pass


# ==== scheduler ===================================================================================

def node_ready(node):
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _tolerates(pod, taint):
    for t in (pod.get("spec") or {}).get("tolerations") or []:
        if t.get("effect") and t.get("effect") != taint.get("effect"):
            continue
        if t.get("operator") == "Exists":
            if not t.get("key") or t.get("key") == taint.get("key"):
                return True
        elif t.get("key") == taint.get("key") and t.get("value", "") == taint.get("value", ""):
            return True
    return False


@register
class Scheduler(Controller):
    """Binds pending pods to Ready, schedulable nodes, round robin; honours nodeSelector and taints."""
    name = "scheduler"
    watches = ("pods", "nodes")
    interval = 2.0

    def setup(self, mgr):
        self.rr = 0
        self.tick(mgr, time.time())

    def on_event(self, mgr, ev):
        if ev.key == "pods" and ev.type != "DELETED":
            self._try(mgr, ev.entry.obj)
        elif ev.key == "nodes" and ev.type != "DELETED":
            self.tick(mgr, time.time())

    def tick(self, mgr, now):
        _, pods = mgr.store.list_entries("pods")
        for e in pods:
            self._try(mgr, e.obj)

    @staticmethod
    def _wants_scheduling(pod):
        spec = pod.get("spec") or {}
        md = pod.get("metadata") or {}
        if spec.get("nodeName") or md.get("deletionTimestamp"):
            return False
        if spec.get("schedulingGates"):
            return False
        if (spec.get("schedulerName") or "default-scheduler") != "default-scheduler":
            return False
        return (pod.get("status") or {}).get("phase") in (None, "", "Pending")

    def _try(self, mgr, pod):
        if not self._wants_scheduling(pod):
            return
        _, nodes = mgr.store.list_entries("nodes")
        fit, why = [], {}
        for e in nodes:
            n = e.obj
            reason = self._misfit(pod, n)
            if reason is None:
                fit.append(n)
            else:
                why[reason] = why.get(reason, 0) + 1
        md = pod["metadata"]
        rt = mgr.rt("pods")
        if fit:
            node = fit[self.rr % len(fit)]
            self.rr += 1
            node_name = node["metadata"]["name"]

            def bind(p):
                if p.get("spec", {}).get("nodeName"):
                    return None
                p["spec"]["nodeName"] = node_name
                _set_condition(p, "PodScheduled", "True")
                return p
            res = mgr.api.mutate(mgr.ctx, rt, md.get("namespace"), md.get("name"), bind)
            if res is not None:
                mgr.record_event(res, "Normal", "Scheduled", "Successfully assigned %s/%s to %s"
                                 % (md.get("namespace"), md.get("name"), node_name), "default-scheduler")
            return
        if not nodes:
            msg = "no nodes available to schedule pods"
        else:
            parts = ["%d %s" % (cnt, r) for r, cnt in sorted(why.items())]
            msg = "0/%d nodes are available: %s. preemption: 0/%d nodes are available: %d Preemption is not " \
                  "helpful for scheduling." % (len(nodes), ", ".join(parts), len(nodes), len(nodes))

        def unschedulable(p):
            conds = (p.get("status") or {}).get("conditions") or []
            for c in conds:
                if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("message") == msg:
                    return None
            _set_condition(p, "PodScheduled", "False", "Unschedulable", msg)
            p.setdefault("status", {})["phase"] = "Pending"
            return p
        res = mgr.api.mutate(mgr.ctx, rt, md.get("namespace"), md.get("name"), unschedulable)
        if res is not None:
            mgr.record_event(res, "Warning", "FailedScheduling", msg, "default-scheduler")

    @staticmethod
    def _misfit(pod, node):
        if (node.get("spec") or {}).get("unschedulable"):
            return "node(s) were unschedulable"
        if not node_ready(node):
            return "node(s) had untolerated taint {node.kubernetes.io/not-ready: }"
        sel = (pod.get("spec") or {}).get("nodeSelector") or {}
        labels = (node.get("metadata") or {}).get("labels") or {}
        for k, v in sel.items():
            if labels.get(k) != v:
                return "node(s) didn't match Pod's node affinity/selector"
        for t in (node.get("spec") or {}).get("taints") or []:
            if t.get("effect") in ("NoSchedule", "NoExecute") and not _tolerates(pod, t):
                return "node(s) had untolerated taint {%s: %s}" % (t.get("key"), t.get("value", ""))
        return None


def _set_condition(pod, ctype, status, reason=None, message=None, now=None):
    st = pod.setdefault("status", {})
    conds = st.setdefault("conditions", [])
    ts = util.rfc3339(now)
    for c in conds:
        if c.get("type") == ctype:
            if c.get("status") != status:
                c["lastTransitionTime"] = ts
            c["status"] = status
            if reason:
                c["reason"] = reason
            else:
                c.pop("reason", None)
            if message:
                c["message"] = message
            else:
                c.pop("message", None)
            return
    c = {"type": ctype, "status": status, "lastProbeTime": None, "lastTransitionTime": ts}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    conds.append(c)


# ==== kubelet ======================================================================================

STARTUP_DELAY = 0.4      # Pending -> ContainerCreating (status written)
RUN_DELAY = 0.6          # ContainerCreating -> Running
CRASH_BACKOFF_START = 10.0
CRASH_BACKOFF_MAX = 300.0


def container_behaviour(pod, container):
    """How a simulated container behaves, from markers in its image (see README):
    'crash' -> CrashLoopBackOff; 'doesnotexist' or ':badtag' -> ErrImagePull/ImagePullBackOff;
    otherwise it runs. Pod annotation kubesim.io/exit-after: "S" (and kubesim.io/exit-code) makes
    containers of a Never/OnFailure pod exit after S seconds."""
    image = container.get("image") or ""
    if "doesnotexist" in image or image.endswith(":badtag"):
        return "pullfail"
    if "crash" in image:
        return "crash"
    return "run"


@register
class Kubelet(Controller):
    """Moves scheduled pods through Pending -> ContainerCreating -> Running on Ready nodes."""
    name = "kubelet"
    watches = ("pods",)

    def setup(self, mgr):
        self.managed = set()      # uids this kubelet runs
        self.ignored = set()      # uids seen with a status it did not write (fixtures): left alone
        self.ip_next = {}
        _, pods = mgr.store.list_entries("pods")
        for e in pods:
            self._consider(mgr, e.obj)

    def on_event(self, mgr, ev):
        if ev.type == "DELETED":
            uid = (ev.entry.obj.get("metadata") or {}).get("uid")
            self.managed.discard(uid)
            self.ignored.discard(uid)
            return
        self._consider(mgr, ev.entry.obj)

    def _consider(self, mgr, pod):
        md = pod.get("metadata") or {}
        uid = md.get("uid")
        if uid in self.managed or uid in self.ignored:
            return
        status = pod.get("status") or {}
        if status.get("containerStatuses") or status.get("initContainerStatuses") or \
                status.get("phase") not in (None, "", "Pending") or md.get("deletionTimestamp"):
            self.ignored.add(uid)
            return
        node_name = (pod.get("spec") or {}).get("nodeName")
        if not node_name:
            return
        node = mgr.store.get_entry("nodes", "", node_name)
        if node is None or not node_ready(node.obj):
            return
        self.managed.add(uid)
        mgr.after(STARTUP_DELAY, lambda: self._start(mgr, md.get("namespace"), md.get("name"), uid, node.obj))

    def _pod_ip(self, node):
        cidr = (node.get("spec") or {}).get("podCIDR") or "10.244.0.0/24"
        base = cidr.split("/")[0].rsplit(".", 1)[0]
        n = self.ip_next.get(base, 2)
        self.ip_next[base] = n + 1 if n < 254 else 2
        return "%s.%d" % (base, n)

    def _mutate(self, mgr, ns, name, uid, fn):
        def guarded(p):
            if (p.get("metadata") or {}).get("uid") != uid:
                return None
            return fn(p)
        return mgr.api.mutate(mgr.ctx, mgr.rt("pods"), ns, name, guarded)

    def _start(self, mgr, ns, name, uid, node):
        host_ip = _node_internal_ip(node)
        now = time.time()

        def fn(p):
            if (p.get("metadata") or {}).get("deletionTimestamp"):
                return None
            spec = p.get("spec") or {}
            st = p.setdefault("status", {})
            st["phase"] = "Pending"
            st["hostIP"] = host_ip
            st["hostIPs"] = [{"ip": host_ip}]
            st["startTime"] = util.rfc3339(now)
            inits = spec.get("initContainers") or []
            names = [c.get("name") for c in spec.get("containers") or []]
            _set_condition(p, "PodReadyToStartContainers", "False", now=now)
            if inits:
                _set_condition(p, "Initialized", "False", "ContainersNotInitialized",
                               "containers with incomplete status: [%s]" % " ".join(c.get("name") for c in inits),
                               now=now)
            else:
                _set_condition(p, "Initialized", "True", now=now)
            _set_condition(p, "Ready", "False", "ContainersNotReady",
                           "containers with unready status: [%s]" % " ".join(names), now=now)
            _set_condition(p, "ContainersReady", "False", "ContainersNotReady",
                           "containers with unready status: [%s]" % " ".join(names), now=now)
            _set_condition(p, "PodScheduled", "True", now=now)
            waiting = "PodInitializing" if inits else "ContainerCreating"
            st["containerStatuses"] = [_waiting_status(c, waiting) for c in spec.get("containers") or []]
            if inits:
                st["initContainerStatuses"] = [_waiting_status(c, "PodInitializing") for c in inits]
            st.setdefault("qosClass", "BestEffort")
            return p
        if self._mutate(mgr, ns, name, uid, fn) is not None:
            pod = mgr.store.get(mgr.rt("pods").key, ns, name)
            if pod:
                for c in (pod.get("spec") or {}).get("containers") or []:
                    mgr.record_event(pod, "Normal", "Pulling", 'Pulling image "%s"' % c.get("image"), "kubelet",
                                     node["metadata"]["name"])
            mgr.after(RUN_DELAY, lambda: self._run(mgr, ns, name, uid, node))

    def _run(self, mgr, ns, name, uid, node):
        now = time.time()
        pod_ip = self._pod_ip(node)
        crashing = []
        pulling = []
        exiting = {}

        def fn(p):
            if (p.get("metadata") or {}).get("deletionTimestamp"):
                return None
            spec = p.get("spec") or {}
            st = p.setdefault("status", {})
            inits = spec.get("initContainers") or []
            ics = []
            for c in inits:
                cs = _base_status(c)
                if c.get("restartPolicy") == "Always":
                    cs["state"] = {"running": {"startedAt": util.rfc3339(now)}}
                    cs["ready"] = True
                    cs["started"] = True
                else:
                    cs["state"] = {"terminated": {"exitCode": 0, "reason": "Completed",
                                                  "startedAt": util.rfc3339(now), "finishedAt": util.rfc3339(now),
                                                  "containerID": cs["containerID"]}}
                    cs["started"] = False
                ics.append(cs)
            if inits:
                st["initContainerStatuses"] = ics
            css = []
            all_ready = True
            for c in spec.get("containers") or []:
                cs = _base_status(c)
                b = container_behaviour(p, c)
                if b == "pullfail":
                    cs["state"] = {"waiting": {"reason": "ErrImagePull",
                                               "message": 'failed to pull and unpack image "%s": not found'
                                               % c.get("image")}}
                    cs.pop("containerID", None)
                    cs["imageID"] = ""
                    all_ready = False
                    pulling.append(c.get("name"))
                else:
                    cs["state"] = {"running": {"startedAt": util.rfc3339(now)}}
                    cs["ready"] = True
                    cs["started"] = True
                    if b == "crash":
                        crashing.append(c.get("name"))
                css.append(cs)
            st["containerStatuses"] = css
            st["phase"] = "Running"
            st["podIP"] = pod_ip
            st["podIPs"] = [{"ip": pod_ip}]
            _set_condition(p, "PodReadyToStartContainers", "True", now=now)
            _set_condition(p, "Initialized", "True", now=now)
            if all_ready:
                _set_condition(p, "Ready", "True", now=now)
                _set_condition(p, "ContainersReady", "True", now=now)
            ann = (p.get("metadata") or {}).get("annotations") or {}
            if ann.get("kubesim.io/exit-after") and spec.get("restartPolicy") in ("Never", "OnFailure"):
                try:
                    exiting["after"] = float(ann["kubesim.io/exit-after"])
                    exiting["code"] = int(ann.get("kubesim.io/exit-code", "0"))
                except ValueError:
                    pass
            return p
        res = self._mutate(mgr, ns, name, uid, fn)
        if res is None:
            return
        nodename = node["metadata"]["name"]
        for c in (res.get("spec") or {}).get("containers") or []:
            if c.get("name") in pulling:
                mgr.record_event(res, "Warning", "Failed", 'Failed to pull image "%s"' % c.get("image"), "kubelet",
                                 nodename)
                continue
            mgr.record_event(res, "Normal", "Created", "Created container: %s" % c.get("name"), "kubelet", nodename)
            mgr.record_event(res, "Normal", "Started", "Started container %s" % c.get("name"), "kubelet", nodename)
        for cname in crashing:
            mgr.after(1.0, lambda cname=cname: self._crash(mgr, ns, name, uid, cname, 0))
        for cname in pulling:
            mgr.after(1.0, lambda cname=cname: self._pull_backoff(mgr, ns, name, uid, cname))
        if exiting:
            mgr.after(exiting["after"], lambda: self._exit(mgr, ns, name, uid, exiting["code"]))

    def _crash(self, mgr, ns, name, uid, cname, n):
        now = time.time()
        backoff = min(CRASH_BACKOFF_START * (2 ** n), CRASH_BACKOFF_MAX)

        def fn(p):
            if (p.get("metadata") or {}).get("deletionTimestamp"):
                return None
            st = p.get("status") or {}
            for cs in st.get("containerStatuses") or []:
                if cs.get("name") != cname:
                    continue
                started = ((cs.get("state") or {}).get("running") or {}).get("startedAt") or util.rfc3339(now)
                cs["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": started,
                                                  "finishedAt": util.rfc3339(now),
                                                  "containerID": cs.get("containerID")}}
                cs["restartCount"] = int(cs.get("restartCount") or 0) + 1
                cs["state"] = {"waiting": {"reason": "CrashLoopBackOff",
                                           "message": "back-off %s restarting failed container=%s pod=%s_%s(%s)"
                                           % (_go_dur(backoff), cname, name, ns, uid)}}
                cs["ready"] = False
                cs["started"] = False
            _set_condition(p, "Ready", "False", "ContainersNotReady",
                           "containers with unready status: [%s]" % cname, now=now)
            _set_condition(p, "ContainersReady", "False", "ContainersNotReady",
                           "containers with unready status: [%s]" % cname, now=now)
            return p
        res = self._mutate(mgr, ns, name, uid, fn)
        if res is None:
            return
        mgr.record_event(res, "Warning", "BackOff", "Back-off restarting failed container %s in pod %s_%s(%s)"
                         % (cname, name, ns, uid), "kubelet", (res.get("spec") or {}).get("nodeName"))
        mgr.after(backoff, lambda: self._restart(mgr, ns, name, uid, cname, n + 1))

    def _restart(self, mgr, ns, name, uid, cname, n):
        now = time.time()

        def fn(p):
            if (p.get("metadata") or {}).get("deletionTimestamp"):
                return None
            for cs in (p.get("status") or {}).get("containerStatuses") or []:
                if cs.get("name") == cname:
                    cs["state"] = {"running": {"startedAt": util.rfc3339(now)}}
                    cs["started"] = True
                    cs["containerID"] = "containerd://" + util.hex_id(64, mgr.rng)
            return p
        if self._mutate(mgr, ns, name, uid, fn) is not None:
            mgr.after(2.0, lambda: self._crash(mgr, ns, name, uid, cname, n))

    def _pull_backoff(self, mgr, ns, name, uid, cname):
        def fn(p):
            for cs in (p.get("status") or {}).get("containerStatuses") or []:
                if cs.get("name") == cname:
                    w = (cs.get("state") or {}).get("waiting") or {}
                    if w.get("reason") == "ImagePullBackOff":
                        return None
                    cs["state"] = {"waiting": {"reason": "ImagePullBackOff",
                                               "message": 'Back-off pulling image "%s"' % cs.get("image")}}
            return p
        self._mutate(mgr, ns, name, uid, fn)

    def _exit(self, mgr, ns, name, uid, code):
        now = time.time()

        def fn(p):
            if (p.get("metadata") or {}).get("deletionTimestamp"):
                return None
            st = p.get("status") or {}
            for cs in st.get("containerStatuses") or []:
                started = ((cs.get("state") or {}).get("running") or {}).get("startedAt") or util.rfc3339(now)
                cs["state"] = {"terminated": {"exitCode": code, "reason": "Completed" if code == 0 else "Error",
                                              "startedAt": started, "finishedAt": util.rfc3339(now),
                                              "containerID": cs.get("containerID")}}
                cs["ready"] = False
                cs["started"] = False
            st["phase"] = "Succeeded" if code == 0 else "Failed"
            _set_condition(p, "Ready", "False", "PodCompleted", now=now)
            _set_condition(p, "ContainersReady", "False", "PodCompleted", now=now)
            _set_condition(p, "PodReadyToStartContainers", "False", now=now)
            return p
        self._mutate(mgr, ns, name, uid, fn)


def _go_dur(seconds):
    s = int(seconds)
    if s < 60:
        return "%ds" % s
    m, s = divmod(s, 60)
    return "%dm%ds" % (m, s)


def _node_internal_ip(node):
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == "InternalIP":
            return a.get("address")
    return "10.0.0.1"


def _image_ref(image):
    if "/" not in image.split(":")[0] or "." not in image.split("/")[0]:
        name = image if "/" in image else "library/" + image
        ref = "docker.io/" + name
    else:
        ref = image
    if ":" not in ref.rsplit("/", 1)[-1] and "@" not in ref:
        ref += ":latest"
    return ref


def _base_status(c):
    image = c.get("image") or ""
    ref = _image_ref(image)
    return {"name": c.get("name"), "image": ref,
            "imageID": ref.rsplit(":", 1)[0] + "@sha256:" + util.short_hash(ref, 64).encode().hex()[:64],
            "containerID": "containerd://" + util.hex_id(64), "ready": False, "restartCount": 0,
            "started": False, "state": {}}


def _waiting_status(c, reason):
    return {"name": c.get("name"), "image": c.get("image") or "", "imageID": "", "ready": False,
            "restartCount": 0, "started": False, "state": {"waiting": {"reason": reason}}}


# ==== graceful pod termination (always on) ========================================================

TERMINATION_DELAY_MAX = 1.0


@register
class PodTerminator(Controller):
    """Finishes graceful deletions asked for through the API: the pod goes after min(grace, 1 s)."""
    name = "pod-terminator"
    watches = ("pods",)
    always = True

    def setup(self, mgr):
        self.pending = set()

    def on_event(self, mgr, ev):
        if ev.type == "DELETED":
            return
        pod = ev.entry.obj
        md = pod.get("metadata") or {}
        uid = md.get("uid")
        if not md.get("deletionTimestamp") or uid not in mgr.api.graceful or uid in self.pending:
            return
        self.pending.add(uid)
        grace = float(md.get("deletionGracePeriodSeconds") or 0)
        delay = min(grace, TERMINATION_DELAY_MAX)
        ns, name = md.get("namespace"), md.get("name")

        def finish():
            self.pending.discard(uid)
            cur = mgr.store.get_entry("pods", ns, name)
            if cur is None or (cur.obj.get("metadata") or {}).get("uid") != uid:
                mgr.api.graceful.discard(uid)
                return
            try:
                mgr.api.delete(mgr.ctx, mgr.rt("pods"), ns, name,
                               {"gracePeriodSeconds": 0, "preconditions": {"uid": uid}})
            except errors.ApiError:
                pass
            mgr.api.graceful.discard(uid)
        mgr.after(delay, finish)


# ==== garbage collector (always on) ===============================================================

@register
class GarbageCollector(Controller):
    """ownerReferences: background deletion of dependents, foregroundDeletion and orphan finalizers."""
    name = "garbage-collector"
    always = True
    interval = 1.0

    def setup(self, mgr):
        self.deps = {}      # owner uid -> set((key, ns, name))
        self.owned = {}     # (key, ns, name) -> set(owner uids)
        self.uids = {}      # uid -> (key, ns, name)
        self.waiting = set()  # (key, ns, name) of owners with gc finalizers
        for key in mgr.store.keys():
            _, entries = mgr.store.list_entries(key)
            for e in entries:
                self._index(key, e.ns, e.name, e.obj)
        self.watches = _AllKeys()

    def _index(self, key, ns, name, obj):
        ident = (key, ns, name)
        md = obj.get("metadata") or {}
        if md.get("uid"):
            self.uids[md["uid"]] = ident
        old = self.owned.pop(ident, set())
        for u in old:
            s = self.deps.get(u)
            if s:
                s.discard(ident)
                if not s:
                    del self.deps[u]
        new = set(r.get("uid") for r in md.get("ownerReferences") or [] if r.get("uid"))
        if new:
            self.owned[ident] = new
            for u in new:
                self.deps.setdefault(u, set()).add(ident)
        fins = md.get("finalizers") or []
        if md.get("deletionTimestamp") and ("orphan" in fins or "foregroundDeletion" in fins):
            self.waiting.add(ident)

    def _unindex(self, key, ns, name, obj):
        ident = (key, ns, name)
        md = obj.get("metadata") or {}
        self.uids.pop(md.get("uid"), None)
        for u in self.owned.pop(ident, set()):
            s = self.deps.get(u)
            if s:
                s.discard(ident)
                if not s:
                    del self.deps[u]
        self.waiting.discard(ident)

    def on_event(self, mgr, ev):
        if ev.type == "DELETED":
            self._unindex(ev.key, ev.ns, ev.name, ev.entry.obj)
            uid = (ev.entry.obj.get("metadata") or {}).get("uid")
            for ident in list(self.deps.get(uid, ())):
                self._delete_dependent(mgr, ident, uid)
        else:
            self._index(ev.key, ev.ns, ev.name, ev.entry.obj)
            ident = (ev.key, ev.ns, ev.name)
            if ident in self.waiting:
                self._process_owner(mgr, ident)

    def tick(self, mgr, now):
        for ident in list(self.waiting):
            self._process_owner(mgr, ident)

    def _delete_dependent(self, mgr, ident, owner_uid):
        key, ns, name = ident
        e = mgr.store.get_entry(key, ns, name)
        if e is None:
            return
        refs = (e.obj.get("metadata") or {}).get("ownerReferences") or []
        live = [r for r in refs if r.get("uid") != owner_uid and r.get("uid") in self.uids]
        rt = REGISTRY.by_key(key)
        if rt is None:
            return
        if live:   # other owners remain: just drop the reference
            def fn(o):
                o["metadata"]["ownerReferences"] = [r for r in o["metadata"].get("ownerReferences") or []
                                                    if r.get("uid") != owner_uid]
                return o
            mgr.api.mutate(mgr.ctx, rt, ns, name, fn)
            return
        if (e.obj.get("metadata") or {}).get("deletionTimestamp"):
            return
        try:
            mgr.api.delete(mgr.ctx, rt, ns, name, {"propagationPolicy": "Background"})
        except errors.ApiError:
            pass

    def _process_owner(self, mgr, ident):
        key, ns, name = ident
        e = mgr.store.get_entry(key, ns, name)
        if e is None:
            self.waiting.discard(ident)
            return
        md = e.obj.get("metadata") or {}
        fins = md.get("finalizers") or []
        uid = md.get("uid")
        rt = REGISTRY.by_key(key)
        deps = list(self.deps.get(uid, ()))
        if "orphan" in fins:
            for dk, dns, dname in deps:
                drt = REGISTRY.by_key(dk)

                def strip(o, uid=uid):
                    refs = o["metadata"].get("ownerReferences") or []
                    o["metadata"]["ownerReferences"] = [r for r in refs if r.get("uid") != uid]
                    if not o["metadata"]["ownerReferences"]:
                        del o["metadata"]["ownerReferences"]
                    return o
                if drt is not None:
                    mgr.api.mutate(mgr.ctx, drt, dns, dname, strip)
            self._drop_finalizer(mgr, rt, ns, name, "orphan")
            return
        if "foregroundDeletion" in fins:
            remaining = [d for d in deps if mgr.store.get_entry(*d) is not None]
            if not remaining:
                self._drop_finalizer(mgr, rt, ns, name, "foregroundDeletion")
                return
            for d in remaining:
                de = mgr.store.get_entry(*d)
                if de is not None and not (de.obj.get("metadata") or {}).get("deletionTimestamp"):
                    drt = REGISTRY.by_key(d[0])
                    if drt is not None:
                        try:
                            mgr.api.delete(mgr.ctx, drt, d[1], d[2], {"propagationPolicy": "Foreground"})
                        except errors.ApiError:
                            pass
            return
        self.waiting.discard(ident)

    @staticmethod
    def _drop_finalizer(mgr, rt, ns, name, fin):
        def fn(o):
            fins = o["metadata"].get("finalizers") or []
            if fin not in fins:
                return None
            o["metadata"]["finalizers"] = [f for f in fins if f != fin]
            if not o["metadata"]["finalizers"]:
                del o["metadata"]["finalizers"]
            return o
        if rt is not None:
            mgr.api.mutate(mgr.ctx, rt, ns, name, fn)


class _AllKeys:
    """A `watches` value that matches every store key."""

    def __contains__(self, key):
        return True


# ==== namespaces (always on) ======================================================================

ROOT_CA_CONFIGMAP = "kube-root-ca.crt"


@register
class NamespaceController(Controller):
    """Deletes the contents of terminating namespaces, then the namespace; adds default service
    accounts and the kube-root-ca.crt configmap to new namespaces."""
    name = "namespace"
    watches = ("namespaces",)
    always = True
    interval = 1.0
    ca_pem = ""

    def setup(self, mgr):
        self.terminating = set()
        _, nss = mgr.store.list_entries("namespaces")
        for e in nss:
            self._populate(mgr, e.obj)
            if (e.obj.get("metadata") or {}).get("deletionTimestamp"):
                self.terminating.add(e.name)

    def on_event(self, mgr, ev):
        if ev.type == "DELETED":
            self.terminating.discard(ev.name)
            return
        md = ev.entry.obj.get("metadata") or {}
        if md.get("deletionTimestamp"):
            if ev.name not in self.terminating:
                self.terminating.add(ev.name)
                self._finalize(mgr, ev.name)
        elif ev.type == "ADDED":
            self._populate(mgr, ev.entry.obj)

    def tick(self, mgr, now):
        for ns in list(self.terminating):
            self._finalize(mgr, ns)

    def _populate(self, mgr, ns_obj):
        md = ns_obj.get("metadata") or {}
        if md.get("deletionTimestamp"):
            return
        ns = md.get("name")
        if mgr.store.get_entry("serviceaccounts", ns, "default") is None:
            try:
                mgr.api.create(mgr.ctx, REGISTRY.core("serviceaccounts"), ns,
                               {"apiVersion": "v1", "kind": "ServiceAccount",
                                "metadata": {"name": "default", "namespace": ns}})
            except errors.ApiError:
                pass
        if mgr.store.get_entry("configmaps", ns, ROOT_CA_CONFIGMAP) is None:
            try:
                mgr.api.create(mgr.ctx, REGISTRY.core("configmaps"), ns,
                               {"apiVersion": "v1", "kind": "ConfigMap",
                                "metadata": {"name": ROOT_CA_CONFIGMAP, "namespace": ns,
                                             "annotations": {"kubernetes.io/description": (
                                                 "Contains a CA bundle that can be used to verify the "
                                                 "kube-apiserver when using internal endpoints such as the "
                                                 "internal service IP or kubernetes.default.svc. No other "
                                                 "usage is guaranteed across distributions of Kubernetes "
                                                 "clusters.")}},
                                "data": {"ca.crt": NamespaceController.ca_pem}})
            except errors.ApiError:
                pass

    def _finalize(self, mgr, ns):
        left = 0
        for key, name in mgr.store.namespace_keys(ns):
            rt = REGISTRY.by_key(key)
            e = mgr.store.get_entry(key, ns, name)
            if rt is None or e is None:
                continue
            left += 1
            if (e.obj.get("metadata") or {}).get("deletionTimestamp"):
                continue
            try:
                mgr.api.delete(mgr.ctx, rt, ns, name, {"propagationPolicy": "Background"})
            except errors.ApiError:
                pass
        if left:
            return

        def fn(o):
            spec = o.get("spec") or {}
            if "kubernetes" not in (spec.get("finalizers") or []):
                return None
            spec["finalizers"] = [f for f in spec.get("finalizers") or [] if f != "kubernetes"]
            o["spec"] = spec
            return o
        mgr.api.mutate(mgr.ctx, REGISTRY.core("namespaces"), "", ns, fn)
