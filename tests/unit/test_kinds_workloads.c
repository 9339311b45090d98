/* Workload kinds (deployments, replicasets, statefulsets, daemonsets, jobs, cronjobs): fixtures
 * written from the API reference, mapped through kind_project and the table to the exact cells
 * kubectl's printers give (k8s-api.md §11) in k9s's column sets, with wide columns, typed
 * sorting, ticking cells, row states, drill-down selectors and names. */
#include "kinds_check.h"

/* ---- deployments ---------------------------------------------------------------------------- */

static const char *const deployments[] = {
    META("apps", "web",
         T_5M) ",'generation':1,'labels':{'tier':'front','app':'web'}},"
               "'spec':{'replicas':3,'selector':{'matchLabels':{'app':'web'}},"
               "'template':{'spec':{'containers':[{'name':'nginx','image':'nginx'}]}}},"
               "'status':{'observedGeneration':1,'replicas':3,'updatedReplicas':3,"
               "'readyReplicas':3,'availableReplicas':3}}",
    /* A rollout: old pods still run beside the two updated ones. */
    META("apps", "rolling", T_1H) "},'spec':{'replicas':4,'selector':{'matchLabels':{'app':"
                                  "'rolling'},'matchExpressions':[{'key':'track','operator':'In',"
                                  "'values':['stable','canary']}]}},'status':{'replicas':5,"
                                  "'updatedReplicas':2,'readyReplicas':4,'availableReplicas':3}}",
    /* No ready pods: readyReplicas and availableReplicas are absent, not 0. */
    META("apps", "stuck",
         T_1D) "},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'s'}}},"
               "'status':{'replicas':2,'updatedReplicas':2,'unavailableReplicas':2,"
               "'conditions':[{'type':'Available','status':'False'},{'type':"
               "'Progressing','status':'False','reason':'ProgressDeadlineExceeded'}]}}",
    META("apps", "degraded", T_7D) "},'spec':{'replicas':3,'selector':{'matchLabels':{'app':'d'}}},"
                                   "'status':{'replicas':3,'updatedReplicas':3,'readyReplicas':2,"
                                   "'availableReplicas':2,'conditions':[{'type':'Progressing',"
                                   "'status':'True','reason':'NewReplicaSetAvailable'}]}}",
    /* Nothing but an empty selector: replicas default to 1, counters to 0. */
    META("apps", "defaults", T_5M) "},'spec':{'selector':{}}}",
    META("apps", "zero", T_1Y) "},'spec':{'replicas':0,'selector':{'matchLabels':{'app':'z'}}},"
                               "'status':{}}",
    META("apps", "app-10", T_1D) GONE
    "},'spec':{'replicas':1},'status':{'replicas':1,"
    "'updatedReplicas':1,'readyReplicas':1,'availableReplicas':1}}",
    /* The controller has not seen generation 3 yet. */
    META("apps", "app-2", T_1Y) ",'generation':3},'spec':{'replicas':12,'selector':{'matchLabels':"
                                "{'app':'a2'}}},'status':{'observedGeneration':2,'replicas':12,"
                                "'updatedReplicas':12,'readyReplicas':12,'availableReplicas':12}}",
    META("infra", "dns", T_1Y) "},'spec':{'replicas':2,'selector':{'matchLabels':{'k8s-app':"
                               "'dns'}}},'status':{'replicas':2,'updatedReplicas':2,"
                               "'readyReplicas':2,'availableReplicas':2}}",
    NULL,
};

