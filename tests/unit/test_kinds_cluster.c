/* Cluster kinds (nodes, namespaces, events, CRDs): fixtures written from the Kubernetes API
 * reference mapped through kind_project and the table to the exact cells kubectl's printers give
 * (k8s-api.md §11.1), k9s's columns (wide, all-namespaces and the node metrics columns against
 * a metrics sample), row states, typed sorting and the events' default order.
 *
 * Fixtures are JSON with single quotes for readability; the loader turns them into double quotes
 * (an apostrophe in data would be written \u0027). */
#include "kinds_check.h"

#include "model/metrics.h"

/* ---- nodes -------------------------------------------------------------------------------------
 */

static const char *const nodes[] = {
    "{'metadata':{'name':'node-1','uid':'n1','creationTimestamp':'2025-01-01T00:10:00Z',"
    "'labels':{'node-role.kubernetes.io/control-plane':'','node-role.kubernetes.io/master':'',"
    "'kubernetes.io/role':'master','kubernetes.io/arch':'amd64'}},'spec':{'taints':[{'key':"
    "'node-role.kubernetes.io/control-plane','effect':'NoSchedule'},{'key':'gpu','value':'true',"
    "'effect':'NoExecute'}]},'status':{'conditions':[{'type':'MemoryPressure','status':'False'},"
    "{'type':'Ready','status':'True'}],'addresses':[{'type':'Hostname','address':'node-1'},"
    "{'type':'InternalIP','address':'10.0.0.1'},{'type':'InternalIP','address':'10.0.0.99'},"
    "{'type':'ExternalIP','address':'203.0.113.1'}],'allocatable':{'cpu':'3800m','memory':"
    "'8Gi','pods':'110'},'nodeInfo':{'architecture':'amd64','kubeletVersion':'v1.32.2',"
    "'osImage':'Ubuntu 24.04.1 LTS','kernelVersion':'6.8.0-51-generic'}}}",
    /* NotReady and cordoned, and nothing else known. */
    "{'metadata':{'name':'node-2','uid':'n2','creationTimestamp':'2026-01-01T00:00:00Z'},"
    "'spec':{'unschedulable':true},'status':{'conditions':[{'type':'Ready','status':'False'}]}}",
    /* Two Ready conditions: the last one decides, as in kubectl. Being deleted. */
    "{'metadata':{'name':'node-3','uid':'n3','creationTimestamp':'2025-12-01T00:10:00Z',"
    "'deletionTimestamp':'2026-01-01T00:00:00Z'},'status':{'conditions':[{'type':'Ready',"
    "'status':'True'},{'type':'Ready','status':'Unknown'}]}}",
    /* No conditions at all. */
    "{'metadata':{'name':'node-4','uid':'n4','creationTimestamp':'2026-01-01T00:09:00Z'}}",
    /* Ready but cordoned; the role from kubernetes.io/role, an empty role suffix ignored. */
    "{'metadata':{'name':'node-10','uid':'n10','creationTimestamp':'2025-12-31T22:10:00Z',"
    "'labels':{'kubernetes.io/role':'worker','node-role.kubernetes.io/':'x'}},'spec':"
    "{'unschedulable':true,'taints':[{'key':'node.kubernetes.io/unschedulable','effect':"
    "'NoSchedule'}]},'status':{'conditions':[{'type':'Ready','status':'True'}],'addresses':"
    "[{'type':'ExternalIP','address':'198.51.100.7'}],'allocatable':{'cpu':'2','memory':"
    "'4001Mi'},'nodeInfo':{'architecture':'arm64','kubeletVersion':'v1.31.0','osImage':"
    "'Debian GNU/Linux 12 (bookworm)','kernelVersion':'6.1.0-28-amd64'}}}",
};

