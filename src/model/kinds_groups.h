/* kinds_groups — the group registries of built-in kinds, each a NULL-terminated list defined in
 * its own kinds_<group>.c, so kinds can be added in parallel without touching a shared file. */
#ifndef TIMON_MODEL_KINDS_GROUPS_H
#define TIMON_MODEL_KINDS_GROUPS_H

#include "model/kind.h"

extern const struct kind *const kinds_workloads[]; /* pods, deployments, replicasets, ... */
extern const struct kind *const kinds_network[];   /* services, ingresses, networkpolicies */
extern const struct kind *const kinds_config[];    /* configmaps, secrets, serviceaccounts */
extern const struct kind *const kinds_storage[];   /* persistentvolumeclaims, ... */
extern const struct kind *const kinds_cluster[];   /* nodes, namespaces, events, crds */
extern const struct kind *const kinds_access[];    /* roles and bindings */
extern const struct kind *const kinds_policy[];    /* quotas, limit ranges, HPAs, PDBs */

#endif
