/* historyview — `ctrl-l`: the rollout history of a deployment, statefulset or daemonset, newest
 * first, with CHANGE-CAUSE, images and age; the current revision is marked and the previous one
 * selected. Enter asks to roll back to the selected revision, showing the pod-template diff
 * between the current and the chosen revision. On a ReplicaSet, ctrl-l finds the owning
 * deployment and asks to roll it back to that ReplicaSet's revision.
 *
 * Must not: roll back anything but the pinned target the view was opened for. */
#include "views/historyview.h"
#include "client/op.h"
#include "client/op_rollback.h"
#include "client/reflector.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/linediff.h"
#include "util/sanitize.h"
#include "util/xalloc.h"
#include "util/yamlemit.h"
#include "views/dialog.h"
#include "views/screen.h"
#include "views/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hv_req;

struct historyview {
    struct view base;
    struct ui *ui;
    struct target t;      /* the deployment, statefulset or daemonset */
    struct history *hist; /* owned, NULL while loading */
    char error[512];
    size_t sel, top;
    int page;
    int64_t want;           /* a revision to select and offer once loaded (0: none) */
    struct hv_req *req;     /* the read in flight, or NULL */
    struct reflector *refl; /* watches the target: a new revision reloads the history */
    char seen[96];          /* generation and revision last seen */
    bool stale;
};

/* A read in flight outlives the view if it must: the view detaches it when it goes. */
struct hv_req {
    struct historyview *hv;
};

static void load(struct historyview *hv);
static void ask(struct historyview *hv, const struct revision *rev);

static void got_history(void *ud, struct history *hist, const struct op_result *r)
{
    struct hv_req *req = ud;
    struct historyview *hv = req->hv;
    free(req);
    if (!hv) {
        history_free(hist);
        return;
    }
    hv->req = NULL;
    history_free(hv->hist);
    hv->hist = hist;
    hv->error[0] = '\0';
    if (!hist) {
        snprintf(hv->error, sizeof hv->error, "%s", r->msg);
    } else {
        const struct revision *pick = hv->want ? history_find(hist, hv->want) : NULL;
        if (!pick)
            pick = history_previous(hist);
        hv->sel = pick ? (size_t)(pick - hist->v) : 0;
        if (hv->want) {
            hv->want = 0;
            if (pick)
                ask(hv, pick);
        }
    }
    hv->ui->dirty |= DIRTY_ALL;
}

static void load(struct historyview *hv)
{
    if (hv->req)
        return;
    if (hv->t.session != hv->ui->session) {
        snprintf(hv->error, sizeof hv->error, "the context changed: this history is not live");
        return;
    }
    struct hv_req *req = xcalloc(1, sizeof *req);
    req->hv = hv;
    struct err e = {0};
    if (!op_history(hv->ui->http, &hv->t, got_history, req, &e)) {
        free(req);
        snprintf(hv->error, sizeof hv->error, "%s", e.msg);
        return;
    }
    hv->req = req;
}

/* The history changes when the template does (generation) or the controller numbers a new
 * revision; status updates during a rollout do not reload it. */
static void on_target(void *ud, enum reflector_op op, const cJSON *obj)
{
    struct historyview *hv = ud;
    if (op == REFLECTOR_DELETE)
        return;
    const cJSON *md = json_get(obj, "metadata");
    char key[96];
    snprintf(key, sizeof key, "%lld/%s/%lld", (long long)json_int(md, "generation", 0),
             json_strz(json_get(md, "annotations"), "deployment.kubernetes.io/revision"),
             (long long)json_int(json_get(obj, "status"), "observedGeneration", 0));
    if (hv->seen[0] && strcmp(key, hv->seen) != 0)
        hv->stale = true;
    snprintf(hv->seen, sizeof hv->seen, "%s", key);
}

static const struct reflector_ops target_ops = {NULL, on_target, NULL, NULL};

/* ---- the rollback dialog ------------------------------------------------------------------ */

struct rb {
    struct historyview *hv; /* cleared when the view goes */
    struct ui *ui;
    struct target t;
    struct history *hist; /* a copy's worth: the view's may be replaced */
    int64_t revision;
};

