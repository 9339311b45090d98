/* quantity — the resource.Quantity grammar: <sign><digits>[.<digits>][suffix], where suffix is a
 * binary SI (Ki..Ei), a decimal SI (n u m "" k M G T P E) or an exponent (e3, E-2). */
#include "util/quantity.h"

#include <stdio.h>
#include <string.h>

/* value = mant * 10^exp10 * 1024^exp2, mant an integer of up to 18 digits. */
static bool parse(const char *s, bool *neg, uint64_t *mant, int *exp10, int *exp2)
{
    *neg = false;
    *mant = 0;
    *exp10 = 0;
    *exp2 = 0;
    if (!s || !*s)
        return false;
    if (*s == '+' || *s == '-')
        *neg = *s++ == '-';
    int digits = 0, frac = 0;
    bool dot = false, any = false;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9') {
            any = true;
            if (digits < 18) {
                *mant = *mant * 10 + (uint64_t)(*s - '0');
                if (*mant)
                    digits++;
                if (dot)
                    frac++;
            } else if (!dot) {
                (*exp10)++; /* beyond precision: keep the magnitude */
            }
        } else if (*s == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any)
        return false;
    *exp10 -= frac;
    if (!*s)
        return true;
    static const struct {
        const char *sfx;
        int e10, e2;
    } sfx[] = {{"Ki", 0, 1}, {"Mi", 0, 2}, {"Gi", 0, 3}, {"Ti", 0, 4}, {"Pi", 0, 5},
               {"Ei", 0, 6}, {"n", -9, 0}, {"u", -6, 0}, {"m", -3, 0}, {"k", 3, 0},
               {"M", 6, 0},  {"G", 9, 0},  {"T", 12, 0}, {"P", 15, 0}, {"E", 18, 0}};
    for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
        if (strcmp(s, sfx[i].sfx) == 0) {
            *exp10 += sfx[i].e10;
            *exp2 = sfx[i].e2;
            return true;
        }
    }
    if (*s == 'e' || *s == 'E') {
        s++;
        bool eneg = false;
        if (*s == '+' || *s == '-')
            eneg = *s++ == '-';
        if (!*s)
            return false;
        int e = 0;
        for (; *s; s++) {
            if (*s < '0' || *s > '9' || e > 1000)
                return false;
            e = e * 10 + (*s - '0');
        }
        *exp10 += eneg ? -e : e;
        return true;
    }
    return false;
}

/* mant * 10^e10 * 1024^e2, rounded up, saturating at INT64_MAX. */
static int64_t scale(uint64_t mant, int e10, int e2)
{
    if (mant == 0)
        return 0;
    unsigned __int128 v = mant;
    const unsigned __int128 cap = (unsigned __int128)INT64_MAX;
    for (int i = 0; i < e2; i++) {
        v *= 1024;
        if (v > cap)
            return INT64_MAX;
    }
    for (; e10 > 0; e10--) {
        v *= 10;
        if (v > cap)
            return INT64_MAX;
    }
    bool rem = false;
    for (; e10 < 0; e10++) {
        rem = rem || v % 10;
        v /= 10;
    }
    if (rem)
        v++;
    return v > cap ? INT64_MAX : (int64_t)v;
}

bool quantity_milli(const char *s, int64_t *out)
{
    bool neg;
    uint64_t m;
    int e10, e2;
    if (!parse(s, &neg, &m, &e10, &e2))
        return false;
    int64_t v = scale(m, e10 + 3, e2);
    *out = neg ? -v : v;
    return true;
}

bool quantity_value(const char *s, int64_t *out)
{
    bool neg;
    uint64_t m;
    int e10, e2;
    if (!parse(s, &neg, &m, &e10, &e2))
        return false;
    int64_t v = scale(m, e10, e2);
    *out = neg ? -v : v;
    return true;
}

int64_t quantity_mib(int64_t bytes)
{
    return bytes / (1024 * 1024);
}

const char *quantity_format_number(double v, char *buf, size_t n)
{
    /* The range check comes first: converting a double outside long long's range is undefined. */
    if (v > -9e18 && v < 9e18 && v == (double)(long long)v)
        snprintf(buf, n, "%lld", (long long)v);
    else
        snprintf(buf, n, "%g", v);
    return buf;
}
