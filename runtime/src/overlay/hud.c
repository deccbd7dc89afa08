/* SPDX-License-Identifier: MIT */
/* Layer 5, overlay: the in-headset HUD (PARALLAX_HUD=1, desc.hud or plx_set_hud): a head-locked panel in the
 * lower part of the view with a graph of the last 128 frames' CPU, GPU and total time against the frame
 * budget, and beside it text readouts: pose age at photon, pose error (p50, p99), the miss count and up to
 * PLX_HUD_VALUE_COUNT values of the app's. It is drawn into the app's multiview pass by plx_frame_end, after
 * the app's draws and before the pass ends, so it costs one small draw and needs no layer of its own. The
 * samples and the text (glyph indices; the 3x5 font is a table in hud.frag, no texture) go to a host-visible
 * uniform buffer per frame slot (the slot's previous frame has finished when its fence was waited). May call
 * telemetry/ (the statistics it shows), gpu/ (buffers) and base/. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hud.frag.spv.h"
#include "hud.vert.spv.h"
#include "overlay/plx_overlay.h"

#define HUD_SAMPLES 128
/* The readouts' window (about a second at 90 Hz) and how often they are recomputed (ten times a second at
 * 90 Hz: steady enough to read, live enough to follow a change). */
#define HUD_READOUT_WINDOW 90
#define HUD_READOUT_EVERY  9

typedef struct hud_uniforms {
    float info[4];                  /* budget ms, full-scale ms, missed frames, samples used */
    float value[HUD_SAMPLES][4];    /* cpu ms, gpu ms, total ms, missed */
    uint32_t text[PLX_HUD_ROWS][4]; /* per row 16 glyph indices, one byte each, low byte first (13 used) */
    float text_info[4];             /* rows used */
} hud_uniforms;

typedef struct hud_push {
    float rect[4];  /* head space centre x, y, half width, half height (metres) */
    float depth[4]; /* x: distance ahead */
} hud_push;

struct plx_hud {
    plx_report *report;
    VkDevice device;
    VkDescriptorSetLayout set_layout;
    VkPipelineLayout layout;
    VkPipeline pipeline;
    VkDescriptorPool pool;
    VkBuffer buffer[PLX_MAX_FRAMES_IN_FLIGHT];
    VkDeviceMemory memory[PLX_MAX_FRAMES_IN_FLIGHT];
    hud_uniforms *mapped[PLX_MAX_FRAMES_IN_FLIGHT];
    VkDescriptorSet set[PLX_MAX_FRAMES_IN_FLIGHT];
    char builtin[4][PLX_HUD_COLUMNS]; /* the readouts, as of readout_frame */
    uint64_t readout_frame;
    bool readout_valid;
};

static plx_result create_module(plx_hud *hud, const uint32_t *code, size_t size, VkShaderModule *out)
{
    VkShaderModuleCreateInfo ci = {
        .sType = VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO, .codeSize = size, .pCode = code};
    return PLX_VK(hud->report, vkCreateShaderModule(hud->device, &ci, NULL, out));
}

static plx_result create_pipeline(plx_hud *hud, VkRenderPass render_pass, VkSampleCountFlagBits samples)
{
    VkShaderModule vs = VK_NULL_HANDLE, fs = VK_NULL_HANDLE;
    plx_result res = create_module(hud, hud_vert_spv, sizeof hud_vert_spv, &vs);
    if (res >= 0) res = create_module(hud, hud_frag_spv, sizeof hud_frag_spv, &fs);
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
        /* In libparallax's pass (PLX_PASS_LIBRARY) with its samples; the overlay pass has 1. */
        .rasterizationSamples = samples,
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
        .renderPass = render_pass,
        .subpass = 0,
    };
    res = PLX_VK(hud->report,
                 vkCreateGraphicsPipelines(hud->device, VK_NULL_HANDLE, 1, &pi, NULL, &hud->pipeline));
done:
    vkDestroyShaderModule(hud->device, vs, NULL);
    vkDestroyShaderModule(hud->device, fs, NULL);
    return res;
}

