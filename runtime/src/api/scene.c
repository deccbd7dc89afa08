/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: the built-in scene renderer: lit meshes (a shared unit cube, app meshes) over
 * a floor grid, drawn into the context's multiview pass. Geometry is uploaded once, when it is added;
 * per-object transform and colour travel as push constants; view and projection are read from the frame's
 * uniform buffer. May call the frame loop (frame.c) and gpu/. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"
#include "plx_math.h"
#include "scene.frag.spv.h"
#include "scene.vert.spv.h"

typedef struct scene_vertex {
    float position[3];
    float normal[3];
} scene_vertex;

/* Must match the push_constant block of scene.vert / scene.frag (std430). */
typedef struct scene_push {
    float model[16];
    float color[4];
    float light_dir[4]; /* w: 1 lit, 0 unlit */
    float light_color[4];
    float ambient[4];
} scene_push;
_Static_assert(sizeof(scene_push) == 128, "push constants fit the 128 bytes every device offers");

typedef struct scene_mesh {
    VkBuffer vertex_buffer, index_buffer;
    VkDeviceMemory vertex_memory, index_memory;
    uint32_t index_count;
    bool lines;
} scene_mesh;

typedef struct scene_object {
    uint32_t mesh;
    float model[16];
    float color[3];
    bool lit;
} scene_object;

struct plx_scene {
    plx_child child;  /* first: released by plx_context_destroy when the app has not destroyed the scene */
    plx_context *ctx; /* NULL once the context was destroyed (released) */
    VkPipelineLayout layout;
    VkPipeline triangles, lines;
    scene_mesh *meshes;
    uint32_t mesh_count, mesh_cap;
    scene_object *objects;
    uint32_t object_count, object_cap;
    uint32_t cube_mesh;
    float light_dir[3], light_color[3], ambient[3];
};

static void model_from_transform(const plx_transform *t, float out[16])
{
    plx_quat q = {t->orientation[0], t->orientation[1], t->orientation[2], t->orientation[3]};
    if (q.x == 0 && q.y == 0 && q.z == 0 && q.w == 0) q = plx_quat_identity();
    q = plx_quat_normalize(q);
    float s[3];
    for (int i = 0; i < 3; i++) s[i] = t->scale[i] != 0 ? t->scale[i] : 1.0f;
    const plx_vec3 axes[3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    for (int c = 0; c < 3; c++) {
        plx_vec3 col = plx_vec3_scale(plx_quat_rotate(q, axes[c]), s[c]);
        out[c * 4 + 0] = col.x;
        out[c * 4 + 1] = col.y;
        out[c * 4 + 2] = col.z;
        out[c * 4 + 3] = 0.0f;
    }
    out[12] = t->position[0];
    out[13] = t->position[1];
    out[14] = t->position[2];
    out[15] = 1.0f;
}

static plx_result create_pipeline(plx_scene *scene, VkShaderModule vs, VkShaderModule fs, bool lines,
                                  VkPipeline *out)
{
    plx_context *ctx = scene->ctx;
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
    VkVertexInputBindingDescription binding = {0, sizeof(scene_vertex), VK_VERTEX_INPUT_RATE_VERTEX};
    VkVertexInputAttributeDescription attrs[2] = {
        {.location = 0, .binding = 0, .format = VK_FORMAT_R32G32B32_SFLOAT, .offset = 0},
        {.location = 1,
         .binding = 0,
         .format = VK_FORMAT_R32G32B32_SFLOAT,
         .offset = offsetof(scene_vertex, normal)},
    };
    VkPipelineVertexInputStateCreateInfo vi = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO,
        .vertexBindingDescriptionCount = 1,
        .pVertexBindingDescriptions = &binding,
        .vertexAttributeDescriptionCount = 2,
        .pVertexAttributeDescriptions = attrs,
    };
    VkPipelineInputAssemblyStateCreateInfo ia = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO,
        .topology = lines ? VK_PRIMITIVE_TOPOLOGY_LINE_LIST : VK_PRIMITIVE_TOPOLOGY_TRIANGLE_LIST,
    };
    /* Viewport and scissor are dynamic: a later feature renders a scaled viewport inside the fixed swapchain.
     */
    VkPipelineViewportStateCreateInfo vp = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO,
        .viewportCount = 1,
        .scissorCount = 1,
    };
    /* The projection flips y for Vulkan, which keeps counter-clockwise triangles front-facing. */
    VkPipelineRasterizationStateCreateInfo rs = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO,
        .polygonMode = VK_POLYGON_MODE_FILL,
        .cullMode = lines ? VK_CULL_MODE_NONE : VK_CULL_MODE_BACK_BIT,
        .frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE,
        .lineWidth = 1.0f,
    };
    VkPipelineMultisampleStateCreateInfo ms = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO,
        .rasterizationSamples = ctx->gpu.samples, /* plx_context_desc.samples */
    };
    VkPipelineDepthStencilStateCreateInfo ds = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_DEPTH_STENCIL_STATE_CREATE_INFO,
        .depthTestEnable = VK_TRUE,
        .depthWriteEnable = VK_TRUE,
        .depthCompareOp = VK_COMPARE_OP_LESS_OR_EQUAL,
    };
    VkPipelineColorBlendAttachmentState cba = {
        .colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT |
                          VK_COLOR_COMPONENT_A_BIT,
    };
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
        .pVertexInputState = &vi,
        .pInputAssemblyState = &ia,
        .pViewportState = &vp,
        .pRasterizationState = &rs,
        .pMultisampleState = &ms,
        .pDepthStencilState = &ds,
        .pColorBlendState = &cb,
        .pDynamicState = &dy,
        .layout = scene->layout,
        .renderPass = ctx->gpu.render_pass,
        .subpass = 0,
    };
    return PLX_VK(&ctx->report,
                  vkCreateGraphicsPipelines(ctx->gpu.vk.device, VK_NULL_HANDLE, 1, &ci, NULL, out));
}

