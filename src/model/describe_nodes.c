/* describe_nodes — `kubectl describe node`: roles, taints, the node Lease, conditions,
 * addresses, capacity, system info, the non-terminated pods on it (asked by field selector) with
 * their requests and limits as shares of allocatable, the allocated totals, and the events of
 * both of kubectl's queries (controllers name the node by uid, the kubelet by name). */
#include "model/describe.h"
#include "util/json.h"
#include "util/qty.h"
#include "util/xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { R_EVENTS_UID, R_EVENTS_NAME, R_PODS, R_LEASE };

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    (void)t;
    (void)status;
    const cJSON *meta = describe_plan_own_events(p, obj, "Node");
    if (!meta)
        return;
    const char *name = json_strz(meta, "name");
    describe_plan_events(p, "", name, "Node", name); /* the kubelet's: the name as uid */
    struct strbuf fs = {0}, path = {0};
    strbuf_printf(&fs, "spec.nodeName=%s,status.phase!=Succeeded,status.phase!=Failed", name);
    describer_plan_add(p, "/api/v1/pods", NULL, strbuf_str(&fs), true, true);
    strbuf_printf(&path, "/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/%s", name);
    describer_plan_add(p, strbuf_str(&path), NULL, NULL, false, false);
    strbuf_free(&fs);
    strbuf_free(&path);
}

/* ---- resource lists (corev1.ResourceList arithmetic) ------------------------------------ */

#define RES_MAX 32

struct reslist {
    struct {
        const char *name; /* borrowed from the JSON */
        struct qty q;
    } v[RES_MAX];
    size_t n;
};

static struct qty *res_get(struct reslist *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i].q;
    return NULL;
}

static struct qty *res_put(struct reslist *l, const char *name)
{
    struct qty *q = res_get(l, name);
    if (q || l->n == RES_MAX)
        return q;
    l->v[l->n].name = name;
    memset(&l->v[l->n].q, 0, sizeof l->v[l->n].q);
    return &l->v[l->n++].q;
}

static void res_add(struct reslist *l, const struct reslist *add)
{
    for (size_t i = 0; i < add->n; i++) {
        struct qty *q = res_get(l, add->v[i].name);
        if (q)
            qty_add(q, &add->v[i].q);
        else if ((q = res_put(l, add->v[i].name)))
            *q = add->v[i].q;
    }
}

static void res_max(struct reslist *l, const struct reslist *other)
{
    for (size_t i = 0; i < other->n; i++) {
        struct qty *q = res_get(l, other->v[i].name);
        if (!q || qty_cmp(&other->v[i].q, q) > 0)
            if ((q = res_put(l, other->v[i].name)))
                *q = other->v[i].q;
    }
}

static void res_from(struct reslist *l, const cJSON *json)
{
    l->n = 0;
    if (!cJSON_IsObject(json))
        return;
    const cJSON *it;
    cJSON_ArrayForEach(it, json)
    {
        struct qty q;
        if (it->string && cJSON_IsString(it) && qty_parse(it->valuestring, &q)) {
            struct qty *slot = res_put(l, it->string);
            if (slot)
                *slot = q;
        }
    }
}

static struct qty res_of(struct reslist *l, const char *name)
{
    struct qty *q = res_get(l, name);
    struct qty zero = {0};
    return q ? *q : zero;
}

static bool restartable(const cJSON *c)
{
    return strcmp(json_strz(c, "restartPolicy"), "Always") == 0;
}

/* resourcehelper.PodRequestsAndLimits: containers add up (a resized container counts what
 * its status says it has, at least its spec), init containers count at their peak with the
 * sidecars started before them, sidecars add up, and the overhead comes on top. */
