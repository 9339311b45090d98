/* strbuf: growth, the hard cap, consume/take, URL encoding. */
#include "test_util.h"

#include <stdlib.h>
#include <string.h>

#include "util/strbuf.h"

static void test_append_and_grow(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    assert_string_equal(strbuf_str(&sb), "");
    for (int i = 0; i < 1000; i++)
        assert_true(strbuf_puts(&sb, "abc"));
    assert_int_equal(sb.len, 3000);
    assert_int_equal(strlen(sb.buf), 3000);
    assert_true(strbuf_printf(&sb, "%d-%s", 42, "x"));
    assert_string_equal(sb.buf + 3000, "42-x");
    strbuf_free(&sb);
}

/* An uncapped buffer (max SIZE_MAX) still grows by doubling: max + 1 once wrapped to 0 and
 * made every append a realloc of exactly the bytes needed, which made sorting 50,000 table
 * rows take 100 ms. */
static void test_uncapped_grows_geometrically(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init(&sb, (size_t)-1);
    size_t grows = 0, cap = 0;
    for (int i = 0; i < 100000; i++) {
        assert_true(strbuf_putc(&sb, 'x'));
        if (sb.cap != cap) {
            grows++;
            cap = sb.cap;
        }
    }
    assert_int_equal(sb.len, 100000);
    assert_true(grows < 20);
    strbuf_free(&sb);
}

static void test_cap_cuts_and_flags(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init(&sb, 5);
    assert_true(strbuf_puts(&sb, "abc"));
    assert_false(strbuf_puts(&sb, "defg"));
    assert_true(sb.overflow);
    assert_string_equal(sb.buf, "abcde");
    assert_false(strbuf_putc(&sb, 'z'));
    assert_string_equal(sb.buf, "abcde");
    strbuf_reset(&sb);
    assert_false(sb.overflow);
    assert_true(strbuf_puts(&sb, "12345"));
    strbuf_free(&sb);
}

static void test_printf_long(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_true(strbuf_printf(&sb, "<%s>", big));
    assert_int_equal(sb.len, 1001);
    strbuf_free(&sb);
}

static void test_consume_take(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    strbuf_puts(&sb, "line1\nline2");
    strbuf_consume(&sb, 6);
    assert_string_equal(strbuf_str(&sb), "line2");
    strbuf_consume(&sb, 100);
    assert_int_equal(sb.len, 0);
    strbuf_puts(&sb, "keep");
    char *p = strbuf_take(&sb);
    assert_string_equal(p, "keep");
    assert_null(sb.buf);
    free(p);
    p = strbuf_take(&sb);
    assert_string_equal(p, "");
    free(p);
}

static void test_urlencode(void **state)
{
    (void)state;
    struct strbuf sb = {0};
    strbuf_put_urlencoded(&sb, "app=web,tier in (a b)");
    assert_string_equal(sb.buf, "app%3Dweb%2Ctier%20in%20%28a%20b%29");
    strbuf_free(&sb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_grow),
        cmocka_unit_test(test_uncapped_grows_geometrically),
        cmocka_unit_test(test_cap_cuts_and_flags),
        cmocka_unit_test(test_printf_long),
        cmocka_unit_test(test_consume_take),
        cmocka_unit_test(test_urlencode),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
