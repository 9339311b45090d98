/* libFuzzer target: skin files (YAML, k9s's keys, colours) and the styles they resolve to. */
#include <stddef.h>
#include <stdint.h>

#include "views/skin.c" /* views/ is not in the fuzz core; the module is curses-free */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct skin s;
    struct err e = {0};
    skin_parse(&s, (const char *)data, size, "fuzz.yaml", &e);
    for (int st = 0; st < STYLE_COUNT; st++) {
        struct skin_style ss = skin_style_get(&s, (enum style)st);
        for (int d = SKIN_DEPTH_8; d <= SKIN_DEPTH_DIRECT; d++) {
            skin_term_color(ss.fg, (enum skin_depth)d);
            skin_term_color(ss.bg, (enum skin_depth)d);
        }
    }
    return 0;
}
