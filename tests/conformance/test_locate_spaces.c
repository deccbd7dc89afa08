/* SPDX-License-Identifier: MIT */
/* xrLocateSpaces (core in OpenXR 1.1, xrLocateSpacesKHR with XR_KHR_locate_spaces in 1.0). Spec: OpenXR 1.1,
 * xrspec.html#xrLocateSpaces ("The time, the baseSpace, and each space in spaces all follow the same
 * specifics as the corresponding inputs to the xrLocateSpace function"), #XrSpacesLocateInfo ("The spaceCount
 * must be a positive number [...] Otherwise, the runtime must return XR_ERROR_VALIDATION_FAILURE"; an invalid
 * time is XR_ERROR_TIME_INVALID), #XrSpaceLocations and #XrSpaceVelocities ("The locationCount
 * [velocityCount] value must be the same as XrSpacesLocateInfo::spaceCount, otherwise, the xrLocateSpaces
 * function must return XR_ERROR_VALIDATION_FAILURE"), and the XR_KHR_locate_spaces appendix (the same
 * function for 1.0). Runs as an OpenXR 1.0 application through the system loader (Debian's 1.0.20 refuses 1.1
 * applications; tests/openxr11 runs the 1.1 core function); the core validation layer (1.0.20) predates the
 * extension and passes its function through. Also: without the extension the function is
 * XR_ERROR_FUNCTION_UNSUPPORTED. */
#include "conf.h"

#include <math.h>
#include <string.h>

/* Two locations of one space at one display time, a moment apart: a tracked head may be located from a newer
 * sensor sample the second time (the simulated IMU runs at 1 kHz), so they agree within 2 mm and 0.5 degrees;
 * a static space agrees exactly. */
static bool pose_near(XrPosef a, XrPosef b, float tol_m)
{
    float dp = fabsf(a.position.x - b.position.x) + fabsf(a.position.y - b.position.y) +
               fabsf(a.position.z - b.position.z);
    float dot = a.orientation.x * b.orientation.x + a.orientation.y * b.orientation.y +
                a.orientation.z * b.orientation.z + a.orientation.w * b.orientation.w;
    return dp <= tol_m && fabsf(dot) >= (tol_m > 0.0f ? cosf(0.25f * 3.14159265f / 180.0f) : 1.0f - 1e-6f);
}

int main(void)
{
    conf c;
    conf_start(&c, "locate_spaces",
               "xrLocateSpaces(KHR): each space as xrLocateSpace locates it; counts validated");
    /* Without the extension: no function. */
    XrInstance plain = XR_NULL_HANDLE;
    if (conf_create_instance(&c, NULL, &plain)) {
        PFN_xrVoidFunction fn = NULL;
        CONF_XR_EXPECT(&c, xrGetInstanceProcAddr(plain, "xrLocateSpacesKHR", &fn),
                       XR_ERROR_FUNCTION_UNSUPPORTED);
        CONF_XR_EXPECT(&c, xrGetInstanceProcAddr(plain, "xrLocateSpaces", &fn),
                       XR_ERROR_FUNCTION_UNSUPPORTED);
        xrDestroyInstance(plain);
    }
    const char *ext[] = {XR_KHR_LOCATE_SPACES_EXTENSION_NAME};
    conf_desc d = {.extensions = ext, .extension_count = 1};
    if (conf_instance(&c, &d) && conf_session(&c) && conf_begin(&c)) {
        conf_frames(&c, 3);
        PFN_xrLocateSpacesKHR locate = (PFN_xrLocateSpacesKHR)conf_proc(&c, "xrLocateSpacesKHR");
        XrSpace view = XR_NULL_HANDLE, stage = XR_NULL_HANDLE;
        XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                          .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW,
                                          .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
        CONF_XR(&c, xrCreateReferenceSpace(c.session, &rci, &view));
        rci.referenceSpaceType = XR_REFERENCE_SPACE_TYPE_STAGE;
        CONF_XR(&c, xrCreateReferenceSpace(c.session, &rci, &stage));
        if (locate && view && stage) {
            XrTime t = c.last_frame.predictedDisplayTime;
            XrSpace spaces[2] = {view, stage};
            XrSpaceLocationData loc[2];
            XrSpaceVelocityData vel[2];
            XrSpaceVelocitiesKHR vels = {
                .type = XR_TYPE_SPACE_VELOCITIES_KHR, .velocityCount = 2, .velocities = vel};
            XrSpaceLocationsKHR locs = {
                .type = XR_TYPE_SPACE_LOCATIONS_KHR, .next = &vels, .locationCount = 2, .locations = loc};
            XrSpacesLocateInfoKHR info = {.type = XR_TYPE_SPACES_LOCATE_INFO_KHR,
                                          .baseSpace = c.local,
                                          .time = t,
                                          .spaceCount = 2,
                                          .spaces = spaces};
            if (CONF_XR(&c, locate(c.session, &info, &locs))) {
                for (int i = 0; i < 2; i++) {
                    XrSpaceVelocity v1 = {.type = XR_TYPE_SPACE_VELOCITY};
                    XrSpaceLocation l1 = {.type = XR_TYPE_SPACE_LOCATION, .next = &v1};
                    CONF_XR(&c, xrLocateSpace(spaces[i], c.local, t, &l1));
                    CONF_CHECK(&c,
                               l1.locationFlags == loc[i].locationFlags &&
                                   pose_near(l1.pose, loc[i].pose, i == 0 ? 0.002f : 0.0f),
                               "space %d: xrLocateSpacesKHR and xrLocateSpace disagree", i);
                    CONF_CHECK(&c, v1.velocityFlags == vel[i].velocityFlags,
                               "space %d: velocity flags differ", i);
                }
                printf("  head in LOCAL (%.3f, %.3f, %.3f), STAGE origin y %.3f\n",
                       (double)loc[0].pose.position.x, (double)loc[0].pose.position.y,
                       (double)loc[0].pose.position.z, (double)loc[1].pose.position.y);
            }
            /* The counts. */
            info.spaceCount = 0;
            locs.locationCount = 0;
            vels.velocityCount = 0;
            CONF_XR_EXPECT(&c, locate(c.session, &info, &locs), XR_ERROR_VALIDATION_FAILURE);
            info.spaceCount = 2;
            locs.locationCount = 1;
            vels.velocityCount = 2;
            CONF_XR_EXPECT(&c, locate(c.session, &info, &locs), XR_ERROR_VALIDATION_FAILURE);
            locs.locationCount = 2;
            vels.velocityCount = 3;
            CONF_XR_EXPECT(&c, locate(c.session, &info, &locs), XR_ERROR_VALIDATION_FAILURE);
            vels.velocityCount = 2;
            info.time = 0;
            CONF_XR_EXPECT(&c, locate(c.session, &info, &locs), XR_ERROR_TIME_INVALID);
        }
        xrDestroySpace(view);
        xrDestroySpace(stage);
        conf_end(&c);
    }
    return conf_finish(&c);
}
