/* quantity: the resource.Quantity grammar, rounding up like MilliValue()/Value(). */
#include "test_util.h"

#include "util/quantity.h"

static void milli(const char *s, int64_t want)
{
    int64_t v;
    if (!quantity_milli(s, &v) || v != want)
        fail_msg("milli(%s) = %lld, want %lld", s, (long long)v, (long long)want);
}

static void value(const char *s, int64_t want)
{
    int64_t v;
    if (!quantity_value(s, &v) || v != want)
        fail_msg("value(%s) = %lld, want %lld", s, (long long)v, (long long)want);
}

static void test_quantities(void **state)
{
    (void)state;
    milli("500m", 500);
    milli("1", 1000);
    milli("1.5", 1500);
    milli("0.1m", 1);
    milli("1234567n", 2); /* kubectl top: 1234567n -> 2m */
    milli("250u", 1);
    milli("2e3", 2000000);
    milli("12E-3", 12);
    milli("-1", -1000);
    value("1Gi", 1073741824);
    value("1.5Gi", 1610612736);
    value("3044Ki", 3117056);
    value("128974848", 128974848);
    value("1k", 1000);
    value("1M", 1000000);
    value("100m", 1);
    value("9Ei", INT64_MAX);
    value("99999999999999999999999", INT64_MAX);
    int64_t v;
    assert_false(quantity_value("", &v));
    assert_false(quantity_value("abc", &v));
    assert_false(quantity_value("1Q", &v));
    assert_false(quantity_value("1e", &v));
    assert_false(quantity_value("1..2", &v));
    assert_int_equal(quantity_mib(3117056), 2);
}

static void test_format_number(void **state)
{
    (void)state;
    char buf[64];
    assert_string_equal(quantity_format_number(5, buf, sizeof buf), "5");
    assert_string_equal(quantity_format_number(-3, buf, sizeof buf), "-3");
    assert_string_equal(quantity_format_number(0, buf, sizeof buf), "0");
    assert_string_equal(quantity_format_number(128974848, buf, sizeof buf), "128974848");
    assert_string_equal(quantity_format_number(0.5, buf, sizeof buf), "0.5");
    assert_string_equal(quantity_format_number(-2.25, buf, sizeof buf), "-2.25");
    /* Past long long's range: %g, never an undefined conversion. */
    assert_string_equal(quantity_format_number(9e18, buf, sizeof buf), "9e+18");
    assert_string_equal(quantity_format_number(-1e300, buf, sizeof buf), "-1e+300");
    assert_string_equal(quantity_format_number(8e18, buf, sizeof buf), "8000000000000000000");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_quantities),
                                       cmocka_unit_test(test_format_number)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
