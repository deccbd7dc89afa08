/* SPDX-License-Identifier: MIT */
/* Layer 3, timing; calls nothing of libparallax (pure logic, no clock). The dynamic resolution controller
 * (see plx_resolution.h): picks the render scale that keeps the GPU time near a target fraction of the
 * display period.
 *
 * A frame's GPU time is modelled as cost * scale^2 (fill-bound work): a measurement at one scale predicts the
 * time at another. Real frames also have a fixed part that does not shrink with the scale (on lavapipe about
 * half of the stress sample's base frame), so the model is only trusted over short distances: a drop goes
 * straight to where the model meets the target (too little, with a fixed part; the next measurements drop
 * it further), a rise goes at a bounded rate and stops when the GPU time measured at the scale reached says
 * so, not when the model does (the model, fed with frames from lower scales, would stop it far short).
 *
 * Estimates over windows of time, not frame counts, so it behaves the same at any refresh rate:
 *  - fast: the median of the last 50 ms (at least 5 frames), costs at scale 1. A lone slow frame (another
 *    process took the core) does not move it; a real step shows after half the window. Over DROP_RATIO
 *    times the target at the current scale the frames are near missing: the scale drops at once to where it
 *    meets the target.
 *  - slow: the median of the last 0.3 s. Over (1 + HOLD_BAND) times the target (a burst of slow frames, a
 *    moderate load rise) the scale eases down at LOWER_RATE per second; the GPU times as measured under
 *    (1 - RAISE_BAND) times the target let it rise at RAISE_RATE per second, as far as the fast median
 *    predicts the target is met. In between nothing changes: that band is what keeps noisy frame times from
 *    making the scale hunt up and down, and it is narrow enough that the scale a climb stops at is within a
 *    few percent of the one a steady load held before.
 * The controller this replaced kept a per-frame moving average of the cost that followed a rise at once and
 * a fall by 8% a frame, and raised the scale by at most 0.02 a frame: recovery after the load fell took 0.3
 * to over 2 s, longer at lower refresh rates, because a burst of slow frames reset the slow fall of the
 * average, the asymmetric average sat above the typical cost, and with a fixed part in the frame the model
 * stopped each climb short until the average caught up. */
#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "timing/plx_resolution.h"

/* GPU time aimed at, as a fraction of the period: the rest is left to the CPU's part of the frame, the
 * compositor's lead and noise. On lavapipe the "GPU" shares the CPU cores with everything else and its frame
 * times spread in proportion to their mean: at 60% a loaded machine still missed about 1% of frames, at 50%
 * it did not. */
#define TARGET_FRACTION 0.5
#define FAST_WINDOW_NS  50000000LL  /* the median that drops the scale at once and bounds a rise */
#define SLOW_WINDOW_NS  300000000LL /* the median that eases the scale down or lets it rise */
#define MIN_WINDOW                                                                 \
    5 /* samples an estimate takes even when they are older than its window: fewer \
       * would let two spikes in three frames pass for a step */
/* The fast median above this many times the target (70% of the period) drops the scale at once. A doubled
 * load is 1.6 to 2 times the target; a burst of slow frames on a busy machine is often 1.2 to 1.5 and does
 * not make frames miss. */
#define DROP_RATIO 1.4
/* The slow median above (1 + HOLD_BAND) times the target lowers the scale gradually; under (1 - RAISE_BAND)
 * times the target, as measured, it lets the scale rise. */
#define HOLD_BAND  0.1
#define RAISE_BAND 0.05
/* Largest scale changes per second outside a drop: min 0.5 -> 1 in 0.5 s. */
#define RAISE_RATE 1.0
#define LOWER_RATE 0.5
/* A gap longer than this between two frames (a pause, a lost session) counts as this much. */
#define MAX_STEP_S 0.1
/* Scale changes smaller than this are not made (except to reach 1 exactly): a viewport that shifts by a pixel
 * every frame would shimmer for nothing. */
#define DEAD_BAND 0.01f

