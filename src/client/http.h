/* http — every request timon sends, on the curl multi interface, driven by the app's poll().
 *
 * One `struct http` per cluster connection (a kube_conn): TLS material, credentials, keep-alive
 * and HTTP/2 where offered. Requests never block: http_send queues, the app polls the fds from
 * http_pollfds and calls http_on_poll, which runs the callbacks. Redirects are never followed.
 * A client-side token bucket spaces requests out; GETs (never writes) are retried on 429 or a 5xx
 * with Retry-After (honouring it, up to 10 times) and on a connection reset (up to 3 times).
 *
 * The read-only guard lives here: when read-only is on, http_send refuses every method but GET,
 * and every exec, attach, port-forward, eviction or proxy request, before a handle exists and
 * before a byte is written. Nothing here logs a header value or a body. */
#ifndef TIMON_CLIENT_HTTP_H
#define TIMON_CLIENT_HTTP_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/auth.h"
#include "client/kubeconfig.h"
#include "util/err.h"
#include "util/strbuf.h"

struct http;
struct http_req;

enum http_error {
    HTTP_OK = 0,        /* a response arrived (any status) */
    HTTP_ERR_CONNECT,   /* refused, unreachable, DNS */
    HTTP_ERR_TLS,       /* handshake or certificate verification */
    HTTP_ERR_TIMEOUT,   /* connect or transfer deadline, or a stalled stream */
    HTTP_ERR_TOO_LARGE, /* the body passed max_body */
    HTTP_ERR_AUTH,      /* no credential could be obtained (an exec plugin failed) */
    HTTP_ERR_OTHER,     /* anything else: protocol errors, a closed connection */
};

struct http_req_spec {
    const char *method;       /* NULL means GET */
    const char *path;         /* path plus query, appended to the server URL (and its prefix) */
    const char *accept;       /* NULL means application/json */
    const char *content_type; /* for bodies */
    const char *body;         /* borrowed; copied by http_send */
    size_t body_len;
    long timeout_ms;         /* whole-transfer deadline; 0 for none */
    long connect_timeout_ms; /* 0 means 10 s */
    long stall_s;            /* abort a transfer that moves no byte for this long; 0 for none */
    size_t max_body;         /* cap on a buffered body; 0 means 256 MiB */
    bool stream;             /* 2xx bodies go to on_data as they arrive, unbuffered */
};

struct http_response {
    enum http_error error;
    long status;         /* HTTP status; 0 when no response arrived */
    const char *message; /* one line for transport errors; "" otherwise */
    const char *body;    /* buffered body (error bodies of streams too); never NULL */
    size_t body_len;
    const char *content_type;  /* "" when absent */
    long retry_after;          /* seconds from Retry-After, or -1 */
    struct strbuf *body_owner; /* the callback may strbuf_take() the body (not read it after) */
};

/* Streamed bytes of a 2xx response. Must not call http_free. */
typedef void (*http_data_fn)(void *ud, const char *data, size_t n);
/* The end of a request. The response and its body are valid only during the call. The request
 * is freed right after; the callback may send new requests. */
typedef void (*http_done_fn)(void *ud, const struct http_response *r);

/* Builds a connection from a resolved kubeconfig context (copies what it needs). */
struct http *http_new(const struct kube_conn *conn, struct err *e);
void http_free(struct http *h);

void http_set_readonly(struct http *h, bool on);
bool http_readonly(const struct http *h);
/* The client-side rate limit (a token bucket, as client-go's): default 50 requests/s, burst 100. */
void http_set_rate_limit(struct http *h, double qps, double burst);
/* True when read-only mode would refuse this method and path. */
bool http_refused_readonly(const char *method, const char *path);
/* Streaming lists (watches with sendInitialEvents): the first reflector to find that the server
 * refuses or ignores them notes it here, and the others on this connection list with LIST. */
void http_set_streaming_refused(struct http *h);
bool http_streaming_refused(const struct http *h);
/* The connection's credentials (borrowed), e.g. to install terminal hooks. */
struct auth *http_auth(struct http *h);
/* The server URL the connection was made for (borrowed). */
const char *http_server(const struct http *h);
/* This client's identity: no two clients of one process share it (a target pinned on one is
 * refused by any other, see target.h). */
unsigned long http_id(const struct http *h);
/* Whether a credential plugin is running (requests wait for it, under its own timeout). */
bool http_auth_pending(const struct http *h);

/* Starts a request. Returns NULL with e set when it cannot start (read-only refusal, bad
 * spec); then no callback will run. */
struct http_req *http_send(struct http *h, const struct http_req_spec *spec, http_data_fn on_data,
                           http_done_fn on_done, void *ud, struct err *e);
/* Abandons a request; its on_done is not called. Safe from inside a callback. */
void http_cancel(struct http *h, struct http_req *r);
size_t http_inflight(const struct http *h);

/* poll() integration: fills up to max pollfds (returns how many are needed), and the time in ms
 * until curl needs a call (-1: none). */
size_t http_pollfds(struct http *h, struct pollfd *fds, size_t max);
int http_timeout_ms(const struct http *h);
/* Hands poll()'s results for this connection's fds to curl, fires expired timers, and runs the
 * callbacks of finished requests. fds may include fds that are not curl's. */
void http_on_poll(struct http *h, const struct pollfd *fds, size_t n);
/* Runs the loop until no request is in flight or timeout_ms passes (one-shot commands). */
bool http_run(struct http *h, long timeout_ms);

#endif
