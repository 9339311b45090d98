/* describer — GET, plan, follow-ups in parallel, render. See describer.h.
 *
 * Must not: block, print, keep a response body past its callback (bodies are parsed into
 * malloc'ed trees), or call back after describer_free. */
#include "client/describer.h"
#include "client/apierror.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIBER_TIMEOUT_MS 30000
#define DESCRIBER_PAGE       "500"

struct describer;

/* One request in flight: the object (idx -1) or a follow-up. */
struct pending {
    struct describer *d;
    int idx;
    struct http_req *req;
};

struct describer {
    struct http *http; /* borrowed */
    const struct describer_hooks *hooks;
    describer_done_fn done;
    void *ud;
    struct describer_target t; /* strings owned */
    cJSON *obj;
    long obj_status;
    char obj_error[ERR_MSG_MAX];
    struct describer_plan plan;
    struct describer_reply replies[DESCRIBER_MAX_REQS];
    struct pending *inflight[DESCRIBER_MAX_REQS + 1]; /* [0] the object, [1+i] follow-up i */
    size_t waiting;
};

void describer_plan_add(struct describer_plan *p, const char *path, const char *label_selector,
                        const char *field_selector, bool list, bool limit)
{
    if (p->n >= DESCRIBER_MAX_REQS)
        return;
    struct describer_req *r = &p->reqs[p->n++];
    r->path = xstrdup(path);
    r->label_selector = label_selector && label_selector[0] ? xstrdup(label_selector) : NULL;
    r->field_selector = field_selector && field_selector[0] ? xstrdup(field_selector) : NULL;
    r->list = list;
    r->limit = limit;
}

void describer_path(const struct describer_target *t, const char *ns, const char *name,
                    struct strbuf *out)
{
    if (t->group[0])
        strbuf_printf(out, "/apis/%s/%s", t->group, t->version);
    else
        strbuf_printf(out, "/api/%s", t->version);
    if (t->namespaced && ns && ns[0])
        strbuf_printf(out, "/namespaces/%s", ns);
    strbuf_printf(out, "/%s", t->resource);
    if (name)
        strbuf_printf(out, "/%s", name);
}

static void finish(struct describer *d)
{
    struct describer_result res = {
        .target = &d->t,
        .obj = d->obj,
        .obj_status = d->obj_status,
        .obj_error = d->obj_error,
        .replies = d->replies,
        .n = d->plan.n,
        .now = clock_wall_s(),
    };
    struct strbuf out = {0};
    struct err e = {0};
    bool ok = d->hooks->render(&res, &out, &e);
    describer_done_fn done = d->done;
    void *ud = d->ud;
    /* The callback may free the describer: nothing of d is touched after it. */
    if (ok)
        done(ud, strbuf_str(&out), out.len, NULL);
    else
        done(ud, NULL, 0, &e);
    strbuf_free(&out);
}

static bool send_req(struct describer *d, int idx, const char *cont, struct err *e);

static void on_reply(void *ud, const struct http_response *r)
{
    struct pending *p = ud;
    struct describer *d = p->d;
    int idx = p->idx;
    d->inflight[idx + 1] = NULL;
    free(p);
    bool ok = r->error == HTTP_OK && r->status >= 200 && r->status < 300;
    cJSON *body = ok ? cJSON_ParseWithLength(r->body, r->body_len) : NULL;
    if (ok && !cJSON_IsObject(body)) {
        cJSON_Delete(body);
        body = NULL;
        ok = false;
    }
    if (idx < 0) {
        d->obj_status = r->status;
        if (ok)
            d->obj = body;
        else if (r->error == HTTP_OK && r->status >= 200 && r->status < 300)
            snprintf(d->obj_error, sizeof d->obj_error, "the server sent an unreadable object");
        else
            apierror_message(r, d->obj_error, sizeof d->obj_error);
        d->waiting--;
        d->hooks->plan(&d->t, d->obj, d->obj_status, &d->plan);
        if (!d->obj && d->plan.n == 0) {
            struct err e = {.code = (int)r->status};
            snprintf(e.msg, sizeof e.msg, "%s", d->obj_error);
            d->done(d->ud, NULL, 0, &e);
            return;
        }
        for (size_t i = 0; i < d->plan.n; i++) {
            struct err se = {0};
            if (send_req(d, (int)i, NULL, &se)) {
                d->waiting++;
            } else {
                snprintf(d->replies[i].error, sizeof d->replies[i].error, "%s", se.msg);
            }
        }
        if (d->waiting == 0)
            finish(d);
        return;
    }
    struct describer_reply *rep = &d->replies[idx];
    const struct describer_req *rq = &d->plan.reqs[idx];
    rep->status = r->status;
    if (!ok) {
        cJSON_Delete(rep->json);
        rep->json = NULL;
        rep->ok = false;
        if (r->error == HTTP_OK && r->status >= 200 && r->status < 300)
            snprintf(rep->error, sizeof rep->error, "the server sent an unreadable reply");
        else
            apierror_message(r, rep->error, sizeof rep->error);
    } else if (!rq->list) {
        rep->json = body;
        rep->ok = true;
    } else {
        if (!rep->json)
            rep->json = cJSON_CreateArray();
        cJSON *items = cJSON_DetachItemFromObjectCaseSensitive(body, "items");
        cJSON *it = items ? items->child : NULL;
        while (it) {
            cJSON *next = it->next;
            cJSON_AddItemToArray(rep->json, cJSON_DetachItemViaPointer(items, it));
            it = next;
        }
        cJSON_Delete(items);
        const char *cont = json_str(json_get(body, "metadata"), "continue");
        if (cont && cont[0]) {
            char *c = xstrdup(cont);
            struct err se = {0};
            bool sent = send_req(d, idx, c, &se);
            free(c);
            cJSON_Delete(body);
            if (sent)
                return; /* still waiting for this one */
            rep->ok = false;
            snprintf(rep->error, sizeof rep->error, "%s", se.msg);
        } else {
            rep->ok = true;
            cJSON_Delete(body);
        }
    }
    if (--d->waiting == 0)
        finish(d);
}

