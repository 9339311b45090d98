/* describe: the renderers, from parsed objects to kubectl describe's text, at a fixed clock in
 * UTC. The differential e2e test holds the whole layouts against kubectl; these pin the rules
 * (folding, sorting, ages, sums, selection) one at a time, and the requests each kind plans. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model/describe.h"
#include "util/rfc3339.h"

struct rep {
    const char *json; /* NULL: the request failed */
    long status;
    const char *error;
};

static int64_t now_s;

static struct describer_target target(const char *group, const char *kind)
{
    return (struct describer_target){.group = group,
                                     .version = "v1",
                                     .resource = "x",
                                     .kind = kind,
                                     .namespaced = true,
                                     .ns = "ns",
                                     .name = "x"};
}

/* Renders obj (NULL: its GET failed with obj_error) with the replies; returns the text (caller
 * frees) or NULL with the error in err. */
static char *render(const char *group, const char *kind, const char *obj, const struct rep *reps,
                    size_t n, const char *obj_error, char *err)
{
    struct describer_target t = target(group, kind);
    struct describer_reply replies[DESCRIBER_MAX_REQS] = {{0}};
    for (size_t i = 0; i < n; i++) {
        replies[i].ok = reps[i].json != NULL;
        replies[i].status = reps[i].status ? reps[i].status : (reps[i].json ? 200 : 500);
        replies[i].json = reps[i].json ? cJSON_Parse(reps[i].json) : NULL;
        snprintf(replies[i].error, sizeof replies[i].error, "%s",
                 reps[i].error ? reps[i].error : "");
        if (reps[i].json && !replies[i].json)
            fail_msg("reply %zu is not JSON", i);
    }
    cJSON *o = obj ? cJSON_Parse(obj) : NULL;
    if (obj && !o)
        fail_msg("the object is not JSON");
    struct describer_result res = {.target = &t,
                                   .obj = o,
                                   .obj_status = o ? 200 : 404,
                                   .obj_error = obj_error ? obj_error : "",
                                   .replies = replies,
                                   .n = n,
                                   .now = now_s};
    struct strbuf out = {0};
    struct err e = {0};
    bool ok = describe_hooks.render(&res, &out, &e);
    cJSON_Delete(o);
    for (size_t i = 0; i < n; i++)
        cJSON_Delete(replies[i].json);
    if (err)
        snprintf(err, ERR_MSG_MAX, "%s", e.msg);
    if (!ok) {
        strbuf_free(&out);
        return NULL;
    }
    return strbuf_take(&out);
}

/* s with every run of spaces made one space (the tabwriter's padding is checked by the tests
 * that compare whole texts). */
static char *squeezed(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    for (; *s; s++)
        if (*s != ' ' || o == out || o[-1] != ' ')
            *o++ = *s;
    *o = '\0';
    return out;
}

static void has(const char *text, const char *line)
{
    char *t = squeezed(text), *l = squeezed(line);
    bool found = strstr(t, l) != NULL;
    if (!found)
        fprintf(stderr, "no \"%s\" in:\n%s\n", line, text);
    free(t);
    free(l);
    if (!found)
        fail_msg("text missing");
}

static void lacks(const char *text, const char *s)
{
    if (strstr(text, s))
        fail_msg("\"%s\" should not be in:\n%s", s, text);
}

static void test_writer(void **state)
{
    (void)state;
    struct describe_w w = {0};
    describe_write(&w, 2, "Name:\t%s\n", "a\x1b]0;evil\x07\rb");
    struct strbuf out = {0};
    describe_finish(&w, &out);
    /* ESC and CR are escaped as kubectl's WriteEscaped does; the rest is left to sanitize. */
    assert_string_equal(strbuf_str(&out), "    Name:  a^[]0;evil\x07\\rb\n");
    strbuf_free(&out);
}

#define POD_HEAD                                                                                   \
    "\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u1\","                            \
    "\"creationTimestamp\":\"2025-02-01T00:00:00Z\""

