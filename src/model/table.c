/* table — column selection, typed sort, filtering and cell text for one kind. */
#include "model/table.h"
#include "util/clock.h"
#include "util/natsort.h"
#include "util/quantity.h"
#include "util/tabwriter.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void select_columns(struct table *t)
{
    const struct kind *k = t->kind;
    t->ncols = 0;
    t->cols_of = k->columns;
    if (t->sort_col >= (int)k->ncolumns)
        t->sort_col = -1;
    for (size_t i = 0; i < k->ncolumns && t->ncols < TABLE_MAX_COLS; i++) {
        unsigned fl = k->columns[i].flags;
        if ((fl & COL_ALLNS) && !(t->allns && k->namespaced))
            continue;
        if ((fl & COL_WIDE) && !t->wide)
            continue;
        if ((fl & COL_METRICS) && !t->metrics)
            continue;
        t->cols[t->ncols++] = i;
    }
}

void table_init(struct table *t, const struct kind *k, bool allns, bool wide)
{
    memset(t, 0, sizeof *t);
    t->kind = k;
    t->allns = allns;
    t->wide = wide;
    t->sort_col = -1;
    for (size_t i = 0; k->default_sort && i < k->ncolumns; i++) {
        if (strcmp(k->columns[i].name, k->default_sort) == 0) {
            t->sort_col = (int)i;
            t->sort_desc = k->default_desc;
        }
    }
    select_columns(t);
}

void table_free(struct table *t)
{
    free(t->owner);
    objptrs_free(&t->all);
    objptrs_free(&t->rows);
    filter_free(&t->filter);
}

void table_set_wide(struct table *t, bool wide)
{
    t->wide = wide;
    select_columns(t);
    t->built = false;
}

void table_set_metrics(struct table *t, bool on)
{
    if (t->metrics == on)
        return;
    t->metrics = on;
    select_columns(t);
    t->built = false;
}

void table_set_ctx(struct table *t, int64_t now, const struct metrics *m)
{
    t->cx.now = now;
    t->cx.metrics = m;
}

void table_set_sort(struct table *t, int col, bool desc)
{
    t->sort_col = col >= 0 && (size_t)col < t->kind->ncolumns ? col : -1;
    t->sort_desc = desc;
    t->built = false;
}

size_t table_len(const struct table *t)
{
    return t->rows.len;
}

size_t table_total(const struct table *t)
{
    return t->all.len;
}

const struct obj *table_row(const struct table *t, size_t i)
{
    return *objptrs_at(&t->rows, i);
}

const char *table_header(const struct table *t, size_t col)
{
    return t->kind->columns[t->cols[col]].name;
}

int table_visible_col(const struct table *t, size_t kind_col)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (t->cols[i] == kind_col)
            return (int)i;
    return -1;
}

static const char *column_cell(const struct table *t, const struct kind_column *c,
                               const struct obj *o, char *buf)
{
    if (c->cell)
        return c->cell(o, &t->cx, buf);
    return obj_str(o, (unsigned)c->str);
}

const char *table_cell(const struct table *t, const struct obj *o, size_t col, char *buf)
{
    return column_cell(t, &t->kind->columns[t->cols[col]], o, buf);
}

long table_find(const struct table *t, const char *uid)
{
    for (size_t i = 0; i < t->rows.len; i++)
        if (strcmp(obj_str(t->rows.v[i], OBJ_UID), uid) == 0)
            return (long)i;
    return -1;
}

/* Sorting: keys are computed once per row, then compared. */
struct sort_row {
    struct obj *o;
    int64_t a, b;     /* numeric keys */
    const char *text; /* natural-sort key (borrowed from the object or the text arena) */
};

static int by_name(const struct obj *a, const struct obj *b)
{
    int c = strcmp(obj_str(a, OBJ_NAMESPACE), obj_str(b, OBJ_NAMESPACE));
    if (c)
        return c;
    c = natsort_cmp(obj_str(a, OBJ_NAME), obj_str(b, OBJ_NAME));
    if (c)
        return c;
    return strcmp(obj_str(a, OBJ_UID), obj_str(b, OBJ_UID));
}

static bool sort_numeric; /* set around qsort; the loop is single-threaded */
static bool sort_desc;

static int sort_cmp(const void *pa, const void *pb)
{
    const struct sort_row *a = pa, *b = pb;
    int c = 0;
    if (sort_numeric) {
        c = a->a < b->a ? -1 : a->a > b->a;
        if (!c)
            c = a->b < b->b ? -1 : a->b > b->b;
    } else if (a->text && b->text) {
        c = natsort_cmp(a->text, b->text);
    }
    if (sort_desc)
        c = -c;
    return c ? c : by_name(a->o, b->o);
}

static int64_t leading_int(const char *s)
{
    while (*s == ' ')
        s++;
    bool neg = *s == '-';
    if (neg)
        s++;
    if (*s < '0' || *s > '9')
        return INT64_MIN; /* "n/a", "<none>" sort first */
    int64_t v = 0;
    while (*s >= '0' && *s <= '9' && v < INT64_MAX / 10)
        v = v * 10 + (*s++ - '0');
    return neg ? -v : v;
}

