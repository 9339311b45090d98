/* kind_limitranges — limit ranges: the apiserver has no printer for them, so kubectl shows NAME
 * and CREATED AT (its default table), as k9s does through that table; AGE ends the row as for
 * every kind. Their limits are not kept: the table shows none of them. */
#include "model/kind.h"
#include "util/json.h"

static void limitranges_project(const cJSON *lr, struct obj_builder *b)
{
    if (kind_deleting(lr))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column limitranges_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    COLUMN_CREATED_AT,
    COLUMN_AGE,
};

static const char *const limitranges_aliases[] = {"limits", NULL};

const struct kind kind_limitranges = {
    .group = "",
    .version = "v1",
    .resource = "limitranges",
    .singular = "limitrange",
    .kind = "LimitRange",
    .namespaced = true,
    .aliases = limitranges_aliases,
    .columns = limitranges_columns,
    .ncolumns = sizeof limitranges_columns / sizeof limitranges_columns[0],
    .project = limitranges_project,
    .selector = -1,
    .caps = 0,
};
