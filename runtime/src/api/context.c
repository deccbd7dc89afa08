/* plx_context_create / destroy: the OpenXR instance, system, session and reference space, and the order in
 * which the Vulkan and swapchain parts are brought up and torn down. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

static const char no_runtime_hint[] =
    "no OpenXR runtime found: set XR_RUNTIME_JSON to a runtime manifest, e.g. "
    "XR_RUNTIME_JSON=build/lib/parallax_simulator.json for the Parallax simulated headset";

/* The loader answers these when no runtime is installed or the selected manifest cannot be loaded. */
static bool is_no_runtime(XrResult r)
{
    return r == XR_ERROR_RUNTIME_UNAVAILABLE || r == XR_ERROR_RUNTIME_FAILURE || r == XR_ERROR_INSTANCE_LOST;
}

static XRAPI_ATTR XrBool32 XRAPI_CALL xr_debug_callback(XrDebugUtilsMessageSeverityFlagsEXT severity,
                                                        XrDebugUtilsMessageTypeFlagsEXT types,
                                                        const XrDebugUtilsMessengerCallbackDataEXT *data,
                                                        void *user)
{
    (void)types;
    plx_context *ctx = user;
    plx_log_level level = PLX_LOG_DEBUG;
    if (severity & XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        level = PLX_LOG_ERROR;
    } else if (severity & XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        level = PLX_LOG_WARN;
    } else if (severity & XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT) {
        level = PLX_LOG_INFO;
    }
    if (level <= PLX_LOG_WARN) atomic_fetch_add(&ctx->validation_messages, 1);
    plx_log(ctx, level, "OpenXR %s: %s", data && data->functionName ? data->functionName : "",
            data && data->message ? data->message : "");
    return XR_FALSE;
}

static plx_mode mode_from_env(plx_context *ctx, plx_mode mode)
{
    const char *v = getenv("PARALLAX_MODE");
    if (!v || !*v) return mode;
    if (strcmp(v, "off") == 0) return PLX_MODE_OFF;
    if (strcmp(v, "latch") == 0) return PLX_MODE_LATCH;
    if (strcmp(v, "jit+latch") == 0) return PLX_MODE_JIT_LATCH;
    plx_log(ctx, PLX_LOG_ERROR, "PARALLAX_MODE=%.64s is not valid: expected off|latch|jit+latch (using %s)",
            v,
            mode == PLX_MODE_OFF     ? "off"
            : mode == PLX_MODE_LATCH ? "latch"
                                     : "jit+latch");
    return mode;
}

static bool validation_from_env(plx_context *ctx)
{
    const char *v = getenv("PARALLAX_VALIDATION");
    if (!v || !*v || strcmp(v, "0") == 0) return false;
    if (strcmp(v, "1") == 0) return true;
    plx_log(ctx, PLX_LOG_ERROR, "PARALLAX_VALIDATION=%.64s is not valid: expected 0|1 (using 0)", v);
    return false;
}

static plx_result apply_desc(plx_context *ctx, const plx_context_desc *d)
{
    ctx->log_fn = d->log_fn;
    ctx->log_user = d->log_user;
    ctx->log_level = plx_log_level_from_env(d->log_fn, d->log_user);
    if (d->mode < PLX_MODE_DEFAULT || d->mode > PLX_MODE_JIT_LATCH)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.mode %d is not a plx_mode",
                        d->mode);
    if (d->reference_space < PLX_SPACE_DEFAULT || d->reference_space > PLX_SPACE_STAGE)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.reference_space %d is not a plx_space", d->reference_space);
    if (d->frames_in_flight > PLX_MAX_FRAMES_IN_FLIGHT)
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.frames_in_flight %u is above %d",
                        d->frames_in_flight, PLX_MAX_FRAMES_IN_FLIGHT);
    if (d->near_z < 0 || d->far_z < 0 || (d->far_z > 0 && d->far_z <= (d->near_z > 0 ? d->near_z : 0.05f)))
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc near_z %g / far_z %g: need 0 < near < far", (double)d->near_z,
                        (double)d->far_z);
    ctx->mode = mode_from_env(ctx, d->mode == PLX_MODE_DEFAULT ? PLX_MODE_JIT_LATCH : d->mode);
    ctx->space_kind = d->reference_space == PLX_SPACE_DEFAULT ? PLX_SPACE_LOCAL : d->reference_space;
    ctx->near_z = d->near_z > 0 ? d->near_z : 0.05f;
    ctx->far_z = d->far_z > 0 ? d->far_z : 100.0f;
    bool clear_zero =
        d->clear_color[0] == 0 && d->clear_color[1] == 0 && d->clear_color[2] == 0 && d->clear_color[3] == 0;
    const float dark[4] = {0.02f, 0.02f, 0.03f, 1.0f};
    memcpy(ctx->clear_color, clear_zero ? dark : d->clear_color, sizeof ctx->clear_color);
    ctx->frames_in_flight = d->frames_in_flight ? d->frames_in_flight : 2;
    ctx->validation = d->validation || validation_from_env(ctx);
    return plx_resolution_init(ctx, d);
}

