"""RBAC authorization against kubectl 1.32: the bootstrap policy, Roles/ClusterRoles/bindings with
verbs, groups, subresources, resourceNames, nonResourceURLs and wildcards, the apiserver's 403 messages,
`kubectl auth can-i` (SelfSubjectAccessReview, sent as protobuf) and `--list` (SelfSubjectRulesReview),
SubjectAccessReviews, aggregation and impersonation.
"""

import json

import pytest

from conftest import table_rows

TOKENS = """jane-token,jane,uid-jane,dev
bob-token,bob,uid-bob
olga-token,olga,uid-olga,"ops,auditors"
sam-token,system:serviceaccount:team-a:builder,uid-sam,"system:serviceaccounts,system:serviceaccounts:team-a"
eve-token,eve,uid-eve,ghosts
"""


@pytest.fixture(scope="module")
def rs(make_sim, tmp_path_factory):
    d = tmp_path_factory.mktemp("rbac-tokens")
    tf = d / "tokens.csv"
    tf.write_text(TOKENS)
    return make_sim(objects=["rbac/rbac-policy.yaml"], args=["--token-file", str(tf), "--no-controllers"])


def as_user(sim, token, method, path, body=None, headers=None):
    h = {"Authorization": "Bearer " + token}
    h.update(headers or {})
    if isinstance(body, (dict, list)):
        body = json.dumps(body).encode()
        h.setdefault("Content-Type", "application/json")
    st, _, data = sim.request(method, path, body, headers=h, token=False)
    return st, (json.loads(data) if data and data[:1] == b"{" else data)


def forbidden(doc, message):
    assert doc["kind"] == "Status" and doc["code"] == 403 and doc["reason"] == "Forbidden", doc
    assert doc["message"] == message, doc["message"]


def can_i(sim, token, *args):
    res = sim.kubectl("--token", token, "auth", "can-i", *args, check=False)
    assert res.returncode in (0, 1), res.stderr
    return res.stdout.strip(), res.returncode


# ---- the bootstrap policy -------------------------------------------------------------------------

def test_bootstrap_policy(rs):
    _, rows = table_rows(rs.kubectl("get", "clusterroles").stdout)
    names = {r["NAME"] for r in rows}
    assert {"cluster-admin", "admin", "edit", "view", "system:discovery", "system:basic-user",
            "system:public-info-viewer", "system:aggregate-to-view"} <= names
    _, crb = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/cluster-admin", expect=200)
    assert crb["roleRef"] == {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"}
    assert crb["subjects"] == [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"}]
    assert crb["metadata"]["annotations"] == {"rbac.authorization.kubernetes.io/autoupdate": "true"}
    _, piv = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/system:public-info-viewer",
                     expect=200)
    assert [s["name"] for s in piv["subjects"]] == ["system:authenticated", "system:unauthenticated"]
    _, view = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/view", expect=200)
    assert view["aggregationRule"] == {"clusterRoleSelectors": [
        {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}]}
    rules = view["rules"]
    assert {"verbs": ["get", "list", "watch"], "apiGroups": ["example.com"], "resources": ["widgets"]} in rules
    assert any("pods/log" in r.get("resources", []) for r in rules)
    assert not any("secrets" in r.get("resources", []) for r in rules)
    _, admin = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", expect=200)
    # admin aggregates edit, which aggregates view
    assert any("secrets" in r.get("resources", []) and "create" in r["verbs"] for r in admin["rules"])
    assert {"verbs": ["get", "list", "watch"], "apiGroups": ["example.com"], "resources": ["widgets"]} in admin["rules"]


def test_aggregation_follows_changes(rs):
    role = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": "gadget-editor", "labels": {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}},
            "rules": [{"apiGroups": ["example.com"], "resources": ["gadgets"], "verbs": ["create", "delete"]}]}
    rs.json("POST", "/apis/rbac.authorization.k8s.io/v1/clusterroles", role, expect=201)
    want = {"verbs": ["create", "delete"], "apiGroups": ["example.com"], "resources": ["gadgets"]}
    import time
    deadline = time.time() + 5
    while time.time() < deadline:
        _, edit = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/edit", expect=200)
        _, admin = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/admin", expect=200)
        if want in edit["rules"] and want in admin["rules"]:
            break
        time.sleep(0.05)
    assert want in edit["rules"] and want in admin["rules"]
    rs.json("DELETE", "/apis/rbac.authorization.k8s.io/v1/clusterroles/gadget-editor", expect=200)
    deadline = time.time() + 5
    while time.time() < deadline:
        _, edit = rs.json("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/edit", expect=200)
        if want not in edit["rules"]:
            break
        time.sleep(0.05)
    assert want not in edit["rules"]


