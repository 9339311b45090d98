"""Table printers for workload kinds, as the 1.32 apiserver prints them (pkg/printers/internalversion):
deployments, replicasets, replicationcontrollers, statefulsets, daemonsets, jobs, cronjobs,
controllerrevisions, horizontalpodautoscalers, poddisruptionbudgets.

The apiserver always prints the wide set of cells; kubectl hides priority-1 columns unless -o wide.
Numbers are int64 cells (JSON integers), so kubectl prints them with %v.
Where the apiserver's defaulting would have filled a field (spec.replicas, job completions, cronjob
suspend, hpa minReplicas), a missing value prints as its default.
"""

from . import util
from .printers_common import (age_of, containers_cells, d, format_label_selector, format_labels, i64,
                              int_or_string, name_of, quantity_string, selector_string, template_spec)
from .tables import col, register_printer

CONTAINERS_DESC = "Names of each container in the template."
IMAGES_DESC = "Images referenced by each container in the template."


def _wide_containers(priority=1):
    return [col("Containers", priority=priority, description=CONTAINERS_DESC),
            col("Images", priority=priority, description=IMAGES_DESC)]


def _replicas(spec, default=1):
    v = (spec or {}).get("replicas")
    return i64(v, default) if v is not None else default


# ---- deployments -----------------------------------------------------------------------------------

DEPLOYMENT_COLUMNS = [
    col("Name", format="name"),
    col("Ready", description="Number of the pod with ready state"),
    col("Up-to-date", description="Total number of non-terminated pods targeted by this deployment that have "
                                  "the desired template spec."),
    col("Available", description="Total number of available pods (ready for at least minReadySeconds) "
                                 "targeted by this deployment."),
    col("Age"),
] + _wide_containers() + [
    col("Selector", priority=1, description="Label selector for pods. Existing ReplicaSets whose pods are "
                                            "selected by this will be the ones affected by this deployment."),
]


def deployment_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    names, images = containers_cells(template_spec(obj, "spec"))
    sel = selector_string(spec.get("selector"))
    return [name_of(obj), "%d/%d" % (i64(st.get("readyReplicas")), _replicas(spec)),
            i64(st.get("updatedReplicas")), i64(st.get("availableReplicas")), age_of(obj, now),
            names, images, "<invalid>" if sel is None else sel]


register_printer("apps/deployments", DEPLOYMENT_COLUMNS, deployment_row)

# ---- replicasets and replicationcontrollers ------------------------------------------------------------

REPLICASET_COLUMNS = [
    col("Name", format="name"),
    col("Desired", type="integer", description="Replicas is the number of desired replicas."),
    col("Current", type="integer", description="Replicas is the most recently observed number of replicas."),
    col("Ready", type="integer", description="The number of ready replicas for this replica set."),
    col("Age"),
] + _wide_containers() + [
    col("Selector", priority=1, description="Selector is a label query over pods that should match the "
                                            "replica count."),
]


def replicaset_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    names, images = containers_cells(template_spec(obj, "spec"))
    return [name_of(obj), _replicas(spec), i64(st.get("replicas")), i64(st.get("readyReplicas")),
            age_of(obj, now), names, images, format_label_selector(spec.get("selector"))]


register_printer("apps/replicasets", REPLICASET_COLUMNS, replicaset_row)


def replicationcontroller_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    names, images = containers_cells(template_spec(obj, "spec"))
    return [name_of(obj), _replicas(spec), i64(st.get("replicas")), i64(st.get("readyReplicas")),
            age_of(obj, now), names, images, format_labels(spec.get("selector"))]


register_printer("replicationcontrollers", REPLICASET_COLUMNS, replicationcontroller_row)

# ---- statefulsets ----------------------------------------------------------------------------------------

STATEFULSET_COLUMNS = [col("Name", format="name"), col("Ready", description="Number of the pod with ready state"),
                       col("Age")] + _wide_containers()


def statefulset_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    names, images = containers_cells(template_spec(obj, "spec"))
    return [name_of(obj), "%d/%d" % (i64(st.get("readyReplicas")), _replicas(spec)), age_of(obj, now),
            names, images]


register_printer("apps/statefulsets", STATEFULSET_COLUMNS, statefulset_row)

# ---- daemonsets ------------------------------------------------------------------------------------------

