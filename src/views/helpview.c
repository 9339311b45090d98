/* helpview — the help screen, built from key tables. */
#include "views/helpview.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"
#include "views/screen.h"
#include "views/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct help_line {
    char *key;  /* owned; NULL for a section title */
    char *text; /* owned */
};
VEC_DEFINE(help_lines, struct help_line)

struct helpview {
    struct view base;
    struct help_lines lines;
    char *from; /* owned view name */
    size_t top;
    int page;
};

static void add(struct helpview *hv, const char *key, const char *text)
{
    struct help_line *l = help_lines_push(&hv->lines);
    l->key = key ? xstrdup(key) : NULL;
    l->text = xstrdup(text);
}

/* One section per key table, from the view's own table up to the global one. Keys bound to the
 * same action are listed together ("j, down"). A key a nearer table takes over (or switches
 * off, with ACT_NONE) is not listed where it no longer applies. */
static void build(struct helpview *hv, const struct keymap *top)
{
    for (const struct keymap *km = top; km; km = km->parent) {
        if (!km->n)
            continue;
        add(hv, NULL, km->name);
        bool done[64] = {false};
        for (size_t i = 0; i < km->n && i < 64; i++) {
            if (done[i] || km->bindings[i].action == ACT_NONE ||
                keymap_find(top, km->bindings[i].key) != &km->bindings[i])
                continue;
            struct strbuf keys = {0};
            strbuf_puts(&keys, km->bindings[i].name);
            for (size_t j = i + 1; j < km->n && j < 64; j++) {
                if (km->bindings[j].action == km->bindings[i].action && !done[j]) {
                    if (strcmp(km->bindings[j].name, km->bindings[i].name) != 0)
                        strbuf_printf(&keys, ", %s", km->bindings[j].name);
                    done[j] = true;
                }
            }
            add(hv, strbuf_str(&keys), action_help(km->bindings[i].action));
            strbuf_free(&keys);
        }
    }
}

static void hv_free(struct view *v)
{
    struct helpview *hv = (struct helpview *)v;
    for (size_t i = 0; i < hv->lines.len; i++) {
        free(hv->lines.v[i].key);
        free(hv->lines.v[i].text);
    }
    help_lines_free(&hv->lines);
    free(hv->from);
    free(hv);
}

static bool hv_sync(struct view *v, struct ui *ui)
{
    (void)v;
    (void)ui;
    return false;
}

static void hv_draw(struct view *v, struct ui *ui, int y, int x, int h, int w)
{
    (void)ui;
    struct helpview *hv = (struct helpview *)v;
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_DEFAULT);
    if (h <= 0 || w <= 0)
        return;
    screen_box(y, x, h, w, STYLE_BORDER);
    char title[128];
    snprintf(title, sizeof title, " help(%s) ", hv->from);
    if (w > 4)
        screen_text(y, x + (w - screen_width(title)) / 2, w - 2, title, STYLE_TITLE);
    int body = h - 2;
    hv->page = body > 0 ? body : 1;
    for (int r = 0; r < body; r++) {
        size_t i = hv->top + (size_t)r;
        if (i >= hv->lines.len)
            break;
        const struct help_line *l = &hv->lines.v[i];
        if (!l->key) {
            screen_text(y + 1 + r, x + 2, w - 3, l->text, STYLE_HEADER_LABEL);
            continue;
        }
        char key[64];
        snprintf(key, sizeof key, "<%s>", l->key);
        screen_text(y + 1 + r, x + 4, 24, key, STYLE_KEY);
        screen_text(y + 1 + r, x + 30, w - 31, l->text, STYLE_KEY_HELP);
    }
}

static unsigned hv_act(struct view *v, struct ui *ui, enum action a, int key)
{
    (void)ui;
    (void)key;
    struct helpview *hv = (struct helpview *)v;
    size_t page = hv->page > 1 ? (size_t)hv->page : 1;
    size_t last = hv->lines.len > page ? hv->lines.len - page : 0;
    switch (a) {
    case ACT_UP:
        if (hv->top)
            hv->top--;
        return REACT_REDRAW;
    case ACT_DOWN:
    case ACT_PAGE_DOWN:
        hv->top = hv->top + (a == ACT_DOWN ? 1 : page) < last ? hv->top + (a == ACT_DOWN ? 1 : page)
                                                              : last;
        return REACT_REDRAW;
    case ACT_PAGE_UP:
        hv->top = hv->top > page ? hv->top - page : 0;
        return REACT_REDRAW;
    case ACT_TOP:
        hv->top = 0;
        return REACT_REDRAW;
    case ACT_BOTTOM:
        hv->top = last;
        return REACT_REDRAW;
    case ACT_HELP:
        return REACT_POP;
    default:
        return REACT_UNHANDLED;
    }
}

static void hv_crumb(const struct view *v, char *buf, size_t n)
{
    (void)v;
    snprintf(buf, n, "help");
}

static const struct view_ops helpview_ops = {
    .name = "help",
    .keymap = &keymap_help,
    .free = hv_free,
    .sync = hv_sync,
    .draw = hv_draw,
    .act = hv_act,
    .crumb = hv_crumb,
};

struct view *helpview_new(const struct keymap *from, const char *view_name)
{
    struct helpview *hv = xcalloc(1, sizeof *hv);
    hv->base.ops = &helpview_ops;
    hv->from = xstrdup(view_name);
    build(hv, from);
    return &hv->base;
}
