/* SPDX-License-Identifier: MIT */
/* Layer 6, the frame loop, the one orchestrator: wait (+ pacing), begin (acquire, locate, record into one
 * multiview pass, or a pass per eye on an affected driver: gpu/multiview.c), end (late latch, submit,
 * release, xrEndFrame); and what a completed frame slot, a session state change or a recovery means to each
 * part. The layers below return facts (a slot signalled, a loss, an event) and this file tells the parts that
 * care. May call every layer below: overlay/, telemetry/, timing/, xr/, gpu/, base/. See DESIGN.md "The frame
 * loop".
 *
 * Failures. The loop keeps the runtime's side of the frame in progress (plx_loop: a frame waited but not
 * begun, a frame begun but not ended, each swapchain's image acquired and waited, the command buffer
 * recording) and, after any failure, settles it (settle()) so the next plx_frame_wait can go on and the
 * runtime never sees a call out of the spec's order: the command buffer is closed unsubmitted, the images
 * are released (an image whose wait failed is waited first: only a waited image may be released), a begun
 * frame is ended without layers, and a frame waited but not begun is begun and ended (xrWaitFrame blocks
 * until the previous frame has begun, so without that the next wait would never return). What fails while
 * settling is tried again at the next plx_frame_wait, before its xrWaitFrame. A failed xrEndFrame is not
 * repeated: whether the runtime ended that frame is unknown, and the next xrBeginFrame is legal either way
 * (it reports XR_FRAME_DISCARDED if the frame was still begun). */
#include <stdio.h>
#include <string.h>

#include "plx_context.h"
#include "plx_math.h"

_Static_assert(sizeof(plx_pose) == sizeof(XrPosef), "plx_pose mirrors XrPosef");

/* View and projection of one located view. */
static void view_from_xr(const plx_context *ctx, const XrView *xr, plx_view *out)
{
    plx_pose pose;
    memcpy(&pose, &xr->pose, sizeof pose);
    plx_pose_to_arrays(pose, out->position, out->orientation);
    out->fov = (plx_fov){xr->fov.angleLeft, xr->fov.angleRight, xr->fov.angleUp, xr->fov.angleDown};
    plx_mat4_view_from_pose(out->view, pose);
    plx_mat4_projection_fov(out->proj, xr->fov.angleLeft, xr->fov.angleRight, xr->fov.angleUp,
                            xr->fov.angleDown, ctx->config.near_z, ctx->config.far_z);
}

/* ---------------------------------------------------------------- a slot completed */

/* The slot's frame is done on the GPU (its fence was waited or seen signalled): each part that waits for
 * that fact learns it here, in this order: the latch check compares what the GPU read, the frame's record
 * gets its GPU times, the trace its GPU slice, the pacer when the frame was complete, dynamic resolution the
 * GPU time. */
static void slot_complete(plx_context *ctx, uint32_t slot)
{
    plx_gpu *g = &ctx->gpu;
    if (!plx_gpu_slot_busy(g, slot)) return;
    plx_gpu_slot_retire(g, slot);
    plx_latch_frame_complete(&ctx->latch, slot);
    uint64_t frame_index = plx_gpu_slot_frame(g, slot);
    /* Not in the ring (never committed because xrEndFrame failed, or long gone): nothing to patch. */
    plx_frame_stats *st = plx_stats_record(&ctx->stats, ctx->loop.slot_stats_pos[slot], frame_index);
    /* Every completed slot's watcher time is taken (it must be, before the fence is reset); only used
     * without timestamps (gpu/watch.c). */
    int64_t fence_seen = plx_time_from_host(&ctx->time, plx_gpu_watch_take(g, slot));
    plx_gpu_times t;
    if (st && plx_gpu_slot_times(g, slot, plx_time_to_host(&ctx->time, st->submit), &t)) {
        /* The GPU clock is calibrated against CLOCK_MONOTONIC; XrTime through the one conversion. */
        st->gpu_ms = t.gpu_ms;
        st->gpu_start = plx_time_from_host(&ctx->time, t.start_ns);
        st->gpu_end = plx_time_from_host(&ctx->time, t.end_ns);
        if (ctx->trace && st->gpu_start) plx_trace_gpu(ctx->trace, st);
    }
    /* The pacer learns when the frame was really complete: the calibrated GPU end, else when its fence was
     * seen signalled. */
    if (st) plx_pacing_frame_done(&ctx->pacing, st, st->gpu_end > 0 ? st->gpu_end : fence_seen);
    plx_resolution_slot_complete(&ctx->resolution, slot, frame_index, st ? st->gpu_ms : -1.0,
                                 st ? st->predicted_display_time : 0, st ? st->predicted_display_period : 0);
}

void plx_loop_harvest_ready(plx_context *ctx)
{
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        if (plx_gpu_slot_busy(&ctx->gpu, i) && plx_gpu_slot_signalled(&ctx->gpu, i)) slot_complete(ctx, i);
    }
}

void plx_loop_wait_idle(plx_context *ctx)
{
    if (!ctx->gpu.vk.device) return;
    /* Our own fences, not vkDeviceWaitIdle: the runtime may be using the queue from its compositor thread,
     * and vkDeviceWaitIdle would need us to own every queue. */
    for (uint32_t i = 0; i < PLX_MAX_FRAMES_IN_FLIGHT; i++) {
        if (!plx_gpu_slot_busy(&ctx->gpu, i)) continue;
        plx_gpu_slot_wait(&ctx->gpu, i);
        slot_complete(ctx, i);
    }
}

/* ---------------------------------------------------------------- settling after a failure */

/* Closes the half-recorded command buffer of the frame in progress without submitting it, so the framebuffer
 * and images it names may go; the slot's next use resets it. */
static void abandon_recording(plx_context *ctx)
{
    plx_loop *lp = &ctx->loop;
    if (!lp->recording) return;
    plx_gpu_slot_abandon(&ctx->gpu, lp->slot, lp->in_pass);
    lp->recording = false;
    lp->in_pass = false;
}

/* Gives one swapchain's image back: waited first if its wait failed (only a waited image may be released).
 * What fails stays noted for the next try. */
static plx_result give_back(plx_context *ctx, const plx_swapchain *s, plx_held_image *h)
{
    plx_result res = PLX_SUCCESS;
    if (h->acquired && !h->waited) {
        if ((res = plx_swapchain_wait(&ctx->report, s)) < 0) return res;
        h->waited = true;
    }
    if (h->acquired) {
        if ((res = plx_swapchain_release(&ctx->report, s)) < 0) return res;
        h->acquired = h->waited = false;
    }
    return PLX_SUCCESS;
}

