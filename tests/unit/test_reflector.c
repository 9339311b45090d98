/* reflector + feed state machine against a scripted server: pagination, watch events, bookmarks,
 * 410 relist without ghosts, resume from the last resourceVersion after a dropped connection,
 * "too large resource version", 429 with Retry-After, and the backoff schedule; streaming lists
 * (sendInitialEvents) and their fallbacks to LIST; resuming an established watch at once, and
 * the stall timeout. */
#include "test_util.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/http.h"
#include "fakeapi.h"
#include "model/feed.h"
#include "util/clock.h"
#include "util/jsonarena.h"

#define POD(name, uid, rv)                                                                         \
    "{\"metadata\":{\"name\":\"" name "\",\"namespace\":\"ns\",\"uid\":\"" uid                     \
    "\",\"resourceVersion\":\"" rv "\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]},"             \
    "\"status\":{\"phase\":\"Running\"}}"
#define EVENT(type, obj) "{\"type\":\"" type "\",\"object\":" obj "}\n"
#define BOOKMARK(rv)                                                                               \
    EVENT("BOOKMARK", "{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"" rv "\"}}")
/* The bookmark that ends a streaming list's initial events, as a 1.32 apiserver sends it. */
#define INITIAL_END(rv)                                                                            \
    EVENT("BOOKMARK",                                                                              \
          "{\"kind\":\"Pod\",\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"" rv        \
          "\",\"annotations\":{\"k8s.io/initial-events-end\":\"true\",\"kubernetes.io/"            \
          "initial-events-list-blueprint\":\"eyJraW5kIjoiUG9kTGlzdCIsImFwaVZlcnNp"                 \
          "b24iOiJ2MSIsIm1ldGFkYXRhIjp7fSwiaXRlbXMiOm51bGx9Cg==\"}}}")
#define GONE                                                                                       \
    EVENT("ERROR",                                                                                 \
          "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"The resourceVersion "         \
          "for the provided watch is too old.\",\"reason\":\"Expired\",\"code\":410}")
#define STREAMING "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"
/* The rig's LIST of one page: its resourceVersion and items. */
#define LIST_REPLY(rv, items)                                                                      \
    {                                                                                              \
        "GET /api/v1/namespaces/ns/pods?limit=2 ", 200,                                            \
            "{\"metadata\":{\"resourceVersion\":\"" rv "\"},\"items\":[" items "]}", false, 0,     \
            NULL, false                                                                            \
    }

struct rig {
    struct fakeapi *api;
    struct http *http;
    struct feed *feed;
};

/* A rig whose server streams lists or not (`streaming`): the reflector asks for them only where
 * the connection has not learnt that the server refuses them. */
static void rig_start_mode(struct rig *r, const struct fake_reply *script, size_t n, bool once,
                           bool streaming)
{
    r->api = fakeapi_start(script, n);
    assert_non_null(r->api);
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", fakeapi_port(r->api));
    struct kube_conn conn = {.server = server};
    struct err e = {0};
    r->http = http_new(&conn, &e);
    assert_non_null(r->http);
    if (!streaming)
        http_set_streaming_refused(r->http);
    struct feed_spec spec = {.kind = kind_lookup("pods"), .ns = "ns", .page_size = 2, .once = once};
    r->feed = feed_new(r->http, &spec);
}

static void rig_start(struct rig *r, const struct fake_reply *script, size_t n, bool once)
{
    rig_start_mode(r, script, n, once, false);
}

static void rig_stop(struct rig *r)
{
    feed_free(r->feed);
    http_free(r->http);
    assert_int_equal(fakeapi_mismatches(r->api), 0);
    fakeapi_stop(r->api);
}

/* Runs the loop until `cond` holds or `ms` pass; returns whether it held. */
static bool run_until(struct rig *r, bool (*cond)(struct rig *), long ms)
{
    int64_t deadline = clock_mono_ms() + ms;
    struct pollfd fds[32];
    while (clock_mono_ms() < deadline) {
        feed_tick(r->feed);
        if (cond(r))
            return true;
        size_t n = http_pollfds(r->http, fds, 32);
        int t = http_timeout_ms(r->http);
        if (t < 0 || t > 20)
            t = 20;
        poll(fds, (nfds_t)(n > 32 ? 32 : n), t);
        http_on_poll(r->http, fds, n > 32 ? 32 : n);
    }
    return cond(r);
}

