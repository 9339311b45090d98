/* store — the cache of one collection: compact objects keyed by uid.
 *
 * The store owns its objects. Views borrow pointers only until the next change (they keep uids
 * and re-resolve). Every change bumps `version`, which is how views learn they must rebuild;
 * no-op updates (same cells, new resourceVersion) do not bump it. A relist replaces the
 * contents: store_list_begin starts a generation, store_put marks what it sees, store_list_end
 * removes what the list no longer has.
 *
 * A store can keep "ghosts": objects just deleted, held for `ghost_ms` in state
 * OBJ_STATE_DELETED so a UI can show the deletion happen; they are not in items or by_uid. */
#ifndef TIMON_MODEL_STORE_H
#define TIMON_MODEL_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/obj.h"
#include "util/map.h"
#include "util/vec.h"

VEC_DEFINE(objptrs, struct obj *)

struct store {
    struct map by_uid;                 /* uid (inside the object) -> object */
    struct objptrs items;              /* owned objects, unordered */
    uint64_t version;                  /* bumps on every visible change or moved object */
    uint32_t mark;                     /* the current list generation */
    uint64_t added, modified, deleted; /* counters since creation */
    uint64_t membership;   /* changes when an object joins or leaves items or ghosts; no two
                            * stores ever have the same non-zero value */
    struct objptrs ghosts; /* owned recently deleted objects */
    int64_t ghost_ms;      /* how long to keep them; 0 frees at once */
};

/* Inserts or replaces by uid, taking ownership of o. Returns true if anything visible changed. */
bool store_put(struct store *s, struct obj *o);
/* Removes by uid; returns true if it was there. */
bool store_delete(struct store *s, const char *uid);
void store_list_begin(struct store *s);
/* Removes every object not put since store_list_begin; returns how many. */
size_t store_list_end(struct store *s);
struct obj *store_get(const struct store *s, const char *uid);
size_t store_len(const struct store *s);
struct obj *store_at(const struct store *s, size_t i);
/* Frees ghosts older than ghost_ms; returns true if any went (the view must redraw). */
bool store_expire_ghosts(struct store *s, int64_t now_ms);
/* Milliseconds until the next ghost expires, or -1. */
int store_ghost_timeout(const struct store *s, int64_t now_ms);
/* Total bytes held by objects and indexes (for the memory budget). */
size_t store_bytes(const struct store *s);
void store_clear(struct store *s);
void store_free(struct store *s);

#endif
