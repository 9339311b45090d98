/* cmd_get — `timon get KIND [NAME]`: one paginated LIST through the same projection, table and
 * renderer as the TUI, printed once (-o table|wide|name|json|yaml). */
#include "cli.h"
#include "client/discovery.h"
#include "model/kind.h"
#include "model/kind_table.h"
#include "model/store.h"
#include "model/table.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/jsonfmt.h"
#include "util/map.h"
#include "util/strbuf.h"
#include "util/yamlemit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum output { OUT_TABLE, OUT_WIDE, OUT_NAME, OUT_JSON, OUT_YAML };

struct collect {
    const struct kind *kind;
    struct store store;
    struct obj_builder b;
    cJSON *items; /* full objects, kept only for -o json|yaml */
};

static void on_list(void *ud, bool begin)
{
    struct collect *c = ud;
    if (begin)
        store_list_begin(&c->store);
    else
        store_list_end(&c->store);
}

static void on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    struct collect *c = ud;
    if (op != REFLECTOR_UPSERT)
        return;
    store_put(&c->store, kind_project(c->kind, obj, &c->b));
    if (!c->items)
        return;
    /* Items in a list carry no kind/apiVersion on a real server; kubectl fills them in. */
    cJSON *dup = cJSON_Duplicate(obj, 1);
    if (!json_get(dup, "kind"))
        cJSON_AddStringToObject(dup, "kind", c->kind->kind);
    if (!json_get(dup, "apiVersion")) {
        char av[128];
        snprintf(av, sizeof av, "%s%s%s", c->kind->group, c->kind->group[0] ? "/" : "",
                 c->kind->version);
        cJSON_AddStringToObject(dup, "apiVersion", av);
    }
    cJSON_AddItemToArray(c->items, dup);
}

static void on_state(void *ud)
{
    (void)ud;
}

static void on_columns(void *ud, const cJSON *defs)
{
    struct collect *c = ud;
    kind_table_set_columns(c->kind, defs);
}

static const struct reflector_ops collect_ops = {on_list, on_object, on_state, on_columns};

static enum output parse_output(const char *s)
{
    static const struct {
        const char *name;
        enum output o;
    } outs[] = {{"table", OUT_TABLE},
                {"wide", OUT_WIDE},
                {"name", OUT_NAME},
                {"json", OUT_JSON},
                {"yaml", OUT_YAML}};
    if (!s)
        return OUT_TABLE;
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++)
        if (strcmp(s, outs[i].name) == 0)
            return outs[i].o;
    cli_usage_error("unknown output format \"%s\"; use table, wide, name, json or yaml", s);
}

/* "pod", "deployment.apps": what kubectl prints before the slash in -o name. */
static void resource_prefix(const struct kind *k, char *buf, size_t n)
{
    size_t i = 0;
    for (const char *p = k->kind; *p && i + 1 < n; p++)
        buf[i++] = (char)tolower((unsigned char)*p);
    buf[i] = '\0';
    if (k->group[0])
        snprintf(buf + i, n - i, ".%s", k->group);
}