static bool has(struct rig *r, const char *uid)
{
    return store_get(&r->feed->store, uid) != NULL;
}

static bool cond_listed(struct rig *r)
{
    return r->feed->synced && has(r, "u1") && has(r, "u2") && has(r, "u3");
}

static bool cond_events_applied(struct rig *r)
{
    return has(r, "u4") && !has(r, "u2") && strcmp(reflector_rv(r->feed->refl), "20") == 0;
}

static bool cond_relisted(struct rig *r)
{
    return reflector_lists(r->feed->refl) == 2 && has(r, "u5") && store_len(&r->feed->store) == 2;
}

static bool cond_resumed(struct rig *r)
{
    return has(r, "u6");
}

static void test_list_watch_relist_resume(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"GET /api/v1/namespaces/ns/pods?limit=2 ", 200,
         "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"9\",\"continue\":\"c1\"},"
         "\"items\":[" POD("a", "u1", "5") "," POD("b", "u2", "6") "]}",
         false, 0, NULL, false},
        {"limit=2&continue=c1", 200,
         "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"10\"},\"items\":[" POD(
             "c", "u3", "7") "]}",
         false, 0, NULL, false},
        {"watch=1&allowWatchBookmarks=true&timeoutSeconds=", 200,
         EVENT("ADDED", POD("d", "u4", "11")) EVENT("MODIFIED", POD("a", "u1", "12"))
             EVENT("DELETED", POD("b", "u2", "13"))
                 EVENT("BOOKMARK", "{\"kind\":\"Pod\",\"metadata\":{\"resourceVersion\":\"20\"}}"),
         true, 200, NULL, false},
        {"resourceVersion=20", 200,
         EVENT("ERROR", "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"too old "
                        "resource version: 20 (25)\",\"reason\":\"Expired\",\"code\":410}"),
         true, 0, NULL, false},
        {"GET /api/v1/namespaces/ns/pods?limit=2 ", 200,
         "{\"kind\":\"PodList\",\"metadata\":{\"resourceVersion\":\"30\"},\"items\":[" POD(
             "a", "u1", "26") "," POD("e", "u5", "27") "]}",
         false, 0, NULL, false},
        {"resourceVersion=30", 200, "", true, 300, NULL, false},
        {"resourceVersion=30", 0, NULL, false, 0, NULL, false}, /* the connection drops */
        {"resourceVersion=30", 200, EVENT("ADDED", POD("f", "u6", "31")), true, 2000, NULL, false},
    };
    struct rig r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_true(run_until(&r, cond_listed, 3000));
    assert_true(run_until(&r, cond_events_applied, 3000));
    /* 410: a relist replaces the contents; u3 and u4 vanished on the server, no ghost is left. */
    assert_true(run_until(&r, cond_relisted, 3000));
    assert_false(has(&r, "u3"));
    assert_false(has(&r, "u4"));
    /* A dropped connection resumes the watch from the last resourceVersion, after a backoff,
     * without relisting. */
    assert_true(run_until(&r, cond_resumed, 6000));
    assert_int_equal(reflector_lists(r.feed->refl), 2);
    char line[512];
    fakeapi_request(r.api, 7, line, sizeof line);
    assert_non_null(strstr(line, "resourceVersion=30"));
    assert_int_equal(feed_state(r.feed), REFLECTOR_WATCHING);
    rig_stop(&r);
}

static bool cond_listed_one(struct rig *r)
{
    return r->feed->synced && has(r, "u1");
}

static bool cond_backoff(struct rig *r)
{
    return feed_state(r->feed) == REFLECTOR_BACKOFF;
}

static bool cond_second_list(struct rig *r)
{
    return reflector_lists(r->feed->refl) == 2;
}

static void test_too_large_resource_version_relists(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"limit=2", 200,
         "{\"metadata\":{\"resourceVersion\":\"500\"},\"items\":[" POD("a", "u1", "5") "]}", false,
         0, NULL, false},
        {"resourceVersion=500", 504,
         "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"Too large resource version: "
         "500, current: 12\",\"reason\":\"Timeout\",\"details\":{\"causes\":[{\"reason\":"
         "\"ResourceVersionTooLarge\",\"message\":\"Too large resource version\"}],"
         "\"retryAfterSeconds\":1},\"code\":504}",
         false, 0, NULL, false},
        {"limit=2", 200, "{\"metadata\":{\"resourceVersion\":\"13\"},\"items\":[]}", false, 0, NULL,
         false},
        {"resourceVersion=13", 200, "", true, 1500, NULL, false},
    };
    struct rig r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_true(run_until(&r, cond_second_list, 3000));
    assert_false(has(&r, "u1")); /* the server's state went back in time: u1 is gone */
    rig_stop(&r);
}

