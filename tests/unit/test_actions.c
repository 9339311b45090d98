/* actions below the UI: pinned targets, the requests each action builds (rollback bodies, the
 * trigger's Job, drain's pod choice, restart's stamp), the labels dialog's parser, the diff,
 * and the settings files with read-only precedence. */
#include "test_util.h"
#include "fakeapi.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/http.h"
#include "client/kubeconfig.h"
#include "client/op_delete.h"
#include "client/op_scale.h"
#include "client/op_drain.h"
#include "client/op_patch.h"
#include "client/op_rollback.h"
#include "client/op_trigger.h"
#include "client/target.h"
#include "model/config.h"
#include "model/labeledit.h"
#include "util/linediff.h"
#include "util/strbuf.h"

/* ---- pinned targets ---------------------------------------------------------------------- */

static char *dup(const char *s)
{
    return s ? strcpy(malloc(strlen(s) + 1), s) : NULL;
}

/* The key press captures a target from the live connection; the user then switches context
 * (the connection's strings are freed and replaced) before confirming. The target, and every
 * path built from it, still names the first cluster's object. */
static void test_target_survives_a_context_switch(void **state)
{
    (void)state;
    struct kube_conn conn = {0};
    conn.context = dup("prod-a");
    conn.cluster = dup("cluster-a");
    conn.server = dup("https://a.example:6443");
    struct target_spec s = {
        .context = conn.context,
        .cluster = conn.cluster,
        .server = conn.server,
        .session = 1,
        .group = "apps",
        .version = "v1",
        .resource = "deployments",
        .kind = "Deployment",
        .namespaced = true,
        .ns = "shop",
        .name = "web",
        .uid = "uid-a",
    };
    struct target t;
    target_init(&t, &s);

    /* The switch: the old connection's strings go, the new context's arrive at the same
     * struct, and the row buffers are reused. */
    free(conn.context);
    free(conn.cluster);
    free(conn.server);
    conn.context = dup("dev-b");
    conn.cluster = dup("cluster-b");
    conn.server = dup("https://b.example:6443");
    char row[64] = "other-name";
    (void)row;

    assert_string_equal(t.context, "prod-a");
    assert_string_equal(t.cluster, "cluster-a");
    assert_string_equal(t.server, "https://a.example:6443");
    assert_int_equal(t.session, 1);
    assert_string_equal(t.uid, "uid-a");
    struct strbuf path = {0};
    target_path(&t, "scale", &path);
    assert_string_equal(strbuf_str(&path), "/apis/apps/v1/namespaces/shop/deployments/web/scale");
    strbuf_reset(&path);
    target_describe(&t, &path);
    assert_string_equal(strbuf_str(&path), "deployment/web in shop");

    struct target copy;
    target_copy(&copy, &t);
    target_free(&t);
    assert_string_equal(copy.server, "https://a.example:6443");
    strbuf_free(&path);
    target_free(&copy);
    free(conn.context);
    free(conn.cluster);
    free(conn.server);
}

struct done_flag {
    bool done;
    struct op_result r;
};

static void on_done(void *ud, const struct op_result *r)
{
    struct done_flag *f = ud;
    f->done = true;
    f->r = *r;
}

static bool is_done(void *ud)
{
    return ((struct done_flag *)ud)->done;
}

/* The race of issue 8, below the UI: a delete is chosen on context A's client, the context is
 * switched to B (a new client), and the action is confirmed. Every op refuses B's client for A's
 * target before anything is sent, so B's server sees nothing; on A's client it goes to A, with
 * the uid captured at the keypress. */
