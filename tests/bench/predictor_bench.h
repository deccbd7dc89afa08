/* SPDX-License-Identifier: MIT */
/* Predictor accuracy benchmark core, shared by parallax-bench-predictor and any sample that wants to show
 * the same figures. Deterministic: it runs on simulated time only (the simulated headset's motion and
 * IMU model), never on the wall clock, so the same desc always gives the same numbers. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#include "plx_predict.h"

/* Angular error percentiles, degrees. */
typedef struct plx_bench_stat {
    double p50, p99;
} plx_bench_stat;

typedef struct plx_bench_row {
    char profile[32];
    double horizon_ms;        /* display time minus the locate call's time */
    plx_bench_stat predictor; /* plx_predictor, PLX_PREDICT_MODE_FULL with desc.predictor */
    plx_bench_stat none;      /* baseline: the newest sample, unpredicted */
    plx_bench_stat constvel;  /* baseline: constant angular velocity from the newest sample */
    size_t count;             /* predictions measured */
} plx_bench_row;

/* Every field: 0 / NULL = the default beside it. */
typedef struct plx_bench_desc {
    double duration_s;           /* 0 = 60: simulated seconds of motion per profile */
    double warmup_s;             /* 0 = 1: first seconds not measured (filters settle) */
    double frame_hz;             /* 0 = 90: how often the runtime locates (once per frame) */
    uint64_t seed;               /* 0 = 1: motion (turns) and IMU noise seed */
    double gyro_noise_dps_rthz;  /* 0 = the modelled IMU's default (sim_imu_desc: 0.005 deg/s/sqrt(Hz)) */
    const char *const *profiles; /* NULL = look, turns, walk, stress */
    size_t profile_count;
    const double *horizons_ms; /* NULL = 5, 10, 20, 35, 50 */
    size_t horizon_count;
    plx_predictor_desc predictor; /* the predictor under test (mode is forced to FULL) */
} plx_bench_desc;

/* Runs every profile x horizon and writes one row each, in that order, to out_rows (capacity max_rows).
 * Returns the number of rows, or -1 after printing one line to stderr (bad profile, out of memory, or
 * max_rows too small). */
int plx_bench_predictor_run(const plx_bench_desc *desc, plx_bench_row *out_rows, size_t max_rows);