static struct rb *open_rb; /* the dialog in flight, so the view can detach from it */

static void rb_free(void *ud)
{
    struct rb *rb = ud;
    if (open_rb == rb)
        open_rb = NULL;
    target_free(&rb->t);
    free(rb);
}

static void rolled_back(void *ud, const struct op_result *r)
{
    struct ui *ui = ud;
    ui_flash(ui, !r->ok, "%s", r->msg); /* the view's watch reloads the history */
}

static bool rb_submit(struct ui *ui, struct dialog *d, int button)
{
    struct rb *rb = d->ud;
    if (button != 1)
        return true;
    if (rb->t.session != ui->session) {
        ui_flash(ui, true, "the context changed since the action started: nothing was sent");
        return true;
    }
    if (!rb->hv || !rb->hv->hist) {
        ui_flash(ui, true, "the history is gone: nothing was sent");
        return true;
    }
    struct err e = {0};
    if (!op_rollback(ui->http, &rb->t, rb->hv->hist, rb->revision, rolled_back, ui, &e)) {
        dialog_status(d, true, "%s", e.msg);
        return false;
    }
    return true;
}

static char *template_yaml(const cJSON *tmpl)
{
    struct strbuf sb = {0};
    struct err e = {0};
    if (!yamlemit_write(tmpl, &sb, &e))
        strbuf_printf(&sb, "(%s)\n", e.msg);
    return strbuf_take(&sb);
}

static void ask(struct historyview *hv, const struct revision *rev)
{
    struct ui *ui = hv->ui;
    const struct history *h = hv->hist;
    if (rev->number == h->current) {
        ui_flash(ui, true, "revision %lld is the current one", (long long)rev->number);
        return;
    }
    const struct revision *cur = history_find(h, h->current);
    struct rb *rb = xcalloc(1, sizeof *rb);
    rb->hv = hv;
    rb->ui = ui;
    target_copy(&rb->t, &hv->t);
    rb->revision = rev->number;
    struct dialog *d = dialog_new("Roll back", "Roll back", true, rb_submit, rb, rb_free);
    open_rb = rb;
    dialog_info(d, "context %s  cluster %s", hv->t.context, hv->t.cluster);
    if (ui->danger)
        dialog_warn(d, "CAREFUL: %s is a protected context", hv->t.context);
    if (hv->t.ns[0])
        dialog_info(d, "namespace %s", hv->t.ns);
    dialog_info(d, "%s %s: revision %lld -> %lld", hv->t.kind, hv->t.name, (long long)h->current,
                (long long)rev->number);
    dialog_info(d, "pod template changes (- current, + revision %lld):", (long long)rev->number);
    const cJSON *live = cur ? cur->pod_template : json_path(h->owner, "spec", "template", NULL);
    char *a = template_yaml(live), *b = template_yaml(rev->pod_template);
    struct strbuf diff = {0};
    if (!linediff(a, b, 3, &diff))
        strbuf_puts(&diff, "  (no change in the pod template)\n");
    dialog_body(d, strbuf_str(&diff));
    strbuf_free(&diff);
    free(a);
    free(b);
    ui_open_dialog(ui, d);
}

/* ---- the view ------------------------------------------------------------------------------ */

static struct historyview *hv_of(struct view *v)
{
    return (struct historyview *)v;
}

static void hv_free(struct view *v)
{
    struct historyview *hv = hv_of(v);
    if (hv->req)
        hv->req->hv = NULL;
    if (open_rb && open_rb->hv == hv)
        open_rb->hv = NULL;
    reflector_free(hv->refl);
    history_free(hv->hist);
    target_free(&hv->t);
    free(hv);
}

static bool hv_sync(struct view *v, struct ui *ui)
{
    (void)ui;
    struct historyview *hv = hv_of(v);
    reflector_tick(hv->refl);
    if (!hv->stale || hv->req)
        return false;
    hv->stale = false;
    load(hv);
    return true;
}

static void hv_tick(struct view *v)
{
    reflector_tick(hv_of(v)->refl);
}

static int hv_timeout(const struct view *v, struct ui *ui)
{
    (void)ui;
    return reflector_timeout_ms(((const struct historyview *)v)->refl);
}

