/* SPDX-License-Identifier: MIT */
/* The simulated user's hands (device/sim_hand.h): a 26-joint skeleton of adult proportions, posed by a
 * gesture. Layer: device (the lower part); calls only the math library.
 *
 * The skeleton is built in a wrist frame (origin at the wrist, -Z toward the fingers, +Y out of the back of
 * the hand, the right hand's thumb toward -X), each finger a chain of bones bent at its joints by the
 * gesture's curl; the left hand is its mirror image. The thumb of a pinch is solved to touch the index tip
 * (their tips' spheres touch). The wrist frame sits in the grip frame turned thumb-up (as a hand holds a
 * controller, palm facing in and a little down) with the palm centroid at the grip origin. A gesture change
 * blends the two skeletons (positions linearly, orientations by slerp) over SIM_HAND_BLEND_NS with a
 * smoothstep, so joint velocities stay finite. */
#include "device/sim_hand.h"

#include <math.h>
#include <string.h>

#define DEG (PLX_PI / 180.0f)

/* XrHandJointEXT order: palm, wrist, thumb x4, then index, middle, ring, little x5 each. */
enum { J_PALM = 0, J_WRIST = 1, J_THUMB = 2, J_INDEX = 6, J_MIDDLE = 11, J_RING = 16, J_LITTLE = 21 };

/* Right hand, wrist frame, metres. Fingers: index, middle, ring, little. */
static const plx_vec3 finger_base[4] = {{-0.018f, 0.000f, -0.010f},
                                        {-0.006f, 0.002f, -0.010f},
                                        {0.006f, 0.000f, -0.010f},
                                        {0.016f, -0.004f, -0.012f}};
static const plx_vec3 finger_knuckle[4] = {{-0.030f, 0.000f, -0.075f},
                                           {-0.010f, 0.002f, -0.078f},
                                           {0.010f, 0.000f, -0.073f},
                                           {0.028f, -0.006f, -0.066f}};
static const float phalanx[4][3] = {
    {0.040f, 0.023f, 0.018f}, {0.045f, 0.027f, 0.019f}, {0.042f, 0.026f, 0.019f}, {0.033f, 0.019f, 0.017f}};
static const float spread_deg[4] = {6.0f, 2.0f, -2.0f, -6.0f}; /* yaw toward the thumb (+) when spread */
static const plx_vec3 thumb_base = {-0.022f, -0.012f, -0.018f};
static const float thumb_bone[3] = {0.045f, 0.032f, 0.026f}; /* metacarpal, proximal, distal */
/* Joint radii (half the finger's thickness there). */
static const float finger_radius[5] = {0.011f, 0.010f, 0.009f, 0.008f, 0.007f}; /* metacarpal .. tip */
static const float thumb_radius[4] = {0.013f, 0.011f, 0.009f, 0.008f};

typedef struct gesture_shape {
    float curl[4];    /* index, middle, ring, little: 0 straight .. 1 a fist */
    float thumb_flex; /* 0 straight .. 1 folded */
    float spread;     /* 0 together .. 1 spread */
    bool pinch;       /* thumb tip solved onto the index tip */
} gesture_shape;

static const gesture_shape shapes[SIM_GESTURE_COUNT] = {
    [SIM_GESTURE_OPEN] = {{0.08f, 0.10f, 0.12f, 0.15f}, 0.10f, 1.0f, false},
    [SIM_GESTURE_PINCH] = {{0.45f, 0.25f, 0.30f, 0.35f}, 0.30f, 0.5f, true},
    [SIM_GESTURE_GRAB] = {{1.00f, 1.00f, 1.00f, 1.00f}, 0.90f, 0.0f, false},
    [SIM_GESTURE_POINT] = {{0.00f, 1.00f, 1.00f, 1.00f}, 0.80f, 0.2f, false},
};

/* The rotation that turns unit vector a onto unit vector b. */
static plx_quat quat_from_to(plx_vec3 a, plx_vec3 b)
{
    plx_vec3 axis = plx_vec3_cross(a, b);
    float d = plx_vec3_dot(a, b);
    float s = plx_vec3_length(axis);
    if (s < 1e-7f) {
        if (d > 0.0f) return plx_quat_identity();
        /* opposite: any axis perpendicular to a */
        plx_vec3 perp = fabsf(a.x) < 0.9f ? (plx_vec3){1.0f, 0.0f, 0.0f} : (plx_vec3){0.0f, 1.0f, 0.0f};
        axis = plx_vec3_cross(a, perp);
        return plx_quat_from_axis_angle(plx_vec3_scale(axis, 1.0f / plx_vec3_length(axis)), PLX_PI);
    }
    return plx_quat_from_axis_angle(plx_vec3_scale(axis, 1.0f / s), atan2f(s, d));
}

static plx_vec3 normalized(plx_vec3 v)
{
    float n = plx_vec3_length(v);
    return n > 0.0f ? plx_vec3_scale(v, 1.0f / n) : v;
}

