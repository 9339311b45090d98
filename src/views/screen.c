/* screen — curses lifecycle, terminal restoration, styles and clipped drawing. */
#include "views/screen.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

static bool active;
static bool utf8_locale;
static bool have_termios;
static struct termios saved_termios;
static attr_t styles[STYLE_COUNT];
/* Escape strings to leave the alternate screen and show the cursor, captured while it is safe
 * to call terminfo, for the fatal-signal handler. */
static char restore_seq[128];
static size_t restore_len;

static void capture_restore_seq(void)
{
    restore_len = 0;
    const char *caps[] = {"rmcup", "cnorm", "sgr0"};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        const char *s = tigetstr(caps[i]);
        if (!s || s == (char *)-1)
            continue;
        size_t n = strlen(s);
        if (restore_len + n < sizeof restore_seq) {
            memcpy(restore_seq + restore_len, s, n);
            restore_len += n;
        }
    }
}

static void fatal_signal(int sig)
{
    if (active) {
        if (have_termios)
            tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
        ssize_t w = write(STDOUT_FILENO, restore_seq, restore_len);
        (void)w;
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

static void restore_hook(void)
{
    screen_end();
}

static void init_styles(bool color)
{
    for (int i = 0; i < STYLE_COUNT; i++)
        styles[i] = A_NORMAL;
    /* Monochrome: state by attribute alone (NO_COLOR, --no-color, or no colours at all). */
    styles[STYLE_HEADER_LABEL] = A_BOLD;
    styles[STYLE_HEADER_WARN] = A_BOLD | A_REVERSE;
    styles[STYLE_KEY] = A_BOLD;
    styles[STYLE_KEY_HELP] = A_DIM;
    styles[STYLE_TITLE] = A_BOLD;
    styles[STYLE_TITLE_COUNT] = A_BOLD;
    styles[STYLE_TABLE_HEADER] = A_BOLD | A_UNDERLINE;
    styles[STYLE_TABLE_HEADER_SEL] = A_BOLD | A_UNDERLINE | A_REVERSE;
    styles[STYLE_TITLE_FILTER] = A_BOLD;
    styles[STYLE_ROW_DELETED] = A_DIM | A_UNDERLINE;
    styles[STYLE_ROW_MODIFIED] = A_BOLD;
    styles[STYLE_ROW_MARKED] = A_BOLD | A_UNDERLINE;
    styles[STYLE_SEARCH_MATCH] = A_UNDERLINE;
    styles[STYLE_YAML_KEY] = A_BOLD;
    styles[STYLE_LOGO] = A_BOLD;
    styles[STYLE_PROMPT_SUGGEST] = A_DIM;
    styles[STYLE_ROW_SELECTED] = A_REVERSE;
    styles[STYLE_ROW_ERROR] = A_BOLD;
    styles[STYLE_ROW_PENDING] = A_NORMAL;
    styles[STYLE_ROW_COMPLETED] = A_DIM;
    styles[STYLE_ROW_TERMINATING] = A_DIM;
    styles[STYLE_CRUMB] = A_REVERSE;
    styles[STYLE_FLASH_ERROR] = A_BOLD;
    styles[STYLE_PROMPT] = A_BOLD;
    if (!color || !has_colors())
        return;
    start_color();
    use_default_colors();
    static const struct {
        enum style st;
        short fg, bg;
        attr_t attr;
    } pal[] = {
        {STYLE_HEADER_LABEL, COLOR_YELLOW, -1, A_BOLD},
        {STYLE_HEADER_VALUE, COLOR_WHITE, -1, A_BOLD},
        {STYLE_HEADER_WARN, COLOR_WHITE, COLOR_RED, A_BOLD},
        {STYLE_KEY, COLOR_MAGENTA, -1, A_BOLD},
        {STYLE_KEY_HELP, COLOR_WHITE, -1, A_DIM},
        {STYLE_BORDER, COLOR_CYAN, -1, A_NORMAL},
        {STYLE_TITLE, COLOR_CYAN, -1, A_BOLD},
        {STYLE_TITLE_COUNT, COLOR_MAGENTA, -1, A_BOLD},
        {STYLE_TITLE_FILTER, COLOR_YELLOW, -1, A_BOLD},
        {STYLE_TABLE_HEADER, COLOR_WHITE, -1, A_BOLD},
        {STYLE_TABLE_HEADER_SEL, COLOR_BLACK, COLOR_WHITE, A_BOLD},
        {STYLE_ROW, COLOR_CYAN, -1, A_NORMAL},
        {STYLE_ROW_SELECTED, COLOR_BLACK, COLOR_CYAN, A_NORMAL},
        {STYLE_ROW_PENDING, COLOR_YELLOW, -1, A_NORMAL},
        {STYLE_ROW_ERROR, COLOR_RED, -1, A_NORMAL},
        {STYLE_ROW_COMPLETED, COLOR_WHITE, -1, A_DIM},
        {STYLE_ROW_TERMINATING, COLOR_MAGENTA, -1, A_NORMAL},
        {STYLE_ROW_DELETED, COLOR_RED, -1, A_DIM},
        {STYLE_ROW_MODIFIED, COLOR_GREEN, -1, A_BOLD},
        {STYLE_ROW_MARKED, COLOR_YELLOW, -1, A_BOLD},
        {STYLE_SEARCH_MATCH, COLOR_BLACK, COLOR_YELLOW, A_NORMAL},
        {STYLE_YAML_KEY, COLOR_CYAN, -1, A_BOLD},
        {STYLE_YAML_COLON, COLOR_WHITE, -1, A_NORMAL},
        {STYLE_YAML_VALUE, COLOR_WHITE, -1, A_NORMAL},
        {STYLE_LOGO, COLOR_YELLOW, -1, A_BOLD},
        {STYLE_PROMPT_SUGGEST, COLOR_WHITE, -1, A_DIM},
        {STYLE_CRUMB, COLOR_BLACK, COLOR_YELLOW, A_NORMAL},
        {STYLE_FLASH_INFO, COLOR_GREEN, -1, A_NORMAL},
        {STYLE_FLASH_ERROR, COLOR_RED, -1, A_BOLD},
        {STYLE_PROMPT, COLOR_CYAN, -1, A_BOLD},
    };
    for (size_t i = 0; i < sizeof pal / sizeof pal[0]; i++) {
        short pair = (short)(i + 1);
        if (init_pair(pair, pal[i].fg, pal[i].bg) == OK)
            styles[pal[i].st] = COLOR_PAIR(pair) | pal[i].attr;
    }
}

bool screen_begin(bool color, struct err *e)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    utf8_locale = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
        return err_set(e, "the TUI needs a terminal; use 'timon get' for output to a pipe");
    have_termios = tcgetattr(STDIN_FILENO, &saved_termios) == 0;
    if (!newterm(NULL, stdout, stdin))
        return err_set(e, "cannot initialise the terminal (TERM=%s)",
                       getenv("TERM") ? getenv("TERM") : "unset");
    active = true;
    atexit(screen_end);
    xalloc_set_fatal_hook(restore_hook);
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGQUIT};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        signal(sigs[i], fatal_signal);
    capture_restore_seq();
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    init_styles(color);
    return true;
}

