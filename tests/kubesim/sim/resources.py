"""The registry of resource types kubesim serves.

One `ResourceType` describes a (group, version, plural): names, scope, verbs, subresources, field
selectors and per-kind hooks. Registering a new kind is one call:

    from sim.resources import REGISTRY, ResourceType
    REGISTRY.register(ResourceType("example.com", "v1", "widgets", "Widget", short_names=["wd"]))

The object store is keyed by `rt.key` ("plural" for the core group, "group/plural" otherwise), which is
the same for every version of a resource, so several served versions share one set of objects.

Per-kind behaviour plugs in through `rt.add_hook(name, fn)`; the hook names are listed in HOOKS below and
called by sim.ops. Custom verb or subresource handlers go into `rt.handlers` (see sim.ops / README).
"""

import base64
import hashlib
import threading

STD_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
NS_VERBS = ["create", "delete", "get", "list", "patch", "update", "watch"]
STATUS_VERBS = ["get", "patch", "update"]

# Hook names and their signatures (all optional, any number per kind, called in registration order):
#   prepare_create(ctx, obj)                 defaulting / status reset before validation on create
#   prepare_update(ctx, new, old)            the same on update (PUT and PATCH of the main resource)
#   validate(ctx, obj, old) -> [FieldError]  old is None on create
#   after_commit(ctx, event_type, obj, old)  after a write is stored; event_type ADDED/MODIFIED/DELETED
#   before_delete(ctx, obj, options) -> obj  may change the object that a DELETE is about to act on
HOOKS = ("prepare_create", "prepare_update", "validate", "after_commit", "before_delete")


class Subresource:
    __slots__ = ("name", "kind", "verbs", "group", "version")

    def __init__(self, name, kind, verbs, group=None, version=None):
        self.name = name
        self.kind = kind
        self.verbs = list(verbs)
        self.group = group
        self.version = version


def meta_field(path):
    """A field-selector extractor reading a dotted path from the object (missing -> "")."""
    parts = path.split(".")

    def get(obj):
        cur = obj
        for p in parts:
            if not isinstance(cur, dict):
                return ""
            cur = cur.get(p)
        if cur is None:
            return ""
        if isinstance(cur, bool):
            return "true" if cur else "false"
        return str(cur)
    return get


class ResourceType:
    def __init__(self, group, version, plural, kind, namespaced=True, singular=None, short_names=None,
                 categories=None, verbs=None, subresources=None, fields=None, field_style="generic",
                 generation=None, return_deleted_object=False, list_kind=None, crd=False,
                 storage_key=None, convert=None):
        self.group = group
        self.version = version
        self.plural = plural
        self.kind = kind
        self.namespaced = namespaced
        self.singular = singular if singular is not None else kind.lower()
        self.short_names = list(short_names or [])
        self.categories = list(categories or [])
        self.verbs = list(verbs if verbs is not None else STD_VERBS)
        self.subresources = {}
        for sub in subresources or []:
            self.subresources[sub.name] = sub
        # field selector extractors beyond metadata.name / metadata.namespace: name -> fn(obj) -> str
        self.fields = dict(fields or {})
        # "core": unknown field -> 'field label not supported: x'; "generic": the default converter message
        self.field_style = field_style
        # does metadata.generation exist for this kind (bumped on spec changes)?
        self.generation = (group != "") if generation is None else generation
        self.return_deleted_object = return_deleted_object
        self.list_kind = list_kind or (kind + "List")
        self.crd = crd
        # Another resource whose objects this one serves (e.g. events.k8s.io/v1 events are core events).
        self.storage_key = storage_key
        # (to_storage(obj) -> obj, from_storage(obj) -> obj) when storage_key is set
        self.convert = convert
        self.hooks = {h: [] for h in HOOKS}
        # custom handlers: "create", "list", "get", ... or "sub:<name>" -> fn(request_context) -> response
        self.handlers = {}
        # optional extra data for other modules (e.g. the CRD definition, scale paths)
        self.extra = {}

    @property
    def key(self):
        if self.storage_key:
            return self.storage_key
        return self.plural if not self.group else "%s/%s" % (self.group, self.plural)

    @property
    def api_version(self):
        return self.version if not self.group else "%s/%s" % (self.group, self.version)

    @property
    def group_version(self):
        return self.api_version

    @property
    def has_status(self):
        return "status" in self.subresources

    def add_hook(self, name, fn):
        if name not in self.hooks:
            raise ValueError("unknown hook %r (known: %s)" % (name, ", ".join(HOOKS)))
        self.hooks[name].append(fn)
        return fn

    def storage_version_hash(self):
        raw = hashlib.sha256(("%s/%s/%s" % (self.group, self.version, self.kind)).encode()).digest()
        return base64.b64encode(raw[:8]).decode()

    def __repr__(self):
        return "<ResourceType %s/%s %s>" % (self.group or "core", self.version, self.plural)


