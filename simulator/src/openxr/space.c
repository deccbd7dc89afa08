/* SPDX-License-Identifier: MIT */
/* Reference and action spaces, the tracker, xrLocateSpace, xrLocateSpaces and xrLocateViews. Every space is
 * reduced to the pose and velocities of its origin in LOCAL at the requested time; relative locations follow
 * from two of those. LOCAL is the tracker's frame (origin at head height), STAGE and LOCAL_FLOOR (OpenXR 1.1
 * or XR_EXT_local_floor) are LOCAL moved down to the floor, VIEW is the head as the tracker reports it, and
 * the simulated controllers hang off the head's yaw. What xrLocateViews returned is remembered, so xrEndFrame
 * (frame.c) can tell when submitted poses were sampled. Layer: openxr (the upper part), above action.c; calls
 * action.c, session.c, handles.c, device/ (optics, user, clock), base/ and the motion library (the IMU). */
#include "openxr/sim_entry_points.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_pose.h"
#include "device/sim_hand.h"
#include "device/sim_optics.h"

#define SIM_LOCATE_HISTORY 32 /* xrLocateViews results kept to find when submitted poses were sampled */

/* What xrLocateViews returned lately (the session's s->located). */
typedef struct sim_located_entry {
    XrPosef pose[2]; /* the eye poses in LOCAL */
    XrTime locate_time, sample_time;
} sim_located_entry;

struct sim_located {
    pthread_mutex_t lock; /* xrLocateViews may run on any thread */
    sim_located_entry ring[SIM_LOCATE_HISTORY];
    int next, count;
};

static plx_vec3 vec(float x, float y, float z)
{
    return (plx_vec3){x, y, z};
}

/* ---------------------------------------------------------------- tracker, eyes, hands */

void sim_tracker_head(sim_session *s, XrTime t, XrPosef *out_pose, XrVector3f *out_lin_vel,
                      XrVector3f *out_ang_vel, XrTime *out_sample_time)
{
    plx_pose pose;
    plx_vec3 lin, ang;
    int64_t sample = 0;
    XrTime now = sim_now();
    sim_imu_locate(s->imu, now, t, s->inst->cfg.prediction == SIM_PREDICTION_PREDICT, &pose, &lin, &ang,
                   &sample);
    /* The user's head offset (preview window, PARALLAX_SIM_INPUT) as the tracker senses it now, with its
     * rates, predicted like the rest of the head when the runtime predicts (window.c). */
    plx_pose off;
    plx_vec3 off_ang, off_lin;
    sim_user_tracked_offset(s->user, now, t, s->inst->cfg.prediction == SIM_PREDICTION_PREDICT, &off,
                            &off_ang, &off_lin);
    /* off * pose: velocities of a frame carried by a rotating, moving offset. */
    plx_vec3 p = plx_quat_rotate(off.orientation, pose.position);
    pose = plx_pose_mul(off, pose);
    lin = plx_vec3_add(plx_vec3_add(plx_quat_rotate(off.orientation, lin), off_lin),
                       plx_vec3_cross(off_ang, p));
    ang = plx_vec3_add(plx_quat_rotate(off.orientation, ang), off_ang);
    if (out_pose) *out_pose = sim_xr_pose(pose);
    if (out_lin_vel) *out_lin_vel = sim_xr_vec(lin);
    if (out_ang_vel) *out_ang_vel = sim_xr_vec(ang);
    if (out_sample_time) *out_sample_time = sample;
}

/* Where the idle simulated controllers are held, in the head's yaw frame: at waist height in front. */
static const plx_vec3 hand_offset[2] = {{-0.2f, -0.3f, -0.35f}, {0.2f, -0.3f, -0.35f}};

/* Pose and velocities of a space origin in LOCAL. */
typedef struct kinematics {
    plx_pose pose;
    plx_vec3 lin, ang; /* world (LOCAL) frame, m/s and rad/s */
    bool valid;
    bool lost;          /* not valid because the headset lost tracking (PARALLAX_SIM_INPUT head.tracked=0) */
    XrTime sample_time; /* tracker sample behind it (0 for static spaces) */
} kinematics;

/* Whether the headset's tracker has the head for display time t: a time to come is answered with what the
 * tracker knows now, a past one from its history (a loss then leaves a gap in it). */
