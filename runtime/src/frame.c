/* The frame loop: wait (+ pacing), begin (acquire, locate, record into one multiview pass), end (late latch,
 * submit, release, xrEndFrame). See DESIGN.md "The frame loop". */
#include <string.h>

#include "plx_context.h"
#include "plx_math.h"

_Static_assert(sizeof(plx_pose) == sizeof(XrPosef), "plx_pose mirrors XrPosef");

void plx_pose_to_arrays(plx_pose pose, float position[3], float orientation[4])
{
    position[0] = pose.position.x;
    position[1] = pose.position.y;
    position[2] = pose.position.z;
    orientation[0] = pose.orientation.x;
    orientation[1] = pose.orientation.y;
    orientation[2] = pose.orientation.z;
    orientation[3] = pose.orientation.w;
}

void plx_view_from_xr(const plx_context *ctx, const XrView *xr, plx_view *out)
{
    plx_pose pose;
    memcpy(&pose, &xr->pose, sizeof pose);
    plx_pose_to_arrays(pose, out->position, out->orientation);
    out->fov = (plx_fov){xr->fov.angleLeft, xr->fov.angleRight, xr->fov.angleUp, xr->fov.angleDown};
    plx_mat4_view_from_pose(out->view, pose);
    plx_mat4_projection_fov(out->proj, xr->fov.angleLeft, xr->fov.angleRight, xr->fov.angleUp,
                            xr->fov.angleDown, ctx->near_z, ctx->far_z);
}

/* Locates both views at the frame's display time into ctx->xr_views, frame->views and the slot's uniforms. */
static plx_result locate_views(plx_context *ctx, plx_frame *frame, plx_frame_slot *slot)
{
    XrViewLocateInfo li = {
        .type = XR_TYPE_VIEW_LOCATE_INFO,
        .viewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
        .displayTime = ctx->frame_display_time,
        .space = ctx->space,
    };
    XrViewState vs = {.type = XR_TYPE_VIEW_STATE};
    XrView views[2] = {{.type = XR_TYPE_VIEW}, {.type = XR_TYPE_VIEW}};
    uint32_t n = 0;
    plx_result res = PLX_XR(ctx, xrLocateViews(ctx->session, &li, &vs, 2, &n, views));
    if (res < 0) return res;
    if (n != 2) return PLX_FAIL(ctx, PLX_ERROR_XR, "xrLocateViews returned %u views, expected 2", n);
    const XrViewStateFlags need = XR_VIEW_STATE_ORIENTATION_VALID_BIT | XR_VIEW_STATE_POSITION_VALID_BIT;
    if ((vs.viewStateFlags & need) != need) {
        /* Tracking lost: keep the views already in the uniforms. If this frame located valid views at begin,
         * the GPU still uses them and they are submitted; otherwise the frame is ended without layers. */
        plx_log(ctx, PLX_LOG_DEBUG, "xrLocateViews: views not valid (flags 0x%llx)",
                (unsigned long long)vs.viewStateFlags);
        return PLX_SUCCESS;
    }
    /* App-side prediction (when the runtime does not predict) replaces the poses before anything uses them,
     * so the uniforms and the layer carry the same predicted poses. */
    if ((res = plx_predict_views(ctx, ctx->frame_display_time, views)) < 0) return res;
    ctx->frame_views_valid = true;
    ctx->xr_views[0] = views[0];
    ctx->xr_views[1] = views[1];
    plx_frame_uniforms *u = slot->ubo_mapped;
    for (int eye = 0; eye < 2; eye++) {
        plx_view_from_xr(ctx, &views[eye], &frame->views[eye]);
        memcpy(u->view[eye], frame->views[eye].view, sizeof u->view[eye]);
        memcpy(u->proj[eye], frame->views[eye].proj, sizeof u->proj[eye]);
        memcpy(u->eye_position[eye], frame->views[eye].position, 3 * sizeof(float));
        u->eye_position[eye][3] = 1.0f;
    }
    u->time_s[0] = (float)((double)(ctx->frame_display_time - ctx->session_begin_time) * 1e-9);
    return PLX_SUCCESS;
}

