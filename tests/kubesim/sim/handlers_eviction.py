"""POST pods/{name}/eviction: the Eviction subresource (pkg/registry/core/pod/storage/eviction.go, 1.32).

Accepts policy/v1 and policy/v1beta1 Eviction bodies as JSON or protobuf. A pod that is Pending,
Succeeded, Failed or already being deleted is deleted without looking at budgets. Otherwise the pod's
PodDisruptionBudget (none: plain deletion; more than one: 500) must allow a disruption: the eviction then
decrements status.disruptionsAllowed and records the pod in status.disruptedPods, or answers 429
TooManyRequests "Cannot evict pod as it would violate the pod's disruption budget." with the
DisruptionBudget cause. An unready pod may go without a budget decrement (unhealthyPodEvictionPolicy
AlwaysAllow, or IfHealthyBudget while the budget is met). The pod gets the DisruptionTarget condition
(EvictionByEvictionAPI) and is deleted with the Eviction's deleteOptions. Success is 201 with a Success
Status. dryRun is honoured.
"""

from . import errors, ops, server, util
from .controllers import _set_condition
from .controllers_disruption import ordered_status, pdbs_for_pod, set_allowed_condition
from .controllers_replicasets import pod_ready
from .resources import REGISTRY

PODS = REGISTRY.core("pods")
MAX_DISRUPTED_PODS = 2000
BUDGET_MSG = "Cannot evict pod as it would violate the pod's disruption budget."


def _too_many(cause, retry=0):
    details = {"causes": [{"reason": "DisruptionBudget", "message": cause}]}
    headers = {}
    if retry:
        details["retryAfterSeconds"] = retry
        headers["Retry-After"] = str(retry)
    return errors.ApiError(429, "TooManyRequests", BUDGET_MSG, details, headers)


def _pdb_forbidden(name, why):
    return errors.forbidden('poddisruptionbudgets.policy "%s" is forbidden: %s' % (name, why), name=name,
                            group="policy", kind="poddisruptionbudgets")


def _can_ignore_pdb(pod):
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed", "Pending") or \
        bool((pod.get("metadata") or {}).get("deletionTimestamp"))


