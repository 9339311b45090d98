"""The object store: every object of every kind, the global resourceVersion, the watch history.

Design (see README "Store"):
- One re-entrant lock guards everything. Nothing blocks while holding it: watchers wait on a
  Condition built on it, which releases it while waiting.
- Objects live in `Entry`s, which are immutable once stored: a write replaces the entry. Each entry
  caches its JSON bytes, computed once on first use, so LIST and WATCH of big stores serialise each
  object once per change, not once per request.
- Callers never get a stored dict: `get()` returns a private copy. Hot paths (LIST, selectors,
  printers) may read `Entry.obj` directly but must never mutate it.
- Every write appends an `Event` to a bounded history (deque) used to resume watches; a watch from a
  resourceVersion older than the history gets 410 Expired ("too old resource version").
"""

import bisect
import collections
import json
import threading
import time

from . import util


class Entry:
    """A stored object version. Never mutate `obj` after the entry is stored."""
    __slots__ = ("key", "ns", "name", "obj", "rv", "_json")

    def __init__(self, key, ns, name, obj, rv):
        self.key = key
        self.ns = ns
        self.name = name
        self.obj = obj
        self.rv = rv
        self._json = None

    def json(self):
        """The object serialised as compact JSON bytes (computed once)."""
        data = self._json
        if data is None:
            data = util.dumpb(self.obj)
            self._json = data
        return data

    def copy(self):
        data = self._json
        if data is not None:    # the same round trip as util.deep_copy, without encoding again
            return json.loads(data)
        return util.deep_copy(self.obj)


class Event:
    __slots__ = ("rv", "type", "key", "ns", "name", "entry", "prev")

    def __init__(self, rv, etype, key, ns, name, entry, prev):
        self.rv = rv
        self.type = etype       # ADDED / MODIFIED / DELETED
        self.key = key
        self.ns = ns
        self.name = name
        self.entry = entry      # the new version (for DELETED: the last state, with the deletion's RV)
        self.prev = prev        # the previous version (None for ADDED)


class Gone(Exception):
    """A watch asked for history the store no longer has."""

    def __init__(self, rv, oldest):
        super().__init__("too old resource version: %d (%d)" % (rv, oldest))
        self.rv = rv
        self.oldest = oldest


class Exists(Exception):
    pass


class Missing(Exception):
    pass


class Stale(Exception):
    pass


WATCHER_QUEUE_MAX = 100000   # events queued for one watcher before it is cut off as too slow


class Watcher:
    """A registered watch on one store key (or every key when key is None)."""

    def __init__(self, store, key, ns=None):
        self.store = store
        self.key = key
        self.ns = ns
        self.queue = collections.deque()
        self.cond = threading.Condition(store.lock)
        self.closed = False
        self.overflowed = False

    def _push(self, ev):   # called with the store lock held
        if self.closed:
            return
        if self.ns is not None and ev.ns != self.ns:
            return
        if len(self.queue) >= WATCHER_QUEUE_MAX:
            self.overflowed = True
            self.cond.notify_all()
            return
        self.queue.append(ev)
        self.cond.notify_all()

    def next_events(self, timeout):
        """Block up to `timeout` seconds for events; returns a (possibly empty) list."""
        with self.store.lock:
            if not self.queue and not self.closed and not self.overflowed and timeout > 0:
                self.cond.wait(timeout)
            out = list(self.queue)
            self.queue.clear()
            return out

    def idle_rv(self):
        """The store RV when this watcher has nothing pending (safe for a bookmark), else None."""
        with self.store.lock:
            if self.queue:
                return None
            return self.store.rv

    def close(self):
        with self.store.lock:
            self.closed = True
            self.store._watchers_remove(self)
            self.cond.notify_all()


