/* jsonscan — finds the spans of a JSON object's top-level members and an array's elements
 * without building a tree, so a 500-item LIST page can be parsed one item at a time (small,
 * cache-friendly trees, and a peak memory of one item rather than the page).
 *
 * The scanner checks structure (strings, escapes, nesting), not every grammar rule: a span it
 * returns is then parsed by cJSON, which rejects anything malformed. */
#ifndef TIMON_UTIL_JSONSCAN_H
#define TIMON_UTIL_JSONSCAN_H

#include <stdbool.h>
#include <stddef.h>

struct jsonspan {
    const char *p;
    size_t n;
};

/* The value of top-level member `key` of the object in buf; false if absent or malformed. */
bool jsonscan_member(const char *buf, size_t len, const char *key, struct jsonspan *out);
/* Iterates the elements of the array `arr` (a span holding "[...]"): start with *pos = 0;
 * returns false at the end or on malformed input (then *bad is set). */
bool jsonscan_next(struct jsonspan arr, size_t *pos, struct jsonspan *elem, bool *bad);

#endif