static bool head_tracked(sim_session *s, XrTime t)
{
    XrTime now = sim_now();
    return sim_user_head_tracked(s->user, t < now ? t : now);
}

/* What a runtime may leave in a pose it does not vouch for: the spec makes it undefined (applications must
 * not read it), so the simulated headset returns NaN, the hardest case for an app that does. */
static XrPosef undefined_pose(void)
{
    return (XrPosef){.orientation = {NAN, NAN, NAN, NAN}, .position = {NAN, NAN, NAN}};
}

static kinematics head_kinematics(sim_session *s, XrTime t)
{
    XrPosef pose;
    XrVector3f lin, ang;
    kinematics k = {.valid = true};
    sim_tracker_head(s, t, &pose, &lin, &ang, &k.sample_time);
    k.pose = sim_plx_pose(pose);
    k.lin = vec(lin.x, lin.y, lin.z);
    k.ang = vec(ang.x, ang.y, ang.z);
    return k;
}

static kinematics hand_kinematics(sim_session *s, int hand, XrTime t)
{
    kinematics head = head_kinematics(s, t);
    /* Follow the head's heading only, so looking up or down does not swing the hands. */
    plx_vec3 fwd = plx_quat_rotate(head.pose.orientation, vec(0.0f, 0.0f, -1.0f));
    float yaw = atan2f(-fwd.x, -fwd.z);
    plx_quat q = plx_quat_from_axis_angle(vec(0.0f, 1.0f, 0.0f), yaw);
    plx_vec3 r = plx_quat_rotate(q, hand_offset[hand]);
    kinematics k = {.valid = true, .sample_time = head.sample_time};
    k.pose.orientation = q;
    k.pose.position = plx_vec3_add(head.pose.position, r);
    /* The yaw frame turns with the head's rate about the vertical (exact when the head is level). */
    k.ang = vec(0.0f, head.ang.y, 0.0f);
    k.lin = plx_vec3_add(head.lin, plx_vec3_cross(k.ang, r));
    return k;
}

/* A point fixed in a moving frame k, at offset off (in k's frame): its pose and velocities. */
static kinematics attached(const kinematics *k, plx_pose off)
{
    kinematics out = *k;
    plx_vec3 r = plx_quat_rotate(k->pose.orientation, off.position);
    out.pose = plx_pose_mul(k->pose, off);
    /* A point fixed in a rotating frame moves with omega x r. */
    out.lin = plx_vec3_add(k->lin, plx_vec3_cross(k->ang, r));
    return out;
}

/* Where a hand's poses are in its grip frame: aim at the controller's front tip, grip_surface on the palm's
 * surface (toward the palm: -X for the left hand, +X for the right); pinch (between the thumb and index tips)
 * and poke (the index tip, pointing along the finger) from the tracked hand's joints (device/hand.c). */
static plx_pose hand_pose_offset(sim_session *s, int hand, sim_pose_kind kind, XrTime t)
{
    plx_pose off = plx_pose_identity();
    switch (kind) {
    case SIM_POSE_AIM:
        off.position = vec(0.0f, 0.01f, -0.06f);
        break;
    case SIM_POSE_GRIP_SURFACE:
        off.position = vec(hand == 0 ? -0.02f : 0.02f, 0.0f, 0.0f);
        break;
    case SIM_POSE_PINCH:
    case SIM_POSE_POKE: {
        sim_controller_state c = sim_user_hand(s->user, hand, sim_now());
        sim_hand_joints j;
        sim_hand_joints_at(hand, &c, t, &j);
        const plx_pose *thumb = &j.pose[XR_HAND_JOINT_THUMB_TIP_EXT],
                       *index = &j.pose[XR_HAND_JOINT_INDEX_TIP_EXT];
        if (kind == SIM_POSE_POKE) return *index;
        /* The pinch pose: between the two tips, pointing forward like the aim. */
        off.position = plx_vec3_scale(plx_vec3_add(thumb->position, index->position), 0.5f);
        break;
    }
    default:
        break;
    }
    return off;
}

