/* Vulkan through XR_KHR_vulkan_enable2: the runtime creates the instance and device so it can add what it
 * needs; we ask for Vulkan 1.1 (multiview is core there) and the validation layer when asked. Also the
 * objects every frame uses: render pass, per-frame slots, timestamp queries, and buffer helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

static VKAPI_ATTR VkBool32 VKAPI_CALL vk_debug_callback(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                        VkDebugUtilsMessageTypeFlagsEXT types,
                                                        const VkDebugUtilsMessengerCallbackDataEXT *data,
                                                        void *user)
{
    plx_context *ctx = user;
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
    if (counted) atomic_fetch_add(&ctx->validation_messages, 1);
    plx_log(ctx, level, "Vulkan %s: %s", data && data->pMessageIdName ? data->pMessageIdName : "",
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

static plx_result get_xr_proc(plx_context *ctx, const char *name, PFN_xrVoidFunction *out)
{
    XrResult xr = xrGetInstanceProcAddr(ctx->instance, name, out);
    if (XR_FAILED(xr) || !*out)
        return PLX_FAIL(ctx, PLX_ERROR_XR, "xrGetInstanceProcAddr(%s) failed: %s", name,
                        plx_xr_result_name(xr));
    return PLX_SUCCESS;
}

static plx_result create_vk_instance(plx_context *ctx, PFN_xrCreateVulkanInstanceKHR create,
                                     uint32_t api_version)
{
    const char *layers[1];
    uint32_t layer_count = 0;
    const char *exts[8];
    uint32_t ext_count = 0;
    if (ctx->validation) {
        if (layer_available("VK_LAYER_KHRONOS_validation")) {
            layers[layer_count++] = "VK_LAYER_KHRONOS_validation";
        } else {
            plx_log(ctx, PLX_LOG_WARN,
                    "validation requested but VK_LAYER_KHRONOS_validation is not installed");
        }
        if (instance_extension_available(NULL, VK_EXT_DEBUG_UTILS_EXTENSION_NAME) ||
            (layer_count && instance_extension_available(layers[0], VK_EXT_DEBUG_UTILS_EXTENSION_NAME))) {
            exts[ext_count++] = VK_EXT_DEBUG_UTILS_EXTENSION_NAME;
        }
    }
    ext_count += plx_timeline_instance_extensions(ctx, exts + ext_count, 8 - ext_count); /* mirror */
    VkApplicationInfo app = {
        .sType = VK_STRUCTURE_TYPE_APPLICATION_INFO,
        .pApplicationName = "parallax",
        .pEngineName = "Parallax",
        .engineVersion = VK_MAKE_API_VERSION(0, 0, 1, 0),
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
        .systemId = ctx->system,
        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
        .vulkanCreateInfo = &ci,
    };
    VkResult vr = VK_SUCCESS;
    plx_result res = PLX_XR(ctx, create(ctx->instance, &xci, &ctx->vk_instance, &vr));
    if (res < 0) return res;
    if ((res = PLX_VK(ctx, vr)) < 0) return res;

    /* exts[0] is the debug-utils extension only when validation asked for it (the mirror's come after). */
    if (ext_count && !strcmp(exts[0], VK_EXT_DEBUG_UTILS_EXTENSION_NAME)) {
        PFN_vkCreateDebugUtilsMessengerEXT create_messenger =
            (PFN_vkCreateDebugUtilsMessengerEXT)vkGetInstanceProcAddr(ctx->vk_instance,
                                                                      "vkCreateDebugUtilsMessengerEXT");
        ctx->vkDestroyDebugUtilsMessengerEXT = (PFN_vkDestroyDebugUtilsMessengerEXT)vkGetInstanceProcAddr(
            ctx->vk_instance, "vkDestroyDebugUtilsMessengerEXT");
        if (!create_messenger || !ctx->vkDestroyDebugUtilsMessengerEXT)
            return PLX_FAIL(ctx, PLX_ERROR_VULKAN,
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
            .pUserData = ctx,
        };
        res = PLX_VK(ctx, create_messenger(ctx->vk_instance, &mi, NULL, &ctx->vk_messenger));
        if (res < 0) return res;
    }
    return PLX_SUCCESS;
}

