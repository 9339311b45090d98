"""kubectl get for every built-in kind against fixture objects: the server-side Table printers of the
1.32 apiserver (columns, wide columns, the cell rules: <none>, <unset>, <pending>, "+ N more...",
quantities, booleans, durations), `kubectl get all`, --show-labels, -L, --sort-by, custom-columns and
jsonpath.

Fixture ages are days or >= 8 hours, so they stay fixed while the module runs.
"""

import json

import pytest

from conftest import table_rows

TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"
ANY = object()   # a cell whose value is not fixed by the fixture (e.g. the age of auto-created objects)


@pytest.fixture(scope="module")
def fx(make_sim):
    return make_sim(objects=["printers/workloads.yaml", "printers/resources.yaml"], args=["--no-controllers"])


def check(fx, args, header, rows, ignore=()):
    """kubectl get output == header + rows (cells compared column by column; ANY matches anything)."""
    out = fx.kubectl(*args).stdout
    got_header, got = table_rows(out)
    assert got_header == header, out
    want = [[c for c in r] for r in rows]
    have = [[r[h] for h in header] for r in got if r[header[0]] not in ignore]
    assert len(have) == len(want), out
    for w, h in zip(want, have):
        assert [x if x is not ANY else h[i] for i, x in enumerate(w)] == h, out


NS = ["-n", "printers"]
WIDE = NS + ["-o", "wide"]

