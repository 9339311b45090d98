/* Pod READY / STATUS / RESTARTS / AGE cells, from fixtures written from the printer algorithm
 * (k8s-api.md §11.2), checked through the same projection and table the TUI and `get` use. */
#include "test_util.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kind.h"
#include "model/store.h"
#include "model/table.h"
#include "util/rfc3339.h"

/* "Now" for every case: 2026-01-01T00:10:00Z. Fixtures use times relative to it. */
#define NOW 1767226200LL

struct pod_case {
    const char *name;
    const char *json;     /* the pod, without metadata (added by the test) */
    const char *deletion; /* a deletionTimestamp, or NULL */
    const char *ready, *status, *restarts;
};

#define T_MINUS_200  "2026-01-01T00:06:40Z" /* now - 3m20s */
#define T_MINUS_45   "2026-01-01T00:09:15Z"
#define T_MINUS_HOUR "2026-01-01T00:05:00Z" /* now - 5m */

static const struct pod_case cases[] = {
    {"running",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\","
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"restartCount\":0,"
     "\"state\":{\"running\":{}}}]}}",
     NULL, "1/1", "Running", "0"},
    {"pending-no-status",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},"
     "\"status\":{\"phase\":\"Pending\"}}",
     NULL, "0/1", "Pending", "0"},
    {"creating",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\","
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,"
     "\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}}",
     NULL, "0/1", "ContainerCreating", "0"},
    {"crashloop",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\","
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":7,"
     "\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
     "\"lastState\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\",\"finishedAt\":"
     "\"" T_MINUS_200 "\"}}}]}}",
     NULL, "0/1", "CrashLoopBackOff", "7 (3m20s ago)"},
    {"init-progress",
     "{\"spec\":{\"initContainers\":[{\"name\":\"i1\"},{\"name\":\"i2\"},"
     "{\"name\":\"i3\"}],\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\","
     "\"initContainerStatuses\":[{\"name\":\"i1\",\"restartCount\":0,\"state\":{\"terminated\":"
     "{\"exitCode\":0,\"reason\":\"Completed\"}}},{\"name\":\"i2\",\"restartCount\":0,"
     "\"state\":{\"running\":{}}},{\"name\":\"i3\",\"restartCount\":0,\"state\":{\"waiting\":"
     "{\"reason\":\"PodInitializing\"}}}],\"containerStatuses\":[{\"name\":\"a\",\"restartCount\":"
     "0,"
     "\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}}",
     NULL, "0/1", "Init:1/3", "0"},
    {"init-crashloop",
     "{\"spec\":{\"initContainers\":[{\"name\":\"i1\"}],\"containers\":"
     "[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":"
     "\"i1\",\"restartCount\":4,\"state\":{\"waiting\":{\"reason\":\"CrashLoopBackOff\"}},"
     "\"lastState\":{\"terminated\":{\"exitCode\":1,\"finishedAt\":\"" T_MINUS_45 "\"}}}]}}",
     NULL, "0/1", "Init:CrashLoopBackOff", "4 (45s ago)"},
    {"init-exitcode",
     "{\"spec\":{\"initContainers\":[{\"name\":\"i1\"}],\"containers\":"
     "[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":"
     "\"i1\",\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":2}}}]}}",
     NULL, "0/1", "Init:ExitCode:2", "0"},
    {"init-signal",
     "{\"spec\":{\"initContainers\":[{\"name\":\"i1\"}],\"containers\":"
     "[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":"
     "\"i1\",\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":137,\"signal\":9}}}]}}",
     NULL, "0/1", "Init:Signal:9", "0"},
    {"init-error",
     "{\"spec\":{\"initContainers\":[{\"name\":\"i1\"}],\"containers\":"
     "[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Failed\",\"initContainerStatuses\":[{\"name\":"
     "\"i1\",\"restartCount\":0,\"state\":{\"terminated\":{\"exitCode\":1,\"reason\":\"Error\"}}}]}"
     "}",
     NULL, "0/1", "Init:Error", "0"},
    {"init-podinitializing",
     "{\"spec\":{\"initContainers\":[{\"name\":\"i1\"}],\"containers\":"
     "[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\",\"initContainerStatuses\":[{\"name\":"
     "\"i1\",\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"PodInitializing\"}}}]}}",
     NULL, "0/1", "Init:0/1", "0"},
    {"completed",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
     "\"Succeeded\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,"
     "\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}}",
     NULL, "0/1", "Completed", "0"},
    {"notready",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]},\"status\":"
     "{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\"}],"
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,\"state\":"
     "{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}},{\"name\":\"b\",\"ready\":true,"
     "\"restartCount\":0,\"state\":{\"running\":{}}}]}}",
     NULL, "1/2", "NotReady", "0"},
    {"completed-but-ready",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]},"
     "\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}],"
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,\"state\":"
     "{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}},{\"name\":\"b\",\"ready\":true,"
     "\"restartCount\":0,\"state\":{\"running\":{}}}]}}",
     NULL, "1/2", "Running", "0"},
    {"terminating",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
     "\"Running\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,\"restartCount\":0,"
     "\"state\":{\"running\":{}}}]}}",
     "2026-01-01T00:09:00Z", "1/1", "Terminating", "0"},
    {"nodelost",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
     "\"Running\",\"reason\":\"NodeLost\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,"
     "\"restartCount\":0,\"state\":{\"running\":{}}}]}}",
     "2026-01-01T00:09:00Z", "1/1", "Unknown", "0"},
    {"succeeded-deleting",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
     "\"Succeeded\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,"
     "\"state\":{\"terminated\":{\"exitCode\":0,\"reason\":\"Completed\"}}}]}}",
     "2026-01-01T00:09:00Z", "0/1", "Completed", "0"},
    {"evicted",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Failed\","
     "\"reason\":\"Evicted\",\"message\":\"The node was low on resource: memory.\"}}",
     NULL, "0/1", "Evicted", "0"},
    {"scheduling-gated",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}],\"schedulingGates\":"
     "[{\"name\":\"g\"}]},\"status\":{\"phase\":\"Pending\",\"conditions\":[{\"type\":"
     "\"PodScheduled\",\"status\":\"False\",\"reason\":\"SchedulingGated\"}]}}",
     NULL, "0/1", "SchedulingGated", "0"},
    {"sidecar",
     "{\"spec\":{\"initContainers\":[{\"name\":\"proxy\",\"restartPolicy\":\"Always\"}],"
     "\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\",\"conditions\":["
     "{\"type\":\"Initialized\",\"status\":\"True\"},{\"type\":\"Ready\",\"status\":\"True\"}],"
     "\"initContainerStatuses\":[{\"name\":\"proxy\",\"ready\":true,\"started\":true,"
     "\"restartCount\":2,\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"exitCode\":1,"
     "\"finishedAt\":\"" T_MINUS_HOUR
     "\"}}}],\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,"
     "\"restartCount\":1,\"state\":{\"running\":{}},\"lastState\":{\"terminated\":{\"exitCode\":1,"
     "\"finishedAt\":\"" T_MINUS_200 "\"}}}]}}",
     NULL, "2/2", "Running", "3 (3m20s ago)"},
    {"sidecar-not-started",
     "{\"spec\":{\"initContainers\":[{\"name\":\"proxy\","
     "\"restartPolicy\":\"Always\"}],\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":"
     "\"Pending\",\"initContainerStatuses\":[{\"name\":\"proxy\",\"ready\":false,\"started\":false,"
     "\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"ContainerCreating\"}}}]}}",
     NULL, "0/2", "Init:ContainerCreating", "0"},
    {"signal",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\","
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,\"state\":"
     "{\"terminated\":{\"exitCode\":143,\"signal\":15}}}]}}",
     NULL, "0/1", "Signal:15", "0"},
    {"exitcode",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Failed\","
     "\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,\"restartCount\":0,\"state\":"
     "{\"terminated\":{\"exitCode\":3}}}]}}",
     NULL, "0/1", "ExitCode:3", "0"},
    {"first-container-wins",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]},"
     "\"status\":{\"phase\":\"Pending\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,"
     "\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"ImagePullBackOff\"}}},{\"name\":"
     "\"b\","
     "\"ready\":false,\"restartCount\":0,\"state\":{\"waiting\":{\"reason\":\"ErrImagePull\"}}}]}}",
     NULL, "0/2", "ImagePullBackOff", "0"},
    {"oomkilled",
     "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]},\"status\":"
     "{\"phase\":\"Running\",\"containerStatuses\":[{\"name\":\"a\",\"ready\":false,"
     "\"restartCount\":1,\"state\":{\"terminated\":{\"exitCode\":137,\"reason\":\"OOMKilled\"}}},"
     "{\"name\":\"b\",\"ready\":true,\"restartCount\":0,\"state\":{\"running\":{}}}]}}",
     NULL, "1/2", "OOMKilled", "1"},
    {"no-status-at-all", "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"}]}}", NULL,
     "0/2", "", "0"},
};

