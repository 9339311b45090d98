/* feed — reflector events into store changes. */
#include "model/feed.h"
#include "model/kind_table.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void feed_on_list(void *ud, bool begin)
{
    struct feed *f = ud;
    if (begin) {
        store_list_begin(&f->store);
    } else {
        store_list_end(&f->store);
        f->synced = true;
        f->store.version++; /* a completed list is news even when nothing changed */
    }
}

static void feed_on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    struct feed *f = ud;
    if (f->kind->project_many) {
        if (op == REFLECTOR_DELETE)
            store_clear(&f->store);
        else
            f->kind->project_many(obj, &f->store, &f->builder);
        return;
    }
    if (op == REFLECTOR_DELETE) {
        const cJSON *meta = json_get(obj, "metadata");
        if (!meta) /* a Table row */
            meta = json_path(obj, "object", "metadata", NULL);
        const char *uid = json_str(meta, "uid");
        if (uid && uid[0]) {
            store_delete(&f->store, uid);
        } else {
            struct strbuf key = {0};
            strbuf_printf(&key, "%s/%s", json_strz(meta, "namespace"), json_strz(meta, "name"));
            store_delete(&f->store, strbuf_str(&key));
            strbuf_free(&key);
        }
        return;
    }
    store_put(&f->store, kind_project(f->kind, obj, &f->builder));
}

static void feed_on_state(void *ud)
{
    struct feed *f = ud;
    f->state_version++;
}

static void feed_on_columns(void *ud, const cJSON *defs)
{
    struct feed *f = ud;
    if (kind_table_set_columns(f->kind, defs))
        f->store.version++; /* the table must pick up the new columns */
}

static const struct reflector_ops feed_ops = {
    .on_list = feed_on_list,
    .on_object = feed_on_object,
    .on_state = feed_on_state,
    .on_columns = feed_on_columns,
};

struct feed *feed_new(struct http *http, const struct feed_spec *spec)
{
    struct feed *f = xcalloc(1, sizeof *f);
    f->kind = spec->kind;
    f->ns = spec->ns && spec->kind->namespaced ? xstrdup(spec->ns) : NULL;
    f->selector = spec->label_selector ? xstrdup(spec->label_selector) : NULL;
    struct strbuf path = {0};
    kind_path(f->kind, f->ns, &path);
    struct reflector_spec rs = {
        .path = strbuf_str(&path),
        .label_selector = spec->label_selector,
        .field_selector = spec->field_selector,
        .once = spec->once,
        .table = spec->kind->server_table,
        .page_size = spec->page_size,
        .streaming = true, /* where the server streams lists; never for Tables */
    };
    f->refl = reflector_new(http, &rs, &feed_ops, f);
    strbuf_free(&path);
    reflector_start(f->refl);
    return f;
}

struct feed *feed_new_local(const struct kind *k, const cJSON *items)
{
    struct feed *f = xcalloc(1, sizeof *f);
    f->kind = k;
    const cJSON *it;
    cJSON_ArrayForEach(it, items)
    {
        store_put(&f->store, kind_project(k, it, &f->builder));
    }
    f->synced = true;
    f->store.version++;
    return f;
}

void feed_free(struct feed *f)
{
    if (!f)
        return;
    reflector_free(f->refl);
    store_free(&f->store);
    obj_builder_free(&f->builder);
    free(f->ns);
    free(f->selector);
    free(f);
}

void feed_tick(struct feed *f)
{
    if (f->refl)
        reflector_tick(f->refl);
}

int feed_timeout_ms(const struct feed *f)
{
    return f->refl ? reflector_timeout_ms(f->refl) : -1;
}

enum reflector_state feed_state(const struct feed *f)
{
    return f->refl ? reflector_state(f->refl) : REFLECTOR_WATCHING;
}

const char *feed_reason(const struct feed *f)
{
    return f->refl ? reflector_reason(f->refl) : "";
}
