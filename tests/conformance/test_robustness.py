"""kubesim never answers 500 nor dies on hostile input; flags behave; restarts keep their identity."""

import json
import os
import random
import socket
import ssl
import subprocess

import pytest

from conftest import KUBESIM, PYTHON, Sim, table_rows

PATHS = [
    "/", "/api", "/api/v2", "/api/v1/", "/apis/", "/apis/apps", "/apis/apps/v9", "/api/v1/pods/x/y/z/w",
    "/api/v1/namespaces", "/api/v1/namespaces/default/pods/%00", "/api/v1/namespaces//pods",
    "/api/v1/watch", "/api/v1/watch/nothing", "/api/v1/namespaces/default/pods/p/log",
    "/api/v1/namespaces/default/pods/p/nosuchsub", "/apis/apps/v1/deployments/x",
    "/apis/apps/v1/namespaces/default/deployments/x/scale", "/openapi/v3", "/openapi/v3/apis/nope/v1",
    "/openapi/v2", "/healthz", "/livez/etcd", "/metrics", "/../../etc/passwd", "/api/v1/namespaces/default/" + "a" * 5000,
]
QUERIES = ["", "?watch=maybe", "?limit=-1", "?limit=abc", "?resourceVersion=abc", "?labelSelector=%ZZ",
           "?labelSelector=a%20in%20(b", "?fieldSelector=x", "?continue=%%%", "?timeoutSeconds=abc&watch=1",
           "?includeObject=x", "?resourceVersionMatch=Exact&resourceVersion=0", "?gracePeriodSeconds=x"]
BODIES = [b"", b"{", b"null", b"[]", b"42", b'"str"', b'{"metadata": 5}', b'{"metadata": {"name": 7}}',
          b'{"kind": "Pod", "apiVersion": "v9", "metadata": {"name": "x"}}', b'{"spec": {"containers": "no"}}',
          b"\xff\xfe\x00", b"k8s\x00\x0a\x05\x0a\x03v1", b'[{"op": "explode"}]', b'{"metadata": {"labels": []}}',
          b'{"metadata": {"name": "ok", "labels": {"a": 1}}}', b'{"preconditions": "x"}']
CTYPES = ["application/json", "application/merge-patch+json", "application/strategic-merge-patch+json",
          "application/json-patch+json", "application/apply-patch+yaml", "application/yaml",
          "application/vnd.kubernetes.protobuf", "text/html", ""]


@pytest.fixture(scope="module")
def rs(make_sim):
    return make_sim(args=["--no-controllers"])


def test_garbage_requests_never_500(rs):
    rng = random.Random(7)
    methods = ["GET", "POST", "PUT", "PATCH", "DELETE"]
    codes = {}
    for i in range(400):
        path = rng.choice(PATHS + ["/api/v1/namespaces/default/configmaps", "/api/v1/namespaces/default/pods/p",
                                   "/api/v1/namespaces/default/configmaps/ok", "/apis/apps/v1/namespaces/default/deployments"])
        q = rng.choice(QUERIES)
        h = {"Content-Type": rng.choice(CTYPES), "Accept": rng.choice([
            "application/json", "application/json;as=Table;v=v1;g=meta.k8s.io", "text/html", "*/*",
            "application/json;as=Table;v=v7;g=meta.k8s.io", "application/yaml"])}
        st, hdrs, body = rs.request(rng.choice(methods), path + q, rng.choice(BODIES), headers=h)
        codes[st] = codes.get(st, 0) + 1
        assert st < 500 or st in (501, 504), (path, q, st, body[:300])
        if hdrs.get("content-type", "").startswith("application/json") and body:
            doc = json.loads(body)
            if st >= 400:
                assert doc["kind"] == "Status" and doc["code"] == st
    assert rs.alive()
    assert len(codes) > 3


