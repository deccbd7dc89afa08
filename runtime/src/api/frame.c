/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: plx_frame_wait / begin / post_pass / images / end, and the pass secondaries
 * of the app's recording threads (plx_frame_pass_secondary, plx_frame_end_pass_secondary). The frame loop
 * (frame.c) does the work; here the arguments and the calling thread are checked, and a lost session or
 * instance that a call met is handed to recovery (xr/recover.c): while recovery is pending the calls answer
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

/* The app's structs come with their size (base/abi.c): the loop works on the library's own copies, written
 * back after every call. plx_frame_wait reads nothing from the app's frame (it fills it), so its unknown tail
 * is not checked there, and zeroed on the way back for the next calls' check. */
typedef plx_result (*loop_call)(plx_context *ctx, plx_frame *frame);

/* check_call, then the app's frame into own (in: checked; or only its size when the call fills it). */
static plx_result frame_in(plx_context *ctx, const plx_frame *frame, size_t frame_size, const char *call,
                           bool reads_frame, plx_frame *own)
{
    plx_result res = check_call(ctx, frame, call);
    if (res < 0) return res;
    if (reads_frame)
        return plx_abi_in(&ctx->report, call, "plx_frame", own, sizeof *own, frame, frame_size,
                          PLX_ABI_0_2_FRAME);
    if ((res = plx_abi_check_size(&ctx->report, call, "plx_frame", frame_size, PLX_ABI_0_2_FRAME)) < 0)
        return res;
    plx_abi_copy(own, sizeof *own, frame, frame_size);
    return PLX_SUCCESS;
}

static plx_result frame_call(plx_context *ctx, plx_frame *frame, size_t frame_size, const char *call,
                             loop_call fn, bool reads_frame)
{
    plx_frame own;
    plx_result res = frame_in(ctx, frame, frame_size, call, reads_frame, &own);
    if (res < 0) return res;
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

plx_result plx_frame_post_pass_sized(plx_context *ctx, plx_frame *frame, size_t frame_size,
                                     plx_frame_images *out_images, size_t images_size)
{
    plx_frame own;
    plx_frame_images own_images;
    plx_result res = frame_in(ctx, frame, frame_size, "plx_frame_post_pass", true, &own);
    if (res >= 0 && out_images)
        res = plx_abi_check_size(&ctx->report, "plx_frame_post_pass", "plx_frame_images", images_size,
                                 PLX_ABI_0_2_FRAME_IMAGES);
    if (res < 0) return res;
    res = plx_loop_post_pass(ctx, &own, out_images ? &own_images : NULL);
    plx_abi_copy(frame, frame_size, &own, sizeof own);
    if (out_images && res >= 0) plx_abi_copy(out_images, images_size, &own_images, sizeof own_images);
    return res;
}

plx_result plx_frame_get_images_sized(plx_context *ctx, const plx_frame *frame, size_t frame_size,
                                      plx_frame_images *out_images, size_t images_size)
{
    plx_frame own;
    plx_frame_images own_images;
    plx_result res = frame_in(ctx, frame, frame_size, "plx_frame_get_images", true, &own);
    if (res < 0) return res;
    if (!out_images)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_frame_get_images: out_images is NULL");
    if ((res = plx_abi_check_size(&ctx->report, "plx_frame_get_images", "plx_frame_images", images_size,
                                  PLX_ABI_0_2_FRAME_IMAGES)) < 0)
        return res;
    if ((res = plx_loop_images(ctx, &own, &own_images)) >= 0)
        plx_abi_copy(out_images, images_size, &own_images, sizeof own_images);
    return res;
}

plx_result plx_frame_end_sized(plx_context *ctx, plx_frame *frame, size_t frame_size)
{
    return frame_call(ctx, frame, frame_size, "plx_frame_end", plx_loop_end, true);
}

plx_result plx_frame_pass_secondary_sized(plx_context *ctx, const plx_frame *frame, size_t frame_size,
                                          uint32_t index, VkCommandBuffer *out_cmd)
{
    if (out_cmd) *out_cmd = VK_NULL_HANDLE;
    plx_frame own;
    plx_result res = frame_in(ctx, frame, frame_size, "plx_frame_pass_secondary", true, &own);
    if (res < 0) return res;
    if (!out_cmd)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_frame_pass_secondary: out_cmd is NULL");
    /* The frame dropped meanwhile (a plx_poll found the session stopping or lost): nothing to record. */
    if (plx_loop_frame_dropped(ctx, &own)) return PLX_SESSION_NOT_RUNNING;
    return plx_loop_pass_secondary(ctx, &own, index, out_cmd);
}

plx_result plx_frame_end_pass_secondary(plx_context *ctx, VkCommandBuffer cmd)
{
    /* Any thread (parallax.h): no thread check, and errors in the calling thread's slot. */
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_frame_end_pass_secondary: ctx is NULL");
    return plx_loop_end_pass_secondary(ctx, cmd);
}
