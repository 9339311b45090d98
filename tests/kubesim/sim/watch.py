"""WATCH streams (k8s-api.md §4): initial state, history replay, live events, bookmarks, timeouts.

One JSON event per line, written as HTTP chunks and flushed per batch. The handler thread never holds
the store lock while blocking: it waits on its Watcher's condition, which releases the lock.
"""

import base64
import random
import time

from . import errors, listing, tables, util
from .store import Gone

BOOKMARK_INTERVAL = 60.0        # seconds between bookmarks, busy or idle (the apiserver's ~1 minute heartbeat)
BOOKMARK_BEFORE_DEADLINE = 2.0  # the apiserver sends one about 2 s before the watch times out
POLL_SLICE = 1.0                # how often an idle watch checks that its client is still there
DEFAULT_TIMEOUT = (1800, 3600)  # minRequestTimeout .. 2x: used when the client gives no timeoutSeconds
INITIAL_EVENTS_END = "k8s.io/initial-events-end"
# 1.32 adds it beside INITIAL_EVENTS_END (kubernetes/kubernetes#127587; removed again in 1.34)
INITIAL_EVENTS_LIST_BLUEPRINT = "kubernetes.io/initial-events-list-blueprint"


class WatchParams:
    def __init__(self, query):
        listing.validate_list_options(query, watch=True)
        self.rv = query.get("resourceVersion") or ""
        self.bookmarks = listing.parse_bool(query.get("allowWatchBookmarks", ""))
        sie = query.get("sendInitialEvents")
        self.send_initial = None if sie is None else listing.parse_bool(sie)
        t = query.get("timeoutSeconds")
        if t is None or t == "":
            t = query.get("timeout")
            timeout = _parse_go_duration(t) if t else None
        else:
            try:
                timeout = float(int(t))
            except ValueError:
                raise errors.bad_request('invalid timeoutSeconds "%s"' % t)
        if timeout is None or timeout <= 0:
            timeout = float(random.randint(*DEFAULT_TIMEOUT))
        self.timeout = timeout


def _parse_go_duration(text):
    """'32s', '5m0s', '1h', '250ms' -> seconds (None when not parseable)."""
    import re
    total = 0.0
    pos = 0
    units = {"h": 3600, "m": 60, "s": 1, "ms": 0.001, "us": 1e-6, "µs": 1e-6, "ns": 1e-9}
    for m in re.finditer(r"([0-9.]+)(ms|us|µs|ns|h|m|s)", text):
        if m.start() != pos:
            return None
        total += float(m.group(1)) * units[m.group(2)]
        pos = m.end()
    if pos != len(text) or pos == 0:
        return None
    return total


class Encoder:
    """Turns store objects into event lines, as JSON objects or one-row Tables."""

    def __init__(self, api, rt, target, include_mode):
        self.api = api
        self.rt = rt
        self.target = target
        self.mode = include_mode
        self.first_table = True

    def obj_bytes(self, entry_obj, entry_json_fn):
        if self.target.kind == "table":
            head = self.first_table
            self.first_table = False
            obj = self.api.out(self.rt, entry_obj)
            return tables.table_bytes(self.rt, [(obj, entry_json_fn)], self.mode,
                                      {"resourceVersion": (obj.get("metadata") or {}).get("resourceVersion", "")},
                                      self.target.version, headers=head)
        if self.target.kind == "partial":
            obj = self.api.out(self.rt, entry_obj)
            return util.dumpb(tables.partial_metadata(obj, self.target.version))
        return entry_json_fn()

    def event(self, etype, entry):
        js = self.obj_bytes(entry.obj, lambda: self.api.out_json(self.rt, entry))
        return b'{"type":"' + etype.encode() + b'","object":' + js + b"}\n"

    def bookmark(self, rv, initial_end=False):
        md = {"resourceVersion": str(rv), "creationTimestamp": None}
        if initial_end:
            md["annotations"] = {INITIAL_EVENTS_END: "true"}
            if self.target.kind not in ("table", "partial"):    # their blueprints are not modelled
                md["annotations"][INITIAL_EVENTS_LIST_BLUEPRINT] = self.list_blueprint()
        if self.target.kind == "table":
            obj = {"kind": "Table", "apiVersion": "meta.k8s.io/" + self.target.version,
                   "metadata": {"resourceVersion": str(rv)}, "columnDefinitions": None, "rows": None}
        elif self.target.kind == "partial":
            obj = {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/" + self.target.version,
                   "metadata": md}
        else:
            obj = {"kind": self.rt.kind, "apiVersion": self.rt.api_version, "metadata": md}
        return b'{"type":"BOOKMARK","object":' + util.dumpb(obj) + b"}\n"

    def list_blueprint(self):
        """An empty list of the watched kind as the apiserver's JSON encoder writes it (a typed list,
        or an unstructured one for custom resources, whose keys Go sorts), base64-encoded: what the
        1.32 apiserver puts on the bookmark that ends a streaming list's initial events, so a client
        can build the list a LIST would have returned."""
        if self.rt.crd:
            doc = {"apiVersion": self.rt.api_version, "items": [], "kind": self.rt.list_kind}
        else:
            doc = {"kind": self.rt.list_kind, "apiVersion": self.rt.api_version, "metadata": {}, "items": None}
        return base64.b64encode(util.dumpb(doc) + b"\n").decode()

    @staticmethod
    def error(status):
        return b'{"type":"ERROR","object":' + util.dumpb(status) + b"}\n"


