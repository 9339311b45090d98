/* Access kinds (roles, cluster roles and their bindings): fixtures written from the Kubernetes
 * API reference mapped through kind_project and the table to the exact cells (ROLE as kubectl's
 * binding printer gives it, k9s's subject columns), wide and all-namespaces columns, row states
 * and sorting.
 *
 * Fixtures are JSON with single quotes for readability; the loader turns them into double quotes
 * (an apostrophe in data would be written \u0027). */
#include "kinds_check.h"

/* ---- roles and clusterroles -------------------------------------------------------------------
 */

static const char *const roles[] = {
    "{'metadata':{'name':'reader','namespace':'shop','uid':'r1','creationTimestamp':"
    "'2025-12-31T00:10:00Z','labels':{'app':'shop'}},'rules':[{'apiGroups':[''],'resources':"
    "['pods'],'verbs':['get','list','watch']}]}",
    "{'metadata':{'name':'extension-apiserver-authentication-reader','namespace':"
    "'kube-system','uid':'r2','creationTimestamp':'2025-01-01T00:10:00Z'},'rules':[]}",
    "{'metadata':{'name':'gone','namespace':'shop','uid':'r3','creationTimestamp':"
    "'2026-01-01T00:09:58Z','deletionTimestamp':'2026-01-01T00:10:00Z','finalizers':"
    "['example.com/hold']}}",
};

static void test_role_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "ro", roles, sizeof roles / sizeof roles[0], true, true);
    static const char *const want[] = {
        "kube-system | extension-apiserver-authentication-reader |  | 365d",
        "shop | gone |  | 2s",
        "shop | reader | app=shop | 24h",
    };
    kt_expect_rows(&f, "NAMESPACE | NAME | LABELS | AGE", want, sizeof want / sizeof want[0]);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    kt_state(&f, "reader", OBJ_STATE_OK);
    kt_expect_order(&f, "AGE", false, "gone,reader,extension-apiserver-authentication-reader");
    kt_free(&f);

    kt_load_table(&f, "role", roles, 1, false, false);
    static const char *const narrow[] = {"reader | 24h"};
    kt_expect_rows(&f, "NAME | AGE", narrow, 1);
    kt_free(&f);
}

static const char *const clusterroles[] = {
    "{'metadata':{'name':'admin','uid':'cr1','creationTimestamp':'2025-01-01T00:10:00Z',"
    "'labels':{'kubernetes.io/bootstrapping':'rbac-defaults'}},'aggregationRule':"
    "{'clusterRoleSelectors':[{'matchLabels':{'rbac.authorization.k8s.io/aggregate-to-admin':"
    "'true'}}]},'rules':null}",
    "{'metadata':{'name':'system:aggregate-to-edit','uid':'cr2','creationTimestamp':"
    "'2025-01-01T00:10:00Z'},'rules':[{'apiGroups':['apps'],'resources':['deployments'],"
    "'verbs':['create','delete']}]}",
    "{'metadata':{'name':'view','uid':'cr3','creationTimestamp':'2026-01-01T00:05:00Z'}}",
};

static void test_clusterrole_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "cr", clusterroles, sizeof clusterroles / sizeof clusterroles[0], true, true);
    static const char *const want[] = {
        "admin | kubernetes.io/bootstrapping=rbac-defaults | 365d",
        "system:aggregate-to-edit |  | 365d",
        "view |  | 5m",
    };
    kt_expect_rows(&f, "NAME | LABELS | AGE", want, sizeof want / sizeof want[0]);
    kt_expect_order(&f, "NAME", true, "view,system:aggregate-to-edit,admin");
    kt_free(&f);
}

/* ---- bindings
 * -------------------------------------------------------------------------------------- */

static const char *const rolebindings[] = {
    "{'metadata':{'name':'read-pods','namespace':'shop','uid':'rb1','creationTimestamp':"
    "'2026-01-01T00:00:00Z','labels':{'team':'web'}},'roleRef':{'apiGroup':"
    "'rbac.authorization.k8s.io','kind':'Role','name':'reader'},'subjects':[{'kind':'User',"
    "'apiGroup':'rbac.authorization.k8s.io','name':'jane'},{'kind':'Group','name':'devs'},"
    "{'kind':'ServiceAccount','namespace':'shop','name':'builder'},{'kind':'User','name':"
    "'joe'}]}",
    "{'metadata':{'name':'admins','namespace':'shop','uid':'rb2','creationTimestamp':"
    "'2025-12-01T00:10:00Z'},'roleRef':{'kind':'ClusterRole','name':'admin'},'subjects':[]}",
    "{'metadata':{'name':'odd','namespace':'kube-system','uid':'rb3','creationTimestamp':"
    "'2025-12-31T21:10:00Z','deletionTimestamp':'2026-01-01T00:00:00Z'},'roleRef':{'kind':"
    "'Role','name':'robots'},'subjects':[{'kind':'Bot','name':'r2'},{'kind':'ServiceAccount',"
    "'name':'sa'}]}",
};

