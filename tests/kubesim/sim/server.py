"""The HTTP(S) front: connection handling, authentication, routing, and the generic REST handlers.

Routing turns a path into a Request (group, version, resource type, namespace, name, subresource,
verb). Generic handlers serve list/watch/get/create/update/patch/delete/deletecollection for every
registered kind; `rt.handlers[verb]` or `rt.handlers["sub:<name>"]` (or SUBRESOURCE_HANDLERS) take
over where a kind needs something special. Every handler is wrapped: an ApiError becomes its Status,
anything else a 500 InternalError Status, and the connection survives.
"""

import http.server
import json
import select
import socket
import socketserver
import ssl
import sys
import threading
import time
import traceback
import urllib.parse
import uuid

import yaml

from . import auth, discovery, errors, listing, selectors, tables, util, watch
from .resources import REGISTRY

MAX_BODY = 3 * 1024 * 1024     # the apiserver's request body limit

# Handlers for subresources shared by many kinds: name -> fn(req) -> Response (see subresources.py)
SUBRESOURCE_HANDLERS = {}

# Non-resource paths: path -> fn(req) -> Response ("/metrics", "/openapi/v2", ...)
PATH_HANDLERS = {}

# Request body decoders by Content-Type (without parameters): fn(req) -> object dict
BODY_DECODERS = {}

# Non-resource path prefixes: prefix -> fn(req) -> Response ("/openapi/v3" serves "/openapi/v3/...")
PREFIX_HANDLERS = {}

# Called before routing for every request: fn(req) -> None or an ApiError/Response to answer instead.
# --faults (issue 3) plugs in here.
REQUEST_FILTERS = []


class Response:
    def __init__(self, code=200, body=b"", content_type="application/json", headers=None):
        self.code = code
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}


def json_response(obj, code=200, headers=None):
    return Response(code, util.dumpb(obj), "application/json", headers)


class Request:
    """Everything a handler needs about one API request."""

    def __init__(self, handler, method, path, query, raw_query, body, headers):
        self.handler = handler
        self.server = handler.server
        self.api = handler.server.api
        self.method = method
        self.path = path
        self.query = query
        self.raw_query = raw_query
        self.body = body
        self.headers = headers
        self.user = None
        self.ctx = None
        # filled by routing
        self.group = None
        self.version = None
        self.rt = None
        self.namespace = None
        self.name = None
        self.subresource = None
        self.verb = None
        self.watch_prefix = False
        self.extra_path = []

    def json_body(self, allow_empty=False):
        if not self.body:
            if allow_empty:
                return None
            raise errors.bad_request("the body of the request was empty")
        ct = (self.headers.get("Content-Type") or "application/json").split(";")[0].strip().lower()
        dec = BODY_DECODERS.get(ct)
        if dec is not None:
            return dec(self)
        try:
            text = self.body.decode("utf-8")
        except UnicodeDecodeError:
            raise errors.bad_request("couldn't get version/kind; json parse error: invalid UTF-8 in body")
        if ct in ("application/yaml", "application/x-yaml", "text/yaml"):
            try:
                return yaml.safe_load(text)
            except yaml.YAMLError as e:
                raise errors.bad_request("error converting YAML to JSON: %s" % e)
        if ct not in ("application/json", "*/*", ""):
            raise errors.unsupported_media_type(
                "the body of the request was in an unknown format - accepted media types include: "
                "application/json, application/yaml")
        try:
            return json.loads(text)
        except ValueError as e:
            raise errors.bad_request("couldn't get version/kind; json parse error: %s"
                                     % util.go_json_error(text, e))

    def target(self):
        return tables.negotiate(self.headers.get("Accept"))


