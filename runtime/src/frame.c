/* SPDX-License-Identifier: MIT */
/* Layer 6, the frame loop, the one orchestrator: wait (+ pacing), begin (acquire, locate, record into one
 * multiview pass, or a pass per eye on an affected driver: gpu/multiview.c), end (late latch, submit,
 * release, xrEndFrame); and what a completed frame slot, a session
 * state change or a recovery means to each part. The layers below return facts (a slot signalled, a loss, an
 * event) and this file tells the parts that care. May call every layer below: overlay/, telemetry/, timing/,
 * xr/, gpu/, base/. See DESIGN.md "The frame loop". */
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

    memset(frame, 0, sizeof *frame);
    XrFrameState fs;
    if (ctx->mirror) plx_mirror_present(ctx->mirror, &ctx->gpu); /* hands finished copies to its thread */
    /* The XrTime offset once per frame (base/plx_time.h): every timestamp of this frame uses it. */
    plx_time_refresh(&ctx->time);
    plx_stats_set_xr_time(&ctx->stats, plx_time_known(&ctx->time));
    int64_t wait_call = plx_time_now(&ctx->time); /* pacing measures the loop up to here */
    int64_t now = 0; /* when xrWaitFrame returned (earlier when it was waited ahead) */
    plx_result res = plx_pacing_wait(&ctx->pacing, ctx->xr.session, &fs, &now);
    if (res < 0) return res;

    frame->index = lp->frames_waited++;
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
    plx_timing_guard_apply(&ctx->guard, &ctx->report, &ctx->time, &pace_time, &pace_period);
    if (fs.shouldRender &&
        (res = plx_pacing_after_wait(&ctx->pacing, ctx->xr.session, wait_call, now, pace_time, pace_period,
                                     &lp->current.wake, &lp->current.begin)) < 0) {
        lp->phase = PLX_PHASE_IDLE;
        return res;
    }
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

/* Begins one render pass instance on fb (contents: inline, or the app's secondary with a pass per eye). */
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

static plx_result record_begin(plx_context *ctx, plx_frame *frame)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    const plx_frame_slot *slot = &g->slots[frame->slot];
    VkFramebuffer fb = VK_NULL_HANDLE;
    plx_result res = PLX_SUCCESS;
    if (!g->pass_per_eye &&
        (res = plx_swapchains_framebuffer(&ctx->swapchains, g, lp->color_index, lp->depth_index, 0, &fb)) < 0)
        return res;
    if ((res = plx_gpu_slot_begin(g, frame->slot)) < 0) return res;
    VkCommandBuffer rec = slot->cmd;
    if (g->pass_per_eye) {
        /* A pass per eye (gpu/multiview.c): the app records once into a secondary command buffer that both
         * eyes' passes execute at plx_frame_end. */
        if ((res = plx_gpu_slot_begin_secondary(g, frame->slot)) < 0) return res;
        rec = slot->secondary;
    } else {
        begin_pass(ctx, slot->cmd, fb, VK_SUBPASS_CONTENTS_INLINE);
    }
    /* Dynamic resolution: only the scaled area at the top-left of each eye is rendered (timing/resolution.c).
     */
    uint32_t w = 0, h = 0;
    plx_resolution_extent(&ctx->resolution, &w, &h);
    VkViewport vp = {0, 0, (float)w, (float)h, 0.0f, 1.0f};
    VkRect2D sc = {{0, 0}, {w, h}};
    vkCmdSetViewport(rec, 0, 1, &vp);
    vkCmdSetScissor(rec, 0, 1, &sc);
    frame->cmd = rec;
    frame->frame_set = slot->set;
    frame->uniform_buffer = slot->ubo;
    frame->width = w;
    frame->height = h;
    lp->recording = true;
    return PLX_SUCCESS;
}

