/* app — the loop, the view stack, command and filter modes, and what every view shares (see
 * ui.h). Event handlers only set dirty bits; drawing happens once per pass.
 *
 * Must not: block (every wait is the one poll()), exit on an API or connection failure, or
 * draw outside app_draw. */
#include "views/app.h"
#include "client/apierror.h"
#include "model/command.h"
#include "model/config.h"
#include "model/selector.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/log.h"
#include "util/quantity.h"
#include "util/xalloc.h"
#include "views/actions.h"
#include "views/dialog.h"
#include "views/docview.h"
#include "views/header.h"
#include "views/helpview.h"
#include "views/keymap.h"
#include "views/keytrace.h"
#include "views/logview.h"
#include "views/prompt.h"
#include "views/resview.h"
#include "views/screen.h"
#include "views/sigpipe.h"
#include "views/ui.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define PREFLIGHT_TIMEOUT_MS 15000
#define FLASH_MS             5000
#define METRICS_EVERY_MS     15000
#define METRICS_SLICE        1000 /* metrics items read per loop turn: a few ms */
#define MAX_FDS              64

struct app {
    struct ui ui;
    struct prompt prompt;
    char *filter_before; /* owned: the filter when '/' opened, restored on Esc */
    int64_t last_second;
    unsigned access_seen;
    bool started; /* the TUI ran: there is a context state worth saving */
};

/* ---- the ui's services ---------------------------------------------------------------- */

void ui_flash(struct ui *ui, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(ui->flash, sizeof ui->flash, fmt, ap);
    va_end(ap);
    ui->flash_error = error;
    ui->flash_until = clock_mono_ms() + FLASH_MS;
    ui->dirty |= DIRTY_FOOTER;
}

const struct keymap *view_keymap(const struct view *v)
{
    if (!v)
        return &keymap_table;
    const struct keymap *km = v->ops->keys ? v->ops->keys(v) : NULL;
    return km ? km : v->ops->keymap;
}

struct view *ui_top(const struct ui *ui)
{
    return ui->depth > 0 ? ui->stack[ui->depth - 1] : NULL;
}

void ui_open_dialog(struct ui *ui, struct dialog *d)
{
    ui_close_dialog(ui);
    ui->dialog = d;
    ui->dirty = DIRTY_ALL;
}

void ui_close_dialog(struct ui *ui)
{
    struct dialog *d = ui->dialog;
    if (!d)
        return;
    ui->dialog = NULL; /* first: the dialog's owner may look */
    dialog_free(d);
    ui->dirty = DIRTY_ALL;
}

void ui_push(struct ui *ui, struct view *v)
{
    if (ui->depth == UI_MAX_DEPTH) {
        /* Deep drill-downs drop the oldest level rather than refusing. */
        ui->stack[0]->ops->free(ui->stack[0]);
        memmove(ui->stack, ui->stack + 1, sizeof ui->stack[0] * (UI_MAX_DEPTH - 1));
        ui->depth--;
    }
    ui->stack[ui->depth++] = v;
    ui->dirty = DIRTY_ALL;
}

void ui_pop(struct ui *ui)
{
    if (ui->depth <= 1)
        return;
    struct view *v = ui->stack[--ui->depth];
    v->ops->free(v);
    ui->dirty = DIRTY_ALL;
}

void ui_replace(struct ui *ui, struct view *v)
{
    while (ui->depth > 0) {
        struct view *old = ui->stack[--ui->depth];
        old->ops->free(old);
    }
    ui->stack[ui->depth++] = v;
    ui->dirty = DIRTY_ALL;
}

void ui_set_namespace(struct ui *ui, const char *ns)
{
    free(ui->ns);
    ui->ns = ns && ns[0] ? xstrdup(ns) : NULL;
    if (!ui->ns)
        return;
    /* Favourites: the most recent first, each once. */
    int found = -1;
    for (int i = 0; i < UI_FAVOURITES; i++)
        if (ui->favs[i] && strcmp(ui->favs[i], ns) == 0)
            found = i;
    char *keep = found >= 0 ? ui->favs[found] : xstrdup(ns);
    int from = found >= 0 ? found : UI_FAVOURITES - 1;
    if (found < 0)
        free(ui->favs[UI_FAVOURITES - 1]);
    memmove(ui->favs + 1, ui->favs, sizeof ui->favs[0] * (size_t)from);
    ui->favs[0] = keep;
    ui->dirty |= DIRTY_HEADER;
}

const struct kind *ui_kind(struct ui *ui, const char *word)
{
    return kind_cache_resolve(&ui->kinds, ui->disc.loaded ? &ui->disc : NULL, word);
}

