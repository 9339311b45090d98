/* kinds_storage — the registry of the storage kinds: persistentvolumeclaims, persistentvolumes,
 * storageclasses. */
#include "model/kinds_groups.h"

extern const struct kind kind_persistentvolumeclaims;
extern const struct kind kind_persistentvolumes;
extern const struct kind kind_storageclasses;

const struct kind *const kinds_storage[] = {
    &kind_persistentvolumeclaims,
    &kind_persistentvolumes,
    &kind_storageclasses,
    NULL,
};
