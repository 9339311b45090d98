"""Discovery: /version, api-resources, api-versions, aggregated discovery negotiated by Accept."""

import json

from conftest import table_rows

V2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
V2BETA1 = "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList"
KUBECTL_ACCEPT = V2 + "," + V2BETA1 + ",application/json"


def test_version(sim):
    v = json.loads(sim.kubectl("get", "--raw", "/version").stdout)
    assert (v["major"], v["minor"], v["gitVersion"]) == ("1", "32", "v1.32.4")
    assert v["platform"] == "linux/amd64" and v["gitTreeState"] == "clean"
    out = sim.kubectl("version", "-o", "json").stdout
    assert json.loads(out)["serverVersion"]["gitVersion"] == "v1.32.4"


def test_version_is_public_but_resources_need_a_token(sim):
    st, _, body = sim.request("GET", "/version", token=False)
    assert st == 200 and json.loads(body)["minor"] == "32"
    st, _, body = sim.request("GET", "/api/v1/pods", token=False)
    assert st == 401
    assert json.loads(body) == {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                "message": "Unauthorized", "reason": "Unauthorized", "code": 401}
    st, _, _ = sim.request("GET", "/version", headers={"Authorization": "Bearer wrong"}, token=False)
    assert st == 401


def test_wrong_token_with_kubectl(sim, tmp_path):
    import yaml
    cfg = yaml.safe_load(open(sim.kubeconfig))
    cfg["users"][0]["user"]["token"] = "not-the-token"
    bad = tmp_path / "bad-kubeconfig"
    bad.write_text(yaml.safe_dump(cfg))
    res = sim.kubectl("--kubeconfig", str(bad), "get", "pods", check=False)
    assert res.returncode == 1
    assert "You must be logged in to the server" in res.stderr


def _api_resources(sim, *extra):
    header, rows = table_rows(sim.kubectl("api-resources", *extra).stdout)
    return header, {(r["NAME"], r["APIVERSION"]): r for r in rows}


def test_api_resources(sim):
    header, res = _api_resources(sim)
    assert header == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"]
    expect = {
        ("pods", "v1"): ("po", "true", "Pod"),
        ("namespaces", "v1"): ("ns", "false", "Namespace"),
        ("nodes", "v1"): ("no", "false", "Node"),
        ("services", "v1"): ("svc", "true", "Service"),
        ("configmaps", "v1"): ("cm", "true", "ConfigMap"),
        ("secrets", "v1"): ("", "true", "Secret"),
        ("events", "v1"): ("ev", "true", "Event"),
        ("serviceaccounts", "v1"): ("sa", "true", "ServiceAccount"),
        ("persistentvolumes", "v1"): ("pv", "false", "PersistentVolume"),
        ("persistentvolumeclaims", "v1"): ("pvc", "true", "PersistentVolumeClaim"),
        ("resourcequotas", "v1"): ("quota", "true", "ResourceQuota"),
        ("limitranges", "v1"): ("limits", "true", "LimitRange"),
        ("endpoints", "v1"): ("ep", "true", "Endpoints"),
        ("deployments", "apps/v1"): ("deploy", "true", "Deployment"),
        ("replicasets", "apps/v1"): ("rs", "true", "ReplicaSet"),
        ("statefulsets", "apps/v1"): ("sts", "true", "StatefulSet"),
        ("daemonsets", "apps/v1"): ("ds", "true", "DaemonSet"),
        ("controllerrevisions", "apps/v1"): ("", "true", "ControllerRevision"),
        ("jobs", "batch/v1"): ("", "true", "Job"),
        ("cronjobs", "batch/v1"): ("cj", "true", "CronJob"),
        ("ingresses", "networking.k8s.io/v1"): ("ing", "true", "Ingress"),
        ("networkpolicies", "networking.k8s.io/v1"): ("netpol", "true", "NetworkPolicy"),
        ("roles", "rbac.authorization.k8s.io/v1"): ("", "true", "Role"),
        ("clusterroles", "rbac.authorization.k8s.io/v1"): ("", "false", "ClusterRole"),
        ("rolebindings", "rbac.authorization.k8s.io/v1"): ("", "true", "RoleBinding"),
        ("clusterrolebindings", "rbac.authorization.k8s.io/v1"): ("", "false", "ClusterRoleBinding"),
        ("horizontalpodautoscalers", "autoscaling/v2"): ("hpa", "true", "HorizontalPodAutoscaler"),
        ("poddisruptionbudgets", "policy/v1"): ("pdb", "true", "PodDisruptionBudget"),
        ("storageclasses", "storage.k8s.io/v1"): ("sc", "false", "StorageClass"),
        ("customresourcedefinitions", "apiextensions.k8s.io/v1"): ("crd,crds", "false", "CustomResourceDefinition"),
        ("leases", "coordination.k8s.io/v1"): ("", "true", "Lease"),
        ("endpointslices", "discovery.k8s.io/v1"): ("", "true", "EndpointSlice"),
        ("events", "events.k8s.io/v1"): ("ev", "true", "Event"),
    }
    for key, (short, namespaced, kind) in expect.items():
        assert key in res, key
        r = res[key]
        assert (r["SHORTNAMES"], r["NAMESPACED"], r["KIND"]) == (short, namespaced, kind), key
    assert not any("/" in name for name, _ in res), "subresources are not listed"


