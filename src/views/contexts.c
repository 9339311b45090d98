/* contexts — switching kubeconfig contexts live, and what timon remembers per context.
 *
 * A switch is total: the new context's connection is built first (so a context that cannot be
 * used changes nothing), then everything of the old one stops: the dialog, drains and edits,
 * every view with its watches and streams, discovery, metrics and permission answers, and
 * finally the old connection with whatever it still had in flight. The new connection, its
 * read-only setting and its danger marking are installed together, the session generation moves
 * on (so pinned actions of the old context refuse to send), and the context's last view and
 * namespace come back: from this session if it was visited, else from its settings file.
 *
 * An unreachable context is not an error here: its views say what is wrong in their watch
 * state, a probe of /version flashes it, and :ctx still works to pick another. */
#include "client/apierror.h"
#include "model/config.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "views/actions.h"
#include "views/dialog.h"
#include "views/resview.h"
#include "views/screen.h"
#include "views/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a context had when it was left, this session. */
struct ctx_memory {
    char *ns;   /* NULL: all namespaces */
    char *view; /* the last view's command line, or NULL */
    char *favs[UI_FAVOURITES];
    char name[]; /* the context; the map's key */
};

static void memory_free(struct ctx_memory *m)
{
    free(m->ns);
    free(m->view);
    for (int i = 0; i < UI_FAVOURITES; i++)
        free(m->favs[i]);
    free(m);
}

static char *context_file(const struct kube_conn *c)
{
    char *dir = fs_xdg_dir("DATA");
    if (!dir)
        return NULL;
    char *path = config_context_path(dir, c->cluster, c->context);
    free(dir);
    return path;
}

void ui_save_context(struct ui *ui)
{
    char *path = context_file(ui->conn);
    if (!path)
        return;
    const char *favs[CONFIG_FAVOURITES + 1] = {NULL};
    for (int i = 0; i < UI_FAVOURITES && i < CONFIG_FAVOURITES; i++)
        favs[i] = ui->favs[i];
    struct config_context_state st = {
        .cluster = ui->conn->cluster,
        .active_ns = ui->ns,
        .favourites = favs,
        .view = ui->last_view,
    };
    struct err e = {0};
    if (!config_save_context(path, &st, &e))
        log_warn("context settings not saved: %s", e.msg);
    free(path);
}

static void remember(struct ui *ui)
{
    const char *name = ui->conn->context;
    struct ctx_memory *m = xcalloc(1, sizeof *m + strlen(name) + 1);
    memcpy(m->name, name, strlen(name) + 1);
    m->ns = ui->ns ? xstrdup(ui->ns) : NULL;
    m->view = ui->last_view ? xstrdup(ui->last_view) : NULL;
    for (int i = 0; i < UI_FAVOURITES; i++)
        m->favs[i] = ui->favs[i] ? xstrdup(ui->favs[i]) : NULL;
    struct ctx_memory *old = map_del(&ui->ctx_state, name);
    if (old)
        memory_free(old);
    map_put(&ui->ctx_state, m->name, m);
}

void ui_forget_contexts(struct ui *ui)
{
    size_t pos = 0;
    void *v;
    while (map_next(&ui->ctx_state, &pos, NULL, &v))
        memory_free(v);
    map_free(&ui->ctx_state);
}

/* ---- the /version probe of a new context --------------------------------------------------- */

struct probe {
    struct ui *ui;
    unsigned session;
};

static void probed(void *ud, const struct http_response *r)
{
    struct probe p = *(struct probe *)ud;
    free(ud);
    struct ui *ui = p.ui;
    if (p.session != ui->session)
        return;
    if (r->error == HTTP_OK && r->status == 200) {
        cJSON *v = cJSON_ParseWithLength(r->body, r->body_len);
        snprintf(ui->version, sizeof ui->version, "%s", json_strz(v, "gitVersion"));
        cJSON_Delete(v);
    } else {
        char msg[512];
        apierror_message(r, msg, sizeof msg);
        snprintf(ui->version, sizeof ui->version, "unreachable");
        ui_flash(ui, true, "context %s: %s", ui->conn->context, msg);
    }
    ui->dirty |= DIRTY_HEADER;
}

static void probe(struct ui *ui)
{
    struct probe *p = xmalloc(sizeof *p);
    p->ui = ui;
    p->session = ui->session;
    struct http_req_spec spec = {.path = "/version", .timeout_ms = 15000};
    struct err e = {0};
    if (!http_send(ui->http, &spec, NULL, probed, p, &e)) {
        free(p);
        ui_flash(ui, true, "context %s: %s", ui->conn->context, e.msg);
    }
}

/* ---- switching ------------------------------------------------------------------------------ */

