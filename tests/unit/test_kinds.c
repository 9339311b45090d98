/* The helpers every kind file shares (model/kinds.c), at the edges the per-group fixtures do not
 * reach: a null deletionTimestamp, repeated conditions, selectors that must stay one line inside
 * a longer cell, load balancer points appended to other addresses, quantities sent as numbers. */
#include "kinds_check.h"

#include "util/strbuf.h"

static bool deleting(const char *fixture)
{
    cJSON *j = kt_parse(fixture);
    bool d = kind_deleting(j);
    cJSON_Delete(j);
    return d;
}

static void test_deleting(void **state)
{
    (void)state;
    assert_true(deleting("{'metadata':{'deletionTimestamp':'2026-01-01T00:00:00Z'}}"));
    /* A nil *Time in the Go types: not being deleted, as kubectl and podstatus read it. */
    assert_false(deleting("{'metadata':{'deletionTimestamp':null}}"));
    assert_false(deleting("{'metadata':{'name':'x'}}"));
    assert_false(deleting("{}"));
    assert_false(kind_deleting(NULL));
}

static void test_conditions(void **state)
{
    (void)state;
    cJSON *st = kt_parse("{'conditions':[{'type':'Ready','status':'False'},{'type':'Ready',"
                         "'status':'True'},{'type':'Progressing'},{'status':'True'}]}");
    /* The first condition of a type decides. */
    assert_string_equal(kind_condition_status(st, "Ready"), "False");
    assert_true(kind_condition_is(st, "Ready", "False"));
    assert_false(kind_condition_is(st, "Ready", "True"));
    /* Present without a status: "", which is neither True nor False. */
    assert_string_equal(kind_condition_status(st, "Progressing"), "");
    assert_false(kind_condition_is(st, "Progressing", "False"));
    assert_null(kind_condition_status(st, "Available"));
    assert_false(kind_condition_is(st, "Available", "False"));
    assert_null(kind_condition_status(NULL, "Ready"));
    cJSON_Delete(st);
}

static void selector_is(const char *before, const char *fixture, const char *none, const char *want)
{
    cJSON *sel = kt_parse(fixture);
    struct strbuf sb = {0};
    strbuf_puts(&sb, before);
    kind_selector_text(&sb, sel, none);
    assert_string_equal(strbuf_str(&sb), want);
    strbuf_free(&sb);
    cJSON_Delete(sel);
}

static void test_selector_text(void **state)
{
    (void)state;
    selector_is("", "{}", "<none>", "<none>");
    selector_is("ns:", "{'matchLabels':{}}", "*", "ns:*");
    /* An expression without a key is skipped: nothing is left, so it reads as empty. */
    selector_is("", "{'matchExpressions':[{'operator':'Exists'}]}", "*", "*");
    selector_is("po:",
                "{'matchLabels':{'b':'2','a':'1'},'matchExpressions':[{'key':'t',"
                "'operator':'NotIn','values':['y','x']}]}",
                "*", "po:a=1,b=2,t notin (x,y)");
    /* A line break ends the selector with "...", as it would end a cell of its own, and only
     * the selector: what follows in the longer cell still shows. */
    selector_is("ns:", "{'matchLabels':{'a':'x\\ny','b':'2'}}", "*", "ns:a=x...");
    cJSON *sel = kt_parse("{'matchLabels':{'a':'x\\ry'}}");
    struct obj_builder b = {0};
    obj_builder_reset(&b);
    kind_put_selector(&b, sel);
    struct obj *o = obj_builder_finish(&b);
    assert_string_equal(obj_str(o, 0), "a=x...");
    free(o);
    obj_builder_free(&b);
    cJSON_Delete(sel);
}

static void test_lb_addresses(void **state)
{
    (void)state;
    cJSON *lb = kt_parse("{'ingress':[{'ip':'192.0.2.20'},{'hostname':'lb.example.com'},"
                         "{'ip':'192.0.2.10','hostname':'ignored'},{'ip':'192.0.2.20'},{}]}");
    struct strbuf sb = {0};
    kind_lb_addresses(&sb, lb);
    assert_string_equal(strbuf_str(&sb), "192.0.2.10,192.0.2.20,lb.example.com");
    strbuf_reset(&sb);
    strbuf_puts(&sb, "198.51.100.1");
    kind_lb_addresses(&sb, lb);
    assert_string_equal(strbuf_str(&sb), "198.51.100.1,192.0.2.10,192.0.2.20,lb.example.com");
    strbuf_reset(&sb);
    kind_lb_addresses(&sb, NULL);
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_free(&sb);
    cJSON_Delete(lb);
}

static void test_quantity(void **state)
{
    (void)state;
    cJSON *q = kt_parse("{'s':'10Gi','i':5,'f':0.5,'n':null}");
    char buf[64];
    assert_string_equal(kind_quantity(cJSON_GetObjectItem(q, "s"), "0", buf, sizeof buf), "10Gi");
    assert_string_equal(kind_quantity(cJSON_GetObjectItem(q, "i"), "0", buf, sizeof buf), "5");
    assert_string_equal(kind_quantity(cJSON_GetObjectItem(q, "f"), "0", buf, sizeof buf), "0.5");
    assert_string_equal(kind_quantity(cJSON_GetObjectItem(q, "n"), "<nil>", buf, sizeof buf),
                        "<nil>");
    assert_string_equal(kind_quantity(NULL, "0", buf, sizeof buf), "0");
    cJSON_Delete(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deleting),      cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_selector_text), cmocka_unit_test(test_lb_addresses),
        cmocka_unit_test(test_quantity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
