"""LIST: option validation, selectors, resourceVersion semantics and limit/continue pagination.

Pagination keeps a snapshot (the list of immutable store entries at the list's resourceVersion) per
paginated list, so every page comes from the same consistent state, as etcd does. Snapshots expire
after SNAPSHOT_TTL seconds (or when too many are open); a continue token whose snapshot is gone gets
410 Expired with the apiserver's message.
"""

import base64
import collections
import json
import threading
import time

from . import errors, selectors
from .errors import FieldError

SNAPSHOT_TTL = 300.0        # like etcd's default compaction interval
SNAPSHOT_MAX = 256


class ListResult:
    __slots__ = ("rv", "entries", "cont", "remaining")

    def __init__(self, rv, entries, cont=None, remaining=None):
        self.rv = rv
        self.entries = entries
        self.cont = cont
        self.remaining = remaining

    def list_meta(self):
        md = {"resourceVersion": str(self.rv)}
        if self.cont:
            md["continue"] = self.cont
        if self.remaining is not None:
            md["remainingItemCount"] = self.remaining
        return md


class _Snapshots:
    def __init__(self):
        self.lock = threading.Lock()
        self.items = collections.OrderedDict()   # id -> (created, rv, entries)
        self.next_id = 1

    def put(self, rv, entries):
        with self.lock:
            sid = self.next_id
            self.next_id += 1
            self.items[sid] = (time.time(), rv, entries)
            self._expire()
            return sid

    def get(self, sid):
        with self.lock:
            self._expire()
            v = self.items.get(sid)
            if v is not None:
                self.items.move_to_end(sid)
            return v

    def _expire(self):
        now = time.time()
        while self.items:
            sid, (created, _, _) = next(iter(self.items.items()))
            if now - created > SNAPSHOT_TTL or len(self.items) > SNAPSHOT_MAX:
                self.items.popitem(last=False)
            else:
                break


SNAPSHOTS = _Snapshots()


def _q(query, name):
    v = query.get(name)
    return v if v is not None else None


def parse_bool(v):
    return v in ("true", "1", "True", "TRUE")


def validate_list_options(query, watch):
    """metainternalversion validation: 422 with ListOptions.meta.k8s.io causes."""
    errs = []
    match = query.get("resourceVersionMatch") or ""
    rv = query.get("resourceVersion") or ""
    cont = query.get("continue") or ""
    sie = query.get("sendInitialEvents")
    if watch:
        if sie is not None:
            if match != "NotOlderThan":
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"))
        if match:
            if sie is None:
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       "resourceVersionMatch is forbidden for watch unless sendInitialEvents is "
                                       "provided"))
            if match != "NotOlderThan":
                errs.append(FieldError("NotSupported", "resourceVersionMatch", value=match,
                                       supported=["NotOlderThan"]))
            if cont:
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       "resourceVersionMatch is forbidden when continue is provided"))
    else:
        if match:
            if not rv:
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       "resourceVersionMatch is forbidden unless resourceVersion is provided"))
            if cont:
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       "resourceVersionMatch is forbidden when continue is provided"))
            if match not in ("Exact", "NotOlderThan"):
                errs.append(FieldError("NotSupported", "resourceVersionMatch", value=match,
                                       supported=["Exact", "NotOlderThan", ""]))
            if match == "Exact" and rv == "0":
                errs.append(FieldError("Forbidden", "resourceVersionMatch",
                                       'resourceVersionMatch "exact" is forbidden for resourceVersion "0"'))
        if sie is not None:
            errs.append(FieldError("Forbidden", "sendInitialEvents", "sendInitialEvents is forbidden for list"))
    if errs:
        raise errors.invalid("ListOptions", "meta.k8s.io", "", errs)


