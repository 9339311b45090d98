/* skin — k9s skin files mapped onto timon's semantic styles.
 *
 * Two tables are the whole design: SKIN_KEYS lists every key k9s accepts under `k9s:` with
 * timon's default for it, and STYLE_LIST generates `enum style` and names the keys that colour
 * each element, so the elements, the YAML keys and the defaults cannot drift apart. This module
 * parses and does colour arithmetic only: no curses (screen.c applies the result), no printing,
 * no exiting. A broken file is an error value and the caller keeps the default skin. */
#ifndef TIMON_VIEWS_SKIN_H
#define TIMON_VIEWS_SKIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/err.h"

/* A skin colour: SKIN_COLOR_DEFAULT (the terminal's own), a palette index 0..255 (timon's
 * `colorN`), or an RGB value (names and #rrggbb, as k9s turns every name into true colour). */
typedef int32_t skin_color;
#define SKIN_COLOR_DEFAULT  (-1)
#define SKIN_COLOR_RGB_FLAG 0x1000000
#define SKIN_RGB(v)         ((skin_color)(SKIN_COLOR_RGB_FLAG | ((v)&0xffffff)))
#define SKIN_IS_RGB(c)      ((c) >= SKIN_COLOR_RGB_FLAG)
#define SKIN_RGB_VALUE(c)   ((uint32_t)(c)&0xffffffu)

/* Attributes, curses-free; screen.c maps them to A_*. */
enum {
    SKIN_BOLD = 1,
    SKIN_DIM = 2,
    SKIN_REV = 4,
    SKIN_UL = 8,
    SKIN_MENU = 16, /* in STYLE_LIST only: the attribute frame.menu.fgStyle names */
};

/* What a key holds. */
enum skin_kind {
    SKIN_KIND_COLOR,  /* one colour */
    SKIN_KIND_COLORS, /* a list of colours */
    SKIN_KIND_CMAP,   /* a mapping of names to lists of colours (charts.resourceColors) */
    SKIN_KIND_ATTR,   /* dim | normal | bold (frame.menu.fgStyle) */
    SKIN_KIND_BOOL,
    SKIN_KIND_STRING,
};

/* Every key k9s accepts under `k9s:` (config/styles.go, schemas/skin.json): the id, the dotted
 * path, what it holds, timon's default (NULL: inherit the parent key's value, so a skin that
 * sets only body.bgColor repaints every background), and the parent. Parents come first. The
 * defaults reproduce timon's dark look in the terminal's own palette (colorN). Keys no style
 * below uses are accepted and ignored, as k9s has them. */
