/* reflector — the list/watch state machine (see reflector.h).
 *
 * Must not: poll on a timer, relist on anything but 410 or a broken stream, or hot-loop on
 * failures (every retry goes through the backoff). */
#include "client/reflector.h"
#include "client/apierror.h"
#include "client/lines.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/jsonarena.h"
#include "util/jsonscan.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REFLECTOR_BACKOFF_INITIAL_MS 800
#define REFLECTOR_BACKOFF_MAX_MS     30000
#define REFLECTOR_HEALTHY_RESET_MS   120000
#define REFLECTOR_WATCH_MIN_S        300
#define REFLECTOR_WATCH_MAX_S        600
#define REFLECTOR_STALL_S            150 /* bookmarks come about every minute on a live watch */
#define REFLECTOR_LIST_TIMEOUT_MS    120000
#define REFLECTOR_MAX_EVENT          ((size_t)64 << 20)

struct reflector {
    struct http *http; /* borrowed */
    const struct reflector_ops *ops;
    void *ud;
    char *path, *label_selector, *field_selector; /* owned */
    bool once;
    bool table;
    unsigned page_size;

    enum reflector_state state;
    char reason[512];
    long status;
    char rv[64];
    struct strbuf cont; /* the continue token of the next page */
    struct http_req *req;
    struct lines lines;
    bool want_relist; /* the next attempt lists rather than watches */
    bool list_begun;  /* on_list(begin) was sent for the list in flight */
    bool synced;      /* a full list has completed at least once */
    unsigned failures;
    int64_t retry_at;      /* monotonic ms */
    int64_t last_failure;  /* monotonic ms */
    int64_t watch_started; /* monotonic ms */
    unsigned watch_events;
    unsigned nlists, nwatches;
    uint64_t rng;
};

static void start_list(struct reflector *r);
static void start_watch(struct reflector *r);

static uint64_t rng_next(struct reflector *r)
{
    uint64_t x = r->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return r->rng = x;
}

int64_t reflector_backoff_base(unsigned failures)
{
    int64_t d = REFLECTOR_BACKOFF_INITIAL_MS;
    for (unsigned i = 1; i < failures && d < REFLECTOR_BACKOFF_MAX_MS; i++)
        d *= 2;
    return d > REFLECTOR_BACKOFF_MAX_MS ? REFLECTOR_BACKOFF_MAX_MS : d;
}

static void set_state(struct reflector *r, enum reflector_state st, const char *reason)
{
    bool changed = r->state != st || strcmp(r->reason, reason) != 0;
    r->state = st;
    snprintf(r->reason, sizeof r->reason, "%s", reason);
    if (changed && r->ops->on_state)
        r->ops->on_state(r->ud);
}

/* Schedules a retry: a relist when `relist`, otherwise a watch from the last RV. */
static void fail(struct reflector *r, const char *reason, long status, long retry_after,
                 bool relist)
{
    int64_t now = clock_mono_ms();
    r->req = NULL;
    r->status = status;
    bool throttled = status == 429 || (status >= 500 && retry_after > 0);
    if (r->once && (!throttled || r->failures >= 10)) {
        set_state(r, REFLECTOR_FAILED, reason);
        return;
    }
    if (r->last_failure && now - r->last_failure > REFLECTOR_HEALTHY_RESET_MS)
        r->failures = 0;
    r->failures++;
    r->last_failure = now;
    int64_t d = reflector_backoff_base(r->failures);
    d += (int64_t)(rng_next(r) % (uint64_t)(d / 2 + 1)); /* jitter: [d, 1.5d] */
    if (retry_after > 0 && retry_after * 1000 > d)
        d = retry_after * 1000;
    r->retry_at = now + d;
    r->want_relist = r->want_relist || relist || !r->synced;
    log_info("reflector %s: %s; retrying in %lld ms", r->path, reason, (long long)d);
    set_state(r, REFLECTOR_BACKOFF, reason);
}

static void append_selectors(struct reflector *r, struct strbuf *q)
{
    if (r->label_selector && r->label_selector[0]) {
        strbuf_puts(q, "&labelSelector=");
        strbuf_put_urlencoded(q, r->label_selector);
    }
    if (r->field_selector && r->field_selector[0]) {
        strbuf_puts(q, "&fieldSelector=");
        strbuf_put_urlencoded(q, r->field_selector);
    }
}

static void note_rv(struct reflector *r, const cJSON *obj)
{
    const char *rv = json_str(json_get(obj, "metadata"), "resourceVersion");
    if (rv && rv[0] && strlen(rv) < sizeof r->rv)
        snprintf(r->rv, sizeof r->rv, "%s", rv);
}

