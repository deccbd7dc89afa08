/* SPDX-License-Identifier: MIT */
/* Composition layers for the conformance harness (conf_layers.h). */
#include "conf_layers.h"

#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

uint32_t conf_texel_size(VkFormat format)
{
    switch (format) {
    case VK_FORMAT_R8G8B8A8_SRGB:
    case VK_FORMAT_B8G8R8A8_SRGB:
    case VK_FORMAT_R8G8B8A8_UNORM:
    case VK_FORMAT_B8G8R8A8_UNORM:
    case VK_FORMAT_A2B10G10R10_UNORM_PACK32:
        return 4;
    case VK_FORMAT_R16G16B16A16_SFLOAT:
    case VK_FORMAT_R16G16B16A16_UNORM:
        return 8;
    default:
        return 0;
    }
}

bool conf_format_offered(conf *c, VkFormat format)
{
    uint32_t n = 0;
    if (!CONF_XR(c, xrEnumerateSwapchainFormats(c->session, 0, &n, NULL))) return false;
    int64_t list[64];
    if (n > 64) n = 64;
    if (!CONF_XR(c, xrEnumerateSwapchainFormats(c->session, n, &n, list))) return false;
    for (uint32_t i = 0; i < n; i++)
        if (list[i] == (int64_t)format) return true;
    return false;
}

bool conf_swapchain_create(conf *c, VkFormat format, uint32_t width, uint32_t height, uint32_t array_size,
                           bool static_image, conf_swapchain *out)
{
    *out = (conf_swapchain){.format = format, .width = width, .height = height, .array_size = array_size};
    bool depth = format == VK_FORMAT_D32_SFLOAT || format == VK_FORMAT_D16_UNORM ||
                 format == VK_FORMAT_D24_UNORM_S8_UINT || format == VK_FORMAT_D32_SFLOAT_S8_UINT;
    XrSwapchainCreateInfo ci = {.type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
                                .createFlags = static_image ? XR_SWAPCHAIN_CREATE_STATIC_IMAGE_BIT : 0,
                                .usageFlags = depth ? XR_SWAPCHAIN_USAGE_DEPTH_STENCIL_ATTACHMENT_BIT
                                                    : XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT |
                                                          XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT,
                                .format = format,
                                .sampleCount = 1,
                                .width = width,
                                .height = height,
                                .faceCount = 1,
                                .arraySize = array_size,
                                .mipCount = 1};
    if (!CONF_XR(c, xrCreateSwapchain(c->session, &ci, &out->handle))) {
        out->handle = XR_NULL_HANDLE;
        return false;
    }
    XrSwapchainImageVulkanKHR imgs[8];
    for (int i = 0; i < 8; i++)
        imgs[i] = (XrSwapchainImageVulkanKHR){.type = XR_TYPE_SWAPCHAIN_IMAGE_VULKAN_KHR};
    uint32_t n = 0;
    if (!CONF_XR(c, xrEnumerateSwapchainImages(out->handle, 0, &n, NULL))) return false;
    if (!CONF_CHECK(c, n >= 1 && n <= 8, "xrEnumerateSwapchainImages: %u images (the harness takes 1 to 8)",
                    n))
        return false;
    if (!CONF_XR(c, xrEnumerateSwapchainImages(out->handle, n, &n, (XrSwapchainImageBaseHeader *)imgs)))
        return false;
    out->image_count = n;
    for (uint32_t i = 0; i < n; i++) out->images[i] = imgs[i].image;
    return true;
}

void conf_swapchain_destroy(conf_swapchain *sc)
{
    if (sc->handle) xrDestroySwapchain(sc->handle);
    sc->handle = XR_NULL_HANDLE;
}

static uint32_t memory_type(conf *c, uint32_t bits, VkMemoryPropertyFlags want)
{
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(c->vk_physical, &mp);
    for (uint32_t i = 0; i < mp.memoryTypeCount; i++)
        if ((bits & (1u << i)) && (mp.memoryTypes[i].propertyFlags & want) == want) return i;
    return UINT32_MAX;
}

