/* SPDX-License-Identifier: MIT */
/* Composition layers (issue 8 §3) on the simulated headset, which composites quads (simulator/README.md
 * "Compositing"), with both validation layers on. One run, the head still, 128x128 eyes; the capture of a
 * displayed frame is checked against the projection of each layer's corners through the eye poses and fovs
 * that frame used (plx_frame.views after plx_frame_end), within 2 px:
 *  - A: a world-locked quad the app never draws: libparallax clears it to its clear colour (red);
 *  - B: a head-locked quad the app draws in the pre-pass (green, white top-left quarter: its top is up);
 *  - C: a quad for the left eye only (blue): absent from the right eye;
 *  - D: a raw XrCompositionLayerQuad of the app's own swapchain (yellow), order 2, under
 *  - E: a quad of order 5 (magenta) made before D was added: the order, not the call order, decides;
 *  - H: a hidden quad (white) nowhere in the capture.
 * Then the limits: raw layers up to maxLayerCount are accepted and the next is refused with the counts, and
 * the misuse errors (a frame not in progress, NULLs, bad descs) are refused by name. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parallax/parallax.h"
#include "plx_test_capture.h"
#include "parallax/parallax_openxr.h"
#include "parallax/parallax_vulkan.h"
#define XR_USE_GRAPHICS_API_VULKAN
#include <openxr/openxr_platform.h>

#define EYE           128
#define FRAMES        40
#define CAPTURE_FRAME 20

static const char *capture_path = "layers_capture.png";

typedef struct rgb {
    int r, g, b;
} rgb;

static const rgb RED = {255, 0, 0}, GREEN = {0, 255, 0}, BLUE = {0, 0, 255}, YELLOW = {255, 255, 0},
                 MAGENTA = {255, 0, 255}, WHITE = {255, 255, 255};

/* A layer's placement, for the expected projection. */
typedef struct placed {
    const char *name;
    float position[3];
    float size[2];
    bool head_locked;
} placed;

static const placed quad_a = {"A world-locked, cleared", {-0.45f, 0.3f, -2.0f}, {0.6f, 0.4f}, false};
static const placed quad_b = {"B head-locked, drawn", {0.25f, -0.3f, -1.5f}, {0.5f, 0.5f}, true};
static const placed quad_c = {"C left eye only", {-0.5f, -0.45f, -2.0f}, {0.3f, 0.3f}, false};
static const placed raw_d = {"D raw layer", {0.45f, 0.35f, -2.0f}, {0.5f, 0.4f}, false};
static const placed quad_e = {"E order 5 over D", {0.7f, 0.55f, -2.0f}, {0.3f, 0.3f}, false};

typedef struct app {
    plx_context *ctx;
    plx_vulkan_info vk;
    plx_openxr_info xr;
    plx_quad *a, *b, *c, *e, *h;
    VkRenderPass rp;
    struct {
        VkImageView view;
        VkFramebuffer fb;
    } fbs[8];
    uint32_t fb_count;
    XrSwapchain raw_swapchain;
    XrCompositionLayerQuad raw_layer;
    plx_view views[FRAMES + 8][2]; /* per frame index: the views the frame was submitted with */
    bool loss_expected;            /* a fault loses the session: frame calls may fail on the way */
} app;

static VkRenderPass quad_render_pass(const app *a, VkFormat format)
{
    VkAttachmentDescription att = {
        .format = format,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
        .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
        .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
        .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
        .initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, /* plx_quad_image.layout */
        .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
    };
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
                                .colorAttachmentCount = 1,
                                .pColorAttachments = &ref};
    VkSubpassDependency dep = {
        .srcSubpass = VK_SUBPASS_EXTERNAL,
        .dstSubpass = 0,
        .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
        .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
        .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT,
    };
    VkRenderPassCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
        .attachmentCount = 1,
        .pAttachments = &att,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 1,
        .pDependencies = &dep,
    };
    VkRenderPass rp = VK_NULL_HANDLE;
    assert_int_equal(vkCreateRenderPass(a->vk.device, &ci, NULL, &rp), VK_SUCCESS);
    return rp;
}

