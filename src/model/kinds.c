/* kinds — the registry of built-in kinds and what every kind shares: paths, common metadata,
 * the AGE and CREATED AT cells, and the reading and projection helpers kind files use instead of
 * their own copies. Adding a kind means one file and one line in its group registry
 * (kinds_workloads.c, kinds_network.c, ...). */
#include "model/kind.h"
#include "model/kinds_groups.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/quantity.h"
#include "util/rfc3339.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct kind *const *const groups[] = {
    kinds_workloads, kinds_network, kinds_config, kinds_storage,
    kinds_cluster,   kinds_access,  kinds_policy,
};

size_t kind_count(void)
{
    size_t n = 0;
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        for (const struct kind *const *k = groups[g]; *k; k++)
            n++;
    return n;
}

const struct kind *kind_at(size_t i)
{
    for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++)
        for (const struct kind *const *k = groups[g]; *k; k++)
            if (i-- == 0)
                return *k;
    return NULL;
}

const struct kind *kind_lookup(const char *name)
{
    for (size_t i = 0, n = kind_count(); i < n; i++) {
        const struct kind *k = kind_at(i);
        if (strcasecmp(name, k->resource) == 0 || strcasecmp(name, k->singular) == 0 ||
            strcasecmp(name, k->kind) == 0)
            return k;
        for (const char *const *a = k->aliases; a && *a; a++)
            if (strcasecmp(name, *a) == 0)
                return k;
        /* plural.group and kind.group, as kubectl accepts them */
        size_t rl = strlen(k->resource), kl = strlen(k->kind);
        if (k->group[0] && strncasecmp(name, k->resource, rl) == 0 && name[rl] == '.' &&
            strcasecmp(name + rl + 1, k->group) == 0)
            return k;
        if (k->group[0] && strncasecmp(name, k->kind, kl) == 0 && name[kl] == '.' &&
            strcasecmp(name + kl + 1, k->group) == 0)
            return k;
    }
    return NULL;
}

void kind_path(const struct kind *k, const char *ns, struct strbuf *out)
{
    if (k->group[0])
        strbuf_printf(out, "/apis/%s/%s", k->group, k->version);
    else
        strbuf_printf(out, "/api/%s", k->version);
    if (k->namespaced && ns && ns[0]) {
        strbuf_puts(out, "/namespaces/");
        strbuf_put_urlencoded(out, ns);
    }
    strbuf_printf(out, "/%s", k->resource);
}

const char *cell_age(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return duration_age(cx->now, o->created, buf, CELL_MAX);
}

int64_t key_age(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    /* Older objects have larger ages: sort by the negated creation time. */
    return o->created ? -o->created : INT64_MIN;
}

const char *cell_created_at(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    if (!o->created)
        return ""; /* a zero time: the server sends null */
    rfc3339_format(o->created, buf, CELL_MAX);
    return buf;
}

int64_t key_created_at(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->created ? o->created : INT64_MIN;
}

bool kind_deleting(const cJSON *item)
{
    const cJSON *t = json_get(json_get(item, "metadata"), "deletionTimestamp");
    return t && !cJSON_IsNull(t);
}

const char *kind_condition_status(const cJSON *status, const char *type)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, json_get(status, "conditions"))
    {
        if (strcmp(json_strz(c, "type"), type) == 0)
            return json_strz(c, "status");
    }
    return NULL;
}

bool kind_condition_is(const cJSON *status, const char *type, const char *want)
{
    const char *s = kind_condition_status(status, type);
    return s && strcmp(s, want) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

void kind_put_map(struct obj_builder *b, const cJSON *map)
{
    int n = cJSON_IsObject(map) ? cJSON_GetArraySize(map) : 0;
    if (n <= 0) {
        obj_builder_add(b, "");
        return;
    }
    const char **keys = xcalloc((size_t)n, sizeof *keys);
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, map)
    {
        if (k < n && it->string)
            keys[k++] = it->string;
    }
    qsort(keys, (size_t)k, sizeof *keys, cmp_str);
    struct strbuf sb = {0};
    for (int i = 0; i < k; i++) {
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(map, keys[i]);
        strbuf_printf(&sb, "%s%s=%s", i ? "," : "", keys[i],
                      cJSON_IsString(v) ? v->valuestring : "");
    }
    obj_builder_add(b, strbuf_str(&sb));
    strbuf_free(&sb);
    free(keys);
}

