/* logbuf — the bounded line ring (see logbuf.h).
 *
 * Must not: grow past its bounds, keep more than max_line bytes of a line, or hand out text
 * that was not neutralised (only logbuf_write, for saved files, gives the raw bytes). */
#include "model/logbuf.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LOGBUF_MAX_TS 64

static size_t line_bytes(const struct logbuf_line *l)
{
    return sizeof *l + l->ts_len + l->len;
}

void logbuf_init(struct logbuf *b, size_t max_lines, size_t max_bytes, size_t max_line)
{
    memset(b, 0, sizeof *b);
    b->max_lines = max_lines ? max_lines : LOGBUF_DEFAULT_LINES;
    b->max_bytes = max_bytes ? max_bytes : LOGBUF_DEFAULT_BYTES;
    b->max_line = max_line ? max_line : LOGBUF_DEFAULT_MAX_LINE;
    b->next_seq = 1;
}

static struct logbuf_line *slot(const struct logbuf *b, size_t i)
{
    return b->ring[(b->head + i) % b->max_lines];
}

static void drop_oldest(struct logbuf *b)
{
    struct logbuf_line *l = b->ring[b->head];
    b->bytes -= line_bytes(l);
    if (l->match)
        b->matches--;
    free(l);
    b->ring[b->head] = NULL;
    b->head = (b->head + 1) % b->max_lines;
    b->len--;
}

void logbuf_clear(struct logbuf *b)
{
    while (b->len)
        drop_oldest(b);
    b->head = 0;
    b->version++;
}

void logbuf_free(struct logbuf *b)
{
    if (b->ring)
        logbuf_clear(b);
    free(b->ring);
    for (size_t i = 0; i < b->nsrc; i++)
        free(b->src[i].name);
    free(b->src);
    filter_free(&b->filter);
    memset(b, 0, sizeof *b);
}

uint16_t logbuf_source(struct logbuf *b, const char *name)
{
    for (size_t i = 0; i < b->nsrc; i++)
        if (strcmp(b->src[i].name, name) == 0)
            return (uint16_t)i;
    if (b->nsrc == LOGBUF_MAX_SOURCES)
        return (uint16_t)(b->nsrc - 1);
    b->src = xrealloc(b->src, (b->nsrc + 1) * sizeof *b->src);
    struct strbuf sb = {0};
    sanitize_append(&sb, name, strlen(name), SANITIZE_TAB_TO_SPACE);
    b->src[b->nsrc].name = strbuf_take(&sb);
    /* Red first would read as an error: start with the calmer hues. */
    static const uint8_t hues[] = {SGR_CYAN, SGR_GREEN, SGR_MAGENTA, SGR_YELLOW, SGR_BLUE, SGR_RED};
    b->src[b->nsrc].color = hues[b->nsrc % sizeof hues];
    return (uint16_t)b->nsrc++;
}

static bool matches(struct logbuf *b, const struct logbuf_line *l)
{
    if (!filter_active(&b->filter))
        return true;
    struct strbuf text = {0};
    logbuf_render(b, l, b->flags, &text, NULL);
    bool m = filter_match_text(&b->filter, strbuf_str(&text), text.len);
    strbuf_free(&text);
    return m;
}

void logbuf_append(struct logbuf *b, uint16_t src, const char *ts, size_t ts_len, int64_t sec,
                   int32_t nsec, const char *text, size_t len, size_t cut)
{
    if (!b->ring)
        b->ring = xcalloc(b->max_lines, sizeof *b->ring);
    if (!ts || ts_len > LOGBUF_MAX_TS)
        ts_len = 0;
    if (len > b->max_line) {
        cut += len - b->max_line;
        len = b->max_line;
    }
    struct logbuf_line *l = xmalloc(sizeof *l + ts_len + len);
    l->seq = b->next_seq++;
    l->sec = sec;
    l->nsec = nsec;
    l->len = (uint32_t)len;
    l->cut = cut > UINT32_MAX ? UINT32_MAX : (uint32_t)cut;
    l->src = src < b->nsrc ? src : 0;
    l->ts_len = (uint8_t)ts_len;
    if (ts_len)
        memcpy(l->data, ts, ts_len);
    if (len)
        memcpy(l->data + ts_len, text, len);
    l->match = matches(b, l);
    if (cut)
        b->cut++;
    while (b->len && (b->len == b->max_lines || b->bytes + line_bytes(l) > b->max_bytes)) {
        drop_oldest(b);
        b->dropped++;
    }
    b->ring[(b->head + b->len) % b->max_lines] = l;
    b->len++;
    b->bytes += line_bytes(l);
    if (l->match)
        b->matches++;
    b->version++;
}

