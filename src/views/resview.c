/* resview — the resource table view. See resview.h.
 *
 * Must not: block, draw outside resview_draw, or act on a row the user cannot see (marks are
 * cleared when the filter changes). */
#include "views/resview.h"
#include "views/actions.h"
#include "model/feed.h"
#include "model/selector.h"
#include "model/table.h"
#include "util/clock.h"
#include "util/map.h"
#include "util/xalloc.h"
#include "views/screen.h"
#include "views/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COL_GAP  2
#define FLASH_MS 1500
#define GHOST_MS 600 /* short: a deleted row must be gone within a second */
/* Under a stream of changes the rows are rebuilt at most every REBUILD_MIN_MS, and for at most
 * 1/REBUILD_SHARE of the time (never waiting more than REBUILD_MAX_MS): at 50,000 pods each
 * watch event used to cost a rebuild (make bench, churn). Reading rows always rebuilds first. */
#define REBUILD_MIN_MS 33
#define REBUILD_MAX_MS 300
#define REBUILD_SHARE  50
#define PREPARE_ROWS   4000 /* rows of filter text per loop turn (~1-2 ms at 50,000 pods) */

struct resview {
    struct view base;
    const struct kind *kind; /* borrowed (static, or owned by the ui's kind cache) */
    char *ns, *selector, *fieldsel, *owner, *crumb; /* owned */
    char *filter_text;                              /* owned, "" when none */
    cJSON *local;                                   /* owned rows of a KIND_LOCAL kind */
    struct feed *feed;                              /* owned */
    struct table table;                             /* owned */
    size_t sel, top;
    char *sel_uid;    /* owned */
    struct map marks; /* uid (owned key) -> non-NULL */
    int width[TABLE_MAX_COLS];
    size_t width_of[TABLE_MAX_COLS]; /* the kind column each width was measured for */
    int page;
    int col_cursor;              /* visible column chosen with shift-left/right */
    bool hidden[TABLE_MAX_COLS]; /* columns left out at the last draw (no room) */
    int64_t synced_at;   /* monotonic ms of the first full list: earlier changes don't flash */
    int64_t measured_ms; /* monotonic ms of the last width measurement, 0: measure every row */
    uint64_t measured_version; /* the store version then: unchanged, no cell has changed */
    int64_t rebuilt_at;        /* monotonic ms of the last rebuild */
    int64_t rebuild_us;        /* what it cost */
};

static struct resview *rv_of(struct view *v)
{
    return (struct resview *)v;
}

static void clear_marks(struct resview *rv)
{
    size_t pos = 0;
    const char *key;
    while (map_next(&rv->marks, &pos, &key, NULL))
        free((char *)(uintptr_t)key);
    map_clear(&rv->marks);
}

static void rv_free(struct view *v)
{
    struct resview *rv = rv_of(v);
    table_free(&rv->table);
    feed_free(rv->feed);
    clear_marks(rv);
    map_free(&rv->marks);
    free(rv->ns);
    free(rv->selector);
    free(rv->fieldsel);
    free(rv->owner);
    free(rv->crumb);
    free(rv->filter_text);
    free(rv->sel_uid);
    cJSON_Delete(rv->local);
    free(rv);
}

static char *dup_or_null(const char *s)
{
    return s && s[0] ? xstrdup(s) : NULL;
}

static void start_feed(struct resview *rv, struct ui *ui)
{
    feed_free(rv->feed);
    struct feed_spec fs = {
        .kind = rv->kind,
        .ns = rv->ns,
        .label_selector = rv->selector,
        .field_selector = rv->fieldsel,
    };
    rv->feed = rv->local ? feed_new_local(rv->kind, rv->local) : feed_new(ui->http, &fs);
    rv->feed->store.ghost_ms = GHOST_MS;
    rv->synced_at = 0;
    rv->measured_ms = 0;
    rv->table.built = false;
}

static void remember_selection(struct resview *rv)
{
    free(rv->sel_uid);
    rv->sel_uid = NULL;
    if (rv->sel < table_len(&rv->table))
        rv->sel_uid = xstrdup(obj_str(table_row(&rv->table, rv->sel), OBJ_UID));
}

/* The table is in step with its store: its rows may be read. */
static bool rows_current(const struct resview *rv)
{
    return rv->table.built && rv->table.version == rv->feed->store.version &&
           rv->table.cols_of == rv->table.kind->columns;
}

