/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the Vulkan instance and device, made through XR_KHR_vulkan_enable2 with the OpenXR instance
 * it is given (vulkan.c); the GPU clock (clock.c); the objects every frame uses: render pass, frame slots,
 * timestamp queries (slots.c); when frames complete without timestamps (watch.c); the OpenXR swapchains and
 * their framebuffers (swapchain.c); one multiview pass or a render pass per eye (multiview.c). May call
 * base/.
 *
 * The handles a part makes (plx_vk, plx_frame_slot, the render pass and set layout, the swapchain images)
 * are read by the layers above; everything else here changes only through the functions below. A slot
 * whose frame the GPU has finished is a fact this layer returns (plx_gpu_slot_signalled, plx_gpu_slot_times);
 * what that frame completing means to the rest of the runtime is for the frame loop to tell. */
#pragma once
#include "base/plx_time.h"

/* ---------------------------------------------------------------- the device (vulkan.c) */

/* The device's handles and properties: set by plx_gpu_create, then only read. */
typedef struct plx_vk {
    VkInstance instance;
    VkPhysicalDevice physical_device;
    VkDevice device;
    uint32_t queue_family_index;
    VkQueue queue;
    VkPhysicalDeviceMemoryProperties memory_properties;
    bool timestamps; /* the queue family writes timestamps (and PARALLAX_GPU_TIMESTAMPS did not turn them off)
                      */
    double timestamp_period_ns;
    uint64_t timestamp_mask;
    bool
        offers_swapchain; /* the physical device offers VK_KHR_swapchain (the mirror's own device needs it) */
    bool offers_driver_properties; /* VK_KHR_driver_properties: the driver's identity (multiview.c) */
} plx_vk;

/* GPU clock -> CLOCK_MONOTONIC: monotonic_ns = ticks * timestamp_period_ns + offset_ns (clock.c). The frame
 * loop puts CLOCK_MONOTONIC on XrTime through the one conversion (base/plx_time.h). */
typedef struct plx_gpu_clock {
    bool calibrated_ext; /* VK_EXT_calibrated_timestamps enabled and it offers CLOCK_MONOTONIC */
    PFN_vkGetCalibratedTimestampsEXT get_calibrated;
    double offset_ns;
    bool offset_valid;
    uint32_t harvests_since_calibration;
} plx_gpu_clock;

/* One frame slot's objects (slots.c): read by the frame loop, the latch check and the HUD. */
typedef struct plx_frame_slot {
    VkCommandBuffer pre;       /* the pre-pass phase (plx_frame.pre_cmd), submitted before cmd */
    VkCommandBuffer cmd;       /* the pass, the post phase and libparallax's own work */
    VkCommandBuffer secondary; /* a pass per eye: the pass phase's commands, executed in both eyes' passes */
    VkFence fence;
    VkBuffer ubo;
    VkDeviceMemory ubo_memory;
    plx_frame_uniforms *ubo_mapped; /* persistently mapped, host-coherent: the late latch writes here */
    VkDescriptorSet set;
} plx_frame_slot;

typedef struct plx_gpu {
    plx_report *report;
    plx_vk vk;
    uint32_t frames_in_flight;
    bool pass_per_eye; /* multiview.c: the render pass has view mask 0b01 and is begun once per eye */
    /* slots.c: made once the swapchain formats are known */
    VkRenderPass render_pass;
    VkRenderPass overlay_pass; /* colour only, load + store, over the colour swapchain image (the HUD after an
                                  app's post phase or own pass); VK_NULL_HANDLE unless asked for */
    VkDescriptorSetLayout frame_set_layout;
    VkDescriptorPool descriptor_pool;
    VkCommandPool command_pool;
    VkQueryPool query_pool; /* 2 per slot: begin, end */
    plx_frame_slot slots[PLX_MAX_FRAMES_IN_FLIGHT];
    /* through the functions only */
    bool in_flight[PLX_MAX_FRAMES_IN_FLIGHT];      /* submitted, not yet retired */
    uint64_t slot_frame[PLX_MAX_FRAMES_IN_FLIGHT]; /* plx_frame.index last submitted from the slot */
    plx_gpu_clock clock;
    struct plx_gpu_watch *watch; /* watch.c: the completion watcher, only without timestamps */
    VkDebugUtilsMessengerEXT messenger;
    PFN_vkDestroyDebugUtilsMessengerEXT destroy_messenger;
} plx_gpu;