static plx_result frame_wait(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_frame_wait: NULL argument");
    if (ctx->should_quit) return PLX_SHOULD_QUIT;
    if (!ctx->running) {
        /* Nothing to pace against yet; a short sleep keeps a poll/wait loop from spinning a core. */
        plx_sleep_until_ns(plx_now_ns() + 10 * 1000000);
        return PLX_SESSION_NOT_RUNNING;
    }
    if (ctx->phase != PLX_PHASE_IDLE)
        return PLX_FAIL(ctx, PLX_ERROR_CALL_ORDER,
                        "plx_frame_wait: the previous frame was not ended (plx_frame_end)");

    memset(frame, 0, sizeof *frame);
    XrFrameState fs;
    plx_timeline_before_wait(ctx);     /* hands finished copies to the mirror thread */
    ctx->lat.wait_call = plx_now_ns(); /* pacing measures the loop up to here */
    int64_t now = 0;                   /* when xrWaitFrame returned (earlier when it was waited ahead) */
    plx_result res = plx_pacing_wait(ctx, &fs, &now);
    if (res < 0) return res;

    frame->index = ctx->frames_waited++;
    frame->predicted_display_time = fs.predictedDisplayTime;
    frame->predicted_display_period = fs.predictedDisplayPeriod;
    frame->should_render = fs.shouldRender;
    frame->slot = (uint32_t)(frame->index % ctx->frames_in_flight);
    ctx->frame_display_time = fs.predictedDisplayTime;
    ctx->frame_should_render = fs.shouldRender;
    ctx->phase = PLX_PHASE_WAITED;

    ctx->current = (plx_frame_stats){
        .index = frame->index,
        .predicted_display_time = fs.predictedDisplayTime,
        .predicted_display_period = fs.predictedDisplayPeriod,
        .wait_return = now,
        .wake = now,
        .gpu_ms = -1.0,
    };
    plx_timeline_frame_waited(ctx);
    /* Plans in every mode (estimates, miss and adaptive-runtime detection); sleeps only in JIT_LATCH. */
    /* Guard against runtime bugs (recover.c): a display time in the past or an absurd period is clamped
     * for pacing (logged once); xrEndFrame still gets the time xrWaitFrame returned. */
    int64_t pace_time = fs.predictedDisplayTime, pace_period = fs.predictedDisplayPeriod;
    plx_recover_guard_timing(ctx, &pace_time, &pace_period);
    if (fs.shouldRender &&
        (res = plx_pacing_after_wait(ctx, now, pace_time, pace_period, &ctx->current.wake)) < 0) {
        ctx->phase = PLX_PHASE_IDLE;
        return res;
    }
    return PLX_SUCCESS;
}

static plx_result acquire(plx_context *ctx, plx_swapchain *sc, uint32_t *out_index)
{
    XrSwapchainImageAcquireInfo ai = {.type = XR_TYPE_SWAPCHAIN_IMAGE_ACQUIRE_INFO};
    plx_result res = PLX_XR(ctx, xrAcquireSwapchainImage(sc->handle, &ai, out_index));
    if (res < 0) return res;
    XrSwapchainImageWaitInfo wi = {.type = XR_TYPE_SWAPCHAIN_IMAGE_WAIT_INFO,
                                   .timeout = XR_INFINITE_DURATION};
    XrResult xr;
    /* XR_TIMEOUT_EXPIRED is a success code: the compositor still reads the image; wait again. */
    while ((xr = xrWaitSwapchainImage(sc->handle, &wi)) == XR_TIMEOUT_EXPIRED) {
    }
    return PLX_XR(ctx, xr);
}

