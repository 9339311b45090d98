/* screen — the terminal: curses setup and teardown, colours, safe clipped drawing.
 *
 * The terminal is restored on every exit path: a normal return (screen_end), exit() (atexit),
 * an allocation failure (the xalloc fatal hook) and fatal signals (a handler that restores the
 * saved termios and leaves the alternate screen with async-signal-safe writes, then re-raises).
 * Drawing never writes outside the screen, whatever its size. */
#ifndef TIMON_VIEWS_SCREEN_H
#define TIMON_VIEWS_SCREEN_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

/* Semantic styles; views never use raw colours. */
enum style {
    STYLE_DEFAULT,
    STYLE_HEADER_LABEL,
    STYLE_HEADER_VALUE,
    STYLE_HEADER_WARN,
    STYLE_KEY,
    STYLE_KEY_HELP,
    STYLE_BORDER,
    STYLE_TITLE,
    STYLE_TITLE_COUNT,
    STYLE_TITLE_FILTER,
    STYLE_TABLE_HEADER,
    STYLE_TABLE_HEADER_SEL,
    STYLE_ROW,
    STYLE_ROW_SELECTED,
    STYLE_ROW_PENDING,
    STYLE_ROW_ERROR,
    STYLE_ROW_COMPLETED,
    STYLE_ROW_TERMINATING,
    STYLE_ROW_DELETED,
    STYLE_ROW_MODIFIED,
    STYLE_ROW_MARKED,
    STYLE_SEARCH_MATCH,
    STYLE_YAML_KEY,
    STYLE_YAML_COLON,
    STYLE_YAML_VALUE,
    STYLE_LOGO,
    STYLE_PROMPT_SUGGEST,
    STYLE_CRUMB,
    STYLE_FLASH_INFO,
    STYLE_FLASH_ERROR,
    STYLE_PROMPT,
    STYLE_COUNT
};

bool screen_begin(bool color, struct err *e);
void screen_end(void);
bool screen_active(void);
/* Hands the terminal back (to an interactive credential plugin, an editor) and takes it again. */
void screen_suspend(void);
void screen_resume(void);
/* Re-reads the terminal size after SIGWINCH and resizes curses (never below 1x1). */
void screen_resize(void);
int screen_rows(void);
int screen_cols(void);

/* Draws s at (y, x), at most maxw columns wide, clipped to the screen; returns columns used.
 * Wide characters that would straddle the limit are not drawn. */
int screen_text(int y, int x, int maxw, const char *s, enum style st);
/* Fills columns [x, x+w) of row y with spaces in style st. */
void screen_fill(int y, int x, int w, enum style st);
/* Display width of a UTF-8 string (unprintable code points count as 1). */
int screen_width(const char *s);
void screen_hline(int y, int x, int w, enum style st);
void screen_box(int y, int x, int h, int w, enum style st);
void screen_flush(void);

#endif
