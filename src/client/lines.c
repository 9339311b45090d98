/* lines — newline framing for streams. */
#include "client/lines.h"

#include <string.h>

#define LINES_DEFAULT_MAX ((size_t)64 << 20)

void lines_init(struct lines *l, size_t max_line)
{
    memset(l, 0, sizeof *l);
    l->max_line = max_line ? max_line : LINES_DEFAULT_MAX;
    strbuf_init(&l->partial, l->max_line);
}

void lines_init_log(struct lines *l, size_t max_line)
{
    lines_init(l, max_line);
    l->log_mode = true;
}

static void emit(struct lines *l, const char *s, size_t n, lines_fn fn, void *ud)
{
    if (n && s[n - 1] == '\r' && !l->log_mode)
        n--;
    fn(ud, s, n);
    l->cut = 0;
    l->final = false;
}

/* The partial line is complete: hand it out and start the next one. */
static void emit_partial(struct lines *l, lines_fn fn, void *ud)
{
    emit(l, l->partial.buf ? l->partial.buf : "", l->partial.len, fn, ud);
    strbuf_reset(&l->partial);
}

void lines_feed(struct lines *l, const char *data, size_t n, lines_fn fn, void *ud)
{
    if (!l->max_line)
        lines_init(l, 0);
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t seg = nl ? (size_t)(nl - data) : n;
        if (l->discarding) {
            l->cut += l->log_mode ? seg : 0;
            if (nl) {
                l->discarding = false;
                if (l->log_mode)
                    emit_partial(l, fn, ud);
            }
        } else if (l->partial.len == 0 && nl && seg <= l->max_line) {
            emit(l, data, seg, fn, ud); /* the common case: no copy */
        } else if (l->partial.len + seg > l->max_line && l->log_mode) {
            size_t keep = l->max_line - l->partial.len;
            strbuf_append(&l->partial, data, keep);
            l->cut = seg - keep;
            if (nl)
                emit_partial(l, fn, ud);
            else
                l->discarding = true;
        } else if (l->partial.len + seg > l->max_line) {
            strbuf_reset(&l->partial);
            l->dropped++;
            l->discarding = !nl;
        } else {
            strbuf_append(&l->partial, data, seg);
            if (nl)
                emit_partial(l, fn, ud);
        }
        if (!nl)
            break;
        seg++;
        data += seg;
        n -= seg;
    }
}

void lines_flush(struct lines *l, lines_fn fn, void *ud)
{
    if (l->partial.len && (!l->discarding || l->log_mode)) {
        l->final = true;
        emit_partial(l, fn, ud);
    }
    lines_reset(l);
}

void lines_reset(struct lines *l)
{
    strbuf_reset(&l->partial);
    l->discarding = false;
    l->cut = 0;
    l->final = false;
}

void lines_free(struct lines *l)
{
    strbuf_free(&l->partial);
}
