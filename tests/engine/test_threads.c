/* SPDX-License-Identifier: MIT */
/* Recording the pass on several threads (plx_context_desc.pass_threads, issue 8 §1), on the simulated headset
 * with both validation layers on:
 *  - three threads (pthread) each record a square of their own colour into their pass secondary every frame
 *    (plx_frame_pass_secondary / plx_frame_end_pass_secondary), while the frame-loop thread draws a fourth
 *    into plx_frame.cmd; the squares are placed in the world and drawn through the frame's uniforms by
 *    gl_ViewIndex. In the capture each square is in both eyes, within 1.5 px of where the frame's
 * late-latched views project it (the eyes are 6 px apart there, so a secondary drawing the wrong eye's
 * matrices fails). On the render pass per eye that Mesa lavapipe gets by default (each secondary runs in both
 * eyes' passes), on one multiview pass (PARALLAX_MULTIVIEW_WORKAROUND=off), and per eye with MSAA 4x; the
 * latch check counts 0 failures in each;
 *  - misuse: more threads than configured, a context without them, PLX_PASS_APP, a secondary of an earlier
 *    frame, ending one twice or one that is not a pass secondary, plx_frame_end / plx_frame_post_pass while
 *    one still records (refused, nothing changed: the frame then ends normally), asking from another thread,
 *    asking after the post phase began. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "engine_pipeline.h"
#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"
#include "plx_test_capture.h"
#include "solid.frag.spv.h"
#include "world_quad.vert.spv.h"

#define EYE           96
#define FRAMES        24
#define CAPTURE_FRAME 16
#define THREADS       3

static const char *capture_path = "threads_capture.png";

typedef struct push_data {
    float center_half[4]; /* centre xyz, half size */
    float color[4];
} push_data;

/* The four squares: 0..2 drawn by the threads, 3 by the frame-loop thread into frame.cmd; 0.5 m ahead. */
static const push_data squares[THREADS + 1] = {
    {{-0.15f, 0.04f, -0.5f, 0.035f}, {1, 0, 0, 1}},
    {{-0.05f, -0.04f, -0.5f, 0.035f}, {0, 1, 0, 1}},
    {{0.05f, 0.04f, -0.5f, 0.035f}, {0, 0, 1, 1}},
    {{0.15f, -0.04f, -0.5f, 0.035f}, {1, 1, 0, 1}},
};
static const char *const names[THREADS + 1] = {"thread 0 (red)", "thread 1 (green)", "thread 2 (blue)",
                                               "frame.cmd (yellow)"};

typedef struct app {
    plx_context *ctx;
    plx_vulkan_info vk;
    VkPipelineLayout layout;
    VkPipeline pipeline;
    /* this frame's work, read by the threads after the start barrier */
    plx_frame frame;
    VkCommandBuffer cmd[THREADS];
    plx_result ended[THREADS];
    bool quit;
    pthread_barrier_t start, done;
} app;

typedef struct worker {
    app *a;
    int index;
} worker;

/* A pipeline for libparallax's render pass at its sample count, reading set 0 (the frame's uniforms). */
static void make_pipeline(app *a)
{
    VkPushConstantRange pr = {VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                              sizeof(push_data)};
    VkPipelineLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &a->vk.frame_set_layout,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &pr,
    };
    assert_int_equal(vkCreatePipelineLayout(a->vk.device, &li, NULL, &a->layout), VK_SUCCESS);
    a->pipeline = engine_test_pipeline(a->vk.device, a->vk.render_pass, a->layout, world_quad_vert_spv,
                                       sizeof world_quad_vert_spv, solid_frag_spv, sizeof solid_frag_spv,
                                       a->vk.samples);
}

static void draw_square(const app *a, VkCommandBuffer cmd, VkDescriptorSet frame_set, int which)
{
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a->pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a->layout, 0, 1, &frame_set, 0, NULL);
    vkCmdPushConstants(cmd, a->layout, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                       sizeof(push_data), &squares[which]);
    vkCmdDraw(cmd, 6, 1, 0, 0);
}

/* A recording thread: each frame, its square into its secondary, then the secondary ended. */
static void *work(void *arg)
{
    const worker *w = arg;
    app *a = w->a;
    for (;;) {
        pthread_barrier_wait(&a->start);
        if (a->quit) break;
        draw_square(a, a->cmd[w->index], a->frame.frame_set, w->index);
        a->ended[w->index] = plx_frame_end_pass_secondary(a->ctx, a->cmd[w->index]);
        pthread_barrier_wait(&a->done);
    }
    return NULL;
}

/* ---------------------------------------------------------------- the capture */

