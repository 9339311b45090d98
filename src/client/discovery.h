/* discovery — which resources the server serves: every group and version, with verbs,
 * namespaced flag, short names, categories and subresources, custom resources and aggregated
 * APIs included.
 *
 * Aggregated discovery (apidiscovery.k8s.io v2, then v2beta1) is asked for first: two requests
 * give everything. A server without it gets the legacy walk (/api, /apis, then each preferred
 * group version in parallel). A group version that fails (an absent metrics-server answers 503)
 * is skipped, as kubectl skips it. Loading never blocks: it runs on the app's poll loop.
 *
 * Kept current by discovery_tick: it watches CustomResourceDefinitions (their metadata only) and
 * loads again, debounced, when one is created, changed or deleted, so a kind defined while timon
 * runs can be named at once. */
#ifndef TIMON_CLIENT_DISCOVERY_H
#define TIMON_CLIENT_DISCOVERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client/http.h"
#include "util/vec.h"

struct reflector;

struct api_resource {
    char *group, *version, *name, *singular, *kind; /* owned; name is the plural */
    bool namespaced;
    bool preferred; /* the group's preferred version: what a name without a version means */
    char **short_names, **categories, **verbs, **subresources; /* owned, NULL-terminated */
};
VEC_DEFINE(api_resources, struct api_resource)

struct discovery {
    struct api_resources res; /* owned */
    bool loaded;              /* at least one load has completed */
    bool loading;
    bool aggregated;     /* the server spoke aggregated discovery */
    char error[512];     /* why the last load failed, "" if it did not */
    unsigned generation; /* bumps after every completed load */
    /* private: the load in flight */
    struct http *http;
    size_t pending;
    struct api_resources next;
    bool failed;
    /* private: keeping current */
    struct reflector *crds; /* owned: the CustomResourceDefinition watch, or NULL */
    bool crds_listed;       /* its first list has arrived: later changes are news */
    bool crds_refused;      /* the server will not list them to us (403, 404): no watch */
    int64_t refresh_at;     /* monotonic ms of a debounced load; 0 for none */
};

/* Starts (or restarts) a load through `http` (borrowed until it completes, and while
 * discovery_tick is used, until discovery_free). */
void discovery_start(struct discovery *d, struct http *http);
void discovery_free(struct discovery *d);
/* Keeps a loaded discovery current; call once per loop pass. The first call after a load starts
 * the CustomResourceDefinition watch (on the connection of the last discovery_start); a change
 * to one schedules a load half a second later, so a burst of changes loads once. */
void discovery_tick(struct discovery *d);
/* Milliseconds until discovery_tick has work, or -1. */
int discovery_timeout_ms(const struct discovery *d);
/* A load is due or running: a word that resolves to nothing now may resolve after it. */
bool discovery_refreshing(const struct discovery *d);

/* The resource a user's word names: plural, singular, short name or kind (any case), or
 * "plural.group" / "kind.group" / "plural.version.group". Core and earlier groups win ties,
 * as kubectl's do. NULL when nothing matches. */
const struct api_resource *discovery_resolve(const struct discovery *d, const char *name);
/* Whether a group (and, when version is non-NULL, that version) is served. */
bool discovery_serves(const struct discovery *d, const char *group, const char *version);
bool api_resource_has_verb(const struct api_resource *r, const char *verb);
bool api_resource_has_subresource(const struct api_resource *r, const char *sub);

/* Parses one discovery document into `out` (tests and the fuzzer use these directly):
 * an APIGroupDiscoveryList (aggregated), or an APIResourceList for group version gv. */
bool discovery_parse_aggregated(const char *body, size_t len, struct api_resources *out);
bool discovery_parse_resource_list(const char *body, size_t len, const char *group,
                                   const char *version, struct api_resources *out);
void api_resources_clear_all(struct api_resources *v);

#endif
