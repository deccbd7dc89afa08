/* SPDX-License-Identifier: MIT */
/* The frame phases an engine records (issue 8 §1), on the simulated headset with both validation layers on:
 *  - pre-pass: vkCmdFillBuffer + a compute dispatch in plx_frame.pre_cmd whose result the pass reads (the
 *    captured eyes show the computed green);
 *  - PLX_PASS_LIBRARY with a post phase drawing over the pass's result in place (a blue corner);
 *  - PLX_PASS_POST_PROCESS: an app pass that samples libparallax's intermediate image and writes the inverted
 *    colour into the swapchain image (the capture shows magenta where the pass drew green, and a light
 *    background); and without a post phase, the pass's result copied as it is;
 *  - PLX_PASS_APP: the app's own render pass on the swapchain images;
 * each with the late-latch check at 0 failures, and the corrupt-latch self-test still caught (5 of 5). The
 * HUD is on in the post-process and own-pass variants (its own pass over the final colour). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buffer_color.frag.spv.h"
#include "engine_pipeline.h"
#include "fill.comp.spv.h"
#include "invert.frag.spv.h"
#include "parallax/parallax.h"
#include "plx_test_capture.h"
#include "parallax/parallax_vulkan.h"
#include "quad.vert.spv.h"
#include "solid.frag.spv.h"

#define EYE           64
#define CAPTURE_FRAME 20
#define MAX_VIEWS     16

typedef struct push_data {
    float rect[4];
    float color[4];
} push_data;

/* The app's Vulkan objects: what an engine would make for its own renderer. */
typedef struct app {
    plx_context *ctx;
    plx_vulkan_info vk;
    plx_pass_mode pass;
    VkBuffer color_buffer;
    VkDeviceMemory color_memory;
    VkDescriptorSetLayout buffer_layout, image_layout;
    VkDescriptorPool pool;
    VkDescriptorSet buffer_set, image_set;
    VkPipelineLayout buffer_pl, image_pl, push_pl;
    VkPipeline fill, quad_in_pass, quad_own, corner, invert;
    VkRenderPass own_pass, overlay_pass, post_pass;
    VkSampler sampler;
    VkImageView image_set_view;
    struct {
        VkImageView color, depth;
        VkFramebuffer fb;
    } fbs[MAX_VIEWS];
    uint32_t fb_count;
    int variant; /* what each frame records (a ::variant) */
} app;

static VkPipeline graphics_pipeline(const app *a, VkRenderPass rp, VkPipelineLayout layout,
                                    const uint32_t *fs_code, size_t fs_size)
{
    return engine_test_pipeline(a->vk.device, rp, layout, quad_vert_spv, sizeof quad_vert_spv, fs_code,
                                fs_size, VK_SAMPLE_COUNT_1_BIT);
}

/* A multiview (both layers) render pass of the app's own on colour (and depth when depth_format is set). */
static VkRenderPass app_render_pass(const app *a, VkAttachmentLoadOp load, VkFormat depth_format)
{
    VkAttachmentDescription att[2] = {
        {.format = a->vk.color_format,
         .samples = VK_SAMPLE_COUNT_1_BIT,
         .loadOp = load,
         .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
         .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
         .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
         .initialLayout = load == VK_ATTACHMENT_LOAD_OP_LOAD ? VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL
                                                             : VK_IMAGE_LAYOUT_UNDEFINED,
         .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL},
        {.format = depth_format,
         .samples = VK_SAMPLE_COUNT_1_BIT,
         .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
         .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
         .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
         .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
         .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
         .finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL},
    };
    VkAttachmentReference cref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkAttachmentReference dref = {1, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
        .colorAttachmentCount = 1,
        .pColorAttachments = &cref,
        .pDepthStencilAttachment = depth_format != VK_FORMAT_UNDEFINED ? &dref : NULL,
    };
    /* libparallax's phase barriers cover what comes before and after (parallax.h "Frame phases"); the app's
     * own passes order against the previous frame's use of the same images. */
    VkSubpassDependency dep = {
        .srcSubpass = VK_SUBPASS_EXTERNAL,
        .dstSubpass = 0,
        .srcStageMask =
            VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
        .dstStageMask =
            VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT,
        .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT |
                         VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
    };
    const uint32_t mask = 0x3;
    VkRenderPassMultiviewCreateInfo mv = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_MULTIVIEW_CREATE_INFO,
        .subpassCount = 1,
        .pViewMasks = &mask,
        .correlationMaskCount = 1,
        .pCorrelationMasks = &mask,
    };
    VkRenderPassCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
        .pNext = &mv,
        .attachmentCount = depth_format != VK_FORMAT_UNDEFINED ? 2 : 1,
        .pAttachments = att,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 1,
        .pDependencies = &dep,
    };
    VkRenderPass rp = VK_NULL_HANDLE;
    assert_int_equal(vkCreateRenderPass(a->vk.device, &ci, NULL, &rp), VK_SUCCESS);
    return rp;
}

