/* kubeconfig: parsing, merging by kubectl's rules, relative paths, resolution errors. */
#include "test_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/kubeconfig.h"
#include "util/xalloc.h"

static char dir[256];

static char *write_file(const char *name, const char *text)
{
    char *path = xasprintf("%s/%s", dir, name);
    char *slash = strrchr(path, '/');
    *slash = '\0';
    mkdir(path, 0700);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/timon-kc-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char *cmd = xasprintf("rm -rf '%s'", dir);
    int rc = system(cmd);
    (void)rc;
    free(cmd);
    return 0;
}

static const char one[] = "apiVersion: v1\n"
                          "kind: Config\n"
                          "current-context: a\n"
                          "clusters:\n"
                          "- name: ca\n"
                          "  cluster:\n"
                          "    server: https://one:6443\n"
                          "    certificate-authority-data: aGVsbG8=\n"
                          "users:\n"
                          "- name: ua\n"
                          "  user:\n"
                          "    token: tok-one\n"
                          "contexts:\n"
                          "- name: a\n"
                          "  context: {cluster: ca, user: ua, namespace: shop}\n"
                          "- name: shared\n"
                          "  context: {cluster: ca, user: ua}\n";

static const char two[] = "current-context: b\n"
                          "clusters:\n"
                          "- name: cb\n"
                          "  cluster:\n"
                          "    server: https://two:6443/prefix\n"
                          "    certificate-authority: pki/ca.crt\n"
                          "- name: ca\n"
                          "  cluster: {server: https://ignored:1, insecure-skip-tls-verify: true}\n"
                          "users:\n"
                          "- name: ub\n"
                          "  user:\n"
                          "    tokenFile: tokens/t\n"
                          "    token: loses-to-the-file\n"
                          "contexts:\n"
                          "- name: b\n"
                          "  context: {cluster: cb, user: ub}\n"
                          "- name: shared\n"
                          "  context: {cluster: cb, user: ub}\n";

static void test_single_file(void **state)
{
    (void)state;
    char *p = write_file("one.yaml", one);
    struct kubeconfig kc;
    struct err e = {0};
    assert_true(kubeconfig_load(&kc, p, &e));
    struct kube_conn c;
    assert_true(kubeconfig_resolve(&kc, NULL, NULL, &c, &e));
    assert_string_equal(c.context, "a");
    assert_string_equal(c.server, "https://one:6443");
    assert_string_equal(c.namespace, "shop");
    assert_string_equal(c.token, "tok-one");
    assert_int_equal(c.ca_len, 5);
    assert_memory_equal(c.ca_pem, "hello", 5);
    kube_conn_free(&c);
    assert_true(kubeconfig_resolve(&kc, "shared", "override", &c, &e));
    assert_string_equal(c.namespace, "override");
    kube_conn_free(&c);
    assert_true(kubeconfig_resolve(&kc, "shared", NULL, &c, &e));
    assert_string_equal(c.namespace, "default");
    kube_conn_free(&c);
    assert_false(kubeconfig_resolve(&kc, "nope", NULL, &c, &e));
    assert_non_null(strstr(e.msg, "context \"nope\" does not exist"));
    kubeconfig_free(&kc);
    free(p);
}

static void test_merge_first_wins(void **state)
{
    (void)state;
    char *p1 = write_file("one.yaml", one);
    char *p2 = write_file("k2/two.yaml", two);
    char *ca = write_file("k2/pki/ca.crt", "CA-PEM");
    char *tok = write_file("k2/tokens/t", "tok-from-file\n");
    char *env = xasprintf("%s:%s/missing.yaml:%s:%s", p1, dir, p2, p1);
    setenv("KUBECONFIG", env, 1);
    struct kubeconfig kc;
    struct err e = {0};
    assert_true(kubeconfig_load(&kc, NULL, &e));
    assert_int_equal(kc.files.len, 2); /* the missing file skipped, the duplicate dropped */
    assert_string_equal(kc.current_context, "a"); /* from the first file that sets it */
    /* Cluster "ca" is defined by the first file whole: the second's insecure flag is ignored. */
    const struct kc_cluster *cl = kubeconfig_cluster(&kc, "ca");
    assert_non_null(cl);
    assert_string_equal(cl->server, "https://one:6443");
    assert_false(cl->insecure);
    /* Context "shared" comes from the first file. */
    const struct kc_context *cx = kubeconfig_context(&kc, "shared");
    assert_string_equal(cx->cluster, "ca");
    /* --context picks a context defined only in the second file; its relative paths resolve
     * against that file's directory, and tokenFile wins over token. */
    struct kube_conn c;
    assert_true(kubeconfig_resolve(&kc, "b", NULL, &c, &e));
    assert_string_equal(c.server, "https://two:6443/prefix");
    assert_string_equal(c.ca_pem, "CA-PEM");
    assert_string_equal(c.token, "tok-from-file");
    assert_string_equal(c.source, p2);
    kube_conn_free(&c);
    kubeconfig_free(&kc);
    unsetenv("KUBECONFIG");
    free(env);
    free(p1);
    free(p2);
    free(ca);
    free(tok);
}

