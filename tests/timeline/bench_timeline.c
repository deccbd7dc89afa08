/* SPDX-License-Identifier: MIT */
/* plx-bench-timeline: the cost of the frame timeline's own bookkeeping per frame, with no GPU and no
 * OpenXR runtime: a context with fake frames runs, per frame, exactly the calls the frame loop makes for
 * the timeline (missed-frame detection at wait, committing the statistics, the trace's CPU slices and
 * predicted-display marker, the GPU slice when a frame's timestamps arrive, the live pose error's queue and
 * after-the-fact check) plus one rolling-percentile query (what a HUD or an app's overlay does each frame).
 * Built from libparallax's own telemetry/ (stats.c, trace.c, pose_error.c) and base/, called the way the
 * frame loop (frame.c) calls them, so it times the real functions;
 * only the pose error's xrLocateSpace is a stub here (no runtime): its real cost, through the loader to the
 * simulated headset, is logged at context destruction (PARALLAX_LOG=info, "pose error: ... us per frame").
 *
 *   plx-bench-timeline [--frames N] [--trace FILE]
 *
 * Prints microseconds per frame without and with the trace beside the 50 us target. Exit status 0 unless
 * setting up fails: the figure is for reading, not a pass/fail on a shared machine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "plx_context.h"

/* Stands in for xrLocateSpace of the VIEW space: the head, a little turned. */
static bool fake_locate(void *user, int64_t t, XrPosef *out_pose, bool *out_position_valid)
{
    (void)user;
    (void)t;
    *out_pose = (XrPosef){.orientation = {0.0f, 0.0087f, 0.0f, 0.99996f}, .position = {0.0f, 0.0f, 0.0f}};
    *out_position_valid = true;
    return true;
}

/* Runs frames fake frames; returns ns per frame. */
static double run(plx_context *ctx, uint32_t frames, int64_t t0)
{
    XrPosef eyes[2] = {{.orientation = {.w = 1.0f}, .position = {.x = -0.032f}},
                       {.orientation = {.w = 1.0f}, .position = {.x = 0.032f}}};
    const int64_t period = 11111111;
    double pct[2] = {50, 99}, out[2];
    int64_t start = plx_now_ns();
    for (uint32_t i = 0; i < frames; i++) {
        int64_t base = t0 + (int64_t)i * period;
        /* Every 50th frame is late: the next display time skips a refresh, so the miss path runs too. */
        int64_t display = base + 2 * period + (int64_t)(i / 50) * period;
        plx_frame_stats *st = &ctx->loop.current;
        *st = (plx_frame_stats){
            .index = ctx->loop.frames_waited++,
            .wait_call = base,
            .predicted_display_time = display,
            .predicted_display_period = period,
            .wait_return = base + 100000,
            .wake = base + 2000000,
            .gpu_ms = -1.0,
        };
        const plx_frame_stats *missed = plx_stats_frame_waited(&ctx->stats, st);
        if (missed && ctx->trace) plx_trace_missed(ctx->trace, missed, true);
        st->begin = st->wake + 50000;
        st->latch = st->wake + 900000;
        st->record_end = st->wake + 1000000;
        st->submit = st->wake + 1100000;
        st->end = st->wake + 1300000;
        st->rendered = true;
        st->cpu_ms = 1.3;
        st->pose_age_ms = 0.2;
        plx_pose_error_frame_ending(&ctx->pose_error, &ctx->stats, &ctx->xr, st, eyes, true);
        plx_stats_commit(&ctx->stats, st);
        if (ctx->trace) plx_trace_frame(ctx->trace, plx_stats_newest(&ctx->stats, 0), true);
        /* The GPU times of the frame before arrive now (as when its slot's fence is seen signalled). */
        uint64_t ended = plx_stats_frames_ended(&ctx->stats);
        plx_frame_stats *g = ended >= 2 ? plx_stats_record(&ctx->stats, ended - 2, st->index - 1) : NULL;
        if (g) {
            g->gpu_start = g->submit + 200000;
            g->gpu_end = g->gpu_start + 4000000;
            g->gpu_ms = 4.0;
            if (ctx->trace) plx_trace_gpu(ctx->trace, g);
        }
        if (plx_stats_percentiles(ctx, PLX_STAT_TOTAL_MS, 128, pct, 2, out) != PLX_SUCCESS) return -1;
    }
    return (double)(plx_now_ns() - start) / frames;
}

int main(int argc, char **argv)
{
    uint32_t frames = 20000;
    char trace_path[512];
    snprintf(trace_path, sizeof trace_path, "%s/plx-bench-timeline-%d.json",
             getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--frames") && i + 1 < argc)
            frames = (uint32_t)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--trace") && i + 1 < argc)
            snprintf(trace_path, sizeof trace_path, "%s", argv[++i]);
        else {
            printf("usage: plx-bench-timeline [--frames N] [--trace FILE]\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (frames < 100) frames = 100;
    plx_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return 2;
    ctx->report.log_level = PLX_LOG_WARN;
    ctx->loop_thread = pthread_self(); /* the frame-loop thread, as plx_context_create sets it */
    /* The fake times are XrTime = CLOCK_MONOTONIC (a known conversion with offset 0). */
    plx_time_init(&ctx->time, &ctx->report);
    ctx->time.known = true;
    plx_stats_set_xr_time(&ctx->stats, true);
    plx_pose_error_init(&ctx->pose_error, &ctx->report, &ctx->time);
    ctx->pose_error.locate = fake_locate;
    /* The fake display times lie in the clock's past (by more than the pose error's settling time), so each
     * frame's check locates the frame queued just before it: one locate per frame, as in the steady state. */
    int64_t t0 = plx_now_ns() - (int64_t)(2 * frames + 2000) * 11111111;
    /* Warm-up, then the measured runs: best of three, as the machine is shared. */
    run(ctx, 1000, t0);
    double plain = 1e30, traced = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double v = run(ctx, frames, t0);
        if (v < 0) return 2;
        if (v < plain) plain = v;
    }
    ctx->trace = plx_trace_open(&ctx->report, trace_path);
    if (!ctx->trace) {
        fprintf(stderr, "plx-bench-timeline: cannot write %s\n", trace_path);
        return 2;
    }
    for (int rep = 0; rep < 3; rep++) {
        double v = run(ctx, frames, t0);
        if (v < 0) return 2;
        if (v < traced) traced = v;
    }
    plx_trace_close(&ctx->trace);
    FILE *f = fopen(trace_path, "rb");
    long size = 0;
    if (f) {
        fseek(f, 0, SEEK_END);
        size = ftell(f);
        fclose(f);
    }
    remove(trace_path);
    printf("timeline overhead (stats + miss detection + percentiles + pose error): %.2f us/frame   target < "
           "50 us\n",
           plain * 1e-3);
    printf("timeline overhead (stats + trace):                                      %.2f us/frame   target < "
           "50 us\n",
           traced * 1e-3);
    printf("pose error: %llu frames located after the fact (stub locate), %llu dropped\n",
           (unsigned long long)ctx->pose_error.checked, (unsigned long long)ctx->pose_error.dropped);
    printf("trace size: %.0f bytes/frame (%u x 3 frames, %ld bytes)\n", (double)size / (3.0 * frames), frames,
           size);
    free(ctx);
    return 0;
}
