/* SPDX-License-Identifier: MIT */
/* XR_EXT_hand_tracking: joint velocities are the joints' motion, the hand moves with the controller it holds,
 * and the scripted gestures shape the fingers. Spec: the XR_EXT_hand_tracking appendix of OpenXR 1.0 and 1.1,
 * xrspec.html#XrHandJointVelocityEXT ("linearVelocity is the relative linear velocity of the hand joint with
 * respect to and expressed in the reference frame of the corresponding XrHandJointsLocateInfoEXT::baseSpace")
 * and #XrHandJointLocationEXT (the pose of each joint at XrHandJointsLocateInfoEXT::time); so a joint's
 * linearVelocity must match how its position changes between two nearby times. The simulated user's hand
 * (simulator/README.md, XR_EXT_hand_tracking row) holds the simulated controller: its palm joint sits at the
 * controller's grip pose (xrLocateSpace of a grip action space) and moves with its velocity. Gestures
 * (PARALLAX_SIM_INPUT): the right hand points (the index finger straight, the other three curled into the
 * palm), the left makes a fist (all four fingertips at the palm). The head moves (the "look" motion profile),
 * so the hands do too. */
#include "conf_layers.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define DT_NS 4000000 /* 4 ms between the two locations of the finite difference */

static float dist(XrVector3f a, XrVector3f b)
{
    return sqrtf((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z));
}

static float len(XrVector3f a)
{
    return sqrtf(a.x * a.x + a.y * a.y + a.z * a.z);
}

/* The 26 joints at t with velocities; false (failure recorded) when the call fails or the hand is not
 * tracked. */
static bool locate(conf *c, PFN_xrLocateHandJointsEXT fn, XrHandTrackerEXT tracker, XrTime t,
                   XrHandJointLocationEXT loc[XR_HAND_JOINT_COUNT_EXT],
                   XrHandJointVelocityEXT vel[XR_HAND_JOINT_COUNT_EXT])
{
    bool active = false;
    if (!conf_locate_hand(c, fn, tracker, t, loc, vel, &active)) return false;
    CONF_CHECK(c, active, "the hand is not tracked");
    return active;
}