static void app_init(app *a, plx_context *ctx, plx_pass_mode pass)
{
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
    a->pass = pass;
    assert_int_equal(plx_get_vulkan_info(ctx, &a->vk), PLX_SUCCESS);
    VkDevice dev = a->vk.device;
    /* The colour buffer the pre-pass computes. */
    VkBufferCreateInfo bi = {
        .sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
        .size = 16,
        .usage = VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
    };
    assert_int_equal(vkCreateBuffer(dev, &bi, NULL, &a->color_buffer), VK_SUCCESS);
    VkMemoryRequirements mr;
    vkGetBufferMemoryRequirements(dev, a->color_buffer, &mr);
    VkPhysicalDeviceMemoryProperties mp;
    vkGetPhysicalDeviceMemoryProperties(a->vk.physical_device, &mp);
    uint32_t type = 0;
    while (!(mr.memoryTypeBits & (1u << type))) type++;
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = mr.size, .memoryTypeIndex = type};
    assert_int_equal(vkAllocateMemory(dev, &ai, NULL, &a->color_memory), VK_SUCCESS);
    assert_int_equal(vkBindBufferMemory(dev, a->color_buffer, a->color_memory, 0), VK_SUCCESS);

    VkDescriptorSetLayoutBinding bb = {.binding = 0,
                                       .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                       .descriptorCount = 1,
                                       .stageFlags =
                                           VK_SHADER_STAGE_COMPUTE_BIT | VK_SHADER_STAGE_FRAGMENT_BIT};
    VkDescriptorSetLayoutCreateInfo bl = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &bb};
    assert_int_equal(vkCreateDescriptorSetLayout(dev, &bl, NULL, &a->buffer_layout), VK_SUCCESS);
    VkSamplerCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
                              .magFilter = VK_FILTER_NEAREST,
                              .minFilter = VK_FILTER_NEAREST,
                              .addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
                              .addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
                              .addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE};
    assert_int_equal(vkCreateSampler(dev, &si, NULL, &a->sampler), VK_SUCCESS);
    VkDescriptorSetLayoutBinding ib = {.binding = 0,
                                       .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                                       .descriptorCount = 1,
                                       .stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT,
                                       .pImmutableSamplers = &a->sampler};
    VkDescriptorSetLayoutCreateInfo il = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &ib};
    assert_int_equal(vkCreateDescriptorSetLayout(dev, &il, NULL, &a->image_layout), VK_SUCCESS);
    VkDescriptorPoolSize ps[2] = {{VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, 1},
                                  {VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, 1}};
    VkDescriptorPoolCreateInfo pi = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
                                     .maxSets = 2,
                                     .poolSizeCount = 2,
                                     .pPoolSizes = ps};
    assert_int_equal(vkCreateDescriptorPool(dev, &pi, NULL, &a->pool), VK_SUCCESS);
    VkDescriptorSetLayout layouts[2] = {a->buffer_layout, a->image_layout};
    VkDescriptorSet sets[2];
    VkDescriptorSetAllocateInfo dai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                       .descriptorPool = a->pool,
                                       .descriptorSetCount = 2,
                                       .pSetLayouts = layouts};
    assert_int_equal(vkAllocateDescriptorSets(dev, &dai, sets), VK_SUCCESS);
    a->buffer_set = sets[0];
    a->image_set = sets[1];
    VkDescriptorBufferInfo dbi = {.buffer = a->color_buffer, .range = 16};
    VkWriteDescriptorSet w = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                              .dstSet = a->buffer_set,
                              .descriptorCount = 1,
                              .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                              .pBufferInfo = &dbi};
    vkUpdateDescriptorSets(dev, 1, &w, 0, NULL);

    VkPushConstantRange pcr = {VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                               sizeof(push_data)};
    VkPipelineLayoutCreateInfo pl = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                     .setLayoutCount = 1,
                                     .pSetLayouts = &a->buffer_layout,
                                     .pushConstantRangeCount = 1,
                                     .pPushConstantRanges = &pcr};
    assert_int_equal(vkCreatePipelineLayout(dev, &pl, NULL, &a->buffer_pl), VK_SUCCESS);
    pl.pSetLayouts = &a->image_layout;
    assert_int_equal(vkCreatePipelineLayout(dev, &pl, NULL, &a->image_pl), VK_SUCCESS);
    pl.setLayoutCount = 0;
    assert_int_equal(vkCreatePipelineLayout(dev, &pl, NULL, &a->push_pl), VK_SUCCESS);

    VkShaderModule cs = engine_test_module(a->vk.device, fill_comp_spv, sizeof fill_comp_spv);
    VkComputePipelineCreateInfo cci = {.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
                                       .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                                                 .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                                                 .module = cs,
                                                 .pName = "main"},
                                       .layout = a->buffer_pl};
    assert_int_equal(vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &cci, NULL, &a->fill), VK_SUCCESS);
    vkDestroyShaderModule(dev, cs, NULL);

    if (pass != PLX_PASS_APP)
        a->quad_in_pass = graphics_pipeline(a, a->vk.render_pass, a->buffer_pl, buffer_color_frag_spv,
                                            sizeof buffer_color_frag_spv);
    if (pass == PLX_PASS_APP) {
        a->own_pass = app_render_pass(a, VK_ATTACHMENT_LOAD_OP_CLEAR, a->vk.depth_format);
        a->quad_own = graphics_pipeline(a, a->own_pass, a->buffer_pl, buffer_color_frag_spv,
                                        sizeof buffer_color_frag_spv);
    }
    if (pass == PLX_PASS_LIBRARY) {
        a->overlay_pass = app_render_pass(a, VK_ATTACHMENT_LOAD_OP_LOAD, VK_FORMAT_UNDEFINED);
        a->corner = graphics_pipeline(a, a->overlay_pass, a->push_pl, solid_frag_spv, sizeof solid_frag_spv);
    }
    if (pass == PLX_PASS_POST_PROCESS) {
        a->post_pass = app_render_pass(a, VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_FORMAT_UNDEFINED);
        a->invert = graphics_pipeline(a, a->post_pass, a->image_pl, invert_frag_spv, sizeof invert_frag_spv);
    }
}

