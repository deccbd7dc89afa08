/* SPDX-License-Identifier: MIT */
/* The runtime's pose predictor (common/src/predict.c). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "plx_predict.h"
#include "sim_motion.h"

#define DEG     (PLX_PI / 180.0)
#define RAD2DEG (180.0 / PLX_PI)
#define MS      INT64_C(1000000)
#define T0      INT64_C(7000000000)

/* Exact samples of a constant-rate rotation (no noise): at 90 Hz for one second. */
static void feed_constant_rate(plx_predictor *p, plx_vec3 omega, plx_vec3 lin, int frames)
{
    plx_quat start = plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, (float)(10 * DEG));
    for (int i = 0; i < frames; i++) {
        int64_t t = T0 + (int64_t)i * 11111111;
        double s = (double)(t - T0) * 1e-9;
        plx_pose pose = {plx_quat_integrate(start, omega, s), plx_vec3_scale(lin, (float)s)};
        assert_true(plx_predictor_add_sample(p, t, &pose, &lin, &omega, PLX_PREDICT_ALL_VALID));
    }
}

static void exact_for_constant_rate(void **state)
{
    (void)state;
    plx_vec3 omega = {0.3f, (float)(120 * DEG), -0.2f}, lin = {0.5f, 0, -1.0f};
    plx_predictor p;
    plx_predictor_init(&p, NULL);
    feed_constant_rate(&p, omega, lin, 90);
    plx_quat start = plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, (float)(10 * DEG));
    for (int h_ms = 0; h_ms <= 50; h_ms += 5) {
        int64_t target = p.t_ns + h_ms * MS;
        double s = (double)(target - T0) * 1e-9;
        plx_pose out;
        assert_true(plx_predictor_predict(&p, target, &out));
        double e = plx_quat_angle_between(out.orientation, plx_quat_integrate(start, omega, s)) * RAD2DEG;
        if (e > 0.005) fail_msg("constant rate, horizon %d ms: error %g deg", h_ms, e);
        plx_vec3 expect = plx_vec3_scale(lin, (float)s);
        assert_true(plx_vec3_length(plx_vec3_sub(out.position, expect)) < 1e-4f);
    }
}

static double mean_error_on(const char *profile, int mode, double horizon_ms)
{
    sim_motion *m = sim_motion_create(profile, 1);
    assert_non_null(m);
    sim_imu *imu = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 1});
    plx_predictor p;
    plx_predictor_init(&p, &(plx_predictor_desc){.mode = mode});
    double sum = 0;
    int n = 0;
    for (int f = 0; f < 90 * 20; f++) {
        int64_t now = T0 + (int64_t)f * 11111111;
        plx_pose pose, truth, out;
        plx_vec3 lin, ang;
        int64_t ts;
        sim_imu_locate(imu, now, now, false, &pose, &lin, &ang, &ts);
        plx_predictor_add_sample(&p, ts, &pose, &lin, &ang, PLX_PREDICT_ALL_VALID);
        if (f < 90) continue;
        int64_t target = now + (int64_t)(horizon_ms * 1e6);
        plx_predictor_predict(&p, target, &out);
        sim_motion_sample(m, (double)(target - T0) * 1e-9, &truth, NULL, NULL);
        sum += plx_quat_angle_between(out.orientation, truth.orientation);
        n++;
    }
    sim_imu_destroy(&imu);
    sim_motion_destroy(&m);
    return sum / n * RAD2DEG;
}

static void better_than_no_prediction_on_turns(void **state)
{
    (void)state;
    double full = mean_error_on("turns", PLX_PREDICT_MODE_FULL, 20);
    double none = mean_error_on("turns", PLX_PREDICT_MODE_NONE, 20);
    double cv = mean_error_on("turns", PLX_PREDICT_MODE_CONSTANT_VELOCITY, 20);
    if (!(full * 4 < none)) fail_msg("turns @20 ms: predictor %g deg vs none %g deg", full, none);
    if (!(full < cv)) fail_msg("turns @20 ms: predictor %g deg vs constant velocity %g deg", full, cv);
    double full_s = mean_error_on("stress", PLX_PREDICT_MODE_FULL, 20);
    double cv_s = mean_error_on("stress", PLX_PREDICT_MODE_CONSTANT_VELOCITY, 20);
    if (!(full_s < cv_s))
        fail_msg("stress @20 ms: predictor %g deg vs constant velocity %g deg", full_s, cv_s);
}