static void test_pod_layout(void **state)
{
    (void)state;
    const char *pod =
        "{" POD_HEAD ",\"labels\":{\"b\":\"2\",\"a\":\"1\"},"
        "\"ownerReferences\":[{\"kind\":\"ReplicaSet\",\"name\":\"rs\",\"controller\":false},"
        "{\"kind\":\"ReplicaSet\",\"name\":\"rs2\",\"controller\":true}]},"
        "\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\",\"image\":\"img\","
        "\"ports\":[{\"containerPort\":80,\"protocol\":\"TCP\"}],"
        "\"env\":[{\"name\":\"N\",\"valueFrom\":{\"fieldRef\":{\"apiVersion\":\"v1\","
        "\"fieldPath\":\"metadata.name\"}}},{\"name\":\"IP\",\"valueFrom\":{\"fieldRef\":"
        "{\"apiVersion\":\"v1\",\"fieldPath\":\"status.podIP\"}}}],"
        "\"volumeMounts\":[{\"name\":\"v\",\"mountPath\":\"/z\"},{\"name\":\"v\","
        "\"mountPath\":\"/a\",\"readOnly\":true,\"subPath\":\"s\\\"q\"}]}],"
        "\"tolerations\":[{\"key\":\"k\",\"operator\":\"Exists\",\"effect\":\"NoExecute\","
        "\"tolerationSeconds\":300},{\"operator\":\"Exists\"}]},"
        "\"status\":{\"phase\":\"Running\",\"hostIP\":\"10.0.0.1\",\"podIP\":\"10.1.0.1\","
        "\"podIPs\":[{\"ip\":\"10.1.0.1\"}],\"startTime\":\"2025-02-01T00:00:05Z\","
        "\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
        "\"containerStatuses\":[{\"name\":\"c\",\"ready\":true,\"restartCount\":2,"
        "\"containerID\":\"cid\",\"imageID\":\"iid\","
        "\"state\":{\"running\":{\"startedAt\":\"2025-02-01T00:00:06Z\"}}}]}}";
    const struct rep ev[] = {{"[]", 0, NULL}};
    char *text = render("", "Pod", pod, ev, 1, NULL, NULL);
    assert_non_null(text);
    const char *want = "Name:         p\n"
                       "Namespace:    ns\n"
                       "Node:         n1/10.0.0.1\n"
                       "Start Time:   Sat, 01 Feb 2025 00:00:05 +0000\n"
                       "Labels:       a=1\n"
                       "              b=2\n"
                       "Annotations:  <none>\n"
                       "Status:       Running\n"
                       "IP:           10.1.0.1\n"
                       "IPs:\n"
                       "  IP:           10.1.0.1\n"
                       "Controlled By:  ReplicaSet/rs2\n"
                       "Containers:\n"
                       "  c:\n"
                       "    Container ID:   cid\n"
                       "    Image:          img\n"
                       "    Image ID:       iid\n"
                       "    Port:           80/TCP\n"
                       "    Host Port:      0/TCP\n"
                       "    State:          Running\n"
                       "      Started:      Sat, 01 Feb 2025 00:00:06 +0000\n"
                       "    Ready:          True\n"
                       "    Restart Count:  2\n"
                       "    Environment:\n"
                       "      N:   p (v1:metadata.name)\n"
                       "      IP:   (v1:status.podIP)\n"
                       "    Mounts:\n"
                       "      /a from v (ro,path=\"s\\\"q\")\n"
                       "      /z from v (rw)\n"
                       "Conditions:\n"
                       "  Type           Status\n"
                       "  Ready          True \n"
                       "Volumes:         <none>\n"
                       "QoS Class:       BestEffort\n"
                       "Node-Selectors:  <none>\n"
                       "Tolerations:     op=Exists\n"
                       "                 k:NoExecute op=Exists for 300s\n"
                       "Events:          <none>\n";
    if (strcmp(text, want) != 0)
        fail_msg("got:\n%s\nwant:\n%s", text, want);
    free(text);
}

