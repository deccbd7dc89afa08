/* SPDX-License-Identifier: MIT */
/* The modelled IMU / tracker (simulator/motion/imu.c). */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "sim_motion.h"

#define RAD2DEG (180.0 / PLX_PI)
#define T0      INT64_C(5000000000)
#define MS      INT64_C(1000000)

static void check_range(const char *what, double v, double lo, double hi)
{
    if (!(v >= lo && v <= hi)) fail_msg("%s = %g, expected %g..%g", what, v, lo, hi);
}

/* Walks the IMU one sample at a time (raw) and returns the sample at each step. */
static void raw_at(sim_imu *imu, int64_t now, plx_pose *pose, plx_vec3 *ang, int64_t *t)
{
    sim_imu_locate(imu, now, now, false, pose, NULL, ang, t);
}

static void gyro_noise_matches_density(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("still", 1);
    /* 0.005 deg/s/sqrt(Hz) at 1 kHz: per-sample sigma 0.158 deg/s per axis */
    sim_imu *imu = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 9});
    assert_non_null(imu);
    const int n = 20000;
    double sum[3] = {0}, sum2[3] = {0};
    for (int k = 0; k < n; k++) {
        plx_vec3 w;
        int64_t t;
        raw_at(imu, T0 + 2 * MS + k * MS, NULL, &w, &t);
        double v[3] = {w.x * RAD2DEG, w.y * RAD2DEG, w.z * RAD2DEG};
        for (int a = 0; a < 3; a++) {
            sum[a] += v[a];
            sum2[a] += v[a] * v[a];
        }
    }
    for (int a = 0; a < 3; a++) {
        double mean = sum[a] / n, sd = sqrt(sum2[a] / n - mean * mean);
        check_range("gyro sigma deg/s", sd, 0.158 * 0.95, 0.158 * 1.05);
        check_range("gyro mean (bias) deg/s", mean, -0.02, 0.02);
    }
    sim_imu_destroy(&imu);
    assert_null(imu);
    sim_motion_destroy(&m);
}

static void larger_density_gives_larger_noise(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("still", 1);
    sim_imu *imu =
        sim_imu_create(m, T0, &(sim_imu_desc){.gyro_noise_dps_rthz = 0.05, .rate_hz = 500, .seed = 2});
    double s2 = 0;
    const int n = 5000;
    for (int k = 0; k < n; k++) {
        plx_vec3 w;
        raw_at(imu, T0 + 3 * MS + k * 2 * MS, NULL, &w, NULL);
        s2 += w.y * RAD2DEG * w.y * RAD2DEG;
    }
    check_range("gyro sigma at 0.05 dps/rtHz, 500 Hz", sqrt(s2 / n), 0.05 * sqrt(500) * 0.93,
                0.05 * sqrt(500) * 1.07);
    sim_imu_destroy(&imu);
    sim_motion_destroy(&m);
}

static void same_seed_same_stream(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("look", 1);
    sim_imu *a = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 4});
    sim_imu *b = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 4});
    sim_imu *c = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 5});
    int differ = 0;
    for (int k = 0; k < 500; k++) {
        int64_t now = T0 + k * 7 * MS;
        plx_pose pa, pb, pc;
        plx_vec3 wa, wb, wc;
        raw_at(a, now, &pa, &wa, NULL);
        raw_at(b, now, &pb, &wb, NULL);
        raw_at(c, now, &pc, &wc, NULL);
        assert_memory_equal(&pa, &pb, sizeof pa);
        assert_memory_equal(&wa, &wb, sizeof wa);
        differ += memcmp(&wa, &wc, sizeof wa) != 0;
    }
    assert_true(differ > 490);
    sim_imu_destroy(&a);
    sim_imu_destroy(&b);
    sim_imu_destroy(&c);
    sim_motion_destroy(&m);
}