static plx_result create_vk_device(plx_context *ctx, PFN_xrCreateVulkanDeviceKHR create)
{
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(ctx->physical_device, &props);
    plx_log(ctx, PLX_LOG_INFO, "Vulkan device: %s (API %u.%u)", props.deviceName,
            VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));
    if (props.apiVersion < VK_API_VERSION_1_1)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "Vulkan device %s supports only API %u.%u; Parallax needs 1.1", props.deviceName,
                        VK_API_VERSION_MAJOR(props.apiVersion), VK_API_VERSION_MINOR(props.apiVersion));

    VkPhysicalDeviceMultiviewFeatures mv = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_MULTIVIEW_FEATURES};
    VkPhysicalDeviceFeatures2 f2 = {.sType = VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2, .pNext = &mv};
    vkGetPhysicalDeviceFeatures2(ctx->physical_device, &f2);
    if (!mv.multiview)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "Vulkan device %s has no multiview", props.deviceName);

    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(ctx->physical_device, &n, NULL);
    VkQueueFamilyProperties qf[32];
    if (n > 32) n = 32;
    vkGetPhysicalDeviceQueueFamilyProperties(ctx->physical_device, &n, qf);
    uint32_t family = UINT32_MAX;
    for (uint32_t i = 0; i < n && family == UINT32_MAX; i++) {
        if (qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT) family = i;
    }
    if (family == UINT32_MAX)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "Vulkan device %s has no graphics queue",
                        props.deviceName);
    ctx->queue_family_index = family;
    ctx->timestamps = qf[family].timestampValidBits > 0 && props.limits.timestampPeriod > 0;
    ctx->timestamp_period_ns = props.limits.timestampPeriod;
    ctx->timestamp_mask =
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
    uint32_t dev_ext_count = plx_timeline_device_extensions(ctx, ctx->physical_device, dev_exts, 4);
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
        .systemId = ctx->system,
        .pfnGetInstanceProcAddr = vkGetInstanceProcAddr,
        .vulkanPhysicalDevice = ctx->physical_device,
        .vulkanCreateInfo = &ci,
    };
    VkResult vr = VK_SUCCESS;
    plx_result res = PLX_XR(ctx, create(ctx->instance, &xci, &ctx->device, &vr));
    if (res < 0) return res;
    if ((res = PLX_VK(ctx, vr)) < 0) return res;
    vkGetDeviceQueue(ctx->device, family, 0, &ctx->queue);
    vkGetPhysicalDeviceMemoryProperties(ctx->physical_device, &ctx->memory_properties);
    plx_timeline_device_ready(ctx); /* calibrated timestamps */
    return PLX_SUCCESS;
}

plx_result plx_vk_create(plx_context *ctx)
{
    PFN_xrGetVulkanGraphicsRequirements2KHR get_requirements = NULL;
    PFN_xrCreateVulkanInstanceKHR create_instance = NULL;
    PFN_xrGetVulkanGraphicsDevice2KHR get_device = NULL;
    PFN_xrCreateVulkanDeviceKHR create_device = NULL;
    plx_result res;
    if ((res = get_xr_proc(ctx, "xrGetVulkanGraphicsRequirements2KHR",
                           (PFN_xrVoidFunction *)&get_requirements)) < 0 ||
        (res = get_xr_proc(ctx, "xrCreateVulkanInstanceKHR", (PFN_xrVoidFunction *)&create_instance)) < 0 ||
        (res = get_xr_proc(ctx, "xrGetVulkanGraphicsDevice2KHR", (PFN_xrVoidFunction *)&get_device)) < 0 ||
        (res = get_xr_proc(ctx, "xrCreateVulkanDeviceKHR", (PFN_xrVoidFunction *)&create_device)) < 0)
        return res;

    /* The spec requires this call before xrCreateSession; it also bounds the API version we may ask for. */
    XrGraphicsRequirementsVulkan2KHR req = {.type = XR_TYPE_GRAPHICS_REQUIREMENTS_VULKAN2_KHR};
    if ((res = PLX_XR(ctx, get_requirements(ctx->instance, ctx->system, &req))) < 0) return res;
    const XrVersion want = XR_MAKE_VERSION(1, 1, 0);
    /* "max" is only the newest version the runtime was tested with, so asking above it is allowed. */
    if (req.maxApiVersionSupported < want)
        plx_log(ctx, PLX_LOG_WARN,
                "the OpenXR runtime was tested with Vulkan up to %u.%u; Parallax asks for 1.1",
                (unsigned)XR_VERSION_MAJOR(req.maxApiVersionSupported),
                (unsigned)XR_VERSION_MINOR(req.maxApiVersionSupported));
    XrVersion use = want < req.minApiVersionSupported ? req.minApiVersionSupported : want;
    uint32_t api = VK_MAKE_API_VERSION(0, XR_VERSION_MAJOR(use), XR_VERSION_MINOR(use), 0);

    if ((res = create_vk_instance(ctx, create_instance, api)) < 0) return res;
    XrVulkanGraphicsDeviceGetInfoKHR gi = {
        .type = XR_TYPE_VULKAN_GRAPHICS_DEVICE_GET_INFO_KHR,
        .systemId = ctx->system,
        .vulkanInstance = ctx->vk_instance,
    };
    if ((res = PLX_XR(ctx, get_device(ctx->instance, &gi, &ctx->physical_device))) < 0) return res;
    return create_vk_device(ctx, create_device);
}