/* Milliseconds before a waiting rebuild is due (0: now). */
static int64_t rebuild_wait(const struct resview *rv, int64_t now_ms)
{
    if (!rv->table.built)
        return 0;
    int64_t gap = rv->rebuild_us * REBUILD_SHARE / 1000;
    gap = gap < REBUILD_MIN_MS ? REBUILD_MIN_MS : gap > REBUILD_MAX_MS ? REBUILD_MAX_MS : gap;
    int64_t left = rv->rebuilt_at + gap - now_ms;
    return left > 0 ? left : 0;
}

/* Rows, selection and widths from the store; returns true if anything was rebuilt. */
static bool rebuild(struct resview *rv)
{
    int64_t t0 = clock_mono_us(), now_ms = clock_mono_ms();
    if (!table_sync(&rv->table, &rv->feed->store))
        return false;
    size_t n = table_len(&rv->table);
    if (rv->sel_uid && !(rv->sel < n && strcmp(obj_str(table_row(&rv->table, rv->sel), OBJ_UID),
                                               rv->sel_uid) == 0)) {
        /* The selected row moved: found by pointer (a hash lookup, then its place in the sort),
         * not by comparing uids along 50,000 rows; a ghost is not in the index. */
        const struct obj *o = store_get(&rv->feed->store, rv->sel_uid);
        long i = o ? table_index(&rv->table, o) : table_find(&rv->table, rv->sel_uid);
        if (i >= 0)
            rv->sel = (size_t)i;
    }
    if (rv->sel >= n)
        rv->sel = n ? n - 1 : 0;
    remember_selection(rv);
    /* Widths follow the widest cell of any row, filtered out or not, but never shrink while the
     * view shows the same columns (a width starts over when its position shows another
     * column). An object's cells change only when the store marks it changed, so only those
     * rows are measured again: a sort, or a change to a few rows of 50,000, costs no pass over
     * every cell (that pass took ~50 ms at 50k pods, measured in make bench). */
    bool every[TABLE_MAX_COLS], any_every = false;
    for (size_t c = 0; c < rv->table.ncols; c++) {
        every[c] = rv->measured_ms == 0;
        if (rv->width_of[c] != rv->table.cols[c] + 1) {
            rv->width_of[c] = rv->table.cols[c] + 1;
            rv->width[c] = 0;
            every[c] = true;
        }
        int w = screen_width(table_header(&rv->table, c)) + 1; /* room for the sort arrow */
        if (w > rv->width[c])
            rv->width[c] = w;
        if (rv->table.kind->columns[rv->table.cols[c]].flags & (COL_CLOCK | COL_METRICS))
            every[c] = false; /* measured on visible rows at draw time */
        else
            any_every |= every[c];
    }
    char buf[CELL_MAX];
    const struct objptrs *all = &rv->table.all;
    bool none_changed = rv->measured_ms && rv->feed->store.version == rv->measured_version;
    for (size_t r = 0; r < all->len && (any_every || !none_changed); r++) {
        bool changed = all->v[r]->changed >= rv->measured_ms;
        if (!changed && !any_every)
            continue;
        for (size_t c = 0; c < rv->table.ncols; c++) {
            if (!changed && !every[c])
                continue;
            if (rv->table.kind->columns[rv->table.cols[c]].flags & (COL_CLOCK | COL_METRICS))
                continue;
            int w = screen_width(table_cell(&rv->table, all->v[r], c, buf));
            if (w > rv->width[c])
                rv->width[c] = w;
        }
    }
    rv->measured_ms = now_ms;
    rv->measured_version = rv->feed->store.version;
    rv->rebuild_us = clock_mono_us() - t0;
    rv->rebuilt_at = now_ms;
    return true;
}

/* Before rows are read: a change still waiting is applied now. */
static void ensure_rows(struct resview *rv)
{
    if (!rows_current(rv))
        rebuild(rv);
}

static bool rv_sync(struct view *v, struct ui *ui)
{
    struct resview *rv = rv_of(v);
    bool metrics = ui->metrics_served;
    table_set_metrics(&rv->table, metrics);
    table_set_ctx(&rv->table, ui->now, &ui->metrics);
    int64_t now_ms = clock_mono_ms();
    store_expire_ghosts(&rv->feed->store, now_ms);
    if (!rv->synced_at && rv->feed->synced)
        rv->synced_at = now_ms;
    if (!rows_current(rv) && rebuild_wait(rv, now_ms) > 0)
        return false; /* rv_timeout wakes the loop for it */
    bool changed = rebuild(rv);
    /* While the filter prompt is open, the text a literal filter searches is built a slice
     * per loop turn (rv_timeout keeps the turns coming), so a keystroke waits for at most one
     * slice and the first character finds it ready: building it all at once took ~20 ms of
     * that keystroke at 50,000 pods. */
    if (ui->filter_prompt && ui_top(ui) == v && rows_current(rv))
        table_prepare_text(&rv->table, PREPARE_ROWS);
    return changed;
}

