"""Cron schedules as the CronJob controller reads them (robfig/cron v3 `ParseStandard`).

Five fields (minute hour day-of-month month day-of-week) with `*`, `?`, ranges `a-b`, steps `*/n`,
`a-b/n` and `a/n` (= a-max/n), lists `a,b`, month and weekday names (`jan`, `MON`), and the
descriptors @yearly @annually @monthly @weekly @daily @midnight @hourly and `@every <duration>`.
As in robfig/cron, day-of-month and day-of-week are ANDed when either field starts with `*`/`?`
(without a step > 1) and ORed otherwise.

`parse(text)` raises CronError with robfig's messages (the apiserver quotes them in its 422s);
`Schedule.next(dt)` is the first activation strictly after the aware datetime `dt`, evaluated in
dt's time zone (None when there is none within five years, as robfig returns the zero time).
`most_recent(...)` is the controller's scheduling decision (cronjob/utils.go mostRecentScheduleTime).
"""

import datetime
import re

_MONTHS = {n: i + 1 for i, n in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_DOWS = {n: i for i, n in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}

# (min, max, names) per field
_BOUNDS = [(0, 59, None), (0, 23, None), (1, 31, None), (1, 12, _MONTHS), (0, 6, _DOWS)]

STAR = 1 << 63

_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0", "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
}


class CronError(ValueError):
    pass


def _int(text):
    if not re.fullmatch(r"[+-]?\d+", text or ""):
        raise CronError("failed to parse int from %s: strconv.Atoi: parsing %s: invalid syntax"
                        % (text, _goquote(text)))
    n = int(text)
    if n < 0:
        raise CronError("negative number (%d) not allowed: %s" % (n, text))
    return n


def _goquote(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _int_or_name(text, names):
    if names:
        n = names.get(text.lower())
        if n is not None:
            return n
    return _int(text)


def _range(expr, lo, hi, names):
    range_step = expr.split("/")
    low_high = range_step[0].split("-")
    single = len(low_high) == 1
    extra = 0
    if low_high[0] in ("*", "?"):
        start, end, extra = lo, hi, STAR
    else:
        start = _int_or_name(low_high[0], names)
        if len(low_high) == 1:
            end = start
        elif len(low_high) == 2:
            end = _int_or_name(low_high[1], names)
        else:
            raise CronError("too many hyphens: %s" % expr)
    if len(range_step) == 1:
        step = 1
    elif len(range_step) == 2:
        step = _int(range_step[1])
        if single:
            end = hi
        if step > 1:
            extra = 0
    else:
        raise CronError("too many slashes: %s" % expr)
    if start < lo:
        raise CronError("beginning of range (%d) below minimum (%d): %s" % (start, lo, expr))
    if end > hi:
        raise CronError("end of range (%d) above maximum (%d): %s" % (end, hi, expr))
    if start > end:
        raise CronError("beginning of range (%d) beyond end of range (%d): %s" % (start, end, expr))
    if step == 0:
        raise CronError("step of range should be a positive number: %s" % expr)
    bits = 0
    for v in range(start, end + 1, step):
        bits |= 1 << v
    return bits | extra


def _field(text, idx):
    lo, hi, names = _BOUNDS[idx]
    bits = 0
    for part in text.split(","):
        bits |= _range(part, lo, hi, names)
    return bits


_DUR_RE = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_DUR_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}


def parse_go_duration(text):
    """Go time.ParseDuration, in seconds (float). Raises ValueError."""
    s = (text or "").strip()
    if s in ("0", "+0", "-0"):
        return 0.0
    sign = 1
    if s[:1] in "+-" and s:
        sign = -1 if s[0] == "-" else 1
        s = s[1:]
    if not s:
        raise ValueError('time: invalid duration "%s"' % text)
    total = 0.0
    pos = 0
    while pos < len(s):
        m = _DUR_RE.match(s, pos)
        if not m:
            raise ValueError('time: invalid duration "%s"' % text)
        total += float(m.group(1)) * _DUR_UNITS[m.group(2)]
        pos = m.end()
    return sign * total


