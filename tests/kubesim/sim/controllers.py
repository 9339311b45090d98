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

import hashlib
import heapq
import itertools
import re
import threading
import time
import traceback
from fractions import Fraction

from . import errors, ops, util
from .resources import REGISTRY

CONTROLLERS = []
EVENT_DEDUP_SECONDS = 600.0


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
        self._event_keys = {}   # record_event de-duplication: key -> (event name, last time)

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

    def record_event(self, obj, etype, reason, message, component="kubesim", host=None, field_path=None):
        """Create a core/v1 Event about obj (as the apiserver's event recorder would). An identical event
        (same object, fieldPath, reason, message, type and source) within EVENT_DEDUP_SECONDS is counted
        on the existing Event (count, lastTimestamp), as client-go's event correlator does."""
        md = obj.get("metadata") or {}
        ns = md.get("namespace") or "default"
        now = time.time()
        key = (ns, md.get("uid"), md.get("name"), field_path, etype, reason, message, component, host)
        with self._timer_lock:
            seen = self._event_keys.get(key)
        if seen is not None and now - seen[1] < EVENT_DEDUP_SECONDS:
            def bump(ev):
                ev["count"] = int(ev.get("count") or 1) + 1
                ev["lastTimestamp"] = util.rfc3339(now)
                return ev
            if self.api.mutate(self.ctx, REGISTRY.core("events"), ns, seen[0], bump) is not None:
                with self._timer_lock:
                    self._event_keys[key] = (seen[0], now)
                return
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
        if field_path:
            ev["involvedObject"]["fieldPath"] = field_path
        try:
            created = self.api.create(self.ctx, REGISTRY.core("events"), ns, ev)
        except errors.ApiError:
            return
        with self._timer_lock:
            if len(self._event_keys) > 4096:
                self._event_keys.clear()
            self._event_keys[key] = (created["metadata"]["name"], now)


# ==== quantities ==================================================================================

_QTY_RE = re.compile(r"([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?")
_QTY_SUFFIX = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60,
               "n": Fraction(1, 10 ** 9), "u": Fraction(1, 10 ** 6), "m": Fraction(1, 1000), "k": 10 ** 3,
               "M": 10 ** 6, "G": 10 ** 9, "T": 10 ** 12, "P": 10 ** 15, "E": 10 ** 18}


