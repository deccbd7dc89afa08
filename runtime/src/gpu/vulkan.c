/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: Vulkan through XR_KHR_vulkan_enable2: the runtime creates the instance and device so it can
 * add what it needs; we ask for Vulkan 1.1 (multiview is core there) and the validation layer when asked.
 * Also the buffer helpers. May call base/, the GPU clock (clock.c) and the choice of passes (multiview.c). */
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

static bool instance_extension_available(const char *layer, const char *name)
{
    uint32_t n = 0;
    if (vkEnumerateInstanceExtensionProperties(layer, &n, NULL) != VK_SUCCESS || n == 0) return false;
    VkExtensionProperties *props = calloc(n, sizeof *props);
    if (!props) return false;
    bool found = false;
    if (vkEnumerateInstanceExtensionProperties(layer, &n, props) == VK_SUCCESS) {
        for (uint32_t i = 0; i < n && !found; i++) found = strcmp(props[i].extensionName, name) == 0;
    }
    free(props);
    return found;
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
    const char *exts[8];
    uint32_t ext_count = 0;
    if (desc->validation) {
        if (layer_available("VK_LAYER_KHRONOS_validation")) {
            layers[layer_count++] = "VK_LAYER_KHRONOS_validation";
        } else {
            plx_log(g->report, PLX_LOG_WARN,
                    "validation requested but VK_LAYER_KHRONOS_validation is not installed");
        }
        if (instance_extension_available(NULL, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) ||
            (layer_count && instance_extension_available(layers[0], VK_EXT_DEBUG_UTILS_EXTENSION_NAME))) {
            exts[ext_count++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
        }
    }
    for (uint32_t i = 0; i < desc->instance_extension_count && ext_count < 8; i++)
        exts[ext_count++] = desc->instance_extensions[i]; /* the mirror window's */
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
        .enabledExtensionCount = ext_count,
        .ppEnabledExtensionNames = exts,
    };
    XrVulkanInstanceCreateInfoKHR xci = {
        .type = XR_TYPE_VULKAN_INSTANCE_CREATE_INFO_KHR,
        .systemId = desc->system,
        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
        .vulkanCreateInfo = &ci,
    };
    VkResult vr = VK_SUCCESS;
    plx_result res = PLX_XR(g->report, create(desc->xr_instance, &xci, &g->vk.instance, &vr));
    if (res < 0) return res;
    if ((res = PLX_VK(g->report, vr)) < 0) return res;

    /* exts[0] is the debug-utils extension only when validation asked for it (the mirror's come after). */
    if (ext_count && !strcmp(exts[0], VK_EXT_DEBUG_UTILS_EXTENSION_NAME)) {
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

static bool has_device_extension(const VkExtensionProperties *props, uint32_t n, const char *name)
{
    for (uint32_t i = 0; i < n; i++) {
        if (!strcmp(props[i].extensionName, name)) return true;
    }
    return false;
}

/* Device extensions to enable (calibrated timestamps when they reach CLOCK_MONOTONIC); notes whether the
 * device offers VK_KHR_swapchain, which the mirror window's own device needs. Returns how many (at most 4).
 */
static uint32_t device_extensions(plx_gpu *g, const char *names[4])
{
    uint32_t n = 0, count = 0;
    VkPhysicalDevice pd = g->vk.physical_device;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, NULL) != VK_SUCCESS || n == 0) return 0;
    VkExtensionProperties *props = calloc(n, sizeof *props);
    if (!props) return 0;
    if (vkEnumerateDeviceExtensionProperties(pd, NULL, &n, props) != VK_SUCCESS) n = 0;
    if (plx_gpu_clock_wanted(&g->clock, g->vk.instance, pd, props, n))
        names[count++] = VK_EXT_CALIBRATED_TIMESTAMPS_EXTENSION_NAME;
    g->vk.offers_swapchain = has_device_extension(props, n, VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    g->vk.offers_driver_properties = has_device_extension(props, n, VK_KHR_DRIVER_PROPERTIES_EXTENSION_NAME);
    free(props);
    return count;
}

static plx_result create_vk_device(plx_gpu *g, const plx_gpu_desc *desc, PFN_xrCreateVulkanDeviceKHR create)
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
    VkPhysicalDeviceMultiviewFeatures mv_on = {
        .sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES,
        .multiview = VK_TRUE,
    };
    const char *dev_exts[4];
    uint32_t dev_ext_count = device_extensions(g, dev_exts);
    plx_gpu_multiview_choose(g); /* needs offers_driver_properties */
    VkDeviceCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .pNext = &mv_on,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &qi,
        .enabledExtensionCount = dev_ext_count,
        .ppEnabledExtensionNames = dev_exts,
    };
    XrVulkanDeviceCreateInfoKHR xci = {
        .type = XR_TYPE_VULKAN_DEVICE_CREATE_INFO_KHR,
        .systemId = desc->system,
        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
        .vulkanPhysicalDevice = g->vk.physical_device,
        .vulkanCreateInfo = &ci,
    };
    VkResult vr = VK_SUCCESS;
    plx_result res = PLX_XR(g->report, create(desc->xr_instance, &xci, &g->vk.device, &vr));
    if (res < 0) return res;
    if ((res = PLX_VK(g->report, vr)) < 0) return res;
    vkGetDeviceQueue(g->vk.device, family, 0, &g->vk.queue);
    vkGetPhysicalDeviceMemoryProperties(g->vk.physical_device, &g->vk.memory_properties);
    plx_gpu_clock_device_ready(&g->clock, g->report, &g->vk); /* calibrated timestamps */
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
    const XrVersion want = XR_MAKE_VERSION(1, 1, 0);
    /* "max" is only the newest version the runtime was tested with, so asking above it is allowed. */
    if (req.maxApiVersionSupported < want)
        plx_log(g->report, PLX_LOG_WARN,
                "the OpenXR runtime was tested with Vulkan up to %u.%u; Parallax asks for 1.1",
                (unsigned)XR_VERSION_MAJOR(req.maxApiVersionSupported),
                (unsigned)XR_VERSION_MINOR(req.maxApiVersionSupported));
    XrVersion use = want < req.minApiVersionSupported ? req.minApiVersionSupported : want;
    uint32_t api = VK_MAKE_API_VERSION(0, XR_VERSION_MAJOR(use), XR_VERSION_MINOR(use), 0);

    if ((res = create_vk_instance(g, desc, create_instance, api)) < 0) return res;
    XrVulkanGraphicsDeviceGetInfoKHR gi = {
        .type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
        .systemId = desc->system,
        .vulkanInstance = g->vk.instance,
    };
    if ((res = PLX_XR(g->report, get_device(desc->xr_instance, &gi, &g->vk.physical_device))) < 0) return res;
    return create_vk_device(g, desc, create_device);
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
    /* Uploads happen at scene setup, so waiting here costs nothing per frame and keeps ownership simple. */
    res = PLX_VK(g->report, vkWaitForFences(g->vk.device, 1, &fence, VK_TRUE, UINT64_MAX));
    if (res < 0) goto fail;
    vkDestroyFence(g->vk.device, fence, NULL);
    vkFreeCommandBuffers(g->vk.device, g->command_pool, 1, &cmd);
    vkDestroyBuffer(g->vk.device, staging, NULL);
    vkFreeMemory(g->vk.device, staging_memory, NULL);
    return PLX_SUCCESS;

fail:
    /* A failed submit or wait may leave the copy pending: wait for the queue before freeing what it uses. */
    if (fence != VK_NULL_HANDLE) vkQueueWaitIdle(g->vk.queue);
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
    if (g->vk.device) {
        vkDestroyDevice(g->vk.device, NULL);
        g->vk.device = VK_NULL_HANDLE;
    }
    if (g->messenger) g->destroy_messenger(g->vk.instance, g->messenger, NULL);
    g->messenger = VK_NULL_HANDLE;
    if (g->vk.instance) vkDestroyInstance(g->vk.instance, NULL);
    g->vk.instance = VK_NULL_HANDLE;
}
