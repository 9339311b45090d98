/* selector — label selectors in their full string syntax: `k=v`, `k==v`, `k!=v`,
 * `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, `k>n`, `k<n`, comma-ANDed.
 *
 * Parsed and validated locally (keys and values as the server validates them) so a bad
 * selector gets a clear message before anything is sent; the text is then sent to the server
 * as typed. selector_matches evaluates it against "k=v,k=v" label strings. */
#ifndef TIMON_MODEL_SELECTOR_H
#define TIMON_MODEL_SELECTOR_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

enum selector_op { SEL_EQ, SEL_NEQ, SEL_IN, SEL_NOTIN, SEL_EXISTS, SEL_NOTEXISTS, SEL_GT, SEL_LT };

struct selector_req {
    char *key; /* owned */
    enum selector_op op;
    char **values; /* owned, NULL-terminated */
};

struct selector {
    struct selector_req *reqs; /* owned */
    size_t n;
};

bool selector_parse(const char *text, struct selector *out, struct err *e);
/* Whether labels ("k=v,k2=v2", as objects keep them) satisfy every requirement. */
bool selector_matches(const struct selector *s, const char *labels);
void selector_free(struct selector *s);

#endif
