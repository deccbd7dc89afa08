/* SPDX-License-Identifier: MIT */
/* Vulkan swapchains of the simulated headset: formats, image creation, enumeration, and the
 * acquire / wait / release protocol. Images are handed out round-robin (FIFO), so the image the app gets
 * is always the one released longest ago. Colour images carry TRANSFER_SRC so the compositor can read them
 * back for captures and the preview window.
 * Layer: openxr (the upper part), above faults_apply.c; calls faults_apply.c (acquire and wait faults),
 * session.c, handles.c, device/compositor.c (waits for its copies before images go), device/composite.c
 * (which colour formats the compositor reads), device/clock.c and base/. */
#include "openxr/sim_entry_points.h"

#include <stdlib.h>
#include <string.h>

#include "device/sim_composite.h"

#define SIM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Preference order: sRGB colour first (what a correct app wants), then 8-bit UNORM, then the wider linear
 * formats engines use for HDR or precision, then depth. The compositor reads every colour format offered
 * (sim_composite_texel_size). */
static const VkFormat k_color_formats[] = {
    VK_FORMAT_R8G8B8A8_SRGB,           VK_FORMAT_B8G8R8A8_SRGB,       VK_FORMAT_R8G8B8A8_UNORM,
    VK_FORMAT_B8G8R8A8_UNORM,          VK_FORMAT_R16G16B16A16_SFLOAT, VK_FORMAT_A2B10G10R10_UNORM_PACK32,
    VK_FORMAT_B10G11R11_UFLOAT_PACK32, VK_FORMAT_R16G16B16A16_UNORM};
static const VkFormat k_depth_formats[] = {VK_FORMAT_D32_SFLOAT, VK_FORMAT_D24_UNORM_S8_UINT,
                                           VK_FORMAT_D16_UNORM};

static bool format_supported(const sim_session *s, VkFormat f)
{
    if (!sim_vk_format_is_depth(f) && sim_composite_texel_size(f) == 0) return false;
    VkFormatProperties p;
    s->vk.GetPhysicalDeviceFormatProperties(s->vk.physical_device, f, &p);
    VkFormatFeatureFlags need =
        sim_vk_format_is_depth(f)
            ? VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT
            : (VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT | VK_FORMAT_FEATURE_TRANSFER_SRC_BIT);
    return (p.optimalTilingFeatures & need) == need;
}

#define SIM_MAX_FORMATS (SIM_ARRAY_LEN(k_color_formats) + SIM_ARRAY_LEN(k_depth_formats))

/* The formats offered, in order: PARALLAX_SIM_SWAPCHAIN_FORMATS's list (another runtime's order), or the
 * preference order above; either way only those the device renders to. */
static uint32_t supported_formats(const sim_session *s, int64_t out[SIM_MAX_FORMATS])
{
    uint32_t n = 0;
    const sim_config *cfg = &s->inst->cfg;
    if (cfg->swapchain_format_count > 0) {
        for (uint32_t i = 0; i < cfg->swapchain_format_count && n < SIM_MAX_FORMATS; i++)
            if (format_supported(s, (VkFormat)cfg->swapchain_formats[i]))
                out[n++] = cfg->swapchain_formats[i];
        return n;
    }
    for (size_t i = 0; i < SIM_ARRAY_LEN(k_color_formats); i++)
        if (format_supported(s, k_color_formats[i])) out[n++] = k_color_formats[i];
    for (size_t i = 0; i < SIM_ARRAY_LEN(k_depth_formats); i++)
        if (format_supported(s, k_depth_formats[i])) out[n++] = k_depth_formats[i];
    return n;
}

SIM_FN(xrEnumerateSwapchainFormats)
(XrSession session, uint32_t formatCapacityInput, uint32_t *formatCountOutput, int64_t *formats)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    int64_t list[SIM_MAX_FORMATS];
    uint32_t n = supported_formats(s, list);
    if ((r = sim_two_call(formatCapacityInput, formatCountOutput, formats, n)) != XR_SUCCESS ||
        formatCapacityInput == 0)
        return r;
    memcpy(formats, list, n * sizeof(*formats));
    return XR_SUCCESS;
}