static void test_deployments(void **state)
{
    (void)state;
    kt_identity("deployments", "apps", "v1", "deployment", "Deployment",
                (const char *const[]){"deploy", "dp", "Deployment", "deployments.apps",
                                      "deployment", NULL});
    struct kt f;
    kt_load(&f, "deployments", deployments);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|READY|UP-TO-DATE|AVAILABLE|AGE",
                  "app-2|12/12|12|12|365d",
                  "app-10|1/1|1|1|24h",
                  "defaults|0/1|0|0|5m",
                  "degraded|2/3|3|2|7d",
                  "rolling|4/4|2|3|60m",
                  "stuck|0/2|2|0|24h",
                  "web|3/3|3|3|5m",
                  "zero|0/0|0|0|365d",
                  "dns|2/2|2|2|365d",
                  NULL,
              });
    kt_expect(&f, true, true, "READY", false,
              (const char *const[]){
                  "NAMESPACE|NAME|READY|UP-TO-DATE|AVAILABLE|LABELS|AGE",
                  "apps|zero|0/0|0|0||365d",
                  "apps|defaults|0/1|0|0||5m",
                  "apps|stuck|0/2|2|0||24h",
                  "apps|app-10|1/1|1|1||24h",
                  "infra|dns|2/2|2|2||365d",
                  "apps|degraded|2/3|3|2||7d",
                  "apps|web|3/3|3|3|app=web,tier=front|5m",
                  "apps|rolling|4/4|2|3||60m",
                  "apps|app-2|12/12|12|12||365d",
                  NULL,
              });
    /* Numbers sort as numbers (12 before 3), ties by namespace and name. */
    kt_expect(&f, false, false, "UP-TO-DATE", true,
              (const char *const[]){
                  "NAME|READY|UP-TO-DATE|AVAILABLE|AGE",
                  "app-2|12/12|12|12|365d",
                  "degraded|2/3|3|2|7d",
                  "web|3/3|3|3|5m",
                  "rolling|4/4|2|3|60m",
                  "stuck|0/2|2|0|24h",
                  "dns|2/2|2|2|365d",
                  "app-10|1/1|1|1|24h",
                  "defaults|0/1|0|0|5m",
                  "zero|0/0|0|0|365d",
                  NULL,
              });
    kt_state(&f, "web", OBJ_STATE_OK);
    kt_state(&f, "rolling", OBJ_STATE_PENDING);
    kt_state(&f, "stuck", OBJ_STATE_ERROR);
    kt_state(&f, "degraded", OBJ_STATE_ERROR);
    kt_state(&f, "defaults", OBJ_STATE_PENDING);
    kt_state(&f, "zero", OBJ_STATE_OK);
    kt_state(&f, "app-10", OBJ_STATE_TERMINATING);
    kt_state(&f, "app-2", OBJ_STATE_PENDING);
    assert_string_equal(kt_selector(&f, "web"), "app=web");
    assert_string_equal(kt_selector(&f, "rolling"), "app=rolling,track in (canary,stable)");
    assert_string_equal(kt_selector(&f, "defaults"), "<none>");
    assert_string_equal(kt_selector(&f, "app-10"), "<none>");
    assert_int_equal(f.k->caps, KIND_SCALABLE | KIND_RESTARTABLE | KIND_LOGS);
    kt_free(&f);
}

/* ---- replicasets ---------------------------------------------------------------------------- */

static const char *const replicasets[] = {
    META("apps", "web-abc", T_5M) ",'labels':{'app':'web','pod-template-hash':'abc'}},'spec':{"
                                  "'replicas':3,'selector':{'matchLabels':{'pod-template-hash':"
                                  "'abc','app':'web'}},'template':{'spec':{'containers':[{'name':"
                                  "'nginx','image':'nginx:1.27'},{'name':'envoy','image':"
                                  "'envoyproxy/envoy:v1.30'}]}}},'status':{'replicas':3,"
                                  "'readyReplicas':3,'availableReplicas':3}}",
    META("apps", "old", T_1Y) "},'spec':{'replicas':0,'selector':{'matchLabels':{'app':'web'},"
                              "'matchExpressions':[{'key':'team','operator':'Exists'},{'key':'env',"
                              "'operator':'NotIn','values':['prod','dev']},{'key':'canary',"
                              "'operator':'DoesNotExist'}]},'template':{'spec':{'containers':[{"
                              "'name':'nginx','image':'nginx:1.25'}]}}},'status':{'replicas':0}}",
    META("apps", "scaling",
         T_1H) "},'spec':{'replicas':10,'selector':{'matchLabels':{'app':'s'}},"
               "'template':{'spec':{'containers':[{'name':'a','image':'a:1'}]}}},"
               "'status':{'replicas':2,'readyReplicas':1}}",
    META("apps", "quota", T_1D) "},'spec':{'replicas':9,'selector':{'matchLabels':{'app':'q'}},"
                                "'template':{'spec':{'containers':[{'name':'a','image':'a:1'}]}}},"
                                "'status':{'replicas':0,'conditions':[{'type':'ReplicaFailure',"
                                "'status':'True','reason':'FailedCreate'}]}}",
    META("apps", "unready", T_7D) "},'spec':{'replicas':2,'selector':{'matchLabels':{'app':'u'}},"
                                  "'template':{'spec':{'containers':[{'name':'c1','image':'i1'},{"
                                  "'name':'c2','image':'i2'},{'name':'c3','image':'i3'},{'name':"
                                  "'c4','image':'i4'},{'name':'c5','image':'i5'},{'name':'c6',"
                                  "'image':'i6'}]}}},'status':{'replicas':2,'readyReplicas':1}}",
    META("apps", "defaults", T_5M) "}}",
    META("apps", "deleting", T_1D) GONE "},'spec':{'replicas':1,'selector':{'matchLabels':{'app':"
                                        "'x'}}},'status':{'replicas':1,'readyReplicas':1}}",
    NULL,
};

