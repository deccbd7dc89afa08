/* SPDX-License-Identifier: MIT */
/* The app's Vulkan device as the simulated headset uses it: the functions it calls, loaded once per session
 * from the graphics binding (openxr/vulkan.c), and small helpers both parts need.
 * Layer: base (the bottom of simulator/src); calls nothing else of the simulator. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <vulkan/vulkan.h>

/* The device, queue and functions of one session's graphics binding. Everything in it belongs to the app; the
 * simulator only records commands on its queue (layout changes, frame fences, copies for captures). */
typedef struct sim_vk {
    VkInstance instance;
    VkPhysicalDevice physical_device;
    VkDevice device;
    uint32_t queue_family_index, queue_index;
    VkQueue queue;
    PFN_vkGetInstanceProcAddr gipa;
    PFN_vkGetDeviceProcAddr gdpa;
    /* device functions the simulator uses, loaded in openxr/vulkan.c */
    PFN_vkCreateImage CreateImage;
    PFN_vkDestroyImage DestroyImage;
    PFN_vkGetImageMemoryRequirements GetImageMemoryRequirements;
    PFN_vkAllocateMemory AllocateMemory;
    PFN_vkFreeMemory FreeMemory;
    PFN_vkBindImageMemory BindImageMemory;
    PFN_vkMapMemory MapMemory;
    PFN_vkUnmapMemory UnmapMemory;
    PFN_vkCreateBuffer CreateBuffer;
    PFN_vkDestroyBuffer DestroyBuffer;
    PFN_vkGetBufferMemoryRequirements GetBufferMemoryRequirements;
    PFN_vkBindBufferMemory BindBufferMemory;
    PFN_vkCreateCommandPool CreateCommandPool;
    PFN_vkDestroyCommandPool DestroyCommandPool;
    PFN_vkAllocateCommandBuffers AllocateCommandBuffers;
    PFN_vkFreeCommandBuffers FreeCommandBuffers;
    PFN_vkBeginCommandBuffer BeginCommandBuffer;
    PFN_vkEndCommandBuffer EndCommandBuffer;
    PFN_vkResetCommandBuffer ResetCommandBuffer;
    PFN_vkCmdPipelineBarrier CmdPipelineBarrier;
    PFN_vkCmdCopyImageToBuffer CmdCopyImageToBuffer;
    PFN_vkQueueSubmit QueueSubmit;
    PFN_vkCreateFence CreateFence;
    PFN_vkDestroyFence DestroyFence;
    PFN_vkWaitForFences WaitForFences;
    PFN_vkResetFences ResetFences;
    PFN_vkGetFenceStatus GetFenceStatus;
    PFN_vkDeviceWaitIdle DeviceWaitIdle;
    PFN_vkQueueWaitIdle QueueWaitIdle;
    PFN_vkGetPhysicalDeviceMemoryProperties GetPhysicalDeviceMemoryProperties;
    PFN_vkGetPhysicalDeviceFormatProperties GetPhysicalDeviceFormatProperties;
} sim_vk;

/* Name of a VkResult for error messages ("VK_ERROR_DEVICE_LOST"); never NULL. */
const char *sim_vk_result_string(VkResult r);
/* Index of a memory type allowed by type_bits that has all `want` flags (and preferably `prefer` too);
 * UINT32_MAX if none. */
uint32_t sim_vk_memory_type(const sim_vk *vk, uint32_t type_bits, VkMemoryPropertyFlags want,
                            VkMemoryPropertyFlags prefer);
/* true for depth and stencil formats: their swapchain images are handed over in
 * DEPTH_STENCIL_ATTACHMENT_OPTIMAL instead of COLOR_ATTACHMENT_OPTIMAL (XR_KHR_vulkan_enable). */
bool sim_vk_format_is_depth(VkFormat f);
