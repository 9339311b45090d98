/* docview — a watched object rendered as text. See docview.h.
 *
 * Must not: keep the parsed tree of the reflector (it lives in the parse arena; we keep a
 * malloc'ed copy), show text from the cluster without neutralising it, decode a Secret's data
 * unless asked to (DOC_DECODED), or write decoded data to disk. */
#include "views/docview.h"
#include "client/describer.h"
#include "client/reflector.h"
#include "model/describe.h"
#include "util/base64.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/vec.h"
#include "util/xalloc.h"
#include "util/yamlemit.h"
#include "views/screen.h"
#include "views/ui.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

VEC_DEFINE(lines, char *)

struct docview {
    struct view base;
    const struct kind *kind;
    char *ns, *name;
    enum doc_mode mode;
    struct reflector *refl;
    cJSON *obj; /* owned copy of the latest object, or NULL */
    bool gone;  /* the object does not exist (any more) */
    bool show_managed;
    struct lines lines; /* owned, neutralised */
    size_t top;
    int page;
    char *search; /* owned lowercased term, or NULL */
    long match;   /* line of the current match, or -1 */
    bool changed;
    /* describe mode: the requests run again whenever the object changes */
    struct http *http;            /* borrowed from the ui */
    struct describer *desc;       /* owned; in flight, or NULL */
    bool want_describe;           /* the object changed since the last describe started */
    char *described_rv;           /* owned: the resourceVersion the last describe started from */
    char *desc_text;              /* owned: the last describe's text, or NULL */
    char desc_error[ERR_MSG_MAX]; /* why the last describe failed, or "" */
};

static const struct view_ops *ops_for(enum doc_mode mode);

static struct docview *dv_of(struct view *v)
{
    return (struct docview *)v;
}

static void clear_lines(struct docview *dv)
{
    for (size_t i = 0; i < dv->lines.len; i++)
        free(dv->lines.v[i]);
    lines_clear(&dv->lines);
}

static void add_lines(struct docview *dv, const char *text)
{
    while (*text) {
        size_t n = strcspn(text, "\n");
        struct strbuf sb = {0};
        sanitize_append(&sb, text, n, SANITIZE_TAB_TO_SPACE);
        *lines_push(&dv->lines) = strbuf_take(&sb);
        text += n;
        if (*text == '\n')
            text++;
    }
}

static bool is_secret(const struct kind *k)
{
    return !k->group[0] && strcmp(k->resource, "secrets") == 0;
}

/* A Secret's data values base64-decoded and neutralised, in place (what `x` shows). Values that
 * are not valid base64 stay as they are. The decoded bytes are wiped once copied. */
static void decode_data(cJSON *obj)
{
    cJSON *data = cJSON_GetObjectItemCaseSensitive(obj, "data");
    cJSON *next;
    for (cJSON *it = cJSON_IsObject(data) ? data->child : NULL; it; it = next) {
        next = it->next;
        if (!cJSON_IsString(it))
            continue;
        struct strbuf raw = {0}, clean = {0};
        if (base64_decode(it->valuestring, strlen(it->valuestring), &raw)) {
            sanitize_append(&clean, raw.buf ? raw.buf : "", raw.len,
                            SANITIZE_KEEP_NEWLINE | SANITIZE_KEEP_TAB);
            cJSON_ReplaceItemInObjectCaseSensitive(data, it->string,
                                                   cJSON_CreateString(strbuf_str(&clean)));
        }
        if (raw.buf)
            memset(raw.buf, 0, raw.cap);
        strbuf_free(&raw);
        if (clean.buf)
            memset(clean.buf, 0, clean.cap);
        strbuf_free(&clean);
    }
}

