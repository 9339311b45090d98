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
#include "views/skin.h" /* enum style, generated from the skin table */

/* What screen_begin needs: colour on or off (NO_COLOR, --no-color), and the skin: a name, a
 * file, or NULL for the built-in one. */
struct screen_config {
    bool color;
    const char *skin;
};

/* Starts curses and the styles. A skin that cannot be found or read is never fatal: the default
 * skin is used and the one-line reason, naming the file, is left in *notice (which may be NULL)
 * and in the log. Returns false, with e set, only when the terminal cannot be used. */
bool screen_begin(const struct screen_config *cfg, struct err *notice, struct err *e);
void screen_end(void);
/* Loads another skin while running (a context with its own); a skin that cannot be loaded
 * leaves the default one and says so in *notice. */
bool screen_reskin(const struct screen_config *cfg, struct err *notice);
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
/* Frames drawn in STYLE_BORDER take the danger style instead (a dangerous context). */
void screen_set_danger(bool on);
void screen_flush(void);

#endif
