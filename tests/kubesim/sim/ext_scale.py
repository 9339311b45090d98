"""Synthetic scale (issue 3): `--pods N --namespaces M --nodes K`.

A cluster of realistic objects, generated fast and deterministically from `--seed`:

- K Ready nodes `kubesim-node-1..K` (valid, unique InternalIPs and pod CIDRs for any K);
- M namespaces `scale-1..M` (zero-padded to the width of M);
- per namespace, Deployments -> ReplicaSets -> Pods (plus a few completed Jobs and their pods), in the
  shapes the apiserver and the controllers produce: pod-template-hash, revision annotations, controller
  ownerReferences, consistent replica counts in every status;
- N pods of ~5-8 KB of JSON each: 2 containers with env, ports, probes, resources and volume mounts, a
  projected service-account volume, 5 conditions, containerStatuses with 64-hex container and image
  IDs, labels, annotations, a controller ownerReference and 2 managedFields entries
  (kube-controller-manager for metadata/spec, kubelet for status).

Pod states: most are Running and ready; some restarted, crash-looping (their Deployment's image contains
`crashloop`), failing to pull (image contains `does-not-exist`), ContainerCreating, Pending (one GPU
workload per 10 namespaces waits for a scheduler that is not running, `gpu-batch-scheduler`: the
simulated default scheduler leaves it alone instead of retrying it at a cost that grows with the pods)
and Completed (Job pods), so that every STATUS a client must render shows up.

Speed: pods are built from per-workload templates. Sub-objects that are the same for every pod of a
workload (container env, probes, resources, tolerations, labels, ownerReferences, the controller's
managedFields) are one shared Python object; that is safe because stored objects are never mutated
(store.py's contract: writers copy). Pods go straight into the store (they are generated valid and
complete, like --objects with a status). Workloads too, once the first object of each kind has gone
through ops.Api and come back exactly as generated (see Synth._insert). The cyclic garbage collector is
paused while generating and the result frozen out of its later passes. warm_json() serialises the pods
in the background after the start, so LIST and WATCH serve cached bytes.

The simulated kubelet leaves pods that already have a status alone, and the workload controllers find
Deployments, ReplicaSets and Jobs whose status matches their pods, so with controllers on nothing rewrites
the synthetic objects.
"""

import gc
import math
import random
import threading
import time
import uuid

from . import bootstrap, controllers, errors, ops, util
from .resources import REGISTRY

ALPHABET = "bcdfghjklmnpqrstvwxz2456789"   # the apiserver's generateName / pod-template-hash alphabet

# (app, image, port name, port, tier, cpu request, memory request, memory limit, probe path)
PROFILES = [
    ("api", "ghcr.io/acme/api-server", "http", 8080, "backend", "250m", "256Mi", "512Mi", "/healthz"),
    ("web", "docker.io/library/nginx", "http", 80, "frontend", "100m", "64Mi", "128Mi", "/"),
    ("worker", "ghcr.io/acme/queue-worker", "metrics", 9090, "backend", "500m", "512Mi", "1Gi", "/healthz"),
    ("cache", "docker.io/library/redis", "redis", 6379, "cache", "100m", "128Mi", "256Mi", None),
    ("auth", "quay.io/acme/auth-service", "https", 8443, "backend", "200m", "128Mi", "256Mi", "/readyz"),
    ("search", "ghcr.io/acme/search-indexer", "http", 9200, "backend", "1", "2Gi", "4Gi", "/_cluster/health"),
    ("billing", "ghcr.io/acme/billing", "http", 8080, "backend", "250m", "256Mi", "512Mi", "/healthz"),
    ("orders", "ghcr.io/acme/orders", "grpc", 50051, "backend", "300m", "384Mi", "768Mi", "/healthz"),
    ("notifier", "ghcr.io/acme/notifier", "http", 8081, "backend", "50m", "64Mi", "128Mi", "/health"),
    ("gateway", "docker.io/envoyproxy/envoy", "http", 10000, "edge", "500m", "256Mi", "512Mi", "/ready"),
    ("ingest", "ghcr.io/acme/event-ingest", "http", 8080, "backend", "750m", "1Gi", "2Gi", "/healthz"),
    ("recommender", "ghcr.io/acme/recommender", "http", 8000, "ml", "1", "1536Mi", "3Gi", "/v1/health"),
]
IMAGE_TAGS = {"docker.io/library/nginx": "1.27.3", "docker.io/library/redis": "7.2.5",
              "docker.io/envoyproxy/envoy": "v1.31.2"}
SIDECAR_IMAGE = "quay.io/prometheus/statsd-exporter:v0.27.1"
REPLICAS = [1, 1, 2, 2, 2, 3, 3, 3, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 30]
SA_MOUNT = "/var/run/secrets/kubernetes.io/serviceaccount"

# per-pod states inside a healthy workload (cumulative thresholds on one draw)
P_RESTARTED = 0.04
P_CREATING = 0.045
# per-workload health
P_CRASHLOOP_DEPLOY = 0.02
P_PULLFAIL_DEPLOY = 0.012
P_JOB = 0.035
# One workload (of 1 pod) per this many namespaces waits for a scheduler that is not running: Pending
# forever. (Pods the default scheduler cannot place would be retried by the simulated scheduler at a cost
# that grows with the number of pods; a pod for an absent scheduler costs nothing and shows the same.)
PENDING_EVERY = 10
PENDING_SCHEDULER = "gpu-batch-scheduler"
PENDING_SELECTOR = {"cloud.google.com/gke-accelerator": "nvidia-h100-80gb"}


