/* Policy kinds (resource quotas, limit ranges, HPAs, PDBs): fixtures written from the Kubernetes
 * API reference mapped through kind_project and the table to the exact cells kubectl's printers
 * give (quota REQUEST/LIMIT, HPA TARGETS for every metric source, PDB int-or-percent fields),
 * k9s's columns, row states and typed sorting.
 *
 * Fixtures are JSON with single quotes for readability; the loader turns them into double quotes
 * (an apostrophe in data would be written \u0027). */
#include "kinds_check.h"

/* ---- resourcequotas ----------------------------------------------------------------------------
 */

static const char *const quotas[] = {
    "{'metadata':{'name':'compute','namespace':'shop','uid':'q1','creationTimestamp':"
    "'2026-01-01T00:00:00Z'},'spec':{'hard':{'requests.cpu':'1','requests.memory':'1Gi',"
    "'limits.cpu':'2','limits.memory':'2Gi','pods':'10'}},'status':{'hard':{'requests.cpu':'1',"
    "'requests.memory':'1Gi','limits.cpu':'2','limits.memory':'2Gi','pods':'10'},'used':"
    "{'requests.cpu':'500m','requests.memory':'512Mi','limits.cpu':'1','limits.memory':'1Gi',"
    "'pods':'3'}}}",
    /* One resource used up; one resource without a used entry (a zero quantity prints "0"). */
    "{'metadata':{'name':'objects','namespace':'shop','uid':'q2','creationTimestamp':"
    "'2025-12-25T00:10:00Z'},'spec':{'hard':{'count/deployments.apps':'5',"
    "'services.loadbalancers':'0','configmaps':'10'}},'status':{'hard':"
    "{'count/deployments.apps':'5','services.loadbalancers':'0','configmaps':'10'},'used':"
    "{'count/deployments.apps':'5','configmaps':'2'}}}",
    /* Not yet seen by the quota controller: kubectl prints what the status holds, nothing. */
    "{'metadata':{'name':'fresh','namespace':'web','uid':'q3'},'spec':{'hard':{'pods':'4'}}}",
};

static void test_quota_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "quota", quotas, sizeof quotas / sizeof quotas[0], true, true);
    static const char *const want[] = {
        "shop | compute | pods: 3/10, requests.cpu: 500m/1, requests.memory: 512Mi/1Gi | "
        "limits.cpu: 1/2, limits.memory: 1Gi/2Gi | 10m",
        "shop | objects | configmaps: 2/10, count/deployments.apps: 5/5, "
        "services.loadbalancers: 0/0 |  | 7d",
        "web | fresh |  |  | <unknown>",
    };
    kt_expect_rows(&f, "NAMESPACE | NAME | REQUEST | LIMIT | AGE", want,
                   sizeof want / sizeof want[0]);
    kt_state(&f, "compute", OBJ_STATE_OK);
    kt_state(&f, "objects", OBJ_STATE_ERROR);
    kt_state(&f, "fresh", OBJ_STATE_OK);
    kt_expect_order(&f, "AGE", true, "objects,compute,fresh");
    kt_expect_order(&f, "LIMIT", true, "compute,objects,fresh");
    kt_free(&f);
}

/* ---- limitranges
 * --------------------------------------------------------------------------------- */

static const char *const limitranges[] = {
    "{'metadata':{'name':'defaults','namespace':'shop','uid':'l1','creationTimestamp':"
    "'2025-12-31T00:10:00Z'},'spec':{'limits':[{'type':'Container','default':{'cpu':'500m'},"
    "'defaultRequest':{'cpu':'100m'},'max':{'memory':'1Gi'}}]}}",
    "{'metadata':{'name':'undated','namespace':'shop','uid':'l2'},'spec':{'limits':[]}}",
};