static void bounded_at_long_horizons(void **state)
{
    (void)state;
    plx_vec3 omega = {0, (float)(200 * DEG), 0}, lin = {1, 0, 0};
    plx_predictor p;
    plx_predictor_init(&p, NULL);
    feed_constant_rate(&p, omega, lin, 30);
    plx_pose out;
    /* fade: at most damp_after + damp_tau = 80 ms worth of motion, whatever the horizon */
    const double limit_s = 0.05 + 0.03;
    int64_t horizons_ms[] = {100, 500, 10000, INT64_C(1000000000)};
    for (size_t i = 0; i < sizeof horizons_ms / sizeof *horizons_ms; i++) {
        assert_true(plx_predictor_predict(&p, p.t_ns + horizons_ms[i] * MS, &out));
        double angle = plx_quat_angle_between(out.orientation, p.pose.orientation);
        double dist = plx_vec3_length(plx_vec3_sub(out.position, p.pose.position));
        if (!(angle <= 200 * DEG * limit_s + 1e-4) || !(dist <= limit_s + 1e-4))
            fail_msg("horizon %lld ms: %g deg, %g m", (long long)horizons_ms[i], angle * RAD2DEG, dist);
        assert_true(isfinite(out.orientation.w));
    }
    /* and the fade starts only after damp_after: 40 ms is undamped */
    plx_predictor_predict(&p, p.t_ns + 40 * MS, &out);
    double angle = plx_quat_angle_between(out.orientation, p.pose.orientation);
    assert_true(fabs(angle - 200 * DEG * 0.04) < 0.01 * DEG);
}

static void stale_input_drops_history(void **state)
{
    (void)state;
    plx_predictor p;
    plx_predictor_init(&p, NULL);
    plx_vec3 omega = {0, 1.0f, 0};
    feed_constant_rate(&p, omega, (plx_vec3){0, 0, 0}, 10);
    assert_true(p.history >= 2);
    /* half a second later, a sample with a very different rate: no acceleration is inferred across the gap */
    plx_pose pose = p.pose;
    plx_vec3 w2 = {0, -3.0f, 0}, zero = {0, 0, 0};
    assert_true(plx_predictor_add_sample(&p, p.t_ns + 500 * MS, &pose, &zero, &w2, PLX_PREDICT_ALL_VALID));
    assert_int_equal(p.history, 1);
    assert_true(plx_vec3_length(p.ang_acc) == 0.0f);
    plx_pose out;
    plx_predictor_predict(&p, p.t_ns + 20 * MS, &out);
    assert_true(fabs(plx_quat_angle_between(out.orientation, pose.orientation) - 3.0 * 0.02) < 1e-4);
}

static void rejects_bad_samples(void **state)
{
    (void)state;
    plx_predictor p;
    plx_predictor_init(&p, NULL);
    plx_pose out;
    assert_false(plx_predictor_predict(&p, T0, &out)); /* nothing yet */
    assert_true(out.orientation.w == 1.0f);
    plx_pose good = {{0, 0, 0, 1}, {0, 1, 0}}, nan_pose = {{NAN, 0, 0, 1}, {0, 0, 0}};
    plx_vec3 w = {0, 1, 0};
    assert_false(plx_predictor_add_sample(&p, T0, &nan_pose, NULL, &w, PLX_PREDICT_ALL_VALID));
    assert_false(
        plx_predictor_add_sample(&p, T0, &good, NULL, &w, PLX_PREDICT_POSITION_VALID)); /* no orientation */
    assert_true(plx_predictor_add_sample(&p, T0, &good, NULL, &w, PLX_PREDICT_ALL_VALID));
    assert_false(plx_predictor_add_sample(&p, T0 - MS, &good, NULL, &w, PLX_PREDICT_ALL_VALID)); /* older */
    /* lin_vel NULL: position held */
    assert_true(plx_predictor_predict(&p, T0 + 10 * MS, &out));
    assert_true(out.position.y == 1.0f);
    /* angular velocity flagged invalid: orientation held */
    plx_predictor_reset(&p);
    assert_true(plx_predictor_add_sample(&p, T0, &good, NULL, &w, PLX_PREDICT_ORIENTATION_VALID));
    plx_predictor_predict(&p, T0 + 10 * MS, &out);
    assert_true(plx_quat_angle_between(out.orientation, good.orientation) < 1e-6f);
}

