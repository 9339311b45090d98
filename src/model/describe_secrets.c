/* describe_secrets — `kubectl describe secret`: metadata, the type, and each data key with its
 * size in bytes. Never a value: not even a service-account token, which kubectl would print. */
#include "model/describe.h"
#include "util/json.h"

#include <stdlib.h>
#include <string.h>

static void plan(const struct describer_target *t, const cJSON *obj, long status,
                 struct describer_plan *p)
{
    /* kubectl asks for no events about a secret. */
    (void)t;
    (void)obj;
    (void)status;
    (void)p;
}

/* The decoded size of a base64 value, computed from its length (the value is never decoded). */
static long long decoded_size(const char *s)
{
    long long chars = 0, pad = 0;
    for (; *s; s++) {
        if (*s == '=')
            pad++;
        else if (!strchr(" \t\r\n", *s))
            chars++;
    }
    long long total = chars + pad;
    if (total % 4 == 0)
        return total / 4 * 3 - pad;
    return chars / 4 * 3 + (chars % 4 == 3 ? 2 : chars % 4 == 2 ? 1 : 0);
}

static bool render(const struct describer_result *r, struct describe_w *w, struct err *e)
{
    const cJSON *s = r->obj;
    if (!s)
        return err_set(e, "%s", r->obj_error);
    const cJSON *meta = json_get(s, "metadata");
    describe_metadata(w, meta);
    describe_write(w, 0, "\nType:\t%s\n", json_strz(s, "type"));
    describe_write(w, 0, "\nData\n====\n");
    size_t n;
    const cJSON **keys = describe_members(json_get(s, "data"), &n);
    for (size_t i = 0; i < n; i++)
        describe_write(w, 0, "%s:\t%lld bytes\n", keys[i]->string,
                       cJSON_IsString(keys[i]) ? decoded_size(keys[i]->valuestring) : 0);
    free(keys);
    return true;
}

const struct describe_kind describe_secrets = {"", "Secret", plan, render};
