/* kubeconfig — parse with libyaml, merge by name, resolve a context into a kube_conn.
 *
 * Must not: write any kubeconfig, follow a path outside what the file names, or put a token,
 * password or key into an error message. */
#include "client/kubeconfig.h"
#include "util/base64.h"
#include "util/fs.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "util/yamldoc.h"

#include <cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define KUBECONFIG_MAX_FILE ((size_t)8 << 20)
#define KUBECONFIG_MAX_CRED ((size_t)1 << 20)

static char *dup_or_null(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

/* A path field, resolved against the directory of the file that holds it. */
static char *path_field(struct yamldoc *d, yaml_node_t *map, const char *key, const char *dir)
{
    const char *s = yamldoc_str(yamldoc_get(d, map, key));
    if (!s || !s[0])
        return NULL;
    return fs_resolve(dir, s);
}

/* A *-data field: base64 of PEM. */
static bool data_field(struct yamldoc *d, yaml_node_t *map, const char *key, const char *path,
                       const char *entry, char **out, size_t *len, struct err *e)
{
    const char *s = yamldoc_str(yamldoc_get(d, map, key));
    if (!s || !s[0])
        return true;
    struct strbuf sb;
    strbuf_init(&sb, KUBECONFIG_MAX_CRED);
    if (!base64_decode(s, strlen(s), &sb)) {
        strbuf_free(&sb);
        return err_set(e, "%s: %s of \"%s\" is not valid base64", path, key, entry);
    }
    *len = sb.len;
    *out = strbuf_take(&sb);
    return true;
}

static bool parse_cluster(struct kubeconfig *kc, struct yamldoc *d, yaml_node_t *item,
                          const char *path, const char *dir, struct err *e)
{
    const char *name = yamldoc_str(yamldoc_get(d, item, "name"));
    yaml_node_t *c = yamldoc_get(d, item, "cluster");
    if (!name)
        return err_set(e, "%s: a cluster entry has no name", path);
    if (kubeconfig_cluster(kc, name))
        return true; /* the first file that defines a name wins whole */
    struct kc_cluster cl = {0};
    cl.name = xstrdup(name);
    cl.server = dup_or_null(yamldoc_str(yamldoc_get(d, c, "server")));
    cl.ca_file = path_field(d, c, "certificate-authority", dir);
    cl.tls_server_name = dup_or_null(yamldoc_str(yamldoc_get(d, c, "tls-server-name")));
    cl.proxy_url = dup_or_null(yamldoc_str(yamldoc_get(d, c, "proxy-url")));
    cl.insecure = yamldoc_bool(yamldoc_get(d, c, "insecure-skip-tls-verify"), NULL);
    yaml_node_t *exts = yamldoc_get(d, c, "extensions");
    for (size_t i = 0; i < yamldoc_seq_len(exts); i++) {
        yaml_node_t *ext = yamldoc_seq_item(d, exts, i);
        const char *en = yamldoc_str(yamldoc_get(d, ext, "name"));
        if (en && strcmp(en, "client.authentication.k8s.io/exec") == 0 && !cl.exec_extension) {
            cJSON *j = yamldoc_to_json(d, yamldoc_get(d, ext, "extension"));
            char *txt = j ? cJSON_PrintUnformatted(j) : NULL;
            cl.exec_extension = txt ? xstrdup(txt) : NULL;
            free(txt);
            cJSON_Delete(j);
        }
    }
    bool ok =
        data_field(d, c, "certificate-authority-data", path, name, &cl.ca_data, &cl.ca_data_len, e);
    cl.source = kc->files.v[kc->files.len - 1];
    *kc_clusters_push(&kc->clusters) = cl;
    return ok;
}

/* A string list field (exec args) into a NULL-terminated vector. */
static char **str_list(struct yamldoc *d, yaml_node_t *seq)
{
    size_t n = yamldoc_seq_len(seq);
    char **v = xcalloc(n + 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *s = yamldoc_str(yamldoc_seq_item(d, seq, i));
        v[k++] = xstrdup(s ? s : "");
    }
    return v;
}

/* The exec block of a user. Problems are kept as a message and reported only if the user is
 * actually used, as kubectl does. */
static void parse_exec(struct yamldoc *d, yaml_node_t *ex, const char *dir, struct kc_user *us)
{
    struct exec_config *c = &us->exec;
    us->has_exec = true;
    const char *apiv = yamldoc_str(yamldoc_get(d, ex, "apiVersion"));
    const char *cmd = yamldoc_str(yamldoc_get(d, ex, "command"));
    c->api_version = apiv ? xstrdup(apiv) : NULL;
    /* A command with a '/' is relative to the kubeconfig; a bare name is searched in PATH. */
    c->command = cmd && strchr(cmd, '/') ? fs_resolve(dir, cmd) : cmd ? xstrdup(cmd) : NULL;
    c->args = str_list(d, yamldoc_get(d, ex, "args"));
    yaml_node_t *env = yamldoc_get(d, ex, "env");
    size_t n = yamldoc_seq_len(env);
    c->env = xcalloc(n + 1, sizeof *c->env);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *item = yamldoc_seq_item(d, env, i);
        const char *name = yamldoc_str(yamldoc_get(d, item, "name"));
        const char *value = yamldoc_str(yamldoc_get(d, item, "value"));
        if (name && name[0] && !strchr(name, '='))
            c->env[k++] = xasprintf("%s=%s", name, value ? value : "");
    }
    const char *hint = yamldoc_str(yamldoc_get(d, ex, "installHint"));
    c->install_hint = hint ? xstrdup(hint) : NULL;
    c->provide_cluster_info = yamldoc_bool(yamldoc_get(d, ex, "provideClusterInfo"), NULL);
    const char *mode = yamldoc_str(yamldoc_get(d, ex, "interactiveMode"));
    c->interactive = EXEC_INTERACTIVE_IFAVAILABLE;
    c->interactive_set = mode != NULL;
    if (mode && strcmp(mode, "Never") == 0)
        c->interactive = EXEC_INTERACTIVE_NEVER;
    else if (mode && strcmp(mode, "Always") == 0)
        c->interactive = EXEC_INTERACTIVE_ALWAYS;
    else if (mode && strcmp(mode, "IfAvailable") != 0)
        us->exec_error = xasprintf("invalid interactiveMode \"%s\" (want Never, IfAvailable or "
                                   "Always)",
                                   mode);
    if (!us->exec_error && (!cmd || !cmd[0]))
        us->exec_error = xstrdup("the exec block has no command");
    if (!us->exec_error && (!apiv || (strcmp(apiv, "client.authentication.k8s.io/v1") != 0 &&
                                      strcmp(apiv, "client.authentication.k8s.io/v1beta1") != 0)))
        us->exec_error = xasprintf("exec plugin: invalid apiVersion \"%s\"", apiv ? apiv : "");
    if (!us->exec_error && strcmp(apiv, "client.authentication.k8s.io/v1") == 0 && !mode)
        us->exec_error = xstrdup("interactiveMode must be specified to use the exec "
                                 "authentication plugin");
}

