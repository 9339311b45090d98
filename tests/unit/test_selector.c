/* selector and labels: the full label-selector syntax, server-style validation, matching. */
#include "test_util.h"

#include <string.h>

#include "model/labels.h"
#include "model/selector.h"

static bool matches(const char *sel, const char *labels)
{
    struct selector s;
    struct err e = {0};
    if (!selector_parse(sel, &s, &e))
        fail_msg("selector %s: %s", sel, e.msg);
    bool m = selector_matches(&s, labels);
    selector_free(&s);
    return m;
}

static void test_syntax_and_matching(void **state)
{
    (void)state;
    const char *web = "app=web,tier=front,version=2";
    assert_true(matches("", web));
    assert_true(matches("app=web", web));
    assert_true(matches("app==web", web));
    assert_false(matches("app!=web", web));
    assert_true(matches("missing!=x", web)); /* != matches objects without the key */
    assert_true(matches("app in (web, api)", web));
    assert_false(matches("app notin (web,api)", web));
    assert_true(matches("tier notin (back)", web));
    assert_true(matches("app", web));
    assert_false(matches("!app", web));
    assert_true(matches("!missing", web));
    assert_true(matches("version>1,version<3", web));
    assert_false(matches("version>2", web));
    assert_true(matches(" app = web , tier in ( front ) ", web));
    assert_false(matches("app=web,tier=back", web));
    assert_true(matches("example.com/team=a", "example.com/team=a"));
    assert_true(matches("app=", "app="));
}

static void expect_error(const char *sel, const char *needle)
{
    struct selector s;
    struct err e = {0};
    assert_false(selector_parse(sel, &s, &e));
    if (!strstr(e.msg, needle))
        fail_msg("\"%s\": error \"%s\" lacks \"%s\"", sel, e.msg, needle);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("=web", "has no key");
    expect_error("app in web", "expected '('");
    expect_error("app in (a b)", "expected ',' or ')'");
    expect_error("app ~ web", "expected =, ==, !=, in or notin");
    expect_error("-bad=x", "invalid label key");
    expect_error("app=bad value", "unexpected");
    expect_error("app=-x", "invalid label value");
    expect_error("Bad_Prefix.com/x=y", "DNS subdomain");
    expect_error("x>a", "integer");
}

static void test_labels(void **state)
{
    (void)state;
    struct err e = {0};
    char long_name[70];
    memset(long_name, 'a', 64);
    long_name[64] = '\0';
    assert_false(labels_valid_key(long_name, 64, &e));
    assert_non_null(strstr(e.msg, "no more than 63"));
    assert_true(labels_valid_key(long_name, 63, &e));
    assert_true(labels_valid_key("app.kubernetes.io/name", 22, &e));
    assert_false(labels_valid_key("a/b/c", 5, &e));
    assert_true(labels_valid_value("", 0, &e));
    assert_false(labels_valid_value("has space", 9, &e));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_syntax_and_matching),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_labels),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
