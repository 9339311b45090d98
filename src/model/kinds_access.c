/* kinds_access — the registry of the access kinds: roles, clusterroles, rolebindings,
 * clusterrolebindings. */
#include "model/kinds_groups.h"

extern const struct kind kind_roles;
extern const struct kind kind_clusterroles;
extern const struct kind kind_rolebindings;
extern const struct kind kind_clusterrolebindings;

const struct kind *const kinds_access[] = {
    &kind_roles, &kind_rolebindings, &kind_clusterroles, &kind_clusterrolebindings, NULL,
};
