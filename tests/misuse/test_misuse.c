/* SPDX-License-Identifier: MIT */
/* API misuse by the app (issue 5 §2): every public function given a NULL context, desc or frame, frame calls
 * out of order and calls after destroy return the documented error result with a message in
 * plx_last_error, and never crash. Runs on the simulated headset (label integration). */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
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

/* The result is `want` and the error slot (ctx's, or the thread's for NULL) holds a message containing
 * `fragment`; the message is printed, so the test log lists every error the misuse cases produce. */
static void expect_error(plx_result got, plx_result want, const plx_context *slot, const char *fragment)
{
    const char *e = plx_last_error(slot);
    printf("  %s: %s\n", plx_result_string(got), e);
    if (got != want) fail_msg("got %s, expected %s (%s)", plx_result_string(got), plx_result_string(want), e);
    if (!strstr(e, fragment)) fail_msg("plx_last_error \"%s\" does not say \"%s\"", e, fragment);
}

/* Runs frames until one is begun with PLX_SUCCESS; it is left begun. */
static void begin_frame(plx_context *ctx, plx_frame *f)
{
    for (int i = 0; i < 200; i++) {
        plx_poll(ctx, NULL);
        if (plx_frame_wait(ctx, f) != PLX_SUCCESS) continue;
        plx_result r = plx_frame_begin(ctx, f);
        if (r == PLX_SUCCESS) return;
        if (r == PLX_FRAME_SKIPPED) plx_frame_end(ctx, f);
    }
    fail_msg("no frame could be begun");
}

/* Issue 8 §4: objects made from a context are safe to destroy after it. The context releases them (their
 * Vulkan and OpenXR objects); their handles then only take _destroy (run under ASan in scripts/test.sh). */
static void context_destroyed_before_scene_and_input(void **state)
{
    (void)state;
    plx_context *ctx = NULL;
    assert_int_equal(setup_ctx((void **)&ctx), 0);
    plx_scene *scene = NULL;
    plx_input *input = NULL;
    assert_int_equal(plx_scene_create(ctx, NULL, &scene), PLX_SUCCESS);
    assert_int_equal(plx_scene_add_cube(scene, &(plx_cube_desc){.transform = {.position = {0, 0, -2}}}, NULL),
                     PLX_SUCCESS);
    assert_int_equal(plx_input_create(ctx, NULL, &input), PLX_SUCCESS);
    for (int i = 0; i < 3; i++) {
        plx_frame f;
        begin_frame(ctx, &f);
        assert_int_equal(plx_scene_draw(scene, &f), PLX_SUCCESS);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
    }
    uint32_t msgs = plx_validation_message_count(ctx);
    plx_context_destroy(&ctx); /* the scene's buffers and the input's action set go with it */
    assert_int_equal(msgs, 0);
    plx_frame f = {0};
    printf("calls on a scene and an input whose context was destroyed:\n");
    expect_error(plx_scene_add_cube(scene, &(plx_cube_desc){0}, NULL), PLX_ERROR_CALL_ORDER, NULL,
                 "plx_scene_add_cube: the scene's context was destroyed");
    expect_error(plx_scene_draw(scene, &f), PLX_ERROR_CALL_ORDER, NULL, "context was destroyed");
    expect_error(plx_scene_set_transform(scene, 0, &(plx_transform){0}), PLX_ERROR_CALL_ORDER, NULL,
                 "context was destroyed");
    expect_error(plx_input_sync(input, 1), PLX_ERROR_CALL_ORDER, NULL,
                 "plx_input_sync: the input's context was destroyed");
    plx_hand_state hs;
    expect_error(plx_input_get_hand(input, PLX_HAND_LEFT, &hs), PLX_ERROR_CALL_ORDER, NULL,
                 "context was destroyed");
    assert_string_equal(plx_input_profile(input, PLX_HAND_LEFT), "");
    plx_scene_destroy(&scene); /* only frees it now */
    plx_input_destroy(&input);
    assert_null(scene);
    assert_null(input);
}

/* A frame value from an earlier frame, or garbage, is refused without being followed. */
static void stale_and_garbage_frames_refused(void **state)
{
    plx_context *ctx = *state;
    plx_scene *scene = NULL;
    assert_int_equal(plx_scene_create(ctx, NULL, &scene), PLX_SUCCESS);
    plx_frame old;
    begin_frame(ctx, &old);
    assert_int_equal(plx_scene_draw(scene, &old), PLX_SUCCESS);
    assert_int_equal(plx_frame_end(ctx, &old), PLX_SUCCESS);
    printf("a frame that was ended:\n");
    expect_error(plx_scene_draw(scene, &old), PLX_ERROR_CALL_ORDER, ctx, "plx_scene_draw: the frame (index");
    plx_frame cur;
    begin_frame(ctx, &cur);
    printf("an earlier frame while a later one is in progress:\n");
    expect_error(plx_scene_draw(scene, &old), PLX_ERROR_CALL_ORDER, ctx, "is not the frame in progress");
    expect_error(plx_frame_post_pass(ctx, &old, NULL), PLX_ERROR_CALL_ORDER, ctx, "plx_frame_post_pass");
    expect_error(plx_frame_end(ctx, &old), PLX_ERROR_CALL_ORDER, ctx, "plx_frame_end");
    plx_frame garbage;
    memset(&garbage, 0xA5, sizeof garbage); /* pointers included: none may be followed */
    printf("a garbage frame:\n");
    expect_error(plx_scene_draw(scene, &garbage), PLX_ERROR_CALL_ORDER, ctx, "is not the frame in progress");
    plx_frame_images im;
    expect_error(plx_frame_get_images(ctx, &garbage, &im), PLX_ERROR_CALL_ORDER, ctx, "plx_frame_get_images");
    expect_error(plx_frame_end(ctx, &garbage), PLX_ERROR_CALL_ORDER, ctx, "plx_frame_end");
    /* A copy of the frame in progress is that frame. */
    plx_frame copy = cur;
    assert_int_equal(plx_scene_draw(scene, &copy), PLX_SUCCESS);
    assert_int_equal(plx_frame_end(ctx, &cur), PLX_SUCCESS);
    plx_scene_destroy(&scene);
}