static void test_replicasets(void **state)
{
    (void)state;
    kt_identity("replicasets", "apps", "v1", "replicaset", "ReplicaSet",
                (const char *const[]){"rs", "ReplicaSet", "replicasets.apps", NULL});
    struct kt f;
    kt_load(&f, "replicasets", replicasets);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|DESIRED|CURRENT|READY|AGE",
                  "defaults|1|0|0|5m",
                  "deleting|1|1|1|24h",
                  "old|0|0|0|365d",
                  "quota|9|0|0|24h",
                  "scaling|10|2|1|60m",
                  "unready|2|2|1|7d",
                  "web-abc|3|3|3|5m",
                  NULL,
              });
    kt_expect(&f, true, true, "DESIRED", true,
              (const char *const[]){
                  "NAMESPACE|NAME|DESIRED|CURRENT|READY|CONTAINERS|IMAGES|SELECTOR|AGE",
                  "apps|scaling|10|2|1|a|a:1|app=s|60m",
                  "apps|quota|9|0|0|a|a:1|app=q|24h",
                  "apps|web-abc|3|3|3|nginx,envoy|nginx:1.27,envoyproxy/envoy:v1.30|"
                  "app=web,pod-template-hash=abc|5m",
                  "apps|unready|2|2|1|c1,c2,c3,c4,c5,c6|i1,i2,i3,i4,i5,i6|app=u|7d",
                  "apps|defaults|1|0|0|||<none>|5m",
                  "apps|deleting|1|1|1|||app=x|24h",
                  "apps|old|0|0|0|nginx|nginx:1.25|app=web,!canary,env notin (dev,prod),team|365d",
                  NULL,
              });
    kt_state(&f, "web-abc", OBJ_STATE_OK);
    kt_state(&f, "old", OBJ_STATE_OK);
    kt_state(&f, "scaling", OBJ_STATE_PENDING);
    kt_state(&f, "quota", OBJ_STATE_ERROR);
    kt_state(&f, "unready", OBJ_STATE_ERROR);
    kt_state(&f, "defaults", OBJ_STATE_PENDING);
    kt_state(&f, "deleting", OBJ_STATE_TERMINATING);
    assert_string_equal(kt_selector(&f, "old"), "app=web,!canary,env notin (dev,prod),team");
    assert_int_equal(f.k->caps, KIND_SCALABLE | KIND_LOGS);
    kt_free(&f);
}

/* ---- statefulsets --------------------------------------------------------------------------- */

