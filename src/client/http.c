/* http — curl multi with socket callbacks; see http.h for the contract.
 *
 * A request moves through: waiting for a credential (an exec plugin is running) → waiting for a
 * slot (the client-side rate limiter, or the delay before a retry) → handed to curl → done. Only
 * the poll loop frees requests (http_sweep), so callbacks may cancel or send freely.
 *
 * Must not: block, follow redirects, log headers or bodies, retry a write, or let a non-GET
 * request out while read-only is on. */
#include "client/http.h"
#include "util/clock.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define HTTP_DEFAULT_MAX_BODY     ((size_t)256 << 20)
#define HTTP_ERROR_BODY_MAX       ((size_t)1 << 20)
#define HTTP_QPS                  50.0 /* client-side rate limit, as k9s sets client-go's */
#define HTTP_BURST                100.0
#define HTTP_MAX_THROTTLE_RETRIES 10 /* client-go retries 429/Retry-After up to 10 times */
#define HTTP_MAX_RESET_RETRIES    3

struct http_sock {
    curl_socket_t fd;
    int what; /* CURL_POLL_IN/OUT/INOUT */
};
VEC_DEFINE(http_socks, struct http_sock)

enum req_state {
    REQ_WAIT_AUTH, /* an exec plugin is fetching the credential */
    REQ_WAIT_SLOT, /* the rate limiter, or a retry delay (ready_at) */
    REQ_ACTIVE,    /* curl has it */
    REQ_DONE,      /* finished or cancelled: freed by http_sweep */
};

struct http_req {
    struct http *h; /* borrowed */
    CURL *easy;     /* owned */
    enum req_state state;
    bool cancelled;
    bool get; /* a GET: the only kind ever retried */
    bool stream;
    bool in_multi;     /* added to the multi handle */
    bool reauthed;     /* already retried once after a 401 */
    unsigned auth_run; /* the plugin run it waits for (0: none started yet) */
    int attempts;
    int64_t ready_at;  /* monotonic ms before which it must not start */
    int64_t stall_ms;  /* > 0: ended as timed out after this long without a byte */
    int64_t last_byte; /* monotonic ms of the last byte (or of the start) */
    uint64_t auth_gen; /* the credential generation it was sent with */
    struct curl_slist *headers;
    char *url;
    char *body;         /* owned copy of the request body */
    struct strbuf resp; /* buffered body */
    char resp_type[128];
    long retry_after;
    char accept[256];
    char content_type[128];
    http_data_fn on_data;
    http_done_fn on_done;
    void *ud;
    char errbuf[CURL_ERROR_SIZE];
    struct http_req *next, *prev; /* FIFO of live requests */
};

struct http {
    CURLM *multi;
    char *server;      /* without a trailing slash */
    struct auth *auth; /* owned: tokens, token files, exec plugins */
    char *username, *password;
    char *ca, *cert, *key;
    size_t ca_len, cert_len, key_len;
    char *proxy;
    struct curl_slist *connect_to; /* tls-server-name: connect to the real host */
    bool insecure;
    bool tls;
    bool readonly;
    bool streaming_refused; /* the server refuses or ignores sendInitialEvents */
    struct http_socks socks;
    int64_t timer_deadline; /* monotonic ms, or -1 */
    int64_t stalled_at;     /* monotonic ms a request last timed out, 0 never */
    unsigned long id;       /* http_id */
    struct http_req *head, *tail;
    int dispatch_depth; /* >0 while inside curl */
    double tokens;      /* rate limiter bucket */
    int64_t tokens_at;  /* monotonic ms of the last refill */
    double qps, burst;
};

static bool curl_ready;

static int http_sock_cb(CURL *easy, curl_socket_t fd, int what, void *userp, void *sockp)
{
    (void)easy;
    (void)sockp;
    struct http *h = userp;
    for (size_t i = 0; i < h->socks.len; i++) {
        if (h->socks.v[i].fd == fd) {
            if (what == CURL_POLL_REMOVE)
                http_socks_remove_swap(&h->socks, i);
            else
                h->socks.v[i].what = what;
            return 0;
        }
    }
    if (what != CURL_POLL_REMOVE)
        *http_socks_push(&h->socks) = (struct http_sock){fd, what};
    return 0;
}