plx_result plx_loop_begin(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_frame_begin: NULL argument");
    plx_loop *lp = &ctx->loop;
    if (lp->phase != PLX_PHASE_WAITED || frame->index + 1 != lp->frames_waited)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER, "plx_frame_begin: call plx_frame_wait first");
    /* Waiting ahead (timing/pacing.c), plx_frame_wait already began the frame. */
    if (!plx_pacing_take_begun_early(&ctx->pacing)) {
        XrFrameBeginInfo bi = {.type = XR_TYPE_FRAME_BEGIN_INFO};
        plx_result res = PLX_XR(&ctx->report, xrBeginFrame(ctx->xr.session, &bi));
        if (res < 0) {
            lp->phase = PLX_PHASE_IDLE;
            return res;
        }
        lp->current.begin = plx_time_now(&ctx->time);
    }
    plx_result res = PLX_SUCCESS;
    /* XR_FRAME_DISCARDED only says an earlier begun frame was never ended; this one proceeds normally. */
    lp->phase = PLX_PHASE_BEGUN;
    lp->recording = false;
    lp->views_valid = false;
    if (!lp->should_render) return PLX_FRAME_SKIPPED;

    plx_gpu *g = &ctx->gpu;
    plx_swapchains *sc = &ctx->swapchains;
    if (plx_gpu_slot_busy(g, frame->slot)) {
        /* The slot's previous frame must be done before its command buffer and uniforms are reused. */
        if ((res = plx_gpu_slot_wait(g, frame->slot)) < 0) return res;
        slot_complete(ctx, frame->slot);
    }
    if ((res = plx_gpu_slot_reset_fence(g, frame->slot)) < 0) return res;
    plx_resolution_begin_frame(&ctx->resolution, frame->slot, frame->index, ctx->config.frames_in_flight,
                               g->vk.timestamps, sc->eye_width, sc->eye_height);
    if ((res = plx_swapchain_acquire(&ctx->report, &sc->color, &lp->color_index)) < 0) return res;
    lp->color_held = true;
    if (sc->depth.handle != XR_NULL_HANDLE) {
        if ((res = plx_swapchain_acquire(&ctx->report, &sc->depth, &lp->depth_index)) < 0) return res;
        lp->depth_held = true;
    }
    if ((res = locate_views(ctx, frame, frame->slot)) < 0) return res;
    lp->current.latch = plx_time_now(&ctx->time);
    return record_begin(ctx, frame);
}

/* ---------------------------------------------------------------- end */

/* A pass per eye: the app's secondary command buffer in the left eye's pass, then, with the right eye's
 * uniforms copied in (the eyes swapped: the right eye is view 0), in the right eye's pass. Each eye's latch
 * check reads view 0 right after its pass. */
static plx_result record_eye_passes(plx_context *ctx, plx_frame *frame)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    const plx_frame_slot *slot = &g->slots[frame->slot];
    plx_result res = PLX_VK(&ctx->report, vkEndCommandBuffer(slot->secondary));
    if (res < 0) return res;
    for (uint32_t eye = 0; eye < 2; eye++) {
        VkFramebuffer fb = VK_NULL_HANDLE;
        res = plx_swapchains_framebuffer(&ctx->swapchains, g, lp->color_index, lp->depth_index, eye, &fb);
        if (res < 0) return res;
        if (eye == 1) plx_gpu_record_eye_switch(slot->cmd, slot->ubo);
        begin_pass(ctx, slot->cmd, fb, VK_SUBPASS_CONTENTS_SECONDARY_COMMAND_BUFFERS);
        vkCmdExecuteCommands(slot->cmd, 1, &slot->secondary);
        vkCmdEndRenderPass(slot->cmd);
        plx_latch_record(&ctx->latch, frame->slot, slot->cmd, (int)eye);
    }
    return PLX_SUCCESS;
}

