/* sigpipe — signals into the poll loop through a self-pipe.
 *
 * The handlers only record the signal and write one byte; the loop reads the pipe and acts. */
#ifndef TIMON_VIEWS_SIGPIPE_H
#define TIMON_VIEWS_SIGPIPE_H

#include <stdbool.h>

#include "util/err.h"

enum sigpipe_bits { SIGPIPE_WINCH = 1, SIGPIPE_QUIT = 2 };

bool sigpipe_open(struct err *e);
void sigpipe_close(void);
/* The fd to poll for reading. */
int sigpipe_fd(void);
/* Drains the pipe and returns the SIGPIPE_* bits seen since the last call. */
unsigned sigpipe_take(void);

#endif
