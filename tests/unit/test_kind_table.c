/* kind_table's cache of dynamic kinds: one kind per resource definition, and a new one when the
 * definition changes (a CRD edited while timon runs), the old one staying valid for the views
 * that still borrow it. */
#include "test_util.h"

#include <cJSON.h>
#include <string.h>

#include "model/kind_table.h"

/* api_resource owns mutable strings: give it arrays, not literals. */
static char group[] = "example.com", name[] = "gizmos", singular[] = "gizmo", kind[] = "Gizmo";
static char v1s[] = "v1", v2s[] = "v2", scale[] = "scale", status[] = "status";
static char *scale_subs[] = {scale, status, NULL};
static char *status_subs[] = {status, NULL};

static struct api_resource gizmo(char *version, bool namespaced, char **subs)
{
    return (struct api_resource){.group = group,
                                 .version = version,
                                 .name = name,
                                 .singular = singular,
                                 .kind = kind,
                                 .namespaced = namespaced,
                                 .subresources = subs};
}

static void test_same_definition_same_kind(void **state)
{
    (void)state;
    struct kind_cache c = {0};
    struct api_resource r = gizmo(v1s, true, status_subs);
    const struct kind *a = kind_cache_table(&c, &r);
    const struct kind *b = kind_cache_table(&c, &r);
    assert_ptr_equal(a, b);
    assert_string_equal(a->version, "v1");
    assert_true(a->server_table);
    assert_int_equal(c.len, 1);
    kind_cache_free(&c);
}

static void test_changed_definition_new_kind(void **state)
{
    (void)state;
    struct kind_cache c = {0};
    struct api_resource v1 = gizmo(v1s, true, status_subs);
    const struct kind *old = kind_cache_table(&c, &v1);
    struct api_resource v2 = gizmo(v2s, true, status_subs);
    const struct kind *now = kind_cache_table(&c, &v2);
    assert_ptr_not_equal(old, now);
    assert_string_equal(now->version, "v2");
    assert_string_equal(old->version, "v1"); /* still valid for whoever borrows it */
    assert_ptr_equal(kind_cache_table(&c, &v2), now);
    /* A scale subresource added, or the scope changed: new kinds too. */
    struct api_resource scaled = gizmo(v2s, true, scale_subs);
    const struct kind *s = kind_cache_table(&c, &scaled);
    assert_ptr_not_equal(s, now);
    assert_true(s->caps & KIND_SCALABLE);
    assert_false(now->caps & KIND_SCALABLE);
    struct api_resource cluster = gizmo(v2s, false, scale_subs);
    assert_false(kind_cache_table(&c, &cluster)->namespaced);
    assert_int_equal(c.len, 4);
    kind_cache_free(&c);
}

/* A server's date column ("Last Backup": the server renders it as an age) sorts by that age,
 * not as text, where "2d" would come before "26h". */
static void test_date_columns_sort_as_ages(void **state)
{
    (void)state;
    struct kind_cache c = {0};
    struct api_resource r = gizmo(v1s, true, status_subs);
    const struct kind *k = kind_cache_table(&c, &r);
    cJSON *defs = cJSON_Parse("[{\"name\":\"Name\",\"type\":\"string\",\"format\":\"name\"},"
                              "{\"name\":\"Last Backup\",\"type\":\"date\"},"
                              "{\"name\":\"Size\",\"type\":\"integer\"},"
                              "{\"name\":\"Phase\",\"type\":\"string\"}]");
    assert_true(kind_table_set_columns(k, defs));
    cJSON_Delete(defs);
    int seen = 0;
    for (size_t i = 0; i < k->ncolumns; i++) {
        if (strcmp(k->columns[i].name, "LAST BACKUP") == 0) {
            assert_int_equal(k->columns[i].sort, SORT_DURATION);
            seen++;
        } else if (strcmp(k->columns[i].name, "SIZE") == 0) {
            assert_int_equal(k->columns[i].sort, SORT_NUMBER);
            seen++;
        } else if (strcmp(k->columns[i].name, "PHASE") == 0) {
            assert_int_equal(k->columns[i].sort, SORT_NATURAL);
            seen++;
        }
    }
    assert_int_equal(seen, 3);
    kind_cache_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_definition_same_kind),
        cmocka_unit_test(test_changed_definition_new_kind),
        cmocka_unit_test(test_date_columns_sort_as_ages),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