void ui_open_containers(struct ui *ui, const char *ns, const char *pod)
{
    char fs[600], crumb[300];
    snprintf(fs, sizeof fs, "metadata.name=%s,metadata.namespace=%s", pod, ns);
    snprintf(crumb, sizeof crumb, "containers:%s", pod);
    struct resview_spec s = {.kind = &kind_containers, .fieldsel = fs, .crumb = crumb};
    ui_push(ui, resview_new(ui, &s));
}

void ui_open_yaml(struct ui *ui, const struct kind *k, const char *ns, const char *name)
{
    ui_push(ui, docview_new(ui, k, ns, name, DOC_YAML));
}

void ui_open_describe(struct ui *ui, const struct kind *k, const char *ns, const char *name)
{
    ui_push(ui, docview_new(ui, k, ns, name, DOC_DESCRIBE));
}

void ui_open_decoded(struct ui *ui, const char *ns, const char *name)
{
    ui_push(ui, docview_new(ui, kind_lookup("secrets"), ns, name, DOC_DECODED));
}

void ui_open_logs(struct ui *ui, const char *ns, const char *pod, const char *container,
                  const char *selector, const char *what, bool previous)
{
    struct logview_spec spec = {.ns = ns,
                                .pod = pod,
                                .container = container,
                                .selector = selector,
                                .what = what,
                                .previous = previous};
    ui_push(ui, logview_new(ui, &spec));
}

static void history_add(struct ui *ui, const char *line)
{
    if (ui->nhist > 0 && strcmp(ui->hist[ui->nhist - 1], line) == 0) {
        ui->hist_pos = ui->nhist - 1;
        return;
    }
    if (ui->nhist == UI_HISTORY) {
        free(ui->hist[0]);
        memmove(ui->hist, ui->hist + 1, sizeof ui->hist[0] * (UI_HISTORY - 1));
        ui->nhist--;
    }
    ui->hist[ui->nhist++] = xstrdup(line);
    ui->hist_pos = ui->nhist - 1;
}

static bool valid_selector(const char *text, struct err *e)
{
    struct selector sel;
    if (!selector_parse(text, &sel, e))
        return false;
    selector_free(&sel);
    return true;
}

/* The command line without its "@context" word. */
static char *command_without_context(const char *line)
{
    struct strbuf sb = {0};
    const char *p = line;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n && p[0] != '@') {
            if (sb.len)
                strbuf_putc(&sb, ' ');
            strbuf_append(&sb, p, n);
        }
        p += n;
    }
    return strbuf_take(&sb);
}

bool ui_command(struct ui *ui, const char *line, bool record)
{
    struct command c;
    struct err e = {0};
    if (!command_parse(line, &c, &e)) {
        ui_flash(ui, true, "%s", e.msg);
        return false;
    }
    bool ok = true;
    if (command_is_quit(c.word)) {
        ui->quit = true;
    } else if (strcmp(c.word, "help") == 0 || strcmp(c.word, "h") == 0 ||
               strcmp(c.word, "?") == 0) {
        struct view *top = ui_top(ui);
        ui_push(ui, helpview_new(view_keymap(top), top ? top->ops->name : "table"));
    } else if (c.context) {
        /* ":pods @ctx": the command, in that context. */
        char *rest = command_without_context(line);
        ok = ui_switch_context(ui, c.context, rest);
        free(rest);
        command_free(&c);
        return ok;
    } else if (strcmp(c.word, "ctx") == 0 || strcmp(c.word, "context") == 0 ||
               strcmp(c.word, "contexts") == 0) {
        const char *target = c.name ? c.name : c.ns;
        if (target) {
            ok = ui_switch_context(ui, target, NULL);
        } else {
            cJSON *items = kind_contexts_items(ui->cfg->kc, ui->conn->context);
            struct resview_spec s = {.kind = &kind_contexts, .local = items, .filter = c.filter};
            ui_replace(ui, resview_new(ui, &s));
            cJSON_Delete(items);
            if (record)
                history_add(ui, line);
        }
    } else if (c.selector && !valid_selector(c.selector, &e)) {
        ok = false;
        ui_flash(ui, true, "%s", e.msg);
    } else {
        bool ns_cmd = strcmp(c.word, "ns") == 0 || strcmp(c.word, "namespace") == 0;
        const struct kind *k = ns_cmd ? kind_lookup("namespaces") : ui_kind(ui, c.word);
        if (ns_cmd && c.ns) {
            /* ":ns NAME" switches to it and shows its pods. */
            ui_set_namespace(ui, c.ns);
            k = kind_lookup("pods");
            free(c.ns);
            c.ns = NULL;
        }
        if (!k && discovery_refreshing(&ui->disc)) {
            free(ui->pending_command);
            ui->pending_command = xstrdup(line);
            ui_flash(ui, false, "looking up \"%s\" on the server...", c.word);
        } else if (!k) {
            ok = false;
            ui_flash(ui, true, "unknown command or resource \"%s\"", c.word);
        } else {
            if (c.all_ns)
                ui_set_namespace(ui, NULL);
            else if (c.ns && k->namespaced)
                ui_set_namespace(ui, c.ns);
            struct resview_spec s = {
                .kind = k,
                .ns = ui->ns,
                .selector = c.selector,
                .filter = c.filter,
            };
            ui_replace(ui, resview_new(ui, &s));
            if (record)
                history_add(ui, line);
            free(ui->last_view); /* what a return to this context reopens */
            ui->last_view = xstrdup(line);
        }
    }
    command_free(&c);
    return ok;
}

