/* logstream: the request it sends, timestamps split off, a dropped follow resumed with
 * sinceTime and nothing shown twice (equal timestamps included), the pod asked whether more can
 * come, and errors as values. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "client/logstream.h"
#include "fakeapi.h"

#define TS1 "2026-01-02T03:04:05.100000000Z"
#define TS2 "2026-01-02T03:04:05.2Z"
#define TS3 "2026-01-02T03:04:06Z"

struct rig {
    struct fakeapi *api;
    struct http *http;
    struct logstream *ls;
    char out[4096];
    int states;
};

static void on_line(void *ud, const struct logline *l)
{
    struct rig *r = ud;
    size_t n = strlen(r->out);
    snprintf(r->out + n, sizeof r->out - n, "[%.*s|%.*s%s]", (int)l->ts_len, l->ts, (int)l->len,
             l->text, l->newline ? "" : "|no-nl");
}

static void on_state(void *ud)
{
    struct rig *r = ud;
    r->states++;
}

static const struct logstream_ops ops = {on_line, on_state};

static void rig_start(struct rig *r, const struct fake_reply *script, size_t n,
                      const struct logstream_spec *spec)
{
    memset(r, 0, sizeof *r);
    r->api = fakeapi_start(script, n);
    assert_non_null(r->api);
    r->http = fakeapi_http(r->api);
    assert_non_null(r->http);
    r->ls = logstream_new(r->http, spec, &ops, r);
}

static bool ended(void *ud)
{
    struct rig *r = ud;
    enum logstream_state st = logstream_state(r->ls);
    return st == LOGSTREAM_DONE || st == LOGSTREAM_FAILED;
}

static void tick(void *ud)
{
    logstream_tick(((struct rig *)ud)->ls);
}

static bool run_until_end(struct rig *r, long ms)
{
    return fakeapi_run(r->http, ms, ended, tick, r);
}

static void rig_stop(struct rig *r)
{
    logstream_free(r->ls);
    http_free(r->http);
    assert_int_equal(fakeapi_mismatches(r->api), 0);
    fakeapi_stop(r->api);
}

static void test_path_in_kubectls_order(void **state)
{
    (void)state;
    struct logstream_spec spec = {
        .ns = "shop",
        .pod = "web-1",
        .container = "app",
        .opts = {.follow = true, .previous = true, .tail_lines = 10, .limit_bytes = 500},
    };
    struct strbuf p = {0};
    logstream_path(&spec, true, 0, &p);
    assert_string_equal(strbuf_str(&p), "/api/v1/namespaces/shop/pods/web-1/log?container=app&"
                                        "follow=true&limitBytes=500&previous=true&tailLines=10&"
                                        "timestamps=true");
    strbuf_reset(&p);
    spec.container = NULL;
    spec.opts = (struct logstream_opts){.tail_lines = -1, .since_seconds = 300};
    logstream_path(&spec, false, 0, &p);
    assert_string_equal(strbuf_str(&p), "/api/v1/namespaces/shop/pods/web-1/log?sinceSeconds=300");
    /* A resumption: sinceTime from the last line's second replaces tail and since. */
    strbuf_reset(&p);
    spec.opts = (struct logstream_opts){.follow = true, .tail_lines = 100, .since_seconds = 60};
    logstream_path(&spec, true, 1767323045, &p);
    assert_string_equal(strbuf_str(&p), "/api/v1/namespaces/shop/pods/web-1/log?follow=true&"
                                        "sinceTime=2026-01-02T03%3A04%3A05Z&timestamps=true");
    strbuf_free(&p);
}

