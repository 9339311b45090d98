/* kind_resourcequotas — quotas as kubectl prints them: REQUEST and LIMIT list `resource: used/hard`
 * for every resource of status.hard, sorted, the `limits.*` ones under LIMIT. A quota with some
 * resource used up (used >= hard > 0) is an error: new objects that need it are refused. */
#include "model/kind.h"
#include "util/json.h"
#include "util/quantity.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { RQ_REQUEST = OBJ_KIND0, RQ_LIMIT };

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void quotas_project(const cJSON *rq, struct obj_builder *b)
{
    const cJSON *status = json_get(rq, "status");
    const cJSON *hard = json_get(status, "hard"), *used = json_get(status, "used");
    int n = cJSON_IsObject(hard) ? cJSON_GetArraySize(hard) : 0;
    const char **names = xcalloc((size_t)(n ? n : 1), sizeof *names);
    int k = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, hard)
    {
        if (it->string && k < n)
            names[k++] = it->string;
    }
    qsort(names, (size_t)k, sizeof *names, cmp_str);
    struct strbuf req = {0}, lim = {0};
    bool full = false;
    for (int i = 0; i < k; i++) {
        char ub[64], hb[64]; /* absent: a zero Quantity prints "0" */
        const char *u = kind_quantity(json_get(used, names[i]), "0", ub, sizeof ub);
        const char *h = kind_quantity(json_get(hard, names[i]), "0", hb, sizeof hb);
        struct strbuf *w = strncmp(names[i], "limits.", 7) == 0 ? &lim : &req;
        strbuf_printf(w, "%s%s: %s/%s", w->len ? ", " : "", names[i], u, h);
        int64_t uv, hv;
        if (quantity_milli(u, &uv) && quantity_milli(h, &hv) && hv > 0 && uv >= hv)
            full = true;
    }
    obj_builder_add(b, strbuf_str(&req));
    obj_builder_add(b, strbuf_str(&lim));
    strbuf_free(&req);
    strbuf_free(&lim);
    free(names);
    if (kind_deleting(rq))
        b->state = OBJ_STATE_TERMINATING;
    else if (full)
        b->state = OBJ_STATE_ERROR;
}

static const struct kind_column quotas_columns[] = {
    COLUMN_NAMESPACE,
    COLUMN_NAME,
    {"REQUEST", 0, RQ_REQUEST, NULL, SORT_NATURAL, NULL},
    {"LIMIT", 0, RQ_LIMIT, NULL, SORT_NATURAL, NULL},
    COLUMN_AGE,
};

static const char *const quotas_aliases[] = {"quota", NULL};

const struct kind kind_resourcequotas = {
    .group = "",
    .version = "v1",
    .resource = "resourcequotas",
    .singular = "resourcequota",
    .kind = "ResourceQuota",
    .namespaced = true,
    .aliases = quotas_aliases,
    .columns = quotas_columns,
    .ncolumns = sizeof quotas_columns / sizeof quotas_columns[0],
    .project = quotas_project,
    .selector = -1,
    .caps = 0,
};