static VkFramebuffer framebuffer(app *a, const plx_quad_image *im)
{
    for (uint32_t i = 0; i < a->fb_count; i++) {
        if (a->fbs[i].view == im->view) return a->fbs[i].fb;
    }
    assert_true(a->fb_count < 8);
    VkFramebufferCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
        .renderPass = a->rp,
        .attachmentCount = 1,
        .pAttachments = &im->view,
        .width = im->width,
        .height = im->height,
        .layers = 1,
    };
    VkFramebuffer fb = VK_NULL_HANDLE;
    assert_int_equal(vkCreateFramebuffer(a->vk.device, &ci, NULL, &fb), VK_SUCCESS);
    a->fbs[a->fb_count].view = im->view;
    a->fbs[a->fb_count++].fb = fb;
    return fb;
}

/* B's picture, recorded in the pre-pass: green, its top-left quarter white. */
static void draw_b(app *a, const plx_frame *f)
{
    plx_quad_image im;
    plx_result r = plx_quad_acquire(a->b, f, &im);
    if (r != PLX_SUCCESS) fail_msg("plx_quad_acquire: %s", plx_last_error(a->ctx));
    assert_int_equal(im.layout, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL);
    assert_int_equal(im.width, 64);
    VkClearValue green = {.color = {.float32 = {0, 1, 0, 1}}};
    VkRenderPassBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
        .renderPass = a->rp,
        .framebuffer = framebuffer(a, &im),
        .renderArea = {{0, 0}, {im.width, im.height}},
        .clearValueCount = 1,
        .pClearValues = &green,
    };
    vkCmdBeginRenderPass(f->pre_cmd, &bi, VK_SUBPASS_CONTENTS_INLINE);
    VkClearAttachment white = {.aspectMask = VK_IMAGE_ASPECT_COLOR_BIT,
                               .colorAttachment = 0,
                               .clearValue = {.color = {.float32 = {1, 1, 1, 1}}}};
    VkClearRect rect = {
        .rect = {{0, 0}, {im.width / 2, im.height / 2}}, .baseArrayLayer = 0, .layerCount = 1};
    vkCmdClearAttachments(f->pre_cmd, 1, &white, 1, &rect);
    vkCmdEndRenderPass(f->pre_cmd);
}

/* D's swapchain: the app's own, filled once with yellow by a submission of its own, released before the
 * first frame names it. */