/* ---- metrics ---------------------------------------------------------------------------- */

struct metrics_req {
    struct ui *ui;
    bool nodes;
};

static void metrics_done(void *ud, const struct http_response *r)
{
    struct metrics_req *mr = ud;
    struct ui *ui = mr->ui;
    ui->metrics_pending--;
    if (r->error == HTTP_OK && r->status == 200)
        metrics_loader_start(&ui->mload[mr->nodes], strbuf_take(r->body_owner), r->body_len,
                             mr->nodes);
    free(mr);
}

/* Reads a slice of the metrics responses that arrived (the loop turns at once while some are
 * left, so keys wait for one slice at most). */
static void metrics_read(struct ui *ui)
{
    for (int i = 0; i < 2; i++) {
        if (metrics_loader_step(&ui->mload[i], &ui->metrics, METRICS_SLICE)) {
            ui->metrics.updated = clock_wall_s();
            ui->dirty |= DIRTY_BODY | DIRTY_HEADER;
        }
    }
}

/* Node allocatable, for the cluster's CPU/MEM percentages in the header. */
static void nodes_done(void *ud, const struct http_response *r)
{
    struct ui *ui = ud;
    ui->metrics_pending--;
    if (r->error != HTTP_OK || r->status != 200)
        return;
    cJSON *list = cJSON_ParseWithLength(r->body, r->body_len);
    int64_t cpu = 0, mem = 0, ucpu = 0, umem = 0;
    const cJSON *n;
    cJSON_ArrayForEach(n, json_get(list, "items"))
    {
        const cJSON *alloc = json_path(n, "status", "allocatable", NULL);
        int64_t v;
        if (quantity_milli(json_strz(alloc, "cpu"), &v))
            cpu += v;
        if (quantity_value(json_strz(alloc, "memory"), &v))
            mem += v;
        struct metrics_sample s;
        if (metrics_node(&ui->metrics, json_strz(json_get(n, "metadata"), "name"), &s)) {
            ucpu += s.cpu_milli;
            umem += s.mem_bytes;
        }
    }
    cJSON_Delete(list);
    ui->cluster_cpu = ucpu;
    ui->cluster_cpu_alloc = cpu;
    ui->cluster_mem = umem;
    ui->cluster_mem_alloc = mem;
    ui->dirty |= DIRTY_HEADER;
}

/* Metrics cannot be watched: they are fetched on a timer, and only when the server has them. */
static void metrics_tick(struct ui *ui)
{
    int64_t now = clock_mono_ms();
    if (!ui->metrics_served || ui->metrics_pending > 0 || now < ui->metrics_next)
        return;
    ui->metrics_next = now + METRICS_EVERY_MS;
    char path[512];
    if (ui->ns)
        snprintf(path, sizeof path, "/apis/metrics.k8s.io/v1beta1/namespaces/%s/pods", ui->ns);
    else
        snprintf(path, sizeof path, "/apis/metrics.k8s.io/v1beta1/pods");
    struct err e = {0};
    struct http_req_spec pods = {.path = path, .timeout_ms = 30000};
    struct http_req_spec nodes = {.path = "/apis/metrics.k8s.io/v1beta1/nodes",
                                  .timeout_ms = 30000};
    struct http_req_spec nodelist = {.path = "/api/v1/nodes", .timeout_ms = 30000};
    struct metrics_req *a = xcalloc(1, sizeof *a), *b = xcalloc(1, sizeof *b);
    a->ui = b->ui = ui;
    b->nodes = true;
    if (http_send(ui->http, &pods, NULL, metrics_done, a, &e))
        ui->metrics_pending++;
    else
        free(a);
    if (http_send(ui->http, &nodes, NULL, metrics_done, b, &e))
        ui->metrics_pending++;
    else
        free(b);
    if (http_send(ui->http, &nodelist, NULL, nodes_done, ui, &e))
        ui->metrics_pending++;
}

/* ---- drawing ---------------------------------------------------------------------------- */

/* Hints of actions that would be refused: everything that writes in read-only mode, and what
 * RBAC forbids in the view's namespace. */
