/* SPDX-License-Identifier: MIT */
/* MSAA (plx_context_desc.samples, issue 8 §1): a tilted cube drawn by plx_scene on the simulated headset's
 * still head, captured at 1x and 4x (Mesa lavapipe renders 1 and 4 samples). Edge pixels: a flat-shaded cube
 * on a clear colour has only the background and one colour per face at 1x; resolved multisampling blends them
 * along the edges. The test counts, in both eyes, pixels whose colour is neither the background nor a colour
 * covering many pixels (a face): at 4x there must be clearly more of them than at 1x, in each eye, with
 * libparallax's pass and with the post-process mode's intermediate image, in one multiview pass
 * (PARALLAX_MULTIVIEW_WORKAROUND=off) and with the render pass per eye that Mesa lavapipe gets by default
 * (auto: the right eye resolves into images of its own, copied into layer 1), with the latch check at 0
 * failures and validation clean; wrong sample counts are refused by name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "plx_test_capture.h"
#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"

#define EYE 96

static const char *capture_path = "msaa_capture.png";

static uint32_t rgb_at(const image *im, int x, int y)
{
    const unsigned char *p = im->rgba + ((size_t)y * (size_t)im->w + (size_t)x) * 4;
    return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

/* Pixels of one eye whose colour is neither the background (the top-left pixel: the cube is in the middle)
 * nor shared by at least 20 pixels of the eye (a face's flat colour). */
static int edge_pixels(const image *im, int eye, int *out_cube)
{
    int ew = im->w / 2, x0 = eye * ew, n = 0, cube = 0;
    uint32_t bg = rgb_at(im, x0, 0);
    for (int y = 0; y < im->h; y++) {
        for (int x = x0; x < x0 + ew; x++) {
            uint32_t c = rgb_at(im, x, y);
            if (c == bg) continue;
            cube++;
            int same = 0;
            for (int yy = 0; yy < im->h && same < 20; yy++) {
                for (int xx = x0; xx < x0 + ew && same < 20; xx++) same += rgb_at(im, xx, yy) == c;
            }
            n += same < 20;
        }
    }
    *out_cube = cube;
    return n;
}

typedef struct run {
    uint32_t samples;
    plx_pass_mode pass;
    const char *workaround;
} run;

/* 30 frames of the cube; the capture of frame 20 is loaded into out; returns the edge pixels of both eyes
 * (each eye's in out_eye). */
static int render(const run *rn, image *out, int out_eye[2])
{
    setenv("PARALLAX_SIM_EYE_SIZE", "96x96", 1);
    setenv("PARALLAX_SIM_MOTION", "still", 1);
    setenv("PARALLAX_SIM_CAPTURE", capture_path, 1);
    setenv("PARALLAX_SIM_CAPTURE_FRAME", "20", 1);
    setenv("PARALLAX_MULTIVIEW_WORKAROUND", rn->workaround, 1);
    remove(capture_path);
    plx_context_desc d = {
        .app_name = "test_msaa",
        .validation = true,
        .latch_check = true,
        .eye_width = EYE,
        .eye_height = EYE,
        .samples = rn->samples,
        .pass = rn->pass,
    };
    plx_context *ctx = NULL;
    if (plx_context_create(&d, &ctx) != PLX_SUCCESS) fail_msg("plx_context_create: %s", plx_last_error(NULL));
    plx_vulkan_info vk;
    assert_int_equal(plx_get_vulkan_info(ctx, &vk), PLX_SUCCESS);
    assert_int_equal(vk.samples, rn->samples);
    plx_scene *scene = NULL;
    assert_int_equal(plx_scene_create(ctx, &(plx_scene_desc){.no_grid = true}, &scene), PLX_SUCCESS);
    /* Tilted 30 degrees about z and turned about y: slanted edges in both eyes. */
    plx_cube_desc cube = {
        .transform = {.position = {0, 0, -2.5f},
                      .orientation = {0.2432f, 0.2432f, 0.0652f, 0.9362f},
                      .scale = {0.8f, 0.8f, 0.8f}},
        .color = {0.9f, 0.5f, 0.2f},
    };
    assert_int_equal(plx_scene_add_cube(scene, &cube, NULL), PLX_SUCCESS);
    for (int i = 0; i < 30;) {
        plx_events ev;
        plx_poll(ctx, &ev);
        plx_frame f;
        plx_result r = plx_frame_wait(ctx, &f);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(ctx, &f);
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        if (r == PLX_SUCCESS) assert_int_equal(plx_scene_draw(scene, &f), PLX_SUCCESS);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
        i++;
    }
    uint64_t latch_failures = plx_latch_check_failures(ctx);
    uint32_t msgs = plx_validation_message_count(ctx);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
    assert_int_equal(msgs, 0);
    assert_int_equal(latch_failures, 0);
    load_png(capture_path, out);
    char kept[96]; /* each run's capture is kept, to look at */
    snprintf(kept, sizeof kept, "msaa_%ux_%s_%s.png", rn->samples,
             rn->pass == PLX_PASS_POST_PROCESS ? "post" : "lib", rn->workaround);
    rename(capture_path, kept);
    assert_int_equal(out->w, 2 * EYE);
    int cube_px[2], edges = 0;
    for (int eye = 0; eye < 2; eye++) edges += out_eye[eye] = edge_pixels(out, eye, &cube_px[eye]);
    printf("%ux %s, multiview workaround %s: %d edge pixels (%d + %d; cube covers %d + %d pixels), latch "
           "failures %llu\n",
           rn->samples, rn->pass == PLX_PASS_POST_PROCESS ? "post-process (copied)" : "library pass",
           rn->workaround, edges, out_eye[0], out_eye[1], cube_px[0], cube_px[1],
           (unsigned long long)latch_failures);
    /* The cube is there in both eyes, whole. */
    assert_true(cube_px[0] > 300 && cube_px[1] > 300);
    return edges;
}

