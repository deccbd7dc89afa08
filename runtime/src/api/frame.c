/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: plx_frame_wait / begin / post_pass / images / end. The frame loop (frame.c)
 * does the work; here the arguments and the calling thread are checked, and a lost session or instance that
 * a call met is handed to recovery (xr/recover.c): while recovery is pending the calls answer
 * PLX_SESSION_NOT_RUNNING instead of an error and the frame in progress is dropped, so an app's loop carries
 * on until plx_poll has re-created what was lost. May call the frame loop and xr/. */
#include "plx_context.h"

static plx_result after_frame_call(plx_context *ctx, plx_result res)
{
    if (!ctx) return res;
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    if (!plx_recover_pending(&ctx->recover)) return res;
    if (res < 0 || res == PLX_SUCCESS) {
        /* The frame in progress cannot be finished on a lost session: start cleanly after recovery. */
        plx_loop_drop_frame(ctx);
        return PLX_SESSION_NOT_RUNNING;
    }
    return res;
}

/* NULL arguments and the thread: the checks every frame call makes first. */
static plx_result check_call(plx_context *ctx, const void *frame, const char *fn)
{
    if (!ctx || !frame)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        ctx ? "frame" : "ctx");
    return plx_api_check_thread(ctx, fn);
}

plx_result plx_frame_wait(plx_context *ctx, plx_frame *frame)
{
    plx_result res = check_call(ctx, frame, "plx_frame_wait");
    if (res < 0) return res;
    return after_frame_call(ctx, plx_loop_wait(ctx, frame));
}

plx_result plx_frame_begin(plx_context *ctx, plx_frame *frame)
{
    plx_result res = check_call(ctx, frame, "plx_frame_begin");
    if (res < 0) return res;
    return after_frame_call(ctx, plx_loop_begin(ctx, frame));
}

plx_result plx_frame_post_pass(plx_context *ctx, plx_frame *frame, plx_frame_images *out_images)
{
    plx_result res = check_call(ctx, frame, "plx_frame_post_pass");
    if (res < 0) return res;
    return plx_loop_post_pass(ctx, frame, out_images);
}

plx_result plx_frame_get_images(plx_context *ctx, const plx_frame *frame, plx_frame_images *out_images)
{
    plx_result res = check_call(ctx, frame, "plx_frame_get_images");
    if (res < 0) return res;
    if (!out_images)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_frame_get_images: out_images is NULL");
    return plx_loop_images(ctx, frame, out_images);
}

plx_result plx_frame_end(plx_context *ctx, plx_frame *frame)
{
    plx_result res = check_call(ctx, frame, "plx_frame_end");
    if (res < 0) return res;
    return after_frame_call(ctx, plx_loop_end(ctx, frame));
}
