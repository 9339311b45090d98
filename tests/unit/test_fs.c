/* fs: files the user saves are 0600 whatever the umask, in a 0700 state directory, never
 * through a planted symlink, and a name from the cluster never leaves that directory. */
#include "test_util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/fs.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saved_files_are_private),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