static bool hint_disabled(void *ud, enum action a)
{
    struct ui *ui = ud;
    if (!action_mutates(a))
        return false;
    if (http_readonly(ui->http))
        return true;
    struct view *top = ui_top(ui);
    const struct kind *k = top && top->ops->kind ? top->ops->kind(top) : NULL;
    const char *reason;
    return k && actions_forbidden(ui, a, k, k->namespaced ? ui->ns : NULL, &reason);
}

static void draw_header(struct ui *ui, int cols)
{
    struct view *top = ui_top(ui);
    char watch[600] = "live", metrics[200];
    bool ok = true;
    if (top && top->ops->watch_state)
        ok = top->ops->watch_state(top, watch, sizeof watch);
    const char *mx = NULL;
    if (ui->metrics_served && ui->cluster_cpu_alloc > 0 && ui->cluster_mem_alloc > 0) {
        snprintf(metrics, sizeof metrics, "CPU %lld%% (%lldm/%lldm)  MEM %lld%% (%lldMi/%lldMi)",
                 (long long)(ui->cluster_cpu * 100 / ui->cluster_cpu_alloc),
                 (long long)ui->cluster_cpu, (long long)ui->cluster_cpu_alloc,
                 (long long)(ui->cluster_mem * 100 / ui->cluster_mem_alloc),
                 (long long)quantity_mib(ui->cluster_mem),
                 (long long)quantity_mib(ui->cluster_mem_alloc));
        mx = metrics;
    }
    const struct kube_conn *c = ui->conn;
    struct header_info hi = {
        .context = c->context,
        .cluster = c->cluster,
        .user = c->user,
        .server = c->server,
        .version = ui->version,
        .ns = ui->ns ? ui->ns : "all",
        .metrics = mx,
        .watch = watch,
        .watch_ok = ok,
        .readonly = http_readonly(ui->http),
        .danger = ui->danger,
        .insecure = c->insecure,
        .logo = ui->show_logo,
        .favs = ui->favs,
        .nfavs = UI_FAVOURITES,
        .disabled = hint_disabled,
        .ud = ui,
    };
    header_draw(&hi, view_keymap(top), 0, cols);
}

static void draw_footer(struct app *a, int y, int cols)
{
    struct ui *ui = &a->ui;
    screen_fill(y, 0, cols, STYLE_DEFAULT);
    if (a->prompt.active) {
        prompt_draw(&a->prompt, y, 0, cols);
        return;
    }
    int x = 1;
    if (ui->show_crumbs) {
        for (int i = 0; i < ui->depth && x < cols; i++) {
            char crumb[300], text[320];
            ui->stack[i]->ops->crumb(ui->stack[i], crumb, sizeof crumb);
            char *br = strchr(crumb, '(');
            char *sq = strchr(crumb, '[');
            if (br)
                *br = '\0';
            else if (sq)
                *sq = '\0';
            snprintf(text, sizeof text, " <%s> ", crumb);
            x += screen_text(y, x, cols - x, text,
                             i == ui->depth - 1 ? STYLE_CRUMB : STYLE_KEY_HELP) +
                 1;
        }
    }
    if (ui->flash[0])
        screen_text(y, x + 1, cols - x - 1, ui->flash,
                    ui->flash_error ? STYLE_FLASH_ERROR : STYLE_FLASH_INFO);
}

static void app_draw(struct app *a)
{
    struct ui *ui = &a->ui;
    screen_set_danger(ui->danger);
    int rows = screen_rows(), cols = screen_cols();
    if (rows <= 0 || cols <= 0)
        return;
    bool show_header = ui->show_header && rows >= HEADER_ROWS + 6 && cols >= 20;
    bool show_footer = rows >= 3;
    int top = show_header ? HEADER_ROWS : 0;
    int bottom = show_footer ? 1 : 0;
    if ((ui->dirty & DIRTY_HEADER) && show_header)
        draw_header(ui, cols);
    struct view *v = ui_top(ui);
    if ((ui->dirty & DIRTY_BODY) && v)
        v->ops->draw(v, ui, top, 0, rows - top - bottom, cols);
    if ((ui->dirty & DIRTY_FOOTER) && show_footer)
        draw_footer(a, rows - 1, cols);
    if (ui->dialog)
        dialog_draw(ui->dialog, rows, cols);
    ui->dirty = 0;
    screen_flush();
}

/* ---- input ------------------------------------------------------------------------------ */

static void add_candidate(const char *cand, const char *typed, size_t tl, char *best)
{
    if (strncasecmp(cand, typed, tl) != 0 || strlen(cand) <= tl)
        return;
    if (!best[0] || strlen(cand) < strlen(best) ||
        (strlen(cand) == strlen(best) && strcmp(cand, best) < 0))
        snprintf(best, PROMPT_MAX, "%s", cand);
}

