/* Exec credential plugins: v1 and v1beta1 output, KUBERNETES_EXEC_INFO, env, a missing command
 * with its install hint, a failing plugin's stderr, a hung plugin killed at its deadline, and
 * the auth layer's caching, 401 re-run and token-file rotation. */
#include "test_util.h"

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "client/auth.h"
#include "client/execcred.h"
#include "util/clock.h"
#include "util/xalloc.h"

static char dir[256];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/timon-exec-XXXXXX");
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

static char *script(const char *name, const char *body)
{
    char *path = xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    fprintf(f, "#!/bin/sh\n%s\n", body);
    fclose(f);
    chmod(path, 0755);
    return path;
}

static char api_v1[] = "client.authentication.k8s.io/v1";
static char api_v1beta1[] = "client.authentication.k8s.io/v1beta1";
static char hint[] = "install it with: apt-get install the-plugin";

static void config(struct exec_config *c, char *cmd, char *apiv)
{
    memset(c, 0, sizeof *c);
    c->command = cmd;
    c->api_version = apiv;
    c->interactive = EXEC_INTERACTIVE_NEVER;
}

static void test_v1_token_and_exec_info(void **state)
{
    (void)state;
    char *info_file = xasprintf("%s/info.json", dir);
    char *body = xasprintf("printf '%%s' \"$KUBERNETES_EXEC_INFO\" > '%s'\n"
                           "echo \"arg=$1 env=$MY_ENV\" >&2\n"
                           "cat <<E\n{\"kind\":\"ExecCredential\",\"apiVersion\":"
                           "\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"tok-$1\","
                           "\"expirationTimestamp\":\"2099-01-01T00:00:00Z\"}}\nE",
                           info_file);
    char *cmd = script("plugin.sh", body);
    struct exec_config c;
    config(&c, cmd, api_v1);
    char arg0[] = "first", env0[] = "MY_ENV=yes";
    char *args[] = {arg0, NULL};
    char *env[] = {env0, NULL};
    c.args = args;
    c.env = env;
    struct exec_cred cred;
    struct err e = {0};
    const char *info = "{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s."
                       "io/v1\",\"spec\":{\"interactive\":false}}";
    assert_true(execcred_run_sync(&c, info, false, 5000, &cred, &e));
    assert_string_equal(cred.token, "tok-first");
    assert_int_equal(cred.expiry, 4070908800LL);
    assert_null(cred.cert_pem);
    exec_cred_free(&cred);
    FILE *f = fopen(info_file, "r");
    char got[512] = {0};
    assert_non_null(fgets(got, sizeof got, f));
    fclose(f);
    assert_string_equal(got, info);
    free(cmd);
    free(body);
    free(info_file);
}

static void expect_fail(const char *name, const char *body, char *apiv, long timeout,
                        const char *needle)
{
    char *cmd = script(name, body);
    struct exec_config c;
    config(&c, cmd, apiv);
    c.install_hint = hint;
    struct exec_cred cred;
    struct err e = {0};
    int64_t t0 = clock_mono_ms();
    assert_false(execcred_run_sync(&c, "{}", false, timeout, &cred, &e));
    assert_true(clock_mono_ms() - t0 < timeout + 2000);
    if (!strstr(e.msg, needle))
        fail_msg("error \"%s\" lacks \"%s\"", e.msg, needle);
    assert_null(strstr(e.msg, "SECRET"));
    free(cmd);
}

static void test_failures(void **state)
{
    (void)state;
    expect_fail("wrongver.sh",
                "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/"
                "v1beta1\",\"status\":{\"token\":\"SECRET\"}}'",
                api_v1, 5000, "plugin returned version");
    expect_fail("exit1.sh", "echo 'MFA device not registered' >&2; exit 3", api_v1, 5000,
                "failed with exit code 3: MFA device not registered");
    expect_fail("garbage.sh", "echo not json", api_v1, 5000, "did not print an ExecCredential");
    expect_fail("nostatus.sh",
                "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s."
                "io/v1\"}'",
                api_v1, 5000, "returned no status");
    expect_fail("halfcert.sh",
                "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s."
                "io/v1\",\"status\":{\"clientCertificateData\":\"x\"}}'",
                api_v1, 5000, "without its key");
    expect_fail("hung.sh", "sleep 30", api_v1, 500, "did not answer in time");
}

static void test_missing_plugin_shows_install_hint(void **state)
{
    (void)state;
    struct exec_config c;
    char missing[] = "timon-no-such-plugin";
    config(&c, missing, api_v1);
    c.install_hint = hint;
    struct exec_cred cred;
    struct err e = {0};
    assert_false(execcred_run_sync(&c, "{}", false, 5000, &cred, &e));
    assert_non_null(strstr(e.msg, "timon-no-such-plugin"));
    assert_non_null(strstr(e.msg, "apt-get install the-plugin"));
    char *abs = xasprintf("%s/missing.sh", dir);
    config(&c, abs, api_v1);
    assert_false(execcred_run_sync(&c, "{}", false, 5000, &cred, &e));
    assert_non_null(strstr(e.msg, "not found"));
    free(abs);
}

static void test_v1beta1_client_cert(void **state)
{
    (void)state;
    char *cmd =
        script("cert.sh", "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client."
                          "authentication.k8s.io/v1beta1\",\"status\":{"
                          "\"clientCertificateData\":\"CERT\",\"clientKeyData\":\"KEY\"}}'");
    struct exec_config c;
    config(&c, cmd, api_v1beta1);
    struct exec_cred cred;
    struct err e = {0};
    assert_true(execcred_run_sync(&c, "{}", false, 5000, &cred, &e));
    assert_string_equal(cred.cert_pem, "CERT");
    assert_string_equal(cred.key_pem, "KEY");
    assert_null(cred.token);
    assert_int_equal(cred.expiry, 0);
    exec_cred_free(&cred);
    free(cmd);
}

