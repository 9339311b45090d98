/* store — uid-keyed compact cache. Single-threaded by design: the app loop owns it. */
#include "model/store.h"
#include "util/clock.h"

#include <stdlib.h>
#include <string.h>

/* Membership values come from one counter for all stores, so two stores never share one. */
static uint64_t membership_clock;

static void store_moved(struct store *s)
{
    s->membership = ++membership_clock;
}

bool store_put(struct store *s, struct obj *o)
{
    const char *uid = obj_str(o, OBJ_UID);
    o->mark = s->mark;
    o->changed = clock_mono_ms();
    struct obj *old = map_get(&s->by_uid, uid);
    if (old) {
        bool same = obj_same(old, o);
        size_t size = obj_size(o);
        if (same && size == obj_size(old)) {
            /* Nothing visible changed: take the new bytes (resourceVersion) in place, so
             * pointers readers hold stay valid and nobody has to rebuild. */
            int64_t changed = old->changed;
            uint32_t slot = old->slot, order = old->order, rank = old->rank;
            uint32_t name_rank = old->name_rank;
            memcpy(old, o, size);
            old->changed = changed;
            old->slot = slot;
            old->order = order;
            old->rank = rank;
            old->name_rank = name_rank;
            free(o);
            return false;
        }
        if (same)
            o->changed = old->changed; /* an invisible change must not flash the row */
        o->slot = old->slot;
        o->order = old->order;
        o->rank = old->rank; /* the same uid: the same namespace and name */
        o->name_rank = old->name_rank;
        s->items.v[o->slot] = o;
        map_put(&s->by_uid, obj_str(o, OBJ_UID), o); /* the key now lives in o */
        free(old);
        /* The pointer changed, so readers that hold the old one must rebuild. */
        s->version++;
        if (same)
            return false;
        s->modified++;
        return true;
    }
    o->slot = (uint32_t)s->items.len;
    o->rank = o->name_rank = UINT32_MAX;
    *objptrs_push(&s->items) = o;
    map_put(&s->by_uid, uid, o);
    s->added++;
    store_moved(s);
    s->version++;
    return true;
}

static void store_remove_at(struct store *s, struct obj *o)
{
    uint32_t slot = o->slot;
    map_del(&s->by_uid, obj_str(o, OBJ_UID));
    objptrs_remove_swap(&s->items, slot);
    if (slot < s->items.len)
        s->items.v[slot]->slot = slot;
    if (s->ghost_ms > 0) {
        o->state = OBJ_STATE_DELETED;
        o->changed = clock_mono_ms();
        *objptrs_push(&s->ghosts) = o;
    } else {
        free(o);
        store_moved(s);
    }
    s->deleted++;
    s->version++;
}

bool store_expire_ghosts(struct store *s, int64_t now_ms)
{
    bool any = false;
    for (size_t i = s->ghosts.len; i-- > 0;) {
        if (now_ms - s->ghosts.v[i]->changed >= s->ghost_ms) {
            free(s->ghosts.v[i]);
            s->ghosts.v[i] = s->ghosts.v[s->ghosts.len - 1];
            s->ghosts.len--;
            any = true;
        }
    }
    if (any) {
        s->version++;
        store_moved(s);
    }
    return any;
}

int store_ghost_timeout(const struct store *s, int64_t now_ms)
{
    int64_t best = -1;
    for (size_t i = 0; i < s->ghosts.len; i++) {
        int64_t left = s->ghosts.v[i]->changed + s->ghost_ms - now_ms;
        if (best < 0 || left < best)
            best = left < 0 ? 0 : left;
    }
    return best < 0 ? -1 : best > 60000 ? 60000 : (int)best;
}

bool store_delete(struct store *s, const char *uid)
{
    struct obj *o = map_get(&s->by_uid, uid);
    if (!o)
        return false;
    store_remove_at(s, o);
    return true;
}

void store_list_begin(struct store *s)
{
    s->mark++;
}

size_t store_list_end(struct store *s)
{
    size_t n = 0;
    for (size_t i = s->items.len; i-- > 0;) {
        struct obj *o = s->items.v[i];
        if (o->mark != s->mark) {
            store_remove_at(s, o);
            n++;
        }
    }
    return n;
}

struct obj *store_get(const struct store *s, const char *uid)
{
    return map_get(&s->by_uid, uid);
}

size_t store_len(const struct store *s)
{
    return s->items.len;
}

struct obj *store_at(const struct store *s, size_t i)
{
    return *objptrs_at(&s->items, i);
}

size_t store_bytes(const struct store *s)
{
    size_t n = s->by_uid.cap * sizeof(struct map_slot) + s->items.cap * sizeof(struct obj *);
    for (size_t i = 0; i < s->items.len; i++)
        n += obj_size(s->items.v[i]);
    return n;
}

void store_clear(struct store *s)
{
    for (size_t i = 0; i < s->ghosts.len; i++)
        free(s->ghosts.v[i]);
    objptrs_clear(&s->ghosts);
    for (size_t i = 0; i < s->items.len; i++)
        free(s->items.v[i]);
    objptrs_clear(&s->items);
    map_clear(&s->by_uid);
    s->version++;
    store_moved(s);
}

void store_free(struct store *s)
{
    store_clear(s);
    objptrs_free(&s->items);
    objptrs_free(&s->ghosts);
    map_free(&s->by_uid);
}
