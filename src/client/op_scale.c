/* op_scale — replicas through the /scale subresource, pinned to the object's uid. */
#include "client/op_scale.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CONFLICT_RETRIES 3

struct scale_ctx {
    struct http *h;
    struct target t;
    int replicas;
    int tries;
    op_done_fn done;
    void *ud;
};

static void finish(struct scale_ctx *c, const struct op_result *r)
{
    op_done_fn done = c->done;
    void *ud = c->ud;
    target_free(&c->t);
    free(c);
    done(ud, r);
}

static void fail(struct scale_ctx *c, const char *msg)
{
    struct op_result r = {0};
    snprintf(r.msg, sizeof r.msg, "%s", msg);
    finish(c, &r);
}

static bool read_scale(struct scale_ctx *c, struct err *e);

static void patched(void *ud, const struct http_response *resp)
{
    struct scale_ctx *c = ud;
    struct op_result r;
    op_result_from(resp, &r);
    if (!r.ok && r.status == 409 && ++c->tries < CONFLICT_RETRIES && read_scale(c, NULL))
        return; /* changed between our read and write: read again */
    if (r.ok) {
        struct strbuf sb = {0};
        target_describe(&c->t, &sb);
        snprintf(r.msg, sizeof r.msg, "%s scaled to %d", strbuf_str(&sb), c->replicas);
        strbuf_free(&sb);
    }
    finish(c, &r);
}

static void got_scale(void *ud, const struct http_response *resp)
{
    struct scale_ctx *c = ud;
    struct op_result r;
    op_result_from(resp, &r);
    if (!r.ok) {
        finish(c, &r);
        return;
    }
    cJSON *scale = cJSON_ParseWithLength(resp->body, resp->body_len);
    const cJSON *md = json_get(scale, "metadata");
    const char *uid = json_str(md, "uid");
    const char *rv = json_str(md, "resourceVersion");
    if (!scale || !rv) {
        cJSON_Delete(scale);
        fail(c, "the server's Scale has no resourceVersion");
        return;
    }
    if (uid && strcmp(uid, c->t.uid) != 0) {
        cJSON_Delete(scale);
        fail(c, "not scaled: the object was deleted and recreated since it was selected");
        return;
    }
    /* The resourceVersion pins the write to what we just checked. */
    cJSON *patch = cJSON_CreateObject();
    cJSON_AddStringToObject(cJSON_AddObjectToObject(patch, "metadata"), "resourceVersion", rv);
    cJSON_AddNumberToObject(cJSON_AddObjectToObject(patch, "spec"), "replicas", c->replicas);
    cJSON_Delete(scale);
    char *body = cJSON_PrintUnformatted(patch);
    cJSON_Delete(patch);
    struct strbuf path = {0};
    target_path(&c->t, "scale", &path);
    struct err e = {0};
    bool sent = op_request(c->h, "PATCH", strbuf_str(&path), OP_MERGE_PATCH, body, patched, c, &e);
    strbuf_free(&path);
    cJSON_free(body);
    if (!sent)
        fail(c, e.msg);
}

static bool read_scale(struct scale_ctx *c, struct err *e)
{
    struct strbuf path = {0};
    target_path(&c->t, "scale", &path);
    bool ok = op_request(c->h, NULL, strbuf_str(&path), NULL, NULL, got_scale, c, e);
    strbuf_free(&path);
    return ok;
}

bool op_scale(struct http *h, const struct target *t, int replicas, op_done_fn done, void *ud,
              struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    if (replicas < 0)
        return err_set(e, "replicas must be 0 or more");
    struct scale_ctx *c = xcalloc(1, sizeof *c);
    c->h = h;
    target_copy(&c->t, t);
    c->replicas = replicas;
    c->done = done;
    c->ud = ud;
    bool ok = read_scale(c, e);
    if (!ok) {
        target_free(&c->t);
        free(c);
    }
    return ok;
}
