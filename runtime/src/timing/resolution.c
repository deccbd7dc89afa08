/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: dynamic resolution: the rendered viewport shrinks inside the fixed swapchain images to
 * hold the frame rate.
 *
 * Why a viewport and not new swapchains: re-creating swapchains stalls the frame loop for several frames and
 * changes what the compositor holds; a smaller imageRect costs nothing to switch and takes effect on the
 * very next frame.
 *
 * This file ties the controller (resolution_controller.c, pure logic) to the frame loop: it feeds each
 * frame's GPU time, once known, with the scale the frame was rendered at and its predicted display time, and
 * sizes the viewport of the frames begun. The frame loop tells it each slot's completed frame (its GPU time);
 * it feeds them in the order they were rendered. May call the controller and base/. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "timing/plx_timing.h"

#define DEFAULT_MIN_SCALE 0.5f

static bool dynamic_from_env(const plx_report *r, bool dflt)
{
    const char *v = getenv("PARALLAX_DYNAMIC_RESOLUTION");
    if (!v || !*v) return dflt;
    if (strcmp(v, "0") == 0) return false;
    if (strcmp(v, "1") == 0) return true;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_DYNAMIC_RESOLUTION=%.64s is not valid: expected 0|1 (using %d)", v,
            dflt ? 1 : 0);
    return dflt;
}

plx_result plx_resolution_init(plx_resolution *r, plx_report *rep, const plx_context_desc *desc)
{
    float min_scale = desc->min_render_scale;
    if (min_scale == 0.0f) min_scale = DEFAULT_MIN_SCALE;
    if (!(min_scale >= 0.1f && min_scale <= 1.0f))
        return PLX_FAIL(rep, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_context_desc.min_render_scale %g is outside 0.1..1 (0 = default 0.5)",
                        (double)desc->min_render_scale);
    *r = (plx_resolution){
        .report = rep, .scale = 1.0f, .dynamic = dynamic_from_env(rep, desc->dynamic_resolution)};
    plx_resolution_controller_init(&r->controller, min_scale);
    return PLX_SUCCESS;
}

static uint32_t scaled(uint32_t size, float scale)
{
    uint32_t s = (uint32_t)lroundf((float)size * scale);
    return s < 1 ? 1 : s > size ? size : s;
}

void plx_resolution_slot_complete(plx_resolution *r, uint32_t slot, uint64_t frame_index, double gpu_ms,
                                  int64_t display_time, int64_t period)
{
    if (!r->slot_pending[slot] || r->slot_frame[slot] != frame_index) return;
    r->slot_done[slot] = true;
    r->slot_gpu_ms[slot] = gpu_ms;
    r->slot_display_time[slot] = display_time;
    r->slot_period[slot] = period;
}

/* Feeds the slot's last frame to the controller once it completed with a GPU time; one that completed
 * without (never committed because xrEndFrame failed, no timestamps, the query failed) is dropped. */
static void feed_slot(plx_resolution *r, uint32_t i)
{
    if (!r->slot_pending[i] || !r->slot_done[i]) return;
    r->slot_pending[i] = false;
    if (r->slot_gpu_ms[i] < 0 || !r->dynamic) return;
    r->scale = plx_resolution_controller_update(&r->controller, r->slot_display_time[i], r->slot_gpu_ms[i],
                                                r->slot_scale[i], (double)r->slot_period[i] * 1e-6);
}

void plx_resolution_begin_frame(plx_resolution *r, uint32_t slot, uint64_t frame_index,
                                uint32_t frames_in_flight, bool timestamps, uint32_t eye_width,
                                uint32_t eye_height)
{
    if (r->dynamic && !timestamps && !r->warned_no_timestamps) {
        plx_log(r->report, PLX_LOG_WARN,
                "dynamic resolution: the device writes no timestamps; the scale stays %.2f",
                (double)r->scale);
        r->warned_no_timestamps = true;
    }
    /* Oldest first, so the controller sees the frames in the order they were rendered: this frame's slot
     * last held the frame frames_in_flight ago (completed when its fence was waited), the next slots the
     * newer ones (fed once completed). */
    for (uint32_t k = 0; k < frames_in_flight; k++) feed_slot(r, (slot + k) % frames_in_flight);
    r->width = scaled(eye_width, r->scale);
    r->height = scaled(eye_height, r->scale);
    r->slot_scale[slot] = r->scale;
    r->slot_frame[slot] = frame_index;
    r->slot_pending[slot] = timestamps;
    r->slot_done[slot] = false;
}

void plx_resolution_extent(const plx_resolution *r, uint32_t *out_width, uint32_t *out_height)
{
    *out_width = r->width;
    *out_height = r->height;
}

void plx_resolution_set_scale(plx_resolution *r, float scale)
{
    r->dynamic = false;
    r->scale = scale;
}

void plx_resolution_set_dynamic(plx_resolution *r, bool enabled)
{
    if (enabled && !r->dynamic) {
        /* Continue from the scale in use, below the controller's floor only if set there by hand. */
        r->controller.scale = r->scale;
        r->controller.samples = 0;
    }
    r->dynamic = enabled;
}

float plx_resolution_scale(const plx_resolution *r)
{
    return r->scale;
}

bool plx_resolution_dynamic(const plx_resolution *r)
{
    return r->dynamic;
}
