/* kind_clusterrolebindings — cluster-wide RBAC bindings, k9s's columns: CLUSTERROLE (the
 * roleRef's name; kubectl's ROLE column prints it as `ClusterRole/name`), SUBJECT-KIND (the
 * subjects' kinds: User, Group, SvcAcct) and SUBJECTS (their names). */
#include "model/kind.h"
#include "util/json.h"
#include "util/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum { CRB_ROLE = OBJ_KIND0, CRB_KIND, CRB_SUBJECTS };

/* k9s's toSubjectAlias. */
static void subject_alias(const char *kind, char *out, size_t n)
{
    if (strcmp(kind, "User") == 0 || strcmp(kind, "Group") == 0) {
        snprintf(out, n, "%s", kind);
    } else if (strcmp(kind, "ServiceAccount") == 0) {
        snprintf(out, n, "SvcAcct");
    } else {
        size_t i = 0;
        for (; kind[i] && i + 1 < n; i++)
            out[i] = (char)toupper((unsigned char)kind[i]);
        out[i] = '\0';
    }
}

/* KIND: the distinct subject kinds in order of appearance ("n/a" without subjects; k9s shows the
 * last subject's kind, which misleads for mixed subjects); SUBJECTS: the names. */
static void put_subjects(struct obj_builder *b, const cJSON *subjects)
{
    struct strbuf kinds = {0}, names = {0};
    char seen[8][64];
    int nseen = 0, n = 0;
    const cJSON *s;
    cJSON_ArrayForEach(s, subjects)
    {
        char alias[64];
        subject_alias(json_strz(s, "kind"), alias, sizeof alias);
        int j = 0;
        while (j < nseen && strcmp(seen[j], alias) != 0)
            j++;
        if (j == nseen && alias[0]) {
            if (nseen < 8)
                memcpy(seen[nseen++], alias, sizeof alias);
            strbuf_printf(&kinds, "%s%s", kinds.len ? "," : "", alias);
        }
        strbuf_printf(&names, "%s%s", n++ ? "," : "", json_strz(s, "name"));
    }
    obj_builder_add(b, n ? strbuf_str(&kinds) : "n/a");
    obj_builder_add(b, strbuf_str(&names));
    strbuf_free(&kinds);
    strbuf_free(&names);
}

static void clusterrolebindings_project(const cJSON *rb, struct obj_builder *b)
{
    obj_builder_add(b, json_strz(json_get(rb, "roleRef"), "name"));
    put_subjects(b, json_get(rb, "subjects"));
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
