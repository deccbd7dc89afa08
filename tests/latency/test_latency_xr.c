/* SPDX-License-Identifier: MIT */
/* Latency features of libparallax through the real OpenXR loader and the simulated headset (lavapipe):
 *  - the late-latch check finds no mismatch in any mode, and does find a deliberately corrupted latch;
 *  - app-side prediction: a raw runtime is detected and predicted for, a predicting one is left alone, and
 *    prediction cuts the error the simulated headset measures at photon time;
 *  - the simulated headset's error metric on the analytic case: a constant yaw rate with raw poses gives
 *    error = rate x pose age, frame by frame (from PARALLAX_SIM_FRAMES).
 * No wall-clock assertions: every check is on counts or on quantities the simulated headset derives from
 * its own clock, which a slow machine changes only in size, never in kind. */
#include <json-c/json.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <parallax/parallax.h>

#include "xr_loop.h"

static char report_path[128], frames_path[128];

/* Fresh simulated-headset configuration for one context (read at xrCreateInstance). */
static void sim_env(const char *motion, const char *prediction, const char *pacing)
{
    setenv("PARALLAX_SIM_MOTION", motion, 1);
    setenv("PARALLAX_SIM_PREDICTION", prediction, 1);
    setenv("PARALLAX_SIM_PACING", pacing, 1);
    setenv("PARALLAX_SIM_EYE_SIZE", "64x64", 1);
    setenv("PARALLAX_SIM_REPORT", report_path, 1);
    unsetenv("PARALLAX_SIM_FRAMES");
    unsetenv("PARALLAX_MODE");
    unsetenv("PARALLAX_PREDICTION");
    unsetenv("PARALLAX_LATCH_CHECK");
    remove(report_path);
}

static plx_context *create(plx_mode mode, plx_prediction prediction, bool latch_check)
{
    plx_context_desc d = {
        .app_name = "test_latency_xr",
        .mode = mode,
        .prediction = prediction,
        .latch_check = latch_check,
        .validation = true,
    };
    return xr_loop_create(&d);
}

static double report_p50(const char *metric)
{
    json_object *o = json_object_from_file(report_path);
    assert_non_null(o);
    json_object *m = NULL, *v = NULL;
    assert_true(json_object_object_get_ex(o, metric, &m));
    assert_true(json_object_object_get_ex(m, "p50", &v));
    double x = json_object_get_double(v);
    json_object_put(o);
    return x;
}

static void latch_check_in_mode(plx_mode mode)
{
    sim_env("turns", "predict", "fixed");
    plx_context *ctx = create(mode, PLX_PREDICTION_DEFAULT, true);
    xr_loop_run(ctx, 60);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_true(li.latch_check);
    assert_true(li.latch_frames_checked >= 50);
    assert_int_equal(li.latch_failures, 0);
    assert_int_equal(plx_latch_check_failures(ctx), 0);

    /* The check must be able to fail: five frames drawn 1 cm off the submitted pose, all five caught. */
    plx_debug_corrupt_latch(ctx, 5);
    xr_loop_run(ctx, 20);
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_int_equal(li.latch_failures, 5);
    assert_true(li.latch_frames_checked >= 65);
    xr_loop_finish(&ctx);
}

static void latch_check_late_latch(void **state)
{
    (void)state;
    latch_check_in_mode(PLX_MODE_LATCH);
}

static void latch_check_jit_latch(void **state)
{
    (void)state;
    latch_check_in_mode(PLX_MODE_JIT_LATCH);
}

static void latch_check_off_mode(void **state)
{
    (void)state;
    latch_check_in_mode(PLX_MODE_OFF);
}

static void latch_check_with_app_prediction(void **state)
{
    (void)state;
    /* Predicted poses replace the runtime's at both locates: GPU and layer still carry the same ones. */
    sim_env("stress", "raw", "fixed");
    plx_context *ctx = create(PLX_MODE_JIT_LATCH, PLX_PREDICTION_ON, true);
    xr_loop_run(ctx, 60);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_true(li.frames_predicted >= 50);
    assert_true(li.latch_frames_checked >= 50);
    assert_int_equal(li.latch_failures, 0);
    xr_loop_finish(&ctx);
}

static void latch_check_off_by_default(void **state)
{
    (void)state;
    sim_env("look", "predict", "fixed");
    plx_context *ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_DEFAULT, false);
    xr_loop_run(ctx, 10);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_false(li.latch_check);
    assert_int_equal(li.latch_frames_checked, 0);
    xr_loop_finish(&ctx);
}

static void detects_a_raw_runtime_and_predicts(void **state)
{
    (void)state;
    sim_env("stress", "raw", "fixed");
    plx_context *ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_AUTO, false);
    xr_loop_run(ctx, 120);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_int_equal(li.prediction, PLX_PREDICTION_AUTO);
    assert_true(li.runtime_predicts_known);
    assert_false(li.runtime_predicts);
    assert_true(li.predicting);
    assert_true(li.frames_predicted > 60);
    xr_loop_finish(&ctx);
}

static void leaves_a_predicting_runtime_alone(void **state)
{
    (void)state;
    sim_env("stress", "predict", "fixed");
    plx_context *ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_AUTO, false);
    xr_loop_run(ctx, 120);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_true(li.runtime_predicts_known);
    assert_true(li.runtime_predicts);
    assert_false(li.predicting);
    assert_int_equal(li.frames_predicted, 0);
    xr_loop_finish(&ctx);
}

