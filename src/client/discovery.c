/* discovery — aggregated or legacy API discovery, kept current by watching CRDs; see
 * discovery.h.
 *
 * Must not: block, let one failing group version fail the whole load, or load on a timer (only
 * a change to a CustomResourceDefinition, or a relist of them, loads again). */
#include "client/discovery.h"
#include "client/apierror.h"
#include "client/reflector.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DISCOVERY_REFRESH_MS 500 /* a chart applies its CRDs in a burst: load once after it */
#define CRD_PATH             "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"

#define AGGREGATED_ACCEPT                                                                          \
    "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,"                        \
    "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json"

static char **strv_from_json(const cJSON *arr)
{
    int n = json_len(arr);
    char **v = xcalloc((size_t)n + 1, sizeof *v);
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsString(it) && k < n)
            v[k++] = xstrdup(it->valuestring);
    }
    return v;
}

static void strv_free(char **v)
{
    for (char **p = v; p && *p; p++)
        free(*p);
    free(v);
}

static bool strv_has(char *const *v, const char *s)
{
    for (char *const *p = v; p && *p; p++)
        if (strcmp(*p, s) == 0)
            return true;
    return false;
}

static void resource_free(struct api_resource *r)
{
    free(r->group);
    free(r->version);
    free(r->name);
    free(r->singular);
    free(r->kind);
    strv_free(r->short_names);
    strv_free(r->categories);
    strv_free(r->verbs);
    strv_free(r->subresources);
}

void api_resources_clear_all(struct api_resources *v)
{
    for (size_t i = 0; i < v->len; i++)
        resource_free(&v->v[i]);
    api_resources_clear(v);
}

/* The singular name: what the server says, else the lowercased kind (as kubectl falls back). */
static char *singular_of(const char *given, const char *kind)
{
    if (given && given[0])
        return xstrdup(given);
    char *s = xstrdup(kind ? kind : "");
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return s;
}

/* One version of a group in an aggregated document. */
static void parse_version(const char *group, const cJSON *ver, bool preferred,
                          struct api_resources *out)
{
    const cJSON *res;
    cJSON_ArrayForEach(res, json_get(ver, "resources"))
    {
        const cJSON *rk = json_get(res, "responseKind");
        const char *kind = json_str(rk, "kind");
        const char *name = json_str(res, "resource");
        if (!kind || !kind[0] || !name || !name[0])
            continue; /* client-go drops resources without a responseKind */
        struct api_resource *r = api_resources_push(out);
        r->group = xstrdup(group);
        r->version = xstrdup(json_strz(ver, "version"));
        r->name = xstrdup(name);
        r->kind = xstrdup(kind);
        r->singular = singular_of(json_str(res, "singularResource"), kind);
        r->namespaced = strcmp(json_strz(res, "scope"), "Namespaced") == 0;
        r->preferred = preferred;
        r->short_names = strv_from_json(json_get(res, "shortNames"));
        r->categories = strv_from_json(json_get(res, "categories"));
        r->verbs = strv_from_json(json_get(res, "verbs"));
        const cJSON *subs = json_get(res, "subresources");
        r->subresources = xcalloc((size_t)json_len(subs) + 1, sizeof(char *));
        int k = 0;
        const cJSON *sub;
        cJSON_ArrayForEach(sub, subs)
        {
            const char *sn = json_str(sub, "subresource");
            if (sn && json_str(json_get(sub, "responseKind"), "kind"))
                r->subresources[k++] = xstrdup(sn);
        }
    }
}

bool discovery_parse_aggregated(const char *body, size_t len, struct api_resources *out)
{
    cJSON *doc = cJSON_ParseWithLength(body, len);
    const cJSON *items = json_get(doc, "items");
    if (!doc || !cJSON_IsArray(items)) {
        cJSON_Delete(doc);
        return false;
    }
    const cJSON *grp;
    cJSON_ArrayForEach(grp, items)
    {
        const char *group = json_strz(json_get(grp, "metadata"), "name");
        /* Every version that is not stale; the first of them is the preferred one. */
        bool preferred = true;
        const cJSON *ver;
        cJSON_ArrayForEach(ver, json_get(grp, "versions"))
        {
            if (strcmp(json_strz(ver, "freshness"), "Stale") == 0)
                continue;
            parse_version(group, ver, preferred, out);
            preferred = false;
        }
    }
    cJSON_Delete(doc);
    return true;
}

