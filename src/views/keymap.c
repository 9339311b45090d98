/* keymap — the key tables. Adding a key means adding a line here. */
#include "views/keymap.h"

#include <curses.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define ESC     27

static const char *const helps[] = {
#define ACTION_HELP(id, hint, help) help,
    ACTIONS(ACTION_HELP)
#undef ACTION_HELP
};

static const char *const hints[] = {
#define ACTION_HINT(id, hint, help) hint,
    ACTIONS(ACTION_HINT)
#undef ACTION_HINT
};

const char *action_help(enum action a)
{
    return a < ACT_COUNT ? helps[a] : "";
}

const char *action_hint(enum action a)
{
    return a < ACT_COUNT ? hints[a] : "";
}

static const enum action mutating[] = {
    ACT_SCALE, ACT_RESTART, ACT_ROLLBACK, ACT_LABELS, ACT_DELETE,  ACT_KILL,
    ACT_EDIT,  ACT_CORDON,  ACT_UNCORDON, ACT_DRAIN,  ACT_TRIGGER, ACT_SUSPEND,
};

bool action_mutates(enum action a)
{
    for (size_t i = 0; i < sizeof mutating / sizeof mutating[0]; i++)
        if (mutating[i] == a)
            return true;
    return false;
}

static const struct binding global_bindings[] = {
    {':', ":", ACT_COMMAND, true},
    {'/', "/", ACT_FILTER, true},
    {'?', "?", ACT_HELP, true},
    {'q', "q", ACT_BACK_OR_QUIT, true},
    {ESC, "esc", ACT_BACK, false},
    {CTRL('c'), "ctrl-c", ACT_QUIT, false},
    {'[', "[", ACT_HIST_BACK, false},
    {']', "]", ACT_HIST_FWD, false},
    {'-', "-", ACT_HIST_LAST, false},
    {CTRL('e'), "ctrl-e", ACT_TOGGLE_HEADER, false},
    {CTRL('g'), "ctrl-g", ACT_TOGGLE_CRUMBS, false},
};

const struct keymap keymap_global = {
    .name = "General",
    .bindings = global_bindings,
    .n = sizeof global_bindings / sizeof global_bindings[0],
    .parent = NULL,
};

static const struct binding nav_bindings[] = {
    {'j', "j", ACT_DOWN, false},
    {KEY_DOWN, "down", ACT_DOWN, false},
    {'k', "k", ACT_UP, false},
    {KEY_UP, "up", ACT_UP, false},
    {'g', "g", ACT_TOP, false},
    {KEY_HOME, "home", ACT_TOP, false},
    {'G', "G", ACT_BOTTOM, false},
    {KEY_END, "end", ACT_BOTTOM, false},
    {KEY_NPAGE, "pgdn", ACT_PAGE_DOWN, false},
    {CTRL('f'), "ctrl-f", ACT_PAGE_DOWN, false},
    {KEY_PPAGE, "pgup", ACT_PAGE_UP, false},
    {CTRL('b'), "ctrl-b", ACT_PAGE_UP, false},
};

const struct keymap keymap_nav = {
    .name = "Navigation",
    .bindings = nav_bindings,
    .n = sizeof nav_bindings / sizeof nav_bindings[0],
    .parent = &keymap_global,
};

