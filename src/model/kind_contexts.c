/* kind_contexts — the kubeconfig's contexts as a table (:ctx): NAME (the current one marked
 * "(*)", as k9s marks it), CLUSTER, AUTHINFO, NAMESPACE and the FILE that defines it. Rows come
 * from the merged kubeconfig, not from a server: see kind_contexts_items. */
#include "client/kubeconfig.h"
#include "model/kind.h"
#include "util/json.h"

#include <stdio.h>
#include <string.h>

enum { CTX_CLUSTER = OBJ_KIND0, CTX_USER, CTX_NAMESPACE, CTX_FILE };
enum { N_CURRENT };

static void contexts_project(const cJSON *o, struct obj_builder *b)
{
    obj_builder_add(b, json_strz(o, "cluster"));
    obj_builder_add(b, json_strz(o, "user"));
    obj_builder_add(b, json_strz(o, "namespace"));
    obj_builder_add(b, json_strz(o, "file"));
    b->num[N_CURRENT] = json_true(o, "current");
}

static const char *cell_name(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    if (!o->num[N_CURRENT])
        return obj_str(o, OBJ_NAME);
    snprintf(buf, CELL_MAX, "%s(*)", obj_str(o, OBJ_NAME));
    return buf;
}

static const struct kind_column contexts_columns[] = {
    {"NAME", 0, -1, cell_name, SORT_NATURAL, NULL},
    {"CLUSTER", 0, CTX_CLUSTER, NULL, SORT_NATURAL, NULL},
    {"AUTHINFO", 0, CTX_USER, NULL, SORT_NATURAL, NULL},
    {"NAMESPACE", 0, CTX_NAMESPACE, NULL, SORT_NATURAL, NULL},
    {"FILE", 0, CTX_FILE, NULL, SORT_NATURAL, NULL},
};

static const char *const contexts_aliases[] = {"ctx", "context", NULL};

const struct kind kind_contexts = {
    .group = "",
    .version = "",
    .resource = "contexts",
    .singular = "context",
    .kind = "Context",
    .namespaced = false,
    .aliases = contexts_aliases,
    .columns = contexts_columns,
    .ncolumns = sizeof contexts_columns / sizeof contexts_columns[0],
    .project = contexts_project,
    .selector = -1,
    .caps = KIND_LOCAL,
};

cJSON *kind_contexts_items(const struct kubeconfig *kc, const char *current)
{
    cJSON *items = cJSON_CreateArray();
    for (size_t i = 0; i < kc->contexts.len; i++) {
        const struct kc_context *c = &kc->contexts.v[i];
        cJSON *it = cJSON_CreateObject();
        cJSON *md = cJSON_AddObjectToObject(it, "metadata");
        cJSON_AddStringToObject(md, "name", c->name);
        char uid[600];
        snprintf(uid, sizeof uid, "context/%s", c->name);
        cJSON_AddStringToObject(md, "uid", uid);
        cJSON_AddStringToObject(it, "cluster", c->cluster ? c->cluster : "");
        cJSON_AddStringToObject(it, "user", c->user ? c->user : "");
        cJSON_AddStringToObject(it, "namespace", c->namespace ? c->namespace : "");
        cJSON_AddStringToObject(it, "file", c->source ? c->source : "");
        cJSON_AddBoolToObject(it, "current", current && strcmp(current, c->name) == 0);
        cJSON_AddItemToArray(items, it);
    }
    return items;
}
