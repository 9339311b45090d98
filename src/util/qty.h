/* qty — resource.Quantity as an exact value with its format, for arithmetic and for printing the
 * way Quantity.String() prints (kubectl describe's requests, limits, capacities and their sums).
 *
 * A value is held in nano-units (10^-9) in 128 bits, which is exact for everything the grammar
 * accepts within Kubernetes' range; finer values round up to the next nano, as the API does.
 * The format (binary SI, decimal SI, decimal exponent) comes from the suffix and decides the
 * canonical form: "1.5Gi" prints as "1536Mi", "1000m" as "1", "0.5" as "500m", "1000" as "1k". */
#ifndef TIMON_UTIL_QTY_H
#define TIMON_UTIL_QTY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum qty_format { QTY_DECIMAL_SI = 0, QTY_BINARY_SI, QTY_DECIMAL_EXPONENT };

struct qty {
    __int128 nano; /* value * 10^9 */
    enum qty_format format;
};

#define QTY_MAX_LEN 48 /* the longest canonical form plus NUL */

/* Parses s; false (q zeroed) for anything outside the grammar. */
bool qty_parse(const char *s, struct qty *q);
/* a += b, as Quantity.Add: a zero a takes b's format. */
void qty_add(struct qty *a, const struct qty *b);
/* -1, 0, 1 by value. */
int qty_cmp(const struct qty *a, const struct qty *b);
bool qty_is_zero(const struct qty *q);
/* MilliValue() and Value(): rounded up, saturating at the int64 range. */
int64_t qty_milli(const struct qty *q);
int64_t qty_value(const struct qty *q);
/* The canonical form, as Quantity.String(). Returns buf (QTY_MAX_LEN bytes). */
const char *qty_format(const struct qty *q, char *buf, size_t n);

#endif
