/* skin — reading k9s skin files onto the style table; colour names and nearest colours.
 *
 * Must not: touch curses (screen.c does), print, or exit. Every failure is an err value and
 * leaves the default skin in place. */
#include "views/skin.h"
#include "util/fs.h"
#include "util/log.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define SKIN_MAX_FILE ((size_t)1 << 20)
#define PATH_MAX_KEY  160

static const struct key_def {
    const char *path;
    enum skin_kind kind;
    const char *def;
    enum skin_key parent;
} keys[SKIN_KEY_COUNT] = {
#define KEY_DEF(id, path, kind, def, parent)                                                       \
    [SKIN_##id] = {path, SKIN_KIND_##kind, def, SKIN_##parent},
    SKIN_KEYS(KEY_DEF)
#undef KEY_DEF
};

static const struct style_def {
    const char *name;
    enum skin_key fg, bg;
    unsigned attr, mono;
} styles[STYLE_COUNT] = {
#define STYLE_DEF(name, fg, bg, attr, mono)                                                        \
    [STYLE_##name] = {#name, SKIN_##fg, SKIN_##bg, attr, mono},
    STYLE_LIST(STYLE_DEF)
#undef STYLE_DEF
};

/* tcell's colour names (the W3C/X11 table, its `grey` spellings), which k9s resolves to true
 * colour; plus the W3C aliases cyan and magenta. */
static const struct {
    const char *name;
    uint32_t rgb;
} names[] = {
    {"black", 0x000000},
    {"maroon", 0x800000},
    {"green", 0x008000},
    {"olive", 0x808000},
    {"navy", 0x000080},
    {"purple", 0x800080},
    {"teal", 0x008080},
    {"silver", 0xc0c0c0},
    {"gray", 0x808080},
    {"red", 0xff0000},
    {"lime", 0x00ff00},
    {"yellow", 0xffff00},
    {"blue", 0x0000ff},
    {"fuchsia", 0xff00ff},
    {"aqua", 0x00ffff},
    {"white", 0xffffff},
    {"aliceblue", 0xf0f8ff},
    {"antiquewhite", 0xfaebd7},
    {"aquamarine", 0x7fffd4},
    {"azure", 0xf0ffff},
    {"beige", 0xf5f5dc},
    {"bisque", 0xffe4c4},
    {"blanchedalmond", 0xffebcd},
    {"blueviolet", 0x8a2be2},
    {"brown", 0xa52a2a},
    {"burlywood", 0xdeb887},
    {"cadetblue", 0x5f9ea0},
    {"chartreuse", 0x7fff00},
    {"chocolate", 0xd2691e},
    {"coral", 0xff7f50},
    {"cornflowerblue", 0x6495ed},
    {"cornsilk", 0xfff8dc},
    {"crimson", 0xdc143c},
    {"darkblue", 0x00008b},
    {"darkcyan", 0x008b8b},
    {"darkgoldenrod", 0xb8860b},
    {"darkgray", 0xa9a9a9},
    {"darkgreen", 0x006400},
    {"darkkhaki", 0xbdb76b},
    {"darkmagenta", 0x8b008b},
    {"darkolivegreen", 0x556b2f},
    {"darkorange", 0xff8c00},
    {"darkorchid", 0x9932cc},
    {"darkred", 0x8b0000},
    {"darksalmon", 0xe9967a},
    {"darkseagreen", 0x8fbc8f},
    {"darkslateblue", 0x483d8b},
    {"darkslategray", 0x2f4f4f},
    {"darkturquoise", 0x00ced1},
    {"darkviolet", 0x9400d3},
    {"deeppink", 0xff1493},
    {"deepskyblue", 0x00bfff},
    {"dimgray", 0x696969},
    {"dodgerblue", 0x1e90ff},
    {"firebrick", 0xb22222},
    {"floralwhite", 0xfffaf0},
    {"forestgreen", 0x228b22},
    {"gainsboro", 0xdcdcdc},
    {"ghostwhite", 0xf8f8ff},
    {"gold", 0xffd700},
    {"goldenrod", 0xdaa520},
    {"greenyellow", 0xadff2f},
    {"honeydew", 0xf0fff0},
    {"hotpink", 0xff69b4},
    {"indianred", 0xcd5c5c},
    {"indigo", 0x4b0082},
    {"ivory", 0xfffff0},
    {"khaki", 0xf0e68c},
    {"lavender", 0xe6e6fa},
    {"lavenderblush", 0xfff0f5},
    {"lawngreen", 0x7cfc00},
    {"lemonchiffon", 0xfffacd},
    {"lightblue", 0xadd8e6},
    {"lightcoral", 0xf08080},
    {"lightcyan", 0xe0ffff},
    {"lightgoldenrodyellow", 0xfafad2},
    {"lightgray", 0xd3d3d3},
    {"lightgreen", 0x90ee90},
    {"lightpink", 0xffb6c1},
    {"lightsalmon", 0xffa07a},
    {"lightseagreen", 0x20b2aa},
    {"lightskyblue", 0x87cefa},
    {"lightslategray", 0x778899},
    {"lightsteelblue", 0xb0c4de},
    {"lightyellow", 0xffffe0},
    {"limegreen", 0x32cd32},
    {"linen", 0xfaf0e6},
    {"mediumaquamarine", 0x66cdaa},
    {"mediumblue", 0x0000cd},
    {"mediumorchid", 0xba55d3},
    {"mediumpurple", 0x9370db},
    {"mediumseagreen", 0x3cb371},
    {"mediumslateblue", 0x7b68ee},
    {"mediumspringgreen", 0x00fa9a},
    {"mediumturquoise", 0x48d1cc},
    {"mediumvioletred", 0xc71585},
    {"midnightblue", 0x191970},
    {"mintcream", 0xf5fffa},
    {"mistyrose", 0xffe4e1},
    {"moccasin", 0xffe4b5},
    {"navajowhite", 0xffdead},
    {"oldlace", 0xfdf5e6},
    {"olivedrab", 0x6b8e23},
    {"orange", 0xffa500},
    {"orangered", 0xff4500},
    {"orchid", 0xda70d6},
    {"palegoldenrod", 0xeee8aa},
    {"palegreen", 0x98fb98},
    {"paleturquoise", 0xafeeee},
    {"palevioletred", 0xdb7093},
    {"papayawhip", 0xffefd5},
    {"peachpuff", 0xffdab9},
    {"peru", 0xcd853f},
    {"pink", 0xffc0cb},
    {"plum", 0xdda0dd},
    {"powderblue", 0xb0e0e6},
    {"rebeccapurple", 0x663399},
    {"rosybrown", 0xbc8f8f},
    {"royalblue", 0x4169e1},
    {"saddlebrown", 0x8b4513},
    {"salmon", 0xfa8072},
    {"sandybrown", 0xf4a460},
    {"seagreen", 0x2e8b57},
    {"seashell", 0xfff5ee},
    {"sienna", 0xa0522d},
    {"skyblue", 0x87ceeb},
    {"slateblue", 0x6a5acd},
    {"slategray", 0x708090},
    {"snow", 0xfffafa},
    {"springgreen", 0x00ff7f},
    {"steelblue", 0x4682b4},
    {"tan", 0xd2b48c},
    {"thistle", 0xd8bfd8},
    {"tomato", 0xff6347},
    {"turquoise", 0x40e0d0},
    {"violet", 0xee82ee},
    {"wheat", 0xf5deb3},
    {"whitesmoke", 0xf5f5f5},
    {"yellowgreen", 0x9acd32},
    {"grey", 0x808080},
    {"dimgrey", 0x696969},
    {"darkgrey", 0xa9a9a9},
    {"darkslategrey", 0x2f4f4f},
    {"lightgrey", 0xd3d3d3},
    {"lightslategrey", 0x778899},
    {"slategrey", 0x708090},
    {"cyan", 0x00ffff},
    {"magenta", 0xff00ff},
};

/* ---- the tables ------------------------------------------------------------------------- */

const char *skin_key_path(enum skin_key k)
{
    return k >= 0 && k < SKIN_KEY_COUNT ? keys[k].path : NULL;
}

enum skin_kind skin_key_kind(enum skin_key k)
{
    return keys[k].kind;
}

enum skin_key skin_key_parent(enum skin_key k)
{
    return keys[k].parent;
}

enum skin_key skin_key_lookup(const char *path)
{
    for (int i = 0; i < SKIN_KEY_COUNT; i++)
        if (strcmp(keys[i].path, path) == 0)
            return (enum skin_key)i;
    return SKIN_NONE;
}

const char *skin_style_name(enum style st)
{
    return styles[st].name;
}

enum skin_key skin_style_fg_key(enum style st)
{
    return styles[st].fg;
}

enum skin_key skin_style_bg_key(enum style st)
{
    return styles[st].bg;
}

/* ---- colours ---------------------------------------------------------------------------- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

bool skin_color_parse(const char *s, skin_color *out)
{
    if (!s)
        return false;
    if (!s[0] || strcmp(s, "-") == 0 || strcasecmp(s, "default") == 0) {
        *out = SKIN_COLOR_DEFAULT;
        return true;
    }
    if (s[0] == '#') {
        if (strlen(s) != 7)
            return false;
        uint32_t v = 0;
        for (int i = 1; i < 7; i++) {
            int h = hexval(s[i]);
            if (h < 0)
                return false;
            v = v << 4 | (uint32_t)h;
        }
        *out = SKIN_RGB(v);
        return true;
    }
    const char *num = strncasecmp(s, "colour", 6) == 0  ? s + 6
                      : strncasecmp(s, "color", 5) == 0 ? s + 5
                                                        : NULL;
    if (num && num[0]) {
        int v = 0;
        size_t i = 0;
        for (; num[i] >= '0' && num[i] <= '9' && i < 4; i++)
            v = v * 10 + (num[i] - '0');
        if (num[i] == '\0' && i > 0 && i < 4 && v <= 255) {
            *out = v;
            return true;
        }
        return false;
    }
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(names[i].name, s) == 0) {
            *out = SKIN_RGB(names[i].rgb);
            return true;
        }
    }
    return false;
}

static const uint8_t cube_levels[6] = {0, 95, 135, 175, 215, 255};

uint32_t skin_palette_rgb(int idx)
{
    if (idx < 0 || idx > 255)
        return 0;
    if (idx < 16)
        return names[idx].rgb; /* the table starts with the 16 ANSI colours, in order */
    if (idx < 232) {
        int i = idx - 16;
        return (uint32_t)cube_levels[i / 36] << 16 | (uint32_t)cube_levels[i / 6 % 6] << 8 |
               cube_levels[i % 6];
    }
    uint32_t g = (uint32_t)(8 + 10 * (idx - 232));
    return g << 16 | g << 8 | g;
}

static long dist2(uint32_t a, uint32_t b)
{
    long dr = (long)(a >> 16 & 0xff) - (long)(b >> 16 & 0xff);
    long dg = (long)(a >> 8 & 0xff) - (long)(b >> 8 & 0xff);
    long db = (long)(a & 0xff) - (long)(b & 0xff);
    return dr * dr + dg * dg + db * db;
}

static int cube_index(int v)
{
    int best = 0;
    for (int i = 1; i < 6; i++)
        if (abs(v - cube_levels[i]) < abs(v - cube_levels[best]))
            best = i;
    return best;
}

int skin_nearest256(uint32_t rgb)
{
    int r = (int)(rgb >> 16 & 0xff), g = (int)(rgb >> 8 & 0xff), b = (int)(rgb & 0xff);
    int cube = 16 + 36 * cube_index(r) + 6 * cube_index(g) + cube_index(b);
    int avg = (r + g + b) / 3;
    int gi = avg <= 8 ? 0 : (avg - 8 + 5) / 10;
    if (gi > 23)
        gi = 23;
    int grey = 232 + gi;
    return dist2(rgb, skin_palette_rgb(grey)) < dist2(rgb, skin_palette_rgb(cube)) ? grey : cube;
}

static int nearest_of(uint32_t rgb, int n)
{
    int best = 0;
    long bd = dist2(rgb, skin_palette_rgb(0));
    for (int i = 1; i < n; i++) {
        long d = dist2(rgb, skin_palette_rgb(i));
        if (d < bd) {
            bd = d;
            best = i;
        }
    }
    return best;
}

int skin_nearest16(uint32_t rgb)
{
    return nearest_of(rgb, 16);
}

int skin_nearest8(uint32_t rgb)
{
    return nearest_of(rgb, 8);
}

int skin_term_color(skin_color c, enum skin_depth d)
{
    if (c < 0)
        return -1;
    if (!SKIN_IS_RGB(c)) {
        int idx = c & 0xff;
        switch (d) {
        case SKIN_DEPTH_DIRECT:
            if (idx < 8)
                return idx;
            c = SKIN_RGB(skin_palette_rgb(idx));
            break;
        case SKIN_DEPTH_256:
            return idx;
        case SKIN_DEPTH_16:
            return idx < 16 ? idx : skin_nearest16(skin_palette_rgb(idx));
        case SKIN_DEPTH_8:
            return idx < 8 ? idx : skin_nearest8(skin_palette_rgb(idx));
        }
    }
    uint32_t rgb = SKIN_RGB_VALUE(c);
    switch (d) {
    case SKIN_DEPTH_DIRECT:
        /* Direct-colour terminfo entries read 0..7 as the ANSI palette: the darkest blues
         * (#000001..#000007) become black rather than a bright colour. */
        return rgb < 8 ? 0 : (int)rgb;
    case SKIN_DEPTH_256:
        return skin_nearest256(rgb);
    case SKIN_DEPTH_16:
        return skin_nearest16(rgb);
    case SKIN_DEPTH_8:
        break;
    }
    return skin_nearest8(rgb);
}

int skin_component_1000(int v)
{
    if (v <= 0)
        return 0;
    if (v >= 255)
        return 1000;
    return (v * 1000 + 254) / 255;
}

/* ---- styles ----------------------------------------------------------------------------- */

struct skin_style skin_style_get(const struct skin *s, enum style st)
{
    const struct style_def *d = &styles[st];
    struct skin_style out = {.fg = s->color[d->fg], .bg = s->color[d->bg], .attrs = d->attr};
    if (out.attrs & SKIN_MENU)
        out.attrs = (out.attrs & ~(unsigned)SKIN_MENU) | s->menu_attr;
    if (s->state_attrs)
        out.attrs |= d->mono & ~(unsigned)SKIN_REV;
    return out;
}

unsigned skin_style_mono(enum style st)
{
    return styles[st].mono;
}

static bool attr_parse(const char *v, unsigned *out)
{
    if (!v[0] || strcasecmp(v, "normal") == 0)
        *out = 0;
    else if (strcasecmp(v, "dim") == 0)
        *out = SKIN_DIM;
    else if (strcasecmp(v, "bold") == 0)
        *out = SKIN_BOLD;
    else
        return false;
    return true;
}

/* Children take their parent's value unless the file set them; parents come first. */
static void inherit(struct skin *s)
{
    for (int i = 0; i < SKIN_KEY_COUNT; i++)
        if (keys[i].kind == SKIN_KIND_COLOR && !s->set[i] && !keys[i].def &&
            keys[i].parent != SKIN_NONE)
            s->color[i] = s->color[keys[i].parent];
}

void skin_default(struct skin *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < SKIN_KEY_COUNT; i++) {
        s->color[i] = SKIN_COLOR_DEFAULT;
        if (keys[i].kind == SKIN_KIND_COLOR && keys[i].def)
            skin_color_parse(keys[i].def, &s->color[i]);
        else if (keys[i].kind == SKIN_KIND_ATTR && keys[i].def)
            attr_parse(keys[i].def, &s->menu_attr);
    }
    inherit(s);
}

