/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the swapchains: ONE colour swapchain and ONE depth swapchain, each with arraySize 2 (layer =
 * eye), so one multiview pass renders both eyes. Framebuffers are made per (colour image, depth image) pair
 * on first use, because the two swapchains need not hand out images in lockstep. May call base/ and the
 * device (vulkan.c); the OpenXR session is given. */
#include <stdlib.h>
#include <string.h>

#include "gpu/plx_gpu.h"

static bool format_supports(const plx_gpu *g, VkFormat f, VkFormatFeatureFlags want)
{
    VkFormatProperties fp;
    vkGetPhysicalDeviceFormatProperties(g->vk.physical_device, f, &fp);
    return (fp.optimalTilingFeatures & want) == want;
}

static bool is_depth_format(VkFormat f)
{
    return f == VK_FORMAT_D16_UNORM || f == VK_FORMAT_X8_D24_UNORM_PACK32 || f == VK_FORMAT_D32_SFLOAT ||
           f == VK_FORMAT_S8_UINT || f == VK_FORMAT_D16_UNORM_S8_UINT || f == VK_FORMAT_D24_UNORM_S8_UINT ||
           f == VK_FORMAT_D32_SFLOAT_S8_UINT;
}

static bool has_stencil(VkFormat f)
{
    return f == VK_FORMAT_D16_UNORM_S8_UINT || f == VK_FORMAT_D24_UNORM_S8_UINT ||
           f == VK_FORMAT_D32_SFLOAT_S8_UINT;
}

/* First of `preferred` that the runtime offers and the device can render to; else the runtime's own first
 * choice of the right kind. VK_FORMAT_UNDEFINED if none. */
static VkFormat pick_format(const plx_gpu *g, const int64_t *offered, uint32_t n, const VkFormat *preferred,
                            uint32_t n_pref, bool depth)
{
    VkFormatFeatureFlags need =
        depth ? VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT : VK_FORMAT_FEATURE_COLOR_ATTACHMENT_BIT;
    for (uint32_t p = 0; p < n_pref; p++) {
        for (uint32_t i = 0; i < n; i++) {
            if ((VkFormat)offered[i] == preferred[p] && format_supports(g, preferred[p], need))
                return preferred[p];
        }
    }
    for (uint32_t i = 0; i < n; i++) {
        VkFormat f = (VkFormat)offered[i];
        if (is_depth_format(f) == depth && f != VK_FORMAT_S8_UINT && format_supports(g, f, need)) return f;
    }
    return VK_FORMAT_UNDEFINED;
}

/* A 2D array view of layers first .. first + count - 1. */
static plx_result create_layers_view(plx_swapchains *sc, const plx_gpu *g, VkImage image, VkFormat format,
                                     VkImageAspectFlags aspect, uint32_t first, uint32_t count,
                                     VkImageView *out)
{
    VkImageViewCreateInfo vi = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
        .image = image,
        .viewType = VK_IMAGE_VIEW_TYPE_2D_ARRAY,
        .format = format,
        .subresourceRange = {.aspectMask = aspect,
                             .levelCount = 1,
                             .baseArrayLayer = first,
                             .layerCount = count},
    };
    return PLX_VK(sc->report, vkCreateImageView(g->vk.device, &vi, NULL, out));
}

/* The view of both layers, and with a pass per eye (multiview.c) one view per layer. */
static plx_result create_array_view(plx_swapchains *sc, const plx_gpu *g, VkImage image, VkFormat format,
                                    VkImageAspectFlags aspect, VkImageView *out, VkImageView out_eyes[2])
{
    plx_result res = create_layers_view(sc, g, image, format, aspect, 0, 2, out);
    for (uint32_t eye = 0; res == PLX_SUCCESS && g->pass_per_eye && eye < 2; eye++)
        res = create_layers_view(sc, g, image, format, aspect, eye, 1, &out_eyes[eye]);
    return res;
}

