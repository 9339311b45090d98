"""pods/log (k8s-api.md §7): what the apiserver and the kubelet answer to GET .../pods/{name}/log.

The apiserver part: option validation (422 PodLogOptions), choosing the container (400 when a
multi-container pod names none, or names one it does not have), an unscheduled pod (204, no body), a
node that is gone (404) or NotReady (the kubelet cannot be reached: 500). The kubelet part picks the
container instance like validateContainerLogStatus does (previous -> lastState; running; terminated;
lastState; waiting -> 400 "is waiting to start"), then streams its lines from sim.loggen with
tailLines / sinceSeconds / sinceTime / timestamps / limitBytes, and with follow=true keeps the chunked
stream open, writing new lines as the virtual clock reaches them, until the container terminates, the
pod goes away or the client leaves.

Lines per second come from --log-rate (loggen.DEFAULT_RATE) or the pod annotation kubesim.io/log-rate.
Other kubesim-only annotations: kubesim.io/log-format, kubesim.io/log-long-line-bytes,
kubesim.io/log-binary (see README).
"""

import re
import time

from . import errors, loggen, util
from .errors import FieldError
from .resources import REGISTRY
from .server import Response, Stream

ANN_RATE = "kubesim.io/log-rate"
ANN_FORMAT = "kubesim.io/log-format"
ANN_LONG = "kubesim.io/log-long-line-bytes"
ANN_BINARY = "kubesim.io/log-binary"

CHUNK = 64 * 1024
POLL = 0.2              # how often a follow re-reads the pod
MIN_SLEEP = 0.02        # batch lines at high rates: at most ~50 writes per second
MAX_LONG_LINE = 64 * 1024 * 1024

_INT = re.compile(r"^[+-]?[0-9]+$")


def _int_param(query, name):
    v = query.get(name)
    if v is None or v == "":
        return None
    if not _INT.match(v):
        raise errors.bad_request('strconv.ParseInt: parsing "%s": invalid syntax' % v)
    n = int(v)
    if n >= 1 << 63 or n < -(1 << 63):
        raise errors.bad_request('strconv.ParseInt: parsing "%s": value out of range' % v)
    return n


def _bool_param(query, name):
    v = query.get(name)
    if v is None or v == "":
        return False
    if v in ("1", "t", "T", "true", "TRUE", "True"):
        return True
    if v in ("0", "f", "F", "false", "FALSE", "False"):
        return False
    raise errors.bad_request('strconv.ParseBool: parsing "%s": invalid syntax' % v)


class Options:
    def __init__(self, query, name):
        self.container = query.get("container") or ""
        self.follow = _bool_param(query, "follow")
        self.previous = _bool_param(query, "previous")
        self.timestamps = _bool_param(query, "timestamps")
        self.tail = _int_param(query, "tailLines")
        self.limit = _int_param(query, "limitBytes")
        self.since_seconds = _int_param(query, "sinceSeconds")
        st = query.get("sinceTime")
        self.since_time = None
        if st:
            t = util.parse_time(st)
            if t is None or "T" not in st:
                raise errors.bad_request('parsing time "%s" as "2006-01-02T15:04:05Z07:00": cannot parse "%s" as '
                                         '"2006"' % (st, st))
            self.since_time = int(round(t * 1e9))
        errs = []
        if self.tail is not None and self.tail < 0:
            errs.append(FieldError("Invalid", "tailLines", "must be greater than or equal to 0", self.tail))
        if self.limit is not None and self.limit < 1:
            errs.append(FieldError("Invalid", "limitBytes", "must be greater than 0", self.limit))
        if self.since_seconds is not None and self.since_time is not None:
            errs.append(FieldError("Forbidden", "", "at most one of `sinceTime` or `sinceSeconds` may be specified"))
        elif self.since_seconds is not None and self.since_seconds < 1:
            errs.append(FieldError("Invalid", "sinceSeconds", "must be greater than 0", self.since_seconds))
        if errs:
            raise errors.invalid("PodLogOptions", "", name, errs)


def _names(containers):
    return " ".join(c.get("name", "") for c in containers if isinstance(c, dict))