static void test_switch_between_keypress_and_confirm(void **state)
{
    (void)state;
    static const struct fake_reply a_script[] = {
        {"DELETE /apis/apps/v1/namespaces/shop/deployments/web ", 200, "{\"kind\":\"Status\"}",
         false, 0, NULL, false},
    };
    static const struct fake_reply b_script[] = {
        {"never", 500, "{}", false, 0, NULL, false},
    };
    struct fakeapi *a = fakeapi_start(a_script, 1), *b = fakeapi_start(b_script, 1);
    struct http *ha = fakeapi_http(a), *hb = fakeapi_http(b);
    assert_non_null(ha);
    assert_non_null(hb);
    assert_true(http_id(ha) != http_id(hb));
    struct target_spec s = {.context = "prod-a",
                            .cluster = "cluster-a",
                            .server = http_server(ha),
                            .client = http_id(ha),
                            .group = "apps",
                            .version = "v1",
                            .resource = "deployments",
                            .kind = "Deployment",
                            .namespaced = true,
                            .ns = "shop",
                            .name = "web",
                            .uid = "uid-a"};
    struct target t;
    target_init(&t, &s); /* the keypress */
    /* ... the switch: the UI now holds B's client; the confirm comes through it. */
    struct err e = {0};
    struct done_flag f = {0};
    assert_false(op_delete(hb, &t, OP_PROPAGATE_BACKGROUND, -1, on_done, &f, &e));
    assert_non_null(strstr(e.msg, "context changed"));
    assert_false(op_scale(hb, &t, 3, on_done, &f, &e));
    assert_false(op_restart(hb, &t, 1767225600, on_done, &f, &e));
    assert_false(f.done);
    fakeapi_run(hb, 300, is_done, NULL, &f);
    assert_int_equal(fakeapi_count(b), 0);
    /* Through the client it was captured on, it reaches A, pinned to the uid. */
    assert_true(op_delete(ha, &t, OP_PROPAGATE_BACKGROUND, -1, on_done, &f, &e));
    assert_true(fakeapi_run(ha, 5000, is_done, NULL, &f));
    assert_true(f.r.ok);
    assert_int_equal(fakeapi_count(a), 1);
    assert_int_equal(fakeapi_mismatches(a), 0);
    target_free(&t);
    http_free(ha);
    http_free(hb);
    fakeapi_stop(a);
    fakeapi_stop(b);
}

static void test_target_paths_escape_and_scope(void **state)
{
    (void)state;
    struct target_spec s = {.group = "",
                            .version = "v1",
                            .resource = "nodes",
                            .kind = "Node",
                            .namespaced = false,
                            .ns = "ignored",
                            .name = "node 1/x",
                            .uid = "u"};
    struct target t;
    target_init(&t, &s);
    struct strbuf p = {0};
    target_path(&t, NULL, &p);
    assert_string_equal(strbuf_str(&p), "/api/v1/nodes/node%201%2Fx");
    strbuf_free(&p);
    target_free(&t);
}

/* ---- rollback ---------------------------------------------------------------------------- */

static cJSON *parse(const char *s)
{
    cJSON *j = cJSON_Parse(s);
    assert_non_null(j);
    return j;
}

static const char deployment[] =
    "{\"metadata\":{\"name\":\"web\",\"namespace\":\"shop\",\"uid\":\"d1\",\"annotations\":"
    "{\"deployment.kubernetes.io/revision\":\"2\",\"team\":\"blue\","
    "\"kubectl.kubernetes.io/last-applied-configuration\":\"{}\"}},"
    "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}},\"template\":{\"metadata\":"
    "{\"labels\":{\"app\":\"web\"}},\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":"
    "\"nginx:1.28\"}]}}}}";

