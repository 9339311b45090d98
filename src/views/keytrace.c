/* keytrace — key-to-frame latency lines in the log (TIMON_KEYTRACE=1). See keytrace.h. */
#include "views/keytrace.h"
#include "util/clock.h"
#include "util/log.h"

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define KEYTRACE_MAX 64 /* keys read in one batch; more are counted but not stamped */

static int enabled = -1; /* -1: the environment not read yet */
static struct {
    int key;
    int64_t read_us;
} pending[KEYTRACE_MAX];
static int npending, dropped;

static bool on(void)
{
    if (enabled < 0) {
        const char *v = getenv("TIMON_KEYTRACE");
        enabled = v && v[0] && strcmp(v, "0") != 0;
    }
    return enabled;
}

static const char *name_of(int key)
{
    const char *n = keyname(key);
    return n ? n : "?";
}

void keytrace_key(int key)
{
    if (!on())
        return;
    if (npending == KEYTRACE_MAX) {
        dropped++;
        return;
    }
    pending[npending].key = key;
    pending[npending].read_us = clock_mono_us();
    npending++;
}

static void report(bool frame)
{
    int64_t now = clock_mono_us();
    for (int i = 0; i < npending; i++) {
        int64_t at = pending[i].read_us;
        if (frame)
            log_write(LOG_INFO, "keytrace: key %s: %lld us to frame, read at %lld.%06lld",
                      name_of(pending[i].key), (long long)(now - at), (long long)(at / 1000000),
                      (long long)(at % 1000000));
        else
            log_write(LOG_INFO, "keytrace: key %s: no frame", name_of(pending[i].key));
    }
    if (dropped)
        log_write(LOG_INFO, "keytrace: %d more keys in the batch, not stamped", dropped);
    npending = dropped = 0;
}

void keytrace_frame(void)
{
    if (npending || dropped)
        report(true);
}

void keytrace_idle(void)
{
    if (npending || dropped)
        report(false);
}
