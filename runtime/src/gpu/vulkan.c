/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: Vulkan through XR_KHR_vulkan_enable2: the runtime creates the instance and device so it can
 * add what it needs; we ask for the highest Vulkan version the loader, the runtime, the headers and the app
 * allow (at least 1.1: multiview is core there), the app's extensions and features (plx_vulkan_desc, the
 * feature chain in features.c) and the validation layer when asked. Also the buffer helpers. May call base/,
 * the GPU clock (clock.c) and the choice of passes (multiview.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gpu/plx_gpu.h"

static VKAPI_ATTR VkBool32 VKAPI_CALL vk_debug_callback(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                        VkDebugUtilsMessageTypeFlagsEXT types,
                                                        const VkDebugUtilsMessengerCallbackDataEXT *data,
                                                        void *user)
{
    plx_report *r = user;
    plx_log_level level = PLX_LOG_DEBUG;
    if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) {
        level = PLX_LOG_ERROR;
    } else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) {
        level = PLX_LOG_WARN;
    } else if (severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT) {
        level = PLX_LOG_INFO;
    }
    /* The loader's general chatter (device sorting, layer insertion) is only of interest when debugging. */
    if (level == PLX_LOG_INFO && !(types & ~VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT))
        level = PLX_LOG_DEBUG;
    /* Only validation and performance warnings count against the app; the loader's general info does not. */
    bool counted = level <= PLX_LOG_WARN && (types & (VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                                                      VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT));
    if (counted) plx_report_validation_message(r);
    plx_log(r, level, "Vulkan %s: %s", data && data->pMessageIdName ? data->pMessageIdName : "",
            data && data->pMessage ? data->pMessage : "");
    return VK_FALSE;
}

static bool layer_available(const char *name)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceLayerProperties(&n, NULL) != VK_SUCCESS || n == 0) return false;
    VkLayerProperties *props = calloc(n, sizeof *props);
    if (!props) return false;
    bool found = false;
    if (vkEnumerateInstanceLayerProperties(&n, props) == VK_SUCCESS) {
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].layerName, name) == 0;
    }
    free(props);
    return found;
}

/* The extensions offered by the loader's drivers and implicit layers (layer NULL) or by one layer, appended
 * to *io_props (grown with realloc). */
static void offered_instance_extensions(const char *layer, VkExtensionProperties **io_props, uint32_t *io_n)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceExtensionProperties(layer, &n, NULL) != VK_SUCCESS || n == 0) return;
    VkExtensionProperties *grown = realloc(*io_props, (*io_n + n) * sizeof *grown);
    if (!grown) return;
    *io_props = grown;
    if (vkEnumerateInstanceExtensionProperties(layer, &n, grown + *io_n) == VK_SUCCESS) *io_n += n;
}

static bool offered(const VkExtensionProperties *props, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(props[i].extensionName, name)) return true;
    }
    return false;
}

/* Appends a copy of name to a list of extension names (once). */
static plx_result add_name(plx_gpu *g, char ***io_names, uint32_t *io_n, const char *name)
{
    for (uint32_t i = 0; i < *io_n; i++) {
        if (!strcmp((*io_names)[i], name)) return PLX_SUCCESS;
    }
    char **grown = realloc(*io_names, (*io_n + 1) * sizeof *grown);
    char *copy = grown ? strdup(name) : NULL;
    if (grown) *io_names = grown;
    if (!copy)
        return PLX_FAIL(g->report, PLX_ERROR_OUT_OF_MEMORY, "out of memory listing extension %s", name);
    grown[(*io_n)++] = copy;
    return PLX_SUCCESS;
}

static void free_names(char ***names, uint32_t *n)
{
    for (uint32_t i = 0; i < *n; i++) free((*names)[i]);
    free(*names);
    *names = NULL;
    *n = 0;
}

/* The app's required extensions (each must be offered: else the failure names it) and optional ones (added
 * when offered), of one kind ("instance" / "device"), into the list. */
