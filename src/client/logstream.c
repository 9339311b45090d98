/* logstream — the pods/log state machine (see logstream.h).
 *
 * Must not: block, retry without going through the backoff, show a line twice after a
 * resumption, or keep a partial line of a stream that broke (the resumed stream repeats it
 * whole). */
#include "client/logstream.h"
#include "client/apierror.h"
#include "client/lines.h"
#include "client/reflector.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/log.h"
#include "util/rfc3339.h"
#include "util/xalloc.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGSTREAM_MAX_ONESHOT_RESUMES 10
#define LOGSTREAM_STALL_S             120 /* a non-followed read that moves nothing this long */
#define LOGSTREAM_CHECK_TIMEOUT_MS    30000
#define LOGSTREAM_ACCEPT              "application/json, */*"

struct logstream {
    struct http *http; /* borrowed */
    const struct logstream_ops *ops;
    void *ud;
    char *ns, *pod, *container, *uid; /* owned; uid may be NULL */
    struct logstream_opts opts;
    bool persist;

    enum logstream_state state;
    char reason[512];
    long status;
    char api_reason[64];
    struct http_req *req;
    struct lines lines;
    bool want_ts;       /* timestamps were asked for on the current stream */
    bool streamed;      /* the current request delivered a line */
    bool ever_streamed; /* some request did */
    struct logresume resume;
    unsigned failures;
    int64_t retry_at; /* monotonic ms */
    uint64_t nlines;
    unsigned nconnects;
    uint64_t rng;
    bool starting; /* inside logstream_new: no callbacks yet */
};

static void connect_stream(struct logstream *s);

/* ---- resumption bookkeeping ---------------------------------------------------------------- */

static int ts_cmp(int64_t a, int32_t an, int64_t b, int32_t bn)
{
    if (a != b)
        return a < b ? -1 : 1;
    return an < bn ? -1 : an > bn ? 1 : 0;
}

void logresume_note(struct logresume *r, int64_t sec, int32_t nsec)
{
    if (r->have && ts_cmp(sec, nsec, r->sec, r->nsec) == 0) {
        r->same++;
        return;
    }
    r->have = true;
    r->sec = sec;
    r->nsec = nsec;
    r->same = 1;
}

void logresume_begin(struct logresume *r)
{
    r->skipping = r->have;
    r->seen = 0;
}

bool logresume_skip(struct logresume *r, int64_t sec, int32_t nsec)
{
    if (!r->skipping)
        return false;
    int c = ts_cmp(sec, nsec, r->sec, r->nsec);
    if (c < 0)
        return true;
    if (c == 0 && r->seen < r->same) {
        r->seen++;
        return true;
    }
    r->skipping = false;
    return false;
}

bool logstream_parse_ts(const char *s, size_t n, size_t *len, int64_t *sec, int32_t *nsec)
{
    size_t i = 0;
    while (i < n && i < LOGSTREAM_TS_MAX && s[i] != ' ')
        i++;
    if (i < 20 || i >= LOGSTREAM_TS_MAX || (i < n && s[i] != ' '))
        return false;
    char buf[LOGSTREAM_TS_MAX];
    memcpy(buf, s, i);
    buf[i] = '\0';
    if (buf[10] != 'T' || !rfc3339_parse(buf, sec))
        return false;
    int32_t ns = 0;
    if (buf[19] == '.') {
        int digits = 0;
        for (const char *p = buf + 20; *p >= '0' && *p <= '9'; p++)
            if (digits < 9) {
                ns = ns * 10 + (*p - '0');
                digits++;
            }
        for (; digits < 9; digits++)
            ns *= 10;
    }
    *nsec = ns;
    *len = i;
    return true;
}

/* ---- requests ------------------------------------------------------------------------------- */