static void test_pod_states_and_qos(void **state)
{
    (void)state;
    const char *pod =
        "{" POD_HEAD ",\"deletionTimestamp\":\"2025-02-28T23:59:00Z\","
        "\"deletionGracePeriodSeconds\":30},"
        "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\",\"resources\":{"
        "\"requests\":{\"cpu\":\"1\",\"memory\":\"1Gi\"},\"limits\":{\"cpu\":\"1000m\","
        "\"memory\":\"1024Mi\"}}}],\"initContainers\":[{\"name\":\"i\",\"image\":\"i\","
        "\"resources\":{\"limits\":{\"cpu\":\"2\",\"memory\":\"1Gi\"},\"requests\":{\"cpu\":"
        "\"2\",\"memory\":\"1Gi\"}}}]},"
        "\"status\":{\"phase\":\"Running\",\"reason\":\"R\",\"message\":\"M\","
        "\"initContainerStatuses\":[{\"name\":\"i\",\"state\":{\"terminated\":{"
        "\"exitCode\":0,\"reason\":\"Completed\",\"startedAt\":\"2025-02-01T00:00:00Z\","
        "\"finishedAt\":\"2025-02-01T00:00:09Z\"}}}],"
        "\"containerStatuses\":[{\"name\":\"c\",\"restartCount\":3,\"state\":{\"waiting\":"
        "{\"reason\":\"CrashLoopBackOff\"}},\"lastState\":{\"terminated\":{\"exitCode\":137,"
        "\"signal\":9,\"reason\":\"OOMKilled\",\"message\":\"oom\"}}}]}}";
    char *text = render("", "Pod", pod, NULL, 0, NULL, NULL);
    has(text, "Status:                    Terminating (lasts 60s)\n"
              "Termination Grace Period:  30s\n"
              "Reason:                    R\n"
              "Message:                   M\n");
    has(text, "Init Containers:\n  i:\n");
    has(text, "    State:          Terminated\n      Reason:       Completed\n"
              "      Exit Code:    0\n      Started:      Sat, 01 Feb 2025 00:00:00 +0000\n");
    has(text, "    State:          Waiting\n      Reason:       CrashLoopBackOff\n"
              "    Last State:     Terminated\n      Reason:       OOMKilled\n"
              "      Message:      oom\n      Exit Code:    137\n      Signal:       9\n"
              "      Started:      Mon, 01 Jan 0001 00:00:00 +0000\n");
    /* Requests equal limits for cpu and memory everywhere: Guaranteed, computed. */
    has(text, "QoS Class:       Guaranteed\n");
    /* Without events fetched there is no Events section at all. */
    lacks(text, "Events:");
    free(text);

    const char *burst = "{" POD_HEAD "},\"spec\":{\"containers\":[{\"name\":\"c\",\"resources\":{"
                        "\"requests\":{\"cpu\":\"1\"},\"limits\":{\"cpu\":\"1\"}}}]},"
                        "\"status\":{\"phase\":\"Pending\"}}";
    text = render("", "Pod", burst, NULL, 0, NULL, NULL);
    has(text, "QoS Class:       Burstable\n");
    has(text, "Node:             <none>\n");
    has(text, "IPs:              <none>\n");
    free(text);
}

static void test_pod_missing(void **state)
{
    (void)state;
    char err[ERR_MSG_MAX];
    const struct rep ev[] = {{"[{\"type\":\"Normal\",\"reason\":\"Killing\",\"message\":\"bye\","
                              "\"source\":{\"component\":\"kubelet\"},\"count\":1,"
                              "\"firstTimestamp\":\"2025-02-28T00:00:00Z\","
                              "\"lastTimestamp\":\"2025-02-28T00:00:00Z\"}]",
                              0, NULL}};
    char *text = render("", "Pod", NULL, ev, 1, "pods \"x\" not found", err);
    assert_non_null(text);
    assert_string_equal(text, "Pod 'x': error 'pods \"x\" not found', but found events.\n"
                              "Events:\n"
                              "  Type    Reason   Age   From     Message\n"
                              "  ----    ------   ----  ----     -------\n"
                              "  Normal  Killing  24h   kubelet  bye\n");
    free(text);
    const struct rep none[] = {{"[]", 0, NULL}};
    assert_null(render("", "Pod", NULL, none, 1, "pods \"x\" not found", err));
    assert_string_equal(err, "pods \"x\" not found");
}

