/* kinds_check — what the per-group kind tests (test_kinds_*.c) share: fixtures written as JSON
 * with single quotes (turned into double quotes before parsing, so the objects stay readable),
 * projected through kind_project into a store, and the table's visible cells compared at a fixed
 * "now": whole tables as "CELL|CELL|..." lines, header first (kt_expect), or a header and rows as
 * "CELL | CELL | ..." lines of one table kept in the fixture (kt_load_table, kt_expect_rows).
 *
 * Included by one test file each, so everything here is static. */
#ifndef TIMON_TEST_KINDS_CHECK_H
#define TIMON_TEST_KINDS_CHECK_H

#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kind.h"
#include "model/store.h"
#include "model/table.h"
#include "util/strbuf.h"

/* "Now" for every case: 2026-01-01T00:10:00Z. Fixtures use times relative to it. */
#define NOW 1767226200LL

#define T_5M  "2026-01-01T00:05:00Z"
#define T_45S "2026-01-01T00:09:15Z"
#define T_1H  "2025-12-31T23:10:00Z"
#define T_1D  "2025-12-31T00:10:00Z"
#define T_7D  "2025-12-25T00:10:00Z"
#define T_1Y  "2025-01-01T00:10:00Z"
#define GONE  ",'deletionTimestamp':'2026-01-01T00:09:00Z','finalizers':['x/y']"

/* Opens an object and its metadata; the fixture closes the metadata. */
#define META(ns, name, created)                                                                    \
    "{'metadata':{'namespace':'" ns "','name':'" name "','uid':'" ns "-" name                      \
    "','creationTimestamp':'" created "'"

struct kt {
    const struct kind *k;
    struct store s;
    struct obj_builder b;
    struct table t; /* kt_load_table only: kt_expect builds its own tables */
    bool has_table;
};

static inline cJSON *kt_parse(const char *text)
{
    char *s = strdup(text);
    assert_non_null(s);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    cJSON *j = cJSON_Parse(s);
    if (!j)
        fail_msg("fixture is not valid JSON: %s", s);
    free(s);
    return j;
}

/* Projects n fixtures into a fresh store of `kind`. */
static inline void kt_load_n(struct kt *f, const char *kind, const char *const *objs, size_t n)
{
    memset(f, 0, sizeof *f);
    f->k = kind_lookup(kind);
    if (!f->k)
        fail_msg("no kind %s", kind);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = kt_parse(objs[i]);
        assert_true(store_put(&f->s, kind_project(f->k, j, &f->b)));
        cJSON_Delete(j);
    }
}

/* Projects the NULL-terminated fixtures into a fresh store of `kind`. */
static inline void kt_load(struct kt *f, const char *kind, const char *const *objs)
{
    size_t n = 0;
    while (objs[n])
        n++;
    kt_load_n(f, kind, objs, n);
}

/* kt_load_n, then one table over the store at NOW (all namespaces or one, wide or not) in the
 * kind's starting order, for kt_expect_rows and kt_expect_order. */
static inline void kt_load_table(struct kt *f, const char *kind, const char *const *objs, size_t n,
                                 bool allns, bool wide)
{
    kt_load_n(f, kind, objs, n);
    table_init(&f->t, f->k, allns, wide);
    table_set_ctx(&f->t, NOW, NULL);
    table_sync(&f->t, &f->s);
    f->has_table = true;
}

static inline void kt_free(struct kt *f)
{
    if (f->has_table)
        table_free(&f->t);
    store_free(&f->s);
    obj_builder_free(&f->b);
}

/* The stored object named `name` (names are unique within one test). */
static inline const struct obj *kt_obj(const struct kt *f, const char *name)
{
    for (size_t i = 0; i < store_len(&f->s); i++) {
        const struct obj *o = store_at(&f->s, i);
        if (strcmp(obj_str(o, OBJ_NAME), name) == 0)
            return o;
    }
    fail_msg("no object %s", name);
    return NULL;
}

static inline int kt_column(const struct kind *k, const char *name)
{
    for (size_t i = 0; i < k->ncolumns; i++)
        if (strcmp(k->columns[i].name, name) == 0)
            return (int)i;
    fail_msg("kind %s has no column %s", k->resource, name);
    return -1;
}

/* Appends the header (row -1) or a row's visible cells, joined by `sep`. */
static inline void kt_line(const struct table *t, long row, const char *sep, struct strbuf *out)
{
    char buf[CELL_MAX];
    for (size_t c = 0; c < t->ncols; c++) {
        const char *s =
            row < 0 ? table_header(t, c) : table_cell(t, table_row(t, (size_t)row), c, buf);
        strbuf_printf(out, "%s%s", c ? sep : "", s);
    }
}