static const struct binding table_bindings[] = {
    {'\r', "enter", ACT_ENTER, true},
    {KEY_ENTER, "enter", ACT_ENTER, false},
    {'d', "d", ACT_DESCRIBE, true},
    {'y', "y", ACT_YAML, true},
    {' ', "space", ACT_MARK, false},
    {CTRL('\\'), "ctrl-\\", ACT_CLEAR_MARKS, false},
    {CTRL('w'), "ctrl-w", ACT_WIDE, true},
    {'N', "shift-n", ACT_SORT_NAME, false},
    {'A', "shift-a", ACT_SORT_AGE, false},
    {'S', "shift-s", ACT_SORT_STATUS, false},
    {'O', "shift-o", ACT_SORT_COLUMN, false},
    {'l', "l", ACT_LOGS, false},
    {'p', "p", ACT_LOGS_PREV, false},
    {KEY_SLEFT, "shift-left", ACT_COL_LEFT, false},
    {KEY_SRIGHT, "shift-right", ACT_COL_RIGHT, false},
    {'0', "0", ACT_NS_ALL, true},
    {'1', "1", ACT_NS_FAV, true},
    {'2', "2", ACT_NS_FAV, true},
    {'3', "3", ACT_NS_FAV, true},
    {'4', "4", ACT_NS_FAV, true},
    {'5', "5", ACT_NS_FAV, true},
    {'6', "6", ACT_NS_FAV, true},
    {'7', "7", ACT_NS_FAV, true},
    {'8', "8", ACT_NS_FAV, true},
    {'9', "9", ACT_NS_FAV, true},
    {'L', "shift-l", ACT_LABELS, false},
    {'e', "e", ACT_EDIT, false},
    {CTRL('d'), "ctrl-d", ACT_DELETE, true},
};

const struct keymap keymap_table = {
    .name = "Table",
    .bindings = table_bindings,
    .n = sizeof table_bindings / sizeof table_bindings[0],
    .parent = &keymap_nav,
};

/* Kind-specific actions, on top of the table's. */
#define KIND_KEYMAP(id, label, ...)                                                                \
    static const struct binding id##_bindings[] = {__VA_ARGS__};                                   \
    static const struct keymap keymap_##id = {                                                     \
        .name = label,                                                                             \
        .bindings = id##_bindings,                                                                 \
        .n = sizeof id##_bindings / sizeof id##_bindings[0],                                       \
        .parent = &keymap_table,                                                                   \
    };

KIND_KEYMAP(pods, "Pods", {CTRL('k'), "ctrl-k", ACT_KILL, true})
KIND_KEYMAP(deployments, "Deployments", {'s', "s", ACT_SCALE, true}, {'r', "r", ACT_RESTART, true},
            {CTRL('l'), "ctrl-l", ACT_ROLLBACK, true})
KIND_KEYMAP(statefulsets, "StatefulSets", {'s', "s", ACT_SCALE, true},
            {'r', "r", ACT_RESTART, true}, {CTRL('l'), "ctrl-l", ACT_ROLLBACK, true})
KIND_KEYMAP(daemonsets, "DaemonSets", {'r', "r", ACT_RESTART, true},
            {CTRL('l'), "ctrl-l", ACT_ROLLBACK, true})
KIND_KEYMAP(replicasets, "ReplicaSets", {'s', "s", ACT_SCALE, true},
            {CTRL('l'), "ctrl-l", ACT_ROLLBACK, true})
KIND_KEYMAP(scalable, "Scalable", {'s', "s", ACT_SCALE, true})
KIND_KEYMAP(nodes, "Nodes", {'c', "c", ACT_CORDON, true}, {'u', "u", ACT_UNCORDON, true},
            {'r', "r", ACT_DRAIN, true})
KIND_KEYMAP(cronjobs, "CronJobs", {'t', "t", ACT_TRIGGER, true}, {'s', "s", ACT_SUSPEND, true})
KIND_KEYMAP(secrets, "Secrets", {'x', "x", ACT_DECODE, true})

/* Contexts: Enter switches; none of the object actions apply. */
static const struct binding contexts_bindings[] = {
    {'\r', "enter", ACT_ENTER, true},
    {KEY_ENTER, "enter", ACT_ENTER, false},
    {'L', "shift-l", ACT_NONE, false},
    {'e', "e", ACT_NONE, false},
    {CTRL('d'), "ctrl-d", ACT_NONE, false},
    {'d', "d", ACT_NONE, false},
    {'y', "y", ACT_NONE, false},
    {'l', "l", ACT_NONE, false},
    {'p', "p", ACT_NONE, false},
};