def parse_quantity(value):
    """A resource.Quantity ("100m", "1.5Gi", "1e3", 2) as an exact Fraction; None when malformed."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return Fraction(value)
    m = _QTY_RE.fullmatch(str(value).strip())
    if not m:
        return None
    num = Fraction(m.group(1))
    if m.group(2):
        return num * Fraction(10) ** int(m.group(2)[1:])
    if m.group(3):
        return num * _QTY_SUFFIX[m.group(3)]
    return num


def _container_requests(c):
    res = c.get("resources") or {}
    if not isinstance(res, dict):
        return {}
    req = {}
    # requests default to limits (the apiserver's defaulting does that for every resource with a limit)
    for src in (res.get("limits") or {}, res.get("requests") or {}):
        if isinstance(src, dict):
            for k, v in src.items():
                q = parse_quantity(v)
                if q is not None:
                    req[k] = q
    return req


def pod_requests(spec):
    """The pod's effective requests, as the scheduler computes them: the sum over containers and
    sidecars, or the largest init container (plus the sidecars started before it) if that is larger,
    plus the pod overhead."""
    total = {}

    def add(dst, src):
        for k, v in src.items():
            dst[k] = dst.get(k, 0) + v
    for c in spec.get("containers") or []:
        if isinstance(c, dict):
            add(total, _container_requests(c))
    sidecars = {}
    init_max = {}
    for c in spec.get("initContainers") or []:
        if not isinstance(c, dict):
            continue
        r = _container_requests(c)
        if c.get("restartPolicy") == "Always":
            add(sidecars, r)
            add(total, r)
            continue
        cur = dict(sidecars)
        add(cur, r)
        for k, v in cur.items():
            init_max[k] = max(init_max.get(k, 0), v)
    for k, v in init_max.items():
        total[k] = max(total.get(k, 0), v)
    overhead = spec.get("overhead")
    if isinstance(overhead, dict):
        add(total, {k: parse_quantity(v) for k, v in overhead.items() if parse_quantity(v) is not None})
    return total


# ==== scheduler ===================================================================================

def node_ready(node):
    for c in (node.get("status") or {}).get("conditions") or []:
        if c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def tolerates(tolerations, taint):
    """v1.Toleration.ToleratesTaint for any of the tolerations."""
    for t in tolerations if isinstance(tolerations, list) else []:
        if not isinstance(t, dict):
            continue
        if t.get("effect") and t.get("effect") != taint.get("effect"):
            continue
        op = t.get("operator") or "Equal"
        if t.get("key") and t.get("key") != taint.get("key"):
            continue
        if op == "Exists":
            return True
        if op == "Equal" and t.get("key") and (t.get("value") or "") == (taint.get("value") or ""):
            return True
    return False


def _tolerates(pod, taint):
    return tolerates((pod.get("spec") or {}).get("tolerations"), taint)


def _match_expression(expr, labels):
    key = expr.get("key")
    op = expr.get("operator")
    values = expr.get("values") or []
    if not isinstance(values, list):
        return False
    has = key in labels
    val = labels.get(key)
    if op == "In":
        return has and val in values
    if op == "NotIn":
        return not has or val not in values
    if op == "Exists":
        return has
    if op == "DoesNotExist":
        return not has
    if op in ("Gt", "Lt"):
        if not has or len(values) != 1:
            return False
        try:
            a, b = int(val), int(values[0])
        except (TypeError, ValueError):
            return False
        return a > b if op == "Gt" else a < b
    return False


def node_selector_terms_match(terms, node):
    """A NodeSelector: the terms are ORed, the requirements inside a term ANDed; an empty term matches nothing."""
    md = node.get("metadata") or {}
    labels = md.get("labels") or {}
    fields = {"metadata.name": md.get("name")}
    for term in terms or []:
        if not isinstance(term, dict):
            continue
        exprs = term.get("matchExpressions") or []
        mfields = term.get("matchFields") or []
        if not isinstance(exprs, list) or not isinstance(mfields, list) or (not exprs and not mfields):
            continue
        if all(isinstance(e, dict) and _match_expression(e, labels) for e in exprs) and \
                all(isinstance(e, dict) and _match_expression(e, fields) for e in mfields):
            return True
    return False


def pod_matches_node_selector_and_affinity(pod, node):
    spec = pod.get("spec") or {}
    labels = (node.get("metadata") or {}).get("labels") or {}
    sel = spec.get("nodeSelector") or {}
    if not isinstance(sel, dict):
        return False
    for k, v in sel.items():
        if labels.get(k) != v:
            return False
    aff = spec.get("affinity") or {}
    na = aff.get("nodeAffinity") if isinstance(aff, dict) else None
    req = na.get("requiredDuringSchedulingIgnoredDuringExecution") if isinstance(na, dict) else None
    if isinstance(req, dict):
        terms = req.get("nodeSelectorTerms")
        if not isinstance(terms, list) or not node_selector_terms_match(terms, node):
            return False
    return True


UNRESOLVABLE = "UnschedulableAndUnresolvable"
UNSCHEDULABLE = "Unschedulable"
# The scheduler's defaults for pods without requests, used only for scoring (LeastAllocated)
DEFAULT_MILLI_CPU = 100
DEFAULT_MEMORY = 200 * 1024 * 1024


@register
class Scheduler(Controller):
    """default-scheduler: the filter plugins NodeUnschedulable, TaintToleration, NodeAffinity (nodeSelector
    and required node affinity) and NodeResourcesFit in that order, LeastAllocated scoring, binding with the
    PodScheduled condition and the Scheduled / FailedScheduling events in the real scheduler's wording."""
    name = "scheduler"
    watches = ("pods", "nodes")
    interval = 2.0

    def setup(self, mgr):
        self.rr = 0
        self.failed = {}     # pod uid -> last FailedScheduling message
        self.pending = {}    # pod uid -> (namespace, name) of pods waiting for a node
        self.contrib = {}    # pod uid -> (node, requests, non-zero cpu milli, non-zero memory)
        self.usage = {}      # node name -> [requests, pod count, non-zero cpu milli, non-zero memory]
        self.retry_all = False
        self.last_retry = 0.0
        _, pods = mgr.store.list_entries("pods")
        for e in pods:
            self._account(e.obj)
        self.tick(mgr, time.time())

    # ---- bookkeeping (what each node has requested, which pods wait) ------------------------------

    def _account(self, pod, deleted=False):
        md = pod.get("metadata") or {}
        uid = md.get("uid")
        old = self.contrib.pop(uid, None)
        if old is not None:
            u = self.usage.get(old[0])
            if u is not None:
                for k, v in old[1].items():
                    u[0][k] = u[0].get(k, 0) - v
                u[1] -= 1
                u[2] -= old[2]
                u[3] -= old[3]
        self.pending.pop(uid, None)
        if deleted:
            self.failed.pop(uid, None)
            return old is not None
        spec = pod.get("spec") or {}
        node = spec.get("nodeName")
        if node and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed"):
            r = pod_requests(spec)
            nzc = r["cpu"] * 1000 if r.get("cpu") else DEFAULT_MILLI_CPU
            nzm = r["memory"] if r.get("memory") else DEFAULT_MEMORY
            self.contrib[uid] = (node, r, nzc, nzm)
            u = self.usage.setdefault(node, [{}, 0, 0, 0])
            for k, v in r.items():
                u[0][k] = u[0].get(k, 0) + v
            u[1] += 1
            u[2] += nzc
            u[3] += nzm
        elif self._wants_scheduling(pod):
            self.pending[uid] = (md.get("namespace"), md.get("name"))
        # a pod that leaves a node (finished) frees room for the waiting ones
        return old is not None and uid not in self.contrib

    def on_event(self, mgr, ev):
        if ev.key == "pods":
            freed = self._account(ev.entry.obj, deleted=ev.type == "DELETED")
            if freed and self.failed:
                self.retry_all = True
            if ev.type != "DELETED":
                uid = (ev.entry.obj.get("metadata") or {}).get("uid")
                if uid in self.pending and (uid not in self.failed or (
                        ev.prev is not None and ev.prev.obj.get("spec") != ev.entry.obj.get("spec"))):
                    self._try(mgr, ev.entry.obj)
        elif ev.key == "nodes" and self.failed:
            if ev.prev is None or ev.type == "DELETED" or _sched_view(ev.prev.obj) != _sched_view(ev.entry.obj):
                self.retry_all = True

    def tick(self, mgr, now):
        # unschedulable pods are retried when the cluster changed, and every 30 s regardless
        if not self.pending or not (self.retry_all or now - self.last_retry > 30.0 or
                                    any(uid not in self.failed for uid in self.pending)):
            return
        self.retry_all = False
        self.last_retry = now
        for uid, (ns, name) in list(self.pending.items()):
            e = mgr.store.get_entry("pods", ns, name)
            if e is not None and (e.obj.get("metadata") or {}).get("uid") == uid:
                self._try(mgr, e.obj, force=True)

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

    def _try(self, mgr, pod, force=False):
        if not self._wants_scheduling(pod):
            return
        _, nodes = mgr.store.list_entries("nodes")
        usage = self.usage
        req = pod_requests(pod.get("spec") or {})
        fit, statuses = [], []
        for e in nodes:
            code, reasons = self._filter(pod, e.obj, req, usage.get(e.name))
            if code is None:
                fit.append(e.obj)
            else:
                statuses.append((code, reasons))
        md = pod["metadata"]
        rt = mgr.rt("pods")
        if fit:
            node_name = self._pick(fit, usage, req)
            self.failed.pop(md.get("uid"), None)

            def bind(p):
                if (p.get("spec") or {}).get("nodeName") or (p.get("metadata") or {}).get("deletionTimestamp"):
                    return None
                p["spec"]["nodeName"] = node_name
                _set_condition(p, "PodScheduled", "True")
                return p
            res = mgr.api.mutate(mgr.ctx, rt, md.get("namespace"), md.get("name"), bind)
            if res is not None:
                self._account(res)
                mgr.record_event(res, "Normal", "Scheduled", "Successfully assigned %s/%s to %s"
                                 % (md.get("namespace"), md.get("name"), node_name), "default-scheduler")
            return
        msg = self._fit_error(pod, len(nodes), statuses)
        if self.failed.get(md.get("uid")) == msg:
            return
        self.failed[md.get("uid")] = msg

        def unschedulable(p):
            if (p.get("spec") or {}).get("nodeName"):
                return None
            for c in (p.get("status") or {}).get("conditions") or []:
                if c.get("type") == "PodScheduled" and c.get("status") == "False" and c.get("message") == msg:
                    return None
            _set_condition(p, "PodScheduled", "False", "Unschedulable", msg)
            p.setdefault("status", {})["phase"] = "Pending"
            return p
        res = mgr.api.mutate(mgr.ctx, rt, md.get("namespace"), md.get("name"), unschedulable)
        if res is not None:
            mgr.record_event(res, "Warning", "FailedScheduling", msg, "default-scheduler")

    def _pick(self, fit, usage, req):
        """LeastAllocated scoring (non-zero defaults for pods without requests); ties round robin."""
        want_cpu = req["cpu"] * 1000 if req.get("cpu") else DEFAULT_MILLI_CPU
        want_mem = req["memory"] if req.get("memory") else DEFAULT_MEMORY
        scored = []
        for n in fit:
            alloc = (n.get("status") or {}).get("allocatable") or {}
            cpu = (parse_quantity(alloc.get("cpu")) or 0) * 1000
            mem = parse_quantity(alloc.get("memory")) or 0
            _, _, nzc, nzm = usage.get(n["metadata"]["name"]) or ({}, 0, 0, 0)
            score = 0
            for cap, used in ((cpu, nzc + want_cpu), (mem, nzm + want_mem)):
                if cap > 0 and used <= cap:
                    score += (cap - used) * 100 // cap
            scored.append((int(score), n["metadata"]["name"]))
        best = max(s for s, _ in scored)
        names = [name for s, name in scored if s == best]
        self.rr += 1
        return names[self.rr % len(names)]

    @staticmethod
    def _filter(pod, node, req, usage):
        """(None, []) when the node fits, else (status code, [reasons]) of the first failing filter plugin."""
        spec = pod.get("spec") or {}
        nspec = node.get("spec") or {}
        tolerations = spec.get("tolerations") or []
        # NodeUnschedulable
        if nspec.get("unschedulable") and not tolerates(
                tolerations, {"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule"}):
            return UNRESOLVABLE, ["node(s) were unschedulable"]
        # TaintToleration (NoSchedule and NoExecute taints)
        taints = nspec.get("taints") or []
        for t in taints if isinstance(taints, list) else []:
            if not isinstance(t, dict) or t.get("effect") not in ("NoSchedule", "NoExecute"):
                continue
            if not tolerates(tolerations, t):
                return UNRESOLVABLE, ["node(s) had untolerated taint {%s: %s}" % (t.get("key"), t.get("value") or "")]
        # NodeAffinity (nodeSelector and requiredDuringSchedulingIgnoredDuringExecution)
        if not pod_matches_node_selector_and_affinity(pod, node):
            return UNRESOLVABLE, ["node(s) didn't match Pod's node affinity/selector"]
        # NodeResourcesFit
        alloc = (node.get("status") or {}).get("allocatable") or {}
        used, count = ({}, 0) if usage is None else (usage[0], usage[1])
        reasons = []
        max_pods = parse_quantity(alloc.get("pods"))
        if max_pods is not None and count + 1 > max_pods:
            reasons.append("Too many pods")
        if any(v > 0 for v in req.values()):
            order = ["cpu", "memory", "ephemeral-storage"] + sorted(k for k in req if k not in
                                                                     ("cpu", "memory", "ephemeral-storage"))
            for r in order:
                want = req.get(r) or 0
                if want <= 0:
                    continue
                cap = parse_quantity(alloc.get(r)) or 0
                if want > cap - used.get(r, 0):
                    reasons.append("Insufficient %s" % r)
        if reasons:
            return UNSCHEDULABLE, reasons
        return None, []

    @staticmethod
    def _fit_error(pod, n_nodes, statuses):
        """framework.FitError.Error() plus the DefaultPreemption post-filter message."""
        if n_nodes == 0:
            return "no nodes available to schedule pods"

        def histogram(items):
            counts = {}
            for r in items:
                counts[r] = counts.get(r, 0) + 1
            return ", ".join(sorted("%d %s" % (v, k) for k, v in counts.items()))
        msg = "0/%d nodes are available: %s." % (n_nodes, histogram([r for _, rs in statuses for r in rs]))
        spec = pod.get("spec") or {}
        if spec.get("preemptionPolicy") == "Never":
            post = "preemption: not eligible due to preemptionPolicy=Never."
        else:
            # no lower-priority victims are simulated: every node that preemption might help yields none
            post = "preemption: 0/%d nodes are available: %s." % (n_nodes, histogram(
                ["Preemption is not helpful for scheduling" if code == UNRESOLVABLE
                 else "No preemption victims found for incoming pod" for code, _ in statuses]))
        return msg + " " + post + "."