# ---- 403 messages ---------------------------------------------------------------------------------

def test_forbidden_messages(rs):
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/default/pods")
    assert st == 403
    forbidden(doc, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace '
                   '"default"')
    assert doc["details"] == {"kind": "pods"}
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/default/pods/web-1")
    forbidden(doc, 'pods "web-1" is forbidden: User "bob" cannot get resource "pods" in API group "" in the '
                   'namespace "default"')
    assert doc["details"] == {"name": "web-1", "kind": "pods"}
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/pods")
    forbidden(doc, 'pods is forbidden: User "bob" cannot list resource "pods" in API group "" at the cluster scope')
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/nodes/kubesim-node-1")
    forbidden(doc, 'nodes "kubesim-node-1" is forbidden: User "bob" cannot get resource "nodes" in API group "" '
                   'at the cluster scope')
    st, doc = as_user(rs, "jane-token", "DELETE", "/apis/apps/v1/namespaces/default/deployments/x")
    forbidden(doc, 'deployments.apps "x" is forbidden: User "jane" cannot delete resource "deployments" in API '
                   'group "apps" in the namespace "default"')
    assert doc["details"] == {"name": "x", "group": "apps", "kind": "deployments"}
    # watch is its own verb
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/team-b/pods?watch=true")
    forbidden(doc, 'pods is forbidden: User "bob" cannot watch resource "pods" in API group "" in the namespace '
                   '"team-b": RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found')
    st, _ = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/team-b/pods")
    assert st == 200
    # non-resource URLs, and resources the server does not have, are authorized before anything else
    st, doc = as_user(rs, "bob-token", "GET", "/metrics")
    assert st == 403
    forbidden(doc, 'forbidden: User "bob" cannot get path "/metrics"')
    assert doc["details"] == {}
    st, doc = as_user(rs, "olga-token", "GET", "/logs/kube-apiserver.log")
    assert st == 404
    missing = 'RBAC: clusterrole.rbac.authorization.k8s.io "missing-role" not found'
    st, doc = as_user(rs, "eve-token", "GET", "/metrics")
    forbidden(doc, 'forbidden: User "eve" cannot get path "/metrics": ' + missing)
    st, doc = as_user(rs, "eve-token", "GET", "/api/v1/nodes")
    forbidden(doc, 'nodes is forbidden: User "eve" cannot list resource "nodes" in API group "" at the cluster '
                   'scope: ' + missing)
    st, doc = as_user(rs, "bob-token", "GET", "/apis/example.com/v1/namespaces/default/widgets/w1")
    forbidden(doc, 'widgets.example.com "w1" is forbidden: User "bob" cannot get resource "widgets" in API group '
                   '"example.com" in the namespace "default"')
    st, doc = rs.json("GET", "/apis/example.com/v1/namespaces/default/widgets/w1")
    assert st == 404


