/* SPDX-License-Identifier: MIT */
/* Predictor accuracy benchmark core (predictor_bench.h).
 *
 * For each motion profile, a modelled IMU (the simulated headset's own, default noise) is sampled the way
 * the runtime sees it through xrLocateSpace with XrSpaceVelocity on an unpredicting runtime: once per
 * frame, at the frame's call time, the newest sample that has arrived (its own timestamp, pose and
 * velocities). Three predictors receive exactly the same stream; each predicts the pose at call time +
 * horizon, and the error is the angle to the true head orientation at that instant. */
#include "predictor_bench.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_motion.h"

#define RAD_TO_DEG (180.0 / PLX_PI)

static const char *const default_profiles[] = {"look", "turns", "walk", "stress"};
static const double default_horizons[] = {5.0, 10.0, 20.0, 35.0, 50.0};

enum { METHOD_PREDICTOR, METHOD_NONE, METHOD_CONSTVEL, METHOD_COUNT };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *sorted, size_t n, double pct)
{
    if (n == 0) return 0.0;
    size_t rank = (size_t)ceil(pct / 100.0 * (double)n);
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

static plx_bench_stat stat_of(double *errors, size_t n)
{
    qsort(errors, n, sizeof(*errors), cmp_double);
    return (plx_bench_stat){percentile(errors, n, 50.0), percentile(errors, n, 99.0)};
}

int plx_bench_predictor_run(const plx_bench_desc *desc, plx_bench_row *out_rows, size_t max_rows)
{
    plx_bench_desc d = desc ? *desc : (plx_bench_desc){0};
    double duration = d.duration_s > 0.0 ? d.duration_s : 60.0;
    double warmup = d.warmup_s > 0.0 ? d.warmup_s : 1.0;
    double frame_hz = d.frame_hz > 0.0 ? d.frame_hz : 90.0;
    uint64_t seed = d.seed ? d.seed : 1;
    const char *const *profiles = d.profiles ? d.profiles : default_profiles;
    size_t profile_count = d.profiles ? d.profile_count : sizeof default_profiles / sizeof *default_profiles;
    const double *horizons = d.horizons_ms ? d.horizons_ms : default_horizons;
    size_t horizon_count =
        d.horizons_ms ? d.horizon_count : sizeof default_horizons / sizeof *default_horizons;

    if (profile_count * horizon_count > max_rows || !out_rows) {
        fprintf(stderr, "plx_bench_predictor_run: room for %zu rows, need %zu\n", max_rows,
                profile_count * horizon_count);
        return -1;
    }
    size_t frames = (size_t)floor((duration + warmup) * frame_hz);
    size_t measured_max = frames;
    double *errors = malloc(sizeof(double) * measured_max * horizon_count * METHOD_COUNT);
    if (!errors) {
        fprintf(stderr, "plx_bench_predictor_run: out of memory for %zu frames\n", frames);
        return -1;
    }

    int rows = 0;
    for (size_t pi = 0; pi < profile_count; pi++) {
        sim_motion *motion = sim_motion_create(profiles[pi], seed);
        if (!motion) {
            free(errors);
            return -1; /* sim_motion_create printed why */
        }
        /* Any origin works; a large one checks that nothing depends on small absolute times. */
        const int64_t t0 = INT64_C(1000000000000);
        sim_imu *imu = sim_imu_create(
            motion, t0, &(sim_imu_desc){.seed = seed, .gyro_noise_dps_rthz = d.gyro_noise_dps_rthz});
        if (!imu) {
            fprintf(stderr, "plx_bench_predictor_run: sim_imu_create failed\n");
            sim_motion_destroy(&motion);
            free(errors);
            return -1;
        }
        plx_predictor pred[METHOD_COUNT];
        plx_predictor_desc pd = d.predictor;
        pd.mode = PLX_PREDICT_MODE_FULL;
        plx_predictor_init(&pred[METHOD_PREDICTOR], &pd);
        plx_predictor_init(&pred[METHOD_NONE], &(plx_predictor_desc){.mode = PLX_PREDICT_MODE_NONE});
        plx_predictor_init(&pred[METHOD_CONSTVEL],
                           &(plx_predictor_desc){.mode = PLX_PREDICT_MODE_CONSTANT_VELOCITY});

        size_t n = 0;
        for (size_t f = 0; f < frames; f++) {
            int64_t now = t0 + (int64_t)llround((double)f * 1e9 / frame_hz);
            plx_pose pose;
            plx_vec3 lin, ang;
            int64_t sample_ns;
            sim_imu_locate(imu, now, now, false, &pose, &lin, &ang, &sample_ns);
            for (int m = 0; m < METHOD_COUNT; m++)
                plx_predictor_add_sample(&pred[m], sample_ns, &pose, &lin, &ang, PLX_PREDICT_ALL_VALID);
            if ((double)f / frame_hz < warmup) continue;
            for (size_t hi = 0; hi < horizon_count; hi++) {
                int64_t target = now + (int64_t)llround(horizons[hi] * 1e6);
                plx_pose truth;
                sim_motion_sample(motion, (double)(target - t0) * 1e-9, &truth, NULL, NULL);
                for (int m = 0; m < METHOD_COUNT; m++) {
                    plx_pose p;
                    plx_predictor_predict(&pred[m], target, &p);
                    errors[(hi * METHOD_COUNT + (size_t)m) * measured_max + n] =
                        plx_quat_angle_between(p.orientation, truth.orientation) * RAD_TO_DEG;
                }
            }
            n++;
        }
        for (size_t hi = 0; hi < horizon_count; hi++) {
            plx_bench_row *r = &out_rows[rows++];
            memset(r, 0, sizeof(*r));
            snprintf(r->profile, sizeof r->profile, "%s", profiles[pi]);
            r->horizon_ms = horizons[hi];
            r->count = n;
            r->predictor = stat_of(&errors[(hi * METHOD_COUNT + METHOD_PREDICTOR) * measured_max], n);
            r->none = stat_of(&errors[(hi * METHOD_COUNT + METHOD_NONE) * measured_max], n);
            r->constvel = stat_of(&errors[(hi * METHOD_COUNT + METHOD_CONSTVEL) * measured_max], n);
        }
        sim_imu_destroy(&imu);
        sim_motion_destroy(&motion);
    }
    free(errors);
    return rows;
}
