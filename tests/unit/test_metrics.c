/* metrics: samples read from a response body one item at a time (pods summed over their
 * containers, nodes as they are), the same as from a parsed list, and lookups by namespace/name. */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "model/kind.h"
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

/* Read a slice at a time, the old samples stay until the whole body is read, and then the new
 * ones are exactly what one pass gives; a new response drops one half read. */
static void test_loader_reads_in_slices(void **state)
{
    (void)state;
    struct metrics m = {0};
    metrics_load_pods_json(&m,
                           "{\"items\":[{\"metadata\":{\"namespace\":\"old\","
                           "\"name\":\"p\"},\"containers\":[]}]}",
                           strlen("{\"items\":[{\"metadata\":{\"namespace\":\"old\","
                                  "\"name\":\"p\"},\"containers\":[]}]}"));
    struct metrics_sample s;
    assert_true(metrics_pod(&m, "old", "p", &s));
    uint64_t gen = m.generation;
    struct metrics_loader l = {0};
    metrics_loader_start(&l, strdup(pods_body), strlen(pods_body), false);
    assert_true(l.active);
    assert_false(metrics_loader_step(&l, &m, 1)); /* one of two pods read */
    assert_true(metrics_pod(&m, "old", "p", &s)); /* nothing replaced yet */
    assert_false(metrics_pod(&m, "shop", "web-1", &s));
    assert_int_equal(m.generation, gen);
    int steps = 0;
    while (!metrics_loader_step(&l, &m, 1))
        steps++;
    assert_true(steps <= 2);
    assert_false(l.active);
    assert_false(metrics_pod(&m, "old", "p", &s));
    assert_true(metrics_pod(&m, "shop", "web-1", &s));
    assert_int_equal(s.cpu_milli, 252);
    assert_true(m.generation > gen);
    /* Started again while half read: the first body is dropped, never merged. */
    metrics_loader_start(&l, strdup(pods_body), strlen(pods_body), false);
    assert_false(metrics_loader_step(&l, &m, 1));
    metrics_loader_start(&l, strdup("{\"items\":[]}"), 12, false);
    while (!metrics_loader_step(&l, &m, 1))
        ;
    assert_false(metrics_pod(&m, "shop", "web-1", &s));
    metrics_loader_free(&l);
    metrics_free(&m);
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

/* Every text the metrics formatters write is an integer or n/a, and metrics_cell_may_match
 * says yes to every piece of such text and no to anything else, so a filter may skip the cells
 * it says no to. */
static void test_cell_text_and_may_match(void **state)
{
    (void)state;
    static const int64_t values[] = {0, 7, -3, 100, 12345678901LL, INT64_MIN, INT64_MAX};
    char buf[CELL_MAX];
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        for (int known = 0; known < 2; known++) {
            char copy[CELL_MAX];
            snprintf(copy, sizeof copy, "%s", metrics_fmt_int(values[i], known, buf));
            const char *pct = metrics_fmt_pct(values[i], 7, known, buf);
            const char *all[] = {copy, pct};
            for (size_t k = 0; k < 2; k++) {
                size_t n = strlen(all[k]);
                for (size_t a = 0; a < n; a++)
                    for (size_t b = a + 1; b <= n; b++) {
                        char piece[CELL_MAX];
                        snprintf(piece, sizeof piece, "%.*s", (int)(b - a), all[k] + a);
                        if (!metrics_cell_may_match(piece))
                            fail_msg("\"%s\" is in the cell \"%s\"", piece, all[k]);
                    }
            }
        }
    }
    assert_false(metrics_cell_may_match("web"));
    assert_false(metrics_cell_may_match("1a"));
    assert_false(metrics_cell_may_match("%"));
    assert_true(metrics_cell_may_match("n/"));
}

int main(void)
{
    jsonarena_install(); /* as timon runs */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pods_from_body),
        cmocka_unit_test(test_loader_reads_in_slices),
        cmocka_unit_test(test_nodes_from_body),
        cmocka_unit_test(test_long_names_are_cut_alike),
        cmocka_unit_test(test_cell_text_and_may_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
