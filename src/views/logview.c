/* logview — the log view. See logview.h.
 *
 * Must not: draw text that did not go through logbuf_render (the neutraliser), redraw more than
 * once per frame for data alone, or walk more than the lines it shows, plus one scan of the
 * buffer for the filter, per frame. */
#include "views/logview.h"
#include "model/config.h"
#include "model/logmux.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "views/screen.h"
#include "views/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#define LOGVIEW_MAX_HL 64 /* highlighted matches per line */

struct range {
    size_t s, e;
};

/* One line as drawn: its text, where its parts are, and what the filter matched. */
struct rline {
    struct strbuf text; /* owned, reused */
    struct logbuf_spans sp;
    struct range hl[LOGVIEW_MAX_HL];
    size_t nhl;
};

struct logview {
    struct view base;
    struct logmux *mux;                /* owned */
    char *ns, *pod, *what, *container; /* owned; container: the chosen one, or NULL */
    bool all;                          /* every container of the pod */
    bool previous;
    bool autoscroll, wrap, timestamps;
    uint64_t top_seq; /* manual scrolling: the first line shown, and its rows scrolled past */
    size_t top_row;
    bool picking;
    size_t pick; /* the chosen entry; the last one is "all containers" */
    int64_t last_frame;
    uint64_t seen_buf, seen_mux;
    bool pending; /* news arrived within the current frame: draw at its end */
    int page, cols;
    struct rline r; /* scratch for drawing */
};

static struct logview *lv_of(struct view *v)
{
    return (struct logview *)v;
}

static struct logbuf *buf_of(const struct logview *lv)
{
    return logmux_buf(lv->mux);
}

static unsigned render_flags(const struct logview *lv)
{
    return (lv->timestamps ? LOGBUF_SHOW_TS : 0u) |
           (logmux_prefixed(lv->mux) ? LOGBUF_SHOW_SOURCE : 0u);
}

/* ---- lines ---------------------------------------------------------------------------------- */

static bool visible(const struct logbuf *b, size_t i)
{
    return logbuf_at(b, i)->match;
}

/* The next (dir 1) or previous (dir -1) visible line from i, or (size_t)-1. */
static size_t step(const struct logbuf *b, size_t i, int dir)
{
    while (dir > 0 ? i + 1 < b->len : i > 0) {
        i = dir > 0 ? i + 1 : i - 1;
        if (visible(b, i))
            return i;
    }
    return (size_t)-1;
}

static size_t last_visible(const struct logbuf *b)
{
    if (!b->len)
        return (size_t)-1;
    return visible(b, b->len - 1) ? b->len - 1 : step(b, b->len - 1, -1);
}

static void render(struct logview *lv, size_t i)
{
    struct logbuf *b = buf_of(lv);
    struct rline *r = &lv->r;
    strbuf_reset(&r->text);
    logbuf_render(b, logbuf_at(b, i), render_flags(lv), &r->text, &r->sp);
    r->nhl = 0;
    size_t from = 0, s, e;
    while (r->nhl < LOGVIEW_MAX_HL &&
           filter_find(&b->filter, strbuf_str(&r->text), r->text.len, from, &s, &e)) {
        r->hl[r->nhl].s = s;
        r->hl[r->nhl].e = e;
        r->nhl++;
        from = e;
    }
}

/* The end of the longest run of whole characters from `from` that fits in cols columns (at
 * least one character, so a row always moves on). */
static size_t fit(const char *s, size_t len, size_t from, int cols)
{
    int w = 0;
    size_t i = from;
    while (i < len) {
        unsigned cp;
        size_t n = sanitize_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (!n) {
            n = 1;
            cp = '?';
        }
        int cw = wcwidth((wchar_t)cp);
        if (cw < 0)
            cw = 1;
        if (w + cw > cols && i > from)
            break;
        w += cw;
        i += n;
    }
    return i;
}

