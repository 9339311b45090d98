/* describe_services — `kubectl describe service`: selector, type, addresses, each port with its
 * target, node port and ready endpoints (from the EndpointSlices labelled with the service's
 * name, at most three shown, "+ N more..."), traffic policies, events. */
#include "model/describe.h"
#include "util/json.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    (void)t;
    (void)status;
    const cJSON *meta = describe_plan_own_events(p, obj, "Service");
    if (!meta)
        return;
    struct strbuf sel = {0}, path = {0};
    strbuf_printf(&sel, "kubernetes.io/service-name=%s", json_strz(meta, "name"));
    strbuf_printf(&path, "/apis/discovery.k8s.io/v1/namespaces/%s/endpointslices",
                  json_strz(meta, "namespace"));
    describer_plan_add(p, strbuf_str(&path), strbuf_str(&sel), NULL, true, false);
    strbuf_free(&sel);
    strbuf_free(&path);
}

/* formatEndpointSlices for one service port name: ready endpoints as host:port. */
static void endpoints(struct strbuf *out, const cJSON *slices, const char *port_name)
{
    if (json_len(slices) <= 0) {
        strbuf_puts(out, "<none>");
        return;
    }
    const int max = 3;
    int listed = 0, count = 0;
    bool more = false;
    const cJSON *s, *ep, *port;
    cJSON_ArrayForEach(s, slices)
    {
        const cJSON *ports = json_get(s, "ports");
        bool portless = json_len(ports) <= 0;
        /* A slice without ports (a headless service) lists bare addresses once. */
        for (const cJSON *pi = portless ? NULL : ports->child; portless || pi;
             pi = pi ? pi->next : NULL) {
            port = pi;
            if (!portless && strcmp(json_strz(port, "name"), port_name) != 0)
                continue;
            cJSON_ArrayForEach(ep, json_get(s, "endpoints"))
            {
                if (listed == max)
                    more = true;
                const cJSON *ready = json_path(ep, "conditions", "ready", NULL);
                if (cJSON_IsFalse(ready))
                    continue;
                if (!more) {
                    const cJSON *a0 = cJSON_GetArrayItem(json_get(ep, "addresses"), 0);
                    const char *addr = cJSON_IsString(a0) ? a0->valuestring : "";
                    const char *sep = listed ? "," : "";
                    if (portless)
                        strbuf_printf(out, "%s%s", sep, addr);
                    else if (strchr(addr, ':'))
                        strbuf_printf(out, "%s[%s]:%lld", sep, addr,
                                      (long long)json_int(port, "port", 0));
                    else
                        strbuf_printf(out, "%s%s:%lld", sep, addr,
                                      (long long)json_int(port, "port", 0));
                    listed++;
                }
                count++;
            }
            if (portless)
                break;
        }
    }
    if (more)
        strbuf_printf(out, " + %d more...", count - max);
}

static void joined(struct describe_w *w, const char *title, const cJSON *list, const char *none)
{
    struct strbuf sb = {0};
    const cJSON *it;
    cJSON_ArrayForEach(it, list)
    {
        strbuf_printf(&sb, "%s%s", sb.len ? "," : "", cJSON_IsString(it) ? it->valuestring : "");
    }
    if (sb.len || none)
        describe_write(w, 0, "%s:\t%s\n", title, sb.len ? strbuf_str(&sb) : none);
    strbuf_free(&sb);
}

/* labels.FormatLabels: k=v sorted, comma-joined, "<none>" when empty. */
static void format_labels(struct strbuf *out, const cJSON *map)
{
    size_t k;
    const cJSON **v = describe_members(map, &k);
    for (size_t i = 0; i < k; i++)
        strbuf_printf(out, "%s%s=%s", i ? "," : "", v[i]->string,
                      cJSON_IsString(v[i]) ? v[i]->valuestring : "");
    if (!k)
        strbuf_puts(out, "<none>");
    free(v);
}