def test_api_resources_wide_verbs_and_categories(sim):
    header, res = _api_resources(sim, "-o", "wide")
    assert header == ["NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND", "VERBS", "CATEGORIES"]
    pods = res[("pods", "v1")]
    assert pods["VERBS"] == "create,delete,deletecollection,get,list,patch,update,watch"
    assert pods["CATEGORIES"] == "all"
    assert res[("namespaces", "v1")]["VERBS"] == "create,delete,get,list,patch,update,watch"
    assert res[("deployments", "apps/v1")]["CATEGORIES"] == "all"
    assert res[("customresourcedefinitions", "apiextensions.k8s.io/v1")]["CATEGORIES"] == "api-extensions"
    assert res[("configmaps", "v1")]["CATEGORIES"] == ""


def test_api_resources_filters(sim):
    _, res = _api_resources(sim, "--namespaced=false")
    assert ("nodes", "v1") in res and ("pods", "v1") not in res
    _, res = _api_resources(sim, "--api-group=apps")
    assert {n for n, _ in res} == {"controllerrevisions", "daemonsets", "deployments", "replicasets",
                                   "statefulsets"}
    out = sim.kubectl("get", "all", "-n", "kube-system").stdout + \
        sim.kubectl("get", "all", "-n", "kube-system").stderr
    assert "No resources found" in out or out.strip() == ""


def test_api_versions(sim):
    versions = sim.kubectl("api-versions").stdout.split()
    for gv in ("v1", "apps/v1", "batch/v1", "autoscaling/v2", "networking.k8s.io/v1", "policy/v1",
               "rbac.authorization.k8s.io/v1", "storage.k8s.io/v1", "apiextensions.k8s.io/v1",
               "coordination.k8s.io/v1", "discovery.k8s.io/v1", "events.k8s.io/v1"):
        assert gv in versions
    assert versions == sorted(versions)