static const char *const statefulsets[] = {
    META("data", "db", T_7D) ",'labels':{'app':'db'}},'spec':{'replicas':3,'serviceName':'db-hl',"
                             "'selector':{'matchLabels':{'app':'db'}},'template':{'spec':{"
                             "'containers':[{'name':'postgres','image':'postgres:16'},{'name':"
                             "'exporter','image':'exporter:0.15'}]}}},'status':{'replicas':3,"
                             "'readyReplicas':2,'availableReplicas':2,'updatedReplicas':3,"
                             "'currentRevision':'db-1','updateRevision':'db-1'}}",
    META("data", "cache", T_1Y) "},'spec':{'replicas':0,'selector':{'matchLabels':{'app':'c'}},"
                                "'template':{'spec':{'containers':[{'name':'redis','image':"
                                "'redis:7'}]}}}}",
    META("data", "rolling", T_1H) "},'spec':{'replicas':3,'serviceName':'r','selector':{"
                                  "'matchLabels':{'app':'r'}}},'status':{'replicas':3,"
                                  "'readyReplicas':3,'updatedReplicas':1,'currentRevision':'r-1',"
                                  "'updateRevision':'r-2'}}",
    META("data", "defaults", T_5M) "}}",
    META("data", "gone", T_1D) GONE "},'spec':{'replicas':1,'serviceName':'g'},'status':{"
                                    "'replicas':1,'readyReplicas':1}}",
    META("data", "ok", T_1D) "},'spec':{'replicas':2,'serviceName':'ok','selector':{"
                             "'matchLabels':{'app':'ok'}}},'status':{'replicas':2,'readyReplicas':"
                             "2,'availableReplicas':2,'updatedReplicas':2,'currentRevision':"
                             "'ok-1','updateRevision':'ok-1'}}",
    NULL,
};

static void test_statefulsets(void **state)
{
    (void)state;
    kt_identity("statefulsets", "apps", "v1", "statefulset", "StatefulSet",
                (const char *const[]){"sts", "StatefulSet", "statefulsets.apps", NULL});
    struct kt f;
    kt_load(&f, "statefulsets", statefulsets);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|READY|SERVICE|AGE",
                  "cache|0/0|<none>|365d",
                  "db|2/3|db-hl|7d",
                  "defaults|0/1|<none>|5m",
                  "gone|1/1|g|24h",
                  "ok|2/2|ok|24h",
                  "rolling|3/3|r|60m",
                  NULL,
              });
    kt_expect(&f, true, true, "READY", true,
              (const char *const[]){
                  "NAMESPACE|NAME|READY|SELECTOR|SERVICE|CONTAINERS|IMAGES|LABELS|AGE",
                  "data|rolling|3/3|app=r|r||||60m",
                  "data|db|2/3|app=db|db-hl|postgres,exporter|postgres:16,exporter:0.15|app=db|7d",
                  "data|ok|2/2|app=ok|ok||||24h",
                  "data|gone|1/1|<none>|g||||24h",
                  "data|defaults|0/1|<none>|<none>||||5m",
                  "data|cache|0/0|app=c|<none>|redis|redis:7||365d",
                  NULL,
              });
    kt_state(&f, "db", OBJ_STATE_ERROR);
    kt_state(&f, "cache", OBJ_STATE_OK);
    kt_state(&f, "rolling", OBJ_STATE_PENDING);
    kt_state(&f, "defaults", OBJ_STATE_PENDING);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    kt_state(&f, "ok", OBJ_STATE_OK);
    assert_string_equal(kt_selector(&f, "db"), "app=db");
    assert_int_equal(f.k->caps, KIND_SCALABLE | KIND_RESTARTABLE | KIND_LOGS);
    kt_free(&f);
}

/* ---- daemonsets ----------------------------------------------------------------------------- */

#define DS_STATUS(d, c, r, u, a, m)                                                                \
    "'status':{'desiredNumberScheduled':" d ",'currentNumberScheduled':" c ",'numberReady':" r     \
    ",'updatedNumberScheduled':" u ",'numberAvailable':" a ",'numberMisscheduled':" m "}}"

static const char *const daemonsets[] = {
    META("sys", "exporter", T_7D) ",'labels':{'app':'exporter'}},'spec':{'selector':{"
                                  "'matchLabels':{'app':'exporter'}}}," DS_STATUS("5", "5", "4",
                                                                                  "3", "4", "0"),
    META("sys", "ok", T_1D) "},'spec':{'selector':{'matchLabels':{'app':'ok'}}}," DS_STATUS(
        "3", "3", "3", "3", "3", "0"),
    META("sys", "misplaced", T_1D) "},'spec':{}," DS_STATUS("2", "2", "2", "2", "2", "1"),
    META("sys", "unready", T_1H) "},'spec':{}," DS_STATUS("12", "12", "1", "12", "1", "0"),
    META("sys", "empty", T_5M) "}}",
    META("sys", "gone", T_1Y) GONE "},'spec':{}," DS_STATUS("1", "1", "1", "1", "1", "0"),
    NULL,
};