static void test_parse_ts(void **state)
{
    (void)state;
    size_t len;
    int64_t sec;
    int32_t nsec;
    const char *l = TS2 " hello";
    assert_true(logstream_parse_ts(l, strlen(l), &len, &sec, &nsec));
    assert_int_equal(len, strlen(TS2));
    assert_int_equal(sec, 1767323045);
    assert_int_equal(nsec, 200000000);
    l = TS3;
    assert_true(logstream_parse_ts(l, strlen(l), &len, &sec, &nsec));
    assert_int_equal(nsec, 0);
    l = "2026-01-02T03:04:05.123456789+01:00 x";
    assert_true(logstream_parse_ts(l, strlen(l), &len, &sec, &nsec));
    assert_int_equal(sec, 1767323045 - 3600);
    assert_int_equal(nsec, 123456789);
    static const char *const bad[] = {"hello world", "", "2026-01-02 03:04:05Z x",
                                      "2026-01-02T03:04:05.1Zjunkjunkjunkjunkjunkjunk x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_false(logstream_parse_ts(bad[i], strlen(bad[i]), &len, &sec, &nsec));
}

/* Lines with equal timestamps: the resumed stream repeats them; exactly the new ones pass. */
static void test_resume_bookkeeping(void **state)
{
    (void)state;
    struct logresume r = {0};
    logresume_begin(&r);
    assert_false(logresume_skip(&r, 10, 0)); /* nothing delivered yet: nothing to skip */
    logresume_note(&r, 10, 0);
    logresume_note(&r, 11, 5);
    logresume_note(&r, 11, 5);
    logresume_begin(&r); /* the stream dropped; resumed from second 11 */
    assert_true(logresume_skip(&r, 11, 0));
    assert_true(logresume_skip(&r, 11, 5));
    assert_true(logresume_skip(&r, 11, 5));
    assert_false(logresume_skip(&r, 11, 5)); /* a third line at that instant is new */
    logresume_note(&r, 11, 5);
    assert_false(logresume_skip(&r, 11, 4)); /* once new lines flow, nothing is skipped */
    assert_int_equal(r.same, 3);
    logresume_begin(&r);
    assert_true(logresume_skip(&r, 11, 5));
    assert_true(logresume_skip(&r, 11, 5));
    assert_true(logresume_skip(&r, 11, 5));
    assert_false(logresume_skip(&r, 12, 0));
}

/* One-shot follow: the connection drops mid-line, the stream resumes from the last second, the
 * repeated lines are skipped, timestamps are stripped (they were only asked for resuming), and a
 * clean end is the end. */
static void test_follow_resumes_without_duplicates(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"GET /api/v1/namespaces/ns/pods/p/log?container=c&follow=true&tailLines=2&"
         "timestamps=true ",
         200, TS1 " one\n" TS2 " two\n" TS2 " two again\n" TS3 " thr", true, 0, NULL, true},
        {"log?container=c&follow=true&sinceTime=2026-01-02T03%3A04%3A05Z&timestamps=true ", 200,
         TS1 " one\n" TS2 " two\n" TS2 " two again\n" TS3 " three\n" TS3 " four", true, 0, NULL,
         false},
    };
    struct logstream_spec spec = {
        .ns = "ns", .pod = "p", .container = "c", .opts = {.follow = true, .tail_lines = 2}};
    struct rig r;
    rig_start(&r, script, 2, &spec);
    assert_true(run_until_end(&r, 8000));
    assert_int_equal(logstream_state(r.ls), LOGSTREAM_DONE);
    assert_string_equal(r.out, "[" TS1 "|one][" TS2 "|two][" TS2 "|two again][" TS3 "|three][" TS3
                               "|four|no-nl]");
    assert_int_equal(logstream_connects(r.ls), 2);
    assert_int_equal(logstream_lines(r.ls), 5);
    rig_stop(&r);
}

/* Persistent: a clean end asks the pod; running means more may come (resume); a container
 * waiting to start is retried; the pod gone ends it. */