void logstream_path(const struct logstream_spec *spec, bool timestamps, int64_t resume_from,
                    struct strbuf *out)
{
    const struct logstream_opts *o = &spec->opts;
    strbuf_puts(out, "/api/v1/namespaces/");
    strbuf_put_urlencoded(out, spec->ns);
    strbuf_puts(out, "/pods/");
    strbuf_put_urlencoded(out, spec->pod);
    strbuf_puts(out, "/log");
    char sep = '?';
    if (spec->container && spec->container[0]) {
        strbuf_printf(out, "%ccontainer=", sep);
        strbuf_put_urlencoded(out, spec->container);
        sep = '&';
    }
    if (o->follow) {
        strbuf_printf(out, "%cfollow=true", sep);
        sep = '&';
    }
    if (o->limit_bytes > 0 && !resume_from) {
        strbuf_printf(out, "%climitBytes=%ld", sep, o->limit_bytes);
        sep = '&';
    }
    if (o->previous) {
        strbuf_printf(out, "%cprevious=true", sep);
        sep = '&';
    }
    if (resume_from) {
        char t[RFC3339_LEN];
        rfc3339_format(resume_from, t, sizeof t);
        strbuf_printf(out, "%csinceTime=", sep);
        strbuf_put_urlencoded(out, t);
        sep = '&';
    } else if (o->since_seconds > 0) {
        strbuf_printf(out, "%csinceSeconds=%lld", sep, (long long)o->since_seconds);
        sep = '&';
    } else if (o->since_time > 0) {
        char t[RFC3339_LEN];
        rfc3339_format(o->since_time, t, sizeof t);
        strbuf_printf(out, "%csinceTime=", sep);
        strbuf_put_urlencoded(out, t);
        sep = '&';
    }
    if (o->tail_lines >= 0 && !resume_from) {
        strbuf_printf(out, "%ctailLines=%ld", sep, o->tail_lines);
        sep = '&';
    }
    if (timestamps)
        strbuf_printf(out, "%ctimestamps=true", sep);
}

static void set_state(struct logstream *s, enum logstream_state st, const char *reason)
{
    bool changed = s->state != st || strcmp(s->reason, reason) != 0;
    s->state = st;
    if (reason != s->reason)
        snprintf(s->reason, sizeof s->reason, "%s", reason);
    if (changed && s->ops->on_state && !s->starting)
        s->ops->on_state(s->ud);
}

static uint64_t rng_next(struct logstream *s)
{
    uint64_t x = s->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return s->rng = x;
}

/* Schedules a retry after the backoff (or at once, when `now` and the last stream did well). */
static void backoff(struct logstream *s, const char *reason, bool now)
{
    int64_t d = 0;
    if (!now) {
        s->failures++;
        d = reflector_backoff_base(s->failures);
        d += (int64_t)(rng_next(s) % (uint64_t)(d / 2 + 1));
    }
    s->retry_at = clock_mono_ms() + d;
    log_info("logstream %s/%s: %s; retrying in %lld ms", s->ns, s->pod, reason, (long long)d);
    set_state(s, LOGSTREAM_BACKOFF, reason);
}

static void fail(struct logstream *s, const struct http_response *r, enum logstream_state st)
{
    char msg[512];
    apierror_message(r, msg, sizeof msg);
    apierror_reason(r, s->api_reason, sizeof s->api_reason);
    s->status = r->status;
    set_state(s, st, msg);
}

static void deliver(void *ud, const char *line, size_t len)
{
    struct logstream *s = ud;
    if (s->state != LOGSTREAM_CONNECTING && s->state != LOGSTREAM_STREAMING)
        return;
    struct logline l = {
        .text = line,
        .len = len,
        .ts = "",
        .cut = s->lines.cut,
        .newline = !s->lines.final,
    };
    size_t tl;
    int64_t sec;
    int32_t nsec;
    if (s->want_ts && logstream_parse_ts(line, len, &tl, &sec, &nsec)) {
        if (logresume_skip(&s->resume, sec, nsec))
            return;
        logresume_note(&s->resume, sec, nsec);
        l.ts = line;
        l.ts_len = tl;
        l.sec = sec;
        l.nsec = nsec;
        l.text = line + (tl < len ? tl + 1 : len);
        l.len = tl < len ? len - tl - 1 : 0;
    }
    s->nlines++;
    s->streamed = s->ever_streamed = true;
    if (s->state != LOGSTREAM_STREAMING)
        set_state(s, LOGSTREAM_STREAMING, "");
    s->ops->on_line(s->ud, &l);
}

static void on_data(void *ud, const char *data, size_t n)
{
    struct logstream *s = ud;
    lines_feed(&s->lines, data, n, deliver, s);
}

