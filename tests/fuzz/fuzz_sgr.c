/* libFuzzer target: log text through the SGR filter. Whatever the input, the output is what
 * sanitize allows (no control byte, no C1, valid UTF-8) and the colour runs are in order, inside
 * the output and bounded. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/sanitize.h"
#include "util/sgr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 7u;
    struct strbuf out = {0};
    struct sgr_runs runs;
    sgr_render((const char *)data + 1, size - 1, &out, &runs, flags);
    if (!sanitize_is_clean(strbuf_str(&out), out.len, flags))
        abort();
    if (runs.n > SGR_MAX_RUNS)
        abort();
    for (unsigned i = 0; i < runs.n; i++) {
        if (runs.r[i].off > out.len || runs.r[i].color >= SGR_NCOLORS)
            abort();
        if (i && runs.r[i].off <= runs.r[i - 1].off)
            abort();
    }
    strbuf_free(&out);
    return 0;
}
