/* SPDX-License-Identifier: MIT */
/* Layer 1, gpu: the objects every frame uses: the multiview render pass, the frame slots (command buffers,
 * fence, uniform buffer, descriptor set), the timestamp queries, and the slots' life: begin, end, submit,
 * wait, retire, read the GPU times. May call base/, the device (vulkan.c), the GPU clock (clock.c), the
 * completion watcher (watch.c) and the pass secondaries (secondaries.c). A finished slot is reported as a
 * fact (signalled, times); the frame loop decides what follows. */
#include <math.h>
#include <string.h>

#include "gpu/plx_gpu.h"

/* MSAA: the same pass as create_render_pass with multisampled colour (0) and depth (1) attachments of
 * libparallax's, resolved at the end of the subpass into the single-sampled colour (2: the swapchain image or
 * the intermediate) and depth (3) images, which end in the layouts the 1-sample pass leaves them in. Colour
 * is averaged; depth takes sample 0 (a depth the compositor reprojects with must be a depth some sample had,
 * not an average across an edge). Render pass 2 (Vulkan 1.2) for the depth resolve; plx_gpu_check_samples
 * made sure the device runs it. */
static plx_result create_msaa_render_pass(plx_gpu *g, const plx_frame_resources_desc *d, uint32_t view_mask)
{
    VkAttachmentDescription2 att[4] = {
        {
            .sType = VK_STRUCTURE_TYPE_ATTACHMENT_DESCRIPTION_2,
            .format = d->color_format,
            .samples = d->samples,
            .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
            .storeOp = VK_ATTACHMENT_STORE_OP_DONT_CARE, /* only its resolve is kept */
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        },
        {
            .sType = VK_STRUCTURE_TYPE_ATTACHMENT_DESCRIPTION_2,
            .format = d->depth_format,
            .samples = d->samples,
            .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
            .storeOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
        },
        {
            .sType = VK_STRUCTURE_TYPE_ATTACHMENT_DESCRIPTION_2,
            .format = d->color_format,
            .samples = VK_SAMPLE_COUNT_1_BIT,
            .loadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE, /* every pixel is resolved into */
            .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = d->post_process ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL
                                           : VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        },
        {
            .sType = VK_STRUCTURE_TYPE_ATTACHMENT_DESCRIPTION_2,
            .format = d->depth_format,
            .samples = VK_SAMPLE_COUNT_1_BIT,
            .loadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .storeOp = VK_ATTACHMENT_STORE_OP_STORE, /* the depth layer, or the post phase's depth */
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
        },
    };
    VkAttachmentReference2 color_ref = {.sType = VK_STRUCTURE_TYPE_ATTACHMENT_REFERENCE_2,
                                        .attachment = 0,
                                        .layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                        .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT};
    VkAttachmentReference2 depth_ref = {.sType = VK_STRUCTURE_TYPE_ATTACHMENT_REFERENCE_2,
                                        .attachment = 1,
                                        .layout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    VkAttachmentReference2 color_resolve = {.sType = VK_STRUCTURE_TYPE_ATTACHMENT_REFERENCE_2,
                                            .attachment = 2,
                                            .layout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
                                            .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT};
    VkAttachmentReference2 depth_resolve = {.sType = VK_STRUCTURE_TYPE_ATTACHMENT_REFERENCE_2,
                                            .attachment = 3,
                                            .layout = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL};
    bool stencil = d->depth_format == VK_FORMAT_D24_UNORM_S8_UINT;
    VkSubpassDescriptionDepthStencilResolve dsr = {
        .sType = VK_STRUCTURE_TYPE_SUBPASS_DESCRIPTION_DEPTH_STENCIL_RESOLVE,
        .depthResolveMode = VK_RESOLVE_MODE_SAMPLE_ZERO_BIT,
        .stencilResolveMode = stencil ? VK_RESOLVE_MODE_SAMPLE_ZERO_BIT : VK_RESOLVE_MODE_NONE,
        .pDepthStencilResolveAttachment = &depth_resolve,
    };
    VkSubpassDescription2 sub = {
        .sType = VK_STRUCTURE_TYPE_SUBPASS_DESCRIPTION_2,
        .pNext = &dsr,
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
        .viewMask = view_mask,
        .colorAttachmentCount = 1,
        .pColorAttachments = &color_ref,
        .pResolveAttachments = &color_resolve,
        .pDepthStencilAttachment = &depth_ref,
    };
    const VkPipelineStageFlags attachment_stages = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                                                   VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                                                   VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT;
    VkSubpassDependency2 dep[2] = {
        {
            .sType = VK_STRUCTURE_TYPE_SUBPASS_DEPENDENCY_2,
            .srcSubpass = VK_SUBPASS_EXTERNAL,
            .dstSubpass = 0,
            .srcStageMask = attachment_stages,
            .dstStageMask = attachment_stages,
            .srcAccessMask =
                VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT |
                             VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                             VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT,
        },
        {
            /* As in the 1-sample pass: everything after reads what the pass (and its resolves) wrote. */
            .sType = VK_STRUCTURE_TYPE_SUBPASS_DEPENDENCY_2,
            .srcSubpass = 0,
            .dstSubpass = VK_SUBPASS_EXTERNAL,
            .srcStageMask = attachment_stages,
            .dstStageMask = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
            .srcAccessMask =
                VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
        }};
    VkRenderPassCreateInfo2 ci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO_2,
        .attachmentCount = 4,
        .pAttachments = att,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 2,
        .pDependencies = dep,
        .correlatedViewMaskCount = 1,
        .pCorrelatedViewMasks = &view_mask,
    };
    return PLX_VK(g->report, vkCreateRenderPass2(g->vk.device, &ci, NULL, &g->render_pass));
}