static void render_yaml(struct docview *dv)
{
    if (!dv->obj) {
        add_lines(dv, dv->gone ? "The object is gone." : "Loading...");
        return;
    }
    cJSON *copy = cJSON_Duplicate(dv->obj, 1);
    if (!dv->show_managed)
        cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItem(copy, "metadata"),
                                                "managedFields");
    if (dv->mode == DOC_DECODED && is_secret(dv->kind))
        decode_data(copy);
    struct strbuf out = {0};
    struct err e = {0};
    if (yamlemit_write(copy, &out, &e))
        add_lines(dv, strbuf_str(&out));
    else
        add_lines(dv, e.msg);
    if (out.buf && dv->mode == DOC_DECODED)
        memset(out.buf, 0, out.cap);
    strbuf_free(&out);
    cJSON_Delete(copy);
}

static void render(struct docview *dv)
{
    clear_lines(dv);
    if (dv->mode != DOC_DESCRIBE)
        render_yaml(dv);
    else if (dv->desc_text)
        add_lines(dv, dv->desc_text);
    else if (dv->desc_error[0])
        add_lines(dv, dv->desc_error);
    else
        add_lines(dv, "Describing...");
}

/* ---- describe: the requests run again whenever the object changes -------------------- */

static void describe_done(void *ud, const char *text, size_t len, const struct err *e)
{
    struct docview *dv = ud;
    describer_free(dv->desc);
    dv->desc = NULL;
    free(dv->desc_text);
    dv->desc_text = NULL;
    dv->desc_error[0] = '\0';
    if (text)
        dv->desc_text = xstrndup(text, len);
    else
        snprintf(dv->desc_error, sizeof dv->desc_error, "%s", e->msg);
    dv->changed = true;
}

static void describe_start(struct docview *dv)
{
    dv->want_describe = false;
    free(dv->described_rv);
    dv->described_rv = xstrdup(json_strz(json_get(dv->obj, "metadata"), "resourceVersion"));
    struct describer_target t = {
        .group = dv->kind->group,
        .version = dv->kind->version,
        .resource = dv->kind->resource,
        .kind = dv->kind->kind,
        .namespaced = dv->kind->namespaced,
        .ns = dv->ns,
        .name = dv->name,
    };
    struct err e = {0};
    dv->desc = describer_start(dv->http, &t, &describe_hooks, describe_done, dv, &e);
    if (!dv->desc) {
        snprintf(dv->desc_error, sizeof dv->desc_error, "%s", e.msg);
        dv->changed = true;
    }
}

/* Asks for a describe when the object is not the one last described. */
static void describe_if_changed(struct docview *dv)
{
    const char *rv = json_strz(json_get(dv->obj, "metadata"), "resourceVersion");
    if (dv->mode == DOC_DESCRIBE && (!dv->described_rv || strcmp(rv, dv->described_rv) != 0))
        dv->want_describe = true;
}

static void set_mode(struct docview *dv, enum doc_mode mode)
{
    dv->mode = mode;
    dv->base.ops = ops_for(mode);
    describer_free(dv->desc);
    dv->desc = NULL;
    free(dv->described_rv);
    dv->described_rv = NULL;
    describe_if_changed(dv);
    dv->match = -1;
    render(dv);
}

static void on_list(void *ud, bool begin)
{
    struct docview *dv = ud;
    if (!begin && !dv->obj) {
        dv->gone = true;
        dv->changed = true;
        describe_if_changed(dv);
    }
}

static void on_object(void *ud, enum reflector_op op, const cJSON *obj)
{
    struct docview *dv = ud;
    cJSON_Delete(dv->obj);
    dv->obj = NULL;
    if (op == REFLECTOR_DELETE) {
        dv->gone = true;
    } else {
        dv->obj = cJSON_Duplicate(obj, 1);
        /* A list item lacks kind/apiVersion on a real server; the YAML should show them. */
        if (!json_get(dv->obj, "kind"))
            cJSON_AddStringToObject(dv->obj, "kind", dv->kind->kind);
        if (!json_get(dv->obj, "apiVersion")) {
            char av[128];
            snprintf(av, sizeof av, "%s%s%s", dv->kind->group, dv->kind->group[0] ? "/" : "",
                     dv->kind->version);
            cJSON_AddStringToObject(dv->obj, "apiVersion", av);
        }
        dv->gone = false;
    }
    dv->changed = true;
    describe_if_changed(dv);
}

