/* Dynamic resolution: the rendered viewport shrinks inside the fixed swapchain images to hold the frame rate.
 *
 * Why a viewport and not new swapchains: re-creating swapchains stalls the frame loop for several frames and
 * changes what the compositor holds; a smaller imageRect costs nothing to switch and takes effect on the
 * very next frame.
 *
 * The controller models a frame's GPU time as cost * scale^2 (fill-bound work) and steers the scale so the
 * GPU time meets a target fraction of the display period. A fixed per-frame overhead only changes where it
 * settles: the fixed point of scale' = scale * sqrt(target / gpu) is exactly gpu == target. The cost
 * estimate follows a rise quickly (a frame that overruns costs a missed vsync now) and a fall slowly (one
 * cheap frame is not a trend), and the scale climbs back at a bounded rate so a drop is not undone by the
 * frames still in flight, which were rendered before the controller reacted. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plx_internal.h"

#define DEFAULT_MIN_SCALE 0.5f
/* GPU time aimed at, as a fraction of the period: the rest is left to the CPU's part of the frame, the
 * compositor's lead and noise. On lavapipe the "GPU" shares the CPU cores with everything else and its frame
 * times spread in proportion to their mean: at 60% a loaded machine still missed about 1% of frames, at 50%
 * it did not. */
#define TARGET_FRACTION 0.5
/* Weight of a new measurement in the cost estimate when it is above / below the estimate. */
#define RISE_GAIN 0.6
#define FALL_GAIN 0.08
/* Largest scale increase per frame: min 0.5 -> 1 in 25 frames (0.28 s at 90 Hz). */
#define MAX_STEP_UP 0.02f
/* Scale changes smaller than this are not made: a viewport that shifts by a pixel every frame would
 * shimmer for nothing. */
#define DEAD_BAND 0.01f

void plx_resolution_controller_init(plx_resolution_controller *c, float min_scale)
{
    *c = (plx_resolution_controller){
        .scale = 1.0f,
        .min_scale = min_scale,
        .target = TARGET_FRACTION,
    };
}

float plx_resolution_controller_update(plx_resolution_controller *c, double gpu_ms, float rendered_scale,
                                       double period_ms)
{
    if (!isfinite(gpu_ms) || gpu_ms < 0 || !isfinite(rendered_scale) || rendered_scale <= 0 ||
        !isfinite(period_ms) || period_ms <= 0)
        return c->scale;
    /* The median of the last few frames: a lone slow frame (another process took the core) is not a load
     * change, while a real step shows in the median after half the window, a few tens of milliseconds. */
    c->recent[c->samples % PLX_RESOLUTION_MEDIAN] = gpu_ms / ((double)rendered_scale * rendered_scale);
    c->samples++;
    uint32_t n = c->samples < PLX_RESOLUTION_MEDIAN ? (uint32_t)c->samples : PLX_RESOLUTION_MEDIAN;
    double sorted[PLX_RESOLUTION_MEDIAN];
    memcpy(sorted, c->recent, n * sizeof sorted[0]);
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && sorted[j - 1] > sorted[j]; j--) {
            double t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    double cost = sorted[n / 2];
    if (c->samples == 1)
        c->cost_ms = cost;
    else
        c->cost_ms += (cost > c->cost_ms ? RISE_GAIN : FALL_GAIN) * (cost - c->cost_ms);

    double target_ms = c->target * period_ms;
    double want = c->cost_ms > 0 ? sqrt(target_ms / c->cost_ms) : 1.0;
    if (want > 1.0) want = 1.0;
    if (want < c->min_scale) want = c->min_scale;
    float w = (float)want;
    if (w < c->scale - DEAD_BAND) {
        c->scale = w; /* down at once: the next frames would miss */
    } else if (w > c->scale + DEAD_BAND || (w == 1.0f && c->scale < 1.0f)) {
        c->scale = w < c->scale + MAX_STEP_UP ? w : c->scale + MAX_STEP_UP;
    }
    return c->scale;
}

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
    r->scale = plx_resolution_controller_update(&r->controller, st->gpu_ms, r->slot_scale[i],
                                                (double)st->predicted_display_period * 1e-6);
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