static void free_images(sim_session *s, sim_swapchain *sc)
{
    for (uint32_t i = 0; i < SIM_MAX_SWAPCHAIN_IMAGES; i++) {
        if (sc->images[i]) s->vk.DestroyImage(s->vk.device, sc->images[i], NULL);
        if (sc->memory[i]) s->vk.FreeMemory(s->vk.device, sc->memory[i], NULL);
        sc->images[i] = VK_NULL_HANDLE;
        sc->memory[i] = VK_NULL_HANDLE;
    }
}

static XrResult create_images(sim_session *s, sim_swapchain *sc, VkImageUsageFlags usage,
                              VkImageCreateFlags flags)
{
    const XrSwapchainCreateInfo *ci = &sc->info;
    for (uint32_t i = 0; i < sc->image_count; i++) {
        VkImageCreateInfo ici = {.sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
                                 .flags = flags,
                                 .imageType = VK_IMAGE_TYPE_2D,
                                 .format = (VkFormat)ci->format,
                                 .extent = {ci->width, ci->height, 1},
                                 .mipLevels = ci->mipCount,
                                 .arrayLayers = ci->arraySize,
                                 .samples = (VkSampleCountFlagBits)ci->sampleCount,
                                 .tiling = VK_IMAGE_TILING_OPTIMAL,
                                 .usage = usage,
                                 .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
                                 .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED};
        VkResult vr = s->vk.CreateImage(s->vk.device, &ici, NULL, &sc->images[i]);
        if (vr != VK_SUCCESS) {
            sim_log(SIM_LOG_ERROR, "xrCreateSwapchain: vkCreateImage failed: %s", sim_vk_result_string(vr));
            return vr == VK_ERROR_OUT_OF_HOST_MEMORY ? XR_ERROR_OUT_OF_MEMORY : XR_ERROR_RUNTIME_FAILURE;
        }
        VkMemoryRequirements req;
        s->vk.GetImageMemoryRequirements(s->vk.device, sc->images[i], &req);
        uint32_t type =
            sim_vk_memory_type(&s->vk, req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
        if (type == UINT32_MAX) type = sim_vk_memory_type(&s->vk, req.memoryTypeBits, 0, 0);
        if (type == UINT32_MAX) {
            sim_log(SIM_LOG_ERROR, "xrCreateSwapchain: no memory type for the swapchain image");
            return XR_ERROR_RUNTIME_FAILURE;
        }
        VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                                    .allocationSize = req.size,
                                    .memoryTypeIndex = type};
        vr = s->vk.AllocateMemory(s->vk.device, &mai, NULL, &sc->memory[i]);
        if (vr != VK_SUCCESS) {
            sim_log(SIM_LOG_ERROR, "xrCreateSwapchain: vkAllocateMemory failed: %s",
                    sim_vk_result_string(vr));
            return XR_ERROR_OUT_OF_MEMORY;
        }
        vr = s->vk.BindImageMemory(s->vk.device, sc->images[i], sc->memory[i], 0);
        if (vr != VK_SUCCESS) {
            sim_log(SIM_LOG_ERROR, "xrCreateSwapchain: vkBindImageMemory failed: %s",
                    sim_vk_result_string(vr));
            return XR_ERROR_RUNTIME_FAILURE;
        }
    }
    return XR_SUCCESS;
}

