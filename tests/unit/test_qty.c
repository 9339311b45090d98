/* qty: exact resource quantities and their canonical text, as resource.Quantity prints them. */
#include "test_util.h"

#include <string.h>

#include "util/qty.h"

static void canon(const char *in, const char *want)
{
    struct qty q;
    char buf[QTY_MAX_LEN];
    if (!qty_parse(in, &q))
        fail_msg("\"%s\" did not parse", in);
    if (strcmp(qty_format(&q, buf, sizeof buf), want) != 0)
        fail_msg("\"%s\" printed \"%s\", want \"%s\"", in, buf, want);
}

static void test_canonical(void **state)
{
    (void)state;
    canon("0", "0");
    canon("0Mi", "0");
    canon("500m", "500m");
    canon("0.5", "500m");
    canon("1000m", "1");
    canon("1.5", "1500m");
    canon("1000", "1k");
    canon("100", "100");
    canon("2000000", "2M");
    canon("1.5Gi", "1536Mi");
    canon("1024Mi", "1Gi");
    canon("128974848", "128974848");
    canon("100M", "100M");
    canon("512Ki", "512Ki");
    canon("1023Ki", "1023Ki");
    canon("1Ki", "1Ki");
    canon("0.5Ki", "512"); /* not a whole multiple of 1024: decimal */
    canon("1e3", "1e3");
    canon("12E-3", "12e-3");
    canon("1.5e3", "1500"); /* exponent form: the exponent a multiple of 3, e0 dropped */
    canon("0.1m", "100u");
    canon("1n", "1n");
    canon("0.0000000001", "1n"); /* finer than a nano rounds up */
    canon("-250m", "-250m");
    canon("+3", "3");
    canon(".5", "500m");
}

static void test_rejects(void **state)
{
    (void)state;
    struct qty q;
    const char *bad[] = {"", "m", "1.2.3", "12x", "1Kii", "e3", "1e", "1e+", "--1", "1 Mi"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (qty_parse(bad[i], &q))
            fail_msg("\"%s\" parsed", bad[i]);
    assert_false(qty_parse(NULL, &q));
}

static void test_arithmetic(void **state)
{
    (void)state;
    struct qty a, b, sum = {0};
    char buf[QTY_MAX_LEN];
    /* A zero sum takes the first addend's format; later ones keep it. */
    assert_true(qty_parse("64Mi", &a));
    assert_true(qty_parse("64Mi", &b));
    qty_add(&sum, &a);
    qty_add(&sum, &b);
    assert_string_equal(qty_format(&sum, buf, sizeof buf), "128Mi");
    assert_true(qty_parse("100M", &b));
    qty_add(&sum, &b);
    assert_string_equal(qty_format(&sum, buf, sizeof buf), "234217728");
    struct qty cpu = {0};
    assert_true(qty_parse("500m", &a));
    qty_add(&cpu, &a);
    qty_add(&cpu, &a);
    assert_string_equal(qty_format(&cpu, buf, sizeof buf), "1");
    assert_int_equal(qty_milli(&cpu), 1000);
    assert_true(qty_parse("1.1", &a));
    assert_int_equal(qty_value(&a), 2); /* Value() rounds up */
    assert_true(qty_parse("1n", &a));
    assert_int_equal(qty_milli(&a), 1);
    assert_true(qty_parse("1Gi", &a));
    assert_true(qty_parse("1024Mi", &b));
    assert_int_equal(qty_cmp(&a, &b), 0);
    assert_true(qty_parse("1G", &b));
    assert_int_equal(qty_cmp(&a, &b), 1);
    assert_int_equal(qty_cmp(&b, &a), -1);
    assert_false(qty_is_zero(&a));
    /* Huge values saturate instead of wrapping. */
    assert_true(qty_parse("9Ei", &a));
    assert_true(qty_value(&a) > 0);
    assert_true(qty_parse("99999999999999999999999999999999999999999999", &a));
    assert_true(qty_value(&a) == INT64_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_canonical),
        cmocka_unit_test(test_rejects),
        cmocka_unit_test(test_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