void plx_resolution_controller_init(plx_resolution_controller *c, float min_scale)
{
    *c = (plx_resolution_controller){
        .scale = 1.0f,
        .min_scale = min_scale,
        .target = TARGET_FRACTION,
    };
}

/* The value at percentile pct of the frames from the last window_ns before now (at least MIN_WINDOW of
 * them when there are that many): their costs at scale 1 when at_full, else their GPU times as measured. */
static double recent_percentile(const plx_resolution_controller *c, int64_t now_ns, int64_t window_ns,
                                int pct, bool at_full)
{
    double v[PLX_RESOLUTION_WINDOW];
    size_t kept = c->samples < PLX_RESOLUTION_WINDOW ? (size_t)c->samples : PLX_RESOLUTION_WINDOW, n = 0;
    for (size_t k = 0; k < kept; k++) {
        size_t i = (size_t)((c->samples - 1 - k) % PLX_RESOLUTION_WINDOW);
        if (k >= MIN_WINDOW && now_ns - c->time_ns[i] > window_ns) break;
        double x = at_full ? c->gpu_ms[i] / ((double)c->rendered[i] * c->rendered[i]) : c->gpu_ms[i];
        size_t j = n++; /* insertion sort: a few dozen values */
        for (; j > 0 && v[j - 1] > x; j--) v[j] = v[j - 1];
        v[j] = x;
    }
    size_t at = n * (size_t)pct / 100;
    return v[at < n ? at : n - 1];
}

static float clamp_scale(const plx_resolution_controller *c, double s)
{
    return s > 1.0 ? 1.0f : s < c->min_scale ? c->min_scale : (float)s;
}

float plx_resolution_controller_update(plx_resolution_controller *c, int64_t time_ns, double gpu_ms,
                                       float rendered_scale, double period_ms)
{
    if (!isfinite(gpu_ms) || gpu_ms < 0 || !isfinite(rendered_scale) || rendered_scale <= 0 ||
        !isfinite(period_ms) || period_ms <= 0)
        return c->scale;
    double dt = 0;
    if (c->samples > 0) {
        int64_t prev = c->time_ns[(c->samples - 1) % PLX_RESOLUTION_WINDOW];
        dt = time_ns > prev ? (double)(time_ns - prev) * 1e-9 : 0.0;
        if (dt > MAX_STEP_S) dt = MAX_STEP_S;
    }
    size_t slot = (size_t)(c->samples % PLX_RESOLUTION_WINDOW);
    c->gpu_ms[slot] = gpu_ms;
    c->rendered[slot] = rendered_scale;
    c->time_ns[slot] = time_ns;
    c->samples++;

    double target_ms = c->target * period_ms, s = c->scale;
    double fast = recent_percentile(c, time_ns, FAST_WINDOW_NS, 50, true);
    float fast_want = clamp_scale(c, fast > 0 ? sqrt(target_ms / fast) : 1.0);
    if (fast * s * s > DROP_RATIO * target_ms) {
        /* down at once: the next frames would miss (never up, from a scale set by hand under the floor) */
        if (fast_want < c->scale) c->scale = fast_want;
        return c->scale;
    }
    if (c->samples < MIN_WINDOW) return c->scale;
    double slow = recent_percentile(c, time_ns, SLOW_WINDOW_NS, 50, true);
    if (slow * s * s > (1.0 + HOLD_BAND) * target_ms) {
        double want = sqrt(target_ms / slow), lowest = s - LOWER_RATE * dt;
        float lower = clamp_scale(c, want > lowest ? want : lowest);
        if (lower < c->scale) c->scale = lower;
    } else if (recent_percentile(c, time_ns, SLOW_WINDOW_NS, 50, false) < (1.0 - RAISE_BAND) * target_ms &&
               (fast_want > c->scale + DEAD_BAND || (fast_want == 1.0f && c->scale < 1.0f))) {
        double highest = s + RAISE_RATE * dt;
        c->scale = clamp_scale(c, fast_want < highest ? fast_want : highest);
    }
    return c->scale;
}