static plx_result record_begin(plx_context *ctx, plx_frame *frame, plx_frame_slot *slot)
{
    VkFramebuffer fb = VK_NULL_HANDLE;
    plx_result res = plx_framebuffer_get(ctx, ctx->color_index, ctx->depth_index, &fb);
    if (res < 0) return res;
    if ((res = PLX_VK(ctx, vkResetCommandBuffer(slot->cmd, 0))) < 0) return res;
    VkCommandBufferBeginInfo bi = {
        .sType = VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO,
        .flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT,
    };
    if ((res = PLX_VK(ctx, vkBeginCommandBuffer(slot->cmd, &bi))) < 0) return res;
    if (ctx->timestamps) {
        vkCmdResetQueryPool(slot->cmd, ctx->query_pool, frame->slot * 2, 2);
        vkCmdWriteTimestamp(slot->cmd, VK_PIPELINE_STAGE_TOP_OF_PIPE_BIT, ctx->query_pool, frame->slot * 2);
    }
    VkClearValue clear[2] = {
        {.color = {.float32 = {ctx->clear_color[0], ctx->clear_color[1], ctx->clear_color[2],
                               ctx->clear_color[3]}}},
        {.depthStencil = {.depth = 1.0f, .stencil = 0}},
    };
    VkRenderPassBeginInfo rb = {
        .sType = VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO,
        .renderPass = ctx->render_pass,
        .framebuffer = fb,
        .renderArea = {.extent = {ctx->resolution.width, ctx->resolution.height}},
        .clearValueCount = 2,
        .pClearValues = clear,
    };
    vkCmdBeginRenderPass(slot->cmd, &rb, VK_SUBPASS_CONTENTS_INLINE);
    /* Dynamic resolution: only the scaled area at the top-left of each eye is rendered (resolution.c). */
    VkViewport vp = {0, 0, (float)ctx->resolution.width, (float)ctx->resolution.height, 0.0f, 1.0f};
    VkRect2D sc = {{0, 0}, {ctx->resolution.width, ctx->resolution.height}};
    vkCmdSetViewport(slot->cmd, 0, 1, &vp);
    vkCmdSetScissor(slot->cmd, 0, 1, &sc);
    frame->cmd = slot->cmd;
    frame->frame_set = slot->set;
    frame->uniform_buffer = slot->ubo;
    frame->width = ctx->resolution.width;
    frame->height = ctx->resolution.height;
    ctx->frame_recording = true;
    return PLX_SUCCESS;
}

static plx_result frame_begin(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_frame_begin: NULL argument");
    if (ctx->phase != PLX_PHASE_WAITED || frame->index + 1 != ctx->frames_waited)
        return PLX_FAIL(ctx, PLX_ERROR_CALL_ORDER, "plx_frame_begin: call plx_frame_wait first");
    /* Waiting ahead (pacing.c), plx_frame_wait already began the frame. */
    if (!ctx->lat.begun_early) {
        XrFrameBeginInfo bi = {.type = XR_TYPE_FRAME_BEGIN_INFO};
        plx_result res = PLX_XR(ctx, xrBeginFrame(ctx->session, &bi));
        if (res < 0) {
            ctx->phase = PLX_PHASE_IDLE;
            return res;
        }
        ctx->current.begin = plx_now_ns();
    }
    ctx->lat.begun_early = false;
    plx_result res = PLX_SUCCESS;
    /* XR_FRAME_DISCARDED only says an earlier begun frame was never ended; this one proceeds normally. */
    ctx->phase = PLX_PHASE_BEGUN;
    ctx->frame_recording = false;
    ctx->frame_views_valid = false;
    if (!ctx->frame_should_render) return PLX_FRAME_SKIPPED;

    plx_frame_slot *slot = &ctx->slots[frame->slot];
    if (slot->in_flight) {
        /* The slot's previous frame must be done before its command buffer and uniforms are reused. */
        res = PLX_VK(ctx, vkWaitForFences(ctx->device, 1, &slot->fence, VK_TRUE, UINT64_MAX));
        if (res < 0) return res;
        plx_stats_harvest_slot(ctx, slot);
    }
    if ((res = PLX_VK(ctx, vkResetFences(ctx->device, 1, &slot->fence))) < 0) return res;
    plx_resolution_begin_frame(ctx, frame);
    if ((res = acquire(ctx, &ctx->color, &ctx->color_index)) < 0) return res;
    ctx->color_held = true;
    if (ctx->depth.handle != XR_NULL_HANDLE) {
        if ((res = acquire(ctx, &ctx->depth, &ctx->depth_index)) < 0) return res;
        ctx->depth_held = true;
    }
    if ((res = locate_views(ctx, frame, slot)) < 0) return res;
    ctx->current.latch = plx_now_ns();
    if ((res = record_begin(ctx, frame, slot)) < 0) return res;
    return PLX_SUCCESS;
}

