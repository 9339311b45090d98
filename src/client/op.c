/* op — request plumbing shared by every action. */
#include "client/op.h"
#include "client/apierror.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void op_result_from(const struct http_response *resp, struct op_result *r)
{
    memset(r, 0, sizeof *r);
    r->status = resp->status;
    r->ok = resp->error == HTTP_OK && resp->status >= 200 && resp->status < 300;
    if (!r->ok) {
        apierror_message(resp, r->msg, sizeof r->msg);
        apierror_reason(resp, r->reason, sizeof r->reason);
    }
}

void op_fail(op_done_fn done, void *ud, const char *fmt, ...)
{
    struct op_result r = {0};
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r.msg, sizeof r.msg, fmt, ap);
    va_end(ap);
    done(ud, &r);
}

struct raw_ctx {
    op_resp_fn on_resp;
    void *ud;
};

static void raw_done(void *ud, const struct http_response *r)
{
    struct raw_ctx c = *(struct raw_ctx *)ud;
    free(ud);
    c.on_resp(c.ud, r);
}

bool op_request(struct http *h, const char *method, const char *path, const char *content_type,
                const char *body, op_resp_fn on_resp, void *ud, struct err *e)
{
    struct raw_ctx *c = xmalloc(sizeof *c);
    c->on_resp = on_resp;
    c->ud = ud;
    struct http_req_spec spec = {
        .method = method,
        .path = path,
        .content_type = body ? content_type : NULL,
        .body = body,
        .body_len = body ? strlen(body) : 0,
        .timeout_ms = 60000,
    };
    if (!http_send(h, &spec, NULL, raw_done, c, e)) {
        free(c);
        return false;
    }
    return true;
}

struct send_ctx {
    op_done_fn done;
    void *ud;
    char ok_msg[512];
};

static void send_done(void *ud, const struct http_response *resp)
{
    struct send_ctx *c = ud;
    struct op_result r;
    op_result_from(resp, &r);
    if (r.ok)
        snprintf(r.msg, sizeof r.msg, "%s", c->ok_msg);
    op_done_fn done = c->done;
    void *dud = c->ud;
    free(c);
    done(dud, &r);
}

bool op_send(struct http *h, const char *method, const char *path, const char *content_type,
             const char *body, const char *ok_msg, op_done_fn done, void *ud, struct err *e)
{
    struct send_ctx *c = xcalloc(1, sizeof *c);
    c->done = done;
    c->ud = ud;
    snprintf(c->ok_msg, sizeof c->ok_msg, "%s", ok_msg ? ok_msg : "done");
    if (!op_request(h, method, path, content_type, body, send_done, c, e)) {
        free(c);
        return false;
    }
    return true;
}

bool op_send_json(struct http *h, const char *method, const char *path, const char *content_type,
                  const cJSON *body, const char *ok_msg, op_done_fn done, void *ud, struct err *e)
{
    char *text = cJSON_PrintUnformatted(body);
    if (!text)
        return err_set(e, "cannot encode the request");
    bool ok = op_send(h, method, path, content_type, text, ok_msg, done, ud, e);
    cJSON_free(text);
    return ok;
}

cJSON *op_pinned_patch(const struct target *t)
{
    cJSON *p = cJSON_CreateObject();
    cJSON *md = cJSON_AddObjectToObject(p, "metadata");
    cJSON_AddStringToObject(md, "uid", t->uid);
    return p;
}

struct get_ctx {
    op_object_fn fn;
    void *ud;
    char *uid;
};

static void got_object(void *ud, const struct http_response *resp)
{
    struct get_ctx c = *(struct get_ctx *)ud;
    free(ud);
    struct op_result r;
    op_result_from(resp, &r);
    cJSON *obj = r.ok ? cJSON_ParseWithLength(resp->body, resp->body_len) : NULL;
    if (r.ok && !cJSON_IsObject(obj)) {
        r.ok = false;
        snprintf(r.msg, sizeof r.msg, "the server sent an object that is not JSON");
    }
    const char *uid = json_str(json_get(obj, "metadata"), "uid");
    if (r.ok && c.uid[0] && (!uid || strcmp(uid, c.uid) != 0)) {
        r.ok = false;
        snprintf(r.msg, sizeof r.msg, "the object was deleted and recreated since it was selected");
    }
    c.fn(c.ud, r.ok ? obj : NULL, &r);
    cJSON_Delete(obj);
    free(c.uid);
}

bool op_pinned(struct http *h, const struct target *t, struct err *e)
{
    if (!t->client || t->client == http_id(h))
        return true;
    return err_set(e,
                   "%s was chosen in context %s; the context changed since, so nothing was "
                   "sent",
                   t->name, t->context);
}

bool op_get_object(struct http *h, const struct target *t, op_object_fn fn, void *ud, struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    struct get_ctx *c = xmalloc(sizeof *c);
    c->fn = fn;
    c->ud = ud;
    c->uid = xstrdup(t->uid);
    struct strbuf path = {0};
    target_path(t, NULL, &path);
    bool ok = op_request(h, NULL, strbuf_str(&path), NULL, NULL, got_object, c, e);
    strbuf_free(&path);
    if (!ok) {
        free(c->uid);
        free(c);
    }
    return ok;
}
