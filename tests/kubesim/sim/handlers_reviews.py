"""Access reviews: SelfSubjectAccessReview, SelfSubjectRulesReview, SubjectAccessReview,
LocalSubjectAccessReview (authorization.k8s.io/v1) and SelfSubjectReview (authentication.k8s.io/v1).

These are 'virtual' creates: nothing is stored; the reply (201) echoes the spec with a status computed
by the server's authorizer (sim.auth.authorize, i.e. RBAC from sim.ext_rbac). kubectl's typed clients
send them as protobuf (`kubectl auth can-i`, `auth can-i --list`, `auth whoami`), so their protobuf
schemas are registered here too (k8s-api.md §10).
"""

from . import auth, errors, protobuf
from .errors import FieldError
from .resources import REGISTRY, ResourceType

AUTHZ = "authorization.k8s.io"
AUTHN = "authentication.k8s.io"

# ---- protobuf schemas (k8s.io/api authorization/v1 and authentication/v1 generated.proto) -----------

_REQ = {1: ("key", "string"), 2: ("operator", "string"), 3: ("values", "list", "string")}
_FIELD_SEL = {1: ("rawSelector", "string"), 2: ("requirements", "list_msg", _REQ)}
_LABEL_SEL = {1: ("rawSelector", "string"), 2: ("requirements", "list_msg", _REQ)}
_RESOURCE_ATTRS = {1: ("namespace", "string"), 2: ("verb", "string"), 3: ("group", "string"),
                   4: ("version", "string"), 5: ("resource", "string"), 6: ("subresource", "string"),
                   7: ("name", "string"), 8: ("fieldSelector", "msg", _FIELD_SEL),
                   9: ("labelSelector", "msg", _LABEL_SEL)}
_NONRESOURCE_ATTRS = {1: ("path", "string"), 2: ("verb", "string")}
_SSAR_SPEC = {1: ("resourceAttributes", "msg", _RESOURCE_ATTRS),
              2: ("nonResourceAttributes", "msg", _NONRESOURCE_ATTRS)}
_SAR_SPEC = {1: ("resourceAttributes", "msg", _RESOURCE_ATTRS),
             2: ("nonResourceAttributes", "msg", _NONRESOURCE_ATTRS),
             3: ("user", "string"), 4: ("groups", "list", "string"), 6: ("uid", "string")}

protobuf.SCHEMAS[(AUTHZ + "/v1", "SelfSubjectAccessReview")] = {1: ("metadata", "msg", protobuf.OBJECT_META),
                                                                2: ("spec", "msg", _SSAR_SPEC)}
protobuf.SCHEMAS[(AUTHZ + "/v1", "SelfSubjectRulesReview")] = {1: ("metadata", "msg", protobuf.OBJECT_META),
                                                               2: ("spec", "msg", {1: ("namespace", "string")})}
protobuf.SCHEMAS[(AUTHZ + "/v1", "SubjectAccessReview")] = {1: ("metadata", "msg", protobuf.OBJECT_META),
                                                            2: ("spec", "msg", _SAR_SPEC)}
protobuf.SCHEMAS[(AUTHZ + "/v1", "LocalSubjectAccessReview")] = {1: ("metadata", "msg", protobuf.OBJECT_META),
                                                                 2: ("spec", "msg", _SAR_SPEC)}
protobuf.SCHEMAS[(AUTHN + "/v1", "SelfSubjectReview")] = {1: ("metadata", "msg", protobuf.OBJECT_META)}


# ---- helpers -----------------------------------------------------------------------------------------

def _body(req, rt):
    obj = req.json_body()
    if not isinstance(obj, dict):
        raise errors.bad_request("the object provided is unrecognized (must be of type %s)" % rt.kind)
    kind = obj.get("kind")
    api_version = obj.get("apiVersion")
    if kind and kind != rt.kind:
        raise errors.bad_request('%s in version "%s" cannot be handled as a %s: the object provided is '
                                 'unrecognized (must be of type %s)' % (kind, api_version or rt.version, rt.kind,
                                                                         rt.kind))
    if api_version and api_version != rt.api_version:
        raise errors.bad_request("the API version in the data (%s) does not match the expected API version (%s)"
                                 % (api_version, rt.api_version))
    md = obj.get("metadata")
    if md is not None and not isinstance(md, dict):
        raise errors.bad_request("metadata must be an object")
    spec = obj.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        raise errors.bad_request("spec must be an object")
    return obj, spec


