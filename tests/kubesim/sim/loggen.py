"""Deterministic container log lines on a virtual line clock (used by handlers_logs).

One container instance (pod uid + container name + restart number) is a `Source`. Its lines are indexed
k = 0, 1, 2, ...: a short start-up banner (one line per millisecond from the container's startedAt), then
steady lines at `rate` lines per second, line k at a fixed time with a per-line jitter inside its slot.
Line k's text and time depend only on the seed and k, so the same request gives the same bytes, and
--since, --tail and --timestamps agree with each other: `count_until(t)` and `first_at(t)` are O(1).

The content is a realistic mix: a primary format per container (nginx access log, JSON, klog, logfmt,
Python logging, logrus-style colour, plain), with occasional ANSI colour, long lines, multi-line stack
traces, UTF-8 text, empty lines and text that looks like markup ("[red]...[-]"). Pod annotations add
stress content for client tests (see README): huge lines, invalid UTF-8 and raw escape sequences.
A terminated instance ends with exit lines that fit its exit code.
"""

import hashlib
import time

M64 = (1 << 64) - 1
BANNER_STEP_NS = 1000000          # banner lines 1 ms apart
TRACE_SEGMENT = 64                # steady lines are grouped in segments; some hold a stack trace
MAX_RETAINED = 50000              # lines kept (older lines are "rotated away")
RETAINED_BYTES = 64 * 1024 * 1024  # ... and about this many bytes when lines are huge

DEFAULT_RATE = 1.0                # --log-rate: lines per second per container


def mix(x):
    """splitmix64: a well-spread 64-bit hash of an integer."""
    x = (x + 0x9E3779B97F4A7C15) & M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & M64
    return x ^ (x >> 31)


def seed_of(*parts):
    h = hashlib.sha256("\x00".join(str(p) for p in parts).encode("utf-8", "surrogateescape")).digest()
    return int.from_bytes(h[:8], "big")


_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


class _Clock:
    """Cached calendar fields of the last second formatted (lines come in time order)."""
    __slots__ = ("sec", "tm", "iso")

    def __init__(self):
        self.sec = None
        self.tm = None
        self.iso = ""

    def at(self, t_ns):
        sec = t_ns // 1000000000
        if sec != self.sec:
            self.sec = sec
            self.tm = time.gmtime(sec)
            self.iso = time.strftime("%Y-%m-%dT%H:%M:%S", self.tm)
        return self.tm


_NANO_CLOCK = _Clock()


def rfc3339nano(t_ns, clock=None):
    """Go's time.RFC3339Nano in UTC (trailing zeros of the fraction dropped)."""
    c = clock or _Clock()
    c.at(t_ns)
    frac = t_ns % 1000000000
    if frac:
        return "%s.%sZ" % (c.iso, ("%09d" % frac).rstrip("0"))
    return c.iso + "Z"


# ---- vocabulary --------------------------------------------------------------------------------------

PATHS = ["/", "/healthz", "/readyz", "/api/v1/items", "/api/v1/items/{id}", "/api/v1/orders", "/api/v1/orders/{id}",
         "/api/v1/users/{id}/cart", "/static/js/app.{hex}.js", "/static/css/main.{hex}.css", "/login", "/metrics",
         "/api/v2/search?q=shoes&page={n}", "/favicon.ico", "/api/v1/checkout"]
METHODS = ["GET", "GET", "GET", "GET", "POST", "PUT", "DELETE", "GET", "PATCH", "GET"]
STATUSES = [200, 200, 200, 200, 200, 201, 204, 200, 304, 200, 301, 400, 401, 403, 404, 404, 500, 502, 200, 200]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
          "curl/8.5.0", "kube-probe/1.32", "Go-http-client/1.1", "python-requests/2.31.0",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5",
          "Prometheus/2.53.0"]
LOGGERS = ["http", "db", "cache", "worker", "scheduler", "auth", "grpc", "kafka.consumer", "api.orders", "metrics"]
GO_FILES = ["server.go", "handler.go", "controller.go", "reconciler.go", "cache.go", "client.go", "queue.go",
            "leaderelection.go", "watch.go", "main.go"]
WORDS = ["order", "payment", "session", "cart", "invoice", "user", "item", "shipment", "token", "report"]
PEERS = ["10.244.1.7", "10.244.2.13", "10.244.0.5", "10.244.3.21", "172.17.0.1", "10.0.0.11", "192.168.49.1"]