static int http_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct http *h = userp;
    h->timer_deadline = timeout_ms < 0 ? -1 : clock_mono_ms() + timeout_ms;
    return 0;
}

static char *blob_copy(const char *p, size_t n)
{
    if (!p)
        return NULL;
    char *c = xmalloc(n + 1);
    memcpy(c, p, n);
    c[n] = '\0';
    return c;
}

static void wipe_free(char *s)
{
    if (s) {
        volatile char *p = s;
        while (*p)
            *p++ = '\0';
        free(s);
    }
}

/* For tls-server-name: keep the configured name in the URL (so SNI and verification use it)
 * and tell curl to connect to the real host. */
static bool http_server_name(struct http *h, const struct kube_conn *conn, struct err *e)
{
    const char *p = h->server + (h->tls ? 8 : 7);
    const char *end = p + strcspn(p, "/");
    const char *colon = NULL;
    if (*p == '[') {
        const char *rb = memchr(p, ']', (size_t)(end - p));
        if (!rb)
            return err_set(e, "server \"%s\" has a malformed IPv6 address", h->server);
        colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t)(end - p));
    }
    const char *hostend = colon ? colon : end;
    char host[256], port[16];
    size_t hl = (size_t)(hostend - p), pl = colon ? (size_t)(end - colon - 1) : 0;
    if (hl == 0 || hl >= sizeof host || pl >= sizeof port)
        return err_set(e, "server \"%s\" has a malformed host", h->server);
    memcpy(host, p, hl);
    host[hl] = '\0';
    if (colon)
        memcpy(port, colon + 1, pl);
    port[pl] = '\0';
    if (!pl)
        snprintf(port, sizeof port, "%s", h->tls ? "443" : "80");
    char *rule = xasprintf("%s:%s:%s:%s", conn->tls_server_name, port, host, port);
    h->connect_to = curl_slist_append(NULL, rule);
    free(rule);
    char *url = xasprintf("%.*s%s%s%s", (int)(p - h->server), h->server, conn->tls_server_name,
                          colon ? ":" : "", colon ? port : "");
    char *rest = xstrdup(end);
    free(h->server);
    h->server = xasprintf("%s%s", url, rest);
    free(url);
    free(rest);
    return true;
}

struct http *http_new(const struct kube_conn *conn, struct err *e)
{
    if (!curl_ready) {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
            return err_set(e, "cannot initialise libcurl"), NULL;
        curl_ready = true;
    }
    const char *srv = conn->server;
    bool https = strncasecmp(srv, "https://", 8) == 0;
    if (!https && strncasecmp(srv, "http://", 7) != 0)
        return err_set(e, "server \"%s\" is not an http:// or https:// URL", srv), NULL;
    struct http *h = xcalloc(1, sizeof *h);
    static unsigned long ids;
    h->id = ++ids;
    h->multi = curl_multi_init();
    if (!h->multi) {
        free(h);
        return err_set(e, "cannot initialise libcurl"), NULL;
    }
    h->server = xstrdup(srv);
    size_t n = strlen(h->server);
    while (n > 0 && h->server[n - 1] == '/')
        h->server[--n] = '\0';
    h->tls = https;
    h->insecure = conn->insecure;
    h->timer_deadline = -1;
    h->qps = HTTP_QPS;
    h->burst = HTTP_BURST;
    h->tokens = h->burst;
    h->tokens_at = clock_mono_ms();
    h->auth = auth_new(conn);
    /* Credentials go only over TLS, as client-go does. */
    if (https && conn->username) {
        h->username = xstrdup(conn->username);
        h->password = xstrdup(conn->password ? conn->password : "");
    }
    h->ca = blob_copy(conn->ca_pem, conn->ca_len);
    h->ca_len = conn->ca_len;
    h->cert = blob_copy(conn->cert_pem, conn->cert_len);
    h->cert_len = conn->cert_len;
    h->key = blob_copy(conn->key_pem, conn->key_len);
    h->key_len = conn->key_len;
    /* socks5:// resolves the server's name locally in curl; client-go lets the proxy resolve
     * it (a cluster name that only resolves behind the bastion), which curl calls socks5h. */
    if (conn->proxy_url && strncmp(conn->proxy_url, "socks5://", 9) == 0)
        h->proxy = xasprintf("socks5h://%s", conn->proxy_url + 9);
    else
        h->proxy = conn->proxy_url ? xstrdup(conn->proxy_url) : NULL;
    if (conn->tls_server_name && conn->tls_server_name[0] && !http_server_name(h, conn, e)) {
        http_free(h);
        return NULL;
    }
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http_sock_cb);
    curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http_timer_cb);
    curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, h);
    curl_multi_setopt(h->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 32L);
    return h;
}