class ScaleError(Exception):
    pass


# ==== nodes ==========================================================================================

def node_addresses(index):
    """(InternalIP, podCIDR) for node number `index` (1-based): unique and valid for any index, equal to
    bootstrap.make_node's for small ones."""
    if index <= 245:
        ip = "10.0.0.%d" % (10 + index)
    else:
        ip = "10.0.%d.%d" % (index // 250 + 1, 10 + index % 250)
    if index <= 255:
        cidr = "10.244.%d.0/24" % index
    else:   # 10.112.0.0/12 and up: clear of the default service range 10.96.0.0/12
        cidr = "10.%d.%d.0/24" % (112 + index // 256, index % 256)
    return ip, cidr


def make_node(name, index, **kw):
    node = bootstrap.make_node(name, index, **kw)
    ip, cidr = node_addresses(index)
    node["status"]["addresses"][0]["address"] = ip
    node["spec"]["podCIDR"] = cidr
    node["spec"]["podCIDRs"] = [cidr]
    return node


def ensure_nodes(api, count):
    """Ready nodes kubesim-node-1..count (existing ones are kept)."""
    for i in range(1, count + 1):
        name = "kubesim-node-%d" % i
        if api.store.get_entry("nodes", "", name) is None:
            bootstrap.add_node(api, make_node(name, i))


# ==== small deterministic helpers =====================================================================

class _Ids:
    def __init__(self, rng):
        self.rng = rng

    def uid(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def hex64(self):
        return "%064x" % self.rng.getrandbits(256)

    def word(self, n):
        ch = self.rng.choice
        return "".join(ch(ALPHABET) for _ in range(n))


def _template_hash(template):
    """The pod-template-hash the deployment controller computes (kinds_deployments), if it is there."""
    try:
        from . import kinds_deployments
        t = util.deep_copy(template)
        kinds_deployments.default_pod_template(t)
        return kinds_deployments.template_hash(t)
    except (ImportError, AttributeError):
        return None


def _ts(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(t)))


def _cond(ctype, status, ts, reason=None, message=None):
    c = {"type": ctype, "status": status, "lastProbeTime": None, "lastTransitionTime": ts}
    if reason:
        c["reason"] = reason
    if message:
        c["message"] = message
    return c


def _image_ref(image):
    """docker.io/library/nginx:1.27.3 -> (image as the runtime reports it, repository for the digest)."""
    repo, _, tag = image.rpartition(":")
    if "/" in tag:   # no tag: a registry port
        repo, tag = image, "latest"
    return "%s:%s" % (repo, tag), repo


# ==== managedFields ===================================================================================

def _k(obj):
    return "k:" + util.dumps(obj)


def _fields_container(c):
    f = {".": {}, "f:image": {}, "f:imagePullPolicy": {}, "f:name": {}}
    if c.get("args"):
        f["f:args"] = {}
    if c.get("env"):
        env = {".": {}}
        for e in c["env"]:
            ef = {".": {}, "f:name": {}}
            if "value" in e:
                ef["f:value"] = {}
            if "valueFrom" in e:
                vf = e["valueFrom"]
                inner = {".": {}}
                for kind in vf:   # the *KeySelector / *FieldSelector structs are atomic
                    inner["f:" + kind] = {}
                ef["f:valueFrom"] = inner
            env[_k({"name": e["name"]})] = ef
        f["f:env"] = env
    for probe in ("livenessProbe", "readinessProbe"):
        p = c.get(probe)
        if p:
            pf = {".": {}}
            for k, v in p.items():
                if isinstance(v, dict):
                    pf["f:" + k] = dict([(".", {})] + [("f:" + kk, {}) for kk in v])
                else:
                    pf["f:" + k] = {}
            f["f:" + probe] = pf
    f["f:name"] = {}
    if c.get("ports"):
        ports = {".": {}}
        for p in c["ports"]:
            ports[_k({"containerPort": p["containerPort"], "protocol": p.get("protocol", "TCP")})] = \
                dict([(".", {})] + [("f:" + k, {}) for k in p])
        f["f:ports"] = ports
    res = c.get("resources") or {}
    rf = {".": {}} if res else {}
    for k, v in res.items():
        rf["f:" + k] = dict([(".", {})] + [("f:" + kk, {}) for kk in v])
    f["f:resources"] = rf
    f["f:terminationMessagePath"] = {}
    f["f:terminationMessagePolicy"] = {}
    mounts = [m for m in c.get("volumeMounts") or [] if m.get("mountPath") != SA_MOUNT]
    if mounts:
        vm = {".": {}}
        for m in mounts:
            vm[_k({"mountPath": m["mountPath"]})] = dict([(".", {})] + [("f:" + k, {}) for k in m])
        f["f:volumeMounts"] = vm
    return f


def controller_fields(template_spec, labels, owner_uid):
    """fieldsV1 of the creator's request: metadata (generateName, labels, ownerReferences) and spec."""
    spec = {"f:containers": {_k({"name": c["name"]}): _fields_container(c) for c in template_spec["containers"]}}
    for k in ("dnsPolicy", "enableServiceLinks", "nodeSelector", "restartPolicy", "schedulerName",
              "securityContext", "terminationGracePeriodSeconds", "tolerations"):
        if k in template_spec or k in ("enableServiceLinks",):
            spec["f:" + k] = {}
    vols = [v for v in template_spec.get("volumes") or [] if not v["name"].startswith("kube-api-access-")]
    if vols:
        vf = {}
        for v in vols:
            body = {".": {}, "f:name": {}}
            for k, val in v.items():
                if k != "name":
                    body["f:" + k] = dict([(".", {})] + [("f:" + kk, {}) for kk in val]) if isinstance(val, dict) \
                        else {}
            vf[_k({"name": v["name"]})] = body
        spec["f:volumes"] = vf
    md = {"f:generateName": {}, "f:labels": dict([(".", {})] + [("f:" + k, {}) for k in labels])}
    if owner_uid:
        md["f:ownerReferences"] = {".": {}, _k({"uid": owner_uid}): {}}
    return {"f:metadata": md, "f:spec": spec}


_KUBELET_CONDITION_FIELDS = {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {},
                             "f:type": {}}
_KUBELET_CONDITIONS_CACHE = {}


def kubelet_fields(conditions, pod_ip):
    """fieldsV1 of the kubelet's status updates (the conditions it owns, containerStatuses, IPs)."""
    shape = tuple((c["type"], "reason" in c, "message" in c) for c in conditions if c["type"] != "PodScheduled")
    conds = _KUBELET_CONDITIONS_CACHE.get(shape)
    if conds is None:
        conds = {}
        for ctype, has_reason, has_message in shape:
            body = _KUBELET_CONDITION_FIELDS
            if has_reason or has_message:
                body = dict(body)
                if has_message:
                    body["f:message"] = {}
                if has_reason:
                    body["f:reason"] = {}
            conds[_k({"type": ctype})] = body
        _KUBELET_CONDITIONS_CACHE[shape] = conds
    st = {"f:conditions": conds, "f:containerStatuses": {}, "f:hostIP": {},
          "f:hostIPs": {}, "f:phase": {}}
    if pod_ip:
        st["f:podIP"] = {}
        st["f:podIPs"] = {".": {}, 'k:{"ip":"%s"}' % pod_ip: {".": {}, "f:ip": {}}}
    st["f:startTime"] = {}
    return {"f:status": st}


# ==== templates =======================================================================================

def _status_mount(m):
    sm = {"name": m["name"], "mountPath": m["mountPath"]}
    if m.get("readOnly"):
        sm["readOnly"] = True
        sm["recursiveReadOnly"] = "Disabled"
    return sm


def _probe(path, port, initial, period):
    if path is None:
        return {"tcpSocket": {"port": port}, "initialDelaySeconds": initial, "timeoutSeconds": 1,
                "periodSeconds": period, "successThreshold": 1, "failureThreshold": 3}
    return {"httpGet": {"path": path, "port": port, "scheme": "HTTP"}, "initialDelaySeconds": initial,
            "timeoutSeconds": 1, "periodSeconds": period, "successThreshold": 1, "failureThreshold": 3}


def _container_defaults(c):
    tag = c["image"].rsplit("/", 1)[-1]
    c["imagePullPolicy"] = "Always" if (":" not in tag or tag.endswith(":latest")) else "IfNotPresent"
    c["terminationMessagePath"] = "/dev/termination-log"
    c["terminationMessagePolicy"] = "File"
    return c


class Workload:
    """One Deployment (or Job) and everything its pods share."""
    __slots__ = ("kind", "name", "ns", "profile", "replicas", "image", "health", "uid", "rs_uid", "rs_name",
                 "hash", "created", "labels", "pod_labels", "annotations", "template_spec", "owner_refs",
                 "cm_fields", "tolerations", "main", "sidecar", "node_selector", "pods", "manager")

    def __init__(self):
        self.pods = []
        self.manager = "kube-controller-manager"
        self.owner_refs = None


def build_template(w, ids):
    """The pod template (spec and metadata) of a workload, with the apiserver's defaults applied."""
    app, image, port_name, port, tier, cpu, mem, mem_lim, probe_path = w.profile
    main = {
        "name": app if w.kind != "Job" else "migrate",
        "image": w.image,
    }
    if w.kind == "Job":
        main["args"] = ["--run-once", "--batch-size=500", "--target=%s" % w.name]
    main["ports"] = [{"name": port_name, "containerPort": port, "protocol": "TCP"}]
    main["env"] = [
        {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
        {"name": "LOG_LEVEL", "value": "info"},
    ]
    main["resources"] = {"limits": {"cpu": "2", "memory": mem_lim}, "requests": {"cpu": cpu, "memory": mem}}
    if w.health == "unschedulable":     # a GPU batch workload
        main["env"] = main["env"] + [{"name": "NVIDIA_VISIBLE_DEVICES", "value": "all"}]
        main["resources"] = {"limits": {"cpu": "2", "memory": mem_lim, "nvidia.com/gpu": "1"},
                             "requests": {"cpu": cpu, "memory": mem, "nvidia.com/gpu": "1"}}
    main["volumeMounts"] = []
    if w.kind != "Job":
        main["livenessProbe"] = _probe(probe_path, port, 15, 20)
        main["readinessProbe"] = _probe(probe_path, port, 5, 10)
    _container_defaults(main)
    sidecar = {
        "name": "metrics-exporter",
        "image": SIDECAR_IMAGE,
        "ports": [{"name": "metrics", "containerPort": 9102, "protocol": "TCP"}],
        "resources": {"limits": {"memory": "64Mi"}, "requests": {"cpu": "10m", "memory": "32Mi"}},
    }
    _container_defaults(sidecar)
    spec = {
        "volumes": [],
        "containers": [main, sidecar],
        "restartPolicy": "Never" if w.kind in ("Job", "Pod") else "Always",
        "terminationGracePeriodSeconds": 30,
        "dnsPolicy": "ClusterFirst",
    }
    if w.node_selector:
        spec["nodeSelector"] = w.node_selector
    spec["securityContext"] = {}
    spec["schedulerName"] = PENDING_SCHEDULER if w.health == "unschedulable" else "default-scheduler"
    if w.health == "unschedulable":
        spec["tolerations"] = [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    w.template_spec = spec
    w.main = main
    w.sidecar = sidecar


# ==== the generator ===================================================================================

class Synth:
    def __init__(self, api, pods, namespaces, seed, now=None):
        self.api = api
        self.n_pods = int(pods)
        self.n_ns = max(1, int(namespaces or 1))
        self.rng = random.Random("kubesim-scale-%s" % seed)
        self.ids = _Ids(self.rng)
        self.now = time.time() if now is None else now
        self.ctx = ops.Context(internal=True, load=True)
        self.tolerations = [
            {"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300},
            {"key": "node.kubernetes.io/unreachable", "operator": "Exists", "effect": "NoExecute",
             "tolerationSeconds": 300}]
        self.nodes = []
        self.ip_next = {}
        self.fast = {}       # store key -> bool: may objects of that kind skip ops.Api (see _insert)
        self.stats = {"pods": 0, "deployments": 0, "replicasets": 0, "jobs": 0, "namespaces": 0}

    # ---- namespaces and workloads ----------------------------------------------------------------

    def namespace_names(self):
        width = len(str(self.n_ns))
        return ["scale-%0*d" % (width, i) for i in range(1, self.n_ns + 1)]

    def plan(self):
        """[(namespace, [Workload])] with the pod counts summing to N."""
        out = []
        names = self.namespace_names()
        base, extra = divmod(self.n_pods, len(names))
        for i, ns in enumerate(names):
            count = base + (1 if i < extra else 0)
            out.append((ns, self._plan_namespace(ns, count, i)))
        return out

    def _plan_namespace(self, ns, count, ns_index):
        rng = self.rng
        total = count
        workloads = []
        used = {}
        unschedulable_done = ns_index % PENDING_EVERY != 0
        while count > 0:
            w = Workload()
            w.ns = ns
            w.profile = rng.choice(PROFILES)
            app = w.profile[0]
            r = rng.random()
            # every namespace of some size has at least one completed Job, the rest come at random
            if workloads and (r < P_JOB or (len(workloads) == 1 and total >= 20)):
                w.kind = "Job"
                w.replicas = 1
                w.name = "%s-migrate-%d" % (app, 28000000 + rng.randrange(900000))
            else:
                w.kind = "Deployment"
                w.replicas = min(count, rng.choice(REPLICAS))
                n = used.get(app, 0) + 1
                used[app] = n
                w.name = app if n == 1 else "%s-%d" % (app, n)
            if w.name in (x.name for x in workloads):
                w.name += "-" + self.ids.word(4)
            repo = w.profile[1]
            version = IMAGE_TAGS.get(repo) or "v%d.%d.%d" % (1 + rng.randrange(3), rng.randrange(20),
                                                              rng.randrange(10))
            w.health = "ok"
            w.node_selector = None
            h = rng.random()
            if w.kind == "Deployment":
                if not unschedulable_done:
                    w.replicas = 1
                    w.health = "unschedulable"
                    w.node_selector = dict(PENDING_SELECTOR)
                    unschedulable_done = True
                elif h < P_CRASHLOOP_DEPLOY:
                    w.health = "crashloop"
                    version += "-crashloop"
                elif h < P_CRASHLOOP_DEPLOY + P_PULLFAIL_DEPLOY:
                    w.health = "pullfail"
                    repo = repo.rsplit("/", 1)[0] + "/does-not-exist"
            w.image = "%s:%s" % (repo, version)
            w.created = self.now - rng.uniform(3600, 45 * 86400)
            count -= w.replicas
            workloads.append(w)
        return workloads

    # ---- objects ---------------------------------------------------------------------------------

    def _workload_meta(self, w):
        app, tier = w.profile[0], w.profile[4]
        if w.kind == "Job":
            w.uid = self.ids.uid()
            w.labels = {"app.kubernetes.io/name": app, "app.kubernetes.io/component": "migration"}
            w.pod_labels = {"batch.kubernetes.io/controller-uid": w.uid, "batch.kubernetes.io/job-name": w.name,
                            "controller-uid": w.uid, "job-name": w.name}
            w.pod_labels.update(w.labels)
            w.annotations = {}
            return
        w.uid = self.ids.uid()
        w.rs_uid = self.ids.uid()
        w.labels = {"app": w.name, "tier": tier}
        w.annotations = {"checksum/config": self.ids.hex64()}

    def _template(self, w, labels):
        md = {"creationTimestamp": None, "labels": labels}
        if w.annotations:
            md["annotations"] = w.annotations
        return {"metadata": md, "spec": w.template_spec}

    def _insert(self, rt, ns, obj):
        """Store a generated object. The first of each kind goes through ops.Api (defaults, validation and
        hooks of whoever owns the kind); if the API stored exactly what was generated, the rest of that
        kind goes straight into the store (thousands of workloads in a second), else through the API too."""
        fast = self.fast.get(rt.key)
        if fast:
            md = obj["metadata"]
            self.api.store.create(rt.key, ns, md["name"], obj)
            return
        expected = util.deep_copy(obj) if fast is None else None
        try:
            stored = self.api.create(self.ctx, rt, ns, obj)
        except errors.ApiError as e:
            raise ScaleError("%s %s/%s: %s" % (rt.kind, ns, obj["metadata"].get("name"), e.message))
        if fast is None:
            stored["metadata"].pop("resourceVersion", None)
            expected["metadata"].pop("resourceVersion", None)
            self.fast[rt.key] = stored == expected

    def create_workload(self, w):
        """The Deployment and its ReplicaSet (or the Job). Pods come later."""
        created = _ts(w.created)
        build_template(w, self.ids)
        ready = sum(1 for p in w.pods if p[0] in ("running", "restarted"))
        if w.kind == "Job":
            start = w.created
            done = start + self.rng.uniform(20, 220)
            job = {
                "apiVersion": "batch/v1", "kind": "Job",
                "metadata": {"name": w.name, "namespace": w.ns, "uid": w.uid, "resourceVersion": "",
                             "generation": 1, "creationTimestamp": created, "labels": w.labels},
                "spec": {"parallelism": 1, "completions": 1, "backoffLimit": 6,
                         "selector": {"matchLabels": {"batch.kubernetes.io/controller-uid": w.uid}},
                         "manualSelector": False,
                         "template": self._template(w, w.pod_labels),
                         "completionMode": "NonIndexed", "suspend": False, "podReplacementPolicy": "TerminatingOrFailed"},
                "status": {"conditions": [
                    {"type": "SuccessCriteriaMet", "status": "True", "lastProbeTime": _ts(done),
                     "lastTransitionTime": _ts(done), "reason": "CompletionsReached",
                     "message": "Reached expected number of succeeded pods"},
                    {"type": "Complete", "status": "True", "lastProbeTime": _ts(done), "lastTransitionTime": _ts(done),
                     "reason": "CompletionsReached", "message": "Reached expected number of succeeded pods"}],
                    "startTime": _ts(start), "completionTime": _ts(done), "succeeded": 1,
                    "terminating": 0, "uncountedTerminatedPods": {}, "ready": 0},
            }
            self._insert(REGISTRY.get("batch", "v1", "jobs"), w.ns, job)
            w.owner_refs = [{"apiVersion": "batch/v1", "kind": "Job", "name": w.name, "uid": w.uid,
                             "controller": True, "blockOwnerDeletion": True}]
            w.cm_fields = controller_fields(w.template_spec, w.pod_labels, w.uid)
            self.stats["jobs"] += 1
            return
        template = self._template(w, w.labels)
        # pod-template-hash as the deployment controller computes it from the (defaulted) template
        w.hash = _template_hash(template) or self.ids.word(10)
        w.rs_name = "%s-%s" % (w.name, w.hash)
        w.pod_labels = dict(w.labels)
        w.pod_labels["pod-template-hash"] = w.hash
        n = w.replicas
        surge = max(1, int(math.ceil(n * 0.25)))
        unavailable = n - ready
        conds = []
        if unavailable <= int(n * 0.25):
            conds.append({"type": "Available", "status": "True", "lastUpdateTime": created,
                          "lastTransitionTime": created, "reason": "MinimumReplicasAvailable",
                          "message": "Deployment has minimum availability."})
        else:
            conds.append({"type": "Available", "status": "False", "lastUpdateTime": created,
                          "lastTransitionTime": created, "reason": "MinimumReplicasUnavailable",
                          "message": "Deployment does not have minimum availability."})
        if w.health == "ok":
            conds.append({"type": "Progressing", "status": "True", "lastUpdateTime": created,
                          "lastTransitionTime": created, "reason": "NewReplicaSetAvailable",
                          "message": 'ReplicaSet "%s" has successfully progressed.' % w.rs_name})
        else:
            t = _ts(w.created + 600)
            conds.append({"type": "Progressing", "status": "False", "lastUpdateTime": t, "lastTransitionTime": t,
                          "reason": "ProgressDeadlineExceeded",
                          "message": 'ReplicaSet "%s" has timed out progressing.' % w.rs_name})
        dstatus = {"observedGeneration": 1, "replicas": n, "updatedReplicas": n}
        if ready:
            dstatus["readyReplicas"] = ready
            dstatus["availableReplicas"] = ready
        if unavailable:
            dstatus["unavailableReplicas"] = unavailable
        dstatus["conditions"] = conds
        deploy = {
            "apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": {"name": w.name, "namespace": w.ns, "uid": w.uid, "resourceVersion": "",
                         "generation": 1, "creationTimestamp": created, "labels": w.labels,
                         "annotations": {"deployment.kubernetes.io/revision": "1"}},
            "spec": {"replicas": n, "selector": {"matchLabels": {"app": w.name}},
                     "template": template,
                     "strategy": {"type": "RollingUpdate",
                                  "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"}},
                     "revisionHistoryLimit": 10, "progressDeadlineSeconds": 600},
            "status": dstatus,
        }
        self._insert(REGISTRY.get("apps", "v1", "deployments"), w.ns, deploy)
        tmpl = self._template(w, w.pod_labels)
        rs_status = {"replicas": n, "fullyLabeledReplicas": n}
        if ready:
            rs_status["readyReplicas"] = ready
            rs_status["availableReplicas"] = ready
        rs_status["observedGeneration"] = 1
        rs = {
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": {"name": w.rs_name, "namespace": w.ns, "uid": w.rs_uid, "resourceVersion": "",
                         "generation": 1, "creationTimestamp": created, "labels": w.pod_labels,
                         "annotations": {"deployment.kubernetes.io/desired-replicas": str(n),
                                         "deployment.kubernetes.io/max-replicas": str(n + surge),
                                         "deployment.kubernetes.io/revision": "1"},
                         "ownerReferences": [{"apiVersion": "apps/v1", "kind": "Deployment", "name": w.name,
                                              "uid": w.uid, "controller": True, "blockOwnerDeletion": True}]},
            "spec": {"replicas": n, "selector": {"matchLabels": {"app": w.name, "pod-template-hash": w.hash}},
                     "template": tmpl},
            "status": rs_status,
        }
        self._insert(REGISTRY.get("apps", "v1", "replicasets"), w.ns, rs)
        w.owner_refs = [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": w.rs_name, "uid": w.rs_uid,
                         "controller": True, "blockOwnerDeletion": True}]
        w.cm_fields = controller_fields(w.template_spec, w.pod_labels, w.rs_uid)
        self.stats["deployments"] += 1
        self.stats["replicasets"] += 1

    def pod_states(self, w):
        """Decide the state of each pod of a workload before the workload is written (its status counts
        them). Returns [(state, created)]."""
        rng = self.rng
        out = []
        for i in range(w.replicas):
            if w.kind == "Job":
                state = "completed"
            elif w.health == "crashloop":
                state = "crashloop"
            elif w.health == "pullfail":
                state = "pullfail"
            elif w.health == "unschedulable":
                state = "unschedulable"
            else:
                r = rng.random()
                state = "restarted" if r < P_RESTARTED else "creating" if r < P_CREATING else "running"
            created = w.created + rng.uniform(1, 30) if state != "creating" else self.now - rng.uniform(5, 120)
            out.append((state, created))
        return out

    # ---- pods ------------------------------------------------------------------------------------

    def _pod_ip(self, node_index):
        n = self.ip_next.get(node_index, 2)
        self.ip_next[node_index] = n + 1 if n < 254 else 2
        return "%s.%d" % (self.nodes[node_index][2], n)

    def pod(self, w, state, created):
        ids, rng = self.ids, self.rng
        suffix = ids.word(5)
        if w.kind == "Deployment":
            gen = w.rs_name + "-"
        else:
            gen = w.name + "-"
        name = gen + suffix
        uid = ids.uid()
        created_ts = _ts(created)
        scheduled = state != "unschedulable"
        node_name = host_ip = pod_ip = None
        if scheduled:
            ni = rng.randrange(len(self.nodes))
            node_name, host_ip = self.nodes[ni][0], self.nodes[ni][1]
            if state != "creating":
                pod_ip = self._pod_ip(ni)
        sa_vol = "kube-api-access-" + ids.word(5)
        sa_mount = {"name": sa_vol, "readOnly": True, "mountPath": SA_MOUNT}
        main = dict(w.main)
        main["volumeMounts"] = w.main["volumeMounts"] + [sa_mount]
        side = dict(w.sidecar)
        side["volumeMounts"] = [sa_mount]
        # containerStatuses[].volumeMounts (the kubelet reports them since 1.30)
        sa_status = {"name": sa_vol, "mountPath": SA_MOUNT, "readOnly": True, "recursiveReadOnly": "Disabled"}
        self.cur_mounts = {main["name"]: [_status_mount(m) for m in w.main["volumeMounts"]] + [sa_status],
                           side["name"]: [sa_status]}
        tspec = w.template_spec
        spec = {"volumes": tspec["volumes"] + [{"name": sa_vol, "projected": {
            "sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
                        {"downwardAPI": {"items": [{"path": "namespace", "fieldRef": {
                            "apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}}],
            "defaultMode": 420}}],
            "containers": [main, side],
            "restartPolicy": tspec["restartPolicy"],
            "terminationGracePeriodSeconds": 30,
            "dnsPolicy": "ClusterFirst"}
        if w.node_selector:
            spec["nodeSelector"] = w.node_selector
        spec["serviceAccountName"] = "default"
        spec["serviceAccount"] = "default"
        if node_name:
            spec["nodeName"] = node_name
        spec["securityContext"] = {}
        spec["schedulerName"] = tspec["schedulerName"]
        spec["tolerations"] = tspec["tolerations"] + self.tolerations if "tolerations" in tspec else self.tolerations
        spec["priority"] = 0
        spec["enableServiceLinks"] = True
        spec["preemptionPolicy"] = "PreemptLowerPriority"
        status, conditions = self._status(w, state, created, node_name, host_ip, pod_ip, main, side, uid, name)
        md = {"name": name, "generateName": gen, "namespace": w.ns, "uid": uid,
              "resourceVersion": "",      # set by the store; here for the apiserver's field order
              "creationTimestamp": created_ts, "labels": w.pod_labels}
        if w.annotations:
            md["annotations"] = w.annotations
        if w.owner_refs:
            md["ownerReferences"] = w.owner_refs
        mf = [{"manager": w.manager, "operation": "Update", "apiVersion": "v1",
               "time": created_ts, "fieldsType": "FieldsV1", "fieldsV1": w.cm_fields}]
        if scheduled:
            mf.append({"manager": "kubelet", "operation": "Update", "apiVersion": "v1",
                       "time": status.get("startTime") or created_ts, "fieldsType": "FieldsV1",
                       "fieldsV1": kubelet_fields(conditions, pod_ip), "subresource": "status"})
        md["managedFields"] = mf
        return {"kind": "Pod", "apiVersion": "v1", "metadata": md, "spec": spec, "status": status}

    def _status(self, w, state, created, node_name, host_ip, pod_ip, main, side, uid, name):
        ids, rng = self.ids, self.rng
        ts = _ts(created + 1)
        started = created + rng.uniform(2, 9)
        sts = _ts(started)
        qos = "Burstable"
        if state == "unschedulable":     # no scheduler has looked at it: no conditions yet
            return {"phase": "Pending", "qosClass": qos}, []
        names = [main["name"], side["name"]]
        if state == "completed":
            done = _ts(started + rng.uniform(15, 200))
            conditions = [_cond("PodReadyToStartContainers", "False", done), _cond("Initialized", "True", ts),
                          _cond("Ready", "False", done, "PodCompleted"),
                          _cond("ContainersReady", "False", done, "PodCompleted"),
                          _cond("PodScheduled", "True", _ts(created))]
            css = [self._cs(c, {"terminated": {"exitCode": 0, "reason": "Completed", "startedAt": sts,
                                               "finishedAt": done}}, False, 0, False) for c in (main, side)]
            for cs in css:
                cs["state"]["terminated"]["containerID"] = cs["containerID"]
            phase = "Succeeded"
        elif state == "creating" or state == "pullfail":
            unready = "containers with unready status: [%s]" % " ".join(names)
            conditions = [_cond("PodReadyToStartContainers", "False" if state == "creating" else "True", ts),
                          _cond("Initialized", "True", ts),
                          _cond("Ready", "False", ts, "ContainersNotReady", unready),
                          _cond("ContainersReady", "False", ts, "ContainersNotReady", unready),
                          _cond("PodScheduled", "True", _ts(created))]
            if state == "creating":
                css = [self._waiting(c, {"reason": "ContainerCreating"}) for c in (main, side)]
            else:
                conditions[2]["message"] = conditions[3]["message"] = \
                    "containers with unready status: [%s]" % main["name"]
                css = [self._waiting(main, {"reason": "ImagePullBackOff",
                                            "message": 'Back-off pulling image "%s"' % main["image"]}),
                       self._cs(side, {"running": {"startedAt": sts}}, True, 0, True)]
            phase = "Pending"
        elif state == "crashloop":
            unready = "containers with unready status: [%s]" % main["name"]
            conditions = [_cond("PodReadyToStartContainers", "True", ts), _cond("Initialized", "True", ts),
                          _cond("Ready", "False", _ts(self.now - rng.uniform(10, 300)), "ContainersNotReady",
                                unready),
                          _cond("ContainersReady", "False", _ts(self.now - rng.uniform(10, 300)),
                                "ContainersNotReady", unready),
                          _cond("PodScheduled", "True", _ts(created))]
            restarts = rng.randrange(3, 400)
            backoff = "5m0s" if restarts > 5 else "%ds" % (10 * 2 ** (restarts - 1)) if restarts < 4 else \
                "%dm%ds" % divmod(10 * 2 ** (restarts - 1), 60)
            fin = self.now - rng.uniform(5, 290)
            cs = self._cs(main, {"waiting": {
                "reason": "CrashLoopBackOff",
                "message": "back-off %s restarting failed container=%s pod=%s_%s(%s)"
                           % (backoff, main["name"], name, w.ns, uid)}}, False, restarts, False)
            cs["lastState"] = {"terminated": {"exitCode": 1, "reason": "Error", "startedAt": _ts(fin - 3),
                                              "finishedAt": _ts(fin), "containerID": cs["containerID"]}}
            css = [cs, self._cs(side, {"running": {"startedAt": sts}}, True, 0, True)]
            phase = "Running"
        else:
            conditions = [_cond("PodReadyToStartContainers", "True", ts), _cond("Initialized", "True", ts),
                          _cond("Ready", "True", _ts(started + 6)), _cond("ContainersReady", "True", _ts(started + 6)),
                          _cond("PodScheduled", "True", _ts(created))]
            cs_main = self._cs(main, {"running": {"startedAt": sts}}, True, 0, True)
            if state == "restarted":
                n = rng.randrange(1, 6)
                cs_main["restartCount"] = n
                last = self.now - rng.uniform(600, 5 * 86400)
                reason, code = ("OOMKilled", 137) if rng.random() < 0.4 else ("Error", 2)
                cs_main["state"] = {"running": {"startedAt": _ts(last + 1)}}
                cs_main["lastState"] = {"terminated": {"exitCode": code, "reason": reason,
                                                       "startedAt": sts, "finishedAt": _ts(last),
                                                       "containerID": "containerd://" + ids.hex64()}}
            css = [cs_main, self._cs(side, {"running": {"startedAt": sts}}, True, 0, True)]
            phase = "Running"
        status = {"phase": phase, "conditions": conditions, "hostIP": host_ip, "hostIPs": [{"ip": host_ip}]}
        if pod_ip:
            status["podIP"] = pod_ip
            status["podIPs"] = [{"ip": pod_ip}]
        status["startTime"] = ts
        status["containerStatuses"] = css
        status["qosClass"] = qos
        return status, conditions

    def _cs(self, c, state, ready, restarts, started):
        cached = self.image_ids.get(c["image"])
        if cached is None:
            ref, repo = _image_ref(c["image"])
            cached = self.image_ids[c["image"]] = (ref, "%s@sha256:%s" % (repo, self.ids.hex64()))
        ref, image_id = cached
        return {"name": c["name"], "state": state, "lastState": {}, "ready": ready, "restartCount": restarts,
                "image": ref, "imageID": image_id, "containerID": "containerd://" + self.ids.hex64(),
                "started": started, "volumeMounts": self._status_mounts(c)}

    def _waiting(self, c, waiting):
        return {"name": c["name"], "state": {"waiting": waiting}, "lastState": {}, "ready": False,
                "restartCount": 0, "image": c["image"], "imageID": "", "started": False,
                "volumeMounts": self._status_mounts(c)}

    def _status_mounts(self, c):
        return self.cur_mounts[c["name"]]

    # ---- run -------------------------------------------------------------------------------------

    def prepare(self):
        """Learn the nodes pods can go to. Raises ScaleError when there is none."""
        self.image_ids = {}
        _, nodes = self.api.store.list_entries("nodes")
        for e in nodes:
            n = e.obj
            if not controllers.node_ready(n) or (n.get("spec") or {}).get("unschedulable"):
                continue
            ip = controllers._node_internal_ip(n)
            cidr = (n.get("spec") or {}).get("podCIDR") or "10.244.0.0/24"
            self.nodes.append((e.name, ip, cidr.split("/")[0].rsplit(".", 1)[0]))
        if not self.nodes:
            raise ScaleError("no Ready, schedulable node to place pods on")

    def run(self):
        api, store = self.api, self.api.store
        self.prepare()
        self.created = []
        pods_rt = REGISTRY.core("pods")
        plan = self.plan()
        for ns, workloads in plan:
            bootstrap.ensure_namespace(api, ns, self.ctx)
            self.stats["namespaces"] += 1
            for w in workloads:
                self._workload_meta(w)
                w.pods = self.pod_states(w)
                self.create_workload(w)
                for state, created in w.pods:
                    obj = self.pod(w, state, created)
                    md = obj["metadata"]
                    store.create(pods_rt.key, ns, md["name"], obj)
                    self.created.append((ns, md["name"]))
                    self.stats["pods"] += 1
        return self.stats

    def runner(self, ns):
        """A bare Pod workload (no owner), as CI runners or `kubectl run` create them: churn's pods."""
        w = Workload()
        w.kind = "Pod"
        w.ns = ns
        w.name = "ci-runner"
        w.profile = PROFILES[2]
        w.replicas = 1
        w.health = "ok"
        w.node_selector = None
        w.image = "ghcr.io/acme/ci-runner:v2.4.1"
        w.uid = None
        w.labels = w.pod_labels = {"app": "ci-runner", "kubesim.io/churn": "0"}
        w.annotations = {"checksum/config": self.ids.hex64()}
        w.manager = "ci-runner-controller"
        build_template(w, self.ids)
        w.cm_fields = controller_fields(w.template_spec, w.pod_labels, None)
        return w

def default_node_count(pods):
    """Nodes created for --pods when none are given: about 30 pods per node, as in large clusters."""
    return max(1, int(math.ceil(pods / 30.0)))


LAST = None     # the Synth of this run (churn reads its namespaces and pods)


def setup(api, pods, namespaces=None, seed=None, log=None):
    """Generate the synthetic cluster. Returns the Synth (stats in .stats). Raises ScaleError."""
    global LAST
    t0 = time.time()
    synth = Synth(api, pods or 0, namespaces, seed if seed is not None else 1)
    # millions of small objects: the cyclic garbage collector would rescan them again and again (half of
    # the time at 50,000 pods). None of them is garbage: pause it, then freeze them out of later passes.
    was = gc.isenabled()
    gc.disable()
    try:
        stats = synth.run()
    finally:
        if was:
            gc.enable()
    gc.freeze()
    stats["seconds"] = round(time.time() - t0, 2)
    LAST = synth
    if log is not None:
        log("kubesim: synthetic scale: %(pods)d pods, %(deployments)d deployments, %(jobs)d jobs in "
            "%(namespaces)d namespaces, generated in %(seconds).1f s" % stats)
    return synth


def warm_json(api, key="pods", log=None):
    """Serialise every object of a kind once (Entry caches the bytes), in a background thread, so that the
    first LIST or WATCH of a big store does not pay for it. Requests meanwhile serialise on demand."""
    def run():
        t0 = time.time()
        _, entries = api.store.list_entries(key)
        total = 0
        for e in entries:
            if api.store.closed:
                return
            total += len(e.json())
        if log is not None:
            log("kubesim: %d %s serialised (%d bytes of JSON) in %.1f s"
                % (len(entries), key, total, time.time() - t0))
    t = threading.Thread(target=run, name="kubesim-warm-json", daemon=True)
    t.start()
    return t