static bool send_req(struct describer *d, int idx, const char *cont, struct err *e)
{
    struct strbuf path = {0};
    if (idx < 0) {
        describer_path(&d->t, d->t.ns, d->t.name, &path);
    } else {
        const struct describer_req *rq = &d->plan.reqs[idx];
        strbuf_puts(&path, rq->path);
        char sep = '?';
        if (rq->label_selector) {
            strbuf_printf(&path, "%clabelSelector=", sep);
            strbuf_put_urlencoded(&path, rq->label_selector);
            sep = '&';
        }
        if (rq->field_selector) {
            strbuf_printf(&path, "%cfieldSelector=", sep);
            strbuf_put_urlencoded(&path, rq->field_selector);
            sep = '&';
        }
        if (rq->list && rq->limit) {
            strbuf_printf(&path, "%climit=%s", sep, DESCRIBER_PAGE);
            sep = '&';
        }
        if (cont) {
            strbuf_printf(&path, "%ccontinue=", sep);
            strbuf_put_urlencoded(&path, cont);
        }
    }
    struct pending *p = xcalloc(1, sizeof *p);
    p->d = d;
    p->idx = idx;
    struct http_req_spec spec = {.path = strbuf_str(&path), .timeout_ms = DESCRIBER_TIMEOUT_MS};
    p->req = http_send(d->http, &spec, NULL, on_reply, p, e);
    strbuf_free(&path);
    if (!p->req) {
        free(p);
        return false;
    }
    d->inflight[idx + 1] = p;
    return true;
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

struct describer *describer_start(struct http *http, const struct describer_target *t,
                                  const struct describer_hooks *hooks, describer_done_fn done,
                                  void *ud, struct err *e)
{
    struct describer *d = xcalloc(1, sizeof *d);
    d->http = http;
    d->hooks = hooks;
    d->done = done;
    d->ud = ud;
    d->t.group = dup_or_empty(t->group);
    d->t.version = dup_or_empty(t->version);
    d->t.resource = dup_or_empty(t->resource);
    d->t.kind = dup_or_empty(t->kind);
    d->t.namespaced = t->namespaced;
    d->t.ns = dup_or_empty(t->namespaced ? t->ns : "");
    d->t.name = dup_or_empty(t->name);
    d->t.strict = t->strict;
    if (!send_req(d, -1, NULL, e)) {
        describer_free(d);
        return NULL;
    }
    d->waiting = 1;
    return d;
}

void describer_free(struct describer *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < DESCRIBER_MAX_REQS + 1; i++) {
        if (d->inflight[i]) {
            http_cancel(d->http, d->inflight[i]->req);
            free(d->inflight[i]);
        }
    }
    for (size_t i = 0; i < d->plan.n; i++) {
        free(d->plan.reqs[i].path);
        free(d->plan.reqs[i].label_selector);
        free(d->plan.reqs[i].field_selector);
        cJSON_Delete(d->replies[i].json);
    }
    cJSON_Delete(d->obj);
    free((char *)(uintptr_t)d->t.group);
    free((char *)(uintptr_t)d->t.version);
    free((char *)(uintptr_t)d->t.resource);
    free((char *)(uintptr_t)d->t.kind);
    free((char *)(uintptr_t)d->t.ns);
    free((char *)(uintptr_t)d->t.name);
    free(d);
}

bool describer_busy(const struct describer *d)
{
    return d && d->waiting > 0;
}
