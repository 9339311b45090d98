/* op_rollback — `ctrl-l`: rollout history and undo, as `kubectl rollout history` and
 * `kubectl rollout undo --to-revision` do them.
 *
 * Deployments keep their revisions in ReplicaSets (the deployment.kubernetes.io/revision
 * annotation); StatefulSets and DaemonSets in ControllerRevisions. Only revisions the target
 * controls (by owner uid) count. A deployment rolls back with a JSON patch that first tests
 * the uid; the others with the revision's own strategic merge patch, pinned by uid. */
#ifndef TIMON_CLIENT_OP_ROLLBACK_H
#define TIMON_CLIENT_OP_ROLLBACK_H

#include <stddef.h>
#include <stdint.h>

#include "client/op.h"

struct revision {
    int64_t number;
    char *name;          /* the ReplicaSet or ControllerRevision */
    char *change_cause;  /* kubernetes.io/change-cause, or "" */
    char *images;        /* the template's container images, comma-separated */
    int64_t created;     /* epoch seconds */
    cJSON *pod_template; /* the pod template (a ReplicaSet's without pod-template-hash) */
    cJSON *source;       /* the ReplicaSet or ControllerRevision as read */
};

struct history {
    struct revision *v; /* newest first */
    size_t n;
    int64_t current; /* the revision the controller runs now */
    cJSON *owner;    /* the deployment, statefulset or daemonset as read */
};

/* Reads the history; fn receives it (and owns it: history_free) or NULL with r's message. */
typedef void (*op_history_fn)(void *ud, struct history *hist, const struct op_result *r);
bool op_history(struct http *h, const struct target *t, op_history_fn fn, void *ud, struct err *e);
void history_free(struct history *hist);
/* The revision numbered n, or NULL. */
const struct revision *history_find(const struct history *hist, int64_t n);
/* The revision a rollback picks by default: the newest one before the current. */
const struct revision *history_previous(const struct history *hist);

/* Rolls back to revision n of hist (read from the same target just before). */
bool op_rollback(struct http *h, const struct target *t, const struct history *hist, int64_t n,
                 op_done_fn done, void *ud, struct err *e);

/* Parts exposed for unit tests: builds the history from the owner and the list of its
 * ReplicaSets or ControllerRevisions; the rollback request body. */
struct history *history_build(const char *resource, const cJSON *owner, const cJSON *list);
char *op_rollback_body(const char *resource, const struct target *t, const struct history *hist,
                       int64_t n, const char **content_type, struct err *e);
/* A label selector string from a LabelSelector object ("app=web,tier in (a,b)"). */
void op_selector_string(const cJSON *sel, struct strbuf *out);

#endif