static bool parse_user(struct kubeconfig *kc, struct yamldoc *d, yaml_node_t *item,
                       const char *path, const char *dir, struct err *e)
{
    const char *name = yamldoc_str(yamldoc_get(d, item, "name"));
    yaml_node_t *u = yamldoc_get(d, item, "user");
    if (!name)
        return err_set(e, "%s: a user entry has no name", path);
    if (kubeconfig_user(kc, name))
        return true;
    struct kc_user us = {0};
    us.name = xstrdup(name);
    us.token = dup_or_null(yamldoc_str(yamldoc_get(d, u, "token")));
    us.token_file = path_field(d, u, "tokenFile", dir);
    us.cert_file = path_field(d, u, "client-certificate", dir);
    us.key_file = path_field(d, u, "client-key", dir);
    us.username = dup_or_null(yamldoc_str(yamldoc_get(d, u, "username")));
    us.password = dup_or_null(yamldoc_str(yamldoc_get(d, u, "password")));
    yaml_node_t *ex = yamldoc_get(d, u, "exec");
    if (ex && ex->type == YAML_MAPPING_NODE)
        parse_exec(d, ex, dir, &us);
    yaml_node_t *ap = yamldoc_get(d, u, "auth-provider");
    if (ap) {
        us.auth_provider = dup_or_null(yamldoc_str(yamldoc_get(d, ap, "name")));
        yaml_node_t *cfg = yamldoc_get(d, ap, "config");
        us.oidc_id_token = dup_or_null(yamldoc_str(yamldoc_get(d, cfg, "id-token")));
    }
    bool ok = data_field(d, u, "client-certificate-data", path, name, &us.cert_data,
                         &us.cert_data_len, e) &&
              data_field(d, u, "client-key-data", path, name, &us.key_data, &us.key_data_len, e);
    us.source = kc->files.v[kc->files.len - 1];
    *kc_users_push(&kc->users) = us;
    return ok;
}

