/* cmd_logs — `timon logs POD [-c C] [-f] [-p] [--tail N] [--since DUR] [--timestamps]`: the
 * bytes `kubectl logs` prints with the same arguments, and its messages on stderr.
 *
 * As kubectl 1.32: GET the pod first (a missing pod is "error from server (NotFound): ... in
 * namespace"), choose the container (-c, else the kubectl.kubernetes.io/default-container
 * annotation, else the first one, with the "Defaulted container" notice when there are others),
 * then stream pods/log. A followed stream that drops is resumed (logstream) where kubectl would
 * give up. */
#include "cli.h"
#include "client/apierror.h"
#include "client/logstream.h"
#include "util/duration.h"
#include "util/json.h"
#include "util/strbuf.h"

#include <cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGS_POD_TIMEOUT_MS 60000
#define LOGS_FLUSH_MS       100
#define DEFAULT_CONTAINER   "kubectl.kubernetes.io/default-container"

struct pod_get {
    bool done;
    long status;
    enum http_error error;
    char msg[512];
    char reason[64];
    cJSON *pod; /* owned */
};

static void pod_done(void *ud, const struct http_response *r)
{
    struct pod_get *g = ud;
    g->done = true;
    g->status = r->status;
    g->error = r->error;
    if (r->error == HTTP_OK && r->status == 200) {
        g->pod = cJSON_ParseWithLength(r->body, r->body_len);
        if (!cJSON_IsObject(g->pod))
            snprintf(g->msg, sizeof g->msg, "the server sent a pod that is not valid JSON");
        return;
    }
    apierror_message(r, g->msg, sizeof g->msg);
    apierror_reason(r, g->reason, sizeof g->reason);
}

/* An API error as kubectl prints it, then exit 1. */
static _Noreturn void fail_api(long status, const char *reason, const char *msg)
{
    if (status == 401)
        fprintf(stderr, "error: You must be logged in to the server (the server has asked for "
                        "the client to provide credentials)\n");
    else if (status == 0)
        fprintf(stderr, "timon: error: %s\n", msg);
    else if (reason[0])
        fprintf(stderr, "Error from server (%s): %s\n", reason, msg);
    else
        fprintf(stderr, "Error from server: %s\n", msg);
    exit(EXIT_FAILURE);
}

static cJSON *get_pod(struct http *http, const char *ns, const char *name)
{
    struct strbuf path = {0};
    strbuf_puts(&path, "/api/v1/namespaces/");
    strbuf_put_urlencoded(&path, ns);
    strbuf_puts(&path, "/pods/");
    strbuf_put_urlencoded(&path, name);
    struct pod_get g = {0};
    struct http_req_spec spec = {.path = strbuf_str(&path), .timeout_ms = LOGS_POD_TIMEOUT_MS};
    struct err e = {0};
    bool sent = http_send(http, &spec, NULL, pod_done, &g, &e) != NULL;
    strbuf_free(&path);
    if (!sent)
        cli_fail("%s", e.msg);
    http_run(http, LOGS_POD_TIMEOUT_MS + 1000);
    if (!g.done)
        cli_fail("no answer from %s within %d s", http_server(http), LOGS_POD_TIMEOUT_MS / 1000);
    if (g.status == 404 && g.error == HTTP_OK) {
        fprintf(stderr, "error: error from server (NotFound): %s in namespace \"%s\"\n", g.msg, ns);
        exit(EXIT_FAILURE);
    }
    if (!g.pod) {
        if (g.status == 200)
            cli_fail("%s", g.msg);
        fail_api(g.error == HTTP_OK ? g.status : 0, g.reason, g.msg);
    }
    return g.pod;
}

static bool has_container(const cJSON *spec, const char *name)
{
    static const char *const lists[] = {"containers", "initContainers", "ephemeralContainers"};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, json_get(spec, lists[i]))
        {
            if (strcmp(json_strz(c, "name"), name) == 0)
                return true;
        }
    }
    return false;
}

/* kubectl's podcmd.AllContainerNames: "a, b, dbg (ephem), init (init)". */
static void all_names(const cJSON *spec, struct strbuf *out)
{
    static const struct {
        const char *list, *suffix;
    } order[] = {
        {"containers", ""}, {"ephemeralContainers", " (ephem)"}, {"initContainers", " (init)"}};
    for (size_t i = 0; i < 3; i++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, json_get(spec, order[i].list))
        {
            strbuf_printf(out, "%s%s%s", out->len ? ", " : "", json_strz(c, "name"),
                          order[i].suffix);
        }
    }
}

/* The container kubectl would read, with its notices on stderr. Returns a string borrowed from
 * the pod or `want`. */
