/* SPDX-License-Identifier: MIT */
/**
 * @file parallax_vulkan.h
 * @brief libparallax for apps with a Vulkan renderer of their own: the objects the context created, so an
 * app can build pipelines for the context's multiview render pass and read the per-frame uniforms.
 */
#pragma once
#include "parallax.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Layout (std140) of the per-frame uniform buffer bound at set 0, binding 0 of plx_frame.frame_set.
 * The matrices are written at plx_frame_begin and again by the late latch just before submission, so
 * shaders must read them from this buffer (indexed by gl_ViewIndex), never bake them into push constants.
 *
 * A render pass per eye: on a Vulkan driver that loses primitives of the second view of a multiview pass
 * (Mesa lavapipe; PARALLAX_MULTIVIEW_WORKAROUND=auto|on|off, runtime/README.md) the render pass has view mask
 * 0b01 and libparallax begins it once per eye, so gl_ViewIndex is 0 in both. In the right eye's pass the
 * buffer holds the two eyes' entries below swapped (libparallax copies them in on the GPU between the
 * passes), so view[gl_ViewIndex], proj[gl_ViewIndex] and eye_position[gl_ViewIndex] are still the eye being
 * drawn (and index 1 - gl_ViewIndex the other eye). The buffer is twice the size of this struct; the set
 * binds the first copy. A shader that indexes per-eye data of its own takes the eye as gl_ViewIndex +
 * int(time_s[1]). */
typedef struct plx_frame_uniforms {
    float view[2][16];        /**< per eye, column-major view matrix */
    float proj[2][16];        /**< per eye, column-major projection, Vulkan clip space (y down, depth 0..1) */
    float eye_position[2][4]; /**< per eye, xyz in the reference space, w = 1 */
    float time_s[4]; /**< x: predicted display time in seconds since the session began; y: the eye view 0
                        draws (0 left; 1 in the right eye's pass of a pass per eye); zw: 0 */
} plx_frame_uniforms;

/** What an app asks of the Vulkan instance and device libparallax creates (plx_context_desc.vulkan).
 * Zero-initialize it and set size; read during plx_context_create only (the library copies what it keeps).
 * The OpenXR runtime creates both through XR_KHR_vulkan_enable2 and may enable more extensions of its own.
 *
 * **Version.** libparallax asks for the highest Vulkan version that the Vulkan loader
 * (vkEnumerateInstanceVersion), the OpenXR runtime (xrGetVulkanGraphicsRequirements2KHR's
 * maxApiVersionSupported, raised to its minApiVersionSupported if need be), the headers it was built with
 * (1.3) and max_api_version allow, and never below 1.1 (multiview). The device then runs
 * min(that, the device's own version): plx_vulkan_info.api_version. */
typedef struct plx_vulkan_desc {
    size_t size; /**< sizeof(plx_vulkan_desc) as the app was compiled: the struct crosses the ABI by its size
                      (README "ABI policy"); 0 or a size below 0.2.0's is refused */
    const char *const *instance_extensions; /**< required instance extensions: plx_context_create fails with
                                                 PLX_ERROR_UNSUPPORTED naming the first one the loader, its
                                                 drivers and layers do not offer */
    uint32_t instance_extension_count;      /**< entries of instance_extensions */
    const char *const *optional_instance_extensions; /**< enabled when offered; plx_vulkan_info lists the
                                                          enabled ones (a missing one is logged at info
                                                          level and left out) */
    uint32_t optional_instance_extension_count;      /**< entries of optional_instance_extensions */
    const char *const *device_extensions;            /**< required device extensions: plx_context_create
                                                          fails with PLX_ERROR_UNSUPPORTED naming the first
                                                          one the device does not offer */
    uint32_t device_extension_count;                 /**< entries of device_extensions */
    const char *const *optional_device_extensions;   /**< enabled when the device offers them; see
                                                          plx_vulkan_info.device_extensions */
    uint32_t optional_device_extension_count;        /**< entries of optional_device_extensions */
    const VkPhysicalDeviceFeatures2
        *features;            /**< features to enable: a VkPhysicalDeviceFeatures2 and its
                                   pNext chain of any structures that extend it in the Vulkan
                                   headers libparallax was built with (each at most once),
                                   e.g. VkPhysicalDeviceVulkan12Features. Merged with what
                                   libparallax needs (multiview, set in the app's
                                   VkPhysicalDeviceVulkan11Features or
                                   VkPhysicalDeviceMultiviewFeatures when the chain has one).
                                   A structure the device's version or enabled extensions do
                                   not allow, or a feature the device lacks, fails
                                   plx_context_create with PLX_ERROR_UNSUPPORTED naming it
                                   (e.g. "VkPhysicalDeviceVulkan12Features.bufferDeviceAddress
                                   is not supported by the device"). NULL: none */
    uint32_t max_api_version; /**< the highest Vulkan version to ask for, e.g.
                                   VK_API_VERSION_1_2; at least VK_API_VERSION_1_1. 0: the
                                   highest allowed (see "Version") */
} plx_vulkan_desc;

