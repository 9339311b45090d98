/* sanitize (terminal neutralisation), base64, natural sort and its keys, and keysort. */
#include "test_util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/base64.h"
#include "util/keysort.h"
#include "util/natsort.h"
#include "util/sanitize.h"
#include "util/strbuf.h"

static void expect_clean(const char *in, size_t n, unsigned flags, const char *want)
{
    struct strbuf sb = {0};
    sanitize_append(&sb, in, n, flags);
    if (strcmp(strbuf_str(&sb), want) != 0)
        fail_msg("sanitize gave \"%s\", want \"%s\"", strbuf_str(&sb), want);
    /* Whatever came in, nothing dangerous goes out. */
    for (size_t i = 0; i < sb.len; i++) {
        unsigned char c = (unsigned char)sb.buf[i];
        assert_true(c >= 0x20 || (c == '\n' && (flags & SANITIZE_KEEP_NEWLINE)) ||
                    (c == '\t' && (flags & SANITIZE_KEEP_TAB)));
        assert_true(c != 0x7f);
    }
    assert_true(sanitize_is_clean(sb.buf ? sb.buf : "", sb.len, flags));
    strbuf_free(&sb);
}

static void test_sanitize(void **state)
{
    (void)state;
    expect_clean("plain text", 10, 0, "plain text");
    expect_clean("\x1b[31mred\x1b[0m", 12, 0, "^[[31mred^[[0m");
    expect_clean("a\x07"
                 "b",
                 3, 0, "a^Gb");
    expect_clean("tab\there", 8, SANITIZE_TAB_TO_SPACE, "tab here");
    expect_clean("tab\there", 8, SANITIZE_KEEP_TAB, "tab\there");
    expect_clean("nl\nx", 4, 0, "nl^Jx");
    expect_clean("nl\nx", 4, SANITIZE_KEEP_NEWLINE, "nl\nx");
    expect_clean("del\x7f", 4, 0, "del^?");
    /* 8-bit C1 CSI as a raw byte (invalid UTF-8) and as a UTF-8 encoded code point. */
    expect_clean("\x9b"
                 "31m",
                 4, 0, "\\x9b31m");
    expect_clean("\xc2\x9b"
                 "31m",
                 5, 0, "\\u009b31m");
    /* Right-to-left override: shown, not obeyed. */
    expect_clean("evil\xe2\x80\xaetxt", 10, 0, "evil\\u202etxt");
    /* Valid multi-byte text passes untouched. */
    expect_clean("caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80", 14, 0,
                 "caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x9a\x80");
    /* Overlong encodings, surrogates and truncated sequences are bytes, not characters. */
    expect_clean("\xc0\xaf", 2, 0, "\\xc0\\xaf");
    expect_clean("\xed\xa0\x80", 3, 0, "\\xed\\xa0\\x80");
    expect_clean("\xe2\x82", 2, 0, "\\xe2\\x82");
    expect_clean("nul\0x", 5, 0, "nul^@x");
    expect_clean("[red]markup[-]", 14, 0, "[red]markup[-]");
}

static void test_base64(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    assert_true(base64_decode("aGVsbG8gd29ybGQ=", 16, &sb));
    assert_string_equal(strbuf_str(&sb), "hello world");
    strbuf_reset(&sb);
    assert_true(base64_decode("aGVs\nbG8=\n", 10, &sb));
    assert_string_equal(strbuf_str(&sb), "hello");
    strbuf_reset(&sb);
    assert_false(base64_decode("aGV*bG8=", 8, &sb));
    strbuf_reset(&sb);
    assert_false(base64_decode("a", 1, &sb));
    strbuf_reset(&sb);
    base64_encode("hello", 5, &sb);
    assert_string_equal(strbuf_str(&sb), "aGVsbG8=");
    strbuf_reset(&sb);
    base64_encode("hi", 2, &sb);
    assert_string_equal(strbuf_str(&sb), "aGk=");
    strbuf_free(&sb);
}

