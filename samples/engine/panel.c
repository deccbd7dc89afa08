/* SPDX-License-Identifier: MIT */
/* parallax-engine: a quad layer (plx_quad) showing live frame stats. libparallax makes the panel's swapchain
 * and composites it after the projection layer; the sample draws it in the pre-pass of the frames that change
 * it (plx_quad_acquire records its clear into frame.pre_cmd and hands over the image in
 * COLOR_ATTACHMENT_OPTIMAL), with a render pass and a pipeline of its own: instanced rectangles for the bars
 * and for the lit pixels of a 3x5 bitmap font held right here (no font files). */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "panel.frag.inc.h"
#include "panel.vert.inc.h"

#define MAX_RECTS 1024
#define MARGIN    10 /* texels of plain background around the content: the panel's outline stays clean */
#define SCALE     3  /* texels per font pixel */
/* The action colour's swatch, at the end of the last row */
#define SWATCH_W 40
#define SWATCH_H (5 * SCALE)
#define SWATCH_X (256 - MARGIN - SWATCH_W)
#define SWATCH_Y (MARGIN + 4 * 21)

typedef struct rect {
    float r[4]; /* x0, y0, x1, y1 in panel pixels, y down */
    float color[4];
} rect;

/* linear RGBA; the panel's swapchain is sRGB when the runtime offers it, so the hardware encodes these */
static const float BACKGROUND[4] = {0.015f, 0.02f, 0.06f, 1.0f};
static const float TEXT[4] = {0.85f, 0.87f, 0.9f, 1.0f};
static const float TRACK[4] = {0.06f, 0.07f, 0.12f, 1.0f};
static const float GOOD[4] = {0.15f, 0.7f, 0.25f, 1.0f};
static const float LATE[4] = {0.9f, 0.12f, 0.08f, 1.0f};

/* 3x5 glyphs, one row per entry from the top, bit 2 = the left column. */
static const struct glyph {
    char c;
    uint8_t rows[5];
} font[] = {
    {'0', {7, 5, 5, 5, 7}}, {'1', {2, 6, 2, 2, 7}}, {'2', {7, 1, 7, 4, 7}}, {'3', {7, 1, 7, 1, 7}},
    {'4', {5, 5, 7, 1, 1}}, {'5', {7, 4, 7, 1, 7}}, {'6', {7, 4, 7, 5, 7}}, {'7', {7, 1, 1, 2, 2}},
    {'8', {7, 5, 7, 5, 7}}, {'9', {7, 5, 7, 1, 7}}, {'.', {0, 0, 0, 0, 2}}, {'-', {0, 0, 7, 0, 0}},
    {'A', {2, 5, 7, 5, 5}}, {'C', {7, 4, 4, 4, 7}}, {'E', {7, 4, 6, 4, 7}}, {'G', {7, 4, 5, 5, 7}},
    {'I', {7, 2, 2, 2, 7}}, {'M', {5, 7, 7, 5, 5}}, {'P', {7, 5, 7, 4, 4}}, {'R', {6, 5, 6, 5, 5}},
    {'S', {7, 4, 7, 1, 7}}, {'U', {5, 5, 5, 5, 7}},
};

typedef struct rects {
    rect *r;
    uint32_t n;
} rects;

static void add_rect(rects *rs, float x0, float y0, float x1, float y1, const float color[4])
{
    if (rs->n >= MAX_RECTS) return;
    rect *r = &rs->r[rs->n++];
    r->r[0] = x0, r->r[1] = y0, r->r[2] = x1, r->r[3] = y1;
    memcpy(r->color, color, sizeof r->color);
}

/* Text at (x, y), the top-left of its first glyph; unknown characters leave a space. */
static void add_text(rects *rs, float x, float y, const char *s, const float color[4])
{
    for (; *s; s++, x += 4 * SCALE) {
        for (size_t g = 0; g < sizeof font / sizeof font[0]; g++) {
            if (font[g].c != *s) continue;
            for (int row = 0; row < 5; row++)
                for (int col = 0; col < 3; col++)
                    if (font[g].rows[row] & (4 >> col))
                        add_rect(rs, x + (float)(col * SCALE), y + (float)(row * SCALE),
                                 x + (float)((col + 1) * SCALE), y + (float)((row + 1) * SCALE), color);
        }
    }
}