def test_aggregated_discovery_by_accept(sim):
    # kubectl's Accept: v2 first -> v2
    st, h, body = sim.request("GET", "/apis", headers={"Accept": KUBECTL_ACCEPT})
    assert st == 200 and h["content-type"] == V2 and "Accept" in h["vary"]
    d = json.loads(body)
    assert d["kind"] == "APIGroupDiscoveryList" and d["apiVersion"] == "apidiscovery.k8s.io/v2"
    groups = [i["metadata"]["name"] for i in d["items"]]
    assert groups[0] == "apps" and "" not in groups
    apps = d["items"][0]["versions"][0]
    assert apps["version"] == "v1" and apps["freshness"] == "Current"
    deploy = [r for r in apps["resources"] if r["resource"] == "deployments"][0]
    assert deploy["responseKind"] == {"group": "apps", "version": "v1", "kind": "Deployment"}
    assert deploy["scope"] == "Namespaced" and deploy["shortNames"] == ["deploy"]
    assert deploy["categories"] == ["all"] and deploy["singularResource"] == "deployment"
    subs = {s["subresource"]: s for s in deploy["subresources"]}
    assert subs["scale"]["responseKind"] == {"group": "autoscaling", "version": "v1", "kind": "Scale"}
    assert subs["scale"]["verbs"] == ["get", "patch", "update"]
    assert subs["status"]["responseKind"]["kind"] == "Deployment"
    # only v2beta1 offered (kubectl 1.27) -> v2beta1
    st, h, body = sim.request("GET", "/apis", headers={"Accept": V2BETA1 + ",application/json"})
    assert h["content-type"] == V2BETA1
    assert json.loads(body)["apiVersion"] == "apidiscovery.k8s.io/v2beta1"
    # parameter order does not matter
    st, h, body = sim.request("GET", "/api", headers={
        "Accept": "application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io"})
    core = json.loads(body)
    assert h["content-type"] == V2 and [i["metadata"]["name"] for i in core["items"]] == [""]
    pods = [r for r in core["items"][0]["versions"][0]["resources"] if r["resource"] == "pods"][0]
    subs = {s["subresource"]: s for s in pods["subresources"]}
    assert {"log", "status", "exec", "attach", "portforward", "eviction", "binding"} <= set(subs)
    assert subs["eviction"]["responseKind"] == {"group": "policy", "version": "v1", "kind": "Eviction"}
    # plain JSON (Debian's kubectl 1.20) -> legacy documents
    st, h, body = sim.request("GET", "/apis", headers={"Accept": "application/json, */*"})
    assert h["content-type"] == "application/json"
    legacy = json.loads(body)
    assert legacy["kind"] == "APIGroupList"
    apps = [g for g in legacy["groups"] if g["name"] == "apps"][0]
    assert apps["preferredVersion"] == {"groupVersion": "apps/v1", "version": "v1"}
    st, h, body = sim.request("GET", "/api", headers={"Accept": "application/json"})
    assert json.loads(body)["kind"] == "APIVersions" and json.loads(body)["versions"] == ["v1"]


def test_discovery_etag(sim):
    st, h, _ = sim.request("GET", "/apis", headers={"Accept": V2})
    etag = h["etag"]
    st, h, body = sim.request("GET", "/apis", headers={"Accept": V2, "If-None-Match": etag})
    assert st == 304 and body == b""


def test_legacy_group_version_documents(sim):
    st, rl = sim.json("GET", "/api/v1", expect=200)
    assert rl["kind"] == "APIResourceList" and rl["groupVersion"] == "v1"
    by = {r["name"]: r for r in rl["resources"]}
    assert by["pods"]["singularName"] == "pod" and by["pods"]["namespaced"] is True
    assert by["pods"]["shortNames"] == ["po"] and by["pods"]["categories"] == ["all"]
    assert by["pods/log"] == {"name": "pods/log", "singularName": "", "namespaced": True, "kind": "Pod",
                              "verbs": ["get"]}
    assert by["pods/eviction"]["group"] == "policy" and by["pods/eviction"]["kind"] == "Eviction"
    names = [r["name"] for r in rl["resources"]]
    assert names == sorted(names)
    st, rl = sim.json("GET", "/apis/apps/v1", expect=200)
    scale = [r for r in rl["resources"] if r["name"] == "deployments/scale"][0]
    assert scale == {"name": "deployments/scale", "singularName": "", "namespaced": True, "group": "autoscaling",
                     "version": "v1", "kind": "Scale", "verbs": ["get", "patch", "update"]}
    st, g = sim.json("GET", "/apis/apps", expect=200)
    assert g["kind"] == "APIGroup" and g["preferredVersion"]["groupVersion"] == "apps/v1"
    st, body = sim.json("GET", "/apis/nope.example.com/v1")
    assert st == 404 and body["message"] == "the server could not find the requested resource"


def test_short_names_resolve(sim):
    for name in ("po", "ns", "no", "deploy", "rs", "sts", "ds", "cj", "ing", "netpol", "hpa", "pdb", "sc",
                 "crd", "cm", "svc", "sa", "pvc", "pv", "quota", "limits", "ep", "ev"):
        res = sim.kubectl("get", name, "-A", check=False)
        assert res.returncode == 0, (name, res.stderr)
    res = sim.kubectl("get", "nosuchthing", check=False)
    assert res.returncode == 1 and 'the server doesn\'t have a resource type "nosuchthing"' in res.stderr
