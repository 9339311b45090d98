/* tableview — drawing and navigation of one resource table. */
#include "views/tableview.h"
#include "views/screen.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL_GAP 2

void tableview_init(struct tableview *tv, struct feed *feed, bool allns, const char *ns)
{
    memset(tv, 0, sizeof *tv);
    tv->feed = feed;
    table_init(&tv->table, feed->kind, allns, false);
    if (feed->kind->namespaced)
        tv->ns_label = xstrdup(allns ? "all" : ns);
}

void tableview_free(struct tableview *tv)
{
    table_free(&tv->table);
    free(tv->ns_label);
    free(tv->sel_uid);
    memset(tv, 0, sizeof *tv);
}

static void remember_selection(struct tableview *tv)
{
    free(tv->sel_uid);
    tv->sel_uid = NULL;
    if (tv->sel < table_len(&tv->table))
        tv->sel_uid = xstrdup(obj_str(table_row(&tv->table, tv->sel), OBJ_UID));
}

bool tableview_sync(struct tableview *tv)
{
    if (!table_sync(&tv->table, &tv->feed->store))
        return false;
    size_t n = table_len(&tv->table);
    if (tv->sel_uid) {
        long i = table_find(&tv->table, tv->sel_uid);
        if (i >= 0)
            tv->sel = (size_t)i;
    }
    if (tv->sel >= n)
        tv->sel = n ? n - 1 : 0;
    remember_selection(tv);
    /* Widths follow the widest cell of any row, but never shrink while the view is open. */
    char buf[CELL_MAX];
    for (size_t c = 0; c < tv->table.ncols; c++) {
        const struct kind_column *col = &tv->table.kind->columns[tv->table.cols[c]];
        int w = screen_width(table_header(&tv->table, c));
        if (w > tv->width[c])
            tv->width[c] = w;
        if (col->flags & COL_CLOCK)
            continue; /* measured on visible rows at draw time */
        for (size_t r = 0; r < n; r++) {
            w = screen_width(table_cell(&tv->table, table_row(&tv->table, r), c, buf));
            if (w > tv->width[c])
                tv->width[c] = w;
        }
    }
    return true;
}

bool tableview_act(struct tableview *tv, enum action a)
{
    size_t n = table_len(&tv->table);
    size_t old = tv->sel;
    size_t page = tv->page > 1 ? (size_t)tv->page : 1;
    if (n == 0)
        return false;
    switch (a) {
    case ACT_UP:
        if (tv->sel > 0)
            tv->sel--;
        break;
    case ACT_DOWN:
        if (tv->sel + 1 < n)
            tv->sel++;
        break;
    case ACT_TOP:
        tv->sel = 0;
        break;
    case ACT_BOTTOM:
        tv->sel = n - 1;
        break;
    case ACT_PAGE_UP:
        tv->sel = tv->sel > page ? tv->sel - page : 0;
        break;
    case ACT_PAGE_DOWN:
        tv->sel = tv->sel + page < n ? tv->sel + page : n - 1;
        break;
    default:
        return false;
    }
    if (tv->sel != old)
        remember_selection(tv);
    return tv->sel != old;
}

void tableview_title(const struct tableview *tv, char *buf, size_t n)
{
    if (tv->ns_label)
        snprintf(buf, n, "%s(%s)[%zu]", tv->table.kind->resource, tv->ns_label,
                 table_len(&tv->table));
    else
        snprintf(buf, n, "%s[%zu]", tv->table.kind->resource, table_len(&tv->table));
}

static enum style row_style(const struct obj *o)
{
    switch (o->state) {
    case OBJ_STATE_PENDING:
        return STYLE_ROW_PENDING;
    case OBJ_STATE_ERROR:
        return STYLE_ROW_ERROR;
    case OBJ_STATE_COMPLETED:
        return STYLE_ROW_COMPLETED;
    case OBJ_STATE_TERMINATING:
        return STYLE_ROW_TERMINATING;
    default:
        return STYLE_ROW;
    }
}

