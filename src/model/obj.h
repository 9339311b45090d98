/* obj — the compact projection of one API object, as the store keeps it.
 *
 * Never the full object: a few numbers and a packed run of strings (uid, namespace, name,
 * resourceVersion, then whatever cells the object's kind renders), in one allocation. Strings
 * are neutralised for the terminal when the object is built, so drawing copies nothing.
 * Instants that make cells tick (creation, a pod's last restart) stay numbers and are formatted
 * at draw time. */
#ifndef TIMON_MODEL_OBJ_H
#define TIMON_MODEL_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/strbuf.h"

/* The strings every object has; a kind's own strings follow from OBJ_KIND0. LABELS is
 * "k=v,k=v" sorted by key; OWNER is the controller owner as "Kind/name", or "". */
enum { OBJ_UID, OBJ_NAMESPACE, OBJ_NAME, OBJ_RV, OBJ_LABELS, OBJ_OWNER, OBJ_KIND0 };

/* Kind-specific numbers (restart counts, instants, requests in millicores or bytes ...). */
#define OBJ_NUMS 6

#define OBJ_MAX_STR  48
#define OBJ_MAX_DATA 65535 /* bytes of string data per object; longer cells are cut */

/* The state of an object, for row colours. */
enum obj_state {
    OBJ_STATE_OK,
    OBJ_STATE_PENDING,
    OBJ_STATE_ERROR,
    OBJ_STATE_COMPLETED,
    OBJ_STATE_TERMINATING,
    OBJ_STATE_DELETED, /* a ghost: gone from the server, shown briefly so the change is seen */
};

struct obj {
    int64_t created;       /* creationTimestamp, epoch seconds; 0 when unknown */
    int64_t num[OBJ_NUMS]; /* kind-specific numbers; each kind file names its slots */
    int64_t changed;       /* store-private: monotonic ms of the last visible change */
    uint32_t slot;         /* store-private: position in the store */
    uint32_t mark;         /* store-private: the list generation that last saw it */
    uint32_t order;        /* table-private: the row's place at the table's last build */
    uint32_t rank;         /* table-private: its place in namespace/name/uid order, */
    uint32_t name_rank;    /* ...and in name/namespace/uid order (store_put starts a new uid
                            * at UINT32_MAX in both) */
    uint8_t state;         /* enum obj_state */
    uint8_t nstr;
    uint16_t off[]; /* nstr offsets into the string area that follows the array */
};

/* Builds objects; reuse one builder for many objects to avoid allocations. */
struct obj_builder {
    struct strbuf data;
    uint16_t off[OBJ_MAX_STR];
    uint8_t n;
    int64_t created;
    int64_t num[OBJ_NUMS];
    uint8_t state;
};

void obj_builder_reset(struct obj_builder *b);
/* Appends the next string (NULL counts as ""). Text is cut at the first line break with "..."
 * appended, as kubectl prints cells, and neutralised for the terminal. */
void obj_builder_add(struct obj_builder *b, const char *s);
/* Appends a string verbatim: only for text already known to be clean (numbers, fixed words). */
void obj_builder_add_raw(struct obj_builder *b, const char *s);
void obj_builder_addf(struct obj_builder *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A new object holding what was added (the caller owns it; free with free()). */
struct obj *obj_builder_finish(const struct obj_builder *b);
void obj_builder_free(struct obj_builder *b);

/* String i, or "" when the object has fewer strings. Borrowed from o. */
const char *obj_str(const struct obj *o, unsigned i);
/* Bytes the object occupies (for memory accounting). */
size_t obj_size(const struct obj *o);
/* True when both objects would render the same (used to skip no-op updates). */
bool obj_same(const struct obj *a, const struct obj *b);

#endif
