/* skin: the key and style tables, every k9s key parsed, colour names, #rrggbb and default, the
 * nearest-colour mapping to 256/16/8, unknown keys (warned, ignored), broken files (a message,
 * the default kept), the shipped skins and a skin in k9s's own format. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "views/skin.c" /* views/ is not in libcore; the module is curses-free */

#define FIXTURE_DIR "tests/unit/fixtures/skins"

static bool parse(struct skin *s, const char *text, struct err *e)
{
    return skin_parse(s, text, strlen(text), "test.yaml", e);
}

/* Parses or fails the test with the message. */
static void must_parse(struct skin *s, const char *text)
{
    struct err e = {0};
    if (!parse(s, text, &e))
        fail_msg("%s", e.msg);
}

static bool same_as_default(const struct skin *s)
{
    struct skin d;
    skin_default(&d);
    return memcmp(s->color, d.color, sizeof d.color) == 0 && s->menu_attr == d.menu_attr &&
           s->state_attrs == d.state_attrs;
}

static char *slurp(const char *path)
{
    struct strbuf sb = {0};
    struct err e = {0};
    if (!fs_read_file(path, 1 << 20, &sb, &e))
        strbuf_puts(&sb, "");
    return strbuf_take(&sb);
}

/* ---- the tables ------------------------------------------------------------------------- */

static void test_key_table(void **state)
{
    (void)state;
    for (int i = 0; i < SKIN_KEY_COUNT; i++) {
        const char *p = skin_key_path((enum skin_key)i);
        assert_non_null(p);
        assert_int_equal(skin_key_lookup(p), i);
        for (int j = i + 1; j < SKIN_KEY_COUNT; j++)
            assert_string_not_equal(p, skin_key_path((enum skin_key)j));
        /* Parents come first, are colours, and a key with a parent inherits (no default). */
        enum skin_key par = skin_key_parent((enum skin_key)i);
        if (par != SKIN_NONE) {
            assert_true(par < i);
            assert_int_equal(skin_key_kind(par), SKIN_KIND_COLOR);
            assert_null(keys[i].def);
        }
        if (keys[i].kind == SKIN_KIND_COLOR && keys[i].def) {
            skin_color c;
            assert_true(skin_color_parse(keys[i].def, &c));
        }
        if (keys[i].kind == SKIN_KIND_COLOR)
            assert_true(keys[i].def || par != SKIN_NONE);
    }
    assert_int_equal(skin_key_lookup("body.nope"), SKIN_NONE);
    /* Every style draws with colour keys; names match the enum. */
    for (int st = 0; st < STYLE_COUNT; st++) {
        assert_int_equal(skin_key_kind(skin_style_fg_key((enum style)st)), SKIN_KIND_COLOR);
        assert_int_equal(skin_key_kind(skin_style_bg_key((enum style)st)), SKIN_KIND_COLOR);
    }
    assert_string_equal(skin_style_name(STYLE_ROW_SELECTED), "ROW_SELECTED");
    assert_int_equal(skin_style_fg_key(STYLE_TABLE_HEADER), SKIN_HEADER_FG);
    assert_int_equal(skin_style_bg_key(STYLE_TABLE_HEADER), SKIN_HEADER_BG);
    assert_int_equal(skin_style_fg_key(STYLE_BORDER), SKIN_BORDER_FOCUS);
    assert_int_equal(skin_style_fg_key(STYLE_ROW_ERROR), SKIN_STATUS_ERROR);
    assert_int_equal(skin_style_fg_key(STYLE_YAML_COLON), SKIN_YAML_COLON);
    assert_int_equal(skin_style_fg_key(STYLE_LOG), SKIN_LOGS_FG);
}