SIM_FN(xrCreateSwapchain)(XrSession session, const XrSwapchainCreateInfo *createInfo, XrSwapchain *swapchain)
{
    const char *fn = "xrCreateSwapchain";
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    SIM_REQUIRE_IN(s->inst, createInfo, XR_TYPE_SWAPCHAIN_CREATE_INFO, XrSwapchainCreateInfo);
    SIM_REQUIRE_OUT(s->inst, swapchain, "an XrSwapchain handle");
    const XrSwapchainCreateInfo *ci = createInfo;
    const XrSwapchainCreateFlags known_flags =
        XR_SWAPCHAIN_CREATE_PROTECTED_CONTENT_BIT | XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT;
    if (ci->createFlags & ~known_flags) {
        return sim_reject(s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                          "createInfo->createFlags 0x%llx has bits no XrSwapchainCreateFlagBits names "
                          "(VUID-XrSwapchainCreateInfo-createFlags-parameter: a valid combination of "
                          "XrSwapchainCreateFlagBits)",
                          (unsigned long long)ci->createFlags);
    }
    if (ci->createFlags & XR_SWAPCHAIN_CREATE_PROTECTED_CONTENT_BIT) {
        return sim_reject(s->inst, fn, XR_ERROR_FEATURE_UNSUPPORTED,
                          "createInfo->createFlags has XR_SWAPCHAIN_CREATE_PROTECTED_CONTENT_BIT, which this "
                          "runtime does not support (spec XrSwapchainCreateFlagBits: "
                          "XR_ERROR_FEATURE_UNSUPPORTED then)");
    }
    int64_t formats[SIM_MAX_FORMATS];
    uint32_t nformats = supported_formats(s, formats);
    bool known = false;
    for (uint32_t i = 0; i < nformats; i++) known |= formats[i] == ci->format;
    if (!known) {
        return sim_reject(s->inst, fn, XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED,
                          "createInfo->format %lld is not one xrEnumerateSwapchainFormats returned (spec "
                          "xrCreateSwapchain: XR_ERROR_SWAPCHAIN_FORMAT_UNSUPPORTED)",
                          (long long)ci->format);
    }
    const bool depth = sim_vk_format_is_depth((VkFormat)ci->format);
    const XrSwapchainUsageFlags known_usage =
        XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
        XR_SWAPCHAIN_USAGE_UNORDERED_ACCESS_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT |
        XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT | XR_SWAPCHAIN_USAGE_SAMPLED_BIT |
        XR_SWAPCHAIN_USAGE_MUTABLE_FORMAT_BIT;
    if ((ci->usageFlags & ~known_usage) ||
        (depth && (ci->usageFlags & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT)) ||
        (!depth && (ci->usageFlags & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT))) {
        return sim_reject(
            s->inst, fn, XR_ERROR_FEATURE_UNSUPPORTED,
            "createInfo->usageFlags 0x%llx do not suit format %lld: %s (spec xrCreateSwapchain: "
            "XR_ERROR_FEATURE_UNSUPPORTED for usage the format does not support)",
            (unsigned long long)ci->usageFlags, (long long)ci->format,
            (ci->usageFlags & ~known_usage) ? "bits no XrSwapchainUsageFlagBits names"
            : depth                         ? "COLOR_ATTACHMENT on a depth format"
                                            : "DEPTH_STENCIL_ATTACHMENT on a colour format");
    }
    if (ci->width == 0 || ci->height == 0 || ci->faceCount != 1 || ci->arraySize == 0 || ci->mipCount == 0 ||
        ci->sampleCount == 0) {
        const char *field = ci->width == 0         ? "width"
                            : ci->height == 0      ? "height"
                            : ci->arraySize == 0   ? "arraySize"
                            : ci->mipCount == 0    ? "mipCount"
                            : ci->sampleCount == 0 ? "sampleCount"
                                                   : NULL;
        if (field)
            return sim_reject(s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                              "createInfo->%s is 0 (spec XrSwapchainCreateInfo: width, height, sampleCount, "
                              "arraySize and mipCount must be at least 1)",
                              field);
        return sim_reject(
            s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
            "createInfo->faceCount is %u (spec XrSwapchainCreateInfo: 6 for a cubemap, else 1; this "
            "runtime makes no cubemaps)",
            ci->faceCount);
    }

    VkImageUsageFlags usage = 0;
    if (ci->usageFlags & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT)
        usage |= VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT;
    if (ci->usageFlags & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT)
        usage |= VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT;
    if (ci->usageFlags & XR_SWAPCHAIN_USAGE_UNORDERED_ACCESS_BIT) usage |= VK_IMAGE_USAGE_STORAGE_BIT;
    if (ci->usageFlags & XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT) usage |= VK_IMAGE_USAGE_TRANSFER_SRC_BIT;
    if (ci->usageFlags & XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT) usage |= VK_IMAGE_USAGE_TRANSFER_DST_BIT;
    if (ci->usageFlags & XR_SWAPCHAIN_USAGE_SAMPLED_BIT) usage |= VK_IMAGE_USAGE_SAMPLED_BIT;
    /* The layout handover of XR_KHR_vulkan_enable is in attachment layouts, whatever the app asked for. */
    usage |= depth ? VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT
                   : (VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT);
    VkImageCreateFlags flags =
        (ci->usageFlags & XR_SWAPCHAIN_USAGE_MUTABLE_FORMAT_BIT) ? VK_IMAGE_CREATE_MUTABLE_FORMAT_BIT : 0;

    /* Sizes, layers, mips and samples against what the device can make for this format and usage. */
    PFN_vkGetPhysicalDeviceImageFormatProperties image_props =
        (PFN_vkGetPhysicalDeviceImageFormatProperties)s->vk.gipa(s->vk.instance,
                                                                 "vkGetPhysicalDeviceImageFormatProperties");
    if (!image_props) {
        sim_log(SIM_LOG_ERROR,
                "%s: vkGetPhysicalDeviceImageFormatProperties is missing: XR_ERROR_RUNTIME_FAILURE", fn);
        return XR_ERROR_RUNTIME_FAILURE;
    }
    VkImageFormatProperties ip;
    VkResult vr = image_props(s->vk.physical_device, (VkFormat)ci->format, VK_IMAGE_TYPE_2D,
                              VK_IMAGE_TILING_OPTIMAL, usage, flags, &ip);
    if (vr == VK_ERROR_FORMAT_NOT_SUPPORTED) {
        sim_log(SIM_LOG_ERROR,
                "%s: the device cannot make format %lld images with usage 0x%llx: "
                "XR_ERROR_FEATURE_UNSUPPORTED",
                fn, (long long)ci->format, (unsigned long long)ci->usageFlags);
        return XR_ERROR_FEATURE_UNSUPPORTED;
    }
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkGetPhysicalDeviceImageFormatProperties failed: %s", fn,
                sim_vk_result_string(vr));
        return XR_ERROR_RUNTIME_FAILURE;
    }
    bool pow2 = (ci->sampleCount & (ci->sampleCount - 1)) == 0;
    if (ci->width > ip.maxExtent.width || ci->height > ip.maxExtent.height ||
        ci->arraySize > ip.maxArrayLayers || ci->mipCount > ip.maxMipLevels || !pow2 ||
        !(ip.sampleCounts & ci->sampleCount)) {
        sim_log(SIM_LOG_ERROR,
                "%s: %ux%u, %u layers, %u mips, %u samples exceeds the device's limits (%ux%u, %u "
                "layers, %u mips, sample mask 0x%x): XR_ERROR_VALIDATION_FAILURE",
                fn, ci->width, ci->height, ci->arraySize, ci->mipCount, ci->sampleCount, ip.maxExtent.width,
                ip.maxExtent.height, ip.maxArrayLayers, ip.maxMipLevels, (unsigned)ip.sampleCounts);
        return XR_ERROR_VALIDATION_FAILURE;
    }

    sim_swapchain *sc = sim_handle_new(sizeof(*sc));
    if (!sc) return XR_ERROR_OUT_OF_MEMORY;
    sc->session = s;
    sc->info = *ci;
    sc->info.next = NULL;
    sc->is_depth = depth;
    sc->last_released = -1;
    /* A static image swapchain has one image that is acquired once. */
    sc->image_count = (ci->createFlags & XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT) ? 1 : SIM_MAX_SWAPCHAIN_IMAGES;
    r = create_images(s, sc, usage, flags);
    if (r != XR_SUCCESS) {
        free_images(s, sc);
        sim_handle_delete(sc, sizeof(*sc));
        return r;
    }
    sim_handle_register(sc, SIM_HANDLE_SWAPCHAIN, s->inst);
    pthread_mutex_lock(&s->lock);
    sc->next = s->swapchains;
    s->swapchains = sc;
    pthread_mutex_unlock(&s->lock);
    *swapchain = (XrSwapchain)sc;
    return XR_SUCCESS;
}

