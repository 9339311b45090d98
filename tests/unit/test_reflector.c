/* reflector + feed state machine against a scripted server: pagination, watch events, bookmarks,
 * 410 relist without ghosts, resume from the last resourceVersion after a dropped connection,
 * "too large resource version", 429 with Retry-After, and the backoff schedule. */
#include "test_util.h"

#include <poll.h>
#include <stdio.h>
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

struct rig {
    struct fakeapi *api;
    struct http *http;
    struct feed *feed;
};

static void rig_start(struct rig *r, const struct fake_reply *script, size_t n, bool once)
{
    r->api = fakeapi_start(script, n);
    assert_non_null(r->api);
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", fakeapi_port(r->api));
    struct kube_conn conn = {.server = server};
    struct err e = {0};
    r->http = http_new(&conn, &e);
    assert_non_null(r->http);
    struct feed_spec spec = {.kind = kind_lookup("pods"), .ns = "ns", .page_size = 2, .once = once};
    r->feed = feed_new(r->http, &spec);
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
