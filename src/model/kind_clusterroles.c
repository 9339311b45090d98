/* kind_clusterroles — cluster-wide RBAC roles: k9s's columns (NAME, wide LABELS, AGE); kubectl
 * has no printer for them beyond the name and creation time. Their rules are not kept: the table
 * shows none of them. */
#include "model/kind.h"
#include "util/json.h"

static void clusterroles_project(const cJSON *role, struct obj_builder *b)
{
    if (kind_deleting(role))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column clusterroles_columns[] = {
    COLUMN_NAME,
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const clusterroles_aliases[] = {"cr", NULL};

const struct kind kind_clusterroles = {
    .group = "rbac.authorization.k8s.io",
    .version = "v1",
    .resource = "clusterroles",
    .singular = "clusterrole",
    .kind = "ClusterRole",
    .namespaced = false,
    .aliases = clusterroles_aliases,
    .columns = clusterroles_columns,
    .ncolumns = sizeof clusterroles_columns / sizeof clusterroles_columns[0],
    .project = clusterroles_project,
    .selector = -1,
    .caps = 0,
};
