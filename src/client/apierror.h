/* apierror — one clear line from a failed API response.
 *
 * Prefers the server's Status message (`pods "x" not found`, `deployments.apps is forbidden:
 * User "jane" cannot patch ...`), falls back to the HTTP status and the first line of a plain
 * body, and to the transport's message when no response arrived. The result is neutralised for
 * the terminal and never contains request headers. */
#ifndef TIMON_CLIENT_APIERROR_H
#define TIMON_CLIENT_APIERROR_H

#include <stddef.h>

#include "client/http.h"

/* Writes the message into buf; returns buf. */
char *apierror_message(const struct http_response *r, char *buf, size_t n);
/* The Status `reason` ("NotFound", "Expired", ...) into buf, or "" when there is none. */
char *apierror_reason(const struct http_response *r, char *buf, size_t n);

#endif