class Store:
    def __init__(self, history=10000, start_rv=None):
        self.lock = threading.RLock()
        # resourceVersions start from the clock (microseconds), so they keep growing across restarts;
        # everything before the start counts as compacted: a client that resumes a watch from a
        # previous run of the server gets 410 Expired and relists, as after an etcd compaction.
        self.rv = int(start_rv) if start_rv is not None else int(time.time() * 1e6)
        self._data = {}                  # key -> {(ns, name): Entry}
        self._sorted = {}                # key -> sorted list of (ns, name), kept in order on add/remove
        self.history = collections.deque(maxlen=max(1, int(history)))
        self.floor = self.rv             # RV of the newest event dropped from the history
        self._watchers = {}              # key (or None for all) -> set(Watcher)
        self.closed = False

    # ---- reads ---------------------------------------------------------------------------------

    def current_rv(self):
        with self.lock:
            return self.rv

    def get_entry(self, key, ns, name):
        with self.lock:
            return self._data.get(key, {}).get((ns or "", name))

    def get(self, key, ns, name):
        e = self.get_entry(key, ns, name)
        return None if e is None else e.copy()

    def count(self, key):
        with self.lock:
            return len(self._data.get(key, {}))

    def list_entries(self, key, ns=None):
        """(rv, [Entry]) sorted by namespace then name, as etcd key order; ns=None means all."""
        with self.lock:
            bucket = self._data.get(key, {})
            keys = self._sorted.get(key)
            if keys is None:
                keys = sorted(bucket)
                self._sorted[key] = keys
            if ns is None:
                entries = [bucket[k] for k in keys]
            else:   # one namespace is a contiguous run of the sorted keys
                lo = bisect.bisect_left(keys, (ns,))
                hi = bisect.bisect_left(keys, (ns + "\x00",), lo)
                entries = [bucket[k] for k in keys[lo:hi]]
            return self.rv, entries

    def namespace_keys(self, ns):
        """All (key, name) of namespaced objects in namespace ns (for namespace deletion)."""
        with self.lock:
            out = []
            for key, bucket in self._data.items():
                for (n, name) in bucket:
                    if n == ns:
                        out.append((key, name))
            return out

    def keys(self):
        with self.lock:
            return list(self._data)

    # ---- writes --------------------------------------------------------------------------------

    def _next_rv(self):
        self.rv += 1
        return self.rv

    def _record(self, etype, key, ns, name, entry, prev):
        ev = Event(entry.rv, etype, key, ns, name, entry, prev)
        if len(self.history) == self.history.maxlen:
            self.floor = self.history[0].rv
        self.history.append(ev)
        for w in tuple(self._watchers.get(key, ())):
            w._push(ev)
        for w in tuple(self._watchers.get(None, ())):
            w._push(ev)
        return ev

    @staticmethod
    def _stamp(obj, rv):
        md = obj.setdefault("metadata", {})
        md["resourceVersion"] = str(rv)

    def create(self, key, ns, name, obj):
        """Insert a new object (takes ownership of obj). Raises Exists. Returns the Entry."""
        ns = ns or ""
        with self.lock:
            bucket = self._data.setdefault(key, {})
            if (ns, name) in bucket:
                raise Exists()
            rv = self._next_rv()
            self._stamp(obj, rv)
            entry = Entry(key, ns, name, obj, rv)
            bucket[(ns, name)] = entry
            keys = self._sorted.get(key)
            if keys is not None:     # no re-sort of a big kind on the next LIST
                bisect.insort(keys, (ns, name))
            self._record("ADDED", key, ns, name, entry, None)
            return entry

    def mutate(self, key, ns, name, fn):
        """Atomic read-modify-write.

        fn(current_copy, current_entry) is called with the lock held and must return one of:
          None                      no change (returns (None, current_entry))
          ("update", new_obj)       store new_obj as the next version
          ("delete", final_obj)     remove the object; final_obj is its last state
        fn may raise; nothing is changed then. Raises Missing when the object does not exist.
        Returns (event_type or None, Entry).
        """
        ns = ns or ""
        with self.lock:
            bucket = self._data.get(key, {})
            cur = bucket.get((ns, name))
            if cur is None:
                raise Missing()
            res = fn(cur.copy(), cur)
            if res is None:
                return None, cur
            action, obj = res
            rv = self._next_rv()
            self._stamp(obj, rv)
            entry = Entry(key, ns, name, obj, rv)
            if action == "update":
                bucket[(ns, name)] = entry
                self._record("MODIFIED", key, ns, name, entry, cur)
                return "MODIFIED", entry
            if action == "delete":
                del bucket[(ns, name)]
                keys = self._sorted.get(key)
                if keys is not None:
                    i = bisect.bisect_left(keys, (ns, name))
                    if i < len(keys) and keys[i] == (ns, name):
                        del keys[i]
                    else:
                        self._sorted.pop(key, None)
                self._record("DELETED", key, ns, name, entry, cur)
                return "DELETED", entry
            raise ValueError("bad mutate action %r" % (action,))

    def put(self, key, ns, name, obj):
        """Create or replace unconditionally (used by loaders and controllers' internal writes)."""
        ns = ns or ""
        with self.lock:
            try:
                return "ADDED", self.create(key, ns, name, obj)
            except Exists:
                return self.mutate(key, ns, name, lambda cur, e: ("update", obj))

    def remove(self, key, ns, name):
        """Delete unconditionally; returns the DELETED entry or None."""
        try:
            return self.mutate(key, ns, name, lambda cur, e: ("delete", cur))[1]
        except Missing:
            return None

    def drop_key(self, key):
        """Forget every object of a kind without events (used when a CRD is removed)."""
        with self.lock:
            self._data.pop(key, None)
            self._sorted.pop(key, None)

    # ---- watch ---------------------------------------------------------------------------------

    def _watchers_remove(self, w):
        s = self._watchers.get(w.key)
        if s is not None:
            s.discard(w)
            if not s:
                del self._watchers[w.key]

    def watch_from(self, key, ns, since_rv):
        """Register a watcher that first receives every event after since_rv. Raises Gone."""
        with self.lock:
            if since_rv < self.floor:
                raise Gone(since_rv, self.floor)
            w = Watcher(self, key, ns)
            replay = []
            for ev in reversed(self.history):
                if ev.rv <= since_rv:
                    break
                if (key is None or ev.key == key) and (ns is None or ev.ns == ns):
                    replay.append(ev)
            replay.reverse()
            w.queue.extend(replay)
            self._watchers.setdefault(key, set()).add(w)
            return w

    def watch_with_state(self, key, ns):
        """Register a watcher and return (watcher, rv, [Entry]) of the current state, atomically."""
        with self.lock:
            rv, entries = self.list_entries(key, ns)
            w = Watcher(self, key, ns)
            self._watchers.setdefault(key, set()).add(w)
            return w, rv, entries

    def watcher_count(self):
        with self.lock:
            return sum(len(s) for s in self._watchers.values())

    def shutdown(self):
        with self.lock:
            self.closed = True
            for s in list(self._watchers.values()):
                for w in list(s):
                    w.closed = True
                    w.cond.notify_all()
