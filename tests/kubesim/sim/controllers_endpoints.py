"""The endpoints and endpointslice controllers of kube-controller-manager 1.32.

For every Service with a selector:
- EndpointSlices (discovery.k8s.io/v1) named `<service>-<5 random chars>`, labelled
  `kubernetes.io/service-name` and `endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`
  (plus the Service's own labels), owned by the Service. One endpoint per pod that has an IP and is not
  terminal, with the ready/serving/terminating conditions, targetRef, nodeName and zone. Pods are grouped
  by the ports they resolve (named targetPorts differ per pod), at most 100 endpoints per slice. A Service
  without matching pods keeps one placeholder slice with no ports and `endpoints: null`.
- The legacy Endpoints object of the same name (still maintained in 1.32): ready pods in `addresses`,
  others in `notReadyAddresses`, terminating pods left out, subsets grouped by port set.

Changes are batched: an event marks the Services it affects, and they are reconciled together shortly
after, like the controllers' work queues. Objects are only written when their content changes.
"""

from . import controllers, errors, util
from .resources import REGISTRY

MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by"
MANAGED_BY = "endpointslice-controller.k8s.io"
SERVICE_NAME_LABEL = "kubernetes.io/service-name"
HEADLESS_LABEL = "service.kubernetes.io/headless"
TRIGGER_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time"
ZONE_LABEL = "topology.kubernetes.io/zone"
MAX_ENDPOINTS_PER_SLICE = 100
BATCH_DELAY = 0.05

SLICES_KEY = "discovery.k8s.io/endpointslices"


def _labels(obj):
    lb = (obj.get("metadata") or {}).get("labels")
    return lb if isinstance(lb, dict) else {}


def selector_matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def pod_ready(pod):
    for c in (pod.get("status") or {}).get("conditions") or []:
        if isinstance(c, dict) and c.get("type") == "Ready":
            return c.get("status") == "True"
    return False


def pod_ip(pod):
    st = pod.get("status") or {}
    ips = st.get("podIPs") or []
    if ips and isinstance(ips[0], dict) and ips[0].get("ip"):
        return str(ips[0]["ip"])
    return str(st.get("podIP") or "")


def should_be_in_endpoints(pod, include_terminating):
    """endpointutil.ShouldPodBeInEndpoints."""
    if not pod_ip(pod):
        return False
    if not include_terminating and (pod.get("metadata") or {}).get("deletionTimestamp"):
        return False
    phase = (pod.get("status") or {}).get("phase")
    policy = (pod.get("spec") or {}).get("restartPolicy") or "Always"
    if policy == "Never":
        return phase not in ("Failed", "Succeeded")
    if policy == "OnFailure":
        return phase != "Succeeded"
    return True


def find_port(pod, svc_port):
    """podutil.FindPort: the container port a service port's targetPort means for this pod, or None."""
    target = svc_port.get("targetPort")
    if target is None or target == "":
        target = svc_port.get("port")
    if isinstance(target, bool):
        return None
    if isinstance(target, int):
        return target
    if isinstance(target, str):
        if target.isdigit():
            return int(target)
        proto = svc_port.get("protocol") or "TCP"
        for c in (pod.get("spec") or {}).get("containers") or []:
            for p in (c or {}).get("ports") or []:
                if isinstance(p, dict) and p.get("name") == target and (p.get("protocol") or "TCP") == proto:
                    return p.get("containerPort")
    return None


def _svc_ports(svc):
    ps = (svc.get("spec") or {}).get("ports")
    return [p for p in ps if isinstance(p, dict)] if isinstance(ps, list) else []


def _target_ref(pod):
    md = pod.get("metadata") or {}
    return {"kind": "Pod", "namespace": md.get("namespace"), "name": md.get("name"), "uid": md.get("uid")}