static void on_state(void *ud)
{
    struct docview *dv = ud;
    dv->changed = true;
}

static const struct reflector_ops doc_ops = {on_list, on_object, on_state, NULL};

static void dv_free(struct view *v)
{
    struct docview *dv = dv_of(v);
    reflector_free(dv->refl);
    describer_free(dv->desc);
    free(dv->described_rv);
    free(dv->desc_text);
    cJSON_Delete(dv->obj);
    clear_lines(dv);
    lines_free(&dv->lines);
    free(dv->ns);
    free(dv->name);
    free(dv->search);
    free(dv);
}

static bool dv_sync(struct view *v, struct ui *ui)
{
    (void)ui;
    struct docview *dv = dv_of(v);
    reflector_tick(dv->refl);
    if (dv->want_describe && !dv->desc)
        describe_start(dv);
    if (!dv->changed)
        return false;
    dv->changed = false;
    render(dv);
    if (dv->top >= dv->lines.len)
        dv->top = dv->lines.len ? dv->lines.len - 1 : 0;
    return true;
}

static void dv_crumb(const struct view *v, char *buf, size_t n)
{
    const struct docview *dv = (const struct docview *)v;
    snprintf(buf, n, "%s:%s", dv->mode == DOC_DESCRIBE ? "describe" : "yaml", dv->name);
}

/* Case-insensitive substring search (ASCII case folding). */
static bool contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return true;
    return n == 0;
}

static bool line_matches(const struct docview *dv, size_t i)
{
    return dv->search && contains_ci(dv->lines.v[i], dv->search);
}

/* A YAML line in colours: the key, its colon, the value. */
static void draw_yaml_line(int y, int x, int w, const char *line, enum style base)
{
    if (base != STYLE_DEFAULT) {
        screen_text(y, x, w, line, base);
        return;
    }
    const char *p = line;
    while (*p == ' ')
        p++;
    if (p[0] == '-' && p[1] == ' ')
        p += 2;
    const char *colon = NULL;
    if (*p != '\'' && *p != '"' && *p != '|') {
        for (const char *q = p; *q; q++) {
            if (*q == ':' && (q[1] == ' ' || q[1] == '\0')) {
                colon = q;
                break;
            }
            if (*q == ' ' || *q == '"' || *q == '\'')
                break;
        }
    }
    if (!colon) {
        screen_text(y, x, w, line, STYLE_YAML_VALUE);
        return;
    }
    char head[1024];
    size_t hl = (size_t)(colon - line);
    if (hl >= sizeof head)
        hl = sizeof head - 1;
    memcpy(head, line, hl);
    head[hl] = '\0';
    int used = screen_text(y, x, w, head, STYLE_YAML_KEY);
    used += screen_text(y, x + used, w - used, ":", STYLE_YAML_COLON);
    screen_text(y, x + used, w - used, colon + 1, STYLE_YAML_VALUE);
}

static void dv_draw(struct view *v, struct ui *ui, int y, int x, int h, int w)
{
    (void)ui;
    struct docview *dv = dv_of(v);
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_DEFAULT);
    if (h <= 0 || w <= 0)
        return;
    screen_box(y, x, h, w, STYLE_BORDER);
    char title[512];
    snprintf(title, sizeof title, " %s %s/%s%s%s%s%s ",
             dv->mode == DOC_DESCRIBE ? "describe" : "yaml", dv->kind->singular, dv->name,
             dv->mode == DOC_DECODED ? " (decoded)" : "", dv->search ? " </" : "",
             dv->search ? dv->search : "", dv->search ? ">" : "");
    int tw = screen_width(title);
    if (w > 4)
        screen_text(y, x + (w - (tw < w - 2 ? tw : w - 2)) / 2, w - 2, title, STYLE_TITLE);
    int body = h - 2;
    dv->page = body > 0 ? body : 1;
    for (int r = 0; r < body; r++) {
        size_t i = dv->top + (size_t)r;
        if (i >= dv->lines.len)
            break;
        enum style st = (long)i == dv->match  ? STYLE_ROW_SELECTED
                        : line_matches(dv, i) ? STYLE_SEARCH_MATCH
                                              : STYLE_DEFAULT;
        if (st != STYLE_DEFAULT)
            screen_fill(y + 1 + r, x + 1, w - 2, st);
        draw_yaml_line(y + 1 + r, x + 2, w - 3, dv->lines.v[i], st);
    }
}

