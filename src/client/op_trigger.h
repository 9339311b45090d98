/* op_trigger — `t` on a cron job: a Job from its jobTemplate now, as
 * `kubectl create job NAME --from=cronjob/CJ` makes it (the manual-instantiation annotation and
 * a controller reference to the cron job). The name is "<cronjob>-manual-<5 random>", cut to
 * fit the 63 characters a Job's name allows for its pods' labels. */
#ifndef TIMON_CLIENT_OP_TRIGGER_H
#define TIMON_CLIENT_OP_TRIGGER_H

#include "client/op.h"

bool op_trigger(struct http *h, const struct target *t, op_done_fn done, void *ud, struct err *e);
/* The Job for a cron job object, named `name` (exposed for tests; the caller frees it). */
cJSON *op_trigger_job(const cJSON *cronjob, const char *name);

#endif
