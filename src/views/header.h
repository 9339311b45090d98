/* header — the top of the screen: where timon is connected, the watch state, and the key hints
 * of the current view, drawn from its key table. */
#ifndef TIMON_VIEWS_HEADER_H
#define TIMON_VIEWS_HEADER_H

#include "views/keymap.h"

#define HEADER_ROWS 7

struct header_info {
    const char *context, *cluster, *user, *server, *version, *ns;
    const char *watch; /* "live", "syncing", "reconnecting in 3s: ..." */
    bool watch_ok;
    bool readonly;
    bool insecure; /* TLS verification is off for this cluster */
};

void header_draw(const struct header_info *hi, const struct keymap *km, int y, int w);

#endif
