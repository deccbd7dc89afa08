/* SPDX-License-Identifier: MIT */
/* Loader negotiation and xrGetInstanceProcAddr. The loader (and every API layer above it, e.g. the core
 * validation layer) resolves each function once through xrGetInstanceProcAddr and calls through the
 * pointer without checking it, so every core 1.0 function (and 1.1 function, for a 1.1 instance) and every
 * function of an advertised extension must resolve to a working implementation.
 * Layer: openxr (the upper part), its top file: the table names every entry point of the files below;
 * it calls instance.c to check handles. Nothing calls it but the loader. */
#include "openxr/sim_entry_points.h"
#include <openxr/openxr_loader_negotiation.h> /* vendored 1.1 headers (third_party/openxr) */

#define SIM_EXPORT __attribute__((visibility("default")))

#include <string.h>

/* Which extension a function belongs to; the function is only handed out when that extension is enabled
 * on the instance (XR_ERROR_FUNCTION_UNSUPPORTED otherwise). */
typedef enum fn_ext {
    FN_CORE = 0,
    FN_CORE_NO_INSTANCE, /* core, and may be resolved with instance == XR_NULL_HANDLE */
    FN_KHR_VULKAN_ENABLE,
    FN_KHR_VULKAN_ENABLE2,
    FN_KHR_CONVERT_TIMESPEC_TIME,
    FN_EXT_DEBUG_UTILS,
    FN_CORE_1_1, /* core in OpenXR 1.1: only for an instance that asked for 1.1 */
    FN_KHR_LOCATE_SPACES,
    FN_EXT_HAND_TRACKING,
    FN_KHR_VISIBILITY_MASK,
    FN_META_PERFORMANCE_METRICS,
} fn_ext;

typedef struct fn_entry {
    const char *name;
    PFN_xrVoidFunction fn;
    fn_ext ext;
} fn_entry;

/* PFN_xrVoidFunction is void (*)(void), which GCC's -Wcast-function-type accepts from any function type. */
#define FN(name, ext)                              \
    {                                              \
#name, (PFN_xrVoidFunction)sim_##name, ext \
    }

/* An extension's name for a core function (the same implementation). */
#define FN_ALIAS(name, impl, ext)                  \
    {                                              \
#name, (PFN_xrVoidFunction)sim_##impl, ext \
    }

