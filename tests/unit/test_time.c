/* duration (HumanDuration, exactly as kubectl) and rfc3339 parsing/formatting. */
#include "test_util.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "util/duration.h"
#include "util/rfc3339.h"

static void check(int64_t s, const char *want)
{
    char buf[DURATION_MAX_LEN];
    duration_human(s, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("HumanDuration(%lld) = %s, want %s", (long long)s, buf, want);
}

static void test_human_duration(void **state)
{
    (void)state;
    check(-5, "<invalid>");
    check(-2, "<invalid>");
    check(-1, "0s");
    check(0, "0s");
    check(45, "45s");
    check(90, "90s");
    check(119, "119s");
    check(120, "2m");
    check(200, "3m20s");
    check(599, "9m59s");
    check(600, "10m");
    check(125 * 60, "125m");
    check(179 * 60 + 59, "179m");
    check(3 * 3600, "3h");
    check(3 * 3600 + 20 * 60, "3h20m");
    check(8 * 3600, "8h");
    check(47 * 3600 + 59 * 60, "47h");
    check(48 * 3600, "2d");
    check(5 * 86400 + 3 * 3600, "5d3h");
    check(8 * 86400, "8d");
    check(400 * 86400, "400d");
    check(729 * 86400, "729d");
    check(730 * 86400, "2y");
    check((730 + 10) * 86400, "2y10d");
    check(8 * 365 * 86400, "8y");
    check(20LL * 365 * 86400, "20y");
}

static void test_age(void **state)
{
    (void)state;
    char buf[DURATION_MAX_LEN];
    assert_string_equal(duration_age(1000, 0, buf, sizeof buf), "<unknown>");
    assert_string_equal(duration_age(1000, 955, buf, sizeof buf), "45s");
}

static void test_rfc3339(void **state)
{
    (void)state;
    int64_t t;
    assert_true(rfc3339_parse("1970-01-01T00:00:00Z", &t));
    assert_int_equal(t, 0);
    assert_true(rfc3339_parse("2025-01-02T03:04:05Z", &t));
    assert_int_equal(t, 1735787045);
    assert_true(rfc3339_parse("2025-01-02T03:04:05.123456Z", &t));
    assert_int_equal(t, 1735787045);
    assert_true(rfc3339_parse("2025-01-02T04:04:05+01:00", &t));
    assert_int_equal(t, 1735787045);
    assert_true(rfc3339_parse("2024-02-29T23:59:59Z", &t));
    char buf[RFC3339_LEN];
    rfc3339_format(t, buf, sizeof buf);
    assert_string_equal(buf, "2024-02-29T23:59:59Z");
    rfc3339_format(1735787045, buf, sizeof buf);
    assert_string_equal(buf, "2025-01-02T03:04:05Z");
    assert_false(rfc3339_parse("2025-01-02", &t));
    assert_false(rfc3339_parse("2025-13-02T03:04:05Z", &t));
    assert_false(rfc3339_parse("2025-01-02T03:04:05", &t));
    assert_false(rfc3339_parse("2025-01-02T03:04:05Zjunk", &t));
    assert_false(rfc3339_parse("", &t));
    assert_false(rfc3339_parse(NULL, &t));
}

static void test_duration_parse(void **state)
{
    (void)state;
    int64_t s;
    assert_true(duration_parse_go("90s", &s));
    assert_int_equal(s, 90000000000LL);
    assert_true(duration_parse_go("1h30m", &s));
    assert_int_equal(s, 5400000000000LL);
    assert_false(duration_parse_go("", &s));
    assert_false(duration_parse_go("5", &s));
    assert_false(duration_parse_go("5d", &s));
    /* Go's time.ParseDuration, for --since and --exec-timeout as kubectl takes durations. */
    static const struct {
        const char *in;
        int64_t ns;
    } go[] = {{"1.5h", 5400000000000LL},
              {"500ms", 500000000},
              {"1h30m", 5400000000000LL},
              {"2m30.5s", 150500000000LL},
              {"-3s", -3000000000LL},
              {"0", 0},
              {"10us", 10000},
              {"10\xc2\xb5s", 10000},
              {".5s", 500000000},
              {"1ns", 1}};
    for (size_t i = 0; i < sizeof go / sizeof go[0]; i++) {
        int64_t ns = -1;
        if (!duration_parse_go(go[i].in, &ns) || ns != go[i].ns)
            fail_msg("duration_parse_go(\"%s\") gave %lld", go[i].in, (long long)ns);
    }
    static const char *const bad[] = {"",      "5", "5d",  "1h5",  "h",
                                      "1..5s", "-", "1.5", "3e2s", "9999999999999h"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ns;
        if (duration_parse_go(bad[i], &ns))
            fail_msg("duration_parse_go(\"%s\") took it", bad[i]);
    }
}

/* What duration_human writes reads back as an age in the same order: a larger age never reads
 * back smaller (so a server-rendered date column sorts right), and whole units exactly. */
static void test_duration_parse_human(void **state)
{
    (void)state;
    int64_t prev = -1;
    for (int64_t s = 0; s < 10LL * 365 * 86400; s += s < 1000 ? 7 : s / 50) {
        char d[DURATION_MAX_LEN];
        int64_t back;
        duration_human(s, d, sizeof d);
        if (!duration_parse_human(d, &back))
            fail_msg("\"%s\" (from %lld s) does not read back", d, (long long)s);
        if (back < prev || back > s)
            fail_msg("\"%s\" (from %lld s) read back as %lld after %lld", d, (long long)s,
                     (long long)back, (long long)prev);
        prev = back;
    }
    int64_t v;
    assert_true(duration_parse_human("26h", &v) && v == 26 * 3600);
    assert_true(duration_parse_human("2d", &v) && v == 2 * 86400);
    assert_true(duration_parse_human("2y10d", &v) && v == (2 * 365 + 10) * 86400LL);
    assert_false(duration_parse_human("<unknown>", &v));
    assert_false(duration_parse_human("", &v));
    assert_false(duration_parse_human("5", &v));
    assert_false(duration_parse_human("5w", &v));
}

/* Every text duration_human, duration_age and a restarts cell can hold is within
 * DURATION_CELL_CHARS, so duration_cell_may_match says yes to every piece of it. */
static void test_duration_cell_alphabet(void **state)
{
    (void)state;
    static const int64_t secs[] = {
        -5,     -1,     0,        59,       119,       120,       599,
        600,    10799,  10800,    28799,    28800,     172799,    172800,
        691199, 691200, 63071999, 63072000, 252287999, 252288000, INT64_MAX / 2};
    for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++) {
        char d[DURATION_MAX_LEN], cell[64];
        duration_human(secs[i], d, sizeof d);
        snprintf(cell, sizeof cell, "%lld (%s ago)", (long long)-secs[i], d);
        const char *texts[] = {d, cell, duration_age(100, 0, d, sizeof d)};
        for (size_t k = 0; k < 3; k++) {
            size_t n = strlen(texts[k]);
            for (size_t a = 0; a < n; a++)
                for (size_t b = a + 1; b <= n; b++) {
                    char piece[64];
                    snprintf(piece, sizeof piece, "%.*s", (int)(b - a), texts[k] + a);
                    if (!duration_cell_may_match(piece))
                        fail_msg("\"%s\" is in \"%s\"", piece, texts[k]);
                }
        }
    }
    assert_false(duration_cell_may_match("cr"));
    assert_false(duration_cell_may_match("web"));
    assert_true(duration_cell_may_match("3d"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_human_duration),
        cmocka_unit_test(test_duration_cell_alphabet),
        cmocka_unit_test(test_duration_parse_human),
        cmocka_unit_test(test_age),
        cmocka_unit_test(test_rfc3339),
        cmocka_unit_test(test_duration_parse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
