/* kind_clusterrolebindings — cluster-wide RBAC bindings, k9s's columns: CLUSTERROLE (the
 * roleRef's name; kubectl's ROLE column prints it as `ClusterRole/name`), SUBJECT-KIND (the
 * subjects' kinds: User, Group, SvcAcct) and SUBJECTS (their names). */
#include "model/kind.h"
#include "util/json.h"

enum { CRB_ROLE = OBJ_KIND0, CRB_KIND, CRB_SUBJECTS };

static void clusterrolebindings_project(const cJSON *rb, struct obj_builder *b)
{
    obj_builder_add(b, json_strz(json_get(rb, "roleRef"), "name"));
    kind_put_subjects(b, json_get(rb, "subjects"));
    if (kind_deleting(rb))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column clusterrolebindings_columns[] = {
    COLUMN_NAME,
    {"CLUSTERROLE", 0, CRB_ROLE, NULL, SORT_NATURAL, NULL},
    {"SUBJECT-KIND", 0, CRB_KIND, NULL, SORT_NATURAL, NULL},
    {"SUBJECTS", 0, CRB_SUBJECTS, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const clusterrolebindings_aliases[] = {"crb", NULL};

const struct kind kind_clusterrolebindings = {
    .group = "rbac.authorization.k8s.io",
    .version = "v1",
    .resource = "clusterrolebindings",
    .singular = "clusterrolebinding",
    .kind = "ClusterRoleBinding",
    .namespaced = false,
    .aliases = clusterrolebindings_aliases,
    .columns = clusterrolebindings_columns,
    .ncolumns = sizeof clusterrolebindings_columns / sizeof clusterrolebindings_columns[0],
    .project = clusterrolebindings_project,
    .selector = -1,
    .caps = 0,
};