bool conf_swapchain_fill(conf *c, conf_swapchain *sc, const void *const *texels)
{
    uint32_t texel = conf_texel_size(sc->format);
    if (!CONF_CHECK(c, texel > 0, "conf_swapchain_fill: format %d is not one the harness fills",
                    (int)sc->format))
        return false;
    VkDeviceSize layer_bytes = (VkDeviceSize)sc->width * sc->height * texel;
    VkBuffer buf = VK_NULL_HANDLE;
    VkDeviceMemory mem = VK_NULL_HANDLE;
    VkCommandPool pool = VK_NULL_HANDLE;
    VkFence fence = VK_NULL_HANDLE;
    bool ok = false, acquired = false;
    VkBufferCreateInfo bci = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                              .size = layer_bytes * sc->array_size,
                              .usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                              .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    if (!CONF_CHECK(c, vkCreateBuffer(c->vk_device, &bci, NULL, &buf) == VK_SUCCESS, "vkCreateBuffer failed"))
        goto fail;
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(c->vk_device, buf, &req);
    VkMemoryAllocateInfo mai = {.sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO,
                                .allocationSize = req.size,
                                .memoryTypeIndex = memory_type(c, req.memoryTypeBits,
                                                               VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT |
                                                                   VK_MEMORY_PROPERTY_HOST_COHERENT_BIT)};
    if (!CONF_CHECK(c,
                    mai.memoryTypeIndex != UINT32_MAX &&
                        vkAllocateMemory(c->vk_device, &mai, NULL, &mem) == VK_SUCCESS,
                    "no host-visible memory for the staging buffer"))
        goto fail;
    vkBindBufferMemory(c->vk_device, buf, mem, 0);
    void *map = NULL;
    if (!CONF_CHECK(c, vkMapMemory(c->vk_device, mem, 0, VK_WHOLE_SIZE, 0, &map) == VK_SUCCESS,
                    "vkMapMemory failed"))
        goto fail;
    for (uint32_t l = 0; l < sc->array_size; l++)
        if (texels[l]) memcpy((char *)map + l * layer_bytes, texels[l], (size_t)layer_bytes);
    vkUnmapMemory(c->vk_device, mem);

    uint32_t index = 0;
    if (!CONF_XR(c, xrAcquireSwapchainImage(sc->handle, NULL, &index))) goto fail;
    acquired = true;
    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                   .timeout = XR_INFINITE_DURATION};
    if (!CONF_XR(c, xrWaitSwapchainImage(sc->handle, &wi))) goto fail;

    VkCommandPoolCreateInfo pci = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                   .flags = VK_COMMAND_POOL_CREATE_TRANSIENT_BIT,
                                   .queueFamilyIndex = c->queue_family};
    VkCommandBuffer cmd;
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = 1};
    VkFenceCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if (!CONF_CHECK(c, vkCreateCommandPool(c->vk_device, &pci, NULL, &pool) == VK_SUCCESS,
                    "vkCreateCommandPool"))
        goto fail;
    cai.commandPool = pool;
    if (!CONF_CHECK(c, vkAllocateCommandBuffers(c->vk_device, &cai, &cmd) == VK_SUCCESS,
                    "vkAllocateCommandBuffers") ||
        !CONF_CHECK(c, vkCreateFence(c->vk_device, &fci, NULL, &fence) == VK_SUCCESS, "vkCreateFence"))
        goto fail;
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    vkBeginCommandBuffer(cmd, &bi);
    /* XR_KHR_vulkan_enable: the image arrives, and must leave, in COLOR_ATTACHMENT_OPTIMAL. */
    VkImageMemoryBarrier to_dst = {.sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
                                   .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
                                   .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
                                   .oldLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                   .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                                   .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                   .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
                                   .image = sc->images[index],
                                   .subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, sc->array_size}};
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         0, 0, NULL, 0, NULL, 1, &to_dst);
    for (uint32_t l = 0; l < sc->array_size; l++) {
        if (!texels[l]) continue;
        VkBufferImageCopy region = {.bufferOffset = l * layer_bytes,
                                    .imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, l, 1},
                                    .imageExtent = {sc->width, sc->height, 1}};
        vkCmdCopyBufferToImage(cmd, buf, sc->images[index], VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    }
    VkImageMemoryBarrier back = to_dst;
    back.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    back.dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
    back.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    back.newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
                         0, 0, NULL, 0, NULL, 1, &back);
    vkEndCommandBuffer(cmd);
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    if (!CONF_CHECK(c, vkQueueSubmit(c->queue, 1, &si, fence) == VK_SUCCESS, "vkQueueSubmit") ||
        !CONF_CHECK(c, vkWaitForFences(c->vk_device, 1, &fence, VK_TRUE, 10000000000ull) == VK_SUCCESS,
                    "vkWaitForFences (swapchain upload)"))
        goto fail;
    ok = true;
