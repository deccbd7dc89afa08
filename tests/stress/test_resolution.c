/* SPDX-License-Identifier: MIT */
/* Unit tests of dynamic resolution's context-level API (runtime/src/timing/resolution.c): the desc and
 * environment, plx_set_render_scale / plx_set_dynamic_resolution, and the frame loop's feeding of GPU times
 * to the controller, with a context filled by hand. No GPU, no OpenXR runtime. The controller's own behaviour
 * is tested in test_resolution_controller.c. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "plx_context.h"

/* ---------------------------------------------------------------- the context-level API */

static plx_context *new_ctx(void)
{
    plx_context *ctx = calloc(1, sizeof *ctx);
    assert_non_null(ctx);
    ctx->report.log_level = PLX_LOG_ERROR;
    ctx->loop_thread = pthread_self(); /* the frame-loop thread, as plx_context_create sets it */
    ctx->config.frames_in_flight = 2;
    return ctx;
}

static void set_render_scale_checks_its_argument(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    unsetenv("PARALLAX_DYNAMIC_RESOLUTION");
    assert_int_equal(
        plx_resolution_init(&ctx->resolution, &ctx->report, &(plx_context_desc){.dynamic_resolution = true}),
        PLX_SUCCESS);
    assert_true(plx_get_dynamic_resolution(ctx));
    assert_int_equal(plx_set_render_scale(ctx, 0.0f), PLX_ERROR_INVALID_ARGUMENT);
    assert_non_null(strstr(plx_last_error(ctx), "plx_set_render_scale"));
    assert_int_equal(plx_set_render_scale(ctx, 1.5f), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_set_render_scale(ctx, NAN), PLX_ERROR_INVALID_ARGUMENT);
    assert_true(plx_get_dynamic_resolution(ctx)); /* a refused call changes nothing */
    assert_int_equal(plx_set_render_scale(ctx, 0.75f), PLX_SUCCESS);
    assert_false(plx_get_dynamic_resolution(ctx)); /* set by hand: the controller lets go */
    assert_true(plx_get_render_scale(ctx) == 0.75f);
    assert_int_equal(plx_set_render_scale(NULL, 0.5f), PLX_ERROR_INVALID_ARGUMENT);
    assert_true(plx_get_render_scale(NULL) == 1.0f);
    free(ctx);
}

static void init_reads_desc_and_environment(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    plx_resolution *r = &ctx->resolution;
    setenv("PARALLAX_DYNAMIC_RESOLUTION", "1", 1);
    assert_int_equal(plx_resolution_init(r, &ctx->report, &(plx_context_desc){0}), PLX_SUCCESS);
    assert_true(plx_get_dynamic_resolution(ctx));
    assert_true(r->controller.min_scale == 0.5f); /* the default floor */
    setenv("PARALLAX_DYNAMIC_RESOLUTION", "0", 1);
    assert_int_equal(plx_resolution_init(r, &ctx->report, &(plx_context_desc){.dynamic_resolution = true}),
                     PLX_SUCCESS);
    assert_false(plx_get_dynamic_resolution(ctx));
    setenv("PARALLAX_DYNAMIC_RESOLUTION", "yes", 1); /* not valid: logged, the desc's value kept */
    assert_int_equal(plx_resolution_init(r, &ctx->report, &(plx_context_desc){.dynamic_resolution = true}),
                     PLX_SUCCESS);
    assert_true(plx_get_dynamic_resolution(ctx));
    unsetenv("PARALLAX_DYNAMIC_RESOLUTION");
    assert_int_equal(plx_resolution_init(r, &ctx->report, &(plx_context_desc){.min_render_scale = 0.05f}),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_non_null(strstr(plx_last_error(ctx), "min_render_scale"));
    assert_int_equal(plx_resolution_init(r, &ctx->report, &(plx_context_desc){.min_render_scale = 0.7f}),
                     PLX_SUCCESS);
    assert_true(r->controller.min_scale == 0.7f);
    free(ctx);
}

/* Drives timing/resolution.c the way the frame loop (frame.c) does: plx_frame_begin waits for the slot's
 * previous frame, tells resolution it completed (with its GPU time), then begins the new frame. */
static void begin_frame_feeds_gpu_times_and_sets_the_extent(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    plx_resolution *r = &ctx->resolution;
    ctx->gpu.vk.timestamps = true;
    ctx->gpu.vk.device = (VkDevice)(uintptr_t)1; /* only compared with VK_NULL_HANDLE */
    assert_int_equal(plx_resolution_init(r, &ctx->report, &(plx_context_desc){.dynamic_resolution = true}),
                     PLX_SUCCESS);
    bool in_flight[2] = {false, false};
    uint64_t slot_frame[2] = {0, 0};
    for (uint64_t i = 0; i < 120; i++) {
        uint32_t slot = (uint32_t)(i % 2);
        if (in_flight[slot]) {
            /* The slot's previous frame is done: 20 ms at full scale, fill-bound. */
            float s = r->slot_scale[slot];
            plx_resolution_slot_complete(r, slot, slot_frame[slot], 20.0 * s * s, 0, 11111111);
            in_flight[slot] = false;
        }
        plx_resolution_begin_frame(r, slot, i, 2, true, 256, 200);
        uint32_t w = 0, h = 0;
        plx_resolution_extent(r, &w, &h);
        float s = plx_get_render_scale(ctx);
        assert_int_equal(w, (uint32_t)lroundf(256 * s));
        assert_int_equal(h, (uint32_t)lroundf(200 * s));
        in_flight[slot] = true; /* submitted */
        slot_frame[slot] = i;
    }
    /* 20 ms at full scale against a 5.56 ms target: sqrt(5.56 / 20) = 0.527. */
    float s = plx_get_render_scale(ctx);
    print_message("20 ms frames: settled at scale %.3f (%ux%u)\n", (double)s, r->width, r->height);
    assert_true(fabs(s - 0.527) < 0.03);
    assert_true(r->controller.samples >= 100);
    /* A frame that completed without a GPU time (never committed, the query failed) is not fed. */
    uint64_t samples = r->controller.samples;
    plx_resolution_slot_complete(r, 0, slot_frame[0], -1.0, 0, 11111111);
    plx_resolution_begin_frame(r, 0, 120, 2, true, 256, 200);
    assert_true(r->controller.samples == samples);
    /* Turned off, the scale holds; turned on again, it continues from there. */
    assert_int_equal(plx_set_dynamic_resolution(ctx, false), PLX_SUCCESS);
    assert_true(plx_get_render_scale(ctx) == s);
    assert_int_equal(plx_set_dynamic_resolution(ctx, true), PLX_SUCCESS);
    assert_true(r->controller.scale == s);
    ctx->gpu.vk.timestamps = false;
    assert_int_equal(plx_set_dynamic_resolution(ctx, false), PLX_SUCCESS);
    assert_int_equal(plx_set_dynamic_resolution(ctx, true), PLX_ERROR_UNSUPPORTED);
    free(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(set_render_scale_checks_its_argument),
        cmocka_unit_test(init_reads_desc_and_environment),
        cmocka_unit_test(begin_frame_feeds_gpu_times_and_sets_the_extent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
