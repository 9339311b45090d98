/* command: k9s's command-line grammar. */
#include "test_util.h"

#include <string.h>

#include "model/command.h"

static void test_parse(void **state)
{
    (void)state;
    struct command c;
    struct err e = {0};
    assert_true(command_parse("po kube-system", &c, &e));
    assert_string_equal(c.word, "po");
    assert_string_equal(c.ns, "kube-system");
    command_free(&c);
    assert_true(command_parse("  DEPLOY  /web app=web,tier!=db @prod", &c, &e));
    assert_string_equal(c.word, "deploy");
    assert_string_equal(c.filter, "web");
    assert_string_equal(c.selector, "app=web,tier!=db");
    assert_string_equal(c.context, "prod");
    assert_null(c.ns);
    command_free(&c);
    assert_true(command_parse("pods -A -f ngx 'tier in (a,b)'", &c, &e));
    assert_true(c.all_ns);
    assert_string_equal(c.filter, "-f ngx");
    assert_string_equal(c.selector, "tier in (a,b)");
    command_free(&c);
    assert_true(command_parse("ctx staging", &c, &e));
    assert_string_equal(c.ns, "staging"); /* the app reads it as the context name */
    command_free(&c);
    assert_true(command_parse("svc all", &c, &e));
    assert_true(c.all_ns);
    command_free(&c);
    assert_false(command_parse("po 'open", &c, &e));
    assert_false(command_parse("   ", &c, &e));
    assert_false(command_parse("po a b c", &c, &e));
    assert_true(command_is_quit("q!"));
    assert_false(command_is_quit("qq"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_parse)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