/* True when the container can write no more: gone, or terminated and not coming back. */
static bool finished_for_good(const cJSON *pod, const char *container)
{
    const cJSON *spec = json_get(pod, "spec"), *status = json_get(pod, "status");
    const char *phase = json_strz(status, "phase");
    if (strcmp(phase, "Succeeded") == 0 || strcmp(phase, "Failed") == 0)
        return true;
    static const char *const lists[] = {"containerStatuses", "initContainerStatuses",
                                        "ephemeralContainerStatuses"};
    const cJSON *st = NULL;
    bool init = false;
    for (size_t i = 0; i < 3 && !st; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, json_get(status, lists[i]))
        {
            if (!container || strcmp(json_strz(c, "name"), container) == 0) {
                st = c;
                init = i == 1;
                break;
            }
        }
    }
    const cJSON *term = json_path(st, "state", "terminated", NULL);
    if (!term)
        return false;
    if (json_get(json_get(pod, "metadata"), "deletionTimestamp"))
        return true;
    const char *policy = json_strz(spec, "restartPolicy");
    int64_t code = json_int(term, "exitCode", 0);
    if (init)
        return code == 0;
    return strcmp(policy, "Never") == 0 || (strcmp(policy, "OnFailure") == 0 && code == 0);
}

static void check_done(void *ud, const struct http_response *r)
{
    struct logstream *s = ud;
    s->req = NULL;
    if (r->error == HTTP_OK && r->status == 404) {
        set_state(s, LOGSTREAM_DONE, "the pod is gone");
        return;
    }
    if (r->error != HTTP_OK || r->status != 200) {
        char msg[512];
        backoff(s, apierror_message(r, msg, sizeof msg), false);
        return;
    }
    cJSON *pod = cJSON_ParseWithLength(r->body, r->body_len);
    bool replaced = pod && s->uid && strcmp(json_strz(json_get(pod, "metadata"), "uid"), s->uid);
    bool done = pod && finished_for_good(pod, s->container);
    cJSON_Delete(pod);
    if (replaced) /* resuming would stream the new pod's lines a second time */
        set_state(s, LOGSTREAM_DONE, "the pod is gone (another took its name)");
    else if (done)
        set_state(s, LOGSTREAM_DONE, "the container has terminated");
    else
        backoff(s, "the log stream ended; waiting for more", s->streamed);
}

static void check_pod(struct logstream *s)
{
    struct strbuf path = {0};
    strbuf_puts(&path, "/api/v1/namespaces/");
    strbuf_put_urlencoded(&path, s->ns);
    strbuf_puts(&path, "/pods/");
    strbuf_put_urlencoded(&path, s->pod);
    struct http_req_spec spec = {.path = strbuf_str(&path),
                                 .timeout_ms = LOGSTREAM_CHECK_TIMEOUT_MS};
    struct err e = {0};
    set_state(s, LOGSTREAM_CHECKING, "");
    s->req = http_send(s->http, &spec, NULL, check_done, s, &e);
    strbuf_free(&path);
    if (!s->req)
        backoff(s, e.msg, false);
}

static void stream_done(void *ud, const struct http_response *r)
{
    struct logstream *s = ud;
    s->req = NULL;
    bool clean = r->error == HTTP_OK && r->status >= 200 && r->status < 300;
    if (clean)
        lines_flush(&s->lines, deliver, s);
    else
        lines_reset(&s->lines); /* a broken line: the resumed stream sends it whole */
    if (s->streamed)
        s->failures = 0;
    bool follow = s->opts.follow && !s->opts.previous;
    char msg[512];
    if (clean) {
        if (r->status == 204 && s->persist && follow)
            backoff(s, "the pod has no node yet", false);
        else if (s->persist && follow)
            check_pod(s);
        else
            set_state(s, LOGSTREAM_DONE, r->status == 204 ? "the pod has no node yet" : "");
        return;
    }
    long st = r->error == HTTP_OK ? r->status : 0;
    bool transient = st == 0 || st == 429 || st >= 500;
    if (r->error != HTTP_OK && r->status >= 200 && r->status < 300)
        snprintf(msg, sizeof msg, "the log stream from %s was lost", http_server(s->http));
    else
        apierror_message(r, msg, sizeof msg);
    if (st == 404) {
        if (s->ever_streamed)
            set_state(s, LOGSTREAM_DONE, "the pod is gone");
        else
            fail(s, r, LOGSTREAM_FAILED);
        return;
    }
    if (s->persist && follow && (transient || st == 400)) {
        s->status = st;
        apierror_reason(r, s->api_reason, sizeof s->api_reason);
        backoff(s, msg, false);
        return;
    }
    if (!s->persist && follow && transient && s->ever_streamed &&
        s->failures < LOGSTREAM_MAX_ONESHOT_RESUMES) {
        backoff(s, msg, false);
        return;
    }
    if (r->error != HTTP_OK && r->status >= 200 && r->status < 300) {
        s->status = 0;
        s->api_reason[0] = '\0';
        set_state(s, LOGSTREAM_FAILED, msg);
        return;
    }
    fail(s, r, LOGSTREAM_FAILED);
}