static plx_result create_pipelines(plx_scene *scene)
{
    plx_context *ctx = scene->ctx;
    VkPushConstantRange pcr = {
        .stageFlags = VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT,
        .size = sizeof(scene_push),
    };
    VkPipelineLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 1,
        .pSetLayouts = &ctx->gpu.frame_set_layout,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &pcr,
    };
    plx_result res =
        PLX_VK(&ctx->report, vkCreatePipelineLayout(ctx->gpu.vk.device, &li, NULL, &scene->layout));
    if (res < 0) return res;
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    VkShaderModuleCreateInfo vi = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = sizeof scene_vert_spv,
        .pCode = scene_vert_spv,
    };
    VkShaderModuleCreateInfo fi = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO,
        .codeSize = sizeof scene_frag_spv,
        .pCode = scene_frag_spv,
    };
    if ((res = PLX_VK(&ctx->report, vkCreateShaderModule(ctx->gpu.vk.device, &vi, NULL, &vs))) < 0) goto done;
    if ((res = PLX_VK(&ctx->report, vkCreateShaderModule(ctx->gpu.vk.device, &fi, NULL, &fs))) < 0) goto done;
    if ((res = create_pipeline(scene, vs, fs, false, &scene->triangles)) < 0) goto done;
    res = create_pipeline(scene, vs, fs, true, &scene->lines);
done:
    /* Pipelines keep what they need; the modules can go right away. */
    vkDestroyShaderModule(ctx->gpu.vk.device, vs, NULL);
    vkDestroyShaderModule(ctx->gpu.vk.device, fs, NULL);
    return res;
}

/* Uploads a mesh once and appends it; *out_mesh is its index. */
static plx_result add_mesh_data(plx_scene *scene, const scene_vertex *vertices, uint32_t vertex_count,
                                const uint32_t *indices, uint32_t index_count, bool lines, uint32_t *out_mesh)
{
    plx_context *ctx = scene->ctx;
    if (scene->mesh_count == scene->mesh_cap) {
        uint32_t cap = scene->mesh_cap ? scene->mesh_cap * 2 : 8;
        scene_mesh *m = realloc(scene->meshes, cap * sizeof *m);
        if (!m)
            return PLX_FAIL(&ctx->report, PLX_ERROR_OUT_OF_MEMORY, "plx_scene: out of memory for %u meshes",
                            cap);
        scene->meshes = m;
        scene->mesh_cap = cap;
    }
    scene_mesh mesh = {.index_count = index_count, .lines = lines};
    plx_result res =
        plx_gpu_upload_buffer(&ctx->gpu, vertices, (VkDeviceSize)vertex_count * sizeof *vertices,
                              VK_BUFFER_USAGE_VERTEX_BUFFER_BIT, &mesh.vertex_buffer, &mesh.vertex_memory);
    if (res < 0) return res;
    res = plx_gpu_upload_buffer(&ctx->gpu, indices, (VkDeviceSize)index_count * sizeof *indices,
                                VK_BUFFER_USAGE_INDEX_BUFFER_BIT, &mesh.index_buffer, &mesh.index_memory);
    if (res < 0) {
        vkDestroyBuffer(ctx->gpu.vk.device, mesh.vertex_buffer, NULL);
        vkFreeMemory(ctx->gpu.vk.device, mesh.vertex_memory, NULL);
        return res;
    }
    scene->meshes[scene->mesh_count] = mesh;
    *out_mesh = scene->mesh_count++;
    return PLX_SUCCESS;
}