plx_result plx_gpu_check_samples(const plx_gpu *g, uint32_t samples)
{
    if (samples <= 1) return PLX_SUCCESS;
    if (g->vk.api_version < VK_API_VERSION_1_2)
        return PLX_FAIL(
            g->report, PLX_ERROR_UNSUPPORTED,
            "plx_context_desc.samples %u needs Vulkan 1.2 (render pass 2 with a depth resolve); the "
            "device runs %u.%u",
            samples, VK_API_VERSION_MAJOR(g->vk.api_version), VK_API_VERSION_MINOR(g->vk.api_version));
    VkPhysicalDeviceProperties props;
    vkGetPhysicalDeviceProperties(g->vk.physical_device, &props);
    const VkPhysicalDeviceLimits *l = &props.limits;
    if (!(l->framebufferColorSampleCounts & samples) || !(l->framebufferDepthSampleCounts & samples))
        return PLX_FAIL(
            g->report, PLX_ERROR_UNSUPPORTED,
            "plx_context_desc.samples %u: the device renders colour with sample counts 0x%x and depth "
            "with 0x%x (VkPhysicalDeviceLimits.framebufferColorSampleCounts / "
            "framebufferDepthSampleCounts)",
            samples, (unsigned)l->framebufferColorSampleCounts, (unsigned)l->framebufferDepthSampleCounts);
    return PLX_SUCCESS;
}