static void scroll_to(struct docview *dv, size_t line)
{
    size_t page = dv->page > 0 ? (size_t)dv->page : 1;
    if (line < dv->top || line >= dv->top + page)
        dv->top = line > page / 2 ? line - page / 2 : 0;
}

static bool find(struct docview *dv, bool forward)
{
    if (!dv->search || !dv->lines.len)
        return false;
    size_t n = dv->lines.len;
    size_t start = dv->match < 0 ? (forward ? n - 1 : 0) : (size_t)dv->match;
    for (size_t k = 1; k <= n; k++) {
        size_t i = forward ? (start + k) % n : (start + n - k % n) % n;
        if (line_matches(dv, i)) {
            dv->match = (long)i;
            scroll_to(dv, i);
            return true;
        }
    }
    return false;
}

static bool write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Ctrl-S: the text as shown, into a new 0600 file in the state directory. Decoded secrets
 * stay on the screen. */
static void save(struct docview *dv, struct ui *ui)
{
    if (dv->mode == DOC_DECODED) {
        ui_flash(ui, true, "decoded secrets are not saved; x shows the YAML as stored");
        return;
    }
    char stem[300];
    snprintf(stem, sizeof stem, "%s%s%s_%s", dv->ns ? dv->ns : "", dv->ns ? "_" : "",
             dv->kind->singular, dv->name);
    char *path = NULL;
    struct err e = {0};
    int fd = fs_create_saved(stem, dv->mode == DOC_DESCRIBE ? "txt" : "yaml", &path, &e);
    if (fd < 0) {
        ui_flash(ui, true, "%s", e.msg);
        return;
    }
    bool ok = true;
    for (size_t i = 0; i < dv->lines.len && ok; i++)
        ok = write_all(fd, dv->lines.v[i], strlen(dv->lines.v[i])) && write_all(fd, "\n", 1);
    if (close(fd) != 0)
        ok = false;
    if (ok)
        ui_flash(ui, false, "saved %zu lines to %s", dv->lines.len, path);
    else
        ui_flash(ui, true, "cannot write %s", path);
    free(path);
}

static unsigned dv_act(struct view *v, struct ui *ui, enum action a, int key)
{
    (void)key;
    struct docview *dv = dv_of(v);
    size_t page = dv->page > 1 ? (size_t)dv->page : 1;
    size_t last = dv->lines.len > page ? dv->lines.len - page : 0;
    switch (a) {
    case ACT_UP:
        if (dv->top > 0)
            dv->top--;
        return REACT_REDRAW;
    case ACT_DOWN:
        if (dv->top < last)
            dv->top++;
        return REACT_REDRAW;
    case ACT_TOP:
        dv->top = 0;
        return REACT_REDRAW;
    case ACT_BOTTOM:
        dv->top = last;
        return REACT_REDRAW;
    case ACT_PAGE_UP:
        dv->top = dv->top > page ? dv->top - page : 0;
        return REACT_REDRAW;
    case ACT_PAGE_DOWN:
        dv->top = dv->top + page < last ? dv->top + page : last;
        return REACT_REDRAW;
    case ACT_SEARCH_NEXT:
    case ACT_SEARCH_PREV:
        if (!find(dv, a == ACT_SEARCH_NEXT))
            ui_flash(ui, true, "no match for \"%s\"", dv->search ? dv->search : "");
        return REACT_REDRAW;
    case ACT_TOGGLE_MANAGED:
        if (dv->mode == DOC_DESCRIBE) {
            ui_flash(ui, true, "managedFields are in the YAML (y)");
            return REACT_REDRAW;
        }
        dv->show_managed = !dv->show_managed;
        render(dv);
        ui_flash(ui, false, "managedFields %s", dv->show_managed ? "shown" : "hidden");
        return REACT_REDRAW;
    case ACT_DECODE:
        if (!is_secret(dv->kind))
            ui_flash(ui, true, "only a secret's data can be decoded");
        else
            set_mode(dv, dv->mode == DOC_DECODED ? DOC_YAML : DOC_DECODED);
        return REACT_REDRAW;
    case ACT_SAVE:
        save(dv, ui);
        return REACT_REDRAW;
    default:
        return REACT_UNHANDLED;
    }
}

