/* reflector — the list/watch state machine (see reflector.h).
 *
 * A full list is either paginated LISTs or a streaming list: a watch with sendInitialEvents whose
 * initial ADDED events end at the bookmark annotated k8s.io/initial-events-end; from there the
 * same stream is the live watch. Until that bookmark its events are a list in progress: they do
 * not advance the resourceVersion, and a stream that ends before it is a list that failed (the
 * next attempt lists with LIST, as client-go falls back, so a fault that keeps cutting streams
 * cannot stop the list from completing).
 *
 * Must not: poll on a timer, relist on anything but 410 or a broken stream, or hot-loop on
 * failures (every retry goes through the backoff; only a watch that was established resumes at
 * once). */
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
#define REFLECTOR_STALL_ENV          "TIMON_WATCH_STALL_TIMEOUT"
#define REFLECTOR_LIST_TIMEOUT_MS    120000
#define REFLECTOR_MAX_EVENT          ((size_t)64 << 20)
#define REFLECTOR_ESTABLISHED_MS     1000 /* a watch that lasted this long was not refused */
#define INITIAL_EVENTS_END           "k8s.io/initial-events-end"

struct reflector {
    struct http *http; /* borrowed */
    const struct reflector_ops *ops;
    void *ud;
    char *path, *label_selector, *field_selector; /* owned */
    bool once;
    bool table;
    bool streaming; /* the spec asks for streaming lists */
    bool metadata;  /* PartialObjectMetadata */
    unsigned page_size;
    int stall_s;

    enum reflector_state state;
    char reason[512];
    long status;
    char rv[64];
    struct strbuf cont; /* the continue token of the next page */
    struct http_req *req;
    struct lines lines;
    bool want_relist;    /* the next attempt lists rather than watches */
    bool list_begun;     /* on_list(begin) was sent for the list in flight */
    bool synced;         /* a full list has completed at least once */
    bool initial;        /* the request in flight is a streaming list before its end bookmark */
    bool list_fallback;  /* a streaming list failed: the next full list is paginated */
    bool rv_unusable;    /* the server no longer serves from rv (410, or it went back in time) */
    char initial_rv[64]; /* the resourceVersion the streaming list in flight asked for */
    unsigned failures;
    int64_t retry_at;      /* monotonic ms */
    int64_t last_failure;  /* monotonic ms */
    int64_t watch_started; /* monotonic ms */
    unsigned watch_events;
    unsigned watch_gen, feed_gen; /* the watch request, and the one whose bytes are being read */
    unsigned nlists, nstreamed, nwatches;
    uint64_t rng;
};

static void start_list(struct reflector *r);
static void start_watch(struct reflector *r);
static void abandon_watch(struct reflector *r);
static void watch_data(void *ud, const char *data, size_t n);
static void watch_done(void *ud, const struct http_response *resp);

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

/* The selectors, and for tables what each row carries: the object's metadata (which the
 * server sends by default too, but says nothing about; a user's server may differ). */