static plx_result create_render_pass(plx_gpu *g, const plx_frame_resources_desc *d)
{
    /* With a pass per eye the right eye resolves into images of its own, copied into layer 1 afterwards
     * (gpu/swapchain.c msaa_per_eye); the render pass is the same for both eyes. */
    if (d->samples > VK_SAMPLE_COUNT_1_BIT) return create_msaa_render_pass(g, d, g->pass_per_eye ? 0x1 : 0x3);
    VkFormat color_format = d->color_format, depth_format = d->depth_format;
    bool keep_depth = d->store_depth;
    VkAttachmentDescription att[2] = {
        {
            .format = color_format,
            .samples = VK_SAMPLE_COUNT_1_BIT,
            .loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR,
            .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
            .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
            .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
            /* Cleared every frame, so the previous contents do not matter; OpenXR wants the image back in
             * COLOR_ATTACHMENT_OPTIMAL at release. An intermediate image is sampled by the post phase. */
            .initialLayout = VK_IMAGE_LAYOUT_UNDEFINED,
            .finalLayout = d->post_process ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL
                                           : VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        },
        {
            .format = depth_format,
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
    VkSubpassDependency dep[2] = {
        {
            .srcSubpass = VK_SUBPASS_EXTERNAL,
            .dstSubpass = 0,
            .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                            VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                            VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
            .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                            VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                            VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
            .srcAccessMask =
                VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT |
                             VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT |
                             VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_READ_BIT,
        },
        {
            /* The post phase (the app's, parallax.h "Frame phases") and libparallax's own work read what the
             * pass wrote, in any stage; the final layout transitions are part of this dependency. */
            .srcSubpass = 0,
            .dstSubpass = VK_SUBPASS_EXTERNAL,
            .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                            VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT |
                            VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT,
            .dstStageMask = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
            .srcAccessMask =
                VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
        }};
    /* Both eyes in one pass: view i renders to layer i; the views are correlated (nearly the same geometry).
     */
    /* With a pass per eye (multiview.c) the one view renders the layer of the framebuffer's one-layer views.
     */
    const uint32_t view_mask = g->pass_per_eye ? 0x1 : 0x3, correlation_mask = view_mask;
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
        .dependencyCount = 2,
        .pDependencies = dep,
    };
    return PLX_VK(g->report, vkCreateRenderPass(g->vk.device, &ci, NULL, &g->render_pass));
}

/* Colour only, over what is in the colour swapchain image (load + store, COLOR_ATTACHMENT_OPTIMAL in and
 * out), both eyes: libparallax's HUD after an app's post phase or own pass. The frame's global barrier before
 * it makes the app's writes visible. */
static plx_result create_overlay_pass(plx_gpu *g, VkFormat color_format)
{
    VkAttachmentDescription att = {
        .format = color_format,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .loadOp = VK_ATTACHMENT_LOAD_OP_LOAD,
        .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
        .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
        .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
        .initialLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
        .finalLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL,
    };
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {
        .pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
        .colorAttachmentCount = 1,
        .pColorAttachments = &ref,
    };
    VkSubpassDependency dep[2] = {
        {
            .srcSubpass = VK_SUBPASS_EXTERNAL,
            .dstSubpass = 0,
            .srcStageMask = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
            .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
            .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
        },
        {
            .srcSubpass = 0,
            .dstSubpass = VK_SUBPASS_EXTERNAL,
            .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
            .dstStageMask = VK_PIPELINE_STAGE_ALL_COMMANDS_BIT,
            .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
            .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
        },
    };
    const uint32_t view_mask = 0x3;
    VkRenderPassMultiviewCreateInfo mv = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_MULTIVIEW_CREATE_INFO,
        .subpassCount = 1,
        .pViewMasks = &view_mask,
        .correlationMaskCount = 1,
        .pCorrelationMasks = &view_mask,
    };
    VkRenderPassCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
        .pNext = &mv,
        .attachmentCount = 1,
        .pAttachments = &att,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 2,
        .pDependencies = dep,
    };
    return PLX_VK(g->report, vkCreateRenderPass(g->vk.device, &ci, NULL, &g->overlay_pass));
}