def _sched_view(node):
    """What of a node the scheduler's filters look at (a heartbeat alone changes none of it)."""
    spec = node.get("spec") or {}
    st = node.get("status") or {}
    return (spec.get("unschedulable"), spec.get("taints"), (node.get("metadata") or {}).get("labels"),
            st.get("allocatable"), [(c.get("type"), c.get("status")) for c in st.get("conditions") or []
                                    if isinstance(c, dict)])


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
#
# The simulated kubelet runs every pod bound to a Ready node. Its behaviour is a contract that tests
# and other controllers rely on (documented in tests/kubesim/README.md):
#   image containing "crash" (e.g. "crashloop")        the container exits 1 after CRASH_RUN_SECONDS
#   image containing "does-not-exist", "doesnotexist",   the pull fails: ErrImagePull, ImagePullBackOff
#     "invalid", or a ":badtag" tag
#   pod of restartPolicy Never/OnFailure                 containers exit after kubesim.io/run-seconds
#                                                        (default 2) with kubesim.io/exit-code (default 0)
#   annotation kubesim.io/run-seconds on any pod         the same, for restartPolicy Always too
#   readinessProbe.initialDelaySeconds                   the container turns ready after that delay
#   annotation kubesim.io/terminate-seconds              how long a graceful deletion takes (default: at
#                                                        most 1 s, never more than the grace period)

