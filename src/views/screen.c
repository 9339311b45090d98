/* screen — curses lifecycle, terminal restoration, styles (a skin mapped onto what the terminal
 * can show) and clipped drawing. */
#include "views/screen.h"
#include "views/keytrace.h"
#include "util/log.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>

static bool active;
static bool utf8_locale;
static bool have_termios;
static struct termios saved_termios;
static struct {
    attr_t attr;
    int pair; /* extended pair number; 0 for none */
} styles[STYLE_COUNT];
static bool default_colors;  /* use_default_colors worked: -1 is the terminal's own colour */
static bool palette_changed; /* palette entries were redefined: reset them on a fatal signal */
/* Escape strings to leave the alternate screen and show the cursor, captured while it is safe
 * to call terminfo, for the fatal-signal handler. */
static char restore_seq[128];
static size_t restore_len;

static void capture_restore_seq(void)
{
    restore_len = 0;
    /* oc resets the palette entries the skin redefined. */
    const char *caps[] = {"rmcup", "cnorm", "sgr0", palette_changed ? "oc" : NULL};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        if (!caps[i])
            continue;
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

/* How colours reach the terminal: RGB through a direct-colour terminfo entry; RGB through
 * redefined palette entries (COLORTERM=truecolor and a terminal that can change colours); or
 * the nearest of 256, 16 or 8. */
enum color_mode { MODE_8, MODE_16, MODE_256, MODE_PALETTE, MODE_DIRECT };

static const char *const mode_names[] = {"8 colours", "16 colours", "256 colours",
                                         "true colour (palette)", "true colour (direct)"};

static enum color_mode detect_mode(void)
{
    char rgb_cap[] = "RGB";
    if (COLORS >= 0x1000000 || tigetflag(rgb_cap) > 0)
        return MODE_DIRECT;
    const char *ct = getenv("COLORTERM");
    bool truecolor = ct && (strcasecmp(ct, "truecolor") == 0 || strcasecmp(ct, "24bit") == 0);
    if (truecolor && COLORS >= 256 && can_change_color())
        return MODE_PALETTE;
    if (COLORS >= 256)
        return MODE_256;
    if (COLORS >= 16)
        return MODE_16;
    return MODE_8;
}

/* Truecolor through the palette: each RGB colour goes to its nearest entry of xterm's 256
 * (16..255), redefined to the exact value. A terminal that ignores the redefinition still shows
 * the nearest colour, and 0..15 keep the terminal's theme. Two colours sharing an entry share
 * the first one's value (they are within one step of the cube of each other). */
static bool slot_set[256];
static int nslots;

static int palette_color(skin_color c)
{
    if (c < 0)
        return -1;
    if (!SKIN_IS_RGB(c) && c < 16)
        return c;
    uint32_t rgb = SKIN_IS_RGB(c) ? SKIN_RGB_VALUE(c) : skin_palette_rgb(c);
    int slot = skin_nearest256(rgb);
    if (!slot_set[slot] && init_extended_color(slot, skin_component_1000((int)(rgb >> 16 & 0xff)),
                                               skin_component_1000((int)(rgb >> 8 & 0xff)),
                                               skin_component_1000((int)(rgb & 0xff))) == OK) {
        slot_set[slot] = true;
        nslots++;
        palette_changed = true;
    }
    return slot;
}

static int term_color(skin_color c, enum color_mode mode, bool fg)
{
    int v;
    switch (mode) {
    case MODE_PALETTE:
        v = palette_color(c);
        break;
    case MODE_DIRECT:
        v = skin_term_color(c, SKIN_DEPTH_DIRECT);
        break;
    case MODE_256:
        v = skin_term_color(c, SKIN_DEPTH_256);
        break;
    case MODE_16:
        v = skin_term_color(c, SKIN_DEPTH_16);
        break;
    default:
        v = skin_term_color(c, SKIN_DEPTH_8);
        break;
    }
    if (v < 0 && !default_colors)
        v = fg ? COLOR_WHITE : COLOR_BLACK;
    return v;
}

static attr_t curses_attrs(unsigned a)
{
    attr_t r = A_NORMAL;
    if (a & SKIN_BOLD)
        r |= A_BOLD;
    if (a & SKIN_DIM)
        r |= A_DIM;
    if (a & SKIN_REV)
        r |= A_REVERSE;
    if (a & SKIN_UL)
        r |= A_UNDERLINE;
    return r;
}

/* One pair per distinct (fg, bg); extended pairs, so direct colours and more than 256 pairs
 * both work. Returns 0 when the terminal has no pair left. */
static struct {
    int fg, bg;
} pairs[STYLE_COUNT];
static int npairs;

static int pair_for(int fg, int bg)
{
    for (int i = 0; i < npairs; i++)
        if (pairs[i].fg == fg && pairs[i].bg == bg)
            return i + 1;
    if (npairs >= STYLE_COUNT || npairs + 1 >= COLOR_PAIRS ||
        init_extended_pair(npairs + 1, fg, bg) != OK)
        return 0;
    pairs[npairs].fg = fg;
    pairs[npairs].bg = bg;
    return ++npairs;
}

static void init_styles(bool color, const struct skin *skin)
{
    /* Monochrome: state by attribute alone (NO_COLOR, --no-color, or no colours at all). */
    for (int i = 0; i < STYLE_COUNT; i++) {
        styles[i].attr = curses_attrs(skin_style_mono((enum style)i));
        styles[i].pair = 0;
    }
    if (!color || !has_colors()) {
        log_info("screen: no colour");
        return;
    }
    start_color();
    default_colors = use_default_colors() == OK;
    enum color_mode mode = detect_mode();
    for (int i = 0; i < STYLE_COUNT; i++) {
        struct skin_style ss = skin_style_get(skin, (enum style)i);
        int fg = term_color(ss.fg, mode, true), bg = term_color(ss.bg, mode, false);
        /* Two different colours that land on one palette entry would hide the text. */
        if (fg == bg && fg >= 0 && ss.fg != ss.bg)
            continue;
        int pair = pair_for(fg, bg);
        if (!pair)
            continue;
        styles[i].attr = curses_attrs(ss.attrs);
        styles[i].pair = pair;
    }
    /* The body's colours for every cell no style paints. */
    struct skin_style body = skin_style_get(skin, STYLE_DEFAULT);
    if (styles[STYLE_DEFAULT].pair && (body.fg >= 0 || body.bg >= 0)) {
        cchar_t bg;
        int pair = styles[STYLE_DEFAULT].pair;
        setcchar(&bg, L" ", styles[STYLE_DEFAULT].attr, (short)pair, &pair);
        bkgrnd(&bg);
    }
    log_info("screen: %s, %d colours, %d pairs, %d palette entries redefined", mode_names[mode],
             COLORS, COLOR_PAIRS, nslots);
}

/* The skin to use: the built-in one unless --skin names one that loads. */
static void load_skin(const struct screen_config *cfg, struct skin *skin, struct err *notice)
{
    skin_default(skin);
    if (!cfg->color || !cfg->skin)
        return;
    struct err se = {0};
    char *path = skin_find(cfg->skin, &se);
    if (path && skin_load_file(skin, path, &se)) {
        log_info("skin: %s (%d unknown keys ignored)", path, skin->unknown);
        free(path);
        return;
    }
    free(path);
    err_set(notice, "%s; using the default skin", se.msg);
    log_warn("%s; using the default skin", se.msg);
}

bool screen_begin(const struct screen_config *cfg, struct err *notice, struct err *e)
{
    struct skin skin;
    load_skin(cfg, &skin, notice);
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
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    init_styles(cfg->color, &skin);
    capture_restore_seq();
    return true;
}

bool screen_reskin(const struct screen_config *cfg, struct err *notice)
{
    if (!active)
        return false;
    struct skin skin;
    load_skin(cfg, &skin, notice);
    npairs = 0; /* pairs and palette entries are assigned again from the start */
    memset(slot_set, 0, sizeof slot_set);
    init_styles(cfg->color, &skin);
    clearok(stdscr, TRUE);
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
    while (*s > 0 && *s < 0x7f) { /* printable ASCII or a control byte: one column each */
        w++;
        s++;
    }
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
    attr_t a = styles[st].attr;
    int pair = styles[st].pair;
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
            setcchar(&cc, wc, a, (short)pair, &pair);
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
    cchar_t cc;
    int pair = styles[st].pair;
    setcchar(&cc, L" ", styles[st].attr, (short)pair, &pair);
    mvhline_set(y, x, &cc, w);
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

static bool danger_frames;

void screen_set_danger(bool on)
{
    danger_frames = on;
}

void screen_box(int y, int x, int h, int w, enum style st)
{
    if (h < 2 || w < 2)
        return;
    if (danger_frames && st == STYLE_BORDER)
        st = STYLE_DIALOG_DANGER; /* a context marked dangerous: every frame says so */
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
    keytrace_frame();
}
