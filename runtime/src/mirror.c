/* The desktop mirror window (desc.mirror, PARALLAX_MIRROR=off|left|both): an SDL2 window with a Vulkan
 * swapchain of its own that shows a copy of the eye images.
 *
 * It must never delay the XR frame, so it takes no lock and never waits for the GPU:
 *   - in the frame's command buffer, after the multiview pass, the rendered eye area is copied to a mirror
 *     image of ours (the XR swapchain image is released right after, so it cannot be read later);
 *   - when the next frame's xrWaitFrame has returned (before the pacing sleep, which absorbs the cost) and
 *     the copying frame's fence shows the GPU is done with it, the window image is acquired with a zero
 *     timeout, a small submission blits the mirror image into it, and it is presented (MAILBOX or IMMEDIATE
 *     when offered, so presenting does not wait for the window's vblank). Presenting then, with the queue
 *     drained, matters: a software presenter (lavapipe's X11 path) waits inside vkQueuePresentKHR for all
 *     earlier work on the queue, and right after xrEndFrame that is the whole frame just submitted;
 *   - the frame's copy is dropped (counted as skipped) when the GPU has not finished it by then, the
 *     previous mirror submission is still running, or no window image is free.
 * Everything runs on the frame-loop thread, so the queue (shared with the OpenXR runtime, which uses it only
 * inside our calls) needs no extra lock. The window is created on the frame-loop thread, which also drains
 * SDL's event queue. With no display, SDL's video init fails: one log line and the mirror stays off. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_vulkan.h>
#include <stdlib.h>
#include <string.h>

#include "plx_internal.h"

#define MIRROR_MAX_IMAGES  8
#define MIRROR_MAX_EXTS    8
#define MIRROR_TIMING_RING 256
#define MIRROR_MAX_HEIGHT  540 /* window height cap; the width follows the eyes' aspect */

struct plx_mirror {
    plx_mirror_mode mode; /* what is shown now: LEFT, BOTH or OFF */
    plx_mirror_mode initial;
    bool video;         /* we hold SDL's video subsystem */
    bool vulkan_loaded; /* SDL_Vulkan_LoadLibrary succeeded */
    bool closed;        /* the user closed the window */
    const char *inst_exts[MIRROR_MAX_EXTS];
    unsigned inst_ext_count;

    SDL_Window *window;
    uint32_t window_id;
    VkSurfaceKHR surface;
    VkSwapchainKHR swapchain;
    VkSurfaceFormatKHR format;
    VkPresentModeKHR present_mode;
    VkExtent2D extent;
    uint32_t image_count;
    VkImage images[MIRROR_MAX_IMAGES];
    VkSemaphore present_sem[MIRROR_MAX_IMAGES]; /* per window image: reused only when it is re-acquired */
    bool needs_recreate;

    VkImage copy; /* 2 eyes wide, the XR colour format */
    VkDeviceMemory copy_memory;
    VkFilter filter;
    bool copy_ready;    /* a frame copied the eyes into copy; not yet presented */
    uint32_t copy_slot; /* that frame's slot and index: its fence says when the copy is done */
    uint64_t copy_frame;
    uint32_t src_w, src_h;   /* the copied area in copy */
    VkCommandBuffer cmd;     /* the mirror's own submission, re-recorded per present */
    VkSemaphore acquire_sem; /* reused only after fence shows the submission that waited on it is done */
    VkFence fence;           /* signalled when the mirror's submission finished (created signalled) */

    uint64_t presented, skipped;
    double present_ms[MIRROR_TIMING_RING];
    uint64_t timings;
};