/* Rows the rendered line takes. */
static size_t rows_of(const struct logview *lv)
{
    if (!lv->wrap || lv->cols <= 0)
        return 1;
    const struct strbuf *t = &lv->r.text;
    size_t rows = 0, i = 0;
    do {
        i = fit(t->buf ? t->buf : "", t->len, i, lv->cols);
        rows++;
    } while (i < t->len);
    return rows;
}

static size_t line_rows(struct logview *lv, size_t i)
{
    if (!lv->wrap)
        return 1;
    render(lv, i);
    return rows_of(lv);
}

static enum style hue_style(unsigned c)
{
    static const enum style hues[SGR_NCOLORS] = {
        STYLE_LOG,      STYLE_LOG_RED,     STYLE_LOG_GREEN, STYLE_LOG_YELLOW,
        STYLE_LOG_BLUE, STYLE_LOG_MAGENTA, STYLE_LOG_CYAN};
    return c < SGR_NCOLORS ? hues[c] : STYLE_LOG;
}

static enum style style_at(const struct rline *r, size_t o)
{
    for (size_t i = 0; i < r->nhl; i++)
        if (o >= r->hl[i].s && o < r->hl[i].e)
            return STYLE_SEARCH_MATCH;
    if (o < r->sp.ts_end)
        return STYLE_LOG;
    if (o >= r->sp.src_start && o < r->sp.src_end)
        return hue_style(r->sp.src_color);
    if (o >= r->sp.cut_start)
        return STYLE_LOG_INDICATOR;
    if (o >= r->sp.text_start)
        return hue_style(sgr_color_at(&r->sp.runs, o - r->sp.text_start));
    return STYLE_LOG;
}

/* Draws bytes [a, b) of the rendered line at row y, a run of characters per style. */
static void draw_chunk(struct logview *lv, size_t a, size_t b, int y, int x, int cols)
{
    struct rline *r = &lv->r;
    char *t = r->text.buf;
    if (!t || a >= b)
        return;
    int used = 0;
    size_t start = a;
    enum style cur = style_at(r, a);
    for (size_t i = a; i <= b && used < cols;) {
        enum style st = i < b ? style_at(r, i) : cur;
        if (i == b || st != cur) {
            char keep = t[i];
            t[i] = '\0'; /* the buffer is ours: end the run in place */
            used += screen_text(y, x + used, cols - used, t + start, cur);
            t[i] = keep;
            start = i;
            cur = st;
            if (i == b)
                break;
        }
        unsigned cp;
        size_t n = sanitize_utf8_decode((const unsigned char *)t + i, b - i, &cp);
        i += n ? n : 1;
    }
}

/* ---- drawing -------------------------------------------------------------------------------- */

static void draw_title(struct logview *lv, int y, int x, int w)
{
    char title[600];
    const struct logbuf *b = buf_of(lv);
    const char *filter = b->filter.expr;
    if (lv->pod)
        snprintf(title, sizeof title, " %s: %s%s%s (%s) ", lv->previous ? "previous logs" : "logs",
                 lv->pod,
                 lv->container ? "/"
                 : lv->all     ? "/*"
                               : "",
                 lv->container ? lv->container : "", lv->ns);
    else
        snprintf(title, sizeof title, " %s: %s (%s) ", lv->previous ? "previous logs" : "logs",
                 lv->what, lv->ns);
    char filt[300] = "";
    if (filter && filter[0])
        snprintf(filt, sizeof filt, "</%s> ", filter);
    int tw = screen_width(title) + screen_width(filt);
    if (w < 6)
        return;
    if (tw > w - 2)
        tw = w - 2;
    int tx = x + (w - tw) / 2;
    int used = screen_text(y, tx, tw, title, STYLE_TITLE);
    screen_text(y, tx + used, tw - used, filt, STYLE_TITLE_FILTER);
}

