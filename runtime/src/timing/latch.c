/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: the late-latch proof (issue 3 §3): "a debug check proves, frame by frame, that the pose
 * the GPU used equals the pose submitted". With the check on, every frame's command buffer ends with a
 * one-invocation compute dispatch (latch_check.comp) that copies the view and projection matrices, as the GPU
 * reads them from the frame's uniform buffer in that same submission, into a small host-visible buffer. When
 * the frame's fence has signalled, the copy is compared with matrices rebuilt from the poses and fovs that
 * were given to xrEndFrame; a difference is a failure (plx_latch_check_failures). The buffer is filled
 * with NaNs before each submission, so a dispatch that did not run cannot pass. May call gpu/ (buffers) and
 * base/; the frame loop tells it when a slot's frame completed. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "latch_check.comp.spv.h"
#include "timing/plx_timing.h"
#include "plx_math.h"

enum { SEEN_FLOATS = 4 * 16 }; /* view[2], proj[2] */

/* Matrices are rebuilt with the same functions that wrote the uniforms, so equal poses give equal bits;
 * the tolerance only absorbs a device that flushes denormals. */
static const float match_tolerance = 1e-6f;

static bool check_from_env(const plx_report *r, bool d)
{
    const char *v = getenv("PARALLAX_LATCH_CHECK");
    if (!v || !*v) return d;
    if (strcmp(v, "1") == 0) return true;
    if (strcmp(v, "0") == 0) return false;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_LATCH_CHECK=%.64s is not valid: expected 0|1 (using %d)", v, d);
    return d;
}

static plx_result create_pipeline(plx_latch *l, uint32_t frames_in_flight)
{
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
    plx_result res = PLX_VK(l->report, vkCreateDescriptorSetLayout(l->device, &li, NULL, &l->set_layout));
    if (res < 0) return res;
    /* Which eye (latch_check.comp): -1 both views after one multiview pass, 0 / 1 after that eye's pass. */
    VkPushConstantRange which = {.stageFlags = VK_SHADER_STAGE_COMPUTE_BIT, .size = sizeof(int32_t)};
    VkPipelineLayoutCreateInfo pli = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &l->set_layout,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &which,
    };
    if ((res = PLX_VK(l->report, vkCreatePipelineLayout(l->device, &pli, NULL, &l->layout))) < 0) return res;
    VkShaderModuleCreateInfo mi = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = sizeof latch_check_comp_spv,
        .pCode = latch_check_comp_spv,
    };
    VkShaderModule module = VK_NULL_HANDLE;
    if ((res = PLX_VK(l->report, vkCreateShaderModule(l->device, &mi, NULL, &module))) < 0) return res;
    VkComputePipelineCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
        .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                  .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                  .module = module,
                  .pName = "main"},
        .layout = l->layout,
    };
    res = PLX_VK(l->report, vkCreateComputePipelines(l->device, VK_NULL_HANDLE, 1, &ci, NULL, &l->pipeline));
    vkDestroyShaderModule(l->device, module, NULL);
    if (res < 0) return res;
    VkDescriptorPoolSize sizes[2] = {
        {.type = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, .descriptorCount = frames_in_flight},
        {.type = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER, .descriptorCount = frames_in_flight},
    };
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = frames_in_flight,
        .poolSizeCount = 2,
        .pPoolSizes = sizes,
    };
    return PLX_VK(l->report, vkCreateDescriptorPool(l->device, &pi, NULL, &l->pool));
}

static plx_result create_slot(plx_latch *l, const plx_gpu *gpu, uint32_t i)
{
    plx_latch_slot *ls = &l->slots[i];
    VkDeviceSize size = SEEN_FLOATS * sizeof(float);
    plx_result res = plx_gpu_create_buffer(
        gpu, size, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
        VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT, &ls->buffer, &ls->memory);
    if (res < 0) return res;
    void *mapped = NULL;
    if ((res = PLX_VK(l->report, vkMapMemory(l->device, ls->memory, 0, size, 0, &mapped))) < 0) return res;
    ls->mapped = mapped;
    VkDescriptorSetAllocateInfo ai = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
        .descriptorPool = l->pool,
        .descriptorSetCount = 1,
        .pSetLayouts = &l->set_layout,
    };
    if ((res = PLX_VK(l->report, vkAllocateDescriptorSets(l->device, &ai, &ls->set))) < 0) return res;
    VkDescriptorBufferInfo ubo = {.buffer = gpu->slots[i].ubo, .range = sizeof(plx_frame_uniforms)};
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
    vkUpdateDescriptorSets(l->device, 2, w, 0, NULL);
    return PLX_SUCCESS;
}

