/* op_trigger — a Job from a CronJob. */
#include "client/op_trigger.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#define NAME_MAX_LEN 63

cJSON *op_trigger_job(const cJSON *cronjob, const char *name)
{
    const cJSON *md = json_get(cronjob, "metadata");
    const cJSON *tmpl = json_path(cronjob, "spec", "jobTemplate", NULL);
    cJSON *job = cJSON_CreateObject();
    cJSON_AddStringToObject(job, "apiVersion", "batch/v1");
    cJSON_AddStringToObject(job, "kind", "Job");
    cJSON *jmd = cJSON_AddObjectToObject(job, "metadata");
    cJSON_AddStringToObject(jmd, "name", name);
    cJSON_AddStringToObject(jmd, "namespace", json_strz(md, "namespace"));
    cJSON *ann = cJSON_Duplicate(json_path(tmpl, "metadata", "annotations", NULL), 1);
    if (!cJSON_IsObject(ann)) {
        cJSON_Delete(ann);
        ann = cJSON_CreateObject();
    }
    cJSON_DeleteItemFromObjectCaseSensitive(ann, "cronjob.kubernetes.io/instantiate");
    cJSON_AddStringToObject(ann, "cronjob.kubernetes.io/instantiate", "manual");
    cJSON_AddItemToObject(jmd, "annotations", ann);
    const cJSON *labels = json_path(tmpl, "metadata", "labels", NULL);
    if (cJSON_IsObject(labels))
        cJSON_AddItemToObject(jmd, "labels", cJSON_Duplicate(labels, 1));
    cJSON *ref = cJSON_CreateObject();
    cJSON_AddStringToObject(ref, "apiVersion", "batch/v1");
    cJSON_AddStringToObject(ref, "kind", "CronJob");
    cJSON_AddStringToObject(ref, "name", json_strz(md, "name"));
    cJSON_AddStringToObject(ref, "uid", json_strz(md, "uid"));
    cJSON_AddTrueToObject(ref, "controller");
    cJSON_AddItemToArray(cJSON_AddArrayToObject(jmd, "ownerReferences"), ref);
    const cJSON *spec = json_get(tmpl, "spec");
    cJSON_AddItemToObject(job, "spec",
                          cJSON_IsObject(spec) ? cJSON_Duplicate(spec, 1) : cJSON_CreateObject());
    return job;
}

struct trigger_ctx {
    struct http *h;
    struct target t;
    op_done_fn done;
    void *ud;
};

static void free_ctx(struct trigger_ctx *c)
{
    target_free(&c->t);
    free(c);
}

static void got_cronjob(void *ud, const cJSON *cj, const struct op_result *r)
{
    struct trigger_ctx *c = ud;
    op_done_fn done = c->done;
    void *dud = c->ud;
    if (!r->ok) {
        free_ctx(c);
        done(dud, r);
        return;
    }
    static const char alnum[] = "bcdfghjklmnpqrstvwxz2456789"; /* as the apiserver's names */
    unsigned char rnd[5] = {0};
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd)
        memset(rnd, 7, sizeof rnd);
    char suffix[sizeof rnd + 1];
    for (size_t i = 0; i < sizeof rnd; i++)
        suffix[i] = alnum[rnd[i] % (sizeof alnum - 1)];
    suffix[sizeof rnd] = '\0';
    char name[NAME_MAX_LEN + 1];
    int room = NAME_MAX_LEN - (int)strlen("-manual-") - (int)sizeof rnd;
    snprintf(name, sizeof name, "%.*s-manual-%s", room, c->t.name, suffix);
    cJSON *job = op_trigger_job(cj, name);
    struct strbuf path = {0};
    target_sibling_path(&c->t, "batch", "v1", "jobs", &path);
    char msg[128];
    snprintf(msg, sizeof msg, "job/%s created from cronjob/%s", name, c->t.name);
    struct err e = {0};
    bool ok = op_send_json(c->h, "POST", strbuf_str(&path), OP_JSON, job, msg, done, dud, &e);
    strbuf_free(&path);
    cJSON_Delete(job);
    free_ctx(c);
    if (!ok)
        op_fail(done, dud, "%s", e.msg);
}

bool op_trigger(struct http *h, const struct target *t, op_done_fn done, void *ud, struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    struct trigger_ctx *c = xcalloc(1, sizeof *c);
    c->h = h;
    target_copy(&c->t, t);
    c->done = done;
    c->ud = ud;
    if (!op_get_object(h, &c->t, got_cronjob, c, e)) {
        free_ctx(c);
        return false;
    }
    return true;
}
