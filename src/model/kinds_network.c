/* kinds_network — the registry of the network kinds: services, ingresses, networkpolicies. */
#include "model/kinds_groups.h"

extern const struct kind kind_services;
extern const struct kind kind_ingresses;
extern const struct kind kind_networkpolicies;

const struct kind *const kinds_network[] = {
    &kind_services,
    &kind_ingresses,
    &kind_networkpolicies,
    NULL,
};
