/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: plx_poll and plx_request_exit. The session state machine: the event queue
 * (xr/events.c) says what changed, and this file decides what that means: xrBeginSession or xrEndSession
 * (xr/session.c), what the frame loop forgets (frame.c), a loss handed to recovery, which runs here too. May
 * call the frame loop and xr/. */
#include "plx_context.h"

static plx_result on_state(plx_context *ctx, XrSessionState state, XrTime time)
{
    plx_result res = PLX_SUCCESS;
    switch (state) {
    case XR_SESSION_STATE_READY:
        if ((res = plx_xr_begin_session(&ctx->xr, time)) < 0) return res;
        plx_loop_session_began(ctx);
        break;
    case XR_SESSION_STATE_STOPPING:
        plx_loop_session_stopping(ctx);
        if ((res = plx_xr_end_session(&ctx->xr)) < 0) return res;
        break;
    case XR_SESSION_STATE_EXITING:
        plx_xr_set_should_quit(&ctx->xr);
        break;
    case XR_SESSION_STATE_LOSS_PENDING:
        /* Recovery destroys the session and creates a new one at the end of this poll. */
        plx_recover_mark(&ctx->recover, &ctx->xr, false, "LOSS_PENDING");
        break;
    default:
        break;
    }
    return PLX_SUCCESS;
}

static plx_result poll(plx_context *ctx, plx_events *out_events)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_poll: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_poll");
    if (chk < 0) return chk;
    bool changed = false;
    /* A loss seen by a frame call is recovered first; while an instance re-creation waits for its next
     * attempt there is no instance to poll. */
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    plx_result res = plx_loop_recover(ctx);
    while (res == PLX_SUCCESS && ctx->xr.instance != XR_NULL_HANDLE) {
        plx_xr_event ev;
        if ((res = plx_xr_poll_event(&ctx->xr, &ev)) < 0 || ev.kind == PLX_XR_EVENT_NONE) break;
        if (ev.kind == PLX_XR_EVENT_INSTANCE_LOSS) {
            plx_recover_mark(&ctx->recover, &ctx->xr, true, "XrEventDataInstanceLossPending");
        } else {
            changed = true;
            res = on_state(ctx, ev.state, ev.time);
        }
    }
    /* A loss met in this poll (an event, or XR_ERROR_*_LOST from xrPollEvent or xrEndSession) is recovered
     * now, so the app sees the new session's READY on its next poll. */
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    if (plx_recover_pending(&ctx->recover) && !plx_xr_should_quit(&ctx->xr)) {
        if (res < 0) plx_log(&ctx->report, PLX_LOG_INFO, "recovering from: %s", ctx->report.last_error);
        res = plx_loop_recover(ctx);
    }
    XrSessionState state = plx_xr_state(&ctx->xr);
    bool running = plx_xr_running(&ctx->xr), should_quit = plx_xr_should_quit(&ctx->xr);
    if (out_events) {
        *out_events = (plx_events){
            .state = state <= XR_SESSION_STATE_EXITING ? (plx_session_state)state : PLX_STATE_UNKNOWN,
            .state_changed = changed,
            .running = running,
            .visible = state == XR_SESSION_STATE_VISIBLE || state == XR_SESSION_STATE_FOCUSED,
            .focused = state == XR_SESSION_STATE_FOCUSED,
            .should_quit = should_quit,
        };
        plx_recover_report(&ctx->recover, &out_events->session_restarted, &out_events->instance_restarted);
    }
    if (res < 0) return res;
    if (should_quit) return PLX_SHOULD_QUIT;
    if (!running) return PLX_SESSION_NOT_RUNNING;
    return state == XR_SESSION_STATE_FOCUSED ? PLX_SUCCESS : PLX_NOT_FOCUSED;
}

plx_result plx_request_exit(plx_context *ctx)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_request_exit: ctx is NULL");
    plx_result chk = plx_api_check_thread(ctx, "plx_request_exit");
    if (chk < 0) return chk;
    if (!plx_xr_running(&ctx->xr)) return PLX_SESSION_NOT_RUNNING;
    plx_result res = plx_xr_request_exit(&ctx->xr);
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    return res;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

plx_result plx_poll_sized(plx_context *ctx, plx_events *out_events, size_t events_size)
{
    if (!out_events) return poll(ctx, NULL);
    plx_result res =
        plx_abi_check_size(PLX_REPORT(ctx), "plx_poll", "plx_events", events_size, PLX_ABI_0_2_EVENTS);
    if (res < 0) return res;
    plx_events own = {0};
    res = poll(ctx, &own);
    plx_abi_copy(out_events, events_size, &own, sizeof own);
    return res;
}
