/* kind_networkpolicies — network policies: POD-SELECTOR as kubectl prints it, and k9s's wide
 * summaries of the ingress and egress rules: the peers' selectors ("ns:SEL po:SEL", peers
 * separated by "; ", "*" for an empty selector, which selects everything), the ports ("TCP:80",
 * "UDP:53", "TCP:8000-8080", "TCP:*" for every port) and the IP blocks ("CIDR[except,...]"). */
#include "model/kind.h"
#include "util/json.h"
#include "util/strbuf.h"

#include <stdint.h>

enum {
    NP_POD_SELECTOR = OBJ_KIND0,
    NP_ING_SELECTOR,
    NP_ING_PORTS,
    NP_ING_BLOCK,
    NP_EGR_SELECTOR,
    NP_EGR_PORTS,
    NP_EGR_BLOCK,
};

#define EXCEPTS_SHOWN 2

static void put_peer_selectors(const cJSON *peer, struct strbuf *sb)
{
    const cJSON *ns = json_get(peer, "namespaceSelector");
    const cJSON *pod = json_get(peer, "podSelector");
    if (!cJSON_IsObject(ns) && !cJSON_IsObject(pod))
        return; /* an ipBlock peer */
    if (sb->len)
        strbuf_puts(sb, "; ");
    if (cJSON_IsObject(ns)) {
        strbuf_puts(sb, "ns:");
        kind_selector_text(sb, ns, "*"); /* an empty selector selects all */
    }
    if (cJSON_IsObject(pod)) {
        strbuf_puts(sb, cJSON_IsObject(ns) ? " po:" : "po:");
        kind_selector_text(sb, pod, "*");
    }
}

static void put_block(const cJSON *block, struct strbuf *sb)
{
    if (!cJSON_IsObject(block))
        return;
    if (sb->len)
        strbuf_putc(sb, ',');
    strbuf_puts(sb, json_strz(block, "cidr"));
    const cJSON *except = json_get(block, "except");
    int n = json_len(except);
    if (n == 0)
        return;
    strbuf_putc(sb, '[');
    for (int i = 0; i < n && i < EXCEPTS_SHOWN; i++) {
        const cJSON *e = cJSON_GetArrayItem(except, i);
        strbuf_printf(sb, "%s%s", i ? "," : "", cJSON_IsString(e) ? e->valuestring : "");
    }
    strbuf_puts(sb, n > EXCEPTS_SHOWN ? "...]" : "]");
}

static void put_port(const cJSON *p, struct strbuf *sb)
{
    const char *proto = json_strz(p, "protocol");
    if (sb->len)
        strbuf_putc(sb, ',');
    strbuf_printf(sb, "%s:", proto[0] ? proto : "TCP"); /* the server's default */
    const cJSON *port = json_get(p, "port");
    if (cJSON_IsNumber(port))
        strbuf_printf(sb, "%lld", (long long)json_int(p, "port", 0));
    else if (cJSON_IsString(port))
        strbuf_puts(sb, port->valuestring); /* a named container port */
    else
        strbuf_putc(sb, '*');
    if (cJSON_IsNumber(json_get(p, "endPort")))
        strbuf_printf(sb, "-%lld", (long long)json_int(p, "endPort", 0));
}

/* The SELECTOR, PORTS and BLOCK cells of the ingress (peers "from") or egress ("to") rules. */
static void put_rules(struct obj_builder *b, const cJSON *rules, const char *peers_key)
{
    struct strbuf sel = {0}, ports = {0}, blocks = {0};
    const cJSON *r, *it;
    cJSON_ArrayForEach(r, rules)
    {
        cJSON_ArrayForEach(it, json_get(r, peers_key))
        {
            put_peer_selectors(it, &sel);
            put_block(json_get(it, "ipBlock"), &blocks);
        }
        cJSON_ArrayForEach(it, json_get(r, "ports"))
        {
            put_port(it, &ports);
        }
    }
    obj_builder_add(b, strbuf_str(&sel));
    obj_builder_add(b, strbuf_str(&ports));
    obj_builder_add(b, strbuf_str(&blocks));
    strbuf_free(&sel);
    strbuf_free(&ports);
    strbuf_free(&blocks);
}

static void networkpolicies_project(const cJSON *np, struct obj_builder *b)
{
    const cJSON *spec = json_get(np, "spec");
    kind_put_selector(b, json_get(spec, "podSelector"));
    put_rules(b, json_get(spec, "ingress"), "from");
    put_rules(b, json_get(spec, "egress"), "to");
    if (kind_deleting(np))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column networkpolicies_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"POD-SELECTOR", 0, NP_POD_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"ING-SELECTOR", COL_WIDE, NP_ING_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"ING-PORTS", COL_WIDE, NP_ING_PORTS, NULL, SORT_NATURAL, NULL},
    {"ING-BLOCK", COL_WIDE, NP_ING_BLOCK, NULL, SORT_NATURAL, NULL},
    {"EGR-SELECTOR", COL_WIDE, NP_EGR_SELECTOR, NULL, SORT_NATURAL, NULL},
    {"EGR-PORTS", COL_WIDE, NP_EGR_PORTS, NULL, SORT_NATURAL, NULL},
    {"EGR-BLOCK", COL_WIDE, NP_EGR_BLOCK, NULL, SORT_NATURAL, NULL},
    COLUMN_LABELS,
    COLUMN_AGE,
};

static const char *const networkpolicies_aliases[] = {"netpol", "np", NULL};

const struct kind kind_networkpolicies = {
    .group = "networking.k8s.io",
    .version = "v1",
    .resource = "networkpolicies",
    .singular = "networkpolicy",
    .kind = "NetworkPolicy",
    .namespaced = true,
    .aliases = networkpolicies_aliases,
    .columns = networkpolicies_columns,
    .ncolumns = sizeof networkpolicies_columns / sizeof networkpolicies_columns[0],
    .project = networkpolicies_project,
    .selector = -1,
    .caps = 0,
};
