/* SPDX-License-Identifier: MIT */
/* Layer 5, overlay: the desktop mirror window (desc.mirror, PARALLAX_MIRROR=off|left|both): an SDL2 window
 * with a Vulkan swapchain of its own that shows a copy of the eye images.
 *
 * It must never delay the XR frame, and presenting to a window can be slow (lavapipe's X11 presenter makes
 * window-system round trips in vkAcquireNextImageKHR and vkQueuePresentKHR and waits there for its queue to
 * drain). So the window has its own path end to end:
 *   - the frame's command buffer, after the multiview pass, copies the rendered eye area into a host-visible
 *     readback buffer (two of them, so one can be read while the next frame writes the other);
 *   - the frame thread hands a buffer to the mirror thread once that frame's fence shows the copy done
 *     (polled, never waited), dropping the older buffer if the thread has not taken it yet;
 *   - the mirror thread owns a second VkDevice on the same GPU, created with VK_KHR_swapchain and its own
 *     queue, so its uploads, blits and presents (MAILBOX or IMMEDIATE when offered) never touch, or lock,
 *     the queue the XR frames and the OpenXR runtime use.
 * A frame is not mirrored (counted as skipped) when no readback buffer is free or the thread is still busy
 * with an older one. The instance extensions (VK_KHR_surface and the window system's) are requested through
 * xrCreateVulkanInstanceKHR with the XR instance, which both devices share. The SDL window is created and its
 * events drained on the frame-loop thread. With no display, SDL's video init fails: one log line, and the
 * mirror stays off.
 *
 * SDL has one video subsystem and one event queue per process, which the simulated headset's preview window
 * (PARALLAX_SIM_WINDOW, on a thread of its own) or the app's own SDL windows may share. So the mirror takes
 * from the queue only its own window's events (by windowID, SDL_FilterEvents, under the queue's lock) and
 * leaves every other one where it is, SDL_QUIT included: SDL sends SDL_QUIT when the last SDL window gets a
 * close request, which says nothing about the mirror (its own SDL_WINDOWEVENT_CLOSE does) and may be the
 * app's. Pumping from two threads is safe enough on X11: SDL's X11 driver calls XInitThreads before it opens
 * its display, and SDL 2.26 takes X events with XCheckIfEvent, atomically and without blocking, so each event
 * is translated once into the one queue, whichever thread pumps. SDL's window lists must not change under a
 * pump: the preview creates and destroys its window inside xrBeginSession / xrEndSession, on this thread, so
 * never while the mirror pumps. SDL_InitSubSystem and SDL_QuitSubSystem come in pairs here, so the video
 * subsystem (which would take every window with it) stays up while anyone uses it.
 * May call gpu/ (the frame slots' state) and base/. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_vulkan.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "overlay/plx_overlay.h"
#include "plx_sdl_events.h"

#define MIRROR_MAX_IMAGES  8
#define MIRROR_MAX_EXTS    8
#define MIRROR_TIMING_RING 256
#define MIRROR_BUFFERS     2
#define MIRROR_MAX_HEIGHT  540 /* window height cap; the width follows the eyes' aspect */
#define MIRROR_ACQUIRE_NS \
    100000000ull /* the thread re-checks for shutdown this often when no image is free */

typedef enum buffer_state {
    BUF_FREE = 0,  /* may be written by a frame */
    BUF_RECORDED,  /* a frame's command buffer copies into it */
    BUF_SUBMITTED, /* that frame was submitted: done when its fence signals */
    BUF_READY,     /* the copy is done: handed to the mirror thread */
    BUF_READING,   /* the mirror thread reads it */
} buffer_state;

typedef struct readback {
    VkBuffer buffer; /* on the XR device */
    VkDeviceMemory memory;
    void *mapped;
    buffer_state state; /* guarded by the mirror's lock from BUF_READY on */
    uint32_t slot;      /* the copying frame's slot and index */
    uint64_t frame;
    uint32_t width, height; /* the copied area: eyes * eye render width by height */
} readback;

struct plx_mirror {
    const plx_report *report; /* for log lines from the thread (the sink is thread-safe) */
    VkPhysicalDevice physical_device;
    VkFormat color_format; /* of the eye images */
    plx_mirror_mode mode;  /* what is copied now: LEFT, BOTH or OFF (frame thread) */
    plx_mirror_mode initial;
    bool video;         /* we hold SDL's video subsystem */
    bool vulkan_loaded; /* SDL_Vulkan_LoadLibrary succeeded */
    bool closed;        /* the user closed the window (frame thread) */
    bool backlog;       /* the last batch of window events was full: more wait in the queue (frame thread) */
    const char *inst_exts[MIRROR_MAX_EXTS];
    unsigned inst_ext_count;
    SDL_Window *window;
    uint32_t window_id;
    VkSurfaceKHR surface;

