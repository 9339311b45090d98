"""--demo: a realistic cluster to explore (issue 3), brought to life by the simulated controllers.

Namespaces shop, payments, monitoring and churn; 4 nodes (kubesim-node-1 control-plane, -2, -3 cordoned,
-4 NotReady). What is in it:

  workloads   Deployments frontend, cart, recommendations (crash-looping: its image contains `crashloop`),
              checkout, prometheus (an init container and a sidecar), legacy-reports (its image contains
              `does-not-exist`: the pull fails); StatefulSet postgres (2 replicas, volume claims bound to
              PVs); DaemonSet node-exporter; Job ledger-migrate (runs kubesim.io/run-seconds, completes);
              CronJob nightly-report (every 2 minutes); a bare pod gpu-job-1 that no node fits (Pending)
  network     Services of every type: ClusterIP cart and prometheus, NodePort checkout, LoadBalancer
              frontend (with an ingress IP), ExternalName stripe, headless postgres; Ingress shop (TLS,
              nginx IngressClass); a NetworkPolicy
  config      ConfigMaps; Secrets of type Opaque, kubernetes.io/tls and kubernetes.io/dockerconfigjson
  storage     StorageClass standard (default), PVs and bound PVCs
  access      ServiceAccounts, a Role and RoleBinding, a ClusterRole and ClusterRoleBinding
  policy      ResourceQuota and LimitRange in shop, HPA on frontend, PodDisruptionBudget on postgres
  custom      CRD backups.stable.example.com (printer columns Schedule, Status, Last Backup, Age) and
              two Backups
  events      Normal and Warning events, on top of what the controllers and the kubelet record
  churn       a pod created or deleted in `churn` every 3 s (or --churn R over the demo namespaces);
              every container writes logs (pods/log)

The workload controllers create the ReplicaSets and pods; with --no-controllers the demo stays frozen as
created (workloads without pods).
"""

import base64
import random
import threading
import time
import uuid

from . import bootstrap, errors, ops, util
from .resources import REGISTRY

DEMO_NAMESPACES = ["shop", "payments", "monitoring", "churn"]
ACTIVE = False      # set by setup(): --churn then targets the demo namespaces

LB_IP = "203.0.113.10"


def _pod(name, ns, image="nginx:1.27", labels=None, **spec_extra):
    spec = {"containers": [{"name": "main", "image": image, "ports": [{"containerPort": 80}]}]}
    spec.update(spec_extra)
    return {"apiVersion": "v1", "kind": "Pod",
            "metadata": {"name": name, "namespace": ns, "labels": labels or {"app": name.rsplit("-", 1)[0]}},
            "spec": spec}


class _Clock:
    """Timestamps relative to the demo's start, and deterministic uids."""

    def __init__(self, now, seed="demo"):
        self.now = now
        self.rng = random.Random("kubesim-demo-%s" % seed)

    def ago(self, seconds):
        return util.rfc3339(self.now - seconds)

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))


D = 86400
H = 3600


def _meta(name, ns=None, age=None, clock=None, labels=None, annotations=None, uid=None):
    md = {"name": name}
    if ns:
        md["namespace"] = ns
    if uid:
        md["uid"] = uid
    if age is not None:
        md["creationTimestamp"] = clock.ago(age)
    if labels:
        md["labels"] = labels
    if annotations:
        md["annotations"] = annotations
    return md


def _container(name, image, port=None, cpu="100m", mem="128Mi", mem_limit="256Mi", probe=None, env=None,
               **extra):
    c = {"name": name, "image": image}
    if port:
        c["ports"] = [{"name": "http" if port not in (5432, 6379, 9100) else name, "containerPort": port,
                       "protocol": "TCP"}]
    if env:
        c["env"] = env
    c["resources"] = {"requests": {"cpu": cpu, "memory": mem}, "limits": {"memory": mem_limit}}
    if probe:
        c["readinessProbe"] = {"httpGet": {"path": probe, "port": port}, "initialDelaySeconds": 2,
                               "periodSeconds": 10}
    c.update(extra)
    return c


