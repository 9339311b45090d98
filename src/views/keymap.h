/* keymap — key bindings as data.
 *
 * Each view has a table of bindings and a parent to fall back to. The same tables drive key
 * dispatch and draw the key hints (and, later, the help screen), so they cannot drift apart. */
#ifndef TIMON_VIEWS_KEYMAP_H
#define TIMON_VIEWS_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

enum action {
    ACT_NONE,
    ACT_QUIT,
    ACT_UP,
    ACT_DOWN,
    ACT_TOP,
    ACT_BOTTOM,
    ACT_PAGE_UP,
    ACT_PAGE_DOWN,
    ACT_COMMAND,
};

struct binding {
    int key;          /* a curses key code or a byte */
    const char *name; /* as shown in hints: "q", "ctrl-c", "pgdn" */
    enum action action;
    const char *help;
    bool hint; /* shown in the header's key hints */
};

struct keymap {
    const char *name;
    const struct binding *bindings;
    size_t n;
    const struct keymap *parent; /* fallback, or NULL */
};

/* The binding for key in km or its parents, or NULL. */
const struct binding *keymap_find(const struct keymap *km, int key);

extern const struct keymap keymap_global;
extern const struct keymap keymap_table;

#endif