#define SKIN_KEYS(X)                                                                               \
    X(BODY_FG, "body.fgColor", COLOR, "default", NONE)                                             \
    X(BODY_BG, "body.bgColor", COLOR, "default", NONE)                                             \
    X(BODY_LOGO, "body.logoColor", COLOR, "color3", NONE)                                          \
    X(BODY_LOGO_MSG, "body.logoColorMsg", COLOR, "color7", NONE)                                   \
    X(BODY_LOGO_INFO, "body.logoColorInfo", COLOR, "color2", NONE)                                 \
    X(BODY_LOGO_WARN, "body.logoColorWarn", COLOR, "color1", NONE)                                 \
    X(BODY_LOGO_ERROR, "body.logoColorError", COLOR, "color1", NONE)                               \
    X(PROMPT_FG, "prompt.fgColor", COLOR, "color6", NONE)                                          \
    X(PROMPT_BG, "prompt.bgColor", COLOR, NULL, BODY_BG)                                           \
    X(PROMPT_SUGGEST, "prompt.suggestColor", COLOR, "color7", NONE)                                \
    X(PROMPT_BORDER_COMMAND, "prompt.border.command", COLOR, "color6", NONE)                       \
    X(PROMPT_BORDER_DEFAULT, "prompt.border.default", COLOR, "color2", NONE)                       \
    X(HELP_FG, "help.fgColor", COLOR, "color6", NONE)                                              \
    X(HELP_BG, "help.bgColor", COLOR, NULL, BODY_BG)                                               \
    X(HELP_SECTION, "help.sectionColor", COLOR, "color2", NONE)                                    \
    X(HELP_KEY, "help.keyColor", COLOR, "color5", NONE)                                            \
    X(HELP_NUMKEY, "help.numKeyColor", COLOR, "color5", NONE)                                      \
    X(INFO_FG, "info.fgColor", COLOR, "color7", NONE)                                              \
    X(INFO_SECTION, "info.sectionColor", COLOR, "color3", NONE)                                    \
    X(INFO_CPU, "info.cpuColor", COLOR, "color7", NONE)                                            \
    X(INFO_MEM, "info.memColor", COLOR, "color7", NONE)                                            \
    X(INFO_REV, "info.k9sRevColor", COLOR, "color7", NONE)                                         \
    X(DIALOG_FG, "dialog.fgColor", COLOR, "color6", NONE)                                          \
    X(DIALOG_BG, "dialog.bgColor", COLOR, NULL, BODY_BG)                                           \
    X(DIALOG_BUTTON_FG, "dialog.buttonFgColor", COLOR, "color0", NONE)                             \
    X(DIALOG_BUTTON_BG, "dialog.buttonBgColor", COLOR, "color4", NONE)                             \
    X(DIALOG_BUTTON_FOCUS_FG, "dialog.buttonFocusFgColor", COLOR, "color0", NONE)                  \
    X(DIALOG_BUTTON_FOCUS_BG, "dialog.buttonFocusBgColor", COLOR, "color6", NONE)                  \
    X(DIALOG_LABEL_FG, "dialog.labelFgColor", COLOR, "color7", NONE)                               \
    X(DIALOG_FIELD_FG, "dialog.fieldFgColor", COLOR, "color7", NONE)                               \
    X(TITLE_FG, "frame.title.fgColor", COLOR, "color6", NONE)                                      \
    X(TITLE_BG, "frame.title.bgColor", COLOR, NULL, BODY_BG)                                       \
    X(TITLE_HIGHLIGHT, "frame.title.highlightColor", COLOR, "color5", NONE)                        \
    X(TITLE_COUNTER, "frame.title.counterColor", COLOR, "color5", NONE)                            \
    X(TITLE_FILTER, "frame.title.filterColor", COLOR, "color3", NONE)                              \
    X(BORDER_FG, "frame.border.fgColor", COLOR, "color6", NONE)                                    \
    X(BORDER_FOCUS, "frame.border.focusColor", COLOR, "color6", NONE)                              \
    X(BORDER_BG, "frame.border.bgColor", COLOR, NULL, BODY_BG)                                     \
    X(MENU_FG, "frame.menu.fgColor", COLOR, "color7", NONE)                                        \
    X(MENU_STYLE, "frame.menu.fgStyle", ATTR, "dim", NONE)                                         \
    X(MENU_KEY, "frame.menu.keyColor", COLOR, "color5", NONE)                                      \
    X(MENU_NUMKEY, "frame.menu.numKeyColor", COLOR, "color5", NONE)                                \
    X(CRUMB_FG, "frame.crumbs.fgColor", COLOR, "color0", NONE)                                     \
    X(CRUMB_BG, "frame.crumbs.bgColor", COLOR, "color6", NONE)                                     \
    X(CRUMB_ACTIVE, "frame.crumbs.activeColor", COLOR, "color3", NONE)                             \
    X(CRUMB_KEY, "frame.crumbs.keyColor", COLOR, "color0", NONE)                                   \
    X(STATUS_NEW, "frame.status.newColor", COLOR, "color6", NONE)                                  \
    X(STATUS_MODIFY, "frame.status.modifyColor", COLOR, "color2", NONE)                            \
    X(STATUS_ADD, "frame.status.addColor", COLOR, "color4", NONE)                                  \
    X(STATUS_PENDING, "frame.status.pendingColor", COLOR, "color3", NONE)                          \
    X(STATUS_ERROR, "frame.status.errorColor", COLOR, "color1", NONE)                              \
    X(STATUS_HIGHLIGHT, "frame.status.highlightColor", COLOR, "color6", NONE)                      \
    X(STATUS_KILL, "frame.status.killColor", COLOR, "color5", NONE)                                \
    X(STATUS_COMPLETED, "frame.status.completedColor", COLOR, "color7", NONE)                      \
    X(TABLE_FG, "views.table.fgColor", COLOR, "color6", NONE)                                      \
    X(TABLE_BG, "views.table.bgColor", COLOR, NULL, BODY_BG)                                       \
    X(TABLE_CURSOR_FG, "views.table.cursorFgColor", COLOR, "color0", NONE)                         \
    X(TABLE_CURSOR_BG, "views.table.cursorBgColor", COLOR, "color6", NONE)                         \
    X(TABLE_MARK, "views.table.markColor", COLOR, "color3", NONE)                                  \
    X(HEADER_FG, "views.table.header.fgColor", COLOR, "color7", NONE)                              \
    X(HEADER_BG, "views.table.header.bgColor", COLOR, NULL, TABLE_BG)                              \
    X(HEADER_SORTER, "views.table.header.sorterColor", COLOR, "color6", NONE)                      \
    X(HEADER_SORT_COL, "views.table.header.selectedSortColumnColor", COLOR, "color6", NONE)        \
    X(XRAY_FG, "views.xray.fgColor", COLOR, "color6", NONE)                                        \
    X(XRAY_BG, "views.xray.bgColor", COLOR, NULL, BODY_BG)                                         \
    X(XRAY_CURSOR, "views.xray.cursorColor", COLOR, "color4", NONE)                                \
    X(XRAY_CURSOR_TEXT, "views.xray.cursorTextColor", COLOR, "color0", NONE)                       \
    X(XRAY_CURSOR_FG, "views.xray.cursorFgColor", COLOR, "color0", NONE)                           \
    X(XRAY_GRAPHIC, "views.xray.graphicColor", COLOR, "color6", NONE)                              \
    X(XRAY_ICONS, "views.xray.showIcons", BOOL, NULL, NONE)                                        \
    X(CHARTS_BG, "views.charts.bgColor", COLOR, NULL, BODY_BG)                                     \
    X(CHARTS_DIAL_BG, "views.charts.dialBgColor", COLOR, NULL, CHARTS_BG)                          \
    X(CHARTS_CHART_BG, "views.charts.chartBgColor", COLOR, NULL, CHARTS_BG)                        \
    X(CHARTS_FOCUS_FG, "views.charts.focusFgColor", COLOR, "color0", NONE)                         \
    X(CHARTS_FOCUS_BG, "views.charts.focusBgColor", COLOR, "color6", NONE)                         \
    X(CHARTS_DIALS, "views.charts.defaultDialColors", COLORS, NULL, NONE)                          \
    X(CHARTS_CHARTS, "views.charts.defaultChartColors", COLORS, NULL, NONE)                        \
    X(CHARTS_RESOURCES, "views.charts.resourceColors", CMAP, NULL, NONE)                           \
    X(YAML_KEY, "views.yaml.keyColor", COLOR, "color6", NONE)                                      \
    X(YAML_COLON, "views.yaml.colonColor", COLOR, "color7", NONE)                                  \
    X(YAML_VALUE, "views.yaml.valueColor", COLOR, "color7", NONE)                                  \
    X(PICKER_MAIN, "views.picker.mainColor", COLOR, "color7", NONE)                                \
    X(PICKER_FOCUS, "views.picker.focusColor", COLOR, "color6", NONE)                              \
    X(PICKER_SHORTCUT, "views.picker.shortcutColor", COLOR, "color6", NONE)                        \
    X(LOGS_FG, "views.logs.fgColor", COLOR, "color7", NONE)                                        \
    X(LOGS_BG, "views.logs.bgColor", COLOR, NULL, BODY_BG)                                         \
    X(LOGS_IND_FG, "views.logs.indicator.fgColor", COLOR, "color6", NONE)                          \
    X(LOGS_IND_BG, "views.logs.indicator.bgColor", COLOR, NULL, LOGS_BG)                           \
    X(LOGS_IND_ON, "views.logs.indicator.toggleOnColor", COLOR, "color2", NONE)                    \
    X(LOGS_IND_OFF, "views.logs.indicator.toggleOffColor", COLOR, "color7", NONE)                  \
    X(EMOJI_FILE, "emoji.configFile", STRING, NULL, NONE)

