/* store: upsert by uid, no-op updates, deletes, and relist replacement without ghosts. */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "model/kind.h"
#include "model/store.h"

static struct obj *pod(struct obj_builder *b, const char *uid, const char *name, const char *rv,
                       const char *phase)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"metadata\":{\"uid\":\"%s\",\"name\":\"%s\",\"namespace\":\"ns\","
             "\"resourceVersion\":\"%s\"},\"spec\":{\"containers\":[{\"name\":\"c\"}]},"
             "\"status\":{\"phase\":\"%s\"}}",
             uid, name, rv, phase);
    cJSON *j = cJSON_Parse(json);
    struct obj *o = kind_project(kind_lookup("pods"), j, b);
    cJSON_Delete(j);
    return o;
}

static void test_upsert_and_noop(void **state)
{
    (void)state;
    struct obj_builder b = {0};
    struct store s = {0};
    assert_true(store_put(&s, pod(&b, "u1", "a", "1", "Pending")));
    uint64_t v = s.version;
    /* Same cells, new resourceVersion: stored in place (a reader's pointer stays valid and
     * sees it), and not a visible change. */
    const struct obj *held = store_get(&s, "u1");
    assert_false(store_put(&s, pod(&b, "u1", "a", "2", "Pending")));
    assert_int_equal(s.version, v);
    assert_ptr_equal(store_get(&s, "u1"), held);
    assert_string_equal(obj_str(held, OBJ_RV), "2");
    /* A resourceVersion of another length cannot be copied in place: the object moves, and
     * the version bump tells readers holding the old pointer to rebuild. */
    assert_false(store_put(&s, pod(&b, "u1", "a", "10", "Pending")));
    assert_true(s.version > v);
    assert_string_equal(obj_str(store_get(&s, "u1"), OBJ_RV), "10");
    v = s.version;
    assert_true(store_put(&s, pod(&b, "u1", "a", "3", "Running")));
    assert_true(s.version > v);
    assert_int_equal(store_len(&s), 1);
    assert_true(store_delete(&s, "u1"));
    assert_false(store_delete(&s, "u1"));
    assert_int_equal(store_len(&s), 0);
    store_free(&s);
    obj_builder_free(&b);
}

static void test_relist_removes_vanished(void **state)
{
    (void)state;
    struct obj_builder b = {0};
    struct store s = {0};
    char uid[16], name[16];
    for (int i = 0; i < 100; i++) {
        snprintf(uid, sizeof uid, "u%d", i);
        snprintf(name, sizeof name, "p%d", i);
        store_put(&s, pod(&b, uid, name, "1", "Running"));
    }
    /* A relist that only sees the even ones: the odd ones were deleted while we were away. */
    store_list_begin(&s);
    for (int i = 0; i < 100; i += 2) {
        snprintf(uid, sizeof uid, "u%d", i);
        snprintf(name, sizeof name, "p%d", i);
        store_put(&s, pod(&b, uid, name, "5", "Running"));
    }
    store_put(&s, pod(&b, "new", "fresh", "6", "Pending"));
    assert_int_equal(store_list_end(&s), 50);
    assert_int_equal(store_len(&s), 51);
    for (int i = 0; i < 100; i++) {
        snprintf(uid, sizeof uid, "u%d", i);
        assert_true((store_get(&s, uid) != NULL) == (i % 2 == 0));
    }
    assert_non_null(store_get(&s, "new"));
    /* Every slot index is consistent after the swaps. */
    for (size_t i = 0; i < store_len(&s); i++)
        assert_int_equal(store_at(&s, i)->slot, i);
    store_free(&s);
    obj_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_upsert_and_noop),
        cmocka_unit_test(test_relist_removes_vanished),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
