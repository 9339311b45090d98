/* command — tokenising and classifying a command line. */
#include "model/command.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Splits on spaces; single quotes group. Returns malloc'd tokens, NULL-terminated. */
static char **tokens(const char *s, struct err *e)
{
    size_t n = 0, cap = 8;
    char **v = xcalloc(cap, sizeof *v);
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        struct strbuf t = {0};
        while (*s && *s != ' ' && *s != '\t') {
            if (*s == '\'') {
                const char *end = strchr(s + 1, '\'');
                if (!end) {
                    strbuf_free(&t);
                    for (size_t i = 0; i < n; i++)
                        free(v[i]);
                    free(v);
                    err_set(e, "unbalanced quote in the command");
                    return NULL;
                }
                strbuf_append(&t, s + 1, (size_t)(end - s - 1));
                s = end + 1;
            } else {
                strbuf_putc(&t, *s++);
            }
        }
        if (n + 2 > cap)
            v = xreallocarray(v, cap *= 2, sizeof *v);
        v[n++] = strbuf_take(&t);
        v[n] = NULL;
    }
    return v;
}

static bool is_selector(const char *t)
{
    return strchr(t, '=') || strstr(t, " in ") || strstr(t, " notin ") || t[0] == '!';
}

bool command_parse(const char *line, struct command *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    char **tok = tokens(line, e);
    if (!tok)
        return false;
    bool ok = true;
    for (size_t i = 0; tok[i] && ok; i++) {
        char *t = tok[i];
        if (i == 0) {
            for (char *p = t; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            out->word = xstrdup(t);
        } else if (t[0] == '@' && t[1]) {
            free(out->context);
            out->context = xstrdup(t + 1);
        } else if (t[0] == '/' && t[1]) {
            free(out->filter);
            out->filter = xstrdup(t + 1);
        } else if (strcmp(t, "-f") == 0 && tok[i + 1]) {
            free(out->filter);
            out->filter = xasprintf("-f %s", tok[++i]);
        } else if (strcmp(t, "-A") == 0 || strcmp(t, "all") == 0) {
            out->all_ns = true;
        } else if (strcmp(t, "-l") == 0 && tok[i + 1]) {
            free(out->selector);
            out->selector = xstrdup(tok[++i]);
        } else if (is_selector(t)) {
            free(out->selector);
            out->selector = xstrdup(t);
        } else if (!out->ns && !out->name) {
            out->ns = xstrdup(t); /* the word decides whether this is a namespace or a name */
        } else if (!out->name) {
            out->name = xstrdup(t);
        } else {
            ok = err_set(e, "unexpected \"%s\" in the command", t);
        }
    }
    for (size_t i = 0; tok[i]; i++)
        free(tok[i]);
    free(tok);
    if (ok && !out->word)
        ok = err_set(e, "empty command");
    if (!ok)
        command_free(out);
    return ok;
}

void command_free(struct command *c)
{
    free(c->word);
    free(c->ns);
    free(c->filter);
    free(c->selector);
    free(c->context);
    free(c->name);
    memset(c, 0, sizeof *c);
}

bool command_is_quit(const char *w)
{
    static const char *const q[] = {"q", "q!", "qa", "Q", "quit", "exit"};
    for (size_t i = 0; i < sizeof q / sizeof q[0]; i++)
        if (strcmp(w, q[i]) == 0)
            return true;
    return false;
}
