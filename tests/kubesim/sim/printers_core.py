"""Table printers for pods, namespaces and nodes, as the 1.32 apiserver prints them (k8s-api.md §11)."""

from . import util
from .tables import col, register_printer

# ---- pods ------------------------------------------------------------------------------------------

POD_COLUMNS = [
    col("Name", format="name"),
    col("Ready", description="The aggregate readiness state of this pod for accepting traffic."),
    col("Status", description="The aggregate status of the containers in this pod."),
    col("Restarts", description="The number of times the containers in this pod have been restarted and when "
                                "the last container in this pod has restarted."),
    col("Age"),
    col("IP", priority=1, description="IP address allocated to the pod. Routable at least within the cluster."),
    col("Node", priority=1, description="The node the pod is scheduled onto."),
    col("Nominated Node", priority=1, description="The node the scheduler nominated for preemption."),
    col("Readiness Gates", priority=1, description="Pod readiness gates that are true, out of all of them."),
]

POD_SUCCESS_CONDITIONS = [{"type": "Completed", "status": "True", "reason": "Succeeded",
                           "message": "The pod has completed successfully."}]
POD_FAILED_CONDITIONS = [{"type": "Completed", "status": "True", "reason": "Failed",
                          "message": "The pod failed."}]


def _is_sidecar(spec_by_name, name):
    c = spec_by_name.get(name)
    return c is not None and c.get("restartPolicy") == "Always"


def _finished_at(cs):
    term = ((cs.get("lastState") or {}).get("terminated")) or {}
    return util.parse_time(term.get("finishedAt"))


def pod_status_fields(pod, now=None):
    """(ready_string, status_reason, restarts_string, conditions) exactly as kubectl 1.32 shows them."""
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    md = pod.get("metadata") or {}
    if now is None:
        import time
        now = time.time()

    restarts = 0
    sidecar_restarts = 0
    total = len(spec.get("containers") or [])
    ready = 0
    last_restart = None
    last_sidecar_restart = None

    phase = status.get("phase") or ""
    reason = phase
    if status.get("reason"):
        reason = status["reason"]
    for cond in status.get("conditions") or []:
        if cond.get("type") == "PodScheduled" and cond.get("reason") == "SchedulingGated":
            reason = "SchedulingGated"

    conditions = None
    if phase == "Succeeded":
        conditions = POD_SUCCESS_CONDITIONS
    elif phase == "Failed":
        conditions = POD_FAILED_CONDITIONS

    init_specs = {}
    for c in spec.get("initContainers") or []:
        init_specs[c.get("name")] = c
        if c.get("restartPolicy") == "Always":
            total += 1
    n_init = len(spec.get("initContainers") or [])

    initializing = False
    for i, cs in enumerate(status.get("initContainerStatuses") or []):
        restarts += int(cs.get("restartCount") or 0)
        fin = _finished_at(cs)
        if fin is not None and (last_restart is None or fin > last_restart):
            last_restart = fin
        sidecar = _is_sidecar(init_specs, cs.get("name"))
        if sidecar:
            sidecar_restarts += int(cs.get("restartCount") or 0)
            if fin is not None and (last_sidecar_restart is None or fin > last_sidecar_restart):
                last_sidecar_restart = fin
        state = cs.get("state") or {}
        term = state.get("terminated")
        waiting = state.get("waiting")
        if term is not None and int(term.get("exitCode") or 0) == 0:
            continue
        if sidecar and cs.get("started") is True:
            if cs.get("ready"):
                ready += 1
            continue
        if term is not None:
            if not term.get("reason"):
                if int(term.get("signal") or 0) != 0:
                    reason = "Init:Signal:%d" % int(term.get("signal"))
                else:
                    reason = "Init:ExitCode:%d" % int(term.get("exitCode") or 0)
            else:
                reason = "Init:" + term["reason"]
            initializing = True
        elif waiting is not None and waiting.get("reason") and waiting.get("reason") != "PodInitializing":
            reason = "Init:" + waiting["reason"]
            initializing = True
        else:
            reason = "Init:%d/%d" % (i, n_init)
            initializing = True
        break

    initialized_true = any(c.get("type") == "Initialized" and c.get("status") == "True"
                           for c in status.get("conditions") or [])
    if not initializing or initialized_true:
        restarts = sidecar_restarts
        last_restart = last_sidecar_restart
        has_running = False
        for cs in reversed(status.get("containerStatuses") or []):
            restarts += int(cs.get("restartCount") or 0)
            fin = _finished_at(cs)
            if fin is not None and (last_restart is None or fin > last_restart):
                last_restart = fin
            state = cs.get("state") or {}
            waiting = state.get("waiting")
            term = state.get("terminated")
            if waiting is not None and waiting.get("reason"):
                reason = waiting["reason"]
            elif term is not None and term.get("reason"):
                reason = term["reason"]
            elif term is not None:
                if int(term.get("signal") or 0) != 0:
                    reason = "Signal:%d" % int(term.get("signal"))
                else:
                    reason = "ExitCode:%d" % int(term.get("exitCode") or 0)
            elif cs.get("ready") and state.get("running") is not None:
                has_running = True
                ready += 1
        if reason == "Completed" and has_running:
            pod_ready = any(c.get("type") == "Ready" and c.get("status") == "True"
                            for c in status.get("conditions") or [])
            reason = "Running" if pod_ready else "NotReady"

    if md.get("deletionTimestamp") and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif md.get("deletionTimestamp") and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"

    restarts_str = str(restarts)
    if restarts != 0 and last_restart is not None:
        restarts_str = "%d (%s ago)" % (restarts, util.human_duration(now - last_restart))
    return "%d/%d" % (ready, total), reason, restarts_str, conditions