static void rv_crumb(const struct view *v, char *buf, size_t n)
{
    const struct resview *rv = (const struct resview *)v;
    const char *name = rv->crumb ? rv->crumb : rv->kind->resource;
    size_t count = table_len(&rv->table);
    if (rv->kind->namespaced)
        snprintf(buf, n, "%s(%s)[%zu]", name, rv->ns ? rv->ns : "all", count);
    else
        snprintf(buf, n, "%s[%zu]", name, count);
}

static enum style row_style(const struct resview *rv, const struct obj *o, int64_t now_ms)
{
    if (o->state == OBJ_STATE_DELETED)
        return STYLE_ROW_DELETED;
    if (rv->synced_at && o->changed > rv->synced_at && now_ms - o->changed < FLASH_MS)
        return STYLE_ROW_MODIFIED;
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

static void draw_title(struct resview *rv, int y, int x, int w)
{
    char title[300], count[32];
    const char *name = rv->crumb ? rv->crumb : rv->kind->resource;
    if (rv->kind->namespaced)
        snprintf(title, sizeof title, "%s(%s)", name, rv->ns ? rv->ns : "all");
    else
        snprintf(title, sizeof title, "%s", name);
    snprintf(count, sizeof count, "[%zu]", table_len(&rv->table));
    char filt[300] = "";
    if (rv->filter_text && rv->filter_text[0])
        snprintf(filt, sizeof filt, " </%s>", rv->filter_text);
    int tw = screen_width(title) + screen_width(count) + screen_width(filt) + 2;
    if (tw > w - 2)
        tw = w - 2;
    if (tw <= 2)
        return;
    int tx = x + (w - tw) / 2, end = tx + tw;
    int used = screen_text(y, tx, 1, " ", STYLE_TITLE);
    used += screen_text(y, tx + used, end - tx - used, title, STYLE_TITLE);
    used += screen_text(y, tx + used, end - tx - used, count, STYLE_TITLE_COUNT);
    used += screen_text(y, tx + used, end - tx - used, filt, STYLE_TITLE_FILTER);
    screen_text(y, tx + used, end - tx - used, " ", STYLE_TITLE);
}

/* Which visible column holds x, or -1 (for mouse clicks on the header). */
static int column_at(const struct resview *rv, int ix, int iw, int x)
{
    int cx = ix + 1;
    for (size_t c = 0; c < rv->table.ncols && cx < ix + iw; c++) {
        if (rv->hidden[c])
            continue;
        int end = cx + rv->width[c] + COL_GAP;
        if (x >= cx && x < end)
            return (int)c;
        cx = end;
    }
    return -1;
}

static int last_iy, last_ix, last_iw, last_body; /* where the rows were drawn (mouse) */

static void rv_draw(struct view *v, struct ui *ui, int y, int x, int h, int w)
{
    struct resview *rv = rv_of(v);
    ensure_rows(rv);
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_DEFAULT);
    if (h <= 0 || w <= 0)
        return;
    screen_box(y, x, h, w, STYLE_BORDER);
    if (w >= 6)
        draw_title(rv, y, x, w);
    int iy = y + 1, ix = x + 1, ih = h - 2, iw = w - 2;
    if (ih <= 0 || iw <= 0) {
        rv->page = 1;
        return;
    }
    size_t n = table_len(&rv->table);
    int body = ih - 1; /* rows below the column header */
    last_iy = iy;
    last_ix = ix;
    last_iw = iw;
    last_body = body;
    rv->page = body > 0 ? body : 1;
    if (rv->sel < rv->top)
        rv->top = rv->sel;
    if (body > 0 && rv->sel >= rv->top + (size_t)body)
        rv->top = rv->sel - (size_t)body + 1;
    if (body > 0 && rv->top + (size_t)body > n)
        rv->top = n > (size_t)body ? n - (size_t)body : 0;

    char buf[CELL_MAX];
    table_set_ctx(&rv->table, ui->now, &ui->metrics);
    for (size_t c = 0; c < rv->table.ncols; c++) {
        if (!(rv->table.kind->columns[rv->table.cols[c]].flags & (COL_CLOCK | COL_METRICS)))
            continue;
        for (int r = 0; r < body && rv->top + (size_t)r < n; r++) {
            const struct obj *o = table_row(&rv->table, rv->top + (size_t)r);
            int cw = screen_width(table_cell(&rv->table, o, c, buf));
            if (cw > rv->width[c])
                rv->width[c] = cw;
        }
    }

