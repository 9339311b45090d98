/* jsonfmt and yamlemit: kubectl-like JSON and YAML text from parsed objects. */
#include "test_util.h"

#include <cJSON.h>
#include <string.h>

#include "util/jsonfmt.h"
#include "util/yamldoc.h"
#include "util/yamlemit.h"

static void test_json(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse("{\"b\":1,\"a\":[true,null,\"<x>&\",2.5],\"c\":{},\"d\":[],"
                           "\"e\":\"line\\nbreak\\u0001\"}");
    struct strbuf out = {0};
    jsonfmt_write(j, &out);
    assert_string_equal(strbuf_str(&out), "{\n"
                                          "    \"b\": 1,\n"
                                          "    \"a\": [\n"
                                          "        true,\n"
                                          "        null,\n"
                                          "        \"\\u003cx\\u003e\\u0026\",\n"
                                          "        2.5\n"
                                          "    ],\n"
                                          "    \"c\": {},\n"
                                          "    \"d\": [],\n"
                                          "    \"e\": \"line\\nbreak\\u0001\"\n"
                                          "}\n");
    strbuf_free(&out);
    cJSON_Delete(j);
}

static void test_yaml(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse("{\"metadata\":{\"name\":\"web\",\"labels\":{\"version\":\"1.0\","
                           "\"app\":\"web\"}},\"spec\":{\"replicas\":3,\"paused\":false,"
                           "\"note\":\"true\",\"empty\":\"\",\"when\":\"2024-01-02T03:04:05Z\","
                           "\"script\":\"echo a\\necho b\\n\",\"ports\":[{\"port\":80}]},"
                           "\"status\":null}");
    struct strbuf out = {0};
    struct err e = {0};
    assert_true(yamlemit_write(j, &out, &e));
    const char *want = "metadata:\n"
                       "  labels:\n"
                       "    app: web\n"
                       "    version: '1.0'\n"
                       "  name: web\n"
                       "spec:\n"
                       "  empty: ''\n"
                       "  note: 'true'\n"
                       "  paused: false\n"
                       "  ports:\n"
                       "  - port: 80\n"
                       "  replicas: 3\n"
                       "  script: |\n"
                       "    echo a\n"
                       "    echo b\n"
                       "  when: '2024-01-02T03:04:05Z'\n"
                       "status: null\n";
    if (strcmp(strbuf_str(&out), want) != 0)
        fail_msg("got:\n%s", strbuf_str(&out));
    /* It reads back to the same values. */
    struct yamldoc d;
    assert_true(yamldoc_load(&d, out.buf, out.len, &e));
    cJSON *back = yamldoc_to_json(&d, yamldoc_root(&d));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(back, "spec"), "note")->valuestring,
                        "true");
    cJSON_Delete(back);
    yamldoc_free(&d);
    strbuf_free(&out);
    cJSON_Delete(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_yaml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
