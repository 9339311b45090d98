"""Protobuf request bodies for batch/v1 Job and CronJob (what `kubectl create job`, `create job
--from=cronjob/x` and `create cronjob` send), with a PodTemplateSpec schema other kinds can reuse.

The generic decoder in sim/protobuf.py drops every empty value, which loses the difference between an
unset pointer and a zero (`backoffLimit: 0`, `suspend: false`) and drops empty messages that carry
meaning (`emptyDir: {}`). This decoder follows Go's JSON rules instead: non-pointer scalars are omitted
when zero (omitempty), pointers (`*` in the schema) are kept when present, messages are always kept,
Quantity and IntOrString become their JSON forms, and an inlined Go struct (`inline`) merges into its
parent. It is chained in front of the generic protobuf body decoder for the kinds in SCHEMAS.

Schema entries: field number -> (json name, type); types: "s" string, "s!" string kept even when
empty, "s*" optional string, "i"/"i*" integers ("i!": no omitempty), "b"/"b*" booleans, "t" Time, "q" Quantity,
"ios" IntOrString, "mss" map<string,string>, "msq" map<string,Quantity>, "ls" repeated string,
"li" repeated integer, ("m", schema), ("lm", schema), ("inline", schema).
"""

import base64  # noqa: F401

from . import errors, protobuf, server, util

# ---- decoding -------------------------------------------------------------------------------------------


def _s(v):
    if not isinstance(v, bytes):
        raise protobuf.ProtoError("expected a string")
    return v.decode("utf-8", errors="replace")


def _int(v):
    if not isinstance(v, int):
        raise protobuf.ProtoError("expected a varint")
    return protobuf._signed(v)


def _time(v):
    secs = 0
    for num, _, val in protobuf.fields(v):
        if num == 1:
            secs = _int(val)
    return None if secs == 0 else util.rfc3339(secs)


def _quantity(v):
    for num, _, val in protobuf.fields(v):
        if num == 1:
            return _s(val)
    return "0"


def _int_or_string(v):
    typ, iv, sv = 0, 0, ""
    for num, _, val in protobuf.fields(v):
        if num == 1:
            typ = _int(val)
        elif num == 2:
            iv = _int(val)
        elif num == 3:
            sv = _s(val)
    return sv if typ == 1 else iv


def _map_entry(v, value_fn):
    key, val = "", None
    for num, _, x in protobuf.fields(v):
        if num == 1:
            key = _s(x)
        elif num == 2:
            val = value_fn(x)
    return key, val


def _varints(v):
    """A repeated integer field: one varint, or a packed run of them."""
    if isinstance(v, int):
        return [_int(v)]
    out, i = [], 0
    while i < len(v):
        x, i = protobuf._varint(v, i)
        out.append(protobuf._signed(x))
    return out


def decode(schema, buf):
    out = {}
    for num, wt, v in protobuf.fields(buf):
        spec = schema.get(num)
        if spec is None:
            continue
        name, typ = spec[0], spec[1]
        if isinstance(typ, tuple):
            kind, sub = typ
            if kind == "m":
                out[name] = decode(sub, v)
            elif kind == "lm":
                out.setdefault(name, []).append(decode(sub, v))
            elif kind == "inline":
                out.update(decode(sub, v))
            continue
        if typ in ("s", "s!", "s*"):
            x = _s(v)
            if x or typ != "s":
                out[name] = x
        elif typ in ("i", "i*", "i!"):
            x = _int(v)
            if x or typ != "i":
                out[name] = x
        elif typ in ("b", "b*"):
            x = bool(_int(v))
            if x or typ == "b*":
                out[name] = x
        elif typ == "t":
            out[name] = _time(v)
        elif typ == "q":
            out[name] = _quantity(v)
        elif typ == "ios":
            out[name] = _int_or_string(v)
        elif typ == "mss":
            k, x = _map_entry(v, _s)
            out.setdefault(name, {})[k] = x if x is not None else ""
        elif typ == "msq":
            k, x = _map_entry(v, _quantity)
            out.setdefault(name, {})[k] = x if x is not None else "0"
        elif typ == "ls":
            out.setdefault(name, []).append(_s(v))
        elif typ == "li":
            out.setdefault(name, []).extend(_varints(v))
    return out


# ---- schemas: meta/v1 --------------------------------------------------------------------------------------

OWNER_REF = {1: ("kind", "s!"), 3: ("name", "s!"), 4: ("uid", "s!"), 5: ("apiVersion", "s!"),
             6: ("controller", "b*"), 7: ("blockOwnerDeletion", "b*")}