static void draw_indicator(struct logview *lv, int y, int x, int w)
{
    const struct logbuf *b = buf_of(lv);
    char status[400], line[800], matches[64] = "";
    logmux_status(lv->mux, status, sizeof status);
    if (logbuf_filtered(b))
        snprintf(matches, sizeof matches, "  matches:%zu", b->matches);
    snprintf(line, sizeof line,
             " autoscroll:%s  wrap:%s  timestamps:%s  window:%s  lines:%zu%s  dropped:%llu  "
             "cut:%llu  | %s",
             lv->autoscroll ? "on" : "off", lv->wrap ? "on" : "off", lv->timestamps ? "on" : "off",
             logmux_window_name(logmux_window(lv->mux)), b->len, matches,
             (unsigned long long)b->dropped, (unsigned long long)b->cut, status);
    screen_fill(y, x, w, STYLE_LOG_INDICATOR);
    screen_text(y, x, w, line, STYLE_LOG_INDICATOR);
}

static void draw_picker(struct logview *lv, int y, int x, int h, int w)
{
    const struct logmux_choice *list;
    size_t n, def;
    if (!logmux_choices(lv->mux, &list, &n, &def))
        return;
    if (lv->pick > n)
        lv->pick = n;
    screen_text(y, x + 1, w - 1, "Choose a container (enter):", STYLE_LOG);
    for (size_t i = 0; i <= n && (int)i + 2 < h; i++) {
        char label[300];
        if (i < n)
            snprintf(label, sizeof label, "%s%s%s%s", list[i].name,
                     strcmp(list[i].kind, "regular") ? " (" : "",
                     strcmp(list[i].kind, "regular") ? list[i].kind : "",
                     strcmp(list[i].kind, "regular") ? ")" : "");
        else
            snprintf(label, sizeof label, "all containers");
        if (i == def && i < n)
            snprintf(label + strlen(label), sizeof label - strlen(label), "  (default)");
        enum style st = i == lv->pick ? STYLE_ROW_SELECTED : STYLE_ROW;
        int row = y + 2 + (int)i;
        screen_fill(row, x, w, st);
        screen_text(row, x + 2, w - 2, label, st);
    }
}

/* Where the screen starts: the first line and its rows scrolled past. Autoscroll: the rows
 * that end with the last line; otherwise the remembered top, clamped to what is left. */
static bool first_line(struct logview *lv, int h, size_t *start, size_t *skip)
{
    struct logbuf *b = buf_of(lv);
    size_t last = last_visible(b);
    if (last == (size_t)-1)
        return false;
    if (lv->autoscroll) {
        size_t idx = last, acc = 0;
        for (;;) {
            size_t r = line_rows(lv, idx);
            if (acc + r >= (size_t)h) {
                *start = idx;
                *skip = acc + r - (size_t)h;
                return true;
            }
            acc += r;
            size_t prev = step(b, idx, -1);
            if (prev == (size_t)-1) {
                *start = idx;
                *skip = 0;
                return true;
            }
            idx = prev;
        }
    }
    uint64_t first_seq = logbuf_at(b, 0)->seq;
    size_t idx = lv->top_seq > first_seq ? (size_t)(lv->top_seq - first_seq) : 0;
    size_t skip_rows = lv->top_seq >= first_seq ? lv->top_row : 0;
    if (idx >= b->len)
        idx = last;
    if (!visible(b, idx)) {
        size_t next = step(b, idx, 1);
        idx = next != (size_t)-1 ? next : last;
        skip_rows = 0;
    }
    size_t r = line_rows(lv, idx);
    *start = idx;
    *skip = skip_rows < r ? skip_rows : r - 1;
    return true;
}

static void draw_lines(struct logview *lv, int y, int x, int h, int w)
{
    struct logbuf *b = buf_of(lv);
    size_t idx, skip;
    if (!first_line(lv, h, &idx, &skip)) {
        const char *msg = b->len ? "No line matches the filter." : "Waiting for lines...";
        screen_text(y, x + 1, w - 1, msg, STYLE_LOG);
        return;
    }
    if (lv->autoscroll) { /* where manual scrolling starts from */
        lv->top_seq = logbuf_at(b, idx)->seq;
        lv->top_row = skip;
    }
    int row = 0;
    while (row < h && idx != (size_t)-1) {
        render(lv, idx);
        const char *t = strbuf_str(&lv->r.text);
        size_t len = lv->r.text.len, at = 0, k = 0;
        do {
            size_t end = fit(t, len, at, w); /* unwrapped: the first row only */
            if (k++ >= skip)
                draw_chunk(lv, at, end, y + row++, x, w);
            at = end;
        } while (lv->wrap && at < len && row < h);
        skip = 0;
        idx = step(b, idx, 1);
    }
}