static void append_selectors(struct reflector *r, struct strbuf *q)
{
    if (r->table)
        strbuf_puts(q, "&includeObject=Metadata");
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
#define META_LIST_ACCEPT                                                                           \
    "application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io,application/json"
#define META_ACCEPT "application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io,application/json"

/* What to ask for: Tables, metadata only (a list, or the objects of a watch), or the objects. */
static const char *accept_for(const struct reflector *r, bool list)
{
    if (r->table)
        return TABLE_ACCEPT;
    if (r->metadata)
        return list ? META_LIST_ACCEPT : META_ACCEPT;
    return NULL;
}

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

/* A full list starts: the consumer hears of it once per attempt. */
static void begin_list(struct reflector *r)
{
    if (r->list_begun)
        return;
    r->list_begun = true;
    if (r->ops->on_list)
        r->ops->on_list(r->ud, true);
}

/* The list in flight has delivered the whole collection (r->rv is its resourceVersion). */
static void list_complete(struct reflector *r)
{
    begin_list(r); /* an empty streaming list has no event before its bookmark */
    r->list_begun = false;
    r->synced = true;
    r->want_relist = false;
    r->nlists++;
    if (r->ops->on_list)
        r->ops->on_list(r->ud, false);
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
    begin_list(r);
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
    r->list_fallback = false;
    r->rv_unusable = false;
    list_complete(r);
    if (r->once) {
        set_state(r, REFLECTOR_DONE, "");
        return;
    }
    start_watch(r);
}

/* The watch's timeoutSeconds: random in [5, 10) minutes, as client-go spreads its watches. */
static unsigned watch_timeout_s(struct reflector *r)
{
    unsigned span = REFLECTOR_WATCH_MAX_S - REFLECTOR_WATCH_MIN_S;
    return REFLECTOR_WATCH_MIN_S + (unsigned)(rng_next(r) % span);
}

/* Sends a watch request: the live watch, or with `initial` a streaming list. */
static void send_watch(struct reflector *r, bool initial)
{
    struct strbuf q = {0};
    unsigned timeout = watch_timeout_s(r);
    strbuf_printf(&q, "%s?watch=1&allowWatchBookmarks=true&timeoutSeconds=%u", r->path, timeout);
    const char *rv = r->rv;
    if (initial) {
        /* The state "not older than" what we already hold; after a 410 any state will do. */
        strbuf_puts(&q, "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan");
        rv = r->rv_unusable ? "" : r->rv;
        snprintf(r->initial_rv, sizeof r->initial_rv, "%s", rv);
    }
    if (rv[0]) {
        strbuf_puts(&q, "&resourceVersion=");
        strbuf_put_urlencoded(&q, rv);
    }
    append_selectors(r, &q);
    struct http_req_spec spec = {
        .path = strbuf_str(&q),
        .accept = accept_for(r, false),
        .stream = true,
        .stall_s = r->stall_s,
        .timeout_ms = ((long)timeout + 30) * 1000,
    };
    struct err e = {0};
    lines_reset(&r->lines);
    r->watch_gen++;
    r->initial = initial;
    r->watch_events = 0;
    r->watch_started = clock_mono_ms();
    r->nwatches++;
    if (initial) {
        r->list_begun = false;
        set_state(r, REFLECTOR_LISTING, r->state == REFLECTOR_BACKOFF ? r->reason : "");
    } else {
        set_state(r, REFLECTOR_WATCHING, "");
    }
    r->req = http_send(r->http, &spec, watch_data, watch_done, r, &e);
    strbuf_free(&q);
    if (!r->req) {
        r->initial = false;
        fail(r, e.msg, 0, -1, initial);
    }
}

static bool use_streaming(const struct reflector *r)
{
    return r->streaming && !r->table && !r->list_fallback && !http_streaming_refused(r->http);
}

static void start_list(struct reflector *r)
{
    if (!r->cont.len && use_streaming(r)) {
        send_watch(r, true);
        return;
    }
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
                                 .accept = accept_for(r, true)};
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

static bool is_initial_events_end(const cJSON *obj)
{
    const cJSON *ann = json_get(json_get(obj, "metadata"), "annotations");
    const char *v = json_str(ann, INITIAL_EVENTS_END);
    return v && strcmp(v, "true") == 0;
}

/* The bookmark that ends a streaming list: the collection is complete at its resourceVersion,
 * and the stream goes on as the live watch (once mode stops here). */
static void stream_listed(struct reflector *r, const cJSON *bookmark)
{
    note_rv(r, bookmark);
    r->initial = false;
    r->rv_unusable = false;
    r->nstreamed++;
    list_complete(r);
    if (r->once) {
        abandon_watch(r);
        set_state(r, REFLECTOR_DONE, "");
        return;
    }
    set_state(r, REFLECTOR_WATCHING, "");
}

/* The server does not do streaming lists (it refused them, or sent a plain bookmark where the
 * end of the initial events belongs): list with LIST, now and from now on. */
static void streaming_refused(struct reflector *r, const char *why)
{
    log_info("reflector %s: no streaming lists (%s); listing with LIST", r->path, why);
    http_set_streaming_refused(r->http);
    abandon_watch(r);
    start_list(r);
}

/* The streaming list in flight needs the server's current state (410, or a resourceVersion
 * the server does not have): ask again from "" at once; if that was already the question, the
 * next attempt is a LIST, never a loop. */
static void restream(struct reflector *r)
{
    abandon_watch(r);
    r->initial = false;
    r->rv_unusable = true;
    if (!r->initial_rv[0])
        r->list_fallback = true;
    start_list(r);
}

/* A streaming list failed before its end: the next full list is a LIST, as client-go falls back
 * (at once for a one-shot list, else after the backoff); throttling is no reason to. */
static void stream_failed(struct reflector *r, const char *msg, long status, long retry_after)
{
    bool throttled = status == 429 || (status >= 500 && retry_after > 0);
    r->initial = false;
    r->list_fallback = r->list_fallback || !throttled;
    if (r->once && !throttled) {
        start_list(r);
        return;
    }
    fail(r, msg, status, retry_after, true);
}

static void watch_error_event(struct reflector *r, const cJSON *obj)
{
    long code = (long)json_int(obj, "code", 0);
    char msg[512];
    snprintf(msg, sizeof msg, "%s",
             json_str(obj, "message") ? json_str(obj, "message") : "the watch failed");
    if (status_needs_relist(obj)) {
        /* The resourceVersion left the server's history: relist at once, no backoff. */
        log_info("reflector %s: %s; relisting", r->path, msg);
        r->want_relist = true;
        if (r->initial) {
            restream(r);
            return;
        }
        abandon_watch(r);
        r->rv_unusable = true;
        start_list(r);
        return;
    }
    abandon_watch(r);
    if (r->initial)
        stream_failed(r, msg, code, -1);
    else
        fail(r, msg, code, -1, false);
}

static void watch_line(void *ud, const char *line, size_t len)
{
    struct reflector *r = ud;
    if (!r->req || r->feed_gen != r->watch_gen || (r->state != REFLECTOR_WATCHING && !r->initial))
        return; /* the watch was abandoned or replaced earlier in this chunk */
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
        const char *msg = "the server sent a watch event that is not valid JSON";
        abandon_watch(r);
        if (r->initial)
            stream_failed(r, msg, 200, -1);
        else
            fail(r, msg, 200, -1, true);
        return;
    }
    r->watch_events++;
    bool upsert = strcmp(type, "ADDED") == 0 || strcmp(type, "MODIFIED") == 0;
    if (upsert || strcmp(type, "DELETED") == 0) {
        if (r->initial)
            begin_list(r); /* initial events are a list: their resourceVersions are not the
                              collection's, the end bookmark's is */
        else
            note_rv(r, obj);
        deliver(r, upsert ? REFLECTOR_UPSERT : REFLECTOR_DELETE, obj);
    } else if (strcmp(type, "BOOKMARK") == 0) {
        if (!r->initial)
            note_rv(r, obj);
        else if (is_initial_events_end(obj))
            stream_listed(r, obj);
        else
            streaming_refused(r, "a bookmark before the end of the initial events");
    } else if (strcmp(type, "ERROR") == 0) {
        watch_error_event(r, obj);
    }
    cJSON_Delete(ev);
    jsonarena_end(mark);
}

