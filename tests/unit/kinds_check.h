/* kinds_check — what the per-group kind tests (test_kinds_*.c) share: fixtures written as JSON
 * with single quotes (turned into double quotes before parsing, so the objects stay readable),
 * projected through kind_project into a store, and the table's visible cells compared as
 * "CELL|CELL|..." lines, header first, in table order, at a fixed "now".
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

struct kt {
    const struct kind *k;
    struct store s;
    struct obj_builder b;
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

/* Projects the NULL-terminated fixtures into a fresh store of `kind`. */
static inline void kt_load(struct kt *f, const char *kind, const char *const *objs)
{
    memset(f, 0, sizeof *f);
    f->k = kind_lookup(kind);
    if (!f->k)
        fail_msg("no kind %s", kind);
    for (const char *const *o = objs; *o; o++) {
        cJSON *j = kt_parse(*o);
        assert_true(store_put(&f->s, kind_project(f->k, j, &f->b)));
        cJSON_Delete(j);
    }
}

static inline void kt_free(struct kt *f)
{
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
    char buf[CELL_MAX];
    for (size_t r = 0; r <= table_len(&t); r++) {
        for (size_t c = 0; c < t.ncols; c++) {
            const char *s =
                r == 0 ? table_header(&t, c) : table_cell(&t, table_row(&t, r - 1), c, buf);
            strbuf_printf(&got, "%s%s", c ? "|" : "", s);
        }
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
