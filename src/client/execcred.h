/* execcred — exec credential plugins (client.authentication.k8s.io/v1 and v1beta1), the way EKS,
 * GKE, AKS and OIDC helpers hand out tokens and client certificates.
 *
 * A plugin runs as a child process without blocking the caller: its pipes go into the app's
 * poll() and its deadline (60 s by default) is enforced by killing it. An interactive run hands
 * the plugin the terminal (stdin and stderr) so it can prompt. The plugin's output is parsed and
 * checked; its stderr is kept only for the error message. Credentials are never logged. */
#ifndef TIMON_CLIENT_EXECCRED_H
#define TIMON_CLIENT_EXECCRED_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

#define EXECCRED_DEFAULT_TIMEOUT_MS 60000

enum exec_interactive {
    EXEC_INTERACTIVE_NEVER,
    EXEC_INTERACTIVE_IFAVAILABLE,
    EXEC_INTERACTIVE_ALWAYS
};

struct exec_config {
    char *api_version;  /* owned */
    char *command;      /* owned; a path if it holds '/', else searched in PATH */
    char **args;        /* owned, NULL-terminated */
    char **env;         /* owned "NAME=value" strings, NULL-terminated */
    char *install_hint; /* owned, may be NULL */
    bool provide_cluster_info;
    enum exec_interactive interactive;
    bool interactive_set; /* interactiveMode was present in the kubeconfig */
    char *cluster_config; /* owned JSON of the cluster's exec extension, or NULL */
};

struct exec_cred {
    char *token;              /* owned, or NULL */
    char *cert_pem, *key_pem; /* owned, or NULL */
    int64_t expiry;           /* epoch seconds; 0 when the credential never expires */
};

struct execcred_run;

/* Deep copy / free of a config. */
void exec_config_copy(struct exec_config *dst, const struct exec_config *src);
void exec_config_free(struct exec_config *c);
void exec_cred_free(struct exec_cred *c);

/* Whether a run of this config would be interactive (it may prompt on the terminal). */
bool execcred_is_interactive(const struct exec_config *c);

/* Starts the plugin. `info` is the KUBERNETES_EXEC_INFO JSON. Returns NULL with e set when the
 * process cannot start at all. */
struct execcred_run *execcred_start(const struct exec_config *c, const char *info, bool interactive,
                                    long timeout_ms, struct err *e);
/* The pipes to poll (up to 2); returns how many. */
size_t execcred_pollfds(const struct execcred_run *r, struct pollfd *fds, size_t max);
/* Milliseconds until the deadline (0 when passed). */
int execcred_timeout_ms(const struct execcred_run *r);
/* Reads what is ready and kills the plugin at its deadline; true once the run has ended. */
bool execcred_on_poll(struct execcred_run *r, const struct pollfd *fds, size_t n);
/* Parses the result of an ended run into out, then frees the run. */
bool execcred_finish(struct execcred_run *r, struct exec_cred *out, struct err *e);
/* Kills and frees a run. */
void execcred_cancel(struct execcred_run *r);
/* Runs the plugin to the end (blocking, bounded by the timeout). */
bool execcred_run_sync(const struct exec_config *c, const char *info, bool interactive,
                       long timeout_ms, struct exec_cred *out, struct err *e);

#endif