    /* frame thread, XR device */
    readback rb[MIRROR_BUFFERS];
    VkDeviceSize rb_size;

    /* mirror thread, its own device */
    VkDevice device;
    VkQueue queue;
    uint32_t family;
    PFN_vkGetDeviceProcAddr gdpa;
    VkCommandPool pool;
    VkCommandBuffer cmd;
    VkFence fence;           /* the thread's last submission (created signalled) */
    VkSemaphore acquire_sem; /* reused after fence shows the submission that waited on it is done */
    VkBuffer staging;        /* the pixels, uploaded into image */
    VkDeviceMemory staging_memory;
    void *staging_mapped;
    VkImage image; /* 2 eyes wide, the XR colour format */
    VkDeviceMemory image_memory;
    VkFilter filter;
    VkSwapchainKHR swapchain;
    VkSurfaceFormatKHR format;
    VkPresentModeKHR present_mode;
    VkExtent2D extent;
    uint32_t image_count;
    VkImage images[MIRROR_MAX_IMAGES];
    VkSemaphore present_sem[MIRROR_MAX_IMAGES]; /* per window image: reused only when it is re-acquired */

    pthread_t thread;
    bool thread_started;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool quit;          /* under lock */
    int ready;          /* index of the buffer handed over, -1 none (under lock) */
    bool failed;        /* the thread stopped on an error (under lock) */
    uint64_t presented; /* under lock */
    uint64_t skipped;   /* under lock */
    double present_ms[MIRROR_TIMING_RING];
    uint64_t timings; /* under lock */
};

/* The window and SDL's subsystems (no Vulkan object is left by then). */
static void mirror_free(plx_mirror *m)
{
    if (m->window) SDL_DestroyWindow(m->window);
    if (m->vulkan_loaded) SDL_Vulkan_UnloadLibrary();
    if (m->video) SDL_QuitSubSystem(SDL_INIT_VIDEO);
    free(m);
}

plx_mirror *plx_mirror_open(const plx_report *r, plx_mirror_mode mode)
{
    plx_mirror *m = calloc(1, sizeof *m);
    if (!m) {
        plx_log(r, PLX_LOG_ERROR, "PARALLAX_MIRROR: out of memory; the mirror stays off");
        return NULL;
    }
    m->report = r;
    m->mode = m->initial = mode;
    m->ready = -1;
    /* The app owns the process's signals, not us. */
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        plx_log(r, PLX_LOG_WARN, "PARALLAX_MIRROR: no display (%s); the mirror stays off", SDL_GetError());
        free(m);
        return NULL;
    }
    m->video = true;
    /* SDL falls back to drivers that show nothing when there is no display: treat that as no display
     * unless the user chose the driver on purpose. */
    const char *driver = SDL_GetCurrentVideoDriver();
    const char *forced = getenv("SDL_VIDEODRIVER");
    if (driver && (!strcmp(driver, "offscreen") || !strcmp(driver, "dummy")) && !(forced && *forced)) {
        plx_log(r, PLX_LOG_WARN,
                "PARALLAX_MIRROR: no display (SDL video driver \"%s\"); the mirror stays off", driver);
        mirror_free(m);
        return NULL;
    }
    if (SDL_Vulkan_LoadLibrary(NULL) != 0) {
        plx_log(r, PLX_LOG_WARN, "PARALLAX_MIRROR: SDL_Vulkan_LoadLibrary failed (%s); the mirror stays off",
                SDL_GetError());
        mirror_free(m);
        return NULL;
    }
    m->vulkan_loaded = true;
    unsigned n = 0;
    if (!SDL_Vulkan_GetInstanceExtensions(NULL, &n, NULL) || n > MIRROR_MAX_EXTS ||
        !SDL_Vulkan_GetInstanceExtensions(NULL, &n, m->inst_exts)) {
        plx_log(r, PLX_LOG_WARN,
                "PARALLAX_MIRROR: SDL_Vulkan_GetInstanceExtensions failed (%s); the mirror stays off",
                SDL_GetError());
        mirror_free(m);
        return NULL;
    }
    m->inst_ext_count = n;
    return m;
}

