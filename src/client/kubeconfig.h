/* kubeconfig — loading, merging and resolving kubeconfig files (libyaml).
 *
 * Files merge by kubectl's rules: for each named cluster, user or context, the first file that
 * defines it wins whole; current-context comes from the first file that sets it; relative paths
 * resolve against the file that holds them. kubeconfig_resolve turns a context into a kube_conn:
 * everything a client needs to reach one cluster as one user. This module never writes a
 * kubeconfig and never puts a credential into an error message. */
#ifndef TIMON_CLIENT_KUBECONFIG_H
#define TIMON_CLIENT_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "client/execcred.h"
#include "util/err.h"
#include "util/vec.h"

struct kc_cluster {
    char *name, *server, *ca_file, *tls_server_name, *proxy_url; /* owned */
    char *ca_data;                                               /* owned, decoded PEM */
    size_t ca_data_len;
    char *exec_extension; /* owned JSON of the "client.authentication.k8s.io/exec" extension */
    bool insecure;
    const char *source; /* borrowed from kubeconfig.files */
};

struct kc_user {
    char *name, *token, *token_file, *cert_file, *key_file, *username, *password; /* owned */
    char *cert_data, *key_data; /* owned, decoded PEM */
    size_t cert_data_len, key_data_len;
    char *auth_provider; /* owned: auth-provider name, if any */
    char *oidc_id_token; /* owned: auth-provider oidc id-token */
    bool has_exec;
    struct exec_config exec; /* owned, when has_exec */
    char *exec_error;        /* owned: why the exec block is unusable, or NULL */
    const char *source;
};

struct kc_context {
    char *name, *cluster, *user, *namespace; /* owned */
    const char *source;
};

VEC_DEFINE(kc_clusters, struct kc_cluster)
VEC_DEFINE(kc_users, struct kc_user)
VEC_DEFINE(kc_contexts, struct kc_context)
VEC_DEFINE(kc_files, char *)

struct kubeconfig {
    struct kc_clusters clusters;
    struct kc_users users;
    struct kc_contexts contexts;
    char *current_context; /* owned; NULL when no file sets it */
    struct kc_files files; /* owned paths, in load order */
};

/* One cluster as one user: everything the HTTP layer needs. All strings owned. */
struct kube_conn {
    char *context, *cluster, *user, *namespace, *server, *source;
    char *ca_pem, *cert_pem, *key_pem;
    size_t ca_len, cert_len, key_len;
    char *token, *token_file, *username, *password, *tls_server_name, *proxy_url;
    bool insecure;
    bool has_exec;
    struct exec_config exec; /* owned, when has_exec */
};

/* Loads the kubeconfig the way kubectl picks it: `explicit_path` if given (it must exist),
 * else every file in $KUBECONFIG (missing ones skipped), else ~/.kube/config. */
bool kubeconfig_load(struct kubeconfig *kc, const char *explicit_path, struct err *e);
/* The in-cluster configuration, used when no kubeconfig exists and KUBERNETES_SERVICE_HOST
 * and _PORT are set: the service account's token (a tokenFile, so it rotates), CA and namespace
 * ($POD_NAMESPACE first). `sa_dir` NULL means $TIMON_SERVICEACCOUNT_DIR or
 * /var/run/secrets/kubernetes.io/serviceaccount. The context is named "in-cluster". */
bool kubeconfig_load_incluster(struct kubeconfig *kc, const char *sa_dir, struct err *e);
/* Merges one more file into kc (entries already defined win). */
bool kubeconfig_load_file(struct kubeconfig *kc, const char *path, struct err *e);
/* Merges a file's contents already in memory; `path` names it in errors and anchors relative
 * paths. Used by the fuzzer. */
bool kubeconfig_load_buffer(struct kubeconfig *kc, const char *path, const char *buf, size_t n,
                            struct err *e);
void kubeconfig_free(struct kubeconfig *kc);

const struct kc_context *kubeconfig_context(const struct kubeconfig *kc, const char *name);
const struct kc_cluster *kubeconfig_cluster(const struct kubeconfig *kc, const char *name);
const struct kc_user *kubeconfig_user(const struct kubeconfig *kc, const char *name);

/* Resolves `context` (NULL: the current context) into out, reading CA/cert/key/token files.
 * `ns` overrides the context's namespace when non-NULL; the default namespace is "default". */
bool kubeconfig_resolve(const struct kubeconfig *kc, const char *context, const char *ns,
                        struct kube_conn *out, struct err *e);
void kube_conn_free(struct kube_conn *c);

#endif
