/* keysort — most-significant-byte-first radix sort on byte keys. Each cell carries the next
 * eight bytes of its key as one big-endian word, so a pass reads the cell array in order
 * instead of reaching into each key (a cache miss per key per byte); keys are reached only
 * once per eight bytes of shared prefix. */
#include "util/keysort.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int keysort_cmp(const unsigned char *a, size_t alen, const unsigned char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    if (c)
        return c;
    return alen < blen ? -1 : alen > blen;
}

/* 16 bytes, so partitioning moves little: the key itself is reached through idx. */
struct cell {
    uint64_t w;   /* key bytes [d, d+8), big-endian, zero-padded past the end */
    uint32_t idx; /* into the items */
    uint32_t rem; /* how many of those bytes the key has: 0-8 (8: it may go on) */
};

static void load(struct cell *c, const struct keysort_item *items, size_t d)
{
    const struct keysort_item *it = &items[c->idx];
    size_t rem = it->len > d ? it->len - d : 0;
    uint64_t w = 0;
    if (rem >= 8) {
        rem = 8;
        memcpy(&w, it->key + d, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
        w = __builtin_bswap64(w);
#endif
    } else {
        for (size_t i = 0; i < 8; i++)
            w = w << 8 | (i < rem ? it->key[d + i] : 0);
    }
    c->w = w;
    c->rem = (uint32_t)rem;
}

/* Orders cells by the word, then by how much of it the key fills: "ab" before "ab\0". */
static int cell_cmp(const struct cell *a, const struct cell *b)
{
    if (a->w != b->w)
        return a->w < b->w ? -1 : 1;
    return a->rem < b->rem ? -1 : a->rem > b->rem;
}

/* Sorts v[0..n), whose keys are equal before depth d + byte, byte by byte (most significant
 * first) with 257 buckets: 0 for keys that ended before this byte (all equal: done), 1-256 for
 * the byte's values. Each level is two sequential passes over the cells (count, then move
 * through tmp), which at 50,000 rows beats the log2(n) partition passes of a quicksort. Past a
 * word's eighth byte the cells load the next eight bytes of their keys. */
static void radix(struct cell *v, struct cell *tmp, size_t n, const struct keysort_item *items,
                  size_t d, unsigned byte)
{
    while (n > 32) {
        if (byte == 8) {
            for (size_t k = 0; k < n; k++)
                load(&v[k], items, d + 8);
            d += 8;
            byte = 0;
        }
        if (byte == 0) { /* skip the leading bytes every word shares, in one pass */
            uint64_t lo = v[0].w, hi = v[0].w;
            uint32_t short_keys = 0;
            for (size_t k = 0; k < n; k++) {
                lo = v[k].w < lo ? v[k].w : lo;
                hi = v[k].w > hi ? v[k].w : hi;
                short_keys |= v[k].rem < 8;
            }
            if (lo == hi && !short_keys) {
                byte = 8; /* all eight shared: load the next word */
                continue;
            }
            if (!short_keys)
                byte = (unsigned)__builtin_clzll(lo ^ hi) / 8;
        }
        unsigned shift = 56 - 8 * byte;
        size_t count[257] = {0};
        for (size_t k = 0; k < n; k++)
            count[v[k].rem <= byte ? 0 : 1 + ((v[k].w >> shift) & 0xff)]++;
        size_t only = 257;
        for (size_t bk = 0; bk < 257 && only == 257; bk++)
            if (count[bk] == n)
                only = bk;
        if (only == 0)
            return;        /* every key ended: all equal */
        if (only == 257) { /* spread over buckets */
            size_t start[257], at = 0;
            for (size_t bk = 0; bk < 257; bk++) {
                start[bk] = at;
                at += count[bk];
            }
            size_t fill[257];
            memcpy(fill, start, sizeof fill);
            for (size_t k = 0; k < n; k++)
                tmp[fill[v[k].rem <= byte ? 0 : 1 + ((v[k].w >> shift) & 0xff)]++] = v[k];
            memcpy(v, tmp, n * sizeof *v);
            /* Recurse on all but the largest bucket, which the loop takes on: each recursion
             * has at most half the cells, so the stack stays within log2(n) levels. */
            size_t big = 1;
            for (size_t bk = 2; bk < 257; bk++)
                if (count[bk] > count[big])
                    big = bk;
            for (size_t bk = 1; bk < 257; bk++)
                if (bk != big && count[bk] > 1)
                    radix(v + start[bk], tmp, count[bk], items, d, byte + 1);
            v += start[big];
            n = count[big];
        }
        byte++; /* on to the next byte of the (largest) bucket */
    }
    /* A few cells: by what is left of the word and the key, from depth d. */
    for (size_t i = 1; i < n; i++) {
        struct cell it = v[i];
        size_t j = i;
        while (j > 0) {
            int c = cell_cmp(&v[j - 1], &it);
            if (c == 0 && it.rem == 8) {
                const struct keysort_item *x = &items[v[j - 1].idx], *y = &items[it.idx];
                c = keysort_cmp(x->key + d + 8, x->len - d - 8, y->key + d + 8, y->len - d - 8);
            }
            if (c <= 0)
                break;
            v[j] = v[j - 1];
            j--;
        }
        v[j] = it;
    }
}

void keysort(struct keysort_item *v, size_t n)
{
    if (n < 2)
        return;
    struct cell *cells = xcalloc(n, sizeof *cells);
    struct keysort_item *items = xcalloc(n, sizeof *items);
    memcpy(items, v, n * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        cells[i].idx = (uint32_t)i;
        load(&cells[i], items, 0);
    }
    struct cell *tmp = xcalloc(n, sizeof *tmp);
    radix(cells, tmp, n, items, 0, 0);
    free(tmp);
    for (size_t i = 0; i < n; i++)
        v[i] = items[cells[i].idx];
    free(cells);
    free(items);
}