static void test_persistent_asks_the_pod(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"log?container=c&follow=true&timestamps=true ", 400,
         "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"container \\\"c\\\" in pod "
         "\\\"p\\\" is waiting to start: ContainerCreating\",\"reason\":\"BadRequest\","
         "\"code\":400}",
         false, 0, NULL, false},
        {"log?container=c&follow=true&timestamps=true ", 200, TS1 " one\n", true, 0, NULL, false},
        {"GET /api/v1/namespaces/ns/pods/p ", 200,
         "{\"spec\":{\"restartPolicy\":\"Always\"},\"status\":{\"phase\":\"Running\","
         "\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"running\":{}}}]}}",
         false, 0, NULL, false},
        {"sinceTime=2026-01-02T03%3A04%3A05Z&timestamps=true ", 200, TS1 " one\n" TS3 " two\n",
         true, 0, NULL, false},
        {"GET /api/v1/namespaces/ns/pods/p ", 200,
         "{\"spec\":{\"restartPolicy\":\"Never\"},\"status\":{\"phase\":\"Running\","
         "\"containerStatuses\":[{\"name\":\"c\",\"state\":{\"terminated\":{\"exitCode\":1}}}]}}",
         false, 0, NULL, false},
    };
    struct logstream_spec spec = {.ns = "ns",
                                  .pod = "p",
                                  .container = "c",
                                  .persist = true,
                                  .opts = {.follow = true, .timestamps = true, .tail_lines = -1}};
    struct rig r;
    rig_start(&r, script, sizeof script / sizeof script[0], &spec);
    assert_true(run_until_end(&r, 10000));
    assert_int_equal(logstream_state(r.ls), LOGSTREAM_DONE);
    assert_string_equal(logstream_reason(r.ls), "the container has terminated");
    assert_string_equal(r.out, "[" TS1 "|one][" TS3 "|two]");
    assert_int_equal(fakeapi_count(r.api), 5);
    rig_stop(&r);
}

/* The pod was deleted and another took its name (a StatefulSet's pod): the stream of the old
 * one ends as gone instead of resuming on the new one, whose lines its own stream shows. */
static void test_a_new_pod_with_the_name_ends_the_stream(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"log?container=c&follow=true&timestamps=true ", 200, TS1 " one\n", true, 0, NULL, false},
        {"GET /api/v1/namespaces/ns/pods/p ", 200,
         "{\"metadata\":{\"uid\":\"u-2\"},\"spec\":{\"restartPolicy\":\"Always\"},"
         "\"status\":{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"c\","
         "\"state\":{\"running\":{}}}]}}",
         false, 0, NULL, false},
    };
    struct logstream_spec spec = {.ns = "ns",
                                  .pod = "p",
                                  .container = "c",
                                  .uid = "u-1",
                                  .persist = true,
                                  .opts = {.follow = true, .timestamps = true, .tail_lines = -1}};
    struct rig r;
    rig_start(&r, script, sizeof script / sizeof script[0], &spec);
    assert_true(run_until_end(&r, 10000));
    assert_int_equal(logstream_state(r.ls), LOGSTREAM_DONE);
    assert_string_equal(logstream_reason(r.ls), "the pod is gone (another took its name)");
    assert_string_equal(r.out, "[" TS1 "|one]");
    assert_int_equal(fakeapi_count(r.api), 2);
    rig_stop(&r);
}

/* One-shot: the server's error is kept for the caller to print as kubectl does. */
static void test_oneshot_error_is_a_value(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"log?container=c&previous=true ", 400,
         "{\"kind\":\"Status\",\"status\":\"Failure\",\"message\":\"previous terminated "
         "container \\\"c\\\" in pod \\\"p\\\" not found\",\"reason\":\"BadRequest\",\"code\":400}",
         false, 0, NULL, false},
    };
    struct logstream_spec spec = {
        .ns = "ns", .pod = "p", .container = "c", .opts = {.previous = true, .tail_lines = -1}};
    struct rig r;
    rig_start(&r, script, 1, &spec);
    assert_true(run_until_end(&r, 5000));
    assert_int_equal(logstream_state(r.ls), LOGSTREAM_FAILED);
    assert_int_equal(logstream_status(r.ls), 400);
    assert_string_equal(logstream_api_reason(r.ls), "BadRequest");
    assert_string_equal(logstream_reason(r.ls),
                        "previous terminated container \"c\" in pod \"p\" not found");
    assert_string_equal(r.out, "");
    rig_stop(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_in_kubectls_order),
        cmocka_unit_test(test_parse_ts),
        cmocka_unit_test(test_resume_bookkeeping),
        cmocka_unit_test(test_follow_resumes_without_duplicates),
        cmocka_unit_test(test_persistent_asks_the_pod),
        cmocka_unit_test(test_a_new_pod_with_the_name_ends_the_stream),
        cmocka_unit_test(test_oneshot_error_is_a_value),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
