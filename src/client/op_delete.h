/* op_delete — `ctrl-d` delete and `ctrl-k` kill, with a uid precondition so a recreated object
 * of the same name is never deleted. */
#ifndef TIMON_CLIENT_OP_DELETE_H
#define TIMON_CLIENT_OP_DELETE_H

#include "client/op.h"

enum op_propagation { OP_PROPAGATE_BACKGROUND, OP_PROPAGATE_FOREGROUND, OP_PROPAGATE_ORPHAN };

/* grace < 0: the object's own default; 0: immediately (kill). */
bool op_delete(struct http *h, const struct target *t, enum op_propagation prop, long grace,
               op_done_fn done, void *ud, struct err *e);
const char *op_propagation_name(enum op_propagation p);

#endif
