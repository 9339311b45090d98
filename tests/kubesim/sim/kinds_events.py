"""Events: MicroTime fields (eventTime, series.lastObservedTime) are stored with six fractional digits.

A real apiserver decodes them with the RFC3339Micro layout and so never stores anything else; typed
clients (kubectl describe's event search) fail to decode an event whose eventTime lacks the fraction and
then show `Events: <none>`. kubesim accepts any RFC3339 time there (fixtures write "@now-2d") and
normalises it, so what it serves always decodes.
"""

from . import util
from .resources import REGISTRY

EVENTS = REGISTRY.core("events")


def _micro(value):
    if not isinstance(value, str) or not value:
        return value
    t = util.parse_time(value)
    return util.rfc3339_micro(t) if t is not None else value


def _normalise(ctx, obj, old=None):
    if obj.get("eventTime"):
        obj["eventTime"] = _micro(obj["eventTime"])
    series = obj.get("series")
    if isinstance(series, dict) and series.get("lastObservedTime"):
        series["lastObservedTime"] = _micro(series["lastObservedTime"])


EVENTS.add_hook("prepare_create", _normalise)
EVENTS.add_hook("prepare_update", _normalise)
