/* yamlemit — JSON values written as YAML with libyaml's emitter, the way kubectl -o yaml shows
 * objects: block style, mapping keys sorted, strings that would read back as another type
 * (numbers, booleans, null, "") quoted, multi-line strings as literal blocks, no line wrapping. */
#ifndef TIMON_UTIL_YAMLEMIT_H
#define TIMON_UTIL_YAMLEMIT_H

#include <cJSON.h>
#include <stdbool.h>

#include "util/err.h"
#include "util/strbuf.h"

/* One document, without the "---" marker. */
bool yamlemit_write(const cJSON *v, struct strbuf *out, struct err *e);

#endif
