/* tableview — a resource table on screen: title, column header, rows, selection, scrolling.
 *
 * It borrows a feed's store through a model table and keeps the selection by uid, so rows that
 * come and go under it never move the cursor to another object. Drawing only touches the rows
 * that are visible. */
#ifndef TIMON_VIEWS_TABLEVIEW_H
#define TIMON_VIEWS_TABLEVIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "model/feed.h"
#include "model/table.h"
#include "views/keymap.h"

struct tableview {
    struct feed *feed;  /* borrowed */
    struct table table; /* owned; borrows the feed's store */
    char *ns_label;     /* owned: "default", "all", or NULL for cluster-scoped kinds */
    size_t sel, top;
    char *sel_uid;             /* owned: the selected object's uid, to follow it across updates */
    int width[TABLE_MAX_COLS]; /* sticky column widths */
    int page;                  /* rows visible at the last draw */
};

void tableview_init(struct tableview *tv, struct feed *feed, bool allns, const char *ns);
void tableview_free(struct tableview *tv);
/* Picks up store changes; returns true when the view must be redrawn. */
bool tableview_sync(struct tableview *tv);
/* Applies a navigation action; returns true when the view must be redrawn. */
bool tableview_act(struct tableview *tv, enum action a);
/* "pods(default)[5]" into buf. */
void tableview_title(const struct tableview *tv, char *buf, size_t n);
void tableview_draw(struct tableview *tv, int y, int x, int h, int w, int64_t now);

#endif