/* Both images back; the first failure is returned, the other image is still tried. */
static plx_result release_images(plx_context *ctx)
{
    plx_loop *lp = &ctx->loop;
    plx_result res = give_back(ctx, &ctx->swapchains.color, &lp->color);
    plx_result r = give_back(ctx, &ctx->swapchains.depth, &lp->depth);
    if (res == PLX_SUCCESS) res = r;
    r = plx_layers_release(&ctx->layers); /* the quads' images (xr/layers.c) */
    return res < 0 ? res : r;
}

/* Brings the runtime's side of the frame loop back to "no frame outstanding" (see the comment at the top):
 *   PLX_SETTLE_CONTINUE: all of it, so the next xrWaitFrame may be called;
 *   PLX_SETTLE_STOPPING: the session is stopping (xrEndSession next, which resets the frame calls' order):
 *                        images back, a begun frame ended, a frame only waited forgotten;
 *   PLX_SETTLE_LOST:     the session is lost or about to be destroyed: no OpenXR call, everything forgotten.
 * The command buffer is closed in every case. Returns the first failure (CONTINUE and STOPPING). */
static plx_result settle(plx_context *ctx, plx_settle how)
{
    plx_loop *lp = &ctx->loop;
    abandon_recording(ctx);
    plx_layers_frame_reset(&ctx->layers); /* the app's raw layers were for this frame only */
    if (how == PLX_SETTLE_LOST) {
        lp->color = lp->depth = (plx_held_image){0};
        plx_layers_forget(&ctx->layers);
        lp->xr_waited = lp->xr_begun = false;
        return PLX_SUCCESS;
    }
    plx_result res = release_images(ctx);
    if (how == PLX_SETTLE_STOPPING) lp->xr_waited = false;
    if (lp->xr_waited) {
        XrFrameBeginInfo bi = {.type = XR_TYPE_FRAME_BEGIN_INFO};
        plx_result r = PLX_XR(&ctx->report, xrBeginFrame(ctx->xr.session, &bi));
        if (r < 0) return res < 0 ? res : r;
        lp->xr_waited = false;
        lp->xr_begun = true;
    }
    if (lp->xr_begun) {
        /* Ended without layers: nothing of it is shown. Tried once (see the comment at the top). */
        XrFrameEndInfo ei = {
            .type = XR_TYPE_FRAME_END_INFO,
            .displayTime = lp->display_time,
            .environmentBlendMode = ctx->xr.blend_mode,
        };
        plx_result r = PLX_XR(&ctx->report, xrEndFrame(ctx->xr.session, &ei));
        lp->xr_begun = false;
        if (res == PLX_SUCCESS) res = r;
    }
    return res;
}

/* A plx_frame_* call failed with res: the frame is over (plx_frame_wait comes next, parallax.h's rule), and
 * what it had with the runtime is settled now, as far as it goes. plx_last_error keeps naming res's failure
 * (settling's own failures are logged and retried by the next plx_frame_wait). */
static plx_result fail_frame(plx_context *ctx, plx_result res)
{
    plx_loop *lp = &ctx->loop;
    lp->phase = PLX_PHASE_IDLE;
    char error[sizeof ctx->report.last_error];
    snprintf(error, sizeof error, "%s", plx_report_last_error(&ctx->report));
    plx_result r = settle(ctx, PLX_SETTLE_CONTINUE);
    if (r < 0)
        plx_log(&ctx->report, PLX_LOG_WARN,
                "frame loop: settling after a failure: %s (retried by the next plx_frame_wait)",
                plx_report_last_error(&ctx->report));
    plx_report_restore_error(&ctx->report, error);
    return res;
}

/* The library drops the frame in progress (the session is stopping or lost): settled as `how` says; the app's
 * plx_frame_begin / plx_frame_end for it answer PLX_SESSION_NOT_RUNNING. */
static void drop(plx_context *ctx, plx_settle how)
{
    plx_loop *lp = &ctx->loop;
    /* The newest frame, whatever its phase: a plx_frame_begin that met the loss has already returned, and an
     * app that then calls plx_frame_end for it anyway is answered PLX_SESSION_NOT_RUNNING, harmlessly. */
    if (lp->frames_waited > 0) {
        lp->dropped = true;
        lp->dropped_index = lp->frames_waited - 1;
    }
    lp->phase = PLX_PHASE_IDLE;
    if (settle(ctx, how) < 0)
        plx_log(&ctx->report, PLX_LOG_WARN, "frame loop: the dropped frame was not settled: %s",
                plx_report_last_error(&ctx->report));
}

/* ---------------------------------------------------------------- wait */

