/* SPDX-License-Identifier: MIT */
/* API misuse by the app (issue 5 §2): every public function given a NULL context, desc or frame, frame calls
 * out of order and calls after destroy return the documented error result with a message in
 * plx_last_error, and never crash. Runs on the simulated headset (label integration). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"

/* plx_last_error(ctx) (or the thread's create error for NULL) must name the function. */
static void assert_error_names(const plx_context *ctx, const char *fn)
{
    const char *e = plx_last_error(ctx);
    assert_non_null(e);
    if (!strstr(e, fn)) fail_msg("plx_last_error \"%s\" does not name %s", e, fn);
}

static void null_context_everywhere(void **state)
{
    (void)state;
    plx_frame frame = {0};
    plx_events ev;
    assert_int_equal(plx_poll(NULL, &ev), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_poll");
    assert_int_equal(plx_request_exit(NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_request_exit");
    assert_int_equal(plx_frame_wait(NULL, &frame), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_frame_wait");
    assert_int_equal(plx_frame_begin(NULL, &frame), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_frame_begin");
    assert_int_equal(plx_frame_end(NULL, &frame), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_frame_end");
    plx_summary sum;
    assert_int_equal(plx_stats_summary(NULL, &sum), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_stats_summary");
    plx_frame_stats st[4];
    assert_int_equal(plx_get_frame_stats(NULL, st, 4), 0);
    plx_vulkan_info vi;
    assert_int_equal(plx_get_vulkan_info(NULL, &vi), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "plx_get_vulkan_info");
    plx_scene *scene = NULL;
    assert_int_equal(plx_scene_create(NULL, NULL, &scene), PLX_ERROR_INVALID_ARGUMENT);
    assert_null(scene);
    assert_int_equal(plx_scene_add_cube(NULL, &(plx_cube_desc){0}, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_scene_set_transform(NULL, 0, &(plx_transform){0}), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_scene_draw(NULL, &frame), PLX_ERROR_INVALID_ARGUMENT);
    /* Accessors and destroy accept NULL. */
    assert_int_equal(plx_validation_message_count(NULL), 0);
    uint32_t w = 7, h = 7;
    plx_get_eye_size(NULL, &w, &h);
    assert_int_equal(w, 0);
    plx_context_destroy(NULL);
    plx_context *none = NULL;
    plx_context_destroy(&none);
    plx_scene_destroy(NULL);
    plx_scene_destroy(&scene);
    assert_non_null(plx_result_string((plx_result)12345));
}

static void bad_create_arguments(void **state)
{
    (void)state;
    assert_int_equal(plx_context_create(NULL, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "out_ctx");
    plx_context *ctx = (plx_context *)&ctx; /* must be overwritten with NULL on failure */
    assert_int_equal(plx_context_create(&(plx_context_desc){.mode = (plx_mode)99}, &ctx),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_null(ctx);
    assert_error_names(NULL, "mode");
    assert_int_equal(plx_context_create(&(plx_context_desc){.frames_in_flight = 9}, &ctx),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "frames_in_flight");
    assert_int_equal(plx_context_create(&(plx_context_desc){.near_z = 2.0f, .far_z = 1.0f}, &ctx),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(NULL, "near_z");
    assert_null(ctx);
}

/* A running context (polls until the session has begun). */
static int setup_ctx(void **state)
{
    plx_context *ctx = NULL;
    if (plx_context_create(
            &(plx_context_desc){
                .app_name = "misuse", .validation = true, .eye_width = 128, .eye_height = 128},
            &ctx) != PLX_SUCCESS) {
        print_error("plx_context_create: %s\n", plx_last_error(NULL));
        return -1;
    }
    plx_events ev = {0};
    for (int i = 0; i < 500 && !ev.running; i++) {
        plx_poll(ctx, &ev);
        if (!ev.running) {
            plx_frame f;
            plx_frame_wait(ctx, &f); /* sleeps 10 ms while not running */
        }
    }
    if (!ev.running) {
        plx_context_destroy(&ctx);
        return -1;
    }
    *state = ctx;
    return 0;
}

static int teardown_ctx(void **state)
{
    plx_context *ctx = *state;
    uint32_t msgs = plx_validation_message_count(ctx);
    plx_context_destroy(&ctx);
    assert_null(ctx);
    return msgs == 0 ? 0 : -1;
}

static void frame_calls_out_of_order(void **state)
{
    plx_context *ctx = *state;
    plx_frame frame = {0};
    /* begin without wait, end without begin */
    assert_int_equal(plx_frame_begin(ctx, &frame), PLX_ERROR_CALL_ORDER);
    assert_error_names(ctx, "plx_frame_begin");
    assert_int_equal(plx_frame_end(ctx, &frame), PLX_ERROR_CALL_ORDER);
    assert_error_names(ctx, "plx_frame_end");
    /* NULL frame */
    assert_int_equal(plx_frame_wait(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_frame_begin(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_frame_end(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT);

    /* wait twice: the second is refused; end before begin is refused; the frame still completes. */
    assert_int_equal(plx_frame_wait(ctx, &frame), PLX_SUCCESS);
    plx_frame second;
    assert_int_equal(plx_frame_wait(ctx, &second), PLX_ERROR_CALL_ORDER);
    assert_error_names(ctx, "plx_frame_wait");
    assert_int_equal(plx_frame_end(ctx, &frame), PLX_ERROR_CALL_ORDER);
    plx_result r = plx_frame_begin(ctx, &frame);
    assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
    /* begin twice */
    assert_int_equal(plx_frame_begin(ctx, &frame), PLX_ERROR_CALL_ORDER);
    /* a stale frame (an older index) cannot be ended in place of the current one */
    plx_frame stale = frame;
    stale.index += 5;
    assert_int_equal(plx_frame_end(ctx, &stale), PLX_ERROR_CALL_ORDER);
    assert_int_equal(plx_frame_end(ctx, &frame), PLX_SUCCESS);
    /* after end, end again is out of order */
    assert_int_equal(plx_frame_end(ctx, &frame), PLX_ERROR_CALL_ORDER);
}

static void scene_misuse(void **state)
{
    plx_context *ctx = *state;
    plx_scene *scene = NULL;
    assert_int_equal(plx_scene_create(ctx, NULL, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_scene_create(ctx, NULL, &scene), PLX_SUCCESS);
    assert_int_equal(plx_scene_add_cube(scene, NULL, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(ctx, "plx_scene_add_cube");
    assert_int_equal(plx_scene_add_mesh(scene, NULL, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_scene_add_mesh(scene, &(plx_mesh_desc){.vertex_count = 3, .index_count = 3}, NULL),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_scene_set_transform(scene, 4242, &(plx_transform){0}), PLX_ERROR_INVALID_ARGUMENT);
    assert_error_names(ctx, "plx_scene_set_transform");
    uint32_t id = 0;
    assert_int_equal(plx_scene_add_cube(scene, &(plx_cube_desc){0}, &id), PLX_SUCCESS);
    assert_int_equal(plx_scene_set_transform(scene, id, NULL), PLX_ERROR_INVALID_ARGUMENT);
    /* drawing into a frame that was not begun */
    plx_frame frame = {0};
    assert_int_equal(plx_scene_draw(scene, &frame), PLX_ERROR_CALL_ORDER);
    assert_int_equal(plx_scene_draw(scene, NULL), PLX_ERROR_INVALID_ARGUMENT);
    plx_scene_destroy(&scene);
    assert_null(scene);
    plx_scene_destroy(&scene); /* twice: a no-op */
}

static void calls_after_destroy(void **state)
{
    (void)state;
    plx_context *ctx = NULL;
    assert_int_equal(setup_ctx((void **)&ctx), 0);
    plx_context_destroy(&ctx);
    assert_null(ctx); /* destroy NULLs the handle, so later calls get NULL */
    plx_frame frame = {0};
    assert_int_equal(plx_frame_wait(ctx, &frame), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_poll(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_request_exit(ctx), PLX_ERROR_INVALID_ARGUMENT);
    plx_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_context_everywhere),
        cmocka_unit_test(bad_create_arguments),
        cmocka_unit_test_setup_teardown(frame_calls_out_of_order, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(scene_misuse, setup_ctx, teardown_ctx),
        cmocka_unit_test(calls_after_destroy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
