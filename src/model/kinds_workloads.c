/* kinds_workloads — the registry of the workloads kinds: pods, deployments, replicasets,
 * statefulsets, daemonsets, jobs, cronjobs. */
#include "model/kinds_groups.h"

extern const struct kind kind_pods;

const struct kind *const kinds_workloads[] = {
    &kind_pods,
    NULL,
};
