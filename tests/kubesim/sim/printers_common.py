"""Helpers shared by the server-side table printers (sim/printers_*.py).

They reproduce the small formatting functions the 1.32 apiserver's printers rely on:
resource.Quantity.String(), labels.FormatLabels, metav1.FormatLabelSelector, the container name/image
cells, access-mode abbreviations, IntOrString, and "a,b,c + N more..." lists.
"""

import re
from fractions import Fraction

from . import util

# ---- resource.Quantity ----------------------------------------------------------------------------

_BINARY = {"Ki": 10, "Mi": 20, "Gi": 30, "Ti": 40, "Pi": 50, "Ei": 60}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {v: k for k, v in _DECIMAL.items()}
_BINARY_SUFFIX = {v: k for k, v in _BINARY.items()}
_QTY = re.compile(r"^([+-]?)(\d*)(?:\.(\d*))?(.*)$")
_EXP = re.compile(r"^[eE]([+-]?\d+)$")


class QuantityError(ValueError):
    pass


def parse_quantity(text):
    """(value as Fraction, format) where format is 'BinarySI', 'DecimalSI' or 'DecimalExponent'."""
    if isinstance(text, bool):
        raise QuantityError("not a quantity")
    if isinstance(text, int):
        return Fraction(text), "DecimalSI"
    if isinstance(text, float):
        return Fraction(text).limit_denominator(10 ** 9), "DecimalSI"
    if not isinstance(text, str):
        raise QuantityError("not a quantity")
    s = text.strip()
    m = _QTY.match(s)
    if not s or not m:
        raise QuantityError("quantities must match the regular expression")
    sign, whole, frac, suffix = m.groups()
    if not whole and not frac:
        raise QuantityError("quantities must match the regular expression")
    value = Fraction(int(whole or "0"))
    if frac:
        value += Fraction(int(frac), 10 ** len(frac))
    if suffix in _BINARY:
        value *= 2 ** _BINARY[suffix]
        fmt = "BinarySI"
    elif suffix in _DECIMAL:
        value *= Fraction(10) ** _DECIMAL[suffix]
        fmt = "DecimalSI"
    else:
        em = _EXP.match(suffix)
        if not em:
            raise QuantityError("unable to parse quantity's suffix")
        value *= Fraction(10) ** int(em.group(1))
        fmt = "DecimalExponent"
    if sign == "-":
        value = -value
    return value, fmt