void screen_end(void)
{
    if (!active)
        return;
    active = false;
    endwin();
    xalloc_set_fatal_hook(NULL);
}

bool screen_active(void)
{
    return active;
}

void screen_suspend(void)
{
    if (!active)
        return;
    def_prog_mode();
    endwin();
}

void screen_resume(void)
{
    if (!active)
        return;
    reset_prog_mode();
    clearok(stdscr, TRUE);
    refresh();
}

void screen_resize(void)
{
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
        return;
    int r = ws.ws_row > 0 ? ws.ws_row : 1;
    int c = ws.ws_col > 0 ? ws.ws_col : 1;
    resizeterm(r, c);
}

int screen_rows(void)
{
    return LINES > 0 ? LINES : 0;
}

int screen_cols(void)
{
    return COLS > 0 ? COLS : 0;
}

/* The display width of one code point; unprintable ones count as 1 and draw as '?'. */
static int cp_width(unsigned cp)
{
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

int screen_width(const char *s)
{
    int w = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned cp;
        size_t len = sanitize_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!len) {
            len = 1;
            cp = '?';
        }
        w += cp_width(cp);
        i += len;
    }
    return w;
}

int screen_text(int y, int x, int maxw, const char *s, enum style st)
{
    if (y < 0 || y >= LINES || x >= COLS || maxw <= 0)
        return 0;
    if (x < 0) {
        maxw += x;
        x = 0;
    }
    if (x + maxw > COLS)
        maxw = COLS - x;
    attr_t a = styles[st];
    int used = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n && used < maxw;) {
        unsigned cp;
        size_t len = sanitize_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        if (!len) {
            len = 1;
            cp = '?';
        }
        int w = wcwidth((wchar_t)cp);
        if (w < 0 || cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0)) {
            cp = '?';
            w = 1;
        }
        if (used + w > maxw)
            break;
        if (w > 0) {
            wchar_t wc[2] = {(wchar_t)cp, 0};
            cchar_t cc;
            setcchar(&cc, wc, a, PAIR_NUMBER(a), NULL);
            mvadd_wch(y, x + used, &cc);
        }
        used += w;
        i += len;
    }
    return used;
}

void screen_fill(int y, int x, int w, enum style st)
{
    if (y < 0 || y >= LINES)
        return;
    if (x < 0) {
        w += x;
        x = 0;
    }
    if (x + w > COLS)
        w = COLS - x;
    if (w <= 0)
        return;
    attr_t a = styles[st];
    attrset(a);
    mvhline(y, x, ' ', w);
    attrset(A_NORMAL);
}

/* Line drawing with the Unicode box characters in a UTF-8 locale (ACS switching is unreliable
 * in terminals and multiplexers running UTF-8), ASCII otherwise. */
enum box_part { BOX_H, BOX_V, BOX_UL, BOX_UR, BOX_LL, BOX_LR };

static void box_put(int y, int x, enum box_part part, enum style st)
{
    static const char *const utf8[] = {"\u2500", "\u2502", "\u250c", "\u2510", "\u2514", "\u2518"};
    static const char *const ascii[] = {"-", "|", "+", "+", "+", "+"};
    screen_text(y, x, 1, utf8_locale ? utf8[part] : ascii[part], st);
}

void screen_hline(int y, int x, int w, enum style st)
{
    for (int i = 0; i < w; i++)
        box_put(y, x + i, BOX_H, st);
}

void screen_box(int y, int x, int h, int w, enum style st)
{
    if (h < 2 || w < 2)
        return;
    for (int i = 1; i < w - 1; i++) {
        box_put(y, x + i, BOX_H, st);
        box_put(y + h - 1, x + i, BOX_H, st);
    }
    for (int j = 1; j < h - 1; j++) {
        box_put(y + j, x, BOX_V, st);
        box_put(y + j, x + w - 1, BOX_V, st);
    }
    box_put(y, x, BOX_UL, st);
    box_put(y, x + w - 1, BOX_UR, st);
    box_put(y + h - 1, x, BOX_LL, st);
    box_put(y + h - 1, x + w - 1, BOX_LR, st);
}

void screen_flush(void)
{
    wnoutrefresh(stdscr);
    doupdate();
}
