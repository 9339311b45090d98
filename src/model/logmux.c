/* logmux — pods in, streams out, lines into one buffer (see logmux.h).
 *
 * Must not: free a stream from its own callback (departed pods' streams go in logmux_tick), or
 * open more than LOGMUX_MAX_STREAMS streams. */
#include "model/logmux.h"
#include "client/logstream.h"
#include "client/reflector.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_CONTAINER "kubectl.kubernetes.io/default-container"

struct mux_pod {
    char *uid, *name;              /* owned */
    char **names;                  /* owned: regular, then init, then ephemeral containers */
    struct logmux_choice *choices; /* owned array; names borrowed from `names` */
    size_t n;
    size_t def; /* the default container's index */
    bool seen;  /* in the list being received */
    bool gone;
};

struct mux_stream {
    struct logmux *m;
    struct logstream *ls;      /* owned */
    char *pod_uid, *container; /* owned */
    uint16_t src;
};

struct logmux {
    struct http *http;                     /* borrowed */
    char *ns, *pod, *selector, *container; /* owned */
    enum logmux_containers mode;
    bool previous;
    enum logmux_window window;
    struct reflector *refl; /* owned */
    struct logbuf buf;
    struct mux_pod **pods;
    size_t npods;
    struct mux_stream **streams;
    size_t nstreams;
    bool capped; /* a stream was not opened: LOGMUX_MAX_STREAMS */
    bool listed; /* the pod list arrived at least once */
    uint64_t version;
};

static const char *const window_names[LOGMUX_NWINDOWS] = {"tail", "head", "1m", "5m",
                                                          "15m",  "30m",  "1h"};
static const int64_t window_secs[LOGMUX_NWINDOWS] = {0, 0, 60, 300, 900, 1800, 3600};

const char *logmux_window_name(enum logmux_window w)
{
    return w < LOGMUX_NWINDOWS ? window_names[w] : "";
}

/* ---- streams -------------------------------------------------------------------------------- */

static void on_line(void *ud, const struct logline *l)
{
    struct mux_stream *st = ud;
    logbuf_append(&st->m->buf, st->src, l->ts, l->ts_len, l->sec, l->nsec, l->text, l->len, l->cut);
}

static void on_stream_state(void *ud)
{
    struct mux_stream *st = ud;
    st->m->version++;
}

static const struct logstream_ops stream_ops = {on_line, on_stream_state};

static struct logstream_opts window_opts(const struct logmux *m)
{
    struct logstream_opts o = {.timestamps = true, .tail_lines = -1, .previous = m->previous};
    bool follow = !m->previous;
    switch (m->window) {
    case LOGMUX_TAIL:
        o.tail_lines = LOGMUX_TAIL_LINES;
        break;
    case LOGMUX_HEAD:
        o.limit_bytes = LOGMUX_HEAD_BYTES;
        follow = false;
        break;
    default:
        o.since_seconds = window_secs[m->window];
        break;
    }
    o.follow = follow;
    return o;
}

static bool many_pods(const struct logmux *m)
{
    return !m->pod;
}

bool logmux_prefixed(const struct logmux *m)
{
    return many_pods(m) || m->mode == LOGMUX_ALL;
}

static bool has_stream(const struct logmux *m, const struct mux_pod *p, const char *c)
{
    for (size_t i = 0; i < m->nstreams; i++)
        if (strcmp(m->streams[i]->pod_uid, p->uid) == 0 && strcmp(m->streams[i]->container, c) == 0)
            return true;
    return false;
}

static void start_stream(struct logmux *m, const struct mux_pod *p, const char *c)
{
    if (has_stream(m, p, c))
        return;
    if (m->nstreams == LOGMUX_MAX_STREAMS) {
        m->capped = true;
        return;
    }
    struct strbuf src = {0};
    if (many_pods(m) && m->mode == LOGMUX_ALL)
        strbuf_printf(&src, "%s/%s", p->name, c);
    else
        strbuf_puts(&src, many_pods(m) ? p->name : c);
    struct mux_stream *st = xcalloc(1, sizeof *st);
    st->m = m;
    st->pod_uid = xstrdup(p->uid);
    st->container = xstrdup(c);
    st->src = logbuf_source(&m->buf, strbuf_str(&src));
    strbuf_free(&src);
    struct logstream_spec spec = {
        .ns = m->ns,
        .pod = p->name,
        .container = c,
        .uid = p->uid,
        .opts = window_opts(m),
        .persist = true,
        .max_line = m->buf.max_line,
    };
    st->ls = logstream_new(m->http, &spec, &stream_ops, st);
    m->streams = xrealloc(m->streams, (m->nstreams + 1) * sizeof *m->streams);
    m->streams[m->nstreams++] = st;
    m->version++;
}

