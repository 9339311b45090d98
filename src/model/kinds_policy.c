/* kinds_policy — the registry of the policy kinds: resourcequotas, limitranges,
 * horizontalpodautoscalers, poddisruptionbudgets. */
#include "model/kinds_groups.h"

const struct kind *const kinds_policy[] = {
    NULL,
};