INFO_MSGS = [
    "request completed", "cache refreshed", "processed batch", "connected to database", "health check ok",
    "reconciled object", "leader lease renewed", "flushed metrics", "message consumed", "config reloaded",
    "session created", "scheduled job finished", "token refreshed", "upstream responded", "item indexed",
]
WARN_MSGS = [
    "slow query detected", "retrying request", "connection pool exhausted, waiting", "high memory usage",
    "deprecated API version used", "rate limit approaching", "certificate expires soon",
]
ERROR_MSGS = [
    "failed to process message", "upstream timed out", "database connection lost", "invalid request payload",
    "permission denied writing to cache dir", "context deadline exceeded", "unexpected EOF from peer",
]
DEBUG_MSGS = ["cache miss", "acquired lock", "parsed headers", "dial ok", "gc pause", "queue depth sampled"]

UNICODE_LINES = [
    "café résumé naïve façade — «quoted» text",
    "日本語のログメッセージ: 処理が完了しました",
    "emoji status: ✅ ok 🚀 deployed 🔥 hot path ⚠️ warning",
    "Ελληνικά και русский текст в одной строке",
    "box drawing ┌──┬──┐ │ok│ok│ └──┴──┘ and arrows ← ↑ → ↓",
    "combining marks: e\u0301 a\u0308 n\u0303 and zero\u200bwidth space",
    "wide CJK 全角文字 mixed with ASCII columns | 12 | 34 |",
]
MARKUP_LINES = [
    "[red]this is not red[-] [green::b]nor bold green[-:-:-] just text",
    "[yellow]WARN[white] looks like tview markup [::u]underlined?[::-]",
    "<b>html-ish</b> <script>alert(1)</script> &amp; &lt;tag&gt;",
    "[[escaped]] brackets [\"quoted\"] and [::] empty style",
    "{{ .Values.template }} ${ENV_VAR} %s %d %%n printf verbs",
    "[blue:white:b]blue on white[-:-:-] [#ff0000]hex colour[-]",
    "**markdown bold** _italic_ `code` [link](http://example.com)",
]
TRACES = [
    ["ERROR unhandled exception in request handler",
     "java.lang.NullPointerException: Cannot invoke \"com.example.shop.Cart.total()\" because \"cart\" is null",
     "\tat com.example.shop.CheckoutService.checkout(CheckoutService.java:142)",
     "\tat com.example.shop.CheckoutController.post(CheckoutController.java:57)",
     "\tat jdk.internal.reflect.GeneratedMethodAccessor12.invoke(Unknown Source)",
     "\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)",
     "\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)",
     "\t... 48 common frames omitted"],
    ["Traceback (most recent call last):",
     "  File \"/app/worker/tasks.py\", line 88, in run",
     "    result = handler(payload)",
     "  File \"/app/worker/handlers.py\", line 31, in handle_invoice",
     "    total = sum(line[\"amount\"] for line in payload[\"lines\"])",
     "KeyError: 'lines'"],
    ["E0101 00:00:00.000000       1 runtime.go:79] Observed a panic: runtime error: index out of range [3] with "
     "length 3",
     "goroutine 214 [running]:",
     "k8s.io/apimachinery/pkg/util/runtime.logPanic({0x1c2f1a0, 0xc000a1e2b8})",
     "\t/go/pkg/mod/k8s.io/apimachinery@v0.32.0/pkg/util/runtime/runtime.go:75 +0x85",
     "example.com/app/pkg/controller.(*Reconciler).sync(0xc0004a2000, {0xc000b1c0f0, 0x1a})",
     "\t/src/pkg/controller/reconciler.go:212 +0x6a5",
     "created by example.com/app/pkg/controller.(*Reconciler).Run in goroutine 1",
     "\t/src/pkg/controller/reconciler.go:97 +0x1f7"],
    ["Error: connect ECONNREFUSED 10.96.41.7:6379",
     "    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16) {",
     "  errno: -111,",
     "  code: 'ECONNREFUSED',",
     "  syscall: 'connect',",
     "  address: '10.96.41.7',",
     "  port: 6379",
     "}"],
]