static void four_samples_smooth_the_edges(void **state)
{
    (void)state;
    /* One multiview pass, and a render pass per eye (auto on Mesa lavapipe). */
    const char *paths[] = {"off", "auto"};
    for (int p = 0; p < 2; p++) {
        image one, four, two;
        int eye1[2], eye4[2], eye2[2];
        int e1 = render(&(run){1, PLX_PASS_LIBRARY, paths[p]}, &one, eye1);
        int e4 = render(&(run){4, PLX_PASS_LIBRARY, paths[p]}, &four, eye4);
        int e2 = render(&(run){4, PLX_PASS_POST_PROCESS, paths[p]}, &two, eye2);
        printf("workaround %s: edge pixels 1x %d, 4x (post-process) %d, 4x %d\n", paths[p], e1, e2, e4);
        assert_true(e4 >= 100);
        assert_true(e4 > 4 * e1 + 50);
        assert_true(e2 > 4 * e1 + 50);
        /* Each eye on its own: the right eye's resolve reached layer 1. */
        for (int eye = 0; eye < 2; eye++) {
            assert_true(eye4[eye] > 2 * eye1[eye] + 20);
            assert_true(eye2[eye] > 2 * eye1[eye] + 20);
        }
        free(one.rgba);
        free(four.rgba);
        free(two.rgba);
    }
}

static void bad_sample_counts_are_refused(void **state)
{
    (void)state;
    struct {
        uint32_t samples;
        plx_pass_mode pass;
        uint32_t max_version;
        plx_result want;
        const char *named;
    } cases[] = {
        {3, PLX_PASS_LIBRARY, 0, PLX_ERROR_INVALID_ARGUMENT, "samples 3 is not 1, 2 or 4"},
        {8, PLX_PASS_LIBRARY, 0, PLX_ERROR_INVALID_ARGUMENT, "samples 8 is not 1, 2 or 4"},
        {4, PLX_PASS_APP, 0, PLX_ERROR_INVALID_ARGUMENT, "PLX_PASS_APP"},
        {4, PLX_PASS_LIBRARY, VK_API_VERSION_1_1, PLX_ERROR_UNSUPPORTED, "needs Vulkan 1.2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        plx_vulkan_desc vd = {.size = sizeof vd, .max_api_version = cases[i].max_version};
        plx_context_desc d = {
            .app_name = "test_msaa",
            .validation = true,
            .eye_width = EYE,
            .eye_height = EYE,
            .samples = cases[i].samples,
            .pass = cases[i].pass,
            .vulkan = &vd,
        };
        plx_context *ctx = NULL;
        /* The refusals hold on either multiview path. */
        setenv("PARALLAX_MULTIVIEW_WORKAROUND", i % 2 ? "on" : "off", 1);
        plx_result r = plx_context_create(&d, &ctx);
        printf("samples %u: %s: %s\n", cases[i].samples, plx_result_string(r), plx_last_error(NULL));
        assert_int_equal(r, cases[i].want);
        assert_null(ctx);
        if (!strstr(plx_last_error(NULL), cases[i].named))
            fail_msg("the error does not say \"%s\": %s", cases[i].named, plx_last_error(NULL));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_sample_counts_are_refused),
        cmocka_unit_test(four_samples_smooth_the_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
