/* kind — what timon knows about one resource kind: where it lives in the API, what users call
 * it, which columns its table has, how they sort, and how an object becomes a row.
 *
 * Each built-in kind is one file (kind_pods.c, kind_deployments.c, ...) defining one
 * `const struct kind`; the group registries (kinds_workloads.c, ...) list them. A column either
 * shows one of the object's strings, or computes its cell at draw time from the object's numbers
 * (ages and anything else that moves with the clock, metrics). Cells follow kubectl's printers
 * where kubectl shows the same column; the column sets follow k9s. */
#ifndef TIMON_MODEL_KIND_H
#define TIMON_MODEL_KIND_H

#include <cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/metrics.h"
#include "model/obj.h"
#include "util/strbuf.h"

enum column_flags {
    COL_WIDE = 1 << 0,     /* shown only in wide mode */
    COL_ALLNS = 1 << 1,    /* shown only when viewing all namespaces */
    COL_CLOCK = 1 << 2,    /* the cell changes as time passes: recomputed at draw time */
    COL_METRICS = 1 << 3,  /* needs metrics.k8s.io: shown only when the server has it; its
                            * cells are metrics_fmt_int/metrics_fmt_pct text (the filter
                            * relies on that: metrics_cell_may_match) */
    COL_DURATION = 1 << 4, /* cells are durations, integers and "N (D ago)" text, nothing else
                            * (DURATION_CELL_CHARS: the filter relies on it) */
};

/* How a column sorts. Text sorts naturally (pod-2 before pod-10). */
enum column_sort {
    SORT_NATURAL,  /* the cell text, digit runs as numbers */
    SORT_NUMBER,   /* the leading integer of the cell ("7 (3m ago)" sorts as 7) */
    SORT_QUANTITY, /* the cell as a resource quantity ("10Gi" > "900Mi") */
    SORT_FRACTION, /* "ready/total" by ready, then total */
    SORT_KEY,      /* the column's key function */
    SORT_DURATION, /* a HumanDuration ("26h" < "2d"; a server-rendered date column) */
};

struct store; /* model/store.h */

/* What a computed cell may look at besides the object. */
/* One object's metrics sample, looked up once for all of its metrics cells (six of them for a
 * pod: six hash lookups per row were most of a filter pass at 50,000 pods). Valid while `o`
 * is the same object, which its owner guarantees by clearing `o` whenever objects may have
 * been freed, and while the metrics are the same generation. */
struct cell_memo {
    const struct obj *o;
    uint64_t generation;
    bool ok;
    struct metrics_sample s;
};

struct cell_ctx {
    int64_t now;                   /* wall clock, epoch seconds */
    const struct metrics *metrics; /* borrowed; NULL when metrics are not served */
    struct cell_memo *memo;        /* borrowed; NULL: no memo */
};

#define CELL_MAX 256 /* scratch size for computed cells */

/* Computes a cell into buf (CELL_MAX bytes) or returns a string borrowed from o. */
typedef const char *(*cell_fn)(const struct obj *o, const struct cell_ctx *cx, char *buf);
/* A numeric sort key (ages sort by creation time, restarts by count ...). */
typedef int64_t (*sortkey_fn)(const struct obj *o, const struct cell_ctx *cx);

struct kind_column {
    const char *name;
    unsigned flags;
    int str; /* the object string shown as is, when cell is NULL */
    cell_fn cell;
    enum column_sort sort;
    sortkey_fn key; /* for SORT_KEY */
};

enum kind_caps {
    KIND_SCALABLE = 1 << 0,    /* has a /scale subresource */
    KIND_RESTARTABLE = 1 << 1, /* rollout restart */
    KIND_LOGS = 1 << 2,        /* has (or leads to) pod logs */
    KIND_LOCAL = 1 << 3,       /* rows come from timon itself (contexts), not from a server */
};

struct kind {
    const char *group; /* "" for the core group */
    const char *version;
    const char *resource; /* plural, as the API spells it */
    const char *singular;
    const char *kind; /* "Pod" */
    bool namespaced;
    const char *const *aliases; /* NULL-terminated short names and k9s's extra aliases */
    const struct kind_column *columns;
    size_t ncolumns;
    /* Appends the kind's own strings (from OBJ_KIND0 on) and sets num[]/state. */
    void (*project)(const cJSON *obj, struct obj_builder *b);
    int selector; /* object string holding the label selector of its pods (drill-down), or -1 */
    unsigned caps;
    const char *default_sort; /* column name the table starts sorted by (NULL: namespace/name) */
    bool default_desc;
    bool server_table; /* rows and columns come from the server's Table (model/kind_table.c) */
    /* Optional: one API object becomes several rows (a pod's containers). Upserts every row
     * the object yields into the store and removes rows it no longer yields. */
    void (*project_many)(const cJSON *obj, struct store *s, struct obj_builder *b);
};

