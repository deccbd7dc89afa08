/* Just-in-time pacing: after xrWaitFrame, sleep until the latest moment from which the frame still meets its
 * display time, so the poses located next are as fresh as they can be.
 *
 * Two limits, the earlier wins:
 *  - latency: wake = T - (display allowance + frame cost + margin), frame cost being the recent time from
 * wake to GPU completion at a high percentile. OpenXR says neither when the compositor needs the frame nor
 * how long scan-out takes after T, so a fixed allowance covers both.
 *  - throughput: the loop must still reach the next xrWaitFrame within one period of this one returning, or a
 *    pipelined runtime (which returns two periods before T) would block us for a whole extra vsync and halve
 *    the frame rate. So wake <= wait return + period - (CPU cost wake -> xrEndFrame + margin).
 * The estimate is deliberately simple; a later refinement can follow the compositor's deadline from
 * missed-frame feedback. */
#include <stdlib.h>

#include "plx_internal.h"

enum {
    PACING_WINDOW = 32,     /* recent frames the estimate looks at */
    PACING_MIN_SAMPLES = 8, /* below this, do not sleep: the estimate means nothing yet */
    PACING_PERCENTILE = 90,
};
/* Time between "done on the GPU" and T that a typical compositor needs (composition lead + vsync to photons).
 */
static const int64_t display_allowance_ns = 5 * 1000000;
/* Safety margin against jitter: fixed part + a share of the estimate. */
static const int64_t margin_ns = 2 * 1000000;
static const double margin_share = 0.25;

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Recent costs at PACING_PERCENTILE: *out_frame wake -> GPU done, *out_loop wake -> xrEndFrame returned.
 * False while there are too few frames to say. */
static bool recent_costs(const plx_context *ctx, int64_t *out_frame, int64_t *out_loop)
{
    int64_t frame[PACING_WINDOW], loop[PACING_WINDOW];
    uint32_t n = 0;
    uint64_t have = ctx->frames_ended < PLX_STATS_RING ? ctx->frames_ended : PLX_STATS_RING;
    for (uint64_t i = 0; i < have && n < PACING_WINDOW; i++) {
        const plx_frame_stats *st = &ctx->stats[(ctx->frames_ended - 1 - i) % PLX_STATS_RING];
        if (!st->rendered || st->gpu_ms < 0) continue;
        /* CPU from wake to submit, then the GPU's own duration (it starts right after submit here). */
        frame[n] = (st->submit - st->wake) + (int64_t)(st->gpu_ms * 1e6);
        loop[n] = st->end - st->wake;
        n++;
    }
    if (n < PACING_MIN_SAMPLES) return false;
    qsort(frame, n, sizeof frame[0], cmp_i64);
    qsort(loop, n, sizeof loop[0], cmp_i64);
    uint32_t rank = (n * PACING_PERCENTILE + 99) / 100;
    *out_frame = frame[rank - 1];
    *out_loop = loop[rank - 1];
    return true;
}

int64_t plx_pacing_estimate_ns(const plx_context *ctx)
{
    int64_t frame = 0, loop = 0;
    return recent_costs(ctx, &frame, &loop) ? frame : 0;
}

int64_t plx_pacing_sleep(plx_context *ctx, int64_t display_time, int64_t period)
{
    int64_t now = plx_now_ns();
    int64_t frame = 0, loop = 0;
    if (period <= 0 || !recent_costs(ctx, &frame, &loop)) return now;
    int64_t by_latency =
        display_time - (display_allowance_ns + frame + margin_ns + (int64_t)((double)frame * margin_share));
    int64_t by_throughput = now + period - (loop + margin_ns + (int64_t)((double)loop * margin_share));
    int64_t wake = by_latency < by_throughput ? by_latency : by_throughput;
    if (wake <= now) return now;
    plx_sleep_until_ns(wake);
    plx_log(ctx, PLX_LOG_DEBUG, "pacing: slept %.2f ms (frame cost %.2f ms, loop cost %.2f ms)",
            (double)(wake - now) * 1e-6, (double)frame * 1e-6, (double)loop * 1e-6);
    return plx_now_ns();
}