plx_result plx_hud_create(plx_report *r, const plx_gpu *gpu, VkRenderPass render_pass, plx_hud **out_hud)
{
    *out_hud = NULL;
    if (!gpu->vk.device || !render_pass)
        return PLX_FAIL(r, PLX_ERROR_CALL_ORDER, "HUD: the context has no device or render pass yet");
    plx_hud *hud = calloc(1, sizeof *hud);
    if (!hud) return PLX_FAIL(r, PLX_ERROR_OUT_OF_MEMORY, "HUD: out of memory");
    hud->report = r;
    hud->device = gpu->vk.device;
    VkDescriptorSetLayoutBinding b = {
        .binding = 0,
        .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
        .descriptorCount = 1,
        .stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT,
    };
    VkDescriptorSetLayoutCreateInfo li = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO, .bindingCount = 1, .pBindings = &b};
    plx_result res = PLX_VK(r, vkCreateDescriptorSetLayout(hud->device, &li, NULL, &hud->set_layout));
    if (res < 0) goto fail;
    VkDescriptorSetLayout sets[2] = {gpu->frame_set_layout, hud->set_layout};
    VkPushConstantRange pc = {
        .stageFlags = VK_SHADER_STAGE_VERTEX_BIT, .offset = 0, .size = sizeof(hud_push)};
    VkPipelineLayoutCreateInfo pli = {
        .sType = VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO,
        .setLayoutCount = 2,
        .pSetLayouts = sets,
        .pushConstantRangeCount = 1,
        .pPushConstantRanges = &pc,
    };
    if ((res = PLX_VK(r, vkCreatePipelineLayout(hud->device, &pli, NULL, &hud->layout))) < 0) goto fail;
    /* In libparallax's pass (PLX_PASS_LIBRARY) with its samples; the overlay pass has 1. */
    VkSampleCountFlagBits samples = render_pass == gpu->render_pass ? gpu->samples : VK_SAMPLE_COUNT_1_BIT;
    if ((res = create_pipeline(hud, render_pass, samples)) < 0) goto fail;
    VkDescriptorPoolSize ps = {VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER, PLX_MAX_FRAMES_IN_FLIGHT};
    VkDescriptorPoolCreateInfo pi = {
        .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO,
        .maxSets = PLX_MAX_FRAMES_IN_FLIGHT,
        .poolSizeCount = 1,
        .pPoolSizes = &ps,
    };
    if ((res = PLX_VK(r, vkCreateDescriptorPool(hud->device, &pi, NULL, &hud->pool))) < 0) goto fail;
    for (uint32_t i = 0; i < gpu->frames_in_flight; i++) {
        res =
            plx_gpu_create_buffer(gpu, sizeof(hud_uniforms), VK_BUFFER_USAGE_UNIFORM_BUFFER_BIT,
                                  VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                                  &hud->buffer[i], &hud->memory[i]);
        if (res < 0) goto fail;
        void *mapped = NULL;
        res = PLX_VK(r, vkMapMemory(hud->device, hud->memory[i], 0, sizeof(hud_uniforms), 0, &mapped));
        if (res < 0) goto fail;
        hud->mapped[i] = mapped;
        memset(mapped, 0, sizeof(hud_uniforms));
        VkDescriptorSetAllocateInfo ai = {
            .sType = VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO,
            .descriptorPool = hud->pool,
            .descriptorSetCount = 1,
            .pSetLayouts = &hud->set_layout,
        };
        if ((res = PLX_VK(r, vkAllocateDescriptorSets(hud->device, &ai, &hud->set[i]))) < 0) goto fail;
        VkDescriptorBufferInfo bi = {.buffer = hud->buffer[i], .range = sizeof(hud_uniforms)};
        VkWriteDescriptorSet w = {
            .sType = VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET,
            .dstSet = hud->set[i],
            .descriptorCount = 1,
            .descriptorType = VK_DESCRIPTOR_TYPE_UNIFORM_BUFFER,
            .pBufferInfo = &bi,
        };
        vkUpdateDescriptorSets(hud->device, 1, &w, 0, NULL);
    }
    *out_hud = hud;
    return PLX_SUCCESS;
fail:
    plx_hud_destroy(&hud);
    return res;
}

/* ---------------------------------------------------------------- text */

int plx_hud_glyph(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'Z') return 10 + (c - 'A');
    switch (c) {
    case '.':
        return 36;
    case '-':
        return 37;
    case '/':
        return 38;
    case ':':
        return 39;
    case ' ':
        return 255;
    default:
        return -1;
    }
}

void plx_hud_format_value(double value, int decimals, int width, char *out)
{
    char buf[64];
    for (int d = decimals; d >= 0; d--) {
        int n = snprintf(buf, sizeof buf, "%*.*f", width, d, value);
        if (n > 0 && n <= width) {
            memcpy(out, buf, (size_t)n + 1);
            return;
        }
    }
    snprintf(out, (size_t)width + 1, "%*s", width, "OVER");
}

