"""--faults SPEC (issue 3): failures a client must survive, injected on purpose.

SPEC is a comma list of:

  throttle=P     P% of resource requests get 429 with `Retry-After: 1` and the API Priority and Fairness
                 filter's plain-text body `Too many requests, please try again later.` (not a Status)
  error=P        P% of resource requests get 500 with an InternalError Status
  drop-watch=S   every S seconds every open watch is cut abruptly, as a dropped TCP connection: no final
                 chunk, no TLS close_notify; the client reads an unexpected EOF / connection reset
  gone=S         every S seconds every open watch gets an ERROR event with the 410 Expired Status that an
                 apiserver sends when etcd compaction overtakes a watch
                 ("The resourceVersion for the provided watch is too old."), then ends normally
  stall=S        watches go silent for S seconds at a time: in the window [(2k+1)S, (2k+2)S) after the
                 start, open watches send nothing (no events, no bookmarks, not even the response headers of
                 a watch that starts in the window) and do not close. That is what a black-holed connection
                 looks like from the client: bytes stop arriving and nothing tells it why; a client only
                 notices through its own deadline (no bookmark or event for too long) and tears the
                 connection down. The server keeps the watch's events queued, as TCP would keep them
                 buffered: a client that waits the window out receives them late but complete and in order
                 (a watch that falls 100000 events behind is closed, like an apiserver drops an
                 unresponsive watcher)

Only resource requests (/api/v1/..., /apis/{group}/{version}/...) are affected; discovery (/api, /apis,
/api/v1, /apis/{g}, /apis/{g}/{v}), /version, /openapi, /healthz and other non-resource paths never are.
Whether a request is throttled or failed is drawn from a random generator seeded by --seed, one draw per
resource request in arrival order, so the same request sequence meets the same faults. drop-watch, gone
and stall run on the clock from the server's start.

Every injected fault shows in --request-log: 429 and 500 as the request's status; watch faults as an
extra line for the watch with "fault" set to drop-watch, gone or stall and "status" 410 for gone, 0 for
drop-watch and stall (no HTTP status: the stream was cut or went silent).
"""

import random
import socket
import struct
import threading
import time

from . import auth, errors, server, util

THROTTLE_BODY = b"Too many requests, please try again later.\n"
GONE_MESSAGE = "The resourceVersion for the provided watch is too old."
KINDS = ("drop-watch", "gone", "throttle", "error", "stall")


class SpecError(ValueError):
    pass


def parse_spec(spec):
    """'drop-watch=30,throttle=5' -> {"drop-watch": 30.0, "throttle": 5.0}. Raises SpecError."""
    out = {}
    if spec is None:
        return out
    for item in spec.split(","):
        item = item.strip()
        if not item:
            continue
        name, eq, value = item.partition("=")
        name = name.strip()
        if name not in KINDS:
            raise SpecError("unknown fault %r (known: %s)" % (name, ", ".join(KINDS)))
        if not eq:
            raise SpecError("%s needs a value: %s=%s" % (name, name, "P" if name in ("throttle", "error") else "S"))
        try:
            v = float(value)
        except ValueError:
            raise SpecError("%s=%s: not a number" % (name, value))
        if v != v or v in (float("inf"), float("-inf")):
            raise SpecError("%s=%s: not a number" % (name, value))
        if name in ("throttle", "error"):
            if not 0 <= v <= 100:
                raise SpecError("%s=%s: a percentage between 0 and 100" % (name, value))
        elif v <= 0:
            raise SpecError("%s=%s: seconds, more than 0" % (name, value))
        if name in out:
            raise SpecError("%s given twice" % name)
        out[name] = v
    if out.get("throttle", 0) + out.get("error", 0) > 100:
        raise SpecError("throttle + error exceed 100%")
    return out


def is_resource_path(path):
    """True for /api/v1/<resource...> and /apis/<group>/<version>/<resource...>."""
    segs = [s for s in path.split("/") if s]
    if not segs:
        return False
    if segs[0] == "api":
        return len(segs) >= 3
    if segs[0] == "apis":
        return len(segs) >= 4
    return False