/* The OpenXR swapchain and its images (no views yet). */
static plx_result create_xr_swapchain(plx_report *r, XrSession session, plx_swapchain *sc, VkFormat format,
                                      XrSwapchainUsageFlags usage, uint32_t width, uint32_t height,
                                      uint32_t layers)
{
    XrSwapchainCreateInfo ci = {
        .type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
        .usageFlags = usage,
        .format = format,
        .sampleCount = 1,
        .width = width,
        .height = height,
        .faceCount = 1,
        .arraySize = layers,
        .mipCount = 1,
    };
    plx_result res = PLX_XR(r, xrCreateSwapchain(session, &ci, &sc->handle));
    if (res < 0) return res;
    sc->format = format;
    /* XR_KHR_vulkan_enable's table: each usage bit is the Vulkan bit of the same name. */
    sc->usage =
        ((usage & XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT) ? VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT : 0) |
        ((usage & XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT)
             ? VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT
             : 0) |
        ((usage & XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT) ? VK_IMAGE_USAGE_TRANSFER_SRC_BIT : 0) |
        ((usage & XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT) ? VK_IMAGE_USAGE_TRANSFER_DST_BIT : 0) |
        ((usage & XR_SWAPCHAIN_USAGE_SAMPLED_BIT) ? VK_IMAGE_USAGE_SAMPLED_BIT : 0);
    uint32_t n = 0;
    if ((res = PLX_XR(r, xrEnumerateSwapchainImages(sc->handle, 0, &n, NULL))) < 0) return res;
    if (n == 0 || n > PLX_MAX_SWAPCHAIN_IMAGES)
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "xrEnumerateSwapchainImages: %u images, expected 1..%d", n,
                        PLX_MAX_SWAPCHAIN_IMAGES);
    XrSwapchainImageVulkan2KHR images[PLX_MAX_SWAPCHAIN_IMAGES];
    for (uint32_t i = 0; i < n; i++)
        images[i] = (XrSwapchainImageVulkan2KHR){.type = XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR};
    res = PLX_XR(r, xrEnumerateSwapchainImages(sc->handle, n, &n, (XrSwapchainImageBaseHeader *)images));
    if (res < 0) return res;
    sc->image_count = n;
    for (uint32_t i = 0; i < n; i++) sc->images[i] = images[i].image;
    return PLX_SUCCESS;
}

static plx_result create_swapchain(plx_swapchains *scs, const plx_gpu *g, XrSession session,
                                   plx_swapchain *sc, VkFormat format, XrSwapchainUsageFlags usage,
                                   VkImageAspectFlags aspect)
{
    plx_result res =
        create_xr_swapchain(scs->report, session, sc, format, usage, scs->eye_width, scs->eye_height, 2);
    for (uint32_t i = 0; res == PLX_SUCCESS && i < sc->image_count; i++)
        res = create_array_view(scs, g, sc->images[i], format, aspect, &sc->views[i], sc->eye_views[i]);
    return res;
}

plx_result plx_swapchain_create(plx_report *r, const plx_gpu *g, XrSession session, plx_swapchain *sc,
                                VkFormat format, XrSwapchainUsageFlags usage, uint32_t width, uint32_t height)
{
    plx_result res = create_xr_swapchain(r, session, sc, format, usage, width, height, 1);
    for (uint32_t i = 0; res == PLX_SUCCESS && i < sc->image_count; i++) {
        VkImageViewCreateInfo vi = {
            .sType = VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO,
            .image = sc->images[i],
            .viewType = VK_IMAGE_VIEW_TYPE_2D,
            .format = format,
            .subresourceRange = {.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT, .levelCount = 1, .layerCount = 1},
        };
        res = PLX_VK(r, vkCreateImageView(g->vk.device, &vi, NULL, &sc->views[i]));
    }
    return res;
}

/* An image of libparallax's own of the eye size with `layers` layers (2: one per eye, with its array view
 * and, with a pass per eye, one view per layer; 1: one 2D-array view of its one layer). */