static void free_stream(struct mux_stream *st)
{
    logstream_free(st->ls);
    free(st->pod_uid);
    free(st->container);
    free(st);
}

/* Opens the streams a pod should have and does not. */
static void ensure_streams(struct logmux *m, struct mux_pod *p)
{
    if (p->gone || p->n == 0)
        return;
    if (m->mode == LOGMUX_PICK && p->n == 1) {
        m->mode = LOGMUX_ONE;
        m->container = xstrdup(p->names[0]);
    }
    switch (m->mode) {
    case LOGMUX_PICK:
        break;
    case LOGMUX_ONE:
        start_stream(m, p, m->container);
        break;
    case LOGMUX_ALL:
        for (size_t i = 0; i < p->n; i++)
            start_stream(m, p, p->names[i]);
        break;
    case LOGMUX_DEFAULT:
        start_stream(m, p, p->names[p->def]);
        break;
    }
}

/* ---- pods ----------------------------------------------------------------------------------- */

static void free_pod(struct mux_pod *p)
{
    for (size_t i = 0; i < p->n; i++)
        free(p->names[i]);
    free(p->names);
    free(p->choices);
    free(p->uid);
    free(p->name);
    free(p);
}

static struct mux_pod *find_pod(const struct logmux *m, const char *uid)
{
    for (size_t i = 0; i < m->npods; i++)
        if (strcmp(m->pods[i]->uid, uid) == 0)
            return m->pods[i];
    return NULL;
}

static struct mux_pod *new_pod(struct logmux *m, const cJSON *pod, const char *uid)
{
    const cJSON *meta = json_get(pod, "metadata"), *spec = json_get(pod, "spec");
    struct mux_pod *p = xcalloc(1, sizeof *p);
    p->uid = xstrdup(uid);
    p->name = xstrdup(json_strz(meta, "name"));
    static const struct {
        const char *list, *kind;
    } lists[] = {{"containers", "regular"},
                 {"initContainers", "init"},
                 {"ephemeralContainers", "ephemeral"}};
    size_t total = 0;
    for (size_t i = 0; i < 3; i++)
        total += (size_t)json_len(json_get(spec, lists[i].list));
    p->names = xcalloc(total ? total : 1, sizeof *p->names);
    p->choices = xcalloc(total ? total : 1, sizeof *p->choices);
    for (size_t i = 0; i < 3; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, json_get(spec, lists[i].list))
        {
            const char *name = json_str(c, "name");
            if (!name || !name[0] || p->n == total)
                continue;
            p->names[p->n] = xstrdup(name);
            p->choices[p->n].name = p->names[p->n];
            p->choices[p->n].kind = lists[i].kind;
            p->n++;
        }
    }
    const char *def = json_str(json_get(meta, "annotations"), DEFAULT_CONTAINER);
    for (size_t i = 0; def && i < p->n; i++)
        if (strcmp(p->names[i], def) == 0)
            p->def = i;
    m->pods = xrealloc(m->pods, (m->npods + 1) * sizeof *m->pods);
    m->pods[m->npods++] = p;
    return p;
}

static void on_list(void *ud, bool begin)
{
    struct logmux *m = ud;
    for (size_t i = 0; i < m->npods; i++) {
        if (begin)
            m->pods[i]->seen = false;
        else if (!m->pods[i]->seen)
            m->pods[i]->gone = true;
    }
    if (!begin)
        m->listed = true;
    m->version++;
}

static void on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    struct logmux *m = ud;
    const char *uid = json_str(json_get(obj, "metadata"), "uid");
    if (!uid || !uid[0])
        return;
    struct mux_pod *p = find_pod(m, uid);
    if (op == REFLECTOR_DELETE) {
        if (p)
            p->gone = true;
        m->version++;
        return;
    }
    if (!p)
        p = new_pod(m, obj, uid);
    p->seen = true;
    p->gone = false;
    ensure_streams(m, p);
    m->version++;
}