/* The space's natural origin (before poseInReferenceSpace / poseInActionSpace). */
static kinematics natural_kinematics(sim_space *sp, XrTime t)
{
    sim_session *s = sp->session;
    kinematics k = {.pose = plx_pose_identity(), .valid = true};
    if (sp->action) {
        int hand = 0;
        sim_pose_kind kind = SIM_POSE_GRIP;
        if (!sim_action_pose_source(s, sp->action, sp->subaction_path, &hand, &kind))
            return (kinematics){.valid = false};
        kinematics grip = hand_kinematics(s, hand, t);
        return kind == SIM_POSE_GRIP ? grip : attached(&grip, hand_pose_offset(s, hand, kind, t));
    }
    switch (sp->ref_type) {
    case XR_REFERENCE_SPACE_TYPE_VIEW:
        if (!head_tracked(s, t)) return (kinematics){.valid = false, .lost = true};
        return head_kinematics(s, t);
    case XR_REFERENCE_SPACE_TYPE_STAGE:
    case XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR:
        /* LOCAL_FLOOR is LOCAL moved straight down to the floor; the floor is STAGE's, so both share a
         * height, as the spec asks when a stage is defined. */
        k.pose.position = vec(0.0f, -SIM_LOCAL_HEIGHT_M, 0.0f);
        return k;
    default: /* LOCAL */
        return k;
    }
}

static kinematics space_kinematics(sim_space *sp, XrTime t)
{
    kinematics k = natural_kinematics(sp, t);
    if (!k.valid) return k;
    return attached(&k, sim_plx_pose(sp->pose_in_space));
}

void sim_hand_grip(sim_session *s, int hand, XrTime t, plx_pose *out_pose, plx_vec3 *out_lin,
                   plx_vec3 *out_ang)
{
    kinematics k = hand_kinematics(s, hand, t);
    *out_pose = k.pose;
    *out_lin = k.lin;
    *out_ang = k.ang;
}

bool sim_space_pose_in_local(sim_space *sp, XrTime t, XrPosef *out_pose)
{
    kinematics k = space_kinematics(sp, t);
    if (k.valid && out_pose) *out_pose = sim_xr_pose(k.pose);
    return k.valid;
}

/* ---------------------------------------------------------------- space objects */

static bool pose_valid(const XrPosef *p)
{
    const XrQuaternionf *q = &p->orientation;
    float n2 = q->x * q->x + q->y * q->y + q->z * q->z + q->w * q->w;
    /* Accept float round-off of a normalized quaternion; refuse anything else (and NaN/inf). */
    return isfinite(n2) && fabsf(n2 - 1.0f) <= 1e-2f && isfinite(p->position.x) && isfinite(p->position.y) &&
           isfinite(p->position.z);
}

/* XR_ERROR_POSE_INVALID naming the field and what is wrong with it. */
static XrResult reject_pose(sim_instance *inst, const char *fn, const char *field, const XrPosef *p)
{
    const XrQuaternionf *q = &p->orientation;
    return sim_reject(
        inst, fn, XR_ERROR_POSE_INVALID,
        "%s is not a valid pose: orientation (%g, %g, %g, %g) has length %g, position (%g, %g, %g) "
        "(spec XrPosef: the orientation must be a unit quaternion (length 1 within 1%%) and every "
        "value finite; otherwise XR_ERROR_POSE_INVALID)",
        field, q->x, q->y, q->z, q->w, sqrt(q->x * q->x + q->y * q->y + q->z * q->z + q->w * q->w),
        p->position.x, p->position.y, p->position.z);
}

/* A reference space type this instance does not have: named, with what would give it. */
static XrResult reject_reference_space(sim_instance *inst, const char *fn, XrReferenceSpaceType t)
{
    return sim_reject(
        inst, fn, XR_ERROR_REFERENCE_SPACE_UNSUPPORTED,
        "reference space type %d is not one xrEnumerateReferenceSpaces lists (VIEW, LOCAL, STAGE; "
        "LOCAL_FLOOR with OpenXR 1.1 or XR_EXT_local_floor) (spec xrCreateReferenceSpace: "
        "XR_ERROR_REFERENCE_SPACE_UNSUPPORTED)",
        (int)t);
}

/* Two handles of another session where the call needs this one's: XR_ERROR_VALIDATION_FAILURE. */
static XrResult reject_other_session(sim_instance *inst, const char *fn, const char *what, const char *vuid)
{
    return sim_reject(inst, fn, XR_ERROR_VALIDATION_FAILURE,
                      "%s belongs to another session (%s: the spaces must have been created, allocated, or "
                      "retrieved from the same XrSession)",
                      what, vuid);
}