def _hostname(pod, svc):
    spec = pod.get("spec") or {}
    if spec.get("hostname") and spec.get("subdomain") == (svc.get("metadata") or {}).get("name"):
        return spec["hostname"]
    return None


def _managed_labels(svc, extra):
    lb = {}
    for k, v in _labels(svc).items():
        if k in (SERVICE_NAME_LABEL, MANAGED_BY_LABEL):
            continue
        lb[k] = v
    if (svc.get("spec") or {}).get("clusterIP") == "None":
        lb[HEADLESS_LABEL] = ""
    lb.update(extra)
    return lb


def desired_endpoints(svc, pods):
    """The legacy Endpoints subsets for a service."""
    spec = svc.get("spec") or {}
    publish = spec.get("publishNotReadyAddresses") is True
    groups = {}      # tuple(ports) -> {"addresses": [...], "notReadyAddresses": [...]}
    order = []
    for pod in pods:
        if not should_be_in_endpoints(pod, publish):
            continue
        addr = {"ip": pod_ip(pod)}
        hn = _hostname(pod, svc)
        if hn:
            addr["hostname"] = hn
        if (pod.get("spec") or {}).get("nodeName"):
            addr["nodeName"] = pod["spec"]["nodeName"]
        addr["targetRef"] = _target_ref(pod)
        ports = []
        for sp in _svc_ports(svc):
            num = find_port(pod, sp)
            if num is None:
                continue
            p = {"name": sp.get("name") or "", "port": num, "protocol": sp.get("protocol") or "TCP"}
            if not p["name"]:
                p.pop("name")
            if sp.get("appProtocol"):
                p["appProtocol"] = sp["appProtocol"]
            ports.append(p)
        if _svc_ports(svc) and not ports:
            continue
        key = tuple(sorted(util.dumps(p) for p in ports))
        if key not in groups:
            groups[key] = {"ports": ports, "addresses": [], "notReadyAddresses": []}
            order.append(key)
        ready = publish or pod_ready(pod)
        groups[key]["addresses" if ready else "notReadyAddresses"].append(addr)
    subsets = []
    for key in order:
        g = groups[key]
        ss = {}
        for field in ("addresses", "notReadyAddresses"):
            if g[field]:
                ss[field] = sorted(g[field], key=lambda a: (a["ip"], a["targetRef"].get("uid") or ""))
        if g["ports"]:
            ss["ports"] = g["ports"]
        subsets.append(ss)
    subsets.sort(key=lambda s: ((s.get("addresses") or s.get("notReadyAddresses") or [{}])[0].get("ip", ""),))
    return subsets


def desired_slices(svc, pods, node_zone):
    """[(ports, endpoints)] for a service's EndpointSlices ([] ports/None endpoints: the placeholder)."""
    spec = svc.get("spec") or {}
    publish = spec.get("publishNotReadyAddresses") is True
    groups = {}
    order = []
    for pod in pods:
        if not should_be_in_endpoints(pod, True):
            continue
        terminating = bool((pod.get("metadata") or {}).get("deletionTimestamp"))
        serving = publish or pod_ready(pod)
        ep = {"addresses": [pod_ip(pod)],
              "conditions": {"ready": serving and (publish or not terminating), "serving": serving,
                             "terminating": terminating}}
        hn = _hostname(pod, svc)
        if hn:
            ep["hostname"] = hn
        ep["targetRef"] = _target_ref(pod)
        node = (pod.get("spec") or {}).get("nodeName")
        if node:
            ep["nodeName"] = node
            zone = node_zone(node)
            if zone:
                ep["zone"] = zone
        ports = []
        for sp in _svc_ports(svc):
            num = find_port(pod, sp)
            if num is None:
                continue
            p = {"name": sp.get("name") or "", "protocol": sp.get("protocol") or "TCP", "port": num}
            if sp.get("appProtocol"):
                p["appProtocol"] = sp["appProtocol"]
            ports.append(p)
        key = tuple(util.dumps(p) for p in ports)
        if key not in groups:
            groups[key] = (ports, [])
            order.append(key)
        groups[key][1].append(ep)
    out = []
    for key in order:
        ports, eps = groups[key]
        eps.sort(key=lambda e: (e["addresses"][0], e["targetRef"].get("uid") or ""))
        for i in range(0, len(eps), MAX_ENDPOINTS_PER_SLICE):
            out.append((ports, eps[i:i + MAX_ENDPOINTS_PER_SLICE]))
    if not out:
        out.append(([], None))
    return out