static plx_result add_app_extensions(plx_gpu *g, const VkExtensionProperties *props, uint32_t n,
                                     const char *const *required, uint32_t required_count,
                                     const char *const *optional, uint32_t optional_count, const char *kind,
                                     const char *offerer, char ***io_names, uint32_t *io_n)
{
    if ((required_count && !required) || (optional_count && !optional))
        return PLX_FAIL(g->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_vulkan_desc.%s%s_extension_count is %u but %s%s_extensions is NULL",
                        required_count && !required ? "" : "optional_", kind,
                        required_count && !required ? required_count : optional_count,
                        required_count && !required ? "" : "optional_", kind);
    plx_result res = PLX_SUCCESS;
    for (uint32_t i = 0; i < required_count && res == PLX_SUCCESS; i++) {
        if (!required[i])
            return PLX_FAIL(g->report, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_vulkan_desc.%s_extensions[%u] is NULL", kind, i);
        if (!offered(props, n, required[i]))
            return PLX_FAIL(g->report, PLX_ERROR_UNSUPPORTED,
                            "plx_vulkan_desc.%s_extensions: %s is not offered by %s (it is required; list it "
                            "in optional_%s_extensions to run without it)",
                            kind, required[i], offerer, kind);
        res = add_name(g, io_names, io_n, required[i]);
    }
    for (uint32_t i = 0; i < optional_count && res == PLX_SUCCESS; i++) {
        if (!optional[i])
            return PLX_FAIL(g->report, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_vulkan_desc.optional_%s_extensions[%u] is NULL", kind, i);
        if (offered(props, n, optional[i]))
            res = add_name(g, io_names, io_n, optional[i]);
        else
            plx_log(g->report, PLX_LOG_INFO,
                    "optional Vulkan %s extension %s is not offered by %s: not enabled", kind, optional[i],
                    offerer);
    }
    return res;
}

static plx_result get_xr_proc(plx_gpu *g, const plx_gpu_desc *desc, const char *name, PFN_xrVoidFunction *out)
{
    XrResult xr = xrGetInstanceProcAddr(desc->xr_instance, name, out);
    if (XR_FAILED(xr) || !*out)
        return PLX_FAIL(g->report, PLX_ERROR_XR, "xrGetInstanceProcAddr(%s) failed: %s", name,
                        plx_xr_result_name(xr));
    return PLX_SUCCESS;
}

static plx_result create_vk_instance(plx_gpu *g, const plx_gpu_desc *desc,
                                     PFN_xrCreateVulkanInstanceKHR create, uint32_t api_version)
{
    const char *layers[1];
    uint32_t layer_count = 0;
    VkExtensionProperties *props = NULL;
    uint32_t nprops = 0;
    offered_instance_extensions(NULL, &props, &nprops);
    if (desc->validation) {
        if (layer_available("VK_LAYER_KHRONOS_validation")) {
            layers[layer_count++] = "VK_LAYER_KHRONOS_validation";
            offered_instance_extensions(layers[0], &props, &nprops);
        } else {
            plx_log(g->report, PLX_LOG_WARN,
                    "validation requested but VK_LAYER_KHRONOS_validation is not installed");
        }
    }
    plx_vk *vk = &g->vk;
    bool debug_utils = desc->validation && offered(props, nprops, VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    plx_result res = PLX_SUCCESS;
    if (debug_utils)
        res = add_name(g, &vk->instance_extensions, &vk->instance_extension_count,
                       VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
    for (uint32_t i = 0; i < desc->instance_extension_count && res == PLX_SUCCESS; i++) /* the mirror's */
        res = add_name(g, &vk->instance_extensions, &vk->instance_extension_count,
                       desc->instance_extensions[i]);
    const plx_vulkan_desc *vd = desc->app;
    if (vd && res == PLX_SUCCESS)
        res = add_app_extensions(g, props, nprops, vd->instance_extensions, vd->instance_extension_count,
                                 vd->optional_instance_extensions, vd->optional_instance_extension_count,
                                 "instance", "the Vulkan loader, its drivers or its layers",
                                 &vk->instance_extensions, &vk->instance_extension_count);
    free(props);
    if (res < 0) return res;
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "parallax",
        .pEngineName = "Parallax",
        .engineVersion = VK_MAKE_API_VERSION(0, PLX_VERSION_MAJOR, PLX_VERSION_MINOR, PLX_VERSION_PATCH),
        .apiVersion = api_version,
    };
    VkInstanceCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO,
        .pApplicationInfo = &app,
        .enabledLayerCount = layer_count,
        .ppEnabledLayerNames = layers,
        .enabledExtensionCount = vk->instance_extension_count,
        .ppEnabledExtensionNames = (const char *const *)vk->instance_extensions,
    };
    XrVulkanInstanceCreateInfoKHR xci = {
        .type = XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR,
        .systemId = desc->system,
        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
        .vulkanCreateInfo = &ci,
    };
    VkResult vr = VK_SUCCESS;
    res = PLX_XR(g->report, create(desc->xr_instance, &xci, &g->vk.instance, &vr));
    if (res < 0) return res;
    if ((res = PLX_VK(g->report, vr)) < 0) return res;

    if (debug_utils) {
        PFN_vkCreateDebugUtilsMessengerEXT create_messenger =
            (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(g->vk.instance,
                                                                      "vkCreateDebugUtilsMessengerEXT");
        g->destroy_messenger = (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            g->vk.instance, "vkDestroyDebugUtilsMessengerEXT");
        if (!create_messenger || !g->destroy_messenger)
            return PLX_FAIL(g->report, PLX_ERROR_VULKAN,
                            "vkGetInstanceProcAddr(vkCreateDebugUtilsMessengerEXT) failed");
        VkDebugUtilsMessengerCreateInfoEXT mi = {
            .sType = VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT,
            .messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT |
                               VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
            .messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT |
                           VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                           VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT,
            .pfnUserCallback = vk_debug_callback,
            .pUserData = g->report,
        };
        res = PLX_VK(g->report, create_messenger(g->vk.instance, &mi, NULL, &g->messenger));
        if (res < 0) return res;
    }
    return PLX_SUCCESS;
}

/* Device extensions to enable: calibrated timestamps when they reach CLOCK_MONOTONIC, and the app's; notes
 * whether the device offers VK_KHR_swapchain, which the mirror window's own device needs. */
static plx_result device_extensions(plx_gpu *g, const plx_gpu_desc *desc, const char *device_name)
{
    uint32_t n = 0;
    VkPhysicalDevice pd = g->vk.physical_device;
    VkExtensionProperties *props = NULL;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) == VK_SUCCESS && n > 0) {
        props = calloc(n, sizeof *props);
        if (!props)
            return PLX_FAIL(g->report, PLX_ERROR_OUT_OF_MEMORY, "out of memory listing %u extensions", n);
        if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, props) != VK_SUCCESS) n = 0;
    }
    plx_vk *vk = &g->vk;
    plx_result res = PLX_SUCCESS;
    if (plx_gpu_clock_wanted(&g->clock, vk->instance, pd, props, n))
        res = add_name(g, &vk->device_extensions, &vk->device_extension_count,
                       VK_EXT_CALIBRATED_TIMESTAMPS_EXTENSION_NAME);
    vk->offers_swapchain = offered(props, n, VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    vk->offers_driver_properties = offered(props, n, VK_KHR_DRIVER_PROPERTIES_EXTENSION_NAME);
    const plx_vulkan_desc *app = desc->app;
    char offerer[320];
    snprintf(offerer, sizeof offerer, "the Vulkan device %s", device_name);
    if (app && res == PLX_SUCCESS)
        res = add_app_extensions(g, props, n, app->device_extensions, app->device_extension_count,
                                 app->optional_device_extensions, app->optional_device_extension_count,
                                 "device", offerer, &vk->device_extensions, &vk->device_extension_count);
    free(props);
    return res;
}

