/* describe_deployments — `kubectl describe deployment`: replicas, strategy, the pod template,
 * conditions, and the replica sets it controls (listed by its selector, kept when their
 * controller reference is this deployment): the new one is the oldest whose template equals
 * the deployment's ignoring pod-template-hash; every other one is old, whatever its size. */
#include "model/describe.h"
#include "model/describe_podspec.h"
#include "model/kind.h"
#include "util/json.h"
#include "util/rfc3339.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define HASH_LABEL "pod-template-hash"

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    (void)t;
    (void)status;
    const cJSON *meta = describe_plan_own_events(p, obj, "Deployment");
    if (!meta)
        return;
    struct strbuf sel = {0}, path = {0};
    kind_selector_text(&sel, json_path(obj, "spec", "selector", NULL), "");
    strbuf_printf(&path, "/apis/apps/v1/namespaces/%s/replicasets", json_strz(meta, "namespace"));
    describer_plan_add(p, strbuf_str(&path), strbuf_str(&sel), NULL, true, true);
    strbuf_free(&sel);
    strbuf_free(&path);
}

/* A JSON value that decodes to Go's zero value: absent, null, false, 0, "", {} or []. Semantic
 * equality treats nil and empty maps and slices alike, and omitted fields are zero values. */
static bool zero(const cJSON *v)
{
    if (!v || cJSON_IsNull(v) || cJSON_IsFalse(v))
        return true;
    if (cJSON_IsNumber(v))
        return v->valuedouble == 0;
    if (cJSON_IsString(v))
        return !v->valuestring[0];
    if (cJSON_IsArray(v) || cJSON_IsObject(v))
        return !v->child;
    return false;
}

static bool equal(const cJSON *a, const cJSON *b);

/* Two objects with the same members, `skip` (if not NULL) ignored. */
static bool object_equal(const cJSON *a, const cJSON *b, const char *skip)
{
    for (const cJSON *x = a ? a->child : NULL; x; x = x->next)
        if ((!skip || strcmp(x->string, skip) != 0) && !equal(x, json_get(b, x->string)))
            return false;
    for (const cJSON *y = b ? b->child : NULL; y; y = y->next)
        if ((!skip || strcmp(y->string, skip) != 0) && !json_get(a, y->string) && !zero(y))
            return false;
    return true;
}

static bool equal(const cJSON *a, const cJSON *b)
{
    if (zero(a) || zero(b))
        return zero(a) && zero(b);
    if (cJSON_IsObject(a) && cJSON_IsObject(b))
        return object_equal(a, b, NULL);
    if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
        const cJSON *x = a->child, *y = b->child;
        for (; x && y; x = x->next, y = y->next)
            if (!equal(x, y))
                return false;
        return !x && !y;
    }
    if (cJSON_IsString(a) && cJSON_IsString(b))
        return strcmp(a->valuestring, b->valuestring) == 0;
    if (cJSON_IsNumber(a) && cJSON_IsNumber(b))
        return a->valuedouble == b->valuedouble;
    return cJSON_IsTrue(a) == cJSON_IsTrue(b);
}

/* EqualIgnoreHash: two pod templates alike once the pod-template-hash label is dropped. */
static bool same_template(const cJSON *a, const cJSON *b)
{
    const cJSON *ma = json_get(a, "metadata"), *mb = json_get(b, "metadata");
    const cJSON *la = json_get(ma, "labels"), *lb = json_get(mb, "labels");
    if (!(zero(la) && zero(lb)) && !object_equal(la, lb, HASH_LABEL))
        return false;
    return object_equal(ma, mb, "labels") && equal(json_get(a, "spec"), json_get(b, "spec"));
}

struct rs {
    const cJSON *rs;
    int64_t created;
    const char *name;
};

static int cmp_created(const void *a, const void *b)
{
    const struct rs *x = a, *y = b;
    if (x->created != y->created)
        return x->created < y->created ? -1 : 1;
    return strcmp(x->name, y->name);
}

static void rs_list(struct strbuf *out, const struct rs *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const cJSON *r = v[i].rs;
        strbuf_printf(out, "%s%s (%lld/%lld replicas created)", i ? ", " : "", v[i].name,
                      (long long)json_int(json_get(r, "status"), "replicas", 0),
                      (long long)json_int(json_get(r, "spec"), "replicas", 0));
    }
    if (!out->len)
        strbuf_puts(out, "<none>");
}

