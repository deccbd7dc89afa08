/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: the guard against runtime bugs in xrWaitFrame's answer. The spec has xrWaitFrame return
 * "the next time that the runtime predicts a composited frame will be displayed". A runtime plans that time
 * before it sleeps, so a thread the scheduler wakes late (common when the GPU is lavapipe's CPU threads), or
 * a waited-ahead answer the loop picks up late, hands over a time already past: lateness, clamped for pacing
 * without a warning. A bug (another clock, a broken prediction) shows on every frame instead: a display time
 * more than a period in the past when xrWaitFrame returned on three frames in a row, or by more than a
 * second, or absurdly far ahead (in XrTime, through the one conversion of base/plx_time.h; not judged in
 * safe mode, where nothing compares it with now), or a period no display has, is clamped and logged once.
 * xrEndFrame still gets the time xrWaitFrame returned. May call base/ only. */
#include <stdio.h>
#include <string.h>

#include "timing/plx_timing.h"

int64_t plx_timing_guard_apply(plx_timing_guard *g, const plx_report *r, const plx_time *time,
                               int64_t answered_at, int64_t *io_display_time, int64_t *io_period)
{
    int64_t now = plx_time_now(time);
    if (answered_at <= 0 || answered_at > now) answered_at = now;
    bool bad = false;
    char what[160] = "";
    /* A period outside 1 ms .. 1 s (1000 Hz .. 1 Hz) is no display's: use the last good one (or 90 Hz). */
    if (*io_period < 1000000 || *io_period > 1000000000) {
        snprintf(what, sizeof what, "predictedDisplayPeriod %lld ns", (long long)*io_period);
        *io_period = g->last_period > 0 ? g->last_period : 11111111;
        bad = true;
    } else {
        g->last_period = *io_period;
    }
    /* A display time in the past (or absurdly far ahead) would make pacing sleep for nothing or forever:
     * the next plausible display is one period ahead of now. */
    bool known = plx_time_known(time);
    int64_t behind = answered_at - *io_display_time; /* > 0: already past when the runtime answered */
    bool past_at_answer = known && behind > *io_period;
    g->past_in_a_row = past_at_answer ? g->past_in_a_row + 1 : 0;
    bool far_ahead = known && *io_display_time > now + 10 * *io_period + 1000000000ll;
    if (far_ahead || (past_at_answer && (g->past_in_a_row >= 3 || behind > 1000000000ll))) {
        size_t len = strlen(what);
        snprintf(what + len, sizeof what - len, "%spredictedDisplayTime %+.3f ms from when it returned",
                 len ? ", " : "", (double)(*io_display_time - answered_at) * 1e-6);
        *io_display_time = now + *io_period;
        bad = true;
    } else if (known && *io_display_time < now) {
        *io_display_time = now + *io_period; /* late, not wrong: no warning */
    }
    if (bad) {
        g->clamped++;
        if (!g->logged) {
            g->logged = true;
            plx_log(r, PLX_LOG_WARN,
                    "xrWaitFrame returned an implausible %s; clamped for pacing (logged once)", what);
        }
    }
    return g->clamped;
}
