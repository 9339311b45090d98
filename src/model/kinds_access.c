/* kinds_access — the registry of the access kinds: roles, clusterroles, rolebindings,
 * clusterrolebindings. */
#include "model/kinds_groups.h"

const struct kind *const kinds_access[] = {
    NULL,
};
