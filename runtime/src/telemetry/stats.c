/* Per-frame statistics in a fixed ring: no allocation per frame. GPU times arrive late (when the frame's
 * fence has signalled), so records are patched in place when a slot is harvested. Also the GPU clock
 * calibration (timestamp ticks -> CLOCK_MONOTONIC) and the missed-frame detection. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

/* Recalibrate now and then: the GPU and CPU clocks drift apart slowly (ppm), far below a frame over this. */
#define PLX_RECALIBRATE_EVERY 512

void plx_stats_commit(plx_context *ctx)
{
    ctx->stats[ctx->frames_ended % PLX_STATS_RING] = ctx->current;
    ctx->frames_ended++;
}

void plx_timeline_calibrate(plx_context *ctx)
{
    plx_timeline *tl = &ctx->timeline;
    if (!tl->calibrated_ext || !tl->get_calibrated) return;
    VkCalibratedTimestampInfoEXT info[2] = {
        {.sType = VK_STRUCTURE_TYPE_CALIBRATED_TIMESTAMP_INFO_EXT, .timeDomain = VK_TIME_DOMAIN_DEVICE_EXT},
        {.sType = VK_STRUCTURE_TYPE_CALIBRATED_TIMESTAMP_INFO_EXT,
         .timeDomain = VK_TIME_DOMAIN_CLOCK_MONOTONIC_EXT},
    };
    uint64_t ts[2] = {0, 0}, deviation = 0;
    VkResult vr = tl->get_calibrated(ctx->device, 2, info, ts, &deviation);
    if (vr != VK_SUCCESS) {
        /* Fall back to the offset measured at submission rather than fail the frame loop. */
        plx_log(ctx, PLX_LOG_WARN, "vkGetCalibratedTimestampsEXT failed: %s; GPU times use the submit offset",
                plx_vk_result_name(vr));
        tl->calibrated_ext = false;
        tl->gpu_offset_valid = false;
        return;
    }
    tl->gpu_offset_ns = (double)ts[1] - (double)(ts[0] & ctx->timestamp_mask) * ctx->timestamp_period_ns;
    tl->gpu_offset_valid = true;
    tl->harvests_since_calibration = 0;
}

int64_t plx_timeline_gpu_to_ns(const plx_context *ctx, uint64_t ticks)
{
    const plx_timeline *tl = &ctx->timeline;
    if (!tl->gpu_offset_valid) return 0;
    return (int64_t)llround((double)ticks * ctx->timestamp_period_ns + tl->gpu_offset_ns);
}

void plx_stats_harvest_slot(plx_context *ctx, plx_frame_slot *slot)
{
    if (!slot->in_flight) return;
    slot->in_flight = false;
    plx_latch_frame_complete(ctx, (uint32_t)(slot - ctx->slots));
    if (!ctx->timestamps) return;
    /* Older than the ring (or never committed because xrEndFrame failed): nothing to patch. */
    if (slot->stats_pos >= ctx->frames_ended || ctx->frames_ended - slot->stats_pos > PLX_STATS_RING) return;
    plx_frame_stats *st = &ctx->stats[slot->stats_pos % PLX_STATS_RING];
    if (st->index != slot->frame_index) return;
    uint64_t ts[2] = {0, 0};
    uint32_t first = (uint32_t)(slot - ctx->slots) * 2;
    VkResult vr = vkGetQueryPoolResults(ctx->device, ctx->query_pool, first, 2, sizeof ts, ts, sizeof ts[0],
                                        VK_QUERY_RESULT_64_BIT);
    if (vr != VK_SUCCESS) {
        /* Not fatal for the frame loop: the frame simply has no GPU time. */
        plx_log(ctx, PLX_LOG_WARN, "vkGetQueryPoolResults failed: %s", plx_vk_result_name(vr));
        return;
    }
    ts[0] &= ctx->timestamp_mask;
    ts[1] &= ctx->timestamp_mask;
    uint64_t ticks = (ts[1] - ts[0]) & ctx->timestamp_mask;
    st->gpu_ms = (double)ticks * ctx->timestamp_period_ns * 1e-6;

    plx_timeline *tl = &ctx->timeline;
    if (tl->calibrated_ext) {
        if (++tl->harvests_since_calibration >= PLX_RECALIBRATE_EVERY) plx_timeline_calibrate(ctx);
    }
    if (!tl->calibrated_ext && st->submit > 0) {
        /* No calibrated timestamps: the GPU cannot start a frame before it was submitted, so submit minus
         * the start tick bounds the offset from below; the largest bound seen (the frame the GPU picked up
         * fastest) is the closest estimate. */
        double bound = (double)st->submit - (double)ts[0] * ctx->timestamp_period_ns;
        if (!tl->gpu_offset_valid || bound > tl->gpu_offset_ns) {
            tl->gpu_offset_ns = bound;
            tl->gpu_offset_valid = true;
        }
    }
    st->gpu_start = plx_timeline_gpu_to_ns(ctx, ts[0]);
    st->gpu_end =
        st->gpu_start ? st->gpu_start + (int64_t)llround((double)ticks * ctx->timestamp_period_ns) : 0;
    plx_pacing_frame_done(ctx, st);
    if (tl->trace && st->gpu_start) plx_trace_gpu(tl->trace, st);
}

