/* obj — building and reading packed object projections. */
#include "model/obj.h"
#include "util/sanitize.h"
#include "util/xalloc.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void obj_builder_reset(struct obj_builder *b)
{
    if (!b->data.max)
        strbuf_init(&b->data, OBJ_MAX_DATA);
    strbuf_reset(&b->data);
    b->n = 0;
    b->created = 0;
    memset(b->num, 0, sizeof b->num);
    b->state = OBJ_STATE_OK;
}

/* Starts the next string; false when there is no room for it (it then reads as ""). */
static bool builder_open(struct obj_builder *b)
{
    if (!b->data.max)
        strbuf_init(&b->data, OBJ_MAX_DATA);
    if (b->n >= OBJ_MAX_STR)
        return false;
    if (b->data.len + 1 >= OBJ_MAX_DATA) {
        /* Full: point at the previous string's NUL, so this one reads as "". */
        b->off[b->n++] = (uint16_t)(b->data.len - 1);
        return false;
    }
    b->off[b->n++] = (uint16_t)b->data.len;
    return true;
}

static void builder_close(struct obj_builder *b)
{
    if (b->data.len + 1 > OBJ_MAX_DATA) {
        /* Out of room: cut this string so its NUL still fits. */
        strbuf_truncate(&b->data, OBJ_MAX_DATA - 1);
    }
    b->data.overflow = false;
    strbuf_putc(&b->data, '\0');
}

void obj_builder_add(struct obj_builder *b, const char *s)
{
    if (!builder_open(b))
        return;
    if (s) {
        size_t n = strcspn(s, "\n\r\f");
        sanitize_append(&b->data, s, n, SANITIZE_TAB_TO_SPACE);
        if (s[n])
            strbuf_puts(&b->data, "...");
    }
    builder_close(b);
}

void obj_builder_add_raw(struct obj_builder *b, const char *s)
{
    if (!builder_open(b))
        return;
    if (s)
        strbuf_puts(&b->data, s);
    builder_close(b);
}

void obj_builder_addf(struct obj_builder *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    obj_builder_add(b, tmp);
}

struct obj *obj_builder_finish(const struct obj_builder *b)
{
    size_t head = offsetof(struct obj, off) + b->n * sizeof(uint16_t);
    struct obj *o = xmalloc(head + b->data.len);
    memset(o, 0, sizeof *o);
    o->created = b->created;
    memcpy(o->num, b->num, sizeof o->num);
    o->state = b->state;
    o->nstr = b->n;
    memcpy(o->off, b->off, b->n * sizeof(uint16_t));
    if (b->data.len)
        memcpy((char *)o + head, b->data.buf, b->data.len);
    return o;
}

void obj_builder_free(struct obj_builder *b)
{
    strbuf_free(&b->data);
}

const char *obj_str(const struct obj *o, unsigned i)
{
    if (i >= o->nstr)
        return "";
    return (const char *)(o->off + o->nstr) + o->off[i];
}

size_t obj_size(const struct obj *o)
{
    if (!o->nstr)
        return sizeof *o;
    const char *last = obj_str(o, o->nstr - 1u);
    return (size_t)(last - (const char *)o) + strlen(last) + 1;
}

bool obj_same(const struct obj *a, const struct obj *b)
{
    if (a->created != b->created || memcmp(a->num, b->num, sizeof a->num) != 0 ||
        a->state != b->state || a->nstr != b->nstr)
        return false;
    /* Compare the offsets and strings, skipping the resourceVersion, which always moves. */
    for (unsigned i = 0; i < a->nstr; i++)
        if (i != OBJ_RV && strcmp(obj_str(a, i), obj_str(b, i)) != 0)
            return false;
    return true;
}
