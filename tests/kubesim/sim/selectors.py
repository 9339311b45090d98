"""Label and field selectors, parsed and matched as k8s.io/apimachinery does (labels.Parse, fields.ParseSelector).

Parse errors raise SelectorError with the apimachinery message; the server answers 400 BadRequest with it.
"""

import re


class SelectorError(Exception):
    pass


# ---- label selectors --------------------------------------------------------------------------

_SPECIAL = "=!(),<>"
_SPECIAL_TOKENS = {"=": "EQ", "==": "DEQ", "!=": "NEQ", "!": "NOT", "(": "OPEN", ")": "CLOSE", ",": "COMMA",
                   ">": "GT", "<": "LT"}

_QNAME_RE = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")
_VALUE_RE = re.compile(r"(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?")
_DNS1123_SUB_RE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")

_QNAME_MSG = ("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
              "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
              "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")
_VALUE_MSG = ("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
              "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or "
              "'12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")


def _lex(text):
    """Tokens as (type, literal). Identifiers are runs of anything but whitespace and specials."""
    out = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c.isspace():
            i += 1
            continue
        if c in _SPECIAL:
            lit = c
            j = i + 1
            while j < n and text[j] in _SPECIAL and (lit + text[j]) in _SPECIAL_TOKENS:
                lit += text[j]
                j += 1
            out.append((_SPECIAL_TOKENS.get(lit, "ERROR"), lit))
            i = j
            continue
        j = i
        while j < n and not text[j].isspace() and text[j] not in _SPECIAL:
            j += 1
        out.append(("ID", text[i:j]))
        i = j
    out.append(("END", ""))
    return out


