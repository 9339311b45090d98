/* kinds_cluster — the registry of the cluster kinds: nodes, namespaces, events,
 * customresourcedefinitions. */
#include "model/kinds_groups.h"

const struct kind *const kinds_cluster[] = {
    NULL,
};
