/* natsort — "natural" string order: digit runs compare as numbers, so pod-2 sorts before
 * pod-10. Ties fall back to byte order, so the order is total.
 *
 * natsort_key writes a byte string whose memcmp order is exactly natsort_cmp's order, so a
 * table of 50,000 names can be sorted by bytes (keysort) instead of by 800,000 calls to
 * natsort_cmp. The key is prefix-free (no key is a proper prefix of another), so keys can be
 * concatenated into composite keys and inverted (every byte complemented) for descending order. */
#ifndef TIMON_UTIL_NATSORT_H
#define TIMON_UTIL_NATSORT_H

#include <stdbool.h>

#include "util/strbuf.h"

int natsort_cmp(const char *a, const char *b);
/* Appends the collation key of s to out. Without `exact` the byte-order tie is left out: strings
 * that differ only in leading zeros ("a01", "a1") get equal keys, half as long. */
void natsort_key(struct strbuf *out, const char *s, bool exact);

#endif
