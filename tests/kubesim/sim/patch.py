"""PATCH: the content-type registry and the patch algorithms.

PATCH_TYPES maps a Content-Type to fn(ctx, rt, current_obj, patch_bytes) -> new_obj. Add or replace one
with `register_patch_type(content_type, fn)`. Raise errors.ApiError for bad patches.

Implemented here:
- application/merge-patch+json      RFC 7386
- application/strategic-merge-patch+json  built-in kinds only (415 for custom resources), lists merged
  by their patch merge keys (k8s-api.md §5.1), with the $patch, $retainKeys,
  $deleteFromPrimitiveList and $setElementOrder directives
- application/json-patch+json       RFC 6902
Not yet: application/apply-patch+yaml (server-side apply) -> 415 with a clear message.
"""

import json

from . import errors, util

MERGE = "application/merge-patch+json"
STRATEGIC = "application/strategic-merge-patch+json"
JSONPATCH = "application/json-patch+json"
APPLY = "application/apply-patch+yaml"


def _accepted(rt):
    types = [JSONPATCH, MERGE, APPLY]
    if not rt.crd:
        types.append(STRATEGIC)
    return types


def unsupported(rt):
    return errors.unsupported_media_type(
        "the body of the request was in an unknown format - accepted media types include: "
        + ", ".join(_accepted(rt)))


def _load_json(data):
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise errors.bad_request("error decoding patch: invalid UTF-8 in body")
    try:
        return json.loads(text)
    except ValueError as e:
        raise errors.bad_request("error decoding patch: %s" % util.go_json_error(text, e))


# ---- RFC 7386 merge patch -----------------------------------------------------------------------

def merge_patch_value(target, patch):
    if not isinstance(patch, dict):
        return patch
    if not isinstance(target, dict):
        target = {}
    out = dict(target)
    for k, v in patch.items():
        if v is None:
            out.pop(k, None)
        else:
            out[k] = merge_patch_value(out.get(k), v)
    return out


def apply_merge(ctx, rt, obj, data):
    patch = _load_json(data)
    if not isinstance(patch, dict):
        raise errors.bad_request("json: cannot unmarshal %s into Go value of type map[string]interface {}"
                                 % _json_type(patch))
    return merge_patch_value(obj, patch)


def _json_type(v):
    if isinstance(v, dict):
        return "object"
    if isinstance(v, list):
        return "array"
    if isinstance(v, str):
        return "string"
    if isinstance(v, bool):
        return "bool"
    if isinstance(v, (int, float)):
        return "number"
    return "null"


# ---- strategic merge patch ----------------------------------------------------------------------

# field name -> patch merge key (a callable gets the path and decides)
def _ports_key(path, kind):
    if any(p in ("containers", "initContainers", "ephemeralContainers") for p in path):
        return "containerPort"
    if kind == "Service" and path[-2:] == ["spec", "ports"]:
        return "port"
    return None


MERGE_KEYS = {
    "containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
    "volumes": "name", "imagePullSecrets": "name", "volumeMounts": "mountPath", "volumeDevices": "devicePath",
    "ownerReferences": "uid", "conditions": "type", "hostAliases": "ip", "podIPs": "ip", "hostIPs": "ip",
    "topologySpreadConstraints": "topologyKey", "resourceClaims": "name", "addresses": "type",
    "ports": _ports_key,
}
# primitive lists merged as sets (patchStrategy "merge" on a []string)
SET_LISTS = {"finalizers"}


def _merge_key(path, kind):
    k = MERGE_KEYS.get(path[-1]) if path else None
    if callable(k):
        return k(path, kind)
    if path and path[-1] == "conditions" and kind in ("CustomResource",):
        return None
    return k


def _smp_map(orig, patch, path, kind):
    if not isinstance(orig, dict):
        orig = {}
    if patch.get("$patch") == "replace":
        return {k: v for k, v in patch.items() if k != "$patch"}
    if patch.get("$patch") == "delete":
        return None
    out = dict(orig)
    retain = patch.get("$retainKeys")
    order_directives = {}
    for k, v in patch.items():
        if k in ("$patch", "$retainKeys"):
            continue
        if k.startswith("$setElementOrder/"):
            order_directives[k.split("/", 1)[1]] = v
            continue
        if k.startswith("$deleteFromPrimitiveList/"):
            field = k.split("/", 1)[1]
            if isinstance(out.get(field), list) and isinstance(v, list):
                out[field] = [x for x in out[field] if x not in v]
            continue
        if v is None:
            out.pop(k, None)
            continue
        cur = out.get(k)
        sub = path + [k]
        if isinstance(v, dict):
            merged = _smp_map(cur, v, sub, kind)
            if merged is None:
                out.pop(k, None)
            else:
                out[k] = merged
        elif isinstance(v, list):
            out[k] = _smp_list(cur if isinstance(cur, list) else [], v, sub, kind)
        else:
            out[k] = v
    for field, order in order_directives.items():
        if isinstance(out.get(field), list) and isinstance(order, list):
            out[field] = _apply_order(out[field], order, _merge_key(path + [field], kind))
    if isinstance(retain, list):
        out = {k: v for k, v in out.items() if k in retain}
    return out


