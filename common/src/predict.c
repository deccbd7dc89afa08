/* SPDX-License-Identifier: MIT */
/* plx_predict: implementation of common/include/plx_predict.h. */
#include "plx_predict.h"

#include <math.h>
#include <stddef.h>

#define DEG (PLX_PI / 180.0)
/* Extrapolation substep: the angular velocity changes along the horizon, so the rotation is integrated in
 * short steps on the manifold (exact per step for the step's constant rate). */
#define SUBSTEP_S    0.002
#define MAX_SUBSTEPS 64
/* Two samples closer than this are the same measurement seen twice (e.g. two locates between IMU samples):
 * differencing them would divide noise by ~0. */
#define SAME_SAMPLE_S 1e-4
/* Online noise estimate: a multiplicative quantile tracker of |innovation| at this quantile. The low
 * quantile keeps it on the noise floor: turns and other real changes make large innovations, but only
 * part of the time. */
#define NOISE_QUANTILE        0.25
#define NOISE_RATE            0.02
#define QUANTILE_TO_SIGMA_INV 1.1 /* 25th percentile of the norm of 3 N(0, s^2) is ~1.1 s */

static double resolve(double v, double def)
{
    return (v > 0.0 && isfinite(v)) ? v : def;
}

void plx_predictor_init(plx_predictor *p, const plx_predictor_desc *desc)
{
    if (!p) return;
    plx_predictor_desc d = desc ? *desc : (plx_predictor_desc){0};
    d.max_horizon_s = resolve(d.max_horizon_s, 0.1);
    d.damp_after_s = resolve(d.damp_after_s, 0.05);
    d.damp_tau_s = resolve(d.damp_tau_s, 0.03);
    d.stale_after_s = resolve(d.stale_after_s, 0.1);
    d.gyro_noise_dps = d.gyro_noise_dps > 0.0 && isfinite(d.gyro_noise_dps) ? d.gyro_noise_dps : 0.0;
    d.accel_window_s = resolve(d.accel_window_s, 0.025);
    if (d.mode < PLX_PREDICT_MODE_FULL || d.mode > PLX_PREDICT_MODE_NONE) d.mode = PLX_PREDICT_MODE_FULL;
    *p = (plx_predictor){.desc = d};
    plx_predictor_reset(p);
}

void plx_predictor_reset(plx_predictor *p)
{
    if (!p) return;
    plx_predictor_desc d = p->desc;
    *p = (plx_predictor){.desc = d, .pose = plx_pose_identity()};
    /* The 25th percentile of the magnitude of 3-axis Gaussian noise is ~1.1 sigma; start at 0.5 deg/s. */
    p->innovation_q = QUANTILE_TO_SIGMA_INV * 0.5 * DEG;
}

static bool vec_finite(plx_vec3 v)
{
    return isfinite(v.x) && isfinite(v.y) && isfinite(v.z);
}

static double clampd(double v, double lo, double hi)
{
    return v < lo ? lo : (v > hi ? hi : v);
}