def choose_container(pod, wanted, name):
    spec = pod.get("spec") or {}
    containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
    inits = [c for c in spec.get("initContainers") or [] if isinstance(c, dict)]
    ephemeral = [c for c in spec.get("ephemeralContainers") or [] if isinstance(c, dict)]
    if not wanted:
        if len(containers) == 1:
            return containers[0]
        if not containers:
            raise errors.bad_request("a container name must be specified for pod %s" % name)
        msg = "a container name must be specified for pod %s, choose one of: [%s]" % (name, _names(containers))
        if inits:
            msg += " or one of the init containers: [%s]" % _names(inits)
        raise errors.bad_request(msg)
    for c in containers + inits + ephemeral:
        if c.get("name") == wanted:
            return c
    raise errors.bad_request("container %s is not valid for pod %s" % (wanted, name))


def _status_of(pod, cname):
    st = pod.get("status") or {}
    for key in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for cs in st.get(key) or []:
            if isinstance(cs, dict) and cs.get("name") == cname:
                return cs
    return None


def finished_ns(st, start):
    """The end of a run's log: finishedAt is truncated to the second, so the run really ended within the
    second that follows it."""
    return max(start, _t_ns(st.get("finishedAt"), start) + 999999999)


def _t_ns(text, fallback=None):
    t = util.parse_time(text) if isinstance(text, str) else None
    if t is None:
        return fallback
    return int(round(t * 1e9))


class Instance:
    """One container run: its Source, whether it has ended, and its exit lines."""

    def __init__(self, pod, cs, container, which, index):
        md = pod.get("metadata") or {}
        ann = md.get("annotations") or {}
        self.pod_uid = md.get("uid", "")
        self.cname = container.get("name", "")
        self.which = which            # "running" | "terminated" | "last"
        self.index = index
        st = (cs.get("lastState") or {}).get("terminated") if which == "last" else \
            (cs.get("state") or {}).get(which)
        st = st if isinstance(st, dict) else {}
        self.container_id = st.get("containerID") or cs.get("containerID") or ""
        fallback = _t_ns((pod.get("status") or {}).get("startTime"), _t_ns(md.get("creationTimestamp"), 0))
        self.start = _t_ns(st.get("startedAt"), fallback)
        self.started_at = st.get("startedAt")
        self.end = None
        self.exit_code = None
        self.reason = None
        if which in ("terminated", "last"):
            self.end = finished_ns(st, self.start)
            try:
                self.exit_code = int(st.get("exitCode") or 0)
            except (TypeError, ValueError):
                self.exit_code = 1
            self.reason = st.get("reason") or ""
        rate = loggen.DEFAULT_RATE
        try:
            if ann.get(ANN_RATE) not in (None, ""):
                rate = max(0.0, min(1e6, float(ann[ANN_RATE])))
        except (TypeError, ValueError):
            pass
        long_bytes = 0
        try:
            long_bytes = max(0, min(MAX_LONG_LINE, int(ann.get(ANN_LONG) or 0)))
        except (TypeError, ValueError):
            pass
        binary = str(ann.get(ANN_BINARY) or "").lower() in ("true", "1", "yes")
        seed = loggen.seed_of(self.pod_uid, self.cname, index)
        self.src = loggen.Source(seed, self.start, rate, ann.get(ANN_FORMAT), long_bytes, binary,
                                 container.get("image") or "")
        self.exit = None
        if self.end is not None:
            self.set_end(self.end, self.exit_code, self.reason, False)

    def set_end(self, end_ns, exit_code, reason, signalled):
        self.end = max(self.start, end_ns)
        self.steady = self.src.count_until(self.end)
        texts, structured = self.src.exit_lines(exit_code, reason, signalled)
        self.exit = (texts, structured)

    def total(self, now_ns):
        if self.end is None:
            return self.src.count_until(now_ns)
        return self.steady + len(self.exit[0])

    def time_of(self, k):
        if self.end is not None and k >= self.steady:
            return self.end + (k - self.steady + 1) * loggen.BANNER_STEP_NS
        return self.src.time_of(k)

    def first_at(self, t_ns):
        n = self.src.first_at(t_ns)
        if self.end is None or n < self.steady:
            return n
        k = self.steady
        while k < self.total(0) and self.time_of(k) < t_ns:
            k += 1
        return k

    def line(self, k):
        if self.end is not None and k >= self.steady:
            texts, structured = self.exit
            return self.src.exit_line(texts[k - self.steady], structured, self.time_of(k))
        return self.src.line(k)


