"""A small JSONPath evaluator: the subset used by CRD additionalPrinterColumns and printers.

Supports `.a.b`, `{.a.b}`, `['a.b']`, `[0]`, `[-1]`, `[*]`, `..` is not supported, and filters
`[?(@.type=="Ready")]` with ==, != and a bare `[?(@.x)]` existence test.
"""

import json
import re

_TOKEN_RE = re.compile(r"""
    \.(?P<name>[A-Za-z0-9_\-$]+)           # .name
  | \[\s*'(?P<qname>[^']*)'\s*\]            # ['name']
  | \[\s*"(?P<dqname>[^"]*)"\s*\]           # ["name"]
  | \[\s*(?P<index>-?\d+)\s*\]              # [0]
  | \[\s*\*\s*\]|\.\*                       # [*] or .*
  | \[\?\(\s*@(?P<fpath>[.\w\-\[\]']*)\s*(?:(?P<fop>==|!=)\s*(?P<fval>"[^"]*"|'[^']*'|[^)\s]+))?\s*\)\]
""", re.X)


class JsonPathError(Exception):
    pass


def compile_path(expr):
    expr = (expr or "").strip()
    if expr.startswith("{") and expr.endswith("}"):
        expr = expr[1:-1].strip()
    if expr.startswith("$"):
        expr = expr[1:]
    steps = []
    pos = 0
    while pos < len(expr):
        m = _TOKEN_RE.match(expr, pos)
        if not m:
            raise JsonPathError("unrecognized jsonpath at %r" % expr[pos:])
        if m.group("name") is not None:
            steps.append(("key", m.group("name")))
        elif m.group("qname") is not None:
            steps.append(("key", m.group("qname")))
        elif m.group("dqname") is not None:
            steps.append(("key", m.group("dqname")))
        elif m.group("index") is not None:
            steps.append(("index", int(m.group("index"))))
        elif m.group("fpath") is not None:
            val = m.group("fval")
            if val is not None:
                if val[:1] in "\"'":
                    val = val[1:-1]
                else:
                    try:
                        val = json.loads(val)
                    except ValueError:
                        pass
            steps.append(("filter", (compile_path(m.group("fpath")) if m.group("fpath") else [],
                                     m.group("fop"), val)))
        else:
            steps.append(("all", None))
        pos = m.end()
    return steps


def evaluate(steps, obj):
    """All values the path selects, in order."""
    cur = [obj]
    for kind, arg in steps:
        nxt = []
        for v in cur:
            if kind == "key":
                if isinstance(v, dict) and arg in v:
                    nxt.append(v[arg])
            elif kind == "index":
                if isinstance(v, list) and -len(v) <= arg < len(v):
                    nxt.append(v[arg])
            elif kind == "all":
                if isinstance(v, list):
                    nxt.extend(v)
                elif isinstance(v, dict):
                    nxt.extend(v.values())
            elif kind == "filter":
                path, op, want = arg
                if not isinstance(v, list):
                    continue
                for item in v:
                    got = evaluate(path, item) if path else [item]
                    if op is None:
                        if got:
                            nxt.append(item)
                    elif op == "==":
                        if got and _eq(got[0], want):
                            nxt.append(item)
                    elif op == "!=":
                        if got and not _eq(got[0], want):
                            nxt.append(item)
        cur = nxt
    return cur


def _eq(a, b):
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return a == b
    return str(a) == str(b) if not isinstance(a, (dict, list)) else a == b


def go_print(value):
    """How Go's jsonpath printer renders one value (strings raw, other values as JSON)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, separators=(",", ":"))
