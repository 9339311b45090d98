/* kind_daemonsets — daemonsets: DESIRED, CURRENT, READY, UP-TO-DATE and AVAILABLE as kubectl
 * prints them (from the status counters), and the pod selector the drill-down follows. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum {
    DS_DESIRED = OBJ_KIND0,
    DS_CURRENT,
    DS_READY,
    DS_UPTODATE,
    DS_AVAILABLE,
    DS_SELECTOR,
};

static enum obj_state daemonset_state(const cJSON *ds)
{
    const cJSON *meta = json_get(ds, "metadata"), *status = json_get(ds, "status");
    if (kind_deleting(ds))
        return OBJ_STATE_TERMINATING;
    int64_t desired = json_int(status, "desiredNumberScheduled", 0);
    if (json_int(status, "numberMisscheduled", 0) > 0)
        return OBJ_STATE_ERROR;
    if (json_int(status, "observedGeneration", 0) < json_int(meta, "generation", 0) ||
        json_int(status, "updatedNumberScheduled", 0) < desired ||
        json_int(status, "currentNumberScheduled", 0) < desired)
        return OBJ_STATE_PENDING; /* rolling out node by node */
    if (json_int(status, "numberReady", 0) < desired ||
        json_int(status, "numberAvailable", 0) < desired)
        return OBJ_STATE_ERROR;
    return OBJ_STATE_OK;
}

static void daemonsets_project(const cJSON *ds, struct obj_builder *b)
{
    const cJSON *status = json_get(ds, "status");
    static const char *const counters[] = {"desiredNumberScheduled", "currentNumberScheduled",
                                           "numberReady", "updatedNumberScheduled",
                                           "numberAvailable"};
    for (size_t i = 0; i < sizeof counters / sizeof counters[0]; i++)
        obj_builder_addf(b, "%lld", (long long)json_int(status, counters[i], 0));
    kind_put_selector(b, json_path(ds, "spec", "selector", NULL));
    b->state = (uint8_t)daemonset_state(ds);
}

static const struct kind_column daemonsets_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"DESIRED", 0, DS_DESIRED, NULL, SORT_NUMBER, NULL},
    {"CURRENT", 0, DS_CURRENT, NULL, SORT_NUMBER, NULL},
    {"READY", 0, DS_READY, NULL, SORT_NUMBER, NULL},
    {"UP-TO-DATE", 0, DS_UPTODATE, NULL, SORT_NUMBER, NULL},
    {"AVAILABLE", 0, DS_AVAILABLE, NULL, SORT_NUMBER, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const daemonsets_aliases[] = {"ds", NULL};

const struct kind kind_daemonsets = {
    .group = "apps",
    .version = "v1",
    .resource = "daemonsets",
    .singular = "daemonset",
    .kind = "DaemonSet",
    .namespaced = true,
    .aliases = daemonsets_aliases,
    .columns = daemonsets_columns,
    .ncolumns = sizeof daemonsets_columns / sizeof daemonsets_columns[0],
    .project = daemonsets_project,
    .selector = DS_SELECTOR,
    .caps = KIND_RESTARTABLE | KIND_LOGS,
};