/* Stops everything that belongs to the live context and frees its connection. */
static void teardown(struct ui *ui)
{
    ui_close_dialog(ui);
    actions_free(ui);
    while (ui->depth > 0) {
        struct view *v = ui->stack[--ui->depth];
        v->ops->free(v);
    }
    for (int i = 0; i < ui->nhist; i++)
        free(ui->hist[i]);
    ui->nhist = 0;
    ui->hist_pos = -1;
    free(ui->pending_command);
    ui->pending_command = NULL;
    free(ui->last_view);
    ui->last_view = NULL;
    kind_cache_free(&ui->kinds);
    memset(&ui->kinds, 0, sizeof ui->kinds);
    discovery_free(&ui->disc);
    memset(&ui->disc, 0, sizeof ui->disc);
    ui->disc_seen = 0;
    metrics_free(&ui->metrics);
    memset(&ui->metrics, 0, sizeof ui->metrics);
    metrics_loader_free(&ui->mload[0]);
    metrics_loader_free(&ui->mload[1]);
    ui->metrics_served = false;
    ui->metrics_pending = 0; /* their replies die with the connection */
    ui->cluster_cpu = ui->cluster_cpu_alloc = ui->cluster_mem = ui->cluster_mem_alloc = 0;
    access_reset(&ui->access);
    free(ui->ns);
    ui->ns = NULL;
    for (int i = 0; i < UI_FAVOURITES; i++) {
        free(ui->favs[i]);
        ui->favs[i] = NULL;
    }
    auth_set_terminal_hooks(http_auth(ui->http), NULL, NULL, NULL);
    http_free(ui->http); /* cancels whatever was still in flight, without callbacks */
    ui->http = NULL;
    kube_conn_free(ui->conn);
    free(ui->conn);
    ui->conn = NULL;
}

bool ui_switch_context(struct ui *ui, const char *name, const char *then)
{
    const struct app_config *cfg = ui->cfg;
    if (!cfg->kc) {
        ui_flash(ui, true, "no kubeconfig to switch contexts with");
        return false;
    }
    /* Build the new connection first: a context that cannot be used changes nothing. */
    struct kube_conn *conn = xcalloc(1, sizeof *conn);
    struct err e = {0};
    if (!kubeconfig_resolve(cfg->kc, name, NULL, conn, &e)) {
        free(conn);
        ui_flash(ui, true, "context %s: %s", name, e.msg);
        return false;
    }
    struct http *h = http_new(conn, &e);
    if (!h) {
        kube_conn_free(conn);
        free(conn);
        ui_flash(ui, true, "context %s: %s", name, e.msg);
        return false;
    }
    struct config ctxcfg;
    char *path = context_file(conn);
    char notice[700] = "";
    if (path && !config_load_file(&ctxcfg, path, &e))
        snprintf(notice, sizeof notice, "ignored %s", e.msg);
    else if (!path)
        config_init(&ctxcfg);
    free(path);
    http_set_readonly(h, config_readonly(cfg->cli_write, cfg->cli_readonly, &ctxcfg, cfg->global));
    if (cfg->exec_timeout_ms)
        auth_set_timeout(http_auth(h), cfg->exec_timeout_ms);
    auth_set_terminal_hooks(http_auth(h), ui_terminal_suspend, ui_terminal_resume, ui);

    /* Leave the old context: remember it, then stop all of it. */
    log_info("tui: switching from context %s to %s", ui->conn->context, name);
    remember(ui);
    ui_save_context(ui);
    teardown(ui);

    ui->conn = conn;
    ui->http = h;
    ui->session++;
    ui->danger = config_danger(cfg->global, conn->context);
    snprintf(ui->version, sizeof ui->version, "...");
    probe(ui);
    discovery_start(&ui->disc, h);

    /* Its namespace and favourites: this session's, else the settings file's, else the
     * kubeconfig's; then its view. */
    const struct ctx_memory *m = map_get(&ui->ctx_state, conn->context);
    char *const *favs = m ? m->favs : ctxcfg.favourites;
    for (int i = UI_FAVOURITES; i-- > 0;)
        if (i < CONFIG_FAVOURITES && favs[i])
            ui_set_namespace(ui, favs[i]);
    const char *ns = m ? m->ns : ctxcfg.active_ns ? ctxcfg.active_ns : conn->namespace;
    if (ns && strcmp(ns, "all") == 0)
        ns = NULL;
    ui_set_namespace(ui, ns);
    const char *view = then && then[0] ? then : m && m->view ? m->view : ctxcfg.last_view;
    if (view)
        ui_command(ui, view, true);
    if (ui->depth == 0) {
        struct resview_spec s = {.kind = kind_lookup("pods"), .ns = ui->ns};
        ui_replace(ui, resview_new(ui, &s));
    }
    /* Its skin: --skin, else the context's, else config.yaml's. */
    const char *skin = cfg->cli_skin ? cfg->cli_skin
                       : ctxcfg.skin ? ctxcfg.skin
                       : cfg->global ? cfg->global->skin
                                     : NULL;
    if ((skin == NULL) != (ui->skin == NULL) || (skin && strcmp(skin, ui->skin) != 0)) {
        free(ui->skin);
        ui->skin = skin ? xstrdup(skin) : NULL;
        struct screen_config sc = {.color = cfg->color, .skin = skin};
        struct err se = {0};
        screen_reskin(&sc, &se);
        if (se.msg[0] && !notice[0])
            snprintf(notice, sizeof notice, "%s", se.msg);
    }
    config_free(&ctxcfg);
    if (notice[0])
        ui_flash(ui, true, "%s", notice);
    else
        ui_flash(ui, false, "context %s", conn->context);
    ui->dirty = DIRTY_ALL;
    return true;
}
