/* fs — file helpers. Never prints; errors are values. */
#include "util/fs.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool fs_read_file(const char *path, size_t max, struct strbuf *out, struct err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return err_set(e, "%s: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int en = errno;
        close(fd);
        return err_set(e, "%s: %s", path, strerror(en));
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return err_set(e, "%s: is a directory", path);
    }
    if (S_ISREG(st.st_mode) && (size_t)st.st_size > max) {
        close(fd);
        return err_set(e, "%s: file too large (%lld bytes, limit %zu)", path, (long long)st.st_size,
                       max);
    }
    char buf[65536];
    size_t total = 0;
    for (;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int en = errno;
            close(fd);
            return err_set(e, "%s: %s", path, strerror(en));
        }
        if (n == 0)
            break;
        total += (size_t)n;
        if (total > max) {
            close(fd);
            return err_set(e, "%s: file too large (limit %zu bytes)", path, max);
        }
        strbuf_append(out, buf, (size_t)n);
    }
    close(fd);
    return true;
}

char *fs_xdg_dir(const char *kind)
{
    char var[32];
    size_t kl = strlen(kind);
    if (kl > 16)
        return NULL;
    memcpy(var, "XDG_", 4);
    memcpy(var + 4, kind, kl);
    memcpy(var + 4 + kl, "_HOME", 6);
    const char *base = getenv(var);
    if (base && base[0] == '/')
        return xasprintf("%s/timon", base);
    const char *home = getenv("HOME");
    if (!home || !home[0])
        return NULL;
    const char *sub = strcmp(kind, "CONFIG") == 0 ? ".config"
                      : strcmp(kind, "DATA") == 0 ? ".local/share"
                                                  : ".local/state";
    return xasprintf("%s/%s/timon", home, sub);
}

bool fs_mkdir_private(const char *path, struct err *e)
{
    char *p = xstrdup(path);
    for (char *s = p + 1;; s++) {
        if (*s == '/' || *s == '\0') {
            char c = *s;
            *s = '\0';
            if (mkdir(p, 0700) != 0 && errno != EEXIST) {
                int en = errno;
                err_set(e, "cannot create %s: %s", p, strerror(en));
                free(p);
                return false;
            }
            *s = c;
            if (c == '\0')
                break;
        }
    }
    free(p);
    return true;
}

char *fs_dirname(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return xstrdup(".");
    if (slash == path)
        return xstrdup("/");
    return xstrndup(path, (size_t)(slash - path));
}

char *fs_resolve(const char *dir, const char *rel)
{
    if (!rel[0] || rel[0] == '/' || !dir)
        return xstrdup(rel);
    while (rel[0] == '.' && rel[1] == '/')
        rel += 2;
    return xasprintf("%s/%s", dir, rel);
}
