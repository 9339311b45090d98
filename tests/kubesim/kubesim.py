#!/usr/bin/python3
"""kubesim: a simulated Kubernetes API server (v1.32) for timon's tests, benchmarks and demo.

Run with Debian's python3 (standard library + PyYAML). See README.md next to this file.
"""

import argparse
import os
import secrets
import signal
import ssl
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from sim import plugins  # noqa: E402

plugins.load_all()

from sim import auth, bootstrap, certs, controllers, demo, ops, server, util  # noqa: E402
from sim.resources import REGISTRY  # noqa: E402
from sim.store import Store  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="kubesim.py",
        description="A simulated Kubernetes API server (reports v1.32.4) that the real kubectl and timon can "
                    "talk to: discovery, LIST/WATCH/CRUD/PATCH, server-side Tables, controllers.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="See tests/kubesim/README.md. --pods/--namespaces, --churn and --faults come from "
               "sim/ext_scale.py, sim/ext_churn.py and sim/ext_faults.py, --demo from sim/demo.py.")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port to listen on; 0 picks a free port (default 0)")
    p.add_argument("--kubeconfig-out", metavar="FILE",
                   help="write a kubeconfig for this server (context, cluster and user 'kubesim'; CA and "
                        "credentials inline; mode 0600)")
    p.add_argument("--ready-file", metavar="FILE",
                   help="once listening, atomically write the base URL (e.g. https://127.0.0.1:43123) there")
    tls = p.add_mutually_exclusive_group()
    tls.add_argument("--tls", dest="tls", action="store_true", default=True,
                     help="serve HTTPS with a CA generated at start (default)")
    tls.add_argument("--no-tls", dest="tls", action="store_false",
                     help="serve plain HTTP (note: kubectl sends no credentials over http)")
    p.add_argument("--state-dir", metavar="DIR",
                   help="keep the CA, serving certificate and admin credentials in DIR and reuse them, so a "
                        "restarted server on the same port presents the same identity")
    p.add_argument("--auth", choices=["token", "cert", "basic", "none"], default="token",
                   help="authentication: bearer token (default), client certificate, basic, or none "
                        "(every request is the admin)")
    p.add_argument("--token-file", metavar="FILE",
                   help='extra users, in kube-apiserver static token CSV format: token,user,uid,"group1,group2"')
    p.add_argument("--client-cert-out", nargs=3, action="append", default=[], metavar=("USER", "GROUPS", "PREFIX"),
                   help="issue a client certificate signed by the kubesim CA for USER with the comma-separated "
                        "GROUPS ('' for none) and write PREFIX.crt, PREFIX.key and PREFIX.kubeconfig; repeatable")
    p.add_argument("--authorization-mode", choices=["RBAC", "AlwaysAllow"], default="RBAC",
                   help="RBAC (default: Roles, ClusterRoles and bindings decide; system:masters may do "
                        "anything) or AlwaysAllow")
    p.add_argument("--objects", metavar="FILE", nargs="+", default=[],
                   help="load manifests: multi-document YAML or a JSON List; given status, uid and "
                        "creationTimestamp are kept; missing namespaces are created")
    p.add_argument("--demo", action="store_true",
                   help="a realistic cluster to explore (sim/demo.py): namespaces, 4 nodes (one cordoned, one "
                        "NotReady), workloads of every kind (one crash-looping), services of every type, an "
                        "ingress, config, secrets, storage, RBAC, quota, HPA, a CRD with instances, events, and "
                        "churn (a pod created or deleted every few seconds unless --churn is given)")
    p.add_argument("--pods", type=int, metavar="N",
                   help="synthetic scale (sim/ext_scale.py): N realistic pods of 5-8 KB of JSON (Deployments, "
                        "ReplicaSets and a few Jobs own them), mostly Running, some crash-looping, pending or "
                        "completed; deterministic per --seed")
    p.add_argument("--namespaces", type=int, metavar="M",
                   help="synthetic scale: spread the pods over M namespaces scale-1..M, zero-padded (default 1)")
    p.add_argument("--nodes", type=int, metavar="K",
                   help="create K Ready nodes kubesim-node-1..K (with --pods and no nodes: one per 30 pods)")
    p.add_argument("--no-controllers", action="store_true",
                   help="freeze objects as loaded: no scheduling, no status changes, no pods created "
                        "(deletions asked for by clients still complete)")
    p.add_argument("--churn", type=float, metavar="R",
                   help="R pod changes per second (status, labels, creates, deletes) in the synthetic or demo "
                        "namespaces, deterministic per --seed (sim/ext_churn.py)")
    p.add_argument("--log-rate", type=float, metavar="L",
                   help="log lines per second per container (default 1; pod annotation kubesim.io/log-rate "
                        "overrides it)")
    p.add_argument("--watch-history", type=int, metavar="N", default=10000,
                   help="events kept for watch resumption; a watch from an older resourceVersion gets "
                        "410 Expired (default 10000)")
    p.add_argument("--faults", metavar="SPEC",
                   help="inject faults, a comma list of drop-watch=S (cut every watch every S s), gone=S (410 "
                        "ERROR event on every watch every S s), throttle=P (P%% of requests get 429 Retry-After: 1), "
                        "error=P (P%% get 500), stall=S (watches go silent S s out of every 2S s). Only resource "
                        "requests are affected, never /version, /api, /apis, /openapi or /healthz "
                        "(sim/ext_faults.py)")
    p.add_argument("--request-log", metavar="FILE",
                   help='one JSON line per request: {"ts","method","path","query","status","user"}')
    p.add_argument("--seed", type=int, default=None, help="random seed for generated names and churn")
    return p.parse_args(argv)


