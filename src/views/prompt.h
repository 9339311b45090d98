/* prompt — the one-line editor behind ':' and '/'.
 *
 * Input is bytes from the keyboard (UTF-8 arrives a byte at a time). Backspace removes a whole
 * character (and leaves an empty prompt), Ctrl-U/Ctrl-W clear, Esc cancels, Enter submits.
 * A suggestion (the rest of a completion, set by the owner after each key) shows dimmed after
 * the text; Tab or Right accepts it. Up/Down walk the history the owner passes in. */
#ifndef TIMON_VIEWS_PROMPT_H
#define TIMON_VIEWS_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

#define PROMPT_MAX 256

enum prompt_result { PROMPT_EDITING, PROMPT_SUBMIT, PROMPT_CANCEL };

struct prompt {
    char buf[PROMPT_MAX];
    size_t len;
    char lead; /* ':' or '/' */
    bool active;
    char suggestion[PROMPT_MAX]; /* the completion's remaining text, or "" */
    int hist;                    /* history position while walking it; -1 when not */
};

void prompt_open(struct prompt *p, char lead, const char *initial);
void prompt_close(struct prompt *p);
/* `history` holds n entries, oldest first (may be NULL). */
enum prompt_result prompt_key(struct prompt *p, int key, char *const *history, int n);
void prompt_draw(const struct prompt *p, int y, int x, int w);

#endif
