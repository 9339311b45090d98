"""Field selectors per kind, exactly as a 1.32 apiserver accepts and evaluates them, through kubectl
--field-selector and raw LIST/WATCH requests; unsupported fields get the real 400 messages (kubectl wraps
them in "Unable to find ... that match label selector ..., field selector ...")."""

import urllib.parse

import pytest

from conftest import read_events, table_rows


@pytest.fixture(scope="module")
def fx(make_sim):
    return make_sim(objects=["printers/resources.yaml", "printers/workloads.yaml", "printers/fields.yaml",
                             "nodes.yaml"], args=["--no-controllers"])


def names(fx, *args):
    return [r["NAME"] for r in table_rows(fx.kubectl(*args).stdout)[1]]


def items(fx, path, selector):
    status, body = fx.json("GET", path + "?fieldSelector=" + urllib.parse.quote(selector))
    assert status == 200, body
    return sorted(i["metadata"]["name"] for i in body["items"])


SUPPORTED = [
    # kubectl get args, --field-selector, expected names
    (["events", "-n", "printers", "-o", "wide"], "involvedObject.name=web-1", ["web-1.17a1"]),
    (["events", "-n", "printers", "-o", "wide"], "involvedObject.kind=Node", ["nodes.17a3"]),
    (["events", "-n", "printers", "-o", "wide"], "involvedObject.uid=aaaa-2,involvedObject.namespace=printers",
     ["web-2.17a2"]),
    (["events", "-n", "printers", "-o", "wide"], "involvedObject.fieldPath=spec.containers{nginx}", ["web-1.17a1"]),
    (["events", "-n", "printers", "-o", "wide"], "reason=Scheduled", ["web-2.17a2"]),
    (["events", "-n", "printers", "-o", "wide"], "type!=Normal", ["web-1.17a1"]),
    # `source` is source.component, or reportingComponent for events written through the new API
    (["events", "-n", "printers", "-o", "wide"], "source=default-scheduler", ["web-2.17a2"]),
    (["events", "-n", "printers", "-o", "wide"], "source=kubelet", ["web-1.17a1"]),
    (["events", "-n", "printers", "-o", "wide"], "reportingComponent=default-scheduler", ["web-2.17a2"]),
    (["secrets", "-n", "printers"], "type=kubernetes.io/tls", ["tls-a"]),
    (["secrets", "-n", "printers"], "type==Opaque,metadata.name!=creds", ["hollow"]),
    (["services", "-n", "printers"], "spec.type=NodePort", ["np"]),
    (["services", "-n", "printers"], "spec.clusterIP=None", ["headless"]),
    (["nodes"], "spec.unschedulable=true", ["node-b", "node-d"]),
    (["nodes"], "spec.unschedulable=false,metadata.name!=node-c", ["node-a"]),
    (["namespaces"], "status.phase=Active,metadata.name=printers", ["printers"]),
    (["jobs", "-n", "printers"], "status.successful=3", ["complete"]),
    (["jobs", "-n", "printers"], "status.successful=0", ["failed", "failing", "suspended"]),
    (["rc", "-n", "printers"], "status.replicas=4", ["legacy"]),
    (["pods", "-n", "printers"], "spec.nodeName=node-a", ["on-a"]),
    (["pods", "-A"], "spec.nodeName=node-b,status.phase!=Succeeded,status.phase!=Failed", []),
    (["pods", "-n", "printers"], "status.podIP=10.244.1.5", ["on-a"]),
    (["pods", "-n", "printers"], "spec.restartPolicy=Never", ["on-b"]),
    (["deployments", "-n", "printers"], "metadata.name=web,metadata.namespace=printers", ["web"]),
]


@pytest.mark.parametrize("args,selector,expected", SUPPORTED)
def test_supported_field_selectors(fx, args, selector, expected):
    res = fx.kubectl("get", *args, "--field-selector", selector, check=False)
    assert res.returncode == 0, res.stderr
    if not expected:
        assert res.stdout == "" and "No resources found" in res.stderr
        return
    assert sorted(names(fx, "get", *args, "--field-selector", selector)) == expected