bool discovery_parse_resource_list(const char *body, size_t len, const char *group,
                                   const char *version, struct api_resources *out)
{
    cJSON *doc = cJSON_ParseWithLength(body, len);
    const cJSON *list = json_get(doc, "resources");
    if (!doc || !cJSON_IsArray(list)) {
        cJSON_Delete(doc);
        return false;
    }
    size_t first = out->len;
    const cJSON *res;
    cJSON_ArrayForEach(res, list)
    {
        const char *name = json_str(res, "name");
        if (!name || !name[0] || strchr(name, '/'))
            continue;
        struct api_resource *r = api_resources_push(out);
        r->group = xstrdup(group);
        r->version = xstrdup(version);
        r->name = xstrdup(name);
        r->kind = xstrdup(json_strz(res, "kind"));
        r->singular = singular_of(json_str(res, "singularName"), r->kind);
        r->namespaced = json_true(res, "namespaced");
        r->preferred = true; /* the caller says otherwise for a group's other versions */
        r->short_names = strv_from_json(json_get(res, "shortNames"));
        r->categories = strv_from_json(json_get(res, "categories"));
        r->verbs = strv_from_json(json_get(res, "verbs"));
        r->subresources = xcalloc(1, sizeof(char *));
    }
    /* Subresources ("pods/log") attach to their parents. */
    cJSON_ArrayForEach(res, list)
    {
        const char *name = json_str(res, "name");
        const char *slash = name ? strchr(name, '/') : NULL;
        if (!slash)
            continue;
        for (size_t i = first; i < out->len; i++) {
            struct api_resource *p = &out->v[i];
            if (strlen(p->name) != (size_t)(slash - name) ||
                strncmp(p->name, name, (size_t)(slash - name)) != 0)
                continue;
            size_t n = 0;
            while (p->subresources[n])
                n++;
            p->subresources = xreallocarray(p->subresources, n + 2, sizeof(char *));
            p->subresources[n] = xstrdup(slash + 1);
            p->subresources[n + 1] = NULL;
        }
    }
    cJSON_Delete(doc);
    return true;
}

struct gv_req {
    struct discovery *d;
    char *group, *version;
    bool preferred;
};

static void finish_if_done(struct discovery *d)
{
    if (d->pending > 0)
        return;
    d->loading = false;
    if (d->failed && d->next.len == 0) {
        api_resources_clear_all(&d->next);
        return; /* keep what an earlier load found */
    }
    api_resources_clear_all(&d->res);
    api_resources_free(&d->res);
    d->res = d->next;
    memset(&d->next, 0, sizeof d->next);
    d->loaded = true;
    d->generation++;
    log_info("discovery: %zu resources (%s)", d->res.len, d->aggregated ? "aggregated" : "legacy");
}

static void gv_done(void *ud, const struct http_response *r)
{
    struct gv_req *g = ud;
    struct discovery *d = g->d;
    size_t first = d->next.len;
    if (r->error == HTTP_OK && r->status == 200) {
        discovery_parse_resource_list(r->body, r->body_len, g->group, g->version, &d->next);
        for (size_t i = first; i < d->next.len; i++)
            d->next.v[i].preferred = g->preferred;
    } else
        log_warn("discovery: skipping %s/%s (HTTP %ld)", g->group, g->version, r->status);
    free(g->group);
    free(g->version);
    free(g);
    d->pending--;
    finish_if_done(d);
}