class Schedule:
    """A parsed schedule: bit sets per field, or a fixed `@every` interval (seconds)."""

    def __init__(self, minute=0, hour=0, dom=0, month=0, dow=0, every=None):
        self.minute, self.hour, self.dom, self.month, self.dow = minute, hour, dom, month, dow
        self.every = every

    def _day_matches(self, d):
        dom_ok = bool(self.dom & (1 << d.day))
        dow_ok = bool(self.dow & (1 << ((d.weekday() + 1) % 7)))
        if self.dom & STAR or self.dow & STAR:
            return dom_ok and dow_ok
        return dom_ok or dow_ok

    def next(self, t):
        """The first activation strictly after aware datetime t (same tzinfo), or None."""
        if self.every is not None:
            base = t.replace(microsecond=0)
            step = datetime.timedelta(seconds=max(1, int(self.every)))
            return _normalize(base + step)
        tz = t.tzinfo
        # whole minutes: seconds and sub-seconds are dropped, then one minute added
        cur = t.replace(second=0, microsecond=0) + datetime.timedelta(minutes=1)
        limit_year = cur.year + 5
        while cur.year <= limit_year:
            if not self.month & (1 << cur.month):
                y, m = (cur.year + 1, 1) if cur.month == 12 else (cur.year, cur.month + 1)
                cur = datetime.datetime(y, m, 1, 0, 0, tzinfo=tz)
                continue
            if not self._day_matches(cur):
                cur = datetime.datetime(cur.year, cur.month, cur.day, tzinfo=tz) + datetime.timedelta(days=1)
                continue
            if not self.hour & (1 << cur.hour):
                cur = datetime.datetime(cur.year, cur.month, cur.day, cur.hour, tzinfo=tz) + \
                    datetime.timedelta(hours=1)
                continue
            if not self.minute & (1 << cur.minute):
                cur = cur + datetime.timedelta(minutes=1)
                continue
            real = _normalize(cur)
            if (real.hour, real.minute) != (cur.hour, cur.minute):
                # a wall time skipped by a DST change: robfig/cron moves on to the next match
                cur = real
                continue
            return real
        return None


def _normalize(dt):
    # round-trip through UTC so that nonexistent wall times (DST gaps) resolve to real instants
    return dt.astimezone(datetime.timezone.utc).astimezone(dt.tzinfo)


def parse(text):
    """robfig/cron ParseStandard. Returns a Schedule or raises CronError."""
    spec = (text or "").strip()
    if not spec:
        raise CronError("empty spec string")
    if spec.startswith("TZ=") or spec.startswith("CRON_TZ="):
        # robfig accepts a leading time zone; the apiserver refuses it separately (see validate_schedule)
        head, _, rest = spec.partition(" ")
        spec = rest.strip()
    if spec.startswith("@"):
        if spec.startswith("@every "):
            try:
                d = parse_go_duration(spec[len("@every "):])
            except ValueError as e:
                raise CronError("failed to parse duration %s: %s" % (spec, e))
            if d < 1:
                d = 1
            return Schedule(every=int(d))
        std = _DESCRIPTORS.get(spec)
        if std is None:
            raise CronError("unrecognized descriptor: %s" % spec)
        spec = std
    fields = spec.split()
    if len(fields) != 5:
        raise CronError("expected exactly 5 fields, found %d: %s" % (len(fields), spec))
    bits = [_field(f, i) for i, f in enumerate(fields)]
    return Schedule(*bits)


def validate_schedule(text):
    """The apiserver's checks of spec.schedule: (message) or None."""
    if "TZ" in (text or ""):
        return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    try:
        parse(text)
    except CronError as e:
        return str(e)
    return None


def load_zone(name):
    """A tzinfo for an IANA name (None for UTC/empty), or raise ValueError like time.LoadLocation."""
    import zoneinfo
    if name in (None, ""):
        return datetime.timezone.utc
    if name == "UTC":
        return datetime.timezone.utc
    if name == "Local":
        return datetime.timezone.utc
    if name.startswith("/") or ".." in name or "\\" in name:
        raise ValueError("unknown time zone %s" % name)
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        raise ValueError("unknown time zone %s" % name)


def most_recent(schedule, earliest, now, starting_deadline=None):
    """(most recent unmet activation <= now or None, number of missed activations).

    `earliest` is lastScheduleTime or the creation time; a startingDeadlineSeconds moves it up to
    now - deadline. Both are aware datetimes in the schedule's zone."""
    if starting_deadline is not None:
        dl = now - datetime.timedelta(seconds=starting_deadline)
        if dl > earliest:
            earliest = dl
    t1 = schedule.next(earliest)
    if t1 is None or t1 > now:
        return None, 0
    t2 = schedule.next(t1)
    if t2 is None or t2 > now:
        return t1, 1
    # estimate the number of missed runs from the interval, then walk from a nearby point
    interval = (t2 - t1).total_seconds()
    if interval < 1:
        interval = 1
    missed = int((now - t1).total_seconds() // interval) + 1
    last = t2
    cur = t2
    steps = 0
    # walk at most a bounded number of steps; for very long gaps, start close to now
    if missed > 1000:
        cur = schedule.next(now - datetime.timedelta(seconds=interval * 2)) or t2
        last = cur if cur <= now else last
    while cur is not None and cur <= now and steps < 100000:
        last = cur
        cur = schedule.next(cur)
        steps += 1
    return last, missed
