/* labels — validation of label keys and values as the API server validates them: a key is an
 * optional DNS-subdomain prefix (at most 253 characters) and '/', then a name of at most 63
 * characters of [A-Za-z0-9._-] that starts and ends alphanumeric; a value is empty or such a
 * name. Errors read like the server's. */
#ifndef TIMON_MODEL_LABELS_H
#define TIMON_MODEL_LABELS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

bool labels_valid_key(const char *key, size_t len, struct err *e);
bool labels_valid_value(const char *value, size_t len, struct err *e);

#endif
