/* labeledit — parse and check label/annotation edits. */
#include "model/labeledit.h"
#include "model/labels.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define ANNOTATIONS_MAX (256 * 1024) /* the server's limit on all annotations together */

/* The next token: runs of non-space, with double quotes grouping (and removed). */
static bool next_token(const char **p, struct strbuf *tok, struct err *e)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
    if (!**p)
        return false;
    bool quoted = false;
    strbuf_reset(tok);
    for (; **p && (quoted || (**p != ' ' && **p != '\t')); (*p)++) {
        if (**p == '"') {
            quoted = !quoted;
            continue;
        }
        if (**p == '\\' && quoted && ((*p)[1] == '"' || (*p)[1] == '\\'))
            (*p)++;
        strbuf_putc(tok, **p);
    }
    if (quoted) {
        err_set(e, "unterminated quote");
        strbuf_reset(tok);
        return true;
    }
    return true;
}

static bool check_value(enum labeledit_kind kind, const char *key, const char *v, struct err *e)
{
    if (kind == LABELEDIT_ANNOTATIONS) {
        if (strlen(v) > ANNOTATIONS_MAX)
            return err_set(e, "annotation %s: the value is longer than 256 KiB", key);
        return true;
    }
    if (strlen(v) > 63) /* said before the value is echoed: it would fill the line */
        return err_set(e, "label %s: the value has %zu characters, at most 63 are allowed", key,
                       strlen(v));
    if (!labels_valid_value(v, strlen(v), e))
        return err_prefix(e, "label %s", key);
    return true;
}

cJSON *labeledit_parse(const char *line, enum labeledit_kind kind, const cJSON *current,
                       struct err *e)
{
    cJSON *out = cJSON_CreateObject();
    struct strbuf tok = {0};
    const char *p = line ? line : "";
    struct err perr = {0};
    while (next_token(&p, &tok, &perr)) {
        if (perr.msg[0]) {
            err_set(e, "%s", perr.msg);
            goto fail;
        }
        const char *t = strbuf_str(&tok);
        size_t n = tok.len;
        const char *eq = strchr(t, '=');
        bool remove = !eq && n > 0 && t[n - 1] == '-';
        if (!eq && !remove) {
            err_set(e, "\"%s\": expected key=value to set or key- to remove", t);
            goto fail;
        }
        size_t klen = eq ? (size_t)(eq - t) : n - 1;
        char *key = xmalloc(klen + 1);
        memcpy(key, t, klen);
        key[klen] = '\0';
        struct err ke = {0};
        bool ok = labels_valid_key(key, klen, &ke);
        if (!ok) {
            err_set(e, "%s %s: %s", kind == LABELEDIT_LABELS ? "label" : "annotation", key, ke.msg);
        } else if (cJSON_GetObjectItemCaseSensitive(out, key)) {
            ok = err_set(e, "%s is given twice", key);
        } else if (remove) {
            if (current && !cJSON_GetObjectItemCaseSensitive(current, key))
                ok = err_set(e, "%s %s not found",
                             kind == LABELEDIT_LABELS ? "label" : "annotation", key);
            else
                cJSON_AddNullToObject(out, key);
        } else if ((ok = check_value(kind, key, eq + 1, e))) {
            cJSON_AddStringToObject(out, key, eq + 1);
        }
        free(key);
        if (!ok)
            goto fail;
    }
    strbuf_free(&tok);
    return out;
fail:
    strbuf_free(&tok);
    cJSON_Delete(out);
    return NULL;
}

static int by_key(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

char *labeledit_format(const cJSON *current)
{
    size_t n = (size_t)cJSON_GetArraySize(current);
    const cJSON **items = xcalloc(n ? n : 1, sizeof *items);
    size_t k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, current)
    {
        if (cJSON_IsString(it) && it->string)
            items[k++] = it;
    }
    qsort(items, k, sizeof *items, by_key);
    struct strbuf sb = {0};
    for (size_t i = 0; i < k; i++) {
        const char *v = items[i]->valuestring;
        bool quote = strpbrk(v, " \t\"") != NULL || !v[0];
        strbuf_printf(&sb, "%s%s=", i ? " " : "", items[i]->string);
        if (!quote) {
            strbuf_puts(&sb, v);
            continue;
        }
        strbuf_putc(&sb, '"');
        for (; *v; v++) {
            if (*v == '"' || *v == '\\')
                strbuf_putc(&sb, '\\');
            strbuf_putc(&sb, *v);
        }
        strbuf_putc(&sb, '"');
    }
    free(items);
    return strbuf_take(&sb);
}
