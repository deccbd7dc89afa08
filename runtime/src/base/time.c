/* SPDX-License-Identifier: MIT */
/* Layer 0, base: the clocks: sleeping on CLOCK_MONOTONIC (plx_now_ns is inline in plx_time.h) and the one
 * conversion between XrTime and CLOCK_MONOTONIC (see plx_time.h). Calls nothing of libparallax but the log
 * (error.c). */
#include <errno.h>
#include <stdio.h>

#include "base/plx_time.h"

/* Calls timed at bind to measure what one conversion costs. */
#define PLX_TIME_COST_CALLS 64

void plx_sleep_until_ns(int64_t t)
{
    if (t <= 0) return;
    struct timespec ts = {.tv_sec = (time_t)(t / 1000000000), .tv_nsec = (long)(t % 1000000000)};
    /* EINTR: a signal woke us early; sleep the rest (the deadline is absolute). */
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR) {
    }
}

void plx_time_init(plx_time *t, const plx_report *r)
{
    *t = (plx_time){.report = r};
}

static struct timespec timespec_of(int64_t ns)
{
    return (struct timespec){.tv_sec = (time_t)(ns / 1000000000), .tv_nsec = (long)(ns % 1000000000)};
}

/* One measurement: the runtime converts the timespec we give it, so the offset is exact at that instant. */
static XrResult measure(const plx_time *t, int64_t *out_offset)
{
    int64_t host = plx_now_ns();
    struct timespec ts = timespec_of(host);
    XrTime xr = 0;
    XrResult res = t->to_xr(t->instance, &ts, &xr);
    if (XR_SUCCEEDED(res)) *out_offset = xr - host;
    return res;
}

static void warn_unavailable(plx_time *t, const char *why)
{
    if (t->warned_unavailable) return;
    t->warned_unavailable = true;
    plx_log(
        t->report, PLX_LOG_WARN,
        "%s: XrTime cannot be related to CLOCK_MONOTONIC, so just-in-time pacing does not sleep, app-side "
        "prediction is off and timestamps compared with display times are unavailable (safe mode)",
        why);
}

void plx_time_bind(plx_time *t, XrInstance instance, bool enabled)
{
    t->instance = instance;
    t->to_xr = NULL;
    t->known = false;
    t->offset_ns = 0;
    t->error_bound_ns = 0;
    t->refreshes = 0;
    if (!enabled) {
        warn_unavailable(t, "the OpenXR runtime does not offer " XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME);
        return;
    }
    PFN_xrVoidFunction fn = NULL;
    XrResult res = xrGetInstanceProcAddr(instance, "xrConvertTimespecTimeToTimeKHR", &fn);
    if (XR_FAILED(res) || !fn) {
        char why[160];
        snprintf(why, sizeof why, "xrGetInstanceProcAddr(xrConvertTimespecTimeToTimeKHR) failed: %s",
                 plx_xr_result_name(res));
        warn_unavailable(t, why);
        return;
    }
    t->to_xr = (PFN_xrConvertTimespecTimeToTimeKHR)fn;
    /* The cost of one call, and the offset (the last of the calls). */
    int64_t offset = 0, t0 = plx_now_ns();
    for (int i = 0; i < PLX_TIME_COST_CALLS; i++) {
        if (XR_FAILED(res = measure(t, &offset))) break;
    }
    if (XR_FAILED(res)) {
        char why[160];
        snprintf(why, sizeof why, "xrConvertTimespecTimeToTimeKHR failed: %s", plx_xr_result_name(res));
        t->to_xr = NULL;
        warn_unavailable(t, why);
        return;
    }
    t->convert_ns = (plx_now_ns() - t0) / PLX_TIME_COST_CALLS;
    t->offset_ns = offset;
    t->known = true;
    plx_log(t->report, PLX_LOG_INFO,
            "time: XrTime = CLOCK_MONOTONIC %+.6f s (XR_KHR_convert_timespec_time; one conversion %.2f us, "
            "measured again at every plx_frame_wait)",
            (double)offset * 1e-9, (double)t->convert_ns * 1e-3);
}

void plx_time_unbind(plx_time *t)
{
    /* The offset stays: timestamps taken until the next instance keep the old instance's clock. */
    t->to_xr = NULL;
    t->instance = XR_NULL_HANDLE;
}

void plx_time_refresh(plx_time *t)
{
    if (!t->to_xr) return;
    int64_t offset = 0;
    XrResult res = measure(t, &offset);
    if (XR_FAILED(res)) {
        /* A lost instance is met by the frame calls too (and recovered there); keep the last offset. */
        if (!t->warned_failure)
            plx_log(t->report, PLX_LOG_WARN,
                    "xrConvertTimespecTimeToTimeKHR failed: %s; keeping the last XrTime offset (logged once)",
                    plx_xr_result_name(res));
        t->warned_failure = true;
        return;
    }
    int64_t step = offset - t->offset_ns;
    if (step < 0) step = -step;
    if (step > t->error_bound_ns) t->error_bound_ns = step;
    t->offset_ns = offset;
    t->refreshes++;
}

bool plx_time_known(const plx_time *t)
{
    return t->known;
}

int64_t plx_time_from_host(const plx_time *t, int64_t host_ns)
{
    if (host_ns == 0) return 0;
    return t->known ? host_ns + t->offset_ns : host_ns;
}

int64_t plx_time_to_host(const plx_time *t, int64_t loop_ns)
{
    return t->known ? loop_ns - t->offset_ns : loop_ns;
}

int64_t plx_time_now(const plx_time *t)
{
    return plx_time_from_host(t, plx_now_ns());
}

void plx_time_sleep_until(const plx_time *t, int64_t loop_ns)
{
    plx_sleep_until_ns(plx_time_to_host(t, loop_ns));
}