static plx_result create_image(plx_swapchains *sc, const plx_gpu *g, VkFormat format, VkImageUsageFlags usage,
                               VkSampleCountFlagBits samples, VkImageAspectFlags aspect, uint32_t layers,
                               plx_image *out)
{
    *out = (plx_image){.format = format, .usage = usage, .samples = samples};
    VkImageCreateInfo ii = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
        .imageType = VK_IMAGE_TYPE_2D,
        .format = format,
        .extent = {sc->eye_width, sc->eye_height, 1},
        .mipLevels = 1,
        .arrayLayers = layers,
        .samples = samples,
        .tiling = VK_IMAGE_TILING_OPTIMAL,
        .usage = usage,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
        .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
    };
    plx_result res = PLX_VK(sc->report, vkCreateImage(g->vk.device, &ii, NULL, &out->image));
    if (res < 0) return res;
    VkMemoryRequirements mr;
    vkGetImageMemoryRequirements(g->vk.device, out->image, &mr);
    uint32_t type = 0;
    if ((res = plx_gpu_find_memory(g, mr.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &type)) < 0)
        return res;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
        .allocationSize = mr.size,
        .memoryTypeIndex = type,
    };
    if ((res = PLX_VK(sc->report, vkAllocateMemory(g->vk.device, &ai, NULL, &out->memory))) < 0) return res;
    if ((res = PLX_VK(sc->report, vkBindImageMemory(g->vk.device, out->image, out->memory, 0))) < 0)
        return res;
    if (layers == 1) return create_layers_view(sc, g, out->image, format, aspect, 0, 1, &out->view);
    return create_array_view(sc, g, out->image, format, aspect, &out->view, out->eye_views);
}

static void destroy_image(const plx_gpu *g, plx_image *img)
{
    vkDestroyImageView(g->vk.device, img->view, NULL);
    for (int eye = 0; eye < 2; eye++) vkDestroyImageView(g->vk.device, img->eye_views[eye], NULL);
    vkDestroyImage(g->vk.device, img->image, NULL);
    vkFreeMemory(g->vk.device, img->memory, NULL);
    *img = (plx_image){0};
}

/* MSAA with a render pass per eye: the right eye's pass resolves into images of one layer (eye1_color,
 * eye1_depth), which are then copied into layer 1 of the eye images (plx_swapchains_record_eye1_copy), so
 * those need transfer-destination usage. Why not a resolve straight into layer 1: Mesa lavapipe 22.3 resolves
 * a render pass's attachments at layer 0 of their images whatever layer the views name (lvp_execute.c
 * resolve_color / resolve_ds leave the blit's box.z at 0), so the right eye's resolve landed in the left
 * eye's layer and layer 1 stayed unwritten. The left eye's resolve, at layer 0, is right on every driver. */
static bool msaa_per_eye(const plx_swapchains *sc, const plx_gpu *g)
{
    return g->pass_per_eye && sc->samples > VK_SAMPLE_COUNT_1_BIT;
}

VkImageAspectFlags plx_gpu_depth_aspects(VkFormat f)
{
    return VK_IMAGE_ASPECT_DEPTH_BIT | (has_stencil(f) ? VK_IMAGE_ASPECT_STENCIL_BIT : 0);
}

/* Used when the runtime offers no depth format: depth testing still needs an attachment. */
static plx_result create_own_depth(plx_swapchains *sc, const plx_gpu *g)
{
    plx_image img;
    VkImageUsageFlags usage = VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
                              (sc->post_process ? VK_IMAGE_USAGE_SAMPLED_BIT : 0) |
                              (msaa_per_eye(sc, g) ? VK_IMAGE_USAGE_TRANSFER_DST_BIT : 0);
    plx_result res = create_image(sc, g, sc->depth_format, usage, VK_SAMPLE_COUNT_1_BIT,
                                  VK_IMAGE_ASPECT_DEPTH_BIT, 2, &img);
    sc->own_depth_image = img.image;
    sc->own_depth_memory = img.memory;
    sc->own_depth_view = img.view;
    sc->own_depth_eye_views[0] = img.eye_views[0];
    sc->own_depth_eye_views[1] = img.eye_views[1];
    sc->own_depth_usage = usage;
    return res;
}

