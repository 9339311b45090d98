/* app — the loop. Event handlers only set dirty bits; drawing happens once per pass.
 *
 * Must not: block (every wait is the one poll()), exit on an API or connection failure, or draw
 * outside app_draw. */
#include "views/app.h"
#include "client/apierror.h"
#include "model/feed.h"
#include "util/clock.h"
#include "util/json.h"
#include "util/log.h"
#include "util/xalloc.h"
#include "views/header.h"
#include "views/keymap.h"
#include "views/prompt.h"
#include "views/screen.h"
#include "views/sigpipe.h"
#include "views/tableview.h"

#include <curses.h>
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PREFLIGHT_TIMEOUT_MS 15000
#define FLASH_MS             5000
#define MAX_FDS              64

enum dirty { DIRTY_HEADER = 1, DIRTY_TABLE = 2, DIRTY_FOOTER = 4, DIRTY_ALL = 7 };

struct app {
    const struct app_config *cfg;
    struct feed *feed;
    struct tableview tv;
    struct prompt prompt;
    const struct keymap *keys;
    char version[64];
    char flash[256];
    bool flash_error;
    int64_t flash_until; /* monotonic ms; 0 when no flash */
    unsigned dirty;
    bool quit;
    int64_t last_second;
    uint64_t seen_state;
};

struct preflight {
    bool done;
    char msg[512];
    char version[64];
};

static void preflight_done(void *ud, const struct http_response *r)
{
    struct preflight *p = ud;
    p->done = true;
    if (r->error != HTTP_OK || r->status != 200) {
        apierror_message(r, p->msg, sizeof p->msg);
        return;
    }
    cJSON *v = cJSON_ParseWithLength(r->body, r->body_len);
    snprintf(p->version, sizeof p->version, "%s", json_strz(v, "gitVersion"));
    cJSON_Delete(v);
}

/* Talks to the server once before the screen starts, so an unreachable server, a bad
 * certificate or rejected credentials end with a clear line instead of a blank screen. */
static bool preflight(struct http *http, char *version, size_t vlen, char *err, size_t errlen)
{
    struct preflight p = {0};
    struct err e = {0};
    struct http_req_spec spec = {.path = "/version", .timeout_ms = PREFLIGHT_TIMEOUT_MS};
    if (!http_send(http, &spec, NULL, preflight_done, &p, &e)) {
        snprintf(err, errlen, "%s", e.msg);
        return false;
    }
    http_run(http, PREFLIGHT_TIMEOUT_MS + 1000);
    if (!p.done) {
        snprintf(err, errlen, "no answer from %s within %d s", http_server(http),
                 PREFLIGHT_TIMEOUT_MS / 1000);
        return false;
    }
    if (p.msg[0]) {
        snprintf(err, errlen, "%s", p.msg);
        return false;
    }
    snprintf(version, vlen, "%s", p.version[0] ? p.version : "unknown");
    return true;
}

