/* editor — fork, exec through the shell (the variable may hold arguments), wait. */
#include "views/editor.h"
#include "views/screen.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *editor_command(void)
{
    const char *names[] = {"KUBE_EDITOR", "EDITOR"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v && v[0])
            return v;
    }
    return "vi";
}

bool editor_run(const char *path, struct err *e)
{
    const char *cmd = editor_command();
    char script[4096];
    snprintf(script, sizeof script, "%s \"$1\"", cmd);
    screen_suspend();
    pid_t pid = fork();
    if (pid < 0) {
        screen_resume();
        return err_set(e, "cannot start the editor: %s", strerror(errno));
    }
    if (pid == 0) {
        int sigs[] = {SIGINT, SIGQUIT, SIGTERM, SIGPIPE, SIGWINCH, SIGHUP, SIGTSTP};
        for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
            signal(sigs[i], SIG_DFL);
        execl("/bin/sh", "sh", "-c", script, "sh", path, (char *)NULL);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    screen_resume();
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return true;
    if (WIFEXITED(status))
        return err_set(e, "the editor (%s) exited with status %d", cmd, WEXITSTATUS(status));
    return err_set(e, "the editor (%s) was killed by signal %d", cmd, WTERMSIG(status));
}