/* ---- parsing ---------------------------------------------------------------------------- */

struct walker {
    struct yamldoc *doc;
    struct skin *s;
    const char *source;
    struct err *e;
};

/* A YAML null: ~, null, or nothing after the colon. Such a key keeps its default. */
static bool is_null(const yaml_node_t *n)
{
    if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *v = (const char *)n->data.scalar.value;
    return !v[0] || strcmp(v, "~") == 0 || strcasecmp(v, "null") == 0;
}

static size_t line_of(const yaml_node_t *n)
{
    return n ? n->start_mark.line + 1 : 0;
}

/* A path is a section when some key lives under it ("frame" and "frame.border" are). */
static bool is_section(const char *path)
{
    size_t n = strlen(path);
    for (int i = 0; i < SKIN_KEY_COUNT; i++)
        if (strncmp(keys[i].path, path, n) == 0 && keys[i].path[n] == '.')
            return true;
    return false;
}

static bool key_error(struct walker *w, const yaml_node_t *n, const char *path, const char *what)
{
    return err_set(w->e, "skin %s: line %zu: %s %s", w->source, line_of(n), path, what);
}

static bool bad_color(struct walker *w, const yaml_node_t *n, const char *path, const char *v)
{
    char shown[48];
    size_t j = 0;
    for (size_t i = 0; v[i] && j < sizeof shown - 1; i++)
        shown[j++] = (unsigned char)v[i] < 0x20 || v[i] == 0x7f ? '?' : v[i];
    shown[j] = '\0';
    return err_set(w->e,
                   "skin %s: line %zu: %s: \"%s\" is not a colour (a name, #rrggbb or default)",
                   w->source, line_of(n), path, shown);
}