fail:
    if (acquired) ok = CONF_XR(c, xrReleaseSwapchainImage(sc->handle, NULL)) && ok;
    if (fence) vkDestroyFence(c->vk_device, fence, NULL);
    if (pool) vkDestroyCommandPool(c->vk_device, pool, NULL);
    if (buf) vkDestroyBuffer(c->vk_device, buf, NULL);
    if (mem) vkFreeMemory(c->vk_device, mem, NULL);
    return ok;
}

bool conf_swapchain_cycle(conf *c, conf_swapchain *sc)
{
    uint32_t index = 0;
    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                   .timeout = XR_INFINITE_DURATION};
    return CONF_XR(c, xrAcquireSwapchainImage(sc->handle, NULL, &index)) &&
           CONF_XR(c, xrWaitSwapchainImage(sc->handle, &wi)) &&
           CONF_XR(c, xrReleaseSwapchainImage(sc->handle, NULL));
}

bool conf_swapchain_fill_solid(conf *c, conf_swapchain *sc, const void *texel)
{
    uint32_t t = conf_texel_size(sc->format);
    size_t n = (size_t)sc->width * sc->height;
    unsigned char *data = malloc(n * (t ? t : 4));
    if (!CONF_CHECK(c, data != NULL, "out of memory")) return false;
    for (size_t i = 0; i < n && t; i++) memcpy(data + i * t, texel, t);
    const void *layers[16];
    for (uint32_t l = 0; l < sc->array_size && l < 16; l++) layers[l] = data;
    bool ok = CONF_CHECK(c, sc->array_size <= 16, "more than 16 array layers") &&
              conf_swapchain_fill(c, sc, layers);
    free(data);
    return ok;
}

bool conf_background(conf *c, const unsigned char rgba[4], conf_swapchain *out)
{
    uint32_t w = 0, h = 0;
    return conf_eye_size(c, &w, &h) &&
           conf_swapchain_create(c, VK_FORMAT_R8G8B8A8_SRGB, w, h, 2, true, out) &&
           conf_swapchain_fill_solid(c, out, rgba);
}

bool conf_quadrant_swapchain(conf *c, uint32_t w, uint32_t h, conf_swapchain *out)
{
    unsigned char *t = conf_quadrant_texels(w, h);
    const void *layers[1] = {t};
    bool ok = CONF_CHECK(c, t != NULL, "out of memory") &&
              conf_swapchain_create(c, VK_FORMAT_R8G8B8A8_SRGB, w, h, 1, true, out) &&
              conf_swapchain_fill(c, out, layers);
    free(t);
    return ok;
}

bool conf_extension_offered(conf *c, const char *name)
{
    uint32_t n = 0;
    XrExtensionProperties props[128];
    for (int i = 0; i < 128; i++) props[i] = (XrExtensionProperties){.type = XR_TYPE_EXTENSION_PROPERTIES};
    if (!CONF_XR(c, xrEnumerateInstanceExtensionProperties(NULL, 128, &n, props))) return false;
    for (uint32_t i = 0; i < n; i++)
        if (strcmp(props[i].extensionName, name) == 0) return true;
    return false;
}