bool plx_predictor_add_sample(plx_predictor *p, int64_t t_ns, const plx_pose *pose, const plx_vec3 *lin_vel,
                              const plx_vec3 *ang_vel, uint32_t flags)
{
    if (!p || !pose || !(flags & PLX_PREDICT_ORIENTATION_VALID)) return false;
    plx_quat q = pose->orientation;
    if (!isfinite(q.x) || !isfinite(q.y) || !isfinite(q.z) || !isfinite(q.w)) return false;
    if (!vec_finite(pose->position)) return false;
    if (p->has_sample && t_ns < p->t_ns) return false;
    if (!lin_vel || !vec_finite(*lin_vel)) flags &= ~PLX_PREDICT_LINEAR_VELOCITY_VALID;
    if (!ang_vel || !vec_finite(*ang_vel)) flags &= ~PLX_PREDICT_ANGULAR_VELOCITY_VALID;

    plx_vec3 zero = {0, 0, 0};
    plx_vec3 w_m = (flags & PLX_PREDICT_ANGULAR_VELOCITY_VALID) ? *ang_vel : zero;
    double dt = p->has_sample ? (double)(t_ns - p->t_ns) * 1e-9 : 0.0;
    bool continuous = p->has_sample && (p->flags & PLX_PREDICT_ANGULAR_VELOCITY_VALID) &&
                      (flags & PLX_PREDICT_ANGULAR_VELOCITY_VALID) && dt <= p->desc.stale_after_s;

    if (p->desc.mode != PLX_PREDICT_MODE_FULL || !continuous) {
        /* Baselines use the measurement as is; after a gap there is no history to filter with. */
        p->ang_vel = w_m;
        p->ang_acc = zero;
        p->history = (flags & PLX_PREDICT_ANGULAR_VELOCITY_VALID) ? 1u : 0u;
    } else if (dt < SAME_SAMPLE_S) {
        /* The same measurement again (or one a hair later): take it, keep the acceleration estimate. */
        p->ang_vel = w_m;
    } else {
        /* Innovation: the new measurement against the constant-acceleration prediction from the last. */
        plx_vec3 pred = p->ang_vel;
        if (p->history >= 2) pred = plx_vec3_add(pred, plx_vec3_scale(p->ang_acc, (float)dt));
        plx_vec3 r = plx_vec3_sub(w_m, pred);
        double inn = plx_vec3_length(r);
        if (inn < p->innovation_q)
            p->innovation_q *= 1.0 - NOISE_RATE * (1.0 - NOISE_QUANTILE);
        else
            p->innovation_q *= 1.0 + NOISE_RATE * NOISE_QUANTILE;
        /* Never below a millionth of a degree per second, so exact input does not collapse it to 0. */
        p->innovation_q = fmax(p->innovation_q, 1e-6 * DEG);
        double sigma = p->desc.gyro_noise_dps > 0.0 ? p->desc.gyro_noise_dps * DEG
                                                    : p->innovation_q / QUANTILE_TO_SIGMA_INV;
        /* Velocity: alpha filter around that prediction. The gain grows with speed and with surprise, so
         * slow motion (where noise shows as jitter) is smoothed while fast motion passes through with no
         * added lag. */
        double mag = fmax(plx_vec3_length(w_m), inn);
        double g = clampd(mag / (mag + 2.0 * sigma), 0.25, 1.0);
        plx_vec3 w_f = plx_vec3_add(pred, plx_vec3_scale(r, (float)g));

        /* Acceleration: difference of measured velocities, whose noise is sqrt(2) sigma / dt; blended
         * the same way so noise-sized changes are averaged and real accelerations are followed. */
        plx_vec3 a_m = plx_vec3_scale(plx_vec3_sub(w_m, p->ang_vel_raw), (float)(1.0 / dt));
        double sigma_a = 1.41421356 * sigma / dt;
        plx_vec3 ea = plx_vec3_sub(a_m, p->ang_acc);
        double e = fmax(plx_vec3_length(ea), plx_vec3_length(a_m));
        double b = clampd(e / (e + 2.0 * sigma_a), p->history >= 2 ? 0.1 : 0.0, 1.0);
        p->ang_acc = plx_vec3_add(p->ang_acc, plx_vec3_scale(ea, (float)b));
        /* Noise left after that exponential average: sigma_a * sqrt(b / (2 - b)). */
        p->ang_acc_noise = sigma_a * sqrt(b / (2.0 - b));
        p->ang_vel = w_f;
        if (p->history < UINT32_MAX) p->history++;
    }

    p->has_sample = true;
    p->t_ns = t_ns;
    p->flags = flags;
    p->pose.orientation = plx_quat_normalize(q);
    p->pose.position = pose->position;
    p->lin_vel = (flags & PLX_PREDICT_LINEAR_VELOCITY_VALID) ? *lin_vel : zero;
    p->ang_vel_raw = w_m;
    return true;
}

/* Weight of the motion at extrapolation time tau: 1 up to damp_after, then an exponential fade. */
static double fade(const plx_predictor_desc *d, double tau)
{
    return tau <= d->damp_after_s ? 1.0 : exp(-(tau - d->damp_after_s) / d->damp_tau_s);
}

/* Integral of fade() from 0 to h: the effective extrapolation time, bounded by damp_after + damp_tau. */
static double fade_integral(const plx_predictor_desc *d, double h)
{
    if (h <= d->damp_after_s) return h;
    return d->damp_after_s + d->damp_tau_s * (1.0 - exp(-(h - d->damp_after_s) / d->damp_tau_s));
}