int main(void)
{
    conf c;
    conf_start(&c, "hand_joints_follow_grip",
               "hand joints: velocities match their motion, the palm follows the grip, point and fist shape "
               "the fingers");
    setenv("PARALLAX_SIM_INPUT", "right.gesture=point@0.1; left.gesture=grab@0.1", 1);
    const char *ext[] = {XR_EXT_HAND_TRACKING_EXTENSION_NAME};
    bool parallax = false;
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        parallax = conf_runtime_is_parallax(&c);
        PFN_xrCreateHandTrackerEXT create =
            (PFN_xrCreateHandTrackerEXT)conf_proc(&c, "xrCreateHandTrackerEXT");
        PFN_xrLocateHandJointsEXT fn = (PFN_xrLocateHandJointsEXT)conf_proc(&c, "xrLocateHandJointsEXT");
        PFN_xrDestroyHandTrackerEXT destroy =
            (PFN_xrDestroyHandTrackerEXT)conf_proc(&c, "xrDestroyHandTrackerEXT");
        XrPath hands[2] = {conf_path(&c, "/user/hand/left"), conf_path(&c, "/user/hand/right")};
        XrActionSet set = conf_action_set(&c, "grip");
        XrAction grip = conf_action(&c, set, "grip", XR_ACTION_TYPE_POSE_INPUT, 2, hands);
        XrActionSuggestedBinding b[2] = {{grip, conf_path(&c, "/user/hand/left/input/grip/pose")},
                                         {grip, conf_path(&c, "/user/hand/right/input/grip/pose")}};
        CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/khr/simple_controller", b, 2));
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));
        XrHandTrackerEXT tracker[2] = {XR_NULL_HANDLE, XR_NULL_HANDLE};
        XrSpace grip_space[2] = {XR_NULL_HANDLE, XR_NULL_HANDLE};
        for (int h = 0; h < 2; h++) {
            XrHandTrackerCreateInfoEXT ci = {.type = XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT,
                                             .hand = h == 0 ? XR_HAND_LEFT_EXT : XR_HAND_RIGHT_EXT,
                                             .handJointSet = XR_HAND_JOINT_SET_DEFAULT_EXT};
            if (create) CONF_XR(&c, create(c.session, &ci, &tracker[h]));
            XrActionSpaceCreateInfo sci = {.type = XR_TYPE_ACTION_SPACE_CREATE_INFO,
                                           .action = grip,
                                           .subactionPath = hands[h],
                                           .poseInActionSpace = {.orientation = {0, 0, 0, 1}}};
            CONF_XR(&c, xrCreateActionSpace(c.session, &sci, &grip_space[h]));
        }
        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        /* ~0.45 s: focused, both gestures done (0.1 s + the 150 ms blend), the head turning. */
        for (int i = 0; i < 40; i++) {
            conf_frame(&c);
            CONF_XR(&c, xrSyncActions(c.session, &si));
        }
        XrTime t = c.last_frame.predictedDisplayTime;
        const char *side[2] = {"left", "right"};
        for (int h = 0; h < 2 && fn && tracker[h]; h++) {
            XrHandJointLocationEXT a[XR_HAND_JOINT_COUNT_EXT], b2[XR_HAND_JOINT_COUNT_EXT],
                again[XR_HAND_JOINT_COUNT_EXT];
            XrHandJointVelocityEXT va[XR_HAND_JOINT_COUNT_EXT], vb[XR_HAND_JOINT_COUNT_EXT],
                vagain[XR_HAND_JOINT_COUNT_EXT];
            XrSpaceVelocity gv = {.type = XR_TYPE_SPACE_VELOCITY};
            XrSpaceLocation gl = {.type = XR_TYPE_SPACE_LOCATION, .next = &gv};
            /* The display time is ahead: each answer is a prediction from the newest tracker sample, which
             * moves when a sample arrives between two calls (the tracker's noise then shows as motion). So
             * take the hand at t - 4 ms, at t, the grip at t, and the hand at t - 4 ms again: a repeat that
             * matches the first shows no sample arrived in between; try again otherwise. */
            bool settled = false, ok = true;
            for (int k = 0; k < 20 && ok && !settled; k++) {
                gv = (XrSpaceVelocity){.type = XR_TYPE_SPACE_VELOCITY};
                gl = (XrSpaceLocation){.type = XR_TYPE_SPACE_LOCATION, .next = &gv};
                ok = locate(&c, fn, tracker[h], t - DT_NS, a, va) && locate(&c, fn, tracker[h], t, b2, vb) &&
                     CONF_XR(&c, xrLocateSpace(grip_space[h], c.local, t, &gl)) &&
                     locate(&c, fn, tracker[h], t - DT_NS, again, vagain);
                settled = ok;
                for (int j = 0; ok && j < XR_HAND_JOINT_COUNT_EXT; j++)
                    settled &= again[j].pose.position.x == a[j].pose.position.x &&
                               again[j].pose.position.y == a[j].pose.position.y &&
                               again[j].pose.position.z == a[j].pose.position.z;
            }
            if (!ok) continue;
            CONF_CHECK(&c, settled, "%s hand: every one of 20 tries saw a new tracker sample", side[h]);
            /* Velocities: the finite difference of each joint's position against the mean of the two
             * velocities reported, within 1 cm/s + 5% (the hand moves at tenths of a metre per second; both
             * positions come from one tracker sample, so they differ by the motion alone). Leaving out the
             * grip's rotation (omega x r) puts joints 2-5 cm/s off and fails this. */
            float worst = 0.0f, worst_speed = 0.0f;
            int worst_j = -1, bad = 0;
            for (int j = 0; j < XR_HAND_JOINT_COUNT_EXT; j++) {
                XrVector3f fd = {(b2[j].pose.position.x - a[j].pose.position.x) / (DT_NS * 1e-9f),
                                 (b2[j].pose.position.y - a[j].pose.position.y) / (DT_NS * 1e-9f),
                                 (b2[j].pose.position.z - a[j].pose.position.z) / (DT_NS * 1e-9f)};
                XrVector3f v = {(va[j].linearVelocity.x + vb[j].linearVelocity.x) / 2,
                                (va[j].linearVelocity.y + vb[j].linearVelocity.y) / 2,
                                (va[j].linearVelocity.z + vb[j].linearVelocity.z) / 2};
                float err = dist(fd, v);
                if (!(vb[j].velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT) ||
                    err > 0.01f + 0.05f * len(fd))
                    bad++;
                if (err >= worst) worst = err, worst_speed = len(fd), worst_j = j;
            }
            printf(
                "  %s hand: joint velocity vs. motion over %d ms: worst joint %d, %.3f m/s off at %.3f m/s\n",
                side[h], DT_NS / 1000000, worst_j, (double)worst, (double)worst_speed);
            CONF_CHECK(
                &c, bad == 0,
                "%s hand: %d joints' linearVelocity disagree with their motion (worst joint %d: %.3f m/s "
                "off at %.3f m/s)",
                side[h], bad, worst_j, (double)worst, (double)worst_speed);

            /* The simulated hand holds the simulated controller: the palm at the grip, moving with it. */
            if (parallax) {
                const XrHandJointLocationEXT *palm = &b2[XR_HAND_JOINT_PALM_EXT];
                float off = dist(palm->pose.position, gl.pose.position);
                float voff = dist(vb[XR_HAND_JOINT_PALM_EXT].linearVelocity, gv.linearVelocity);
                printf(
                    "  %s hand: palm %.1f mm from the grip; palm velocity %.3f m/s, grip %.3f m/s, %.4f m/s "
                    "apart\n",
                    side[h], (double)off * 1000.0, (double)len(vb[XR_HAND_JOINT_PALM_EXT].linearVelocity),
                    (double)len(gv.linearVelocity), (double)voff);
                CONF_CHECK(&c, off < 0.001f, "%s hand: the palm is %.1f mm from the grip pose", side[h],
                           (double)off * 1000.0);
                CONF_CHECK(&c, (gv.velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT) && voff < 0.005f,
                           "%s hand: the palm moves at %.3f m/s apart from the grip", side[h], (double)voff);
            }

            /* The gesture: fingertips from the palm. A finger curled into a fist ends at the palm (within
             * 6 cm of its centre); a straight index finger reaches 8 cm or more from it. */
            static const XrHandJointEXT tips[4] = {XR_HAND_JOINT_INDEX_TIP_EXT, XR_HAND_JOINT_MIDDLE_TIP_EXT,
                                                   XR_HAND_JOINT_RING_TIP_EXT, XR_HAND_JOINT_LITTLE_TIP_EXT};
            float d[4];
            for (int k = 0; k < 4; k++)
                d[k] = dist(b2[tips[k]].pose.position, b2[XR_HAND_JOINT_PALM_EXT].pose.position);
            printf("  %s hand (%s): fingertips from the palm: index %.1f, middle %.1f, ring %.1f, little "
                   "%.1f mm\n",
                   side[h], h ? "point" : "fist", d[0] * 1000.0, d[1] * 1000.0, d[2] * 1000.0, d[3] * 1000.0);
            if (h == 1)
                CONF_CHECK(
                    &c, d[0] >= 0.08f && d[1] < 0.06f && d[2] < 0.06f && d[3] < 0.06f,
                    "pointing: index %.1f mm from the palm (>= 80), middle %.1f, ring %.1f, little %.1f (< "
                    "60)",
                    d[0] * 1000.0, d[1] * 1000.0, d[2] * 1000.0, d[3] * 1000.0);
            else
                CONF_CHECK(&c, d[0] < 0.06f && d[1] < 0.06f && d[2] < 0.06f && d[3] < 0.06f,
                           "fist: fingertips %.1f, %.1f, %.1f, %.1f mm from the palm (< 60)", d[0] * 1000.0,
                           d[1] * 1000.0, d[2] * 1000.0, d[3] * 1000.0);
        }
        for (int h = 0; h < 2; h++) {
            if (tracker[h] && destroy) destroy(tracker[h]);
            if (grip_space[h]) xrDestroySpace(grip_space[h]);
        }
        conf_end(&c);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
