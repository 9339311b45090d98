"""Services as the 1.32 apiserver stores them: defaulting (type, protocol, targetPort, session affinity,
traffic policies, IP families), ClusterIP and NodePort allocation, the values an update keeps, the
main validation rules, and the `kubernetes` Service in `default` that every real cluster has.

Allocation: ClusterIPs come from 10.96.0.0/12 (10.96.0.1 is the `kubernetes` Service), NodePorts from
30000-32767, both at random like the apiserver's allocators, never handing out one in use.
"""

import random
import threading

from . import controllers, errors, protobuf
from .errors import FieldError
from .resources import REGISTRY

SERVICES = REGISTRY.core("services")

SERVICE_CIDR_BASE = (10 << 24) | (96 << 16)    # 10.96.0.0/12
SERVICE_CIDR_SIZE = 1 << 20
KUBERNETES_SERVICE_IP = "10.96.0.1"
NODEPORT_MIN, NODEPORT_MAX = 30000, 32767
SERVICE_TYPES = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
PROTOCOLS = ["SCTP", "TCP", "UDP"]

_lock = threading.Lock()
_rng = random.Random()
_ips = {}          # allocated cluster IP -> (ns, name)
_node_ports = {}   # allocated node port -> (ns, name)


def _ip_str(n):
    return "%d.%d.%d.%d" % ((n >> 24) & 255, (n >> 16) & 255, (n >> 8) & 255, n & 255)


def _allocate_ip():
    with _lock:
        for _ in range(1000):
            ip = _ip_str(SERVICE_CIDR_BASE + _rng.randrange(2, SERVICE_CIDR_SIZE - 1))
            if ip not in _ips:
                _ips[ip] = None
                return ip
    raise errors.ApiError(500, "InternalError", "failed to allocate a serviceIP: range is full")


def _allocate_node_port():
    with _lock:
        for _ in range(5000):
            p = _rng.randint(NODEPORT_MIN, NODEPORT_MAX)
            if p not in _node_ports:
                _node_ports[p] = None
                return p
    raise errors.ApiError(500, "InternalError", "failed to allocate a nodePort: range is full")


def _ports(spec):
    ps = spec.get("ports")
    return [p for p in ps if isinstance(p, dict)] if isinstance(ps, list) else []


def _int_or_string(v):
    """IntOrString as decoded from protobuf ({type, intVal, strVal}) -> its JSON form."""
    if isinstance(v, dict):
        return v.get("strVal", "") if v.get("type") == 1 else v.get("intVal", 0)
    return v


def _default(ctx, obj, old=None):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    # omitempty fields a protobuf body (or a client) may carry as zero values
    for k in ("healthCheckNodePort", "publishNotReadyAddresses"):
        if k in spec and spec[k] in (0, False, None):
            del spec[k]
    typ = spec.setdefault("type", "ClusterIP")
    spec.setdefault("sessionAffinity", "None")
    for p in _ports(spec):
        p["targetPort"] = _int_or_string(p.get("targetPort"))
        if p.get("nodePort") == 0:
            p.pop("nodePort")
        p.setdefault("protocol", "TCP")
        if "targetPort" not in p or p.get("targetPort") in (0, "", None):
            p["targetPort"] = p.get("port")
    if typ == "ExternalName":
        return
    old_spec = (old or {}).get("spec") or {}
    # an update keeps what was allocated when the client leaves it out
    if old is not None and old_spec.get("type") != "ExternalName":
        if not spec.get("clusterIP") and old_spec.get("clusterIP"):
            spec["clusterIP"] = old_spec["clusterIP"]
        if not spec.get("clusterIPs") and old_spec.get("clusterIPs") and \
                spec.get("clusterIP") == old_spec.get("clusterIP"):
            spec["clusterIPs"] = list(old_spec["clusterIPs"])
        if typ in ("NodePort", "LoadBalancer"):
            olds = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort") for p in _ports(old_spec)}
            for p in _ports(spec):
                if not p.get("nodePort") and olds.get((p.get("port"), p.get("protocol"))):
                    p["nodePort"] = olds[(p.get("port"), p.get("protocol"))]
    if not spec.get("clusterIP") and spec.get("clusterIPs"):
        spec["clusterIP"] = spec["clusterIPs"][0]
    if not spec.get("clusterIP"):
        spec["clusterIP"] = _allocate_ip()
    if not spec.get("clusterIPs"):
        spec["clusterIPs"] = [spec["clusterIP"]]
    spec.setdefault("ipFamilies", ["IPv4"])
    spec.setdefault("ipFamilyPolicy", "SingleStack")
    spec.setdefault("internalTrafficPolicy", "Cluster")
    if typ in ("NodePort", "LoadBalancer"):
        spec.setdefault("externalTrafficPolicy", "Cluster")
        for p in _ports(spec):
            if not p.get("nodePort"):
                p["nodePort"] = _allocate_node_port()
    if typ == "LoadBalancer":
        spec.setdefault("allocateLoadBalancerNodePorts", True)