plx_result plx_swapchains_create(plx_swapchains *sc, plx_report *r, const plx_gpu *g, XrSession session,
                                 uint32_t want_width, uint32_t want_height, bool transfer_src)
{
    sc->report = r;
    sc->eye_width = want_width;
    sc->eye_height = want_height;
    if (want_width == 0 || want_height == 0)
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "per-eye size %ux%u is empty", want_width, want_height);

    uint32_t n = 0;
    plx_result res = PLX_XR(r, xrEnumerateSwapchainFormats(session, 0, &n, NULL));
    if (res < 0) return res;
    int64_t *formats = calloc(n ? n : 1, sizeof *formats);
    if (!formats) return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "out of memory listing %u formats", n);
    if ((res = PLX_XR(r, xrEnumerateSwapchainFormats(session, n, &n, formats))) < 0) {
        free(formats);
        return res;
    }
    /* sRGB so the shaders work in linear light and the hardware encodes. */
    static const VkFormat color_pref[] = {VK_FORMAT_R8G8B8A8_SRGB, VK_FORMAT_B8G8R8A8_SRGB};
    static const VkFormat depth_pref[] = {VK_FORMAT_D32_SFLOAT, VK_FORMAT_D24_UNORM_S8_UINT,
                                          VK_FORMAT_X8_D24_UNORM_PACK32, VK_FORMAT_D16_UNORM};
    VkFormat color = pick_format(g, formats, n, color_pref, 2, false);
    /* Without XR_KHR_composition_layer_depth no depth reaches the runtime: a depth swapchain would only be
     * acquired and released every frame for nothing. */
    VkFormat depth = sc->depth_layer ? pick_format(g, formats, n, depth_pref, 4, true) : VK_FORMAT_UNDEFINED;
    free(formats);
    if (color == VK_FORMAT_UNDEFINED)
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                        "the runtime offers no colour swapchain format the device renders to");
    /* The runtime reads every other format as linear (OpenXR 10.1), which is what the shaders write: the
     * colours stay right (tests/integration run_formats.sh compares the captures); only 8 linear bits band in
     * dark tones. */
    bool eight_bit_linear = color == VK_FORMAT_R8G8B8A8_UNORM || color == VK_FORMAT_B8G8R8A8_UNORM;
    if (color != VK_FORMAT_R8G8B8A8_SRGB && color != VK_FORMAT_B8G8R8A8_SRGB)
        plx_log(
            r, eight_bit_linear ? PLX_LOG_WARN : PLX_LOG_INFO,
            "no sRGB swapchain format offered; using VkFormat %d, linear (the runtime reads it as linear, so "
            "colours are right%s)",
            (int)color, eight_bit_linear ? ", but 8 linear bits band in dark tones" : "");

    /* The mirror window copies the eye images out (mirror.c); with a post-process pass and no post phase,
     * plx_frame_end copies the intermediate image in. */
    /* MSAA with a pass per eye copies the right eye's resolve into layer 1 (msaa_per_eye). */
    bool eye1_copy = msaa_per_eye(sc, g);
    XrSwapchainUsageFlags color_usage =
        XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | (transfer_src ? XR_SWAPCHAIN_USAGE_TRANSFER_SRC_BIT : 0) |
        (sc->post_process || eye1_copy ? XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT : 0);
    res = create_swapchain(sc, g, session, &sc->color, color, color_usage, VK_IMAGE_ASPECT_COLOR_BIT);
    if (res < 0) return res;
    if (depth != VK_FORMAT_UNDEFINED) {
        sc->depth_format = depth;
        /* A view used as a depth-stencil attachment covers every aspect of the format. */
        VkImageAspectFlags aspect = plx_gpu_depth_aspects(depth);
        /* The post phase may sample the depth (PLX_PASS_POST_PROCESS). */
        res = create_swapchain(sc, g, session, &sc->depth, depth,
                               XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
                                   (sc->post_process ? XR_SWAPCHAIN_USAGE_SAMPLED_BIT : 0) |
                                   (eye1_copy ? XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT : 0),
                               aspect);
        if (res < 0) return res;
    } else {
        static const VkFormat own[] = {VK_FORMAT_D32_SFLOAT, VK_FORMAT_D16_UNORM};
        sc->depth_format = VK_FORMAT_UNDEFINED;
        for (int i = 0; i < 2 && sc->depth_format == VK_FORMAT_UNDEFINED; i++) {
            if (format_supports(g, own[i], VK_FORMAT_FEATURE_DEPTH_STENCIL_ATTACHMENT_BIT))
                sc->depth_format = own[i];
        }
        if (sc->depth_format == VK_FORMAT_UNDEFINED)
            return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "the device has no depth attachment format");
        plx_log(r, PLX_LOG_INFO, "%s: depth stays private, no depth layer",
                sc->depth_layer ? "the runtime offers no depth format" : "no XR_KHR_composition_layer_depth");
        if ((res = create_own_depth(sc, g)) < 0) return res;
    }
    if (sc->post_process) {
        /* What the pass renders: sampled by the app's post phase, or copied into the colour image. */
        res = create_image(sc, g, color,
                           VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_SAMPLED_BIT |
                               VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                               (eye1_copy ? VK_IMAGE_USAGE_TRANSFER_DST_BIT : 0),
                           VK_SAMPLE_COUNT_1_BIT, VK_IMAGE_ASPECT_COLOR_BIT, 2, &sc->intermediate);
        if (res < 0) return res;
    }
    if (sc->samples > VK_SAMPLE_COUNT_1_BIT) {
        /* MSAA: the pass renders into these and resolves into the images above (slots.c); transient, as
         * nothing reads them after the pass. A pass per eye renders both eyes, one after the other, into
         * one layer (layer 0: see msaa_per_eye). */
        uint32_t layers = eye1_copy ? 1 : 2;
        VkImageAspectFlags aspect = plx_gpu_depth_aspects(sc->depth_format);
        res = create_image(sc, g, color,
                           VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT,
                           sc->samples, VK_IMAGE_ASPECT_COLOR_BIT, layers, &sc->msaa_color);
        if (res < 0) return res;
        res = create_image(sc, g, sc->depth_format,
                           VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT |
                               VK_IMAGE_USAGE_TRANSIENT_ATTACHMENT_BIT,
                           sc->samples, aspect, layers, &sc->msaa_depth);
        if (res < 0) return res;
        if (eye1_copy) {
            /* The right eye's resolve targets, copied into layer 1 after its pass; the colour one ends the
             * pass in the layout the intermediate does (SHADER_READ_ONLY_OPTIMAL with post_process). */
            res = create_image(sc, g, color,
                               VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT |
                                   (sc->post_process ? VK_IMAGE_USAGE_SAMPLED_BIT : 0),
                               VK_SAMPLE_COUNT_1_BIT, VK_IMAGE_ASPECT_COLOR_BIT, 1, &sc->eye1_color);
            if (res < 0) return res;
            res = create_image(sc, g, sc->depth_format,
                               VK_IMAGE_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT,
                               VK_SAMPLE_COUNT_1_BIT, aspect, 1, &sc->eye1_depth);
            if (res < 0) return res;
        }
    }
    plx_log(r, PLX_LOG_INFO,
            "swapchains: colour VkFormat %d x%u, depth VkFormat %d x%u, %ux%u x2 layers, %d sample(s)",
            (int)color, sc->color.image_count, (int)sc->depth_format, sc->depth.image_count, sc->eye_width,
            sc->eye_height, (int)(sc->samples ? sc->samples : 1));
    return PLX_SUCCESS;
}