static void app_flash(struct app *a, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void app_flash(struct app *a, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(a->flash, sizeof a->flash, fmt, ap);
    va_end(ap);
    a->flash_error = error;
    a->flash_until = clock_mono_ms() + FLASH_MS;
    a->dirty |= DIRTY_FOOTER;
}

static void watch_text(const struct app *a, char *buf, size_t n, bool *ok)
{
    enum reflector_state st = feed_state(a->feed);
    const char *reason = feed_reason(a->feed);
    *ok = true;
    switch (st) {
    case REFLECTOR_WATCHING:
        snprintf(buf, n, "live");
        break;
    case REFLECTOR_LISTING:
        if (reason[0]) {
            snprintf(buf, n, "reconnecting: %s", reason);
            *ok = false;
        } else {
            snprintf(buf, n, a->feed->synced ? "relisting" : "syncing");
        }
        break;
    case REFLECTOR_BACKOFF: {
        int ms = feed_timeout_ms(a->feed);
        snprintf(buf, n, "disconnected, reconnecting in %ds: %s", (ms + 999) / 1000, reason);
        *ok = false;
        break;
    }
    default:
        snprintf(buf, n, "%s", reason[0] ? reason : "stopped");
        *ok = false;
        break;
    }
}

static void app_draw(struct app *a)
{
    int rows = screen_rows(), cols = screen_cols();
    if (rows <= 0 || cols <= 0)
        return;
    bool show_header = rows >= HEADER_ROWS + 6 && cols >= 20;
    bool show_footer = rows >= 3;
    int top = show_header ? HEADER_ROWS : 0;
    int bottom = show_footer ? 1 : 0;
    if (a->dirty & DIRTY_HEADER && show_header) {
        char watch[600];
        bool ok;
        watch_text(a, watch, sizeof watch, &ok);
        const struct kube_conn *c = a->cfg->conn;
        struct header_info hi = {
            .context = c->context,
            .cluster = c->cluster,
            .user = c->user,
            .server = c->server,
            .version = a->version,
            .ns = a->tv.ns_label ? a->tv.ns_label : "-",
            .watch = watch,
            .watch_ok = ok,
            .readonly = a->cfg->readonly,
            .insecure = c->insecure,
        };
        header_draw(&hi, a->keys, 0, cols);
    }
    if (a->dirty & DIRTY_TABLE)
        tableview_draw(&a->tv, top, 0, rows - top - bottom, cols, clock_wall_s());
    if (a->dirty & DIRTY_FOOTER && show_footer) {
        int y = rows - 1;
        if (a->prompt.active) {
            prompt_draw(&a->prompt, y, 0, cols);
        } else {
            screen_fill(y, 0, cols, STYLE_DEFAULT);
            char crumb[64];
            snprintf(crumb, sizeof crumb, " <%s> ", a->tv.table.kind->resource);
            int used = screen_text(y, 1, cols - 1, crumb, STYLE_CRUMB);
            if (a->flash[0])
                screen_text(y, used + 3, cols - used - 3, a->flash,
                            a->flash_error ? STYLE_FLASH_ERROR : STYLE_FLASH_INFO);
        }
    }
    a->dirty = 0;
    screen_flush();
}

static void run_command(struct app *a, const char *line)
{
    while (*line == ' ')
        line++;
    char cmd[PROMPT_MAX];
    snprintf(cmd, sizeof cmd, "%s", line);
    size_t n = strlen(cmd);
    while (n && cmd[n - 1] == ' ')
        cmd[--n] = '\0';
    static const char *const quits[] = {"q", "q!", "qa", "Q", "quit", "exit"};
    for (size_t i = 0; i < sizeof quits / sizeof quits[0]; i++) {
        if (strcmp(cmd, quits[i]) == 0) {
            a->quit = true;
            return;
        }
    }
    if (!cmd[0])
        return;
    const struct kind *k = kind_lookup(cmd);
    if (k && k == a->tv.table.kind)
        return;
    app_flash(a, true, "unknown command: %s", cmd);
}

static void on_key(struct app *a, int key)
{
    if (key == KEY_RESIZE) {
        a->dirty = DIRTY_ALL;
        return;
    }
    if (a->prompt.active) {
        switch (prompt_key(&a->prompt, key)) {
        case PROMPT_SUBMIT: {
            char line[PROMPT_MAX];
            snprintf(line, sizeof line, "%s", a->prompt.buf);
            prompt_close(&a->prompt);
            run_command(a, line);
            break;
        }
        case PROMPT_CANCEL:
            prompt_close(&a->prompt);
            break;
        case PROMPT_EDITING:
            break;
        }
        a->dirty |= DIRTY_FOOTER;
        return;
    }
    const struct binding *b = keymap_find(a->keys, key);
    if (!b)
        return;
    switch (b->action) {
    case ACT_QUIT:
        a->quit = true;
        break;
    case ACT_COMMAND:
        prompt_open(&a->prompt, ':');
        a->dirty |= DIRTY_FOOTER;
        break;
    default:
        if (tableview_act(&a->tv, b->action))
            a->dirty |= DIRTY_TABLE;
        break;
    }
}

/* An interactive credential plugin needs the terminal. */
static void app_suspend(void *ud)
{
    (void)ud;
    screen_suspend();
}

static void app_resume(void *ud)
{
    struct app *a = ud;
    screen_resume();
    a->dirty = DIRTY_ALL;
}

static int min_timeout(int a, int b)
{
    if (a < 0)
        return b;
    if (b < 0)
        return a;
    return a < b ? a : b;
}

static void app_loop(struct app *a)
{
    struct pollfd fds[MAX_FDS];
    while (!a->quit) {
        /* Pick up what changed since the last pass. */
        if (tableview_sync(&a->tv))
            a->dirty |= DIRTY_TABLE;
        if (a->feed->state_version != a->seen_state) {
            a->seen_state = a->feed->state_version;
            a->dirty |= DIRTY_HEADER;
        }
        int64_t now_s = clock_wall_s();
        if (now_s != a->last_second) {
            a->last_second = now_s;
            a->dirty |= DIRTY_TABLE; /* ages tick; only visible rows are drawn */
            if (feed_state(a->feed) == REFLECTOR_BACKOFF)
                a->dirty |= DIRTY_HEADER;
        }
        if (a->flash_until && clock_mono_ms() >= a->flash_until) {
            a->flash_until = 0;
            a->flash[0] = '\0';
            a->dirty |= DIRTY_FOOTER;
        }
        if (a->dirty)
            app_draw(a);

        fds[0] = (struct pollfd){.fd = STDIN_FILENO, .events = POLLIN};
        fds[1] = (struct pollfd){.fd = sigpipe_fd(), .events = POLLIN};
        size_t n = 2 + http_pollfds(a->cfg->http, fds + 2, MAX_FDS - 2);
        if (n > MAX_FDS)
            n = MAX_FDS;
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int to_second = 1000 - (int)(ts.tv_nsec / 1000000) + 5;
        int t = min_timeout(http_timeout_ms(a->cfg->http), feed_timeout_ms(a->feed));
        t = min_timeout(t, to_second);
        if (a->flash_until)
            t = min_timeout(t, (int)(a->flash_until - clock_mono_ms()));
        if (t < 0)
            t = 0;
        int rc = poll(fds, (nfds_t)n, t);
        if (rc < 0 && errno != EINTR)
            break;
        if (rc < 0)
            continue;
        if (fds[1].revents) {
            unsigned bits = sigpipe_take();
            if (bits & SIGPIPE_QUIT)
                a->quit = true;
            if (bits & SIGPIPE_WINCH) {
                screen_resize();
                clear();
                a->dirty = DIRTY_ALL;
            }
        }
        if (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL))
            a->quit = true; /* the terminal went away */
        if (fds[0].revents & POLLIN) {
            int key;
            while ((key = getch()) != ERR && !a->quit)
                on_key(a, key);
        }
        http_on_poll(a->cfg->http, fds + 2, n - 2);
        feed_tick(a->feed);
    }
}

