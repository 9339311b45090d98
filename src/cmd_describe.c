/* cmd_describe — `timon describe KIND NAME` (or KIND/NAME): the requests kubectl describe makes,
 * through client/describer.c, rendered by model/describe.c, printed once. As with kubectl, a
 * name that matches nothing describes every object whose name starts with it. The text is what
 * the TUI's describe view shows; what came from the cluster is neutralised for the terminal. */
#include "cli.h"
#include "client/describer.h"
#include "model/describe.h"
#include "model/kind.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/vec.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIBE_TIMEOUT_MS 120000

struct outcome {
    bool done;
    struct strbuf text;
    struct err e;
};

static void on_done(void *ud, const char *text, size_t len, const struct err *e)
{
    struct outcome *o = ud;
    o->done = true;
    if (text)
        sanitize_append(&o->text, text, len, SANITIZE_KEEP_NEWLINE);
    else
        o->e = *e;
}

/* Describes one object into out; false with e set (e->code the HTTP status) on failure. */
static bool describe_one(struct cli_session *s, const struct kind *k, const char *name,
                         struct outcome *out)
{
    struct describer_target t = {
        .group = k->group,
        .version = k->version,
        .resource = k->resource,
        .kind = k->kind,
        .namespaced = k->namespaced,
        .ns = s->conn.namespace,
        .name = name,
        .strict = true,
    };
    struct describer *d = describer_start(s->http, &t, &describe_hooks, on_done, out, &out->e);
    if (!d)
        return false;
    http_run(s->http, DESCRIBE_TIMEOUT_MS);
    describer_free(d);
    if (!out->done)
        err_set(&out->e, "no answer from %s", http_server(s->http));
    return out->done && !out->e.msg[0];
}

VEC_DEFINE(names, char *)

static void on_list(void *ud, bool begin)
{
    (void)ud;
    (void)begin;
}

static void on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    if (op == REFLECTOR_UPSERT)
        *names_push(ud) = xstrdup(json_strz(json_get(obj, "metadata"), "name"));
}

static void on_state(void *ud)
{
    (void)ud;
}

static const struct reflector_ops list_ops = {on_list, on_object, on_state, NULL};

/* kubectl's fallback for a name that is not there: every object whose name starts with it,
 * each followed by an empty line. False (nothing printed) when none does. */
static bool describe_prefix(struct cli_session *s, const struct kind *k, const char *prefix,
                            int *rc)
{
    struct names all = {0};
    struct strbuf path = {0};
    kind_path(k, k->namespaced ? s->conn.namespace : NULL, &path);
    struct reflector_spec spec = {.path = strbuf_str(&path), .once = true};
    struct reflector *r = reflector_new(s->http, &spec, &list_ops, &all);
    reflector_start(r);
    char err[512];
    bool listed = cli_run_once(s->http, r, err, sizeof err);
    reflector_free(r);
    strbuf_free(&path);
    bool found = false;
    for (size_t i = 0; listed && i < all.len && *rc == EXIT_SUCCESS; i++) {
        if (strncmp(all.v[i], prefix, strlen(prefix)) != 0)
            continue;
        found = true;
        struct outcome out = {0};
        if (describe_one(s, k, all.v[i], &out)) {
            strbuf_putc(&out.text, '\n');
            if (fwrite(out.text.buf, 1, out.text.len, stdout) != out.text.len)
                *rc = EXIT_FAILURE;
        } else {
            fprintf(stderr, "timon: error: %s\n", out.e.msg);
            *rc = EXIT_FAILURE;
        }
        strbuf_free(&out.text);
    }
    for (size_t i = 0; i < all.len; i++)
        free(all.v[i]);
    names_free(&all);
    return found;
}

int cmd_describe(const struct opts *o, int argc, char **argv)
{
    if (argc < 1)
        cli_usage_error("describe: which kind and name? e.g. 'timon describe pod web-0'");
    if (argc > 2)
        cli_usage_error("describe: unexpected argument \"%s\"", argv[2]);
    if (o->all_ns || o->output || o->filter || o->selector)
        cli_usage_error("describe takes a kind and a name; -A, -l, -o and --filter do not apply");
    char *word = xstrdup(argv[0]);
    const char *name = argc > 1 ? argv[1] : NULL;
    char *slash = strchr(word, '/');
    if (slash && name)
        cli_usage_error("describe: \"%s\" already names the object; drop \"%s\"", argv[0], argv[1]);
    if (slash) {
        *slash = '\0';
        name = slash + 1;
    }
    if (!name || !name[0])
        cli_usage_error("describe: which %s? e.g. 'timon describe %s NAME'", word, word);
    struct cli_session s = {0};
    cli_connect(o, &s);
    struct kind_cache cache = {0};
    struct discovery disc = {0};
    const struct kind *k = cli_resolve_kind(&s, &cache, &disc, word);
    if (!k)
        cli_fail("the server doesn't have a resource type \"%s\"", word);
    struct outcome out = {0};
    int rc = EXIT_SUCCESS;
    if (describe_one(&s, k, name, &out)) {
        if ((out.text.len && fwrite(out.text.buf, 1, out.text.len, stdout) != out.text.len))
            rc = EXIT_FAILURE;
    } else if (out.e.code != 404 || !describe_prefix(&s, k, name, &rc)) {
        fprintf(stderr, "timon: error: %s\n", out.e.msg);
        rc = EXIT_FAILURE;
    }
    if (fflush(stdout) != 0)
        rc = EXIT_FAILURE;
    strbuf_free(&out.text);
    kind_cache_free(&cache);
    discovery_free(&disc);
    cli_session_free(&s);
    free(word);
    return rc;
}