static bool color_node(struct walker *w, yaml_node_t *n, const char *path, skin_color *out)
{
    if (n->type != YAML_SCALAR_NODE)
        return key_error(w, n, path, "needs a colour, not a list or mapping");
    if (is_null(n))
        return true;
    const char *v = yamldoc_str(n);
    skin_color c;
    if (!v || !skin_color_parse(v, &c))
        return bad_color(w, n, path, v ? v : "(binary)");
    if (out)
        *out = c;
    return true;
}

static bool color_list(struct walker *w, yaml_node_t *n, const char *path)
{
    if (is_null(n))
        return true;
    if (n->type != YAML_SEQUENCE_NODE)
        return key_error(w, n, path, "needs a list of colours");
    for (size_t i = 0; i < yamldoc_seq_len(n); i++) {
        yaml_node_t *it = yamldoc_seq_item(w->doc, n, i);
        if (it && !color_node(w, it, path, NULL))
            return false;
    }
    return true;
}

static bool value(struct walker *w, enum skin_key k, yaml_node_t *v, const char *path)
{
    struct skin *s = w->s;
    switch (keys[k].kind) {
    case SKIN_KIND_COLOR: {
        skin_color c = s->color[k];
        if (!color_node(w, v, path, &c))
            return false;
        if (!is_null(v)) {
            s->color[k] = c;
            s->set[k] = true;
        }
        return true;
    }
    case SKIN_KIND_COLORS:
        return color_list(w, v, path);
    case SKIN_KIND_CMAP:
        if (is_null(v))
            return true;
        if (v->type != YAML_MAPPING_NODE)
            return key_error(w, v, path, "needs a mapping of names to colour lists");
        for (size_t i = 0;; i++) {
            yaml_node_t *mk, *mv;
            if (!yamldoc_map_pair(w->doc, v, i, &mk, &mv))
                break;
            if (mv && !color_list(w, mv, path))
                return false;
        }
        return true;
    case SKIN_KIND_ATTR: {
        const char *a = yamldoc_str(v);
        if (is_null(v))
            return true;
        if (!a || !attr_parse(a, &s->menu_attr))
            return key_error(w, v, path, "needs dim, normal or bold");
        return true;
    }
    case SKIN_KIND_BOOL: {
        bool ok = false;
        if (is_null(v))
            return true;
        yamldoc_bool(v, &ok);
        if (!ok)
            return key_error(w, v, path, "needs true or false");
        return true;
    }
    case SKIN_KIND_STRING:
        if (v->type != YAML_SCALAR_NODE)
            return key_error(w, v, path, "needs a string");
        return true;
    }
    return true;
}