/* The sort key of one row under column c (NULL: namespace/name only); a computed text key is
 * written into buf (CELL_MAX bytes). */
static void row_key(const struct table *t, const struct kind_column *c, struct obj *o,
                    struct sort_row *r, char *buf)
{
    *r = (struct sort_row){.o = o};
    if (!c)
        return; /* all keys 0: falls through to namespace/name */
    switch (c->sort) {
    case SORT_KEY:
        r->a = c->key ? c->key(o, &t->cx) : 0;
        break;
    case SORT_NUMBER:
        r->a = leading_int(column_cell(t, c, o, buf));
        break;
    case SORT_QUANTITY: {
        int64_t v;
        r->a = quantity_milli(column_cell(t, c, o, buf), &v) ? v : INT64_MIN;
        break;
    }
    case SORT_FRACTION: {
        const char *s = column_cell(t, c, o, buf);
        r->a = leading_int(s);
        const char *slash = strchr(s, '/');
        r->b = slash ? leading_int(slash + 1) : 0;
        break;
    }
    case SORT_NATURAL:
        r->text = c->cell ? column_cell(t, c, o, buf) : obj_str(o, (unsigned)c->str);
        break;
    }
}

/* Keys for objs[0..n); computed text keys are copied into *arena, which must outlive them. */
static struct sort_row *make_keys(const struct table *t, const struct kind_column *c,
                                  struct obj *const *objs, size_t n, struct strbuf *arena)
{
    struct sort_row *rows = xcalloc(n ? n : 1, sizeof *rows);
    bool copy = c && c->sort == SORT_NATURAL && c->cell;
    size_t *offs = copy ? xcalloc(n ? n : 1, sizeof *offs) : NULL; /* the arena may move */
    char buf[CELL_MAX];
    for (size_t i = 0; i < n; i++) {
        row_key(t, c, objs[i], &rows[i], buf);
        if (copy) {
            offs[i] = arena->len;
            strbuf_puts(arena, rows[i].text);
            strbuf_putc(arena, '\0');
        }
    }
    for (size_t i = 0; copy && i < n; i++)
        rows[i].text = arena->buf + offs[i];
    free(offs);
    return rows;
}

static void sort_all(struct table *t, const struct kind_column *c)
{
    struct strbuf arena = {0};
    size_t n = t->all.len;
    struct sort_row *rows = make_keys(t, c, t->all.v, n, &arena);
    qsort(rows, n, sizeof *rows, sort_cmp);
    for (size_t i = 0; i < n; i++)
        t->all.v[i] = rows[i].o;
    free(rows);
    strbuf_free(&arena);
}

/* After a few changes: the rows the store has not changed since the last build keep their
 * order from it (their keys cannot have moved), the others are sorted among themselves and
 * merged in by binary search. At 50,000 pods a full sort took 50-100 ms, which a watch event
 * paid every time (make bench, churn); this is one pass over the rows. Returns false, having
 * changed nothing, when too much changed for that to pay. */
