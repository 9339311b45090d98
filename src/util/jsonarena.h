/* jsonarena — cJSON allocations from a bump arena while parsing, so a parse costs a few
 * pointer bumps instead of one malloc per node (malloc dominated list ingestion before).
 *
 * cJSON's hooks are global: jsonarena_install() routes every cJSON allocation through here.
 * Between jsonarena_begin() and jsonarena_pause() allocations come from the arena; at other
 * times they come from malloc. Freeing an arena pointer is a no-op; jsonarena_end(mark) rewinds
 * the arena to where begin left it. So: begin, parse, pause, use the tree (anything created
 * meanwhile is malloc'ed and may outlive it), cJSON_Delete the tree, end. Single-threaded. */
#ifndef TIMON_UTIL_JSONARENA_H
#define TIMON_UTIL_JSONARENA_H

#include <stddef.h>

void jsonarena_install(void);
/* Starts arena allocation; returns a mark for jsonarena_end. */
size_t jsonarena_begin(void);
/* Back to malloc for new allocations (the arena keeps what it holds). */
void jsonarena_pause(void);
/* Rewinds the arena to the mark (every tree parsed since must already be deleted). */
void jsonarena_end(size_t mark);
/* Bytes currently held in arena chunks (for tests and memory accounting). */
size_t jsonarena_capacity(void);

#endif
