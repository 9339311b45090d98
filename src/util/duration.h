/* duration — human-readable durations exactly as kubectl prints them (apimachinery's
 * HumanDuration), and parsing of Go-style durations given on the command line ("5m", "1h30m"). */
#ifndef TIMON_UTIL_DURATION_H
#define TIMON_UTIL_DURATION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DURATION_MAX_LEN 16 /* "<invalid>", "12345y", "2y364d" ... plus NUL */

/* Writes HumanDuration(secs): "45s", "3m20s", "125m", "3h20m", "47h", "5d3h", "400d", "2y10d",
 * "9y"; "0s" for -1, "<invalid>" below that. Returns buf. */
char *duration_human(int64_t secs, char *buf, size_t n);
/* The age of a timestamp: "<unknown>" when `t` is 0 (a zero time), else duration_human(now-t). */
char *duration_age(int64_t now, int64_t t, char *buf, size_t n);
/* Every character duration_human and duration_age can write, and the "N (D ago)" and plain
 * integer text of restart counts built from them: a cell made only of these cannot contain a
 * literal with any other character. */
#define DURATION_CELL_CHARS "0123456789-smhdy ()ago<>invalidunknown"
/* Whether such a cell could contain the lowercase literal lit. */
bool duration_cell_may_match(const char *lit);
/* Parses a Go duration (time.ParseDuration: "1.5h", "500ms", "1h30m", "-2m", "0") into
 * nanoseconds; false for anything else or one that overflows. */
bool duration_parse_go(const char *s, int64_t *nanos);
/* Reads back what duration_human writes ("45s", "3m20s", "5d3h", "2y10d", "0s"): seconds, or
 * false for anything else ("<unknown>", ""). */
bool duration_parse_human(const char *s, int64_t *secs);

#endif