/* One row: a label, the value (4 characters at most) and a bar of value / full, red past `late`. */
static void add_row(rects *rs, int row, const char *label, double value, double full, double late)
{
    float y = (float)(MARGIN + row * 21);
    char text[16];
    if (value < 0)
        snprintf(text, sizeof text, "%s -", label);
    else
        snprintf(text, sizeof text, "%s %.*f", label,
                 value < 10    ? 2
                 : value < 100 ? 1
                               : 0,
                 value > 999 ? 999.0 : value);
    add_text(rs, (float)MARGIN, y, text, TEXT);
    float x0 = (float)MARGIN + 8 * 4 * SCALE + 8, x1 = 256.0f - MARGIN;
    add_rect(rs, x0, y, x1, y + 5 * SCALE, TRACK);
    if (value > 0 && full > 0) {
        double f = value / full > 1 ? 1 : value / full;
        add_rect(rs, x0, y, x0 + (float)f * (x1 - x0), y + 5 * SCALE, value > late ? LATE : GOOD);
    }
}

static VkResult panel_pipeline(engine *e, VkFormat format);

VkResult panel_init(engine *e)
{
    e->panel_width = 256;
    e->panel_height = 128;
    plx_quad_desc d = {
        .width = e->panel_width,
        .height = e->panel_height,
        .size_m = {e->panel_size[0], e->panel_size[1]},
        .position = {e->panel_position[0], e->panel_position[1], e->panel_position[2]},
        .orientation = {e->panel_orientation[0], e->panel_orientation[1], e->panel_orientation[2],
                        e->panel_orientation[3]},
        .lock = PLX_QUAD_WORLD,
        .clear_color = {BACKGROUND[0], BACKGROUND[1], BACKGROUND[2], BACKGROUND[3]},
    };
    if (plx_quad_create(e->ctx, &d, &e->quad) != PLX_SUCCESS) {
        fprintf(stderr, "parallax-engine: plx_quad_create: %s\n", plx_last_error(e->ctx));
        return VK_ERROR_INITIALIZATION_FAILED;
    }
    for (uint32_t s = 0; s < e->vk.frames_in_flight; s++) {
        VkResult r = buffer_create(e, sizeof(rect) * MAX_RECTS, VK_BUFFER_USAGE_VERTEX_BUFFER_BIT,
                                   VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                                   &e->slots[s].panel_rects);
        if (r != VK_SUCCESS) return r;
    }
    VkPushConstantRange pcr = {VK_SHADER_STAGE_VERTEX_BIT, 0, 2 * sizeof(float)};
    VkPipelineLayoutCreateInfo pl = {.sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
                                     .pushConstantRangeCount = 1,
                                     .pPushConstantRanges = &pcr};
    VkResult r = vkCreatePipelineLayout(e->vk.device, &pl, NULL, &e->panel_layout);
    if (!vk_ok(r, "vkCreatePipelineLayout")) return r;
    /* The quad's swapchain has the context's colour format (plx_quad_create): make the pipeline now, not in
     * the first frame (panel_record makes it again if a runtime gave another). */
    return panel_pipeline(e, e->vk.color_format);
}

