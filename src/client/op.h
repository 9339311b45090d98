/* op — one change to the cluster on behalf of the user, reported once.
 *
 * Every action (scale, restart, rollback, labels, delete, drain ...) ends in an op_result: ok,
 * or the API's own one-line message ("deployments.apps \"web\" not found", "Operation cannot be
 * fulfilled ... the object has been modified"). Ops only ever talk to the connection they are
 * given and build every path from their pinned target (client/target.h). */
#ifndef TIMON_CLIENT_OP_H
#define TIMON_CLIENT_OP_H

#include <cJSON.h>
#include <stdbool.h>

#include "client/http.h"
#include "client/target.h"
#include "util/err.h"

struct op_result {
    bool ok;
    long status;     /* HTTP status; 0 when none arrived */
    char reason[64]; /* the Status reason ("Conflict", "Forbidden" ...), "" when none */
    char msg[512];   /* what happened, one line, neutralised */
};

typedef void (*op_done_fn)(void *ud, const struct op_result *r);
/* A finished request with its response (the body is valid during the call only). */
typedef void (*op_resp_fn)(void *ud, const struct http_response *r);

#define OP_MERGE_PATCH     "application/merge-patch+json"
#define OP_STRATEGIC_PATCH "application/strategic-merge-patch+json"
#define OP_JSON_PATCH      "application/json-patch+json"
#define OP_JSON            "application/json"

/* Fills r from a response: ok for a 2xx, else the API's message. */
void op_result_from(const struct http_response *resp, struct op_result *r);
/* Reports a failure that happened before or between requests. */
void op_fail(op_done_fn done, void *ud, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Sends one request (method NULL: GET; body may be NULL) and hands the response to on_resp. */
bool op_request(struct http *h, const char *method, const char *path, const char *content_type,
                const char *body, op_resp_fn on_resp, void *ud, struct err *e);
/* Sends one request and reports it as an op_result: `ok_msg` is the message on success. */
bool op_send(struct http *h, const char *method, const char *path, const char *content_type,
             const char *body, const char *ok_msg, op_done_fn done, void *ud, struct err *e);
/* The same, with a cJSON body (serialised, then freed by the caller). */
bool op_send_json(struct http *h, const char *method, const char *path, const char *content_type,
                  const cJSON *body, const char *ok_msg, op_done_fn done, void *ud, struct err *e);

/* The target's current object (NULL with r->ok false on failure). A different uid under the
 * same name fails: the object the user chose is gone. */
typedef void (*op_object_fn)(void *ud, const cJSON *obj, const struct op_result *r);
/* Whether h is the client t was captured on (false, with e saying so, when it is not: a
 * context was switched in between). Every op that takes a target asks first. */
bool op_pinned(struct http *h, const struct target *t, struct err *e);
bool op_get_object(struct http *h, const struct target *t, op_object_fn fn, void *ud,
                   struct err *e);

/* {"metadata":{"uid":UID}} — a patch that carries the uid fails with a Conflict when the
 * object of that name is another one (recreated meanwhile). The caller adds to it. */
cJSON *op_pinned_patch(const struct target *t);

#endif