class Stream:
    """Chunked transfer for watches (and log follows): begin(), write(bytes) -> ok, end()."""

    def __init__(self, handler, code=200, content_type="application/json"):
        self.h = handler
        self.code = code
        self.content_type = content_type
        self.ok = True
        self.started = False

    def begin(self):
        if self.started:
            return
        self.started = True
        h = self.h
        h.send_response(self.code)
        h.send_header("Content-Type", self.content_type)
        h.send_header("Transfer-Encoding", "chunked")
        h.common_headers()
        h.end_headers()
        self._flush()

    def _flush(self):
        try:
            self.h.wfile.flush()
        except (OSError, ValueError):
            self.ok = False

    def write(self, data):
        if not self.ok:
            return False
        if not self.started:
            self.begin()
        if not data:
            return True
        try:
            self.h.wfile.write(b"%x\r\n" % len(data) + data + b"\r\n")
            self.h.wfile.flush()
        except (OSError, ValueError):
            self.ok = False
        return self.ok

    def end(self):
        if not self.started:
            self.begin()
        if self.ok:
            try:
                self.h.wfile.write(b"0\r\n\r\n")
                self.h.wfile.flush()
            except (OSError, ValueError):
                self.ok = False

    def peer_gone(self):
        """True when the client closed its side (checked without blocking)."""
        sock = self.h.connection
        try:
            r, _, _ = select.select([sock], [], [], 0)
        except (OSError, ValueError):
            return True
        if not r:
            return False
        old = sock.gettimeout()
        try:
            sock.settimeout(0.05)
            sock.recv(1)
            # EOF, or bytes on a connection that is busy streaming to its client: either way the
            # client is not waiting for this stream any more
            return True
        except (socket.timeout, ssl.SSLWantReadError, BlockingIOError):
            return False
        except (OSError, ValueError):
            return True
        finally:
            try:
                sock.settimeout(old)
            except OSError:
                pass


# The stream class of watches; --faults (sim/ext_faults.py) puts in a subclass that injects watch faults.
WATCH_STREAM = Stream


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kubesim"
    sys_version = ""
    timeout = 600   # idle keep-alive connections are closed after this

    def log_message(self, fmt, *args):   # quiet: --request-log is the log
        pass

    def setup(self):
        super().setup()
        self._logged = False
        self._status = 0

    def common_headers(self, cache_control=True):
        self.send_header("Audit-Id", str(uuid.uuid4()))
        if cache_control:
            self.send_header("Cache-Control", "no-cache, private")
        self.send_header("X-Kubernetes-Pf-Flowschema-Uid", "kubesim-flowschema")
        self.send_header("X-Kubernetes-Pf-Prioritylevel-Uid", "kubesim-prioritylevel")

    def send_response(self, code, message=None):
        self._status = code
        super().send_response(code, message)
        self._log_request(code)

    def _log_request(self, code):
        if self._logged:
            return
        self._logged = True
        log = self.server.request_log
        if log is None:
            return
        line = {"ts": util.rfc3339_micro(), "method": getattr(self, "command", None) or "",
                "path": getattr(self, "_path", None) or getattr(self, "path", ""),
                "query": getattr(self, "_raw_query", ""), "status": code,
                "user": getattr(self, "_user", "")}
        self.server.write_log(line)

    def do_GET(self):
        self._dispatch("GET")

    def do_POST(self):
        self._dispatch("POST")

    def do_PUT(self):
        self._dispatch("PUT")

    def do_PATCH(self):
        self._dispatch("PATCH")

    def do_DELETE(self):
        self._dispatch("DELETE")

    def do_HEAD(self):
        self._dispatch("HEAD")

    def do_OPTIONS(self):
        self._dispatch("OPTIONS")

    def _read_body(self):
        te = (self.headers.get("Transfer-Encoding") or "").lower()
        if "chunked" in te:
            chunks = []
            total = 0
            while True:
                line = self.rfile.readline(65537)
                if not line:
                    break
                try:
                    size = int(line.split(b";")[0].strip() or b"0", 16)
                except ValueError:
                    raise errors.bad_request("malformed chunked body")
                if size == 0:
                    while True:
                        trailer = self.rfile.readline(65537)
                        if trailer in (b"\r\n", b"\n", b""):
                            break
                    break
                total += size
                if total > MAX_BODY:
                    raise _TooLarge()
                chunks.append(self.rfile.read(size))
                self.rfile.readline(3)
            return b"".join(chunks)
        length = self.headers.get("Content-Length")
        if not length:
            return b""
        try:
            n = int(length)
        except ValueError:
            raise errors.bad_request("invalid Content-Length")
        if n > MAX_BODY:
            raise _TooLarge()
        return self.rfile.read(n) if n > 0 else b""

    def _dispatch(self, method):
        self._logged = False
        parsed = urllib.parse.urlsplit(self.path)
        self._path = parsed.path
        self._raw_query = parsed.query
        self._user = ""
        started = time.time()
        try:
            body = self._read_body()
        except _TooLarge:
            self.close_connection = True
            self._send_error(errors.ApiError(413, "RequestEntityTooLarge",
                                             "Request entity too large: limit is %d" % MAX_BODY, {}))
            return
        except errors.ApiError as e:
            self.close_connection = True
            self._send_error(e)
            return
        except (OSError, ValueError):
            self.close_connection = True
            return
        query = {}
        try:
            for k, v in urllib.parse.parse_qsl(parsed.query, keep_blank_values=True):
                if k not in query:
                    query[k] = v
        except ValueError:
            pass
        req = Request(self, method, parsed.path, query, parsed.query, body, self.headers)
        try:
            try:
                peer = self.connection.getpeercert() if isinstance(self.connection, ssl.SSLSocket) else None
            except (ValueError, OSError):
                peer = None
            req.user = self.server.authenticator.authenticate(self.headers, peer)
            self._user = req.user.name
            from .ops import Context
            req.ctx = Context(user=req.user.name, groups=req.user.groups, uid=req.user.uid,
                              dry_run=query.get("dryRun") == "All", field_manager=query.get("fieldManager", ""))
            for f in REQUEST_FILTERS:
                res = f(req)
                if isinstance(res, errors.ApiError):
                    raise res
                if isinstance(res, Response):
                    self._send(res)
                    return
            res = route(req)
            if res is not None:
                self._send(res)
        except errors.ApiError as e:
            self._send_error(e)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            self.close_connection = True
        except Exception as e:   # never crash on a client's input
            traceback.print_exc(file=sys.stderr)
            self._send_error(errors.internal("%s: %s" % (type(e).__name__, e)))
        finally:
            self.server.observe(method, req, time.time() - started)

    def _send_error(self, err):
        if self._logged:   # a stream already started: nothing sensible to add
            self.close_connection = True
            return
        headers = dict(err.headers)
        self._send(Response(err.code, util.dumpb(err.status()), "application/json", headers))

    def _send(self, res):
        body = res.body
        if isinstance(body, str):
            body = body.encode("utf-8")
        try:
            self.send_response(res.code)
            self.send_header("Content-Type", res.content_type)
            for k, v in res.headers.items():
                self.send_header(k, v)
            self.common_headers("Cache-Control" not in res.headers)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and res.code != 304:
                self.wfile.write(body)
            self.wfile.flush()
        except (OSError, ValueError):
            self.close_connection = True


