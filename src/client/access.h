/* access — may the user do this? SelfSubjectAccessReviews, asked once and cached.
 *
 * A question is (verb, group, resource, subresource, namespace). The first check of a question
 * sends the review and answers ACCESS_UNKNOWN; the answer is cached for the connection's life
 * (RBAC rarely changes under a session; a refused request still tells the truth). Nothing is
 * asked when the connection is read-only: reviews are POSTs, and read-only sends only GETs. */
#ifndef TIMON_CLIENT_ACCESS_H
#define TIMON_CLIENT_ACCESS_H

#include <stdbool.h>

#include "client/http.h"
#include "util/map.h"

enum access_state { ACCESS_UNKNOWN, ACCESS_ALLOWED, ACCESS_DENIED };

struct access_question {
    const char *verb, *group, *resource, *subresource, *ns; /* NULL means "" */
};

struct access {
    struct map answers;  /* key -> struct access_answer (owned) */
    unsigned generation; /* bumps when an answer arrives (hints redraw) */
    int pending;
    unsigned epoch; /* bumps on reset */
    bool disabled;  /* the server has no authorization API; everything is UNKNOWN */
};

/* The cached answer (reason: the authorizer's words when denied, else ""); asks when new. */
enum access_state access_check(struct access *a, struct http *h, const struct access_question *q,
                               const char **reason);
/* Forgets every answer (after a context switch) and ignores replies still in flight. */
void access_reset(struct access *a);
void access_free(struct access *a);

#endif