static void expect_load_error(const char *text, const char *needle)
{
    char *p = write_file("bad.yaml", text);
    struct kubeconfig kc;
    struct err e = {0};
    bool ok = kubeconfig_load(&kc, p, &e);
    struct kube_conn c;
    if (ok) {
        ok = kubeconfig_resolve(&kc, NULL, NULL, &c, &e);
        if (ok)
            kube_conn_free(&c);
    }
    kubeconfig_free(&kc);
    if (ok)
        fail_msg("expected an error containing \"%s\"", needle);
    if (!strstr(e.msg, needle))
        fail_msg("error \"%s\" does not contain \"%s\"", e.msg, needle);
    /* No credential ever appears in a message. */
    assert_null(strstr(e.msg, "s3cret"));
    free(p);
}

static void test_bad_input(void **state)
{
    (void)state;
    expect_load_error("clusters: [\n", "cannot parse kubeconfig");
    expect_load_error("- just\n- a list\n", "not a mapping");
    expect_load_error("clusters: 5\n", "is not a list");
    expect_load_error("contexts: []\n", "no current context");
    expect_load_error("current-context: x\ncontexts:\n- name: x\n  context: {cluster: nope}\n",
                      "cluster \"nope\", which is not defined");
    expect_load_error("current-context: x\nclusters:\n- name: c\n  cluster: {server: "
                      "https://h, insecure-skip-tls-verify: true, certificate-authority-data: "
                      "aGVsbG8=}\ncontexts:\n- name: x\n  context: {cluster: c}\n",
                      "insecure flag is not allowed");
    expect_load_error("current-context: x\nclusters:\n- name: c\n  cluster: {server: https://h}\n"
                      "users:\n- name: u\n  user: {token: s3cret, username: me, password: "
                      "s3cret}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\n",
                      "more than one authentication method");
    expect_load_error("current-context: x\nclusters:\n- name: c\n  cluster: {server: https://h, "
                      "certificate-authority-data: '!!!'}\ncontexts:\n- name: x\n  context: "
                      "{cluster: c}\n",
                      "not valid base64");
    expect_load_error("current-context: x\nclusters:\n- name: c\n  cluster: {server: https://h, "
                      "certificate-authority: /nonexistent/ca.crt}\ncontexts:\n- name: x\n  "
                      "context: {cluster: c}\n",
                      "cannot read certificate-authority");
    expect_load_error("current-context: x\nclusters:\n- name: c\n  cluster: {}\ncontexts:\n"
                      "- name: x\n  context: {cluster: c}\n",
                      "has no server");
    expect_load_error("a: &a [*a, *a]\n", "");
    expect_load_error("current-context: x\nclusters:\n- name: c\n  cluster: {server: https://h}\n"
                      "users:\n- name: u\n  user:\n    auth-provider: {name: gcp}\ncontexts:\n"
                      "- name: x\n  context: {cluster: c, user: u}\n",
                      "gcp auth plugin has been removed");
}

static void test_missing_file(void **state)
{
    (void)state;
    struct kubeconfig kc;
    struct err e = {0};
    assert_false(kubeconfig_load(&kc, "/nonexistent/kubeconfig", &e));
    assert_non_null(strstr(e.msg, "/nonexistent/kubeconfig"));
    kubeconfig_free(&kc);
}