static void lv_draw(struct view *v, struct ui *ui, int y, int x, int h, int w)
{
    (void)ui;
    struct logview *lv = lv_of(v);
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_LOG);
    if (h <= 0 || w <= 0)
        return;
    screen_box(y, x, h, w, STYLE_BORDER);
    draw_title(lv, y, x, w);
    int iy = y + 1, ix = x + 1, ih = h - 2, iw = w - 2;
    if (ih <= 0 || iw <= 0)
        return;
    draw_indicator(lv, iy, ix, iw);
    iy++;
    ih--;
    lv->page = ih > 0 ? ih : 1;
    lv->cols = iw > 1 ? iw - 1 : 1; /* a column of margin, as tables have */
    if (ih <= 0)
        return;
    if (lv->picking)
        draw_picker(lv, iy, ix, ih, iw);
    else
        draw_lines(lv, iy, ix + 1, ih, lv->cols);
}

/* ---- keys ----------------------------------------------------------------------------------- */

/* Manual scrolling by rows: negative up. Stops at either end. */
static void scroll_rows(struct logview *lv, long delta)
{
    struct logbuf *b = buf_of(lv);
    size_t idx, skip;
    if (!first_line(lv, lv->page, &idx, &skip))
        return;
    lv->autoscroll = false;
    for (; delta < 0; delta++) {
        if (skip > 0) {
            skip--;
            continue;
        }
        size_t prev = step(b, idx, -1);
        if (prev == (size_t)-1)
            break;
        idx = prev;
        skip = line_rows(lv, idx) - 1;
    }
    for (; delta > 0; delta--) {
        /* Stop when the rest fits on the screen. */
        size_t rows = line_rows(lv, idx) - skip, j = idx;
        while (rows <= (size_t)lv->page && (j = step(b, j, 1)) != (size_t)-1)
            rows += line_rows(lv, j);
        if (rows <= (size_t)lv->page)
            break;
        if (skip + 1 < line_rows(lv, idx)) {
            skip++;
            continue;
        }
        idx = step(b, idx, 1);
        skip = 0;
    }
    lv->top_seq = logbuf_at(b, idx)->seq;
    lv->top_row = skip;
}

static void save(struct logview *lv, struct ui *ui)
{
    char stem[400];
    if (lv->pod)
        snprintf(stem, sizeof stem, "%s_%s%s%s", lv->ns, lv->pod, lv->container ? "_" : "",
                 lv->container ? lv->container : "");
    else
        snprintf(stem, sizeof stem, "%s_%s", lv->ns, lv->what);
    char *path = NULL;
    struct err e = {0};
    int fd = fs_create_saved(stem, "log", &path, &e);
    if (fd < 0) {
        ui_flash(ui, true, "%s", e.msg);
        return;
    }
    const struct logbuf *b = buf_of(lv);
    bool ok = logbuf_write(b, fd, render_flags(lv), &e);
    if (close(fd) != 0 && ok)
        ok = err_set(&e, "cannot write %s", path);
    if (ok)
        ui_flash(ui, false, "saved %zu lines to %s", b->matches, path);
    else
        ui_flash(ui, true, "%s", e.msg);
    free(path);
}