DAEMONSET_COLUMNS = [
    col("Name", format="name"),
    col("Desired", type="integer", description="The total number of nodes that should be running the daemon pod."),
    col("Current", type="integer", description="The number of nodes running at least one daemon pod and are "
                                               "supposed to run the daemon pod."),
    col("Ready", type="integer", description="The number of nodes that should be running the daemon pod and have "
                                             "one or more of the daemon pod running and ready."),
    col("Up-to-date", type="integer", description="The total number of nodes that are running updated daemon pod"),
    col("Available", type="integer", description="The number of nodes that should be running the daemon pod and "
                                                 "have one or more of the daemon pod running and available."),
    col("Node Selector", description="NodeSelector is a selector which must be true for the pod to fit on a node."),
    col("Age"),
] + _wide_containers() + [
    col("Selector", priority=1, description="A label query over pods that are managed by the daemon set."),
]


def daemonset_row(obj, now):
    st = obj.get("status") or {}
    tspec = template_spec(obj, "spec")
    names, images = containers_cells(tspec)
    return [name_of(obj), i64(st.get("desiredNumberScheduled")), i64(st.get("currentNumberScheduled")),
            i64(st.get("numberReady")), i64(st.get("updatedNumberScheduled")), i64(st.get("numberAvailable")),
            format_labels(tspec.get("nodeSelector")), age_of(obj, now), names, images,
            format_label_selector(d(obj, "spec", "selector"))]


register_printer("apps/daemonsets", DAEMONSET_COLUMNS, daemonset_row)

# ---- jobs ------------------------------------------------------------------------------------------------

JOB_COLUMNS = [
    col("Name", format="name"),
    col("Status", description="Status of the job."),
    col("Completions", description="The number of pods which reached phase Succeeded."),
    col("Duration", description="Time required to complete the job."),
    col("Age"),
] + _wide_containers() + [
    col("Selector", priority=1, description="A label query over pods that should match the pod count."),
]


def _job_condition(st, ctype):
    for c in st.get("conditions") or []:
        if isinstance(c, dict) and c.get("type") == ctype:
            return c.get("status") == "True"
    return False


