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
/* Creates a new file for writing: mode 0600 whatever the umask, O_EXCL (an existing file or a
 * planted symlink is refused, never followed or overwritten). Returns the fd, or -1 with e set. */
int fs_create_private(const char *path, struct err *e);
/* A new file in the state directory ($XDG_STATE_HOME/timon, created 0700) for something the
 * user saves: "<stem>-<UTC time>.<ext>", the stem reduced to [A-Za-z0-9._-] so a name from the
 * cluster never chooses the directory, "-2", "-3" ... added if taken. Returns the fd and the path
 * (malloc'd, in *path), or -1 with e set. */
int fs_create_saved(const char *stem, const char *ext, char **path, struct err *e);
/* Replaces path with data, atomically: a private temporary file beside it (0600), written and
 * synced, then renamed over it; the directory is created (0700) when missing. A reader sees the
 * old file or the new one, never a part. */
bool fs_write_atomic(const char *path, const char *data, size_t n, struct err *e);
/* An exclusive lock on "<path>.lock" (created 0600), against other timon processes; waits up to
 * about a second. Returns the fd to pass to fs_unlock, or -1 with e set. */
int fs_lock(const char *path, struct err *e);
void fs_unlock(int fd);
/* The directory part of path ("." when none); malloc'd. */
char *fs_dirname(const char *path);
/* `rel` resolved against directory `dir` unless it is absolute or empty; malloc'd. */
char *fs_resolve(const char *dir, const char *rel);

#endif
