/* json — small read helpers over cJSON trees, tolerant of missing keys and wrong types.
 *
 * Every helper accepts NULL and returns NULL/0/false, so lookups can be chained without checks
 * at each step. Nothing here allocates. */
#ifndef TIMON_UTIL_JSON_H
#define TIMON_UTIL_JSON_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

/* obj[key] (case-sensitive), or NULL. */
const cJSON *json_get(const cJSON *obj, const char *key);
/* Follows a NULL-terminated chain of keys: json_path(pod, "status", "phase", NULL). */
const cJSON *json_path(const cJSON *obj, ...) __attribute__((sentinel));
/* The string value of obj[key], or NULL when absent or not a string. */
const char *json_str(const cJSON *obj, const char *key);
/* The same, but "" instead of NULL. */
const char *json_strz(const cJSON *obj, const char *key);
/* The integer value of obj[key] (numbers only, clamped to int64), or def. */
int64_t json_int(const cJSON *obj, const char *key, int64_t def);
/* True only for a JSON true. */
bool json_true(const cJSON *obj, const char *key);
/* Array length (0 for non-arrays). */
int json_len(const cJSON *arr);
/* An RFC3339 timestamp field as epoch seconds, or 0 when absent or invalid. */
int64_t json_time(const cJSON *obj, const char *key);

#endif