static void http_req_free(struct http_req *r)
{
    if (r->easy)
        curl_easy_cleanup(r->easy);
    curl_slist_free_all(r->headers);
    free(r->url);
    free(r->body);
    strbuf_free(&r->resp);
    free(r);
}

static void http_unlink(struct http *h, struct http_req *r)
{
    if (r->prev)
        r->prev->next = r->next;
    else
        h->head = r->next;
    if (r->next)
        r->next->prev = r->prev;
    else
        h->tail = r->prev;
    r->next = r->prev = NULL;
}

static void http_detach(struct http *h, struct http_req *r)
{
    if (r->in_multi) {
        curl_multi_remove_handle(h->multi, r->easy);
        r->in_multi = false;
    }
}

/* Frees every finished or cancelled request. Only called where no iteration is in progress. */
static void http_sweep(struct http *h)
{
    for (struct http_req *r = h->head, *next; r; r = next) {
        next = r->next;
        if (r->state == REQ_DONE || r->cancelled) {
            http_detach(h, r);
            http_unlink(h, r);
            http_req_free(r);
        }
    }
}

void http_free(struct http *h)
{
    if (!h)
        return;
    for (struct http_req *r = h->head; r; r = r->next)
        r->state = REQ_DONE;
    http_sweep(h);
    curl_multi_cleanup(h->multi);
    curl_slist_free_all(h->connect_to);
    http_socks_free(&h->socks);
    auth_free(h->auth);
    wipe_free(h->username);
    wipe_free(h->password);
    wipe_free(h->key);
    free(h->cert);
    free(h->ca);
    free(h->proxy);
    free(h->server);
    free(h);
}

void http_set_readonly(struct http *h, bool on)
{
    h->readonly = on;
}

bool http_readonly(const struct http *h)
{
    return h->readonly;
}

void http_set_streaming_refused(struct http *h)
{
    h->streaming_refused = true;
}

bool http_streaming_refused(const struct http *h)
{
    return h->streaming_refused;
}

struct auth *http_auth(struct http *h)
{
    return h->auth;
}

const char *http_server(const struct http *h)
{
    return h->server;
}

void http_set_rate_limit(struct http *h, double qps, double burst)
{
    h->qps = qps > 0 ? qps : HTTP_QPS;
    h->burst = burst >= 1 ? burst : 1;
    if (h->tokens > h->burst)
        h->tokens = h->burst;
}

unsigned long http_id(const struct http *h)
{
    return h->id;
}

bool http_auth_pending(const struct http *h)
{
    return auth_timeout_ms(h->auth) >= 0;
}

bool http_refused_readonly(const char *method, const char *path)
{
    if (method && strcmp(method, "GET") != 0)
        return true;
    /* Subresources that act on a pod or tunnel into the cluster, whatever the method. */
    static const char *const parents[] = {"pods", "services", "nodes"};
    static const char *const subs[] = {"exec", "attach", "portforward", "eviction", "proxy"};
    char seg[3][256] = {{0}};
    size_t nseg = 0;
    const char *p = path;
    while (*p && *p != '?') {
        while (*p == '/')
            p++;
        const char *s = p;
        while (*p && *p != '/' && *p != '?')
            p++;
        size_t len = (size_t)(p - s);
        if (!len)
            break;
        /* A sliding window of the last three segments. */
        memmove(seg[0], seg[1], sizeof seg[0] * 2);
        if (len >= sizeof seg[2])
            len = sizeof seg[2] - 1;
        memcpy(seg[2], s, len);
        seg[2][len] = '\0';
        nseg++;
        if (nseg < 3)
            continue;
        for (size_t i = 0; i < sizeof parents / sizeof parents[0]; i++) {
            if (strcmp(seg[0], parents[i]) != 0)
                continue;
            for (size_t j = 0; j < sizeof subs / sizeof subs[0]; j++)
                if (strcmp(seg[2], subs[j]) == 0)
                    return true;
        }
    }
    return false;
}

