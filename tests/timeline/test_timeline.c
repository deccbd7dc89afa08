/* SPDX-License-Identifier: MIT */
/* Unit tests of the frame timeline's bookkeeping (no GPU, no OpenXR): missed-frame detection from predicted
 * display times, rolling percentiles, GPU clock conversion, and the trace file staying valid JSON between
 * flushes. Built from libparallax's own sources on a zeroed context: each fake frame goes through the
 * telemetry parts (telemetry/stats.c, trace.c) the way the frame loop (frame.c) hands them a frame. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "plx_context.h"

#define PERIOD 11111111

static plx_context *new_ctx(void)
{
    plx_context *ctx = calloc(1, sizeof *ctx);
    assert_non_null(ctx);
    ctx->report.log_level = PLX_LOG_ERROR;
    ctx->loop_thread = pthread_self();        /* the frame-loop thread, as plx_context_create sets it */
    plx_stats_set_xr_time(&ctx->stats, true); /* the fake frames' times are XrTime */
    return ctx;
}

/* One fake frame displayed at display; cpu_ms as given. */
static void fake_frame(plx_context *ctx, int64_t display, double cpu_ms)
{
    plx_frame_stats *cur = &ctx->loop.current;
    *cur = (plx_frame_stats){
        .index = ctx->loop.frames_waited++,
        .predicted_display_time = display,
        .predicted_display_period = PERIOD,
        .wait_call = display - 3 * PERIOD,
        .wait_return = display - 2 * PERIOD,
        .wake = display - 2 * PERIOD + 1000,
        .gpu_ms = -1.0,
    };
    const plx_frame_stats *missed = plx_stats_frame_waited(&ctx->stats, cur);
    if (missed && ctx->trace) plx_trace_missed(ctx->trace, missed, true);
    cur->begin = cur->wake + 1000;
    cur->record_end = cur->begin + 1000;
    cur->latch = cur->record_end + 1000;
    cur->submit = cur->latch + 1000;
    cur->end = cur->wake + (int64_t)(cpu_ms * 1e6);
    cur->cpu_ms = cpu_ms;
    cur->rendered = true;
    plx_stats_commit(&ctx->stats, cur);
    if (ctx->trace) plx_trace_frame(ctx->trace, plx_stats_newest(&ctx->stats, 0), true);
}

static void missed_frame_is_the_one_before_a_gap(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    int64_t t = 1000000000;
    fake_frame(ctx, t, 1.0);
    fake_frame(ctx, t + PERIOD, 1.0);
    fake_frame(ctx, t + 3 * PERIOD, 1.0);               /* one refresh (t + 2 periods) got no frame */
    fake_frame(ctx, t + 4 * PERIOD + PERIOD / 10, 1.0); /* jitter below half a period: not a miss */
    fake_frame(ctx, t + 8 * PERIOD, 1.0);               /* three refreshes skipped */
    plx_frame_stats st[8];
    assert_int_equal(plx_get_frame_stats(ctx, st, 8), 5);
    assert_false(st[0].missed);
    assert_true(st[1].missed);
    assert_int_equal(st[1].skipped_displays, 1);
    assert_false(st[2].missed);
    assert_true(st[3].missed);
    assert_int_equal(st[3].skipped_displays, 3);
    assert_false(st[4].missed); /* not known until the next frame is waited */
    plx_summary s;
    assert_int_equal(plx_stats_summary(ctx, &s), PLX_SUCCESS);
    assert_int_equal(s.frames_missed, 2);
    assert_int_equal(st[2].wait_call, st[2].predicted_display_time - 3 * PERIOD);
    free(ctx);
}

static void percentiles_are_nearest_rank_over_the_window(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    for (int i = 1; i <= 300; i++) fake_frame(ctx, 1000000000 + (int64_t)i * PERIOD, (double)i);
    /* The ring keeps the last 256 frames: 45..300. */
    double p[4] = {0, 50, 99, 100}, v[4];
    assert_int_equal(plx_stats_percentiles(ctx, PLX_STAT_CPU_MS, 0, p, 4, v), PLX_SUCCESS);
    assert_true(v[0] == 45.0 && v[3] == 300.0);
    assert_true(v[1] == 172.0); /* rank ceil(0.5 * 256) = 128 -> 45 + 127 */
    assert_true(v[2] == 298.0); /* rank ceil(0.99 * 256) = 254 -> 45 + 253 */
    /* A window of the last 10 frames: 291..300. */
    assert_int_equal(plx_stats_percentiles(ctx, PLX_STAT_CPU_MS, 10, p + 1, 1, v), PLX_SUCCESS);
    assert_true(v[0] == 295.0);
    /* No GPU times: -1. */
    assert_int_equal(plx_stats_percentiles(ctx, PLX_STAT_GPU_MS, 0, p + 1, 1, v), PLX_SUCCESS);
    assert_true(v[0] == -1.0);
    /* Bad arguments are refused, not asserted. */
    double bad = 101;
    assert_int_equal(plx_stats_percentiles(ctx, PLX_STAT_CPU_MS, 0, &bad, 1, v), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_stats_percentiles(ctx, (plx_stat_metric)42, 0, p, 1, v), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_stats_percentiles(ctx, PLX_STAT_CPU_MS, 0, p, 1, NULL), PLX_ERROR_INVALID_ARGUMENT);
    free(ctx);
}