static bool parse_context(struct kubeconfig *kc, struct yamldoc *d, yaml_node_t *item,
                          const char *path, struct err *e)
{
    const char *name = yamldoc_str(yamldoc_get(d, item, "name"));
    yaml_node_t *c = yamldoc_get(d, item, "context");
    if (!name)
        return err_set(e, "%s: a context entry has no name", path);
    if (kubeconfig_context(kc, name))
        return true;
    struct kc_context cx = {0};
    cx.name = xstrdup(name);
    cx.cluster = dup_or_null(yamldoc_str(yamldoc_get(d, c, "cluster")));
    cx.user = dup_or_null(yamldoc_str(yamldoc_get(d, c, "user")));
    cx.namespace = dup_or_null(yamldoc_str(yamldoc_get(d, c, "namespace")));
    cx.source = kc->files.v[kc->files.len - 1];
    *kc_contexts_push(&kc->contexts) = cx;
    return true;
}

bool kubeconfig_load_buffer(struct kubeconfig *kc, const char *path, const char *buf, size_t n,
                            struct err *e)
{
    struct yamldoc d;
    if (!yamldoc_load(&d, buf, n, e))
        return err_prefix(e, "cannot parse kubeconfig %s", path);
    yaml_node_t *root = yamldoc_root(&d);
    if (root && root->type != YAML_MAPPING_NODE) {
        yamldoc_free(&d);
        return err_set(e, "cannot parse kubeconfig %s: the top level is not a mapping", path);
    }
    *kc_files_push(&kc->files) = xstrdup(path);
    char *dir = fs_dirname(path);
    bool ok = true;
    static const char *const sections[] = {"clusters", "users", "contexts"};
    for (size_t s = 0; ok && s < 3; s++) {
        yaml_node_t *seq = yamldoc_get(&d, root, sections[s]);
        if (seq && seq->type != YAML_SEQUENCE_NODE && yamldoc_str(seq)) {
            ok = err_set(e, "cannot parse kubeconfig %s: \"%s\" is not a list", path, sections[s]);
            break;
        }
        for (size_t i = 0; ok && i < yamldoc_seq_len(seq); i++) {
            yaml_node_t *item = yamldoc_seq_item(&d, seq, i);
            if (s == 0)
                ok = parse_cluster(kc, &d, item, path, dir, e);
            else if (s == 1)
                ok = parse_user(kc, &d, item, path, dir, e);
            else
                ok = parse_context(kc, &d, item, path, e);
        }
    }
    const char *cur = yamldoc_str(yamldoc_get(&d, root, "current-context"));
    if (ok && cur && cur[0] && !kc->current_context)
        kc->current_context = xstrdup(cur);
    free(dir);
    yamldoc_free(&d);
    return ok;
}

bool kubeconfig_load_file(struct kubeconfig *kc, const char *path, struct err *e)
{
    struct strbuf sb = {0};
    if (!fs_read_file(path, KUBECONFIG_MAX_FILE, &sb, e)) {
        strbuf_free(&sb);
        return err_prefix(e, "cannot read kubeconfig");
    }
    bool ok = kubeconfig_load_buffer(kc, path, strbuf_str(&sb), sb.len, e);
    strbuf_free(&sb);
    return ok;
}

