/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: the composition layers a frame submits after its projection layer: quad layers on swapchains
 * of libparallax's own (made lazily on the current session, cleared when the app draws nothing) and the app's
 * raw XrCompositionLayer* structs, ordered, within the system's maxLayerCount. May call gpu/ and base/. */
#include <string.h>

#include "xr/plx_xr.h"

plx_result plx_layers_add_quad(plx_layers *ls, plx_xr_quad *q)
{
    if (ls->quad_count >= PLX_MAX_QUADS)
        return PLX_FAIL(ls->report, PLX_ERROR_UNSUPPORTED, "plx_quad_create: a context has at most %d quads",
                        PLX_MAX_QUADS);
    ls->quads[ls->quad_count++] = q;
    return PLX_SUCCESS;
}

void plx_layers_remove_quad(plx_layers *ls, plx_xr_quad *q, const plx_gpu *g)
{
    for (uint32_t i = 0; i < ls->quad_count; i++) {
        if (ls->quads[i] != q) continue;
        memmove(&ls->quads[i], &ls->quads[i + 1], (ls->quad_count - i - 1) * sizeof ls->quads[0]);
        ls->quad_count--;
        break;
    }
    /* A held image is given back first: a swapchain may be destroyed with one acquired, but the spec
     * prefers order and the runtime then has nothing outstanding. */
    if (q->held && q->waited) plx_swapchain_release(ls->report, &q->swapchain);
    q->held = q->waited = false;
    plx_swapchain_destroy(ls->report, g, &q->swapchain);
    q->has_content = false;
}

uint32_t plx_layers_count(const plx_layers *ls, uint32_t extra)
{
    uint32_t n = ls->raw_count + extra;
    for (uint32_t i = 0; i < ls->quad_count; i++) n += ls->quads[i]->visible ? 1 : 0;
    return n;
}

plx_result plx_layers_check_limit(plx_layers *ls, const plx_xr *xr, uint32_t more_quads, uint32_t more_raw,
                                  const char *fn)
{
    uint32_t quads = plx_layers_count(ls, 0) - ls->raw_count + more_quads;
    uint32_t raw = ls->raw_count + more_raw;
    uint32_t total = 1 + quads + raw;
    if (total <= xr->max_layer_count) return PLX_SUCCESS;
    return PLX_FAIL(
        ls->report, PLX_ERROR_INVALID_ARGUMENT,
        "%s: the frame would have %u composition layers (1 projection, %u visible quads, %u raw "
        "layers), more than the runtime's XrSystemGraphicsProperties.maxLayerCount %u: hide a quad "
        "(plx_quad_set_visible) or add fewer layers",
        fn, total, quads, raw, xr->max_layer_count);
}

static plx_result make_swapchain(plx_layers *ls, plx_xr_quad *q, const plx_xr *xr, const plx_gpu *g)
{
    if (q->swapchain.handle != XR_NULL_HANDLE && q->session_generation == xr->session_generation)
        return PLX_SUCCESS;
    /* A swapchain of an earlier session died with it (plx_layers_drop_swapchains let go of it). */
    if (q->swapchain.handle != XR_NULL_HANDLE) plx_swapchain_destroy(ls->report, g, &q->swapchain);
    q->has_content = q->held = q->waited = false;
    plx_result res =
        plx_swapchain_create(ls->report, g, xr->session, &q->swapchain, q->format,
                             XR_SWAPCHAIN_USAGE_COLOR_ATTACHMENT_BIT | XR_SWAPCHAIN_USAGE_TRANSFER_DST_BIT |
                                 XR_SWAPCHAIN_USAGE_SAMPLED_BIT,
                             q->width, q->height);
    if (res < 0) {
        plx_swapchain_destroy(ls->report, g, &q->swapchain);
        return res;
    }
    q->session_generation = xr->session_generation;
    return PLX_SUCCESS;
}

static void record_clear(const plx_xr_quad *q, VkCommandBuffer cmd)
{
    const VkImageSubresourceRange range = {
        .aspectMask = VK_IMAGE_ASPECT_COLOR_BIT, .levelCount = 1, .layerCount = 1};
    /* The image's earlier contents are not kept (a new acquire may give any image of the swapchain); the
     * compositor's reads of it ended before xrWaitSwapchainImage returned. */
    VkImageMemoryBarrier to_dst = {
        .sType = VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER,
        .srcAccessMask = 0,
        .dstAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT,
        .oldLayout = VK_IMAGE_LAYOUT_UNDEFINED,
        .newLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
        .srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED,
        .image = q->swapchain.images[q->index],
        .subresourceRange = range,
    };
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL,
                         0, NULL, 1, &to_dst);
    VkClearColorValue c;
    memcpy(c.float32, q->clear_color, sizeof c.float32);
    vkCmdClearColorImage(cmd, to_dst.image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, &c, 1, &range);
    /* XR_KHR_vulkan_enable: a colour swapchain image is released in COLOR_ATTACHMENT_OPTIMAL; the app's
     * render pass (if any) loads it from there. */
    VkImageMemoryBarrier to_att = to_dst;
    to_att.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    to_att.dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_READ_BIT | VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT |
                           VK_ACCESS_SHADER_READ_BIT;
    to_att.oldLayout = VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL;
    to_att.newLayout = VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT,
                         VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT |
                             VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT | VK_PIPELINE_STAGE_COMPUTE_SHADER_BIT,
                         0, 0, NULL, 0, NULL, 1, &to_att);
}