static void test_limitrange_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "limits", limitranges, sizeof limitranges / sizeof limitranges[0], false,
                  true);
    static const char *const want[] = {
        "defaults | 2025-12-31T00:10:00Z | 24h",
        "undated |  | <unknown>",
    };
    kt_expect_rows(&f, "NAME | CREATED AT | AGE", want, sizeof want / sizeof want[0]);
    kt_expect_order(&f, "CREATED AT", false, "undated,defaults");
    kt_expect_order(&f, "CREATED AT", true, "defaults,undated");
    kt_free(&f);
}

/* ---- horizontalpodautoscalers
 * ---------------------------------------------------------------------- */

static const char *const hpas[] = {
    /* Utilization and average value targets of resources, both measured. */
    "{'metadata':{'name':'web','namespace':'shop','uid':'h1','creationTimestamp':"
    "'2026-01-01T00:00:00Z'},'spec':{'scaleTargetRef':{'apiVersion':'apps/v1','kind':"
    "'Deployment','name':'web'},'minReplicas':2,'maxReplicas':10,'metrics':[{'type':'Resource',"
    "'resource':{'name':'cpu','target':{'type':'Utilization','averageUtilization':80}}},"
    "{'type':'Resource','resource':{'name':'memory','target':{'type':'AverageValue',"
    "'averageValue':'500Mi'}}}]},'status':{'currentReplicas':3,'desiredReplicas':3,"
    "'currentMetrics':[{'type':'Resource','resource':{'name':'cpu','current':"
    "{'averageUtilization':45,'averageValue':'120m'}}},{'type':'Resource','resource':{'name':"
    "'memory','current':{'averageValue':'300Mi'}}}],'conditions':[{'type':'AbleToScale',"
    "'status':'True'},{'type':'ScalingActive','status':'True'}]}}",
    /* Four metrics: two shown, then " + 2 more..."; at its maximum. No minReplicas. */
    "{'metadata':{'name':'api','namespace':'shop','uid':'h2','creationTimestamp':"
    "'2025-12-31T00:10:00Z'},'spec':{'scaleTargetRef':{'kind':'StatefulSet','name':'api'},"
    "'maxReplicas':5,'metrics':[{'type':'Pods','pods':{'metric':{'name':'packets-per-second'},"
    "'target':{'type':'AverageValue','averageValue':'1k'}}},{'type':'Object','object':"
    "{'metric':{'name':'requests-per-second'},'describedObject':{'kind':'Ingress','name':"
    "'main'},'target':{'type':'Value','value':'10k'}}},{'type':'External','external':"
    "{'metric':{'name':'queue_messages'},'target':{'type':'AverageValue','averageValue':'30'}}},"
    "{'type':'ContainerResource','containerResource':{'name':'cpu','container':'app','target':"
    "{'type':'Utilization','averageUtilization':60}}}]},'status':{'currentReplicas':5,"
    "'currentMetrics':[{'type':'Pods','pods':{'metric':{'name':'packets-per-second'},"
    "'current':{'averageValue':'866m'}}},{'type':'Object','object':{'metric':{'name':"
    "'requests-per-second'},'current':{'value':'12k'}}}]}}",
    /* External by value, measured; Object by average, measured without an average. */
    "{'metadata':{'name':'batch','namespace':'web','uid':'h3','creationTimestamp':"
    "'2025-12-31T23:10:00Z'},'spec':{'scaleTargetRef':{'kind':'Deployment','name':'batch'},"
    "'minReplicas':1,'maxReplicas':4,'metrics':[{'type':'External','external':{'metric':"
    "{'name':'queue'},'target':{'type':'Value','value':'100'}}},{'type':'Object','object':"
    "{'metric':{'name':'lag'},'target':{'type':'AverageValue','averageValue':'2'}}}]},"
    "'status':{'currentMetrics':[{'type':'External','external':{'metric':{'name':'queue'},"
    "'current':{'value':'25'}}},{'type':'Object','object':{'metric':{'name':'lag'},"
    "'current':{'value':'7'}}}],'conditions':[{'type':'AbleToScale','status':'True'},"
    "{'type':'ScalingActive','status':'False','reason':'FailedGetExternalMetric'}]}}",
    /* No metrics, no target, no status. */
    "{'metadata':{'name':'bare','namespace':'web','uid':'h4','creationTimestamp':"
    "'2026-01-01T00:09:00Z'},'spec':{'minReplicas':1}}",
    /* A measured Pods metric without a current value: Quantity.String() of nil. */
    "{'metadata':{'name':'nil','namespace':'web','uid':'h5','creationTimestamp':"
    "'2026-01-01T00:09:00Z'},'spec':{'scaleTargetRef':{'kind':'Deployment','name':'n'},"
    "'minReplicas':1,'maxReplicas':3,'metrics':[{'type':'Pods','pods':{'metric':{'name':'x'},"
    "'target':{'type':'AverageValue','averageValue':'5'}}}]},'status':{'currentReplicas':1,"
    "'currentMetrics':[{'type':'Pods','pods':{'metric':{'name':'x'},'current':{}}}]}}",
    /* An unknown source type; a resource target with neither utilization nor value. */
    "{'metadata':{'name':'unknown-type','namespace':'web','uid':'h6','creationTimestamp':"
    "'2026-01-01T00:09:00Z'},'spec':{'scaleTargetRef':{'kind':'Deployment','name':'u'},"
    "'minReplicas':1,'maxReplicas':1,'metrics':[{'type':'Foo'},{'type':'Resource','resource':"
    "{'name':'cpu','target':{'type':'Utilization'}}}]},'status':{'currentReplicas':0,"
    "'currentMetrics':[{'type':'Foo'},{'type':'Resource','resource':{'name':'cpu','current':"
    "{'averageUtilization':12}}}]}}",
};