    /* When the columns do not fit, the metric percentages go first, then other metrics, so
     * the identifying columns and AGE stay on screen. */
    bool hide[TABLE_MAX_COLS] = {false};
    int total = 1;
    for (size_t c = 0; c < rv->table.ncols; c++)
        total += rv->width[c] + COL_GAP;
    for (int pass = 0; pass < 2 && total > iw; pass++) {
        for (size_t c = rv->table.ncols; c-- > 0 && total > iw;) {
            const struct kind_column *kc = &rv->table.kind->columns[rv->table.cols[c]];
            if (!(kc->flags & COL_METRICS) || (pass == 0 && kc->name[0] != '%'))
                continue;
            if (!hide[c]) {
                hide[c] = true;
                total -= rv->width[c] + COL_GAP;
            }
        }
    }
    memcpy(rv->hidden, hide, sizeof hide);

    /* Column header: the sort column carries its direction, the chosen column stands out. */
    int cx = ix + 1;
    for (size_t c = 0; c < rv->table.ncols && cx < ix + iw; c++) {
        if (hide[c])
            continue;
        char hdr[128];
        bool sorted = rv->table.sort_col == (int)rv->table.cols[c];
        snprintf(hdr, sizeof hdr, "%s%s", table_header(&rv->table, c),
                 sorted ? (rv->table.sort_desc ? "\u2193" : "\u2191") : "");
        screen_text(iy, cx, ix + iw - cx, hdr,
                    (int)c == rv->col_cursor ? STYLE_TABLE_HEADER_SEL : STYLE_TABLE_HEADER);
        cx += rv->width[c] + COL_GAP;
    }
    if (n == 0 && body > 0) {
        const char *msg = rv->feed->synced ? "No resources found." : "Loading...";
        screen_text(iy + 1, ix + 1, iw - 1, msg, STYLE_ROW);
        return;
    }
    int64_t now_ms = clock_mono_ms();
    for (int r = 0; r < body; r++) {
        size_t idx = rv->top + (size_t)r;
        if (idx >= n)
            break;
        const struct obj *o = table_row(&rv->table, idx);
        bool marked = map_get(&rv->marks, obj_str(o, OBJ_UID)) != NULL;
        enum style st = idx == rv->sel ? STYLE_ROW_SELECTED
                        : marked       ? STYLE_ROW_MARKED
                                       : row_style(rv, o, now_ms);
        screen_fill(iy + 1 + r, ix, iw, st);
        if (marked)
            screen_text(iy + 1 + r, ix, 1, "\u2022", st);
        cx = ix + 1;
        for (size_t c = 0; c < rv->table.ncols && cx < ix + iw; c++) {
            if (hide[c])
                continue;
            screen_text(iy + 1 + r, cx, ix + iw - cx, table_cell(&rv->table, o, c, buf), st);
            cx += rv->width[c] + COL_GAP;
        }
    }
}

static void move_to(struct resview *rv, size_t i)
{
    size_t n = table_len(&rv->table);
    if (n == 0)
        return;
    rv->sel = i >= n ? n - 1 : i;
    remember_selection(rv);
}

/* Sorting by a kind column; pressing the same sort again flips the direction. */
static void sort_by(struct resview *rv, int kind_col, bool default_desc)
{
    if (kind_col < 0)
        return;
    bool desc = rv->table.sort_col == kind_col ? !rv->table.sort_desc : default_desc;
    table_set_sort(&rv->table, kind_col, desc);
}

static int kind_col_named(const struct kind *k, const char *const *names)
{
    for (const char *const *n = names; *n; n++)
        for (size_t i = 0; i < k->ncolumns; i++)
            if (strcmp(k->columns[i].name, *n) == 0)
                return (int)i;
    return -1;
}

/* A new view of the same kind in another namespace, replacing this one on the stack. */
static unsigned reopen(struct resview *rv, struct ui *ui, const char *ns)
{
    struct resview_spec spec = {
        .kind = rv->kind,
        .ns = ns,
        .selector = rv->selector,
        .fieldsel = rv->fieldsel,
        .owner = rv->owner,
        .filter = rv->filter_text,
        .crumb = rv->crumb,
    };
    struct view *nv = resview_new(ui, &spec);
    if (ui->depth == 1)
        ui_replace(ui, nv);
    else {
        ui_pop(ui);
        ui_push(ui, nv);
    }
    return REACT_REDRAW;
}