bool kubeconfig_load(struct kubeconfig *kc, const char *explicit_path, struct err *e)
{
    memset(kc, 0, sizeof *kc);
    if (explicit_path)
        return kubeconfig_load_file(kc, explicit_path, e);
    const char *env = getenv("KUBECONFIG");
    if (env && env[0]) {
        char *list = xstrdup(env);
        bool ok = true;
        size_t loaded = 0;
        for (char *save = NULL, *p = strtok_r(list, ":", &save); ok && p;
             p = strtok_r(NULL, ":", &save)) {
            bool dup = false;
            for (size_t i = 0; i < kc->files.len; i++)
                dup = dup || strcmp(kc->files.v[i], p) == 0;
            struct stat st;
            if (dup || stat(p, &st) != 0)
                continue; /* kubectl skips duplicates and missing files */
            ok = kubeconfig_load_file(kc, p, e);
            loaded++;
        }
        free(list);
        if (ok && loaded == 0)
            return err_set(e, "no kubeconfig found: none of the files in KUBECONFIG exist");
        return ok;
    }
    const char *home = getenv("HOME");
    char *path = home ? xasprintf("%s/.kube/config", home) : NULL;
    struct stat st;
    bool ok;
    if (path && stat(path, &st) == 0)
        ok = kubeconfig_load_file(kc, path, e);
    else if (getenv("KUBERNETES_SERVICE_HOST") && getenv("KUBERNETES_SERVICE_PORT"))
        ok = kubeconfig_load_incluster(kc, NULL, e);
    else if (path)
        ok = err_set(e, "no kubeconfig found at %s; use --kubeconfig or set KUBECONFIG", path);
    else
        ok = err_set(e, "no kubeconfig found: HOME is not set; use --kubeconfig");
    free(path);
    return ok;
}

bool kubeconfig_load_incluster(struct kubeconfig *kc, const char *sa_dir, struct err *e)
{
    const char *host = getenv("KUBERNETES_SERVICE_HOST");
    const char *port = getenv("KUBERNETES_SERVICE_PORT");
    if (!host || !host[0] || !port || !port[0])
        return err_set(e, "not running in a cluster: KUBERNETES_SERVICE_HOST/PORT are not set");
    if (!sa_dir)
        sa_dir = getenv("TIMON_SERVICEACCOUNT_DIR");
    if (!sa_dir)
        sa_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
    char *token = xasprintf("%s/token", sa_dir);
    struct stat st;
    if (stat(token, &st) != 0) {
        err_set(e, "in-cluster configuration: no service account token at %s", token);
        free(token);
        return false;
    }
    *kc_files_push(&kc->files) = xasprintf("%s (in-cluster)", sa_dir);
    const char *source = kc->files.v[kc->files.len - 1];
    struct kc_cluster cl = {0};
    cl.name = xstrdup("in-cluster");
    /* An IPv6 address goes in brackets, as client-go writes it. */
    cl.server = strchr(host, ':') ? xasprintf("https://[%s]:%s", host, port)
                                  : xasprintf("https://%s:%s", host, port);
    char *ca = xasprintf("%s/ca.crt", sa_dir);
    if (stat(ca, &st) == 0)
        cl.ca_file = ca;
    else
        free(ca);
    cl.source = source;
    *kc_clusters_push(&kc->clusters) = cl;
    struct kc_user us = {0};
    us.name = xstrdup("in-cluster");
    us.token_file = token;
    us.source = source;
    *kc_users_push(&kc->users) = us;
    struct kc_context cx = {0};
    cx.name = xstrdup("in-cluster");
    cx.cluster = xstrdup("in-cluster");
    cx.user = xstrdup("in-cluster");
    const char *pod_ns = getenv("POD_NAMESPACE");
    if (pod_ns && pod_ns[0]) {
        cx.namespace = xstrdup(pod_ns);
    } else {
        char *nsf = xasprintf("%s/namespace", sa_dir);
        struct strbuf sb = {0};
        if (fs_read_file(nsf, 4096, &sb, NULL)) {
            char *t = strbuf_take(&sb);
            t[strcspn(t, " \t\r\n")] = '\0';
            if (t[0])
                cx.namespace = t;
            else
                free(t);
        }
        strbuf_free(&sb);
        free(nsf);
    }
    cx.source = source;
    *kc_contexts_push(&kc->contexts) = cx;
    kc->current_context = xstrdup("in-cluster");
    return true;
}