OBJECT_META = {
    1: ("name", "s"), 2: ("generateName", "s"), 3: ("namespace", "s"), 4: ("selfLink", "s"), 5: ("uid", "s"),
    6: ("resourceVersion", "s"), 7: ("generation", "i"), 8: ("creationTimestamp", "t"),
    9: ("deletionTimestamp", "t"), 10: ("deletionGracePeriodSeconds", "i*"), 11: ("labels", "mss"),
    12: ("annotations", "mss"), 13: ("ownerReferences", ("lm", OWNER_REF)), 14: ("finalizers", "ls"),
}
SELECTOR_REQ = {1: ("key", "s!"), 2: ("operator", "s!"), 3: ("values", "ls")}
LABEL_SELECTOR = {1: ("matchLabels", "mss"), 2: ("matchExpressions", ("lm", SELECTOR_REQ))}

# ---- schemas: core/v1 --------------------------------------------------------------------------------------

LOCAL_REF = {1: ("name", "s")}
KEY_TO_PATH = {1: ("key", "s!"), 2: ("path", "s!"), 3: ("mode", "i*")}
OBJECT_FIELD = {1: ("apiVersion", "s"), 2: ("fieldPath", "s!")}
RESOURCE_FIELD = {1: ("containerName", "s"), 2: ("resource", "s!"), 3: ("divisor", "q")}
KEY_SELECTOR = {1: ("", ("inline", LOCAL_REF)), 2: ("key", "s!"), 3: ("optional", "b*")}
ENV_SOURCE = {1: ("fieldRef", ("m", OBJECT_FIELD)), 2: ("resourceFieldRef", ("m", RESOURCE_FIELD)),
              3: ("configMapKeyRef", ("m", KEY_SELECTOR)), 4: ("secretKeyRef", ("m", KEY_SELECTOR))}
ENV_VAR = {1: ("name", "s!"), 2: ("value", "s"), 3: ("valueFrom", ("m", ENV_SOURCE))}
REF_OPTIONAL = {1: ("", ("inline", LOCAL_REF)), 2: ("optional", "b*")}
ENV_FROM = {1: ("prefix", "s"), 2: ("configMapRef", ("m", REF_OPTIONAL)), 3: ("secretRef", ("m", REF_OPTIONAL))}
PORT = {1: ("name", "s"), 2: ("hostPort", "i"), 3: ("containerPort", "i"), 4: ("protocol", "s"),
        5: ("hostIP", "s")}
RESOURCES = {1: ("limits", "msq"), 2: ("requests", "msq"),
             3: ("claims", ("lm", {1: ("name", "s!"), 2: ("request", "s")}))}
MOUNT = {1: ("name", "s!"), 2: ("readOnly", "b"), 3: ("mountPath", "s!"), 4: ("subPath", "s"),
         5: ("mountPropagation", "s*"), 6: ("subPathExpr", "s"), 7: ("recursiveReadOnly", "s*")}
DEVICE = {1: ("name", "s!"), 2: ("devicePath", "s!")}
HTTP_HEADER = {1: ("name", "s!"), 2: ("value", "s!")}
HANDLER = {
    1: ("exec", ("m", {1: ("command", "ls")})),
    2: ("httpGet", ("m", {1: ("path", "s"), 2: ("port", "ios"), 3: ("host", "s"), 4: ("scheme", "s"),
                          5: ("httpHeaders", ("lm", HTTP_HEADER))})),
    3: ("tcpSocket", ("m", {1: ("port", "ios"), 2: ("host", "s")})),
    4: ("grpc", ("m", {1: ("port", "i!"), 2: ("service", "s*")})),
}
PROBE = {1: ("", ("inline", HANDLER)), 2: ("initialDelaySeconds", "i"), 3: ("timeoutSeconds", "i"),
         4: ("periodSeconds", "i"), 5: ("successThreshold", "i"), 6: ("failureThreshold", "i"),
         7: ("terminationGracePeriodSeconds", "i*")}
LIFECYCLE_HANDLER = dict(HANDLER)
LIFECYCLE_HANDLER[4] = ("sleep", ("m", {1: ("seconds", "i!")}))
LIFECYCLE = {1: ("postStart", ("m", LIFECYCLE_HANDLER)), 2: ("preStop", ("m", LIFECYCLE_HANDLER)),
             3: ("stopSignal", "s*")}
