/* cli — what the one-shot commands and main share: parsed flags, errors that end the process,
 * connecting, and driving a reflector to completion. Only main-level code includes this. */
#ifndef TIMON_CLI_H
#define TIMON_CLI_H

#include <stdbool.h>
#include <stddef.h>

#include "client/discovery.h"
#include "client/http.h"
#include "client/kubeconfig.h"
#include "client/reflector.h"
#include "model/kind_table.h"

#define EXIT_USAGE 2

struct opts {
    const char *kubeconfig;
    const char *context;
    const char *ns;
    const char *selector;
    const char *log_file;
    const char *output;  /* -o: table, wide, json, yaml, name */
    const char *filter;  /* --filter */
    const char *command; /* -c: the first view */
    const char *skin;    /* --skin NAME|FILE */
    bool all_ns;
    bool readonly, write;
    bool headless, crumbsless, logoless;
    bool no_color;
    int verbose;
    long exec_timeout_ms;
    /* timon logs (-c is also the container there) */
    const char *container; /* --container */
    const char *tail;      /* --tail N */
    const char *since;     /* --since DUR */
    bool follow, previous, timestamps;
};

/* A session: the merged kubeconfig, the resolved context, and its connection. */
struct cli_session {
    struct kubeconfig kc;
    struct kube_conn conn;
    struct http *http;
};

_Noreturn void cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* One line on stderr, exit 1. */
_Noreturn void cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Loads the kubeconfig, resolves the context and connects; exits 1 with one line on failure. */
void cli_connect(const struct opts *o, struct cli_session *s);
void cli_session_free(struct cli_session *s);
/* What a user's word names: a built-in kind (no discovery needed), else one the server
 * serves; NULL when nothing matches. Exits 1 when discovery fails. */
const struct kind *cli_resolve_kind(struct cli_session *s, struct kind_cache *cache,
                                    struct discovery *d, const char *name);
/* Drives a reflector in once mode until its list completes; false with err set on failure. */
bool cli_run_once(struct http *http, struct reflector *r, char *err, size_t errlen);

struct config;
/* Loads $XDG_CONFIG_HOME/timon/config.yaml (cluster NULL) or the context's
 * $XDG_DATA_HOME/timon/clusters/<cluster>/<context>/config.yaml into c (initialised here). A
 * missing file is an empty config; a broken one is reported in notice (appended) and ignored. */
void cli_load_config(const char *cluster, const char *context, struct config *c, char *notice,
                     size_t n);

int cmd_get(const struct opts *o, int argc, char **argv);
int cmd_contexts(const struct opts *o, int argc);
int cmd_logs(const struct opts *o, int argc, char **argv);
int cmd_describe(const struct opts *o, int argc, char **argv);

#endif
