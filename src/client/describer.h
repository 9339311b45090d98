/* describer — the requests behind one describe, asynchronously, on the http multi interface.
 *
 * GET the object, ask the plan hook which follow-up requests it needs (kubectl's: events by field
 * selector, pods by selector or node, replica sets, EndpointSlices, the node Lease ...), run them
 * all at once (LISTs page through `continue`, items merged), then hand everything to the render
 * hook and the text to the done callback. The hooks come from the caller (model/describe.h), so
 * this layer knows requests, not kinds. Nothing blocks: the same describer runs under http_run
 * (the CLI) and under the TUI's poll loop. Errors are values; nothing is printed or logged. */
#ifndef TIMON_CLIENT_DESCRIBER_H
#define TIMON_CLIENT_DESCRIBER_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/http.h"
#include "util/err.h"
#include "util/strbuf.h"

#define DESCRIBER_MAX_REQS 8

/* What to describe. Strings are copied by describer_start. */
struct describer_target {
    const char *group; /* "" for the core group */
    const char *version;
    const char *resource; /* plural */
    const char *kind;     /* "Deployment" */
    bool namespaced;
    const char *ns; /* ignored for cluster-scoped kinds */
    const char *name;
    /* The object must exist: no describe made of its events alone. kubectl's CLI reads the
     * object before describing it, so a missing object is an error there; a view whose pod was
     * just deleted may still show what happened to it. */
    bool strict;
};

/* One follow-up request. */
struct describer_req {
    char *path;           /* owned; without a query */
    char *label_selector; /* owned, or NULL */
    char *field_selector; /* owned, or NULL */
    bool list;            /* a LIST: pages are followed and their items merged */
    bool limit;           /* send limit=500, as kubectl's chunked lists do */
};

struct describer_plan {
    struct describer_req reqs[DESCRIBER_MAX_REQS];
    size_t n;
};

/* Adds a request (copies the strings; silently ignored past DESCRIBER_MAX_REQS). */
void describer_plan_add(struct describer_plan *p, const char *path, const char *label_selector,
                        const char *field_selector, bool list, bool limit);

/* A follow-up request's outcome. */
struct describer_reply {
    bool ok;                 /* a 2xx response that parsed */
    long status;             /* HTTP status; 0 when no response arrived */
    char error[ERR_MSG_MAX]; /* when !ok: the server's message or the transport's */
    cJSON *json;             /* when ok: the object (GET) or the merged items array (LIST) */
};

/* Everything a render hook gets; all borrowed for the call. */
struct describer_result {
    const struct describer_target *target;
    const cJSON *obj;                      /* NULL when its GET failed */
    long obj_status;                       /* the object's HTTP status */
    const char *obj_error;                 /* "" unless the GET failed */
    const struct describer_reply *replies; /* in plan order */
    size_t n;
    int64_t now; /* wall clock, epoch seconds */
};

struct describer_hooks {
    /* The follow-up requests. obj is NULL when its GET failed (status, error say why): a plan
     * may still ask for something (kubectl lists a missing pod's events); an empty plan then
     * ends the describe with the object's error. */
    void (*plan)(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p);
    /* The text; false with e set when there is nothing to show. */
    bool (*render)(const struct describer_result *r, struct strbuf *out, struct err *e);
};

/* The end: text (borrowed for the call) or, when text is NULL, e says why. The describer may be
 * freed from inside this callback. */
typedef void (*describer_done_fn)(void *ud, const char *text, size_t len, const struct err *e);

struct describer;

/* Starts; NULL with e set when the first request cannot be sent (e.g. refused). The describer
 * borrows http and hooks. */
struct describer *describer_start(struct http *http, const struct describer_target *t,
                                  const struct describer_hooks *hooks, describer_done_fn done,
                                  void *ud, struct err *e);
/* Cancels whatever is in flight; done is not called. NULL is fine. */
void describer_free(struct describer *d);
bool describer_busy(const struct describer *d);

/* The object's path: /api/v1/namespaces/NS/pods/NAME, /apis/apps/v1/deployments ... (name NULL:
 * the collection). Appended to out. */
void describer_path(const struct describer_target *t, const char *ns, const char *name,
                    struct strbuf *out);

#endif
