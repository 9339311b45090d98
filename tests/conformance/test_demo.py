"""--demo: the cluster issue 3 asks for, checked through kubectl (controllers on, as `make demo` runs it)."""

import time

import pytest

from conftest import table_rows


@pytest.fixture(scope="module")
def demo(make_sim):
    return make_sim(args=["--demo", "--seed", "2"])


def rows(sim, *args):
    return table_rows(sim.kubectl("get", *args).stdout)[1]


def wait_rows(sim, args, pred, limit=20):
    deadline = time.time() + limit
    while True:
        got = rows(sim, *args)
        if pred(got) or time.time() > deadline:
            return got
        time.sleep(0.5)


def test_namespaces_and_nodes(demo):
    names = {r["NAME"] for r in rows(demo, "namespaces")}
    assert {"shop", "payments", "monitoring", "churn"} <= names
    nodes = {r["NAME"]: r["STATUS"] for r in rows(demo, "nodes")}
    assert len(nodes) >= 3
    assert "Ready,SchedulingDisabled" in nodes.values()
    assert "NotReady" in nodes.values()
    assert list(nodes.values()).count("Ready") >= 2


def test_workloads_come_alive(demo):
    deploys = {(r["NAMESPACE"], r["NAME"]) for r in rows(demo, "deployments", "-A")}
    assert {("shop", "frontend"), ("shop", "cart"), ("shop", "recommendations"), ("payments", "checkout"),
            ("monitoring", "prometheus"), ("monitoring", "legacy-reports")} <= deploys
    assert [r["NAME"] for r in rows(demo, "statefulsets", "-n", "payments")] == ["postgres"]
    assert [r["NAME"] for r in rows(demo, "daemonsets", "-n", "monitoring")] == ["node-exporter"]
    assert "ledger-migrate-v42" in {r["NAME"] for r in rows(demo, "jobs", "-n", "payments")}
    cj = rows(demo, "cronjobs", "-n", "monitoring")
    assert cj[0]["NAME"] == "nightly-report" and cj[0]["SCHEDULE"] == "*/2 * * * *"
    # the crash-looping deployment crash-loops, the broken image fails to pull, the rest runs
    def settled(rs):
        ready = {r["NAME"].rsplit("-", 2)[0]: r["READY"] for r in rs}
        return {"CrashLoopBackOff", "ImagePullBackOff", "Running"} <= {r["STATUS"] for r in rs} and \
            ready.get("frontend") == "1/1" and ready.get("prometheus") == "2/2"
    pods = wait_rows(demo, ("pods", "-A"), settled)
    by = {}
    for r in pods:
        by.setdefault(r["STATUS"], []).append(r["NAME"])
    assert any(n.startswith("recommendations-") for n in by.get("CrashLoopBackOff", [])), by
    assert any(n.startswith("legacy-reports-") for n in by.get("ImagePullBackOff", [])), by
    assert any(n.startswith("postgres-") for n in by.get("Running", [])), by
    assert "gpu-job-1" in by.get("Pending", []), by
    # prometheus has an init container and a sidecar (a restartable init container): READY counts it
    assert [r["READY"] for r in pods if r["NAME"].startswith("prometheus-")] == ["2/2"]
    image = demo.kubectl("get", "deploy", "recommendations", "-n", "shop", "-o",
                         "jsonpath={.spec.template.spec.containers[0].image}").stdout
    assert "crashloop" in image


def test_services_of_every_type_and_an_ingress(demo):
    svcs = {(r["NAMESPACE"], r["NAME"]): r for r in rows(demo, "services", "-A")}
    types = {r["TYPE"] for r in svcs.values()}
    assert {"ClusterIP", "NodePort", "LoadBalancer", "ExternalName"} <= types
    assert svcs[("shop", "frontend")]["EXTERNAL-IP"] == "203.0.113.10"
    assert svcs[("payments", "postgres")]["CLUSTER-IP"] == "None"          # headless
    assert svcs[("payments", "stripe")]["EXTERNAL-IP"] == "api.stripe.com"
    assert ":" in svcs[("payments", "checkout")]["PORT(S)"]                 # port:nodePort/TCP
    ing = rows(demo, "ingress", "-n", "shop")
    assert ing[0]["CLASS"] == "nginx" and ing[0]["ADDRESS"] == "203.0.113.10" and ing[0]["PORTS"] == "80, 443"


def test_config_secrets_and_storage(demo):
    cms = {(r["NAMESPACE"], r["NAME"]) for r in rows(demo, "configmaps", "-A")}
    assert {("shop", "frontend-config"), ("monitoring", "prometheus-config")} <= cms
    types = {r["TYPE"] for r in rows(demo, "secrets", "-A")}
    assert {"Opaque", "kubernetes.io/tls", "kubernetes.io/dockerconfigjson"} <= types
    pvcs = rows(demo, "pvc", "-n", "payments")
    assert pvcs and all(r["STATUS"] == "Bound" for r in pvcs)
    pvs = rows(demo, "pv")
    assert {r["CLAIM"] for r in pvs} >= {"payments/data-postgres-0", "payments/data-postgres-1"}
    assert all(r["STATUS"] == "Bound" for r in pvs)


def test_access_policy_and_custom_resources(demo):
    assert "prometheus" in {r["NAME"] for r in rows(demo, "serviceaccounts", "-n", "monitoring")}
    assert "deployer" in {r["NAME"] for r in rows(demo, "roles", "-n", "shop")}
    assert "Role/deployer" in {r["ROLE"] for r in rows(demo, "rolebindings", "-n", "shop")}
    assert "prometheus" in {r["NAME"] for r in rows(demo, "clusterroles")}
    assert "ClusterRole/prometheus" in {r["ROLE"] for r in rows(demo, "clusterrolebindings")}
    assert rows(demo, "resourcequota", "-n", "shop")[0]["NAME"] == "compute"
    assert rows(demo, "limitrange", "-n", "shop")[0]["NAME"] == "defaults"
    hpa = rows(demo, "hpa", "-n", "shop")[0]
    assert hpa["REFERENCE"] == "Deployment/frontend" and hpa["MINPODS"] == "3"
    out = demo.kubectl("get", "backups", "-A", "-o", "wide").stdout
    header, bk = table_rows(out)
    assert header == ["NAMESPACE", "NAME", "SCHEDULE", "STATUS", "LAST BACKUP", "AGE", "TARGET"]
    assert {(r["NAME"], r["STATUS"]) for r in bk} == {("postgres-nightly", "Succeeded"), ("cart-hourly", "Failed")}


def test_normal_and_warning_events(demo):
    evs = rows(demo, "events", "-A")
    assert {"Normal", "Warning"} <= {r["TYPE"] for r in evs}
    reasons = {r["REASON"] for r in evs}
    assert {"NodeNotReady", "FailedGetResourceMetric", "ProvisioningSucceeded"} <= reasons
    # the kubelet and the controllers add theirs as they work
    assert {"Scheduled", "Started"} & reasons


def test_churn_and_logs(demo):
    first = {r["NAME"] for r in rows(demo, "pods", "-n", "churn")}
    later = wait_rows(demo, ("pods", "-n", "churn"), lambda rs: {r["NAME"] for r in rs} != first, limit=15)
    assert {r["NAME"] for r in later} != first
    out = demo.kubectl("logs", "-n", "shop", "deploy/frontend", "--tail=3").stdout
    assert len(out.splitlines()) >= 1