STARTUP_DELAY = 0.2        # bound -> the first status (ContainerCreating / PodInitializing)
SANDBOX_DELAY = 0.1        # sandbox created -> the first image pull starts
PULL_SECONDS = 0.25        # an image pull
INIT_RUN_SECONDS = 0.3     # a regular init container runs this long, then exits 0
CRASH_RUN_SECONDS = 1.0    # a crash-looping container runs this long, then exits 1
JOB_RUN_SECONDS = 2.0      # default kubesim.io/run-seconds of Never/OnFailure pods
ERROR_VISIBLE = 0.3        # how long a first failure shows before the immediate first restart
BACKOFF_START = 1.0        # restart / image pull back-off: 1 s, doubling, capped (the real kubelet: 10 s .. 5 min)
BACKOFF_MAX = 10.0
NODE_DOWN_RETRY = 1.0      # a kubelet on a NotReady node makes no progress; retry this often
IMAGE_SIZE_BASE = 20000000


def container_behaviour(pod, container):
    """How a simulated container behaves, from markers in its image (see the README):
    'pullfail' (image contains does-not-exist, doesnotexist or invalid, or has the tag :badtag),
    'crash' (image contains crash, e.g. crashloop), otherwise 'run'."""
    image = str(container.get("image") or "").lower()
    if "does-not-exist" in image or "doesnotexist" in image or "invalid" in image or image.endswith(":badtag"):
        return "pullfail"
    if "crash" in image:
        return "crash"
    return "run"


def _annotation_float(pod, *keys):
    ann = (pod.get("metadata") or {}).get("annotations") or {}
    for k in keys:
        if k in ann:
            try:
                v = float(ann[k])
            except (TypeError, ValueError):
                return None
            return v if v >= 0 else None
    return None


def run_seconds(pod):
    """How long regular containers run before exiting, or None for 'until stopped'."""
    v = _annotation_float(pod, "kubesim.io/run-seconds", "kubesim.io/exit-after")
    if v is not None:
        return v
    if (pod.get("spec") or {}).get("restartPolicy") in ("Never", "OnFailure"):
        return JOB_RUN_SECONDS
    return None


def exit_code(pod):
    ann = (pod.get("metadata") or {}).get("annotations") or {}
    try:
        return max(0, min(255, int(ann.get("kubesim.io/exit-code", "0"))))
    except (TypeError, ValueError):
        return 0


def backoff_seconds(n):
    """The n-th back-off (n >= 1): 1 s, 2 s, 4 s ... capped at BACKOFF_MAX."""
    return min(BACKOFF_START * (2 ** max(0, n - 1)), BACKOFF_MAX)


def _go_dur(seconds):
    """time.Duration.String() for whole and fractional seconds (1s, 10s, 1m20s, 512ms)."""
    if seconds < 1:
        ms = int(round(seconds * 1000))
        return "%dms" % ms
    if seconds == int(seconds):
        s = int(seconds)
        if s < 60:
            return "%ds" % s
        m, s = divmod(s, 60)
        if m < 60:
            return "%dm%ds" % (m, s)
        h, m = divmod(m, 60)
        return "%dh%dm%ds" % (h, m, s)
    text = ("%.9f" % seconds).rstrip("0").rstrip(".")
    return text + "s"


def _node_internal_ip(node):
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == "InternalIP":
            return a.get("address")
    return "10.0.0.1"


def _image_ref(image):
    """The fully qualified reference containerd reports: nginx:1.27 -> docker.io/library/nginx:1.27."""
    first = image.split("/")[0]
    if "/" not in image or ("." not in first and ":" not in first and first != "localhost"):
        name = image if "/" in image else "library/" + image
        ref = "docker.io/" + name
    else:
        ref = image
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last and "@" not in last:
        ref += ":latest"
    return ref


def _image_id(ref):
    repo = ref.split("@")[0]
    last = repo.rsplit("/", 1)
    if ":" in last[-1]:
        repo = repo[:repo.rfind(":")]
    return repo + "@sha256:" + hashlib.sha256(ref.encode()).hexdigest()


class _Ctr:
    """The kubelet's view of one container of a pod it runs."""

    def __init__(self, spec, kind, pod):
        self.spec = spec
        self.name = spec.get("name") or ""
        self.kind = kind                      # "init", "sidecar" or "main"
        self.image = str(spec.get("image") or "")
        self.behaviour = container_behaviour(pod, spec)
        self.state = {"waiting": {"reason": "PodInitializing" if kind != "main" or
                                  (pod.get("spec") or {}).get("initContainers") else "ContainerCreating"}}
        self.last = {}
        self.ready = False
        self.started = False
        self.restarts = 0
        self.cid = None
        self.ref = None
        self.image_id = ""
        self.pull_failures = 0
        self.token = 0                        # bumped to cancel this container's pending timers
        self.done = False                     # terminated for good (no restart will follow)
        self.launched = False                 # its first pull/start has begun

    def status(self):
        out = {"name": self.name, "state": self.state, "lastState": self.last, "ready": self.ready,
               "restartCount": self.restarts, "image": self.ref or self.image, "imageID": self.image_id}
        if self.cid:
            out["containerID"] = self.cid
        out["started"] = self.started
        return out

    def running(self):
        return "running" in self.state

    def terminated(self):
        return (self.state.get("terminated") or {})