bool plx_predictor_predict(const plx_predictor *p, int64_t t_ns, plx_pose *out_pose)
{
    if (!p || !p->has_sample) {
        if (out_pose) *out_pose = plx_pose_identity();
        return false;
    }
    const plx_predictor_desc *d = &p->desc;
    plx_pose out = p->pose;
    double h = (double)(t_ns - p->t_ns) * 1e-9;

    if (d->mode == PLX_PREDICT_MODE_NONE) {
        if (out_pose) *out_pose = out;
        return true;
    }
    if (d->mode == PLX_PREDICT_MODE_CONSTANT_VELOCITY) {
        /* The plain baseline: no clamping, no fading, exactly what a simple runtime does. */
        out.orientation = plx_quat_integrate(out.orientation, p->ang_vel_raw, h);
        out.position = plx_vec3_add(out.position, plx_vec3_scale(p->lin_vel, (float)h));
        if (out_pose) *out_pose = out;
        return true;
    }

    h = clampd(h, -d->max_horizon_s, d->max_horizon_s);
    if (h <= 0.0) {
        /* Backwards (a query just before the newest sample): constant velocity is exact enough. */
        out.orientation = plx_quat_integrate(out.orientation, p->ang_vel, h);
        out.position = plx_vec3_add(out.position, plx_vec3_scale(p->lin_vel, (float)h));
        if (out_pose) *out_pose = out;
        return true;
    }

    plx_vec3 w0 = p->ang_vel;
    double w0_len = plx_vec3_length(w0);
    plx_vec3 axis = w0_len > 1e-6 ? plx_vec3_scale(w0, (float)(1.0 / w0_len)) : (plx_vec3){0, 0, 0};
    bool use_acc = p->history >= 2;
    /* An acceleration no larger than its own noise is mostly noise: shrink it smoothly toward zero so it
     * does not push a slow or steady head around, while real accelerations pass nearly untouched. */
    plx_vec3 acc = p->ang_acc;
    if (use_acc) {
        double a2 = plx_vec3_dot(acc, acc);
        double n2 = 9.0 * p->ang_acc_noise * p->ang_acc_noise;
        acc = plx_vec3_scale(acc, (float)(a2 / (a2 + n2 + 1e-30)));
    }
    int n = (int)ceil(h / SUBSTEP_S);
    if (n < 1) n = 1;
    if (n > MAX_SUBSTEPS) n = MAX_SUBSTEPS;
    double step = h / n;
    plx_quat q = out.orientation;
    for (int i = 0; i < n; i++) {
        double tau = (i + 0.5) * step;
        plx_vec3 w = w0;
        if (use_acc) {
            /* Soft-saturated: acceleration is followed for about accel_window, not forever. */
            double s = d->accel_window_s * (1.0 - exp(-tau / d->accel_window_s));
            w = plx_vec3_add(w, plx_vec3_scale(acc, (float)s));
            /* A decelerating head stops; it does not spin back. Remove any reversed component. */
            double along = plx_vec3_dot(w, axis);
            if (along < 0.0) w = plx_vec3_sub(w, plx_vec3_scale(axis, (float)along));
        }
        w = plx_vec3_scale(w, (float)fade(d, tau));
        q = plx_quat_normalize(plx_quat_mul(plx_quat_exp(plx_vec3_scale(w, (float)step)), q));
    }
    out.orientation = q;
    out.position = plx_vec3_add(out.position, plx_vec3_scale(p->lin_vel, (float)fade_integral(d, h)));
    if (out_pose) *out_pose = out;
    return true;
}

plx_runtime_prediction plx_predict_check_runtime(const plx_pose *near_pose, int64_t near_t,
                                                 const plx_pose *far_pose, int64_t far_t, plx_vec3 ang_vel)
{
    if (!near_pose || !far_pose || far_t <= near_t || !vec_finite(ang_vel))
        return PLX_RUNTIME_PREDICTION_UNKNOWN;
    double expected = plx_vec3_length(ang_vel) * (double)(far_t - near_t) * 1e-9;
    /* Below ~0.1 degree the difference drowns in tracker noise either way. */
    if (expected < 0.1 * DEG) return PLX_RUNTIME_PREDICTION_UNKNOWN;
    double observed = plx_quat_angle_between(near_pose->orientation, far_pose->orientation);
    double ratio = observed / expected;
    if (ratio < 0.25) return PLX_RUNTIME_PREDICTION_UNPREDICTED;
    if (ratio > 0.5) return PLX_RUNTIME_PREDICTION_PREDICTED;
    return PLX_RUNTIME_PREDICTION_UNKNOWN;
}

plx_runtime_prediction plx_prediction_detector_add(plx_prediction_detector *d, plx_runtime_prediction check)
{
    if (!d) return PLX_RUNTIME_PREDICTION_UNKNOWN;
    if (check == PLX_RUNTIME_PREDICTION_PREDICTED) d->predicted++;
    if (check == PLX_RUNTIME_PREDICTION_UNPREDICTED) d->unpredicted++;
    uint32_t decisive = d->predicted + d->unpredicted;
    if (decisive < 5) return PLX_RUNTIME_PREDICTION_UNKNOWN;
    if ((uint64_t)d->predicted * 5 >= (uint64_t)decisive * 4) return PLX_RUNTIME_PREDICTION_PREDICTED;
    if ((uint64_t)d->unpredicted * 5 >= (uint64_t)decisive * 4) return PLX_RUNTIME_PREDICTION_UNPREDICTED;
    return PLX_RUNTIME_PREDICTION_UNKNOWN;
}
