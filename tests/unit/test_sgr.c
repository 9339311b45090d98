/* sgr: colours kept as runs, every other escape sequence shown, never passed through. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/sanitize.h"
#include "util/sgr.h"

static char *render(const char *in, size_t n, struct sgr_runs *runs)
{
    struct strbuf out = {0};
    sgr_render(in, n, &out, runs, SANITIZE_TAB_TO_SPACE);
    return strbuf_take(&out);
}

static void test_colours_become_runs(void **state)
{
    (void)state;
    struct sgr_runs runs;
    const char *in = "\x1b[31mERROR\x1b[0m ok \x1b[1;32mgreen\x1b[m \x1b[38;5;33mblue256\x1b[39m"
                     " \x1b[38;2;255;0;255mmag\x1b[38:2::0:200:200mcyan\x1b[97mwhite";
    char *out = render(in, strlen(in), &runs);
    assert_string_equal(out, "ERROR ok green blue256 magcyanwhite");
    assert_int_equal(sgr_color_at(&runs, 0), SGR_RED);
    assert_int_equal(sgr_color_at(&runs, 4), SGR_RED);
    assert_int_equal(sgr_color_at(&runs, 5), SGR_DEFAULT);
    assert_int_equal(sgr_color_at(&runs, 9), SGR_GREEN);
    assert_int_equal(sgr_color_at(&runs, 15), SGR_BLUE);
    assert_int_equal(sgr_color_at(&runs, 22), SGR_DEFAULT);
    assert_int_equal(sgr_color_at(&runs, 23), SGR_MAGENTA);
    assert_int_equal(sgr_color_at(&runs, 26), SGR_CYAN);
    assert_int_equal(sgr_color_at(&runs, 30), SGR_DEFAULT); /* bright white is the default */
    free(out);
}

static void test_background_and_attributes_ignored(void **state)
{
    (void)state;
    struct sgr_runs runs;
    const char *in = "\x1b[41;1;4mbg\x1b[48;5;196;33mfg\x1b[48;2;1;2;3mx";
    char *out = render(in, strlen(in), &runs);
    assert_string_equal(out, "bgfgx");
    assert_int_equal(sgr_color_at(&runs, 0), SGR_DEFAULT);
    assert_int_equal(sgr_color_at(&runs, 2), SGR_YELLOW);
    assert_int_equal(sgr_color_at(&runs, 4), SGR_YELLOW);
    free(out);
}

/* Everything that is not a complete SGR sequence is shown, and nothing raw gets out. */
static void test_hostile_sequences_are_visible(void **state)
{
    (void)state;
    static const char *const hostile[] = {
        "\x1b]0;pwned\x07",     /* OSC title */
        "\x1b]52;c;Zm9v\x1b\\", /* OSC 52 clipboard */
        "\x1b[2J\x1b[H",        /* clear, home */
        "\x1b[?1049h",          /* alternate screen */
        "\x1bP1$r\x1b\\",       /* DCS */
        "\xc2\x9b"
        "31m", /* 8-bit CSI */
        "\x9b"
        "31m",         /* a lone C1 byte */
        "a\rb\bc\x07", /* CR, BS, BEL */
        "\x1b[31",     /* unterminated */
        "\x1b["
        "1111111111111111111111111111111111111111111111111111111111111111111111m",
        "\x1b[31;m\x1b[ 31m", /* a space is an intermediate byte: not SGR */
        "[red]markup[-]",
    };
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        struct sgr_runs runs;
        char *out = render(hostile[i], strlen(hostile[i]), &runs);
        for (const unsigned char *p = (const unsigned char *)out; *p; p++)
            assert_true(*p >= 0x20 && *p != 0x7f);
        assert_true(sanitize_is_clean(out, strlen(out), 0));
        free(out);
    }
    struct sgr_runs runs;
    char *out = render("\x1b[2Jx", 5, &runs);
    assert_string_equal(out, "^[[2Jx");
    assert_int_equal(runs.n, 0);
    free(out);
    out = render("[red]markup[-]", 14, &runs);
    assert_string_equal(out, "[red]markup[-]");
    free(out);
}

/* A line with thousands of colour changes keeps all its text and a bounded number of runs. */
static void test_runs_are_bounded(void **state)
{
    (void)state;
    struct strbuf in = {0};
    for (int i = 0; i < 1000; i++)
        strbuf_printf(&in, "\x1b[3%dm%d", 1 + i % 6, i % 10);
    struct sgr_runs runs;
    char *out = render(in.buf, in.len, &runs);
    assert_int_equal(strlen(out), 1000);
    assert_int_equal(runs.n, SGR_MAX_RUNS);
    for (unsigned i = 1; i < runs.n; i++)
        assert_true(runs.r[i].off > runs.r[i - 1].off);
    free(out);
    strbuf_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_colours_become_runs),
        cmocka_unit_test(test_background_and_attributes_ignored),
        cmocka_unit_test(test_hostile_sequences_are_visible),
        cmocka_unit_test(test_runs_are_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
