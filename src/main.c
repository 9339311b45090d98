/* main — flags, then the TUI or a one-shot command.
 *
 * The only place besides views/ that may print or exit. Exit codes: 0 success, 1 runtime error
 * (one line on stderr), 2 usage error. */
#include "client/apierror.h"
#include "client/http.h"
#include "client/kubeconfig.h"
#include "model/feed.h"
#include "model/kind.h"
#include "model/table.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/strbuf.h"
#include "util/tabwriter.h"
#include "util/xalloc.h"
#include "views/app.h"

#include <getopt.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_USAGE         2
#define ONESHOT_TIMEOUT_MS 60000

struct opts {
    const char *kubeconfig;
    const char *context;
    const char *ns;
    const char *selector;
    const char *log_file;
    bool all_ns;
    bool readonly;
    bool no_color;
    int verbose;
    long exec_timeout_ms;
};

static const char usage_text[] =
    "timon — a terminal UI for Kubernetes\n"
    "\n"
    "Usage:\n"
    "  timon [flags]                     open the live pods table\n"
    "  timon get KIND [flags]            print the table once and exit (KIND: pods)\n"
    "  timon contexts                    list the kubeconfig's contexts, the current one marked\n"
    "  timon version                     print the version\n"
    "  timon help                        this text\n"
    "\n"
    "Flags:\n"
    "  --kubeconfig FILE        the kubeconfig to use (default: $KUBECONFIG, then ~/.kube/config)\n"
    "  --context NAME           the kubeconfig context (default: its current-context)\n"
    "  -n, --namespace NS       the namespace (default: the context's, then \"default\")\n"
    "  -A, --all-namespaces     every namespace\n"
    "  -l, --selector SEL       a label selector, e.g. app=web,tier!=cache\n"
    "  --readonly               refuse every request but GET, at the HTTP layer\n"
    "  --no-color               no colours (also when NO_COLOR is set); state shown by attributes\n"
    "  --exec-timeout DUR       how long an exec credential plugin may run (default 60s)\n"
    "  --log-file FILE          write the log there (default $XDG_STATE_HOME/timon/timon.log)\n"
    "  -v, --verbose            log more (repeat for debug)\n"
    "  -h, --help               this text\n";

static _Noreturn void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static _Noreturn void usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "timon: ");
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nRun 'timon help' for usage.\n");
    exit(EXIT_USAGE);
}

static void fail(const char *msg)
{
    fprintf(stderr, "timon: error: %s\n", msg);
    exit(EXIT_FAILURE);
}

static void open_log(const struct opts *o)
{
    enum log_level level = o->verbose >= 2 ? LOG_DEBUG : o->verbose == 1 ? LOG_INFO : LOG_WARN;
    struct err e = {0};
    if (o->log_file) {
        if (!log_open(o->log_file, level, &e))
            fail(e.msg);
        return;
    }
    char *dir = fs_xdg_dir("STATE");
    if (!dir)
        return;
    if (fs_mkdir_private(dir, NULL)) {
        char *path = xasprintf("%s/timon.log", dir);
        log_open(path, level, NULL); /* best effort: a read-only home must not stop timon */
        free(path);
    }
    free(dir);
}

/* Loads the kubeconfig and resolves the context, or exits 1 with one line. */
static void connect(const struct opts *o, struct kubeconfig *kc, struct kube_conn *conn,
                    struct http **http)
{
    struct err e = {0};
    if (!kubeconfig_load(kc, o->kubeconfig, &e))
        fail(e.msg);
    if (!kubeconfig_resolve(kc, o->context, o->ns, conn, &e))
        fail(e.msg);
    *http = http_new(conn, &e);
    if (!*http)
        fail(e.msg);
    http_set_readonly(*http, o->readonly);
    if (o->exec_timeout_ms)
        auth_set_timeout(http_auth(*http), o->exec_timeout_ms);
}