SELINUX = {1: ("user", "s"), 2: ("role", "s"), 3: ("type", "s"), 4: ("level", "s")}
WINDOWS = {1: ("gmsaCredentialSpecName", "s*"), 2: ("gmsaCredentialSpec", "s*"), 3: ("runAsUserName", "s*"),
           4: ("hostProcess", "b*")}
SECCOMP = {1: ("type", "s!"), 2: ("localhostProfile", "s*")}
SECURITY_CONTEXT = {
    1: ("capabilities", ("m", {1: ("add", "ls"), 2: ("drop", "ls")})), 2: ("privileged", "b*"),
    3: ("seLinuxOptions", ("m", SELINUX)), 4: ("runAsUser", "i*"), 5: ("runAsNonRoot", "b*"),
    6: ("readOnlyRootFilesystem", "b*"), 7: ("allowPrivilegeEscalation", "b*"), 8: ("runAsGroup", "i*"),
    9: ("procMount", "s*"), 10: ("windowsOptions", ("m", WINDOWS)), 11: ("seccompProfile", ("m", SECCOMP)),
    12: ("appArmorProfile", ("m", SECCOMP)),
}
CONTAINER = {
    1: ("name", "s!"), 2: ("image", "s"), 3: ("command", "ls"), 4: ("args", "ls"), 5: ("workingDir", "s"),
    6: ("ports", ("lm", PORT)), 7: ("env", ("lm", ENV_VAR)), 8: ("resources", ("m", RESOURCES)),
    9: ("volumeMounts", ("lm", MOUNT)), 10: ("livenessProbe", ("m", PROBE)), 11: ("readinessProbe", ("m", PROBE)),
    12: ("lifecycle", ("m", LIFECYCLE)), 13: ("terminationMessagePath", "s"), 14: ("imagePullPolicy", "s"),
    15: ("securityContext", ("m", SECURITY_CONTEXT)), 16: ("stdin", "b"), 17: ("stdinOnce", "b"), 18: ("tty", "b"),
    19: ("envFrom", ("lm", ENV_FROM)), 20: ("terminationMessagePolicy", "s"), 21: ("volumeDevices", ("lm", DEVICE)),
    22: ("startupProbe", ("m", PROBE)),
    23: ("resizePolicy", ("lm", {1: ("resourceName", "s!"), 2: ("restartPolicy", "s!")})),
    24: ("restartPolicy", "s*"),
}
NODE_REQ = {1: ("key", "s!"), 2: ("operator", "s!"), 3: ("values", "ls")}
NODE_TERM = {1: ("matchExpressions", ("lm", NODE_REQ)), 2: ("matchFields", ("lm", NODE_REQ))}
POD_AFFINITY_TERM = {1: ("labelSelector", ("m", LABEL_SELECTOR)), 2: ("namespaces", "ls"),
                     3: ("topologyKey", "s!"), 4: ("namespaceSelector", ("m", LABEL_SELECTOR)),
                     5: ("matchLabelKeys", "ls"), 6: ("mismatchLabelKeys", "ls")}
WEIGHTED_POD_TERM = {1: ("weight", "i!"), 2: ("podAffinityTerm", ("m", POD_AFFINITY_TERM))}
POD_AFFINITY = {1: ("requiredDuringSchedulingIgnoredDuringExecution", ("lm", POD_AFFINITY_TERM)),
                2: ("preferredDuringSchedulingIgnoredDuringExecution", ("lm", WEIGHTED_POD_TERM))}
AFFINITY = {
    1: ("nodeAffinity", ("m", {
        1: ("requiredDuringSchedulingIgnoredDuringExecution", ("m", {1: ("nodeSelectorTerms", ("lm", NODE_TERM))})),
        2: ("preferredDuringSchedulingIgnoredDuringExecution",
            ("lm", {1: ("weight", "i!"), 2: ("preference", ("m", NODE_TERM))}))})),
    2: ("podAffinity", ("m", POD_AFFINITY)), 3: ("podAntiAffinity", ("m", POD_AFFINITY)),
}
TOLERATION = {1: ("key", "s"), 2: ("operator", "s"), 3: ("value", "s"), 4: ("effect", "s"),
              5: ("tolerationSeconds", "i*")}