void kubeconfig_free(struct kubeconfig *kc)
{
    for (size_t i = 0; i < kc->clusters.len; i++) {
        struct kc_cluster *c = &kc->clusters.v[i];
        free(c->name);
        free(c->server);
        free(c->ca_file);
        free(c->tls_server_name);
        free(c->proxy_url);
        free(c->ca_data);
        free(c->exec_extension);
    }
    for (size_t i = 0; i < kc->users.len; i++) {
        struct kc_user *u = &kc->users.v[i];
        free(u->name);
        free(u->token);
        free(u->token_file);
        free(u->cert_file);
        free(u->key_file);
        free(u->username);
        free(u->password);
        free(u->cert_data);
        free(u->key_data);
        free(u->auth_provider);
        free(u->oidc_id_token);
        free(u->exec_error);
        if (u->has_exec)
            exec_config_free(&u->exec);
    }
    for (size_t i = 0; i < kc->contexts.len; i++) {
        struct kc_context *c = &kc->contexts.v[i];
        free(c->name);
        free(c->cluster);
        free(c->user);
        free(c->namespace);
    }
    for (size_t i = 0; i < kc->files.len; i++)
        free(kc->files.v[i]);
    kc_clusters_free(&kc->clusters);
    kc_users_free(&kc->users);
    kc_contexts_free(&kc->contexts);
    kc_files_free(&kc->files);
    free(kc->current_context);
    memset(kc, 0, sizeof *kc);
}

const struct kc_context *kubeconfig_context(const struct kubeconfig *kc, const char *name)
{
    for (size_t i = 0; i < kc->contexts.len; i++)
        if (strcmp(kc->contexts.v[i].name, name) == 0)
            return &kc->contexts.v[i];
    return NULL;
}

const struct kc_cluster *kubeconfig_cluster(const struct kubeconfig *kc, const char *name)
{
    for (size_t i = 0; i < kc->clusters.len; i++)
        if (strcmp(kc->clusters.v[i].name, name) == 0)
            return &kc->clusters.v[i];
    return NULL;
}

const struct kc_user *kubeconfig_user(const struct kubeconfig *kc, const char *name)
{
    for (size_t i = 0; i < kc->users.len; i++)
        if (strcmp(kc->users.v[i].name, name) == 0)
            return &kc->users.v[i];
    return NULL;
}

/* Reads a credential file named by the kubeconfig into *out. */
static bool read_cred(const char *file, const char *what, char **out, size_t *len, struct err *e)
{
    struct strbuf sb = {0};
    strbuf_init(&sb, KUBECONFIG_MAX_CRED);
    if (!fs_read_file(file, KUBECONFIG_MAX_CRED, &sb, e)) {
        strbuf_free(&sb);
        return err_prefix(e, "cannot read %s", what);
    }
    if (len)
        *len = sb.len;
    *out = strbuf_take(&sb);
    return true;
}

static char *trim_token(char *t)
{
    size_t n = strlen(t);
    while (n && (t[n - 1] == '\n' || t[n - 1] == '\r' || t[n - 1] == ' ' || t[n - 1] == '\t'))
        t[--n] = '\0';
    return t;
}

bool kubeconfig_resolve(const struct kubeconfig *kc, const char *context, const char *ns,
                        struct kube_conn *out, struct err *e)
{
    memset(out, 0, sizeof *out);
    const char *name = context ? context : kc->current_context;
    if (!name)
        return err_set(e, "no current context is set in the kubeconfig; choose one with --context");
    const struct kc_context *cx = kubeconfig_context(kc, name);
    if (!cx)
        return err_set(e, "context \"%s\" does not exist in the kubeconfig", name);
    if (!cx->cluster)
        return err_set(e, "context \"%s\" names no cluster", name);
    const struct kc_cluster *cl = kubeconfig_cluster(kc, cx->cluster);
    if (!cl)
        return err_set(e, "context \"%s\" refers to cluster \"%s\", which is not defined", name,
                       cx->cluster);
    if (!cl->server || !cl->server[0])
        return err_set(e, "cluster \"%s\" has no server", cl->name);
    const struct kc_user *us = cx->user ? kubeconfig_user(kc, cx->user) : NULL;
    if (cx->user && cx->user[0] && !us)
        return err_set(e, "context \"%s\" refers to user \"%s\", which is not defined", name,
                       cx->user);

    bool has_ca = cl->ca_file || cl->ca_data;
    if (cl->insecure && has_ca)
        return err_set(e,
                       "cluster \"%s\": specifying a root certificates file with the insecure "
                       "flag is not allowed",
                       cl->name);
    if (us) {
        bool tok = us->token || us->token_file, basic = us->username || us->password;
        if (us->token && basic)
            return err_set(e,
                           "user \"%s\": more than one authentication method found; found "
                           "[token basicAuth], only one is allowed",
                           us->name);
        if (tok && basic)
            return err_set(e,
                           "user \"%s\": username/password or bearer token may be set, but "
                           "not both",
                           us->name);
        if (us->auth_provider && strcmp(us->auth_provider, "oidc") != 0)
            return err_set(e,
                           "user \"%s\": the %s auth plugin has been removed from Kubernetes "
                           "clients; use an exec credential plugin",
                           us->name, us->auth_provider);
    }