class _PodRun:
    def __init__(self, pod, node):
        md = pod.get("metadata") or {}
        spec = pod.get("spec") or {}
        self.ns = md.get("namespace")
        self.name = md.get("name")
        self.uid = md.get("uid")
        self.node = node["metadata"]["name"]
        self.restart_policy = spec.get("restartPolicy") or "Always"
        self.run_seconds = run_seconds(pod)
        self.exit_code = exit_code(pod)
        self.readiness_gates = [g.get("conditionType") for g in spec.get("readinessGates") or []
                                if isinstance(g, dict) and g.get("conditionType")]
        self.inits = []
        for c in spec.get("initContainers") or []:
            if isinstance(c, dict):
                self.inits.append(_Ctr(c, "sidecar" if c.get("restartPolicy") == "Always" else "init", pod))
        self.mains = [_Ctr(c, "main", pod) for c in spec.get("containers") or [] if isinstance(c, dict)]
        self.sandbox = False
        self.init_index = 0
        self.main_started = False
        self.terminal = None                  # "Succeeded" / "Failed" once decided
        self.stopped = False
        self.killing = False
        self.host_ip = _node_internal_ip(node)
        self.pod_ip = None
        self.start_time = None

    def all(self):
        return self.inits + self.mains

    def phase(self):
        """kubelet getPhase()."""
        if self.terminal:
            return self.terminal
        for c in self.inits:
            if c.kind == "init" and c.done and c.terminated().get("exitCode", 0) != 0:
                return "Failed"
        pending_init = any(not ((c.kind == "init" and c.terminated().get("exitCode") == 0) or
                                (c.kind == "sidecar" and c.started)) for c in self.inits)
        running = stopped = succeeded = waiting = 0
        for c in self.mains:
            if c.running():
                running += 1
            elif c.terminated():
                stopped += 1
                if c.terminated().get("exitCode") == 0:
                    succeeded += 1
            elif "waiting" in c.state:
                if c.last.get("terminated"):
                    stopped += 1
                else:
                    waiting += 1
        if (pending_init and not self.main_started) or waiting:
            return "Pending"
        if running:
            return "Running"
        if stopped:
            if self.restart_policy == "Always":
                return "Running"
            if stopped == succeeded:
                return "Succeeded"
            if self.restart_policy == "Never":
                return "Failed"
            return "Running"
        return "Pending"