static void connect_stream(struct logstream *s)
{
    struct logstream_spec spec = {
        .ns = s->ns, .pod = s->pod, .container = s->container, .opts = s->opts};
    /* Timestamps make a followed stream resumable; a byte limit counts them, so head mode only
     * gets them when they were asked for. */
    s->want_ts = s->opts.timestamps || (s->opts.follow && s->opts.limit_bytes <= 0);
    int64_t from = s->ever_streamed && s->resume.have ? s->resume.sec : 0;
    struct strbuf path = {0};
    logstream_path(&spec, s->want_ts, from, &path);
    struct http_req_spec rs = {
        .path = strbuf_str(&path),
        .accept = LOGSTREAM_ACCEPT,
        .stream = true,
        .stall_s = s->opts.follow ? 0 : LOGSTREAM_STALL_S,
    };
    struct err e = {0};
    lines_reset(&s->lines);
    logresume_begin(&s->resume);
    s->streamed = false;
    s->nconnects++;
    set_state(s, LOGSTREAM_CONNECTING, s->state == LOGSTREAM_BACKOFF ? s->reason : "");
    s->req = http_send(s->http, &rs, on_data, stream_done, s, &e);
    strbuf_free(&path);
    if (!s->req) {
        s->status = 0;
        set_state(s, LOGSTREAM_FAILED, e.msg);
    }
}

struct logstream *logstream_new(struct http *http, const struct logstream_spec *spec,
                                const struct logstream_ops *ops, void *ud)
{
    struct logstream *s = xcalloc(1, sizeof *s);
    s->http = http;
    s->ops = ops;
    s->ud = ud;
    s->ns = xstrdup(spec->ns);
    s->pod = xstrdup(spec->pod);
    s->container = spec->container && spec->container[0] ? xstrdup(spec->container) : NULL;
    s->uid = spec->uid && spec->uid[0] ? xstrdup(spec->uid) : NULL;
    s->opts = spec->opts;
    s->persist = spec->persist;
    s->rng = ((uint64_t)clock_mono_ms() << 20) ^ (uint64_t)getpid() ^ (uint64_t)(uintptr_t)s;
    if (!s->rng)
        s->rng = 88172645463325252ULL;
    lines_init_log(&s->lines, spec->max_line);
    s->starting = true;
    connect_stream(s);
    s->starting = false;
    return s;
}

void logstream_free(struct logstream *s)
{
    if (!s)
        return;
    if (s->req)
        http_cancel(s->http, s->req);
    lines_free(&s->lines);
    free(s->ns);
    free(s->pod);
    free(s->uid);
    free(s->container);
    free(s);
}

void logstream_tick(struct logstream *s)
{
    if (s->state == LOGSTREAM_BACKOFF && clock_mono_ms() >= s->retry_at)
        connect_stream(s);
}

int logstream_timeout_ms(const struct logstream *s)
{
    if (s->state != LOGSTREAM_BACKOFF)
        return -1;
    int64_t d = s->retry_at - clock_mono_ms();
    return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

enum logstream_state logstream_state(const struct logstream *s)
{
    return s->state;
}

const char *logstream_reason(const struct logstream *s)
{
    return s->reason;
}

long logstream_status(const struct logstream *s)
{
    return s->status;
}

const char *logstream_api_reason(const struct logstream *s)
{
    return s->api_reason;
}

uint64_t logstream_lines(const struct logstream *s)
{
    return s->nlines;
}

unsigned logstream_connects(const struct logstream *s)
{
    return s->nconnects;
}
