/* strbuf — capped growable strings. Never prints, never exits (allocation failure aborts in
 * xalloc). */
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#ifndef STRBUF_MIN_ALLOC
#define STRBUF_MIN_ALLOC 64 /* tests build with a tiny value to hit the growth paths */
#endif

static size_t strbuf_max(const struct strbuf *sb)
{
    return sb->max ? sb->max : STRBUF_DEFAULT_MAX;
}

void strbuf_init(struct strbuf *sb, size_t max)
{
    memset(sb, 0, sizeof *sb);
    sb->max = max;
}

size_t strbuf_reserve(struct strbuf *sb, size_t extra)
{
    size_t max = strbuf_max(sb);
    size_t room = max - sb->len;
    if (extra > room)
        extra = room;
    size_t need = sb->len + extra + 1;
    if (need > sb->cap) {
        size_t cap = sb->cap ? sb->cap : STRBUF_MIN_ALLOC;
        while (cap < need)
            cap = cap > ((size_t)-1) / 2 ? need : cap * 2;
        if (max < (size_t)-1 && cap > max + 1) /* max + 1 wraps for an uncapped buffer */
            cap = max + 1;
        if (cap < need)
            cap = need;
        sb->buf = xrealloc(sb->buf, cap);
        sb->cap = cap;
    }
    return extra;
}

bool strbuf_append(struct strbuf *sb, const void *s, size_t n)
{
    size_t fit = strbuf_reserve(sb, n);
    if (fit)
        memcpy(sb->buf + sb->len, s, fit);
    sb->len += fit;
    sb->buf[sb->len] = '\0';
    if (fit < n) {
        sb->overflow = true;
        return false;
    }
    return true;
}

bool strbuf_puts(struct strbuf *sb, const char *s)
{
    return strbuf_append(sb, s, strlen(s));
}

bool strbuf_putc(struct strbuf *sb, char c)
{
    return strbuf_append(sb, &c, 1);
}

bool strbuf_printf(struct strbuf *sb, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        va_end(ap2);
        return false;
    }
    bool ok;
    if ((size_t)n < sizeof small) {
        ok = strbuf_append(sb, small, (size_t)n);
    } else {
        char *big = xmalloc((size_t)n + 1);
        vsnprintf(big, (size_t)n + 1, fmt, ap2);
        ok = strbuf_append(sb, big, (size_t)n);
        free(big);
    }
    va_end(ap2);
    return ok;
}

bool strbuf_put_urlencoded(struct strbuf *sb, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    bool ok = true;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            ok = strbuf_putc(sb, (char)c) && ok;
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            ok = strbuf_append(sb, enc, 3) && ok;
        }
    }
    return ok;
}

void strbuf_consume(struct strbuf *sb, size_t n)
{
    if (n >= sb->len) {
        sb->len = 0;
    } else {
        memmove(sb->buf, sb->buf + n, sb->len - n);
        sb->len -= n;
    }
    if (sb->buf)
        sb->buf[sb->len] = '\0';
}

void strbuf_truncate(struct strbuf *sb, size_t len)
{
    if (len < sb->len) {
        sb->len = len;
        sb->buf[len] = '\0';
    }
}

void strbuf_reset(struct strbuf *sb)
{
    sb->len = 0;
    sb->overflow = false;
    if (sb->buf)
        sb->buf[0] = '\0';
}

const char *strbuf_str(const struct strbuf *sb)
{
    return sb->buf ? sb->buf : "";
}

char *strbuf_take(struct strbuf *sb)
{
    char *p = sb->buf ? sb->buf : xstrdup("");
    size_t max = sb->max;
    memset(sb, 0, sizeof *sb);
    sb->max = max;
    return p;
}

void strbuf_free(struct strbuf *sb)
{
    free(sb->buf);
    size_t max = sb->max;
    memset(sb, 0, sizeof *sb);
    sb->max = max;
}