@register
class Kubelet(Controller):
    """Runs the pods bound to Ready nodes: sandbox, image pulls, init containers in order (sidecars keep
    running), containers, readiness, restarts with back-off, image pull back-off, terminal phases, and the
    kubelet's events (Pulling, Pulled, Created, Started, Failed, BackOff, Killing)."""
    name = "kubelet"
    watches = ("pods", "nodes")

    def setup(self, mgr):
        self.runs = {}            # pod uid -> _PodRun
        self.ignored = set()      # uids seen with a status this kubelet did not write (fixtures): left alone
        self.waiting = set()      # uids bound to a node that is not Ready yet
        self.ip_next = {}
        self.images = {}          # node name -> set of image refs pulled there
        _, pods = mgr.store.list_entries("pods")
        for e in pods:
            self._consider(mgr, e.obj)

    def on_event(self, mgr, ev):
        if ev.key == "nodes":
            if ev.type != "DELETED" and node_ready(ev.entry.obj) and self.waiting:
                _, pods = mgr.store.list_entries("pods")
                for e in pods:
                    if e.obj.get("metadata", {}).get("uid") in self.waiting:
                        self._consider(mgr, e.obj)
            if ev.type != "DELETED" and node_ready(ev.entry.obj) and ev.prev is not None and \
                    not node_ready(ev.prev.obj):
                for run in list(self.runs.values()):
                    if run.node == ev.name and not run.stopped:
                        self._sync(mgr, run)      # the kubelet is back: report the real readiness again
            return
        pod = ev.entry.obj
        uid = (pod.get("metadata") or {}).get("uid")
        if ev.type == "DELETED":
            run = self.runs.pop(uid, None)
            if run is not None:
                run.stopped = True
            self.ignored.discard(uid)
            self.waiting.discard(uid)
            return
        run = self.runs.get(uid)
        if run is not None:
            if (pod.get("metadata") or {}).get("deletionTimestamp") and not run.killing:
                self._kill(mgr, run)
            elif run.readiness_gates and not run.stopped and run.sandbox and ev.prev is not None and \
                    _gate_states(pod, run) != _gate_states(ev.prev.obj, run):
                self._sync(mgr, run)      # a readiness gate changed: Ready follows
            return
        self._consider(mgr, pod)

    # ---- admission of a pod --------------------------------------------------------------------

    def _consider(self, mgr, pod):
        md = pod.get("metadata") or {}
        uid = md.get("uid")
        if uid in self.runs or uid in self.ignored:
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
            self.waiting.add(uid)
            return
        self.waiting.discard(uid)
        run = _PodRun(pod, node.obj)
        self.runs[uid] = run
        self._later(mgr, run, STARTUP_DELAY, lambda: self._start(mgr, run))

    # ---- timers -------------------------------------------------------------------------------

    def _later(self, mgr, run, delay, fn, ctr=None):
        token = ctr.token if ctr is not None else None

        def fire():
            if run.stopped or self.runs.get(run.uid) is not run:
                return
            if ctr is not None and ctr.token != token:
                return
            node = mgr.store.get_entry("nodes", "", run.node)
            if node is None:
                return
            if not node_ready(node.obj):      # the kubelet is down: nothing progresses
                mgr.after(NODE_DOWN_RETRY, fire)
                return
            fn()
        mgr.after(delay, fire)

    def _event(self, mgr, run, etype, reason, message, ctr=None):
        pod = mgr.store.get_entry("pods", run.ns, run.name)
        if pod is None or (pod.obj.get("metadata") or {}).get("uid") != run.uid:
            return
        path = None
        if ctr is not None:
            path = "spec.%s{%s}" % ("containers" if ctr.kind == "main" else "initContainers", ctr.name)
        mgr.record_event(pod.obj, etype, reason, message, "kubelet", run.node, field_path=path)

    # ---- status ---------------------------------------------------------------------------------

    def _sync(self, mgr, run):
        """Write the pod status computed from the run (the kubelet's status manager)."""
        now = time.time()
        phase = run.phase()
        if phase in ("Succeeded", "Failed") and not run.terminal:
            run.terminal = phase
            for c in run.all():
                if c.running():    # sidecars (and anything else still up) are stopped with the pod
                    self._terminate(c, 0, now)
                c.ready = False
                c.started = False
        node = mgr.store.get_entry("nodes", "", run.node)
        node_is_ready = node is not None and node_ready(node.obj)

        def fn(p):
            md = p.get("metadata") or {}
            if md.get("uid") != run.uid:
                return None
            st = p.setdefault("status", {})
            if st.get("phase") in ("Succeeded", "Failed") and st.get("phase") != phase:
                return None       # a terminal phase never changes
            st["phase"] = phase
            st["hostIP"] = run.host_ip
            st["hostIPs"] = [{"ip": run.host_ip}]
            if run.pod_ip:
                st["podIP"] = run.pod_ip
                st["podIPs"] = [{"ip": run.pod_ip}]
            if run.start_time:
                st["startTime"] = run.start_time
            if run.inits:
                st["initContainerStatuses"] = [c.status() for c in run.inits]
            st["containerStatuses"] = [c.status() for c in run.mains]
            st.setdefault("qosClass", kinds_qos(p))
            self._conditions(p, run, phase, now, node_is_ready)
            p["status"] = {k: st[k] for k in _STATUS_ORDER if k in st}
            p["status"].update((k, v) for k, v in st.items() if k not in p["status"])
            return p
        return mgr.api.mutate(mgr.ctx, mgr.rt("pods"), run.ns, run.name, fn)

    @staticmethod
    def _conditions(p, run, phase, now, node_is_ready):
        st = p["status"]
        old = {c.get("type"): c for c in st.get("conditions") or [] if isinstance(c, dict)}
        terminal = phase in ("Succeeded", "Failed")

        def cond(ctype, status, reason=None, message=None):
            c = {"type": ctype, "status": status, "lastProbeTime": None}
            prev = old.get(ctype)
            c["lastTransitionTime"] = prev.get("lastTransitionTime") if prev and prev.get("status") == status \
                else util.rfc3339(now)
            if reason:
                c["reason"] = reason
            if message:
                c["message"] = message
            return c
        out = [c for t, c in old.items() if t not in ("PodReadyToStartContainers", "Initialized", "Ready",
                                                      "ContainersReady", "PodScheduled")]
        out.append(cond("PodReadyToStartContainers", "True" if run.sandbox and not terminal else "False"))
        # Initialized
        incomplete = [c.name for c in run.inits
                      if not ((c.kind == "init" and c.ready) or (c.kind == "sidecar" and c.started))]
        if phase == "Succeeded":
            out.append(cond("Initialized", "True", "PodCompleted"))
        elif run.main_started or not incomplete:
            out.append(cond("Initialized", "True"))
        else:
            out.append(cond("Initialized", "False", "ContainersNotInitialized",
                            "containers with incomplete status: [%s]" % " ".join(incomplete)))
        # ContainersReady and Ready
        if terminal:
            reason = "PodCompleted" if phase == "Succeeded" else "PodFailed"
            ready = cond("Ready", "False", reason)
            cready = cond("ContainersReady", "False", reason)
        else:
            unready = [c.name for c in run.inits if c.kind == "sidecar" and not c.ready] + \
                      [c.name for c in run.mains if not c.ready]
            if unready:
                msg = "containers with unready status: [%s]" % " ".join(unready)
                cready = cond("ContainersReady", "False", "ContainersNotReady", msg)
                ready = cond("Ready", "False", "ContainersNotReady", msg)
            else:
                cready = cond("ContainersReady", "True")
                gates = []
                for g in run.readiness_gates:
                    gc = old.get(g)
                    if gc is None:
                        gates.append('corresponding condition of pod readiness gate "%s" does not exist.' % g)
                    elif gc.get("status") != "True":
                        gates.append('the status of pod readiness gate "%s" is not "True", but %s'
                                     % (g, gc.get("status")))
                if gates:
                    ready = cond("Ready", "False", "ReadinessGatesNotReady", ", ".join(gates))
                elif not node_is_ready:
                    prev = old.get("Ready") or {}
                    ready = cond("Ready", "False", prev.get("reason"), prev.get("message"))
                else:
                    ready = cond("Ready", "True")
        out.append(ready)
        out.append(cready)
        sched = old.get("PodScheduled")
        out.append(sched if sched and sched.get("status") == "True" else cond("PodScheduled", "True"))
        st["conditions"] = out

    # ---- lifecycle ------------------------------------------------------------------------------

    def _pod_ip(self, mgr, node_name):
        e = mgr.store.get_entry("nodes", "", node_name)
        cidr = ((e.obj if e is not None else {}).get("spec") or {}).get("podCIDR") or "10.244.0.0/24"
        base = cidr.split("/")[0].rsplit(".", 1)[0]
        n = self.ip_next.get(base, 2)
        self.ip_next[base] = n + 1 if n < 254 else 2
        return "%s.%d" % (base, n)

    def _start(self, mgr, run):
        run.start_time = util.rfc3339()
        if self._sync(mgr, run) is None:
            return
        self._later(mgr, run, SANDBOX_DELAY, lambda: self._sandbox(mgr, run))

    def _sandbox(self, mgr, run):
        run.sandbox = True
        run.pod_ip = self._pod_ip(mgr, run.node)
        self._advance(mgr, run)

    def _advance(self, mgr, run):
        """Start the next init container, or the regular containers once initialised."""
        if run.terminal or run.killing:
            self._sync(mgr, run)
            return
        while run.init_index < len(run.inits):
            c = run.inits[run.init_index]
            if c.kind == "sidecar" and c.started:
                run.init_index += 1
                continue
            if c.kind == "init" and c.terminated().get("exitCode") == 0 and c.done:
                run.init_index += 1
                continue
            self._sync(mgr, run)
            if not c.launched:
                self._launch(mgr, run, c)
            return
        if not run.main_started:
            run.main_started = True
            for c in run.mains:
                c.state = {"waiting": {"reason": "ContainerCreating"}}
            self._sync(mgr, run)
            for c in run.mains:
                self._launch(mgr, run, c)
            return
        self._sync(mgr, run)

    def _launch(self, mgr, run, c):
        """Pull the image (or find it present), then create and start the container."""
        c.launched = True
        ref = _image_ref(c.image)
        pulled = self.images.setdefault(run.node, set())
        policy = c.spec.get("imagePullPolicy") or "IfNotPresent"
        if c.behaviour != "pullfail" and policy != "Always" and ref in pulled:
            self._event(mgr, run, "Normal", "Pulled", 'Container image "%s" already present on machine' % c.image, c)
            self._later(mgr, run, 0.02, lambda: self._create(mgr, run, c, ref), c)
            return
        self._event(mgr, run, "Normal", "Pulling", 'Pulling image "%s"' % c.image, c)
        self._later(mgr, run, PULL_SECONDS, lambda: self._pulled(mgr, run, c, ref), c)

    def _pulled(self, mgr, run, c, ref):
        if c.behaviour == "pullfail":
            c.pull_failures += 1
            why = ('rpc error: code = NotFound desc = failed to pull and unpack image "%s": failed to resolve '
                   'reference "%s": %s: not found' % (ref, ref, ref))
            c.state = {"waiting": {"reason": "ErrImagePull", "message": why}}
            self._event(mgr, run, "Warning", "Failed", 'Failed to pull image "%s": %s' % (c.image, why), c)
            self._event(mgr, run, "Warning", "Failed", "Error: ErrImagePull", c)
            self._sync(mgr, run)
            self._later(mgr, run, ERROR_VISIBLE * 3, lambda: self._pull_backoff(mgr, run, c), c)
            return
        self.images.setdefault(run.node, set()).add(ref)
        took = _go_dur(PULL_SECONDS + (len(ref) % 7) / 100.0)
        size = IMAGE_SIZE_BASE + int(hashlib.sha256(ref.encode()).hexdigest()[:6], 16) * 10
        self._event(mgr, run, "Normal", "Pulled", 'Successfully pulled image "%s" in %s (%s including waiting). '
                    'Image size: %d bytes.' % (c.image, took, took, size), c)
        self._create(mgr, run, c, ref)

    def _pull_backoff(self, mgr, run, c):
        c.state = {"waiting": {"reason": "ImagePullBackOff", "message": 'Back-off pulling image "%s"' % c.image}}
        self._event(mgr, run, "Normal", "BackOff", 'Back-off pulling image "%s"' % c.image, c)
        self._event(mgr, run, "Warning", "Failed", "Error: ImagePullBackOff", c)
        self._sync(mgr, run)
        self._later(mgr, run, backoff_seconds(c.pull_failures), lambda: self._launch(mgr, run, c), c)

    def _create(self, mgr, run, c, ref):
        now = time.time()
        c.ref = ref
        c.image_id = _image_id(ref)
        c.cid = "containerd://" + util.hex_id(64, mgr.rng)
        c.state = {"running": {"startedAt": util.rfc3339(now)}}
        c.started = not _startup_delay(c.spec)
        c.ready = False
        c.done = False
        self._event(mgr, run, "Normal", "Created", "Created container: %s" % c.name, c)
        self._event(mgr, run, "Normal", "Started", "Started container %s" % c.name, c)
        if c.kind == "init":
            secs = CRASH_RUN_SECONDS if c.behaviour == "crash" else INIT_RUN_SECONDS
            code = 1 if c.behaviour == "crash" else 0
            self._sync(mgr, run)
            self._later(mgr, run, secs, lambda: self._exited(mgr, run, c, code), c)
            return
        if not c.started:
            self._later(mgr, run, _startup_delay(c.spec), lambda: self._mark_started(mgr, run, c), c)
        delay = _readiness_delay(c.spec)
        if delay <= 0 and c.started:
            c.ready = True
        else:
            self._later(mgr, run, max(delay, _startup_delay(c.spec)), lambda: self._mark_ready(mgr, run, c), c)
        if c.kind == "sidecar":
            self._sync(mgr, run)
            if c.started:
                self._advance(mgr, run)
        else:
            self._sync(mgr, run)
        if c.behaviour == "crash":
            self._later(mgr, run, CRASH_RUN_SECONDS, lambda: self._exited(mgr, run, c, 1), c)
        elif c.kind == "main" and run.run_seconds is not None:
            self._later(mgr, run, run.run_seconds, lambda: self._exited(mgr, run, c, run.exit_code), c)

    def _mark_started(self, mgr, run, c):
        if c.running():
            c.started = True
            self._sync(mgr, run)
            if c.kind == "sidecar":
                self._advance(mgr, run)

    def _mark_ready(self, mgr, run, c):
        if c.running() and c.started:
            c.ready = True
            self._sync(mgr, run)

    @staticmethod
    def _terminate(c, code, now):
        started = (c.state.get("running") or {}).get("startedAt") or util.rfc3339(now)
        c.state = {"terminated": {"exitCode": code, "reason": "Completed" if code == 0 else "Error",
                                  "startedAt": started, "finishedAt": util.rfc3339(now), "containerID": c.cid}}
        c.started = False
        c.token += 1

    def _exited(self, mgr, run, c, code):
        now = time.time()
        self._terminate(c, code, now)
        c.ready = code == 0 and c.kind == "init"     # a completed init container reports ready
        policy = run.restart_policy
        if c.kind == "sidecar":
            restart = True
        elif c.kind == "init":
            restart = code != 0 and policy != "Never"
        else:
            restart = policy == "Always" or (policy == "OnFailure" and code != 0)
        if not restart:
            c.done = True
            self._sync(mgr, run)
            if c.kind == "init" and code == 0:
                run.init_index += 1
                self._later(mgr, run, 0.02, lambda: self._advance(mgr, run))
            elif c.kind == "main" and all(m.done for m in run.mains):
                self._sync(mgr, run)
            return
        if c.kind == "init":
            c.done = False
        if c.restarts == 0:
            # the first restart is immediate; the back-off starts with the second
            self._sync(mgr, run)
            self._later(mgr, run, ERROR_VISIBLE, lambda: self._restart(mgr, run, c), c)
            return
        backoff = backoff_seconds(c.restarts)
        c.last = {"terminated": c.state["terminated"]}
        c.state = {"waiting": {"reason": "CrashLoopBackOff",
                               "message": "back-off %s restarting failed container=%s pod=%s_%s(%s)"
                               % (_go_dur(backoff), c.name, run.name, run.ns, run.uid)}}
        self._event(mgr, run, "Warning", "BackOff", "Back-off restarting failed container %s in pod %s_%s(%s)"
                    % (c.name, run.name, run.ns, run.uid), c)
        self._sync(mgr, run)
        self._later(mgr, run, backoff, lambda: self._restart(mgr, run, c), c)

    def _restart(self, mgr, run, c):
        if c.terminated():
            c.last = {"terminated": c.terminated()}
        c.restarts += 1
        self._create(mgr, run, c, c.ref or _image_ref(c.image))

    def _kill(self, mgr, run):
        """Graceful deletion: stop the containers (the pod-terminator removes the pod when the grace ends)."""
        run.killing = True
        for c in run.all():
            if c.running():
                self._event(mgr, run, "Normal", "Killing", "Stopping container %s" % c.name, c)
            c.token += 1
        run.stopped = True


