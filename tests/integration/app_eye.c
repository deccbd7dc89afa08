/* SPDX-License-Identifier: MIT */
/* plx-app-eye: an app with a Vulkan pipeline of its own (public API only: parallax.h, parallax_vulkan.h) that
 * records into plx_frame.cmd what an app with a renderer of its own records: its pipeline, built for
 * plx_vulkan_info.render_pass, the frame's descriptor set, one draw. The shader colours each view by the eye
 * it draws (gl_ViewIndex + time_s[1]: left red, right green), so the simulated headset's capture shows
 * whether the app's commands ran for both eyes and knew which eye they drew, in one multiview pass as in a
 * pass per eye (PARALLAX_MULTIVIEW_WORKAROUND). Validation layers on; exits 1 on any validation message or
 * failure.
 *
 *   plx-app-eye [--frames N]    (default 60) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_eye.frag.spv.h"
#include "app_eye.vert.spv.h"
#include "parallax/parallax.h"
#include "parallax/parallax_vulkan.h"

typedef struct app {
    VkDevice device;
    VkPipelineLayout layout;
    VkPipeline pipeline;
} app;

static int create_pipeline(const plx_vulkan_info *vi, app *a)
{
    a->device = vi->device;
    VkPipelineLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &vi->frame_set_layout,
    };
    if (vkCreatePipelineLayout(a->device, &li, NULL, &a->layout) != VK_SUCCESS) return 0;
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    VkShaderModuleCreateInfo vsi = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                    .codeSize = sizeof app_eye_vert_spv,
                                    .pCode = app_eye_vert_spv};
    VkShaderModuleCreateInfo fsi = {.sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
                                    .codeSize = sizeof app_eye_frag_spv,
                                    .pCode = app_eye_frag_spv};
    int ok = vkCreateShaderModule(a->device, &vsi, NULL, &vs) == VK_SUCCESS &&
             vkCreateShaderModule(a->device, &fsi, NULL, &fs) == VK_SUCCESS;
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
    VkPipelineVertexInputStateCreateInfo vin = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
    VkPipelineInputAssemblyStateCreateInfo ia = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
        .topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST,
    };
    VkPipelineViewportStateCreateInfo vp = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
        .viewportCount = 1,
        .scissorCount = 1,
    };
    VkPipelineRasterizationStateCreateInfo rs = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
        .polygonMode = VK_POLYGON_MODE_FILL,
        .cullMode = VK_CULL_MODE_NONE,
        .lineWidth = 1.0f,
    };
    VkPipelineMultisampleStateCreateInfo ms = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
        .rasterizationSamples = vi->samples,
    };
    VkPipelineDepthStencilStateCreateInfo ds = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO};
    VkPipelineColorBlendAttachmentState cba = {.colorWriteMask = 0xf};
    VkPipelineColorBlendStateCreateInfo cb = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO,
        .attachmentCount = 1,
        .pAttachments = &cba,
    };
    const VkDynamicState dyn[2] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
    VkPipelineDynamicStateCreateInfo dy = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO,
        .dynamicStateCount = 2,
        .pDynamicStates = dyn,
    };
    VkGraphicsPipelineCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO,
        .stageCount = 2,
        .pStages = stages,
        .pVertexInputState = &vin,
        .pInputAssemblyState = &ia,
        .pViewportState = &vp,
        .pRasterizationState = &rs,
        .pMultisampleState = &ms,
        .pDepthStencilState = &ds,
        .pColorBlendState = &cb,
        .pDynamicState = &dy,
        .layout = a->layout,
        .renderPass = vi->render_pass,
    };
    ok = ok && vkCreateGraphicsPipelines(a->device, VK_NULL_HANDLE, 1, &ci, NULL, &a->pipeline) == VK_SUCCESS;
    vkDestroyShaderModule(a->device, vs, NULL);
    vkDestroyShaderModule(a->device, fs, NULL);
    return ok;
}

int main(int argc, char **argv)
{
    long frames = 60;
    if (argc == 3 && !strcmp(argv[1], "--frames")) {
        frames = strtol(argv[2], NULL, 10);
    } else if (argc != 1) {
        fprintf(stderr, "usage: plx-app-eye [--frames N]\n");
        return 2;
    }
    plx_context *ctx = NULL;
    if (plx_context_create(&(plx_context_desc){.app_name = "app-eye", .validation = true}, &ctx) !=
        PLX_SUCCESS) {
        fprintf(stderr, "plx-app-eye: cannot start: %s\n", plx_last_error(NULL));
        return 1;
    }
    plx_vulkan_info vi;
    app a = {0};
    int ok = plx_get_vulkan_info(ctx, &vi) == PLX_SUCCESS && create_pipeline(&vi, &a);
    if (!ok) fprintf(stderr, "plx-app-eye: pipeline: %s\n", plx_last_error(ctx));
    /* frames with the app's pipeline, then frames_in_flight frames without it: libparallax waits for a slot's
     * previous frame before reusing the slot, so after those the GPU is done with the pipeline and it may go
     * (parallax_vulkan.h), while the context and its device still exist. */
    long done = 0, total = frames + (ok ? (long)vi.frames_in_flight : 0);
    plx_events ev = {0};
    while (ok && plx_poll(ctx, &ev) >= 0 && !ev.should_quit) {
        plx_frame frame;
        plx_result r = plx_frame_wait(ctx, &frame);
        if (r == PLX_SUCCESS && (r = plx_frame_begin(ctx, &frame)) >= 0) {
            if (r == PLX_SUCCESS && done < frames) {
                /* What any app records: its pipeline, the frame's uniforms, its draws. */
                vkCmdBindPipeline(frame.cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a.pipeline);
                vkCmdBindDescriptorSets(frame.cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, a.layout, 0, 1,
                                        &frame.frame_set, 0, NULL);
                vkCmdDraw(frame.cmd, 6, 1, 0, 0);
            }
            r = plx_frame_end(ctx, &frame);
            if (r == PLX_SUCCESS && ++done == total) {
                vkDestroyPipeline(a.device, a.pipeline, NULL);
                vkDestroyPipelineLayout(a.device, a.layout, NULL);
                a.pipeline = VK_NULL_HANDLE;
                a.layout = VK_NULL_HANDLE;
                r = plx_request_exit(ctx);
            }
        }
        if (r < 0) {
            fprintf(stderr, "plx-app-eye: frame loop: %s\n", plx_last_error(ctx));
            ok = 0;
        }
    }
    uint32_t validation = plx_validation_message_count(ctx);
    /* After a failed run the pipeline may still be in use: it is left to the process's end. */
    plx_context_destroy(&ctx);
    printf("plx-app-eye: %ld frames, %u validation messages\n", done, validation);
    if (validation) ok = 0;
    return ok && done == total ? 0 : 1;
}