static void watch_data(void *ud, const char *data, size_t n)
{
    struct reflector *r = ud;
    r->feed_gen = r->watch_gen;
    lines_feed(&r->lines, data, n, watch_line, r);
}

static void watch_failure_message(struct reflector *r, const struct http_response *resp, char *msg,
                                  size_t len)
{
    if (resp->error == HTTP_ERR_TIMEOUT && resp->status == 200)
        snprintf(msg, len, "the watch stalled: no data for %d s", r->stall_s);
    else if (resp->error == HTTP_ERR_OTHER && resp->status == 200)
        snprintf(msg, len, "the watch connection to %s was lost", http_server(r->http));
    else
        apierror_message(resp, msg, len);
}

/* A streaming list ended before its end bookmark. */
static void stream_ended(struct reflector *r, const struct http_response *resp, bool relist)
{
    r->initial = false;
    if (resp->status == 422) {
        /* Invalid: what an apiserver without the WatchList feature answers, as do those older
         * than 1.27 ("resourceVersionMatch is forbidden for watch"). */
        streaming_refused(r, "the server answered 422");
        return;
    }
    if (relist) {
        restream(r);
        return;
    }
    char msg[512];
    if (resp->error == HTTP_OK && resp->status == 200)
        snprintf(msg, sizeof msg, "the server ended the streaming list before its last event");
    else
        watch_failure_message(r, resp, msg, sizeof msg);
    stream_failed(r, msg, resp->status, resp->retry_after);
}

