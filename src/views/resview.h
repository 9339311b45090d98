/* resview — a live table of one kind: a feed (list + watch) into a store, a model table over
 * it, and the screen state (selection by uid, scrolling, marks, sort, wide, filter, flashes).
 *
 * Enter drills down as k9s does: workloads and services to their pods, cron jobs to their
 * jobs, nodes to their pods, namespaces to their pods, CRDs to their objects, pods to their
 * containers, containers to their logs, contexts to a switch, anything else to its describe. */
#ifndef TIMON_VIEWS_RESVIEW_H
#define TIMON_VIEWS_RESVIEW_H

#include "model/kind.h"
#include "views/view.h"

struct resview_spec {
    const struct kind *kind;
    const char *ns;       /* NULL: all namespaces (ignored for cluster-scoped kinds) */
    const char *selector; /* label selector sent to the server, or NULL */
    const char *fieldsel; /* field selector sent to the server, or NULL */
    const char *owner;    /* keep only objects controlled by "Kind/name", or NULL */
    const char *filter;   /* initial '/' filter, or NULL */
    const char *crumb;    /* the crumb, or NULL for the kind's plural */
    const cJSON *local;   /* a KIND_LOCAL kind's rows (copied), or NULL */
};

struct view *resview_new(struct ui *ui, const struct resview_spec *spec);
/* The uid of the selected row, or NULL (borrowed). */
const char *resview_selected(const struct view *v);

#endif
