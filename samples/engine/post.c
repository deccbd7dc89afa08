/* SPDX-License-Identifier: MIT */
/* parallax-engine: the post phase. The context runs with PLX_PASS_POST_PROCESS, so libparallax's pass renders
 * (and resolves its MSAA samples) into an intermediate image; plx_frame_post_pass ends that pass and hands
 * over the eye images: `color` (the intermediate, SHADER_READ_ONLY_OPTIMAL, both eyes as array layers) and
 * `target` (the swapchain image, COLOR_ATTACHMENT_OPTIMAL, contents undefined). The sample's own multiview
 * render pass reads color and writes every pixel of the render area of target: the vignette. */
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "post.vert.inc.h"
#include "vignette.frag.inc.h"

typedef struct post_params {
    float strength, inner;
} post_params;

VkResult post_init(engine *e)
{
    VkDevice dev = e->vk.device;
    VkSamplerCreateInfo si = {.sType = VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO,
                              .magFilter = VK_FILTER_NEAREST,
                              .minFilter = VK_FILTER_NEAREST,
                              .addressModeU = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
                              .addressModeV = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE,
                              .addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE};
    VkResult r = vkCreateSampler(dev, &si, NULL, &e->sampler);
    if (!vk_ok(r, "vkCreateSampler")) return r;
    VkDescriptorSet sets[MAX_SLOTS];
    r = slot_sets(e, VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, VK_SHADER_STAGE_FRAGMENT_BIT, &e->sampler,
                  &e->post_layout_set, sets);
    if (r != VK_SUCCESS) return r;
    for (uint32_t s = 0; s < e->vk.frames_in_flight; s++) e->slots[s].post_set = sets[s];
    VkPushConstantRange pcr = {VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof(post_params)};
    VkPipelineLayoutCreateInfo pl = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                     .setLayoutCount = 1,
                                     .pSetLayouts = &e->post_layout_set,
                                     .pushConstantRangeCount = 1,
                                     .pPushConstantRanges = &pcr};
    r = vkCreatePipelineLayout(dev, &pl, NULL, &e->post_layout);
    if (!vk_ok(r, "vkCreatePipelineLayout")) return r;
    /* Both eyes in one multiview pass of the sample's own (view mask 0b11): the target's two array layers.
     * Load op DONT_CARE from UNDEFINED: every pixel of the render area is written. */
    r = color_render_pass(e, e->vk.color_format, VK_ATTACHMENT_LOAD_OP_DONT_CARE, VK_IMAGE_LAYOUT_UNDEFINED,
                          0x3, &e->post_pass);
    if (r != VK_SUCCESS) return r;
    pipeline_desc pd = {.render_pass = e->post_pass,
                        .layout = e->post_layout,
                        .vs = post_vert,
                        .vs_size = sizeof post_vert,
                        .fs = vignette_frag,
                        .fs_size = sizeof vignette_frag,
                        .samples = VK_SAMPLE_COUNT_1_BIT}; /* the post phase's images are resolved */
    return graphics_pipeline(e, &pd, &e->post_pipeline);
}

void post_fini(engine *e)
{
    VkDevice dev = e->vk.device;
    for (uint32_t s = 0; s < MAX_SLOTS; s++) {
        if (e->slots[s].post_framebuffer) vkDestroyFramebuffer(dev, e->slots[s].post_framebuffer, NULL);
        e->slots[s].post_framebuffer = VK_NULL_HANDLE;
    }
    if (e->post_pipeline) vkDestroyPipeline(dev, e->post_pipeline, NULL);
    if (e->post_pass) vkDestroyRenderPass(dev, e->post_pass, NULL);
    if (e->post_layout) vkDestroyPipelineLayout(dev, e->post_layout, NULL);
    if (e->post_layout_set) vkDestroyDescriptorSetLayout(dev, e->post_layout_set, NULL);
    if (e->sampler) vkDestroySampler(dev, e->sampler, NULL);
}

plx_result post_record(engine *e, plx_frame *f)
{
    plx_frame_images im;
    plx_result pr = plx_frame_post_pass(e->ctx, f, &im);
    if (pr != PLX_SUCCESS) return pr;
    VkDevice dev = e->vk.device;
    slot *s = &e->slots[f->slot];
    /* The slot's previous frame is done (slot_recycle): its descriptor set can point at this frame's image.
     */
    VkDescriptorImageInfo ii = {.imageView = im.color.view, .imageLayout = im.color.layout};
    VkWriteDescriptorSet w = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                              .dstSet = s->post_set,
                              .descriptorCount = 1,
                              .descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER,
                              .pImageInfo = &ii};
    vkUpdateDescriptorSets(dev, 1, &w, 0, NULL);
    VkFramebufferCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
                                   .renderPass = e->post_pass,
                                   .attachmentCount = 1,
                                   .pAttachments = &im.target.view,
                                   .width = im.target.extent.width,
                                   .height = im.target.extent.height,
                                   .layers = 1}; /* multiview: the view mask picks the layers */
    if (!vk_ok(vkCreateFramebuffer(dev, &fci, NULL, &s->post_framebuffer), "vkCreateFramebuffer"))
        return PLX_ERROR_VULKAN;
    VkRenderPassBeginInfo rb = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                .renderPass = e->post_pass,
                                .framebuffer = s->post_framebuffer,
                                .renderArea = {.extent = {f->width, f->height}}};
    vkCmdBeginRenderPass(f->cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
    set_viewport(f->cmd, f->width, f->height);
    vkCmdBindPipeline(f->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, e->post_pipeline);
    vkCmdBindDescriptorSets(f->cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, e->post_layout, 0, 1, &s->post_set, 0,
                            NULL);
    post_params p = {.strength = e->vignette, .inner = 0.4f};
    vkCmdPushConstants(f->cmd, e->post_layout, VK_SHADER_STAGE_FRAGMENT_BIT, 0, sizeof p, &p);
    vkCmdDraw(f->cmd, 6, 1, 0, 0);
    vkCmdEndRenderPass(f->cmd);
    return PLX_SUCCESS;
}