static void app_fini(app *a)
{
    VkDevice dev = a->vk.device;
    assert_int_equal(plx_wait_gpu_idle(a->ctx),
                     PLX_SUCCESS); /* not vkDeviceWaitIdle: the runtime shares the device */
    for (uint32_t i = 0; i < a->fb_count; i++) vkDestroyFramebuffer(dev, a->fbs[i].fb, NULL);
    VkPipeline ps[5] = {a->fill, a->quad_in_pass, a->quad_own, a->corner, a->invert};
    for (int i = 0; i < 5; i++) vkDestroyPipeline(dev, ps[i], NULL);
    vkDestroyRenderPass(dev, a->own_pass, NULL);
    vkDestroyRenderPass(dev, a->overlay_pass, NULL);
    vkDestroyRenderPass(dev, a->post_pass, NULL);
    vkDestroyPipelineLayout(dev, a->buffer_pl, NULL);
    vkDestroyPipelineLayout(dev, a->image_pl, NULL);
    vkDestroyPipelineLayout(dev, a->push_pl, NULL);
    vkDestroyDescriptorPool(dev, a->pool, NULL);
    vkDestroyDescriptorSetLayout(dev, a->buffer_layout, NULL);
    vkDestroyDescriptorSetLayout(dev, a->image_layout, NULL);
    vkDestroySampler(dev, a->sampler, NULL);
    vkDestroyBuffer(dev, a->color_buffer, NULL);
    vkFreeMemory(dev, a->color_memory, NULL);
}

