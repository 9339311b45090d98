/* kind_roles — namespaced RBAC roles: k9s's columns (NAME, wide LABELS, AGE); kubectl has no
 * printer for roles beyond the name and creation time. Their rules are not kept: the table
 * shows none of them. */
#include "model/kind.h"
#include "util/json.h"

static void roles_project(const cJSON *role, struct obj_builder *b)
{
    if (kind_deleting(role))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column roles_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const roles_aliases[] = {"ro", NULL};

const struct kind kind_roles = {
    .group = "rbac.authorization.k8s.io",
    .version = "v1",
    .resource = "roles",
    .singular = "role",
    .kind = "Role",
    .namespaced = true,
    .aliases = roles_aliases,
    .columns = roles_columns,
    .ncolumns = sizeof roles_columns / sizeof roles_columns[0],
    .project = roles_project,
    .selector = -1,
    .caps = 0,
};