static plx_result release(plx_context *ctx, plx_swapchain *sc)
{
    XrSwapchainImageReleaseInfo ri = {.type = XR_TYPE_SWAPCHAIN_IMAGE_RELEASE_INFO};
    return PLX_XR(ctx, xrReleaseSwapchainImage(sc->handle, &ri));
}

/* Ends recording, late-latches and submits. The images are released by the caller either way. */
static plx_result submit(plx_context *ctx, plx_frame *frame, plx_frame_slot *slot)
{
    plx_timeline_record_in_pass(ctx, frame, slot); /* HUD over the app's draws */
    vkCmdEndRenderPass(slot->cmd);
    plx_latch_record(ctx, frame->slot, slot->cmd);
    plx_timeline_record_after_pass(ctx, frame, slot); /* mirror copy */
    if (ctx->timestamps)
        vkCmdWriteTimestamp(slot->cmd, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, ctx->query_pool,
                            frame->slot * 2 + 1);
    plx_result res = PLX_VK(ctx, vkEndCommandBuffer(slot->cmd));
    if (res < 0) return res;
    if (ctx->mode != PLX_MODE_OFF) {
        /* Late latch: the same display time, a newer tracker sample. The commands read the matrices from the
         * mapped uniforms, so overwriting them now changes what the GPU draws without re-recording. */
        if ((res = locate_views(ctx, frame, slot)) < 0) return res;
        ctx->current.latch = plx_now_ns();
    }
    plx_latch_before_submit(ctx, frame->slot);
    VkSubmitInfo si = {
        .sType = VK_STRUCTURE_TYPE_SUBMIT_INFO, .commandBufferCount = 1, .pCommandBuffers = &slot->cmd};
    if ((res = PLX_VK(ctx, vkQueueSubmit(ctx->queue, 1, &si, slot->fence))) < 0) return res;
    ctx->current.submit = plx_now_ns();
    slot->in_flight = true;
    slot->frame_index = frame->index;
    slot->stats_pos = ctx->frames_ended; /* plx_frame_end commits the frame there */
    return PLX_SUCCESS;
}