static void replica_sets(struct describe_w *w, const cJSON *d, const cJSON *list)
{
    const char *uid = json_strz(json_get(d, "metadata"), "uid");
    int n = json_len(list);
    struct rs *v = xcalloc((size_t)(n > 0 ? n : 1), sizeof *v);
    size_t k = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, list)
    {
        const cJSON *ctl = describe_controller(r);
        if (!ctl || strcmp(json_strz(ctl, "uid"), uid) != 0 || (int)k >= n)
            continue;
        const cJSON *meta = json_get(r, "metadata");
        v[k].rs = r;
        v[k].created = json_time(meta, "creationTimestamp");
        v[k++].name = json_strz(meta, "name");
    }
    describe_sort(v, k, sizeof *v, cmp_created);
    const cJSON *tmpl = json_path(d, "spec", "template", NULL);
    size_t fresh = k;
    for (size_t i = 0; i < k && fresh == k; i++)
        if (same_template(json_path(v[i].rs, "spec", "template", NULL), tmpl))
            fresh = i;
    if (k > 0) {
        struct strbuf old = {0}, neu = {0};
        struct rs *olds = xcalloc(k, sizeof *olds);
        size_t no = 0;
        for (size_t i = 0; i < k; i++)
            if (i != fresh)
                olds[no++] = v[i];
        rs_list(&old, olds, no);
        rs_list(&neu, fresh < k ? &v[fresh] : NULL, fresh < k);
        describe_write(w, 0, "OldReplicaSets:\t%s\n", strbuf_str(&old));
        describe_write(w, 0, "NewReplicaSet:\t%s\n", strbuf_str(&neu));
        strbuf_free(&old);
        strbuf_free(&neu);
        free(olds);
    }
    free(v);
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *d = r->obj;
    if (!d)
        return err_set(e, "%s", r->obj_error);
    const cJSON *meta = json_get(d, "metadata"), *spec = json_get(d, "spec"),
                *st = json_get(d, "status");
    char buf[64], a[32], b[32];
    describe_name(w, meta);
    describe_write(w, 0, "CreationTimestamp:\t%s\n",
                   describe_time(meta, "creationTimestamp", buf, sizeof buf));
    describe_labels(w, "Labels", json_get(meta, "labels"));
    describe_annotations(w, "Annotations", json_get(meta, "annotations"));
    struct strbuf sel = {0};
    kind_selector_text(&sel, json_get(spec, "selector"), "");
    describe_write(w, 0, "Selector:\t%s\n", strbuf_str(&sel));
    strbuf_free(&sel);
    describe_write(
        w, 0,
        "Replicas:\t%lld desired | %lld updated | %lld total | %lld available | %lld "
        "unavailable\n",
        (long long)json_int(spec, "replicas", 0), (long long)json_int(st, "updatedReplicas", 0),
        (long long)json_int(st, "replicas", 0), (long long)json_int(st, "availableReplicas", 0),
        (long long)json_int(st, "unavailableReplicas", 0));
    const cJSON *strategy = json_get(spec, "strategy");
    describe_write(w, 0, "StrategyType:\t%s\n", json_strz(strategy, "type"));
    describe_write(w, 0, "MinReadySeconds:\t%lld\n",
                   (long long)json_int(spec, "minReadySeconds", 0));
    const cJSON *ru = json_get(strategy, "rollingUpdate");
    if (cJSON_IsObject(ru)) {
        const cJSON *mu = json_get(ru, "maxUnavailable"), *ms = json_get(ru, "maxSurge");
        describe_write(w, 0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge\n",
                       mu ? describe_intstr(mu, a, sizeof a) : "<nil>",
                       ms ? describe_intstr(ms, b, sizeof b) : "<nil>");
    }
    describe_podspec_template(w, json_get(spec, "template"));
    describe_conditions(w, json_get(st, "conditions"));
    if (r->n > 1 && r->replies[1].ok)
        replica_sets(w, d, r->replies[1].json);
    if (r->n > 0)
        describe_events(w, r->replies[0].ok ? r->replies[0].json : NULL, NULL);
    return true;
}

const struct describe_kind describe_deployments = {"apps", "Deployment", plan, render};
