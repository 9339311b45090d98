/* op_delete — DELETE with DeleteOptions. */
#include "client/op_delete.h"

const char *op_propagation_name(enum op_propagation p)
{
    switch (p) {
    case OP_PROPAGATE_FOREGROUND:
        return "Foreground";
    case OP_PROPAGATE_ORPHAN:
        return "Orphan";
    case OP_PROPAGATE_BACKGROUND:
    default:
        return "Background";
    }
}

bool op_delete(struct http *h, const struct target *t, enum op_propagation prop, long grace,
               op_done_fn done, void *ud, struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    cJSON *opts = cJSON_CreateObject();
    cJSON_AddStringToObject(opts, "kind", "DeleteOptions");
    cJSON_AddStringToObject(opts, "apiVersion", "v1");
    cJSON_AddStringToObject(opts, "propagationPolicy", op_propagation_name(prop));
    if (grace >= 0)
        cJSON_AddNumberToObject(opts, "gracePeriodSeconds", (double)grace);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(opts, "preconditions"), "uid", t->uid);
    struct strbuf path = {0}, msg = {0};
    target_path(t, NULL, &path);
    target_describe(t, &msg);
    strbuf_puts(&msg, grace == 0 ? " killed" : " deleted");
    bool ok =
        op_send_json(h, "DELETE", strbuf_str(&path), OP_JSON, opts, strbuf_str(&msg), done, ud, e);
    strbuf_free(&path);
    strbuf_free(&msg);
    cJSON_Delete(opts);
    return ok;
}