static const char replicasets[] =
    "{\"items\":["
    "{\"metadata\":{\"name\":\"web-1\",\"uid\":\"r1\",\"annotations\":{"
    "\"deployment.kubernetes.io/revision\":\"1\",\"kubernetes.io/change-cause\":\"first\"},"
    "\"ownerReferences\":[{\"kind\":\"Deployment\",\"uid\":\"d1\",\"controller\":true}]},"
    "\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\",\"pod-template-hash\":"
    "\"1\"}},\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":\"nginx:1.27\"}]}}}},"
    "{\"metadata\":{\"name\":\"web-2\",\"uid\":\"r2\",\"annotations\":{"
    "\"deployment.kubernetes.io/revision\":\"2\"},"
    "\"ownerReferences\":[{\"kind\":\"Deployment\",\"uid\":\"d1\",\"controller\":true}]},"
    "\"spec\":{\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\",\"pod-template-hash\":"
    "\"2\"}},\"spec\":{\"containers\":[{\"name\":\"n\",\"image\":\"nginx:1.28\"}]}}}},"
    "{\"metadata\":{\"name\":\"stranger\",\"uid\":\"r3\",\"annotations\":{"
    "\"deployment.kubernetes.io/revision\":\"9\"},"
    "\"ownerReferences\":[{\"kind\":\"Deployment\",\"uid\":\"other\",\"controller\":true}]},"
    "\"spec\":{\"template\":{}}}]}";

static void deploy_target(struct target *t)
{
    struct target_spec s = {.group = "apps",
                            .version = "v1",
                            .resource = "deployments",
                            .kind = "Deployment",
                            .namespaced = true,
                            .ns = "shop",
                            .name = "web",
                            .uid = "d1"};
    target_init(t, &s);
}

static void test_deployment_history_and_undo_body(void **state)
{
    (void)state;
    cJSON *owner = parse(deployment), *list = parse(replicasets);
    struct history *h = history_build("deployments", owner, list);
    assert_int_equal(h->n, 2); /* the stranger's ReplicaSet is not ours */
    assert_int_equal(h->v[0].number, 2);
    assert_int_equal(h->current, 2);
    assert_string_equal(h->v[1].change_cause, "first");
    assert_string_equal(h->v[1].images, "nginx:1.27");
    assert_int_equal(history_previous(h)->number, 1);

    struct target t;
    deploy_target(&t);
    const char *ctype = NULL;
    struct err e = {0};
    char *body = op_rollback_body("deployments", &t, h, 1, &ctype, &e);
    assert_non_null(body);
    assert_string_equal(ctype, "application/json-patch+json");
    cJSON *patch = parse(body);
    /* First the uid is tested, then the template (hash label removed) and annotations. */
    assert_string_equal(cJSON_GetArrayItem(patch, 0)->child->valuestring, "test");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(patch, 0), "value")->valuestring,
                        "d1");
    const cJSON *tmpl = cJSON_GetObjectItem(cJSON_GetArrayItem(patch, 1), "value");
    char *tt = cJSON_PrintUnformatted(tmpl);
    assert_non_null(strstr(tt, "nginx:1.27"));
    assert_null(strstr(tt, "pod-template-hash"));
    const cJSON *ann = cJSON_GetObjectItem(cJSON_GetArrayItem(patch, 2), "value");
    assert_string_equal(cJSON_GetObjectItem(ann, "kubernetes.io/change-cause")->valuestring,
                        "first");
    assert_string_equal(cJSON_GetObjectItem(ann, "deployment.kubernetes.io/revision")->valuestring,
                        "2");                      /* kept from the deployment, as kubectl does */
    assert_null(cJSON_GetObjectItem(ann, "team")); /* replaced, as kubectl does */
    cJSON_free(tt);
    cJSON_Delete(patch);
    cJSON_free(body);

    /* The current revision: nothing to do. Unknown: refused. */
    assert_null(op_rollback_body("deployments", &t, h, 2, &ctype, &e));
    assert_non_null(strstr(e.msg, "skipped rollback"));
    assert_null(op_rollback_body("deployments", &t, h, 7, &ctype, &e));
    assert_non_null(strstr(e.msg, "revision 7"));
    history_free(h);

    /* A paused deployment cannot be rolled back. */
    cJSON_AddTrueToObject(cJSON_GetObjectItem(owner, "spec"), "paused");
    h = history_build("deployments", owner, list);
    assert_null(op_rollback_body("deployments", &t, h, 1, &ctype, &e));
    assert_non_null(strstr(e.msg, "paused"));
    history_free(h);
    target_free(&t);
    cJSON_Delete(owner);
    cJSON_Delete(list);
}