def _qualified_name_errors(key):
    errs = []
    parts = key.split("/")
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            errs.append("prefix part must be non-empty")
        elif len(prefix) > 253 or not _DNS1123_SUB_RE.fullmatch(prefix):
            errs.append("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                        "'example.com', regex used for validation is "
                        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")
    else:
        return ["a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start "
                "and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
                "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS "
                "subdomain prefix and '/' (e.g. 'example.com/MyName')"]
    if not name:
        errs.append("name part must be non-empty")
    else:
        if len(name) > 63:
            errs.append("name part must be no more than 63 characters")
        if not _QNAME_RE.fullmatch(name):
            errs.append(_QNAME_MSG)
    return errs


class Requirement:
    __slots__ = ("key", "op", "values")

    def __init__(self, key, op, values):
        self.key = key
        self.op = op            # in notin = == != exists !  gt lt
        self.values = values

    def matches(self, labels):
        has = self.key in labels
        v = labels.get(self.key)
        op = self.op
        if op in ("=", "==", "in"):
            return has and v in self.values
        if op in ("!=", "notin"):
            return (not has) or v not in self.values
        if op == "exists":
            return has
        if op == "!":
            return not has
        if op in ("gt", "lt"):
            if not has:
                return False
            try:
                lv = int(v)
            except ValueError:
                return False
            rv = int(self.values[0])
            return lv > rv if op == "gt" else lv < rv
        return False


def _new_requirement(key, op, values):
    errs = _qualified_name_errors(key)
    if errs:
        raise SelectorError('key: Invalid value: "%s": %s' % (key, "; ".join(errs)))
    if op in ("in", "notin"):
        if not values:
            raise SelectorError("values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty")
    elif op in ("=", "==", "!="):
        if len(values) != 1:
            raise SelectorError("values: Invalid value: %s: exact-match compatibility requires one single value"
                                % _go_list(values))
    elif op in ("exists", "!"):
        if values:
            raise SelectorError("values: Invalid value: %s: values set must be empty for exists and does not "
                                "exist" % _go_list(values))
    elif op in ("gt", "lt"):
        if len(values) != 1:
            raise SelectorError("values: Invalid value: %s: for 'Gt', 'Lt' operators, exactly one value is "
                                "required" % _go_list(values))
        try:
            int(values[0])
        except ValueError:
            raise SelectorError('values[0]: Invalid value: "%s": for \'Gt\', \'Lt\' operators, the value must '
                                'be an integer' % values[0])
    for i, v in enumerate(values):
        if len(v) > 63:
            raise SelectorError('values[%d][%s]: Invalid value: "%s": must be no more than 63 characters'
                                % (i, key, v))
        if not _VALUE_RE.fullmatch(v):
            raise SelectorError('values[%d][%s]: Invalid value: "%s": %s' % (i, key, v, _VALUE_MSG))
    return Requirement(key, op, sorted(set(values)) if op in ("in", "notin") else list(values))


def _go_list(values):
    return "[" + " ".join(values) + "]"


class _LabelParser:
    def __init__(self, text):
        self.toks = _lex(text)
        self.pos = 0

    def peek(self, ctx="values"):
        t, lit = self.toks[self.pos]
        return self._ctx(t, lit, ctx)

    def take(self, ctx="values"):
        t, lit = self.toks[self.pos]
        if t != "END":
            self.pos += 1
        return self._ctx(t, lit, ctx)

    @staticmethod
    def _ctx(t, lit, ctx):
        # 'in' and 'notin' are keywords only where an operator is expected
        if t == "ID" and ctx == "op" and lit in ("in", "notin"):
            return (lit.upper(), lit)
        return t, lit

    def parse(self):
        reqs = []
        while True:
            t, lit = self.peek()
            if t in ("ID", "NOT"):
                try:
                    reqs.append(self.requirement())
                except SelectorError as e:
                    raise SelectorError("unable to parse requirement: %s" % e)
                t, lit = self.take()
                if t == "END":
                    return reqs
                if t == "COMMA":
                    t2, l2 = self.peek()
                    if t2 not in ("ID", "NOT"):
                        raise SelectorError("found '%s', expected: identifier after ','" % l2)
                    continue
                raise SelectorError("found '%s', expected: ',' or 'end of string'" % lit)
            if t == "END":
                return reqs
            raise SelectorError("found '%s', expected: !, identifier, or 'end of string'" % lit)

    def requirement(self):
        op = None
        t, lit = self.take()
        if t == "NOT":
            op = "!"
            t, lit = self.take()
        if t != "ID":
            raise SelectorError("found '%s', expected: identifier" % lit)
        key = lit
        errs = _qualified_name_errors(key)
        if errs:
            raise SelectorError('key: Invalid value: "%s": %s' % (key, "; ".join(errs)))
        t2, _ = self.peek()
        if t2 in ("END", "COMMA"):
            if op is None:
                op = "exists"
        if op in ("exists", "!"):
            return _new_requirement(key, op, [])
        t, lit = self.take("op")
        ops = {"IN": "in", "NOTIN": "notin", "EQ": "=", "DEQ": "==", "NEQ": "!=", "GT": "gt", "LT": "lt"}
        if t not in ops:
            raise SelectorError("found '%s', expected: in, notin, =, ==, !=, gt, lt" % lit)
        op = ops[t]
        if op in ("in", "notin"):
            values = self.set_values()
        else:
            values = self.exact_value()
        return _new_requirement(key, op, values)

    def exact_value(self):
        t, _ = self.peek()
        if t in ("END", "COMMA"):
            return [""]
        t, lit = self.take()
        if t == "ID":
            return [lit]
        raise SelectorError("found '%s', expected: identifier" % lit)

    def set_values(self):
        t, lit = self.take()
        if t != "OPEN":
            raise SelectorError("found '%s' expected: '('" % lit)
        t, lit = self.peek()
        if t in ("ID", "COMMA"):
            values = self.id_list()
            t2, _ = self.take()
            if t2 != "CLOSE":
                raise SelectorError("found '%s', expected: ')'" % lit)
            return values
        if t == "CLOSE":
            self.take()
            return [""]
        raise SelectorError("found '%s', expected: ',', ')' or identifier" % lit)

    def id_list(self):
        values = []
        while True:
            t, lit = self.take()
            if t == "ID":
                values.append(lit)
                t2, l2 = self.peek()
                if t2 == "COMMA":
                    continue
                if t2 == "CLOSE":
                    return values
                raise SelectorError("found '%s', expected: ',' or ')'" % l2)
            if t == "COMMA":
                if not values:
                    values.append("")
                t2, _ = self.peek()
                if t2 == "CLOSE":
                    values.append("")
                    return values
                if t2 == "COMMA":
                    self.take()
                    values.append("")
                continue
            raise SelectorError("found '%s', expected: ',', or identifier" % lit)


class LabelSelector:
    def __init__(self, requirements):
        self.requirements = requirements

    def empty(self):
        return not self.requirements

    def matches(self, labels):
        labels = labels or {}
        for r in self.requirements:
            if not r.matches(labels):
                return False
        return True

    def matches_obj(self, obj):
        return self.matches((obj.get("metadata") or {}).get("labels") or {})


def parse_labels(text):
    """Parse a labelSelector query value. Raises SelectorError."""
    if text is None or text.strip() == "":
        return LabelSelector([])
    return LabelSelector(_LabelParser(text).parse())


def selector_from_label_selector(sel):
    """A metav1.LabelSelector (matchLabels/matchExpressions) as a LabelSelector; None matches nothing."""
    if sel is None:
        return None
    reqs = []
    for k, v in sorted((sel.get("matchLabels") or {}).items()):
        reqs.append(Requirement(k, "=", [str(v)]))
    for e in sel.get("matchExpressions") or []:
        op = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}.get(e.get("operator"))
        if op is None:
            return None
        reqs.append(Requirement(e.get("key", ""), op, list(e.get("values") or [])))
    return LabelSelector(reqs)


