/* Per-frame statistics in a fixed ring: no allocation per frame. GPU times arrive late (when the frame's
 * fence has signalled), so records are patched in place when a slot is harvested. */
#include <stdlib.h>
#include <string.h>

#include "plx_internal.h"

void plx_stats_commit(plx_context *ctx)
{
    ctx->stats[ctx->frames_ended % PLX_STATS_RING] = ctx->current;
    ctx->frames_ended++;
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
    uint64_t ticks = (ts[1] - ts[0]) & ctx->timestamp_mask;
    st->gpu_ms = (double)ticks * ctx->timestamp_period_ns * 1e-6;
    plx_pacing_frame_done(ctx, st);
}

void plx_stats_harvest_ready(plx_context *ctx)
{
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        plx_frame_slot *slot = &ctx->slots[i];
        if (slot->in_flight && vkGetFenceStatus(ctx->device, slot->fence) == VK_SUCCESS)
            plx_stats_harvest_slot(ctx, slot);
    }
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

plx_result plx_stats_summary(plx_context *ctx, plx_summary *out)
{
    if (!ctx || !out) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_stats_summary: NULL argument");
    plx_stats_harvest_ready(ctx);
    double cpu[PLX_STATS_RING], gpu[PLX_STATS_RING];
    uint32_t n = ctx->frames_ended < PLX_STATS_RING ? (uint32_t)ctx->frames_ended : PLX_STATS_RING;
    uint32_t ng = 0, nr = 0;
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
    }
    qsort(cpu, n, sizeof cpu[0], cmp_double);
    qsort(gpu, ng, sizeof gpu[0], cmp_double);
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
    };
    return PLX_SUCCESS;
}
