/* kind — what timon knows about one resource kind: where it lives in the API, what users call
 * it, which columns its table has and how an object becomes a row.
 *
 * Each built-in kind is one file (kind_pods.c, ...) defining one `const struct kind`; the
 * registry in kinds.c lists them. A column either shows one of the object's strings or computes
 * its cell at draw time (ages and anything else that moves with the clock). */
#ifndef TIMON_MODEL_KIND_H
#define TIMON_MODEL_KIND_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/obj.h"
#include "util/strbuf.h"

enum column_flags {
    COL_WIDE = 1 << 0,   /* shown only in wide mode */
    COL_ALLNS = 1 << 1,  /* shown only when viewing all namespaces */
    COL_CLOCK = 1 << 2,  /* the cell changes as time passes */
};

#define CELL_MAX 256 /* scratch size for computed cells */

/* Computes a cell into buf (CELL_MAX bytes) or returns a string borrowed from o. */
typedef const char *(*cell_fn)(const struct obj *o, int64_t now, char *buf);

struct kind_column {
    const char *name;
    unsigned flags;
    int str;     /* the object string shown as is, when cell is NULL */
    cell_fn cell;
};

struct kind {
    const char *group;    /* "" for the core group */
    const char *version;
    const char *resource; /* plural, as the API spells it */
    const char *singular;
    const char *kind;     /* "Pod" */
    bool namespaced;
    const char *const *aliases; /* NULL-terminated short names and extra aliases */
    const struct kind_column *columns;
    size_t ncolumns;
    /* Appends the kind's own strings (from OBJ_KIND0 on) and sets t1/n1/state. */
    void (*project)(const cJSON *obj, struct obj_builder *b);
};

/* The built-in kinds, one file each. */
extern const struct kind kind_pods;

/* Shared cells. */
const char *cell_age(const struct obj *o, int64_t now, char *buf);

/* The registry. */
const struct kind *kind_lookup(const char *name);
size_t kind_count(void);
const struct kind *kind_at(size_t i);

/* The collection path: /api/v1/namespaces/NS/pods, /apis/apps/v1/deployments (ns NULL or a
 * cluster-scoped kind: across namespaces). */
void kind_path(const struct kind *k, const char *ns, struct strbuf *out);

/* Projects an API object into a new store object: common metadata, then the kind's strings. */
struct obj *kind_project(const struct kind *k, const cJSON *item, struct obj_builder *b);

#endif
