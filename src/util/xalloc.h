/* xalloc — allocation that cannot return NULL.
 *
 * On exhaustion it runs the fatal hook (the TUI registers one that restores the terminal), writes
 * one line to stderr and aborts. This is the only place in util/client/model allowed to end the
 * process: running out of memory is a broken invariant, not an error value. */
#ifndef TIMON_UTIL_XALLOC_H
#define TIMON_UTIL_XALLOC_H

#include <stddef.h>

#define XALLOC_ATTRS __attribute__((malloc, returns_nonnull, warn_unused_result))

void *xmalloc(size_t n) XALLOC_ATTRS __attribute__((alloc_size(1)));
void *xcalloc(size_t n, size_t size) XALLOC_ATTRS __attribute__((alloc_size(1, 2)));
void *xrealloc(void *p, size_t n) __attribute__((returns_nonnull, warn_unused_result));
/* Grows an array to hold n elements of `size`, checking the multiplication. */
void *xreallocarray(void *p, size_t n, size_t size)
    __attribute__((returns_nonnull, warn_unused_result));
char *xstrdup(const char *s) XALLOC_ATTRS;
char *xstrndup(const char *s, size_t n) XALLOC_ATTRS;
char *xasprintf(const char *fmt, ...) XALLOC_ATTRS __attribute__((format(printf, 1, 2)));

/* Registers the function run before aborting (e.g. endwin). Only one; NULL clears it. */
void xalloc_set_fatal_hook(void (*fn)(void));

/* Runs the fatal hook, prints `what` and aborts. For broken invariants only. */
_Noreturn void xalloc_die(const char *what);

#endif