static void test_hpa_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "hpa", hpas, sizeof hpas / sizeof hpas[0], true, true);
    static const char *const want[] = {
        "shop | api | StatefulSet/api | 866m/1k, 12k/10k + 2 more... | <unset> | 5 | 5 | 24h",
        "shop | web | Deployment/web | cpu: 45%/80%, memory: 300Mi/500Mi | 2 | 10 | 3 | 10m",
        "web | bare | / | <none> | 1 | 0 | 0 | 60s",
        "web | batch | Deployment/batch | 25/100, <unknown>/2 (avg) | 1 | 4 | 0 | 60m",
        "web | nil | Deployment/n | <nil>/5 | 1 | 3 | 1 | 60s",
        "web | unknown-type | Deployment/u | <unknown type>, cpu: 12%/<auto> | 1 | 1 | 0 | 60s",
    };
    kt_expect_rows(&f,
                   "NAMESPACE | NAME | REFERENCE | TARGETS | MINPODS | MAXPODS | REPLICAS | AGE",
                   want, sizeof want / sizeof want[0]);
    kt_state(&f, "web", OBJ_STATE_OK);
    kt_state(&f, "api", OBJ_STATE_ERROR);   /* at its maximum */
    kt_state(&f, "batch", OBJ_STATE_ERROR); /* ScalingActive False */
    kt_state(&f, "bare", OBJ_STATE_OK);
    kt_state(&f, "nil", OBJ_STATE_OK);
    kt_expect_order(&f, "MAXPODS", true, "web,api,batch,nil,unknown-type,bare");
    kt_expect_order(&f, "REPLICAS", false, "bare,batch,unknown-type,nil,web,api");
    kt_free(&f);
}

/* ---- poddisruptionbudgets
 * ---------------------------------------------------------------------------- */

