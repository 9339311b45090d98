/* kind_containers — a pod's containers (init, regular, ephemeral) as rows, as k9s shows them
 * when you open a pod: index, image, readiness, state, restarts, probes, requests/limits, ports.
 * Rows are keyed "<pod uid>/<container>", so a container appearing or going is a row change. */
#include "model/kind.h"
#include "model/store.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/quantity.h"
#include "util/strbuf.h"

#include <stdio.h>
#include <string.h>

enum { C_IDX = OBJ_KIND0, C_IMAGE, C_READY, C_STATE, C_PROBES, C_PORTS, C_KIND };
enum { N_RESTARTS, N_CPU_REQ, N_CPU_LIM, N_MEM_REQ, N_MEM_LIM, N_STARTED };

static const char *cell_restarts(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    snprintf(buf, CELL_MAX, "%lld", (long long)o->num[N_RESTARTS]);
    return buf;
}

static int64_t key_restarts(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    return o->num[N_RESTARTS];
}

static const char *cell_rl(const struct obj *o, char *buf, int req, int lim, bool mem)
{
    int64_t r = o->num[req], l = o->num[lim];
    if (mem) {
        r = quantity_mib(r);
        l = quantity_mib(l);
    }
    snprintf(buf, CELL_MAX, "%lld:%lld", (long long)r, (long long)l);
    return buf;
}

static const char *cell_cpu_rl(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    return cell_rl(o, buf, N_CPU_REQ, N_CPU_LIM, false);
}

static const char *cell_mem_rl(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    (void)cx;
    return cell_rl(o, buf, N_MEM_REQ, N_MEM_LIM, true);
}

/* AGE of a container: since it started, else the pod's age. */
static const char *cell_started(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    return duration_age(cx->now, o->num[N_STARTED] ? o->num[N_STARTED] : o->created, buf, CELL_MAX);
}

static int64_t key_started(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    int64_t t = o->num[N_STARTED] ? o->num[N_STARTED] : o->created;
    return t ? -t : INT64_MIN;
}

static const struct cJSON *status_of(const cJSON *statuses, const char *name)
{
    const cJSON *s;
    cJSON_ArrayForEach(s, statuses)
    {
        if (strcmp(json_strz(s, "name"), name) == 0)
            return s;
    }
    return NULL;
}

static void put_state(struct obj_builder *b, const cJSON *st, int64_t *started, uint8_t *state)
{
    const cJSON *state_obj = json_get(st, "state");
    const cJSON *run = json_get(state_obj, "running");
    const cJSON *wait = json_get(state_obj, "waiting");
    const cJSON *term = json_get(state_obj, "terminated");
    if (run) {
        obj_builder_add(b, "Running");
        *started = json_time(run, "startedAt");
        *state = json_true(st, "ready") ? OBJ_STATE_OK : OBJ_STATE_PENDING;
    } else if (term) {
        const char *r = json_strz(term, "reason");
        obj_builder_add(b, r[0] ? r : "Terminated");
        *state = json_int(term, "exitCode", 0) == 0 ? OBJ_STATE_COMPLETED : OBJ_STATE_ERROR;
    } else if (wait) {
        const char *r = json_strz(wait, "reason");
        obj_builder_add(b, r[0] ? r : "Waiting");
        *state = strcmp(r, "ContainerCreating") == 0 || strcmp(r, "PodInitializing") == 0
                     ? OBJ_STATE_PENDING
                     : OBJ_STATE_ERROR;
    } else {
        obj_builder_add(b, "Pending");
        *state = OBJ_STATE_PENDING;
    }
}