static void test_daemonsets(void **state)
{
    (void)state;
    kt_identity("daemonsets", "apps", "v1", "daemonset", "DaemonSet",
                (const char *const[]){"ds", "DaemonSet", "daemonsets.apps", NULL});
    struct kt f;
    kt_load(&f, "daemonsets", daemonsets);
    kt_expect(&f, false, false, "DESIRED", true,
              (const char *const[]){
                  "NAME|DESIRED|CURRENT|READY|UP-TO-DATE|AVAILABLE|AGE",
                  "unready|12|12|1|12|1|60m",
                  "exporter|5|5|4|3|4|7d",
                  "ok|3|3|3|3|3|24h",
                  "misplaced|2|2|2|2|2|24h",
                  "gone|1|1|1|1|1|365d",
                  "empty|0|0|0|0|0|5m",
                  NULL,
              });
    kt_expect(&f, true, true, "AGE", false,
              (const char *const[]){
                  "NAMESPACE|NAME|DESIRED|CURRENT|READY|UP-TO-DATE|AVAILABLE|LABELS|AGE",
                  "sys|empty|0|0|0|0|0||5m",
                  "sys|unready|12|12|1|12|1||60m",
                  "sys|misplaced|2|2|2|2|2||24h",
                  "sys|ok|3|3|3|3|3||24h",
                  "sys|exporter|5|5|4|3|4|app=exporter|7d",
                  "sys|gone|1|1|1|1|1||365d",
                  NULL,
              });
    kt_state(&f, "exporter", OBJ_STATE_PENDING);
    kt_state(&f, "ok", OBJ_STATE_OK);
    kt_state(&f, "misplaced", OBJ_STATE_ERROR);
    kt_state(&f, "unready", OBJ_STATE_ERROR);
    kt_state(&f, "empty", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    assert_string_equal(kt_selector(&f, "exporter"), "app=exporter");
    assert_string_equal(kt_selector(&f, "empty"), "<none>");
    assert_int_equal(f.k->caps, KIND_RESTARTABLE | KIND_LOGS);
    kt_free(&f);
}

/* ---- jobs ----------------------------------------------------------------------------------- */

static const char *const jobs[] = {
    META("batch", "migrate", "2026-01-01T00:00:00Z") "},'spec':{'completions':3,'parallelism':1,"
                                                     "'selector':{'matchLabels':{'batch."
                                                     "kubernetes.io/controller-uid':'u1'}},"
                                                     "'template':{'spec':{'containers':[{'name':"
                                                     "'migrate','image':'migrate:4'}]}}},"
                                                     "'status':{'startTime':"
                                                     "'2026-01-01T00:00:05Z','completionTime':"
                                                     "'2026-01-01T00:02:10Z','succeeded':3,"
                                                     "'conditions':[{'type':'Complete','status':"
                                                     "'True'}]}}",
    /* A work queue: no completions, several pods in parallel. */
    META("batch", "queue", T_1H) "},'spec':{'parallelism':4},'status':{'startTime':'" T_1H "',"
                                 "'active':4,'succeeded':1}}",
    META("batch", "single", T_45S) "},'spec':{'parallelism':1},'status':{'startTime':'" T_45S "',"
                                   "'active':1}}",
    META("batch", "bare", T_5M) "}}",
    /* Failed jobs have no completionTime: kubectl's duration keeps counting. */
    META("batch", "failed", T_1D) "},'spec':{'completions':5,'parallelism':2},'status':{"
                                  "'startTime':'" T_1D "','failed':2,'succeeded':1,'conditions':[{"
                                  "'type':'FailureTarget','status':'True'},{'type':'Failed',"
                                  "'status':'True','reason':'BackoffLimitExceeded'}]}}",
    META("batch", "suspended", T_7D) "},'spec':{'suspend':true,'completions':2},'status':{"
                                     "'conditions':[{'type':'Suspended','status':'True'}]}}",
    META("batch", "gone", T_1D) GONE "},'spec':{'completions':1},'status':{'startTime':'" T_1D "',"
                                     "'completionTime':'2025-12-31T00:13:00Z','succeeded':1,"
                                     "'conditions':[{'type':'Complete','status':'True'}]}}",
    META("batch", "many", T_1Y) "},'spec':{'completions':10,'parallelism':10,'template':{'spec':{"
                                "'containers':[{'name':'a','image':'a'},{'name':'b','image':'b'},"
                                "{'name':'c','image':'c'},{'name':'d','image':'d'},{'name':'e',"
                                "'image':'e'}]}}},'status':{'succeeded':10,'startTime':"
                                "'2025-01-01T00:10:00Z','completionTime':'2025-01-08T06:10:00Z',"
                                "'conditions':[{'type':'Complete','status':'True'}]}}",
    NULL,
};

static void test_jobs(void **state)
{
    (void)state;
    kt_identity("jobs", "batch", "v1", "job", "Job",
                (const char *const[]){"jo", "job", "Job", "jobs.batch", NULL});
    struct kt f;
    kt_load(&f, "jobs", jobs);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|COMPLETIONS|DURATION|AGE",
                  "bare|0/1||5m",
                  "failed|1/5|24h|24h",
                  "gone|1/1|3m|24h",
                  "many|10/10|7d6h|365d",
                  "migrate|3/3|2m5s|10m",
                  "queue|1/1 of 4|60m|60m",
                  "single|0/1|45s|45s",
                  "suspended|0/2||7d",
                  NULL,
              });
    /* An hour later the running and failed jobs' durations have moved on, the others not. */
    kt_expect_at(&f, NOW + 3600, true, true, "DURATION", false,
                 (const char *const[]){
                     "NAMESPACE|NAME|COMPLETIONS|DURATION|SELECTOR|CONTAINERS|IMAGES|AGE",
                     "batch|bare|0/1||<none>|||65m",
                     "batch|suspended|0/2||<none>|||7d1h",
                     "batch|migrate|3/3|2m5s|batch.kubernetes.io/controller-uid=u1|migrate|"
                     "migrate:4|70m",
                     "batch|gone|1/1|3m|<none>|||25h",
                     "batch|single|0/1|60m|<none>|||60m",
                     "batch|queue|1/1 of 4|120m|<none>|||120m",
                     "batch|failed|1/5|25h|<none>|||25h",
                     "batch|many|10/10|7d6h|<none>|a,b,c,d,e|a,b,c,d,e|365d",
                     NULL,
                 });
    kt_expect(&f, false, false, "COMPLETIONS", true,
              (const char *const[]){
                  "NAME|COMPLETIONS|DURATION|AGE",
                  "many|10/10|7d6h|365d",
                  "migrate|3/3|2m5s|10m",
                  "failed|1/5|24h|24h",
                  "gone|1/1|3m|24h",
                  "queue|1/1 of 4|60m|60m",
                  "suspended|0/2||7d",
                  "bare|0/1||5m",
                  "single|0/1|45s|45s",
                  NULL,
              });
    kt_state(&f, "migrate", OBJ_STATE_COMPLETED);
    kt_state(&f, "queue", OBJ_STATE_OK);
    kt_state(&f, "bare", OBJ_STATE_PENDING);
    kt_state(&f, "failed", OBJ_STATE_ERROR);
    kt_state(&f, "suspended", OBJ_STATE_PENDING);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    assert_string_equal(kt_selector(&f, "migrate"), "batch.kubernetes.io/controller-uid=u1");
    assert_int_equal(f.k->caps, KIND_LOGS);
    kt_free(&f);
}

