/* base64 — RFC 4648 section 4. */
#include "util/base64.h"

static int b64val(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

bool base64_decode(const char *in, size_t n, struct strbuf *out)
{
    unsigned acc = 0;
    int bits = 0, count = 0, pad = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64val(c);
        if (v < 0 || pad)
            return false;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        count++;
        if (bits >= 8) {
            bits -= 8;
            char byte = (char)((acc >> bits) & 0xff);
            if (!strbuf_append(out, &byte, 1))
                return false;
        }
    }
    if (count % 4 == 1 || pad > 2)
        return false;
    return true;
}

void base64_encode(const void *in, size_t n, struct strbuf *out)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = in;
    size_t i = 0;
    for (; i + 2 < n; i += 3) {
        char q[4] = {tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                     tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)], tab[s[i + 2] & 63]};
        strbuf_append(out, q, 4);
    }
    if (i + 1 == n) {
        char q[4] = {tab[s[i] >> 2], tab[(s[i] & 3) << 4], '=', '='};
        strbuf_append(out, q, 4);
    } else if (i + 2 == n) {
        char q[4] = {tab[s[i] >> 2], tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)],
                     tab[(s[i + 1] & 15) << 2], '='};
        strbuf_append(out, q, 4);
    }
}