/* What plx_gpu_create needs from the layers above: facts, not callbacks. */
typedef struct plx_gpu_desc {
    XrInstance xr_instance; /* XR_KHR_vulkan_enable2 makes the Vulkan instance and device */
    XrSystemId system;
    bool validation;                        /* VK_LAYER_KHRONOS_validation and a debug messenger */
    const char *const *instance_extensions; /* more instance extensions (the mirror window's) */
    uint32_t instance_extension_count;
    uint32_t frames_in_flight;
    bool no_timestamps; /* PARALLAX_GPU_TIMESTAMPS=0: no timestamp queries even where the device has them */
} plx_gpu_desc;

/* Graphics requirements, Vulkan instance and device through XR_KHR_vulkan_enable2, validation, calibrated
 * timestamps when offered. Failures are reported through r (kept by g). */
plx_result plx_gpu_create(plx_gpu *g, plx_report *r, const plx_gpu_desc *desc);
/* After plx_gpu_frame_resources_destroy. Safe on a half-made g. */
void plx_gpu_destroy(plx_gpu *g);
plx_result plx_gpu_find_memory(const plx_gpu *g, uint32_t type_bits, VkMemoryPropertyFlags want,
                               uint32_t *out_type);
/* A buffer with memory of the wanted properties (bound). */
plx_result plx_gpu_create_buffer(const plx_gpu *g, VkDeviceSize size, VkBufferUsageFlags usage,
                                 VkMemoryPropertyFlags props, VkBuffer *out_buffer,
                                 VkDeviceMemory *out_memory);
/* A device-local buffer filled with data through a staging buffer; waits for the copy (upload once). Needs
 * the frame resources (their command pool). */
plx_result plx_gpu_upload_buffer(const plx_gpu *g, const void *data, VkDeviceSize size,
                                 VkBufferUsageFlags usage, VkBuffer *out_buffer, VkDeviceMemory *out_memory);

/* ---------------------------------------------------------------- one pass or a pass per eye (multiview.c)
 */

/* Sets g->pass_per_eye for the physical device, before the device's frame resources and the swapchains are
 * made: PARALLAX_MULTIVIEW_WORKAROUND=auto (a pass per eye on a driver plx_multiview_quirk.h names), on, off;
 * one clear line for a bad value. Logs the choice. */
void plx_gpu_multiview_choose(plx_gpu *g);
/* A slot's uniform buffer holds three copies of plx_frame_uniforms (allocated and mapped 3 x): the one the
 * frame set binds (offset 0), the right-first copy (the eyes' view, projection and position entries swapped,
 * time_s[1] = 1) for the right eye's pass of a pass per eye, and the uniforms as written, to put back after
 * it. */
#define PLX_FRAME_UNIFORMS_RIGHT_FIRST sizeof(plx_frame_uniforms)
#define PLX_FRAME_UNIFORMS_AS_WRITTEN  (2 * sizeof(plx_frame_uniforms))
/* Writes the right-first and as-written copies from the uniforms just written (the frame loop, after each
 * locate: the late latch writes all three before vkQueueSubmit). */
void plx_gpu_uniforms_right_first(plx_frame_slot *slot);
/* Outside a render pass: copies the right-first uniforms (right_first) or the as-written ones back over the
 * uniforms the frame set binds, with the barriers around it (after the left eye's pass; after the right
 * eye's when a later phase reads the uniforms). */
void plx_gpu_record_uniforms_switch(VkCommandBuffer cmd, VkBuffer ubo, bool right_first);

/* ---------------------------------------------------------------- the GPU clock (clock.c) */

/* Whether the physical device can calibrate its timestamps against CLOCK_MONOTONIC (then
 * VK_EXT_calibrated_timestamps is enabled on the device). */
bool plx_gpu_clock_wanted(plx_gpu_clock *c, VkInstance instance, VkPhysicalDevice pd,
                          const VkExtensionProperties *offered, uint32_t n);
/* After the device exists: loads vkGetCalibratedTimestampsEXT and makes the first calibration. */
void plx_gpu_clock_device_ready(plx_gpu_clock *c, const plx_report *r, const plx_vk *vk);
/* Measures the GPU clock offset with vkGetCalibratedTimestampsEXT. */
void plx_gpu_clock_calibrate(plx_gpu_clock *c, const plx_report *r, const plx_vk *vk);
/* A GPU timestamp (ticks) in ns of CLOCK_MONOTONIC, or 0 when no calibration exists yet. */
int64_t plx_gpu_clock_to_ns(const plx_gpu_clock *c, const plx_vk *vk, uint64_t ticks);
/* A frame's timestamps were read: recalibrates now and then or, without calibrated timestamps, tightens the
 * offset with the frame's submission time (submit_ns, 0 unknown). */
void plx_gpu_clock_frame(plx_gpu_clock *c, const plx_report *r, const plx_vk *vk, uint64_t start_ticks,
                         int64_t submit_ns);

/* ---------------------------------------------------------------- frame slots (slots.c) */