plx_result plx_swapchains_framebuffer(plx_swapchains *sc, const plx_gpu *g, uint32_t color_index,
                                      uint32_t depth_index, uint32_t eye, VkFramebuffer *out)
{
    if (color_index >= sc->color.image_count ||
        (sc->depth.handle != XR_NULL_HANDLE && depth_index >= sc->depth.image_count))
        return PLX_FAIL(sc->report, PLX_ERROR_XR,
                        "xrAcquireSwapchainImage returned image %u/%u beyond the %u/%u images", color_index,
                        depth_index, sc->color.image_count, sc->depth.image_count);
    if (sc->depth.handle == XR_NULL_HANDLE) depth_index = 0;
    if (sc->post_process) color_index = 0; /* the pass renders into the one intermediate image */
    bool per_eye = g->pass_per_eye;
    if (!per_eye || eye > 1) eye = 0;
    VkFramebuffer *fb = &sc->framebuffers[color_index][depth_index][eye];
    if (*fb == VK_NULL_HANDLE) {
        bool own_depth = sc->depth.handle == XR_NULL_HANDLE;
        VkImageView color = sc->post_process ? sc->intermediate.view : sc->color.views[color_index];
        VkImageView depth = own_depth ? sc->own_depth_view : sc->depth.views[depth_index];
        if (per_eye) {
            /* One layer each: the render pass's one view (view mask 0b01) renders that eye (multiview.c). */
            color =
                sc->post_process ? sc->intermediate.eye_views[eye] : sc->color.eye_views[color_index][eye];
            depth = own_depth ? sc->own_depth_eye_views[eye] : sc->depth.eye_views[depth_index][eye];
        }
        /* MSAA (slots.c): multisampled colour and depth, then the colour and depth they resolve into. */
        bool msaa = g->samples > VK_SAMPLE_COUNT_1_BIT;
        VkImageView views[4] = {color, depth};
        if (msaa) {
            /* A pass per eye: both eyes render into the one layer of the multisampled images; the right
             * eye resolves into eye1_color / eye1_depth (msaa_per_eye). */
            views[0] = sc->msaa_color.view;
            views[1] = sc->msaa_depth.view;
            views[2] = per_eye && eye == 1 ? sc->eye1_color.view : color;
            views[3] = per_eye && eye == 1 ? sc->eye1_depth.view : depth;
        }
        VkFramebufferCreateInfo ci = {
            .sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
            .renderPass = g->render_pass,
            .attachmentCount = msaa ? 4 : 2,
            .pAttachments = views,
            .width = sc->eye_width,
            .height = sc->eye_height,
            .layers = 1, /* multiview: the view mask selects the layers */
        };
        plx_result res = PLX_VK(sc->report, vkCreateFramebuffer(g->vk.device, &ci, NULL, fb));
        if (res < 0) return res;
    }
    *out = *fb;
    return PLX_SUCCESS;
}