plx_result plx_vk_find_memory(plx_context *ctx, uint32_t type_bits, VkMemoryPropertyFlags want,
                              uint32_t *out_type)
{
    const VkPhysicalDeviceMemoryProperties *mp = &ctx->memory_properties;
    for (uint32_t i = 0; i < mp->memoryTypeCount; i++) {
        if ((type_bits & (1u << i)) && (mp->memoryTypes[i].propertyFlags & want) == want) {
            *out_type = i;
            return PLX_SUCCESS;
        }
    }
    return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "no Vulkan memory type with properties 0x%x for bits 0x%x",
                    (unsigned)want, (unsigned)type_bits);
}

plx_result plx_vk_create_buffer(plx_context *ctx, VkDeviceSize size, VkBufferUsageFlags usage,
                                VkMemoryPropertyFlags props, VkBuffer *out_buffer, VkDeviceMemory *out_memory)
{
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = size,
        .usage = usage,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
    };
    plx_result res = PLX_VK(ctx, vkCreateBuffer(ctx->device, &bi, NULL, out_buffer));
    if (res < 0) return res;
    VkMemoryRequirements mr;
    vkGetBufferMemoryRequirements(ctx->device, *out_buffer, &mr);
    uint32_t type = 0;
    if ((res = plx_vk_find_memory(ctx, mr.memoryTypeBits, props, &type)) < 0) goto fail;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = mr.size,
        .memoryTypeIndex = type,
    };
    if ((res = PLX_VK(ctx, vkAllocateMemory(ctx->device, &ai, NULL, out_memory))) < 0) goto fail;
    if ((res = PLX_VK(ctx, vkBindBufferMemory(ctx->device, *out_buffer, *out_memory, 0))) < 0) goto fail;
    return PLX_SUCCESS;
fail:
    vkDestroyBuffer(ctx->device, *out_buffer, NULL);
    vkFreeMemory(ctx->device, *out_memory, NULL);
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    return res;
}

plx_result plx_vk_upload_buffer(plx_context *ctx, const void *data, VkDeviceSize size,
                                VkBufferUsageFlags usage, VkBuffer *out_buffer, VkDeviceMemory *out_memory)
{
    VkBuffer staging = VK_NULL_HANDLE;
    VkDeviceMemory staging_memory = VK_NULL_HANDLE;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    plx_result res =
        plx_vk_create_buffer(ctx, size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                             VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                             &staging, &staging_memory);
    if (res < 0) goto fail;
    void *mapped = NULL;
    if ((res = PLX_VK(ctx, vkMapMemory(ctx->device, staging_memory, 0, size, 0, &mapped))) < 0) goto fail;
    memcpy(mapped, data, (size_t)size);
    vkUnmapMemory(ctx->device, staging_memory);
    res = plx_vk_create_buffer(ctx, size, usage | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                               VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, out_buffer, out_memory);
    if (res < 0) goto fail;

    VkCommandBufferAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = ctx->command_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    if ((res = PLX_VK(ctx, vkAllocateCommandBuffers(ctx->device, &ai, &cmd))) < 0) goto fail;
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if ((res = PLX_VK(ctx, vkCreateFence(ctx->device, &fi, NULL, &fence))) < 0) goto fail;
    VkCommandBufferBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    if ((res = PLX_VK(ctx, vkBeginCommandBuffer(cmd, &bi))) < 0) goto fail;
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
    if ((res = PLX_VK(ctx, vkEndCommandBuffer(cmd))) < 0) goto fail;
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    if ((res = PLX_VK(ctx, vkQueueSubmit(ctx->queue, 1, &si, fence))) < 0) goto fail;
    /* Uploads happen at scene setup, so waiting here costs nothing per frame and keeps ownership simple. */
    res = PLX_VK(ctx, vkWaitForFences(ctx->device, 1, &fence, VK_TRUE, UINT64_MAX));
    if (res < 0) goto fail;
    vkDestroyFence(ctx->device, fence, NULL);
    vkFreeCommandBuffers(ctx->device, ctx->command_pool, 1, &cmd);
    vkDestroyBuffer(ctx->device, staging, NULL);
    vkFreeMemory(ctx->device, staging_memory, NULL);
    return PLX_SUCCESS;

fail:
    /* A failed submit or wait may leave the copy pending: wait for the queue before freeing what it uses. */
    if (fence != VK_NULL_HANDLE) vkQueueWaitIdle(ctx->queue);
    vkDestroyFence(ctx->device, fence, NULL);
    if (cmd != VK_NULL_HANDLE) vkFreeCommandBuffers(ctx->device, ctx->command_pool, 1, &cmd);
    vkDestroyBuffer(ctx->device, staging, NULL);
    vkFreeMemory(ctx->device, staging_memory, NULL);
    vkDestroyBuffer(ctx->device, *out_buffer, NULL);
    vkFreeMemory(ctx->device, *out_memory, NULL);
    *out_buffer = VK_NULL_HANDLE;
    *out_memory = VK_NULL_HANDLE;
    return res;
}

