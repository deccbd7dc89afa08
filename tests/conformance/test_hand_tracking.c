/* SPDX-License-Identifier: MIT */
/* XR_EXT_hand_tracking: 26 joints, all valid while the hand is tracked, none while it is not. Spec: the
 * XR_EXT_hand_tracking appendix of OpenXR 1.0 and 1.1, xrspec.html#XR_EXT_hand_tracking:
 * #XrSystemHandTrackingPropertiesEXT (supportsHandTracking, else xrCreateHandTrackerEXT is
 * XR_ERROR_FEATURE_UNSUPPORTED), #XrHandJointLocationsEXT ("The application must set jointCount as described
 * by the XrHandJointSetEXT [...] otherwise the runtime must return XR_ERROR_VALIDATION_FAILURE"; "If the
 * returned isActive is true, the runtime must return all joint locations with both
 * XR_SPACE_LOCATION_POSITION_VALID_BIT and XR_SPACE_LOCATION_ORIENTATION_VALID_BIT set"; "If the returned
 * isActive is false [...] the runtime must return all jointLocations with neither [bit] set"),
 * #XrHandJointLocationEXT ("If the returned locationFlags has XR_SPACE_LOCATION_POSITION_VALID_BIT set, the
 * returned radius must be a positive value") and #XrHandJointVelocitiesEXT (velocities valid only while
 * active). The simulated user pinches with the right hand and loses tracking of the left one
 * (PARALLAX_SIM_INPUT): the right hand's thumb and index tips touch; the left hand is inactive. */
#include "conf.h"

#include <math.h>
#include <stdlib.h>

static float dist(XrVector3f a, XrVector3f b)
{
    return sqrtf((a.x - b.x) * (a.x - b.x) + (a.y - b.y) * (a.y - b.y) + (a.z - b.z) * (a.z - b.z));
}

int main(void)
{
    conf c;
    conf_start(&c, "hand_tracking",
               "XR_EXT_hand_tracking: 26 valid joints with radii while tracked, none while not");
    setenv("PARALLAX_SIM_INPUT", "right.gesture=pinch@0.1; left.hand_tracked=0@0.1", 1);
    const char *ext[] = {XR_EXT_HAND_TRACKING_EXTENSION_NAME};
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1})) {
        XrSystemHandTrackingPropertiesEXT htp = {.type = XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT};
        XrSystemProperties sp = {.type = XR_TYPE_SYSTEM_PROPERTIES, .next = &htp};
        CONF_XR(&c, xrGetSystemProperties(c.instance, c.system, &sp));
        CONF_CHECK(&c, htp.supportsHandTracking, "supportsHandTracking is false");
    }
    if (c.instance && conf_session(&c) && conf_begin(&c)) {
        PFN_xrCreateHandTrackerEXT create =
            (PFN_xrCreateHandTrackerEXT)conf_proc(&c, "xrCreateHandTrackerEXT");
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
        conf_frames(&c, 40); /* focused, and past the scripted events and the 150 ms gesture blend */
        XrTime t = c.last_frame.predictedDisplayTime;
        for (int h = 0; h < 2 && locate && tracker[h]; h++) {
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
            const XrSpaceLocationFlags valid =
                XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
            if (h == 1) {
                CONF_CHECK(&c, locs.isActive, "the tracked right hand is not active");
                int bad = 0;
                for (int j = 0; j < XR_HAND_JOINT_COUNT_EXT; j++)
                    bad += (loc[j].locationFlags & valid) != valid || !(loc[j].radius > 0.0f) ||
                           !(vel[j].velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT);
                CONF_CHECK(&c, bad == 0,
                           "%d joints of the active right hand lack valid bits, a radius or a velocity", bad);
                const XrHandJointLocationEXT *thumb = &loc[XR_HAND_JOINT_THUMB_TIP_EXT],
                                             *index = &loc[XR_HAND_JOINT_INDEX_TIP_EXT];
                float gap = dist(thumb->pose.position, index->pose.position) - thumb->radius - index->radius;
                CONF_CHECK(&c, gap < 0.005f, "pinching, the thumb and index tips are %.1f mm apart",
                           (double)gap * 1000.0);
                float palm = dist(loc[XR_HAND_JOINT_WRIST_EXT].pose.position,
                                  loc[XR_HAND_JOINT_PALM_EXT].pose.position);
                CONF_CHECK(&c, palm > 0.02f && palm < 0.08f, "wrist to palm is %.3f m", (double)palm);
                printf("  right: wrist (%.3f, %.3f, %.3f) r %.4f, index tip (%.3f, %.3f, %.3f) r %.4f, tips' "
                       "gap %.1f mm\n",
                       (double)loc[1].pose.position.x, (double)loc[1].pose.position.y,
                       (double)loc[1].pose.position.z, (double)loc[1].radius, (double)index->pose.position.x,
                       (double)index->pose.position.y, (double)index->pose.position.z, (double)index->radius,
                       (double)gap * 1000.0);
            } else {
                CONF_CHECK(&c, !locs.isActive, "the left hand is active while its tracking is lost");
                int bad = 0;
                for (int j = 0; j < XR_HAND_JOINT_COUNT_EXT; j++)
                    bad += (loc[j].locationFlags & valid) != 0 || vel[j].velocityFlags != 0;
                CONF_CHECK(&c, bad == 0, "%d joints of the inactive left hand have valid bits", bad);
                printf("  left: isActive %d (tracking lost)\n", (int)locs.isActive);
            }
            /* The joint count must match the joint set. */
            locs.jointCount = XR_HAND_JOINT_COUNT_EXT - 1;
            vels.jointCount = XR_HAND_JOINT_COUNT_EXT - 1;
            CONF_XR_EXPECT(&c, locate(tracker[h], &li, &locs), XR_ERROR_VALIDATION_FAILURE);
        }
        for (int h = 0; h < 2 && destroy; h++)
            if (tracker[h]) CONF_XR(&c, destroy(tracker[h]));
        conf_end(&c);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
