/* SPDX-License-Identifier: MIT */
/* parallax-hands-app: a small hand-tracking application (XR_EXT_hand_tracking and XR_EXT_hand_interaction)
 * that prints what it sees of both hands: every ~0.17 s each hand's wrist and index tip (position in LOCAL
 * and radius), the gap between the thumb and index tips, the index tip's speed, and the hand interaction
 * profile's pinch and grasp values; it reports when it detects a pinch (the tips' spheres within 5 mm) and
 * when a hand is lost or found. On the simulated headset the hands are driven by PARALLAX_SIM_INPUT
 * (gesture=, hand_tracked=) or the preview window (U/O gestures, Y tracking).
 *
 * Usage: parallax-hands-app [--frames N], N 180 by default (two seconds at 90 Hz).
 *
 * Built on the conformance harness (tests/conformance/conf.h): instance, Vulkan, session and frames, with the
 * OpenXR and Vulkan validation layers on. */
#include "conf.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static float dist(XrVector3f a, XrVector3f b)
{
    return sqrtf((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z));
}

static float length(XrVector3f v)
{
    return sqrtf(v.x * v.x + v.y * v.y + v.z * v.z);
}

static float get_float(conf *c, XrAction a, XrPath sub)
{
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = a, .subactionPath = sub};
    XrActionStateFloat s = {.type = XR_TYPE_ACTION_STATE_FLOAT};
    if (XR_FAILED(xrGetActionStateFloat(c->session, &gi, &s)) || !s.isActive) return 0.0f;
    return s.currentState;
}