def _prepare_create(ctx, obj):
    _default(ctx, obj)
    if not isinstance(obj.get("status"), dict) or not obj["status"]:
        obj["status"] = {"loadBalancer": {}}


def _drop_type_dependent_fields(new, old):
    """dropTypeDependentFields: a type change clears what the old type allocated, unless the client set it."""
    spec, old_spec = new.get("spec"), (old or {}).get("spec") or {}
    if not isinstance(spec, dict) or spec.get("type") == old_spec.get("type"):
        return
    typ = spec.get("type") or "ClusterIP"
    if typ not in ("NodePort", "LoadBalancer"):
        olds = {(p.get("port"), p.get("protocol", "TCP")): p.get("nodePort") for p in _ports(old_spec)}
        for p in _ports(spec):
            if p.get("nodePort") and olds.get((p.get("port"), p.get("protocol", "TCP"))) == p.get("nodePort"):
                del p["nodePort"]
        if spec.get("externalTrafficPolicy") == old_spec.get("externalTrafficPolicy"):
            spec.pop("externalTrafficPolicy", None)
        if spec.get("healthCheckNodePort") == old_spec.get("healthCheckNodePort"):
            spec.pop("healthCheckNodePort", None)
    if typ != "LoadBalancer" and spec.get("allocateLoadBalancerNodePorts") == \
            old_spec.get("allocateLoadBalancerNodePorts"):
        spec.pop("allocateLoadBalancerNodePorts", None)
    if typ == "ExternalName":
        for k in ("clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy"):
            if spec.get(k) == old_spec.get(k):
                spec.pop(k, None)


def _prepare_update(ctx, new, old):
    _drop_type_dependent_fields(new, old)
    _default(ctx, new, old)
    if "status" not in new:
        new["status"] = (old or {}).get("status") or {"loadBalancer": {}}


