/* view — one screen of the TUI (a resource table, help, a text viewer ...), as an ops table.
 *
 * Views form a stack owned by the ui: drill-downs push, commands replace. A view's handlers
 * never draw and never block: they change state and return reaction bits; the loop draws once
 * per pass. Every view embeds `struct view` as its first member. */
#ifndef TIMON_VIEWS_VIEW_H
#define TIMON_VIEWS_VIEW_H

#include <stdbool.h>
#include <stddef.h>

#include "model/kind.h"
#include "util/err.h"
#include "views/keymap.h"

struct ui;
struct view;

enum react {
    REACT_NONE = 0,
    REACT_REDRAW = 1 << 0,    /* redraw the view */
    REACT_POP = 1 << 1,       /* close this view */
    REACT_QUIT = 1 << 2,      /* leave timon */
    REACT_UNHANDLED = 1 << 3, /* the view did not use the action: the ui may */
};

struct view_ops {
    const char *name;
    const struct keymap *keymap;
    void (*free)(struct view *v);
    /* Picks up model changes; returns true when the view must be redrawn. */
    bool (*sync)(struct view *v, struct ui *ui);
    void (*draw)(struct view *v, struct ui *ui, int y, int x, int h, int w);
    /* A bound action (key is the key pressed, for ACT_NS_FAV digits). */
    unsigned (*act)(struct view *v, struct ui *ui, enum action a, int key);
    /* The crumb ("pods", "containers") and the boxed title ("pods(default)[5]"). */
    void (*crumb)(const struct view *v, char *buf, size_t n);
    /* Optional: a mouse event at screen row/col inside the view's box (button: 1 click,
     * 4 wheel up, 5 wheel down). */
    unsigned (*mouse)(struct view *v, struct ui *ui, int y, int x, int button);
    /* Optional: filtering with '/' ("" clears); false with e set for a bad expression. */
    bool (*set_filter)(struct view *v, struct ui *ui, const char *expr, struct err *e);
    const char *(*filter)(const struct view *v);
    /* Optional: ms until the view needs a redraw by itself (flashes), or -1. */
    int (*timeout_ms)(const struct view *v, struct ui *ui);
    /* Optional: advances background work (watch retries) while the view is not on top. */
    void (*tick)(struct view *v);
    /* Optional: the state of the view's watch for the header; false when it is not live. */
    bool (*watch_state)(const struct view *v, char *buf, size_t n);
    /* Optional: the kind the view shows (for metrics and hints), or NULL. */
    const struct kind *(*kind)(const struct view *v);
    /* Optional: the keys of this view when they depend on what it shows (a kind's actions);
     * NULL means `keymap`. */
    const struct keymap *(*keys)(const struct view *v);
};

/* The keys a view answers to. */
const struct keymap *view_keymap(const struct view *v);

struct view {
    const struct view_ops *ops;
};

#endif