/* What the frame resources are made for. */
typedef struct plx_frame_resources_desc {
    VkFormat color_format, depth_format;
    bool store_depth;  /* the depth attachment is a swapchain the compositor reads */
    bool post_process; /* the colour attachment is an intermediate the post phase samples: the pass leaves
                          it in SHADER_READ_ONLY_OPTIMAL */
    bool overlay_pass; /* also make overlay_pass (colour only, on color_format) */
} plx_frame_resources_desc;

/* Render pass (colour, depth; multiview over 2 layers, or view mask 0b01 with a pass per eye), the overlay
 * pass when asked for, descriptor layout and pool, command pool, slots, query pool. */
plx_result plx_gpu_frame_resources_create(plx_gpu *g, const plx_frame_resources_desc *desc);
/* After every slot was retired. Safe on a half-made g. */
void plx_gpu_frame_resources_destroy(plx_gpu *g);
/* Resets and begins the slot's pre-pass and main command buffers, with the start timestamp (in the pre-pass)
 * when the device writes them. */
plx_result plx_gpu_slot_begin(plx_gpu *g, uint32_t slot);
/* Ends the pre-pass (after a global memory barrier: its writes visible to everything after it) and the main
 * command buffer (after the end timestamp). */
plx_result plx_gpu_slot_end(plx_gpu *g, uint32_t slot);
/* A pass per eye: resets and begins the slot's secondary command buffer (inside the render pass, any of its
 * framebuffers, may run twice in one submission) for the pass phase. */
plx_result plx_gpu_slot_begin_secondary(plx_gpu *g, uint32_t slot);
/* Ends what a dropped frame still records (in_pass: the pass phase is recording: inside the render pass, or
 * the secondary with a pass per eye); the buffers are reset before their next use. */
void plx_gpu_slot_abandon(plx_gpu *g, uint32_t slot, bool in_pass);
/* Every write before it visible to every command after it (all stages): the phases' boundaries. */
void plx_gpu_record_full_barrier(VkCommandBuffer cmd);
/* Submits the slot's pre-pass and main commands with its fence, for frame frame_index. */
plx_result plx_gpu_slot_submit(plx_gpu *g, uint32_t slot, uint64_t frame_index);
/* Submitted and not yet retired. */
bool plx_gpu_slot_busy(const plx_gpu *g, uint32_t slot);
/* The frame last submitted from the slot. */
uint64_t plx_gpu_slot_frame(const plx_gpu *g, uint32_t slot);
/* Busy with frame frame_index. */
bool plx_gpu_slot_holds(const plx_gpu *g, uint32_t slot, uint64_t frame_index);
/* The slot's fence has signalled (polled, never waited). */
bool plx_gpu_slot_signalled(const plx_gpu *g, uint32_t slot);
/* Waits for the slot's fence. */
plx_result plx_gpu_slot_wait(plx_gpu *g, uint32_t slot);
plx_result plx_gpu_slot_reset_fence(plx_gpu *g, uint32_t slot);
/* The slot's frame is done (its fence was waited or seen signalled): the slot is no longer busy. */
void plx_gpu_slot_retire(plx_gpu *g, uint32_t slot);

/* A finished frame's GPU times. */
typedef struct plx_gpu_times {
    double gpu_ms;    /* begin -> end timestamp */
    int64_t start_ns; /* on CLOCK_MONOTONIC; 0 while the clock is not calibrated */
    int64_t end_ns;
} plx_gpu_times;
/* Reads a retired slot's timestamps (submit_ns: when it was submitted, for the clock); false when the device
 * writes none or the query failed (logged). */
bool plx_gpu_slot_times(plx_gpu *g, uint32_t slot, int64_t submit_ns, plx_gpu_times *out);

/* ---------------------------------------------------------------- completion without timestamps (watch.c) */

/* Starts the thread that notes when each submitted slot's fence signals (frame resources made; only on a
 * device without timestamps: plx_gpu_frame_resources_create does it). */
plx_result plx_gpu_watch_start(plx_gpu *g);
/* Ends the thread (before the fences go). Safe without one. */
void plx_gpu_watch_stop(plx_gpu *g);
/* The slot was submitted (plx_gpu_slot_submit calls it). */
void plx_gpu_watch_post(plx_gpu *g, uint32_t slot);
/* Once the slot is known complete (its fence waited or seen signalled), before its fence is reset: when the
 * watcher saw the fence signal, ns of CLOCK_MONOTONIC; 0 without a watcher or when the wait failed. Waits
 * for the watcher to have looked (at most its wake-up latency). */
int64_t plx_gpu_watch_take(plx_gpu *g, uint32_t slot);

/* ---------------------------------------------------------------- swapchains (swapchain.c) */

