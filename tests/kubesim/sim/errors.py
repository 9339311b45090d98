"""API errors as the apiserver reports them: metav1.Status bodies with the real reasons and messages.

Every handler raises ApiError; the HTTP layer turns it into the Status JSON (k8s-api.md §6).
"""


class ApiError(Exception):
    def __init__(self, code, reason, message, details=None, headers=None):
        super().__init__(message)
        self.code = code
        self.reason = reason
        self.message = message
        self.details = details
        self.headers = headers or {}

    def status(self):
        body = {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
        }
        if self.details is not None:
            body["details"] = self.details
        body["code"] = self.code
        return body


def _details(name=None, group=None, kind=None, uid=None, causes=None, retry=None):
    d = {}
    if name:
        d["name"] = name
    if group:
        d["group"] = group
    if kind:
        d["kind"] = kind
    if uid:
        d["uid"] = uid
    if causes:
        d["causes"] = causes
    if retry:
        d["retryAfterSeconds"] = retry
    return d


def qualified(rt):
    """'pods' for core, 'deployments.apps' for grouped resources (schema.GroupResource.String())."""
    return rt.plural if not rt.group else "%s.%s" % (rt.plural, rt.group)


def not_found(rt, name):
    return ApiError(404, "NotFound", '%s "%s" not found' % (qualified(rt), name),
                    _details(name=name, group=rt.group, kind=rt.plural))


def not_found_gr(group, plural, name):
    q = plural if not group else "%s.%s" % (plural, group)
    return ApiError(404, "NotFound", '%s "%s" not found' % (q, name),
                    _details(name=name, group=group, kind=plural))


def namespace_not_found(ns):
    return not_found_gr("", "namespaces", ns)


def path_not_found():
    return ApiError(404, "NotFound", "the server could not find the requested resource", {})


def already_exists(rt, name):
    return ApiError(409, "AlreadyExists", '%s "%s" already exists' % (qualified(rt), name),
                    _details(name=name, group=rt.group, kind=rt.plural))


def conflict(rt, name, why):
    return ApiError(409, "Conflict", 'Operation cannot be fulfilled on %s "%s": %s' % (qualified(rt), name, why),
                    _details(name=name, group=rt.group, kind=rt.plural))


MODIFIED_MSG = "the object has been modified; please apply your changes to the latest version and try again"


def stale_conflict(rt, name):
    return conflict(rt, name, MODIFIED_MSG)


def bad_request(message):
    return ApiError(400, "BadRequest", message)


def method_not_allowed():
    return ApiError(405, "MethodNotAllowed", "the server does not allow this method on the requested resource",
                    {})


def not_acceptable(message):
    return ApiError(406, "NotAcceptable", message, {})


def unsupported_media_type(message):
    return ApiError(415, "UnsupportedMediaType", message, {})


def expired(message):
    return ApiError(410, "Expired", message)


def too_old_rv(rv, oldest):
    return ApiError(410, "Expired", "too old resource version: %d (%d)" % (rv, oldest))


CONTINUE_EXPIRED_MSG = ("The provided continue parameter is too old to display a consistent list result. "
                        "You can start a new list without the continue parameter.")


def unauthorized():
    return ApiError(401, "Unauthorized", "Unauthorized")


def forbidden(message, name=None, group=None, kind=None):
    return ApiError(403, "Forbidden", message, _details(name=name, group=group, kind=kind))


def internal(message):
    return ApiError(500, "InternalError", "Internal error occurred: %s" % message,
                    {"causes": [{"message": message}]})


def too_large_rv(rv, current):
    return ApiError(504, "Timeout", "Too large resource version: %d, current: %d" % (rv, current),
                    {"causes": [{"reason": "ResourceVersionTooLarge", "message": "Too large resource version"}],
                     "retryAfterSeconds": 1})


def too_many_requests(message="Too many requests, please try again later.", retry=1):
    return ApiError(429, "TooManyRequests", message, {"retryAfterSeconds": retry},
                    headers={"Retry-After": str(retry)})


def not_implemented(what):
    """kubesim has no implementation yet; 501 is what an apiserver would say for an unknown verb."""
    return ApiError(501, "NotImplemented", "kubesim: %s is not implemented yet" % what, {})


# ---- field errors (k8s.io/apimachinery/pkg/util/validation/field) ------------------------------

class FieldError:
    """One field.Error. kind is one of: Required, Invalid, Forbidden, NotSupported, Duplicate, TooLong."""

    _TYPES = {
        "Required": ("FieldValueRequired", "Required value"),
        "Invalid": ("FieldValueInvalid", "Invalid value"),
        "Forbidden": ("FieldValueForbidden", "Forbidden"),
        "NotSupported": ("FieldValueNotSupported", "Unsupported value"),
        "Duplicate": ("FieldValueDuplicate", "Duplicate value"),
        "NotFound": ("FieldValueNotFound", "Not found"),
        "TooLong": ("FieldValueTooLong", "Too long"),
    }

    def __init__(self, kind, field, detail="", value=None, has_value=False, supported=None):
        self.kind = kind
        self.field = field
        self.detail = detail
        self.value = value
        self.has_value = has_value or kind in ("Invalid", "NotSupported", "Duplicate", "NotFound")
        self.supported = supported

    @staticmethod
    def _fmt_value(v):
        import json
        if isinstance(v, str):
            return json.dumps(v)
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return str(v)
        return json.dumps(v, separators=(",", ":"))

    def body(self):
        label = self._TYPES[self.kind][1]
        s = label
        if self.has_value and self.kind != "Required" and self.kind != "Forbidden":
            s += ": " + self._fmt_value(self.value)
        if self.kind == "NotSupported" and self.supported is not None:
            s += ": supported values: " + ", ".join('"%s"' % x for x in self.supported)
        elif self.detail:
            s += ": " + self.detail
        return s

    def __str__(self):
        return "%s: %s" % (self.field, self.body())

    def cause(self):
        return {"reason": self._TYPES[self.kind][0], "message": self.body(), "field": self.field}


def invalid(kind, group, name, errs):
    """422 Invalid, as errors.NewInvalid(GroupKind, name, ErrorList)."""
    gk = kind if not group else "%s.%s" % (kind, group)
    if len(errs) == 1:
        agg = str(errs[0])
    else:
        agg = "[" + ", ".join(str(e) for e in errs) + "]"
    msg = '%s "%s" is invalid: %s' % (gk, name, agg)
    details = {"name": name, "group": group, "kind": kind, "causes": [e.cause() for e in errs]}
    if not name:
        del details["name"]
    if not group:
        del details["group"]
    return ApiError(422, "Invalid", msg, details)
