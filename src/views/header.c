/* header — cluster information on the left, key hints in the middle, the logo on the right. */
#include "views/header.h"
#include "views/screen.h"

#include <stdio.h>
#include <string.h>

#define LABEL_W 11
#define HINT_W  20
#define LOGO_W  22

static const char *const logo[] = {
    " _   _                 ",
    "| |_(_)_ __  ___ _ _   ",
    "|  _| | '  \\/ _ \\ ' \\  ",
    " \\__|_|_|_|_\\___/_||_| ",
};

static void row(int y, int w, const char *label, const char *value, enum style vs)
{
    screen_text(y, 1, LABEL_W, label, STYLE_HEADER_LABEL);
    screen_text(y, 1 + LABEL_W, w - 1 - LABEL_W, value ? value : "", vs);
}

static bool hint(int y, int x, int w, const char *key, const char *help, bool off)
{
    if (w < 6)
        return false;
    char k[48];
    snprintf(k, sizeof k, "<%s>", key);
    int used = screen_text(y, x, w, k, off ? STYLE_KEY_DISABLED : STYLE_KEY);
    screen_text(y, x + used + 1, w - used - 1, help, off ? STYLE_KEY_DISABLED : STYLE_KEY_HELP);
    return true;
}

static void hints(const struct header_info *hi, const struct keymap *km, int y, int x, int w, int h)
{
    int col = 0, line = 0;
    int cols = w / HINT_W;
    if (cols <= 0)
        return;
    const struct keymap *top = km;
    for (; km; km = km->parent) {
        for (size_t i = 0; i < km->n; i++) {
            const struct binding *b = &km->bindings[i];
            if (!b->hint || keymap_find(top, b->key) != b)
                continue; /* not hinted, or a nearer table took the key */
            char help[64];
            const char *text = action_hint(b->action);
            if (b->action == ACT_NS_FAV) {
                int fi = b->key - '1';
                if (fi < 0 || fi >= hi->nfavs || !hi->favs[fi])
                    continue;
                snprintf(help, sizeof help, "%s", hi->favs[fi]);
                text = help;
            } else if (b->action == ACT_NS_ALL) {
                text = "all";
            }
            /* One hint per action: "1".."9" each name a namespace, others appear once. */
            bool seen = false;
            for (size_t j = 0; j < i && b->action != ACT_NS_FAV; j++)
                seen = seen || km->bindings[j].action == b->action;
            if (seen)
                continue;
            if (col >= cols)
                return;
            bool off = hi->disabled && hi->disabled(hi->ud, b->action);
            hint(y + line, x + col * HINT_W, HINT_W - 1, b->name, text, off);
            if (++line >= h) {
                line = 0;
                col++;
            }
        }
    }
}

/* A warning after a value on its row: the longest wording that fits, and when even the
 * shortest does not, over the value's end (the warning matters more than a URL's tail). */
static void warn_after(int y, int x, int info_w, const char *const *words, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (screen_width(words[i]) <= info_w - x) {
            screen_text(y, x, info_w - x, words[i], STYLE_HEADER_WARN);
            return;
        }
    }
    int wd = screen_width(words[n - 1]);
    int at = info_w - wd - 1 > 1 + LABEL_W ? info_w - wd - 1 : 1 + LABEL_W;
    screen_text(y, at, info_w - at, words[n - 1], STYLE_HEADER_WARN);
}

void header_draw(const struct header_info *hi, const struct keymap *km, int y, int w)
{
    for (int i = 0; i < HEADER_ROWS; i++)
        screen_fill(y + i, 0, w, STYLE_DEFAULT);
    int info_w = w / 2 > 44 ? 44 : w / 2 > 30 ? w / 2 : w;
    if (w < 60)
        info_w = w;
    char rev[128];
    snprintf(rev, sizeof rev, "%s  (timon %s)", hi->version ? hi->version : "?", TIMON_VERSION);
    row(y + 0, info_w, "Context:", hi->context,
        hi->danger ? STYLE_DIALOG_DANGER : STYLE_HEADER_VALUE);
    if (hi->readonly) {
        static const char *const words[] = {"[read-only]", "[ro]"};
        int x = 1 + LABEL_W + screen_width(hi->context ? hi->context : "") + 1;
        warn_after(y, x, info_w, words, 2);
    }
    row(y + 1, info_w, "Cluster:", hi->cluster, STYLE_HEADER_VALUE);
    row(y + 2, info_w, "User:", hi->user, STYLE_HEADER_VALUE);
    row(y + 3, info_w, "Server:", hi->server, STYLE_HEADER_VALUE);
    if (hi->insecure) {
        static const char *const words[] = {"[insecure: TLS not verified]", "[TLS not verified]",
                                            "[insecure]"};
        int x = 1 + LABEL_W + screen_width(hi->server ? hi->server : "") + 1;
        warn_after(y + 3, x, info_w, words, 3);
    }
    row(y + 4, info_w, "K8s Rev:", rev, STYLE_HEADER_VALUE);
    row(y + 5, info_w, "Namespace:", hi->ns, STYLE_HEADER_VALUE);
    row(y + 6, info_w, "Watch:", hi->watch, hi->watch_ok ? STYLE_HEADER_VALUE : STYLE_HEADER_WARN);
    if (hi->metrics)
        row(y + 7, info_w, "Metrics:", hi->metrics, STYLE_HEADER_VALUE);
    if (info_w >= w)
        return;
    int logo_w = hi->logo && w - info_w > LOGO_W + HINT_W ? LOGO_W + 1 : 0;
    hints(hi, km, y, info_w + 1, w - info_w - 1 - logo_w, HEADER_ROWS);
    if (logo_w)
        for (size_t i = 0; i < sizeof logo / sizeof logo[0]; i++)
            screen_text(y + (int)i, w - LOGO_W, LOGO_W, logo[i], STYLE_LOGO);
}
