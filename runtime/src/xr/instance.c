/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: the OpenXR instance, its debug messenger and the HMD system, with what the runtime offers
 * (extensions, recommended size, blend mode); binds the XrTime conversion (base/plx_time.h) to each instance.
 * Made at context creation and again by recovery. May call base/. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xr/plx_xr.h"

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
    plx_report *r = user;
    plx_log_level level = PLX_LOG_DEBUG;
    if (severity & XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        level = PLX_LOG_ERROR;
    } else if (severity & XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        level = PLX_LOG_WARN;
    } else if (severity & XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT) {
        level = PLX_LOG_INFO;
    }
    if (level <= PLX_LOG_WARN) plx_report_validation_message(r);
    plx_log(r, level, "OpenXR %s: %s", data && data->functionName ? data->functionName : "",
            data && data->message ? data->message : "");
    return XR_FALSE;
}

static bool has_extension(const XrExtensionProperties *props, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (strcmp(props[i].extensionName, name) == 0) return true;
    }
    return false;
}

/* Adds a name to the instance's list unless it is there already (an app may repeat one of Parallax's). */
static void enable(plx_xr *xr, const char *name)
{
    for (uint32_t i = 0; i < xr->enabled_count; i++) {
        if (strcmp(xr->enabled[i], name) == 0) return;
    }
    snprintf(xr->enabled[xr->enabled_count], sizeof xr->enabled[0], "%s", name);
    xr->enabled_ptrs[xr->enabled_count] = xr->enabled[xr->enabled_count];
    xr->enabled_count++;
}