static void test_metadata_folding(void **state)
{
    (void)state;
    char long_value[200];
    memset(long_value, 'v', sizeof long_value - 1);
    long_value[sizeof long_value - 1] = '\0';
    char obj[1024];
    snprintf(obj, sizeof obj,
             "{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\",\"annotations\":{"
             "\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\",\"z\":\"%s\","
             "\"m\":\"one\\ntwo\\n\",\"a\":\"short\"}},\"type\":\"Opaque\",\"data\":{"
             "\"k2\":\"YWJj\",\"k1\":\"YWI=\",\"k3\":\"YQ\",\"k0\":\"\"}}",
             long_value);
    char *text = render("", "Secret", obj, NULL, 0, NULL, NULL);
    has(text, "Labels:       <none>\n"
              "Annotations:  a: short\n"
              "              m:\n"
              "                one\n"
              "                two\n"
              "              z:\n"
              "                vvvv");
    has(text, "vvv...\n\nType:  Opaque\n\nData\n====\nk0:  0 bytes\nk1:  2 bytes\nk2:  3 bytes\n"
              "k3:  1 bytes\n");
    lacks(text, "last-applied");
    lacks(text, "YWJj");
    /* The folded line is cut at 138 bytes. */
    const char *v = strstr(text, "                vvv");
    assert_non_null(v);
    assert_int_equal(strcspn(v + 16, "."), 138);
    free(text);
}

static void test_events(void **state)
{
    (void)state;
    const char *events =
        "[{\"type\":\"Warning\",\"reason\":\"BackOff\",\"message\":\"  padded \\n\","
        "\"source\":{\"component\":\"kubelet\"},\"count\":3,"
        "\"firstTimestamp\":\"2025-02-27T00:00:00Z\",\"lastTimestamp\":\"2025-02-28T23:55:00Z\"},"
        "{\"type\":\"Normal\",\"reason\":\"Series\",\"message\":\"m\",\"reportingComponent\":"
        "\"sched\",\"eventTime\":\"2025-02-28T20:00:00.123456Z\",\"series\":{\"count\":7,"
        "\"lastObservedTime\":\"2025-02-28T23:00:00.000000Z\"}},"
        "{\"type\":\"Normal\",\"reason\":\"Old\",\"message\":\"first\",\"count\":1,"
        "\"source\":{\"component\":\"x\"},\"lastTimestamp\":\"2025-02-01T00:00:00Z\"}]";
    const char *more = "[{\"type\":\"Normal\",\"reason\":\"ByName\",\"message\":\"k\","
                       "\"source\":{\"component\":\"kubelet\"},\"count\":1,"
                       "\"firstTimestamp\":\"2025-02-10T00:00:00Z\","
                       "\"lastTimestamp\":\"2025-02-10T00:00:00Z\"}]";
    cJSON *a = cJSON_Parse(events), *b = cJSON_Parse(more);
    struct describe_w w = {.now = now_s};
    describe_events(&w, a, b);
    struct strbuf out = {0};
    describe_finish(&w, &out);
    /* Sorted by lastTimestamp (a series event has none: first); unknown first times; trimmed. */
    assert_string_equal(strbuf_str(&out),
                        "Events:\n"
                        "  Type     Reason   Age               From     Message\n"
                        "  ----     ------   ----              ----     -------\n"
                        "  Normal   Series   60m (x7 over 4h)  sched    m\n"
                        "  Normal   Old      <unknown>         x        first\n"
                        "  Normal   ByName   19d               kubelet  k\n"
                        "  Warning  BackOff  5m (x3 over 2d)   kubelet  padded\n");
    strbuf_free(&out);
    cJSON_Delete(a);
    cJSON_Delete(b);
}

