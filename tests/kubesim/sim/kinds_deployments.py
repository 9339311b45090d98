"""apps/v1 Deployments and ReplicaSets: the apiserver's defaulting and validation, plus the helpers their
controllers share (template hash, int-or-percent, Go value formatting).

Defaulting (SetDefaults_Deployment / SetDefaults_ReplicaSet and the PodTemplateSpec defaults):
replicas 1; Deployment strategy RollingUpdate with maxUnavailable/maxSurge 25%, revisionHistoryLimit 10,
progressDeadlineSeconds 600; the template gets `metadata.creationTimestamp: null` (1.32 serialises the zero
time) and the PodSpec defaults (restartPolicy, dnsPolicy, schedulerName, securityContext,
terminationGracePeriodSeconds, container defaults).

Validation follows pkg/apis/apps/validation with the apiserver's messages: a required, non-empty selector
that matches the template labels, immutable selectors, replicas >= 0, restartPolicy Always, the rolling
update parameters and progressDeadlineSeconds > minReadySeconds.
"""

import json
import math
import re

from . import selectors, util
from .errors import FieldError
from .kinds_core import _default_container
from .resources import REGISTRY

DEPLOYMENTS = REGISTRY.get("apps", "v1", "deployments")
REPLICASETS = REGISTRY.get("apps", "v1", "replicasets")

# ---- Go formatting ------------------------------------------------------------------------------------


def go_string_map(m):
    """%#v of a map[string]string (keys sorted, as fmt prints maps)."""
    if m is None:
        return "map[string]string(nil)"
    return "map[string]string{%s}" % ", ".join('"%s":"%s"' % (k, v) for k, v in sorted(m.items()))


def go_label_selector(sel):
    """%#v of a metav1.LabelSelector."""
    sel = sel if isinstance(sel, dict) else {}
    ml = sel.get("matchLabels")
    exprs = sel.get("matchExpressions")
    if exprs:
        parts = []
        for e in exprs:
            vals = e.get("values")
            vs = "[]string(nil)" if vals is None else "[]string{%s}" % ", ".join('"%s"' % v for v in vals)
            parts.append('v1.LabelSelectorRequirement{Key:"%s", Operator:"%s", Values:%s}'
                         % (e.get("key", ""), e.get("operator", ""), vs))
        ex = "[]v1.LabelSelectorRequirement{%s}" % ", ".join(parts)
    else:
        ex = "[]v1.LabelSelectorRequirement(nil)"
    return "v1.LabelSelector{MatchLabels:%s, MatchExpressions:%s}" % (
        go_string_map(ml) if isinstance(ml, dict) and ml else "map[string]string(nil)", ex)


class RawFieldError(FieldError):
    """A field error whose value is printed verbatim (Go's %#v of a struct or map)."""

    def __init__(self, kind, field, raw, detail):
        super().__init__(kind, field, detail, None)
        self.raw = raw

    def body(self):
        return "%s: %s: %s" % (self._TYPES[self.kind][1], self.raw, self.detail)


# ---- int or percent -------------------------------------------------------------------------------------

_PCT = re.compile(r"^(\d+)%$")


def scaled_value(v, total, round_up):
    """intstr.GetScaledValueFromIntOrPercent. Returns None when v is malformed."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v
    if isinstance(v, str):
        m = _PCT.match(v)
        if not m:
            return None
        pct = int(m.group(1))
        if round_up:
            return int(math.ceil(pct * total / 100.0))
        return int(math.floor(pct * total / 100.0))
    return None


def resolve_fenceposts(d):
    """deploymentutil.ResolveFenceposts: (maxSurge, maxUnavailable) for the deployment's replicas."""
    spec = d.get("spec") or {}
    ru = (spec.get("strategy") or {}).get("rollingUpdate") or {}
    desired = int(spec.get("replicas", 1) or 0)
    surge = scaled_value(ru.get("maxSurge", "25%"), desired, True) or 0
    unavailable = scaled_value(ru.get("maxUnavailable", "25%"), desired, False) or 0
    if surge == 0 and unavailable == 0:
        unavailable = 1
    return surge, unavailable


def is_rolling(d):
    return ((d.get("spec") or {}).get("strategy") or {}).get("type", "RollingUpdate") == "RollingUpdate"


