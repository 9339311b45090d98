/* lines: framing of watch and log streams across arbitrary chunk boundaries. */
#include "test_util.h"

#include <stdio.h>
#include <string.h>

#include "client/lines.h"

struct collect {
    char out[4096];
    int count;
};

static void collect_fn(void *ud, const char *line, size_t len)
{
    struct collect *c = ud;
    size_t n = strlen(c->out);
    snprintf(c->out + n, sizeof c->out - n, "[%.*s]", (int)len, line);
    c->count++;
}

static void feed_chunks(struct lines *l, const char *s, size_t chunk, struct collect *c)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i += chunk)
        lines_feed(l, s + i, i + chunk <= n ? chunk : n - i, collect_fn, c);
}

static void test_every_chunking(void **state)
{
    (void)state;
    const char *stream = "{\"a\":1}\n{\"b\":2}\r\n\n{\"c\":3}\n";
    for (size_t chunk = 1; chunk <= strlen(stream); chunk++) {
        struct lines l;
        lines_init(&l, 0);
        struct collect c = {{0}, 0};
        feed_chunks(&l, stream, chunk, &c);
        lines_flush(&l, collect_fn, &c);
        assert_string_equal(c.out, "[{\"a\":1}][{\"b\":2}][][{\"c\":3}]");
        lines_free(&l);
    }
}

static void test_unterminated_tail(void **state)
{
    (void)state;
    struct lines l;
    lines_init(&l, 0);
    struct collect c = {{0}, 0};
    lines_feed(&l, "one\ntw", 6, collect_fn, &c);
    assert_string_equal(c.out, "[one]");
    lines_flush(&l, collect_fn, &c);
    assert_string_equal(c.out, "[one][tw]");
    lines_free(&l);
}

static void test_long_line_dropped_rest_kept(void **state)
{
    (void)state;
    struct lines l;
    lines_init(&l, 8);
    struct collect c = {{0}, 0};
    feed_chunks(&l, "short\nthis-line-is-far-too-long\nafter\nlast\n", 3, &c);
    assert_string_equal(c.out, "[short][after][last]");
    assert_int_equal(l.dropped, 1);
    /* The same in one chunk (the in-place path). */
    struct collect d = {{0}, 0};
    lines_feed(&l, "x\n0123456789abc\ny\n", 18, collect_fn, &d);
    assert_string_equal(d.out, "[x][y]");
    assert_int_equal(l.dropped, 2);
    lines_free(&l);
}

struct logcollect {
    struct lines *l;
    char out[4096];
};

static void logcollect_fn(void *ud, const char *line, size_t len)
{
    struct logcollect *c = ud;
    size_t n = strlen(c->out);
    snprintf(c->out + n, sizeof c->out - n, "[%.*s|%zu%s]", (int)len, line, c->l->cut,
             c->l->final ? "|final" : "");
}

/* Log mode: an over-long line is cut, not dropped, at every chunking; '\r' stays; the last
 * line without '\n' says so. */
static void test_log_mode_cuts_and_keeps(void **state)
{
    (void)state;
    const char *stream = "short\r\nthis-line-is-far-too-long\nafter\nunterminated-tail";
    for (size_t chunk = 1; chunk <= strlen(stream); chunk++) {
        struct lines l;
        lines_init_log(&l, 8);
        struct logcollect c = {.l = &l};
        size_t n = strlen(stream);
        for (size_t i = 0; i < n; i += chunk)
            lines_feed(&l, stream + i, i + chunk <= n ? chunk : n - i, logcollect_fn, &c);
        lines_flush(&l, logcollect_fn, &c);
        assert_string_equal(c.out, "[short\r|0][this-lin|17][after|0][untermin|9|final]");
        assert_int_equal(l.dropped, 0);
        lines_free(&l);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_chunking),
        cmocka_unit_test(test_unterminated_tail),
        cmocka_unit_test(test_long_line_dropped_rest_kept),
        cmocka_unit_test(test_log_mode_cuts_and_keeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