def _apply_order(items, order, key):
    def ident(x):
        if key and isinstance(x, dict):
            return x.get(key)
        return x if not isinstance(x, dict) else None
    wanted = []
    rest = []
    order_ids = [ident(o) if isinstance(o, dict) else o for o in order]
    for x in items:
        (wanted if ident(x) in order_ids else rest).append(x)
    wanted.sort(key=lambda x: order_ids.index(ident(x)))
    return wanted + rest


def _smp_list(orig, patch, path, kind):
    field = path[-1] if path else ""
    # a {"$patch": "replace"} element replaces the whole list with the others
    if any(isinstance(x, dict) and x.get("$patch") == "replace" for x in patch):
        return [x for x in patch if not (isinstance(x, dict) and x.get("$patch") == "replace")]
    if field in SET_LISTS:
        out = list(orig)
        for x in patch:
            if x not in out:
                out.append(x)
        return out
    key = _merge_key(path, kind)
    if key is None or not all(isinstance(x, dict) for x in patch):
        return list(patch)
    out = [dict(x) if isinstance(x, dict) else x for x in orig]
    for item in patch:
        if item.get("$patch") == "delete":
            out = [x for x in out if not (isinstance(x, dict) and x.get(key) == item.get(key))]
            continue
        for i, x in enumerate(out):
            if isinstance(x, dict) and key in item and x.get(key) == item.get(key):
                merged = _smp_map(x, item, path, kind)
                if merged is None:
                    out.pop(i)
                else:
                    out[i] = merged
                break
        else:
            out.append(_smp_map({}, item, path, kind) or {})
    return out


def strategic_merge_value(obj, patch, kind=""):
    res = _smp_map(obj, patch, [], kind)
    return res if res is not None else {}


def apply_strategic(ctx, rt, obj, data):
    if rt.crd:
        raise unsupported(rt)
    patch = _load_json(data)
    if not isinstance(patch, dict):
        raise errors.bad_request("json: cannot unmarshal %s into Go value of type map[string]interface {}"
                                 % _json_type(patch))
    return strategic_merge_value(obj, patch, rt.kind)


# ---- RFC 6902 JSON patch ------------------------------------------------------------------------

class _PatchFail(Exception):
    pass


def _pointer(path):
    if path == "":
        return []
    if not path.startswith("/"):
        raise _PatchFail("JSON pointer must be empty or start with a \"/\": %s" % path)
    return [p.replace("~1", "/").replace("~0", "~") for p in path[1:].split("/")]


def _parent(doc, parts, op, path):
    cur = doc
    for p in parts[:-1]:
        if isinstance(cur, dict):
            if p not in cur:
                raise _PatchFail("%s operation does not apply: doc is missing path: \"%s\": missing value"
                                 % (op, path))
            cur = cur[p]
        elif isinstance(cur, list):
            try:
                idx = int(p)
            except ValueError:
                raise _PatchFail("%s operation does not apply: doc is missing path: \"%s\": missing value"
                                 % (op, path))
            if idx < 0 or idx >= len(cur):
                raise _PatchFail("%s operation does not apply: doc is missing path: \"%s\": missing value"
                                 % (op, path))
            cur = cur[idx]
        else:
            raise _PatchFail("%s operation does not apply: doc is missing path: \"%s\": missing value"
                             % (op, path))
    return cur