static void baselines_behave_as_named(void **state)
{
    (void)state;
    plx_vec3 omega = {0, 2.0f, 0};
    plx_predictor none, cv;
    plx_predictor_init(&none, &(plx_predictor_desc){.mode = PLX_PREDICT_MODE_NONE});
    plx_predictor_init(&cv, &(plx_predictor_desc){.mode = PLX_PREDICT_MODE_CONSTANT_VELOCITY});
    feed_constant_rate(&none, omega, (plx_vec3){0, 0, 0}, 5);
    feed_constant_rate(&cv, omega, (plx_vec3){0, 0, 0}, 5);
    plx_pose a, b;
    plx_predictor_predict(&none, none.t_ns + 300 * MS, &a);
    assert_true(plx_quat_angle_between(a.orientation, none.pose.orientation) < 1e-6f);
    /* the constant-velocity baseline is plain: no clamp or fade even at 300 ms */
    plx_predictor_predict(&cv, cv.t_ns + 300 * MS, &b);
    assert_true(fabs(plx_quat_angle_between(b.orientation, cv.pose.orientation) - 0.6) < 1e-4);
}

static void detects_unpredicted_runtime(void **state)
{
    (void)state;
    plx_pose a = {{0, 0, 0, 1}, {0, 0, 0}};
    plx_vec3 w = {0, (float)(60 * DEG), 0};
    int64_t t1 = T0, t2 = T0 + 20 * MS;
    plx_pose predicted = {plx_quat_integrate(a.orientation, w, 0.02), {0, 0, 0}};
    assert_int_equal(plx_predict_check_runtime(&a, t1, &a, t2, w), PLX_RUNTIME_PREDICTION_UNPREDICTED);
    assert_int_equal(plx_predict_check_runtime(&a, t1, &predicted, t2, w), PLX_RUNTIME_PREDICTION_PREDICTED);
    /* too slow to tell */
    plx_vec3 slow = {0, (float)(1 * DEG), 0};
    assert_int_equal(plx_predict_check_runtime(&a, t1, &a, t2, slow), PLX_RUNTIME_PREDICTION_UNKNOWN);

    plx_prediction_detector d = {0};
    plx_runtime_prediction v = PLX_RUNTIME_PREDICTION_UNKNOWN;
    for (int i = 0; i < 4; i++) v = plx_prediction_detector_add(&d, PLX_RUNTIME_PREDICTION_UNPREDICTED);
    assert_int_equal(v, PLX_RUNTIME_PREDICTION_UNKNOWN); /* not enough votes yet */
    v = plx_prediction_detector_add(&d, PLX_RUNTIME_PREDICTION_UNKNOWN);
    assert_int_equal(v, PLX_RUNTIME_PREDICTION_UNKNOWN);
    v = plx_prediction_detector_add(&d, PLX_RUNTIME_PREDICTION_UNPREDICTED);
    assert_int_equal(v, PLX_RUNTIME_PREDICTION_UNPREDICTED);
    for (int i = 0; i < 3; i++) v = plx_prediction_detector_add(&d, PLX_RUNTIME_PREDICTION_PREDICTED);
    assert_int_equal(v, PLX_RUNTIME_PREDICTION_UNKNOWN); /* 5 vs 3: no clear majority */
}