#define TABLE_ACCEPT "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"

/* In table mode an event's object is a Table whose rows are the objects. */
static void deliver(struct reflector *r, enum reflector_op op, const cJSON *obj)
{
    if (!r->table) {
        r->ops->on_object(r->ud, op, obj);
        return;
    }
    const cJSON *defs = json_get(obj, "columnDefinitions");
    if (cJSON_IsArray(defs) && json_len(defs) > 0 && r->ops->on_columns)
        r->ops->on_columns(r->ud, defs);
    const cJSON *row;
    cJSON_ArrayForEach(row, json_get(obj, "rows"))
    {
        if (cJSON_IsObject(row))
            r->ops->on_object(r->ud, op, row);
    }
}

static void list_done(void *ud, const struct http_response *resp)
{
    struct reflector *r = ud;
    r->req = NULL;
    char msg[512];
    if (resp->error != HTTP_OK || resp->status != 200) {
        apierror_message(resp, msg, sizeof msg);
        char reason[64];
        apierror_reason(resp, reason, sizeof reason);
        if (resp->status == 410 && r->cont.len) {
            /* The continue token expired: start the list over. */
            strbuf_reset(&r->cont);
            fail(r, msg, resp->status, resp->retry_after, true);
            return;
        }
        strbuf_reset(&r->cont);
        fail(r, msg, resp->status, resp->retry_after, true);
        return;
    }
    /* Parse the page one item at a time: small trees, and a peak of one item, not a page. */
    struct jsonspan items = {0}, meta = {0}, defs = {0};
    bool has_items =
        jsonscan_member(resp->body, resp->body_len, r->table ? "rows" : "items", &items);
    bool has_meta = jsonscan_member(resp->body, resp->body_len, "metadata", &meta);
    cJSON *metaj = has_meta ? cJSON_ParseWithLength(meta.p, meta.n) : NULL;
    if (!has_meta || !cJSON_IsObject(metaj)) {
        cJSON_Delete(metaj);
        strbuf_reset(&r->cont);
        fail(r, "the server sent a list that is not valid JSON", resp->status, -1, true);
        return;
    }
    if (!r->list_begun) {
        r->list_begun = true;
        if (r->ops->on_list)
            r->ops->on_list(r->ud, true);
    }
    if (r->table && r->ops->on_columns &&
        jsonscan_member(resp->body, resp->body_len, "columnDefinitions", &defs)) {
        cJSON *d = cJSON_ParseWithLength(defs.p, defs.n);
        if (cJSON_IsArray(d) && json_len(d) > 0)
            r->ops->on_columns(r->ud, d);
        cJSON_Delete(d);
    }
    bool bad = false;
    if (has_items && !(items.n == 4 && memcmp(items.p, "null", 4) == 0)) {
        size_t pos = 0;
        struct jsonspan el;
        while (jsonscan_next(items, &pos, &el, &bad)) {
            size_t mark = jsonarena_begin();
            cJSON *it = cJSON_ParseWithLength(el.p, el.n);
            jsonarena_pause();
            if (cJSON_IsObject(it))
                r->ops->on_object(r->ud, REFLECTOR_UPSERT, it);
            else
                bad = true;
            cJSON_Delete(it);
            jsonarena_end(mark);
            if (bad)
                break;
        }
    }
    if (bad) {
        cJSON_Delete(metaj);
        strbuf_reset(&r->cont);
        fail(r, "the server sent a list that is not valid JSON", resp->status, -1, true);
        return;
    }
    const char *cont = json_str(metaj, "continue");
    if (cont && cont[0]) {
        strbuf_reset(&r->cont);
        strbuf_puts(&r->cont, cont);
        cJSON_Delete(metaj);
        start_list(r);
        return;
    }
    const char *rv = json_str(metaj, "resourceVersion");
    if (rv && rv[0] && strlen(rv) < sizeof r->rv)
        snprintf(r->rv, sizeof r->rv, "%s", rv);
    cJSON_Delete(metaj);
    strbuf_reset(&r->cont);
    r->list_begun = false;
    r->synced = true;
    r->want_relist = false;
    r->nlists++;
    if (r->ops->on_list)
        r->ops->on_list(r->ud, false);
    if (r->once) {
        set_state(r, REFLECTOR_DONE, "");
        return;
    }
    start_watch(r);
}