def test_old_spec_host_label_means_node_name(fx):
    assert items(fx, "/api/v1/pods", "spec.host=node-a") == ["on-a"]


UNSUPPORTED = [
    (["events"], "foo=bar", "/v1, Resource=events", "field label not supported: foo"),
    (["nodes"], "metadata.namespace=x", "/v1, Resource=nodes", "field label not supported: metadata.namespace"),
    (["namespaces"], "metadata.namespace=x", "/v1, Resource=namespaces",
     "field label not supported: metadata.namespace"),
    (["services"], "spec.selector=x", "/v1, Resource=services", "field label not supported: spec.selector"),
    (["pods"], "spec.containers=x", "/v1, Resource=pods", "field label not supported: spec.containers"),
    (["jobs"], "status.active=1", "batch/v1, Resource=jobs", "field label not supported: status.active"),
    # apps/v1 registers no field label conversion, so even status.replicas is refused (kubernetes#135136)
    (["rs"], "status.replicas=2", "apps/v1, Resource=replicasets",
     '"status.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    (["deployments"], "spec.replicas=3", "apps/v1, Resource=deployments",
     '"spec.replicas" is not a known field selector: only "metadata.name", "metadata.namespace"'),
    (["configmaps"], "data=x", "/v1, Resource=configmaps",
     '"data" is not a known field selector: only "metadata.name", "metadata.namespace"'),
]


@pytest.mark.parametrize("args,selector,resource,message", UNSUPPORTED)
def test_unsupported_field_selectors(fx, args, selector, resource, message):
    res = fx.kubectl("get", *args, "-n", "printers", "--field-selector", selector, check=False)
    assert res.returncode == 1
    assert res.stderr.strip() == ('Error from server (BadRequest): Unable to find "%s" that match label selector "", '
                                  'field selector "%s": %s' % (resource, selector, message))


def test_events_k8s_io_field_names(fx):
    """events.k8s.io/v1 selects by its own field names (regarding.*, reportingController), mapped to the
    core fields; the core names are refused there."""
    path = "/apis/events.k8s.io/v1/namespaces/printers/events"
    assert items(fx, path, "regarding.name=web-1") == ["web-1.17a1"]
    assert items(fx, path, "regarding.kind=Pod,type=Normal") == ["web-2.17a2"]
    assert items(fx, path, "reportingController=default-scheduler") == ["web-2.17a2"]
    status, body = fx.json("GET", path + "?fieldSelector=involvedObject.name%3Dweb-1")
    assert status == 400
    assert (body["reason"], body["message"]) == ("BadRequest", "field label not supported: involvedObject.name")


def test_watch_with_field_selector(fx):
    """describe-style selectors work on watches too: only the matching object's events arrive."""
    q = urllib.parse.quote("involvedObject.name=web-2,involvedObject.namespace=printers")
    c, r = fx.watch("/api/v1/namespaces/printers/events?watch=true&timeoutSeconds=3&fieldSelector=" + q)
    try:
        fx.json("POST", "/api/v1/namespaces/printers/events", {
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": "other.1"},
            "involvedObject": {"kind": "Pod", "name": "web-1", "namespace": "printers"}, "reason": "X",
            "message": "m", "type": "Normal"}, expect=201)
        fx.json("POST", "/api/v1/namespaces/printers/events", {
            "apiVersion": "v1", "kind": "Event", "metadata": {"name": "mine.1"},
            "involvedObject": {"kind": "Pod", "name": "web-2", "namespace": "printers"}, "reason": "Y",
            "message": "m", "type": "Normal"}, expect=201)
        evs = read_events(r, until=lambda e: e["object"]["metadata"]["name"] == "mine.1", limit_s=5)
    finally:
        c.close()
    assert [(e["type"], e["object"]["metadata"]["name"]) for e in evs] == [("ADDED", "web-2.17a2"),
                                                                          ("ADDED", "mine.1")]
