/* access — cached SelfSubjectAccessReviews. */
#include "client/access.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct access_answer {
    enum access_state state;
    bool asked;
    char reason[256];
    char key[]; /* the map borrows it */
};

struct review_ctx {
    struct access *a;
    unsigned epoch;
    char *key;
};

static const char *z(const char *s)
{
    return s ? s : "";
}

static void reviewed(void *ud, const struct http_response *r)
{
    struct review_ctx *c = ud;
    struct access *a = c->a;
    a->pending--;
    /* A reply from before a reset (another context) must not land in the new cache. */
    struct access_answer *ans = c->epoch == a->epoch ? map_get(&a->answers, c->key) : NULL;
    if (ans && r->error == HTTP_OK) {
        if (r->status == 201 || r->status == 200) {
            cJSON *rev = cJSON_ParseWithLength(r->body, r->body_len);
            const cJSON *st = json_get(rev, "status");
            if (json_get(st, "allowed")) {
                ans->state = json_true(st, "allowed") ? ACCESS_ALLOWED : ACCESS_DENIED;
                snprintf(ans->reason, sizeof ans->reason, "%s", json_strz(st, "reason"));
            }
            cJSON_Delete(rev);
        } else if (r->status == 404) {
            a->disabled = true; /* no authorization API: the server decides at request time */
        }
        a->generation++;
    }
    free(c->key);
    free(c);
}

enum access_state access_check(struct access *a, struct http *h, const struct access_question *q,
                               const char **reason)
{
    *reason = "";
    if (a->disabled || http_readonly(h))
        return ACCESS_UNKNOWN;
    struct strbuf key = {0};
    strbuf_printf(&key, "%s %s %s %s %s", z(q->verb), z(q->group), z(q->resource),
                  z(q->subresource), z(q->ns));
    struct access_answer *ans = map_get(&a->answers, strbuf_str(&key));
    if (ans) {
        strbuf_free(&key);
        *reason = ans->reason;
        return ans->state;
    }
    ans = xcalloc(1, sizeof *ans + key.len + 1);
    memcpy(ans->key, strbuf_str(&key), key.len + 1);
    map_put(&a->answers, ans->key, ans);
    cJSON *body = cJSON_CreateObject();
    cJSON_AddStringToObject(body, "apiVersion", "authorization.k8s.io/v1");
    cJSON_AddStringToObject(body, "kind", "SelfSubjectAccessReview");
    cJSON *ra =
        cJSON_AddObjectToObject(cJSON_AddObjectToObject(body, "spec"), "resourceAttributes");
    cJSON_AddStringToObject(ra, "verb", z(q->verb));
    cJSON_AddStringToObject(ra, "group", z(q->group));
    cJSON_AddStringToObject(ra, "resource", z(q->resource));
    if (q->subresource && q->subresource[0])
        cJSON_AddStringToObject(ra, "subresource", q->subresource);
    if (q->ns && q->ns[0])
        cJSON_AddStringToObject(ra, "namespace", q->ns);
    char *text = cJSON_PrintUnformatted(body);
    cJSON_Delete(body);
    struct review_ctx *c = xmalloc(sizeof *c);
    c->a = a;
    c->epoch = a->epoch;
    c->key = strbuf_take(&key);
    struct http_req_spec spec = {
        .method = "POST",
        .path = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews",
        .content_type = "application/json",
        .body = text,
        .body_len = strlen(text),
        .timeout_ms = 30000,
    };
    struct err e = {0};
    if (http_send(h, &spec, NULL, reviewed, c, &e)) {
        a->pending++;
    } else {
        free(c->key);
        free(c);
    }
    cJSON_free(text);
    return ACCESS_UNKNOWN;
}

void access_reset(struct access *a)
{
    size_t pos = 0;
    void *v;
    while (map_next(&a->answers, &pos, NULL, &v))
        free(v);
    map_clear(&a->answers);
    a->disabled = false;
    a->generation++;
    a->epoch++;
}

void access_free(struct access *a)
{
    access_reset(a);
    map_free(&a->answers);
}