static void start_list(struct reflector *r)
{
    struct strbuf q = {0};
    strbuf_printf(&q, "%s?limit=%u", r->path, r->page_size);
    if (r->cont.len) {
        strbuf_puts(&q, "&continue=");
        strbuf_put_urlencoded(&q, strbuf_str(&r->cont));
    } else {
        r->list_begun = false;
    }
    append_selectors(r, &q);
    struct http_req_spec spec = {.path = strbuf_str(&q),
                                 .timeout_ms = REFLECTOR_LIST_TIMEOUT_MS,
                                 .accept = r->table ? TABLE_ACCEPT : NULL};
    struct err e = {0};
    set_state(r, REFLECTOR_LISTING, r->state == REFLECTOR_BACKOFF ? r->reason : "");
    r->req = http_send(r->http, &spec, NULL, list_done, r, &e);
    strbuf_free(&q);
    if (!r->req)
        fail(r, e.msg, 0, -1, true);
}

/* Ends the current watch and schedules the next step without waiting for curl. */
static void abandon_watch(struct reflector *r)
{
    if (r->req)
        http_cancel(r->http, r->req);
    r->req = NULL;
    lines_reset(&r->lines);
}

/* A Status that means our resourceVersion is no longer usable and only a relist helps: 410
 * Expired/Gone (compacted history), or "Too large resource version" (the server's state went
 * back in time, e.g. a restored or recreated cluster). */
static bool status_needs_relist(const cJSON *st)
{
    long code = (long)json_int(st, "code", 0);
    const char *reason = json_strz(st, "reason");
    if (code == 410 || strcmp(reason, "Expired") == 0 || strcmp(reason, "Gone") == 0)
        return true;
    if (strstr(json_strz(st, "message"), "Too large resource version"))
        return true;
    const cJSON *c;
    cJSON_ArrayForEach(c, json_get(json_get(st, "details"), "causes"))
    {
        if (strcmp(json_strz(c, "reason"), "ResourceVersionTooLarge") == 0)
            return true;
    }
    return false;
}

static void watch_line(void *ud, const char *line, size_t len)
{
    struct reflector *r = ud;
    if (r->state != REFLECTOR_WATCHING || !r->req)
        return; /* the watch was abandoned earlier in this chunk */
    if (len == 0)
        return;
    size_t mark = jsonarena_begin();
    cJSON *ev = cJSON_ParseWithLength(line, len);
    jsonarena_pause();
    const char *type = json_str(ev, "type");
    const cJSON *obj = json_get(ev, "object");
    if (!ev || !type || !cJSON_IsObject(obj)) {
        cJSON_Delete(ev);
        jsonarena_end(mark);
        abandon_watch(r);
        fail(r, "the server sent a watch event that is not valid JSON", 200, -1, true);
        return;
    }
    r->watch_events++;
    if (strcmp(type, "ADDED") == 0 || strcmp(type, "MODIFIED") == 0) {
        deliver(r, REFLECTOR_UPSERT, obj);
        note_rv(r, obj);
    } else if (strcmp(type, "DELETED") == 0) {
        deliver(r, REFLECTOR_DELETE, obj);
        note_rv(r, obj);
    } else if (strcmp(type, "BOOKMARK") == 0) {
        note_rv(r, obj);
    } else if (strcmp(type, "ERROR") == 0) {
        long code = (long)json_int(obj, "code", 0);
        bool expired = status_needs_relist(obj);
        char msg[512];
        snprintf(msg, sizeof msg, "%s",
                 json_str(obj, "message") ? json_str(obj, "message") : "the watch failed");
        abandon_watch(r);
        if (expired) {
            /* The resourceVersion left the server's history: relist at once, no backoff. */
            log_info("reflector %s: %s; relisting", r->path, msg);
            r->want_relist = true;
            start_list(r);
        } else {
            fail(r, msg, code, -1, false);
        }
    }
    cJSON_Delete(ev);
    jsonarena_end(mark);
}

static void watch_data(void *ud, const char *data, size_t n)
{
    struct reflector *r = ud;
    lines_feed(&r->lines, data, n, watch_line, r);
}