static void pod_resources(const cJSON *pod, struct reslist *reqs, struct reslist *lims)
{
    const cJSON *spec = json_get(pod, "spec"), *st = json_get(pod, "status");
    bool infeasible = strcmp(json_strz(st, "resize"), "Infeasible") == 0;
    struct reslist c = {0}, s = {0}, side_r = {0}, side_l = {0}, init_r = {0}, init_l = {0};
    reqs->n = lims->n = 0;
    const cJSON *ct, *cs;
    cJSON_ArrayForEach(ct, json_get(spec, "containers"))
    {
        res_from(&c, json_path(ct, "resources", "requests", NULL));
        cJSON_ArrayForEach(cs, json_get(st, "containerStatuses"))
        {
            const cJSON *sr = json_get(cs, "resources");
            if (strcmp(json_strz(cs, "name"), json_strz(ct, "name")) != 0 || !cJSON_IsObject(sr))
                continue;
            res_from(&s, json_get(sr, "requests"));
            if (infeasible)
                c = s;
            else
                res_max(&c, &s);
        }
        res_add(reqs, &c);
        res_from(&c, json_path(ct, "resources", "limits", NULL));
        res_add(lims, &c);
    }
    cJSON_ArrayForEach(ct, json_get(spec, "initContainers"))
    {
        struct reslist *sides[2] = {&side_r, &side_l}, *inits[2] = {&init_r, &init_l};
        struct reslist *totals[2] = {reqs, lims};
        const char *which[2] = {"requests", "limits"};
        for (int k = 0; k < 2; k++) {
            res_from(&c, json_path(ct, "resources", which[k], NULL));
            if (restartable(ct)) {
                res_add(totals[k], &c);
                res_add(sides[k], &c);
                c = *sides[k];
            } else {
                res_add(&c, sides[k]);
            }
            res_max(inits[k], &c);
        }
    }
    res_max(reqs, &init_r);
    res_max(lims, &init_l);
    const cJSON *overhead = json_get(spec, "overhead");
    if (cJSON_IsObject(overhead)) {
        res_from(&c, overhead);
        res_add(reqs, &c);
        for (size_t i = 0; i < c.n; i++) {
            struct qty *q = res_get(lims, c.v[i].name);
            if (q)
                qty_add(q, &c.v[i].q);
        }
    }
}

/* int64(float64(a) / float64(b) * 100), with Go's conversion of an infinite or NaN result. */
static long long percent(int64_t a, int64_t b)
{
    double f = (double)a / (double)b * 100;
    if (!(f > -9.2e18 && f < 9.2e18))
        return INT64_MIN;
    return (long long)f;
}

static const char *fmt(const struct qty *q, char *buf)
{
    return qty_format(q, buf, QTY_MAX_LEN);
}

/* Value() of a resource, or MilliValue() for cpu. */
static int64_t amount(const struct qty *q, bool milli)
{
    return milli ? qty_milli(q) : qty_value(q);
}

