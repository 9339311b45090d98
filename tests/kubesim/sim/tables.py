"""Server-side Tables (meta.k8s.io/v1 Table) and the printer registry (k8s-api.md §3.4).

A printer is a list of column definitions plus a function that turns one object into its cells. Add one
per kind from your own module:

    from sim import tables
    tables.register_printer("apps/deployments", [
        tables.col("Name", format="name"), tables.col("Ready"), ..., tables.col("Containers", priority=1),
    ], lambda obj, now: [name, ready, ...])

The row function gets the stored object (read-only!) and `now` (epoch seconds) and returns the list of
cells (always the wide set; kubectl hides priority>0 columns), or a dict {"cells": [...],
"conditions": [...]} when the row carries conditions (pods do).
Kinds without a printer get the default Name / Created At table; custom resources use their CRD's
additionalPrinterColumns (set by sim.crd in rt.extra["printer_columns"]).
"""

import time

from . import errors, jsonpath, util

NAME_DESC = ("Name must be unique within a namespace. Cannot be updated. "
             "See the Kubernetes object-names documentation.")
CREATED_DESC = ("CreationTimestamp is when this object was created, in RFC3339 form and UTC. "
                "Set by the system; read-only.")


def col(name, type="string", format="", description="", priority=0):
    """One metav1.TableColumnDefinition."""
    if not description:
        if format == "name":
            description = NAME_DESC
        elif name in ("Age", "Created At"):
            description = CREATED_DESC
    return {"name": name, "type": type, "format": format, "description": description, "priority": priority}


class Printer:
    def __init__(self, columns, row_fn):
        self.columns = columns
        self.row_fn = row_fn


PRINTERS = {}     # store key -> Printer


def register_printer(key, columns, row_fn):
    """Register the table printer for a store key ("pods", "apps/deployments", ...)."""
    PRINTERS[key] = Printer(columns, row_fn)


DEFAULT_COLUMNS = [col("Name", format="name"), col("Created At", type="date")]


def _default_row(obj, now):
    md = obj.get("metadata") or {}
    t = util.parse_time(md.get("creationTimestamp"))
    return [md.get("name", ""), util.rfc3339(t) if t is not None else "0001-01-01T00:00:00Z"]


DEFAULT_PRINTER = Printer(DEFAULT_COLUMNS, _default_row)


def _crd_printer(rt):
    pcs = rt.extra.get("printer_columns")
    if pcs is None:
        return None
    cache = rt.extra.get("_printer")
    if cache is not None and cache[0] is pcs:
        return cache[1]
    columns = [col("Name", format="name")]
    compiled = []
    for pc in pcs:
        columns.append({"name": pc.get("name", ""), "type": pc.get("type", "string"),
                        "format": pc.get("format", ""), "description": pc.get("description", ""),
                        "priority": int(pc.get("priority", 0) or 0)})
        try:
            compiled.append((pc.get("type", "string"), jsonpath.compile_path(pc.get("jsonPath", ""))))
        except jsonpath.JsonPathError:
            compiled.append((pc.get("type", "string"), None))

    def row(obj, now):
        cells = [(obj.get("metadata") or {}).get("name", "")]
        for typ, path in compiled:
            vals = jsonpath.evaluate(path, obj) if path is not None else []
            if not vals:
                cells.append(None)
                continue
            cells.append(_cell_for_json(typ, vals[0], now))
        return cells
    p = Printer(columns, row)
    rt.extra["_printer"] = (pcs, p)
    return p


def _cell_for_json(typ, value, now):
    if value is None:
        return None
    if typ == "string":
        return jsonpath.go_print(value)
    if typ == "integer":
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return int(value)
        return None
    if typ == "number":
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        return None
    if typ == "boolean":
        return value if isinstance(value, bool) else None
    if typ == "date":
        if isinstance(value, str):
            t = util.parse_time(value)
            if t is None:
                return "<invalid>"
            return util.human_duration(now - t)
        return None
    return None


def printer_for(rt):
    p = PRINTERS.get(rt.key)
    if p is not None:
        return p
    if rt.crd:
        p = _crd_printer(rt)
        if p is not None:
            return p
    return DEFAULT_PRINTER


