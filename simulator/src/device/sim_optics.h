/* SPDX-License-Identifier: MIT */
/* The simulated headset's optics: where the two eyes are for a head pose, and what each sees. xrLocateViews
 * (openxr/space.c) and the compositor's truth (device/compositor.c) use this one model, so only tracking,
 * prediction and latency show up as pose error.
 * Layer: device (the lower part); calls only base/. */
#pragma once

#include <openxr/openxr.h>

/* The display's fov for an eye (0 left, 1 right): symmetric, 90 degrees each axis. */
XrFovf sim_eye_fov(int eye);
/* Per-eye poses (in the head pose's space) and fovs for a head pose: eyes at -/+ ipd/2 along the head's x
 * axis. Only pose and fov of out_views are written. */
void sim_eye_views(float ipd_m, const XrPosef *head, XrView out_views[2]);