static bool is_standard(const char *name)
{
    return strcmp(name, "cpu") == 0 || strcmp(name, "memory") == 0 ||
           strcmp(name, "ephemeral-storage") == 0 || strncmp(name, "hugepages-", 10) == 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void total_row(struct describe_w *w, const char *name, const struct qty *req,
                      const struct qty *lim, const struct qty *alloc, bool milli)
{
    char a[QTY_MAX_LEN], b[QTY_MAX_LEN];
    int64_t den = amount(alloc, milli);
    long long pr = den ? percent(amount(req, milli), den) : 0;
    long long pl = den ? percent(amount(lim, milli), den) : 0;
    describe_write(w, 1, "%s\t%s (%lld%%)\t%s (%lld%%)\n", name, fmt(req, a), pr, fmt(lim, b), pl);
}

static void node_resources(struct describe_w *w, const cJSON *node, const cJSON *pods)
{
    describe_write(w, 0, "Non-terminated Pods:\t(%d in total)\n", json_len(pods));
    describe_write(w, 1,
                   "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory "
                   "Limits\tAge\n");
    describe_write(w, 1,
                   "---------\t----\t\t------------\t----------\t---------------\t--------"
                   "-----\t---\n");
    const cJSON *st = json_get(node, "status");
    const cJSON *alloc_json = json_get(st, "allocatable");
    if (!cJSON_IsObject(alloc_json) || !alloc_json->child)
        alloc_json = json_get(st, "capacity");
    struct reslist alloc = {0}, reqs = {0}, lims = {0}, treqs = {0}, tlims = {0};
    res_from(&alloc, alloc_json);
    struct qty acpu = res_of(&alloc, "cpu"), amem = res_of(&alloc, "memory");
    const cJSON *pod;
    cJSON_ArrayForEach(pod, pods)
    {
        pod_resources(pod, &reqs, &lims);
        res_add(&treqs, &reqs);
        res_add(&tlims, &lims);
        struct qty cr = res_of(&reqs, "cpu"), cl = res_of(&lims, "cpu");
        struct qty mr = res_of(&reqs, "memory"), ml = res_of(&lims, "memory");
        char b1[QTY_MAX_LEN], b2[QTY_MAX_LEN], b3[QTY_MAX_LEN], b4[QTY_MAX_LEN], age[32];
        const cJSON *meta = json_get(pod, "metadata");
        describe_write(w, 1, "%s\t%s\t\t%s (%lld%%)\t%s (%lld%%)\t%s (%lld%%)\t%s (%lld%%)\t%s\n",
                       json_strz(meta, "namespace"), json_strz(meta, "name"), fmt(&cr, b1),
                       percent(qty_milli(&cr), qty_milli(&acpu)), fmt(&cl, b2),
                       percent(qty_milli(&cl), qty_milli(&acpu)), fmt(&mr, b3),
                       percent(qty_value(&mr), qty_value(&amem)), fmt(&ml, b4),
                       percent(qty_value(&ml), qty_value(&amem)),
                       describe_since(w, meta, "creationTimestamp", age, sizeof age));
    }
    describe_write(w, 0,
                   "Allocated resources:\n  (Total limits may be over 100 percent, i.e., "
                   "overcommitted.)\n");
    describe_write(w, 1, "Resource\tRequests\tLimits\n");
    describe_write(w, 1, "--------\t--------\t------\n");
    static const char *const std[] = {"cpu", "memory", "ephemeral-storage"};
    for (int i = 0; i < 3; i++) {
        struct qty r = res_of(&treqs, std[i]), l = res_of(&tlims, std[i]);
        struct qty a = res_of(&alloc, std[i]);
        total_row(w, std[i], &r, &l, &a, i == 0);
    }
    const char *huge[RES_MAX], *ext[RES_MAX];
    size_t nh = 0, ne = 0;
    for (size_t i = 0; i < alloc.n; i++) {
        const char *name = alloc.v[i].name;
        if (strncmp(name, "hugepages-", 10) == 0)
            huge[nh++] = name;
        else if (!is_standard(name) && strcmp(name, "pods") != 0)
            ext[ne++] = name;
    }
    qsort(huge, nh, sizeof *huge, cmp_str);
    qsort(ext, ne, sizeof *ext, cmp_str);
    for (size_t i = 0; i < nh; i++) {
        struct qty r = res_of(&treqs, huge[i]), l = res_of(&tlims, huge[i]);
        struct qty a = res_of(&alloc, huge[i]);
        total_row(w, huge[i], &r, &l, &a, false);
    }
    for (size_t i = 0; i < ne; i++) {
        struct qty r = res_of(&treqs, ext[i]), l = res_of(&tlims, ext[i]);
        char a[QTY_MAX_LEN], b[QTY_MAX_LEN];
        describe_write(w, 1, "%s\t%s\t%s\n", ext[i], fmt(&r, a), fmt(&l, b));
    }
}

/* ---- the node's own sections ------------------------------------------------------------ */

static void roles(struct describe_w *w, const cJSON *labels)
{
    static const char prefix[] = "node-role.kubernetes.io/";
    size_t n;
    const cJSON **keys = describe_members(labels, &n);
    const char **v = xcalloc(n ? n : 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *key = keys[i]->string;
        const char *val = cJSON_IsString(keys[i]) ? keys[i]->valuestring : "";
        if (strncmp(key, prefix, sizeof prefix - 1) == 0 && key[sizeof prefix - 1])
            v[k++] = key + sizeof prefix - 1;
        else if (strcmp(key, "kubernetes.io/role") == 0 && val[0])
            v[k++] = val;
    }
    qsort(v, k, sizeof *v, cmp_str);
    struct strbuf sb = {0};
    for (size_t i = 0; i < k; i++)
        if (i == 0 || strcmp(v[i], v[i - 1]) != 0)
            strbuf_printf(&sb, "%s%s", sb.len ? "," : "", v[i]);
    describe_write(w, 0, "Roles:\t%s\n", sb.len ? strbuf_str(&sb) : "<none>");
    strbuf_free(&sb);
    free(v);
    free(keys);
}

struct taint {
    const cJSON *t;
    char key[320];
};

static int cmp_taint(const void *a, const void *b)
{
    return strcmp(((const struct taint *)a)->key, ((const struct taint *)b)->key);
}

static void taints(struct describe_w *w, const cJSON *list)
{
    describe_write(w, 0, "Taints:\t");
    int n = json_len(list);
    if (n <= 0) {
        describe_write(w, 0, "<none>\n");
        return;
    }
    struct taint *v = xcalloc((size_t)n, sizeof *v);
    size_t k = 0;
    const cJSON *t;
    cJSON_ArrayForEach(t, list)
    {
        if ((int)k < n) {
            v[k].t = t;
            snprintf(v[k++].key, sizeof v[0].key, "%s,%s", json_strz(t, "effect"),
                     json_strz(t, "key"));
        }
    }
    describe_sort(v, k, sizeof *v, cmp_taint);
    for (size_t i = 0; i < k; i++) {
        t = v[i].t;
        if (i)
            describe_write(w, 0, "\t");
        const char *val = json_strz(t, "value");
        if (val[0])
            describe_write(w, 0, "%s=%s:%s\n", json_strz(t, "key"), val, json_strz(t, "effect"));
        else
            describe_write(w, 0, "%s:%s\n", json_strz(t, "key"), json_strz(t, "effect"));
    }
    free(v);
}

static void lease(struct describe_w *w, const struct describer_reply *r)
{
    if (!r->ok) {
        describe_write(w, 0, "Lease:\tFailed to get lease: %s\n", r->error);
        return;
    }
    const cJSON *spec = json_get(r->json, "spec");
    char buf[64];
    describe_write(w, 0, "Lease:\n");
    const char *holder = json_str(spec, "holderIdentity");
    describe_write(w, 1, "HolderIdentity:\t%s\n", holder ? holder : "<unset>");
    describe_write(w, 1, "AcquireTime:\t%s\n",
                   json_str(spec, "acquireTime")
                       ? describe_time(spec, "acquireTime", buf, sizeof buf)
                       : "<unset>");
    describe_write(w, 1, "RenewTime:\t%s\n",
                   json_str(spec, "renewTime") ? describe_time(spec, "renewTime", buf, sizeof buf)
                                               : "<unset>");
}

static void conditions(struct describe_w *w, const cJSON *conds)
{
    if (json_len(conds) <= 0)
        return;
    describe_write(w, 0,
                   "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\t"
                   "Reason\tMessage\n");
    describe_write(w, 1, "----\t------\t-----------------\t------------------\t------\t-------\n");
    const cJSON *c;
    cJSON_ArrayForEach(c, conds)
    {
        char hb[64], tr[64];
        describe_write(w, 1, "%s \t%s \t%s \t%s \t%s \t%s\n", json_strz(c, "type"),
                       json_strz(c, "status"), describe_time(c, "lastHeartbeatTime", hb, sizeof hb),
                       describe_time(c, "lastTransitionTime", tr, sizeof tr),
                       json_strz(c, "reason"), json_strz(c, "message"));
    }
}

static void resource_block(struct describe_w *w, const char *title, const cJSON *list)
{
    size_t n;
    const cJSON **v = describe_members(list, &n);
    if (n)
        describe_write(w, 0, "%s:\n", title);
    for (size_t i = 0; i < n; i++) {
        char q[QTY_MAX_LEN];
        describe_write(w, 0, "  %s:\t%s\n", v[i]->string, describe_qty(v[i], "0", q, sizeof q));
    }
    free(v);
}

static void system_info(struct describe_w *w, const cJSON *info)
{
    static const struct {
        const char *label, *key;
    } rows[] = {{"Machine ID", "machineID"},
                {"System UUID", "systemUUID"},
                {"Boot ID", "bootID"},
                {"Kernel Version", "kernelVersion"},
                {"OS Image", "osImage"},
                {"Operating System", "operatingSystem"},
                {"Architecture", "architecture"},
                {"Container Runtime Version", "containerRuntimeVersion"},
                {"Kubelet Version", "kubeletVersion"},
                {"Kube-Proxy Version", "kubeProxyVersion"}};
    describe_write(w, 0, "System Info:\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        describe_write(w, 0, "  %s:\t%s\n", rows[i].label, json_strz(info, rows[i].key));
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *node = r->obj;
    if (!node)
        return err_set(e, "%s", r->obj_error);
    const struct describer_reply *pods = r->n > R_PODS ? &r->replies[R_PODS] : NULL;
    /* A user who may read the node but not its pods still gets the rest. */
    if (pods && !pods->ok && pods->status != 403)
        return err_set(e, "%s", pods->error);
    const cJSON *meta = json_get(node, "metadata"), *spec = json_get(node, "spec"),
                *st = json_get(node, "status");
    char buf[64];
    describe_write(w, 0, "Name:\t%s\n", json_strz(meta, "name"));
    roles(w, json_get(meta, "labels"));
    describe_labels(w, "Labels", json_get(meta, "labels"));
    describe_annotations(w, "Annotations", json_get(meta, "annotations"));
    describe_write(w, 0, "CreationTimestamp:\t%s\n",
                   describe_time(meta, "creationTimestamp", buf, sizeof buf));
    taints(w, json_get(spec, "taints"));
    describe_write(w, 0, "Unschedulable:\t%s\n",
                   json_true(spec, "unschedulable") ? "true" : "false");
    if (r->n > R_LEASE)
        lease(w, &r->replies[R_LEASE]);
    conditions(w, json_get(st, "conditions"));
    describe_write(w, 0, "Addresses:\n");
    const cJSON *a;
    cJSON_ArrayForEach(a, json_get(st, "addresses"))
    {
        describe_write(w, 1, "%s:\t%s\n", json_strz(a, "type"), json_strz(a, "address"));
    }
    resource_block(w, "Capacity", json_get(st, "capacity"));
    resource_block(w, "Allocatable", json_get(st, "allocatable"));
    system_info(w, json_get(st, "nodeInfo"));
    if (json_strz(spec, "podCIDR")[0])
        describe_write(w, 0, "PodCIDR:\t%s\n", json_strz(spec, "podCIDR"));
    if (json_len(json_get(spec, "podCIDRs")) > 0) {
        struct strbuf sb = {0};
        const cJSON *c;
        cJSON_ArrayForEach(c, json_get(spec, "podCIDRs"))
        {
            strbuf_printf(&sb, "%s%s", sb.len ? "," : "", cJSON_IsString(c) ? c->valuestring : "");
        }
        describe_write(w, 0, "PodCIDRs:\t%s\n", strbuf_str(&sb));
        strbuf_free(&sb);
    }
    if (json_strz(spec, "providerID")[0])
        describe_write(w, 0, "ProviderID:\t%s\n", json_strz(spec, "providerID"));
    if (pods && pods->ok)
        node_resources(w, node, pods->json);
    else
        describe_write(w, 0, "Pods:\tnot authorized\n");
    if (r->n > R_EVENTS_NAME)
        describe_events(w, r->replies[R_EVENTS_UID].ok ? r->replies[R_EVENTS_UID].json : NULL,
                        r->replies[R_EVENTS_NAME].ok ? r->replies[R_EVENTS_NAME].json : NULL);
    return true;
}

const struct describe_kind describe_nodes = {"", "Node", plan, render};
