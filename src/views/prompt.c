/* prompt — line editing for command and filter mode. */
#include "views/prompt.h"
#include "views/screen.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)

void prompt_open(struct prompt *p, char lead, const char *initial)
{
    memset(p, 0, sizeof *p);
    p->lead = lead;
    p->active = true;
    p->hist = -1;
    if (initial) {
        snprintf(p->buf, sizeof p->buf, "%s", initial);
        p->len = strlen(p->buf);
    }
}

void prompt_close(struct prompt *p)
{
    p->active = false;
}

static void set_text(struct prompt *p, const char *s)
{
    snprintf(p->buf, sizeof p->buf, "%s", s);
    p->len = strlen(p->buf);
}

enum prompt_result prompt_key(struct prompt *p, int key, char *const *history, int n)
{
    switch (key) {
    case 27: /* Esc */
        return PROMPT_CANCEL;
    case '\r':
    case '\n':
    case KEY_ENTER:
        return PROMPT_SUBMIT;
    case '\t':
    case KEY_RIGHT:
        if (p->suggestion[0] && p->len + strlen(p->suggestion) < PROMPT_MAX) {
            memcpy(p->buf + p->len, p->suggestion, strlen(p->suggestion) + 1);
            p->len = strlen(p->buf);
            p->suggestion[0] = '\0';
        }
        return PROMPT_EDITING;
    case KEY_UP:
        if (n > 0) {
            p->hist = p->hist < 0 ? n - 1 : p->hist > 0 ? p->hist - 1 : 0;
            set_text(p, history[p->hist]);
        }
        return PROMPT_EDITING;
    case KEY_DOWN:
        if (n > 0 && p->hist >= 0) {
            p->hist++;
            if (p->hist >= n) {
                p->hist = -1;
                set_text(p, "");
            } else {
                set_text(p, history[p->hist]);
            }
        }
        return PROMPT_EDITING;
    case KEY_BACKSPACE:
    case 127:
    case CTRL('h'):
        if (p->len == 0)
            return PROMPT_CANCEL; /* backspace on an empty line leaves, as in k9s */
        do {
            p->len--;
        } while (p->len > 0 && ((unsigned char)p->buf[p->len] & 0xc0) == 0x80);
        p->buf[p->len] = '\0';
        return PROMPT_EDITING;
    case CTRL('u'):
    case CTRL('w'):
        p->len = 0;
        p->buf[0] = '\0';
        return PROMPT_EDITING;
    default:
        break;
    }
    if (key >= 0x20 && key <= 0xff && key != 0x7f && p->len + 1 < PROMPT_MAX) {
        p->buf[p->len++] = (char)key;
        p->buf[p->len] = '\0';
    }
    return PROMPT_EDITING;
}

void prompt_draw(const struct prompt *p, int y, int x, int w)
{
    screen_fill(y, x, w, STYLE_PROMPT);
    char lead[3] = {p->lead, ' ', '\0'};
    int used = screen_text(y, x, w, lead, STYLE_PROMPT);
    /* Show the tail when the line is wider than the screen. */
    const char *s = p->buf;
    while (screen_width(s) > w - used - 1 && *s) {
        s++;
        while (((unsigned char)*s & 0xc0) == 0x80)
            s++;
    }
    used += screen_text(y, x + used, w - used, s, STYLE_PROMPT);
    int cursor = x + used;
    used += screen_text(y, x + used, w - used, p->suggestion, STYLE_PROMPT_SUGGEST);
    if (cursor < x + w)
        screen_text(y, cursor, 1, p->suggestion[0] ? p->suggestion : "_", STYLE_ROW_SELECTED);
}
