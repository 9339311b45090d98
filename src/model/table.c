/* table — column selection, typed sort, filtering and cell text for one kind. */
#include "model/table.h"
#include "model/metrics.h"
#include "util/clock.h"
#include "util/duration.h"
#include "util/keysort.h"
#include "util/natsort.h"
#include "util/quantity.h"
#include "util/tabwriter.h"
#include "util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void textcache_free(struct textcache *tc);

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
    t->textcache_min = TABLE_TEXTCACHE_MIN;
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
    free(t->name_run);
    textcache_free(&t->tcache);
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
    t->cx.memo = &t->memo;
    t->memo.o = NULL;
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

long table_index(const struct table *t, const struct obj *o)
{
    if (t->rows.len == t->all.len && o->order < t->rows.len && t->rows.v[o->order] == o)
        return (long)o->order;
    for (size_t i = 0; i < t->rows.len; i++)
        if (t->rows.v[i] == o)
            return (long)i;
    return -1;
}

long table_find(const struct table *t, const char *uid)
{
    for (size_t i = 0; i < t->rows.len; i++)
        if (strcmp(obj_str(t->rows.v[i], OBJ_UID), uid) == 0)
            return (long)i;
    return -1;
}

/* Sorting. Every object has two ranks: its place in namespace/name/uid order and in
 * name/namespace/uid order (names naturally). They are kept with the objects and rebuilt only
 * when objects come or go, since a name, namespace and uid never change; a rebuild after a
 * few arrivals merges them in.
 *
 * - With no sort column the rows are placed by rank; by NAME, by name rank (descending: the
 *   runs of equal names in reverse, each still by namespace). No sort at all.
 * - Otherwise every row gets one byte key whose memcmp order is the table's order: the
 *   column's typed key (complemented when descending), then the 4-byte rank, and keysort
 *   orders them. Text cells that differ only in leading zeros tie on the column and fall to
 *   the rank.
 *
 * At 50,000 pods this takes a sort from 35-120 ms (qsort, comparing natural names) to 2-10 ms,
 * which is what lets Shift-N, Shift-A and Shift-S reach the screen in one frame. */

enum order_by {
    BY_COLUMN,    /* the sort column's key, then the rank (o->order indexes it) */
    BY_RANK,      /* namespace, name, uid (o->rank) */
    BY_NAME_RANK, /* name, namespace, uid (o->name_rank) */
};

/* Rows are visited in an order unrelated to where their objects lie in memory, so a pass over
 * 50,000 of them is a cache miss each; asking for the object a few rows ahead overlaps them. */
#define PREFETCH 8

static void prefetch(const struct obj *o)
{
#if defined(__GNUC__)
    __builtin_prefetch(o);
#else
    (void)o;
#endif
}

/* Before reading row i: asks for the object PREFETCH rows ahead (its first two lines: the
 * header and the strings that follow it). */
static void prefetch_ahead(struct obj *const *v, size_t n, size_t i)
{
    if (i + PREFETCH < n) {
        prefetch(v[i + PREFETCH]);
        prefetch((const struct obj *)((const char *)v[i + PREFETCH] + 64));
    }
}

/* Appends the key of a rank order. */
static void rank_key(const struct obj *o, enum order_by by, struct strbuf *out)
{
    if (by == BY_NAME_RANK)
        natsort_key(out, obj_str(o, OBJ_NAME), true);
    strbuf_puts(out, obj_str(o, OBJ_NAMESPACE));
    strbuf_putc(out, '\0');
    if (by == BY_RANK)
        natsort_key(out, obj_str(o, OBJ_NAME), true);
    strbuf_puts(out, obj_str(o, OBJ_UID));
}