static void test_node_resources(void **state)
{
    (void)state;
    const char *node =
        "{\"metadata\":{\"name\":\"n\",\"uid\":\"nu\",\"labels\":{"
        "\"node-role.kubernetes.io/worker\":\"\",\"kubernetes.io/role\":\"gpu\","
        "\"node-role.kubernetes.io/\":\"\"},\"creationTimestamp\":\"2025-01-01T00:00:00Z\"},"
        "\"spec\":{\"taints\":[{\"key\":\"b\",\"effect\":\"NoSchedule\"},{\"key\":\"a\","
        "\"value\":\"v\",\"effect\":\"NoSchedule\"},{\"key\":\"c\",\"effect\":\"NoExecute\"}]},"
        "\"status\":{\"capacity\":{\"cpu\":\"2\",\"memory\":\"4Gi\"},\"allocatable\":{"
        "\"cpu\":\"2\",\"memory\":\"4Gi\",\"pods\":\"10\",\"example.com/gpu\":\"1\"}}}";
    const char *pods =
        "[{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"creationTimestamp\":"
        "\"2025-02-28T00:00:00Z\"},\"spec\":{\"initContainers\":[{\"name\":\"setup\","
        "\"resources\":{\"requests\":{\"cpu\":\"1500m\"}}},{\"name\":\"side\",\"restartPolicy\":"
        "\"Always\",\"resources\":{\"requests\":{\"cpu\":\"100m\",\"memory\":\"64Mi\"},"
        "\"limits\":{\"memory\":\"128Mi\"}}}],\"containers\":[{\"name\":\"c\",\"resources\":{"
        "\"requests\":{\"cpu\":\"250m\",\"memory\":\"1Gi\",\"example.com/gpu\":\"1\"},\"limits\":"
        "{\"cpu\":\"1\",\"example.com/gpu\":\"1\"}}}],\"overhead\":{\"cpu\":\"10m\"}}}]";
    const struct rep reps[] = {{"[]", 0, NULL},
                               {"[]", 0, NULL},
                               {pods, 0, NULL},
                               {NULL, 404, "leases.coordination.k8s.io \"n\" not found"}};
    char *text = render("", "Node", node, reps, 4, NULL, NULL);
    assert_non_null(text);
    has(text, "Roles:              gpu,worker\n");
    has(text, "Taints:             c:NoExecute\n"
              "                    a=v:NoSchedule\n"
              "                    b:NoSchedule\n");
    has(text, "Lease:              Failed to get lease: leases.coordination.k8s.io \"n\" not "
              "found\n");
    /* Requests: max(init 1500m alone, main 250m + sidecar 100m) + overhead 10m = 1510m; the
     * init container's peak counts the sidecars started before it (none). */
    has(text, "  ns                          p       1510m (75%)   1010m (50%)  1088Mi (26%)");
    has(text, "  cpu                1510m (75%)   1010m (50%)\n");
    has(text, "  memory             1088Mi (26%)  128Mi (3%)\n");
    has(text, "  ephemeral-storage  0 (0%)        0 (0%)\n");
    has(text, "  example.com/gpu    1             1\n");
    has(text, "Events:             <none>\n");
    free(text);

    /* Pods the user may not list: the rest is still shown. Any other failure is the error. */
    const struct rep forbidden[] = {{"[]", 0, NULL},
                                    {"[]", 0, NULL},
                                    {NULL, 403, "pods is forbidden"},
                                    {"{\"spec\":{}}", 0, NULL}};
    text = render("", "Node", node, forbidden, 4, NULL, NULL);
    has(text, "Pods:               not authorized\n");
    has(text, "Lease:\n  HolderIdentity:  <unset>\n  AcquireTime:     <unset>\n");
    free(text);
    const struct rep broken[] = {
        {"[]", 0, NULL}, {"[]", 0, NULL}, {NULL, 500, "etcd is down"}, {"{}", 0, NULL}};
    char err[ERR_MSG_MAX];
    assert_null(render("", "Node", node, broken, 4, NULL, err));
    assert_string_equal(err, "etcd is down");
}

