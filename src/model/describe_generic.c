/* describe_generic — kubectl's describe for kinds without their own (custom resources, leases,
 * controller revisions ...): name, namespace, labels, annotations, then every other field of the
 * object, sorted, nested two spaces per level, with labels made from the field names
 * ("apiVersion" -> "API Version"), then the events about it. */
#include "model/describe.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    (void)status;
    const char *kind = json_strz(obj, "kind");
    describe_plan_own_events(p, obj, kind[0] ? kind : t->kind);
}

static bool acronym(const char *part, size_t n)
{
    static const char *const acr[] = {"API", "URL", "UID", "OSB", "GUID"};
    for (size_t i = 0; i < sizeof acr / sizeof acr[0]; i++) {
        if (strlen(acr[i]) != n)
            continue;
        size_t k = 0;
        while (k < n && (part[k] & ~0x20) == acr[i][k])
            k++;
        if (k == n)
            return true;
    }
    return false;
}

static int cls(unsigned char c)
{
    return c >= 'a' && c <= 'z' ? 1 : c >= 'A' && c <= 'Z' ? 2 : c >= '0' && c <= '9' ? 3 : 4;
}

/* smartLabelFor: a field of letters and dashes split at camel-case boundaries (a run of
 * capitals keeps all but its last, which starts the next word), each part title-cased or, for
 * the known acronyms, upper-cased, joined by spaces. Anything else stays as it is. */
static void smart_label(const char *field, struct strbuf *out)
{
    for (const unsigned char *p = (const unsigned char *)field; *p; p++) {
        if (!(cls(*p) <= 2 || *p == '-')) {
            strbuf_puts(out, field);
            return;
        }
    }
    size_t n = strlen(field);
    /* Runs of one class; then an upper run followed by a lower run gives its last letter away. */
    size_t starts[256], k = 0;
    for (size_t i = 0; i < n && k < 255; i++)
        if (i == 0 || cls((unsigned char)field[i]) != cls((unsigned char)field[i - 1]))
            starts[k++] = i;
    starts[k] = n;
    for (size_t i = 0; i + 1 < k; i++)
        if (cls((unsigned char)field[starts[i]]) == 2 &&
            cls((unsigned char)field[starts[i + 1]]) == 1)
            starts[i + 1]--;
    size_t words = 0;
    for (size_t i = 0; i < k; i++) {
        size_t a = starts[i], b = starts[i + 1];
        if (b <= a)
            continue;
        if (words++)
            strbuf_putc(out, ' ');
        if (acronym(field + a, b - a)) {
            for (size_t j = a; j < b; j++)
                strbuf_putc(out, (char)(field[j] & ~0x20));
        } else {
            char first = field[a];
            strbuf_putc(out, (char)(first >= 'a' && first <= 'z' ? first - 32 : first));
            strbuf_append(out, field + a + 1, b - a - 1);
        }
    }
}

/* Go's %v of a nested value: [a b] for arrays, map[k:v] with sorted keys for objects. */
static void go_value(const cJSON *v, struct strbuf *out)
{
    char buf[64];
    if (cJSON_IsArray(v)) {
        strbuf_putc(out, '[');
        for (const cJSON *c = v->child; c; c = c->next) {
            go_value(c, out);
            if (c->next)
                strbuf_putc(out, ' ');
        }
        strbuf_putc(out, ']');
    } else if (cJSON_IsObject(v)) {
        size_t n;
        const cJSON **m = describe_members(v, &n);
        strbuf_puts(out, "map[");
        for (size_t i = 0; i < n; i++) {
            strbuf_printf(out, "%s%s:", i ? " " : "", m[i]->string);
            go_value(m[i], out);
        }
        strbuf_putc(out, ']');
        free(m);
    } else {
        strbuf_puts(out, describe_scalar(v, buf, sizeof buf));
    }
}

static bool skipped(const char *expr)
{
    static const char *const skip[] = {".metadata.managedFields", ".metadata.name",
                                       ".metadata.namespace", ".metadata.labels",
                                       ".metadata.annotations"};
    for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
        if (strcmp(expr, skip[i]) == 0)
            return true;
    return false;
}

static void content(struct describe_w *w, int level, const cJSON *obj, const char *prefix)
{
    size_t n;
    const cJSON **fields = describe_members(obj, &n);
    for (size_t i = 0; i < n; i++) {
        const cJSON *v = fields[i];
        char *expr = xasprintf("%s.%s", prefix, v->string);
        struct strbuf label = {0};
        if (!skipped(expr))
            smart_label(v->string, &label);
        if (skipped(expr)) {
            /* left out */
        } else if (cJSON_IsObject(v)) {
            describe_write(w, level, "%s:\n", strbuf_str(&label));
            content(w, level + 1, v, expr);
        } else if (cJSON_IsArray(v)) {
            describe_write(w, level, "%s:\n", strbuf_str(&label));
            for (const cJSON *c = v->child; c; c = c->next) {
                if (cJSON_IsObject(c)) {
                    content(w, level + 1, c, expr);
                } else {
                    struct strbuf sb = {0};
                    go_value(c, &sb);
                    describe_write(w, level + 1, "%s\n", strbuf_str(&sb));
                    strbuf_free(&sb);
                }
            }
        } else {
            char buf[64];
            describe_write(w, level, "%s:\t%s\n", strbuf_str(&label),
                           describe_scalar(v, buf, sizeof buf));
        }
        strbuf_free(&label);
        free(expr);
    }
    free(fields);
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *obj = r->obj;
    if (!obj)
        return err_set(e, "%s", r->obj_error);
    const cJSON *meta = json_get(obj, "metadata");
    describe_metadata(w, meta);
    content(w, 0, obj, "");
    if (r->n > 0)
        describe_events(w, r->replies[0].ok ? r->replies[0].json : NULL, NULL);
    return true;
}

const struct describe_kind describe_generic = {"", "", plan, render};