static void test_statefulset_undo_uses_the_revision_patch(void **state)
{
    (void)state;
    cJSON *owner = parse("{\"metadata\":{\"name\":\"db\",\"uid\":\"s1\"},\"spec\":{\"template\":"
                         "{\"spec\":{\"containers\":[{\"image\":\"pg:17\"}]}}}}");
    cJSON *list =
        parse("{\"items\":[{\"metadata\":{\"name\":\"db-a\",\"ownerReferences\":[{\"uid\":\"s1\","
              "\"controller\":true}]},\"revision\":1,\"data\":{\"spec\":{\"template\":{\"spec\":"
              "{\"containers\":[{\"image\":\"pg:16\"}]},\"$patch\":\"replace\"}}}},"
              "{\"metadata\":{\"name\":\"db-b\",\"ownerReferences\":[{\"uid\":\"s1\","
              "\"controller\":true}]},\"revision\":2,\"data\":{\"spec\":{\"template\":{\"spec\":"
              "{\"containers\":[{\"image\":\"pg:17\"}]},\"$patch\":\"replace\"}}}}]}");
    struct history *h = history_build("statefulsets", owner, list);
    assert_int_equal(h->n, 2);
    assert_int_equal(h->current, 2);
    struct target_spec s = {.group = "apps",
                            .version = "v1",
                            .resource = "statefulsets",
                            .kind = "StatefulSet",
                            .namespaced = true,
                            .ns = "db",
                            .name = "db",
                            .uid = "s1"};
    struct target t;
    target_init(&t, &s);
    const char *ctype = NULL;
    struct err e = {0};
    char *body = op_rollback_body("statefulsets", &t, h, 1, &ctype, &e);
    assert_non_null(body);
    assert_string_equal(ctype, "application/strategic-merge-patch+json");
    assert_non_null(strstr(body, "pg:16"));
    assert_non_null(strstr(body, "\"uid\":\"s1\""));
    cJSON_free(body);
    target_free(&t);
    history_free(h);
    cJSON_Delete(owner);
    cJSON_Delete(list);
}

static void test_selector_string(void **state)
{
    (void)state;
    cJSON *sel = parse("{\"matchLabels\":{\"app\":\"web\"},\"matchExpressions\":["
                       "{\"key\":\"tier\",\"operator\":\"In\",\"values\":[\"a\",\"b\"]},"
                       "{\"key\":\"x\",\"operator\":\"DoesNotExist\"}]}");
    struct strbuf sb = {0};
    op_selector_string(sel, &sb);
    assert_string_equal(strbuf_str(&sb), "app=web,tier in (a,b),!x");
    strbuf_free(&sb);
    cJSON_Delete(sel);
}

/* ---- trigger, restart, drain --------------------------------------------------------------- */

static void test_trigger_job_from_cronjob(void **state)
{
    (void)state;
    cJSON *cj = parse("{\"metadata\":{\"name\":\"nightly\",\"namespace\":\"ops\",\"uid\":\"c1\"},"
                      "\"spec\":{\"jobTemplate\":{\"metadata\":{\"labels\":{\"job\":\"n\"},"
                      "\"annotations\":{\"a\":\"b\"}},\"spec\":{\"backoffLimit\":2}}}}");
    cJSON *job = op_trigger_job(cj, "nightly-manual-abcde");
    const cJSON *md = cJSON_GetObjectItem(job, "metadata");
    assert_string_equal(cJSON_GetObjectItem(md, "name")->valuestring, "nightly-manual-abcde");
    const cJSON *ann = cJSON_GetObjectItem(md, "annotations");
    assert_string_equal(cJSON_GetObjectItem(ann, "cronjob.kubernetes.io/instantiate")->valuestring,
                        "manual");
    assert_string_equal(cJSON_GetObjectItem(ann, "a")->valuestring, "b");
    const cJSON *ref = cJSON_GetArrayItem(cJSON_GetObjectItem(md, "ownerReferences"), 0);
    assert_string_equal(cJSON_GetObjectItem(ref, "uid")->valuestring, "c1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ref, "controller")));
    assert_int_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(job, "spec"), "backoffLimit")->valueint, 2);
    cJSON_Delete(job);
    cJSON_Delete(cj);
}

