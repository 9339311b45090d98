"""The cron parser and the CronJob controller's scheduling decision, unit-tested without a server:
robfig/cron ParseStandard semantics and error messages, next activations (time zones, DST), the most
recent missed activation (startingDeadlineSeconds, >100 missed), Job names and the scheduled-timestamp
annotation, and the kubesim clock offset."""

import datetime

import pytest

import conftest  # noqa: F401  (puts tests/kubesim on sys.path)
from sim import ext_cron as cron
from sim import controllers_cronjobs as cjc

UTC = datetime.timezone.utc


def at(*args, tz=UTC):
    return datetime.datetime(*args, tzinfo=tz)


def nexts(spec, start, n):
    s = cron.parse(spec)
    out = []
    t = start
    for _ in range(n):
        t = s.next(t)
        out.append(t)
    return out


def test_every_minute_and_steps():
    assert nexts("* * * * *", at(2025, 1, 1, 10, 0, 30), 2) == [at(2025, 1, 1, 10, 1), at(2025, 1, 1, 10, 2)]
    assert nexts("*/15 * * * *", at(2025, 1, 1, 10, 0), 3) == [
        at(2025, 1, 1, 10, 15), at(2025, 1, 1, 10, 30), at(2025, 1, 1, 10, 45)]
    # a/n means a-max/n
    assert nexts("5/20 * * * *", at(2025, 1, 1, 10, 0), 3) == [
        at(2025, 1, 1, 10, 5), at(2025, 1, 1, 10, 25), at(2025, 1, 1, 10, 45)]
    assert nexts("10-20/5 3 * * *", at(2025, 1, 1, 0, 0), 4) == [
        at(2025, 1, 1, 3, 10), at(2025, 1, 1, 3, 15), at(2025, 1, 1, 3, 20), at(2025, 1, 2, 3, 10)]


def test_lists_names_and_weekdays():
    # 2025-01-03 is a Friday
    assert nexts("0 9 * * mon-fri", at(2025, 1, 3, 12, 0), 2) == [at(2025, 1, 6, 9, 0), at(2025, 1, 7, 9, 0)]
    assert nexts("30 8 * JAN,Mar SUN", at(2025, 1, 1), 1) == [at(2025, 1, 5, 8, 30)]
    assert nexts("0 0 1,15 * *", at(2025, 2, 2), 2) == [at(2025, 2, 15), at(2025, 3, 1)]
    assert nexts("0 12 * * 0", at(2025, 1, 1), 1) == [at(2025, 1, 5, 12, 0)]


def test_day_of_month_or_day_of_week():
    # both restricted: either may match (the 13th, or any Friday)
    assert nexts("0 0 13 * 5", at(2025, 6, 1), 3) == [at(2025, 6, 6), at(2025, 6, 13), at(2025, 6, 20)]
    # one is '*': both must match, i.e. only the restricted one counts
    assert nexts("0 0 13 * *", at(2025, 6, 1), 1) == [at(2025, 6, 13)]
    # '*/2' in day-of-week is not a star: OR semantics with the day of month
    assert nexts("0 0 31 * */3", at(2025, 6, 1), 2) == [at(2025, 6, 4), at(2025, 6, 7)]


def test_descriptors():
    t = at(2025, 5, 17, 13, 45)
    assert nexts("@hourly", t, 1) == [at(2025, 5, 17, 14, 0)]
    assert nexts("@daily", t, 1) == nexts("@midnight", t, 1) == [at(2025, 5, 18)]
    assert nexts("@weekly", t, 1) == [at(2025, 5, 18)]
    assert nexts("@monthly", t, 1) == [at(2025, 6, 1)]
    assert nexts("@yearly", t, 1) == nexts("@annually", t, 1) == [at(2026, 1, 1)]
    assert nexts("@every 90s", at(2025, 1, 1, 0, 0, 0), 2) == [at(2025, 1, 1, 0, 1, 30), at(2025, 1, 1, 0, 3, 0)]
    assert cron.parse("0 0 30 2 *").next(at(2025, 1, 1)) is None     # February 30th: never


