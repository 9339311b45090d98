/* actions — the keys that change the cluster: scale, restart, rollback, labels, delete, kill,
 * edit, cordon, uncordon, drain, cron job trigger and suspend.
 *
 * When the key is pressed, every target is pinned (client/target.h): the context, cluster and
 * server of the live connection, its session generation, and each object's kind, namespace,
 * name and uid. Dialogs and requests use only the pinned targets; a confirmation that arrives
 * after the connection changed is refused before anything is sent.
 *
 * Read-only mode refuses every action here with a flash, before a dialog opens; the transport's
 * guard (client/http.c) is what makes it a guarantee. An action RBAC forbids (a cached
 * SelfSubjectAccessReview) is refused with the reason, and its hint is dimmed. */
#ifndef TIMON_VIEWS_ACTIONS_H
#define TIMON_VIEWS_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/kind.h"
#include "model/obj.h"
#include "views/keymap.h"

struct ui;
struct actions;

/* Starts action a on rows (the marked rows, or the selected one) of kind k. */
void actions_start(struct ui *ui, enum action a, const struct kind *k,
                   const struct obj *const *rows, size_t n);
/* Whether RBAC forbids a on kind k in namespace ns (NULL: all); asks once, answers from the
 * cache. reason: the authorizer's words, or "". */
bool actions_forbidden(struct ui *ui, enum action a, const struct kind *k, const char *ns,
                       const char **reason);
/* Background work: drains in progress, an editor to reopen. */
void actions_tick(struct ui *ui);
int actions_timeout_ms(struct ui *ui);
void actions_free(struct ui *ui);

#endif
