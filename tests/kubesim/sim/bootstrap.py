"""Start-up state: the default namespaces and node, manifests from --objects, the kubeconfig file."""

import base64
import json
import os

import yaml

from . import errors, ops, util
from .resources import REGISTRY

DEFAULT_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"]


class LoadError(Exception):
    pass


def ensure_namespace(api, name, ctx=None):
    if api.namespace_exists(name):
        return
    api.create(ctx or ops.Context(internal=True, load=True), REGISTRY.core("namespaces"), "",
               {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})


def make_node(name, index=1, ready=True, unschedulable=False, roles=(), labels=None, created=None):
    """A realistic Node object (kubelet-reported status included)."""
    ip = "10.0.0.%d" % (10 + index)
    lbl = {
        "beta.kubernetes.io/arch": "amd64", "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64", "kubernetes.io/hostname": name, "kubernetes.io/os": "linux",
    }
    for r in roles:
        lbl["node-role.kubernetes.io/" + r] = ""
    lbl.update(labels or {})
    now = util.rfc3339(created)
    ready_cond = {"type": "Ready", "status": "True" if ready else "Unknown", "lastHeartbeatTime": now,
                  "lastTransitionTime": now,
                  "reason": "KubeletReady" if ready else "NodeStatusUnknown",
                  "message": "kubelet is posting ready status" if ready else "Kubelet stopped posting node status."}
    node = {
        "apiVersion": "v1", "kind": "Node",
        "metadata": {"name": name, "labels": lbl,
                     "annotations": {"node.alpha.kubernetes.io/ttl": "0",
                                     "volumes.kubernetes.io/controller-managed-attach-detach": "true"}},
        "spec": {"podCIDR": "10.244.%d.0/24" % index, "podCIDRs": ["10.244.%d.0/24" % index],
                 "providerID": "kubesim://" + name},
        "status": {
            "capacity": {"cpu": "4", "ephemeral-storage": "102625208Ki", "hugepages-1Gi": "0",
                         "hugepages-2Mi": "0", "memory": "16373924Ki", "pods": "110"},
            "allocatable": {"cpu": "4", "ephemeral-storage": "94580335255", "hugepages-1Gi": "0",
                            "hugepages-2Mi": "0", "memory": "16271524Ki", "pods": "110"},
            "conditions": [
                {"type": "MemoryPressure", "status": "False", "lastHeartbeatTime": now, "lastTransitionTime": now,
                 "reason": "KubeletHasSufficientMemory", "message": "kubelet has sufficient memory available"},
                {"type": "DiskPressure", "status": "False", "lastHeartbeatTime": now, "lastTransitionTime": now,
                 "reason": "KubeletHasNoDiskPressure", "message": "kubelet has no disk pressure"},
                {"type": "PIDPressure", "status": "False", "lastHeartbeatTime": now, "lastTransitionTime": now,
                 "reason": "KubeletHasSufficientPID", "message": "kubelet has sufficient PID available"},
                ready_cond,
            ],
            "addresses": [{"type": "InternalIP", "address": ip}, {"type": "Hostname", "address": name}],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "machineID": util.short_hash("machine" + name, 32),
                "systemUUID": util.short_hash("uuid" + name, 32),
                "bootID": util.short_hash("boot" + name, 32),
                "kernelVersion": "6.1.0-28-amd64",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "containerRuntimeVersion": "containerd://1.7.24",
                "kubeletVersion": "v1.32.4",
                "kubeProxyVersion": "v1.32.4",
                "operatingSystem": "linux",
                "architecture": "amd64",
            },
        },
    }
    if unschedulable:
        node["spec"]["unschedulable"] = True
        node["spec"]["taints"] = [{"key": "node.kubernetes.io/unschedulable", "effect": "NoSchedule",
                                   "timeAdded": now}]
    if not ready:
        node["spec"].setdefault("taints", []).extend([
            {"key": "node.kubernetes.io/unreachable", "effect": "NoSchedule", "timeAdded": now},
            {"key": "node.kubernetes.io/unreachable", "effect": "NoExecute", "timeAdded": now}])
    return node


