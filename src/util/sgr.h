/* sgr — log text made safe for the terminal, keeping the colours programs print.
 *
 * Programs colour their logs with SGR sequences (ESC [ params m). sgr_render drops those and
 * records the foreground hue they select as runs over its output; every other byte goes through
 * sanitize, so any other escape sequence (cursor moves, OSC titles, DCS, 8-bit CSI ...) is shown
 * visibly ("^[[2J"), never obeyed, and the output never holds a control byte. Hues, not exact
 * colours: a view paints them with its skin's styles. Bounded: at most SGR_MAX_RUNS runs per
 * call, later colour changes are dropped (the text is not). */
#ifndef TIMON_UTIL_SGR_H
#define TIMON_UTIL_SGR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* The hues a log line can ask for. Black, white and greys are the default colour: on a dark or
 * light terminal they would vanish or say nothing. */
enum sgr_color { SGR_DEFAULT, SGR_RED, SGR_GREEN, SGR_YELLOW, SGR_BLUE, SGR_MAGENTA, SGR_CYAN };

#define SGR_NCOLORS  7
#define SGR_MAX_RUNS 32
#define SGR_MAX_SEQ  64 /* a longer parameter string is not taken as SGR: it is shown */

struct sgr_run {
    uint32_t off;  /* byte offset in the rendered text, from where rendering started */
    uint8_t color; /* enum sgr_color, until the next run's offset */
};

struct sgr_runs {
    struct sgr_run r[SGR_MAX_RUNS];
    unsigned n; /* runs in order of offset; before the first one the colour is the default */
};

/* Appends the neutralised text of in[0..n) to out (sanitize flags as in util/sanitize.h) and,
 * when runs is not NULL, replaces its contents with the colour runs (offsets relative to
 * out->len at entry). Returns false if out hit its cap. */
bool sgr_render(const char *in, size_t n, struct strbuf *out, struct sgr_runs *runs,
                unsigned flags);
/* The colour in force at byte offset off of the rendered text. */
enum sgr_color sgr_color_at(const struct sgr_runs *runs, size_t off);

#endif