plx_mirror *plx_mirror_open(plx_context *ctx, plx_mirror_mode mode)
{
    plx_mirror *m = calloc(1, sizeof *m);
    if (!m) {
        plx_log(ctx, PLX_LOG_ERROR, "PARALLAX_MIRROR: out of memory; the mirror stays off");
        return NULL;
    }
    m->mode = m->initial = mode;
    /* The app owns the process's signals, not us. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        plx_log(ctx, PLX_LOG_WARN, "PARALLAX_MIRROR: no display (%s); the mirror stays off", SDL_GetError());
        free(m);
        return NULL;
    }
    m->video = true;
    /* SDL falls back to drivers that show nothing when there is no display: treat that as no display
     * unless the user chose the driver on purpose. */
    const char *driver = SDL_GetCurrentVideoDriver();
    const char *forced = getenv("SDL_VIDEODRIVER");
    if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) && !(forced && *forced)) {
        plx_log(ctx, PLX_LOG_WARN,
                "PARALLAX_MIRROR: no display (SDL video driver \"%s\"); the mirror stays off", driver);
        plx_mirror_destroy(ctx, &m);
        return NULL;
    }
    if (SDL_Vulkan_LoadLibrary(NULL) != 0) {
        plx_log(ctx, PLX_LOG_WARN,
                "PARALLAX_MIRROR: SDL_Vulkan_LoadLibrary failed (%s); the mirror stays off", SDL_GetError());
        plx_mirror_destroy(ctx, &m);
        return NULL;
    }
    m->vulkan_loaded = true;
    unsigned n = 0;
    if (!SDL_Vulkan_GetInstanceExtensions(NULL, &n, NULL) || n > MIRROR_MAX_EXTS ||
        !SDL_Vulkan_GetInstanceExtensions(NULL, &n, m->inst_exts)) {
        plx_log(ctx, PLX_LOG_WARN,
                "PARALLAX_MIRROR: SDL_Vulkan_GetInstanceExtensions failed (%s); the mirror stays off",
                SDL_GetError());
        plx_mirror_destroy(ctx, &m);
        return NULL;
    }
    m->inst_ext_count = n;
    return m;
}

uint32_t plx_mirror_instance_extensions(plx_mirror *m, const char **names, uint32_t max)
{
    uint32_t n = 0;
    for (unsigned i = 0; i < m->inst_ext_count && n < max; i++) names[n++] = m->inst_exts[i];
    return n;
}

static bool is_srgb(VkFormat f)
{
    return f == VK_FORMAT_R8G8B8A8_SRGB || f == VK_FORMAT_B8G8R8A8_SRGB ||
           f == VK_FORMAT_A8B8G8R8_SRGB_PACK32;
}

