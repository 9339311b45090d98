/* keytrace — opt-in measurement of key-to-screen latency, for `make bench`.
 *
 * With TIMON_KEYTRACE=1 in the environment, every key the loop reads is stamped, and when the
 * next frame has been written to the terminal (doupdate returned) one log line per pending key
 * says how long that took and when the key was read, in CLOCK_MONOTONIC seconds (so a harness
 * can also tell how long the key waited before timon read it): "keytrace: key j: 812 us to
 * frame, read at 5123.004211". A key after which the loop drew nothing is logged as "no frame".
 * The lines are written whatever the log level (the variable is the opt-in); without it every
 * call is one branch. Must not: draw, or change what is drawn. */
#ifndef TIMON_VIEWS_KEYTRACE_H
#define TIMON_VIEWS_KEYTRACE_H

/* A key was read (before it is acted on). */
void keytrace_key(int key);
/* A frame reached the terminal: reports the pending keys. */
void keytrace_frame(void);
/* A loop pass ended without drawing: the pending keys changed nothing on screen. */
void keytrace_idle(void);

#endif