static bool sort_changed(struct table *t, const struct kind_column *c)
{
    size_t n = t->all.len, prev = t->sorted_len;
    struct obj **stable = xcalloc(prev ? prev : 1, sizeof *stable);
    struct objptrs fresh = {0};
    for (size_t i = 0; i < n; i++) {
        struct obj *o = t->all.v[i];
        if (o->changed < t->built_ms && o->order < prev && !stable[o->order])
            stable[o->order] = o;
        else
            *objptrs_push(&fresh) = o;
    }
    if (fresh.len > n / 8 + 16) {
        free(stable);
        objptrs_free(&fresh);
        return false;
    }
    size_t m = 0;
    for (size_t i = 0; i < prev; i++)
        if (stable[i])
            stable[m++] = stable[i];
    struct strbuf arena = {0};
    struct sort_row *rows = make_keys(t, c, fresh.v, fresh.len, &arena);
    qsort(rows, fresh.len, sizeof *rows, sort_cmp);
    char buf[CELL_MAX];
    size_t lo = 0, k = 0, out = 0;
    for (size_t f = 0; f < fresh.len; f++) {
        size_t hi = m; /* the first stable row that sorts after this one, from lo on */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            struct sort_row sr;
            row_key(t, c, stable[mid], &sr, buf);
            if (sort_cmp(&sr, &rows[f]) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        while (k < lo)
            t->all.v[out++] = stable[k++];
        t->all.v[out++] = rows[f].o;
    }
    while (k < m)
        t->all.v[out++] = stable[k++];
    free(rows);
    strbuf_free(&arena);
    free(stable);
    objptrs_free(&fresh);
    return true;
}

static void sort_rows(struct table *t, bool incremental)
{
    const struct kind_column *c = t->sort_col >= 0 ? &t->kind->columns[t->sort_col] : NULL;
    sort_numeric = !c || c->sort != SORT_NATURAL;
    sort_desc = c && t->sort_desc;
    /* Metrics change without the objects changing: their order is always computed afresh. */
    if (!incremental || (c && (c->flags & COL_METRICS)) || !sort_changed(t, c))
        sort_all(t, c);
    for (size_t i = 0; i < t->all.len; i++)
        t->all.v[i]->order = (uint32_t)i;
    t->sorted_len = t->all.len;
}

/* The visible cells of a row joined by spaces: what the regex filter sees. */
static void row_text(const struct table *t, const struct obj *o, struct strbuf *sb)
{
    char buf[CELL_MAX];
    strbuf_reset(sb);
    for (size_t c = 0; c < t->ncols; c++) {
        if (c)
            strbuf_putc(sb, ' ');
        strbuf_puts(sb, table_cell(t, o, c, buf));
    }
}

static bool row_matches(struct table *t, const struct obj *o, struct strbuf *sb)
{
    if (t->filter.mode == FILTER_FUZZY) {
        char key[600];
        snprintf(key, sizeof key, "%s/%s", obj_str(o, OBJ_NAMESPACE), obj_str(o, OBJ_NAME));
        return filter_match_fuzzy(&t->filter, key);
    }
    row_text(t, o, sb);
    return filter_match_text(&t->filter, strbuf_str(sb), sb->len);
}

void table_set_owner(struct table *t, const char *owner)
{
    free(t->owner);
    t->owner = owner ? xstrdup(owner) : NULL;
    t->built = false;
}

static bool owned(const struct table *t, const struct obj *o)
{
    return !t->owner || strcmp(obj_str(o, OBJ_OWNER), t->owner) == 0;
}

/* Filters `from` into t->rows (from may be t->rows itself, when narrowing). */
static void apply_filter(struct table *t, const struct objptrs *from)
{
    if (!filter_active(&t->filter) && t->owner) {
        objptrs_clear(&t->rows);
        for (size_t i = 0; i < t->all.len; i++)
            if (owned(t, t->all.v[i]))
                *objptrs_push(&t->rows) = t->all.v[i];
        return;
    }
    if (!filter_active(&t->filter)) {
        objptrs_clear(&t->rows);
        objptrs_reserve(&t->rows, t->all.len);
        if (t->all.len)
            memcpy(t->rows.v, t->all.v, t->all.len * sizeof *t->all.v);
        t->rows.len = t->all.len;
        return;
    }
    struct strbuf sb = {0};
    t->filter.limit_hit = false;
    size_t k = 0;
    if (from == &t->rows) {
        for (size_t i = 0; i < t->rows.len; i++)
            if (owned(t, t->rows.v[i]) && row_matches(t, t->rows.v[i], &sb))
                t->rows.v[k++] = t->rows.v[i];
        t->rows.len = k;
    } else {
        objptrs_clear(&t->rows);
        objptrs_reserve(&t->rows, from->len);
        for (size_t i = 0; i < from->len; i++)
            if (owned(t, from->v[i]) && row_matches(t, from->v[i], &sb))
                t->rows.v[k++] = from->v[i];
        t->rows.len = k;
    }
    strbuf_free(&sb);
}

bool table_set_filter(struct table *t, const char *expr, struct err *e)
{
    struct filter prev = t->filter; /* shallow: only compared before the new one is set */
    char *prev_term = prev.term ? xstrdup(prev.term) : NULL;
    struct filter probe = {.mode = prev.mode, .literal = prev.literal, .term = prev_term};
    if (!filter_set(&t->filter, expr, e)) {
        free(prev_term);
        return false;
    }
    if (t->built && filter_narrows(&probe, &t->filter))
        apply_filter(t, &t->rows);
    else if (t->built)
        apply_filter(t, &t->all);
    free(prev_term);
    return true;
}

bool table_sync(struct table *t, const struct store *s)
{
    if (t->cols_of != t->kind->columns) { /* a server-rendered kind learned its columns */
        select_columns(t);
        t->built = false;
    }
    if (t->built && t->version == s->version)
        return false;
    objptrs_clear(&t->all);
    objptrs_reserve(&t->all, store_len(s) + s->ghosts.len);
    for (size_t i = 0; i < store_len(s); i++)
        *objptrs_push(&t->all) = store_at(s, i);
    for (size_t i = 0; i < s->ghosts.len; i++)
        *objptrs_push(&t->all) = s->ghosts.v[i];
    int64_t now_ms = clock_mono_ms();
    sort_rows(t, t->built);
    apply_filter(t, &t->all);
    t->version = s->version;
    t->built = true;
    t->built_ms = now_ms;
    return true;
}

void table_format_text(const struct table *t, bool headers, struct strbuf *out)
{
    struct strbuf raw = {0};
    char buf[CELL_MAX];
    for (size_t r = headers ? 0 : 1; r <= t->rows.len; r++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const char *s = r == 0 ? table_header(t, c) : table_cell(t, t->rows.v[r - 1], c, buf);
            /* Cells never hold tabs or newlines (sanitised at projection), so the layout
             * cannot be broken by cluster text. */
            strbuf_puts(&raw, s);
            strbuf_putc(&raw, c + 1 < t->ncols ? '\t' : '\n');
        }
    }
    tabwriter_format(strbuf_str(&raw), raw.len, TABWRITER_KUBECTL_GET, out);
    strbuf_free(&raw);
}