/* Drives auth until its running plugin ends. */
static void settle(struct auth *a)
{
    int64_t deadline = clock_mono_ms() + 5000;
    struct pollfd fds[4];
    while (clock_mono_ms() < deadline) {
        size_t n = auth_pollfds(a, fds, 4);
        int t = auth_timeout_ms(a);
        poll(fds, (nfds_t)n, t < 0 || t > 50 ? 50 : t);
        if (auth_on_poll(a, fds, n))
            return;
    }
    fail_msg("the plugin did not finish");
}

/* A plugin that prints "tok<N>" on its Nth run, the credential expiring two seconds after it
 * was printed when `expiring`; its path (malloc'd). */
static char *counting_plugin(const char *name, bool expiring)
{
    char *counter = xasprintf("%s/%s.count", dir, name);
    char *body =
        xasprintf("echo x >> '%s'\nn=$(wc -l < '%s')\n"
                  "exp=$(date -u -d @$(( $(date +%%s) + 2 )) +%%Y-%%m-%%dT%%H:%%M:%%SZ)\n"
                  "echo \"{\\\"kind\\\":\\\"ExecCredential\\\",\\\"apiVersion\\\":"
                  "\\\"client.authentication.k8s.io/v1\\\",\\\"status\\\":{\\\"token\\\":"
                  "\\\"tok$n\\\"%s}}\"",
                  counter, counter, expiring ? ",\\\"expirationTimestamp\\\":\\\"$exp\\\"" : "");
    char *file = xasprintf("%s.sh", name);
    char *cmd = script(file, body);
    free(file);
    free(body);
    free(counter);
    return cmd;
}

/* An auth whose credential comes from the plugin at cmd (not interactive). */
static struct auth *plugin_auth(char *cmd)
{
    static char server[] = "https://example:6443";
    struct kube_conn conn = {.server = server, .has_exec = true};
    config(&conn.exec, cmd, api_v1);
    conn.exec.interactive_set = true;
    return auth_new(&conn);
}

static void test_auth_caches_and_reruns_on_401(void **state)
{
    (void)state;
    char *cmd = counting_plugin("counting", false);
    struct auth *a = plugin_auth(cmd);
    struct err e = {0};
    assert_int_equal(auth_prepare(a, &e), AUTH_PENDING);
    assert_int_equal(auth_prepare(a, &e), AUTH_PENDING); /* one run at a time */
    settle(a);
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_string_equal(auth_token(a), "tok1");
    uint64_t gen = auth_generation(a);
    /* No expiry: cached for good, however many requests. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_int_equal(auth_plugin_runs(a), 1);
    /* A 401 for an older generation does nothing; for the current one, the plugin runs again. */
    auth_rejected(a, gen - 1);
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    auth_rejected(a, gen);
    assert_int_equal(auth_prepare(a, &e), AUTH_PENDING);
    settle(a);
    assert_string_equal(auth_token(a), "tok2");
    assert_true(auth_generation(a) > gen);
    assert_int_equal(auth_plugin_runs(a), 2);
    auth_free(a);
    free(cmd);
}

/* A credential with an expirationTimestamp is cached until then, and the plugin runs again
 * once it has passed (a short-lived one is not refreshed ahead of time). */
static void test_credential_refreshed_at_expiry(void **state)
{
    (void)state;
    char *cmd = counting_plugin("expiring", true);
    struct auth *a = plugin_auth(cmd);
    struct err e = {0};
    assert_int_equal(auth_prepare(a, &e), AUTH_PENDING);
    settle(a);
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_string_equal(auth_token(a), "tok1");
    assert_int_equal(auth_prepare(a, &e), AUTH_READY); /* still valid: cached */
    assert_int_equal(auth_plugin_runs(a), 1);
    int64_t until = clock_wall_s() + 5;
    while (clock_wall_s() < until && auth_prepare(a, &e) == AUTH_READY)
        usleep(100 * 1000);
    settle(a);
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_string_equal(auth_token(a), "tok2");
    assert_int_equal(auth_plugin_runs(a), 2);
    auth_free(a);
    free(cmd);
}

static void test_token_file_rotation(void **state)
{
    (void)state;
    char *tf = xasprintf("%s/token", dir);
    FILE *f = fopen(tf, "w");
    fputs("first\n", f);
    fclose(f);
    char server[] = "https://example:6443", tok[] = "first";
    struct kube_conn conn = {.server = server, .token = tok, .token_file = tf};
    struct auth *a = auth_new(&conn);
    struct err e = {0};
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_string_equal(auth_token(a), "first");
    usleep(20000);
    f = fopen(tf, "w");
    fputs("second\n", f);
    fclose(f);
    /* Within the minute the file is not re-read, unless the server rejects the token. */
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_string_equal(auth_token(a), "first");
    auth_rejected(a, auth_generation(a));
    assert_int_equal(auth_prepare(a, &e), AUTH_READY);
    assert_string_equal(auth_token(a), "second");
    auth_free(a);
    free(tf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_v1_token_and_exec_info, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_plugin_shows_install_hint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_v1beta1_client_cert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_auth_caches_and_reruns_on_401, setup, teardown),
        cmocka_unit_test_setup_teardown(test_credential_refreshed_at_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_file_rotation, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
