/* kind_table — kinds the server renders: custom resources and every resource without a
 * built-in kind. Their columns are the server-side Table's columnDefinitions (a CRD's
 * additionalPrinterColumns), kept live by watching in Table form. The server's Age cell is
 * replaced by a ticking one computed from the object's creationTimestamp; priority > 0 columns
 * are wide, as kubectl shows them.
 *
 * Also the resolver from what a user types to a kind: built-in kinds first (with k9s's extra
 * aliases), then discovery. The cache owns the dynamic kinds it creates. */
#ifndef TIMON_MODEL_KIND_TABLE_H
#define TIMON_MODEL_KIND_TABLE_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "client/discovery.h"
#include "model/kind.h"

struct kind_cache {
    struct kind **v; /* owned dynamic kinds */
    size_t len;
};

/* A dynamic kind for a discovered resource (owned by the cache; valid until it is freed). */
const struct kind *kind_cache_table(struct kind_cache *c, const struct api_resource *r);
/* Resolves a user's word: a built-in kind, else a discovered resource (built-in kinds win for
 * the same group and resource). NULL when nothing matches. */
const struct kind *kind_cache_resolve(struct kind_cache *c, const struct discovery *d,
                                      const char *name);
void kind_cache_free(struct kind_cache *c);

/* Replaces a dynamic kind's columns with the server's columnDefinitions. `k` must come from a
 * kind cache (server_table set). Returns true when the columns changed. */
bool kind_table_set_columns(const struct kind *k, const cJSON *defs);

#endif