# v1.PodStatus fields in the order the apiserver serialises them
_STATUS_ORDER = ("observedGeneration", "phase", "conditions", "message", "reason", "nominatedNodeName", "hostIP",
                 "hostIPs", "podIP", "podIPs", "startTime", "initContainerStatuses", "containerStatuses", "qosClass",
                 "ephemeralContainerStatuses", "resize", "resourceClaimStatuses")


def _gate_states(pod, run):
    conds = {c.get("type"): c.get("status") for c in (pod.get("status") or {}).get("conditions") or []
             if isinstance(c, dict)}
    return [conds.get(g) for g in run.readiness_gates]


def _readiness_delay(spec):
    probe = spec.get("readinessProbe")
    if not isinstance(probe, dict):
        return 0.0
    try:
        return max(0.0, float(probe.get("initialDelaySeconds") or 0))
    except (TypeError, ValueError):
        return 0.0


def _startup_delay(spec):
    probe = spec.get("startupProbe")
    if not isinstance(probe, dict):
        return 0.0
    try:
        return max(0.0, float(probe.get("initialDelaySeconds") or 0))
    except (TypeError, ValueError):
        return 0.0


def kinds_qos(pod):
    from .kinds_core import qos_class
    return qos_class(pod.get("spec") or {})


# ==== graceful pod termination (always on) ========================================================

