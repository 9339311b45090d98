/* op_drain — cordon, evict, wait. */
#include "client/op_drain.h"
#include "client/op_patch.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EVICT_RETRY_MS 5000
#define POLL_MS        1000

enum pod_phase { POD_EVICT, POD_EVICTING, POD_RETRY, POD_WAIT, POD_CHECKING, POD_GONE };

struct drain_pod {
    char *ns, *name, *uid;
    enum pod_phase phase;
    int64_t at_ms; /* when to evict again or check again */
    bool pdb;      /* the last eviction was refused by a disruption budget */
};

enum drain_phase { DRAIN_CORDON, DRAIN_LIST, DRAIN_EVICT, DRAIN_DONE };

struct drain {
    struct http *h;
    struct target node;
    struct drain_opts o;
    drain_progress_fn fn;
    void *ud;
    enum drain_phase phase;
    struct drain_pod *pods;
    size_t npods;
    int64_t deadline_ms; /* 0: none */
    int64_t now_ms;
    int inflight;
    bool freed;
    char warn[512];
};

static void report(struct drain *d, bool done, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void report(struct drain *d, bool done, bool ok, const char *fmt, ...)
{
    if (done)
        d->phase = DRAIN_DONE;
    if (d->freed)
        return;
    char line[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    d->fn(d->ud, line, done, ok);
}

static void destroy(struct drain *d)
{
    for (size_t i = 0; i < d->npods; i++) {
        free(d->pods[i].ns);
        free(d->pods[i].name);
        free(d->pods[i].uid);
    }
    free(d->pods);
    target_free(&d->node);
    free(d);
}

/* Every callback starts here: false when the drain was freed meanwhile (then it may go). */
static bool arrive(struct drain *d)
{
    d->inflight--;
    if (d->freed) {
        if (d->inflight == 0)
            destroy(d);
        return false;
    }
    return d->phase != DRAIN_DONE;
}

static bool send(struct drain *d, const char *method, const char *path, const char *body,
                 op_resp_fn fn, void *ud)
{
    struct err e = {0};
    if (!op_request(d->h, method, path, body ? OP_JSON : NULL, body, fn, ud, &e)) {
        report(d, true, false, "drain %s: %s", d->node.name, e.msg);
        return false;
    }
    d->inflight++;
    return true;
}

/* ---- choosing pods ---------------------------------------------------------------------- */

static const cJSON *controller_of(const cJSON *pod)
{
    const cJSON *ref;
    cJSON_ArrayForEach(ref, json_path(pod, "metadata", "ownerReferences", NULL))
    {
        if (json_true(ref, "controller"))
            return ref;
    }
    return NULL;
}

static bool finished(const cJSON *pod)
{
    const char *phase = json_strz(json_get(pod, "status"), "phase");
    return strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0;
}

static bool has_emptydir(const cJSON *pod)
{
    const cJSON *v;
    cJSON_ArrayForEach(v, json_path(pod, "spec", "volumes", NULL))
    {
        if (json_get(v, "emptyDir"))
            return true;
    }
    return false;
}

static void add_name(struct strbuf *sb, const cJSON *pod)
{
    const cJSON *md = json_get(pod, "metadata");
    strbuf_printf(sb, "%s%s/%s", sb->len ? ", " : "", json_strz(md, "namespace"),
                  json_strz(md, "name"));
}

cJSON *drain_select(const cJSON *pods, const struct drain_opts *o, struct strbuf *warn,
                    struct err *e)
{
    struct strbuf ds_err = {0}, local_err = {0}, orphan_err = {0};
    struct strbuf ds_warn = {0}, local_warn = {0}, orphan_warn = {0};
    cJSON *out = cJSON_CreateArray();
    const cJSON *pod;
    cJSON_ArrayForEach(pod, json_get(pods, "items"))
    {
        const cJSON *md = json_get(pod, "metadata");
        if (json_get(json_get(md, "annotations"), "kubernetes.io/config.mirror"))
            continue; /* the kubelet owns it; the API cannot remove it */
        const cJSON *ctrl = controller_of(pod);
        bool done = finished(pod);
        if (ctrl && strcmp(json_strz(ctrl, "kind"), "DaemonSet") == 0 &&
            !json_get(md, "deletionTimestamp")) {
            add_name(o->ignore_daemonsets ? &ds_warn : &ds_err, pod);
            continue;
        }
        if (!done && has_emptydir(pod))
            add_name(o->delete_emptydir ? &local_warn : &local_err, pod);
        if (!done && !ctrl)
            add_name(o->force ? &orphan_warn : &orphan_err, pod);
        cJSON_AddItemToArray(out, cJSON_Duplicate(pod, 1));
    }
    struct strbuf why = {0};
    if (ds_err.len)
        strbuf_printf(&why,
                      "cannot delete DaemonSet-managed Pods (enable \"ignore DaemonSets\"): "
                      "%s",
                      strbuf_str(&ds_err));
    if (local_err.len)
        strbuf_printf(&why,
                      "%scannot delete Pods with local storage (enable \"delete emptyDir "
                      "data\"): %s",
                      why.len ? "; " : "", strbuf_str(&local_err));
    if (orphan_err.len)
        strbuf_printf(&why,
                      "%scannot delete Pods that declare no controller (enable \"force\"): %s",
                      why.len ? "; " : "", strbuf_str(&orphan_err));
    if (ds_warn.len)
        strbuf_printf(warn, "ignoring DaemonSet-managed Pods: %s", strbuf_str(&ds_warn));
    if (local_warn.len)
        strbuf_printf(warn, "%sdeleting Pods with local storage: %s", warn->len ? "; " : "",
                      strbuf_str(&local_warn));
    if (orphan_warn.len)
        strbuf_printf(warn, "%sdeleting Pods that declare no controller: %s", warn->len ? "; " : "",
                      strbuf_str(&orphan_warn));
    if (why.len) {
        err_set(e, "%s", strbuf_str(&why));
        cJSON_Delete(out);
        out = NULL;
    }
    struct strbuf *all[] = {&ds_err,     &local_err,   &orphan_err, &ds_warn,
                            &local_warn, &orphan_warn, &why};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        strbuf_free(all[i]);
    return out;
}

/* ---- evicting and waiting ----------------------------------------------------------------- */

struct pod_req {
    struct drain *d;
    size_t i;
};

static void progress(struct drain *d)
{
    size_t gone = 0, pdb = 0;
    for (size_t i = 0; i < d->npods; i++) {
        gone += d->pods[i].phase == POD_GONE;
        pdb += d->pods[i].phase == POD_RETRY && d->pods[i].pdb;
    }
    if (gone == d->npods) {
        report(d, true, true, "node/%s drained (%zu pod%s evicted)%s%s", d->node.name, gone,
               gone == 1 ? "" : "s", d->warn[0] ? "; " : "", d->warn);
        return;
    }
    report(d, false, true, "draining node/%s: %zu of %zu pods gone%s", d->node.name, gone, d->npods,
           pdb ? ", waiting for a PodDisruptionBudget" : "");
}

static void pod_path(const struct drain_pod *p, const char *sub, struct strbuf *out)
{
    strbuf_puts(out, "/api/v1/namespaces/");
    strbuf_put_urlencoded(out, p->ns);
    strbuf_puts(out, "/pods/");
    strbuf_put_urlencoded(out, p->name);
    if (sub)
        strbuf_printf(out, "/%s", sub);
}

/* A pod request's reply: its pod, or NULL when the drain went meanwhile. */
static struct drain_pod *pod_reply(void *ud, struct drain **dp)
{
    struct pod_req pr = *(struct pod_req *)ud;
    free(ud);
    *dp = pr.d;
    return arrive(pr.d) ? &pr.d->pods[pr.i] : NULL;
}

static void checked(void *ud, const struct http_response *resp)
{
    struct drain *d;
    struct drain_pod *p = pod_reply(ud, &d);
    if (!p)
        return;
    bool gone = resp->error == HTTP_OK && resp->status == 404;
    if (resp->error == HTTP_OK && resp->status == 200) {
        cJSON *pod = cJSON_ParseWithLength(resp->body, resp->body_len);
        gone = strcmp(json_strz(json_get(pod, "metadata"), "uid"), p->uid) != 0;
        cJSON_Delete(pod);
    }
    p->phase = gone ? POD_GONE : POD_WAIT;
    p->at_ms = d->now_ms + POLL_MS;
    progress(d);
}

static void evicted(void *ud, const struct http_response *resp)
{
    struct drain *d;
    struct drain_pod *p = pod_reply(ud, &d);
    if (!p)
        return;
    struct op_result r;
    op_result_from(resp, &r);
    if (r.ok) {
        p->phase = POD_WAIT;
        p->at_ms = d->now_ms + POLL_MS;
    } else if (r.status == 404) {
        p->phase = POD_GONE;
    } else if (r.status == 429) {
        p->phase = POD_RETRY;
        p->pdb = true;
        p->at_ms = d->now_ms + EVICT_RETRY_MS;
    } else {
        report(d, true, false, "drain node/%s: evicting %s/%s: %s", d->node.name, p->ns, p->name,
               r.msg);
        return;
    }
    progress(d);
}

static void evict(struct drain *d, size_t i)
{
    struct drain_pod *p = &d->pods[i];
    cJSON *ev = cJSON_CreateObject();
    cJSON_AddStringToObject(ev, "apiVersion", "policy/v1");
    cJSON_AddStringToObject(ev, "kind", "Eviction");
    cJSON *md = cJSON_AddObjectToObject(ev, "metadata");
    cJSON_AddStringToObject(md, "name", p->name);
    cJSON_AddStringToObject(md, "namespace", p->ns);
    cJSON *opts = cJSON_AddObjectToObject(ev, "deleteOptions");
    if (d->o.grace >= 0)
        cJSON_AddNumberToObject(opts, "gracePeriodSeconds", (double)d->o.grace);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(opts, "preconditions"), "uid", p->uid);
    char *body = cJSON_PrintUnformatted(ev);
    cJSON_Delete(ev);
    struct strbuf path = {0};
    pod_path(p, "eviction", &path);
    struct pod_req *pr = xmalloc(sizeof *pr);
    *pr = (struct pod_req){d, i};
    p->phase = POD_EVICTING;
    if (!send(d, "POST", strbuf_str(&path), body, evicted, pr))
        free(pr);
    strbuf_free(&path);
    cJSON_free(body);
}

static void check(struct drain *d, size_t i)
{
    struct strbuf path = {0};
    pod_path(&d->pods[i], NULL, &path);
    struct pod_req *pr = xmalloc(sizeof *pr);
    *pr = (struct pod_req){d, i};
    d->pods[i].phase = POD_CHECKING;
    if (!send(d, NULL, strbuf_str(&path), NULL, checked, pr))
        free(pr);
    strbuf_free(&path);
}

void drain_tick(struct drain *d, int64_t now_ms)
{
    d->now_ms = now_ms;
    if (d->phase != DRAIN_EVICT)
        return;
    if (d->deadline_ms && now_ms >= d->deadline_ms) {
        size_t left = 0;
        for (size_t i = 0; i < d->npods; i++)
            left += d->pods[i].phase != POD_GONE;
        report(d, true, false, "drain node/%s timed out with %zu pod%s left", d->node.name, left,
               left == 1 ? "" : "s");
        return;
    }
    for (size_t i = 0; i < d->npods && d->phase == DRAIN_EVICT; i++) {
        struct drain_pod *p = &d->pods[i];
        if (p->phase == POD_EVICT || (p->phase == POD_RETRY && now_ms >= p->at_ms))
            evict(d, i);
        else if (p->phase == POD_WAIT && now_ms >= p->at_ms)
            check(d, i);
    }
}

int drain_timeout_ms(const struct drain *d, int64_t now_ms)
{
    if (d->phase != DRAIN_EVICT)
        return -1;
    bool any = d->deadline_ms != 0;
    int64_t best = d->deadline_ms;
    for (size_t i = 0; i < d->npods; i++) {
        const struct drain_pod *p = &d->pods[i];
        int64_t at;
        if (p->phase == POD_EVICT)
            at = now_ms;
        else if (p->phase == POD_RETRY || p->phase == POD_WAIT)
            at = p->at_ms;
        else
            continue;
        if (!any || at < best)
            best = at;
        any = true;
    }
    if (!any)
        return -1;
    int64_t left = best - now_ms;
    return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

/* ---- starting ----------------------------------------------------------------------------- */

static void listed(void *ud, const struct http_response *resp)
{
    struct drain *d = ud;
    if (!arrive(d))
        return;
    struct op_result r;
    op_result_from(resp, &r);
    if (!r.ok) {
        report(d, true, false, "drain node/%s: listing its pods: %s", d->node.name, r.msg);
        return;
    }
    cJSON *list = cJSON_ParseWithLength(resp->body, resp->body_len);
    struct strbuf warn = {0};
    struct err e = {0};
    cJSON *pods = drain_select(list, &d->o, &warn, &e);
    cJSON_Delete(list);
    snprintf(d->warn, sizeof d->warn, "%s", strbuf_str(&warn));
    strbuf_free(&warn);
    if (!pods) {
        report(d, true, false, "drain node/%s (cordoned): %s", d->node.name, e.msg);
        return;
    }
    d->npods = (size_t)cJSON_GetArraySize(pods);
    d->pods = xcalloc(d->npods + 1, sizeof *d->pods);
    size_t i = 0;
    const cJSON *pod;
    cJSON_ArrayForEach(pod, pods)
    {
        const cJSON *md = json_get(pod, "metadata");
        d->pods[i].ns = xstrdup(json_strz(md, "namespace"));
        d->pods[i].name = xstrdup(json_strz(md, "name"));
        d->pods[i].uid = xstrdup(json_strz(md, "uid"));
        d->pods[i].phase = POD_EVICT;
        i++;
    }
    cJSON_Delete(pods);
    d->phase = DRAIN_EVICT;
    progress(d);
    drain_tick(d, d->now_ms);
}

static void cordoned(void *ud, const struct op_result *r)
{
    struct drain *d = ud;
    if (!arrive(d))
        return;
    if (!r->ok) {
        report(d, true, false, "drain node/%s: cordon: %s", d->node.name, r->msg);
        return;
    }
    d->phase = DRAIN_LIST;
    report(d, false, true, "node/%s cordoned; listing its pods", d->node.name);
    struct strbuf path = {0};
    strbuf_puts(&path, "/api/v1/pods?fieldSelector=");
    struct strbuf fs = {0};
    strbuf_printf(&fs, "spec.nodeName=%s", d->node.name);
    strbuf_put_urlencoded(&path, strbuf_str(&fs));
    send(d, NULL, strbuf_str(&path), NULL, listed, d);
    strbuf_free(&fs);
    strbuf_free(&path);
}

struct drain *drain_start(struct http *h, const struct target *node, const struct drain_opts *o,
                          int64_t now_ms, drain_progress_fn fn, void *ud, struct err *e)
{
    if (!op_pinned(h, node, e))
        return NULL;
    struct drain *d = xcalloc(1, sizeof *d);
    d->h = h;
    target_copy(&d->node, node);
    d->o = *o;
    d->fn = fn;
    d->ud = ud;
    d->now_ms = now_ms;
    d->deadline_ms = o->timeout_s > 0 ? now_ms + o->timeout_s * 1000 : 0;
    if (!op_cordon(h, &d->node, true, cordoned, d, e)) {
        destroy(d);
        return NULL;
    }
    d->inflight = 1;
    return d;
}

bool drain_finished(const struct drain *d)
{
    return d->phase == DRAIN_DONE;
}

void drain_free(struct drain *d)
{
    if (!d)
        return;
    d->freed = true;
    if (d->inflight == 0)
        destroy(d);
}