static const fn_entry fn_table[] = {
    /* core 1.0, in the order of the specification's command list */
    FN(xrGetInstanceProcAddr, FN_CORE), FN(xrEnumerateApiLayerProperties, FN_CORE_NO_INSTANCE),
    FN(xrEnumerateInstanceExtensionProperties, FN_CORE_NO_INSTANCE),
    FN(xrCreateInstance, FN_CORE_NO_INSTANCE), FN(xrDestroyInstance, FN_CORE),
    FN(xrGetInstanceProperties, FN_CORE), FN(xrPollEvent, FN_CORE), FN(xrResultToString, FN_CORE),
    FN(xrStructureTypeToString, FN_CORE), FN(xrGetSystem, FN_CORE), FN(xrGetSystemProperties, FN_CORE),
    FN(xrEnumerateEnvironmentBlendModes, FN_CORE), FN(xrCreateSession, FN_CORE),
    FN(xrDestroySession, FN_CORE), FN(xrEnumerateReferenceSpaces, FN_CORE),
    FN(xrCreateReferenceSpace, FN_CORE), FN(xrGetReferenceSpaceBoundsRect, FN_CORE),
    FN(xrCreateActionSpace, FN_CORE), FN(xrLocateSpace, FN_CORE), FN(xrDestroySpace, FN_CORE),
    FN(xrEnumerateViewConfigurations, FN_CORE), FN(xrGetViewConfigurationProperties, FN_CORE),
    FN(xrEnumerateViewConfigurationViews, FN_CORE), FN(xrEnumerateSwapchainFormats, FN_CORE),
    FN(xrCreateSwapchain, FN_CORE), FN(xrDestroySwapchain, FN_CORE), FN(xrEnumerateSwapchainImages, FN_CORE),
    FN(xrAcquireSwapchainImage, FN_CORE), FN(xrWaitSwapchainImage, FN_CORE),
    FN(xrReleaseSwapchainImage, FN_CORE), FN(xrBeginSession, FN_CORE), FN(xrEndSession, FN_CORE),
    FN(xrRequestExitSession, FN_CORE), FN(xrWaitFrame, FN_CORE), FN(xrBeginFrame, FN_CORE),
    FN(xrEndFrame, FN_CORE), FN(xrLocateViews, FN_CORE), FN(xrStringToPath, FN_CORE),
    FN(xrPathToString, FN_CORE), FN(xrCreateActionSet, FN_CORE), FN(xrDestroyActionSet, FN_CORE),
    FN(xrCreateAction, FN_CORE), FN(xrDestroyAction, FN_CORE),
    FN(xrSuggestInteractionProfileBindings, FN_CORE), FN(xrAttachSessionActionSets, FN_CORE),
    FN(xrGetCurrentInteractionProfile, FN_CORE), FN(xrGetActionStateBoolean, FN_CORE),
    FN(xrGetActionStateFloat, FN_CORE), FN(xrGetActionStateVector2f, FN_CORE),
    FN(xrGetActionStatePose, FN_CORE), FN(xrSyncActions, FN_CORE),
    FN(xrEnumerateBoundSourcesForAction, FN_CORE), FN(xrGetInputSourceLocalizedName, FN_CORE),
    FN(xrApplyHapticFeedback, FN_CORE), FN(xrStopHapticFeedback, FN_CORE),
    /* core 1.1 (promoted from XR_KHR_locate_spaces) */
    FN(xrLocateSpaces, FN_CORE_1_1),
    /* XR_KHR_locate_spaces: the same function under its extension name */
    FN_ALIAS(xrLocateSpacesKHR, xrLocateSpaces, FN_KHR_LOCATE_SPACES),
    /* XR_EXT_hand_tracking */
    FN(xrCreateHandTrackerEXT, FN_EXT_HAND_TRACKING), FN(xrDestroyHandTrackerEXT, FN_EXT_HAND_TRACKING),
    FN(xrLocateHandJointsEXT, FN_EXT_HAND_TRACKING),
    /* XR_KHR_vulkan_enable */
    FN(xrGetVulkanInstanceExtensionsKHR, FN_KHR_VULKAN_ENABLE),
    FN(xrGetVulkanDeviceExtensionsKHR, FN_KHR_VULKAN_ENABLE),
    FN(xrGetVulkanGraphicsDeviceKHR, FN_KHR_VULKAN_ENABLE),
    FN(xrGetVulkanGraphicsRequirementsKHR, FN_KHR_VULKAN_ENABLE),
    /* XR_KHR_vulkan_enable2 */
    FN(xrCreateVulkanInstanceKHR, FN_KHR_VULKAN_ENABLE2), FN(xrCreateVulkanDeviceKHR, FN_KHR_VULKAN_ENABLE2),
    FN(xrGetVulkanGraphicsDevice2KHR, FN_KHR_VULKAN_ENABLE2),
    FN(xrGetVulkanGraphicsRequirements2KHR, FN_KHR_VULKAN_ENABLE2),
    /* XR_KHR_convert_timespec_time */
    FN(xrConvertTimespecTimeToTimeKHR, FN_KHR_CONVERT_TIMESPEC_TIME),
    FN(xrConvertTimeToTimespecTimeKHR, FN_KHR_CONVERT_TIMESPEC_TIME),
    /* XR_EXT_debug_utils */
    FN(xrSetDebugUtilsObjectNameEXT, FN_EXT_DEBUG_UTILS),
    FN(xrCreateDebugUtilsMessengerEXT, FN_EXT_DEBUG_UTILS),
    FN(xrDestroyDebugUtilsMessengerEXT, FN_EXT_DEBUG_UTILS),
    FN(xrSubmitDebugUtilsMessageEXT, FN_EXT_DEBUG_UTILS),
    FN(xrSessionBeginDebugUtilsLabelRegionEXT, FN_EXT_DEBUG_UTILS),
    FN(xrSessionEndDebugUtilsLabelRegionEXT, FN_EXT_DEBUG_UTILS),
    FN(xrSessionInsertDebugUtilsLabelEXT, FN_EXT_DEBUG_UTILS),
    /* XR_KHR_visibility_mask */
    FN(xrGetVisibilityMaskKHR, FN_KHR_VISIBILITY_MASK),
    /* XR_META_performance_metrics */
    FN(xrEnumeratePerformanceMetricsCounterPathsMETA, FN_META_PERFORMANCE_METRICS),
    FN(xrSetPerformanceMetricsStateMETA, FN_META_PERFORMANCE_METRICS),
    FN(xrGetPerformanceMetricsStateMETA, FN_META_PERFORMANCE_METRICS),
    FN(xrQueryPerformanceMetricsCounterMETA, FN_META_PERFORMANCE_METRICS),
    /* XR_KHR_composition_layer_depth and XR_EXT_user_presence add no functions. */
};