enum skin_key {
#define SKIN_KEY_ENUM(id, path, kind, def, parent) SKIN_##id,
    SKIN_KEYS(SKIN_KEY_ENUM)
#undef SKIN_KEY_ENUM
        SKIN_KEY_COUNT,
    SKIN_NONE = -1
};

/* The semantic elements views draw with; views never use raw colours. Each is (foreground key,
 * background key, attributes with colour, attributes without colour). Without colour (NO_COLOR,
 * --no-color, a terminal without colours) selection and state are shown by attributes alone.
 * LOG_RED ... LOG_CYAN paint the hues a log line's SGR colours ask for (util/sgr) and the pod
 * names of multi-pod logs, in the skin's status colours. */
#define STYLE_LIST(X)                                                                              \
    X(DEFAULT, BODY_FG, BODY_BG, 0, 0)                                                             \
    X(HEADER_LABEL, INFO_SECTION, BODY_BG, SKIN_BOLD, SKIN_BOLD)                                   \
    X(HEADER_VALUE, INFO_FG, BODY_BG, SKIN_BOLD, 0)                                                \
    X(HEADER_WARN, BODY_LOGO_MSG, BODY_LOGO_WARN, SKIN_BOLD, SKIN_BOLD | SKIN_REV)                 \
    X(KEY, MENU_KEY, BODY_BG, SKIN_BOLD, SKIN_BOLD)                                                \
    X(KEY_HELP, MENU_FG, BODY_BG, SKIN_MENU, SKIN_DIM)                                             \
    X(BORDER, BORDER_FOCUS, BODY_BG, 0, 0)                                                         \
    X(TITLE, TITLE_FG, TITLE_BG, SKIN_BOLD, SKIN_BOLD)                                             \
    X(TITLE_COUNT, TITLE_COUNTER, TITLE_BG, SKIN_BOLD, SKIN_BOLD)                                  \
    X(TITLE_FILTER, TITLE_FILTER, TITLE_BG, SKIN_BOLD, SKIN_BOLD)                                  \
    X(TABLE_HEADER, HEADER_FG, HEADER_BG, SKIN_BOLD, SKIN_BOLD | SKIN_UL)                          \
    X(TABLE_HEADER_SEL, TABLE_CURSOR_FG, HEADER_FG, SKIN_BOLD, SKIN_BOLD | SKIN_UL | SKIN_REV)     \
    X(ROW, TABLE_FG, TABLE_BG, 0, 0)                                                               \
    X(ROW_SELECTED, TABLE_CURSOR_FG, TABLE_CURSOR_BG, 0, SKIN_REV)                                 \
    X(ROW_PENDING, STATUS_PENDING, TABLE_BG, 0, 0)                                                 \
    X(ROW_ERROR, STATUS_ERROR, TABLE_BG, 0, SKIN_BOLD)                                             \
    X(ROW_COMPLETED, STATUS_COMPLETED, TABLE_BG, SKIN_DIM, SKIN_DIM)                               \
    X(ROW_TERMINATING, STATUS_KILL, TABLE_BG, 0, SKIN_DIM)                                         \
    X(ROW_DELETED, STATUS_KILL, TABLE_BG, SKIN_DIM, SKIN_DIM | SKIN_UL)                            \
    X(ROW_MODIFIED, STATUS_MODIFY, TABLE_BG, SKIN_BOLD, SKIN_BOLD)                                 \
    X(ROW_MARKED, TABLE_MARK, TABLE_BG, SKIN_BOLD, SKIN_BOLD | SKIN_UL)                            \
    X(SEARCH_MATCH, TABLE_CURSOR_FG, TITLE_FILTER, 0, SKIN_UL)                                     \
    X(YAML_KEY, YAML_KEY, BODY_BG, SKIN_BOLD, SKIN_BOLD)                                           \
    X(YAML_COLON, YAML_COLON, BODY_BG, 0, 0)                                                       \
    X(YAML_VALUE, YAML_VALUE, BODY_BG, 0, 0)                                                       \
    X(LOGO, BODY_LOGO, BODY_BG, SKIN_BOLD, SKIN_BOLD)                                              \
    X(PROMPT_SUGGEST, PROMPT_SUGGEST, PROMPT_BG, SKIN_DIM, SKIN_DIM)                               \
    X(CRUMB, CRUMB_FG, CRUMB_ACTIVE, 0, SKIN_REV)                                                  \
    X(FLASH_INFO, BODY_LOGO_INFO, BODY_BG, 0, 0)                                                   \
    X(FLASH_ERROR, BODY_LOGO_ERROR, BODY_BG, SKIN_BOLD, SKIN_BOLD)                                 \
    X(PROMPT, PROMPT_FG, PROMPT_BG, SKIN_BOLD, SKIN_BOLD)                                          \
    X(KEY_NUM, MENU_NUMKEY, BODY_BG, SKIN_BOLD, SKIN_BOLD)                                         \
    X(LOG, LOGS_FG, LOGS_BG, 0, 0)                                                                 \
    X(LOG_INDICATOR, LOGS_IND_FG, LOGS_IND_BG, 0, SKIN_REV)                                        \
    X(LOG_RED, STATUS_ERROR, LOGS_BG, 0, 0)                                                        \
    X(LOG_GREEN, STATUS_MODIFY, LOGS_BG, 0, 0)                                                     \
    X(LOG_YELLOW, STATUS_PENDING, LOGS_BG, 0, 0)                                                   \
    X(LOG_BLUE, STATUS_ADD, LOGS_BG, 0, 0)                                                         \
    X(LOG_MAGENTA, STATUS_KILL, LOGS_BG, 0, 0)                                                     \
    X(LOG_CYAN, STATUS_NEW, LOGS_BG, 0, 0)                                                         \
    X(DIALOG, DIALOG_FG, DIALOG_BG, 0, 0)                                                          \
    X(DIALOG_BUTTON, DIALOG_BUTTON_FG, DIALOG_BUTTON_BG, 0, 0)                                     \
    X(DIALOG_BUTTON_FOCUS, DIALOG_BUTTON_FOCUS_FG, DIALOG_BUTTON_FOCUS_BG, SKIN_BOLD,              \
      SKIN_BOLD | SKIN_REV)                                                                        \
    X(DIALOG_LABEL, DIALOG_LABEL_FG, DIALOG_BG, SKIN_BOLD, SKIN_BOLD)                              \
    X(DIALOG_FIELD, DIALOG_FIELD_FG, DIALOG_BG, SKIN_UL, SKIN_UL)                                  \
    X(DIALOG_DANGER, STATUS_ERROR, DIALOG_BG, SKIN_BOLD, SKIN_BOLD | SKIN_REV)                     \
    X(KEY_DISABLED, MENU_FG, BODY_BG, SKIN_DIM, SKIN_DIM)

