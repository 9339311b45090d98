/* base64 — standard alphabet decoding (kubeconfig *-data fields, Secret values) and encoding. */
#ifndef TIMON_UTIL_BASE64_H
#define TIMON_UTIL_BASE64_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

/* Decodes in[0..n) into out, ignoring ASCII whitespace. Padding is optional. Returns false on any
 * other byte outside the alphabet or a truncated quantum. */
bool base64_decode(const char *in, size_t n, struct strbuf *out);
void base64_encode(const void *in, size_t n, struct strbuf *out);

#endif