static void watch_done(void *ud, const struct http_response *resp)
{
    struct reflector *r = ud;
    struct http_req *self = r->req;
    r->feed_gen = r->watch_gen;
    lines_flush(&r->lines, watch_line, r); /* a last event without its newline */
    if (r->req != self || !self)
        return; /* that event ended the watch already */
    r->req = NULL;
    if (r->state != REFLECTOR_WATCHING && !r->initial)
        return;
    char msg[512];
    cJSON *st = resp->status >= 400 ? cJSON_ParseWithLength(resp->body, resp->body_len) : NULL;
    bool relist = resp->status == 410 || (st && status_needs_relist(st));
    cJSON_Delete(st);
    if (r->initial) {
        stream_ended(r, resp, relist);
        return;
    }
    if (relist) {
        r->want_relist = true;
        r->rv_unusable = true;
        start_list(r);
        return;
    }
    int64_t lasted = clock_mono_ms() - r->watch_started;
    bool established =
        resp->status == 200 && (r->watch_events > 0 || lasted >= REFLECTOR_ESTABLISHED_MS);
    if (resp->error != HTTP_OK || resp->status != 200) {
        watch_failure_message(r, resp, msg, sizeof msg);
        if (established && (resp->error == HTTP_ERR_OTHER || resp->error == HTTP_ERR_TIMEOUT)) {
            /* The server had accepted the watch: a cut connection or a stall is the network's
             * doing, so resume from the last resourceVersion at once, as client-go does. */
            log_info("reflector %s: %s; resuming from %s", r->path, msg, r->rv);
            start_watch(r);
            return;
        }
        fail(r, msg, resp->status, resp->retry_after, false);
        return;
    }
    if (!established) {
        fail(r, "the watch closed as soon as it opened", resp->status, -1, false);
        return;
    }
    start_watch(r); /* a normal end (timeoutSeconds): resume from the last RV */
}

static void start_watch(struct reflector *r)
{
    send_watch(r, false);
}

/* The stall timeout: REFLECTOR_STALL_S, or TIMON_WATCH_STALL_TIMEOUT seconds (a test and
 * operations knob: lower notices a black-holed connection sooner, but below the server's
 * bookmark interval an idle watch is re-opened every time it elapses). */
static int stall_timeout_s(void)
{
    const char *v = getenv(REFLECTOR_STALL_ENV);
    if (!v || !v[0])
        return REFLECTOR_STALL_S;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 1 || n > 86400) {
        log_warn("%s=%s is not a number of seconds from 1 to 86400; using %d", REFLECTOR_STALL_ENV,
                 v, REFLECTOR_STALL_S);
        return REFLECTOR_STALL_S;
    }
    return (int)n;
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
    r->streaming = spec->streaming;
    r->metadata = spec->metadata_only && !spec->table;
    r->stall_s = stall_timeout_s();
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

unsigned reflector_streamed(const struct reflector *r)
{
    return r->nstreamed;
}

unsigned reflector_watches(const struct reflector *r)
{
    return r->nwatches;
}
