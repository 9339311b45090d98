/* describe — `kubectl describe` (1.32) as text, byte for byte, from parsed API objects.
 *
 * Pod, Deployment, ReplicaSet, Node and Service have kubectl's own layouts (describe_<kind>.c),
 * Secrets show byte counts, and every other kind (custom resources included) gets kubectl's
 * generic layout: metadata, then every field nested, then events. Each kind also says which
 * requests kubectl makes for it (the plan), so client/describer.c can fetch exactly those.
 *
 * Rendering is pure: a function of the objects and the clock. Output goes through a prefix
 * writer (levels of two spaces, kubectl's escaping of ESC and CR) into tab-separated cells that
 * Go's tabwriter rules lay out (minwidth 0, padding 2). Nothing here prints or fetches. */
#ifndef TIMON_MODEL_DESCRIBE_H
#define TIMON_MODEL_DESCRIBE_H

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "client/describer.h"
#include "util/err.h"
#include "util/strbuf.h"

/* The prefix writer: cells separated by tabs, before the tabwriter. */
struct describe_w {
    struct strbuf raw;
    int64_t now; /* wall clock for ages */
};

/* kubectl's PrefixWriter.Write: 2*level spaces, then the formatted text, ESC and CR escaped. */
void describe_write(struct describe_w *w, int level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Shared sections. */
/* "Name:" and "Namespace:" of an object's metadata. */
void describe_name(struct describe_w *w, const cJSON *meta);
/* Name, Namespace, Labels and Annotations, the head of most layouts. */
void describe_metadata(struct describe_w *w, const cJSON *meta);
/* "Title:\tk=v" lines, sorted; "<none>" when empty. initial_indent prefixes the title. */
void describe_labels(struct describe_w *w, const char *title, const cJSON *labels);
/* "Title:\tk: v" lines, sorted, without the last-applied-configuration; long or multi-line
 * values are folded as kubectl folds them. */
void describe_annotations(struct describe_w *w, const char *title, const cJSON *annotations);
/* The Events section of core/v1 Event arrays (more may be NULL; kubectl appends a node's two
 * queries), sorted by lastTimestamp. */
void describe_events(struct describe_w *w, const cJSON *events, const cJSON *more);
/* "Kind/name" of the controller owner reference, or NULL. */
const cJSON *describe_controller(const cJSON *obj);
/* A metav1.Time field as kubectl prints it (RFC1123Z in local time; the zero time as Go
 * prints it). Returns buf (at least 40 bytes). */
const char *describe_time(const cJSON *obj, const char *key, char *buf, size_t n);
/* HumanDuration since a time field, or "<unknown>" when unset. Returns buf (16 bytes). */
const char *describe_since(const struct describe_w *w, const cJSON *obj, const char *key, char *buf,
                           size_t n);
/* Go's %v of a JSON scalar: strings as is, integers in decimal, floats shortest, bools,
 * "<nil>" for null. Returns buf or the string itself. */
const char *describe_scalar(const cJSON *v, char *buf, size_t n);
/* A resource.Quantity field in its canonical form, or `missing`. */
const char *describe_qty(const cJSON *v, const char *missing, char *buf, size_t n);
/* IntOrString as kubectl's String(): the number, or the string. */
const char *describe_intstr(const cJSON *v, char *buf, size_t n);
/* The members of a JSON object sorted by key, bytewise as Go sorts strings (malloc'ed, NULL
 * when there are none). */
const cJSON **describe_members(const cJSON *obj, size_t *n);
/* The conditions of a Deployment or ReplicaSet: Type, Status, Reason. */
void describe_conditions(struct describe_w *w, const cJSON *conditions);
/* A stable sort (Go's sort.Sort/Slice keep equal elements in order for the short lists kubectl
 * sorts; a stable sort gives the same order for any length). */
void describe_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *));

/* One kind's describe: the follow-up requests, and the layout. */
struct describe_kind {
    const char *group;
    const char *kind;
    void (*plan)(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p);
    /* Writes the cells; false with e set when there is nothing to show. */
    bool (*render)(const struct describer_result *r, struct describe_w *w, struct err *e);
};

extern const struct describe_kind describe_pods;
extern const struct describe_kind describe_deployments;
extern const struct describe_kind describe_replicasets;
extern const struct describe_kind describe_nodes;
extern const struct describe_kind describe_services;
extern const struct describe_kind describe_secrets;
extern const struct describe_kind describe_generic;

/* The describe for a group and kind (the generic one for anything without its own). */
const struct describe_kind *describe_for(const char *group, const char *kind);

/* The hooks client/describer.c runs: plan and render by the target's kind. */
extern const struct describer_hooks describe_hooks;

/* The events request every describe makes: involvedObject name, namespace, kind (unless
 * kind is NULL, as for pods) and uid (unless NULL). */
void describe_plan_events(struct describer_plan *p, const char *ns, const char *name,
                          const char *kind, const char *uid);
/* The same for obj itself (its name, namespace and uid, with `kind`); returns its metadata, or
 * NULL (nothing planned) when obj is NULL. */
const cJSON *describe_plan_own_events(struct describer_plan *p, const cJSON *obj, const char *kind);

/* Lays the writer's cells out with the tabwriter into out, and frees the writer. */
void describe_finish(struct describe_w *w, struct strbuf *out);

#endif