plx_result plx_swapchains_overlay_framebuffer(plx_swapchains *sc, const plx_gpu *g, uint32_t color_index,
                                              VkFramebuffer *out)
{
    if (color_index >= sc->color.image_count)
        return PLX_FAIL(sc->report, PLX_ERROR_XR,
                        "xrAcquireSwapchainImage returned image %u beyond the %u images", color_index,
                        sc->color.image_count);
    VkFramebuffer *fb = &sc->overlay_framebuffers[color_index];
    if (*fb == VK_NULL_HANDLE) {
        VkFramebufferCreateInfo ci = {
            .sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
            .renderPass = g->overlay_pass,
            .attachmentCount = 1,
            .pAttachments = &sc->color.views[color_index],
            .width = sc->eye_width,
            .height = sc->eye_height,
            .layers = 1, /* multiview */
        };
        plx_result res = PLX_VK(sc->report, vkCreateFramebuffer(g->vk.device, &ci, NULL, fb));
        if (res < 0) return res;
    }
    *out = *fb;
    return PLX_SUCCESS;
}

VkImageMemoryBarrier plx_gpu_image_barrier(VkImage image, VkImageAspectFlags aspect, uint32_t first_layer,
                                           uint32_t layer_count, VkImageLayout from, VkImageLayout to,
                                           VkAccessFlags src, VkAccessFlags dst)
{
    return (VkImageMemoryBarrier){
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .srcAccessMask = src,
        .dstAccessMask = dst,
        .oldLayout = from,
        .newLayout = to,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = image,
        .subresourceRange = {.aspectMask = aspect,
                             .levelCount = 1,
                             .baseArrayLayer = first_layer,
                             .layerCount = layer_count},
    };
}

