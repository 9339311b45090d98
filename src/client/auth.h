/* auth — the credentials of one connection, kept fresh.
 *
 * Static tokens, a tokenFile re-read as it rotates (checked at most once a minute, and at once
 * after a 401), the legacy oidc id-token, and exec credential plugins: run when no credential is
 * cached, shortly before it expires, and after the server rejects it. A plugin runs in the
 * background (its pipes go into the app's poll()), so a slow or hung plugin never freezes the UI;
 * requests wait for it. An interactive plugin gets the terminal through hooks the UI provides.
 * Nothing here logs or reports a credential. */
#ifndef TIMON_CLIENT_AUTH_H
#define TIMON_CLIENT_AUTH_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/kubeconfig.h"
#include "util/err.h"

enum auth_state {
    AUTH_READY,   /* requests may go */
    AUTH_PENDING, /* a plugin is running: hold requests */
    AUTH_FAILED,  /* no credential; the error says why */
};

struct auth;

struct auth *auth_new(const struct kube_conn *conn);
void auth_free(struct auth *a);

/* Refreshes what is due before a request. PENDING means a plugin was started (or is running). */
enum auth_state auth_prepare(struct auth *a, struct err *e);
/* The bearer token to send now, or NULL. Borrowed until the next auth call. */
const char *auth_token(const struct auth *a);
/* The client certificate and key to present now (both NULL when none). */
void auth_client_cert(const struct auth *a, const char **cert, size_t *cert_len, const char **key,
                      size_t *key_len);
/* Bumps whenever the credential changes; requests remember the generation they were sent with. */
uint64_t auth_generation(const struct auth *a);
/* The server answered 401 to a request sent with `generation`: the credential is stale. */
void auth_rejected(struct auth *a, uint64_t generation);
/* Whether a rejected credential can be replaced (an exec plugin or a token file). */
bool auth_refreshable(const struct auth *a);
/* Why the last refresh failed ("" when it did not). */
const char *auth_error(const struct auth *a);
/* How many times the exec plugin has been run (tests). */
unsigned auth_plugin_runs(const struct auth *a);

/* poll() integration for a running plugin. auth_on_poll returns true when a run ended (the
 * state changed: hold requests may now go, or fail). */
size_t auth_pollfds(const struct auth *a, struct pollfd *fds, size_t max);
int auth_timeout_ms(const struct auth *a);
bool auth_on_poll(struct auth *a, const struct pollfd *fds, size_t n);

/* The UI's hooks to hand the terminal to an interactive plugin and take it back. */
void auth_set_terminal_hooks(struct auth *a, void (*suspend)(void *), void (*resume)(void *),
                             void *ud);
/* Overrides the plugin timeout (default 60 s). */
void auth_set_timeout(struct auth *a, long ms);

#endif
