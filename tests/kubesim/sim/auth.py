"""Authentication (--auth token|cert|basic|none, --token-file) and the authorization hook.

Authentication yields a User. Authorization is a pluggable function; the default allows everything.
RBAC (issue 3) replaces it with `set_authorizer(fn)`, fn(user, attrs) -> (allowed: bool, reason: str),
where attrs is a dict: verb, group, version, resource, subresource, namespace, name, path, resource_request.
"""

import base64
import csv
import hmac

from . import errors

# paths any client (even unauthenticated) may GET, as system:public-info-viewer allows on real clusters
PUBLIC_PATHS = ("/version", "/healthz", "/livez", "/readyz")


class User:
    def __init__(self, name, uid="", groups=None):
        self.name = name
        self.uid = uid
        self.groups = list(groups or [])

    def __repr__(self):
        return "User(%s)" % self.name


ANONYMOUS = User("system:anonymous", "", ["system:unauthenticated"])
ADMIN_NAME = "kubesim-admin"
ADMIN_GROUPS = ["system:masters", "system:authenticated"]


def parse_token_file(path):
    """kube-apiserver static token CSV: token,user,uid,"group1,group2" -> {token: User}."""
    users = {}
    with open(path, newline="") as f:
        for i, row in enumerate(csv.reader(f)):
            if not row or (len(row) == 1 and not row[0].strip()) or row[0].lstrip().startswith("#"):
                continue
            if len(row) < 3:
                raise ValueError("token file %s, line %d: want token,user,uid[,groups]" % (path, i + 1))
            token, name, uid = row[0].strip(), row[1].strip(), row[2].strip()
            groups = []
            if len(row) > 3 and row[3].strip():
                groups = [g.strip() for g in row[3].split(",") if g.strip()]
            if "system:authenticated" not in groups:
                groups.append("system:authenticated")
            users[token] = User(name, uid, groups)
    return users


class Authenticator:
    def __init__(self, mode="token", admin_token=None, token_file=None, basic_user=None, basic_password=None):
        self.mode = mode
        self.tokens = {}
        if admin_token:
            self.tokens[admin_token] = User(ADMIN_NAME, "kubesim-admin-uid", ADMIN_GROUPS)
        if token_file:
            self.tokens.update(parse_token_file(token_file))
        self.basic_user = basic_user
        self.basic_password = basic_password

    def authenticate(self, headers, peer_cert=None):
        """The User for a request, ANONYMOUS when it carries no credentials. Raises 401 for bad ones."""
        if self.mode == "none":
            return User(ADMIN_NAME, "kubesim-admin-uid", ADMIN_GROUPS)
        if peer_cert:   # the x509 authenticator runs first, as in kube-apiserver's authenticator union
            user = user_from_cert(peer_cert)
            if user is not None:
                return user
        authz = headers.get("Authorization") or ""
        if authz:
            scheme, _, cred = authz.partition(" ")
            cred = cred.strip()
            if scheme.lower() == "bearer" and self.tokens:
                for tok, user in self.tokens.items():
                    if hmac.compare_digest(tok.encode(), cred.encode()):
                        return user
                raise errors.unauthorized()
            if scheme.lower() == "basic" and self.mode == "basic":
                try:
                    user, _, pw = base64.b64decode(cred).decode().partition(":")
                except Exception:
                    raise errors.unauthorized()
                if user == self.basic_user and hmac.compare_digest(pw.encode(), (self.basic_password or "").encode()):
                    return User(user, "kubesim-admin-uid", ADMIN_GROUPS)
                raise errors.unauthorized()
            raise errors.unauthorized()
        if self.mode == "cert" and peer_cert:
            user = user_from_cert(peer_cert)
            if user is not None:
                return user
        return ANONYMOUS


def user_from_cert(cert):
    """User from a verified client certificate: CN is the user, O entries are the groups."""
    name = None
    groups = []
    for rdn in cert.get("subject", ()):
        for k, v in rdn:
            if k == "commonName":
                name = v
            elif k == "organizationName":
                groups.append(v)
    if not name:
        return None
    return User(name, "", groups + ["system:authenticated"])


def allow_all(user, attrs):
    return True, ""


AUTHORIZER = allow_all


def set_authorizer(fn):
    global AUTHORIZER
    AUTHORIZER = fn


def authorize(user, attrs):
    return AUTHORIZER(user, attrs)


def forbidden_error(user, attrs):
    """The 403 Status of a denied request, with the apiserver's message."""
    verb = attrs.get("verb", "")
    if not attrs.get("resource_request"):
        msg = 'forbidden: User "%s" cannot %s path "%s"' % (user.name, verb, attrs.get("path"))
        if attrs.get("reason"):
            msg += ": " + attrs["reason"]
        return errors.forbidden(msg)
    res = attrs.get("resource", "")
    group = attrs.get("group", "")
    sub = attrs.get("subresource", "")
    name = attrs.get("name", "")
    ns = attrs.get("namespace", "")
    gr = res if not group else "%s.%s" % (res, group)
    full = res + ("/" + sub if sub else "")
    head = '%s "%s" is forbidden' % (gr, name) if name else "%s is forbidden" % gr
    scope = 'in the namespace "%s"' % ns if ns else "at the cluster scope"
    reason = attrs.get("reason")
    msg = '%s: User "%s" cannot %s resource "%s" in API group "%s" %s' % (head, user.name, verb, full, group, scope)
    if reason:
        msg += ": " + reason
    return errors.forbidden(msg, name=name or None, group=group or None, kind=res)
