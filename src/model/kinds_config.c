/* kinds_config — the registry of the config kinds: configmaps, secrets, serviceaccounts. */
#include "model/kinds_groups.h"

extern const struct kind kind_configmaps;
extern const struct kind kind_secrets;
extern const struct kind kind_serviceaccounts;

const struct kind *const kinds_config[] = {
    &kind_configmaps,
    &kind_secrets,
    &kind_serviceaccounts,
    NULL,
};
