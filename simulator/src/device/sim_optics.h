/* SPDX-License-Identifier: MIT */
/* The simulated headset's optics: where the two eyes are for a head pose, and what each sees. xrLocateViews
 * (openxr/space.c) and the compositor's truth (device/compositor.c) use this one model, so only tracking,
 * prediction and latency show up as pose error.
 * Layer: device (the lower part); calls only base/. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <openxr/openxr.h>

/* The display's fov for an eye (0 left, 1 right): symmetric, 90 degrees each axis. */
XrFovf sim_eye_fov(int eye);
/* Per-eye poses (in the head pose's space) and fovs for a head pose: eyes at -/+ ipd/2 along the head's x
 * axis. Only pose and fov of out_views are written. */
void sim_eye_views(float ipd_m, const XrPosef *head, XrView out_views[2]);

/* The lens: the part of each eye's view the user sees is the display's rectangle (the fov, in the z = -1
 * plane: x from tan(angleLeft) to tan(angleRight), y from tan(angleDown) to tan(angleUp)) cut by a circle of
 * radius lens_radius around the view axis (x = y = 0). 1 touches the edges of a 90 degree view; the
 * default 1.1 hides its corners (about 11% of the view); sqrt(2) or more hides nothing.
 * XR_KHR_visibility_mask's meshes. */
#define SIM_MASK_MAX_VERTICES 192
#define SIM_MASK_MAX_INDICES  576

typedef enum sim_mask_type {
    SIM_MASK_HIDDEN = 1,  /* triangles over what the user does not see (XR_VISIBILITY_MASK_TYPE_HIDDEN_...) */
    SIM_MASK_VISIBLE = 2, /* triangles over what the user sees (..._VISIBLE_TRIANGLE_MESH_KHR) */
    SIM_MASK_LINE_LOOP = 3, /* the border between the two, one index per vertex (..._LINE_LOOP_KHR) */
} sim_mask_type;

typedef struct sim_mask {
    uint32_t vertex_count, index_count;
    XrVector2f vertices[SIM_MASK_MAX_VERTICES];
    uint32_t indices[SIM_MASK_MAX_INDICES];
} sim_mask;

/* The mask of a view with this fov behind a lens of this radius: triangles counter-clockwise as the user sees
 * them (x right, y up), the line loop counter-clockwise around the view axis and not self-crossing. A hidden
 * mesh with nothing hidden is empty. */
void sim_optics_mask(const XrFovf *fov, float lens_radius, sim_mask_type type, sim_mask *out);
/* Whether the point (x, y) of the z = -1 plane is seen through the lens (inside the circle). */
bool sim_optics_visible(float lens_radius, float x, float y);
