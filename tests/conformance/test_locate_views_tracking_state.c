/* SPDX-License-Identifier: MIT */
/* xrLocateViews (and xrLocateSpace of VIEW) report the tracking state as it is: while the headset has lost
 * tracking the views do not claim to be tracked, and a bit that is set is true. Spec: OpenXR 1.0 and 1.1,
 * xrspec.html#xrLocateViews and #XrViewStateFlagBits ("XR_VIEW_STATE_ORIENTATION_VALID_BIT indicates whether
 * all XrView orientations contain valid data"; "..._ORIENTATION_TRACKED_BIT indicates whether all XrView
 * orientations represent an actively tracked orientation"; "..._POSITION_TRACKED_BIT indicates whether all
 * XrView positions represent an actively tracked position. When a view loses tracking, runtimes should
 * continue to provide valid but untracked view position values that are inferred or last-known ... clearing
 * XR_VIEW_STATE_POSITION_TRACKED_BIT until tracking is recovered"), and #XrSpaceLocationFlagBits for
 * xrLocateSpace. A tracked pose is a valid one, so a *_TRACKED bit without its *_VALID bit is wrong, and a
 * pose with its VALID bit must be a pose (finite, unit quaternion). The runtime may keep the VALID bits
 * during a loss (last-known or inferred values, as the spec recommends) or clear them; either way the TRACKED
 * bits go. The simulated headset loses tracking from 0.3 s to 0.6 s after xrBeginSession (PARALLAX_SIM_INPUT
 * head.tracked); a runtime without that setting fails at xrCreateInstance. */
#include "conf.h"

#include <math.h>
#include <stdlib.h>

static bool pose_ok(const XrPosef *p)
{
    const XrQuaternionf *q = &p->orientation;
    double n = sqrt((double)q->x * q->x + (double)q->y * q->y + (double)q->z * q->z + (double)q->w * q->w);
    return isfinite(p->position.x) && isfinite(p->position.y) && isfinite(p->position.z) &&
           fabs(n - 1.0) < 1e-3;
}

int main(void)
{
    conf c;
    conf_start(&c, "locate_views_tracking_state",
               "xrLocateViews/xrLocateSpace: the view state follows a tracking loss; set bits are true");
    setenv("PARALLAX_SIM_INPUT", "head.tracked=0@0.3; head.tracked=1@0.6", 1);
    const XrViewStateFlags all = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT |
                                 XR_VIEW_STATE_ORIENTATION_TRACKED_BIT | XR_VIEW_STATE_POSITION_TRACKED_BIT;
    const XrViewStateFlags tracked =
        XR_VIEW_STATE_ORIENTATION_TRACKED_BIT | XR_VIEW_STATE_POSITION_TRACKED_BIT;
    int before = 0, during = 0, after = 0;
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_swapchains(&c)) {
        XrSpace view = XR_NULL_HANDLE;
        XrReferenceSpaceCreateInfo rci = {.type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
                                          .referenceSpaceType = XR_REFERENCE_SPACE_TYPE_VIEW,
                                          .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}}};
        CONF_XR(&c, xrCreateReferenceSpace(c.session, &rci, &view));
        if (conf_begin(&c)) {
            int64_t start = conf_monotonic_ns();
            while (conf_monotonic_ns() - start < 900000000LL) {
                if (!conf_frame_projection(&c)) break;
                double t = (double)(conf_monotonic_ns() - start) / 1e9;
                XrViewStateFlags f = c.view_state.viewStateFlags;
                if ((f & XR_VIEW_STATE_ORIENTATION_TRACKED_BIT) && !(f & XR_VIEW_STATE_ORIENTATION_VALID_BIT))
                    CONF_FAIL(&c, "t=%.3f s: ORIENTATION_TRACKED without ORIENTATION_VALID (0x%llx)", t,
                              (unsigned long long)f);
                if ((f & XR_VIEW_STATE_POSITION_TRACKED_BIT) && !(f & XR_VIEW_STATE_POSITION_VALID_BIT))
                    CONF_FAIL(&c, "t=%.3f s: POSITION_TRACKED without POSITION_VALID (0x%llx)", t,
                              (unsigned long long)f);
                if ((f & all) == all)
                    for (int v = 0; v < 2; v++)
                        CONF_CHECK(&c, pose_ok(&c.views[v].pose), "t=%.3f s: view %d is valid but not a pose",
                                   t, v);
                XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION};
                CONF_XR(&c, xrLocateSpace(view, c.local, c.last_frame.predictedDisplayTime, &loc));
                if (t < 0.25) {
                    before++;
                    CONF_CHECK(&c, (f & all) == all,
                               "t=%.3f s (tracked): view state 0x%llx, expected all four bits", t,
                               (unsigned long long)f);
                } else if (t > 0.36 && t < 0.54) {
                    during++;
                    CONF_CHECK(&c, (f & tracked) == 0,
                               "t=%.3f s (tracking lost): view state 0x%llx still claims tracking", t,
                               (unsigned long long)f);
                    CONF_CHECK(
                        &c,
                        (loc.locationFlags & (XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT |
                                              XR_SPACE_LOCATION_POSITION_TRACKED_BIT)) == 0,
                        "t=%.3f s (tracking lost): xrLocateSpace(VIEW) flags 0x%llx still claim tracking", t,
                        (unsigned long long)loc.locationFlags);
                } else if (t > 0.7) {
                    after++;
                    CONF_CHECK(&c, (f & all) == all, "t=%.3f s (tracked again): view state 0x%llx", t,
                               (unsigned long long)f);
                }
            }
            printf("  frames: %d before the loss, %d during, %d after\n", before, during, after);
            CONF_CHECK(&c, before > 0 && during > 0 && after > 0,
                       "frames before/during/after the loss: %d/%d/%d", before, during, after);
            conf_end(&c);
        }
        if (view) xrDestroySpace(view);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