/* A framebuffer of rp on (colour, depth) views, made once per pair. */
static VkFramebuffer framebuffer(app *a, VkRenderPass rp, VkImageView color, VkImageView depth)
{
    for (uint32_t i = 0; i < a->fb_count; i++)
        if (a->fbs[i].color == color && a->fbs[i].depth == depth) return a->fbs[i].fb;
    assert_true(a->fb_count < MAX_VIEWS);
    VkImageView views[2] = {color, depth};
    VkFramebufferCreateInfo ci = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
                                  .renderPass = rp,
                                  .attachmentCount = depth ? 2 : 1,
                                  .pAttachments = views,
                                  .width = EYE,
                                  .height = EYE,
                                  .layers = 1};
    VkFramebuffer fb = VK_NULL_HANDLE;
    assert_int_equal(vkCreateFramebuffer(a->vk.device, &ci, NULL, &fb), VK_SUCCESS);
    a->fbs[a->fb_count].color = color;
    a->fbs[a->fb_count].depth = depth;
    a->fbs[a->fb_count++].fb = fb;
    return fb;
}

static void set_viewport(VkCommandBuffer cmd, const plx_frame *f)
{
    VkViewport vp = {0, 0, (float)f->width, (float)f->height, 0, 1};
    VkRect2D sc = {{0, 0}, {f->width, f->height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
}

/* The centre quad the pass draws in the pre-pass's colour: the middle half of each eye. */
static const float centre_rect[4] = {-0.5f, -0.5f, 0.5f, 0.5f};

static void record_prepass(app *a, const plx_frame *f)
{
    /* 0.25f in every float: the compute shader turns it into green (fill.comp). */
    uint32_t quarter;
    float q = 0.25f;
    memcpy(&quarter, &q, sizeof quarter);
    vkCmdFillBuffer(f->pre_cmd, a->color_buffer, 0, 16, quarter);
    VkMemoryBarrier mb = {.sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
                          .srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
                          .dstAccessMask = VK_ACCESS_SHADER_READ_BIT | VK_ACCESS_SHADER_WRITE_BIT};
    vkCmdPipelineBarrier(f->pre_cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, 0,
                         1, &mb, 0, NULL, 0, NULL);
    vkCmdBindPipeline(f->pre_cmd, VK_PIPELINE_BIND_POINT_COMPUTE, a->fill);
    vkCmdBindDescriptorSets(f->pre_cmd, VK_PIPELINE_BIND_POINT_COMPUTE, a->buffer_pl, 0, 1, &a->buffer_set, 0,
                            NULL);
    vkCmdDispatch(f->pre_cmd, 1, 1, 1);
    /* No barrier of the app's between the dispatch and the pass: libparallax's pre-pass barrier is it. */
}

static void draw_centre(app *a, VkCommandBuffer cmd, VkPipeline p)
{
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, p);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a->buffer_pl, 0, 1, &a->buffer_set, 0,
                            NULL);
    push_data pd = {.rect = {centre_rect[0], centre_rect[1], centre_rect[2], centre_rect[3]}};
    vkCmdPushConstants(cmd, a->buffer_pl, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                       sizeof pd, &pd);
    vkCmdDraw(cmd, 6, 1, 0, 0);
}

static void check_image(const plx_eye_image *im, VkImageLayout layout, const char *what)
{
    if (im->image == VK_NULL_HANDLE || im->view == VK_NULL_HANDLE) fail_msg("%s: no image", what);
    if (im->layout != layout) fail_msg("%s: layout %d, expected %d", what, (int)im->layout, (int)layout);
    assert_int_equal(im->layer_count, 2);
    assert_int_equal(im->extent.width, EYE);
    assert_int_equal(im->extent.height, EYE);
    assert_int_equal(im->samples, VK_SAMPLE_COUNT_1_BIT);
}

typedef enum variant {
    V_LIBRARY,      /* pre-pass + libparallax's pass + a post phase drawing over it in place */
    V_POST,         /* PLX_PASS_POST_PROCESS with an inverting post phase */
    V_POST_SKIPPED, /* PLX_PASS_POST_PROCESS, no post phase: the pass's result is shown */
    V_APP,          /* PLX_PASS_APP: the app's own render pass */
} variant;