static plx_result create_vk_device(plx_gpu *g, const plx_gpu_desc *desc, PFN_xrCreateVulkanDeviceKHR create,
                                   uint32_t api_version)
{
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(g->vk.physical_device, &props);
    plx_log(g->report, PLX_LOG_INFO, "Vulkan device: %s (API %u.%u)", props.deviceName,
            VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));
    if (props.apiVersion < VK_API_VERSION_1_1)
        return PLX_FAIL(g->report, PLX_ERROR_UNSUPPORTED,
                        "Vulkan device %s supports only API %u.%u; Parallax needs 1.1", props.deviceName,
                        VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));

    VkPhysicalDeviceMultiviewFeatures mv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
    VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &mv};
    vkGetPhysicalDeviceFeatures2(g->vk.physical_device, &f2);
    if (!mv.multiview)
        return PLX_FAIL(g->report, PLX_ERROR_UNSUPPORTED, "Vulkan device %s has no multiview",
                        props.deviceName);

    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(g->vk.physical_device, &n, NULL);
    VkQueueFamilyProperties qf[32];
    if (n > 32) n = 32;
    vkGetPhysicalDeviceQueueFamilyProperties(g->vk.physical_device, &n, qf);
    uint32_t family = UINT32_MAX;
    for (uint32_t i = 0; i < n && family == UINT32_MAX; i++) {
        if (qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) family = i;
    }
    if (family == UINT32_MAX)
        return PLX_FAIL(g->report, PLX_ERROR_UNSUPPORTED, "Vulkan device %s has no graphics queue",
                        props.deviceName);
    g->vk.queue_family_index = family;
    g->vk.timestamps = qf[family].timestampValidBits > 0 && props.limits.timestampPeriod > 0;
    if (g->vk.timestamps && desc->no_timestamps) {
        plx_log(g->report, PLX_LOG_INFO,
                "PARALLAX_GPU_TIMESTAMPS=0: no timestamp queries; frame completion is timed at the fence");
        g->vk.timestamps = false;
    }
    g->vk.timestamp_period_ns = props.limits.timestampPeriod;
    g->vk.timestamp_mask =
        qf[family].timestampValidBits >= 64 ? UINT64_MAX : ((uint64_t)1 << qf[family].timestampValidBits) - 1;

    const float priority = 1.0f;
    VkDeviceQueueCreateInfo qi = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = family,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    };
    plx_vk *vk = &g->vk;
    /* The device runs the lower of the instance's version and its own. */
    uint32_t dev_version = VK_MAKE_API_VERSION(0, VK_API_VERSION_MAJOR(props.apiVersion),
                                               VK_API_VERSION_MINOR(props.apiVersion), 0);
    vk->api_version = dev_version < api_version ? dev_version : api_version;
    plx_result res = device_extensions(g, desc, props.deviceName);
    if (res < 0) return res;
    plx_gpu_multiview_choose(g); /* needs offers_driver_properties */
    /* The app's features with libparallax's merged in, each checked against the device (features.c). */
    if ((res = plx_vk_features_build(&g->features, g->report, desc->app ? desc->app->features : NULL)) < 0)
        return res;
    res = plx_vk_features_check(&g->features, g->report, g->vk.physical_device, vk->api_version,
                                (const char *const *)vk->device_extensions, vk->device_extension_count);
    if (res < 0) return res;
    VkDeviceCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = &g->features.root,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &qi,
        .enabledExtensionCount = vk->device_extension_count,
        .ppEnabledExtensionNames = (const char *const *)vk->device_extensions,
    };
    XrVulkanDeviceCreateInfoKHR xci = {
        .type = XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR,
        .systemId = desc->system,
        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
        .vulkanPhysicalDevice = g->vk.physical_device,
        .vulkanCreateInfo = &ci,
    };
    VkResult vr = VK_SUCCESS;
    res = PLX_XR(g->report, create(desc->xr_instance, &xci, &g->vk.device, &vr));
    if (res < 0) return res;
    if ((res = PLX_VK(g->report, vr)) < 0) return res;
    plx_log(g->report, PLX_LOG_INFO, "Vulkan %u.%u device, %u device and %u instance extensions enabled",
            VK_API_VERSION_MAJOR(vk->api_version), VK_API_VERSION_MINOR(vk->api_version),
            vk->device_extension_count, vk->instance_extension_count);
    vkGetDeviceQueue(g->vk.device, family, 0, &g->vk.queue);
    vkGetPhysicalDeviceMemoryProperties(g->vk.physical_device, &g->vk.memory_properties);
    plx_gpu_clock_device_ready(&g->clock, g->report, &g->vk); /* calibrated timestamps */
    return PLX_SUCCESS;
}