/* The keys of k9s-reference.md §6, each as written there. */
static void test_reference_keys_all_known(void **state)
{
    (void)state;
    static const char *const ref[] = {
        "body.fgColor",
        "body.bgColor",
        "body.logoColor",
        "body.logoColorMsg",
        "body.logoColorInfo",
        "body.logoColorWarn",
        "body.logoColorError",
        "prompt.fgColor",
        "prompt.bgColor",
        "prompt.suggestColor",
        "prompt.border.command",
        "prompt.border.default",
        "help.fgColor",
        "help.bgColor",
        "help.sectionColor",
        "help.keyColor",
        "help.numKeyColor",
        "info.fgColor",
        "info.sectionColor",
        "info.cpuColor",
        "info.memColor",
        "info.k9sRevColor",
        "dialog.fgColor",
        "dialog.bgColor",
        "dialog.buttonFgColor",
        "dialog.buttonBgColor",
        "dialog.buttonFocusFgColor",
        "dialog.buttonFocusBgColor",
        "dialog.labelFgColor",
        "dialog.fieldFgColor",
        "frame.title.fgColor",
        "frame.title.bgColor",
        "frame.title.highlightColor",
        "frame.title.counterColor",
        "frame.title.filterColor",
        "frame.border.fgColor",
        "frame.border.focusColor",
        "frame.menu.fgColor",
        "frame.menu.fgStyle",
        "frame.menu.keyColor",
        "frame.menu.numKeyColor",
        "frame.crumbs.fgColor",
        "frame.crumbs.bgColor",
        "frame.crumbs.activeColor",
        "frame.status.newColor",
        "frame.status.modifyColor",
        "frame.status.addColor",
        "frame.status.pendingColor",
        "frame.status.errorColor",
        "frame.status.highlightColor",
        "frame.status.killColor",
        "frame.status.completedColor",
        "views.table.fgColor",
        "views.table.bgColor",
        "views.table.cursorFgColor",
        "views.table.cursorBgColor",
        "views.table.markColor",
        "views.table.header.fgColor",
        "views.table.header.bgColor",
        "views.table.header.sorterColor",
        "views.table.header.selectedSortColumnColor",
        "views.xray.fgColor",
        "views.xray.bgColor",
        "views.xray.cursorColor",
        "views.xray.cursorTextColor",
        "views.xray.graphicColor",
        "views.charts.bgColor",
        "views.charts.dialBgColor",
        "views.charts.chartBgColor",
        "views.charts.focusFgColor",
        "views.charts.focusBgColor",
        "views.charts.defaultDialColors",
        "views.charts.defaultChartColors",
        "views.charts.resourceColors",
        "views.yaml.keyColor",
        "views.yaml.colonColor",
        "views.yaml.valueColor",
        "views.picker.mainColor",
        "views.picker.focusColor",
        "views.picker.shortcutColor",
        "views.logs.fgColor",
        "views.logs.bgColor",
        "views.logs.indicator.fgColor",
        "views.logs.indicator.bgColor",
        "views.logs.indicator.toggleOnColor",
        "views.logs.indicator.toggleOffColor",
    };
    for (size_t i = 0; i < sizeof ref / sizeof ref[0]; i++) {
        if (skin_key_lookup(ref[i]) == SKIN_NONE)
            fail_msg("k9s key %s is not in the table", ref[i]);
    }
}

/* A YAML text setting every key of the table, each colour key to a distinct #rrggbb. */
static uint32_t color_for(int i)
{
    return (uint32_t)(0x102030 + i * 0x010101);
}

static char *every_key_yaml(void)
{
    struct strbuf sb = {0};
    strbuf_puts(&sb, "k9s:\n");
    char open[8][48];
    int depth = 0;
    for (int i = 0; i < SKIN_KEY_COUNT; i++) {
        char segs[8][48];
        int n = 0;
        const char *p = skin_key_path((enum skin_key)i);
        while (*p && n < 8) {
            const char *dot = strchr(p, '.');
            size_t len = dot ? (size_t)(dot - p) : strlen(p);
            snprintf(segs[n++], sizeof segs[0], "%.*s", (int)len, p);
            p += len + (dot ? 1 : 0);
        }
        int common = 0;
        while (common < depth && common < n - 1 && strcmp(open[common], segs[common]) == 0)
            common++;
        for (int d = common; d < n - 1; d++) {
            strbuf_printf(&sb, "%*s%s:\n", 2 * (d + 1), "", segs[d]);
            snprintf(open[d], sizeof open[0], "%s", segs[d]);
        }
        depth = n - 1;
        strbuf_printf(&sb, "%*s%s: ", 2 * n, "", segs[n - 1]);
        switch (keys[i].kind) {
        case SKIN_KIND_COLOR:
            strbuf_printf(&sb, "\"#%06x\"\n", (unsigned)color_for(i));
            break;
        case SKIN_KIND_COLORS:
            strbuf_puts(&sb, "[red, \"#00ff00\", default]\n");
            break;
        case SKIN_KIND_CMAP:
            strbuf_puts(&sb, "{cpu: [dodgerblue, darkslateblue], mem: [yellow, goldenrod]}\n");
            break;
        case SKIN_KIND_ATTR:
            strbuf_puts(&sb, "bold\n");
            break;
        case SKIN_KIND_BOOL:
            strbuf_puts(&sb, "true\n");
            break;
        case SKIN_KIND_STRING:
            strbuf_puts(&sb, "emoji.yaml\n");
            break;
        }
    }
    return strbuf_take(&sb);
}

