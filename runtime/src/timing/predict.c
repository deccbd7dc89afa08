/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: app-side head pose prediction (DESIGN.md: "Pose prediction lives in the runtime for the
 * cases OpenXR does not cover"). The runtime's views are located as usual; when the runtime is known (or
 * said) to return unpredicted poses, the head pose is located again with velocities (VIEW in the reference
 * space, XrSpaceVelocity), fed to the predictor as a sample taken now, and predicted to the display time.
 * Each eye keeps its offset from the head as the runtime reported it, so the IPD and eye rotation stay the
 * runtime's.
 *
 * Detection (PLX_PREDICTION_AUTO): the head is located at the display time and 20 ms later in one go. A
 * predicting runtime answers two poses about |omega| * 20 ms apart, an unpredicting one the same pose twice;
 * plx_prediction_detector votes over several frames. While the head is too still to tell, the runtime is
 * trusted. May call base/; locates the xr/ VIEW space it is given. */
#include <stdlib.h>
#include <string.h>

#include "plx_math.h"
#include "timing/plx_timing.h"

/* How far past the display time the detector's second locate looks. */
static const int64_t detect_offset_ns = 20 * 1000000;
/* Checks after which auto mode stops asking (the head may never move enough to tell). */
enum { DETECT_MAX_CHECKS = 2000 };

static plx_prediction prediction_from_env(const plx_report *r, plx_prediction p)
{
    const char *v = getenv("PARALLAX_PREDICTION");
    if (!v || !*v) return p;
    if (strcmp(v, "auto") == 0) return PLX_PREDICTION_AUTO;
    if (strcmp(v, "on") == 0) return PLX_PREDICTION_ON;
    if (strcmp(v, "off") == 0) return PLX_PREDICTION_OFF;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_PREDICTION=%.64s is not valid: expected auto|on|off (using %s)", v,
            p == PLX_PREDICTION_ON    ? "on"
            : p == PLX_PREDICTION_OFF ? "off"
                                      : "auto");
    return p;
}

plx_result plx_predict_init(plx_predict *l, plx_report *r, const plx_time *time, plx_prediction setting)
{
    l->report = r;
    l->time = time;
    if (setting < PLX_PREDICTION_DEFAULT || setting > PLX_PREDICTION_OFF)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.prediction %d is not a plx_prediction", setting);
    l->prediction = prediction_from_env(r, setting == PLX_PREDICTION_DEFAULT ? PLX_PREDICTION_AUTO : setting);
    plx_predictor_init(&l->predictor, NULL);
    l->detector = (plx_prediction_detector){0};
    l->runtime_prediction = PLX_RUNTIME_PREDICTION_UNKNOWN;
    return PLX_SUCCESS;
}

void plx_predict_session_new(plx_predict *p)
{
    plx_predictor_reset(&p->predictor);
}

static plx_pose pose_from_xr(const XrPosef *p)
{
    plx_pose out;
    memcpy(&out, p, sizeof out);
    return out;
}

static plx_vec3 vec_from_xr(XrVector3f v)
{
    return (plx_vec3){v.x, v.y, v.z};
}

/* Head pose (VIEW in the reference space) at t, with velocities when asked. False when not tracked. */
static plx_result locate_head(const plx_predict *p, const plx_xr *xr, XrTime t, XrSpaceLocation *loc,
                              XrSpaceVelocity *vel, bool *out_valid)
{
    *loc = (XrSpaceLocation){.type = XR_TYPE_SPACE_LOCATION, .next = vel};
    if (vel) *vel = (XrSpaceVelocity){.type = XR_TYPE_SPACE_VELOCITY};
    plx_result res = PLX_XR(p->report, xrLocateSpace(xr->view_space, xr->space, t, loc));
    *out_valid = (loc->locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT) != 0;
    return res;
}

