/* actions — dialogs and requests for the keys that change the cluster. See actions.h.
 *
 * Must not: read the view or the ui's connection after the key press to decide where a request
 * goes (only the pinned targets), or send anything in read-only mode. */
#include "views/actions.h"
#include "client/access.h"
#include "client/op_delete.h"
#include "client/op_drain.h"
#include "client/op_labels.h"
#include "client/op_patch.h"
#include "client/op_rollback.h"
#include "client/op_scale.h"
#include "client/op_trigger.h"
#include "model/labeledit.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/xalloc.h"
#include "views/dialog.h"
#include "views/editjob.h"
#include "views/historyview.h"
#include "views/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DRAINS 8

/* One action in flight: its pinned targets and what it collects. Referenced by its dialog and
 * by each request in flight; freed with the last reference. */
struct act {
    struct ui *ui;
    enum action a;
    struct target *t;
    size_t n;
    int refs;
    struct dialog *d; /* while open; the ui owns it */
    /* results of a multi-target action */
    size_t pending, ok, failed;
    char first_error[512];
    char ok_msg[512];
    /* labels */
    char *rv;
    cJSON *cur_labels, *cur_annotations;
    bool scale_read; /* the replicas field was filled from the server */
};

struct actions {
    struct drain *drains[MAX_DRAINS];
};

static struct actions *state(struct ui *ui)
{
    if (!ui->actions)
        ui->actions = xcalloc(1, sizeof *ui->actions);
    return ui->actions;
}

static struct act *act_ref(struct act *x)
{
    x->refs++;
    return x;
}

static void act_unref(struct act *x)
{
    if (--x->refs > 0)
        return;
    for (size_t i = 0; i < x->n; i++)
        target_free(&x->t[i]);
    free(x->t);
    free(x->rv);
    cJSON_Delete(x->cur_labels);
    cJSON_Delete(x->cur_annotations);
    free(x);
}

static void dialog_gone(void *ud)
{
    struct act *x = ud;
    x->d = NULL;
    act_unref(x);
}

/* The dialog of x, if it is still the one open. */
static struct dialog *open_dialog(struct act *x)
{
    return x->d && x->ui->dialog == x->d ? x->d : NULL;
}

static void close_dialog(struct act *x)
{
    if (open_dialog(x))
        ui_close_dialog(x->ui);
}

/* ---- targets -------------------------------------------------------------------------- */

static void capture(struct ui *ui, const struct kind *k, const struct obj *o, struct target *t)
{
    const struct kube_conn *c = ui->conn;
    struct target_spec s = {
        .context = c->context,
        .cluster = c->cluster,
        .server = http_server(ui->http),
        .session = ui->session,
        .client = http_id(ui->http),
        .kubeconfig = c->source,
        .group = k->group,
        .version = k->version,
        .resource = k->resource,
        .kind = k->kind,
        .namespaced = k->namespaced,
        .ns = obj_str(o, OBJ_NAMESPACE),
        .name = obj_str(o, OBJ_NAME),
        .uid = obj_str(o, OBJ_UID),
    };
    target_init(t, &s);
}

/* The connection the targets were pinned on, or NULL (with a flash) when it is gone. */
static struct http *pinned_http(struct act *x)
{
    if (x->n && x->t[0].session != x->ui->session) {
        ui_flash(x->ui, true, "the context changed since the action started: nothing was sent");
        return NULL;
    }
    return x->ui->http;
}

static void where(struct act *x, struct dialog *d)
{
    const struct target *t = &x->t[0];
    dialog_info(d, "context %s  cluster %s", t->context, t->cluster);
    if (x->ui->danger && d->danger)
        dialog_warn(d, "CAREFUL: %s is a protected context", t->context);
    if (t->namespaced) {
        bool same = true;
        for (size_t i = 1; i < x->n; i++)
            same &= strcmp(x->t[i].ns, t->ns) == 0;
        dialog_info(d, "namespace %s", same ? t->ns : "(several)");
    }
    if (x->n == 1)
        dialog_info(d, "%s %s", t->kind, t->name);
    else
        dialog_info(d, "%zu %ss (marked)", x->n, t->kind);
}

