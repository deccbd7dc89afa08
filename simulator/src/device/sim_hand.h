/* SPDX-License-Identifier: MIT */
/* The simulated user's hands as a hand tracker sees them (XR_EXT_hand_tracking): the 26 joints of
 * XrHandJointEXT with radii, for a gesture (open, pinch, grab, point) and the blend between two gestures
 * after a change. Poses are in the hand's grip frame (the controller grip pose the runtime reports for that
 * hand: -Z forward, +Y up, the palm centroid at the origin); the upper part puts them where the hand is.
 * Layer: device (the lower part); a pure function of its inputs, calls nothing but the math library. */
#pragma once

#include <stdbool.h>
#include <openxr/openxr.h>

#include "device/sim_user.h"
#include "plx_math.h"

#define SIM_HAND_JOINT_COUNT 26        /* XR_HAND_JOINT_COUNT_EXT */
#define SIM_HAND_BLEND_NS    150000000 /* a gesture change takes 150 ms (smoothstep) */

/* One hand's joints in its grip frame. */
typedef struct sim_hand_joints {
    plx_pose
        pose[SIM_HAND_JOINT_COUNT]; /* XrHandJointEXT order; -Z along the bone toward the tip, +Y dorsal */
    float radius[SIM_HAND_JOINT_COUNT]; /* metres */
} sim_hand_joints;

/* The joints of hand (0 left, 1 right) at time t for the gesture state of c (gesture, gesture_from,
 * gesture_time): the new gesture blended in over SIM_HAND_BLEND_NS after gesture_time. */
void sim_hand_joints_at(int hand, const sim_controller_state *c, XrTime t, sim_hand_joints *out);

/* How far the hand is into each XR_EXT_hand_interaction action at time t (0..1): pinch (thumb and index tips
 * together), grasp (the fist closed), aim_activate (an index pinch while pointing or pinching). */
typedef struct sim_hand_actions {
    float pinch, grasp, aim_activate;
} sim_hand_actions;
sim_hand_actions sim_hand_actions_at(int hand, const sim_controller_state *c, XrTime t);
