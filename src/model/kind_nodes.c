/* kind_nodes — nodes: STATUS (`Ready`, `NotReady` or `Unknown`, plus `,SchedulingDisabled`), ROLE
 * from the node-role labels, TAINTS as a count and VERSION as kubectl prints them; k9s's columns,
 * with CPU and memory usage against allocatable when metrics.k8s.io is served (millicores and
 * MiB, as k9s shows them). PODS is left out: a node does not carry its pod count, and timon lists
 * nodes without a second list of pods. */
#include "model/kind.h"
#include "model/metrics.h"
#include "util/json.h"
#include "util/quantity.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    NO_STATUS = OBJ_KIND0,
    NO_ROLE,
    NO_ARCH,
    NO_TAINTS,
    NO_VERSION,
    NO_OS,
    NO_KERNEL,
    NO_INTERNAL_IP,
    NO_EXTERNAL_IP,
};

/* num[] slots: allocatable CPU in millicores and memory in bytes. */
enum { N_CPU_ALLOC, N_MEM_ALLOC };

#define ROLE_PREFIX "node-role.kubernetes.io/"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* kubectl's findNodeRoles: the suffixes of node-role.kubernetes.io/<role> labels and the value
 * of kubernetes.io/role, sorted and unique, or "<none>". */
static void put_roles(struct obj_builder *b, const cJSON *labels)
{
    int n = cJSON_IsObject(labels) ? cJSON_GetArraySize(labels) : 0;
    const char **roles = xcalloc((size_t)(n ? n : 1), sizeof *roles);
    int k = 0;
    const cJSON *l;
    cJSON_ArrayForEach(l, labels)
    {
        if (!l->string || k >= n)
            continue;
        if (strncmp(l->string, ROLE_PREFIX, strlen(ROLE_PREFIX)) == 0) {
            if (l->string[strlen(ROLE_PREFIX)])
                roles[k++] = l->string + strlen(ROLE_PREFIX);
        } else if (strcmp(l->string, "kubernetes.io/role") == 0 && cJSON_IsString(l) &&
                   l->valuestring[0]) {
            roles[k++] = l->valuestring;
        }
    }
    qsort(roles, (size_t)k, sizeof *roles, cmp_str);
    struct strbuf sb = {0};
    for (int i = 0; i < k; i++)
        if (i == 0 || strcmp(roles[i], roles[i - 1]) != 0)
            strbuf_printf(&sb, "%s%s", sb.len ? "," : "", roles[i]);
    obj_builder_add(b, sb.len ? strbuf_str(&sb) : "<none>");
    strbuf_free(&sb);
    free(roles);
}

/* The first address of a type, or "<none>" (kubectl's getNodeInternalIP/ExternalIP). */
static void put_address(struct obj_builder *b, const cJSON *status, const char *type)
{
    const cJSON *a;
    cJSON_ArrayForEach(a, json_get(status, "addresses"))
    {
        if (strcmp(json_strz(a, "type"), type) == 0) {
            obj_builder_add(b, json_strz(a, "address"));
            return;
        }
    }
    obj_builder_add(b, "<none>");
}

static void put_or_unknown(struct obj_builder *b, const char *s)
{
    obj_builder_add(b, s && s[0] ? s : "<unknown>");
}

static void nodes_project(const cJSON *node, struct obj_builder *b)
{
    const cJSON *meta = json_get(node, "metadata");
    const cJSON *spec = json_get(node, "spec"), *status = json_get(node, "status");
    const cJSON *info = json_get(status, "nodeInfo");
    /* STATUS: the last Ready condition decides, as kubectl's condition map does. */
    const char *ready = NULL;
    const cJSON *c;
    cJSON_ArrayForEach(c, json_get(status, "conditions"))
    {
        if (strcmp(json_strz(c, "type"), "Ready") == 0)
            ready = strcmp(json_strz(c, "status"), "True") == 0 ? "Ready" : "NotReady";
    }
    bool cordoned = json_true(spec, "unschedulable");
    obj_builder_addf(b, "%s%s", ready ? ready : "Unknown", cordoned ? ",SchedulingDisabled" : "");
    put_roles(b, json_get(meta, "labels"));
    obj_builder_add(b, json_strz(info, "architecture"));
    obj_builder_addf(b, "%d", json_len(json_get(spec, "taints")));
    obj_builder_add(b, json_strz(info, "kubeletVersion"));
    put_or_unknown(b, json_str(info, "osImage"));
    put_or_unknown(b, json_str(info, "kernelVersion"));
    put_address(b, status, "InternalIP");
    put_address(b, status, "ExternalIP");
    const cJSON *alloc = json_get(status, "allocatable");
    int64_t v;
    if (quantity_milli(json_strz(alloc, "cpu"), &v))
        b->num[N_CPU_ALLOC] = v;
    if (quantity_value(json_strz(alloc, "memory"), &v))
        b->num[N_MEM_ALLOC] = v;
    /* A node that is not Ready cannot run pods; a cordoned one takes no new pods (k9s flags
     * both). */
    if (kind_deleting(node))
        b->state = OBJ_STATE_TERMINATING;
    else if (!ready || strcmp(ready, "Ready") != 0 || cordoned)
        b->state = OBJ_STATE_ERROR;
}

