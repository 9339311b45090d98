/* editjob — `e`: the object as YAML in the user's editor, then a PUT with its resourceVersion.
 *
 * As kubectl edit: lines starting with '#' are ignored, an empty file or no change sends
 * nothing. An invalid edit or a refused PUT (a conflict, a validation error) reopens the editor
 * with the error on top and the user's text below, so nothing typed is lost; after a conflict,
 * saving again applies the text over the latest version. The file is private (0600) and is
 * removed once the edit is saved or cancelled; when the server cannot be reached its path is
 * flashed so the text can be recovered. */
#ifndef TIMON_VIEWS_EDITJOB_H
#define TIMON_VIEWS_EDITJOB_H

#include "client/target.h"

struct ui;
struct editjob;

void editjob_start(struct ui *ui, const struct target *t);
/* Runs the editor when the job waits for it (blocks while the editor runs). */
void editjob_tick(struct ui *ui);
int editjob_timeout_ms(struct ui *ui);
void editjob_free(struct ui *ui);

/* The text to send from what the user saved: comment lines removed (exposed for tests). */
char *editjob_strip_comments(const char *text);

#endif
