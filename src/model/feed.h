/* feed — keeps one store in step with one collection of the cluster.
 *
 * A feed is a reflector (list, then watch) whose objects are projected through their kind into
 * a store. The feed owns the reflector and the store; views borrow the store. */
#ifndef TIMON_MODEL_FEED_H
#define TIMON_MODEL_FEED_H

#include <stdbool.h>

#include "client/http.h"
#include "client/reflector.h"
#include "model/kind.h"
#include "model/store.h"

struct feed {
    const struct kind *kind; /* borrowed (static) */
    char *ns;                /* owned; NULL for all namespaces or a cluster-scoped kind */
    char *selector;          /* owned; NULL for none */
    struct store store;      /* owned */
    struct reflector *refl;  /* owned */
    struct obj_builder builder;
    bool synced;            /* the first full list has arrived */
    uint64_t state_version; /* bumps when the reflector's state changes */
};

struct feed_spec {
    const struct kind *kind;
    const char *ns;             /* NULL: all namespaces */
    const char *label_selector; /* NULL: none */
    const char *field_selector; /* NULL: none */
    bool once;                  /* list only (one-shot commands) */
    unsigned page_size;         /* 0: 500 */
};

/* Creates and starts a feed; `http` is borrowed and must outlive it. */
struct feed *feed_new(struct http *http, const struct feed_spec *spec);
/* A feed of objects timon already holds (a KIND_LOCAL kind's items, a JSON array): synced at
 * once, never watching. */
struct feed *feed_new_local(const struct kind *k, const cJSON *items);
void feed_free(struct feed *f);
void feed_tick(struct feed *f);
int feed_timeout_ms(const struct feed *f);
enum reflector_state feed_state(const struct feed *f);
const char *feed_reason(const struct feed *f);

#endif
