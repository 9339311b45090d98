/* op_patch — the one-request patches: rollout restart, cordon/uncordon, cron job suspend.
 *
 * Each patch carries the target's uid in its metadata, so it fails with a Conflict instead of
 * landing on a recreated object of the same name. */
#ifndef TIMON_CLIENT_OP_PATCH_H
#define TIMON_CLIENT_OP_PATCH_H

#include <stdint.h>

#include "client/op.h"

/* As `kubectl rollout restart`: the pod template's kubectl.kubernetes.io/restartedAt annotation
 * set to `now` (epoch seconds; RFC 3339 in local time, as kubectl writes it). */
bool op_restart(struct http *h, const struct target *t, int64_t now, op_done_fn done, void *ud,
                struct err *e);
/* As `kubectl cordon` (on) and `kubectl uncordon` (off). */
bool op_cordon(struct http *h, const struct target *t, bool on, op_done_fn done, void *ud,
               struct err *e);
/* spec.suspend of a CronJob. */
bool op_suspend(struct http *h, const struct target *t, bool on, op_done_fn done, void *ud,
                struct err *e);

/* The restartedAt value for an instant (exposed for tests). */
void op_restart_stamp(int64_t now, char *buf, size_t n);

#endif