/* The completion for the command word being typed: built-in kinds and their aliases, what
 * discovery found, and the special commands. */
static void suggest(struct app *a)
{
    struct prompt *p = &a->prompt;
    p->suggestion[0] = '\0';
    if (p->lead != ':' || p->len == 0 || strchr(p->buf, ' '))
        return;
    char best[PROMPT_MAX] = "";
    static const char *const special[] = {"help", "quit", "namespaces", "ns"};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        add_candidate(special[i], p->buf, p->len, best);
    for (size_t i = 0, n = kind_count(); i < n; i++) {
        const struct kind *k = kind_at(i);
        add_candidate(k->resource, p->buf, p->len, best);
        for (const char *const *al = k->aliases; al && *al; al++)
            add_candidate(*al, p->buf, p->len, best);
    }
    for (size_t i = 0; i < a->ui.disc.res.len; i++) {
        const struct api_resource *r = &a->ui.disc.res.v[i];
        if (!r->preferred)
            continue;
        add_candidate(r->name, p->buf, p->len, best);
        for (char **s = r->short_names; s && *s; s++)
            add_candidate(*s, p->buf, p->len, best);
    }
    if (best[0])
        snprintf(p->suggestion, sizeof p->suggestion, "%s", best + p->len);
}

static void open_filter(struct app *a)
{
    struct view *v = ui_top(&a->ui);
    if (!v || !v->ops->set_filter)
        return;
    const char *cur = v->ops->filter ? v->ops->filter(v) : NULL;
    free(a->filter_before);
    a->filter_before = xstrdup(cur ? cur : "");
    prompt_open(&a->prompt, '/', cur);
    a->ui.filter_prompt = true;
}

static void prompt_input(struct app *a, int key)
{
    struct ui *ui = &a->ui;
    struct view *v = ui_top(ui);
    bool command = a->prompt.lead == ':';
    enum prompt_result r =
        prompt_key(&a->prompt, key, command ? ui->hist : NULL, command ? ui->nhist : 0);
    ui->dirty |= DIRTY_FOOTER;
    if (command) {
        if (r == PROMPT_SUBMIT) {
            char line[PROMPT_MAX];
            snprintf(line, sizeof line, "%s", a->prompt.buf);
            prompt_close(&a->prompt);
            if (line[0])
                ui_command(ui, line, true);
        } else if (r == PROMPT_CANCEL) {
            prompt_close(&a->prompt);
        } else {
            suggest(a);
        }
        return;
    }
    /* The filter follows every keystroke; a pattern that does not compile yet leaves the
     * previous one in place. */
    struct err e = {0};
    if (r == PROMPT_CANCEL || r == PROMPT_SUBMIT)
        ui->filter_prompt = false;
    if (r == PROMPT_CANCEL) {
        prompt_close(&a->prompt);
        if (v && v->ops->set_filter)
            v->ops->set_filter(v, ui, a->filter_before ? a->filter_before : "", &e);
    } else if (r == PROMPT_SUBMIT) {
        prompt_close(&a->prompt);
        if (v && v->ops->set_filter && !v->ops->set_filter(v, ui, a->prompt.buf, &e))
            ui_flash(ui, true, "%s", e.msg);
    } else if (v && v->ops->set_filter && strncmp(a->prompt.buf, "-l", 2) != 0) {
        if (!v->ops->set_filter(v, ui, a->prompt.buf, &e))
            ui_flash(ui, true, "%s", e.msg);
    }
    ui->dirty |= DIRTY_BODY;
}

static void history_step(struct ui *ui, int delta)
{
    if (ui->nhist == 0)
        return;
    int pos = ui->hist_pos + delta;
    if (pos < 0 || pos >= ui->nhist) {
        ui_flash(ui, false, "no more history");
        return;
    }
    ui->hist_pos = pos;
    ui_command(ui, ui->hist[pos], false);
}

