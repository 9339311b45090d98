/* historyview — rollout history and rollback (ctrl-l). See historyview.c. */
#ifndef TIMON_VIEWS_HISTORYVIEW_H
#define TIMON_VIEWS_HISTORYVIEW_H

#include "client/target.h"
#include "views/view.h"

struct ui;

/* Opens the history of t (a deployment, statefulset or daemonset), or, for a ReplicaSet, its
 * deployment's history with the rollback to the ReplicaSet's revision offered at once. */
void historyview_open(struct ui *ui, const struct target *t);
const struct view_ops *historyview_ops(void);

#endif