class Faults:
    def __init__(self, spec, seed=None, clock=time.time):
        self.spec = spec if isinstance(spec, dict) else parse_spec(spec)
        self.clock = clock
        self.start = clock()
        self.rng = random.Random("kubesim-faults-%s" % (seed if seed is not None else 1))
        self.lock = threading.Lock()
        self.streams = set()
        self.counts = {k: 0 for k in KINDS}
        self.stop = threading.Event()
        self.thread = None

    # ---- per-request faults --------------------------------------------------------------------

    def request_filter(self, req):
        throttle = self.spec.get("throttle", 0.0)
        error = self.spec.get("error", 0.0)
        if not (throttle or error) or not is_resource_path(req.path):
            return None
        if req.user is auth.ANONYMOUS:
            return None     # authentication comes before API Priority and Fairness: this one gets its 401
        with self.lock:
            r = self.rng.random() * 100.0
        if r < throttle:
            with self.lock:
                self.counts["throttle"] += 1
            return server.Response(429, THROTTLE_BODY, "text/plain; charset=utf-8",
                                   {"Retry-After": "1", "X-Content-Type-Options": "nosniff"})
        if r < throttle + error:
            with self.lock:
                self.counts["error"] += 1
            return errors.internal("kubesim fault injection (--faults error=%g)" % error)
        return None

    # ---- watch faults ----------------------------------------------------------------------------

    def watch_faults(self):
        return any(k in self.spec for k in ("drop-watch", "gone", "stall"))

    def register(self, stream):
        with self.lock:
            self.streams.add(stream)

    def unregister(self, stream):
        with self.lock:
            self.streams.discard(stream)

    def open_streams(self):
        with self.lock:
            return list(self.streams)

    def stall_remaining(self, now=None):
        """Seconds left in the current stall window, 0 outside one."""
        s = self.spec.get("stall")
        if not s:
            return 0.0
        t = (self.clock() if now is None else now) - self.start
        phase = t % (2 * s)
        return (2 * s - phase) if phase >= s else 0.0

    def start_timers(self):
        """Start the clock of drop-watch, gone and stall (call once the server is up)."""
        self.start = self.clock()
        periodic = [(k, self.spec[k]) for k in ("drop-watch", "gone") if k in self.spec]
        if not periodic:
            return
        self.thread = threading.Thread(target=self._run, args=(periodic,), name="kubesim-faults", daemon=True)
        self.thread.start()

    def _run(self, periodic):
        due = {k: self.start + s for k, s in periodic}
        while not self.stop.is_set():
            kind = min(due, key=due.get)
            wait = due[kind] - self.clock()
            if wait > 0:
                if self.stop.wait(min(wait, 0.5)):
                    return
                continue
            due[kind] += dict(periodic)[kind]
            for s in self.open_streams():
                try:
                    if kind == "drop-watch":
                        s.drop()
                    else:
                        s.mark_gone()
                except Exception:   # a fault must never take the server down
                    import traceback
                    traceback.print_exc()


ACTIVE = None       # the installed Faults


class FaultStream(server.Stream):
    """The watch stream under --faults: registers itself while open, and injects the watch faults in the
    handler's own thread (so nothing interleaves with the events it writes)."""

    def __init__(self, handler, code=200, content_type="application/json"):
        super().__init__(handler, code, content_type)
        self.faults = ACTIVE
        self.dropped = False
        self.gone = False
        self.stalled_logged = None
        self.registered = False
        self.ended = False
        self.guard = threading.Lock()

    # called by the fault thread
    def drop(self):
        with self.guard:
            # once the watch has ended, the connection may already carry the client's next request
            if self.dropped or self.ended:
                return
            self.dropped = True
            self._cut()

    def _cut(self):
        self._log("drop-watch", 0)
        self.faults.counts["drop-watch"] += 1
        sock = self.h.connection
        try:
            # RST on close, and no TLS close_notify: the connection simply dies
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass

    def mark_gone(self):
        self.gone = True

    # ---- the Stream interface, used by watch.serve ------------------------------------------------

    def begin(self):
        if self.started:
            return
        if self.faults is not None and not self.registered:
            self.registered = True
            self.faults.register(self)
        self._stall()
        super().begin()

    def write(self, data):
        if not self._inject():
            return False
        self._stall()
        if not self._inject():
            return False
        return super().write(data)

    def peer_gone(self):
        if not self._inject():
            return True
        self._stall()
        if not self._inject():
            return True
        return super().peer_gone()

    def end(self):
        with self.guard:
            self.ended = True
        if self.registered:
            self.faults.unregister(self)
        if self.dropped:
            self.ok = False
            return
        super().end()

    # ---- helpers ---------------------------------------------------------------------------------

    def _inject(self):
        """False when the stream must end now (dropped, or the 410 ERROR event was just sent)."""
        if self.dropped:
            self.ok = False
            return False
        if self.gone:
            self.gone = False
            if not self.started:
                super().begin()
            status = errors.expired(GONE_MESSAGE).status()
            super().write(b'{"type":"ERROR","object":' + util.dumpb(status) + b"}\n")
            self._log("gone", 410)
            self.faults.counts["gone"] += 1
            return False
        return True

    def _stall(self):
        f = self.faults
        if f is None or "stall" not in f.spec:
            return
        store = self.h.server.api.store
        left = f.stall_remaining()
        if left <= 0:
            return
        window = int((f.clock() - f.start) // f.spec["stall"])
        if self.stalled_logged != window:
            self.stalled_logged = window
            self._log("stall", 0)
            f.counts["stall"] += 1
        while left > 0 and not store.closed and not self.dropped:
            time.sleep(min(left, 0.2))
            left = f.stall_remaining()

    def _log(self, fault, status):
        srv = self.h.server
        if getattr(srv, "request_log", None) is None:
            return
        h = self.h
        srv.write_log({"ts": util.rfc3339_micro(), "method": getattr(h, "command", None) or "GET",
                       "path": getattr(h, "_path", ""), "query": getattr(h, "_raw_query", ""), "status": status,
                       "user": getattr(h, "_user", ""), "fault": fault})


def install(spec, seed=None):
    """Parse SPEC and plug the faults into the server. Returns the Faults. Raises SpecError."""
    global ACTIVE
    faults = Faults(parse_spec(spec), seed)
    ACTIVE = faults
    if "throttle" in faults.spec or "error" in faults.spec:
        server.REQUEST_FILTERS.append(faults.request_filter)
    if faults.watch_faults():
        server.WATCH_STREAM = FaultStream
    return faults