static plx_result create_slot(plx_gpu *g, plx_frame_slot *slot)
{
    VkCommandBufferAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO,
        .commandPool = g->command_pool,
        .level = VK_COMMAND_BUFFER_LEVEL_PRIMARY,
        .commandBufferCount = 1,
    };
    plx_result res = PLX_VK(g->report, vkAllocateCommandBuffers(g->vk.device, &ai, &slot->cmd));
    if (res < 0) return res;
    if ((res = PLX_VK(g->report, vkAllocateCommandBuffers(g->vk.device, &ai, &slot->pre))) < 0) return res;
    if (g->pass_in_secondary) {
        ai.level = VK_COMMAND_BUFFER_LEVEL_SECONDARY;
        if ((res = PLX_VK(g->report, vkAllocateCommandBuffers(g->vk.device, &ai, &slot->secondary))) < 0)
            return res;
        if ((res = PLX_VK(g->report, vkAllocateCommandBuffers(g->vk.device, &ai, &slot->hud))) < 0)
            return res;
    }
    VkFenceCreateInfo fi = {.sType = VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    if ((res = PLX_VK(g->report, vkCreateFence(g->vk.device, &fi, NULL, &slot->fence))) < 0) return res;
    /* Host-coherent and persistently mapped: the late latch writes the matrices right before vkQueueSubmit,
     * and the submission itself makes host writes visible to the device. */
    /* Three copies and transfers: with a pass per eye the right-first copy replaces the uniforms between the
     * eyes' passes and the as-written copy puts them back (multiview.c). */
    res = plx_gpu_create_buffer(g, 3 * sizeof(plx_frame_uniforms),
                                VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT |
                                    VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                                VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                                &slot->ubo, &slot->ubo_memory);
    if (res < 0) return res;
    void *mapped = NULL;
    res = PLX_VK(g->report,
                 vkMapMemory(g->vk.device, slot->ubo_memory, 0, 3 * sizeof(plx_frame_uniforms), 0, &mapped));
    if (res < 0) return res;
    slot->ubo_mapped = mapped;
    memset(slot->ubo_mapped, 0, 3 * sizeof *slot->ubo_mapped);
    VkDescriptorSetAllocateInfo di = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = g->descriptor_pool,
        .descriptorSetCount = 1,
        .pSetLayouts = &g->frame_set_layout,
    };
    if ((res = PLX_VK(g->report, vkAllocateDescriptorSets(g->vk.device, &di, &slot->set))) < 0) return res;
    VkDescriptorBufferInfo dbi = {.buffer = slot->ubo, .offset = 0, .range = sizeof(plx_frame_uniforms)};
    VkWriteDescriptorSet w = {
        .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
        .dstSet = slot->set,
        .dstBinding = 0,
        .descriptorCount = 1,
        .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
        .pBufferInfo = &dbi,
    };
    vkUpdateDescriptorSets(g->vk.device, 1, &w, 0, NULL);
    return PLX_SUCCESS;
}

plx_result plx_gpu_frame_resources_create(plx_gpu *g, const plx_frame_resources_desc *desc)
{
    g->samples = desc->samples > VK_SAMPLE_COUNT_1_BIT ? desc->samples : VK_SAMPLE_COUNT_1_BIT;
    /* A subpass's contents are inline or secondaries, not both (without VK_EXT_nested_command_buffer): with
     * the app's secondaries the pass phase's own commands are a secondary too. */
    g->pass_in_secondary = g->pass_per_eye || desc->pass_threads > 0;
    plx_result res = create_render_pass(g, desc);
    if (res < 0) return res;
    if (desc->overlay_pass && (res = create_overlay_pass(g, desc->color_format)) < 0) return res;
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
    if ((res = PLX_VK(g->report,
                      vkCreateDescriptorSetLayout(g->vk.device, &li, NULL, &g->frame_set_layout))) < 0)
        return res;
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, PLX_MAX_FRAMES_IN_FLIGHT};
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = PLX_MAX_FRAMES_IN_FLIGHT,
        .poolSizeCount = 1,
        .pPoolSizes = &ps,
    };
    if ((res = PLX_VK(g->report, vkCreateDescriptorPool(g->vk.device, &pi, NULL, &g->descriptor_pool))) < 0)
        return res;
    VkCommandPoolCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO,
        .flags = VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT,
        .queueFamilyIndex = g->vk.queue_family_index,
    };
    if ((res = PLX_VK(g->report, vkCreateCommandPool(g->vk.device, &ci, NULL, &g->command_pool))) < 0)
        return res;
    for (uint32_t i = 0; i < g->frames_in_flight; i++) {
        if ((res = create_slot(g, &g->slots[i])) < 0) return res;
    }
    if ((res = plx_gpu_pass_secondaries_create(g, desc->pass_threads)) < 0) return res;
    if (g->vk.timestamps) {
        VkQueryPoolCreateInfo qi = {
            .sType = VK_STRUCTURE_TYPE_QUERY_POOL_CREATE_INFO,
            .queryType = VK_QUERY_TYPE_TIMESTAMP,
            .queryCount = 2 * PLX_MAX_FRAMES_IN_FLIGHT,
        };
        if ((res = PLX_VK(g->report, vkCreateQueryPool(g->vk.device, &qi, NULL, &g->query_pool))) < 0)
            return res;
    } else if ((res = plx_gpu_watch_start(g)) < 0) {
        /* Completion is then unknown: just-in-time pacing measures nothing and does not sleep. */
        plx_log(g->report, PLX_LOG_WARN, "no GPU timestamps and %s: frame completion times are unknown",
                g->report->last_error);
    }
    return PLX_SUCCESS;
}

