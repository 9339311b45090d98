/* duration — HumanDuration, integer arithmetic only. */
#include "util/duration.h"

#include "util/fmtint.h"

#include <string.h>

/* "<a><ua>" or, when b is not 0, "<a><ua><b><ub>", cut to n bytes. */
static char *put(char *buf, size_t n, int64_t a, char ua, int64_t b, char ub)
{
    char tmp[2 * FMTINT_MAX + 2];
    size_t len = fmtint(tmp, a);
    tmp[len++] = ua;
    if (b) {
        len += fmtint(tmp + len, b);
        tmp[len++] = ub;
    }
    tmp[len] = '\0';
    if (n) {
        size_t k = len < n - 1 ? len : n - 1;
        memcpy(buf, tmp, k);
        buf[k] = '\0';
    }
    return buf;
}

static char *put_text(char *buf, size_t n, const char *s)
{
    if (n) {
        size_t len = strlen(s), k = len < n - 1 ? len : n - 1;
        memcpy(buf, s, k);
        buf[k] = '\0';
    }
    return buf;
}

char *duration_human(int64_t s, char *buf, size_t n)
{
    if (s < -1)
        return put_text(buf, n, "<invalid>");
    if (s < 0)
        return put_text(buf, n, "0s");
    if (s < 120)
        return put(buf, n, s, 's', 0, 0);
    if (s / 60 < 10)
        return put(buf, n, s / 60, 'm', s % 60, 's');
    if (s / 60 < 180)
        return put(buf, n, s / 60, 'm', 0, 0);
    if (s / 3600 < 8)
        return put(buf, n, s / 3600, 'h', s / 60 % 60, 'm');
    if (s / 3600 < 48)
        return put(buf, n, s / 3600, 'h', 0, 0);
    if (s / 3600 < 24 * 8)
        return put(buf, n, s / 3600 / 24, 'd', s / 3600 % 24, 'h');
    if (s / 3600 < 24 * 365 * 2)
        return put(buf, n, s / 3600 / 24, 'd', 0, 0);
    if (s / 3600 < 24 * 365 * 8)
        return put(buf, n, s / 3600 / 24 / 365, 'y', s / 3600 / 24 % 365, 'd');
    return put(buf, n, s / 3600 / 24 / 365, 'y', 0, 0);
}

char *duration_age(int64_t now, int64_t t, char *buf, size_t n)
{
    if (t == 0)
        return put_text(buf, n, "<unknown>");
    return duration_human(now - t, buf, n);
}

bool duration_cell_may_match(const char *lit)
{
    return strspn(lit, DURATION_CELL_CHARS) == strlen(lit);
}

bool duration_parse(const char *s, int64_t *out)
{
    int64_t total = 0;
    bool any = false;
    while (*s) {
        if (*s < '0' || *s > '9')
            return false;
        int64_t v = 0;
        while (*s >= '0' && *s <= '9') {
            if (v > 1000000000)
                return false;
            v = v * 10 + (*s++ - '0');
        }
        switch (*s++) {
        case 's':
            total += v;
            break;
        case 'm':
            total += v * 60;
            break;
        case 'h':
            total += v * 3600;
            break;
        default:
            return false;
        }
        any = true;
    }
    if (!any)
        return false;
    *out = total;
    return true;
}
