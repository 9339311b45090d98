/* podstatus — port of the pod printer's status walk, written from the algorithm in
 * shared/docs/k8s-api.md §11.2. */
#include "model/podstatus.h"
#include "util/json.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static bool is_sidecar(const cJSON *spec_inits, const char *name)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, spec_inits)
    {
        const char *n = json_str(c, "name");
        if (n && name && strcmp(n, name) == 0)
            return strcmp(json_strz(c, "restartPolicy"), "Always") == 0;
    }
    return false;
}

static bool has_condition(const cJSON *conds, const char *type)
{
    const cJSON *c;
    cJSON_ArrayForEach(c, conds)
    {
        if (strcmp(json_strz(c, "type"), type) == 0 && strcmp(json_strz(c, "status"), "True") == 0)
            return true;
    }
    return false;
}

static int64_t finished_at(const cJSON *cs)
{
    return json_time(json_path(cs, "lastState", "terminated", NULL), "finishedAt");
}

static void set_reason(struct podstatus *o, const char *prefix, const char *s)
{
    snprintf(o->reason, sizeof o->reason, "%s%s", prefix, s);
}

static void set_code(struct podstatus *o, const char *prefix, long long n)
{
    snprintf(o->reason, sizeof o->reason, "%s%lld", prefix, n);
}

void podstatus_compute(const cJSON *pod, struct podstatus *o)
{
    const cJSON *spec = json_get(pod, "spec");
    const cJSON *status = json_get(pod, "status");
    const cJSON *conds = json_get(status, "conditions");
    const cJSON *spec_inits = json_get(spec, "initContainers");
    memset(o, 0, sizeof *o);

    const char *phase = json_strz(status, "phase");
    const char *preason = json_strz(status, "reason");
    snprintf(o->reason, sizeof o->reason, "%s", preason[0] ? preason : phase);
    const cJSON *c;
    cJSON_ArrayForEach(c, conds)
    {
        if (strcmp(json_strz(c, "type"), "PodScheduled") == 0 &&
            strcmp(json_strz(c, "reason"), "SchedulingGated") == 0)
            snprintf(o->reason, sizeof o->reason, "SchedulingGated");
    }

    o->total = json_len(json_get(spec, "containers"));
    cJSON_ArrayForEach(c, spec_inits)
    {
        if (strcmp(json_strz(c, "restartPolicy"), "Always") == 0)
            o->total++;
    }

    int64_t restarts = 0, sidecar_restarts = 0;
    int64_t last = 0, sidecar_last = 0;
    bool initializing = false;
    int ninit = json_len(spec_inits);
    int i = 0;
    cJSON_ArrayForEach(c, json_get(status, "initContainerStatuses"))
    {
        const char *name = json_str(c, "name");
        bool sidecar = is_sidecar(spec_inits, name);
        int64_t rc = json_int(c, "restartCount", 0);
        int64_t fin = finished_at(c);
        restarts += rc;
        if (fin > last)
            last = fin;
        if (sidecar) {
            sidecar_restarts += rc;
            if (fin > sidecar_last)
                sidecar_last = fin;
        }
        const cJSON *term = json_path(c, "state", "terminated", NULL);
        const cJSON *wait = json_path(c, "state", "waiting", NULL);
        if (term && json_int(term, "exitCode", 0) == 0) {
            i++;
            continue;
        }
        if (sidecar && json_true(c, "started")) {
            if (json_true(c, "ready"))
                o->ready++;
            i++;
            continue;
        }
        if (term) {
            const char *r = json_strz(term, "reason");
            if (!r[0]) {
                int64_t sig = json_int(term, "signal", 0);
                if (sig != 0)
                    set_code(o, "Init:Signal:", (long long)sig);
                else
                    set_code(o, "Init:ExitCode:", (long long)json_int(term, "exitCode", 0));
            } else {
                set_reason(o, "Init:", r);
            }
        } else if (wait && json_strz(wait, "reason")[0] &&
                   strcmp(json_strz(wait, "reason"), "PodInitializing") != 0) {
            set_reason(o, "Init:", json_strz(wait, "reason"));
        } else {
            snprintf(o->reason, sizeof o->reason, "Init:%d/%d", i, ninit);
        }
        initializing = true;
        break;
    }

    if (!initializing || has_condition(conds, "Initialized")) {
        restarts = sidecar_restarts;
        last = sidecar_last;
        bool has_running = false;
        const cJSON *css = json_get(status, "containerStatuses");
        for (int k = json_len(css) - 1; k >= 0; k--) {
            const cJSON *cs = cJSON_GetArrayItem(css, k);
            restarts += json_int(cs, "restartCount", 0);
            int64_t fin = finished_at(cs);
            if (fin > last)
                last = fin;
            const cJSON *wait = json_path(cs, "state", "waiting", NULL);
            const cJSON *term = json_path(cs, "state", "terminated", NULL);
            const cJSON *run = json_path(cs, "state", "running", NULL);
            if (wait && json_strz(wait, "reason")[0]) {
                set_reason(o, "", json_strz(wait, "reason"));
            } else if (term && json_strz(term, "reason")[0]) {
                set_reason(o, "", json_strz(term, "reason"));
            } else if (term) {
                int64_t sig = json_int(term, "signal", 0);
                if (sig != 0)
                    set_code(o, "Signal:", (long long)sig);
                else
                    set_code(o, "ExitCode:", (long long)json_int(term, "exitCode", 0));
            } else if (json_true(cs, "ready") && run) {
                has_running = true;
                o->ready++;
            }
        }
        if (strcmp(o->reason, "Completed") == 0 && has_running)
            snprintf(o->reason, sizeof o->reason, "%s",
                     has_condition(conds, "Ready") ? "Running" : "NotReady");
    }

    const cJSON *meta = json_get(pod, "metadata");
    bool deleting =
        json_get(meta, "deletionTimestamp") && !cJSON_IsNull(json_get(meta, "deletionTimestamp"));
    if (deleting && strcmp(preason, "NodeLost") == 0)
        snprintf(o->reason, sizeof o->reason, "Unknown");
    else if (deleting && strcmp(phase, "Succeeded") != 0 && strcmp(phase, "Failed") != 0)
        snprintf(o->reason, sizeof o->reason, "Terminating");

    o->restarts = restarts;
    o->last_restart = last;
}
