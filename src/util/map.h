/* map — string-keyed hash map (open addressing, linear probing, backward-shift deletion).
 *
 * The map borrows its keys: a key must stay valid and unchanged while its entry exists (the
 * store keys objects by a uid that lives inside the object). Values are opaque pointers the map
 * does not own. A zero-initialised map is valid and empty. */
#ifndef TIMON_UTIL_MAP_H
#define TIMON_UTIL_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map_slot {
    const char *key; /* borrowed; NULL marks an empty slot */
    void *val;       /* borrowed */
    uint64_t hash;
};

struct map {
    struct map_slot *slots; /* owned */
    size_t cap;             /* a power of two, or 0 */
    size_t len;
};

uint64_t map_hash(const char *s);
void *map_get(const struct map *m, const char *key);
/* Inserts or replaces; returns the previous value or NULL. */
void *map_put(struct map *m, const char *key, void *val);
/* Removes the key; returns its value or NULL. */
void *map_del(struct map *m, const char *key);
/* Iteration: start with *pos = 0; returns false at the end. Do not modify the map meanwhile. */
bool map_next(const struct map *m, size_t *pos, const char **key, void **val);
void map_clear(struct map *m);
void map_free(struct map *m);

#endif
