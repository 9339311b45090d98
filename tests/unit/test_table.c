/* table: typed sorting (names naturally, READY as a fraction, ages by time, restarts as
 * numbers), the filter (regex, inverse, fuzzy, limits, narrowing) and column selection. */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "model/filter.h"
#include "model/kind.h"
#include "model/store.h"
#include "model/table.h"
#include "util/clock.h"

#define NOW 1767226200LL

static void add_pod(struct store *s, struct obj_builder *b, const char *ns, const char *name,
                    const char *created, int ready, int total, int restarts, const char *app)
{
    char json[2048];
    char containers[512] = "", statuses[1024] = "";
    for (int i = 0; i < total; i++) {
        char c[64], st[256];
        snprintf(c, sizeof c, "%s{\"name\":\"c%d\"}", i ? "," : "", i);
        strcat(containers, c);
        snprintf(st, sizeof st,
                 "%s{\"name\":\"c%d\",\"ready\":%s,\"restartCount\":%d,\"state\":{\"running\":{}}}",
                 i ? "," : "", i, i < ready ? "true" : "false", i == 0 ? restarts : 0);
        strcat(statuses, st);
    }
    snprintf(json, sizeof json,
             "{\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\",\"uid\":\"%s-%s\","
             "\"creationTimestamp\":\"%s\",\"labels\":{\"app\":\"%s\"}},\"spec\":{\"containers\":"
             "[%s]},\"status\":{\"phase\":\"Running\",\"containerStatuses\":[%s]}}",
             name, ns, ns, name, created, app, containers, statuses);
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    store_put(s, kind_project(kind_lookup("pods"), j, b));
    cJSON_Delete(j);
}

struct fixture {
    struct store s;
    struct obj_builder b;
    struct table t;
};

static void setup_rows(struct fixture *f)
{
    memset(f, 0, sizeof *f);
    add_pod(&f->s, &f->b, "shop", "web-10", "2026-01-01T00:09:00Z", 1, 1, 0, "web");
    add_pod(&f->s, &f->b, "shop", "web-2", "2025-12-31T00:00:00Z", 2, 3, 12, "web");
    add_pod(&f->s, &f->b, "shop", "cart", "2026-01-01T00:00:00Z", 0, 2, 3, "cart");
    add_pod(&f->s, &f->b, "kube-system", "dns", "2025-06-01T00:00:00Z", 1, 2, 1, "dns");
    table_init(&f->t, kind_lookup("pods"), true, false);
    table_set_ctx(&f->t, NOW, NULL);
    table_sync(&f->t, &f->s);
}

static void teardown_rows(struct fixture *f)
{
    table_free(&f->t);
    store_free(&f->s);
    obj_builder_free(&f->b);
}

static void names(struct table *t, char *out, size_t n)
{
    out[0] = '\0';
    for (size_t i = 0; i < table_len(t); i++) {
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", i ? "," : "", obj_str(table_row(t, i), OBJ_NAME));
    }
}

static int column(const char *name)
{
    const struct kind *k = kind_lookup("pods");
    for (size_t i = 0; i < k->ncolumns; i++)
        if (strcmp(k->columns[i].name, name) == 0)
            return (int)i;
    fail_msg("no column %s", name);
    return -1;
}

static void expect(struct fixture *f, const char *want)
{
    table_sync(&f->t, &f->s);
    char got[512];
    names(&f->t, got, sizeof got);
    if (strcmp(got, want) != 0)
        fail_msg("rows %s, want %s", got, want);
}

static void test_sort(void **state)
{
    (void)state;
    struct fixture f;
    setup_rows(&f);
    expect(&f, "dns,cart,web-2,web-10"); /* namespace, then names naturally */
    table_set_sort(&f.t, column("NAME"), false);
    expect(&f, "cart,dns,web-2,web-10");
    table_set_sort(&f.t, column("NAME"), true);
    expect(&f, "web-10,web-2,dns,cart");
    table_set_sort(&f.t, column("AGE"), false); /* youngest first */
    expect(&f, "web-10,cart,web-2,dns");
    table_set_sort(&f.t, column("RESTARTS"), true);
    expect(&f, "web-2,cart,dns,web-10");
    table_set_sort(&f.t, column("READY"), false); /* 0/2 < 1/1 < 1/2 < 2/3 */
    expect(&f, "cart,web-10,dns,web-2");
    teardown_rows(&f);
}