/* ---- results -------------------------------------------------------------------------- */

static void one_done(void *ud, const struct op_result *r)
{
    struct act *x = ud;
    x->pending--;
    if (r->ok) {
        x->ok++;
        snprintf(x->ok_msg, sizeof x->ok_msg, "%s", r->msg);
    } else if (!x->failed++) {
        snprintf(x->first_error, sizeof x->first_error, "%s", r->msg);
    }
    if (x->pending == 0) {
        if (x->failed)
            ui_flash(x->ui, true, "%s%s", x->first_error,
                     x->n > 1 ? (x->ok ? " (others succeeded)" : "") : "");
        else if (x->n > 1)
            ui_flash(x->ui, false, "%s: done for %zu %ss", action_hint(x->a), x->ok, x->t[0].kind);
        else
            ui_flash(x->ui, false, "%s", x->ok_msg);
        x->ui->dirty |= DIRTY_FOOTER;
    }
    act_unref(x);
}

typedef bool (*send_fn)(struct act *x, struct http *h, const struct target *t, struct err *e);

/* Sends one request per target; results are flashed when the last one is in. */
static void send_all(struct act *x, send_fn fn)
{
    struct http *h = pinned_http(x);
    if (!h)
        return;
    for (size_t i = 0; i < x->n; i++) {
        struct err e = {0};
        x->pending++;
        act_ref(x);
        if (!fn(x, h, &x->t[i], &e)) {
            struct op_result r = {0};
            snprintf(r.msg, sizeof r.msg, "%s", e.msg);
            one_done(x, &r);
        }
    }
}

/* ---- scale ------------------------------------------------------------------------------ */

static bool scale_one(struct act *x, struct http *h, const struct target *t, struct err *e)
{
    struct dialog_field *f = &x->d->fields[0];
    return op_scale(h, t, atoi(f->text), one_done, x, e);
}

static void got_replicas(void *ud, const struct http_response *r)
{
    struct act *x = ud;
    struct dialog *d = open_dialog(x);
    if (d && r->error == HTTP_OK && r->status == 200 && !x->scale_read) {
        cJSON *scale = cJSON_ParseWithLength(r->body, r->body_len);
        const cJSON *rep = json_path(scale, "spec", "replicas", NULL);
        if (cJSON_IsNumber(rep) && !d->fields[0].text[0])
            snprintf(d->fields[0].text, sizeof d->fields[0].text, "%d", rep->valueint);
        cJSON_Delete(scale);
        x->scale_read = true;
        x->ui->dirty |= DIRTY_ALL;
    }
    act_unref(x);
}

static bool scale_submit(struct ui *ui, struct dialog *d, int button)
{
    (void)ui;
    struct act *x = d->ud;
    if (button != 1)
        return true;
    const char *v = d->fields[0].text;
    if (!v[0] || strlen(v) > 6) {
        dialog_status(d, true, "replicas: a number from 0 to 999999");
        return false;
    }
    send_all(x, scale_one);
    return true;
}

/* ---- restart, kill, delete, cordon, trigger, suspend -------------------------------------- */

static bool restart_one(struct act *x, struct http *h, const struct target *t, struct err *e)
{
    (void)x;
    return op_restart(h, t, clock_wall_s(), one_done, x, e);
}

static bool cordon_one(struct act *x, struct http *h, const struct target *t, struct err *e)
{
    return op_cordon(h, t, x->a == ACT_CORDON, one_done, x, e);
}

static bool trigger_one(struct act *x, struct http *h, const struct target *t, struct err *e)
{
    return op_trigger(h, t, one_done, x, e);
}

static bool suspend_one(struct act *x, struct http *h, const struct target *t, struct err *e)
{
    return op_suspend(h, t, x->d && x->d->fields[0].checked, one_done, x, e);
}

static const char *const propagations[] = {"Background", "Foreground", "Orphan", NULL};

