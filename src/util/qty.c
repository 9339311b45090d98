/* qty — exact quantities in nano-units; see qty.h. Written from the documented behaviour of
 * resource.Quantity (ParseQuantity, Add, Cmp, MilliValue, Value, String). */
#include "util/qty.h"

#include <stdio.h>
#include <string.h>

typedef unsigned __int128 u128;

/* Magnitudes saturate here (10^36, far above int64 in any unit), so arithmetic cannot wrap. */
static const u128 CAP = (u128)1000000000000000000ULL * (u128)1000000000000000000ULL;

static u128 mul_sat(u128 v, unsigned m)
{
    return v > CAP / m ? CAP : v * m;
}

static bool suffix(const char *s, int *e10, int *e2, enum qty_format *f)
{
    static const struct {
        const char *sfx;
        int e10, e2;
    } tab[] = {{"", 0, 0},   {"n", -9, 0}, {"u", -6, 0}, {"m", -3, 0}, {"k", 3, 0},  {"M", 6, 0},
               {"G", 9, 0},  {"T", 12, 0}, {"P", 15, 0}, {"E", 18, 0}, {"Ki", 0, 1}, {"Mi", 0, 2},
               {"Gi", 0, 3}, {"Ti", 0, 4}, {"Pi", 0, 5}, {"Ei", 0, 6}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++) {
        if (strcmp(s, tab[i].sfx) == 0) {
            *e10 = tab[i].e10;
            *e2 = tab[i].e2;
            *f = tab[i].e2 ? QTY_BINARY_SI : QTY_DECIMAL_SI;
            return true;
        }
    }
    if (*s != 'e' && *s != 'E')
        return false;
    s++;
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    if (!*s)
        return false;
    int e = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || e > 10000)
            return false;
        e = e * 10 + (*s - '0');
    }
    *e10 = neg ? -e : e;
    *e2 = 0;
    *f = QTY_DECIMAL_EXPONENT;
    return true;
}

bool qty_parse(const char *s, struct qty *q)
{
    memset(q, 0, sizeof *q);
    if (!s)
        return false;
    bool neg = false;
    if (*s == '+' || *s == '-')
        neg = *s++ == '-';
    u128 mant = 0;
    int frac = 0, over = 0, digits = 0;
    bool dot = false;
    for (; (*s >= '0' && *s <= '9') || (*s == '.' && !dot); s++) {
        if (*s == '.') {
            dot = true;
            continue;
        }
        digits++;
        if (mant < CAP / 10) {
            mant = mant * 10 + (unsigned)(*s - '0');
            frac += dot;
        } else if (!dot) {
            over++; /* beyond what we hold: keep the magnitude */
        }
    }
    int e10, e2;
    enum qty_format f;
    if (!digits || !suffix(s, &e10, &e2, &f))
        return false;
    int shift = 9 - frac + over + e10; /* nano = mant * 10^shift * 1024^e2 */
    u128 v = mant;
    for (int i = 0; i < e2; i++)
        v = mul_sat(v, 1024);
    for (; shift > 0 && v; shift--)
        v = mul_sat(v, 10);
    bool rem = false;
    for (; shift < 0 && v; shift++) {
        rem = rem || v % 10;
        v /= 10;
    }
    if (rem)
        v++; /* finer than a nano: round the magnitude up */
    q->nano = neg ? -(__int128)v : (__int128)v;
    q->format = f;
    return true;
}

void qty_add(struct qty *a, const struct qty *b)
{
    if (a->nano == 0)
        a->format = b->format;
    __int128 s = a->nano + b->nano;
    if (s > (__int128)CAP)
        s = (__int128)CAP;
    if (s < -(__int128)CAP)
        s = -(__int128)CAP;
    a->nano = s;
}

int qty_cmp(const struct qty *a, const struct qty *b)
{
    return a->nano < b->nano ? -1 : a->nano > b->nano;
}

bool qty_is_zero(const struct qty *q)
{
    return q->nano == 0;
}

/* nano / div, rounded away from zero when inexact (the magnitude rounds up), saturated. */
static int64_t scaled(__int128 nano, __int128 div)
{
    bool neg = nano < 0;
    u128 m = neg ? (u128)-nano : (u128)nano;
    u128 r = m / (u128)div + (m % (u128)div != 0);
    if (r > (u128)INT64_MAX)
        return neg ? INT64_MIN : INT64_MAX;
    return neg ? -(int64_t)r : (int64_t)r;
}

int64_t qty_milli(const struct qty *q)
{
    return scaled(q->nano, 1000000);
}

int64_t qty_value(const struct qty *q)
{
    return scaled(q->nano, 1000000000);
}

static void put_u128(u128 v, char *buf, size_t n)
{
    char tmp[48];
    size_t i = sizeof tmp;
    tmp[--i] = '\0';
    do {
        tmp[--i] = (char)('0' + (int)(v % 10));
        v /= 10;
    } while (v && i > 0);
    snprintf(buf, n, "%s", tmp + i);
}

const char *qty_format(const struct qty *q, char *buf, size_t n)
{
    if (q->nano == 0) {
        snprintf(buf, n, "0");
        return buf;
    }
    bool neg = q->nano < 0;
    u128 m = neg ? (u128)-q->nano : (u128)q->nano;
    const u128 unit = 1000000000;
    enum qty_format f = q->format;
    /* Binary SI only for whole numbers of at least 1024; anything else prints as decimal SI. */
    if (f == QTY_BINARY_SI && (m < 1024 * unit || m % unit != 0))
        f = QTY_DECIMAL_SI;
    char num[48];
    const char *sfx;
    char ebuf[16];
    if (f == QTY_BINARY_SI) {
        static const char *const bin[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
        u128 v = m / unit;
        int e = 0;
        while (e < 6 && v % 1024 == 0) {
            v /= 1024;
            e++;
        }
        put_u128(v, num, sizeof num);
        sfx = bin[e];
    } else {
        int e = -9;
        while (m % 10 == 0) {
            m /= 10;
            e++;
        }
        /* The exponent goes down to a multiple of three. */
        int r = ((e % 3) + 3) % 3;
        for (; r > 0; r--, e--)
            m *= 10;
        put_u128(m, num, sizeof num);
        static const char *const dec[] = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
        if (f == QTY_DECIMAL_SI && e >= -9 && e <= 18) {
            sfx = dec[(e + 9) / 3];
        } else if (e == 0) {
            sfx = "";
        } else {
            snprintf(ebuf, sizeof ebuf, "e%d", e);
            sfx = ebuf;
        }
    }
    snprintf(buf, n, "%s%s%s", neg ? "-" : "", num, sfx);
    return buf;
}
