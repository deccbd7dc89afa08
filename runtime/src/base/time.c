/* SPDX-License-Identifier: MIT */
/* Layer 0, base: sleeping on CLOCK_MONOTONIC (plx_now_ns is inline in plx_base.h). Calls nothing of
 * libparallax. */
#include <errno.h>

#include "base/plx_base.h"

void plx_sleep_until_ns(int64_t t)
{
    struct timespec ts = {.tv_sec = (time_t)(t / 1000000000), .tv_nsec = (long)(t % 1000000000)};
    /* EINTR: a signal woke us early; sleep the rest (the deadline is absolute). */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}
