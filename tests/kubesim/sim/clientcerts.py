"""Client certificates for extra users, signed by the kubesim CA (--client-cert-out USER GROUPS PREFIX).

The apiserver's x509 authenticator takes the user name from the subject's CN and the groups from its O
entries; kubesim does the same (sim.auth.user_from_cert), in every --auth mode but none.
"""

import os
import subprocess


def _subject_part(text):
    # openssl -subj syntax: '/' and '+' separate RDNs/AVAs, '\\' escapes them
    return text.replace("\\", "\\\\").replace("/", "\\/").replace("+", "\\+").replace("=", "\\=")


def _run(args, cwd):
    res = subprocess.run(["openssl"] + args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if res.returncode != 0:
        raise RuntimeError("openssl %s failed: %s" % (" ".join(args[:2]), res.stderr.decode(errors="replace")))


def issue(ca_dir, user, groups, prefix):
    """Write PREFIX.crt and PREFIX.key for user with the comma-separated groups; returns
    (prefix, cert PEM bytes, key PEM bytes)."""
    if not user:
        raise RuntimeError("a client certificate needs a user name")
    glist = [g.strip() for g in (groups or "").split(",") if g.strip()]
    subj = "".join("/O=" + _subject_part(g) for g in glist) + "/CN=" + _subject_part(user)
    prefix = os.path.abspath(prefix)
    d = os.path.dirname(prefix)
    os.makedirs(d, exist_ok=True)
    ext = prefix + ".ext"
    with open(ext, "w") as f:
        f.write("extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
                "basicConstraints=CA:FALSE\n")
    try:
        _run(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
              prefix + ".key", "-out", prefix + ".csr", "-subj", subj], d)
        _run(["x509", "-req", "-in", prefix + ".csr", "-CA", os.path.join(ca_dir, "ca.crt"), "-CAkey",
              os.path.join(ca_dir, "ca.key"), "-set_serial", str(int.from_bytes(os.urandom(8), "big")),
              "-out", prefix + ".crt", "-days", "3650", "-extfile", ext], d)
    finally:
        for p in (ext, prefix + ".csr"):
            try:
                os.unlink(p)
            except OSError:
                pass
    os.chmod(prefix + ".key", 0o600)
    with open(prefix + ".crt", "rb") as f:
        crt = f.read()
    with open(prefix + ".key", "rb") as f:
        key = f.read()
    return prefix, crt, key
