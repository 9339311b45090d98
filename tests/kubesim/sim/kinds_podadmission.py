"""The ServiceAccount admission plugin's token volume, which every pod created through a real 1.32
apiserver carries (and `kubectl describe pod` shows under Mounts and Volumes):

  volumes:  kube-api-access-<5 chars>: projected {serviceAccountToken (3607 s), the kube-root-ca.crt
            ConfigMap's ca.crt, the namespace through the downward API}, defaultMode 420
  mounts:   /var/run/secrets/kubernetes.io/serviceaccount (read-only) in every container and init container

Skipped when the pod or its ServiceAccount sets automountServiceAccountToken: false, or a container
already mounts that path. Objects loaded with --objects are stored as given (they stand for what is
already in etcd).
"""

import random

from . import controllers
from .resources import REGISTRY

PODS = REGISTRY.core("pods")
TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"
_rng = random.Random()
_store = []    # the store, once the controllers start (to read the pod's ServiceAccount)


def token_volume(name):
    return {"name": name, "projected": {"defaultMode": 420, "sources": [
        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
        {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}},
        {"downwardAPI": {"items": [{"path": "namespace",
                                    "fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}]}},
    ]}}


def _sa_automount(ns, name):
    if not _store:
        return True
    e = _store[0].get_entry("serviceaccounts", ns or "", name)
    return e is None or e.obj.get("automountServiceAccountToken") is not False


def _admit(ctx, pod):
    if ctx.load:
        return
    spec = pod.get("spec")
    if not isinstance(spec, dict) or spec.get("automountServiceAccountToken") is False:
        return
    md = pod.get("metadata") or {}
    if "kubernetes.io/config.mirror" in (md.get("annotations") or {}):
        return
    if not _sa_automount(md.get("namespace"), spec.get("serviceAccountName") or "default"):
        return
    containers = [c for key in ("initContainers", "containers")
                  for c in (spec.get(key) if isinstance(spec.get(key), list) else []) if isinstance(c, dict)]
    volumes = spec.get("volumes") if isinstance(spec.get("volumes"), list) else []
    if any(isinstance(v, dict) and str(v.get("name", "")).startswith("kube-api-access-") for v in volumes):
        return
    needs = [c for c in containers
             if not any(isinstance(m, dict) and m.get("mountPath") == TOKEN_PATH for m in c.get("volumeMounts") or [])]
    if not needs:
        return
    name = "kube-api-access-" + "".join(_rng.choice(_ALPHABET) for _ in range(5))
    spec["volumes"] = list(volumes) + [token_volume(name)]
    for c in needs:
        mounts = c.get("volumeMounts") if isinstance(c.get("volumeMounts"), list) else []
        c["volumeMounts"] = mounts + [{"name": name, "readOnly": True, "mountPath": TOKEN_PATH}]


PODS.add_hook("prepare_create", _admit)


@controllers.register
class _StoreHandle(controllers.Controller):
    """Not a controller: gives the admission hook read access to ServiceAccounts."""
    name = "serviceaccount-admission"
    always = True

    def setup(self, mgr):
        _store[:] = [mgr.store]