static void destroy_swapchain(sim_session *s, sim_swapchain *sc)
{
    /* The compositor may still be reading these images on the GPU (capture copies). The session lock keeps
     * xrEndSession on another thread from destroying the compositor during the wait; the wait itself needs
     * only the compositor's own lock. */
    pthread_mutex_lock(&s->lock);
    if (s->compositor) sim_compositor_wait_idle(s->compositor);
    pthread_mutex_unlock(&s->lock);
    sim_handle_unregister(sc);
    free_images(s, sc);
    sim_handle_delete(sc, sizeof(*sc));
}

static XrResult swapchain_check_in(const char *fn, const char *expr, XrSwapchain handle, sim_swapchain **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid((const void *)handle, SIM_HANDLE_SWAPCHAIN))
        return sim_handle_reject(fn, expr, (const void *)handle, "XrSwapchain");
    *out = (sim_swapchain *)handle;
    return XR_SUCCESS;
}
#define swapchain_check(h, out) swapchain_check_in(sim_fn_name(__func__), #h, h, out)

SIM_FN(xrDestroySwapchain)(XrSwapchain swapchain)
{
    sim_swapchain *sc;
    XrResult r = swapchain_check(swapchain, &sc);
    if (r != XR_SUCCESS) return r;
    sim_session *s = sc->session;
    pthread_mutex_lock(&s->lock);
    for (sim_swapchain **p = &s->swapchains; *p; p = &(*p)->next)
        if (*p == sc) {
            *p = sc->next;
            break;
        }
    pthread_mutex_unlock(&s->lock);
    destroy_swapchain(s, sc);
    return XR_SUCCESS;
}