XrResult sim_space_check_in(const char *fn, const char *expr, XrSpace space, sim_space **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid(space, SIM_HANDLE_SPACE)) return sim_handle_reject(fn, expr, space, "XrSpace");
    *out = (sim_space *)space;
    return XR_SUCCESS;
}

static XrResult space_add(sim_session *s, sim_space *sp, XrSpace *out)
{
    sp->session = s;
    sim_handle_register(sp, SIM_HANDLE_SPACE, s->inst);
    pthread_mutex_lock(&s->lock);
    sp->next = s->spaces;
    s->spaces = sp;
    pthread_mutex_unlock(&s->lock);
    *out = (XrSpace)sp;
    return XR_SUCCESS;
}

static void space_free(sim_space *sp)
{
    sim_handle_unregister(sp);
    if (sp->action) sim_action_space_ref(sp->action, -1);
    sim_handle_delete(sp, sizeof(*sp));
}

/* LOCAL_FLOOR last: it exists only for OpenXR 1.1 or with XR_EXT_local_floor. */
static const XrReferenceSpaceType reference_spaces[] = {
    XR_REFERENCE_SPACE_TYPE_VIEW, XR_REFERENCE_SPACE_TYPE_LOCAL, XR_REFERENCE_SPACE_TYPE_STAGE,
    XR_REFERENCE_SPACE_TYPE_LOCAL_FLOOR};

/* How many of reference_spaces the instance has. */
static uint32_t reference_space_count(const sim_instance *inst)
{
    const uint32_t all = sizeof(reference_spaces) / sizeof(reference_spaces[0]);
    return sim_instance_is_1_1(inst) || inst->ext_local_floor ? all : all - 1;
}

static bool reference_space_supported(const sim_instance *inst, XrReferenceSpaceType t)
{
    for (uint32_t i = 0; i < reference_space_count(inst); i++)
        if (reference_spaces[i] == t) return true;
    return false;
}

SIM_FN(xrEnumerateReferenceSpaces)
(XrSession session, uint32_t spaceCapacityInput, uint32_t *spaceCountOutput, XrReferenceSpaceType *spaces)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    const uint32_t n = reference_space_count(s->inst);
    r = sim_two_call(spaceCapacityInput, spaceCountOutput, spaces, n);
    if (r == XR_SUCCESS && spaceCapacityInput)
        memcpy(spaces, reference_spaces, n * sizeof(reference_spaces[0]));
    return r;
}

SIM_FN(xrCreateReferenceSpace)
(XrSession session, const XrReferenceSpaceCreateInfo *createInfo, XrSpace *space)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, createInfo, XR_TYPE_REFERENCE_SPACE_CREATE_INFO, XrReferenceSpaceCreateInfo);
    SIM_REQUIRE_OUT(s->inst, space, "an XrSpace handle");
    if (!reference_space_supported(s->inst, createInfo->referenceSpaceType))
        return reject_reference_space(s->inst, "xrCreateReferenceSpace", createInfo->referenceSpaceType);
    if (!pose_valid(&createInfo->poseInReferenceSpace))
        return reject_pose(s->inst, "xrCreateReferenceSpace", "createInfo->poseInReferenceSpace",
                           &createInfo->poseInReferenceSpace);
    sim_space *sp = sim_handle_new(sizeof(*sp));
    if (!sp) return XR_ERROR_OUT_OF_MEMORY;
    sp->ref_type = createInfo->referenceSpaceType;
    sp->pose_in_space = createInfo->poseInReferenceSpace;
    return space_add(s, sp, space);
}

SIM_FN(xrGetReferenceSpaceBoundsRect)
(XrSession session, XrReferenceSpaceType referenceSpaceType, XrExtent2Df *bounds)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_OUT(s->inst, bounds, "an XrExtent2Df structure");
    if (!reference_space_supported(s->inst, referenceSpaceType))
        return reject_reference_space(s->inst, "xrGetReferenceSpaceBoundsRect", referenceSpaceType);
    if (referenceSpaceType == XR_REFERENCE_SPACE_TYPE_STAGE) {
        /* A 3 m x 3 m play area centred on the STAGE origin. */
        *bounds = (XrExtent2Df){3.0f, 3.0f};
        return XR_SUCCESS;
    }
    *bounds = (XrExtent2Df){0.0f, 0.0f};
    return XR_SPACE_BOUNDS_UNAVAILABLE;
}

