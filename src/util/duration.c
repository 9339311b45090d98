/* duration — HumanDuration, integer arithmetic only. */
#include "util/duration.h"

#include <stdio.h>

char *duration_human(int64_t s, char *buf, size_t n)
{
    if (s < -1) {
        snprintf(buf, n, "<invalid>");
    } else if (s < 0) {
        snprintf(buf, n, "0s");
    } else if (s < 120) {
        snprintf(buf, n, "%llds", (long long)s);
    } else if (s / 60 < 10) {
        int64_t m = s / 60, r = s % 60;
        if (r == 0)
            snprintf(buf, n, "%lldm", (long long)m);
        else
            snprintf(buf, n, "%lldm%llds", (long long)m, (long long)r);
    } else if (s / 60 < 180) {
        snprintf(buf, n, "%lldm", (long long)(s / 60));
    } else if (s / 3600 < 8) {
        int64_t h = s / 3600, m = s / 60 % 60;
        if (m == 0)
            snprintf(buf, n, "%lldh", (long long)h);
        else
            snprintf(buf, n, "%lldh%lldm", (long long)h, (long long)m);
    } else if (s / 3600 < 48) {
        snprintf(buf, n, "%lldh", (long long)(s / 3600));
    } else if (s / 3600 < 24 * 8) {
        int64_t hours = s / 3600, h = hours % 24;
        if (h == 0)
            snprintf(buf, n, "%lldd", (long long)(hours / 24));
        else
            snprintf(buf, n, "%lldd%lldh", (long long)(hours / 24), (long long)h);
    } else if (s / 3600 < 24 * 365 * 2) {
        snprintf(buf, n, "%lldd", (long long)(s / 3600 / 24));
    } else if (s / 3600 < 24 * 365 * 8) {
        int64_t days = s / 3600 / 24, dy = days % 365;
        if (dy == 0)
            snprintf(buf, n, "%lldy", (long long)(days / 365));
        else
            snprintf(buf, n, "%lldy%lldd", (long long)(days / 365), (long long)dy);
    } else {
        snprintf(buf, n, "%lldy", (long long)(s / 3600 / 24 / 365));
    }
    return buf;
}

char *duration_age(int64_t now, int64_t t, char *buf, size_t n)
{
    if (t == 0) {
        snprintf(buf, n, "<unknown>");
        return buf;
    }
    return duration_human(now - t, buf, n);
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
