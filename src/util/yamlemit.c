/* yamlemit — cJSON to YAML events to text. */
#include "util/yamlemit.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAMLEMIT_MAX_DEPTH 256

static int write_handler(void *data, unsigned char *buf, size_t size)
{
    strbuf_append(data, buf, size);
    return 1;
}

/* Whether a plain scalar with this text would resolve to something other than a string under
 * YAML 1.1 (what go-yaml and kubectl's readers use), so it must be quoted. */
static bool needs_quotes(const char *s)
{
    static const char *const words[] = {"y",     "Y",     "yes",   "Yes",   "YES",  "n",    "N",
                                        "no",    "No",    "NO",    "true",  "True", "TRUE", "false",
                                        "False", "FALSE", "on",    "On",    "ON",   "off",  "Off",
                                        "OFF",   "null",  "Null",  "NULL",  "~",    ".inf", ".Inf",
                                        ".INF",  "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN"};
    if (!*s)
        return true;
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcmp(s, words[i]) == 0)
            return true;
    /* Numbers: ints (decimal, 0x, 0o, underscores), floats, exponents. */
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    bool digit = false, other = false;
    for (const char *q = p; *q; q++) {
        if (isdigit((unsigned char)*q))
            digit = true;
        else if (!strchr("._xXoOeEabcdefABCDEF+-:", *q))
            other = true;
    }
    if (digit && !other && (isdigit((unsigned char)*p) || *p == '.'))
        return true;
    /* Timestamps like 2024-01-02 read back as dates in YAML 1.1. */
    if (isdigit((unsigned char)s[0]) && strlen(s) >= 10 && s[4] == '-' && s[7] == '-')
        return true;
    return false;
}

static bool emit(yaml_emitter_t *em, yaml_event_t *ev, struct err *e)
{
    if (!yaml_emitter_emit(em, ev))
        return err_set(e, "cannot write YAML: %s", em->problem ? em->problem : "emitter error");
    return true;
}

static bool scalar(yaml_emitter_t *em, const char *text, yaml_scalar_style_t style, bool plain_ok,
                   struct err *e)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)(uintptr_t)text, (int)strlen(text),
                                 plain_ok, !plain_ok || style != YAML_PLAIN_SCALAR_STYLE, style);
    return emit(em, &ev, e);
}

static int key_cmp(const void *a, const void *b)
{
    const cJSON *x = *(const cJSON *const *)a, *y = *(const cJSON *const *)b;
    return strcmp(x->string ? x->string : "", y->string ? y->string : "");
}

static bool string_scalar(yaml_emitter_t *em, const char *s, struct err *e)
{
    if (strchr(s, '\n'))
        return scalar(em, s, YAML_LITERAL_SCALAR_STYLE, false, e);
    if (needs_quotes(s))
        return scalar(em, s, YAML_SINGLE_QUOTED_SCALAR_STYLE, false, e);
    return scalar(em, s, YAML_ANY_SCALAR_STYLE, true, e);
}

static bool value(yaml_emitter_t *em, const cJSON *v, int depth, struct err *e)
{
    if (depth > YAMLEMIT_MAX_DEPTH)
        return err_set(e, "cannot write YAML: nesting deeper than %d", YAMLEMIT_MAX_DEPTH);
    yaml_event_t ev;
    if (cJSON_IsObject(v)) {
        yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE);
        if (!emit(em, &ev, e))
            return false;
        int n = cJSON_GetArraySize(v);
        const cJSON **kids = xcalloc((size_t)(n ? n : 1), sizeof *kids);
        int k = 0;
        for (const cJSON *c = v->child; c && k < n; c = c->next)
            kids[k++] = c;
        qsort(kids, (size_t)k, sizeof *kids, key_cmp);
        bool ok = true;
        for (int i = 0; ok && i < k; i++)
            ok = string_scalar(em, kids[i]->string ? kids[i]->string : "", e) &&
                 value(em, kids[i], depth + 1, e);
        free(kids);
        if (!ok)
            return false;
        yaml_mapping_end_event_initialize(&ev);
        return emit(em, &ev, e);
    }
    if (cJSON_IsArray(v)) {
        yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE);
        if (!emit(em, &ev, e))
            return false;
        for (const cJSON *c = v->child; c; c = c->next)
            if (!value(em, c, depth + 1, e))
                return false;
        yaml_sequence_end_event_initialize(&ev);
        return emit(em, &ev, e);
    }
    if (cJSON_IsString(v))
        return string_scalar(em, v->valuestring, e);
    char num[64];
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == (double)(long long)d && fabs(d) < 1e18)
            snprintf(num, sizeof num, "%lld", (long long)d);
        else
            snprintf(num, sizeof num, "%.17g", d);
        return scalar(em, num, YAML_PLAIN_SCALAR_STYLE, true, e);
    }
    if (cJSON_IsBool(v))
        return scalar(em, cJSON_IsTrue(v) ? "true" : "false", YAML_PLAIN_SCALAR_STYLE, true, e);
    return scalar(em, "null", YAML_PLAIN_SCALAR_STYLE, true, e);
}

bool yamlemit_write(const cJSON *v, struct strbuf *out, struct err *e)
{
    yaml_emitter_t em;
    if (!yaml_emitter_initialize(&em))
        return err_set(e, "cannot initialise the YAML emitter");
    yaml_emitter_set_output(&em, write_handler, out);
    yaml_emitter_set_unicode(&em, 1);
    yaml_emitter_set_width(&em, -1);
    yaml_emitter_set_indent(&em, 2);
    yaml_event_t ev;
    bool ok;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    ok = emit(&em, &ev, e);
    if (ok) {
        yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
        ok = emit(&em, &ev, e);
    }
    ok = ok && value(&em, v, 0, e);
    if (ok) {
        yaml_document_end_event_initialize(&ev, 1);
        ok = emit(&em, &ev, e);
    }
    if (ok) {
        yaml_stream_end_event_initialize(&ev);
        ok = emit(&em, &ev, e);
    }
    yaml_emitter_delete(&em);
    return ok;
}