SIM_FN(xrCreateActionSpace)(XrSession session, const XrActionSpaceCreateInfo *createInfo, XrSpace *space)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, createInfo, XR_TYPE_ACTION_SPACE_CREATE_INFO, XrActionSpaceCreateInfo);
    SIM_REQUIRE_OUT(s->inst, space, "an XrSpace handle");
    struct sim_action *a = NULL;
    r = sim_action_space_check(s, createInfo, &a);
    if (XR_FAILED(r)) return r;
    if (!pose_valid(&createInfo->poseInActionSpace))
        return reject_pose(s->inst, "xrCreateActionSpace", "createInfo->poseInActionSpace",
                           &createInfo->poseInActionSpace);
    sim_space *sp = sim_handle_new(sizeof(*sp));
    if (!sp) return XR_ERROR_OUT_OF_MEMORY;
    sp->action = a;
    sp->subaction_path = createInfo->subactionPath;
    sp->pose_in_space = createInfo->poseInActionSpace;
    sim_action_space_ref(a, +1);
    return space_add(s, sp, space);
}

SIM_FN(xrDestroySpace)(XrSpace space)
{
    sim_space *sp;
    XrResult r = sim_space_check(space, &sp);
    if (XR_FAILED(r)) return r;
    sim_session *s = sp->session;
    pthread_mutex_lock(&s->lock);
    for (sim_space **p = &s->spaces; *p; p = &(*p)->next)
        if (*p == sp) {
            *p = sp->next;
            break;
        }
    pthread_mutex_unlock(&s->lock);
    space_free(sp);
    return XR_SUCCESS;
}

void sim_spaces_destroy_all(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    sim_space *list = s->spaces;
    s->spaces = NULL;
    struct sim_located *located = s->located;
    s->located = NULL;
    pthread_mutex_unlock(&s->lock);
    while (list) {
        sim_space *next = list->next;
        space_free(list);
        list = next;
    }
    if (located) {
        pthread_mutex_destroy(&located->lock);
        free(located);
    }
}

/* ---------------------------------------------------------------- what xrLocateViews returned */

/* Created on first use, under s->lock; lives until the session is destroyed. */
static struct sim_located *located_of(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    if (!s->located) {
        struct sim_located *l = calloc(1, sizeof(*l));
        if (l) {
            pthread_mutex_init(&l->lock, NULL);
            s->located = l;
        }
    }
    struct sim_located *l = s->located;
    pthread_mutex_unlock(&s->lock);
    return l;
}

static void note_located(sim_session *s, const XrView views[2], XrTime locate_time, XrTime sample_time)
{
    struct sim_located *l = located_of(s);
    if (!l) return;
    pthread_mutex_lock(&l->lock);
    sim_located_entry *e = &l->ring[l->next];
    e->pose[0] = views[0].pose;
    e->pose[1] = views[1].pose;
    e->locate_time = locate_time;
    e->sample_time = sample_time;
    l->next = (l->next + 1) % SIM_LOCATE_HISTORY;
    if (l->count < SIM_LOCATE_HISTORY) l->count++;
    pthread_mutex_unlock(&l->lock);
}

static bool pose_equal(const XrPosef *a, const XrPosef *b)
{
    /* Apps pass the located pose through, at most converted to float math of their own: allow a little. */
    const float pos_eps = 1e-5f, dot_eps = 1e-6f;
    float dx = a->position.x - b->position.x, dy = a->position.y - b->position.y,
          dz = a->position.z - b->position.z;
    if (fabsf(dx) > pos_eps || fabsf(dy) > pos_eps || fabsf(dz) > pos_eps) return false;
    float dot = a->orientation.x * b->orientation.x + a->orientation.y * b->orientation.y +
                a->orientation.z * b->orientation.z + a->orientation.w * b->orientation.w;
    return fabsf(dot) > 1.0f - dot_eps;
}