static bool delete_one(struct act *x, struct http *h, const struct target *t, struct err *e)
{
    if (x->a == ACT_KILL)
        return op_delete(h, t, OP_PROPAGATE_BACKGROUND, 0, one_done, x, e);
    const struct dialog *d = x->d;
    long grace = d->fields[1].text[0] ? atol(d->fields[1].text) : -1;
    return op_delete(h, t, (enum op_propagation)d->fields[0].choice, grace, one_done, x, e);
}

static bool confirm_submit(struct ui *ui, struct dialog *d, int button)
{
    (void)ui;
    struct act *x = d->ud;
    if (button != 1)
        return true;
    switch (x->a) {
    case ACT_RESTART:
        send_all(x, restart_one);
        break;
    case ACT_CORDON:
    case ACT_UNCORDON:
        send_all(x, cordon_one);
        break;
    case ACT_TRIGGER:
        send_all(x, trigger_one);
        break;
    case ACT_SUSPEND:
        send_all(x, suspend_one);
        break;
    case ACT_DELETE:
    case ACT_KILL:
        if (x->a == ACT_DELETE && d->fields[1].text[0] && strlen(d->fields[1].text) > 9) {
            dialog_status(d, true, "grace period: seconds, or empty for the default");
            return false;
        }
        send_all(x, delete_one);
        break;
    default:
        break;
    }
    return true;
}

/* ---- labels ------------------------------------------------------------------------------- */

static bool labels_send(struct act *x, struct dialog *d);

static void labels_done(void *ud, const struct op_result *r)
{
    struct act *x = ud;
    struct dialog *d = open_dialog(x);
    if (d)
        d->busy = false;
    if (r->ok) {
        ui_flash(x->ui, false, "%s", r->msg);
        close_dialog(x);
    } else if (d && r->status == 409) {
        dialog_status(d, true,
                      "conflict: the object changed since it was read. Retry applies "
                      "your edits to the fresh object.");
        d->buttons[1] = "Retry";
        free(x->rv);
        x->rv = NULL; /* Retry reads it again */
    } else if (d) {
        dialog_status(d, true, "%s", r->msg);
    } else {
        ui_flash(x->ui, true, "%s", r->msg);
    }
    x->ui->dirty |= DIRTY_ALL;
    act_unref(x);
}

static void got_labels(void *ud, const cJSON *obj, const struct op_result *r)
{
    struct act *x = ud;
    struct dialog *d = open_dialog(x);
    if (!d) {
        act_unref(x);
        return;
    }
    d->busy = false;
    if (!r->ok) {
        dialog_status(d, true, "%s", r->msg);
    } else {
        const cJSON *md = json_get(obj, "metadata");
        free(x->rv);
        x->rv = xstrdup(json_strz(md, "resourceVersion"));
        cJSON_Delete(x->cur_labels);
        cJSON_Delete(x->cur_annotations);
        x->cur_labels = cJSON_Duplicate(json_get(md, "labels"), 1);
        x->cur_annotations = cJSON_Duplicate(json_get(md, "annotations"), 1);
        char *l = labeledit_format(x->cur_labels), *an = labeledit_format(x->cur_annotations);
        free(d->info[d->ninfo - 2]);
        free(d->info[d->ninfo - 1]);
        d->ninfo -= 2;
        dialog_info(d, "labels: %s", l[0] ? l : "<none>");
        dialog_info(d, "annotations: %s", an[0] ? an : "<none>");
        free(l);
        free(an);
        if (d->buttons[1] && strcmp(d->buttons[1], "Retry") == 0)
            labels_send(x, d); /* the retry of a conflict: same edits, fresh object */
    }
    x->ui->dirty |= DIRTY_ALL;
    act_unref(x);
}

static bool labels_read(struct act *x, struct dialog *d)
{
    struct http *h = pinned_http(x);
    if (!h)
        return false;
    struct err e = {0};
    act_ref(x);
    if (!op_get_object(h, &x->t[0], got_labels, x, &e)) {
        act_unref(x);
        dialog_status(d, true, "%s", e.msg);
        return false;
    }
    d->busy = true;
    return true;
}

