/* table: typed sorting (names naturally, READY as a fraction, ages by time, restarts as
 * numbers), the filter (regex, inverse, fuzzy, limits, narrowing) and column selection. */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/filter.h"
#include "model/kind.h"
#include "model/store.h"
#include "model/table.h"
#include "util/clock.h"
#include "util/natsort.h"

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

/* The fast paths for literal filters (matching cell by cell, and the ASCII search that stands
 * in for PCRE2) keep exactly the rows that the same pattern run through PCRE2 over the joined
 * row text keeps: "(?:x)" is the same pattern, but not a literal. */
static void test_literal_fast_paths_agree_with_pcre2(void **state)
{
    (void)state;
    struct fixture f;
    setup_rows(&f);
    char long_label[400];
    memset(long_label, 'x', 300);
    strcpy(long_label + 300, "-ZZ-end");
    add_pod(&f.s, &f.b, "shop",
            "caf\xc3\xa9-\xe2\x84\xaa"
            "ube",
            "2026-01-01T00:09:00Z", 1, 1, 0, long_label);
    table_set_wide(&f.t, true);
    assert_true(table_sync(&f.t, &f.s));
    assert_int_equal(table_len(&f.t), 5);
    static const char *const terms[] = {
        "web",    "WEB-1", "1/2", "b-2 ",    "Run", "kube", "-",      "s",   "10",   "2/3", "ns",
        "\u00e9", "k",     "e-1", "web-10 ", "zzz", "0/2",  "zz-end", "caf", "xxxx", "app="};
    const size_t nterms = sizeof terms / sizeof terms[0];
    for (size_t i = 0; i < 2 * nterms; i++) {
        /* the second round with the text cache, which the table uses from 2,000 rows */
        f.t.textcache_min = i < nterms ? (size_t)-1 : 0;
        const char *term = terms[i % nterms];
        struct err e = {0};
        char slow[128], fast[512], want[512];
        snprintf(slow, sizeof slow, "(?:%s)", term);
        assert_true(table_set_filter(&f.t, "", &e));
        assert_true(table_set_filter(&f.t, slow, &e));
        names(&f.t, want, sizeof want);
        assert_true(table_set_filter(&f.t, "", &e));
        assert_true(table_set_filter(&f.t, term, &e));
        names(&f.t, fast, sizeof fast);
        if (strcmp(fast, want) != 0)
            fail_msg("filter \"%s\" (cache %s) kept %s, PCRE2 over the row keeps %s", term,
                     f.t.textcache_min ? "off" : "on", fast, want);
    }
    teardown_rows(&f);
    /* The ASCII search against PCRE2, on text with and without non-ASCII bytes (where the
     * caseless UTF match, not ASCII, decides: the Kelvin sign is a K). */
    static const char *const texts[] = {"Kube-System",
                                        "\xe2\x84\xaaube",
                                        "web-10 x",
                                        "",
                                        "WEB",
                                        "we",
                                        "a\xc3\xa9"
                                        "b",
                                        "xxKUBExx",
                                        "kub\xe2\x84\xaa",
                                        "ku",
                                        "\xe2\x84\xaaUBE-S"};
    static const char *const lits[] = {"kube", "K", "web", "e", "b", "xk", "ube-s"};
    for (size_t l = 0; l < sizeof lits / sizeof lits[0]; l++) {
        struct filter fast = {0}, slow = {0};
        struct err e = {0};
        char re[64];
        snprintf(re, sizeof re, "(?:%s)", lits[l]);
        assert_true(filter_set(&fast, lits[l], &e));
        assert_true(filter_set(&slow, re, &e));
        assert_true(fast.ascii);
        assert_false(slow.literal);
        for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
            if (filter_match_text(&fast, texts[i], strlen(texts[i])) !=
                    filter_match_text(&slow, texts[i], strlen(texts[i])) ||
                filter_match_cell(&fast, texts[i]) != filter_match_cell(&slow, texts[i]))
                fail_msg("\"%s\" in \"%s\": the ASCII search and PCRE2 disagree", lits[l],
                         texts[i]);
        filter_free(&fast);
        filter_free(&slow);
    }
}

/* A pattern that hits PCRE2's limits on every row: the pass stops after FILTER_GIVE_UP of
 * them instead of paying milliseconds for each of the rest, and says so. */