/* ---- cronjobs ------------------------------------------------------------------------------- */

static const char *const cronjobs[] = {
    META("batch", "backup", T_7D) ",'labels':{'team':'storage'}},'spec':{'schedule':'0 3 * * *',"
                                  "'suspend':false,'jobTemplate':{'spec':{'template':{'spec':{"
                                  "'containers':[{'name':'backup','image':'backup:2'}]}}}}},"
                                  "'status':{'lastScheduleTime':'" T_1H "','active':[{'kind':"
                                  "'Job','name':'backup-1'},{'kind':'Job','name':'backup-2'}]}}",
    META("batch", "report", T_1Y) "},'spec':{'schedule':'*/15 9-17 * * 1-5','timeZone':"
                                  "'Europe/Paris','suspend':true,'jobTemplate':{'spec':{"
                                  "'template':{'spec':{'containers':[{'name':'report','image':"
                                  "'report:1'},{'name':'mailer','image':'mailer:3'}]}}}}}}",
    /* suspend absent (the server would default it to false), an empty active list, and a job
     * template with its own selector. */
    META("batch", "hourly", T_1D) "},'spec':{'schedule':'@hourly','jobTemplate':{'spec':{"
                                  "'selector':{'matchLabels':{'x':'y'}}}}},'status':{'active':[],"
                                  "'lastScheduleTime':'" T_5M "'}}",
    META("batch", "gone", T_1D) GONE "},'spec':{'schedule':'0 0 1 1 *'}}",
    NULL,
};