    out->context = xstrdup(cx->name);
    out->cluster = xstrdup(cl->name);
    out->user = xstrdup(cx->user ? cx->user : "");
    out->namespace = xstrdup(ns && ns[0]                         ? ns
                             : cx->namespace && cx->namespace[0] ? cx->namespace
                                                                 : "default");
    out->server = xstrdup(cl->server);
    out->source = xstrdup(cx->source ? cx->source : "");
    out->insecure = cl->insecure;
    out->tls_server_name = dup_or_null(cl->tls_server_name);
    out->proxy_url = dup_or_null(cl->proxy_url);

    bool ok = true;
    if (cl->ca_data) {
        out->ca_pem = xmalloc(cl->ca_data_len + 1);
        memcpy(out->ca_pem, cl->ca_data, cl->ca_data_len);
        out->ca_pem[cl->ca_data_len] = '\0';
        out->ca_len = cl->ca_data_len;
    } else if (cl->ca_file) {
        ok = read_cred(cl->ca_file, "certificate-authority", &out->ca_pem, &out->ca_len, e);
    }
    if (ok && us) {
        if (us->cert_data) {
            out->cert_pem = xstrndup(us->cert_data, us->cert_data_len);
            out->cert_len = us->cert_data_len;
        } else if (us->cert_file) {
            ok = read_cred(us->cert_file, "client-certificate", &out->cert_pem, &out->cert_len, e);
        }
    }
    if (ok && us) {
        if (us->key_data) {
            out->key_pem = xstrndup(us->key_data, us->key_data_len);
            out->key_len = us->key_data_len;
        } else if (us->key_file) {
            ok = read_cred(us->key_file, "client-key", &out->key_pem, &out->key_len, e);
        }
    }
    if (ok && us && (out->cert_pem != NULL) != (out->key_pem != NULL))
        ok = err_set(e, "user \"%s\": a client certificate needs both a certificate and a key",
                     us->name);
    if (ok && us && us->token_file) {
        /* tokenFile wins over token (kubectl re-reads it as it rotates). */
        out->token_file = xstrdup(us->token_file);
        ok = read_cred(us->token_file, "tokenFile", &out->token, NULL, e);
        if (ok)
            trim_token(out->token);
    } else if (ok && us && us->token) {
        out->token = xstrdup(us->token);
    } else if (ok && us && us->oidc_id_token) {
        out->token = xstrdup(us->oidc_id_token);
    }
    if (ok && us && us->username) {
        out->username = xstrdup(us->username);
        out->password = xstrdup(us->password ? us->password : "");
    }
    if (ok && us && us->has_exec) {
        if (us->exec_error) {
            ok = err_set(e, "user \"%s\": %s", us->name, us->exec_error);
        } else {
            out->has_exec = true;
            exec_config_copy(&out->exec, &us->exec);
            free(out->exec.cluster_config);
            out->exec.cluster_config = cl->exec_extension ? xstrdup(cl->exec_extension) : NULL;
        }
    }
    if (!ok)
        kube_conn_free(out);
    return ok;
}

void kube_conn_free(struct kube_conn *c)
{
    char **strs[] = {&c->context,    &c->cluster,         &c->user,     &c->namespace,
                     &c->server,     &c->source,          &c->ca_pem,   &c->cert_pem,
                     &c->token_file, &c->tls_server_name, &c->proxy_url};
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        free(*strs[i]);
        *strs[i] = NULL;
    }
    if (c->has_exec)
        exec_config_free(&c->exec);
    /* Credentials are wiped before they are freed. */
    char **secrets[] = {&c->token, &c->username, &c->password, &c->key_pem};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        if (*secrets[i]) {
            volatile char *p = *secrets[i];
            while (*p)
                *p++ = '\0';
            free(*secrets[i]);
            *secrets[i] = NULL;
        }
    }
    memset(c, 0, sizeof *c);
}
