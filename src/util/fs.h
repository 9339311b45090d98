/* fs — small file helpers: capped reads, XDG directories, private directories and files.
 *
 * Files timon creates are mode 0600 in 0700 directories and are opened with O_NOFOLLOW, so a
 * planted symlink is refused rather than followed. */
#ifndef TIMON_UTIL_FS_H
#define TIMON_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"
#include "util/strbuf.h"

/* Reads a whole regular file into out (appending), refusing files larger than max. */
bool fs_read_file(const char *path, size_t max, struct strbuf *out, struct err *e);
/* $XDG_<KIND>_HOME/timon, with the XDG defaults under $HOME. kind: "CONFIG", "DATA", "STATE".
 * Returns a malloc'd path, or NULL when neither variable nor HOME is set. */
char *fs_xdg_dir(const char *kind);
/* mkdir -p with mode 0700 for every created component. */
bool fs_mkdir_private(const char *path, struct err *e);
/* The directory part of path ("." when none); malloc'd. */
char *fs_dirname(const char *path);
/* `rel` resolved against directory `dir` unless it is absolute or empty; malloc'd. */
char *fs_resolve(const char *dir, const char *rel);

#endif
