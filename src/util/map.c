/* map — open-addressing string map. Load factor kept at or below 1/2. */
#include "util/map.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

#ifndef MAP_MIN_CAP
#define MAP_MIN_CAP 16
#endif

uint64_t map_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        h ^= *p;
        h *= 1099511628211ULL;
    }
    return h;
}

static size_t map_find(const struct map *m, const char *key, uint64_t h)
{
    size_t mask = m->cap - 1;
    size_t i = (size_t)h & mask;
    while (m->slots[i].key) {
        if (m->slots[i].hash == h && strcmp(m->slots[i].key, key) == 0)
            return i;
        i = (i + 1) & mask;
    }
    return i; /* the empty slot where the key would go */
}

static void map_resize(struct map *m, size_t cap)
{
    struct map_slot *old = m->slots;
    size_t oldcap = m->cap;
    m->slots = xcalloc(cap, sizeof *m->slots);
    m->cap = cap;
    for (size_t i = 0; i < oldcap; i++) {
        if (!old[i].key)
            continue;
        size_t j = map_find(m, old[i].key, old[i].hash);
        m->slots[j] = old[i];
    }
    free(old);
}

void *map_get(const struct map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = map_find(m, key, map_hash(key));
    return m->slots[i].key ? m->slots[i].val : NULL;
}

void *map_put(struct map *m, const char *key, void *val)
{
    if ((m->len + 1) * 2 > m->cap)
        map_resize(m, m->cap ? m->cap * 2 : MAP_MIN_CAP);
    uint64_t h = map_hash(key);
    size_t i = map_find(m, key, h);
    if (m->slots[i].key) {
        void *prev = m->slots[i].val;
        m->slots[i].key = key;
        m->slots[i].val = val;
        return prev;
    }
    m->slots[i] = (struct map_slot){key, val, h};
    m->len++;
    return NULL;
}

void *map_del(struct map *m, const char *key)
{
    if (!m->cap)
        return NULL;
    size_t i = map_find(m, key, map_hash(key));
    if (!m->slots[i].key)
        return NULL;
    void *val = m->slots[i].val;
    size_t mask = m->cap - 1;
    /* Backward-shift: pull later members of the probe chain into the hole. */
    size_t hole = i;
    size_t j = (i + 1) & mask;
    while (m->slots[j].key) {
        size_t home = (size_t)m->slots[j].hash & mask;
        /* Move j into the hole if its home is not cyclically in (hole, j]. */
        bool between = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
        if (!between) {
            m->slots[hole] = m->slots[j];
            hole = j;
        }
        j = (j + 1) & mask;
    }
    m->slots[hole] = (struct map_slot){0};
    m->len--;
    return val;
}

bool map_next(const struct map *m, size_t *pos, const char **key, void **val)
{
    for (size_t i = *pos; i < m->cap; i++) {
        if (m->slots[i].key) {
            if (key)
                *key = m->slots[i].key;
            if (val)
                *val = m->slots[i].val;
            *pos = i + 1;
            return true;
        }
    }
    *pos = m->cap;
    return false;
}

void map_clear(struct map *m)
{
    if (m->cap)
        memset(m->slots, 0, m->cap * sizeof *m->slots);
    m->len = 0;
}

void map_free(struct map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}
