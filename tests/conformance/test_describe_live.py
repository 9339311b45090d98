"""What kubesim keeps current for kubectl describe with controllers on, as a real cluster does:
EndpointSlices and Endpoints following the pods that match a Service (named target ports resolved per
pod, not-ready pods, pods going away), and node Leases created and renewed by Ready nodes only.
"""

import time

import pytest

from sim import util   # conftest puts tests/kubesim on sys.path

MANIFEST = """
apiVersion: v1
kind: Namespace
metadata: {name: live}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: live, labels: {team: core}}
spec:
  selector: {app: api}
  ports: [{name: http, port: 80, targetPort: web}, {name: metrics, port: 9100}]
---
apiVersion: v1
kind: Pod
metadata: {name: api-1, namespace: live, labels: {app: api}}
spec: {containers: [{name: c, image: "nginx:1.27", ports: [{name: web, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-2, namespace: live, labels: {app: api}}
spec: {containers: [{name: c, image: "nginx:1.27", ports: [{name: web, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-3, namespace: live, labels: {app: api}}
spec: {containers: [{name: c, image: "nginx:1.27", ports: [{name: web, containerPort: 9090}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api-crash, namespace: live, labels: {app: api}}
spec: {containers: [{name: c, image: "example/crash:1", ports: [{name: web, containerPort: 8080}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: manual, namespace: live}
spec: {ports: [{port: 5432}]}
"""


@pytest.fixture(scope="module")
def live(make_sim):
    s = make_sim(args=["--nodes", "2"])
    _, lease = s.json("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/kubesim-node-1",
                      expect=200)
    s.first_renew = lease["spec"]["renewTime"]
    s.kubectl("apply", "-f", "-", input=MANIFEST)
    return s


def wait_for(fn, timeout=10.0, what="condition"):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(0.1)
    raise AssertionError("timed out waiting for %s (last: %r)" % (what, last))


def pod_ips(live):
    _, pods = live.json("GET", "/api/v1/namespaces/live/pods", expect=200)
    return {p["metadata"]["name"]: p["status"].get("podIP") for p in pods["items"]}


def slices(live, service="api"):
    _, body = live.json("GET", "/apis/discovery.k8s.io/v1/namespaces/live/endpointslices?labelSelector="
                        "kubernetes.io%2Fservice-name%3D" + service, expect=200)
    return body["items"]


def summary(items):
    """{tuple(ports): {(ip, ready, serving, terminating, pod)}} of EndpointSlices."""
    out = {}
    for s in items:
        ports = tuple((p["name"], p["port"], p["protocol"]) for p in s.get("ports") or [])
        eps = set()
        for e in s.get("endpoints") or []:
            c = e["conditions"]
            eps.add((e["addresses"][0], c["ready"], c["serving"], c["terminating"], e["targetRef"]["name"]))
        out[ports] = eps
    return out