static void test_natsort(void **state)
{
    (void)state;
    assert_true(natsort_cmp("pod-2", "pod-10") < 0);
    assert_true(natsort_cmp("pod-10", "pod-2") > 0);
    assert_true(natsort_cmp("pod-a", "pod-b") < 0);
    assert_true(natsort_cmp("pod", "pod-1") < 0);
    assert_int_equal(natsort_cmp("same", "same"), 0);
    assert_true(natsort_cmp("a01", "a1") != 0);
    assert_true(natsort_cmp("a01", "a1") == -natsort_cmp("a1", "a01"));
    assert_true(natsort_cmp("web-99999999999999999999", "web-100000000000000000000") < 0);
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

/* Strings from a small alphabet rich in digits, zeros and prefixes, so that random pairs hit
 * every branch of natsort_cmp: runs against runs, leading zeros, runs against letters, one
 * string ending inside the other. */
static void random_name(char *out, size_t max, unsigned *seed)
{
    static const char alpha[] = "00019a-b:.";
    size_t n = (size_t)(rand_r(seed) % (unsigned)max);
    for (size_t i = 0; i < n; i++) {
        if (rand_r(seed) % 23 == 0) { /* now and then a long run */
            for (int k = 0; k < 12 && i + 1 < n; k++)
                out[i++] = (char)('0' + rand_r(seed) % 10);
        }
        out[i] = alpha[rand_r(seed) % (sizeof alpha - 1)];
    }
    out[n] = '\0';
}

static int key_cmp_of(const char *a, const char *b)
{
    struct strbuf ka = {0}, kb = {0};
    natsort_key(&ka, a, true);
    natsort_key(&kb, b, true);
    int c =
        keysort_cmp((const unsigned char *)ka.buf, ka.len, (const unsigned char *)kb.buf, kb.len);
    strbuf_free(&ka);
    strbuf_free(&kb);
    return sign(c);
}

/* The key's byte order is natsort_cmp's order, for every pair. */
static void test_natsort_key(void **state)
{
    (void)state;
    static const char *const fixed[][2] = {
        {"pod-2", "pod-10"},
        {"a01", "a1"},
        {"a0", "a"},
        {"a00", "a0"},
        {"a0b", "a!"},
        {"a9", "a:"},
        {"x1y", "x01y"},
        {"", "0"},
        {"9", "10"},
        {"a", "a0"},
        {"web-99999999999999999999", "web-100000000000000000000"},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
        const char *a = fixed[i][0], *b = fixed[i][1];
        if (key_cmp_of(a, b) != sign(natsort_cmp(a, b)) ||
            key_cmp_of(b, a) != sign(natsort_cmp(b, a)))
            fail_msg("key order of \"%s\" and \"%s\" differs from natsort_cmp", a, b);
    }
    unsigned seed = 7;
    char a[64], b[64];
    for (int i = 0; i < 200000; i++) {
        random_name(a, 24, &seed);
        if (i % 3 == 0) { /* b shares a's beginning */
            memcpy(b, a, sizeof b);
            random_name(b + strlen(a) / 2, 12, &seed);
        } else {
            random_name(b, 24, &seed);
        }
        if (key_cmp_of(a, b) != sign(natsort_cmp(a, b)))
            fail_msg("key order of \"%s\" and \"%s\" differs from natsort_cmp", a, b);
    }
}

/* Raw keys with 0 and 255 bytes and keys that are prefixes of others ("ab" before "ab\0"), at
 * lengths around the eight-byte words keysort compares: sorted, and nothing lost. */
static void test_keysort_raw(void **state)
{
    (void)state;
    unsigned seed = 5;
    enum { N = 5000 };
    static unsigned char keys[N][24];
    struct keysort_item items[N];
    unsigned long sum = 0, after = 0;
    for (size_t i = 0; i < N; i++) {
        size_t len = (size_t)(rand_r(&seed) % 20);
        for (size_t k = 0; k < len; k++)
            keys[i][k] = (unsigned char)"\0\1a\377"[rand_r(&seed) % 4];
        items[i] = (struct keysort_item){keys[i], len, (void *)(uintptr_t)(i + 1)};
        sum += i + 1;
    }
    keysort(items, N);
    for (size_t i = 0; i < N; i++) {
        after += (unsigned long)(uintptr_t)items[i].val;
        if (i && keysort_cmp(items[i - 1].key, items[i - 1].len, items[i].key, items[i].len) > 0)
            fail_msg("keys %zu and %zu out of order", i - 1, i);
    }
    assert_int_equal(sum, after);
}

static int by_natsort(const void *pa, const void *pb)
{
    return natsort_cmp(*(char *const *)pa, *(char *const *)pb);
}

/* keysort on natsort keys puts names where qsort with natsort_cmp puts them, duplicates and
 * empty keys included, at every size around the insertion-sort cut-off. */
static void test_keysort(void **state)
{
    (void)state;
    unsigned seed = 11;
    static const size_t sizes[] = {0, 1, 2, 12, 13, 50, 1000, 20000};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        size_t n = sizes[s];
        char **names = calloc(n + 1, sizeof *names);
        struct keysort_item *items = calloc(n + 1, sizeof *items);
        struct strbuf *keys = calloc(n + 1, sizeof *keys);
        for (size_t i = 0; i < n; i++) {
            char buf[64];
            if (i > 0 && rand_r(&seed) % 5 == 0)
                strcpy(buf, names[rand_r(&seed) % i]); /* a duplicate */
            else
                random_name(buf, 20, &seed);
            names[i] = strdup(buf);
            natsort_key(&keys[i], names[i], true);
            items[i] =
                (struct keysort_item){(const unsigned char *)keys[i].buf, keys[i].len, names[i]};
        }
        keysort(items, n);
        qsort(names, n, sizeof *names, by_natsort);
        for (size_t i = 0; i < n; i++)
            if (strcmp(items[i].val, names[i]) != 0)
                fail_msg("n=%zu: position %zu holds \"%s\", want \"%s\"", n, i,
                         (const char *)items[i].val, names[i]);
        for (size_t i = 0; i < n; i++) {
            free(names[i]);
            strbuf_free(&keys[i]);
        }
        free(names);
        free(items);
        free(keys);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize), cmocka_unit_test(test_base64),
        cmocka_unit_test(test_natsort),  cmocka_unit_test(test_natsort_key),
        cmocka_unit_test(test_keysort),  cmocka_unit_test(test_keysort_raw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
