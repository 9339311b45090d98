/* podstatus — a pod's READY, STATUS and RESTARTS exactly as kubectl 1.32 prints them.
 *
 * The algorithm of the apiserver's pod printer: init containers in order (sidecars with
 * restartPolicy Always count toward READY), then regular containers from last to first so the
 * first one's state wins, Completed-with-a-running-container becoming Running or NotReady,
 * Terminating, Unknown for NodeLost, SchedulingGated. Pure: no clock, no allocation. */
#ifndef TIMON_MODEL_PODSTATUS_H
#define TIMON_MODEL_PODSTATUS_H

#include <cJSON.h>
#include <stdint.h>

#define PODSTATUS_REASON_MAX 128

struct podstatus {
    int ready;
    int total;
    int64_t restarts;
    int64_t last_restart; /* epoch seconds of the latest lastState.terminated.finishedAt; 0 none */
    char reason[PODSTATUS_REASON_MAX];
};

void podstatus_compute(const cJSON *pod, struct podstatus *out);

#endif
