/* quantity — Kubernetes resource quantities ("500m", "1.5Gi", "2e3", "128974848").
 *
 * Parsed exactly into milli-units (for CPU: millicores) or whole units rounded up (bytes), with
 * saturation instead of overflow. Formatting follows what k9s and kubectl top show. */
#ifndef TIMON_UTIL_QUANTITY_H
#define TIMON_UTIL_QUANTITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Value * 1000, rounded up (k8s MilliValue). False for anything that is not a quantity. */
bool quantity_milli(const char *s, int64_t *out);
/* The value in whole units, rounded up (k8s Value()): bytes for memory. */
bool quantity_value(const char *s, int64_t *out);
/* "1536Mi" style: memory in MiB rounded down, as kubectl top and k9s print it. */
int64_t quantity_mib(int64_t bytes);
/* A quantity sent as a JSON number, as text: a whole number as an integer ("5", "-3"), anything
 * else as %g ("0.5"; a real apiserver always sends quantities as strings). Returns buf. */
const char *quantity_format_number(double v, char *buf, size_t n);

#endif