static void unknown(struct walker *w, const yaml_node_t *n, const char *path)
{
    w->s->unknown++;
    log_warn("skin %s: line %zu: unknown key %s%s, ignored", w->source, line_of(n),
             strncmp(path, "timon.", 6) == 0 ? "" : "k9s.", path);
}

static bool walk(struct walker *w, yaml_node_t *map, const char *prefix)
{
    if (is_null(map))
        return true; /* an empty section */
    if (map->type != YAML_MAPPING_NODE)
        return key_error(w, map, prefix ? prefix : "k9s", "needs a mapping");
    for (size_t i = 0;; i++) {
        yaml_node_t *k, *v;
        if (!yamldoc_map_pair(w->doc, map, i, &k, &v))
            break;
        const char *name = yamldoc_str(k);
        char path[PATH_MAX_KEY];
        int n = snprintf(path, sizeof path, "%s%s%s", prefix ? prefix : "", prefix ? "." : "",
                         name ? name : "?");
        if (!name || !v || n < 0 || (size_t)n >= sizeof path) {
            unknown(w, k, path);
            continue;
        }
        enum skin_key key = skin_key_lookup(path);
        if (key != SKIN_NONE) {
            if (!value(w, key, v, path))
                return false;
        } else if (is_section(path)) {
            if (!walk(w, v, path))
                return false;
        } else {
            unknown(w, k, path);
        }
    }
    return true;
}

