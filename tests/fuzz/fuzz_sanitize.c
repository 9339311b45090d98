/* libFuzzer target: the terminal gate. Whatever the input, the output holds no C0 control
 * (but kept newlines/tabs), no DEL, no C1 code point, and is valid UTF-8. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "util/sanitize.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned flags = data[0] & 7u;
    struct strbuf out = {0};
    sanitize_append(&out, (const char *)data + 1, size - 1, flags);
    const unsigned char *s = (const unsigned char *)strbuf_str(&out);
    for (size_t i = 0; i < out.len;) {
        unsigned cp;
        size_t n = sanitize_utf8_decode(s + i, out.len - i, &cp);
        if (!n)
            abort();
        if (cp < 0x20 && !((cp == '\n' && (flags & SANITIZE_KEEP_NEWLINE)) ||
                           (cp == '\t' && (flags & SANITIZE_KEEP_TAB))))
            abort();
        if (cp == 0x7f || (cp >= 0x80 && cp <= 0x9f))
            abort();
        i += n;
    }
    if (!sanitize_is_clean((const char *)s, out.len, flags))
        abort();
    strbuf_free(&out);
    return 0;
}