static void make_raw_layer(app *a)
{
    XrSwapchainCreateInfo ci = {
        .type = XR_TYPE_SWAPCHAIN_CREATE_INFO,
        .usageFlags = XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT,
        .format = a->vk.color_format,
        .sampleCount = 1,
        .width = 32,
        .height = 32,
        .faceCount = 1,
        .arraySize = 1,
        .mipCount = 1,
    };
    assert_int_equal(xrCreateSwapchain(a->xr.session, &ci, &a->raw_swapchain), XR_SUCCESS);
    uint32_t n = 0;
    assert_int_equal(xrEnumerateSwapchainImages(a->raw_swapchain, 0, &n, NULL), XR_SUCCESS);
    XrSwapchainImageVulkan2KHR images[8];
    assert_true(n <= 8);
    for (uint32_t i = 0; i < n; i++)
        images[i] = (XrSwapchainImageVulkan2KHR){.type = XR_TYPE_SWAPCHAIN_IMAGE_VULKAN2_KHR};
    assert_int_equal(
        xrEnumerateSwapchainImages(a->raw_swapchain, n, &n, (XrSwapchainImageBaseHeader *)images),
        XR_SUCCESS);
    uint32_t index = 0;
    XrSwapchainImageAcquireInfo ai = {.type = XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
    assert_int_equal(xrAcquireSwapchainImage(a->raw_swapchain, &ai, &index), XR_SUCCESS);
    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                   .timeout = XR_INFINITE_DURATION};
    assert_int_equal(xrWaitSwapchainImage(a->raw_swapchain, &wi), XR_SUCCESS);

    VkCommandPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
                                  .queueFamilyIndex = a->vk.queue_family_index};
    VkCommandPool pool;
    assert_int_equal(vkCreateCommandPool(a->vk.device, &pi, NULL, &pool), VK_SUCCESS);
    VkCommandBufferAllocateInfo cai = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
                                       .commandPool = pool,
                                       .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
                                       .commandBufferCount = 1};
    VkCommandBuffer cmd;
    assert_int_equal(vkAllocateCommandBuffers(a->vk.device, &cai, &cmd), VK_SUCCESS);
    VkCommandBufferBeginInfo bi = {.sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
                                   .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT};
    vkBeginCommandBuffer(cmd, &bi);
    VkImageSubresourceRange range = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
    VkImageMemoryBarrier b = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
        .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = images[index].image,
        .subresourceRange = range,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL,
                         0, NULL, 1, &b);
    VkClearColorValue yellow = {.float32 = {1, 1, 0, 1}};
    vkCmdClearColorImage(cmd, b.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &yellow, 1, &range);
    b.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    b.dstAccessMask = 0;
    b.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    b.newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0, 0,
                         NULL, 0, NULL, 1, &b);
    vkEndCommandBuffer(cmd);
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &cmd};
    /* The shared queue, on the frame-loop thread, between plx_ calls (plx_vulkan_info.queue); waited by a
     * fence of the app's own (the queue is the runtime's too: no vkQueueWaitIdle, docs/engine.md). */
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    VkFence fence;
    assert_int_equal(vkCreateFence(a->vk.device, &fi, NULL, &fence), VK_SUCCESS);
    assert_int_equal(vkQueueSubmit(a->vk.queue, 1, &si, fence), VK_SUCCESS);
    assert_int_equal(vkWaitForFences(a->vk.device, 1, &fence, VK_TRUE, UINT64_MAX), VK_SUCCESS);
    vkDestroyFence(a->vk.device, fence, NULL);
    vkDestroyCommandPool(a->vk.device, pool, NULL);
    XrSwapchainImageReleaseInfo ri = {.type = XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    assert_int_equal(xrReleaseSwapchainImage(a->raw_swapchain, &ri), XR_SUCCESS);
    a->raw_layer = (XrCompositionLayerQuad){
        .type = XR_TYPE_COMPOSITION_LAYER_QUAD,
        .space = a->xr.space,
        .eyeVisibility = XR_EYE_VISIBILITY_BOTH,
        .subImage = {.swapchain = a->raw_swapchain, .imageRect = {{0, 0}, {32, 32}}},
        .pose = {.orientation = {0, 0, 0, 1},
                 .position = {raw_d.position[0], raw_d.position[1], raw_d.position[2]}},
        .size = {raw_d.size[0], raw_d.size[1]},
    };
}

static plx_quad *quad(app *a, const placed *p, uint32_t w, uint32_t h, const float clear[4],
                      plx_quad_eyes eyes, int32_t order, bool hidden)
{
    plx_quad_desc d = {
        .width = w,
        .height = h,
        .size_m = {p->size[0], p->size[1]},
        .position = {p->position[0], p->position[1], p->position[2]},
        .lock = p->head_locked ? PLX_QUAD_HEAD : PLX_QUAD_WORLD,
        .eyes = eyes,
        .order = order,
        .hidden = hidden,
        .clear_color = {clear[0], clear[1], clear[2], clear[3]},
    };
    plx_quad *q = NULL;
    plx_result r = plx_quad_create(a->ctx, &d, &q);
    if (r != PLX_SUCCESS) fail_msg("plx_quad_create %s: %s", p->name, plx_last_error(a->ctx));
    return q;
}

static int run_frames(app *a, int frames, bool draw, bool raw)
{
    int restarts = 0;
    for (int i = 0, guard = 0; i < frames && guard < 5000; guard++) {
        plx_events ev;
        plx_poll(a->ctx, &ev);
        assert_false(ev.should_quit);
        restarts += ev.session_restarted ? 1 : 0;
        plx_frame f;
        plx_result r = plx_frame_wait(a->ctx, &f);
        if (r == PLX_SESSION_NOT_RUNNING || (a->loss_expected && r < 0)) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(a->ctx, &f);
        if (a->loss_expected && (r < 0 || r == PLX_SESSION_NOT_RUNNING)) continue; /* the one rule */
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        if (r == PLX_SUCCESS) {
            /* B is drawn every 4th frame only: it keeps showing its last picture in between. */
            if (draw && f.index % 4 == 0) draw_b(a, &f);
            if (raw)
                r = plx_frame_add_layer(a->ctx, &f, (const XrCompositionLayerBaseHeader *)&a->raw_layer, 2);
            if (r != PLX_SUCCESS) fail_msg("plx_frame_add_layer: %s", plx_last_error(a->ctx));
        }
        r = plx_frame_end(a->ctx, &f);
        if (a->loss_expected && (r < 0 || r == PLX_SESSION_NOT_RUNNING)) continue; /* dropped by the loss */
        if (r != PLX_SUCCESS) fail_msg("plx_frame_end: %s", plx_last_error(a->ctx));
        if (f.index < FRAMES + 8) memcpy(a->views[f.index], f.views, sizeof f.views);
        i++;
    }
    return restarts;
}