static bool has_extension(const XrExtensionProperties *props, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(props[i].extensionName, name) == 0) return true;
    }
    return false;
}

plx_result plx_ctx_create_instance(plx_context *ctx, const plx_context_desc *d)
{
    uint32_t n = 0;
    XrResult xr = xrEnumerateInstanceExtensionProperties(NULL, 0, &n, NULL);
    if (is_no_runtime(xr))
        return PLX_FAIL(ctx, PLX_ERROR_NO_RUNTIME, "%s (xrEnumerateInstanceExtensionProperties: %s)",
                        no_runtime_hint, plx_xr_result_name(xr));
    plx_result res = PLX_XR(ctx, xr);
    if (res < 0) return res;
    XrExtensionProperties *props = calloc(n ? n : 1, sizeof *props);
    if (!props) return PLX_FAIL(ctx, PLX_ERROR_OUT_OF_MEMORY, "out of memory listing %u extensions", n);
    for (uint32_t i = 0; i < n; i++) props[i].type = XR_TYPE_EXTENSION_PROPERTIES;
    res = PLX_XR(ctx, xrEnumerateInstanceExtensionProperties(NULL, n, &n, props));
    if (res < 0) {
        free(props);
        return res;
    }
    bool vk2 = has_extension(props, n, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);
    ctx->ext_depth = has_extension(props, n, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
    ctx->ext_debug_utils = has_extension(props, n, XR_EXT_DEBUG_UTILS_EXTENSION_NAME);
    free(props);
    if (!vk2)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "the OpenXR runtime does not offer %s, which Parallax needs",
                        XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);

    const char *exts[3];
    uint32_t ext_count = 0;
    exts[ext_count++] = XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME;
    if (ctx->ext_depth) exts[ext_count++] = XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME;
    if (ctx->ext_debug_utils) exts[ext_count++] = XR_EXT_DEBUG_UTILS_EXTENSION_NAME;

    XrInstanceCreateInfo info = {
        .type = XR_TYPE_INSTANCE_CREATE_INFO,
        .applicationInfo = {.applicationVersion = d->app_version,
                            .engineVersion = PLX_VERSION_NUMBER,
                            .apiVersion = XR_CURRENT_API_VERSION},
        .enabledExtensionCount = ext_count,
        .enabledExtensionNames = exts,
    };
    snprintf(info.applicationInfo.applicationName, sizeof info.applicationInfo.applicationName, "%s",
             d->app_name && *d->app_name ? d->app_name : "parallax");
    snprintf(info.applicationInfo.engineName, sizeof info.applicationInfo.engineName, "Parallax");
    xr = xrCreateInstance(&info, &ctx->instance);
    if (is_no_runtime(xr))
        return PLX_FAIL(ctx, PLX_ERROR_NO_RUNTIME, "%s (xrCreateInstance: %s)", no_runtime_hint,
                        plx_xr_result_name(xr));
    if ((res = PLX_XR(ctx, xr)) < 0) return res;

    if (ctx->ext_debug_utils) {
        PFN_xrCreateDebugUtilsMessengerEXT create_messenger = NULL;
        res = PLX_XR(ctx, xrGetInstanceProcAddr(ctx->instance, "xrCreateDebugUtilsMessengerEXT",
                                                (PFN_xrVoidFunction *)&create_messenger));
        if (res < 0) return res;
        res = PLX_XR(ctx, xrGetInstanceProcAddr(ctx->instance, "xrDestroyDebugUtilsMessengerEXT",
                                                (PFN_xrVoidFunction *)&ctx->xrDestroyDebugUtilsMessengerEXT));
        if (res < 0) return res;
        XrDebugUtilsMessengerCreateInfoEXT mi = {
            .type = XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
            .messageSeverities = XR_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT |
                                 XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT |
                                 XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                                 XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
            .messageTypes = XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                            XR_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                            XR_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT |
                            XR_DEBUG_UTILS_MESSAGE_TYPE_CONFORMANCE_BIT_EXT,
            .userCallback = xr_debug_callback,
            .userData = ctx,
        };
        if ((res = PLX_XR(ctx, create_messenger(ctx->instance, &mi, &ctx->xr_messenger))) < 0) return res;
    }

    XrInstanceProperties ip = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    if ((res = PLX_XR(ctx, xrGetInstanceProperties(ctx->instance, &ip))) < 0) return res;
    plx_log(ctx, PLX_LOG_INFO, "OpenXR runtime: %s %u.%u.%u", ip.runtimeName,
            (unsigned)XR_VERSION_MAJOR(ip.runtimeVersion), (unsigned)XR_VERSION_MINOR(ip.runtimeVersion),
            (unsigned)XR_VERSION_PATCH(ip.runtimeVersion));

    XrSystemGetInfo si = {.type = XR_TYPE_SYSTEM_GET_INFO, .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    xr = xrGetSystem(ctx->instance, &si, &ctx->system);
    if (xr == XR_ERROR_FORM_FACTOR_UNAVAILABLE)
        return PLX_FAIL(
            ctx, PLX_ERROR_XR,
            "xrGetSystem failed: XR_ERROR_FORM_FACTOR_UNAVAILABLE (the headset is not connected)");
    return PLX_XR(ctx, xr);
}

/* The runtime's recommended per-eye size, checking it offers the stereo view configuration. */
static plx_result recommended_size(plx_context *ctx, uint32_t *out_w, uint32_t *out_h)
{
    uint32_t n = 0;
    plx_result res =
        PLX_XR(ctx, xrEnumerateViewConfigurationViews(
                        ctx->instance, ctx->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 0, &n, NULL));
    if (res < 0) return res;
    if (n != 2)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "the stereo view configuration has %u views, expected 2",
                        n);
    XrViewConfigurationView views[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                        {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    res =
        PLX_XR(ctx, xrEnumerateViewConfigurationViews(
                        ctx->instance, ctx->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &n, views));
    if (res < 0) return res;
    uint32_t nb = 0;
    XrEnvironmentBlendMode modes[8];
    res = PLX_XR(ctx,
                 xrEnumerateEnvironmentBlendModes(ctx->instance, ctx->system,
                                                  XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 8, &nb, modes));
    if (res < 0) return res;
    if (nb == 0)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "xrEnumerateEnvironmentBlendModes returned no modes");
    ctx->blend_mode = modes[0];
    /* One array swapchain serves both eyes, so both use the larger size. */
    *out_w = views[0].recommendedImageRectWidth > views[1].recommendedImageRectWidth
                 ? views[0].recommendedImageRectWidth
                 : views[1].recommendedImageRectWidth;
    *out_h = views[0].recommendedImageRectHeight > views[1].recommendedImageRectHeight
                 ? views[0].recommendedImageRectHeight
                 : views[1].recommendedImageRectHeight;
    return PLX_SUCCESS;
}

plx_result plx_ctx_create_session(plx_context *ctx)
{
    XrGraphicsBindingVulkan2KHR binding = {
        .type = XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR,
        .instance = ctx->vk_instance,
        .physicalDevice = ctx->physical_device,
        .device = ctx->device,
        .queueFamilyIndex = ctx->queue_family_index,
        .queueIndex = 0,
    };
    XrSessionCreateInfo info = {
        .type = XR_TYPE_SESSION_CREATE_INFO, .next = &binding, .systemId = ctx->system};
    plx_result res = PLX_XR(ctx, xrCreateSession(ctx->instance, &info, &ctx->session));
    if (res < 0) return res;
    ctx->state = XR_SESSION_STATE_UNKNOWN;

    XrReferenceSpaceType type =
        ctx->space_kind == PLX_SPACE_STAGE ? XR_REFERENCE_SPACE_TYPE_STAGE : XR_REFERENCE_SPACE_TYPE_LOCAL;
    uint32_t n = 0;
    XrReferenceSpaceType spaces[16];
    if ((res = PLX_XR(ctx, xrEnumerateReferenceSpaces(ctx->session, 16, &n, spaces))) < 0) return res;
    bool found = false;
    for (uint32_t i = 0; i < n; i++) found = found || spaces[i] == type;
    if (!found)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "the runtime offers no %s reference space",
                        type == XR_REFERENCE_SPACE_TYPE_STAGE ? "STAGE" : "LOCAL");
    XrReferenceSpaceCreateInfo si = {
        .type = XR_TYPE_REFERENCE_SPACE_CREATE_INFO,
        .referenceSpaceType = type,
        .poseInReferenceSpace = {.orientation = {0, 0, 0, 1}, .position = {0, 0, 0}},
    };
    return PLX_XR(ctx, xrCreateReferenceSpace(ctx->session, &si, &ctx->space));
}

