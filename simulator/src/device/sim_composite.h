/* SPDX-License-Identifier: MIT */
/* The simulated display's picture of a frame: every layer of a sim_frame composited in order, the way the
 * OpenXR specification's "Compositing" section describes it, into one image per eye (both eyes side by
 * side, 8-bit sRGB), for the capture and the preview window. Pure CPU code with no Vulkan calls: the
 * compositor (compositor.c) copies the layers' sub-images to host memory and calls it.
 * Layer: device (the lower part); calls device/optics.c, base/ and plx_math.
 *
 * The display's eyes. The simulated compositor does not re-project for head motion (that is what the pose
 * error measures): each eye looks from the pose of the frame's reference projection layer
 * (sim_composite_reference), the one whose views cover the display's view, with the display's own fov
 * (device/optics.c) and size (PARALLAX_SIM_EYE_SIZE). Without such a layer the eyes are where the tracker
 * put the head for the frame's display time (sim_frame.head_pose).
 *
 * Per output pixel (i, j) of an eye W x H, row 0 at the top, the ray leaves the eye through the pixel's
 * centre: tan x = tan(angleLeft) + (i + 0.5) / W * (tan(angleRight) - tan(angleLeft)), tan y = tan(angleUp)
 * - (j + 0.5) / H * (tan(angleUp) - tan(angleDown)), direction (tan x, tan y, -1) in the eye's frame. So a
 * point at tan x lands at the continuous column (tan x - tan(angleLeft)) / (tan(angleRight) -
 * tan(angleLeft)) * W, and pixel i covers [i, i + 1). Each layer maps the ray to texture coordinates (u, v)
 * in [0, 1] over its sub-image rectangle (u = 0 its left edge, v = 0 its top row, texel (x, y) centred at
 * ((x + 0.5) / w, (y + 0.5) / h)); a ray that misses leaves the pixel to the layers below (coverage is
 * decided at the pixel centre: no edge anti-aliasing). The sampling filter is bilinear with clamp-to-edge
 * inside the rectangle (never reading outside it):
 *   projection  rotation-only re-projection: the ray in the layer view's frame, through its fov's tangents
 *               (at infinite distance; depth is not used). The reference layer maps 1:1 when its rectangle
 *               has the display's size and its fov is the display's.
 *   quad        ray-plane: the quad lies in its pose's x-y plane, size.width x size.height metres centred
 *               at the pose, front face towards +z (the back face is not drawn); u along +x, v along -y.
 *               A zero width or height draws nothing.
 *   cylinder    ray-cylinder: axis along the pose's y, the visible arc centred on the pose's -z, from
 *               -centralAngle/2 (u = 0) to +centralAngle/2 (u = 1) towards +x; height radius *
 *               centralAngle / aspectRatio centred on the pose (v = 0 at the top). Only the inside is
 *               drawn (the ray's exit point). Radius 0 or +infinity: an infinite cylinder, by direction.
 *   equirect2   the ray's direction from the sphere's centre (its exit point from a sphere of the radius;
 *               0 or +infinity: the direction itself): longitude 0 on the pose's -z growing towards +x,
 *               u = longitude / centralHorizontalAngle + 0.5; latitude up, v = 0 at upperVerticalAngle
 *               and 1 at lowerVerticalAngle. A full circle (2 pi) wraps horizontally.
 *
 * Colour. Texels are decoded to linear values (the _SRGB formats through the sRGB curve; UNORM, float and
 * packed formats are linear, as the specification's "Swapchain Image Management" says), then per texel,
 * before filtering: without XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT (or without an alpha
 * channel) alpha is 1; with XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT the colour is multiplied by
 * alpha; the result is clamped to [0, 1]. Layers blend in order onto a composite that starts at zero:
 * composite = layer + composite * (1 - layer.alpha). The environment blend mode the frame chose
 * (PARALLAX_SIM_BLEND_MODES lists the modes offered) then meets the world behind the display, a uniform grey
 * of linear value SIM_ENVIRONMENT_LINEAR standing in for a passthrough camera: OPAQUE shows the composite's
 * colour, alpha ignored; ADDITIVE adds the colour to the world's, alpha ignored; ALPHA_BLEND shows colour +
 * world * (1 - alpha). The result is clamped and sRGB-encoded to 8 bits.
 * XR_COMPOSITION_LAYER_CORRECT_CHROMATIC_ABERRATION_BIT is accepted and changes nothing (the simulated
 * display has no lens). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>

#include "device/sim_frame.h"

/* The world behind the display in the ADDITIVE and ALPHA_BLEND environment blend modes: a uniform grey of
 * this linear value (18% grey, sRGB 118). */
#define SIM_ENVIRONMENT_LINEAR 0.18f

/* Bytes per texel of a colour format the compositor can read (what xrEnumerateSwapchainFormats may offer),
 * 0 for any other format. */
uint32_t sim_composite_texel_size(VkFormat format);

/* Why a projection layer's poses cannot be eye poses: an identity pose (no eye sits at a space's origin
 * with its orientation; typical of a sky or backdrop layer submitted without a pose) or a view whose fov
 * has no width or height (or reaches 90 degrees off axis). A static string naming the view, or NULL when
 * the layer is plausible (or not a projection layer). */
const char *sim_composite_implausible(const sim_layer *layer);

/* The frame's reference projection layer: of the projection layers whose poses are plausible and whose
 * space was located, the one whose views cover the largest share of the display's field of view, the
 * first of those within 1% of it. Its poses give the display's eyes and its pose error is the frame's
 * headline figure. -1 when the frame has none. */
int32_t sim_composite_reference(const sim_frame *f);

/* Where the display's two eyes look from for a frame. */
typedef struct sim_display {
    XrPosef eye[2];    /* in LOCAL */
    XrFovf fov[2];     /* the display's (device/optics.c) */
    XrPosef head;      /* in LOCAL: head-locked (VIEW-space) layers hang from it */
    int32_t reference; /* the layer the eyes come from, -1: the tracker's head (sim_frame.head_pose) */
} sim_display;

/* The display's eyes for a frame (see the top of this file); ipd_m places the eyes when no layer does. */
void sim_composite_display(const sim_frame *f, float ipd_m, sim_display *out);

/* One layer image's texels in host memory: the sub-image rectangle only, rows tightly packed. */
typedef struct sim_texels {
    const void *data; /* NULL: no pixels (a format the compositor cannot read): the layer is not drawn */
    uint32_t width, height;
    VkFormat format;
} sim_texels;

/* Scratch memory and tables for compositing; one per compositor, used by one thread at a time. */
typedef struct sim_composer sim_composer;

/* NULL when out of memory. */
sim_composer *sim_composer_create(void);
/* NULL-safe; sets *cp = NULL. */
void sim_composer_destroy(sim_composer **cp);
/* Composites frame f as display d shows it into rgb: 2 * eye_w x eye_h pixels of 3 bytes (sRGB), left eye
 * then right eye side by side. texels[i][v] are layer i's pixels: view v of a projection layer, v = 0 for
 * the other types. false (rgb untouched) when out of memory. */
bool sim_composer_run(sim_composer *cp, const sim_frame *f, const sim_display *d,
                      const sim_texels (*texels)[SIM_MAX_LAYER_VIEWS], uint32_t eye_w, uint32_t eye_h,
                      uint8_t *rgb);
