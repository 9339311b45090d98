/* filter — PCRE2 with limits, and a subsequence fuzzy match. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "model/filter.h"
#include "util/xalloc.h"

#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define FILTER_MATCH_LIMIT    1000000
#define FILTER_DEPTH_LIMIT    10000
#define FILTER_HEAP_LIMIT_KIB 8192

static void release(struct filter *f)
{
    pcre2_match_data_free(f->md);
    pcre2_code_free(f->re);
    pcre2_match_context_free(f->mctx);
    free(f->expr);
    free(f->term);
    memset(f, 0, sizeof *f);
}

static bool is_literal(const char *s)
{
    return strpbrk(s, "\\^$.|?*+()[]{}") == NULL;
}

bool filter_set(struct filter *f, const char *expr, struct err *e)
{
    while (*expr == ' ')
        expr++;
    if (!*expr) {
        release(f);
        return true;
    }
    if (strlen(expr) > FILTER_MAX_PATTERN)
        return err_set(e, "filter too long (the limit is %d characters)", FILTER_MAX_PATTERN);
    struct filter n = {0};
    n.expr = xstrdup(expr);
    if (strncmp(expr, "-f", 2) == 0 && (expr[2] == ' ' || expr[2] == '\0')) {
        const char *t = expr + 2;
        while (*t == ' ')
            t++;
        n.mode = FILTER_FUZZY;
        n.term = xstrdup(t);
        for (char *p = n.term; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        release(f);
        *f = n;
        return true;
    }
    const char *re = expr;
    if (*re == '!') {
        n.invert = true;
        re++;
    }
    if (!*re) {
        free(n.expr);
        return err_set(e, "an empty pattern after '!'");
    }
    int code;
    PCRE2_SIZE off;
    pcre2_code *c =
        pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED,
                      PCRE2_CASELESS | PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &code, &off, NULL);
    if (!c) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        free(n.expr);
        return err_set(e, "invalid filter at offset %zu: %s", (size_t)off, (const char *)msg);
    }
    pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* falls back to the interpreter if unavailable */
    n.mode = FILTER_REGEX;
    n.literal = !n.invert && is_literal(re);
    n.term = xstrdup(re);
    n.ascii = n.literal;
    for (char *p = n.term; *p && n.ascii; p++) {
        n.ascii = (unsigned char)*p < 0x80;
        *p = (char)filter_fold((unsigned char)*p);
    }
    n.term_len = strlen(n.term);
    if (!n.ascii) { /* keep the term as typed */
        free(n.term);
        n.term = xstrdup(re);
    }
    n.re = c;
    n.md = pcre2_match_data_create_from_pattern(c, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(mc, FILTER_MATCH_LIMIT);
    pcre2_set_depth_limit(mc, FILTER_DEPTH_LIMIT);
    pcre2_set_heap_limit(mc, FILTER_HEAP_LIMIT_KIB);
    n.mctx = mc;
    release(f);
    *f = n;
    return true;
}

bool filter_active(const struct filter *f)
{
    return f->mode != FILTER_NONE;
}

/* Case-insensitive search for an ASCII literal (lowercase, n > 0 bytes) in text: 1 found, 0
 * not, -1 when text is not all ASCII (PCRE2's caseless UTF matching knows case pairs beyond
 * ASCII, such as k and the Kelvin sign, so it decides those). A filter keystroke at 50,000
 * rows makes some 500,000 such calls, each a fraction of a PCRE2 match. */
static int ascii_find(const char *lit, size_t n, const char *text, size_t len)
{
    const unsigned char *t = (const unsigned char *)text, *l = (const unsigned char *)lit;
    int found = 0;
    for (size_t i = 0; i < len; i++) {
        if (t[i] >= 0x80)
            return -1;
        if (!found && filter_fold(t[i]) == l[0] && i + n <= len) {
            size_t k = 1;
            while (k < n && filter_fold(t[i + k]) == l[k])
                k++;
            found = k == n;
        }
    }
    return found;
}

bool filter_match_cell(struct filter *f, const char *text)
{
    if (f->ascii && f->mode == FILTER_REGEX) { /* one pass: no strlen first */
        const unsigned char *t = (const unsigned char *)text, *l = (const unsigned char *)f->term;
        size_t i = 0;
        for (; t[i]; i++) {
            if (t[i] >= 0x80)
                return filter_match_text(f, text, i + strlen(text + i));
            if (filter_fold(t[i]) == l[0]) {
                size_t k = 1;
                while (k < f->term_len && t[i + k] && filter_fold(t[i + k]) == l[k])
                    k++;
                if (k == f->term_len) { /* found; what is left decides ASCII-ness */
                    for (size_t j = i + k; t[j]; j++)
                        if (t[j] >= 0x80)
                            return filter_match_text(f, text, j + strlen(text + j));
                    return true;
                }
            }
        }
        return false;
    }
    return filter_match_text(f, text, strlen(text));
}

bool filter_match_text(struct filter *f, const char *text, size_t len)
{
    if (f->mode != FILTER_REGEX)
        return true;
    if (f->ascii) {
        int found = ascii_find(f->term, f->term_len, text, len);
        if (found >= 0)
            return found == 1;
    }
    int rc = pcre2_match(f->re, (PCRE2_SPTR)text, len, 0, 0, f->md, f->mctx);
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT) {
        f->limit_hits++;
        return false; /* a runaway pattern matches nothing, whether inverted or not */
    }
    bool hit = rc >= 0;
    return f->invert ? !hit : hit;
}

bool filter_find(struct filter *f, const char *text, size_t len, size_t from, size_t *start,
                 size_t *end)
{
    if (f->mode != FILTER_REGEX || f->invert)
        return false;
    while (from < len) {
        int rc = pcre2_match(f->re, (PCRE2_SPTR)text, len, from, 0, f->md, f->mctx);
        if (rc < 0) {
            if (rc != PCRE2_ERROR_NOMATCH)
                f->limit_hits++;
            return false;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(f->md);
        if (ov[1] > ov[0]) {
            *start = ov[0];
            *end = ov[1];
            return true;
        }
        /* An empty match highlights nothing: look further, from the next character. */
        from = ov[0] + 1;
        while (from < len && ((unsigned char)text[from] & 0xc0) == 0x80)
            from++;
    }
    return false;
}

bool filter_match_fuzzy(const struct filter *f, const char *s)
{
    if (f->mode != FILTER_FUZZY)
        return true;
    const char *t = f->term;
    for (; *s && *t; s++)
        if (tolower((unsigned char)*s) == *t)
            t++;
    return *t == '\0';
}

bool filter_narrows(const struct filter *prev, const struct filter *next)
{
    if (prev->mode == FILTER_NONE)
        return false;
    if (prev->mode != next->mode)
        return false;
    if (prev->mode == FILTER_FUZZY)
        return strncmp(next->term, prev->term, strlen(prev->term)) == 0;
    /* A literal that contains the previous literal matches a subset of its rows. */
    return prev->literal && next->literal && strstr(next->term, prev->term) != NULL;
}

void filter_free(struct filter *f)
{
    release(f);
}