static plx_result create_swapchain(plx_context *ctx, plx_mirror *m)
{
    VkPhysicalDevice pd = ctx->physical_device;
    VkSurfaceCapabilitiesKHR caps;
    plx_result res = PLX_VK(ctx, vkGetPhysicalDeviceSurfaceCapabilitiesKHR(pd, m->surface, &caps));
    if (res < 0) return res;
    if (!(caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_DST_BIT))
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "mirror: the window surface cannot be a transfer target");
    VkSurfaceFormatKHR formats[32];
    uint32_t nf = 32;
    res = PLX_VK(ctx, vkGetPhysicalDeviceSurfaceFormatsKHR(pd, m->surface, &nf, formats));
    if (res < 0) return res;
    if (nf == 0) return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "mirror: the surface offers no format");
    /* Same encoding as the eye images, so the blit does not change the colours. */
    m->format = formats[0];
    for (uint32_t i = 0; i < nf; i++) {
        VkFormatProperties fp;
        vkGetPhysicalDeviceFormatProperties(pd, formats[i].format, &fp);
        if (is_srgb(formats[i].format) == is_srgb(ctx->color.format) &&
            (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_DST_BIT)) {
            m->format = formats[i];
            break;
        }
    }
    VkPresentModeKHR modes[8];
    uint32_t nm = 8;
    res = PLX_VK(ctx, vkGetPhysicalDeviceSurfacePresentModesKHR(pd, m->surface, &nm, modes));
    if (res < 0) return res;
    m->present_mode = VK_PRESENT_MODE_FIFO_KHR; /* always offered */
    for (uint32_t i = 0; i < nm; i++) {
        if (modes[i] == VK_PRESENT_MODE_MAILBOX_KHR) m->present_mode = modes[i];
        if (modes[i] == VK_PRESENT_MODE_IMMEDIATE_KHR && m->present_mode != VK_PRESENT_MODE_MAILBOX_KHR)
            m->present_mode = modes[i];
    }
    if (caps.currentExtent.width != UINT32_MAX) {
        m->extent = caps.currentExtent;
    } else {
        int w = 0, h = 0;
        SDL_Vulkan_GetDrawableSize(m->window, &w, &h);
        m->extent = (VkExtent2D){(uint32_t)w, (uint32_t)h};
    }
    if (m->extent.width == 0 || m->extent.height == 0) return PLX_SUCCESS; /* minimised: later */
    uint32_t count = caps.minImageCount + 1 > 3 ? caps.minImageCount + 1 : 3;
    if (caps.maxImageCount && count > caps.maxImageCount) count = caps.maxImageCount;
    VkSwapchainKHR old = m->swapchain;
    VkSwapchainCreateInfoKHR ci = {
        .sType = VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR,
        .surface = m->surface,
        .minImageCount = count,
        .imageFormat = m->format.format,
        .imageColorSpace = m->format.colorSpace,
        .imageExtent = m->extent,
        .imageArrayLayers = 1,
        .imageUsage = VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        .imageSharingMode = VK_SHARING_MODE_EXCLUSIVE,
        .preTransform = caps.currentTransform,
        .compositeAlpha =
            (caps.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR)
                ? VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR
                : (VkCompositeAlphaFlagBitsKHR)(caps.supportedCompositeAlpha & -caps.supportedCompositeAlpha),
        .presentMode = m->present_mode,
        .clipped = VK_TRUE,
        .oldSwapchain = old,
    };
    res = PLX_VK(ctx, vkCreateSwapchainKHR(ctx->device, &ci, NULL, &m->swapchain));
    if (old != VK_NULL_HANDLE) vkDestroySwapchainKHR(ctx->device, old, NULL);
    if (res < 0) {
        m->swapchain = VK_NULL_HANDLE;
        return res;
    }
    uint32_t ni = 0;
    if ((res = PLX_VK(ctx, vkGetSwapchainImagesKHR(ctx->device, m->swapchain, &ni, NULL))) < 0) return res;
    if (ni > MIRROR_MAX_IMAGES) ni = MIRROR_MAX_IMAGES;
    res = PLX_VK(ctx, vkGetSwapchainImagesKHR(ctx->device, m->swapchain, &ni, m->images));
    if (res < 0) return res;
    VkSemaphoreCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    for (uint32_t i = m->image_count; i < ni; i++) {
        if ((res = PLX_VK(ctx, vkCreateSemaphore(ctx->device, &si, NULL, &m->present_sem[i]))) < 0)
            return res;
    }
    if (ni > m->image_count) m->image_count = ni;
    m->needs_recreate = false;
    return PLX_SUCCESS;
}

