/* dialog — fields, buttons, focus and drawing. See dialog.h. */
#include "views/dialog.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "views/screen.h"

#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)
#define ESC     27
#define MAX_W   100

struct dialog *dialog_new(const char *title, const char *action, bool destructive,
                          dialog_submit_fn submit, void *ud, dialog_free_fn free_ud)
{
    struct dialog *d = xcalloc(1, sizeof *d);
    snprintf(d->title, sizeof d->title, "%s", title);
    d->buttons[0] = "Cancel";
    d->buttons[1] = action;
    d->nbuttons = 2;
    d->primary = 1;
    d->danger = destructive;
    d->submit = submit;
    d->ud = ud;
    d->free_ud = free_ud;
    d->focus = destructive ? 0 : 1; /* no fields yet: 0 and 1 are the buttons */
    d->danger_line = -1;
    return d;
}

static void free_lines(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void dialog_free(struct dialog *d)
{
    if (!d)
        return;
    if (d->free_ud)
        d->free_ud(d->ud);
    free_lines(d->info, d->ninfo);
    free_lines(d->body, d->nbody);
    free(d);
}

static char *clean(const char *s, size_t n)
{
    struct strbuf sb = {0};
    sanitize_append(&sb, s, n, SANITIZE_TAB_TO_SPACE);
    return strbuf_take(&sb);
}

static void add_info(struct dialog *d, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void add_info(struct dialog *d, const char *fmt, va_list ap)
{
    char line[1024];
    vsnprintf(line, sizeof line, fmt, ap);
    d->info = xrealloc(d->info, (d->ninfo + 1) * sizeof *d->info);
    d->info[d->ninfo++] = clean(line, strlen(line));
}

void dialog_info(struct dialog *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_info(d, fmt, ap);
    va_end(ap);
}

void dialog_warn(struct dialog *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_info(d, fmt, ap);
    va_end(ap);
    d->danger_line = (int)d->ninfo - 1;
}

void dialog_body(struct dialog *d, const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        d->body = xrealloc(d->body, (d->nbody + 1) * sizeof *d->body);
        d->body[d->nbody++] = clean(text, n);
        text += n;
        if (*text)
            text++;
    }
}

/* Fields come before the buttons in the focus order; keep the focus on the same button. */
static struct dialog_field *add_field(struct dialog *d, enum dialog_field_type type,
                                      const char *label)
{
    if (d->nfields == DIALOG_FIELDS)
        return NULL;
    bool on_button = d->focus >= d->nfields;
    struct dialog_field *f = &d->fields[d->nfields++];
    memset(f, 0, sizeof *f);
    f->type = type;
    snprintf(f->label, sizeof f->label, "%s", label);
    if (on_button)
        d->focus++;
    return f;
}

struct dialog_field *dialog_text(struct dialog *d, const char *label, const char *initial)
{
    struct dialog_field *f = add_field(d, FIELD_TEXT, label);
    if (f && initial)
        snprintf(f->text, sizeof f->text, "%s", initial);
    return f;
}

struct dialog_field *dialog_choice(struct dialog *d, const char *label, const char *const *choices,
                                   int initial)
{
    struct dialog_field *f = add_field(d, FIELD_CHOICE, label);
    if (f) {
        f->choices = choices;
        f->choice = initial;
    }
    return f;
}

struct dialog_field *dialog_check(struct dialog *d, const char *label, bool initial)
{
    struct dialog_field *f = add_field(d, FIELD_CHECK, label);
    if (f)
        f->checked = initial;
    return f;
}

void dialog_status(struct dialog *d, bool error, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char *c = clean(line, strlen(line));
    snprintf(d->status, sizeof d->status, "%s", c);
    free(c);
    d->status_error = error;
}

void dialog_focus(struct dialog *d, int i)
{
    int n = d->nfields + d->nbuttons;
    d->focus = i < 0 ? 0 : i >= n ? n - 1 : i;
}

static int nchoices(const struct dialog_field *f)
{
    int n = 0;
    while (f->choices && f->choices[n])
        n++;
    return n;
}

static void field_key(struct dialog_field *f, int key)
{
    if (f->type == FIELD_CHECK) {
        if (key == ' ' || key == KEY_LEFT || key == KEY_RIGHT)
            f->checked = !f->checked;
        return;
    }
    if (f->type == FIELD_CHOICE) {
        int n = nchoices(f);
        if (n == 0)
            return;
        if (key == ' ' || key == KEY_RIGHT)
            f->choice = (f->choice + 1) % n;
        else if (key == KEY_LEFT)
            f->choice = (f->choice + n - 1) % n;
        return;
    }
    size_t len = strlen(f->text);
    if (key == CTRL('u')) {
        f->text[0] = '\0';
    } else if (key == KEY_BACKSPACE || key == 127 || key == CTRL('h')) {
        while (len > 0) {
            len--;
            if (((unsigned char)f->text[len] & 0xc0) != 0x80)
                break;
        }
        f->text[len] = '\0';
    } else if (key >= 0x20 && key <= 0xff && key != 0x7f && len + 1 < sizeof f->text) {
        if (f->numeric && !(key >= '0' && key <= '9'))
            return;
        f->text[len] = (char)key;
        f->text[len + 1] = '\0';
    }
}

static bool press(struct dialog *d, struct ui *ui, int button)
{
    d->status[0] = '\0';
    return d->submit ? d->submit(ui, d, button) : true;
}

bool dialog_key(struct dialog *d, struct ui *ui, int key)
{
    int n = d->nfields + d->nbuttons;
    if (key == ESC)
        return press(d, ui, -1);
    if (d->busy)
        return false;
    switch (key) {
    case '\t':
        d->focus = (d->focus + 1) % n;
        return false;
    case KEY_BTAB:
        d->focus = (d->focus + n - 1) % n;
        return false;
    case KEY_UP:
        if (d->body_top > 0)
            d->body_top--;
        return false;
    case KEY_DOWN:
        if (d->body_top + 1 < d->nbody)
            d->body_top++;
        return false;
    case KEY_PPAGE:
        d->body_top = d->body_top > 10 ? d->body_top - 10 : 0;
        return false;
    case KEY_NPAGE:
        if (d->nbody)
            d->body_top = d->body_top + 10 < d->nbody ? d->body_top + 10 : d->nbody - 1;
        return false;
    case '\r':
    case '\n':
    case KEY_ENTER:
        if (d->focus < d->nfields) /* Enter in a field submits */
            return press(d, ui, d->fields[d->focus].type == FIELD_TEXT ? d->primary : 0);
        return press(d, ui, d->focus - d->nfields);
    default:
        break;
    }
    if (d->focus < d->nfields) {
        field_key(&d->fields[d->focus], key);
    } else if (key == KEY_LEFT || key == KEY_RIGHT) {
        int b = d->focus - d->nfields + (key == KEY_RIGHT ? 1 : -1);
        if (b >= 0 && b < d->nbuttons)
            d->focus = d->nfields + b;
    }
    return false;
}

/* ---- drawing ------------------------------------------------------------------------------ */

static void field_value(const struct dialog_field *f, char *buf, size_t n)
{
    switch (f->type) {
    case FIELD_CHECK:
        snprintf(buf, n, "[%s]", f->checked ? "x" : " ");
        break;
    case FIELD_CHOICE:
        snprintf(buf, n, "< %s >", nchoices(f) ? f->choices[f->choice] : "");
        break;
    default:
        snprintf(buf, n, "%s", f->text);
        break;
    }
}

void dialog_draw(const struct dialog *d, int rows, int cols)
{
    int w = cols - 4 < MAX_W ? cols - 4 : MAX_W;
    if (w < 20 || rows < 6)
        w = cols; /* tiny terminals: use everything there is */
    if (w < 1)
        return;
    int body_rows = (int)d->nbody;
    int fixed = 2 + (int)d->ninfo + d->nfields + 2 /* status, buttons */ + (d->nbody ? 1 : 0) + 1;
    int avail = rows - fixed;
    if (body_rows > avail)
        body_rows = avail > 0 ? avail : 0;
    int h = fixed + body_rows;
    if (h > rows)
        h = rows;
    int y = (rows - h) / 2, x = (cols - w) / 2;
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_DIALOG);
    screen_box(y, x, h, w, d->danger ? STYLE_DIALOG_DANGER : STYLE_BORDER);
    char title[160];
    snprintf(title, sizeof title, " %s ", d->title);
    int tw = screen_width(title);
    screen_text(y, x + (w - tw) / 2 > x ? x + (w - tw) / 2 : x + 1, w - 2, title,
                d->danger ? STYLE_DIALOG_DANGER : STYLE_TITLE);
    int row = y + 1, inner = w - 4, cx = x + 2;
    int last = y + h - 1; /* the bottom border */
    for (size_t i = 0; i < d->ninfo && row < last; i++)
        screen_text(row++, cx, inner, d->info[i],
                    (i == 0 && d->danger) || (int)i == d->danger_line ? STYLE_DIALOG_DANGER
                                                                      : STYLE_DIALOG);
    for (int i = 0; i < body_rows && row < last; i++) {
        size_t li = d->body_top + (size_t)i;
        if (li >= d->nbody)
            break;
        const char *l = d->body[li];
        enum style st = l[0] == '+'   ? STYLE_ROW_MODIFIED
                        : l[0] == '-' ? STYLE_ROW_ERROR
                                      : STYLE_DIALOG;
        screen_text(row++, cx, inner, l, st);
    }
    if (d->nbody && row < last)
        row++;
    for (int i = 0; i < d->nfields && row < last; i++, row++) {
        const struct dialog_field *f = &d->fields[i];
        int used = screen_text(row, cx, inner, f->label, STYLE_DIALOG_LABEL);
        used += screen_text(row, cx + used, inner - used, ": ", STYLE_DIALOG_LABEL);
        char val[DIALOG_TEXT + 8];
        field_value(f, val, sizeof val);
        bool focused = d->focus == i;
        int room = inner - used;
        const char *show = val;
        while (f->type == FIELD_TEXT && *show && screen_width(show) > room - 1) {
            show++;
            while (((unsigned char)*show & 0xc0) == 0x80)
                show++;
        }
        int vw = screen_text(row, cx + used, room, show,
                             focused ? STYLE_DIALOG_BUTTON_FOCUS : STYLE_DIALOG_FIELD);
        if (focused && f->type == FIELD_TEXT && vw < room)
            screen_text(row, cx + used + vw, 1, "_", STYLE_DIALOG_BUTTON_FOCUS);
    }
    if (row < last)
        screen_text(row, cx, inner, d->status, d->status_error ? STYLE_FLASH_ERROR : STYLE_DIALOG);
    /* Buttons on the last inner row, right to left from the right edge. */
    int by = last - 1;
    if (by <= y)
        return;
    int bx = x + w - 2;
    for (int b = d->nbuttons - 1; b >= 0; b--) {
        char label[64];
        snprintf(label, sizeof label, "[ %s ]", d->buttons[b]);
        int lw = screen_width(label);
        bx -= lw;
        if (bx < x + 1)
            break;
        screen_text(by, bx, lw, label,
                    d->focus == d->nfields + b ? STYLE_DIALOG_BUTTON_FOCUS : STYLE_DIALOG_BUTTON);
        bx -= 2;
    }
}
