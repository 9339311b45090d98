/* describe — the prefix writer, the sections every describe shares, and the dispatch by kind.
 * Layouts follow kubectl's describe package (release 1.32), reimplemented from its output.
 *
 * Must not: print, fetch, or depend on the order of a JSON object's keys where kubectl sorts. */
#include "model/describe.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/qty.h"
#include "util/rfc3339.h"
#include "util/tabwriter.h"
#include "util/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_ANNOTATION_LEN 140 /* kubectl folds longer annotations */

void describe_write(struct describe_w *w, int level, const char *fmt, ...)
{
    for (int i = 0; i < level; i++)
        strbuf_puts(&w->raw, "  ");
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    va_list cp;
    va_copy(cp, ap);
    int n = vsnprintf(small, sizeof small, fmt, cp);
    va_end(cp);
    char *text = small;
    if (n >= (int)sizeof small) {
        text = xmalloc((size_t)n + 1);
        vsnprintf(text, (size_t)n + 1, fmt, ap);
    }
    va_end(ap);
    /* kubectl's printers.WriteEscaped: ESC and CR never reach the terminal raw. */
    for (int i = 0; i < n; i++) {
        if (text[i] == 0x1b)
            strbuf_puts(&w->raw, "^[");
        else if (text[i] == '\r')
            strbuf_puts(&w->raw, "\\r");
        else
            strbuf_putc(&w->raw, text[i]);
    }
    if (text != small)
        free(text);
}

static int cmp_key(const void *a, const void *b)
{
    return strcmp((*(const cJSON *const *)a)->string, (*(const cJSON *const *)b)->string);
}

const cJSON **describe_members(const cJSON *obj, size_t *n)
{
    *n = 0;
    if (!cJSON_IsObject(obj))
        return NULL;
    size_t cap = (size_t)cJSON_GetArraySize(obj);
    if (!cap)
        return NULL;
    const cJSON **v = xcalloc(cap, sizeof *v);
    for (const cJSON *it = obj->child; it && *n < cap; it = it->next)
        if (it->string)
            v[(*n)++] = it;
    qsort(v, *n, sizeof *v, cmp_key);
    return v;
}

void describe_name(struct describe_w *w, const cJSON *meta)
{
    describe_write(w, 0, "Name:\t%s\n", json_strz(meta, "name"));
    describe_write(w, 0, "Namespace:\t%s\n", json_strz(meta, "namespace"));
}

void describe_metadata(struct describe_w *w, const cJSON *meta)
{
    describe_name(w, meta);
    describe_labels(w, "Labels", json_get(meta, "labels"));
    describe_annotations(w, "Annotations", json_get(meta, "annotations"));
}

void describe_labels(struct describe_w *w, const char *title, const cJSON *labels)
{
    describe_write(w, 0, "%s:\t", title);
    size_t n;
    const cJSON **keys = describe_members(labels, &n);
    if (!n)
        describe_write(w, 0, "<none>\n");
    for (size_t i = 0; i < n; i++) {
        if (i)
            describe_write(w, 0, "\t");
        char buf[64];
        describe_write(w, 0, "%s=%s\n", keys[i]->string, describe_scalar(keys[i], buf, sizeof buf));
    }
    free(keys);
}

void describe_annotations(struct describe_w *w, const char *title, const cJSON *annotations)
{
    describe_write(w, 0, "%s:\t", title);
    size_t n;
    const cJSON **keys = describe_members(annotations, &n);
    size_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = keys[i]->string;
        if (strcmp(key, "kubectl.kubernetes.io/last-applied-configuration") == 0)
            continue;
        if (shown++)
            describe_write(w, 0, "\t");
        char buf[64];
        const char *v = describe_scalar(keys[i], buf, sizeof buf);
        size_t vl = strlen(v);
        if (vl && v[vl - 1] == '\n')
            vl--;
        if (vl + strlen(key) + 2 > MAX_ANNOTATION_LEN || memchr(v, '\n', vl)) {
            describe_write(w, 0, "%s:\n", key);
            const char *s = v, *end = v + vl;
            for (;;) {
                const char *nl = memchr(s, '\n', (size_t)(end - s));
                size_t len = nl ? (size_t)(nl - s) : (size_t)(end - s);
                if (len > MAX_ANNOTATION_LEN - 2)
                    describe_write(w, 0, "\t  %.*s...\n", MAX_ANNOTATION_LEN - 2, s);
                else
                    describe_write(w, 0, "\t  %.*s\n", (int)len, s);
                if (!nl)
                    break;
                s = nl + 1;
            }
        } else {
            describe_write(w, 0, "%s: %.*s\n", key, (int)vl, v);
        }
    }
    if (!shown)
        describe_write(w, 0, "<none>\n");
    free(keys);
}

