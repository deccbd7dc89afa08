/* SPDX-License-Identifier: MIT */
/* The public entry points as an app built with newer headers calls them (its structs longer than this
 * library's, README "ABI policy"), and with sizes no release ever had, on the simulated headset:
 *   - a longer desc whose extra bytes are zero works; one that sets them is refused, naming the struct;
 *   - a longer plx_frame runs the frame loop (its unknown tail is zeroed by plx_frame_wait, and a tail the
 * app sets before plx_frame_begin is refused);
 *   - out-structs and the plx_frame_stats array are written at the app's size and stride, unknown tails
 * zeroed;
 *   - a size below 0.2.0 is refused before anything is done.
 * (An older app's shorter structs go through the same helper: tests/abi/test_abi_copy.c.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include <parallax/parallax.h>

#define TAIL 24 /* bytes a "newer" struct has beyond ours */

static int all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i]) return 0;
    return 1;
}

static void newer_desc_with_a_set_tail_is_refused_before_anything_starts(void **state)
{
    (void)state;
    struct {
        plx_context_desc desc;
        unsigned char tail[TAIL];
    } newer = {.desc = {.app_name = "abi"}};
    newer.tail[5] = 1;
    plx_context *ctx = (plx_context *)1;
    assert_int_equal(plx_context_create_sized(&newer.desc, sizeof newer, &ctx), PLX_ERROR_INVALID_ARGUMENT);
    assert_null(ctx);
    printf("set tail: %s\n", plx_last_error(NULL));
    assert_non_null(strstr(plx_last_error(NULL), "plx_context_create: the plx_context_desc is"));
    assert_non_null(strstr(plx_last_error(NULL), "newer headers"));

    assert_int_equal(plx_context_create_sized(&newer.desc, 8, &ctx), PLX_ERROR_INVALID_ARGUMENT);
    printf("too small: %s\n", plx_last_error(NULL));
    assert_non_null(strstr(plx_last_error(NULL), "smaller than in any release"));
}

static void newer_app_runs_the_frame_loop(void **state)
{
    (void)state;
    struct {
        plx_context_desc desc;
        unsigned char tail[TAIL];
    } newer_desc = {.desc = {.app_name = "abi", .eye_width = 128, .eye_height = 128}};
    plx_context *ctx = NULL;
    assert_int_equal(plx_context_create_sized(&newer_desc.desc, sizeof newer_desc, &ctx), PLX_SUCCESS);

    struct {
        plx_scene_desc desc;
        unsigned char tail[TAIL];
    } scene_desc = {.desc = {.no_grid = false}};
    plx_scene *scene = NULL;
    assert_int_equal(plx_scene_create_sized(ctx, &scene_desc.desc, sizeof scene_desc, &scene), PLX_SUCCESS);
    struct {
        plx_cube_desc desc;
        unsigned char tail[TAIL];
    } cube = {.desc = {.transform = {.position = {0, 0, -2}}}};
    uint32_t id = 99;
    assert_int_equal(plx_scene_add_cube_sized(scene, &cube.desc, sizeof cube, &id), PLX_SUCCESS);
    assert_true(id != 99);

    struct {
        plx_frame frame;
        unsigned char tail[TAIL];
    } f;
    int rendered = 0, refused = 0;
    for (int i = 0; i < 2000 && rendered < 30; i++) {
        struct {
            plx_events ev;
            unsigned char tail[TAIL];
        } ev;
        memset(&ev, 0xaa, sizeof ev);
        assert_true(plx_poll_sized(ctx, &ev.ev, sizeof ev) >= 0);
        assert_true(all_zero(ev.tail, TAIL));
        memset(&f, 0xaa, sizeof f); /* an app's uninitialized frame, tail included */
        if (plx_frame_wait_sized(ctx, &f.frame, sizeof f) != PLX_SUCCESS) continue;
        assert_true(all_zero(f.tail, TAIL)); /* zeroed for plx_frame_begin's check */
        if (!refused) {
            f.tail[TAIL - 1] = 7; /* a field this library does not have, set */
            assert_int_equal(plx_frame_begin_sized(ctx, &f.frame, sizeof f), PLX_ERROR_INVALID_ARGUMENT);
            printf("frame tail: %s\n", plx_last_error(ctx));
            assert_non_null(strstr(plx_last_error(ctx), "plx_frame_begin: the plx_frame is"));
            f.tail[TAIL - 1] = 0;
            refused = 1;
        }
        plx_result r = plx_frame_begin_sized(ctx, &f.frame, sizeof f);
        assert_true(r >= 0);
        if (r == PLX_SUCCESS) {
            assert_int_equal(plx_scene_draw_sized(scene, &f.frame, sizeof f), PLX_SUCCESS);
            rendered++;
        }
        if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED)
            assert_int_equal(plx_frame_end_sized(ctx, &f.frame, sizeof f), PLX_SUCCESS);
        assert_true(all_zero(f.tail, TAIL));
    }
    assert_int_equal(rendered, 30);

    /* The statistics array at the app's stride: each record where a newer app's array has it. */
    struct newer_stats {
        plx_frame_stats st;
        unsigned char tail[TAIL];
    } stats[8];
    memset(stats, 0xaa, sizeof stats);
    uint32_t n = plx_get_frame_stats_sized(ctx, &stats[0].st, 8, sizeof stats[0]);
    assert_int_equal(n, 8);
    for (uint32_t i = 0; i < n; i++) {
        assert_true(all_zero(stats[i].tail, TAIL));
        if (i) assert_int_equal(stats[i].st.index, stats[i - 1].st.index + 1);
        assert_true(stats[i].st.predicted_display_time > 0);
    }
    plx_frame_stats plain[8];
    assert_int_equal(plx_get_frame_stats(ctx, plain, 8), 8);
    assert_int_equal(plain[7].index, stats[7].st.index);
    assert_int_equal(plx_get_frame_stats_sized(ctx, &stats[0].st, 8, 16), 0); /* no release had 16 bytes */
    assert_non_null(strstr(plx_last_error(ctx), "plx_get_frame_stats: the plx_frame_stats is 16 bytes"));

    struct {
        plx_summary s;
        unsigned char tail[TAIL];
    } summary;
    memset(&summary, 0xaa, sizeof summary);
    assert_int_equal(plx_stats_summary_sized(ctx, &summary.s, sizeof summary), PLX_SUCCESS);
    assert_true(summary.s.frames >= 30);
    assert_true(all_zero(summary.tail, TAIL));
    assert_int_equal(plx_stats_summary_sized(ctx, &summary.s, 4), PLX_ERROR_INVALID_ARGUMENT);

    struct {
        plx_transform t;
        unsigned char tail[TAIL];
    } move = {.t = {.position = {0, 1, -2}}};
    assert_int_equal(plx_scene_set_transform_sized(scene, id, &move.t, sizeof move), PLX_SUCCESS);
    move.tail[0] = 1;
    assert_int_equal(plx_scene_set_transform_sized(scene, id, &move.t, sizeof move),
                     PLX_ERROR_INVALID_ARGUMENT);

    assert_int_equal(plx_validation_message_count(ctx), 0);
    plx_scene_destroy(&scene);
    plx_context_destroy(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(newer_desc_with_a_set_tail_is_refused_before_anything_starts),
        cmocka_unit_test(newer_app_runs_the_frame_loop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