def add_node(api, node):
    ctx = ops.Context(internal=True, load=True)
    api.create(ctx, REGISTRY.core("nodes"), "", node)
    name = node["metadata"]["name"]
    lease = {"apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
             "metadata": {"name": name, "namespace": "kube-node-lease",
                          "ownerReferences": [{"apiVersion": "v1", "kind": "Node", "name": name,
                                               "uid": node["metadata"].get("uid", "")}]},
             "spec": {"holderIdentity": name, "leaseDurationSeconds": 40, "renewTime": util.rfc3339_micro()}}
    stored = api.store.get("nodes", "", name)
    lease["metadata"]["ownerReferences"][0]["uid"] = stored["metadata"]["uid"]
    try:
        api.create(ctx, REGISTRY.get("coordination.k8s.io", "v1", "leases"), "kube-node-lease", lease)
    except errors.ApiError:
        pass


def read_manifests(path):
    """All objects in a file: multi-document YAML, JSON, or a List (kind: List / *List with items)."""
    try:
        with open(path, "rb") as f:
            text = f.read().decode("utf-8")
    except OSError as e:
        raise LoadError("cannot read %s: %s" % (path, e))
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError as e:
        try:
            docs = [json.loads(text)]
        except ValueError:
            raise LoadError("%s: not valid YAML or JSON: %s" % (path, e))
    out = []

    def add(doc):
        if doc is None:
            return
        if not isinstance(doc, dict):
            raise LoadError("%s: a document is not an object" % path)
        kind = doc.get("kind") or ""
        if isinstance(doc.get("items"), list) and kind.endswith("List"):
            for item in doc["items"]:
                add(item)
            return
        out.append(doc)
    for d in docs:
        add(d)
    return out


def _stringify_times(obj):
    """YAML may parse timestamps into datetime objects: turn them back into RFC3339 strings."""
    import datetime
    if isinstance(obj, dict):
        return {k: _stringify_times(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_stringify_times(v) for v in obj]
    if isinstance(obj, datetime.datetime):
        if obj.tzinfo is None:
            obj = obj.replace(tzinfo=datetime.timezone.utc)
        return util.rfc3339(obj.timestamp())
    if isinstance(obj, datetime.date):
        return obj.isoformat()
    return obj


def load_objects(api, paths):
    """Load manifests into the store; returns the number of objects. Raises LoadError."""
    docs = []
    for p in paths:
        for d in read_manifests(p):
            docs.append((p, _stringify_times(d)))

    def order(item):
        kind = item[1].get("kind")
        return 0 if kind == "Namespace" else 1 if kind == "CustomResourceDefinition" else 2
    docs.sort(key=order)   # stable: file order within each class
    ctx = ops.Context(internal=True, load=True)
    n = 0
    for path, d in docs:
        rt = REGISTRY.find_kind(d.get("apiVersion"), d.get("kind"))
        if rt is None:
            raise LoadError("%s: no resource for apiVersion %r kind %r" % (path, d.get("apiVersion"), d.get("kind")))
        md = d.setdefault("metadata", {})
        ns = ""
        if rt.namespaced:
            ns = md.get("namespace") or "default"
            md["namespace"] = ns
            ensure_namespace(api, ns, ctx)
        try:
            if rt.key == "nodes":
                add_node(api, d)
            else:
                api.create(ctx, rt, ns, d)
        except errors.ApiError as e:
            raise LoadError("%s: %s %s/%s: %s" % (path, d.get("kind"), ns, md.get("name"), e.message))
        n += 1
    return n


def kubeconfig(url, ca_pem, token=None, client_cert=None, client_key=None, basic=None):
    user = {}
    if token:
        user["token"] = token
    if client_cert:
        user["client-certificate-data"] = base64.b64encode(client_cert).decode()
        user["client-key-data"] = base64.b64encode(client_key).decode()
    if basic:
        user["username"], user["password"] = basic
    cluster = {"server": url}
    if ca_pem:
        cluster["certificate-authority-data"] = base64.b64encode(ca_pem).decode()
    cfg = {
        "apiVersion": "v1", "kind": "Config", "preferences": {},
        "clusters": [{"name": "kubesim", "cluster": cluster}],
        "users": [{"name": "kubesim", "user": user}],
        "contexts": [{"name": "kubesim", "context": {"cluster": "kubesim", "user": "kubesim",
                                                     "namespace": "default"}}],
        "current-context": "kubesim",
    }
    return yaml.safe_dump(cfg, default_flow_style=False, sort_keys=False)


def write_kubeconfig(path, text):
    util.atomic_write(path, text, 0o600)
    os.chmod(path, 0o600)