class Registry:
    """All served resource types, in the order groups are listed by discovery."""

    def __init__(self):
        self._lock = threading.RLock()
        self._types = {}          # (group, version, plural) -> ResourceType
        self._groups = []         # [group] in discovery order ("" first)
        self._versions = {}       # group -> [version] in preference order
        self._by_key = {}         # key -> [ResourceType] (first = preferred/storage)
        self.generation = 0       # bumped on every change (discovery caches use it)
        self._listeners = []

    def register(self, rt, prefer=False):
        """Add (or replace) a resource type. Returns it, so modules can keep a handle."""
        with self._lock:
            ident = (rt.group, rt.version, rt.plural)
            old = self._types.get(ident)
            self._types[ident] = rt
            if rt.group not in self._versions:
                self._groups.append(rt.group)
                self._versions[rt.group] = []
            versions = self._versions[rt.group]
            if rt.version not in versions:
                if prefer:
                    versions.insert(0, rt.version)
                else:
                    versions.append(rt.version)
            lst = self._by_key.setdefault(rt.key, [])
            if old is not None and old in lst:
                lst[lst.index(old)] = rt
            elif prefer:
                lst.insert(0, rt)
            else:
                lst.append(rt)
            self.generation += 1
        for fn in list(self._listeners):
            fn()
        return rt

    def unregister(self, group, version, plural):
        with self._lock:
            rt = self._types.pop((group, version, plural), None)
            if rt is None:
                return None
            lst = self._by_key.get(rt.key, [])
            if rt in lst:
                lst.remove(rt)
            if not lst:
                self._by_key.pop(rt.key, None)
            if not any(g == group and v == version for (g, v, _) in self._types):
                self._versions[group].remove(version)
                if not self._versions[group]:
                    del self._versions[group]
                    self._groups.remove(group)
            self.generation += 1
        for fn in list(self._listeners):
            fn()
        return rt

    def on_change(self, fn):
        self._listeners.append(fn)

    def get(self, group, version, plural):
        return self._types.get((group, version, plural))

    def by_key(self, key):
        """The preferred (storage) ResourceType for a store key."""
        lst = self._by_key.get(key)
        return lst[0] if lst else None

    def versions_of_key(self, key):
        return list(self._by_key.get(key, []))

    def core(self, plural):
        return self._types.get(("", "v1", plural))

    def groups(self):
        """[(group, [versions...])] in discovery order."""
        with self._lock:
            order = {g: i for i, g in enumerate(GROUP_ORDER)}
            groups = sorted(self._groups, key=lambda g: (order.get(g, len(order)), self._groups.index(g)))
            return [(g, list(self._versions[g])) for g in groups]

    def has_group_version(self, group, version):
        return version in self._versions.get(group, [])

    def resources(self, group, version):
        with self._lock:
            return sorted((rt for (g, v, _), rt in self._types.items() if g == group and v == version),
                          key=lambda r: r.plural)

    def all(self):
        with self._lock:
            return list(self._types.values())

    def find_kind(self, api_version, kind):
        """The ResourceType for an apiVersion + kind (as found in manifests), or None."""
        if "/" in (api_version or ""):
            group, version = api_version.split("/", 1)
        else:
            group, version = "", api_version or "v1"
        with self._lock:
            for (g, v, _), rt in self._types.items():
                if g == group and v == version and rt.kind == kind:
                    return rt
        return None


# The order in which a 1.32 apiserver lists its groups; other groups (CRDs) follow in registration order.
GROUP_ORDER = ["", "apps", "events.k8s.io", "authentication.k8s.io", "authorization.k8s.io", "autoscaling",
               "batch", "certificates.k8s.io", "networking.k8s.io", "policy", "rbac.authorization.k8s.io",
               "storage.k8s.io", "admissionregistration.k8s.io", "apiextensions.k8s.io", "scheduling.k8s.io",
               "coordination.k8s.io", "node.k8s.io", "discovery.k8s.io", "flowcontrol.apiserver.k8s.io",
               "metrics.k8s.io"]

REGISTRY = Registry()


def _sub_status(kind):
    return Subresource("status", kind, STATUS_VERBS)


def _sub_scale():
    return Subresource("scale", "Scale", STATUS_VERBS, group="autoscaling", version="v1")


_EVENT_RENAMES = [  # (events.k8s.io/v1 field, core/v1 field)
    ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
    ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
    ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
]


def _event_from_core(obj):
    out = {}
    for k, v in obj.items():
        out[k] = v
    for new, old in _EVENT_RENAMES:
        if old in out:
            out[new] = out.pop(old)
    out["apiVersion"] = "events.k8s.io/v1"
    return out