def _deployment(c, name, ns, replicas, containers, age, labels=None, annotations=None, **spec_extra):
    labels = labels or {"app": name}
    pod_spec = {"containers": containers}
    pod_spec.update(spec_extra)
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": _meta(name, ns, age, c, labels=dict(labels), annotations=annotations),
            "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": labels["app"]}},
                     "template": {"metadata": {"labels": dict(labels)}, "spec": pod_spec}}}


def _service(c, name, ns, age, ports, selector=None, **spec):
    s = {"ports": ports}
    if selector:
        s["selector"] = selector
    s.update(spec)
    return {"apiVersion": "v1", "kind": "Service", "metadata": _meta(name, ns, age, c), "spec": s}


def _b64(text):
    return base64.b64encode(text.encode()).decode()


_FAKE_CERT = ("-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUd2VsbC1rbm93bi1kZW1vLWNlcnRpZmljYXRlMAoGCCqGSM49\n"
              "BAMCMBwxGjAYBgNVBAMMEXNob3AuZXhhbXBsZS5jb20wHhcNMjUwMTAxMDAwMDAwWhcN\n"
              "-----END CERTIFICATE-----\n")
_FAKE_KEY = ("-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIGRlbW8ta2V5LW5vdC1hLXJlYWwta2V5LWZvci1hbnl0aGluZ6AKBggq\n"
             "-----END EC PRIVATE KEY-----\n")