static void tracker_error_is_small_and_bounded(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("turns", 1);
    sim_imu *imu = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 1});
    double worst = 0, sum = 0;
    int n = 0;
    for (int k = 0; k < 120000; k += 3) { /* 120 s */
        plx_pose p, truth;
        int64_t t;
        raw_at(imu, T0 + k * MS, &p, NULL, &t);
        sim_motion_sample(m, (double)(t - T0) * 1e-9, &truth, NULL, NULL);
        double e = plx_quat_angle_between(p.orientation, truth.orientation) * RAD2DEG;
        worst = fmax(worst, e);
        sum += e;
        n++;
    }
    /* a fused tracker: well under a tenth of a degree, and not drifting */
    check_range("tracker worst error deg", worst, 0, 0.1);
    check_range("tracker mean error deg", sum / n, 1e-6, 0.02);
    sim_imu_destroy(&imu);
    sim_motion_destroy(&m);
}

static void newest_arrived_sample_respects_latency(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("look", 1);
    sim_imu *imu = sim_imu_create(m, T0, &(sim_imu_desc){.latency_ms = 3.0, .seed = 1});
    for (int k = 0; k < 1000; k++) {
        int64_t now = T0 + 10 * MS + k * 1234567;
        int64_t t;
        sim_imu_locate(imu, now, now, false, NULL, NULL, NULL, &t);
        /* arrived (t + 3 ms <= now) and the newest such (the next one has not: t + 1 ms + 3 ms > now) */
        assert_true(t + 3 * MS <= now);
        assert_true(t + 4 * MS > now);
        assert_true((t - T0) % MS == 0);
    }
    /* before anything arrived: the initial state at t0 */
    sim_imu *fresh = sim_imu_create(m, T0, NULL);
    int64_t t;
    sim_imu_locate(fresh, T0 - 100 * MS, T0, false, NULL, NULL, NULL, &t);
    assert_true(t == T0);
    sim_imu_destroy(&fresh);
    sim_imu_destroy(&imu);
    sim_motion_destroy(&m);
}

static void predict_extrapolates_with_constant_velocity(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("stress", 1);
    sim_imu *imu = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 1});
    double err_raw = 0, err_pred = 0;
    for (int k = 0; k < 300; k++) {
        int64_t now = T0 + 50 * MS + k * 11 * MS, display = now + 15 * MS;
        plx_pose raw, pred, truth;
        plx_vec3 lin, ang;
        int64_t t_raw, t_pred;
        sim_imu_locate(imu, now, display, false, &raw, &lin, &ang, &t_raw);
        sim_imu_locate(imu, now, display, true, &pred, NULL, NULL, &t_pred);
        assert_true(t_raw == t_pred);
        /* exactly the constant-velocity extrapolation of the raw sample */
        plx_quat expect = plx_quat_integrate(raw.orientation, ang, (double)(display - t_raw) * 1e-9);
        assert_true(plx_quat_angle_between(expect, pred.orientation) < 1e-5);
        sim_motion_sample(m, (double)(display - T0) * 1e-9, &truth, NULL, NULL);
        err_raw += plx_quat_angle_between(raw.orientation, truth.orientation);
        err_pred += plx_quat_angle_between(pred.orientation, truth.orientation);
    }
    assert_true(err_pred * 3 < err_raw);
    sim_imu_destroy(&imu);
    sim_motion_destroy(&m);
}