def parse_selectors(rt, query):
    try:
        lsel = selectors.parse_labels(query.get("labelSelector"))
    except selectors.SelectorError as e:
        raise errors.bad_request(str(e))
    try:
        fsel = selectors.parse_fields(query.get("fieldSelector"))
        selectors.check_fields(rt, fsel)
    except selectors.SelectorError as e:
        raise errors.bad_request(str(e))
    return lsel, fsel


def parse_rv(text):
    try:
        v = int(text)
        if v < 0:
            raise ValueError
        return v
    except (TypeError, ValueError):
        raise errors.bad_request('invalid resource version "%s"' % text)


def encode_continue(rv, sid, offset, last_key):
    raw = json.dumps({"v": "meta.k8s.io/v1", "rv": rv, "start": last_key + "\u0000", "snap": sid,
                      "off": offset}, separators=(",", ":"))
    return base64.b64encode(raw.encode()).decode()


def decode_continue(token):
    try:
        data = json.loads(base64.b64decode(token.encode(), validate=False).decode())
        return int(data["rv"]), int(data["snap"]), int(data["off"])
    except Exception:
        raise errors.bad_request("continue key is not valid: illegal base64 data or JSON")


def matcher(rt, lsel, fsel):
    if lsel.empty() and fsel.empty():
        return None

    def match(obj):
        if not lsel.empty() and not lsel.matches_obj(obj):
            return False
        if not fsel.empty() and not fsel.matches(selectors.field_getter(rt, obj)):
            return False
        return True
    return match


def do_list(api, rt, ns, query):
    """Run a LIST. ns None means all namespaces (or a cluster-scoped kind). Returns a ListResult."""
    validate_list_options(query, watch=False)
    lsel, fsel = parse_selectors(rt, query)
    match = matcher(rt, lsel, fsel)
    limit = 0
    if query.get("limit"):
        try:
            limit = int(query["limit"])
        except ValueError:
            raise errors.bad_request('invalid limit "%s"' % query["limit"])
        if limit < 0:
            limit = 0
    store = api.store
    cont = query.get("continue") or ""
    rv_param = query.get("resourceVersion") or ""
    rv_match = query.get("resourceVersionMatch") or ""
    if cont:
        if rv_param and rv_param != "0":
            raise errors.bad_request("specifying resource version is not allowed when using continue")
        snap_rv, sid, offset = decode_continue(cont)
        snap = SNAPSHOTS.get(sid)
        if snap is None or snap[1] != snap_rv:
            raise errors.expired(errors.CONTINUE_EXPIRED_MSG)
        rv, entries = snap[1], snap[2]
    else:
        current = store.current_rv()
        if rv_param and rv_param != "0":
            want = parse_rv(rv_param)
            if want > current:
                raise errors.too_large_rv(want, current)
            if rv_match == "Exact" and want != current:
                raise errors.expired("The resourceVersion for the provided list is too old.")
        if rv_param == "0" and rv_match != "Exact":
            limit = 0   # served from the watch cache, which ignores limit in 1.32
        name = fsel.single_name()
        if name is not None and (ns is not None or not rt.namespaced):
            with store.lock:
                e = store.get_entry(rt.key, ns or "", name)
                rv = store.rv
            entries = [e] if e is not None else []
        else:
            rv, entries = store.list_entries(rt.key, ns if rt.namespaced else None)
        sid = None
        offset = 0
    out = []
    i = offset
    n = len(entries)
    while i < n:
        e = entries[i]
        i += 1
        if match is None or match(e.obj):
            out.append(e)
            if limit and len(out) >= limit:
                break
    token = None
    remaining = None
    if limit and i < n:
        # is anything left that matches? (etcd would answer with a token anyway; be precise instead)
        more = match is None or any(match(entries[j].obj) for j in range(i, n))
        if more:
            if sid is None:
                sid = SNAPSHOTS.put(rv, entries)
            last = out[-1]
            token = encode_continue(rv, sid, i, "%s/%s" % (last.ns, last.name))
            if match is None:
                remaining = n - i
    return ListResult(rv, out, token, remaining)
