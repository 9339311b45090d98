/* op_rollback — rollout history and undo. */
#include "client/op_rollback.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REVISION_ANNOTATION "deployment.kubernetes.io/revision"
#define CAUSE_ANNOTATION    "kubernetes.io/change-cause"
#define HASH_LABEL          "pod-template-hash"

static bool is_deployment(const char *resource)
{
    return strcmp(resource, "deployments") == 0;
}

void op_selector_string(const cJSON *sel, struct strbuf *out)
{
    const cJSON *it;
    bool first = true;
    cJSON_ArrayForEach(it, json_get(sel, "matchLabels"))
    {
        if (!cJSON_IsString(it))
            continue;
        strbuf_printf(out, "%s%s=%s", first ? "" : ",", it->string, it->valuestring);
        first = false;
    }
    cJSON_ArrayForEach(it, json_get(sel, "matchExpressions"))
    {
        const char *key = json_strz(it, "key"), *op = json_strz(it, "operator");
        strbuf_puts(out, first ? "" : ",");
        first = false;
        if (strcmp(op, "Exists") == 0) {
            strbuf_puts(out, key);
        } else if (strcmp(op, "DoesNotExist") == 0) {
            strbuf_printf(out, "!%s", key);
        } else {
            strbuf_printf(out, "%s %s (", key, strcmp(op, "NotIn") == 0 ? "notin" : "in");
            const cJSON *v;
            bool vfirst = true;
            cJSON_ArrayForEach(v, json_get(it, "values"))
            {
                strbuf_printf(out, "%s%s", vfirst ? "" : ",",
                              cJSON_IsString(v) ? v->valuestring : "");
                vfirst = false;
            }
            strbuf_putc(out, ')');
        }
    }
}

static bool controlled_by(const cJSON *obj, const char *uid)
{
    const cJSON *ref;
    cJSON_ArrayForEach(ref, json_path(obj, "metadata", "ownerReferences", NULL))
    {
        if (json_true(ref, "controller") && strcmp(json_strz(ref, "uid"), uid) == 0)
            return true;
    }
    return false;
}

static char *images_of(const cJSON *tmpl)
{
    struct strbuf sb = {0};
    const cJSON *c;
    cJSON_ArrayForEach(c, json_path(tmpl, "spec", "containers", NULL))
    {
        strbuf_printf(&sb, "%s%s", sb.len ? "," : "", json_strz(c, "image"));
    }
    return strbuf_take(&sb);
}

static int newest_first(const void *a, const void *b)
{
    int64_t x = ((const struct revision *)a)->number, y = ((const struct revision *)b)->number;
    return x < y ? 1 : x > y ? -1 : 0;
}

struct history *history_build(const char *resource, const cJSON *owner, const cJSON *list)
{
    struct history *hist = xcalloc(1, sizeof *hist);
    hist->owner = cJSON_Duplicate(owner, 1);
    const char *uid = json_strz(json_get(owner, "metadata"), "uid");
    const cJSON *items = json_get(list, "items");
    hist->v = xcalloc((size_t)json_len(items) + 1, sizeof *hist->v);
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        if (!controlled_by(it, uid))
            continue;
        const cJSON *md = json_get(it, "metadata");
        struct revision *r = &hist->v[hist->n];
        cJSON *tmpl;
        if (is_deployment(resource)) {
            const char *num = json_str(json_get(md, "annotations"), REVISION_ANNOTATION);
            if (!num)
                continue;
            r->number = strtoll(num, NULL, 10);
            tmpl = cJSON_Duplicate(json_path(it, "spec", "template", NULL), 1);
            cJSON_DeleteItemFromObjectCaseSensitive(
                cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(tmpl, "metadata"),
                                                 "labels"),
                HASH_LABEL);
        } else {
            r->number = json_int(it, "revision", 0);
            tmpl = cJSON_Duplicate(json_path(it, "data", "spec", "template", NULL), 1);
        }
        r->name = xstrdup(json_strz(md, "name"));
        r->change_cause = xstrdup(json_strz(json_get(md, "annotations"), CAUSE_ANNOTATION));
        r->pod_template = tmpl ? tmpl : cJSON_CreateObject();
        r->images = images_of(r->pod_template);
        r->created = json_time(md, "creationTimestamp");
        r->source = cJSON_Duplicate(it, 1);
        hist->n++;
    }
    qsort(hist->v, hist->n, sizeof *hist->v, newest_first);
    const char *cur =
        json_str(json_path(owner, "metadata", "annotations", NULL), REVISION_ANNOTATION);
    if (is_deployment(resource) && cur)
        hist->current = strtoll(cur, NULL, 10);
    else if (hist->n)
        hist->current = hist->v[0].number; /* controllers renumber the live one to the newest */
    return hist;
}

