/* kinds_workloads — the registry of the workloads kinds: pods, deployments, replicasets,
 * statefulsets, daemonsets, jobs, cronjobs. */
#include "model/kinds_groups.h"

extern const struct kind kind_pods;
extern const struct kind kind_deployments;
extern const struct kind kind_replicasets;
extern const struct kind kind_statefulsets;
extern const struct kind kind_daemonsets;
extern const struct kind kind_jobs;
extern const struct kind kind_cronjobs;

const struct kind *const kinds_workloads[] = {
    &kind_pods,       &kind_deployments, &kind_replicasets, &kind_statefulsets,
    &kind_daemonsets, &kind_jobs,        &kind_cronjobs,    NULL,
};
