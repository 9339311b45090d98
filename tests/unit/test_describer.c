/* describer: the requests of one describe against a scripted server — the object, then the
 * planned follow-ups with their pages merged, a follow-up that fails, a missing object with and
 * without the events fallback, and a describe abandoned in flight. */
#include "test_util.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/describer.h"
#include "fakeapi.h"
#include "model/describe.h"
#include "util/clock.h"

#define POD                                                                                        \
    "{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u1\"},"         \
    "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]},\"status\":{\"phase\":"          \
    "\"Running\"}}"
#define EVENT(reason, last)                                                                        \
    "{\"type\":\"Normal\",\"reason\":\"" reason "\",\"message\":\"m\",\"count\":1,"                \
    "\"source\":{\"component\":\"kubelet\"},\"lastTimestamp\":\"" last "\"}"
#define NOT_FOUND                                                                                  \
    "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"pods \\\"p\\\" not found\","        \
    "\"reason\":\"NotFound\",\"code\":404}"

struct rig {
    struct fakeapi *api;
    struct http *http;
    struct describer *d;
    int calls;
    char *text;
    struct err e;
};

static void on_done(void *ud, const char *text, size_t len, const struct err *e)
{
    struct rig *r = ud;
    r->calls++;
    if (text)
        r->text = strndup(text, len);
    else
        r->e = *e;
}

static void start(struct rig *r, const struct fake_reply *script, size_t n, bool strict)
{
    memset(r, 0, sizeof *r);
    r->api = fakeapi_start(script, n);
    assert_non_null(r->api);
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", fakeapi_port(r->api));
    struct kube_conn conn = {.server = server};
    struct err e = {0};
    r->http = http_new(&conn, &e);
    assert_non_null(r->http);
    struct describer_target t = {.group = "",
                                 .version = "v1",
                                 .resource = "pods",
                                 .kind = "Pod",
                                 .namespaced = true,
                                 .ns = "ns",
                                 .name = "p",
                                 .strict = strict};
    r->d = describer_start(r->http, &t, &describe_hooks, on_done, r, &e);
    assert_non_null(r->d);
}

static void run(struct rig *r, long ms)
{
    int64_t deadline = clock_mono_ms() + ms;
    struct pollfd fds[32];
    while (clock_mono_ms() < deadline && !r->calls) {
        size_t n = http_pollfds(r->http, fds, 32);
        int t = http_timeout_ms(r->http);
        if (t < 0 || t > 20)
            t = 20;
        poll(fds, (nfds_t)(n > 32 ? 32 : n), t);
        http_on_poll(r->http, fds, n > 32 ? 32 : n);
    }
}

static void stop(struct rig *r)
{
    describer_free(r->d);
    http_free(r->http);
    assert_int_equal(fakeapi_mismatches(r->api), 0);
    fakeapi_stop(r->api);
    free(r->text);
}

static void test_pages_merged(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"GET /api/v1/namespaces/ns/pods/p ", 200, POD, false, 0, NULL, false},
        {"GET /api/v1/namespaces/ns/events?fieldSelector=involvedObject.name%3Dp%2C"
         "involvedObject.namespace%3Dns%2CinvolvedObject.uid%3Du1&limit=500 ",
         200,
         "{\"kind\":\"EventList\",\"metadata\":{\"continue\":\"c1\"},\"items\":[" EVENT(
             "Second", "2025-02-02T00:00:00Z") "]}",
         false, 0, NULL, false},
        {"limit=500&continue=c1 ", 200,
         "{\"kind\":\"EventList\",\"metadata\":{},\"items\":[" EVENT("First",
                                                                     "2025-02-01T00:00:00Z") "]}",
         false, 0, NULL, false},
    };
    struct rig r;
    start(&r, script, sizeof script / sizeof script[0], true);
    assert_true(describer_busy(r.d));
    run(&r, 5000);
    assert_int_equal(r.calls, 1);
    assert_false(describer_busy(r.d));
    assert_non_null(r.text);
    assert_non_null(strstr(r.text, "Name:         p\n"));
    /* Both pages, sorted by time across them. */
    const char *first = strstr(r.text, "First"), *second = strstr(r.text, "Second");
    assert_non_null(first);
    assert_non_null(second);
    assert_true(first < second);
    assert_int_equal(fakeapi_count(r.api), 3);
    stop(&r);
}

static void test_follow_up_fails(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"GET /api/v1/namespaces/ns/pods/p ", 200, POD, false, 0, NULL, false},
        {"/events?", 500,
         "{\"kind\":\"Status\",\"message\":\"etcdserver: request timed out\",\"code\":500}", false,
         0, NULL, false},
    };
    struct rig r;
    start(&r, script, sizeof script / sizeof script[0], true);
    run(&r, 5000);
    assert_int_equal(r.calls, 1);
    /* kubectl shows the object all the same, with no events. */
    assert_non_null(r.text);
    const char *ev = strstr(r.text, "Events:");
    assert_non_null(ev);
    assert_string_equal(ev + strspn(ev + 7, " ") + 7, "<none>\n");
    stop(&r);
}

static void test_missing(void **state)
{
    (void)state;
    static const struct fake_reply strict[] = {
        {"GET /api/v1/namespaces/ns/pods/p ", 404, NOT_FOUND, false, 0, NULL, false},
    };
    struct rig r;
    start(&r, strict, 1, true);
    run(&r, 5000);
    assert_int_equal(r.calls, 1);
    assert_null(r.text);
    assert_string_equal(r.e.msg, "pods \"p\" not found");
    assert_int_equal(r.e.code, 404);
    stop(&r);

    static const struct fake_reply lenient[] = {
        {"GET /api/v1/namespaces/ns/pods/p ", 404, NOT_FOUND, false, 0, NULL, false},
        {"fieldSelector=involvedObject.name%3Dp%2CinvolvedObject.namespace%3Dns&limit=500 ", 200,
         "{\"kind\":\"EventList\",\"metadata\":{},\"items\":[" EVENT("Killing",
                                                                     "2025-02-01T00:00:00Z") "]}",
         false, 0, NULL, false},
    };
    start(&r, lenient, 2, false);
    run(&r, 5000);
    assert_int_equal(r.calls, 1);
    assert_non_null(r.text);
    assert_non_null(strstr(r.text, "Pod 'p': error 'pods \"p\" not found', but found events.\n"));
    assert_non_null(strstr(r.text, "Killing"));
    stop(&r);
}

static void test_abandoned(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"GET /api/v1/namespaces/ns/pods/p ", 200, POD, false, 0, NULL, false},
        {"/events?", 200, "{\"items\":[]}", false, 0, NULL, false},
    };
    struct rig r;
    start(&r, script, sizeof script / sizeof script[0], true);
    describer_free(r.d);
    r.d = NULL;
    int64_t until = clock_mono_ms() + 300;
    while (clock_mono_ms() < until)
        run(&r, 50);
    assert_int_equal(r.calls, 0);
    http_free(r.http);
    fakeapi_stop(r.api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pages_merged),
        cmocka_unit_test(test_follow_up_fails),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_abandoned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
