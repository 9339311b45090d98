/* editor — runs the user's editor ($KUBE_EDITOR, then $EDITOR, then vi, as kubectl picks it) on
 * a file, with the terminal handed over for as long as it runs. */
#ifndef TIMON_VIEWS_EDITOR_H
#define TIMON_VIEWS_EDITOR_H

#include <stdbool.h>

#include "util/err.h"

bool editor_run(const char *path, struct err *e);

#endif
