/* kind_secrets — secrets: TYPE and the DATA count, as kubectl prints them. The values are never
 * read into the store: a secret's row holds its type and how many keys it has, nothing else. */
#include "model/kind.h"
#include "util/json.h"

#include <stdint.h>

enum { SEC_TYPE = OBJ_KIND0, SEC_DATA };

static void secrets_project(const cJSON *sec, struct obj_builder *b)
{
    obj_builder_add(b, json_strz(sec, "type"));
    const cJSON *data = json_get(sec, "data");
    obj_builder_addf(b, "%d", cJSON_IsObject(data) ? cJSON_GetArraySize(data) : 0);
    if (kind_deleting(sec))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column secrets_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"TYPE", 0, SEC_TYPE, NULL, SORT_NATURAL, NULL},
    {"DATA", 0, SEC_DATA, NULL, SORT_NUMBER, NULL},
    COLUMN_AGE,
};

static const char *const secrets_aliases[] = {"sec", NULL};

const struct kind kind_secrets = {
    .group = "",
    .version = "v1",
    .resource = "secrets",
    .singular = "secret",
    .kind = "Secret",
    .namespaced = true,
    .aliases = secrets_aliases,
    .columns = secrets_columns,
    .ncolumns = sizeof secrets_columns / sizeof secrets_columns[0],
    .project = secrets_project,
    .selector = -1,
    .caps = 0,
};