static void record_frame(app *a, plx_frame *f, variant v)
{
    record_prepass(a, f);
    plx_frame_images im;
    switch (v) {
    case V_LIBRARY: {
        draw_centre(a, f->cmd, a->quad_in_pass);
        /* In the pass, the images are its attachments: not handed out. */
        assert_int_equal(plx_frame_get_images(a->ctx, f, &im), PLX_ERROR_CALL_ORDER);
        VkCommandBuffer pass_cmd = f->cmd;
        assert_int_equal(plx_frame_post_pass(a->ctx, f, &im), PLX_SUCCESS);
        assert_true(f->cmd == pass_cmd || f->cmd != VK_NULL_HANDLE);
        check_image(&im.target, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, "target");
        check_image(&im.depth, VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL, "depth");
        assert_true(im.color.image == im.target.image);                               /* in place */
        assert_int_equal(plx_frame_post_pass(a->ctx, f, NULL), PLX_ERROR_CALL_ORDER); /* once */
        /* Draw over the pass's result in place: a blue square in the top-left corner of each eye. */
        VkRenderPassBeginInfo rb = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                    .renderPass = a->overlay_pass,
                                    .framebuffer =
                                        framebuffer(a, a->overlay_pass, im.target.view, VK_NULL_HANDLE),
                                    .renderArea = {.extent = {f->width, f->height}}};
        vkCmdBeginRenderPass(f->cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
        set_viewport(f->cmd, f);
        vkCmdBindPipeline(f->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a->corner);
        push_data pd = {.rect = {-1.0f, -1.0f, -0.75f, -0.75f}, .color = {0, 0, 1, 1}};
        vkCmdPushConstants(f->cmd, a->push_pl, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                           sizeof pd, &pd);
        vkCmdDraw(f->cmd, 6, 1, 0, 0);
        vkCmdEndRenderPass(f->cmd);
        break;
    }
    case V_POST: {
        draw_centre(a, f->cmd, a->quad_in_pass);
        assert_int_equal(plx_frame_post_pass(a->ctx, f, &im), PLX_SUCCESS);
        check_image(&im.color, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, "color");
        check_image(&im.target, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, "target");
        check_image(&im.depth, VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL, "depth");
        assert_true(im.color.image != im.target.image);
        assert_true(im.color.usage & VK_IMAGE_USAGE_SAMPLED_BIT);
        assert_true(im.depth.usage & VK_IMAGE_USAGE_SAMPLED_BIT);
        /* One intermediate image for the context's life: the set is written at the first frame, before any
         * command buffer uses it. */
        if (a->image_set_view != im.color.view) {
            assert_true(a->image_set_view == VK_NULL_HANDLE);
            VkDescriptorImageInfo dii = {.imageView = im.color.view,
                                         .imageLayout = VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
            VkWriteDescriptorSet w = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                      .dstSet = a->image_set,
                                      .descriptorCount = 1,
                                      .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                                      .pImageInfo = &dii};
            vkUpdateDescriptorSets(a->vk.device, 1, &w, 0, NULL);
            a->image_set_view = im.color.view;
        }
        VkRenderPassBeginInfo rb = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                    .renderPass = a->post_pass,
                                    .framebuffer =
                                        framebuffer(a, a->post_pass, im.target.view, VK_NULL_HANDLE),
                                    .renderArea = {.extent = {f->width, f->height}}};
        vkCmdBeginRenderPass(f->cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
        set_viewport(f->cmd, f);
        vkCmdBindPipeline(f->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a->invert);
        vkCmdBindDescriptorSets(f->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a->image_pl, 0, 1, &a->image_set, 0,
                                NULL);
        push_data pd = {.rect = {-1, -1, 1, 1}};
        vkCmdPushConstants(f->cmd, a->image_pl, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                           sizeof pd, &pd);
        vkCmdDraw(f->cmd, 6, 1, 0, 0);
        vkCmdEndRenderPass(f->cmd);
        break;
    }
    case V_POST_SKIPPED:
        draw_centre(a, f->cmd, a->quad_in_pass);
        break;
    case V_APP: {
        assert_int_equal(plx_frame_get_images(a->ctx, f, &im), PLX_SUCCESS);
        check_image(&im.target, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, "target");
        check_image(&im.depth, VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL, "depth");
        VkClearValue clear[2] = {{.color = {.float32 = {0, 0, 1, 1}}}, {.depthStencil = {1.0f, 0}}};
        VkRenderPassBeginInfo rb = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                    .renderPass = a->own_pass,
                                    .framebuffer = framebuffer(a, a->own_pass, im.target.view, im.depth.view),
                                    .renderArea = {.extent = {f->width, f->height}},
                                    .clearValueCount = 2,
                                    .pClearValues = clear};
        vkCmdBeginRenderPass(f->cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
        set_viewport(f->cmd, f);
        draw_centre(a, f->cmd, a->quad_own);
        vkCmdEndRenderPass(f->cmd);
        assert_int_equal(plx_frame_post_pass(a->ctx, f, NULL), PLX_SUCCESS); /* no-op with an own pass */
        break;
    }
    }
}

