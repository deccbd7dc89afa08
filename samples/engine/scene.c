/* SPDX-License-Identifier: MIT */
/* parallax-engine: the scene. Pre-pass (frame.pre_cmd): the cube mesh is uploaded by a copy in the first
 * frame, and every frame a compute shader writes the instances' model matrices and colours into the slot's
 * instance buffer. Pass (frame.cmd, inside libparallax's multiview pass): one instanced draw of lit cubes
 * with a pipeline made for plx_vulkan_info.render_pass at plx_vulkan_info.samples, reading the views from
 * libparallax's per-frame uniforms (set 0) so the late latch reaches it. libparallax's barrier at the end of
 * the pre-pass makes the copy and the compute writes visible to the pass: no barrier of the sample's own
 * there. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "animate.comp.inc.h"
#include "engine.h"
#include "scene.frag.inc.h"
#include "scene.vert.inc.h"

#define ORBITERS 12

typedef struct vertex {
    float position[3];
    float normal[3];
} vertex;

/* std430 layout of animate.comp's and scene.vert's Instance: mat4 model, vec4 color. */
typedef struct instance {
    float model[16];
    float color[4];
} instance;

typedef struct animate_params {
    float tint[4];
    float time;
    uint32_t count, orbiters;
    float pad;
    float hand_position[2][4];
    float hand_orientation[2][4];
} animate_params;

/* A unit cube centred on the origin: 6 faces of 4 vertices, counter-clockwise seen from outside. */
static void cube_mesh(vertex out_v[24], uint16_t out_i[36])
{
    static const float normals[6][3] = {{1, 0, 0}, {-1, 0, 0}, {0, 1, 0}, {0, -1, 0}, {0, 0, 1}, {0, 0, -1}};
    static const float tangents[6][3] = {{0, 0, -1}, {0, 0, 1}, {1, 0, 0}, {1, 0, 0}, {1, 0, 0}, {-1, 0, 0}};
    static const float corner[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    for (int f = 0; f < 6; f++) {
        const float *n = normals[f], *u = tangents[f];
        /* v = n x u, so u x v = n and the corners below run counter-clockwise around n. */
        float v[3] = {n[1] * u[2] - n[2] * u[1], n[2] * u[0] - n[0] * u[2], n[0] * u[1] - n[1] * u[0]};
        for (int k = 0; k < 4; k++) {
            vertex *vx = &out_v[f * 4 + k];
            for (int i = 0; i < 3; i++) {
                vx->position[i] = 0.5f * (n[i] + corner[k][0] * u[i] + corner[k][1] * v[i]);
                vx->normal[i] = n[i];
            }
        }
        static const uint16_t quad[6] = {0, 1, 2, 0, 2, 3};
        for (int k = 0; k < 6; k++) out_i[f * 6 + k] = (uint16_t)(f * 4 + quad[k]);
    }
}

VkResult scene_init(engine *e)
{
    VkDevice dev = e->vk.device;
    VkResult r;
    e->orbiters = ORBITERS;
    e->instance_count = 2 + ORBITERS + 2; /* the platform, the centre piece, the orbiters, the two hands */

    /* The mesh goes through a staging buffer: the copy into device-local buffers is recorded in the first
     * frame's pre-pass (scene_prepass). */
    vertex verts[24];
    uint16_t idx[36];
    cube_mesh(verts, idx);
    if ((r = buffer_create(e, sizeof verts + sizeof idx, VK_BUFFER_USAGE_TRANSFER_SRC_BIT,
                           VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                           &e->staging)) != VK_SUCCESS ||
        (r = buffer_create(e, sizeof verts,
                           VK_BUFFER_USAGE_VERTEX_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                           VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &e->vertices)) != VK_SUCCESS ||
        (r = buffer_create(e, sizeof idx, VK_BUFFER_USAGE_INDEX_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT,
                           VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &e->indices)) != VK_SUCCESS)
        return r;
    memcpy(e->staging.map, verts, sizeof verts);
    memcpy((char *)e->staging.map + sizeof verts, idx, sizeof idx);

    for (uint32_t s = 0; s < e->vk.frames_in_flight; s++) {
        r = buffer_create(e, sizeof(instance) * e->instance_count, VK_BUFFER_USAGE_STORAGE_BUFFER_BIT,
                          VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, &e->slots[s].instances);
        if (r != VK_SUCCESS) return r;
    }

    VkDescriptorSet sets[MAX_SLOTS];
    r = slot_sets(e, VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                  VK_SHADER_STAGE_COMPUTE_BIT | VK_SHADER_STAGE_VERTEX_BIT, NULL, &e->instance_layout, sets);
    if (r != VK_SUCCESS) return r;
    for (uint32_t s = 0; s < e->vk.frames_in_flight; s++) {
        e->slots[s].instance_set = sets[s];
        VkDescriptorBufferInfo bi = {.buffer = e->slots[s].instances.buffer, .range = VK_WHOLE_SIZE};
        VkWriteDescriptorSet w = {.sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
                                  .dstSet = e->slots[s].instance_set,
                                  .descriptorCount = 1,
                                  .descriptorType = VK_DESCRIPTOR_TYPE_STORAGE_BUFFER,
                                  .pBufferInfo = &bi};
        vkUpdateDescriptorSets(dev, 1, &w, 0, NULL);
    }

    /* The compute pipeline: set 0 = the instances, push constants = the animation parameters. */
    VkPushConstantRange pcr = {VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof(animate_params)};
    VkPipelineLayoutCreateInfo pl = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                     .setLayoutCount = 1,
                                     .pSetLayouts = &e->instance_layout,
                                     .pushConstantRangeCount = 1,
                                     .pPushConstantRanges = &pcr};
    r = vkCreatePipelineLayout(dev, &pl, NULL, &e->animate_layout);
    if (!vk_ok(r, "vkCreatePipelineLayout")) return r;
    VkShaderModule cs;
    if ((r = shader_module(e, animate_comp, sizeof animate_comp, &cs)) != VK_SUCCESS) return r;
    VkComputePipelineCreateInfo cci = {.sType = VK_STRUCTURE_TYPE_COMPUTE_PIPELINE_CREATE_INFO,
                                       .stage = {.sType = VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO,
                                                 .stage = VK_SHADER_STAGE_COMPUTE_BIT,
                                                 .module = cs,
                                                 .pName = "main"},
                                       .layout = e->animate_layout};
    r = vkCreateComputePipelines(dev, VK_NULL_HANDLE, 1, &cci, NULL, &e->animate_pipeline);
    vkDestroyShaderModule(dev, cs, NULL);
    if (!vk_ok(r, "vkCreateComputePipelines")) return r;

    /* The scene pipeline: set 0 = libparallax's frame uniforms, set 1 = the instances. */
    VkDescriptorSetLayout set_layouts[2] = {e->vk.frame_set_layout, e->instance_layout};
    VkPipelineLayoutCreateInfo spl = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                      .setLayoutCount = 2,
                                      .pSetLayouts = set_layouts};
    r = vkCreatePipelineLayout(dev, &spl, NULL, &e->scene_layout);
    if (!vk_ok(r, "vkCreatePipelineLayout")) return r;
    const VkVertexInputAttributeDescription va[2] = {
        {0, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(vertex, position)},
        {1, 0, VK_FORMAT_R32G32B32_SFLOAT, offsetof(vertex, normal)}};
    pipeline_desc pd = {.render_pass = e->vk.render_pass,
                        .layout = e->scene_layout,
                        .vs = scene_vert,
                        .vs_size = sizeof scene_vert,
                        .fs = scene_frag,
                        .fs_size = sizeof scene_frag,
                        .vertex_stride = sizeof(vertex),
                        .vertex_rate = VK_VERTEX_INPUT_RATE_VERTEX,
                        .attributes = va,
                        .attribute_count = 2,
                        .samples = e->vk.samples, /* MSAA: the pass's sample count */
                        .depth = true,
                        .cull = true};
    return graphics_pipeline(e, &pd, &e->scene_pipeline);
}

