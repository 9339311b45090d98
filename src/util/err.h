/* err — errors as values.
 *
 * Functions that can fail take a `struct err *` (which may be NULL) and return false or NULL,
 * leaving one human-readable line in it. Library layers (util, client, model) never print and
 * never exit; the caller decides what the user sees. A message never holds a credential. */
#ifndef TIMON_UTIL_ERR_H
#define TIMON_UTIL_ERR_H

#include <stdbool.h>

#define ERR_MSG_MAX 512

struct err {
    char msg[ERR_MSG_MAX]; /* one line, NUL-terminated; empty when no error */
    int code;              /* optional: HTTP status, errno, or 0 */
};

/* Sets the message (printf format), truncating at ERR_MSG_MAX. `e` may be NULL. Returns false
 * so a caller can write `return err_set(e, ...);`. */
bool err_set(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prepends "prefix: " to an existing message. */
bool err_prefix(struct err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

void err_clear(struct err *e);

#endif
