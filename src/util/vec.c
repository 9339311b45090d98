/* vec — the one out-of-line helper behind VEC_DEFINE. */
#include "util/vec.h"
#include "util/xalloc.h"

void vec_grow(void **data, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : VEC_MIN_CAP;
    while (c < need)
        c = c > ((size_t)-1) / 4 ? need : c * 2;
    *data = xreallocarray(*data, c, elem);
    *cap = c;
}