static void global_action(struct app *a, enum action act)
{
    struct ui *ui = &a->ui;
    struct view *v = ui_top(ui);
    const char *filter = v && v->ops->filter ? v->ops->filter(v) : NULL;
    struct err e = {0};
    switch (act) {
    case ACT_QUIT:
        ui->quit = true;
        break;
    case ACT_BACK_OR_QUIT:
    case ACT_BACK:
        if (filter && filter[0] && v->ops->set_filter) {
            v->ops->set_filter(v, ui, "", &e);
            ui->dirty = DIRTY_ALL;
        } else if (ui->depth > 1) {
            ui_pop(ui);
        } else if (act == ACT_BACK_OR_QUIT) {
            ui->quit = true;
        }
        break;
    case ACT_COMMAND:
        prompt_open(&a->prompt, ':', NULL);
        ui->dirty |= DIRTY_FOOTER;
        break;
    case ACT_FILTER:
        open_filter(a);
        ui->dirty |= DIRTY_FOOTER;
        break;
    case ACT_HELP:
        ui_push(ui, helpview_new(view_keymap(v), v ? v->ops->name : "table"));
        break;
    case ACT_HIST_BACK:
        history_step(ui, -1);
        break;
    case ACT_HIST_FWD:
        history_step(ui, +1);
        break;
    case ACT_HIST_LAST:
        if (ui->nhist >= 2) {
            /* Like `cd -`: back to the command before the current one. */
            int pos = ui->hist_pos > 0 ? ui->hist_pos - 1 : 1;
            ui->hist_pos = pos;
            ui_command(ui, ui->hist[pos], false);
        }
        break;
    case ACT_TOGGLE_HEADER:
        ui->show_header = !ui->show_header;
        clear();
        ui->dirty = DIRTY_ALL;
        break;
    case ACT_TOGGLE_CRUMBS:
        ui->show_crumbs = !ui->show_crumbs;
        ui->dirty |= DIRTY_FOOTER;
        break;
    default:
        break;
    }
}

static void on_mouse(struct app *a)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return;
    struct ui *ui = &a->ui;
    struct view *v = ui_top(ui);
    if (!v || !v->ops->mouse)
        return;
    int button = 0;
    if (ev.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED))
        button = 1;
    else if (ev.bstate & BUTTON4_PRESSED)
        button = 4;
#ifdef BUTTON5_PRESSED
    else if (ev.bstate & BUTTON5_PRESSED)
        button = 5;
#endif
    if (!button || ev.y < 0 || ev.x < 0 || ev.y >= screen_rows() || ev.x >= screen_cols())
        return;
    unsigned r = v->ops->mouse(v, ui, ev.y, ev.x, button);
    if (r & REACT_REDRAW)
        ui->dirty |= DIRTY_BODY | DIRTY_FOOTER;
}

static void on_key(struct app *a, int key)
{
    struct ui *ui = &a->ui;
    if (key == KEY_RESIZE) {
        ui->dirty = DIRTY_ALL;
        return;
    }
    /* Keys come in batches: one may have pushed or popped a view, and a view below the top
     * is not kept in step with its store. Acting on a row needs rows the store still owns. */
    struct view *top = ui_top(ui);
    if (top && top->ops->sync(top, ui))
        ui->dirty |= DIRTY_BODY | DIRTY_HEADER | DIRTY_FOOTER;
    if (ui->dialog) {
        if (key != KEY_MOUSE && dialog_key(ui->dialog, ui, key))
            ui_close_dialog(ui);
        ui->dirty = DIRTY_ALL;
        return;
    }
    if (key == KEY_MOUSE) {
        on_mouse(a);
        return;
    }
    if (a->prompt.active) {
        prompt_input(a, key);
        return;
    }
    struct view *v = ui_top(ui);
    const struct binding *b = keymap_find(v ? view_keymap(v) : &keymap_global, key);
    if (!b)
        return;
    unsigned r = v ? v->ops->act(v, ui, b->action, key) : REACT_UNHANDLED;
    if (r & REACT_UNHANDLED)
        global_action(a, b->action);
    if (r & REACT_POP)
        ui_pop(ui);
    if (r & REACT_QUIT)
        ui->quit = true;
    if (r & REACT_REDRAW)
        ui->dirty |= DIRTY_BODY | DIRTY_FOOTER;
}

/* ---- the loop --------------------------------------------------------------------------- */

struct preflight {
    bool done;
    char msg[512];
    char version[64];
};

static void preflight_done(void *ud, const struct http_response *r)
{
    struct preflight *p = ud;
    p->done = true;
    if (r->error != HTTP_OK || r->status != 200) {
        apierror_message(r, p->msg, sizeof p->msg);
        return;
    }
    cJSON *v = cJSON_ParseWithLength(r->body, r->body_len);
    snprintf(p->version, sizeof p->version, "%s", json_strz(v, "gitVersion"));
    cJSON_Delete(v);
}

/* Talks to the server once before the screen starts, so an unreachable server, a bad
 * certificate or rejected credentials end with a clear line instead of a blank screen. */
