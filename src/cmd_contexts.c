/* cmd_contexts — `timon contexts`: the merged kubeconfig's contexts, laid out as kubectl config
 * get-contexts lays them out, plus the file that defines each. */
#include "cli.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/tabwriter.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Appends s neutralised for the terminal (kubeconfig names may hold anything). */
static void put_clean(struct strbuf *sb, const char *s)
{
    sanitize_append(sb, s ? s : "", s ? strlen(s) : 0, SANITIZE_TAB_TO_SPACE);
}

int cmd_contexts(const struct opts *o, int argc)
{
    if (argc > 0)
        cli_usage_error("contexts takes no arguments");
    struct kubeconfig kc;
    struct err e = {0};
    if (!kubeconfig_load(&kc, o->kubeconfig, &e))
        cli_fail("%s", e.msg);
    if (kc.contexts.len == 0) {
        fprintf(stderr, "No contexts found in the kubeconfig\n");
        kubeconfig_free(&kc);
        return EXIT_SUCCESS;
    }
    const char *current = o->context ? o->context : kc.current_context;
    struct strbuf raw = {0}, out = {0};
    strbuf_puts(&raw, "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\tFILE\n");
    for (size_t i = 0; i < kc.contexts.len; i++) {
        const struct kc_context *c = &kc.contexts.v[i];
        strbuf_puts(&raw, current && strcmp(current, c->name) == 0 ? "*" : "");
        strbuf_putc(&raw, '\t');
        const char *cells[] = {c->name, c->cluster, c->user, c->namespace, c->source};
        for (size_t j = 0; j < 5; j++) {
            put_clean(&raw, cells[j]);
            strbuf_putc(&raw, j < 4 ? '\t' : '\n');
        }
    }
    tabwriter_format(strbuf_str(&raw), raw.len, TABWRITER_KUBECTL_GET, &out);
    bool ok = fwrite(out.buf, 1, out.len, stdout) == out.len && fflush(stdout) == 0;
    strbuf_free(&raw);
    strbuf_free(&out);
    kubeconfig_free(&kc);
    return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