static plx_result add_object(plx_scene *scene, uint32_t mesh, const plx_transform *t, const float color[3],
                             bool lit, uint32_t *out_id)
{
    if (scene->object_count == scene->object_cap) {
        uint32_t cap = scene->object_cap ? scene->object_cap * 2 : 64;
        scene_object *o = realloc(scene->objects, cap * sizeof *o);
        if (!o)
            return PLX_FAIL(&scene->ctx->report, PLX_ERROR_OUT_OF_MEMORY,
                            "plx_scene: out of memory for %u objects", cap);
        scene->objects = o;
        scene->object_cap = cap;
    }
    scene_object *obj = &scene->objects[scene->object_count];
    obj->mesh = mesh;
    obj->lit = lit;
    const plx_transform identity = {0};
    model_from_transform(t ? t : &identity, obj->model);
    bool zero = color[0] == 0 && color[1] == 0 && color[2] == 0;
    for (int i = 0; i < 3; i++) obj->color[i] = zero ? 0.5f : color[i];
    if (out_id) *out_id = scene->object_count;
    scene->object_count++;
    return PLX_SUCCESS;
}

/* Unit cube centred at the origin: 4 vertices per face so each face has its own normal. */
static plx_result create_cube_mesh(plx_scene *scene)
{
    /* normal, u, v with u x v = normal: corners (-u-v, +u-v, +u+v, -u+v) wind counter-clockwise outside. */
    static const float faces[6][3][3] = {
        {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, {{-1, 0, 0}, {0, 0, 1}, {0, 1, 0}},
        {{0, 1, 0}, {0, 0, 1}, {1, 0, 0}}, {{0, -1, 0}, {1, 0, 0}, {0, 0, 1}},
        {{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}, {{0, 0, -1}, {0, 1, 0}, {1, 0, 0}},
    };
    static const float corner[4][2] = {{-1, -1}, {1, -1}, {1, 1}, {-1, 1}};
    scene_vertex v[24];
    uint32_t idx[36];
    for (int f = 0; f < 6; f++) {
        for (int c = 0; c < 4; c++) {
            scene_vertex *o = &v[f * 4 + c];
            for (int k = 0; k < 3; k++) {
                o->position[k] =
                    0.5f * (faces[f][0][k] + corner[c][0] * faces[f][1][k] + corner[c][1] * faces[f][2][k]);
                o->normal[k] = faces[f][0][k];
            }
        }
        const uint32_t quad[6] = {0, 1, 2, 0, 2, 3};
        for (int i = 0; i < 6; i++) idx[f * 6 + i] = (uint32_t)f * 4 + quad[i];
    }
    return add_mesh_data(scene, v, 24, idx, 36, false, &scene->cube_mesh);
}

static plx_result create_grid(plx_scene *scene, const plx_scene_desc *d)
{
    float extent = d->grid_extent > 0 ? d->grid_extent : 10.0f;
    float spacing = d->grid_spacing > 0 ? d->grid_spacing : 0.5f;
    float y =
        d->floor_y != 0 ? d->floor_y : (scene->ctx->config.space_kind == PLX_SPACE_STAGE ? 0.0f : -1.6f);
    uint32_t steps = (uint32_t)floorf(extent / spacing);
    if (steps > 2000) steps = 2000; /* a grid finer than this is noise at any viewing distance */
    uint32_t lines_per_axis = 2 * steps + 1;
    uint32_t vertex_count = lines_per_axis * 2 * 2;
    scene_vertex *v = calloc(vertex_count, sizeof *v);
    uint32_t *idx = calloc(vertex_count, sizeof *idx);
    plx_result res;
    if (!v || !idx) {
        res = PLX_FAIL(&scene->ctx->report, PLX_ERROR_OUT_OF_MEMORY, "plx_scene: out of memory for the grid");
        goto done;
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < lines_per_axis; i++) {
        float o = ((float)i - (float)steps) * spacing;
        const float ends[4][3] = {{o, y, -extent}, {o, y, extent}, {-extent, y, o}, {extent, y, o}};
        for (int e = 0; e < 4; e++) {
            memcpy(v[n].position, ends[e], sizeof v[n].position);
            v[n].normal[1] = 1.0f;
            idx[n] = n;
            n++;
        }
    }
    uint32_t mesh = 0;
    if ((res = add_mesh_data(scene, v, vertex_count, idx, vertex_count, true, &mesh)) < 0) goto done;
    bool zero = d->grid_color[0] == 0 && d->grid_color[1] == 0 && d->grid_color[2] == 0;
    const float grid_default[3] = {0.25f, 0.3f, 0.35f};
    res = add_object(scene, mesh, NULL, zero ? grid_default : d->grid_color, false, NULL);
done:
    free(v);
    free(idx);
    return res;
}

static void release_scene(plx_child *child);

static bool finite3(const float v[3])
{
    return isfinite(v[0]) && isfinite(v[1]) && isfinite(v[2]);
}

static void vec3_or(float out[3], const float in[3], float a, float b, float c)
{
    bool zero = in[0] == 0 && in[1] == 0 && in[2] == 0;
    out[0] = zero ? a : in[0];
    out[1] = zero ? b : in[1];
    out[2] = zero ? c : in[2];
}

static plx_result scene_create(plx_context *ctx, const plx_scene_desc *desc, plx_scene **out_scene)
{
    if (!ctx || !out_scene)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_scene_create: %s is NULL",
                        ctx ? "out_scene" : "ctx");
    *out_scene = NULL;
    plx_result res = plx_api_check_thread(ctx, "plx_scene_create");
    if (res < 0) return res;
    const plx_scene_desc defaults = {0};
    if (!desc) desc = &defaults;
    if (!isfinite(desc->grid_extent) || !isfinite(desc->grid_spacing) || desc->grid_extent < 0 ||
        desc->grid_spacing < 0 || !isfinite(desc->floor_y))
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_desc: grid_extent %g / grid_spacing %g / floor_y %g: need finite, >= 0",
                        (double)desc->grid_extent, (double)desc->grid_spacing, (double)desc->floor_y);
    const struct {
        const float *v;
        const char *name;
    } colors[4] = {{desc->light_direction, "light_direction"},
                   {desc->light_color, "light_color"},
                   {desc->ambient, "ambient"},
                   {desc->grid_color, "grid_color"}};
    for (int i = 0; i < 4; i++) {
        if (!finite3(colors[i].v))
            return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_scene_desc.%s (%g, %g, %g) is not finite", colors[i].name,
                            (double)colors[i].v[0], (double)colors[i].v[1], (double)colors[i].v[2]);
    }
    plx_scene *scene = calloc(1, sizeof *scene);
    if (!scene) return PLX_FAIL(&ctx->report, PLX_ERROR_OUT_OF_MEMORY, "plx_scene_create: out of memory");
    scene->ctx = ctx;
    plx_context_adopt(ctx, &scene->child, release_scene);
    vec3_or(scene->light_dir, desc->light_direction, -0.3f, -1.0f, -0.5f);
    vec3_or(scene->light_color, desc->light_color, 0.9f, 0.88f, 0.8f);
    vec3_or(scene->ambient, desc->ambient, 0.18f, 0.2f, 0.24f);
    if ((res = create_pipelines(scene)) < 0) goto fail;
    if ((res = create_cube_mesh(scene)) < 0) goto fail;
    if (!desc->no_grid && (res = create_grid(scene, desc)) < 0) goto fail;
    *out_scene = scene;
    return PLX_SUCCESS;
