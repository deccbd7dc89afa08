/* SPDX-License-Identifier: MIT */
/* plx_predict_head, the head pose for pipelined work, through the real OpenXR loader and the simulated
 * headset turning at a constant 120 deg/s: asked one and two display periods past the frame the loop is
 * on, the extrapolated pose must land close to the pose the runtime reports for that time once it has
 * passed (its history is the truth up to tracker noise), and much closer than holding the newest pose —
 * on a predicting runtime (the runtime's pose up to the display time, the predictor beyond) and on a raw
 * one with app-side prediction (the predictor all the way, with an XrTime epoch far from CLOCK_MONOTONIC).
 * Angles of the simulated motion only: no wall-clock assertion. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <parallax/parallax.h>

#include "xr_loop.h"

/* XrTime a moment ago: when the newest frame's xrEndFrame returned. The runtime's clock, not the host's:
 * its epoch need not be CLOCK_MONOTONIC's (the raw case runs with PARALLAX_SIM_TIME_OFFSET=start). */
static int64_t xr_recent(plx_context *ctx)
{
    plx_frame_stats st;
    assert_int_equal(plx_get_frame_stats(ctx, &st, 1), 1);
    assert_true(st.end > 0);
    return st.end;
}

static double angle_deg(const plx_head_pose *a, const plx_head_pose *b)
{
    double d = 0;
    for (int i = 0; i < 4; i++) d += (double)a->orientation[i] * b->orientation[i];
    d = fabs(d);
    return 2.0 * acos(d > 1.0 ? 1.0 : d) * 180.0 / 3.14159265358979323846;
}

static plx_context *create(const char *sim_prediction, const char *app_prediction, const char *epoch)
{
    if (epoch)
        setenv("PARALLAX_SIM_TIME_OFFSET", epoch, 1);
    else
        unsetenv("PARALLAX_SIM_TIME_OFFSET");
    setenv("PARALLAX_SIM_MOTION", "yaw:120", 1);
    setenv("PARALLAX_SIM_PACING", "fixed", 1);
    setenv("PARALLAX_SIM_PREDICTION", sim_prediction, 1);
    setenv("PARALLAX_SIM_EYE_SIZE", "64x64", 1);
    setenv("PARALLAX_PREDICTION", app_prediction, 1);
    unsetenv("PARALLAX_SIM_REPORT");
    unsetenv("PARALLAX_MODE");
    plx_context_desc d = {.app_name = "test_predict_head", .validation = true};
    return xr_loop_create(&d);
}

static plx_head_pose head_at(plx_context *ctx, int64_t t)
{
    plx_head_pose h;
    assert_int_equal(plx_predict_head(ctx, t, &h), PLX_SUCCESS);
    assert_true(h.valid);
    return h;
}

/* Runs a frame, asks for the head `periods` display periods past its display time and compares, once that
 * time has passed, with the runtime's pose for it. hold: the pose the app would have used without
 * extrapolation (the runtime's newest). */
static void check_horizon(plx_context *ctx, const char *what, bool expect_predicting)
{
    xr_loop_run(ctx, 150);
    plx_latency_info info;
    assert_int_equal(plx_get_latency_info(ctx, &info), PLX_SUCCESS);
    assert_int_equal(info.predicting, expect_predicting);
    for (int periods = 1; periods <= 2; periods++) {
        plx_frame f;
        plx_result r;
        while ((r = plx_frame_wait(ctx, &f)) == PLX_SESSION_NOT_RUNNING) {
        }
        assert_int_equal(r, PLX_SUCCESS);
        int64_t target = f.predicted_display_time + periods * f.predicted_display_period;
        plx_head_pose ahead = head_at(ctx, target);
        /* Without extrapolation: the runtime's pose for the frame's display time (predicting runtime) or
         * its newest sample (raw runtime). */
        plx_head_pose hold = head_at(ctx, expect_predicting ? xr_recent(ctx) : f.predicted_display_time);
        assert_true(ahead.extrapolated);
        assert_false(hold.extrapolated);
        r = plx_frame_begin(ctx, &f);
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        assert_int_equal(plx_frame_end(ctx, &f), PLX_SUCCESS);
        do xr_loop_run(ctx, 1);
        while (xr_recent(ctx) < target + 30000000);
        plx_head_pose truth = head_at(ctx, target);
        assert_false(truth.extrapolated); /* a past time: the runtime's history */
        double e = angle_deg(&ahead, &truth), e_hold = angle_deg(&hold, &truth);
        printf("%s, %d period(s) ahead: extrapolated error %.3f deg, holding the newest pose %.3f deg\n",
               what, periods, e, e_hold);
        assert_true(e_hold > 0.8 * periods); /* the head did turn: 120 deg/s x 11.1 ms = 1.33 deg/period */
        assert_true(e < 0.25 * e_hold);
    }
}

static void extrapolates_past_a_predicting_runtime(void **state)
{
    (void)state;
    plx_context *ctx = create("predict", "off", NULL);
    check_horizon(ctx, "predicting runtime", false);
    xr_loop_finish(&ctx);
}

static void predicts_all_the_way_on_a_raw_runtime(void **state)
{
    (void)state;
    plx_context *ctx = create("raw", "on", "start"); /* XrTime far behind CLOCK_MONOTONIC */
    check_horizon(ctx, "raw runtime, app-side prediction", true);
    xr_loop_finish(&ctx);
}

static void rejects_bad_arguments(void **state)
{
    (void)state;
    plx_head_pose h;
    assert_int_equal(plx_predict_head(NULL, 1, &h), PLX_ERROR_INVALID_ARGUMENT);
    plx_context *ctx = create("predict", "off", NULL);
    /* Before the session runs there is nothing to locate in. */
    assert_int_equal(plx_predict_head(ctx, 1000000000, &h), PLX_SESSION_NOT_RUNNING);
    xr_loop_run(ctx, 5);
    assert_int_equal(plx_predict_head(ctx, 1, NULL), PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_predict_head(ctx, 0, &h), PLX_ERROR_INVALID_ARGUMENT);
    assert_non_null(strstr(plx_last_error(ctx), "time 0 is not an XrTime"));
    xr_loop_finish(&ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(extrapolates_past_a_predicting_runtime, xr_loop_teardown),
        cmocka_unit_test_teardown(predicts_all_the_way_on_a_raw_runtime, xr_loop_teardown),
        cmocka_unit_test_teardown(rejects_bad_arguments, xr_loop_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    unsetenv("PARALLAX_SIM_TIME_OFFSET");
    return failed;
}
