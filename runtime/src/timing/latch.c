/* The late-latch proof (issue 3 §3): "a debug check proves, frame by frame, that the pose the GPU used
 * equals the pose submitted". With the check on, every frame's command buffer ends with a one-invocation
 * compute dispatch (latch_check.comp) that copies the view and projection matrices, as the GPU reads them
 * from the frame's uniform buffer in that same submission, into a small host-visible buffer. When the
 * frame's fence has signalled, the copy is compared with matrices rebuilt from the poses and fovs that
 * were given to xrEndFrame; a difference is a failure (plx_latch_check_failures). The buffer is filled
 * with NaNs before each submission, so a dispatch that did not run cannot pass. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latch_check.comp.spv.h"
#include "plx_context.h"
#include "plx_math.h"

enum { SEEN_FLOATS = 4 * 16 }; /* view[2], proj[2] */

/* Matrices are rebuilt with the same functions that wrote the uniforms, so equal poses give equal bits;
 * the tolerance only absorbs a device that flushes denormals. */
static const float match_tolerance = 1e-6f;

static bool check_from_env(plx_context *ctx, bool d)
{
    const char *v = getenv("PARALLAX_LATCH_CHECK");
    if (!v || !*v) return d;
    if (strcmp(v, "1") == 0) return true;
    if (strcmp(v, "0") == 0) return false;
    plx_log(ctx, PLX_LOG_ERROR, "PARALLAX_LATCH_CHECK=%.64s is not valid: expected 0|1 (using %d)", v, d);
    return d;
}

static plx_result create_pipeline(plx_context *ctx)
{
    plx_latency *l = &ctx->lat;
    VkDescriptorSetLayoutBinding b[2] = {
        {.binding = 0,
         .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
         .descriptorCount = 1,
         .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT},
        {.binding = 1,
         .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
         .descriptorCount = 1,
         .stageFlags = VK_SHADER_STAGE_COMPUTE_BIT},
    };
    VkDescriptorSetLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 2, .pBindings = b};
    plx_result res = PLX_VK(ctx, vkCreateDescriptorSetLayout(ctx->device, &li, NULL, &l->latch_set_layout));
    if (res < 0) return res;
    VkPipelineLayoutCreateInfo pli = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &l->latch_set_layout,
    };
    if ((res = PLX_VK(ctx, vkCreatePipelineLayout(ctx->device, &pli, NULL, &l->latch_layout))) < 0)
        return res;
    VkShaderModuleCreateInfo mi = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = sizeof latch_check_comp_spv,
        .pCode = latch_check_comp_spv,
    };
    VkShaderModule module = VK_NULL_HANDLE;
    if ((res = PLX_VK(ctx, vkCreateShaderModule(ctx->device, &mi, NULL, &module))) < 0) return res;
    VkComputePipelineCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                  .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                  .module = module,
                  .pName = "main"},
        .layout = l->latch_layout,
    };
    res =
        PLX_VK(ctx, vkCreateComputePipelines(ctx->device, VK_NULL_HANDLE, 1, &ci, NULL, &l->latch_pipeline));
    vkDestroyShaderModule(ctx->device, module, NULL);
    if (res < 0) return res;
    VkDescriptorPoolSize sizes[2] = {
        {.type = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, .descriptorCount = ctx->frames_in_flight},
        {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = ctx->frames_in_flight},
    };
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = ctx->frames_in_flight,
        .poolSizeCount = 2,
        .pPoolSizes = sizes,
    };
    return PLX_VK(ctx, vkCreateDescriptorPool(ctx->device, &pi, NULL, &l->latch_pool));
}

static plx_result create_slot(plx_context *ctx, uint32_t i)
{
    plx_latency *l = &ctx->lat;
    plx_latch_slot *ls = &l->latch[i];
    VkDeviceSize size = SEEN_FLOATS * sizeof(float);
    plx_result res = plx_vk_create_buffer(
        ctx, size, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, &ls->buffer, &ls->memory);
    if (res < 0) return res;
    void *mapped = NULL;
    if ((res = PLX_VK(ctx, vkMapMemory(ctx->device, ls->memory, 0, size, 0, &mapped))) < 0) return res;
    ls->mapped = mapped;
    VkDescriptorSetAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = l->latch_pool,
        .descriptorSetCount = 1,
        .pSetLayouts = &l->latch_set_layout,
    };
    if ((res = PLX_VK(ctx, vkAllocateDescriptorSets(ctx->device, &ai, &ls->set))) < 0) return res;
    VkDescriptorBufferInfo ubo = {.buffer = ctx->slots[i].ubo, .range = sizeof(plx_frame_uniforms)};
    VkDescriptorBufferInfo seen = {.buffer = ls->buffer, .range = size};
    VkWriteDescriptorSet w[2] = {
        {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
         .dstSet = ls->set,
         .dstBinding = 0,
         .descriptorCount = 1,
         .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
         .pBufferInfo = &ubo},
        {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
         .dstSet = ls->set,
         .dstBinding = 1,
         .descriptorCount = 1,
         .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
         .pBufferInfo = &seen},
    };
    vkUpdateDescriptorSets(ctx->device, 2, w, 0, NULL);
    return PLX_SUCCESS;
}

