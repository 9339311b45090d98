"""Discovery: /version, /api, /apis, /api/v1, /apis/{g}[/{v}], legacy and aggregated (v2, v2beta1).

Aggregated discovery is chosen strictly from the Accept header (k8s-api.md §2.2): the first clause that
names apidiscovery.k8s.io v2 or v2beta1 with as=APIGroupDiscoveryList wins; otherwise legacy JSON.
Bodies are cached per registry generation, with an ETag and 304 for If-None-Match.
"""

import hashlib
import threading

from . import errors, util
from .resources import REGISTRY

VERSION = {
    "major": "1",
    "minor": "32",
    "gitVersion": "v1.32.4",
    "gitCommit": "59526cd4867447956156ae3a602fcbac10a2c335",
    "gitTreeState": "clean",
    "buildDate": "2025-04-22T16:01:56Z",
    "goVersion": "go1.23.6",
    "compiler": "gc",
    "platform": "linux/amd64",
}

SERVER_ADDRESS = [{"clientCIDR": "0.0.0.0/0", "serverAddress": "10.0.0.1:6443"}]

_cache = {}
_cache_lock = threading.Lock()


def aggregated_version(accept):
    """'v2', 'v2beta1' or None, from the Accept header (first matching clause wins)."""
    for clause in (accept or "").split(","):
        parts = [p.strip() for p in clause.split(";")]
        if parts[0].lower() not in ("application/json",):
            continue
        params = {}
        for p in parts[1:]:
            if "=" in p:
                k, v = p.split("=", 1)
                params[k.strip()] = v.strip()
        if params.get("g") == "apidiscovery.k8s.io" and params.get("as") == "APIGroupDiscoveryList" and \
                params.get("v") in ("v2", "v2beta1"):
            return params["v"]
    return None


def _cached(key, build):
    gen = REGISTRY.generation
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None and hit[0] == gen:
            return hit[1], hit[2]
    body = util.dumpb(build())
    etag = '"%s"' % hashlib.sha256(body).hexdigest()[:32].upper()
    with _cache_lock:
        _cache[key] = (gen, body, etag)
    return body, etag


def _api_resource(rt):
    d = {"name": rt.plural, "singularName": rt.singular, "namespaced": rt.namespaced, "kind": rt.kind,
         "verbs": list(rt.verbs)}
    if rt.short_names:
        d["shortNames"] = list(rt.short_names)
    if rt.categories:
        d["categories"] = list(rt.categories)
    d["storageVersionHash"] = rt.storage_version_hash()
    return d


def _sub_resource(rt, sub):
    d = {"name": "%s/%s" % (rt.plural, sub.name), "singularName": "", "namespaced": rt.namespaced}
    if sub.group is not None:
        d["group"] = sub.group
        d["version"] = sub.version
    d["kind"] = sub.kind
    d["verbs"] = list(sub.verbs)
    return d


def resource_list(group, version):
    """The legacy APIResourceList for a group version (None when not served)."""
    if not REGISTRY.has_group_version(group, version):
        return None
    gv = version if not group else "%s/%s" % (group, version)

    def build():
        res = []
        for rt in REGISTRY.resources(group, version):
            res.append(_api_resource(rt))
            for name in sorted(rt.subresources):
                res.append(_sub_resource(rt, rt.subresources[name]))
        return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv, "resources": res}
    return _cached(("rl", group, version), build)


def api_versions():
    return _cached(("api",), lambda: {"kind": "APIVersions", "versions": ["v1"],
                                      "serverAddressByClientCIDRs": SERVER_ADDRESS})


def _group_entry(group, versions):
    vs = [{"groupVersion": "%s/%s" % (group, v), "version": v} for v in versions]
    return {"name": group, "versions": vs, "preferredVersion": vs[0]}


def api_group_list():
    def build():
        groups = [_group_entry(g, vs) for g, vs in REGISTRY.groups() if g]
        return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}
    return _cached(("apis",), build)


def api_group(group):
    for g, vs in REGISTRY.groups():
        if g == group and g:
            return _cached(("group", group), lambda: dict(kind="APIGroup", apiVersion="v1",
                                                         **_group_entry(g, vs)))
    return None


def _disc_resource(rt):
    d = {"resource": rt.plural,
         "responseKind": {"group": rt.group, "version": rt.version, "kind": rt.kind},
         "scope": "Namespaced" if rt.namespaced else "Cluster",
         "singularResource": rt.singular,
         "verbs": list(rt.verbs)}
    if rt.short_names:
        d["shortNames"] = list(rt.short_names)
    if rt.categories:
        d["categories"] = list(rt.categories)
    subs = []
    for name in sorted(rt.subresources):
        sub = rt.subresources[name]
        subs.append({"subresource": sub.name,
                     "responseKind": {"group": sub.group if sub.group is not None else rt.group,
                                      "version": sub.version if sub.version is not None else rt.version,
                                      "kind": sub.kind},
                     "verbs": list(sub.verbs)})
    if subs:
        d["subresources"] = subs
    return d


def _disc_group(group, versions):
    vs = []
    for v in versions:
        vs.append({"version": v, "resources": [_disc_resource(rt) for rt in REGISTRY.resources(group, v)],
                   "freshness": "Current"})
    return {"metadata": {"name": group, "creationTimestamp": None}, "versions": vs}


def aggregated(core, version):
    """The APIGroupDiscoveryList for /api (core=True) or /apis."""
    def build():
        if core:
            items = [_disc_group("", ["v1"])]
        else:
            items = [_disc_group(g, vs) for g, vs in REGISTRY.groups() if g]
        return {"kind": "APIGroupDiscoveryList", "apiVersion": "apidiscovery.k8s.io/" + version,
                "metadata": {}, "items": items}
    return _cached(("agg", core, version), build)


def aggregated_content_type(version):
    return "application/json;g=apidiscovery.k8s.io;v=%s;as=APIGroupDiscoveryList" % version


def version_body():
    return util.dumpb(VERSION)


def not_found():
    return errors.path_not_found()
