/* execcred — running exec credential plugins. See execcred.h.
 *
 * Must not: block without a deadline, leave a child behind, or put a token or key into a
 * message. Between fork and exec the child calls only async-signal-safe functions: everything
 * (argv, envp, the resolved path) is prepared before the fork. */
#include "client/execcred.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define EXECCRED_MAX_OUT ((size_t)1 << 20)
#define EXECCRED_MAX_ERR ((size_t)64 << 10)

extern char **environ;

struct execcred_run {
    pid_t pid;
    int out_fd, err_fd, status_fd; /* -1 once closed */
    struct strbuf out, errtxt;
    int64_t deadline;
    bool own_group;
    bool timed_out;
    bool ended;
    int exit_status; /* as from waitpid */
    int exec_errno;  /* set when exec itself failed */
    char *command;   /* owned, for messages */
    char *hint;      /* owned install hint */
    char *api_version;
};

static char **strv_copy(char **v)
{
    if (!v)
        return NULL;
    size_t n = 0;
    while (v[n])
        n++;
    char **c = xcalloc(n + 1, sizeof *c);
    for (size_t i = 0; i < n; i++)
        c[i] = xstrdup(v[i]);
    return c;
}

static void strv_free(char **v)
{
    if (!v)
        return;
    for (size_t i = 0; v[i]; i++)
        free(v[i]);
    free(v);
}

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void exec_config_copy(struct exec_config *dst, const struct exec_config *src)
{
    memset(dst, 0, sizeof *dst);
    dst->api_version = dup_or_null(src->api_version);
    dst->command = dup_or_null(src->command);
    dst->args = strv_copy(src->args);
    dst->env = strv_copy(src->env);
    dst->install_hint = dup_or_null(src->install_hint);
    dst->provide_cluster_info = src->provide_cluster_info;
    dst->interactive = src->interactive;
    dst->interactive_set = src->interactive_set;
    dst->cluster_config = dup_or_null(src->cluster_config);
}

void exec_config_free(struct exec_config *c)
{
    free(c->api_version);
    free(c->command);
    strv_free(c->args);
    strv_free(c->env);
    free(c->install_hint);
    free(c->cluster_config);
    memset(c, 0, sizeof *c);
}

static void wipe_free(char *s)
{
    if (s) {
        volatile char *p = s;
        while (*p)
            *p++ = '\0';
        free(s);
    }
}

void exec_cred_free(struct exec_cred *c)
{
    wipe_free(c->token);
    wipe_free(c->key_pem);
    free(c->cert_pem);
    memset(c, 0, sizeof *c);
}

bool execcred_is_interactive(const struct exec_config *c)
{
    if (c->interactive == EXEC_INTERACTIVE_NEVER)
        return false;
    if (c->interactive == EXEC_INTERACTIVE_ALWAYS)
        return true;
    return isatty(STDIN_FILENO);
}

