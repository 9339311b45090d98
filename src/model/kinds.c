/* kinds — the registry of built-in kinds and what every kind shares: paths, common metadata,
 * the AGE cell. Adding a kind means one file and one line in `registry`. */
#include "model/kind.h"
#include "util/duration.h"
#include "util/json.h"

#include <string.h>
#include <strings.h>

static const struct kind *const registry[] = {
    &kind_pods,
};

size_t kind_count(void)
{
    return sizeof registry / sizeof registry[0];
}

const struct kind *kind_at(size_t i)
{
    return i < kind_count() ? registry[i] : NULL;
}

const struct kind *kind_lookup(const char *name)
{
    for (size_t i = 0; i < kind_count(); i++) {
        const struct kind *k = registry[i];
        if (strcasecmp(name, k->resource) == 0 || strcasecmp(name, k->singular) == 0 ||
            strcasecmp(name, k->kind) == 0)
            return k;
        for (const char *const *a = k->aliases; a && *a; a++)
            if (strcasecmp(name, *a) == 0)
                return k;
        /* plural.group, as kubectl accepts it */
        size_t rl = strlen(k->resource);
        if (k->group[0] && strncasecmp(name, k->resource, rl) == 0 && name[rl] == '.' &&
            strcasecmp(name + rl + 1, k->group) == 0)
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

const char *cell_age(const struct obj *o, int64_t now, char *buf)
{
    return duration_age(now, o->created, buf, CELL_MAX);
}

struct obj *kind_project(const struct kind *k, const cJSON *item, struct obj_builder *b)
{
    const cJSON *meta = json_get(item, "metadata");
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
    b->created = json_time(meta, "creationTimestamp");
    if (k->project)
        k->project(item, b);
    return obj_builder_finish(b);
}
