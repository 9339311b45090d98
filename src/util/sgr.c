/* sgr — SGR colours out of log text, everything else through sanitize. See sgr.h.
 *
 * Must not: let any byte of an escape sequence through raw (only complete, well-formed SGR
 * sequences are consumed, and they emit nothing), or grow without bound per line. */
#include "util/sgr.h"
#include "util/sanitize.h"

#include <string.h>

#define SGR_MAX_PARAMS 32
#define SGR_MAX_SUBS   8

static enum sgr_color basic(unsigned k)
{
    static const enum sgr_color map[8] = {SGR_DEFAULT, SGR_RED,     SGR_GREEN, SGR_YELLOW,
                                          SGR_BLUE,    SGR_MAGENTA, SGR_CYAN,  SGR_DEFAULT};
    return map[k & 7];
}

/* The hue of an RGB colour: the channels well above the weakest one name it; greys have none. */
static enum sgr_color rgb_hue(unsigned r, unsigned g, unsigned b)
{
    unsigned max = r > g ? (r > b ? r : b) : (g > b ? g : b);
    unsigned min = r < g ? (r < b ? r : b) : (g < b ? g : b);
    if (max - min < 48)
        return SGR_DEFAULT;
    unsigned mid = min + (max - min) / 2;
    unsigned bits = (r > mid ? 1u : 0u) | (g > mid ? 2u : 0u) | (b > mid ? 4u : 0u);
    static const enum sgr_color by_bits[8] = {SGR_DEFAULT, SGR_RED,     SGR_GREEN, SGR_YELLOW,
                                              SGR_BLUE,    SGR_MAGENTA, SGR_CYAN,  SGR_DEFAULT};
    return by_bits[bits];
}

/* A 256-colour palette entry: the 16 ANSI colours, the 6x6x6 cube, the grey ramp. */
static enum sgr_color palette(unsigned n)
{
    if (n < 16)
        return basic(n);
    if (n > 231)
        return SGR_DEFAULT;
    n -= 16;
    return rgb_hue(n / 36 * 51, n / 6 % 6 * 51, n % 6 * 51);
}

/* An extended colour after 38: "5;N" or "2;R;G;B", colon forms with a colour space id too
 * ("2::R:G:B"); v points at the 5 or the 2. Anything else leaves *out alone. */
static void extended(const unsigned *v, unsigned n, enum sgr_color *out)
{
    if (n >= 2 && v[0] == 5)
        *out = palette(v[1]);
    else if (n >= 4 && v[0] == 2)
        *out = rgb_hue(v[n - 3] & 0xff, v[n - 2] & 0xff, v[n - 1] & 0xff);
}

struct group {
    unsigned v[SGR_MAX_SUBS];
    unsigned n; /* values; more than one when the group used ':' sub-parameters */
};

/* Splits "1;38:2::255:0:0" into groups of numbers (an empty number is 0). */
static unsigned split(const char *p, size_t len, struct group *g, unsigned max)
{
    unsigned ng = 0;
    size_t i = 0;
    for (;;) {
        if (ng == max)
            return ng;
        struct group *cur = &g[ng++];
        cur->n = 0;
        for (;;) {
            unsigned v = 0;
            while (i < len && p[i] >= '0' && p[i] <= '9') {
                if (v < 100000)
                    v = v * 10 + (unsigned)(p[i] - '0');
                i++;
            }
            if (cur->n < SGR_MAX_SUBS)
                cur->v[cur->n++] = v;
            if (i < len && p[i] == ':') {
                i++;
                continue;
            }
            break;
        }
        if (i >= len)
            return ng;
        i++; /* the ';' */
    }
}

/* The foreground after applying an SGR parameter string to `cur`. */
static enum sgr_color apply(const char *p, size_t len, enum sgr_color cur)
{
    struct group g[SGR_MAX_PARAMS];
    unsigned ng = split(p, len, g, SGR_MAX_PARAMS);
    for (unsigned i = 0; i < ng; i++) {
        unsigned v = g[i].v[0];
        if (g[i].n > 1) {
            if (v == 38)
                extended(g[i].v + 1, g[i].n - 1, &cur);
            continue;
        }
        if (v == 0 || v == 39)
            cur = SGR_DEFAULT;
        else if (v >= 30 && v <= 37)
            cur = basic(v - 30);
        else if (v >= 90 && v <= 97)
            cur = basic(v - 90);
        else if (v == 38 || v == 48 || v == 58) {
            /* "38;5;N" or "38;2;R;G;B": gather the following single values. */
            unsigned vals[4], nv = 0;
            for (unsigned j = i + 1; j < ng && nv < 4 && g[j].n == 1; j++)
                vals[nv++] = g[j].v[0];
            unsigned want = nv >= 1 && vals[0] == 5 ? 2 : nv >= 1 && vals[0] == 2 ? 4 : 0;
            if (want > nv)
                want = nv;
            enum sgr_color c = cur;
            extended(vals, want, &c);
            if (v == 38)
                cur = c;
            i += want;
        }
    }
    return cur;
}

/* True when s starts with a complete SGR sequence: ESC '[' [0-9;:]* 'm', short enough. */
static bool is_sgr(const char *s, size_t n, size_t *len)
{
    if (n < 3 || s[0] != 0x1b || s[1] != '[')
        return false;
    for (size_t i = 2; i < n && i < SGR_MAX_SEQ + 3; i++) {
        char c = s[i];
        if (c == 'm') {
            *len = i + 1;
            return true;
        }
        if (!((c >= '0' && c <= '9') || c == ';' || c == ':'))
            return false;
    }
    return false;
}

static void add_run(struct sgr_runs *runs, size_t off, enum sgr_color c)
{
    if (!runs)
        return;
    if (runs->n > 0 && runs->r[runs->n - 1].off == off) {
        runs->r[runs->n - 1].color = (uint8_t)c;
        return;
    }
    enum sgr_color prev = runs->n ? (enum sgr_color)runs->r[runs->n - 1].color : SGR_DEFAULT;
    if (prev == c || runs->n == SGR_MAX_RUNS)
        return;
    runs->r[runs->n].off = (uint32_t)off;
    runs->r[runs->n].color = (uint8_t)c;
    runs->n++;
}

bool sgr_render(const char *in, size_t n, struct strbuf *out, struct sgr_runs *runs, unsigned flags)
{
    size_t base = out->len;
    if (runs)
        runs->n = 0;
    enum sgr_color cur = SGR_DEFAULT;
    bool ok = true;
    size_t i = 0, run = 0; /* run: start of the text not yet appended */
    while (i < n) {
        const char *esc = memchr(in + i, 0x1b, n - i);
        if (!esc)
            break;
        size_t at = (size_t)(esc - in), len;
        if (!is_sgr(esc, n - at, &len)) {
            i = at + 1; /* not SGR: sanitize shows it */
            continue;
        }
        ok = sanitize_append(out, in + run, at - run, flags) && ok;
        cur = apply(esc + 2, len - 3, cur);
        add_run(runs, out->len - base, cur);
        i = run = at + len;
    }
    if (n > run)
        ok = sanitize_append(out, in + run, n - run, flags) && ok;
    return ok;
}

enum sgr_color sgr_color_at(const struct sgr_runs *runs, size_t off)
{
    enum sgr_color c = SGR_DEFAULT;
    for (unsigned i = 0; i < runs->n && runs->r[i].off <= off; i++)
        c = (enum sgr_color)runs->r[i].color;
    return c;
}
