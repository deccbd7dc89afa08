/* SPDX-License-Identifier: MIT */
/* parallax-engine: what the sample's files share. The sample is an engine in miniature: it keeps its own
 * Vulkan renderer (pipelines, shaders, buffers, render passes) and hands libparallax only the frame loop; see
 * README.md in this folder for the code path of each frame phase. Public API only (the headers under
 * parallax/). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include <parallax/parallax.h>
#include <parallax/parallax_vulkan.h>

#define MAX_SLOTS 3 /* plx_context_desc.frames_in_flight is 1..3 */

/** A buffer with its own memory; map is set for host-visible memory (mapped for the buffer's life). */
typedef struct buffer {
    VkBuffer buffer;
    VkDeviceMemory memory;
    void *map;
} buffer;

/** The Vulkan objects of one frame-in-flight slot: reused only once the slot's previous frame is done on the
 * GPU (plx_frame_wait hands a slot out again only after its fence signalled). */
typedef struct slot {
    buffer instances; /* the animate compute shader writes it in the pre-pass; the scene reads it */
    VkDescriptorSet instance_set;    /* set 1 of the scene, set 0 of the compute shader: instances */
    VkDescriptorSet post_set;        /* the post-process's view of the pass's (resolved) colour */
    VkFramebuffer post_framebuffer;  /* on this frame's swapchain image: made per frame, destroyed on reuse */
    buffer panel_rects;              /* the stats panel's rectangles (host-visible) */
    VkFramebuffer panel_framebuffer; /* on the panel's swapchain image, when the frame drew it */
} slot;

/** The stats the panel shows, taken from plx_get_frame_stats / plx_stats_summary each time it is redrawn. */
typedef struct panel_stats {
    double cpu_ms, gpu_ms; /* p50 of the last frames (gpu -1 when unknown) */
    double period_ms;      /* the display period: the frame budget */
    double age_ms;         /* pose age at photon, p50 */
    double error_deg;      /* pose error at photon, p50; -1 while unknown */
    uint64_t misses;       /* frames missed since the start */
    float accent[3];       /* the app's action colour (trigger), shown as a swatch */
} panel_stats;

/** The sample's own input (actions.c): one action set, bound for two interaction profiles. */
typedef struct actions {
    plx_action_set set;
    plx_action tint, buzz, move, reset, grip; /* float, haptic, vector2, boolean, pose */
    bool pressed[2];                          /* the trigger held, per hand */
    uint64_t presses[2], pulses;
    float moved[2];            /* how far the thumbstick moved the panel (x, y metres) */
    float move_value[2];       /* the stick's value as of move_time */
    int64_t move_time;         /* XrTime up to which the stick's movement has been applied */
    float hand_position[2][4]; /* xyz + w: 1 when the hand's grip pose is valid */
    float hand_orientation[2][4];
} actions;

/** The whole app: the context, the device objects libparallax gave, and the renderer's own objects. */
typedef struct engine {
    plx_context *ctx;
    plx_vulkan_info vk;
    VkPhysicalDeviceMemoryProperties memory_properties;

    /* scene.c: the cube mesh (uploaded in the first frame's pre-pass), the instances, the two pipelines */
    buffer staging;         /* the mesh in host memory until the copy's frame is done */
    uint64_t staging_frame; /* the frame whose pre-pass recorded the copy */
    bool mesh_uploaded;
    buffer vertices, indices;
    uint32_t instance_count, orbiters;
    VkDescriptorSetLayout instance_layout;
    VkPipelineLayout scene_layout, animate_layout;
    VkPipeline scene_pipeline, animate_pipeline;
    float tint[4];    /* rgb + amount: the orbiting cubes' colour blend (the trigger drives it) */
    double anim_time; /* seconds of animation */

    /* post.c: the vignette over the pass's result, into the swapchain image */
    VkSampler sampler;
    VkDescriptorSetLayout post_layout_set;
    VkPipelineLayout post_layout;
    VkRenderPass post_pass;
    VkPipeline post_pipeline;
    float vignette; /* strength, 0 = off */

    /* panel.c: the quad layer with the frame stats */
    plx_quad *quad;
    VkFormat panel_format; /* the format the panel's render pass and pipeline were made for */
    VkRenderPass panel_pass;
    VkPipelineLayout panel_layout;
    VkPipeline panel_pipeline;
    uint32_t panel_width, panel_height;
    float panel_position[3], panel_orientation[4], panel_size[2];
    float panel_home[3]; /* where the panel starts (and goes back to on the reset action) */
    uint64_t panel_draws;

    actions actions;
    VkDescriptorPool pool;
    slot slots[MAX_SLOTS];
} engine;

