/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: plx_frame_wait / begin / end. The frame loop (frame.c) does the work; here a
 * lost session or instance that a call met is handed to recovery (xr/recover.c), and while recovery is
 * pending the calls answer PLX_SESSION_NOT_RUNNING instead of an error and the frame in progress is
 * dropped, so an app's loop carries on until plx_poll has re-created what was lost. May call the frame loop
 * and xr/. */
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

plx_result plx_frame_wait(plx_context *ctx, plx_frame *frame)
{
    return after_frame_call(ctx, plx_loop_wait(ctx, frame));
}

plx_result plx_frame_begin(plx_context *ctx, plx_frame *frame)
{
    return after_frame_call(ctx, plx_loop_begin(ctx, frame));
}

plx_result plx_frame_end(plx_context *ctx, plx_frame *frame)
{
    return after_frame_call(ctx, plx_loop_end(ctx, frame));
}