plx_result plx_loop_wait(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_frame_wait: NULL argument");
    plx_loop *lp = &ctx->loop;
    if (plx_xr_should_quit(&ctx->xr)) return PLX_SHOULD_QUIT;
    if (!plx_xr_running(&ctx->xr)) {
        /* Nothing to pace against yet; a short sleep keeps a poll/wait loop from spinning a core. */
        plx_sleep_until_ns(plx_now_ns() + 10 * 1000000);
        return PLX_SESSION_NOT_RUNNING;
    }
    if (lp->phase != PLX_PHASE_IDLE)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER,
                        "plx_frame_wait: the previous frame was not ended (plx_frame_end)");
    /* What an earlier failure left unsettled (an image whose release failed, a frame whose xrBeginFrame
     * failed) is done first: xrWaitFrame would wait for ever for a frame that was never begun. */
    plx_result res = settle(ctx, PLX_SETTLE_CONTINUE);
    if (res < 0) return res;

    memset(frame, 0, sizeof *frame);
    XrFrameState fs;
    if (ctx->mirror) plx_mirror_present(ctx->mirror, &ctx->gpu); /* hands finished copies to its thread */
    /* The XrTime offset once per frame (base/plx_time.h): every timestamp of this frame uses it. */
    plx_time_refresh(&ctx->time);
    plx_stats_set_xr_time(&ctx->stats, plx_time_known(&ctx->time));
    int64_t wait_call = plx_time_now(&ctx->time); /* pacing measures the loop up to here */
    int64_t now = 0; /* when xrWaitFrame returned (earlier when it was waited ahead) */
    res = plx_pacing_wait(&ctx->pacing, ctx->xr.session, &fs, &now);
    if (res < 0) return res; /* no frame was waited: nothing to settle */
    lp->xr_waited = true;

    frame->index = lp->frames_waited++;
    /* The frame's identity for the calls that take it (plx_loop_check_frame): a copy of an older frame or a
     * garbage struct does not match. */
    uint32_t t = lp->tag_seed + (uint32_t)frame->index * 0x9E3779B9u;
    t ^= t >> 16;
    t *= 0x85EBCA6Bu;
    t ^= t >> 13;
    lp->frame_tag = t | 1u;
    frame->internal_state = lp->frame_tag;
    frame->predicted_display_time = fs.predictedDisplayTime;
    frame->predicted_display_period = fs.predictedDisplayPeriod;
    frame->should_render = fs.shouldRender;
    frame->slot = (uint32_t)(frame->index % ctx->config.frames_in_flight);
    lp->display_time = fs.predictedDisplayTime;
    lp->should_render = fs.shouldRender;
    lp->phase = PLX_PHASE_WAITED;

    lp->current = (plx_frame_stats){
        .index = frame->index,
        .predicted_display_time = fs.predictedDisplayTime,
        .predicted_display_period = fs.predictedDisplayPeriod,
        .wait_call = wait_call,
        .wait_return = now,
        .wake = now,
        .gpu_ms = -1.0,
    };
    /* Missed-frame detection: the previous frame's record is marked, the trace gets its marker. */
    const plx_frame_stats *missed = plx_stats_frame_waited(&ctx->stats, &lp->current);
    if (missed && ctx->trace) plx_trace_missed(ctx->trace, missed, plx_time_known(&ctx->time));
    /* Plans in every mode (estimates, miss and adaptive-runtime detection); sleeps only in JIT_LATCH. Guard
     * against runtime bugs (timing/guard.c): a display time in the past or an absurd period is clamped for
     * pacing (logged once); xrEndFrame still gets the time xrWaitFrame returned. */
    int64_t pace_time = fs.predictedDisplayTime, pace_period = fs.predictedDisplayPeriod;
    plx_timing_guard_apply(&ctx->guard, &ctx->report, &ctx->time, now, &pace_time, &pace_period);
    if (fs.shouldRender)
        res = plx_pacing_after_wait(&ctx->pacing, ctx->xr.session, wait_call, now, pace_time, pace_period,
                                    &lp->current.wake, &lp->current.begin);
    /* Waiting ahead (timing/pacing.c) begins the frame here, and then asks for the next frame's wait; a
     * failure on the way may come after the xrBeginFrame. */
    if (plx_pacing_take_begun_early(&ctx->pacing)) {
        lp->xr_waited = false;
        lp->xr_begun = true;
    }
    if (res < 0) return fail_frame(ctx, res);
    /* The frame's input (xr/actions.c): xrSyncActions after xrWaitFrame and the pacing sleep, so it is as
     * fresh as the frame's poses, before the app reads it; pose actions are located at this display time. A
     * loss it meets is in the report (plx_frame_wait hands it to recovery); another failure leaves the
     * actions inactive for this frame, not the frame failed. */
    plx_actions_frame(&ctx->actions, &ctx->xr, fs.predictedDisplayTime);
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- begin */

/* Locates both views at the frame's display time into the loop's views, frame->views and the slot's
 * uniforms. */
static plx_result locate_views(plx_context *ctx, plx_frame *frame, uint32_t slot)
{
    plx_loop *lp = &ctx->loop;
    XrViewLocateInfo li = {
        .type = XR_TYPE_VIEW_LOCATE_INFO,
        .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
        .displayTime = lp->display_time,
        .space = ctx->xr.space,
    };
    XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
    XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    uint32_t n = 0;
    plx_result res = PLX_XR(&ctx->report, xrLocateViews(ctx->xr.session, &li, &vs, 2, &n, views));
    if (res < 0) return res;
    if (n != 2) return PLX_FAIL(&ctx->report, PLX_ERROR_XR, "xrLocateViews returned %u views, expected 2", n);
    const XrViewStateFlags need = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    if ((vs.viewStateFlags & need) != need) {
        /* Tracking lost: keep the views already in the uniforms. If this frame located valid views at begin,
         * the GPU still uses them and they are submitted; otherwise the frame is ended without layers. */
        plx_log(&ctx->report, PLX_LOG_DEBUG, "xrLocateViews: views not valid (flags 0x%llx)",
                (unsigned long long)vs.viewStateFlags);
        return PLX_SUCCESS;
    }
    /* App-side prediction (when the runtime does not predict) replaces the poses before anything uses them,
     * so the uniforms and the layer carry the same predicted poses. */
    if ((res = plx_predict_views(&ctx->predict, &ctx->xr, lp->display_time, views)) < 0) return res;
    lp->views_valid = true;
    lp->views[0] = views[0];
    lp->views[1] = views[1];
    plx_frame_uniforms *u = ctx->gpu.slots[slot].ubo_mapped;
    for (int eye = 0; eye < 2; eye++) {
        view_from_xr(ctx, &views[eye], &frame->views[eye]);
        memcpy(u->view[eye], frame->views[eye].view, sizeof u->view[eye]);
        memcpy(u->proj[eye], frame->views[eye].proj, sizeof u->proj[eye]);
        memcpy(u->eye_position[eye], frame->views[eye].position, 3 * sizeof(float));
        u->eye_position[eye][3] = 1.0f;
    }
    u->time_s[0] = (float)((double)(lp->display_time - plx_xr_session_begin_time(&ctx->xr)) * 1e-9);
    u->time_s[1] = 0.0f; /* view 0 is the left eye */
    /* A pass per eye: the right eye's pass reads the same values with the eyes swapped (gpu/multiview.c). */
    if (ctx->gpu.pass_per_eye) plx_gpu_uniforms_right_first(&ctx->gpu.slots[slot]);
    return PLX_SUCCESS;
}

/* Begins one instance of libparallax's render pass on fb (contents: inline, or secondaries: the pass phase's
 * own, the app's threads', the HUD's). */
static void begin_pass(plx_context *ctx, VkCommandBuffer cmd, VkFramebuffer fb, VkSubpassContents contents)
{
    const float *cc = ctx->config.clear_color;
    VkClearValue clear[2] = {
        {.color = {.float32 = {cc[0], cc[1], cc[2], cc[3]}}},
        {.depthStencil = {.depth = 1.0f, .stencil = 0}},
    };
    uint32_t w = 0, h = 0;
    plx_resolution_extent(&ctx->resolution, &w, &h);
    VkRenderPassBeginInfo rb = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
        .renderPass = ctx->gpu.render_pass,
        .framebuffer = fb,
        .renderArea = {.extent = {w, h}},
        .clearValueCount = 2,
        .pClearValues = clear,
    };
    vkCmdBeginRenderPass(cmd, &rb, contents);
}

/* The command buffer the pass phase records into: the slot's secondary with a pass per eye (gpu/multiview.c)
 * or with the app's recording threads (plx_context_desc.pass_threads). */