/* Major.minor of a Vulkan version (the patch does not matter to what may be used). */
static uint32_t major_minor(uint32_t v)
{
    return VK_MAKE_API_VERSION(0, VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), 0);
}

/* The highest Vulkan version the loader, the runtime, the headers and the app allow, at least 1.1
 * (parallax_vulkan.h, plx_vulkan_desc "Version"). */
static plx_result choose_api_version(plx_gpu *g, const plx_gpu_desc *desc,
                                     const XrGraphicsRequirementsVulkan2KHR *req, uint32_t *out)
{
    const uint32_t need = VK_API_VERSION_1_1;
    uint32_t cap = desc->app ? desc->app->max_api_version : 0;
    if (cap && major_minor(cap) < need)
        return PLX_FAIL(
            g->report, PLX_ERROR_INVALID_ARGUMENT,
            "plx_vulkan_desc.max_api_version %u.%u is below 1.1, which libparallax needs (multiview)",
            VK_API_VERSION_MAJOR(cap), VK_API_VERSION_MINOR(cap));
    uint32_t loader = VK_API_VERSION_1_0;
    if (vkEnumerateInstanceVersion(&loader) != VK_SUCCESS) loader = VK_API_VERSION_1_0;
    uint32_t runtime_max = VK_MAKE_API_VERSION(0, XR_VERSION_MAJOR(req->maxApiVersionSupported),
                                               XR_VERSION_MINOR(req->maxApiVersionSupported), 0);
    uint32_t runtime_min = VK_MAKE_API_VERSION(0, XR_VERSION_MAJOR(req->minApiVersionSupported),
                                               XR_VERSION_MINOR(req->minApiVersionSupported), 0);
    uint32_t v = major_minor(VK_HEADER_VERSION_COMPLETE);
    const char *why = "the Vulkan headers libparallax was built with";
    if (major_minor(loader) < v) {
        v = major_minor(loader);
        why = "the Vulkan loader";
    }
    if (runtime_max < v) {
        v = runtime_max;
        why = "the OpenXR runtime (maxApiVersionSupported)";
    }
    if (cap && major_minor(cap) < v) {
        v = major_minor(cap);
        why = "plx_vulkan_desc.max_api_version";
    }
    if (v < runtime_min) {
        v = runtime_min;
        why = "the OpenXR runtime (minApiVersionSupported)";
    }
    if (v < need) {
        /* maxApiVersionSupported is only the newest version the runtime was tested with; asking above it is
         * allowed, and multiview needs 1.1. */
        plx_log(g->report, PLX_LOG_WARN, "%s allows Vulkan %u.%u; Parallax asks for 1.1", why,
                VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v));
        v = need;
        why = "multiview";
    }
    plx_log(g->report, PLX_LOG_INFO,
            "Vulkan instance version %u.%u (limited by %s; runtime range %u.%u-%u.%u)",
            VK_API_VERSION_MAJOR(v), VK_API_VERSION_MINOR(v), why, VK_API_VERSION_MAJOR(runtime_min),
            VK_API_VERSION_MINOR(runtime_min), VK_API_VERSION_MAJOR(runtime_max),
            VK_API_VERSION_MINOR(runtime_max));
    *out = v;
    return PLX_SUCCESS;
}