static cJSON *make_pod(const struct pod_case *c)
{
    cJSON *pod = cJSON_Parse(c->json);
    if (!pod)
        fail_msg("fixture %s is not valid JSON", c->name);
    cJSON *meta = cJSON_AddObjectToObject(pod, "metadata");
    cJSON_AddStringToObject(meta, "name", c->name);
    cJSON_AddStringToObject(meta, "namespace", "default");
    cJSON_AddStringToObject(meta, "uid", c->name);
    cJSON_AddStringToObject(meta, "creationTimestamp", "2026-01-01T00:06:40Z");
    if (c->deletion)
        cJSON_AddStringToObject(meta, "deletionTimestamp", c->deletion);
    return pod;
}

static void test_pod_cells(void **state)
{
    (void)state;
    struct obj_builder b = {0};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct pod_case *c = &cases[i];
        cJSON *pod = make_pod(c);
        struct store s = {0};
        store_put(&s, kind_project(kind_lookup("pods"), pod, &b));
        cJSON_Delete(pod);
        struct table t;
        table_init(&t, kind_lookup("pods"), false, false);
        table_set_ctx(&t, NOW, NULL);
        table_sync(&t, &s);
        assert_int_equal(table_len(&t), 1);
        const struct obj *o = table_row(&t, 0);
        char buf[CELL_MAX];
        /* Columns without -A: NAME READY STATUS RESTARTS IP NODE AGE */
        const char *got[4];
        char keep[4][CELL_MAX];
        for (int col = 0; col < 4; col++) {
            got[col] = table_cell(&t, o, (size_t)col, buf);
            snprintf(keep[col], sizeof keep[col], "%s", got[col]);
        }
        if (strcmp(keep[0], c->name) || strcmp(keep[1], c->ready) || strcmp(keep[2], c->status) ||
            strcmp(keep[3], c->restarts))
            fail_msg("%s: got READY=%s STATUS=%s RESTARTS=%s, want %s %s %s", c->name, keep[1],
                     keep[2], keep[3], c->ready, c->status, c->restarts);
        assert_string_equal(table_cell(&t, o, 6, buf), "3m20s");
        table_free(&t);
        store_free(&s);
    }
    obj_builder_free(&b);
}