POD_SECURITY_CONTEXT = {
    1: ("seLinuxOptions", ("m", SELINUX)), 2: ("runAsUser", "i*"), 3: ("runAsNonRoot", "b*"),
    4: ("supplementalGroups", "li"), 5: ("fsGroup", "i*"), 6: ("runAsGroup", "i*"),
    7: ("sysctls", ("lm", {1: ("name", "s!"), 2: ("value", "s!")})), 8: ("windowsOptions", ("m", WINDOWS)),
    9: ("fsGroupChangePolicy", "s*"), 10: ("seccompProfile", ("m", SECCOMP)),
    11: ("appArmorProfile", ("m", SECCOMP)), 12: ("supplementalGroupsPolicy", "s*"),
    13: ("seLinuxChangePolicy", "s*"),
}
DOWNWARD_FILE = {1: ("path", "s!"), 2: ("fieldRef", ("m", OBJECT_FIELD)),
                 3: ("resourceFieldRef", ("m", RESOURCE_FIELD)), 4: ("mode", "i*")}
ITEMS_OPTIONAL = {1: ("", ("inline", LOCAL_REF)), 2: ("items", ("lm", KEY_TO_PATH)), 4: ("optional", "b*")}
VOLUME_SOURCE = {
    1: ("hostPath", ("m", {1: ("path", "s!"), 2: ("type", "s*")})),
    2: ("emptyDir", ("m", {1: ("medium", "s"), 2: ("sizeLimit", "q")})),
    6: ("secret", ("m", {1: ("secretName", "s"), 2: ("items", ("lm", KEY_TO_PATH)), 3: ("defaultMode", "i*"),
                         4: ("optional", "b*")})),
    7: ("nfs", ("m", {1: ("server", "s!"), 2: ("path", "s!"), 3: ("readOnly", "b")})),
    10: ("persistentVolumeClaim", ("m", {1: ("claimName", "s!"), 2: ("readOnly", "b")})),
    16: ("downwardAPI", ("m", {1: ("items", ("lm", DOWNWARD_FILE)), 2: ("defaultMode", "i*")})),
    19: ("configMap", ("m", {1: ("", ("inline", LOCAL_REF)), 2: ("items", ("lm", KEY_TO_PATH)),
                             3: ("defaultMode", "i*"), 4: ("optional", "b*")})),
    26: ("projected", ("m", {1: ("sources", ("lm", {
        1: ("secret", ("m", ITEMS_OPTIONAL)),
        2: ("downwardAPI", ("m", {1: ("items", ("lm", DOWNWARD_FILE))})),
        3: ("configMap", ("m", ITEMS_OPTIONAL)),
        4: ("serviceAccountToken", ("m", {1: ("audience", "s"), 2: ("expirationSeconds", "i*"),
                                          3: ("path", "s!")}))})), 2: ("defaultMode", "i*")})),
    28: ("csi", ("m", {1: ("driver", "s!"), 2: ("readOnly", "b*"), 3: ("fsType", "s*"),
                       4: ("volumeAttributes", "mss"), 5: ("nodePublishSecretRef", ("m", LOCAL_REF))})),
}
VOLUME = {1: ("name", "s!"), 2: ("", ("inline", VOLUME_SOURCE))}
TOPOLOGY_SPREAD = {1: ("maxSkew", "i!"), 2: ("topologyKey", "s!"), 3: ("whenUnsatisfiable", "s!"),
                   4: ("labelSelector", ("m", LABEL_SELECTOR)), 5: ("minDomains", "i*"),
                   6: ("nodeAffinityPolicy", "s*"), 7: ("nodeTaintsPolicy", "s*"), 8: ("matchLabelKeys", "ls")}
POD_SPEC = {
    1: ("volumes", ("lm", VOLUME)), 2: ("containers", ("lm", CONTAINER)), 3: ("restartPolicy", "s"),
    4: ("terminationGracePeriodSeconds", "i*"), 5: ("activeDeadlineSeconds", "i*"), 6: ("dnsPolicy", "s"),
    7: ("nodeSelector", "mss"), 8: ("serviceAccountName", "s"), 9: ("serviceAccount", "s"), 10: ("nodeName", "s"),
    11: ("hostNetwork", "b"), 12: ("hostPID", "b"), 13: ("hostIPC", "b"),
    14: ("securityContext", ("m", POD_SECURITY_CONTEXT)), 15: ("imagePullSecrets", ("lm", LOCAL_REF)),
    16: ("hostname", "s"), 17: ("subdomain", "s"), 18: ("affinity", ("m", AFFINITY)), 19: ("schedulerName", "s"),
    20: ("initContainers", ("lm", CONTAINER)), 21: ("automountServiceAccountToken", "b*"),
    22: ("tolerations", ("lm", TOLERATION)),
    23: ("hostAliases", ("lm", {1: ("ip", "s!"), 2: ("hostnames", "ls")})), 24: ("priorityClassName", "s"),
    25: ("priority", "i*"),
    26: ("dnsConfig", ("m", {1: ("nameservers", "ls"), 2: ("searches", "ls"),
                             3: ("options", ("lm", {1: ("name", "s"), 2: ("value", "s*")}))})),
    27: ("shareProcessNamespace", "b*"), 28: ("readinessGates", ("lm", {1: ("conditionType", "s!")})),
    29: ("runtimeClassName", "s*"), 30: ("enableServiceLinks", "b*"), 31: ("preemptionPolicy", "s*"),
    32: ("overhead", "msq"), 33: ("topologySpreadConstraints", ("lm", TOPOLOGY_SPREAD)),
    35: ("setHostnameAsFQDN", "b*"), 36: ("os", ("m", {1: ("name", "s!")})), 37: ("hostUsers", "b*"),
    38: ("schedulingGates", ("lm", {1: ("name", "s!")})), 40: ("resources", ("m", RESOURCES)),
}
POD_TEMPLATE_SPEC = {1: ("metadata", ("m", OBJECT_META)), 2: ("spec", ("m", POD_SPEC))}