static bool labels_send(struct act *x, struct dialog *d)
{
    struct err e = {0};
    cJSON *labels = labeledit_parse(d->fields[0].text, LABELEDIT_LABELS, x->cur_labels, &e);
    cJSON *ann =
        labels ? labeledit_parse(d->fields[1].text, LABELEDIT_ANNOTATIONS, x->cur_annotations, &e)
               : NULL;
    bool ok = false;
    if (!labels || !ann) {
        dialog_status(d, true, "nothing was sent: %s", e.msg);
    } else if (cJSON_GetArraySize(labels) == 0 && cJSON_GetArraySize(ann) == 0) {
        dialog_status(d, true, "no change: type key=value to set or key- to remove");
    } else {
        struct http *h = pinned_http(x);
        act_ref(x);
        if (h && op_labels(h, &x->t[0], x->rv, cJSON_GetArraySize(labels) ? labels : NULL,
                           cJSON_GetArraySize(ann) ? ann : NULL, labels_done, x, &e)) {
            d->busy = true;
            dialog_status(d, false, "applying...");
            ok = true;
        } else {
            act_unref(x);
            if (h)
                dialog_status(d, true, "%s", e.msg);
        }
    }
    cJSON_Delete(labels);
    cJSON_Delete(ann);
    return ok;
}

static bool labels_submit(struct ui *ui, struct dialog *d, int button)
{
    (void)ui;
    struct act *x = d->ud;
    if (button != 1)
        return true;
    if (!x->rv) { /* after a conflict: read the object again, then send */
        labels_read(x, d);
        return false;
    }
    labels_send(x, d);
    return false; /* closes when the server agrees */
}

/* ---- drain -------------------------------------------------------------------------------- */

static void drain_report(void *ud, const char *line, bool done, bool ok)
{
    struct ui *ui = ud;
    ui_flash(ui, done && !ok, "%s", line);
}

static bool drain_submit(struct ui *ui, struct dialog *d, int button)
{
    struct act *x = d->ud;
    if (button != 1)
        return true;
    struct http *h = pinned_http(x);
    if (!h)
        return true;
    struct drain_opts o = {
        .ignore_daemonsets = d->fields[0].checked,
        .delete_emptydir = d->fields[1].checked,
        .force = d->fields[2].checked,
        .grace = d->fields[3].text[0] ? atol(d->fields[3].text) : -1,
        .timeout_s = d->fields[4].text[0] ? atol(d->fields[4].text) : 0,
    };
    struct actions *st = state(ui);
    for (size_t i = 0; i < x->n; i++) {
        size_t slot = 0;
        while (slot < MAX_DRAINS && st->drains[slot])
            slot++;
        if (slot == MAX_DRAINS) {
            ui_flash(ui, true, "too many drains running");
            break;
        }
        struct err e = {0};
        st->drains[slot] = drain_start(h, &x->t[i], &o, clock_mono_ms(), drain_report, ui, &e);
        if (!st->drains[slot])
            ui_flash(ui, true, "drain node/%s: %s", x->t[i].name, e.msg);
    }
    return true;
}

/* ---- starting ----------------------------------------------------------------------------- */

static struct act *act_new(struct ui *ui, enum action a, const struct kind *k,
                           const struct obj *const *rows, size_t n)
{
    struct act *x = xcalloc(1, sizeof *x);
    x->ui = ui;
    x->a = a;
    x->n = n;
    x->t = xcalloc(n, sizeof *x->t);
    for (size_t i = 0; i < n; i++)
        capture(ui, k, rows[i], &x->t[i]);
    x->refs = 1;
    return x;
}

static struct dialog *act_dialog(struct act *x, const char *title, const char *button,
                                 bool destructive, dialog_submit_fn submit)
{
    struct dialog *d = dialog_new(title, button, destructive, submit, act_ref(x), dialog_gone);
    x->d = d;
    where(x, d);
    return d;
}

