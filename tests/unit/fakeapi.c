/* fakeapi — see fakeapi.h. Test-only code: one thread, blocking sockets, one request per
 * connection (Connection: close), which keeps the script strictly ordered. */
#include "fakeapi.h"
#include "client/http.h"
#include "util/clock.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct fakeapi {
    const struct fake_reply *script;
    size_t n;
    int lfd;
    int port;
    pthread_t thread;
    pthread_mutex_t mu;
    size_t served;
    size_t mismatches;
    char lines[FAKEAPI_MAX][512];
    volatile int stop;
};

static void send_all(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, s, n, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

static void sleep_ms(int ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

static const char *reason_phrase(int status)
{
    switch (status) {
    case 200:
        return "OK";
    case 401:
        return "Unauthorized";
    case 410:
        return "Gone";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

static void serve(struct fakeapi *f, int c)
{
    char req[8192];
    size_t len = 0;
    /* Read the request head (the tests send no bodies that matter). */
    while (len < sizeof req - 1) {
        struct pollfd p = {c, POLLIN, 0};
        if (poll(&p, 1, 2000) <= 0)
            break;
        ssize_t r = recv(c, req + len, sizeof req - 1 - len, 0);
        if (r <= 0)
            break;
        len += (size_t)r;
        req[len] = '\0';
        if (strstr(req, "\r\n\r\n"))
            break;
    }
    req[len] = '\0';
    char *eol = strstr(req, "\r\n");
    if (eol)
        *eol = '\0';
    pthread_mutex_lock(&f->mu);
    size_t i = f->served++;
    if (i < FAKEAPI_MAX) {
        size_t n = strnlen(req, sizeof f->lines[i] - 1);
        memcpy(f->lines[i], req, n);
        f->lines[i][n] = '\0';
    }
    const struct fake_reply *r = i < f->n ? &f->script[i] : NULL;
    if (!r || (r->expect && !strstr(req, r->expect)))
        f->mismatches++;
    pthread_mutex_unlock(&f->mu);
    if (!r || r->status == 0)
        return;
    char head[1024];
    const char *body = r->body ? r->body : "";
    if (r->stream) {
        snprintf(head, sizeof head,
                 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nTransfer-Encoding: "
                 "chunked\r\nConnection: close\r\n%s\r\n",
                 r->status, reason_phrase(r->status), r->headers ? r->headers : "");
        send_all(c, head, strlen(head));
        for (const char *p = body; *p;) {
            const char *nl = strchr(p, '\n');
            size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
            char sz[32];
            snprintf(sz, sizeof sz, "%zx\r\n", n);
            send_all(c, sz, strlen(sz));
            send_all(c, p, n);
            send_all(c, "\r\n", 2);
            p += n;
            sleep_ms(5);
        }
        for (int waited = 0; waited < r->hold_ms && !f->stop; waited += 20)
            sleep_ms(20);
        if (!r->cut)
            send_all(c, "0\r\n\r\n", 5);
    } else {
        snprintf(head, sizeof head,
                 "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                 "Connection: close\r\n%s\r\n",
                 r->status, reason_phrase(r->status), strlen(body), r->headers ? r->headers : "");
        send_all(c, head, strlen(head));
        send_all(c, body, strlen(body));
    }
}

static void *run(void *arg)
{
    struct fakeapi *f = arg;
    while (!f->stop) {
        struct pollfd p = {f->lfd, POLLIN, 0};
        if (poll(&p, 1, 50) <= 0)
            continue;
        int c = accept(f->lfd, NULL, NULL);
        if (c < 0)
            continue;
        serve(f, c);
        shutdown(c, SHUT_RDWR);
        close(c);
    }
    return NULL;
}

struct fakeapi *fakeapi_start(const struct fake_reply *script, size_t n)
{
    struct fakeapi *f = calloc(1, sizeof *f);
    f->script = script;
    f->n = n;
    pthread_mutex_init(&f->mu, NULL);
    f->lfd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(f->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(f->lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(f->lfd, 16) != 0) {
        close(f->lfd);
        free(f);
        return NULL;
    }
    socklen_t alen = sizeof a;
    getsockname(f->lfd, (struct sockaddr *)&a, &alen);
    f->port = ntohs(a.sin_port);
    pthread_create(&f->thread, NULL, run, f);
    return f;
}

int fakeapi_port(const struct fakeapi *f)
{
    return f->port;
}

size_t fakeapi_count(struct fakeapi *f)
{
    pthread_mutex_lock(&f->mu);
    size_t n = f->served;
    pthread_mutex_unlock(&f->mu);
    return n;
}

const char *fakeapi_request(struct fakeapi *f, size_t i, char *buf, size_t n)
{
    pthread_mutex_lock(&f->mu);
    snprintf(buf, n, "%s", i < FAKEAPI_MAX && i < f->served ? f->lines[i] : "");
    pthread_mutex_unlock(&f->mu);
    return buf;
}

size_t fakeapi_mismatches(struct fakeapi *f)
{
    pthread_mutex_lock(&f->mu);
    size_t n = f->mismatches;
    pthread_mutex_unlock(&f->mu);
    return n;
}

void fakeapi_stop(struct fakeapi *f)
{
    f->stop = 1;
    pthread_join(f->thread, NULL);
    close(f->lfd);
    pthread_mutex_destroy(&f->mu);
    free(f);
}

struct http *fakeapi_http(struct fakeapi *f)
{
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", fakeapi_port(f));
    struct kube_conn conn = {.server = server};
    struct err e = {0};
    return http_new(&conn, &e);
}

bool fakeapi_run(struct http *h, long ms, bool (*done)(void *), void (*tick)(void *), void *ud)
{
    int64_t deadline = clock_mono_ms() + ms;
    struct pollfd fds[32];
    while (clock_mono_ms() < deadline) {
        if (tick)
            tick(ud);
        if (done(ud))
            return true;
        size_t n = http_pollfds(h, fds, 32);
        if (n > 32)
            n = 32;
        int t = http_timeout_ms(h);
        if (t < 0 || t > 20)
            t = 20;
        poll(fds, (nfds_t)n, t);
        http_on_poll(h, fds, n);
    }
    return done(ud);
}