static void fetch_gv(struct discovery *d, const char *group, const char *version, bool preferred)
{
    struct gv_req *g = xcalloc(1, sizeof *g);
    g->d = d;
    g->preferred = preferred;
    g->group = xstrdup(group);
    g->version = xstrdup(version);
    char path[512];
    if (group[0])
        snprintf(path, sizeof path, "/apis/%s/%s", group, version);
    else
        snprintf(path, sizeof path, "/api/%s", version);
    struct http_req_spec spec = {.path = path, .timeout_ms = 32000};
    struct err e = {0};
    d->pending++;
    if (!http_send(d->http, &spec, NULL, gv_done, g, &e)) {
        free(g->group);
        free(g->version);
        free(g);
        d->pending--;
    }
}

static void root_done(void *ud, const struct http_response *r, bool core)
{
    struct discovery *d = ud;
    if (r->error != HTTP_OK || r->status != 200) {
        /* A 404 on /api is tolerated (no core group); anything else on /apis is fatal. */
        if (!(core && r->status == 404)) {
            d->failed = true;
            apierror_message(r, d->error, sizeof d->error);
        }
    } else if (strstr(r->content_type, "as=APIGroupDiscoveryList")) {
        d->aggregated = true;
        if (!discovery_parse_aggregated(r->body, r->body_len, &d->next)) {
            d->failed = true;
            snprintf(d->error, sizeof d->error, "the server's discovery document is invalid");
        }
    } else {
        cJSON *doc = cJSON_ParseWithLength(r->body, r->body_len);
        const cJSON *it;
        if (core) {
            cJSON_ArrayForEach(it, json_get(doc, "versions"))
            {
                if (cJSON_IsString(it))
                    fetch_gv(d, "", it->valuestring, true);
            }
        } else {
            cJSON_ArrayForEach(it, json_get(doc, "groups"))
            {
                const char *pref = json_str(json_get(it, "preferredVersion"), "version");
                const char *name = json_str(it, "name");
                const cJSON *v;
                cJSON_ArrayForEach(v, json_get(it, "versions"))
                {
                    const char *ver = json_str(v, "version");
                    if (name && ver)
                        fetch_gv(d, name, ver, pref && strcmp(ver, pref) == 0);
                }
            }
        }
        cJSON_Delete(doc);
    }
    d->pending--;
    finish_if_done(d);
}

static void api_done(void *ud, const struct http_response *r)
{
    root_done(ud, r, true);
}

static void apis_done(void *ud, const struct http_response *r)
{
    root_done(ud, r, false);
}

void discovery_start(struct discovery *d, struct http *http)
{
    if (d->crds && d->http != http) {
        reflector_free(d->crds); /* it watches another connection */
        d->crds = NULL;
        d->crds_listed = d->crds_refused = false;
    }
    if (d->loading)
        return;
    d->http = http;
    d->loading = true;
    d->failed = false;
    d->aggregated = false;
    d->error[0] = '\0';
    api_resources_clear_all(&d->next);
    d->pending = 2;
    struct err e = {0};
    struct http_req_spec api = {.path = "/api", .accept = AGGREGATED_ACCEPT, .timeout_ms = 32000};
    struct http_req_spec apis = {.path = "/apis", .accept = AGGREGATED_ACCEPT, .timeout_ms = 32000};
    if (!http_send(http, &api, NULL, api_done, d, &e))
        d->pending--;
    if (!http_send(http, &apis, NULL, apis_done, d, &e)) {
        d->pending--;
        d->failed = true;
        snprintf(d->error, sizeof d->error, "%s", e.msg);
    }
    finish_if_done(d);
}

void discovery_free(struct discovery *d)
{
    reflector_free(d->crds);
    d->crds = NULL;
    api_resources_clear_all(&d->res);
    api_resources_free(&d->res);
    api_resources_clear_all(&d->next);
    api_resources_free(&d->next);
}

/* ---- keeping current ------------------------------------------------------------------------- */

static void refresh_soon(struct discovery *d)
{
    d->refresh_at = clock_mono_ms() + DISCOVERY_REFRESH_MS;
}

static void crds_on_list(void *ud, bool begin)
{
    struct discovery *d = ud;
    if (begin)
        return;
    if (d->crds_listed)
        refresh_soon(d); /* a relist: definitions may have changed while the watch was down */
    d->crds_listed = true;
}