def test_endpointslices_follow_pods(live):
    ips = wait_for(lambda: (lambda m: m if len(m) == 4 and all(m.values()) else None)(pod_ips(live)),
                   what="pod IPs")

    def want():
        return {(("http", 8080, "TCP"), ("metrics", 9100, "TCP")): {
                    (ips["api-1"], True, True, False, "api-1"), (ips["api-2"], True, True, False, "api-2"),
                    (ips["api-crash"], False, False, False, "api-crash")},
                (("http", 9090, "TCP"), ("metrics", 9100, "TCP")): {(ips["api-3"], True, True, False, "api-3")}}
    wait_for(lambda: summary(slices(live)) == want(), what="slices for 4 pods")
    _, svc = live.json("GET", "/api/v1/namespaces/live/services/api", expect=200)
    for s in slices(live):
        md = s["metadata"]
        assert md["name"].startswith("api-") and len(md["name"]) == len("api-") + 5
        assert md["labels"] == {"team": "core", "kubernetes.io/service-name": "api",
                                "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io"}
        assert md["ownerReferences"] == [{"apiVersion": "v1", "kind": "Service", "name": "api",
                                          "uid": svc["metadata"]["uid"], "controller": True,
                                          "blockOwnerDeletion": True}]
        assert "endpoints.kubernetes.io/last-change-trigger-time" in md["annotations"]
        assert s["addressType"] == "IPv4"
    # kubectl describe reads the slices: ready endpoints, per service port, named target port resolved per pod
    out = live.kubectl("describe", "service", "api", "-n", "live").stdout
    endpoints = [ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("Endpoints:")]
    http = sorted([ips["api-1"] + ":8080", ips["api-2"] + ":8080", ips["api-3"] + ":9090"])
    metrics = sorted(ips[p] + ":9100" for p in ("api-1", "api-2", "api-3"))
    assert [sorted(e.split(",")) for e in endpoints] == [http, metrics]
    # the legacy Endpoints object: ready pods in addresses, the crash-looping one in notReadyAddresses
    _, ep = live.json("GET", "/api/v1/namespaces/live/endpoints/api", expect=200)
    assert ep["metadata"]["labels"] == {"team": "core"}
    by_port = {tuple(p["port"] for p in ss["ports"]): ss for ss in ep["subsets"]}
    assert sorted(a["targetRef"]["name"] for a in by_port[(8080, 9100)]["addresses"]) == ["api-1", "api-2"]
    assert [a["targetRef"]["name"] for a in by_port[(8080, 9100)]["notReadyAddresses"]] == ["api-crash"]
    assert [a["ip"] for a in by_port[(9090, 9100)]["addresses"]] == [ips["api-3"]]

    # pods going away: their endpoints go, and the slice of a port set nobody has any more is deleted
    live.kubectl("delete", "pod", "api-3", "api-crash", "-n", "live", "--grace-period=0", "--force")
    wait_for(lambda: summary(slices(live)) == {(("http", 8080, "TCP"), ("metrics", 9100, "TCP")): {
        (ips["api-1"], True, True, False, "api-1"), (ips["api-2"], True, True, False, "api-2")}},
        what="slices after deleting two pods")
    wait_for(lambda: len(live.json("GET", "/api/v1/namespaces/live/endpoints/api")[1]["subsets"]) == 1,
             what="endpoints after deleting two pods")
    rows = live.kubectl("get", "endpoints", "api", "-n", "live").stdout.splitlines()
    a, b = sorted([ips["api-1"], ips["api-2"]])
    assert rows[1].split()[1:4] == ["%s:8080,%s:8080,%s:9100" % (a, b, a), "+", "1"]


def test_service_without_pods_or_selector(live):
    # no selector: the controllers leave it alone (users manage its Endpoints)
    assert slices(live, "manual") == []
    assert live.json("GET", "/api/v1/namespaces/live/endpoints/manual")[0] == 404
    # a selector nobody matches: an empty placeholder slice and an Endpoints object without subsets
    live.kubectl("create", "service", "clusterip", "nobody", "--tcp=80:80", "-n", "live")
    got = wait_for(lambda: slices(live, "nobody"), what="placeholder slice")
    assert len(got) == 1 and got[0]["endpoints"] is None and "ports" not in got[0]
    _, ep = live.json("GET", "/api/v1/namespaces/live/endpoints/nobody", expect=200)
    assert "subsets" not in ep
    # kubectl prints the empty list of ready addresses of the placeholder ("<none>" only without any slice)
    out = live.kubectl("describe", "service", "nobody", "-n", "live").stdout
    assert [ln.split(":", 1)[1].strip() for ln in out.splitlines() if ln.startswith("Endpoints:")] == [""]
    # deleting the service takes its slices (owner references) and its Endpoints away
    live.kubectl("delete", "service", "nobody", "-n", "live")
    wait_for(lambda: slices(live, "nobody") == [] and
             live.json("GET", "/api/v1/namespaces/live/endpoints/nobody")[0] == 404, what="cleanup")