/* Shared cells and keys, for every kind file. */
const char *cell_age(const struct obj *o, const struct cell_ctx *cx, char *buf);
int64_t key_age(const struct obj *o, const struct cell_ctx *cx);
/* The AGE column every kind ends with, and the LABELS wide column k9s shows. */
#define COLUMN_AGE                                                                                 \
    {                                                                                              \
        "AGE", COL_CLOCK | COL_DURATION, -1, cell_age, SORT_KEY, key_age                           \
    }
#define COLUMN_LABELS                                                                              \
    {                                                                                              \
        "LABELS", COL_WIDE, OBJ_LABELS, NULL, SORT_NATURAL, NULL                                   \
    }
#define COLUMN_NAMESPACE                                                                           \
    {                                                                                              \
        "NAMESPACE", COL_ALLNS, OBJ_NAMESPACE, NULL, SORT_NATURAL, NULL                            \
    }
#define COLUMN_NAME                                                                                \
    {                                                                                              \
        "NAME", 0, OBJ_NAME, NULL, SORT_NATURAL, NULL                                              \
    }
/* The default table's "Created At" (kinds without a server printer): the creation time in RFC
 * 3339, UTC, empty when unknown. It does not move with the clock. */
const char *cell_created_at(const struct obj *o, const struct cell_ctx *cx, char *buf);
int64_t key_created_at(const struct obj *o, const struct cell_ctx *cx);
#define COLUMN_CREATED_AT                                                                          \
    {                                                                                              \
        "CREATED AT", 0, -1, cell_created_at, SORT_KEY, key_created_at                             \
    }

/* Reading objects, for kind files. */
/* True when metadata.deletionTimestamp is set: present and not null (a nil *Time), as kubectl
 * and podstatus read it. */
bool kind_deleting(const cJSON *item);
/* The status ("True", "False", "Unknown", or "" if it has none) of the first condition of `type`
 * in status.conditions, or NULL when there is no such condition. */
const char *kind_condition_status(const cJSON *status, const char *type);
/* True when the first condition of `type` has the status `want`. */
bool kind_condition_is(const cJSON *status, const char *type, const char *want);

/* Projection helpers for kind files. */
/* "k=v,k2=v2" of a string map, keys sorted (labels, selectors, node selectors). */
void kind_put_map(struct obj_builder *b, const cJSON *map);
/* A LabelSelector ({matchLabels, matchExpressions}) in kubectl's string form, "<none>" if empty. */
void kind_put_selector(struct obj_builder *b, const cJSON *selector);
/* The same string form appended to out, or `none` when the selector has no requirements. It is
 * one line (cut at a line break with "...", as a cell is), so it can stand inside a longer cell. */
void kind_selector_text(struct strbuf *out, const cJSON *selector, const char *none);
/* The load balancer's ingress points (each its IP, else its hostname), sorted and unique, appended
 * to out comma-separated (after a comma when out is not empty). */
void kind_lb_addresses(struct strbuf *out, const cJSON *load_balancer);
/* A resource.Quantity field as the server serialises it (canonical on a real apiserver, so already
 * what kubectl's Quantity.String() prints), or `missing` when absent. Returns the string borrowed
 * from v, buf (n bytes) or `missing`. */
const char *kind_quantity(const cJSON *v, const char *missing, char *buf, size_t n);
/* The same, as the next cell. */
void kind_put_quantity(struct obj_builder *b, const cJSON *v, const char *missing);
/* kubectl's GetAccessModesAsString: RWO, ROX, RWX, RWOP in that order, each at most once. */
void kind_put_access_modes(struct obj_builder *b, const cJSON *modes);
/* An RBAC binding's subjects as two cells: their distinct kinds in order of appearance (k9s's
 * aliases: User, Group, SvcAcct; "n/a" without subjects) and their names. */
void kind_put_subjects(struct obj_builder *b, const cJSON *subjects);
/* Comma-joined names and images of a pod template's (or pod spec's) containers. */
void kind_put_containers(struct obj_builder *b, const cJSON *podspec, bool images);
/* An integer field as text, or "<none>"/"0" when absent (`missing`). */
void kind_put_int(struct obj_builder *b, const cJSON *obj, const char *key, const char *missing);

/* A pod's containers as rows (not in the registry: reached by drilling into a pod). */
extern const struct kind kind_containers;
/* The kubeconfig's contexts (not in the registry: :ctx). Rows are kind_contexts_items's, the
 * current context marked. */
extern const struct kind kind_contexts;
struct kubeconfig;
cJSON *kind_contexts_items(const struct kubeconfig *kc, const char *current);

/* The registry: kinds_*.c group files list their kinds, kinds.c joins them. */
const struct kind *kind_lookup(const char *name);
size_t kind_count(void);
const struct kind *kind_at(size_t i);

/* The collection path: /api/v1/namespaces/NS/pods, /apis/apps/v1/deployments (ns NULL or a
 * cluster-scoped kind: across namespaces). */
void kind_path(const struct kind *k, const char *ns, struct strbuf *out);

/* Projects an API object into a new store object: common metadata, then the kind's strings. */
struct obj *kind_project(const struct kind *k, const cJSON *item, struct obj_builder *b);

#endif
