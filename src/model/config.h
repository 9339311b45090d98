/* config — timon's settings files, in k9s's schema so a k9s user's files work when copied:
 *
 *   $XDG_CONFIG_HOME/timon/config.yaml                          (global)
 *   $XDG_DATA_HOME/timon/clusters/<cluster>/<context>/config.yaml (per context)
 *
 * Both hold their settings under `k9s:` (timon's own extensions go under `timon:`, which k9s
 * ignores). Read here: readOnly, defaultView, ui.{headless,logoless,crumbsless,skin}, and per
 * context namespace.{active,favorites} and view.active; timon.dangerContexts (regexes; default
 * "prod") marks contexts to be careful with. A value of the wrong type is an error naming the
 * key and line; unknown keys are ignored. Nothing here reads or writes files. */
#ifndef TIMON_MODEL_CONFIG_H
#define TIMON_MODEL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "util/err.h"

#define CONFIG_FAVOURITES 9
#define CONFIG_PATTERNS   8

enum config_tristate { CONFIG_UNSET = -1, CONFIG_NO = 0, CONFIG_YES = 1 };

struct config {
    int readonly; /* enum config_tristate */
    int headless, logoless, crumbsless;
    char *skin;         /* owned, or NULL */
    char *default_view; /* owned, or NULL */
    /* per context */
    char *active_ns; /* owned, or NULL */
    char *favourites[CONFIG_FAVOURITES];
    char *last_view; /* owned, or NULL */
    long log_lines;  /* logger.buffer: lines a log view keeps; 0 unset */
    long log_mib;    /* logger.bufferMiB (timon's): MiB a log view keeps; 0 unset */
    /* timon extensions */
    char *danger[CONFIG_PATTERNS]; /* owned regexes, or all NULL (then "prod" applies) */
};

/* The log buffer's bounds: the context's setting, else the global one, else 0 (logbuf's
 * defaults). */
long config_log_lines(const struct config *context, const struct config *global);
long config_log_mib(const struct config *context, const struct config *global);
void config_init(struct config *c);
/* Parses a file's contents; `path` names it in errors. An empty file is a valid empty config. */
bool config_parse(struct config *c, const char *buf, size_t n, const char *path, struct err *e);
void config_free(struct config *c);

/* Reads a settings file into c (config_init'ed here). A missing file is an empty config (true);
 * a file that cannot be read or parsed is false with e naming it. */
bool config_load_file(struct config *c, const char *path, struct err *e);

/* What timon remembers of a context between sessions. */
struct config_context_state {
    const char *cluster;
    const char *active_ns;         /* NULL: all namespaces */
    const char *const *favourites; /* up to CONFIG_FAVOURITES, NULL-terminated or full */
    const char *view;              /* the last view's command line, or NULL */
};

/* Writes the state into the context's file under k9s:, keeping every other key the file has
 * (readOnly, skin, k9s's own). Locked against other timon processes, written atomically, mode
 * 0600. A file that exists but does not parse is left alone (false with e set). */
bool config_save_context(const char *path, const struct config_context_state *st, struct err *e);

/* Whether a context name matches the danger patterns (case-insensitive regexes; "prod" when
 * none are configured). */
bool config_danger(const struct config *global, const char *context);

/* "<data_dir>/clusters/<cluster>/<context>/config.yaml", each name made safe for a path (any
 * character but [A-Za-z0-9._-] becomes '-', and "." or ".." cannot occur), as k9s does. */
char *config_context_path(const char *data_dir, const char *cluster, const char *context);

/* Read-only, by k9s's precedence: --write, then --readonly, then the context's readOnly, then
 * the global one. Either config may be NULL. */
bool config_readonly(bool cli_write, bool cli_readonly, const struct config *ctx,
                     const struct config *global);

#endif