plx_result plx_gpu_create(plx_gpu *g, plx_report *r, const plx_gpu_desc *desc)
{
    g->report = r;
    g->frames_in_flight = desc->frames_in_flight;
    PFN_xrGetVulkanGraphicsRequirements2KHR get_requirements = NULL;
    PFN_xrCreateVulkanInstanceKHR create_instance = NULL;
    PFN_xrGetVulkanGraphicsDevice2KHR get_device = NULL;
    PFN_xrCreateVulkanDeviceKHR create_device = NULL;
    plx_result res;
    if ((res = get_xr_proc(g, desc, "xrGetVulkanGraphicsRequirements2KHR",
                           (PFN_xrVoidFunction *)&get_requirements)) < 0 ||
        (res = get_xr_proc(g, desc, "xrCreateVulkanInstanceKHR", (PFN_xrVoidFunction *)&create_instance)) <
            0 ||
        (res = get_xr_proc(g, desc, "xrGetVulkanGraphicsDevice2KHR", (PFN_xrVoidFunction *)&get_device)) <
            0 ||
        (res = get_xr_proc(g, desc, "xrCreateVulkanDeviceKHR", (PFN_xrVoidFunction *)&create_device)) < 0)
        return res;

    /* The spec requires this call before xrCreateSession; it also bounds the API version we may ask for. */
    XrGraphicsRequirementsVulkan2KHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    if ((res = PLX_XR(g->report, get_requirements(desc->xr_instance, desc->system, &req))) < 0) return res;
    uint32_t api = 0;
    if ((res = choose_api_version(g, desc, &req, &api)) < 0) return res;
    if ((res = create_vk_instance(g, desc, create_instance, api)) < 0) return res;
    XrVulkanGraphicsDeviceGetInfoKHR gi = {
        .type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
        .systemId = desc->system,
        .vulkanInstance = g->vk.instance,
    };
    if ((res = PLX_XR(g->report, get_device(desc->xr_instance, &gi, &g->vk.physical_device))) < 0) return res;
    return create_vk_device(g, desc, create_device, api);
}

