/* header — cluster information on the left, key hints on the right. */
#include "views/header.h"
#include "views/screen.h"

#include <stdio.h>
#include <string.h>

#define LABEL_W 11
#define HINT_W  18

static void row(int y, int w, const char *label, const char *value, enum style vs)
{
    screen_text(y, 1, LABEL_W, label, STYLE_HEADER_LABEL);
    screen_text(y, 1 + LABEL_W, w - 1 - LABEL_W, value ? value : "", vs);
}

static int hints(const struct keymap *km, int y, int x, int w, int h)
{
    int col = 0, line = 0;
    for (; km; km = km->parent) {
        for (size_t i = 0; i < km->n; i++) {
            const struct binding *b = &km->bindings[i];
            if (!b->hint)
                continue;
            int cx = x + col * HINT_W;
            if (cx + HINT_W > x + w)
                return line;
            char key[32];
            snprintf(key, sizeof key, "<%s>", b->name);
            int used = screen_text(y + line, cx, HINT_W - 1, key, STYLE_KEY);
            screen_text(y + line, cx + used + 1, HINT_W - used - 2, b->help, STYLE_KEY_HELP);
            if (++line >= h) {
                line = 0;
                col++;
            }
        }
    }
    return line;
}

void header_draw(const struct header_info *hi, const struct keymap *km, int y, int w)
{
    for (int i = 0; i < HEADER_ROWS; i++)
        screen_fill(y + i, 0, w, STYLE_DEFAULT);
    int info_w = w / 2 > 40 ? w / 2 : w;
    row(y + 0, info_w, "Context:", hi->context, STYLE_HEADER_VALUE);
    row(y + 1, info_w, "Cluster:", hi->cluster, STYLE_HEADER_VALUE);
    row(y + 2, info_w, "User:", hi->user, STYLE_HEADER_VALUE);
    row(y + 3, info_w, "Server:", hi->server, STYLE_HEADER_VALUE);
    if (hi->insecure) {
        int x = 1 + LABEL_W + screen_width(hi->server ? hi->server : "") + 2;
        screen_text(y + 3, x, info_w - x, "[insecure: TLS not verified]", STYLE_HEADER_WARN);
    }
    row(y + 4, info_w, "K8s Rev:", hi->version, STYLE_HEADER_VALUE);
    row(y + 5, info_w, "Namespace:", hi->ns, STYLE_HEADER_VALUE);
    row(y + 6, info_w, "Watch:", hi->watch, hi->watch_ok ? STYLE_HEADER_VALUE : STYLE_HEADER_WARN);
    if (hi->readonly) {
        int x = 1 + LABEL_W + screen_width(hi->ns ? hi->ns : "") + 2;
        screen_text(y + 5, x, info_w - x, "[read-only]", STYLE_HEADER_WARN);
    }
    if (w > 40 && info_w < w)
        hints(km, y, info_w + 1, w - info_w - 1, HEADER_ROWS);
}