void history_free(struct history *hist)
{
    if (!hist)
        return;
    for (size_t i = 0; i < hist->n; i++) {
        free(hist->v[i].name);
        free(hist->v[i].change_cause);
        free(hist->v[i].images);
        cJSON_Delete(hist->v[i].pod_template);
        cJSON_Delete(hist->v[i].source);
    }
    free(hist->v);
    cJSON_Delete(hist->owner);
    free(hist);
}

const struct revision *history_find(const struct history *hist, int64_t n)
{
    for (size_t i = 0; i < hist->n; i++)
        if (hist->v[i].number == n)
            return &hist->v[i];
    return NULL;
}

const struct revision *history_previous(const struct history *hist)
{
    for (size_t i = 0; i < hist->n; i++)
        if (hist->v[i].number < hist->current)
            return &hist->v[i];
    return NULL;
}

/* ---- reading ---------------------------------------------------------------------------- */

struct hist_ctx {
    struct http *h;
    struct target t;
    op_history_fn fn;
    void *ud;
    cJSON *owner;
};

static void hist_finish(struct hist_ctx *c, struct history *hist, const struct op_result *r)
{
    op_history_fn fn = c->fn;
    void *ud = c->ud;
    cJSON_Delete(c->owner);
    target_free(&c->t);
    free(c);
    fn(ud, hist, r);
}

static void got_list(void *ud, const struct http_response *resp)
{
    struct hist_ctx *c = ud;
    struct op_result r;
    op_result_from(resp, &r);
    if (!r.ok) {
        hist_finish(c, NULL, &r);
        return;
    }
    cJSON *list = cJSON_ParseWithLength(resp->body, resp->body_len);
    struct history *hist = history_build(c->t.resource, c->owner, list);
    cJSON_Delete(list);
    hist_finish(c, hist, &r);
}

static void got_owner(void *ud, const cJSON *obj, const struct op_result *r)
{
    struct hist_ctx *c = ud;
    if (!r->ok) {
        hist_finish(c, NULL, r);
        return;
    }
    c->owner = cJSON_Duplicate(obj, 1);
    struct strbuf path = {0}, sel = {0};
    if (is_deployment(c->t.resource))
        target_sibling_path(&c->t, "apps", "v1", "replicasets", &path);
    else
        target_sibling_path(&c->t, "apps", "v1", "controllerrevisions", &path);
    op_selector_string(json_path(obj, "spec", "selector", NULL), &sel);
    if (sel.len) {
        strbuf_puts(&path, "?labelSelector=");
        strbuf_put_urlencoded(&path, strbuf_str(&sel));
    }
    struct err e = {0};
    bool ok = op_request(c->h, NULL, strbuf_str(&path), NULL, NULL, got_list, c, &e);
    strbuf_free(&path);
    strbuf_free(&sel);
    if (!ok) {
        struct op_result fr = {0};
        snprintf(fr.msg, sizeof fr.msg, "%s", e.msg);
        hist_finish(c, NULL, &fr);
    }
}

bool op_history(struct http *h, const struct target *t, op_history_fn fn, void *ud, struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    struct hist_ctx *c = xcalloc(1, sizeof *c);
    c->h = h;
    target_copy(&c->t, t);
    c->fn = fn;
    c->ud = ud;
    if (!op_get_object(h, &c->t, got_owner, c, e)) {
        target_free(&c->t);
        free(c);
        return false;
    }
    return true;
}

/* ---- undo ------------------------------------------------------------------------------- */

/* The annotations a rollback must not copy from the ReplicaSet (kubectl's list). */
static bool skipped_annotation(const char *k)
{
    static const char *const skip[] = {
        "kubectl.kubernetes.io/last-applied-configuration",
        REVISION_ANNOTATION,
        "deployment.kubernetes.io/revision-history",
        "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas",
        "deprecated.deployment.rollback.to",
    };
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcmp(k, skip[i]) == 0)
            return true;
    return false;
}

static cJSON *json_patch_op(const char *op, const char *path, cJSON *value)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "op", op);
    cJSON_AddStringToObject(o, "path", path);
    cJSON_AddItemToObject(o, "value", value);
    return o;
}

