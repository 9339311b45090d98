/* describe_podspec — the parts of a pod spec that pods and every pod template describe the same
 * way: containers (with their statuses when there is a pod), volumes, resources, probes,
 * environment, mounts, tolerations, topology spread constraints, and the "Pod Template:" block. */
#ifndef TIMON_MODEL_DESCRIBE_PODSPEC_H
#define TIMON_MODEL_DESCRIBE_PODSPEC_H

#include <cJSON.h>

#include "model/describe.h"

/* "Containers:" (label) and one block per container. statuses: the matching containerStatuses
 * array or NULL (a template); pod: the pod whose fields `fieldRef` env vars resolve against, or
 * NULL (a template: they resolve to ""). space is "" for a pod, "  " inside a template. */
void describe_podspec_containers(struct describe_w *w, const char *label, const cJSON *containers,
                                 const cJSON *statuses, const cJSON *pod, const char *space);
/* Limits: and Requests: blocks of a ResourceRequirements at `level`. */
void describe_podspec_resources(struct describe_w *w, const cJSON *resources, int level);
void describe_podspec_volumes(struct describe_w *w, const cJSON *volumes, const char *space);
void describe_podspec_tolerations(struct describe_w *w, const char *title, const cJSON *tols);
void describe_podspec_spread(struct describe_w *w, const cJSON *constraints, const char *space);
/* The "Pod Template:" block of a workload. */
void describe_podspec_template(struct describe_w *w, const cJSON *template);

#endif