/* Logs of a pod, of a container row, or of every pod a workload or a service selects. */
static unsigned open_logs(struct resview *rv, struct ui *ui, const struct obj *o, bool previous)
{
    const struct kind *k = rv->kind;
    const char *ns = obj_str(o, OBJ_NAMESPACE), *name = obj_str(o, OBJ_NAME);
    if (!(k->caps & KIND_LOGS)) {
        ui_flash(ui, true, "%s have no logs", k->resource);
        return REACT_NONE;
    }
    if (k == &kind_containers) {
        const char *owner = obj_str(o, OBJ_OWNER); /* "Pod/NAME" */
        ui_open_logs(ui, ns, strncmp(owner, "Pod/", 4) == 0 ? owner + 4 : owner, name, NULL, NULL,
                     previous);
        return REACT_REDRAW;
    }
    if (k->selector < 0) {
        ui_open_logs(ui, ns, name, NULL, NULL, NULL, previous);
        return REACT_REDRAW;
    }
    const char *sel = obj_str(o, (unsigned)k->selector);
    if (!sel[0] || strcmp(sel, "<none>") == 0) {
        ui_flash(ui, true, "%s/%s selects no pods", k->singular, name);
        return REACT_NONE;
    }
    char what[300];
    snprintf(what, sizeof what, "%s/%s", k->singular, name);
    ui_open_logs(ui, ns, NULL, NULL, sel, what, previous);
    return REACT_REDRAW;
}

/* d, y, x on a row: its describe, its YAML, a secret's decoded data (a container's: its pod's). */
static unsigned open_doc(struct resview *rv, struct ui *ui, const struct obj *o, enum action a)
{
    const struct kind *k = rv->kind;
    const char *ns = obj_str(o, OBJ_NAMESPACE), *name = obj_str(o, OBJ_NAME);
    if (k == &kind_containers) {
        const char *owner = obj_str(o, OBJ_OWNER); /* "Pod/NAME" */
        k = kind_lookup("pods");
        name = strncmp(owner, "Pod/", 4) == 0 ? owner + 4 : owner;
    }
    if (a == ACT_DECODE && (k->group[0] || strcmp(k->resource, "secrets") != 0)) {
        ui_flash(ui, true, "x decodes a secret's data (these are %s)", k->resource);
        return REACT_NONE;
    }
    if (a == ACT_DESCRIBE)
        ui_open_describe(ui, k, ns, name);
    else if (a == ACT_DECODE)
        ui_open_decoded(ui, ns, name);
    else
        ui_open_yaml(ui, k, ns, name);
    return REACT_REDRAW;
}

static unsigned drill_down(struct resview *rv, struct ui *ui, const struct obj *o)
{
    const struct kind *k = rv->kind;
    const char *ns = obj_str(o, OBJ_NAMESPACE);
    const char *name = obj_str(o, OBJ_NAME);
    const struct kind *pods = kind_lookup("pods");
    char crumb[300];
    if (k->selector >= 0) {
        const char *sel = obj_str(o, (unsigned)k->selector);
        if (!sel[0] || strcmp(sel, "<none>") == 0) {
            ui_flash(ui, true, "%s/%s selects no pods", k->singular, name);
            return REACT_NONE;
        }
        snprintf(crumb, sizeof crumb, "pods:%s", name);
        struct resview_spec s = {.kind = pods, .ns = ns, .selector = sel, .crumb = crumb};
        ui_push(ui, resview_new(ui, &s));
    } else if (strcmp(k->resource, "cronjobs") == 0 && strcmp(k->group, "batch") == 0) {
        char owner[300];
        snprintf(owner, sizeof owner, "CronJob/%s", name);
        snprintf(crumb, sizeof crumb, "jobs:%s", name);
        struct resview_spec s = {
            .kind = kind_lookup("jobs"), .ns = ns, .owner = owner, .crumb = crumb};
        ui_push(ui, resview_new(ui, &s));
    } else if (strcmp(k->resource, "nodes") == 0 && !k->group[0]) {
        char fs[300];
        snprintf(fs, sizeof fs, "spec.nodeName=%s", name);
        snprintf(crumb, sizeof crumb, "pods:%s", name);
        struct resview_spec s = {.kind = pods, .ns = NULL, .fieldsel = fs, .crumb = crumb};
        ui_push(ui, resview_new(ui, &s));
    } else if (strcmp(k->resource, "namespaces") == 0 && !k->group[0]) {
        ui_set_namespace(ui, name);
        struct resview_spec s = {.kind = pods, .ns = name};
        ui_replace(ui, resview_new(ui, &s));
    } else if (k == &kind_containers) {
        return open_logs(rv, ui, o, false); /* a container's Enter is its logs, as in k9s */
    } else if (k == &kind_contexts) {
        ui_switch_context(ui, name, NULL);
    } else if (strcmp(k->resource, "pods") == 0 && !k->group[0]) {
        ui_open_containers(ui, ns, name);
    } else if (strcmp(k->resource, "customresourcedefinitions") == 0) {
        const struct kind *ck = ui_kind(ui, name);
        if (!ck) {
            /* Not discovered yet (discovery still running, or the CRD is newer than it): look
             * again, and open it when discovery has it. */
            if (!ui->disc.loading)
                discovery_start(&ui->disc, ui->http);
            free(ui->pending_command);
            ui->pending_command = xstrdup(name);
            ui_flash(ui, false, "looking up %s on the server...", name);
            return REACT_REDRAW;
        }
        struct resview_spec s = {.kind = ck, .ns = ck->namespaced ? ui->ns : NULL};
        ui_push(ui, resview_new(ui, &s));
    } else {
        ui_open_describe(ui, k, ns, name); /* as k9s: anything else is described */
    }
    return REACT_REDRAW;
}

