"""Table printers for cluster-level kinds, as the 1.32 apiserver prints them: rolebindings and
clusterrolebindings (roles and cluster roles have none: Name / Created At), leases, priorityclasses,
runtimeclasses, admission webhook configurations, certificate signing requests and the flow-control
kinds (the last ones only matter when some module registers them).
"""

from . import util
from .printers_common import age_of, d, i64, name_of
from .tables import col, register_printer

# ---- rolebindings / clusterrolebindings -------------------------------------------------------------


def _binding_columns(what):
    return [
        col("Name", format="name"),
        col("Role", description="RoleRef can reference a Role in the current namespace or a ClusterRole in the "
                                "global namespace."),
        col("Age"),
        col("Users", priority=1, description="Users in the %s" % what),
        col("Groups", priority=1, description="Groups in the %s" % what),
        col("ServiceAccounts", priority=1, description="ServiceAccounts in the %s" % what),
    ]


def subjects_strings(subjects):
    """rbac.SubjectsStrings: (users, groups, service accounts 'ns/name')."""
    users, groups, sas = [], [], []
    for s in subjects if isinstance(subjects, list) else []:
        if not isinstance(s, dict):
            continue
        kind = s.get("kind")
        if kind == "User":
            users.append(str(s.get("name") or ""))
        elif kind == "Group":
            groups.append(str(s.get("name") or ""))
        elif kind == "ServiceAccount":
            sas.append("%s/%s" % (s.get("namespace") or "", s.get("name") or ""))
    return users, groups, sas


def binding_row(obj, now):
    ref = obj.get("roleRef") if isinstance(obj.get("roleRef"), dict) else {}
    users, groups, sas = subjects_strings(obj.get("subjects"))
    return [name_of(obj), "%s/%s" % (ref.get("kind") or "", ref.get("name") or ""), age_of(obj, now),
            ", ".join(users), ", ".join(groups), ", ".join(sas)]


register_printer("rbac.authorization.k8s.io/rolebindings", _binding_columns("roleBinding"), binding_row)
register_printer("rbac.authorization.k8s.io/clusterrolebindings", _binding_columns("clusterRoleBinding"), binding_row)

# ---- leases --------------------------------------------------------------------------------------------

LEASE_COLUMNS = [col("Name", format="name"),
                 col("Holder", description="holderIdentity contains the identity of the holder of a current lease."),
                 col("Age")]


def lease_row(obj, now):
    holder = d(obj, "spec", "holderIdentity")
    return [name_of(obj), "" if holder is None else str(holder), age_of(obj, now)]


register_printer("coordination.k8s.io/leases", LEASE_COLUMNS, lease_row)

# ---- priorityclasses -------------------------------------------------------------------------------------

PRIORITYCLASS_COLUMNS = [
    col("Name", format="name"),
    col("Value", type="integer", description="value represents the integer value of this priority class."),
    col("Global-Default", type="boolean", description="globalDefault specifies whether this PriorityClass should "
                                                      "be considered as the default priority for pods that do not "
                                                      "have any priority class."),
    col("Age"),
    col("PreemptionPolicy", description="preemptionPolicy is the Policy for preempting pods with lower priority."),
]


def priorityclass_row(obj, now):
    pp = obj.get("preemptionPolicy")
    return [name_of(obj), i64(obj.get("value")), obj.get("globalDefault") is True, age_of(obj, now),
            "PreemptLowerPriority" if pp is None else str(pp)]


register_printer("scheduling.k8s.io/priorityclasses", PRIORITYCLASS_COLUMNS, priorityclass_row)

# ---- runtimeclasses --------------------------------------------------------------------------------------

RUNTIMECLASS_COLUMNS = [col("Name", format="name"),
                        col("Handler", description="handler specifies the underlying runtime and configuration "
                                                   "that the CRI implementation will use to handle pods of this "
                                                   "class."),
                        col("Age")]


def runtimeclass_row(obj, now):
    return [name_of(obj), str(obj.get("handler") or ""), age_of(obj, now)]


register_printer("node.k8s.io/runtimeclasses", RUNTIMECLASS_COLUMNS, runtimeclass_row)

# ---- admission webhook configurations ---------------------------------------------------------------------

WEBHOOK_COLUMNS = [col("Name", format="name"),
                   col("Webhooks", type="integer", description="Webhooks indicates the number of webhooks "
                                                               "registered in this configuration"),
                   col("Age")]


