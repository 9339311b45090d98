/* sanitize — neutralise text that comes from the cluster before it can reach a terminal.
 *
 * Control bytes (C0, DEL), C1 controls, bidirectional overrides and invalid UTF-8 are rewritten
 * into visible, inert forms: ESC becomes "^[", 0x9b becomes "\u009b", a stray 0xff becomes
 * "\xff". Valid printable UTF-8 passes unchanged. The output never holds a byte < 0x20 (except
 * tab/newline when the flags keep them), never DEL, and never a C1 code point. */
#ifndef TIMON_UTIL_SANITIZE_H
#define TIMON_UTIL_SANITIZE_H

#include <stdbool.h>
#include <stddef.h>

#include "util/strbuf.h"

enum sanitize_flags {
    SANITIZE_KEEP_NEWLINE = 1 << 0, /* keep '\n' (multi-line views) */
    SANITIZE_KEEP_TAB = 1 << 1,     /* keep '\t' */
    SANITIZE_TAB_TO_SPACE = 1 << 2, /* '\t' becomes one space */
};

/* Appends the neutralised form of in[0..n) to out. Returns false if out hit its cap. */
bool sanitize_append(struct strbuf *out, const char *in, size_t n, unsigned flags);
/* True when in[0..n) would pass through unchanged with these flags (no copy needed). */
bool sanitize_is_clean(const char *in, size_t n, unsigned flags);
/* Length of the valid UTF-8 sequence at s (1-4), or 0 if it is invalid/truncated. Stores the
 * code point in *cp. */
size_t sanitize_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);

#endif