typedef struct thread_call {
    plx_context *ctx;
    plx_scene *scene;
    plx_result wait, poll, info, cube, summary;
    char message[1024];
} thread_call;

static void *call_from_thread(void *arg)
{
    thread_call *t = arg;
    plx_frame f;
    t->wait = plx_frame_wait(t->ctx, &f);
    snprintf(t->message, sizeof t->message, "%s", plx_last_error(NULL));
    t->poll = plx_poll(t->ctx, NULL);
    plx_vulkan_info vi;
    t->info = plx_get_vulkan_info(t->ctx, &vi);
    t->cube = plx_scene_add_cube(t->scene, &(plx_cube_desc){0}, NULL);
    plx_summary sum;
    t->summary = plx_stats_summary(t->ctx, &sum);
    return NULL;
}

/* Frame-loop functions called from another thread refuse, naming the rule, and touch nothing. */
static void frame_loop_calls_from_another_thread(void **state)
{
    plx_context *ctx = *state;
    plx_scene *scene = NULL;
    assert_int_equal(plx_scene_create(ctx, NULL, &scene), PLX_SUCCESS);
    plx_frame f;
    assert_int_equal(plx_frame_begin(ctx, &(plx_frame){0}), PLX_ERROR_CALL_ORDER); /* a known ctx error */
    char before[1024];
    snprintf(before, sizeof before, "%s", plx_last_error(ctx));
    thread_call t = {.ctx = ctx, .scene = scene};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, call_from_thread, &t), 0);
    pthread_join(th, NULL);
    printf("from another thread:\n  %s: %s\n", plx_result_string(t.wait), t.message);
    assert_int_equal(t.wait, PLX_ERROR_WRONG_THREAD);
    assert_non_null(
        strstr(t.message, "plx_frame_wait: called from a thread other than the context's frame-loop"));
    assert_int_equal(t.poll, PLX_ERROR_WRONG_THREAD);
    assert_int_equal(t.info, PLX_ERROR_WRONG_THREAD);
    assert_int_equal(t.cube, PLX_ERROR_WRONG_THREAD);
    assert_int_equal(t.summary, PLX_ERROR_WRONG_THREAD);
    assert_string_equal(plx_last_error(ctx), before); /* the frame-loop thread's slot is untouched */
    /* Nothing was waited: the frame loop carries on. */
    begin_frame(ctx, &f);
    assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
    plx_scene_destroy(&scene);
}

