/* SPDX-License-Identifier: MIT */
/* parallax-engine: Vulkan helpers on the device libparallax created (plx_get_vulkan_info). Nothing here is
 * libparallax's: an engine brings these. */
#include <stdio.h>
#include <string.h>

#include "engine.h"

static const char *vk_result_name(VkResult r)
{
    switch (r) {
    case VK_SUCCESS:
        return "VK_SUCCESS";
    case VK_ERROR_OUT_OF_HOST_MEMORY:
        return "VK_ERROR_OUT_OF_HOST_MEMORY";
    case VK_ERROR_OUT_OF_DEVICE_MEMORY:
        return "VK_ERROR_OUT_OF_DEVICE_MEMORY";
    case VK_ERROR_INITIALIZATION_FAILED:
        return "VK_ERROR_INITIALIZATION_FAILED";
    case VK_ERROR_DEVICE_LOST:
        return "VK_ERROR_DEVICE_LOST";
    case VK_ERROR_MEMORY_MAP_FAILED:
        return "VK_ERROR_MEMORY_MAP_FAILED";
    case VK_ERROR_FEATURE_NOT_PRESENT:
        return "VK_ERROR_FEATURE_NOT_PRESENT";
    case VK_ERROR_FORMAT_NOT_SUPPORTED:
        return "VK_ERROR_FORMAT_NOT_SUPPORTED";
    case VK_ERROR_OUT_OF_POOL_MEMORY:
        return "VK_ERROR_OUT_OF_POOL_MEMORY";
    default:
        return "VkResult";
    }
}

bool vk_ok(VkResult r, const char *call)
{
    if (r == VK_SUCCESS) return true;
    fprintf(stderr, "parallax-engine: %s failed: %s (%d)\n", call, vk_result_name(r), (int)r);
    return false;
}

VkResult buffer_create(engine *e, VkDeviceSize size, VkBufferUsageFlags usage, VkMemoryPropertyFlags props,
                       buffer *out)
{
    VkDevice dev = e->vk.device;
    memset(out, 0, sizeof *out);
    VkBufferCreateInfo bi = {.sType = VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO,
                             .size = size,
                             .usage = usage,
                             .sharingMode = VK_SHARING_MODE_EXCLUSIVE};
    VkResult r = vkCreateBuffer(dev, &bi, NULL, &out->buffer);
    if (!vk_ok(r, "vkCreateBuffer")) return r;
    VkMemoryRequirements req;
    vkGetBufferMemoryRequirements(dev, out->buffer, &req);
    const VkPhysicalDeviceMemoryProperties *mp = &e->memory_properties;
    uint32_t type = UINT32_MAX;
    for (uint32_t i = 0; i < mp->memoryTypeCount && type == UINT32_MAX; i++)
        if ((req.memoryTypeBits & (1u << i)) && (mp->memoryTypes[i].propertyFlags & props) == props) type = i;
    if (type == UINT32_MAX) {
        r = VK_ERROR_OUT_OF_DEVICE_MEMORY;
        fprintf(stderr, "parallax-engine: no memory type with properties 0x%x for a buffer\n",
                (unsigned)props);
        goto fail;
    }
    VkMemoryAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO, .allocationSize = req.size, .memoryTypeIndex = type};
    r = vkAllocateMemory(dev, &ai, NULL, &out->memory);
    if (!vk_ok(r, "vkAllocateMemory")) goto fail;
    r = vkBindBufferMemory(dev, out->buffer, out->memory, 0);
    if (!vk_ok(r, "vkBindBufferMemory")) goto fail;
    if (props & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
        r = vkMapMemory(dev, out->memory, 0, VK_WHOLE_SIZE, 0, &out->map);
        if (!vk_ok(r, "vkMapMemory")) goto fail;
    }
    return VK_SUCCESS;
fail:
    buffer_destroy(e, out);
    return r;
}

void buffer_destroy(engine *e, buffer *b)
{
    if (b->buffer) vkDestroyBuffer(e->vk.device, b->buffer, NULL);
    if (b->memory) vkFreeMemory(e->vk.device, b->memory, NULL); /* unmaps too */
    memset(b, 0, sizeof *b);
}

VkResult shader_module(engine *e, const uint32_t *code, size_t size, VkShaderModule *out)
{
    VkShaderModuleCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = code};
    VkResult r = vkCreateShaderModule(e->vk.device, &ci, NULL, out);
    vk_ok(r, "vkCreateShaderModule");
    return r;
}

