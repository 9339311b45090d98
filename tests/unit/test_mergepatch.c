/* mergepatch: RFC 7386's own examples for apply, and diff then apply giving back the target
 * (also carried onto a third document, as an edit that lost a race is). */
#include "test_util.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/mergepatch.h"

static void expect_json(const cJSON *got, const char *want)
{
    cJSON *w = cJSON_Parse(want);
    assert_non_null(w);
    if (!cJSON_Compare(got, w, true)) {
        char *s = cJSON_PrintUnformatted(got);
        fail_msg("got %s, want %s", s, want);
    }
    cJSON_Delete(w);
}

static void test_rfc7386_examples(void **state)
{
    (void)state;
    static const char *const cases[][3] = {
        {"{\"a\":\"b\"}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"b\":\"c\"}", "{\"a\":\"b\",\"b\":\"c\"}"},
        {"{\"a\":\"b\"}", "{\"a\":null}", "{}"},
        {"{\"a\":\"b\",\"b\":\"c\"}", "{\"a\":null}", "{\"b\":\"c\"}"},
        {"{\"a\":[\"b\"]}", "{\"a\":\"c\"}", "{\"a\":\"c\"}"},
        {"{\"a\":\"c\"}", "{\"a\":[\"b\"]}", "{\"a\":[\"b\"]}"},
        {"{\"a\":{\"b\":\"c\"}}", "{\"a\":{\"b\":\"d\",\"c\":null}}", "{\"a\":{\"b\":\"d\"}}"},
        {"{\"a\":[{\"b\":\"c\"}]}", "{\"a\":[1]}", "{\"a\":[1]}"},
        {"[\"a\",\"b\"]", "[\"c\",\"d\"]", "[\"c\",\"d\"]"},
        {"{\"a\":\"b\"}", "[\"c\"]", "[\"c\"]"},
        {"{\"a\":\"foo\"}", "null", "null"},
        {"{\"a\":\"foo\"}", "\"bar\"", "\"bar\""},
        {"{\"e\":null}", "{\"a\":1}", "{\"e\":null,\"a\":1}"},
        {"[1,2]", "{\"a\":\"b\",\"c\":null}", "{\"a\":\"b\"}"},
        {"{}", "{\"a\":{\"bb\":{\"ccc\":null}}}", "{\"a\":{\"bb\":{}}}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cJSON *target = cJSON_Parse(cases[i][0]), *patch = cJSON_Parse(cases[i][1]);
        cJSON *out = mergepatch_apply(target, patch);
        expect_json(out, cases[i][2]);
        cJSON_Delete(out);
        cJSON_Delete(patch);
    }
}

/* The user's changes to an object, carried onto the object as another writer left it: both
 * survive, and the key order of the latest version is kept. */
static void test_diff_carries_changes_over(void **state)
{
    (void)state;
    cJSON *orig = cJSON_Parse("{\"metadata\":{\"name\":\"s\",\"labels\":{\"a\":\"1\"}},"
                              "\"data\":{\"color\":\"blue\",\"size\":\"m\",\"gone\":\"x\"}}");
    cJSON *mine = cJSON_Parse("{\"metadata\":{\"name\":\"s\",\"labels\":{\"a\":\"1\"}},"
                              "\"data\":{\"color\":\"red\",\"size\":\"m\",\"new\":\"y\"}}");
    cJSON *theirs = cJSON_Parse("{\"metadata\":{\"name\":\"s\",\"labels\":{\"a\":\"1\",\"other\":"
                                "\"1\"}},\"data\":{\"color\":\"blue\",\"size\":\"l\",\"gone\":"
                                "\"x\"}}");
    cJSON *patch = mergepatch_diff(orig, mine);
    expect_json(patch, "{\"data\":{\"gone\":null,\"color\":\"red\",\"new\":\"y\"}}");
    cJSON *same = mergepatch_apply(cJSON_Duplicate(orig, 1), patch);
    expect_json(same, "{\"metadata\":{\"name\":\"s\",\"labels\":{\"a\":\"1\"}},"
                      "\"data\":{\"color\":\"red\",\"size\":\"m\",\"new\":\"y\"}}");
    cJSON *merged = mergepatch_apply(theirs, patch);
    expect_json(merged, "{\"metadata\":{\"name\":\"s\",\"labels\":{\"a\":\"1\",\"other\":\"1\"}},"
                        "\"data\":{\"color\":\"red\",\"size\":\"l\",\"new\":\"y\"}}");
    assert_string_equal(cJSON_GetObjectItem(merged, "data")->child->string, "color");
    cJSON *none = mergepatch_diff(orig, orig);
    expect_json(none, "{}");
    cJSON_Delete(none);
    cJSON_Delete(merged);
    cJSON_Delete(same);
    cJSON_Delete(patch);
    cJSON_Delete(orig);
    cJSON_Delete(mine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7386_examples),
        cmocka_unit_test(test_diff_carries_changes_over),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