static void draw_title(const struct tableview *tv, int y, int x, int w)
{
    char title[256];
    tableview_title(tv, title, sizeof title);
    /* "pods(default)" in the title style, "[5]" in the count style, centred on the border. */
    char *br = strrchr(title, '[');
    int tw = screen_width(title) + 2;
    if (tw > w - 2)
        tw = w - 2;
    if (tw <= 2)
        return;
    int tx = x + (w - tw) / 2;
    screen_text(y, tx, 1, " ", STYLE_TITLE);
    if (br) {
        *br = '\0';
        int used = screen_text(y, tx + 1, tw - 2, title, STYLE_TITLE);
        *br = '[';
        used += screen_text(y, tx + 1 + used, tw - 2 - used, br, STYLE_TITLE_COUNT);
        screen_text(y, tx + 1 + used, 1, " ", STYLE_TITLE);
    } else {
        int used = screen_text(y, tx + 1, tw - 2, title, STYLE_TITLE);
        screen_text(y, tx + 1 + used, 1, " ", STYLE_TITLE);
    }
}

void tableview_draw(struct tableview *tv, int y, int x, int h, int w, int64_t now)
{
    table_set_ctx(&tv->table, now, tv->table.cx.metrics);
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_DEFAULT);
    if (h <= 0 || w <= 0)
        return;
    screen_box(y, x, h, w, STYLE_BORDER);
    if (h >= 1 && w >= 6)
        draw_title(tv, y, x, w);
    int iy = y + 1, ix = x + 1, ih = h - 2, iw = w - 2;
    if (ih <= 0 || iw <= 0) {
        tv->page = 1;
        return;
    }
    size_t n = table_len(&tv->table);
    int body = ih - 1; /* rows below the column header */
    tv->page = body > 0 ? body : 1;
    if (tv->sel < tv->top)
        tv->top = tv->sel;
    if (body > 0 && tv->sel >= tv->top + (size_t)body)
        tv->top = tv->sel - (size_t)body + 1;
    if (tv->top + (size_t)(body > 0 ? body : 0) > n)
        tv->top = n > (size_t)(body > 0 ? body : 0) ? n - (size_t)body : 0;

    /* Clock columns: measured on the visible rows. */
    char buf[CELL_MAX];
    for (size_t c = 0; c < tv->table.ncols; c++) {
        if (!(tv->table.kind->columns[tv->table.cols[c]].flags & COL_CLOCK))
            continue;
        for (int r = 0; r < body && tv->top + (size_t)r < n; r++) {
            const struct obj *o = table_row(&tv->table, tv->top + (size_t)r);
            int cw = screen_width(table_cell(&tv->table, o, c, buf));
            if (cw > tv->width[c])
                tv->width[c] = cw;
        }
    }

    int cx = ix + 1;
    for (size_t c = 0; c < tv->table.ncols && cx < ix + iw; c++) {
        screen_text(iy, cx, ix + iw - cx, table_header(&tv->table, c), STYLE_TABLE_HEADER);
        cx += tv->width[c] + COL_GAP;
    }
    if (n == 0 && body > 0) {
        const char *msg = tv->feed->synced ? "No resources found." : "Loading...";
        screen_text(iy + 1, ix + 1, iw - 1, msg, STYLE_ROW);
        return;
    }
    for (int r = 0; r < body; r++) {
        size_t idx = tv->top + (size_t)r;
        if (idx >= n)
            break;
        const struct obj *o = table_row(&tv->table, idx);
        enum style st = idx == tv->sel ? STYLE_ROW_SELECTED : row_style(o);
        screen_fill(iy + 1 + r, ix, iw, st);
        cx = ix + 1;
        for (size_t c = 0; c < tv->table.ncols && cx < ix + iw; c++) {
            screen_text(iy + 1 + r, cx, ix + iw - cx, table_cell(&tv->table, o, c, buf), st);
            cx += tv->width[c] + COL_GAP;
        }
    }
}