/* Drives one feed until its list completes or fails. */
static bool run_feed_once(struct http *http, struct feed *f, char *err, size_t errlen)
{
    int64_t deadline = clock_mono_ms() + ONESHOT_TIMEOUT_MS;
    struct pollfd fds[64];
    for (;;) {
        feed_tick(f);
        enum reflector_state st = feed_state(f);
        if (st == REFLECTOR_DONE)
            return true;
        if (st == REFLECTOR_FAILED) {
            snprintf(err, errlen, "%s", feed_reason(f));
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
        int ft = feed_timeout_ms(f);
        if (t < 0 || (ft >= 0 && ft < t))
            t = ft;
        if (t < 0 || t > 500)
            t = 500;
        if (poll(fds, (nfds_t)n, t) < 0)
            continue;
        http_on_poll(http, fds, n);
    }
}

static int cmd_get(const struct opts *o, int argc, char **argv)
{
    if (argc < 1)
        usage_error("get: which kind? e.g. 'timon get pods'");
    if (argc > 1)
        usage_error("get: unexpected argument \"%s\"", argv[1]);
    const struct kind *k = kind_lookup(argv[0]);
    if (!k) {
        fprintf(stderr, "timon: error: the server doesn't have a resource type \"%s\"\n", argv[0]);
        return EXIT_FAILURE;
    }
    struct kubeconfig kc;
    struct kube_conn conn;
    struct http *http;
    connect(o, &kc, &conn, &http);
    struct feed_spec spec = {
        .kind = k,
        .ns = o->all_ns ? NULL : conn.namespace,
        .label_selector = o->selector,
        .once = true,
    };
    struct feed *f = feed_new(http, &spec);
    char err[512];
    if (!run_feed_once(http, f, err, sizeof err))
        fail(err);
    struct table t;
    table_init(&t, k, o->all_ns, false);
    table_set_ctx(&t, clock_wall_s(), NULL);
    table_sync(&t, &f->store);
    int rc = EXIT_SUCCESS;
    if (table_len(&t) == 0) {
        if (o->all_ns || !k->namespaced)
            fprintf(stderr, "No resources found\n");
        else
            fprintf(stderr, "No resources found in %s namespace.\n", conn.namespace);
    } else {
        struct strbuf out = {0};
        table_format_text(&t, true, &out);
        if (fwrite(out.buf, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
            rc = EXIT_FAILURE;
        strbuf_free(&out);
    }
    table_free(&t);
    feed_free(f);
    http_free(http);
    kube_conn_free(&conn);
    kubeconfig_free(&kc);
    return rc;
}

/* Appends s neutralised for the terminal (kubeconfig names may hold anything). */
static void put_clean(struct strbuf *sb, const char *s)
{
    sanitize_append(sb, s ? s : "", s ? strlen(s) : 0, SANITIZE_TAB_TO_SPACE);
}

static int cmd_contexts(const struct opts *o, int argc)
{
    if (argc > 0)
        usage_error("contexts takes no arguments");
    struct kubeconfig kc;
    struct err e = {0};
    if (!kubeconfig_load(&kc, o->kubeconfig, &e))
        fail(e.msg);
    if (kc.contexts.len == 0) {
        fprintf(stderr, "No contexts found in the kubeconfig\n");
        kubeconfig_free(&kc);
        return EXIT_SUCCESS;
    }
    const char *current = o->context ? o->context : kc.current_context;
    struct strbuf raw = {0}, out = {0};
    strbuf_puts(&raw, "CURRENT\tNAME\tCLUSTER\tAUTHINFO\tNAMESPACE\tFILE\n");
    for (size_t i = 0; i < kc.contexts.len; i++) {
        const struct kc_context *c = &kc.contexts.v[i];
        strbuf_puts(&raw, current && strcmp(current, c->name) == 0 ? "*" : "");
        strbuf_putc(&raw, '\t');
        const char *cells[] = {c->name, c->cluster, c->user, c->namespace, c->source};
        for (size_t j = 0; j < 5; j++) {
            put_clean(&raw, cells[j]);
            strbuf_putc(&raw, j < 4 ? '\t' : '\n');
        }
    }
    tabwriter_format(strbuf_str(&raw), raw.len, TABWRITER_KUBECTL_GET, &out);
    fwrite(out.buf, 1, out.len, stdout);
    strbuf_free(&raw);
    strbuf_free(&out);
    kubeconfig_free(&kc);
    return fflush(stdout) == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

static int cmd_tui(const struct opts *o)
{
    struct kubeconfig kc;
    struct kube_conn conn;
    struct http *http;
    connect(o, &kc, &conn, &http);
    struct app_config cfg = {
        .conn = &conn,
        .http = http,
        .kind = kind_lookup("pods"),
        .all_ns = o->all_ns,
        .selector = o->selector,
        .readonly = o->readonly,
        .color = !o->no_color && !getenv("NO_COLOR"),
    };
    char err[512] = "";
    int rc = app_run(&cfg, err, sizeof err);
    http_free(http);
    kube_conn_free(&conn);
    kubeconfig_free(&kc);
    if (rc != 0)
        fprintf(stderr, "timon: error: %s\n", err);
    return rc;
}

int main(int argc, char **argv)
{
    enum {
        OPT_KUBECONFIG = 256,
        OPT_CONTEXT,
        OPT_READONLY,
        OPT_LOGFILE,
        OPT_NOCOLOR,
        OPT_EXECTIMEOUT
    };
    static const struct option longopts[] = {
        {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
        {"context", required_argument, NULL, OPT_CONTEXT},
        {"namespace", required_argument, NULL, 'n'},
        {"all-namespaces", no_argument, NULL, 'A'},
        {"selector", required_argument, NULL, 'l'},
        {"readonly", no_argument, NULL, OPT_READONLY},
        {"log-file", required_argument, NULL, OPT_LOGFILE},
        {"no-color", no_argument, NULL, OPT_NOCOLOR},
        {"exec-timeout", required_argument, NULL, OPT_EXECTIMEOUT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct opts o = {0};
    opterr = 0;
    int c;
    /* Flags may come before or after the command word, as with kubectl. */
    while ((c = getopt_long(argc, argv, "n:Al:vh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_KUBECONFIG:
            o.kubeconfig = optarg;
            break;
        case OPT_CONTEXT:
            o.context = optarg;
            break;
        case 'n':
            o.ns = optarg;
            break;
        case 'A':
            o.all_ns = true;
            break;
        case 'l':
            o.selector = optarg;
            break;
        case OPT_READONLY:
            o.readonly = true;
            break;
        case OPT_LOGFILE:
            o.log_file = optarg;
            break;
        case OPT_NOCOLOR:
            o.no_color = true;
            break;
        case OPT_EXECTIMEOUT: {
            int64_t secs;
            if (!duration_parse(optarg, &secs) || secs <= 0 || secs > 3600)
                usage_error("--exec-timeout needs a duration such as 30s or 2m, got \"%s\"",
                            optarg);
            o.exec_timeout_ms = (long)secs * 1000;
            break;
        }
        case 'v':
            o.verbose++;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_SUCCESS;
        case ':':
            usage_error("flag %s needs a value", argv[optind - 1]);
            break;
        default:
            usage_error("unknown flag %s", argv[optind - 1]);
        }
    }
    if (o.ns && o.all_ns)
        usage_error("--namespace and --all-namespaces cannot be used together");
    if (o.ns && !o.ns[0])
        usage_error("--namespace needs a non-empty value");
    int nargs = argc - optind;
    char **args = argv + optind;
    if (nargs > 0 && strcmp(args[0], "version") == 0) {
        printf("timon %s\n", TIMON_VERSION);
        return EXIT_SUCCESS;
    }
    if (nargs > 0 && strcmp(args[0], "help") == 0) {
        fputs(usage_text, stdout);
        return EXIT_SUCCESS;
    }
    open_log(&o);
    if (nargs > 0 && strcmp(args[0], "get") == 0)
        return cmd_get(&o, nargs - 1, args + 1);
    if (nargs > 0 && strcmp(args[0], "contexts") == 0)
        return cmd_contexts(&o, nargs - 1);
    if (nargs > 0)
        usage_error("unknown command \"%s\"", args[0]);
    return cmd_tui(&o);
}
