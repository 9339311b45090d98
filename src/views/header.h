/* header — the top of the screen: where timon is connected (context, cluster, user, server,
 * versions, namespace), cluster CPU/MEM when metrics exist, the watch state when it is not
 * live, the key hints of the current view (drawn from its key table, with the favourite
 * namespaces on 1-9), and the logo. */
#ifndef TIMON_VIEWS_HEADER_H
#define TIMON_VIEWS_HEADER_H

#include <stdbool.h>

#include "views/keymap.h"

#define HEADER_ROWS 8

struct header_info {
    const char *context, *cluster, *user, *server, *version, *ns;
    const char *metrics; /* "CPU 12% (1.2/10) MEM 40% ..." or NULL */
    const char *watch;   /* "live", "syncing", "disconnected, reconnecting in 3s: ..." */
    bool watch_ok;
    bool readonly;
    bool danger;   /* the context matches the danger patterns: its name in the danger style */
    bool insecure; /* TLS verification is off for this cluster */
    bool logo;
    char *const *favs; /* favourite namespaces for 1-9 */
    int nfavs;
    /* Optional: hints of actions this returns true for are dimmed (read-only, forbidden). */
    bool (*disabled)(void *ud, enum action a);
    void *ud;
};

void header_draw(const struct header_info *hi, const struct keymap *km, int y, int w);

#endif