void plx_stats_harvest_ready(plx_context *ctx)
{
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        plx_frame_slot *slot = &ctx->slots[i];
        if (slot->in_flight && vkGetFenceStatus(ctx->device, slot->fence) == VK_SUCCESS)
            plx_stats_harvest_slot(ctx, slot);
    }
}

void plx_timeline_frame_waited(plx_context *ctx)
{
    plx_timeline *tl = &ctx->timeline;
    ctx->current.wait_call = ctx->lat.wait_call; /* set by plx_frame_wait just before xrWaitFrame */
    const plx_frame_stats *cur = &ctx->current;
    if (tl->have_prev && cur->index == tl->prev_index + 1 && cur->predicted_display_period > 0) {
        int64_t gap = cur->predicted_display_time - tl->prev_display_time;
        /* One period apart is the steady state; a gap of two or more means the refreshes between got no
         * new frame (the runtime moved this frame's target on because the previous one came back late). */
        if (gap * 2 > cur->predicted_display_period * 3) {
            uint32_t skipped =
                (uint32_t)((gap + cur->predicted_display_period / 2) / cur->predicted_display_period) - 1;
            tl->frames_missed++;
            /* The previous frame is normally the newest record; after a failed plx_frame_end it is not
             * there, and the miss is counted without a record to mark. */
            if (ctx->frames_ended > 0) {
                plx_frame_stats *prev = &ctx->stats[(ctx->frames_ended - 1) % PLX_STATS_RING];
                if (prev->index == tl->prev_index) {
                    prev->missed = true;
                    prev->skipped_displays = skipped;
                    if (tl->trace) plx_trace_missed(tl->trace, prev);
                }
            }
        }
    }
    tl->have_prev = true;
    tl->prev_index = cur->index;
    tl->prev_display_time = cur->predicted_display_time;
}

