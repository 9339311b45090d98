/* main — flags, then the TUI or a one-shot command.
 *
 * The only place besides views/ that may print or exit. Exit codes: 0 success, 1 runtime error
 * (one line on stderr), 2 usage error. */
#include "cli.h"
#include "model/config.h"
#include "model/kind.h"
#include "model/command.h"
#include "model/selector.h"
#include "util/duration.h"
#include "util/fs.h"
#include "util/jsonarena.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "views/app.h"

#include <getopt.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "timon — a terminal UI for Kubernetes\n"
    "\n"
    "Usage:\n"
    "  timon [flags]                     open the live pods table\n"
    "  timon get KIND [NAME] [flags]     print the table once and exit\n"
    "  timon describe KIND NAME [-n NS]  print what kubectl describe prints (also KIND/NAME)\n"
    "  timon logs POD [C] [-c C] [-f] [-p] [--tail N] [--since DUR] [--timestamps]\n"
    "                                    print a container's log, as kubectl logs does\n"
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
    "  -o, --output FORMAT      get: table (default), wide, name, json or yaml\n"
    "  -c, --command CMD        the first view, as a command: deploy, \"po kube-system\", crd\n"
    "                           (for logs: the container, as --container)\n"
    "  --headless               hide the header\n"
    "  --crumbsless             hide the crumbs\n"
    "  --logoless               hide the logo\n"
    "  --filter REGEX           get: keep the rows matching a case-insensitive regex\n"
    "                           (!REGEX inverts it; -f TERM is a fuzzy match on namespace/name)\n"
    "  -f, --follow             logs: keep streaming\n"
    "  -p, --previous           logs: the previous instance of the container\n"
    "  --tail N                 logs: the last N lines (-1: all)\n"
    "  --since DUR              logs: the lines of the last DUR (30s, 5m, 1.5h, 500ms)\n"
    "  --timestamps             logs: each line with its RFC3339 timestamp\n"
    "  --readonly               refuse every request but GET, at the HTTP layer\n"
    "  --write                  allow changes even where config.yaml says readOnly\n"
    "  --no-color               no colours (also when NO_COLOR is set); state shown by attributes\n"
    "  --skin NAME|FILE         a k9s skin: a file, or NAME.yaml in $XDG_CONFIG_HOME/timon/skins\n"
    "                           or a shipped one (default, light, colorblind, high-contrast...)\n"
    "  --exec-timeout DUR       how long an exec credential plugin may run (default 60s)\n"
    "  --log-file FILE          write the log there (default $XDG_STATE_HOME/timon/timon.log)\n"
    "  -v, --verbose            log more (repeat for debug)\n"
    "  -h, --help               this text\n";

