/* lines — splits a byte stream (a watch or a log) into lines without losing any.
 *
 * Complete lines inside one chunk are handed out in place, without copying; only a partial line
 * is buffered. A line longer than max_line is dropped whole and counted, and every line after it
 * still arrives (the k9s 64 KB scanner bug dropped them all).
 *
 * Log mode (lines_init_log) keeps what a log reader needs: an over-long line is cut to max_line
 * (its first bytes arrive, `cut` says how many were left out) rather than dropped, a '\r' before
 * the '\n' is kept, and `final` marks a last line that had no '\n'. */
#ifndef TIMON_CLIENT_LINES_H
#define TIMON_CLIENT_LINES_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

typedef void (*lines_fn)(void *ud, const char *line, size_t len);

struct lines {
    struct strbuf partial; /* owned: the unterminated tail */
    size_t max_line;       /* 0 means 64 MiB */
    bool discarding;       /* inside an over-long line */
    size_t dropped;        /* over-long lines dropped so far */
    bool log_mode;         /* see above */
    size_t cut;            /* log mode, during a callback: bytes cut from this line */
    bool final;            /* log mode, during a callback: the line had no '\n' (end of stream) */
};

void lines_init(struct lines *l, size_t max_line);
void lines_init_log(struct lines *l, size_t max_line);
/* Calls fn once per complete line ('\n' removed, and a '\r' before it but in log mode). */
void lines_feed(struct lines *l, const char *data, size_t n, lines_fn fn, void *ud);
/* Emits a final unterminated line, if any (end of stream). */
void lines_flush(struct lines *l, lines_fn fn, void *ud);
void lines_reset(struct lines *l);
void lines_free(struct lines *l);

#endif