def test_service_defaults_allocation_and_type_changes(live):
    """kubectl create service sends protobuf; the apiserver defaults the spec, allocates a ClusterIP from
    10.96.0.0/12 and NodePorts from 30000-32767, and a type change drops what the old type allocated."""
    live.kubectl("create", "service", "nodeport", "np", "--tcp=80:8080", "-n", "live")
    live.kubectl("create", "service", "loadbalancer", "lb", "--tcp=443:8443", "-n", "live")
    _, np = live.json("GET", "/api/v1/namespaces/live/services/np", expect=200)
    _, lb = live.json("GET", "/api/v1/namespaces/live/services/lb", expect=200)
    spec = np["spec"]
    ip = [int(x) for x in spec["clusterIP"].split(".")]
    assert ip[0] == 10 and 96 <= ip[1] < 112 and spec["clusterIPs"] == [spec["clusterIP"]]
    assert spec["clusterIP"] != lb["spec"]["clusterIP"]
    assert (spec["type"], spec["sessionAffinity"], spec["externalTrafficPolicy"], spec["internalTrafficPolicy"],
            spec["ipFamilies"], spec["ipFamilyPolicy"]) == ("NodePort", "None", "Cluster", "Cluster", ["IPv4"],
                                                            "SingleStack")
    port = spec["ports"][0]
    assert (port["name"], port["port"], port["targetPort"], port["protocol"]) == ("80-8080", 80, 8080, "TCP")
    assert 30000 <= port["nodePort"] <= 32767 and port["nodePort"] != lb["spec"]["ports"][0]["nodePort"]
    assert lb["spec"]["allocateLoadBalancerNodePorts"] is True and lb["status"] == {"loadBalancer": {}}
    assert "publishNotReadyAddresses" not in spec and "healthCheckNodePort" not in spec
    live.kubectl("patch", "service", "np", "-n", "live", "--type", "merge", "-p", '{"spec":{"type":"ClusterIP"}}')
    _, np2 = live.json("GET", "/api/v1/namespaces/live/services/np", expect=200)
    assert "nodePort" not in np2["spec"]["ports"][0] and "externalTrafficPolicy" not in np2["spec"]
    assert np2["spec"]["clusterIP"] == spec["clusterIP"]
    res = live.kubectl("patch", "service", "np", "-n", "live", "--type", "json", "-p",
                       '[{"op":"add","path":"/spec/ports/0/nodePort","value":31000}]', check=False)
    assert res.returncode == 1 and res.stderr.strip() == (
        'The Service "np" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is '
        "'ClusterIP'")


def test_leases_only_for_ready_nodes(live):
    node = {"apiVersion": "v1", "kind": "Node",
            "metadata": {"name": "late-ready"},
            "status": {"conditions": [{"type": "Ready", "status": "True"}]}}
    live.json("POST", "/api/v1/nodes", node, expect=201)
    node["metadata"]["name"] = "late-down"
    node["status"]["conditions"][0]["status"] = "Unknown"
    live.json("POST", "/api/v1/nodes", node, expect=201)
    path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/"
    lease = wait_for(lambda: (lambda r: r[1] if r[0] == 200 else None)(live.json("GET", path + "late-ready")),
                     what="lease of a new Ready node")
    _, node_obj = live.json("GET", "/api/v1/nodes/late-ready", expect=200)
    assert lease["spec"]["holderIdentity"] == "late-ready"
    assert lease["spec"]["leaseDurationSeconds"] == 40
    assert lease["metadata"]["ownerReferences"] == [{"apiVersion": "v1", "kind": "Node", "name": "late-ready",
                                                     "uid": node_obj["metadata"]["uid"]}]
    out = live.kubectl("describe", "node", "late-ready").stdout
    assert "  HolderIdentity:  late-ready" in out.splitlines()
    assert live.json("GET", path + "late-down")[0] == 404
    out = live.kubectl("describe", "node", "late-down").stdout
    assert 'Failed to get lease: leases.coordination.k8s.io "late-down" not found' in out