/* Where a view sees a point, in pixels of its eye (column-major matrices, Vulkan clip space: y down). */
static void project(const plx_view *v, const float p[3], double out[2])
{
    double e[4], c[4];
    for (int r = 0; r < 4; r++)
        e[r] = v->view[r] * p[0] + v->view[4 + r] * p[1] + v->view[8 + r] * p[2] + v->view[12 + r];
    for (int r = 0; r < 4; r++)
        c[r] = v->proj[r] * e[0] + v->proj[4 + r] * e[1] + v->proj[8 + r] * e[2] + v->proj[12 + r] * e[3];
    out[0] = (c[0] / c[3] * 0.5 + 0.5) * EYE;
    out[1] = (c[1] / c[3] * 0.5 + 0.5) * EYE;
}

/* The centre of the pixels of colour c (every channel within 30) in one eye; their count. */
static int centroid(const image *im, int eye, const float color[4], double out[2])
{
    int n = 0;
    double sx = 0, sy = 0;
    for (int y = 0; y < im->h; y++) {
        for (int x = 0; x < EYE; x++) {
            const unsigned char *p = im->rgba + ((size_t)y * (size_t)im->w + (size_t)(eye * EYE + x)) * 4;
            bool same = true;
            for (int k = 0; k < 3; k++) same = same && abs(p[k] - (int)(color[k] * 255.0f)) <= 30;
            if (!same) continue;
            n++;
            sx += x + 0.5;
            sy += y + 0.5;
        }
    }
    out[0] = n ? sx / n : -1;
    out[1] = n ? sy / n : -1;
    return n;
}

/* ---------------------------------------------------------------- runs */

typedef struct run {
    const char *workaround; /* PARALLAX_MULTIVIEW_WORKAROUND */
    uint32_t samples;
} run;

static void render(const run *rn)
{
    setenv("PARALLAX_SIM_EYE_SIZE", "96x96", 1);
    setenv("PARALLAX_SIM_MOTION", "still", 1);
    setenv("PARALLAX_SIM_CAPTURE", capture_path, 1);
    setenv("PARALLAX_SIM_CAPTURE_FRAME", "16", 1);
    setenv("PARALLAX_MULTIVIEW_WORKAROUND", rn->workaround, 1);
    remove(capture_path);
    app a = {0};
    plx_context_desc d = {
        .app_name = "test_threads",
        .validation = true,
        .latch_check = true,
        .eye_width = EYE,
        .eye_height = EYE,
        .samples = rn->samples,
        .pass_threads = THREADS,
        .clear_color = {0, 0, 0, 1},
    };
    if (plx_context_create(&d, &a.ctx) != PLX_SUCCESS)
        fail_msg("plx_context_create: %s", plx_last_error(NULL));
    assert_int_equal(plx_get_vulkan_info(a.ctx, &a.vk), PLX_SUCCESS);
    make_pipeline(&a);
    assert_int_equal(pthread_barrier_init(&a.start, NULL, THREADS + 1), 0);
    assert_int_equal(pthread_barrier_init(&a.done, NULL, THREADS + 1), 0);
    pthread_t threads[THREADS];
    worker workers[THREADS];
    for (int i = 0; i < THREADS; i++) {
        workers[i] = (worker){&a, i};
        assert_int_equal(pthread_create(&threads[i], NULL, work, &workers[i]), 0);
    }
    plx_frame f;
    int recorded = 0;
    for (int i = 0; i < FRAMES;) {
        plx_events ev;
        plx_poll(a.ctx, &ev);
        plx_result r = plx_frame_wait(a.ctx, &f);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(a.ctx, &f);
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        if (r == PLX_SUCCESS) {
            for (uint32_t t = 0; t < THREADS; t++) {
                assert_int_equal(plx_frame_pass_secondary(a.ctx, &f, t, &a.cmd[t]), PLX_SUCCESS);
                assert_ptr_not_equal(a.cmd[t], f.cmd);
            }
            a.frame = f;
            pthread_barrier_wait(&a.start);               /* the threads record ... */
            draw_square(&a, f.cmd, f.frame_set, THREADS); /* ... while this thread records frame.cmd */
            pthread_barrier_wait(&a.done);
            for (int t = 0; t < THREADS; t++) assert_int_equal(a.ended[t], PLX_SUCCESS);
            recorded++;
        }
        assert_int_equal(plx_frame_end(a.ctx, &f), PLX_SUCCESS);
        i++;
    }
    a.quit = true;
    pthread_barrier_wait(&a.start);
    for (int i = 0; i < THREADS; i++) pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&a.start);
    pthread_barrier_destroy(&a.done);
    uint64_t latch_failures = plx_latch_check_failures(a.ctx);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(a.ctx, &li), PLX_SUCCESS);
    assert_int_equal(plx_wait_gpu_idle(a.ctx), PLX_SUCCESS);
    vkDestroyPipeline(a.vk.device, a.pipeline, NULL);
    vkDestroyPipelineLayout(a.vk.device, a.layout, NULL);
    uint32_t msgs = plx_validation_message_count(a.ctx);
    plx_context_destroy(&a.ctx);
    printf("%s, %ux: %d frames recorded on %d threads + frame.cmd; latch check: %llu frames, %llu failures; "
           "validation messages %u\n",
           strcmp(rn->workaround, "off") ? "a render pass per eye" : "one multiview pass", rn->samples,
           recorded, THREADS, (unsigned long long)li.latch_frames_checked, (unsigned long long)latch_failures,
           msgs);
    assert_int_equal(msgs, 0);
    assert_true(li.latch_frames_checked >= 10);
    assert_int_equal(latch_failures, 0);

    image im;
    load_png(capture_path, &im);
    char kept[96]; /* each run's capture is kept, to look at */
    snprintf(kept, sizeof kept, "threads_%s_%ux.png", rn->workaround, rn->samples);
    rename(capture_path, kept);
    assert_int_equal(im.w, 2 * EYE);
    for (int s = 0; s < THREADS + 1; s++) {
        for (int eye = 0; eye < 2; eye++) {
            double want[2], got[2];
            project(&f.views[eye], squares[s].center_half, want);
            int n = centroid(&im, eye, squares[s].color, got);
            double err = hypot(got[0] - want[0], got[1] - want[1]);
            printf("  %s, %s eye: %d px, centre (%.2f, %.2f), projected (%.2f, %.2f): %.2f px off\n",
                   names[s], eye ? "right" : "left", n, got[0], got[1], want[0], want[1], err);
            if (n < 20) fail_msg("%s is not in the %s eye (%d px)", names[s], eye ? "right" : "left", n);
            if (err > 1.5)
                fail_msg("%s is %.2f px off its projection in the %s eye (bound 1.5)", names[s], err,
                         eye ? "right" : "left");
        }
    }
    free(im.rgba);
}

