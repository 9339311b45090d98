/* metrics — samples from metrics.k8s.io, keyed for cell lookups. */
#include "model/metrics.h"
#include "model/kind.h"
#include "util/json.h"
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

void metrics_load_pods(struct metrics *m, const cJSON *list)
{
    clear_map(&m->pods);
    const cJSON *it;
    cJSON_ArrayForEach(it, json_get(list, "items"))
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
        snprintf(key, sizeof key, "%s/%s", json_strz(meta, "namespace"), json_strz(meta, "name"));
        put(&m->pods, key, total);
    }
}

void metrics_load_nodes(struct metrics *m, const cJSON *list)
{
    clear_map(&m->nodes);
    const cJSON *it;
    cJSON_ArrayForEach(it, json_get(list, "items"))
    {
        put(&m->nodes, json_strz(json_get(it, "metadata"), "name"), usage(json_get(it, "usage")));
    }
}

bool metrics_pod(const struct metrics *m, const char *ns, const char *name,
                 struct metrics_sample *out)
{
    if (!m)
        return false;
    char key[512];
    snprintf(key, sizeof key, "%s/%s", ns, name);
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

void metrics_free(struct metrics *m)
{
    clear_map(&m->pods);
    clear_map(&m->nodes);
    map_free(&m->pods);
    map_free(&m->nodes);
}

const char *metrics_fmt_int(int64_t v, bool known, char *buf)
{
    if (!known)
        return "n/a";
    snprintf(buf, CELL_MAX, "%lld", (long long)v);
    return buf;
}

const char *metrics_fmt_pct(int64_t num, int64_t den, bool known, char *buf)
{
    if (!known || den <= 0)
        return "n/a";
    snprintf(buf, CELL_MAX, "%lld", (long long)(num * 100 / den));
    return buf;
}
