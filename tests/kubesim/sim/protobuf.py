"""Decoding of Kubernetes protobuf request bodies (application/vnd.kubernetes.protobuf).

kubectl's typed clients (create namespace/configmap/secret/serviceaccount, auth can-i, ...) POST
protobuf: the magic "k8s\\0", then a runtime.Unknown {1 typeMeta{1 apiVersion, 2 kind}, 2 raw, 3
contentEncoding, 4 contentType}, raw being the object's own message. Objects are decoded through
schema tables (field number -> (json name, type[, sub-schema])) into the JSON form of the object.

Add a kind with `SCHEMAS[("apps/v1", "Deployment")] = {...}`; types are:
  "string" "bytes" (base64 in JSON) "int" "bool" "time" ("msg", schema) ("list", type) ("list_msg", schema)
  "map_ss" (map<string,string>) "map_sb" (map<string,bytes>)
"""

import base64

from . import errors, util

MAGIC = b"k8s\x00"


class ProtoError(Exception):
    pass


def _varint(buf, i):
    shift = 0
    out = 0
    while True:
        if i >= len(buf):
            raise ProtoError("truncated varint")
        b = buf[i]
        i += 1
        out |= (b & 0x7F) << shift
        if not b & 0x80:
            return out, i
        shift += 7
        if shift > 70:
            raise ProtoError("varint too long")


def fields(buf):
    """[(field number, wire type, value)]: varints as int, length-delimited as bytes."""
    out = []
    i = 0
    n = len(buf)
    while i < n:
        key, i = _varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _varint(buf, i)
        elif wt == 2:
            ln, i = _varint(buf, i)
            if i + ln > n:
                raise ProtoError("truncated field %d" % num)
            v = bytes(buf[i:i + ln])
            i += ln
        elif wt == 1:
            v = buf[i:i + 8]
            i += 8
        elif wt == 5:
            v = buf[i:i + 4]
            i += 4
        else:
            raise ProtoError("unsupported wire type %d" % wt)
        out.append((num, wt, v))
    return out


def _signed(v):
    return v - (1 << 64) if v >= (1 << 63) else v


def _str(v):
    if not isinstance(v, bytes):
        raise ProtoError("expected a string")
    return v.decode("utf-8", errors="replace")


def _time(v):
    secs = 0
    for num, wt, val in fields(v):
        if num == 1:
            secs = _signed(val)
    return util.rfc3339(secs)


def _map(v, value_bytes):
    key, val = "", b"" if value_bytes else ""
    for num, wt, x in fields(v):
        if num == 1:
            key = _str(x)
        elif num == 2:
            val = base64.b64encode(x).decode() if value_bytes else _str(x)
    return key, val


def decode(schema, buf):
    out = {}
    for num, wt, v in fields(buf):
        spec = schema.get(num)
        if spec is None:
            continue
        name, typ = spec[0], spec[1]
        if typ == "string":
            out[name] = _str(v)
        elif typ == "bytes":
            out[name] = base64.b64encode(v).decode()
        elif typ == "int":
            out[name] = _signed(v) if isinstance(v, int) else 0
        elif typ == "bool":
            out[name] = bool(v)
        elif typ == "time":
            out[name] = _time(v)
        elif typ == "msg":
            out[name] = decode(spec[2], v)
        elif typ == "list":
            out.setdefault(name, []).append(_str(v) if spec[2] == "string" else v)
        elif typ == "list_msg":
            out.setdefault(name, []).append(decode(spec[2], v))
        elif typ in ("map_ss", "map_sb"):
            k, val = _map(v, typ == "map_sb")
            out.setdefault(name, {})[k] = val
    return out


OWNER_REF = {1: ("kind", "string"), 3: ("name", "string"), 4: ("uid", "string"), 5: ("apiVersion", "string"),
             6: ("controller", "bool"), 7: ("blockOwnerDeletion", "bool")}
OBJECT_META = {
    1: ("name", "string"), 2: ("generateName", "string"), 3: ("namespace", "string"), 5: ("uid", "string"),
    6: ("resourceVersion", "string"), 7: ("generation", "int"), 8: ("creationTimestamp", "time"),
    9: ("deletionTimestamp", "time"), 10: ("deletionGracePeriodSeconds", "int"), 11: ("labels", "map_ss"),
    12: ("annotations", "map_ss"), 13: ("ownerReferences", "list_msg", OWNER_REF),
    14: ("finalizers", "list", "string"),
}
LOCAL_REF = {1: ("name", "string")}
OBJECT_REF = {1: ("kind", "string"), 2: ("namespace", "string"), 3: ("name", "string"), 4: ("uid", "string"),
              5: ("apiVersion", "string"), 6: ("resourceVersion", "string"), 7: ("fieldPath", "string")}

SCHEMAS = {
    ("v1", "Namespace"): {1: ("metadata", "msg", OBJECT_META),
                          2: ("spec", "msg", {1: ("finalizers", "list", "string")}),
                          3: ("status", "msg", {1: ("phase", "string")})},
    ("v1", "ConfigMap"): {1: ("metadata", "msg", OBJECT_META), 2: ("data", "map_ss"), 3: ("binaryData", "map_sb"),
                          4: ("immutable", "bool")},
    ("v1", "Secret"): {1: ("metadata", "msg", OBJECT_META), 2: ("data", "map_sb"), 3: ("type", "string"),
                       4: ("stringData", "map_ss"), 5: ("immutable", "bool")},
    ("v1", "ServiceAccount"): {1: ("metadata", "msg", OBJECT_META), 2: ("secrets", "list_msg", OBJECT_REF),
                               3: ("imagePullSecrets", "list_msg", LOCAL_REF),
                               4: ("automountServiceAccountToken", "bool")},
}


def _clean(obj):
    """Drop empty strings and empty containers, as Go's omitempty JSON would."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items() if v not in ("", None, [], {})}
    if isinstance(obj, list):
        return [_clean(v) for v in obj]
    return obj


def unwrap(body):
    """(apiVersion, kind, raw) from a k8s protobuf body."""
    if not body.startswith(MAGIC):
        raise ProtoError("missing the k8s protobuf magic prefix")
    api_version = kind = ""
    raw = b""
    for num, wt, v in fields(body[len(MAGIC):]):
        if num == 1:
            for n2, _, v2 in fields(v):
                if n2 == 1:
                    api_version = _str(v2)
                elif n2 == 2:
                    kind = _str(v2)
        elif num == 2:
            raw = v
    return api_version, kind, raw


def decode_object(body):
    """A protobuf request body as a JSON-form object. Raises ApiError 400/415."""
    try:
        api_version, kind, raw = unwrap(body)
        schema = SCHEMAS.get((api_version, kind))
        if schema is None:
            raise errors.unsupported_media_type(
                "kubesim cannot decode protobuf bodies of %s %s yet; send application/json" % (api_version, kind))
        obj = _clean(decode(schema, raw))
    except ProtoError as e:
        raise errors.bad_request("unable to decode protobuf body: %s" % e)
    out = {"apiVersion": api_version, "kind": kind}
    out.update(obj)
    out.setdefault("metadata", {})
    return out
