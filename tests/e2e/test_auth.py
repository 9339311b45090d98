"""Every credential form against kubesim, through `timon get pods` (the same client the TUI uses):
relative tokenFile/CA/cert paths, client certificates, basic auth, exec plugins (v1, v1beta1,
missing, hung, re-run after a 401), oidc id-token, in-cluster config, KUBECONFIG merging,
insecure, a wrong CA, tls-server-name, proxy-url, and the shape of every failure."""
import base64
import os
import socket
import stat
import threading
import time

import yaml

from harness import run_timon


def load(path):
    with open(path) as f:
        return yaml.safe_load(f)


def dump(doc, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        yaml.safe_dump(doc, f)
    return path


def write(path, data, mode=0o600):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)
    os.chmod(path, mode)
    return path


def parts(sim):
    """(server, ca_pem_bytes, user dict) of a kubesim kubeconfig."""
    kc = load(sim.kubeconfig)
    cl = kc["clusters"][0]["cluster"]
    return cl["server"], base64.b64decode(cl["certificate-authority-data"]), kc["users"][0]["user"]


def config(server, user, cluster_extra=None, ns=None, name="t"):
    cluster = {"server": server}
    cluster.update(cluster_extra or {})
    ctx = {"cluster": name, "user": name}
    if ns:
        ctx["namespace"] = ns
    return {"apiVersion": "v1", "kind": "Config", "current-context": name,
            "clusters": [{"name": name, "cluster": cluster}],
            "users": [{"name": name, "user": user}],
            "contexts": [{"name": name, "context": ctx}]}


def ok(r):
    assert r.returncode == 0, (r.returncode, r.stdout, r.stderr)
    assert "No resources found" in r.stderr or r.stdout.startswith("NAME")


def failure(r, *needles, secrets=()):
    """Exit 1, at most three lines on stderr naming the cause, no credential echoed."""
    assert r.returncode == 1, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 3, r.stderr
    for n in needles:
        assert n in r.stderr, (n, r.stderr)
    for s in secrets:
        assert s not in r.stderr and s not in r.stdout
    return r.stderr


def get(kubeconfig, *extra, env=None):
    return run_timon("get", "pods", "--kubeconfig", kubeconfig, *extra, env=env)


