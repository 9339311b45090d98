/* kinds_policy — the registry of the policy kinds: resourcequotas, limitranges,
 * horizontalpodautoscalers, poddisruptionbudgets. */
#include "model/kinds_groups.h"

extern const struct kind kind_resourcequotas;
extern const struct kind kind_limitranges;
extern const struct kind kind_horizontalpodautoscalers;
extern const struct kind kind_poddisruptionbudgets;

const struct kind *const kinds_policy[] = {
    &kind_resourcequotas,
    &kind_limitranges,
    &kind_horizontalpodautoscalers,
    &kind_poddisruptionbudgets,
    NULL,
};