def job_status(obj):
    st = obj.get("status") or {}
    if _job_condition(st, "Complete"):
        return "Complete"
    if _job_condition(st, "Failed"):
        return "Failed"
    if (obj.get("metadata") or {}).get("deletionTimestamp"):
        return "Terminating"
    if _job_condition(st, "Suspended"):
        return "Suspended"
    if _job_condition(st, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def job_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    succeeded = i64(st.get("succeeded"))
    completions = spec.get("completions")
    parallelism = spec.get("parallelism")
    if completions is None and parallelism is None:
        completions = 1        # what the apiserver's defaulting sets for a plain job
    if completions is not None:
        comp = "%d/%d" % (succeeded, i64(completions))
    elif i64(parallelism) > 1:
        comp = "%d/1 of %d" % (succeeded, i64(parallelism))
    else:
        comp = "%d/1" % succeeded
    start = util.parse_time(st.get("startTime"))
    end = util.parse_time(st.get("completionTime"))
    if start is None:
        duration = ""
    elif end is None:
        duration = util.human_duration(now - start)
    else:
        duration = util.human_duration(end - start)
    names, images = containers_cells(template_spec(obj, "spec"))
    return [name_of(obj), job_status(obj), comp, duration, age_of(obj, now), names, images,
            format_label_selector(spec.get("selector"))]


register_printer("batch/jobs", JOB_COLUMNS, job_row)

# ---- cronjobs --------------------------------------------------------------------------------------------

CRONJOB_COLUMNS = [
    col("Name", format="name"),
    col("Schedule", description="The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
    col("Timezone", description="The time zone name for the given schedule."),
    col("Suspend", type="boolean", description="This flag tells the controller to suspend subsequent executions."),
    col("Active", type="integer", description="A list of pointers to currently running jobs."),
    col("Last Schedule", description="Information when was the last time the job was successfully scheduled."),
    col("Age"),
] + _wide_containers() + [
    col("Selector", priority=1, description="A label query over pods that should match the pod count."),
]


def _bool_ptr(v, default=None):
    if v is None:
        v = default
    if v is None:
        return "<unset>"
    return "True" if v is True else "False"


def cronjob_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    last = "<none>"
    if st.get("lastScheduleTime"):
        last = util.age(st.get("lastScheduleTime"), now)
    tz = spec.get("timeZone")
    active = st.get("active")
    jspec = d(spec, "jobTemplate", "spec") or {}
    names, images = containers_cells(template_spec(jspec))
    return [name_of(obj), str(spec.get("schedule") or ""), "<none>" if tz is None else str(tz),
            _bool_ptr(spec.get("suspend"), False), len(active) if isinstance(active, list) else 0, last,
            age_of(obj, now), names, images, format_label_selector(jspec.get("selector"))]


register_printer("batch/cronjobs", CRONJOB_COLUMNS, cronjob_row)

# ---- controllerrevisions ---------------------------------------------------------------------------------

CONTROLLERREVISION_COLUMNS = [col("Name", format="name"), col("Controller", description="Controller of the object"),
                              col("Revision", description="Revision indicates the revision of the state "
                                                          "represented by Data."),
                              col("Age")]


def controller_of(obj):
    for ref in (obj.get("metadata") or {}).get("ownerReferences") or []:
        if isinstance(ref, dict) and ref.get("controller") is True:
            return ref
    return None


def controllerrevision_row(obj, now):
    ref = controller_of(obj)
    controller = "<none>"
    if ref is not None:
        av = str(ref.get("apiVersion") or "")
        group = av.split("/", 1)[0] if "/" in av else ""
        kind = str(ref.get("kind") or "")
        gk = kind + ("." + group if group else "")
        controller = (gk.lower() + "/" if gk else "") + str(ref.get("name") or "")
    return [name_of(obj), controller, i64(obj.get("revision")), age_of(obj, now)]


register_printer("apps/controllerrevisions", CONTROLLERREVISION_COLUMNS, controllerrevision_row)

# ---- horizontalpodautoscalers ----------------------------------------------------------------------------

HPA_COLUMNS = [
    col("Name", format="name"),
    col("Reference", description="the target resource to scale"),
    col("Targets", description="the metrics used to calculate the desired replica count"),
    col("MinPods", description="the lower limit for the number of replicas"),
    col("MaxPods", description="the upper limit for the number of replicas"),
    col("Replicas", description="current number of replicas of pods managed by this autoscaler"),
    col("Age"),
]


def _q(v):
    return quantity_string(v)


def hpa_metrics(specs, statuses):
    """formatHPAMetrics: at most two metrics, 'current/target' each."""
    if not isinstance(specs, list) or not specs:
        return "<none>"
    statuses = statuses if isinstance(statuses, list) else []
    out = []
    for i, spec in enumerate(specs):
        spec = spec if isinstance(spec, dict) else {}
        stat = statuses[i] if i < len(statuses) and isinstance(statuses[i], dict) else {}
        typ = spec.get("type")
        if typ == "External":
            tgt = d(spec, "external", "target") or {}
            cur_s = stat.get("external") or None
            if tgt.get("averageValue") is not None:
                cur = "<unknown>"
                if cur_s is not None and d(cur_s, "current", "averageValue") is not None:
                    cur = _q(d(cur_s, "current", "averageValue"))
                out.append("%s/%s (avg)" % (cur, _q(tgt.get("averageValue"))))
            else:
                cur = "<unknown>"
                if cur_s is not None:
                    cur = _q(d(cur_s, "current", "value"))
                out.append("%s/%s" % (cur, _q(tgt.get("value"))))
        elif typ == "Pods":
            tgt = d(spec, "pods", "target") or {}
            cur = "<unknown>"
            if stat.get("pods") is not None:
                cur = _q(d(stat, "pods", "current", "averageValue"))
            out.append("%s/%s" % (cur, _q(tgt.get("averageValue"))))
        elif typ == "Object":
            tgt = d(spec, "object", "target") or {}
            cur_s = stat.get("object")
            if tgt.get("averageValue") is not None:
                cur = "<unknown>"
                if cur_s is not None and d(cur_s, "current", "averageValue") is not None:
                    cur = _q(d(cur_s, "current", "averageValue"))
                out.append("%s/%s (avg)" % (cur, _q(tgt.get("averageValue"))))
            else:
                cur = "<unknown>"
                if cur_s is not None:
                    cur = _q(d(cur_s, "current", "value"))
                out.append("%s/%s" % (cur, _q(tgt.get("value"))))
        elif typ in ("Resource", "ContainerResource"):
            field = "resource" if typ == "Resource" else "containerResource"
            src = spec.get(field) or {}
            tgt = src.get("target") or {}
            cur_s = stat.get(field)
            rname = str(src.get("name") or "")
            if tgt.get("averageValue") is not None:
                cur = "<unknown>"
                if cur_s is not None:
                    cur = _q(d(cur_s, "current", "averageValue"))
                out.append("%s: %s/%s" % (rname, cur, _q(tgt.get("averageValue"))))
            else:
                cur = "<unknown>"
                if cur_s is not None and d(cur_s, "current", "averageUtilization") is not None:
                    cur = "%d%%" % i64(d(cur_s, "current", "averageUtilization"))
                target = "<auto>"
                if tgt.get("averageUtilization") is not None:
                    target = "%d%%" % i64(tgt.get("averageUtilization"))
                out.append("%s: %s/%s" % (rname, cur, target))
        else:
            out.append("<unknown type>")
    if len(out) > 2:
        return "%s + %d more..." % (", ".join(out[:2]), len(out) - 2)
    return ", ".join(out)


def hpa_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    ref = spec.get("scaleTargetRef") or {}
    minr = spec.get("minReplicas")
    return [name_of(obj), "%s/%s" % (ref.get("kind") or "", ref.get("name") or ""),
            hpa_metrics(spec.get("metrics"), st.get("currentMetrics")),
            "%d" % i64(minr, 1) if minr is not None else "1", i64(spec.get("maxReplicas")),
            i64(st.get("currentReplicas")), age_of(obj, now)]


register_printer("autoscaling/horizontalpodautoscalers", HPA_COLUMNS, hpa_row)

# ---- poddisruptionbudgets --------------------------------------------------------------------------------

PDB_COLUMNS = [
    col("Name", format="name"),
    col("Min Available", description="The minimum number of pods that must be available."),
    col("Max Unavailable", description="The maximum number of pods that may be unavailable."),
    col("Allowed Disruptions", type="integer", description="Calculated number of pods that may be disrupted at "
                                                           "this time."),
    col("Age"),
]


def pdb_row(obj, now):
    spec = obj.get("spec") or {}
    st = obj.get("status") or {}
    mina = spec.get("minAvailable")
    maxu = spec.get("maxUnavailable")
    return [name_of(obj), "N/A" if mina is None else int_or_string(mina),
            "N/A" if maxu is None else int_or_string(maxu), i64(st.get("disruptionsAllowed")), age_of(obj, now)]


register_printer("policy/poddisruptionbudgets", PDB_COLUMNS, pdb_row)

# ---- the scale subresource (kubectl get deploy/web --subresource=scale) --------------------------------

SCALE_COLUMNS = [
    col("Name", description="Name must be unique within a namespace."),
    col("Desired", type="integer", description="desired number of instances for the scaled object."),
    col("Available", type="integer", description="actual number of observed instances of the scaled object."),
    col("Age"),
]
SCALE_KEY = "autoscaling/scales"     # not a resource: the table of Scale objects served by */scale


def scale_row(obj, now):
    return [name_of(obj), i64(d(obj, "spec", "replicas")), i64(d(obj, "status", "replicas")), age_of(obj, now)]


register_printer(SCALE_KEY, SCALE_COLUMNS, scale_row)


class _ScaleTable:
    key = SCALE_KEY
    crd = False


def _wrap_scale_handler():
    from . import server, subresources, tables
    orig = server.SUBRESOURCE_HANDLERS.get("scale")
    if orig is None:
        return

    def handle(req):
        if req.verb == "get" and req.target().kind == "table":
            scale = subresources.scale_of(req.rt, req.api.get(req.rt, req.namespace, req.name))
            target = req.target()
            md = scale.get("metadata") or {}
            body = tables.table_bytes(_ScaleTable, [(scale, lambda: util.dumpb(scale))],
                                      tables.include_object_mode(req.query),
                                      {"resourceVersion": md.get("resourceVersion", "")}, target.version)
            return server.Response(200, body, "application/json;as=Table;v=%s;g=meta.k8s.io" % target.version)
        return orig(req)
    server.SUBRESOURCE_HANDLERS["scale"] = handle


_wrap_scale_handler()
