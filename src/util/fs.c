/* fs — file helpers. Never prints; errors are values. */
#include "util/fs.h"
#include "util/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
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

int fs_create_private(const char *path, struct err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    int en = errno;
    if (fd >= 0 && fchmod(fd, 0600) != 0) { /* a umask may have taken bits away */
        en = errno;
        close(fd);
        unlink(path);
        fd = -1;
    }
    if (fd < 0) {
        err_set(e, "cannot create %s: %s", path, strerror(en));
        if (e)
            e->code = en;
    }
    return fd;
}

int fs_create_saved(const char *stem, const char *ext, char **path, struct err *e)
{
    *path = NULL;
    char *dir = fs_xdg_dir("STATE");
    if (!dir) {
        err_set(e, "no state directory: neither XDG_STATE_HOME nor HOME is set");
        return -1;
    }
    if (!fs_mkdir_private(dir, e)) {
        free(dir);
        return -1;
    }
    char safe[128];
    size_t n = 0;
    for (const char *p = stem; *p && n + 1 < sizeof safe; p++) {
        char c = *p;
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-' || c == '_' || (c == '.' && n > 0);
        safe[n++] = ok ? c : '_';
    }
    safe[n] = '\0';
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32] = "";
    if (gmtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    int fd = -1;
    bool taken = true;
    for (int i = 1; i < 100 && fd < 0 && taken; i++) {
        char num[16] = "";
        if (i > 1)
            snprintf(num, sizeof num, "-%d", i);
        *path = xasprintf("%s/%s-%s%s.%s", dir, n ? safe : "saved", stamp, num, ext);
        struct err ce = {0};
        fd = fs_create_private(*path, &ce);
        if (fd >= 0)
            break;
        taken = ce.code == EEXIST;
        free(*path);
        *path = NULL;
        if (!taken)
            err_set(e, "%s", ce.msg);
    }
    if (fd < 0 && taken)
        err_set(e, "cannot find a free file name in %s", dir);
    free(dir);
    return fd;
}

bool fs_write_atomic(const char *path, const char *data, size_t n, struct err *e)
{
    char *dir = fs_dirname(path);
    bool ok = fs_mkdir_private(dir, e);
    free(dir);
    if (!ok)
        return false;
    char *tmp = xasprintf("%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp); /* 0600, O_EXCL */
    if (fd < 0) {
        err_set(e, "cannot create a file beside %s: %s", path, strerror(errno));
        free(tmp);
        return false;
    }
    size_t done = 0;
    while (done < n) {
        ssize_t w = write(fd, data + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    ok = done == n && fsync(fd) == 0;
    int en = errno;
    ok = close(fd) == 0 && ok;
    if (ok && rename(tmp, path) != 0) {
        en = errno;
        ok = false;
    }
    if (!ok) {
        unlink(tmp);
        err_set(e, "cannot write %s: %s", path, strerror(en));
    }
    free(tmp);
    return ok;
}

int fs_lock(const char *path, struct err *e)
{
    char *dir = fs_dirname(path);
    bool made = fs_mkdir_private(dir, e);
    free(dir);
    if (!made)
        return -1;
    char *lock = xasprintf("%s.lock", path);
    int fd = open(lock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    int en = errno;
    free(lock);
    if (fd < 0) {
        err_set(e, "cannot lock %s: %s", path, strerror(en));
        return -1;
    }
    for (int i = 0; i < 50; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            return fd;
        if (errno != EWOULDBLOCK && errno != EINTR)
            break;
        struct timespec ts = {0, 20 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    err_set(e, "%s is locked by another timon", path);
    close(fd);
    return -1;
}

void fs_unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
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
