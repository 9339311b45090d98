/* op_drain — `r` on a node: cordon, then evict its pods through the Eviction API, as
 * `kubectl drain` does.
 *
 * The pods are chosen by kubectl's rules: mirror pods are skipped; DaemonSet pods stop the
 * drain unless ignore_daemonsets (then they are skipped); pods with emptyDir data stop it unless
 * delete_emptydir; pods without a controller stop it unless force (finished pods never do). An
 * eviction a PodDisruptionBudget refuses (429) is retried every 5 s; an evicted pod counts once
 * the server no longer has it (checked every second, as kubectl waits). Everything stops at the
 * timeout. Progress is reported as lines. Drains run in the background: the app calls
 * drain_tick when drain_timeout_ms says so. */
#ifndef TIMON_CLIENT_OP_DRAIN_H
#define TIMON_CLIENT_OP_DRAIN_H

#include <stdint.h>

#include "client/op.h"

struct drain_opts {
    bool ignore_daemonsets;
    bool delete_emptydir;
    bool force;
    long grace;     /* seconds; < 0: each pod's own */
    long timeout_s; /* 0: none */
};

/* `done` is true on the last report; then ok says whether the node was drained. */
typedef void (*drain_progress_fn)(void *ud, const char *line, bool done, bool ok);

struct drain;

struct drain *drain_start(struct http *h, const struct target *node, const struct drain_opts *o,
                          int64_t now_ms, drain_progress_fn fn, void *ud, struct err *e);
void drain_tick(struct drain *d, int64_t now_ms);
/* ms until drain_tick has work, or -1. */
int drain_timeout_ms(const struct drain *d, int64_t now_ms);
bool drain_finished(const struct drain *d);
/* Stops reporting; requests in flight finish quietly. */
void drain_free(struct drain *d);

/* Which pods of a PodList a drain evicts (exposed for tests): returns the JSON array of pods to
 * evict, or NULL with e saying why the drain cannot go on; warnings (ignored DaemonSet pods ...)
 * go to `warn`. */
cJSON *drain_select(const cJSON *pods, const struct drain_opts *o, struct strbuf *warn,
                    struct err *e);

#endif
