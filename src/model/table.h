/* table — a kind's table over a store: the visible columns, the rows in order and filtered, the
 * cells.
 *
 * The table borrows the store's objects; its row pointers are valid until the store changes,
 * which table_sync detects (by version) and repairs. Both the TUI and `timon get` render from
 * here, so they can never disagree on a cell. Sorting is typed (ages as durations, quantities as
 * numbers, READY as a fraction, names naturally); after a rebuild that few objects caused, only
 * those are placed again (a table owns its store's order hints and ranks: one table per store).
 * A filter that narrows the previous one scans only the previous matches. */
#ifndef TIMON_MODEL_TABLE_H
#define TIMON_MODEL_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/filter.h"
#include "model/kind.h"
#include "model/store.h"
#include "util/err.h"
#include "util/strbuf.h"

#define TABLE_MAX_COLS      48
#define TABLE_TEXTCACHE_MIN 2000 /* rows from which a literal filter caches the rows' text */
#define FILTER_GIVE_UP      8    /* rows on which the pattern hits its limits before a pass stops */

/* The rows' cells that change only with their objects, lowercased, for literal filters. */
struct textcache {
    struct strbuf text; /* each row's cells, each followed by a 0 byte, in `all` order */
    size_t *start;      /* by `all` index: where its cells begin; start[n] is the end */
    uint8_t *slow;      /* by `all` index: its cells hold non-ASCII bytes */
    size_t n, done;     /* rows in `all`, rows cached so far */
    uint64_t gen;       /* the table generation it was built for */
};

struct table {
    const struct kind *kind; /* borrowed */
    bool allns, wide, metrics;
    size_t cols[TABLE_MAX_COLS]; /* indices into kind->columns */
    size_t ncols;
    const struct kind_column *cols_of; /* the column array cols was selected from */
    struct cell_ctx cx;                /* the clock and metrics cells see */
    struct cell_memo memo;             /* cx.memo: cleared whenever the store changes */
    struct objptrs all;                /* borrowed objects, sorted */
    size_t ranked_len;                 /* objects given a rank (obj.rank) at the last ranking */
    uint64_t ranked_membership;        /* the store membership they were ranked from */
    size_t name_ranked_len;            /* the same for name ranks (obj.name_rank) */
    uint64_t name_ranked_membership;
    size_t name_run_len; /* rows name_run was built for; (size_t)-1: stale */
    struct {
        uint32_t start, end;
    } * name_run;            /* owned, by rank: the ranks of the run of equal names it belongs to */
    struct objptrs rows;     /* the filtered view of `all` */
    uint64_t version;        /* the store version rows were built from */
    uint64_t gen;            /* bumps whenever `all` is rebuilt */
    struct textcache tcache; /* while a literal filter is set */
    size_t textcache_min;    /* rows from which it is used (tests lower it) */
    bool built;
    int64_t built_ms;  /* monotonic ms of the last build: objects changed before kept their key */
    size_t sorted_len; /* rows at the last build (objects' order hints index that order) */
    char *owner;       /* owned: keep only rows whose OWNER is this, or NULL */
    int sort_col;      /* index into kind->columns, or -1 for namespace/name */
    bool sort_desc;
    struct filter filter;
    bool filter_gave_up; /* the last pass stopped early (table_filter_gave_up) */
};

void table_init(struct table *t, const struct kind *k, bool allns, bool wide);
void table_free(struct table *t);
/* Show or hide wide / metrics columns (re-selects the visible columns). */
void table_set_wide(struct table *t, bool wide);
void table_set_metrics(struct table *t, bool on);
/* The clock and metrics that computed cells use. */
void table_set_ctx(struct table *t, int64_t now, const struct metrics *m);
/* Sorts by a kind column (index into kind->columns; -1: namespace then name). */
void table_set_sort(struct table *t, int col, bool desc);
/* Sets the filter ("" clears); false with e set for an invalid pattern (the old filter stays). */
bool table_set_filter(struct table *t, const char *expr, struct err *e);
/* Whether the last filter pass gave up: its pattern hit PCRE2's limits on FILTER_GIVE_UP rows
 * and the rows after them were left out (the UI says so). */
bool table_filter_gave_up(const struct table *t);
/* When the last pass hit the pattern's limits on some rows: true, with what to tell the user. */
bool table_filter_warning(const struct table *t, char *buf, size_t n);
/* Keeps only the rows whose controller owner is "Kind/name" (NULL: all). */
void table_set_owner(struct table *t, const char *owner);
/* Rebuilds the rows when the store changed; returns true if it did. */
bool table_sync(struct table *t, const struct store *s);
size_t table_len(const struct table *t);
/* Rows before filtering. */
size_t table_total(const struct table *t);
const struct obj *table_row(const struct table *t, size_t i);
const char *table_header(const struct table *t, size_t col);
/* Visible column index of a kind column, or -1 when hidden. */
int table_visible_col(const struct table *t, size_t kind_col);
/* The cell text (borrowed from the object, or written into buf of CELL_MAX bytes). */
const char *table_cell(const struct table *t, const struct obj *o, size_t col, char *buf);
/* Builds up to `rows` rows more of the text a literal filter searches (a few milliseconds per
 * 5,000 rows), so that the filter's first keystroke finds it ready; true when it is. */
bool table_prepare_text(struct table *t, size_t rows);
bool table_text_ready(const struct table *t);
/* Index of the row holding o, or -1: from o's place in the sort when nothing is filtered out,
 * else by comparing pointers. */
long table_index(const struct table *t, const struct obj *o);
/* Index of the row whose uid is `uid`, or -1. */
long table_find(const struct table *t, const char *uid);
/* kubectl's text layout: a header row, then one row per object (Go tabwriter, padding 3). */
void table_format_text(const struct table *t, bool headers, struct strbuf *out);

#endif
