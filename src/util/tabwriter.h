/* tabwriter — elastic tabstops exactly as Go's text/tabwriter lays them out (space padding, no
 * flags), because kubectl prints tables and describe output through it.
 *
 * Cells are tab-terminated; the text after a line's last tab is not part of any column. A column
 * block is a run of consecutive lines that have a cell in that column; its width is the widest
 * cell plus padding (at least minwidth). A line without any tab ends every block. Widths count
 * code points, as Go counts runes. */
#ifndef TIMON_UTIL_TABWRITER_H
#define TIMON_UTIL_TABWRITER_H

#include <stddef.h>

#include "util/strbuf.h"

struct tabwriter_opts {
    int minwidth;
    int padding;
};

/* kubectl get and config get-contexts: minwidth 6, padding 3. */
#define TABWRITER_KUBECTL_GET ((struct tabwriter_opts){6, 3})
/* kubectl describe: minwidth 0, padding 2. */
#define TABWRITER_KUBECTL_DESCRIBE ((struct tabwriter_opts){0, 2})

/* Formats in[0..n) into out. */
void tabwriter_format(const char *in, size_t n, struct tabwriter_opts o, struct strbuf *out);

#endif