/* The render pass and pipeline for the panel image's format. */
static VkResult panel_pipeline(engine *e, VkFormat format)
{
    if (e->panel_pipeline && e->panel_format == format) return VK_SUCCESS;
    if (e->panel_pipeline) {
        /* A recovery brought another format: the old objects may still be in use by earlier frames. */
        plx_wait_gpu_idle(e->ctx);
        vkDestroyPipeline(e->vk.device, e->panel_pipeline, NULL);
        vkDestroyRenderPass(e->vk.device, e->panel_pass, NULL);
        e->panel_pipeline = VK_NULL_HANDLE;
        e->panel_pass = VK_NULL_HANDLE;
    }
    /* Load op LOAD in COLOR_ATTACHMENT_OPTIMAL: plx_quad_acquire has cleared the image to the background. */
    VkResult r = color_render_pass(e, format, VK_ATTACHMENT_LOAD_OP_LOAD,
                                   VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, 0, &e->panel_pass);
    if (r != VK_SUCCESS) return r;
    const VkVertexInputAttributeDescription va[2] = {
        {0, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(rect, r)},
        {1, 0, VK_FORMAT_R32G32B32A32_SFLOAT, offsetof(rect, color)}};
    pipeline_desc pd = {.render_pass = e->panel_pass,
                        .layout = e->panel_layout,
                        .vs = panel_vert,
                        .vs_size = sizeof panel_vert,
                        .fs = panel_frag,
                        .fs_size = sizeof panel_frag,
                        .vertex_stride = sizeof(rect),
                        .vertex_rate = VK_VERTEX_INPUT_RATE_INSTANCE, /* one rectangle per instance */
                        .attributes = va,
                        .attribute_count = 2,
                        .samples = VK_SAMPLE_COUNT_1_BIT};
    r = graphics_pipeline(e, &pd, &e->panel_pipeline);
    if (r == VK_SUCCESS) e->panel_format = format;
    return r;
}

plx_result panel_record(engine *e, const plx_frame *f, const panel_stats *st)
{
    slot *s = &e->slots[f->slot];
    plx_quad_image im;
    plx_result pr = plx_quad_acquire(e->quad, f, &im);
    if (pr != PLX_SUCCESS) return pr;
    if (panel_pipeline(e, im.format) != VK_SUCCESS) return PLX_ERROR_VULKAN;

    rects rs = {.r = s->panel_rects.map};
    add_row(&rs, 0, "CPU", st->cpu_ms, st->period_ms, 0.9 * st->period_ms);
    add_row(&rs, 1, "GPU", st->gpu_ms, st->period_ms, 0.9 * st->period_ms);
    add_row(&rs, 2, "AGE", st->age_ms, 3 * st->period_ms, 2.5 * st->period_ms);
    add_row(&rs, 3, "ERR", st->error_deg, 1.0, 0.5);
    char miss[16];
    snprintf(miss, sizeof miss, "MISS %llu", (unsigned long long)(st->misses > 99999 ? 99999 : st->misses));
    float y = (float)(MARGIN + 4 * 21);
    add_text(&rs, (float)MARGIN, y, miss, st->misses ? LATE : TEXT);
    /* The action colour (the trigger's), as a swatch at the end of the last row. */
    const float accent[4] = {st->accent[0], st->accent[1], st->accent[2], 1.0f};
    add_rect(&rs, SWATCH_X, SWATCH_Y, SWATCH_X + SWATCH_W, SWATCH_Y + SWATCH_H, accent);

    VkFramebufferCreateInfo fci = {.sType = VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO,
                                   .renderPass = e->panel_pass,
                                   .attachmentCount = 1,
                                   .pAttachments = &im.view,
                                   .width = im.width,
                                   .height = im.height,
                                   .layers = 1};
    if (!vk_ok(vkCreateFramebuffer(e->vk.device, &fci, NULL, &s->panel_framebuffer), "vkCreateFramebuffer"))
        return PLX_ERROR_VULKAN;
    VkCommandBuffer cmd = f->pre_cmd;
    VkRenderPassBeginInfo rb = {.sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
                                .renderPass = e->panel_pass,
                                .framebuffer = s->panel_framebuffer,
                                .renderArea = {.extent = {im.width, im.height}}};
    vkCmdBeginRenderPass(cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
    set_viewport(cmd, im.width, im.height);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, e->panel_pipeline);
    const float size[2] = {(float)e->panel_width, (float)e->panel_height};
    vkCmdPushConstants(cmd, e->panel_layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof size, size);
    VkDeviceSize offset = 0;
    vkCmdBindVertexBuffers(cmd, 0, 1, &s->panel_rects.buffer, &offset);
    vkCmdDraw(cmd, 6, rs.n, 0, 0);
    vkCmdEndRenderPass(cmd);
    e->panel_draws++;
    return PLX_SUCCESS;
}