static const char *row_cell(const struct kind *k, const struct obj *o, const char *column)
{
    for (size_t i = 0; i < k->ncolumns; i++)
        if (strcmp(k->columns[i].name, column) == 0 && k->columns[i].str >= 0)
            return obj_str(o, (unsigned)k->columns[i].str);
    return "";
}

static void open_scale(struct act *x)
{
    struct dialog *d = act_dialog(x, "Scale", "Scale", false, scale_submit);
    dialog_text(d, "Replicas", "")->numeric = true;
    dialog_focus(d, 0);
    dialog_status(d, false, "reading the current replicas...");
    struct strbuf path = {0};
    target_path(&x->t[0], "scale", &path);
    struct err e = {0};
    act_ref(x);
    if (!op_request(x->ui->http, NULL, strbuf_str(&path), NULL, NULL, got_replicas, x, &e)) {
        act_unref(x);
        dialog_status(d, true, "%s", e.msg);
    }
    strbuf_free(&path);
    ui_open_dialog(x->ui, d);
}

static void open_labels(struct act *x)
{
    struct dialog *d = act_dialog(x, "Labels and annotations", "Apply", false, labels_submit);
    dialog_info(d, "labels: ...");
    dialog_info(d, "annotations: ...");
    dialog_text(d, "Labels", "");
    dialog_text(d, "Annotations", "");
    dialog_focus(d, 0);
    dialog_status(d, false, "key=value sets, key- removes; Tab switches to annotations");
    ui_open_dialog(x->ui, d);
    labels_read(x, d);
}

static void open_drain(struct act *x)
{
    struct dialog *d = act_dialog(x, "Drain", "Drain", true, drain_submit);
    dialog_check(d, "Ignore DaemonSets", true);
    dialog_check(d, "Delete emptyDir data", false);
    dialog_check(d, "Force (pods without a controller)", false);
    dialog_text(d, "Grace period (s, empty: the pod's)", "")->numeric = true;
    dialog_text(d, "Timeout (s, empty: none)", "300")->numeric = true;
    ui_open_dialog(x->ui, d);
}

void actions_start(struct ui *ui, enum action a, const struct kind *k,
                   const struct obj *const *rows, size_t n)
{
    if (http_readonly(ui->http)) { /* this context's (contexts.c sets it on every switch) */
        ui_flash(ui, true, "read-only: %s is disabled", action_hint(a));
        return;
    }
    if (n == 0) {
        ui_flash(ui, true, "nothing selected");
        return;
    }
    if (k->project_many || (k->caps & KIND_LOCAL)) {
        ui_flash(ui, true, "%s: not available on %s", action_hint(a), k->resource);
        return;
    }
    const char *reason;
    if (actions_forbidden(ui, a, k, obj_str(rows[0], OBJ_NAMESPACE), &reason)) {
        ui_flash(ui, true, "forbidden: you may not %s %s%s%s", action_hint(a), k->resource,
                 reason[0] ? ": " : "", reason);
        return;
    }
    struct act *x = act_new(ui, a, k, rows, n);
    struct dialog *d;
    switch (a) {
    case ACT_SCALE:
        open_scale(x);
        break;
    case ACT_RESTART:
        d = act_dialog(x, "Restart", "Restart", true, confirm_submit);
        dialog_info(d, "rolls every pod, as kubectl rollout restart");
        ui_open_dialog(ui, d);
        break;
    case ACT_DELETE:
        d = act_dialog(x, "Delete", "Delete", true, confirm_submit);
        dialog_choice(d, "Propagation", propagations, 0);
        dialog_text(d, "Grace period (s, empty: default)", "")->numeric = true;
        dialog_focus(d, 2); /* Cancel */
        ui_open_dialog(ui, d);
        break;
    case ACT_KILL:
        d = act_dialog(x, "Kill", "Kill", true, confirm_submit);
        dialog_info(d, "deletes at once, without a grace period");
        ui_open_dialog(ui, d);
        break;
    case ACT_LABELS:
        open_labels(x);
        break;
    case ACT_CORDON:
    case ACT_UNCORDON:
        d = act_dialog(x, a == ACT_CORDON ? "Cordon" : "Uncordon",
                       a == ACT_CORDON ? "Cordon" : "Uncordon", false, confirm_submit);
        ui_open_dialog(ui, d);
        break;
    case ACT_DRAIN:
        open_drain(x);
        break;
    case ACT_TRIGGER:
        d = act_dialog(x, "Trigger", "Trigger", false, confirm_submit);
        dialog_info(d, "creates a Job from the cron job's template now");
        ui_open_dialog(ui, d);
        break;
    case ACT_SUSPEND: {
        bool suspended = strcmp(row_cell(k, rows[0], "SUSPEND"), "True") == 0;
        d = act_dialog(x, suspended ? "Resume" : "Suspend", suspended ? "Resume" : "Suspend", false,
                       confirm_submit);
        dialog_check(d, "Suspended", !suspended);
        dialog_focus(d, 2);
        ui_open_dialog(ui, d);
        break;
    }
    case ACT_ROLLBACK:
        historyview_open(ui, &x->t[0]);
        break;
    case ACT_EDIT:
        editjob_start(ui, &x->t[0]);
        break;
    default:
        ui_flash(ui, true, "%s: not available here", action_hint(a));
        break;
    }
    act_unref(x);
}

