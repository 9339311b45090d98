"""Protobuf request bodies for apps/v1 Deployment and ReplicaSet (what `kubectl create deployment` sends)
and policy/v1 / policy/v1beta1 Eviction (what the typed clients, `kubectl drain` among them, may send),
decoded with the Go-JSON-faithful decoder and the PodTemplateSpec schema of ext_protobuf_batch.

Field numbers are those of k8s.io/api apps/v1 and policy/v1 generated.proto.
"""

from . import ext_protobuf_batch as pb

ROLLING_UPDATE = {1: ("maxUnavailable", "ios"), 2: ("maxSurge", "ios")}
DEPLOYMENT_STRATEGY = {1: ("type", "s"), 2: ("rollingUpdate", ("m", ROLLING_UPDATE))}
DEPLOYMENT_SPEC = {
    1: ("replicas", "i*"), 2: ("selector", ("m", pb.LABEL_SELECTOR)), 3: ("template", ("m", pb.POD_TEMPLATE_SPEC)),
    4: ("strategy", ("m", DEPLOYMENT_STRATEGY)), 5: ("minReadySeconds", "i"), 6: ("revisionHistoryLimit", "i*"),
    7: ("paused", "b"), 9: ("progressDeadlineSeconds", "i*"),
}
DEPLOYMENT = {1: ("metadata", ("m", pb.OBJECT_META)), 2: ("spec", ("m", DEPLOYMENT_SPEC))}

REPLICASET_SPEC = {1: ("replicas", "i*"), 2: ("selector", ("m", pb.LABEL_SELECTOR)),
                   3: ("template", ("m", pb.POD_TEMPLATE_SPEC)), 4: ("minReadySeconds", "i")}
REPLICASET = {1: ("metadata", ("m", pb.OBJECT_META)), 2: ("spec", ("m", REPLICASET_SPEC))}

PRECONDITIONS = {1: ("uid", "s*"), 2: ("resourceVersion", "s*")}
DELETE_OPTIONS = {1: ("gracePeriodSeconds", "i*"), 2: ("preconditions", ("m", PRECONDITIONS)),
                  3: ("orphanDependents", "b*"), 4: ("propagationPolicy", "s*"), 5: ("dryRun", "ls")}
EVICTION = {1: ("metadata", ("m", pb.OBJECT_META)), 2: ("deleteOptions", ("m", DELETE_OPTIONS))}

pb.SCHEMAS[("apps/v1", "Deployment")] = DEPLOYMENT
pb.SCHEMAS[("apps/v1", "ReplicaSet")] = REPLICASET
pb.SCHEMAS[("policy/v1", "Eviction")] = EVICTION
pb.SCHEMAS[("policy/v1beta1", "Eviction")] = EVICTION