plx_result plx_mirror_create_gpu(plx_context *ctx, plx_mirror *m)
{
    /* Window size: the eyes' aspect, at most MIRROR_MAX_HEIGHT tall. */
    uint32_t h = ctx->eye_height < MIRROR_MAX_HEIGHT ? ctx->eye_height : MIRROR_MAX_HEIGHT;
    uint32_t w = (uint32_t)((uint64_t)h * ctx->eye_width / (ctx->eye_height ? ctx->eye_height : 1));
    if (m->initial == PLX_MIRROR_BOTH) w *= 2;
    m->window =
        SDL_CreateWindow("Parallax mirror", 0, 0, (int)w, (int)h, SDL_WINDOW_VULKAN | SDL_WINDOW_SHOWN);
    if (!m->window)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "SDL_CreateWindow failed: %s", SDL_GetError());
    m->window_id = SDL_GetWindowID(m->window);
    if (!SDL_Vulkan_CreateSurface(m->window, ctx->vk_instance, &m->surface))
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "SDL_Vulkan_CreateSurface failed: %s", SDL_GetError());
    VkBool32 supported = VK_FALSE;
    plx_result res = PLX_VK(ctx, vkGetPhysicalDeviceSurfaceSupportKHR(
                                     ctx->physical_device, ctx->queue_family_index, m->surface, &supported));
    if (res < 0) return res;
    if (!supported)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "the XR queue family cannot present to the mirror window");
    VkFormatProperties fp;
    vkGetPhysicalDeviceFormatProperties(ctx->physical_device, ctx->color.format, &fp);
    if (!(fp.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_SRC_BIT))
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED, "mirror: VkFormat %d cannot be a blit source",
                        (int)ctx->color.format);
    m->filter = (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT)
                    ? VK_FILTER_LINEAR
                    : VK_FILTER_NEAREST;
    if ((res = create_swapchain(ctx, m)) < 0) return res;

    VkImageCreateInfo ii = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
        .imageType = VK_IMAGE_TYPE_2D,
        .format = ctx->color.format,
        .extent = {ctx->eye_width * 2, ctx->eye_height, 1},
        .mipLevels = 1,
        .arrayLayers = 1,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .tiling = VK_IMAGE_TILING_OPTIMAL,
        .usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
        .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
    };
    if ((res = PLX_VK(ctx, vkCreateImage(ctx->device, &ii, NULL, &m->copy))) < 0) return res;
    VkMemoryRequirements mr;
    vkGetImageMemoryRequirements(ctx->device, m->copy, &mr);
    uint32_t type = 0;
    if ((res = plx_vk_find_memory(ctx, mr.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &type)) < 0)
        return res;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = mr.size, .memoryTypeIndex = type};
    if ((res = PLX_VK(ctx, vkAllocateMemory(ctx->device, &ai, NULL, &m->copy_memory))) < 0) return res;
    if ((res = PLX_VK(ctx, vkBindImageMemory(ctx->device, m->copy, m->copy_memory, 0))) < 0) return res;

    VkCommandBufferAllocateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = ctx->command_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    if ((res = PLX_VK(ctx, vkAllocateCommandBuffers(ctx->device, &ci, &m->cmd))) < 0) return res;
    VkSemaphoreCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    if ((res = PLX_VK(ctx, vkCreateSemaphore(ctx->device, &si, NULL, &m->acquire_sem))) < 0) return res;
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
                            .flags = VK_FENCE_CREATE_SIGNALED_BIT};
    if ((res = PLX_VK(ctx, vkCreateFence(ctx->device, &fi, NULL, &m->fence))) < 0) return res;
    plx_log(ctx, PLX_LOG_INFO, "mirror window: %ux%u, %s, present mode %d", m->extent.width, m->extent.height,
            m->initial == PLX_MIRROR_BOTH ? "both eyes" : "left eye", (int)m->present_mode);
    return PLX_SUCCESS;
}

static VkImageMemoryBarrier barrier(VkImage image, uint32_t layers, VkImageLayout from, VkImageLayout to,
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
        .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, layers},
    };
}

void plx_mirror_record_copy(plx_context *ctx, plx_mirror *m, const plx_frame *frame, plx_frame_slot *slot)
{
    if (m->mode == PLX_MIRROR_OFF || m->closed || !m->swapchain || !m->copy) return;
    /* The previous mirror submission still reads the copy image: skip rather than wait. (A copy not yet
     * presented is replaced: the newer frame is the one to show.) */
    if (vkGetFenceStatus(ctx->device, m->fence) != VK_SUCCESS) {
        m->skipped++;
        return;
    }
    if (m->copy_ready) m->skipped++;
    VkCommandBuffer cmd = slot->cmd;
    VkImage eye = ctx->color.images[ctx->color_index];
    uint32_t eyes = m->mode == PLX_MIRROR_BOTH ? 2 : 1;
    VkImageMemoryBarrier pre[2] = {
        barrier(eye, 2, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT),
        /* The old contents are not needed; the previous mirror read finished (fence above). */
        barrier(m->copy, 1, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
                VK_ACCESS_TRANSFER_WRITE_BIT),
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0, NULL, 2, pre);
    VkImageCopy regions[2];
    for (uint32_t e = 0; e < eyes; e++) {
        regions[e] = (VkImageCopy){
            .srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, e, 1},
            .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
            .dstOffset = {(int32_t)(e * frame->width), 0, 0},
            .extent = {frame->width, frame->height, 1},
        };
    }
    vkCmdCopyImage(cmd, eye, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, m->copy,
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, eyes, regions);
    /* Back to what the runtime expects at release; the copy ready for the mirror's blit. */
    VkImageMemoryBarrier post[2] = {
        barrier(eye, 2, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                VK_ACCESS_TRANSFER_READ_BIT,
                VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT),
        barrier(m->copy, 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT),
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0,
                         NULL, 0, NULL, 2, post);
    m->src_w = eyes * frame->width;
    m->src_h = frame->height;
    m->copy_ready = true;
    m->copy_slot = frame->slot;
    m->copy_frame = frame->index;
}