fail:
    plx_scene_destroy(&scene);
    return res;
}

/* The scene's Vulkan objects; the GPU must be done with them. */
static void destroy_gpu_objects(plx_scene *scene)
{
    VkDevice dev = scene->ctx->gpu.vk.device;
    for (uint32_t i = 0; i < scene->mesh_count; i++) {
        scene_mesh *m = &scene->meshes[i];
        vkDestroyBuffer(dev, m->vertex_buffer, NULL);
        vkFreeMemory(dev, m->vertex_memory, NULL);
        vkDestroyBuffer(dev, m->index_buffer, NULL);
        vkFreeMemory(dev, m->index_memory, NULL);
    }
    scene->mesh_count = 0;
    vkDestroyPipeline(dev, scene->triangles, NULL);
    vkDestroyPipeline(dev, scene->lines, NULL);
    vkDestroyPipelineLayout(dev, scene->layout, NULL);
    scene->triangles = scene->lines = VK_NULL_HANDLE;
    scene->layout = VK_NULL_HANDLE;
}

/* plx_context_destroy with the scene alive (the GPU is idle by then): the scene lets go of the device. */
static void release_scene(plx_child *child)
{
    plx_scene *scene = (plx_scene *)child;
    destroy_gpu_objects(scene);
    scene->ctx = NULL;
}