def _validate(ctx, obj, old):
    errs = []
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec")]
    typ = spec.get("type") or "ClusterIP"
    if typ not in SERVICE_TYPES:
        errs.append(FieldError("NotSupported", "spec.type", value=typ, supported=SERVICE_TYPES))
    raw_ports = spec.get("ports")
    if raw_ports is not None and not isinstance(raw_ports, list):
        errs.append(FieldError("Invalid", "spec.ports", "must be a list", raw_ports))
        raw_ports = []
    ports = raw_ports or []
    headless = spec.get("clusterIP") == "None"
    if not ports and not headless and typ != "ExternalName":
        errs.append(FieldError("Required", "spec.ports"))
    if typ == "ExternalName" and not spec.get("externalName"):
        errs.append(FieldError("Required", "spec.externalName"))
    names = set()
    for i, p in enumerate(ports):
        path = "spec.ports[%d]" % i
        if not isinstance(p, dict):
            errs.append(FieldError("Invalid", path, "must be an object", p))
            continue
        name = p.get("name") or ""
        if len(ports) > 1 and not name:
            errs.append(FieldError("Required", path + ".name"))
        elif name:
            if name in names:
                errs.append(FieldError("Duplicate", path + ".name", value=name))
            names.add(name)
        port = p.get("port")
        if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
            errs.append(FieldError("Invalid", path + ".port", "must be between 1 and 65535, inclusive", port))
        proto = p.get("protocol") or "TCP"
        if proto not in PROTOCOLS:
            errs.append(FieldError("NotSupported", path + ".protocol", value=proto, supported=PROTOCOLS))
        np = p.get("nodePort")
        if np not in (None, 0) and (isinstance(np, bool) or not isinstance(np, int) or not 1 <= np <= 65535):
            errs.append(FieldError("Invalid", path + ".nodePort", "must be between 1 and 65535, inclusive", np))
        elif np not in (None, 0) and typ in ("ClusterIP", "ExternalName"):
            errs.append(FieldError("Forbidden", path + ".nodePort",
                                   "may not be used when `type` is '%s'" % typ))
    sel = spec.get("selector")
    if sel is not None and not isinstance(sel, dict):
        errs.append(FieldError("Invalid", "spec.selector", "must be a map", sel))
    if old is not None:
        old_spec = old.get("spec") or {}
        if old_spec.get("type") != "ExternalName" and typ != "ExternalName" and old_spec.get("clusterIP") and \
                spec.get("clusterIP") != old_spec.get("clusterIP"):
            errs.append(FieldError("Invalid", "spec.clusterIPs[0]",
                                   "may not change once set", spec.get("clusterIPs") or [spec.get("clusterIP")]))
    return errs


def _after_commit(ctx, etype, obj, old):
    md = obj.get("metadata") or {}
    owner = (md.get("namespace"), md.get("name"))
    spec = obj.get("spec") or {}
    with _lock:
        for ip, o in list(_ips.items()):
            if o == owner:
                del _ips[ip]
        for p, o in list(_node_ports.items()):
            if o == owner:
                del _node_ports[p]
        if etype == "DELETED":
            return
        for ip in spec.get("clusterIPs") or []:
            if isinstance(ip, str) and ip != "None":
                _ips[ip] = owner
        for p in _ports(spec):
            if isinstance(p.get("nodePort"), int) and p["nodePort"]:
                _node_ports[p["nodePort"]] = owner


# kubectl create service sends protobuf (field numbers of k8s.io/api core/v1 generated.proto)
_INT_OR_STRING = {1: ("type", "int"), 2: ("intVal", "int"), 3: ("strVal", "string")}
_SERVICE_PORT = {1: ("name", "string"), 2: ("protocol", "string"), 3: ("port", "int"),
                 4: ("targetPort", "msg", _INT_OR_STRING), 5: ("nodePort", "int"), 6: ("appProtocol", "string")}
_SERVICE_SPEC = {
    1: ("ports", "list_msg", _SERVICE_PORT), 2: ("selector", "map_ss"), 3: ("clusterIP", "string"),
    4: ("type", "string"), 5: ("externalIPs", "list", "string"), 7: ("sessionAffinity", "string"),
    8: ("loadBalancerIP", "string"), 9: ("loadBalancerSourceRanges", "list", "string"),
    10: ("externalName", "string"), 11: ("externalTrafficPolicy", "string"), 12: ("healthCheckNodePort", "int"),
    13: ("publishNotReadyAddresses", "bool"), 17: ("ipFamilyPolicy", "string"), 18: ("clusterIPs", "list", "string"),
    19: ("ipFamilies", "list", "string"), 20: ("allocateLoadBalancerNodePorts", "bool"),
    21: ("loadBalancerClass", "string"), 22: ("internalTrafficPolicy", "string"),
}
protobuf.SCHEMAS.setdefault(("v1", "Service"), {1: ("metadata", "msg", protobuf.OBJECT_META),
                                                2: ("spec", "msg", _SERVICE_SPEC)})

