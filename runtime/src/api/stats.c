/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: the statistics (plx_get_frame_stats, plx_stats_percentiles,
 * plx_stats_summary), the latency report (plx_get_latency_info, the latch check) and plx_predict_head.
 * Each first lets the frame loop complete the slots the GPU has finished, so the newest GPU times are in.
 * May call the frame loop and every layer below. */
#include <stdlib.h>

#include "plx_context.h"

static uint32_t get_frame_stats(plx_context *ctx, plx_frame_stats *out, uint32_t max)
{
    if (!ctx || (!out && max)) return 0;
    if (plx_api_check_thread(ctx, "plx_get_frame_stats") < 0) return 0;
    plx_loop_harvest_ready(ctx);
    return plx_stats_copy(&ctx->stats, out, max);
}

plx_result plx_stats_percentiles(plx_context *ctx, plx_stat_metric metric, uint32_t window,
                                 const double *percents, uint32_t count, double *out_values)
{
    if (!ctx || (count && (!percents || !out_values)))
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_stats_percentiles: NULL argument");
    plx_result chk = plx_api_check_thread(ctx, "plx_stats_percentiles");
    if (chk < 0) return chk;
    if (metric < PLX_STAT_CPU_MS || metric > PLX_STAT_POSE_ERROR_MM)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_stats_percentiles: metric %d is not a plx_stat_metric", (int)metric);
    for (uint32_t i = 0; i < count; i++) {
        if (!(percents[i] >= 0 && percents[i] <= 100)) /* NaN too */
            return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_stats_percentiles: percents[%u] = %g is outside 0..100", i, percents[i]);
    }
    plx_loop_harvest_ready(ctx);
    plx_stats_percentiles_of(&ctx->stats, metric, window, percents, count, out_values);
    return PLX_SUCCESS;
}

static plx_result stats_summary(plx_context *ctx, plx_summary *out)
{
    if (!ctx || !out)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_stats_summary: NULL argument");
    plx_result chk = plx_api_check_thread(ctx, "plx_stats_summary");
    if (chk < 0) return chk;
    plx_loop_harvest_ready(ctx);
    plx_stats_summarize(&ctx->stats, out);
    return PLX_SUCCESS;
}

static plx_result get_latency_info(plx_context *ctx, plx_latency_info *out)
{
    if (!ctx || !out)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_get_latency_info: NULL argument");
    plx_result chk = plx_api_check_thread(ctx, "plx_get_latency_info");
    if (chk < 0) return chk;
    plx_loop_harvest_ready(ctx);
    *out = (plx_latency_info){0};
    plx_predict_info(&ctx->predict, out);
    plx_pacing_info(&ctx->pacing, out);
    plx_latch_info(&ctx->latch, out);
    const plx_time *t = &ctx->time;
    out->xr_time_converted = plx_time_known(t);
    out->xr_time_offset_s = plx_time_known(t) ? (double)t->offset_ns * 1e-9 : 0.0;
    out->xr_time_error_us = (double)t->error_bound_ns * 1e-3;
    out->xr_time_convert_us = (double)t->convert_ns * 1e-3;
    return PLX_SUCCESS;
}

uint64_t plx_latch_check_failures(plx_context *ctx)
{
    return ctx ? plx_latch_failures(&ctx->latch) : 0;
}

void plx_debug_corrupt_latch(plx_context *ctx, uint32_t frames)
{
    if (ctx) plx_latch_corrupt(&ctx->latch, frames);
}

static plx_result predict_head(plx_context *ctx, int64_t time, plx_head_pose *out)
{
    if (!ctx || !out)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_predict_head: NULL argument");
    plx_result chk = plx_api_check_thread(ctx, "plx_predict_head");
    if (chk < 0) return chk;
    *out = (plx_head_pose){.orientation = {0, 0, 0, 1}};
    if (time <= 0)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_predict_head: time %lld is not an XrTime (> 0)", (long long)time);
    if (!plx_xr_running(&ctx->xr) || ctx->xr.view_space == XR_NULL_HANDLE) return PLX_SESSION_NOT_RUNNING;
    plx_result res = plx_predict_head_at(&ctx->predict, &ctx->xr, plx_loop_display_time(ctx), time, out);
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    return res;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

/* The array's stride is the app's sizeof(plx_frame_stats); a different stride goes through a copy of the
 * records in the library's own layout. */
uint32_t plx_get_frame_stats_sized(plx_context *ctx, plx_frame_stats *out, uint32_t max, size_t stats_size)
{
    if (!ctx || !out || !max || stats_size == sizeof(plx_frame_stats)) return get_frame_stats(ctx, out, max);
    if (plx_abi_check_size(&ctx->report, "plx_get_frame_stats", "plx_frame_stats", stats_size,
                           PLX_ABI_0_2_FRAME_STATS) < 0)
        return 0;
    uint32_t room = max < PLX_STATS_RING ? max : PLX_STATS_RING; /* the library keeps no more */
    plx_frame_stats *own = malloc(room * sizeof *own);
    if (!own) {
        PLX_FAIL(&ctx->report, PLX_ERROR_OUT_OF_MEMORY, "plx_get_frame_stats: out of memory");
        return 0;
    }
    uint32_t n = get_frame_stats(ctx, own, room);
    for (uint32_t i = 0; i < n; i++)
        plx_abi_copy((char *)out + (size_t)i * stats_size, stats_size, &own[i], sizeof *own);
    free(own);
    return n;
}

plx_result plx_stats_summary_sized(plx_context *ctx, plx_summary *out_summary, size_t summary_size)
{
    if (!out_summary) return stats_summary(ctx, NULL);
    plx_result res = plx_abi_check_size(PLX_REPORT(ctx), "plx_stats_summary", "plx_summary", summary_size,
                                        PLX_ABI_0_2_SUMMARY);
    if (res < 0) return res;
    plx_summary own;
    if ((res = stats_summary(ctx, &own)) >= 0) plx_abi_copy(out_summary, summary_size, &own, sizeof own);
    return res;
}

plx_result plx_get_latency_info_sized(plx_context *ctx, plx_latency_info *out_info, size_t info_size)
{
    if (!out_info) return get_latency_info(ctx, NULL);
    plx_result res = plx_abi_check_size(PLX_REPORT(ctx), "plx_get_latency_info", "plx_latency_info",
                                        info_size, PLX_ABI_0_2_LATENCY_INFO);
    if (res < 0) return res;
    plx_latency_info own;
    if ((res = get_latency_info(ctx, &own)) >= 0) plx_abi_copy(out_info, info_size, &own, sizeof own);
    return res;
}

plx_result plx_predict_head_sized(plx_context *ctx, int64_t time, plx_head_pose *out_pose, size_t pose_size)
{
    if (!out_pose) return predict_head(ctx, time, NULL);
    plx_result res = plx_abi_check_size(PLX_REPORT(ctx), "plx_predict_head", "plx_head_pose", pose_size,
                                        PLX_ABI_0_2_HEAD_POSE);
    if (res < 0) return res;
    plx_head_pose own = {.orientation = {0, 0, 0, 1}};
    res = predict_head(ctx, time, &own);
    plx_abi_copy(out_pose, pose_size, &own, sizeof own); /* identity, not valid, on failure too */
    return res;
}