static void threads_draw_in_both_eyes_per_eye_pass(void **state)
{
    (void)state;
    render(&(run){"auto", 1});
}

static void threads_draw_in_both_eyes_one_multiview_pass(void **state)
{
    (void)state;
    render(&(run){"off", 1});
}

static void threads_draw_in_both_eyes_per_eye_pass_msaa(void **state)
{
    (void)state;
    render(&(run){"auto", 4});
}

/* ---------------------------------------------------------------- misuse */

static void expect(plx_result got, plx_result want, const char *error, const char *says)
{
    printf("  %s: %s\n", plx_result_string(got), error);
    assert_int_equal(got, want);
    if (!strstr(error, says)) fail_msg("the error does not say \"%s\": %s", says, error);
}

typedef struct other_call {
    plx_context *ctx;
    const plx_frame *frame;
    VkCommandBuffer cmd; /* to end, or VK_NULL_HANDLE: ask for secondary 0 */
    plx_result result;
    char error[512];
} other_call;

static void *call_from_other_thread(void *arg)
{
    other_call *c = arg;
    VkCommandBuffer got = VK_NULL_HANDLE;
    c->result = c->cmd ? plx_frame_end_pass_secondary(c->ctx, c->cmd)
                       : plx_frame_pass_secondary(c->ctx, c->frame, 0, &got);
    snprintf(c->error, sizeof c->error, "%s", plx_last_error(NULL));
    return NULL;
}

static void on_other_thread(other_call *c)
{
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, call_from_other_thread, c), 0);
    pthread_join(t, NULL);
}

/* Waits and begins frames until one begins with PLX_SUCCESS. */
static void begin_rendered(plx_context *ctx, plx_frame *f)
{
    for (;;) {
        plx_events ev;
        plx_poll(ctx, &ev);
        plx_result r = plx_frame_wait(ctx, f);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(ctx, f);
        if (r == PLX_SUCCESS) return;
        assert_int_equal(r, PLX_FRAME_SKIPPED);
        assert_int_equal(plx_frame_end(ctx, f), PLX_SUCCESS);
    }
}