def not_implemented(args):
    missing = []
    return missing


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    missing = not_implemented(args)
    if missing:
        print("kubesim: %s: not implemented yet" % ", ".join(missing), file=sys.stderr)
        return 2
    if args.watch_history < 1:
        print("kubesim: --watch-history must be at least 1", file=sys.stderr)
        return 2
    for flag, v in (("--pods", args.pods), ("--namespaces", args.namespaces), ("--nodes", args.nodes),
                    ("--churn", args.churn)):
        if v is not None and (v < 0 or v != v or v == float("inf")):
            print("kubesim: %s must be a number of at least 0" % flag, file=sys.stderr)
            return 2
    faults = None
    if args.faults is not None:
        from sim import ext_faults
        try:
            faults = ext_faults.install(args.faults, args.seed)
        except ext_faults.SpecError as e:
            print("kubesim: --faults: %s" % e, file=sys.stderr)
            return 2
    if args.log_rate is not None:
        if not 0 <= args.log_rate <= 1e6:
            print("kubesim: --log-rate must be between 0 and 1000000", file=sys.stderr)
            return 2
        from sim import loggen
        loggen.DEFAULT_RATE = args.log_rate
    if args.authorization_mode == "AlwaysAllow":
        auth.set_authorizer(auth.allow_all)
    if args.client_cert_out and not args.tls:
        print("kubesim: --client-cert-out needs TLS", file=sys.stderr)
        return 2

    import random
    rng = random.Random(args.seed)

    # ---- credentials ----
    state_dir = args.state_dir
    tmp = None
    if state_dir:
        os.makedirs(state_dir, exist_ok=True)
        cert_dir = state_dir
    else:
        tmp = tempfile.TemporaryDirectory(prefix="kubesim-")
        cert_dir = tmp.name
    paths = None
    ssl_ctx = None
    if args.tls:
        try:
            paths = certs.ensure(cert_dir, args.host)
        except (RuntimeError, OSError) as e:
            print("kubesim: cannot create TLS certificates: %s" % e, file=sys.stderr)
            return 1
        ssl_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ssl_ctx.load_cert_chain(paths["server.crt"], paths["server.key"])
        ssl_ctx.set_alpn_protocols(["http/1.1"])
        if args.auth != "none":   # client certificates authenticate in every mode, as on a real apiserver
            ssl_ctx.load_verify_locations(paths["ca.crt"])
            ssl_ctx.verify_mode = ssl.CERT_OPTIONAL
        try:
            from sim import clientcerts
            issued = [clientcerts.issue(cert_dir, user, groups, prefix) for user, groups, prefix in args.client_cert_out]
        except (RuntimeError, OSError) as e:
            print("kubesim: --client-cert-out: %s" % e, file=sys.stderr)
            return 1
    token = None
    if args.auth == "none":
        token = "kubesim-auth-none"   # ignored by the server; keeps kubectl from prompting for a password
    if args.auth == "token":
        tok_path = os.path.join(state_dir, "admin-token") if state_dir else None
        if tok_path and os.path.exists(tok_path):
            with open(tok_path) as f:
                token = f.read().strip()
        if not token:
            token = secrets.token_hex(24)
            if tok_path:
                util.atomic_write(tok_path, token + "\n", 0o600)
    basic = ("admin", secrets.token_hex(12)) if args.auth == "basic" else None
    try:
        authn = auth.Authenticator(args.auth, admin_token=token, token_file=args.token_file,
                                   basic_user=basic[0] if basic else None, basic_password=basic[1] if basic else None)
    except (OSError, ValueError) as e:
        print("kubesim: --token-file: %s" % e, file=sys.stderr)
        return 2

    # ---- state ----
    store = Store(history=args.watch_history)
    api = ops.Api(store, REGISTRY, rng=rng)
    for ns in bootstrap.DEFAULT_NAMESPACES:
        bootstrap.ensure_namespace(api, ns)
    if paths:
        with open(paths["ca.crt"]) as f:
            controllers.NamespaceController.ca_pem = f.read()
    try:
        bootstrap.load_objects(api, args.objects)
    except bootstrap.LoadError as e:
        print("kubesim: --objects: %s" % e, file=sys.stderr)
        return 2
    from sim import ext_churn, ext_scale

    def say(msg):
        print(msg, file=sys.stderr)
        sys.stderr.flush()
    if args.nodes:
        ext_scale.ensure_nodes(api, args.nodes)
    churn = None
    if args.demo:
        demo.setup(api, nodes_given=store.count("nodes") > 0)
        if not args.churn:
            churn = demo.Churn(api, seed=args.seed or 1)
    if args.pods or args.namespaces:
        if store.count("nodes") == 0:
            ext_scale.ensure_nodes(api, ext_scale.default_node_count(args.pods or 0))
        try:
            ext_scale.setup(api, args.pods or 0, args.namespaces, args.seed, log=say)
        except ext_scale.ScaleError as e:
            say("kubesim: --pods: %s" % e)
            return 2
    if args.churn:
        churn = ext_churn.create(api, args.churn, args.seed, log=say)
    if store.count("nodes") == 0:
        bootstrap.add_node(api, bootstrap.make_node("kubesim-node-1", 1))

    mgr = controllers.Manager(api, enabled=not args.no_controllers, rng=rng)
    mgr.start()

    # ---- serve ----
    log = None
    if args.request_log:
        log = open(args.request_log, "a", buffering=1)
    try:
        httpd = server.KubeSimServer((args.host, args.port), api, authn, ssl_ctx, log)
    except OSError as e:
        print("kubesim: cannot listen on %s:%d: %s" % (args.host, args.port, e), file=sys.stderr)
        return 1
    host, port = httpd.server_address[:2]
    shown = "[%s]" % host if ":" in host else host
    url = "%s://%s:%d" % ("https" if args.tls else "http", shown, port)
    if args.kubeconfig_out:
        ca = open(paths["ca.crt"], "rb").read() if paths else None
        cc = ck = None
        if args.auth == "cert":
            cc = open(paths["admin.crt"], "rb").read()
            ck = open(paths["admin.key"], "rb").read()
        bootstrap.write_kubeconfig(args.kubeconfig_out, bootstrap.kubeconfig(url, ca, token, cc, ck, basic))
    if args.client_cert_out:
        for prefix, crt, key in issued:
            bootstrap.write_kubeconfig(prefix + ".kubeconfig", bootstrap.kubeconfig(
                url, open(paths["ca.crt"], "rb").read(), None, crt, key, None))

    stop = threading.Event()

    def on_signal(signum, frame):
        stop.set()
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)

    t = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, name="kubesim-http",
                         daemon=True)
    t.start()
    if churn is not None:
        churn.start()
    if faults is not None:
        faults.start_timers()
    if ext_scale.LAST is not None:
        ext_scale.warm_json(api, log=say)
    if args.ready_file:
        util.atomic_write(args.ready_file, url + "\n")
    print("kubesim: serving %s (%d objects)" % (url, sum(store.count(k) for k in store.keys())), file=sys.stderr)
    sys.stderr.flush()
    while not stop.wait(0.5):
        pass
    # ---- shutdown ----
    if churn is not None:
        churn.stop.set()
        if hasattr(churn, "summary"):
            say(churn.summary())
    if faults is not None:
        faults.stop.set()
    mgr.stop()
    store.shutdown()
    httpd.shutdown()
    httpd.server_close()
    if log is not None:
        log.close()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # everything is closed: skip freeing a big store object by object (seconds at 50,000 pods)
    os._exit(code or 0)
