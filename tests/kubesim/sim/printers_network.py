"""Table printers for networking kinds, as the 1.32 apiserver prints them: services, endpoints,
endpointslices, ingresses, ingressclasses, networkpolicies.

The apiserver renders with the wide option on, so the load-balancer address lists are never cut to 16
characters server-side.
"""

from .printers_common import (age_of, d, format_label_selector, format_labels, i64, list_with_more, name_of)
from .tables import col, register_printer

# ---- services --------------------------------------------------------------------------------------

SERVICE_COLUMNS = [
    col("Name", format="name"),
    col("Type", description="type determines how the Service is exposed."),
    col("Cluster-IP", description="clusterIP is the IP address of the service and is usually assigned randomly."),
    col("External-IP", description="externalIPs is a list of IP addresses for which nodes in the cluster will "
                                   "also accept traffic for this service."),
    col("Port(s)", description="The list of ports that are exposed by this service."),
    col("Age"),
    col("Selector", priority=1, description="Route service traffic to pods with label keys and values matching "
                                            "this selector."),
]


def lb_ingress_string(status):
    """The sorted, de-duplicated IPs (or hostnames) of a load balancer status, comma-joined."""
    seen = set()
    for ing in (status or {}).get("ingress") or []:
        if not isinstance(ing, dict):
            continue
        if ing.get("ip"):
            seen.add(str(ing["ip"]))
        elif ing.get("hostname"):
            seen.add(str(ing["hostname"]))
    return ",".join(sorted(seen))


def service_external_ip(svc):
    spec = svc.get("spec") or {}
    typ = spec.get("type") or "ClusterIP"
    ext = [str(x) for x in spec.get("externalIPs") or []]
    if typ in ("ClusterIP", "NodePort"):
        return ",".join(ext) if ext else "<none>"
    if typ == "LoadBalancer":
        lb = lb_ingress_string(d(svc, "status", "loadBalancer"))
        if ext:
            return ",".join((lb.split(",") if lb else []) + ext)
        return lb or "<pending>"
    if typ == "ExternalName":
        return str(spec.get("externalName") or "")
    return "<unknown>"


def service_ports(ports):
    out = []
    for p in ports if isinstance(ports, list) else []:
        if not isinstance(p, dict):
            continue
        proto = p.get("protocol") or "TCP"
        if i64(p.get("nodePort")) > 0:
            out.append("%d:%d/%s" % (i64(p.get("port")), i64(p.get("nodePort")), proto))
        else:
            out.append("%d/%s" % (i64(p.get("port")), proto))
    return ",".join(out)


def service_row(obj, now):
    spec = obj.get("spec") or {}
    ips = spec.get("clusterIPs") or []
    cluster_ip = str(ips[0]) if ips else "<none>"
    return [name_of(obj), str(spec.get("type") or ""), cluster_ip, service_external_ip(obj),
            service_ports(spec.get("ports")) or "<none>", age_of(obj, now), format_labels(spec.get("selector"))]


register_printer("services", SERVICE_COLUMNS, service_row)

# ---- endpoints -------------------------------------------------------------------------------------

ENDPOINTS_COLUMNS = [col("Name", format="name"),
                     col("Endpoints", description="The set of all endpoints is the union of all subsets."),
                     col("Age")]


def _join_host_port(ip, port):
    return "[%s]:%d" % (ip, port) if ":" in ip else "%s:%d" % (ip, port)


def format_endpoints(obj):
    subsets = obj.get("subsets") or []
    if not subsets:
        return "<none>"
    out = []
    limit = 3
    more = False
    count = 0
    for ss in subsets:
        if not isinstance(ss, dict):
            continue
        addrs = [a for a in ss.get("addresses") or [] if isinstance(a, dict)]
        ports = [p for p in ss.get("ports") or [] if isinstance(p, dict)]
        if not ports:
            count += len(addrs)
            for a in addrs:
                if len(out) == limit:
                    more = True
                    break
                out.append(str(a.get("ip") or ""))
            continue
        for p in ports:
            count += len(addrs)
            for a in addrs:
                if len(out) == limit:
                    more = True
                    break
                out.append(_join_host_port(str(a.get("ip") or ""), i64(p.get("port"))))
    ret = ",".join(out)
    if more:
        return "%s + %d more..." % (ret, count - limit)
    return ret


