/* Internal header of libparallax. One file per concern:
 *   error.c      results, last-error strings, the XR/VK check funnel, the log sink
 *   context.c    plx_context_create/destroy: OpenXR instance, system, session, reference space
 *   vulkan.c     Vulkan instance/device through XR_KHR_vulkan_enable2, debug messenger, render pass,
 *                per-frame slots (command buffers, fences, uniform buffers, timestamp queries), buffer
 * helpers swapchain.c  the colour and depth swapchains (arraySize 2), image views, framebuffers session.c
 * plx_poll: event queue and session state machine, plx_request_exit frame.c      plx_frame_wait / begin /
 * end, the late latch pacing.c     just-in-time pacing: the sleep after xrWaitFrame stats.c      per-frame
 * statistics ring and summary scene.c      the built-in scene renderer */
#pragma once

#define XR_USE_GRAPHICS_API_VULKAN 1
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <vulkan/vulkan.h>
#include <openxr/openxr.h>
#include <openxr/openxr_platform.h>

#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"
#include "plx_timeline.h"

/* engineVersion for OpenXR (a uint32_t): major * 10000 + minor * 100 + patch */
#define PLX_VERSION_NUMBER       100u
#define PLX_MAX_FRAMES_IN_FLIGHT 3
#define PLX_MAX_SWAPCHAIN_IMAGES 8
#define PLX_STATS_RING           256 /* power of two */

#include "plx_latency.h"

/* ---------------------------------------------------------------- errors and logging (error.c) */

/* All failures funnel through plx_fail: it formats "<message> (<file>:<line>)" into the context's last error
 * (or the thread's create error when ctx is NULL), logs it at error level and returns result. */
plx_result plx_fail(plx_context *ctx, plx_result result, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
plx_result plx_check_xr(plx_context *ctx, XrResult xr, const char *call, const char *file, int line);
plx_result plx_check_vk(plx_context *ctx, VkResult vk, const char *call, const char *file, int line);

/* PLX_XR(ctx, xrCall(...)) / PLX_VK(ctx, vkCall(...)): PLX_SUCCESS, or the failure (set and logged) naming
 * the function and its result. Use as: if ((res = PLX_XR(ctx, xrFoo(...))) < 0) goto fail; */
#define PLX_XR(ctx, call)          plx_check_xr((ctx), (call), #call, __FILE__, __LINE__)
#define PLX_VK(ctx, call)          plx_check_vk((ctx), (call), #call, __FILE__, __LINE__)
#define PLX_FAIL(ctx, result, ...) plx_fail((ctx), (result), __FILE__, __LINE__, __VA_ARGS__)

const char *plx_xr_result_name(XrResult r);
const char *plx_vk_result_name(VkResult r);

void plx_log(const plx_context *ctx, plx_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Level from PARALLAX_LOG; on a bad value reports one line through the sink and keeps the default. */
plx_log_level plx_log_level_from_env(plx_log_fn fn, void *user);
/* Copies the context's last error to the thread's create-error slot (create failed: ctx is about to go). */
void plx_error_keep_for_thread(const plx_context *ctx);

static inline int64_t plx_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}
void plx_sleep_until_ns(int64_t t);

/* ---------------------------------------------------------------- dynamic resolution (resolution.c) */

#include "plx_resolution.h" /* the controller, pure logic */

typedef struct plx_resolution {
    bool dynamic;                                  /* the controller picks the scale */
    float scale;                                   /* scale of the frames begun from now on */
    plx_resolution_controller controller;          /* used when dynamic */
    float slot_scale[PLX_MAX_FRAMES_IN_FLIGHT];    /* scale each slot's last frame was rendered at */
    uint64_t slot_frame[PLX_MAX_FRAMES_IN_FLIGHT]; /* that frame's index */
    bool slot_pending[PLX_MAX_FRAMES_IN_FLIGHT];   /* its GPU time is not yet fed to the controller */
    uint32_t width, height;                        /* render extent of the frame in progress */
    bool warned_no_timestamps;
} plx_resolution;

/* ---------------------------------------------------------------- the context */

typedef struct plx_swapchain {
    XrSwapchain handle;
    VkFormat format;
    uint32_t image_count;
    VkImage images[PLX_MAX_SWAPCHAIN_IMAGES];
    VkImageView views[PLX_MAX_SWAPCHAIN_IMAGES]; /* 2D array views of both layers */
} plx_swapchain;

typedef struct plx_frame_slot {
    VkCommandBuffer cmd;
    VkFence fence;
    bool in_flight;       /* submitted and its statistics not yet harvested */
    uint64_t frame_index; /* plx_frame.index of the frame last submitted from this slot */
    uint64_t stats_pos;   /* its position in the statistics ring (frames ended before it) */
    VkBuffer ubo;
    VkDeviceMemory ubo_memory;
    plx_frame_uniforms *ubo_mapped; /* persistently mapped, host-coherent: the late latch writes here */
    VkDescriptorSet set;
} plx_frame_slot;

/* recover.c: what a loss left to do, and the timing guards' memory. */
typedef struct plx_recover {
    char app_name[128]; /* what the instance is re-created with */
    uint32_t app_version;
    uint32_t eye_width, eye_height;       /* what the swapchains are re-created with */
    VkFormat color_format, depth_format;  /* ... and must get again (the render pass is kept) */
    bool session_lost, instance_lost;     /* recovery due at the next plx_poll */
    bool report_session, report_instance; /* done: told to the app at the next plx_poll */
    uint32_t session_restarts, instance_restarts;
    int attempts; /* instance re-creation attempts since the loss */
    int64_t next_attempt_ns, backoff_ns;
    int64_t last_period; /* last plausible predictedDisplayPeriod */
    int64_t timing_clamped;
    bool timing_logged;
} plx_recover;

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

    /* frame timeline: GPU clock, misses, trace, HUD, mirror (plx_timeline.h) */
    plx_timeline timeline;

    /* latency: pacing, prediction, latch check (plx_latency.h) */
    plx_latency lat;
};