CASES = {
    "deployments": (["get", "deployments"] + WIDE,
                    ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
                    [["bare", "0/1", "0", "0", "47h", "app", "busybox:1.36", "app=bare"],
                     ["web", "1/3", "2", "1", "5d3h", "nginx,log-shipper", "nginx:1.27,fluent/fluent-bit:3.1",
                      "app=web,tier in (edge,front)"]]),
    # kubectl get --subresource=scale: the apiserver's Scale printer
    "scale": (["get", "deploy", "web", "--subresource=scale"] + NS, ["NAME", "DESIRED", "AVAILABLE", "AGE"],
              [["web", "3", "3", "5d3h"]]),
    "replicasets": (["get", "rs"] + WIDE,
                    ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
                    [["web-6b7f6d9c5", "2", "2", "1", "400d", "nginx", "nginx:1.27",
                      "app=web,pod-template-hash=6b7f6d9c5"],
                     ["web-old", "0", "0", "0", "2y10d", "nginx", "nginx:1.25", "app=web,pod-template-hash=old"]]),
    "replicationcontrollers": (["get", "rc"] + WIDE,
                               ["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
                               [["legacy", "4", "4", "3", "9h", "app", "legacy:2", "app=legacy,tier=back"]]),
    "statefulsets": (["get", "sts"] + WIDE, ["NAME", "READY", "AGE", "CONTAINERS", "IMAGES"],
                     [["db", "2/3", "12h", "postgres,exporter", "postgres:16,prom/postgres-exporter:0.15"]]),
    "daemonsets": (["get", "ds"] + WIDE,
                   ["NAME", "DESIRED", "CURRENT", "READY", "UP-TO-DATE", "AVAILABLE", "NODE SELECTOR", "AGE",
                    "CONTAINERS", "IMAGES", "SELECTOR"],
                   [["agent", "3", "3", "2", "1", "2", "disk=ssd,kubernetes.io/os=linux", "30d", "agent", "agent:1",
                     "app=agent"],
                    ["anywhere", "0", "0", "0", "0", "0", "<none>", "30d", "x", "x:1", "app"]]),
    "jobs": (["get", "jobs"] + WIDE,
             ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"],
             [["complete", "Complete", "3/3", "60m", "3d", "work", "busybox:1.36", "job=complete"],
              ["failed", "Failed", "0/1", "", "2d", "work", "busybox:1.36", ANY],
              ["failing", "FailureTarget", "0/1", "", "2d", "work", "busybox:1.36", ANY],
              ["going", "Terminating", "1/2", "", "2d", "work", "busybox:1.36", ANY],
              ["queue", "Running", "1/1 of 4", "10h", "10h", "work", "busybox:1.36", ANY],
              ["suspended", "Suspended", "0/1", "", "2d", "work", "busybox:1.36", ANY]]),
    "cronjobs": (["get", "cronjobs"] + WIDE,
                 ["NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE", "CONTAINERS", "IMAGES",
                  "SELECTOR"],
                 [["nightly", "0 2 * * *", "<none>", "False", "0", "<none>", "8d", "backup", "backup:1", "<none>"],
                  ["report", "*/5 * * * *", "Etc/UTC", "True", "2", "9h", "90d", "report,mail", "report:3,mailer:1",
                   "<none>"]]),
    "controllerrevisions": (["get", "controllerrevisions"] + WIDE, ["NAME", "CONTROLLER", "REVISION", "AGE"],
                            [["db-7d9f8c6b5", "statefulset.apps/db", "3", "12h"],
                             ["orphan-1", "<none>", "1", "12h"]]),
    "horizontalpodautoscalers": (["get", "hpa"] + NS,
                                 ["NAME", "REFERENCE", "TARGETS", "MINPODS", "MAXPODS", "REPLICAS", "AGE"],
                                 [["defaults", "StatefulSet/db", "cpu: <unknown>/80%", "1", "5", "0", "20d"],
                                  ["external", "Deployment/bare", "12/30 (avg), <unknown>/1500m", "1", "3", "1", "20d"],
                                  ["web", "Deployment/web", "cpu: 23%/50%, memory: 314572800/512Mi + 1 more...", "2",
                                   "10", "4", "20d"]]),
    "poddisruptionbudgets": (["get", "pdb"] + NS,
                             ["NAME", "MIN AVAILABLE", "MAX UNAVAILABLE", "ALLOWED DISRUPTIONS", "AGE"],
                             [["db", "N/A", "25%", "0", "20d"], ["web", "2", "N/A", "1", "20d"]]),
    "services": (["get", "svc"] + WIDE,
                 ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"],
                 [["cip", "ClusterIP", "10.96.10.10", "192.0.2.10,192.0.2.11", "80/TCP,53/UDP", "9h",
                   "app=web,tier=front"],
                  ["ext", "ExternalName", "<none>", "db.example.com", "<none>", "9h", "<none>"],
                  ["headless", "ClusterIP", "None", "<none>", "5432/TCP", "9h", "app=db"],
                  ["lb-pending", "LoadBalancer", "10.96.10.12", "<pending>", "8443:31000/TCP", "9h", "<none>"],
                  # not cut to 16 characters: the apiserver prints with the wide option
                  ["lb-ready", "LoadBalancer", "10.96.10.13",
                   "198.51.100.7,203.0.113.20,lb-1234567890.elb.example.com,198.51.100.99", "80:31001/TCP", "9h",
                   "<none>"],
                  ["np", "NodePort", "10.96.10.11", "<none>", "80:30080/TCP,443:30443/TCP", "9h", "app=web"]]),
    "endpoints": (["get", "endpoints"] + NS, ["NAME", "ENDPOINTS", "AGE"],
                  [["cip", "10.244.1.5:8080,10.244.2.7:8080,10.244.1.5:53 + 1 more...", "9h"],
                   ["headless", "10.244.3.3", "9h"], ["np", "<none>", "9h"]]),
    "endpointslices": (["get", "endpointslices"] + NS, ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
                       [["cip-x7k2p", "IPv4", "8080,53,1 + 1 more...", "10.244.1.5,10.244.2.7,10.244.2.8 + 1 more...",
                         "9h"],
                        ["np-empty", "IPv4", "<unset>", "<unset>", "9h"]]),
    "ingresses": (["get", "ingress"] + WIDE, ["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"],
                  [["catch-all", "<none>", "*", "", "80", "9h"],
                   ["many-hosts", "nginx", "a.example.com,b.example.com,c.example.com + 2 more...",
                    "192.0.2.1,lb.example.com", "80, 443", "9h"]]),
    "ingressclasses": (["get", "ingressclasses", "-o", "wide"], ["NAME", "CONTROLLER", "PARAMETERS", "AGE"],
                       [["nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "9h"],
                        ["plain", "example.com/ingress", "<none>", "9h"]]),
    "networkpolicies": (["get", "netpol"] + WIDE, ["NAME", "POD-SELECTOR", "AGE"],
                        [["db-access", "env notin (dev,test),role=db", "9h"], ["deny-all", "<none>", "9h"]]),
    "configmaps": (["get", "cm"] + WIDE, ["NAME", "DATA", "AGE"],
                   [["empty", "0", "9h"], ["kube-root-ca.crt", "1", ANY], ["settings", "3", "9h"]]),
    "secrets": (["get", "secrets"] + WIDE, ["NAME", "TYPE", "DATA", "AGE"],
                [["creds", "Opaque", "2", "9h"], ["hollow", "Opaque", "0", "9h"],
                 ["tls-a", "kubernetes.io/tls", "2", "9h"]]),
    "serviceaccounts": (["get", "sa"] + WIDE, ["NAME", "SECRETS", "AGE"],
                        [["builder", "2", "9h"], ["default", "0", ANY]]),
    "resourcequotas": (["get", "quota"] + WIDE, ["NAME", "REQUEST", "LIMIT", "AGE"],
                       [["compute", "cpu: 500m/2, memory: 1Gi/2Gi, pods: 3/10", "limits.cpu: 1/4, limits.memory: 0/4Gi",
                         "9h"]]),
    "persistentvolumes": (["get", "pv", "-o", "wide"],
                          ["NAME", "CAPACITY", "ACCESS MODES", "RECLAIM POLICY", "STATUS", "CLAIM", "STORAGECLASS",
                           "VOLUMEATTRIBUTESCLASS", "REASON", "AGE", "VOLUMEMODE"],
                          [["pv-bound", "10Gi", "RWO,RWX", "Delete", "Bound", "printers/data", "fast", "gold", "", "9h",
                            "Block"],
                           ["pv-odd", "1536Mi", "ROX,RWOP", "Retain", "Failed", "", "legacy", "<unset>",
                            "Recycle failed", "9h", "Filesystem"]]),
    "persistentvolumeclaims": (["get", "pvc"] + WIDE,
                               ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS MODES", "STORAGECLASS",
                                "VOLUMEATTRIBUTESCLASS", "AGE", "VOLUMEMODE"],
                               [["data", "Bound", "pv-bound", "10Gi", "RWO,RWX", "fast", "<unset>", "9h", "Filesystem"],
                                ["leaving", "Terminating", "", "", "", "", "<unset>", "9h", "Filesystem"],
                                ["waiting", "Pending", "", "", "", "legacy", "silver", "9h", "Block"]]),
    "storageclasses": (["get", "sc"],
                       ["NAME", "PROVISIONER", "RECLAIMPOLICY", "VOLUMEBINDINGMODE", "ALLOWVOLUMEEXPANSION", "AGE"],
                       [["fast", "example.com/fast", "Delete", "Immediate", "false", "9h"],
                        ["standard (default)", "rancher.io/local-path", "Retain", "WaitForFirstConsumer", "true",
                         "9h"]]),
    "events": (["get", "events"] + NS, ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
               [["3d", "Normal", "Sweep", "node", "swept"],
                ["9h", "Warning", "BackOff", "pod/web-1",
                 "Back-off restarting failed container nginx in pod web-1_printers(aaaa-1)"],
                ["10h", "Normal", "Scheduled", "pod/web-2", "Successfully assigned printers/web-2 to node-b"]]),
    "events-wide": (["get", "events"] + WIDE,
                    ["LAST SEEN", "TYPE", "REASON", "OBJECT", "SUBOBJECT", "SOURCE", "MESSAGE", "FIRST SEEN", "COUNT",
                     "NAME"],
                    [["3d", "Normal", "Sweep", "node", "", "", "swept", "3d", "1", "nodes.17a3"],
                     ["9h", "Warning", "BackOff", "pod/web-1", "spec.containers{nginx}", "kubelet, node-a",
                      "Back-off restarting failed container nginx in pod web-1_printers(aaaa-1)", "2d", "3",
                      "web-1.17a1"],
                     ["10h", "Normal", "Scheduled", "pod/web-2", "", "default-scheduler, default-scheduler-node-a",
                      "Successfully assigned printers/web-2 to node-b", "3d", "5", "web-2.17a2"]]),
    "events.k8s.io": (["get", "events.v1.events.k8s.io"] + NS, ["LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"],
                      [["3d", "Normal", "Sweep", "node", "swept"],
                       ["9h", "Warning", "BackOff", "pod/web-1",
                        "Back-off restarting failed container nginx in pod web-1_printers(aaaa-1)"],
                       ["10h", "Normal", "Scheduled", "pod/web-2", "Successfully assigned printers/web-2 to node-b"]]),
    "rolebindings": (["get", "rolebindings"] + WIDE, ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"],
                     [["readers", "Role/reader", "9h", "alice, bob", "devs", "printers/builder, tools/ci"]]),
    "clusterrolebindings": (["get", "clusterrolebinding", "printers-admins", "-o", "wide"],
                            ["NAME", "ROLE", "AGE", "USERS", "GROUPS", "SERVICEACCOUNTS"],
                            [["printers-admins", "ClusterRole/cluster-admin", "9h", "", "printers:admins", ""]]),
    "leases": (["get", "leases"] + WIDE, ["NAME", "HOLDER", "AGE"],
               [["leader", "controller-7f9c_0b8a", "9h"], ["vacant", "", "9h"]]),
    "priorityclasses": (["get", "priorityclasses"],
                        ["NAME", "VALUE", "GLOBAL-DEFAULT", "AGE", "PREEMPTIONPOLICY"],
                        [["batch-low", "-10", "false", "9h", "PreemptLowerPriority"],
                         ["critical", "1000000", "true", "9h", "Never"],
                         # created by the apiserver itself on every cluster
                         ["system-cluster-critical", "2000000000", "false", ANY, "PreemptLowerPriority"],
                         ["system-node-critical", "2000001000", "false", ANY, "PreemptLowerPriority"]]),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_get_kind(fx, case):
    args, header, rows = CASES[case]
    check(fx, args, header, rows)


@pytest.mark.parametrize("args,path", [
    (["get", "limitranges"] + NS, "/api/v1/namespaces/printers/limitranges/defaults"),
    (["get", "roles"] + NS, "/apis/rbac.authorization.k8s.io/v1/namespaces/printers/roles/reader"),
    (["get", "crd", "widgets.example.com"], "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"),
])
def test_kinds_without_printer_show_created_at(fx, args, path):
    """LimitRanges, Roles and CRDs have no printer on a real apiserver: NAME and CREATED AT (RFC3339)."""
    header, rows = table_rows(fx.kubectl(*args).stdout)
    assert header == ["NAME", "CREATED AT"]
    _, obj = fx.json("GET", path, expect=200)
    assert [(r["NAME"], r["CREATED AT"]) for r in rows] == [(obj["metadata"]["name"],
                                                             obj["metadata"]["creationTimestamp"])]


def test_table_cell_types_and_column_definitions(fx):
    """Numbers are JSON integers, booleans JSON booleans, wide columns carry priority 1."""
    _, _, data = fx.request("GET", "/apis/apps/v1/namespaces/printers/deployments/web", headers={"Accept": TABLE})
    t = json.loads(data)
    assert [(c["name"], c["type"], c["priority"]) for c in t["columnDefinitions"]] == [
        ("Name", "string", 0), ("Ready", "string", 0), ("Up-to-date", "string", 0), ("Available", "string", 0),
        ("Age", "string", 0), ("Containers", "string", 1), ("Images", "string", 1), ("Selector", "string", 1)]
    assert t["columnDefinitions"][0]["format"] == "name"
    assert t["rows"][0]["cells"][:4] == ["web", "1/3", 2, 1]
    assert t["rows"][0]["object"]["kind"] == "PartialObjectMetadata"
    _, _, data = fx.request("GET", "/apis/scheduling.k8s.io/v1/priorityclasses/critical", headers={"Accept": TABLE})
    t = json.loads(data)
    assert [(c["name"], c["type"]) for c in t["columnDefinitions"]][:3] == [
        ("Name", "string"), ("Value", "integer"), ("Global-Default", "boolean")]
    assert t["rows"][0]["cells"][:3] == ["critical", 1000000, True]
    _, _, data = fx.request("GET", "/apis/batch/v1/namespaces/printers/cronjobs/report", headers={"Accept": TABLE})
    cells = json.loads(data)["rows"][0]["cells"]
    assert cells[3:5] == ["True", 2]       # printBoolPtr gives a string, len(active) an integer
    _, _, data = fx.request("GET", "/api/v1/namespaces/printers/events", headers={"Accept": TABLE})
    t = json.loads(data)
    assert [c["name"] for c in t["columnDefinitions"] if c["priority"] == 1] == [
        "Subobject", "Source", "First Seen", "Count", "Name"]
    assert {r["cells"][9]: r["cells"][8] for r in t["rows"]} == {"nodes.17a3": 1, "web-1.17a1": 3, "web-2.17a2": 5}


def test_get_all(fx):
    out = fx.kubectl("get", "all", "-n", "printers").stdout
    blocks = [b.splitlines() for b in out.strip().split("\n\n")]
    firsts = {b[1].split()[0].split("/")[0] for b in blocks}
    assert firsts == {"replicationcontroller", "service", "daemonset.apps", "deployment.apps", "replicaset.apps",
                      "statefulset.apps", "horizontalpodautoscaler.autoscaling", "cronjob.batch", "job.batch"}
    by_kind = {b[1].split()[0].split("/")[0]: b for b in blocks}
    header, rows = table_rows("\n".join(by_kind["deployment.apps"]))
    assert header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
    assert [(r["NAME"], r["READY"]) for r in rows] == [("deployment.apps/bare", "0/1"), ("deployment.apps/web", "1/3")]
    header, rows = table_rows("\n".join(by_kind["service"]))
    assert header == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert rows[0] == {"NAME": "service/cip", "TYPE": "ClusterIP", "CLUSTER-IP": "10.96.10.10",
                       "EXTERNAL-IP": "192.0.2.10,192.0.2.11", "PORT(S)": "80/TCP,53/UDP", "AGE": "9h"}


def test_show_labels_and_label_columns(fx):
    header, rows = table_rows(fx.kubectl("get", "deploy", "-n", "printers", "--show-labels").stdout)
    assert header[-1] == "LABELS"
    assert {r["NAME"]: r["LABELS"] for r in rows} == {"bare": "<none>", "web": "app=web,tier=front"}
    header, rows = table_rows(fx.kubectl("get", "deploy", "-n", "printers", "-L", "tier,app").stdout)
    assert header == ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE", "TIER", "APP"]
    assert {r["NAME"]: (r["TIER"], r["APP"]) for r in rows} == {"bare": ("", ""), "web": ("front", "web")}


def test_sort_by_asks_for_objects(fx):
    out = fx.kubectl("get", "deploy", "-n", "printers", "--sort-by=.metadata.creationTimestamp").stdout
    assert [r["NAME"] for r in table_rows(out)[1]] == ["web", "bare"]
    out = fx.kubectl("get", "sc", "--sort-by=.provisioner").stdout
    assert [r["NAME"] for r in table_rows(out)[1]] == ["fast", "standard (default)"]
    logged = [r for r in fx.requests_logged() if r["path"].endswith("/storageclasses")]
    assert any("includeObject=Object" in r["query"] and "limit=" not in r["query"] for r in logged)


def test_custom_columns_and_jsonpath(fx):
    out = fx.kubectl("get", "svc", "-n", "printers", "-o",
                     "custom-columns=NAME:.metadata.name,TYPE:.spec.type,PORTS:.spec.ports[*].port").stdout
    header, rows = table_rows(out)
    assert header == ["NAME", "TYPE", "PORTS"]
    assert {r["NAME"]: (r["TYPE"], r["PORTS"]) for r in rows}["np"] == ("NodePort", "80,443")
    out = fx.kubectl("get", "pvc", "-n", "printers", "-o",
                     "jsonpath={range .items[*]}{.metadata.name}={.spec.volumeMode}{\"\\n\"}{end}").stdout
    assert out.splitlines() == ["data=Filesystem", "leaving=Filesystem", "waiting=Block"]


def test_single_object_and_watch_tables(fx):
    """A GET of one object and the first watch event carry the same printer."""
    header, rows = table_rows(fx.kubectl("get", "ingress", "many-hosts", "-n", "printers").stdout)
    assert rows[0]["HOSTS"] == "a.example.com,b.example.com,c.example.com + 2 more..."
    c, r = fx.watch("/apis/networking.k8s.io/v1/namespaces/printers/ingresses?watch=true&timeoutSeconds=2",
                    headers={"Accept": TABLE})
    try:
        line = r.readline()
    finally:
        c.close()
    ev = json.loads(line)
    assert [cd["name"] for cd in ev["object"]["columnDefinitions"]] == ["Name", "Class", "Hosts", "Address", "Ports",
                                                                        "Age"]
    assert ev["object"]["rows"][0]["cells"][1:3] in (["<none>", "*"], ["nginx", "a.example.com,b.example.com,"
                                                                                "c.example.com + 2 more..."])


DESCRIBABLE = ["deploy", "rs", "rc", "sts", "ds", "job", "cronjob", "controllerrevisions", "hpa", "pdb", "svc", "ep",
               "endpointslices", "ingress", "netpol", "cm", "secret", "sa", "quota", "limits", "pvc", "events", "role",
               "rolebinding", "lease"]


@pytest.mark.parametrize("kind", DESCRIBABLE)
def test_describe_every_fixture_object(fx, kind):
    """kubectl's describers dereference fields the apiserver always defaults (e.g. EndpointSlice port
    protocols): every fixture object must describe without an error."""
    res = fx.kubectl("describe", kind, "-n", "printers", check=False)
    assert res.returncode == 0 and res.stderr == "", res.stderr
    assert res.stdout.startswith("Name:")


def test_describe_defaulted_fields(fx):
    out = fx.kubectl("describe", "endpointslice", "cip-x7k2p", "-n", "printers").stdout
    ports = [" ".join(ln.split()) for ln in out.splitlines()[6:12]]
    assert ports == ["Name Port Protocol", "---- ---- --------", "http 8080 TCP", "dns 53 UDP", "a 1 TCP", "b 2 TCP"]
    fx.kubectl("apply", "-f", "-", input="""
apiVersion: v1
kind: LimitRange
metadata: {name: bounds, namespace: printers}
spec:
  limits:
  - {type: Container, max: {cpu: "2", memory: 1Gi}, min: {cpu: 100m}}
""")
    _, lr = fx.json("GET", "/api/v1/namespaces/printers/limitranges/bounds", expect=200)
    item = lr["spec"]["limits"][0]
    assert (item["default"], item["defaultRequest"]) == ({"cpu": "2", "memory": "1Gi"}, {"cpu": "2", "memory": "1Gi"})