uint32_t plx_mirror_instance_extensions(const plx_mirror *m, const char **names, uint32_t max)
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

/* Log and give the result, for the mirror thread, which must not touch the context's last error. */
static bool vk_ok(const plx_mirror *m, VkResult vr, const char *call)
{
    if (vr >= 0) return true;
    plx_log(m->report, PLX_LOG_ERROR, "mirror window: %s failed: %s", call, plx_vk_result_name(vr));
    return false;
}

static bool find_memory(const plx_vk *vk, uint32_t bits, VkMemoryPropertyFlags want, uint32_t *out)
{
    const VkPhysicalDeviceMemoryProperties *mp = &vk->memory_properties;
    for (uint32_t i = 0; i < mp->memoryTypeCount; i++) {
        if ((bits & (1u << i)) && (mp->memoryTypes[i].propertyFlags & want) == want) {
            *out = i;
            return true;
        }
    }
    return false;
}

/* The mirror device's swapchain (again after a resize). Called on the frame thread at creation and on the
 * mirror thread afterwards, never both at once. */
static bool create_swapchain(plx_mirror *m)
{
    VkPhysicalDevice pd = m->physical_device;
    VkSurfaceCapabilitiesKHR caps;
    if (!vk_ok(m, vkGetPhysicalDeviceSurfaceCapabilitiesKHR(pd, m->surface, &caps),
               "vkGetPhysicalDeviceSurfaceCapabilitiesKHR"))
        return false;
    if (!(caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_DST_BIT)) {
        plx_log(m->report, PLX_LOG_ERROR, "mirror window: the surface cannot be a transfer target");
        return false;
    }
    VkSurfaceFormatKHR formats[32];
    uint32_t nf = 32;
    if (!vk_ok(m, vkGetPhysicalDeviceSurfaceFormatsKHR(pd, m->surface, &nf, formats),
               "vkGetPhysicalDeviceSurfaceFormatsKHR") ||
        nf == 0)
        return false;
    /* Same encoding as the eye images, so the blit does not change the colours. */
    m->format = formats[0];
    for (uint32_t i = 0; i < nf; i++) {
        VkFormatProperties fp;
        vkGetPhysicalDeviceFormatProperties(pd, formats[i].format, &fp);
        if (is_srgb(formats[i].format) == is_srgb(m->color_format) &&
            (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_DST_BIT)) {
            m->format = formats[i];
            break;
        }
    }
    VkPresentModeKHR modes[8];
    uint32_t nm = 8;
    if (!vk_ok(m, vkGetPhysicalDeviceSurfacePresentModesKHR(pd, m->surface, &nm, modes),
               "vkGetPhysicalDeviceSurfacePresentModesKHR"))
        return false;
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
    if (m->extent.width == 0 || m->extent.height == 0) return true; /* minimised: later */
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
    VkResult vr = vkCreateSwapchainKHR(m->device, &ci, NULL, &m->swapchain);
    if (old != VK_NULL_HANDLE) vkDestroySwapchainKHR(m->device, old, NULL);
    if (!vk_ok(m, vr, "vkCreateSwapchainKHR")) {
        m->swapchain = VK_NULL_HANDLE;
        return false;
    }
    uint32_t ni = MIRROR_MAX_IMAGES;
    if (!vk_ok(m, vkGetSwapchainImagesKHR(m->device, m->swapchain, &ni, m->images),
               "vkGetSwapchainImagesKHR"))
        return false;
    VkSemaphoreCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    for (uint32_t i = m->image_count; i < ni; i++) {
        if (!vk_ok(m, vkCreateSemaphore(m->device, &si, NULL, &m->present_sem[i]), "vkCreateSemaphore"))
            return false;
        m->image_count = i + 1;
    }
    return true;
}

