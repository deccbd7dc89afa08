/* SPDX-License-Identifier: MIT */
/**
 * @file parallax_openxr.h
 * @brief libparallax for apps that use OpenXR themselves: the context's OpenXR handles (to call extension
 * functions, make spaces and actions of their own) and raw composition layers. Includes <openxr/openxr.h>
 * (Debian: libopenxr-dev), so apps that include this header need the OpenXR headers; nothing else does.
 *
 * The handles belong to the context: do not destroy them. They change when libparallax recovers from a lost
 * session or instance (plx_poll's plx_events.session_restarted / instance_restarted, and the generations
 * below), and everything the app made on the old ones died with them: after such a poll, call
 * plx_get_openxr_info again and re-create the app's own OpenXR objects.
 */
#pragma once
#include <openxr/openxr.h>

#include "parallax.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The OpenXR objects of a context (plx_get_openxr_info). */
typedef struct plx_openxr_info {
    XrInstance instance;  /**< the instance libparallax created; changes with plx_events.instance_restarted */
    XrSystemId system_id; /**< the head-mounted display's system of that instance */
    XrSession session;    /**< the session; changes with plx_events.session_restarted */
    XrSpace space;        /**< the reference space (plx_context_desc.reference_space) every pose and view of
                               the API is given in; a child of the session */
    XrSpace view_space;   /**< a VIEW reference space (the head) of the session */
    PFN_xrGetInstanceProcAddr get_instance_proc_addr; /**< the loader's xrGetInstanceProcAddr, for extension
                                                           functions of instance */
    XrVersion api_version;            /**< the XrApplicationInfo.apiVersion the instance was created with */
    XrVersion runtime_version;        /**< the runtime's XrInstanceProperties.runtimeVersion */
    uint32_t enabled_extension_count; /**< how many names enabled_extensions has */
    const char *const *enabled_extensions; /**< every extension the instance was created with: libparallax's
                                                own, the desc's xr_extensions and the offered ones of
                                                xr_optional_extensions. Owned by the context; valid until the
                                                next instance_restarted or plx_context_destroy */
    uint32_t max_layer_count;     /**< XrSystemGraphicsProperties.maxLayerCount: composition layers per frame,
                                       the projection layer included */
    uint32_t session_generation;  /**< 1 for the first session, +1 each time the session is re-created (an
                                       instance re-creation included): compare to learn the handles changed */
    uint32_t instance_generation; /**< 1 for the first instance, +1 each time it is re-created */
} plx_openxr_info;

/** ABI entry point of plx_get_openxr_info(), the static inline wrapper apps call, which passes the size of
 * the plx_openxr_info the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_get_openxr_info().
 * @param out_info as for plx_get_openxr_info().
 * @param info_size sizeof *out_info as the app was compiled (ignored when out_info is NULL), at least the
 * 0.2.0 size.
 * @return as for plx_get_openxr_info(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size. */
PLX_API plx_result plx_get_openxr_info_sized(const plx_context *ctx, plx_openxr_info *out_info,
                                             size_t info_size);

/** The context's OpenXR objects as they are now. Valid until the next plx_poll that reports
 * session_restarted (session, space, view_space) or instance_restarted (all of them), or until
 * plx_context_destroy. While a lost session is being re-created the handles read XR_NULL_HANDLE.
 * Frame-loop thread.
 * @param ctx the context.
 * @param out_info receives the objects; all zero on failure.
 * @return PLX_SUCCESS; PLX_ERROR_INVALID_ARGUMENT for NULL; PLX_ERROR_WRONG_THREAD. */
static inline plx_result plx_get_openxr_info(const plx_context *ctx, plx_openxr_info *out_info)
{
    return plx_get_openxr_info_sized(ctx, out_info, sizeof *out_info);
}

/** ABI entry point of plx_frame_add_layer(), the static inline wrapper apps call, which passes the size of
 * the plx_frame the app was compiled with (README "ABI policy"; call the wrapper, not this).
 * @param ctx as for plx_frame_add_layer().
 * @param frame as for plx_frame_add_layer().
 * @param frame_size sizeof *frame as the app was compiled (ignored when frame is NULL), at least the 0.2.0
 * size.
 * @param layer as for plx_frame_add_layer().
 * @param order as for plx_frame_add_layer().
 * @return as for plx_frame_add_layer(); PLX_ERROR_INVALID_ARGUMENT (plx_last_error names the struct) for a
 * size below the 0.2.0 size, or for set bytes beyond the size this library knows. */
PLX_API plx_result plx_frame_add_layer_sized(plx_context *ctx, const plx_frame *frame, size_t frame_size,
                                             const XrCompositionLayerBaseHeader *layer, int32_t order);

/** Appends a composition layer of the app's own (any XrCompositionLayer* struct: a quad, a cylinder of
 * XR_KHR_composition_layer_cylinder, ...) to the frame in progress. xrEndFrame gets it after the projection
 * layer, among the quad layers (parallax.h) by order: lower first; the same order keeps quads first, then
 * raw layers in the order added. libparallax reads nothing of it: the layer, its next chain, its swapchains
 * (with an image released in this frame or before) and spaces must be valid OpenXR for the context's
 * current session and stay valid until plx_frame_end returns; the pointer is forgotten then (and when the
 * frame is dropped). Frame-loop thread.
 * @param ctx the context.
 * @param frame the frame in progress, begun with PLX_SUCCESS or PLX_FRAME_SKIPPED, not yet ended.
 * @param layer the layer (XrCompositionLayerBaseHeader first); kept until plx_frame_end returns.
 * @param order its place among the layers after the projection layer.
 * @return PLX_SUCCESS; PLX_FRAME_SKIPPED (the layer is not added: a skipped frame is ended without layers);
 * PLX_ERROR_INVALID_ARGUMENT for NULL, or when the frame would exceed maxLayerCount (plx_last_error gives the
 * counts: 1 projection, visible quads, raw layers) or 64 raw layers; PLX_ERROR_CALL_ORDER when frame is not
 * the frame in progress or plx_frame_begin has not returned for it; PLX_ERROR_WRONG_THREAD. */
static inline plx_result plx_frame_add_layer(plx_context *ctx, const plx_frame *frame,
                                             const XrCompositionLayerBaseHeader *layer, int32_t order)
{
    return plx_frame_add_layer_sized(ctx, frame, sizeof *frame, layer, order);
}

#ifdef __cplusplus
}
#endif
