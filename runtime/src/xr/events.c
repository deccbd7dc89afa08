/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: the OpenXR event queue. Returns the events that matter above (our session's state changes,
 * an instance loss) as facts and logs the rest; the public entry points (api/poll.c) decide what a state
 * change means to the frame loop. May call base/. */
#include <openxr/openxr_reflection.h>

#include "xr/plx_xr.h"

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

plx_result plx_xr_poll_event(plx_xr *xr, plx_xr_event *out)
{
    *out = (plx_xr_event){.kind = PLX_XR_EVENT_NONE};
    for (;;) {
        XrEventDataBuffer ev = {.type = XR_TYPE_EVENT_DATA_BUFFER};
        XrResult res = xrPollEvent(xr->instance, &ev);
        if (res == XR_EVENT_UNAVAILABLE) return PLX_SUCCESS;
        plx_result r = PLX_XR_RESULT(xr->report, res, "xrPollEvent");
        if (r < 0) return r;
        switch (ev.type) {
        case XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED: {
            const XrEventDataSessionStateChanged *sc = (const XrEventDataSessionStateChanged *)&ev;
            if (sc->session != xr->session) break;
            plx_log(xr->report, PLX_LOG_INFO, "session state %s -> %s", state_name(xr->state),
                    state_name(sc->state));
            xr->state = sc->state;
            *out = (plx_xr_event){.kind = PLX_XR_EVENT_STATE, .state = sc->state, .time = sc->time};
            return PLX_SUCCESS;
        }
        case XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING:
            out->kind = PLX_XR_EVENT_INSTANCE_LOSS;
            return PLX_SUCCESS;
        case XR_TYPE_EVENT_DATA_EVENTS_LOST:
            plx_log(xr->report, PLX_LOG_WARN, "OpenXR dropped %u events",
                    ((const XrEventDataEventsLost *)&ev)->lostEventCount);
            break;
        case XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING:
            plx_log(xr->report, PLX_LOG_INFO, "reference space change pending");
            break;
        default:
            plx_log(xr->report, PLX_LOG_DEBUG, "OpenXR event type %d ignored", (int)ev.type);
            break;
        }
    }
}