static void test_list_failure_backs_off_and_reports(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"limit=2", 500,
         "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"etcd is down\","
         "\"reason\":\"InternalError\",\"code\":500}",
         false, 0, NULL, false},
        {"limit=2", 200,
         "{\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[" POD("a", "u1", "2") "]}", false, 0,
         NULL, false},
        {"resourceVersion=3", 200, "", true, 1500, NULL, false},
    };
    struct rig r;
    rig_start(&r, script, sizeof script / sizeof script[0], false);
    assert_true(run_until(&r, cond_backoff, 3000));
    assert_string_equal(feed_reason(r.feed), "etcd is down");
    int64_t t0 = clock_mono_ms();
    assert_true(run_until(&r, cond_listed_one, 5000));
    int64_t waited = clock_mono_ms() - t0;
    assert_true(waited >= 700); /* 0.8 s backoff, less a tick */
    rig_stop(&r);
}

static bool cond_done(struct rig *r)
{
    enum reflector_state st = feed_state(r->feed);
    return st == REFLECTOR_DONE || st == REFLECTOR_FAILED;
}

static void test_once_retries_429_with_retry_after(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"limit=2", 429, "Too many requests, please try again later.", false, 0,
         "Retry-After: 1\r\n", false},
        {"limit=2", 200,
         "{\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[" POD("a", "u1", "2") "]}", false, 0,
         NULL, false},
    };
    struct rig r;
    rig_start(&r, script, sizeof script / sizeof script[0], true);
    int64_t t0 = clock_mono_ms();
    assert_true(run_until(&r, cond_done, 5000));
    assert_int_equal(feed_state(r.feed), REFLECTOR_DONE);
    assert_true(clock_mono_ms() - t0 >= 950); /* Retry-After honoured */
    assert_true(has(&r, "u1"));
    rig_stop(&r);
}

static void test_once_fails_with_server_message(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"limit=2", 403,
         "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods is forbidden: User "
         "\\\"jane\\\" cannot list resource \\\"pods\\\" in API group \\\"\\\" in the namespace "
         "\\\"ns\\\"\",\"reason\":\"Forbidden\",\"code\":403}",
         false, 0, NULL, false},
    };
    struct rig r;
    rig_start(&r, script, 1, true);
    assert_true(run_until(&r, cond_done, 3000));
    assert_int_equal(feed_state(r.feed), REFLECTOR_FAILED);
    assert_string_equal(feed_reason(r.feed), "pods is forbidden: User \"jane\" cannot list "
                                             "resource \"pods\" in API group \"\" in the "
                                             "namespace \"ns\"");
    rig_stop(&r);
}

static void test_backoff_schedule(void **state)
{
    (void)state;
    assert_int_equal(reflector_backoff_base(1), 800);
    assert_int_equal(reflector_backoff_base(2), 1600);
    assert_int_equal(reflector_backoff_base(3), 3200);
    assert_int_equal(reflector_backoff_base(6), 25600);
    assert_int_equal(reflector_backoff_base(7), 30000);
    assert_int_equal(reflector_backoff_base(50), 30000);
}

/* ---- streaming lists ------------------------------------------------------------------------ */

static bool cond_streamed_twice(struct rig *r)
{
    return reflector_streamed(r->feed->refl) == 2 && feed_state(r->feed) == REFLECTOR_WATCHING &&
           strcmp(reflector_rv(r->feed->refl), "20") == 0;
}

static bool cond_resumed_after_stream(struct rig *r)
{
    return fakeapi_count(r->api) >= 3 && reflector_watches(r->feed->refl) >= 3;
}