/* One row: text, padded with spaces to PLX_HUD_COLUMNS (longer text is cut). */
static void put_row(char row[PLX_HUD_COLUMNS], const char *text)
{
    size_t n = strlen(text);
    if (n > PLX_HUD_COLUMNS) n = PLX_HUD_COLUMNS;
    memset(row, ' ', PLX_HUD_COLUMNS);
    memcpy(row, text, n);
}

/* A readout row: label (4), value right-aligned in 5, space, unit; "--" while the value is unknown (< 0). */
static void readout_row(char row[PLX_HUD_COLUMNS], const char *label, double value, int decimals,
                        const char *unit)
{
    char v[8], text[32];
    if (value < 0)
        snprintf(v, sizeof v, "%5s", "--");
    else
        plx_hud_format_value(value, decimals, 5, v);
    snprintf(text, sizeof text, "%-4s%s %s", label, v, unit);
    put_row(row, text);
}

/* AGE (pose age at photon, p50), ERR and P99 (pose error p50, p99) over the last HUD_READOUT_WINDOW frames,
 * MISS (frames missed since creation). */
static void format_builtin(const plx_stats *s, char rows[4][PLX_HUD_COLUMNS])
{
    const double pct[2] = {50, 99};
    double age[2] = {-1, -1}, err[2] = {-1, -1};
    plx_stats_percentiles_of(s, PLX_STAT_PHOTON_AGE_MS, HUD_READOUT_WINDOW, pct, 1, age);
    plx_stats_percentiles_of(s, PLX_STAT_POSE_ERROR_DEG, HUD_READOUT_WINDOW, pct, 2, err);
    readout_row(rows[0], "AGE", age[0], 1, "MS");
    readout_row(rows[1], "ERR", err[0], 2, "DEG");
    readout_row(rows[2], "P99", err[1], 2, "DEG");
    char v[8], text[32];
    plx_hud_format_value((double)plx_stats_frames_missed(s), 0, 5, v);
    snprintf(text, sizeof text, "MISS%s", v);
    put_row(rows[3], text);
}

/* The app's values, in slot order: label (up to 5), space, value right-aligned in 7. Returns the rows. */
static uint32_t format_app(const plx_hud_values *values, char rows[PLX_HUD_VALUE_COUNT][PLX_HUD_COLUMNS])
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < PLX_HUD_VALUE_COUNT; i++) {
        const plx_hud_app_value *a = &values->v[i];
        if (!a->set) continue;
        char v[8], text[32];
        plx_hud_format_value(a->value, 2, 7, v);
        snprintf(text, sizeof text, "%-5s %s", a->label, v);
        put_row(rows[n++], text);
    }
    return n;
}

uint32_t plx_hud_format(const plx_stats *s, const plx_hud_values *values,
                        char out[PLX_HUD_ROWS][PLX_HUD_COLUMNS])
{
    format_builtin(s, out);
    return 4 + format_app(values, out + 4);
}

static void encode_rows(hud_uniforms *u, const char (*rows)[PLX_HUD_COLUMNS], uint32_t first, uint32_t count)
{
    for (uint32_t r = 0; r < count; r++) {
        uint32_t words[4] = {0, 0, 0, 0};
        for (uint32_t c = 0; c < 16; c++) {
            int g = c < PLX_HUD_COLUMNS ? plx_hud_glyph(rows[r][c]) : 255;
            words[c / 4] |= (uint32_t)(g < 0 ? 255 : g) << (8 * (c % 4));
        }
        memcpy(u->text[first + r], words, sizeof words);
    }
}

/* ---------------------------------------------------------------- per frame */

/* The samples of the last HUD_SAMPLES committed frames, right-aligned, and the text into the slot's buffer.
 * The frame loop has just patched in the newest GPU times. */