static size_t http_header_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct http_req *r = ud;
    size_t len = size * n;
    r->last_byte = clock_mono_ms();
    if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
        /* A new response (e.g. after 100-continue): forget the previous one's headers. */
        r->resp_type[0] = '\0';
        r->retry_after = -1;
    } else if (len > 13 && strncasecmp(buf, "Content-Type:", 13) == 0) {
        size_t i = 13;
        while (i < len && buf[i] == ' ')
            i++;
        size_t end = len;
        while (end > i && (buf[end - 1] == '\r' || buf[end - 1] == '\n'))
            end--;
        size_t m = end - i < sizeof r->resp_type - 1 ? end - i : sizeof r->resp_type - 1;
        memcpy(r->resp_type, buf + i, m);
        r->resp_type[m] = '\0';
    } else if (len > 12 && strncasecmp(buf, "Retry-After:", 12) == 0) {
        char tmp[32];
        size_t m = len - 12 < sizeof tmp - 1 ? len - 12 : sizeof tmp - 1;
        memcpy(tmp, buf + 12, m);
        tmp[m] = '\0';
        char *end;
        long v = strtol(tmp, &end, 10);
        if (end != tmp && v >= 0)
            r->retry_after = v > 3600 ? 3600 : v;
    }
    return len;
}

static size_t http_write_cb(char *buf, size_t size, size_t n, void *ud)
{
    struct http_req *r = ud;
    size_t len = size * n;
    r->last_byte = clock_mono_ms();
    if (r->cancelled)
        return CURL_WRITEFUNC_ERROR;
    long status = 0;
    curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
    if (r->stream && status >= 200 && status < 300) {
        if (r->on_data)
            r->on_data(r->ud, buf, len);
        return r->cancelled ? CURL_WRITEFUNC_ERROR : len;
    }
    if (!strbuf_append(&r->resp, buf, len))
        return CURL_WRITEFUNC_ERROR; /* too large: ends as HTTP_ERR_TOO_LARGE */
    return len;
}

/* Takes a token from the rate limiter; false (and *wait_ms) when there is none yet. */
static bool limiter_take(struct http *h, int64_t now, int64_t *wait_ms)
{
    h->tokens += (double)(now - h->tokens_at) * h->qps / 1000.0;
    h->tokens_at = now;
    if (h->tokens > h->burst)
        h->tokens = h->burst;
    if (h->tokens >= 1.0) {
        h->tokens -= 1.0;
        return true;
    }
    *wait_ms = (int64_t)((1.0 - h->tokens) * 1000.0 / h->qps) + 1;
    return false;
}

/* Puts the current credentials on a request and hands it to curl. */
static void http_arm(struct http *h, struct http_req *r)
{
    CURL *c = r->easy;
    curl_slist_free_all(r->headers);
    r->headers = curl_slist_append(NULL, r->accept);
    r->auth_gen = auth_generation(h->auth);
    if (h->tls) {
        const char *tok = auth_token(h->auth);
        if (tok && tok[0]) {
            struct strbuf hdr;
            strbuf_init(&hdr, 65536);
            strbuf_printf(&hdr, "Authorization: Bearer %s", tok);
            r->headers = curl_slist_append(r->headers, strbuf_str(&hdr));
            volatile char *p = hdr.buf;
            while (p && *p)
                *p++ = '\0';
            strbuf_free(&hdr);
        }
        const char *cert, *key;
        size_t cl, kl;
        auth_client_cert(h->auth, &cert, &cl, &key, &kl);
        if (!cert && h->cert && h->key) {
            cert = h->cert;
            cl = h->cert_len;
            key = h->key;
            kl = h->key_len;
        }
        if (cert && key) {
            struct curl_blob cb = {(void *)(uintptr_t)cert, cl, CURL_BLOB_COPY};
            struct curl_blob kb = {(void *)(uintptr_t)key, kl, CURL_BLOB_COPY};
            curl_easy_setopt(c, CURLOPT_SSLCERT_BLOB, &cb);
            curl_easy_setopt(c, CURLOPT_SSLCERTTYPE, "PEM");
            curl_easy_setopt(c, CURLOPT_SSLKEY_BLOB, &kb);
            curl_easy_setopt(c, CURLOPT_SSLKEYTYPE, "PEM");
        }
    }
    if (r->content_type[0])
        r->headers = curl_slist_append(r->headers, r->content_type);
    r->headers = curl_slist_append(r->headers, "Expect:");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, r->headers);
    r->attempts++;
    r->state = REQ_ACTIVE;
}

