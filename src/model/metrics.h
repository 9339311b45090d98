/* metrics — the latest metrics.k8s.io samples for pods and nodes, refreshed on a timer (metrics
 * cannot be watched). Cells look usage up by namespace and name; absent means "n/a".
 *
 * The metrics object owns its samples; cells borrow it through struct cell_ctx. */
#ifndef TIMON_MODEL_METRICS_H
#define TIMON_MODEL_METRICS_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/map.h"

struct metrics_sample {
    int64_t cpu_milli;
    int64_t mem_bytes;
};

struct metrics {
    struct map pods;     /* "ns/name" -> struct metrics_sample (owned, key inside the allocation) */
    struct map nodes;    /* "name" -> struct metrics_sample */
    int64_t updated;     /* wall-clock seconds of the last successful refresh, 0 never */
    uint64_t generation; /* bumps whenever the samples change (cell memos key on it) */
};

/* Replaces the pod (or node) samples with those of a PodMetricsList (NodeMetricsList). */
void metrics_load_pods(struct metrics *m, const cJSON *list);
void metrics_load_nodes(struct metrics *m, const cJSON *list);
/* The same from a response body, one item at a time (never the whole list as one tree);
 * a body that is not a list leaves no samples. */
void metrics_load_pods_json(struct metrics *m, const char *body, size_t len);
void metrics_load_nodes_json(struct metrics *m, const char *body, size_t len);
bool metrics_pod(const struct metrics *m, const char *ns, const char *name,
                 struct metrics_sample *out);
bool metrics_node(const struct metrics *m, const char *name, struct metrics_sample *out);
void metrics_free(struct metrics *m);

/* Cell helpers: "n/a" when a value is unknown or a divisor is zero. */
/* Whether a cell written by metrics_fmt_int or metrics_fmt_pct (an integer, or n/a) could
 * contain the lowercase ASCII literal lit: a filter need not compute such cells otherwise. */
bool metrics_cell_may_match(const char *lit);
const char *metrics_fmt_int(int64_t v, bool known, char *buf);
const char *metrics_fmt_pct(int64_t num, int64_t den, bool known, char *buf);

#endif
