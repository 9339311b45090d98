/* cli — shared plumbing of the one-shot commands. May print and exit: it is main-level code. */
#include "cli.h"
#include "model/config.h"
#include "model/kind.h"
#include "util/fs.h"
#include "util/xalloc.h"
#include "util/clock.h"

#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ONESHOT_TIMEOUT_MS 60000

_Noreturn void cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "timon: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'timon help' for usage.\n");
    exit(EXIT_USAGE);
}

_Noreturn void cli_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "timon: error: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

void cli_connect(const struct opts *o, struct cli_session *s)
{
    struct err e = {0};
    if (!kubeconfig_load(&s->kc, o->kubeconfig, &e))
        cli_fail("%s", e.msg);
    if (!kubeconfig_resolve(&s->kc, o->context, o->ns, &s->conn, &e))
        cli_fail("%s", e.msg);
    s->http = http_new(&s->conn, &e);
    if (!s->http)
        cli_fail("%s", e.msg);
    http_set_readonly(s->http, o->readonly);
    if (o->exec_timeout_ms)
        auth_set_timeout(http_auth(s->http), o->exec_timeout_ms);
}

void cli_session_free(struct cli_session *s)
{
    http_free(s->http);
    kube_conn_free(&s->conn);
    kubeconfig_free(&s->kc);
}

const struct kind *cli_resolve_kind(struct cli_session *s, struct kind_cache *cache,
                                    struct discovery *d, const char *name)
{
    const struct kind *k = kind_lookup(name);
    if (k)
        return k;
    discovery_start(d, s->http);
    http_run(s->http, 60000);
    if (!d->loaded && d->error[0])
        cli_fail("%s", d->error);
    return kind_cache_resolve(cache, d, name);
}

bool cli_run_once(struct http *http, struct reflector *r, char *err, size_t errlen)
{
    int64_t deadline = clock_mono_ms() + ONESHOT_TIMEOUT_MS;
    struct pollfd fds[64];
    for (;;) {
        reflector_tick(r);
        enum reflector_state st = reflector_state(r);
        if (st == REFLECTOR_DONE)
            return true;
        if (st == REFLECTOR_FAILED) {
            snprintf(err, errlen, "%s", reflector_reason(r));
            return false;
        }
        int64_t now = clock_mono_ms();
        if (now >= deadline) {
            snprintf(err, errlen, "no answer from %s within %d s", http_server(http),
                     ONESHOT_TIMEOUT_MS / 1000);
            return false;
        }
        size_t n = http_pollfds(http, fds, 64);
        if (n > 64)
            n = 64;
        int t = http_timeout_ms(http);
        int rt = reflector_timeout_ms(r);
        if (t < 0 || (rt >= 0 && rt < t))
            t = rt;
        if (t < 0 || t > 500)
            t = 500;
        if (poll(fds, (nfds_t)n, t) < 0)
            continue;
        http_on_poll(http, fds, n);
    }
}

void cli_load_config(const char *cluster, const char *context, struct config *c, char *notice,
                     size_t n)
{
    config_init(c);
    char *dir = fs_xdg_dir(cluster ? "DATA" : "CONFIG");
    if (!dir)
        return;
    char *path =
        cluster ? config_context_path(dir, cluster, context) : xasprintf("%s/config.yaml", dir);
    free(dir);
    struct err e = {0};
    if (!config_load_file(c, path, &e)) {
        size_t used = strlen(notice);
        snprintf(notice + used, n - used, "%signored %s", used ? "; " : "", e.msg);
    }
    free(path);
}
