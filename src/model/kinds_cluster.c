/* kinds_cluster — the registry of the cluster kinds: nodes, namespaces, events,
 * customresourcedefinitions. */
#include "model/kinds_groups.h"

extern const struct kind kind_nodes;
extern const struct kind kind_namespaces;
extern const struct kind kind_events;
extern const struct kind kind_customresourcedefinitions;

const struct kind *const kinds_cluster[] = {
    &kind_nodes, &kind_namespaces, &kind_events, &kind_customresourcedefinitions, NULL,
};