/** The Vulkan objects of a context. All are owned by the context: do not destroy them. */
typedef struct plx_vulkan_info {
    VkInstance instance;              /**< the instance libparallax created through the OpenXR runtime */
    VkPhysicalDevice physical_device; /**< the GPU the OpenXR runtime asked for */
    VkDevice device;                  /**< the device (multiview on) */
    uint32_t queue_family_index;      /**< family of queue */
    VkQueue queue; /**< the queue libparallax submits to, shared with the OpenXR runtime (which uses it inside
                        xrEndFrame and the swapchain calls): submit to it only on the frame-loop thread, never
                        concurrently with a plx_ call of this context */
    VkRenderPass render_pass; /**< multiview (view mask 0b11; 0b01 with a pass per eye), one subpass: colour
                                 + depth; pipelines that draw into plx_frame.cmd must be created for it */
    VkDescriptorSetLayout frame_set_layout; /**< set 0: binding 0 = plx_frame_uniforms, vertex + fragment */
    VkFormat color_format;         /**< the colour attachment's format (sRGB when the runtime has it) */
    VkFormat depth_format;         /**< the depth attachment's format */
    VkSampleCountFlagBits samples; /**< the render pass's sample count (plx_context_desc.samples): pipelines
                                        drawing in it use it as rasterizationSamples */
    uint32_t eye_width;            /**< per-eye image width in pixels */
    uint32_t eye_height;           /**< per-eye image height in pixels */
    uint32_t
        frames_in_flight; /**< frames the CPU runs ahead of the GPU; per-frame app buffers need this many */
    uint32_t api_version; /**< the Vulkan version the device runs (VK_MAKE_API_VERSION(0, major, minor, 0)):
                               the version libparallax asked for, or the device's when lower (see
                               plx_vulkan_desc "Version"); 1.3 on Mesa lavapipe with the simulated headset */
    const char *const *instance_extensions; /**< the instance extensions libparallax enabled: its own and the
                                                 app's required and offered optional ones (the OpenXR runtime
                                                 may have enabled more); owned by the context */
    uint32_t instance_extension_count;      /**< entries of instance_extensions */
    const char *const *device_extensions;   /**< the device extensions libparallax enabled, likewise */
    uint32_t device_extension_count;        /**< entries of device_extensions */
} plx_vulkan_info;

/** ABI entry point of plx_get_vulkan_info(), the static inline wrapper apps call, which passes the size of
 * the plx_vulkan_info the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_get_vulkan_info().
 * @param out_info as for plx_get_vulkan_info().
 * @param info_size sizeof *out_info as the app was compiled (ignored when out_info is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_get_vulkan_info(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size. */
PLX_API plx_result plx_get_vulkan_info_sized(const plx_context *ctx, plx_vulkan_info *out_info,
                                             size_t info_size);

/** The context's Vulkan objects, the Vulkan version the device runs and the extensions libparallax enabled.
 * They stay valid until plx_context_destroy. An app-owned object a frame used
 * may be destroyed once that frame's GPU work is done: after frames_in_flight more frames have been waited
 * (plx_frame_wait reuses a frame's slot only after its fence has signalled), or after plx_wait_gpu_idle(). Do
 * not call vkDeviceWaitIdle or vkQueueWaitIdle for that: the device belongs to the OpenXR runtime too (it
 * was made through xrCreateVulkanDeviceKHR, and a runtime may use queues of its own on it from its compositor
 * thread), and both calls need every queue they wait on to be free of other threads' use. Frame-loop thread.
 * @param ctx the context.
 * @param out_info receives the objects; its extension lists are owned by the context.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_WRONG_THREAD. */
static inline plx_result plx_get_vulkan_info(const plx_context *ctx, plx_vulkan_info *out_info)
{
    return plx_get_vulkan_info_sized(ctx, out_info, sizeof *out_info);
}

/** The device features enabled at creation: the app's plx_vulkan_desc.features merged with libparallax's
 * (multiview). Frame-loop thread.
 * @param ctx the context.
 * @param inout_features a VkPhysicalDeviceFeatures2 and a pNext chain of structures extending it (sType and
 * pNext set by the app); every VkBool32 member is overwritten with whether that feature was enabled (a
 * feature is enabled whichever structure asked for it: multiview reads true in
 * VkPhysicalDeviceVulkan11Features and in VkPhysicalDeviceMultiviewFeatures). The chain itself is not kept.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL, a root that is not a VkPhysicalDeviceFeatures2
 * or a structure libparallax does not know; PLX_ERROR_WRONG_THREAD. */
PLX_API plx_result plx_get_vulkan_features(const plx_context *ctx, VkPhysicalDeviceFeatures2 *inout_features);

/** Waits until the GPU has finished every frame this context has submitted, on the context's own fences (not
 * the queue or the device: see plx_get_vulkan_info), so the app may destroy the Vulkan objects those frames
 * used, for example before plx_context_destroy or when it swaps a pipeline out. Frames begun later are not
 * waited for. Frame-loop thread; may be called at any point of the frame loop.
 * @param ctx the context.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for a NULL ctx; PLX_ERROR_WRONG_THREAD off the frame-loop
 * thread. */
PLX_API plx_result plx_wait_gpu_idle(plx_context *ctx);

#ifdef __cplusplus
}
#endif