static void on_refl_state(void *ud)
{
    struct logmux *m = ud;
    m->version++;
}

static const struct reflector_ops pod_ops = {on_list, on_object, on_refl_state, NULL};

/* ---- the mux -------------------------------------------------------------------------------- */

struct logmux *logmux_new(struct http *http, const struct logmux_spec *spec)
{
    struct logmux *m = xcalloc(1, sizeof *m);
    m->http = http;
    m->ns = xstrdup(spec->ns);
    m->pod = spec->pod ? xstrdup(spec->pod) : NULL;
    m->selector = spec->selector && !spec->pod ? xstrdup(spec->selector) : NULL;
    m->mode = spec->containers;
    if (m->mode == LOGMUX_ONE && !(spec->container && spec->container[0]))
        m->mode = m->pod ? LOGMUX_PICK : LOGMUX_DEFAULT;
    if (m->mode == LOGMUX_PICK && !m->pod)
        m->mode = LOGMUX_DEFAULT;
    m->container = m->mode == LOGMUX_ONE ? xstrdup(spec->container) : NULL;
    m->previous = spec->previous;
    m->window = spec->window < LOGMUX_NWINDOWS ? spec->window : LOGMUX_TAIL;
    logbuf_init(&m->buf, spec->max_lines, spec->max_bytes, spec->max_line);
    struct strbuf path = {0}, fsel = {0};
    strbuf_puts(&path, "/api/v1/namespaces/");
    strbuf_put_urlencoded(&path, m->ns);
    strbuf_puts(&path, "/pods");
    if (m->pod)
        strbuf_printf(&fsel, "metadata.name=%s", m->pod);
    struct reflector_spec rs = {
        .path = strbuf_str(&path),
        .label_selector = m->selector,
        .field_selector = m->pod ? strbuf_str(&fsel) : NULL,
    };
    m->refl = reflector_new(http, &rs, &pod_ops, m);
    strbuf_free(&path);
    strbuf_free(&fsel);
    reflector_start(m->refl);
    return m;
}

static void free_streams(struct logmux *m)
{
    for (size_t i = 0; i < m->nstreams; i++)
        free_stream(m->streams[i]);
    m->nstreams = 0;
    m->capped = false;
}

void logmux_free(struct logmux *m)
{
    if (!m)
        return;
    reflector_free(m->refl);
    free_streams(m);
    free(m->streams);
    for (size_t i = 0; i < m->npods; i++)
        free_pod(m->pods[i]);
    free(m->pods);
    logbuf_free(&m->buf);
    free(m->ns);
    free(m->pod);
    free(m->selector);
    free(m->container);
    free(m);
}

static bool ended(const struct mux_stream *st)
{
    enum logstream_state s = logstream_state(st->ls);
    return s == LOGSTREAM_DONE || s == LOGSTREAM_FAILED;
}

void logmux_tick(struct logmux *m)
{
    reflector_tick(m->refl);
    for (size_t i = 0; i < m->nstreams; i++)
        logstream_tick(m->streams[i]->ls);
    /* Departed pods: their streams go once they have ended, then the pods. */
    size_t keep = 0;
    for (size_t i = 0; i < m->nstreams; i++) {
        struct mux_stream *st = m->streams[i];
        const struct mux_pod *p = find_pod(m, st->pod_uid);
        if ((!p || p->gone) && ended(st)) {
            free_stream(st);
            m->version++;
        } else {
            m->streams[keep++] = st;
        }
    }
    m->nstreams = keep;
    keep = 0;
    for (size_t i = 0; i < m->npods; i++) {
        struct mux_pod *p = m->pods[i];
        bool streamed = false;
        for (size_t j = 0; j < m->nstreams && !streamed; j++)
            streamed = strcmp(m->streams[j]->pod_uid, p->uid) == 0;
        if (p->gone && !streamed && many_pods(m))
            free_pod(p);
        else
            m->pods[keep++] = p;
    }
    m->npods = keep;
}

int logmux_timeout_ms(const struct logmux *m)
{
    int t = reflector_timeout_ms(m->refl);
    for (size_t i = 0; i < m->nstreams; i++) {
        int s = logstream_timeout_ms(m->streams[i]->ls);
        if (s >= 0 && (t < 0 || s < t))
            t = s;
    }
    return t;
}

struct logbuf *logmux_buf(struct logmux *m)
{
    return &m->buf;
}