static const char *choose_container(const cJSON *pod, const char *want)
{
    const cJSON *spec = json_get(pod, "spec");
    const char *name = json_strz(json_get(pod, "metadata"), "name");
    const char *chosen = want;
    if (!chosen || !chosen[0]) {
        const char *def =
            json_str(json_path(pod, "metadata", "annotations", NULL), DEFAULT_CONTAINER);
        chosen = NULL;
        if (def && def[0]) {
            if (has_container(spec, def))
                chosen = def;
            else
                fprintf(stderr, "Default container name \"%s\" not found in pod %s\n", def, name);
        }
    }
    if (!chosen || !chosen[0]) {
        const cJSON *containers = json_get(spec, "containers");
        chosen = json_strz(cJSON_GetArrayItem(containers, 0), "name");
        if (!chosen[0])
            cli_fail("pod %s does not have any containers", name);
        if (json_len(containers) > 1 || json_len(json_get(spec, "initContainers")) > 0 ||
            json_len(json_get(spec, "ephemeralContainers")) > 0) {
            struct strbuf names = {0};
            all_names(spec, &names);
            fprintf(stderr, "Defaulted container \"%s\" out of: %s\n", chosen, strbuf_str(&names));
            strbuf_free(&names);
        }
    }
    if (!has_container(spec, chosen)) {
        fprintf(stderr, "error: container %s is not valid for pod %s\n", chosen, name);
        exit(EXIT_FAILURE);
    }
    return chosen;
}

struct printer {
    bool timestamps;
    bool write_failed;
};

static void print_line(void *ud, const struct logline *l)
{
    struct printer *p = ud;
    if (p->timestamps && l->ts_len) {
        fwrite(l->ts, 1, l->ts_len, stdout);
        fputc(' ', stdout);
    }
    fwrite(l->text, 1, l->len, stdout);
    if (l->newline)
        fputc('\n', stdout);
    if (ferror(stdout))
        p->write_failed = true;
}

static void no_state(void *ud)
{
    (void)ud;
}

static const struct logstream_ops printer_ops = {print_line, no_state};

/* Drives the stream to its end, flushing what arrived every LOGS_FLUSH_MS. */
static void run_stream(struct http *http, struct logstream *ls, struct printer *p)
{
    for (;;) {
        logstream_tick(ls);
        enum logstream_state st = logstream_state(ls);
        if (st == LOGSTREAM_DONE || st == LOGSTREAM_FAILED || p->write_failed)
            return;
        if (http_inflight(http) > 0) {
            http_run(http, LOGS_FLUSH_MS);
        } else {
            int t = logstream_timeout_ms(ls);
            poll(NULL, 0, t < 0 || t > LOGS_FLUSH_MS ? LOGS_FLUSH_MS : t);
        }
        if (fflush(stdout) != 0)
            p->write_failed = true;
    }
}

static long parse_tail(const char *s)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (!s[0] || *end || errno)
        cli_usage_error("--tail needs a number of lines, got \"%s\"", s);
    if (v < -1) {
        fprintf(stderr, "error: --tail must be greater than or equal to -1\n");
        exit(EXIT_FAILURE);
    }
    return v;
}

/* "web-1", "pod/web-1", "pods/web-1", "po/web-1": a pod; anything else is not one. */
static const char *pod_name(const char *arg)
{
    const char *slash = strchr(arg, '/');
    if (!slash)
        return arg;
    size_t n = (size_t)(slash - arg);
    static const char *const words[] = {"pod", "pods", "po"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strlen(words[i]) == n && strncmp(arg, words[i], n) == 0 && slash[1])
            return slash + 1;
    cli_usage_error("logs: \"%s\" is not a pod; give a pod name or pod/NAME", arg);
}

int cmd_logs(const struct opts *o, int argc, char **argv)
{
    if (argc < 1)
        cli_usage_error("logs: which pod? e.g. 'timon logs web-1 -c app'");
    if (argc > 2)
        cli_usage_error("logs: unexpected argument \"%s\"", argv[2]);
    if (argc == 2 && (o->container || o->command))
        cli_usage_error("logs: give the container once, as -c or after the pod");
    if (o->all_ns || o->selector || o->output || o->filter)
        cli_usage_error("logs: -A, -l, -o and --filter do not apply");
    const char *name = pod_name(argv[0]);
    struct logstream_opts lo = {
        .follow = o->follow,
        .previous = o->previous,
        .timestamps = o->timestamps,
        .tail_lines = o->tail ? parse_tail(o->tail) : -1,
    };
    if (o->since) {
        int64_t ns;
        if (!duration_parse_go(o->since, &ns) || ns < 0)
            cli_usage_error("--since needs a duration such as 30s, 5m, 1.5h or 500ms, got \"%s\"",
                            o->since);
        /* To the nearest second, half away from zero, as kubectl rounds it. */
        lo.since_seconds = (ns + 500000000) / 1000000000;
    }
    struct cli_session s = {0};
    cli_connect(o, &s);
    const char *ns = s.conn.namespace;
    cJSON *pod = get_pod(s.http, ns, name);
    const char *container = choose_container(pod, argc == 2      ? argv[1]
                                                  : o->container ? o->container
                                                                 : o->command);
    struct logstream_spec spec = {.ns = ns, .pod = name, .container = container, .opts = lo};
    struct printer p = {.timestamps = o->timestamps};
    struct logstream *ls = logstream_new(s.http, &spec, &printer_ops, &p);
    cJSON_Delete(pod);
    run_stream(s.http, ls, &p);
    int rc = EXIT_SUCCESS;
    if (p.write_failed) {
        rc = EXIT_FAILURE; /* a closed pipe: nothing more to say */
    } else if (logstream_state(ls) == LOGSTREAM_FAILED) {
        fflush(stdout);
        fail_api(logstream_status(ls), logstream_api_reason(ls), logstream_reason(ls));
    }
    logstream_free(ls);
    cli_session_free(&s);
    return rc;
}