def max_surge(d):
    if not is_rolling(d):
        return 0
    return resolve_fenceposts(d)[0]


def max_unavailable(d):
    spec = d.get("spec") or {}
    replicas = int(spec.get("replicas", 1) or 0)
    if not is_rolling(d) or replicas == 0:
        return 0
    return min(resolve_fenceposts(d)[1], replicas)


# ---- template hash ---------------------------------------------------------------------------------------

SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def safe_encode(s):
    """k8s.io/apimachinery/pkg/util/rand.SafeEncodeString."""
    return "".join(SAFE_ALPHABET[ord(ch) % len(SAFE_ALPHABET)] for ch in s)


def fnv32a(data):
    h = 0x811c9dc5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def template_hash(template, collision_count=None):
    """controller.ComputeHash: fnv32a of the template (here its canonical JSON rather than Go's spew dump,
    so the value differs from a real cluster's but is stable and shaped the same), plus the collision
    count, rendered with SafeEncodeString."""
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count is not None:
        data += str(int(collision_count)).encode()
    return safe_encode(str(fnv32a(data)))


def template_without_hash(template):
    t = util.deep_copy(template or {})
    labels = (t.get("metadata") or {}).get("labels")
    if isinstance(labels, dict):
        labels.pop("pod-template-hash", None)
    return t


def templates_equal(a, b):
    """deploymentutil.EqualIgnoreHash (semantic: a missing field equals its empty value)."""
    return _norm(template_without_hash(a)) == _norm(template_without_hash(b))


def _norm(v):
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            x = _norm(x)
            if x in (None, {}, [], "", False):
                continue
            out[k] = x
        return out
    if isinstance(v, list):
        return [_norm(x) for x in v]
    return v


# ---- defaulting ------------------------------------------------------------------------------------------


def default_pod_template(tmpl):
    if not isinstance(tmpl, dict):
        return
    md = tmpl.get("metadata")
    if not isinstance(md, dict):
        md = tmpl["metadata"] = {}
    md.setdefault("creationTimestamp", None)
    spec = tmpl.get("spec")
    if not isinstance(spec, dict):
        return
    spec.setdefault("restartPolicy", "Always")
    spec.setdefault("terminationGracePeriodSeconds", 30)
    spec.setdefault("dnsPolicy", "ClusterFirst")
    spec.setdefault("securityContext", {})
    spec.setdefault("schedulerName", "default-scheduler")
    if spec.get("serviceAccount") and not spec.get("serviceAccountName"):
        spec["serviceAccountName"] = spec["serviceAccount"]
    if spec.get("serviceAccountName") and not spec.get("serviceAccount"):
        spec["serviceAccount"] = spec["serviceAccountName"]
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict):
                _default_container(c)
                for p in ("livenessProbe", "readinessProbe", "startupProbe"):
                    pr = c.get(p)
                    if isinstance(pr, dict):
                        pr.setdefault("timeoutSeconds", 1)
                        pr.setdefault("periodSeconds", 10)
                        pr.setdefault("successThreshold", 1)
                        pr.setdefault("failureThreshold", 3)
                        if isinstance(pr.get("httpGet"), dict):
                            pr["httpGet"].setdefault("path", "/")
                            pr["httpGet"].setdefault("scheme", "HTTP")
    for v in spec.get("volumes") or []:
        if isinstance(v, dict):
            for src in ("configMap", "secret", "downwardAPI", "projected"):
                if isinstance(v.get(src), dict):
                    v[src].setdefault("defaultMode", 420)


def _deployment_defaults(ctx, obj, old=None):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strat = spec.get("strategy")
    if not isinstance(strat, dict):
        strat = spec["strategy"] = {}
    if not strat.get("type"):
        strat["type"] = "RollingUpdate"
    if strat["type"] == "RollingUpdate":
        ru = strat.get("rollingUpdate")
        if not isinstance(ru, dict):
            ru = strat["rollingUpdate"] = {}
        ru.setdefault("maxUnavailable", "25%")
        ru.setdefault("maxSurge", "25%")
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(spec.get("template"))


def _replicaset_defaults(ctx, obj, old=None):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(spec.get("template"))


# ---- validation ------------------------------------------------------------------------------------------