/* `timon:` beside `k9s:` holds what k9s has no key for; k9s ignores it. */
static bool walk_timon(struct walker *w, yaml_node_t *map)
{
    if (is_null(map))
        return true;
    if (map->type != YAML_MAPPING_NODE)
        return key_error(w, map, "timon", "needs a mapping");
    for (size_t i = 0;; i++) {
        yaml_node_t *k, *v;
        if (!yamldoc_map_pair(w->doc, map, i, &k, &v))
            break;
        const char *name = yamldoc_str(k);
        char path[PATH_MAX_KEY];
        snprintf(path, sizeof path, "timon.%s", name ? name : "?");
        if (name && v && strcmp(name, "stateAttributes") == 0) {
            bool ok = false;
            bool b = yamldoc_bool(v, &ok);
            if (!ok)
                return key_error(w, v, path, "needs true or false");
            w->s->state_attrs = b;
        } else {
            unknown(w, k, path);
        }
    }
    return true;
}

bool skin_parse(struct skin *s, const char *buf, size_t n, const char *source, struct err *e)
{
    skin_default(s);
    struct yamldoc doc;
    struct err ye = {0};
    if (!yamldoc_load(&doc, buf, n, &ye))
        return err_set(e, "skin %s: %s", source, ye.msg);
    struct walker w = {.doc = &doc, .s = s, .source = source, .e = e};
    yaml_node_t *root = yamldoc_root(&doc);
    yaml_node_t *k9s = yamldoc_get(&doc, root, "k9s");
    bool ok;
    if (!root)
        ok = err_set(e, "skin %s: the file is empty", source);
    else if (!k9s)
        ok = err_set(e, "skin %s: line %zu: no top-level k9s: mapping (not a k9s skin)", source,
                     line_of(root));
    else
        ok = walk(&w, k9s, NULL);
    yaml_node_t *ext = ok ? yamldoc_get(&doc, root, "timon") : NULL;
    if (ok && ext)
        ok = walk_timon(&w, ext);
    yamldoc_free(&doc);
    if (!ok) {
        int unknown_keys = s->unknown;
        skin_default(s);
        s->unknown = unknown_keys;
        return false;
    }
    inherit(s);
    return true;
}