@pytest.mark.parametrize("spec,msg", [
    ("* * * *", "expected exactly 5 fields, found 4: * * * *"),
    ("* * * * * *", "expected exactly 5 fields, found 6: * * * * * *"),
    ("60 * * * *", "end of range (60) above maximum (59): 60"),
    ("* 24 * * *", "end of range (24) above maximum (23): 24"),
    ("* * 0 * *", "beginning of range (0) below minimum (1): 0"),
    ("* * * 13 *", "end of range (13) above maximum (12): 13"),
    ("* * * * 7", "end of range (7) above maximum (6): 7"),
    ("5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"),
    ("*/0 * * * *", "step of range should be a positive number: */0"),
    ("1-2-3 * * * *", "too many hyphens: 1-2-3"),
    ("*/2/3 * * * *", "too many slashes: */2/3"),
    ("x * * * *", 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'),
    ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ("", "empty spec string"),
])
def test_parse_errors(spec, msg):
    with pytest.raises(cron.CronError) as e:
        cron.parse(spec)
    assert str(e.value) == msg


def test_apiserver_schedule_validation():
    assert cron.validate_schedule("*/5 * * * *") is None
    assert cron.validate_schedule("TZ=UTC 0 * * * *") == \
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    assert cron.validate_schedule("bad") == "expected exactly 5 fields, found 1: bad"


def test_time_zones_and_dst():
    seoul = cron.load_zone("Asia/Seoul")
    got = cron.parse("0 3 * * *").next(at(2025, 1, 1, 0, 0).astimezone(seoul))
    assert got.isoformat() == "2025-01-02T03:00:00+09:00"
    assert got.astimezone(UTC) == at(2025, 1, 1, 18, 0)
    ny = cron.load_zone("America/New_York")
    # 2025-03-09 02:30 does not exist in New York: as with robfig/cron, that day's run is skipped
    got = cron.parse("30 2 * * *").next(at(2025, 3, 9, 0, 0, tz=ny))
    assert got.isoformat() == "2025-03-10T02:30:00-04:00"
    got = cron.parse("0 * * * *").next(at(2025, 3, 9, 1, 30, tz=ny))
    assert got.isoformat() == "2025-03-09T03:00:00-04:00"
    with pytest.raises(ValueError):
        cron.load_zone("Mars/Olympus_Mons")


def cj(schedule, created, last=None, deadline=None, tz=None, name="nightly", offset=None):
    obj = {"apiVersion": "batch/v1", "kind": "CronJob",
           "metadata": {"name": name, "namespace": "default", "uid": "u-1",
                        "creationTimestamp": created},
           "spec": {"schedule": schedule, "jobTemplate": {"metadata": {"labels": {"team": "a"},
                                                                      "annotations": {"note": "x"}},
                                                         "spec": {"template": {"spec": {}}}}},
           "status": {}}
    if last:
        obj["status"]["lastScheduleTime"] = last
    if deadline is not None:
        obj["spec"]["startingDeadlineSeconds"] = deadline
    if tz:
        obj["spec"]["timeZone"] = tz
    if offset is not None:
        obj["metadata"]["annotations"] = {"kubesim.io/clock-offset": offset}
    return obj


def ts(text):
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_most_recent_unmet_time():
    c = cj("*/5 * * * *", "2025-01-01T10:01:00Z")
    assert cjc.next_schedule(c, ts("2025-01-01T10:04:59Z")) == (None, 0)
    t, missed = cjc.next_schedule(c, ts("2025-01-01T10:05:00Z"))
    assert t == at(2025, 1, 1, 10, 5) and missed == 1
    # several missed: only the most recent is started
    t, missed = cjc.next_schedule(c, ts("2025-01-01T10:31:00Z"))
    assert t == at(2025, 1, 1, 10, 30) and missed == 6
    # lastScheduleTime moves the window
    c = cj("*/5 * * * *", "2025-01-01T10:01:00Z", last="2025-01-01T10:30:00Z")
    assert cjc.next_schedule(c, ts("2025-01-01T10:34:00Z")) == (None, 0)
    # startingDeadlineSeconds: nothing is older than now - deadline
    c = cj("0 * * * *", "2025-01-01T00:00:30Z", deadline=600)
    assert cjc.next_schedule(c, ts("2025-01-01T05:20:00Z")) == (None, 0)
    t, _ = cjc.next_schedule(c, ts("2025-01-01T05:05:00Z"))
    assert t == at(2025, 1, 1, 5, 0)
    # more than 100 missed runs are counted (the controller warns) and the latest is still chosen
    c = cj("* * * * *", "2025-01-01T00:00:00Z")
    t, missed = cjc.next_schedule(c, ts("2025-01-01T05:00:30Z"))
    assert t == at(2025, 1, 1, 5, 0) and missed == 300


def test_job_name_and_template():
    c = cj("*/5 * * * *", "2025-01-01T10:01:00Z", tz="Asia/Seoul")
    t, _ = cjc.next_schedule(c, ts("2025-01-01T10:06:00Z"))
    job = cjc.job_from_template(c, t)
    assert job["metadata"]["name"] == "nightly-%d" % (int(ts("2025-01-01T10:05:00Z")) // 60)
    assert job["metadata"]["annotations"] == {"note": "x",
                                              "batch.kubernetes.io/cronjob-scheduled-timestamp":
                                              "2025-01-01T19:05:00+09:00"}
    assert job["metadata"]["labels"] == {"team": "a"}
    assert job["metadata"]["ownerReferences"] == [{"apiVersion": "batch/v1", "kind": "CronJob", "name": "nightly",
                                                   "uid": "u-1", "controller": True, "blockOwnerDeletion": True}]
    c = cj("*/5 * * * *", "2025-01-01T10:01:00Z")
    t, _ = cjc.next_schedule(c, ts("2025-01-01T10:06:00Z"))
    assert cjc.job_from_template(c, t)["metadata"]["annotations"][
        "batch.kubernetes.io/cronjob-scheduled-timestamp"] == "2025-01-01T10:05:00Z"


@pytest.mark.parametrize("raw,seconds", [("90", 90), ("90s", 90), ("2h30m", 9000), ("-5m", -300), ("1.5h", 5400),
                                         ("junk", 0)])
def test_clock_offset_annotation(raw, seconds):
    assert cjc.clock_offset(cj("* * * * *", "2025-01-01T00:00:00Z", offset=raw)) == seconds
    assert cjc.controller_now(cj("* * * * *", "2025-01-01T00:00:00Z", offset=raw), 1000.0) == 1000.0 + seconds
