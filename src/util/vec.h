/* vec — typed growable arrays.
 *
 * VEC_DEFINE(name, T) declares `struct name { T *v; size_t len, cap; }` and static inline
 * functions name_push, name_at, name_pop, name_remove_swap, name_clear and name_free. A
 * zero-initialised vector is valid and empty. name_at asserts the bound in debug builds
 * (TIMON_DEBUG). The vector owns its array, not what the elements point to. */
#ifndef TIMON_UTIL_VEC_H
#define TIMON_UTIL_VEC_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifdef TIMON_DEBUG
#include "util/xalloc.h"
#define VEC_CHECK(cond) ((cond) ? (void)0 : xalloc_die("vec index out of bounds"))
#else
#define VEC_CHECK(cond) ((void)0)
#endif

#ifndef VEC_MIN_CAP
#define VEC_MIN_CAP 8 /* tests may build with 1 to exercise growth */
#endif

/* Grows *data to hold at least `need` elements of `elem` bytes; shared by all vectors. */
void vec_grow(void **data, size_t *cap, size_t need, size_t elem);

#define VEC_DEFINE(name, T)                                                                        \
    struct name {                                                                                  \
        T *v;                                                                                      \
        size_t len;                                                                                \
        size_t cap;                                                                                \
    };                                                                                             \
    /* Appends a zeroed element and returns it (valid until the next push). */                     \
    static inline __attribute__((unused)) T *name##_push(struct name *a)                           \
    {                                                                                              \
        if (a->len == a->cap)                                                                      \
            vec_grow((void **)&a->v, &a->cap, a->len + 1, sizeof(T));                              \
        memset(&a->v[a->len], 0, sizeof(T));                                                       \
        return &a->v[a->len++];                                                                    \
    }                                                                                              \
    static inline __attribute__((unused)) T *name##_at(const struct name *a, size_t i)             \
    {                                                                                              \
        VEC_CHECK(i < a->len);                                                                     \
        return &a->v[i];                                                                           \
    }                                                                                              \
    static inline __attribute__((unused)) void name##_pop(struct name *a)                          \
    {                                                                                              \
        VEC_CHECK(a->len > 0);                                                                     \
        a->len--;                                                                                  \
    }                                                                                              \
    /* Removes element i by moving the last one into its place (order not kept). */                \
    static inline __attribute__((unused)) void name##_remove_swap(struct name *a, size_t i)        \
    {                                                                                              \
        VEC_CHECK(i < a->len);                                                                     \
        a->v[i] = a->v[a->len - 1];                                                                \
        a->len--;                                                                                  \
    }                                                                                              \
    static inline __attribute__((unused)) void name##_reserve(struct name *a, size_t n)            \
    {                                                                                              \
        if (n > a->cap)                                                                            \
            vec_grow((void **)&a->v, &a->cap, n, sizeof(T));                                       \
    }                                                                                              \
    static inline __attribute__((unused)) void name##_clear(struct name *a)                        \
    {                                                                                              \
        a->len = 0;                                                                                \
    }                                                                                              \
    static inline __attribute__((unused)) void name##_free(struct name *a)                         \
    {                                                                                              \
        free(a->v);                                                                                \
        a->v = NULL;                                                                               \
        a->len = a->cap = 0;                                                                       \
    }

#endif