TERMINATION_DELAY_MAX = 1.0


def termination_delay(pod):
    """How long the simulated graceful deletion of a pod takes: min(grace, 1 s), or min(grace,
    kubesim.io/terminate-seconds) when the pod has that annotation."""
    md = pod.get("metadata") or {}
    grace = float(md.get("deletionGracePeriodSeconds") or 0)
    cap = _annotation_float(pod, "kubesim.io/terminate-seconds")
    return min(grace, TERMINATION_DELAY_MAX if cap is None else cap)


@register
class PodTerminator(Controller):
    """Finishes graceful deletions asked for through the API: the pod goes after termination_delay(), once
    its node (if it has one) is Ready."""
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
        delay = termination_delay(pod)
        ns, name = md.get("namespace"), md.get("name")

        def finish():
            self.pending.discard(uid)
            cur = mgr.store.get_entry("pods", ns, name)
            if cur is None or (cur.obj.get("metadata") or {}).get("uid") != uid:
                mgr.api.graceful.discard(uid)
                return
            cmd = cur.obj.get("metadata") or {}
            if not cmd.get("deletionTimestamp"):
                mgr.api.graceful.discard(uid)
                return
            # a later DELETE may have shortened the grace period
            left = termination_delay(cur.obj) - (time.time() - started)
            if left > 0.05:
                self.pending.add(uid)
                mgr.after(left, finish)
                return
            # the kubelet of a NotReady node cannot confirm the termination: the pod stays Terminating
            # until the node is back (or a client forces the deletion with a zero grace period); with
            # --no-controllers no kubelet is simulated and client-requested deletions always complete
            node_name = (cur.obj.get("spec") or {}).get("nodeName")
            ne = mgr.store.get_entry("nodes", "", node_name) if node_name and mgr.enabled else None
            if ne is not None and not node_ready(ne.obj):
                self.pending.add(uid)
                mgr.after(NODE_DOWN_RETRY, finish)
                return
            try:
                mgr.api.delete(mgr.ctx, mgr.rt("pods"), ns, name,
                               {"gracePeriodSeconds": 0, "preconditions": {"uid": uid}})
            except errors.ApiError:
                pass
            mgr.api.graceful.discard(uid)
        started = time.time()
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
