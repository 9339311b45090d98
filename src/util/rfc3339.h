/* rfc3339 — Kubernetes timestamps (metav1.Time and MicroTime) to and from epoch seconds.
 *
 * Pure functions: no time zone database, no locale, no allocation. */
#ifndef TIMON_UTIL_RFC3339_H
#define TIMON_UTIL_RFC3339_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RFC3339_LEN 21 /* "2025-01-02T03:04:05Z" plus NUL */

/* Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" into seconds since the epoch (fractions
 * are dropped toward the past). Returns false for anything else. */
bool rfc3339_parse(const char *s, int64_t *out);
/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" (UTC). `buf` holds at least RFC3339_LEN bytes. */
void rfc3339_format(int64_t t, char *buf, size_t n);
/* Days since 1970-01-01 for a proleptic Gregorian date. */
int64_t rfc3339_days_from_civil(int64_t y, unsigned m, unsigned d);

#endif
