/* libFuzzer target: describe's renderers and quantity parser over whatever a server could send.
 * The input is one JSON document {"obj": ..., "replies": [...]}; the first byte picks the kind,
 * each reply is handed over as a follow-up (a JSON null as a failed one), and every quantity-like
 * string in the object goes through qty_parse and qty_format. */
#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/describe.h"
#include "util/qty.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quantities(const cJSON *v)
{
    for (; v; v = v->next) {
        if (cJSON_IsString(v)) {
            struct qty q, sum = {0};
            char buf[QTY_MAX_LEN];
            if (qty_parse(v->valuestring, &q)) {
                qty_format(&q, buf, sizeof buf);
                qty_add(&sum, &q);
                qty_add(&sum, &q);
                qty_format(&sum, buf, sizeof buf);
                (void)qty_milli(&sum);
                (void)qty_value(&sum);
            }
        }
        quantities(v->child);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const kinds[][2] = {
        {"", "Pod"},     {"apps", "Deployment"}, {"apps", "ReplicaSet"},   {"", "Node"},
        {"", "Service"}, {"", "Secret"},         {"example.com", "Widget"}};
    if (size < 1)
        return 0;
    const char *const *k = kinds[data[0] % (sizeof kinds / sizeof kinds[0])];
    cJSON *doc = cJSON_ParseWithLength((const char *)data + 1, size - 1);
    if (!doc)
        return 0;
    quantities(doc);
    struct describer_target t = {.group = k[0],
                                 .version = "v1",
                                 .resource = "x",
                                 .kind = k[1],
                                 .namespaced = true,
                                 .ns = "ns",
                                 .name = "x",
                                 .strict = data[0] & 0x80};
    const cJSON *obj = cJSON_GetObjectItemCaseSensitive(doc, "obj");
    struct describer_plan plan = {0};
    describe_hooks.plan(&t, cJSON_IsObject(obj) ? obj : NULL, 200, &plan);
    for (size_t i = 0; i < plan.n; i++) {
        free(plan.reqs[i].path);
        free(plan.reqs[i].label_selector);
        free(plan.reqs[i].field_selector);
    }
    struct describer_reply replies[DESCRIBER_MAX_REQS];
    memset(replies, 0, sizeof replies);
    size_t n = 0;
    const cJSON *r;
    cJSON_ArrayForEach(r, cJSON_GetObjectItemCaseSensitive(doc, "replies"))
    {
        if (n == DESCRIBER_MAX_REQS)
            break;
        replies[n].ok = !cJSON_IsNull(r);
        replies[n].status = cJSON_IsNumber(r) ? (long)r->valuedouble : 200;
        replies[n].json = (cJSON *)(uintptr_t)r;
        strcpy(replies[n].error, "failed");
        n++;
    }
    struct describer_result res = {.target = &t,
                                   .obj = cJSON_IsObject(obj) ? obj : NULL,
                                   .obj_error = "not found",
                                   .replies = replies,
                                   .n = n,
                                   .now = 1740787200};
    struct strbuf out = {0};
    struct err e = {0};
    describe_hooks.render(&res, &out, &e);
    strbuf_free(&out);
    cJSON_Delete(doc);
    return 0;
}
