/* keymap — the key tables. Adding a key means adding a line here. */
#include "views/keymap.h"

#include <curses.h>

#define CTRL(c) ((c)&0x1f)

static const struct binding global_bindings[] = {
    {':', ":", ACT_COMMAND, "command", true},
    {'q', "q", ACT_QUIT, "quit", true},
    {CTRL('c'), "ctrl-c", ACT_QUIT, "quit", false},
};

const struct keymap keymap_global = {
    .name = "global",
    .bindings = global_bindings,
    .n = sizeof global_bindings / sizeof global_bindings[0],
    .parent = NULL,
};

static const struct binding table_bindings[] = {
    {'j', "j", ACT_DOWN, "down", true},
    {KEY_DOWN, "down", ACT_DOWN, "down", false},
    {'k', "k", ACT_UP, "up", true},
    {KEY_UP, "up", ACT_UP, "up", false},
    {'g', "g", ACT_TOP, "top", true},
    {KEY_HOME, "home", ACT_TOP, "top", false},
    {'G', "G", ACT_BOTTOM, "bottom", true},
    {KEY_END, "end", ACT_BOTTOM, "bottom", false},
    {KEY_NPAGE, "pgdn", ACT_PAGE_DOWN, "page down", true},
    {KEY_PPAGE, "pgup", ACT_PAGE_UP, "page up", true},
};

const struct keymap keymap_table = {
    .name = "table",
    .bindings = table_bindings,
    .n = sizeof table_bindings / sizeof table_bindings[0],
    .parent = &keymap_global,
};

const struct binding *keymap_find(const struct keymap *km, int key)
{
    for (; km; km = km->parent)
        for (size_t i = 0; i < km->n; i++)
            if (km->bindings[i].key == key)
                return &km->bindings[i];
    return NULL;
}
