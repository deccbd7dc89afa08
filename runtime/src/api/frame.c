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

/* The app's plx_frame comes with its size (base/abi.c): the loop works on the library's own copy, which is
 * written back after every call. plx_frame_wait reads nothing from the app's frame (it fills it), so its
 * unknown tail is not checked there, and zeroed on the way back for the next calls' check. */
typedef plx_result (*loop_call)(plx_context *ctx, plx_frame *frame);

static plx_result frame_call(plx_context *ctx, plx_frame *frame, size_t frame_size, const char *call,
                             loop_call fn, bool reads_frame)
{
    if (!frame) return after_frame_call(ctx, fn(ctx, NULL));
    plx_frame own;
    plx_result res =
        reads_frame ? plx_abi_in(PLX_REPORT(ctx), call, "plx_frame", &own, sizeof own, frame, frame_size,
                                 PLX_ABI_0_2_FRAME)
                    : plx_abi_check_size(PLX_REPORT(ctx), call, "plx_frame", frame_size, PLX_ABI_0_2_FRAME);
    if (res < 0) return res;
    if (!reads_frame) plx_abi_copy(&own, sizeof own, frame, frame_size);
    res = after_frame_call(ctx, fn(ctx, &own));
    plx_abi_copy(frame, frame_size, &own, sizeof own);
    return res;
}

plx_result plx_frame_wait_sized(plx_context *ctx, plx_frame *frame, size_t frame_size)
{
    return frame_call(ctx, frame, frame_size, "plx_frame_wait", plx_loop_wait, false);
}

plx_result plx_frame_begin_sized(plx_context *ctx, plx_frame *frame, size_t frame_size)
{
    return frame_call(ctx, frame, frame_size, "plx_frame_begin", plx_loop_begin, true);
}

plx_result plx_frame_end_sized(plx_context *ctx, plx_frame *frame, size_t frame_size)
{
    return frame_call(ctx, frame, frame_size, "plx_frame_end", plx_loop_end, true);
}
