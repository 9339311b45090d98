/* clock — monotonic milliseconds for deadlines (microseconds for latencies), wall-clock seconds
 * for ages. */
#ifndef TIMON_UTIL_CLOCK_H
#define TIMON_UTIL_CLOCK_H

#include <stdint.h>

int64_t clock_mono_ms(void);
/* Monotonic microseconds, for measuring latencies. */
int64_t clock_mono_us(void);
int64_t clock_wall_s(void);

#endif
