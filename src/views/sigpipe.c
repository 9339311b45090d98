/* sigpipe — async-signal-safe handlers and the self-pipe. */
#include "views/sigpipe.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

static int pipefd[2] = {-1, -1};
static volatile sig_atomic_t winch_seen, quit_seen;

static void on_signal(int sig)
{
    int saved = errno;
    if (sig == SIGWINCH)
        winch_seen = 1;
    else
        quit_seen = 1;
    if (pipefd[1] >= 0) {
        char b = 1;
        ssize_t w = write(pipefd[1], &b, 1);
        (void)w;
    }
    errno = saved;
}

bool sigpipe_open(struct err *e)
{
    if (pipe(pipefd) != 0)
        return err_set(e, "cannot create a pipe: %s", strerror(errno));
    for (int i = 0; i < 2; i++) {
        fcntl(pipefd[i], F_SETFL, fcntl(pipefd[i], F_GETFL) | O_NONBLOCK);
        fcntl(pipefd[i], F_SETFD, FD_CLOEXEC);
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    int sigs[] = {SIGWINCH, SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    return true;
}

void sigpipe_close(void)
{
    for (int i = 0; i < 2; i++) {
        if (pipefd[i] >= 0)
            close(pipefd[i]);
        pipefd[i] = -1;
    }
}

int sigpipe_fd(void)
{
    return pipefd[0];
}

unsigned sigpipe_take(void)
{
    char buf[64];
    while (read(pipefd[0], buf, sizeof buf) > 0)
        ;
    unsigned bits = 0;
    /* Read then clear each flag: a signal landing after the clear sets it again and writes a
     * new byte, so the next pass sees it. */
    if (winch_seen) {
        winch_seen = 0;
        bits |= SIGPIPE_WINCH;
    }
    if (quit_seen) {
        quit_seen = 0;
        bits |= SIGPIPE_QUIT;
    }
    return bits;
}