struct requirement {
    const char *key;
    char *text;
};

static int cmp_req(const void *a, const void *b)
{
    return strcmp(((const struct requirement *)a)->key, ((const struct requirement *)b)->key);
}

/* Cuts what was appended to out since `start` at its first line break, with "...", as
 * obj_builder_add cuts a cell. */
static void cut_line(struct strbuf *out, size_t start)
{
    size_t n = strcspn(out->buf + start, "\n\r\f");
    if (start + n < out->len) {
        strbuf_truncate(out, start + n);
        strbuf_puts(out, "...");
    }
}

void kind_selector_text(struct strbuf *out, const cJSON *sel, const char *none)
{
    const cJSON *ml = json_get(sel, "matchLabels");
    const cJSON *me = json_get(sel, "matchExpressions");
    int n = (cJSON_IsObject(ml) ? cJSON_GetArraySize(ml) : 0) + json_len(me);
    if (n <= 0) {
        strbuf_puts(out, none);
        return;
    }
    struct requirement *reqs = xcalloc((size_t)n, sizeof *reqs);
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, ml)
    {
        if (k < n && it->string) {
            reqs[k].key = it->string;
            reqs[k++].text =
                xasprintf("%s=%s", it->string, cJSON_IsString(it) ? it->valuestring : "");
        }
    }
    cJSON_ArrayForEach(it, me)
    {
        const char *key = json_str(it, "key");
        const char *op = json_strz(it, "operator");
        if (!key || k >= n)
            continue;
        const cJSON *vals = json_get(it, "values");
        int nv = json_len(vals);
        const char **vs = xcalloc((size_t)(nv ? nv : 1), sizeof *vs);
        int m = 0;
        const cJSON *v;
        cJSON_ArrayForEach(v, vals)
        {
            if (cJSON_IsString(v) && m < nv)
                vs[m++] = v->valuestring;
        }
        qsort(vs, (size_t)m, sizeof *vs, cmp_str);
        struct strbuf sb = {0};
        if (strcmp(op, "Exists") == 0) {
            strbuf_puts(&sb, key);
        } else if (strcmp(op, "DoesNotExist") == 0) {
            strbuf_printf(&sb, "!%s", key);
        } else {
            strbuf_printf(&sb, "%s %s (", key, strcmp(op, "NotIn") == 0 ? "notin" : "in");
            for (int i = 0; i < m; i++)
                strbuf_printf(&sb, "%s%s", i ? "," : "", vs[i]);
            strbuf_putc(&sb, ')');
        }
        reqs[k].key = key;
        reqs[k++].text = strbuf_take(&sb);
        free(vs);
    }
    qsort(reqs, (size_t)k, sizeof *reqs, cmp_req);
    size_t start = out->len;
    for (int i = 0; i < k; i++) {
        strbuf_printf(out, "%s%s", i ? "," : "", reqs[i].text);
        free(reqs[i].text);
    }
    free(reqs);
    if (out->len == start)
        strbuf_puts(out, none);
    else
        cut_line(out, start);
}

void kind_put_selector(struct obj_builder *b, const cJSON *sel)
{
    struct strbuf sb = {0};
    kind_selector_text(&sb, sel, "<none>");
    obj_builder_add(b, strbuf_str(&sb));
    strbuf_free(&sb);
}