plx_result plx_xr_create_instance(plx_xr *xr, plx_report *r, plx_time *time, const char *app_name,
                                  uint32_t app_version)
{
    xr->report = r;
    xr->time = time;
    uint32_t n = 0;
    XrResult res_xr = xrEnumerateInstanceExtensionProperties(NULL, 0, &n, NULL);
    if (is_no_runtime(res_xr))
        return PLX_FAIL(r, PLX_ERROR_NO_RUNTIME, "%s (xrEnumerateInstanceExtensionProperties: %s)",
                        no_runtime_hint, plx_xr_result_name(res_xr));
    plx_result res = PLX_XR_RESULT(r, res_xr, "xrEnumerateInstanceExtensionProperties");
    if (res < 0) return res;
    XrExtensionProperties *props = calloc(n ? n : 1, sizeof *props);
    if (!props) return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "out of memory listing %u extensions", n);
    for (uint32_t i = 0; i < n; i++) props[i].type = XR_TYPE_EXTENSION_PROPERTIES;
    res = PLX_XR(r, xrEnumerateInstanceExtensionProperties(NULL, n, &n, props));
    if (res < 0) {
        free(props);
        return res;
    }
    bool vk2 = has_extension(props, n, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);
    xr->ext_depth = has_extension(props, n, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
    xr->ext_debug_utils = has_extension(props, n, XR_EXT_DEBUG_UTILS_EXTENSION_NAME);
    /* The only link between XrTime (a runtime-chosen epoch) and the host clock (base/plx_time.h). */
    xr->ext_timespec = has_extension(props, n, XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME);
    if (!vk2) {
        free(props);
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                        "the OpenXR runtime does not offer %s, which Parallax needs",
                        XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);
    }
    for (uint32_t i = 0; i < xr->app_required_count; i++) {
        if (has_extension(props, n, xr->app_required[i])) continue;
        free(props);
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                        "the OpenXR runtime does not offer %s, which plx_context_desc.xr_extensions requires "
                        "(move it to xr_optional_extensions to run without it)",
                        xr->app_required[i]);
    }

    /* Parallax's own, then the app's required, then the optional ones the runtime offers; each name once. */
    uint32_t cap = 4 + xr->app_required_count + xr->app_optional_count;
    free(xr->enabled);
    free(xr->enabled_ptrs);
    xr->enabled_count = 0;
    xr->enabled = calloc(cap, sizeof *xr->enabled);
    xr->enabled_ptrs = calloc(cap, sizeof *xr->enabled_ptrs);
    if (!xr->enabled || !xr->enabled_ptrs) {
        free(props);
        return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "out of memory listing %u extensions", cap);
    }
    enable(xr, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME);
    if (xr->ext_depth) enable(xr, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME);
    if (xr->ext_timespec) enable(xr, XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME);
    if (xr->ext_debug_utils) enable(xr, XR_EXT_DEBUG_UTILS_EXTENSION_NAME);
    for (uint32_t i = 0; i < xr->app_required_count; i++) enable(xr, xr->app_required[i]);
    for (uint32_t i = 0; i < xr->app_optional_count; i++) {
        if (has_extension(props, n, xr->app_optional[i])) {
            enable(xr, xr->app_optional[i]);
        } else {
            plx_log(r, PLX_LOG_INFO, "OpenXR: optional extension %s is not offered by the runtime",
                    xr->app_optional[i]);
        }
    }
    free(props);
    xr->api_version = XR_CURRENT_API_VERSION;

    XrInstanceCreateInfo info = {
        .type = XR_TYPE_INSTANCE_CREATE_INFO,
        .applicationInfo = {.applicationVersion = app_version,
                            .engineVersion = PLX_VERSION, /* parallax_version.h */
                            .apiVersion = xr->api_version},
        .enabledExtensionCount = xr->enabled_count,
        .enabledExtensionNames = xr->enabled_ptrs,
    };
    snprintf(info.applicationInfo.applicationName, sizeof info.applicationInfo.applicationName, "%s",
             app_name && *app_name ? app_name : "parallax");
    snprintf(info.applicationInfo.engineName, sizeof info.applicationInfo.engineName, "Parallax");
    res_xr = xrCreateInstance(&info, &xr->instance);
    if (is_no_runtime(res_xr))
        return PLX_FAIL(r, PLX_ERROR_NO_RUNTIME, "%s (xrCreateInstance: %s)", no_runtime_hint,
                        plx_xr_result_name(res_xr));
    if ((res = PLX_XR_RESULT(r, res_xr, "xrCreateInstance")) < 0) return res;
    xr->instance_generation++;
    if (xr->time) plx_time_bind(xr->time, xr->instance, xr->ext_timespec);

    if (xr->ext_debug_utils) {
        PFN_xrCreateDebugUtilsMessengerEXT create_messenger = NULL;
        res = PLX_XR(r, xrGetInstanceProcAddr(xr->instance, "xrCreateDebugUtilsMessengerEXT",
                                              (PFN_xrVoidFunction *)&create_messenger));
        if (res < 0) return res;
        res = PLX_XR(r, xrGetInstanceProcAddr(xr->instance, "xrDestroyDebugUtilsMessengerEXT",
                                              (PFN_xrVoidFunction *)&xr->destroy_messenger));
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
            .userData = r,
        };
        if ((res = PLX_XR(r, create_messenger(xr->instance, &mi, &xr->messenger))) < 0) return res;
    }

    XrInstanceProperties ip = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    if ((res = PLX_XR(r, xrGetInstanceProperties(xr->instance, &ip))) < 0) return res;
    xr->runtime_version = ip.runtimeVersion;
    plx_log(r, PLX_LOG_INFO, "OpenXR runtime: %s %u.%u.%u", ip.runtimeName,
            (unsigned)XR_VERSION_MAJOR(ip.runtimeVersion), (unsigned)XR_VERSION_MINOR(ip.runtimeVersion),
            (unsigned)XR_VERSION_PATCH(ip.runtimeVersion));

    XrSystemGetInfo si = {.type = XR_TYPE_SYSTEM_GET_INFO, .formFactor = XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY};
    res_xr = xrGetSystem(xr->instance, &si, &xr->system);
    if (res_xr == XR_ERROR_FORM_FACTOR_UNAVAILABLE)
        return PLX_FAIL(
            r, PLX_ERROR_XR,
            "xrGetSystem failed: XR_ERROR_FORM_FACTOR_UNAVAILABLE (the headset is not connected)");
    if ((res = PLX_XR_RESULT(r, res_xr, "xrGetSystem")) < 0) return res;
    XrSystemProperties sp = {.type = XR_TYPE_SYSTEM_PROPERTIES};
    if ((res = PLX_XR(r, xrGetSystemProperties(xr->instance, xr->system, &sp))) < 0) return res;
    /* The spec guarantees at least XR_MIN_COMPOSITION_LAYERS_SUPPORTED (16); a runtime saying less is
     * believed, since it is the one that refuses a frame with more. */
    xr->max_layer_count = sp.graphicsProperties.maxLayerCount;
    xr->max_image_width = sp.graphicsProperties.maxSwapchainImageWidth;
    xr->max_image_height = sp.graphicsProperties.maxSwapchainImageHeight;
    return PLX_SUCCESS;
}