bool skin_load_file(struct skin *s, const char *path, struct err *e)
{
    struct strbuf sb = {0};
    struct err fe = {0};
    if (!fs_read_file(path, SKIN_MAX_FILE, &sb, &fe)) {
        strbuf_free(&sb);
        skin_default(s);
        return err_set(e, "skin %s", fe.msg);
    }
    bool ok = skin_parse(s, sb.buf ? sb.buf : "", sb.len, path, e);
    strbuf_free(&sb);
    return ok;
}

/* ---- finding skins ---------------------------------------------------------------------- */

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* An existing directory with "." and ".." resolved, or NULL; takes path. */
static char *existing_dir(char *path)
{
    char buf[PATH_MAX];
    struct stat st;
    bool ok = realpath(path, buf) && stat(buf, &st) == 0 && S_ISDIR(st.st_mode);
    free(path);
    return ok ? xstrdup(buf) : NULL;
}

char **skin_dirs(void)
{
    char **dirs = xcalloc(5, sizeof *dirs);
    size_t n = 0;
    char *cfg = fs_xdg_dir("CONFIG");
    if (cfg) {
        dirs[n++] = xasprintf("%s/skins", cfg);
        free(cfg);
    }
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (len > 0) {
        exe[len] = '\0';
        char *bin = fs_dirname(exe);
        /* Installed: <prefix>/bin/timon and <prefix>/share/timon/skins. A build tree:
         * build/timon (or build/san/timon) and skins/ at the top. */
        char *cand[] = {xasprintf("%s/../share/timon/skins", bin), xasprintf("%s/../skins", bin),
                        xasprintf("%s/../../skins", bin)};
        for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++) {
            char *d = existing_dir(cand[i]);
            if (d)
                dirs[n++] = d;
        }
        free(bin);
    }
    return dirs;
}