plx_result plx_latch_init(plx_context *ctx, const plx_context_desc *desc)
{
    plx_latency *l = &ctx->lat;
    l->latch_check = check_from_env(ctx, desc->latch_check);
    if (!l->latch_check) return PLX_SUCCESS;
    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(ctx->physical_device, &n, NULL);
    VkQueueFamilyProperties *qf = calloc(n ? n : 1, sizeof *qf);
    if (!qf) return PLX_FAIL(ctx, PLX_ERROR_OUT_OF_MEMORY, "latch check: out of memory");
    vkGetPhysicalDeviceQueueFamilyProperties(ctx->physical_device, &n, qf);
    bool compute =
        ctx->queue_family_index < n && (qf[ctx->queue_family_index].queueFlags & VK_QUEUE_COMPUTE_BIT);
    free(qf);
    if (!compute)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "latch check: queue family %u has no compute, which the check's copy needs",
                        ctx->queue_family_index);
    plx_result res = create_pipeline(ctx);
    for (uint32_t i = 0; res == PLX_SUCCESS && i < ctx->frames_in_flight; i++) res = create_slot(ctx, i);
    if (res < 0) return res;
    plx_log(ctx, PLX_LOG_INFO,
            "latch check on: every frame's GPU-read view matrices are compared with the "
            "submitted poses");
    return PLX_SUCCESS;
}

void plx_latch_fini(plx_context *ctx)
{
    plx_latency *l = &ctx->lat;
    if (!ctx->device) return;
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        plx_latch_slot *ls = &l->latch[i];
        if (ls->buffer) vkDestroyBuffer(ctx->device, ls->buffer, NULL);
        if (ls->memory) vkFreeMemory(ctx->device, ls->memory, NULL); /* unmaps */
        *ls = (plx_latch_slot){0};
    }
    if (l->latch_pool) vkDestroyDescriptorPool(ctx->device, l->latch_pool, NULL); /* frees the sets */
    if (l->latch_pipeline) vkDestroyPipeline(ctx->device, l->latch_pipeline, NULL);
    if (l->latch_layout) vkDestroyPipelineLayout(ctx->device, l->latch_layout, NULL);
    if (l->latch_set_layout) vkDestroyDescriptorSetLayout(ctx->device, l->latch_set_layout, NULL);
    l->latch_pool = VK_NULL_HANDLE;
    l->latch_pipeline = VK_NULL_HANDLE;
    l->latch_layout = VK_NULL_HANDLE;
    l->latch_set_layout = VK_NULL_HANDLE;
}

void plx_latch_record(plx_context *ctx, uint32_t slot, VkCommandBuffer cmd)
{
    plx_latency *l = &ctx->lat;
    if (!l->latch_check || !l->latch_pipeline) return;
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, l->latch_pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, l->latch_layout, 0, 1, &l->latch[slot].set,
                            0, NULL);
    vkCmdDispatch(cmd, 1, 1, 1);
    /* The host reads the copy after the fence; the barrier makes the shader's write visible to it. */
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0,
                         NULL, 0, NULL);
    l->latch[slot].recorded = true;
}

void plx_latch_before_submit(plx_context *ctx, uint32_t slot)
{
    plx_latency *l = &ctx->lat;
    if (l->latch_corrupt_pending > 0) {
        /* Test hook: the GPU now draws the left eye 1 cm off the pose that will be submitted. */
        ctx->slots[slot].ubo_mapped->view[0][12] += 0.01f;
        l->latch_corrupt_pending--;
    }
    if (!l->latch_check || !l->latch[slot].recorded) return;
    float nan = nanf("");
    for (int i = 0; i < SEEN_FLOATS; i++) l->latch[slot].mapped[i] = nan;
}

