/* The in-headset HUD (PARALLAX_HUD=1, desc.hud or plx_set_hud): a head-locked panel in the lower part of the
 * view with a graph of the last 128 frames' CPU, GPU and total time against the frame budget and the miss
 * count. It is drawn into the app's multiview pass by plx_frame_end, after the app's draws and before the
 * pass ends, so it costs one small draw and needs no layer of its own. The samples go to a host-visible
 * uniform buffer per frame slot (the slot's previous frame has finished when its fence was waited). */
#include <stdlib.h>
#include <string.h>

#include "hud.frag.spv.h"
#include "hud.vert.spv.h"
#include "plx_internal.h"

#define HUD_SAMPLES 128

typedef struct hud_uniforms {
    float info[4];               /* budget ms, full-scale ms, missed frames, samples used */
    float value[HUD_SAMPLES][4]; /* cpu ms, gpu ms, total ms, missed */
} hud_uniforms;

typedef struct hud_push {
    float rect[4];  /* head space centre x, y, half width, half height (metres) */
    float depth[4]; /* x: distance ahead */
} hud_push;

struct plx_hud {
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout layout;
    VkPipeline pipeline;
    VkDescriptorPool pool;
    VkBuffer buffer[PLX_MAX_FRAMES_IN_FLIGHT];
    VkDeviceMemory memory[PLX_MAX_FRAMES_IN_FLIGHT];
    hud_uniforms *mapped[PLX_MAX_FRAMES_IN_FLIGHT];
    VkDescriptorSet set[PLX_MAX_FRAMES_IN_FLIGHT];
};

static plx_result create_module(plx_context *ctx, const uint32_t *code, size_t size, VkShaderModule *out)
{
    VkShaderModuleCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = code};
    return PLX_VK(ctx, vkCreateShaderModule(ctx->device, &ci, NULL, out));
}

static plx_result create_pipeline(plx_context *ctx, plx_hud *hud)
{
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    plx_result res = create_module(ctx, hud_vert_spv, sizeof hud_vert_spv, &vs);
    if (res >= 0) res = create_module(ctx, hud_frag_spv, sizeof hud_frag_spv, &fs);
    if (res < 0) goto done;
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
    VkPipelineVertexInputStateCreateInfo vi = {.sType =
                                                   VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
    VkPipelineInputAssemblyStateCreateInfo ia = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
        .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST,
    };
    VkPipelineViewportStateCreateInfo vp = {.sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
                                            .viewportCount = 1,
                                            .scissorCount = 1};
    VkPipelineRasterizationStateCreateInfo rs = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
        .polygonMode = VK_POLYGON_MODE_FILL,
        .cullMode = VK_CULL_MODE_NONE,
        .lineWidth = 1.0f,
    };
    VkPipelineMultisampleStateCreateInfo ms = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
        .rasterizationSamples = VK_SAMPLE_COUNT_1_BIT,
    };
    /* Always on top of the scene: an overlay, not an object in it. */
    VkPipelineDepthStencilStateCreateInfo ds = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO,
        .depthTestEnable = VK_FALSE,
        .depthWriteEnable = VK_FALSE,
    };
    VkPipelineColorBlendAttachmentState blend = {
        .blendEnable = VK_TRUE,
        .srcColorBlendFactor = VK_BLEND_FACTOR_SRC_ALPHA,
        .dstColorBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA,
        .colorBlendOp = VK_BLEND_OP_ADD,
        .srcAlphaBlendFactor = VK_BLEND_FACTOR_ONE,
        .dstAlphaBlendFactor = VK_BLEND_FACTOR_ONE_MINUS_SRC_ALPHA,
        .alphaBlendOp = VK_BLEND_OP_ADD,
        .colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT |
                          VK_COLOR_COMPONENT_A_BIT,
    };
    VkPipelineColorBlendStateCreateInfo cb = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
        .attachmentCount = 1,
        .pAttachments = &blend,
    };
    const VkDynamicState dyn[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo dy = {.sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO,
                                           .dynamicStateCount = 2,
                                           .pDynamicStates = dyn};
    VkGraphicsPipelineCreateInfo pi = {
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
        .layout = hud->layout,
        .renderPass = ctx->render_pass,
        .subpass = 0,
    };
    res = PLX_VK(ctx, vkCreateGraphicsPipelines(ctx->device, VK_NULL_HANDLE, 1, &pi, NULL, &hud->pipeline));
done:
    vkDestroyShaderModule(ctx->device, vs, NULL);
    vkDestroyShaderModule(ctx->device, fs, NULL);
    return res;
}

