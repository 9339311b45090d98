/* sanitize (terminal neutralisation), base64 and natural sort. */
#include "test_util.h"

#include <string.h>

#include "util/base64.h"
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sanitize),
        cmocka_unit_test(test_base64),
        cmocka_unit_test(test_natsort),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