def resolve_instance(pod, container, previous, name):
    """validateContainerLogStatus: the instance whose log to read, or a 400."""
    cname = container.get("name", "")
    cs = _status_of(pod, cname)
    if cs is None:
        raise errors.bad_request('container "%s" in pod "%s" is not available' % (cname, name))
    state = cs.get("state") if isinstance(cs.get("state"), dict) else {}
    last = (cs.get("lastState") or {}).get("terminated") if isinstance(cs.get("lastState"), dict) else None
    try:
        restarts = int(cs.get("restartCount") or 0)
    except (TypeError, ValueError):
        restarts = 0
    waiting, running, terminated = state.get("waiting"), state.get("running"), state.get("terminated")
    if previous:
        if not isinstance(last, dict) or not last.get("containerID"):
            raise errors.bad_request('previous terminated container "%s" in pod "%s" not found' % (cname, name))
        return Instance(pod, cs, container, "last", max(0, restarts - 1))
    if isinstance(running, dict):
        return Instance(pod, cs, container, "running", restarts)
    if isinstance(terminated, dict):
        if terminated.get("containerID") or cs.get("containerID"):
            return Instance(pod, cs, container, "terminated", restarts)
        if isinstance(last, dict) and last.get("containerID"):
            return Instance(pod, cs, container, "last", max(0, restarts - 1))
        raise errors.bad_request('container "%s" in pod "%s" is terminated' % (cname, name))
    if isinstance(last, dict):
        if not last.get("containerID"):
            raise errors.bad_request('container "%s" in pod "%s" is terminated' % (cname, name))
        return Instance(pod, cs, container, "last", max(0, restarts - 1))
    if isinstance(waiting, dict):
        reason = waiting.get("reason") or ""
        if reason == "ErrImagePull":
            raise errors.bad_request('container "%s" in pod "%s" is waiting to start: image can\'t be pulled'
                                     % (cname, name))
        if reason == "ImagePullBackOff":
            raise errors.bad_request('container "%s" in pod "%s" is waiting to start: trying and failing to pull '
                                     'image' % (cname, name))
        raise errors.bad_request('container "%s" in pod "%s" is waiting to start: %s' % (cname, name, reason))
    raise errors.bad_request('container "%s" in pod "%s" is waiting to start - no logs yet' % (cname, name))


def _node_error(req, pod, node_name, container, opts):
    """The pod's node as the apiserver's kubelet connection sees it: None when reachable."""
    node = req.api.store.get_entry("nodes", "", node_name)
    if node is None:
        return errors.not_found_gr("", "nodes", node_name)
    conds = (node.obj.get("status") or {}).get("conditions") or []
    ready = any(isinstance(c, dict) and c.get("type") == "Ready" and c.get("status") == "True" for c in conds)
    if ready:
        return None
    ip = "10.0.0.1"
    for a in (node.obj.get("status") or {}).get("addresses") or []:
        if isinstance(a, dict) and a.get("type") == "InternalIP":
            ip = a.get("address") or ip
    params = []
    for key in sorted(("follow", "limitBytes", "previous", "sinceSeconds", "sinceTime", "tailLines",
                       "timestamps")):
        v = req.query.get(key)
        if v not in (None, ""):
            params.append("%s=%s" % (key, v))
    md = pod.get("metadata") or {}
    url = "https://%s:10250/containerLogs/%s/%s/%s" % (ip, md.get("namespace"), md.get("name"),
                                                      container.get("name"))
    if params:
        url += "?" + "&".join(params)
    msg = 'Get "%s": dial tcp %s:10250: connect: no route to host' % (url, ip)
    body = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": msg, "code": 500}
    return Response(500, util.dumpb(body))


class _Writer:
    """Buffers log bytes into chunks and enforces limitBytes."""

    def __init__(self, stream, timestamps, limit):
        self.stream = stream
        self.timestamps = timestamps
        self.left = limit
        self.buf = []
        self.size = 0
        self.clock = loggen._Clock()
        self.done = False      # limit reached or the client went away

    def add(self, t_ns, line):
        if self.done:
            return False
        data = (loggen.rfc3339nano(t_ns, self.clock).encode() + b" " + line + b"\n") if self.timestamps \
            else line + b"\n"
        if self.left is not None:
            if len(data) >= self.left:
                data = data[:self.left]
                self.left = 0
                self.done = True
            else:
                self.left -= len(data)
        self.buf.append(data)
        self.size += len(data)
        if self.size >= CHUNK:
            self.flush()
        return not self.done

    def flush(self):
        if self.buf:
            if not self.stream.write(b"".join(self.buf)):
                self.done = True
            self.buf = []
            self.size = 0
        return not self.done