static bool preflight(struct http *http, char *version, size_t vlen, char *err, size_t errlen)
{
    struct preflight p = {0};
    struct err e = {0};
    struct http_req_spec spec = {.path = "/version", .timeout_ms = PREFLIGHT_TIMEOUT_MS};
    if (!http_send(http, &spec, NULL, preflight_done, &p, &e)) {
        snprintf(err, errlen, "%s", e.msg);
        return false;
    }
    /* The server's time starts once the credential is in: a plugin runs under its own
     * timeout (60 s by default) and fails the request with its own error. */
    int64_t deadline = clock_mono_ms() + PREFLIGHT_TIMEOUT_MS + 1000;
    while (!p.done) {
        http_run(http, 250);
        if (http_auth_pending(http))
            deadline = clock_mono_ms() + PREFLIGHT_TIMEOUT_MS + 1000;
        else if (clock_mono_ms() >= deadline)
            break;
    }
    if (!p.done) {
        snprintf(err, errlen, "no answer from %s within %d s", http_server(http),
                 PREFLIGHT_TIMEOUT_MS / 1000);
        return false;
    }
    if (p.msg[0]) {
        snprintf(err, errlen, "%s", p.msg);
        return false;
    }
    snprintf(version, vlen, "%s", p.version[0] ? p.version : "unknown");
    return true;
}

/* An interactive credential plugin needs the terminal. */
void ui_terminal_suspend(void *ud)
{
    (void)ud;
    screen_suspend();
}

void ui_terminal_resume(void *ud)
{
    struct ui *ui = ud;
    screen_resume();
    ui->dirty = DIRTY_ALL;
}

static int min_timeout(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

/* What changed since the last pass: discovery, views, the clock, flashes. */
static void app_sync(struct app *a)
{
    struct ui *ui = &a->ui;
    ui->now = clock_wall_s();
    discovery_tick(&ui->disc); /* CRDs changed: a new kind may be named */
    if (ui->disc.generation != ui->disc_seen) {
        ui->disc_seen = ui->disc.generation;
        ui->metrics_served = discovery_serves(&ui->disc, "metrics.k8s.io", NULL);
        ui->dirty = DIRTY_ALL;
        if (ui->pending_command) {
            char *line = ui->pending_command;
            ui->pending_command = NULL;
            ui_command(ui, line, true);
            free(line);
        }
    } else if (ui->pending_command && !discovery_refreshing(&ui->disc)) {
        /* Discovery failed: the word will not resolve; say so. */
        char *line = ui->pending_command;
        ui->pending_command = NULL;
        ui_command(ui, line, true);
        free(line);
    }
    metrics_tick(ui);
    metrics_read(ui);
    actions_tick(ui);
    if (ui->access.generation != a->access_seen) {
        a->access_seen = ui->access.generation; /* permissions arrived: hints change */
        ui->dirty |= DIRTY_HEADER;
    }
    for (int i = 0; i < ui->depth - 1; i++)
        if (ui->stack[i]->ops->tick)
            ui->stack[i]->ops->tick(ui->stack[i]);
    struct view *v = ui_top(ui);
    if (v) {
        if (v->ops->tick)
            v->ops->tick(v);
        if (v->ops->sync(v, ui))
            ui->dirty |= DIRTY_BODY | DIRTY_HEADER | DIRTY_FOOTER;
    }
    if (ui->now != a->last_second) {
        a->last_second = ui->now;
        ui->dirty |= DIRTY_BODY | DIRTY_HEADER; /* ages tick; only visible rows are drawn */
    }
    if (ui->flash_until && clock_mono_ms() >= ui->flash_until) {
        ui->flash_until = 0;
        ui->flash[0] = '\0';
        ui->dirty |= DIRTY_FOOTER;
    }
}

static void app_loop(struct app *a)
{
    struct ui *ui = &a->ui;
    struct pollfd fds[MAX_FDS];
    while (!ui->quit) {
        app_sync(a);
        if (ui->quit)
            break;
        if (ui->dirty)
            app_draw(a);
        else
            keytrace_idle();

        fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = sigpipe_fd(), .events = POLLIN};
        size_t n = 2 + http_pollfds(ui->http, fds + 2, MAX_FDS - 2);
        if (n > MAX_FDS)
            n = MAX_FDS;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int t = min_timeout(http_timeout_ms(ui->http), 1000 - (int)(ts.tv_nsec / 1000000) + 5);
        for (int i = 0; i < ui->depth; i++)
            if (ui->stack[i]->ops->timeout_ms)
                t = min_timeout(t, ui->stack[i]->ops->timeout_ms(ui->stack[i], ui));
        if (ui->flash_until)
            t = min_timeout(t, (int)(ui->flash_until - clock_mono_ms()));
        t = min_timeout(t, actions_timeout_ms(ui));
        t = min_timeout(t, discovery_timeout_ms(&ui->disc));
        if (ui->metrics_served)
            t = min_timeout(t, (int)(ui->metrics_next - clock_mono_ms()));
        if (ui->mload[0].active || ui->mload[1].active)
            t = 0;
        if (t < 0)
            t = 0;
        int rc = poll(fds, (nfds_t)n, t);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc < 0)
            continue;
        if (fds[1].revents) {
            unsigned bits = sigpipe_take();
            if (bits & SIGPIPE_QUIT)
                ui->quit = true;
            if (bits & SIGPIPE_WINCH) {
                screen_resize();
                clear();
                ui->dirty = DIRTY_ALL;
            }
        }
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            ui->quit = true; /* the terminal went away */
        if (fds[0].revents & POLLIN) {
            int key;
            while (!ui->quit && (key = getch()) != ERR) {
                keytrace_key(key);
                on_key(a, key);
            }
        }
        http_on_poll(ui->http, fds + 2, n - 2);
    }
}