/* The mirror's own device: same GPU, one queue of a family that can present to the window. */
static plx_result create_device(plx_mirror *m, plx_report *r)
{
    VkQueueFamilyProperties qf[16];
    uint32_t n = 16;
    vkGetPhysicalDeviceQueueFamilyProperties(m->physical_device, &n, qf);
    m->family = UINT32_MAX;
    for (uint32_t i = 0; i < n && m->family == UINT32_MAX; i++) {
        VkBool32 present = VK_FALSE;
        plx_result res =
            PLX_VK(r, vkGetPhysicalDeviceSurfaceSupportKHR(m->physical_device, i, m->surface, &present));
        if (res < 0) return res;
        if (present && (qf[i].queueFlags & VK_QUEUE_GRAPHICS_BIT)) m->family = i; /* blits need graphics */
    }
    if (m->family == UINT32_MAX)
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED,
                        "mirror: no graphics queue family can present to the window");
    const float priority = 0.0f; /* the XR device's queue matters more */
    VkDeviceQueueCreateInfo qi = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO,
        .queueFamilyIndex = m->family,
        .queueCount = 1,
        .pQueuePriorities = &priority,
    };
    const char *ext = VK_KHR_SWAPCHAIN_EXTENSION_NAME;
    VkDeviceCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO,
        .queueCreateInfoCount = 1,
        .pQueueCreateInfos = &qi,
        .enabledExtensionCount = 1,
        .ppEnabledExtensionNames = &ext,
    };
    plx_result res = PLX_VK(r, vkCreateDevice(m->physical_device, &ci, NULL, &m->device));
    if (res < 0) return res;
    vkGetDeviceQueue(m->device, m->family, 0, &m->queue);
    return PLX_SUCCESS;
}

/* A buffer with host-visible, coherent memory, mapped. */
static plx_result host_buffer(plx_report *r, const plx_vk *vk, VkDevice dev, VkDeviceSize size,
                              VkBufferUsageFlags usage, VkBuffer *out_buffer, VkDeviceMemory *out_memory,
                              void **out_mapped)
{
    VkBufferCreateInfo bi = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                             .size = size,
                             .usage = usage,
                             .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    plx_result res = PLX_VK(r, vkCreateBuffer(dev, &bi, NULL, out_buffer));
    if (res < 0) return res;
    VkMemoryRequirements mr;
    vkGetBufferMemoryRequirements(dev, *out_buffer, &mr);
    uint32_t type = 0;
    /* Cached memory makes the CPU's reads of the pixels fast where it exists. */
    if (!find_memory(vk, mr.memoryTypeBits,
                     VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT |
                         VK_MEMORY_PROPERTY_HOST_CACHED_BIT,
                     &type) &&
        !find_memory(vk, mr.memoryTypeBits,
                     VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, &type))
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "mirror: no host-visible coherent memory");
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = mr.size, .memoryTypeIndex = type};
    if ((res = PLX_VK(r, vkAllocateMemory(dev, &ai, NULL, out_memory))) < 0) return res;
    if ((res = PLX_VK(r, vkBindBufferMemory(dev, *out_buffer, *out_memory, 0))) < 0) return res;
    return PLX_VK(r, vkMapMemory(dev, *out_memory, 0, size, 0, out_mapped));
}

static void *mirror_thread(void *arg);