static VkCommandBuffer pass_cmd(const plx_context *ctx, uint32_t slot)
{
    const plx_frame_slot *s = &ctx->gpu.slots[slot];
    return ctx->gpu.pass_in_secondary ? s->secondary : s->cmd;
}

/* The framebuffer of the one multiview pass (VK_NULL_HANDLE with a pass per eye: one per eye). */
static plx_result pass_framebuffer(plx_context *ctx, VkFramebuffer *out)
{
    *out = VK_NULL_HANDLE;
    if (ctx->gpu.pass_per_eye) return PLX_SUCCESS;
    return plx_swapchains_framebuffer(&ctx->swapchains, &ctx->gpu, ctx->loop.color_index,
                                      ctx->loop.depth_index, 0, out);
}

static plx_result record_begin(plx_context *ctx, plx_frame *frame)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    const plx_frame_slot *slot = &g->slots[frame->slot];
    bool library_pass = ctx->config.pass != PLX_PASS_APP;
    VkFramebuffer fb = VK_NULL_HANDLE;
    plx_result res = PLX_SUCCESS;
    if (library_pass && (res = pass_framebuffer(ctx, &fb)) < 0) return res;
    if ((res = plx_gpu_slot_begin(g, frame->slot)) < 0) return res;
    /* Recording from here: a failure below (the secondary's begin) is settled by closing what was begun. */
    lp->recording = true;
    uint32_t w = 0, h = 0;
    plx_resolution_extent(&ctx->resolution, &w, &h);
    VkCommandBuffer rec = slot->cmd;
    if (library_pass) {
        if (g->pass_in_secondary) {
            /* The pass phase is recorded into a secondary command buffer that the pass runs (each eye's
             * pass with a pass per eye), beside the app's threads' secondaries (end_pass). */
            if ((res = plx_gpu_slot_begin_secondary(g, frame->slot, false, fb)) < 0) return res;
            rec = slot->secondary;
            if (g->pass_threads) plx_gpu_pass_secondaries_open(g, frame->index);
        } else {
            begin_pass(ctx, slot->cmd, fb, VK_SUBPASS_CONTENTS_INLINE);
        }
        /* Dynamic resolution: only the scaled area at the top-left of each eye is rendered
         * (timing/resolution.c). */
        plx_gpu_record_render_area(rec, w, h);
        lp->in_pass = true;
    }
    frame->cmd = rec;
    frame->pre_cmd = slot->pre;
    frame->frame_set = slot->set;
    frame->uniform_buffer = slot->ubo;
    frame->width = w;
    frame->height = h;
    lp->post_phase = false;
    lp->latched_per_eye = false;
    return PLX_SUCCESS;
}

/* Acquires and waits one swapchain's image, noting each step so settle() can give it back. */
static plx_result acquire_image(plx_context *ctx, const plx_swapchain *s, plx_held_image *h)
{
    plx_result res = plx_swapchain_acquire(&ctx->report, s, &h->index);
    if (res < 0) return res;
    h->acquired = true;
    if ((res = plx_swapchain_wait(&ctx->report, s)) < 0) return res;
    h->waited = true;
    return PLX_SUCCESS;
}

/* The rest of plx_frame_begin once the frame is begun: GPU slot, images, views, commands. */
static plx_result begin_rendering(plx_context *ctx, plx_frame *frame)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    plx_swapchains *sc = &ctx->swapchains;
    plx_result res = PLX_SUCCESS;
    if (plx_gpu_slot_busy(g, frame->slot)) {
        /* The slot's previous frame must be done before its command buffer and uniforms are reused. */
        if ((res = plx_gpu_slot_wait(g, frame->slot)) < 0) return res;
        slot_complete(ctx, frame->slot);
    }
    if ((res = plx_gpu_slot_reset_fence(g, frame->slot)) < 0) return res;
    plx_resolution_begin_frame(&ctx->resolution, frame->slot, frame->index, ctx->config.frames_in_flight,
                               g->vk.timestamps, sc->eye_width, sc->eye_height);
    if ((res = acquire_image(ctx, &sc->color, &lp->color)) < 0) return res;
    lp->color_index = lp->color.index;
    if (sc->depth.handle != XR_NULL_HANDLE) {
        if ((res = acquire_image(ctx, &sc->depth, &lp->depth)) < 0) return res;
        lp->depth_index = lp->depth.index;
    }
    if ((res = locate_views(ctx, frame, frame->slot)) < 0) return res;
    lp->current.latch = plx_time_now(&ctx->time);
    return record_begin(ctx, frame);
}

plx_result plx_loop_begin(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_frame_begin: NULL argument");
    plx_loop *lp = &ctx->loop;
    /* The session stopped or was lost after plx_frame_wait: the library has dropped the frame. */
    if (plx_loop_frame_dropped(ctx, frame)) return PLX_SESSION_NOT_RUNNING;
    if (lp->phase != PLX_PHASE_WAITED)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER, "plx_frame_begin: call plx_frame_wait first");
    plx_result chk = plx_loop_check_frame(ctx, frame, "plx_frame_begin");
    if (chk < 0) return chk;
    /* Waiting ahead (timing/pacing.c), plx_frame_wait already began the frame. */
    if (!lp->xr_begun) {
        XrFrameBeginInfo bi = {.type = XR_TYPE_FRAME_BEGIN_INFO};
        plx_result res = PLX_XR(&ctx->report, xrBeginFrame(ctx->xr.session, &bi));
        /* Not begun: it stays waited, and the next plx_frame_wait begins and ends it before its own wait. */
        if (res < 0) return fail_frame(ctx, res);
        lp->xr_waited = false;
        lp->xr_begun = true;
        lp->current.begin = plx_time_now(&ctx->time);
    }
    /* XR_FRAME_DISCARDED only says an earlier begun frame was never ended; this one proceeds normally. */
    lp->phase = PLX_PHASE_BEGUN;
    lp->recording = false;
    lp->in_pass = false;
    lp->post_phase = false;
    lp->views_valid = false;
    lp->slot = frame->slot;
    if (!lp->should_render) return PLX_FRAME_SKIPPED;
    plx_result res = begin_rendering(ctx, frame);
    if (res < 0) return fail_frame(ctx, res);
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- end */

/* The HUD over the app's draws, with the newest GPU times (harvested without waiting), into cmd (inside the
 * render pass the HUD's pipeline was made for). */
static void record_hud(plx_context *ctx, plx_frame *frame, VkCommandBuffer cmd)
{
    plx_loop_harvest_ready(ctx);
    plx_hud_record(ctx->hud, &ctx->stats, &ctx->hud_values, frame, cmd, ctx->gpu.slots[frame->slot].set);
}