def endpoints_row(obj, now):
    return [name_of(obj), format_endpoints(obj), age_of(obj, now)]


register_printer("endpoints", ENDPOINTS_COLUMNS, endpoints_row)

# ---- endpointslices --------------------------------------------------------------------------------

ENDPOINTSLICE_COLUMNS = [
    col("Name", format="name"),
    col("AddressType", description="addressType specifies the type of address carried by this EndpointSlice."),
    col("Ports", description="ports specifies the list of network ports exposed by each endpoint in this slice."),
    col("Endpoints", description="endpoints is a list of unique endpoints in this slice."),
    col("Age"),
]


def endpointslice_row(obj, now):
    ports = []
    for p in obj.get("ports") or []:
        if not isinstance(p, dict):
            continue
        if p.get("port") is not None:
            ports.append(str(i64(p.get("port"))))
        elif p.get("name") is not None:
            ports.append(str(p.get("name")))
        else:
            ports.append("*")
    addrs = []
    for e in obj.get("endpoints") or []:
        if isinstance(e, dict):
            addrs.extend(str(a) for a in e.get("addresses") or [])
    return [name_of(obj), str(obj.get("addressType") or ""), list_with_more(ports), list_with_more(addrs),
            age_of(obj, now)]


register_printer("discovery.k8s.io/endpointslices", ENDPOINTSLICE_COLUMNS, endpointslice_row)

# ---- ingresses -------------------------------------------------------------------------------------

INGRESS_COLUMNS = [
    col("Name", format="name"),
    col("Class", description="The name of the IngressClass resource that should be used for additional "
                             "configuration"),
    col("Hosts", description="Hosts that incoming requests are matched against before the ingress rule"),
    col("Address", description="Address is a list containing ingress points for the load-balancer"),
    col("Ports", description="Ports of TLS configurations that open"),
    col("Age"),
]


def ingress_hosts(rules):
    rules = rules if isinstance(rules, list) else []
    out = []
    limit = 3
    more = False
    for r in rules:
        if len(out) == limit:
            more = True
        host = r.get("host") if isinstance(r, dict) else None
        if not more and host:
            out.append(str(host))
    if not out:
        return "*"
    ret = ",".join(out)
    if more:
        return "%s + %d more..." % (ret, len(rules) - limit)
    return ret


def ingress_row(obj, now):
    spec = obj.get("spec") or {}
    cls = spec.get("ingressClassName")
    return [name_of(obj), "<none>" if cls is None else str(cls), ingress_hosts(spec.get("rules")),
            lb_ingress_string(d(obj, "status", "loadBalancer")), "80, 443" if spec.get("tls") else "80",
            age_of(obj, now)]


register_printer("networking.k8s.io/ingresses", INGRESS_COLUMNS, ingress_row)

# ---- ingressclasses ----------------------------------------------------------------------------------

INGRESSCLASS_COLUMNS = [
    col("Name", format="name"),
    col("Controller", description="Controller that is responsible for handling this class"),
    col("Parameters", description="A reference to a resource with additional parameters"),
    col("Age"),
]


def ingressclass_row(obj, now):
    spec = obj.get("spec") or {}
    params = spec.get("parameters")
    p = "<none>"
    if isinstance(params, dict):
        p = str(params.get("kind") or "")
        if params.get("apiGroup") is not None:
            p += "." + str(params.get("apiGroup"))
        p += "/" + str(params.get("name") or "")
    return [name_of(obj), str(spec.get("controller") or ""), p, age_of(obj, now)]


register_printer("networking.k8s.io/ingressclasses", INGRESSCLASS_COLUMNS, ingressclass_row)

# ---- networkpolicies ---------------------------------------------------------------------------------

NETWORKPOLICY_COLUMNS = [
    col("Name", format="name"),
    col("Pod-Selector", description="Selects the pods to which this NetworkPolicy object applies."),
    col("Age"),
]


def networkpolicy_row(obj, now):
    sel = d(obj, "spec", "podSelector")
    return [name_of(obj), format_label_selector(sel if sel is not None else {}), age_of(obj, now)]


register_printer("networking.k8s.io/networkpolicies", NETWORKPOLICY_COLUMNS, networkpolicy_row)