/* Ends recording, late-latches and submits. The images are released by the caller either way. */
static plx_result submit(plx_context *ctx, plx_frame *frame)
{
    plx_loop *lp = &ctx->loop;
    plx_gpu *g = &ctx->gpu;
    uint32_t s = frame->slot;
    VkCommandBuffer cmd = g->slots[s].cmd;
    if (ctx->hud_on && ctx->hud) {
        /* HUD over the app's draws, with the newest GPU times (harvested without waiting), into the commands
         * the app recorded (the secondary with a pass per eye). */
        plx_loop_harvest_ready(ctx);
        plx_hud_record(ctx->hud, &ctx->stats, &ctx->hud_values, frame, frame->cmd, g->slots[s].set);
    }
    plx_result res = PLX_SUCCESS;
    if (g->pass_per_eye) {
        if ((res = record_eye_passes(ctx, frame)) < 0) return res;
    } else {
        vkCmdEndRenderPass(cmd);
        plx_latch_record(&ctx->latch, s, cmd, -1);
    }
    if (ctx->mirror)
        plx_mirror_record_copy(ctx->mirror, frame, cmd, ctx->swapchains.color.images[lp->color_index]);
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

plx_result plx_loop_end(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_frame_end: NULL argument");
    plx_loop *lp = &ctx->loop;
    plx_swapchains *sc = &ctx->swapchains;
    if (lp->phase != PLX_PHASE_BEGUN || frame->index + 1 != lp->frames_waited)
        return PLX_FAIL(&ctx->report, PLX_ERROR_CALL_ORDER, "plx_frame_end: call plx_frame_begin first");
    lp->phase = PLX_PHASE_IDLE;
    lp->current.record_end = plx_time_now(&ctx->time);
    plx_result res = PLX_SUCCESS;
    bool submitted = false;
    /* After a failed plx_frame_begin there may be nothing to submit, only images to give back. */
    if (lp->recording) {
        res = submit(ctx, frame);
        submitted = res == PLX_SUCCESS;
        lp->recording = false;
    }
    /* Release even after a failed submit so the swapchains stay usable. */
    if (lp->color_held) {
        plx_result r = plx_swapchain_release(&ctx->report, &sc->color);
        if (res == PLX_SUCCESS) res = r;
        lp->color_held = false;
    }
    if (lp->depth_held) {
        plx_result r = plx_swapchain_release(&ctx->report, &sc->depth);
        if (res == PLX_SUCCESS) res = r;
        lp->depth_held = false;
    }
    if (res < 0) return res;

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
    const XrCompositionLayerBaseHeader *layers[1] = {(const XrCompositionLayerBaseHeader *)&layer};
    XrFrameEndInfo ei = {
        .type = XR_TYPE_FRAME_END_INFO,
        .displayTime = lp->display_time,
        .environmentBlendMode = ctx->xr.blend_mode,
        .layerCount = submitted && lp->views_valid ? 1 : 0,
        .layers = layers,
    };
    plx_latch_note_submitted(&ctx->latch, frame->slot, pv, ei.layerCount == 1);
    plx_predict_note_submitted(&ctx->predict, ei.layerCount == 1);
    if ((res = PLX_XR(&ctx->report, xrEndFrame(ctx->xr.session, &ei))) < 0) return res;

    int64_t now = plx_time_now(&ctx->time);
    plx_frame_stats *st = &lp->current;
    st->end = now;
    st->rendered = submitted;
    st->cpu_ms = (double)(now - st->wake) * 1e-6;
    st->pose_age_ms = submitted ? (double)(st->submit - st->latch) * 1e-6 : 0.0;
    if (!submitted) st->latch = 0;
    /* Photon age; the errors of past frames whose display time has passed. */
    const XrPosef eyes[2] = {lp->views[0].pose, lp->views[1].pose};
    plx_pose_error_frame_ending(&ctx->pose_error, &ctx->stats, &ctx->xr, st, eyes, ei.layerCount == 1);
    plx_stats_commit(&ctx->stats, st);
    /* Trace events and the mirror window's events: after xrEndFrame, off the XR path. */
    if (ctx->trace) plx_trace_frame(ctx->trace, plx_stats_newest(&ctx->stats, 0), plx_time_known(&ctx->time));
    if (ctx->mirror) plx_mirror_events(ctx->mirror, &ctx->gpu);
    return PLX_SUCCESS;
}

/* ---------------------------------------------------------------- sessions and recovery */

void plx_loop_drop_frame(plx_context *ctx)
{
    ctx->loop.phase = PLX_PHASE_IDLE;
}

void plx_loop_session_began(plx_context *ctx)
{
    plx_pacing_session_reset(&ctx->pacing);
}

void plx_loop_session_stopping(plx_context *ctx)
{
    /* A frame between wait and end cannot be finished once the session stops; forget it so the loop
     * starts cleanly if the session becomes READY again. A frame waited ahead is forgotten the same way. */
    if (ctx->loop.phase == PLX_PHASE_WAITED) ctx->loop.phase = PLX_PHASE_IDLE;
    plx_pacing_session_reset(&ctx->pacing);
}

/* Before recovery destroys the session: nothing of the frame loop may still use it. */
static void let_go_of_session(plx_context *ctx)
{
    plx_loop *lp = &ctx->loop;
    plx_loop_wait_idle(ctx);
    if (lp->recording && lp->frames_waited > 0) {
        /* Close the half-recorded command buffer (the frame being recorded is the newest waited one) so the
         * framebuffer it names can go; it is reset before its next use. */
        plx_gpu_slot_abandon(&ctx->gpu, (uint32_t)((lp->frames_waited - 1) % ctx->config.frames_in_flight));
        lp->recording = false;
    }
    lp->color_held = lp->depth_held = false;
    lp->phase = PLX_PHASE_IDLE;
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

bool plx_loop_recording(const plx_context *ctx)
{
    return ctx->loop.phase == PLX_PHASE_BEGUN && ctx->loop.recording;
}

XrTime plx_loop_display_time(const plx_context *ctx)
{
    return ctx->loop.display_time;
}
