/* describe_pods — `kubectl describe pod`: the pod's identity and placement, status, containers
 * with their states, conditions, volumes, QoS class, scheduling, events. kubectl lists the
 * events by name, namespace and uid (a mirror pod's uid is its mirror annotation), and when the
 * pod itself cannot be read it still shows the events found by name. */
#include "model/describe.h"
#include "model/describe_podspec.h"
#include "util/json.h"
#include "util/qty.h"

#include <stdio.h>
#include <string.h>

#define MIRROR_ANNOTATION "kubernetes.io/config.mirror"

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    (void)status;
    if (!obj) {
        if (!t->strict)
            describe_plan_events(p, t->ns, t->name, NULL, NULL);
        return;
    }
    const cJSON *meta = json_get(obj, "metadata");
    const char *uid = json_str(json_get(meta, "annotations"), MIRROR_ANNOTATION);
    if (!uid)
        uid = json_strz(meta, "uid");
    describe_plan_events(p, json_strz(meta, "namespace"), json_strz(meta, "name"), NULL,
                         uid[0] ? uid : NULL);
}

/* Adds the positive cpu and memory quantities of a resource list to sum[], marking which were
 * seen in *have; returns how many of the two the list holds. */
static int qos_sum(const cJSON *list, struct qty sum[2], unsigned *have)
{
    static const char *const names[] = {"cpu", "memory"};
    int found = 0;
    for (int i = 0; i < 2; i++) {
        const cJSON *v = json_get(list, names[i]);
        struct qty q;
        if (cJSON_IsString(v) && qty_parse(v->valuestring, &q) && q.nano > 0) {
            qty_add(&sum[i], &q);
            *have |= 1u << i;
            found++;
        }
    }
    return found;
}

/* kubectl's qos.GetPodQOS: the status's class, else computed from requests and limits. */
static const char *qos(const cJSON *pod)
{
    const char *cls = json_strz(json_get(pod, "status"), "qosClass");
    if (cls[0])
        return cls;
    struct qty req[2] = {{0}}, lim[2] = {{0}};
    unsigned hreq = 0, hlim = 0;
    bool guaranteed = true;
    const cJSON *spec = json_get(pod, "spec");
    const char *const lists[] = {"containers", "initContainers"};
    for (int l = 0; l < 2; l++) {
        const cJSON *c;
        cJSON_ArrayForEach(c, json_get(spec, lists[l]))
        {
            const cJSON *res = json_get(c, "resources");
            qos_sum(json_get(res, "requests"), req, &hreq);
            if (qos_sum(json_get(res, "limits"), lim, &hlim) < 2)
                guaranteed = false;
        }
    }
    if (!hreq && !hlim)
        return "BestEffort";
    for (int i = 0; i < 2 && guaranteed; i++)
        if ((hreq & (1u << i)) && (!(hlim & (1u << i)) || qty_cmp(&lim[i], &req[i]) != 0))
            guaranteed = false;
    /* Guaranteed also needs as many resources requested as limited. */
    unsigned nreq = (hreq & 1) + (hreq >> 1 & 1), nlim = (hlim & 1) + (hlim >> 1 & 1);
    return guaranteed && nreq == nlim ? "Guaranteed" : "Burstable";
}

static void status_lines(struct describe_w *w, const cJSON *pod)
{
    const cJSON *meta = json_get(pod, "metadata"), *st = json_get(pod, "status");
    const char *phase = json_strz(st, "phase");
    const cJSON *del = json_get(meta, "deletionTimestamp");
    char buf[64];
    if (del && !cJSON_IsNull(del) && strcmp(phase, "Failed") != 0 &&
        strcmp(phase, "Succeeded") != 0) {
        describe_write(w, 0, "Status:\tTerminating (lasts %s)\n",
                       describe_since(w, meta, "deletionTimestamp", buf, sizeof buf));
        describe_write(w, 0, "Termination Grace Period:\t%llds\n",
                       (long long)json_int(meta, "deletionGracePeriodSeconds", 0));
    } else {
        describe_write(w, 0, "Status:\t%s\n", phase);
    }
    if (json_strz(st, "reason")[0])
        describe_write(w, 0, "Reason:\t%s\n", json_strz(st, "reason"));
    if (json_strz(st, "message")[0])
        describe_write(w, 0, "Message:\t%s\n", json_strz(st, "message"));
    const cJSON *prof = json_path(pod, "spec", "securityContext", "seccompProfile", NULL);
    if (cJSON_IsObject(prof)) {
        describe_write(w, 0, "SeccompProfile:\t%s\n", json_strz(prof, "type"));
        if (strcmp(json_strz(prof, "type"), "Localhost") == 0)
            describe_write(w, 0, "LocalhostProfile:\t%s\n", json_strz(prof, "localhostProfile"));
    }
    describe_write(w, 0, "IP:\t%s\n", json_strz(st, "podIP"));
    const cJSON *ips = json_get(st, "podIPs");
    if (json_len(ips) <= 0) {
        describe_write(w, 0, "IPs:\t<none>\n");
    } else {
        describe_write(w, 0, "IPs:\n");
        const cJSON *ip;
        cJSON_ArrayForEach(ip, ips)
        {
            describe_write(w, 1, "IP:\t%s\n", json_strz(ip, "ip"));
        }
    }
    const cJSON *ctl = describe_controller(pod);
    if (ctl)
        describe_write(w, 0, "Controlled By:\t%s/%s\n", json_strz(ctl, "kind"),
                       json_strz(ctl, "name"));
    if (json_strz(st, "nominatedNodeName")[0])
        describe_write(w, 0, "NominatedNodeName:\t%s\n", json_strz(st, "nominatedNodeName"));
    const cJSON *res = json_path(pod, "spec", "resources", NULL);
    if (cJSON_IsObject(res)) {
        describe_write(w, 0, "Resources:\n");
        describe_podspec_resources(w, res, 1);
    }
}