ESC = "\x1b"
COLORS = {"DEBUG": "\x1b[37m", "INFO": "\x1b[36m", "WARN": "\x1b[33m", "ERROR": "\x1b[31m"}
RESET = "\x1b[0m"

FORMATS = ("json", "nginx", "klog", "logfmt", "python", "color", "plain", "redis")

# Binary and escape-sequence payloads for the kubesim.io/log-binary stress annotation
BINARY_LINES = [
    b"invalid utf-8: \xff\xfe\xfd and a lone continuation \x80 end",
    b"truncated multibyte \xe2\x82 then ascii",
    b"overlong encoding \xc0\xaf and surrogate \xed\xa0\x80 bytes",
    b"NUL in the middle:\x00:after NUL",
    b"\x1b]0;window title set by log\x07 OSC title",
    b"\x1b[2J\x1b[H clear screen and home",
    b"cursor moves \x1b[10A\x1b[5C\x1b[K erase line",
    b"carriage return overwrite\rOVERWRITTEN",
    b"backspaces abc\x08\x08\x08XYZ and DEL \x7f",
    b"C1 control CSI \x9b31m as one byte, bell \x07",
    b"\x1b[?1049h alternate screen \x1b[?25l hide cursor",
    b"\x1bP+q544e\x1b\\ DCS query and \x1b[6n cursor report request",
]


def _level(r):
    x = r % 100
    if x < 80:
        return "INFO"
    if x < 88:
        return "DEBUG"
    if x < 96:
        return "WARN"
    return "ERROR"


def _msg(level, r):
    if level == "INFO":
        return INFO_MSGS[r % len(INFO_MSGS)]
    if level == "WARN":
        return WARN_MSGS[r % len(WARN_MSGS)]
    if level == "ERROR":
        return ERROR_MSGS[r % len(ERROR_MSGS)]
    return DEBUG_MSGS[r % len(DEBUG_MSGS)]


def _path(r):
    p = PATHS[r % len(PATHS)]
    if "{" in p:
        p = p.replace("{id}", str(1000 + (r >> 8) % 9000)).replace("{n}", str(1 + (r >> 12) % 20)) \
             .replace("{hex}", "%08x" % ((r >> 16) & 0xFFFFFFFF))
    return p


def image_format(image):
    """The natural log format of well-known images (None: pick one from the seed)."""
    img = (image or "").lower()
    if "nginx" in img or "httpd" in img or "envoy" in img:
        return "nginx"
    if "redis" in img:
        return "redis"
    if "prometheus" in img or "alertmanager" in img or "grafana" in img or "loki" in img:
        return "logfmt"
    if "busybox" in img or "alpine" in img:
        return "plain"
    if "kube-" in img or "coredns" in img or "controller" in img or "operator" in img:
        return "klog"
    return None