bool conf_locate_views(conf *c, XrTime t, XrView out[2])
{
    XrViewLocateInfo li = {.type = XR_TYPE_VIEW_LOCATE_INFO,
                           .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                           .displayTime = t,
                           .space = c->local};
    XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
    out[0] = (XrView){.type = XR_TYPE_VIEW};
    out[1] = (XrView){.type = XR_TYPE_VIEW};
    uint32_t n = 0;
    if (!CONF_XR(c, xrLocateViews(c->session, &li, &vs, 2, &n, out))) return false;
    const XrViewStateFlags need = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    return CONF_CHECK(c, n == 2 && (vs.viewStateFlags & need) == need,
                      "xrLocateViews: %u views, state flags 0x%llx (want 2 views with valid poses)", n,
                      (unsigned long long)vs.viewStateFlags);
}

void conf_projection_layer(conf *c, const XrView views[2], const conf_swapchain *color,
                           XrCompositionLayerFlags flags, XrCompositionLayerProjectionView out_views[2],
                           XrCompositionLayerProjection *out)
{
    for (uint32_t v = 0; v < 2; v++)
        out_views[v] = (XrCompositionLayerProjectionView){
            .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW,
            .pose = views[v].pose,
            .fov = views[v].fov,
            .subImage = {.swapchain = color->handle,
                         .imageRect = {{0, 0}, {(int32_t)color->width, (int32_t)color->height}},
                         .imageArrayIndex = color->array_size >= 2 ? v : 0}};
    *out = (XrCompositionLayerProjection){.type = XR_TYPE_COMPOSITION_LAYER_PROJECTION,
                                          .layerFlags = flags,
                                          .space = c->local,
                                          .viewCount = 2,
                                          .views = out_views};
}

bool conf_frame_with_layers(conf *c, conf_build_layers build, void *user,
                            const XrCompositionLayerBaseHeader *const *layers, const uint32_t *count,
                            XrResult want, XrView *views)
{
    XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
    if (!CONF_XR(c, xrWaitFrame(c->session, NULL, &fs))) return false;
    c->last_frame = fs;
    if (!CONF_XR(c, xrBeginFrame(c->session, NULL))) return false;
    XrView local[2];
    XrView *v = views ? views : local;
    if (!conf_locate_views(c, fs.predictedDisplayTime, v)) return false;
    if (build) build(c, v, user);
    XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                         .displayTime = fs.predictedDisplayTime,
                         .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE,
                         .layerCount = count ? *count : 0,
                         .layers = layers};
    bool ok = CONF_XR_EXPECT(c, xrEndFrame(c->session, &ei), want);
    if (want != XR_SUCCESS && XR_FAILED(want)) {
        /* A rejected frame is not submitted: end the frame with no layers so the loop stays in step. */
        ei.layerCount = 0;
        ei.layers = NULL;
        CONF_XR(c, xrEndFrame(c->session, &ei));
    }
    conf_drain(c);
    return ok;
}

const char *conf_capture_setup(const char *test_name, int frame, int eye_w, int eye_h)
{
    static char path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/conf-%s-%d.png", tmp && tmp[0] ? tmp : "/tmp", test_name, (int)getpid());
    remove(path);
    char num[32], size[32];
    snprintf(num, sizeof(num), "%d", frame);
    snprintf(size, sizeof(size), "%dx%d", eye_w, eye_h);
    setenv("PARALLAX_SIM_CAPTURE", path, 1);
    setenv("PARALLAX_SIM_CAPTURE_FRAME", num, 1);
    setenv("PARALLAX_SIM_EYE_SIZE", size, 1);
    setenv("PARALLAX_SIM_MOTION", "still", 1);
    return path;
}