static int print(struct strbuf *out)
{
    if (out->len && fwrite(out->buf, 1, out->len, stdout) != out->len)
        return EXIT_FAILURE;
    return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int print_objects(struct collect *c, struct table *t, const char *name, enum output out)
{
    /* Only the objects that survived the filter, in the table's order. */
    struct map by_uid = {0};
    cJSON *it;
    cJSON_ArrayForEach(it, c->items)
    {
        const char *u = json_str(json_get(it, "metadata"), "uid");
        if (u)
            map_put(&by_uid, u, it);
    }
    cJSON *items = cJSON_CreateArray();
    for (size_t i = 0; i < table_len(t); i++) {
        const cJSON *obj = map_get(&by_uid, obj_str(table_row(t, i), OBJ_UID));
        if (obj)
            cJSON_AddItemToArray(items, cJSON_Duplicate(obj, 1));
    }
    map_free(&by_uid);
    cJSON *doc;
    if (name && cJSON_GetArraySize(items) == 1) {
        doc = cJSON_DetachItemFromArray(items, 0);
        cJSON_Delete(items);
    } else {
        doc = cJSON_CreateObject();
        cJSON_AddStringToObject(doc, "apiVersion", "v1");
        cJSON_AddItemToObject(doc, "items", items);
        cJSON_AddStringToObject(doc, "kind", "List");
        cJSON *meta = cJSON_AddObjectToObject(doc, "metadata");
        cJSON_AddStringToObject(meta, "resourceVersion", "");
    }
    struct strbuf sb = {0};
    struct err e = {0};
    int rc = EXIT_SUCCESS;
    if (out == OUT_JSON)
        jsonfmt_write(doc, &sb);
    else if (!yamlemit_write(doc, &sb, &e))
        rc = EXIT_FAILURE;
    cJSON_Delete(doc);
    if (rc == EXIT_SUCCESS)
        rc = print(&sb);
    else
        fprintf(stderr, "timon: error: %s\n", e.msg);
    strbuf_free(&sb);
    return rc;
}

int cmd_get(const struct opts *o, int argc, char **argv)
{
    if (argc < 1)
        cli_usage_error("get: which kind? e.g. 'timon get pods'");
    if (argc > 2)
        cli_usage_error("get: unexpected argument \"%s\"", argv[2]);
    enum output out = parse_output(o->output);
    const char *name = argc > 1 ? argv[1] : NULL;
    struct cli_session s = {0};
    cli_connect(o, &s);
    struct kind_cache cache = {0};
    struct discovery disc = {0};
    const struct kind *k = cli_resolve_kind(&s, &cache, &disc, argv[0]);
    if (!k)
        cli_fail("the server doesn't have a resource type \"%s\"", argv[0]);

    struct collect c = {.kind = k};
    if (out == OUT_JSON || out == OUT_YAML)
        c.items = cJSON_CreateArray();
    struct strbuf path = {0}, fsel = {0};
    bool all = o->all_ns || !k->namespaced;
    kind_path(k, all ? NULL : s.conn.namespace, &path);
    if (name)
        strbuf_printf(&fsel, "metadata.name=%s", name);
    struct reflector_spec spec = {
        .path = strbuf_str(&path),
        .label_selector = o->selector,
        .field_selector = name ? strbuf_str(&fsel) : NULL,
        .once = true,
        /* Server-rendered kinds list as Tables, except when whole objects are wanted. */
        .table = k->server_table && !c.items,
    };
    struct reflector *r = reflector_new(s.http, &spec, &collect_ops, &c);
    reflector_start(r);
    char err[512];
    if (!cli_run_once(s.http, r, err, sizeof err))
        cli_fail("%s", err);

    struct table t;
    table_init(&t, k, o->all_ns, out == OUT_WIDE);
    table_set_ctx(&t, clock_wall_s(), NULL);
    struct err fe = {0};
    if (o->filter && !table_set_filter(&t, o->filter, &fe))
        cli_usage_error("--filter: %s", fe.msg);
    table_sync(&t, &c.store);
    char warning[256];
    if (table_filter_warning(&t, warning, sizeof warning))
        fprintf(stderr, "timon: warning: %s\n", warning);
    int rc = EXIT_SUCCESS;
    char prefix[128];
    resource_prefix(k, prefix, sizeof prefix);
    if (name && table_total(&t) == 0) {
        fprintf(stderr, "timon: error: %s%s%s \"%s\" not found\n", k->resource,
                k->group[0] ? "." : "", k->group, name);
        rc = EXIT_FAILURE;
    } else if (table_len(&t) == 0 && out != OUT_JSON && out != OUT_YAML) {
        if (all)
            fprintf(stderr, "No resources found\n");
        else
            fprintf(stderr, "No resources found in %s namespace.\n", s.conn.namespace);
    } else if (out == OUT_NAME) {
        struct strbuf sb = {0};
        for (size_t i = 0; i < table_len(&t); i++)
            strbuf_printf(&sb, "%s/%s\n", prefix, obj_str(table_row(&t, i), OBJ_NAME));
        rc = print(&sb);
        strbuf_free(&sb);
    } else if (out == OUT_JSON || out == OUT_YAML) {
        rc = print_objects(&c, &t, name, out);
    } else {
        struct strbuf sb = {0};
        table_format_text(&t, true, &sb);
        rc = print(&sb);
        strbuf_free(&sb);
    }
    table_free(&t);
    reflector_free(r);
    store_free(&c.store);
    obj_builder_free(&c.b);
    cJSON_Delete(c.items);
    strbuf_free(&path);
    strbuf_free(&fsel);
    kind_cache_free(&cache);
    discovery_free(&disc);
    cli_session_free(&s);
    return rc;
}