/* An action on the marked rows (in table order), or else on the selected one. Only rows the
 * table shows can be marked: marks are cleared when the filter changes. */
static void act_on_rows(struct resview *rv, struct ui *ui, enum action a)
{
    size_t n = table_len(&rv->table), k = 0;
    const struct obj **rows = xcalloc(n ? n : 1, sizeof *rows);
    for (size_t i = 0; i < n; i++) {
        const struct obj *o = table_row(&rv->table, i);
        if (o->state != OBJ_STATE_DELETED && map_get(&rv->marks, obj_str(o, OBJ_UID)))
            rows[k++] = o;
    }
    if (k == 0 && rv->sel < n && table_row(&rv->table, rv->sel)->state != OBJ_STATE_DELETED)
        rows[k++] = table_row(&rv->table, rv->sel);
    actions_start(ui, a, rv->kind, rows, k);
    free(rows);
}

static unsigned rv_act(struct view *v, struct ui *ui, enum action a, int key)
{
    struct resview *rv = rv_of(v);
    ensure_rows(rv);
    size_t n = table_len(&rv->table);
    size_t page = rv->page > 1 ? (size_t)rv->page : 1;
    static const char *const name_cols[] = {"NAME", NULL};
    static const char *const age_cols[] = {"AGE", "LAST SEEN", NULL};
    static const char *const status_cols[] = {"STATUS", "PHASE", "TYPE", NULL};
    switch (a) {
    case ACT_UP:
        if (rv->sel > 0)
            move_to(rv, rv->sel - 1);
        return REACT_REDRAW;
    case ACT_DOWN:
        move_to(rv, rv->sel + 1);
        return REACT_REDRAW;
    case ACT_TOP:
        move_to(rv, 0);
        return REACT_REDRAW;
    case ACT_BOTTOM:
        move_to(rv, n ? n - 1 : 0);
        return REACT_REDRAW;
    case ACT_PAGE_UP:
        move_to(rv, rv->sel > page ? rv->sel - page : 0);
        return REACT_REDRAW;
    case ACT_PAGE_DOWN:
        move_to(rv, rv->sel + page);
        return REACT_REDRAW;
    case ACT_ENTER:
        if (rv->sel < n)
            return drill_down(rv, ui, table_row(&rv->table, rv->sel));
        return REACT_NONE;
    case ACT_DESCRIBE:
    case ACT_YAML:
    case ACT_DECODE:
        if (rv->kind->caps & KIND_LOCAL)
            return REACT_NONE; /* nothing on a server to show */
        if (rv->sel < n)
            return open_doc(rv, ui, table_row(&rv->table, rv->sel), a);
        return REACT_NONE;
    case ACT_LOGS:
    case ACT_LOGS_PREV:
        if (rv->kind->caps & KIND_LOCAL)
            return REACT_NONE;
        if (rv->sel < n)
            return open_logs(rv, ui, table_row(&rv->table, rv->sel), a == ACT_LOGS_PREV);
        return REACT_NONE;
    case ACT_MARK:
        if (rv->sel < n) {
            const char *uid = obj_str(table_row(&rv->table, rv->sel), OBJ_UID);
            char *copy = map_get(&rv->marks, uid) ? NULL : xstrdup(uid);
            if (copy) {
                map_put(&rv->marks, copy, copy);
            } else {
                size_t pos = 0;
                const char *k2;
                while (map_next(&rv->marks, &pos, &k2, NULL)) {
                    if (strcmp(k2, uid) == 0) {
                        map_del(&rv->marks, uid);
                        free((char *)(uintptr_t)k2);
                        break;
                    }
                }
            }
            move_to(rv, rv->sel + 1);
        }
        return REACT_REDRAW;
    case ACT_CLEAR_MARKS:
        clear_marks(rv);
        return REACT_REDRAW;
    case ACT_WIDE:
        table_set_wide(&rv->table, !rv->table.wide);
        memset(rv->width, 0, sizeof rv->width);
        rv->measured_ms = 0;
        rv->col_cursor = 0;
        return REACT_REDRAW;
    case ACT_SORT_NAME:
        sort_by(rv, kind_col_named(rv->kind, name_cols), false);
        return REACT_REDRAW;
    case ACT_SORT_AGE:
        sort_by(rv, kind_col_named(rv->kind, age_cols), false);
        return REACT_REDRAW;
    case ACT_SORT_STATUS:
        sort_by(rv, kind_col_named(rv->kind, status_cols), false);
        return REACT_REDRAW;
    case ACT_SORT_COLUMN:
        if (rv->col_cursor >= 0 && (size_t)rv->col_cursor < rv->table.ncols)
            sort_by(rv, (int)rv->table.cols[rv->col_cursor], false);
        return REACT_REDRAW;
    case ACT_COL_LEFT:
        if (rv->col_cursor > 0)
            rv->col_cursor--;
        return REACT_REDRAW;
    case ACT_COL_RIGHT:
        if ((size_t)rv->col_cursor + 1 < rv->table.ncols)
            rv->col_cursor++;
        return REACT_REDRAW;
    case ACT_NS_ALL:
        if (!rv->kind->namespaced || rv->fieldsel)
            return REACT_NONE;
        ui_set_namespace(ui, NULL);
        return reopen(rv, ui, NULL);
    case ACT_NS_FAV: {
        int i = key - '1';
        if (!rv->kind->namespaced || i < 0 || i >= UI_FAVOURITES || !ui->favs[i])
            return REACT_NONE;
        char *ns = xstrdup(ui->favs[i]);
        ui_set_namespace(ui, ns);
        unsigned r = reopen(rv, ui, ns);
        free(ns);
        return r;
    }
    default:
        if (action_mutates(a)) {
            act_on_rows(rv, ui, a);
            return REACT_REDRAW;
        }
        return REACT_UNHANDLED;
    }
}

