"""RBAC authorization, the bootstrap policy, ClusterRole aggregation and user impersonation.

The authorizer follows kube-apiserver's chain: members of system:masters are allowed everything (the
privileged-group authorizer, no reason given); everyone else is checked against the stored
ClusterRoleBindings, then the RoleBindings of the request's namespace, each resolved to its Role or
ClusterRole. The first matching rule allows, with the reason 'RBAC: allowed by ...'. Denials carry no
reason unless a binding could not be resolved ('RBAC: clusterrole.rbac.authorization.k8s.io "x" not
found'), as on a real server. `rules_for(user, ns)` serves SelfSubjectRulesReview.

The bootstrap ClusterRoles/Bindings a real cluster has (cluster-admin, admin, edit, view, the
system:aggregate-to-* roles, system:discovery, system:basic-user, system:public-info-viewer,
system:monitoring, and metrics-server's system:aggregated-metrics-reader) are created at start unless
objects of those names were loaded. Aggregated ClusterRoles (aggregationRule) get the union of the rules
of the roles their selectors pick, kept up to date. Impersonate-User/-Group/-Uid/-Extra-* headers are
honoured after an 'impersonate' authorization check, as by the apiserver's impersonation filter.
"""

import hashlib
import ssl
import urllib.parse

from . import auth, controllers, errors, selectors, server, util
from .resources import REGISTRY

RBAC = "rbac.authorization.k8s.io"
CR_KEY = RBAC + "/clusterroles"
CRB_KEY = RBAC + "/clusterrolebindings"
ROLE_KEY = RBAC + "/roles"
RB_KEY = RBAC + "/rolebindings"

MASTERS = "system:masters"

# ---- rule matching (RBAC's RuleAllows) --------------------------------------------------------------


def _verb_matches(rule, verb):
    verbs = rule.get("verbs") or []
    return "*" in verbs or verb in verbs


def _group_matches(rule, group):
    groups = rule.get("apiGroups") or []
    return "*" in groups or group in groups


def _resource_matches(rule, combined, sub):
    for r in rule.get("resources") or []:
        if r == "*" or r == combined:
            return True
        # "*/scale" matches the scale subresource of every resource
        if sub and len(r) == len(sub) + 2 and r.startswith("*/") and r.endswith(sub):
            return True
    return False


def _name_matches(rule, name):
    names = rule.get("resourceNames") or []
    return not names or name in names


def _url_matches(rule, path):
    for u in rule.get("nonResourceURLs") or []:
        if u == "*" or u == path:
            return True
        if u.endswith("*") and path.startswith(u[:-1]):
            return True
    return False


def rule_allows(rule, attrs):
    if not isinstance(rule, dict):
        return False
    if attrs.get("resource_request"):
        res = attrs.get("resource", "")
        sub = attrs.get("subresource", "")
        combined = res + "/" + sub if sub else res
        return (_verb_matches(rule, attrs.get("verb", "")) and _group_matches(rule, attrs.get("group", ""))
                and _resource_matches(rule, combined, sub) and _name_matches(rule, attrs.get("name", "")))
    return _verb_matches(rule, attrs.get("verb", "")) and _url_matches(rule, attrs.get("path", ""))


# ---- rule resolution (DefaultRuleResolver.VisitRulesFor) -------------------------------------------

class _Store:
    """The store of the running server; set by the bootstrap controller at start."""
    store = None


def _groups(user):
    return list(getattr(user, "groups", None) or [])


def _describe_subject(subj, binding_ns):
    kind = subj.get("kind", "")
    name = subj.get("name", "")
    if kind == "ServiceAccount":
        return '%s "%s/%s"' % (kind, name, subj.get("namespace") or binding_ns)
    return '%s "%s"' % (kind, name)


def _applies(user, subjects, ns):
    """The first subject of a binding that names this user (directly, by group or as a service account)."""
    if not isinstance(subjects, list):
        return None
    groups = _groups(user)
    for s in subjects:
        if not isinstance(s, dict):
            continue
        kind = s.get("kind")
        name = s.get("name")
        if kind == "User" and user.name == name:
            return s
        if kind == "Group" and name in groups:
            return s
        if kind == "ServiceAccount":
            sa_ns = s.get("namespace") or ns
            if sa_ns and user.name == "system:serviceaccount:%s:%s" % (sa_ns, name):
                return s
    return None