static bool ext_enabled(const sim_instance *inst, fn_ext ext)
{
    switch (ext) {
    case FN_CORE:
    case FN_CORE_NO_INSTANCE:
        return true;
    case FN_KHR_VULKAN_ENABLE:
        return inst->ext_vulkan_enable;
    case FN_KHR_VULKAN_ENABLE2:
        return inst->ext_vulkan_enable2;
    case FN_KHR_CONVERT_TIMESPEC_TIME:
        return inst->ext_timespec;
    case FN_EXT_DEBUG_UTILS:
        return inst->ext_debug_utils;
    case FN_CORE_1_1:
        return sim_instance_is_1_1(inst);
    case FN_KHR_LOCATE_SPACES:
        return inst->ext_locate_spaces;
    case FN_EXT_HAND_TRACKING:
        return inst->ext_hand_tracking;
    case FN_KHR_VISIBILITY_MASK:
        return inst->ext_visibility_mask;
    case FN_META_PERFORMANCE_METRICS:
        return inst->ext_performance_metrics;
    }
    return false;
}

SIM_FN(xrGetInstanceProcAddr)(XrInstance instance, const char *name, PFN_xrVoidFunction *function)
{
    SIM_REQUIRE_OUT(NULL, function, "a PFN_xrVoidFunction");
    *function = NULL;
    SIM_REQUIRE_OUT(NULL, name, "a null-terminated UTF-8 string");

    const fn_entry *e = NULL;
    for (size_t i = 0; i < sizeof(fn_table) / sizeof(fn_table[0]) && !e; i++)
        if (strcmp(fn_table[i].name, name) == 0) e = &fn_table[i];

    /* Spec: with a NULL instance only the three functions usable before an instance exists resolve. */
    if (instance == XR_NULL_HANDLE) {
        if (e && e->ext == FN_CORE_NO_INSTANCE) {
            *function = e->fn;
            return XR_SUCCESS;
        }
        /* The loader asks for some on its own: an answer, not an error worth a line at the default level. */
        return sim_reject_quiet(
            NULL, "xrGetInstanceProcAddr", XR_ERROR_HANDLE_INVALID,
            "%.128s with instance XR_NULL_HANDLE: only xrEnumerateInstanceExtensionProperties, "
            "xrEnumerateApiLayerProperties and xrCreateInstance resolve without an instance "
            "(spec xrGetInstanceProcAddr)",
            name);
    }
    sim_instance *inst = NULL;
    XrResult r = sim_instance_check(instance, &inst);
    /* A lost instance (faults_apply.c) still resolves functions: the loader looks some up while the app
     * destroys it, and a NULL there would be called. */
    if (XR_FAILED(r) && r != XR_ERROR_INSTANCE_LOST) return r;
    /* Applications probe for optional functions: an answer, not an error worth a line at the default level.
     */
    if (!e)
        return sim_reject_quiet(inst, "xrGetInstanceProcAddr", XR_ERROR_FUNCTION_UNSUPPORTED,
                                "%.128s is no function of this runtime (spec xrGetInstanceProcAddr: "
                                "XR_ERROR_FUNCTION_UNSUPPORTED for a function it does not have)",
                                name);
    if (!ext_enabled(inst, e->ext))
        return sim_reject_quiet(
            inst, "xrGetInstanceProcAddr", XR_ERROR_FUNCTION_UNSUPPORTED,
            "%.128s needs %s, which this instance did not enable (spec xrGetInstanceProcAddr: "
            "XR_ERROR_FUNCTION_UNSUPPORTED for a function of an extension not enabled)",
            name, e->ext == FN_CORE_1_1 ? "OpenXR 1.1 (apiVersion 1.1)" : "its extension");
    *function = e->fn;
    return XR_SUCCESS;
}