bool sim_space_find_located(sim_session *s, const XrPosef poses[2], XrTime *out_sample, XrTime *out_locate)
{
    pthread_mutex_lock(&s->lock);
    struct sim_located *l = s->located;
    pthread_mutex_unlock(&s->lock);
    if (!l) return false;
    bool found = false;
    pthread_mutex_lock(&l->lock);
    for (int k = 0; k < l->count && !found; k++) {
        int i = (l->next - 1 - k + 2 * SIM_LOCATE_HISTORY) % SIM_LOCATE_HISTORY;
        const sim_located_entry *e = &l->ring[i];
        if (pose_equal(&e->pose[0], &poses[0]) && pose_equal(&e->pose[1], &poses[1])) {
            *out_sample = e->sample_time;
            *out_locate = e->locate_time;
            found = true;
        }
    }
    pthread_mutex_unlock(&l->lock);
    return found;
}

/* ---------------------------------------------------------------- locating */

/* The location (and velocity) of space a in base space b, both already evaluated at one time: what
 * xrLocateSpace and each element of xrLocateSpaces return. */
static void locate_relative(const kinematics *a, const kinematics *b, XrSpaceLocationFlags *out_flags,
                            XrPosef *out_pose, XrSpaceVelocityData *out_vel)
{
    if (!a->valid || !b->valid) {
        /* An inactive controller or a tracking loss: nothing is known, which is not an error. */
        *out_flags = 0;
        *out_pose = a->lost || b->lost ? undefined_pose() : sim_xr_pose(plx_pose_identity());
        if (out_vel) *out_vel = (XrSpaceVelocityData){0};
        return;
    }
    *out_pose = sim_xr_pose(plx_pose_mul(plx_pose_inverse(b->pose), a->pose));
    *out_flags = XR_SPACE_LOCATION_ORIENTATION_VALID_BIT | XR_SPACE_LOCATION_POSITION_VALID_BIT |
                 XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT | XR_SPACE_LOCATION_POSITION_TRACKED_BIT;
    if (out_vel) {
        /* Velocity of a's origin relative to the moving base frame, expressed in the base frame:
         * R_b^-1 (v_a - v_b - w_b x (p_a - p_b)) and R_b^-1 (w_a - w_b). */
        plx_quat inv = plx_quat_conj(b->pose.orientation);
        plx_vec3 rel = plx_vec3_sub(a->pose.position, b->pose.position);
        plx_vec3 lin = plx_vec3_sub(plx_vec3_sub(a->lin, b->lin), plx_vec3_cross(b->ang, rel));
        out_vel->linearVelocity = sim_xr_vec(plx_quat_rotate(inv, lin));
        out_vel->angularVelocity = sim_xr_vec(plx_quat_rotate(inv, plx_vec3_sub(a->ang, b->ang)));
        out_vel->velocityFlags = XR_SPACE_VELOCITY_LINEAR_VALID_BIT | XR_SPACE_VELOCITY_ANGULAR_VALID_BIT;
    }
}

bool sim_space_locate_local(sim_space *base, XrTime t, plx_pose pose, plx_vec3 lin, plx_vec3 ang,
                            XrPosef *out_pose, XrSpaceVelocityData *out_vel)
{
    kinematics a = {.pose = pose, .lin = lin, .ang = ang, .valid = true};
    kinematics b = space_kinematics(base, t);
    XrSpaceLocationFlags flags;
    locate_relative(&a, &b, &flags, out_pose, out_vel);
    return flags != 0;
}

SIM_FN(xrLocateSpace)(XrSpace space, XrSpace baseSpace, XrTime time, XrSpaceLocation *location)
{
    sim_space *sp, *base;
    XrResult r = sim_space_check(space, &sp);
    if (XR_FAILED(r)) return r;
    r = sim_space_check(baseSpace, &base);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = sp->session->inst;
    if (sp->session != base->session)
        return reject_other_session(inst, "xrLocateSpace", "baseSpace and space",
                                    "VUID-xrLocateSpace-commonparent");
    SIM_REQUIRE_IN(inst, location, XR_TYPE_SPACE_LOCATION, XrSpaceLocation);
    if (time <= 0)
        return sim_reject(inst, "xrLocateSpace", XR_ERROR_TIME_INVALID,
                          "time %lld is not an XrTime (0 or less) (spec XrTime: always positive; "
                          "XR_ERROR_TIME_INVALID)",
                          (long long)time);
    XrSpaceVelocity *velocity = NULL;
    for (XrBaseOutStructure *n = location->next; n; n = n->next)
        if (n->type == XR_TYPE_SPACE_VELOCITY) velocity = (XrSpaceVelocity *)n;

    kinematics a = space_kinematics(sp, time), b = space_kinematics(base, time);
    XrSpaceVelocityData v;
    locate_relative(&a, &b, &location->locationFlags, &location->pose, velocity ? &v : NULL);
    if (velocity) {
        velocity->velocityFlags = v.velocityFlags;
        velocity->linearVelocity = v.linearVelocity;
        velocity->angularVelocity = v.angularVelocity;
    }
    return XR_SUCCESS;
}

