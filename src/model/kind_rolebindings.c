/* kind_rolebindings — namespaced RBAC bindings: ROLE as kubectl prints it (`Kind/name` of the
 * roleRef), with k9s's KIND (the subjects' kinds: User, Group, SvcAcct) and SUBJECTS (their
 * names). */
#include "model/kind.h"
#include "util/json.h"

enum { RB_ROLE = OBJ_KIND0, RB_KIND, RB_SUBJECTS };

static void rolebindings_project(const cJSON *rb, struct obj_builder *b)
{
    const cJSON *ref = json_get(rb, "roleRef");
    obj_builder_addf(b, "%s/%s", json_strz(ref, "kind"), json_strz(ref, "name"));
    kind_put_subjects(b, json_get(rb, "subjects"));
    if (kind_deleting(rb))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column rolebindings_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"ROLE", 0, RB_ROLE, NULL, SORT_NATURAL, NULL},
    {"KIND", 0, RB_KIND, NULL, SORT_NATURAL, NULL},
    {"SUBJECTS", 0, RB_SUBJECTS, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const rolebindings_aliases[] = {"rb", NULL};

const struct kind kind_rolebindings = {
    .group = "rbac.authorization.k8s.io",
    .version = "v1",
    .resource = "rolebindings",
    .singular = "rolebinding",
    .kind = "RoleBinding",
    .namespaced = true,
    .aliases = rolebindings_aliases,
    .columns = rolebindings_columns,
    .ncolumns = sizeof rolebindings_columns / sizeof rolebindings_columns[0],
    .project = rolebindings_project,
    .selector = -1,
    .caps = 0,
};