static void undecided_while_the_head_is_still(void **state)
{
    (void)state;
    sim_env("still", "raw", "fixed");
    plx_context *ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_AUTO, false);
    xr_loop_run(ctx, 60);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_false(li.runtime_predicts_known); /* nothing to tell them apart: trust the runtime */
    assert_int_equal(li.frames_predicted, 0);
    xr_loop_finish(&ctx);
}

static void env_overrides_the_desc(void **state)
{
    (void)state;
    sim_env("stress", "raw", "fixed");
    setenv("PARALLAX_PREDICTION", "off", 1);
    plx_context *ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_ON, false);
    xr_loop_run(ctx, 30);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(ctx, &li), PLX_SUCCESS);
    assert_int_equal(li.prediction, PLX_PREDICTION_OFF);
    assert_int_equal(li.frames_predicted, 0);
    xr_loop_finish(&ctx);
    unsetenv("PARALLAX_PREDICTION");
}

static void app_prediction_cuts_the_error_at_photon_time(void **state)
{
    (void)state;
    /* Raw runtime, fast motion: the simulated headset's measured error with the raw poses, then with
     * libparallax predicting. The gap is large (pose age ~ 20 ms of 200 deg/s motion against a prediction
     * error of a fraction of that), so a factor 2 holds however loaded the machine is. */
    sim_env("stress", "raw", "fixed");
    plx_context *ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_OFF, false);
    xr_loop_run(ctx, 150);
    xr_loop_finish(&ctx);
    double raw = report_p50("error_deg");
    sim_env("stress", "raw", "fixed");
    ctx = create(PLX_MODE_LATCH, PLX_PREDICTION_ON, false);
    xr_loop_run(ctx, 150);
    xr_loop_finish(&ctx);
    double predicted = report_p50("error_deg");
    printf("stress, raw runtime: median error %.3f deg raw, %.3f deg app-predicted (%.1fx)\n", raw, predicted,
           raw / predicted);
    assert_true(predicted * 2.0 < raw);
}

static void sim_error_is_rate_times_age_for_a_constant_yaw(void **state)
{
    (void)state;
    const double rate_dps = 120.0;
    sim_env("yaw:120", "raw", "fixed");
    setenv("PARALLAX_SIM_FRAMES", frames_path, 1);
    plx_context *ctx = create(PLX_MODE_OFF, PLX_PREDICTION_OFF, false);
    xr_loop_run(ctx, 120);
    xr_loop_finish(&ctx);
    unsetenv("PARALLAX_SIM_FRAMES");

    FILE *f = fopen(frames_path, "r");
    assert_non_null(f);
    char line[1024];
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    assert_non_null(strstr(line, "error_deg,error_mm,pose_age_ms"));
    /* Columns found by name in the header: the report may grow columns (per-layer figures came later). */
    int header_n = 0, col_err = -1, col_age = -1;
    for (char *p = line, *end; p && *p; p = end ? end + 1 : NULL, header_n++) {
        end = strpbrk(p, ",\n");
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == 9 && !strncmp(p, "error_deg", len)) col_err = header_n;
        if (len == 11 && !strncmp(p, "pose_age_ms", len)) col_age = header_n;
        if (end && *end == '\n') end = NULL;
    }
    assert_true(col_err >= 0 && col_age >= 0);
    int rows = 0, checked = 0;
    double worst = 0.0;
    while (fgets(line, sizeof line, f)) {
        /* Dropped frames have empty/NaN values. */
        char *fields[64];
        int n = 0;
        for (char *p = line; n < 64 && p;) {
            fields[n++] = p;
            p = strchr(p, ',');
            if (p) *p++ = '\0';
        }
        assert_int_equal(n, header_n);
        rows++;
        double err = strtod(fields[col_err], NULL), age = strtod(fields[col_age], NULL);
        if (!isfinite(err) || !isfinite(age)) continue;
        double expect = rate_dps * age / 1000.0;
        double diff = fabs(err - expect);
        if (diff > worst) worst = diff;
        /* The tracker's gyro noise and correction are a few thousandths of a degree. */
        assert_true(diff <= 0.02 + 0.01 * expect);
        checked++;
    }
    fclose(f);
    remove(frames_path);
    printf("yaw 120 deg/s, raw poses: %d of %d frames checked, worst |error - rate x age| %.4f deg\n",
           checked, rows, worst);
    assert_true(checked >= 100);
}

int main(void)
{
    snprintf(report_path, sizeof report_path, "/tmp/test_latency_xr_%ld.json", (long)getpid());
    snprintf(frames_path, sizeof frames_path, "/tmp/test_latency_xr_%ld.csv", (long)getpid());
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(latch_check_late_latch, xr_loop_teardown),
        cmocka_unit_test_teardown(latch_check_jit_latch, xr_loop_teardown),
        cmocka_unit_test_teardown(latch_check_off_mode, xr_loop_teardown),
        cmocka_unit_test_teardown(latch_check_with_app_prediction, xr_loop_teardown),
        cmocka_unit_test_teardown(latch_check_off_by_default, xr_loop_teardown),
        cmocka_unit_test_teardown(detects_a_raw_runtime_and_predicts, xr_loop_teardown),
        cmocka_unit_test_teardown(leaves_a_predicting_runtime_alone, xr_loop_teardown),
        cmocka_unit_test_teardown(undecided_while_the_head_is_still, xr_loop_teardown),
        cmocka_unit_test_teardown(env_overrides_the_desc, xr_loop_teardown),
        cmocka_unit_test_teardown(app_prediction_cuts_the_error_at_photon_time, xr_loop_teardown),
        cmocka_unit_test_teardown(sim_error_is_rate_times_age_for_a_constant_yaw, xr_loop_teardown),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    remove(report_path);
    return failed;
}