static void test_rolebinding_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "rb", rolebindings, sizeof rolebindings / sizeof rolebindings[0], true, true);
    static const char *const want[] = {
        "kube-system | odd | Role/robots | BOT,SvcAcct | r2,sa |  | 3h",
        "shop | admins | ClusterRole/admin | n/a |  |  | 31d",
        "shop | read-pods | Role/reader | User,Group,SvcAcct | jane,devs,builder,joe | team=web | "
        "10m",
    };
    kt_expect_rows(&f, "NAMESPACE | NAME | ROLE | KIND | SUBJECTS | LABELS | AGE", want,
                   sizeof want / sizeof want[0]);
    kt_state(&f, "odd", OBJ_STATE_TERMINATING);
    kt_state(&f, "admins", OBJ_STATE_OK);
    kt_expect_order(&f, "SUBJECTS", false, "admins,read-pods,odd");
    kt_expect_order(&f, "ROLE", false, "admins,read-pods,odd");
    kt_free(&f);

    kt_load_table(&f, "rolebindings.rbac.authorization.k8s.io", rolebindings, 1, false, false);
    static const char *const narrow[] = {
        "read-pods | Role/reader | User,Group,SvcAcct | jane,devs,builder,joe | 10m",
    };
    kt_expect_rows(&f, "NAME | ROLE | KIND | SUBJECTS | AGE", narrow, 1);
    kt_free(&f);
}

static const char *const clusterrolebindings[] = {
    "{'metadata':{'name':'cluster-admin','uid':'crb1','creationTimestamp':"
    "'2025-01-01T00:10:00Z','labels':{'kubernetes.io/bootstrapping':'rbac-defaults'}},"
    "'roleRef':{'apiGroup':'rbac.authorization.k8s.io','kind':'ClusterRole','name':"
    "'cluster-admin'},'subjects':[{'apiGroup':'rbac.authorization.k8s.io','kind':'Group',"
    "'name':'system:masters'}]}",
    "{'metadata':{'name':'no-subjects','uid':'crb2','creationTimestamp':'2026-01-01T00:08:20Z'},"
    "'roleRef':{'kind':'ClusterRole','name':'view'}}",
    "{'metadata':{'name':'sa-binding','uid':'crb3','creationTimestamp':'2025-12-29T00:10:00Z'},"
    "'roleRef':{'kind':'ClusterRole','name':'edit'},'subjects':[{'kind':'ServiceAccount',"
    "'namespace':'kube-system','name':'sa-1'},{'kind':'ServiceAccount','namespace':'default',"
    "'name':'sa-2'}]}",
};

static void test_clusterrolebinding_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "crb", clusterrolebindings,
                  sizeof clusterrolebindings / sizeof clusterrolebindings[0], true, false);
    static const char *const want[] = {
        "cluster-admin | cluster-admin | Group | system:masters | 365d",
        "no-subjects | view | n/a |  | 100s",
        "sa-binding | edit | SvcAcct | sa-1,sa-2 | 3d",
    };
    kt_expect_rows(&f, "NAME | CLUSTERROLE | SUBJECT-KIND | SUBJECTS | AGE", want,
                   sizeof want / sizeof want[0]);
    kt_expect_order(&f, "AGE", true, "cluster-admin,sa-binding,no-subjects");
    kt_expect_order(&f, "SUBJECT-KIND", false, "cluster-admin,sa-binding,no-subjects");
    kt_free(&f);
}

static void test_lookup(void **state)
{
    (void)state;
    static const char *const names[][2] = {
        {"ro", "roles"},
        {"role", "roles"},
        {"roles.rbac.authorization.k8s.io", "roles"},
        {"cr", "clusterroles"},
        {"ClusterRole", "clusterroles"},
        {"rb", "rolebindings"},
        {"rolebinding", "rolebindings"},
        {"crb", "clusterrolebindings"},
        {"clusterrolebindings", "clusterrolebindings"},
        {"ClusterRoleBinding.rbac.authorization.k8s.io", "clusterrolebindings"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct kind *k = kind_lookup(names[i][0]);
        assert_non_null(k);
        assert_string_equal(k->resource, names[i][1]);
        assert_string_equal(k->group, "rbac.authorization.k8s.io");
        assert_int_equal(k->selector, -1);
    }
    assert_true(kind_lookup("ro")->namespaced);
    assert_true(kind_lookup("rb")->namespaced);
    assert_false(kind_lookup("cr")->namespaced);
    assert_false(kind_lookup("crb")->namespaced);
    struct strbuf p = {0};
    kind_path(kind_lookup("rb"), "shop", &p);
    assert_string_equal(strbuf_str(&p),
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/shop/rolebindings");
    strbuf_reset(&p);
    kind_path(kind_lookup("cr"), "shop", &p);
    assert_string_equal(strbuf_str(&p), "/apis/rbac.authorization.k8s.io/v1/clusterroles");
    strbuf_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role_cells),
        cmocka_unit_test(test_clusterrole_cells),
        cmocka_unit_test(test_rolebinding_cells),
        cmocka_unit_test(test_clusterrolebinding_cells),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
