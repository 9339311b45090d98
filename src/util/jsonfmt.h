/* jsonfmt — JSON text as kubectl prints it: four-space indentation, one member per line, the
 * members in their original order. Strings are escaped as Go's encoding/json escapes them
 * (including <, > and & as \u003c, \u003e, \u0026), so output compares equal to kubectl's. */
#ifndef TIMON_UTIL_JSONFMT_H
#define TIMON_UTIL_JSONFMT_H

#include <cJSON.h>

#include "util/strbuf.h"

void jsonfmt_write(const cJSON *v, struct strbuf *out);

#endif
