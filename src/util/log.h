/* log — a file-only log with levels.
 *
 * Nothing is ever written to the terminal. The level is checked before the arguments are
 * evaluated, so a disabled debug line costs one comparison. Never pass a token, a key, a password
 * or Secret data to these functions: callers log names and codes, not bodies. */
#ifndef TIMON_UTIL_LOG_H
#define TIMON_UTIL_LOG_H

#include <stdbool.h>

#include "util/err.h"

enum log_level { LOG_OFF = -1, LOG_ERROR = 0, LOG_WARN, LOG_INFO, LOG_DEBUG };

/* The one piece of global state: a process has one log. */
extern enum log_level log_threshold;

/* Opens (creating with mode 0600, refusing symlinks) and appends to `path`. */
bool log_open(const char *path, enum log_level level, struct err *e);
void log_close(void);
void log_write(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Parses "error", "warn", "info", "debug"; returns false for anything else. */
bool log_level_parse(const char *s, enum log_level *out);

#define log_error(...)                                                                             \
    do {                                                                                           \
        if (log_threshold >= LOG_ERROR)                                                            \
            log_write(LOG_ERROR, __VA_ARGS__);                                                     \
    } while (0)
#define log_warn(...)                                                                              \
    do {                                                                                           \
        if (log_threshold >= LOG_WARN)                                                             \
            log_write(LOG_WARN, __VA_ARGS__);                                                      \
    } while (0)
#define log_info(...)                                                                              \
    do {                                                                                           \
        if (log_threshold >= LOG_INFO)                                                             \
            log_write(LOG_INFO, __VA_ARGS__);                                                      \
    } while (0)
#define log_debug(...)                                                                             \
    do {                                                                                           \
        if (log_threshold >= LOG_DEBUG)                                                            \
            log_write(LOG_DEBUG, __VA_ARGS__);                                                     \
    } while (0)

#endif