/* xrLocateSpaces (core 1.1) and xrLocateSpacesKHR (XR_KHR_locate_spaces; same structures, same values): each
 * space as xrLocateSpace would locate it, the base space evaluated once. */
SIM_FN(xrLocateSpaces)
(XrSession session, const XrSpacesLocateInfo *locateInfo, XrSpaceLocations *spaceLocations)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, locateInfo, XR_TYPE_SPACES_LOCATE_INFO, XrSpacesLocateInfo);
    SIM_REQUIRE_IN(s->inst, spaceLocations, XR_TYPE_SPACE_LOCATIONS, XrSpaceLocations);
    /* spec (XrSpacesLocateInfo): spaceCount must be positive; (XrSpaceLocations, XrSpaceVelocities) the
     * output counts must equal it. */
    if (locateInfo->spaceCount == 0 || !locateInfo->spaces)
        return sim_reject(
            s->inst, "xrLocateSpaces", XR_ERROR_VALIDATION_FAILURE,
            "locateInfo->%s (VUID-XrSpacesLocateInfo-spaceCount-arraylength: spaceCount must be "
            "greater than 0; VUID-XrSpacesLocateInfo-spaces-parameter)",
            locateInfo->spaceCount == 0 ? "spaceCount is 0" : "spaces is NULL");
    if (spaceLocations->locationCount != locateInfo->spaceCount || !spaceLocations->locations)
        return sim_reject(s->inst, "xrLocateSpaces", XR_ERROR_VALIDATION_FAILURE,
                          "spaceLocations->locationCount is %u and locations %s, for spaceCount %u "
                          "(spec XrSpaceLocations: locationCount must equal XrSpacesLocateInfo::spaceCount; "
                          "VUID-XrSpaceLocations-locations-parameter)",
                          spaceLocations->locationCount, spaceLocations->locations ? "set" : "NULL",
                          locateInfo->spaceCount);
    XrSpaceVelocities *velocities = NULL;
    for (XrBaseOutStructure *n = spaceLocations->next; n; n = n->next)
        if (n->type == XR_TYPE_SPACE_VELOCITIES) velocities = (XrSpaceVelocities *)n;
    if (velocities && (velocities->velocityCount != locateInfo->spaceCount || !velocities->velocities))
        return sim_reject(
            s->inst, "xrLocateSpaces", XR_ERROR_VALIDATION_FAILURE,
            "the chained XrSpaceVelocities has velocityCount %u and velocities %s, for spaceCount %u "
            "(spec XrSpaceVelocities: velocityCount must equal XrSpacesLocateInfo::spaceCount; "
            "VUID-XrSpaceVelocities-velocities-parameter)",
            velocities->velocityCount, velocities->velocities ? "set" : "NULL", locateInfo->spaceCount);
    sim_space *base;
    if (XR_FAILED(r = sim_space_check(locateInfo->baseSpace, &base))) return r;
    if (base->session != s)
        return reject_other_session(s->inst, "xrLocateSpaces", "locateInfo->baseSpace",
                                    "VUID-xrLocateSpaces-commonparent");
    for (uint32_t i = 0; i < locateInfo->spaceCount; i++) {
        sim_space *sp;
        if (XR_FAILED(r = sim_space_check(locateInfo->spaces[i], &sp))) return r;
        if (sp->session != s)
            return reject_other_session(s->inst, "xrLocateSpaces", "a space of locateInfo->spaces",
                                        "VUID-xrLocateSpaces-commonparent");
    }
    if (locateInfo->time <= 0)
        return sim_reject(s->inst, "xrLocateSpaces", XR_ERROR_TIME_INVALID,
                          "locateInfo->time %lld is not an XrTime (0 or less) (spec XrTime: always positive; "
                          "XR_ERROR_TIME_INVALID)",
                          (long long)locateInfo->time);
    kinematics b = space_kinematics(base, locateInfo->time);
    for (uint32_t i = 0; i < locateInfo->spaceCount; i++) {
        kinematics a = space_kinematics((sim_space *)locateInfo->spaces[i], locateInfo->time);
        XrSpaceLocationData *loc = &spaceLocations->locations[i];
        locate_relative(&a, &b, &loc->locationFlags, &loc->pose,
                        velocities ? &velocities->velocities[i] : NULL);
    }
    return XR_SUCCESS;
}