static bool usage(const struct obj *o, const struct cell_ctx *cx, struct metrics_sample *s)
{
    if (metrics_node(cx->metrics, obj_str(o, OBJ_NAME), s))
        return true;
    s->cpu_milli = s->mem_bytes = 0;
    return false;
}

static const char *cell_cpu(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    struct metrics_sample s;
    bool ok = usage(o, cx, &s);
    return metrics_fmt_int(s.cpu_milli, ok, buf);
}

static int64_t key_cpu(const struct obj *o, const struct cell_ctx *cx)
{
    struct metrics_sample s;
    return usage(o, cx, &s) ? s.cpu_milli : -1;
}

static const char *cell_mem(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    struct metrics_sample s;
    bool ok = usage(o, cx, &s);
    return metrics_fmt_int(quantity_mib(s.mem_bytes), ok, buf);
}

static int64_t key_mem(const struct obj *o, const struct cell_ctx *cx)
{
    struct metrics_sample s;
    return usage(o, cx, &s) ? s.mem_bytes : -1;
}

static const char *cell_cpu_pct(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    struct metrics_sample s;
    bool ok = usage(o, cx, &s);
    return metrics_fmt_pct(s.cpu_milli, o->num[N_CPU_ALLOC], ok, buf);
}

static const char *cell_mem_pct(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    struct metrics_sample s;
    bool ok = usage(o, cx, &s);
    return metrics_fmt_pct(s.mem_bytes, o->num[N_MEM_ALLOC], ok, buf);
}

static const char *cell_cpu_alloc(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    return metrics_fmt_int(o->num[N_CPU_ALLOC], true, buf);
}

static int64_t key_cpu_alloc(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->num[N_CPU_ALLOC];
}

static const char *cell_mem_alloc(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    return metrics_fmt_int(quantity_mib(o->num[N_MEM_ALLOC]), true, buf);
}

static int64_t key_mem_alloc(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->num[N_MEM_ALLOC];
}

static const struct kind_column nodes_columns[] = {
    COLUMN_NAME,
    {"STATUS", 0, NO_STATUS, NULL, SORT_NATURAL, NULL},
    {"ROLE", 0, NO_ROLE, NULL, SORT_NATURAL, NULL},
    {"ARCH", COL_WIDE, NO_ARCH, NULL, SORT_NATURAL, NULL},
    {"TAINTS", 0, NO_TAINTS, NULL, SORT_NUMBER, NULL},
    {"VERSION", 0, NO_VERSION, NULL, SORT_NATURAL, NULL},
    {"OS-IMAGE", COL_WIDE, NO_OS, NULL, SORT_NATURAL, NULL},
    {"KERNEL", COL_WIDE, NO_KERNEL, NULL, SORT_NATURAL, NULL},
    {"INTERNAL-IP", COL_WIDE, NO_INTERNAL_IP, NULL, SORT_NATURAL, NULL},
    {"EXTERNAL-IP", COL_WIDE, NO_EXTERNAL_IP, NULL, SORT_NATURAL, NULL},
    {"CPU", COL_METRICS, -1, cell_cpu, SORT_KEY, key_cpu},
    {"CPU/A", COL_METRICS, -1, cell_cpu_alloc, SORT_KEY, key_cpu_alloc},
    {"%CPU", COL_METRICS, -1, cell_cpu_pct, SORT_NUMBER, NULL},
    {"MEM", COL_METRICS, -1, cell_mem, SORT_KEY, key_mem},
    {"MEM/A", COL_METRICS, -1, cell_mem_alloc, SORT_KEY, key_mem_alloc},
    {"%MEM", COL_METRICS, -1, cell_mem_pct, SORT_NUMBER, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const nodes_aliases[] = {"no", NULL};

const struct kind kind_nodes = {
    .group = "",
    .version = "v1",
    .resource = "nodes",
    .singular = "node",
    .kind = "Node",
    .namespaced = false,
    .aliases = nodes_aliases,
    .columns = nodes_columns,
    .ncolumns = sizeof nodes_columns / sizeof nodes_columns[0],
    .project = nodes_project,
    .selector = -1,
    .caps = 0,
};
