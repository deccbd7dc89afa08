/* SPDX-License-Identifier: MIT */
/* One submitted frame: what xrEndFrame (openxr/frame.c) hands the compositor, and what the compositor finds
 * out about it (when it reached the photons, how far its poses were off).
 * Layer: device (the lower part); a header of types only, so the upper part can fill a frame without
 * knowing the compositor, and the compositor reads one without knowing OpenXR objects: swapchains are
 * resolved to Vulkan images, spaces to a pose in LOCAL (or a note that the layer is head-locked).
 *
 * A frame is an ordered list of layers of any type the runtime accepts; the compositor composites them in
 * order and measures the pose error of each projection layer. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>

/* Layers per frame: what xrGetSystemProperties reports as maxLayerCount. */
#define SIM_MAX_LAYERS XR_MIN_COMPOSITION_LAYERS_SUPPORTED
/* Views of a projection layer: PRIMARY_STEREO. */
#define SIM_MAX_LAYER_VIEWS 2

typedef enum sim_layer_type {
    SIM_LAYER_PROJECTION = 0, /* XrCompositionLayerProjection */
    SIM_LAYER_QUAD,           /* XrCompositionLayerQuad */
    SIM_LAYER_CYLINDER,       /* XrCompositionLayerCylinderKHR (XR_KHR_composition_layer_cylinder) */
    SIM_LAYER_EQUIRECT2,      /* XrCompositionLayerEquirect2KHR (XR_KHR_composition_layer_equirect2) */
} sim_layer_type;

/* How a layer's colour combines with the layers below it, from its layer flags (resolved by xrEndFrame). */
typedef enum sim_layer_alpha {
    SIM_ALPHA_OPAQUE = 0,      /* no BLEND_TEXTURE_SOURCE_ALPHA: the layer's alpha is ignored, it covers */
    SIM_ALPHA_PREMULTIPLIED,   /* BLEND_TEXTURE_SOURCE_ALPHA: colour already multiplied by alpha */
    SIM_ALPHA_UNPREMULTIPLIED, /* BLEND_TEXTURE_SOURCE_ALPHA | UNPREMULTIPLIED_ALPHA */
} sim_layer_alpha;

/* What a layer's poses are relative to. */
typedef enum sim_layer_space {
    SIM_LAYER_SPACE_LOCAL = 0, /* world-locked: poses converted to LOCAL at the frame's display time */
    SIM_LAYER_SPACE_VIEW, /* head-locked (a VIEW reference space): poses as submitted, relative to the head */
    SIM_LAYER_SPACE_UNTRACKED, /* the space had no pose at display time (an inactive action space): poses as
                                  submitted, with nothing to relate them to */
} sim_layer_space;

/* One region of a swapchain image a layer samples (XrSwapchainSubImage), resolved by xrEndFrame to the image
 * the swapchain last released. Colour images arrive in COLOR_ATTACHMENT_OPTIMAL, depth images in
 * DEPTH_STENCIL_ATTACHMENT_OPTIMAL (XR_KHR_vulkan_enable), and must be left in that layout. */
typedef struct sim_layer_image {
    VkImage image;
    VkFormat format;
    uint32_t width, height; /* of the whole image */
    uint32_t array_size;    /* layers of the image */
    uint32_t sample_count;
    uint32_t array_index; /* imageArrayIndex */
    XrRect2Di rect;       /* imageRect, inside the image */
} sim_layer_image;

/* XrCompositionLayerDepthInfoKHR of a projection view. */
typedef struct sim_layer_depth {
    sim_layer_image image;
    float min_depth, max_depth, near_z, far_z;
} sim_layer_depth;

typedef struct sim_projection_view {
    XrPosef pose; /* in LOCAL for SIM_LAYER_SPACE_LOCAL, else as submitted */
    XrFovf fov;
    sim_layer_image color;
    bool has_depth;
    sim_layer_depth depth;
} sim_projection_view;

/* A projection layer's poses judged against the truth. The sample and locate times come from xrEndFrame
 * (which xrLocateViews result the poses match; the xrEndFrame time when none does); the rest the compositor
 * fills when the frame settles. */
typedef struct sim_pose_measure {
    XrTime sample_time; /* measurement time of the IMU sample behind the poses */
    XrTime locate_time; /* when xrLocateViews returned them */
    double error_deg;   /* mean over the views of the angle to the true eye pose at photon time; NAN when
                           not measured (not shown, not world-locked) */
    double error_mm;    /* the same for the eye position */
    double age_ms;      /* photon time - sample_time; NAN when not shown */
} sim_pose_measure;

typedef struct sim_layer {
    sim_layer_type type;
    XrCompositionLayerFlags flags; /* as submitted */
    sim_layer_alpha alpha;         /* from flags */
    sim_layer_space space;
    XrEyeVisibility eye_visibility; /* quad, cylinder, equirect2; XR_EYE_VISIBILITY_BOTH for projection */
    union {
        struct {
            uint32_t view_count;
            sim_projection_view views[SIM_MAX_LAYER_VIEWS];
            sim_pose_measure measure;
            const char *implausible; /* filled by the compositor: why its poses cannot be eye poses (a
                                        static string, e.g. an identity pose), NULL when they can */
        } projection;
        struct {
            XrPosef pose; /* centre of the quad; in LOCAL for SIM_LAYER_SPACE_LOCAL */
            XrExtent2Df size;
            sim_layer_image image;
        } quad;
        struct {
            XrPosef pose;
            float radius, central_angle, aspect_ratio;
            sim_layer_image image;
        } cylinder;
        struct {
            XrPosef pose;
            float radius, central_horizontal_angle, upper_vertical_angle, lower_vertical_angle;
            sim_layer_image image;
        } equirect2;
    };
} sim_layer;

typedef struct sim_frame {
    /* from xrWaitFrame / xrBeginFrame / xrEndFrame */
    int64_t frame_id;              /* xrEndFrame calls of the session before this one, from 0 */
    XrTime predicted_display_time; /* the app's displayTime (normally one xrWaitFrame returned) */
    int64_t target_vsync;          /* the vsync that display time belongs to */
    XrTime wait_return_time;       /* when that xrWaitFrame returned */
    XrTime begin_time, end_time;   /* xrBeginFrame / xrEndFrame call times */
    XrPosef head_pose; /* the tracker's head (VIEW) in LOCAL at displayTime, located at xrEndFrame: where
                          head-locked layers hang when no projection layer gives the eyes (sim_composite.h) */
    bool head_valid;   /* head_pose was located (false only for frames made without a tracker, in tests) */
    XrEnvironmentBlendMode blend_mode; /* how the composite meets the (simulated) world behind the display */
    uint32_t layer_count;              /* 0: the frame shows nothing (the display goes black) */
    sim_layer layers[SIM_MAX_LAYERS];
    /* filled by the compositor */
    XrTime gpu_done_time;      /* when the app's GPU work for the frame completed (fence); 0 never */
    XrTime photon_time;        /* vsync + display offset of the refresh that showed it (0 = never) */
    int64_t shown_vsync;       /* -1 never shown */
    double slack_ms;           /* composition start of target vsync - gpu_done_time (negative = late) */
    bool missed;               /* not displayed at its target vsync */
    bool dropped;              /* never displayed */
    int32_t headline_layer;    /* the projection layer the headline figures describe (the one that covers the
                                  view, sim_composite_reference), -1 none */
    sim_pose_measure headline; /* a copy of that layer's measure (zero times, NANs without one) */
} sim_frame;
