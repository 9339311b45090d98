"""Authentication against kubectl 1.32: --auth token|cert|basic|none, --token-file (static token CSV with
quoted groups), client certificates issued by the kubesim CA (--client-cert-out, CN = user, O = groups,
accepted in every mode as by the apiserver's x509 authenticator), the 401 body, and
--authorization-mode AlwaysAllow.
"""

import http.client
import json
import os
import ssl
import subprocess

import pytest

from conftest import KUBESIM, PYTHON, table_rows

UNAUTHORIZED = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": "Unauthorized",
                "reason": "Unauthorized", "code": 401}
TOKENS = ('jane-token,jane,uid-jane,"dev,qa"\n'
          'ci-token,ci-bot,uid-ci\n'
          '# a comment line\n'
          'root-token,root,uid-root,"system:masters, ops"\n')


def fingerprint(pem_path):
    with open(pem_path) as f:
        der = ssl.PEM_cert_to_DER_cert(f.read())
    import hashlib
    return "[X509SHA256=%s]" % hashlib.sha256(der).hexdigest()


EXTRA = "Extra: authentication.kubernetes.io/credential-id"


def whoami(sim, *args):
    res = sim.kubectl("auth", "whoami", *args)
    header, rows = table_rows(res.stdout)
    assert header == ["ATTRIBUTE", "VALUE"]
    return {r["ATTRIBUTE"]: r["VALUE"] for r in rows}


@pytest.fixture(scope="module")
def certdir(tmp_path_factory):
    return tmp_path_factory.mktemp("authfiles")


@pytest.fixture(scope="module")
def ts(make_sim, certdir):
    tf = certdir / "tokens.csv"
    tf.write_text(TOKENS)
    return make_sim(args=["--token-file", str(tf), "--no-controllers",
                          "--client-cert-out", "carol", "dev,ops", str(certdir / "carol"),
                          "--client-cert-out", "ada", "system:masters", str(certdir / "ada"),
                          "--client-cert-out", "nobody", "", str(certdir / "nobody")])


def test_token_file_users(ts):
    assert whoami(ts, "--token", "jane-token") == {"Username": "jane", "UID": "uid-jane",
                                                   "Groups": "[dev qa system:authenticated]"}
    assert whoami(ts, "--token", "ci-token") == {"Username": "ci-bot", "UID": "uid-ci",
                                                 "Groups": "[system:authenticated]"}
    assert whoami(ts, "--token", "root-token")["Groups"] == "[system:masters ops system:authenticated]"
    # groups decide: root is in system:masters
    assert ts.kubectl("--token", "root-token", "get", "ns", "default", "-o", "name").stdout == "namespace/default\n"
    res = ts.kubectl("--token", "jane-token", "get", "ns", check=False)
    assert res.returncode == 1 and 'User "jane" cannot list resource "namespaces"' in res.stderr
    assert whoami(ts) == {"Username": "kubesim-admin", "UID": "kubesim-admin-uid",
                          "Groups": "[system:masters system:authenticated]"}
    users = {(r["path"], r["user"]) for r in ts.requests_logged()}
    assert ("/apis/authentication.k8s.io/v1/selfsubjectreviews", "ci-bot") in users


def test_bad_credentials(ts):
    st, h, body = ts.request("GET", "/api/v1/namespaces", headers={"Authorization": "Bearer wrong"}, token=False)
    assert st == 401 and json.loads(body) == UNAUTHORIZED and h["content-type"] == "application/json"
    st, _, body = ts.request("GET", "/api", headers={"Authorization": "Basic YWRtaW46eA=="}, token=False)
    assert st == 401 and json.loads(body) == UNAUTHORIZED
    st, _, body = ts.request("GET", "/api", token=False)
    assert st == 401 and json.loads(body) == UNAUTHORIZED
    st, _, _ = ts.request("GET", "/version", token=False)
    assert st == 200
    res = ts.kubectl("--token", "wrong", "get", "pods", check=False)
    assert res.returncode == 1
    assert res.stderr.strip().endswith(
        "error: You must be logged in to the server (the server has asked for the client to provide credentials)")