/* The pass, run from secondaries (n of them in list, in order): one multiview pass; or, with a pass per eye,
 * the left eye's pass, then, with the right-first uniforms copied in (the right eye is view 0), the right
 * eye's pass, each eye's latch check reading view 0 right after its pass. later_reads: a later phase reads
 * the uniforms (a post phase, the HUD overlay), so they are put back as written. */
static plx_result record_passes(plx_context *ctx, plx_frame *frame, const VkCommandBuffer *list, uint32_t n,
                                bool later_reads)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    const plx_frame_slot *slot = &g->slots[frame->slot];
    plx_result res = PLX_SUCCESS;
    if (!g->pass_per_eye) {
        VkFramebuffer fb = VK_NULL_HANDLE;
        if ((res = pass_framebuffer(ctx, &fb)) < 0) return res;
        begin_pass(ctx, slot->cmd, fb, VK_SUBPASS_CONTENTS_SECONDARY_COMMAND_BUFFERS);
        vkCmdExecuteCommands(slot->cmd, n, list);
        vkCmdEndRenderPass(slot->cmd);
        return PLX_SUCCESS;
    }
    for (uint32_t eye = 0; eye < 2; eye++) {
        VkFramebuffer fb = VK_NULL_HANDLE;
        res = plx_swapchains_framebuffer(&ctx->swapchains, g, lp->color_index, lp->depth_index, eye, &fb);
        if (res < 0) return res;
        if (eye == 1) plx_gpu_record_uniforms_switch(slot->cmd, slot->ubo, true);
        begin_pass(ctx, slot->cmd, fb, VK_SUBPASS_CONTENTS_SECONDARY_COMMAND_BUFFERS);
        vkCmdExecuteCommands(slot->cmd, n, list);
        vkCmdEndRenderPass(slot->cmd);
        plx_latch_record(&ctx->latch, frame->slot, slot->cmd, (int)eye);
    }
    /* MSAA: the right eye resolved into images of its own; into layer 1 now (gpu/swapchain.c). */
    plx_swapchains_record_eye1_copy(&ctx->swapchains, g, slot->cmd, lp->color_index, lp->depth_index,
                                    frame->width, frame->height);
    if (later_reads) plx_gpu_record_uniforms_switch(slot->cmd, slot->ubo, false);
    lp->latched_per_eye = true;
    return PLX_SUCCESS;
}

/* Ends libparallax's pass (the HUD last when it draws there). Recorded inline: the render pass ends. Recorded
 * in secondaries: the pass runs the pass phase's own, then the app's threads' (in index order; all ended:
 * check_secondaries_ended came first), then the HUD's. */
static plx_result end_pass(plx_context *ctx, plx_frame *frame, bool later_reads)
{
    plx_gpu *g = &ctx->gpu;
    const plx_frame_slot *slot = &g->slots[frame->slot];
    bool hud = ctx->hud_on && ctx->hud && ctx->config.pass == PLX_PASS_LIBRARY;
    ctx->loop.in_pass = false;
    if (!g->pass_in_secondary) {
        if (hud) record_hud(ctx, frame, slot->cmd);
        vkCmdEndRenderPass(slot->cmd);
        return PLX_SUCCESS;
    }
    VkCommandBuffer list[2 + PLX_MAX_PASS_THREADS];
    uint32_t n = 1, apps = 0;
    list[0] = slot->secondary;
    plx_result res =
        plx_gpu_pass_secondaries_ended(g, frame->slot, frame->index, "plx_frame_end", list + 1, &apps);
    plx_gpu_pass_secondaries_close(g);
    if (res < 0) return res;
    n += apps;
    if ((res = PLX_VK(&ctx->report, vkEndCommandBuffer(slot->secondary))) < 0) return res;
    if (hud) {
        VkFramebuffer fb = VK_NULL_HANDLE;
        if ((res = pass_framebuffer(ctx, &fb)) < 0) return res;
        if ((res = plx_gpu_slot_begin_secondary(g, frame->slot, true, fb)) < 0) return res;
        plx_gpu_record_render_area(slot->hud, frame->width, frame->height);
        record_hud(ctx, frame, slot->hud);
        if ((res = PLX_VK(&ctx->report, vkEndCommandBuffer(slot->hud))) < 0) return res;
        list[n++] = slot->hud;
    }
    return record_passes(ctx, frame, list, n, later_reads);
}

/* Before the pass ends (plx_frame_post_pass, plx_frame_end): every secondary handed out to the app's threads
 * in this frame is ended. A secondary still recording is misuse, refused before anything changes
 * (PLX_ERROR_CALL_ORDER: the app waits for its threads and calls again). */
static plx_result check_secondaries_ended(plx_context *ctx, const plx_frame *frame, const char *fn)
{
    if (!ctx->loop.in_pass || !ctx->gpu.pass_threads) return PLX_SUCCESS;
    return plx_gpu_pass_secondaries_ended(&ctx->gpu, frame->slot, frame->index, fn, NULL, NULL);
}

/* Both layers (eyes) of an eye image. */
static VkImageMemoryBarrier image_barrier(VkImage image, VkImageAspectFlags aspect, VkImageLayout from,
                                          VkImageLayout to, VkAccessFlags src, VkAccessFlags dst)
{
    return plx_gpu_image_barrier(image, aspect, 0, 2, from, to, src, dst);
}

/* The depth image between the pass (DEPTH_STENCIL_ATTACHMENT_OPTIMAL, as the runtime wants it back) and the
 * post phase (DEPTH_STENCIL_READ_ONLY_OPTIMAL, readable). */
static void depth_to(plx_context *ctx, VkCommandBuffer cmd, bool to_post)
{
    VkImage image;
    VkImageView view;
    VkImageUsageFlags usage;
    plx_swapchains_depth(&ctx->swapchains, ctx->loop.depth_index, &image, &view, &usage);
    const VkImageLayout att = VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
                        ro = VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL;
    const VkAccessFlags all = VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT;
    VkImageMemoryBarrier b =
        image_barrier(image, plx_gpu_depth_aspects(ctx->swapchains.depth_format), to_post ? att : ro,
                      to_post ? ro : att, to_post ? VK_ACCESS_DEPTH_STENCIL_ATTACHMENT_WRITE_BIT : all, all);
    VkPipelineStageFlags src =
        to_post ? VK_PIPELINE_STAGE_EARLY_FRAGMENT_TESTS_BIT | VK_PIPELINE_STAGE_LATE_FRAGMENT_TESTS_BIT
                : VK_PIPELINE_STAGE_ALL_COMMANDS_BIT;
    vkCmdPipelineBarrier(cmd, src, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL, 0, NULL, 1, &b);
}

