/* filter — the table filter a user types after '/': a case-insensitive PCRE2 regex over the
 * visible cells ("!re" inverts it), or "-f term" for a fuzzy match on namespace/name.
 *
 * Patterns are compiled with JIT and every match runs under match, depth and heap limits, so a
 * catastrophic pattern costs a bounded time: a match that hits a limit counts as no match and
 * is counted in `limit_hits`, for the UI to warn (and a table to stop scanning: each such
 * match costs milliseconds, and there may be 50,000 rows). */
#ifndef TIMON_MODEL_FILTER_H
#define TIMON_MODEL_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define FILTER_MAX_PATTERN 1024

enum filter_mode { FILTER_NONE, FILTER_REGEX, FILTER_FUZZY };

struct filter {
    enum filter_mode mode;
    bool invert;
    bool literal; /* the regex has no metacharacters (so a longer one narrows it) */
    bool ascii;   /* ...and is ASCII: term is matched without PCRE2 on ASCII text */
    char *expr;   /* owned: what the user typed */
    char *term;   /* owned: the regex or fuzzy term, lowercased for fuzzy and ascii */
    size_t term_len;
    void *re, *md, *mctx; /* pcre2 objects (opaque here) */
    unsigned limit_hits;  /* matches since the last reset that hit a limit */
};

/* How an ASCII literal is compared: A-Z folded to a-z, every other byte as it is (text kept
 * for such a filter must be folded the same way). */
static inline unsigned char filter_fold(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
}

/* Compiles expr ("" clears). On error the filter is left unchanged and e says why. */
bool filter_set(struct filter *f, const char *expr, struct err *e);
bool filter_active(const struct filter *f);
/* Regex or inverted regex over a row's text. */
bool filter_match_text(struct filter *f, const char *text, size_t len);
/* The same on a NUL-terminated cell, in one pass for an ASCII literal. */
bool filter_match_cell(struct filter *f, const char *text);
/* The first match of a regex filter in text[from..len) (not for inverted or fuzzy filters):
 * true with its byte range [*start, *end), never empty. For highlighting what matched. */
bool filter_find(struct filter *f, const char *text, size_t len, size_t from, size_t *start,
                 size_t *end);
/* Fuzzy: the term's characters appear in order in "namespace/name" (case-insensitive). */
bool filter_match_fuzzy(const struct filter *f, const char *ns_name);
/* True when every row matching `next` also matches `prev`, so the previous match set can be
 * narrowed instead of scanning all rows again. */
bool filter_narrows(const struct filter *prev, const struct filter *next);
void filter_free(struct filter *f);

#endif