/* vk.c: small Vulkan helpers. Each returns the VkResult of the call that failed (and prints which). */
bool vk_ok(VkResult r, const char *call);
VkResult buffer_create(engine *e, VkDeviceSize size, VkBufferUsageFlags usage, VkMemoryPropertyFlags props,
                       buffer *out);
void buffer_destroy(engine *e, buffer *b);
VkResult shader_module(engine *e, const uint32_t *code, size_t size, VkShaderModule *out);

/** What differs between the sample's graphics pipelines. */
typedef struct pipeline_desc {
    VkRenderPass render_pass;
    VkPipelineLayout layout;
    const uint32_t *vs, *fs;
    size_t vs_size, fs_size;
    uint32_t vertex_stride; /* bytes per vertex (or instance) of binding 0; 0: no vertex buffer */
    VkVertexInputRate vertex_rate;
    const VkVertexInputAttributeDescription *attributes; /* of binding 0 */
    uint32_t attribute_count;
    VkSampleCountFlagBits samples;
    bool depth; /* test and write depth (LESS_OR_EQUAL: libparallax clears depth to 1) */
    bool cull;  /* cull back faces (counter-clockwise front) */
} pipeline_desc;
VkResult graphics_pipeline(engine *e, const pipeline_desc *d, VkPipeline *out);
/** A one-subpass render pass on one colour attachment (no depth), multiview over `view_mask` when non-zero.
 */
VkResult color_render_pass(engine *e, VkFormat format, VkAttachmentLoadOp load, VkImageLayout initial,
                           uint32_t view_mask, VkRenderPass *out);
void set_viewport(VkCommandBuffer cmd, uint32_t width, uint32_t height);
/** A descriptor set layout of one binding (binding 0, one descriptor) and a set of it for each frame slot. */
VkResult slot_sets(engine *e, VkDescriptorType type, VkShaderStageFlags stages,
                   const VkSampler *immutable_sampler, VkDescriptorSetLayout *out_layout,
                   VkDescriptorSet out_sets[MAX_SLOTS]);

/* scene.c */
VkResult scene_init(engine *e);
void scene_fini(engine *e);
void scene_prepass(engine *e, const plx_frame *f);
void scene_draw(engine *e, const plx_frame *f);

/* post.c */
VkResult post_init(engine *e);
void post_fini(engine *e);
/** Ends libparallax's pass (plx_frame_post_pass) and records the vignette into the swapchain image. */
plx_result post_record(engine *e, plx_frame *f);

/* actions.c */
/** Creates the action set, its actions and the bindings for both profiles (before the first frame). */
plx_result actions_init(engine *e);
/** Reads the frame's synced actions (after plx_frame_wait) and applies them; display_time: the frame's
 * predicted display time, which libparallax synced them for. */
plx_result actions_update(engine *e, long frame, int64_t display_time);

/* panel.c */
VkResult panel_init(engine *e);
void panel_fini(engine *e);
/** Redraws the panel in the frame's pre-pass (acquiring its quad image). */
plx_result panel_record(engine *e, const plx_frame *f, const panel_stats *s);
/** The box (pixels: left, top, right, bottom) the panel's corners project to in each eye of views. */
void panel_project(const engine *e, const plx_view views[2], uint32_t eye_w, uint32_t eye_h,
                   double out[2][4]);
/** Where the centre of the panel's action-colour swatch projects in each eye (pixels: x, y). */
void panel_swatch_project(const engine *e, const plx_view views[2], uint32_t eye_w, uint32_t eye_h,
                          double out[2][2]);