static void test_every_key_parsed(void **state)
{
    (void)state;
    char *text = every_key_yaml();
    struct skin s;
    struct err e = {0};
    if (!parse(&s, text, &e))
        fail_msg("%s\n%s", e.msg, text);
    assert_int_equal(s.unknown, 0);
    for (int i = 0; i < SKIN_KEY_COUNT; i++) {
        if (keys[i].kind != SKIN_KIND_COLOR)
            continue;
        assert_true(s.set[i]);
        assert_int_equal(s.color[i], SKIN_RGB(color_for(i)));
    }
    assert_int_equal(s.menu_attr, SKIN_BOLD);
    /* Every style resolves to the keys it names. */
    for (int st = 0; st < STYLE_COUNT; st++) {
        struct skin_style ss = skin_style_get(&s, (enum style)st);
        assert_int_equal(ss.fg, SKIN_RGB(color_for(skin_style_fg_key((enum style)st))));
        assert_int_equal(ss.bg, SKIN_RGB(color_for(skin_style_bg_key((enum style)st))));
    }
    free(text);
}

/* ---- colours ---------------------------------------------------------------------------- */

static void test_color_values(void **state)
{
    (void)state;
    skin_color c;
    assert_true(skin_color_parse("default", &c));
    assert_int_equal(c, SKIN_COLOR_DEFAULT);
    assert_true(skin_color_parse("Default", &c));
    assert_int_equal(c, SKIN_COLOR_DEFAULT);
    assert_true(skin_color_parse("-", &c));
    assert_int_equal(c, SKIN_COLOR_DEFAULT);
    assert_true(skin_color_parse("#1E90ff", &c));
    assert_int_equal(c, SKIN_RGB(0x1e90ff));
    assert_true(skin_color_parse("#000000", &c));
    assert_int_equal(c, SKIN_RGB(0));
    assert_true(SKIN_IS_RGB(c));
    /* k9s turns every name into true colour, the 16 ANSI names included. */
    assert_true(skin_color_parse("red", &c));
    assert_int_equal(c, SKIN_RGB(0xff0000));
    assert_true(skin_color_parse("maroon", &c));
    assert_int_equal(c, SKIN_RGB(0x800000));
    assert_true(skin_color_parse("aqua", &c));
    assert_int_equal(c, SKIN_RGB(0x00ffff));
    assert_true(skin_color_parse("dodgerblue", &c));
    assert_int_equal(c, SKIN_RGB(0x1e90ff));
    assert_true(skin_color_parse("DodgerBlue", &c));
    assert_int_equal(c, SKIN_RGB(0x1e90ff));
    assert_true(skin_color_parse("papayawhip", &c));
    assert_int_equal(c, SKIN_RGB(0xffefd5));
    assert_true(skin_color_parse("rebeccapurple", &c));
    assert_int_equal(c, SKIN_RGB(0x663399));
    assert_true(skin_color_parse("lightslategrey", &c));
    assert_int_equal(c, SKIN_RGB(0x778899));
    assert_true(skin_color_parse("yellowgreen", &c));
    assert_int_equal(c, SKIN_RGB(0x9acd32));
    /* Palette entries, timon's extension. */
    assert_true(skin_color_parse("color6", &c));
    assert_int_equal(c, 6);
    assert_false(SKIN_IS_RGB(c));
    assert_true(skin_color_parse("colour255", &c));
    assert_int_equal(c, 255);
    static const char *const bad[] = {"bleu",     "#12345",     "#1234567", "#gg0000",
                                      "color256", "color",      "color-1",  "color1x",
                                      "0xff0000", "rgb(1,2,3)", "#12 456",  "colour0000"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (skin_color_parse(bad[i], &c))
            fail_msg("\"%s\" parsed as a colour", bad[i]);
    /* tcell's table: 16 ANSI, 123 X11 names, 7 grey spellings; timon adds cyan and magenta. */
    assert_int_equal(sizeof names / sizeof names[0], 16 + 123 + 7 + 2);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        for (size_t j = i + 1; j < sizeof names / sizeof names[0]; j++)
            assert_string_not_equal(names[i].name, names[j].name);
}

static void test_nearest(void **state)
{
    (void)state;
    /* 256: the 6x6x6 cube and the grey ramp, never 0..15 (themes move those). */
    assert_int_equal(skin_nearest256(0xff0000), 196);
    assert_int_equal(skin_nearest256(0x00ff00), 46);
    assert_int_equal(skin_nearest256(0x0000ff), 21);
    assert_int_equal(skin_nearest256(0x000000), 16);
    assert_int_equal(skin_nearest256(0xffffff), 231);
    assert_int_equal(skin_nearest256(0x808080), 244);
    assert_int_equal(skin_nearest256(0x080808), 232);
    assert_int_equal(skin_nearest256(0xeeeeee), 255);
    assert_int_equal(skin_nearest256(0x1e90ff), 33);
    assert_int_equal(skin_nearest256(0x5f87af), 67);
    assert_int_equal(skin_nearest256(0x123456), 23);
    for (int i = 16; i < 256; i++)
        assert_int_equal(skin_nearest256(skin_palette_rgb(i)), i);
    /* 16 and 8: tcell's nominal values for the ANSI colours. */
    assert_int_equal(skin_nearest16(0xff0000), 9);
    assert_int_equal(skin_nearest16(0x800000), 1);
    assert_int_equal(skin_nearest16(0x1e90ff), 14);
    assert_int_equal(skin_nearest16(0x101010), 0);
    assert_int_equal(skin_nearest16(0xf0f0f0), 15);
    assert_int_equal(skin_nearest8(0xff0000), 1);
    assert_int_equal(skin_nearest8(0xffff00), 3);
    assert_int_equal(skin_nearest8(0xffffff), 7);
    assert_int_equal(skin_nearest8(0x1e90ff), 6);
    assert_int_equal(skin_nearest8(0x808080), 7);
    for (int i = 0; i < 16; i++)
        assert_int_equal(skin_nearest16(skin_palette_rgb(i)), i);
    /* Per depth: default stays -1, palette entries stay when the terminal has them. */
    assert_int_equal(skin_term_color(SKIN_COLOR_DEFAULT, SKIN_DEPTH_256), -1);
    assert_int_equal(skin_term_color(SKIN_COLOR_DEFAULT, SKIN_DEPTH_DIRECT), -1);
    assert_int_equal(skin_term_color(6, SKIN_DEPTH_8), 6);
    assert_int_equal(skin_term_color(6, SKIN_DEPTH_256), 6);
    assert_int_equal(skin_term_color(6, SKIN_DEPTH_DIRECT), 6);
    assert_int_equal(skin_term_color(12, SKIN_DEPTH_16), 12);
    assert_int_equal(skin_term_color(12, SKIN_DEPTH_8), 4);
    assert_int_equal(skin_term_color(12, SKIN_DEPTH_DIRECT), 0x0000ff);
    assert_int_equal(skin_term_color(196, SKIN_DEPTH_256), 196);
    assert_int_equal(skin_term_color(196, SKIN_DEPTH_16), 9);
    assert_int_equal(skin_term_color(SKIN_RGB(0xff0000), SKIN_DEPTH_DIRECT), 0xff0000);
    assert_int_equal(skin_term_color(SKIN_RGB(0xff0000), SKIN_DEPTH_256), 196);
    assert_int_equal(skin_term_color(SKIN_RGB(0xff0000), SKIN_DEPTH_16), 9);
    assert_int_equal(skin_term_color(SKIN_RGB(0xff0000), SKIN_DEPTH_8), 1);
    assert_int_equal(skin_term_color(SKIN_RGB(0x000005), SKIN_DEPTH_DIRECT), 0);
    /* curses' 0..1000 scale survives terminfo's initc (v*255/1000) exactly. */
    for (int v = 0; v < 256; v++) {
        int c = skin_component_1000(v);
        assert_true(c >= 0 && c <= 1000);
        assert_int_equal(c * 255 / 1000, v);
    }
}

/* ---- files ------------------------------------------------------------------------------ */

static void test_defaults_and_inheritance(void **state)
{
    (void)state;
    struct skin s;
    skin_default(&s);
    /* Today's dark look: cyan rows, black on cyan selection, terminal background. */
    struct skin_style row = skin_style_get(&s, STYLE_ROW);
    assert_int_equal(row.fg, 6);
    assert_int_equal(row.bg, SKIN_COLOR_DEFAULT);
    struct skin_style sel = skin_style_get(&s, STYLE_ROW_SELECTED);
    assert_int_equal(sel.fg, 0);
    assert_int_equal(sel.bg, 6);
    assert_int_equal(skin_style_get(&s, STYLE_KEY_HELP).attrs, SKIN_DIM);
    assert_int_equal(skin_style_mono(STYLE_ROW_SELECTED), SKIN_REV);
    assert_int_equal(skin_style_mono(STYLE_ROW_ERROR), SKIN_BOLD);

    must_parse(&s, "k9s:\n  body:\n    bgColor: '#101010'\n");
    assert_int_equal(s.color[SKIN_TABLE_BG], SKIN_RGB(0x101010));
    assert_int_equal(s.color[SKIN_HEADER_BG], SKIN_RGB(0x101010));
    assert_int_equal(s.color[SKIN_TITLE_BG], SKIN_RGB(0x101010));
    assert_int_equal(s.color[SKIN_LOGS_IND_BG], SKIN_RGB(0x101010));
    must_parse(&s, "k9s:\n  body: {bgColor: '#101010'}\n"
                   "  views: {table: {bgColor: '#202020'}}\n");
    assert_int_equal(s.color[SKIN_HEADER_BG], SKIN_RGB(0x202020));
    assert_int_equal(s.color[SKIN_TITLE_BG], SKIN_RGB(0x101010));
    /* Null and empty sections keep the defaults. */
    must_parse(&s, "k9s:\n  body:\n  frame:\n    border:\n      fgColor:\n");
    assert_true(same_as_default(&s));
    must_parse(&s, "k9s:\n");
    assert_true(same_as_default(&s));
}

static void test_style_attrs(void **state)
{
    (void)state;
    struct skin s;
    struct err e = {0};
    must_parse(&s, "k9s: {frame: {menu: {fgStyle: bold}}}\n");
    assert_int_equal(skin_style_get(&s, STYLE_KEY_HELP).attrs, SKIN_BOLD);
    must_parse(&s, "k9s: {frame: {menu: {fgStyle: normal}}}\n");
    assert_int_equal(skin_style_get(&s, STYLE_KEY_HELP).attrs, 0);
    assert_int_equal(skin_style_get(&s, STYLE_ROW_ERROR).attrs, 0);
    /* timon.stateAttributes adds the no-colour attributes, reverse excepted (it would swap the
     * skin's own colours). */
    must_parse(&s, "k9s: {}\ntimon:\n  stateAttributes: true\n");
    assert_true(s.state_attrs);
    assert_int_equal(skin_style_get(&s, STYLE_ROW_ERROR).attrs, SKIN_BOLD);
    assert_int_equal(skin_style_get(&s, STYLE_ROW_DELETED).attrs, SKIN_DIM | SKIN_UL);
    assert_int_equal(skin_style_get(&s, STYLE_ROW_SELECTED).attrs, 0);
    assert_int_equal(skin_style_get(&s, STYLE_TABLE_HEADER_SEL).attrs, SKIN_BOLD | SKIN_UL);
    assert_false(parse(&s, "k9s: {frame: {menu: {fgStyle: blink}}}\n", &e));
    assert_non_null(strstr(e.msg, "frame.menu.fgStyle"));
    assert_false(parse(&s, "k9s: {}\ntimon: {stateAttributes: maybe}\n", &e));
    assert_non_null(strstr(e.msg, "timon.stateAttributes"));
}

static void test_unknown_keys_warned(void **state)
{
    (void)state;
    char logpath[] = "/tmp/timon-skin-log-XXXXXX";
    int fd = mkstemp(logpath);
    assert_true(fd >= 0);
    close(fd);
    struct err e = {0};
    assert_true(log_open(logpath, LOG_WARN, &e));
    struct skin s;
    const char *text = "palette: &p '#123456'\n"
                       "k9s:\n"
                       "  body:\n"
                       "    fgColor: *p\n"
                       "    sparkle: blue\n"
                       "  gizmo:\n"
                       "    deep: {x: 1}\n"
                       "  views:\n"
                       "    table:\n"
                       "      rowColor: red\n";
    assert_true(parse(&s, text, &e));
    log_close();
    assert_int_equal(s.unknown, 3);
    assert_int_equal(s.color[SKIN_BODY_FG], SKIN_RGB(0x123456));
    char *log = slurp(logpath);
    assert_non_null(strstr(log, "test.yaml: line 5: unknown key k9s.body.sparkle, ignored"));
    assert_non_null(strstr(log, "line 6: unknown key k9s.gizmo, ignored"));
    assert_non_null(strstr(log, "line 10: unknown key k9s.views.table.rowColor, ignored"));
    assert_null(strstr(log, "palette")); /* top-level anchors are k9s's idiom, not errors */
    assert_null(strstr(log, "deep"));    /* one warning for an unknown section */
    free(log);
    unlink(logpath);
}

static void test_broken_files(void **state)
{
    (void)state;
    static const struct {
        const char *text, *want;
    } cases[] = {
        {"k9s:\n  body: [\n", "skin test.yaml: line "},
        {"k9s:\n  body:\n    fgColor: bleu\n",
         "skin test.yaml: line 3: body.fgColor: \"bleu\" is not a colour"},
        {"k9s:\n  frame:\n    border:\n      focusColor: '#12345'\n",
         "line 4: frame.border.focusColor: \"#12345\" is not a colour"},
        {"k9s:\n  body:\n    fgColor: {a: b}\n", "line 3: body.fgColor needs a colour"},
        {"k9s:\n  body: red\n", "line 2: body needs a mapping"},
        {"k9s: red\n", "k9s needs a mapping"},
        {"k9s:\n  views:\n    charts:\n      defaultDialColors: [red, nope]\n",
         "views.charts.defaultDialColors: \"nope\" is not a colour"},
        {"k9s:\n  views:\n    charts:\n      resourceColors: {cpu: [red, '#zz0000']}\n",
         "views.charts.resourceColors: \"#zz0000\" is not a colour"},
        {"k9s:\n  views:\n    xray:\n      showIcons: perhaps\n", "showIcons needs true or false"},
        {"body:\n  fgColor: red\n", "line 1: no top-level k9s: mapping"},
        {"- a\n- b\n", "no top-level k9s: mapping"},
        {"", "skin test.yaml: the file is empty"},
        {"k9s:\n  body:\n    fgColor: \"re\\x1bd\"\n", "\"re?d\" is not a colour"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct skin s;
        struct err e = {0};
        s.color[SKIN_BODY_FG] = 12345;
        if (parse(&s, cases[i].text, &e))
            fail_msg("case %zu parsed", i);
        if (!strstr(e.msg, cases[i].want))
            fail_msg("case %zu: \"%s\" lacks \"%s\"", i, e.msg, cases[i].want);
        assert_null(strchr(e.msg, '\n'));
        assert_true(same_as_default(&s));
    }
    /* A file that is not there names itself. */
    struct skin s;
    struct err e = {0};
    assert_false(skin_load_file(&s, "/nonexistent/dir/x.yaml", &e));
    assert_non_null(strstr(e.msg, "skin /nonexistent/dir/x.yaml"));
    assert_true(same_as_default(&s));
    assert_false(skin_load_file(&s, "/tmp", &e));
    assert_non_null(strstr(e.msg, "is a directory"));
}

static void test_shipped_skins(void **state)
{
    (void)state;
    static const char *const shipped[] = {"default",        "light", "colorblind", "high-contrast",
                                          "solarized-dark", "nord",  "k9s"};
    for (size_t i = 0; i < sizeof shipped / sizeof shipped[0]; i++) {
        char path[128];
        snprintf(path, sizeof path, "skins/%s.yaml", shipped[i]);
        struct skin s;
        struct err e = {0};
        if (!skin_load_file(&s, path, &e))
            fail_msg("%s", e.msg);
        assert_int_equal(s.unknown, 0);
        /* No style may draw text in its own background colour. */
        for (int st = 0; st < STYLE_COUNT; st++) {
            struct skin_style ss = skin_style_get(&s, (enum style)st);
            if (ss.fg == ss.bg && ss.fg != SKIN_COLOR_DEFAULT)
                fail_msg("%s: %s draws in its background colour", shipped[i],
                         skin_style_name((enum style)st));
        }
    }
    /* The default file is the built-in skin, key for key. */
    struct skin s;
    struct err e = {0};
    assert_true(skin_load_file(&s, "skins/default.yaml", &e));
    struct skin d;
    skin_default(&d);
    for (int i = 0; i < SKIN_KEY_COUNT; i++)
        if (s.color[i] != d.color[i])
            fail_msg("skins/default.yaml: %s is %d, built in %d", skin_key_path((enum skin_key)i),
                     s.color[i], d.color[i]);
    assert_int_equal(s.menu_attr, d.menu_attr);
    assert_false(s.state_attrs);
    /* Light paints its background; high contrast is white on black. */
    assert_true(skin_load_file(&s, "skins/light.yaml", &e));
    assert_int_equal(s.color[SKIN_BODY_BG], SKIN_RGB(0xfbfbf8));
    assert_true(skin_load_file(&s, "skins/high-contrast.yaml", &e));
    assert_int_equal(s.color[SKIN_BODY_BG], SKIN_RGB(0x000000));
    assert_int_equal(s.color[SKIN_TABLE_FG], SKIN_RGB(0xffffff));
    assert_true(s.state_attrs);
}

/* Hue in degrees and saturation of an RGB colour. */
static void hue_sat(uint32_t rgb, double *hue, double *sat)
{
    double r = (rgb >> 16 & 0xff) / 255.0, g = (rgb >> 8 & 0xff) / 255.0, b = (rgb & 0xff) / 255.0;
    double mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    double mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
    double d = mx - mn;
    *sat = mx > 0 ? d / mx : 0;
    double h = 0;
    if (d > 0) {
        if (mx == r)
            h = 60 * ((g - b) / d);
        else if (mx == g)
            h = 60 * ((b - r) / d + 2);
        else
            h = 60 * ((r - g) / d + 4);
    }
    *hue = h < 0 ? h + 360 : h;
}

static void test_colorblind_skin(void **state)
{
    (void)state;
    struct skin s;
    struct err e = {0};
    assert_true(skin_load_file(&s, "skins/colorblind.yaml", &e));
    assert_true(s.state_attrs);
    static const enum style states[] = {
        STYLE_ROW,           STYLE_ROW_PENDING,     STYLE_ROW_ERROR,
        STYLE_ROW_COMPLETED, STYLE_ROW_TERMINATING, STYLE_ROW_DELETED,
        STYLE_ROW_MODIFIED,  STYLE_ROW_MARKED,      STYLE_FLASH_INFO,
        STYLE_FLASH_ERROR};
    for (size_t i = 0; i < sizeof states / sizeof states[0]; i++) {
        skin_color fg = skin_style_get(&s, states[i]).fg;
        if (!SKIN_IS_RGB(fg))
            continue;
        double h, sat;
        hue_sat(SKIN_RGB_VALUE(fg), &h, &sat);
        /* Neither pure reds nor greens: the pair colour-blind readers confuse. */
        if (sat > 0.25 && ((h > 75 && h < 165) || h < 20 || h > 340))
            fail_msg("%s uses hue %.0f", skin_style_name(states[i]), h);
    }
    /* Errors stand out by attribute too. */
    assert_true(skin_style_get(&s, STYLE_ROW_ERROR).attrs & SKIN_BOLD);
    assert_true(skin_style_get(&s, STYLE_ROW_DELETED).attrs & SKIN_UL);
}

static void test_k9s_format_file(void **state)
{
    (void)state;
    struct skin s;
    struct err e = {0};
    if (!skin_load_file(&s, FIXTURE_DIR "/k9s-format.yaml", &e))
        fail_msg("%s", e.msg);
    assert_int_equal(s.unknown, 0);
    assert_int_equal(s.color[SKIN_BODY_BG], SKIN_RGB(0x1c1f26));
    assert_int_equal(s.color[SKIN_HEADER_FG], SKIN_RGB(0xe5c07b));
    assert_int_equal(s.color[SKIN_BORDER_FOCUS], SKIN_RGB(0x2c313c));
    assert_int_equal(s.color[SKIN_TABLE_MARK], SKIN_RGB(0xb8860b));
    assert_int_equal(s.color[SKIN_DIALOG_BUTTON_FOCUS_FG], SKIN_RGB(0xffffff));
    assert_int_equal(s.color[SKIN_CHARTS_BG], SKIN_COLOR_DEFAULT);
    assert_int_equal(s.color[SKIN_LOGS_IND_BG], SKIN_RGB(0x3e4452));
    assert_int_equal(s.menu_attr, SKIN_BOLD);
    struct skin_style sel = skin_style_get(&s, STYLE_ROW_SELECTED);
    assert_int_equal(sel.fg, SKIN_RGB(0x1c1f26));
    assert_int_equal(sel.bg, SKIN_RGB(0x61afef));
}

static void test_find(void **state)
{
    (void)state;
    char dir[] = "/tmp/timon-skin-find-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *skins = xasprintf("%s/timon/skins", dir);
    assert_true(fs_mkdir_private(skins, NULL));
    char *mine = xasprintf("%s/mine.yaml", skins);
    FILE *f = fopen(mine, "w");
    assert_non_null(f);
    fputs("k9s: {}\n", f);
    fclose(f);
    char *old = getenv("XDG_CONFIG_HOME") ? xstrdup(getenv("XDG_CONFIG_HOME")) : NULL;
    setenv("XDG_CONFIG_HOME", dir, 1);

    struct err e = {0};
    char *p = skin_find("mine", &e);
    assert_non_null(p);
    assert_string_equal(p, mine);
    free(p);
    /* A path is taken as it is, whether it exists or not. */
    p = skin_find("some/where.yaml", &e);
    assert_string_equal(p, "some/where.yaml");
    free(p);
    p = skin_find("plain.yml", &e);
    assert_string_equal(p, "plain.yml");
    free(p);
    assert_null(skin_find("nosuch", &e));
    assert_non_null(strstr(e.msg, "skin \"nosuch\" not found (looked in "));
    assert_non_null(strstr(e.msg, skins));
    assert_null(skin_find("", &e));
    char **dirs = skin_dirs();
    assert_string_equal(dirs[0], skins);
    for (size_t i = 1; dirs[i]; i++)
        assert_int_equal(access(dirs[i], X_OK), 0); /* beside the executable: only real ones */
    skin_dirs_free(dirs);

    if (old) {
        setenv("XDG_CONFIG_HOME", old, 1);
        free(old);
    } else {
        unsetenv("XDG_CONFIG_HOME");
    }
    unlink(mine);
    rmdir(skins);
    char *t = xasprintf("%s/timon", dir);
    rmdir(t);
    rmdir(dir);
    free(t);
    free(mine);
    free(skins);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_table),
        cmocka_unit_test(test_reference_keys_all_known),
        cmocka_unit_test(test_every_key_parsed),
        cmocka_unit_test(test_color_values),
        cmocka_unit_test(test_nearest),
        cmocka_unit_test(test_defaults_and_inheritance),
        cmocka_unit_test(test_style_attrs),
        cmocka_unit_test(test_unknown_keys_warned),
        cmocka_unit_test(test_broken_files),
        cmocka_unit_test(test_shipped_skins),
        cmocka_unit_test(test_colorblind_skin),
        cmocka_unit_test(test_k9s_format_file),
        cmocka_unit_test(test_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