static void test_restart_stamp_is_rfc3339(void **state)
{
    (void)state;
    char buf[40];
    setenv("TZ", "UTC", 1);
    op_restart_stamp(1700000000, buf, sizeof buf);
    assert_string_equal(buf, "2023-11-14T22:13:20Z");
    setenv("TZ", "CET-1", 1);
    op_restart_stamp(1700000000, buf, sizeof buf);
    assert_string_equal(buf, "2023-11-14T23:13:20+01:00");
    setenv("TZ", "UTC", 1);
}

static const char node_pods[] =
    "{\"items\":["
    "{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"a\",\"ownerReferences\":[{\"kind\":"
    "\"ReplicaSet\",\"controller\":true}]},\"status\":{\"phase\":\"Running\"}},"
    "{\"metadata\":{\"name\":\"agent\",\"namespace\":\"a\",\"ownerReferences\":[{\"kind\":"
    "\"DaemonSet\",\"controller\":true}]},\"status\":{\"phase\":\"Running\"}},"
    "{\"metadata\":{\"name\":\"static\",\"namespace\":\"kube-system\",\"annotations\":"
    "{\"kubernetes.io/config.mirror\":\"x\"}},\"status\":{\"phase\":\"Running\"}},"
    "{\"metadata\":{\"name\":\"cache\",\"namespace\":\"a\",\"ownerReferences\":[{\"kind\":"
    "\"ReplicaSet\",\"controller\":true}]},\"spec\":{\"volumes\":[{\"name\":\"t\",\"emptyDir\":"
    "{}}]},\"status\":{\"phase\":\"Running\"}},"
    "{\"metadata\":{\"name\":\"bare\",\"namespace\":\"a\"},\"status\":{\"phase\":\"Running\"}},"
    "{\"metadata\":{\"name\":\"done\",\"namespace\":\"a\"},\"status\":{\"phase\":\"Succeeded\"}}"
    "]}";

static void test_drain_chooses_pods_as_kubectl(void **state)
{
    (void)state;
    cJSON *pods = parse(node_pods);
    struct strbuf warn = {0};
    struct err e = {0};
    struct drain_opts o = {0};
    assert_null(drain_select(pods, &o, &warn, &e));
    assert_non_null(strstr(e.msg, "DaemonSet-managed Pods"));
    assert_non_null(strstr(e.msg, "local storage"));
    assert_non_null(strstr(e.msg, "no controller"));
    assert_non_null(strstr(e.msg, "a/bare"));
    assert_null(strstr(e.msg, "a/done")); /* finished pods never stop a drain */

    o.ignore_daemonsets = o.delete_emptydir = o.force = true;
    cJSON *chosen = drain_select(pods, &o, &warn, &e);
    assert_non_null(chosen);
    char *names = cJSON_PrintUnformatted(chosen);
    assert_non_null(strstr(names, "web-1"));
    assert_non_null(strstr(names, "cache"));
    assert_non_null(strstr(names, "bare"));
    assert_non_null(strstr(names, "done"));
    assert_null(strstr(names, "agent"));
    assert_null(strstr(names, "static"));
    assert_non_null(strstr(strbuf_str(&warn), "ignoring DaemonSet-managed Pods: a/agent"));
    cJSON_free(names);
    cJSON_Delete(chosen);
    strbuf_free(&warn);
    cJSON_Delete(pods);
}

/* ---- the labels dialog --------------------------------------------------------------------- */