void skin_dirs_free(char **dirs)
{
    if (!dirs)
        return;
    for (size_t i = 0; dirs[i]; i++)
        free(dirs[i]);
    free(dirs);
}

char *skin_find(const char *arg, struct err *e)
{
    if (!arg || !arg[0]) {
        err_set(e, "--skin needs a name or a file");
        return NULL;
    }
    if (strchr(arg, '/') || ends_with(arg, ".yaml") || ends_with(arg, ".yml"))
        return xstrdup(arg);
    char **dirs = skin_dirs();
    struct strbuf looked = {0};
    char *found = NULL;
    for (size_t i = 0; dirs[i] && !found; i++) {
        static const char *const exts[] = {".yaml", ".yml"};
        for (size_t j = 0; j < 2 && !found; j++) {
            char *p = xasprintf("%s/%s%s", dirs[i], arg, exts[j]);
            if (access(p, R_OK) == 0)
                found = p;
            else
                free(p);
        }
        strbuf_printf(&looked, "%s%s", i ? ", " : "", dirs[i]);
    }
    if (!found)
        err_set(e, "skin \"%s\" not found (looked in %s)", arg,
                looked.len ? strbuf_str(&looked) : "no directory");
    strbuf_free(&looked);
    skin_dirs_free(dirs);
    return found;
}