/* PLX_PASS_POST_PROCESS without a post phase: the frame is shown as the pass rendered it. */
static void copy_intermediate(plx_context *ctx, plx_frame *frame, VkCommandBuffer cmd)
{
    const plx_swapchains *sc = &ctx->swapchains;
    VkImage src = sc->intermediate.image, dst = sc->color.images[ctx->loop.color_index];
    VkImageMemoryBarrier to_copy[2] = {
        image_barrier(src, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                      VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, 0, VK_ACCESS_TRANSFER_READ_BIT),
        image_barrier(dst, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_UNDEFINED,
                      VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 0, VK_ACCESS_TRANSFER_WRITE_BIT),
    };
    /* The pass's writes are already visible (its dependency to VK_SUBPASS_EXTERNAL); order after it. */
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT, 0, 0, NULL,
                         0, NULL, 2, to_copy);
    VkImageCopy region = {
        .srcSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 2},
        .dstSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 2},
        .extent = {frame->width, frame->height, 1},
    };
    vkCmdCopyImage(cmd, src, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, dst, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                   1, &region);
    VkImageMemoryBarrier back =
        image_barrier(dst, VK_IMAGE_ASPECT_COLOR_BIT, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL,
                      VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, VK_ACCESS_TRANSFER_WRITE_BIT,
                      VK_ACCESS_MEMORY_READ_BIT | VK_ACCESS_MEMORY_WRITE_BIT);
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_ALL_COMMANDS_BIT, 0, 0, NULL,
                         0, NULL, 1, &back);
}

/* The HUD in the overlay pass over the colour image (after the app's post phase or own pass). */
static plx_result record_hud_overlay(plx_context *ctx, plx_frame *frame, VkCommandBuffer cmd)
{
    VkFramebuffer fb = VK_NULL_HANDLE;
    plx_result res =
        plx_swapchains_overlay_framebuffer(&ctx->swapchains, &ctx->gpu, ctx->loop.color_index, &fb);
    if (res < 0) return res;
    VkRenderPassBeginInfo rb = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
        .renderPass = ctx->gpu.overlay_pass,
        .framebuffer = fb,
        .renderArea = {.extent = {frame->width, frame->height}},
    };
    vkCmdBeginRenderPass(cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
    record_hud(ctx, frame, cmd);
    vkCmdEndRenderPass(cmd);
    return PLX_SUCCESS;
}

/* Closes the frame's phases, records libparallax's own work, late-latches and submits. The images are
 * released by the caller either way. */
static plx_result submit(plx_context *ctx, plx_frame *frame)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    uint32_t s = frame->slot;
    VkCommandBuffer cmd = g->slots[s].cmd;
    plx_result res = PLX_SUCCESS;
    if (lp->in_pass) {
        /* After the pass, only the HUD overlay (every mode but PLX_PASS_LIBRARY) reads the uniforms. */
        if ((res = end_pass(ctx, frame, ctx->config.pass != PLX_PASS_LIBRARY)) < 0) return res;
        if (ctx->config.pass == PLX_PASS_POST_PROCESS) copy_intermediate(ctx, frame, cmd);
    } else {
        /* The end of the app's post phase or own pass: its writes visible to libparallax's work below (and
         * the next frame), the depth image back in the layout the runtime wants. */
        plx_gpu_record_full_barrier(cmd);
        if (lp->post_phase && ctx->config.pass != PLX_PASS_APP) depth_to(ctx, cmd, false);
    }
    if (ctx->hud_on && ctx->hud && ctx->config.pass != PLX_PASS_LIBRARY &&
        (res = record_hud_overlay(ctx, frame, cmd)) < 0)
        return res;
    /* Quads with nothing to show yet (new, or a new swapchain after recovery) get their clear colour. */
    if ((res = plx_layers_prepare(&ctx->layers, &ctx->xr, &ctx->gpu, cmd, frame->index)) < 0) return res;
    if (!lp->latched_per_eye) plx_latch_record(&ctx->latch, s, cmd, -1);
    if (ctx->mirror)
        plx_mirror_record_copy(ctx->mirror, frame, cmd, ctx->swapchains.color.images[lp->color_index]);
    /* The commands are closed from here on: a failure leaves nothing to close (the slot's next use resets
     * them). */
    lp->recording = false;
    if ((res = plx_gpu_slot_end(g, s)) < 0) return res;
    if (ctx->config.mode != PLX_MODE_OFF) {
        /* Late latch: the same display time, a newer tracker sample. The commands read the matrices from the
         * mapped uniforms, so overwriting them now changes what the GPU draws without re-recording. */
        if ((res = locate_views(ctx, frame, s)) < 0) return res;
        lp->current.latch = plx_time_now(&ctx->time);
    }
    plx_latch_before_submit(&ctx->latch, s, g->slots[s].ubo_mapped);
    if ((res = plx_gpu_slot_submit(g, s, frame->index)) < 0) return res;
    lp->current.submit = plx_time_now(&ctx->time);
    lp->slot_stats_pos[s] = plx_stats_frames_ended(&ctx->stats); /* plx_frame_end commits the frame there */
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- post phase */

plx_result plx_loop_check_frame(plx_context *ctx, const plx_frame *frame, const char *fn)
{
    const plx_loop *lp = &ctx->loop;
    if (lp->phase != PLX_PHASE_IDLE && frame->index + 1 == lp->frames_waited &&
        frame->internal_state == lp->frame_tag)
        return PLX_SUCCESS;
    char now[64] = "no frame is in progress";
    if (lp->phase != PLX_PHASE_IDLE)
        snprintf(now, sizeof now, "the frame in progress is %llu",
                 (unsigned long long)(lp->frames_waited - 1));
    return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER,
                    "%s: the frame (index %llu) is not the frame in progress (%s): pass the plx_frame that "
                    "plx_frame_wait filled, before plx_frame_end",
                    fn, (unsigned long long)frame->index, now);
}

/* The frame in progress, begun with PLX_SUCCESS and still recording. */
plx_result plx_loop_check_recording(plx_context *ctx, const plx_frame *frame, const char *fn)
{
    plx_result res = plx_loop_check_frame(ctx, frame, fn);
    if (res < 0) return res;
    if (ctx->loop.phase != PLX_PHASE_BEGUN || !ctx->loop.recording)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER,
                        "%s: needs a frame plx_frame_begin returned PLX_SUCCESS for, not yet ended", fn);
    return PLX_SUCCESS;
}

static plx_eye_image eye_image(const plx_context *ctx, VkImage image, VkImageView view, VkFormat format,
                               VkImageLayout layout, VkImageUsageFlags usage)
{
    return (plx_eye_image){
        .image = image,
        .view = view,
        .format = format,
        .layout = layout,
        .usage = usage,
        .samples = VK_SAMPLE_COUNT_1_BIT,
        .extent = {ctx->swapchains.eye_width, ctx->swapchains.eye_height},
        .layer_count = 2,
    };
}