const cJSON *describe_controller(const cJSON *obj)
{
    const cJSON *ref;
    cJSON_ArrayForEach(ref, json_path(obj, "metadata", "ownerReferences", NULL))
    {
        if (json_true(ref, "controller"))
            return ref;
    }
    return NULL;
}

const char *describe_time(const cJSON *obj, const char *key, char *buf, size_t n)
{
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int64_t t;
    const char *s = json_str(obj, key);
    struct tm tm;
    time_t tt;
    if (!s || !rfc3339_parse(s, &t) || (tt = (time_t)t, !localtime_r(&tt, &tm))) {
        /* Go's zero time, which is what kubectl prints for an unset one. */
        snprintf(buf, n, "Mon, 01 Jan 0001 00:00:00 +0000");
        return buf;
    }
    long off = tm.tm_gmtoff / 60;
    char sign = off < 0 ? '-' : '+';
    if (off < 0)
        off = -off;
    snprintf(buf, n, "%s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld", days[tm.tm_wday % 7],
             tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
             tm.tm_sec, sign, off / 60, off % 60);
    return buf;
}

const char *describe_since(const struct describe_w *w, const cJSON *obj, const char *key, char *buf,
                           size_t n)
{
    return duration_age(w->now, json_time(obj, key), buf, n);
}

/* Go's %v of a float64: the shortest digits that read back, in %e form when the exponent is
 * below -4 or at least 6 (strconv's rule for the shortest 'g'), as e+06 / e-07. */
static const char *go_float(double v, char *buf, size_t n)
{
    if (isnan(v)) {
        snprintf(buf, n, "NaN");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, n, "%s", v < 0 ? "-Inf" : "+Inf");
        return buf;
    }
    char e[40];
    for (int p = 0; p < 17; p++) {
        snprintf(e, sizeof e, "%.*e", p, v);
        if (strtod(e, NULL) == v)
            break;
    }
    /* e is "[-]d[.ddd]e[+-]XX": digits and the decimal exponent. */
    char digits[32];
    size_t nd = 0;
    const char *q = e;
    bool neg = *q == '-';
    if (neg)
        q++;
    for (; *q && *q != 'e'; q++)
        if (*q >= '0' && *q <= '9' && nd < sizeof digits - 1)
            digits[nd++] = *q;
    digits[nd] = '\0';
    int exp = *q == 'e' ? atoi(q + 1) : 0;
    while (nd > 1 && digits[nd - 1] == '0')
        digits[--nd] = '\0';
    const char *sign = neg ? "-" : "";
    if (exp < -4 || exp >= 6) {
        snprintf(buf, n, "%s%c%s%se%c%02d", sign, digits[0], nd > 1 ? "." : "", digits + 1,
                 exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    } else if (exp >= 0) {
        char ip[8];
        for (int k = 0; k <= exp; k++)
            ip[k] = (size_t)k < nd ? digits[k] : '0';
        ip[exp + 1] = '\0';
        const char *frac = (size_t)exp + 1 < nd ? digits + exp + 1 : "";
        snprintf(buf, n, "%s%s%s%s", sign, ip, frac[0] ? "." : "", frac);
    } else {
        snprintf(buf, n, "%s0.%.*s%s", sign, -exp - 1, "0000", digits);
    }
    return buf;
}

const char *describe_scalar(const cJSON *v, char *buf, size_t n)
{
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsBool(v))
        return cJSON_IsTrue(v) ? "true" : "false";
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (d == floor(d) && d > -9.2e18 && d < 9.2e18)
            snprintf(buf, n, "%lld", (long long)d);
        else
            go_float(d, buf, n);
        return buf;
    }
    if (cJSON_IsNull(v) || !v)
        return "<nil>";
    return "";
}

const char *describe_qty(const cJSON *v, const char *missing, char *buf, size_t n)
{
    struct qty q;
    if (!v)
        return missing;
    if (cJSON_IsNumber(v))
        return describe_scalar(v, buf, n);
    if (!cJSON_IsString(v) || !qty_parse(v->valuestring, &q))
        return cJSON_IsString(v) ? v->valuestring : missing;
    return qty_format(&q, buf, n);
}