static unsigned pick_act(struct logview *lv, struct ui *ui, enum action a)
{
    const struct logmux_choice *list;
    size_t n, def;
    if (!logmux_choices(lv->mux, &list, &n, &def))
        return REACT_NONE;
    switch (a) {
    case ACT_UP:
        if (lv->pick > 0)
            lv->pick--;
        return REACT_REDRAW;
    case ACT_DOWN:
        if (lv->pick < n)
            lv->pick++;
        return REACT_REDRAW;
    case ACT_TOP:
        lv->pick = 0;
        return REACT_REDRAW;
    case ACT_BOTTOM:
        lv->pick = n;
        return REACT_REDRAW;
    case ACT_ENTER:
        lv->picking = false;
        lv->all = lv->pick >= n;
        lv->container = lv->all ? NULL : xstrdup(list[lv->pick].name);
        logmux_choose(lv->mux, lv->container);
        logbuf_set_flags(buf_of(lv), render_flags(lv));
        ui->dirty |= DIRTY_HEADER;
        return REACT_REDRAW;
    default:
        return REACT_UNHANDLED;
    }
}

static unsigned lv_act(struct view *v, struct ui *ui, enum action a, int key)
{
    struct logview *lv = lv_of(v);
    struct logbuf *b = buf_of(lv);
    if (lv->picking)
        return pick_act(lv, ui, a);
    long page = lv->page > 1 ? lv->page : 1;
    switch (a) {
    case ACT_UP:
        scroll_rows(lv, -1);
        return REACT_REDRAW;
    case ACT_DOWN:
        scroll_rows(lv, 1);
        return REACT_REDRAW;
    case ACT_PAGE_UP:
        scroll_rows(lv, -page);
        return REACT_REDRAW;
    case ACT_PAGE_DOWN:
        scroll_rows(lv, page);
        return REACT_REDRAW;
    case ACT_TOP:
        lv->autoscroll = false;
        lv->top_seq = 0;
        lv->top_row = 0;
        return REACT_REDRAW;
    case ACT_BOTTOM:
        lv->autoscroll = true;
        return REACT_REDRAW;
    case ACT_LOG_AUTOSCROLL:
        if (!lv->autoscroll)
            lv->autoscroll = true;
        else
            scroll_rows(lv, 0); /* stay where the screen is */
        ui_flash(ui, false, "autoscroll %s", lv->autoscroll ? "on" : "off");
        return REACT_REDRAW;
    case ACT_LOG_WRAP:
        lv->wrap = !lv->wrap;
        lv->top_row = 0;
        return REACT_REDRAW;
    case ACT_LOG_TIMESTAMPS:
        lv->timestamps = !lv->timestamps;
        logbuf_set_flags(b, render_flags(lv));
        return REACT_REDRAW;
    case ACT_LOG_WINDOW:
        if (key < '0' || key >= '0' + LOGMUX_NWINDOWS)
            return REACT_NONE;
        logmux_set_window(lv->mux, (enum logmux_window)(key - '0'));
        lv->autoscroll = logmux_window(lv->mux) != LOGMUX_HEAD;
        lv->top_seq = 0;
        lv->top_row = 0;
        ui_flash(ui, false, "window: %s", logmux_window_name(logmux_window(lv->mux)));
        return REACT_REDRAW;
    case ACT_LOG_CLEAR:
        logbuf_clear(b);
        lv->autoscroll = true;
        ui_flash(ui, false, "cleared");
        return REACT_REDRAW;
    case ACT_SAVE:
        save(lv, ui);
        return REACT_REDRAW;
    default:
        return REACT_UNHANDLED;
    }
}

static unsigned lv_mouse(struct view *v, struct ui *ui, int y, int x, int button)
{
    (void)ui;
    (void)y;
    (void)x;
    struct logview *lv = lv_of(v);
    if (lv->picking || (button != 4 && button != 5))
        return REACT_NONE;
    scroll_rows(lv, button == 4 ? -3 : 3);
    return REACT_REDRAW;
}

/* ---- the view ------------------------------------------------------------------------------- */

