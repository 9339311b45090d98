/* kind_statefulsets — statefulsets: READY (readyReplicas/replicas) as kubectl prints it, k9s's
 * SERVICE and wide SELECTOR, CONTAINERS and IMAGES, and the pod selector the drill-down follows. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>
#include <string.h>

enum {
    STS_READY = OBJ_KIND0,
    STS_SELECTOR,
    STS_SERVICE,
    STS_CONTAINERS,
    STS_IMAGES,
};

static enum obj_state statefulset_state(const cJSON *sts, int64_t desired)
{
    const cJSON *meta = json_get(sts, "metadata"), *status = json_get(sts, "status");
    if (kind_deleting(sts))
        return OBJ_STATE_TERMINATING;
    const char *cur = json_strz(status, "currentRevision");
    const char *upd = json_strz(status, "updateRevision");
    if (json_int(status, "observedGeneration", 0) < json_int(meta, "generation", 0) ||
        json_int(status, "replicas", 0) != desired ||
        json_int(status, "updatedReplicas", desired) < desired || (upd[0] && strcmp(cur, upd) != 0))
        return OBJ_STATE_PENDING; /* scaling or rolling out, one pod at a time */
    if (json_int(status, "readyReplicas", 0) < desired ||
        json_int(status, "availableReplicas", desired) < desired)
        return OBJ_STATE_ERROR;
    return OBJ_STATE_OK;
}

static void statefulsets_project(const cJSON *sts, struct obj_builder *b)
{
    const cJSON *spec = json_get(sts, "spec"), *status = json_get(sts, "status");
    int64_t desired = json_int(spec, "replicas", 1); /* the server's default */
    obj_builder_addf(b, "%lld/%lld", (long long)json_int(status, "readyReplicas", 0),
                     (long long)desired);
    kind_put_selector(b, json_get(spec, "selector"));
    const char *svc = json_strz(spec, "serviceName");
    obj_builder_add(b, svc[0] ? svc : "<none>");
    const cJSON *podspec = json_path(spec, "template", "spec", NULL);
    kind_put_containers(b, podspec, false);
    kind_put_containers(b, podspec, true);
    b->state = (uint8_t)statefulset_state(sts, desired);
}

static const struct kind_column statefulsets_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"READY", 0, STS_READY, NULL, SORT_FRACTION, NULL},
    {"SELECTOR", COL_WIDE, STS_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"SERVICE", 0, STS_SERVICE, NULL, SORT_NATURAL, NULL},
    {"CONTAINERS", COL_WIDE, STS_CONTAINERS, NULL, SORT_NATURAL, NULL},
    {"IMAGES", COL_WIDE, STS_IMAGES, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const statefulsets_aliases[] = {"sts", NULL};

const struct kind kind_statefulsets = {
    .group = "apps",
    .version = "v1",
    .resource = "statefulsets",
    .singular = "statefulset",
    .kind = "StatefulSet",
    .namespaced = true,
    .aliases = statefulsets_aliases,
    .columns = statefulsets_columns,
    .ncolumns = sizeof statefulsets_columns / sizeof statefulsets_columns[0],
    .project = statefulsets_project,
    .selector = STS_SELECTOR,
    .caps = KIND_SCALABLE | KIND_RESTARTABLE | KIND_LOGS,
};
