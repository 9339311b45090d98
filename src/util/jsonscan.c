/* jsonscan — a structural skipper for JSON values. */
#include "util/jsonscan.h"

#include <string.h>

#define JSONSCAN_MAX_DEPTH 512

static size_t skip_ws(const char *s, size_t i, size_t n)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        i++;
    return i;
}

/* Index just past the string starting at s[i] == '"', or 0 when unterminated. A quote ends
 * the string unless an odd number of backslashes precede it. */
static size_t skip_string(const char *s, size_t i, size_t n)
{
    size_t j = i + 1;
    for (;;) {
        const char *q = j < n ? memchr(s + j, '"', n - j) : NULL;
        if (!q)
            return 0;
        size_t k = (size_t)(q - s), bs = 0;
        while (k - bs > i + 1 && s[k - bs - 1] == '\\')
            bs++;
        if (bs % 2 == 0)
            return k + 1;
        j = k + 1;
    }
}

/* Characters that matter when skipping a container. */
static const unsigned char structural[256] = {
    ['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1,
};

/* Index just past the value starting at s[i], or 0 when malformed. */
static size_t skip_value(const char *s, size_t i, size_t n)
{
    if (i >= n)
        return 0;
    if (s[i] == '"')
        return skip_string(s, i, n);
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (; i < n; i++) {
            while (i < n && !structural[(unsigned char)s[i]])
                i++;
            if (i >= n)
                break;
            char c = s[i];
            if (c == '"') {
                size_t j = skip_string(s, i, n);
                if (!j)
                    return 0;
                i = j - 1;
            } else if (c == '{' || c == '[') {
                if (++depth > JSONSCAN_MAX_DEPTH)
                    return 0;
            } else if (c == '}' || c == ']') {
                if (--depth == 0)
                    return i + 1;
            }
        }
        return 0;
    }
    /* A number or a literal: up to a delimiter. */
    size_t start = i;
    while (i < n && !strchr(",}] \t\r\n", s[i]))
        i++;
    return i > start ? i : 0;
}

bool jsonscan_member(const char *buf, size_t len, const char *key, struct jsonspan *out)
{
    size_t klen = strlen(key);
    size_t i = skip_ws(buf, 0, len);
    if (i >= len || buf[i] != '{')
        return false;
    i++;
    for (;;) {
        i = skip_ws(buf, i, len);
        if (i >= len)
            return false;
        if (buf[i] == '}')
            return false;
        if (buf[i] != '"')
            return false;
        size_t kstart = i + 1, kend = skip_string(buf, i, len);
        if (!kend)
            return false;
        i = skip_ws(buf, kend, len);
        if (i >= len || buf[i] != ':')
            return false;
        i = skip_ws(buf, i + 1, len);
        size_t vend = skip_value(buf, i, len);
        if (!vend)
            return false;
        if (kend - 1 - kstart == klen && memcmp(buf + kstart, key, klen) == 0) {
            out->p = buf + i;
            out->n = vend - i;
            return true;
        }
        i = skip_ws(buf, vend, len);
        if (i < len && buf[i] == ',')
            i++;
    }
}

bool jsonscan_next(struct jsonspan arr, size_t *pos, struct jsonspan *elem, bool *bad)
{
    const char *s = arr.p;
    size_t n = arr.n, i = *pos;
    *bad = false;
    if (i == 0) {
        i = skip_ws(s, 0, n);
        if (i >= n || s[i] != '[') {
            *bad = true;
            return false;
        }
        i++;
    }
    i = skip_ws(s, i, n);
    if (i < n && s[i] == ',')
        i = skip_ws(s, i + 1, n);
    if (i >= n) {
        *bad = true;
        return false;
    }
    if (s[i] == ']')
        return false;
    size_t end = skip_value(s, i, n);
    if (!end) {
        *bad = true;
        return false;
    }
    elem->p = s + i;
    elem->n = end - i;
    *pos = end;
    return true;
}