static void run_frames(app *a, int frames, variant v)
{
    for (int i = 0; i < frames;) {
        plx_events ev;
        plx_poll(a->ctx, &ev);
        assert_false(ev.should_quit);
        plx_frame f;
        plx_result r = plx_frame_wait(a->ctx, &f);
        if (r == PLX_SESSION_NOT_RUNNING) continue;
        assert_int_equal(r, PLX_SUCCESS);
        r = plx_frame_begin(a->ctx, &f);
        assert_true(r == PLX_SUCCESS || r == PLX_FRAME_SKIPPED);
        if (r == PLX_SUCCESS) record_frame(a, &f, v);
        r = plx_frame_end(a->ctx, &f);
        if (r != PLX_SUCCESS) fail_msg("plx_frame_end: %s", plx_last_error(a->ctx));
        i++;
    }
}

static void finish(app *a)
{
    assert_int_equal(plx_request_exit(a->ctx), PLX_SUCCESS);
    for (int i = 0; i < 1000; i++) {
        plx_events ev;
        plx_poll(a->ctx, &ev);
        if (ev.should_quit) break;
        plx_frame f;
        if (plx_frame_wait(a->ctx, &f) != PLX_SUCCESS) continue;
        plx_result r = plx_frame_begin(a->ctx, &f);
        if (r == PLX_SUCCESS) record_frame(a, &f, (variant)a->variant);
        if (r >= 0) plx_frame_end(a->ctx, &f);
    }
    uint32_t msgs = plx_validation_message_count(a->ctx);
    app_fini(a);
    plx_context_destroy(&a->ctx);
    assert_int_equal(msgs, 0);
}

/* ---------------------------------------------------------------- the capture */

/* Pixel (x, y) of an eye (0 left, 1 right), at fractions of the eye's size. */
static const unsigned char *eye_px(const image *im, int eye, double fx, double fy)
{
    int ew = im->w / 2;
    int x = eye * ew + (int)(fx * ew), y = (int)(fy * im->h);
    return im->rgba + ((size_t)y * (size_t)im->w + (size_t)x) * 4;
}

static void expect_px(const image *im, int eye, double fx, double fy, int r, int g, int b, const char *what)
{
    const unsigned char *p = eye_px(im, eye, fx, fy);
    printf("%s eye, %s at (%.2f, %.2f): %d %d %d\n", eye ? "right" : "left", what, fx, fy, p[0], p[1], p[2]);
    if (abs(p[0] - r) > 12 || abs(p[1] - g) > 12 || abs(p[2] - b) > 12)
        fail_msg("%s eye, %s at (%.2f, %.2f): %d %d %d, expected %d %d %d", eye ? "right" : "left", what, fx,
                 fy, p[0], p[1], p[2], r, g, b);
}

/* ---------------------------------------------------------------- the variants */

static const char *capture_path = "phases_capture.png";

static plx_context *create(plx_pass_mode pass, bool hud)
{
    setenv("PARALLAX_SIM_EYE_SIZE", "64x64", 1);
    setenv("PARALLAX_SIM_MOTION", "turns", 1);
    setenv("PARALLAX_SIM_CAPTURE", capture_path, 1);
    setenv("PARALLAX_SIM_CAPTURE_FRAME", "20", 1);
    remove(capture_path);
    plx_context *ctx = NULL;
    plx_context_desc d = {
        .app_name = "test_phases",
        .latch_check = true,
        .validation = true,
        .pass = pass,
        .hud = hud,
        .eye_width = EYE,
        .eye_height = EYE,
    };
    plx_result r = plx_context_create(&d, &ctx);
    if (r != PLX_SUCCESS) fail_msg("plx_context_create: %s", plx_last_error(NULL));
    return ctx;
}