static void http_complete_error(struct http_req *r, enum http_error error, const char *message)
{
    r->state = REQ_DONE;
    if (!r->cancelled && r->on_done) {
        struct http_response resp = {
            .error = error, .message = message, .body = "", .content_type = "", .retry_after = -1};
        r->on_done(r->ud, &resp);
    }
}

/* Moves waiting requests forward, in the order they were sent. Must not run inside curl. */
static void http_pump(struct http *h)
{
    int64_t now = clock_mono_ms();
    bool auth_busy = auth_timeout_ms(h->auth) >= 0;
    for (struct http_req *r = h->head; r; r = r->next) {
        if (r->cancelled || r->state == REQ_DONE)
            continue;
        if (r->state == REQ_WAIT_AUTH && !auth_busy) {
            /* The run this request waited for failed: report it rather than run it again
             * (new requests, e.g. after the caller's backoff, will try again). */
            if (r->auth_run && auth_plugin_runs(h->auth) >= r->auth_run && auth_error(h->auth)[0]) {
                http_complete_error(r, HTTP_ERR_AUTH, auth_error(h->auth));
                continue;
            }
            struct err ae = {0};
            enum auth_state as = auth_prepare(h->auth, &ae);
            if (as == AUTH_FAILED) {
                http_complete_error(r, HTTP_ERR_AUTH, ae.msg);
                continue;
            }
            if (as == AUTH_PENDING) {
                r->auth_run = auth_plugin_runs(h->auth);
                auth_busy = true;
                continue;
            }
            r->state = REQ_WAIT_SLOT;
        }
        if (r->state == REQ_WAIT_SLOT && now >= r->ready_at) {
            int64_t wait;
            if (!limiter_take(h, now, &wait)) {
                r->ready_at = now + wait;
                continue;
            }
            http_arm(h, r);
        }
        if (r->state == REQ_ACTIVE && !r->in_multi) {
            r->last_byte = now;
            if (curl_multi_add_handle(h->multi, r->easy) == CURLM_OK)
                r->in_multi = true;
            else
                http_complete_error(r, HTTP_ERR_OTHER, "cannot queue the request");
        }
    }
}

