/* auth — credential freshness for one connection. See auth.h.
 *
 * Must not: log or return a credential in a message, run a plugin without a deadline, or run
 * more than one plugin at a time. */
#include "client/auth.h"
#include "client/execcred.h"
#include "util/base64.h"
#include "util/clock.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define AUTH_TOKEN_FILE_RECHECK_S 60
#define AUTH_REFRESH_AHEAD_S      60

struct auth {
    char *token;      /* owned: the current bearer token */
    char *token_file; /* owned path, or NULL */
    int64_t token_file_checked;
    struct timespec token_file_mtime;
    bool token_file_stale;

    bool has_exec;
    struct exec_config exec;
    char *exec_info;             /* KUBERNETES_EXEC_INFO, non-interactive form */
    char *exec_info_interactive; /* the same with spec.interactive true */
    struct exec_cred cred;
    bool have_cred;
    bool cred_stale;
    int64_t cred_issued;
    struct execcred_run *run;
    long timeout_ms;
    unsigned runs;

    uint64_t generation;
    char error[512];
    void (*suspend)(void *);
    void (*resume)(void *);
    void *hook_ud;
};

static char *exec_info_json(const struct kube_conn *c, bool interactive)
{
    cJSON *root = cJSON_CreateObject();
    cJSON_AddStringToObject(root, "kind", "ExecCredential");
    cJSON_AddStringToObject(root, "apiVersion", c->exec.api_version ? c->exec.api_version : "");
    cJSON *spec = cJSON_AddObjectToObject(root, "spec");
    if (c->exec.provide_cluster_info) {
        cJSON *cl = cJSON_AddObjectToObject(spec, "cluster");
        cJSON_AddStringToObject(cl, "server", c->server);
        if (c->tls_server_name)
            cJSON_AddStringToObject(cl, "tls-server-name", c->tls_server_name);
        if (c->insecure)
            cJSON_AddBoolToObject(cl, "insecure-skip-tls-verify", true);
        if (c->ca_pem) {
            struct strbuf b64 = {0};
            base64_encode(c->ca_pem, c->ca_len, &b64);
            cJSON_AddStringToObject(cl, "certificate-authority-data", strbuf_str(&b64));
            strbuf_free(&b64);
        }
        if (c->proxy_url)
            cJSON_AddStringToObject(cl, "proxy-url", c->proxy_url);
        if (c->exec.cluster_config) {
            cJSON *cfg = cJSON_Parse(c->exec.cluster_config);
            if (cfg)
                cJSON_AddItemToObject(cl, "config", cfg);
        }
    }
    cJSON_AddBoolToObject(spec, "interactive", interactive);
    char *s = cJSON_PrintUnformatted(root);
    cJSON_Delete(root);
    char *out = xstrdup(s ? s : "{}");
    free(s);
    return out;
}

struct auth *auth_new(const struct kube_conn *conn)
{
    struct auth *a = xcalloc(1, sizeof *a);
    a->token = conn->token ? xstrdup(conn->token) : NULL;
    a->token_file = conn->token_file ? xstrdup(conn->token_file) : NULL;
    a->token_file_checked = clock_wall_s();
    if (a->token_file) {
        struct stat st;
        if (stat(a->token_file, &st) == 0)
            a->token_file_mtime = st.st_mtim;
    }
    a->timeout_ms = EXECCRED_DEFAULT_TIMEOUT_MS;
    if (conn->has_exec) {
        a->has_exec = true;
        exec_config_copy(&a->exec, &conn->exec);
        a->exec_info = exec_info_json(conn, false);
        a->exec_info_interactive = exec_info_json(conn, true);
    }
    return a;
}

static void wipe(char *s)
{
    if (s) {
        volatile char *p = s;
        while (*p)
            *p++ = '\0';
    }
}

void auth_free(struct auth *a)
{
    if (!a)
        return;
    if (a->run)
        execcred_cancel(a->run);
    wipe(a->token);
    free(a->token);
    free(a->token_file);
    exec_cred_free(&a->cred);
    exec_config_free(&a->exec);
    free(a->exec_info);
    free(a->exec_info_interactive);
    free(a);
}

/* Re-reads the token file when it changed (at most once a minute, or at once when stale). */
static void refresh_token_file(struct auth *a)
{
    int64_t now = clock_wall_s();
    if (!a->token_file_stale && now - a->token_file_checked < AUTH_TOKEN_FILE_RECHECK_S)
        return;
    a->token_file_checked = now;
    struct stat st;
    if (stat(a->token_file, &st) != 0)
        return; /* keep the last good token; the server will say if it is wrong */
    bool changed = st.st_mtim.tv_sec != a->token_file_mtime.tv_sec ||
                   st.st_mtim.tv_nsec != a->token_file_mtime.tv_nsec;
    if (!changed && !a->token_file_stale)
        return;
    a->token_file_stale = false;
    struct strbuf sb = {0};
    strbuf_init(&sb, (size_t)1 << 20);
    if (fs_read_file(a->token_file, (size_t)1 << 20, &sb, NULL)) {
        char *t = strbuf_take(&sb);
        size_t n = strlen(t);
        while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' '))
            t[--n] = '\0';
        if (!a->token || strcmp(a->token, t) != 0) {
            wipe(a->token);
            free(a->token);
            a->token = t;
            a->generation++;
            log_info("auth: the token file changed; using the new token");
        } else {
            wipe(t);
            free(t);
        }
        a->token_file_mtime = st.st_mtim;
    }
    strbuf_free(&sb);
}

