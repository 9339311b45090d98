/* op_labels — the metadata merge patch. */
#include "client/op_labels.h"

bool op_labels(struct http *h, const struct target *t, const char *resource_version,
               const cJSON *labels, const cJSON *annotations, op_done_fn done, void *ud,
               struct err *e)
{
    if (!op_pinned(h, t, e))
        return false;
    cJSON *p = op_pinned_patch(t);
    cJSON *md = cJSON_GetObjectItemCaseSensitive(p, "metadata");
    if (resource_version && resource_version[0])
        cJSON_AddStringToObject(md, "resourceVersion", resource_version);
    if (labels)
        cJSON_AddItemToObject(md, "labels", cJSON_Duplicate(labels, 1));
    if (annotations)
        cJSON_AddItemToObject(md, "annotations", cJSON_Duplicate(annotations, 1));
    struct strbuf path = {0}, msg = {0};
    target_path(t, NULL, &path);
    target_describe(t, &msg);
    strbuf_puts(&msg, cJSON_GetArraySize(labels) > 0 ? " labeled" : " annotated");
    bool ok = op_send_json(h, "PATCH", strbuf_str(&path), OP_MERGE_PATCH, p, strbuf_str(&msg), done,
                           ud, e);
    strbuf_free(&path);
    strbuf_free(&msg);
    cJSON_Delete(p);
    return ok;
}