typedef struct plx_swapchain {
    XrSwapchain handle;
    VkFormat format;
    VkImageUsageFlags usage; /* the Vulkan usage the swapchain was asked for */
    uint32_t image_count;
    VkImage images[PLX_MAX_SWAPCHAIN_IMAGES];
    VkImageView views[PLX_MAX_SWAPCHAIN_IMAGES];        /* 2D array views of both layers */
    VkImageView eye_views[PLX_MAX_SWAPCHAIN_IMAGES][2]; /* a pass per eye: one layer each */
} plx_swapchain;

/* An image of libparallax's own with 2 layers (one per eye). */
typedef struct plx_image {
    VkImage image;
    VkDeviceMemory memory;
    VkImageView view;         /* 2D array view of both layers */
    VkImageView eye_views[2]; /* a pass per eye: one layer each */
    VkFormat format;
    VkImageUsageFlags usage;
    VkSampleCountFlagBits samples;
} plx_image;

/* ONE colour and ONE depth swapchain, arraySize 2 (layer = eye), and the images the pass renders into besides
 * them. The handles and sizes are read above. */
typedef struct plx_swapchains {
    plx_report *report;
    /* Settings (set before the first plx_swapchains_create, kept when recovery re-creates them): */
    bool post_process; /* the pass renders into `intermediate`, which the post phase samples and (without a
                          post phase) plx_frame_end copies into the colour image; depth is sampled too */
    uint32_t eye_width, eye_height;
    plx_swapchain color, depth; /* depth.handle is XR_NULL_HANDLE when the runtime offers no depth format */
    VkFormat depth_format;
    VkImage own_depth_image; /* used when there is no depth swapchain */
    VkDeviceMemory own_depth_memory;
    VkImageView own_depth_view;
    VkImageView own_depth_eye_views[2]; /* a pass per eye: one layer each */
    VkImageUsageFlags own_depth_usage;
    plx_image intermediate; /* post_process: the pass's colour attachment */
    VkFramebuffer
        framebuffers[PLX_MAX_SWAPCHAIN_IMAGES][PLX_MAX_SWAPCHAIN_IMAGES]
                    [2]; /* [colour (0 with post_process)][depth][eye with a pass per eye], lazily */
    VkFramebuffer overlay_framebuffers[PLX_MAX_SWAPCHAIN_IMAGES]; /* overlay pass on each colour image */
} plx_swapchains;

/* On session; transfer_src: the colour images are also copied out (the mirror window). */
plx_result plx_swapchains_create(plx_swapchains *sc, plx_report *r, const plx_gpu *g, XrSession session,
                                 uint32_t want_width, uint32_t want_height, bool transfer_src);
/* Checked destroy (failures logged and kept as the last error). Safe on a half-made sc. */
void plx_swapchains_destroy(plx_swapchains *sc, const plx_gpu *g);
/* Framebuffer for the acquired pair (created on first use); with a pass per eye, for that eye's layer. */
plx_result plx_swapchains_framebuffer(plx_swapchains *sc, const plx_gpu *g, uint32_t color_index,
                                      uint32_t depth_index, uint32_t eye, VkFramebuffer *out);
/* Framebuffer of the overlay pass on colour image color_index (created on first use). */
plx_result plx_swapchains_overlay_framebuffer(plx_swapchains *sc, const plx_gpu *g, uint32_t color_index,
                                              VkFramebuffer *out);
/* The depth image and view of depth index depth_index (libparallax's own without a depth swapchain). */
void plx_swapchains_depth(const plx_swapchains *sc, uint32_t depth_index, VkImage *out_image,
                          VkImageView *out_view, VkImageUsageFlags *out_usage);
/* One colour swapchain of width x height with one array layer (a quad layer's), its images and a 2D view of
 * each. */
plx_result plx_swapchain_create(plx_report *r, const plx_gpu *g, XrSession session, plx_swapchain *sc,
                                VkFormat format, XrSwapchainUsageFlags usage, uint32_t width,
                                uint32_t height);
/* Its views and the swapchain; zeroed afterwards. */
void plx_swapchain_destroy(plx_report *r, const plx_gpu *g, plx_swapchain *sc);
/* xrAcquireSwapchainImage: the image is the caller's from then on, until released. */
plx_result plx_swapchain_acquire(plx_report *r, const plx_swapchain *s, uint32_t *out_index);
/* xrWaitSwapchainImage of the oldest acquired image (waiting again while XR_TIMEOUT_EXPIRED): it may be
 * written, and released, only after this succeeded. */
plx_result plx_swapchain_wait(plx_report *r, const plx_swapchain *s);
/* xrReleaseSwapchainImage of the oldest acquired and waited image. */
plx_result plx_swapchain_release(plx_report *r, const plx_swapchain *s);