def _clean(d):
    """Drop empty values, as Go's omitempty does for these structs."""
    if isinstance(d, dict):
        return {k: _clean(v) for k, v in d.items() if v not in (None, "", [], {})}
    if isinstance(d, list):
        return [_clean(v) for v in d]
    return d


_RA_KEYS = ("namespace", "verb", "group", "version", "resource", "subresource", "name", "fieldSelector",
            "labelSelector")
_NRA_KEYS = ("path", "verb")


def _echo_spec(spec, subject=False):
    """The spec as the apiserver returns it: its known fields only, empty ones omitted."""
    out = {}
    ra = spec.get("resourceAttributes")
    if isinstance(ra, dict):
        out["resourceAttributes"] = {k: ra[k] for k in _RA_KEYS if k in ra}
    nra = spec.get("nonResourceAttributes")
    if isinstance(nra, dict):
        out["nonResourceAttributes"] = {k: nra[k] for k in _NRA_KEYS if k in nra}
    if subject:
        for k in ("user", "groups", "extra", "uid"):
            if k in spec:
                out[k] = spec[k]
    return _clean(out)


def _str_field(d, key):
    v = d.get(key, "")
    if v is None:
        return ""
    if not isinstance(v, str):
        raise errors.bad_request("json: cannot unmarshal %s into Go struct field %s of type string"
                                 % (type(v).__name__, key))
    return v


def _attrs_from_spec(rt, spec, errs):
    """Authorizer attributes from a review spec; validation errors are appended to errs."""
    ra = spec.get("resourceAttributes")
    nra = spec.get("nonResourceAttributes")
    if ra is not None and not isinstance(ra, dict):
        raise errors.bad_request("spec.resourceAttributes must be an object")
    if nra is not None and not isinstance(nra, dict):
        raise errors.bad_request("spec.nonResourceAttributes must be an object")
    if ra is not None and nra is not None:
        errs.append(FieldError("Invalid", "spec.nonResourceAttributes", "cannot be specified in combination with "
                               "resourceAttributes", _go_struct("NonResourceAttributes", nra)))
    if ra is None and nra is None:
        errs.append(FieldError("Invalid", "spec.resourceAttributes",
                               "exactly one of nonResourceAttributes or resourceAttributes must be specified",
                               "null"))
    if ra is not None:
        return {"verb": _str_field(ra, "verb"), "group": _str_field(ra, "group"),
                "version": _str_field(ra, "version"), "resource": _str_field(ra, "resource"),
                "subresource": _str_field(ra, "subresource"), "namespace": _str_field(ra, "namespace"),
                "name": _str_field(ra, "name"), "path": "", "resource_request": True}
    if nra is not None:
        return {"verb": _str_field(nra, "verb"), "path": _str_field(nra, "path"), "resource_request": False}
    return None


def _go_struct(name, d):
    inner = ", ".join('%s:"%s"' % (k[:1].upper() + k[1:], d.get(k, "")) for k in ("path", "verb"))
    return "&authorization.%s{%s}" % (name, inner)


def _status(allowed, reason, error=""):
    st = {"allowed": bool(allowed)}
    if reason:
        st["reason"] = reason
    if error:
        st["evaluationError"] = error
    return st


def _reply(rt, obj, spec, status, namespace=None):
    md = {"creationTimestamp": None}
    if namespace:
        md = {"namespace": namespace, "creationTimestamp": None}
    src = obj.get("metadata") or {}
    if isinstance(src.get("name"), str) and src.get("name"):
        md = dict({"name": src["name"]}, **md)
    out = {"kind": rt.kind, "apiVersion": rt.api_version, "metadata": md, "spec": spec, "status": status}
    from .server import json_response
    return json_response(out, 201)


class _Subject:
    """A user described by a SubjectAccessReview spec (name, uid, groups)."""

    def __init__(self, name, uid, groups):
        self.name = name
        self.uid = uid
        self.groups = groups


# ---- handlers ----------------------------------------------------------------------------------------

def handle_ssar(req):
    rt = req.rt
    obj, spec = _body(req, rt)
    errs = []
    attrs = _attrs_from_spec(rt, spec, errs)
    if errs:
        raise errors.invalid(rt.kind, rt.group, "", errs)
    allowed, reason = auth.authorize(req.user, attrs)
    return _reply(rt, obj, _echo_spec(spec), _status(allowed, reason))