def _event_to_core(obj):
    out = dict(obj)
    for new, old in _EVENT_RENAMES:
        if new in out:
            out[old] = out.pop(new)
    out["apiVersion"] = "v1"
    return out


def _register_builtins(reg):
    R = ResourceType
    S = Subresource
    f = meta_field

    # ---- core/v1 (alphabetical order is applied by discovery) ----------------------------------
    reg.register(R("", "v1", "namespaces", "Namespace", namespaced=False, short_names=["ns"], verbs=NS_VERBS,
                   subresources=[S("finalize", "Namespace", ["update"]), _sub_status("Namespace")],
                   fields={"status.phase": f("status.phase")}, field_style="core", generation=False,
                   return_deleted_object=True))
    reg.register(R("", "v1", "pods", "Pod", short_names=["po"], categories=["all"],
                   subresources=[
                       S("attach", "PodAttachOptions", ["create", "get"]),
                       S("binding", "Binding", ["create"]),
                       S("ephemeralcontainers", "Pod", STATUS_VERBS),
                       S("eviction", "Eviction", ["create"], group="policy", version="v1"),
                       S("exec", "PodExecOptions", ["create", "get"]),
                       S("log", "Pod", ["get"]),
                       S("portforward", "PodPortForwardOptions", ["create", "get"]),
                       S("proxy", "PodProxyOptions", ["create", "delete", "get", "patch", "update"]),
                       _sub_status("Pod"),
                   ],
                   fields={
                       "spec.nodeName": f("spec.nodeName"),
                       "spec.restartPolicy": f("spec.restartPolicy"),
                       "spec.schedulerName": f("spec.schedulerName"),
                       "spec.serviceAccountName": f("spec.serviceAccountName"),
                       "spec.hostNetwork": lambda o: "true" if (o.get("spec") or {}).get("hostNetwork") else "false",
                       "status.phase": f("status.phase"),
                       "status.podIP": f("status.podIP"),
                       "status.podIPs": lambda o: ((o.get("status") or {}).get("podIPs") or [{}])[0].get("ip", ""),
                       "status.nominatedNodeName": f("status.nominatedNodeName"),
                   }, field_style="core", generation=False, return_deleted_object=True))
    reg.register(R("", "v1", "nodes", "Node", namespaced=False, short_names=["no"],
                   subresources=[S("proxy", "NodeProxyOptions", ["create", "delete", "get", "patch", "update"]),
                                 _sub_status("Node")],
                   fields={"spec.unschedulable": lambda o: "true" if (o.get("spec") or {}).get("unschedulable")
                           else "false"},
                   field_style="core", generation=False))
    reg.register(R("", "v1", "services", "Service", short_names=["svc"], categories=["all"],
                   verbs=STD_VERBS,
                   subresources=[S("proxy", "ServiceProxyOptions", ["create", "delete", "get", "patch", "update"]),
                                 _sub_status("Service")],
                   generation=False))
    reg.register(R("", "v1", "configmaps", "ConfigMap", short_names=["cm"], generation=False))
    reg.register(R("", "v1", "secrets", "Secret", fields={"type": f("type")}, field_style="core",
                   generation=False))
    reg.register(R("", "v1", "events", "Event", short_names=["ev"], generation=False, field_style="core",
                   fields={
                       "involvedObject.kind": f("involvedObject.kind"),
                       "involvedObject.namespace": f("involvedObject.namespace"),
                       "involvedObject.name": f("involvedObject.name"),
                       "involvedObject.uid": f("involvedObject.uid"),
                       "involvedObject.apiVersion": f("involvedObject.apiVersion"),
                       "involvedObject.resourceVersion": f("involvedObject.resourceVersion"),
                       "involvedObject.fieldPath": f("involvedObject.fieldPath"),
                       "reason": f("reason"),
                       "reportingComponent": f("reportingComponent"),
                       "source": f("source.component"),
                       "type": f("type"),
                   }))
    reg.register(R("", "v1", "serviceaccounts", "ServiceAccount", short_names=["sa"], generation=False,
                   subresources=[S("token", "TokenRequest", ["create"], group="authentication.k8s.io",
                                   version="v1")]))
    reg.register(R("", "v1", "persistentvolumes", "PersistentVolume", namespaced=False, short_names=["pv"],
                   subresources=[_sub_status("PersistentVolume")], generation=False))
    reg.register(R("", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", short_names=["pvc"],
                   subresources=[_sub_status("PersistentVolumeClaim")], generation=False))
    reg.register(R("", "v1", "resourcequotas", "ResourceQuota", short_names=["quota"],
                   subresources=[_sub_status("ResourceQuota")], generation=False))
    reg.register(R("", "v1", "limitranges", "LimitRange", short_names=["limits"], generation=False))
    reg.register(R("", "v1", "endpoints", "Endpoints", singular="endpoints", short_names=["ep"],
                   generation=False))
    reg.register(R("", "v1", "replicationcontrollers", "ReplicationController", short_names=["rc"],
                   categories=["all"], subresources=[_sub_scale(), _sub_status("ReplicationController")],
                   fields={"status.replicas": f("status.replicas")}, field_style="core", generation=True))

    # ---- apps/v1 ---------------------------------------------------------------------------------
    reg.register(R("apps", "v1", "controllerrevisions", "ControllerRevision"))
    reg.register(R("apps", "v1", "daemonsets", "DaemonSet", short_names=["ds"], categories=["all"],
                   subresources=[_sub_status("DaemonSet")]))
    reg.register(R("apps", "v1", "deployments", "Deployment", short_names=["deploy"], categories=["all"],
                   subresources=[_sub_scale(), _sub_status("Deployment")]))
    reg.register(R("apps", "v1", "replicasets", "ReplicaSet", short_names=["rs"], categories=["all"],
                   subresources=[_sub_scale(), _sub_status("ReplicaSet")],
                   fields={"status.replicas": f("status.replicas")}, field_style="core"))
    reg.register(R("apps", "v1", "statefulsets", "StatefulSet", short_names=["sts"], categories=["all"],
                   subresources=[_sub_scale(), _sub_status("StatefulSet")]))

    # ---- events.k8s.io/v1: the same objects as core/v1 events, converted on the way in and out -----
    reg.register(R("events.k8s.io", "v1", "events", "Event", short_names=["ev"], generation=False,
                   storage_key="events", convert=(_event_to_core, _event_from_core)))

    # ---- autoscaling/v2 ---------------------------------------------------------------------------
    reg.register(R("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler",
                   short_names=["hpa"], categories=["all"],
                   subresources=[_sub_status("HorizontalPodAutoscaler")]))

    # ---- batch/v1 --------------------------------------------------------------------------------
    reg.register(R("batch", "v1", "cronjobs", "CronJob", short_names=["cj"], categories=["all"],
                   subresources=[_sub_status("CronJob")]))
    reg.register(R("batch", "v1", "jobs", "Job", categories=["all"], subresources=[_sub_status("Job")],
                   fields={"status.successful": f("status.succeeded")}, field_style="core"))

    # ---- networking.k8s.io/v1 --------------------------------------------------------------------
    reg.register(R("networking.k8s.io", "v1", "ingressclasses", "IngressClass", namespaced=False))
    reg.register(R("networking.k8s.io", "v1", "ingresses", "Ingress", short_names=["ing"],
                   subresources=[_sub_status("Ingress")]))
    reg.register(R("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", short_names=["netpol"]))

    # ---- policy/v1 -------------------------------------------------------------------------------
    reg.register(R("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", short_names=["pdb"],
                   subresources=[_sub_status("PodDisruptionBudget")]))

    # ---- rbac.authorization.k8s.io/v1 ------------------------------------------------------------
    rbac = "rbac.authorization.k8s.io"
    reg.register(R(rbac, "v1", "clusterrolebindings", "ClusterRoleBinding", namespaced=False, generation=False))
    reg.register(R(rbac, "v1", "clusterroles", "ClusterRole", namespaced=False, generation=False))
    reg.register(R(rbac, "v1", "rolebindings", "RoleBinding", generation=False))
    reg.register(R(rbac, "v1", "roles", "Role", generation=False))

    # ---- storage.k8s.io/v1 -----------------------------------------------------------------------
    reg.register(R("storage.k8s.io", "v1", "storageclasses", "StorageClass", namespaced=False,
                   short_names=["sc"], generation=False))

    # ---- apiextensions.k8s.io/v1 -----------------------------------------------------------------
    reg.register(R("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
                   namespaced=False, short_names=["crd", "crds"], categories=["api-extensions"],
                   subresources=[_sub_status("CustomResourceDefinition")]))

    # ---- scheduling.k8s.io/v1 --------------------------------------------------------------------
    reg.register(R("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", namespaced=False,
                   short_names=["pc"], generation=False))

    # ---- coordination.k8s.io/v1 ------------------------------------------------------------------
    reg.register(R("coordination.k8s.io", "v1", "leases", "Lease", generation=False))

    # ---- discovery.k8s.io/v1 ---------------------------------------------------------------------
    reg.register(R("discovery.k8s.io", "v1", "endpointslices", "EndpointSlice", generation=False))


_register_builtins(REGISTRY)
