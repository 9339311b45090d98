/* kinds_storage — the registry of the storage kinds: persistentvolumeclaims, persistentvolumes,
 * storageclasses. */
#include "model/kinds_groups.h"

const struct kind *const kinds_storage[] = {
    NULL,
};