static bool dv_set_filter(struct view *v, struct ui *ui, const char *expr, struct err *e)
{
    (void)e;
    struct docview *dv = dv_of(v);
    free(dv->search);
    dv->search = expr[0] ? xstrdup(expr) : NULL;
    dv->match = -1;
    if (dv->search && !find(dv, true))
        ui_flash(ui, true, "no match for \"%s\"", dv->search);
    return true;
}

static const char *dv_filter(const struct view *v)
{
    return ((const struct docview *)v)->search;
}

static int dv_timeout(const struct view *v, struct ui *ui)
{
    (void)ui;
    return reflector_timeout_ms(((const struct docview *)v)->refl);
}

static void dv_tick(struct view *v)
{
    reflector_tick(dv_of(v)->refl);
}

static bool dv_watch_state(const struct view *v, char *buf, size_t n)
{
    const struct docview *dv = (const struct docview *)v;
    enum reflector_state st = reflector_state(dv->refl);
    const char *reason = reflector_reason(dv->refl);
    bool ok = st == REFLECTOR_WATCHING || (st == REFLECTOR_LISTING && !reason[0]);
    snprintf(buf, n, "%s",
             ok ? (st == REFLECTOR_WATCHING ? "live" : "syncing")
                : (reason[0] ? reason : "stopped"));
    return ok;
}

#define DOCVIEW_OPS(view_name)                                                                     \
    {                                                                                              \
        .tick = dv_tick, .watch_state = dv_watch_state, .name = view_name, .keymap = &keymap_doc,  \
        .free = dv_free, .sync = dv_sync, .draw = dv_draw, .act = dv_act, .crumb = dv_crumb,       \
        .set_filter = dv_set_filter, .filter = dv_filter, .timeout_ms = dv_timeout,                \
    }

static const struct view_ops yaml_ops = DOCVIEW_OPS("yaml");
static const struct view_ops describe_ops = DOCVIEW_OPS("describe");

static const struct view_ops *ops_for(enum doc_mode mode)
{
    return mode == DOC_DESCRIBE ? &describe_ops : &yaml_ops;
}

struct view *docview_new(struct ui *ui, const struct kind *k, const char *ns, const char *name,
                         enum doc_mode mode)
{
    struct docview *dv = xcalloc(1, sizeof *dv);
    dv->base.ops = ops_for(mode);
    dv->http = ui->http;
    dv->kind = k;
    dv->ns = k->namespaced && ns && ns[0] ? xstrdup(ns) : NULL;
    dv->name = xstrdup(name);
    dv->mode = mode == DOC_DECODED && !is_secret(k) ? DOC_YAML : mode;
    dv->match = -1;
    struct strbuf path = {0}, fs = {0};
    kind_path(k, dv->ns, &path);
    strbuf_printf(&fs, "metadata.name=%s", name);
    struct reflector_spec spec = {.path = strbuf_str(&path), .field_selector = strbuf_str(&fs)};
    dv->refl = reflector_new(ui->http, &spec, &doc_ops, dv);
    reflector_start(dv->refl);
    strbuf_free(&path);
    strbuf_free(&fs);
    render(dv);
    return &dv->base;
}