class _TooLarge(Exception):
    pass


class KubeSimServer(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, addr, api, authenticator, ssl_context=None, request_log=None):
        self.api = api
        self.authenticator = authenticator
        self.ssl_context = ssl_context
        self._log_lock = threading.Lock()
        self.request_log = request_log
        self.stats = {"requests": 0}
        super().__init__(addr, Handler)

    def get_request(self):
        sock, addr = self.socket.accept()
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass
        if self.ssl_context is not None:
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request, client_address):
        if isinstance(request, ssl.SSLSocket):
            try:
                request.settimeout(30)
                request.do_handshake()
                request.settimeout(None)
            except (OSError, ValueError, ssl.SSLError):
                try:
                    request.close()
                except OSError:
                    pass
                return
        super().finish_request(request, client_address)

    def handle_error(self, request, client_address):
        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, ssl.SSLError, socket.timeout, TimeoutError)):
            return
        traceback.print_exc(file=sys.stderr)

    def write_log(self, line):
        data = json.dumps(line, separators=(",", ":")) + "\n"
        with self._log_lock:
            try:
                self.request_log.write(data)
                self.request_log.flush()
            except (OSError, ValueError):
                pass

    def observe(self, method, req, seconds):
        self.stats["requests"] += 1


# ==== routing ========================================================================================

def _segments(path):
    return [urllib.parse.unquote(s) for s in path.split("/") if s != ""]


def route(req):
    segs = _segments(req.path)
    m = req.method
    if m not in ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"):
        raise errors.method_not_allowed()
    if not segs:
        if m != "GET":
            raise errors.method_not_allowed()
        return _root_paths(req)
    head = segs[0]
    if head == "api":
        return _route_api(req, segs, "", "v1", 1)
    if head == "apis":
        return _route_api(req, segs, None, None, 1)
    path = "/" + "/".join(segs)
    fn = PATH_HANDLERS.get(path)
    if fn is None:
        for prefix, pfn in PREFIX_HANDLERS.items():
            if path == prefix or path.startswith(prefix + "/"):
                fn = pfn
                break
    if fn is not None:
        _authorize_path(req, path)
        return fn(req)
    if path in ("/version", "/version/"):
        _authorize_path(req, path)
        if m not in ("GET", "HEAD"):
            raise errors.method_not_allowed()
        return Response(200, discovery.version_body())
    if path in ("/healthz", "/livez", "/readyz") or path.startswith(("/healthz/", "/livez/", "/readyz/")):
        _authorize_path(req, path)
        return Response(200, b"ok", "text/plain; charset=utf-8")
    _require_user(req)
    raise errors.path_not_found()