static void test_in_cluster(void **state)
{
    (void)state;
    char *tok = write_file("sa/token", "sa-token\n");
    char *ca = write_file("sa/ca.crt", "CA");
    char *ns = write_file("sa/namespace", "team-a\n");
    char *sa = xasprintf("%s/sa", dir);
    setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
    setenv("KUBERNETES_SERVICE_PORT", "443", 1);
    unsetenv("POD_NAMESPACE");
    struct kubeconfig kc = {0};
    struct err e = {0};
    assert_true(kubeconfig_load_incluster(&kc, sa, &e));
    struct kube_conn c;
    assert_true(kubeconfig_resolve(&kc, NULL, NULL, &c, &e));
    assert_string_equal(c.server, "https://[fd00::1]:443");
    assert_string_equal(c.token, "sa-token");
    assert_string_equal(c.namespace, "team-a");
    assert_string_equal(c.ca_pem, "CA");
    kube_conn_free(&c);
    kubeconfig_free(&kc);
    setenv("POD_NAMESPACE", "from-env", 1);
    memset(&kc, 0, sizeof kc);
    assert_true(kubeconfig_load_incluster(&kc, sa, &e));
    assert_true(kubeconfig_resolve(&kc, NULL, NULL, &c, &e));
    assert_string_equal(c.namespace, "from-env");
    kube_conn_free(&c);
    kubeconfig_free(&kc);
    unsetenv("KUBERNETES_SERVICE_HOST");
    memset(&kc, 0, sizeof kc);
    assert_false(kubeconfig_load_incluster(&kc, sa, &e));
    kubeconfig_free(&kc);
    unsetenv("KUBERNETES_SERVICE_PORT");
    unsetenv("POD_NAMESPACE");
    free(tok);
    free(ca);
    free(ns);
    free(sa);
}

static void test_exec_block(void **state)
{
    (void)state;
    char *p = write_file("exec.yaml",
                         "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: "
                         "https://h\n    extensions:\n    - name: "
                         "client.authentication.k8s.io/exec\n      extension: {audience: foo, "
                         "n: 3}\nusers:\n- name: u\n  user:\n    exec:\n      apiVersion: "
                         "client.authentication.k8s.io/v1\n      command: ./bin/plug\n      "
                         "args: [--a, b]\n      env:\n      - {name: K, value: V}\n      "
                         "installHint: get it\n      provideClusterInfo: true\n      "
                         "interactiveMode: Never\n- name: bad\n  user:\n    exec: {apiVersion: "
                         "client.authentication.k8s.io/v1, command: x}\ncontexts:\n- name: x\n"
                         "  context: {cluster: c, user: u}\n- name: y\n  context: {cluster: c, "
                         "user: bad}\n");
    struct kubeconfig kc;
    struct err e = {0};
    assert_true(kubeconfig_load(&kc, p, &e));
    struct kube_conn c;
    assert_true(kubeconfig_resolve(&kc, "x", NULL, &c, &e));
    assert_true(c.has_exec);
    char *cmd = xasprintf("%s/bin/plug", dir);
    assert_string_equal(c.exec.command, cmd);
    assert_string_equal(c.exec.args[0], "--a");
    assert_string_equal(c.exec.args[1], "b");
    assert_null(c.exec.args[2]);
    assert_string_equal(c.exec.env[0], "K=V");
    assert_string_equal(c.exec.install_hint, "get it");
    assert_true(c.exec.provide_cluster_info);
    assert_int_equal(c.exec.interactive, EXEC_INTERACTIVE_NEVER);
    assert_string_equal(c.exec.cluster_config, "{\"audience\":\"foo\",\"n\":3}");
    kube_conn_free(&c);
    /* v1 without interactiveMode is refused, as kubectl refuses it. */
    assert_false(kubeconfig_resolve(&kc, "y", NULL, &c, &e));
    assert_non_null(strstr(e.msg, "interactiveMode must be specified"));
    kubeconfig_free(&kc);
    free(cmd);
    free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_single_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_merge_first_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_input, setup, teardown),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test_setup_teardown(test_in_cluster, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exec_block, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