const char *describe_intstr(const cJSON *v, char *buf, size_t n)
{
    if (cJSON_IsString(v))
        return v->valuestring;
    if (cJSON_IsNumber(v)) {
        snprintf(buf, n, "%lld", (long long)v->valuedouble);
        return buf;
    }
    return "";
}

void describe_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
    if (n < 2)
        return;
    /* Bottom-up merge sort through a scratch copy. */
    char *a = base, *tmp = xmalloc(n * size);
    for (size_t width = 1; width < n; width *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * width) {
            size_t mid = lo + width < n ? lo + width : n;
            size_t hi = lo + 2 * width < n ? lo + 2 * width : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                if (cmp(a + j * size, a + i * size) < 0)
                    memcpy(tmp + k++ * size, a + j++ * size, size);
                else
                    memcpy(tmp + k++ * size, a + i++ * size, size);
            }
            while (i < mid)
                memcpy(tmp + k++ * size, a + i++ * size, size);
            while (j < hi)
                memcpy(tmp + k++ * size, a + j++ * size, size);
        }
        memcpy(a, tmp, n * size);
    }
    free(tmp);
}

void describe_conditions(struct describe_w *w, const cJSON *conditions)
{
    if (json_len(conditions) <= 0)
        return;
    describe_write(w, 0, "Conditions:\n  Type\tStatus\tReason\n");
    describe_write(w, 1, "----\t------\t------\n");
    const cJSON *c;
    cJSON_ArrayForEach(c, conditions)
    {
        describe_write(w, 1, "%s \t%s\t%s\n", json_strz(c, "type"), json_strz(c, "status"),
                       json_strz(c, "reason"));
    }
}

void describe_plan_events(struct describer_plan *p, const char *ns, const char *name,
                          const char *kind, const char *uid)
{
    struct strbuf fs = {0}, path = {0};
    strbuf_printf(&fs, "involvedObject.name=%s,involvedObject.namespace=%s", name, ns ? ns : "");
    if (kind)
        strbuf_printf(&fs, ",involvedObject.kind=%s", kind);
    if (uid)
        strbuf_printf(&fs, ",involvedObject.uid=%s", uid);
    if (ns && ns[0])
        strbuf_printf(&path, "/api/v1/namespaces/%s/events", ns);
    else
        strbuf_puts(&path, "/api/v1/events");
    describer_plan_add(p, strbuf_str(&path), NULL, strbuf_str(&fs), true, true);
    strbuf_free(&fs);
    strbuf_free(&path);
}

const cJSON *describe_plan_own_events(struct describer_plan *p, const cJSON *obj, const char *kind)
{
    if (!obj)
        return NULL;
    const cJSON *meta = json_get(obj, "metadata");
    describe_plan_events(p, json_strz(meta, "namespace"), json_strz(meta, "name"), kind,
                         json_strz(meta, "uid"));
    return meta;
}

void describe_finish(struct describe_w *w, struct strbuf *out)
{
    tabwriter_format(strbuf_str(&w->raw), w->raw.len, TABWRITER_KUBECTL_DESCRIBE, out);
    strbuf_free(&w->raw);
}

const struct describe_kind *describe_for(const char *group, const char *kind)
{
    static const struct describe_kind *const kinds[] = {
        &describe_pods,  &describe_deployments, &describe_replicasets,
        &describe_nodes, &describe_services,    &describe_secrets,
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i]->group, group ? group : "") == 0 &&
            strcmp(kinds[i]->kind, kind ? kind : "") == 0)
            return kinds[i];
    return &describe_generic;
}

static void hook_plan(const struct describer_target *t, const cJSON *obj, long status,
                      struct describer_plan *p)
{
    describe_for(t->group, t->kind)->plan(t, obj, status, p);
}

static bool hook_render(const struct describer_result *r, struct strbuf *out, struct err *e)
{
    struct describe_w w = {.now = r->now};
    if (!describe_for(r->target->group, r->target->kind)->render(r, &w, e)) {
        strbuf_free(&w.raw);
        return false;
    }
    describe_finish(&w, out);
    return true;
}

const struct describer_hooks describe_hooks = {hook_plan, hook_render};
