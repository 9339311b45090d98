/* editjob — read, edit, validate, PUT, and reopen on failure. See editjob.h. */
#include "views/editjob.h"
#include "client/op.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/mergepatch.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"
#include "util/yamlemit.h"
#include "views/editor.h"
#include "views/ui.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_EDIT (16 * 1024 * 1024)

enum edit_phase { EDIT_READING, EDIT_WAITING, EDIT_SAVING };

struct editjob {
    struct ui *ui;
    struct target t;
    enum edit_phase phase;
    char *path;      /* the temp file */
    char *original;  /* the object's YAML as first shown (after a conflict: as it is now) */
    char *rv;        /* the resourceVersion the PUT carries */
    char *fresh_rv;  /* after a conflict: the latest one, used by the next save */
    bool conflicted; /* the next save overrides a conflict */
    bool users_text; /* the file holds text the user wrote (a reopen after a failed save) */
    bool run;        /* the editor must run at the next tick */
    bool abandoned;  /* the ui went away while a request was in flight */
};

static const char header[] =
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n";

static void job_free(struct editjob *j)
{
    target_free(&j->t);
    free(j->path);
    free(j->original);
    free(j->rv);
    free(j->fresh_rv);
    free(j);
}

static void finish(struct ui *ui, bool remove_file)
{
    struct editjob *j = ui->edit;
    if (!j)
        return;
    if (remove_file && j->path)
        unlink(j->path);
    ui->edit = NULL;
    job_free(j);
}

char *editjob_strip_comments(const char *text)
{
    struct strbuf sb = {0};
    while (*text) {
        size_t n = strcspn(text, "\n");
        if (text[0] != '#') {
            strbuf_append(&sb, text, n);
            strbuf_putc(&sb, '\n');
        }
        text += n;
        if (*text)
            text++;
    }
    return strbuf_take(&sb);
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\t' && *s != '\r')
            return false;
    return true;
}

/* Writes the file: the header, the error (as comments) and the text. */
static bool write_file(struct editjob *j, const char *error, const char *text, struct err *e)
{
    FILE *f = fopen(j->path, "w");
    if (!f)
        return err_set(e, "cannot write %s: %s", j->path, strerror(errno));
    fputs(header, f);
    if (error && error[0]) {
        fputs("# ", f);
        for (const char *p = error; *p; p++) {
            fputc(*p, f);
            if (*p == '\n')
                fputs("# ", f);
        }
        fputs("\n#\n", f);
    }
    fputs(text, f);
    bool ok = fflush(f) == 0;
    ok &= fclose(f) == 0;
    return ok ? true : err_set(e, "cannot write %s", j->path);
}

static void reopen(struct editjob *j, const char *error, const char *text)
{
    struct err e = {0};
    if (!write_file(j, error, text, &e)) {
        ui_flash(j->ui, true, "edit: %s", e.msg);
        finish(j->ui, false);
        return;
    }
    j->phase = EDIT_WAITING;
    j->run = true;
    j->users_text = error != NULL;
}

/* ---- saving ------------------------------------------------------------------------------ */

struct save_ctx {
    struct editjob *j;
    char *text; /* the user's text, for a reopen */
};

/* A save's reply arrives after the ui let the job go: it ends here. */
static bool save_abandoned(struct save_ctx *c)
{
    if (!c->j->abandoned)
        return false;
    job_free(c->j);
    free(c->text);
    free(c);
    return true;
}

/* YAML text as a JSON tree, or NULL. */
static cJSON *yaml_tree(const char *text)
{
    struct yamldoc doc;
    struct err e = {0};
    if (!yamldoc_load(&doc, text, strlen(text), &e))
        return NULL;
    cJSON *obj = yamldoc_to_json(&doc, yamldoc_root(&doc));
    yamldoc_free(&doc);
    return obj;
}

/* The object as the editor shows it: without managedFields. */
static bool shown_yaml(const cJSON *obj, struct strbuf *out, struct err *e)
{
    cJSON *copy = cJSON_Duplicate(obj, 1);
    cJSON_DeleteItemFromObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(copy, "metadata"),
                                            "managedFields");
    bool ok = yamlemit_write(copy, out, e);
    cJSON_Delete(copy);
    return ok;
}

/* After a conflict: the user's changes (what they changed from the text they were shown, as a
 * merge patch) carried onto the latest object, as YAML; NULL when that cannot be done. So a
 * second save keeps what the other writer changed meanwhile, as kubectl edit does. The latest
 * object becomes the new original. */