def _require_user(req):
    if req.user is auth.ANONYMOUS:
        raise errors.unauthorized()


def _authorize_path(req, path):
    if req.user is auth.ANONYMOUS:
        if path in auth.PUBLIC_PATHS or path.split("/")[1:2] in (["healthz"], ["livez"], ["readyz"]):
            return
        raise errors.unauthorized()
    attrs = {"verb": req.method.lower() if req.method != "HEAD" else "get", "path": path,
             "resource_request": False}
    ok, _ = auth.authorize(req.user, attrs)
    if not ok:
        raise auth.forbidden_error(req.user, attrs)


def _root_paths(req):
    _require_user(req)
    paths = ["/api", "/api/v1", "/apis", "/apis/"]
    for g, vs in REGISTRY.groups():
        if g:
            paths.append("/apis/" + g)
            paths.extend("/apis/%s/%s" % (g, v) for v in vs)
    paths += ["/healthz", "/livez", "/readyz", "/version"]
    return json_response({"paths": sorted(paths)})


def _discovery_response(req, body, etag, content_type="application/json"):
    headers = {"Vary": "Accept", "Etag": etag}
    inm = req.headers.get("If-None-Match")
    if inm and inm.strip() == etag:
        return Response(304, b"", content_type, headers)
    return Response(200, body, content_type, headers)


def _route_api(req, segs, group, version, i):
    _require_user(req)
    core = group == ""
    if core:
        if len(segs) == 1:
            _discovery_method(req)
            _authorize_path(req, "/api")
            v = discovery.aggregated_version(req.headers.get("Accept"))
            if v:
                body, etag = discovery.aggregated(True, v)
                return _discovery_response(req, body, etag, discovery.aggregated_content_type(v))
            body, etag = discovery.api_versions()
            return _discovery_response(req, body, etag)
        if segs[1] != "v1":
            raise errors.path_not_found()
        rest = segs[2:]
        if not rest:
            _discovery_method(req)
            _authorize_path(req, "/api/v1")
            body, etag = discovery.resource_list("", "v1")
            return _discovery_response(req, body, etag)
    else:
        if len(segs) == 1:
            _discovery_method(req)
            _authorize_path(req, "/apis")
            v = discovery.aggregated_version(req.headers.get("Accept"))
            if v:
                body, etag = discovery.aggregated(False, v)
                return _discovery_response(req, body, etag, discovery.aggregated_content_type(v))
            body, etag = discovery.api_group_list()
            return _discovery_response(req, body, etag)
        group = segs[1]
        if len(segs) == 2:
            _discovery_method(req)
            _authorize_path(req, "/apis/" + group)
            res = discovery.api_group(group)
            if res is None:
                raise errors.path_not_found()
            return _discovery_response(req, *res)
        version = segs[2]
        rest = segs[3:]
        if not REGISTRY.has_group_version(group, version):
            raise errors.path_not_found()
        if not rest:
            _discovery_method(req)
            _authorize_path(req, "/apis/%s/%s" % (group, version))
            body, etag = discovery.resource_list(group, version)
            return _discovery_response(req, body, etag)
    req.group, req.version = group, version
    return _route_resource(req, rest)


def _discovery_method(req):
    if req.method not in ("GET", "HEAD"):
        raise errors.method_not_allowed()


def _route_resource(req, rest):
    if rest and rest[0] == "watch":
        req.watch_prefix = True
        rest = rest[1:]
        if not rest:
            raise errors.path_not_found()
    ns = None
    if rest[0] == "namespaces" and len(rest) >= 3 and not (req.group == "" and len(rest) == 3 and
                                                           rest[2] in ("status", "finalize")):
        ns = rest[1]
        plural = rest[2]
        tail = rest[3:]
    else:
        plural = rest[0]
        tail = rest[1:]
    rt = REGISTRY.get(req.group, req.version, plural)
    if rt is None:
        raise errors.path_not_found()
    if ns is not None and not rt.namespaced:
        raise errors.path_not_found()
    name = tail[0] if tail else None
    sub = tail[1] if len(tail) > 1 else None
    extra = tail[2:]
    if extra and sub not in ("proxy",):
        raise errors.path_not_found()
    if rt.namespaced and ns is None and name is not None:
        raise errors.path_not_found()
    if sub is not None and sub not in rt.subresources:
        raise errors.path_not_found()
    if req.watch_prefix and sub is not None:
        raise errors.path_not_found()
    req.rt, req.namespace, req.name, req.subresource, req.extra_path = rt, ns, name, sub, extra
    if name is not None and not name:
        raise errors.path_not_found()
    return _dispatch_resource(req)