/* ---------------------------------------------------------------- the capture and the projection */

static bool is(const image *im, int eye, int x, int y, rgb c)
{
    const unsigned char *p = im->rgba + ((size_t)y * (size_t)im->w + (size_t)(eye * EYE + x)) * 4;
    return abs(p[0] - c.r) <= 40 && abs(p[1] - c.g) <= 40 && abs(p[2] - c.b) <= 40;
}

typedef struct box {
    double l, t, r, b; /* pixel edges: columns [l, r), rows [t, b) */
    int n;
} box;

/* The box of the pixels of colour c in one eye, within the region [x0, x1) x [y0, y1). */
static box measure(const image *im, int eye, rgb c, int x0, int y0, int x1, int y1)
{
    box bx = {1e9, 1e9, -1e9, -1e9, 0};
    for (int y = y0; y < y1; y++) {
        for (int x = x0; x < x1; x++) {
            if (!is(im, eye, x, y, c)) continue;
            bx.n++;
            if (x < bx.l) bx.l = x;
            if (y < bx.t) bx.t = y;
            if (x + 1 > bx.r) bx.r = x + 1;
            if (y + 1 > bx.b) bx.b = y + 1;
        }
    }
    return bx;
}

static void rotate(const float q[4], const double v[3], double out[3])
{
    /* v + 2 w (u x v) + 2 u x (u x v), u = q.xyz */
    double u[3] = {q[0], q[1], q[2]}, w = q[3];
    double c1[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
    double c2[3] = {u[1] * c1[2] - u[2] * c1[1], u[2] * c1[0] - u[0] * c1[2], u[0] * c1[1] - u[1] * c1[0]};
    for (int i = 0; i < 3; i++) out[i] = v[i] + 2 * w * c1[i] + 2 * c2[i];
}

/* Where the frame's eye sees the layer's corners: the box of their projections in pixels. */
static box project(const plx_view views[2], int eye, const placed *p)
{
    const plx_view *v = &views[eye];
    /* Head-locked: the VIEW space hangs between the eyes, oriented as they are (the head is still). */
    double head[3] = {(views[0].position[0] + views[1].position[0]) / 2,
                      (views[0].position[1] + views[1].position[1]) / 2,
                      (views[0].position[2] + views[1].position[2]) / 2};
    box bx = {1e9, 1e9, -1e9, -1e9, 4};
    for (int k = 0; k < 4; k++) {
        double corner[3] = {p->position[0] + (k & 1 ? 0.5 : -0.5) * p->size[0],
                            p->position[1] + (k & 2 ? 0.5 : -0.5) * p->size[1], p->position[2]};
        double world[3];
        if (p->head_locked) {
            double r[3];
            rotate(views[0].orientation, corner, r);
            for (int i = 0; i < 3; i++) world[i] = head[i] + r[i];
        } else {
            memcpy(world, corner, sizeof world);
        }
        double d[3] = {world[0] - v->position[0], world[1] - v->position[1], world[2] - v->position[2]};
        const float inv[4] = {-v->orientation[0], -v->orientation[1], -v->orientation[2], v->orientation[3]};
        double e[3];
        rotate(inv, d, e);
        double tx = e[0] / -e[2], ty = e[1] / -e[2];
        double tl = tan(v->fov.angle_left), tr = tan(v->fov.angle_right), tu = tan(v->fov.angle_up),
               td = tan(v->fov.angle_down);
        double x = (tx - tl) / (tr - tl) * EYE, y = (tu - ty) / (tu - td) * EYE;
        if (x < bx.l) bx.l = x;
        if (x > bx.r) bx.r = x;
        if (y < bx.t) bx.t = y;
        if (y > bx.b) bx.b = y;
    }
    return bx;
}

static double check_box(const image *im, const plx_view views[2], int eye, const placed *p, rgb c)
{
    box want = project(views, eye, p);
    int x0 = (int)floor(want.l) - 4, y0 = (int)floor(want.t) - 4, x1 = (int)ceil(want.r) + 4,
        y1 = (int)ceil(want.b) + 4;
    x0 = x0 < 0 ? 0 : x0, y0 = y0 < 0 ? 0 : y0, x1 = x1 > EYE ? EYE : x1, y1 = y1 > EYE ? EYE : y1;
    box got = measure(im, eye, c, x0, y0, x1, y1);
    double err = fmax(fmax(fabs(got.l - want.l), fabs(got.r - want.r)),
                      fmax(fabs(got.t - want.t), fabs(got.b - want.b)));
    printf("%s eye, %s: projected x %.2f..%.2f y %.2f..%.2f, captured x %.0f..%.0f y %.0f..%.0f (%d px), "
           "largest edge error %.2f px; size error %.2f x %.2f px\n",
           eye ? "right" : "left", p->name, want.l, want.r, want.t, want.b, got.l, got.r, got.t, got.b, got.n,
           err, (got.r - got.l) - (want.r - want.l), (got.b - got.t) - (want.b - want.t));
    if (got.n == 0) fail_msg("%s eye: %s is not in the capture", eye ? "right" : "left", p->name);
    if (err > 2.0)
        fail_msg("%s eye: %s is %.2f px off its projection (bound 2)", eye ? "right" : "left", p->name, err);
    return err;
}

/* ---------------------------------------------------------------- tests */

static void setup_app(app *a, const char *capture_frame)
{
    memset(a, 0, sizeof *a);
    char eye[32];
    snprintf(eye, sizeof eye, "%dx%d", EYE, EYE);
    setenv("PARALLAX_SIM_EYE_SIZE", eye, 1);
    setenv("PARALLAX_SIM_MOTION", "still", 1);
    setenv("PARALLAX_SIM_CAPTURE", capture_path, 1);
    setenv("PARALLAX_SIM_CAPTURE_FRAME", capture_frame, 1);
    remove(capture_path);
    plx_context_desc d = {.app_name = "test_layers",
                          .validation = true,
                          .latch_check = true,
                          .eye_width = EYE,
                          .eye_height = EYE};
    plx_result r = plx_context_create(&d, &a->ctx);
    if (r != PLX_SUCCESS) fail_msg("plx_context_create: %s", plx_last_error(NULL));
    assert_int_equal(plx_get_vulkan_info(a->ctx, &a->vk), PLX_SUCCESS);
    assert_int_equal(plx_get_openxr_info(a->ctx, &a->xr), PLX_SUCCESS);
}

static void finish(app *a)
{
    plx_request_exit(a->ctx);
    for (int i = 0; i < 2000; i++) {
        plx_events ev;
        plx_poll(a->ctx, &ev);
        if (ev.should_quit) break;
        plx_frame f;
        if (plx_frame_wait(a->ctx, &f) != PLX_SUCCESS) continue;
        plx_result r = plx_frame_begin(a->ctx, &f);
        if (r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED) plx_frame_end(a->ctx, &f);
    }
    uint32_t msgs = plx_validation_message_count(a->ctx);
    plx_wait_gpu_idle(a->ctx);
    for (uint32_t i = 0; i < a->fb_count; i++) vkDestroyFramebuffer(a->vk.device, a->fbs[i].fb, NULL);
    if (a->rp) vkDestroyRenderPass(a->vk.device, a->rp, NULL);
    if (a->raw_swapchain != XR_NULL_HANDLE) xrDestroySwapchain(a->raw_swapchain);
    plx_quad_destroy(&a->a);
    plx_quad_destroy(&a->b);
    plx_quad_destroy(&a->c);
    plx_quad_destroy(&a->e);
    plx_quad_destroy(&a->h);
    assert_null(a->a);
    plx_context_destroy(&a->ctx);
    assert_int_equal(msgs, 0);
}

static void quads_and_raw_layers_land_where_projected(void **state)
{
    (void)state;
    app a;
    setup_app(&a, "20");
    static const float red[4] = {1, 0, 0, 1}, blue[4] = {0, 0, 1, 1}, magenta[4] = {1, 0, 1, 1},
                       white[4] = {1, 1, 1, 1}, none[4] = {0, 0, 0, 0};
    const placed hidden = {"H hidden", {0, 0, -1.0f}, {2.0f, 2.0f}, false};
    a.a = quad(&a, &quad_a, 96, 64, red, PLX_QUAD_EYES_BOTH, 0, false);
    a.b = quad(&a, &quad_b, 64, 64, none, PLX_QUAD_EYES_BOTH, 0, false);
    a.c = quad(&a, &quad_c, 32, 32, blue, PLX_QUAD_EYE_LEFT, 0, false);
    a.e = quad(&a, &quad_e, 32, 32, magenta, PLX_QUAD_EYES_BOTH, 5, false);
    a.h = quad(&a, &hidden, 32, 32, white, PLX_QUAD_EYES_BOTH, 9, true);
    a.rp = quad_render_pass(&a, a.vk.color_format);
    make_raw_layer(&a);
    run_frames(&a, FRAMES, true, true);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(a.ctx, &li), PLX_SUCCESS);
    printf("latch check: %llu frames checked, %llu failures\n", (unsigned long long)li.latch_frames_checked,
           (unsigned long long)li.latch_failures);
    assert_int_equal(li.latch_failures, 0);
    finish(&a);

    image im;
    load_png(capture_path, &im);
    assert_int_equal(im.w, 2 * EYE);
    assert_int_equal(im.h, EYE);
    const plx_view *v = a.views[CAPTURE_FRAME];
    printf("frame %d: left eye at (%.4f, %.4f, %.4f), fov L %.4f R %.4f U %.4f D %.4f\n", CAPTURE_FRAME,
           (double)v[0].position[0], (double)v[0].position[1], (double)v[0].position[2],
           (double)v[0].fov.angle_left, (double)v[0].fov.angle_right, (double)v[0].fov.angle_up,
           (double)v[0].fov.angle_down);
    double worst = 0;
    for (int eye = 0; eye < 2; eye++) {
        worst = fmax(worst, check_box(&im, v, eye, &quad_a, RED));
        /* B: green with its top-left quarter white; together they fill its projection. */
        box bw = project(v, eye, &quad_b);
        box g = measure(&im, eye, GREEN, 0, 0, EYE, EYE), w = measure(&im, eye, WHITE, 0, 0, EYE, EYE);
        box all = {fmin(g.l, w.l), fmin(g.t, w.t), fmax(g.r, w.r), fmax(g.b, w.b), g.n + w.n};
        double err =
            fmax(fmax(fabs(all.l - bw.l), fabs(all.r - bw.r)), fmax(fabs(all.t - bw.t), fabs(all.b - bw.b)));
        printf("%s eye, %s: projected x %.2f..%.2f y %.2f..%.2f, captured x %.0f..%.0f y %.0f..%.0f, largest "
               "edge error %.2f px; white quarter x %.0f..%.0f y %.0f..%.0f\n",
               eye ? "right" : "left", quad_b.name, bw.l, bw.r, bw.t, bw.b, all.l, all.r, all.t, all.b, err,
               w.l, w.r, w.t, w.b);
        assert_true(g.n > 0 && w.n > 0);
        assert_true(err <= 2.0);
        worst = fmax(worst, err);
        /* The app's picture is upright: white at the top left. */
        assert_true(fabs(w.l - bw.l) <= 2 && fabs(w.t - bw.t) <= 2);
        assert_true(fabs(w.r - (bw.l + bw.r) / 2) <= 2 && fabs(w.b - (bw.t + bw.b) / 2) <= 2);
        /* D under E: E's whole square is magenta, D's box misses E's corner. */
        worst = fmax(worst, check_box(&im, v, eye, &quad_e, MAGENTA));
        box d = project(v, eye, &raw_d);
        box y = measure(&im, eye, YELLOW, 0, 0, EYE, EYE);
        printf("%s eye, %s: projected x %.2f..%.2f y %.2f..%.2f, captured x %.0f..%.0f y %.0f..%.0f\n",
               eye ? "right" : "left", raw_d.name, d.l, d.r, d.t, d.b, y.l, y.r, y.t, y.b);
        assert_true(y.n > 0);
        assert_true(fabs(y.l - d.l) <= 2 && fabs(y.b - d.b) <= 2);
        worst = fmax(worst, fmax(fabs(y.l - d.l), fabs(y.b - d.b)));
    }
    worst = fmax(worst, check_box(&im, v, 0, &quad_c, BLUE));
    box c_right = measure(&im, 1, BLUE, 0, 0, EYE, EYE);
    printf("right eye, %s: %d blue pixels (expected none)\n", quad_c.name, c_right.n);
    assert_int_equal(c_right.n, 0);
    /* The hidden quad would cover the middle of both eyes in white. */
    assert_false(is(&im, 0, EYE / 2, EYE / 2, WHITE) && is(&im, 1, EYE / 2, EYE / 2, WHITE));
    printf("largest edge error of any layer in either eye: %.2f px (bound 2)\n", worst);
    free(im.rgba);
}