static char *carry_over(struct editjob *j, const char *mine_text, const cJSON *latest)
{
    cJSON *orig = yaml_tree(j->original), *mine = yaml_tree(mine_text);
    char *out = NULL;
    struct strbuf latest_yaml = {0}, merged_yaml = {0};
    struct err e = {0};
    if (cJSON_IsObject(orig) && cJSON_IsObject(mine) && shown_yaml(latest, &latest_yaml, &e)) {
        cJSON *patch = mergepatch_diff(orig, mine);
        cJSON *md = cJSON_GetObjectItemCaseSensitive(patch, "metadata");
        cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion"); /* the latest's stands */
        cJSON *merged = mergepatch_apply(cJSON_Duplicate(latest, 1), patch);
        if (shown_yaml(merged, &merged_yaml, &e)) {
            out = strbuf_take(&merged_yaml);
            free(j->original);
            j->original = strbuf_take(&latest_yaml);
        }
        cJSON_Delete(merged);
        cJSON_Delete(patch);
    }
    strbuf_free(&latest_yaml);
    strbuf_free(&merged_yaml);
    cJSON_Delete(orig);
    cJSON_Delete(mine);
    return out;
}

static void got_latest(void *ud, const cJSON *obj, const struct op_result *r)
{
    struct save_ctx *c = ud;
    struct editjob *j = c->j;
    if (save_abandoned(c))
        return;
    char why[1200];
    char *merged = NULL;
    if (r->ok) {
        free(j->fresh_rv);
        j->fresh_rv = xstrdup(json_strz(json_get(obj, "metadata"), "resourceVersion"));
        j->conflicted = true;
        merged = carry_over(j, c->text, obj);
        snprintf(why, sizeof why, "%s",
                 merged ? "error: the object changed on the server since you opened it.\nYour "
                          "changes are applied to its latest version below: save to send them, "
                          "or quit without saving to cancel."
                        : "error: the object changed on the server since you opened it.\nSaving "
                          "again applies your text over the latest version; quit without saving "
                          "to cancel.");
    } else {
        snprintf(why, sizeof why,
                 "error: the object changed on the server, and reading it "
                 "again failed: %s",
                 r->msg);
    }
    reopen(j, why, merged ? merged : c->text);
    free(merged);
    free(c->text);
    free(c);
    j->ui->dirty |= DIRTY_ALL;
}

static void saved(void *ud, const struct op_result *r)
{
    struct save_ctx *c = ud;
    struct editjob *j = c->j;
    if (save_abandoned(c))
        return;
    struct ui *ui = j->ui;
    if (r->ok) {
        ui_flash(ui, false, "%s", r->msg);
        finish(ui, true);
    } else if (r->status == 409) {
        ui_flash(ui, true, "edit: %s", r->msg);
        struct err e = {0};
        if (op_get_object(ui->http, &j->t, got_latest, c, &e))
            return; /* c travels on */
        struct op_result fr = {0};
        snprintf(fr.msg, sizeof fr.msg, "%s", e.msg);
        got_latest(c, NULL, &fr);
        return;
    } else if (r->status >= 400 && r->status < 500) {
        char why[700];
        snprintf(why, sizeof why, "error: %s", r->msg);
        ui_flash(ui, true, "edit: %s", r->msg);
        reopen(j, why, c->text);
    } else {
        ui_flash(ui, true, "edit not saved: %s; your text is in %s", r->msg, j->path);
        finish(ui, false);
    }
    free(c->text);
    free(c);
}

static void saved_edit(struct editjob *j, const char *text)
{
    struct ui *ui = j->ui;
    if (blank(text)) {
        ui_flash(ui, false, "Edit cancelled, saved file was empty.");
        finish(ui, true);
        return;
    }
    if (strcmp(text, j->original) == 0 && !j->conflicted) {
        ui_flash(ui, false, "Edit cancelled, no changes made.");
        finish(ui, true);
        return;
    }
    struct yamldoc doc;
    struct err e = {0};
    cJSON *obj = NULL;
    if (yamldoc_load(&doc, text, strlen(text), &e)) {
        obj = yamldoc_to_json(&doc, yamldoc_root(&doc));
        yamldoc_free(&doc);
        if (!cJSON_IsObject(obj))
            err_set(&e, "the file must hold one object");
    }
    cJSON *md =
        json_get(obj, "metadata") ? cJSON_GetObjectItemCaseSensitive(obj, "metadata") : NULL;
    if (!e.msg[0] && !cJSON_IsObject(md))
        err_set(&e, "the object has no metadata");
    if (!e.msg[0] && strcmp(json_strz(md, "name"), j->t.name) != 0)
        err_set(&e, "metadata.name cannot be changed (it was %s)", j->t.name);
    if (!e.msg[0] && j->t.namespaced && json_str(md, "namespace") &&
        strcmp(json_strz(md, "namespace"), j->t.ns) != 0)
        err_set(&e, "metadata.namespace cannot be changed (it was %s)", j->t.ns);
    if (e.msg[0]) {
        char why[700];
        snprintf(why, sizeof why, "error: %s", e.msg);
        cJSON_Delete(obj);
        reopen(j, why, text);
        return;
    }
    /* Pinned: the uid of the object that was read, and the resourceVersion it had (or, after a
     * conflict the user chose to override, the latest). */
    cJSON_DeleteItemFromObjectCaseSensitive(md, "uid");
    cJSON_AddStringToObject(md, "uid", j->t.uid);
    cJSON_DeleteItemFromObjectCaseSensitive(md, "resourceVersion");
    const char *rv = j->conflicted && j->fresh_rv ? j->fresh_rv : j->rv;
    cJSON_AddStringToObject(md, "resourceVersion", rv);
    struct strbuf path = {0}, msg = {0};
    target_path(&j->t, NULL, &path);
    target_describe(&j->t, &msg);
    strbuf_puts(&msg, " edited");
    struct save_ctx *c = xmalloc(sizeof *c);
    c->j = j;
    c->text = xstrdup(text);
    if (op_send_json(ui->http, "PUT", strbuf_str(&path), OP_JSON, obj, strbuf_str(&msg), saved, c,
                     &e)) {
        j->phase = EDIT_SAVING;
        j->conflicted = false;
    } else {
        ui_flash(ui, true, "edit: %s; your text is in %s", e.msg, j->path);
        free(c->text);
        free(c);
        finish(ui, false);
    }
    strbuf_free(&path);
    strbuf_free(&msg);
    cJSON_Delete(obj);
}