static bool lv_sync(struct view *v, struct ui *ui)
{
    (void)ui;
    struct logview *lv = lv_of(v);
    const struct logmux_choice *list;
    size_t n, def;
    if (!lv->picking && !lv->container && !lv->all && logmux_choices(lv->mux, &list, &n, &def)) {
        lv->picking = true;
        lv->pick = def;
        return true;
    }
    uint64_t bv = buf_of(lv)->version, mv = logmux_version(lv->mux);
    if (bv == lv->seen_buf && mv == lv->seen_mux)
        return false;
    int64_t now = clock_mono_ms();
    if (now - lv->last_frame < LOGVIEW_FRAME_MS) {
        lv->pending = true; /* merged into the next frame */
        return false;
    }
    lv->seen_buf = bv;
    lv->seen_mux = mv;
    lv->last_frame = now;
    lv->pending = false;
    return true;
}

static int lv_timeout(const struct view *v, struct ui *ui)
{
    (void)ui;
    const struct logview *lv = (const struct logview *)v;
    int t = logmux_timeout_ms(lv->mux);
    if (lv->pending) {
        int64_t left = LOGVIEW_FRAME_MS - (clock_mono_ms() - lv->last_frame);
        int f = left < 0 ? 0 : (int)left;
        if (t < 0 || f < t)
            t = f;
    }
    return t;
}

static void lv_tick(struct view *v)
{
    logmux_tick(lv_of(v)->mux);
}

static bool lv_watch_state(const struct view *v, char *buf, size_t n)
{
    return logmux_status(((const struct logview *)v)->mux, buf, n);
}

static bool lv_set_filter(struct view *v, struct ui *ui, const char *expr, struct err *e)
{
    (void)ui;
    return logbuf_set_filter(buf_of(lv_of(v)), expr, e);
}

static const char *lv_filter(const struct view *v)
{
    const struct logbuf *b = buf_of((const struct logview *)v);
    return logbuf_filtered(b) ? b->filter.expr : NULL;
}

static void lv_crumb(const struct view *v, char *buf, size_t n)
{
    const struct logview *lv = (const struct logview *)v;
    snprintf(buf, n, "logs:%s", lv->pod ? lv->pod : lv->what);
}

static void lv_free(struct view *v)
{
    struct logview *lv = lv_of(v);
    logmux_free(lv->mux);
    strbuf_free(&lv->r.text);
    free(lv->ns);
    free(lv->pod);
    free(lv->what);
    free(lv->container);
    free(lv);
}

static const struct view_ops logview_ops = {
    .name = "logs",
    .keymap = &keymap_logs,
    .free = lv_free,
    .sync = lv_sync,
    .draw = lv_draw,
    .act = lv_act,
    .crumb = lv_crumb,
    .mouse = lv_mouse,
    .set_filter = lv_set_filter,
    .filter = lv_filter,
    .timeout_ms = lv_timeout,
    .tick = lv_tick,
    .watch_state = lv_watch_state,
};

struct view *logview_new(struct ui *ui, const struct logview_spec *spec)
{
    struct logview *lv = xcalloc(1, sizeof *lv);
    lv->base.ops = &logview_ops;
    lv->ns = xstrdup(spec->ns ? spec->ns : "default");
    lv->pod = spec->pod ? xstrdup(spec->pod) : NULL;
    lv->what = xstrdup(spec->what ? spec->what : spec->selector ? spec->selector : "");
    lv->container = spec->pod && spec->container ? xstrdup(spec->container) : NULL;
    lv->previous = spec->previous;
    lv->autoscroll = true;
    struct logmux_spec ms = {
        .ns = lv->ns,
        .pod = lv->pod,
        .selector = spec->selector,
        .containers = !spec->pod      ? LOGMUX_DEFAULT
                      : lv->container ? LOGMUX_ONE
                                      : LOGMUX_PICK,
        .container = lv->container,
        .previous = spec->previous,
        .window = LOGMUX_TAIL,
        .max_lines = (size_t)config_log_lines(ui->cfg->context, ui->cfg->global),
        .max_bytes = (size_t)config_log_mib(ui->cfg->context, ui->cfg->global) << 20,
    };
    lv->mux = logmux_new(ui->http, &ms);
    logbuf_set_flags(buf_of(lv), render_flags(lv));
    return &lv->base;
}
