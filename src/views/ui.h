/* ui — the state every view shares: the connection and what was discovered through it, the
 * active namespace and favourites, the view stack and its history, the flash line, metrics.
 *
 * The ui owns the views on its stack and the model objects it creates (discovery, dynamic
 * kinds, metrics); it borrows the connection from main. */
#ifndef TIMON_VIEWS_UI_H
#define TIMON_VIEWS_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "client/access.h"
#include "client/discovery.h"
#include "client/http.h"
#include "client/kubeconfig.h"
#include "model/kind_table.h"
#include "model/metrics.h"
#include "util/map.h"
#include "views/app.h"
#include "views/view.h"

#define UI_FAVOURITES 9
#define UI_HISTORY    64
#define UI_MAX_DEPTH  32

struct dialog;
struct actions;
struct editjob;

struct ui {
    const struct app_config *cfg;   /* borrowed */
    struct kube_conn *conn;         /* owned: the live context's connection settings */
    struct http *http;              /* owned: the live context's connection */
    struct discovery disc;          /* owned */
    struct kind_cache kinds;        /* owned */
    struct metrics metrics;         /* owned */
    bool metrics_served;            /* discovery lists metrics.k8s.io */
    int64_t metrics_next;           /* monotonic ms of the next refresh */
    int metrics_pending;            /* requests in flight */
    struct metrics_loader mload[2]; /* pod and node metrics responses being read, a slice a turn */
    int64_t cluster_cpu, cluster_cpu_alloc, cluster_mem, cluster_mem_alloc;
    char *ns;                         /* owned active namespace; NULL: all namespaces */
    char *favs[UI_FAVOURITES];        /* owned; favs[0] is the most recent */
    struct view *stack[UI_MAX_DEPTH]; /* owned */
    int depth;
    char *hist[UI_HISTORY]; /* owned commands, oldest first */
    int nhist, hist_pos;    /* hist_pos: the entry shown now */
    char version[64];
    char flash[512];
    bool flash_error;
    int64_t flash_until;
    bool show_header, show_crumbs, show_logo;
    bool quit;
    unsigned dirty;
    bool filter_prompt;      /* the '/' prompt is open: views may prepare for filtering */
    int64_t now;             /* wall clock seconds for this pass */
    char *pending_command;   /* owned: waits for discovery, then runs */
    unsigned disc_seen;      /* the discovery generation acted upon */
    unsigned session;        /* bumps whenever the connection is replaced (a context switch) */
    struct access access;    /* owned: RBAC answers for this connection */
    struct dialog *dialog;   /* owned: the open dialog, drawn over the top view; or NULL */
    struct actions *actions; /* owned: drains in progress */
    struct editjob *edit;    /* owned: the edit in progress */
    bool danger;             /* the context matches the danger patterns */
    char *last_view;         /* owned: the last view's command line in this context */
    char *skin;              /* owned: the skin in use (NULL: the built-in one) */
    struct map ctx_state;    /* context name -> struct ctx_memory (owned): views and namespaces
                                left in other contexts this session */
};

enum ui_dirty { DIRTY_HEADER = 1, DIRTY_BODY = 2, DIRTY_FOOTER = 4, DIRTY_ALL = 7 };

void ui_flash(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
struct view *ui_top(const struct ui *ui);
/* Pushes a view (drill-down); the ui owns it from now on. */
void ui_push(struct ui *ui, struct view *v);
/* Closes the top view (never the last one). */
void ui_pop(struct ui *ui);
/* Replaces the whole stack with one view (a command). */
void ui_replace(struct ui *ui, struct view *v);
/* Runs a command line (what follows ':'); false with a flash when it is not understood.
 * `record` adds it to the history. */
bool ui_command(struct ui *ui, const char *line, bool record);
/* Makes ns the active namespace (NULL: all) and remembers it as a favourite. */
void ui_set_namespace(struct ui *ui, const char *ns);
/* What a user's word names: a built-in kind, a discovered one, or NULL. */
const struct kind *ui_kind(struct ui *ui, const char *word);
/* Shows d over the top view (closing any other); the ui owns it from now on. */
void ui_open_dialog(struct ui *ui, struct dialog *d);
void ui_close_dialog(struct ui *ui);
/* Switches every view, watch and request to another kubeconfig context (see contexts.c);
 * `then` is a command to run there instead of the context's last view, or NULL. False (with a
 * flash, nothing changed) when the context cannot be used at all. */
bool ui_switch_context(struct ui *ui, const char *name, const char *then);
/* Writes the live context's namespace, favourites and view to its settings file. */
void ui_save_context(struct ui *ui);
/* Frees what was remembered of other contexts. */
void ui_forget_contexts(struct ui *ui);
/* Terminal hand-over for interactive credential plugins. */
void ui_terminal_suspend(void *ud);
void ui_terminal_resume(void *ud);
/* Drill-down targets provided by their views. */
void ui_open_containers(struct ui *ui, const char *ns, const char *pod);
void ui_open_yaml(struct ui *ui, const struct kind *k, const char *ns, const char *name);
void ui_open_describe(struct ui *ui, const struct kind *k, const char *ns, const char *name);
/* A secret's YAML with its data decoded (only on request: x). */
void ui_open_decoded(struct ui *ui, const char *ns, const char *name);
/* Logs of one pod (container NULL: the user picks when it has several), or of every pod a label
 * selector matches (pod NULL); `what` names them in the title ("deployment/web"). */
void ui_open_logs(struct ui *ui, const char *ns, const char *pod, const char *container,
                  const char *selector, const char *what, bool previous);

#endif
