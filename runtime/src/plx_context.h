/* SPDX-License-Identifier: MIT */
/* The root object of libparallax, struct plx_context, and the frame loop's own functions (frame.c, layer 6,
 * the orchestrator). Included by frame.c and the public entry points (api/, layer 7) only: the layers below
 * see the parts they are given, not the whole context. */
#pragma once
#include "overlay/plx_overlay.h"

typedef enum plx_frame_phase {
    PLX_PHASE_IDLE = 0, /* ready for plx_frame_wait */
    PLX_PHASE_WAITED,   /* xrWaitFrame returned: plx_frame_begin next */
    PLX_PHASE_BEGUN,    /* xrBeginFrame returned: plx_frame_end next */
} plx_frame_phase;

struct plx_context {
    /* configuration */
    plx_log_fn log_fn;
    void *log_user;
    plx_log_level log_level;
    plx_mode mode;
    plx_space space_kind;
    float near_z, far_z;
    float clear_color[4];
    uint32_t frames_in_flight;
    bool validation;
    char last_error[1024];
    atomic_uint validation_messages;

    /* OpenXR */
    XrInstance instance;
    XrSystemId system;
    XrSession session;
    XrSpace space;
    bool ext_depth, ext_debug_utils;
    XrDebugUtilsMessengerEXT xr_messenger;
    PFN_xrDestroyDebugUtilsMessengerEXT xrDestroyDebugUtilsMessengerEXT;
    XrEnvironmentBlendMode blend_mode; /* the runtime's first (preferred) mode for stereo */
    XrSessionState state;
    bool running; /* between xrBeginSession and xrEndSession */
    bool should_quit;
    XrTime session_begin_time;

    /* Vulkan */
    VkInstance vk_instance;
    VkPhysicalDevice physical_device;
    VkDevice device;
    uint32_t queue_family_index;
    VkQueue queue;
    VkPhysicalDeviceMemoryProperties memory_properties;
    VkDebugUtilsMessengerEXT vk_messenger;
    PFN_vkDestroyDebugUtilsMessengerEXT vkDestroyDebugUtilsMessengerEXT;
    bool timestamps; /* the queue family writes timestamps */
    double timestamp_period_ns;
    uint64_t timestamp_mask;
    VkQueryPool query_pool; /* 2 per slot: begin, end */
    VkCommandPool command_pool;
    VkDescriptorPool descriptor_pool;
    VkDescriptorSetLayout frame_set_layout;
    VkRenderPass render_pass;
    plx_frame_slot slots[PLX_MAX_FRAMES_IN_FLIGHT];

    /* swapchains */
    uint32_t eye_width, eye_height;
    plx_swapchain color, depth; /* depth.handle is XR_NULL_HANDLE when the runtime offers no depth format */
    VkFormat depth_format;
    VkImage own_depth_image; /* used when there is no depth swapchain */
    VkDeviceMemory own_depth_memory;
    VkImageView own_depth_view;
    VkFramebuffer framebuffers[PLX_MAX_SWAPCHAIN_IMAGES]
                              [PLX_MAX_SWAPCHAIN_IMAGES]; /* [colour][depth], lazily */

    /* frame loop */
    plx_frame_phase phase;
    uint64_t frames_waited;
    bool frame_should_render;
    bool color_held, depth_held; /* acquired and waited: plx_frame_end releases them */
    bool frame_recording;        /* its command buffer is recording inside the render pass */
    bool frame_views_valid;      /* the located views have valid poses: submit a projection layer */
    uint32_t color_index, depth_index;
    XrView xr_views[2];
    XrTime frame_display_time;

    /* dynamic resolution (resolution.c) */
    plx_resolution resolution;

    /* session / instance loss recovery (recover.c) */
    plx_recover recover;

    /* statistics (stats.c) */
    plx_frame_stats stats[PLX_STATS_RING];
    plx_frame_stats current; /* the frame in progress */
    uint64_t frames_ended;

    /* frame timeline: GPU clock, misses, trace, HUD, mirror */
    plx_timeline timeline;

    /* latency: pacing, prediction, latch check */
    plx_latency lat;
};

/* ---------------------------------------------------------------- matrices (frame.c) */

/* View and projection of one located view, into out and the slot's uniforms. */
void plx_view_from_xr(const plx_context *ctx, const XrView *xr, plx_view *out);
/* A pose into the public API's float arrays (position x, y, z; orientation x, y, z, w). */
void plx_pose_to_arrays(plx_pose pose, float position[3], float orientation[4]);
