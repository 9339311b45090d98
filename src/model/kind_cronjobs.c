/* kind_cronjobs — cronjobs: SCHEDULE, SUSPEND, ACTIVE and LAST SCHEDULE as kubectl prints them
 * (the last schedule is an age, computed at draw time), with the job template's wide SELECTOR,
 * CONTAINERS and IMAGES. Enter leads to jobs, not pods, so there is no pod selector. */
#include "model/kind.h"
#include "util/duration.h"
#include "util/json.h"

#include <stdint.h>

enum { CJ_SCHEDULE = OBJ_KIND0, CJ_SUSPEND, CJ_ACTIVE, CJ_SELECTOR, CJ_CONTAINERS, CJ_IMAGES };

/* num[] slots: status.lastScheduleTime, 0 when it never ran. */
enum { N_LAST_SCHEDULE };

static const char *cell_last_schedule(const struct obj *o, const struct cell_ctx *cx, char *buf)
{
    if (!o->num[N_LAST_SCHEDULE])
        return "<none>";
    return duration_age(cx->now, o->num[N_LAST_SCHEDULE], buf, CELL_MAX);
}

static int64_t key_last_schedule(const struct obj *o, const struct cell_ctx *cx)
{
    (void)cx;
    /* Longer ago sorts as larger, like ages; never scheduled sorts first. */
    return o->num[N_LAST_SCHEDULE] ? -o->num[N_LAST_SCHEDULE] : INT64_MIN;
}

static void cronjobs_project(const cJSON *cj, struct obj_builder *b)
{
    const cJSON *spec = json_get(cj, "spec"), *status = json_get(cj, "status");
    obj_builder_add(b, json_strz(spec, "schedule"));
    /* The server defaults spec.suspend to false, and kubectl prints the defaulted value. */
    obj_builder_add_raw(b, json_true(spec, "suspend") ? "True" : "False");
    obj_builder_addf(b, "%d", json_len(json_get(status, "active")));
    const cJSON *jobspec = json_path(spec, "jobTemplate", "spec", NULL);
    kind_put_selector(b, json_get(jobspec, "selector"));
    const cJSON *podspec = json_path(jobspec, "template", "spec", NULL);
    kind_put_containers(b, podspec, false);
    kind_put_containers(b, podspec, true);
    b->num[N_LAST_SCHEDULE] = json_time(status, "lastScheduleTime");
    if (kind_deleting(cj))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column cronjobs_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"SCHEDULE", 0, CJ_SCHEDULE, NULL, SORT_NATURAL, NULL},
    {"SUSPEND", 0, CJ_SUSPEND, NULL, SORT_NATURAL, NULL},
    {"ACTIVE", 0, CJ_ACTIVE, NULL, SORT_NUMBER, NULL},
    {"LAST SCHEDULE", COL_CLOCK, -1, cell_last_schedule, SORT_KEY, key_last_schedule},
    {"SELECTOR", COL_WIDE, CJ_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"CONTAINERS", COL_WIDE, CJ_CONTAINERS, NULL, SORT_NATURAL, NULL},
    {"IMAGES", COL_WIDE, CJ_IMAGES, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const cronjobs_aliases[] = {"cj", NULL};

const struct kind kind_cronjobs = {
    .group = "batch",
    .version = "v1",
    .resource = "cronjobs",
    .singular = "cronjob",
    .kind = "CronJob",
    .namespaced = true,
    .aliases = cronjobs_aliases,
    .columns = cronjobs_columns,
    .ncolumns = sizeof cronjobs_columns / sizeof cronjobs_columns[0],
    .project = cronjobs_project,
    .selector = -1,
    .caps = 0,
};