static void test_node_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "no", nodes, sizeof nodes / sizeof nodes[0], true, false);
    static const char *const want[] = {
        "node-1 | Ready | control-plane,master | 2 | v1.32.2 | 365d",
        "node-2 | NotReady,SchedulingDisabled | <none> | 0 |  | 10m",
        "node-3 | NotReady | <none> | 0 |  | 31d",
        "node-4 | Unknown | <none> | 0 |  | 60s",
        "node-10 | Ready,SchedulingDisabled | worker | 1 | v1.31.0 | 120m",
    };
    /* Without metrics the metrics columns are hidden; cluster-scoped: no NAMESPACE with -A. */
    kt_expect_rows(&f, "NAME | STATUS | ROLE | TAINTS | VERSION | AGE", want,
                   sizeof want / sizeof want[0]);
    kt_state(&f, "node-1", OBJ_STATE_OK);
    kt_state(&f, "node-2", OBJ_STATE_ERROR);
    kt_state(&f, "node-3", OBJ_STATE_TERMINATING);
    kt_state(&f, "node-4", OBJ_STATE_ERROR);
    kt_state(&f, "node-10", OBJ_STATE_ERROR);
    kt_expect_order(&f, "TAINTS", true, "node-1,node-10,node-2,node-3,node-4");
    kt_free(&f);
}

static void test_node_metrics(void **state)
{
    (void)state;
    struct metrics m = {0};
    cJSON *list = kt_parse("{'kind':'NodeMetricsList','items':[{'metadata':{'name':'node-1'},"
                           "'usage':{'cpu':'500000000n','memory':'2Gi'}},{'metadata':{'name':"
                           "'node-2'},'usage':{'cpu':'100m','memory':'512Mi'}}]}");
    metrics_load_nodes(&m, list);
    cJSON_Delete(list);
    struct kt f;
    kt_load_table(&f, "nodes", nodes, sizeof nodes / sizeof nodes[0], false, true);
    table_set_metrics(&f.t, true);
    table_set_ctx(&f.t, NOW, &m);
    table_sync(&f.t, &f.s);
    static const char *const want[] = {
        "node-1 | Ready | control-plane,master | amd64 | 2 | v1.32.2 | Ubuntu 24.04.1 LTS | "
        "6.8.0-51-generic | 10.0.0.1 | 203.0.113.1 | 500 | 3800 | 13 | 2048 | 8192 | 25 | "
        "kubernetes.io/arch=amd64,kubernetes.io/role=master,node-role.kubernetes.io/"
        "control-plane=,node-role.kubernetes.io/master= | 365d",
        /* Usage known, allocatable not: percentages are n/a. */
        "node-2 | NotReady,SchedulingDisabled | <none> |  | 0 |  | <unknown> | <unknown> | <none> "
        "| <none> | 100 | 0 | n/a | 512 | 0 | n/a |  | 10m",
        "node-3 | NotReady | <none> |  | 0 |  | <unknown> | <unknown> | <none> | <none> | n/a | 0 "
        "| n/a | n/a | 0 | n/a |  | 31d",
        "node-4 | Unknown | <none> |  | 0 |  | <unknown> | <unknown> | <none> | <none> | n/a | 0 | "
        "n/a | n/a | 0 | n/a |  | 60s",
        /* Allocatable known, no sample: usage is n/a, allocatable still shows. */
        "node-10 | Ready,SchedulingDisabled | worker | arm64 | 1 | v1.31.0 | Debian GNU/Linux 12 "
        "(bookworm) | 6.1.0-28-amd64 | <none> | 198.51.100.7 | n/a | 2000 | n/a | n/a | 4001 | "
        "n/a | kubernetes.io/role=worker,node-role.kubernetes.io/=x | 120m",
    };
    kt_expect_rows(
        &f,
        "NAME | STATUS | ROLE | ARCH | TAINTS | VERSION | OS-IMAGE | KERNEL | INTERNAL-IP "
        "| EXTERNAL-IP | CPU | CPU/A | %CPU | MEM | MEM/A | %MEM | LABELS | AGE",
        want, sizeof want / sizeof want[0]);
    kt_expect_order(&f, "CPU", true, "node-1,node-2,node-3,node-4,node-10");
    kt_expect_order(&f, "MEM/A", false, "node-2,node-3,node-4,node-10,node-1");
    kt_expect_order(&f, "%CPU", false, "node-2,node-3,node-4,node-10,node-1");
    kt_expect_order(&f, "MEM", true, "node-1,node-2,node-3,node-4,node-10");
    kt_free(&f);
    metrics_free(&m);
}

/* ---- namespaces ---------------------------------------------------------------------------------
 */

