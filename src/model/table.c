/* table — column selection, row order and cell text for one kind. */
#include "model/table.h"
#include "util/natsort.h"
#include "util/tabwriter.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void table_init(struct table *t, const struct kind *k, bool allns, bool wide)
{
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->allns = allns;
    t->wide = wide;
    for (size_t i = 0; i < k->ncolumns && t->ncols < TABLE_MAX_COLS; i++) {
        unsigned fl = k->columns[i].flags;
        if ((fl & COL_ALLNS) && !(allns && k->namespaced))
            continue;
        if ((fl & COL_WIDE) && !wide)
            continue;
        t->cols[t->ncols++] = i;
    }
}

void table_free(struct table *t)
{
    objptrs_free(&t->rows);
}

static int row_cmp(const void *pa, const void *pb)
{
    const struct obj *a = *(const struct obj *const *)pa;
    const struct obj *b = *(const struct obj *const *)pb;
    int c = strcmp(obj_str(a, OBJ_NAMESPACE), obj_str(b, OBJ_NAMESPACE));
    if (c)
        return c;
    c = natsort_cmp(obj_str(a, OBJ_NAME), obj_str(b, OBJ_NAME));
    if (c)
        return c;
    return strcmp(obj_str(a, OBJ_UID), obj_str(b, OBJ_UID));
}

bool table_sync(struct table *t, const struct store *s)
{
    if (t->built && t->version == s->version)
        return false;
    objptrs_clear(&t->rows);
    objptrs_reserve(&t->rows, store_len(s));
    for (size_t i = 0; i < store_len(s); i++)
        *objptrs_push(&t->rows) = store_at(s, i);
    qsort(t->rows.v, t->rows.len, sizeof *t->rows.v, row_cmp);
    t->version = s->version;
    t->built = true;
    return true;
}

size_t table_len(const struct table *t)
{
    return t->rows.len;
}

const struct obj *table_row(const struct table *t, size_t i)
{
    return *objptrs_at(&t->rows, i);
}

const char *table_header(const struct table *t, size_t col)
{
    return t->kind->columns[t->cols[col]].name;
}

const char *table_cell(const struct table *t, const struct obj *o, size_t col, int64_t now,
                       char *buf)
{
    const struct kind_column *c = &t->kind->columns[t->cols[col]];
    if (c->cell)
        return c->cell(o, now, buf);
    return obj_str(o, (unsigned)c->str);
}

long table_find(const struct table *t, const char *uid)
{
    for (size_t i = 0; i < t->rows.len; i++)
        if (strcmp(obj_str(t->rows.v[i], OBJ_UID), uid) == 0)
            return (long)i;
    return -1;
}

void table_format_text(const struct table *t, int64_t now, bool headers, struct strbuf *out)
{
    struct strbuf raw = {0};
    char buf[CELL_MAX];
    for (size_t r = headers ? 0 : 1; r <= t->rows.len; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = r == 0 ? table_header(t, c)
                                   : table_cell(t, t->rows.v[r - 1], c, now, buf);
            /* Cells never hold tabs or newlines (sanitised at projection), so the layout
             * cannot be broken by cluster text. */
            strbuf_puts(&raw, s);
            strbuf_putc(&raw, c + 1 < t->ncols ? '\t' : '\n');
        }
    }
    tabwriter_format(strbuf_str(&raw), raw.len, TABWRITER_KUBECTL_GET, out);
    strbuf_free(&raw);
}