_METHOD_VERBS = {"POST": "create", "PUT": "update", "PATCH": "patch"}


def _verb(req):
    m = req.method
    if m in ("GET", "HEAD"):
        if req.watch_prefix or listing.parse_bool(req.query.get("watch", "")):
            if req.subresource is None:
                return "watch"
        if req.name is None:
            return "list"
        return "get"
    if m == "DELETE":
        return "delete" if req.name is not None else "deletecollection"
    return _METHOD_VERBS.get(m)


def _dispatch_resource(req):
    rt = req.rt
    verb = _verb(req)
    req.verb = verb
    sub = req.subresource
    attrs = {"verb": verb, "group": rt.group, "version": rt.version, "resource": rt.plural,
             "subresource": sub or "", "namespace": req.namespace or "", "name": req.name or "",
             "path": req.path, "resource_request": True}
    ok, reason = auth.authorize(req.user, attrs)
    if not ok:
        attrs["reason"] = reason
        raise auth.forbidden_error(req.user, attrs)
    if sub is not None:
        s = rt.subresources[sub]
        if verb not in s.verbs:
            raise errors.method_not_allowed()
        fn = rt.handlers.get("sub:" + sub) or SUBRESOURCE_HANDLERS.get(sub)
        if fn is None:
            raise errors.not_implemented("the %s/%s subresource" % (rt.plural, sub))
        return fn(req)
    if verb is None:
        raise errors.method_not_allowed()
    if verb not in rt.verbs:
        raise errors.method_not_allowed()
    if verb in ("create",) and req.name is not None:
        raise errors.method_not_allowed()
    if verb in ("update", "patch") and req.name is None:
        raise errors.method_not_allowed()
    fn = rt.handlers.get(verb) or GENERIC[verb]
    return fn(req)


# ==== generic handlers =================================================================================

def _encode_single(req, obj, code=200):
    """One object (dict) in the negotiated form."""
    target = req.target()
    if target.kind == "table":
        mode = tables.include_object_mode(req.query)
        md = obj.get("metadata") or {}
        body = tables.table_bytes(req.rt, [(obj, lambda: util.dumpb(obj))], mode,
                                  {"resourceVersion": md.get("resourceVersion", "")}, target.version)
        return Response(code, body, "application/json;as=Table;v=%s;g=meta.k8s.io" % target.version)
    if target.kind == "partial":
        return Response(code, util.dumpb(tables.partial_metadata(obj, target.version)),
                        "application/json;as=PartialObjectMetadata;v=%s;g=meta.k8s.io" % target.version)
    if target.kind == "yaml":
        return Response(code, yaml.safe_dump(obj, default_flow_style=False).encode(), "application/yaml")
    if req.query.get("pretty") in ("true", "1"):
        return Response(code, json.dumps(obj, indent=2).encode() + b"\n")
    return Response(code, util.dumpb(obj))


def handle_get(req):
    obj = req.api.get(req.rt, req.namespace, req.name)
    return _encode_single(req, obj)


def handle_list(req):
    rt = req.rt
    target = req.target()
    mode = tables.include_object_mode(req.query) if target.kind == "table" else None
    res = listing.do_list(req.api, rt, req.namespace, req.query)
    meta = res.list_meta()
    api = req.api
    if target.kind == "table":
        items = [(api.out(rt, e.obj), (lambda e=e: api.out_json(rt, e))) for e in res.entries]
        body = tables.table_bytes(rt, items, mode, meta, target.version)
        return Response(200, body, "application/json;as=Table;v=%s;g=meta.k8s.io" % target.version)
    if target.kind == "partial":
        items = [tables.partial_metadata(api.out(rt, e.obj), target.version) for e in res.entries]
        return Response(200, util.dumpb({"kind": "PartialObjectMetadataList",
                                         "apiVersion": "meta.k8s.io/" + target.version,
                                         "metadata": meta, "items": items}),
                        "application/json;as=PartialObjectMetadataList;v=%s;g=meta.k8s.io" % target.version)
    head = b'{"kind":"' + rt.list_kind.encode() + b'","apiVersion":"' + rt.api_version.encode() + \
        b'","metadata":' + util.dumpb(meta) + b',"items":['
    body = head + b",".join(api.out_json(rt, e) for e in res.entries) + b"]}"
    if target.kind == "yaml" or req.query.get("pretty") in ("true", "1"):
        obj = json.loads(body)
        if target.kind == "yaml":
            return Response(200, yaml.safe_dump(obj, default_flow_style=False).encode(), "application/yaml")
        return Response(200, json.dumps(obj, indent=2).encode() + b"\n")
    return Response(200, body)