def _role_rules(store, ref, binding_ns):
    """(rules, error message) for a binding's roleRef."""
    if not isinstance(ref, dict):
        ref = {}
    kind = ref.get("kind")
    name = ref.get("name", "")
    if kind == "Role":
        e = store.get_entry(ROLE_KEY, binding_ns, name)
        if e is None:
            return None, 'role.rbac.authorization.k8s.io "%s" not found' % name
    elif kind == "ClusterRole":
        e = store.get_entry(CR_KEY, "", name)
        if e is None:
            return None, 'clusterrole.rbac.authorization.k8s.io "%s" not found' % name
    else:
        return None, 'unsupported role reference kind: "%s"' % (kind or "")
    rules = e.obj.get("rules")
    return (rules if isinstance(rules, list) else []), None


def visit_rules(user, namespace, visitor):
    """Call visitor(source, rule, error) for each rule that applies to user in namespace, cluster-wide
    bindings first. visitor returns False to stop."""
    store = _Store.store
    if store is None:
        return
    _, crbs = store.list_entries(CRB_KEY)
    for e in crbs:
        b = e.obj
        subj = _applies(user, b.get("subjects"), "")
        if subj is None:
            continue
        ref = b.get("roleRef") or {}
        rules, err = _role_rules(store, ref, "")
        if err:
            if not visitor(None, None, err):
                return
            continue
        src = 'ClusterRoleBinding "%s" of %s "%s" to %s' % (e.name, ref.get("kind"), ref.get("name"),
                                                           _describe_subject(subj, ""))
        for r in rules:
            if not visitor(src, r, None):
                return
    if not namespace:
        return
    _, rbs = store.list_entries(RB_KEY, namespace)
    for e in rbs:
        b = e.obj
        subj = _applies(user, b.get("subjects"), namespace)
        if subj is None:
            continue
        ref = b.get("roleRef") or {}
        rules, err = _role_rules(store, ref, namespace)
        if err:
            if not visitor(None, None, err):
                return
            continue
        src = 'RoleBinding "%s/%s" of %s "%s" to %s' % (e.name, namespace, ref.get("kind"), ref.get("name"),
                                                       _describe_subject(subj, namespace))
        for r in rules:
            if not visitor(src, r, None):
                return


def aggregate_errors(errs):
    """utilerrors.NewAggregate(...).Error(): one message, or '[a, b]' (duplicates dropped)."""
    seen = []
    for e in errs:
        if e not in seen:
            seen.append(e)
    if not seen:
        return ""
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def rbac_authorize(user, attrs):
    """(decision, reason): decision is True (allow) or None (no opinion)."""
    found = {"reason": None}
    errs = []

    def visit(src, rule, err):
        if rule is not None and rule_allows(rule, attrs):
            found["reason"] = "RBAC: allowed by " + src
            return False
        if err:
            errs.append(err)
        return True
    visit_rules(user, attrs.get("namespace", "") or "", visit)
    if found["reason"] is not None:
        return True, found["reason"]
    return None, ("RBAC: " + aggregate_errors(errs)) if errs else ""


def authorize(user, attrs):
    """The server's authorizer: privileged group, then RBAC. Returns (allowed, reason)."""
    if MASTERS in _groups(user):
        return True, ""
    decision, reason = rbac_authorize(user, attrs)
    return decision is True, reason


def rules_for(user, namespace):
    """(resourceRules, nonResourceRules, evaluation error) as SelfSubjectRulesReview reports them."""
    res, nonres, errs = [], [], []

    def visit(src, rule, err):
        if isinstance(rule, dict):
            if rule.get("resources"):
                r = {"verbs": list(rule.get("verbs") or []), "apiGroups": list(rule.get("apiGroups") or []),
                     "resources": list(rule.get("resources") or [])}
                if rule.get("resourceNames"):
                    r["resourceNames"] = list(rule["resourceNames"])
                res.append(r)
            if rule.get("nonResourceURLs"):
                nonres.append({"verbs": list(rule.get("verbs") or []),
                               "nonResourceURLs": list(rule["nonResourceURLs"])})
        if err:
            errs.append(err)
        return True
    visit_rules(user, namespace, visit)
    return res, nonres, aggregate_errors(errs)