def test_token_file_and_ca_by_relative_paths(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    write(str(tmp_path / "k/pki/ca.crt"), ca)
    write(str(tmp_path / "k/tokens/t"), user["token"] + "\n")
    kc = dump(config(server, {"tokenFile": "tokens/t", "token": "ignored-when-file-exists"},
                     {"certificate-authority": "pki/ca.crt"}), str(tmp_path / "k/config"))
    # Run from elsewhere: relative paths resolve against the kubeconfig, not the cwd.
    ok(run_timon("get", "pods", "--kubeconfig", kc, env={"PWD": "/"}))


def test_client_certificate_files(kubesim, tmp_path):
    sim = kubesim("--auth", "cert")
    server, ca, user = parts(sim)
    write(str(tmp_path / "c/ca.crt"), ca)
    write(str(tmp_path / "c/me.crt"), base64.b64decode(user["client-certificate-data"]))
    write(str(tmp_path / "c/me.key"), base64.b64decode(user["client-key-data"]))
    kc = dump(config(server, {"client-certificate": "me.crt", "client-key": "me.key"},
                     {"certificate-authority": "ca.crt"}), str(tmp_path / "c/config"))
    ok(get(kc))
    # Inline data works too, and a certificate without its key is refused before connecting.
    ok(get(sim.kubeconfig))
    half = dump(config(server, {"client-certificate": "me.crt"},
                       {"certificate-authority": "ca.crt"}), str(tmp_path / "c/half"))
    failure(get(half), "needs both a certificate and a key")
    # Without any credential the server says Unauthorized.
    none = dump(config(server, {}, {"certificate-authority": "ca.crt"}), str(tmp_path / "c/none"))
    failure(get(none), "Unauthorized")


def test_basic_auth(kubesim, tmp_path):
    sim = kubesim("--auth", "basic")
    server, ca, user = parts(sim)
    ok(get(sim.kubeconfig))
    doc = load(sim.kubeconfig)
    doc["users"][0]["user"]["password"] = "wrong-s3cret"
    bad = dump(doc, str(tmp_path / "bad"))
    failure(get(bad), "Unauthorized", secrets=("wrong-s3cret",))


def plugin(path, api_version, token, record=None, extra=""):
    rec = f'printf "%s" "$KUBERNETES_EXEC_INFO" > "{record}"\n' if record else ""
    body = (f"#!/bin/sh\n{rec}{extra}"
            f"printf '%s' '{{\"kind\":\"ExecCredential\",\"apiVersion\":\"{api_version}\","
            f"\"status\":{{\"token\":\"{token}\"}}}}'\n")
    write(path, body, 0o755)
    return path


def test_exec_plugin_v1_and_v1beta1(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    for api in ("client.authentication.k8s.io/v1", "client.authentication.k8s.io/v1beta1"):
        d = tmp_path / api.rsplit("/", 1)[1]
        record = str(d / "exec-info.json")
        plugin(str(d / "bin/plugin.sh"), api, user["token"], record)
        exec_cfg = {"apiVersion": api, "command": "./bin/plugin.sh", "args": ["--x"],
                    "provideClusterInfo": True, "interactiveMode": "Never"}
        kc = dump(config(server, {"exec": exec_cfg},
                         {"certificate-authority-data": base64.b64encode(ca).decode()}),
                  str(d / "config"))
        ok(get(kc))
        import json
        info = json.load(open(record))
        assert info["apiVersion"] == api
        assert info["spec"]["interactive"] is False
        assert info["spec"]["cluster"]["server"] == server


def test_exec_plugin_missing_shows_install_hint(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    exec_cfg = {"apiVersion": "client.authentication.k8s.io/v1", "command": "timon-no-such-plugin",
                "installHint": "Install it with: apt-get install timon-auth",
                "interactiveMode": "Never"}
    kc = dump(config(server, {"exec": exec_cfg},
                     {"certificate-authority-data": base64.b64encode(ca).decode()}),
              str(tmp_path / "config"))
    failure(get(kc), "timon-no-such-plugin", "apt-get install timon-auth")


def hung_plugin_kubeconfig(sim, tmp_path):
    """A kubeconfig for sim whose credential plugin never answers."""
    server, ca, user = parts(sim)
    hung = plugin(str(tmp_path / "hung.sh"), "client.authentication.k8s.io/v1", "x",
                  extra="sleep 120\n")
    exec_cfg = {"apiVersion": "client.authentication.k8s.io/v1", "command": hung,
                "interactiveMode": "Never"}
    return dump(config(server, {"exec": exec_cfg},
                       {"certificate-authority-data": base64.b64encode(ca).decode()}),
                str(tmp_path / "config"))


def test_exec_plugin_hung_is_stopped(kubesim, tmp_path):
    kc = hung_plugin_kubeconfig(kubesim(), tmp_path)
    t0 = time.time()
    failure(run_timon("get", "pods", "--kubeconfig", kc, "--exec-timeout", "2s"),
            "did not answer in time")
    assert time.time() - t0 < 10


def test_tui_start_waits_for_the_plugin_and_names_it(kubesim, tmp_path):
    """The TUI's first request waits for a slow credential plugin under the plugin's timeout
    (here 17 s, longer than the 15 s the server gets) and then names the plugin, not the
    server, as what did not answer."""
    kc = hung_plugin_kubeconfig(kubesim(), tmp_path)
    t0 = time.time()
    r = run_timon("--kubeconfig", kc, "--exec-timeout", "17s")
    assert r.returncode == 1
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert "did not answer in time" in r.stderr and "no answer from" not in r.stderr, r.stderr
    assert 16 < time.time() - t0 < 40


def test_exec_plugin_rerun_after_401(kubesim, tmp_path):
    """The first credential is stale; the 401 makes timon run the plugin again and retry."""
    sim = kubesim()
    server, ca, user = parts(sim)
    counter = str(tmp_path / "runs")
    script = (f'echo run >> "{counter}"\n'
              f'if [ "$(wc -l < "{counter}")" -eq 1 ]; then T=stale-token; '
              f'else T={user["token"]}; fi\n'
              "printf '{\"kind\":\"ExecCredential\",\"apiVersion\":"
              "\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"%s\"}}' \"$T\"\n")
    write(str(tmp_path / "rot.sh"), "#!/bin/sh\n" + script, 0o755)
    exec_cfg = {"apiVersion": "client.authentication.k8s.io/v1",
                "command": str(tmp_path / "rot.sh"), "interactiveMode": "Never"}
    kc = dump(config(server, {"exec": exec_cfg},
                     {"certificate-authority-data": base64.b64encode(ca).decode()}),
              str(tmp_path / "config"))
    ok(get(kc))
    assert len(open(counter).read().split()) == 2


def test_oidc_id_token(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    ap = {"name": "oidc", "config": {"idp-issuer-url": "https://issuer.example",
                                     "client-id": "timon", "id-token": user["token"]}}
    kc = dump(config(server, {"auth-provider": ap},
                     {"certificate-authority-data": base64.b64encode(ca).decode()}),
              str(tmp_path / "config"))
    ok(get(kc))


def test_in_cluster_config(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    sa = tmp_path / "sa"
    write(str(sa / "token"), user["token"])
    write(str(sa / "ca.crt"), ca)
    write(str(sa / "namespace"), "kube-system\n")
    host, port = server[len("https://"):].rsplit(":", 1)
    home = tmp_path / "home"
    home.mkdir()
    env = {"HOME": str(home), "KUBECONFIG": "", "KUBERNETES_SERVICE_HOST": host,
           "KUBERNETES_SERVICE_PORT": port, "TIMON_SERVICEACCOUNT_DIR": str(sa)}
    r = run_timon("get", "pods", env=env)
    assert r.returncode == 0, r.stderr
    assert "kube-system" in r.stderr  # "No resources found in kube-system namespace."


def test_kubeconfig_merge(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    good_cluster = {"server": server, "certificate-authority-data": base64.b64encode(ca).decode()}
    a = dump({"current-context": "ctx-a",
              "clusters": [{"name": "real", "cluster": good_cluster}],
              "users": [{"name": "u", "user": {"token": user["token"]}}],
              "contexts": [{"name": "ctx-a", "context": {"cluster": "real", "user": "u",
                                                         "namespace": "ns-a"}}]},
             str(tmp_path / "a/config"))
    b = dump({"current-context": "ctx-b",
              "clusters": [{"name": "real", "cluster": {"server": "https://127.0.0.1:1"}}],
              "users": [{"name": "u", "user": {"token": "wrong-token-b"}}],
              "contexts": [{"name": "ctx-b", "context": {"cluster": "real", "user": "u",
                                                         "namespace": "ns-b"}}]},
             str(tmp_path / "b/config"))
    missing = str(tmp_path / "nope/config")
    env = {"KUBECONFIG": f"{a}:{missing}:{b}"}
    r = run_timon("get", "pods", env=env)
    assert r.returncode == 0 and "ns-a" in r.stderr, r.stderr  # current-context from file a
    r = run_timon("get", "pods", "--context", "ctx-b", env=env)
    # ctx-b comes from file b, but cluster "real" and user "u" from file a (first wins whole).
    assert r.returncode == 0 and "ns-b" in r.stderr, r.stderr
    r = run_timon("contexts", env=env)
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE", "FILE"]
    assert lines[1].split()[:2] == ["*", "ctx-a"] and lines[1].split()[-1] == a
    assert lines[2].split()[0] == "ctx-b" and lines[2].split()[-1] == b
    # Reversed, file b's current-context and its broken cluster win.
    failure(run_timon("get", "pods", env={"KUBECONFIG": f"{b}:{a}"}), "connection refused",
            secrets=("wrong-token-b",))


def test_insecure_wrong_ca_and_ca_plus_insecure(kubesim, tmp_path):
    sim = kubesim()
    other = kubesim()
    server, ca, user = parts(sim)
    _, other_ca, _ = parts(other)
    insecure = dump(config(server, {"token": user["token"]}, {"insecure-skip-tls-verify": True}),
                    str(tmp_path / "insecure"))
    ok(get(insecure))
    wrong = dump(config(server, {"token": user["token"]},
                        {"certificate-authority-data": base64.b64encode(other_ca).decode()}),
                 str(tmp_path / "wrongca"))
    failure(get(wrong), "certificate", secrets=(user["token"],))
    both = dump(config(server, {"token": user["token"]},
                       {"insecure-skip-tls-verify": True,
                        "certificate-authority-data": base64.b64encode(ca).decode()}),
                str(tmp_path / "both"))
    failure(get(both), "insecure flag is not allowed")


def test_wrong_token(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    kc = dump(config(server, {"token": "wrong-s3cret-token"},
                     {"certificate-authority-data": base64.b64encode(ca).decode()}),
              str(tmp_path / "config"))
    failure(get(kc), "Unauthorized", secrets=("wrong-s3cret-token", user["token"]))


def test_tls_server_name(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    cad = base64.b64encode(ca).decode()
    good = dump(config(server, {"token": user["token"]},
                       {"certificate-authority-data": cad, "tls-server-name": "localhost"}),
                str(tmp_path / "good"))
    ok(get(good))
    bad = dump(config(server, {"token": user["token"]},
                      {"certificate-authority-data": cad, "tls-server-name": "wrong.example"}),
               str(tmp_path / "bad"))
    failure(get(bad), "TLS")


def splice(a, b):
    """Copies a to b, then b to a, until either side closes, then shuts both."""
    def pump(x, y):
        try:
            while True:
                d = x.recv(65536)
                if not d:
                    break
                y.sendall(d)
        except OSError:
            pass
        finally:
            for s in (x, y):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
    threading.Thread(target=pump, args=(a, b), daemon=True).start()
    pump(b, a)


class Proxy:
    """A loopback proxy: accepts in a thread, and serves each client with self.serve(sock)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.targets = []
        threading.Thread(target=self.run, daemon=True).start()

    def run(self):
        while True:
            try:
                c, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(c,), daemon=True).start()

    def close(self):
        self.sock.close()


class ConnectProxy(Proxy):
    """A minimal HTTP CONNECT proxy that records the targets it tunnels to."""

    def serve(self, c):
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = c.recv(4096)
            if not chunk:
                return
            head += chunk
        target = head.split(b" ")[1].decode()
        self.targets.append(target)
        host, port = target.rsplit(":", 1)
        up = socket.create_connection((host, int(port)))
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        splice(c, up)


def test_proxy_url(kubesim, tmp_path):
    sim = kubesim()
    server, ca, user = parts(sim)
    proxy = ConnectProxy()
    try:
        kc = dump(config(server, {"token": user["token"]},
                         {"certificate-authority-data": base64.b64encode(ca).decode(),
                          "proxy-url": f"http://127.0.0.1:{proxy.port}"}),
                  str(tmp_path / "config"))
        ok(get(kc))
        assert proxy.targets and proxy.targets[0] == server[len("https://"):]
    finally:
        proxy.close()


class Socks5Proxy(Proxy):
    """A minimal SOCKS5 proxy (no auth, CONNECT) that records how each target was named, and
    resolves the names it knows itself, as a bastion does for cluster names."""

    def __init__(self, names):
        self.names = names
        super().__init__()

    def serve(self, c):
        def read(n):
            b = b""
            while len(b) < n:
                chunk = c.recv(n - len(b))
                if not chunk:
                    raise OSError("closed")
                b += chunk
            return b
        try:
            _, nmethods = read(2)
            read(nmethods)
            c.sendall(b"\x05\x00")
            _, _, _, atyp = read(4)
            if atyp == 3:
                host = read(read(1)[0]).decode()
                self.targets.append(("name", host))
                host = self.names.get(host, host)
            else:
                host = socket.inet_ntoa(read(4))
                self.targets.append(("address", host))
            port = int.from_bytes(read(2), "big")
            up = socket.create_connection((host, port))
            c.sendall(b"\x05\x00\x00\x01\x00\x00\x00\x00\x00\x00")
        except OSError:
            c.close()
            return
        splice(c, up)


def test_socks5_proxy_resolves_the_server_name(kubesim, tmp_path):
    """proxy-url socks5://: the server's name goes to the proxy, which resolves it (client-go's
    behaviour), so a cluster name that only resolves behind the proxy works."""
    sim = kubesim()
    server, ca, user = parts(sim)
    port = server.rsplit(":", 1)[1]
    proxy = Socks5Proxy({"only-the-bastion-knows.invalid": "127.0.0.1"})
    try:
        kc = dump(config(f"https://only-the-bastion-knows.invalid:{port}", {"token": user["token"]},
                         {"insecure-skip-tls-verify": True,
                          "proxy-url": f"socks5://127.0.0.1:{proxy.port}"}),
                  str(tmp_path / "config"))
        ok(get(kc))
        assert proxy.targets and proxy.targets[0] == ("name", "only-the-bastion-knows.invalid")
    finally:
        proxy.close()


def test_unresponsive_server_reported_within_20s(tmp_path):
    """A server that accepts the connection and never answers."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(16)
    port = s.getsockname()[1]
    kc = dump(config(f"https://127.0.0.1:{port}", {"token": "t0ken-never-shown"},
                     {"insecure-skip-tls-verify": True}), str(tmp_path / "config"))
    t0 = time.time()
    failure(get(kc), "127.0.0.1", secrets=("t0ken-never-shown",))
    assert time.time() - t0 < 20
    s.close()


def test_interactive_plugin_gets_the_terminal_and_insecure_is_shown(kubesim, tui, tmp_path):
    """A credential plugin with interactiveMode IfAvailable is handed the terminal (the screen
    suspended) to ask for a code, and timon carries on with the token it prints; a cluster with
    insecure-skip-tls-verify says so in the header for as long as it is shown."""
    sim = kubesim()
    server, ca, user = parts(sim)
    mfa = plugin(str(tmp_path / "mfa.sh"), "client.authentication.k8s.io/v1", user["token"],
                 extra='printf "MFA code: " >&2\nread code\n'
                       '[ "$code" = 424242 ] || { echo "wrong code" >&2; exit 1; }\n')
    exec_cfg = {"apiVersion": "client.authentication.k8s.io/v1", "command": mfa,
                "interactiveMode": "IfAvailable"}
    kc = dump(config(server, {"exec": exec_cfg}, {"insecure-skip-tls-verify": True}),
              str(tmp_path / "config"))
    t = tui(["--kubeconfig", kc], cols=200)
    t.wait_for(r"MFA code:", timeout=20)
    t.type("424242")
    t.send("Enter")
    screen = t.wait_for(r"pods\(default\)", timeout=20)
    assert "[insecure]" in screen, screen  # the long wording does not fit beside the URL
    assert t.exit_status(timeout=0.1) is None