/* ---- permissions ---------------------------------------------------------------------------- */

bool actions_forbidden(struct ui *ui, enum action a, const struct kind *k, const char *ns,
                       const char **reason)
{
    *reason = "";
    struct access_question q = {.group = k->group, .resource = k->resource, .ns = ns};
    switch (a) {
    case ACT_SCALE:
        q.verb = "patch";
        q.subresource = "scale";
        break;
    case ACT_RESTART:
    case ACT_ROLLBACK:
    case ACT_LABELS:
    case ACT_CORDON:
    case ACT_UNCORDON:
    case ACT_SUSPEND:
        q.verb = "patch";
        break;
    case ACT_EDIT:
        q.verb = "update";
        break;
    case ACT_DELETE:
    case ACT_KILL:
        q.verb = "delete";
        break;
    case ACT_DRAIN:
        q.verb = "create";
        q.group = "";
        q.resource = "pods";
        q.subresource = "eviction";
        q.ns = NULL;
        break;
    case ACT_TRIGGER:
        q.verb = "create";
        q.group = "batch";
        q.resource = "jobs";
        break;
    default:
        return false;
    }
    return access_check(&ui->access, ui->http, &q, reason) == ACCESS_DENIED;
}

/* ---- background work ------------------------------------------------------------------------ */

void actions_tick(struct ui *ui)
{
    editjob_tick(ui);
    if (!ui->actions)
        return;
    struct actions *st = ui->actions;
    int64_t now = clock_mono_ms();
    for (size_t i = 0; i < MAX_DRAINS; i++) {
        if (!st->drains[i])
            continue;
        drain_tick(st->drains[i], now);
        if (drain_finished(st->drains[i])) {
            drain_free(st->drains[i]);
            st->drains[i] = NULL;
        }
    }
}

int actions_timeout_ms(struct ui *ui)
{
    int best = editjob_timeout_ms(ui);
    if (!ui->actions)
        return best;
    int64_t now = clock_mono_ms();
    for (size_t i = 0; i < MAX_DRAINS; i++) {
        if (!ui->actions->drains[i])
            continue;
        int t = drain_finished(ui->actions->drains[i])
                    ? 0
                    : drain_timeout_ms(ui->actions->drains[i], now);
        if (t >= 0 && (best < 0 || t < best))
            best = t;
    }
    return best;
}

void actions_free(struct ui *ui)
{
    editjob_free(ui);
    if (!ui->actions)
        return;
    for (size_t i = 0; i < MAX_DRAINS; i++)
        drain_free(ui->actions->drains[i]);
    free(ui->actions);
    ui->actions = NULL;
}