# ---- the bootstrap policy -------------------------------------------------------------------------

READ = ["get", "list", "watch"]
WRITE = ["create", "delete", "deletecollection", "patch", "update"]
ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def _rule(groups, resources, verbs, names=None):
    r = {"verbs": list(verbs), "apiGroups": list(groups), "resources": list(resources)}
    if names:
        r["resourceNames"] = list(names)
    return r


def _url_rule(urls, verbs):
    return {"verbs": list(verbs), "nonResourceURLs": list(urls)}


def _bootstrap_roles():
    view = [
        _rule([""], ["configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                     "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                     "services/status"], READ),
        _rule([""], ["bindings", "events", "limitranges", "namespaces/status", "pods/log", "pods/status",
                     "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"], READ),
        _rule([""], ["namespaces"], READ),
        _rule(["discovery.k8s.io"], ["endpointslices"], READ),
        _rule(["apps"], ["controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
                         "deployments/scale", "deployments/status", "replicasets", "replicasets/scale",
                         "replicasets/status", "statefulsets", "statefulsets/scale", "statefulsets/status"], READ),
        _rule(["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"], READ),
        _rule(["batch"], ["cronjobs", "cronjobs/status", "jobs", "jobs/status"], READ),
        _rule(["extensions"], ["daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                               "deployments/status", "ingresses", "ingresses/status", "networkpolicies",
                               "replicasets", "replicasets/scale", "replicasets/status",
                               "replicationcontrollers/scale"], READ),
        _rule(["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"], READ),
        _rule(["networking.k8s.io"], ["ingresses", "ingresses/status", "networkpolicies"], READ),
    ]
    edit = [
        _rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"],
              READ),
        _rule([""], ["serviceaccounts"], ["impersonate"]),
        _rule([""], ["pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"], WRITE),
        _rule([""], ["pods/eviction"], ["create"]),
        _rule([""], ["configmaps", "events", "persistentvolumeclaims", "replicationcontrollers",
                     "replicationcontrollers/scale", "secrets", "serviceaccounts", "services", "services/proxy"],
              WRITE),
        _rule([""], ["serviceaccounts/token"], ["create"]),
        _rule(["apps"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                         "replicasets/scale", "statefulsets", "statefulsets/scale"], WRITE),
        _rule(["autoscaling"], ["horizontalpodautoscalers"], WRITE),
        _rule(["batch"], ["cronjobs", "jobs"], WRITE),
        _rule(["extensions"], ["daemonsets", "deployments", "deployments/rollback", "deployments/scale",
                               "ingresses", "networkpolicies", "replicasets", "replicasets/scale",
                               "replicationcontrollers/scale"], WRITE),
        _rule(["policy"], ["poddisruptionbudgets"], WRITE),
        _rule(["networking.k8s.io"], ["ingresses", "networkpolicies"], WRITE),
        _rule(["coordination.k8s.io"], ["leases"], ALL),
    ]
    admin = [
        _rule(["authorization.k8s.io"], ["localsubjectaccessreviews"], ["create"]),
        _rule([RBAC], ["rolebindings", "roles"], ALL),
    ]
    agg = "rbac.authorization.k8s.io/aggregate-to-"
    roles = [
        # (name, extra labels, rules or None, aggregate-from label or None)
        ("admin", {}, None, agg + "admin"),
        ("cluster-admin", {}, [_rule(["*"], ["*"], ["*"]), _url_rule(["*"], ["*"])], None),
        ("edit", {agg + "admin": "true"}, None, agg + "edit"),
        ("system:aggregate-to-admin", {agg + "admin": "true"}, admin, None),
        ("system:aggregate-to-edit", {agg + "edit": "true"}, edit, None),
        ("system:aggregate-to-view", {agg + "view": "true"}, view, None),
        ("system:auth-delegator", {}, [_rule(["authentication.k8s.io"], ["tokenreviews"], ["create"]),
                                       _rule(["authorization.k8s.io"], ["subjectaccessreviews"], ["create"])], None),
        ("system:basic-user", {}, [_rule(["authorization.k8s.io"],
                                         ["selfsubjectaccessreviews", "selfsubjectrulesreviews"], ["create"]),
                                   _rule(["authentication.k8s.io"], ["selfsubjectreviews"], ["create"])], None),
        ("system:discovery", {}, [_url_rule(["/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                                             "/openapi/*", "/readyz", "/version", "/version/"], ["get"])], None),
        ("system:monitoring", {}, [_url_rule(["/healthz", "/healthz/*", "/livez", "/livez/*", "/metrics",
                                              "/metrics/slis", "/readyz", "/readyz/*"], ["get"])], None),
        ("system:public-info-viewer", {}, [_url_rule(["/healthz", "/livez", "/readyz", "/version", "/version/"],
                                                     ["get"])], None),
        ("view", {agg + "edit": "true"}, None, agg + "view"),
    ]
    out = []
    for name, labels, rules, agg_from in roles:
        lbl = {"kubernetes.io/bootstrapping": "rbac-defaults"}
        lbl.update(labels)
        obj = {"apiVersion": RBAC + "/v1", "kind": "ClusterRole",
               "metadata": {"name": name, "labels": lbl,
                            "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}}}
        if agg_from:
            obj["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {agg_from: "true"}}]}
            obj["rules"] = []
        else:
            obj["rules"] = rules
        out.append(obj)
    # metrics-server's reader role (its components.yaml), aggregated into admin, edit and view
    out.append({"apiVersion": RBAC + "/v1", "kind": "ClusterRole",
                "metadata": {"name": "system:aggregated-metrics-reader",
                             "labels": {"k8s-app": "metrics-server", agg + "admin": "true", agg + "edit": "true",
                                        agg + "view": "true"}},
                "rules": [_rule(["metrics.k8s.io"], ["nodes", "pods"], READ)]})
    return out


def _bootstrap_bindings():
    def crb(name, subjects):
        return {"apiVersion": RBAC + "/v1", "kind": "ClusterRoleBinding",
                "metadata": {"name": name, "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
                             "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"}},
                "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": name},
                "subjects": [{"apiGroup": RBAC, "kind": k, "name": n} for k, n in subjects]}
    return [
        crb("cluster-admin", [("Group", MASTERS)]),
        crb("system:basic-user", [("Group", "system:authenticated")]),
        crb("system:discovery", [("Group", "system:authenticated")]),
        crb("system:monitoring", [("Group", "system:monitoring")]),
        crb("system:public-info-viewer", [("Group", "system:authenticated"), ("Group", "system:unauthenticated")]),
    ]


def _aggregated_rules(store, role):
    """The rules an aggregated ClusterRole should hold: those of every other ClusterRole its selectors
    pick, in name order, without duplicates."""
    rule_spec = role.get("aggregationRule") or {}
    sels = []
    for s in rule_spec.get("clusterRoleSelectors") or []:
        sel = selectors.selector_from_label_selector(s if isinstance(s, dict) else {})
        if sel is not None:
            sels.append(sel)
    name = (role.get("metadata") or {}).get("name")
    _, entries = store.list_entries(CR_KEY)
    picked = []
    for e in entries:
        if e.name == name:
            continue
        if any(not sel.empty() and sel.matches_obj(e.obj) for sel in sels):
            picked.append(e)
    rules = []
    for e in sorted(picked, key=lambda e: e.name):
        for r in e.obj.get("rules") or []:
            if r not in rules:
                rules.append(r)
    return rules


@controllers.register
class RBACBootstrap(controllers.Controller):
    """Creates the bootstrap policy at start and keeps aggregated ClusterRoles up to date."""
    name = "rbac-bootstrap"
    watches = (CR_KEY,)
    always = True

    def setup(self, mgr):
        _Store.store = mgr.store
        cr = REGISTRY.get(RBAC, "v1", "clusterroles")
        crb = REGISTRY.get(RBAC, "v1", "clusterrolebindings")
        for obj in _bootstrap_roles():
            if mgr.store.get_entry(CR_KEY, "", obj["metadata"]["name"]) is None:
                try:
                    mgr.api.create(mgr.ctx, cr, "", obj)
                except errors.ApiError:
                    pass
        for obj in _bootstrap_bindings():
            if mgr.store.get_entry(CRB_KEY, "", obj["metadata"]["name"]) is None:
                try:
                    mgr.api.create(mgr.ctx, crb, "", obj)
                except errors.ApiError:
                    pass
        self.aggregate(mgr)

    def on_event(self, mgr, ev):
        self.aggregate(mgr)

    def aggregate(self, mgr):
        rt = REGISTRY.get(RBAC, "v1", "clusterroles")
        # aggregated roles may pick other aggregated roles (admin picks edit picks view): iterate
        for _ in range(5):
            changed = False
            _, entries = mgr.store.list_entries(CR_KEY)
            for e in entries:
                if not isinstance(e.obj.get("aggregationRule"), dict):
                    continue
                want = _aggregated_rules(mgr.store, e.obj)
                if (e.obj.get("rules") or []) == want:
                    continue

                def fn(o, want=want):
                    if (o.get("rules") or []) == want:
                        return None
                    o["rules"] = want
                    return o
                if mgr.api.mutate(mgr.ctx, rt, "", e.name, fn) is not None:
                    changed = True
            if not changed:
                return


# ---- impersonation ----------------------------------------------------------------------------------

IMP_USER = "Impersonate-User"
IMP_GROUP = "Impersonate-Group"
IMP_UID = "Impersonate-Uid"
IMP_EXTRA = "impersonate-extra-"


def _impersonation_error(req, message):
    """The apiserver answers a malformed impersonation with a plain-text 500."""
    text = "Internal Server Error: %s: %s" % (util.dumps(req.handler.path), message)
    return server.Response(500, (text + "\n").encode(), "text/plain; charset=utf-8",
                           {"X-Content-Type-Options": "nosniff"})


def impersonation_filter(req):
    headers = req.headers
    want_user = headers.get(IMP_USER) or ""
    groups_req = list(headers.get_all(IMP_GROUP) or [])
    want_uid = headers.get(IMP_UID) or ""
    extras = []
    seen = set()
    for k in headers.keys():
        lk = k.lower()
        if lk.startswith(IMP_EXTRA) and lk not in seen:
            seen.add(lk)
            key = urllib.parse.unquote(lk[len(IMP_EXTRA):])
            for v in headers.get_all(k) or []:
                extras.append((key, v))
    if not want_user and not groups_req and not want_uid and not extras:
        return None
    if not want_user:
        what = []
        if groups_req:
            what.append("groups")
        if extras:
            what.append("extra")
        if want_uid:
            what.append("uid")
        return _impersonation_error(req, "requested %s without impersonating a user" % " and ".join(what))
    requestor = req.user
    if requestor is auth.ANONYMOUS:
        return errors.unauthorized()
    checks = []
    username = want_user
    groups = []
    sa = None
    if want_user.startswith("system:serviceaccount:"):
        parts = want_user.split(":")
        if len(parts) == 4 and parts[2] and parts[3]:
            sa = (parts[2], parts[3])
    if sa:
        checks.append({"verb": "impersonate", "group": "", "resource": "serviceaccounts", "subresource": "",
                       "namespace": sa[0], "name": sa[1], "resource_request": True, "path": req.path})
        if not groups_req:
            groups = ["system:serviceaccounts", "system:serviceaccounts:" + sa[0]]
    else:
        checks.append({"verb": "impersonate", "group": "", "resource": "users", "subresource": "",
                       "namespace": "", "name": want_user, "resource_request": True, "path": req.path})
    for g in groups_req:
        checks.append({"verb": "impersonate", "group": "", "resource": "groups", "subresource": "",
                       "namespace": "", "name": g, "resource_request": True, "path": req.path})
        groups.append(g)
    extra = {}
    for key, v in extras:
        checks.append({"verb": "impersonate", "group": "authentication.k8s.io", "resource": "userextras",
                       "subresource": key, "namespace": "", "name": v, "resource_request": True, "path": req.path})
        extra.setdefault(key, []).append(v)
    if want_uid:
        checks.append({"verb": "impersonate", "group": "authentication.k8s.io", "resource": "uids",
                       "subresource": "", "namespace": "", "name": want_uid, "resource_request": True,
                       "path": req.path})
    for attrs in checks:
        ok, reason = auth.authorize(requestor, attrs)
        if not ok:
            attrs["reason"] = reason
            return auth.forbidden_error(requestor, attrs)
    if username != "system:anonymous":
        if "system:authenticated" not in groups and "system:unauthenticated" not in groups:
            groups.append("system:authenticated")
    elif "system:unauthenticated" not in groups:
        groups.append("system:unauthenticated")
    user = auth.User(username, want_uid, groups)
    user.extra = extra
    user.impersonated_by = requestor
    req.user = user
    from .ops import Context
    old = req.ctx
    req.ctx = Context(user=user.name, groups=user.groups, uid=user.uid,
                      dry_run=getattr(old, "dry_run", False), field_manager=getattr(old, "field_manager", ""))
    return None


# ---- requests the router would answer 404 without asking the authorizer ------------------------------

_VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch"}


def _request_attrs(req, segs):
    """The authorizer attributes of a resource path (the apiserver's RequestInfo), or None when the path
    names no resource (discovery)."""
    if segs[0] == "api":
        if len(segs) < 2:
            return None
        group, version, rest = "", segs[1], segs[2:]
    else:
        if len(segs) < 3:
            return None
        group, version, rest = segs[1], segs[2], segs[3:]
    if not rest:
        return None
    watch = False
    if rest[0] == "watch":
        watch = True
        rest = rest[1:]
        if not rest:
            return None
    ns = ""
    if rest[0] == "namespaces" and len(rest) >= 3:
        ns, rest = rest[1], rest[2:]
    elif rest[0] == "namespaces" and len(rest) == 2:
        ns = rest[1]
    resource = rest[0]
    name = rest[1] if len(rest) > 1 else ""
    sub = rest[2] if len(rest) > 2 else ""
    m = req.method
    if m in ("GET", "HEAD"):
        if watch or (not sub and req.query.get("watch") in ("true", "1", "True", "TRUE")):
            verb = "watch"
        else:
            verb = "get" if name else "list"
    elif m == "DELETE":
        verb = "delete" if name else "deletecollection"
    else:
        verb = _VERBS.get(m, m.lower())
    return {"verb": verb, "group": group, "version": version, "resource": resource, "subresource": sub,
            "namespace": ns, "name": name, "path": req.path, "resource_request": True}


def unrouted_authorization_filter(req):
    """The apiserver authorizes every request before it looks for a handler: a user who may not use a path
    or resource gets 403, not 404. kubesim's router authorizes what it serves; this covers the rest."""
    user = req.user
    if user is None or user is auth.ANONYMOUS:
        return None
    path = req.path
    segs = [urllib.parse.unquote(x) for x in path.split("/") if x]
    if segs and segs[0] in ("api", "apis"):
        attrs = _request_attrs(req, segs)
        if attrs is None or REGISTRY.get(attrs["group"], attrs["version"], attrs["resource"]) is not None:
            return None
    else:
        norm = "/" + "/".join(segs)
        if norm in server.PATH_HANDLERS or any(norm == p or norm.startswith(p + "/") for p in server.PREFIX_HANDLERS):
            return None
        if norm in ("/version", "/version/", "/healthz", "/livez", "/readyz") or \
                norm.startswith(("/healthz/", "/livez/", "/readyz/")):
            return None
        attrs = {"verb": "get" if req.method == "HEAD" else req.method.lower(), "path": path,
                 "resource_request": False}
    ok, reason = auth.authorize(user, attrs)
    if ok:
        return None
    attrs["reason"] = reason
    return auth.forbidden_error(user, attrs)


def x509_extra_filter(req):
    """Since 1.31 the x509 authenticator adds the credential id (the certificate's SHA-256 fingerprint) to
    the user's extra, which `kubectl auth whoami` shows."""
    conn = getattr(req.handler, "connection", None)
    user = req.user
    if user is None or user is auth.ANONYMOUS or not isinstance(conn, ssl.SSLSocket):
        return None
    try:
        der = conn.getpeercert(binary_form=True)
        verified = conn.getpeercert()
    except (ValueError, OSError):
        return None
    if der and verified and user.name == _cert_cn(verified):
        user.extra = {"authentication.kubernetes.io/credential-id": ["X509SHA256=" + hashlib.sha256(der).hexdigest()]}
    return None


def _cert_cn(cert):
    for rdn in cert.get("subject", ()):
        for k, v in rdn:
            if k == "commonName":
                return v
    return None


server.REQUEST_FILTERS.insert(0, unrouted_authorization_filter)
server.REQUEST_FILTERS.insert(0, impersonation_filter)
server.REQUEST_FILTERS.insert(0, x509_extra_filter)
auth.set_authorizer(authorize)
