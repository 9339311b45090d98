"""The resource quota controller of kube-controller-manager 1.32: keeps `status.hard` (= spec.hard) and
`status.used` of every ResourceQuota current, which `kubectl get quota` (REQUEST/LIMIT) and `kubectl
describe quota|namespace` show.

Usage is computed for the resources a quota names:
- pods / count/pods: pods not in a terminal phase;
- cpu, memory, ephemeral-storage (= requests.*) and limits.*: the pod's effective request or limit,
  max(sum over containers, any init container), for non-terminal pods;
- services, services.nodeports, services.loadbalancers, configmaps, secrets, persistentvolumeclaims,
  replicationcontrollers, resourcequotas, requests.storage (sum of claims' storage requests);
- count/<resource>[.<group>] for any served kind.
Every named resource gets a value, "0" when nothing uses it. Quota scopes and the admission check that
refuses creations beyond `hard` are not simulated.
"""

from fractions import Fraction

from . import controllers
from .printers_common import QuantityError, format_quantity, parse_quantity
from .resources import REGISTRY

QUOTA_KEY = "resourcequotas"
WATCHED = ("pods", "services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers",
           QUOTA_KEY)
POD_RESOURCES = ("cpu", "memory", "ephemeral-storage")
BATCH_DELAY = 0.1


def _q(v):
    try:
        return parse_quantity(v)
    except QuantityError:
        return None


class _Sum:
    """A quantity total that keeps the format of its first term, as quota.Add does."""

    def __init__(self):
        self.value = Fraction(0)
        self.fmt = None

    def add(self, value, fmt):
        self.value += value
        if self.fmt is None:
            self.fmt = fmt

    def string(self):
        return format_quantity(self.value, self.fmt or "DecimalSI")


def _terminal(pod):
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def pod_usage(pod, kind, resource):
    """The pod's request or limit of one resource: max(sum of containers, largest init container)."""
    spec = pod.get("spec") or {}
    total, fmt = Fraction(0), None
    for c in spec.get("containers") or []:
        q = _q((((c or {}).get("resources") or {}).get(kind) or {}).get(resource))
        if q is not None:
            total += q[0]
            fmt = fmt or q[1]
    for c in spec.get("initContainers") or []:
        q = _q((((c or {}).get("resources") or {}).get(kind) or {}).get(resource))
        if q is not None and q[0] > total:
            total, fmt = q[0], q[1]
    return (total, fmt) if fmt is not None else None


def _count_rt(name):
    """The ResourceType of a count/<resource>[.<group>] quota name."""
    res = name[len("count/"):]
    plural, _, group = res.partition(".")
    for rt in REGISTRY.all():
        if rt.plural == plural and rt.group == group:
            return REGISTRY.by_key(rt.key) or rt
    return None


def compute_used(store, ns, hard):
    used = {}
    _, pods = store.list_entries("pods", ns)
    live_pods = [e.obj for e in pods if not _terminal(e.obj)]
    counts = {"pods": len(live_pods), "count/pods": len(live_pods)}
    for key in ("services", "configmaps", "secrets", "persistentvolumeclaims", "replicationcontrollers",
                QUOTA_KEY):
        if key in hard:
            counts[key] = len(store.list_entries(key, ns)[1])
    if "services.nodeports" in hard or "services.loadbalancers" in hard:
        _, svcs = store.list_entries("services", ns)
        counts["services.loadbalancers"] = sum(1 for e in svcs if (e.obj.get("spec") or {}).get("type") ==
                                               "LoadBalancer")
        counts["services.nodeports"] = sum(len([p for p in (e.obj.get("spec") or {}).get("ports") or []
                                                if isinstance(p, dict) and p.get("nodePort")])
                                           for e in svcs if (e.obj.get("spec") or {}).get("type") in
                                           ("NodePort", "LoadBalancer"))
    for name in hard:
        if name in counts:
            used[name] = str(counts[name])
            continue
        kind, _, res = name.partition(".")
        if name in POD_RESOURCES:
            kind, res = "requests", name
        if kind in ("requests", "limits") and res in POD_RESOURCES:
            s = _Sum()
            for pod in live_pods:
                u = pod_usage(pod, kind, res)
                if u is not None:
                    s.add(*u)
            used[name] = s.string()
        elif name == "requests.storage":
            s = _Sum()
            for e in store.list_entries("persistentvolumeclaims", ns)[1]:
                q = _q((((e.obj.get("spec") or {}).get("resources") or {}).get("requests") or {}).get("storage"))
                if q is not None:
                    s.add(*q)
            used[name] = s.string()
        elif name.startswith("count/"):
            rt = _count_rt(name)
            used[name] = str(len(store.list_entries(rt.key, ns)[1])) if rt is not None else "0"
        else:
            used[name] = "0"
    return used


@controllers.register
class ResourceQuotaController(controllers.Controller):
    name = "resourcequota"
    watches = WATCHED
    interval = 300.0          # the controller's full resync period

    def setup(self, mgr):
        self.dirty = set()
        self.scheduled = False

    def on_event(self, mgr, ev):
        if ev.key != QUOTA_KEY and not mgr.store.list_entries(QUOTA_KEY, ev.ns)[1]:
            return
        self.dirty.add(ev.ns)
        if not self.scheduled:
            self.scheduled = True
            mgr.after(BATCH_DELAY, lambda: self._flush(mgr))

    def tick(self, mgr, now):
        _, quotas = mgr.store.list_entries(QUOTA_KEY)
        for e in quotas:
            self.dirty.add(e.ns)
        self._flush(mgr)

    def _flush(self, mgr):
        self.scheduled = False
        dirty, self.dirty = self.dirty, set()
        rt = REGISTRY.core(QUOTA_KEY)
        for ns in sorted(dirty):
            for e in mgr.store.list_entries(QUOTA_KEY, ns)[1]:
                hard = (e.obj.get("spec") or {}).get("hard")
                hard = dict(hard) if isinstance(hard, dict) else {}
                used = compute_used(mgr.store, ns, hard)
                st = e.obj.get("status") or {}
                if st.get("hard") == hard and st.get("used") == used:
                    continue

                def fn(q, hard=hard, used=used):
                    q["status"] = {"hard": hard, "used": used} if hard else {}
                    return q
                mgr.api.mutate(mgr.ctx, rt, ns, e.name, fn, subresource="status")