static void test_label_edits(void **state)
{
    (void)state;
    struct err e = {0};
    cJSON *cur = parse("{\"app\":\"web\",\"tier\":\"front\"}");
    cJSON *p =
        labeledit_parse(" app=api  tier-  example.com/team=blue ", LABELEDIT_LABELS, cur, &e);
    assert_non_null(p);
    char *s = cJSON_PrintUnformatted(p);
    assert_string_equal(s, "{\"app\":\"api\",\"tier\":null,\"example.com/team\":\"blue\"}");
    cJSON_free(s);
    cJSON_Delete(p);

    const char *bad[] = {"bad_key!=x", "x=" /* ok */, "ok=has space", "-bad=x",
                         "noequals",   "gone-",       "a=1 a=2",      "k=\"unterminated"};
    bool want_ok[] = {false, true, false, false, false, false, false, false};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        e.msg[0] = '\0';
        p = labeledit_parse(bad[i], LABELEDIT_LABELS, cur, &e);
        if (want_ok[i])
            assert_non_null(p);
        else
            assert_true(p == NULL && e.msg[0]);
        cJSON_Delete(p);
    }
    char v64[80];
    snprintf(v64, sizeof v64, "k=%064d", 0);
    assert_null(labeledit_parse(v64, LABELEDIT_LABELS, NULL, &e));
    assert_non_null(strstr(e.msg, "63"));
    /* Annotations take any value, quoted when it has spaces. */
    p = labeledit_parse("note=\"hello world\" v="
                        "0123456789012345678901234567890123456789"
                        "01234567890123456789012345",
                        LABELEDIT_ANNOTATIONS, NULL, &e);
    assert_non_null(p);
    assert_string_equal(cJSON_GetObjectItem(p, "note")->valuestring, "hello world");
    char *line = labeledit_format(p);
    assert_non_null(strstr(line, "note=\"hello world\""));
    free(line);
    cJSON_Delete(p);
    line = labeledit_format(cur);
    assert_string_equal(line, "app=web tier=front");
    free(line);
    cJSON_Delete(cur);
}

static void test_linediff(void **state)
{
    (void)state;
    struct strbuf out = {0};
    assert_true(linediff("a\nb\nc\n", "a\nB\nc\n", -1, &out));
    assert_string_equal(strbuf_str(&out), "  a\n- b\n+ B\n  c\n");
    strbuf_reset(&out);
    assert_false(linediff("same\n", "same\n", 3, &out));
    strbuf_reset(&out);
    assert_true(linediff("1\n2\n3\n4\n5\n6\n7\nx\n", "1\n2\n3\n4\n5\n6\n7\ny\n", 1, &out));
    assert_string_equal(strbuf_str(&out), "  ...\n  7\n- x\n+ y\n");
    strbuf_free(&out);
}

/* ---- settings -------------------------------------------------------------------------------- */

/* The log buffer's bounds from config.yaml (k9s's logger.buffer, timon's logger.bufferMiB):
 * the context's over the global's, and out-of-range values refused with the key named. */
static void test_config_log_buffer(void **state)
{
    (void)state;
    struct config g, ctx;
    config_init(&g);
    config_init(&ctx);
    struct err e = {0};
    const char global[] = "k9s:\n  logger:\n    buffer: 500\n    bufferMiB: 2\n";
    assert_true(config_parse(&g, global, strlen(global), "g.yaml", &e));
    assert_int_equal(config_log_lines(&ctx, &g), 500);
    assert_int_equal(config_log_mib(&ctx, &g), 2);
    const char mine[] = "k9s:\n  logger:\n    buffer: 20000\n";
    assert_true(config_parse(&ctx, mine, strlen(mine), "c.yaml", &e));
    assert_int_equal(config_log_lines(&ctx, &g), 20000);
    assert_int_equal(config_log_mib(&ctx, &g), 2);
    assert_int_equal(config_log_lines(NULL, NULL), 0);
    config_free(&ctx);
    config_init(&ctx);
    const char small[] = "k9s:\n  logger:\n    buffer: 5\n";
    assert_false(config_parse(&ctx, small, strlen(small), "c.yaml", &e));
    assert_non_null(strstr(e.msg, "k9s.logger.buffer"));
    const char word[] = "k9s:\n  logger:\n    bufferMiB: lots\n";
    assert_false(config_parse(&ctx, word, strlen(word), "c.yaml", &e));
    assert_non_null(strstr(e.msg, "bufferMiB"));
    config_free(&g);
    config_free(&ctx);
}