def test_client_certificates(ts, certdir):
    for name in ("carol", "ada", "nobody"):
        for ext in (".crt", ".key", ".kubeconfig"):
            assert os.path.exists(str(certdir / (name + ext)))
    assert os.stat(str(certdir / "carol.key")).st_mode & 0o777 == 0o600
    subj = subprocess.run(["openssl", "x509", "-noout", "-subject", "-nameopt", "RFC2253", "-in",
                           str(certdir / "carol.crt")], stdout=subprocess.PIPE, text=True, check=True).stdout
    assert subj.strip() == "subject=CN=carol,O=ops,O=dev"
    carol = str(certdir / "carol.kubeconfig")
    # CN is the user, O the groups; the certificate's fingerprint is the credential id (1.31+)
    assert whoami(ts, "--kubeconfig", carol) == {"Username": "carol", "Groups": "[dev ops system:authenticated]",
                                                 EXTRA: fingerprint(str(certdir / "carol.crt"))}
    assert whoami(ts, "--kubeconfig", str(certdir / "nobody.kubeconfig")) == {
        "Username": "nobody", "Groups": "[system:authenticated]", EXTRA: fingerprint(str(certdir / "nobody.crt"))}
    res = ts.kubectl("--kubeconfig", carol, "get", "pods", check=False)
    assert res.returncode == 1 and 'User "carol" cannot list resource "pods"' in res.stderr
    # RBAC through the certificate's O= group
    rb = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
          "metadata": {"name": "ops-view", "namespace": "default"},
          "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"},
          "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "ops"}]}
    ts.json("POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", rb, expect=201)
    res = ts.kubectl("--kubeconfig", carol, "get", "pods")
    assert res.returncode == 0
    assert ts.kubectl("--kubeconfig", carol, "auth", "can-i", "list", "pods").stdout == "yes\n"
    assert ts.kubectl("--kubeconfig", str(certdir / "ada.kubeconfig"), "auth", "can-i", "*", "*").stdout == "yes\n"
    assert ("/api/v1/namespaces/default/pods", "carol") in {(r["path"], r["user"]) for r in ts.requests_logged()}
    # the certificate authenticates first, whatever bearer token comes along (x509 before tokens)
    ctx = ssl.create_default_context(cafile=ts.ca_file)
    ctx.load_cert_chain(str(certdir / "carol.crt"), str(certdir / "carol.key"))
    c = http.client.HTTPSConnection(ts.host, ts.port, context=ctx, timeout=10)
    try:
        c.request("POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews",
                  body=b'{"apiVersion":"authentication.k8s.io/v1","kind":"SelfSubjectReview"}',
                  headers={"Authorization": "Bearer wrong", "Content-Type": "application/json"})
        r = c.getresponse()
        doc = json.loads(r.read())
    finally:
        c.close()
    assert r.status == 201 and doc["status"]["userInfo"]["username"] == "carol"
    assert doc == {"kind": "SelfSubjectReview", "apiVersion": "authentication.k8s.io/v1",
                   "metadata": {"creationTimestamp": None},
                   "status": {"userInfo": {"username": "carol", "groups": ["dev", "ops", "system:authenticated"],
                                           "extra": {"authentication.kubernetes.io/credential-id": [
                                               fingerprint(str(certdir / "carol.crt"))[1:-1]]}}}}


def test_auth_basic_and_always_allow(make_sim, certdir):
    tf = certdir / "tokens-basic.csv"
    tf.write_text(TOKENS)
    s = make_sim(args=["--auth", "basic", "--token-file", str(tf), "--authorization-mode", "AlwaysAllow",
                       "--no-controllers"])
    import yaml
    with open(s.kubeconfig) as f:
        user = yaml.safe_load(f)["users"][0]["user"]
    assert set(user) == {"username", "password"}
    assert whoami(s)["Username"] == user["username"]
    import base64
    bad = base64.b64encode(("%s:nope" % user["username"]).encode()).decode()
    st, _, body = s.request("GET", "/api", headers={"Authorization": "Basic " + bad}, token=False)
    assert st == 401 and json.loads(body) == UNAUTHORIZED
    # AlwaysAllow: jane may do what RBAC would forbid, and her rules are everything
    st, _, _ = s.request("GET", "/api/v1/namespaces", headers={"Authorization": "Bearer jane-token"}, token=False)
    assert st == 200
    st, _, body = s.request("POST", "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                            json.dumps({"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectRulesReview",
                                        "spec": {"namespace": "default"}}).encode(),
                            headers={"Authorization": "Bearer jane-token", "Content-Type": "application/json"},
                            token=False)
    doc = json.loads(body)
    assert st == 201 and doc["status"]["resourceRules"] == [{"verbs": ["*"], "apiGroups": ["*"], "resources": ["*"]}]


def test_auth_cert_and_none(make_sim):
    s = make_sim(args=["--auth", "cert", "--no-controllers"])
    import yaml
    with open(s.kubeconfig) as f:
        user = yaml.safe_load(f)["users"][0]["user"]
    assert set(user) == {"client-certificate-data", "client-key-data"}
    me = whoami(s)
    assert me["Username"] == "kubesim-admin" and me["Groups"] == "[system:masters system:authenticated]"
    assert set(me) == {"Username", "Groups", EXTRA} and me[EXTRA].startswith("[X509SHA256=")
    n = make_sim(args=["--auth", "none", "--no-controllers"])
    assert whoami(n)["Username"] == "kubesim-admin"
    st, _, _ = n.request("GET", "/api/v1/namespaces", headers={"Authorization": "Bearer anything"}, token=False)
    assert st == 200


def test_flag_errors(tmp_path):
    for args, msg in ((["--no-tls", "--client-cert-out", "u", "", str(tmp_path / "u")], "needs TLS"),
                      (["--log-rate", "-1"], "--log-rate must be between 0 and 1000000")):
        res = subprocess.run([PYTHON, KUBESIM, "--ready-file", str(tmp_path / "r")] + args, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, timeout=30)
        assert res.returncode == 2 and msg in res.stderr, res.stderr
        assert not (tmp_path / "r").exists()
