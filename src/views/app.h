/* app — the TUI: one poll() loop over the keyboard, the signal pipe and the connection's
 * sockets; dirty flags per screen region and one doupdate() per pass.
 *
 * The app borrows the connection and kubeconfig target from main; it owns its feeds and views. */
#ifndef TIMON_VIEWS_APP_H
#define TIMON_VIEWS_APP_H

#include <stdbool.h>
#include <stddef.h>

#include "client/http.h"
#include "client/kubeconfig.h"
#include "model/kind.h"

struct config;

struct app_config {
    const struct kubeconfig *kc;  /* borrowed: the merged kubeconfig, for switching contexts */
    struct kube_conn *conn;       /* malloc'd; app_run owns it (and frees it) from the call on */
    struct http *http;            /* app_run owns it from the call on */
    const struct config *global;  /* borrowed: config.yaml (read-only default, danger) */
    const struct config *context; /* borrowed: the first context's settings file */
    bool ns_given;                /* -n was given: it wins over the remembered namespace */
    bool cli_write, cli_readonly; /* --write, --readonly: they decide for every context */
    long exec_timeout_ms;         /* --exec-timeout, for the connections of other contexts */
    const struct kind *kind;      /* the first view */
    bool all_ns;
    const char *selector; /* label selector, or NULL */
    bool readonly;
    const char *notice; /* a problem with the settings files, flashed at start, or NULL */
    bool color;
    const char *skin;     /* --skin NAME|FILE, or NULL for the built-in skin */
    const char *cli_skin; /* --skin alone: it wins over every context's skin */
    bool headless;        /* hide the header */
    bool crumbsless;      /* hide the crumbs */
    bool logoless;        /* hide the logo */
    const char *command;  /* the first view, as a command line ("deploy kube-system"), or NULL */
};

/* Runs until the user quits or a signal asks to. Returns 0, or 1 with a message in err when
 * timon could not start (unreachable server, no terminal). The terminal is restored either way. */
int app_run(const struct app_config *cfg, char *err, size_t errlen);

#endif
