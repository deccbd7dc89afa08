/* The session state machine, driven by the OpenXR event queue. */
#include "plx_context.h"
#include <openxr/openxr_reflection.h>

/* "XR_SESSION_STATE_FOCUSED" -> "FOCUSED", from the OpenXR reflection header rather than a hand-kept list. */
static const char *state_name(XrSessionState s)
{
#define PLX_STATE_CASE(name, value) \
    case name:                      \
        return #name + sizeof("XR_SESSION_STATE_") - 1;
    switch (s) {
        XR_LIST_ENUM_XrSessionState(PLX_STATE_CASE) default : return "UNKNOWN";
    }
#undef PLX_STATE_CASE
}

static plx_result on_state(plx_context *ctx, XrSessionState state, XrTime time)
{
    plx_log(ctx, PLX_LOG_INFO, "session state %s -> %s", state_name(ctx->state), state_name(state));
    ctx->state = state;
    plx_result res = PLX_SUCCESS;
    switch (state) {
    case XR_SESSION_STATE_READY: {
        XrSessionBeginInfo bi = {
            .type = XR_TYPE_SESSION_BEGIN_INFO,
            .primaryViewConfigurationType = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
        };
        if ((res = PLX_XR(ctx, xrBeginSession(ctx->session, &bi))) < 0) return res;
        plx_pacing_session_reset(ctx);
        ctx->running = true;
        ctx->session_begin_time = time;
        break;
    }
    case XR_SESSION_STATE_STOPPING:
        /* A frame between wait and end cannot be finished once the session stops; forget it so the loop
         * starts cleanly if the session becomes READY again. */
        if (ctx->phase == PLX_PHASE_WAITED) ctx->phase = PLX_PHASE_IDLE;
        plx_pacing_session_reset(ctx); /* a frame waited ahead is forgotten the same way */
        ctx->running = false;
        if ((res = PLX_XR(ctx, xrEndSession(ctx->session))) < 0) return res;
        break;
    case XR_SESSION_STATE_EXITING:
        ctx->should_quit = true;
        break;
    case XR_SESSION_STATE_LOSS_PENDING:
        /* recover.c destroys the session and creates a new one at the end of this poll. */
        plx_recover_mark(ctx, false, "LOSS_PENDING");
        break;
    default:
        break;
    }
    return PLX_SUCCESS;
}

plx_result plx_poll(plx_context *ctx, plx_events *out_events)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_poll: ctx is NULL");
    bool changed = false;
    /* A loss seen by a frame call is recovered first (recover.c); while an instance re-creation waits for
     * its next attempt there is no instance to poll. */
    plx_result res = plx_recover_poll(ctx);
    for (; res == PLX_SUCCESS && ctx->instance != XR_NULL_HANDLE;) {
        XrEventDataBuffer ev = {.type = XR_TYPE_EVENT_DATA_BUFFER};
        XrResult xr = xrPollEvent(ctx->instance, &ev);
        if (xr == XR_EVENT_UNAVAILABLE) break;
        if ((res = PLX_XR(ctx, xr)) < 0) break;
        switch (ev.type) {
        case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED: {
            const XrEventDataSessionStateChanged *sc = (const XrEventDataSessionStateChanged *)&ev;
            if (sc->session != ctx->session) break;
            changed = true;
            res = on_state(ctx, sc->state, sc->time);
            break;
        }
        case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING:
            plx_recover_mark(ctx, true, "XrEventDataInstanceLossPending");
            break;
        case XR_TYPE_EVENT_DATA_EVENTS_LOST:
            plx_log(ctx, PLX_LOG_WARN, "OpenXR dropped %u events",
                    ((const XrEventDataEventsLost *)&ev)->lostEventCount);
            break;
        case XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING:
            plx_log(ctx, PLX_LOG_INFO, "reference space change pending");
            break;
        default:
            plx_log(ctx, PLX_LOG_DEBUG, "OpenXR event type %d ignored", (int)ev.type);
            break;
        }
        if (res < 0) break;
    }
    /* A loss met in this poll (an event, or XR_ERROR_*_LOST from xrPollEvent or xrEndSession) is recovered
     * now, so the app sees the new session's READY on its next poll. */
    if (plx_recover_pending(ctx) && !ctx->should_quit) {
        if (res < 0) plx_log(ctx, PLX_LOG_INFO, "recovering from: %s", ctx->last_error);
        res = plx_recover_poll(ctx);
    }
    if (out_events) {
        *out_events = (plx_events){
            .state =
                ctx->state <= XR_SESSION_STATE_EXITING ? (plx_session_state)ctx->state : PLX_STATE_UNKNOWN,
            .state_changed = changed,
            .running = ctx->running,
            .visible = ctx->state == XR_SESSION_STATE_VISIBLE || ctx->state == XR_SESSION_STATE_FOCUSED,
            .focused = ctx->state == XR_SESSION_STATE_FOCUSED,
            .should_quit = ctx->should_quit,
        };
        plx_recover_report(ctx, &out_events->session_restarted, &out_events->instance_restarted);
    }
    if (res < 0) return res;
    if (ctx->should_quit) return PLX_SHOULD_QUIT;
    if (!ctx->running) return PLX_SESSION_NOT_RUNNING;
    return ctx->state == XR_SESSION_STATE_FOCUSED ? PLX_SUCCESS : PLX_NOT_FOCUSED;
}

plx_result plx_request_exit(plx_context *ctx)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_request_exit: ctx is NULL");
    if (!ctx->running) return PLX_SESSION_NOT_RUNNING;
    return PLX_XR(ctx, xrRequestExitSession(ctx->session));
}