# ---- schemas: batch/v1 --------------------------------------------------------------------------------------

POD_FAILURE_POLICY = {1: ("rules", ("lm", {
    1: ("action", "s!"),
    2: ("onExitCodes", ("m", {1: ("containerName", "s*"), 2: ("operator", "s!"), 3: ("values", "li")})),
    3: ("onPodConditions", ("lm", {1: ("type", "s!"), 2: ("status", "s!")}))}))}
SUCCESS_POLICY = {1: ("rules", ("lm", {1: ("succeededIndexes", "s*"), 2: ("succeededCount", "i*")}))}
JOB_SPEC = {
    1: ("parallelism", "i*"), 2: ("completions", "i*"), 3: ("activeDeadlineSeconds", "i*"),
    4: ("selector", ("m", LABEL_SELECTOR)), 5: ("manualSelector", "b*"), 6: ("template", ("m", POD_TEMPLATE_SPEC)),
    7: ("backoffLimit", "i*"), 8: ("ttlSecondsAfterFinished", "i*"), 9: ("completionMode", "s*"),
    10: ("suspend", "b*"), 11: ("podFailurePolicy", ("m", POD_FAILURE_POLICY)), 12: ("backoffLimitPerIndex", "i*"),
    13: ("maxFailedIndexes", "i*"), 14: ("podReplacementPolicy", "s*"), 15: ("managedBy", "s*"),
    16: ("successPolicy", ("m", SUCCESS_POLICY)),
}
JOB = {1: ("metadata", ("m", OBJECT_META)), 2: ("spec", ("m", JOB_SPEC))}
JOB_TEMPLATE_SPEC = {1: ("metadata", ("m", OBJECT_META)), 2: ("spec", ("m", JOB_SPEC))}
CRONJOB_SPEC = {1: ("schedule", "s!"), 2: ("startingDeadlineSeconds", "i*"), 3: ("concurrencyPolicy", "s"),
                4: ("suspend", "b*"), 5: ("jobTemplate", ("m", JOB_TEMPLATE_SPEC)),
                6: ("successfulJobsHistoryLimit", "i*"), 7: ("failedJobsHistoryLimit", "i*"),
                8: ("timeZone", "s*")}
CRONJOB = {1: ("metadata", ("m", OBJECT_META)), 2: ("spec", ("m", CRONJOB_SPEC))}

SCHEMAS = {("batch/v1", "Job"): JOB, ("batch/v1", "CronJob"): CRONJOB}


def decode_object(body):
    """(handled, object) for a k8s protobuf body of one of SCHEMAS."""
    try:
        api_version, kind, raw = protobuf.unwrap(body)
    except protobuf.ProtoError as e:
        raise errors.bad_request("unable to decode protobuf body: %s" % e)
    schema = SCHEMAS.get((api_version, kind))
    if schema is None:
        return False, None
    try:
        obj = decode(schema, raw)
    except (protobuf.ProtoError, IndexError, TypeError) as e:
        raise errors.bad_request("unable to decode protobuf body: %s" % e)
    out = {"apiVersion": api_version, "kind": kind}
    out.update(obj)
    out.setdefault("metadata", {})
    return True, out


_CT = "application/vnd.kubernetes.protobuf"
_previous = server.BODY_DECODERS.get(_CT)


def _decoder(req):
    handled, obj = decode_object(req.body or b"")
    if handled:
        return obj
    if _previous is None:
        raise errors.unsupported_media_type("unsupported protobuf body")
    return _previous(req)


server.BODY_DECODERS[_CT] = _decoder