static int g_saved_stderr = -1;
static FILE *g_stderr_file;

bool conf_stderr_begin(conf *c)
{
    fflush(stderr);
    g_stderr_file = tmpfile();
    if (!CONF_CHECK(c, g_stderr_file != NULL, "tmpfile failed")) return false;
    g_saved_stderr = dup(2);
    dup2(fileno(g_stderr_file), 2);
    return true;
}

void conf_stderr_end(conf *c, char *buf, size_t size)
{
    (void)c;
    buf[0] = '\0';
    if (!g_stderr_file) return;
    fflush(stderr);
    dup2(g_saved_stderr, 2);
    close(g_saved_stderr);
    g_saved_stderr = -1;
    rewind(g_stderr_file);
    size_t n = fread(buf, 1, size - 1, g_stderr_file);
    buf[n] = '\0';
    fclose(g_stderr_file);
    g_stderr_file = NULL;
    fputs(buf, stderr);
}

bool conf_runtime_is_parallax(conf *c)
{
    XrInstanceProperties p = {.type = XR_TYPE_INSTANCE_PROPERTIES};
    return c->instance && XR_SUCCEEDED(xrGetInstanceProperties(c->instance, &p)) &&
           strstr(p.runtimeName, "Parallax") != NULL;
}

bool conf_eye_size(conf *c, uint32_t *out_w, uint32_t *out_h)
{
    XrViewConfigurationView v[2] = {{.type = XR_TYPE_VIEW_CONFIGURATION_VIEW},
                                    {.type = XR_TYPE_VIEW_CONFIGURATION_VIEW}};
    uint32_t n = 0;
    if (!CONF_XR(c, xrEnumerateViewConfigurationViews(c->instance, c->system,
                                                      XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2, &n, v)))
        return false;
    *out_w = v[0].recommendedImageRectWidth;
    *out_h = v[0].recommendedImageRectHeight;
    return true;
}

bool conf_capture_read(conf *c, const char *path, conf_image *out)
{
    png_image img;
    memset(&img, 0, sizeof(img));
    img.version = PNG_IMAGE_VERSION;
    *out = (conf_image){0};
    if (!png_image_begin_read_from_file(&img, path))
        return CONF_FAIL(c, "the capture %s cannot be read: %s", path, img.message);
    img.format = PNG_FORMAT_RGB;
    out->rgb = malloc(PNG_IMAGE_SIZE(img));
    if (!out->rgb || !png_image_finish_read(&img, NULL, out->rgb, 0, NULL)) {
        png_image_free(&img);
        free(out->rgb);
        out->rgb = NULL;
        return CONF_FAIL(c, "the capture %s cannot be decoded", path);
    }
    out->w = (int)img.width;
    out->h = (int)img.height;
    out->eye_w = out->w / 2;
    return true;
}

void conf_image_free(conf_image *im)
{
    free(im->rgb);
    im->rgb = NULL;
}

const unsigned char *conf_pixel(const conf_image *im, int eye, int x, int y)
{
    return im->rgb + ((size_t)y * (size_t)im->w + (size_t)eye * (size_t)im->eye_w + (size_t)x) * 3;
}

bool conf_find_box(const conf_image *im, int eye, const unsigned char rgb[3], int tol, int box[4])
{
    box[0] = box[1] = 1 << 30;
    box[2] = box[3] = -1;
    for (int y = 0; y < im->h; y++)
        for (int x = 0; x < im->eye_w; x++) {
            const unsigned char *p = conf_pixel(im, eye, x, y);
            if (abs(p[0] - rgb[0]) > tol || abs(p[1] - rgb[1]) > tol || abs(p[2] - rgb[2]) > tol) continue;
            if (x < box[0]) box[0] = x;
            if (y < box[1]) box[1] = y;
            if (x > box[2]) box[2] = x;
            if (y > box[3]) box[3] = y;
        }
    return box[2] >= 0;
}

