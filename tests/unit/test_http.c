/* http: the read-only guard refuses before any connection is made, for every method and for
 * exec/attach/portforward/eviction/proxy paths; GETs still go out. */
#include "test_util.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "client/http.h"
#include "fakeapi.h"
#include "util/clock.h"

static int listener(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(fd, 16), 0);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    fcntl(fd, F_SETFL, O_NONBLOCK);
    return fd;
}

static int count_connections(int fd)
{
    int n = 0;
    for (;;) {
        int c = accept(fd, NULL, NULL);
        if (c < 0)
            return n;
        close(c);
        n++;
    }
}

static void noop_done(void *ud, const struct http_response *r)
{
    (void)r;
    (*(int *)ud)++;
}

static void test_readonly_refuses_before_connecting(void **state)
{
    (void)state;
    int port;
    int lfd = listener(&port);
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", port);
    struct kube_conn conn = {.server = server};
    struct err e = {0};
    struct http *h = http_new(&conn, &e);
    assert_non_null(h);
    http_set_readonly(h, true);
    static const char *const methods[] = {"POST", "PUT",     "PATCH", "DELETE", "OPTIONS",
                                          "HEAD", "CONNECT", "TRACE", "get",    "Post"};
    int done = 0;
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        struct http_req_spec spec = {.method = methods[i],
                                     .path = "/api/v1/namespaces/x/pods/p",
                                     .body = "{}",
                                     .body_len = 2};
        err_clear(&e);
        assert_null(http_send(h, &spec, NULL, noop_done, &done, &e));
        assert_non_null(strstr(e.msg, "read-only"));
    }
    static const char *const paths[] = {
        "/api/v1/namespaces/x/pods/p/exec?command=sh",
        "/api/v1/namespaces/x/pods/p/attach",
        "/api/v1/namespaces/x/pods/p/portforward?ports=80",
        "/api/v1/namespaces/x/pods/p/eviction",
        "/api/v1/namespaces/x/pods/p/proxy/metrics",
        "/api/v1/namespaces/x/services/s/proxy/",
        "/api/v1/nodes/n/proxy/stats",
    };
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        struct http_req_spec spec = {.path = paths[i]};
        assert_null(http_send(h, &spec, NULL, noop_done, &done, &e));
    }
    assert_int_equal(http_inflight(h), 0);
    http_run(h, 200);
    assert_int_equal(count_connections(lfd), 0); /* not one connection was opened */
    assert_int_equal(done, 0);

    /* Reads still go out, including a pod that happens to be called "exec". */
    struct http_req_spec get = {.path = "/api/v1/namespaces/x/pods/exec", .timeout_ms = 300};
    assert_non_null(http_send(h, &get, NULL, noop_done, &done, &e));
    struct http_req_spec logs = {.path = "/api/v1/namespaces/x/pods/p/log", .timeout_ms = 300};
    assert_non_null(http_send(h, &logs, NULL, noop_done, &done, &e));
    usleep(100000);
    int conns = count_connections(lfd);
    http_run(h, 1000);
    conns += count_connections(lfd);
    assert_true(conns >= 1);
    assert_int_equal(done, 2);

    /* Without read-only, the same write is sent. */
    http_set_readonly(h, false);
    struct http_req_spec del = {
        .method = "DELETE", .path = "/api/v1/namespaces/x/pods/p", .timeout_ms = 300};
    assert_non_null(http_send(h, &del, NULL, noop_done, &done, &e));
    http_run(h, 1000);
    assert_int_equal(done, 3);
    http_free(h);
    close(lfd);
}

static void test_refused_readonly_table(void **state)
{
    (void)state;
    assert_false(http_refused_readonly("GET", "/api/v1/pods"));
    assert_false(http_refused_readonly(NULL, "/apis/apps/v1/namespaces/a/deployments/exec"));
    assert_false(http_refused_readonly("GET", "/api/v1/namespaces/a/pods/p/log?follow=true"));
    assert_true(http_refused_readonly("GET", "/api/v1/namespaces/a/pods/p/exec"));
    assert_true(http_refused_readonly("POST", "/apis/authorization.k8s.io/v1/"
                                              "selfsubjectaccessreviews"));
}

struct result {
    int done;
    enum http_error error;
    long status;
    char msg[512];
};

static void capture_done(void *ud, const struct http_response *r)
{
    struct result *res = ud;
    res->done++;
    res->error = r->error;
    res->status = r->status;
    snprintf(res->msg, sizeof res->msg, "%s", r->message);
}