static void detector_on_the_modelled_tracker(void **state)
{
    (void)state;
    /* what the runtime would do: locate at two display times in one call, raw vs predicting tracker */
    sim_motion *m = sim_motion_create("look", 1);
    sim_imu *imu = sim_imu_create(m, T0, NULL);
    plx_prediction_detector raw = {0}, pred = {0};
    plx_runtime_prediction vr = PLX_RUNTIME_PREDICTION_UNKNOWN, vp = PLX_RUNTIME_PREDICTION_UNKNOWN;
    for (int f = 0; f < 60; f++) {
        int64_t now = T0 + 100 * MS + f * 11 * MS;
        plx_pose a, b;
        plx_vec3 w;
        sim_imu_locate(imu, now, now + 10 * MS, false, &a, NULL, &w, NULL);
        sim_imu_locate(imu, now, now + 30 * MS, false, &b, NULL, NULL, NULL);
        vr = plx_prediction_detector_add(&raw,
                                         plx_predict_check_runtime(&a, now + 10 * MS, &b, now + 30 * MS, w));
        sim_imu_locate(imu, now, now + 10 * MS, true, &a, NULL, &w, NULL);
        sim_imu_locate(imu, now, now + 30 * MS, true, &b, NULL, NULL, NULL);
        vp = plx_prediction_detector_add(&pred,
                                         plx_predict_check_runtime(&a, now + 10 * MS, &b, now + 30 * MS, w));
    }
    assert_int_equal(vr, PLX_RUNTIME_PREDICTION_UNPREDICTED);
    assert_int_equal(vp, PLX_RUNTIME_PREDICTION_PREDICTED);
    sim_imu_destroy(&imu);
    sim_motion_destroy(&m);
}

static uint64_t lcg = 99;
static double gauss(void)
{
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    double u1 = ((double)(lcg >> 11) + 0.5) / 9007199254740992.0;
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    double u2 = (double)(lcg >> 11) / 9007199254740992.0;
    return sqrt(-2 * log(u1)) * cos(2 * PLX_PI * u2);
}

static void noise_estimate_follows_the_input(void **state)
{
    (void)state;
    const double sigmas_dps[] = {0.1, 1.0, 5.0};
    for (size_t k = 0; k < sizeof sigmas_dps / sizeof *sigmas_dps; k++) {
        double sigma = sigmas_dps[k] * DEG;
        plx_predictor p;
        plx_predictor_init(&p, NULL);
        plx_vec3 omega = {0, (float)(50 * DEG), 0};
        for (int i = 0; i < 2000; i++) {
            int64_t t = T0 + (int64_t)i * 11111111;
            plx_pose pose = {plx_quat_integrate(plx_quat_identity(), omega, (double)(t - T0) * 1e-9),
                             {0, 0, 0}};
            plx_vec3 w = {(float)(omega.x + sigma * gauss()), (float)(omega.y + sigma * gauss()),
                          (float)(omega.z + sigma * gauss())};
            plx_predictor_add_sample(&p, t, &pose, NULL, &w, PLX_PREDICT_ALL_VALID);
        }
        /* the innovation also carries the filter's own noise, so the estimate sits a little above sigma */
        double est_dps = p.innovation_q / 1.1 / DEG;
        if (!(est_dps > 0.8 * sigmas_dps[k] && est_dps < 2.0 * sigmas_dps[k]))
            fail_msg("input noise %g deg/s estimated as %g deg/s", sigmas_dps[k], est_dps);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_for_constant_rate),
        cmocka_unit_test(better_than_no_prediction_on_turns),
        cmocka_unit_test(bounded_at_long_horizons),
        cmocka_unit_test(stale_input_drops_history),
        cmocka_unit_test(rejects_bad_samples),
        cmocka_unit_test(noise_estimate_follows_the_input),
        cmocka_unit_test(baselines_behave_as_named),
        cmocka_unit_test(detects_unpredicted_runtime),
        cmocka_unit_test(detector_on_the_modelled_tracker),
    };
    return cmocka_run_group_tests_name("plx_predict", tests, NULL, NULL);
}
