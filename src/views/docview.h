/* docview — a live, scrollable text document about one object: its YAML (managedFields hidden
 * until `m`), its describe (kubectl describe's text), or, for a Secret, its YAML with the data
 * decoded (`x`, and only then). The object is watched (list + watch with a name field selector),
 * so the text follows every change: YAML at once, describe by running its requests again.
 * `/` searches (case-insensitive), `n`/`N` jump between matches, Ctrl-S saves the text as shown
 * to the state directory (mode 0600). Everything from the cluster is neutralised. */
#ifndef TIMON_VIEWS_DOCVIEW_H
#define TIMON_VIEWS_DOCVIEW_H

#include "model/kind.h"
#include "views/view.h"

enum doc_mode {
    DOC_YAML,     /* the object as YAML, data fields as the server sends them */
    DOC_DESCRIBE, /* kubectl describe */
    DOC_DECODED,  /* a Secret's YAML with its data base64-decoded */
};

struct view *docview_new(struct ui *ui, const struct kind *k, const char *ns, const char *name,
                         enum doc_mode mode);

#endif