/* The executable to run: as given when it holds a '/', else the first match in PATH. */
static char *resolve_command(const char *cmd)
{
    if (strchr(cmd, '/'))
        return xstrdup(cmd);
    const char *path = getenv("PATH");
    if (!path)
        path = "/usr/local/bin:/usr/bin:/bin";
    char *copy = xstrdup(path);
    char *found = NULL;
    for (char *save = NULL, *d = strtok_r(copy, ":", &save); d && !found;
         d = strtok_r(NULL, ":", &save)) {
        char *cand = xasprintf("%s/%s", d[0] ? d : ".", cmd);
        struct stat st;
        if (stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
            found = cand;
        else
            free(cand);
    }
    free(copy);
    return found;
}

/* environ, then the config's env, then KUBERNETES_EXEC_INFO; later entries win. */
static char **build_env(const struct exec_config *c, const char *info)
{
    size_t n = 0, extra = 1;
    while (environ && environ[n])
        n++;
    for (char **e = c->env; e && *e; e++)
        extra++;
    char **env = xcalloc(n + extra + 1, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        bool overridden = strncmp(environ[i], "KUBERNETES_EXEC_INFO=", 21) == 0;
        for (char **e = c->env; e && *e && !overridden; e++) {
            const char *eq = strchr(*e, '=');
            size_t nl = eq ? (size_t)(eq - *e) : strlen(*e);
            overridden = strncmp(environ[i], *e, nl) == 0 && environ[i][nl] == '=';
        }
        if (!overridden)
            env[k++] = xstrdup(environ[i]);
    }
    for (char **e = c->env; e && *e; e++)
        env[k++] = xstrdup(*e);
    env[k++] = xasprintf("KUBERNETES_EXEC_INFO=%s", info);
    env[k] = NULL;
    return env;
}

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

struct execcred_run *execcred_start(const struct exec_config *c, const char *info, bool interactive,
                                    long timeout_ms, struct err *e)
{
    char *path = resolve_command(c->command);
    if (!path) {
        err_set(e, "exec plugin \"%s\" not found in PATH%s%s", c->command,
                c->install_hint ? ": " : "", c->install_hint ? c->install_hint : "");
        return NULL;
    }
    int out[2], errp[2] = {-1, -1}, st[2];
    if (pipe(out) != 0) {
        free(path);
        err_set(e, "cannot start exec plugin: %s", strerror(errno));
        return NULL;
    }
    if ((!interactive && pipe(errp) != 0) || pipe(st) != 0) {
        close(out[0]);
        close(out[1]);
        if (errp[0] >= 0) {
            close(errp[0]);
            close(errp[1]);
        }
        free(path);
        err_set(e, "cannot start exec plugin: %s", strerror(errno));
        return NULL;
    }
    fcntl(st[1], F_SETFD, FD_CLOEXEC);
    size_t nargs = 0;
    for (char **a = c->args; a && *a; a++)
        nargs++;
    char **argv = xcalloc(nargs + 2, sizeof *argv);
    argv[0] = c->command;
    for (size_t i = 0; i < nargs; i++)
        argv[i + 1] = c->args[i];
    char **envp = build_env(c, info);
    int devnull = interactive ? -1 : open("/dev/null", O_RDONLY | O_CLOEXEC);

    pid_t pid = fork();
    if (pid == 0) {
        /* Child: async-signal-safe calls only. */
        if (!interactive)
            setpgid(0, 0);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        dup2(out[1], STDOUT_FILENO);
        if (errp[1] >= 0)
            dup2(errp[1], STDERR_FILENO);
        close(out[0]);
        if (errp[0] >= 0)
            close(errp[0]);
        close(st[0]);
        signal(SIGPIPE, SIG_DFL);
        execve(path, argv, envp);
        int en = errno;
        ssize_t w = write(st[1], &en, sizeof en);
        (void)w;
        _exit(127);
    }
    int fork_errno = errno;
    free(argv);
    for (char **p = envp; *p; p++)
        wipe_free(*p);
    free(envp);
    free(path);
    if (devnull >= 0)
        close(devnull);
    close(out[1]);
    if (errp[1] >= 0)
        close(errp[1]);
    close(st[1]);
    if (pid < 0) {
        close(out[0]);
        if (errp[0] >= 0)
            close(errp[0]);
        close(st[0]);
        err_set(e, "cannot start exec plugin \"%s\": %s", c->command, strerror(fork_errno));
        return NULL;
    }
    struct execcred_run *r = xcalloc(1, sizeof *r);
    r->pid = pid;
    r->out_fd = out[0];
    r->err_fd = errp[0];
    r->status_fd = st[0];
    r->own_group = !interactive;
    r->deadline = clock_mono_ms() + (timeout_ms > 0 ? timeout_ms : EXECCRED_DEFAULT_TIMEOUT_MS);
    r->command = xstrdup(c->command);
    r->hint = dup_or_null(c->install_hint);
    r->api_version = dup_or_null(c->api_version);
    strbuf_init(&r->out, EXECCRED_MAX_OUT);
    strbuf_init(&r->errtxt, EXECCRED_MAX_ERR);
    set_nonblock(r->out_fd);
    if (r->err_fd >= 0)
        set_nonblock(r->err_fd);
    log_info("exec plugin %s started (pid %d)", c->command, (int)pid);
    return r;
}

size_t execcred_pollfds(const struct execcred_run *r, struct pollfd *fds, size_t max)
{
    size_t n = 0;
    int want[2] = {r->out_fd, r->err_fd};
    for (int i = 0; i < 2; i++) {
        if (want[i] >= 0 && n < max) {
            fds[n].fd = want[i];
            fds[n].events = POLLIN;
            fds[n].revents = 0;
            n++;
        }
    }
    return n;
}

int execcred_timeout_ms(const struct execcred_run *r)
{
    if (r->ended)
        return 0;
    int64_t d = r->deadline - clock_mono_ms();
    if (r->out_fd < 0 && r->err_fd < 0)
        return d < 10 ? (d < 0 ? 0 : (int)d) : 10; /* waiting for the exit */
    return d < 0 ? 0 : d > 60000 ? 60000 : (int)d;
}

/* Reads what is available; closes the fd at EOF or error. */
static void drain(int *fd, struct strbuf *sb)
{
    char buf[4096];
    for (;;) {
        ssize_t n = read(*fd, buf, sizeof buf);
        if (n > 0) {
            strbuf_append(sb, buf, (size_t)n); /* beyond the cap the rest is dropped */
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        close(*fd);
        *fd = -1;
        return;
    }
}

static void kill_child(struct execcred_run *r)
{
    kill(r->own_group ? -r->pid : r->pid, SIGKILL);
}

bool execcred_on_poll(struct execcred_run *r, const struct pollfd *fds, size_t n)
{
    if (r->ended)
        return true;
    for (size_t i = 0; i < n; i++) {
        if (!fds[i].revents)
            continue;
        if (fds[i].fd == r->out_fd && r->out_fd >= 0)
            drain(&r->out_fd, &r->out);
        else if (fds[i].fd == r->err_fd && r->err_fd >= 0)
            drain(&r->err_fd, &r->errtxt);
    }
    if (clock_mono_ms() >= r->deadline && !r->timed_out) {
        r->timed_out = true;
        kill_child(r);
    }
    if (r->out_fd >= 0 || r->err_fd >= 0) {
        if (!r->timed_out)
            return false;
    }
    int status;
    pid_t w = waitpid(r->pid, &status, r->timed_out ? 0 : WNOHANG);
    if (w == 0)
        return false;
    r->exit_status = w == r->pid ? status : 0;
    int en = 0;
    if (read(r->status_fd, &en, sizeof en) == (ssize_t)sizeof en)
        r->exec_errno = en;
    close(r->status_fd);
    r->status_fd = -1;
    if (r->out_fd >= 0) {
        close(r->out_fd);
        r->out_fd = -1;
    }
    if (r->err_fd >= 0) {
        close(r->err_fd);
        r->err_fd = -1;
    }
    r->ended = true;
    return true;
}

static void run_free(struct execcred_run *r)
{
    if (r->out_fd >= 0)
        close(r->out_fd);
    if (r->err_fd >= 0)
        close(r->err_fd);
    if (r->status_fd >= 0)
        close(r->status_fd);
    strbuf_free(&r->out);
    strbuf_free(&r->errtxt);
    free(r->command);
    free(r->hint);
    free(r->api_version);
    free(r);
}

void execcred_cancel(struct execcred_run *r)
{
    if (!r)
        return;
    if (!r->ended) {
        kill_child(r);
        waitpid(r->pid, NULL, 0);
    }
    run_free(r);
}

/* The first line of the plugin's stderr, neutralised, for messages. */
static void first_err_line(const struct execcred_run *r, char *buf, size_t n)
{
    const char *s = strbuf_str(&r->errtxt);
    while (*s == '\n' || *s == ' ')
        s++;
    size_t len = strcspn(s, "\n");
    if (len > 200)
        len = 200;
    struct strbuf sb = {0};
    sanitize_append(&sb, s, len, SANITIZE_TAB_TO_SPACE);
    snprintf(buf, n, "%s", strbuf_str(&sb));
    strbuf_free(&sb);
}

static char *pem_field(const cJSON *status, const char *key)
{
    const char *s = json_str(status, key);
    return s && s[0] ? xstrdup(s) : NULL;
}

bool execcred_finish(struct execcred_run *r, struct exec_cred *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    char line[256];
    first_err_line(r, line, sizeof line);
    bool ok = false;
    if (r->timed_out) {
        err_set(e, "exec plugin \"%s\" did not answer in time and was stopped", r->command);
    } else if (r->exec_errno) {
        if (r->exec_errno == ENOENT)
            err_set(e, "exec plugin \"%s\" not found%s%s", r->command, r->hint ? ": " : "",
                    r->hint ? r->hint : "");
        else
            err_set(e, "cannot run exec plugin \"%s\": %s", r->command, strerror(r->exec_errno));
    } else if (WIFSIGNALED(r->exit_status)) {
        err_set(e, "exec plugin \"%s\" was killed by signal %d", r->command,
                WTERMSIG(r->exit_status));
    } else if (WEXITSTATUS(r->exit_status) != 0) {
        err_set(e, "exec plugin \"%s\" failed with exit code %d%s%s", r->command,
                WEXITSTATUS(r->exit_status), line[0] ? ": " : "", line);
    } else if (r->out.overflow) {
        err_set(e, "exec plugin \"%s\" wrote more than %zu bytes", r->command, EXECCRED_MAX_OUT);
    } else {
        cJSON *j = cJSON_ParseWithLength(strbuf_str(&r->out), r->out.len);
        const cJSON *status = json_get(j, "status");
        const char *kind = json_str(j, "kind");
        const char *apiv = json_str(j, "apiVersion");
        if (!j || !kind || strcmp(kind, "ExecCredential") != 0) {
            err_set(e, "exec plugin \"%s\" did not print an ExecCredential", r->command);
        } else if (r->api_version && (!apiv || strcmp(apiv, r->api_version) != 0)) {
            err_set(e,
                    "exec plugin \"%s\" is configured to use API version %s, plugin returned "
                    "version %s",
                    r->command, r->api_version, apiv ? apiv : "(none)");
        } else if (!cJSON_IsObject(status)) {
            err_set(e, "exec plugin \"%s\" returned no status", r->command);
        } else {
            const char *tok = json_str(status, "token");
            out->cert_pem = pem_field(status, "clientCertificateData");
            out->key_pem = pem_field(status, "clientKeyData");
            if (tok && tok[0])
                out->token = xstrdup(tok);
            const char *exp = json_str(status, "expirationTimestamp");
            out->expiry = exp ? json_time(status, "expirationTimestamp") : 0;
            if ((out->cert_pem != NULL) != (out->key_pem != NULL))
                err_set(e,
                        "exec plugin \"%s\" returned a client certificate without its key, or "
                        "a key without its certificate",
                        r->command);
            else if (!out->token && !out->cert_pem)
                err_set(e, "exec plugin \"%s\" returned neither a token nor a client certificate",
                        r->command);
            else if (exp && !out->expiry)
                err_set(e, "exec plugin \"%s\" returned an invalid expirationTimestamp",
                        r->command);
            else
                ok = true;
        }
        cJSON_Delete(j);
    }
    if (!ok)
        exec_cred_free(out);
    log_info("exec plugin %s %s", r->command, ok ? "returned a credential" : "failed");
    run_free(r);
    return ok;
}

bool execcred_run_sync(const struct exec_config *c, const char *info, bool interactive,
                       long timeout_ms, struct exec_cred *out, struct err *e)
{
    struct execcred_run *r = execcred_start(c, info, interactive, timeout_ms, e);
    if (!r)
        return false;
    struct pollfd fds[2];
    for (;;) {
        size_t n = execcred_pollfds(r, fds, 2);
        int t = execcred_timeout_ms(r);
        poll(fds, (nfds_t)n, t);
        if (execcred_on_poll(r, fds, n))
            break;
    }
    return execcred_finish(r, out, e);
}