uint64_t logmux_version(const struct logmux *m)
{
    return m->version;
}

static struct mux_pod *the_pod(const struct logmux *m)
{
    for (size_t i = 0; i < m->npods; i++)
        if (!m->pods[i]->gone)
            return m->pods[i];
    return NULL;
}

bool logmux_choices(const struct logmux *m, const struct logmux_choice **list, size_t *n,
                    size_t *def)
{
    const struct mux_pod *p = the_pod(m);
    if (m->mode != LOGMUX_PICK || !p || p->n < 2)
        return false;
    *list = p->choices;
    *n = p->n;
    *def = p->def;
    return true;
}

void logmux_choose(struct logmux *m, const char *container)
{
    if (m->mode != LOGMUX_PICK)
        return;
    m->mode = container ? LOGMUX_ONE : LOGMUX_ALL;
    m->container = container ? xstrdup(container) : NULL;
    for (size_t i = 0; i < m->npods; i++)
        ensure_streams(m, m->pods[i]);
    m->version++;
}

void logmux_set_window(struct logmux *m, enum logmux_window w)
{
    if (w >= LOGMUX_NWINDOWS)
        return;
    m->window = w;
    free_streams(m);
    logbuf_clear(&m->buf);
    for (size_t i = 0; i < m->npods; i++)
        ensure_streams(m, m->pods[i]);
    m->version++;
}

enum logmux_window logmux_window(const struct logmux *m)
{
    return m->window;
}

size_t logmux_streams(const struct logmux *m)
{
    return m->nstreams;
}

static bool stream_status(const struct logstream *ls, char *buf, size_t n)
{
    const char *reason = logstream_reason(ls);
    switch (logstream_state(ls)) {
    case LOGSTREAM_STREAMING:
        snprintf(buf, n, "streaming");
        return true;
    case LOGSTREAM_IDLE:
    case LOGSTREAM_CONNECTING:
    case LOGSTREAM_CHECKING:
        /* A quiet container's stream stays here until its first line. */
        snprintf(buf, n, "%s%s", reason[0] ? "reconnecting: " : "waiting for lines", reason);
        return !reason[0];
    case LOGSTREAM_BACKOFF: {
        int ms = logstream_timeout_ms(ls);
        snprintf(buf, n, "retrying in %ds: %s", (ms + 999) / 1000, reason);
        return false;
    }
    case LOGSTREAM_DONE:
        snprintf(buf, n, "ended%s%s", reason[0] ? ": " : "", reason);
        return true;
    default:
        snprintf(buf, n, "failed: %s", reason);
        return false;
    }
}

bool logmux_status(const struct logmux *m, char *buf, size_t n)
{
    enum reflector_state rs = reflector_state(m->refl);
    if (rs == REFLECTOR_BACKOFF || (rs == REFLECTOR_LISTING && reflector_reason(m->refl)[0])) {
        snprintf(buf, n, "pods: %s", reflector_reason(m->refl));
        return false;
    }
    const struct logmux_choice *list;
    size_t nc, def;
    if (logmux_choices(m, &list, &nc, &def)) {
        snprintf(buf, n, "choose a container");
        return true;
    }
    if (m->nstreams == 0) {
        if (!m->listed)
            snprintf(buf, n, "loading...");
        else if (m->pod)
            snprintf(buf, n, the_pod(m) ? "no container" : "the pod is gone");
        else
            snprintf(buf, n, "no pods match %s", m->selector ? m->selector : "");
        return m->listed && !m->pod;
    }
    if (m->nstreams == 1) {
        bool ok = stream_status(m->streams[0]->ls, buf, n);
        return ok;
    }
    size_t live = 0;
    const struct logstream *bad = NULL;
    for (size_t i = 0; i < m->nstreams; i++) {
        enum logstream_state s = logstream_state(m->streams[i]->ls);
        if (s == LOGSTREAM_STREAMING || s == LOGSTREAM_CONNECTING)
            live++;
        else if ((s == LOGSTREAM_BACKOFF || s == LOGSTREAM_FAILED) && !bad)
            bad = m->streams[i]->ls;
    }
    char first[300] = "";
    if (bad)
        stream_status(bad, first, sizeof first);
    snprintf(buf, n, "%zu/%zu streams live%s%s%s", live, m->nstreams,
             m->capped ? " (stream limit reached)" : "", bad ? "; " : "", first);
    return !bad;
}