#define RS(name, uid, created, image, owner, replicas)                                             \
    "{\"metadata\":{\"name\":\"" name "\",\"uid\":\"" uid "\",\"creationTimestamp\":\"" created    \
    "\",\"ownerReferences\":[{\"kind\":\"Deployment\",\"uid\":\"" owner                            \
    "\",\"controller\":true}]},\"spec\":{\"replicas\":" replicas ",\"template\":{\"metadata\":"    \
    "{\"labels\":{\"app\":\"a\",\"pod-template-hash\":\"" name "\"}},\"spec\":{\"containers\":"    \
    "[{\"name\":\"c\",\"image\":\"" image "\"}]}}},\"status\":{\"replicas\":" replicas "}}"

static void test_deployment_replica_sets(void **state)
{
    (void)state;
    const char *d = "{\"metadata\":{\"name\":\"d\",\"namespace\":\"ns\",\"uid\":\"du\"},"
                    "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"a\"}},"
                    "\"strategy\":{\"type\":\"RollingUpdate\",\"rollingUpdate\":{"
                    "\"maxSurge\":\"25%\",\"maxUnavailable\":0}},\"template\":{\"metadata\":{"
                    "\"labels\":{\"app\":\"a\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                    "\"image\":\"v2\"}]}}},\"status\":{\"replicas\":2}}";
    const char *rs = "[" RS("b", "1", "2025-02-02T00:00:00Z", "v1", "du", "0") "," RS(
        "a", "2", "2025-02-01T00:00:00Z", "v1", "du",
        "1") "," RS("z", "3", "2025-02-05T00:00:00Z", "v2", "du",
                    "2") "," RS("y", "4", "2025-02-06T00:00:00Z", "v2", "du",
                                "0") "," RS("x", "5", "2025-01-01T00:00:00Z", "v2", "other",
                                            "0") "]";
    const struct rep reps[] = {{"[]", 0, NULL}, {rs, 0, NULL}};
    char *text = render("apps", "Deployment", d, reps, 2, NULL, NULL);
    assert_non_null(text);
    has(text, "RollingUpdateStrategy:  0 max unavailable, 25% max surge\n");
    /* The oldest with the deployment's template is new; all others are old, oldest first;
     * another deployment's replica set is not listed. */
    has(text, "OldReplicaSets:         a (1/1 replicas created), b (0/0 replicas created), y "
              "(0/0 replicas created)\n"
              "NewReplicaSet:          z (2/2 replicas created)\n");
    free(text);
    const struct rep none[] = {{"[]", 0, NULL}, {"[]", 0, NULL}};
    text = render("apps", "Deployment", d, none, 2, NULL, NULL);
    lacks(text, "ReplicaSet");
    free(text);
}

