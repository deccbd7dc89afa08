/* SPDX-License-Identifier: MIT */
/* Head motion truth and the modelled IMU/tracker of the simulated headset. No OpenXR types: times are
 * int64_t nanoseconds of CLOCK_MONOTONIC (same values as XrTime). Owned by motion.c and imu.c. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "plx_math.h"

typedef struct sim_motion sim_motion;

/* spec: "still" | "look" | "turns" | "walk" | "stress" | "yaw:<deg/s>" | "csv:<path>". seed makes profiles
 * with randomness (turns) reproducible. On a bad spec or a malformed CSV, writes ONE line to stderr naming
 * PARALLAX_SIM_MOTION or the file and line, and the expected form, and returns NULL. Thread-safe after
 * creation (sampling is a pure function of t).
 *   still   identity, no motion
 *   look    slow look-around (sines), peak ~45 deg/s
 *   turns   minimum-jerk gaze shifts of 5-90 deg at 0.3-1 per second, peak ~300 deg/s, from the seed
 *   walk    1.8 Hz step bob and sway, pacing 1.5 m forward and back (~0.9 m/s peak), gentle yaw
 *   stress  2.5 Hz yaw + 3.5 Hz pitch oscillation, ~200 deg/s, up to ~4600 deg/s^2
 *   yaw     constant yaw rate (deg/s, |rate| <= 3600) from t = 0: the analytic case for error metrics
 *   csv     lines "t,px,py,pz,qx,qy,qz,qw" (t in seconds, increasing; replay starts at the first row's t);
 *           blank lines and '#' comments are skipped, one header line is allowed before the first sample.
 *           Slerp/lerp between rows, velocities by finite difference, the first/last pose held outside.
 * All synthetic profiles rotate the head about a neck pivot, so turning also moves the eyes a little. */
sim_motion *sim_motion_create(const char *spec, uint64_t seed);
void sim_motion_destroy(sim_motion **m);
/* True head pose in LOCAL space at t seconds after the motion's start, with world-frame linear (m/s) and
 * angular (rad/s) velocity. Any NULL output is skipped. */
void sim_motion_sample(const sim_motion *m, double t, plx_pose *out_pose, plx_vec3 *out_lin_vel,
                       plx_vec3 *out_ang_vel);

typedef struct sim_imu sim_imu;

typedef struct sim_imu_desc {
    double rate_hz;                /* 0 = 1000 */
    double gyro_noise_dps_rthz;    /* gyro white noise density, deg/s/sqrt(Hz); 0 = 0.005 (consumer grade)*/
    double gyro_bias_walk_dps_rts; /* bias random walk, deg/s/sqrt(s); 0 = 0.0005 */
    double latency_ms;             /* sample arrival latency; 0 = 1.5 */
    uint64_t seed;                 /* noise stream; same seed, same samples */
} sim_imu_desc;

/* The IMU samples motion m from t0_ns on (motion time 0 == t0_ns). */
sim_imu *sim_imu_create(const sim_motion *m, int64_t t0_ns, const sim_imu_desc *desc);
void sim_imu_destroy(sim_imu **imu);
/* What the runtime's tracker reports at wall time now_ns for display time display_ns: uses the newest
 * sample that has arrived by now_ns; predict=true extrapolates to display_ns with constant angular (and
 * linear) velocity, predict=false returns that sample unpredicted. out_sample_ns = the sample's
 * measurement time. Thread-safe (internally locked).
 * In both modes a display_ns older than that sample is answered from the last second of history instead
 * (the newest sample measured at or before display_ns, advanced to display_ns with its rates, as
 * interpolating between samples would), so an app can locate a past display time after the fact;
 * extrapolation is capped at 250 ms. Before any sample has arrived, the state at t0_ns is returned.
 * Any NULL output is skipped. */
void sim_imu_locate(sim_imu *imu, int64_t now_ns, int64_t display_ns, bool predict, plx_pose *out_pose,
                    plx_vec3 *out_lin_vel, plx_vec3 *out_ang_vel, int64_t *out_sample_ns);
