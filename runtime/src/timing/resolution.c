/* Dynamic resolution: the rendered viewport shrinks inside the fixed swapchain images to hold the frame rate.
 *
 * Why a viewport and not new swapchains: re-creating swapchains stalls the frame loop for several frames and
 * changes what the compositor holds; a smaller imageRect costs nothing to switch and takes effect on the
 * very next frame.
 *
 * This file ties the controller (resolution_controller.c, pure logic) to the frame loop: it feeds each
 * frame's GPU time, once known, with the scale the frame was rendered at and its predicted display time, and
 * sizes the viewport of the frames begun. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plx_context.h"

#define DEFAULT_MIN_SCALE 0.5f

static bool dynamic_from_env(plx_context *ctx, bool dflt)
{
    const char *v = getenv("PARALLAX_DYNAMIC_RESOLUTION");
    if (!v || !*v) return dflt;
    if (strcmp(v, "0") == 0) return false;
    if (strcmp(v, "1") == 0) return true;
    plx_log(ctx, PLX_LOG_ERROR, "PARALLAX_DYNAMIC_RESOLUTION=%.64s is not valid: expected 0|1 (using %d)", v,
            dflt ? 1 : 0);
    return dflt;
}

plx_result plx_resolution_init(plx_context *ctx, const plx_context_desc *desc)
{
    float min_scale = desc->min_render_scale;
    if (min_scale == 0.0f) min_scale = DEFAULT_MIN_SCALE;
    if (!(min_scale >= 0.1f && min_scale <= 1.0f))
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.min_render_scale %g is outside 0.1..1 (0 = default 0.5)",
                        (double)desc->min_render_scale);
    plx_resolution *r = &ctx->resolution;
    *r = (plx_resolution){.scale = 1.0f, .dynamic = dynamic_from_env(ctx, desc->dynamic_resolution)};
    plx_resolution_controller_init(&r->controller, min_scale);
    return PLX_SUCCESS;
}

static uint32_t scaled(uint32_t size, float scale)
{
    uint32_t s = (uint32_t)lroundf((float)size * scale);
    return s < 1 ? 1 : s > size ? size : s;
}

/* Feeds the slot's last frame to the controller if its GPU time is known. */
static void feed_slot(plx_context *ctx, uint32_t i)
{
    plx_resolution *r = &ctx->resolution;
    const plx_frame_slot *slot = &ctx->slots[i];
    if (!r->slot_pending[i]) return;
    if (slot->frame_index != r->slot_frame[i] || slot->stats_pos >= ctx->frames_ended ||
        ctx->frames_ended - slot->stats_pos > PLX_STATS_RING) {
        r->slot_pending[i] = false; /* never committed (xrEndFrame failed) or long gone */
        return;
    }
    const plx_frame_stats *st = &ctx->stats[slot->stats_pos % PLX_STATS_RING];
    if (st->index != r->slot_frame[i]) {
        r->slot_pending[i] = false;
        return;
    }
    if (st->gpu_ms < 0) {
        /* Harvested without a time (no timestamps, or the query failed): nothing to learn from it. */
        if (!slot->in_flight) r->slot_pending[i] = false;
        return;
    }
    r->slot_pending[i] = false;
    if (!r->dynamic) return;
    r->scale =
        plx_resolution_controller_update(&r->controller, st->predicted_display_time, st->gpu_ms,
                                         r->slot_scale[i], (double)st->predicted_display_period * 1e-6);
}

void plx_resolution_begin_frame(plx_context *ctx, const plx_frame *frame)
{
    plx_resolution *r = &ctx->resolution;
    if (r->dynamic && !ctx->timestamps && !r->warned_no_timestamps) {
        plx_log(ctx, PLX_LOG_WARN,
                "dynamic resolution: the device writes no timestamps; the scale stays %.2f",
                (double)r->scale);
        r->warned_no_timestamps = true;
    }
    /* Oldest first, so the controller sees the frames in the order they were rendered: this frame's slot
     * last held the frame frames_in_flight ago (harvested when its fence was waited), the next slots the
     * newer ones (fed once harvested). */
    for (uint32_t k = 0; k < ctx->frames_in_flight; k++)
        feed_slot(ctx, (frame->slot + k) % ctx->frames_in_flight);
    r->width = scaled(ctx->eye_width, r->scale);
    r->height = scaled(ctx->eye_height, r->scale);
    r->slot_scale[frame->slot] = r->scale;
    r->slot_frame[frame->slot] = frame->index;
    r->slot_pending[frame->slot] = ctx->timestamps;
}

plx_result plx_set_render_scale(plx_context *ctx, float scale)
{
    if (!ctx) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_set_render_scale: ctx is NULL");
    if (!(scale > 0.0f && scale <= 1.0f))
        return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_set_render_scale: scale %g is outside (0, 1]",
                        (double)scale);
    ctx->resolution.dynamic = false;
    ctx->resolution.scale = scale;
    return PLX_SUCCESS;
}

plx_result plx_set_dynamic_resolution(plx_context *ctx, bool enabled)
{
    if (!ctx) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_set_dynamic_resolution: ctx is NULL");
    plx_resolution *r = &ctx->resolution;
    if (enabled && ctx->device != VK_NULL_HANDLE && !ctx->timestamps)
        return PLX_FAIL(ctx, PLX_ERROR_UNSUPPORTED,
                        "plx_set_dynamic_resolution: the device writes no timestamps to measure GPU time");
    if (enabled && !r->dynamic) {
        /* Continue from the scale in use, below the controller's floor only if set there by hand. */
        r->controller.scale = r->scale;
        r->controller.samples = 0;
    }
    r->dynamic = enabled;
    return PLX_SUCCESS;
}

float plx_get_render_scale(const plx_context *ctx)
{
    return ctx ? ctx->resolution.scale : 1.0f;
}

bool plx_get_dynamic_resolution(const plx_context *ctx)
{
    return ctx && ctx->resolution.dynamic;
}