static const char *const namespaces[] = {
    "{'metadata':{'name':'default','uid':'ns1','creationTimestamp':'2025-01-01T00:10:00Z',"
    "'labels':{'kubernetes.io/metadata.name':'default'}},'spec':{'finalizers':['kubernetes']},"
    "'status':{'phase':'Active'}}",
    "{'metadata':{'name':'going','uid':'ns2','creationTimestamp':'2026-01-01T00:00:00Z',"
    "'deletionTimestamp':'2026-01-01T00:05:00Z'},'status':{'phase':'Terminating','conditions':"
    "[{'type':'NamespaceContentRemaining','status':'True'}]}}",
    "{'metadata':{'name':'marked','uid':'ns3','creationTimestamp':'2025-12-30T01:10:00Z',"
    "'deletionTimestamp':'2026-01-01T00:09:59Z'},'status':{'phase':'Active'}}",
    "{'metadata':{'name':'odd','uid':'ns4'}}",
};

static void test_namespace_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "ns", namespaces, sizeof namespaces / sizeof namespaces[0], false, false);
    static const char *const want[] = {
        "default | Active | 365d",
        "going | Terminating | 10m",
        "marked | Active | 47h",
        "odd |  | <unknown>",
    };
    kt_expect_rows(&f, "NAME | STATUS | AGE", want, sizeof want / sizeof want[0]);
    kt_state(&f, "default", OBJ_STATE_OK);
    kt_state(&f, "going", OBJ_STATE_TERMINATING);
    kt_state(&f, "marked", OBJ_STATE_TERMINATING);
    kt_state(&f, "odd", OBJ_STATE_ERROR);
    kt_expect_order(&f, "STATUS", false, "odd,default,marked,going");
    kt_free(&f);

    kt_load_table(&f, "namespace", namespaces, 1, true, true);
    static const char *const wide[] = {"default | Active | kubernetes.io/metadata.name=default | "
                                       "365d"};
    kt_expect_rows(&f, "NAME | STATUS | LABELS | AGE", wide, 1);
    kt_free(&f);
}

/* ---- events
 * -------------------------------------------------------------------------------------- */

static const char *const events[] = {
    "{'metadata':{'name':'web-1.17a','namespace':'shop','uid':'e1','creationTimestamp':"
    "'2025-12-31T23:10:00Z'},'involvedObject':{'kind':'Pod','namespace':'shop','name':'web-1',"
    "'fieldPath':'spec.containers{app}'},'reason':'BackOff','message':'  Back-off restarting "
    "failed container app\\n','source':{'component':'kubelet','host':'node-1'},"
    "'firstTimestamp':'2025-12-31T23:10:00Z','lastTimestamp':'2026-01-01T00:05:00Z','count':7,"
    "'type':'Warning'}",
    /* The events.k8s.io shape seen through core/v1: eventTime only, reporting fields. */
    "{'metadata':{'name':'web-1.sched','namespace':'shop','uid':'e2','creationTimestamp':"
    "'2026-01-01T00:09:30Z'},'involvedObject':{'kind':'Pod','name':'web-1'},'reason':"
    "'Scheduled','message':'Successfully assigned shop/web-1 to node-1\\nsecond line',"
    "'source':{},'eventTime':'2026-01-01T00:09:30.123456Z','reportingComponent':"
    "'default-scheduler','reportingInstance':'','type':'Normal'}",
    /* A series: its last observation and count win over lastTimestamp and count. */
    "{'metadata':{'name':'probe.series','namespace':'shop','uid':'e3'},'involvedObject':"
    "{'kind':'Pod','name':'db-0','fieldPath':'spec.containers{db}'},'reason':'Unhealthy',"
    "'message':'Readiness probe failed','eventTime':'2025-12-31T22:10:00.000000Z',"
    "'lastTimestamp':'2025-12-31T23:10:00Z','count':3,'series':{'count':12,'lastObservedTime':"
    "'2026-01-01T00:09:50.000000Z'},'reportingComponent':'kubelet','reportingInstance':"
    "'node-2','type':'Warning'}",
    /* Nothing known: no times, no type, an object without a name, white space around the
     * message (NBSP and an ideographic space are white space to Go too). */
    "{'metadata':{'name':'mystery','namespace':'kube-system','uid':'e4'},'involvedObject':"
    "{'kind':'Node'},'message':'\\u00a0 spaced out \\u3000','source':{'host':'node-9'}}",
    "{'metadata':{'name':'old.warn','namespace':'kube-system','uid':'e5'},'involvedObject':"
    "{'kind':'Pod','name':'x'},'reason':'FailedMount','message':'MountVolume.SetUp failed "
    "\\u001b[31mred','firstTimestamp':'2025-12-30T00:10:00Z','lastTimestamp':"
    "'2025-12-30T00:10:00Z','count':2,'type':'Warning'}",
};

