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

bool duration_parse_human(const char *s, int64_t *secs)
{
    int64_t total = 0;
    if (!*s)
        return false;
    while (*s) {
        if (*s < '0' || *s > '9')
            return false;
        int64_t v = 0;
        while (*s >= '0' && *s <= '9' && v < INT64_MAX / 100)
            v = v * 10 + (*s++ - '0');
        int64_t unit = *s == 's'   ? 1
                       : *s == 'm' ? 60
                       : *s == 'h' ? 3600
                       : *s == 'd' ? 86400
                       : *s == 'y' ? 365 * 86400
                                   : 0;
        if (!unit || v > INT64_MAX / unit / 2)
            return false;
        total += v * unit;
        s++;
    }
    *secs = total;
    return true;
}

bool duration_parse_go(const char *s, int64_t *nanos)
{
    static const struct {
        const char *unit;
        int64_t ns;
    } units[] = {{"ns", 1},       {"us", 1000},      {"\xc2\xb5s", 1000},  {"\xce\xbcs", 1000},
                 {"ms", 1000000}, {"s", 1000000000}, {"m", 60000000000LL}, {"h", 3600000000000LL}};
    bool neg = *s == '-';
    if (*s == '-' || *s == '+')
        s++;
    if (strcmp(s, "0") == 0) {
        *nanos = 0;
        return true;
    }
    if (!*s)
        return false;
    double total = 0;
    while (*s) {
        const char *start = s;
        double v = 0, scale = 1;
        bool digits = false;
        while (*s >= '0' && *s <= '9') {
            v = v * 10 + (*s++ - '0');
            digits = true;
        }
        if (*s == '.') {
            s++;
            while (*s >= '0' && *s <= '9') {
                scale /= 10;
                v += (*s++ - '0') * scale;
                digits = true;
            }
        }
        if (!digits || s == start)
            return false;
        size_t best = 0;
        int64_t mult = 0;
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
            size_t n = strlen(units[i].unit);
            if (n > best && strncmp(s, units[i].unit, n) == 0) {
                best = n;
                mult = units[i].ns;
            }
        }
        if (!best)
            return false; /* a number without its unit */
        s += best;
        total += v * (double)mult;
        if (total > 9.2e18)
            return false;
    }
    *nanos = (int64_t)(neg ? -total : total);
    return true;
}
