/* kind_pods — pods: READY, STATUS and RESTARTS as kubectl prints them, IP and NODE. */
#include "model/kind.h"
#include "model/podstatus.h"
#include "util/duration.h"
#include "util/json.h"

#include <stdio.h>
#include <string.h>

enum { POD_READY = OBJ_KIND0, POD_STATUS, POD_IP, POD_NODE };

static const char *cell_restarts(const struct obj *o, int64_t now, char *buf)
{
    if (o->n1 != 0 && o->t1 != 0) {
        char d[DURATION_MAX_LEN];
        snprintf(buf, CELL_MAX, "%lld (%s ago)", (long long)o->n1,
                 duration_human(now - o->t1, d, sizeof d));
    } else {
        snprintf(buf, CELL_MAX, "%lld", (long long)o->n1);
    }
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

static void pods_project(const cJSON *pod, struct obj_builder *b)
{
    struct podstatus ps;
    podstatus_compute(pod, &ps);
    obj_builder_addf(b, "%d/%d", ps.ready, ps.total);
    obj_builder_add(b, ps.reason);
    const cJSON *status = json_get(pod, "status");
    const char *ip = json_str(cJSON_GetArrayItem(json_get(status, "podIPs"), 0), "ip");
    obj_builder_add(b, ip && ip[0] ? ip : "<none>");
    const char *node = json_str(json_get(pod, "spec"), "nodeName");
    obj_builder_add(b, node && node[0] ? node : "<none>");
    b->n1 = ps.restarts;
    b->t1 = ps.last_restart;
    b->state = (uint8_t)pod_state(&ps);
}

static const struct kind_column pods_columns[] = {
    {"NAMESPACE", COL_ALLNS, OBJ_NAMESPACE, NULL},
    {"NAME", 0, OBJ_NAME, NULL},
    {"READY", 0, POD_READY, NULL},
    {"STATUS", 0, POD_STATUS, NULL},
    {"RESTARTS", COL_CLOCK, -1, cell_restarts},
    {"IP", 0, POD_IP, NULL},
    {"NODE", 0, POD_NODE, NULL},
    {"AGE", COL_CLOCK, -1, cell_age},
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
};