enum style {
#define STYLE_ENUM(name, fg, bg, attr, mono) STYLE_##name,
    STYLE_LIST(STYLE_ENUM)
#undef STYLE_ENUM
        STYLE_COUNT
};

/* A loaded skin: a value for every colour key, defaults filled in. Zero is not valid: start
 * with skin_default(). */
struct skin {
    skin_color color[SKIN_KEY_COUNT];
    bool set[SKIN_KEY_COUNT]; /* given by the file */
    unsigned menu_attr;       /* frame.menu.fgStyle as SKIN_BOLD, SKIN_DIM or 0 */
    bool state_attrs;         /* timon.stateAttributes: add the no-colour attributes to states */
    int unknown;              /* unknown keys, each warned in the log and ignored */
};

/* What a style resolves to in colour. */
struct skin_style {
    skin_color fg, bg;
    unsigned attrs; /* SKIN_BOLD | SKIN_DIM | SKIN_REV | SKIN_UL */
};

/* Terminal colour depths, for the nearest-colour mapping. */
enum skin_depth { SKIN_DEPTH_8, SKIN_DEPTH_16, SKIN_DEPTH_256, SKIN_DEPTH_DIRECT };

/* The key table, for tests and tools. */
const char *skin_key_path(enum skin_key k);
enum skin_kind skin_key_kind(enum skin_key k);
enum skin_key skin_key_parent(enum skin_key k);
enum skin_key skin_key_lookup(const char *path);
/* Style table accessors. */
const char *skin_style_name(enum style st);
enum skin_key skin_style_fg_key(enum style st);
enum skin_key skin_style_bg_key(enum style st);

