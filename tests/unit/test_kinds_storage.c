/* Storage kinds (PVCs, PVs, storage classes): fixtures written from the Kubernetes API reference
 * mapped through kind_project and the table to the exact cells kubectl's printers give (k8s-api.md
 * §11.1), k9s's columns (wide and all-namespaces included), row states and typed sorting.
 *
 * Fixtures are JSON with single quotes for readability; the loader turns them into double quotes
 * (an apostrophe in data would be written \u0027). */
#include "kinds_check.h"

/* ---- persistentvolumeclaims ------------------------------------------------------------------ */

static const char *const pvcs[] = {
    /* Bound: capacity and modes come from the status, the class from the spec. */
    "{'metadata':{'name':'data-1','namespace':'shop','uid':'c1','creationTimestamp':"
    "'2026-01-01T00:00:00Z','labels':{'app':'db'}},'spec':{'accessModes':['ReadWriteOnce'],"
    "'resources':{'requests':{'storage':'5Gi'}},'volumeName':'pv-1','storageClassName':'fast'},"
    "'status':{'phase':'Bound','accessModes':['ReadWriteMany','ReadWriteOnce','ReadWriteOnce'],"
    "'capacity':{'storage':'10Gi'}}}",
    /* Pending: no volume yet, so no capacity or modes even though the spec asks for them. */
    "{'metadata':{'name':'data-2','namespace':'shop','uid':'c2','creationTimestamp':"
    "'2025-12-31T23:00:00Z'},'spec':{'accessModes':['ReadWriteOnce'],'resources':{'requests':"
    "{'storage':'1Gi'}},'storageClassName':'fast'},'status':{'phase':'Pending'}}",
    /* Terminating, the beta annotation wins over storageClassName; all four modes. */
    "{'metadata':{'name':'old','namespace':'shop','uid':'c3','creationTimestamp':"
    "'2025-06-01T00:00:00Z','deletionTimestamp':'2026-01-01T00:09:00Z','annotations':"
    "{'volume.beta.kubernetes.io/storage-class':'legacy'}},'spec':{'volumeName':'pv-3',"
    "'storageClassName':'fast'},'status':{'phase':'Bound','accessModes':['ReadWriteOncePod',"
    "'ReadOnlyMany','ReadWriteMany','ReadWriteOnce'],'capacity':{'storage':'900Mi'}}}",
    /* Lost, bound to a volume whose status has no capacity: a zero quantity prints "0". */
    "{'metadata':{'name':'lost','namespace':'web','uid':'c4','creationTimestamp':"
    "'2025-12-25T00:10:00Z'},'spec':{'volumeName':'pv-gone'},'status':{'phase':'Lost'}}",
    /* Nothing but metadata: no status, no class. */
    "{'metadata':{'name':'bare','namespace':'web','uid':'c5'}}",
};

static void test_pvc_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "pvc", pvcs, sizeof pvcs / sizeof pvcs[0], false, false);
    static const char *const want[] = {
        "data-1 | Bound | pv-1 | 10Gi | RWO,RWX | fast | 10m",
        "data-2 | Pending |  |  |  | fast | 70m",
        "old | Terminating | pv-3 | 900Mi | RWO,ROX,RWX,RWOP | legacy | 214d",
        "bare |  |  |  |  |  | <unknown>",
        "lost | Lost | pv-gone | 0 |  |  | 7d",
    };
    kt_expect_rows(&f, "NAME | STATUS | VOLUME | CAPACITY | ACCESS MODES | STORAGECLASS | AGE",
                   want, sizeof want / sizeof want[0]);
    kt_state(&f, "data-1", OBJ_STATE_OK);
    kt_state(&f, "data-2", OBJ_STATE_PENDING);
    kt_state(&f, "old", OBJ_STATE_TERMINATING);
    kt_state(&f, "lost", OBJ_STATE_ERROR);
    kt_state(&f, "bare", OBJ_STATE_ERROR);
    /* Rows start in namespace/name order; capacities sort as quantities (900Mi < 10Gi), empty
     * cells first; ages by time, unknown first. */
    kt_expect_order(&f, "CAPACITY", false, "data-2,bare,lost,old,data-1");
    kt_expect_order(&f, "AGE", false, "bare,data-1,data-2,lost,old");
    kt_free(&f);

    kt_load_table(&f, "persistentvolumeclaim", pvcs, 2, true, true);
    static const char *const wide[] = {
        "shop | data-1 | Bound | pv-1 | 10Gi | RWO,RWX | fast | app=db | 10m",
        "shop | data-2 | Pending |  |  |  | fast |  | 70m",
    };
    kt_expect_rows(&f,
                   "NAMESPACE | NAME | STATUS | VOLUME | CAPACITY | ACCESS MODES | STORAGECLASS | "
                   "LABELS | AGE",
                   wide, 2);
    kt_free(&f);
}

