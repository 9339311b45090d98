/* natsort — natural comparison without allocation. */
#include "util/natsort.h"

#include <string.h>

static int isdig(char c)
{
    return c >= '0' && c <= '9';
}

int natsort_cmp(const char *a, const char *b)
{
    const char *pa = a, *pb = b;
    while (*pa && *pb) {
        if (isdig(*pa) && isdig(*pb)) {
            const char *sa = pa, *sb = pb;
            while (*sa == '0')
                sa++;
            while (*sb == '0')
                sb++;
            const char *ea = sa, *eb = sb;
            while (isdig(*ea))
                ea++;
            while (isdig(*eb))
                eb++;
            size_t la = (size_t)(ea - sa), lb = (size_t)(eb - sb);
            if (la != lb)
                return la < lb ? -1 : 1;
            int c = memcmp(sa, sb, la);
            if (c)
                return c < 0 ? -1 : 1;
            pa = ea;
            pb = eb;
            continue;
        }
        if (*pa != *pb)
            return (unsigned char)*pa < (unsigned char)*pb ? -1 : 1;
        pa++;
        pb++;
    }
    if (*pa || *pb)
        return *pa ? 1 : -1;
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

/* The key: s with every digit run replaced by its significant length and digits (a length of
 * 0-8 as one byte '0'+len, longer ones as '9' and two non-zero bytes), then a 0 byte, then
 * (exact) s itself and a 0 byte for the byte-order tie. The length byte of a run lies in '0'..'9',
 * where the run's first digit lay, so a run against any other byte compares as natsort_cmp compares
 * the digit; two runs compare by length, then digits. No byte but the two terminators is 0. */
void natsort_key(struct strbuf *out, const char *s, bool exact)
{
    size_t plain = strcspn(s, "0123456789");
    if (!s[plain]) { /* no digits (STATUS cells, most words): the key is the string itself */
        strbuf_append(out, s, plain + 1);
        if (exact)
            strbuf_append(out, s, plain + 1);
        return;
    }
    char buf[512]; /* staged, then appended in pieces: one append per key, not per run */
    size_t n = 0;
    const char *p = s;
    while (*p) {
        if (n > sizeof buf - 16) {
            strbuf_append(out, buf, n);
            n = 0;
        }
        if (!isdig(*p)) {
            buf[n++] = *p++;
            continue;
        }
        while (*p == '0')
            p++;
        const char *e = p;
        while (isdig(*e))
            e++;
        size_t len = (size_t)(e - p);
        if (len <= 8) {
            buf[n++] = (char)('0' + len);
        } else {
            size_t l = len > 254 * 255 - 1 ? 254 * 255 - 1 : len; /* longer runs tie on it */
            buf[n++] = '9';
            buf[n++] = (char)(1 + l / 255);
            buf[n++] = (char)(1 + l % 255);
        }
        while (p < e) {
            if (n == sizeof buf) {
                strbuf_append(out, buf, n);
                n = 0;
            }
            buf[n++] = *p++;
        }
    }
    strbuf_append(out, buf, n);
    strbuf_putc(out, '\0');
    if (exact)
        strbuf_append(out, s, strlen(s) + 1);
}
