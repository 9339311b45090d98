/* metrics — samples from metrics.k8s.io, keyed for cell lookups. */
#include "model/metrics.h"
#include "model/kind.h"
#include "util/fmtint.h"
#include "util/json.h"
#include "util/jsonarena.h"
#include "util/jsonscan.h"
#include "util/quantity.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    struct metrics_sample s;
    char key[]; /* the map borrows it */
};

static void clear_map(struct map *m)
{
    size_t pos = 0;
    void *v;
    while (map_next(m, &pos, NULL, &v))
        free(v);
    map_clear(m);
}

static void put(struct map *m, const char *key, struct metrics_sample s)
{
    size_t n = strlen(key);
    struct entry *e = xmalloc(sizeof *e + n + 1);
    e->s = s;
    memcpy(e->key, key, n + 1);
    struct entry *old = map_put(m, e->key, e);
    free(old);
}

static struct metrics_sample usage(const cJSON *u)
{
    struct metrics_sample s = {0, 0};
    int64_t v;
    if (quantity_milli(json_strz(u, "cpu"), &v))
        s.cpu_milli = v;
    if (quantity_value(json_strz(u, "memory"), &v))
        s.mem_bytes = v;
    return s;
}

/* "ns/name" into key[512], cut as snprintf would cut it: six cells of every pod row look their
 * pod up, so no format string is parsed here. */
static void pod_key(char *key, const char *ns, const char *name)
{
    char *p = key, *end = key + 511;
    while (*ns && p < end)
        *p++ = *ns++;
    if (p < end)
        *p++ = '/';
    while (*name && p < end)
        *p++ = *name++;
    *p = '\0';
}

static void load_pod(struct metrics *m, const cJSON *it)
{
    const cJSON *meta = json_get(it, "metadata");
    struct metrics_sample total = {0, 0};
    const cJSON *c;
    /* Sum per container in millicores (each rounded up) as kubectl top --containers does,
     * then the pod is the sum. */
    cJSON_ArrayForEach(c, json_get(it, "containers"))
    {
        struct metrics_sample s = usage(json_get(c, "usage"));
        total.cpu_milli += s.cpu_milli;
        total.mem_bytes += s.mem_bytes;
    }
    char key[512];
    pod_key(key, json_strz(meta, "namespace"), json_strz(meta, "name"));
    put(&m->pods, key, total);
}

static void load_node(struct metrics *m, const cJSON *it)
{
    put(&m->nodes, json_strz(json_get(it, "metadata"), "name"), usage(json_get(it, "usage")));
}

void metrics_load_pods(struct metrics *m, const cJSON *list)
{
    clear_map(&m->pods);
    m->generation++;
    const cJSON *it;
    cJSON_ArrayForEach(it, json_get(list, "items"))
    {
        load_pod(m, it);
    }
}

void metrics_load_nodes(struct metrics *m, const cJSON *list)
{
    clear_map(&m->nodes);
    m->generation++;
    const cJSON *it;
    cJSON_ArrayForEach(it, json_get(list, "items"))
    {
        load_node(m, it);
    }
}

/* Each element of the list's items is parsed alone in the JSON arena (metrics_loader_step): a
 * 50,000-pod PodMetricsList is ~22 MB, and as one tree it cost ~130 MB of heap and most of the
 * refresh's CPU (make bench, idle at 50k pods). */
static void load_json(struct metrics *m, const char *body, size_t len, bool nodes)
{
    struct metrics_loader l = {0};
    char *copy = xmalloc(len ? len : 1);
    if (len)
        memcpy(copy, body, len);
    metrics_loader_start(&l, copy, len, nodes);
    metrics_loader_step(&l, m, (size_t)-1);
}

void metrics_load_pods_json(struct metrics *m, const char *body, size_t len)
{
    load_json(m, body, len, false);
}

void metrics_load_nodes_json(struct metrics *m, const char *body, size_t len)
{
    load_json(m, body, len, true);
}

bool metrics_pod(const struct metrics *m, const char *ns, const char *name,
                 struct metrics_sample *out)
{
    if (!m)
        return false;
    char key[512];
    pod_key(key, ns, name);
    const struct entry *e = map_get(&m->pods, key);
    if (e)
        *out = e->s;
    return e != NULL;
}

bool metrics_node(const struct metrics *m, const char *name, struct metrics_sample *out)
{
    if (!m)
        return false;
    const struct entry *e = map_get(&m->nodes, name);
    if (e)
        *out = e->s;
    return e != NULL;
}

void metrics_loader_start(struct metrics_loader *l, char *body, size_t len, bool nodes)
{
    metrics_loader_free(l);
    l->body = body;
    l->len = len;
    l->nodes = nodes;
    l->active = true;
    l->ok = jsonscan_member(l->body, len, "items", &l->items);
}

bool metrics_loader_step(struct metrics_loader *l, struct metrics *m, size_t n)
{
    if (!l->active)
        return false;
    struct jsonspan el;
    bool bad = false;
    size_t k = 0;
    while (l->ok && k < n && jsonscan_next(l->items, &l->pos, &el, &bad)) {
        size_t mark = jsonarena_begin();
        cJSON *it = cJSON_ParseWithLength(el.p, el.n);
        jsonarena_pause();
        if (cJSON_IsObject(it))
            (l->nodes ? load_node : load_pod)(&l->staging, it);
        cJSON_Delete(it);
        jsonarena_end(mark);
        k++;
    }
    if (l->ok && k == n && !bad)
        return false; /* maybe more */
    struct map *dst = l->nodes ? &m->nodes : &m->pods,
               *src = l->nodes ? &l->staging.nodes : &l->staging.pods;
    clear_map(dst);
    map_free(dst);
    *dst = *src;
    memset(src, 0, sizeof *src);
    m->generation++;
    metrics_loader_free(l);
    return true;
}

void metrics_loader_free(struct metrics_loader *l)
{
    free(l->body);
    metrics_free(&l->staging);
    memset(l, 0, sizeof *l);
}

void metrics_free(struct metrics *m)
{
    clear_map(&m->pods);
    m->generation++;
    clear_map(&m->nodes);
    m->generation++;
    map_free(&m->pods);
    map_free(&m->nodes);
}

bool metrics_cell_may_match(const char *lit)
{
    return strspn(lit, "0123456789-") == strlen(lit) || strstr("n/a", lit) != NULL;
}

const char *metrics_fmt_int(int64_t v, bool known, char *buf)
{
    if (!known)
        return "n/a";
    fmtint(buf, v);
    return buf;
}

const char *metrics_fmt_pct(int64_t num, int64_t den, bool known, char *buf)
{
    if (!known || den <= 0)
        return "n/a";
    const int64_t lim = INT64_MAX / 100; /* past it, num * 100 would overflow: clamp */
    fmtint(buf, (num > lim ? lim : num < -lim ? -lim : num) * 100 / den);
    return buf;
}