static void test_connection_refused_message(void **state)
{
    (void)state;
    int port;
    int lfd = listener(&port);
    close(lfd); /* now nothing listens there */
    char server[64], token[] = "s3cret-token";
    snprintf(server, sizeof server, "https://127.0.0.1:%d", port);
    struct kube_conn conn = {.server = server, .token = token};
    struct err e = {0};
    struct http *h = http_new(&conn, &e);
    struct result res = {0};
    struct http_req_spec spec = {.path = "/version"};
    assert_non_null(http_send(h, &spec, NULL, capture_done, &res, &e));
    http_run(h, 5000);
    assert_int_equal(res.done, 1);
    assert_int_equal(res.error, HTTP_ERR_CONNECT);
    assert_int_equal(res.status, 0);
    assert_non_null(strstr(res.msg, "connection refused"));
    assert_non_null(strstr(res.msg, server));
    assert_null(strstr(res.msg, token));
    http_free(h);
}

static struct http *fake_http(struct fakeapi *api)
{
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", fakeapi_port(api));
    struct kube_conn conn = {.server = server};
    struct err e = {0};
    struct http *h = http_new(&conn, &e);
    assert_non_null(h);
    return h;
}

static void test_get_retried_writes_never(void **state)
{
    (void)state;
    static const struct fake_reply script[] = {
        {"GET /api/v1/pods", 429, "Too many requests, please try again later.", false, 0,
         "Retry-After: 1\r\n", false},
        {"GET /api/v1/pods", 0, NULL, false, 0, NULL, false}, /* a reset: nothing comes back */
        {"GET /api/v1/pods", 200, "{\"items\":[]}", false, 0, NULL, false},
        {"POST /api/v1/namespaces/x/pods", 429, "Too many requests, please try again later.", false,
         0, "Retry-After: 1\r\n", false},
        {"DELETE /api/v1/namespaces/x/pods/p", 0, NULL, false, 0, NULL, false},
    };
    struct fakeapi *api = fakeapi_start(script, sizeof script / sizeof script[0]);
    struct http *h = fake_http(api);
    struct result get = {0}, post = {0}, del = {0};
    struct err e = {0};
    struct http_req_spec gs = {.path = "/api/v1/pods"};
    int64_t t0 = clock_mono_ms();
    assert_non_null(http_send(h, &gs, NULL, capture_done, &get, &e));
    http_run(h, 10000);
    assert_int_equal(get.done, 1);
    assert_int_equal(get.status, 200);
    assert_true(clock_mono_ms() - t0 >= 1000); /* Retry-After honoured */
    struct http_req_spec ps = {.method = "POST",
                               .path = "/api/v1/namespaces/x/pods",
                               .body = "{}",
                               .body_len = 2,
                               .content_type = "application/json"};
    assert_non_null(http_send(h, &ps, NULL, capture_done, &post, &e));
    http_run(h, 5000);
    assert_int_equal(post.done, 1);
    assert_int_equal(post.status, 429); /* a write is never retried */
    struct http_req_spec ds = {.method = "DELETE", .path = "/api/v1/namespaces/x/pods/p"};
    assert_non_null(http_send(h, &ds, NULL, capture_done, &del, &e));
    http_run(h, 5000);
    assert_int_equal(del.done, 1);
    assert_int_not_equal(del.error, HTTP_OK);
    assert_int_equal(fakeapi_count(api), 5);
    assert_int_equal(fakeapi_mismatches(api), 0);
    http_free(h);
    fakeapi_stop(api);
}

static void test_rate_limiter_spaces_requests(void **state)
{
    (void)state;
    static struct fake_reply script[6];
    for (size_t i = 0; i < 6; i++)
        script[i] = (struct fake_reply){"GET /version", 200, "{}", false, 0, NULL, false};
    struct fakeapi *api = fakeapi_start(script, 6);
    struct http *h = fake_http(api);
    http_set_rate_limit(h, 10, 1);
    struct result res = {0};
    struct err e = {0};
    struct http_req_spec spec = {.path = "/version"};
    int64_t t0 = clock_mono_ms();
    for (int i = 0; i < 6; i++)
        assert_non_null(http_send(h, &spec, NULL, capture_done, &res, &e));
    http_run(h, 5000);
    int64_t took = clock_mono_ms() - t0;
    assert_int_equal(res.done, 6);
    assert_true(took >= 450); /* 5 waits of 100 ms at 10 requests/s, burst 1 */
    http_free(h);
    fakeapi_stop(api);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_readonly_refuses_before_connecting),
        cmocka_unit_test(test_refused_readonly_table),
        cmocka_unit_test(test_connection_refused_message),
        cmocka_unit_test(test_get_retried_writes_never),
        cmocka_unit_test(test_rate_limiter_spaces_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