static void test_costly_filter_gives_up_and_says_so(void **state)
{
    (void)state;
    struct store s = {0};
    struct obj_builder b = {0};
    char name[80];
    for (int i = 0; i < 200; i++) {
        snprintf(name, sizeof name, "pod-%03d-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                 i);
        add_pod(&s, &b, "ns", name, "2025-12-01T00:00:00Z", 1, 1, 0, "web");
    }
    struct table t;
    table_init(&t, kind_lookup("pods"), true, false);
    table_set_ctx(&t, NOW, NULL);
    table_sync(&t, &s);
    struct err e = {0};
    char warning[256];
    assert_false(table_filter_warning(&t, warning, sizeof warning));
    int64_t t0 = clock_mono_ms();
    assert_true(table_set_filter(&t, "^(.*.*)*[XZ]$", &e));
    int64_t took = clock_mono_ms() - t0;
    assert_true(table_filter_gave_up(&t));
    assert_int_equal(t.filter.limit_hits, FILTER_GIVE_UP);
    assert_int_equal(table_len(&t), 0);
    assert_true(table_filter_warning(&t, warning, sizeof warning));
    assert_non_null(strstr(warning, "stopped"));
    assert_true(took < 5000);
    /* A pattern that is fine again clears it. */
    assert_true(table_set_filter(&t, "pod-00", &e));
    assert_false(table_filter_gave_up(&t));
    assert_false(table_filter_warning(&t, warning, sizeof warning));
    assert_int_equal(table_len(&t), 10);
    table_free(&t);
    store_free(&s);
    obj_builder_free(&b);
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

/* The reference order, spelled out with natsort_cmp: what the keys and ranks must give. */
static bool ref_by_name; /* else by namespace */
static bool ref_desc;

static int ref_cmp(const void *pa, const void *pb)
{
    const struct obj *a = *(const struct obj *const *)pa, *b = *(const struct obj *const *)pb;
    const char *an = obj_str(a, OBJ_NAME), *bn = obj_str(b, OBJ_NAME);
    int c = 0;
    if (!ref_by_name)
        c = strcmp(obj_str(a, OBJ_NAMESPACE), obj_str(b, OBJ_NAMESPACE));
    else if (strcmp(an, bn) != 0)
        c = natsort_cmp(an, bn);
    if (ref_desc)
        c = -c;
    if (!c) /* the rank: name, namespace, uid */
        c = natsort_cmp(an, bn);
    if (!c)
        c = strcmp(obj_str(a, OBJ_NAMESPACE), obj_str(b, OBJ_NAMESPACE));
    return c ? c : strcmp(obj_str(a, OBJ_UID), obj_str(b, OBJ_UID));
}

static void expect_reference(struct table *t, const struct store *s, const char *what)
{
    table_sync(t, s);
    size_t n = store_len(s);
    struct obj **want = calloc(n ? n : 1, sizeof *want);
    for (size_t i = 0; i < n; i++)
        want[i] = store_at(s, i);
    qsort(want, n, sizeof *want, ref_cmp);
    assert_int_equal(table_len(t), n);
    for (size_t i = 0; i < n; i++)
        if (table_row(t, i) != want[i])
            fail_msg("%s%s%s: row %zu is %s/%s, want %s/%s", what,
                     ref_by_name ? " by NAME" : " by namespace", ref_desc ? " desc" : "", i,
                     obj_str(table_row(t, i), OBJ_NAMESPACE), obj_str(table_row(t, i), OBJ_NAME),
                     obj_str(want[i], OBJ_NAMESPACE), obj_str(want[i], OBJ_NAME));
    free(want);
}

/* Names repeated across namespaces, names that differ only in leading zeros, digit runs of
 * several lengths: by default and by NAME both ways, first built and then after objects came
 * and went (the ranks merged, not rebuilt), the table's order is the reference order. */
static void test_order_is_the_reference(void **state)
{
    (void)state;
    static const char *const base[] = {"web-1",  "web-01", "web-10", "web-2", "api", "api-9",
                                       "api-09", "db-0",   "db",     "db-00", "z",   "a"};
    for (int mode = 0; mode < 3; mode++) {
        struct store s = {0};
        struct obj_builder b = {0};
        char ns[32], name[32];
        for (int n = 0; n < 5; n++) {
            snprintf(ns, sizeof ns, "ns-%d", (n * 7) % 5);
            for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
                if ((i + (size_t)n) % 4 != 0)
                    add_pod(&s, &b, ns, base[i], "2025-12-01T00:00:00Z", 1, 1, 0, "web");
        }
        ref_by_name = mode > 0;
        ref_desc = mode == 2;
        struct table t;
        table_init(&t, kind_lookup("pods"), true, false);
        table_set_ctx(&t, NOW, NULL);
        table_set_sort(&t, ref_by_name ? column("NAME") : -1, ref_desc);
        expect_reference(&t, &s, "built");
        assert_true(store_delete(&s, "ns-2-web-10"));
        for (int i = 0; i < 3; i++) {
            snprintf(name, sizeof name, "web-%0*d", i + 1, 1);
            add_pod(&s, &b, "ns-9", name, "2025-12-01T00:00:00Z", 1, 1, 0, "web");
        }
        expect_reference(&t, &s, "after changes");
        table_free(&t);
        store_free(&s);
        obj_builder_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sort),
        cmocka_unit_test(test_filter),
        cmocka_unit_test(test_literal_fast_paths_agree_with_pcre2),
        cmocka_unit_test(test_catastrophic_pattern_is_bounded),
        cmocka_unit_test(test_costly_filter_gives_up_and_says_so),
        cmocka_unit_test(test_narrows),
        cmocka_unit_test(test_columns),
        cmocka_unit_test(test_incremental_sort_matches_full),
        cmocka_unit_test(test_order_is_the_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
