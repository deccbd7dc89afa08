/* SPDX-License-Identifier: MIT */
/* The simulated headset's optics: eye positions and fov (device/sim_optics.h).
 * Layer: device (the lower part); calls only base/ (inline pose conversions) and plx_math. */
#include "device/sim_optics.h"

#include "base/sim_pose.h"

XrFovf sim_eye_fov(int eye)
{
    (void)eye;
    /* A symmetric 90 degree display, the same for both eyes. */
    const float a = (float)(PLX_PI / 4.0);
    return (XrFovf){.angleLeft = -a, .angleRight = a, .angleUp = a, .angleDown = -a};
}

void sim_eye_views(float ipd_m, const XrPosef *head, XrView out_views[2])
{
    plx_pose h = sim_plx_pose(*head);
    float half_ipd = ipd_m * 0.5f;
    for (int i = 0; i < 2; i++) {
        /* Left eye (0) at -x, right eye (1) at +x of the head frame. */
        plx_vec3 offset =
            plx_quat_rotate(h.orientation, (plx_vec3){i == 0 ? -half_ipd : half_ipd, 0.0f, 0.0f});
        plx_pose eye = {.orientation = h.orientation, .position = plx_vec3_add(h.position, offset)};
        out_views[i].pose = sim_xr_pose(eye);
        out_views[i].fov = sim_eye_fov(i);
    }
}
