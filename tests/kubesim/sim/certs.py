"""TLS material made with the openssl command: a CA, a serving certificate, an admin client certificate.

With a state dir the files are kept and reused, so a restarted server presents the same identity.
EC P-256 keys keep generation fast.
"""

import ipaddress
import os
import subprocess


def _run(args, cwd):
    res = subprocess.run(["openssl"] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args[:2]), res.stderr.decode(errors="replace")))


def _san(host):
    names = ["IP:127.0.0.1", "IP:::1", "DNS:localhost"]
    if host and host not in ("127.0.0.1", "localhost", "::1", "0.0.0.0", "::"):
        try:
            ipaddress.ip_address(host)
            names.append("IP:" + host)
        except ValueError:
            names.append("DNS:" + host)
    return ",".join(names)


def ensure(directory, host="127.0.0.1"):
    """Create (or reuse) ca.crt/ca.key, server.crt/server.key, admin.crt/admin.key in directory.

    Returns a dict of paths.
    """
    os.makedirs(directory, exist_ok=True)
    p = lambda n: os.path.join(directory, n)  # noqa: E731
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    if not (os.path.exists(p("ca.crt")) and os.path.exists(p("ca.key"))):
        _run(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.crt", "-days", "3650",
                                      "-subj", "/CN=kubesim-ca",
                                      "-addext", "basicConstraints=critical,CA:TRUE",
                                      "-addext", "keyUsage=critical,keyCertSign,cRLSign,digitalSignature"],
             directory)
        for n in ("server.crt", "admin.crt"):
            if os.path.exists(p(n)):
                os.unlink(p(n))
    if not (os.path.exists(p("server.crt")) and os.path.exists(p("server.key"))):
        with open(p("server.ext"), "w") as f:
            f.write("subjectAltName=%s\nextendedKeyUsage=serverAuth\n"
                    "keyUsage=critical,digitalSignature,keyEncipherment\nbasicConstraints=CA:FALSE\n" % _san(host))
        _run(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=kubesim"], directory)
        _run(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
              str(int.from_bytes(os.urandom(8), "big")), "-out", "server.crt", "-days", "3650",
              "-extfile", "server.ext"], directory)
    if not (os.path.exists(p("admin.crt")) and os.path.exists(p("admin.key"))):
        with open(p("admin.ext"), "w") as f:
            f.write("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                    "basicConstraints=CA:FALSE\n")
        _run(["req"] + ec + ["-keyout", "admin.key", "-out", "admin.csr",
                             "-subj", "/O=system:masters/CN=kubesim-admin"], directory)
        _run(["x509", "-req", "-in", "admin.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-set_serial",
              str(int.from_bytes(os.urandom(8), "big")), "-out", "admin.crt", "-days", "3650",
              "-extfile", "admin.ext"], directory)
    for n in ("ca.key", "server.key", "admin.key"):
        os.chmod(p(n), 0o600)
    return {n: p(n) for n in ("ca.crt", "ca.key", "server.crt", "server.key", "admin.crt", "admin.key")}