static const char *const pdbs[] = {
    "{'metadata':{'name':'web','namespace':'shop','uid':'p1','creationTimestamp':"
    "'2026-01-01T00:00:00Z','labels':{'app':'web'}},'spec':{'minAvailable':2,'selector':"
    "{'matchLabels':{'app':'web'}}},'status':{'disruptionsAllowed':1,'currentHealthy':3,"
    "'desiredHealthy':2,'expectedPods':3}}",
    "{'metadata':{'name':'db','namespace':'shop','uid':'p2','creationTimestamp':"
    "'2025-12-01T00:10:00Z'},'spec':{'maxUnavailable':'25%'},'status':{'disruptionsAllowed':0,"
    "'currentHealthy':1,'desiredHealthy':2,'expectedPods':3}}",
    "{'metadata':{'name':'empty','namespace':'web','uid':'p3','creationTimestamp':"
    "'2026-01-01T00:09:59Z'}}",
};

static void test_pdb_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "pdb", pdbs, sizeof pdbs / sizeof pdbs[0], true, true);
    static const char *const want[] = {
        "shop | db | N/A | 25% | 0 | 1 | 2 | 3 |  | 31d",
        "shop | web | 2 | N/A | 1 | 3 | 2 | 3 | app=web | 10m",
        "web | empty | N/A | N/A | 0 | 0 | 0 | 0 |  | 1s",
    };
    kt_expect_rows(&f,
                   "NAMESPACE | NAME | MIN AVAILABLE | MAX UNAVAILABLE | ALLOWED DISRUPTIONS | "
                   "CURRENT | DESIRED | EXPECTED | LABELS | AGE",
                   want, sizeof want / sizeof want[0]);
    kt_state(&f, "web", OBJ_STATE_OK);
    kt_state(&f, "db", OBJ_STATE_ERROR);
    kt_state(&f, "empty", OBJ_STATE_OK);
    kt_expect_order(&f, "ALLOWED DISRUPTIONS", true, "web,db,empty");
    kt_expect_order(&f, "MAX UNAVAILABLE", true, "db,web,empty");
    kt_free(&f);

    kt_load_table(&f, "poddisruptionbudgets", pdbs, 1, false, false);
    static const char *const narrow[] = {"web | 2 | N/A | 1 | 3 | 2 | 3 | 10m"};
    kt_expect_rows(&f,
                   "NAME | MIN AVAILABLE | MAX UNAVAILABLE | ALLOWED DISRUPTIONS | CURRENT | "
                   "DESIRED | EXPECTED | AGE",
                   narrow, 1);
    kt_free(&f);
}

static void test_lookup(void **state)
{
    (void)state;
    static const char *const names[][3] = {
        {"quota", "resourcequotas", ""},
        {"resourcequota", "resourcequotas", ""},
        {"limits", "limitranges", ""},
        {"LimitRange", "limitranges", ""},
        {"hpa", "horizontalpodautoscalers", "autoscaling"},
        {"horizontalpodautoscalers.autoscaling", "horizontalpodautoscalers", "autoscaling"},
        {"pdb", "poddisruptionbudgets", "policy"},
        {"poddisruptionbudget", "poddisruptionbudgets", "policy"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct kind *k = kind_lookup(names[i][0]);
        assert_non_null(k);
        assert_string_equal(k->resource, names[i][1]);
        assert_string_equal(k->group, names[i][2]);
        assert_true(k->namespaced);
        assert_int_equal(k->selector, -1);
    }
    assert_string_equal(kind_lookup("hpa")->version, "v2");
    struct strbuf p = {0};
    kind_path(kind_lookup("hpa"), "shop", &p);
    assert_string_equal(strbuf_str(&p),
                        "/apis/autoscaling/v2/namespaces/shop/horizontalpodautoscalers");
    strbuf_reset(&p);
    kind_path(kind_lookup("pdb"), NULL, &p);
    assert_string_equal(strbuf_str(&p), "/apis/policy/v1/poddisruptionbudgets");
    strbuf_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quota_cells), cmocka_unit_test(test_limitrange_cells),
        cmocka_unit_test(test_hpa_cells),   cmocka_unit_test(test_pdb_cells),
        cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
