/* metrics: samples read from a response body one item at a time (pods summed over their
 * containers, nodes as they are), the same as from a parsed list, and lookups by namespace/name. */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>

#include "model/metrics.h"
#include "util/jsonarena.h"

static const char pods_body[] =
    "{\"kind\":\"PodMetricsList\",\"metadata\":{},\"items\":["
    "{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"shop\"},\"containers\":["
    "{\"name\":\"app\",\"usage\":{\"cpu\":\"250m\",\"memory\":\"64Mi\"}},"
    "{\"name\":\"sidecar\",\"usage\":{\"cpu\":\"1500000n\",\"memory\":\"1Mi\"}}]},"
    "{\"metadata\":{\"name\":\"db\",\"namespace\":\"data\"},\"containers\":["
    "{\"name\":\"pg\",\"usage\":{\"cpu\":\"2\",\"memory\":\"1Gi\"}}]}]}";

static void test_pods_from_body(void **state)
{
    (void)state;
    struct metrics m = {0};
    metrics_load_pods_json(&m, pods_body, strlen(pods_body));
    struct metrics_sample s;
    assert_true(metrics_pod(&m, "shop", "web-1", &s));
    assert_int_equal(s.cpu_milli, 252); /* 250m + 1.5m rounded up */
    assert_int_equal(s.mem_bytes, 65 * 1024 * 1024);
    assert_true(metrics_pod(&m, "data", "db", &s));
    assert_int_equal(s.cpu_milli, 2000);
    assert_false(metrics_pod(&m, "shop", "db", &s));

    /* The same samples as from the parsed list. */
    struct metrics whole = {0};
    cJSON *list = cJSON_Parse(pods_body);
    metrics_load_pods(&whole, list);
    cJSON_Delete(list);
    struct metrics_sample w;
    assert_true(metrics_pod(&whole, "shop", "web-1", &w));
    assert_int_equal(w.cpu_milli, 252);
    assert_int_equal(w.mem_bytes, 65 * 1024 * 1024);

    /* A refresh replaces every sample; a body that is not a list leaves none. */
    metrics_load_pods_json(&m, "{\"items\":[]}", 12);
    assert_false(metrics_pod(&m, "data", "db", &s));
    metrics_load_pods_json(&m, pods_body, strlen(pods_body));
    metrics_load_pods_json(&m, "<html>", 6);
    assert_false(metrics_pod(&m, "shop", "web-1", &s));
    metrics_free(&m);
    metrics_free(&whole);
}

static void test_nodes_from_body(void **state)
{
    (void)state;
    static const char body[] =
        "{\"items\":[{\"metadata\":{\"name\":\"node-1\"},\"usage\":{\"cpu\":\"500000000n\","
        "\"memory\":\"2Gi\"}},{\"metadata\":{\"name\":\"node-2\"},\"usage\":{\"cpu\":\"100m\"}},"
        "7]}";
    struct metrics m = {0};
    metrics_load_nodes_json(&m, body, strlen(body));
    struct metrics_sample s;
    assert_true(metrics_node(&m, "node-1", &s));
    assert_int_equal(s.cpu_milli, 500);
    assert_int_equal(s.mem_bytes, 2LL * 1024 * 1024 * 1024);
    assert_true(metrics_node(&m, "node-2", &s)); /* no memory: 0; the stray 7 is skipped */
    assert_int_equal(s.mem_bytes, 0);
    assert_false(metrics_node(&m, "node-3", &s));
    metrics_free(&m);
}

static void test_long_names_are_cut_alike(void **state)
{
    (void)state;
    /* A key longer than the lookup buffer is cut the same way when stored and when looked up. */
    char ns[700], body[1600];
    memset(ns, 'n', sizeof ns - 1);
    ns[sizeof ns - 1] = '\0';
    snprintf(body, sizeof body,
             "{\"items\":[{\"metadata\":{\"name\":\"p\",\"namespace\":\"%s\"},\"containers\":[{"
             "\"usage\":{\"cpu\":\"1\"}}]}]}",
             ns);
    struct metrics m = {0};
    metrics_load_pods_json(&m, body, strlen(body));
    struct metrics_sample s;
    assert_true(metrics_pod(&m, ns, "p", &s));
    assert_int_equal(s.cpu_milli, 1000);
    metrics_free(&m);
}

int main(void)
{
    jsonarena_install(); /* as timon runs */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pods_from_body),
        cmocka_unit_test(test_nodes_from_body),
        cmocka_unit_test(test_long_names_are_cut_alike),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
