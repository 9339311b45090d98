/* kind_customresourcedefinitions — CRDs: NAME (plural.group) and CREATED AT as kubectl prints
 * them (the apiserver has no printer for CRDs: its default table), with k9s's GROUP, KIND,
 * VERSIONS (served ones, `!` marking deprecated), SCOPE and wide ALIASES. A CRD that serves no
 * version or whose names were not accepted is an error. */
#include "model/kind.h"
#include "util/json.h"
#include "util/strbuf.h"

enum { CRD_GROUP = OBJ_KIND0, CRD_KIND, CRD_VERSIONS, CRD_SCOPE, CRD_ALIASES };

/* The strings of an array joined by ",", or "n/a" when there are none (k9s's naStrings). */
static void put_list(struct obj_builder *b, const cJSON *arr)
{
    struct strbuf sb = {0};
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsString(it))
            strbuf_printf(&sb, "%s%s", sb.len ? "," : "", it->valuestring);
    }
    obj_builder_add(b, sb.len ? strbuf_str(&sb) : "n/a");
    strbuf_free(&sb);
}

static void crds_project(const cJSON *crd, struct obj_builder *b)
{
    const cJSON *spec = json_get(crd, "spec"), *names = json_get(spec, "names");
    obj_builder_add(b, json_strz(spec, "group"));
    obj_builder_add(b, json_strz(names, "kind"));
    struct strbuf sb = {0};
    const cJSON *v;
    cJSON_ArrayForEach(v, json_get(spec, "versions"))
    {
        if (json_true(v, "served"))
            strbuf_printf(&sb, "%s%s%s", sb.len ? "," : "", json_strz(v, "name"),
                          json_true(v, "deprecated") ? "!" : "");
    }
    obj_builder_add(b, sb.len ? strbuf_str(&sb) : "n/a");
    bool served = sb.len > 0;
    strbuf_free(&sb);
    obj_builder_add(b, json_strz(spec, "scope"));
    put_list(b, json_get(names, "shortNames"));
    const cJSON *status = json_get(crd, "status");
    if (kind_deleting(crd))
        b->state = OBJ_STATE_TERMINATING;
    else if (!served || kind_condition_is(status, "NamesAccepted", "False") ||
             kind_condition_is(status, "Established", "False"))
        b->state = OBJ_STATE_ERROR;
}

static const struct kind_column crds_columns[] = {
    COLUMN_NAME,
    {"GROUP", 0, CRD_GROUP, NULL, SORT_NATURAL, NULL},
    {"KIND", 0, CRD_KIND, NULL, SORT_NATURAL, NULL},
    {"VERSIONS", 0, CRD_VERSIONS, NULL, SORT_NATURAL, NULL},
    {"SCOPE", 0, CRD_SCOPE, NULL, SORT_NATURAL, NULL},
    {"ALIASES", COL_WIDE, CRD_ALIASES, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_CREATED_AT,
    COLUMN_AGE,
};

static const char *const crds_aliases[] = {"crd", "crds", NULL};

const struct kind kind_customresourcedefinitions = {
    .group = "apiextensions.k8s.io",
    .version = "v1",
    .resource = "customresourcedefinitions",
    .singular = "customresourcedefinition",
    .kind = "CustomResourceDefinition",
    .namespaced = false,
    .aliases = crds_aliases,
    .columns = crds_columns,
    .ncolumns = sizeof crds_columns / sizeof crds_columns[0],
    .project = crds_project,
    .selector = -1,
    .caps = 0,
};