static plx_result create_render_pass(plx_context *ctx)
{
    bool keep_depth = ctx->depth.handle != XR_NULL_HANDLE;
    VkAttachmentDescription att[2] = {
        {
            .format = ctx->color.format,
            .samples = VK_SAMPLE_COUNT_1_BIT,
            .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
            .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            /* Cleared every frame, so the previous contents do not matter; OpenXR wants the image back in
             * COLOR_ATTACHMENT_OPTIMAL at release. */
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        },
        {
            .format = ctx->depth_format,
            .samples = VK_SAMPLE_COUNT_1_BIT,
            .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
            /* The depth swapchain is submitted to the compositor (for reprojection), so it must be stored. */
            .storeOp = keep_depth ? VK_ATTACHMENT_STORE_OP_STORE : VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
        },
    };
    VkAttachmentReference color_ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference depth_ref = {1, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
        .colorAttachmentCount = 1,
        .pColorAttachments = &color_ref,
        .pDepthStencilAttachment = &depth_ref,
    };
    /* The previous frame's writes to the same attachments (an internal depth image is shared by all frames)
     * must finish before this frame clears them. */
    VkSubpassDependency dep = {
        .srcSubpass = VK_SUBPASS_EXTERNAL,
        .dstSubpass = 0,
        .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                        VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                        VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
        .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                        VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                        VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
        .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT |
                         VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                         VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT,
    };
    /* Both eyes in one pass: view i renders to layer i; the views are correlated (nearly the same geometry).
     */
    const uint32_t view_mask = 0x3, correlation_mask = 0x3;
    VkRenderPassMultiviewCreateInfo mv = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_MULTIVIEW_CREATE_INFO,
        .subpassCount = 1,
        .pViewMasks = &view_mask,
        .correlationMaskCount = 1,
        .pCorrelationMasks = &correlation_mask,
    };
    VkRenderPassCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
        .pNext = &mv,
        .attachmentCount = 2,
        .pAttachments = att,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 1,
        .pDependencies = &dep,
    };
    return PLX_VK(ctx, vkCreateRenderPass(ctx->device, &ci, NULL, &ctx->render_pass));
}

static plx_result create_slot(plx_context *ctx, plx_frame_slot *slot)
{
    VkCommandBufferAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = ctx->command_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    plx_result res = PLX_VK(ctx, vkAllocateCommandBuffers(ctx->device, &ai, &slot->cmd));
    if (res < 0) return res;
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if ((res = PLX_VK(ctx, vkCreateFence(ctx->device, &fi, NULL, &slot->fence))) < 0) return res;
    /* Host-coherent and persistently mapped: the late latch writes the matrices right before vkQueueSubmit,
     * and the submission itself makes host writes visible to the device. */
    res = plx_vk_create_buffer(ctx, sizeof(plx_frame_uniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                               VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                               &slot->ubo, &slot->ubo_memory);
    if (res < 0) return res;
    void *mapped = NULL;
    res = PLX_VK(ctx, vkMapMemory(ctx->device, slot->ubo_memory, 0, sizeof(plx_frame_uniforms), 0, &mapped));
    if (res < 0) return res;
    slot->ubo_mapped = mapped;
    memset(slot->ubo_mapped, 0, sizeof *slot->ubo_mapped);
    VkDescriptorSetAllocateInfo di = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = ctx->descriptor_pool,
        .descriptorSetCount = 1,
        .pSetLayouts = &ctx->frame_set_layout,
    };
    if ((res = PLX_VK(ctx, vkAllocateDescriptorSets(ctx->device, &di, &slot->set))) < 0) return res;
    VkDescriptorBufferInfo dbi = {.buffer = slot->ubo, .offset = 0, .range = sizeof(plx_frame_uniforms)};
    VkWriteDescriptorSet w = {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstSet = slot->set,
        .dstBinding = 0,
        .descriptorCount = 1,
        .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
        .pBufferInfo = &dbi,
    };
    vkUpdateDescriptorSets(ctx->device, 1, &w, 0, NULL);
    return PLX_SUCCESS;
}

