/* table — a kind's table over a store: the visible columns, the rows in order, the cells.
 *
 * The table borrows the store's objects; its row pointers are valid until the store changes,
 * which table_sync detects (by version) and repairs. Both the TUI and `timon get` render from
 * here, so they can never disagree on a cell. */
#ifndef TIMON_MODEL_TABLE_H
#define TIMON_MODEL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/kind.h"
#include "model/store.h"
#include "util/strbuf.h"

#define TABLE_MAX_COLS 48

struct table {
    const struct kind *kind;    /* borrowed */
    bool allns, wide;
    size_t cols[TABLE_MAX_COLS]; /* indices into kind->columns */
    size_t ncols;
    struct objptrs rows;        /* borrowed objects, ordered */
    uint64_t version;           /* the store version rows were built from */
    bool built;
};

void table_init(struct table *t, const struct kind *k, bool allns, bool wide);
void table_free(struct table *t);
/* Rebuilds the row order when the store changed; returns true if it did. */
bool table_sync(struct table *t, const struct store *s);
size_t table_len(const struct table *t);
const struct obj *table_row(const struct table *t, size_t i);
const char *table_header(const struct table *t, size_t col);
/* The cell text (borrowed from the object, or written into buf of CELL_MAX bytes). */
const char *table_cell(const struct table *t, const struct obj *o, size_t col, int64_t now,
                       char *buf);
/* Index of the row whose uid is `uid`, or -1. */
long table_find(const struct table *t, const char *uid);
/* kubectl's text layout: a header row, then one row per object, columns left-aligned and
 * separated by three spaces (widths counted in code points, as Go's tabwriter does). */
void table_format_text(const struct table *t, int64_t now, bool headers, struct strbuf *out);

#endif