/* ---- persistentvolumes ------------------------------------------------------------------------
 */

static const char *const pvs[] = {
    "{'metadata':{'name':'pv-1','uid':'v1','creationTimestamp':'2026-01-01T00:00:00Z',"
    "'labels':{'type':'local','zone':'a'}},'spec':{'capacity':{'storage':'10Gi'},"
    "'accessModes':['ReadWriteOnce'],'persistentVolumeReclaimPolicy':'Retain',"
    "'storageClassName':'fast','volumeMode':'Filesystem','claimRef':{'kind':"
    "'PersistentVolumeClaim','namespace':'shop','name':'data-1'}},'status':{'phase':'Bound'}}",
    "{'metadata':{'name':'pv-2','uid':'v2','creationTimestamp':'2025-12-31T00:10:00Z'},"
    "'spec':{'capacity':{'storage':'500Gi'},'accessModes':['ReadOnlyMany','ReadWriteMany'],"
    "'persistentVolumeReclaimPolicy':'Delete','volumeMode':'Block'},"
    "'status':{'phase':'Available'}}",
    "{'metadata':{'name':'pv-10','uid':'v3','creationTimestamp':'2025-01-01T00:10:00Z',"
    "'annotations':{'volume.beta.kubernetes.io/storage-class':'old-class'}},"
    "'spec':{'capacity':{'storage':'1Ti'},'accessModes':['ReadWriteOncePod'],"
    "'persistentVolumeReclaimPolicy':'Recycle','storageClassName':'ignored'},"
    "'status':{'phase':'Failed','reason':'RecyclerFailed','message':'scrub failed'}}",
    "{'metadata':{'name':'pv-del','uid':'v4','creationTimestamp':'2026-01-01T00:09:30Z',"
    "'deletionTimestamp':'2026-01-01T00:09:50Z'},'spec':{'capacity':{'storage':'128974848'},"
    "'claimRef':{'name':'only-name'}},'status':{'phase':'Released'}}",
    "{'metadata':{'name':'pv-empty','uid':'v5'}}",
};

static void test_pv_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "pv", pvs, sizeof pvs / sizeof pvs[0], true, true);
    static const char *const want[] = {
        "pv-1 | 10Gi | RWO | Retain | Bound | shop/data-1 | fast |  | Filesystem | "
        "type=local,zone=a | 10m",
        "pv-2 | 500Gi | ROX,RWX | Delete | Available |  |  |  | Block |  | 24h",
        "pv-10 | 1Ti | RWOP | Recycle | Failed |  | old-class | RecyclerFailed | <unset> |  | 365d",
        "pv-del | 128974848 |  |  | Terminating | /only-name |  |  | <unset> |  | 30s",
        "pv-empty | 0 |  |  |  |  |  |  | <unset> |  | <unknown>",
    };
    /* Cluster-scoped: no NAMESPACE column even with -A. */
    kt_expect_rows(
        &f,
        "NAME | CAPACITY | ACCESS MODES | RECLAIM POLICY | STATUS | CLAIM | STORAGECLASS | "
        "REASON | VOLUMEMODE | LABELS | AGE",
        want, sizeof want / sizeof want[0]);
    kt_state(&f, "pv-1", OBJ_STATE_OK);
    kt_state(&f, "pv-2", OBJ_STATE_OK);
    kt_state(&f, "pv-10", OBJ_STATE_ERROR);
    kt_state(&f, "pv-del", OBJ_STATE_TERMINATING);
    kt_expect_order(&f, "CAPACITY", true, "pv-10,pv-2,pv-1,pv-del,pv-empty");
    kt_expect_order(&f, "NAME", false, "pv-1,pv-2,pv-10,pv-del,pv-empty");
    kt_free(&f);

    kt_load_table(&f, "persistentvolumes", pvs, 1, false, false);
    static const char *const narrow[] = {
        "pv-1 | 10Gi | RWO | Retain | Bound | shop/data-1 | fast |  | 10m",
    };
    kt_expect_rows(
        &f,
        "NAME | CAPACITY | ACCESS MODES | RECLAIM POLICY | STATUS | CLAIM | STORAGECLASS | "
        "REASON | AGE",
        narrow, 1);
    kt_free(&f);
}