/* ---------------------------------------------------------------- vulkan.c */

/* Graphics requirements, Vulkan instance and device through XR_KHR_vulkan_enable2, validation. */
plx_result plx_vk_create(plx_context *ctx);
/* Render pass, descriptor layout/pool, command pool, slots, query pool (after the formats are known). */
plx_result plx_vk_create_frame_resources(plx_context *ctx);
void plx_vk_destroy(plx_context *ctx);
/* Waits for every submitted slot; harvests their statistics. */
void plx_vk_wait_idle(plx_context *ctx);
plx_result plx_vk_find_memory(plx_context *ctx, uint32_t type_bits, VkMemoryPropertyFlags want,
                              uint32_t *out_type);
/* A buffer with memory of the wanted properties (bound). */
plx_result plx_vk_create_buffer(plx_context *ctx, VkDeviceSize size, VkBufferUsageFlags usage,
                                VkMemoryPropertyFlags props, VkBuffer *out_buffer,
                                VkDeviceMemory *out_memory);
/* A device-local buffer filled with data through a staging buffer; waits for the copy (upload once). */
plx_result plx_vk_upload_buffer(plx_context *ctx, const void *data, VkDeviceSize size,
                                VkBufferUsageFlags usage, VkBuffer *out_buffer, VkDeviceMemory *out_memory);

/* ---------------------------------------------------------------- swapchain.c */

plx_result plx_swapchains_create(plx_context *ctx, uint32_t want_width, uint32_t want_height);
void plx_swapchains_destroy(plx_context *ctx);
/* Framebuffer for the acquired pair (created on first use). */
plx_result plx_framebuffer_get(plx_context *ctx, uint32_t color_index, uint32_t depth_index,
                               VkFramebuffer *out);

/* ---------------------------------------------------------------- context.c, recover.c */

/* The OpenXR instance + system (with its debug messenger), and the session + reference space. */
plx_result plx_ctx_create_instance(plx_context *ctx, const plx_context_desc *d);
plx_result plx_ctx_create_session(plx_context *ctx);
/* Remembers what re-creation needs (end of plx_context_create). */
void plx_recover_init(plx_context *ctx, const plx_context_desc *desc, uint32_t eye_width,
                      uint32_t eye_height);
/* A loss was seen (instance: XR_ERROR_INSTANCE_LOST or XrEventDataInstanceLossPending; else the session:
 * XR_ERROR_SESSION_LOST or LOSS_PENDING); why names it for the log. Frames stop until plx_recover_poll has
 * rebuilt what was lost. */
void plx_recover_mark(plx_context *ctx, bool instance, const char *why);
bool plx_recover_pending(const plx_context *ctx);
/* plx_poll: does the due recovery (with back-off for the instance). PLX_SUCCESS, PLX_SESSION_NOT_RUNNING
 * while waiting to retry, or an error (should_quit set) when it gave up. */
plx_result plx_recover_poll(plx_context *ctx);
/* Public frame functions pass their result through this: during a pending recovery an error (or success)
 * becomes PLX_SESSION_NOT_RUNNING and the frame in progress is dropped. */
plx_result plx_recover_filter(plx_context *ctx, plx_result res);
/* Reports (once) a recovery done since the last call. */
void plx_recover_report(plx_context *ctx, bool *out_session_restarted, bool *out_instance_restarted);
/* Clamps an implausible predictedDisplayTime (in the past, far ahead) or period for pacing, logging the
 * first time; returns how many frames were clamped so far. */
int64_t plx_recover_guard_timing(plx_context *ctx, int64_t *io_display_time, int64_t *io_period);

/* ---------------------------------------------------------------- pacing.c, stats.c */

/* Pacing: see plx_latency.h. */

/* Stores ctx->current as the statistics of a finished frame. */
void plx_stats_commit(plx_context *ctx);
/* Reads the GPU timestamps of a slot whose fence has signalled into its frame's record. */
void plx_stats_harvest_slot(plx_context *ctx, plx_frame_slot *slot);
/* Harvests every slot whose fence has signalled, without waiting. */
void plx_stats_harvest_ready(plx_context *ctx);

/* ---------------------------------------------------------------- resolution.c */

/* Reads the desc's dynamic_resolution / min_render_scale and PARALLAX_DYNAMIC_RESOLUTION. */
plx_result plx_resolution_init(plx_context *ctx, const plx_context_desc *desc);
/* At plx_frame_begin, once the slot's fence has signalled: feeds every GPU time that has arrived to the
 * controller, then fixes this frame's render extent (ctx->resolution.width/height) and remembers its
 * scale. */
void plx_resolution_begin_frame(plx_context *ctx, const plx_frame *frame);

/* ---------------------------------------------------------------- matrices (frame.c) */

/* View and projection of one located view, into out and the slot's uniforms. */
void plx_view_from_xr(const plx_context *ctx, const XrView *xr, plx_view *out);
/* A pose into the public API's float arrays (position x, y, z; orientation x, y, z, w). */
void plx_pose_to_arrays(plx_pose pose, float position[3], float orientation[4]);