void scene_fini(engine *e)
{
    VkDevice dev = e->vk.device;
    if (e->scene_pipeline) vkDestroyPipeline(dev, e->scene_pipeline, NULL);
    if (e->animate_pipeline) vkDestroyPipeline(dev, e->animate_pipeline, NULL);
    if (e->scene_layout) vkDestroyPipelineLayout(dev, e->scene_layout, NULL);
    if (e->animate_layout) vkDestroyPipelineLayout(dev, e->animate_layout, NULL);
    if (e->instance_layout) vkDestroyDescriptorSetLayout(dev, e->instance_layout, NULL);
    for (uint32_t s = 0; s < MAX_SLOTS; s++) buffer_destroy(e, &e->slots[s].instances);
    buffer_destroy(e, &e->staging);
    buffer_destroy(e, &e->vertices);
    buffer_destroy(e, &e->indices);
}

void scene_prepass(engine *e, const plx_frame *f)
{
    VkCommandBuffer cmd = f->pre_cmd;
    if (!e->mesh_uploaded) {
        const VkDeviceSize vsize = sizeof(vertex) * 24, isize = sizeof(uint16_t) * 36;
        vkCmdCopyBuffer(cmd, e->staging.buffer, e->vertices.buffer, 1, &(VkBufferCopy){0, 0, vsize});
        vkCmdCopyBuffer(cmd, e->staging.buffer, e->indices.buffer, 1, &(VkBufferCopy){vsize, 0, isize});
        e->mesh_uploaded = true;
        e->staging_frame = f->index;
    } else if (e->staging.buffer && f->index >= e->staging_frame + e->vk.frames_in_flight) {
        /* The copy's frame is done: plx_frame_wait hands out a slot only after its previous frame's fence,
         * and frames_in_flight frames have been waited since. */
        buffer_destroy(e, &e->staging);
    }
    const slot *s = &e->slots[f->slot];
    animate_params p = {.time = (float)e->anim_time, .count = e->instance_count, .orbiters = e->orbiters};
    memcpy(p.tint, e->tint, sizeof p.tint);
    memcpy(p.hand_position, e->actions.hand_position, sizeof p.hand_position);
    memcpy(p.hand_orientation, e->actions.hand_orientation, sizeof p.hand_orientation);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, e->animate_pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_COMPUTE, e->animate_layout, 0, 1, &s->instance_set, 0,
                            NULL);
    vkCmdPushConstants(cmd, e->animate_layout, VK_SHADER_STAGE_COMPUTE_BIT, 0, sizeof p, &p);
    vkCmdDispatch(cmd, (e->instance_count + 31) / 32, 1, 1);
}

void scene_draw(engine *e, const plx_frame *f)
{
    VkCommandBuffer cmd = f->cmd;
    const slot *s = &e->slots[f->slot];
    VkDescriptorSet sets[2] = {f->frame_set, s->instance_set};
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, e->scene_pipeline);
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, e->scene_layout, 0, 2, sets, 0, NULL);
    VkDeviceSize offset = 0;
    vkCmdBindVertexBuffers(cmd, 0, 1, &e->vertices.buffer, &offset);
    vkCmdBindIndexBuffer(cmd, e->indices.buffer, 0, VK_INDEX_TYPE_UINT16);
    /* libparallax set viewport and scissor to the render area when it began the pass. */
    vkCmdDrawIndexed(cmd, 36, e->instance_count, 0, 0, 0);
}