plx_result plx_context_create(const plx_context_desc *desc, plx_context **out_ctx)
{
    if (!out_ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_context_create: out_ctx is NULL");
    *out_ctx = NULL;
    const plx_context_desc defaults = {0};
    if (!desc) desc = &defaults;
    plx_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_OUT_OF_MEMORY, "plx_context_create: out of memory");
    atomic_init(&ctx->validation_messages, 0);

    plx_result res = apply_desc(ctx, desc);
    if (res < 0) goto fail;
    if ((res = plx_timeline_init(ctx, desc)) < 0) goto fail; /* before Vulkan: the mirror's extensions */
    if ((res = plx_ctx_create_instance(ctx, desc)) < 0) goto fail;
    uint32_t rec_w = 0, rec_h = 0;
    if ((res = recommended_size(ctx, &rec_w, &rec_h)) < 0) goto fail;
    if ((res = plx_vk_create(ctx)) < 0) goto fail;
    if ((res = plx_ctx_create_session(ctx)) < 0) goto fail;
    if ((res = plx_swapchains_create(ctx, desc->eye_width ? desc->eye_width : rec_w,
                                     desc->eye_height ? desc->eye_height : rec_h)) < 0)
        goto fail;
    if ((res = plx_vk_create_frame_resources(ctx)) < 0) goto fail;
    plx_timeline_create_gpu(ctx);
    plx_recover_init(ctx, desc, ctx->eye_width, ctx->eye_height);
    if ((res = plx_latency_init(ctx, desc)) < 0) goto fail;
    plx_log(ctx, PLX_LOG_INFO, "context ready: %ux%u per eye, mode %s, %u frames in flight, validation %s",
            ctx->eye_width, ctx->eye_height,
            ctx->mode == PLX_MODE_OFF     ? "off"
            : ctx->mode == PLX_MODE_LATCH ? "latch"
                                          : "jit+latch",
            ctx->frames_in_flight, ctx->validation ? "on" : "off");
    *out_ctx = ctx;
    return PLX_SUCCESS;

fail:
    plx_error_keep_for_thread(ctx);
    plx_context_destroy(&ctx);
    return res;
}

