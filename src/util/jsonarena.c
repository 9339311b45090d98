/* jsonarena — a chunked bump allocator behind cJSON's hooks. */
#include "util/jsonarena.h"
#include "util/xalloc.h"

#include <cJSON.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#define CHUNK_SIZE ((size_t)1 << 20)
#define MAX_CHUNKS 512 /* 512 MiB: more than any object we parse */
#define ALIGN      16

struct chunk {
    char *base;
    size_t size;
};

static struct chunk chunks[MAX_CHUNKS];
static size_t nchunks;
static size_t cur;  /* current chunk */
static size_t used; /* bytes used in the current chunk */
static bool active;

/* A mark encodes (chunk, offset). */
static size_t mark_of(void)
{
    return (size_t)cur << 32 | used;
}

static bool in_arena(const void *p)
{
    const char *c = p;
    for (size_t i = 0; i < nchunks; i++)
        if (c >= chunks[i].base && c < chunks[i].base + chunks[i].size)
            return true;
    return false;
}

static void *arena_alloc(size_t n)
{
    if (!active)
        return xmalloc(n);
    n = (n + ALIGN - 1) & ~(size_t)(ALIGN - 1);
    if (n > CHUNK_SIZE / 4)
        return xmalloc(n); /* huge strings go to malloc; freed normally */
    if (nchunks == 0 || used + n > chunks[cur].size) {
        if (nchunks > 0 && cur + 1 < nchunks) {
            cur++;
        } else {
            if (nchunks == MAX_CHUNKS)
                return xmalloc(n);
            chunks[nchunks].base = xmalloc(CHUNK_SIZE);
            chunks[nchunks].size = CHUNK_SIZE;
            cur = nchunks++;
        }
        used = 0;
    }
    void *p = chunks[cur].base + used;
    used += n;
    return p;
}

static void arena_free(void *p)
{
    if (p && !in_arena(p))
        free(p);
}

void jsonarena_install(void)
{
    cJSON_Hooks hooks = {arena_alloc, arena_free};
    cJSON_InitHooks(&hooks);
}

size_t jsonarena_begin(void)
{
    active = true;
    return mark_of();
}

void jsonarena_pause(void)
{
    active = false;
}

void jsonarena_end(size_t mark)
{
    active = false;
    cur = mark >> 32;
    used = mark & 0xffffffffu;
    /* Keep at most a few idle chunks, so one huge page does not pin memory for good. */
    while (nchunks > cur + 4) {
        nchunks--;
        free(chunks[nchunks].base);
        chunks[nchunks].base = NULL;
    }
}

size_t jsonarena_capacity(void)
{
    return nchunks * CHUNK_SIZE;
}