static void test_cronjobs(void **state)
{
    (void)state;
    kt_identity("cronjobs", "batch", "v1", "cronjob", "CronJob",
                (const char *const[]){"cj", "CronJob", "cronjobs.batch", NULL});
    struct kt f;
    kt_load(&f, "cronjobs", cronjobs);
    kt_expect(&f, false, false, NULL, false,
              (const char *const[]){
                  "NAME|SCHEDULE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE",
                  "backup|0 3 * * *|False|2|60m|7d",
                  "gone|0 0 1 1 *|False|0|<none>|24h",
                  "hourly|@hourly|False|0|5m|24h",
                  "report|*/15 9-17 * * 1-5|True|0|<none>|365d",
                  NULL,
              });
    kt_expect_at(&f, NOW + 60, true, true, "LAST SCHEDULE", false,
                 (const char *const[]){
                     "NAMESPACE|NAME|SCHEDULE|SUSPEND|ACTIVE|LAST SCHEDULE|SELECTOR|CONTAINERS|"
                     "IMAGES|LABELS|AGE",
                     "batch|gone|0 0 1 1 *|False|0|<none>|<none>||||24h",
                     "batch|report|*/15 9-17 * * 1-5|True|0|<none>|<none>|report,mailer|"
                     "report:1,mailer:3||365d",
                     "batch|hourly|@hourly|False|0|6m|x=y||||24h",
                     "batch|backup|0 3 * * *|False|2|61m|<none>|backup|backup:2|team=storage|7d",
                     NULL,
                 });
    kt_expect(&f, false, false, "ACTIVE", true,
              (const char *const[]){
                  "NAME|SCHEDULE|SUSPEND|ACTIVE|LAST SCHEDULE|AGE",
                  "backup|0 3 * * *|False|2|60m|7d",
                  "gone|0 0 1 1 *|False|0|<none>|24h",
                  "hourly|@hourly|False|0|5m|24h",
                  "report|*/15 9-17 * * 1-5|True|0|<none>|365d",
                  NULL,
              });
    kt_state(&f, "backup", OBJ_STATE_OK);
    kt_state(&f, "gone", OBJ_STATE_TERMINATING);
    assert_int_equal(f.k->selector, -1); /* Enter leads to jobs, not pods */
    assert_int_equal(f.k->caps, 0);
    kt_free(&f);
}

/* Pods stay the first workload kind (the TUI starts there), and every kind of the group is
 * registered once. */
static void test_registry(void **state)
{
    (void)state;
    assert_string_equal(kind_at(0)->resource, "pods");
    const char *names[] = {"deployments", "replicasets", "statefulsets",
                           "daemonsets",  "jobs",        "cronjobs"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t n = 0;
        for (size_t j = 0; j < kind_count(); j++)
            n += strcmp(kind_at(j)->resource, names[i]) == 0;
        assert_int_equal(n, 1);
    }
    struct strbuf p = {0};
    kind_path(kind_lookup("cj"), "batch", &p);
    assert_string_equal(strbuf_str(&p), "/apis/batch/v1/namespaces/batch/cronjobs");
    strbuf_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deployments),  cmocka_unit_test(test_replicasets),
        cmocka_unit_test(test_statefulsets), cmocka_unit_test(test_daemonsets),
        cmocka_unit_test(test_jobs),         cmocka_unit_test(test_cronjobs),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