void plx_context_destroy(plx_context **pctx)
{
    if (!pctx || !*pctx) return;
    plx_context *ctx = *pctx;
    *pctx = NULL;
    /* GPU first: nothing below may be freed while a submitted frame still uses it. */
    plx_vk_wait_idle(ctx);
    plx_timeline_destroy(ctx);
    plx_latency_fini(ctx);
    plx_swapchains_destroy(ctx);
    if (ctx->space != XR_NULL_HANDLE) PLX_XR(ctx, xrDestroySpace(ctx->space));
    /* A running session is destroyed without xrEndSession: that needs STOPPING, which only the runtime
     * can start; xrDestroySession is valid in any state. */
    if (ctx->session != XR_NULL_HANDLE) PLX_XR(ctx, xrDestroySession(ctx->session));
    plx_vk_destroy(ctx);
    if (ctx->xr_messenger != XR_NULL_HANDLE)
        PLX_XR(ctx, ctx->xrDestroyDebugUtilsMessengerEXT(ctx->xr_messenger));
    if (ctx->instance != XR_NULL_HANDLE) PLX_XR(ctx, xrDestroyInstance(ctx->instance));
    free(ctx);
}

plx_mode plx_get_mode(const plx_context *ctx)
{
    return ctx ? ctx->mode : PLX_MODE_DEFAULT;
}

void plx_get_eye_size(const plx_context *ctx, uint32_t *out_width, uint32_t *out_height)
{
    if (out_width) *out_width = ctx ? ctx->eye_width : 0;
    if (out_height) *out_height = ctx ? ctx->eye_height : 0;
}

plx_result plx_get_vulkan_info(const plx_context *ctx, plx_vulkan_info *out_info)
{
    if (!ctx || !out_info)
        return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_get_vulkan_info: NULL argument");
    *out_info = (plx_vulkan_info){
        .instance = ctx->vk_instance,
        .physical_device = ctx->physical_device,
        .device = ctx->device,
        .queue_family_index = ctx->queue_family_index,
        .queue = ctx->queue,
        .render_pass = ctx->render_pass,
        .frame_set_layout = ctx->frame_set_layout,
        .color_format = ctx->color.format,
        .depth_format = ctx->depth_format,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .eye_width = ctx->eye_width,
        .eye_height = ctx->eye_height,
        .frames_in_flight = ctx->frames_in_flight,
    };
    return PLX_SUCCESS;
}
