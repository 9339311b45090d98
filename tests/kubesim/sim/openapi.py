"""A minimal OpenAPI v3 endpoint (/openapi/v3 and /openapi/v3/<group-version>).

kubectl create/apply validate with `fieldValidation` when the server's OpenAPI v3 document says the
PATCH operation of the kind accepts that parameter; otherwise they fall back to client-side
validation, which needs full schemas ("failed to download openapi"). So each group-version
document lists, per kind, its paths with the operations, their x-kubernetes-group-version-kind and the
standard query parameters, and schemas that accept any object. /openapi/v2 is not served (404), as
kubectl only needs it when v3 is missing. Full schemas (for kubectl explain) are left for later.
"""

import hashlib

from . import errors, util
from .resources import REGISTRY
from .server import PREFIX_HANDLERS, Response

_PARAMS = [{"name": n, "in": "query", "schema": {"type": "string"}, "uniqueItems": True}
           for n in ("dryRun", "fieldManager", "fieldValidation", "pretty")]


def _gv_path(group, version):
    return "api/" + version if not group else "apis/%s/%s" % (group, version)


def _gv_doc(group, version):
    paths = {}
    schemas = {}
    for rt in REGISTRY.resources(group, version):
        gvk = {"group": rt.group, "version": rt.version, "kind": rt.kind}
        base = "/" + _gv_path(group, version)
        coll = base + ("/namespaces/{namespace}/" if rt.namespaced else "/") + rt.plural
        item = coll + "/{name}"
        ref = {"$ref": "#/components/schemas/%s" % _schema_name(rt)}
        body = {"content": {"application/json": {"schema": ref}}, "required": True}
        ok = {"200": {"description": "OK", "content": {"application/json": {"schema": ref}}}}

        def op(action, with_body=False):
            o = {"operationId": "%s%s" % (action, rt.kind), "parameters": list(_PARAMS), "responses": ok,
                 "x-kubernetes-action": action, "x-kubernetes-group-version-kind": gvk}
            if with_body:
                o["requestBody"] = body
            return o
        paths[coll] = {"get": op("list"), "post": op("post", True)}
        # No strategic-merge-patch content type: kubectl apply would then compute its patch from these
        # (schema-less) documents and warn; without it, kubectl uses its compiled-in types instead.
        patch_body = {"content": {ct: {"schema": {"type": "object"}} for ct in (
            "application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml")},
            "required": True}
        patch = op("patch")
        patch["requestBody"] = patch_body
        paths[item] = {"get": op("get"), "put": op("put", True), "patch": patch, "delete": op("delete")}
        schemas[_schema_name(rt)] = {"type": "object", "x-kubernetes-group-version-kind": [gvk],
                                     "x-kubernetes-preserve-unknown-fields": True}
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.4"}, "paths": paths,
            "components": {"schemas": schemas}}


def _schema_name(rt):
    parts = (rt.group or "core").split(".")
    return "io.k8s.api.%s.%s.%s" % (".".join(reversed(parts)) if rt.crd else parts[0], rt.version, rt.kind)


_cache = {}


def _doc(key, build):
    gen = REGISTRY.generation
    hit = _cache.get(key)
    if hit and hit[0] == gen:
        return hit[1]
    body = util.dumpb(build())
    _cache[key] = (gen, body)
    return body


def handle(req):
    if req.method not in ("GET", "HEAD"):
        raise errors.method_not_allowed()
    path = req.path.rstrip("/")
    if path == "/openapi/v3":
        def root():
            out = {}
            for g, vs in REGISTRY.groups():
                for v in vs:
                    p = _gv_path(g, v)
                    h = hashlib.sha512(_doc(("gv", g, v), lambda g=g, v=v: _gv_doc(g, v))).hexdigest()[:32].upper()
                    out[p] = {"serverRelativeURL": "/openapi/v3/%s?hash=%s" % (p, h)}
            return {"paths": out}
        return Response(200, _doc(("root",), root))
    rest = path[len("/openapi/v3/"):]
    parts = rest.split("/")
    if len(parts) == 2 and parts[0] == "api":
        group, version = "", parts[1]
    elif len(parts) == 3 and parts[0] == "apis":
        group, version = parts[1], parts[2]
    else:
        raise errors.path_not_found()
    if not REGISTRY.has_group_version(group, version):
        raise errors.path_not_found()
    return Response(200, _doc(("gv", group, version), lambda: _gv_doc(group, version)), "application/json",
                    {"Cache-Control": "public, immutable"})


PREFIX_HANDLERS["/openapi/v3"] = handle