void plx_scene_destroy(plx_scene **pscene)
{
    if (!pscene || !*pscene) return;
    plx_scene *scene = *pscene;
    *pscene = NULL;
    plx_context *ctx = scene->ctx;
    if (ctx) {
        /* Frames in flight may still read the buffers and pipelines. */
        plx_loop_wait_idle(ctx);
        destroy_gpu_objects(scene);
        plx_context_disown(ctx, &scene->child);
    }
    free(scene->meshes);
    free(scene->objects);
    free(scene);
}

static bool transform_valid(const plx_transform *t)
{
    for (int i = 0; i < 3; i++) {
        if (!isfinite(t->position[i]) || !isfinite(t->scale[i])) return false;
    }
    for (int i = 0; i < 4; i++) {
        if (!isfinite(t->orientation[i])) return false;
    }
    return true;
}

static plx_result scene_add_cube(plx_scene *scene, const plx_cube_desc *desc, uint32_t *out_id)
{
    plx_result res = plx_api_check_child(scene, scene ? scene->ctx : NULL, "scene", "plx_scene_add_cube");
    if (res < 0) return res;
    if (!desc)
        return PLX_FAIL(&scene->ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_scene_add_cube: desc is NULL");
    if (!transform_valid(&desc->transform) || !finite3(desc->color))
        return PLX_FAIL(&scene->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_add_cube: transform or color is not finite");
    return add_object(scene, scene->cube_mesh, &desc->transform, desc->color, true, out_id);
}

static plx_result scene_add_mesh(plx_scene *scene, const plx_mesh_desc *d, uint32_t *out_id)
{
    plx_result res = plx_api_check_child(scene, scene ? scene->ctx : NULL, "scene", "plx_scene_add_mesh");
    if (res < 0) return res;
    plx_context *ctx = scene->ctx;
    if (!d) return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_scene_add_mesh: desc is NULL");
    if (!d->positions || !d->indices || d->vertex_count == 0 || d->index_count == 0 ||
        d->index_count % 3 != 0)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_add_mesh: need positions, indices and a multiple of 3 indices (got %u)",
                        d->index_count);
    if (!transform_valid(&d->transform) || !finite3(d->color))
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_add_mesh: transform or color is not finite");
    for (uint32_t i = 0; i < 3 * d->vertex_count; i++) {
        if (!isfinite(d->positions[i]) || (d->normals && !isfinite(d->normals[i])))
            return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_scene_add_mesh: vertex %u has a %s that is not finite (%g)", i / 3,
                            isfinite(d->positions[i]) ? "normal" : "position",
                            (double)(isfinite(d->positions[i]) ? d->normals[i] : d->positions[i]));
    }
    for (uint32_t i = 0; i < d->index_count; i++) {
        if (d->indices[i] >= d->vertex_count)
            return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                            "plx_scene_add_mesh: index %u = %u is beyond %u vertices", i, d->indices[i],
                            d->vertex_count);
    }
    /* Without normals each triangle gets its own three vertices and its face normal (flat shading). */
    uint32_t vcount = d->normals ? d->vertex_count : d->index_count;
    scene_vertex *v = calloc(vcount, sizeof *v);
    uint32_t *idx = d->normals ? NULL : calloc(d->index_count, sizeof *idx);
    if (!v || (!d->normals && !idx)) {
        res = PLX_FAIL(&ctx->report, PLX_ERROR_OUT_OF_MEMORY,
                       "plx_scene_add_mesh: out of memory for %u vertices", vcount);
        goto done;
    }
    if (d->normals) {
        for (uint32_t i = 0; i < vcount; i++) {
            memcpy(v[i].position, d->positions + 3 * i, sizeof v[i].position);
            memcpy(v[i].normal, d->normals + 3 * i, sizeof v[i].normal);
        }
    } else {
        for (uint32_t t = 0; t < d->index_count; t += 3) {
            plx_vec3 p[3];
            for (int k = 0; k < 3; k++) {
                const float *src = d->positions + 3 * d->indices[t + k];
                p[k] = (plx_vec3){src[0], src[1], src[2]};
            }
            plx_vec3 n = plx_vec3_cross(plx_vec3_sub(p[1], p[0]), plx_vec3_sub(p[2], p[0]));
            float len = plx_vec3_length(n);
            n = len > 0 ? plx_vec3_scale(n, 1.0f / len) : (plx_vec3){0, 1, 0};
            for (int k = 0; k < 3; k++) {
                scene_vertex *o = &v[t + k];
                o->position[0] = p[k].x;
                o->position[1] = p[k].y;
                o->position[2] = p[k].z;
                o->normal[0] = n.x;
                o->normal[1] = n.y;
                o->normal[2] = n.z;
                idx[t + k] = t + (uint32_t)k;
            }
        }
    }
    uint32_t mesh = 0;
    res = add_mesh_data(scene, v, vcount, d->normals ? d->indices : idx, d->index_count, false, &mesh);
    if (res < 0) goto done;
    res = add_object(scene, mesh, &d->transform, d->color, true, out_id);
