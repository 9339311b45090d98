/* kind_jobs — jobs: COMPLETIONS and DURATION as kubectl prints them (a running job's duration
 * ticks with the clock, so it is computed at draw time from the start and completion instants),
 * the wide SELECTOR, CONTAINERS and IMAGES, and the pod selector the drill-down follows. */
#include "model/kind.h"
#include "util/duration.h"
#include "util/json.h"

#include <stdint.h>

enum { JOB_COMPLETIONS = OBJ_KIND0, JOB_SELECTOR, JOB_CONTAINERS, JOB_IMAGES };

/* num[] slots: status.startTime and status.completionTime, 0 when absent. */
enum { N_START, N_END };

/* The job's duration in seconds: completion - start, or now - start while it runs. */
static bool job_duration(const struct obj *o, const struct cell_ctx *cx, int64_t *out)
{
    if (!o->num[N_START])
        return false;
    *out = (o->num[N_END] ? o->num[N_END] : cx->now) - o->num[N_START];
    return true;
}

static const char *cell_duration(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    int64_t d;
    if (!job_duration(o, cx, &d))
        return ""; /* not started: kubectl leaves the cell empty */
    return duration_human(d, buf, CELL_MAX);
}

static int64_t key_duration(const struct obj *o, const struct cell_ctx *cx)
{
    int64_t d;
    return job_duration(o, cx, &d) ? d : INT64_MIN;
}

static enum obj_state job_state(const cJSON *job)
{
    const cJSON *status = json_get(job, "status");
    if (kind_deleting(job))
        return OBJ_STATE_TERMINATING;
    if (kind_condition_is(status, "Complete", "True"))
        return OBJ_STATE_COMPLETED;
    if (kind_condition_is(status, "Failed", "True") ||
        kind_condition_is(status, "FailureTarget", "True"))
        return OBJ_STATE_ERROR;
    if (kind_condition_is(status, "Suspended", "True") || !json_str(status, "startTime"))
        return OBJ_STATE_PENDING;
    return OBJ_STATE_OK;
}

static void jobs_project(const cJSON *job, struct obj_builder *b)
{
    const cJSON *spec = json_get(job, "spec"), *status = json_get(job, "status");
    long long succeeded = (long long)json_int(status, "succeeded", 0);
    if (cJSON_IsNumber(json_get(spec, "completions")))
        obj_builder_addf(b, "%lld/%lld", succeeded, (long long)json_int(spec, "completions", 0));
    else if (json_int(spec, "parallelism", 0) > 1) /* a work queue: any one success completes */
        obj_builder_addf(b, "%lld/1 of %lld", succeeded,
                         (long long)json_int(spec, "parallelism", 0));
    else
        obj_builder_addf(b, "%lld/1", succeeded);
    kind_put_selector(b, json_get(spec, "selector"));
    const cJSON *podspec = json_path(spec, "template", "spec", NULL);
    kind_put_containers(b, podspec, false);
    kind_put_containers(b, podspec, true);
    b->num[N_START] = json_time(status, "startTime");
    b->num[N_END] = json_time(status, "completionTime");
    b->state = (uint8_t)job_state(job);
}

static const struct kind_column jobs_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"COMPLETIONS", 0, JOB_COMPLETIONS, NULL, SORT_FRACTION, NULL},
    {"DURATION", COL_CLOCK, -1, cell_duration, SORT_KEY, key_duration},
    {"SELECTOR", COL_WIDE, JOB_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"CONTAINERS", COL_WIDE, JOB_CONTAINERS, NULL, SORT_NATURAL, NULL},
    {"IMAGES", COL_WIDE, JOB_IMAGES, NULL, SORT_NATURAL, NULL},
    COLUMN_AGE,
};

static const char *const jobs_aliases[] = {"jo", NULL};

const struct kind kind_jobs = {
    .group = "batch",
    .version = "v1",
    .resource = "jobs",
    .singular = "job",
    .kind = "Job",
    .namespaced = true,
    .aliases = jobs_aliases,
    .columns = jobs_columns,
    .ncolumns = sizeof jobs_columns / sizeof jobs_columns[0],
    .project = jobs_project,
    .selector = JOB_SELECTOR,
    .caps = KIND_LOGS,
};