int main(int argc, char **argv)
{
    int frames = 180;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--frames") == 0 && i + 1 < argc) {
            frames = atoi(argv[++i]);
        } else {
            printf("usage: parallax-hands-app [--frames N]\n");
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    conf c;
    conf_start(&c, "hands_app", "a hand-tracking application: joints, pinch and grasp of both hands");
    const char *ext[] = {XR_EXT_HAND_TRACKING_EXTENSION_NAME, XR_EXT_HAND_INTERACTION_EXTENSION_NAME};
    if (!conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 2}) || !conf_session(&c) ||
        !conf_begin(&c))
        return conf_finish(&c);
    PFN_xrCreateHandTrackerEXT create = (PFN_xrCreateHandTrackerEXT)conf_proc(&c, "xrCreateHandTrackerEXT");
    PFN_xrLocateHandJointsEXT locate = (PFN_xrLocateHandJointsEXT)conf_proc(&c, "xrLocateHandJointsEXT");
    PFN_xrDestroyHandTrackerEXT destroy =
        (PFN_xrDestroyHandTrackerEXT)conf_proc(&c, "xrDestroyHandTrackerEXT");
    XrHandTrackerEXT tracker[2] = {XR_NULL_HANDLE, XR_NULL_HANDLE};
    for (int h = 0; h < 2 && create; h++) {
        XrHandTrackerCreateInfoEXT ci = {.type = XR_TYPE_HAND_TRACKER_CREATE_INFO_EXT,
                                         .hand = h == 0 ? XR_HAND_LEFT_EXT : XR_HAND_RIGHT_EXT,
                                         .handJointSet = XR_HAND_JOINT_SET_DEFAULT_EXT};
        CONF_XR(&c, create(c.session, &ci, &tracker[h]));
    }
    /* The hand interaction profile's pinch and grasp values. */
    XrPath hands[2] = {conf_path(&c, "/user/hand/left"), conf_path(&c, "/user/hand/right")};
    XrActionSet set = conf_action_set(&c, "hands");
    XrAction pinch = conf_action(&c, set, "pinch", XR_ACTION_TYPE_FLOAT_INPUT, 2, hands);
    XrAction grasp = conf_action(&c, set, "grasp", XR_ACTION_TYPE_FLOAT_INPUT, 2, hands);
    const char *side[2] = {"left", "right"};
    XrActionSuggestedBinding b[4] = {
        {pinch, conf_path(&c, "/user/hand/left/input/pinch_ext/value")},
        {grasp, conf_path(&c, "/user/hand/left/input/grasp_ext/value")},
        {pinch, conf_path(&c, "/user/hand/right/input/pinch_ext/value")},
        {grasp, conf_path(&c, "/user/hand/right/input/grasp_ext/value")},
    };
    CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/ext/hand_interaction_ext", b, 4));
    XrSessionActionSetsAttachInfo ai = {
        .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
    CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));
    XrActiveActionSet active = {set, XR_NULL_PATH};
    XrActionsSyncInfo si = {
        .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};

    bool was_active[2] = {true, true}, pinching[2] = {false, false};
    XrTime t0 = 0;
    for (int f = 0; f < frames && locate; f++) {
        if (!conf_frame(&c)) break;
        xrSyncActions(c.session, &si);
        XrTime t = c.last_frame.predictedDisplayTime;
        if (!t0) t0 = t;
        double secs = (double)(t - t0) / 1e9;
        for (int h = 0; h < 2; h++) {
            XrHandJointLocationEXT loc[XR_HAND_JOINT_COUNT_EXT];
            XrHandJointVelocityEXT vel[XR_HAND_JOINT_COUNT_EXT];
            XrHandJointVelocitiesEXT vels = {.type = XR_TYPE_HAND_JOINT_VELOCITIES_EXT,
                                             .jointCount = XR_HAND_JOINT_COUNT_EXT,
                                             .jointVelocities = vel};
            XrHandJointLocationsEXT locs = {.type = XR_TYPE_HAND_JOINT_LOCATIONS_EXT,
                                            .next = &vels,
                                            .jointCount = XR_HAND_JOINT_COUNT_EXT,
                                            .jointLocations = loc};
            XrHandJointsLocateInfoEXT li = {
                .type = XR_TYPE_HAND_JOINTS_LOCATE_INFO_EXT, .baseSpace = c.local, .time = t};
            if (!CONF_XR(&c, locate(tracker[h], &li, &locs))) continue;
            if (!locs.isActive) {
                if (was_active[h])
                    printf("t=%.2fs %s hand: not tracked (isActive false, no valid joint)\n", secs, side[h]);
                was_active[h] = false;
                continue;
            }
            if (!was_active[h]) printf("t=%.2fs %s hand: tracked again\n", secs, side[h]);
            was_active[h] = true;
            const XrHandJointLocationEXT *wrist = &loc[XR_HAND_JOINT_WRIST_EXT],
                                         *tip = &loc[XR_HAND_JOINT_INDEX_TIP_EXT],
                                         *thumb = &loc[XR_HAND_JOINT_THUMB_TIP_EXT];
            float gap = dist(thumb->pose.position, tip->pose.position) - thumb->radius - tip->radius;
            bool now_pinching = gap < 0.005f;
            if (now_pinching && !pinching[h])
                printf("t=%.2fs %s hand: pinch detected (thumb and index tips %.1f mm apart, pinch_ext/value "
                       "%.2f)\n",
                       secs, side[h], (double)gap * 1000.0, (double)get_float(&c, pinch, hands[h]));
            if (!now_pinching && pinching[h]) printf("t=%.2fs %s hand: pinch released\n", secs, side[h]);
            pinching[h] = now_pinching;
            if (f % 15 == 0)
                printf("t=%.2fs %-5s wrist (%6.3f %6.3f %6.3f) r %4.1f mm | index tip (%6.3f %6.3f %6.3f) r "
                       "%3.1f mm "
                       "%.2f m/s | thumb-index gap %5.1f mm | pinch %.2f grasp %.2f\n",
                       secs, side[h], (double)wrist->pose.position.x, (double)wrist->pose.position.y,
                       (double)wrist->pose.position.z, (double)wrist->radius * 1000.0,
                       (double)tip->pose.position.x, (double)tip->pose.position.y,
                       (double)tip->pose.position.z, (double)tip->radius * 1000.0,
                       (double)length(vel[XR_HAND_JOINT_INDEX_TIP_EXT].linearVelocity), (double)gap * 1000.0,
                       (double)get_float(&c, pinch, hands[h]), (double)get_float(&c, grasp, hands[h]));
        }
    }
    for (int h = 0; h < 2 && destroy; h++)
        if (tracker[h]) CONF_XR(&c, destroy(tracker[h]));
    conf_end(&c);
    return conf_finish(&c);
}
