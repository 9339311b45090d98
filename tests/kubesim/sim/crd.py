"""CustomResourceDefinitions: a stored CRD registers its custom resource (every served version), so
discovery, CRUD, watch and Tables (additionalPrinterColumns) work for its objects. Deleting the CRD
removes the resource and its objects.
"""

from . import util
from .errors import FieldError
from .resources import REGISTRY, STD_VERBS, ResourceType, Subresource

CRD = REGISTRY.get("apiextensions.k8s.io", "v1", "customresourcedefinitions")

DEFAULT_AGE_COLUMN = {"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp"}

_registered = {}   # crd name -> [(group, version, plural)]


def _crd_validate(ctx, obj, old):
    errs = []
    spec = obj.get("spec") or {}
    names = spec.get("names") or {}
    group = spec.get("group") or ""
    plural = names.get("plural") or ""
    name = (obj.get("metadata") or {}).get("name", "")
    if not group:
        errs.append(FieldError("Required", "spec.group"))
    if not plural:
        errs.append(FieldError("Required", "spec.names.plural"))
    if not names.get("kind"):
        errs.append(FieldError("Required", "spec.names.kind"))
    if spec.get("scope") not in ("Namespaced", "Cluster"):
        errs.append(FieldError("NotSupported", "spec.scope", value=spec.get("scope", ""),
                               supported=["Cluster", "Namespaced"]))
    if group and plural and name != "%s.%s" % (plural, group):
        errs.append(FieldError("Invalid", "metadata.name", 'must be spec.names.plural+"."+spec.group', name))
    versions = spec.get("versions") or []
    if not versions:
        errs.append(FieldError("Invalid", "spec.versions", "must have exactly one version marked as storage "
                               "version", versions))
    elif sum(1 for v in versions if v.get("storage")) != 1:
        errs.append(FieldError("Invalid", "spec.versions", "must have exactly one version marked as storage "
                               "version", versions))
    return errs


def _crd_prepare(ctx, obj, old=None):
    spec = obj.get("spec") or {}
    names = dict(spec.get("names") or {})
    if names.get("kind") and not names.get("listKind"):
        names["listKind"] = names["kind"] + "List"
    if names.get("kind") and not names.get("singular"):
        names["singular"] = names["kind"].lower()
    spec["names"] = names
    now = util.rfc3339()
    st = obj.setdefault("status", {})
    st["acceptedNames"] = {k: v for k, v in names.items() if k in ("plural", "singular", "shortNames", "kind",
                                                                  "listKind", "categories")}
    st["conditions"] = [
        {"type": "NamesAccepted", "status": "True", "lastTransitionTime": now, "reason": "NoConflicts",
         "message": "no conflicts found"},
        {"type": "Established", "status": "True", "lastTransitionTime": now, "reason": "InitialNamesAccepted",
         "message": "the initial names have been accepted"},
    ]
    stored = [v.get("name") for v in spec.get("versions") or [] if v.get("storage")]
    prev = st.get("storedVersions") or []
    st["storedVersions"] = prev + [v for v in stored if v not in prev]


def register_crd(obj):
    """Register the served versions of a CRD object's custom resource."""
    spec = obj.get("spec") or {}
    names = spec.get("names") or {}
    group = spec.get("group")
    name = obj["metadata"]["name"]
    unregister_crd(name)
    versions = [v for v in spec.get("versions") or [] if v.get("served", True)]
    # the storage version is preferred: it comes first in the key's list of types
    versions.sort(key=lambda v: 0 if v.get("storage") else 1)
    idents = []
    for v in versions:
        subs = []
        vsub = v.get("subresources") or spec.get("subresources") or {}
        if "status" in vsub:
            subs.append(Subresource("status", names.get("kind"), ["get", "patch", "update"]))
        if "scale" in vsub:
            subs.append(Subresource("scale", "Scale", ["get", "patch", "update"], group="autoscaling",
                                    version="v1"))
        rt = ResourceType(group, v.get("name"), names.get("plural"), names.get("kind"),
                          namespaced=spec.get("scope") == "Namespaced", singular=names.get("singular"),
                          short_names=names.get("shortNames"), categories=names.get("categories"),
                          verbs=STD_VERBS, subresources=subs, generation=True, return_deleted_object=True,
                          list_kind=names.get("listKind"), crd=True)
        cols = v.get("additionalPrinterColumns")
        if cols is None:
            cols = spec.get("additionalPrinterColumns")
        rt.extra["printer_columns"] = list(cols) if cols else [DEFAULT_AGE_COLUMN]
        rt.extra["crd"] = name
        sf = v.get("selectableFields") or []
        for f in sf:
            path = (f.get("jsonPath") or "").lstrip(".")
            if path:
                from .resources import meta_field
                rt.fields[path] = meta_field(path)
        if "scale" in vsub:
            rt.extra["scale"] = vsub["scale"]
        REGISTRY.register(rt, prefer=bool(v.get("storage")))
        idents.append((group, v.get("name"), names.get("plural")))
    _registered[name] = idents


def unregister_crd(name):
    for ident in _registered.pop(name, []):
        REGISTRY.unregister(*ident)


def _after(ctx, etype, obj, old):
    name = (obj.get("metadata") or {}).get("name")
    if etype == "DELETED":
        idents = _registered.get(name) or []
        key = None
        if idents:
            g, v, p = idents[0]
            rt = REGISTRY.get(g, v, p)
            key = rt.key if rt else None
        api = getattr(ctx, "api", None)
        if key and api is not None:
            _, entries = api.store.list_entries(key)
            for e in entries:
                api.store.remove(key, e.ns, e.name)
            api.store.drop_key(key)
        unregister_crd(name)
        return
    register_crd(obj)


CRD.add_hook("validate", _crd_validate)
CRD.add_hook("prepare_create", lambda ctx, obj: _crd_prepare(ctx, obj))
CRD.add_hook("prepare_update", lambda ctx, new, old: _crd_prepare(ctx, new, old))
CRD.add_hook("after_commit", _after)