/* One layer. */
static VkImageMemoryBarrier layer_barrier(VkImage image, VkImageAspectFlags aspect, uint32_t layer,
                                          VkImageLayout from, VkImageLayout to, VkAccessFlags src,
                                          VkAccessFlags dst)
{
    return plx_gpu_image_barrier(image, aspect, layer, 1, from, to, src, dst);
}

void plx_swapchains_record_eye1_copy(const plx_swapchains *sc, const plx_gpu *g, VkCommandBuffer cmd,
                                     uint32_t color_index, uint32_t depth_index, uint32_t width,
                                     uint32_t height)
{
    if (!msaa_per_eye(sc, g)) return;
    VkImage color = sc->post_process ? sc->intermediate.image : sc->color.images[color_index];
    VkImage depth;
    VkImageView unused_view;
    VkImageUsageFlags unused_usage;
    plx_swapchains_depth(sc, depth_index, &depth, &unused_view, &unused_usage);
    const VkImageAspectFlags da = plx_gpu_depth_aspects(sc->depth_format);
    /* The layouts the render pass leaves its resolve attachments in (slots.c). */
    const VkImageLayout color_final = sc->post_process ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL
                                                       : VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                        depth_final = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
                        src = VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                        dst = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    /* The pass's writes are visible already (its dependency to VK_SUBPASS_EXTERNAL); layer 1 of the targets
     * is overwritten in the render area, as the render pass's clear would (initial layout UNDEFINED). */
    VkImageMemoryBarrier before[4] = {
        layer_barrier(sc->eye1_color.image, VK_IMAGE_ASPECT_COLOR_BIT, 0, color_final, src, 0,
                      VK_ACCESS_TRANSFER_READ_BIT),
        layer_barrier(sc->eye1_depth.image, da, 0, depth_final, src, 0, VK_ACCESS_TRANSFER_READ_BIT),
        layer_barrier(color, VK_IMAGE_ASPECT_COLOR_BIT, 1, VK_IMAGE_LAYOUT_UNDEFINED, dst, 0,
                      VK_ACCESS_TRANSFER_WRITE_BIT),
        layer_barrier(depth, da, 1, VK_IMAGE_LAYOUT_UNDEFINED, dst, 0, VK_ACCESS_TRANSFER_WRITE_BIT),
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL,
                         0, NULL, 4, before);
    VkImageCopy region = {
        .srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
        .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 1},
        .extent = {width, height, 1},
    };
    vkCmdCopyImage(cmd, sc->eye1_color.image, src, color, dst, 1, &region);
    region.srcSubresource.aspectMask = region.dstSubresource.aspectMask = da;
    vkCmdCopyImage(cmd, sc->eye1_depth.image, src, depth, dst, 1, &region);
    /* Layer 1 back in the layouts the pass leaves layer 0 in; every later command (the post phase, the next
     * frame's right-eye resolve into eye1_*) after the copy. */
    const VkAccessFlags all = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
    VkImageMemoryBarrier after[2] = {
        layer_barrier(color, VK_IMAGE_ASPECT_COLOR_BIT, 1, dst, color_final, VK_ACCESS_TRANSFER_WRITE_BIT,
                      all),
        layer_barrier(depth, da, 1, dst, depth_final, VK_ACCESS_TRANSFER_WRITE_BIT, all),
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL,
                         0, NULL, 2, after);
}