@controllers.register
class EndpointsController(controllers.Controller):
    """EndpointSlices and Endpoints for Services with a selector."""
    name = "endpoints"
    watches = ("services", "pods", SLICES_KEY, "endpoints")

    def setup(self, mgr):
        self.dirty = set()
        self.scheduled = False
        _, svcs = mgr.store.list_entries("services")
        for e in svcs:
            self.dirty.add((e.ns, e.name))
        self._schedule(mgr)

    def _schedule(self, mgr):
        if not self.scheduled and self.dirty:
            self.scheduled = True
            mgr.after(BATCH_DELAY, lambda: self._flush(mgr))

    def _flush(self, mgr):
        self.scheduled = False
        dirty, self.dirty = self.dirty, set()
        for ns, name in sorted(dirty):
            try:
                self.reconcile(mgr, ns, name)
            except errors.ApiError:
                self.dirty.add((ns, name))    # a conflict: try again with the next batch
        if self.dirty:
            self.scheduled = True
            mgr.after(0.5, lambda: self._flush(mgr))

    def on_event(self, mgr, ev):
        if ev.key == "services":
            self.dirty.add((ev.ns, ev.name))
        elif ev.key == "pods":
            objs = [ev.entry.obj] + ([ev.prev.obj] if ev.prev is not None else [])
            _, svcs = mgr.store.list_entries("services", ev.ns)
            for e in svcs:
                sel = (e.obj.get("spec") or {}).get("selector")
                if not isinstance(sel, dict):
                    continue
                if any(selector_matches(sel, _labels(o)) for o in objs):
                    self.dirty.add((e.ns, e.name))
        elif ev.type == "DELETED":
            lb = _labels(ev.entry.obj)
            if ev.key == SLICES_KEY and lb.get(MANAGED_BY_LABEL) == MANAGED_BY and lb.get(SERVICE_NAME_LABEL):
                self.dirty.add((ev.ns, lb[SERVICE_NAME_LABEL]))
            elif ev.key == "endpoints":
                self.dirty.add((ev.ns, ev.name))
        self._schedule(mgr)

    # ---- reconciling one service --------------------------------------------------------------------

    def reconcile(self, mgr, ns, name):
        svc_e = mgr.store.get_entry("services", ns, name)
        slices_rt = REGISTRY.get("discovery.k8s.io", "v1", "endpointslices")
        ep_rt = REGISTRY.core("endpoints")
        _, all_slices = mgr.store.list_entries(SLICES_KEY, ns)
        mine = [e for e in all_slices if _labels(e.obj).get(SERVICE_NAME_LABEL) == name and
                _labels(e.obj).get(MANAGED_BY_LABEL) == MANAGED_BY]
        svc = svc_e.obj if svc_e is not None else None
        spec = (svc or {}).get("spec") or {}
        selector = spec.get("selector")
        if svc is None or not isinstance(selector, dict) or spec.get("type") == "ExternalName":
            for e in mine:
                self._delete(mgr, slices_rt, ns, e.name)
            if svc is None and mgr.store.get_entry("endpoints", ns, name) is not None:
                self._delete(mgr, ep_rt, ns, name)
            return
        _, pod_entries = mgr.store.list_entries("pods", ns)
        pods = [e.obj for e in pod_entries if selector_matches(selector, _labels(e.obj))]
        now = util.rfc3339()
        self._sync_endpoints(mgr, ep_rt, svc, pods, now)
        self._sync_slices(mgr, slices_rt, svc, pods, mine, now)

    @staticmethod
    def _delete(mgr, rt, ns, name):
        try:
            mgr.api.delete(mgr.ctx, rt, ns, name, {})
        except errors.ApiError as e:
            if e.code != 404:
                raise

    def _sync_endpoints(self, mgr, rt, svc, pods, now):
        md = svc.get("metadata") or {}
        ns, name = md.get("namespace"), md.get("name")
        subsets = desired_endpoints(svc, pods)
        labels = _managed_labels(svc, {})
        cur = mgr.store.get_entry("endpoints", ns, name)
        if cur is None:
            obj = {"apiVersion": "v1", "kind": "Endpoints",
                   "metadata": {"name": name, "namespace": ns, "annotations": {TRIGGER_ANNOTATION: now}},
                   }
            if labels:
                obj["metadata"]["labels"] = labels
            if subsets:
                obj["subsets"] = subsets
            try:
                mgr.api.create(mgr.ctx, rt, ns, obj)
            except errors.ApiError as e:
                if e.code != 409:
                    raise
                self.dirty.add((ns, name))
            return
        if (cur.obj.get("subsets") or []) == subsets and _labels(cur.obj) == labels:
            return

        def fn(o):
            o.setdefault("metadata", {})
            if labels:
                o["metadata"]["labels"] = labels
            else:
                o["metadata"].pop("labels", None)
            ann = o["metadata"].setdefault("annotations", {})
            ann[TRIGGER_ANNOTATION] = now
            if subsets:
                o["subsets"] = subsets
            else:
                o.pop("subsets", None)
            return o
        mgr.api.mutate(mgr.ctx, rt, ns, name, fn)

    def _sync_slices(self, mgr, rt, svc, pods, mine, now):
        md = svc.get("metadata") or {}
        ns, name = md.get("namespace"), md.get("name")
        zones = {}

        def node_zone(node):
            if node not in zones:
                e = mgr.store.get_entry("nodes", "", node)
                zones[node] = _labels(e.obj).get(ZONE_LABEL) if e is not None else None
            return zones[node]
        want = desired_slices(svc, pods, node_zone)
        labels = _managed_labels(svc, {SERVICE_NAME_LABEL: name, MANAGED_BY_LABEL: MANAGED_BY})
        owner = {"apiVersion": "v1", "kind": "Service", "name": name, "uid": md.get("uid"), "controller": True,
                 "blockOwnerDeletion": True}
        existing = sorted(mine, key=lambda e: ((e.obj.get("metadata") or {}).get("creationTimestamp") or "", e.name))
        for i, (ports, eps) in enumerate(want):
            if i < len(existing):
                cur = existing[i].obj
                if cur.get("endpoints") == eps and (cur.get("ports") or []) == ports and \
                        _labels(cur) == labels and cur.get("addressType") == "IPv4":
                    continue

                def fn(o, ports=ports, eps=eps):
                    o.setdefault("metadata", {})["labels"] = labels
                    o["metadata"].setdefault("annotations", {})[TRIGGER_ANNOTATION] = now
                    o["addressType"] = "IPv4"
                    o["endpoints"] = eps
                    if ports:
                        o["ports"] = ports
                    else:
                        o.pop("ports", None)
                    return o
                mgr.api.mutate(mgr.ctx, rt, ns, existing[i].name, fn)
                continue
            obj = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                   "metadata": {"generateName": name + "-", "namespace": ns, "labels": labels,
                                "annotations": {TRIGGER_ANNOTATION: now}, "ownerReferences": [owner]},
                   "addressType": "IPv4", "endpoints": eps}
            if ports:
                obj["ports"] = ports
            mgr.api.create(mgr.ctx, rt, ns, obj)
        for e in existing[len(want):]:
            self._delete(mgr, rt, ns, e.name)
