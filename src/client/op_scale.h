/* op_scale — `s`: set replicas through the /scale subresource.
 *
 * Reads the Scale first: its uid must still be the target's (a recreated object of the same
 * name is never scaled), and the write carries the resourceVersion just read, so a change in
 * between is a Conflict, retried a few times on a fresh read. */
#ifndef TIMON_CLIENT_OP_SCALE_H
#define TIMON_CLIENT_OP_SCALE_H

#include "client/op.h"

bool op_scale(struct http *h, const struct target *t, int replicas, op_done_fn done, void *ud,
              struct err *e);

#endif
