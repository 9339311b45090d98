/* labeledit — the `L` dialog's line in `kubectl label` syntax: `key=value` sets, `key-`
 * removes, several separated by spaces (a value may be quoted: key="a b"). Every key and value
 * is validated before anything is sent; the first bad one is the error, as the server would
 * word it. The result is a merge-patch object: key -> string, or null for a removal. */
#ifndef TIMON_MODEL_LABELEDIT_H
#define TIMON_MODEL_LABELEDIT_H

#include <cJSON.h>
#include <stdbool.h>

#include "util/err.h"

enum labeledit_kind { LABELEDIT_LABELS, LABELEDIT_ANNOTATIONS };

/* NULL with e set when the line is invalid; an empty line gives an empty object. Removing a
 * key the object does not have is an error when `current` (the object's labels or
 * annotations) is given, as kubectl reports it. */
cJSON *labeledit_parse(const char *line, enum labeledit_kind kind, const cJSON *current,
                       struct err *e);
/* The current map as a line the user can edit ("app=web tier=front"), sorted by key. */
char *labeledit_format(const cJSON *current);

#endif
