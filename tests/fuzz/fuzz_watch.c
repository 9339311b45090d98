/* libFuzzer target: the watch stream as the reflector consumes it — framing across chunk
 * boundaries, one JSON event per line, projection of the object into a store, and a relist. The
 * first byte chooses the chunk size, so split lines and partial UTF-8 are covered. */
#include <cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/lines.h"
#include "model/kind.h"
#include "model/store.h"
#include "model/table.h"
#include "util/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct ctx {
    struct store store;
    struct obj_builder b;
};

static void on_line(void *ud, const char *line, size_t len)
{
    struct ctx *c = ud;
    cJSON *ev = cJSON_ParseWithLength(line, len);
    const char *type = json_str(ev, "type");
    const cJSON *obj = json_get(ev, "object");
    if (type && cJSON_IsObject(obj)) {
        if (strcmp(type, "DELETED") == 0) {
            const char *uid = json_str(json_get(obj, "metadata"), "uid");
            if (uid)
                store_delete(&c->store, uid);
        } else {
            store_put(&c->store, kind_project(kind_lookup("pods"), obj, &c->b));
        }
    }
    cJSON_Delete(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    size_t chunk = (size_t)data[0] % 64 + 1;
    data++;
    size--;
    struct ctx c;
    memset(&c, 0, sizeof c);
    struct lines l;
    lines_init(&l, 4096);
    for (size_t i = 0; i < size; i += chunk)
        lines_feed(&l, (const char *)data + i, i + chunk <= size ? chunk : size - i, on_line, &c);
    lines_flush(&l, on_line, &c);
    /* Render every cell, as the TUI and `get` would. */
    struct table t;
    table_init(&t, kind_lookup("pods"), true, true);
    table_set_ctx(&t, 1767226200, NULL);
    table_sync(&t, &c.store);
    struct strbuf out = {0};
    table_format_text(&t, true, &out);
    for (size_t i = 0; i < out.len; i++)
        if ((unsigned char)out.buf[i] < 0x20 && out.buf[i] != '\n')
            abort(); /* a control byte from the cluster reached the output */
    strbuf_free(&out);
    table_free(&t);
    store_list_begin(&c.store);
    store_list_end(&c.store);
    lines_free(&l);
    store_free(&c.store);
    obj_builder_free(&c.b);
    return 0;
}