static void test_streaming_list_then_live_then_restream(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        /* The first list: no resourceVersion, the server's current state. */
        {STREAMING " HTTP/1.1", 200,
         EVENT("ADDED", POD("a", "u1", "5")) EVENT("ADDED", POD("b", "u2", "6")) INITIAL_END("10")
             EVENT("ADDED", POD("c", "u3", "11")) EVENT("DELETED", POD("b", "u2", "12")) GONE,
         true, 0, NULL, false},
        /* 410: the state again, from "" (the old resourceVersion is gone). u3 vanished. */
        {STREAMING " HTTP/1.1", 200,
         EVENT("ADDED", POD("a", "u1", "13")) EVENT("ADDED", POD("d", "u4", "14"))
             INITIAL_END("20"),
         true, 300, NULL, false},
        /* The stream ended normally: a plain watch from the end bookmark's resourceVersion. */
        {"resourceVersion=20", 200, "", true, 2000, NULL, false},
    };
    struct rig r;
    rig_start_mode(&r, script, sizeof script / sizeof script[0], false, true);
    assert_true(run_until(&r, cond_streamed_twice, 4000));
    assert_true(has(&r, "u1") && has(&r, "u4"));
    assert_false(has(&r, "u2")); /* deleted live */
    assert_false(has(&r, "u3")); /* gone from the second list: no ghost */
    assert_int_equal(store_len(&r.feed->store), 2);
    assert_int_equal(reflector_lists(r.feed->refl), 2);
    assert_true(run_until(&r, cond_resumed_after_stream, 4000));
    char line[512];
    for (size_t i = 0; i < 2; i++) {
        fakeapi_request(r.api, i, line, sizeof line);
        assert_non_null(strstr(line, "watch=1&allowWatchBookmarks=true"));
    }
    fakeapi_request(r.api, 2, line, sizeof line);
    assert_null(strstr(line, "sendInitialEvents"));
    assert_null(strstr(line, "limit="));
    rig_stop(&r);
}

static bool cond_fell_back(struct rig *r)
{
    return r->feed->synced && reflector_lists(r->feed->refl) == 1 &&
           feed_state(r->feed) == REFLECTOR_WATCHING && fakeapi_count(r->api) >= 3;
}

/* A streaming list cut before its end bookmark is a list that failed: the objects it delivered
 * stay only if the next list has them, and that list is a LIST (client-go's fallback). */
static void test_streaming_cut_before_the_end_falls_back_to_list(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {STREAMING, 200, EVENT("ADDED", POD("a", "u1", "5")) EVENT("ADDED", POD("z", "u9", "99")),
         true, 0, NULL, true},
        {"GET /api/v1/namespaces/ns/pods?limit=2 ", 200,
         "{\"metadata\":{\"resourceVersion\":\"30\"},\"items\":[" POD("a", "u1", "5") "]}", false,
         0, NULL, false},
        {"resourceVersion=30", 200, "", true, 2000, NULL, false},
    };
    struct rig r;
    rig_start_mode(&r, script, sizeof script / sizeof script[0], false, true);
    assert_true(run_until(&r, cond_fell_back, 6000));
    assert_true(has(&r, "u1"));
    assert_false(has(&r, "u9"));
    assert_int_equal(reflector_streamed(r.feed->refl), 0);
    char line[512];
    fakeapi_request(r.api, 2, line, sizeof line);
    assert_null(strstr(line, "sendInitialEvents")); /* the live watch is a plain one */
    assert_false(http_streaming_refused(r.http));   /* a cut is no refusal: stream next time */
    rig_stop(&r);
}

static bool cond_watching_listed(struct rig *r)
{
    return r->feed->synced && feed_state(r->feed) == REFLECTOR_WATCHING &&
           reflector_lists(r->feed->refl) == 1;
}

static bool cond_watch_served(struct rig *r)
{
    return cond_watching_listed(r) && fakeapi_count(r->api) >= 3;
}

/* 422 Invalid is what an apiserver without the WatchList feature answers (1.27-1.31 and 1.33 by
 * default; before 1.27 "resourceVersionMatch is forbidden for watch"): LIST, and every later
 * reflector on the connection lists with LIST at once. */
