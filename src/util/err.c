/* err — formatting of error values. Never allocates, never prints. */
#include "util/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

bool err_set(struct err *e, const char *fmt, ...)
{
    if (!e)
        return false;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    va_end(ap);
    return false;
}

bool err_prefix(struct err *e, const char *fmt, ...)
{
    if (!e)
        return false;
    char pre[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof pre, fmt, ap);
    va_end(ap);
    char old[ERR_MSG_MAX];
    memcpy(old, e->msg, sizeof old);
    size_t n = strlen(pre);
    memcpy(e->msg, pre, n + 1);
    if (old[0] && n + 2 < sizeof e->msg) {
        memcpy(e->msg + n, ": ", 3);
        size_t room = sizeof e->msg - n - 3;
        size_t ol = strnlen(old, room);
        memcpy(e->msg + n + 2, old, ol);
        e->msg[n + 2 + ol] = '\0';
    }
    return false;
}

void err_clear(struct err *e)
{
    if (e) {
        e->msg[0] = '\0';
        e->code = 0;
    }
}