static void test_config_and_readonly_precedence(void **state)
{
    (void)state;
    const char text[] = "k9s:\n  readOnly: true\n  ui:\n    skin: nord\n    headless: yes\n"
                        "  namespace:\n    active: shop\n    favorites: [shop, default]\n"
                        "  view:\n    active: deploy\n  unknownKey: 1\n"
                        "timon:\n  dangerContexts: [prod, '^live-']\n";
    struct config g, ctx;
    config_init(&g);
    config_init(&ctx);
    struct err e = {0};
    assert_true(config_parse(&g, text, strlen(text), "g.yaml", &e));
    assert_int_equal(g.readonly, CONFIG_YES);
    assert_int_equal(g.headless, CONFIG_YES);
    assert_string_equal(g.skin, "nord");
    assert_string_equal(g.active_ns, "shop");
    assert_string_equal(g.favourites[1], "default");
    assert_string_equal(g.last_view, "deploy");
    assert_string_equal(g.danger[1], "^live-");

    /* --write, then --readonly, then the context, then the global file. */
    assert_true(config_readonly(false, false, &ctx, &g));
    assert_false(config_readonly(true, true, &ctx, &g));
    assert_true(config_readonly(false, true, NULL, NULL));
    const char off[] = "k9s:\n  readOnly: false\n";
    assert_true(config_parse(&ctx, off, strlen(off), "c.yaml", &e));
    assert_false(config_readonly(false, false, &ctx, &g));
    assert_false(config_readonly(false, false, NULL, NULL));

    /* Wrong types name the key and the line; an empty file is fine. */
    config_free(&ctx);
    const char wrong[] = "k9s:\n  ui:\n    headless: maybe\n";
    assert_false(config_parse(&ctx, wrong, strlen(wrong), "c.yaml", &e));
    assert_non_null(strstr(e.msg, "c.yaml: line 3: k9s.ui.headless must be true or false"));
    const char broken[] = "k9s: [1, 2\n";
    assert_false(config_parse(&ctx, broken, strlen(broken), "b.yaml", &e));
    assert_non_null(strstr(e.msg, "b.yaml"));
    assert_true(config_parse(&ctx, "", 0, "empty.yaml", &e));
    config_free(&ctx);
    config_free(&g);

    char *p = config_context_path("/d", "../etc", "ctx/with:odd");
    assert_string_equal(p, "/d/clusters/..-etc/ctx-with-odd/config.yaml");
    free(p);
    p = config_context_path("/d", "..", ".");
    assert_string_equal(p, "/d/clusters/-/-/config.yaml");
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_survives_a_context_switch),
        cmocka_unit_test(test_switch_between_keypress_and_confirm),
        cmocka_unit_test(test_target_paths_escape_and_scope),
        cmocka_unit_test(test_deployment_history_and_undo_body),
        cmocka_unit_test(test_statefulset_undo_uses_the_revision_patch),
        cmocka_unit_test(test_selector_string),
        cmocka_unit_test(test_trigger_job_from_cronjob),
        cmocka_unit_test(test_restart_stamp_is_rfc3339),
        cmocka_unit_test(test_drain_chooses_pods_as_kubectl),
        cmocka_unit_test(test_label_edits),
        cmocka_unit_test(test_linediff),
        cmocka_unit_test(test_config_and_readonly_precedence),
        cmocka_unit_test(test_config_log_buffer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
