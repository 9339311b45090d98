/* kind_pods — pods: READY, STATUS and RESTARTS exactly as kubectl prints them; metrics, requests
 * and limits as k9s shows them; IP and NODE. */
#include "model/kind.h"
#include "model/metrics.h"
#include "model/podstatus.h"
#include "util/duration.h"
#include "util/fmtint.h"
#include "util/json.h"
#include "util/quantity.h"

#include <stdio.h>
#include <string.h>

enum {
    POD_READY = OBJ_KIND0,
    POD_STATUS,
    POD_IP,
    POD_NODE,
    POD_NOMINATED,
    POD_GATES,
    POD_SA,
    POD_QOS,
};

/* num[] slots */
enum { N_RESTARTS, N_LAST_RESTART, N_CPU_REQ, N_CPU_LIM, N_MEM_REQ, N_MEM_LIM };

static const char *cell_restarts(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    if (o->num[N_RESTARTS] != 0 && o->num[N_LAST_RESTART] != 0) {
        char d[DURATION_MAX_LEN];
        snprintf(buf, CELL_MAX, "%lld (%s ago)", (long long)o->num[N_RESTARTS],
                 duration_human(cx->now - o->num[N_LAST_RESTART], d, sizeof d));
    } else {
        fmtint(buf, o->num[N_RESTARTS]); /* most pods: no printf for them */
    }
    return buf;
}

static int64_t key_restarts(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->num[N_RESTARTS];
}

static const char *cell_last_restart(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    if (!o->num[N_LAST_RESTART])
        return "";
    return duration_human(cx->now - o->num[N_LAST_RESTART], buf, CELL_MAX);
}

static int64_t key_last_restart(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->num[N_LAST_RESTART] ? -o->num[N_LAST_RESTART] : INT64_MIN;
}

static bool usage(const struct obj *o, const struct cell_ctx *cx, struct metrics_sample *s)
{
    struct cell_memo *m = cx->memo;
    uint64_t gen = cx->metrics ? cx->metrics->generation : 0;
    if (m && m->o == o && m->generation == gen) {
        *s = m->s;
        return m->ok;
    }
    bool ok = metrics_pod(cx->metrics, obj_str(o, OBJ_NAMESPACE), obj_str(o, OBJ_NAME), s);
    if (m)
        *m = (struct cell_memo){.o = o, .generation = gen, .ok = ok, .s = ok ? *s : m->s};
    return ok;
}

static const char *cell_cpu(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    struct metrics_sample s;
    bool ok = usage(o, cx, &s);
    return metrics_fmt_int(ok ? s.cpu_milli : 0, ok, buf);
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
    return metrics_fmt_int(ok ? quantity_mib(s.mem_bytes) : 0, ok, buf);
}

static int64_t key_mem(const struct obj *o, const struct cell_ctx *cx)
{
    struct metrics_sample s;
    return usage(o, cx, &s) ? s.mem_bytes : -1;
}

static const char *pct(const struct obj *o, const struct cell_ctx *cx, char *buf, bool cpu,
                       int slot)
{
    struct metrics_sample s;
    bool ok = usage(o, cx, &s);
    return metrics_fmt_pct(cpu ? s.cpu_milli : s.mem_bytes, o->num[slot], ok, buf);
}

static const char *cell_cpu_r(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return pct(o, cx, buf, true, N_CPU_REQ);
}

static const char *cell_cpu_l(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return pct(o, cx, buf, true, N_CPU_LIM);
}

static const char *cell_mem_r(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return pct(o, cx, buf, false, N_MEM_REQ);
}

static const char *cell_mem_l(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return pct(o, cx, buf, false, N_MEM_LIM);
}

static const char *cell_cpu_rl(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    snprintf(buf, CELL_MAX, "%lld:%lld", (long long)o->num[N_CPU_REQ],
             (long long)o->num[N_CPU_LIM]);
    return buf;
}

static const char *cell_mem_rl(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    snprintf(buf, CELL_MAX, "%lld:%lld", (long long)quantity_mib(o->num[N_MEM_REQ]),
             (long long)quantity_mib(o->num[N_MEM_LIM]));
    return buf;
}

static enum obj_state pod_state(const struct podstatus *ps)
{
    const char *r = ps->reason;
    if (strcmp(r, "Terminating") == 0)
        return OBJ_STATE_TERMINATING;
    if (strcmp(r, "Completed") == 0 || strcmp(r, "Succeeded") == 0)
        return OBJ_STATE_COMPLETED;
    if (strcmp(r, "Pending") == 0 || strcmp(r, "ContainerCreating") == 0 ||
        strcmp(r, "PodInitializing") == 0 || strcmp(r, "SchedulingGated") == 0 ||
        (strncmp(r, "Init:", 5) == 0 && r[5] >= '0' && r[5] <= '9'))
        return OBJ_STATE_PENDING;
    if (strcmp(r, "Running") == 0)
        return ps->ready == ps->total ? OBJ_STATE_OK : OBJ_STATE_ERROR;
    return OBJ_STATE_ERROR;
}