def _emit(w, inst, lo, hi):
    k = lo
    while k < hi:
        if not w.add(inst.time_of(k), inst.line(k)):
            return k + 1
        k += 1
    return k


def _same_instance(inst, cs):
    """Where this instance is now in a fresh container status: 'running', ('ended', state) or None (gone)."""
    if cs is None:
        return None
    state = cs.get("state") if isinstance(cs.get("state"), dict) else {}
    for which in ("running", "terminated"):
        st = state.get(which)
        if isinstance(st, dict) and st.get("startedAt") == inst.started_at and \
                (st.get("containerID") or cs.get("containerID") or "") == inst.container_id:
            return "running" if which == "running" else ("ended", st)
    last = (cs.get("lastState") or {}).get("terminated") if isinstance(cs.get("lastState"), dict) else None
    if isinstance(last, dict) and last.get("startedAt") == inst.started_at and \
            (last.get("containerID") or "") == inst.container_id:
        return ("ended", last)
    return None


def handle_log(req):
    if req.verb != "get":
        raise errors.method_not_allowed()
    rt = req.rt
    opts = Options(req.query, req.name)
    pod = req.api.get_entry(rt, req.namespace, req.name).obj
    container = choose_container(pod, opts.container, req.name)
    node_name = (pod.get("spec") or {}).get("nodeName")
    if not node_name:
        return Response(204, b"", "text/plain")
    err = _node_error(req, pod, node_name, container, opts)
    if isinstance(err, Response):
        return err
    if err is not None:
        raise err
    inst = resolve_instance(pod, container, opts.previous, req.name)
    now = time.time_ns()
    since = None
    if opts.since_time is not None:
        since = opts.since_time
    elif opts.since_seconds is not None:
        since = now - opts.since_seconds * 1000000000
    total = inst.total(now)
    lo = max(0, total - inst.src.retained())
    if opts.tail is not None:
        lo = max(lo, total - opts.tail)
    if since is not None:
        lo = max(lo, inst.first_at(since))
    stream = Stream(req.handler, 200, "text/plain")
    w = _Writer(stream, opts.timestamps, opts.limit)
    try:
        stream.begin()
        k = _emit(w, inst, lo, total)
        if w.done or not w.flush():
            return None
        if opts.follow and inst.end is None:
            _follow(req, stream, w, inst, k)
    finally:
        w.flush()
        stream.end()
        req.handler.close_connection = not stream.ok
    return None


def _follow(req, stream, w, inst, k):
    store = req.api.store
    ns, name, cname = req.namespace, req.name, inst.cname
    next_poll = 0.0
    while True:
        if store.closed:
            return
        now_wall = time.time()
        if now_wall >= next_poll:
            next_poll = now_wall + POLL
            e = store.get_entry("pods", ns, name)
            pod = e.obj if e is not None else None
            if pod is None or (pod.get("metadata") or {}).get("uid") != inst.pod_uid:
                inst.set_end(max(time.time_ns(), inst.start), 143, "Error", True)
            else:
                where = _same_instance(inst, _status_of(pod, cname))
                if where is None:
                    inst.set_end(max(time.time_ns(), inst.start), 143, "Error", True)
                elif where != "running":
                    st = where[1]
                    try:
                        code = int(st.get("exitCode") or 0)
                    except (TypeError, ValueError):
                        code = 1
                    end = finished_ns(st, inst.start)
                    if k > 0:
                        end = max(end, inst.time_of(k - 1))
                    inst.set_end(end, code, st.get("reason") or "", False)
            if inst.end is not None:
                total = inst.total(0)
                _emit(w, inst, k, total)
                w.flush()
                return
        now = time.time_ns()
        total = inst.total(now)
        if total > k:
            k = _emit(w, inst, k, total)
            if w.done or not w.flush():
                return
        elif stream.peer_gone():
            return
        nxt = inst.time_of(k) if inst.src.interval or k < inst.src.nb else now + int(POLL * 1e9)
        wait = (nxt - time.time_ns()) / 1e9
        wait = max(MIN_SLEEP, min(wait, next_poll - time.time(), POLL))
        time.sleep(wait)


def _register():
    pods = REGISTRY.core("pods")
    if pods is not None:
        pods.handlers["sub:log"] = handle_log


_register()
