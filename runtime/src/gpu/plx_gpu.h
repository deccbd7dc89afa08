/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the Vulkan instance and device (through XR_KHR_vulkan_enable2), the objects every frame uses
 * (render pass, frame slots, timestamp queries), buffer helpers, and the swapchains. May call base/. */
#pragma once
#include "base/plx_base.h"

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
