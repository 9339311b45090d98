/* helpview — `?`: every key of the view it was opened from, then the navigation and general
 * keys, read from the same key tables that dispatch them. */
#ifndef TIMON_VIEWS_HELPVIEW_H
#define TIMON_VIEWS_HELPVIEW_H

#include "views/keymap.h"
#include "views/view.h"

struct view *helpview_new(const struct keymap *from, const char *view_name);

#endif