static XrVector3f rotate(XrQuaternionf q, XrVector3f v)
{
    /* v + 2w (u x v) + 2 u x (u x v), u = (x, y, z) */
    XrVector3f u = {q.x, q.y, q.z};
    XrVector3f t = {2 * (u.y * v.z - u.z * v.y), 2 * (u.z * v.x - u.x * v.z), 2 * (u.x * v.y - u.y * v.x)};
    return (XrVector3f){v.x + q.w * t.x + (u.y * t.z - u.z * t.y), v.y + q.w * t.y + (u.z * t.x - u.x * t.z),
                        v.z + q.w * t.z + (u.x * t.y - u.y * t.x)};
}

XrVector3f conf_pose_point(const XrPosef *pose, XrVector3f local)
{
    XrVector3f r = rotate(pose->orientation, local);
    return (XrVector3f){r.x + pose->position.x, r.y + pose->position.y, r.z + pose->position.z};
}

bool conf_project(const XrView *view, int eye_w, int eye_h, XrVector3f p, double *out_x, double *out_y)
{
    XrQuaternionf inv = {-view->pose.orientation.x, -view->pose.orientation.y, -view->pose.orientation.z,
                         view->pose.orientation.w};
    XrVector3f d = {p.x - view->pose.position.x, p.y - view->pose.position.y, p.z - view->pose.position.z};
    XrVector3f e = rotate(inv, d);
    if (!(e.z < -1e-6f)) return false;
    double tx = e.x / -e.z, ty = e.y / -e.z;
    double tl = tan(view->fov.angleLeft), tr = tan(view->fov.angleRight), tu = tan(view->fov.angleUp),
           td = tan(view->fov.angleDown);
    *out_x = (tx - tl) / (tr - tl) * eye_w;
    *out_y = (tu - ty) / (tu - td) * eye_h;
    return true;
}

bool conf_expected_box(const XrView *view, int eye_w, int eye_h, const XrVector3f *pts, int n, int box[4])
{
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
    for (int i = 0; i < n; i++) {
        double x, y;
        if (!conf_project(view, eye_w, eye_h, pts[i], &x, &y)) return false;
        x0 = fmin(x0, x);
        x1 = fmax(x1, x);
        y0 = fmin(y0, y);
        y1 = fmax(y1, y);
    }
    /* Pixels whose centres (i + 0.5) lie inside [x0, x1], clipped to the eye. */
    box[0] = (int)fmax(0, ceil(x0 - 0.5));
    box[1] = (int)fmax(0, ceil(y0 - 0.5));
    box[2] = (int)fmin(eye_w - 1, floor(x1 - 0.5));
    box[3] = (int)fmin(eye_h - 1, floor(y1 - 0.5));
    return true;
}

bool conf_check_box(conf *c, const char *what, const int got[4], const int want[4], int tol)
{
    printf("  %s: pixels x %d..%d y %d..%d, geometry projects to x %d..%d y %d..%d\n", what, got[0], got[2],
           got[1], got[3], want[0], want[2], want[1], want[3]);
    bool ok = true;
    for (int k = 0; k < 4; k++) ok = ok && abs(got[k] - want[k]) <= tol;
    return ok ? true
              : CONF_FAIL(c, "%s: pixels x %d..%d y %d..%d, expected x %d..%d y %d..%d (within %d px)", what,
                          got[0], got[2], got[1], got[3], want[0], want[2], want[1], want[3], tol);
}

bool conf_surface_box(const XrView *view, int eye_w, int eye_h, conf_surface surface, const void *layer,
                      double u0, double u1, double v0, double v1, int box[4])
{
    enum { N = 256 };
    XrVector3f pts[4 * N];
    for (int k = 0; k < N; k++) {
        double t = (double)k / (N - 1);
        pts[k] = surface(layer, u0 + (u1 - u0) * t, v0);
        pts[N + k] = surface(layer, u0 + (u1 - u0) * t, v1);
        pts[2 * N + k] = surface(layer, u0, v0 + (v1 - v0) * t);
        pts[3 * N + k] = surface(layer, u1, v0 + (v1 - v0) * t);
    }
    return conf_expected_box(view, eye_w, eye_h, pts, 4 * N, box);
}

