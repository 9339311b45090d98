"""Small helpers shared by every kubesim module: time formatting, JSON, ids."""

import datetime
import hashlib
import json
import os
import random
import string
import time
import uuid

_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def dumps(obj):
    """Compact JSON text (str)."""
    return _ENCODER.encode(obj)


def dumpb(obj):
    """Compact JSON as UTF-8 bytes, ready for the wire."""
    return _ENCODER.encode(obj).encode("utf-8")


def deep_copy(obj):
    """A deep copy of a JSON-compatible value (faster than copy.deepcopy)."""
    return json.loads(_ENCODER.encode(obj))


def now():
    """Current time as a float of seconds since the epoch."""
    return time.time()


def rfc3339(ts=None):
    """metav1.Time: RFC3339, UTC, whole seconds."""
    if ts is None:
        ts = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(ts)))


def rfc3339_micro(ts=None):
    """metav1.MicroTime: RFC3339 with six fractional digits."""
    if ts is None:
        ts = time.time()
    dt = datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def rfc3339_nano(ts=None):
    """RFC3339Nano as Go prints it (trailing zeros trimmed)."""
    if ts is None:
        ts = time.time()
    whole = int(ts)
    frac = "%09d" % int(round((ts - whole) * 1e9) % 1000000000)
    frac = frac.rstrip("0")
    base = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(whole))
    return base + ("." + frac if frac else "") + "Z"


def parse_time(text):
    """Parse an RFC3339 timestamp into epoch seconds; None when empty or invalid."""
    if not text or not isinstance(text, str):
        return None
    s = text.strip()
    if s.endswith("Z") or s.endswith("z"):
        s = s[:-1] + "+00:00"
    try:
        dt = datetime.datetime.fromisoformat(s)
    except ValueError:
        # Python 3.11 handles most forms; fall back for >6 fractional digits.
        try:
            head, _, rest = s.partition(".")
            tz = ""
            for sep in ("+", "-"):
                if sep in rest:
                    idx = rest.index(sep)
                    tz = rest[idx:]
                    rest = rest[:idx]
                    break
            dt = datetime.datetime.fromisoformat(head + "." + rest[:6] + tz)
        except ValueError:
            return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return dt.timestamp()


def human_duration(seconds):
    """k8s.io/apimachinery/pkg/util/duration.HumanDuration, given a duration in seconds.

    Go truncates towards zero when converting a Duration to whole units, and so do we.
    """
    s = int(seconds)  # truncation toward zero, as Go's int(d.Seconds())
    if s < -1:
        return "<invalid>"
    if s < 0:
        return "0s"
    if s < 60 * 2:
        return "%ds" % s
    minutes = s // 60
    if minutes < 10:
        sec = s % 60
        if sec == 0:
            return "%dm" % minutes
        return "%dm%ds" % (minutes, sec)
    if minutes < 60 * 3:
        return "%dm" % minutes
    hours = s // 3600
    if hours < 8:
        m = minutes % 60
        if m == 0:
            return "%dh" % hours
        return "%dh%dm" % (hours, m)
    if hours < 48:
        return "%dh" % hours
    if hours < 8 * 24:
        h = hours % 24
        if h == 0:
            return "%dd" % (hours // 24)
        return "%dd%dh" % (hours // 24, h)
    if hours < 24 * 365 * 2:
        return "%dd" % (hours // 24)
    if hours < 24 * 365 * 8:
        dy = (hours // 24) % 365
        if dy == 0:
            return "%dy" % (hours // 24 // 365)
        return "%dy%dd" % (hours // 24 // 365, dy)
    return "%dy" % (hours // 24 // 365)


def age(timestamp, now_ts=None):
    """translateTimestampSince: '<unknown>' for a missing time, else HumanDuration(now - t)."""
    t = parse_time(timestamp) if isinstance(timestamp, str) else timestamp
    if t is None:
        return "<unknown>"
    if now_ts is None:
        now_ts = time.time()
    return human_duration(now_ts - t)


def new_uid():
    return str(uuid.uuid4())


_NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # apiserver's generateName alphabet


def random_suffix(n=5, rng=random):
    return "".join(rng.choice(_NAME_ALPHABET) for _ in range(n))


def short_hash(text, n=10):
    """A stable, DNS-safe short hash (used e.g. for pod-template-hash-like names)."""
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    out = []
    for i in range(0, len(digest), 2):
        out.append(_NAME_ALPHABET[int(digest[i:i + 2], 16) % len(_NAME_ALPHABET)])
        if len(out) == n:
            break
    return "".join(out)


def hex_id(n=64, rng=random):
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def atomic_write(path, data, mode=0o644):
    """Write data (str or bytes) to path atomically (temp file + rename)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, ".%s.%d.tmp" % (os.path.basename(path), os.getpid()))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def is_dns1123_label(name):
    import re
    return bool(re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", name or "")) and len(name) <= 63


def is_dns1123_subdomain(name):
    import re
    return bool(re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*",
                             name or "")) and len(name) <= 253


LETTERS = string.ascii_lowercase


def _go_quote_char(c):
    """A character as Go's encoding/json quotes it in syntax errors ('x', '\\n', '\\'')."""
    if c == "'":
        return "'\\''"
    if c == '"':
        return "'\"'"
    if c.isprintable():
        return "'%s'" % c
    return "'%s'" % c.encode("unicode_escape").decode("ascii")


def go_json_error(text, e):
    """Go's encoding/json wording for a Python json syntax error on text, as an API server's
    messages carry it ("invalid character 'x' looking for beginning of value"), not Python's
    ("Expecting value: line 1 column 1 (char 0)")."""
    msg = getattr(e, "msg", str(e))
    pos = getattr(e, "pos", None)
    if pos is None:
        return str(e)
    if pos >= len(text) or msg.startswith("Unterminated string"):
        return "unexpected end of JSON input"
    c = _go_quote_char(text[pos])
    if msg.startswith("Expecting property name"):
        return "invalid character %s looking for beginning of object key string" % c
    if msg.startswith("Expecting value"):
        return "invalid character %s looking for beginning of value" % c
    if msg.startswith("Expecting ':'"):
        return "invalid character %s after object key" % c
    if msg.startswith("Expecting ','"):
        depth = []
        in_str = esc = False
        for ch in text[:pos]:
            if in_str:
                esc, in_str = (False, True) if esc else (ch == "\\", ch != '"')
            elif ch == '"':
                in_str = True
            elif ch in "[{":
                depth.append(ch)
            elif ch in "]}" and depth:
                depth.pop()
        where = "object key:value pair" if depth and depth[-1] == "{" else "array element"
        return "invalid character %s after %s" % (c, where)
    if msg.startswith("Extra data"):
        return "invalid character %s after top-level value" % c
    if msg.startswith("Invalid control character"):
        return "invalid character %s in string literal" % c
    return msg