plx_result plx_gpu_find_memory(const plx_gpu *g, uint32_t type_bits, VkMemoryPropertyFlags want,
                               uint32_t *out_type)
{
    const VkPhysicalDeviceMemoryProperties *mp = &g->vk.memory_properties;
    for (uint32_t i = 0; i < mp->memoryTypeCount; i++) {
        if ((type_bits & (1u << i)) && (mp->memoryTypes[i].propertyFlags & want) == want) {
            *out_type = i;
            return PLX_SUCCESS;
        }
    }
    return PLX_FAIL(g->report, PLX_ERROR_UNSUPPORTED,
                    "no Vulkan memory type with properties 0x%x for bits 0x%x", (unsigned)want,
                    (unsigned)type_bits);
}

plx_result plx_gpu_create_buffer(const plx_gpu *g, VkDeviceSize size, VkBufferUsageFlags usage,
                                 VkMemoryPropertyFlags props, VkBuffer *out_buffer,
                                 VkDeviceMemory *out_memory)
{
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = size,
        .usage = usage,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    plx_result res = PLX_VK(g->report, vkCreateBuffer(g->vk.device, &bi, NULL, out_buffer));
    if (res < 0) return res;
    VkMemoryRequirements mr;
    vkGetBufferMemoryRequirements(g->vk.device, *out_buffer, &mr);
    uint32_t type = 0;
    if ((res = plx_gpu_find_memory(g, mr.memoryTypeBits, props, &type)) < 0) goto fail;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = mr.size,
        .memoryTypeIndex = type,
    };
    if ((res = PLX_VK(g->report, vkAllocateMemory(g->vk.device, &ai, NULL, out_memory))) < 0) goto fail;
    if ((res = PLX_VK(g->report, vkBindBufferMemory(g->vk.device, *out_buffer, *out_memory, 0))) < 0)
        goto fail;
    return PLX_SUCCESS;
fail:
    vkDestroyBuffer(g->vk.device, *out_buffer, NULL);
    vkFreeMemory(g->vk.device, *out_memory, NULL);
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    return res;
}

