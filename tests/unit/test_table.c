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

/* The rows of t, as "name,name,...", in order. */
static void order_of(struct table *t, char *out, size_t n)
{
    names(t, out, n);
}

static void wait_a_millisecond(void)
{
    int64_t t0 = clock_mono_ms();
    while (clock_mono_ms() == t0)
        nanosleep(&(struct timespec){.tv_nsec = 200000}, NULL);
}

/* A rebuild after a few changes places only the changed rows again; the order must be exactly
 * the one a full sort of the same store gives, for every kind of key. */
static void test_incremental_sort_matches_full(void **state)
{
    (void)state;
    static const char *const sorts[] = {NULL, "NAME", "STATUS", "RESTARTS", "READY", "AGE"};
    for (size_t k = 0; k < sizeof sorts / sizeof sorts[0]; k++) {
        for (int desc = 0; desc < 2; desc++) {
            struct store s = {0};
            struct obj_builder b = {0};
            char ns[32], name[32], created[32];
            for (int i = 0; i < 300; i++) {
                snprintf(ns, sizeof ns, "ns-%d", i % 7);
                snprintf(name, sizeof name, "web-%d", i);
                snprintf(created, sizeof created, "2025-12-%02dT00:00:00Z", 1 + i % 28);
                add_pod(&s, &b, ns, name, created, i % 3, 2, i % 5, "web");
            }
            struct table t;
            table_init(&t, kind_lookup("pods"), true, false);
            table_set_ctx(&t, NOW, NULL);
            if (sorts[k])
                table_set_sort(&t, column(sorts[k]), desc);
            table_sync(&t, &s);
            wait_a_millisecond();
            for (int i = 0; i < 300; i += 37) { /* changed: they move */
                snprintf(ns, sizeof ns, "ns-%d", i % 7);
                snprintf(name, sizeof name, "web-%d", i);
                add_pod(&s, &b, ns, name, "2025-11-02T00:00:00Z", 2 - i % 3, 2, 9 - i % 5, "web");
            }
            for (int i = 1; i < 300; i += 61) { /* deleted */
                snprintf(name, sizeof name, "ns-%d-web-%d", i % 7, i);
                assert_true(store_delete(&s, name));
            }
            add_pod(&s, &b, "ns-3", "web-07", "2025-12-09T00:00:00Z", 1, 2, 2, "web"); /* new */
            add_pod(&s, &b, "ns-0", "api", "2026-01-01T00:00:00Z", 0, 2, 0, "api");
            assert_true(table_sync(&t, &s));
            char got[8192], want[8192];
            order_of(&t, got, sizeof got);
            table_free(&t);
            struct table full; /* a second table takes over the store's order hints */
            table_init(&full, kind_lookup("pods"), true, false);
            table_set_ctx(&full, NOW, NULL);
            if (sorts[k])
                table_set_sort(&full, column(sorts[k]), desc);
            table_sync(&full, &s);
            order_of(&full, want, sizeof want);
            if (strcmp(got, want) != 0)
                fail_msg("sort %s%s: incremental %s, full %s", sorts[k] ? sorts[k] : "default",
                         desc ? " desc" : "", got, want);
            table_free(&full);
            store_free(&s);
            obj_builder_free(&b);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_catastrophic_pattern_is_bounded),
        cmocka_unit_test(test_narrows),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_incremental_sort_matches_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