/* Whether the live template is already the revision's (a ReplicaSet's compared without its
 * pod-template-hash label): then there is nothing to roll back, as kubectl says. */
static bool already_there(const struct history *hist, const struct revision *rev, bool unhash,
                          struct err *e)
{
    cJSON *live = cJSON_Duplicate(json_path(hist->owner, "spec", "template", NULL), 1);
    if (unhash)
        cJSON_DeleteItemFromObjectCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(live, "metadata"),
                                             "labels"),
            HASH_LABEL);
    bool same = cJSON_Compare(live, rev->pod_template, 1);
    cJSON_Delete(live);
    if (same)
        err_set(e, "skipped rollback (current template already matches revision %lld)",
                (long long)rev->number);
    return same;
}

static char *deployment_body(const struct target *t, const struct history *hist,
                             const struct revision *rev, struct err *e)
{
    if (json_true(json_get(hist->owner, "spec"), "paused")) {
        err_set(e, "you cannot rollback a paused deployment; resume it first");
        return NULL;
    }
    if (already_there(hist, rev, true, e))
        return NULL;
    cJSON *ann = cJSON_CreateObject();
    const cJSON *it;
    cJSON_ArrayForEach(it, json_path(hist->owner, "metadata", "annotations", NULL))
    {
        if (skipped_annotation(it->string))
            cJSON_AddItemToObject(ann, it->string, cJSON_Duplicate(it, 1));
    }
    cJSON_ArrayForEach(it, json_path(rev->source, "metadata", "annotations", NULL))
    {
        if (!skipped_annotation(it->string)) {
            cJSON_DeleteItemFromObjectCaseSensitive(ann, it->string);
            cJSON_AddItemToObject(ann, it->string, cJSON_Duplicate(it, 1));
        }
    }
    cJSON *patch = cJSON_CreateArray();
    cJSON_AddItemToArray(patch, json_patch_op("test", "/metadata/uid", cJSON_CreateString(t->uid)));
    cJSON_AddItemToArray(
        patch, json_patch_op("replace", "/spec/template", cJSON_Duplicate(rev->pod_template, 1)));
    cJSON_AddItemToArray(patch, json_patch_op("replace", "/metadata/annotations", ann));
    char *body = cJSON_PrintUnformatted(patch);
    cJSON_Delete(patch);
    return body;
}

static char *revision_body(const struct target *t, const struct history *hist,
                           const struct revision *rev, struct err *e)
{
    const cJSON *data = json_get(rev->source, "data");
    if (!cJSON_IsObject(data)) {
        err_set(e, "revision %lld has no data to roll back to", (long long)rev->number);
        return NULL;
    }
    if (already_there(hist, rev, false, e))
        return NULL;
    cJSON *patch = cJSON_Duplicate(data, 1);
    cJSON *md = cJSON_GetObjectItemCaseSensitive(patch, "metadata");
    if (!md)
        md = cJSON_AddObjectToObject(patch, "metadata");
    cJSON_DeleteItemFromObjectCaseSensitive(md, "uid");
    cJSON_AddStringToObject(md, "uid", t->uid);
    char *body = cJSON_PrintUnformatted(patch);
    cJSON_Delete(patch);
    return body;
}

char *op_rollback_body(const char *resource, const struct target *t, const struct history *hist,
                       int64_t n, const char **content_type, struct err *e)
{
    const struct revision *rev = history_find(hist, n);
    if (!rev) {
        err_set(e, "unable to find the specified revision %lld in history", (long long)n);
        return NULL;
    }
    char *body;
    if (is_deployment(resource)) {
        *content_type = OP_JSON_PATCH;
        body = deployment_body(t, hist, rev, e);
    } else {
        *content_type = OP_STRATEGIC_PATCH;
        body = revision_body(t, hist, rev, e);
    }
    return body;
}

bool op_rollback(struct http *h, const struct target *t, const struct history *hist, int64_t n,
                 op_done_fn done, void *ud, struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    const char *ctype = NULL;
    char *body = op_rollback_body(t->resource, t, hist, n, &ctype, e);
    if (!body)
        return false;
    struct strbuf path = {0}, msg = {0};
    target_path(t, NULL, &path);
    target_describe(t, &msg);
    strbuf_printf(&msg, " rolled back to revision %lld", (long long)n);
    bool ok = op_send(h, "PATCH", strbuf_str(&path), ctype, body, strbuf_str(&msg), done, ud, e);
    strbuf_free(&path);
    strbuf_free(&msg);
    cJSON_free(body);
    return ok;
}
