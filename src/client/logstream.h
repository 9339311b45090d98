/* logstream — one container's log, as a streaming GET of pods/log on the http multi API.
 *
 * Lines go out through a callback as they arrive, the timestamp the server put in front of
 * each one split off (timestamps are requested whenever the caller wants them or a followed
 * stream may need resuming). A followed stream that drops is resumed with sinceTime from the
 * last line's second, after a backoff (0.8 s doubling to 30 s), and the lines the new stream
 * repeats are skipped by timestamp, so nothing is shown twice or lost. It ends when the pod is
 * gone (404), or when the stream ends and the container has terminated for good.
 *
 * Two policies: a one-shot reader (timon logs) reports the first error as kubectl would and only
 * resumes a followed stream that had delivered data; a persistent one (the TUI) keeps trying:
 * a container still waiting to start, an unscheduled pod, a server error or a clean end of a
 * container that may restart all lead to a retry. Nothing blocks; errors are values. */
#ifndef TIMON_CLIENT_LOGSTREAM_H
#define TIMON_CLIENT_LOGSTREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/http.h"
#include "util/strbuf.h"

#define LOGSTREAM_TS_MAX 40 /* "2006-01-02T15:04:05.999999999Z" plus room for an offset */

/* One line as it arrived. Valid only during the callback. */
struct logline {
    const char *text; /* the content: no timestamp, no '\n' (a '\r' before it is kept) */
    size_t len;
    const char *ts; /* the server's timestamp text (without the space), "" when none */
    size_t ts_len;
    int64_t sec;  /* the timestamp, epoch seconds (0 when none) */
    int32_t nsec; /* and nanoseconds */
    size_t cut;   /* bytes left out of an over-long line (0 for a whole line) */
    bool newline; /* false only for a last line that had no '\n' */
};

/* What to ask for, as kubectl's flags say it. */
struct logstream_opts {
    bool follow;
    bool previous;
    bool timestamps;       /* the caller wants each line's timestamp */
    long tail_lines;       /* < 0: every line */
    int64_t since_seconds; /* 0: none */
    int64_t since_time;    /* epoch seconds, 0: none (ignored with since_seconds) */
    long limit_bytes;      /* 0: none (head mode) */
};

struct logstream_spec {
    const char *ns;
    const char *pod;
    const char *container; /* NULL: let the server choose (a single-container pod) */
    const char *uid;       /* the pod's uid, or NULL: another pod that takes the name later
                            * (a StatefulSet's, a recreated one) ends the stream as gone */
    struct logstream_opts opts;
    bool persist;    /* keep trying (see above) */
    size_t max_line; /* longer lines are cut (logline.cut); 0 means 64 MiB */
};

enum logstream_state {
    LOGSTREAM_IDLE,
    LOGSTREAM_CONNECTING, /* a request is out, no byte of a 200 yet */
    LOGSTREAM_STREAMING,  /* lines are arriving */
    LOGSTREAM_CHECKING,   /* the stream ended: asking the pod whether more can come */
    LOGSTREAM_BACKOFF,    /* waiting to retry; logstream_reason says why */
    LOGSTREAM_DONE,       /* ended for good, normally (logstream_reason may say why) */
    LOGSTREAM_FAILED,     /* ended for good with an error */
};

struct logstream_ops {
    void (*on_line)(void *ud, const struct logline *l);
    /* The state or the reason changed. */
    void (*on_state)(void *ud);
    /* Neither callback may free the stream; do that from the loop (logstream_tick's caller). */
};

struct logstream;

/* Borrows http and ops; copies the spec. Starts at once (no callback runs before it returns;
 * a request that cannot even start leaves it FAILED). */
struct logstream *logstream_new(struct http *http, const struct logstream_spec *spec,
                                const struct logstream_ops *ops, void *ud);
void logstream_free(struct logstream *s);
/* Starts a retry that is due. Call once per loop pass. */
void logstream_tick(struct logstream *s);
/* Milliseconds until logstream_tick has work, or -1. */
int logstream_timeout_ms(const struct logstream *s);

enum logstream_state logstream_state(const struct logstream *s);
/* Why it is backing off or ended (borrowed, neutralised; "" when there is nothing to say). */
const char *logstream_reason(const struct logstream *s);
/* The HTTP status and Status reason ("BadRequest", "") of the last failure. */
long logstream_status(const struct logstream *s);
const char *logstream_api_reason(const struct logstream *s);
/* Lines delivered, and streams opened (1 plus the resumptions). */
uint64_t logstream_lines(const struct logstream *s);
unsigned logstream_connects(const struct logstream *s);

/* The request path and query for these options, keys in kubectl's (sorted) order (exported for
 * tests). A resume_from other than 0 replaces the options' tail and since with sinceTime. */
void logstream_path(const struct logstream_spec *spec, bool timestamps, int64_t resume_from,
                    struct strbuf *out);

/* Resumption bookkeeping (exported for tests): which lines a resumed stream repeats. */
struct logresume {
    bool have;   /* a line with a timestamp was delivered */
    int64_t sec; /* the last delivered timestamp */
    int32_t nsec;
    unsigned same; /* how many delivered lines carried exactly that timestamp */
    bool skipping; /* on a resumed stream, until its first new line */
    unsigned seen; /* lines with the last timestamp seen again on the resumed stream */
};
/* A line was delivered. */
void logresume_note(struct logresume *r, int64_t sec, int32_t nsec);
/* A resumed stream starts: the lines up to the last delivered one will come again. */
void logresume_begin(struct logresume *r);
/* True when a line of the resumed stream was delivered before and must be skipped. */
bool logresume_skip(struct logresume *r, int64_t sec, int32_t nsec);
/* Parses the server's "RFC3339Nano " prefix at the start of a line: its length (without the
 * space), seconds and nanoseconds. False when the line does not start with one. */
bool logstream_parse_ts(const char *s, size_t n, size_t *len, int64_t *sec, int32_t *nsec);

#endif
