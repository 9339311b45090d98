/* tabwriter: Go text/tabwriter layout, as kubectl get and describe use it. */
#include "test_util.h"

#include <string.h>

#include "util/tabwriter.h"

static void check(const char *in, struct tabwriter_opts o, const char *want)
{
    struct strbuf out = {0};
    tabwriter_format(in, strlen(in), o, &out);
    if (strcmp(strbuf_str(&out), want) != 0)
        fail_msg("got:\n%s\nwant:\n%s", strbuf_str(&out), want);
    strbuf_free(&out);
}

static void test_get_layout(void **state)
{
    (void)state;
    check("NAME\tREADY\tAGE\nweb\t1/1\t5m\n", TABWRITER_KUBECTL_GET,
          "NAME   READY   AGE\nweb    1/1     5m\n");
    /* minwidth 6 applies to narrow columns. */
    check("A\tB\tC\nx\ty\tz\n", TABWRITER_KUBECTL_GET, "A     B     C\nx     y     z\n");
    /* The last cell is never padded, and multi-byte text counts as one column per rune. */
    check("NAME\tNODE\ncaf\xc3\xa9\tn1\n", TABWRITER_KUBECTL_GET,
          "NAME   NODE\ncaf\xc3\xa9   n1\n");
}

static void test_blocks(void **state)
{
    (void)state;
    /* A line without a tab ends every block (describe's sections align separately). */
    check("Name:\tfoo\nLabels:\t<none>\nx\nLonger label:\tv\n", TABWRITER_KUBECTL_DESCRIBE,
          "Name:    foo\nLabels:  <none>\nx\nLonger label:  v\n");
    /* Nested blocks: a column's block is only the consecutive lines that have that column. */
    struct tabwriter_opts one = {0, 1};
    check("a\tb\tc\naaa\tb\na\tbbbb\tc\n", one, "a   b c\naaa b\na   bbbb c\n");
    /* Trailing tab-terminated cells are padded (describe's "%v \t%v \n" rows). */
    check("Type\tStatus\t\nReady\tTrue\t\n", TABWRITER_KUBECTL_DESCRIBE,
          "Type   Status  \nReady  True    \n");
    /* No trailing newline, empty input, empty cells. */
    check("a\tb", TABWRITER_KUBECTL_DESCRIBE, "a  b");
    check("", TABWRITER_KUBECTL_DESCRIBE, "");
    check("\t\tx\n\t\ty\n", TABWRITER_KUBECTL_DESCRIBE, "    x\n    y\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_get_layout),
        cmocka_unit_test(test_blocks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