static void ports(struct describe_w *w, const cJSON *spec, const cJSON *slices)
{
    const cJSON *sp;
    cJSON_ArrayForEach(sp, json_get(spec, "ports"))
    {
        const char *name = json_strz(sp, "name"), *proto = json_strz(sp, "protocol");
        const char *shown = name[0] ? name : "<unset>";
        describe_write(w, 0, "Port:\t%s\t%lld/%s\n", shown, (long long)json_int(sp, "port", 0),
                       proto);
        const cJSON *tp = json_get(sp, "targetPort");
        if (cJSON_IsString(tp))
            describe_write(w, 0, "TargetPort:\t%s/%s\n", tp->valuestring, proto);
        else
            describe_write(w, 0, "TargetPort:\t%lld/%s\n",
                           (long long)(cJSON_IsNumber(tp) ? tp->valuedouble : 0), proto);
        if (json_int(sp, "nodePort", 0) != 0)
            describe_write(w, 0, "NodePort:\t%s\t%lld/%s\n", shown,
                           (long long)json_int(sp, "nodePort", 0), proto);
        struct strbuf eps = {0};
        endpoints(&eps, slices, name);
        describe_write(w, 0, "Endpoints:\t%s\n", strbuf_str(&eps));
        strbuf_free(&eps);
    }
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *svc = r->obj;
    if (!svc)
        return err_set(e, "%s", r->obj_error);
    const cJSON *meta = json_get(svc, "metadata"), *spec = json_get(svc, "spec"),
                *st = json_get(svc, "status");
    describe_metadata(w, meta);
    struct strbuf sel = {0};
    format_labels(&sel, json_get(spec, "selector"));
    describe_write(w, 0, "Selector:\t%s\n", strbuf_str(&sel));
    strbuf_free(&sel);
    describe_write(w, 0, "Type:\t%s\n", json_strz(spec, "type"));
    if (json_str(spec, "ipFamilyPolicy"))
        describe_write(w, 0, "IP Family Policy:\t%s\n", json_strz(spec, "ipFamilyPolicy"));
    joined(w, "IP Families", json_get(spec, "ipFamilies"), "<none>");
    describe_write(w, 0, "IP:\t%s\n", json_strz(spec, "clusterIP"));
    joined(w, "IPs", json_get(spec, "clusterIPs"), "<none>");
    joined(w, "External IPs", json_get(spec, "externalIPs"), NULL);
    if (json_strz(spec, "loadBalancerIP")[0])
        describe_write(w, 0, "Desired LoadBalancer IP:\t%s\n", json_strz(spec, "loadBalancerIP"));
    if (json_strz(spec, "externalName")[0])
        describe_write(w, 0, "External Name:\t%s\n", json_strz(spec, "externalName"));
    const cJSON *ing = json_path(st, "loadBalancer", "ingress", NULL), *it;
    if (json_len(ing) > 0) {
        struct strbuf sb = {0};
        cJSON_ArrayForEach(it, ing)
        {
            if (sb.len)
                strbuf_puts(&sb, ", ");
            const char *ip = json_strz(it, "ip");
            if (ip[0]) {
                strbuf_puts(&sb, ip);
                if (json_str(it, "ipMode"))
                    strbuf_printf(&sb, " (%s)", json_strz(it, "ipMode"));
            } else {
                strbuf_puts(&sb, json_strz(it, "hostname"));
            }
        }
        describe_write(w, 0, "LoadBalancer Ingress:\t%s\n", strbuf_str(&sb));
        strbuf_free(&sb);
    }
    ports(w, spec, r->n > 1 && r->replies[1].ok ? r->replies[1].json : NULL);
    describe_write(w, 0, "Session Affinity:\t%s\n", json_strz(spec, "sessionAffinity"));
    if (json_strz(spec, "externalTrafficPolicy")[0])
        describe_write(w, 0, "External Traffic Policy:\t%s\n",
                       json_strz(spec, "externalTrafficPolicy"));
    if (json_str(spec, "internalTrafficPolicy"))
        describe_write(w, 0, "Internal Traffic Policy:\t%s\n",
                       json_strz(spec, "internalTrafficPolicy"));
    if (json_int(spec, "healthCheckNodePort", 0) != 0)
        describe_write(w, 0, "HealthCheck NodePort:\t%lld\n",
                       (long long)json_int(spec, "healthCheckNodePort", 0));
    joined(w, "LoadBalancer Source Ranges", json_get(spec, "loadBalancerSourceRanges"), NULL);
    if (json_strz(spec, "trafficDistribution")[0])
        describe_write(w, 0, "Traffic Distribution:\t%s\n", json_strz(spec, "trafficDistribution"));
    if (r->n > 0)
        describe_events(w, r->replies[0].ok ? r->replies[0].json : NULL, NULL);
    return true;
}

const struct describe_kind describe_services = {"", "Service", plan, render};