static plx_result frame_end(plx_context *ctx, plx_frame *frame)
{
    if (!ctx || !frame) return PLX_FAIL(ctx, PLX_ERROR_INVALID_ARGUMENT, "plx_frame_end: NULL argument");
    if (ctx->phase != PLX_PHASE_BEGUN || frame->index + 1 != ctx->frames_waited)
        return PLX_FAIL(ctx, PLX_ERROR_CALL_ORDER, "plx_frame_end: call plx_frame_begin first");
    ctx->phase = PLX_PHASE_IDLE;
    ctx->current.record_end = plx_now_ns();
    plx_result res = PLX_SUCCESS;
    bool submitted = false;
    /* After a failed plx_frame_begin there may be nothing to submit, only images to give back. */
    if (ctx->frame_recording) {
        res = submit(ctx, frame, &ctx->slots[frame->slot]);
        submitted = res == PLX_SUCCESS;
        ctx->frame_recording = false;
    }
    /* Release even after a failed submit so the swapchains stay usable. */
    if (ctx->color_held) {
        plx_result r = release(ctx, &ctx->color);
        if (res == PLX_SUCCESS) res = r;
        ctx->color_held = false;
    }
    if (ctx->depth_held) {
        plx_result r = release(ctx, &ctx->depth);
        if (res == PLX_SUCCESS) res = r;
        ctx->depth_held = false;
    }
    if (res < 0) return res;

    XrCompositionLayerProjectionView pv[2];
    XrCompositionLayerDepthInfoKHR depth[2];
    bool with_depth = ctx->ext_depth && ctx->depth.handle != XR_NULL_HANDLE;
    for (uint32_t eye = 0; eye < 2; eye++) {
        /* The area this frame rendered (dynamic resolution), so the compositor stretches just that. */
        const XrRect2Di rect = {{0, 0}, {(int32_t)ctx->resolution.width, (int32_t)ctx->resolution.height}};
        depth[eye] = (XrCompositionLayerDepthInfoKHR){
            .type = XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR,
            .subImage = {.swapchain = ctx->depth.handle, .imageRect = rect, .imageArrayIndex = eye},
            .minDepth = 0.0f,
            .maxDepth = 1.0f,
            .nearZ = ctx->near_z,
            .farZ = ctx->far_z,
        };
        /* Exactly the poses the GPU used: the ones written to the uniforms last. */
        pv[eye] = (XrCompositionLayerProjectionView){
            .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW,
            .next = with_depth ? &depth[eye] : NULL,
            .pose = ctx->xr_views[eye].pose,
            .fov = ctx->xr_views[eye].fov,
            .subImage = {.swapchain = ctx->color.handle, .imageRect = rect, .imageArrayIndex = eye},
        };
    }
    XrCompositionLayerProjection layer = {
        .type = XR_TYPE_COMPOSITION_LAYER_PROJECTION,
        .space = ctx->space,
        .viewCount = 2,
        .views = pv,
    };
    const XrCompositionLayerBaseHeader *layers[1] = {(const XrCompositionLayerBaseHeader *)&layer};
    XrFrameEndInfo ei = {
        .type = XR_TYPE_FRAME_END_INFO,
        .displayTime = ctx->frame_display_time,
        .environmentBlendMode = ctx->blend_mode,
        .layerCount = submitted && ctx->frame_views_valid ? 1 : 0,
        .layers = layers,
    };
    plx_latch_note_submitted(ctx, frame->slot, pv, ei.layerCount == 1);
    if ((res = PLX_XR(ctx, xrEndFrame(ctx->session, &ei))) < 0) return res;

    int64_t now = plx_now_ns();
    plx_frame_stats *st = &ctx->current;
    st->end = now;
    st->rendered = submitted;
    st->cpu_ms = (double)(now - st->wake) * 1e-6;
    st->pose_age_ms = submitted ? (double)(st->submit - st->latch) * 1e-6 : 0.0;
    if (!submitted) st->latch = 0;
    plx_pose_error_frame_ending(ctx, ei.layerCount == 1); /* photon age; errors of past frames */
    plx_stats_commit(ctx);
    plx_timeline_frame_ended(ctx); /* trace events, mirror present: after xrEndFrame, off the XR path */
    return PLX_SUCCESS;
}

/* The public frame functions: while a lost session or instance waits for plx_poll to re-create it
 * (recover.c), they answer PLX_SESSION_NOT_RUNNING instead of an error, so an app's loop carries on. */
plx_result plx_frame_wait(plx_context *ctx, plx_frame *frame)
{
    return plx_recover_filter(ctx, frame_wait(ctx, frame));
}

plx_result plx_frame_begin(plx_context *ctx, plx_frame *frame)
{
    return plx_recover_filter(ctx, frame_begin(ctx, frame));
}

plx_result plx_frame_end(plx_context *ctx, plx_frame *frame)
{
    return plx_recover_filter(ctx, frame_end(ctx, frame));
}