void kind_lb_addresses(struct strbuf *out, const cJSON *lb)
{
    const cJSON *ingress = json_get(lb, "ingress");
    int n = json_len(ingress);
    if (n <= 0)
        return;
    const char **v = xcalloc((size_t)n, sizeof *v);
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, ingress)
    {
        const char *ip = json_strz(it, "ip"), *host = json_strz(it, "hostname");
        const char *s = ip[0] ? ip : host;
        if (s[0] && k < n)
            v[k++] = s;
    }
    qsort(v, (size_t)k, sizeof *v, cmp_str);
    for (int i = 0; i < k; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
            strbuf_printf(out, "%s%s", out->len ? "," : "", v[i]);
    free(v);
}

const char *kind_quantity(const cJSON *v, const char *missing, char *buf, size_t n)
{
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsNumber(v))
        return quantity_format_number(v->valuedouble, buf, n);
    return missing;
}

void kind_put_quantity(struct obj_builder *b, const cJSON *v, const char *missing)
{
    char buf[64];
    obj_builder_add(b, kind_quantity(v, missing, buf, sizeof buf));
}

void kind_put_access_modes(struct obj_builder *b, const cJSON *modes)
{
    static const char *const names[][2] = {{"ReadWriteOnce", "RWO"},
                                           {"ReadOnlyMany", "ROX"},
                                           {"ReadWriteMany", "RWX"},
                                           {"ReadWriteOncePod", "RWOP"}};
    char out[32] = "";
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const cJSON *m;
        cJSON_ArrayForEach(m, modes)
        {
            if (cJSON_IsString(m) && strcmp(m->valuestring, names[i][0]) == 0) {
                if (out[0])
                    strcat(out, ",");
                strcat(out, names[i][1]);
                break;
            }
        }
    }
    obj_builder_add_raw(b, out);
}

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

/* k9s shows the last subject's kind, which misleads for mixed subjects: every distinct kind is
 * listed instead. */
void kind_put_subjects(struct obj_builder *b, const cJSON *subjects)
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

void kind_put_containers(struct obj_builder *b, const cJSON *podspec, bool images)
{
    struct strbuf sb = {0};
    const cJSON *c;
    int i = 0;
    cJSON_ArrayForEach(c, json_get(podspec, "containers"))
    {
        strbuf_printf(&sb, "%s%s", i++ ? "," : "", json_strz(c, images ? "image" : "name"));
    }
    obj_builder_add(b, strbuf_str(&sb));
    strbuf_free(&sb);
}

void kind_put_int(struct obj_builder *b, const cJSON *obj, const char *key, const char *missing)
{
    const cJSON *v = json_get(obj, key);
    if (cJSON_IsNumber(v))
        obj_builder_addf(b, "%lld", (long long)json_int(obj, key, 0));
    else
        obj_builder_add(b, missing);
}

/* The controller owner reference as "Kind/name", or "". */
static void put_owner(struct obj_builder *b, const cJSON *meta)
{
    const cJSON *ref;
    cJSON_ArrayForEach(ref, json_get(meta, "ownerReferences"))
    {
        if (json_true(ref, "controller")) {
            obj_builder_addf(b, "%s/%s", json_strz(ref, "kind"), json_strz(ref, "name"));
            return;
        }
    }
    obj_builder_add(b, "");
}

struct obj *kind_project(const struct kind *k, const cJSON *item, struct obj_builder *b)
{
    const cJSON *meta = json_get(item, "metadata");
    if (!meta) /* a server-side Table row: the object's metadata is under "object" */
        meta = json_path(item, "object", "metadata", NULL);
    const char *uid = json_str(meta, "uid");
    const char *ns = json_strz(meta, "namespace");
    const char *name = json_strz(meta, "name");
    obj_builder_reset(b);
    if (uid && uid[0])
        obj_builder_add(b, uid);
    else
        obj_builder_addf(b, "%s/%s", ns, name); /* objects without a uid still need a key */
    obj_builder_add(b, ns);
    obj_builder_add(b, name);
    obj_builder_add(b, json_strz(meta, "resourceVersion"));
    kind_put_map(b, json_get(meta, "labels"));
    put_owner(b, meta);
    b->created = json_time(meta, "creationTimestamp");
    if (k->project)
        k->project(item, b);
    return obj_builder_finish(b);
}