const struct logbuf_line *logbuf_at(const struct logbuf *b, size_t i)
{
    return slot(b, i);
}

void logbuf_render(const struct logbuf *b, const struct logbuf_line *l, unsigned flags,
                   struct strbuf *out, struct logbuf_spans *sp)
{
    size_t base = out->len;
    struct logbuf_spans local;
    if (!sp)
        sp = &local;
    if ((flags & LOGBUF_SHOW_TS) && l->ts_len) {
        sanitize_append(out, l->data, l->ts_len, SANITIZE_TAB_TO_SPACE);
        strbuf_putc(out, ' ');
    }
    sp->ts_end = out->len - base;
    sp->src_start = sp->src_end = sp->ts_end;
    sp->src_color = SGR_DEFAULT;
    if ((flags & LOGBUF_SHOW_SOURCE) && l->src < b->nsrc) {
        strbuf_puts(out, b->src[l->src].name);
        sp->src_end = out->len - base;
        sp->src_color = b->src[l->src].color;
        strbuf_putc(out, ' ');
    }
    sp->text_start = out->len - base;
    size_t n = l->len;
    if (n && l->data[l->ts_len + n - 1] == '\r')
        n--; /* CRLF logs: the '\r' is not content */
    sgr_render(l->data + l->ts_len, n, out, &sp->runs, SANITIZE_TAB_TO_SPACE);
    sp->cut_start = (size_t)-1;
    if (l->cut) {
        sp->cut_start = out->len - base;
        strbuf_printf(out, " \u2026[%u bytes cut]", (unsigned)l->cut);
    }
}

static void refilter(struct logbuf *b)
{
    b->matches = 0;
    for (size_t i = 0; i < b->len; i++) {
        struct logbuf_line *l = slot(b, i);
        l->match = matches(b, l);
        b->matches += l->match;
    }
    b->version++;
}

bool logbuf_set_filter(struct logbuf *b, const char *expr, struct err *e)
{
    if (!filter_set(&b->filter, expr, e))
        return false;
    refilter(b);
    return true;
}

void logbuf_set_flags(struct logbuf *b, unsigned flags)
{
    if (b->flags == flags)
        return;
    b->flags = flags;
    if (filter_active(&b->filter))
        refilter(b);
    b->version++;
}

bool logbuf_filtered(const struct logbuf *b)
{
    return filter_active(&b->filter);
}

static bool write_all(int fd, const char *p, size_t n, struct err *e)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return err_set(e, "cannot write the log: %s", strerror(errno));
        p += w;
        n -= (size_t)w;
    }
    return true;
}

bool logbuf_write(const struct logbuf *b, int fd, unsigned flags, struct err *e)
{
    struct strbuf sb = {0};
    bool ok = true;
    for (size_t i = 0; i < b->len && ok; i++) {
        const struct logbuf_line *l = slot(b, i);
        if (!l->match)
            continue;
        if ((flags & LOGBUF_SHOW_TS) && l->ts_len) {
            strbuf_append(&sb, l->data, l->ts_len);
            strbuf_putc(&sb, ' ');
        }
        if ((flags & LOGBUF_SHOW_SOURCE) && l->src < b->nsrc) {
            strbuf_puts(&sb, b->src[l->src].name);
            strbuf_putc(&sb, ' ');
        }
        strbuf_append(&sb, l->data + l->ts_len, l->len);
        strbuf_putc(&sb, '\n');
        if (sb.len >= 65536 || i + 1 == b->len) {
            ok = write_all(fd, sb.buf, sb.len, e);
            strbuf_reset(&sb);
        }
    }
    if (ok && sb.len)
        ok = write_all(fd, sb.buf, sb.len, e);
    strbuf_free(&sb);
    return ok;
}
