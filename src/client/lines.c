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

static void emit(const char *s, size_t n, lines_fn fn, void *ud)
{
    if (n && s[n - 1] == '\r')
        n--;
    fn(ud, s, n);
}

void lines_feed(struct lines *l, const char *data, size_t n, lines_fn fn, void *ud)
{
    if (!l->max_line)
        lines_init(l, 0);
    while (n > 0) {
        const char *nl = memchr(data, '\n', n);
        size_t seg = nl ? (size_t)(nl - data) : n;
        if (l->discarding) {
            if (nl)
                l->discarding = false;
        } else if (l->partial.len == 0 && nl && seg <= l->max_line) {
            emit(data, seg, fn, ud); /* the common case: no copy */
        } else if (l->partial.len + seg > l->max_line) {
            strbuf_reset(&l->partial);
            l->dropped++;
            l->discarding = !nl;
        } else {
            strbuf_append(&l->partial, data, seg);
            if (nl) {
                emit(l->partial.buf, l->partial.len, fn, ud);
                strbuf_reset(&l->partial);
            }
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
    if (l->partial.len && !l->discarding)
        emit(l->partial.buf, l->partial.len, fn, ud);
    strbuf_reset(&l->partial);
    l->discarding = false;
}

void lines_reset(struct lines *l)
{
    strbuf_reset(&l->partial);
    l->discarding = false;
}

void lines_free(struct lines *l)
{
    strbuf_free(&l->partial);
}