static void misuse_is_refused_by_name(void **state)
{
    (void)state;
    setenv("PARALLAX_SIM_EYE_SIZE", "32x32", 1);
    unsetenv("PARALLAX_SIM_CAPTURE");
    setenv("PARALLAX_MULTIVIEW_WORKAROUND", "auto", 1);
    plx_context *ctx = NULL;
    plx_context_desc d = {.app_name = "test_threads", .validation = true, .eye_width = 32, .eye_height = 32};
    d.pass_threads = PLX_MAX_PASS_THREADS + 1;
    expect(plx_context_create(&d, &ctx), PLX_ERROR_INVALID_ARGUMENT, plx_last_error(NULL), "is above 16");
    d.pass_threads = 2;
    d.pass = PLX_PASS_APP;
    expect(plx_context_create(&d, &ctx), PLX_ERROR_INVALID_ARGUMENT, plx_last_error(NULL), "PLX_PASS_APP");

    /* A context without pass threads has no secondaries to hand out. */
    d.pass_threads = 0;
    d.pass = PLX_PASS_LIBRARY;
    assert_int_equal(plx_context_create(&d, &ctx), PLX_SUCCESS);
    plx_frame f;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    begin_rendered(ctx, &f);
    expect(plx_frame_pass_secondary(ctx, &f, 0, &cmd), PLX_ERROR_INVALID_ARGUMENT, plx_last_error(ctx),
           "pass_threads");
    assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
    assert_int_equal(plx_validation_message_count(ctx), 0);
    plx_context_destroy(&ctx);

    d.pass_threads = 2;
    assert_int_equal(plx_context_create(&d, &ctx), PLX_SUCCESS);
    begin_rendered(ctx, &f);
    expect(plx_frame_pass_secondary(ctx, &f, 2, &cmd), PLX_ERROR_INVALID_ARGUMENT, plx_last_error(ctx),
           "beyond the 2 secondaries");
    /* Only the frame-loop thread hands them out. */
    other_call oc = {.ctx = ctx, .frame = &f};
    on_other_thread(&oc);
    expect(oc.result, PLX_ERROR_WRONG_THREAD, oc.error, "frame-loop thread");
    VkCommandBuffer s0 = VK_NULL_HANDLE, s1 = VK_NULL_HANDLE, again = VK_NULL_HANDLE;
    assert_int_equal(plx_frame_pass_secondary(ctx, &f, 0, &s0), PLX_SUCCESS);
    assert_int_equal(plx_frame_pass_secondary(ctx, &f, 1, &s1), PLX_SUCCESS);
    assert_int_equal(plx_frame_pass_secondary(ctx, &f, 0, &again), PLX_SUCCESS);
    assert_ptr_equal(again, s0); /* the same buffer while it records */
    expect(plx_frame_end_pass_secondary(ctx, f.cmd), PLX_ERROR_INVALID_ARGUMENT, plx_last_error(NULL),
           "not one of the context's pass secondaries");
    assert_int_equal(plx_frame_end_pass_secondary(ctx, s0), PLX_SUCCESS);
    expect(plx_frame_pass_secondary(ctx, &f, 0, &again), PLX_ERROR_CALL_ORDER, plx_last_error(ctx),
           "ended already");
    /* Secondary 1 still records: the pass may not end, and nothing changes. */
    expect(plx_frame_end(ctx, &f), PLX_ERROR_CALL_ORDER, plx_last_error(ctx),
           "secondary 1 is still recording");
    plx_frame_images im;
    expect(plx_frame_post_pass(ctx, &f, &im), PLX_ERROR_CALL_ORDER, plx_last_error(ctx),
           "secondary 1 is still recording");
    /* Its thread ends it (errors of that call would be in that thread's slot). */
    oc = (other_call){.ctx = ctx, .cmd = s1};
    on_other_thread(&oc);
    assert_int_equal(oc.result, PLX_SUCCESS);
    assert_int_equal(plx_frame_post_pass(ctx, &f, &im), PLX_SUCCESS);
    expect(plx_frame_pass_secondary(ctx, &f, 1, &again), PLX_ERROR_CALL_ORDER, plx_last_error(ctx),
           "plx_frame_post_pass ended it");
    assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);

    /* The next frame: the old frame's values are refused (its index and tag), and so is ending its
     * secondary again: a secondary is good for the frame it was handed out in. */
    plx_frame old = f;
    begin_rendered(ctx, &f);
    expect(plx_frame_pass_secondary(ctx, &old, 0, &again), PLX_ERROR_CALL_ORDER, plx_last_error(ctx),
           "is not the frame in progress");
    expect(plx_frame_end_pass_secondary(ctx, s0), PLX_ERROR_CALL_ORDER, plx_last_error(NULL),
           "ended already");
    oc = (other_call){.ctx = ctx, .cmd = s1};
    on_other_thread(&oc);
    expect(oc.result, PLX_ERROR_CALL_ORDER, oc.error, "ended already");
    assert_int_equal(plx_frame_pass_secondary(ctx, &f, 1, &s1), PLX_SUCCESS);
    assert_int_equal(plx_frame_end_pass_secondary(ctx, s1), PLX_SUCCESS);
    expect(plx_frame_end_pass_secondary(ctx, s1), PLX_ERROR_CALL_ORDER, plx_last_error(NULL),
           "ended already");
    assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
    assert_int_equal(plx_validation_message_count(ctx), 0);
    plx_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(misuse_is_refused_by_name),
        cmocka_unit_test(threads_draw_in_both_eyes_per_eye_pass),
        cmocka_unit_test(threads_draw_in_both_eyes_one_multiview_pass),
        cmocka_unit_test(threads_draw_in_both_eyes_per_eye_pass_msaa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
