/* keymap — key bindings as data.
 *
 * One X-macro list generates the action enum and each action's help text, so help can never
 * drift from what a key does. Each view has a table of bindings and a parent to fall back to
 * (view → navigation → global). The same tables drive key dispatch, the header's key hints and
 * the `?` help screen. */
#ifndef TIMON_VIEWS_KEYMAP_H
#define TIMON_VIEWS_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

#define ACTIONS(X)                                                                                 \
    X(NONE, "", "")                                                                                \
    X(QUIT, "quit", "quit")                                                                        \
    X(BACK_OR_QUIT, "back", "clear the filter, go back, or quit at the first view")                \
    X(BACK, "back", "clear the filter, then go back")                                              \
    X(COMMAND, "command", "command mode: a kind, ns, help, q ...")                                 \
    X(FILTER, "filter", "filter the rows (regex, !inverse, -f fuzzy, -l labels)")                  \
    X(HELP, "help", "help")                                                                        \
    X(HIST_BACK, "history", "history back")                                                        \
    X(HIST_FWD, "history", "history forward")                                                      \
    X(HIST_LAST, "last", "the previous view")                                                      \
    X(TOGGLE_HEADER, "header", "toggle the header")                                                \
    X(TOGGLE_CRUMBS, "crumbs", "toggle the crumbs")                                                \
    X(UP, "up", "up")                                                                              \
    X(DOWN, "down", "down")                                                                        \
    X(TOP, "top", "top")                                                                           \
    X(BOTTOM, "bottom", "bottom")                                                                  \
    X(PAGE_UP, "page up", "page up")                                                               \
    X(PAGE_DOWN, "page down", "page down")                                                         \
    X(ENTER, "open", "open: pods, containers, logs, objects or describe")                          \
    X(MARK, "mark", "mark the row")                                                                \
    X(CLEAR_MARKS, "unmark", "clear the marks")                                                    \
    X(WIDE, "wide", "toggle wide columns")                                                         \
    X(SORT_NAME, "sort name", "sort by name (again: reverse)")                                     \
    X(SORT_AGE, "sort age", "sort by age (again: reverse)")                                        \
    X(SORT_STATUS, "sort status", "sort by status (again: reverse)")                               \
    X(SORT_COLUMN, "sort column", "sort by the selected column (again: reverse)")                  \
    X(COL_LEFT, "column", "select the column to the left")                                         \
    X(COL_RIGHT, "column", "select the column to the right")                                       \
    X(NS_ALL, "all", "all namespaces")                                                             \
    X(NS_FAV, "namespace", "a favourite namespace")                                                \
    X(SEARCH_NEXT, "next", "next match")                                                           \
    X(SEARCH_PREV, "previous", "previous match")                                                   \
    X(DESCRIBE, "describe", "describe, as kubectl describe does")                                  \
    X(YAML, "yaml", "the YAML")                                                                    \
    X(DECODE, "decode", "the secret's data, base64-decoded")                                       \
    X(LOGS, "logs", "logs: the pod's, the container's, or every matching pod's")                   \
    X(LOGS_PREV, "previous logs", "logs of the previous instances")                                \
    X(LOG_AUTOSCROLL, "autoscroll", "toggle autoscroll (follow the end)")                          \
    X(LOG_WRAP, "wrap", "toggle line wrap")                                                        \
    X(LOG_TIMESTAMPS, "timestamps", "toggle timestamps")                                           \
    X(LOG_WINDOW, "window", "0 tail, 1 head, 2-6 the last 1m, 5m, 15m, 30m, 1h")                   \
    X(LOG_CLEAR, "clear", "clear the lines")                                                       \
    X(SAVE, "save", "save to a file in the state directory (mode 0600)")                           \
    X(TOGGLE_MANAGED, "managed", "show/hide managedFields")                                        \
    X(SCALE, "scale", "scale the replicas")                                                        \
    X(RESTART, "restart", "restart the pods, as kubectl rollout restart")                          \
    X(ROLLBACK, "rollback", "rollout history and roll back")                                       \
    X(LABELS, "labels", "edit labels and annotations")                                             \
    X(DELETE, "delete", "delete")                                                                  \
    X(KILL, "kill", "kill the pod (no grace period)")                                              \
    X(EDIT, "edit", "edit in $KUBE_EDITOR or $EDITOR")                                             \
    X(CORDON, "cordon", "cordon the node")                                                         \
    X(UNCORDON, "uncordon", "uncordon the node")                                                   \
    X(DRAIN, "drain", "drain the node")                                                            \
    X(TRIGGER, "trigger", "run the cron job now")                                                  \
    X(SUSPEND, "suspend", "suspend or resume the cron job")

enum action {
#define ACTION_ENUM(id, hint, help) ACT_##id,
    ACTIONS(ACTION_ENUM)
#undef ACTION_ENUM
        ACT_COUNT
};

struct binding {
    int key;          /* a curses key code or a byte */
    const char *name; /* as shown in hints and help: "q", "ctrl-c", "pgdn" */
    enum action action;
    bool hint; /* shown in the header's key hints */
};

struct keymap {
    const char *name; /* the help section */
    const struct binding *bindings;
    size_t n;
    const struct keymap *parent; /* fallback, or NULL */
};

const char *action_help(enum action a);
/* True for actions that change the cluster (refused in read-only mode). */
bool action_mutates(enum action a);
/* The short label in the header's hints. */
const char *action_hint(enum action a);
/* The binding for key in km or its parents, or NULL. */
const struct binding *keymap_find(const struct keymap *km, int key);

extern const struct keymap keymap_global;
extern const struct keymap keymap_nav;
extern const struct keymap keymap_table;
extern const struct keymap keymap_help;
extern const struct keymap keymap_doc;
extern const struct keymap keymap_logs;
extern const struct keymap keymap_history;
/* The table keys plus the actions a kind supports (resource and group as the API names them;
 * scalable: it has a /scale subresource, as custom resources may). */
const struct keymap *keymap_for_kind(const char *group, const char *resource, bool scalable);

#endif