/* 40 frames with the latch check at 0 failures, then 5 corrupted latches, all 5 caught. */
static void run_with_latch_check(app *a, variant v)
{
    run_frames(a, 40, v);
    plx_latency_info li;
    assert_int_equal(plx_get_latency_info(a->ctx, &li), PLX_SUCCESS);
    printf("latch check: %llu frames checked, %llu failures\n", (unsigned long long)li.latch_frames_checked,
           (unsigned long long)li.latch_failures);
    assert_true(li.latch_frames_checked >= 30);
    assert_int_equal(li.latch_failures, 0);
    plx_debug_corrupt_latch(a->ctx, 5);
    run_frames(a, 15, v);
    assert_int_equal(plx_get_latency_info(a->ctx, &li), PLX_SUCCESS);
    printf("corrupt-latch self-test: %llu failures of 5 corrupted frames\n",
           (unsigned long long)li.latch_failures);
    assert_int_equal(li.latch_failures, 5);
}

static void run_variant(plx_pass_mode pass, variant v, bool hud, image *out)
{
    app a;
    app_init(&a, create(pass, hud), pass);
    a.variant = (int)v;
    run_with_latch_check(&a, v);
    finish(&a);
    load_png(capture_path, out);
    assert_int_equal(out->w, 2 * EYE);
    assert_int_equal(out->h, EYE);
}

static void prepass_compute_feeds_the_pass_and_post_draws_in_place(void **state)
{
    (void)state;
    image im;
    run_variant(PLX_PASS_LIBRARY, V_LIBRARY, false, &im);
    for (int eye = 0; eye < 2; eye++) {
        expect_px(&im, eye, 0.5, 0.5, 0, 255, 0, "pre-pass green");    /* fill + compute, read by the pass */
        expect_px(&im, eye, 0.05, 0.05, 0, 0, 255, "post-phase blue"); /* drawn over in place */
        expect_px(&im, eye, 0.9, 0.9, 39, 39, 48, "clear colour");     /* sRGB of (0.02, 0.02, 0.03) */
    }
    free(im.rgba);
}

static void post_process_inverts_into_the_swapchain(void **state)
{
    (void)state;
    image im;
    run_variant(PLX_PASS_POST_PROCESS, V_POST, true, &im);
    for (int eye = 0; eye < 2; eye++) {
        expect_px(&im, eye, 0.5, 0.5, 255, 0, 255, "inverted green");
        /* linear 1 - 0.02 = 0.98 -> sRGB 253; 1 - 0.03 = 0.97 -> 250 */
        expect_px(&im, eye, 0.05, 0.05, 253, 253, 250, "inverted clear colour");
    }
    free(im.rgba);
}

static void post_process_without_post_phase_shows_the_pass(void **state)
{
    (void)state;
    image im;
    run_variant(PLX_PASS_POST_PROCESS, V_POST_SKIPPED, false, &im);
    for (int eye = 0; eye < 2; eye++) {
        expect_px(&im, eye, 0.5, 0.5, 0, 255, 0, "pass green");
        expect_px(&im, eye, 0.05, 0.05, 39, 39, 48, "clear colour");
    }
    free(im.rgba);
}

static void own_pass_renders_into_the_swapchain(void **state)
{
    (void)state;
    image im;
    run_variant(PLX_PASS_APP, V_APP, true, &im);
    for (int eye = 0; eye < 2; eye++) {
        expect_px(&im, eye, 0.5, 0.5, 0, 255, 0, "own pass green");
        expect_px(&im, eye, 0.05, 0.05, 0, 0, 255, "own pass clear blue");
    }
    free(im.rgba);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(prepass_compute_feeds_the_pass_and_post_draws_in_place),
        cmocka_unit_test(post_process_inverts_into_the_swapchain),
        cmocka_unit_test(post_process_without_post_phase_shows_the_pass),
        cmocka_unit_test(own_pass_renders_into_the_swapchain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