class Source:
    """The log of one container instance. `start_ns` is its startedAt; `rate` lines/s (0: banner only)."""

    def __init__(self, seed, start_ns, rate, fmt=None, long_bytes=0, binary=False, image=""):
        self.seed = seed & M64
        self.start = int(start_ns)
        self.rate = max(0.0, float(rate))
        self.interval = int(1e9 / self.rate) if self.rate > 0 else 0
        if self.interval <= 0 and self.rate > 0:
            self.interval = 1
        if fmt not in FORMATS:
            fmt = image_format(image) or FORMATS[mix(self.seed) % 7]
        self.fmt = fmt
        self.long_bytes = max(0, int(long_bytes))
        self.binary = bool(binary)
        self.clock = _Clock()
        self.banner = self._banner(image)
        self.nb = len(self.banner)
        self.base = self.start + self.nb * BANNER_STEP_NS   # time of steady slot 0
        self.version = "%d.%d.%d" % (1 + mix(self.seed ^ 1) % 3, mix(self.seed ^ 2) % 20, mix(self.seed ^ 3) % 10)
        self.port = [8080, 8000, 3000, 9090, 5000, 8443][mix(self.seed ^ 4) % 6]
        self.pid = 1 + mix(self.seed ^ 5) % 40

    def retained(self):
        """How many of the newest lines the simulated runtime still has (its log rotation)."""
        if self.long_bytes:
            per_line = (self.long_bytes + 49 * 200) / 50.0
            return max(100, min(MAX_RETAINED, int(RETAINED_BYTES / per_line)))
        return MAX_RETAINED

    # ---- the clock ----------------------------------------------------------------------------

    def time_of(self, k):
        if k < self.nb:
            return self.start + k * BANNER_STEP_NS
        i = k - self.nb
        return self.base + i * self.interval + mix(self.seed ^ (i * 0x632BE59BD9B4E019 & M64)) % self.interval

    def count_until(self, t_ns):
        """How many lines have a time <= t_ns."""
        if t_ns < self.start:
            return 0
        if t_ns < self.base or not self.interval:
            return min(self.nb, (t_ns - self.start) // BANNER_STEP_NS + 1)
        j = (t_ns - self.base) // self.interval
        n = self.nb + j
        if self.time_of(n) <= t_ns:
            n += 1
        return n

    def first_at(self, t_ns):
        """The index of the first line with a time >= t_ns."""
        if t_ns <= self.start:
            return 0
        return self.count_until(t_ns - 1)

    # ---- content -----------------------------------------------------------------------------

    def _banner(self, image):
        s = mix(self.seed ^ 0xB4)
        app = (image or "app").split("/")[-1].split(":")[0].split("@")[0] or "app"
        f = self.fmt
        if f == "nginx":
            return ["/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration",
                    "/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/",
                    "/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh",
                    "10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf",
                    "/docker-entrypoint.sh: Configuration complete; ready for start up",
                    "{T} [notice] 1#1: using the \"epoll\" event method",
                    "{T} [notice] 1#1: start worker processes"]
        if f == "redis":
            return ["1:C {R} * oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo",
                    "1:C {R} * Redis version=7.2.5, bits=64, commit=00000000, modified=0, pid=1, just started",
                    "1:M {R} * Server initialized",
                    "1:M {R} * Ready to accept connections tcp"]
        if f == "plain":
            return ["starting %s" % app, "waiting for dependencies...", "dependencies ready"]
        lines = ["starting %s version={V} (commit %07x)" % (app, s & 0xFFFFFFF),
                 "loaded configuration from /etc/%s/config.yaml" % app,
                 "connected to upstream services",
                 "listening on :{P}"]
        return lines

    def line(self, k):
        """Line k as bytes (no newline)."""
        t = self.time_of(k)
        if k < self.nb:
            return self._fmt_banner(self.banner[k], t)
        i = k - self.nb
        if self.long_bytes and i % 50 == 0:
            return self._long(i, t, self.long_bytes)
        if self.binary and i % 10 == 5:
            return BINARY_LINES[(i // 10) % len(BINARY_LINES)]
        seg = i // TRACE_SEGMENT
        hs = mix(self.seed ^ (0xA5A5 + seg * 0x9E3779B1) & M64)
        if hs % 4 == 0:
            trace = TRACES[(hs >> 8) % len(TRACES)]
            off = (hs >> 16) % (TRACE_SEGMENT - len(trace))
            pos = i % TRACE_SEGMENT - off
            if 0 <= pos < len(trace):
                text = trace[pos]
                if pos == 0:
                    return self._structured("ERROR", text, t, (hs >> 24), plain_msg=True)
                return text.encode()
        r = mix(self.seed ^ ((k * 0xD1B54A32D192ED03) & M64))
        sel = r % 1000
        r >>= 10
        if sel < 6:
            return self._long(i, t, 1500 + r % 6000)
        if sel < 16:
            return MARKUP_LINES[r % len(MARKUP_LINES)].encode()
        if sel < 28:
            return self._structured("INFO", UNICODE_LINES[r % len(UNICODE_LINES)], t, r >> 4)
        if sel < 40 and self.fmt != "color":
            lvl = _level(r)
            return ("%s%s%s %s" % (COLORS[lvl], lvl, RESET, _msg(lvl, r >> 7))).encode()
        if sel < 43:
            return b""
        return self._normal(t, r)

    def _fmt_banner(self, text, t):
        if "{" in text:
            tm = self.clock.at(t)
            ms = (t // 1000000) % 1000
            text = text.replace("{T}", time.strftime("%Y/%m/%d %H:%M:%S", tm)) \
                .replace("{R}", "%02d %s %d %s.%03d" % (tm.tm_mday, _MONTHS[tm.tm_mon - 1], tm.tm_year,
                                                        time.strftime("%H:%M:%S", tm), ms)) \
                .replace("{V}", self.version).replace("{P}", str(self.port))
        if self.fmt in ("json", "klog", "logfmt", "python", "color"):
            return self._structured("INFO", text, t, 0, plain_msg=True)
        return text.encode()

    def _structured(self, level, msg, t, r, plain_msg=False):
        """One line in this source's format carrying msg."""
        f = self.fmt
        c = self.clock
        tm = c.at(t)
        if f == "json":
            m = msg.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
            return ('{"level":"%s","ts":"%s.%03dZ","logger":"%s","msg":"%s"}'
                    % (level.lower(), c.iso, (t // 1000000) % 1000, LOGGERS[r % len(LOGGERS)], m)).encode()
        if f == "klog":
            return ("%s%02d%02d %s.%06d %7d %s:%d] %s" % ("I" if level == "DEBUG" else level[0], tm.tm_mon, tm.tm_mday, c.iso[11:],
                                                         (t // 1000) % 1000000, self.pid,
                                                         GO_FILES[r % len(GO_FILES)], 40 + r % 400, msg)).encode()
        if f == "logfmt":
            m = msg.replace('"', '\\"')
            return ('ts=%s.%03dZ caller=%s:%d level=%s msg="%s"'
                    % (c.iso, (t // 1000000) % 1000, GO_FILES[r % len(GO_FILES)], 40 + r % 400, level.lower(),
                       m)).encode()
        if f == "python":
            return ("%s,%03d %s [%s] %s" % (c.iso.replace("T", " "), (t // 1000000) % 1000, level,
                                             LOGGERS[r % len(LOGGERS)], msg)).encode()
        if f == "color":
            secs = max(0, (t - self.start) // 1000000000)
            return ("%s%s%s[%04d] %s" % (COLORS[level], level, RESET, secs % 10000, msg)).encode()
        if f == "nginx" or f == "redis" or f == "plain":
            if plain_msg:
                return msg.encode()
            return ("%s %s" % (level, msg)).encode()
        return msg.encode()

    def _normal(self, t, r):
        f = self.fmt
        lvl = _level(r)
        r2 = r >> 7
        if f == "nginx":
            tm = self.clock.at(t)
            st = STATUSES[r2 % len(STATUSES)]
            size = 0 if st in (204, 304) else 120 + (r2 >> 5) % 40000
            return ('%s - - [%02d/%s/%d:%s +0000] "%s %s HTTP/1.1" %d %d "-" "%s" %d.%03d'
                    % (PEERS[(r2 >> 20) % len(PEERS)], tm.tm_mday, _MONTHS[tm.tm_mon - 1], tm.tm_year,
                       self.clock.iso[11:], METHODS[(r2 >> 24) % len(METHODS)], _path(r2 >> 28), st, size,
                       AGENTS[(r2 >> 40) % len(AGENTS)], (r2 >> 44) % 3, (r2 >> 46) % 1000)).encode()
        if f == "redis":
            tm = self.clock.at(t)
            what = ["* 100 changes in 300 seconds. Saving...", "* Background saving started by pid %d" % (r2 % 900 + 20),
                    "* DB saved on disk", "* Background saving terminated with success",
                    "# WARNING: client %s:%d reached maxmemory-clients" % (PEERS[r2 % len(PEERS)], 30000 + r2 % 30000),
                    "* Accepted %s:%d" % (PEERS[r2 % len(PEERS)], 30000 + r2 % 30000)][r2 % 6]
            return ("1:M %02d %s %d %s.%03d %s" % (tm.tm_mday, _MONTHS[tm.tm_mon - 1], tm.tm_year, self.clock.iso[11:],
                                                  (t // 1000000) % 1000, what)).encode()
        msg = _msg(lvl, r2)
        if f == "json":
            c = self.clock
            c.at(t)
            extra = ',"method":"%s","path":"%s","status":%d,"duration_ms":%d.%d,"request_id":"%016x"' % (
                METHODS[(r2 >> 4) % len(METHODS)], _path(r2 >> 8), STATUSES[(r2 >> 20) % len(STATUSES)],
                (r2 >> 26) % 900, (r2 >> 36) % 10, mix(r2))
            return ('{"level":"%s","ts":"%s.%03dZ","logger":"%s","msg":"%s"%s}'
                    % (lvl.lower(), c.iso, (t // 1000000) % 1000, LOGGERS[(r2 >> 40) % len(LOGGERS)], msg,
                       extra)).encode()
        if f == "klog":
            detail = ' %s="%s/%s-%d" duration="%d.%dms"' % (WORDS[(r2 >> 4) % len(WORDS)], "default",
                                                           WORDS[(r2 >> 9) % len(WORDS)], (r2 >> 14) % 100,
                                                           (r2 >> 20) % 300, (r2 >> 30) % 10)
            return self._structured(lvl, '"%s"%s' % (msg[:1].upper() + msg[1:], detail), t, r2 >> 34)
        if f == "logfmt":
            return self._structured(lvl, msg, t, r2 >> 8) + (" component=%s duration=%d.%03ds items=%d" % (
                LOGGERS[(r2 >> 16) % len(LOGGERS)], (r2 >> 22) % 5, (r2 >> 26) % 1000, (r2 >> 36) % 5000)).encode()
        if f == "python":
            return self._structured(lvl, "%s %s %d in %d.%03ds" % (msg, WORDS[(r2 >> 8) % len(WORDS)],
                                                                    (r2 >> 12) % 100000, (r2 >> 30) % 3,
                                                                    (r2 >> 34) % 1000), t, r2 >> 40)
        if f == "color":
            return self._structured(lvl, "%-40s %s=%d peer=%s" % (msg, WORDS[(r2 >> 8) % len(WORDS)],
                                                                  (r2 >> 12) % 10000, PEERS[(r2 >> 30) % len(PEERS)]),
                                    t, 0)
        # plain
        return ("%s %s %d/%d" % (msg, WORDS[(r2 >> 8) % len(WORDS)], (r2 >> 12) % 1000, 1000)).encode()

    def _long(self, i, t, nbytes):
        """A line of exactly nbytes bytes (a JSON-ish payload dump)."""
        head = ('{"level":"debug","msg":"payload dump","seq":%d,"data":"' % i).encode()
        tail = b'"}'
        n = max(0, nbytes - len(head) - len(tail))
        h = hashlib.sha256(b"%d:%d" % (self.seed, i)).hexdigest().encode()
        body = (h * (n // len(h) + 1))[:n]
        out = head + body + tail
        return out[:nbytes] if nbytes < len(out) else out

    def exit_lines(self, exit_code, reason, signalled=False):
        """The last lines of an instance: (texts, structured) for one that exited with exit_code or was
        stopped by a signal (pod deleted). Crash output is raw (it goes to stderr), shutdown messages use
        the container's own format."""
        app = self.fmt
        if signalled or exit_code in (137, 143):
            if app == "nginx":
                return ["{T} [notice] 1#1: signal 15 (SIGTERM) received, exiting", "{T} [notice] 1#1: exit"], False
            if app == "redis":
                return ["1:signal-handler ({R}) Received SIGTERM scheduling shutdown...",
                        "1:M {R} # Redis is now ready to exit, bye bye..."], False
            return ["received signal terminated, shutting down gracefully", "server stopped"], True
        if exit_code == 0:
            return ["work complete", "exiting with status 0"], True
        which = mix(self.seed ^ 0xDEAD) % 3
        if which == 0:
            return ["panic: runtime error: invalid memory address or nil pointer dereference",
                    "[signal SIGSEGV: segmentation violation code=0x1 addr=0x18 pc=0x7a4f3c]",
                    "",
                    "goroutine 1 [running]:",
                    "main.(*App).connect(0x0)",
                    "\t/src/cmd/app/main.go:118 +0x3c",
                    "main.main()",
                    "\t/src/cmd/app/main.go:57 +0x1c5"], False
        if which == 1:
            return ["fatal: failed to connect to database: dial tcp 10.96.12.7:5432: connect: connection refused",
                    "exiting with status %d" % exit_code], False
        return ["Error: Cannot find module '/app/dist/server.js'",
                "    at Module._resolveFilename (node:internal/modules/cjs/loader:1145:15)",
                "    at node:internal/main/run_main_module:28:49 {",
                "  code: 'MODULE_NOT_FOUND',",
                "  requireStack: []",
                "}"], False

    def exit_line(self, text, structured, t):
        if structured:
            return self._fmt_banner(text, t)
        if "{" in text:
            return self._fmt_banner(text, t) if self.fmt in ("nginx", "redis", "plain") else text.encode()
        return text.encode()
