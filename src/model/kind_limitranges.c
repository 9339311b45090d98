/* kind_limitranges — limit ranges: the apiserver has no printer for them, so kubectl shows NAME
 * and CREATED AT (its default table), as k9s does through that table; AGE ends the row as for
 * every kind. Their limits are not kept: the table shows none of them. */
#include "model/kind.h"
#include "util/json.h"
#include "util/rfc3339.h"

#include <stdint.h>

static void limitranges_project(const cJSON *lr, struct obj_builder *b)
{
    if (kind_deleting(lr))
        b->state = OBJ_STATE_TERMINATING;
}

/* The default table's "Created At": the creation time in RFC 3339, UTC; empty for a zero time
 * (the server sends null). It does not move with the clock. */
static const char *cell_created_at(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    if (!o->created)
        return "";
    rfc3339_format(o->created, buf, CELL_MAX);
    return buf;
}

static int64_t key_created_at(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->created ? o->created : INT64_MIN;
}

static const struct kind_column limitranges_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"CREATED AT", 0, -1, cell_created_at, SORT_KEY, key_created_at},
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
