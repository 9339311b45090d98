/* json — defensive accessors. */
#include "util/json.h"
#include "util/rfc3339.h"

#include <stdarg.h>

const cJSON *json_get(const cJSON *obj, const char *key)
{
    if (!obj || !cJSON_IsObject(obj))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const cJSON *json_path(const cJSON *obj, ...)
{
    va_list ap;
    va_start(ap, obj);
    const char *k;
    while (obj && (k = va_arg(ap, const char *)))
        obj = json_get(obj, k);
    va_end(ap);
    return obj;
}

const char *json_str(const cJSON *obj, const char *key)
{
    const cJSON *v = json_get(obj, key);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *json_strz(const cJSON *obj, const char *key)
{
    const char *s = json_str(obj, key);
    return s ? s : "";
}

int64_t json_int(const cJSON *obj, const char *key, int64_t def)
{
    const cJSON *v = json_get(obj, key);
    if (!cJSON_IsNumber(v))
        return def;
    double d = v->valuedouble;
    if (d != d)
        return def;
    if (d >= 9.2e18)
        return INT64_MAX;
    if (d <= -9.2e18)
        return INT64_MIN;
    return (int64_t)d;
}

bool json_true(const cJSON *obj, const char *key)
{
    return cJSON_IsTrue(json_get(obj, key));
}

int json_len(const cJSON *arr)
{
    return cJSON_IsArray(arr) ? cJSON_GetArraySize(arr) : 0;
}

int64_t json_time(const cJSON *obj, const char *key)
{
    const char *s = json_str(obj, key);
    int64_t t;
    if (!s || !rfc3339_parse(s, &t))
        return 0;
    return t;
}