/* ---- editing ----------------------------------------------------------------------------- */

void editjob_tick(struct ui *ui)
{
    struct editjob *j = ui->edit;
    if (!j || !j->run)
        return;
    j->run = false;
    if (j->t.session != ui->session) {
        ui_flash(ui, true, "the context changed since the edit started: nothing was sent");
        finish(ui, false);
        return;
    }
    struct err e = {0};
    bool ok = editor_run(j->path, &e);
    ui->dirty = DIRTY_ALL;
    if (!ok) {
        if (j->users_text) { /* never lose what the user wrote: the file stays */
            ui_flash(ui, true, "edit cancelled: %s; your text is in %s", e.msg, j->path);
            finish(ui, false);
            return;
        }
        ui_flash(ui, true, "edit cancelled: %s", e.msg);
        finish(ui, true);
        return;
    }
    struct strbuf raw = {0};
    if (!fs_read_file(j->path, MAX_EDIT, &raw, &e)) {
        ui_flash(ui, true, "edit: %s", e.msg);
        strbuf_free(&raw);
        finish(ui, false);
        return;
    }
    char *text = editjob_strip_comments(strbuf_str(&raw));
    strbuf_free(&raw);
    saved_edit(j, text);
    free(text);
}

int editjob_timeout_ms(struct ui *ui)
{
    return ui->edit && ui->edit->run ? 0 : -1;
}

static void got_object(void *ud, const cJSON *obj, const struct op_result *r)
{
    struct editjob *j = ud;
    if (j->abandoned) {
        job_free(j);
        return;
    }
    struct ui *ui = j->ui;
    if (!r->ok) {
        ui_flash(ui, true, "edit: %s", r->msg);
        finish(ui, false);
        return;
    }
    struct strbuf yaml = {0};
    struct err e = {0};
    if (!shown_yaml(obj, &yaml, &e)) {
        ui_flash(ui, true, "edit: %s", e.msg);
        strbuf_free(&yaml);
        finish(ui, false);
        return;
    }
    j->original = strbuf_take(&yaml);
    j->rv = xstrdup(json_strz(json_get(obj, "metadata"), "resourceVersion"));
    const char *dir = getenv("TMPDIR");
    struct strbuf path = {0};
    strbuf_printf(&path, "%s/timon-edit-XXXXXX.yaml", dir && dir[0] ? dir : "/tmp");
    j->path = strbuf_take(&path);
    int fd = mkstemps(j->path, 5); /* 0600 */
    if (fd < 0) {
        ui_flash(ui, true, "edit: cannot create a file in %s: %s", dir ? dir : "/tmp",
                 strerror(errno));
        free(j->path);
        j->path = NULL;
        finish(ui, false);
        return;
    }
    close(fd);
    reopen(j, NULL, j->original);
    ui->dirty |= DIRTY_ALL;
}

void editjob_start(struct ui *ui, const struct target *t)
{
    if (ui->edit) {
        ui_flash(ui, true, "an edit is already in progress");
        return;
    }
    struct editjob *j = xcalloc(1, sizeof *j);
    j->ui = ui;
    target_copy(&j->t, t);
    j->phase = EDIT_READING;
    ui->edit = j;
    struct err e = {0};
    if (!op_get_object(ui->http, &j->t, got_object, j, &e)) {
        ui_flash(ui, true, "edit: %s", e.msg);
        finish(ui, false);
    }
}

void editjob_free(struct ui *ui)
{
    struct editjob *j = ui->edit;
    if (!j)
        return;
    ui->edit = NULL;
    if (j->phase == EDIT_WAITING || !ui->http) {
        if (j->path && j->phase == EDIT_WAITING)
            unlink(j->path);
        job_free(j);
    } else {
        j->abandoned = true; /* its request's callback frees it, if it ever runs */
    }
}