plx_result plx_mirror_create_gpu(plx_mirror *m, plx_report *r, const plx_gpu *gpu, VkFormat color_format,
                                 uint32_t eye_width, uint32_t eye_height)
{
    const plx_vk *vk = &gpu->vk;
    m->physical_device = vk->physical_device;
    m->color_format = color_format;
    /* Window size: the eyes' aspect, at most MIRROR_MAX_HEIGHT tall. */
    uint32_t h = eye_height < MIRROR_MAX_HEIGHT ? eye_height : MIRROR_MAX_HEIGHT;
    uint32_t w = (uint32_t)((uint64_t)h * eye_width / (eye_height ? eye_height : 1));
    if (m->initial == PLX_MIRROR_BOTH) w *= 2;
    m->window =
        SDL_CreateWindow("Parallax mirror", 0, 0, (int)w, (int)h, SDL_WINDOW_VULKAN | SDL_WINDOW_SHOWN);
    if (!m->window) return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "SDL_CreateWindow failed: %s", SDL_GetError());
    m->window_id = SDL_GetWindowID(m->window);
    if (!SDL_Vulkan_CreateSurface(m->window, vk->instance, &m->surface))
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "SDL_Vulkan_CreateSurface failed: %s", SDL_GetError());
    VkFormatProperties fp;
    vkGetPhysicalDeviceFormatProperties(vk->physical_device, color_format, &fp);
    if (!(fp.optimalTilingFeatures & VK_FORMAT_FEATURE_BLIT_SRC_BIT))
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "mirror: VkFormat %d cannot be a blit source",
                        (int)color_format);
    m->filter = (fp.optimalTilingFeatures & VK_FORMAT_FEATURE_SAMPLED_IMAGE_FILTER_LINEAR_BIT)
                    ? VK_FILTER_LINEAR
                    : VK_FILTER_NEAREST;
    plx_result res = create_device(m, r);
    if (res < 0) return res;
    if (!create_swapchain(m)) return PLX_FAIL(r, PLX_ERROR_VULKAN, "mirror: the window swapchain failed");

    /* Readback buffers on the XR device, staging buffer and image on the mirror's: both eyes, 4 bytes. */
    m->rb_size = (VkDeviceSize)eye_width * 2 * eye_height * 4;
    for (int i = 0; i < MIRROR_BUFFERS; i++) {
        res = host_buffer(r, vk, vk->device, m->rb_size, VK_BUFFER_USAGE_TRANSFER_DST_BIT, &m->rb[i].buffer,
                          &m->rb[i].memory, &m->rb[i].mapped);
        if (res < 0) return res;
    }
    res = host_buffer(r, vk, m->device, m->rb_size, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, &m->staging,
                      &m->staging_memory, &m->staging_mapped);
    if (res < 0) return res;
    VkImageCreateInfo ii = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO,
        .imageType = VK_IMAGE_TYPE_2D,
        .format = color_format,
        .extent = {eye_width * 2, eye_height, 1},
        .mipLevels = 1,
        .arrayLayers = 1,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .tiling = VK_IMAGE_TILING_OPTIMAL,
        .usage = VK_IMAGE_USAGE_TRANSFER_SRC_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT,
        .sharingMode = VK_SHARING_MODE_EXCLUSIVE,
        .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
    };
    if ((res = PLX_VK(r, vkCreateImage(m->device, &ii, NULL, &m->image))) < 0) return res;
    VkMemoryRequirements mr;
    vkGetImageMemoryRequirements(m->device, m->image, &mr);
    uint32_t type = 0;
    if (!find_memory(vk, mr.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &type))
        return PLX_FAIL(r, PLX_ERROR_UNSUPPORTED, "mirror: no device-local memory for the mirror image");
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = mr.size, .memoryTypeIndex = type};
    if ((res = PLX_VK(r, vkAllocateMemory(m->device, &ai, NULL, &m->image_memory))) < 0) return res;
    if ((res = PLX_VK(r, vkBindImageMemory(m->device, m->image, m->image_memory, 0))) < 0) return res;

    VkCommandPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = m->family,
    };
    if ((res = PLX_VK(r, vkCreateCommandPool(m->device, &pi, NULL, &m->pool))) < 0) return res;
    VkCommandBufferAllocateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = m->pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    if ((res = PLX_VK(r, vkAllocateCommandBuffers(m->device, &ci, &m->cmd))) < 0) return res;
    VkSemaphoreCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    if ((res = PLX_VK(r, vkCreateSemaphore(m->device, &si, NULL, &m->acquire_sem))) < 0) return res;
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO,
                            .flags = VK_FENCE_CREATE_SIGNALED_BIT};
    if ((res = PLX_VK(r, vkCreateFence(m->device, &fi, NULL, &m->fence))) < 0) return res;

    if (pthread_mutex_init(&m->lock, NULL) != 0 || pthread_cond_init(&m->cond, NULL) != 0)
        return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "mirror: pthread mutex/cond init failed");
    if (pthread_create(&m->thread, NULL, mirror_thread, m) != 0)
        return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "mirror: pthread_create failed");
    m->thread_started = true;
    plx_log(r, PLX_LOG_INFO, "mirror window: %ux%u, %s, present mode %d, own device and thread",
            m->extent.width, m->extent.height, m->initial == PLX_MIRROR_BOTH ? "both eyes" : "left eye",
            (int)m->present_mode);
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