static void app_free(struct app *a)
{
    struct ui *ui = &a->ui;
    ui_close_dialog(ui);
    actions_free(ui);
    while (ui->depth > 0) {
        struct view *v = ui->stack[--ui->depth];
        v->ops->free(v);
    }
    if (a->started)
        ui_save_context(ui);
    ui_forget_contexts(ui);
    free(ui->last_view);
    free(ui->skin);
    access_free(&ui->access);
    kind_cache_free(&ui->kinds);
    discovery_free(&ui->disc);
    metrics_free(&ui->metrics);
    metrics_loader_free(&ui->mload[0]);
    metrics_loader_free(&ui->mload[1]);
    free(ui->ns);
    for (int i = 0; i < UI_FAVOURITES; i++)
        free(ui->favs[i]);
    for (int i = 0; i < ui->nhist; i++)
        free(ui->hist[i]);
    free(ui->pending_command);
    free(a->filter_before);
    http_free(ui->http);
    kube_conn_free(ui->conn);
    free(ui->conn);
}

int app_run(const struct app_config *cfg, char *err, size_t errlen)
{
    struct app *a = xcalloc(1, sizeof *a);
    struct ui *ui = &a->ui;
    ui->cfg = cfg;
    ui->conn = cfg->conn;
    ui->http = cfg->http;
    ui->show_header = !cfg->headless;
    ui->show_crumbs = !cfg->crumbsless;
    ui->show_logo = !cfg->logoless;
    ui->hist_pos = -1;
    ui->danger = config_danger(cfg->global, cfg->conn->context);
    ui->skin = cfg->skin ? xstrdup(cfg->skin) : NULL;
    if (!preflight(cfg->http, ui->version, sizeof ui->version, err, errlen)) {
        app_free(a);
        free(a);
        return 1;
    }
    /* Favourites and namespace: -A, then -n, then where this context was left, then the
     * kubeconfig's; "default" is always a favourite, as in k9s. */
    const struct config *cc = cfg->context;
    ui_set_namespace(ui, "default");
    for (int i = CONFIG_FAVOURITES; cc && i-- > 0;)
        if (cc->favourites[i])
            ui_set_namespace(ui, cc->favourites[i]);
    const char *ns = cfg->conn->namespace;
    if (!cfg->ns_given && cc && cc->active_ns)
        ns = strcmp(cc->active_ns, "all") == 0 ? NULL : cc->active_ns;
    ui_set_namespace(ui, cfg->all_ns ? NULL : ns);
    discovery_start(&ui->disc, cfg->http);
    if (cfg->command && cfg->command[0]) {
        /* A kind only discovery knows waits for it; meanwhile, and if it fails, pods. */
        ui_command(ui, cfg->command, true);
    }
    if (ui->depth == 0) {
        struct resview_spec first = {.kind = cfg->kind, .ns = ui->ns, .selector = cfg->selector};
        ui_replace(ui, resview_new(ui, &first));
    }
    struct err e = {0}, skin_notice = {0};
    struct screen_config sc = {.color = cfg->color, .skin = cfg->skin};
    if (!screen_begin(&sc, &skin_notice, &e) || !sigpipe_open(&e)) {
        screen_end();
        snprintf(err, errlen, "%s", e.msg);
        app_free(a);
        free(a);
        return 1;
    }
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                  | BUTTON5_PRESSED
#endif
              ,
              NULL);
    mouseinterval(0);
    auth_set_terminal_hooks(http_auth(ui->http), ui_terminal_suspend, ui_terminal_resume, ui);
    log_info("tui: context %s, server %s", cfg->conn->context, cfg->conn->server);
    if (skin_notice.msg[0])
        ui_flash(ui, true, "%s", skin_notice.msg);
    else if (cfg->notice)
        ui_flash(ui, true, "%s", cfg->notice);
    ui->dirty = DIRTY_ALL;
    a->started = true;
    app_loop(a);
    auth_set_terminal_hooks(http_auth(ui->http), NULL, NULL, NULL);
    screen_end();
    sigpipe_close();
    app_free(a);
    free(a);
    return 0;
}