# ---- content negotiation -----------------------------------------------------------------------

class Target:
    """What the client asked for: kind in json | yaml | table | partial (PartialObjectMetadata[List])."""

    def __init__(self, kind, version="v1"):
        self.kind = kind
        self.version = version

    def __repr__(self):
        return "Target(%s,%s)" % (self.kind, self.version)


def _parse_media(clause):
    parts = [p.strip() for p in clause.split(";")]
    mt = parts[0].lower()
    params = {}
    for p in parts[1:]:
        if "=" in p:
            k, v = p.split("=", 1)
            params[k.strip().lower()] = v.strip().strip('"')
    return mt, params


def negotiate(accept):
    """Choose the response form from an Accept header, first acceptable clause wins. Raises 406."""
    if not accept or not accept.strip():
        return Target("json")
    for clause in accept.split(","):
        clause = clause.strip()
        if not clause:
            continue
        mt, params = _parse_media(clause)
        if mt in ("application/json", "application/*", "*/*", "application/vnd.kubernetes.protobuf",
                  "application/yaml"):
            as_ = params.get("as")
            if as_ is None:
                if mt == "application/yaml":
                    return Target("yaml")
                return Target("json")
            if params.get("g") != "meta.k8s.io" or params.get("v") not in ("v1", "v1beta1"):
                continue
            if as_ == "Table":
                return Target("table", params["v"])
            if as_ in ("PartialObjectMetadata", "PartialObjectMetadataList"):
                return Target("partial", params["v"])
            continue
    raise errors.not_acceptable("only the following media types are accepted: application/json, "
                                "application/yaml, application/vnd.kubernetes.protobuf")


def include_object_mode(query):
    mode = query.get("includeObject", "") or "Metadata"
    if mode not in ("Metadata", "Object", "None"):
        raise errors.bad_request('unrecognized includeObject value: "%s"' % mode)
    return mode


# ---- building ------------------------------------------------------------------------------------

def partial_metadata(obj, version="v1"):
    return {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/" + version,
            "metadata": obj.get("metadata") or {}}


def _row_json(printer, obj, obj_json, mode, now, version):
    res = printer.row_fn(obj, now)
    if isinstance(res, dict):
        cells = res.get("cells", [])
        conditions = res.get("conditions")
    else:
        cells, conditions = res, None
    parts = [b'{"cells":', util.dumpb(cells)]
    if conditions:
        parts += [b',"conditions":', util.dumpb(conditions)]
    if mode == "Object":
        parts += [b',"object":', obj_json() if callable(obj_json) else obj_json]
    elif mode == "Metadata":
        parts += [b',"object":', util.dumpb(partial_metadata(obj, version))]
    parts.append(b"}")
    return b"".join(parts)


def table_bytes(rt, items, mode, list_meta, version="v1", headers=True, now=None):
    """Serialise a Table. items: iterable of (obj, json_bytes_or_callable)."""
    if now is None:
        now = time.time()
    printer = printer_for(rt)
    rows = []
    for obj, js in items:
        try:
            rows.append(_row_json(printer, obj, js, mode, now, version))
        except Exception:   # a printer must never take the server down: fall back to the default
            rows.append(_row_json(DEFAULT_PRINTER, obj, js, mode, now, version)
                        if printer is not DEFAULT_PRINTER else b'{"cells":[]}')
    head = [b'{"kind":"Table","apiVersion":"meta.k8s.io/', version.encode(), b'","metadata":',
            util.dumpb(list_meta), b',"columnDefinitions":',
            util.dumpb(printer.columns) if headers else b"null", b',"rows":[']
    return b"".join(head) + b",".join(rows) + b"]}"


def table_dict(rt, objs, mode="Metadata", list_meta=None, version="v1", headers=True, now=None):
    """A Table as a dict (convenient for tests and small responses)."""
    import json
    data = table_bytes(rt, [(o, lambda o=o: util.dumpb(o)) for o in objs], mode, list_meta or {}, version,
                       headers, now)
    return json.loads(data)