/* Window events: the close button turns the mirror off (the XR session carries on). */
static void pump_events(plx_context *ctx, plx_mirror *m)
{
    SDL_Event ev;
    while (SDL_PollEvent(&ev)) {
        if (ev.type == SDL_WINDOWEVENT && ev.window.windowID == m->window_id) {
            if (ev.window.event == SDL_WINDOWEVENT_CLOSE) {
                plx_log(ctx, PLX_LOG_INFO, "mirror window closed; the mirror is off");
                m->closed = true;
                SDL_HideWindow(m->window);
            } else if (ev.window.event == SDL_WINDOWEVENT_SIZE_CHANGED) {
                m->needs_recreate = true;
            }
        }
    }
}

void plx_mirror_events(plx_context *ctx, plx_mirror *m)
{
    if (m->window) pump_events(ctx, m);
}

void plx_mirror_present(plx_context *ctx, plx_mirror *m)
{
    if (!m->window || !m->copy_ready) return;
    int64_t t0 = plx_now_ns();
    /* The GPU must have finished the copying frame (a slot no longer in flight, or holding a newer frame,
     * has finished it) and the previous mirror blit; otherwise drop this copy rather than wait. */
    const plx_frame_slot *slot = &ctx->slots[m->copy_slot];
    bool done = !slot->in_flight || slot->frame_index != m->copy_frame ||
                vkGetFenceStatus(ctx->device, slot->fence) == VK_SUCCESS;
    m->copy_ready = false;
    if (!done || vkGetFenceStatus(ctx->device, m->fence) != VK_SUCCESS) {
        m->skipped++;
        return;
    }
    plx_result res;
    if (m->needs_recreate || !m->swapchain) {
        /* Resizes are rare; the GPU must be done with the old swapchain's images first. */
        if ((res = PLX_VK(ctx, vkQueueWaitIdle(ctx->queue))) < 0) goto off;
        if ((res = create_swapchain(ctx, m)) < 0) goto off;
        if (!m->swapchain) return;
    }
    uint32_t index = 0;
    VkResult vr = vkAcquireNextImageKHR(ctx->device, m->swapchain, 0, m->acquire_sem, VK_NULL_HANDLE, &index);
    if (vr == VK_NOT_READY || vr == VK_TIMEOUT) {
        m->skipped++; /* every window image is still queued for display: skip, never wait */
        return;
    }
    if (vr == VK_ERROR_OUT_OF_DATE_KHR) {
        m->needs_recreate = true;
        m->skipped++;
        return;
    }
    if (vr == VK_SUBOPTIMAL_KHR)
        m->needs_recreate = true;
    else if ((res = PLX_VK(ctx, vr)) < 0)
        goto off;

    VkCommandBuffer cmd = m->cmd;
    if ((res = PLX_VK(ctx, vkResetFences(ctx->device, 1, &m->fence))) < 0) goto off;
    if ((res = PLX_VK(ctx, vkResetCommandBuffer(cmd, 0))) < 0) goto off;
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    if ((res = PLX_VK(ctx, vkBeginCommandBuffer(cmd, &bi))) < 0) goto off;
    VkImageMemoryBarrier to_dst =
        barrier(m->images[index], 1, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
                VK_ACCESS_TRANSFER_WRITE_BIT);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
                         NULL, 1, &to_dst);
    VkImageBlit blit = {
        .srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
        .srcOffsets = {{0, 0, 0}, {(int32_t)m->src_w, (int32_t)m->src_h, 1}},
        .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
        .dstOffsets = {{0, 0, 0}, {(int32_t)m->extent.width, (int32_t)m->extent.height, 1}},
    };
    vkCmdBlitImage(cmd, m->copy, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, m->images[index],
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, m->filter);
    VkImageMemoryBarrier to_present =
        barrier(m->images[index], 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                VK_ACCESS_TRANSFER_WRITE_BIT, 0);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0,
                         NULL, 0, NULL, 1, &to_present);
    if ((res = PLX_VK(ctx, vkEndCommandBuffer(cmd))) < 0) goto off;
    VkPipelineStageFlags wait_stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO,
        .waitSemaphoreCount = 1,
        .pWaitSemaphores = &m->acquire_sem,
        .pWaitDstStageMask = &wait_stage,
        .commandBufferCount = 1,
        .pCommandBuffers = &cmd,
        .signalSemaphoreCount = 1,
        .pSignalSemaphores = &m->present_sem[index],
    };
    if ((res = PLX_VK(ctx, vkQueueSubmit(ctx->queue, 1, &si, m->fence))) < 0) goto off;
    VkPresentInfoKHR pi = {
        .sType = VK_STRUCTURE_TYPE_PRESENT_INFO_KHR,
        .waitSemaphoreCount = 1,
        .pWaitSemaphores = &m->present_sem[index],
        .swapchainCount = 1,
        .pSwapchains = &m->swapchain,
        .pImageIndices = &index,
    };
    vr = vkQueuePresentKHR(ctx->queue, &pi);
    if (vr == VK_ERROR_OUT_OF_DATE_KHR || vr == VK_SUBOPTIMAL_KHR) {
        m->needs_recreate = true;
    } else if ((res = PLX_VK(ctx, vr)) < 0) {
        goto off;
    }
    m->presented++;
    m->present_ms[m->timings++ % MIRROR_TIMING_RING] = (double)(plx_now_ns() - t0) * 1e-6;
    return;
