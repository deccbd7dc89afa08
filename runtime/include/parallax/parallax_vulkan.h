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
    VkSampleCountFlagBits samples; /**< VK_SAMPLE_COUNT_1_BIT */
    uint32_t eye_width;            /**< per-eye image width in pixels */
    uint32_t eye_height;           /**< per-eye image height in pixels */
    uint32_t
        frames_in_flight; /**< frames the CPU runs ahead of the GPU; per-frame app buffers need this many */
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

/** The context's Vulkan objects. They stay valid until plx_context_destroy. An app-owned object a frame used
 * may be destroyed once that frame's GPU work is done: after frames_in_flight more frames have been waited
 * (plx_frame_wait reuses a frame's slot only after its fence has signalled), or after plx_wait_gpu_idle(). Do
 * not call vkDeviceWaitIdle or vkQueueWaitIdle for that: the device belongs to the OpenXR runtime too (it
 * was made through xrCreateVulkanDeviceKHR, and a runtime may use queues of its own on it from its compositor
 * thread), and both calls need every queue they wait on to be free of other threads' use. Frame-loop thread.
 * @param ctx the context.
 * @param out_info receives the objects.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL. */
static inline plx_result plx_get_vulkan_info(const plx_context *ctx, plx_vulkan_info *out_info)
{
    return plx_get_vulkan_info_sized(ctx, out_info, sizeof *out_info);
}

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
