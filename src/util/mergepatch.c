/* mergepatch — RFC 7386 diff and apply on cJSON trees. */
#include "util/mergepatch.h"

#include <stdbool.h>

cJSON *mergepatch_diff(const cJSON *from, const cJSON *to)
{
    if (!cJSON_IsObject(from) || !cJSON_IsObject(to))
        return cJSON_Duplicate(to, 1);
    cJSON *patch = cJSON_CreateObject();
    const cJSON *m;
    cJSON_ArrayForEach(m, from)
    {
        if (!cJSON_GetObjectItemCaseSensitive(to, m->string))
            cJSON_AddItemToObject(patch, m->string, cJSON_CreateNull()); /* removed */
    }
    cJSON_ArrayForEach(m, to)
    {
        const cJSON *was = cJSON_GetObjectItemCaseSensitive(from, m->string);
        if (was && cJSON_Compare(was, m, true))
            continue;
        if (was && cJSON_IsObject(was) && cJSON_IsObject(m)) {
            cJSON *sub = mergepatch_diff(was, m);
            if (cJSON_GetArraySize(sub) > 0)
                cJSON_AddItemToObject(patch, m->string, sub);
            else
                cJSON_Delete(sub);
            continue;
        }
        cJSON_AddItemToObject(patch, m->string, cJSON_Duplicate(m, 1));
    }
    return patch;
}

cJSON *mergepatch_apply(cJSON *target, const cJSON *patch)
{
    if (!cJSON_IsObject(patch)) {
        cJSON_Delete(target);
        return cJSON_Duplicate(patch, 1);
    }
    if (!cJSON_IsObject(target)) {
        cJSON_Delete(target);
        target = cJSON_CreateObject();
    }
    const cJSON *m;
    cJSON_ArrayForEach(m, patch)
    {
        if (cJSON_IsNull(m)) {
            cJSON_DeleteItemFromObjectCaseSensitive(target, m->string);
            continue;
        }
        cJSON *cur = cJSON_GetObjectItemCaseSensitive(target, m->string);
        if (cur) /* in its place: the document keeps its order */
            cJSON_ReplaceItemInObjectCaseSensitive(target, m->string,
                                                   mergepatch_apply(cJSON_Duplicate(cur, 1), m));
        else
            cJSON_AddItemToObject(target, m->string, mergepatch_apply(NULL, m));
    }
    return target;
}