off:
    /* The XR frame goes on without the mirror. */
    plx_log(ctx, PLX_LOG_WARN, "mirror window: presenting failed (%s); the mirror is off", ctx->last_error);
    m->closed = true;
}

plx_result plx_mirror_set_mode(plx_context *ctx, plx_mirror *m, plx_mirror_mode mode)
{
    (void)ctx;
    m->mode = mode;
    return PLX_SUCCESS;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void plx_mirror_status_get(const plx_mirror *m, plx_mirror_status *out)
{
    double sorted[MIRROR_TIMING_RING];
    uint32_t n = m->timings < MIRROR_TIMING_RING ? (uint32_t)m->timings : MIRROR_TIMING_RING;
    memcpy(sorted, m->present_ms, n * sizeof sorted[0]);
    qsort(sorted, n, sizeof sorted[0], cmp_double);
    uint32_t rank = (uint32_t)(0.99 * n + 0.999999);
    *out = (plx_mirror_status){
        .available = m->window != NULL && !m->closed,
        .mode = m->closed ? PLX_MIRROR_OFF : m->mode,
        .width = m->extent.width,
        .height = m->extent.height,
        .presented = m->presented,
        .skipped = m->skipped,
        .present_p99_ms = n ? sorted[(rank ? rank : 1) - 1] : -1.0,
    };
}

void plx_mirror_destroy(plx_context *ctx, plx_mirror **pm)
{
    if (!pm || !*pm) return;
    plx_mirror *m = *pm;
    *pm = NULL;
    if (ctx->device) {
        /* Presentation has no fence of its own; an idle queue means the window images and semaphores are no
         * longer in use. Only at teardown. */
        if (m->swapchain || m->fence) PLX_VK(ctx, vkQueueWaitIdle(ctx->queue));
        if (m->swapchain) vkDestroySwapchainKHR(ctx->device, m->swapchain, NULL);
        for (uint32_t i = 0; i < m->image_count; i++)
            vkDestroySemaphore(ctx->device, m->present_sem[i], NULL);
        vkDestroySemaphore(ctx->device, m->acquire_sem, NULL);
        vkDestroyFence(ctx->device, m->fence, NULL);
        if (m->cmd) vkFreeCommandBuffers(ctx->device, ctx->command_pool, 1, &m->cmd);
        vkDestroyImage(ctx->device, m->copy, NULL);
        vkFreeMemory(ctx->device, m->copy_memory, NULL);
    }
    if (m->surface && ctx->vk_instance) vkDestroySurfaceKHR(ctx->vk_instance, m->surface, NULL);
    if (m->window) SDL_DestroyWindow(m->window);
    if (m->vulkan_loaded) SDL_Vulkan_UnloadLibrary();
    if (m->video) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(m);
}