/* The only exported symbol: the loader dlsym()s it, checks what we support and takes xrGetInstanceProcAddr.
 */
SIM_EXPORT XRAPI_ATTR XrResult XRAPI_CALL xrNegotiateLoaderRuntimeInterface(
    const XrNegotiateLoaderInfo *loaderInfo, XrNegotiateRuntimeRequest *runtimeRequest);

SIM_EXPORT XRAPI_ATTR XrResult XRAPI_CALL xrNegotiateLoaderRuntimeInterface(
    const XrNegotiateLoaderInfo *loaderInfo, XrNegotiateRuntimeRequest *runtimeRequest)
{
    if (!loaderInfo || !runtimeRequest) {
        sim_log(SIM_LOG_ERROR, "xrNegotiateLoaderRuntimeInterface: NULL %s",
                loaderInfo ? "runtimeRequest" : "loaderInfo");
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    if (loaderInfo->structType != XR_LOADER_INTERFACE_STRUCT_LOADER_INFO ||
        loaderInfo->structVersion != XR_LOADER_INFO_STRUCT_VERSION ||
        loaderInfo->structSize != sizeof(XrNegotiateLoaderInfo)) {
        sim_log(SIM_LOG_ERROR,
                "xrNegotiateLoaderRuntimeInterface: malformed XrNegotiateLoaderInfo (type %d, version %u, "
                "size %zu)",
                (int)loaderInfo->structType, loaderInfo->structVersion, loaderInfo->structSize);
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    if (runtimeRequest->structType != XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST ||
        runtimeRequest->structVersion != XR_RUNTIME_INFO_STRUCT_VERSION ||
        runtimeRequest->structSize != sizeof(XrNegotiateRuntimeRequest)) {
        sim_log(SIM_LOG_ERROR,
                "xrNegotiateLoaderRuntimeInterface: malformed XrNegotiateRuntimeRequest (type %d, "
                "version %u, size %zu)",
                (int)runtimeRequest->structType, runtimeRequest->structVersion, runtimeRequest->structSize);
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    if (loaderInfo->minInterfaceVersion > XR_CURRENT_LOADER_RUNTIME_VERSION ||
        loaderInfo->maxInterfaceVersion < XR_CURRENT_LOADER_RUNTIME_VERSION) {
        sim_log(SIM_LOG_ERROR,
                "xrNegotiateLoaderRuntimeInterface: loader interface versions %u..%u exclude %d",
                loaderInfo->minInterfaceVersion, loaderInfo->maxInterfaceVersion,
                XR_CURRENT_LOADER_RUNTIME_VERSION);
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    /* We implement OpenXR 1.1 and 1.0 (any patch): the loader's range must include one of them. Compare
     * major.minor only. */
    const XrVersion ours_min = XR_MAKE_VERSION(1, 0, 0), ours_max = XR_MAKE_VERSION(1, 1, 0xffffffffu);
    if (loaderInfo->maxApiVersion < ours_min || loaderInfo->minApiVersion > ours_max) {
        sim_log(SIM_LOG_ERROR,
                "xrNegotiateLoaderRuntimeInterface: loader API versions %u.%u..%u.%u exclude 1.0 and 1.1",
                XR_VERSION_MAJOR(loaderInfo->minApiVersion), XR_VERSION_MINOR(loaderInfo->minApiVersion),
                XR_VERSION_MAJOR(loaderInfo->maxApiVersion), XR_VERSION_MINOR(loaderInfo->maxApiVersion));
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    runtimeRequest->runtimeInterfaceVersion = XR_CURRENT_LOADER_RUNTIME_VERSION;
    /* The version of the headers the runtime is built with (third_party/openxr): 1.1.x. A 1.0 loader (Debian
     * 12's 1.0.20) compares only the major version; the application's own version is checked at
     * xrCreateInstance. */
    runtimeRequest->runtimeApiVersion = XR_CURRENT_API_VERSION;
    runtimeRequest->getInstanceProcAddr = sim_xrGetInstanceProcAddr;
    return XR_SUCCESS;
}