/* timon's built-in skin: the dark look, in the terminal's own palette. */
void skin_default(struct skin *s);
/* Parses a skin file's text over the defaults. `source` names it in messages ("skin FILE: line
 * N: ..."). On failure s holds the defaults again and e the one-line reason. */
bool skin_parse(struct skin *s, const char *buf, size_t n, const char *source, struct err *e);
bool skin_load_file(struct skin *s, const char *path, struct err *e);
/* Where --skin ARG points: ARG itself when it has a '/' or ends in .yaml/.yml, else NAME.yaml
 * in $XDG_CONFIG_HOME/timon/skins, then <prefix>/share/timon/skins and skins/ of the build
 * tree, both found from the executable. Returns a malloc'd path, or NULL with e set. */
char *skin_find(const char *arg, struct err *e);
/* The directories skin_find searches for names, in order: the XDG one, then those found from
 * the executable that exist (malloc'd, NULL-terminated). */
char **skin_dirs(void);
void skin_dirs_free(char **dirs);

/* A colour value as written in a skin: a W3C/X11 name (tcell's table, any case), #rrggbb,
 * `default` or `-` (the terminal's colour), or colorN (palette index N, timon's extension). */
bool skin_color_parse(const char *s, skin_color *out);
/* The colour, attributes included, a style resolves to under s. */
struct skin_style skin_style_get(const struct skin *s, enum style st);
/* The attributes a style has without colour. */
unsigned skin_style_mono(enum style st);

/* RGB of palette index 0..255 (xterm's nominal values; tcell's for 0..15). */
uint32_t skin_palette_rgb(int idx);
/* Nearest palette entry to an RGB value: of the 6x6x6 cube and grey ramp (16..255), of the 16
 * ANSI colours, or of the first 8. */
int skin_nearest256(uint32_t rgb);
int skin_nearest16(uint32_t rgb);
int skin_nearest8(uint32_t rgb);
/* The terminal colour for c at a depth: -1 for the default, else a palette index, or for
 * DIRECT an RGB value (palette 0..7 stay indices, as direct-colour terminfo entries map them). */
int skin_term_color(skin_color c, enum skin_depth d);
/* An 8-bit component in curses' 0..1000 scale, chosen so terminfo's initc (v*255/1000) gives
 * the component back exactly. */
int skin_component_1000(int v);

#endif
