/* logmux — the logs of one pod's containers, or of every pod a selector matches, in one logbuf.
 *
 * A pod reflector (a name field selector for one pod, a label selector for a workload's or a
 * service's pods) tells which pods exist and what containers they have; each wanted container
 * gets a persistent logstream (client/logstream) whose lines land in the shared logbuf, with the
 * pod, the container or both as the line's source. Pods that appear later join, pods that go
 * leave once their streams end. Which containers: one named container; every container (init,
 * regular, ephemeral); or each pod's default one (the kubectl.kubernetes.io/default-container
 * annotation, else the first). With one pod and no container named, the caller chooses once the
 * pod is known (logmux_choices), unless the pod has a single container.
 *
 * The window (tail, head, or since 1m ... 1h, as k9s's 0-6 keys) applies to every stream;
 * changing it starts them over into an empty buffer. At most LOGMUX_MAX_STREAMS streams. */
#ifndef TIMON_MODEL_LOGMUX_H
#define TIMON_MODEL_LOGMUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/http.h"
#include "model/logbuf.h"

#define LOGMUX_MAX_STREAMS 64
#define LOGMUX_TAIL_LINES  100  /* the tail window, as k9s's logger.tail */
#define LOGMUX_HEAD_BYTES  5000 /* the head window, as k9s's */

enum logmux_window {
    LOGMUX_TAIL,
    LOGMUX_HEAD,
    LOGMUX_1M,
    LOGMUX_5M,
    LOGMUX_15M,
    LOGMUX_30M,
    LOGMUX_1H,
    LOGMUX_NWINDOWS
};

enum logmux_containers {
    LOGMUX_PICK,    /* one pod: the caller chooses (logmux_choose) */
    LOGMUX_ONE,     /* the named container */
    LOGMUX_ALL,     /* every container */
    LOGMUX_DEFAULT, /* each pod's default container */
};

struct logmux_spec {
    const char *ns;
    const char *pod;      /* one pod, or NULL */
    const char *selector; /* with pod NULL: the pods this label selector matches */
    enum logmux_containers containers;
    const char *container; /* for LOGMUX_ONE */
    bool previous;         /* the previous instances (not followed) */
    enum logmux_window window;
    size_t max_lines, max_bytes, max_line; /* the buffer's bounds; 0 takes logbuf's defaults */
};

/* A container to choose from. */
struct logmux_choice {
    const char *name; /* borrowed from the mux */
    const char *kind; /* "init", "regular" or "ephemeral" */
};

struct logmux;

/* Borrows http; copies the spec. */
struct logmux *logmux_new(struct http *http, const struct logmux_spec *spec);
void logmux_free(struct logmux *m);
/* Retries that are due, and streams of departed pods that have ended. Call once per pass. */
void logmux_tick(struct logmux *m);
int logmux_timeout_ms(const struct logmux *m);

/* The lines (owned by the mux; the caller may set its filter and flags, and clear it). */
struct logbuf *logmux_buf(struct logmux *m);
/* Bumps when the status (not the lines) changes. */
uint64_t logmux_version(const struct logmux *m);
/* True when lines need their source to tell them apart (several pods or containers). */
bool logmux_prefixed(const struct logmux *m);

/* Choosing: true (with the pod's containers and the default one's index) while the mux waits
 * for logmux_choose. Borrowed until the next call into the mux. */
bool logmux_choices(const struct logmux *m, const struct logmux_choice **list, size_t *n,
                    size_t *def);
/* A container by name, or NULL for all of them. */
void logmux_choose(struct logmux *m, const char *container);

/* The window: a change starts every stream over into a cleared buffer. */
void logmux_set_window(struct logmux *m, enum logmux_window w);
enum logmux_window logmux_window(const struct logmux *m);
const char *logmux_window_name(enum logmux_window w);

/* One line for the header: "streaming", "2/3 streams live", "reconnecting in 3s: ...",
 * "ended: the container has terminated", "waiting for pods". Returns false when not healthy. */
bool logmux_status(const struct logmux *m, char *buf, size_t n);
/* Streams that exist now (for tests and the header). */
size_t logmux_streams(const struct logmux *m);

#endif