def test_pods_get_the_service_account_token_volume(live):
    """ServiceAccount admission: every pod created through the API mounts a kube-api-access-xxxxx volume,
    unless the pod or its ServiceAccount opts out."""
    live.kubectl("apply", "-f", "-", input="""
apiVersion: v1
kind: ServiceAccount
metadata: {name: quiet, namespace: live}
automountServiceAccountToken: false
---
apiVersion: v1
kind: Pod
metadata: {name: quiet-pod, namespace: live}
spec: {serviceAccountName: quiet, containers: [{name: c, image: "busybox:1.36"}]}
---
apiVersion: v1
kind: Pod
metadata: {name: opt-out, namespace: live}
spec: {automountServiceAccountToken: false, containers: [{name: c, image: "busybox:1.36"}]}
""")
    out = live.kubectl("describe", "pod", "api-1", "-n", "live").stdout
    _, pod = live.json("GET", "/api/v1/namespaces/live/pods/api-1", expect=200)
    vol = pod["spec"]["volumes"][0]["name"]
    assert vol.startswith("kube-api-access-") and len(vol) == len("kube-api-access-") + 5
    lines = [" ".join(ln.split()) for ln in out.splitlines()]
    assert "/var/run/secrets/kubernetes.io/serviceaccount from %s (ro)" % vol in lines
    i = lines.index("Volumes:")
    assert lines[i + 1:i + 7] == [vol + ":", "Type: Projected (a volume that contains injected data from multiple "
                                  "sources)", "TokenExpirationSeconds: 3607", "ConfigMapName: kube-root-ca.crt",
                                  "ConfigMapOptional: <nil>", "DownwardAPI: true"]
    for name in ("quiet-pod", "opt-out"):
        _, pod = live.json("GET", "/api/v1/namespaces/live/pods/" + name, expect=200)
        assert "volumes" not in pod["spec"] and "volumeMounts" not in pod["spec"]["containers"][0]


def test_resource_quota_usage(live):
    """The quota controller keeps status.hard/used current: kubectl get quota's REQUEST/LIMIT and describe."""
    live.kubectl("apply", "-f", "-", input="""
apiVersion: v1
kind: Namespace
metadata: {name: quota}
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: compute, namespace: quota}
spec:
  hard: {pods: "10", requests.cpu: "2", requests.memory: 2Gi, limits.cpu: "4", limits.memory: 4Gi, services: "5",
         count/deployments.apps: "3"}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: quota}
spec: {containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: 250m, memory: 64Mi},
                                                               limits: {cpu: 500m, memory: 128Mi}}}]}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: quota}
spec:
  initContainers: [{name: i, image: "busybox:1.36", resources: {requests: {cpu: "1"}}}]
  containers: [{name: c, image: "nginx:1.27", resources: {requests: {cpu: 100m, memory: 64Mi},
                                                          limits: {cpu: 500m, memory: 128Mi}}}]
""")
    want = {"pods": "2", "requests.cpu": "1250m", "requests.memory": "128Mi", "limits.cpu": "1",
            "limits.memory": "256Mi", "services": "0", "count/deployments.apps": "0"}
    wait_for(lambda: live.json("GET", "/api/v1/namespaces/quota/resourcequotas/compute")[1].get("status", {})
             .get("used") == want, what="quota usage")
    rows = live.kubectl("get", "quota", "-n", "quota").stdout.splitlines()
    assert rows[1].split("   ")[1:3] == [
        "count/deployments.apps: 0/3, pods: 2/10, requests.cpu: 1250m/2, requests.memory: 128Mi/2Gi, services: 0/5",
        "limits.cpu: 1/4, limits.memory: 256Mi/4Gi"]
    live.kubectl("delete", "pod", "b", "-n", "quota", "--grace-period=0", "--force")
    wait_for(lambda: live.json("GET", "/api/v1/namespaces/quota/resourcequotas/compute")[1]["status"]["used"]
             ["requests.cpu"] == "250m", what="quota usage after a deletion")
    out = [" ".join(ln.split()) for ln in live.kubectl("describe", "quota", "compute", "-n", "quota").stdout
           .splitlines()]
    assert out[2:] == ["Resource Used Hard", "-------- ---- ----", "count/deployments.apps 0 3",
                       "limits.cpu 500m 4", "limits.memory 128Mi 4Gi", "pods 1 10", "requests.cpu 250m 2",
                       "requests.memory 64Mi 2Gi", "services 0 5"]


def test_node_lease_is_renewed(live):
    """Runs last: by now the kubelet's 10 s renewal has (almost) come round."""
    path = "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/kubesim-node-1"
    lease = wait_for(lambda: (lambda obj: obj if obj["spec"]["renewTime"] != live.first_renew else None)(
        live.json("GET", path, expect=200)[1]), timeout=15, what="lease renewal")
    assert util.parse_time(lease["spec"]["renewTime"]) > util.parse_time(live.first_renew)
    assert abs(util.parse_time(lease["spec"]["renewTime"]) - time.time()) < 5