plx_result plx_vk_create_frame_resources(plx_context *ctx)
{
    plx_result res = create_render_pass(ctx);
    if (res < 0) return res;
    VkDescriptorSetLayoutBinding b = {
        .binding = 0,
        .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT,
    };
    VkDescriptorSetLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO,
        .bindingCount = 1,
        .pBindings = &b,
    };
    if ((res = PLX_VK(ctx, vkCreateDescriptorSetLayout(ctx->device, &li, NULL, &ctx->frame_set_layout))) < 0)
        return res;
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, PLX_MAX_FRAMES_IN_FLIGHT};
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = PLX_MAX_FRAMES_IN_FLIGHT,
        .poolSizeCount = 1,
        .pPoolSizes = &ps,
    };
    if ((res = PLX_VK(ctx, vkCreateDescriptorPool(ctx->device, &pi, NULL, &ctx->descriptor_pool))) < 0)
        return res;
    VkCommandPoolCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = ctx->queue_family_index,
    };
    if ((res = PLX_VK(ctx, vkCreateCommandPool(ctx->device, &ci, NULL, &ctx->command_pool))) < 0) return res;
    for (uint32_t i = 0; i < ctx->frames_in_flight; i++) {
        if ((res = create_slot(ctx, &ctx->slots[i])) < 0) return res;
    }
    if (ctx->timestamps) {
        VkQueryPoolCreateInfo qi = {
            .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
            .queryType = VK_QUERY_TYPE_TIMESTAMP,
            .queryCount = 2 * PLX_MAX_FRAMES_IN_FLIGHT,
        };
        if ((res = PLX_VK(ctx, vkCreateQueryPool(ctx->device, &qi, NULL, &ctx->query_pool))) < 0) return res;
    }
    return PLX_SUCCESS;
}

void plx_vk_wait_idle(plx_context *ctx)
{
    if (!ctx->device) return;
    /* Our own fences, not vkDeviceWaitIdle: the runtime may be using the queue from its compositor thread,
     * and vkDeviceWaitIdle would need us to own every queue. */
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        plx_frame_slot *slot = &ctx->slots[i];
        if (!slot->in_flight) continue;
        PLX_VK(ctx, vkWaitForFences(ctx->device, 1, &slot->fence, VK_TRUE, UINT64_MAX));
        plx_stats_harvest_slot(ctx, slot);
    }
}

void plx_vk_destroy(plx_context *ctx)
{
    if (ctx->device) {
        for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
            plx_frame_slot *slot = &ctx->slots[i];
            if (slot->ubo_mapped) vkUnmapMemory(ctx->device, slot->ubo_memory);
            vkDestroyBuffer(ctx->device, slot->ubo, NULL);
            vkFreeMemory(ctx->device, slot->ubo_memory, NULL);
            vkDestroyFence(ctx->device, slot->fence, NULL);
        }
        vkDestroyQueryPool(ctx->device, ctx->query_pool, NULL);
        vkDestroyCommandPool(ctx->device, ctx->command_pool, NULL); /* frees the slots' command buffers */
        vkDestroyDescriptorPool(ctx->device, ctx->descriptor_pool, NULL);
        vkDestroyDescriptorSetLayout(ctx->device, ctx->frame_set_layout, NULL);
        vkDestroyRenderPass(ctx->device, ctx->render_pass, NULL);
        vkDestroyDevice(ctx->device, NULL);
        ctx->device = VK_NULL_HANDLE;
    }
    if (ctx->vk_messenger) ctx->vkDestroyDebugUtilsMessengerEXT(ctx->vk_instance, ctx->vk_messenger, NULL);
    if (ctx->vk_instance) vkDestroyInstance(ctx->vk_instance, NULL);
    ctx->vk_instance = VK_NULL_HANDLE;
}
