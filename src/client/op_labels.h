/* op_labels — `L`: labels and annotations as a JSON merge patch that carries the object's
 * resourceVersion (and uid): a change made by anyone since the dialog read the object is a
 * Conflict, which the dialog offers to retry on the fresh object. */
#ifndef TIMON_CLIENT_OP_LABELS_H
#define TIMON_CLIENT_OP_LABELS_H

#include "client/op.h"

/* labels / annotations: objects of key -> string (set) or null (remove); either may be NULL. */
bool op_labels(struct http *h, const struct target *t, const char *resource_version,
               const cJSON *labels, const cJSON *annotations, op_done_fn done, void *ud,
               struct err *e);

#endif