static void fill(plx_hud *hud, const plx_stats *s, const plx_hud_values *values, hud_uniforms *u,
                 int64_t period)
{
    uint64_t ended = plx_stats_frames_ended(s);
    uint32_t have = ended < HUD_SAMPLES ? (uint32_t)ended : HUD_SAMPLES;
    double budget = (double)period * 1e-6, peak = budget;
    for (uint32_t i = 0; i < have; i++) {
        const plx_frame_stats *st = plx_stats_newest(s, have - 1 - i);
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
    u->info[2] = (float)plx_stats_frames_missed(s);
    u->info[3] = (float)have;

    if (!hud->readout_valid || ended - hud->readout_frame >= HUD_READOUT_EVERY) {
        format_builtin(s, hud->builtin);
        hud->readout_frame = ended;
        hud->readout_valid = true;
    }
    char app_rows[PLX_HUD_VALUE_COUNT][PLX_HUD_COLUMNS];
    uint32_t napp = format_app(values, app_rows);
    encode_rows(u, (const char(*)[PLX_HUD_COLUMNS])hud->builtin, 0, 4);
    encode_rows(u, (const char(*)[PLX_HUD_COLUMNS])app_rows, 4, napp);
    u->text_info[0] = (float)(4 + napp);
}

void plx_hud_record(plx_hud *hud, const plx_stats *s, const plx_hud_values *values, const plx_frame *frame,
                    VkCommandBuffer cmd, VkDescriptorSet frame_set)
{
    fill(hud, s, values, hud->mapped[frame->slot], frame->predicted_display_period);
    /* The app may have changed the viewport; the HUD covers the frame's render area. */
    VkViewport vp = {0, 0, (float)frame->width, (float)frame->height, 0.0f, 1.0f};
    VkRect2D sc = {{0, 0}, {frame->width, frame->height}};
    vkCmdSetViewport(cmd, 0, 1, &vp);
    vkCmdSetScissor(cmd, 0, 1, &sc);
    vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, hud->pipeline);
    VkDescriptorSet sets[2] = {frame_set, hud->set[frame->slot]};
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, hud->layout, 0, 2, sets, 0, NULL);
    /* 0.6 m x 0.26 m at 0.9 m ahead, its centre 0.33 m below the eyes: the lower part of a 90 degree view,
     * readable without covering the centre. */
    hud_push push = {.rect = {0.0f, -0.33f, 0.30f, 0.13f}, .depth = {0.9f, 0, 0, 0}};
    vkCmdPushConstants(cmd, hud->layout, VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof push, &push);
    vkCmdDraw(cmd, 6, 1, 0, 0);
}

void plx_hud_destroy(plx_hud **phud)
{
    if (!phud || !*phud) return;
    plx_hud *hud = *phud;
    *phud = NULL;
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        if (hud->mapped[i]) vkUnmapMemory(hud->device, hud->memory[i]);
        vkDestroyBuffer(hud->device, hud->buffer[i], NULL);
        vkFreeMemory(hud->device, hud->memory[i], NULL);
    }
    vkDestroyDescriptorPool(hud->device, hud->pool, NULL);
    vkDestroyPipeline(hud->device, hud->pipeline, NULL);
    vkDestroyPipelineLayout(hud->device, hud->layout, NULL);
    vkDestroyDescriptorSetLayout(hud->device, hud->set_layout, NULL);
    free(hud);
}

plx_result plx_hud_values_set(plx_hud_values *values, plx_report *r, uint32_t index, const char *label,
                              double value)
{
    if (index >= PLX_HUD_VALUE_COUNT)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_hud_set_value: index %u is out of range (0 .. %d)", index,
                        PLX_HUD_VALUE_COUNT - 1);
    plx_hud_app_value *a = &values->v[index];
    if (!label) {
        *a = (plx_hud_app_value){0};
        return PLX_SUCCESS;
    }
    size_t n = strlen(label);
    if (n == 0 || n > PLX_HUD_LABEL_MAX)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_hud_set_value: label \"%.16s\" has %zu characters (1 .. %d)", label, n,
                        PLX_HUD_LABEL_MAX);
    char up[PLX_HUD_LABEL_MAX + 1];
    for (size_t i = 0; i < n; i++) {
        char c = label[i] >= 'a' && label[i] <= 'z' ? (char)(label[i] - 'a' + 'A') : label[i];
        if (plx_hud_glyph(c) < 0)
            return PLX_FAIL(
                r, PLX_ERROR_INVALID_ARGUMENT,
                "plx_hud_set_value: label \"%s\": character %zu (0x%02x) is not in the HUD's font "
                "(A-Z, 0-9, space . - / :)",
                label, i, (unsigned)(unsigned char)label[i]);
        up[i] = c;
    }
    up[n] = '\0';
    if (!isfinite(value))
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "plx_hud_set_value: value %g is not finite", value);
    a->set = true;
    memcpy(a->label, up, n + 1);
    a->value = value;
    return PLX_SUCCESS;
}
