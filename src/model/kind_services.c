/* kind_services — services: TYPE, CLUSTER-IP, EXTERNAL-IP (per type, as kubectl's printer has
 * it) and PORT(S) as kubectl prints them; the selector map, which is both the wide SELECTOR cell
 * and what the drill-down to pods follows. A load balancer still waiting for an address is
 * pending. */
#include "model/kind.h"
#include "util/json.h"
#include "util/strbuf.h"

#include <stdint.h>
#include <string.h>

enum { SVC_TYPE = OBJ_KIND0, SVC_CLUSTER_IP, SVC_EXTERNAL_IP, SVC_SELECTOR, SVC_PORTS };

static void join_strings(const cJSON *arr, struct strbuf *sb)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
    {
        if (cJSON_IsString(it))
            strbuf_printf(sb, "%s%s", sb->len ? "," : "", it->valuestring);
    }
}

/* EXTERNAL-IP by type; returns true for a load balancer still <pending>. */
static bool put_external_ip(struct obj_builder *b, const cJSON *svc)
{
    const cJSON *spec = json_get(svc, "spec");
    const char *type = json_strz(spec, "type");
    const cJSON *external = json_get(spec, "externalIPs");
    struct strbuf sb = {0};
    bool pending = false;
    if (strcmp(type, "ClusterIP") == 0 || strcmp(type, "NodePort") == 0) {
        join_strings(external, &sb);
        obj_builder_add(b, sb.len ? strbuf_str(&sb) : "<none>");
    } else if (strcmp(type, "LoadBalancer") == 0) {
        kind_lb_addresses(&sb, json_path(svc, "status", "loadBalancer", NULL));
        join_strings(external, &sb);
        pending = sb.len == 0;
        obj_builder_add(b, pending ? "<pending>" : strbuf_str(&sb));
    } else if (strcmp(type, "ExternalName") == 0) {
        obj_builder_add(b, json_strz(spec, "externalName"));
    } else {
        obj_builder_add_raw(b, "<unknown>");
    }
    strbuf_free(&sb);
    return pending;
}

/* "port/proto" or "port:nodePort/proto", comma-joined; "<none>" without ports. */
static void put_ports(struct obj_builder *b, const cJSON *ports)
{
    struct strbuf sb = {0};
    const cJSON *p;
    cJSON_ArrayForEach(p, ports)
    {
        /* The server defaults the protocol to TCP. */
        const char *proto = json_strz(p, "protocol");
        if (!proto[0])
            proto = "TCP";
        long long port = (long long)json_int(p, "port", 0);
        long long node = (long long)json_int(p, "nodePort", 0);
        if (sb.len)
            strbuf_putc(&sb, ',');
        if (node > 0)
            strbuf_printf(&sb, "%lld:%lld/%s", port, node, proto);
        else
            strbuf_printf(&sb, "%lld/%s", port, proto);
    }
    obj_builder_add(b, sb.len ? strbuf_str(&sb) : "<none>");
    strbuf_free(&sb);
}

static void services_project(const cJSON *svc, struct obj_builder *b)
{
    const cJSON *spec = json_get(svc, "spec");
    obj_builder_add(b, json_strz(spec, "type"));
    /* clusterIPs[0] as is ("None" for a headless service), "<none>" without any. */
    const cJSON *ips = json_get(spec, "clusterIPs");
    const cJSON *ip = cJSON_GetArrayItem(ips, 0);
    obj_builder_add(b, json_len(ips) > 0 ? (cJSON_IsString(ip) ? ip->valuestring : "") : "<none>");
    bool pending = put_external_ip(b, svc);
    const cJSON *sel = json_get(spec, "selector");
    if (cJSON_IsObject(sel) && cJSON_GetArraySize(sel) > 0)
        kind_put_map(b, sel);
    else
        obj_builder_add_raw(b, "<none>"); /* selects no pods (endpoints are managed by hand) */
    put_ports(b, json_get(spec, "ports"));
    if (kind_deleting(svc))
        b->state = OBJ_STATE_TERMINATING;
    else if (pending)
        b->state = OBJ_STATE_PENDING;
}

static const struct kind_column services_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"TYPE", 0, SVC_TYPE, NULL, SORT_NATURAL, NULL},
    {"CLUSTER-IP", 0, SVC_CLUSTER_IP, NULL, SORT_NATURAL, NULL},
    {"EXTERNAL-IP", 0, SVC_EXTERNAL_IP, NULL, SORT_NATURAL, NULL},
    {"SELECTOR", COL_WIDE, SVC_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"PORT(S)", 0, SVC_PORTS, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const services_aliases[] = {"svc", NULL};

const struct kind kind_services = {
    .group = "",
    .version = "v1",
    .resource = "services",
    .singular = "service",
    .kind = "Service",
    .namespaced = true,
    .aliases = services_aliases,
    .columns = services_columns,
    .ncolumns = sizeof services_columns / sizeof services_columns[0],
    .project = services_project,
    .selector = SVC_SELECTOR,
    .caps = KIND_LOGS,
};