static void layer_limits_and_misuse_are_refused(void **state)
{
    (void)state;
    app a;
    setup_app(&a, "20");
    static const float grey[4] = {0.5f, 0.5f, 0.5f, 1};
    const placed p = {"limit", {0, 0, -2}, {0.1f, 0.1f}, false};
    a.a = quad(&a, &p, 16, 16, grey, PLX_QUAD_EYES_BOTH, 0, false);
    a.b = quad(&a, &p, 16, 16, grey, PLX_QUAD_EYES_BOTH, 0, true); /* hidden: not counted */
    a.rp = quad_render_pass(&a, a.vk.color_format);
    make_raw_layer(&a);
    printf("maxLayerCount %u\n", a.xr.max_layer_count);
    plx_frame f;
    /* The first frames may be skipped (the session not visible yet): on to one that renders. */
    for (int guard = 0;; guard++) {
        assert_true(guard < 1000);
        plx_poll(a.ctx, NULL);
        if (plx_frame_wait(a.ctx, &f) != PLX_SUCCESS) continue;
        if (!f.should_render) {
            assert_int_equal(plx_frame_begin(a.ctx, &f), PLX_FRAME_SKIPPED);
            assert_int_equal(
                plx_frame_add_layer(a.ctx, &f, (const XrCompositionLayerBaseHeader *)&a.raw_layer, 0),
                PLX_FRAME_SKIPPED);
            plx_frame_end(a.ctx, &f);
            continue;
        }
        /* Before plx_frame_begin: refused. */
        assert_int_equal(
            plx_frame_add_layer(a.ctx, &f, (const XrCompositionLayerBaseHeader *)&a.raw_layer, 0),
            PLX_ERROR_CALL_ORDER);
        printf("add before begin: %s\n", plx_last_error(a.ctx));
        assert_int_equal(plx_frame_begin(a.ctx, &f), PLX_SUCCESS);
        break;
    }
    /* 1 projection + 1 visible quad + raw layers: max_layer_count - 2 raw layers fit. */
    uint32_t fit = a.xr.max_layer_count - 2;
    for (uint32_t i = 0; i < fit; i++)
        assert_int_equal(
            plx_frame_add_layer(a.ctx, &f, (const XrCompositionLayerBaseHeader *)&a.raw_layer, 0),
            PLX_SUCCESS);
    assert_int_equal(plx_frame_add_layer(a.ctx, &f, (const XrCompositionLayerBaseHeader *)&a.raw_layer, 0),
                     PLX_ERROR_INVALID_ARGUMENT);
    const char *err = plx_last_error(a.ctx);
    printf("one layer too many: %s\n", err);
    assert_non_null(strstr(err, "maxLayerCount"));
    /* Showing the hidden quad now would also exceed it. */
    assert_int_equal(plx_quad_set_visible(a.b, true), PLX_ERROR_INVALID_ARGUMENT);
    printf("showing a quad beyond the limit: %s\n", plx_last_error(a.ctx));
    /* Misuse of the quad calls. */
    plx_quad_image qi;
    assert_int_equal(plx_quad_acquire(a.a, NULL, &qi), PLX_ERROR_INVALID_ARGUMENT);
    plx_frame stale = f;
    stale.index += 7;
    assert_int_equal(plx_quad_acquire(a.a, &stale, &qi), PLX_ERROR_CALL_ORDER);
    printf("acquire with a stale frame: %s\n", plx_last_error(a.ctx));
    assert_int_equal(plx_quad_set_size(a.a, -1.0f, 1.0f), PLX_ERROR_INVALID_ARGUMENT);
    printf("negative size: %s\n", plx_last_error(a.ctx));
    const float pos[3] = {0, NAN, 0};
    assert_int_equal(plx_quad_set_pose(a.a, pos, NULL), PLX_ERROR_INVALID_ARGUMENT);
    const float zero_q[4] = {1e-9f, 0, 0, 0}, ok_pos[3] = {0, 0, -2};
    assert_int_equal(plx_quad_set_pose(a.a, ok_pos, zero_q), PLX_ERROR_INVALID_ARGUMENT);
    printf("zero-length orientation: %s\n", plx_last_error(a.ctx));
    assert_int_equal(plx_frame_end(a.ctx, &f), PLX_SUCCESS);
    /* The raw layers were for that frame only: the next frame takes as many again. */
    run_frames(&a, 3, false, true);
    /* Bad descs. */
    plx_quad *q = NULL;
    assert_int_equal(plx_quad_create(a.ctx, &(plx_quad_desc){.width = 100000}, &q),
                     PLX_ERROR_INVALID_ARGUMENT);
    printf("too wide: %s\n", plx_last_error(a.ctx));
    assert_int_equal(plx_quad_create(a.ctx, &(plx_quad_desc){.lock = (plx_quad_lock)7}, &q),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_int_equal(plx_quad_create(a.ctx, &(plx_quad_desc){.size_m = {1, NAN}}, &q),
                     PLX_ERROR_INVALID_ARGUMENT);
    assert_null(q);
    /* A quad outliving its context: released by plx_context_destroy, only destroy is left. */
    plx_quad *orphan = quad(&a, &p, 16, 16, grey, PLX_QUAD_EYES_BOTH, 0, true);
    finish(&a);
    assert_int_equal(plx_quad_set_visible(orphan, true), PLX_ERROR_CALL_ORDER);
    printf("after plx_context_destroy: %s\n", plx_last_error(NULL));
    plx_quad_destroy(&orphan);
    assert_null(orphan);
}

/* A lost session: the quads' swapchains go with it and are made again on the new session (A shows its clear
 * colour again, B the app's picture from its next acquire), in the capture of a frame after the recovery. */
static void quads_come_back_after_a_session_loss(void **state)
{
    (void)state;
    app a;
    setenv("PARALLAX_SIM_FAULTS", "session_loss@frame=8", 1);
    setup_app(&a, "15"); /* each session counts its own displayed frames: the new session's 15th */
    a.loss_expected = true;
    static const float red[4] = {1, 0, 0, 1}, none[4] = {0, 0, 0, 0};
    a.a = quad(&a, &quad_a, 96, 64, red, PLX_QUAD_EYES_BOTH, 0, false);
    a.b = quad(&a, &quad_b, 64, 64, none, PLX_QUAD_EYES_BOTH, 0, false);
    a.rp = quad_render_pass(&a, a.vk.color_format);
    int restarts = run_frames(&a, FRAMES, true, false);
    printf("session restarts seen by plx_poll: %d\n", restarts);
    assert_int_equal(restarts, 1);
    plx_openxr_info info;
    assert_int_equal(plx_get_openxr_info(a.ctx, &info), PLX_SUCCESS);
    assert_int_equal(info.session_generation, 2);
    finish(&a);
    unsetenv("PARALLAX_SIM_FAULTS");
    image im;
    load_png(capture_path, &im);
    const plx_view *v = a.views[FRAMES - 1];
    for (int eye = 0; eye < 2; eye++) {
        check_box(&im, v, eye, &quad_a, RED);
        box g = measure(&im, eye, GREEN, 0, 0, EYE, EYE);
        printf("%s eye, %s after the recovery: %d green pixels\n", eye ? "right" : "left", quad_b.name, g.n);
        assert_true(g.n > 0);
    }
    free(im.rgba);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quads_and_raw_layers_land_where_projected),
        cmocka_unit_test(layer_limits_and_misuse_are_refused),
        cmocka_unit_test(quads_come_back_after_a_session_loss),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
