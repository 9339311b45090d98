/* kinds_network — the registry of the network kinds: services, ingresses, networkpolicies. */
#include "model/kinds_groups.h"

const struct kind *const kinds_network[] = {
    NULL,
};