/* Bends a chain: from joint pose `at`, bones of the given lengths, each joint flexed by angle[k] about the
 * local +X (negative: toward the palm). Writes count+1 poses (the chain's joints, the last one the tip). */
static void chain(plx_pose at, const float *len, const float *flex, int count, plx_pose *out)
{
    out[0] = at;
    plx_pose cur = at;
    for (int k = 0; k < count; k++) {
        cur.orientation =
            plx_quat_mul(cur.orientation, plx_quat_from_axis_angle((plx_vec3){1, 0, 0}, -flex[k]));
        plx_vec3 bone = plx_quat_rotate(cur.orientation, (plx_vec3){0.0f, 0.0f, -len[k]});
        cur.position = plx_vec3_add(cur.position, bone);
        out[k + 1] = cur;
    }
    /* The tip keeps the last bone's direction. */
}

/* The thumb for a flexion f (0..1.2) from its base: 4 joints (metacarpal, proximal, distal, tip). */
static void thumb_chain(float f, plx_pose *out)
{
    /* The thumb points forward and out to the thumb side, its nail turned to face sideways. */
    plx_vec3 dir = normalized((plx_vec3){-0.55f, -0.15f, -0.82f});
    plx_quat q = quat_from_to((plx_vec3){0.0f, 0.0f, -1.0f}, dir);
    q = plx_quat_mul(q, plx_quat_from_axis_angle((plx_vec3){0.0f, 0.0f, 1.0f}, 70.0f * DEG));
    /* The metacarpal swings in toward the palm first, then the two phalanges bend. */
    const float lens[3] = {thumb_bone[0], thumb_bone[1], thumb_bone[2]};
    const float flex[3] = {f * 25.0f * DEG, f * 45.0f * DEG, f * 60.0f * DEG};
    chain((plx_pose){q, thumb_base}, lens, flex, 3, out);
}

/* The right hand's skeleton in the wrist frame for one gesture. */
static void skeleton(const gesture_shape *g, sim_hand_joints *out)
{
    out->pose[J_WRIST] = (plx_pose){plx_quat_identity(), {0.0f, 0.0f, 0.0f}};
    for (int f = 0; f < 4; f++) {
        plx_vec3 meta = plx_vec3_sub(finger_knuckle[f], finger_base[f]);
        float meta_len = plx_vec3_length(meta);
        plx_quat q = quat_from_to((plx_vec3){0.0f, 0.0f, -1.0f}, normalized(meta));
        plx_pose base = {q, finger_base[f]};
        /* The metacarpal bone is rigid; the fingers spread at the knuckle and bend at every joint. */
        plx_pose knuckle = {q, finger_knuckle[f]};
        knuckle.orientation =
            plx_quat_mul(knuckle.orientation,
                         plx_quat_from_axis_angle((plx_vec3){0, 1, 0}, g->spread * spread_deg[f] * DEG));
        const float c = g->curl[f];
        const float flex[3] = {c * 75.0f * DEG, c * 100.0f * DEG, c * 65.0f * DEG};
        plx_pose joints[4];
        chain(knuckle, phalanx[f], flex, 3, joints);
        int j0 = J_INDEX + 5 * f;
        out->pose[j0] = base;
        /* The metacarpal joint's orientation points along the metacarpal bone. */
        (void)meta_len;
        for (int k = 0; k < 4; k++) out->pose[j0 + 1 + k] = joints[k];
        for (int k = 0; k < 5; k++) out->radius[j0 + k] = finger_radius[k] * (f == 3 ? 0.85f : 1.0f);
    }
    /* The palm: the centre of the middle finger's metacarpal, oriented as the hand. */
    plx_vec3 mid = plx_vec3_scale(plx_vec3_add(finger_base[1], finger_knuckle[1]), 0.5f);
    out->pose[J_PALM] = (plx_pose){out->pose[J_MIDDLE].orientation, mid};
    out->radius[J_PALM] = 0.018f;
    out->radius[J_WRIST] = 0.022f;

    plx_pose thumb[4];
    if (!g->pinch) {
        thumb_chain(g->thumb_flex, thumb);
    } else {
        /* The tips' spheres touch: the thumb tip goes to the index tip, moved toward the thumb by both radii.
         */
        plx_vec3 index_tip = out->pose[J_INDEX + 4].position;
        plx_vec3 toward = normalized(plx_vec3_sub(thumb_base, index_tip));
        plx_vec3 target =
            plx_vec3_add(index_tip, plx_vec3_scale(toward, thumb_radius[3] + out->radius[J_INDEX + 4]));
        float want = plx_vec3_length(plx_vec3_sub(target, thumb_base));
        /* Reach shrinks as the thumb folds: bisect the flexion, then swing the chain onto the target. */
        float lo = 0.0f, hi = 1.5f;
        for (int it = 0; it < 30; it++) {
            float mid_f = 0.5f * (lo + hi);
            thumb_chain(mid_f, thumb);
            float reach = plx_vec3_length(plx_vec3_sub(thumb[3].position, thumb_base));
            if (reach > want)
                lo = mid_f;
            else
                hi = mid_f;
        }
        thumb_chain(0.5f * (lo + hi), thumb);
        plx_quat swing = quat_from_to(normalized(plx_vec3_sub(thumb[3].position, thumb_base)),
                                      normalized(plx_vec3_sub(target, thumb_base)));
        for (int k = 0; k < 4; k++) {
            thumb[k].position =
                plx_vec3_add(thumb_base, plx_quat_rotate(swing, plx_vec3_sub(thumb[k].position, thumb_base)));
            thumb[k].orientation = plx_quat_mul(swing, thumb[k].orientation);
        }
    }
    for (int k = 0; k < 4; k++) {
        out->pose[J_THUMB + k] = thumb[k];
        out->radius[J_THUMB + k] = thumb_radius[k];
    }
}