/* Sums of the containers' requests and limits (CPU in millicores, memory in bytes). */
static void resources(const cJSON *spec, struct obj_builder *b)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, json_get(spec, "containers"))
    {
        const cJSON *res = json_get(c, "resources");
        const cJSON *req = json_get(res, "requests"), *lim = json_get(res, "limits");
        int64_t v;
        if (quantity_milli(json_strz(req, "cpu"), &v))
            b->num[N_CPU_REQ] += v;
        if (quantity_milli(json_strz(lim, "cpu"), &v))
            b->num[N_CPU_LIM] += v;
        if (quantity_value(json_strz(req, "memory"), &v))
            b->num[N_MEM_REQ] += v;
        if (quantity_value(json_strz(lim, "memory"), &v))
            b->num[N_MEM_LIM] += v;
    }
}

static void pods_project(const cJSON *pod, struct obj_builder *b)
{
    struct podstatus ps;
    podstatus_compute(pod, &ps);
    const cJSON *spec = json_get(pod, "spec");
    const cJSON *status = json_get(pod, "status");
    obj_builder_addf(b, "%d/%d", ps.ready, ps.total);
    obj_builder_add(b, ps.reason);
    const char *ip = json_str(cJSON_GetArrayItem(json_get(status, "podIPs"), 0), "ip");
    obj_builder_add(b, ip && ip[0] ? ip : "<none>");
    const char *node = json_str(spec, "nodeName");
    obj_builder_add(b, node && node[0] ? node : "<none>");
    const char *nominated = json_str(status, "nominatedNodeName");
    obj_builder_add(b, nominated && nominated[0] ? nominated : "<none>");
    /* READINESS GATES: "<none>", or how many of the gates' conditions are True. */
    const cJSON *gates = json_get(spec, "readinessGates");
    if (json_len(gates) == 0) {
        obj_builder_add(b, "<none>");
    } else {
        int ok = 0;
        const cJSON *g, *c;
        cJSON_ArrayForEach(g, gates)
        {
            cJSON_ArrayForEach(c, json_get(status, "conditions"))
            {
                if (strcmp(json_strz(c, "type"), json_strz(g, "conditionType")) == 0 &&
                    strcmp(json_strz(c, "status"), "True") == 0)
                    ok++;
            }
        }
        obj_builder_addf(b, "%d/%d", ok, json_len(gates));
    }
    obj_builder_add(b, json_strz(spec, "serviceAccountName"));
    const char *qos = json_strz(status, "qosClass");
    obj_builder_add(b, strcmp(qos, "BestEffort") == 0   ? "BE"
                       : strcmp(qos, "Burstable") == 0  ? "BU"
                       : strcmp(qos, "Guaranteed") == 0 ? "GA"
                                                        : qos);
    b->num[N_RESTARTS] = ps.restarts;
    b->num[N_LAST_RESTART] = ps.last_restart;
    resources(spec, b);
    b->state = (uint8_t)pod_state(&ps);
}

static const struct kind_column pods_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"READY", 0, POD_READY, NULL, SORT_FRACTION, NULL},
    {"STATUS", 0, POD_STATUS, NULL, SORT_NATURAL, NULL},
    {"RESTARTS", COL_CLOCK | COL_DURATION, -1, cell_restarts, SORT_KEY, key_restarts},
    {"LAST RESTART", COL_WIDE | COL_CLOCK | COL_DURATION, -1, cell_last_restart, SORT_KEY,
     key_last_restart},
    {"CPU", COL_METRICS, -1, cell_cpu, SORT_KEY, key_cpu},
    {"MEM", COL_METRICS, -1, cell_mem, SORT_KEY, key_mem},
    {"%CPU/R", COL_METRICS, -1, cell_cpu_r, SORT_NUMBER, NULL},
    {"%CPU/L", COL_METRICS, -1, cell_cpu_l, SORT_NUMBER, NULL},
    {"%MEM/R", COL_METRICS, -1, cell_mem_r, SORT_NUMBER, NULL},
    {"%MEM/L", COL_METRICS, -1, cell_mem_l, SORT_NUMBER, NULL},
    {"CPU/RL", COL_WIDE, -1, cell_cpu_rl, SORT_NATURAL, NULL},
    {"MEM/RL", COL_WIDE, -1, cell_mem_rl, SORT_NATURAL, NULL},
    {"IP", 0, POD_IP, NULL, SORT_NATURAL, NULL},
    {"NODE", 0, POD_NODE, NULL, SORT_NATURAL, NULL},
    {"NOMINATED NODE", COL_WIDE, POD_NOMINATED, NULL, SORT_NATURAL, NULL},
    {"READINESS GATES", COL_WIDE, POD_GATES, NULL, SORT_NATURAL, NULL},
    {"SERVICE ACCOUNT", COL_WIDE, POD_SA, NULL, SORT_NATURAL, NULL},
    {"QOS", COL_WIDE, POD_QOS, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const pods_aliases[] = {"po", NULL};

const struct kind kind_pods = {
    .group = "",
    .version = "v1",
    .resource = "pods",
    .singular = "pod",
    .kind = "Pod",
    .namespaced = true,
    .aliases = pods_aliases,
    .columns = pods_columns,
    .ncolumns = sizeof pods_columns / sizeof pods_columns[0],
    .project = pods_project,
    .selector = -1,
    .caps = KIND_LOGS,
};
