/* SPDX-License-Identifier: MIT */
/* Composition layers for the conformance harness (conf.h): swapchains filled with known texels, frames that
 * submit layers, and the capture a runtime may write (the Parallax simulated headset's PARALLAX_SIM_CAPTURE,
 * both eyes side by side) read back and measured against where the submitted geometry projects.
 *
 * Pixel convention (simulator/README.md "Compositing"): pixel i of an eye W wide covers [i, i + 1); a point
 * at view-space tangent tan x lands at the continuous column (tan x - tan(angleLeft)) / (tan(angleRight) -
 * tan(angleLeft)) * W, rows likewise from tan(angleUp) down. */
#pragma once

#include "conf.h"

/** A swapchain with its images, as conf_swapchain_create makes it (colour, static or not). */
typedef struct conf_swapchain {
    XrSwapchain handle;
    VkImage images[8];
    uint32_t image_count;
    VkFormat format;
    uint32_t width, height, array_size;
} conf_swapchain;

/** Bytes per texel of the colour formats the tests fill (0 for others). */
uint32_t conf_texel_size(VkFormat format);
/** Whether the runtime offers a swapchain format (xrEnumerateSwapchainFormats). */
bool conf_format_offered(conf *c, VkFormat format);
/** A swapchain: colour (COLOR_ATTACHMENT | TRANSFER_DST) or, for a depth format, DEPTH_STENCIL_ATTACHMENT;
 * static: one image, acquired once. */
bool conf_swapchain_create(conf *c, VkFormat format, uint32_t width, uint32_t height, uint32_t array_size,
                           bool static_image, conf_swapchain *out);
/** Acquires, waits, copies texels into the image and releases it: texels[layer] holds width x height texels
 * of the format for array layer `layer` (NULL leaves that layer as it is). */
bool conf_swapchain_fill(conf *c, conf_swapchain *sc, const void *const *texels);
/** The background most layer tests draw over: an R8G8B8A8_SRGB static swapchain of the recommended eye size
 * with two array layers (one per view) of one colour (RGBA). */
bool conf_background(conf *c, const unsigned char rgba[4], conf_swapchain *out);
/** An R8G8B8A8_SRGB static w x h swapchain holding conf_quadrant_texels. */
bool conf_quadrant_swapchain(conf *c, uint32_t w, uint32_t h, conf_swapchain *out);
/** Whether xrEnumerateInstanceExtensionProperties lists an extension. */
bool conf_extension_offered(conf *c, const char *name);
/** Acquires, waits and releases an image without touching it (a depth image whose content does not matter).
 */
bool conf_swapchain_cycle(conf *c, conf_swapchain *sc);
/** The same texel everywhere in every array layer. */
bool conf_swapchain_fill_solid(conf *c, conf_swapchain *sc, const void *texel);
void conf_swapchain_destroy(conf_swapchain *sc);

/** xrLocateViews in c->local at time t: both views; false (failure recorded) unless both are tracked. */
bool conf_locate_views(conf *c, XrTime t, XrView out[2]);

/** Fills a projection layer over views[2] from xrLocateViews (pose and fov), its sub-images from `color`
 * (array layer v for view v when array_size is 2, else one image for both views). */
void conf_projection_layer(conf *c, const XrView views[2], const conf_swapchain *color,
                           XrCompositionLayerFlags flags, XrCompositionLayerProjectionView out_views[2],
                           XrCompositionLayerProjection *out);

/** Called by conf_frame_with_layers after xrLocateViews, to fill the frame's layers from the views. */
typedef void (*conf_build_layers)(conf *c, const XrView views[2], void *user);

/** One frame: xrWaitFrame, xrBeginFrame, xrLocateViews at the predicted display time (into views, may be
 * NULL), build(c, views, user), xrEndFrame with layers[0..count) (count read after build); checks that
 * xrEndFrame returns `want`. */
bool conf_frame_with_layers(conf *c, conf_build_layers build, void *user,
                            const XrCompositionLayerBaseHeader *const *layers, const uint32_t *count,
                            XrResult want, XrView *views);

/** Asks the Parallax simulated headset (other runtimes ignore it) to capture displayed frame `frame` of the
 * test's session into a file of the test's own, with the head still; sets the per-eye size too. Call before
 * conf_instance. Returns the capture's path (static storage). */