def handle_watch(req):
    target = req.target()
    mode = tables.include_object_mode(req.query) if target.kind == "table" else None
    query = dict(req.query)
    if req.watch_prefix and req.name is not None:
        # /watch/.../{name}: a watch of a single object
        fs = query.get("fieldSelector")
        esc = req.name.replace("\\", "\\\\").replace(",", "\\,").replace("=", "\\=")
        query["fieldSelector"] = "metadata.name=%s" % esc + ("," + fs if fs else "")
    ctype = "application/json"
    if target.kind == "table":
        ctype = "application/json;as=Table;v=%s;g=meta.k8s.io" % target.version
    stream = WATCH_STREAM(req.handler, 200, ctype)
    watch.serve(stream, req.api, req.rt, req.namespace, query, target, mode)
    req.handler.close_connection = not stream.ok
    return None


def handle_create(req):
    obj = req.json_body()
    out = req.api.create(req.ctx, req.rt, req.namespace, obj)
    return _encode_single(req, out, 201)


def handle_update(req):
    obj = req.json_body()
    out = req.api.update(req.ctx, req.rt, req.namespace, req.name, obj)
    return _encode_single(req, out)


def handle_patch(req):
    if not req.body:
        raise errors.bad_request("the body of the request was empty")
    out = req.api.patch(req.ctx, req.rt, req.namespace, req.name, req.headers.get("Content-Type"), req.body)
    return _encode_single(req, out)


def delete_options(req):
    opts = {}
    if req.body:
        try:
            text = req.body.decode("utf-8")
            body = json.loads(text)
        except UnicodeDecodeError:
            raise errors.bad_request("couldn't get version/kind; json parse error: invalid UTF-8 "
                                     "in body")
        except ValueError as e:
            raise errors.bad_request("couldn't get version/kind; json parse error: %s"
                                     % util.go_json_error(text, e))
        if not isinstance(body, dict):
            raise errors.bad_request("DeleteOptions must be an object")
        opts.update(body)
    for k in ("gracePeriodSeconds", "propagationPolicy", "orphanDependents"):
        if k in req.query:
            opts[k] = req.query[k]
    if "preconditions" in opts and not isinstance(opts["preconditions"], dict):
        raise errors.bad_request("preconditions must be an object")
    if req.query.get("dryRun") == "All":
        opts["dryRun"] = ["All"]
    return opts


def handle_delete(req):
    code, body = req.api.delete(req.ctx, req.rt, req.namespace, req.name, delete_options(req))
    if body.get("kind") == "Status":
        return json_response(body, code)
    return _encode_single(req, body, code)


def handle_deletecollection(req):
    rt = req.rt
    listing.validate_list_options(req.query, watch=False)
    lsel, fsel = listing.parse_selectors(rt, req.query)
    items = req.api.delete_collection(req.ctx, rt, req.namespace, lsel, fsel, delete_options(req))
    return json_response({"kind": rt.list_kind, "apiVersion": rt.api_version,
                          "metadata": {"resourceVersion": str(req.api.store.current_rv())}, "items": items})


GENERIC = {
    "get": handle_get, "list": handle_list, "watch": handle_watch, "create": handle_create,
    "update": handle_update, "patch": handle_patch, "delete": handle_delete,
    "deletecollection": handle_deletecollection,
}

# keep selectors importable from here for handlers that need them
__all__ = ["Response", "Request", "Stream", "KubeSimServer", "SUBRESOURCE_HANDLERS", "PATH_HANDLERS",
           "REQUEST_FILTERS", "BODY_DECODERS", "PREFIX_HANDLERS", "GENERIC", "json_response", "selectors"]


def _protobuf_body(req):
    from . import protobuf
    return protobuf.decode_object(req.body)


BODY_DECODERS["application/vnd.kubernetes.protobuf"] = _protobuf_body