def webhook_row(obj, now):
    hooks = obj.get("webhooks")
    return [name_of(obj), len(hooks) if isinstance(hooks, list) else 0, age_of(obj, now)]


register_printer("admissionregistration.k8s.io/mutatingwebhookconfigurations", WEBHOOK_COLUMNS, webhook_row)
register_printer("admissionregistration.k8s.io/validatingwebhookconfigurations", WEBHOOK_COLUMNS, webhook_row)

# ---- certificatesigningrequests ------------------------------------------------------------------------

CSR_COLUMNS = [
    col("Name", format="name"),
    col("Age"),
    col("SignerName", description="signerName indicates the requested signer."),
    col("Requestor", description="username contains the name of the user that created the CertificateSigningRequest."),
    col("RequestedDuration", description="expirationSeconds is the requested duration of validity of the issued "
                                         "certificate."),
    col("Condition", description="conditions applied to the request."),
]


def csr_condition(obj):
    approved = denied = failed = False
    for c in d(obj, "status", "conditions") or []:
        t = (c or {}).get("type")
        approved = approved or t == "Approved"
        denied = denied or t == "Denied"
        failed = failed or t == "Failed"
    s = "Denied" if denied else "Approved" if approved else "Pending"
    if failed:
        s += ",Failed"
    if d(obj, "status", "certificate"):
        s += ",Issued"
    return s


def csr_row(obj, now):
    spec = obj.get("spec") or {}
    exp = spec.get("expirationSeconds")
    return [name_of(obj), age_of(obj, now), str(spec.get("signerName") or "<none>"), str(spec.get("username") or ""),
            "<none>" if exp is None else util.human_duration(i64(exp)), csr_condition(obj)]


register_printer("certificates.k8s.io/certificatesigningrequests", CSR_COLUMNS, csr_row)

# ---- flow control --------------------------------------------------------------------------------------

FLOWSCHEMA_COLUMNS = [
    col("Name", format="name"),
    col("PriorityLevel", description="`name` is the name of the priority level configuration being referenced"),
    col("MatchingPrecedence", description="`matchingPrecedence` is used to choose among the FlowSchemas that "
                                          "match a given request."),
    col("DistinguisherMethod", description="`distinguisherMethod` defines how to compute the flow distinguisher "
                                           "for requests that match this schema."),
    col("Age"),
    col("MissingPL", description="references a broken or non-existent PriorityLevelConfiguration"),
]


def flowschema_row(obj, now):
    spec = obj.get("spec") or {}
    dm = d(spec, "distinguisherMethod", "type")
    missing = "?"
    for c in d(obj, "status", "conditions") or []:
        if (c or {}).get("type") == "Dangling":
            missing = str(c.get("status") or "")
            break
    return [name_of(obj), str(d(spec, "priorityLevelConfiguration", "name") or ""),
            i64(spec.get("matchingPrecedence")), "<none>" if dm is None else str(dm), age_of(obj, now), missing]


register_printer("flowcontrol.apiserver.k8s.io/flowschemas", FLOWSCHEMA_COLUMNS, flowschema_row)

PRIORITYLEVEL_COLUMNS = [
    col("Name", format="name"),
    col("Type", description="`type` indicates whether this priority level is subject to limitation on request "
                            "execution."),
    col("NominalConcurrencyShares", description="`nominalConcurrencyShares` (NCS) contributes to the computation "
                                                "of the NominalConcurrencyLimit (NominalCL) of this level."),
    col("Queues", description="`queues` is the number of queues for this priority level."),
    col("HandSize", description="`handSize` is a small positive number that configures the shuffle sharding of "
                                "requests into queues."),
    col("QueueLengthLimit", description="`queueLengthLimit` is the maximum number of requests allowed to be "
                                        "waiting in a given queue of this priority level at a time"),
    col("Age"),
]


def prioritylevel_row(obj, now):
    spec = obj.get("spec") or {}
    ncs = queues = hand = qll = "<none>"
    lim = spec.get("limited")
    if isinstance(lim, dict):
        ncs = i64(lim.get("nominalConcurrencyShares"))
        q = d(lim, "limitResponse", "queuing")
        if isinstance(q, dict):
            queues, hand, qll = i64(q.get("queues")), i64(q.get("handSize")), i64(q.get("queueLengthLimit"))
    return [name_of(obj), str(spec.get("type") or ""), ncs, queues, hand, qll, age_of(obj, now)]


register_printer("flowcontrol.apiserver.k8s.io/prioritylevelconfigurations", PRIORITYLEVEL_COLUMNS,
                 prioritylevel_row)
