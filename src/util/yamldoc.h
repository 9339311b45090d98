/* yamldoc — read-only access to a YAML document loaded with libyaml.
 *
 * Used for kubeconfigs, config files and skins. Input is capped in size; aliases resolve to the
 * anchored node (no expansion, so alias bombs cost nothing). Accessors tolerate NULL and wrong
 * node types by returning NULL, so callers can chain lookups and check once. */
#ifndef TIMON_UTIL_YAMLDOC_H
#define TIMON_UTIL_YAMLDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "util/err.h"

#define YAMLDOC_MAX_INPUT ((size_t)16 << 20)

struct yamldoc {
    yaml_document_t doc; /* owned once loaded */
    bool loaded;
};

/* Parses the first document of buf. On failure, e holds "line L, column C: problem". An empty
 * input loads as a document with no root. */
bool yamldoc_load(struct yamldoc *d, const char *buf, size_t n, struct err *e);
void yamldoc_free(struct yamldoc *d);
yaml_node_t *yamldoc_root(struct yamldoc *d);
/* The value for `key` in a mapping, or NULL. */
yaml_node_t *yamldoc_get(struct yamldoc *d, yaml_node_t *map, const char *key);
/* A scalar's text (borrowed), or NULL for non-scalars, NULL and explicit nulls ("~", "null"). */
const char *yamldoc_str(yaml_node_t *n);
/* A scalar interpreted as a YAML 1.1/1.2 boolean; false (and *ok false) otherwise. */
bool yamldoc_bool(yaml_node_t *n, bool *ok);
size_t yamldoc_seq_len(yaml_node_t *seq);
yaml_node_t *yamldoc_seq_item(struct yamldoc *d, yaml_node_t *seq, size_t i);
size_t yamldoc_map_len(yaml_node_t *map);
/* The i-th pair of a mapping; returns false past the end. */
bool yamldoc_map_pair(struct yamldoc *d, yaml_node_t *map, size_t i, yaml_node_t **key,
                      yaml_node_t **val);

/* A node converted to JSON (scalars as strings, except plain true/false/null and numbers),
 * for kubeconfig extensions handed to exec plugins. Depth-limited; NULL on failure. */
struct cJSON *yamldoc_to_json(struct yamldoc *d, yaml_node_t *n);

#endif