static void test_get_layout(void **state)
{
    (void)state;
    struct obj_builder b = {0};
    struct store s = {0};
    const char *pods[] = {
        "{\"metadata\":{\"name\":\"web-10\",\"namespace\":\"shop\",\"uid\":\"u1\","
        "\"creationTimestamp\":\"2026-01-01T00:09:15Z\"},\"spec\":{\"nodeName\":\"node-1\","
        "\"containers\":[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Running\",\"podIPs\":"
        "[{\"ip\":\"10.0.0.10\"}],\"containerStatuses\":[{\"name\":\"a\",\"ready\":true,"
        "\"restartCount\":0,\"state\":{\"running\":{}}}]}}",
        "{\"metadata\":{\"name\":\"web-2\",\"namespace\":\"shop\",\"uid\":\"u2\","
        "\"creationTimestamp\":\"2025-12-31T22:05:00Z\"},\"spec\":{\"containers\":"
        "[{\"name\":\"a\"}]},\"status\":{\"phase\":\"Pending\"}}",
    };
    for (size_t i = 0; i < 2; i++) {
        cJSON *p = cJSON_Parse(pods[i]);
        store_put(&s, kind_project(kind_lookup("pods"), p, &b));
        cJSON_Delete(p);
    }
    struct table t;
    table_init(&t, kind_lookup("pods"), true, false);
    table_set_ctx(&t, NOW, NULL);
    table_sync(&t, &s);
    struct strbuf out = {0};
    table_format_text(&t, true, &out);
    assert_string_equal(
        strbuf_str(&out),
        "NAMESPACE   NAME     READY   STATUS    RESTARTS   IP          NODE     AGE\n"
        "shop        web-2    0/1     Pending   0          <none>      <none>   125m\n"
        "shop        web-10   1/1     Running   0          10.0.0.10   node-1   45s\n");
    strbuf_free(&out);
    table_free(&t);
    store_free(&s);
    obj_builder_free(&b);
}

static void test_hostile_names_are_neutralised(void **state)
{
    (void)state;
    struct obj_builder b = {0};
    cJSON *p = cJSON_Parse("{\"metadata\":{\"name\":\"evil\\u001b]0;pwned\\u0007\\nnext\","
                           "\"uid\":\"u\"},\"spec\":{\"nodeName\":\"\\u009b31m\"}}");
    struct obj *o = kind_project(kind_lookup("pods"), p, &b);
    cJSON_Delete(p);
    assert_string_equal(obj_str(o, OBJ_NAME), "evil^[]0;pwned^G...");
    assert_string_equal(obj_str(o, OBJ_KIND0 + 3), "\\u009b31m");
    free(o);
    obj_builder_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pod_cells),
        cmocka_unit_test(test_get_layout),
        cmocka_unit_test(test_hostile_names_are_neutralised),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
