/* logview — a log in the view stack: one pod's container (a picker first when the pod has
 * several, with an "all containers" entry and the default-container annotation preselected), or
 * every pod a workload or a service selects, each line prefixed with its pod (and container) in
 * the pod's own colour. Lines come from model/logmux into a bounded model/logbuf.
 *
 * Keys (keymap_logs): s autoscroll, w wrap, t timestamps, 0-6 the window (tail, head, 1m, 5m,
 * 15m, 30m, 1h), / filter (pcre2, ! inverts; matches highlighted), shift-c clear, ctrl-s save
 * (mode 0600, in the state directory), esc back. An indicator line shows the modes, the window,
 * the line and dropped counts and the stream's state. However fast lines come, the view redraws
 * at most once per LOGVIEW_FRAME_MS; keys are answered at once. */
#ifndef TIMON_VIEWS_LOGVIEW_H
#define TIMON_VIEWS_LOGVIEW_H

#include <stdbool.h>

#include "views/view.h"

#define LOGVIEW_FRAME_MS 100

struct logview_spec {
    const char *ns;
    const char *pod;       /* one pod, or NULL for a selector's pods */
    const char *container; /* with pod: this container; NULL: pick */
    const char *selector;  /* with pod NULL: a label selector */
    const char *what;      /* for a selector, what selects: "deployment/web" */
    bool previous;         /* the previous instances */
};

struct view *logview_new(struct ui *ui, const struct logview_spec *spec);

#endif