static void fill_images(const plx_context *ctx, plx_frame_images *out)
{
    const plx_loop *lp = &ctx->loop;
    const plx_swapchains *sc = &ctx->swapchains;
    bool post = lp->post_phase && ctx->config.pass != PLX_PASS_APP;
    out->target = eye_image(ctx, sc->color.images[lp->color_index], sc->color.views[lp->color_index],
                            sc->color.format, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL, sc->color.usage);
    VkImage di;
    VkImageView dv;
    VkImageUsageFlags du;
    plx_swapchains_depth(sc, lp->depth_index, &di, &dv, &du);
    out->depth = eye_image(ctx, di, dv, sc->depth_format,
                           post ? VK_IMAGE_LAYOUT_DEPTH_STENCIL_READ_ONLY_OPTIMAL
                                : VK_IMAGE_LAYOUT_DEPTH_STENCIL_ATTACHMENT_OPTIMAL,
                           du);
    if (ctx->config.pass == PLX_PASS_POST_PROCESS)
        out->color = eye_image(ctx, sc->intermediate.image, sc->intermediate.view, sc->intermediate.format,
                               VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, sc->intermediate.usage);
    else
        out->color = out->target;
}

plx_result plx_loop_post_pass(plx_context *ctx, plx_frame *frame, plx_frame_images *out_images)
{
    if (out_images) memset(out_images, 0, sizeof *out_images);
    plx_loop *lp = &ctx->loop;
    plx_result res = plx_loop_check_recording(ctx, frame, "plx_frame_post_pass");
    if (res < 0) return res;
    if (lp->post_phase)
        return PLX_FAIL(
            &ctx->report, PLX_ERROR_CALL_ORDER,
            "plx_frame_post_pass: the frame is in its post phase already (call it once per frame)");
    if ((res = check_secondaries_ended(ctx, frame, "plx_frame_post_pass")) < 0)
        return res == PLX_ERROR_CALL_ORDER ? res : fail_frame(ctx, res);
    VkCommandBuffer cmd = ctx->gpu.slots[frame->slot].cmd;
    if (lp->in_pass) {
        if ((res = end_pass(ctx, frame, true)) < 0) return res; /* the post phase may read the uniforms */
        depth_to(ctx, cmd, true);
    }
    lp->post_phase = true;
    frame->cmd = cmd;
    if (out_images) fill_images(ctx, out_images);
    return PLX_SUCCESS;
}

plx_result plx_loop_images(plx_context *ctx, const plx_frame *frame, plx_frame_images *out_images)
{
    memset(out_images, 0, sizeof *out_images);
    plx_result res = plx_loop_check_recording(ctx, frame, "plx_frame_get_images");
    if (res < 0) return res;
    if (ctx->loop.in_pass)
        return PLX_FAIL(
            &ctx->report, PLX_ERROR_CALL_ORDER,
            "plx_frame_get_images: the frame is in libparallax's pass, whose attachments the images are; "
            "call plx_frame_post_pass first");
    fill_images(ctx, out_images);
    return PLX_SUCCESS;
}

plx_result plx_loop_pass_cmd(plx_context *ctx, const plx_frame *frame, const char *fn, VkCommandBuffer *out)
{
    plx_result res = plx_loop_check_recording(ctx, frame, fn);
    if (res < 0) return res;
    if (!ctx->loop.in_pass)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER,
                        "%s: the frame is not in libparallax's render pass (%s)", fn,
                        ctx->config.pass == PLX_PASS_APP ? "the context renders with PLX_PASS_APP"
                                                         : "plx_frame_post_pass ended it");
    *out = pass_cmd(ctx, frame->slot);
    return PLX_SUCCESS;
}

plx_result plx_loop_pass_secondary(plx_context *ctx, const plx_frame *frame, uint32_t index,
                                   VkCommandBuffer *out)
{
    static const char fn[] = "plx_frame_pass_secondary";
    plx_gpu *g = &ctx->gpu;
    if (!g->pass_threads)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: the context has no pass secondaries: set plx_context_desc.pass_threads to the "
                        "number of threads that record the pass",
                        fn);
    if (index >= g->pass_threads)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: index %u is beyond the %u secondaries plx_context_desc.pass_threads asked for "
                        "(0 .. %u)",
                        fn, index, g->pass_threads, g->pass_threads - 1);
    VkCommandBuffer unused;
    plx_result res = plx_loop_pass_cmd(ctx, frame, fn, &unused);
    if (res < 0) return res;
    VkFramebuffer fb = VK_NULL_HANDLE;
    if ((res = pass_framebuffer(ctx, &fb)) < 0) return res;
    return plx_gpu_pass_secondary_take(g, frame->slot, index, frame->index, fb, frame->width, frame->height,
                                       out);
}

plx_result plx_loop_end_pass_secondary(plx_context *ctx, VkCommandBuffer cmd)
{
    return plx_gpu_pass_secondary_end(&ctx->gpu, cmd);
}

VkRenderPass plx_loop_hud_pass(const plx_context *ctx)
{
    return ctx->config.pass == PLX_PASS_LIBRARY ? ctx->gpu.render_pass : ctx->gpu.overlay_pass;
}