def validate_label_selector(sel, field):
    """metav1validation.ValidateLabelSelector: operators, values, keys and label values."""
    errs = []
    if not isinstance(sel, dict):
        return [FieldError("Invalid", field, "must be an object", sel)]
    ml = sel.get("matchLabels")
    if ml is not None:
        if not isinstance(ml, dict):
            errs.append(FieldError("Invalid", field + ".matchLabels", "must be a map", ml))
        else:
            for k, v in ml.items():
                for msg in selectors._qualified_name_errors(k):
                    errs.append(FieldError("Invalid", field + ".matchLabels", msg, k))
                if not isinstance(v, str) or len(v) > 63 or not selectors._VALUE_RE.fullmatch(v):
                    errs.append(FieldError("Invalid", field + ".matchLabels", selectors._VALUE_MSG, v))
    exprs = sel.get("matchExpressions")
    if exprs is not None:
        if not isinstance(exprs, list):
            return errs + [FieldError("Invalid", field + ".matchExpressions", "must be a list", exprs)]
        for i, e in enumerate(exprs):
            f = "%s.matchExpressions[%d]" % (field, i)
            if not isinstance(e, dict):
                errs.append(FieldError("Invalid", f, "must be an object", e))
                continue
            op = e.get("operator")
            vals = e.get("values")
            if op in ("In", "NotIn"):
                if not vals:
                    errs.append(FieldError("Required", f + ".values",
                                           "must be specified when `operator` is 'In' or 'NotIn'"))
            elif op in ("Exists", "DoesNotExist"):
                if vals:
                    errs.append(FieldError("Forbidden", f + ".values",
                                           "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
            else:
                errs.append(FieldError("Invalid", f + ".operator", "not a valid selector operator", op))
            if vals is not None and (not isinstance(vals, list) or not all(isinstance(v, str) for v in vals)):
                errs.append(FieldError("Invalid", f + ".values", "must be a list of strings", vals))
            for msg in selectors._qualified_name_errors(e.get("key") if isinstance(e.get("key"), str) else ""):
                errs.append(FieldError("Invalid", f + ".key", msg, e.get("key")))
    return errs


def _nonneg(spec, key, field, errs):
    v = spec.get(key)
    if v is None:
        return
    if isinstance(v, bool) or not isinstance(v, int):
        errs.append(FieldError("Invalid", field, "must be an integer", v))
    elif v < 0:
        errs.append(FieldError("Invalid", field, "must be greater than or equal to 0", v))


def _int_or_percent(v, field, errs):
    if isinstance(v, bool) or not isinstance(v, (int, str)):
        errs.append(FieldError("Invalid", field, "must be an integer or percentage (e.g '5%')", v))
        return None
    if isinstance(v, int):
        if v < 0:
            errs.append(FieldError("Invalid", field, "must be greater than or equal to 0", v))
        return v
    m = _PCT.match(v)
    if not m:
        errs.append(FieldError("Invalid", field, "a valid percent string must be a numeric string followed by an "
                               "ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')", v))
        return None
    if int(m.group(1)) > 100:
        errs.append(FieldError("Invalid", field, "must not be greater than 100%", v))
    return v


def _validate_template(spec, errs, kind):
    sel = spec.get("selector")
    if sel is None:
        errs.append(FieldError("Required", "spec.selector"))
    elif not isinstance(sel, dict):
        errs.append(FieldError("Invalid", "spec.selector", "must be an object", sel))
        sel = None
    elif validate_label_selector(sel, "spec.selector"):
        errs += validate_label_selector(sel, "spec.selector")
        sel = None
    elif not (sel.get("matchLabels") or sel.get("matchExpressions")):
        errs.append(RawFieldError("Invalid", "spec.selector", go_label_selector(sel),
                                  "empty selector is invalid for %s" % kind))
        sel = None
    tmpl = spec.get("template")
    if not isinstance(tmpl, dict) or not isinstance(tmpl.get("spec"), dict):
        errs.append(FieldError("Required", "spec.template.spec.containers"))
        return
    labels = (tmpl.get("metadata") or {}).get("labels") or {}
    if sel is not None:
        parsed = selectors.selector_from_label_selector(sel)
        if parsed is None:
            errs.append(FieldError("Invalid", "spec.selector", "invalid label selector", None))
        elif not parsed.matches(labels):
            errs.append(RawFieldError("Invalid", "spec.template.metadata.labels", go_string_map(labels),
                                      "`selector` does not match template `labels`"))
    pspec = tmpl["spec"]
    containers = pspec.get("containers")
    if not containers or not isinstance(containers, list):
        errs.append(FieldError("Required", "spec.template.spec.containers"))
    else:
        seen = set()
        for i, c in enumerate(containers):
            f = "spec.template.spec.containers[%d]" % i
            if not isinstance(c, dict):
                errs.append(FieldError("Invalid", f, "must be an object", c))
                continue
            if not c.get("name"):
                errs.append(FieldError("Required", f + ".name"))
            elif c["name"] in seen:
                errs.append(FieldError("Duplicate", f + ".name", value=c["name"]))
            else:
                seen.add(c["name"])
            if not c.get("image"):
                errs.append(FieldError("Required", f + ".image"))
    rp = pspec.get("restartPolicy")
    if rp not in (None, "Always"):
        errs.append(FieldError("NotSupported", "spec.template.spec.restartPolicy", value=rp, supported=["Always"]))


def _validate_deployment(ctx, obj, old):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec")]
    errs = []
    _nonneg(spec, "replicas", "spec.replicas", errs)
    _validate_template(spec, errs, "deployment")
    strat = spec.get("strategy") or {}
    stype = strat.get("type")
    if stype not in (None, "RollingUpdate", "Recreate"):
        errs.append(FieldError("NotSupported", "spec.strategy.type", value=stype,
                               supported=["Recreate", "RollingUpdate"]))
    ru = strat.get("rollingUpdate")
    if stype == "Recreate" and ru is not None:
        errs.append(FieldError("Forbidden", "spec.strategy.rollingUpdate",
                               "may not be specified when strategy `type` is 'Recreate'"))
    if stype == "RollingUpdate" and isinstance(ru, dict):
        mu = _int_or_percent(ru.get("maxUnavailable", "25%"), "spec.strategy.rollingUpdate.maxUnavailable", errs)
        ms = _int_or_percent(ru.get("maxSurge", "25%"), "spec.strategy.rollingUpdate.maxSurge", errs)
        if mu is not None and ms is not None:
            if scaled_value(mu, 100, False) == 0 and scaled_value(ms, 100, True) == 0:
                errs.append(FieldError("Invalid", "spec.strategy.rollingUpdate.maxUnavailable",
                                       "may not be 0 when `maxSurge` is 0", mu))
    _nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    _nonneg(spec, "revisionHistoryLimit", "spec.revisionHistoryLimit", errs)
    pds = spec.get("progressDeadlineSeconds")
    if pds is not None:
        _nonneg(spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds", errs)
        mrs = spec.get("minReadySeconds") or 0
        if isinstance(pds, int) and isinstance(mrs, int) and pds <= mrs:
            errs.append(FieldError("Invalid", "spec.progressDeadlineSeconds", "must be greater than minReadySeconds",
                                   pds))
    if old is not None:
        errs += _immutable_selector(spec, old)
    return errs


def _immutable_selector(spec, old):
    new_sel = spec.get("selector")
    old_sel = (old.get("spec") or {}).get("selector")
    if _norm(new_sel) != _norm(old_sel):
        return [RawFieldError("Invalid", "spec.selector", go_label_selector(new_sel), "field is immutable")]
    return []


def _validate_replicaset(ctx, obj, old):
    spec = obj.get("spec")
    if not isinstance(spec, dict):
        return [FieldError("Required", "spec")]
    errs = []
    _nonneg(spec, "replicas", "spec.replicas", errs)
    _nonneg(spec, "minReadySeconds", "spec.minReadySeconds", errs)
    _validate_template(spec, errs, "replicaset")
    if old is not None:
        errs += _immutable_selector(spec, old)
    return errs


if DEPLOYMENTS is not None:
    DEPLOYMENTS.add_hook("prepare_create", _deployment_defaults)
    DEPLOYMENTS.add_hook("prepare_update", _deployment_defaults)
    DEPLOYMENTS.add_hook("validate", _validate_deployment)
if REPLICASETS is not None:
    REPLICASETS.add_hook("prepare_create", _replicaset_defaults)
    REPLICASETS.add_hook("prepare_update", _replicaset_defaults)
    REPLICASETS.add_hook("validate", _validate_replicaset)