static void hv_crumb(const struct view *v, char *buf, size_t n)
{
    const struct historyview *hv = (const struct historyview *)v;
    snprintf(buf, n, "history:%s", hv->t.name);
}

static void hv_draw(struct view *v, struct ui *ui, int y, int x, int h, int w)
{
    struct historyview *hv = hv_of(v);
    for (int i = 0; i < h; i++)
        screen_fill(y + i, x, w, STYLE_DEFAULT);
    if (h <= 2 || w <= 4)
        return;
    screen_box(y, x, h, w, STYLE_BORDER);
    char title[400];
    snprintf(title, sizeof title, " rollout history(%s/%s)[%zu] ", hv->t.resource, hv->t.name,
             hv->hist ? hv->hist->n : 0);
    int tw = screen_width(title);
    screen_text(y, x + (w - (tw < w - 2 ? tw : w - 2)) / 2, w - 2, title, STYLE_TITLE);
    int iy = y + 1, ix = x + 1, iw = w - 2, body = h - 3;
    if (!hv->hist) {
        screen_text(iy, ix + 1, iw - 1, hv->error[0] ? hv->error : "Loading...",
                    hv->error[0] ? STYLE_FLASH_ERROR : STYLE_ROW);
        return;
    }
    enum { C_REV = 12, C_CAUSE = 36, C_AGE = 8 };
    int c_img = iw - 1 - C_REV - C_CAUSE - C_AGE - 6;
    if (c_img < 10)
        c_img = 10;
    char line[1024];
    snprintf(line, sizeof line, "%-*s  %-*s  %-*s  %s", C_REV, "REVISION", C_CAUSE, "CHANGE-CAUSE",
             c_img, "IMAGES", "AGE");
    screen_text(iy, ix + 1, iw - 1, line, STYLE_TABLE_HEADER);
    hv->page = body > 0 ? body : 1;
    if (hv->sel < hv->top)
        hv->top = hv->sel;
    if (body > 0 && hv->sel >= hv->top + (size_t)body)
        hv->top = hv->sel - (size_t)body + 1;
    for (int r = 0; r < body; r++) {
        size_t i = hv->top + (size_t)r;
        if (i >= hv->hist->n)
            break;
        const struct revision *rev = &hv->hist->v[i];
        char num[32], age[32];
        snprintf(num, sizeof num, "%lld%s", (long long)rev->number,
                 rev->number == hv->hist->current ? " *current" : "");
        duration_age(ui->now, rev->created, age, sizeof age);
        struct strbuf cause = {0}, img = {0};
        sanitize_append(&cause, rev->change_cause, strlen(rev->change_cause),
                        SANITIZE_TAB_TO_SPACE);
        sanitize_append(&img, rev->images, strlen(rev->images), SANITIZE_TAB_TO_SPACE);
        snprintf(line, sizeof line, "%-*s  %-*.*s  %-*.*s  %s", C_REV, num, C_CAUSE, C_CAUSE,
                 cause.len ? strbuf_str(&cause) : "<none>", c_img, c_img, strbuf_str(&img), age);
        strbuf_free(&cause);
        strbuf_free(&img);
        enum style st = i == hv->sel ? STYLE_ROW_SELECTED : STYLE_ROW;
        screen_fill(iy + 1 + r, ix, iw, st);
        screen_text(iy + 1 + r, ix + 1, iw - 1, line, st);
    }
}

static unsigned hv_act(struct view *v, struct ui *ui, enum action a, int key)
{
    (void)ui;
    (void)key;
    struct historyview *hv = hv_of(v);
    size_t n = hv->hist ? hv->hist->n : 0;
    size_t page = hv->page > 1 ? (size_t)hv->page : 1;
    switch (a) {
    case ACT_UP:
        if (hv->sel > 0)
            hv->sel--;
        return REACT_REDRAW;
    case ACT_DOWN:
        if (hv->sel + 1 < n)
            hv->sel++;
        return REACT_REDRAW;
    case ACT_TOP:
        hv->sel = 0;
        return REACT_REDRAW;
    case ACT_BOTTOM:
        hv->sel = n ? n - 1 : 0;
        return REACT_REDRAW;
    case ACT_PAGE_UP:
        hv->sel = hv->sel > page ? hv->sel - page : 0;
        return REACT_REDRAW;
    case ACT_PAGE_DOWN:
        hv->sel = n && hv->sel + page < n ? hv->sel + page : n ? n - 1 : 0;
        return REACT_REDRAW;
    case ACT_ENTER:
        if (hv->sel < n)
            ask(hv, &hv->hist->v[hv->sel]);
        return REACT_REDRAW;
    default:
        return REACT_UNHANDLED;
    }
}