static void test_filter(void **state)
{
    (void)state;
    struct fixture f;
    setup_rows(&f);
    struct err e = {0};
    assert_true(table_set_filter(&f.t, "WEB", &e)); /* case-insensitive */
    expect(&f, "web-2,web-10");
    assert_true(table_set_filter(&f.t, "web-1", &e)); /* narrows the previous match set */
    expect(&f, "web-10");
    assert_true(table_set_filter(&f.t, "!web", &e));
    expect(&f, "dns,cart");
    assert_true(table_set_filter(&f.t, "kube-system|cart", &e));
    expect(&f, "dns,cart");
    assert_true(table_set_filter(&f.t, "-f shwb2", &e)); /* fuzzy on namespace/name */
    expect(&f, "web-2");
    assert_false(table_set_filter(&f.t, "(unclosed", &e));
    assert_non_null(strstr(e.msg, "invalid filter"));
    expect(&f, "web-2"); /* the previous filter stays */
    assert_true(table_set_filter(&f.t, "", &e));
    expect(&f, "dns,cart,web-2,web-10");
    assert_int_equal(table_total(&f.t), 4);
    teardown_rows(&f);
}

static void test_catastrophic_pattern_is_bounded(void **state)
{
    (void)state;
    struct filter flt = {0};
    struct err e = {0};
    assert_true(filter_set(&flt, "(a+)+$", &e));
    char text[4096];
    memset(text, 'a', sizeof text - 2);
    text[sizeof text - 2] = 'b';
    text[sizeof text - 1] = '\0';
    int64_t t0 = clock_mono_ms();
    for (int i = 0; i < 20; i++)
        filter_match_text(&flt, text, strlen(text));
    int64_t took = clock_mono_ms() - t0;
    assert_true(took < 2000);
    /* Either JIT finds it quickly, or the limit stops it; both bounded. */
    assert_true(filter_set(&flt, "(\\w+\\s?)*$", &e));
    filter_match_text(&flt, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!", 37);
    char huge[FILTER_MAX_PATTERN + 10];
    memset(huge, 'x', sizeof huge - 1);
    huge[sizeof huge - 1] = '\0';
    assert_false(filter_set(&flt, huge, &e));
    assert_non_null(strstr(e.msg, "too long"));
    filter_free(&flt);
}

static void test_narrows(void **state)
{
    (void)state;
    struct filter a = {0}, b = {0};
    struct err e = {0};
    filter_set(&a, "ngi", &e);
    filter_set(&b, "ngin", &e);
    assert_true(filter_narrows(&a, &b));
    filter_set(&b, "ng.n", &e);
    assert_false(filter_narrows(&a, &b));
    filter_set(&b, "!ngin", &e);
    assert_false(filter_narrows(&a, &b));
    filter_set(&a, "-f ab", &e);
    filter_set(&b, "-f abc", &e);
    assert_true(filter_narrows(&a, &b));
    filter_free(&a);
    filter_free(&b);
}

static void test_columns(void **state)
{
    (void)state;
    struct table t;
    table_init(&t, kind_lookup("pods"), false, false);
    char hdr[512] = "";
    for (size_t c = 0; c < t.ncols; c++)
        strcat(strcat(hdr, table_header(&t, c)), "|");
    assert_string_equal(hdr, "NAME|READY|STATUS|RESTARTS|IP|NODE|AGE|");
    table_set_metrics(&t, true);
    assert_true(table_visible_col(&t, (size_t)column("CPU")) >= 0);
    table_set_wide(&t, true);
    assert_true(table_visible_col(&t, (size_t)column("LABELS")) >= 0);
    assert_int_equal(table_visible_col(&t, (size_t)column("NAMESPACE")), -1);
    table_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_catastrophic_pattern_is_bounded),
        cmocka_unit_test(test_narrows),
        cmocka_unit_test(test_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