static void watch_done(void *ud, const struct http_response *resp)
{
    struct reflector *r = ud;
    r->req = NULL;
    lines_flush(&r->lines, watch_line, r);
    if (r->state != REFLECTOR_WATCHING)
        return;
    r->req = NULL;
    char msg[512];
    cJSON *st = resp->status >= 400 ? cJSON_ParseWithLength(resp->body, resp->body_len) : NULL;
    bool relist = resp->status == 410 || (st && status_needs_relist(st));
    cJSON_Delete(st);
    if (relist) {
        r->want_relist = true;
        start_list(r);
        return;
    }
    if (resp->error != HTTP_OK || resp->status != 200) {
        if (resp->error == HTTP_ERR_TIMEOUT && resp->status == 200)
            snprintf(msg, sizeof msg, "the watch stalled: no data for %d s", REFLECTOR_STALL_S);
        else if (resp->error == HTTP_ERR_OTHER && resp->status == 200)
            snprintf(msg, sizeof msg, "the watch connection to %s was lost", http_server(r->http));
        else
            apierror_message(resp, msg, sizeof msg);
        fail(r, msg, resp->status, resp->retry_after, false);
        return;
    }
    int64_t lasted = clock_mono_ms() - r->watch_started;
    if (lasted < 1000 && r->watch_events == 0) {
        fail(r, "the watch closed as soon as it opened", resp->status, -1, false);
        return;
    }
    start_watch(r); /* a normal end (timeoutSeconds): resume from the last RV */
}

static void start_watch(struct reflector *r)
{
    struct strbuf q = {0};
    unsigned span = REFLECTOR_WATCH_MAX_S - REFLECTOR_WATCH_MIN_S;
    unsigned timeout = REFLECTOR_WATCH_MIN_S + (unsigned)(rng_next(r) % span);
    strbuf_printf(&q, "%s?watch=1&allowWatchBookmarks=true&timeoutSeconds=%u", r->path, timeout);
    if (r->rv[0]) {
        strbuf_puts(&q, "&resourceVersion=");
        strbuf_put_urlencoded(&q, r->rv);
    }
    append_selectors(r, &q);
    struct http_req_spec spec = {
        .path = strbuf_str(&q),
        .accept = r->table ? TABLE_ACCEPT : NULL,
        .stream = true,
        .stall_s = REFLECTOR_STALL_S,
        .timeout_ms = ((long)timeout + 30) * 1000,
    };
    struct err e = {0};
    lines_reset(&r->lines);
    r->watch_events = 0;
    r->watch_started = clock_mono_ms();
    r->nwatches++;
    set_state(r, REFLECTOR_WATCHING, "");
    r->req = http_send(r->http, &spec, watch_data, watch_done, r, &e);
    strbuf_free(&q);
    if (!r->req)
        fail(r, e.msg, 0, -1, false);
}

struct reflector *reflector_new(struct http *http, const struct reflector_spec *spec,
                                const struct reflector_ops *ops, void *ud)
{
    struct reflector *r = xcalloc(1, sizeof *r);
    r->http = http;
    r->ops = ops;
    r->ud = ud;
    r->path = xstrdup(spec->path);
    r->label_selector = spec->label_selector ? xstrdup(spec->label_selector) : NULL;
    r->field_selector = spec->field_selector ? xstrdup(spec->field_selector) : NULL;
    r->once = spec->once;
    r->table = spec->table;
    r->page_size = spec->page_size ? spec->page_size : 500;
    r->rng = ((uint64_t)clock_mono_ms() << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)r;
    if (!r->rng)
        r->rng = 88172645463325252ULL;
    lines_init(&r->lines, REFLECTOR_MAX_EVENT);
    return r;
}

void reflector_free(struct reflector *r)
{
    if (!r)
        return;
    if (r->req)
        http_cancel(r->http, r->req);
    lines_free(&r->lines);
    strbuf_free(&r->cont);
    free(r->path);
    free(r->label_selector);
    free(r->field_selector);
    free(r);
}

void reflector_start(struct reflector *r)
{
    if (r->state == REFLECTOR_IDLE)
        start_list(r);
}

void reflector_tick(struct reflector *r)
{
    if (r->state != REFLECTOR_BACKOFF || clock_mono_ms() < r->retry_at)
        return;
    if (r->want_relist || !r->synced)
        start_list(r);
    else
        start_watch(r);
}

int reflector_timeout_ms(const struct reflector *r)
{
    if (r->state != REFLECTOR_BACKOFF)
        return -1;
    int64_t d = r->retry_at - clock_mono_ms();
    return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

enum reflector_state reflector_state(const struct reflector *r)
{
    return r->state;
}

const char *reflector_reason(const struct reflector *r)
{
    return r->reason;
}

long reflector_status(const struct reflector *r)
{
    return r->status;
}

const char *reflector_rv(const struct reflector *r)
{
    return r->rv;
}

unsigned reflector_lists(const struct reflector *r)
{
    return r->nlists;
}

unsigned reflector_watches(const struct reflector *r)
{
    return r->nwatches;
}