plx_result plx_hud_create(plx_context *ctx, plx_hud **out_hud)
{
    *out_hud = NULL;
    if (!ctx->device || !ctx->render_pass)
        return PLX_FAIL(ctx, PLX_ERROR_CALL_ORDER, "HUD: the context has no device or render pass yet");
    plx_hud *hud = calloc(1, sizeof *hud);
    if (!hud) return PLX_FAIL(ctx, PLX_ERROR_OUT_OF_MEMORY, "HUD: out of memory");
    VkDescriptorSetLayoutBinding b = {
        .binding = 0,
        .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT,
    };
    VkDescriptorSetLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &b};
    plx_result res = PLX_VK(ctx, vkCreateDescriptorSetLayout(ctx->device, &li, NULL, &hud->set_layout));
    if (res < 0) goto fail;
    VkDescriptorSetLayout sets[2] = {ctx->frame_set_layout, hud->set_layout};
    VkPushConstantRange pc = {
        .stageFlags = VK_SHADER_STAGE_VERTEX_BIT, .offset = 0, .size = sizeof(hud_push)};
    VkPipelineLayoutCreateInfo pli = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 2,
        .pSetLayouts = sets,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &pc,
    };
    if ((res = PLX_VK(ctx, vkCreatePipelineLayout(ctx->device, &pli, NULL, &hud->layout))) < 0) goto fail;
    if ((res = create_pipeline(ctx, hud)) < 0) goto fail;
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, PLX_MAX_FRAMES_IN_FLIGHT};
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = PLX_MAX_FRAMES_IN_FLIGHT,
        .poolSizeCount = 1,
        .pPoolSizes = &ps,
    };
    if ((res = PLX_VK(ctx, vkCreateDescriptorPool(ctx->device, &pi, NULL, &hud->pool))) < 0) goto fail;
    for (uint32_t i = 0; i < ctx->frames_in_flight; i++) {
        res = plx_vk_create_buffer(ctx, sizeof(hud_uniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                   VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                                   &hud->buffer[i], &hud->memory[i]);
        if (res < 0) goto fail;
        void *mapped = NULL;
        res = PLX_VK(ctx, vkMapMemory(ctx->device, hud->memory[i], 0, sizeof(hud_uniforms), 0, &mapped));
        if (res < 0) goto fail;
        hud->mapped[i] = mapped;
        memset(mapped, 0, sizeof(hud_uniforms));
        VkDescriptorSetAllocateInfo ai = {
            .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
            .descriptorPool = hud->pool,
            .descriptorSetCount = 1,
            .pSetLayouts = &hud->set_layout,
        };
        if ((res = PLX_VK(ctx, vkAllocateDescriptorSets(ctx->device, &ai, &hud->set[i]))) < 0) goto fail;
        VkDescriptorBufferInfo bi = {.buffer = hud->buffer[i], .range = sizeof(hud_uniforms)};
        VkWriteDescriptorSet w = {
            .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
            .dstSet = hud->set[i],
            .descriptorCount = 1,
            .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
            .pBufferInfo = &bi,
        };
        vkUpdateDescriptorSets(ctx->device, 1, &w, 0, NULL);
    }
    *out_hud = hud;
    return PLX_SUCCESS;
fail:
    plx_hud_destroy(ctx, &hud);
    return res;
}

/* The samples of the last HUD_SAMPLES committed frames, right-aligned, into the slot's buffer. */
static void fill(plx_context *ctx, hud_uniforms *u, int64_t period)
{
    plx_stats_harvest_ready(ctx); /* newest GPU times, without waiting */
    uint32_t have = ctx->frames_ended < HUD_SAMPLES ? (uint32_t)ctx->frames_ended : HUD_SAMPLES;
    double budget = (double)period * 1e-6, peak = budget;
    for (uint32_t i = 0; i < have; i++) {
        const plx_frame_stats *st = &ctx->stats[(ctx->frames_ended - have + i) % PLX_STATS_RING];
        float *v = u->value[HUD_SAMPLES - have + i];
        double total = st->gpu_end > 0 ? (double)(st->gpu_end - st->wake) * 1e-6 : -1.0;
        v[0] = (float)st->cpu_ms;
        v[1] = (float)st->gpu_ms;
        v[2] = (float)total;
        v[3] = st->missed ? 1.0f : 0.0f;
        if (total > peak) peak = total;
        if (st->cpu_ms > peak) peak = st->cpu_ms;
    }
    /* Full scale: twice the budget, more when frames run longer (capped, so one hitch does not flatten the
     * rest of the graph for 128 frames). */
    double full = budget * 2.0;
    if (peak * 1.1 > full) full = peak * 1.1 < budget * 6.0 ? peak * 1.1 : budget * 6.0;
    u->info[0] = (float)budget;
    u->info[1] = (float)(full > 0 ? full : 22.2);
    u->info[2] = (float)ctx->timeline.frames_missed;
    u->info[3] = (float)have;
}

void plx_hud_record(plx_context *ctx, plx_hud *hud, const plx_frame *frame, plx_frame_slot *slot)
{
    fill(ctx, hud->mapped[frame->slot], frame->predicted_display_period);
    VkCommandBuffer cmd = slot->cmd;
    /* The app may have changed the viewport; the HUD covers the frame's render area. */
    VkViewport vp = {0, 0, (float)frame->width, (float)frame->height, 0.0f, 1.0f};
    VkRect2D sc = {{0, 0}, {frame->width, frame->height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, hud->pipeline);
    VkDescriptorSet sets[2] = {slot->set, hud->set[frame->slot]};
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, hud->layout, 0, 2, sets, 0, NULL);
    /* 0.5 m x 0.2 m at 0.9 m ahead, its centre 0.33 m below the eyes: the lower part of a 90 degree view,
     * readable without covering the centre. */
    hud_push push = {.rect = {0.0f, -0.33f, 0.25f, 0.10f}, .depth = {0.9f, 0, 0, 0}};
    vkCmdPushConstants(cmd, hud->layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof push, &push);
    vkCmdDraw(cmd, 6, 1, 0, 0);
}

void plx_hud_destroy(plx_context *ctx, plx_hud **phud)
{
    if (!phud || !*phud) return;
    plx_hud *hud = *phud;
    *phud = NULL;
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        if (hud->mapped[i]) vkUnmapMemory(ctx->device, hud->memory[i]);
        vkDestroyBuffer(ctx->device, hud->buffer[i], NULL);
        vkFreeMemory(ctx->device, hud->memory[i], NULL);
    }
    vkDestroyDescriptorPool(ctx->device, hud->pool, NULL);
    vkDestroyPipeline(ctx->device, hud->pipeline, NULL);
    vkDestroyPipelineLayout(ctx->device, hud->layout, NULL);
    vkDestroyDescriptorSetLayout(ctx->device, hud->set_layout, NULL);
    free(hud);
}
