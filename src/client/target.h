/* target — what an action acts on, pinned when the key is pressed.
 *
 * The connection (context, cluster, server and the session generation of the client that was
 * live), the resource (group, version, plural, kind) and the object (namespace, name, uid).
 * Requests for an action are built from the target alone, never from what the UI shows when
 * the user confirms, so a context or namespace switch in between cannot redirect them; the
 * session generation lets the UI refuse to send once the client it was captured on is gone, and
 * every op refuses a client other than the one captured (op_pinned), below the UI. */
#ifndef TIMON_CLIENT_TARGET_H
#define TIMON_CLIENT_TARGET_H

#include <stdbool.h>

#include "util/strbuf.h"

struct target {
    char *context, *cluster, *server; /* owned */
    char *kubeconfig;                 /* owned: the file that defines the context ("" unknown) */
    unsigned session;                 /* the client generation at capture */
    unsigned long client;             /* http_id of the client it was captured on (0: any) */
    char *group, *version, *resource, *kind;
    bool namespaced;
    char *ns, *name, *uid; /* owned; ns "" for cluster-scoped objects */
};

struct target_spec {
    const char *context, *cluster, *server, *kubeconfig;
    unsigned session;
    unsigned long client;
    const char *group, *version, *resource, *kind;
    bool namespaced;
    const char *ns, *name, *uid;
};

void target_init(struct target *t, const struct target_spec *s);
void target_copy(struct target *dst, const struct target *src);
void target_free(struct target *t);
/* The object's path ("/apis/apps/v1/namespaces/ns/deployments/web"), with "/sub" when sub is
 * non-NULL, appended to out. */
void target_path(const struct target *t, const char *sub, struct strbuf *out);
/* The collection path of another resource in the target's namespace (for related lists). */
void target_sibling_path(const struct target *t, const char *group, const char *version,
                         const char *resource, struct strbuf *out);
/* "deployment/web in shop" for flashes and dialogs (lowercase kind, as kubectl prints). */
void target_describe(const struct target *t, struct strbuf *out);

#endif
