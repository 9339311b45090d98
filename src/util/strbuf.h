/* strbuf — a growable byte string with a hard cap.
 *
 * Every use names its cap (`max`), so an HTTP body, a URL or a message can never grow without
 * bound: an append past the cap is cut and sets `overflow`. The buffer is always NUL-terminated
 * once anything was appended. A zero-initialised strbuf is a valid empty buffer with the default
 * cap. The strbuf owns its memory; strbuf_take moves it out. */
#ifndef TIMON_UTIL_STRBUF_H
#define TIMON_UTIL_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

#define STRBUF_DEFAULT_MAX ((size_t)64 << 20) /* 64 MiB */

struct strbuf {
    char *buf;     /* owned; NULL until the first append */
    size_t len;    /* bytes used, excluding the NUL */
    size_t cap;    /* bytes allocated */
    size_t max;    /* hard cap on len; 0 means STRBUF_DEFAULT_MAX */
    bool overflow; /* an append was cut at max */
};

void strbuf_init(struct strbuf *sb, size_t max);
/* Ensures room for `extra` more bytes plus the NUL; returns how many of them fit the cap. */
size_t strbuf_reserve(struct strbuf *sb, size_t extra);
/* Appends n bytes; returns false (and sets overflow) if they did not all fit. */
bool strbuf_append(struct strbuf *sb, const void *s, size_t n);
bool strbuf_puts(struct strbuf *sb, const char *s);
bool strbuf_putc(struct strbuf *sb, char c);
bool strbuf_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with every byte outside [A-Za-z0-9-._~] percent-encoded (a URL query value). */
bool strbuf_put_urlencoded(struct strbuf *sb, const char *s);
/* Drops the first n bytes (n <= len), keeping the allocation. */
void strbuf_consume(struct strbuf *sb, size_t n);
/* Truncates to len bytes (len <= current len). */
void strbuf_truncate(struct strbuf *sb, size_t len);
/* Empties the buffer, keeps the allocation and the cap, clears overflow. */
void strbuf_reset(struct strbuf *sb);
/* The contents, never NULL ("" when empty). Borrowed; valid until the next change. */
const char *strbuf_str(const struct strbuf *sb);
/* Moves the contents out (caller frees; never NULL) and leaves sb empty. */
char *strbuf_take(struct strbuf *sb);
void strbuf_free(struct strbuf *sb);

#endif