struct http_req *http_send(struct http *h, const struct http_req_spec *spec, http_data_fn on_data,
                           http_done_fn on_done, void *ud, struct err *e)
{
    const char *method = spec->method ? spec->method : "GET";
    if (!spec->path || spec->path[0] != '/')
        return err_set(e, "request path must start with /"), NULL;
    if (h->readonly && http_refused_readonly(method, spec->path))
        return err_set(e, "read-only mode: %s request refused", method), NULL;
    enum auth_state as = AUTH_READY;
    if (h->tls) {
        struct err ae = {0};
        as = auth_prepare(h->auth, &ae);
        if (as == AUTH_FAILED)
            return err_set(e, "%s", ae.msg), NULL;
    }

    struct http_req *r = xcalloc(1, sizeof *r);
    r->h = h;
    r->easy = curl_easy_init();
    if (!r->easy) {
        free(r);
        return err_set(e, "cannot create a request"), NULL;
    }
    r->on_data = on_data;
    r->on_done = on_done;
    r->ud = ud;
    r->stream = spec->stream;
    r->get = strcmp(method, "GET") == 0;
    r->retry_after = -1;
    r->state = as == AUTH_PENDING ? REQ_WAIT_AUTH : REQ_WAIT_SLOT;
    r->auth_run = as == AUTH_PENDING ? auth_plugin_runs(h->auth) : 0;
    strbuf_init(&r->resp, spec->stream ? HTTP_ERROR_BODY_MAX
                                       : (spec->max_body ? spec->max_body : HTTP_DEFAULT_MAX_BODY));
    r->url = xasprintf("%s%s", h->server, spec->path);
    CURL *c = r->easy;
    curl_easy_setopt(c, CURLOPT_URL, r->url);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, h->tls ? "https" : "http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L); /* share one HTTP/2 connection, not open two */
    /* After a request timed out (a watch that went silent), connections older than that
     * moment are not reused: on HTTP/2 every request would otherwise be multiplexed onto the
     * dead connection (it stays open while other streams use it) and time out in turn, for
     * good, since curl closes it only when idle. Connections opened since are fair game. */
    if (h->stalled_at) {
        long age_s = (long)((clock_mono_ms() - h->stalled_at) / 1000);
        curl_easy_setopt(c, CURLOPT_MAXLIFETIME_CONN, age_s > 1 ? age_s : 1L);
    }
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, 30L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, 15L);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "gzip");
    curl_easy_setopt(c, CURLOPT_USERAGENT, "timon/" TIMON_VERSION);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                     spec->connect_timeout_ms ? spec->connect_timeout_ms : 10000L);
    if (spec->timeout_ms)
        curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, spec->timeout_ms);
    /* A stall is watched by timon's own loop (http_check_stalls), not with curl's low-speed
     * check, whose once-a-second timer per watch was most of an idle timon's wakeups. */
    r->stall_ms = spec->stall_s > 0 ? (int64_t)spec->stall_s * 1000 : 0;
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, http_header_cb);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, http_write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(c, CURLOPT_PRIVATE, r);
    if (h->connect_to)
        curl_easy_setopt(c, CURLOPT_CONNECT_TO, h->connect_to);
    if (h->tls) {
        if (h->insecure) {
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
        } else if (h->ca) {
            struct curl_blob blob = {h->ca, h->ca_len, CURL_BLOB_COPY};
            curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
        }
        if (h->username) {
            curl_easy_setopt(c, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
            curl_easy_setopt(c, CURLOPT_USERNAME, h->username);
            curl_easy_setopt(c, CURLOPT_PASSWORD, h->password);
        }
    }
    curl_easy_setopt(c, CURLOPT_PROXY, h->proxy ? h->proxy : "");
    snprintf(r->accept, sizeof r->accept, "Accept: %s",
             spec->accept ? spec->accept : "application/json");
    if (spec->content_type)
        snprintf(r->content_type, sizeof r->content_type, "Content-Type: %s", spec->content_type);
    if (!r->get) {
        curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
        if (spec->body || strcmp(method, "POST") == 0 || strcmp(method, "PUT") == 0 ||
            strcmp(method, "PATCH") == 0) {
            r->body = blob_copy(spec->body ? spec->body : "", spec->body ? spec->body_len : 0);
            curl_easy_setopt(c, CURLOPT_POSTFIELDS, r->body);
            curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE,
                             (curl_off_t)(spec->body ? spec->body_len : 0));
        }
    }
    r->prev = h->tail;
    if (h->tail)
        h->tail->next = r;
    else
        h->head = r;
    h->tail = r;
    /* libcurl forbids adding handles from inside its callbacks: then the poll loop does it. */
    if (h->dispatch_depth == 0)
        http_pump(h);
    log_debug("http: %s %.200s", method, spec->path);
    return r;
}

void http_cancel(struct http *h, struct http_req *r)
{
    if (!r || r->cancelled)
        return;
    r->cancelled = true;
    r->on_data = NULL;
    r->on_done = NULL;
    /* Stop the transfer now unless curl is running; the sweep frees it. */
    if (h->dispatch_depth == 0)
        http_detach(h, r);
}

size_t http_inflight(const struct http *h)
{
    size_t n = 0;
    for (const struct http_req *r = h->head; r; r = r->next)
        n += !r->cancelled && r->state != REQ_DONE;
    return n;
}

size_t http_pollfds(struct http *h, struct pollfd *fds, size_t max)
{
    size_t na =
        h->socks.len < max ? auth_pollfds(h->auth, fds + h->socks.len, max - h->socks.len) : 0;
    for (size_t i = 0; i < h->socks.len && i < max; i++) {
        fds[i].fd = h->socks.v[i].fd;
        fds[i].events = 0;
        fds[i].revents = 0;
        if (h->socks.v[i].what & CURL_POLL_IN)
            fds[i].events |= POLLIN;
        if (h->socks.v[i].what & CURL_POLL_OUT)
            fds[i].events |= POLLOUT;
    }
    return h->socks.len + na;
}