static const struct view_ops hv_ops = {
    .tick = hv_tick,
    .timeout_ms = hv_timeout,
    .name = "history",
    .keymap = &keymap_history,
    .free = hv_free,
    .sync = hv_sync,
    .draw = hv_draw,
    .act = hv_act,
    .crumb = hv_crumb,
};

const struct view_ops *historyview_ops(void)
{
    return &hv_ops;
}

static void push(struct ui *ui, const struct target *t, int64_t want)
{
    struct historyview *hv = xcalloc(1, sizeof *hv);
    hv->base.ops = &hv_ops;
    hv->ui = ui;
    target_copy(&hv->t, t);
    hv->want = want;
    struct strbuf path = {0}, fs = {0};
    target_sibling_path(t, t->group, t->version, t->resource, &path);
    strbuf_printf(&fs, "metadata.name=%s", t->name);
    struct reflector_spec spec = {.path = strbuf_str(&path), .field_selector = strbuf_str(&fs)};
    hv->refl = reflector_new(ui->http, &spec, &target_ops, hv);
    reflector_start(hv->refl);
    strbuf_free(&path);
    strbuf_free(&fs);
    ui_push(ui, &hv->base);
    load(hv);
}

/* ---- from a ReplicaSet ------------------------------------------------------------------------
 */

struct rs_ctx {
    struct ui *ui;
    unsigned session;
    unsigned long client;
};

static void got_rs(void *ud, const cJSON *rs, const struct op_result *r)
{
    struct rs_ctx c = *(struct rs_ctx *)ud;
    free(ud);
    struct ui *ui = c.ui;
    if (!r->ok) {
        ui_flash(ui, true, "rollback: %s", r->msg);
        return;
    }
    if (c.session != ui->session)
        return; /* another context now: nothing to open */
    const cJSON *md = json_get(rs, "metadata"), *ref, *owner = NULL;
    cJSON_ArrayForEach(ref, json_get(md, "ownerReferences"))
    {
        if (json_true(ref, "controller") && strcmp(json_strz(ref, "kind"), "Deployment") == 0)
            owner = ref;
    }
    const char *rev = json_str(json_get(md, "annotations"), "deployment.kubernetes.io/revision");
    if (!owner || !rev) {
        ui_flash(ui, true, "rollback: replicaset/%s has no owning deployment revision",
                 json_strz(md, "name"));
        return;
    }
    struct target_spec s = {
        .context = ui->conn->context,
        .cluster = ui->conn->cluster,
        .server = http_server(ui->http),
        .kubeconfig = ui->conn->source,
        .session = c.session,
        .client = c.client,
        .group = "apps",
        .version = "v1",
        .resource = "deployments",
        .kind = "Deployment",
        .namespaced = true,
        .ns = json_strz(md, "namespace"),
        .name = json_strz(owner, "name"),
        .uid = json_strz(owner, "uid"),
    };
    struct target t;
    target_init(&t, &s);
    push(ui, &t, strtoll(rev, NULL, 10));
    target_free(&t);
}

void historyview_open(struct ui *ui, const struct target *t)
{
    if (strcmp(t->resource, "replicasets") == 0) {
        struct rs_ctx *c = xmalloc(sizeof *c);
        c->ui = ui;
        c->session = t->session;
        c->client = t->client;
        struct err e = {0};
        if (!op_get_object(ui->http, t, got_rs, c, &e)) {
            free(c);
            ui_flash(ui, true, "rollback: %s", e.msg);
        }
        return;
    }
    push(ui, t, 0);
}