static const struct keymap keymap_contexts = {
    .name = "Contexts",
    .bindings = contexts_bindings,
    .n = sizeof contexts_bindings / sizeof contexts_bindings[0],
    .parent = &keymap_table,
};

static const struct {
    const char *group, *resource;
    const struct keymap *km;
} kind_keymaps[] = {
    {"", "contexts", &keymap_contexts},
    {"", "pods", &keymap_pods},
    {"apps", "deployments", &keymap_deployments},
    {"apps", "statefulsets", &keymap_statefulsets},
    {"apps", "daemonsets", &keymap_daemonsets},
    {"apps", "replicasets", &keymap_replicasets},
    {"", "replicationcontrollers", &keymap_scalable},
    {"", "nodes", &keymap_nodes},
    {"batch", "cronjobs", &keymap_cronjobs},
    {"", "secrets", &keymap_secrets},
};

const struct keymap *keymap_for_kind(const char *group, const char *resource, bool scalable)
{
    for (size_t i = 0; i < sizeof kind_keymaps / sizeof kind_keymaps[0]; i++)
        if (strcmp(kind_keymaps[i].group, group) == 0 &&
            strcmp(kind_keymaps[i].resource, resource) == 0)
            return kind_keymaps[i].km;
    return scalable ? &keymap_scalable : &keymap_table;
}

static const struct binding history_bindings[] = {
    {'\r', "enter", ACT_ENTER, true},
    {KEY_ENTER, "enter", ACT_ENTER, false},
};

const struct keymap keymap_history = {
    .name = "Rollout history",
    .bindings = history_bindings,
    .n = sizeof history_bindings / sizeof history_bindings[0],
    .parent = &keymap_nav,
};

static const struct binding doc_bindings[] = {
    {'n', "n", ACT_SEARCH_NEXT, true},     {'N', "N", ACT_SEARCH_PREV, true},
    {'m', "m", ACT_TOGGLE_MANAGED, true},  {'x', "x", ACT_DECODE, false},
    {CTRL('s'), "ctrl-s", ACT_SAVE, true},
};

const struct keymap keymap_doc = {
    .name = "Document",
    .bindings = doc_bindings,
    .n = sizeof doc_bindings / sizeof doc_bindings[0],
    .parent = &keymap_nav,
};

static const struct binding logs_bindings[] = {
    {'s', "s", ACT_LOG_AUTOSCROLL, true},  {'w', "w", ACT_LOG_WRAP, true},
    {'t', "t", ACT_LOG_TIMESTAMPS, true},  {'0', "0", ACT_LOG_WINDOW, true},
    {'1', "1", ACT_LOG_WINDOW, true},      {'2', "2", ACT_LOG_WINDOW, true},
    {'3', "3", ACT_LOG_WINDOW, true},      {'4', "4", ACT_LOG_WINDOW, true},
    {'5', "5", ACT_LOG_WINDOW, true},      {'6', "6", ACT_LOG_WINDOW, true},
    {'C', "shift-c", ACT_LOG_CLEAR, true}, {CTRL('s'), "ctrl-s", ACT_SAVE, true},
    {'\r', "enter", ACT_ENTER, false},     {KEY_ENTER, "enter", ACT_ENTER, false},
};

const struct keymap keymap_logs = {
    .name = "Logs",
    .bindings = logs_bindings,
    .n = sizeof logs_bindings / sizeof logs_bindings[0],
    .parent = &keymap_nav,
};

const struct keymap keymap_help = {
    .name = "Help",
    .bindings = NULL,
    .n = 0,
    .parent = &keymap_nav,
};

const struct binding *keymap_find(const struct keymap *km, int key)
{
    for (; km; km = km->parent)
        for (size_t i = 0; i < km->n; i++)
            if (km->bindings[i].key == key)
                return &km->bindings[i];
    return NULL;
}