/* The wrist frame's pose in the grip frame: turned thumb-up (palm in, a little down), the palm centroid at
 * the origin. Right hand; the left is mirrored by the caller. */
static plx_pose wrist_in_grip(const sim_hand_joints *right_wrist_frame)
{
    plx_quat roll = plx_quat_from_axis_angle((plx_vec3){0.0f, 0.0f, 1.0f}, -70.0f * DEG);
    plx_vec3 palm = plx_quat_rotate(roll, right_wrist_frame->pose[J_PALM].position);
    return (plx_pose){roll, plx_vec3_scale(palm, -1.0f)};
}

/* Mirror across the grip frame's YZ plane: the left hand from the right. */
static plx_pose mirror(plx_pose p)
{
    p.position.x = -p.position.x;
    p.orientation.y = -p.orientation.y;
    p.orientation.z = -p.orientation.z;
    return p;
}

/* One gesture's joints in the grip frame of the hand. */
static void gesture_joints(int hand, sim_gesture g, sim_hand_joints *out)
{
    if (g >= SIM_GESTURE_COUNT) g = SIM_GESTURE_OPEN;
    sim_hand_joints w;
    memset(&w, 0, sizeof(w));
    skeleton(&shapes[g], &w);
    plx_pose to_grip = wrist_in_grip(&w);
    for (int j = 0; j < SIM_HAND_JOINT_COUNT; j++) {
        plx_pose p = plx_pose_mul(to_grip, w.pose[j]);
        out->pose[j] = hand == 0 ? mirror(p) : p;
        out->radius[j] = w.radius[j];
    }
}

/* How far the change to c->gesture has gone at t: 0 (all gesture_from) .. 1, smoothstep. */
static float blend_at(const sim_controller_state *c, XrTime t)
{
    if (c->gesture == c->gesture_from || c->gesture_time == 0) return 1.0f;
    double x = (double)(t - c->gesture_time) / SIM_HAND_BLEND_NS;
    if (x <= 0.0) return 0.0f;
    if (x >= 1.0) return 1.0f;
    return (float)(x * x * (3.0 - 2.0 * x));
}

void sim_hand_joints_at(int hand, const sim_controller_state *c, XrTime t, sim_hand_joints *out)
{
    float w = blend_at(c, t);
    gesture_joints(hand, c->gesture, out);
    if (w >= 1.0f) return;
    sim_hand_joints from;
    gesture_joints(hand, c->gesture_from, &from);
    for (int j = 0; j < SIM_HAND_JOINT_COUNT; j++) {
        out->pose[j].position = plx_vec3_add(plx_vec3_scale(from.pose[j].position, 1.0f - w),
                                             plx_vec3_scale(out->pose[j].position, w));
        out->pose[j].orientation = plx_quat_slerp(from.pose[j].orientation, out->pose[j].orientation, w);
        out->radius[j] = from.radius[j] * (1.0f - w) + out->radius[j] * w;
    }
}

sim_hand_actions sim_hand_actions_at(int hand, const sim_controller_state *c, XrTime t)
{
    sim_hand_joints j;
    sim_hand_joints_at(hand, c, t, &j);
    /* Pinch from the geometry: the tips' surfaces 3 cm apart (or more) is 0, touching is 1; a relaxed open
     * hand (3.5 cm) reads 0, as the spec asks. */
    float d = plx_vec3_length(plx_vec3_sub(j.pose[J_THUMB + 3].position, j.pose[J_INDEX + 4].position)) -
              j.radius[J_THUMB + 3] - j.radius[J_INDEX + 4];
    float pinch = 1.0f - d / 0.030f;
    pinch = pinch < 0.0f ? 0.0f : pinch > 1.0f ? 1.0f : pinch;
    /* Grasp: the fist, blended like the joints. */
    float w = blend_at(c, t);
    float from = c->gesture_from == SIM_GESTURE_GRAB ? 1.0f : 0.0f,
          to = c->gesture == SIM_GESTURE_GRAB ? 1.0f : 0.0f;
    sim_hand_actions a = {.pinch = pinch, .grasp = from * (1.0f - w) + to * w, .aim_activate = pinch};
    return a;
}