def test_raw_socket_garbage(rs):
    ctx = ssl.create_default_context(cafile=rs.ca_file)
    for junk in (b"GARBAGE\r\n\r\n", b"GET / HTTP/9.9\r\n\r\n", b"\x00" * 100, b"GET /api HTTP/1.1\r\nHost: x\r\n"
                 b"Content-Length: 99999999\r\n\r\n"):
        s = socket.create_connection((rs.host, rs.port), timeout=1)
        try:
            t = ctx.wrap_socket(s, server_hostname="127.0.0.1")
            t.sendall(junk)
            try:
                t.recv(100)
            except (OSError, ssl.SSLError):
                pass
            t.close()
        except (OSError, ssl.SSLError):
            s.close()
    # plain TCP garbage on the TLS port
    s = socket.create_connection((rs.host, rs.port), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\n\r\n")
    try:
        s.recv(100)
    except OSError:
        pass
    s.close()
    st, _, _ = rs.request("GET", "/version")
    assert st == 200 and rs.alive()


def test_request_log_lines(rs):
    rs.request("GET", "/api/v1/namespaces/default/pods?limit=3&labelSelector=a%3Db")
    lines = rs.requests_logged()
    line = [l for l in lines if l["query"] == "limit=3&labelSelector=a%3Db"][-1]
    assert set(line) >= {"ts", "method", "path", "query", "status", "user"}
    assert line["method"] == "GET" and line["path"] == "/api/v1/namespaces/default/pods"
    assert line["status"] == 200 and line["user"] == "kubesim-admin" and line["ts"].endswith("Z")


def test_help_lists_every_flag():
    out = subprocess.run([PYTHON, KUBESIM, "--help"], stdout=subprocess.PIPE, text=True, check=True).stdout
    for flag in ("--host", "--port", "--kubeconfig-out", "--ready-file", "--tls", "--no-tls", "--state-dir",
                 "--auth", "--token-file", "--objects", "--demo", "--pods", "--namespaces", "--nodes",
                 "--no-controllers", "--churn", "--log-rate", "--watch-history", "--faults", "--request-log"):
        assert flag in out, flag


def test_flags_that_cannot_be_honoured_fail_loudly(tmp_path):
    # every flag is implemented (issue 3); a value kubesim cannot honour still stops it before it serves
    res = subprocess.run([PYTHON, KUBESIM, "--faults", "error=500", "--ready-file", str(tmp_path / "r")],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=30)
    assert res.returncode == 2 and "--faults: error=500" in res.stderr
    assert not (tmp_path / "r").exists()


def test_state_dir_keeps_identity(tmp_path):
    state = str(tmp_path / "state")
    os.makedirs(str(tmp_path / "a"))
    a = Sim(str(tmp_path / "a"), args=["--state-dir", state])
    try:
        port = a.port
        first_ca = open(a.ca_file, "rb").read()
        first_token = a.token
    finally:
        a.stop()
    os.makedirs(str(tmp_path / "b"))
    b = Sim(str(tmp_path / "b"), args=["--state-dir", state, "--port", str(port)])
    try:
        assert b.port == port
        assert open(b.ca_file, "rb").read() == first_ca and b.token == first_token
        # the old kubeconfig still works against the restarted server
        res = a.kubectl("get", "ns", check=False)
        assert res.returncode == 0, res.stderr
    finally:
        b.stop()


@pytest.mark.parametrize("mode", ["none", "cert"])
def test_auth_modes(tmp_path, mode):
    d = str(tmp_path / mode)
    os.makedirs(d)
    s = Sim(d, args=["--auth", mode, "--no-controllers"])
    try:
        rows = table_rows(s.kubectl("get", "ns").stdout)[1]
        assert "default" in [r["NAME"] for r in rows]
        user = s.requests_logged()[-1]["user"]
        assert user == "kubesim-admin"
    finally:
        s.stop()


def test_token_file_users(tmp_path):
    tf = tmp_path / "tokens.csv"
    tf.write_text('jane-token,jane,uid-jane,"dev,qa"\n')
    d = str(tmp_path / "tok")
    os.makedirs(d)
    s = Sim(d, args=["--token-file", str(tf), "--no-controllers"])
    try:
        # RBAC: jane has no bindings, but every authenticated user may read discovery
        st, _, _ = s.request("GET", "/api/v1", headers={"Authorization": "Bearer jane-token"},
                             token=False)
        assert st == 200 and s.requests_logged()[-1]["user"] == "jane"
    finally:
        s.stop()


def test_objects_from_a_json_list_and_multi_document_yaml(make_sim, tmp_path):
    """--objects takes a JSON List as well as multi-document YAML (DESIGN.md's simulator
    flags): both come up as objects kubectl lists."""
    listing = tmp_path / "objects.json"
    listing.write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": [
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "from-json", "namespace": "default"}, "data": {"a": "1"}},
        {"apiVersion": "v1", "kind": "ConfigMap",
         "metadata": {"name": "also-json", "namespace": "default"}}]}))
    docs = tmp_path / "objects.yaml"
    docs.write_text("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: first-doc, namespace: default}\n"
                    "---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: second-doc, "
                    "namespace: default}\n")
    s = make_sim(objects=[str(listing), str(docs)], args=["--no-controllers"])
    names = s.kubectl("get", "configmaps", "-o", "name").stdout.split()
    for n in ("from-json", "also-json", "first-doc", "second-doc"):
        assert "configmap/" + n in names, names
    assert s.kubectl("get", "cm", "from-json", "-o", "jsonpath={.data.a}").stdout == "1"
