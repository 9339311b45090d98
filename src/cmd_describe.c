/* cmd_describe — `timon describe KIND NAME` (or KIND/NAME): the requests kubectl describe makes,
 * through client/describer.c, rendered by model/describe.c, printed once. The text is what the
 * TUI's describe view shows; what came from the cluster is neutralised for the terminal. */
#include "cli.h"
#include "client/describer.h"
#include "model/describe.h"
#include "model/kind.h"
#include "util/sanitize.h"
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
    if (slash && !name) {
        *slash = '\0';
        name = slash + 1;
    } else if (slash) {
        cli_usage_error("describe: there is no need to name it twice (\"%s\" and \"%s\")", argv[0],
                        argv[1]);
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
    struct describer_target t = {
        .group = k->group,
        .version = k->version,
        .resource = k->resource,
        .kind = k->kind,
        .namespaced = k->namespaced,
        .ns = s.conn.namespace,
        .name = name,
    };
    struct outcome out = {0};
    struct err e = {0};
    struct describer *d = describer_start(s.http, &t, &describe_hooks, on_done, &out, &e);
    if (!d)
        cli_fail("%s", e.msg);
    http_run(s.http, DESCRIBE_TIMEOUT_MS);
    int rc = EXIT_SUCCESS;
    if (!out.done) {
        fprintf(stderr, "timon: error: no answer from %s\n", http_server(s.http));
        rc = EXIT_FAILURE;
    } else if (out.e.msg[0]) {
        fprintf(stderr, "timon: error: %s\n", out.e.msg);
        rc = EXIT_FAILURE;
    } else if ((out.text.len && fwrite(out.text.buf, 1, out.text.len, stdout) != out.text.len) ||
               fflush(stdout) != 0) {
        rc = EXIT_FAILURE;
    }
    describer_free(d);
    strbuf_free(&out.text);
    kind_cache_free(&cache);
    discovery_free(&disc);
    cli_session_free(&s);
    free(word);
    return rc;
}