static void open_log(const struct opts *o)
{
    enum log_level level = o->verbose >= 2 ? LOG_DEBUG : o->verbose == 1 ? LOG_INFO : LOG_WARN;
    struct err e = {0};
    if (o->log_file) {
        if (!log_open(o->log_file, level, &e))
            cli_fail("%s", e.msg);
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

static int cmd_tui(const struct opts *o)
{
    struct cli_session s = {0};
    cli_connect(o, &s);
    /* Settings: the global config.yaml and the context's; a broken file is reported in the
     * UI and ignored, never fatal. */
    struct config global, ctx;
    char notice[1024] = "";
    cli_load_config(NULL, NULL, &global, notice, sizeof notice);
    cli_load_config(s.conn.cluster, s.conn.context, &ctx, notice, sizeof notice);
    bool readonly = config_readonly(o->write, o->readonly, &ctx, &global);
    http_set_readonly(s.http, readonly);
    const char *skin = o->skin ? o->skin : ctx.skin ? ctx.skin : global.skin;
    /* The app owns the connection from here on (a context switch replaces it). */
    struct kube_conn *conn = xmalloc(sizeof *conn);
    *conn = s.conn;
    memset(&s.conn, 0, sizeof s.conn);
    struct http *http = s.http;
    s.http = NULL;
    struct app_config cfg = {
        .kc = &s.kc,
        .conn = conn,
        .http = http,
        .global = &global,
        .context = &ctx,
        .cli_write = o->write,
        .cli_readonly = o->readonly,
        .exec_timeout_ms = o->exec_timeout_ms,
        .ns_given = o->ns != NULL,
        .kind = kind_lookup("pods"),
        .all_ns = o->all_ns,
        .selector = o->selector,
        .readonly = readonly,
        .notice = notice[0] ? notice : NULL,
        .color = !o->no_color && !getenv("NO_COLOR"),
        .skin = skin,
        .cli_skin = o->skin,
        .headless = o->headless || global.headless == CONFIG_YES,
        .crumbsless = o->crumbsless || global.crumbsless == CONFIG_YES,
        .logoless = o->logoless || global.logoless == CONFIG_YES,
        /* The first view: -c, then defaultView, then the view this context was left in. */
        .command = o->command            ? o->command
                   : global.default_view ? global.default_view
                                         : ctx.last_view,
    };
    char err[512] = "";
    int rc = app_run(&cfg, err, sizeof err);
    config_free(&global);
    config_free(&ctx);
    cli_session_free(&s);
    if (rc != 0)
        fprintf(stderr, "timon: error: %s\n", err);
    return rc;
}

/* A boolean flag: "--follow", or "--follow=true|false" as kubectl (pflag) takes it. */
static bool flag_value(const char *name, const char *arg)
{
    if (!arg || strcmp(arg, "true") == 0 || strcmp(arg, "1") == 0)
        return true;
    if (strcmp(arg, "false") == 0 || strcmp(arg, "0") == 0)
        return false;
    cli_usage_error("%s takes true or false, got \"%s\"", name, arg);
}

int main(int argc, char **argv)
{
    enum {
        OPT_KUBECONFIG = 256,
        OPT_CONTEXT,
        OPT_READONLY,
        OPT_WRITE,
        OPT_LOGFILE,
        OPT_NOCOLOR,
        OPT_EXECTIMEOUT,
        OPT_FILTER,
        OPT_HEADLESS,
        OPT_CRUMBSLESS,
        OPT_LOGOLESS,
        OPT_SKIN,
        OPT_CONTAINER,
        OPT_TAIL,
        OPT_SINCE,
        OPT_TIMESTAMPS,
    };
    static const struct option longopts[] = {
        {"kubeconfig", required_argument, NULL, OPT_KUBECONFIG},
        {"context", required_argument, NULL, OPT_CONTEXT},
        {"namespace", required_argument, NULL, 'n'},
        {"all-namespaces", no_argument, NULL, 'A'},
        {"selector", required_argument, NULL, 'l'},
        {"output", required_argument, NULL, 'o'},
        {"filter", required_argument, NULL, OPT_FILTER},
        {"command", required_argument, NULL, 'c'},
        {"headless", no_argument, NULL, OPT_HEADLESS},
        {"crumbsless", no_argument, NULL, OPT_CRUMBSLESS},
        {"logoless", no_argument, NULL, OPT_LOGOLESS},
        {"readonly", no_argument, NULL, OPT_READONLY},
        {"write", no_argument, NULL, OPT_WRITE},
        {"log-file", required_argument, NULL, OPT_LOGFILE},
        {"no-color", no_argument, NULL, OPT_NOCOLOR},
        {"skin", required_argument, NULL, OPT_SKIN},
        {"container", required_argument, NULL, OPT_CONTAINER},
        {"follow", optional_argument, NULL, 'f'},
        {"previous", optional_argument, NULL, 'p'},
        {"tail", required_argument, NULL, OPT_TAIL},
        {"since", required_argument, NULL, OPT_SINCE},
        {"timestamps", optional_argument, NULL, OPT_TIMESTAMPS},
        {"exec-timeout", required_argument, NULL, OPT_EXECTIMEOUT},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct opts o = {0};
    jsonarena_install();
#if defined(__GLIBC__)
    /* Large buffers come and go (a 22 MB metrics response every 15 s, sort keys, a filter's
     * text): a fixed mmap threshold gives them back to the system when freed, where glibc's
     * sliding one moved them onto the heap, which kept RSS ~30 MB above the live data. */
    mallopt(M_MMAP_THRESHOLD, 256 * 1024);
    /* No fastbins: after a metrics refresh frees 50,000 small samples, the next large
     * allocation (a key's sort) had glibc consolidate them all first, 25 ms in one keystroke. */
    mallopt(M_MXFAST, 0);
#endif
    opterr = 0;
    int c;
    /* Flags may come before or after the command word, as with kubectl. */
    while ((c = getopt_long(argc, argv, ":n:Al:o:c:vhfp", longopts, NULL)) != -1) {
        if (optarg && optarg[0] == '=' && optind > 0 && argv[optind - 1][0] == '-' &&
            argv[optind - 1][1] != '-')
            optarg++; /* "-c=app" means app, as kubectl (pflag) reads it */
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
        case 'o':
            o.output = optarg;
            break;
        case OPT_FILTER:
            o.filter = optarg;
            break;
        case 'c':
            o.command = optarg;
            break;
        case OPT_HEADLESS:
            o.headless = true;
            break;
        case OPT_CRUMBSLESS:
            o.crumbsless = true;
            break;
        case OPT_LOGOLESS:
            o.logoless = true;
            break;
        case OPT_READONLY:
            o.readonly = true;
            break;
        case OPT_WRITE:
            o.write = true;
            break;
        case OPT_LOGFILE:
            o.log_file = optarg;
            break;
        case OPT_NOCOLOR:
            o.no_color = true;
            break;
        case OPT_CONTAINER:
            o.container = optarg;
            break;
        case 'f':
            o.follow = flag_value("--follow", optarg);
            break;
        case 'p':
            o.previous = flag_value("--previous", optarg);
            break;
        case OPT_TAIL:
            o.tail = optarg;
            break;
        case OPT_SINCE:
            o.since = optarg;
            break;
        case OPT_TIMESTAMPS:
            o.timestamps = flag_value("--timestamps", optarg);
            break;
        case OPT_SKIN:
            if (!optarg[0])
                cli_usage_error("--skin needs a name or a file");
            o.skin = optarg;
            break;
        case OPT_EXECTIMEOUT: {
            int64_t ns;
            if (!duration_parse_go(optarg, &ns) || ns < 1000000 || ns > 3600000000000LL)
                cli_usage_error("--exec-timeout needs a duration such as 30s or 2m, got \"%s\"",
                                optarg);
            o.exec_timeout_ms = (long)(ns / 1000000);
            break;
        }
        case 'v':
            o.verbose++;
            break;
        case 'h':
            fputs(usage_text, stdout);
            return EXIT_SUCCESS;
        case ':':
            cli_usage_error("flag %s needs a value", argv[optind - 1]);
        default:
            cli_usage_error("unknown flag %s", argv[optind - 1]);
        }
    }
    if (o.ns && o.all_ns)
        cli_usage_error("--namespace and --all-namespaces cannot be used together");
    if (o.ns && !o.ns[0])
        cli_usage_error("--namespace needs a non-empty value");
    if (o.selector) {
        /* Validated here so a bad selector is a clear message, never a server round trip. */
        struct selector sel;
        struct err se = {0};
        if (!selector_parse(o.selector, &sel, &se))
            cli_usage_error("%s", se.msg);
        selector_free(&sel);
    }
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
    if (nargs > 0 && strcmp(args[0], "logs") == 0)
        return cmd_logs(&o, nargs - 1, args + 1);
    if (nargs > 0 && strcmp(args[0], "describe") == 0 &&
        !(o.follow || o.previous || o.tail || o.since || o.timestamps || o.container))
        return cmd_describe(&o, nargs - 1, args + 1);
    if (o.follow || o.previous || o.tail || o.since || o.timestamps || o.container)
        cli_usage_error(
            "-f, -p, --tail, --since, --timestamps and --container apply to 'timon logs'");
    if (nargs > 0)
        cli_usage_error("unknown command \"%s\"", args[0]);
    if (o.output || o.filter)
        cli_usage_error("-o and --filter apply to 'timon get'");
    if (o.command) {
        struct command cmd;
        struct err ce = {0};
        if (!command_parse(o.command, &cmd, &ce))
            cli_usage_error("-c: %s", ce.msg);
        command_free(&cmd);
    }
    return cmd_tui(&o);
}
