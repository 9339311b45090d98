/* reflector — keeps a local view of one collection (kind, namespace, selectors) in step with the
 * server: a paginated LIST, then a WATCH from the list's resourceVersion, for as long as it runs.
 *
 * With `streaming`, the full list is a streaming list instead (a watch with sendInitialEvents,
 * ended by the bookmark annotated k8s.io/initial-events-end), where the server has them; a server
 * that refuses them (422, as every apiserver without the WatchList feature answers) or ignores
 * them gets paginated LISTs from then on, on that connection.
 *
 * It resumes a dropped watch from the last resourceVersion it saw (bookmarks advance it) at once
 * when the watch had been established, relists on 410 Expired/Gone, and backs off 0.8 s doubling
 * to 30 s (with jitter, reset after 2 minutes of health) between failed attempts. A watch that
 * moves no byte for the stall timeout (150 s: two and a half of the apiserver's one-minute
 * bookmark intervals; TIMON_WATCH_STALL_TIMEOUT=SECONDS overrides it) is torn down and resumed.
 * Losing the connection never ends it: it reports its state and keeps trying. It knows nothing
 * of kinds or stores: objects go out through the ops as cJSON, valid only during the call. */
#ifndef TIMON_CLIENT_REFLECTOR_H
#define TIMON_CLIENT_REFLECTOR_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "client/http.h"

enum reflector_state {
    REFLECTOR_IDLE,     /* not started */
    REFLECTOR_LISTING,  /* a LIST is in flight */
    REFLECTOR_WATCHING, /* live: the watch is open */
    REFLECTOR_BACKOFF,  /* waiting to retry after a failure; `reason` says why */
    REFLECTOR_DONE,     /* once mode: the list completed */
    REFLECTOR_FAILED,   /* once mode: the list failed; `reason` says why */
};

enum reflector_op { REFLECTOR_UPSERT, REFLECTOR_DELETE };

struct reflector_ops {
    /* A full list starts (begin) or has delivered every page, or every initial event of a
     * streaming list (!begin). The objects upserted in between are the whole collection:
     * anything else the consumer holds is gone. A list that fails half way is begun again. */
    void (*on_list)(void *ud, bool begin);
    void (*on_object)(void *ud, enum reflector_op op, const cJSON *obj);
    /* The state or the reason changed. */
    void (*on_state)(void *ud);
    /* Table mode only: the server's columnDefinitions (first list page, first watch event). */
    void (*on_columns)(void *ud, const cJSON *defs);
};

struct reflector_spec {
    const char *path;           /* the collection path, without a query */
    const char *label_selector; /* NULL for none */
    const char *field_selector; /* NULL for none */
    bool once;                  /* list, then stop (one-shot commands) */
    bool table;                 /* ask for server-side Tables: objects are rows (cells and
                                   the object's metadata), not objects */
    unsigned page_size;         /* 0 means 500 */
    bool streaming;             /* list by streaming (sendInitialEvents) where the server can;
                                   never in table mode */
    bool metadata_only;         /* ask for PartialObjectMetadata: objects carry only their
                                   metadata (not with table) */
};

struct reflector;

/* The reflector borrows `http` and `ops`; it copies the spec. */
struct reflector *reflector_new(struct http *http, const struct reflector_spec *spec,
                                const struct reflector_ops *ops, void *ud);
void reflector_free(struct reflector *r);
void reflector_start(struct reflector *r);
/* Starts whatever is due (a retry after backoff). Call once per loop pass. */
void reflector_tick(struct reflector *r);
/* Milliseconds until reflector_tick has work, or -1. */
int reflector_timeout_ms(const struct reflector *r);

enum reflector_state reflector_state(const struct reflector *r);
/* Why the reflector is backing off or failed (borrowed; "" when live). */
const char *reflector_reason(const struct reflector *r);
/* The HTTP status behind the last failure, or 0. */
long reflector_status(const struct reflector *r);
/* The last resourceVersion seen (borrowed; "" before the first list). */
const char *reflector_rv(const struct reflector *r);
/* Counters, for tests and the debug log: completed full lists (paginated or streaming), of
 * which streaming, and watches started. */
unsigned reflector_lists(const struct reflector *r);
unsigned reflector_streamed(const struct reflector *r);
unsigned reflector_watches(const struct reflector *r);
/* The next backoff delay in ms for `failures` consecutive failures, before jitter. */
int64_t reflector_backoff_base(unsigned failures);

#endif
