/* op_patch — pinned single patches. */
#include "client/op_patch.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static bool send_patch(struct http *h, const struct target *t, const char *type, cJSON *patch,
                       const char *what, op_done_fn done, void *ud, struct err *e)
{
    struct strbuf path = {0}, msg = {0};
    target_path(t, NULL, &path);
    target_describe(t, &msg);
    strbuf_printf(&msg, " %s", what);
    bool ok =
        op_send_json(h, "PATCH", strbuf_str(&path), type, patch, strbuf_str(&msg), done, ud, e);
    strbuf_free(&path);
    strbuf_free(&msg);
    cJSON_Delete(patch);
    return ok;
}

void op_restart_stamp(int64_t now, char *buf, size_t n)
{
    time_t tt = (time_t)now;
    struct tm tm;
    tzset(); /* localtime_r need not read TZ */
    localtime_r(&tt, &tm);
    char off[8];
    strftime(off, sizeof off, "%z", &tm); /* +0100 */
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    if (strcmp(off, "+0000") == 0 || strcmp(off, "-0000") == 0)
        snprintf(buf, n, "%sZ", stamp);
    else
        snprintf(buf, n, "%s%.3s:%.2s", stamp, off, off + 3);
}

bool op_restart(struct http *h, const struct target *t, int64_t now, op_done_fn done, void *ud,
                struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    char stamp[40];
    op_restart_stamp(now, stamp, sizeof stamp);
    cJSON *p = op_pinned_patch(t);
    cJSON *tmd = cJSON_AddObjectToObject(
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(p, "spec"), "template"), "metadata");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(tmd, "annotations"),
                            "kubectl.kubernetes.io/restartedAt", stamp);
    return send_patch(h, t, OP_STRATEGIC_PATCH, p, "restarted", done, ud, e);
}

bool op_cordon(struct http *h, const struct target *t, bool on, op_done_fn done, void *ud,
               struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    cJSON *p = op_pinned_patch(t);
    cJSON *spec = cJSON_AddObjectToObject(p, "spec");
    if (on)
        cJSON_AddTrueToObject(spec, "unschedulable");
    else
        cJSON_AddNullToObject(spec, "unschedulable");
    return send_patch(h, t, OP_STRATEGIC_PATCH, p, on ? "cordoned" : "uncordoned", done, ud, e);
}

bool op_suspend(struct http *h, const struct target *t, bool on, op_done_fn done, void *ud,
                struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    cJSON *p = op_pinned_patch(t);
    cJSON_AddBoolToObject(cJSON_AddObjectToObject(p, "spec"), "suspend", on);
    return send_patch(h, t, OP_MERGE_PATCH, p, on ? "suspended" : "resumed", done, ud, e);
}