void plx_gpu_frame_resources_destroy(plx_gpu *g)
{
    if (!g->vk.device) return;
    plx_gpu_watch_stop(g); /* it waits on the fences */
    plx_gpu_pass_secondaries_destroy(g);
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        plx_frame_slot *slot = &g->slots[i];
        if (slot->ubo_mapped) vkUnmapMemory(g->vk.device, slot->ubo_memory);
        vkDestroyBuffer(g->vk.device, slot->ubo, NULL);
        vkFreeMemory(g->vk.device, slot->ubo_memory, NULL);
        vkDestroyFence(g->vk.device, slot->fence, NULL);
        *slot = (plx_frame_slot){0};
    }
    vkDestroyQueryPool(g->vk.device, g->query_pool, NULL);
    vkDestroyCommandPool(g->vk.device, g->command_pool, NULL); /* frees the slots' command buffers */
    vkDestroyDescriptorPool(g->vk.device, g->descriptor_pool, NULL);
    vkDestroyDescriptorSetLayout(g->vk.device, g->frame_set_layout, NULL);
    vkDestroyRenderPass(g->vk.device, g->render_pass, NULL);
    vkDestroyRenderPass(g->vk.device, g->overlay_pass, NULL);
    g->overlay_pass = VK_NULL_HANDLE;
    g->query_pool = VK_NULL_HANDLE;
    g->command_pool = VK_NULL_HANDLE;
    g->descriptor_pool = VK_NULL_HANDLE;
    g->frame_set_layout = VK_NULL_HANDLE;
    g->render_pass = VK_NULL_HANDLE;
}

/* ---------------------------------------------------------------- a slot's life */

plx_result plx_gpu_slot_begin(plx_gpu *g, uint32_t slot)
{
    const plx_frame_slot *s = &g->slots[slot];
    VkCommandBufferBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    plx_result res = PLX_VK(g->report, vkResetCommandBuffer(s->pre, 0));
    if (res < 0) return res;
    if ((res = PLX_VK(g->report, vkBeginCommandBuffer(s->pre, &bi))) < 0) return res;
    if ((res = PLX_VK(g->report, vkResetCommandBuffer(s->cmd, 0))) < 0) {
        vkEndCommandBuffer(s->pre);
        return res;
    }
    if ((res = PLX_VK(g->report, vkBeginCommandBuffer(s->cmd, &bi))) < 0) {
        vkEndCommandBuffer(s->pre);
        return res;
    }
    /* The frame's GPU time starts with the pre-pass, which the GPU runs first. */
    if (g->vk.timestamps) {
        vkCmdResetQueryPool(s->pre, g->query_pool, slot * 2, 2);
        vkCmdWriteTimestamp(s->pre, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, g->query_pool, slot * 2);
    }
    return PLX_SUCCESS;
}

void plx_gpu_record_full_barrier(VkCommandBuffer cmd)
{
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_MEMORY_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 1,
                         &mb, 0, NULL, 0, NULL);
}

plx_result plx_gpu_slot_end(plx_gpu *g, uint32_t slot)
{
    const plx_frame_slot *s = &g->slots[slot];
    /* The pre-pass phase's contract (parallax.h "Frame phases"): everything it wrote is visible to the pass,
     * which comes after it in the same submission. */
    plx_gpu_record_full_barrier(s->pre);
    plx_result res = PLX_VK(g->report, vkEndCommandBuffer(s->pre));
    if (g->vk.timestamps)
        vkCmdWriteTimestamp(s->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, g->query_pool, slot * 2 + 1);
    plx_result r2 = PLX_VK(g->report, vkEndCommandBuffer(s->cmd));
    return res < 0 ? res : r2;
}

plx_result plx_gpu_slot_begin_secondary(plx_gpu *g, uint32_t slot, bool hud, VkFramebuffer fb)
{
    VkCommandBuffer cmd = hud ? g->slots[slot].hud : g->slots[slot].secondary;
    plx_result res = PLX_VK(g->report, vkResetCommandBuffer(cmd, 0));
    if (res < 0) return res;
    return plx_gpu_begin_in_pass(g, cmd, fb);
}

