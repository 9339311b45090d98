/* docview — a live, scrollable text document about one object: its YAML (managedFields hidden
 * until `m`). The object is watched (list + watch with a name field selector), so the text
 * follows every change. `/` searches (case-insensitive), `n`/`N` jump between matches. */
#ifndef TIMON_VIEWS_DOCVIEW_H
#define TIMON_VIEWS_DOCVIEW_H

#include "model/kind.h"
#include "views/view.h"

enum doc_mode { DOC_YAML };

struct view *docview_new(struct ui *ui, const struct kind *k, const char *ns, const char *name,
                         enum doc_mode mode);

#endif
