/* mergepatch — JSON merge patches (RFC 7386): the patch that turns one document into another,
 * and applying a patch. An edit that lost a race is carried over to the object's latest
 * version this way (the user's changes, not their whole copy), as kubectl edit does. */
#ifndef TIMON_UTIL_MERGEPATCH_H
#define TIMON_UTIL_MERGEPATCH_H

#include <cJSON.h>

/* The merge patch from `from` to `to` (a new tree; an empty object when they are equal).
 * Arrays are replaced whole, as RFC 7386 has it; a member whose value becomes null cannot be
 * told from a removed one, as RFC 7386 has it too. */
cJSON *mergepatch_diff(const cJSON *from, const cJSON *to);
/* Applies patch to target, which it consumes; returns the result (target itself, changed, or a
 * new tree when the patch is not an object). */
cJSON *mergepatch_apply(cJSON *target, const cJSON *patch);

#endif