void plx_gpu_slot_abandon(plx_gpu *g, uint32_t slot, bool in_pass)
{
    const plx_frame_slot *s = &g->slots[slot];
    /* The app's threads end their own secondaries (they may still be recording); never run. */
    plx_gpu_pass_secondaries_close(g);
    /* The pass phase recording into the secondary: the main buffer has no render pass open. */
    if (in_pass && g->pass_in_secondary)
        PLX_VK(g->report, vkEndCommandBuffer(s->secondary));
    else if (in_pass)
        vkCmdEndRenderPass(s->cmd);
    PLX_VK(g->report, vkEndCommandBuffer(s->pre));
    PLX_VK(g->report, vkEndCommandBuffer(s->cmd));
}

plx_result plx_gpu_slot_submit(plx_gpu *g, uint32_t slot, uint64_t frame_index)
{
    plx_frame_slot *s = &g->slots[slot];
    /* The pre-pass first: the phases run in submission order (parallax.h "Frame phases"). */
    const VkCommandBuffer cmds[2] = {s->pre, s->cmd};
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 2, .pCommandBuffers = cmds};
    plx_result res = PLX_VK(g->report, vkQueueSubmit(g->vk.queue, 1, &si, s->fence));
    if (res < 0) return res;
    g->in_flight[slot] = true;
    g->slot_frame[slot] = frame_index;
    plx_gpu_watch_post(g, slot);
    return PLX_SUCCESS;
}

bool plx_gpu_slot_busy(const plx_gpu *g, uint32_t slot)
{
    return g->in_flight[slot];
}

uint64_t plx_gpu_slot_frame(const plx_gpu *g, uint32_t slot)
{
    return g->slot_frame[slot];
}

bool plx_gpu_slot_holds(const plx_gpu *g, uint32_t slot, uint64_t frame_index)
{
    return g->in_flight[slot] && g->slot_frame[slot] == frame_index;
}

bool plx_gpu_slot_signalled(const plx_gpu *g, uint32_t slot)
{
    return vkGetFenceStatus(g->vk.device, g->slots[slot].fence) == VK_SUCCESS;
}

plx_result plx_gpu_slot_wait(plx_gpu *g, uint32_t slot)
{
    return PLX_VK(g->report, vkWaitForFences(g->vk.device, 1, &g->slots[slot].fence, VK_TRUE, UINT64_MAX));
}

plx_result plx_gpu_slot_reset_fence(plx_gpu *g, uint32_t slot)
{
    return PLX_VK(g->report, vkResetFences(g->vk.device, 1, &g->slots[slot].fence));
}

void plx_gpu_slot_retire(plx_gpu *g, uint32_t slot)
{
    g->in_flight[slot] = false;
}

bool plx_gpu_slot_times(plx_gpu *g, uint32_t slot, int64_t submit_ns, plx_gpu_times *out)
{
    if (!g->vk.timestamps) return false;
    uint64_t ts[2] = {0, 0};
    VkResult vr = vkGetQueryPoolResults(g->vk.device, g->query_pool, slot * 2, 2, sizeof ts, ts, sizeof ts[0],
                                        VK_QUERY_RESULT_64_BIT);
    if (vr != VK_SUCCESS) {
        /* Not fatal for the frame loop: the frame simply has no GPU time. */
        plx_log(g->report, PLX_LOG_WARN, "vkGetQueryPoolResults failed: %s", plx_vk_result_name(vr));
        return false;
    }
    const plx_vk *vk = &g->vk;
    ts[0] &= vk->timestamp_mask;
    ts[1] &= vk->timestamp_mask;
    uint64_t ticks = (ts[1] - ts[0]) & vk->timestamp_mask;
    out->gpu_ms = (double)ticks * vk->timestamp_period_ns * 1e-6;
    plx_gpu_clock_frame(&g->clock, g->report, vk, ts[0], submit_ns);
    out->start_ns = plx_gpu_clock_to_ns(&g->clock, vk, ts[0]);
    out->end_ns =
        out->start_ns ? out->start_ns + (int64_t)llround((double)ticks * vk->timestamp_period_ns) : 0;
    return true;
}
