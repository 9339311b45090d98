/* libFuzzer target: LIST pages as the reflector reads them — the structural scanner finds
 * "metadata" and "items", and each item is parsed alone into the arena and projected. */
#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "model/kind.h"
#include "model/store.h"
#include "util/jsonarena.h"
#include "util/jsonscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int installed;
    if (!installed) {
        jsonarena_install();
        installed = 1;
    }
    const char *buf = (const char *)data;
    struct jsonspan items, meta;
    if (jsonscan_member(buf, size, "metadata", &meta)) {
        cJSON *m = cJSON_ParseWithLength(meta.p, meta.n);
        cJSON_Delete(m);
    }
    if (!jsonscan_member(buf, size, "items", &items))
        return 0;
    struct store s = {0};
    struct obj_builder b = {0};
    size_t pos = 0;
    bool bad;
    struct jsonspan el;
    const struct kind *k = kind_lookup("pods");
    while (jsonscan_next(items, &pos, &el, &bad)) {
        size_t mark = jsonarena_begin();
        cJSON *it = cJSON_ParseWithLength(el.p, el.n);
        jsonarena_pause();
        if (cJSON_IsObject(it))
            store_put(&s, kind_project(k, it, &b));
        cJSON_Delete(it);
        jsonarena_end(mark);
    }
    store_free(&s);
    obj_builder_free(&b);
    return 0;
}
