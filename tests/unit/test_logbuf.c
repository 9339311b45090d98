/* logbuf: the line and byte bounds with the dropped counter, over-long lines cut and marked with
 * every later line kept, rendering that neutralises, the filter (and its inverse) with match
 * positions, and saving the raw bytes. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/logbuf.h"

static void add(struct logbuf *b, uint16_t src, const char *text)
{
    logbuf_append(b, src, NULL, 0, 0, 0, text, strlen(text), 0);
}

static char *render(const struct logbuf *b, size_t i, unsigned flags, struct logbuf_spans *sp)
{
    struct strbuf out = {0};
    logbuf_render(b, logbuf_at(b, i), flags, &out, sp);
    return strbuf_take(&out);
}

static void test_line_bound_drops_oldest(void **state)
{
    (void)state;
    struct logbuf b;
    logbuf_init(&b, 4, 0, 0);
    uint16_t s = logbuf_source(&b, "pod");
    char line[32];
    for (int i = 1; i <= 10; i++) {
        snprintf(line, sizeof line, "line %d", i);
        add(&b, s, line);
        assert_true(b.len <= 4);
    }
    assert_int_equal(b.len, 4);
    assert_int_equal(b.dropped, 6);
    assert_int_equal(logbuf_at(&b, 0)->seq, 7);
    char *r = render(&b, 3, 0, NULL);
    assert_string_equal(r, "line 10");
    free(r);
    logbuf_clear(&b);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.dropped, 6); /* clearing is not dropping */
    add(&b, s, "after clear");
    assert_int_equal(logbuf_at(&b, 0)->seq, 11);
    logbuf_free(&b);
}

static void test_byte_budget(void **state)
{
    (void)state;
    struct logbuf b;
    logbuf_init(&b, 1000, 4096, 0);
    uint16_t s = logbuf_source(&b, "pod");
    char line[200];
    memset(line, 'x', sizeof line - 1);
    line[sizeof line - 1] = '\0';
    for (int i = 0; i < 500; i++) {
        add(&b, s, line);
        assert_true(b.bytes <= 4096);
    }
    assert_true(b.len > 10 && b.len < 30);
    assert_int_equal(b.dropped + b.len, 500);
    logbuf_free(&b);
}

/* A 1 MB line is kept cut, marked, and the lines after it all arrive. */
static void test_huge_line_cut_and_marked(void **state)
{
    (void)state;
    struct logbuf b;
    logbuf_init(&b, 0, 0, 1024);
    uint16_t s = logbuf_source(&b, "pod");
    size_t big = 1 << 20;
    char *huge = malloc(big);
    memset(huge, 'a', big);
    add(&b, s, "before");
    logbuf_append(&b, s, NULL, 0, 0, 0, huge, big, 0);
    for (int i = 0; i < 100; i++)
        add(&b, s, "after");
    free(huge);
    assert_int_equal(b.len, 102);
    assert_int_equal(b.cut, 1);
    const struct logbuf_line *l = logbuf_at(&b, 1);
    assert_int_equal(l->len, 1024);
    assert_int_equal(l->cut, big - 1024);
    struct logbuf_spans sp;
    char *r = render(&b, 1, 0, &sp);
    assert_int_equal(sp.cut_start, 1024);
    assert_string_equal(r + 1024, " \u2026[1047552 bytes cut]");
    free(r);
    r = render(&b, 101, 0, NULL);
    assert_string_equal(r, "after");
    free(r);
    assert_true(b.bytes < 64 * 1024);
    logbuf_free(&b);
}

static void test_render_neutralises(void **state)
{
    (void)state;
    struct logbuf b;
    logbuf_init(&b, 0, 0, 0);
    uint16_t web = logbuf_source(&b, "web-1/app");
    uint16_t db = logbuf_source(&b, "db-0\x1b[2J");
    const char *ts = "2026-01-02T03:04:05.5Z";
    const char *text = "\x1b[31mERR\x1b[0m \x1b]0;title\x07 tab\there\r";
    logbuf_append(&b, web, ts, strlen(ts), 1767323045, 500000000, text, strlen(text), 0);
    add(&b, db, "plain");
    struct logbuf_spans sp;
    char *r = render(&b, 0, LOGBUF_SHOW_TS | LOGBUF_SHOW_SOURCE, &sp);
    assert_string_equal(r, "2026-01-02T03:04:05.5Z web-1/app ERR ^[]0;title^G tab here");
    assert_int_equal(sp.ts_end, strlen(ts) + 1);
    assert_int_equal(sp.src_start, sp.ts_end);
    assert_int_equal(sp.src_end - sp.src_start, strlen("web-1/app"));
    assert_int_equal(sp.text_start, sp.src_end + 1);
    assert_int_not_equal(sp.src_color, SGR_DEFAULT);
    assert_int_equal(sgr_color_at(&sp.runs, 0), SGR_RED);
    assert_int_equal(sgr_color_at(&sp.runs, 3), SGR_DEFAULT);
    free(r);
    r = render(&b, 1, LOGBUF_SHOW_SOURCE, &sp);
    assert_string_equal(r, "db-0^[[2J plain");
    free(r);
    r = render(&b, 0, 0, NULL);
    assert_string_equal(r, "ERR ^[]0;title^G tab here");
    free(r);
    assert_int_not_equal(b.src[web].color, b.src[db].color);
    logbuf_free(&b);
}