int http_timeout_ms(const struct http *h)
{
    int64_t now = clock_mono_ms();
    int64_t t = -1;
    if (h->timer_deadline >= 0)
        t = h->timer_deadline - now;
    int a = auth_timeout_ms(h->auth);
    if (a >= 0 && (t < 0 || a < t))
        t = a;
    bool stalls = false;
    for (const struct http_req *r = h->head; r; r = r->next) {
        if (r->cancelled)
            continue;
        int64_t d;
        if (r->state == REQ_WAIT_SLOT)
            d = r->ready_at - now;
        else if (r->in_multi && r->stall_ms > 0)
            d = r->last_byte + r->stall_ms - now;
        else
            continue;
        stalls = true;
        if (t < 0 || d < t)
            t = d;
    }
    if (t < 0 && h->timer_deadline < 0 && a < 0 && !stalls)
        return -1;
    return t < 0 ? 0 : t > 60000 ? 60000 : (int)t;
}

static void http_classify(struct http_req *r, CURLcode rc, struct http_response *out, char *msg,
                          size_t msglen)
{
    const char *detail = r->errbuf[0] ? r->errbuf : curl_easy_strerror(rc);
    switch (rc) {
    case CURLE_OK:
        out->error = HTTP_OK;
        msg[0] = '\0';
        return;
    case CURLE_COULDNT_CONNECT:
        out->error = HTTP_ERR_CONNECT;
        snprintf(msg, msglen, "cannot connect to %s: connection refused", r->h->server);
        return;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        out->error = HTTP_ERR_CONNECT;
        snprintf(msg, msglen, "cannot connect to %s: %s", r->h->server, detail);
        return;
    case CURLE_OPERATION_TIMEDOUT:
        out->error = HTTP_ERR_TIMEOUT;
        snprintf(msg, msglen, "request to %s timed out", r->h->server);
        return;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
        out->error = HTTP_ERR_TLS;
        snprintf(msg, msglen, "TLS error talking to %s: certificate or handshake failed (%s)",
                 r->h->server, detail);
        return;
    case CURLE_WRITE_ERROR:
        if (r->resp.overflow) {
            out->error = HTTP_ERR_TOO_LARGE;
            snprintf(msg, msglen, "response from %s too large", r->h->server);
            return;
        }
        break;
    default:
        break;
    }
    out->error = HTTP_ERR_OTHER;
    snprintf(msg, msglen, "connection to %s failed: %s", r->h->server, detail);
}

/* Whether a finished GET should go again, and after how long. Writes never are. */
static bool http_should_retry(struct http_req *r, CURLcode rc, long status, int64_t *delay)
{
    if (!r->get || r->cancelled)
        return false;
    /* Rejected credentials that can be refreshed (exec plugin, token file): once, at once. */
    if (status == 401 && !r->reauthed && auth_refreshable(r->h->auth)) {
        r->reauthed = true;
        *delay = 0;
        return true;
    }
    if (r->stream)
        return false;
    if ((status == 429 || (status >= 500 && r->retry_after >= 0)) &&
        r->attempts <= HTTP_MAX_THROTTLE_RETRIES) {
        *delay = (r->retry_after > 0 ? r->retry_after : 1) * 1000;
        return true;
    }
    /* A connection reset or a response cut short: client-go retries GETs on these. */
    if ((rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR || rc == CURLE_GOT_NOTHING ||
         rc == CURLE_PARTIAL_FILE) &&
        r->attempts <= HTTP_MAX_RESET_RETRIES) {
        *delay = 200LL << (r->attempts - 1);
        return true;
    }
    return false;
}