void sim_swapchains_destroy_all(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    sim_swapchain *list = s->swapchains;
    s->swapchains = NULL;
    pthread_mutex_unlock(&s->lock);
    while (list) {
        sim_swapchain *next = list->next;
        destroy_swapchain(s, list);
        list = next;
    }
}

SIM_FN(xrEnumerateSwapchainImages)
(XrSwapchain swapchain, uint32_t imageCapacityInput, uint32_t *imageCountOutput,
 XrSwapchainImageBaseHeader *images)
{
    sim_swapchain *sc;
    XrResult r = swapchain_check(swapchain, &sc);
    if (r != XR_SUCCESS) return r;
    if ((r = sim_two_call(imageCapacityInput, imageCountOutput, images, sc->image_count)) != XR_SUCCESS ||
        imageCapacityInput == 0)
        return r;
    XrSwapchainImageVulkanKHR *vk_images = (XrSwapchainImageVulkanKHR *)images;
    for (uint32_t i = 0; i < sc->image_count; i++)
        if (vk_images[i].type != XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR) {
            return sim_reject(sc->session->inst, "xrEnumerateSwapchainImages", XR_ERROR_VALIDATION_FAILURE,
                              "images[%u].type is %d, not XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR (the graphics "
                              "binding's image structure; VUID-XrSwapchainImageVulkanKHR-type-type)",
                              i, (int)vk_images[i].type);
        }
    for (uint32_t i = 0; i < sc->image_count; i++) vk_images[i].image = sc->images[i];
    return XR_SUCCESS;
}

/* Moves every image of a new swapchain from UNDEFINED to the attachment layout XR_KHR_vulkan_enable
 * promises at acquire. Runs on the app's queue, which the runtime may use inside xrAcquireSwapchainImage,
 * and waits for it so the one-shot command buffer can be freed right away (this happens once per
 * swapchain). Queue order puts it before any app work on the images. */