SERVICES.add_hook("prepare_create", _prepare_create)
SERVICES.add_hook("prepare_update", _prepare_update)
SERVICES.add_hook("validate", _validate)
SERVICES.add_hook("after_commit", _after_commit)

# ---- the `kubernetes` Service ------------------------------------------------------------------------


def kubernetes_service():
    return {
        "apiVersion": "v1", "kind": "Service",
        "metadata": {"name": "kubernetes", "namespace": "default",
                     "labels": {"component": "apiserver", "provider": "kubernetes"}},
        "spec": {"ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
                 "clusterIP": KUBERNETES_SERVICE_IP, "clusterIPs": [KUBERNETES_SERVICE_IP], "type": "ClusterIP",
                 "sessionAffinity": "None", "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack",
                 "internalTrafficPolicy": "Cluster"},
    }


def _apiserver_ip(mgr):
    _, nodes = mgr.store.list_entries("nodes")
    for e in nodes:
        for a in (e.obj.get("status") or {}).get("addresses") or []:
            if isinstance(a, dict) and a.get("type") == "InternalIP" and a.get("address"):
                return a["address"]
    return "10.0.0.11"


@controllers.register
class KubernetesServiceReconciler(controllers.Controller):
    """The apiserver's own reconciler: the `kubernetes` Service, its Endpoints and its EndpointSlice."""
    name = "kubernetes-service"
    always = True

    def setup(self, mgr):
        ctx = mgr.ctx
        if mgr.store.get_entry("services", "default", "kubernetes") is not None:
            return
        try:
            mgr.api.create(ctx, SERVICES, "default", kubernetes_service())
        except errors.ApiError:
            return
        ip = _apiserver_ip(mgr)
        ep = {"apiVersion": "v1", "kind": "Endpoints",
              "metadata": {"name": "kubernetes", "namespace": "default",
                           "labels": {"endpointslice.kubernetes.io/skip-mirror": "true"}},
              "subsets": [{"addresses": [{"ip": ip}],
                           "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}]}
        eps = {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
               "metadata": {"name": "kubernetes", "namespace": "default",
                            "labels": {"kubernetes.io/service-name": "kubernetes"}},
               "addressType": "IPv4",
               "endpoints": [{"addresses": [ip], "conditions": {"ready": True}}],
               "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}]}
        for rt, obj in ((REGISTRY.core("endpoints"), ep),
                        (REGISTRY.get("discovery.k8s.io", "v1", "endpointslices"), eps)):
            if rt is None or mgr.store.get_entry(rt.key, "default", "kubernetes") is not None:
                continue
            try:
                mgr.api.create(ctx, rt, "default", obj)
            except errors.ApiError:
                pass


# ---- Endpoints / EndpointSlice defaulting (SetDefaults_EndpointPort of core/v1 and discovery/v1) ------------

ENDPOINTS = REGISTRY.core("endpoints")
ENDPOINT_SLICES = REGISTRY.get("discovery.k8s.io", "v1", "endpointslices")


def _endpoints_defaults(ctx, obj, old=None):
    for ss in obj.get("subsets") if isinstance(obj.get("subsets"), list) else []:
        for p in (ss.get("ports") if isinstance(ss, dict) and isinstance(ss.get("ports"), list) else []):
            if isinstance(p, dict) and not p.get("protocol"):
                p["protocol"] = "TCP"


def _slice_defaults(ctx, obj, old=None):
    for p in obj.get("ports") if isinstance(obj.get("ports"), list) else []:
        if isinstance(p, dict):
            if p.get("name") is None:
                p["name"] = ""
            if not p.get("protocol"):
                p["protocol"] = "TCP"


ENDPOINTS.add_hook("prepare_create", _endpoints_defaults)
ENDPOINTS.add_hook("prepare_update", _endpoints_defaults)
if ENDPOINT_SLICES is not None:
    ENDPOINT_SLICES.add_hook("prepare_create", _slice_defaults)
    ENDPOINT_SLICES.add_hook("prepare_update", _slice_defaults)
