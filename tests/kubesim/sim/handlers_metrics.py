"""metrics.k8s.io/v1beta1 (k8s-api.md §13): PodMetrics and NodeMetrics, as metrics-server serves them.

Usage is derived deterministically from each pod's containers: CPU from the request (or limit, or a
small default), memory from the request (or limit, or a default), varied per 15 s scrape window (so
`kubectl top` moves over time but two requests in one window agree). A node's usage is a system
baseline plus the usage of its pods, capped below allocatable. As with metrics-server: only Running
pods with running containers have metrics; pods and nodes whose node is not Ready have none (kubectl
top nodes prints <unknown>); list and get, no watch; label and metadata field selectors; Tables with
the Name / cpu / memory / Window columns; 404 `podmetrics.metrics.k8s.io "ns/name" not found`.
"""

import math
import re
import time

from . import errors, listing, tables, util
from .resources import REGISTRY, ResourceType

GROUP = "metrics.k8s.io"
VERSION = "v1beta1"
SCRAPE = 15                 # metrics-server --metric-resolution

_QTY = re.compile(r"^([+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+))(?:([eE][+-]?[0-9]+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$")
_MULT = {"Ki": 2 ** 10, "Mi": 2 ** 20, "Gi": 2 ** 30, "Ti": 2 ** 40, "Pi": 2 ** 50, "Ei": 2 ** 60, "n": 1e-9,
         "u": 1e-6, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18}


def quantity(v):
    """A resource quantity as a float in base units; None when missing or malformed."""
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return float(v)
    m = _QTY.match(str(v).strip())
    if not m:
        return None
    x = float(m.group(1))
    if m.group(2):
        return x * 10.0 ** int(m.group(2)[1:])
    if m.group(3):
        return x * _MULT[m.group(3)]
    return x


