"""Generic subresources: /status (every kind that has it) and /scale (autoscaling/v1 Scale).

Kind-specific subresources (pods/log, pods/eviction, pods/exec, ...) register their handler with
`server.SUBRESOURCE_HANDLERS[name] = fn` or `rt.handlers["sub:<name>"] = fn` from their own module.
"""

import json

from . import errors, patch as patchmod, selectors, util
from .errors import FieldError
from .server import SUBRESOURCE_HANDLERS, _encode_single


def handle_status(req):
    rt, api = req.rt, req.api
    if req.verb == "get":
        return _encode_single(req, api.get(rt, req.namespace, req.name))
    if req.verb == "update":
        out = api.update(req.ctx, rt, req.namespace, req.name, req.json_body(), subresource="status")
        return _encode_single(req, out)
    if req.verb == "patch":
        out = api.patch(req.ctx, rt, req.namespace, req.name, req.headers.get("Content-Type"), req.body,
                        subresource="status")
        return _encode_single(req, out)
    raise errors.method_not_allowed()


# where spec.replicas, status.replicas and the selector live, per kind (CRDs declare theirs)
SCALE_PATHS = {
    "apps/deployments": ("spec.replicas", "status.replicas", "spec.selector"),
    "apps/replicasets": ("spec.replicas", "status.replicas", "spec.selector"),
    "apps/statefulsets": ("spec.replicas", "status.replicas", "spec.selector"),
    "replicationcontrollers": ("spec.replicas", "status.replicas", "spec.selector"),
}


def _get_path(obj, path):
    cur = obj
    for p in path.lstrip(".").split("."):
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur


def _set_path(obj, path, value):
    parts = path.lstrip(".").split(".")
    cur = obj
    for p in parts[:-1]:
        cur = cur.setdefault(p, {})
    cur[parts[-1]] = value


def _paths(rt):
    if rt.key in SCALE_PATHS:
        return SCALE_PATHS[rt.key], False
    sc = rt.extra.get("scale")
    if sc:
        return (sc.get("specReplicasPath", ".spec.replicas"), sc.get("statusReplicasPath", ".status.replicas"),
                sc.get("labelSelectorPath")), True
    return None, False


def scale_of(rt, obj):
    paths, is_crd = _paths(rt)
    spec_p, status_p, sel_p = paths
    md = obj.get("metadata") or {}
    sel = _get_path(obj, sel_p) if sel_p else None
    if isinstance(sel, dict):
        sel_str = selectors.label_selector_string(sel)
        if sel_str == "<none>":
            sel_str = ""
    elif rt.key == "replicationcontrollers" and isinstance(sel, dict):
        sel_str = ",".join("%s=%s" % kv for kv in sorted(sel.items()))
    else:
        sel_str = sel if isinstance(sel, str) else ""
    scale = {"kind": "Scale", "apiVersion": "autoscaling/v1",
             "metadata": {k: md[k] for k in ("name", "namespace", "uid", "resourceVersion", "creationTimestamp")
                          if k in md},
             "spec": {"replicas": int(_get_path(obj, spec_p) or 0)},
             "status": {"replicas": int(_get_path(obj, status_p) or 0)}}
    if sel_str:
        scale["status"]["selector"] = sel_str
    return scale


def _apply_scale(req, new_scale):
    rt, api = req.rt, req.api
    paths, _ = _paths(rt)
    if not isinstance(new_scale, dict):
        raise errors.bad_request("the object provided is unrecognized (must be of type Scale)")
    replicas = (new_scale.get("spec") or {}).get("replicas")
    if replicas is None:
        replicas = 0
    if not isinstance(replicas, int) or isinstance(replicas, bool):
        raise errors.bad_request("json: cannot unmarshal %s into Go struct field ScaleSpec.spec.replicas of type "
                                 "int32" % type(replicas).__name__)
    if replicas < 0:
        raise errors.invalid("Scale", "autoscaling", req.name, [
            FieldError("Invalid", "spec.replicas", "must be greater than or equal to 0", replicas)])
    want_rv = (new_scale.get("metadata") or {}).get("resourceVersion")

    def change(obj):
        if want_rv and want_rv != obj["metadata"].get("resourceVersion"):
            raise errors.stale_conflict(rt, req.name)
        if _get_path(obj, paths[0]) == replicas:
            return None
        _set_path(obj, paths[0], replicas)
        return obj
    from .ops import Context
    ctx = req.ctx
    internal = Context(user=ctx.user, groups=ctx.groups, internal=False, dry_run=ctx.dry_run)
    out = api.mutate(internal, rt, req.namespace, req.name, change)
    if out is None:
        raise errors.not_found(rt, req.name)
    return scale_of(rt, api.out(rt, out))


def handle_scale(req):
    rt, api = req.rt, req.api
    if _paths(rt)[0] is None:
        raise errors.not_found(rt, req.name)
    if req.verb == "get":
        return _encode_single(req, scale_of(rt, api.get(rt, req.namespace, req.name)))
    if req.verb == "update":
        return _encode_single(req, _apply_scale(req, req.json_body()))
    if req.verb == "patch":
        cur = scale_of(rt, api.get(rt, req.namespace, req.name))
        ct = (req.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ct == patchmod.MERGE:
            new = patchmod.apply_merge(req.ctx, rt, cur, req.body)
        elif ct == patchmod.STRATEGIC:
            new = patchmod.strategic_merge_value(cur, json.loads(req.body or b"{}"), "Scale")
        elif ct == patchmod.JSONPATCH:
            new = patchmod.apply_json_patch(req.ctx, rt, cur, req.body)
        else:
            raise patchmod.unsupported(rt)
        return _encode_single(req, _apply_scale(req, new))
    raise errors.method_not_allowed()


SUBRESOURCE_HANDLERS["status"] = handle_status
SUBRESOURCE_HANDLERS["scale"] = handle_scale
