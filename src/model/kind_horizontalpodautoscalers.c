/* kind_horizontalpodautoscalers — autoscaling/v2 HPAs as kubectl prints them: REFERENCE as
 * `Kind/name`, TARGETS as `current/target` for the first two metrics (`cpu: 40%/80%`,
 * `<unknown>` before the first measurement, ` + N more...`), MINPODS, MAXPODS and REPLICAS.
 * An HPA that cannot scale (AbleToScale or ScalingActive False) or is pinned at its maximum is
 * an error, as k9s colours it. */
#include "model/kind.h"
#include "util/json.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

enum { HPA_REFERENCE = OBJ_KIND0, HPA_TARGETS, HPA_MINPODS, HPA_MAXPODS, HPA_REPLICAS };

#define MAX_SHOWN 2 /* metrics shown before " + N more..." */

/* obj[key], with JSON null read as absent (a nil pointer in the Go types). */
static const cJSON *field(const cJSON *obj, const char *key)
{
    const cJSON *v = json_get(obj, key);
    return cJSON_IsNull(v) ? NULL : v;
}

/* Quantity.String() of a *Quantity: the server's canonical text, "<nil>" when absent. */
static const char *qty(const cJSON *v, char *buf, size_t n)
{
    return kind_quantity(v, "<nil>", buf, n);
}

/* External and Object sources: an average value target is marked "(avg)". */
static void put_value_metric(struct strbuf *sb, const cJSON *src, const cJSON *st)
{
    const cJSON *target = field(src, "target");
    const cJSON *current = field(st, "current");
    char cb[64], tb[64];
    if (field(target, "averageValue")) {
        const char *cur = "<unknown>";
        if (st && field(current, "averageValue"))
            cur = qty(field(current, "averageValue"), cb, sizeof cb);
        strbuf_printf(sb, "%s/%s (avg)", cur, qty(field(target, "averageValue"), tb, sizeof tb));
    } else {
        const char *cur = st ? qty(field(current, "value"), cb, sizeof cb) : "<unknown>";
        strbuf_printf(sb, "%s/%s", cur, qty(field(target, "value"), tb, sizeof tb));
    }
}

/* Resource and ContainerResource sources: "name: current/target", utilization in percent. */
static void put_resource_metric(struct strbuf *sb, const cJSON *src, const cJSON *st)
{
    const cJSON *target = field(src, "target");
    const cJSON *current = field(st, "current");
    const char *name = json_strz(src, "name");
    char cb[64], tb[64];
    if (field(target, "averageValue")) {
        const char *cur = st ? qty(field(current, "averageValue"), cb, sizeof cb) : "<unknown>";
        strbuf_printf(sb, "%s: %s/%s", name, cur,
                      qty(field(target, "averageValue"), tb, sizeof tb));
        return;
    }
    const char *cur = "<unknown>", *tgt = "<auto>";
    if (st && cJSON_IsNumber(field(current, "averageUtilization"))) {
        snprintf(cb, sizeof cb, "%lld%%", (long long)json_int(current, "averageUtilization", 0));
        cur = cb;
    }
    if (cJSON_IsNumber(field(target, "averageUtilization"))) {
        snprintf(tb, sizeof tb, "%lld%%", (long long)json_int(target, "averageUtilization", 0));
        tgt = tb;
    }
    strbuf_printf(sb, "%s: %s/%s", name, cur, tgt);
}

/* kubectl's formatHPAMetrics: spec metric i pairs with status metric i. */
static void put_targets(struct obj_builder *b, const cJSON *specs, const cJSON *statuses)
{
    int count = json_len(specs);
    if (count == 0) {
        obj_builder_add(b, "<none>");
        return;
    }
    struct strbuf sb = {0};
    for (int i = 0; i < count && i < MAX_SHOWN; i++) {
        const cJSON *spec = cJSON_GetArrayItem(specs, i);
        const cJSON *st = cJSON_GetArrayItem(statuses, i); /* NULL past the end */
        const char *type = json_strz(spec, "type");
        if (i)
            strbuf_puts(&sb, ", ");
        if (strcmp(type, "External") == 0) {
            put_value_metric(&sb, field(spec, "external"), field(st, "external"));
        } else if (strcmp(type, "Object") == 0) {
            put_value_metric(&sb, field(spec, "object"), field(st, "object"));
        } else if (strcmp(type, "Pods") == 0) {
            const cJSON *pods = field(st, "pods");
            char cb[64], tb[64];
            const char *cur =
                pods ? qty(field(field(pods, "current"), "averageValue"), cb, sizeof cb)
                     : "<unknown>";
            strbuf_printf(
                &sb, "%s/%s", cur,
                qty(field(field(field(spec, "pods"), "target"), "averageValue"), tb, sizeof tb));
        } else if (strcmp(type, "Resource") == 0) {
            put_resource_metric(&sb, field(spec, "resource"), field(st, "resource"));
        } else if (strcmp(type, "ContainerResource") == 0) {
            put_resource_metric(&sb, field(spec, "containerResource"),
                                field(st, "containerResource"));
        } else {
            strbuf_puts(&sb, "<unknown type>");
        }
    }
    if (count > MAX_SHOWN)
        strbuf_printf(&sb, " + %d more...", count - MAX_SHOWN);
    obj_builder_add(b, strbuf_str(&sb));
    strbuf_free(&sb);
}

static void hpa_project(const cJSON *hpa, struct obj_builder *b)
{
    const cJSON *spec = json_get(hpa, "spec"), *status = json_get(hpa, "status");
    const cJSON *ref = json_get(spec, "scaleTargetRef");
    obj_builder_addf(b, "%s/%s", json_strz(ref, "kind"), json_strz(ref, "name"));
    put_targets(b, json_get(spec, "metrics"), json_get(status, "currentMetrics"));
    /* The apiserver defaults minReplicas to 1; kubectl's printer says <unset> without it. */
    kind_put_int(b, spec, "minReplicas", "<unset>");
    int64_t max = json_int(spec, "maxReplicas", 0),
            current = json_int(status, "currentReplicas", 0);
    obj_builder_addf(b, "%lld", (long long)max);
    obj_builder_addf(b, "%lld", (long long)current);
    if (kind_deleting(hpa))
        b->state = OBJ_STATE_TERMINATING;
    else if (kind_condition_is(status, "AbleToScale", "False") ||
             kind_condition_is(status, "ScalingActive", "False") || (max > 0 && current >= max))
        b->state = OBJ_STATE_ERROR;
}

static const struct kind_column hpa_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"REFERENCE", 0, HPA_REFERENCE, NULL, SORT_NATURAL, NULL},
    {"TARGETS", 0, HPA_TARGETS, NULL, SORT_NATURAL, NULL},
    {"MINPODS", 0, HPA_MINPODS, NULL, SORT_NUMBER, NULL},
    {"MAXPODS", 0, HPA_MAXPODS, NULL, SORT_NUMBER, NULL},
    {"REPLICAS", 0, HPA_REPLICAS, NULL, SORT_NUMBER, NULL},
    COLUMN_AGE,
};

static const char *const hpa_aliases[] = {"hpa", NULL};

const struct kind kind_horizontalpodautoscalers = {
    .group = "autoscaling",
    .version = "v2",
    .resource = "horizontalpodautoscalers",
    .singular = "horizontalpodautoscaler",
    .kind = "HorizontalPodAutoscaler",
    .namespaced = true,
    .aliases = hpa_aliases,
    .columns = hpa_columns,
    .ncolumns = sizeof hpa_columns / sizeof hpa_columns[0],
    .project = hpa_project,
    .selector = -1,
    .caps = 0,
};