/* The table at `now` (all namespaces or one, wide or not, sorted by the named column or, with
 * NULL, by namespace/name) as lines of '|'-joined cells, compared with `want`. */
static inline void kt_expect_at(const struct kt *f, int64_t now, bool allns, bool wide,
                                const char *sort, bool desc, const char *const *want)
{
    struct table t;
    table_init(&t, f->k, allns, wide);
    table_set_ctx(&t, now, NULL);
    table_set_sort(&t, sort ? kt_column(f->k, sort) : -1, desc);
    table_sync(&t, &f->s);
    struct strbuf got = {0}, exp = {0};
    for (long r = -1; r < (long)table_len(&t); r++) {
        kt_line(&t, r, "|", &got);
        strbuf_putc(&got, '\n');
    }
    for (const char *const *w = want; *w; w++)
        strbuf_printf(&exp, "%s\n", *w);
    if (strcmp(strbuf_str(&got), strbuf_str(&exp)) != 0)
        fail_msg("%s table differs.\n--- got:\n%s--- want:\n%s", f->k->resource, strbuf_str(&got),
                 strbuf_str(&exp));
    strbuf_free(&got);
    strbuf_free(&exp);
    table_free(&t);
}

static inline void kt_expect(const struct kt *f, bool allns, bool wide, const char *sort, bool desc,
                             const char *const *want)
{
    kt_expect_at(f, NOW, allns, wide, sort, desc, want);
}

/* The kt_load_table table's header and its n rows, cells joined by " | ". */
static inline void kt_expect_rows(const struct kt *f, const char *header, const char *const *rows,
                                  size_t n)
{
    struct strbuf got = {0};
    kt_line(&f->t, -1, " | ", &got);
    assert_string_equal(strbuf_str(&got), header);
    assert_int_equal(table_len(&f->t), n);
    for (size_t i = 0; i < n; i++) {
        strbuf_reset(&got);
        kt_line(&f->t, (long)i, " | ", &got);
        if (strcmp(strbuf_str(&got), rows[i]) != 0)
            fail_msg("row %zu:\n got  %s\n want %s", i, strbuf_str(&got), rows[i]);
    }
    strbuf_free(&got);
}

/* Sorts the kt_load_table table by a column and compares its names, comma-joined, with `want`.
 * The table stays sorted that way. */
static inline void kt_expect_order(struct kt *f, const char *col, bool desc, const char *want)
{
    table_set_sort(&f->t, kt_column(f->k, col), desc);
    table_sync(&f->t, &f->s);
    struct strbuf got = {0};
    for (size_t i = 0; i < table_len(&f->t); i++)
        strbuf_printf(&got, "%s%s", i ? "," : "", obj_str(table_row(&f->t, i), OBJ_NAME));
    if (strcmp(strbuf_str(&got), want) != 0)
        fail_msg("sorted by %s%s: got %s, want %s", col, desc ? " desc" : "", strbuf_str(&got),
                 want);
    strbuf_free(&got);
}

static inline void kt_state(const struct kt *f, const char *name, enum obj_state want)
{
    const struct obj *o = kt_obj(f, name);
    if (o->state != want)
        fail_msg("%s %s: state %d, want %d", f->k->resource, name, o->state, want);
}

/* The drill-down selector string of an object. */
static inline const char *kt_selector(const struct kt *f, const char *name)
{
    assert_true(f->k->selector >= OBJ_KIND0);
    return obj_str(kt_obj(f, name), (unsigned)f->k->selector);
}

/* Where the kind lives in the API, and every name it answers to. */
static inline void kt_identity(const char *resource, const char *group, const char *version,
                               const char *singular, const char *kindname, const char *const *names)
{
    const struct kind *k = kind_lookup(resource);
    assert_non_null(k);
    assert_string_equal(k->resource, resource);
    assert_string_equal(k->group, group);
    assert_string_equal(k->version, version);
    assert_string_equal(k->singular, singular);
    assert_string_equal(k->kind, kindname);
    assert_true(k->namespaced);
    for (const char *const *n = names; *n; n++)
        if (kind_lookup(*n) != k)
            fail_msg("%s does not resolve to %s", *n, resource);
    /* NAMESPACE first (all namespaces only), NAME next, AGE last and ticking. */
    assert_string_equal(k->columns[0].name, "NAMESPACE");
    assert_true(k->columns[0].flags & COL_ALLNS);
    assert_string_equal(k->columns[1].name, "NAME");
    assert_string_equal(k->columns[k->ncolumns - 1].name, "AGE");
    assert_true(k->columns[k->ncolumns - 1].flags & COL_CLOCK);
}

#endif