static XrResult initialize_layouts(sim_session *s, sim_swapchain *sc)
{
    const char *fn = "xrAcquireSwapchainImage";
    const sim_vk *vk = &s->vk;
    VkCommandPool pool = VK_NULL_HANDLE;
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    XrResult result = XR_ERROR_RUNTIME_FAILURE;
    VkCommandPoolCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                   .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                   .queueFamilyIndex = vk->queue_family_index};
    VkResult vr = vk->CreateCommandPool(vk->device, &pci, NULL, &pool);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkCreateCommandPool failed: %s", fn, sim_vk_result_string(vr));
        goto fail;
    }
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = 1};
    vr = vk->AllocateCommandBuffers(vk->device, &cai, &cmd);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkAllocateCommandBuffers failed: %s", fn, sim_vk_result_string(vr));
        goto fail;
    }
    VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    vr = vk->CreateFence(vk->device, &fci, NULL, &fence);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkCreateFence failed: %s", fn, sim_vk_result_string(vr));
        goto fail;
    }
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    vr = vk->BeginCommandBuffer(cmd, &bi);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkBeginCommandBuffer failed: %s", fn, sim_vk_result_string(vr));
        goto fail;
    }
    VkImageAspectFlags aspect = VK_IMAGE_ASPECT_COLOR_BIT;
    if (sc->is_depth) {
        aspect = VK_IMAGE_ASPECT_DEPTH_BIT;
        VkFormat f = (VkFormat)sc->info.format;
        if (f == VK_FORMAT_D24_UNORM_S8_UINT || f == VK_FORMAT_D32_SFLOAT_S8_UINT ||
            f == VK_FORMAT_D16_UNORM_S8_UINT)
            aspect |= VK_IMAGE_ASPECT_STENCIL_BIT;
    }
    VkImageMemoryBarrier barriers[SIM_MAX_SWAPCHAIN_IMAGES];
    for (uint32_t i = 0; i < sc->image_count; i++)
        barriers[i] = (VkImageMemoryBarrier){
            .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
            .srcAccessMask = 0,
            .dstAccessMask =
                sc->is_depth ? (VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT |
                                VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT)
                             : (VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT),
            .oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .newLayout = sc->is_depth ? VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL
                                      : VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
            .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
            .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
            .image = sc->images[i],
            .subresourceRange = {aspect, 0, sc->info.mipCount, 0, sc->info.arraySize}};
    vk->CmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0,
                           NULL, 0, NULL, sc->image_count, barriers);
    vr = vk->EndCommandBuffer(cmd);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkEndCommandBuffer failed: %s", fn, sim_vk_result_string(vr));
        goto fail;
    }
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    vr = vk->QueueSubmit(vk->queue, 1, &si, fence);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkQueueSubmit (layout transition) failed: %s", fn,
                sim_vk_result_string(vr));
        goto fail;
    }
    /* Bounded: a device that does not finish a barrier in 10 s is lost for our purposes. */
    vr = vk->WaitForFences(vk->device, 1, &fence, VK_TRUE, 10000000000ull);
    if (vr != VK_SUCCESS) {
        sim_log(SIM_LOG_ERROR, "%s: vkWaitForFences (layout transition) failed: %s", fn,
                sim_vk_result_string(vr));
        /* The command buffer may still be pending: leaking it is safer than freeing it. */
        return XR_ERROR_RUNTIME_FAILURE;
    }
    for (uint32_t i = 0; i < sc->image_count; i++) sc->layout_initialized[i] = true;
    result = XR_SUCCESS;
fail:
    if (fence) vk->DestroyFence(vk->device, fence, NULL);
    if (cmd) vk->FreeCommandBuffers(vk->device, pool, 1, &cmd);
    if (pool) vk->DestroyCommandPool(vk->device, pool, NULL);
    return result;
}

SIM_FN(xrAcquireSwapchainImage)
(XrSwapchain swapchain, const XrSwapchainImageAcquireInfo *acquireInfo, uint32_t *index)
{
    sim_swapchain *sc;
    XrResult r = swapchain_check(swapchain, &sc);
    if (r != XR_SUCCESS) return r;
    if (acquireInfo)
        SIM_REQUIRE_IN(sc->session->inst, acquireInfo, XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO,
                       XrSwapchainImageAcquireInfo);
    SIM_REQUIRE_OUT(sc->session->inst, index, "a uint32_t value");
    sim_session *s = sc->session;
    if ((r = sim_session_status(s)) != XR_SUCCESS) return r;
    /* acquire_timeout fault: the image is still with the compositor for a while. */
    XrDuration held = sim_faults_acquire_delay(s);
    if (held > 0) sim_sleep_until(sim_now() + held);
    pthread_mutex_lock(&s->lock);
    bool static_used = (sc->info.createFlags & XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT) &&
                       (sc->last_released >= 0 || sc->acquired_count > 0);
    if (sc->acquired_count >= sc->image_count || static_used) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrAcquireSwapchainImage", "%s: XR_ERROR_CALL_ORDER_INVALID",
                               static_used ? "a static swapchain's image can be acquired only once (spec "
                                             "XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT)"
                                           : "every image is already acquired (spec xrAcquireSwapchainImage: "
                                             "XR_ERROR_CALL_ORDER_INVALID when no image can be acquired)");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    /* An injected failure (PARALLAX_SIM_FAULTS fail): no image is acquired. */
    if (XR_FAILED(r = sim_faults_fail(s->inst, SIM_FAULT_CALL_ACQUIRE_IMAGE))) {
        pthread_mutex_unlock(&s->lock);
        return r;
    }
    uint32_t i = sc->next_index;
    bool need_init = !sc->layout_initialized[i];
    pthread_mutex_unlock(&s->lock);
    if (need_init) {
        r = initialize_layouts(s, sc);
        if (r != XR_SUCCESS) return r;
    }
    pthread_mutex_lock(&s->lock);
    sc->acquired[sc->acquired_count++] = i;
    sc->next_index = (i + 1) % sc->image_count;
    /* For the report: an app that leaks an acquired image after an error holds two at its next acquire. */
    if (sc->acquired_count > s->max_images_acquired) s->max_images_acquired = sc->acquired_count;
    pthread_mutex_unlock(&s->lock);
    *index = i;
    return XR_SUCCESS;
}

