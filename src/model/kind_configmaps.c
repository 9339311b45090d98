/* kind_configmaps — configmaps: DATA counts the keys of data and binaryData, as kubectl does.
 * Only the count is kept, never the values. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum { CM_DATA = OBJ_KIND0 };

static int keys(const cJSON *map)
{
    return cJSON_IsObject(map) ? cJSON_GetArraySize(map) : 0;
}

static void configmaps_project(const cJSON *cm, struct obj_builder *b)
{
    obj_builder_addf(b, "%d", keys(json_get(cm, "data")) + keys(json_get(cm, "binaryData")));
    if (kind_deleting(cm))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column configmaps_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"DATA", 0, CM_DATA, NULL, SORT_NUMBER, NULL},
    COLUMN_AGE,
};

static const char *const configmaps_aliases[] = {"cm", NULL};

const struct kind kind_configmaps = {
    .group = "",
    .version = "v1",
    .resource = "configmaps",
    .singular = "configmap",
    .kind = "ConfigMap",
    .namespaced = true,
    .aliases = configmaps_aliases,
    .columns = configmaps_columns,
    .ncolumns = sizeof configmaps_columns / sizeof configmaps_columns[0],
    .project = configmaps_project,
    .selector = -1,
    .caps = 0,
};