def serve(stream, api, rt, ns, query, target, include_mode):
    """Run a watch on `stream` (an object with write(bytes) -> bool, peer_gone() -> bool)."""
    params = WatchParams(query)
    lsel, fsel = listing.parse_selectors(rt, query)
    match = listing.matcher(rt, lsel, fsel)
    store = api.store
    key_ns = ns if rt.namespaced else None
    enc = Encoder(api, rt, target, include_mode)

    start = time.time()
    deadline = start + params.timeout
    initial = []
    initial_end_rv = None
    watcher = None
    error_line = None

    if params.rv not in ("", "0"):
        since = listing.parse_rv(params.rv)
        current = store.current_rv()
        if since > current:
            raise errors.too_large_rv(since, current)
    if params.send_initial is True or (params.send_initial is None and params.rv in ("", "0")):
        # the current state is "not older than" any RV the client may name (checked above)
        watcher, snap_rv, entries = store.watch_with_state(rt.key, key_ns)
        initial = [e for e in entries if match is None or match(e.obj)]
        if params.send_initial is True:
            initial_end_rv = snap_rv
    elif params.rv in ("", "0"):
        watcher = store.watch_from(rt.key, key_ns, store.current_rv())
    else:
        try:
            watcher = store.watch_from(rt.key, key_ns, listing.parse_rv(params.rv))
        except Gone as g:
            error_line = enc.error(errors.too_old_rv(g.rv, g.oldest).status())

    stream.begin()
    try:
        if error_line is not None:
            stream.write(error_line)
            return
        # bookmarks are due on the clock (every BOOKMARK_INTERVAL, and before the deadline), busy or idle,
        # as the apiserver's cacher schedules them
        last_bookmark = time.time()
        # initial state, in chunks so a big store streams without building one huge buffer
        buf = []
        size = 0
        for e in initial:
            line = enc.event("ADDED", e)
            buf.append(line)
            size += len(line)
            if size > 256 * 1024:
                if not stream.write(b"".join(buf)):
                    return
                buf, size = [], 0
        if initial_end_rv is not None and params.bookmarks:
            buf.append(enc.bookmark(initial_end_rv, initial_end=True))
        if buf:
            if not stream.write(b"".join(buf)):
                return
            last_bookmark = time.time()
        sent_deadline_bookmark = False
        while True:
            now = time.time()
            if now >= deadline or store.closed:
                return
            wait = min(deadline - now, POLL_SLICE)
            if params.bookmarks and not sent_deadline_bookmark and params.timeout > BOOKMARK_BEFORE_DEADLINE:
                wait = min(wait, max(0.0, deadline - BOOKMARK_BEFORE_DEADLINE - now))
            if params.bookmarks:
                wait = min(wait, max(0.0, last_bookmark + BOOKMARK_INTERVAL - now))
            events = watcher.next_events(wait)
            if watcher.overflowed:
                return
            out = []
            for ev in events:
                etype = _event_type(ev, match)
                if etype is not None:
                    out.append(enc.event(etype, ev.entry))
            now = time.time()
            if out:
                if not stream.write(b"".join(out)):
                    return
            if params.bookmarks:
                due_idle = now >= last_bookmark + BOOKMARK_INTERVAL
                due_deadline = (not sent_deadline_bookmark and params.timeout > BOOKMARK_BEFORE_DEADLINE
                                and now >= deadline - BOOKMARK_BEFORE_DEADLINE)
                if due_idle or due_deadline:
                    rv = watcher.idle_rv()
                    if rv is None and events:   # busy: every event up to the last one drained is out
                        rv = events[-1].rv
                    if rv is not None:
                        if not stream.write(enc.bookmark(rv)):
                            return
                        last_bookmark = now
                        if due_deadline:
                            sent_deadline_bookmark = True
                        continue
            if out:
                continue
            if stream.peer_gone():
                return
    finally:
        if watcher is not None:
            watcher.close()
        stream.end()


def _event_type(ev, match):
    """The event a selector-filtered watch sees (an object leaving the selection is DELETED)."""
    if match is None:
        return ev.type
    if ev.type == "ADDED":
        return "ADDED" if match(ev.entry.obj) else None
    if ev.type == "DELETED":
        return "DELETED" if match(ev.entry.obj) else None
    new = match(ev.entry.obj)
    old = ev.prev is not None and match(ev.prev.obj)
    if new and old:
        return "MODIFIED"
    if new:
        return "ADDED"
    if old:
        return "DELETED"
    return None