SIM_FN(xrWaitSwapchainImage)(XrSwapchain swapchain, const XrSwapchainImageWaitInfo *waitInfo)
{
    sim_swapchain *sc;
    XrResult r = swapchain_check(swapchain, &sc);
    if (r != XR_SUCCESS) return r;
    SIM_REQUIRE_IN(sc->session->inst, waitInfo, XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO, XrSwapchainImageWaitInfo);
    sim_session *s = sc->session;
    if ((r = sim_session_status(s)) != XR_SUCCESS) return r;
    pthread_mutex_lock(&s->lock);
    if (sc->acquired_count == 0 || sc->waited) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrWaitSwapchainImage", "%s: XR_ERROR_CALL_ORDER_INVALID",
                               sc->acquired_count == 0
                                   ? "no image is acquired (spec xrWaitSwapchainImage: the image must have "
                                     "been acquired first)"
                                   : "the acquired image was already waited (spec xrWaitSwapchainImage: "
                                     "XR_ERROR_CALL_ORDER_INVALID for a second wait before its release)");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    /* An injected failure (PARALLAX_SIM_FAULTS fail): the image stays acquired and not waited. */
    if (XR_FAILED(r = sim_faults_fail(s->inst, SIM_FAULT_CALL_WAIT_IMAGE))) {
        pthread_mutex_unlock(&s->lock);
        return r;
    }
    pthread_mutex_unlock(&s->lock);
    /* wait_timeout fault: the wait expires; the image stays acquired and unwaited, so the next wait is for
     * the same image, as the spec says. */
    XrDuration block = 0;
    if (sim_faults_wait_timeout(s, waitInfo->timeout, &block)) {
        sim_sleep_until(sim_now() + block);
        return XR_TIMEOUT_EXPIRED;
    }
    pthread_mutex_lock(&s->lock);
    /* The compositor never holds an image on the CPU side: its reads are queued on the app's queue ahead of
     * any later app work, so the oldest acquired image is available as soon as it is acquired and the wait
     * completes within any timeout. */
    sc->waited = true;
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

SIM_FN(xrReleaseSwapchainImage)(XrSwapchain swapchain, const XrSwapchainImageReleaseInfo *releaseInfo)
{
    sim_swapchain *sc;
    XrResult r = swapchain_check(swapchain, &sc);
    if (r != XR_SUCCESS) return r;
    if (releaseInfo)
        SIM_REQUIRE_IN(sc->session->inst, releaseInfo, XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO,
                       XrSwapchainImageReleaseInfo);
    sim_session *s = sc->session;
    pthread_mutex_lock(&s->lock);
    if (sc->acquired_count == 0 || !sc->waited) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrReleaseSwapchainImage", "%s: XR_ERROR_CALL_ORDER_INVALID",
                               sc->acquired_count == 0
                                   ? "no image is acquired (spec xrReleaseSwapchainImage: an image must be "
                                     "acquired and waited first)"
                                   : "the image was not waited (spec xrReleaseSwapchainImage: "
                                     "xrWaitSwapchainImage must have returned for it first)");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    /* An injected failure (PARALLAX_SIM_FAULTS fail): the image stays acquired. */
    if (XR_FAILED(r = sim_faults_fail(s->inst, SIM_FAULT_CALL_RELEASE_IMAGE))) {
        pthread_mutex_unlock(&s->lock);
        return r;
    }
    sc->last_released = sc->acquired[0];
    for (uint32_t k = 1; k < sc->acquired_count; k++) sc->acquired[k - 1] = sc->acquired[k];
    sc->acquired_count--;
    sc->waited = false;
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}