int app_run(const struct app_config *cfg, char *err, size_t errlen)
{
    struct app a;
    memset(&a, 0, sizeof a);
    a.cfg = cfg;
    a.keys = &keymap_table;
    if (!preflight(cfg->http, a.version, sizeof a.version, err, errlen))
        return 1;
    struct feed_spec spec = {
        .kind = cfg->kind,
        .ns = cfg->all_ns ? NULL : cfg->conn->namespace,
        .label_selector = cfg->selector,
    };
    a.feed = feed_new(cfg->http, &spec);
    tableview_init(&a.tv, a.feed, cfg->all_ns, cfg->conn->namespace);
    struct err e = {0};
    if (!screen_begin(cfg->color, &e)) {
        snprintf(err, errlen, "%s", e.msg);
        tableview_free(&a.tv);
        feed_free(a.feed);
        return 1;
    }
    if (!sigpipe_open(&e)) {
        screen_end();
        snprintf(err, errlen, "%s", e.msg);
        tableview_free(&a.tv);
        feed_free(a.feed);
        return 1;
    }
    auth_set_terminal_hooks(http_auth(cfg->http), app_suspend, app_resume, &a);
    log_info("tui: context %s, server %s", cfg->conn->context, cfg->conn->server);
    a.dirty = DIRTY_ALL;
    app_loop(&a);
    auth_set_terminal_hooks(http_auth(cfg->http), NULL, NULL, NULL);
    screen_end();
    sigpipe_close();
    tableview_free(&a.tv);
    feed_free(a.feed);
    return 0;
}