/* Each error lands in the slot the header says: a live context's own. */
static void errors_land_in_the_documented_slot(void **state)
{
    plx_context *ctx = *state;
    assert_int_equal(plx_poll(NULL, NULL), PLX_ERROR_INVALID_ARGUMENT); /* the thread's slot */
    char thread_before[1024];
    snprintf(thread_before, sizeof thread_before, "%s", plx_last_error(NULL));
    printf("plx_get_vulkan_info(ctx, NULL):\n");
    expect_error(plx_get_vulkan_info(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT, ctx,
                 "plx_get_vulkan_info: out_info is NULL");
    assert_string_equal(plx_last_error(NULL), thread_before);
    expect_error(plx_stats_summary(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT, ctx, "plx_stats_summary");
    expect_error(plx_get_latency_info(ctx, NULL), PLX_ERROR_INVALID_ARGUMENT, ctx, "plx_get_latency_info");
    expect_error(plx_frame_get_images(ctx, &(plx_frame){0}, NULL), PLX_ERROR_INVALID_ARGUMENT, ctx,
                 "plx_frame_get_images");
    assert_string_equal(plx_last_error(NULL), thread_before);
}

static void half_given_eye_size_refused(void **state)
{
    (void)state;
    plx_context *ctx = (plx_context *)&ctx;
    printf("half-given eye sizes:\n");
    expect_error(plx_context_create(&(plx_context_desc){.eye_width = 128}, &ctx), PLX_ERROR_INVALID_ARGUMENT,
                 NULL, "eye_width 128 / eye_height 0: give both");
    assert_null(ctx);
    expect_error(plx_context_create(&(plx_context_desc){.eye_height = 96}, &ctx), PLX_ERROR_INVALID_ARGUMENT,
                 NULL, "eye_height 96");
}

static void non_finite_numbers_refused(void **state)
{
    plx_context *ctx = *state;
    plx_context *bad = NULL;
    printf("non-finite numbers:\n");
    expect_error(plx_context_create(&(plx_context_desc){.near_z = NAN}, &bad), PLX_ERROR_INVALID_ARGUMENT,
                 NULL, "near_z nan");
    expect_error(plx_context_create(&(plx_context_desc){.far_z = INFINITY}, &bad), PLX_ERROR_INVALID_ARGUMENT,
                 NULL, "not finite");
    expect_error(plx_context_create(&(plx_context_desc){.clear_color = {0, NAN, 0, 1}}, &bad),
                 PLX_ERROR_INVALID_ARGUMENT, NULL, "clear_color[1]");
    expect_error(plx_context_create(&(plx_context_desc){.min_render_scale = NAN}, &bad),
                 PLX_ERROR_INVALID_ARGUMENT, NULL, "min_render_scale");
    assert_null(bad);
    plx_scene *scene = NULL;
    expect_error(plx_scene_create(ctx, &(plx_scene_desc){.light_direction = {0, NAN, 0}}, &scene),
                 PLX_ERROR_INVALID_ARGUMENT, ctx, "light_direction");
    expect_error(plx_scene_create(ctx, &(plx_scene_desc){.grid_spacing = INFINITY}, &scene),
                 PLX_ERROR_INVALID_ARGUMENT, ctx, "grid_spacing");
    assert_int_equal(plx_scene_create(ctx, NULL, &scene), PLX_SUCCESS);
    const float pos[9] = {0, 0, 0, 1, 0, 0, 0, NAN, 0};
    const float nrm[9] = {0, 0, 1, 0, 0, 1, 0, 0, INFINITY};
    const uint32_t idx[3] = {0, 1, 2};
    expect_error(plx_scene_add_mesh(
                     scene,
                     &(plx_mesh_desc){.positions = pos, .vertex_count = 3, .indices = idx, .index_count = 3},
                     NULL),
                 PLX_ERROR_INVALID_ARGUMENT, ctx, "vertex 2 has a position that is not finite");
    const float pos_ok[9] = {0, 0, 0, 1, 0, 0, 0, 1, 0};
    expect_error(
        plx_scene_add_mesh(
            scene,
            &(plx_mesh_desc){
                .positions = pos_ok, .normals = nrm, .vertex_count = 3, .indices = idx, .index_count = 3},
            NULL),
        PLX_ERROR_INVALID_ARGUMENT, ctx, "vertex 2 has a normal");
    expect_error(plx_scene_add_cube(scene, &(plx_cube_desc){.color = {NAN, 0, 0}}, NULL),
                 PLX_ERROR_INVALID_ARGUMENT, ctx, "not finite");
    expect_error(plx_scene_set_transform(scene, 0, &(plx_transform){.position = {0, INFINITY, 0}}),
                 PLX_ERROR_INVALID_ARGUMENT, ctx, "not finite");
    expect_error(plx_set_render_scale(ctx, NAN), PLX_ERROR_INVALID_ARGUMENT, ctx, "plx_set_render_scale");
    expect_error(plx_hud_set_value(ctx, 0, "FPS", INFINITY), PLX_ERROR_INVALID_ARGUMENT, ctx,
                 "plx_hud_set_value");
    double pct = NAN, out = 0;
    expect_error(plx_stats_percentiles(ctx, PLX_STAT_CPU_MS, 0, &pct, 1, &out), PLX_ERROR_INVALID_ARGUMENT,
                 ctx, "percents[0]");
    plx_input *input = NULL;
    assert_int_equal(plx_input_create(ctx, NULL, &input), PLX_SUCCESS);
    expect_error(plx_input_haptic(input, PLX_HAND_LEFT, NAN, 0, 0), PLX_ERROR_INVALID_ARGUMENT, ctx,
                 "amplitude nan");
    expect_error(plx_input_haptic(input, PLX_HAND_LEFT, 0.5f, NAN, 0), PLX_ERROR_INVALID_ARGUMENT, ctx,
                 "frequency nan");
    plx_input_destroy(&input);
    plx_scene_destroy(&scene);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_context_everywhere),
        cmocka_unit_test(bad_create_arguments),
        cmocka_unit_test_setup_teardown(frame_calls_out_of_order, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(scene_misuse, setup_ctx, teardown_ctx),
        cmocka_unit_test(calls_after_destroy),
        cmocka_unit_test(context_destroyed_before_scene_and_input),
        cmocka_unit_test_setup_teardown(stale_and_garbage_frames_refused, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(frame_loop_calls_from_another_thread, setup_ctx, teardown_ctx),
        cmocka_unit_test_setup_teardown(errors_land_in_the_documented_slot, setup_ctx, teardown_ctx),
        cmocka_unit_test(half_given_eye_size_refused),
        cmocka_unit_test_setup_teardown(non_finite_numbers_refused, setup_ctx, teardown_ctx),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