plx_result plx_predict_views(plx_predict *l, const plx_xr *xr, XrTime display_time, XrView views[2])
{
    l->predicting = false;
    if (l->prediction == PLX_PREDICTION_OFF || xr->view_space == XR_NULL_HANDLE) return PLX_SUCCESS;
    bool detect = l->prediction == PLX_PREDICTION_AUTO &&
                  l->runtime_prediction == PLX_RUNTIME_PREDICTION_UNKNOWN &&
                  l->detect_checks < DETECT_MAX_CHECKS;
    /* A raw pose is a sample of now, predicted to the display time: both must be XrTime (safe mode: off). */
    bool can_apply = plx_time_known(l->time);
    bool apply = can_apply && (l->prediction == PLX_PREDICTION_ON ||
                               (l->prediction == PLX_PREDICTION_AUTO &&
                                l->runtime_prediction == PLX_RUNTIME_PREDICTION_UNPREDICTED));
    if (!detect && !apply) return PLX_SUCCESS;

    int64_t now = plx_time_now(l->time);
    XrSpaceLocation head;
    XrSpaceVelocity vel;
    bool valid = false;
    plx_result res = locate_head(l, xr, display_time, &head, &vel, &valid);
    if (res < 0) return res;
    if (!valid) {
        /* Tracking lost: the history no longer describes the motion that follows. */
        plx_predictor_reset(&l->predictor);
        return PLX_SUCCESS;
    }
    plx_vec3 ang = vec_from_xr(vel.angularVelocity), lin = vec_from_xr(vel.linearVelocity);
    if (detect && (vel.velocityFlags & XR_SPACE_VELOCITY_ANGULAR_VALID_BIT)) {
        XrSpaceLocation far;
        bool far_valid = false;
        if ((res = locate_head(l, xr, display_time + detect_offset_ns, &far, NULL, &far_valid)) < 0)
            return res;
        if (far_valid) {
            plx_pose a = pose_from_xr(&head.pose), b = pose_from_xr(&far.pose);
            plx_runtime_prediction check =
                plx_predict_check_runtime(&a, display_time, &b, display_time + detect_offset_ns, ang);
            l->detect_checks++;
            l->runtime_prediction = plx_prediction_detector_add(&l->detector, check);
            if (l->runtime_prediction != PLX_RUNTIME_PREDICTION_UNKNOWN)
                plx_log(l->report, PLX_LOG_INFO, "prediction: the runtime %s (after %u checks)%s",
                        l->runtime_prediction == PLX_RUNTIME_PREDICTION_PREDICTED ? "predicts poses"
                                                                                  : "returns raw poses",
                        l->detect_checks,
                        l->runtime_prediction != PLX_RUNTIME_PREDICTION_UNPREDICTED ? ""
                        : can_apply ? "; predicting on the app side"
                                    : "; not predicting on the app side (no XrTime conversion)");
            apply = can_apply && l->runtime_prediction == PLX_RUNTIME_PREDICTION_UNPREDICTED;
        }
    }

    /* The raw pose is the newest the runtime has, whatever time was asked: it is a sample of now (at best;
     * the sensor's own latency is not reported). */
    uint32_t flags = 0;
    if (head.locationFlags & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT) flags |= PLX_PREDICT_ORIENTATION_VALID;
    if (head.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT) flags |= PLX_PREDICT_POSITION_VALID;
    if (vel.velocityFlags & XR_SPACE_VELOCITY_ANGULAR_VALID_BIT) flags |= PLX_PREDICT_ANGULAR_VELOCITY_VALID;
    if (vel.velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT) flags |= PLX_PREDICT_LINEAR_VELOCITY_VALID;
    plx_pose head_pose = pose_from_xr(&head.pose);
    plx_predictor_add_sample(&l->predictor, now, &head_pose, &lin, &ang, flags);
    if (!apply) return PLX_SUCCESS;

    plx_pose predicted;
    if (!plx_predictor_predict(&l->predictor, display_time, &predicted)) return PLX_SUCCESS;
    plx_pose head_inv = plx_pose_inverse(head_pose);
    for (int eye = 0; eye < 2; eye++) {
        plx_pose eye_pose = pose_from_xr(&views[eye].pose);
        plx_pose offset = plx_pose_mul(head_inv, eye_pose); /* eye in head space */
        plx_pose out = plx_pose_mul(predicted, offset);
        out.orientation = plx_quat_normalize(out.orientation);
        memcpy(&views[eye].pose, &out, sizeof out);
    }
    l->predicting = true;
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- pipelined work */

plx_result plx_predict_head_at(plx_predict *l, const plx_xr *xr, int64_t frame_display_time, int64_t time,
                               plx_head_pose *out)
{
    /* Where the runtime's own answer ends: a predicting runtime predicts up to the newest display time it
     * gave (further than that, runtimes clamp or do not say how well they predict); an unpredicting one
     * only knows now. */
    int64_t now = plx_time_now(l->time);
    bool raw = l->predicting;
    int64_t anchor = raw ? now : frame_display_time > 0 ? frame_display_time : now;
    int64_t at = time < anchor ? time : anchor;
    XrSpaceLocation loc;
    XrSpaceVelocity vel;
    bool valid = false;
    plx_result res = locate_head(l, xr, at, &loc, &vel, &valid);
    if (res < 0) return res;
    if (!valid) return PLX_SUCCESS; /* tracking lost: out->valid stays false */

    plx_pose pose = pose_from_xr(&loc.pose);
    if (time > at) {
        uint32_t flags = PLX_PREDICT_ORIENTATION_VALID;
        if (loc.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT) flags |= PLX_PREDICT_POSITION_VALID;
        if (vel.velocityFlags & XR_SPACE_VELOCITY_ANGULAR_VALID_BIT)
            flags |= PLX_PREDICT_ANGULAR_VELOCITY_VALID;
        if (vel.velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT)
            flags |= PLX_PREDICT_LINEAR_VELOCITY_VALID;
        plx_vec3 ang = vec_from_xr(vel.angularVelocity), lin = vec_from_xr(vel.linearVelocity);
        /* A raw runtime's pose is a sample of now: it joins the frame loop's own history (smoothed). A
         * predicted one is a pose at the anchor, not a sensor sample: it is extrapolated on its own. */
        plx_predictor one, *p = &l->predictor;
        if (!raw) {
            plx_predictor_init(&one, NULL);
            p = &one;
        }
        plx_predictor_add_sample(p, at, &pose, &lin, &ang, flags);
        if (plx_predictor_predict(p, time, &pose)) out->extrapolated = true;
    }
    out->valid = true;
    plx_pose_to_arrays(pose, out->position, out->orientation);
    return PLX_SUCCESS;
}

void plx_predict_note_submitted(plx_predict *p, bool layer_submitted)
{
    if (layer_submitted && p->predicting) p->frames_predicted++;
}

void plx_predict_info(const plx_predict *p, plx_latency_info *out)
{
    out->prediction = p->prediction;
    out->runtime_predicts_known = p->runtime_prediction != PLX_RUNTIME_PREDICTION_UNKNOWN;
    out->runtime_predicts = p->runtime_prediction == PLX_RUNTIME_PREDICTION_PREDICTED;
    out->predicting = p->predicting;
    out->frames_predicted = p->frames_predicted;
}