def test_subresources(rs):
    # pods/log is "get" on the subresource
    st, _ = as_user(rs, "jane-token", "GET", "/api/v1/namespaces/default/pods/web-1/log")
    assert st != 403
    st, _ = as_user(rs, "jane-token", "GET", "/api/v1/namespaces/team-a/pods/api-1/log")
    assert st != 403                       # group dev: edit in team-a, which aggregates view
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/default/pods/web-1/log")
    forbidden(doc, 'pods "web-1" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the '
                   'namespace "default"')
    # deployments/scale: "*/scale" lets olga (ops) patch any scale subresource, not the deployment itself
    patch = {"spec": {"replicas": 2}}
    st, doc = as_user(rs, "olga-token", "PATCH", "/apis/apps/v1/namespaces/team-a/deployments/api/scale", patch,
                      {"Content-Type": "application/merge-patch+json"})
    assert st == 200 and doc["spec"]["replicas"] == 2, doc
    st, doc = as_user(rs, "olga-token", "PATCH", "/apis/apps/v1/namespaces/team-a/deployments/api", patch,
                      {"Content-Type": "application/merge-patch+json"})
    forbidden(doc, 'deployments.apps "api" is forbidden: User "olga" cannot patch resource "deployments" in API '
                   'group "apps" in the namespace "team-a"')
    res = rs.kubectl("--token", "olga-token", "scale", "deployment/api", "-n", "team-a", "--replicas=3")
    assert res.stdout.strip() == "deployment.apps/api scaled"
    res = rs.kubectl("--token", "bob-token", "scale", "deployment/api", "-n", "team-a", "--replicas=1", check=False)
    assert res.returncode == 1 and res.stderr.strip() == (
        'error: no objects passed to scale deployments.apps "api" is forbidden: User "bob" cannot get resource '
        '"deployments" in API group "apps" in the namespace "team-a"')
    # pods/eviction is "create" on the subresource
    st, doc = as_user(rs, "bob-token", "POST", "/api/v1/namespaces/default/pods/web-1/eviction",
                      {"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "web-1"}})
    forbidden(doc, 'pods "web-1" is forbidden: User "bob" cannot create resource "pods/eviction" in API group "" '
                   'in the namespace "default"')


def test_resource_names_and_service_accounts(rs):
    rs.json("POST", "/api/v1/namespaces/team-b/configmaps",
            {"metadata": {"name": "app-config"}, "data": {"a": "1"}}, expect=201)
    rs.json("POST", "/api/v1/namespaces/team-b/configmaps",
            {"metadata": {"name": "other"}, "data": {"a": "1"}}, expect=201)
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/team-b/configmaps/app-config")
    assert st == 200 and doc["data"] == {"a": "1"}
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/team-b/configmaps/other")
    forbidden(doc, 'configmaps "other" is forbidden: User "bob" cannot get resource "configmaps" in API group "" '
                   'in the namespace "team-b": RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found')
    st, doc = as_user(rs, "bob-token", "GET", "/api/v1/namespaces/team-b/configmaps")
    assert st == 403
    # the ServiceAccount subject without a namespace means the binding's namespace
    st, _ = as_user(rs, "sam-token", "DELETE", "/api/v1/namespaces/team-a/pods/api-1?dryRun=All")
    assert st == 200
    st, doc = as_user(rs, "sam-token", "GET", "/api/v1/namespaces/default/pods")
    forbidden(doc, 'pods is forbidden: User "system:serviceaccount:team-a:builder" cannot list resource "pods" in '
                   'API group "" in the namespace "default"')


def test_kubectl_sees_the_same(rs):
    res = rs.kubectl("--token", "bob-token", "get", "pods", check=False)
    assert res.returncode == 1
    assert res.stderr.strip() == ('Error from server (Forbidden): pods is forbidden: User "bob" cannot list resource '
                                  '"pods" in API group "" in the namespace "default"')
    res = rs.kubectl("--token", "jane-token", "get", "pods")
    assert "web-1" in res.stdout
    res = rs.kubectl("--token", "jane-token", "delete", "pod", "web-1", check=False)
    assert res.returncode == 1 and res.stderr.strip() == (
        'Error from server (Forbidden): pods "web-1" is forbidden: User "jane" cannot delete resource "pods" in API '
        'group "" in the namespace "default"')
    res = rs.kubectl("--token", "olga-token", "get", "nodes")
    assert "kubesim-node-1" in res.stdout
    # discovery is open to every authenticated user, so api-resources works even for bob
    res = rs.kubectl("--token", "bob-token", "api-resources", "--api-group=apps")
    assert "deployments" in res.stdout


# ---- kubectl auth can-i ---------------------------------------------------------------------------

def test_can_i(rs):
    cases = [
        (("jane-token",), ("list", "pods"), "yes"),
        (("jane-token",), ("get", "pods", "--subresource=log"), "yes"),
        (("jane-token",), ("create", "pods"), "no"),
        (("jane-token",), ("list", "secrets"), "no"),
        (("jane-token",), ("list", "pods", "-n", "kube-system"), "no"),
        (("jane-token",), ("list", "pods", "-A"), "no"),
        (("jane-token",), ("create", "deployments.apps", "-n", "team-a"), "yes"),
        (("jane-token",), ("create", "secrets", "-n", "team-a"), "yes"),
        (("jane-token",), ("create", "rolebindings", "-n", "team-a"), "no"),
        # a type discovery does not know goes out as resource "widgets.example.com" in group "": no match
        (("jane-token",), ("list", "widgets.example.com"), "no"),
        (("bob-token",), ("get", "configmaps/app-config", "-n", "team-b"), "yes"),
        # a denial with an evaluation error: kubectl prints the reason after "no"
        (("bob-token",), ("get", "configmaps/other", "-n", "team-b"),
         'no - RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found'),
        (("bob-token",), ("get", "pods/web-1", "--subresource=log", "-n", "team-b"), "yes"),
        (("olga-token",), ("get", "/metrics"), "yes"),
        (("olga-token",), ("get", "/logs/kube-apiserver.log"), "yes"),
        (("olga-token",), ("get", "/logs"), "no"),             # "/logs/*" covers what is below /logs/
        (("bob-token",), ("get", "/healthz"), "yes"),           # system:discovery
        (("olga-token",), ("patch", "statefulsets/web", "--subresource=scale", "-n", "x"), "yes"),
        (("olga-token",), ("create", "pods/web-1", "--subresource=eviction"), "yes"),
        (("olga-token",), ("watch", "nodes"), "yes"),
        (("olga-token",), ("delete", "nodes"), "no"),
        (("sam-token",), ("*", "*", "-n", "team-a"), "yes"),
        (("sam-token",), ("*", "deployments.apps", "-n", "team-a"), "no"),
    ]
    for (token,), args, want in cases:
        out, rc = can_i(rs, token, *args)
        assert (out, rc) == (want, 0 if want == "yes" else 1), (token, args, out)
        assert rc == (0 if out == "yes" else 1)
    # the admin (system:masters) may do anything
    res = rs.kubectl("auth", "can-i", "*", "*", "--all-namespaces")
    assert res.stdout == "yes\n"
    # kubectl sent protobuf: the request log proves the review went through
    reviews = [r for r in rs.requests_logged()
               if r["path"] == "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"]
    assert reviews and all(r["status"] == 201 for r in reviews)


def test_can_i_list(rs):
    out = rs.kubectl("--token", "bob-token", "auth", "can-i", "--list", "-n", "team-b").stdout
    header, rows = table_rows(out)
    assert header == ["Resources", "Non-Resource URLs", "Resource Names", "Verbs"]
    got = {(r["Resources"], r["Non-Resource URLs"], r["Resource Names"], r["Verbs"]) for r in rows}
    assert ("configmaps", "[]", "[app-config]", "[get]") in got
    assert ("pods", "[]", "[]", "[list]") in got
    assert ("pods/log", "[]", "[]", "[get]") in got
    assert ("selfsubjectaccessreviews.authorization.k8s.io", "[]", "[]", "[create]") in got
    assert ("", "[/version]", "[]", "[get]") in got and ("", "[/api/*]", "[]", "[get]") in got
    out = rs.kubectl("--token", "bob-token", "auth", "can-i", "--list", "-n", "default").stdout
    assert "configmaps" not in out
    # the evaluation error of bob's dangling binding in team-b
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                      {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                       "spec": {"namespace": "team-b"}})
    assert st == 201 and doc["kind"] == "SelfSubjectRulesReview" and doc["spec"] == {}
    assert doc["status"]["incomplete"] is False
    assert doc["status"]["evaluationError"] == 'role.rbac.authorization.k8s.io "does-not-exist" not found'
    assert {"verbs": ["get"], "apiGroups": [""], "resources": ["configmaps"], "resourceNames": ["app-config"]} in \
        doc["status"]["resourceRules"]
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                      {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview", "spec": {}})
    assert st == 400 and doc["message"] == "no namespace on request"
    # the admin: cluster-admin's rules
    _, doc = rs.json("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                     {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                      "spec": {"namespace": "default"}}, expect=201)
    assert {"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]} in doc["status"]["resourceRules"]
    assert {"verbs": ["*"], "nonResourceURLs": ["*"]} in doc["status"]["nonResourceRules"]


# ---- access reviews on the wire ---------------------------------------------------------------------

def _ssar(attrs, non_resource=False):
    key = "nonResourceAttributes" if non_resource else "resourceAttributes"
    return {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {key: attrs}}


def test_ssar_json_reasons(rs):
    st, doc = as_user(rs, "jane-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"namespace": "default", "verb": "list", "resource": "pods"}))
    assert st == 201
    assert doc == {"kind": "SelfSubjectAccessReview", "apiVersion": "authorization.k8s.io/v1",
                   "metadata": {"creationTimestamp": None},
                   "spec": {"resourceAttributes": {"namespace": "default", "verb": "list", "resource": "pods"}},
                   "status": {"allowed": True,
                              "reason": 'RBAC: allowed by RoleBinding "jane-view/default" of ClusterRole "view" '
                                        'to User "jane"'}}
    st, doc = as_user(rs, "olga-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"verb": "list", "resource": "nodes"}))
    assert doc["status"] == {"allowed": True, "reason": 'RBAC: allowed by ClusterRoleBinding "ops-operator" of '
                                                        'ClusterRole "operator" to Group "ops"'}
    st, doc = as_user(rs, "sam-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"namespace": "team-a", "verb": "get", "resource": "pods"}))
    assert doc["status"]["reason"] == ('RBAC: allowed by RoleBinding "builder-pods/team-a" of Role "pod-admin" to '
                                       'ServiceAccount "builder/team-a"')
    st, doc = as_user(rs, "jane-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"namespace": "default", "verb": "delete", "resource": "pods"}))
    assert doc["status"] == {"allowed": False}
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"namespace": "team-b", "verb": "delete", "resource": "pods"}))
    assert doc["status"] == {"allowed": False,
                             "reason": 'RBAC: role.rbac.authorization.k8s.io "does-not-exist" not found'}
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"path": "/version", "verb": "get"}, non_resource=True))
    assert doc["status"] == {"allowed": True, "reason": 'RBAC: allowed by ClusterRoleBinding "system:discovery" of '
                                                        'ClusterRole "system:discovery" to Group "system:authenticated"'}
    # rules aggregated into view
    st, doc = as_user(rs, "jane-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      _ssar({"namespace": "default", "verb": "watch", "group": "example.com", "resource": "widgets"}))
    assert doc["status"]["allowed"] is True
    # the admin: allowed by the privileged group, no reason
    _, doc = rs.json("POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                     _ssar({"verb": "create", "resource": "nodes"}), expect=201)
    assert doc["status"] == {"allowed": True}
    # validation
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview", "spec": {}})
    assert st == 422 and doc["message"] == (
        'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: '
        '"null": exactly one of nonResourceAttributes or resourceAttributes must be specified')


def _pb_field(num, payload):
    def varint(n):
        out = b""
        while True:
            b = n & 0x7F
            n >>= 7
            if n:
                out += bytes([b | 0x80])
            else:
                return out + bytes([b])
    return varint(num << 3 | 2) + varint(len(payload)) + payload


def test_ssar_protobuf(rs):
    attrs = (_pb_field(1, b"team-a") + _pb_field(2, b"patch") + _pb_field(3, b"apps") + _pb_field(5, b"deployments")
             + _pb_field(6, b"scale") + _pb_field(7, b"api"))
    ssar = _pb_field(1, b"") + _pb_field(2, _pb_field(1, attrs))
    body = b"k8s\x00" + _pb_field(1, _pb_field(1, b"authorization.k8s.io/v1") +
                                  _pb_field(2, b"SelfSubjectAccessReview")) + _pb_field(2, ssar)
    st, doc = as_user(rs, "olga-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body,
                      {"Content-Type": "application/vnd.kubernetes.protobuf",
                       "Accept": "application/vnd.kubernetes.protobuf,application/json"})
    assert st == 201, doc
    assert doc["spec"] == {"resourceAttributes": {"namespace": "team-a", "verb": "patch", "group": "apps",
                                                  "resource": "deployments", "subresource": "scale", "name": "api"}}
    assert doc["status"]["allowed"] is True
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", body,
                      {"Content-Type": "application/vnd.kubernetes.protobuf"})
    assert st == 201 and doc["status"]["allowed"] is False
    st, doc = as_user(rs, "bob-token", "POST", "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
                      b"k8s\x00\x0a\xff", {"Content-Type": "application/vnd.kubernetes.protobuf"})
    assert st == 400


def test_subject_access_reviews(rs):
    sar = {"apiVersion": "authorization.k8s.io/v1", "kind": "SubjectAccessReview",
           "spec": {"user": "jane", "groups": ["dev"], "resourceAttributes": {"namespace": "team-a", "verb": "create",
                                                                           "group": "apps", "resource": "deployments"}}}
    _, doc = rs.json("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar, expect=201)
    assert doc["status"] == {"allowed": True, "reason": 'RBAC: allowed by RoleBinding "dev-edit/team-a" of '
                                                        'ClusterRole "edit" to Group "dev"'}
    sar["spec"]["groups"] = []
    _, doc = rs.json("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar, expect=201)
    assert doc["status"] == {"allowed": False}
    st, doc = as_user(rs, "jane-token", "POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar)
    forbidden(doc, 'subjectaccessreviews.authorization.k8s.io is forbidden: User "jane" cannot create resource '
                   '"subjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope')
    del sar["spec"]["user"]
    st, doc = rs.json("POST", "/apis/authorization.k8s.io/v1/subjectaccessreviews", sar)
    assert st == 422 and 'spec.user: Invalid value: "": at least one of user or group must be specified' in \
        doc["message"]
    lsar = {"apiVersion": "authorization.k8s.io/v1", "kind": "LocalSubjectAccessReview",
            "metadata": {"namespace": "team-a"},
            "spec": {"user": "jane", "groups": ["dev"],
                     "resourceAttributes": {"namespace": "team-a", "verb": "get", "resource": "secrets"}}}
    _, doc = rs.json("POST", "/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews", lsar,
                     expect=201)
    assert doc["status"]["allowed"] is True and doc["metadata"]["namespace"] == "team-a"


def test_whoami_and_impersonation(rs):
    out = rs.kubectl("--token", "olga-token", "auth", "whoami").stdout
    _, rows = table_rows(out)
    assert {r["ATTRIBUTE"]: r["VALUE"] for r in rows} == {
        "Username": "olga", "UID": "uid-olga", "Groups": "[ops auditors system:authenticated]"}
    # the admin may impersonate anyone, and then is checked as that user
    out = rs.kubectl("auth", "whoami", "--as", "jane", "--as-group", "dev").stdout
    _, rows = table_rows(out)
    assert {r["ATTRIBUTE"]: r["VALUE"] for r in rows} == {
        "Username": "jane", "Groups": "[dev system:authenticated]"}
    assert rs.kubectl("auth", "can-i", "list", "pods", "--as", "jane").stdout == "yes\n"
    res = rs.kubectl("get", "pods", "--as", "bob", check=False)
    assert res.returncode == 1 and 'User "bob" cannot list resource "pods"' in res.stderr
    res = rs.kubectl("get", "pods", "-n", "team-a", "--as", "system:serviceaccount:team-a:builder")
    assert "api-1" in res.stdout
    # olga may impersonate jane (resourceNames), nobody else
    res = rs.kubectl("--token", "olga-token", "get", "pods", "--as", "jane")
    assert "web-1" in res.stdout
    res = rs.kubectl("--token", "olga-token", "get", "pods", "--as", "bob", check=False)
    assert res.returncode == 1 and "Error from server (Forbidden)" in res.stderr
    st, doc = as_user(rs, "olga-token", "GET", "/api", headers={"Impersonate-User": "bob"})
    forbidden(doc, 'users "bob" is forbidden: User "olga" cannot impersonate resource "users" in API group "" at '
                   'the cluster scope')
    st, doc = as_user(rs, "olga-token", "GET", "/api/v1/namespaces/default/pods",
                      headers={"Impersonate-User": "jane", "Impersonate-Group": "system:masters"})
    forbidden(doc, 'groups "system:masters" is forbidden: User "olga" cannot impersonate resource "groups" in API '
                   'group "" at the cluster scope')
    st, body = as_user(rs, "olga-token", "GET", "/api/v1/namespaces/default/pods",
                       headers={"Impersonate-Group": "dev"})
    assert st == 500 and b"without impersonating a user" in body


def test_anonymous_and_public_paths(rs):
    st, _, body = rs.request("GET", "/version", token=False)
    assert st == 200
    st, _, body = rs.request("GET", "/healthz", token=False)
    assert st == 200 and body == b"ok"
    st, _, body = rs.request("GET", "/api/v1/namespaces/default/pods", token=False)
    assert st == 401


def test_hostile_review_and_impersonation_requests(rs):
    import random
    rng = random.Random(5)
    bodies = [b"", b"{", b"null", b"[]", b'"x"', b'{"spec": 5}', b'{"spec": {"resourceAttributes": 7}}',
              b'{"spec": {"resourceAttributes": {"verb": 5, "resource": []}}}',
              b'{"spec": {"resourceAttributes": {}, "nonResourceAttributes": {}}}',
              b'{"kind": "Pod", "apiVersion": "v1"}', b'{"spec": {"namespace": 12}}',
              b'{"spec": {"user": 5, "groups": "x"}}', b'{"spec": {"groups": [1, 2]}}',
              b"k8s\x00", b"k8s\x00\x0a\x03\x0a\x01", b"k8s\x00\x12\x05\x0a\x03\x0a\x01\xff",
              json.dumps(_ssar({"verb": "get", "resource": "pods", "name": "\u00e9" * 50})).encode()]
    paths = ["/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
             "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
             "/apis/authorization.k8s.io/v1/subjectaccessreviews",
             "/apis/authorization.k8s.io/v1/namespaces/team-a/localsubjectaccessreviews",
             "/apis/authentication.k8s.io/v1/selfsubjectreviews",
             "/apis/metrics.k8s.io/v1beta1/namespaces/default/pods?labelSelector=%3D%3D",
             "/apis/metrics.k8s.io/v1beta1/nodes/x/y", "/apis/nope.io/v1/namespaces/x/things/y/z"]
    ctypes = ["application/json", "application/vnd.kubernetes.protobuf", "application/yaml", "text/plain"]
    imp = [{}, {"Impersonate-User": "jane"}, {"Impersonate-Group": "x"}, {"Impersonate-User": ""},
           {"Impersonate-User": "system:serviceaccount:"}, {"Impersonate-User": "system:serviceaccount:a:b:c"},
           {"Impersonate-User": "jane", "Impersonate-Extra-Scopes%2Fx": "v"}, {"Impersonate-Uid": "u"}]
    for _ in range(200):
        token = rng.choice(["jane-token", "bob-token", "olga-token", rs.token])
        h = {"Content-Type": rng.choice(ctypes)}
        h.update(rng.choice(imp))
        st, _, body = rs.request(rng.choice(["POST", "POST", "GET", "PUT"]), rng.choice(paths), rng.choice(bodies),
                                 headers=dict(h, Authorization="Bearer " + token), token=False)
        if st == 500:
            assert b"without impersonating a user" in body, body[:200]
        else:
            assert st < 500, (st, body[:200])
    assert rs.alive()
