/* map and vec: insert, replace, delete with backward shift, iteration, growth. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/map.h"
#include "util/vec.h"

VEC_DEFINE(ints, int)

static void test_map_basic(void **state)
{
    (void)state;
    struct map m = {0};
    assert_null(map_get(&m, "x"));
    assert_null(map_del(&m, "x"));
    int a = 1, b = 2;
    assert_null(map_put(&m, "a", &a));
    assert_ptr_equal(map_get(&m, "a"), &a);
    assert_ptr_equal(map_put(&m, "a", &b), &a);
    assert_ptr_equal(map_get(&m, "a"), &b);
    assert_int_equal(m.len, 1);
    assert_ptr_equal(map_del(&m, "a"), &b);
    assert_int_equal(m.len, 0);
    map_free(&m);
}

static void test_map_many(void **state)
{
    (void)state;
    enum { N = 5000 };
    static char keys[N][16];
    struct map m = {0};
    for (int i = 0; i < N; i++) {
        snprintf(keys[i], sizeof keys[i], "k%d", i);
        map_put(&m, keys[i], keys[i]);
    }
    assert_int_equal(m.len, N);
    /* Delete every third key; the rest must still be found (backward shift correctness). */
    for (int i = 0; i < N; i += 3)
        assert_ptr_equal(map_del(&m, keys[i]), keys[i]);
    for (int i = 0; i < N; i++) {
        if (i % 3 == 0)
            assert_null(map_get(&m, keys[i]));
        else
            assert_ptr_equal(map_get(&m, keys[i]), keys[i]);
    }
    size_t pos = 0, count = 0;
    const char *k;
    void *v;
    while (map_next(&m, &pos, &k, &v)) {
        assert_ptr_equal(k, v);
        count++;
    }
    assert_int_equal(count, m.len);
    map_free(&m);
}

static void test_vec(void **state)
{
    (void)state;
    struct ints v = {0};
    for (int i = 0; i < 100; i++)
        *ints_push(&v) = i;
    assert_int_equal(v.len, 100);
    assert_int_equal(*ints_at(&v, 99), 99);
    ints_remove_swap(&v, 0);
    assert_int_equal(*ints_at(&v, 0), 99);
    assert_int_equal(v.len, 99);
    ints_pop(&v);
    assert_int_equal(v.len, 98);
    ints_free(&v);
    assert_int_equal(v.len, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_basic),
        cmocka_unit_test(test_map_many),
        cmocka_unit_test(test_vec),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