static void test_filter_and_highlights(void **state)
{
    (void)state;
    struct logbuf b;
    logbuf_init(&b, 0, 0, 0);
    uint16_t a = logbuf_source(&b, "api"), w = logbuf_source(&b, "worker");
    add(&b, a, "GET /orders 200");
    add(&b, w, "error: disk full");
    add(&b, a, "\x1b[31mERROR\x1b[0m timeout");
    struct err e = {0};
    assert_true(logbuf_set_filter(&b, "error", &e));
    assert_int_equal(b.matches, 2);
    assert_false(logbuf_at(&b, 0)->match);
    assert_true(logbuf_at(&b, 2)->match); /* case-insensitive, over the text without escapes */
    add(&b, w, "another ERROR");
    assert_int_equal(b.matches, 3);
    assert_true(logbuf_set_filter(&b, "!error", &e));
    assert_int_equal(b.matches, 1);
    assert_true(logbuf_at(&b, 0)->match);
    /* The source's name counts only when it is shown. */
    assert_true(logbuf_set_filter(&b, "^worker", &e));
    assert_int_equal(b.matches, 0);
    logbuf_set_flags(&b, LOGBUF_SHOW_SOURCE);
    assert_int_equal(b.matches, 2);
    assert_false(logbuf_set_filter(&b, "(unclosed", &e));
    assert_non_null(strstr(e.msg, "invalid filter"));
    assert_int_equal(b.matches, 2); /* the old filter stays */
    /* Match positions, for highlighting. */
    assert_true(logbuf_set_filter(&b, "o+", &e));
    const char *text = "foo boo xo";
    size_t s, t, from = 0, n = 0;
    size_t want[][2] = {{1, 3}, {5, 7}, {9, 10}};
    while (filter_find(&b.filter, text, strlen(text), from, &s, &t)) {
        assert_true(n < 3);
        assert_int_equal(s, want[n][0]);
        assert_int_equal(t, want[n][1]);
        n++;
        from = t;
    }
    assert_int_equal(n, 3);
    assert_true(logbuf_set_filter(&b, "", &e));
    assert_int_equal(b.matches, b.len);
    logbuf_free(&b);
}

/* Saving keeps the raw bytes (escape sequences included) of the lines that pass the filter. */
static void test_write_raw(void **state)
{
    (void)state;
    struct logbuf b;
    logbuf_init(&b, 0, 0, 0);
    uint16_t s = logbuf_source(&b, "web");
    add(&b, s, "\x1b[32mok\x1b[0m");
    add(&b, s, "skip me");
    const char *ts = "2026-01-02T03:04:05Z";
    logbuf_append(&b, s, ts, strlen(ts), 1, 0, "third", 5, 0);
    struct err e = {0};
    assert_true(logbuf_set_filter(&b, "!skip", &e));
    char path[] = "/tmp/test_logbuf_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_true(logbuf_write(&b, fd, LOGBUF_SHOW_TS | LOGBUF_SHOW_SOURCE, &e));
    close(fd);
    FILE *f = fopen(path, "rb");
    char buf[256] = {0};
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    unlink(path);
    const char *want = "web \x1b[32mok\x1b[0m\n2026-01-02T03:04:05Z web third\n";
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, n);
    logbuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_line_bound_drops_oldest),  cmocka_unit_test(test_byte_budget),
        cmocka_unit_test(test_huge_line_cut_and_marked), cmocka_unit_test(test_render_neutralises),
        cmocka_unit_test(test_filter_and_highlights),    cmocka_unit_test(test_write_raw),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