/* ---- storageclasses ----------------------------------------------------------------------------
 */

static const char *const scs[] = {
    "{'metadata':{'name':'standard','uid':'s1','creationTimestamp':'2025-12-01T00:10:00Z',"
    "'annotations':{'storageclass.kubernetes.io/is-default-class':'true'}},"
    "'provisioner':'rancher.io/local-path','reclaimPolicy':'Delete','volumeBindingMode':"
    "'WaitForFirstConsumer'}",
    "{'metadata':{'name':'fast','uid':'s2','creationTimestamp':'2026-01-01T00:08:00Z',"
    "'labels':{'tier':'ssd'},'annotations':{'storageclass.beta.kubernetes.io/is-default-class':"
    "'true'}},'provisioner':'ebs.csi.aws.com','reclaimPolicy':'Retain','allowVolumeExpansion':"
    "true,'parameters':{'type':'gp3'}}",
    /* Defaults: Delete, Immediate, false; an annotation other than "true" is not default. */
    "{'metadata':{'name':'plain','uid':'s3','creationTimestamp':'2026-01-01T00:00:00Z',"
    "'annotations':{'storageclass.kubernetes.io/is-default-class':'false'}},"
    "'provisioner':'kubernetes.io/no-provisioner','allowVolumeExpansion':false}",
};

static void test_storageclass_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "sc", scs, sizeof scs / sizeof scs[0], false, true);
    static const char *const want[] = {
        "fast (default) | ebs.csi.aws.com | Retain | Immediate | true | tier=ssd | 2m",
        "plain | kubernetes.io/no-provisioner | Delete | Immediate | false |  | 10m",
        "standard (default) | rancher.io/local-path | Delete | WaitForFirstConsumer | false |  | "
        "31d",
    };
    kt_expect_rows(
        &f,
        "NAME | PROVISIONER | RECLAIMPOLICY | VOLUMEBINDINGMODE | ALLOWVOLUMEEXPANSION | "
        "LABELS | AGE",
        want, sizeof want / sizeof want[0]);
    kt_expect_order(&f, "AGE", true, "standard,plain,fast");
    kt_free(&f);
}

static void test_lookup(void **state)
{
    (void)state;
    static const char *const names[][2] = {
        {"pvc", "persistentvolumeclaims"},
        {"PersistentVolumeClaim", "persistentvolumeclaims"},
        {"pv", "persistentvolumes"},
        {"persistentvolume", "persistentvolumes"},
        {"sc", "storageclasses"},
        {"storageclasses.storage.k8s.io", "storageclasses"},
        {"StorageClass.storage.k8s.io", "storageclasses"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct kind *k = kind_lookup(names[i][0]);
        assert_non_null(k);
        assert_string_equal(k->resource, names[i][1]);
        assert_int_equal(k->selector, -1);
    }
    assert_true(kind_lookup("pvc")->namespaced);
    assert_false(kind_lookup("pv")->namespaced);
    assert_false(kind_lookup("sc")->namespaced);
    struct strbuf p = {0};
    kind_path(kind_lookup("sc"), "ignored", &p);
    assert_string_equal(strbuf_str(&p), "/apis/storage.k8s.io/v1/storageclasses");
    strbuf_reset(&p);
    kind_path(kind_lookup("pvc"), "shop", &p);
    assert_string_equal(strbuf_str(&p), "/api/v1/namespaces/shop/persistentvolumeclaims");
    strbuf_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pvc_cells),
        cmocka_unit_test(test_pv_cells),
        cmocka_unit_test(test_storageclass_cells),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