static void gpu_ticks_convert_with_the_offset(void **state)
{
    (void)state;
    plx_gpu_clock c = {0};
    plx_vk vk = {.timestamp_period_ns = 2.0, .timestamp_mask = UINT64_MAX};
    assert_int_equal(plx_gpu_clock_to_ns(&c, &vk, 100), 0); /* not calibrated yet */
    c.offset_ns = 5000.0;
    c.offset_valid = true;
    assert_int_equal(plx_gpu_clock_to_ns(&c, &vk, 100), 5200);
    /* Without calibrated timestamps, a frame submitted at 10000 ns that started at tick 100 bounds the
     * offset from below at 9800 ns; a looser bound does not lower it again. */
    plx_gpu_clock_frame(&c, NULL, &vk, 100, 10000);
    assert_int_equal(plx_gpu_clock_to_ns(&c, &vk, 100), 10000);
    plx_gpu_clock_frame(&c, NULL, &vk, 100, 9000);
    assert_int_equal(plx_gpu_clock_to_ns(&c, &vk, 100), 10000);
}

static json_object *parse(const char *path)
{
    json_object *root = json_object_from_file(path);
    assert_non_null(root);
    json_object *events;
    assert_true(json_object_object_get_ex(root, "traceEvents", &events));
    assert_true(json_object_is_type(events, json_type_array));
    return root;
}

static size_t count_named(json_object *root, const char *prefix)
{
    json_object *events, *name;
    json_object_object_get_ex(root, "traceEvents", &events);
    size_t n = 0;
    for (size_t i = 0; i < json_object_array_length(events); i++) {
        json_object *ev = json_object_array_get_idx(events, i);
        if (json_object_object_get_ex(ev, "name", &name) &&
            !strncmp(json_object_get_string(name), prefix, strlen(prefix)))
            n++;
    }
    return n;
}

static void trace_is_valid_json_after_every_flush(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/plx-test-trace-%d.json", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
             (int)getpid());
    plx_context *ctx = new_ctx();
    ctx->trace = plx_trace_open(&ctx->report, path);
    assert_non_null(ctx->trace);
    json_object *root = parse(path); /* just the header and track names */
    assert_int_equal(count_named(root, "frame "), 0);
    json_object_put(root);
    for (int i = 0; i < 100; i++) fake_frame(ctx, 1000000000 + (int64_t)i * PERIOD, 1.0);
    /* Flushed as they went (buffer nearly full, or 90 frames), without closing: what a killed app leaves
     * behind is valid JSON holding whole frames. */
    root = parse(path);
    size_t flushed = count_named(root, "frame ");
    assert_true(flushed >= 40 && flushed < 100);
    assert_int_equal(count_named(root, "predicted display"), flushed);
    assert_int_equal(count_named(root, "xrWaitFrame"), flushed);
    json_object_put(root);
    fake_frame(ctx, 1000000000 + 102 * PERIOD, 1.0); /* a miss after frame 99 */
    plx_trace_close(&ctx->trace);
    assert_null(ctx->trace);
    root = parse(path);
    assert_int_equal(count_named(root, "frame "), 101);
    assert_int_equal(count_named(root, "predicted display"), 101);
    assert_int_equal(count_named(root, "missed"), 2);
    json_object_put(root);
    remove(path);
    /* A path that cannot be created gives NULL, no crash. */
    assert_null(plx_trace_open(&ctx->report, "/nonexistent-dir/trace.json"));
    free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(missed_frame_is_the_one_before_a_gap),
        cmocka_unit_test(percentiles_are_nearest_rank_over_the_window),
        cmocka_unit_test(gpu_ticks_convert_with_the_offset),
        cmocka_unit_test(trace_is_valid_json_after_every_flush),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