static void test_event_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "ev", events, sizeof events / sizeof events[0], true, true);
    /* The table starts sorted by LAST SEEN, newest first, unknown last. */
    static const char *const want[] = {
        "shop | 10s | Warning | Unhealthy | pod/db-0 | spec.containers{db} | kubelet, node-2 | "
        "Readiness probe failed | 120m | 12 | probe.series",
        "shop | 30s | Normal | Scheduled | pod/web-1 |  | default-scheduler | Successfully "
        "assigned shop/web-1 to node-1... | 30s | 1 | web-1.sched",
        "shop | 5m | Warning | BackOff | pod/web-1 | spec.containers{app} | kubelet, node-1 | "
        "Back-off restarting failed container app | 60m | 7 | web-1.17a",
        "kube-system | 2d | Warning | FailedMount | pod/x |  |  | MountVolume.SetUp failed "
        "^[[31mred | 2d | 2 | old.warn",
        "kube-system | <unknown> |  |  | node |  | , node-9 | spaced out | <unknown> | 1 | mystery",
    };
    kt_expect_rows(
        &f,
        "NAMESPACE | LAST SEEN | TYPE | REASON | OBJECT | SUBOBJECT | SOURCE | MESSAGE | "
        "FIRST SEEN | COUNT | NAME",
        want, sizeof want / sizeof want[0]);
    kt_state(&f, "probe.series", OBJ_STATE_ERROR);
    kt_state(&f, "web-1.sched", OBJ_STATE_OK);
    kt_state(&f, "web-1.17a", OBJ_STATE_ERROR);
    kt_state(&f, "mystery", OBJ_STATE_OK);
    kt_expect_order(&f, "COUNT", true, "probe.series,web-1.17a,old.warn,mystery,web-1.sched");
    kt_expect_order(&f, "FIRST SEEN", false, "web-1.sched,web-1.17a,probe.series,old.warn,mystery");
    kt_expect_order(&f, "LAST SEEN", true, "mystery,old.warn,web-1.17a,web-1.sched,probe.series");
    /* LAST SEEN is computed when drawn: a minute later it has moved. */
    table_set_sort(&f.t, kt_column(f.k, "LAST SEEN"), false);
    table_set_ctx(&f.t, NOW + 60, NULL);
    table_sync(&f.t, &f.s);
    char buf[CELL_MAX];
    assert_string_equal(table_cell(&f.t, table_row(&f.t, 0), 1, buf), "70s");
    kt_free(&f);

    kt_load_table(&f, "event", events + 1, 2, false, false);
    static const char *const narrow[] = {
        "10s | Warning | Unhealthy | pod/db-0 | Readiness probe failed",
        "30s | Normal | Scheduled | pod/web-1 | Successfully assigned shop/web-1 to node-1...",
    };
    kt_expect_rows(&f, "LAST SEEN | TYPE | REASON | OBJECT | MESSAGE", narrow, 2);
    kt_free(&f);
}

/* ---- customresourcedefinitions
 * -------------------------------------------------------------------- */

static const char *const crds[] = {
    "{'metadata':{'name':'widgets.example.com','uid':'d1','creationTimestamp':"
    "'2025-12-31T00:10:00Z','labels':{'app':'widgets'}},'spec':{'group':'example.com','names':"
    "{'plural':'widgets','singular':'widget','kind':'Widget','shortNames':['wd','wdg']},"
    "'scope':'Namespaced','versions':[{'name':'v1','served':true,'storage':true},{'name':"
    "'v1beta1','served':true,'storage':false,'deprecated':true},{'name':'v1alpha1','served':"
    "false,'storage':false}]},'status':{'conditions':[{'type':'NamesAccepted','status':'True'},"
    "{'type':'Established','status':'True'}]}}",
    /* Serves no version. */
    "{'metadata':{'name':'gadgets.example.org','uid':'d2','creationTimestamp':"
    "'2024-06-01T00:00:00Z'},'spec':{'group':'example.org','names':{'plural':'gadgets',"
    "'kind':'Gadget'},'scope':'Cluster','versions':[{'name':'v1','served':false,'storage':"
    "true}]}}",
    /* Its names clash with another CRD's. */
    "{'metadata':{'name':'things.example.net','uid':'d3','creationTimestamp':"
    "'2026-01-01T00:10:00Z'},'spec':{'group':'example.net','names':{'plural':'things','kind':"
    "'Thing','shortNames':[]},'scope':'Namespaced','versions':[{'name':'v2','served':true,"
    "'storage':true}]},'status':{'conditions':[{'type':'NamesAccepted','status':'False',"
    "'reason':'MultipleNamesNotAllowed'},{'type':'Established','status':'False'}]}}",
};