done:
    free(v);
    free(idx);
    return res;
}

static plx_result scene_set_transform(plx_scene *scene, uint32_t id, const plx_transform *transform)
{
    plx_result res =
        plx_api_check_child(scene, scene ? scene->ctx : NULL, "scene", "plx_scene_set_transform");
    if (res < 0) return res;
    if (!transform)
        return PLX_FAIL(&scene->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_set_transform: transform is NULL");
    if (id >= scene->object_count)
        return PLX_FAIL(&scene->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_set_transform: no object %u", id);
    if (!transform_valid(transform))
        return PLX_FAIL(&scene->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_scene_set_transform: transform is not finite");
    model_from_transform(transform, scene->objects[id].model);
    return PLX_SUCCESS;
}

static plx_result scene_draw(plx_scene *scene, const plx_frame *frame)
{
    plx_result res = plx_api_check_child(scene, scene ? scene->ctx : NULL, "scene", "plx_scene_draw");
    if (res < 0) return res;
    plx_context *ctx = scene->ctx;
    if (!frame) return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_scene_draw: frame is NULL");
    /* A mid-frame plx_poll found the session stopping or lost: the frame is gone, harmlessly. */
    if (plx_loop_frame_dropped(ctx, frame)) return PLX_SESSION_NOT_RUNNING;
    /* The command buffer is the frame loop's, never the one in *frame: a stale or garbage frame is refused
     * before anything is recorded. */
    VkCommandBuffer cmd = VK_NULL_HANDLE;
    if ((res = plx_loop_pass_cmd(ctx, frame, "plx_scene_draw", &cmd)) < 0) return res;
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, scene->layout, 0, 1, &frame->frame_set, 0,
                            NULL);
    VkPipeline bound = VK_NULL_HANDLE;
    uint32_t bound_mesh = UINT32_MAX;
    scene_push push = {
        .light_dir = {scene->light_dir[0], scene->light_dir[1], scene->light_dir[2], 0},
        .light_color = {scene->light_color[0], scene->light_color[1], scene->light_color[2], 0},
        .ambient = {scene->ambient[0], scene->ambient[1], scene->ambient[2], 0},
    };
    for (uint32_t i = 0; i < scene->object_count; i++) {
        const scene_object *obj = &scene->objects[i];
        const scene_mesh *mesh = &scene->meshes[obj->mesh];
        VkPipeline want = mesh->lines ? scene->lines : scene->triangles;
        if (want != bound) {
            vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, want);
            bound = want;
        }
        if (obj->mesh != bound_mesh) {
            VkDeviceSize offset = 0;
            vkCmdBindVertexBuffers(cmd, 0, 1, &mesh->vertex_buffer, &offset);
            vkCmdBindIndexBuffer(cmd, mesh->index_buffer, 0, VK_INDEX_TYPE_UINT32);
            bound_mesh = obj->mesh;
        }
        memcpy(push.model, obj->model, sizeof push.model);
        push.color[0] = obj->color[0];
        push.color[1] = obj->color[1];
        push.color[2] = obj->color[2];
        push.color[3] = 1.0f;
        push.light_dir[3] = obj->lit ? 1.0f : 0.0f;
        vkCmdPushConstants(cmd, scene->layout, VK_SHADER_STAGE_VERTEX_BIT | VK_SHADER_STAGE_FRAGMENT_BIT, 0,
                           sizeof push, &push);
        vkCmdDrawIndexed(cmd, mesh->index_count, 1, 0, 0, 0);
    }
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

/* NULL once the context was destroyed (the scene was released; scene_* say so). */
#define SCENE_REPORT(scene) ((scene) && (scene)->ctx ? &(scene)->ctx->report : NULL)

plx_result plx_scene_create_sized(plx_context *ctx, const plx_scene_desc *desc, size_t desc_size,
                                  plx_scene **out_scene)
{
    if (!desc) return scene_create(ctx, NULL, out_scene);
    plx_scene_desc own;
    plx_result res = plx_abi_in(PLX_REPORT(ctx), "plx_scene_create", "plx_scene_desc", &own, sizeof own, desc,
                                desc_size, PLX_ABI_0_2_SCENE_DESC);
    if (res < 0) {
        if (out_scene) *out_scene = NULL;
        return res;
    }
    return scene_create(ctx, &own, out_scene);
}

plx_result plx_scene_add_cube_sized(plx_scene *scene, const plx_cube_desc *desc, size_t desc_size,
                                    uint32_t *out_id)
{
    if (!desc) return scene_add_cube(scene, NULL, out_id);
    plx_cube_desc own;
    plx_result res = plx_abi_in(SCENE_REPORT(scene), "plx_scene_add_cube", "plx_cube_desc", &own, sizeof own,
                                desc, desc_size, PLX_ABI_0_2_CUBE_DESC);
    return res < 0 ? res : scene_add_cube(scene, &own, out_id);
}

plx_result plx_scene_add_mesh_sized(plx_scene *scene, const plx_mesh_desc *desc, size_t desc_size,
                                    uint32_t *out_id)
{
    if (!desc) return scene_add_mesh(scene, NULL, out_id);
    plx_mesh_desc own;
    plx_result res = plx_abi_in(SCENE_REPORT(scene), "plx_scene_add_mesh", "plx_mesh_desc", &own, sizeof own,
                                desc, desc_size, PLX_ABI_0_2_MESH_DESC);
    return res < 0 ? res : scene_add_mesh(scene, &own, out_id);
}

plx_result plx_scene_set_transform_sized(plx_scene *scene, uint32_t id, const plx_transform *transform,
                                         size_t transform_size)
{
    if (!transform) return scene_set_transform(scene, id, NULL);
    plx_transform own;
    plx_result res = plx_abi_in(SCENE_REPORT(scene), "plx_scene_set_transform", "plx_transform", &own,
                                sizeof own, transform, transform_size, PLX_ABI_0_2_TRANSFORM);
    return res < 0 ? res : scene_set_transform(scene, id, &own);
}

plx_result plx_scene_draw_sized(plx_scene *scene, const plx_frame *frame, size_t frame_size)
{
    if (!frame) return scene_draw(scene, NULL);
    plx_frame own;
    plx_result res = plx_abi_in(SCENE_REPORT(scene), "plx_scene_draw", "plx_frame", &own, sizeof own, frame,
                                frame_size, PLX_ABI_0_2_FRAME);
    return res < 0 ? res : scene_draw(scene, &own);
}