static plx_result copy_names(plx_report *r, const char *field, const char *const *names, uint32_t count,
                             char (**out)[XR_MAX_EXTENSION_NAME_SIZE], uint32_t *out_count)
{
    *out = NULL;
    *out_count = 0;
    if (count == 0) return PLX_SUCCESS;
    if (!names)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_context_desc.%s is NULL but its count is %u",
                        field, count);
    for (uint32_t i = 0; i < count; i++) {
        if (!names[i] || !*names[i])
            return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_context_desc.%s[%u] is %s: expected an OpenXR extension name", field, i,
                            names[i] ? "empty" : "NULL");
        if (strlen(names[i]) >= XR_MAX_EXTENSION_NAME_SIZE)
            return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_context_desc.%s[%u] (%.40s...) is longer than an OpenXR extension name "
                            "can be (%d characters)",
                            field, i, names[i], XR_MAX_EXTENSION_NAME_SIZE - 1);
    }
    *out = calloc(count, sizeof **out);
    if (!*out) return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "out of memory copying %s", field);
    for (uint32_t i = 0; i < count; i++) snprintf((*out)[i], sizeof(*out)[i], "%s", names[i]);
    *out_count = count;
    return PLX_SUCCESS;
}

plx_result plx_xr_set_app_extensions(plx_xr *xr, plx_report *r, const char *const *required,
                                     uint32_t required_count, const char *const *optional,
                                     uint32_t optional_count)
{
    plx_result res =
        copy_names(r, "xr_extensions", required, required_count, &xr->app_required, &xr->app_required_count);
    if (res < 0) return res;
    return copy_names(r, "xr_optional_extensions", optional, optional_count, &xr->app_optional,
                      &xr->app_optional_count);
}

bool plx_xr_extension_enabled(const plx_xr *xr, const char *name)
{
    if (!name || xr->instance == XR_NULL_HANDLE) return false;
    for (uint32_t i = 0; i < xr->enabled_count; i++) {
        if (strcmp(xr->enabled[i], name) == 0) return true;
    }
    return false;
}

void plx_xr_free_extensions(plx_xr *xr)
{
    free(xr->app_required);
    free(xr->app_optional);
    free(xr->enabled);
    free(xr->enabled_ptrs);
    xr->app_required = xr->app_optional = xr->enabled = NULL;
    xr->enabled_ptrs = NULL;
    xr->app_required_count = xr->app_optional_count = xr->enabled_count = 0;
}

/* The runtime's recommended per-eye size, checking it offers the stereo view configuration. */
plx_result plx_xr_recommended_size(plx_xr *xr, uint32_t *out_w, uint32_t *out_h)
{
    uint32_t n = 0;
    plx_result res = PLX_XR(
        xr->report, xrEnumerateViewConfigurationViews(
                        xr->instance, xr->system, XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 0, &n, NULL));
    if (res < 0) return res;
    if (n != 2)
        return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED,
                        "the stereo view configuration has %u views, expected 2", n);
    XrViewConfigurationView views[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                        {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    res = PLX_XR(xr->report,
                 xrEnumerateViewConfigurationViews(xr->instance, xr->system,
                                                   XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &n, views));
    if (res < 0) return res;
    uint32_t nb = 0;
    XrEnvironmentBlendMode modes[8];
    res = PLX_XR(xr->report,
                 xrEnumerateEnvironmentBlendModes(xr->instance, xr->system,
                                                  XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 8, &nb, modes));
    if (res < 0) return res;
    if (nb == 0)
        return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED,
                        "xrEnumerateEnvironmentBlendModes returned no modes");
    xr->blend_mode = modes[0];
    /* One array swapchain serves both eyes, so both use the larger size. */
    *out_w = views[0].recommendedImageRectWidth > views[1].recommendedImageRectWidth
                 ? views[0].recommendedImageRectWidth
                 : views[1].recommendedImageRectWidth;
    *out_h = views[0].recommendedImageRectHeight > views[1].recommendedImageRectHeight
                 ? views[0].recommendedImageRectHeight
                 : views[1].recommendedImageRectHeight;
    return PLX_SUCCESS;
}

void plx_xr_destroy_instance(plx_xr *xr)
{
    if (xr->time) plx_time_unbind(xr->time);
    if (xr->instance != XR_NULL_HANDLE) plx_xr_destroy_children(xr, XR_OBJECT_TYPE_ACTION_SET, false);
    if (xr->messenger != XR_NULL_HANDLE) PLX_XR(xr->report, xr->destroy_messenger(xr->messenger));
    xr->messenger = XR_NULL_HANDLE;
    if (xr->instance != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroyInstance(xr->instance));
    xr->instance = XR_NULL_HANDLE;
}

void plx_xr_drop_instance(plx_xr *xr)
{
    if (xr->time) plx_time_unbind(xr->time);
    if (xr->instance != XR_NULL_HANDLE) plx_xr_destroy_children(xr, XR_OBJECT_TYPE_ACTION_SET, true);
    if (xr->messenger != XR_NULL_HANDLE && xr->destroy_messenger) xr->destroy_messenger(xr->messenger);
    xr->messenger = XR_NULL_HANDLE;
    if (xr->instance != XR_NULL_HANDLE) xrDestroyInstance(xr->instance);
    xr->instance = XR_NULL_HANDLE;
}