static void test_crd_cells(void **state)
{
    (void)state;
    struct kt f;
    kt_load_table(&f, "crd", crds, sizeof crds / sizeof crds[0], true, true);
    static const char *const want[] = {
        "gadgets.example.org | example.org | Gadget | n/a | Cluster | n/a |  | "
        "2024-06-01T00:00:00Z | 579d",
        "things.example.net | example.net | Thing | v2 | Namespaced | n/a |  | "
        "2026-01-01T00:10:00Z | 0s",
        "widgets.example.com | example.com | Widget | v1,v1beta1! | Namespaced | wd,wdg | "
        "app=widgets | 2025-12-31T00:10:00Z | 24h",
    };
    kt_expect_rows(&f,
                   "NAME | GROUP | KIND | VERSIONS | SCOPE | ALIASES | LABELS | CREATED AT | AGE",
                   want, sizeof want / sizeof want[0]);
    kt_state(&f, "widgets.example.com", OBJ_STATE_OK);
    kt_state(&f, "gadgets.example.org", OBJ_STATE_ERROR);
    kt_state(&f, "things.example.net", OBJ_STATE_ERROR);
    kt_expect_order(&f, "CREATED AT", true,
                    "things.example.net,widgets.example.com,gadgets.example.org");
    kt_free(&f);

    kt_load_table(&f, "customresourcedefinitions", crds, 1, false, false);
    static const char *const narrow[] = {
        "widgets.example.com | example.com | Widget | v1,v1beta1! | Namespaced | "
        "2025-12-31T00:10:00Z | 24h",
    };
    kt_expect_rows(&f, "NAME | GROUP | KIND | VERSIONS | SCOPE | CREATED AT | AGE", narrow, 1);
    kt_free(&f);
}

static void test_lookup(void **state)
{
    (void)state;
    static const char *const names[][2] = {
        {"no", "nodes"},
        {"node", "nodes"},
        {"Node", "nodes"},
        {"ns", "namespaces"},
        {"namespace", "namespaces"},
        {"ev", "events"},
        {"event", "events"},
        {"crd", "customresourcedefinitions"},
        {"crds", "customresourcedefinitions"},
        {"customresourcedefinitions.apiextensions.k8s.io", "customresourcedefinitions"},
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const struct kind *k = kind_lookup(names[i][0]);
        assert_non_null(k);
        assert_string_equal(k->resource, names[i][1]);
        assert_int_equal(k->selector, -1);
        assert_int_equal(k->caps, 0);
    }
    assert_true(kind_lookup("ev")->namespaced);
    assert_false(kind_lookup("no")->namespaced);
    assert_false(kind_lookup("ns")->namespaced);
    assert_false(kind_lookup("crd")->namespaced);
    struct strbuf p = {0};
    kind_path(kind_lookup("crd"), NULL, &p);
    assert_string_equal(strbuf_str(&p), "/apis/apiextensions.k8s.io/v1/customresourcedefinitions");
    strbuf_reset(&p);
    kind_path(kind_lookup("ev"), "shop", &p);
    assert_string_equal(strbuf_str(&p), "/api/v1/namespaces/shop/events");
    strbuf_free(&p);
    /* Events have no AGE; every other cluster kind ends with it. */
    const struct kind *ev = kind_lookup("events");
    for (size_t i = 0; i < ev->ncolumns; i++)
        assert_string_not_equal(ev->columns[i].name, "AGE");
    assert_string_equal(kind_lookup("no")->columns[kind_lookup("no")->ncolumns - 1].name, "AGE");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_node_cells),      cmocka_unit_test(test_node_metrics),
        cmocka_unit_test(test_namespace_cells), cmocka_unit_test(test_event_cells),
        cmocka_unit_test(test_crd_cells),       cmocka_unit_test(test_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