XrVector3f conf_quad_point(const void *layer, double u, double v)
{
    const XrCompositionLayerQuad *q = layer;
    return conf_pose_point(&q->pose, (XrVector3f){(float)((u - 0.5) * q->size.width),
                                                  (float)((0.5 - v) * q->size.height), 0.0f});
}

XrVector3f conf_cylinder_point(const void *layer, double u, double v)
{
    const XrCompositionLayerCylinderKHR *c = layer;
    double th = (u - 0.5) * c->centralAngle, height = c->radius * c->centralAngle / c->aspectRatio;
    return conf_pose_point(&c->pose, (XrVector3f){(float)(c->radius * sin(th)), (float)((0.5 - v) * height),
                                                  (float)(-c->radius * cos(th))});
}

XrVector3f conf_equirect2_point(const void *layer, double u, double v)
{
    const XrCompositionLayerEquirect2KHR *e = layer;
    double lon = (u - 0.5) * e->centralHorizontalAngle;
    double lat = e->upperVerticalAngle - v * (e->upperVerticalAngle - e->lowerVerticalAngle);
    double far = 1e4;
    return conf_pose_point(&e->pose, (XrVector3f){(float)(far * cos(lat) * sin(lon)), (float)(far * sin(lat)),
                                                  (float)(-far * cos(lat) * cos(lon))});
}

const unsigned char conf_quadrant_colors[4][4] = {
    {255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 0, 255}};

unsigned char *conf_quadrant_texels(uint32_t w, uint32_t h)
{
    unsigned char *t = malloc((size_t)w * h * 4);
    if (!t) return NULL;
    for (uint32_t y = 0; y < h; y++)
        for (uint32_t x = 0; x < w; x++)
            memcpy(t + ((size_t)y * w + x) * 4, conf_quadrant_colors[(y >= h / 2) * 2 + (x >= w / 2)], 4);
    return t;
}

void conf_check_quadrants(conf *c, const char *what, const conf_image *im, int eye, const XrView *view,
                          conf_surface surface, const void *layer, int tol)
{
    static const char *const names[4] = {"top-left", "top-right", "bottom-left", "bottom-right"};
    for (int q = 0; q < 4; q++) {
        double u0 = (q & 1) ? 0.5 : 0.0, v0 = (q & 2) ? 0.5 : 0.0;
        int want[4], got[4];
        char label[160];
        snprintf(label, sizeof(label), "%s, %s quadrant, %s eye", what, names[q], eye ? "right" : "left");
        if (!conf_surface_box(view, im->eye_w, im->h, surface, layer, u0, u0 + 0.5, v0, v0 + 0.5, want)) {
            CONF_FAIL(c, "%s: part of it is behind the eye (the test's geometry is wrong)", label);
            continue;
        }
        /* Bilinear filtering blends the quadrants' colours along their shared edges: only near-pure pixels
         * count. */
        if (!conf_find_box(im, eye, conf_quadrant_colors[q], 24, got)) {
            CONF_FAIL(c, "%s: its colour (%d, %d, %d) is nowhere in the capture", label,
                      conf_quadrant_colors[q][0], conf_quadrant_colors[q][1], conf_quadrant_colors[q][2]);
            continue;
        }
        conf_check_box(c, label, got, want, tol);
    }
}

void conf_capture_check_quadrants(conf *c, bool parallax, const char *capture, const char *what,
                                  const XrView views[2], conf_surface surface, const void *layer)
{
    conf_image im = {0};
    if (!parallax || c->failures != 0 || !conf_capture_read(c, capture, &im)) return;
    for (int eye = 0; eye < 2; eye++) conf_check_quadrants(c, what, &im, eye, &views[eye], surface, layer, 2);
    conf_image_free(&im);
    remove(capture);
}
