/* SPDX-License-Identifier: MIT */
/* plx_predict: the runtime's head pose predictor (pure math, no OpenXR types; shared through plx_common).
 *
 * Input: timestamped poses with velocities, as xrLocateSpace with XrSpaceVelocity reports them (angular
 * velocity in the base frame, rad/s). Output: the pose at a later time (the display time). Orientation is
 * integrated on the quaternion manifold; position is extrapolated linearly.
 *
 * What it adds over "constant angular velocity" (what most runtimes do themselves):
 *  - noise-aware smoothing of the angular velocity that fades out as speed grows, so slow motion does not
 *    jitter and fast motion is not delayed;
 *  - an angular acceleration estimated from the velocity history, extrapolated only over a short, damped
 *    window and never allowed to reverse the direction of rotation (heads stop; they do not bounce back);
 *  - horizon awareness: the horizon is clamped, and extrapolation fades out beyond `damp_after_s`, so a
 *    stale sample or an absurd target time gives a bounded, sane pose instead of a wild spin.
 *
 * A plx_predictor is caller-owned memory (init/reset, no allocation). Not thread-safe: one per thread or
 * guarded by the caller. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#include "plx_math.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Sample validity flags (map from XrSpaceLocationFlags / XrSpaceVelocityFlags). */
#define PLX_PREDICT_ORIENTATION_VALID      0x1u
#define PLX_PREDICT_POSITION_VALID         0x2u
#define PLX_PREDICT_ANGULAR_VELOCITY_VALID 0x4u
#define PLX_PREDICT_LINEAR_VELOCITY_VALID  0x8u
#define PLX_PREDICT_ALL_VALID              0xFu

/* Every field: 0 = the default given beside it. */
typedef struct plx_predictor_desc {
    double max_horizon_s;  /* 0 = 0.1: prediction further than this past the sample is clamped to it */
    double damp_after_s;   /* 0 = 0.05: beyond this horizon the extrapolated motion fades out ... */
    double damp_tau_s;     /* 0 = 0.03: ... with this time constant (so the total is bounded) */
    double stale_after_s;  /* 0 = 0.1: a gap between samples longer than this drops the velocity
                              history (no acceleration is estimated across it) */
    double gyro_noise_dps; /* 0 = estimate online: the expected noise (1 sigma per axis, deg/s) of the
                              input angular velocity, tracked from the filter's innovations (starting at
                              0.5). > 0 fixes it. Smoothing applies to motion of about this size */
    double accel_window_s; /* 0 = 0.025: angular acceleration is extrapolated over at most about this
                              long (soft saturation), since it does not persist much longer in a head */
    int mode;              /* 0 = PLX_PREDICT_MODE_FULL */
} plx_predictor_desc;

enum {
    PLX_PREDICT_MODE_FULL = 0,              /* smoothing + damped acceleration (default) */
    PLX_PREDICT_MODE_CONSTANT_VELOCITY = 1, /* baseline: the latest velocities, unfiltered, constant */
    PLX_PREDICT_MODE_NONE = 2,              /* baseline: the latest pose, unchanged */
};

typedef struct plx_predictor {
    plx_predictor_desc desc; /* defaults resolved */
    bool has_sample;
    uint32_t flags;
    int64_t t_ns; /* time of the newest sample */
    plx_pose pose;
    plx_vec3 lin_vel;
    plx_vec3 ang_vel_raw; /* newest measured angular velocity */
    plx_vec3 ang_vel;     /* smoothed angular velocity at t_ns */
    plx_vec3 ang_acc;     /* estimated angular acceleration at t_ns */
    double ang_acc_noise; /* expected noise of ang_acc (rad/s^2), for the significance test */
    double innovation_q;  /* running 25th percentile of |velocity innovation| (rad/s), for the noise */
    uint32_t history;     /* consecutive samples with angular velocity since the last gap */
} plx_predictor;

/* Initialises p with desc (NULL = all defaults). */
void plx_predictor_init(plx_predictor *p, const plx_predictor_desc *desc);
/* Forgets every sample (e.g. after tracking loss or a session restart); keeps the desc. */
void plx_predictor_reset(plx_predictor *p);
/* Adds a sample taken at t_ns. lin_vel / ang_vel may be NULL (treated as not valid). A sample older than
 * the newest one, without a valid orientation, or with non-finite values is ignored and false is
 * returned; a sample at the same time as the newest replaces it. */
bool plx_predictor_add_sample(plx_predictor *p, int64_t t_ns, const plx_pose *pose, const plx_vec3 *lin_vel,
                              const plx_vec3 *ang_vel, uint32_t flags);
/* Pose predicted for t_ns. false (and identity) when no sample has been added. A t_ns before the newest
 * sample extrapolates backwards with constant velocity. */
bool plx_predictor_predict(const plx_predictor *p, int64_t t_ns, plx_pose *out_pose);

/* Does the runtime predict? Locate the same space at two display times (near_t < far_t) in one call
 * (same call time) and pass both poses with the angular velocity reported at near_t. A predicting runtime
 * returns poses that differ by about |omega| * (far_t - near_t); an unpredicted one returns the same pose.
 * UNKNOWN when the head moves too slowly to tell. */
typedef enum plx_runtime_prediction {
    PLX_RUNTIME_PREDICTION_UNKNOWN = 0,
    PLX_RUNTIME_PREDICTION_PREDICTED = 1,
    PLX_RUNTIME_PREDICTION_UNPREDICTED = 2,
} plx_runtime_prediction;

plx_runtime_prediction plx_predict_check_runtime(const plx_pose *near_pose, int64_t near_t,
                                                 const plx_pose *far_pose, int64_t far_t, plx_vec3 ang_vel);

/* Votes over several checks, so one noisy frame does not decide. Zero-initialise. */
typedef struct plx_prediction_detector {
    uint32_t predicted, unpredicted;
} plx_prediction_detector;

/* Adds one check; returns the verdict so far: UNKNOWN until 5 decisive checks, then the clear majority
 * (at least 80%), else UNKNOWN. */
plx_runtime_prediction plx_prediction_detector_add(plx_prediction_detector *d, plx_runtime_prediction check);

#ifdef __cplusplus
}
#endif