def _sar_subject(spec, errs):
    user = spec.get("user") or ""
    groups = spec.get("groups") or []
    if not isinstance(user, str) or not isinstance(groups, list) or not all(isinstance(g, str) for g in groups):
        raise errors.bad_request("spec.user must be a string and spec.groups a list of strings")
    if not user and not groups:
        errs.append(FieldError("Invalid", "spec.user", "at least one of user or group must be specified", user))
    uid = spec.get("uid") or ""
    return _Subject(user, uid if isinstance(uid, str) else "", list(groups))


def handle_sar(req):
    rt = req.rt
    obj, spec = _body(req, rt)
    errs = []
    attrs = _attrs_from_spec(rt, spec, errs)
    subject = _sar_subject(spec, errs)
    if errs:
        raise errors.invalid(rt.kind, rt.group, "", errs)
    allowed, reason = auth.authorize(subject, attrs)
    return _reply(rt, obj, _echo_spec(spec, True), _status(allowed, reason))


def handle_lsar(req):
    rt = req.rt
    ns = req.namespace or ""
    obj, spec = _body(req, rt)
    md = obj.get("metadata") or {}
    if md.get("namespace") and md.get("namespace") != ns:
        raise errors.bad_request("the namespace of the provided object does not match the namespace sent on the "
                                 "request")
    errs = []
    ra = spec.get("resourceAttributes")
    if spec.get("nonResourceAttributes") is not None:
        errs.append(FieldError("Invalid", "spec.nonResourceAttributes", "disallowed on this kind of request",
                               _go_struct("NonResourceAttributes", spec.get("nonResourceAttributes") or {})))
    if ra is None:
        errs.append(FieldError("Invalid", "spec.resourceAttributes", "disallowed on this kind of request", "null"))
    attrs = _attrs_from_spec(rt, spec, []) if ra is not None else None
    subject = _sar_subject(spec, errs)
    if errs:
        raise errors.invalid(rt.kind, rt.group, "", errs)
    if attrs.get("namespace") != ns:
        raise errors.bad_request("spec.resourceAttributes.namespace must match namespace: %s" % ns)
    allowed, reason = auth.authorize(subject, attrs)
    return _reply(rt, obj, _echo_spec(spec, True), _status(allowed, reason), namespace=ns)


def rules_for(user, namespace):
    """(resourceRules, nonResourceRules, incomplete, evaluationError) from the active authorizer."""
    if auth.AUTHORIZER is auth.allow_all:
        return ([{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}],
                [{"verbs": ["*"], "nonResourceURLs": ["*"]}], False, "")
    from . import ext_rbac
    res, nonres, err = ext_rbac.rules_for(user, namespace)
    return res, nonres, False, err


def handle_ssrr(req):
    rt = req.rt
    obj, spec = _body(req, rt)
    ns = spec.get("namespace") or ""
    if not isinstance(ns, str) or not ns:
        raise errors.bad_request("no namespace on request")
    res, nonres, incomplete, err = rules_for(req.user, ns)
    status = {"resourceRules": res, "nonResourceRules": nonres, "incomplete": incomplete}
    if err:
        status["evaluationError"] = err
    return _reply(rt, obj, {}, status)


def user_info(user):
    info = {"username": user.name}
    if user.uid:
        info["uid"] = user.uid
    if user.groups:
        info["groups"] = list(user.groups)
    extra = getattr(user, "extra", None)
    if extra:
        info["extra"] = {k: list(v) for k, v in extra.items()}
    return info


def handle_ssr(req):
    rt = req.rt
    if req.body:
        _body(req, rt)
    from .server import json_response
    return json_response({"kind": rt.kind, "apiVersion": rt.api_version, "metadata": {"creationTimestamp": None},
                          "status": {"userInfo": user_info(req.user)}}, 201)


def _register():
    R = ResourceType
    ssr = REGISTRY.register(R(AUTHN, "v1", "selfsubjectreviews", "SelfSubjectReview", namespaced=False,
                              verbs=["create"], generation=False))
    ssr.handlers["create"] = handle_ssr
    for plural, kind, namespaced, fn in (
            ("localsubjectaccessreviews", "LocalSubjectAccessReview", True, handle_lsar),
            ("selfsubjectaccessreviews", "SelfSubjectAccessReview", False, handle_ssar),
            ("selfsubjectrulesreviews", "SelfSubjectRulesReview", False, handle_ssrr),
            ("subjectaccessreviews", "SubjectAccessReview", False, handle_sar)):
        rt = REGISTRY.register(R(AUTHZ, "v1", plural, kind, namespaced=namespaced, verbs=["create"],
                                 generation=False))
        rt.handlers["create"] = fn


_register()