static unsigned rv_mouse(struct view *v, struct ui *ui, int y, int x, int button)
{
    (void)ui;
    struct resview *rv = rv_of(v);
    ensure_rows(rv);
    size_t n = table_len(&rv->table);
    if (button == 4 || button == 5) {
        size_t step = 3;
        if (button == 4)
            move_to(rv, rv->sel > step ? rv->sel - step : 0);
        else
            move_to(rv, rv->sel + step);
        return REACT_REDRAW;
    }
    if (x < last_ix || x >= last_ix + last_iw)
        return REACT_NONE; /* the border, or outside the table */
    if (y == last_iy) {
        int c = column_at(rv, last_ix, last_iw, x);
        if (c >= 0) {
            rv->col_cursor = c;
            sort_by(rv, (int)rv->table.cols[c], false);
        }
        return REACT_REDRAW;
    }
    int r = y - last_iy - 1;
    if (r < 0 || r >= last_body || rv->top + (size_t)r >= n)
        return REACT_NONE;
    move_to(rv, rv->top + (size_t)r);
    return REACT_REDRAW;
}

static bool rv_set_filter(struct view *v, struct ui *ui, const char *expr, struct err *e)
{
    struct resview *rv = rv_of(v);
    ensure_rows(rv);
    while (*expr == ' ')
        expr++;
    if (strncmp(expr, "-l", 2) == 0 && (expr[2] == ' ' || !expr[2])) {
        /* A label selector is sent to the server: restart the watch with it. */
        const char *sel = expr + 2;
        while (*sel == ' ')
            sel++;
        struct selector parsed;
        if (!selector_parse(sel, &parsed, e))
            return false;
        selector_free(&parsed);
        free(rv->selector);
        rv->selector = dup_or_null(sel);
        clear_marks(rv);
        start_feed(rv, ui);
        return true;
    }
    if (!table_set_filter(&rv->table, expr, e))
        return false;
    char warning[256];
    if (table_filter_warning(&rv->table, warning, sizeof warning))
        ui_flash(ui, true, "%s", warning);
    free(rv->filter_text);
    rv->filter_text = xstrdup(expr);
    clear_marks(rv); /* a hidden row must never be acted on */
    return true;
}

static const char *rv_filter(const struct view *v)
{
    const struct resview *rv = (const struct resview *)v;
    if (rv->filter_text && rv->filter_text[0])
        return rv->filter_text;
    return NULL;
}

