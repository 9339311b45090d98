/* prompt — the one-line editor behind ':' (and later '/').
 *
 * Input is bytes from the keyboard (UTF-8 arrives a byte at a time); Backspace removes a whole
 * character, Ctrl-U clears, Esc cancels, Enter submits. */
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
};

void prompt_open(struct prompt *p, char lead);
void prompt_close(struct prompt *p);
enum prompt_result prompt_key(struct prompt *p, int key);
void prompt_draw(const struct prompt *p, int y, int x, int w);

#endif