const char *conf_capture_setup(const char *test_name, int frame, int eye_w, int eye_h);
/** Whether the runtime is the Parallax simulated headset (xrGetInstanceProperties), whose capture the
 * pixel checks read; other runtimes get the API checks only. */
bool conf_runtime_is_parallax(conf *c);
/** The recommended per-eye image size (xrEnumerateViewConfigurationViews, PRIMARY_STEREO). */
bool conf_eye_size(conf *c, uint32_t *out_w, uint32_t *out_h);

/** Sends the process's stderr (where the Parallax simulated headset writes its one-line errors) to a file of
 * the test's own until conf_stderr_end, which restores it, copies what was written into buf (NUL-terminated,
 * cut to size) and echoes it to stderr. */
bool conf_stderr_begin(conf *c);
void conf_stderr_end(conf *c, char *buf, size_t size);

/** An RGB capture: both eyes side by side, each eye_w x h. */
typedef struct conf_image {
    int w, h, eye_w;
    unsigned char *rgb;
} conf_image;

/** Reads a PNG written by the runtime's capture; false (failure recorded) when missing or unreadable. */
bool conf_capture_read(conf *c, const char *path, conf_image *out);
void conf_image_free(conf_image *im);
/** Pixel (x, y) of an eye. */
const unsigned char *conf_pixel(const conf_image *im, int eye, int x, int y);
/** Bounding box (x0, y0, x1, y1 inclusive) of an eye's pixels within tol (per channel) of rgb; false if none.
 */
bool conf_find_box(const conf_image *im, int eye, const unsigned char rgb[3], int tol, int box[4]);

/** Where a point (in the views' space) lands in an eye: continuous pixel coordinates; false when behind. */
bool conf_project(const XrView *view, int eye_w, int eye_h, XrVector3f p, double *out_x, double *out_y);
/** The box of pixels whose centres lie inside the projected outline of points pts[0..n) (in the views'
 * space): first and last covered column and row. false when a point is behind the eye. */
bool conf_expected_box(const XrView *view, int eye_w, int eye_h, const XrVector3f *pts, int n, int box[4]);
/** A layer's surface: the point (in the views' space) where texture coordinate (u, v) lies. */
typedef XrVector3f (*conf_surface)(const void *layer, double u, double v);
/** The expected box of the part [u0, u1] x [v0, v1] of a surface: its outline sampled finely, projected. */
bool conf_surface_box(const XrView *view, int eye_w, int eye_h, conf_surface surface, const void *layer,
                      double u0, double u1, double v0, double v1, int box[4]);
/** The surfaces of the layer types (layer: the XrCompositionLayer* struct; poses in the views' space). */
XrVector3f conf_quad_point(const void *quad, double u, double v);
XrVector3f conf_cylinder_point(const void *cylinder, double u, double v);
XrVector3f conf_equirect2_point(const void *equirect2, double u, double v); /* an infinite radius: far away */

/** Four colours in the four quadrants of a texture, for checking its orientation: top-left red, top-right
 * green, bottom-left blue, bottom-right yellow (R8G8B8A8). */
extern const unsigned char conf_quadrant_colors[4][4];
/** A w x h R8G8B8A8 image of the four quadrants (malloc'd). */
unsigned char *conf_quadrant_texels(uint32_t w, uint32_t h);
/** Checks that each quadrant of a layer's texture shows where its part of the surface projects, in one eye,
 * within tol pixels; what names the layer. */
void conf_check_quadrants(conf *c, const char *what, const conf_image *im, int eye, const XrView *view,
                          conf_surface surface, const void *layer, int tol);

/** With the Parallax simulated headset (parallax true, no failure so far): reads the capture, checks each
 * quadrant of a layer's texture in both eyes within 2 pixels (conf_check_quadrants), then removes the file.
 */
void conf_capture_check_quadrants(conf *c, bool parallax, const char *capture, const char *what,
                                  const XrView views[2], conf_surface surface, const void *layer);

/** Checks a measured box against an expected one within tol pixels on each edge; records a failure naming
 * what (e.g. "quad, left eye"). */
bool conf_check_box(conf *c, const char *what, const int got[4], const int want[4], int tol);

/** A point of a pose's frame in the pose's space. */
XrVector3f conf_pose_point(const XrPosef *pose, XrVector3f local);