/* The plain object-name column, whose order the name ranks already are. */
static bool is_name_column(const struct kind_column *c)
{
    return c && c->sort == SORT_NATURAL && !c->cell && c->str == OBJ_NAME;
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

/* Eight bytes whose memcmp order is v's numeric order. */
static void put_int(struct strbuf *out, int64_t v)
{
    uint64_t u = (uint64_t)v ^ ((uint64_t)1 << 63);
    unsigned char b[8];
    for (int i = 7; i >= 0; i--, u >>= 8)
        b[i] = (unsigned char)(u & 0xff);
    strbuf_append(out, b, sizeof b);
}

/* Appends the sort key of o in order `by` (BY_COLUMN: under column c). */
static void row_key(const struct table *t, const struct kind_column *c, const struct obj *o,
                    enum order_by by, struct strbuf *out)
{
    if (by != BY_COLUMN) {
        rank_key(o, by, out);
        return;
    }
    size_t start = out->len;
    char buf[CELL_MAX];
    if (c) {
        int64_t a = 0, b = 0;
        switch (c->sort) {
        case SORT_KEY:
            a = c->key ? c->key(o, &t->cx) : 0;
            break;
        case SORT_NUMBER:
            a = leading_int(column_cell(t, c, o, buf));
            break;
        case SORT_QUANTITY:
            if (!quantity_milli(column_cell(t, c, o, buf), &a))
                a = INT64_MIN;
            break;
        case SORT_FRACTION: {
            const char *s = column_cell(t, c, o, buf);
            a = leading_int(s);
            const char *slash = strchr(s, '/');
            b = slash ? leading_int(slash + 1) : 0;
            break;
        }
        case SORT_NATURAL:
            natsort_key(out, column_cell(t, c, o, buf), false); /* ties: by rank */
            break;
        case SORT_DURATION:
            if (!duration_parse_human(column_cell(t, c, o, buf), &a))
                a = INT64_MIN; /* "<unknown>", "" first */
            break;
        }
        if (c->sort != SORT_NATURAL)
            put_int(out, a);
        if (c->sort == SORT_FRACTION)
            put_int(out, b);
        if (t->sort_desc)
            for (size_t i = start; i < out->len; i++)
                out->buf[i] = (char)~out->buf[i];
    }
    unsigned char r[4] = {(unsigned char)(o->rank >> 24), (unsigned char)(o->rank >> 16),
                          (unsigned char)(o->rank >> 8), (unsigned char)o->rank};
    strbuf_append(out, r, sizeof r);
}

/* Keys for objs[0..n) into *arena, which must outlive the items. */
static struct keysort_item *make_keys(const struct table *t, const struct kind_column *c,
                                      enum order_by by, struct obj *const *objs, size_t n,
                                      struct strbuf *arena)
{
    struct keysort_item *items = xcalloc(n ? n : 1, sizeof *items);
    size_t *offs = xcalloc(n + 1, sizeof *offs);            /* the arena moves as it grows */
    strbuf_reserve(arena, n * (by != BY_COLUMN ? 96 : 32)); /* most fit: no copying as it grows */
    for (size_t i = 0; i < n; i++) {
        offs[i] = arena->len;
        if (i + PREFETCH < n)
            prefetch(objs[i + PREFETCH]);
        row_key(t, c, objs[i], by, arena);
    }
    offs[n] = arena->len;
    for (size_t i = 0; i < n; i++)
        items[i] = (struct keysort_item){.key = (const unsigned char *)arena->buf + offs[i],
                                         .len = offs[i + 1] - offs[i],
                                         .val = objs[i]};
    free(offs);
    return items;
}

static void sort_all(const struct table *t, const struct kind_column *c, enum order_by by,
                     struct obj **objs, size_t n)
{
    struct strbuf arena;
    strbuf_init(&arena, SIZE_MAX);
    struct keysort_item *items = make_keys(t, c, by, objs, n, &arena);
    keysort(items, n);
    for (size_t i = 0; i < n; i++)
        objs[i] = items[i].val;
    free(items);
    strbuf_free(&arena);
}

static uint32_t place_of(const struct obj *o, enum order_by by)
{
    return by == BY_RANK ? o->rank : by == BY_NAME_RANK ? o->name_rank : o->order;
}

/* After a few changes: the objects whose keys cannot have moved since the last build (by a
 * rank: all that were there; by column: those the store has not changed since) keep their order
 * from it, the others are sorted among themselves and merged in by binary search. At 50,000 pods a
 * full sort took 50-100 ms, which a watch event paid every time (make bench, churn); this is
 * one pass over the rows. Returns false, having changed nothing, when too much changed for
 * that to pay. */
static bool sort_changed(const struct table *t, const struct kind_column *c, enum order_by by,
                         struct obj **objs, size_t n, size_t prev)
{
    struct obj **stable = xcalloc(prev ? prev : 1, sizeof *stable);
    struct objptrs fresh = {0};
    for (size_t i = 0; i < n; i++) {
        struct obj *o = objs[i];
        uint32_t at = place_of(o, by);
        if ((by != BY_COLUMN || o->changed < t->built_ms) && at < prev && !stable[at])
            stable[at] = o;
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
    struct strbuf arena, probe;
    strbuf_init(&arena, SIZE_MAX);
    strbuf_init(&probe, SIZE_MAX);
    struct keysort_item *items = make_keys(t, c, by, fresh.v, fresh.len, &arena);
    keysort(items, fresh.len);
    size_t lo = 0, k = 0, out = 0;
    for (size_t f = 0; f < fresh.len; f++) {
        size_t hi = m; /* the first stable row that sorts after this one, from lo on */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            strbuf_reset(&probe);
            row_key(t, c, stable[mid], by, &probe);
            if (keysort_cmp((const unsigned char *)probe.buf, probe.len, items[f].key,
                            items[f].len) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        while (k < lo)
            objs[out++] = stable[k++];
        objs[out++] = items[f].val;
    }
    while (k < m)
        objs[out++] = stable[k++];
    free(items);
    strbuf_free(&arena);
    strbuf_free(&probe);
    free(stable);
    objptrs_free(&fresh);
    return true;
}

/* Orders objs[0..n) in a rank order, merging what came since (prev ranked) when that pays. */
static void order_by_rank(struct table *t, enum order_by by, struct obj **objs, size_t n,
                          size_t prev, bool force)
{
    if (force || !sort_changed(t, NULL, by, objs, n, prev))
        sort_all(t, NULL, by, objs, n);
}

/* Gives every row its rank (BY_RANK) or name rank (BY_NAME_RANK), when rows came or went
 * since the last ranking of that kind. */
static void rank_rows(struct table *t, const struct store *s, enum order_by by, bool force)
{
    bool names = by == BY_NAME_RANK;
    size_t *len = names ? &t->name_ranked_len : &t->ranked_len;
    uint64_t *membership = names ? &t->name_ranked_membership : &t->ranked_membership;
    size_t n = t->all.len;
    if (!force && *len == n && *membership == s->membership)
        return;
    struct obj **v = xcalloc(n ? n : 1, sizeof *v);
    if (n)
        memcpy(v, t->all.v, n * sizeof *v);
    order_by_rank(t, by, v, n, *len, force);
    for (size_t i = 0; i < n; i++) {
        if (names)
            v[i]->name_rank = (uint32_t)i;
        else
            v[i]->rank = (uint32_t)i;
    }
    free(v);
    *len = n;
    *membership = s->membership;
    if (names)
        t->name_run_len = (size_t)-1; /* name_runs rebuilds it when NAME descending asks */
}

/* Where each run of equal names starts and ends, by name rank (for NAME descending). */
static void name_runs(struct table *t)
{
    size_t n = t->all.len;
    if (t->name_run_len == n)
        return;
    struct obj **v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++)
        if (t->all.v[i]->name_rank < n)
            v[t->all.v[i]->name_rank] = t->all.v[i];
    free(t->name_run);
    t->name_run = xcalloc(n ? n : 1, sizeof *t->name_run);
    for (size_t i = 0, start = 0; i < n; i++) {
        if (i && v[i] && v[i - 1] &&
            strcmp(obj_str(v[i], OBJ_NAME), obj_str(v[i - 1], OBJ_NAME)) != 0)
            start = i;
        t->name_run[i].start = (uint32_t)start;
    }
    for (size_t i = n, end = n; i-- > 0;) {
        t->name_run[i].end = (uint32_t)end;
        if (t->name_run[i].start == i)
            end = i;
    }
    free(v);
    t->name_run_len = n;
}

/* Puts the rows in rank (or name rank) order; with `desc`, by name rank, the runs of equal
 * names in reverse. False, having changed nothing, unless the ranks are 0..n-1. */
static bool place_by_rank(struct table *t, enum order_by by, bool desc)
{
    size_t n = t->all.len;
    if ((by == BY_NAME_RANK ? t->name_ranked_len : t->ranked_len) != n)
        return false;
    struct obj **v = xcalloc(n ? n : 1, sizeof *v);
    for (size_t i = 0; i < n; i++) {
        struct obj *o = t->all.v[i];
        if (i + PREFETCH < n)
            prefetch(t->all.v[i + PREFETCH]);
        size_t r = place_of(o, by);
        if (r < n && desc)
            r = n - t->name_run[r].end + (r - t->name_run[r].start);
        if (r >= n || v[r]) {
            free(v);
            return false;
        }
        v[r] = o;
        o->order = (uint32_t)r; /* while the object is at hand: sort_rows need not */
    }
    if (n)
        memcpy(t->all.v, v, n * sizeof *v);
    free(v);
    return true;
}

static void sort_rows(struct table *t, const struct store *s, bool incremental)
{
    const struct kind_column *c = t->sort_col >= 0 ? &t->kind->columns[t->sort_col] : NULL;
    rank_rows(t, s, BY_RANK, false);
    /* Name ranks are kept in step from the second build on, so the first Shift-N is a
     * placement; a one-shot table (timon get) is built once and needs them only by NAME. */
    if (incremental || is_name_column(c))
        rank_rows(t, s, BY_NAME_RANK, false);
    size_t prev = t->sorted_len; /* rows whose o->order hints are valid */
    t->sorted_len = t->all.len;
    if (!c || is_name_column(c)) {
        enum order_by by = c ? BY_NAME_RANK : BY_RANK;
        bool desc = c && t->sort_desc;
        if (desc)
            name_runs(t);
        if (!place_by_rank(t, by, desc)) { /* not a permutation: rank again */
            rank_rows(t, s, by, true);
            if (desc)
                name_runs(t);
            place_by_rank(t, by, desc);
        }
        return;
    }
    if (!incremental || (c->flags & COL_METRICS) || /* metrics move on their own */
        !sort_changed(t, c, BY_COLUMN, t->all.v, t->all.len, prev))
        sort_all(t, c, BY_COLUMN, t->all.v, t->all.len);
    for (size_t i = 0; i < t->all.len; i++) {
        if (i + PREFETCH < t->all.len)
            prefetch(t->all.v[i + PREFETCH]);
        t->all.v[i]->order = (uint32_t)i;
    }
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

/* How much a cell costs to compute: 0 a string of the object, 1 computed, 2 computed from
 * the clock or metrics (formatting, a metrics lookup). */
static int cell_cost(const struct kind_column *c)
{
    if (!c->cell)
        return 0;
    return c->flags & (COL_CLOCK | COL_METRICS) ? 2 : 1;
}

/* A literal pattern without a space can only match inside one cell (cells are joined by
 * spaces), so the row matches when some cell does: the cheap cells are tried first, and most
 * rows are decided before any age or metric is formatted; metrics and duration cells are
 * skipped (`skip`) when their alphabet cannot hold the literal. At 50,000 pods a filter character
 * took 40-135 ms when every row's text was built. */
static bool row_matches_by_cell(struct table *t, const struct obj *o, unsigned skip, int from)
{
    char buf[CELL_MAX];
    for (int cost = from; cost < 3; cost++) {
        for (size_t c = 0; c < t->ncols; c++) {
            const struct kind_column *col = &t->kind->columns[t->cols[c]];
            if (cell_cost(col) != cost || (col->flags & skip))
                continue;
            if (filter_match_cell(&t->filter, table_cell(t, o, c, buf)))
                return true;
        }
    }
    return false;
}

/* The text cache: every row's cells that change only with the object (cost 0 and 1), ASCII
 * lowercased and each followed by a 0 byte, in `all` order; built for a filter, kept while
 * the rows stay the same (t->gen), dropped with the filter. A literal filter then finds its
 * rows with one sweep over a few MB instead of computing 300,000 cells. */
/* Adds up to `rows` rows to the cache (starting over when the rows changed); true when it
 * holds every row. */
static bool textcache_extend(struct table *t, size_t rows)
{
    struct textcache *tc = &t->tcache;
    size_t n = t->all.len;
    if (tc->gen != t->gen || tc->n != n || !tc->start) {
        strbuf_reset(&tc->text);
        strbuf_reserve(&tc->text, n * 64);
        free(tc->start);
        free(tc->slow);
        tc->start = xcalloc(n + 1, sizeof *tc->start);
        tc->slow = xcalloc(n ? n : 1, sizeof *tc->slow);
        tc->n = n;
        tc->done = 0;
        tc->gen = t->gen;
    }
    char buf[CELL_MAX];
    bool cached[TABLE_MAX_COLS];
    for (size_t c = 0; c < t->ncols; c++)
        cached[c] = cell_cost(&t->kind->columns[t->cols[c]]) < 2;
    size_t stop = rows < n - tc->done ? tc->done + rows : n;
    for (size_t i = tc->done; i < stop; i++) {
        prefetch_ahead(t->all.v, n, i);
        size_t from = tc->start[i] = tc->text.len;
        for (size_t c = 0; c < t->ncols; c++) {
            if (!cached[c])
                continue;
            const char *cell = table_cell(t, t->all.v[i], c, buf);
            strbuf_append(&tc->text, cell, strlen(cell) + 1); /* with its 0 byte */
        }
        unsigned char *u = (unsigned char *)tc->text.buf + from, *end = u + (tc->text.len - from);
        unsigned char high = 0;
        for (; u < end; u++) {
            high |= *u;
            *u = filter_fold(*u);
        }
        tc->slow[i] = high >= 0x80;
    }
    tc->done = stop;
    tc->start[stop] = tc->text.len;
    return stop == n;
}

static void textcache_build(struct table *t)
{
    textcache_extend(t, (size_t)-1);
}

bool table_prepare_text(struct table *t, size_t rows)
{
    if (!t->built || t->all.len < t->textcache_min)
        return true; /* nothing to prepare: a filter will not use the cache */
    return textcache_extend(t, rows);
}

bool table_text_ready(const struct table *t)
{
    return !t->built || t->all.len < t->textcache_min ||
           (t->tcache.start && t->tcache.gen == t->gen && t->tcache.n == t->all.len &&
            t->tcache.done == t->tcache.n);
}

static void textcache_free(struct textcache *tc)
{
    strbuf_free(&tc->text);
    free(tc->start);
    free(tc->slow);
    memset(tc, 0, sizeof *tc);
}

/* The first place lit (len > 0 bytes) occurs in [p, end), or NULL: memchr for its first byte,
 * then a compare (memmem is not in the C library's portable part). */
static const char *find_bytes(const char *p, const char *end, const char *lit, size_t len)
{
    while ((size_t)(end - p) >= len) {
        const char *q = memchr(p, lit[0], (size_t)(end - p) - len + 1);
        if (!q)
            return NULL;
        if (memcmp(q, lit, len) == 0)
            return q;
        p = q + 1;
    }
    return NULL;
}

/* Marks (hit[i] = 1) the rows, by `all` index, whose cached cells hold the literal. */
static void textcache_find(const struct table *t, const char *lit, size_t len, uint8_t *hit)
{
    const struct textcache *tc = &t->tcache;
    const char *base = tc->text.buf, *p = base, *end = base + tc->text.len;
    while (p < end) {
        const char *q = find_bytes(p, end, lit, len);
        if (!q)
            break;
        size_t off = (size_t)(q - base), lo = 0, hi = tc->n; /* the row holding off */
        while (hi - lo > 1) {
            size_t mid = lo + (hi - lo) / 2;
            if (tc->start[mid] <= off)
                lo = mid;
            else
                hi = mid;
        }
        hit[lo] = 1;
        p = base + tc->start[lo + 1];
    }
}

struct match_ctx {
    unsigned skip;      /* columns whose cells cannot hold the literal */
    const uint8_t *hit; /* by `all` index: the cached cells hold it (NULL: no cache) */
    bool uncached;      /* some visible cell outside the cache could hold it */
};

/* Whether row o (at index k of `all`) passes the filter. */
static bool row_matches(struct table *t, const struct obj *o, size_t k, const struct match_ctx *mc,
                        struct strbuf *sb)
{
    if (t->filter.mode == FILTER_FUZZY) {
        char key[600];
        snprintf(key, sizeof key, "%s/%s", obj_str(o, OBJ_NAMESPACE), obj_str(o, OBJ_NAME));
        return filter_match_fuzzy(&t->filter, key);
    }
    if (t->filter.literal && !strchr(t->filter.term, ' ')) {
        if (mc->hit && k < t->all.len) {
            if (mc->hit[k])
                return true;
            if (!t->tcache.slow[k]) /* ASCII: the cache decided its cells; the rest remain */
                return mc->uncached && row_matches_by_cell(t, o, mc->skip, 2);
        }
        return row_matches_by_cell(t, o, mc->skip, 0);
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

/* A pattern that hit PCRE2's limits on FILTER_GIVE_UP rows would cost seconds more over the
 * rest: the pass stops there, and the rows after are left out. */
static bool gave_up(struct table *t)
{
    if (t->filter.limit_hits < FILTER_GIVE_UP)
        return false;
    t->filter_gave_up = true;
    return true;
}

bool table_filter_gave_up(const struct table *t)
{
    return t->filter_gave_up;
}

bool table_filter_warning(const struct table *t, char *buf, size_t n)
{
    if (t->filter_gave_up)
        snprintf(buf, n,
                 "the filter hit its match limits on %u rows and stopped: the rest were "
                 "not searched (simplify the pattern)",
                 t->filter.limit_hits);
    else if (t->filter.limit_hits)
        snprintf(buf, n, "the filter hit its match limits on %u rows: they are left out",
                 t->filter.limit_hits);
    return t->filter.limit_hits > 0;
}

/* Filters `from` (all, or t->rows itself when narrowing) into t->rows. `cached`: a literal
 * may use (and build) the text cache, which pays when the user types and the rows stay the
 * same, not when the rows just changed. */
static void apply_filter(struct table *t, const struct objptrs *from, bool cached)
{
    t->filter.limit_hits = 0;
    t->filter_gave_up = false;
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
    unsigned skip = 0; /* columns whose cells cannot hold the literal (ASCII: a non-ASCII one
                        * may still match them caselessly, as the Kelvin sign matches k) */
    if (t->filter.ascii && !metrics_cell_may_match(t->filter.term))
        skip |= COL_METRICS;
    if (t->filter.ascii && !duration_cell_may_match(t->filter.term))
        skip |= COL_DURATION;
    struct match_ctx mc = {.skip = skip};
    uint8_t *hit = NULL;
    if (cached && t->filter.ascii && !strchr(t->filter.term, ' ') &&
        from->len >= t->textcache_min) {
        textcache_build(t);
        hit = xcalloc(t->all.len ? t->all.len : 1, 1);
        textcache_find(t, t->filter.term, t->filter.term_len, hit);
        mc.hit = hit;
    }
    for (size_t c = 0; c < t->ncols; c++) {
        const struct kind_column *col = &t->kind->columns[t->cols[c]];
        mc.uncached |= cell_cost(col) == 2 && !(col->flags & skip);
    }
    /* `from` is `all` or a subsequence of it in the same order (the rows of a narrower
     * filter), so each row's index in `all` comes from walking both, not from the object. */
    size_t k = 0, at = 0;
    if (from == &t->rows) {
        for (size_t i = 0; i < t->rows.len && !gave_up(t); i++) {
            struct obj *o = t->rows.v[i];
            while (at < t->all.len && t->all.v[at] != o)
                at++;
            if (owned(t, o) && row_matches(t, o, at, &mc, &sb))
                t->rows.v[k++] = o;
        }
        t->rows.len = k;
    } else {
        objptrs_clear(&t->rows);
        objptrs_reserve(&t->rows, from->len);
        for (size_t i = 0; i < from->len && !gave_up(t); i++)
            if (owned(t, from->v[i]) && row_matches(t, from->v[i], i, &mc, &sb))
                t->rows.v[k++] = from->v[i];
        t->rows.len = k;
    }
    free(hit);
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
    if (!filter_active(&t->filter))
        textcache_free(&t->tcache);
    if (t->built && filter_narrows(&probe, &t->filter))
        apply_filter(t, &t->rows, true);
    else if (t->built)
        apply_filter(t, &t->all, true);
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
    t->memo.o = NULL; /* objects may have been freed: a pointer no longer names one */
    t->gen++;
    objptrs_clear(&t->all);
    objptrs_reserve(&t->all, store_len(s) + s->ghosts.len);
    for (size_t i = 0; i < store_len(s); i++)
        *objptrs_push(&t->all) = store_at(s, i);
    for (size_t i = 0; i < s->ghosts.len; i++)
        *objptrs_push(&t->all) = s->ghosts.v[i];
    int64_t now_ms = clock_mono_ms();
    sort_rows(t, s, t->built);
    apply_filter(t, &t->all, false);
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
