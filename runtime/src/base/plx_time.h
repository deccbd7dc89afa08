/* SPDX-License-Identifier: MIT */
/* Layer 0, base: the clocks (time.c). The host clock (CLOCK_MONOTONIC: plx_now_ns, plx_sleep_until_ns) and
 * the ONE conversion between it and XrTime (plx_time). Calls nothing of libparallax but the log (error.c).
 *
 * OpenXR gives XrTime a runtime-chosen epoch; only XR_KHR_convert_timespec_time relates it to
 * CLOCK_MONOTONIC. xr/instance.c binds the conversion to each instance it makes (plx_time_bind: new
 * instance, new function pointers, maybe a new epoch) and every timestamp the frame loop takes, every sleep
 * and every GPU time goes through the functions below; nothing else compares XrTime with the host clock.
 *
 * The conversion is an offset, XrTime = CLOCK_MONOTONIC + offset, measured with one
 * xrConvertTimespecTimeToTimeKHR call at bind and again at every frame (plx_time_refresh, from
 * plx_frame_wait), rather than one call per timestamp. The runtime converts the very timespec we pass, so a
 * measurement is exact at its instant; a runtime whose XrTime runs at another rate than CLOCK_MONOTONIC
 * moves the offset between two refreshes, and the largest move seen (error_bound_ns) bounds the error of any
 * timestamp converted in between (0 for a runtime whose XrTime is CLOCK_MONOTONIC shifted).
 *
 * The frame loop's clock ("loop time", what plx_time_now returns) is XrTime when the conversion is known.
 * Without it (the runtime offers no XR_KHR_convert_timespec_time: safe mode, one warning line), loop time
 * is CLOCK_MONOTONIC: durations between timestamps stay right, and whatever compares a timestamp with a
 * display time asks plx_time_known first and does without (no pacing sleep, no app-side prediction, no
 * photon age). */
#pragma once
#include "base/plx_base.h"

/* ---------------------------------------------------------------- the host clock */

/* Now on CLOCK_MONOTONIC, in ns. Any thread. */
static inline int64_t plx_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
/* Sleeps until t (ns of CLOCK_MONOTONIC), through signals. Any thread. */
void plx_sleep_until_ns(int64_t t);

/* ---------------------------------------------------------------- XrTime <-> CLOCK_MONOTONIC */

typedef struct plx_time {
    const plx_report *report;
    XrInstance instance;
    PFN_xrConvertTimespecTimeToTimeKHR to_xr; /* NULL: no conversion (safe mode, or no instance) */
    bool known;                               /* offset_ns holds */
    int64_t offset_ns;                        /* XrTime - CLOCK_MONOTONIC */
    int64_t error_bound_ns; /* largest change of the offset from one refresh to the next, this instance */
    int64_t convert_ns;     /* one xrConvertTimespecTimeToTimeKHR call, mean of the calls at bind */
    uint64_t refreshes;
    bool warned_unavailable; /* the safe-mode warning was logged (once per context) */
    bool warned_failure;     /* a failed refresh was logged */
} plx_time;

/* A context's conversion, unbound (loop time is CLOCK_MONOTONIC until plx_time_bind). */
void plx_time_init(plx_time *t, const plx_report *r);
/* The instance was created; enabled: XR_KHR_convert_timespec_time is enabled on it. Loads the function,
 * measures its cost and the offset. Without the extension (or when the function fails) the conversion
 * stays unknown and the safe-mode warning is logged (once). Never fails the instance. */
void plx_time_bind(plx_time *t, XrInstance instance, bool enabled);
/* The instance is going (destroyed or lost): its function may no longer be called. */
void plx_time_unbind(plx_time *t);
/* Measures the offset again (one call); frame thread, once per frame. A failure keeps the last offset
 * (logged once). */
void plx_time_refresh(plx_time *t);
/* Whether loop time is XrTime (the conversion is known). */
bool plx_time_known(const plx_time *t);
/* A CLOCK_MONOTONIC time in loop time (0 stays 0: unknown). */
int64_t plx_time_from_host(const plx_time *t, int64_t host_ns);
/* A loop time on CLOCK_MONOTONIC (to sleep until it). */
int64_t plx_time_to_host(const plx_time *t, int64_t loop_ns);
/* Now in loop time. */
int64_t plx_time_now(const plx_time *t);
/* Sleeps until a loop time. */
void plx_time_sleep_until(const plx_time *t, int64_t loop_ns);