def pod_row(pod, now):
    ready, reason, restarts, conditions = pod_status_fields(pod, now)
    md = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    status = pod.get("status") or {}
    ip = ""
    ips = status.get("podIPs") or []
    if ips:
        ip = (ips[0] or {}).get("ip", "")
    gates = "<none>"
    rg = spec.get("readinessGates") or []
    if rg:
        true_count = 0
        conds = status.get("conditions") or []
        for g in rg:
            for c in conds:
                if c.get("type") == g.get("conditionType"):
                    if c.get("status") == "True":
                        true_count += 1
                    break
        gates = "%d/%d" % (true_count, len(rg))
    cells = [md.get("name", ""), ready, reason, restarts, util.age(md.get("creationTimestamp"), now),
             ip or "<none>", spec.get("nodeName") or "<none>", status.get("nominatedNodeName") or "<none>", gates]
    if conditions:
        return {"cells": cells, "conditions": conditions}
    return cells


register_printer("pods", POD_COLUMNS, pod_row)

# ---- namespaces ------------------------------------------------------------------------------------

NAMESPACE_COLUMNS = [col("Name", format="name"), col("Status", description="The status of the namespace"),
                     col("Age")]


def namespace_row(ns, now):
    md = ns.get("metadata") or {}
    return [md.get("name", ""), (ns.get("status") or {}).get("phase", ""),
            util.age(md.get("creationTimestamp"), now)]


register_printer("namespaces", NAMESPACE_COLUMNS, namespace_row)

# ---- nodes -----------------------------------------------------------------------------------------

NODE_COLUMNS = [
    col("Name", format="name"),
    col("Status", description="The status of the node"),
    col("Roles", description="The roles of the node"),
    col("Age"),
    col("Version", description="Kubelet Version reported by the node."),
    col("Internal-IP", priority=1, description="List of addresses reachable to the node."),
    col("External-IP", priority=1, description="List of addresses reachable to the node."),
    col("OS-Image", priority=1, description="OS Image reported by the node."),
    col("Kernel-Version", priority=1, description="Kernel Version reported by the node."),
    col("Container-Runtime", priority=1, description="ContainerRuntime Version reported by the node."),
]

ROLE_PREFIX = "node-role.kubernetes.io/"


def node_roles(node):
    roles = set()
    for k, v in ((node.get("metadata") or {}).get("labels") or {}).items():
        if k.startswith(ROLE_PREFIX):
            r = k[len(ROLE_PREFIX):]
            if r:
                roles.add(r)
        elif k == "kubernetes.io/role" and v:
            roles.add(v)
    return sorted(roles)


def node_status_string(node):
    status = node.get("status") or {}
    out = []
    for c in status.get("conditions") or []:
        if c.get("type") == "Ready":
            out = ["Ready" if c.get("status") == "True" else "NotReady"]
    if not out:
        out = ["Unknown"]
    if (node.get("spec") or {}).get("unschedulable"):
        out.append("SchedulingDisabled")
    return ",".join(out)


def _address(node, typ):
    for a in (node.get("status") or {}).get("addresses") or []:
        if a.get("type") == typ:
            return a.get("address", "")
    return "<none>"


def node_row(node, now):
    md = node.get("metadata") or {}
    info = (node.get("status") or {}).get("nodeInfo") or {}
    roles = ",".join(node_roles(node)) or "<none>"
    return [md.get("name", ""), node_status_string(node), roles, util.age(md.get("creationTimestamp"), now),
            info.get("kubeletVersion", ""), _address(node, "InternalIP"), _address(node, "ExternalIP"),
            info.get("osImage") or "<unknown>", info.get("kernelVersion") or "<unknown>",
            info.get("containerRuntimeVersion") or "<unknown>"]


register_printer("nodes", NODE_COLUMNS, node_row)