/* Finishes every completed transfer: retries what deserves it, reports the rest. */
static void http_reap(struct http *h)
{
    CURLMsg *m;
    int left;
    while ((m = curl_multi_info_read(h->multi, &left))) {
        if (m->msg != CURLMSG_DONE)
            continue;
        struct http_req *r = NULL;
        curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&r);
        CURLcode rc = m->data.result;
        if (rc == CURLE_OPERATION_TIMEDOUT)
            h->stalled_at = clock_mono_ms(); /* its connection may be dead: see http_setup */
        http_detach(h, r);
        long status = 0;
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
        if (status == 401)
            auth_rejected(h->auth, r->auth_gen);
        int64_t delay;
        if (http_should_retry(r, rc, status, &delay)) {
            log_info("http: retrying GET (attempt %d) in %lld ms after %s", r->attempts + 1,
                     (long long)delay, status ? "an HTTP error" : "a connection error");
            strbuf_reset(&r->resp);
            r->errbuf[0] = '\0';
            r->state = status == 401 ? REQ_WAIT_AUTH : REQ_WAIT_SLOT;
            r->auth_run = 0;
            r->ready_at = clock_mono_ms() + delay;
            continue;
        }
        r->state = REQ_DONE;
        if (!r->cancelled && r->on_done) {
            struct http_response resp = {0};
            char msg[CURL_ERROR_SIZE + 256];
            http_classify(r, rc, &resp, msg, sizeof msg);
            resp.status = status;
            if (resp.error != HTTP_OK && resp.error != HTTP_ERR_TIMEOUT &&
                resp.error != HTTP_ERR_OTHER)
                resp.status = 0;
            resp.message = msg;
            resp.body = strbuf_str(&r->resp);
            resp.body_len = r->resp.len;
            resp.content_type = r->resp_type;
            resp.retry_after = r->retry_after;
            resp.body_owner = &r->resp;
            r->on_done(r->ud, &resp);
        }
    }
}

/* Ends the transfers that went silent for longer than their stall time, as timed out (what
 * curl's low-speed check reported): their connection is suspect, so later requests do not
 * reuse it (stalled_at). */
static void http_check_stalls(struct http *h)
{
    int64_t now = clock_mono_ms();
    for (struct http_req *r = h->head; r; r = r->next) {
        if (r->cancelled || r->state == REQ_DONE || !r->in_multi || r->stall_ms <= 0 ||
            now - r->last_byte < r->stall_ms)
            continue;
        h->stalled_at = now;
        long status = 0;
        curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
        http_detach(h, r);
        r->state = REQ_DONE;
        if (r->on_done) {
            char msg[300];
            snprintf(msg, sizeof msg, "request to %s timed out", h->server);
            struct http_response resp = {.error = HTTP_ERR_TIMEOUT,
                                         .status = status,
                                         .message = msg,
                                         .body = strbuf_str(&r->resp),
                                         .body_len = r->resp.len,
                                         .content_type = r->resp_type,
                                         .retry_after = -1,
                                         .body_owner = &r->resp};
            r->on_done(r->ud, &resp);
        }
    }
}

void http_on_poll(struct http *h, const struct pollfd *fds, size_t n)
{
    int running;
    auth_on_poll(h->auth, fds, n);
    h->dispatch_depth++;
    for (size_t i = 0; i < n; i++) {
        if (!fds[i].revents)
            continue;
        bool ours = false;
        for (size_t j = 0; j < h->socks.len && !ours; j++)
            ours = h->socks.v[j].fd == fds[i].fd;
        if (!ours)
            continue;
        int ev = 0;
        if (fds[i].revents & (POLLIN | POLLHUP))
            ev |= CURL_CSELECT_IN;
        if (fds[i].revents & POLLOUT)
            ev |= CURL_CSELECT_OUT;
        if (fds[i].revents & (POLLERR | POLLNVAL))
            ev |= CURL_CSELECT_ERR;
        curl_multi_socket_action(h->multi, fds[i].fd, ev, &running);
    }
    if (h->timer_deadline >= 0 && clock_mono_ms() >= h->timer_deadline) {
        h->timer_deadline = -1;
        curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
    }
    h->dispatch_depth--;
    http_reap(h);
    http_check_stalls(h);
    http_pump(h);
    http_sweep(h);
}

bool http_run(struct http *h, long timeout_ms)
{
    int64_t deadline = timeout_ms > 0 ? clock_mono_ms() + timeout_ms : -1;
    struct pollfd fds[64];
    while (http_inflight(h) > 0) {
        int64_t now = clock_mono_ms();
        if (deadline >= 0 && now >= deadline)
            return false;
        size_t n = http_pollfds(h, fds, 64);
        if (n > 64)
            n = 64;
        int t = http_timeout_ms(h);
        if (t < 0 || t > 1000)
            t = 1000;
        if (deadline >= 0 && deadline - now < t)
            t = (int)(deadline - now);
        if (poll(fds, (nfds_t)n, t) < 0)
            continue; /* EINTR */
        http_on_poll(h, fds, n);
    }
    return true;
}
