/* logbuf — the lines a log view holds: a ring bounded by a line count and a byte budget.
 *
 * Appending is O(1) (amortised: a big line may push out several small ones); when a bound is
 * reached the oldest lines go and `dropped` counts them. A line is stored as the raw bytes that
 * came (escape sequences included, so a saved log keeps them) cut to `max_line` bytes, the cut
 * counted and shown. Text only becomes displayable through logbuf_render, which neutralises it
 * (util/sgr: colours kept as runs, every other escape shown visibly). Each line belongs to a
 * source (a pod, a container, or both) whose name can prefix it.
 *
 * The filter is model/filter's (pcre2 with limits, `!` inverts) over the line as rendered; each
 * line carries whether it matches, computed when it arrives and again when the filter or the
 * rendering changes. */
#ifndef TIMON_MODEL_LOGBUF_H
#define TIMON_MODEL_LOGBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/filter.h"
#include "util/err.h"
#include "util/sgr.h"
#include "util/strbuf.h"

#define LOGBUF_DEFAULT_LINES    10000
#define LOGBUF_DEFAULT_BYTES    ((size_t)16 << 20) /* 16 MiB of lines, overhead included */
#define LOGBUF_DEFAULT_MAX_LINE ((size_t)64 << 10) /* 64 KiB kept of a longer line */
#define LOGBUF_MAX_SOURCES      4096

struct logbuf_line {
    uint64_t seq; /* 1, 2, ... in order of arrival; never reused */
    int64_t sec;  /* the server's timestamp, 0 when none */
    int32_t nsec;
    uint32_t len;   /* content bytes stored */
    uint32_t cut;   /* bytes left out of an over-long line (saturates) */
    uint16_t src;   /* logbuf source */
    uint8_t ts_len; /* the timestamp's text precedes the content in data */
    bool match;     /* passes the filter (true when there is none) */
    char data[];    /* ts_len bytes of timestamp text, then len bytes of content */
};

/* Rendering options. */
enum logbuf_render_flags {
    LOGBUF_SHOW_TS = 1 << 0,     /* the timestamp first */
    LOGBUF_SHOW_SOURCE = 1 << 1, /* then the source's name */
};

struct logbuf_source {
    char *name;    /* owned, neutralised */
    uint8_t color; /* enum sgr_color, never SGR_DEFAULT: each source its own hue */
};

struct logbuf {
    struct logbuf_line **ring; /* owned lines; ring[(head + i) % max_lines] is the i-th */
    size_t head, len;
    size_t max_lines, max_bytes, max_line;
    size_t bytes; /* stored, overhead included */
    uint64_t next_seq;
    uint64_t dropped; /* lines pushed out by the bounds (or cleared) */
    uint64_t cut;     /* lines that were cut */
    struct logbuf_source *src;
    size_t nsrc;
    struct filter filter; /* owned */
    size_t matches;       /* lines that pass the filter */
    unsigned flags;       /* enum logbuf_render_flags the filter sees */
    uint64_t version;     /* bumps on every change */
};

/* Where the parts of a rendered line are (byte offsets into the rendered text). */
struct logbuf_spans {
    size_t ts_end;    /* the timestamp is [0, ts_end) */
    size_t src_start; /* the source name is [src_start, src_end) */
    size_t src_end;
    size_t text_start; /* the content from here on; its colours are `runs` (offsets from here) */
    size_t cut_start;  /* the "cut" mark from here to the end ((size_t)-1 when none) */
    uint8_t src_color; /* enum sgr_color */
    struct sgr_runs runs;
};

/* Sets the bounds (0 keeps the default). Call before the first append. */
void logbuf_init(struct logbuf *b, size_t max_lines, size_t max_bytes, size_t max_line);
void logbuf_free(struct logbuf *b);
/* The index of the source called name, added if new (at most LOGBUF_MAX_SOURCES; later ones
 * share the last). */
uint16_t logbuf_source(struct logbuf *b, const char *name);
/* Appends a line: ts (may be NULL) and content are copied; `cut` counts bytes the caller
 * already left out. */
void logbuf_append(struct logbuf *b, uint16_t src, const char *ts, size_t ts_len, int64_t sec,
                   int32_t nsec, const char *text, size_t len, size_t cut);
/* Drops every line (the user's wish: they do not count as dropped). */
void logbuf_clear(struct logbuf *b);
/* The i-th line, oldest first (i < len). Borrowed until the next append or clear. */
const struct logbuf_line *logbuf_at(const struct logbuf *b, size_t i);
/* Renders a line as it is shown: [timestamp ' '] [source ' '] neutralised content [cut mark]. */
void logbuf_render(const struct logbuf *b, const struct logbuf_line *l, unsigned flags,
                   struct strbuf *out, struct logbuf_spans *sp);
/* The filter ("" clears it) and the rendering it applies to; every line is matched again.
 * False with e set (the old filter kept) for a bad expression. */
bool logbuf_set_filter(struct logbuf *b, const char *expr, struct err *e);
void logbuf_set_flags(struct logbuf *b, unsigned flags);
bool logbuf_filtered(const struct logbuf *b);
/* Writes every line (filtered ones only, when a filter is set) with the raw content bytes, as
 * rendered with `flags` but unneutralised, one per line, to fd. */
bool logbuf_write(const struct logbuf *b, int fd, unsigned flags, struct err *e);

#endif