plx_result plx_loop_end(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_frame_end: NULL argument");
    plx_loop *lp = &ctx->loop;
    plx_swapchains *sc = &ctx->swapchains;
    /* The session stopped or was lost after plx_frame_begin: the library has dropped the frame. */
    if (plx_loop_frame_dropped(ctx, frame)) return PLX_SESSION_NOT_RUNNING;
    if (lp->phase != PLX_PHASE_BEGUN)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER, "plx_frame_end: call plx_frame_begin first");
    plx_result chk = plx_loop_check_frame(ctx, frame, "plx_frame_end");
    if (chk < 0) return chk;
    /* The app's threads are done with their secondaries, or nothing changes (misuse). */
    if (lp->recording && (chk = check_secondaries_ended(ctx, frame, "plx_frame_end")) < 0) {
        if (chk == PLX_ERROR_CALL_ORDER) return chk;
        lp->phase = PLX_PHASE_IDLE;
        return fail_frame(ctx, chk);
    }
    lp->phase = PLX_PHASE_IDLE;
    lp->current.record_end = plx_time_now(&ctx->time);
    plx_result res = PLX_SUCCESS;
    bool submitted = false;
    if (lp->recording) {
        res = submit(ctx, frame);
        submitted = res == PLX_SUCCESS;
    }
    /* The images go back before xrEndFrame, whose layers name them; after a failed submit too. */
    if (res == PLX_SUCCESS) res = release_images(ctx);
    if (res < 0) return fail_frame(ctx, res);

    XrCompositionLayerProjectionView pv[2];
    XrCompositionLayerDepthInfoKHR depth[2];
    bool with_depth = ctx->xr.ext_depth && sc->depth.handle != XR_NULL_HANDLE;
    uint32_t w = 0, h = 0;
    plx_resolution_extent(&ctx->resolution, &w, &h);
    for (uint32_t eye = 0; eye < 2; eye++) {
        /* The area this frame rendered (dynamic resolution), so the compositor stretches just that. */
        const XrRect2Di rect = {{0, 0}, {(int32_t)w, (int32_t)h}};
        depth[eye] = (XrCompositionLayerDepthInfoKHR){
            .type = XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR,
            .subImage = {.swapchain = sc->depth.handle, .imageRect = rect, .imageArrayIndex = eye},
            .minDepth = 0.0f,
            .maxDepth = 1.0f,
            .nearZ = ctx->config.near_z,
            .farZ = ctx->config.far_z,
        };
        /* Exactly the poses the GPU used: the ones written to the uniforms last. */
        pv[eye] = (XrCompositionLayerProjectionView){
            .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW,
            .next = with_depth ? &depth[eye] : NULL,
            .pose = lp->views[eye].pose,
            .fov = lp->views[eye].fov,
            .subImage = {.swapchain = sc->color.handle, .imageRect = rect, .imageArrayIndex = eye},
        };
    }
    XrCompositionLayerProjection layer = {
        .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION,
        .space = ctx->xr.space,
        .viewCount = 2,
        .views = pv,
    };
    /* The projection layer first, then the quads and the app's raw layers by their order (xr/layers.c); a
     * frame without valid views still shows those (head-locked panels, the app's own layers). */
    const XrCompositionLayerBaseHeader *layers[1 + PLX_MAX_QUADS + PLX_MAX_RAW_LAYERS];
    bool projection = submitted && lp->views_valid;
    uint32_t layer_count = 0;
    if (projection) layers[layer_count++] = (const XrCompositionLayerBaseHeader *)&layer;
    if (submitted)
        layer_count += plx_layers_build(&ctx->layers, &ctx->xr, layers + layer_count,
                                        PLX_MAX_QUADS + PLX_MAX_RAW_LAYERS);
    XrFrameEndInfo ei = {
        .type = XR_TYPE_FRAME_END_INFO,
        .displayTime = lp->display_time,
        .environmentBlendMode = ctx->xr.blend_mode,
        .layerCount = layer_count,
        .layers = layers,
    };
    plx_latch_note_submitted(&ctx->latch, frame->slot, pv, projection);
    plx_predict_note_submitted(&ctx->predict, projection);
    res = PLX_XR(&ctx->report, xrEndFrame(ctx->xr.session, &ei));
    plx_layers_frame_reset(&ctx->layers); /* the app's raw layers may go once xrEndFrame returned */
    /* Ended, or (after a failure) left for the next xrBeginFrame to discard: either way never ended again. */
    lp->xr_begun = false;
    if (res < 0) return fail_frame(ctx, res);

    int64_t now = plx_time_now(&ctx->time);
    plx_frame_stats *st = &lp->current;
    st->end = now;
    st->rendered = submitted;
    st->cpu_ms = (double)(now - st->wake) * 1e-6;
    st->pose_age_ms = submitted ? (double)(st->submit - st->latch) * 1e-6 : 0.0;
    if (!submitted) st->latch = 0;
    /* Photon age; the errors of past frames whose display time has passed. */
    const XrPosef eyes[2] = {lp->views[0].pose, lp->views[1].pose};
    plx_pose_error_frame_ending(&ctx->pose_error, &ctx->stats, &ctx->xr, st, eyes, projection);
    plx_stats_commit(&ctx->stats, st);
    /* Trace events and the mirror window's events: after xrEndFrame, off the XR path. */
    if (ctx->trace) plx_trace_frame(ctx->trace, plx_stats_newest(&ctx->stats, 0), plx_time_known(&ctx->time));
    if (ctx->mirror) plx_mirror_events(ctx->mirror, &ctx->gpu);
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- sessions and recovery */

void plx_loop_drop_frame(plx_context *ctx)
{
    /* A loss: calls on the lost session fail, and destroying it ends everything it had. */
    drop(ctx, PLX_SETTLE_LOST);
}

void plx_loop_session_began(plx_context *ctx)
{
    plx_pacing_session_reset(&ctx->pacing);
}

void plx_loop_session_stopping(plx_context *ctx)
{
    /* The session still runs until xrEndSession: a begun frame is ended and the images go back now, so
     * nothing reaches the runtime after xrEndSession and the swapchains are whole if the session becomes
     * READY again. A frame only waited, or waited ahead by the waiter thread, is forgotten: xrEndSession
     * resets the frame calls' order. */
    plx_pacing_session_reset(&ctx->pacing);
    drop(ctx, PLX_SETTLE_STOPPING);
}

/* Before recovery destroys the session: nothing of the frame loop may still use it. */
static void let_go_of_session(plx_context *ctx)
{
    plx_loop_wait_idle(ctx);
    drop(ctx, PLX_SETTLE_LOST);
    plx_layers_drop_swapchains(&ctx->layers, &ctx->gpu); /* made again on the new session when next used */
    plx_pacing_session_reset(&ctx->pacing);
}

plx_result plx_loop_recover(plx_context *ctx)
{
    plx_recover_step step = plx_recover_next(&ctx->recover, &ctx->xr);
    if (step == PLX_RECOVER_NOTHING) return PLX_SUCCESS;
    if (step == PLX_RECOVER_WAIT) return PLX_SESSION_NOT_RUNNING;
    let_go_of_session(ctx);
    bool rebuilt = false;
    plx_result res = plx_recover_run(&ctx->recover, &ctx->xr, &ctx->gpu, &ctx->swapchains, &rebuilt);
    if (rebuilt) {
        /* Poses of the old session say nothing certain about the new one's tracking: start over. */
        plx_predict_session_new(&ctx->predict);
        plx_pose_error_reset(&ctx->pose_error);
    }
    return res;
}

bool plx_loop_frame_dropped(const plx_context *ctx, const plx_frame *frame)
{
    const plx_loop *lp = &ctx->loop;
    return lp->dropped && lp->phase == PLX_PHASE_IDLE && frame->index == lp->dropped_index &&
           frame->internal_state == lp->frame_tag;
}

XrTime plx_loop_display_time(const plx_context *ctx)
{
    return ctx->loop.display_time;
}
