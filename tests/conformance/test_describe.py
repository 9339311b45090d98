"""kubectl describe pod / node / deployment / replicaset / service against a frozen fixture cluster
(--no-controllers): every request the describers make is served (events by field selector, the node
Lease, non-terminated pods by field selector, replica sets and pods by selector, EndpointSlices by
service-name label), and the sections show the fixture's values, including event ages like
"9h (x3 over 2d)" and series events.
"""

import time
import urllib.parse

import pytest

from sim import util   # conftest puts tests/kubesim on sys.path


@pytest.fixture(scope="module")
def fx(make_sim):
    return make_sim(objects=["describe/shop.yaml"], args=["--no-controllers"])


def rfc1123z(ts):
    """How kubectl prints a metav1.Time: RFC1123Z in local time."""
    return time.strftime("%a, %d %b %Y %H:%M:%S %z", time.localtime(util.parse_time(ts)))


def describe(fx, *args):
    return fx.kubectl("describe", *args).stdout


def section(out, title):
    """The lines of a top-level section ('Events:' ... up to the next unindented line)."""
    lines = out.splitlines()
    for i, ln in enumerate(lines):
        if ln.startswith(title + ":"):
            body = [ln]
            for nxt in lines[i + 1:]:
                if nxt and not nxt.startswith(" "):
                    break
                body.append(nxt)
            return body
    raise AssertionError("no %s section in:\n%s" % (title, out))


def field(out, name):
    for ln in out.splitlines():
        if ln.startswith(name + ":"):
            return ln[len(name) + 1:].strip()
    raise AssertionError("no %s: line in:\n%s" % (name, out))


def squeeze(lines):
    """Lines with runs of spaces collapsed (the tabwriter padding is kubectl's business)."""
    return [" ".join(ln.split()) for ln in lines]


def queries(fx, path_suffix):
    return [urllib.parse.unquote(r["query"]) for r in fx.requests_logged() if r["path"].endswith(path_suffix)]


def test_describe_pod(fx):
    out = describe(fx, "pod", "web-5d9c7b-fghij", "-n", "shop")
    _, pod = fx.json("GET", "/api/v1/namespaces/shop/pods/web-5d9c7b-fghij", expect=200)
    assert field(out, "Name") == "web-5d9c7b-fghij"
    assert field(out, "Node") == "worker-1/192.168.10.21"
    assert field(out, "Start Time") == rfc1123z(pod["status"]["startTime"])
    assert section(out, "Labels") == ["Labels:           app=web", "                  pod-template-hash=5d9c7b"]
    assert field(out, "Status") == "Running"
    assert field(out, "Controlled By") == "ReplicaSet/web-5d9c7b"
    containers = squeeze(section(out, "Containers"))
    for want in ["State: Waiting", "Reason: CrashLoopBackOff", "Last State: Terminated", "Reason: Error",
                 "Exit Code: 1", "Started: " + rfc1123z(pod["status"]["containerStatuses"][0]["lastState"]
                                                        ["terminated"]["startedAt"]),
                 "Ready: False", "Restart Count: 3", "Limits:", "cpu: 500m", "memory: 128Mi", "Requests:",
                 "cpu: 250m", "memory: 64Mi"]:
        assert want in containers, (want, containers)
    # series events show the series' last observation and count; counted events "(xN over first-seen)"
    assert squeeze(section(out, "Events")) == [
        "Events:",
        "Type Reason Age From Message",
        "---- ------ ---- ---- -------",
        "Normal Scheduled 2d default-scheduler Successfully assigned shop/web-5d9c7b-fghij to worker-1",
        "Warning Unhealthy 10h (x12 over 20h) kubelet Readiness probe failed: HTTP probe failed with statuscode: 503",
        "Warning BackOff 9h (x3 over 2d) kubelet Back-off restarting failed container nginx in pod "
        "web-5d9c7b-fghij_shop(0d5c3a8e-4444-4a4a-9c9c-000000000002)",
    ]
    q = queries(fx, "/namespaces/shop/events")
    assert any(set(x.split("fieldSelector=")[1].split("&")[0].split(",")) ==
               {"involvedObject.name=web-5d9c7b-fghij", "involvedObject.namespace=shop",
                "involvedObject.uid=0d5c3a8e-4444-4a4a-9c9c-000000000002"} for x in q), q


def test_describe_running_pod_volumes_and_no_events(fx):
    out = describe(fx, "pod", "web-5d9c7b-abcde", "-n", "shop")
    assert squeeze(section(out, "Conditions")) == ["Conditions:", "Type Status", "Initialized True", "Ready True",
                                                   "ContainersReady True", "PodScheduled True"]
    assert "/etc/nginx/conf.d from config (ro)" in squeeze(section(out, "Containers"))
    assert squeeze(section(out, "Volumes")) == ["Volumes:", "config:",
                                                "Type: ConfigMap (a volume populated by a ConfigMap)",
                                                "Name: web-config", "Optional: false"]
    assert field(out, "Tolerations") == "dedicated=shop:NoSchedule"
    assert field(out, "Events") == "<none>"


