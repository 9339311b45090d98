/* linediff — LCS table over lines. */
#include "util/linediff.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LINES 4000

struct lines {
    const char **s;
    size_t *len;
    size_t n;
};

static void split(const char *t, struct lines *l)
{
    size_t cap = 16;
    l->s = xmalloc(cap * sizeof *l->s);
    l->len = xmalloc(cap * sizeof *l->len);
    l->n = 0;
    while (*t) {
        size_t n = strcspn(t, "\n");
        if (l->n == cap) {
            cap *= 2;
            l->s = xrealloc(l->s, cap * sizeof *l->s);
            l->len = xrealloc(l->len, cap * sizeof *l->len);
        }
        l->s[l->n] = t;
        l->len[l->n++] = n;
        t += n;
        if (*t)
            t++;
    }
}

static bool same(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
    return a->len[i] == b->len[j] && memcmp(a->s[i], b->s[j], a->len[i]) == 0;
}

enum { KEEP, DEL, ADD };

static void emit(struct strbuf *out, int op, const char *s, size_t n)
{
    strbuf_puts(out, op == KEEP ? "  " : op == DEL ? "- " : "+ ");
    strbuf_append(out, s, n);
    strbuf_putc(out, '\n');
}

bool linediff(const char *a, const char *b, int context, struct strbuf *out)
{
    struct lines la, lb;
    split(a, &la);
    split(b, &lb);
    size_t n = la.n, m = lb.n;
    int *ops = xmalloc((n + m + 1) * sizeof *ops);
    size_t *idx = xmalloc((n + m + 1) * sizeof *idx);
    size_t k = 0;
    bool differ = false;
    if (n > MAX_LINES || m > MAX_LINES) {
        for (size_t i = 0; i < n; i++)
            ops[k] = DEL, idx[k++] = i;
        for (size_t j = 0; j < m; j++)
            ops[k] = ADD, idx[k++] = j;
    } else {
        /* lcs[i][j]: the LCS length of a[i..] and b[j..]. */
        unsigned *lcs = xcalloc((n + 1) * (m + 1), sizeof *lcs);
#define L(i, j) lcs[(i) * (m + 1) + (j)]
        for (size_t i = n; i-- > 0;)
            for (size_t j = m; j-- > 0;)
                L(i, j) = same(&la, i, &lb, j)         ? L(i + 1, j + 1) + 1
                          : L(i + 1, j) >= L(i, j + 1) ? L(i + 1, j)
                                                       : L(i, j + 1);
        size_t i = 0, j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && same(&la, i, &lb, j)) {
                ops[k] = KEEP, idx[k++] = i;
                i++, j++;
            } else if (i < n && (j == m || L(i + 1, j) >= L(i, j + 1))) {
                ops[k] = DEL, idx[k++] = i++; /* removals before additions, as diff prints */
            } else {
                ops[k] = ADD, idx[k++] = j++;
            }
        }
#undef L
        free(lcs);
    }
    bool skipped = false;
    for (size_t x = 0; x < k; x++) {
        if (ops[x] != KEEP) {
            differ = true;
            const struct lines *l = ops[x] == DEL ? &la : &lb;
            emit(out, ops[x], l->s[idx[x]], l->len[idx[x]]);
            skipped = false;
            continue;
        }
        /* An unchanged line: kept when within `context` lines of a change; a run of skipped
         * ones shows as one "..." line. */
        bool near = context < 0;
        for (size_t d = 1; !near && d <= (size_t)context; d++)
            near = (x >= d && ops[x - d] != KEEP) || (x + d < k && ops[x + d] != KEEP);
        if (near) {
            emit(out, KEEP, la.s[idx[x]], la.len[idx[x]]);
            skipped = false;
        } else if (!skipped) {
            strbuf_puts(out, "  ...\n");
            skipped = true;
        }
    }
    free(ops);
    free(idx);
    free(la.s);
    free(la.len);
    free(lb.s);
    free(lb.len);
    return differ;
}