plx_result plx_gpu_upload_buffer(const plx_gpu *g, const void *data, VkDeviceSize size,
                                 VkBufferUsageFlags usage, VkBuffer *out_buffer, VkDeviceMemory *out_memory)
{
    VkBuffer staging = VK_NULL_HANDLE;
    VkDeviceMemory staging_memory = VK_NULL_HANDLE;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    bool submitted = false;
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    plx_result res =
        plx_gpu_create_buffer(g, size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                              VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                              &staging, &staging_memory);
    if (res < 0) goto fail;
    void *mapped = NULL;
    if ((res = PLX_VK(g->report, vkMapMemory(g->vk.device, staging_memory, 0, size, 0, &mapped))) < 0)
        goto fail;
    memcpy(mapped, data, (size_t)size);
    vkUnmapMemory(g->vk.device, staging_memory);
    res = plx_gpu_create_buffer(g, size, usage | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, out_buffer, out_memory);
    if (res < 0) goto fail;

    VkCommandBufferAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = g->command_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    if ((res = PLX_VK(g->report, vkAllocateCommandBuffers(g->vk.device, &ai, &cmd))) < 0) goto fail;
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if ((res = PLX_VK(g->report, vkCreateFence(g->vk.device, &fi, NULL, &fence))) < 0) goto fail;
    VkCommandBufferBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    if ((res = PLX_VK(g->report, vkBeginCommandBuffer(cmd, &bi))) < 0) goto fail;
    vkCmdCopyBuffer(cmd, staging, *out_buffer, 1, &(VkBufferCopy){.size = size});
    /* Later frames read it as vertex/index data; a barrier makes the copy visible to them. */
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_VERTEX_ATTRIBUTE_READ_BIT | VK_ACCESS_INDEX_READ_BIT |
                         VK_ACCESS_UNIFORM_READ_BIT | VK_ACCESS_SHADER_READ_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_VERTEX_INPUT_BIT | VK_PIPELINE_STAGE_VERTEX_SHADER_BIT |
                             VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                         0, 1, &mb, 0, NULL, 0, NULL);
    if ((res = PLX_VK(g->report, vkEndCommandBuffer(cmd))) < 0) goto fail;
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    if ((res = PLX_VK(g->report, vkQueueSubmit(g->vk.queue, 1, &si, fence))) < 0) goto fail;
    submitted = true;
    /* Uploads happen at scene setup, so waiting here costs nothing per frame and keeps ownership simple. */
    res = PLX_VK(g->report, vkWaitForFences(g->vk.device, 1, &fence, VK_TRUE, UINT64_MAX));
    if (res < 0) goto fail;
    vkDestroyFence(g->vk.device, fence, NULL);
    vkFreeCommandBuffers(g->vk.device, g->command_pool, 1, &cmd);
    vkDestroyBuffer(g->vk.device, staging, NULL);
    vkFreeMemory(g->vk.device, staging_memory, NULL);
    return PLX_SUCCESS;

fail:
    /* A failed vkQueueSubmit leaves nothing pending (the spec: its resources are unaffected). After a failed
     * wait the copy may still run: its own fence is waited again, never the queue (vkQueueWaitIdle needs the
     * queue, which the OpenXR runtime shares, free of other threads: docs/engine.md). If that fails too, for
     * a reason other than a lost device (on which nothing runs any more), what the copy uses is left
     * allocated rather than freed under it. */
    if (submitted) {
        VkResult w = vkWaitForFences(g->vk.device, 1, &fence, VK_TRUE, UINT64_MAX);
        if (w != VK_SUCCESS && w != VK_ERROR_DEVICE_LOST) {
            plx_log(g->report, PLX_LOG_WARN,
                    "plx_gpu_upload_buffer: the copy's fence could not be waited (%s); its %llu-byte buffers "
                    "are left allocated",
                    plx_vk_result_name(w), (unsigned long long)size);
            *out_buffer = VK_NULL_HANDLE;
            *out_memory = VK_NULL_HANDLE;
            return res;
        }
    }
    vkDestroyFence(g->vk.device, fence, NULL);
    if (cmd != VK_NULL_HANDLE) vkFreeCommandBuffers(g->vk.device, g->command_pool, 1, &cmd);
    vkDestroyBuffer(g->vk.device, staging, NULL);
    vkFreeMemory(g->vk.device, staging_memory, NULL);
    vkDestroyBuffer(g->vk.device, *out_buffer, NULL);
    vkFreeMemory(g->vk.device, *out_memory, NULL);
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    return res;
}

void plx_gpu_destroy(plx_gpu *g)
{
    plx_vk_features_free(&g->features);
    free_names(&g->vk.instance_extensions, &g->vk.instance_extension_count);
    free_names(&g->vk.device_extensions, &g->vk.device_extension_count);
    if (g->vk.device) {
        vkDestroyDevice(g->vk.device, NULL);
        g->vk.device = VK_NULL_HANDLE;
    }
    if (g->messenger) g->destroy_messenger(g->vk.instance, g->messenger, NULL);
    g->messenger = VK_NULL_HANDLE;
    if (g->vk.instance) vkDestroyInstance(g->vk.instance, NULL);
    g->vk.instance = VK_NULL_HANDLE;
}