def label_selector_string(sel):
    """metav1.FormatLabelSelector: the string form of a metav1.LabelSelector ("<none>" when empty)."""
    if sel is None:
        return "<none>"
    parts = []
    for k, v in sorted((sel.get("matchLabels") or {}).items()):
        parts.append("%s=%s" % (k, v))
    for e in sel.get("matchExpressions") or []:
        op = e.get("operator")
        vals = ",".join(sorted(e.get("values") or []))
        if op == "In":
            parts.append("%s in (%s)" % (e.get("key"), vals))
        elif op == "NotIn":
            parts.append("%s notin (%s)" % (e.get("key"), vals))
        elif op == "Exists":
            parts.append(e.get("key"))
        elif op == "DoesNotExist":
            parts.append("!" + e.get("key"))
    s = ",".join(parts)
    if not s:
        return "<none>"
    return s


# ---- field selectors --------------------------------------------------------------------------

class FieldRequirement:
    __slots__ = ("field", "op", "value")

    def __init__(self, field, op, value):
        self.field = field
        self.op = op        # "=" or "!="
        self.value = value


def _split_terms(text):
    terms, cur, esc = [], [], False
    for c in text:
        if esc:
            cur.append("\\" + c)
            esc = False
        elif c == "\\":
            esc = True
        elif c == ",":
            terms.append("".join(cur))
            cur = []
        else:
            cur.append(c)
    if esc:
        cur.append("\\")
    terms.append("".join(cur))
    return terms


def _unescape(value):
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\":
            if i + 1 >= len(value):
                raise SelectorError("invalid field selector: unterminated escape sequence")
            nxt = value[i + 1]
            if nxt not in "\\,=":
                raise SelectorError("invalid field selector: invalid escape sequence: \\%s" % nxt)
            out.append(nxt)
            i += 2
            continue
        if c in ",=":
            raise SelectorError("invalid field selector: unescaped %s" % c)
        out.append(c)
        i += 1
    return "".join(out)


class FieldSelector:
    def __init__(self, reqs):
        self.reqs = reqs

    def empty(self):
        return not self.reqs

    def single_name(self):
        """The name when the selector is exactly metadata.name=X (a watch of a single object)."""
        if len(self.reqs) == 1 and self.reqs[0].field == "metadata.name" and self.reqs[0].op == "=":
            return self.reqs[0].value
        return None

    def matches(self, fields_of):
        """fields_of(field) -> str value of that field for the object."""
        for r in self.reqs:
            v = fields_of(r.field)
            if r.op == "=":
                if v != r.value:
                    return False
            elif v == r.value:
                return False
        return True


def parse_fields(text):
    """Parse a fieldSelector query value (only =, == and !=). Raises SelectorError."""
    if text is None or text.strip() == "":
        return FieldSelector([])
    reqs = []
    for term in _split_terms(text):
        if term == "":
            continue
        for op, norm in (("!=", "!="), ("==", "="), ("=", "=")):
            idx = _find_unescaped(term, op)
            if idx >= 0:
                field = term[:idx]
                value = _unescape(term[idx + len(op):])
                reqs.append(FieldRequirement(field, norm, value))
                break
        else:
            raise SelectorError("invalid selector: '%s'; can't understand '%s'" % (text, term))
    return FieldSelector(reqs)


def _find_unescaped(term, op):
    i = 0
    while i < len(term):
        if term[i] == "\\":
            i += 2
            continue
        if term.startswith(op, i):
            return i
        i += 1
    return -1


def check_fields(rt, fsel):
    """Reject field selectors the kind does not support, with the apiserver's message."""
    rejected = rt.extra.get("rejected_fields", ())   # e.g. nodes refuse metadata.namespace (sim/kinds_fields.py)
    for r in fsel.reqs:
        if r.field not in rejected and (r.field in ("metadata.name", "metadata.namespace") or r.field in rt.fields):
            continue
        if rt.field_style == "core":
            raise SelectorError("field label not supported: %s" % r.field)
        raise SelectorError('"%s" is not a known field selector: only "metadata.name", "metadata.namespace"'
                            % r.field)


def field_getter(rt, obj):
    """A function field -> value for obj, for FieldSelector.matches."""
    def get(field):
        md = obj.get("metadata") or {}
        if field == "metadata.name":
            return md.get("name", "")
        if field == "metadata.namespace":
            return md.get("namespace", "")
        fn = rt.fields.get(field)
        return fn(obj) if fn else ""
    return get