static void test_service_endpoints(void **state)
{
    (void)state;
    const char *svc = "{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\"},\"spec\":{"
                      "\"type\":\"ClusterIP\",\"ports\":[{\"name\":\"http\",\"port\":80,"
                      "\"targetPort\":\"web\",\"protocol\":\"TCP\"},{\"name\":\"none\","
                      "\"port\":81,\"targetPort\":81,\"protocol\":\"TCP\"}]}}";
    const char *slices =
        "[{\"ports\":[{\"name\":\"http\",\"port\":8080}],\"endpoints\":["
        "{\"addresses\":[\"10.0.0.1\"]},{\"addresses\":[\"10.0.0.2\"],\"conditions\":{\"ready\":"
        "false}},{\"addresses\":[\"fd00::3\"],\"conditions\":{\"ready\":true}},"
        "{\"addresses\":[\"10.0.0.4\"]},{\"addresses\":[\"10.0.0.5\"]}]},"
        "{\"endpoints\":[{\"addresses\":[\"10.9.9.9\"]}]}]";
    const struct rep reps[] = {{"[]", 0, NULL}, {slices, 0, NULL}};
    char *text = render("", "Service", svc, reps, 2, NULL, NULL);
    has(text, "Selector:           <none>\n");
    has(text, "IP Families:        <none>\n");
    has(text, "TargetPort:         web/TCP\n");
    /* Three shown, the rest counted; not-ready ones left out; IPv6 in brackets; a port-less
     * slice lists bare addresses for every port. */
    has(text, "Endpoints:          10.0.0.1:8080,[fd00::3]:8080,10.0.0.4:8080 + 2 more...\n");
    has(text, "Endpoints:          10.9.9.9\n");
    free(text);
    const struct rep failed[] = {{"[]", 0, NULL}, {NULL, 403, "forbidden"}};
    text = render("", "Service", svc, failed, 2, NULL, NULL);
    has(text, "Endpoints:          <none>\n");
    free(text);
}

static void test_generic(void **state)
{
    (void)state;
    const char *obj =
        "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\","
        "\"namespace\":\"ns\",\"uid\":\"wu\",\"managedFields\":[{\"manager\":\"m\"}],"
        "\"labels\":{\"a\":\"b\"}},\"spec\":{\"replicaCount\":3,\"ratio\":0.5,\"big\":1234567.5,"
        "\"tiny\":0.00001,\"HTTPServer\":true,\"my-field\":\"x\",\"v1beta\":null,"
        "\"items\":[{\"name\":\"i1\"},\"plain\",[1,\"two\"],{\"k\":{\"z\":1,\"a\":[]}}],"
        "\"nested\":{\"podUID\":\"u\",\"sourceURL\":\"s\"}}}";
    const struct rep ev[] = {{"[]", 0, NULL}};
    char *text = render("example.com", "Widget", obj, ev, 1, NULL, NULL);
    assert_string_equal(text, "Name:         w\n"
                              "Namespace:    ns\n"
                              "Labels:       a=b\n"
                              "Annotations:  <none>\n"
                              "API Version:  example.com/v1\n"
                              "Kind:         Widget\n"
                              "Metadata:\n"
                              "  UID:  wu\n"
                              "Spec:\n"
                              "  HTTP Server:  true\n"
                              "  Big:          1.2345675e+06\n"
                              "  Items:\n"
                              "    Name:  i1\n"
                              "    plain\n"
                              "    [1 two]\n"
                              "    K:\n"
                              "      A:\n"
                              "      Z:       1\n"
                              "  My - Field:  x\n"
                              "  Nested:\n"
                              "    Pod UID:      u\n"
                              "    Source URL:   s\n"
                              "  Ratio:          0.5\n"
                              "  Replica Count:  3\n"
                              "  Tiny:           1e-05\n"
                              "  v1beta:         <nil>\n"
                              "Events:           <none>\n");
    free(text);
}

/* ---- plans ------------------------------------------------------------------------------ */

static void plan(const char *group, const char *kind, const char *obj, bool strict,
                 struct describer_plan *p)
{
    struct describer_target t = target(group, kind);
    t.strict = strict;
    cJSON *o = obj ? cJSON_Parse(obj) : NULL;
    memset(p, 0, sizeof *p);
    describe_hooks.plan(&t, o, o ? 200 : 404, p);
    cJSON_Delete(o);
}

static void plan_free(struct describer_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->reqs[i].path);
        free(p->reqs[i].label_selector);
        free(p->reqs[i].field_selector);
    }
}