def objects(clock):
    """Every demo object, in creation order (CRDs before their instances)."""
    c = clock
    out = []
    add = out.append

    # ---- storage --------------------------------------------------------------------------------
    add({"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass",
         "metadata": _meta("standard", None, 40 * D, c,
                           annotations={"storageclass.kubernetes.io/is-default-class": "true"}),
         "provisioner": "rancher.io/local-path", "reclaimPolicy": "Delete",
         "volumeBindingMode": "WaitForFirstConsumer"})
    for i, node in ((0, "kubesim-node-1"), (1, "kubesim-node-2")):
        pvc_uid = c.uid()
        pv_name = "pvc-" + pvc_uid
        claim = "data-postgres-%d" % i
        add({"apiVersion": "v1", "kind": "PersistentVolume",
             "metadata": _meta(pv_name, None, 12 * D, c,
                               annotations={"pv.kubernetes.io/provisioned-by": "rancher.io/local-path"}),
             "spec": {"capacity": {"storage": "10Gi"}, "accessModes": ["ReadWriteOnce"],
                      "persistentVolumeReclaimPolicy": "Delete", "storageClassName": "standard",
                      "volumeMode": "Filesystem",
                      "claimRef": {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "namespace": "payments",
                                   "name": claim, "uid": pvc_uid},
                      "hostPath": {"path": "/var/local-path-provisioner/%s_payments_%s" % (pv_name, claim),
                                   "type": "DirectoryOrCreate"},
                      "nodeAffinity": {"required": {"nodeSelectorTerms": [{"matchExpressions": [
                          {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}]}]}}},
             "status": {"phase": "Bound", "lastPhaseTransitionTime": c.ago(12 * D)}})
        md = _meta(claim, "payments", 12 * D, c, labels={"app": "postgres"}, uid=pvc_uid,
                   annotations={"pv.kubernetes.io/bind-completed": "yes",
                                "pv.kubernetes.io/bound-by-controller": "yes",
                                "volume.beta.kubernetes.io/storage-provisioner": "rancher.io/local-path",
                                "volume.kubernetes.io/selected-node": node,
                                "volume.kubernetes.io/storage-provisioner": "rancher.io/local-path"})
        md["finalizers"] = ["kubernetes.io/pvc-protection"]
        add({"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": md,
             "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "10Gi"}},
                      "storageClassName": "standard", "volumeMode": "Filesystem", "volumeName": pv_name},
             "status": {"phase": "Bound", "accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}}})

    # ---- config ---------------------------------------------------------------------------------
    add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("frontend-config", "shop", 30 * D, c),
         "data": {"nginx.conf": "server {\n  listen 8080;\n  location / { proxy_pass http://cart:6379; }\n}\n",
                  "FEATURE_FLAGS": "new-checkout,dark-mode"}})
    add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("checkout-flags", "payments", 9 * D, c),
         "data": {"RETRY_LIMIT": "3", "PSP": "stripe", "TIMEOUT": "30s"}})
    add({"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("prometheus-config", "monitoring", 20 * D, c),
         "data": {"prometheus.yml": "global:\n  scrape_interval: 30s\nscrape_configs:\n- job_name: kubernetes-pods\n"
                                    "  kubernetes_sd_configs:\n  - role: pod\n"}})
    add({"apiVersion": "v1", "kind": "Secret", "metadata": _meta("shop-tls", "shop", 30 * D, c),
         "type": "kubernetes.io/tls", "data": {"tls.crt": _b64(_FAKE_CERT), "tls.key": _b64(_FAKE_KEY)}})
    add({"apiVersion": "v1", "kind": "Secret", "metadata": _meta("postgres-credentials", "payments", 12 * D, c),
         "type": "Opaque", "data": {"username": _b64("ledger"), "password": _b64("demo-only-not-a-secret"),
                                    "database": _b64("ledger")}})
    docker = '{"auths":{"ghcr.io":{"username":"demo","password":"demo-token","auth":"%s"}}}' % _b64("demo:demo-token")
    add({"apiVersion": "v1", "kind": "Secret", "metadata": _meta("regcred", "payments", 9 * D, c),
         "type": "kubernetes.io/dockerconfigjson", "data": {".dockerconfigjson": _b64(docker)}})

    # ---- access ---------------------------------------------------------------------------------
    add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta("prometheus", "monitoring", 20 * D, c)})
    add({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": _meta("ci-deployer", "shop", 30 * D, c)})
    add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
         "metadata": _meta("prometheus", None, 20 * D, c),
         "rules": [{"apiGroups": [""], "resources": ["nodes", "pods", "services", "endpoints"],
                    "verbs": ["get", "list", "watch"]},
                   {"nonResourceURLs": ["/metrics"], "verbs": ["get"]}]})
    add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
         "metadata": _meta("prometheus", None, 20 * D, c),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "prometheus"},
         "subjects": [{"kind": "ServiceAccount", "name": "prometheus", "namespace": "monitoring"}]})
    add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": _meta("deployer", "shop", 30 * D, c),
         "rules": [{"apiGroups": ["apps"], "resources": ["deployments", "deployments/scale"],
                    "verbs": ["get", "list", "watch", "patch", "update"]},
                   {"apiGroups": [""], "resources": ["pods", "pods/log"], "verbs": ["get", "list", "watch"]}]})
    add({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": _meta("deployer", "shop", 30 * D, c),
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "deployer"},
         "subjects": [{"kind": "ServiceAccount", "name": "ci-deployer", "namespace": "shop"},
                      {"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": "jane"}]})

    # ---- policy ---------------------------------------------------------------------------------
    add({"apiVersion": "v1", "kind": "ResourceQuota", "metadata": _meta("compute", "shop", 30 * D, c),
         "spec": {"hard": {"limits.memory": "32Gi", "pods": "50", "requests.cpu": "8", "requests.memory": "16Gi"}},
         "status": {"hard": {"limits.memory": "32Gi", "pods": "50", "requests.cpu": "8", "requests.memory": "16Gi"},
                    "used": {"limits.memory": "3Gi", "pods": "8", "requests.cpu": "1100m",
                             "requests.memory": "1536Mi"}}})
    add({"apiVersion": "v1", "kind": "LimitRange", "metadata": _meta("defaults", "shop", 30 * D, c),
         "spec": {"limits": [{"type": "Container", "default": {"cpu": "500m", "memory": "512Mi"},
                              "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                              "max": {"cpu": "2", "memory": "2Gi"}}]}})
    add({"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
         "metadata": _meta("frontend", "shop", 30 * D, c),
         "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "frontend"},
                  "minReplicas": 3, "maxReplicas": 10,
                  "metrics": [{"type": "Resource", "resource": {"name": "cpu", "target": {
                      "type": "Utilization", "averageUtilization": 70}}}]},
         "status": {"lastScaleTime": c.ago(2 * D), "currentReplicas": 3, "desiredReplicas": 3,
                    "currentMetrics": [{"type": "Resource", "resource": {"name": "cpu", "current": {
                        "averageValue": "42m", "averageUtilization": 42}}}],
                    "conditions": [
                        {"type": "AbleToScale", "status": "True", "lastTransitionTime": c.ago(30 * D),
                         "reason": "ReadyForNewScale", "message": "recommended size matches current size"},
                        {"type": "ScalingActive", "status": "True", "lastTransitionTime": c.ago(30 * D),
                         "reason": "ValidMetricFound",
                         "message": "the HPA was able to successfully calculate a replica count from cpu "
                                    "resource utilization (percentage of request)"},
                        {"type": "ScalingLimited", "status": "True", "lastTransitionTime": c.ago(2 * D),
                         "reason": "TooFewReplicas",
                         "message": "the desired replica count is less than the minimum replica count"}]}})
    add({"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": _meta("postgres", "payments", 12 * D, c),
         "spec": {"minAvailable": 1, "selector": {"matchLabels": {"app": "postgres"}}}})
    add({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
         "metadata": _meta("postgres-ingress", "payments", 12 * D, c),
         "spec": {"podSelector": {"matchLabels": {"app": "postgres"}}, "policyTypes": ["Ingress"],
                  "ingress": [{"from": [{"podSelector": {"matchLabels": {"app": "checkout"}}}],
                               "ports": [{"protocol": "TCP", "port": 5432}]}]}})

    # ---- workloads --------------------------------------------------------------------------------
    add(_deployment(c, "frontend", "shop", 3, [
        _container("nginx", "nginx:1.27.3", 8080, probe="/", env=[{"name": "UPSTREAM", "value": "cart:6379"}],
                   volumeMounts=[{"name": "config", "mountPath": "/etc/nginx/conf.d", "readOnly": True}])],
        30 * D, labels={"app": "frontend", "tier": "web"},
        volumes=[{"name": "config", "configMap": {"name": "frontend-config"}}]))
    add(_deployment(c, "cart", "shop", 2, [_container("redis", "redis:7.2.5", 6379, cpu="50m")], 30 * D,
                    labels={"app": "cart", "tier": "backend"}))
    add(_deployment(c, "recommendations", "shop", 2, [
        _container("recommender", "ghcr.io/example/recommendations:2.1.0-crashloop", 8000, cpu="200m",
                   mem="256Mi", mem_limit="512Mi")], 3 * D, labels={"app": "recommendations", "tier": "backend"},
        annotations={"kubernetes.io/change-cause": "deploy 2.1.0 (crash-looping on purpose)"}))
    add(_deployment(c, "checkout", "payments", 2, [
        _container("checkout", "ghcr.io/example/checkout:2.3.1", 8443, probe="/healthz",
                   env=[{"name": "DB_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "postgres-credentials",
                                                                               "key": "password"}}}],
                   envFrom=[{"configMapRef": {"name": "checkout-flags"}}])],
        9 * D, labels={"app": "checkout", "tier": "backend"}, imagePullSecrets=[{"name": "regcred"}]))
    add(_deployment(c, "prometheus", "monitoring", 1, [
        _container("prometheus", "quay.io/prometheus/prometheus:v2.53.0", 9090, cpu="250m", mem="512Mi",
                   mem_limit="1Gi", probe="/-/ready",
                   volumeMounts=[{"name": "config", "mountPath": "/etc/prometheus", "readOnly": True}])],
        20 * D, serviceAccountName="prometheus",
        initContainers=[{"name": "init-config", "image": "busybox:1.36",
                         "command": ["sh", "-c", "cp /config/* /etc/prometheus/"]},
                        {"name": "config-reloader", "image": "quay.io/prometheus-operator/prometheus-config-reloader:v0.75.0",
                         "restartPolicy": "Always"}],
        volumes=[{"name": "config", "configMap": {"name": "prometheus-config"}}]))
    add(_deployment(c, "legacy-reports", "monitoring", 1, [
        _container("reports", "registry.example.com/reports/does-not-exist:1.0", 8080)], 1 * D))
    add({"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": _meta("postgres", "payments", 12 * D, c,
                                                                          labels={"app": "postgres"}),
         "spec": {"replicas": 2, "serviceName": "postgres", "selector": {"matchLabels": {"app": "postgres"}},
                  "template": {"metadata": {"labels": {"app": "postgres"}}, "spec": {"containers": [
                      _container("postgres", "postgres:16.4", 5432, cpu="250m", mem="512Mi", mem_limit="1Gi",
                                 env=[{"name": "POSTGRES_PASSWORD", "valueFrom": {"secretKeyRef": {
                                     "name": "postgres-credentials", "key": "password"}}}],
                                 volumeMounts=[{"name": "data", "mountPath": "/var/lib/postgresql/data"}])]}},
                  "volumeClaimTemplates": [{"metadata": {"name": "data"}, "spec": {
                      "accessModes": ["ReadWriteOnce"], "storageClassName": "standard",
                      "resources": {"requests": {"storage": "10Gi"}}}}]}})
    add({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": _meta("node-exporter", "monitoring", 20 * D, c,
                                                                        labels={"app": "node-exporter"}),
         "spec": {"selector": {"matchLabels": {"app": "node-exporter"}},
                  "template": {"metadata": {"labels": {"app": "node-exporter"}}, "spec": {
                      "hostNetwork": True, "hostPID": True,
                      "tolerations": [{"key": "node-role.kubernetes.io/control-plane", "operator": "Exists",
                                       "effect": "NoSchedule"}],
                      "containers": [_container("node-exporter", "quay.io/prometheus/node-exporter:v1.8.2", 9100,
                                                cpu="50m", mem="32Mi", mem_limit="64Mi",
                                                args=["--path.rootfs=/host"])]}}}})
    add({"apiVersion": "batch/v1", "kind": "Job", "metadata": _meta("ledger-migrate-v42", "payments", None, c),
         "spec": {"backoffLimit": 2, "template": {
             "metadata": {"annotations": {"kubesim.io/run-seconds": "20"}},
             "spec": {"restartPolicy": "Never", "containers": [
                 _container("migrate", "ghcr.io/example/ledger-migrations:42", cpu="100m",
                            args=["migrate", "--to=42"])]}}}})
    add({"apiVersion": "batch/v1", "kind": "CronJob", "metadata": _meta("nightly-report", "monitoring", 20 * D, c),
         "spec": {"schedule": "*/2 * * * *", "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                  "jobTemplate": {"spec": {"template": {
                      "metadata": {"annotations": {"kubesim.io/run-seconds": "15"}},
                      "spec": {"restartPolicy": "OnFailure", "containers": [
                          _container("report", "ghcr.io/example/report-generator:1.9", cpu="100m",
                                     args=["--since=24h"])]}}}}}})
    add(_pod("gpu-job-1", "payments", image="ghcr.io/example/trainer:0.9",
             labels={"app": "trainer"}, nodeSelector={"accelerator": "nvidia-h100"}))

    # ---- network ----------------------------------------------------------------------------------
    lb = _service(c, "frontend", "shop", 30 * D, [{"name": "http", "port": 80, "targetPort": 8080}],
                  {"app": "frontend"}, type="LoadBalancer")
    lb["status"] = {"loadBalancer": {"ingress": [{"ip": LB_IP, "ipMode": "VIP"}]}}
    add(lb)
    add(_service(c, "cart", "shop", 30 * D, [{"name": "redis", "port": 6379}], {"app": "cart"}))
    add(_service(c, "checkout", "payments", 9 * D, [{"name": "https", "port": 8443}], {"app": "checkout"},
                 type="NodePort"))
    add(_service(c, "postgres", "payments", 12 * D, [{"name": "postgres", "port": 5432}], {"app": "postgres"},
                 clusterIP="None"))
    add(_service(c, "stripe", "payments", 9 * D, [{"port": 443}], None, type="ExternalName",
                 externalName="api.stripe.com"))
    add(_service(c, "prometheus", "monitoring", 20 * D, [{"name": "web", "port": 9090}], {"app": "prometheus"}))
    add({"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
         "metadata": _meta("nginx", None, 40 * D, c,
                           annotations={"ingressclass.kubernetes.io/is-default-class": "true"}),
         "spec": {"controller": "k8s.io/ingress-nginx"}})
    add({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": _meta("shop", "shop", 30 * D, c),
         "spec": {"ingressClassName": "nginx",
                  "tls": [{"hosts": ["shop.example.com", "www.shop.example.com"], "secretName": "shop-tls"}],
                  "rules": [{"host": h, "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
                      "service": {"name": "frontend", "port": {"number": 80}}}}]}}
                      for h in ("shop.example.com", "www.shop.example.com")]},
         "status": {"loadBalancer": {"ingress": [{"ip": LB_IP}]}}})

    # ---- a custom resource -----------------------------------------------------------------------
    add({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
         "metadata": _meta("backups.stable.example.com", None, 40 * D, c),
         "spec": {"group": "stable.example.com", "scope": "Namespaced",
                  "names": {"plural": "backups", "singular": "backup", "kind": "Backup", "shortNames": ["bk"],
                            "categories": ["all"]},
                  "versions": [{"name": "v1", "served": True, "storage": True,
                                "schema": {"openAPIV3Schema": {"type": "object",
                                                               "x-kubernetes-preserve-unknown-fields": True}},
                                "subresources": {"status": {}},
                                "additionalPrinterColumns": [
                                    {"name": "Schedule", "type": "string", "jsonPath": ".spec.schedule"},
                                    {"name": "Status", "type": "string", "jsonPath": ".status.phase"},
                                    {"name": "Last Backup", "type": "date", "jsonPath": ".status.lastBackupTime"},
                                    {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"},
                                    {"name": "Target", "type": "string", "priority": 1,
                                     "jsonPath": ".spec.target"}]}]}})
    add({"apiVersion": "stable.example.com/v1", "kind": "Backup", "metadata": _meta("postgres-nightly", "payments",
                                                                                     12 * D, c),
         "spec": {"schedule": "0 2 * * *", "target": "statefulset/postgres", "retention": "14d"},
         "status": {"phase": "Succeeded", "lastBackupTime": c.ago(9 * H), "size": "3.2Gi"}})
    add({"apiVersion": "stable.example.com/v1", "kind": "Backup", "metadata": _meta("cart-hourly", "shop", 30 * D, c),
         "spec": {"schedule": "0 * * * *", "target": "deployment/cart", "retention": "2d"},
         "status": {"phase": "Failed", "lastBackupTime": c.ago(26 * H),
                    "message": "snapshot of volume data failed: volume is busy"}})
    return out


def events(clock, uids):
    """Events about demo objects (the controllers and the kubelet add their own as they work)."""
    c = clock
    out = []

    def ev(ns, kind, api_version, name, etype, reason, message, component, first, last=None, count=1, host=None):
        uid = uids.get((kind, ns, name), "")
        md = {"name": "%s.%016x" % (name, c.rng.getrandbits(64)), "namespace": ns or "default",
              "creationTimestamp": c.ago(last if last is not None else first)}
        io = {"kind": kind, "apiVersion": api_version, "name": name, "uid": uid}
        if ns:
            io = {"kind": kind, "namespace": ns, "name": name, "uid": uid, "apiVersion": api_version}
        src = {"component": component}
        if host:
            src["host"] = host
        out.append({"apiVersion": "v1", "kind": "Event", "metadata": md, "involvedObject": io,
                    "reason": reason, "message": message, "source": src,
                    "firstTimestamp": c.ago(first), "lastTimestamp": c.ago(last if last is not None else first),
                    "count": count, "type": etype, "eventTime": None, "reportingComponent": component,
                    "reportingInstance": host or ""})
    ev("", "Node", "v1", "kubesim-node-4", "Normal", "NodeNotReady", "Node kubesim-node-4 status is now: NodeNotReady",
       "node-controller", 50 * 60)
    ev("", "Node", "v1", "kubesim-node-3", "Normal", "NodeNotSchedulable",
       "Node kubesim-node-3 status is now: NodeNotSchedulable", "kubelet", 3 * H, host="kubesim-node-3")
    ev("shop", "Ingress", "networking.k8s.io/v1", "shop", "Normal", "Sync", "Scheduled for sync",
       "nginx-ingress-controller", 30 * D // 100, 40 * 60, count=6)
    ev("shop", "HorizontalPodAutoscaler", "autoscaling/v2", "frontend", "Warning", "FailedGetResourceMetric",
       "failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource "
       "metrics API", "horizontal-pod-autoscaler", 2 * H, 15 * 60, count=4)
    ev("payments", "PersistentVolumeClaim", "v1", "data-postgres-0", "Normal", "ProvisioningSucceeded",
       "Successfully provisioned volume pvc-%s" % uids.get(("PersistentVolumeClaim", "payments", "data-postgres-0"), ""),
       "rancher.io/local-path_local-path-provisioner-7d8b5c9f4-x2k4q", 12 * D)
    ev("shop", "Service", "v1", "frontend", "Normal", "EnsuredLoadBalancer", "Ensured load balancer",
       "service-controller", 30 * D)
    ev("shop", "Backup", "stable.example.com/v1", "cart-hourly", "Warning", "SnapshotFailed",
       "snapshot of volume data failed: volume is busy", "backup-operator", 26 * H, 26 * H)
    return out


def setup(api, nodes_given=False, now=None):
    global ACTIVE
    ACTIVE = True
    clock = _Clock(time.time() if now is None else now)
    ctx = ops.Context(internal=True, load=True)
    for ns in DEMO_NAMESPACES:
        bootstrap.ensure_namespace(api, ns)
    if not nodes_given:
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-1", 1, roles=("control-plane",)))
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-2", 2))
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-3", 3, unschedulable=True))
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-4", 4, ready=False))
    uids = {}
    for obj in objects(clock):
        rt = REGISTRY.find_kind(obj.get("apiVersion"), obj.get("kind"))
        md = obj["metadata"]
        ns = md.get("namespace", "")
        try:
            stored = api.create(ctx, rt, ns, obj)
        except errors.ApiError as e:
            raise RuntimeError("demo: %s %s/%s: %s" % (obj.get("kind"), ns, md.get("name"), e.message))
        uids[(obj["kind"], ns, md["name"])] = stored["metadata"].get("uid", "")
    for n in ("kubesim-node-3", "kubesim-node-4"):
        e = api.store.get_entry("nodes", "", n)
        if e is not None:
            uids[("Node", "", n)] = e.obj["metadata"].get("uid", "")
    events_rt = REGISTRY.core("events")
    for ev in events(clock, uids):
        try:
            api.create(ctx, events_rt, ev["metadata"]["namespace"], ev)
        except errors.ApiError as e:
            raise RuntimeError("demo: event %s: %s" % (ev["metadata"]["name"], e.message))


class Churn(threading.Thread):
    """Creates or deletes a pod in namespace `churn` every `period` seconds."""

    def __init__(self, api, period=3.0, seed=1):
        super().__init__(name="kubesim-demo-churn", daemon=True)
        self.api = api
        self.period = period
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.n = 0

    def run(self):
        ctx = ops.Context(user="demo-churn", groups=["system:masters"])
        pods = REGISTRY.core("pods")
        while not self.stop.wait(self.period):
            try:
                _, live = self.api.store.list_entries("pods", "churn")
                live = [e for e in live if not (e.obj.get("metadata") or {}).get("deletionTimestamp")]
                if len(live) < 3 or (len(live) < 8 and self.rng.random() < 0.5):
                    self.n += 1
                    self.api.create(ctx, pods, "churn", _pod("worker-%d" % self.n, "churn", image="busybox:1.36",
                                                             labels={"app": "worker"}))
                else:
                    victim = self.rng.choice(live)
                    self.api.delete(ctx, pods, "churn", victim.name, {})
            except errors.ApiError:
                pass
            except Exception:
                import traceback
                traceback.print_exc()
            time.sleep(0)