static void test_streaming_refused_lists_and_remembers(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {STREAMING, 422,
         "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\","
         "\"message\":\"ListOptions.meta.k8s.io \\\"\\\" is invalid: sendInitialEvents: Forbidden: "
         "sendInitialEvents is forbidden for watch unless the WatchList feature gate is "
         "enabled\",\"reason\":\"Invalid\",\"code\":422}",
         false, 0, NULL, false},
        LIST_REPLY("3", POD("a", "u1", "2")),
        {"resourceVersion=3", 200, BOOKMARK("3"), true, 100, NULL, false},
        /* A second feed on the same connection. */
        LIST_REPLY("4", POD("a", "u1", "2")),
        {"resourceVersion=4", 200, "", true, 1500, NULL, false},
    };
    struct rig r;
    rig_start_mode(&r, script, sizeof script / sizeof script[0], false, true);
    assert_true(run_until(&r, cond_watch_served, 5000));
    assert_true(has(&r, "u1"));
    assert_true(http_streaming_refused(r.http));
    feed_free(r.feed);
    struct feed_spec spec = {.kind = kind_lookup("pods"), .ns = "ns", .page_size = 2};
    r.feed = feed_new(r.http, &spec);
    assert_true(run_until(&r, cond_watching_listed, 5000));
    rig_stop(&r); /* every request was the one the script expects: no second streaming attempt */
}

static bool cond_listed_u2(struct rig *r)
{
    return r->feed->synced && has(r, "u2") && feed_state(r->feed) == REFLECTOR_WATCHING;
}

/* A server too old to know sendInitialEvents sends the state and then plain bookmarks: the
 * first plain bookmark says the end marker will never come. */
static void test_streaming_ignored_by_an_old_server(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {STREAMING, 200, EVENT("ADDED", POD("a", "u1", "5")) BOOKMARK("7"), true, 100, NULL, false},
        LIST_REPLY("8", POD("b", "u2", "8")),
        {"resourceVersion=8", 200, "", true, 1500, NULL, false},
    };
    struct rig r;
    rig_start_mode(&r, script, sizeof script / sizeof script[0], false, true);
    assert_true(run_until(&r, cond_listed_u2, 5000));
    assert_false(has(&r, "u1"));
    assert_true(http_streaming_refused(r.http));
    rig_stop(&r);
}

/* Once mode (one-shot commands) stops at the end bookmark; it does not wait for the stream. */
static void test_once_streaming_stops_at_the_end_bookmark(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {STREAMING, 200, EVENT("ADDED", POD("a", "u1", "5")) INITIAL_END("9"), true, 10000, NULL,
         false},
    };
    struct rig r;
    rig_start_mode(&r, script, 1, true, true);
    assert_true(run_until(&r, cond_done, 5000)); /* the server holds the stream for 10 s */
    assert_int_equal(feed_state(r.feed), REFLECTOR_DONE);
    assert_true(has(&r, "u1"));
    assert_true(r.feed->synced);
    rig_stop(&r);
}

/* A one-shot list whose stream is cut lists with LIST at once instead of failing. */
static void test_once_streaming_cut_lists_instead(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {STREAMING, 200, EVENT("ADDED", POD("a", "u1", "5")), true, 0, NULL, true},
        LIST_REPLY("6", POD("b", "u2", "6")),
    };
    struct rig r;
    rig_start_mode(&r, script, sizeof script / sizeof script[0], true, true);
    assert_true(run_until(&r, cond_done, 5000));
    assert_int_equal(feed_state(r.feed), REFLECTOR_DONE);
    assert_false(has(&r, "u1"));
    assert_true(has(&r, "u2"));
    rig_stop(&r);
}

/* ---- established watches, stalls ---------------------------------------------------------- */

struct states {
    enum reflector_state seen[64];
    int n;
    struct reflector *refl;
    unsigned objects;
};

static void states_on_state(void *ud)
{
    struct states *st = ud;
    if (st->n < 64)
        st->seen[st->n++] = reflector_state(st->refl);
}

static void states_on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    (void)op;
    (void)obj;
    struct states *st = ud;
    st->objects++;
}

static const struct reflector_ops states_ops = {.on_state = states_on_state,
                                                .on_object = states_on_object};

static bool states_has(const struct states *st, enum reflector_state s)
{
    for (int i = 0; i < st->n; i++)
        if (st->seen[i] == s)
            return true;
    return false;
}

/* A reflector alone (no feed, no streaming) whose states are recorded. */
struct bare {
    struct fakeapi *api;
    struct http *http;
    struct reflector *refl;
    struct states st;
    unsigned want_watches;
};

