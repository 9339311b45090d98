/* kind_deployments — deployments: READY (readyReplicas/replicas), UP-TO-DATE and AVAILABLE as
 * kubectl prints them, k9s's column set, and the pod selector the drill-down follows. A
 * rollout in progress is pending; a settled deployment short of available pods is an error. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum { DP_READY = OBJ_KIND0, DP_UPTODATE, DP_AVAILABLE, DP_SELECTOR };

static enum obj_state deployment_state(const cJSON *dp, int64_t desired)
{
    const cJSON *meta = json_get(dp, "metadata"), *status = json_get(dp, "status");
    if (kind_deleting(dp))
        return OBJ_STATE_TERMINATING;
    if (kind_condition_is(status, "Progressing", "False"))
        return OBJ_STATE_ERROR; /* ProgressDeadlineExceeded: the rollout is stuck */
    int64_t updated = json_int(status, "updatedReplicas", 0);
    if (json_int(status, "observedGeneration", 0) < json_int(meta, "generation", 0) ||
        updated < desired || json_int(status, "replicas", 0) > updated)
        return OBJ_STATE_PENDING; /* old pods are still being replaced */
    if (json_int(status, "availableReplicas", 0) < desired ||
        json_int(status, "readyReplicas", 0) < desired)
        return OBJ_STATE_ERROR;
    return OBJ_STATE_OK;
}

static void deployments_project(const cJSON *dp, struct obj_builder *b)
{
    const cJSON *spec = json_get(dp, "spec"), *status = json_get(dp, "status");
    /* spec.replicas defaults to 1 on the server; kubectl prints the defaulted value. */
    int64_t desired = json_int(spec, "replicas", 1);
    obj_builder_addf(b, "%lld/%lld", (long long)json_int(status, "readyReplicas", 0),
                     (long long)desired);
    obj_builder_addf(b, "%lld", (long long)json_int(status, "updatedReplicas", 0));
    obj_builder_addf(b, "%lld", (long long)json_int(status, "availableReplicas", 0));
    kind_put_selector(b, json_get(spec, "selector"));
    b->state = (uint8_t)deployment_state(dp, desired);
}

static const struct kind_column deployments_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"READY", 0, DP_READY, NULL, SORT_FRACTION, NULL},
    {"UP-TO-DATE", 0, DP_UPTODATE, NULL, SORT_NUMBER, NULL},
    {"AVAILABLE", 0, DP_AVAILABLE, NULL, SORT_NUMBER, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const deployments_aliases[] = {"deploy", "dp", NULL};

const struct kind kind_deployments = {
    .group = "apps",
    .version = "v1",
    .resource = "deployments",
    .singular = "deployment",
    .kind = "Deployment",
    .namespaced = true,
    .aliases = deployments_aliases,
    .columns = deployments_columns,
    .ncolumns = sizeof deployments_columns / sizeof deployments_columns[0],
    .project = deployments_project,
    .selector = DP_SELECTOR,
    .caps = KIND_SCALABLE | KIND_RESTARTABLE | KIND_LOGS,
};
