/* kinds_config — the registry of the config kinds: configmaps, secrets, serviceaccounts. */
#include "model/kinds_groups.h"

const struct kind *const kinds_config[] = {
    NULL,
};
