/* Just-in-time pacing: after xrWaitFrame, sleep until the latest moment from which the frame still meets its
 * display time, so the poses located next are as fresh as they can be.
 *
 * wake = T - (display allowance + estimate + margin), where the estimate is the recent cost of a frame from
 * wake to GPU completion at a high percentile. OpenXR does not tell us when the compositor needs the frame
 * nor the scan-out delay behind T, so a fixed allowance covers both. The estimate is deliberately simple;
 * a later refinement can track the compositor's deadline from missed-frame feedback. */
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

int64_t plx_pacing_estimate_ns(const plx_context *ctx)
{
    int64_t cost[PACING_WINDOW];
    uint32_t n = 0;
    uint64_t have = ctx->frames_ended < PLX_STATS_RING ? ctx->frames_ended : PLX_STATS_RING;
    for (uint64_t i = 0; i < have && n < PACING_WINDOW; i++) {
        const plx_frame_stats *st = &ctx->stats[(ctx->frames_ended - 1 - i) % PLX_STATS_RING];
        if (!st->rendered || st->gpu_ms < 0) continue;
        /* CPU from wake to submit, then the GPU's own duration (it starts right after submit here). */
        cost[n++] = (st->submit - st->wake) + (int64_t)(st->gpu_ms * 1e6);
    }
    if (n < PACING_MIN_SAMPLES) return 0;
    qsort(cost, n, sizeof cost[0], cmp_i64);
    uint32_t rank = (n * PACING_PERCENTILE + 99) / 100;
    return cost[rank - 1];
}

int64_t plx_pacing_sleep(plx_context *ctx, int64_t display_time, int64_t period)
{
    int64_t now = plx_now_ns();
    int64_t estimate = plx_pacing_estimate_ns(ctx);
    if (estimate <= 0) return now;
    int64_t lead = display_allowance_ns + estimate + margin_ns + (int64_t)((double)estimate * margin_share);
    int64_t wake = display_time - lead;
    /* Never sleep more than a period: a bad estimate must not cost more than one frame of latency. */
    if (period > 0 && wake - now > period) wake = now + period;
    if (wake <= now) return now;
    plx_sleep_until_ns(wake);
    plx_log(ctx, PLX_LOG_DEBUG, "pacing: slept %.2f ms (estimate %.2f ms)", (double)(wake - now) * 1e-6,
            (double)estimate * 1e-6);
    return plx_now_ns();
}