plx_result plx_xr_quad_acquire(plx_layers *ls, plx_xr_quad *q, const plx_xr *xr, const plx_gpu *g,
                               VkCommandBuffer cmd, uint64_t frame_index)
{
    if (q->held && q->held_frame == frame_index) return PLX_SUCCESS;
    plx_result res = make_swapchain(ls, q, xr, g);
    if (res < 0) return res;
    if ((res = plx_swapchain_acquire(ls->report, &q->swapchain, &q->index)) < 0) return res;
    q->held = true;
    q->waited = false;
    q->held_frame = frame_index;
    if ((res = plx_swapchain_wait(ls->report, &q->swapchain)) < 0) return res;
    q->waited = true;
    record_clear(q, cmd);
    return PLX_SUCCESS;
}

plx_result plx_layers_prepare(plx_layers *ls, const plx_xr *xr, const plx_gpu *g, VkCommandBuffer cmd,
                              uint64_t frame_index)
{
    for (uint32_t i = 0; i < ls->quad_count; i++) {
        plx_xr_quad *q = ls->quads[i];
        bool current =
            q->swapchain.handle != XR_NULL_HANDLE && q->session_generation == xr->session_generation;
        if (!q->visible || q->held || (current && q->has_content)) continue;
        plx_result res = plx_xr_quad_acquire(ls, q, xr, g, cmd, frame_index);
        if (res < 0) return res;
    }
    return PLX_SUCCESS;
}

plx_result plx_layers_release(plx_layers *ls)
{
    plx_result first = PLX_SUCCESS;
    for (uint32_t i = 0; i < ls->quad_count; i++) {
        plx_xr_quad *q = ls->quads[i];
        if (!q->held) continue;
        plx_result res = PLX_SUCCESS;
        if (!q->waited && (res = plx_swapchain_wait(ls->report, &q->swapchain)) >= 0) q->waited = true;
        if (res >= 0 && (res = plx_swapchain_release(ls->report, &q->swapchain)) >= 0) {
            q->held = q->waited = false;
            q->has_content = true;
        }
        if (res < 0 && first == PLX_SUCCESS) first = res;
    }
    return first;
}

void plx_layers_forget(plx_layers *ls)
{
    for (uint32_t i = 0; i < ls->quad_count; i++) ls->quads[i]->held = ls->quads[i]->waited = false;
    ls->raw_count = 0;
}

void plx_layers_drop_swapchains(plx_layers *ls, const plx_gpu *g)
{
    plx_layers_forget(ls);
    for (uint32_t i = 0; i < ls->quad_count; i++) {
        plx_xr_quad *q = ls->quads[i];
        /* Destroying is what the spec still allows on a lost session; its failure changes nothing. */
        for (uint32_t k = 0; k < q->swapchain.image_count; k++)
            vkDestroyImageView(g->vk.device, q->swapchain.views[k], NULL);
        if (q->swapchain.handle != XR_NULL_HANDLE) xrDestroySwapchain(q->swapchain.handle);
        memset(&q->swapchain, 0, sizeof q->swapchain);
        q->has_content = false;
    }
}

void plx_layers_frame_reset(plx_layers *ls)
{
    ls->raw_count = 0;
}

uint32_t plx_layers_build(plx_layers *ls, const plx_xr *xr, const XrCompositionLayerBaseHeader **out,
                          uint32_t max)
{
    const XrCompositionLayerBaseHeader *list[PLX_MAX_QUADS + PLX_MAX_RAW_LAYERS];
    int32_t order[PLX_MAX_QUADS + PLX_MAX_RAW_LAYERS];
    uint32_t n = 0;
    for (uint32_t i = 0; i < ls->quad_count; i++) {
        plx_xr_quad *q = ls->quads[i];
        /* Only a quad with a released image of the current session's swapchain may be named. */
        if (!q->visible || !q->has_content || q->swapchain.handle == XR_NULL_HANDLE ||
            q->session_generation != xr->session_generation)
            continue;
        q->layer = (XrCompositionLayerQuad){
            .type = XR_TYPE_COMPOSITION_LAYER_QUAD,
            .layerFlags = q->flags,
            .space = q->head_locked ? xr->view_space : xr->space,
            .eyeVisibility = q->eyes,
            .subImage = {.swapchain = q->swapchain.handle,
                         .imageRect = {{0, 0}, {(int32_t)q->width, (int32_t)q->height}},
                         .imageArrayIndex = 0},
            .pose = q->pose,
            .size = q->size,
        };
        list[n] = (const XrCompositionLayerBaseHeader *)&q->layer;
        order[n++] = q->order;
    }
    for (uint32_t i = 0; i < ls->raw_count; i++) {
        list[n] = ls->raw[i].layer;
        order[n++] = ls->raw[i].order;
    }
    /* Stable insertion sort: a handful of layers. */
    for (uint32_t i = 1; i < n; i++) {
        const XrCompositionLayerBaseHeader *l = list[i];
        int32_t o = order[i];
        uint32_t j = i;
        for (; j > 0 && order[j - 1] > o; j--) {
            list[j] = list[j - 1];
            order[j] = order[j - 1];
        }
        list[j] = l;
        order[j] = o;
    }
    uint32_t count = n < max ? n : max;
    memcpy(out, list, count * sizeof *out);
    return count;
}