def _enforce_rv(pod):
    return (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed") and \
        not (pod.get("metadata") or {}).get("deletionTimestamp")


def _success():
    return server.json_response({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success",
                                 "code": 201}, 201)


def _add_condition_and_delete(req, name, options, dry_run):
    api = req.api
    ns = req.namespace
    if not dry_run:
        pre = options.get("preconditions") or {}

        def cond(p):
            md = p["metadata"]
            if pre.get("uid") and pre["uid"] != md.get("uid"):
                raise errors.conflict(PODS, name, "Precondition failed: UID in precondition: %s, UID in object "
                                      "meta: %s" % (pre["uid"], md.get("uid")))
            if pre.get("resourceVersion") and pre["resourceVersion"] != md.get("resourceVersion"):
                raise errors.conflict(PODS, name, "Precondition failed: ResourceVersion in precondition: %s, "
                                      "ResourceVersion in object meta: %s" % (pre["resourceVersion"],
                                                                              md.get("resourceVersion")))
            for c in (p.get("status") or {}).get("conditions") or []:
                if c.get("type") == "DisruptionTarget" and c.get("status") == "True" and \
                        c.get("reason") == "EvictionByEvictionAPI":
                    return None
            _set_condition(p, "DisruptionTarget", "True", "EvictionByEvictionAPI", "Eviction API: evicting")
            return p
        updated = api.mutate(ops.Context.system("eviction"), PODS, ns, name, cond)
        if updated is None:
            raise errors.not_found(PODS, name)
        if pre.get("resourceVersion"):
            options = dict(options)
            options["preconditions"] = dict(pre, resourceVersion=updated["metadata"]["resourceVersion"])
    opts = dict(options)
    if dry_run:
        opts["dryRun"] = ["All"]
    ctx = req.ctx
    del_ctx = ops.Context(user=ctx.user, groups=ctx.groups, uid=ctx.uid, dry_run=dry_run)
    api.delete(del_ctx, PODS, ns, name, opts)


def handle_eviction(req):
    if req.verb != "create":
        raise errors.method_not_allowed()
    body = req.json_body()
    if not isinstance(body, dict):
        raise errors.bad_request("the object provided is unrecognized (must be of type Eviction)")
    kind, av = body.get("kind"), body.get("apiVersion")
    if (kind and kind != "Eviction") or (av and av not in ("policy/v1", "policy/v1beta1")):
        raise errors.bad_request("not a Eviction object: %s %s" % (av or "", kind or ""))
    md = body.get("metadata") or {}
    if not isinstance(md, dict):
        raise errors.bad_request("metadata must be an object")
    if md.get("name", "") != req.name:
        raise errors.bad_request("name in URL does not match name in Eviction object")
    if md.get("namespace") and md["namespace"] != req.namespace:
        raise errors.bad_request("the namespace of the provided object does not match the namespace sent on the "
                                 "request")
    raw_opts = body.get("deleteOptions") or {}
    if not isinstance(raw_opts, dict):
        raise errors.bad_request("deleteOptions must be an object")
    options = ops.parse_delete_options({k: v for k, v in raw_opts.items() if k in (
        "gracePeriodSeconds", "preconditions", "orphanDependents", "propagationPolicy", "dryRun")})
    dr = raw_opts.get("dryRun") or []
    if not isinstance(dr, list) or any(x != "All" for x in dr):
        raise errors.bad_request("dryRun must be a list containing only \"All\"")
    dry_run = req.query.get("dryRun") == "All" or "All" in dr
    options.pop("dryRun", None)
    user_rv = (options.get("preconditions") or {}).get("resourceVersion")
    api = req.api
    ns, name = req.namespace, req.name

    pod = api.get(PODS, ns, name)
    if _can_ignore_pdb(pod):
        opts = options
        if _enforce_rv(pod) and not user_rv:
            opts = dict(options)
            opts["preconditions"] = dict(options.get("preconditions") or {},
                                         resourceVersion=pod["metadata"]["resourceVersion"])
        _add_condition_and_delete(req, name, opts, dry_run)
        return _success()

    pdbs = pdbs_for_pod(api.store, pod)
    if len(pdbs) > 1:
        return server.json_response({"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                                     "message": "This pod has more than one PodDisruptionBudget, which the eviction "
                                                "subresource does not support.", "code": 500}, 500)
    guard_rv = False
    if pdbs:
        pdb = pdbs[0]
        st = pdb.get("status") or {}
        spec = pdb.get("spec") or {}
        skip = False
        if not pod_ready(pod):
            if spec.get("unhealthyPodEvictionPolicy") == "AlwaysAllow":
                skip = True
            elif int(st.get("currentHealthy") or 0) >= int(st.get("desiredHealthy") or 0) and \
                    int(st.get("desiredHealthy") or 0) > 0:
                skip = True
        if skip:
            guard_rv = True
        else:
            _check_and_decrement(api, pdb, name, dry_run)
    opts = options
    if guard_rv:
        opts = dict(options)
        opts["preconditions"] = dict(options.get("preconditions") or {},
                                     resourceVersion=pod["metadata"]["resourceVersion"])
    try:
        _add_condition_and_delete(req, name, opts, dry_run)
    except errors.ApiError as err:
        if err.code == 409 and guard_rv and not user_rv:
            raise _too_many("The disruption budget %s is still being processed by the server." % pdbs[0]["metadata"]
                            ["name"], 10)
        raise
    return _success()


def _check_and_decrement(api, pdb, pod_name, dry_run):
    name = pdb["metadata"]["name"]
    uid = pdb["metadata"]["uid"]
    rt = REGISTRY.get("policy", "v1", "poddisruptionbudgets")

    def fn(o):
        if o["metadata"].get("uid") != uid:
            raise errors.not_found(rt, name)
        st = dict(o.get("status") or {})
        if int(st.get("observedGeneration") or 0) < int(o["metadata"].get("generation") or 0):
            raise _too_many("The disruption budget %s is still being processed by the server." % name, 10)
        allowed = int(st.get("disruptionsAllowed") or 0)
        if allowed < 0:
            raise _pdb_forbidden(name, "pdb disruptions allowed is negative")
        if len(st.get("disruptedPods") or {}) > MAX_DISRUPTED_PODS:
            raise _pdb_forbidden(name, "DisruptedPods map too big - too many evictions not confirmed by PDB "
                                       "controller")
        if allowed == 0:
            raise _too_many("The disruption budget %s needs %d healthy pods and has %d currently"
                            % (name, int(st.get("desiredHealthy") or 0), int(st.get("currentHealthy") or 0)))
        st["disruptionsAllowed"] = allowed - 1
        if st["disruptionsAllowed"] == 0:
            set_allowed_condition(st)
        if dry_run:
            return None
        dp = dict(st.get("disruptedPods") or {})
        dp[pod_name] = util.rfc3339()
        st["disruptedPods"] = dp
        o["status"] = ordered_status(st)
        return o
    api.mutate(ops.Context.system("eviction"), rt, pdb["metadata"]["namespace"], name, fn, subresource="status")


PODS.handlers["sub:eviction"] = handle_eviction
