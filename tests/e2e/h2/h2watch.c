/* h2watch — two reflectors (pods and services) against one server for a number of seconds,
 * printing each state change: what test_http2.py drives through a proxy that goes silent, to
 * see the watches leave the dead HTTP/2 connection. Uses timon's client as the TUI does.
 * Usage: h2watch PORT SECONDS */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>

#include "client/http.h"
#include "client/reflector.h"
#include "util/clock.h"

struct watcher {
    struct reflector *r;
    const char *name;
    int64_t t0;
};

static void on_list(void *ud, bool begin)
{
    (void)ud;
    (void)begin;
}

static void on_object(void *ud, enum reflector_op op, const cJSON *o)
{
    (void)ud;
    (void)op;
    (void)o;
}

static void on_state(void *ud)
{
    const struct watcher *w = ud;
    printf("%.2f %s %s %s\n", (double)(clock_mono_ms() - w->t0) / 1000.0, w->name,
           reflector_state(w->r) == REFLECTOR_WATCHING ? "watching" : "other",
           reflector_reason(w->r));
    fflush(stdout);
}

static const struct reflector_ops ops = {
    .on_list = on_list, .on_object = on_object, .on_state = on_state};

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: h2watch PORT SECONDS\n");
        return 2;
    }
    char server[64];
    snprintf(server, sizeof server, "https://127.0.0.1:%d", atoi(argv[1]));
    int64_t secs = atoi(argv[2]);
    struct kube_conn conn = {.server = server, .insecure = true};
    struct err e = {0};
    struct http *h = http_new(&conn, &e);
    if (!h) {
        fprintf(stderr, "h2watch: %s\n", e.msg);
        return 1;
    }
    int64_t t0 = clock_mono_ms();
    struct watcher pods = {.name = "pods", .t0 = t0}, svcs = {.name = "services", .t0 = t0};
    struct reflector_spec ps = {.path = "/api/v1/namespaces/x/pods"};
    struct reflector_spec ss = {.path = "/api/v1/namespaces/x/services"};
    pods.r = reflector_new(h, &ps, &ops, &pods);
    svcs.r = reflector_new(h, &ss, &ops, &svcs);
    reflector_start(pods.r);
    reflector_start(svcs.r);
    struct pollfd fds[64];
    while (clock_mono_ms() - t0 < secs * 1000) {
        reflector_tick(pods.r);
        reflector_tick(svcs.r);
        size_t n = http_pollfds(h, fds, 64);
        if (n > 64)
            n = 64;
        int t = http_timeout_ms(h);
        poll(fds, (nfds_t)n, t < 0 || t > 50 ? 50 : t);
        http_on_poll(h, fds, n);
    }
    printf("watches: pods=%u services=%u\n", reflector_watches(pods.r),
           reflector_watches(svcs.r));
    reflector_free(pods.r);
    reflector_free(svcs.r);
    http_free(h);
    return 0;
}