static int rv_timeout(const struct view *v, struct ui *ui)
{
    const struct resview *rv = (const struct resview *)v;
    int64_t now_ms = clock_mono_ms();
    int t = store_ghost_timeout(&rv->feed->store, now_ms);
    /* Rows that flash need a redraw when the flash ends. Only a table in step with its store
     * may be read: a view under the top one keeps rows the store may have replaced. */
    bool current = rows_current(rv);
    if (current && ui->filter_prompt && ui_top(ui) == v && !table_text_ready(&rv->table))
        return 0; /* more of the filter's text to prepare (rv_sync) */
    if (!current && rv->table.built && ui_top(ui) == v) {
        /* A rebuild that waits (a view below the top is rebuilt when it is on top again). */
        int wait = (int)rebuild_wait(rv, now_ms) + 1;
        if (t < 0 || wait < t)
            t = wait;
    }
    for (size_t i = rv->top; current && i < table_len(&rv->table) && i < rv->top + (size_t)rv->page;
         i++) {
        const struct obj *o = table_row(&rv->table, i);
        if (rv->synced_at && o->changed > rv->synced_at && now_ms - o->changed < FLASH_MS) {
            int left = (int)(FLASH_MS - (now_ms - o->changed)) + 5;
            if (t < 0 || left < t)
                t = left;
        }
    }
    int st = feed_timeout_ms(rv->feed);
    if (st >= 0 && (t < 0 || st < t))
        t = st;
    return t;
}

static void rv_tick(struct view *v)
{
    feed_tick(rv_of(v)->feed);
}

static bool rv_watch_state(const struct view *v, char *buf, size_t n)
{
    const struct resview *rv = (const struct resview *)v;
    const char *reason = feed_reason(rv->feed);
    switch (feed_state(rv->feed)) {
    case REFLECTOR_WATCHING:
        snprintf(buf, n, "live");
        return true;
    case REFLECTOR_LISTING:
        if (reason[0]) {
            snprintf(buf, n, "reconnecting: %s", reason);
            return false;
        }
        snprintf(buf, n, "%s", rv->feed->synced ? "relisting" : "syncing");
        return true;
    case REFLECTOR_BACKOFF: {
        int ms = feed_timeout_ms(rv->feed);
        snprintf(buf, n, "disconnected, reconnecting in %ds: %s", (ms + 999) / 1000, reason);
        return false;
    }
    default:
        snprintf(buf, n, "%s", reason[0] ? reason : "stopped");
        return false;
    }
}

static const struct kind *rv_kind(const struct view *v)
{
    return ((const struct resview *)v)->kind;
}

static const struct keymap *rv_keys(const struct view *v)
{
    const struct kind *k = ((const struct resview *)v)->kind;
    return keymap_for_kind(k->group, k->resource, k->caps & KIND_SCALABLE);
}

static const struct view_ops resview_ops = {
    .keys = rv_keys,
    .tick = rv_tick,
    .watch_state = rv_watch_state,
    .kind = rv_kind,
    .name = "table",
    .keymap = &keymap_table,
    .free = rv_free,
    .sync = rv_sync,
    .draw = rv_draw,
    .act = rv_act,
    .crumb = rv_crumb,
    .mouse = rv_mouse,
    .set_filter = rv_set_filter,
    .filter = rv_filter,
    .timeout_ms = rv_timeout,
};

struct view *resview_new(struct ui *ui, const struct resview_spec *spec)
{
    struct resview *rv = xcalloc(1, sizeof *rv);
    rv->base.ops = &resview_ops;
    rv->kind = spec->kind;
    rv->ns = spec->kind->namespaced ? dup_or_null(spec->ns) : NULL;
    rv->selector = dup_or_null(spec->selector);
    rv->fieldsel = dup_or_null(spec->fieldsel);
    rv->owner = dup_or_null(spec->owner);
    rv->crumb = dup_or_null(spec->crumb);
    rv->filter_text = xstrdup("");
    rv->local = spec->local ? cJSON_Duplicate(spec->local, 1) : NULL;
    table_init(&rv->table, spec->kind, spec->kind->namespaced && !rv->ns, false);
    if (rv->owner)
        table_set_owner(&rv->table, rv->owner);
    if (spec->filter && spec->filter[0]) {
        struct err e = {0};
        if (table_set_filter(&rv->table, spec->filter, &e)) {
            free(rv->filter_text);
            rv->filter_text = xstrdup(spec->filter);
        } else {
            ui_flash(ui, true, "%s", e.msg);
        }
    }
    start_feed(rv, ui);
    return &rv->base;
}

const char *resview_selected(const struct view *v)
{
    const struct resview *rv = (const struct resview *)v;
    return rv->sel_uid;
}
