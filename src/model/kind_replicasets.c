/* kind_replicasets — replicasets: DESIRED, CURRENT and READY as kubectl prints them, the wide
 * CONTAINERS, IMAGES and SELECTOR, and the pod selector the drill-down follows. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum { RS_DESIRED = OBJ_KIND0, RS_CURRENT, RS_READY, RS_CONTAINERS, RS_IMAGES, RS_SELECTOR };

static enum obj_state replicaset_state(const cJSON *rs, int64_t desired)
{
    const cJSON *meta = json_get(rs, "metadata"), *status = json_get(rs, "status");
    if (kind_deleting(rs))
        return OBJ_STATE_TERMINATING;
    if (kind_condition_is(status, "ReplicaFailure", "True"))
        return OBJ_STATE_ERROR; /* pods cannot be created (quota, admission ...) */
    if (json_int(status, "observedGeneration", 0) < json_int(meta, "generation", 0) ||
        json_int(status, "replicas", 0) != desired)
        return OBJ_STATE_PENDING; /* scaling */
    if (json_int(status, "readyReplicas", 0) < desired)
        return OBJ_STATE_ERROR;
    return OBJ_STATE_OK;
}

static void replicasets_project(const cJSON *rs, struct obj_builder *b)
{
    const cJSON *spec = json_get(rs, "spec"), *status = json_get(rs, "status");
    int64_t desired = json_int(spec, "replicas", 1); /* the server's default */
    obj_builder_addf(b, "%lld", (long long)desired);
    obj_builder_addf(b, "%lld", (long long)json_int(status, "replicas", 0));
    obj_builder_addf(b, "%lld", (long long)json_int(status, "readyReplicas", 0));
    const cJSON *podspec = json_path(spec, "template", "spec", NULL);
    kind_put_containers(b, podspec, false);
    kind_put_containers(b, podspec, true);
    kind_put_selector(b, json_get(spec, "selector"));
    b->state = (uint8_t)replicaset_state(rs, desired);
}

static const struct kind_column replicasets_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"DESIRED", 0, RS_DESIRED, NULL, SORT_NUMBER, NULL},
    {"CURRENT", 0, RS_CURRENT, NULL, SORT_NUMBER, NULL},
    {"READY", 0, RS_READY, NULL, SORT_NUMBER, NULL},
    {"CONTAINERS", COL_WIDE, RS_CONTAINERS, NULL, SORT_NATURAL, NULL},
    {"IMAGES", COL_WIDE, RS_IMAGES, NULL, SORT_NATURAL, NULL},
    {"SELECTOR", COL_WIDE, RS_SELECTOR, NULL, SORT_NATURAL, NULL},
    COLUMN_AGE,
};

static const char *const replicasets_aliases[] = {"rs", NULL};

const struct kind kind_replicasets = {
    .group = "apps",
    .version = "v1",
    .resource = "replicasets",
    .singular = "replicaset",
    .kind = "ReplicaSet",
    .namespaced = true,
    .aliases = replicasets_aliases,
    .columns = replicasets_columns,
    .ncolumns = sizeof replicasets_columns / sizeof replicasets_columns[0],
    .project = replicasets_project,
    .selector = RS_SELECTOR,
    .caps = KIND_SCALABLE | KIND_LOGS,
};
