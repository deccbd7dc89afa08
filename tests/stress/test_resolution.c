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
    ctx->log_level = PLX_LOG_ERROR;
    ctx->eye_width = 256;
    ctx->eye_height = 200;
    ctx->frames_in_flight = 2;
    return ctx;
}

static void set_render_scale_checks_its_argument(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    unsetenv("PARALLAX_DYNAMIC_RESOLUTION");
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){.dynamic_resolution = true}), PLX_SUCCESS);
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
    setenv("PARALLAX_DYNAMIC_RESOLUTION", "1", 1);
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){0}), PLX_SUCCESS);
    assert_true(plx_get_dynamic_resolution(ctx));
    assert_true(ctx->resolution.controller.min_scale == 0.5f); /* the default floor */
    setenv("PARALLAX_DYNAMIC_RESOLUTION", "0", 1);
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){.dynamic_resolution = true}), PLX_SUCCESS);
    assert_false(plx_get_dynamic_resolution(ctx));
    setenv("PARALLAX_DYNAMIC_RESOLUTION", "yes", 1); /* not valid: logged, the desc's value kept */
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){.dynamic_resolution = true}), PLX_SUCCESS);
    assert_true(plx_get_dynamic_resolution(ctx));
    unsetenv("PARALLAX_DYNAMIC_RESOLUTION");
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){.min_render_scale = 0.05f}),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_non_null(strstr(plx_last_error(ctx), "min_render_scale"));
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){.min_render_scale = 0.7f}), PLX_SUCCESS);
    assert_true(ctx->resolution.controller.min_scale == 0.7f);
    free(ctx);
}

/* Drives plx_resolution_begin_frame the way plx_frame_begin / plx_frame_end do: each frame is committed to
 * the statistics ring, and its GPU time is patched in when its slot comes round again. */
static void begin_frame_feeds_gpu_times_and_sets_the_extent(void **state)
{
    (void)state;
    plx_context *ctx = new_ctx();
    ctx->timestamps = true;
    ctx->device = (VkDevice)(uintptr_t)1; /* only compared with VK_NULL_HANDLE */
    assert_int_equal(plx_resolution_init(ctx, &(plx_context_desc){.dynamic_resolution = true}), PLX_SUCCESS);
    for (uint64_t i = 0; i < 120; i++) {
        plx_frame frame = {.index = i, .slot = (uint32_t)(i % 2), .predicted_display_period = 11111111};
        plx_frame_slot *slot = &ctx->slots[frame.slot];
        if (slot->in_flight) {
            /* The slot's previous frame is done: 20 ms at full scale, fill-bound. */
            float s = ctx->resolution.slot_scale[frame.slot];
            ctx->stats[slot->stats_pos % PLX_STATS_RING].gpu_ms = 20.0 * s * s;
            slot->in_flight = false;
        }
        plx_resolution_begin_frame(ctx, &frame);
        uint32_t w = ctx->resolution.width, h = ctx->resolution.height;
        float s = plx_get_render_scale(ctx);
        assert_int_equal(w, (uint32_t)lroundf(256 * s));
        assert_int_equal(h, (uint32_t)lroundf(200 * s));
        /* submit + commit */
        slot->in_flight = true;
        slot->frame_index = i;
        slot->stats_pos = ctx->frames_ended;
        ctx->current = (plx_frame_stats){.index = i, .predicted_display_period = 11111111, .gpu_ms = -1};
        ctx->stats[ctx->frames_ended % PLX_STATS_RING] = ctx->current;
        ctx->frames_ended++;
    }
    /* 20 ms at full scale against a 5.56 ms target: sqrt(5.56 / 20) = 0.527. */
    float s = plx_get_render_scale(ctx);
    print_message("20 ms frames: settled at scale %.3f (%ux%u)\n", (double)s, ctx->resolution.width,
                  ctx->resolution.height);
    assert_true(fabs(s - 0.527) < 0.03);
    assert_true(ctx->resolution.controller.samples >= 100);
    /* Turned off, the scale holds; turned on again, it continues from there. */
    assert_int_equal(plx_set_dynamic_resolution(ctx, false), PLX_SUCCESS);
    assert_true(plx_get_render_scale(ctx) == s);
    assert_int_equal(plx_set_dynamic_resolution(ctx, true), PLX_SUCCESS);
    assert_true(ctx->resolution.controller.scale == s);
    ctx->timestamps = false;
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
