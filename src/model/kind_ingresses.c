/* kind_ingresses — ingresses: CLASS, HOSTS, ADDRESS and PORTS exactly as kubectl's printer has
 * them (k9s shows the server's columns for ingresses too). */
#include "model/kind.h"
#include "util/json.h"
#include "util/strbuf.h"

#include <stdint.h>

enum { ING_CLASS = OBJ_KIND0, ING_HOSTS, ING_ADDRESS, ING_PORTS };

#define HOSTS_SHOWN 3

/* The first three non-empty rule hosts, then " + N more..." where N counts the rules after the
 * third (with or without a host, as kubectl counts them); "*" when no rule names a host. */
static void put_hosts(struct obj_builder *b, const cJSON *rules)
{
    struct strbuf sb = {0};
    int shown = 0;
    bool more = false;
    const cJSON *r;
    cJSON_ArrayForEach(r, rules)
    {
        if (shown == HOSTS_SHOWN)
            more = true;
        const char *host = json_strz(r, "host");
        if (!more && host[0]) {
            strbuf_printf(&sb, "%s%s", shown ? "," : "", host);
            shown++;
        }
    }
    if (shown == 0)
        obj_builder_add_raw(b, "*");
    else if (more)
        strbuf_printf(&sb, " + %d more...", json_len(rules) - HOSTS_SHOWN);
    if (shown)
        obj_builder_add(b, strbuf_str(&sb));
    strbuf_free(&sb);
}

static void ingresses_project(const cJSON *ing, struct obj_builder *b)
{
    const cJSON *spec = json_get(ing, "spec");
    const char *cls = json_str(spec, "ingressClassName");
    obj_builder_add(b, cls ? cls : "<none>");
    put_hosts(b, json_get(spec, "rules"));
    struct strbuf address = {0};
    kind_lb_addresses(&address, json_path(ing, "status", "loadBalancer", NULL));
    obj_builder_add(b, strbuf_str(&address));
    strbuf_free(&address);
    obj_builder_add_raw(b, json_len(json_get(spec, "tls")) > 0 ? "80, 443" : "80");
    if (kind_deleting(ing))
        b->state = OBJ_STATE_TERMINATING;
}

static const struct kind_column ingresses_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"CLASS", 0, ING_CLASS, NULL, SORT_NATURAL, NULL},
    {"HOSTS", 0, ING_HOSTS, NULL, SORT_NATURAL, NULL},
    {"ADDRESS", 0, ING_ADDRESS, NULL, SORT_NATURAL, NULL},
    {"PORTS", 0, ING_PORTS, NULL, SORT_NATURAL, NULL},
    COLUMN_AGE,
};

static const char *const ingresses_aliases[] = {"ing", NULL};

const struct kind kind_ingresses = {
    .group = "networking.k8s.io",
    .version = "v1",
    .resource = "ingresses",
    .singular = "ingress",
    .kind = "Ingress",
    .namespaced = true,
    .aliases = ingresses_aliases,
    .columns = ingresses_columns,
    .ncolumns = sizeof ingresses_columns / sizeof ingresses_columns[0],
    .project = ingresses_project,
    .selector = -1,
    .caps = 0,
};