void plx_mirror_record_copy(plx_mirror *m, const plx_frame *frame, VkCommandBuffer cmd, VkImage eye)
{
    if (m->mode == PLX_MIRROR_OFF || m->closed || !m->thread_started) return;
    readback *rb = NULL;
    pthread_mutex_lock(&m->lock); /* the thread frees buffers */
    for (int i = 0; i < MIRROR_BUFFERS && !rb; i++) {
        if (m->rb[i].state == BUF_FREE) rb = &m->rb[i];
    }
    if (rb)
        rb->state = BUF_RECORDED;
    else
        m->skipped++; /* both buffers are with the GPU or the thread: skip rather than wait */
    pthread_mutex_unlock(&m->lock);
    if (!rb) return;
    uint32_t eyes = m->mode == PLX_MIRROR_BOTH ? 2 : 1;
    VkImageMemoryBarrier pre =
        barrier(eye, 2, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         0, 0, NULL, 0, NULL, 1, &pre);
    /* Both eyes side by side in one row-major image: eye e starts e * width pixels into each row. */
    VkBufferImageCopy regions[2];
    for (uint32_t e = 0; e < eyes; e++) {
        regions[e] = (VkBufferImageCopy){
            .bufferOffset = (VkDeviceSize)e * frame->width * 4,
            .bufferRowLength = eyes * frame->width,
            .bufferImageHeight = frame->height,
            .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, e, 1},
            .imageExtent = {frame->width, frame->height, 1},
        };
    }
    vkCmdCopyImageToBuffer(cmd, eye, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, rb->buffer, eyes, regions);
    /* Back to what the runtime expects at release; the pixels visible to the host once the fence signals. */
    VkImageMemoryBarrier post =
        barrier(eye, 2, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                VK_ACCESS_TRANSFER_READ_BIT,
                VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT);
    VkBufferMemoryBarrier host = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .buffer = rb->buffer,
        .size = VK_WHOLE_SIZE,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_HOST_BIT, 0, 0,
                         NULL, 1, &host, 1, &post);
    rb->slot = frame->slot;
    rb->frame = frame->index;
    rb->width = eyes * frame->width;
    rb->height = frame->height;
}

#define MIRROR_EVENTS_MAX 32

/* Window events: the close button turns the mirror off (the XR session carries on). One bounded batch per
 * frame, so a flood of events (a mouse moved over the window) cannot lengthen a frame. */
static void pump_events(plx_mirror *m)
{
    if (!m->backlog) SDL_PumpEvents(); /* a backlog is taken first */
    plx_sdl_events batch = {.window_id = m->window_id, .max = MIRROR_EVENTS_MAX};
    m->backlog = plx_sdl_take_window_events(&batch);
    for (int i = 0; i < batch.count; i++) {
        SDL_Event *ev = &batch.ev[i];
        if (ev->type == SDL_WINDOWEVENT && ev->window.event == SDL_WINDOWEVENT_CLOSE && !m->closed) {
            plx_log(m->report, PLX_LOG_INFO, "mirror window closed; the mirror is off");
            m->closed = true;
            /* Not SDL_HideWindow: on X11 it blocks in XIfEvent until the UnmapNotify arrives, and the
             * preview window's thread, pumping the same display, may take that event first: the frame
             * thread then waits forever (seen in sim_preview_with_mirror). The window keeps its last image
             * and goes with the context. */
        }
        plx_sdl_event_free(ev);
    }
}

void plx_mirror_events(plx_mirror *m, const plx_gpu *gpu)
{
    if (!m->window) return;
    pump_events(m);
    if (!m->thread_started) return;
    /* A copy recorded into a frame that was not submitted (plx_frame_end failed first) is void. */
    pthread_mutex_lock(&m->lock);
    for (int i = 0; i < MIRROR_BUFFERS; i++) {
        readback *rb = &m->rb[i];
        if (rb->state != BUF_RECORDED) continue;
        rb->state = plx_gpu_slot_holds(gpu, rb->slot, rb->frame) ? BUF_SUBMITTED : BUF_FREE;
    }
    pthread_mutex_unlock(&m->lock);
}

void plx_mirror_present(plx_mirror *m, const plx_gpu *gpu)
{
    if (!m->thread_started) return;
    pthread_mutex_lock(&m->lock);
    for (int i = 0; i < MIRROR_BUFFERS; i++) {
        readback *rb = &m->rb[i];
        if (rb->state != BUF_SUBMITTED) continue;
        /* Done when its slot has moved on (waited before reuse) or its fence has signalled: polled only. */
        bool done = !plx_gpu_slot_holds(gpu, rb->slot, rb->frame) || plx_gpu_slot_signalled(gpu, rb->slot);
        if (!done) continue;
        if (m->ready >= 0) {
            /* The thread has not taken the previous one: the newer frame replaces it. */
            m->rb[m->ready].state = BUF_FREE;
            m->skipped++;
        }
        rb->state = BUF_READY;
        m->ready = i;
        pthread_cond_signal(&m->cond);
    }
    pthread_mutex_unlock(&m->lock);
}

/* The mirror thread's part for one buffer: upload, blit to a window image, present. False on an error that
 * ends the mirror. */