static void conditions(struct describe_w *w, const cJSON *pod)
{
    const cJSON *spec = json_get(pod, "spec");
    const cJSON *conds = json_path(pod, "status", "conditions", NULL);
    const cJSON *g, *c;
    if (json_len(json_get(spec, "readinessGates")) > 0) {
        describe_write(w, 0, "Readiness Gates:\n  Type\tStatus\n");
        cJSON_ArrayForEach(g, json_get(spec, "readinessGates"))
        {
            const char *type = json_strz(g, "conditionType"), *status = "<none>";
            cJSON_ArrayForEach(c, conds)
            {
                if (strcmp(json_strz(c, "type"), type) == 0) {
                    status = json_strz(c, "status");
                    break;
                }
            }
            describe_write(w, 1, "%s \t%s \n", type, status);
        }
    }
    if (json_len(conds) > 0) {
        describe_write(w, 0, "Conditions:\n  Type\tStatus\n");
        cJSON_ArrayForEach(c, conds)
        {
            describe_write(w, 1, "%s \t%s \n", json_strz(c, "type"), json_strz(c, "status"));
        }
    }
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *pod = r->obj;
    const cJSON *events = r->n > 0 && r->replies[0].ok ? r->replies[0].json : NULL;
    if (!pod) {
        if (json_len(events) <= 0)
            return err_set(e, "%s", r->obj_error);
        describe_write(w, 0, "Pod '%s': error '%s', but found events.\n", r->target->name,
                       r->obj_error);
        describe_events(w, events, NULL);
        return true;
    }
    const cJSON *meta = json_get(pod, "metadata"), *spec = json_get(pod, "spec"),
                *st = json_get(pod, "status");
    char buf[64];
    describe_name(w, meta);
    if (cJSON_IsNumber(json_get(spec, "priority")))
        describe_write(w, 0, "Priority:\t%lld\n", (long long)json_int(spec, "priority", 0));
    if (json_strz(spec, "priorityClassName")[0])
        describe_write(w, 0, "Priority Class Name:\t%s\n", json_strz(spec, "priorityClassName"));
    if (json_strz(spec, "runtimeClassName")[0])
        describe_write(w, 0, "Runtime Class Name:\t%s\n", json_strz(spec, "runtimeClassName"));
    if (json_strz(spec, "serviceAccountName")[0])
        describe_write(w, 0, "Service Account:\t%s\n", json_strz(spec, "serviceAccountName"));
    if (!json_strz(spec, "nodeName")[0])
        describe_write(w, 0, "Node:\t<none>\n");
    else
        describe_write(w, 0, "Node:\t%s/%s\n", json_strz(spec, "nodeName"),
                       json_strz(st, "hostIP"));
    if (json_str(st, "startTime"))
        describe_write(w, 0, "Start Time:\t%s\n", describe_time(st, "startTime", buf, sizeof buf));
    describe_labels(w, "Labels", json_get(meta, "labels"));
    describe_annotations(w, "Annotations", json_get(meta, "annotations"));
    status_lines(w, pod);
    if (json_len(json_get(spec, "initContainers")) > 0)
        describe_podspec_containers(w, "Init Containers", json_get(spec, "initContainers"),
                                    json_get(st, "initContainerStatuses"), pod, "");
    describe_podspec_containers(w, "Containers", json_get(spec, "containers"),
                                json_get(st, "containerStatuses"), pod, "");
    if (json_len(json_get(spec, "ephemeralContainers")) > 0)
        describe_podspec_containers(w, "Ephemeral Containers",
                                    json_get(spec, "ephemeralContainers"),
                                    json_get(st, "ephemeralContainerStatuses"), pod, "");
    conditions(w, pod);
    describe_podspec_volumes(w, json_get(spec, "volumes"), "");
    describe_write(w, 0, "QoS Class:\t%s\n", qos(pod));
    describe_labels(w, "Node-Selectors", json_get(spec, "nodeSelector"));
    describe_podspec_tolerations(w, "Tolerations", json_get(spec, "tolerations"));
    describe_podspec_spread(w, json_get(spec, "topologySpreadConstraints"), "");
    if (r->n > 0)
        describe_events(w, events, NULL);
    return true;
}

const struct describe_kind describe_pods = {"", "Pod", plan, render};