static bool cred_due(const struct auth *a)
{
    if (!a->have_cred || a->cred_stale)
        return true;
    if (!a->cred.expiry)
        return false;
    int64_t now = clock_wall_s();
    /* Refresh a minute ahead when the credential lives long enough for that to make sense. */
    int64_t ahead =
        a->cred.expiry - a->cred_issued > 2 * AUTH_REFRESH_AHEAD_S ? AUTH_REFRESH_AHEAD_S : 0;
    return now >= a->cred.expiry - ahead;
}

static void take_cred(struct auth *a, struct exec_cred *c)
{
    exec_cred_free(&a->cred);
    a->cred = *c;
    a->have_cred = true;
    a->cred_stale = false;
    a->cred_issued = clock_wall_s();
    a->generation++;
    a->error[0] = '\0';
}

enum auth_state auth_prepare(struct auth *a, struct err *e)
{
    if (a->token_file)
        refresh_token_file(a);
    if (!a->has_exec)
        return AUTH_READY;
    if (a->run)
        return AUTH_PENDING;
    if (!cred_due(a))
        return AUTH_READY;
    struct err pe = {0};
    a->runs++;
    if (execcred_is_interactive(&a->exec)) {
        /* The plugin may prompt: give it the terminal, then take it back. */
        if (a->suspend)
            a->suspend(a->hook_ud);
        struct exec_cred c;
        bool ok =
            execcred_run_sync(&a->exec, a->exec_info_interactive, true, a->timeout_ms, &c, &pe);
        if (a->resume)
            a->resume(a->hook_ud);
        if (ok) {
            take_cred(a, &c);
            return AUTH_READY;
        }
        snprintf(a->error, sizeof a->error, "%s", pe.msg);
        err_set(e, "%s", a->error);
        return AUTH_FAILED;
    }
    a->run = execcred_start(&a->exec, a->exec_info, false, a->timeout_ms, &pe);
    if (!a->run) {
        snprintf(a->error, sizeof a->error, "%s", pe.msg);
        err_set(e, "%s", a->error);
        return AUTH_FAILED;
    }
    return AUTH_PENDING;
}

const char *auth_token(const struct auth *a)
{
    if (a->has_exec && a->have_cred)
        return a->cred.token;
    return a->token;
}

void auth_client_cert(const struct auth *a, const char **cert, size_t *cert_len, const char **key,
                      size_t *key_len)
{
    *cert = *key = NULL;
    *cert_len = *key_len = 0;
    if (a->has_exec && a->have_cred && a->cred.cert_pem && a->cred.key_pem) {
        *cert = a->cred.cert_pem;
        *cert_len = strlen(a->cred.cert_pem);
        *key = a->cred.key_pem;
        *key_len = strlen(a->cred.key_pem);
    }
}

uint64_t auth_generation(const struct auth *a)
{
    return a->generation;
}

void auth_rejected(struct auth *a, uint64_t generation)
{
    if (generation != a->generation)
        return; /* another request already rotated the credential */
    if (a->has_exec)
        a->cred_stale = true;
    if (a->token_file)
        a->token_file_stale = true;
}

bool auth_refreshable(const struct auth *a)
{
    return a->has_exec || a->token_file;
}

const char *auth_error(const struct auth *a)
{
    return a->error;
}

unsigned auth_plugin_runs(const struct auth *a)
{
    return a->runs;
}

size_t auth_pollfds(const struct auth *a, struct pollfd *fds, size_t max)
{
    return a->run ? execcred_pollfds(a->run, fds, max) : 0;
}

int auth_timeout_ms(const struct auth *a)
{
    return a->run ? execcred_timeout_ms(a->run) : -1;
}

bool auth_on_poll(struct auth *a, const struct pollfd *fds, size_t n)
{
    if (!a->run || !execcred_on_poll(a->run, fds, n))
        return false;
    struct exec_cred c;
    struct err e = {0};
    bool ok = execcred_finish(a->run, &c, &e);
    a->run = NULL;
    if (ok)
        take_cred(a, &c);
    else
        snprintf(a->error, sizeof a->error, "%s", e.msg);
    return true;
}

void auth_set_terminal_hooks(struct auth *a, void (*suspend)(void *), void (*resume)(void *),
                             void *ud)
{
    a->suspend = suspend;
    a->resume = resume;
    a->hook_ud = ud;
}

void auth_set_timeout(struct auth *a, long ms)
{
    a->timeout_ms = ms > 0 ? ms : EXECCRED_DEFAULT_TIMEOUT_MS;
}