def _nano_round_up(value):
    """The value in units of 1e-9, rounded away from zero (the apiserver keeps at most nano precision)."""
    scaled = abs(value) * 10 ** 9
    n = -(-scaled.numerator // scaled.denominator)
    return n if value >= 0 else -n


def format_quantity(value, fmt):
    """Quantity.String(): canonical form, keeping the suffix family (1.5Gi -> 1536Mi, 1.5 -> 1500m)."""
    if value == 0:
        return "0"
    nano = _nano_round_up(value)
    if nano == 0:
        return "0"
    if fmt == "BinarySI":
        if -1024 < value < 1024 or nano % 10 ** 9 != 0:
            fmt = "DecimalSI"
        else:
            amount = nano // 10 ** 9
            exp = 0
            while amount % 1024 == 0 and exp < 60:
                amount //= 1024
                exp += 10
            return "%d%s" % (amount, _BINARY_SUFFIX.get(exp, ""))
    mantissa = nano
    exp = -9
    while mantissa % 10 == 0:
        mantissa //= 10
        exp += 1
    r = exp % 3
    if r == 1:
        mantissa *= 10
        exp -= 1
    elif r == 2:
        mantissa *= 100
        exp -= 2
    if fmt == "DecimalExponent":
        return "%d%s" % (mantissa, "" if exp == 0 else "e%d" % exp)
    if exp in _DECIMAL_SUFFIX:
        return "%d%s" % (mantissa, _DECIMAL_SUFFIX[exp])
    return "%de%d" % (mantissa, exp)


def quantity_string(text, missing="0"):
    """The canonical string of a quantity as found in an object; `missing` when absent."""
    if text is None or text == "":
        return missing
    try:
        value, fmt = parse_quantity(text)
    except QuantityError:
        return str(text)
    return format_quantity(value, fmt)


# ---- labels and selectors ---------------------------------------------------------------------------

def format_labels(labels):
    """labels.FormatLabels: sorted k=v joined by ',', '<none>' when empty."""
    if not isinstance(labels, dict) or not labels:
        return "<none>"
    return ",".join("%s=%s" % (k, "" if labels[k] is None else labels[k]) for k in sorted(labels))


def _requirements(sel):
    """[(key, string)] of a metav1.LabelSelector, or None when it is invalid."""
    reqs = []
    ml = sel.get("matchLabels") or {}
    if not isinstance(ml, dict):
        return None
    for k, v in ml.items():
        reqs.append((k, "%s=%s" % (k, v)))
    exprs = sel.get("matchExpressions") or []
    if not isinstance(exprs, list):
        return None
    for e in exprs:
        if not isinstance(e, dict):
            return None
        key, op = e.get("key") or "", e.get("operator")
        vals = e.get("values") or []
        if not isinstance(vals, list):
            return None
        vals = sorted(set(str(v) for v in vals))
        if op == "In":
            if not vals:
                return None
            reqs.append((key, "%s in (%s)" % (key, ",".join(vals))))
        elif op == "NotIn":
            if not vals:
                return None
            reqs.append((key, "%s notin (%s)" % (key, ",".join(vals))))
        elif op == "Exists":
            reqs.append((key, key))
        elif op == "DoesNotExist":
            reqs.append((key, "!" + key))
        else:
            return None
    return reqs


def selector_string(sel, nothing=""):
    """metav1.LabelSelectorAsSelector(sel).String(); '<invalid>' style errors return None."""
    if not isinstance(sel, dict):
        return nothing
    reqs = _requirements(sel)
    if reqs is None:
        return None
    reqs.sort(key=lambda r: r[0])
    return ",".join(r[1] for r in reqs)


def format_label_selector(sel):
    """metav1.FormatLabelSelector: '<none>' for a nil or empty selector, '<error>' for a bad one."""
    s = selector_string(sel)
    if s is None:
        return "<error>"
    return s or "<none>"


# ---- cells used by several printers ---------------------------------------------------------------------

def containers_cells(pod_spec):
    """layoutContainerCells: (names, images), comma-joined."""
    cs = (pod_spec or {}).get("containers") if isinstance(pod_spec, dict) else None
    if not isinstance(cs, list):
        return "", ""
    cs = [c for c in cs if isinstance(c, dict)]
    return ",".join(str(c.get("name") or "") for c in cs), ",".join(str(c.get("image") or "") for c in cs)


def template_spec(obj, *path):
    """obj[path...]['template']['spec'] tolerant of missing parts."""
    cur = obj
    for p in path + ("template", "spec"):
        if not isinstance(cur, dict):
            return {}
        cur = cur.get(p)
    return cur if isinstance(cur, dict) else {}


_MODES = [("ReadWriteOnce", "RWO"), ("ReadOnlyMany", "ROX"), ("ReadWriteMany", "RWX"), ("ReadWriteOncePod", "RWOP")]


def access_modes(modes):
    """helper.GetAccessModesAsString: RWO,ROX,RWX,RWOP in that order."""
    modes = modes if isinstance(modes, list) else []
    return ",".join(short for full, short in _MODES if full in modes)


def int_or_string(v):
    """intstr.IntOrString.String()."""
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, (int, float)):
        return str(int(v))
    return str(v)


def list_with_more(items, limit=3, empty="<unset>"):
    """listWithMoreString: the first `limit` items, then ' + N more...'."""
    shown = items[:limit]
    ret = ",".join(shown)
    if len(items) > limit:
        return "%s + %d more..." % (ret, len(items) - limit)
    return ret or empty


def i64(v, default=0):
    """An int64 cell from a JSON number (missing or malformed -> default)."""
    if isinstance(v, bool):
        return default
    if isinstance(v, int):
        return v
    if isinstance(v, float):
        return int(v)
    return default


def name_of(obj):
    return (obj.get("metadata") or {}).get("name", "")


def age_of(obj, now):
    return util.age((obj.get("metadata") or {}).get("creationTimestamp"), now)


def d(obj, *path):
    """A nested dict value (None when any part is missing or not a dict)."""
    cur = obj
    for p in path:
        if not isinstance(cur, dict):
            return None
        cur = cur.get(p)
    return cur