static void bare_start(struct bare *b, const struct fake_reply *script, size_t n)
{
    *b = (struct bare){.api = fakeapi_start(script, n)};
    b->http = fakeapi_http(b->api);
    http_set_streaming_refused(b->http);
    struct reflector_spec spec = {.path = "/api/v1/namespaces/ns/pods"};
    b->refl = reflector_new(b->http, &spec, &states_ops, &b->st);
    b->st.refl = b->refl;
    reflector_start(b->refl);
}

static bool bare_done(void *ud)
{
    struct bare *b = ud;
    return reflector_watches(b->refl) >= b->want_watches;
}

static void bare_tick(void *ud)
{
    struct bare *b = ud;
    reflector_tick(b->refl);
}

/* Runs until the reflector has started `watches` watches, or ms pass. */
static bool bare_run(struct bare *b, unsigned watches, long ms)
{
    b->want_watches = watches;
    return fakeapi_run(b->http, ms, bare_done, bare_tick, b);
}

static void bare_stop(struct bare *b)
{
    reflector_free(b->refl);
    http_free(b->http);
    assert_int_equal(fakeapi_mismatches(b->api), 0);
    fakeapi_stop(b->api);
}

/* A watch the server had accepted and that delivered events is resumed from its last
 * resourceVersion at once when the connection drops: no backoff, no "reconnecting". */
static void test_dropped_established_watch_resumes_at_once(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"limit=500", 200, "{\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[]}", false, 0,
         NULL, false},
        {"resourceVersion=3", 200, EVENT("ADDED", POD("a", "u1", "4")) BOOKMARK("6"), true, 50,
         NULL, true},
        {"resourceVersion=6", 200, BOOKMARK("7"), true, 50, NULL, true},
        {"resourceVersion=7", 200, "", true, 2000, NULL, false},
    };
    struct bare b;
    bare_start(&b, script, sizeof script / sizeof script[0]);
    assert_true(bare_run(&b, 3, 5000));
    assert_false(states_has(&b.st, REFLECTOR_BACKOFF));
    assert_int_equal(reflector_lists(b.refl), 1);
    assert_int_equal(b.st.objects, 1);
    bare_stop(&b);
}

/* A watch that goes silent (no event, no bookmark: a black-holed connection) is torn down after
 * the stall timeout and resumed from its last resourceVersion, while the server still holds the
 * silent one open. */
static void test_stalled_watch_is_resumed(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"limit=500", 200, "{\"metadata\":{\"resourceVersion\":\"3\"},\"items\":[]}", false, 0,
         NULL, false},
        {"resourceVersion=3", 200, BOOKMARK("8"), true, 60000, NULL, false},
        {"resourceVersion=8", 200, "", true, 2000, NULL, false},
    };
    setenv("TIMON_WATCH_STALL_TIMEOUT", "1", 1); /* read when the reflector is made */
    struct bare b;
    bare_start(&b, script, sizeof script / sizeof script[0]);
    unsetenv("TIMON_WATCH_STALL_TIMEOUT");
    /* The server holds the silent watch for a minute; the second watch starts long before. */
    assert_true(bare_run(&b, 2, 15000));
    assert_string_equal(reflector_rv(b.refl), "8");
    bare_stop(&b);
}

int main(void)
{
    jsonarena_install(); /* as timon runs: list items and events parse into the arena */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_watch_relist_resume),
        cmocka_unit_test(test_too_large_resource_version_relists),
        cmocka_unit_test(test_list_failure_backs_off_and_reports),
        cmocka_unit_test(test_once_retries_429_with_retry_after),
        cmocka_unit_test(test_once_fails_with_server_message),
        cmocka_unit_test(test_backoff_schedule),
        cmocka_unit_test(test_streaming_list_then_live_then_restream),
        cmocka_unit_test(test_streaming_cut_before_the_end_falls_back_to_list),
        cmocka_unit_test(test_streaming_refused_lists_and_remembers),
        cmocka_unit_test(test_streaming_ignored_by_an_old_server),
        cmocka_unit_test(test_once_streaming_stops_at_the_end_bookmark),
        cmocka_unit_test(test_once_streaming_cut_lists_instead),
        cmocka_unit_test(test_dropped_established_watch_resumes_at_once),
        cmocka_unit_test(test_stalled_watch_is_resumed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