plx_result plx_latch_init(plx_latch *l, plx_report *r, const plx_gpu *gpu, float near_z, float far_z,
                          bool setting)
{
    l->report = r;
    l->device = gpu->vk.device;
    l->near_z = near_z;
    l->far_z = far_z;
    l->check = check_from_env(r, setting);
    if (!l->check) return PLX_SUCCESS;
    uint32_t n = 0;
    vkGetPhysicalDeviceQueueFamilyProperties(gpu->vk.physical_device, &n, NULL);
    VkQueueFamilyProperties *qf = calloc(n ? n : 1, sizeof *qf);
    if (!qf) return PLX_FAIL(l->report, PLX_ERROR_OUT_OF_MEMORY, "latch check: out of memory");
    vkGetPhysicalDeviceQueueFamilyProperties(gpu->vk.physical_device, &n, qf);
    uint32_t family = gpu->vk.queue_family_index;
    bool compute = family < n && (qf[family].queueFlags & VK_QUEUE_COMPUTE_BIT);
    free(qf);
    if (!compute)
        return PLX_FAIL(l->report, PLX_ERROR_UNSUPPORTED,
                        "latch check: queue family %u has no compute, which the check's copy needs", family);
    plx_result res = create_pipeline(l, gpu->frames_in_flight);
    for (uint32_t i = 0; res == PLX_SUCCESS && i < gpu->frames_in_flight; i++) res = create_slot(l, gpu, i);
    if (res < 0) return res;
    plx_log(l->report, PLX_LOG_INFO,
            "latch check on: every frame's GPU-read view matrices are compared with the "
            "submitted poses");
    return PLX_SUCCESS;
}

void plx_latch_fini(plx_latch *l)
{
    if (!l->device) return;
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        plx_latch_slot *ls = &l->slots[i];
        if (ls->buffer) vkDestroyBuffer(l->device, ls->buffer, NULL);
        if (ls->memory) vkFreeMemory(l->device, ls->memory, NULL); /* unmaps */
        *ls = (plx_latch_slot){0};
    }
    if (l->pool) vkDestroyDescriptorPool(l->device, l->pool, NULL); /* frees the sets */
    if (l->pipeline) vkDestroyPipeline(l->device, l->pipeline, NULL);
    if (l->layout) vkDestroyPipelineLayout(l->device, l->layout, NULL);
    if (l->set_layout) vkDestroyDescriptorSetLayout(l->device, l->set_layout, NULL);
    l->pool = VK_NULL_HANDLE;
    l->pipeline = VK_NULL_HANDLE;
    l->layout = VK_NULL_HANDLE;
    l->set_layout = VK_NULL_HANDLE;
}

void plx_latch_record(plx_latch *l, uint32_t slot, VkCommandBuffer cmd, int eye)
{
    if (!l->check || !l->pipeline) return;
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, l->pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, l->layout, 0, 1, &l->slots[slot].set, 0,
                            NULL);
    const int32_t which = eye;
    vkCmdPushConstants(cmd, l->layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof which, &which);
    vkCmdDispatch(cmd, 1, 1, 1);
    /* The host reads the copy after the fence; the barrier makes the shader's write visible to it. */
    VkMemoryBarrier mb = {
        .sType = VK_STRUCTURE_TYPE_MEMORY_BARRIER,
        .srcAccessMask = VK_ACCESS_SHADER_WRITE_BIT,
        .dstAccessMask = VK_ACCESS_HOST_READ_BIT,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &mb, 0,
                         NULL, 0, NULL);
    l->slots[slot].recorded = true;
}

void plx_latch_before_submit(plx_latch *l, uint32_t slot, plx_frame_uniforms *u)
{
    if (l->corrupt_pending > 0) {
        /* Test hook: the GPU now draws the left eye 1 cm off the pose that will be submitted. */
        u->view[0][12] += 0.01f;
        l->corrupt_pending--;
    }
    if (!l->check || !l->slots[slot].recorded) return;
    float nan = nanf("");
    for (int i = 0; i < SEEN_FLOATS; i++) l->slots[slot].mapped[i] = nan;
}

void plx_latch_note_submitted(plx_latch *l, uint32_t slot, const XrCompositionLayerProjectionView pv[2],
                              bool layer_submitted)
{
    if (!l->check) return;
    plx_latch_slot *ls = &l->slots[slot];
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

void plx_latch_frame_complete(plx_latch *l, uint32_t slot)
{
    if (!l->check || slot >= PLX_MAX_FRAMES_IN_FLIGHT) return;
    plx_latch_slot *ls = &l->slots[slot];
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
        plx_mat4_projection_fov(proj, f->angleLeft, f->angleRight, f->angleUp, f->angleDown, l->near_z,
                                l->far_z);
        float d = fmaxf(max_difference(ls->mapped + eye * 16, view),
                        max_difference(ls->mapped + 32 + eye * 16, proj));
        if (d > worst) {
            worst = d;
            worst_eye = eye;
        }
    }
    l->frames_checked++;
    if (worst > match_tolerance) {
        l->failures++;
        plx_log(l->report, l->failures <= 8 ? PLX_LOG_WARN : PLX_LOG_DEBUG,
                "latch check: the GPU drew %s eye with matrices that differ from the submitted pose by %g "
                "(failure %llu of %llu frames checked)",
                worst_eye == 0 ? "the left" : "the right", (double)worst, (unsigned long long)l->failures,
                (unsigned long long)l->frames_checked);
    }
}

void plx_latch_info(const plx_latch *l, plx_latency_info *out)
{
    out->latch_check = l->check;
    out->latch_frames_checked = l->frames_checked;
    out->latch_failures = l->failures;
}

uint64_t plx_latch_failures(const plx_latch *l)
{
    return l->failures;
}

void plx_latch_corrupt(plx_latch *l, uint32_t frames)
{
    l->corrupt_pending = frames;
}