static void past_queries_use_history(void **state)
{
    (void)state;
    sim_motion *m = sim_motion_create("look", 1);
    sim_imu *imu = sim_imu_create(m, T0, NULL);
    int64_t now = T0 + 500 * MS;
    int64_t t;
    plx_pose p, truth;
    sim_imu_locate(imu, now, T0 + 200 * MS, true, &p, NULL, NULL, &t);
    assert_true(t == T0 + 200 * MS);
    sim_motion_sample(m, 0.2, &truth, NULL, NULL);
    assert_true(plx_quat_angle_between(p.orientation, truth.orientation) * RAD2DEG < 0.05);
    /* raw (predict=false) answers the past from history too (it only does not extrapolate into the
     * future): between samples, the one before advanced to the asked time, exactly as predict=true does;
     * the answer is the state at the asked time, so that is its sample time (a pose's age counts from it) */
    plx_pose r;
    sim_imu_locate(imu, now, T0 + 200 * MS + MS / 2, false, &r, NULL, NULL, &t);
    assert_true(t == T0 + 200 * MS + MS / 2);
    sim_imu_locate(imu, now, T0 + 200 * MS + MS / 2, true, &p, NULL, NULL, NULL);
    assert_memory_equal(&r, &p, sizeof r);
    sim_motion_sample(m, 0.2005, &truth, NULL, NULL);
    assert_true(plx_quat_angle_between(r.orientation, truth.orientation) * RAD2DEG < 0.05);
    /* a jump far ahead re-acquires instead of replaying minutes of samples, and stays accurate */
    now = T0 + INT64_C(3600) * 1000 * MS;
    sim_imu_locate(imu, now, now, false, &p, NULL, NULL, &t);
    sim_motion_sample(m, (double)(t - T0) * 1e-9, &truth, NULL, NULL);
    assert_true(plx_quat_angle_between(p.orientation, truth.orientation) * RAD2DEG < 0.05);
    sim_imu_destroy(&imu);
    sim_imu_destroy(NULL);
    sim_motion_destroy(&m);
}

typedef struct locate_job {
    sim_imu *imu;
    int64_t offset_ns;
    int count;
    plx_quat orientation[4000];
    int64_t sample_ns[4000];
} locate_job;

static void *locate_worker(void *arg)
{
    locate_job *job = arg;
    for (int i = 0; i < job->count; i++) {
        plx_pose p;
        int64_t now = T0 + 2 * MS + i * MS + job->offset_ns;
        sim_imu_locate(job->imu, now, now, false, &p, NULL, NULL, &job->sample_ns[i]);
        job->orientation[i] = p.orientation;
    }
    return NULL;
}

static void concurrent_locates_see_one_stream(void **state)
{
    (void)state;
    /* Samples are generated in order under the lock whoever asks, so two threads racing must see exactly
     * the stream a single caller sees. */
    sim_motion *m = sim_motion_create("turns", 3);
    sim_imu *shared = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 8});
    sim_imu *ref = sim_imu_create(m, T0, &(sim_imu_desc){.seed = 8});
    static locate_job jobs[2];
    pthread_t th[2];
    for (int j = 0; j < 2; j++) {
        jobs[j] = (locate_job){.imu = shared, .offset_ns = j * 500000, .count = 4000};
        assert_int_equal(pthread_create(&th[j], NULL, locate_worker, &jobs[j]), 0);
    }
    for (int j = 0; j < 2; j++) assert_int_equal(pthread_join(th[j], NULL), 0);
    /* reference: one caller, every sample in order */
    static plx_quat expect[4100];
    for (int k = 0; k < 4100; k++) {
        plx_pose p;
        int64_t t;
        int64_t now = T0 + 2 * MS + k * MS;
        sim_imu_locate(ref, now, now, false, &p, NULL, NULL, &t);
        expect[k] = p.orientation;
    }
    for (int j = 0; j < 2; j++) {
        for (int i = 0; i < jobs[j].count; i++) {
            /* reference entry n is sample n (now = T0 + 2 ms + n ms with 1.5 ms latency) */
            int64_t k = (jobs[j].sample_ns[i] - T0) / MS;
            assert_true(k >= 0 && k < 4100);
            assert_memory_equal(&jobs[j].orientation[i], &expect[k], sizeof(plx_quat));
        }
    }
    sim_imu_destroy(&shared);
    sim_imu_destroy(&ref);
    sim_motion_destroy(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gyro_noise_matches_density),
        cmocka_unit_test(larger_density_gives_larger_noise),
        cmocka_unit_test(same_seed_same_stream),
        cmocka_unit_test(tracker_error_is_small_and_bounded),
        cmocka_unit_test(newest_arrived_sample_respects_latency),
        cmocka_unit_test(predict_extrapolates_with_constant_velocity),
        cmocka_unit_test(past_queries_use_history),
        cmocka_unit_test(concurrent_locates_see_one_stream),
    };
    return cmocka_run_group_tests_name("sim_imu", tests, NULL, NULL);
}
