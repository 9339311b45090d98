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

#include "util/jsonscan.h"
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

/* A response body read a slice at a time: at 50,000 pods a PodMetricsList is ~22 MB and one
 * pass over it took 150-250 ms, which every key pressed meanwhile waited for (make bench). The
 * samples are collected apart and replace the old ones only once the whole body is read, so
 * cells never see half a refresh. */
struct metrics_loader {
    char *body; /* owned copy of the response */
    size_t len, pos;
    struct jsonspan items;
    bool active, ok, nodes;
    struct metrics staging; /* what is read so far */
};

/* Starts reading a PodMetricsList (or NodeMetricsList, `nodes`), dropping one being read;
 * takes body (malloc'd, len bytes): a 22 MB response is not copied. */
void metrics_loader_start(struct metrics_loader *l, char *body, size_t len, bool nodes);
/* Reads up to n more items; once the body is read, replaces m's samples and returns true. */
bool metrics_loader_step(struct metrics_loader *l, struct metrics *m, size_t n);
void metrics_loader_free(struct metrics_loader *l);

/* Cell helpers: "n/a" when a value is unknown or a divisor is zero. */
const char *metrics_fmt_int(int64_t v, bool known, char *buf);
const char *metrics_fmt_pct(int64_t num, int64_t den, bool known, char *buf);
/* Whether a cell written by metrics_fmt_int or metrics_fmt_pct (an integer, or n/a) could
 * contain the lowercase ASCII literal lit: a filter need not compute such cells otherwise. */
bool metrics_cell_may_match(const char *lit);

#endif