SIM_FN(xrLocateViews)
(XrSession session, const XrViewLocateInfo *viewLocateInfo, XrViewState *viewState,
 uint32_t viewCapacityInput, uint32_t *viewCountOutput, XrView *views)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, viewLocateInfo, XR_TYPE_VIEW_LOCATE_INFO, XrViewLocateInfo);
    SIM_REQUIRE_IN(s->inst, viewState, XR_TYPE_VIEW_STATE, XrViewState);
    sim_space *sp;
    r = sim_space_check(viewLocateInfo->space, &sp);
    if (XR_FAILED(r)) return r;
    if (sp->session != s)
        return reject_other_session(s->inst, "xrLocateViews", "viewLocateInfo->space",
                                    "VUID-xrLocateViews-commonparent");
    if (viewLocateInfo->viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return sim_reject(s->inst, "xrLocateViews", XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED,
                          "viewLocateInfo->viewConfigurationType %d is not supported (only "
                          "XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) (spec xrLocateViews: "
                          "XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED)",
                          (int)viewLocateInfo->viewConfigurationType);
    if (viewLocateInfo->displayTime <= 0)
        return sim_reject(
            s->inst, "xrLocateViews", XR_ERROR_TIME_INVALID,
            "viewLocateInfo->displayTime %lld is not an XrTime (0 or less) (spec XrTime: always "
            "positive; XR_ERROR_TIME_INVALID)",
            (long long)viewLocateInfo->displayTime);
    r = sim_two_call(viewCapacityInput, viewCountOutput, views, 2);
    if (r != XR_SUCCESS || viewCapacityInput == 0) return r;
    for (int i = 0; i < 2; i++)
        if (views[i].type != XR_TYPE_VIEW)
            return sim_reject(s->inst, "xrLocateViews", XR_ERROR_VALIDATION_FAILURE,
                              "views[%d].type is %d, not XR_TYPE_VIEW (VUID-XrView-type-type)", i,
                              (int)views[i].type);
    /* An injected failure (PARALLAX_SIM_FAULTS fail): nothing is located. */
    if (XR_FAILED(r = sim_faults_fail(s->inst, SIM_FAULT_CALL_LOCATE_VIEWS))) return r;

    XrTime t = viewLocateInfo->displayTime;
    XrPosef head;
    XrTime sample_time = 0;
    sim_tracker_head(s, t, &head, NULL, NULL, &sample_time);
    XrView local_views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    sim_eye_views(s->inst->cfg.ipd_m, &head, local_views);
    /* The frame loop judges submitted poses in LOCAL, so the LOCAL views are remembered with when they were
     * had. */
    note_located(s, local_views, sim_now(), sample_time);

    kinematics b = space_kinematics(sp, t);
    bool lost = !head_tracked(s, t);
    if (!b.valid || lost) {
        viewState->viewStateFlags = 0;
        for (int i = 0; i < 2; i++) {
            views[i].pose = lost || b.lost ? undefined_pose() : sim_xr_pose(plx_pose_identity());
            views[i].fov = local_views[i].fov;
        }
        return XR_SUCCESS;
    }
    plx_pose inv = plx_pose_inverse(b.pose);
    for (int i = 0; i < 2; i++) {
        views[i].pose = sim_xr_pose(plx_pose_mul(inv, sim_plx_pose(local_views[i].pose)));
        views[i].fov = local_views[i].fov;
    }
    viewState->viewStateFlags = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT |
                                XR_VIEW_STATE_ORIENTATION_TRACKED_BIT | XR_VIEW_STATE_POSITION_TRACKED_BIT;
    return XR_SUCCESS;
}