static bool show(plx_mirror *m, readback *rb)
{
    if (!vk_ok(m, vkWaitForFences(m->device, 1, &m->fence, VK_TRUE, UINT64_MAX), "vkWaitForFences"))
        return false;
    uint32_t index = 0;
    VkResult vr;
    for (;;) {
        if (!m->swapchain || m->extent.width == 0) {
            if (!vk_ok(m, vkDeviceWaitIdle(m->device), "vkDeviceWaitIdle") || !create_swapchain(m))
                return false;
            if (!m->swapchain) return true; /* minimised */
        }
        vr = vkAcquireNextImageKHR(m->device, m->swapchain, MIRROR_ACQUIRE_NS, m->acquire_sem, VK_NULL_HANDLE,
                                   &index);
        if (vr == VK_ERROR_OUT_OF_DATE_KHR) {
            if (!vk_ok(m, vkDeviceWaitIdle(m->device), "vkDeviceWaitIdle") || !create_swapchain(m))
                return false;
            continue;
        }
        if (vr == VK_TIMEOUT || vr == VK_NOT_READY) {
            pthread_mutex_lock(&m->lock);
            bool quit = m->quit;
            pthread_mutex_unlock(&m->lock);
            if (quit) return true;
            continue;
        }
        if (!vk_ok(m, vr, "vkAcquireNextImageKHR")) return false;
        break;
    }
    memcpy(m->staging_mapped, rb->mapped, (size_t)rb->width * rb->height * 4);
    uint32_t w = rb->width, h = rb->height;
    pthread_mutex_lock(&m->lock);
    rb->state = BUF_FREE;
    pthread_mutex_unlock(&m->lock);

    VkCommandBuffer cmd = m->cmd;
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    if (!vk_ok(m, vkResetFences(m->device, 1, &m->fence), "vkResetFences") ||
        !vk_ok(m, vkResetCommandBuffer(cmd, 0), "vkResetCommandBuffer") ||
        !vk_ok(m, vkBeginCommandBuffer(cmd, &bi), "vkBeginCommandBuffer"))
        return false;
    VkImageMemoryBarrier to_dst[2] = {
        barrier(m->image, 1, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
                VK_ACCESS_TRANSFER_WRITE_BIT),
        barrier(m->images[index], 1, VK_IMAGE_LAYOUT_UNDEFINED, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0,
                VK_ACCESS_TRANSFER_WRITE_BIT),
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
                         NULL, 2, to_dst);
    VkBufferImageCopy up = {
        .bufferRowLength = w,
        .bufferImageHeight = h,
        .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
        .imageExtent = {w, h, 1},
    };
    vkCmdCopyBufferToImage(cmd, m->staging, m->image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &up);
    VkImageMemoryBarrier to_src =
        barrier(m->image, 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                VK_ACCESS_TRANSFER_WRITE_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL, 0,
                         NULL, 1, &to_src);
    VkImageBlit blit = {
        .srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
        .srcOffsets = {{0, 0, 0}, {(int32_t)w, (int32_t)h, 1}},
        .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1},
        .dstOffsets = {{0, 0, 0}, {(int32_t)m->extent.width, (int32_t)m->extent.height, 1}},
    };
    vkCmdBlitImage(cmd, m->image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, m->images[index],
                   VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &blit, m->filter);
    VkImageMemoryBarrier to_present =
        barrier(m->images[index], 1, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_PRESENT_SRC_KHR,
                VK_ACCESS_TRANSFER_WRITE_BIT, 0);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0,
                         NULL, 0, NULL, 1, &to_present);
    if (!vk_ok(m, vkEndCommandBuffer(cmd), "vkEndCommandBuffer")) return false;
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
    if (!vk_ok(m, vkQueueSubmit(m->queue, 1, &si, m->fence), "vkQueueSubmit")) return false;
    VkPresentInfoKHR pi = {
        .sType = VK_STRUCTURE_TYPE_PRESENT_INFO_KHR,
        .waitSemaphoreCount = 1,
        .pWaitSemaphores = &m->present_sem[index],
        .swapchainCount = 1,
        .pSwapchains = &m->swapchain,
        .pImageIndices = &index,
    };
    vr = vkQueuePresentKHR(m->queue, &pi);
    if (vr == VK_ERROR_OUT_OF_DATE_KHR || vr == VK_SUBOPTIMAL_KHR) {
        m->extent.width = 0; /* re-created before the next acquire */
    } else if (!vk_ok(m, vr, "vkQueuePresentKHR")) {
        return false;
    }
    return true;
}

