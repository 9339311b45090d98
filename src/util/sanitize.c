/* sanitize — the single gate between cluster text and the terminal. */
#include "util/sanitize.h"

#include <stdio.h>

size_t sanitize_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    if (n == 0)
        return 0;
    unsigned c = s[0];
    size_t len;
    unsigned min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        len = 2;
        c &= 0x1f;
        min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        c &= 0x0f;
        min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        c &= 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (n < len)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0; /* overlong, out of range, or a surrogate */
    *cp = c;
    return len;
}

/* Code points that must not reach the terminal raw: C1 controls and text-direction overrides,
 * which can make a name display as something it is not. */
static bool dangerous_cp(unsigned cp)
{
    return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c ||
           cp == 0xfeff;
}

static bool passes(unsigned char c, unsigned flags)
{
    if (c == '\n')
        return flags & SANITIZE_KEEP_NEWLINE;
    if (c == '\t')
        return flags & SANITIZE_KEEP_TAB;
    return c >= 0x20 && c != 0x7f;
}

bool sanitize_is_clean(const char *in, size_t n, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)in;
    for (size_t i = 0; i < n;) {
        if (s[i] < 0x80) {
            if (!passes(s[i], flags))
                return false;
            i++;
            continue;
        }
        unsigned cp;
        size_t len = sanitize_utf8_decode(s + i, n - i, &cp);
        if (!len || dangerous_cp(cp))
            return false;
        i += len;
    }
    return true;
}

bool sanitize_append(struct strbuf *out, const char *in, size_t n, unsigned flags)
{
    const unsigned char *s = (const unsigned char *)in;
    bool ok = true;
    size_t run = 0; /* start of the pending clean run */
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        char esc[16];
        size_t len = 1;
        int elen = -1;
        if (c < 0x80) {
            if (passes(c, flags)) {
                i++;
                continue;
            }
            if (c == '\t' && (flags & SANITIZE_TAB_TO_SPACE))
                elen = snprintf(esc, sizeof esc, " ");
            else if (c == 0x7f)
                elen = snprintf(esc, sizeof esc, "^?");
            else
                elen = snprintf(esc, sizeof esc, "^%c", (char)(c + '@'));
        } else {
            unsigned cp;
            len = sanitize_utf8_decode(s + i, n - i, &cp);
            if (len && !dangerous_cp(cp)) {
                i += len;
                continue;
            }
            if (len)
                elen = snprintf(esc, sizeof esc, "\\u%04x", cp);
            else {
                len = 1;
                elen = snprintf(esc, sizeof esc, "\\x%02x", c);
            }
        }
        if (i > run)
            ok = strbuf_append(out, s + run, i - run) && ok;
        ok = strbuf_append(out, esc, (size_t)elen) && ok;
        i += len;
        run = i;
    }
    if (n > run)
        ok = strbuf_append(out, s + run, n - run) && ok;
    return ok;
}