def test_describe_node(fx):
    out = describe(fx, "node", "worker-1")
    assert field(out, "Roles") == "worker"
    assert field(out, "Taints") == "dedicated=shop:NoSchedule"
    lease = squeeze(section(out, "Lease"))
    assert lease[:3] == ["Lease:", "HolderIdentity: worker-1", "AcquireTime: <unset>"]
    _, obj = fx.json("GET", "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/worker-1", expect=200)
    assert lease[3] == "RenewTime: " + rfc1123z(obj["spec"]["renewTime"])
    assert obj["spec"]["holderIdentity"] == "worker-1" and obj["spec"]["leaseDurationSeconds"] == 40
    assert obj["metadata"]["ownerReferences"][0]["kind"] == "Node"
    # only pods that are not Succeeded/Failed, asked with a field selector
    pods = squeeze(section(out, "Non-terminated Pods"))
    assert pods[0] == "Non-terminated Pods: (2 in total)"
    assert pods[3:] == ["shop web-5d9c7b-abcde 250m (6%) 500m (13%) 64Mi (0%) 128Mi (0%) 2d",
                        "shop web-5d9c7b-fghij 250m (6%) 500m (13%) 64Mi (0%) 128Mi (0%) 2d"]
    assert any("fieldSelector=spec.nodeName=worker-1,status.phase!=Succeeded,status.phase!=Failed" in x
               for x in queries(fx, "/api/v1/pods"))
    alloc = squeeze(section(out, "Allocated resources"))
    assert "cpu 500m (13%) 1 (26%)" in alloc and "memory 128Mi (0%) 256Mi (1%)" in alloc
    # node events come from two queries: by the node's uid and by its name (what kubelets write)
    assert squeeze(section(out, "Events"))[3:] == [
        "Normal RegisteredNode 10d node-controller Node worker-1 event: Registered Node worker-1 in Controller",
        "Normal NodeReady 10d kubelet Node worker-1 status is now: NodeReady"]
    ev = [x for x in queries(fx, "/api/v1/events") if "involvedObject.kind=Node" in x]
    assert any("involvedObject.uid=worker-1" in x for x in ev)
    assert any("involvedObject.uid=0d5c3a8e-1111-4a4a-9c9c-000000000001" in x for x in ev)


def test_describe_deployment(fx):
    out = describe(fx, "deployment", "web", "-n", "shop")
    assert field(out, "Replicas") == "2 desired | 2 updated | 2 total | 1 available | 1 unavailable"
    assert field(out, "StrategyType") == "RollingUpdate"
    assert field(out, "RollingUpdateStrategy") == "25% max unavailable, 25% max surge"
    assert squeeze(section(out, "Conditions")) == ["Conditions:", "Type Status Reason", "---- ------ ------",
                                                   "Available False MinimumReplicasUnavailable",
                                                   "Progressing True NewReplicaSetAvailable"]
    assert field(out, "OldReplicaSets") == "web-old1 (0/0 replicas created)"
    assert field(out, "NewReplicaSet") == "web-5d9c7b (2/2 replicas created)"
    assert squeeze(section(out, "Events"))[3:] == [
        "Normal ScalingReplicaSet 2d deployment-controller Scaled up replica set web-5d9c7b from 0 to 2"]
    assert any("labelSelector=app=web" in x for x in queries(fx, "/namespaces/shop/replicasets"))


def test_describe_replicaset(fx):
    out = describe(fx, "rs", "web-5d9c7b", "-n", "shop")
    assert field(out, "Controlled By") == "Deployment/web"
    assert field(out, "Replicas") == "2 current / 2 desired"
    # pods found by the selector and kept when their controller is this replica set
    assert field(out, "Pods Status") == "2 Running / 0 Waiting / 0 Succeeded / 0 Failed"
    assert squeeze(section(out, "Events"))[3:] == [
        "Normal SuccessfulCreate 47h (x2 over 2d) replicaset-controller Created pod: web-5d9c7b-fghij"]
    assert any("labelSelector=app=web,pod-template-hash=5d9c7b" in x for x in queries(fx, "/namespaces/shop/pods"))


def test_describe_service(fx):
    out = describe(fx, "service", "web", "-n", "shop")
    assert field(out, "Type") == "ClusterIP"
    assert field(out, "IP Family Policy") == "SingleStack"
    assert field(out, "IP Families") == "IPv4"
    assert field(out, "IP") == "10.96.20.20"
    assert field(out, "Port") == "http  80/TCP"
    assert field(out, "TargetPort") == "80/TCP"
    assert field(out, "Endpoints") == "10.244.1.17:80"      # only ready endpoints of the slices
    assert field(out, "Session Affinity") == "None"
    assert field(out, "Internal Traffic Policy") == "Cluster"
    assert squeeze(section(out, "Events"))[3:] == ["Normal EnsuredLoadBalancer 3d service-controller "
                                                   "Ensured load balancer"]
    assert any("labelSelector=kubernetes.io/service-name=web" in x
               for x in queries(fx, "/namespaces/shop/endpointslices"))


def test_describe_kubernetes_service(fx):
    """Every cluster has the `kubernetes` Service in default, its Endpoints and EndpointSlice."""
    out = describe(fx, "service", "kubernetes", "-n", "default")
    assert field(out, "IP") == "10.96.0.1"
    assert field(out, "Port") == "https  443/TCP"
    assert field(out, "TargetPort") == "6443/TCP"
    assert field(out, "Endpoints").endswith(":6443")
    assert section(out, "Labels")[1].split() == ["provider=kubernetes"]
    assert field(out, "Labels") == "component=apiserver"