def cpu_string(nanos):
    """Canonical DecimalSI of a nanocore count: 1234567n, 1234u, 25m, 2."""
    n = max(0, int(nanos))
    if n == 0:
        return "0"
    for suffix, div in (("", 10 ** 9), ("m", 10 ** 6), ("u", 10 ** 3)):
        if n % div == 0:
            return "%d%s" % (n // div, suffix)
    return "%dn" % n


def memory_string(nbytes):
    """Canonical BinarySI of a byte count: 3044Ki, 12Mi, 1Gi (bytes when not a multiple of 1024)."""
    n = max(0, int(nbytes))
    if n == 0:
        return "0"
    for suffix, div in (("Ei", 2 ** 60), ("Pi", 2 ** 50), ("Ti", 2 ** 40), ("Gi", 2 ** 30), ("Mi", 2 ** 20),
                        ("Ki", 2 ** 10)):
        if n % div == 0:
            return "%d%s" % (n // div, suffix)
    return str(n)


def _h(*parts):
    from .loggen import mix, seed_of
    return mix(seed_of(*parts))


def _unit(*parts):
    """A deterministic number in [0, 1)."""
    return (_h(*parts) % 1000003) / 1000003.0


def _go_seconds(ms):
    s, frac = divmod(int(ms), 1000)
    if not frac:
        return "%ds" % s
    return ("%d.%03d" % (s, frac)).rstrip("0") + "s"


def _node_ready(node):
    for c in (node.get("status") or {}).get("conditions") or []:
        if isinstance(c, dict) and c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def _scrape(node_name, now):
    """(timestamp, window) of the latest scrape of a node at time now."""
    off = _h("scrape", node_name) % SCRAPE
    w = int((now - off) // SCRAPE)
    ts = w * SCRAPE + off
    window_ms = SCRAPE * 1000 + _h("window", node_name, w) % 90
    return w, ts, window_ms


def _resources(c, kind):
    res = c.get("resources") if isinstance(c.get("resources"), dict) else {}
    req = res.get("requests") if isinstance(res.get("requests"), dict) else {}
    lim = res.get("limits") if isinstance(res.get("limits"), dict) else {}
    return quantity(req.get(kind)), quantity(lim.get(kind))


def container_usage(uid, c, w):
    """(cpu nanocores, memory bytes) of a running container in scrape window w."""
    name = c.get("name", "")
    req_cpu, lim_cpu = _resources(c, "cpu")
    req_mem, lim_mem = _resources(c, "memory")
    phase = _unit("phase", uid, name) * 2 * math.pi
    wave = math.sin(2 * math.pi * w / 24.0 + phase)
    # CPU: a fraction of the request (or limit), a few millicores without either
    if req_cpu or lim_cpu:
        base = (req_cpu or lim_cpu) * (0.15 + 0.45 * _unit("cpu", uid, name))
    else:
        base = (0.001 + 0.02 * _unit("cpu", uid, name))
    factor = 0.7 + 0.25 * wave + 0.2 * _unit("cpu-noise", uid, name, w)
    cpu = base * factor
    if lim_cpu:
        cpu = min(cpu, lim_cpu * 0.98)
    cpu_n = max(1, int(cpu * 1e9)) + _h("cpu-n", uid, name, w) % 997
    # memory: a working set that drifts slowly
    if req_mem or lim_mem:
        mbase = (req_mem or lim_mem) * (0.35 + 0.45 * _unit("mem", uid, name))
    else:
        mbase = (6 + 120 * _unit("mem", uid, name)) * 2 ** 20
    mem = mbase * (1.0 + 0.04 * wave + 0.02 * _unit("mem-noise", uid, name, w))
    if lim_mem:
        mem = min(mem, lim_mem * 0.97)
    mem_b = max(4096, int(mem) // 4096 * 4096)
    return cpu_n, mem_b


class Snapshot:
    """Metrics of every pod and node at one moment."""

    def __init__(self, store, now=None):
        self.now = time.time() if now is None else now
        _, nodes = store.list_entries("nodes")
        self.nodes = {e.name: e.obj for e in nodes}
        self.ready = {n for n, o in self.nodes.items() if _node_ready(o)}
        self.store = store
        self._node_usage = None

    def pod(self, pod):
        """The PodMetrics of a pod, or None when metrics-server would have none."""
        st = pod.get("status") or {}
        spec = pod.get("spec") or {}
        md = pod.get("metadata") or {}
        if st.get("phase") != "Running":
            return None
        node = spec.get("nodeName")
        if not node or node not in self.ready:
            return None
        running = {}
        for cs in st.get("containerStatuses") or []:
            if isinstance(cs, dict) and isinstance((cs.get("state") or {}).get("running"), dict):
                started = util.parse_time(cs["state"]["running"].get("startedAt"))
                if started is None or started <= self.now:
                    running[cs.get("name")] = cs
        w, ts, window_ms = _scrape(node, self.now)
        containers = []
        uid = md.get("uid", "")
        for c in spec.get("containers") or []:
            if not isinstance(c, dict) or c.get("name") not in running:
                continue
            cpu, mem = container_usage(uid, c, w)
            containers.append({"name": c.get("name"), "usage": {"cpu": cpu_string(cpu), "memory": memory_string(mem)},
                               "_cpu": cpu, "_mem": mem})
        if not containers:
            return None
        out = {"kind": "PodMetrics", "apiVersion": GROUP + "/" + VERSION,
               "metadata": {"name": md.get("name"), "namespace": md.get("namespace"),
                            "creationTimestamp": util.rfc3339(self.now)},
               "timestamp": util.rfc3339(ts), "window": _go_seconds(window_ms), "containers": containers}
        if md.get("labels"):
            out["metadata"]["labels"] = dict(md["labels"])
        return out

    def node_usage(self):
        if self._node_usage is None:
            usage = {}
            _, pods = self.store.list_entries("pods")
            for e in pods:
                pm = self.pod(e.obj)
                if pm is None:
                    continue
                node = (e.obj.get("spec") or {}).get("nodeName")
                cpu, mem = usage.get(node, (0, 0))
                for c in pm["containers"]:
                    cpu += c["_cpu"]
                    mem += c["_mem"]
                usage[node] = (cpu, mem)
            self._node_usage = usage
        return self._node_usage

    def node(self, node_name):
        """The NodeMetrics of a node, or None when it is not Ready."""
        if node_name not in self.ready:
            return None
        node = self.nodes[node_name]
        md = node.get("metadata") or {}
        w, ts, window_ms = _scrape(node_name, self.now)
        pods_cpu, pods_mem = self.node_usage().get(node_name, (0, 0))
        wave = math.sin(2 * math.pi * w / 30.0 + _unit("node-phase", node_name) * 6.28)
        sys_cpu = (0.08 + 0.15 * _unit("node-cpu", node_name)) * (1 + 0.2 * wave) * 1e9
        sys_mem = (700 + 400 * _unit("node-mem", node_name)) * 2 ** 20 * (1 + 0.03 * wave)
        alloc = (node.get("status") or {}).get("allocatable") or {}
        cpu = int(sys_cpu + pods_cpu) + _h("node-cpu-n", node_name, w) % 997
        mem = int(sys_mem + pods_mem)
        cap_cpu = quantity(alloc.get("cpu"))
        cap_mem = quantity(alloc.get("memory"))
        if cap_cpu:
            cpu = min(cpu, int(cap_cpu * 0.97e9))
        if cap_mem:
            mem = min(mem, int(cap_mem * 0.97))
        mem = max(4096, mem // 1024 * 1024)
        out = {"kind": "NodeMetrics", "apiVersion": GROUP + "/" + VERSION,
               "metadata": {"name": node_name, "creationTimestamp": util.rfc3339(self.now)},
               "timestamp": util.rfc3339(ts), "window": _go_seconds(window_ms),
               "usage": {"cpu": cpu_string(cpu), "memory": memory_string(mem)}}
        if md.get("labels"):
            out["metadata"]["labels"] = dict(md["labels"])
        return out


def _public(pm):
    if pm.get("kind") == "PodMetrics":
        pm = dict(pm)
        pm["containers"] = [{"name": c["name"], "usage": c["usage"]} for c in pm["containers"]]
    return pm


# ---- tables ------------------------------------------------------------------------------------------

COLUMNS = [{"name": "Name", "type": "string", "format": "name", "description": "Name of the resource", "priority": 0},
           {"name": "cpu", "type": "string", "format": "quantity", "description": "", "priority": 0},
           {"name": "memory", "type": "string", "format": "quantity", "description": "", "priority": 0},
           {"name": "Window", "type": "string", "format": "duration", "description": "", "priority": 0}]


def _pod_row(obj, now):
    cpu = sum(quantity(c["usage"]["cpu"]) or 0 for c in obj.get("containers") or [])
    mem = sum(quantity(c["usage"]["memory"]) or 0 for c in obj.get("containers") or [])
    return [obj["metadata"]["name"], cpu_string(round(cpu * 1e9)), memory_string(mem), obj.get("window", "")]


def _node_row(obj, now):
    u = obj.get("usage") or {}
    return [obj["metadata"]["name"], u.get("cpu", ""), u.get("memory", ""), obj.get("window", "")]


tables.register_printer(GROUP + "/pods", COLUMNS, _pod_row)
tables.register_printer(GROUP + "/nodes", COLUMNS, _node_row)


# ---- handlers ----------------------------------------------------------------------------------------

def _respond(req, items, single=False):
    from .server import Response, json_response
    rt = req.rt
    target = req.target()
    if target.kind == "table":
        mode = tables.include_object_mode(req.query)
        body = tables.table_bytes(rt, [(o, (lambda o=o: util.dumpb(o))) for o in items], mode, {},
                                  target.version)
        return Response(200, body, "application/json;as=Table;v=%s;g=meta.k8s.io" % target.version)
    if target.kind == "partial":
        if single:
            return json_response(tables.partial_metadata(items[0], target.version))
        return json_response({"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/" + target.version,
                              "metadata": {}, "items": [tables.partial_metadata(o, target.version) for o in items]})
    if single:
        return json_response(items[0])
    return json_response({"kind": rt.list_kind, "apiVersion": rt.api_version, "metadata": {}, "items": items})


def _selected(req, objs_meta):
    lsel, fsel = listing.parse_selectors(req.rt, req.query)
    match = listing.matcher(req.rt, lsel, fsel)
    return [o for o in objs_meta if match is None or match(o)]


def list_pods(req):
    store = req.api.store
    snap = Snapshot(store)
    _, entries = store.list_entries("pods", req.namespace)
    pods = _selected(req, [e.obj for e in entries])
    items = []
    for p in pods:
        pm = snap.pod(p)
        if pm is not None:
            items.append(_public(pm))
    return _respond(req, items)


def get_pod(req):
    store = req.api.store
    e = store.get_entry("pods", req.namespace, req.name)
    if e is None:
        raise errors.not_found_gr("", "pods", req.name)
    pm = Snapshot(store).pod(e.obj)
    if pm is None:
        raise errors.not_found_gr(GROUP, "podmetrics", "%s/%s" % (req.namespace, req.name))
    return _respond(req, [_public(pm)], single=True)


def list_nodes(req):
    store = req.api.store
    snap = Snapshot(store)
    _, entries = store.list_entries("nodes")
    items = []
    for n in _selected(req, [e.obj for e in entries]):
        nm = snap.node((n.get("metadata") or {}).get("name"))
        if nm is not None:
            items.append(nm)
    return _respond(req, items)


def get_node(req):
    store = req.api.store
    if store.get_entry("nodes", "", req.name) is None:
        raise errors.not_found_gr("", "nodes", req.name)
    nm = Snapshot(store).node(req.name)
    if nm is None:
        raise errors.not_found_gr(GROUP, "nodemetrics", req.name)
    return _respond(req, [nm], single=True)


def _register():
    pods = REGISTRY.register(ResourceType(GROUP, VERSION, "pods", "PodMetrics", namespaced=True, singular="",
                                          verbs=["get", "list"], generation=False))
    pods.handlers["list"] = list_pods
    pods.handlers["get"] = get_pod
    nodes = REGISTRY.register(ResourceType(GROUP, VERSION, "nodes", "NodeMetrics", namespaced=False, singular="",
                                           verbs=["get", "list"], generation=False))
    nodes.handlers["list"] = list_nodes
    nodes.handlers["get"] = get_node


_register()