def _get(doc, path, op):
    parts = _pointer(path)
    if not parts:
        return doc
    parent = _parent(doc, parts, op, path)
    last = parts[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise _PatchFail("%s operation does not apply: doc is missing key: %s: missing value" % (op, path))
        return parent[last]
    if isinstance(parent, list):
        try:
            idx = int(last)
        except ValueError:
            raise _PatchFail("%s operation does not apply: doc is missing key: %s: missing value" % (op, path))
        if idx < 0 or idx >= len(parent):
            raise _PatchFail("%s operation does not apply: doc is missing key: %s: missing value" % (op, path))
        return parent[idx]
    raise _PatchFail("%s operation does not apply: doc is missing key: %s: missing value" % (op, path))


def _add(doc, path, value, op="add"):
    parts = _pointer(path)
    if not parts:
        return value
    parent = _parent(doc, parts, op, path)
    last = parts[-1]
    if isinstance(parent, dict):
        parent[last] = value
    elif isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            try:
                idx = int(last)
            except ValueError:
                raise _PatchFail("add operation does not apply: doc is missing path: \"%s\": missing value"
                                 % path)
            if idx < 0 or idx > len(parent):
                raise _PatchFail("Unable to access invalid index: %d: invalid index referenced" % idx)
            parent.insert(idx, value)
    else:
        raise _PatchFail("add operation does not apply: doc is missing path: \"%s\": missing value" % path)
    return doc


def _remove(doc, path, op="remove"):
    parts = _pointer(path)
    if not parts:
        raise _PatchFail("%s operation does not apply: doc is missing path: \"%s\"" % (op, path))
    _get(doc, path, op)
    parent = _parent(doc, parts, op, path)
    last = parts[-1]
    if isinstance(parent, dict):
        return doc, parent.pop(last)
    return doc, parent.pop(int(last))


def json_patch_value(doc, ops):
    doc = json.loads(json.dumps(doc))
    for i, o in enumerate(ops):
        if not isinstance(o, dict):
            raise _PatchFail("invalid operation %d" % i)
        op = o.get("op")
        path = o.get("path")
        if not isinstance(path, str):
            raise _PatchFail("%s operation missing path" % (op or "unknown"))
        if op == "add":
            if "value" not in o:
                raise _PatchFail("add operation missing value")
            doc = _add(doc, path, json.loads(json.dumps(o["value"])))
        elif op == "remove":
            doc, _ = _remove(doc, path)
        elif op == "replace":
            if "value" not in o:
                raise _PatchFail("replace operation missing value")
            parts = _pointer(path)
            if not parts:
                doc = json.loads(json.dumps(o["value"]))
                continue
            _get(doc, path, "replace")
            parent = _parent(doc, parts, "replace", path)
            if isinstance(parent, dict):
                parent[parts[-1]] = json.loads(json.dumps(o["value"]))
            else:
                parent[int(parts[-1])] = json.loads(json.dumps(o["value"]))
        elif op == "move":
            frm = o.get("from")
            if not isinstance(frm, str):
                raise _PatchFail("move operation missing from")
            doc, val = _remove(doc, frm, "move")
            doc = _add(doc, path, val, "move")
        elif op == "copy":
            frm = o.get("from")
            if not isinstance(frm, str):
                raise _PatchFail("copy operation missing from")
            val = _get(doc, frm, "copy")
            doc = _add(doc, path, json.loads(json.dumps(val)), "copy")
        elif op == "test":
            val = _get(doc, path, "test")
            if val != o.get("value"):
                raise _PatchFail("testing value %s failed: test failed" % path)
        else:
            raise _PatchFail("Unexpected kind: %s" % op)
    return doc


def apply_json_patch(ctx, rt, obj, data):
    ops = _load_json(data)
    if not isinstance(ops, list):
        raise errors.bad_request("json: cannot unmarshal %s into Go value of type jsonpatch.Patch"
                                 % _json_type(ops))
    try:
        return json_patch_value(obj, ops)
    except _PatchFail:
        # What the apiserver answers an unapplied JSON patch with (NewGenericServerResponse for
        # 422): the generic message and no causes; the library's own words are not shown.
        raise errors.ApiError(422, "Invalid",
                              "the server rejected our request due to an error in our request", {})


def apply_server_side(ctx, rt, obj, data):
    raise errors.unsupported_media_type("kubesim: server-side apply (application/apply-patch+yaml) is not "
                                        "implemented yet")


PATCH_TYPES = {
    MERGE: apply_merge,
    STRATEGIC: apply_strategic,
    JSONPATCH: apply_json_patch,
    APPLY: apply_server_side,
}


def register_patch_type(content_type, fn):
    PATCH_TYPES[content_type] = fn


def apply_patch(ctx, rt, content_type, obj, data):
    ct = (content_type or "").split(";")[0].strip().lower()
    fn = PATCH_TYPES.get(ct)
    if fn is None or (ct == STRATEGIC and rt.crd):
        raise unsupported(rt)
    return fn(ctx, rt, obj, data)
