/* fs: files the user saves are 0600 whatever the umask, in a 0700 state directory, never
 * through a planted symlink, and a name from the cluster never leaves that directory. */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/fs.h"
#include "util/strbuf.h"

static void test_saved_files_are_private(void **state)
{
    (void)state;
    char base[] = "/tmp/test_fs_XXXXXX";
    assert_non_null(mkdtemp(base));
    setenv("XDG_STATE_HOME", base, 1);
    mode_t old = umask(0);
    char *p1 = NULL, *p2 = NULL;
    struct err e = {0};
    int fd1 = fs_create_saved("ns_../../etc/passwd", "log", &p1, &e);
    assert_true(fd1 >= 0);
    int fd2 = fs_create_saved("ns_../../etc/passwd", "log", &p2, &e);
    assert_true(fd2 >= 0);
    umask(old);
    char dir[256];
    snprintf(dir, sizeof dir, "%s/timon/", base);
    /* Inside the state directory, the stem's slashes gone; a second save gets its own name. */
    assert_int_equal(strncmp(p1, dir, strlen(dir)), 0);
    assert_null(strchr(p1 + strlen(dir), '/'));
    assert_non_null(strstr(p1, "ns_.._.._etc_passwd-"));
    assert_string_not_equal(p1, p2);
    assert_non_null(strstr(p2, "-2.log"));
    struct stat st;
    assert_int_equal(fstat(fd1, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    close(fd1);
    close(fd2);
    /* A planted symlink is refused, and its target left alone. */
    char target[300], link[300];
    snprintf(target, sizeof target, "%s/target", base);
    snprintf(link, sizeof link, "%s/planted", base);
    FILE *f = fopen(target, "w");
    fputs("keep", f);
    fclose(f);
    assert_int_equal(symlink(target, link), 0);
    assert_true(fs_create_private(link, &e) < 0);
    assert_int_equal(e.code, EEXIST);
    f = fopen(target, "r");
    char buf[8] = {0};
    assert_non_null(fgets(buf, sizeof buf, f));
    fclose(f);
    assert_string_equal(buf, "keep");
    unlink(link);
    unlink(target);
    unlink(p1);
    unlink(p2);
    rmdir(dir);
    rmdir(base);
    free(p1);
    free(p2);
}

/* Settings files: written whole or not at all (a temp file renamed over the old one, 0600,
 * nothing left beside it), and locked against another timon: a second process waits about a
 * second for the lock, then says who holds it; once it is released, it gets it. */
static void test_atomic_write_and_lock(void **state)
{
    (void)state;
    char base[] = "/tmp/test_fs_XXXXXX";
    assert_non_null(mkdtemp(base));
    char path[300];
    snprintf(path, sizeof path, "%s/clusters/c/ctx/config.yaml", base);
    struct err e = {0};
    assert_true(fs_write_atomic(path, "k9s:\n  readOnly: true\n", 22, &e));
    assert_true(fs_write_atomic(path, "k9s: {}\n", 8, &e));
    struct strbuf got = {0};
    assert_true(fs_read_file(path, 1024, &got, &e));
    assert_string_equal(strbuf_str(&got), "k9s: {}\n");
    strbuf_free(&got);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    char dir[300];
    snprintf(dir, sizeof dir, "%s/clusters/c/ctx", base);
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *de;
    while ((de = readdir(d)))
        if (strstr(de->d_name, ".tmp-"))
            fail_msg("left behind: %s", de->d_name);
    closedir(d);
    /* A write that cannot happen leaves the old file as it was. */
    char blocked[320];
    snprintf(blocked, sizeof blocked, "%s/clusters/c/ctx/config.yaml/under-a-file", base);
    assert_false(fs_write_atomic(blocked, "x", 1, &e));

    int held[2];
    assert_int_equal(pipe(held), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) { /* another timon: takes the lock, says so, holds it for a while */
        struct err ce = {0};
        int fd = fs_lock(path, &ce);
        if (write(held[1], fd >= 0 ? "y" : "n", 1) != 1)
            _exit(2);
        struct timespec ts = {2, 0};
        nanosleep(&ts, NULL);
        fs_unlock(fd);
        _exit(0);
    }
    char c = 0;
    assert_int_equal(read(held[0], &c, 1), 1);
    assert_int_equal(c, 'y');
    assert_int_equal(fs_lock(path, &e), -1);
    assert_non_null(strstr(e.msg, "locked by another timon"));
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    int fd = fs_lock(path, &e);
    assert_true(fd >= 0);
    fs_unlock(fd);
    close(held[0]);
    close(held[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_files_are_private),
        cmocka_unit_test(test_atomic_write_and_lock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