void panel_fini(engine *e)
{
    VkDevice dev = e->vk.device;
    for (uint32_t s = 0; s < MAX_SLOTS; s++) {
        if (e->slots[s].panel_framebuffer) vkDestroyFramebuffer(dev, e->slots[s].panel_framebuffer, NULL);
        e->slots[s].panel_framebuffer = VK_NULL_HANDLE;
        buffer_destroy(e, &e->slots[s].panel_rects);
    }
    if (e->panel_pipeline) vkDestroyPipeline(dev, e->panel_pipeline, NULL);
    if (e->panel_pass) vkDestroyRenderPass(dev, e->panel_pass, NULL);
    if (e->panel_layout) vkDestroyPipelineLayout(dev, e->panel_layout, NULL);
    plx_quad_destroy(&e->quad);
}

/* v rotated by the unit quaternion q (x, y, z, w). */
static void rotate(const double q[4], const double v[3], double out[3])
{
    double c1[3] = {q[1] * v[2] - q[2] * v[1], q[2] * v[0] - q[0] * v[2], q[0] * v[1] - q[1] * v[0]};
    double c2[3] = {q[1] * c1[2] - q[2] * c1[1], q[2] * c1[0] - q[0] * c1[2], q[0] * c1[1] - q[1] * c1[0]};
    for (int i = 0; i < 3; i++) out[i] = v[i] + 2 * q[3] * c1[i] + 2 * c2[i];
}

/* Where the point (x, y) of the panel's image (texels, y down) projects in one eye of views, in pixels. */
static void project_texel(const engine *e, const plx_view *v, double x, double y, uint32_t eye_w,
                          uint32_t eye_h, double out[2])
{
    const double q[4] = {e->panel_orientation[0], e->panel_orientation[1], e->panel_orientation[2],
                         e->panel_orientation[3]};
    const double inv[4] = {-v->orientation[0], -v->orientation[1], -v->orientation[2], v->orientation[3]};
    /* The quad's image spans its size centred on its pose: u along +x, v along -y. */
    double local[3] = {(x / e->panel_width - 0.5) * e->panel_size[0],
                       (0.5 - y / e->panel_height) * e->panel_size[1], 0};
    double world[3], d[3], eye_space[3];
    rotate(q, local, world);
    for (int i = 0; i < 3; i++) d[i] = world[i] + e->panel_position[i] - v->position[i];
    rotate(inv, d, eye_space);
    /* The simulated headset's (and the spec's) pixel geometry: column x covers [x, x + 1). */
    double tx = eye_space[0] / -eye_space[2], ty = eye_space[1] / -eye_space[2];
    double tl = tan(v->fov.angle_left), tr = tan(v->fov.angle_right), tu = tan(v->fov.angle_up),
           td = tan(v->fov.angle_down);
    out[0] = (tx - tl) / (tr - tl) * eye_w;
    out[1] = (tu - ty) / (tu - td) * eye_h;
}

void panel_project(const engine *e, const plx_view views[2], uint32_t eye_w, uint32_t eye_h, double out[2][4])
{
    for (int eye = 0; eye < 2; eye++) {
        double *b = out[eye];
        b[0] = b[1] = 1e9, b[2] = b[3] = -1e9;
        for (int k = 0; k < 4; k++) {
            double p[2];
            project_texel(e, &views[eye], k & 1 ? e->panel_width : 0, k & 2 ? e->panel_height : 0, eye_w,
                          eye_h, p);
            b[0] = fmin(b[0], p[0]), b[1] = fmin(b[1], p[1]), b[2] = fmax(b[2], p[0]),
            b[3] = fmax(b[3], p[1]);
        }
    }
}

void panel_swatch_project(const engine *e, const plx_view views[2], uint32_t eye_w, uint32_t eye_h,
                          double out[2][2])
{
    for (int eye = 0; eye < 2; eye++)
        project_texel(e, &views[eye], SWATCH_X + SWATCH_W / 2.0, SWATCH_Y + SWATCH_H / 2.0, eye_w, eye_h,
                      out[eye]);
}