void plx_swapchains_depth(const plx_swapchains *sc, uint32_t depth_index, VkImage *out_image,
                          VkImageView *out_view, VkImageUsageFlags *out_usage)
{
    bool own = sc->depth.handle == XR_NULL_HANDLE || depth_index >= sc->depth.image_count;
    *out_image = own ? sc->own_depth_image : sc->depth.images[depth_index];
    *out_view = own ? sc->own_depth_view : sc->depth.views[depth_index];
    *out_usage = own ? sc->own_depth_usage : sc->depth.usage;
}

void plx_swapchain_destroy(plx_report *r, const plx_gpu *g, plx_swapchain *sc)
{
    for (uint32_t i = 0; i < sc->image_count; i++) {
        vkDestroyImageView(g->vk.device, sc->views[i], NULL);
        for (int eye = 0; eye < 2; eye++) vkDestroyImageView(g->vk.device, sc->eye_views[i][eye], NULL);
    }
    if (sc->handle != XR_NULL_HANDLE) PLX_XR(r, xrDestroySwapchain(sc->handle));
    memset(sc, 0, sizeof *sc);
}

void plx_swapchains_destroy(plx_swapchains *sc, const plx_gpu *g)
{
    if (g->vk.device) {
        for (uint32_t c = 0; c < PLX_MAX_SWAPCHAIN_IMAGES; c++) {
            for (uint32_t d = 0; d < PLX_MAX_SWAPCHAIN_IMAGES; d++) {
                for (int eye = 0; eye < 2; eye++) {
                    vkDestroyFramebuffer(g->vk.device, sc->framebuffers[c][d][eye], NULL);
                    sc->framebuffers[c][d][eye] = VK_NULL_HANDLE;
                }
            }
            vkDestroyFramebuffer(g->vk.device, sc->overlay_framebuffers[c], NULL);
            sc->overlay_framebuffers[c] = VK_NULL_HANDLE;
        }
        destroy_image(g, &sc->intermediate);
        destroy_image(g, &sc->msaa_color);
        destroy_image(g, &sc->msaa_depth);
        destroy_image(g, &sc->eye1_color);
        destroy_image(g, &sc->eye1_depth);
        vkDestroyImageView(g->vk.device, sc->own_depth_view, NULL);
        for (int eye = 0; eye < 2; eye++) {
            vkDestroyImageView(g->vk.device, sc->own_depth_eye_views[eye], NULL);
            sc->own_depth_eye_views[eye] = VK_NULL_HANDLE;
        }
        vkDestroyImage(g->vk.device, sc->own_depth_image, NULL);
        vkFreeMemory(g->vk.device, sc->own_depth_memory, NULL);
        sc->own_depth_view = VK_NULL_HANDLE;
        sc->own_depth_image = VK_NULL_HANDLE;
        sc->own_depth_memory = VK_NULL_HANDLE;
    }
    plx_swapchain_destroy(sc->report, g, &sc->color);
    plx_swapchain_destroy(sc->report, g, &sc->depth);
}

plx_result plx_swapchain_acquire(plx_report *r, const plx_swapchain *s, uint32_t *out_index)
{
    XrSwapchainImageAcquireInfo ai = {.type = XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
    return PLX_XR(r, xrAcquireSwapchainImage(s->handle, &ai, out_index));
}

plx_result plx_swapchain_wait(plx_report *r, const plx_swapchain *s)
{
    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                   .timeout = XR_INFINITE_DURATION};
    XrResult xr;
    /* XR_TIMEOUT_EXPIRED is a success code: the compositor still reads the image; wait again. */
    while ((xr = xrWaitSwapchainImage(s->handle, &wi)) == XR_TIMEOUT_EXPIRED) {
    }
    return PLX_XR_RESULT(r, xr, "xrWaitSwapchainImage");
}

plx_result plx_swapchain_release(plx_report *r, const plx_swapchain *s)
{
    XrSwapchainImageReleaseInfo ri = {.type = XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    return PLX_XR(r, xrReleaseSwapchainImage(s->handle, &ri));
}