static void test_plans(void **state)
{
    (void)state;
    struct describer_plan p;
    plan("", "Pod",
         "{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u\",\"annotations\":{"
         "\"kubernetes.io/config.mirror\":\"mirror-uid\"}}}",
         true, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.reqs[0].path, "/api/v1/namespaces/ns/events");
    /* No kind for pods, and a mirror pod's events carry the mirror annotation as uid. */
    assert_string_equal(p.reqs[0].field_selector,
                        "involvedObject.name=p,involvedObject.namespace=ns,"
                        "involvedObject.uid=mirror-uid");
    assert_true(p.reqs[0].list && p.reqs[0].limit);
    plan_free(&p);
    plan("", "Pod", NULL, false, &p); /* gone: its events by name */
    assert_int_equal(p.n, 1);
    assert_string_equal(p.reqs[0].field_selector,
                        "involvedObject.name=x,involvedObject.namespace=ns");
    plan_free(&p);
    plan("", "Pod", NULL, true, &p);
    assert_int_equal(p.n, 0);

    plan("", "Node", "{\"metadata\":{\"name\":\"n\",\"uid\":\"nu\"}}", true, &p);
    assert_int_equal(p.n, 4);
    assert_string_equal(p.reqs[0].path, "/api/v1/events");
    assert_string_equal(p.reqs[0].field_selector,
                        "involvedObject.name=n,involvedObject.namespace=,involvedObject.kind=Node,"
                        "involvedObject.uid=nu");
    assert_string_equal(p.reqs[1].field_selector,
                        "involvedObject.name=n,involvedObject.namespace=,involvedObject.kind=Node,"
                        "involvedObject.uid=n");
    assert_string_equal(p.reqs[2].path, "/api/v1/pods");
    assert_string_equal(p.reqs[2].field_selector,
                        "spec.nodeName=n,status.phase!=Succeeded,status.phase!=Failed");
    assert_string_equal(p.reqs[3].path,
                        "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n");
    assert_false(p.reqs[3].list);
    plan_free(&p);

    plan("apps", "Deployment",
         "{\"metadata\":{\"name\":\"d\",\"namespace\":\"ns\",\"uid\":\"du\"},\"spec\":{"
         "\"selector\":{\"matchLabels\":{\"b\":\"2\",\"a\":\"1\"},\"matchExpressions\":[{\"key\":"
         "\"t\",\"operator\":\"NotIn\",\"values\":[\"y\",\"x\"]}]}}}",
         true, &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.reqs[1].path, "/apis/apps/v1/namespaces/ns/replicasets");
    assert_string_equal(p.reqs[1].label_selector, "a=1,b=2,t notin (x,y)");
    plan_free(&p);

    plan("", "Service", "{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\",\"uid\":\"su\"}}", true,
         &p);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.reqs[1].label_selector, "kubernetes.io/service-name=s");
    assert_false(p.reqs[1].limit); /* kubectl asks for every slice at once */
    plan_free(&p);

    plan("", "Secret", "{\"metadata\":{\"name\":\"s\",\"namespace\":\"ns\"}}", true, &p);
    assert_int_equal(p.n, 0); /* kubectl looks for no events about secrets */

    plan("example.com", "Widget",
         "{\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\",\"namespace\":\"ns\",\"uid\":\"wu\"}}",
         true, &p);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.reqs[0].field_selector,
                        "involvedObject.name=w,involvedObject.namespace=ns,"
                        "involvedObject.kind=Widget,involvedObject.uid=wu");
    plan_free(&p);
    assert_ptr_equal(describe_for("apps", "Deployment"), &describe_deployments);
    assert_ptr_equal(describe_for("", "Deployment"), &describe_generic);
    assert_ptr_equal(describe_for(NULL, NULL), &describe_generic);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    tzset();
    assert_true(rfc3339_parse("2025-03-01T00:00:00Z", &now_s));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_writer),
        cmocka_unit_test(test_pod_layout),
        cmocka_unit_test(test_pod_states_and_qos),
        cmocka_unit_test(test_pod_missing),
        cmocka_unit_test(test_metadata_folding),
        cmocka_unit_test(test_events),
        cmocka_unit_test(test_node_resources),
        cmocka_unit_test(test_deployment_replica_sets),
        cmocka_unit_test(test_service_endpoints),
        cmocka_unit_test(test_generic),
        cmocka_unit_test(test_plans),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
