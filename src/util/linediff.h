/* linediff — a line diff of two texts for people to read: every line of the result starts
 * with "  " (both), "- " (only in a) or "+ " (only in b). Longest-common-subsequence based;
 * texts past a few thousand lines are compared as wholes (all of a removed, all of b added). */
#ifndef TIMON_UTIL_LINEDIFF_H
#define TIMON_UTIL_LINEDIFF_H

#include <stdbool.h>

#include "util/strbuf.h"

/* Appends the diff to out; returns true when the texts differ. `context` limits unchanged
 * lines kept around each change (-1: all of them). */
bool linediff(const char *a, const char *b, int context, struct strbuf *out);

#endif