static void crds_on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    (void)op;
    (void)obj;
    struct discovery *d = ud;
    if (d->crds_listed)
        refresh_soon(d); /* created, changed (versions, names, Established) or deleted */
}

static const struct reflector_ops crds_ops = {.on_list = crds_on_list, .on_object = crds_on_object};

void discovery_tick(struct discovery *d)
{
    if (!d->http || !d->loaded)
        return;
    if (!d->crds && !d->crds_refused) {
        struct reflector_spec spec = {.path = CRD_PATH, .streaming = true, .metadata_only = true};
        d->crds = reflector_new(d->http, &spec, &crds_ops, d);
        reflector_start(d->crds);
    }
    if (d->crds) {
        reflector_tick(d->crds);
        long st = reflector_status(d->crds);
        if (reflector_state(d->crds) == REFLECTOR_BACKOFF && (st == 403 || st == 404)) {
            /* Not allowed to list them, or no apiextensions: asking again will not help. */
            log_info("discovery: not watching custom resource definitions (HTTP %ld)", st);
            reflector_free(d->crds);
            d->crds = NULL;
            d->crds_refused = true;
        }
    }
    if (d->refresh_at && clock_mono_ms() >= d->refresh_at && !d->loading) {
        d->refresh_at = 0;
        log_info("discovery: custom resource definitions changed; loading again");
        discovery_start(d, d->http);
    }
}

int discovery_timeout_ms(const struct discovery *d)
{
    int t = d->crds ? reflector_timeout_ms(d->crds) : -1;
    if (d->refresh_at) {
        int64_t left = d->refresh_at - clock_mono_ms();
        int r = left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
        t = t < 0 || r < t ? r : t;
    }
    return t;
}

bool discovery_refreshing(const struct discovery *d)
{
    return d->loading || d->refresh_at != 0;
}

/* Core first, then the groups in the order the server lists them: the index is the order. */
const struct api_resource *discovery_resolve(const struct discovery *d, const char *name)
{
    const struct api_resource *best = NULL;
    size_t best_rank = (size_t)-1;
    for (size_t i = 0; i < d->res.len; i++) {
        const struct api_resource *r = &d->res.v[i];
        /* Names without a version mean the group's preferred one; "plural.version.group"
         * names any version the server serves. */
        bool hit =
            r->preferred && (strcasecmp(name, r->name) == 0 || strcasecmp(name, r->singular) == 0 ||
                             strcasecmp(name, r->kind) == 0);
        for (char **s = r->short_names; r->preferred && !hit && s && *s; s++)
            hit = strcasecmp(name, *s) == 0;
        if (!hit && r->group[0]) {
            char buf[512];
            snprintf(buf, sizeof buf, "%s.%s", r->name, r->group);
            hit = r->preferred && strcasecmp(name, buf) == 0;
            snprintf(buf, sizeof buf, "%s.%s", r->kind, r->group);
            hit = hit || (r->preferred && strcasecmp(name, buf) == 0);
            snprintf(buf, sizeof buf, "%s.%s.%s", r->name, r->version, r->group);
            hit = hit || strcasecmp(name, buf) == 0;
        }
        if (!hit)
            continue;
        size_t rank = r->group[0] ? i + 1 : 0;
        if (!best || rank < best_rank) {
            best = r;
            best_rank = rank;
        }
    }
    return best;
}

bool discovery_serves(const struct discovery *d, const char *group, const char *version)
{
    for (size_t i = 0; i < d->res.len; i++)
        if (strcmp(d->res.v[i].group, group) == 0 &&
            (!version || strcmp(d->res.v[i].version, version) == 0))
            return true;
    return false;
}

bool api_resource_has_verb(const struct api_resource *r, const char *verb)
{
    return strv_has(r->verbs, verb);
}

bool api_resource_has_subresource(const struct api_resource *r, const char *sub)
{
    return strv_has(r->subresources, sub);
}
