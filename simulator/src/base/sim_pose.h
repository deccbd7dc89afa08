/* SPDX-License-Identifier: MIT */
/* OpenXR poses and vectors <-> the plx_math types the simulator computes with. plx_math types are laid out
 * like their OpenXR twins, so a conversion is a copy.
 * Layer: base (the bottom of simulator/src); inline functions only. */
#pragma once

#include <stddef.h>
#include <string.h>
#include <openxr/openxr.h>

#include "plx_math.h"

_Static_assert(sizeof(plx_pose) == sizeof(XrPosef), "plx_pose must match XrPosef");
_Static_assert(sizeof(plx_vec3) == sizeof(XrVector3f), "plx_vec3 must match XrVector3f");
_Static_assert(sizeof(plx_quat) == sizeof(XrQuaternionf), "plx_quat must match XrQuaternionf");
_Static_assert(offsetof(plx_pose, position) == offsetof(XrPosef, position), "plx_pose layout");

static inline XrPosef sim_xr_pose(plx_pose p)
{
    XrPosef x;
    memcpy(&x, &p, sizeof(x));
    return x;
}

static inline plx_pose sim_plx_pose(XrPosef x)
{
    plx_pose p;
    memcpy(&p, &x, sizeof(p));
    return p;
}

static inline XrVector3f sim_xr_vec(plx_vec3 v)
{
    return (XrVector3f){v.x, v.y, v.z};
}

static inline plx_vec3 sim_plx_vec(XrVector3f v)
{
    return (plx_vec3){v.x, v.y, v.z};
}

static inline plx_quat sim_plx_quat(XrQuaternionf q)
{
    plx_quat p;
    memcpy(&p, &q, sizeof(p));
    return p;
}