static void add_container(const cJSON *pod, const cJSON *c, const cJSON *statuses,
                          const char *prefix, int idx, struct store *s, struct obj_builder *b)
{
    const cJSON *meta = json_get(pod, "metadata");
    const char *name = json_strz(c, "name");
    const cJSON *st = status_of(statuses, name);
    obj_builder_reset(b);
    obj_builder_addf(b, "%s/%s", json_strz(meta, "uid"), name);
    obj_builder_add(b, json_strz(meta, "namespace"));
    obj_builder_add(b, name);
    obj_builder_add(b, json_strz(meta, "resourceVersion"));
    obj_builder_add(b, "");
    obj_builder_addf(b, "Pod/%s", json_strz(meta, "name"));
    b->created = json_time(meta, "creationTimestamp");
    obj_builder_addf(b, "%s%d", prefix, idx);
    obj_builder_add(b, json_strz(c, "image"));
    obj_builder_add(b, json_true(st, "ready") ? "true" : "false");
    int64_t started = 0;
    uint8_t state = OBJ_STATE_PENDING;
    put_state(b, st, &started, &state);
    const char *probes[] = {"livenessProbe", "readinessProbe", "startupProbe"};
    obj_builder_addf(b, "%s:%s:%s", json_get(c, probes[0]) ? "on" : "off",
                     json_get(c, probes[1]) ? "on" : "off", json_get(c, probes[2]) ? "on" : "off");
    struct strbuf ports = {0};
    const cJSON *p;
    int i = 0;
    cJSON_ArrayForEach(p, json_get(c, "ports"))
    {
        const char *pn = json_str(p, "name");
        strbuf_printf(&ports, "%s%s%s%lld%s%s", i++ ? "," : "", pn ? pn : "", pn ? ":" : "",
                      (long long)json_int(p, "containerPort", 0),
                      strcmp(json_strz(p, "protocol"), "UDP") == 0 ? "/UDP" : "",
                      strcmp(json_strz(p, "protocol"), "SCTP") == 0 ? "/SCTP" : "");
    }
    obj_builder_add(b, strbuf_str(&ports));
    strbuf_free(&ports);
    obj_builder_add(b, prefix[0] == 'I' ? "init" : prefix[0] == 'E' ? "ephemeral" : "regular");
    b->num[N_RESTARTS] = json_int(st, "restartCount", 0);
    b->num[N_STARTED] = started;
    const cJSON *res = json_get(c, "resources");
    int64_t v;
    if (quantity_milli(json_strz(json_get(res, "requests"), "cpu"), &v))
        b->num[N_CPU_REQ] = v;
    if (quantity_milli(json_strz(json_get(res, "limits"), "cpu"), &v))
        b->num[N_CPU_LIM] = v;
    if (quantity_value(json_strz(json_get(res, "requests"), "memory"), &v))
        b->num[N_MEM_REQ] = v;
    if (quantity_value(json_strz(json_get(res, "limits"), "memory"), &v))
        b->num[N_MEM_LIM] = v;
    b->state = state;
    store_put(s, obj_builder_finish(b));
}

static void containers_project_many(const cJSON *pod, struct store *s, struct obj_builder *b)
{
    const cJSON *spec = json_get(pod, "spec"), *status = json_get(pod, "status");
    store_list_begin(s);
    const cJSON *c;
    int i = 1;
    cJSON_ArrayForEach(c, json_get(spec, "initContainers"))
    {
        add_container(pod, c, json_get(status, "initContainerStatuses"), "I", i++, s, b);
    }
    i = 1;
    cJSON_ArrayForEach(c, json_get(spec, "containers"))
    {
        add_container(pod, c, json_get(status, "containerStatuses"), "M", i++, s, b);
    }
    i = 1;
    cJSON_ArrayForEach(c, json_get(spec, "ephemeralContainers"))
    {
        add_container(pod, c, json_get(status, "ephemeralContainerStatuses"), "E", i++, s, b);
    }
    store_list_end(s);
}

static const struct kind_column containers_columns[] = {
    {"IDX", 0, C_IDX, NULL, SORT_NATURAL, NULL},
    COLUMN_NAME,
    {"IMAGE", 0, C_IMAGE, NULL, SORT_NATURAL, NULL},
    {"READY", 0, C_READY, NULL, SORT_NATURAL, NULL},
    {"STATE", 0, C_STATE, NULL, SORT_NATURAL, NULL},
    {"RESTARTS", 0, -1, cell_restarts, SORT_KEY, key_restarts},
    {"PROBES(L:R:S)", 0, C_PROBES, NULL, SORT_NATURAL, NULL},
    {"CPU/RL", 0, -1, cell_cpu_rl, SORT_NATURAL, NULL},
    {"MEM/RL", 0, -1, cell_mem_rl, SORT_NATURAL, NULL},
    {"PORTS", 0, C_PORTS, NULL, SORT_NATURAL, NULL},
    {"KIND", COL_WIDE, C_KIND, NULL, SORT_NATURAL, NULL},
    {"AGE", COL_CLOCK, -1, cell_started, SORT_KEY, key_started},
};

const struct kind kind_containers = {
    .group = "",
    .version = "v1",
    .resource = "pods",
    .singular = "container",
    .kind = "Container",
    .namespaced = false, /* one pod: no namespace column */
    .aliases = NULL,
    .columns = containers_columns,
    .ncolumns = sizeof containers_columns / sizeof containers_columns[0],
    .project = NULL,
    .selector = -1,
    .caps = KIND_LOGS,
    .default_sort = "IDX",
    .project_many = containers_project_many,
};