uint32_t plx_get_frame_stats(plx_context *ctx, plx_frame_stats *out, uint32_t max)
{
    if (!ctx || (!out && max)) return 0;
    plx_stats_harvest_ready(ctx);
    uint64_t have = ctx->frames_ended < PLX_STATS_RING ? ctx->frames_ended : PLX_STATS_RING;
    uint32_t n = have < max ? (uint32_t)have : max;
    for (uint32_t i = 0; i < n; i++) out[i] = ctx->stats[(ctx->frames_ended - n + i) % PLX_STATS_RING];
    return n;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *sorted, uint32_t n, double p)
{
    if (n == 0) return -1.0;
    uint32_t rank = (uint32_t)(p / 100.0 * n + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

/* The metric of one record, or false when the frame does not have it. */
static bool metric_of(const plx_frame_stats *st, plx_stat_metric metric, double *out)
{
    switch (metric) {
    case PLX_STAT_CPU_MS:
        *out = st->cpu_ms;
        return true;
    case PLX_STAT_GPU_MS:
        *out = st->gpu_ms;
        return st->gpu_ms >= 0;
    case PLX_STAT_TOTAL_MS:
        if (!st->rendered) {
            *out = st->cpu_ms; /* nothing went to the GPU */
            return true;
        }
        *out = (double)(st->gpu_end - st->wake) * 1e-6;
        return st->gpu_end > 0;
    case PLX_STAT_WAIT_MS:
        *out = (double)(st->wake - st->wait_call) * 1e-6;
        return st->wait_call > 0;
    case PLX_STAT_POSE_AGE_MS:
        *out = st->pose_age_ms;
        return st->rendered;
    case PLX_STAT_POSE_ERROR_DEG:
        *out = st->pose_error_deg;
        return st->pose_error_deg >= 0;
    case PLX_STAT_PHOTON_AGE_MS:
        *out = st->photon_age_ms;
        return st->rendered;
    case PLX_STAT_POSE_ERROR_MM:
        *out = st->pose_error_mm;
        return st->pose_error_mm >= 0;
    }
    return false;
}

void plx_stats_metric_values(const plx_context *ctx, plx_stat_metric metric, uint32_t window, double *out,
                             uint32_t *out_n)
{
    uint32_t have = ctx->frames_ended < PLX_STATS_RING ? (uint32_t)ctx->frames_ended : PLX_STATS_RING;
    if (window == 0 || window > have) window = have;
    uint32_t n = 0;
    for (uint32_t i = 0; i < window; i++) {
        const plx_frame_stats *st = &ctx->stats[(ctx->frames_ended - window + i) % PLX_STATS_RING];
        if (metric_of(st, metric, &out[n])) n++;
    }
    *out_n = n;
}

plx_result plx_stats_percentiles(plx_context *ctx, plx_stat_metric metric, uint32_t window,
                                 const double *percents, uint32_t count, double *out_values)
{
    if (!ctx || (count && (!percents || !out_values)))
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_stats_percentiles: NULL argument");
    if (metric < PLX_STAT_CPU_MS || metric > PLX_STAT_POSE_ERROR_MM)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_stats_percentiles: metric %d is not a "
                        "plx_stat_metric",
                        (int)metric);
    for (uint32_t i = 0; i < count; i++) {
        if (!(percents[i] >= 0 && percents[i] <= 100))
            return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_stats_percentiles: percents[%u] = %g is outside 0..100", i, percents[i]);
    }
    plx_stats_harvest_ready(ctx);
    double values[PLX_STATS_RING];
    uint32_t n = 0;
    plx_stats_metric_values(ctx, metric, window, values, &n);
    qsort(values, n, sizeof values[0], cmp_double);
    for (uint32_t i = 0; i < count; i++) out_values[i] = percentile(values, n, percents[i]);
    return PLX_SUCCESS;
}

plx_result plx_stats_summary(plx_context *ctx, plx_summary *out)
{
    if (!ctx || !out) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_stats_summary: NULL argument");
    plx_stats_harvest_ready(ctx);
    double cpu[PLX_STATS_RING], gpu[PLX_STATS_RING], total[PLX_STATS_RING];
    uint32_t n = ctx->frames_ended < PLX_STATS_RING ? (uint32_t)ctx->frames_ended : PLX_STATS_RING;
    uint32_t ng = 0, nr = 0, nt = 0;
    double cpu_sum = 0, gpu_sum = 0, age_sum = 0;
    for (uint32_t i = 0; i < n; i++) {
        const plx_frame_stats *st = &ctx->stats[(ctx->frames_ended - n + i) % PLX_STATS_RING];
        cpu[i] = st->cpu_ms;
        cpu_sum += st->cpu_ms;
        if (st->gpu_ms >= 0) {
            gpu[ng++] = st->gpu_ms;
            gpu_sum += st->gpu_ms;
        }
        if (st->rendered) {
            age_sum += st->pose_age_ms;
            nr++;
        }
        if (metric_of(st, PLX_STAT_TOTAL_MS, &total[nt])) nt++;
    }
    qsort(cpu, n, sizeof cpu[0], cmp_double);
    qsort(gpu, ng, sizeof gpu[0], cmp_double);
    qsort(total, nt, sizeof total[0], cmp_double);
    *out = (plx_summary){
        .frames = ctx->frames_ended,
        .frames_window = n,
        .cpu_mean_ms = n ? cpu_sum / n : 0.0,
        .cpu_p50_ms = n ? percentile(cpu, n, 50) : 0.0,
        .cpu_p99_ms = n ? percentile(cpu, n, 99) : 0.0,
        .gpu_mean_ms = ng ? gpu_sum / ng : -1.0,
        .gpu_p50_ms = percentile(gpu, ng, 50),
        .gpu_p99_ms = percentile(gpu, ng, 99),
        .pose_age_mean_ms = nr ? age_sum / nr : 0.0,
        .frames_missed = ctx->timeline.frames_missed,
        .total_p50_ms = percentile(total, nt, 50),
        .total_p99_ms = percentile(total, nt, 99),
    };
    return PLX_SUCCESS;
}