VkResult graphics_pipeline(engine *e, const pipeline_desc *d, VkPipeline *out)
{
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    VkResult r = shader_module(e, d->vs, d->vs_size, &vs);
    if (r == VK_SUCCESS) r = shader_module(e, d->fs, d->fs_size, &fs);
    if (r != VK_SUCCESS) goto done;
    VkPipelineShaderStageCreateInfo stages[2] = {
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_VERTEX_BIT,
         .module = vs,
         .pName = "main"},
        {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
         .stage = VK_SHADER_STAGE_FRAGMENT_BIT,
         .module = fs,
         .pName = "main"},
    };
    VkVertexInputBindingDescription vb = {0, d->vertex_stride, d->vertex_rate};
    VkPipelineVertexInputStateCreateInfo vi = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO,
        .vertexBindingDescriptionCount = d->vertex_stride ? 1 : 0,
        .pVertexBindingDescriptions = &vb,
        .vertexAttributeDescriptionCount = d->vertex_stride ? d->attribute_count : 0,
        .pVertexAttributeDescriptions = d->attributes};
    VkPipelineInputAssemblyStateCreateInfo ia = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
        .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST};
    VkPipelineViewportStateCreateInfo vp = {.sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
                                            .viewportCount = 1,
                                            .scissorCount = 1};
    VkPipelineRasterizationStateCreateInfo rs = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
        .polygonMode = VK_POLYGON_MODE_FILL,
        .cullMode = d->cull ? VK_CULL_MODE_BACK_BIT : VK_CULL_MODE_NONE,
        /* libparallax's projection has y down (Vulkan clip space), which keeps counter-clockwise faces
         * counter-clockwise on screen. */
        .frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE,
        .lineWidth = 1.0f};
    VkPipelineMultisampleStateCreateInfo ms = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
        .rasterizationSamples = d->samples ? d->samples : VK_SAMPLE_COUNT_1_BIT};
    VkPipelineDepthStencilStateCreateInfo ds = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO,
        .depthTestEnable = d->depth,
        .depthWriteEnable = d->depth,
        .depthCompareOp = VK_COMPARE_OP_LESS_OR_EQUAL};
    VkPipelineColorBlendAttachmentState cba = {.colorWriteMask = 0xf};
    VkPipelineColorBlendStateCreateInfo cb = {.sType =
                                                  VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
                                              .attachmentCount = 1,
                                              .pAttachments = &cba};
    /* Dynamic viewport and scissor: with dynamic resolution the render area is a part of the eye image. */
    const VkDynamicState dyn[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo dy = {.sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO,
                                           .dynamicStateCount = 2,
                                           .pDynamicStates = dyn};
    VkGraphicsPipelineCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
        .stageCount = 2,
        .pStages = stages,
        .pVertexInputState = &vi,
        .pInputAssemblyState = &ia,
        .pViewportState = &vp,
        .pRasterizationState = &rs,
        .pMultisampleState = &ms,
        .pDepthStencilState = &ds,
        .pColorBlendState = &cb,
        .pDynamicState = &dy,
        .layout = d->layout,
        .renderPass = d->render_pass,
    };
    r = vkCreateGraphicsPipelines(e->vk.device, VK_NULL_HANDLE, 1, &ci, NULL, out);
    vk_ok(r, "vkCreateGraphicsPipelines");
done:
    if (vs) vkDestroyShaderModule(e->vk.device, vs, NULL);
    if (fs) vkDestroyShaderModule(e->vk.device, fs, NULL);
    return r;
}

VkResult color_render_pass(engine *e, VkFormat format, VkAttachmentLoadOp load, VkImageLayout initial,
                           uint32_t view_mask, VkRenderPass *out)
{
    VkAttachmentDescription att = {
        .format = format,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .loadOp = load,
        .storeOp = VK_ATTACHMENT_STORE_OP_STORE,
        .stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE,
        .stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE,
        .initialLayout = initial,
        .finalLayout =
            VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, /* the layout libparallax handed it over in */
    };
    VkAttachmentReference ref = {0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
    VkSubpassDescription sub = {.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS,
                                .colorAttachmentCount = 1,
                                .pColorAttachments = &ref};
    /* libparallax's phase barriers order the phases; this orders the pass after earlier writes of the same
     * image (the previous frame's use of a swapchain image, the panel's clear by plx_quad_acquire). */
    VkSubpassDependency dep = {
        .srcSubpass = VK_SUBPASS_EXTERNAL,
        .dstSubpass = 0,
        .srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
        .dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT,
        .srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT | VK_ACCESS_COLOR_ATTACHMENT_READ_BIT,
    };
    VkRenderPassMultiviewCreateInfo mv = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_MULTIVIEW_CREATE_INFO,
        .subpassCount = 1,
        .pViewMasks = &view_mask,
        .correlationMaskCount = 1,
        .pCorrelationMasks = &view_mask,
    };
    VkRenderPassCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO,
        .pNext = view_mask ? &mv : NULL,
        .attachmentCount = 1,
        .pAttachments = &att,
        .subpassCount = 1,
        .pSubpasses = &sub,
        .dependencyCount = 1,
        .pDependencies = &dep,
    };
    VkResult r = vkCreateRenderPass(e->vk.device, &ci, NULL, out);
    vk_ok(r, "vkCreateRenderPass");
    return r;
}

void set_viewport(VkCommandBuffer cmd, uint32_t width, uint32_t height)
{
    VkViewport vp = {0, 0, (float)width, (float)height, 0, 1};
    VkRect2D sc = {{0, 0}, {width, height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
}

VkResult slot_sets(engine *e, VkDescriptorType type, VkShaderStageFlags stages,
                   const VkSampler *immutable_sampler, VkDescriptorSetLayout *out_layout,
                   VkDescriptorSet out_sets[MAX_SLOTS])
{
    VkDescriptorSetLayoutBinding b = {.binding = 0,
                                      .descriptorType = type,
                                      .descriptorCount = 1,
                                      .stageFlags = stages,
                                      .pImmutableSamplers = immutable_sampler};
    VkDescriptorSetLayoutCreateInfo lci = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &b};
    VkResult r = vkCreateDescriptorSetLayout(e->vk.device, &lci, NULL, out_layout);
    if (!vk_ok(r, "vkCreateDescriptorSetLayout")) return r;
    VkDescriptorSetLayout layouts[MAX_SLOTS] = {*out_layout, *out_layout, *out_layout};
    VkDescriptorSetAllocateInfo ai = {.sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
                                      .descriptorPool = e->pool,
                                      .descriptorSetCount = e->vk.frames_in_flight,
                                      .pSetLayouts = layouts};
    r = vkAllocateDescriptorSets(e->vk.device, &ai, out_sets);
    vk_ok(r, "vkAllocateDescriptorSets");
    return r;
}