static void *mirror_thread(void *arg)
{
    plx_mirror *m = arg;
    for (;;) {
        pthread_mutex_lock(&m->lock);
        while (!m->quit && m->ready < 0) pthread_cond_wait(&m->cond, &m->lock);
        if (m->quit) {
            pthread_mutex_unlock(&m->lock);
            break;
        }
        readback *rb = &m->rb[m->ready];
        rb->state = BUF_READING;
        m->ready = -1;
        pthread_mutex_unlock(&m->lock);
        int64_t t0 = plx_now_ns();
        bool ok = show(m, rb);
        pthread_mutex_lock(&m->lock);
        if (rb->state == BUF_READING) rb->state = BUF_FREE; /* also when show() stopped early */
        if (ok) {
            m->presented++;
            m->present_ms[m->timings++ % MIRROR_TIMING_RING] = (double)(plx_now_ns() - t0) * 1e-6;
        } else {
            m->failed = true;
        }
        pthread_mutex_unlock(&m->lock);
        if (!ok) {
            plx_log(m->report, PLX_LOG_WARN, "mirror window: presenting failed; the mirror is off");
            break;
        }
    }
    return NULL;
}

void plx_mirror_set_mode(plx_mirror *m, plx_mirror_mode mode)
{
    m->mode = mode;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void plx_mirror_status_get(plx_mirror *m, plx_mirror_status *out)
{
    double sorted[MIRROR_TIMING_RING];
    if (m->thread_started) pthread_mutex_lock(&m->lock);
    uint32_t n = m->timings < MIRROR_TIMING_RING ? (uint32_t)m->timings : MIRROR_TIMING_RING;
    memcpy(sorted, m->present_ms, n * sizeof sorted[0]);
    bool failed = m->failed;
    *out = (plx_mirror_status){
        .width = m->extent.width,
        .height = m->extent.height,
        .presented = m->presented,
        .skipped = m->skipped,
    };
    if (m->thread_started) pthread_mutex_unlock(&m->lock);
    qsort(sorted, n, sizeof sorted[0], cmp_double);
    uint32_t rank = (uint32_t)(0.99 * n + 0.999999);
    out->available = m->window != NULL && !m->closed && !failed;
    out->mode = out->available ? m->mode : PLX_MIRROR_OFF;
    out->present_p99_ms = n ? sorted[(rank ? rank : 1) - 1] : -1.0;
}

void plx_mirror_destroy(plx_mirror **pm, const plx_gpu *gpu)
{
    if (!pm || !*pm) return;
    plx_mirror *m = *pm;
    *pm = NULL;
    if (m->thread_started) {
        pthread_mutex_lock(&m->lock);
        m->quit = true;
        pthread_cond_signal(&m->cond);
        pthread_mutex_unlock(&m->lock);
        pthread_join(m->thread, NULL);
        pthread_cond_destroy(&m->cond);
        pthread_mutex_destroy(&m->lock);
    }
    if (m->device) {
        /* Our own device: waiting for it idle is ours to do, and covers the presents. */
        vkDeviceWaitIdle(m->device);
        if (m->swapchain) vkDestroySwapchainKHR(m->device, m->swapchain, NULL);
        for (uint32_t i = 0; i < m->image_count; i++) vkDestroySemaphore(m->device, m->present_sem[i], NULL);
        vkDestroySemaphore(m->device, m->acquire_sem, NULL);
        vkDestroyFence(m->device, m->fence, NULL);
        vkDestroyCommandPool(m->device, m->pool, NULL);
        vkDestroyImage(m->device, m->image, NULL);
        vkFreeMemory(m->device, m->image_memory, NULL);
        vkDestroyBuffer(m->device, m->staging, NULL);
        vkFreeMemory(m->device, m->staging_memory, NULL); /* unmaps */
        vkDestroyDevice(m->device, NULL);
    }
    if (gpu->vk.device) {
        /* The XR frames that copied into the readback buffers have completed (the frame loop waited). */
        for (int i = 0; i < MIRROR_BUFFERS; i++) {
            vkDestroyBuffer(gpu->vk.device, m->rb[i].buffer, NULL);
            vkFreeMemory(gpu->vk.device, m->rb[i].memory, NULL);
        }
    }
    if (m->surface && gpu->vk.instance) vkDestroySurfaceKHR(gpu->vk.instance, m->surface, NULL);
    mirror_free(m);
}
