/* prompt — line editing for command mode. */
#include "views/prompt.h"
#include "views/screen.h"

#include <curses.h>
#include <string.h>

#define CTRL(c) ((c)&0x1f)

void prompt_open(struct prompt *p, char lead)
{
    memset(p, 0, sizeof *p);
    p->lead = lead;
    p->active = true;
}

void prompt_close(struct prompt *p)
{
    p->active = false;
}

enum prompt_result prompt_key(struct prompt *p, int key)
{
    switch (key) {
    case 27: /* Esc */
        return PROMPT_CANCEL;
    case '\r':
    case '\n':
    case KEY_ENTER:
        return PROMPT_SUBMIT;
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
    screen_text(y, x + used, w - used, "_", STYLE_PROMPT);
}