void plx_latch_note_submitted(plx_context *ctx, uint32_t slot, const XrCompositionLayerProjectionView pv[2],
                              bool layer_submitted)
{
    plx_latency *l = &ctx->lat;
    if (layer_submitted && l->predicting) l->frames_predicted++;
    if (!l->latch_check) return;
    plx_latch_slot *ls = &l->latch[slot];
    ls->expected_valid = layer_submitted && ls->recorded;
    if (!ls->expected_valid) return;
    for (int eye = 0; eye < 2; eye++) {
        ls->expected_pose[eye] = pv[eye].pose;
        ls->expected_fov[eye] = pv[eye].fov;
    }
}

/* Largest difference between two matrices, relative to the expected entry's size (at least 1). NaN-safe:
 * a NaN anywhere gives infinity. */
static float max_difference(const float *seen, const float *want)
{
    float worst = 0.0f;
    for (int i = 0; i < 16; i++) {
        float d = fabsf(seen[i] - want[i]) / fmaxf(1.0f, fabsf(want[i]));
        if (!(d <= worst)) worst = isnan(d) ? INFINITY : d;
    }
    return worst;
}

void plx_latch_frame_complete(plx_context *ctx, uint32_t slot)
{
    plx_latency *l = &ctx->lat;
    if (!l->latch_check || slot >= PLX_MAX_FRAMES_IN_FLIGHT) return;
    plx_latch_slot *ls = &l->latch[slot];
    bool check = ls->recorded && ls->expected_valid;
    ls->recorded = false;
    ls->expected_valid = false;
    if (!check) return;
    float worst = 0.0f;
    int worst_eye = 0;
    for (int eye = 0; eye < 2; eye++) {
        plx_pose pose;
        memcpy(&pose, &ls->expected_pose[eye], sizeof pose);
        float view[16], proj[16];
        plx_mat4_view_from_pose(view, pose);
        const XrFovf *f = &ls->expected_fov[eye];
        plx_mat4_projection_fov(proj, f->angleLeft, f->angleRight, f->angleUp, f->angleDown, ctx->near_z,
                                ctx->far_z);
        float d = fmaxf(max_difference(ls->mapped + eye * 16, view),
                        max_difference(ls->mapped + 32 + eye * 16, proj));
        if (d > worst) {
            worst = d;
            worst_eye = eye;
        }
    }
    l->latch_frames_checked++;
    if (worst > match_tolerance) {
        l->latch_failures++;
        plx_log(ctx, l->latch_failures <= 8 ? PLX_LOG_WARN : PLX_LOG_DEBUG,
                "latch check: the GPU drew %s eye with matrices that differ from the submitted pose by %g "
                "(failure %llu of %llu frames checked)",
                worst_eye == 0 ? "the left" : "the right", (double)worst,
                (unsigned long long)l->latch_failures, (unsigned long long)l->latch_frames_checked);
    }
}

uint64_t plx_latch_check_failures(plx_context *ctx)
{
    return ctx ? ctx->lat.latch_failures : 0;
}

void plx_debug_corrupt_latch(plx_context *ctx, uint32_t frames)
{
    if (ctx) ctx->lat.latch_corrupt_pending = frames;
}

plx_result plx_get_latency_info(plx_context *ctx, plx_latency_info *out)
{
    if (!ctx || !out) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_get_latency_info: NULL argument");
    plx_stats_harvest_ready(ctx);
    const plx_latency *l = &ctx->lat;
    *out = (plx_latency_info){
        .prediction = l->prediction,
        .runtime_predicts_known = l->runtime_prediction != PLX_RUNTIME_PREDICTION_UNKNOWN,
        .runtime_predicts = l->runtime_prediction == PLX_RUNTIME_PREDICTION_PREDICTED,
        .predicting = l->predicting,
        .frames_predicted = l->frames_predicted,
        .runtime_paces_adaptively = l->pacer.runtime_adaptive,
        .pacing_misses = l->pacer.misses,
        .pacing_frames_slept = l->pacer.frames_slept,
        .pacing_margin_ms = (double)l->pacer.margin * 1e-6,
        .pacing_frame_cost_ms = (double)l->plan.frame_cost * 1e-6,
        .latch_check = l->latch_check,
        .latch_frames_checked = l->latch_frames_checked,
        .latch_failures = l->latch_failures,
        .waiting_ahead = l->wait_ahead_active,
        .frames_waited_ahead = l->frames_waited_ahead,
    };
    return PLX_SUCCESS;
}
