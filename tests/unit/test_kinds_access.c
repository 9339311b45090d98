/* Access kinds (roles, cluster roles and their bindings): fixtures written from the Kubernetes
 * API reference mapped through kind_project and the table to the exact cells (ROLE as kubectl's
 * binding printer gives it, k9s's subject columns), wide and all-namespaces columns, row states
 * and sorting.
 *
 * Fixtures are JSON with single quotes for readability; the loader turns them into double quotes
 * (an apostrophe in data would be written \u0027). */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kind.h"
#include "model/store.h"
#include "model/table.h"

#define NOW 1767226200LL /* 2026-01-01T00:10:00Z */

struct fx {
    struct store s;
    struct obj_builder b;
    struct table t;
};

static cJSON *parse_sq(const char *text)
{
    char *s = strdup(text);
    for (char *p = s; *p; p++)
        if (*p == '\'')
            *p = '"';
    cJSON *j = cJSON_Parse(s);
    if (!j)
        fail_msg("fixture is not JSON: %s", text);
    free(s);
    return j;
}

static void load(struct fx *f, const char *kind, const char *const *objs, size_t n, bool allns,
                 bool wide)
{
    memset(f, 0, sizeof *f);
    const struct kind *k = kind_lookup(kind);
    assert_non_null(k);
    for (size_t i = 0; i < n; i++) {
        cJSON *j = parse_sq(objs[i]);
        store_put(&f->s, kind_project(k, j, &f->b));
        cJSON_Delete(j);
    }
    table_init(&f->t, k, allns, wide);
    table_set_ctx(&f->t, NOW, NULL);
    table_sync(&f->t, &f->s);
}

static void unload(struct fx *f)
{
    table_free(&f->t);
    store_free(&f->s);
    obj_builder_free(&f->b);
}

/* The header (row -1) or a row's visible cells joined by " | ". */
static void line(const struct table *t, long row, char *out, size_t n)
{
    char buf[CELL_MAX];
    out[0] = '\0';
    for (size_t c = 0; c < t->ncols; c++) {
        const char *cell =
            row < 0 ? table_header(t, c) : table_cell(t, table_row(t, (size_t)row), c, buf);
        size_t len = strlen(out);
        snprintf(out + len, n - len, "%s%s", c ? " | " : "", cell);
    }
}

static void expect_table(struct fx *f, const char *header, const char *const *rows, size_t n)
{
    char got[4096];
    line(&f->t, -1, got, sizeof got);
    assert_string_equal(got, header);
    assert_int_equal(table_len(&f->t), n);
    for (size_t i = 0; i < n; i++) {
        line(&f->t, (long)i, got, sizeof got);
        if (strcmp(got, rows[i]) != 0)
            fail_msg("row %zu:\n got  %s\n want %s", i, got, rows[i]);
    }
}

static const struct obj *row_named(struct fx *f, const char *name)
{
    for (size_t i = 0; i < table_len(&f->t); i++)
        if (strcmp(obj_str(table_row(&f->t, i), OBJ_NAME), name) == 0)
            return table_row(&f->t, i);
    fail_msg("no row %s", name);
    return NULL;
}

static int column(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->kind->ncolumns; i++)
        if (strcmp(t->kind->columns[i].name, name) == 0)
            return (int)i;
    fail_msg("no column %s", name);
    return -1;
}

static void expect_order(struct fx *f, const char *col, bool desc, const char *want)
{
    table_set_sort(&f->t, column(&f->t, col), desc);
    table_sync(&f->t, &f->s);
    char got[1024] = "";
    for (size_t i = 0; i < table_len(&f->t); i++) {
        size_t len = strlen(got);
        snprintf(got + len, sizeof got - len, "%s%s", i ? "," : "",
                 obj_str(table_row(&f->t, i), OBJ_NAME));
    }
    if (strcmp(got, want) != 0)
        fail_msg("sorted by %s%s: got %s, want %s", col, desc ? " desc" : "", got, want);
}

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
    struct fx f;
    load(&f, "ro", roles, sizeof roles / sizeof roles[0], true, true);
    static const char *const want[] = {
        "kube-system | extension-apiserver-authentication-reader |  | 365d",
        "shop | gone |  | 2s",
        "shop | reader | app=shop | 24h",
    };
    expect_table(&f, "NAMESPACE | NAME | LABELS | AGE", want, sizeof want / sizeof want[0]);
    assert_int_equal(row_named(&f, "gone")->state, OBJ_STATE_TERMINATING);
    assert_int_equal(row_named(&f, "reader")->state, OBJ_STATE_OK);
    expect_order(&f, "AGE", false, "gone,reader,extension-apiserver-authentication-reader");
    unload(&f);

    load(&f, "role", roles, 1, false, false);
    static const char *const narrow[] = {"reader | 24h"};
    expect_table(&f, "NAME | AGE", narrow, 1);
    unload(&f);
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
    struct fx f;
    load(&f, "cr", clusterroles, sizeof clusterroles / sizeof clusterroles[0], true, true);
    static const char *const want[] = {
        "admin | kubernetes.io/bootstrapping=rbac-defaults | 365d",
        "system:aggregate-to-edit |  | 365d",
        "view |  | 5m",
    };
    expect_table(&f, "NAME | LABELS | AGE", want, sizeof want / sizeof want[0]);
    expect_order(&f, "NAME", true, "view,system:aggregate-to-edit,admin");
    unload(&f);
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
    struct fx f;
    load(&f, "rb", rolebindings, sizeof rolebindings / sizeof rolebindings[0], true, true);
    static const char *const want[] = {
        "kube-system | odd | Role/robots | BOT,SvcAcct | r2,sa |  | 3h",
        "shop | admins | ClusterRole/admin | n/a |  |  | 31d",
        "shop | read-pods | Role/reader | User,Group,SvcAcct | jane,devs,builder,joe | team=web | "
        "10m",
    };
    expect_table(&f, "NAMESPACE | NAME | ROLE | KIND | SUBJECTS | LABELS | AGE", want,
                 sizeof want / sizeof want[0]);
    assert_int_equal(row_named(&f, "odd")->state, OBJ_STATE_TERMINATING);
    assert_int_equal(row_named(&f, "admins")->state, OBJ_STATE_OK);
    expect_order(&f, "SUBJECTS", false, "admins,read-pods,odd");
    expect_order(&f, "ROLE", false, "admins,read-pods,odd");
    unload(&f);

    load(&f, "rolebindings.rbac.authorization.k8s.io", rolebindings, 1, false, false);
    static const char *const narrow[] = {
        "read-pods | Role/reader | User,Group,SvcAcct | jane,devs,builder,joe | 10m",
    };
    expect_table(&f, "NAME | ROLE | KIND | SUBJECTS | AGE", narrow, 1);
    unload(&f);
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
    struct fx f;
    load(&f, "crb", clusterrolebindings, sizeof clusterrolebindings / sizeof clusterrolebindings[0],
         true, false);
    static const char *const want[] = {
        "cluster-admin | cluster-admin | Group | system:masters | 365d",
        "no-subjects | view | n/a |  | 100s",
        "sa-binding | edit | SvcAcct | sa-1,sa-2 | 3d",
    };
    expect_table(&f, "NAME | CLUSTERROLE | SUBJECT-KIND | SUBJECTS | AGE", want,
                 sizeof want / sizeof want[0]);
    expect_order(&f, "AGE", true, "cluster-admin,sa-binding,no-subjects");
    expect_order(&f, "SUBJECT-KIND", false, "cluster-admin,sa-binding,no-subjects");
    unload(&f);
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
