/* SPDX-License-Identifier: MIT */
/* Event queue overflow: session state changes are never lost; the events that are lost are reported by an
 * XrEventDataEventsLost at the place in the queue where they were removed.
 * Spec: OpenXR 1.0 and 1.1, xrspec.html#fundamentals-event-polling and #XrEventDataEventsLost ("Receiving the
 * XrEventDataEventsLost event structure indicates that the event queue overflowed and some events were
 * removed at the position within the queue at which this event was found"), #XrEventDataSessionStateChanged
 * and #session-lifecycle: the application learns its session's state only from these events (there is no
 * state query), and must call xrBeginSession after READY and xrEndSession after STOPPING, so a runtime that
 * drops one leaves the application stuck. The spec lets a runtime choose which events overflow; this one
 * keeps every state change (and instance loss) and drops other events first. The test polls until READY,
 * begins the session, then runs 110 frames without polling while the simulated headset (PARALLAX_SIM_FAULTS)
 * takes the session from FOCUSED to SYNCHRONIZED and back 20 times: 83 state changes wait in the queue (it
 * holds 64 before it overflows). Then it asks to exit and polls: every state change must be there, in order,
 * each one a transition the session state diagram allows, from SYNCHRONIZED to STOPPING. */
#include "conf.h"

#include <stdlib.h>

#define TOGGLES 20

/* Transitions of the session state diagram (xrspec.html#session-lifecycle) a running session can make. */
static bool legal(XrSessionState from, XrSessionState to)
{
    switch (from) {
    case XR_SESSION_STATE_READY:
        return to == XR_SESSION_STATE_SYNCHRONIZED;
    case XR_SESSION_STATE_SYNCHRONIZED:
        return to == XR_SESSION_STATE_VISIBLE || to == XR_SESSION_STATE_STOPPING;
    case XR_SESSION_STATE_VISIBLE:
        return to == XR_SESSION_STATE_SYNCHRONIZED || to == XR_SESSION_STATE_FOCUSED;
    case XR_SESSION_STATE_FOCUSED:
        return to == XR_SESSION_STATE_VISIBLE;
    case XR_SESSION_STATE_STOPPING:
        return to == XR_SESSION_STATE_IDLE;
    case XR_SESSION_STATE_IDLE:
        return to == XR_SESSION_STATE_EXITING || to == XR_SESSION_STATE_READY;
    default:
        return false;
    }
}

/* One run: poll until READY, begin, 110 frames without polling while the faults toggle visibility (and, with
 * presence, the script toggles the headset on and off every 20 ms), ask to exit, then poll everything. */
static void run(conf *c, bool presence)
{
    const char *ext[] = {XR_EXT_USER_PRESENCE_EXTENSION_NAME};
    if (presence) {
        char script[1024] = "";
        for (int i = 0; i < 48; i++) {
            char entry[32];
            snprintf(entry, sizeof(entry), "head.worn=%d@%.2f;", i % 2 == 0 ? 0 : 1, 0.1 + 0.02 * i);
            strcat(script, entry);
        }
        setenv("PARALLAX_SIM_INPUT", script, 1);
    }
    if (!conf_instance(c, &(conf_desc){.extensions = ext, .extension_count = presence ? 1 : 0}) ||
        !conf_session(c) || !conf_begin(c))
        return;
    int seen_before = c->event_count;
    for (int i = 0; i < 110; i++) {
        XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
        if (!CONF_XR(c, xrWaitFrame(c->session, NULL, &fs)) || !CONF_XR(c, xrBeginFrame(c->session, NULL)))
            break;
        XrFrameEndInfo ei = {.type = XR_TYPE_FRAME_END_INFO,
                             .displayTime = fs.predictedDisplayTime,
                             .environmentBlendMode = XR_ENVIRONMENT_BLEND_MODE_OPAQUE};
        if (!CONF_XR(c, xrEndFrame(c->session, &ei))) break;
    }
    CONF_XR(c, xrRequestExitSession(c->session));
    XrSessionState prev = XR_SESSION_STATE_READY;
    int changes = 0, focused = 0, lost_events = 0, lost_total = 0, illegal = 0, presences = 0;
    int last_presence = -1, lost_after_last_presence = 0;
    const char *mode = presence ? "with presence events" : "state changes only";
    for (int i = 0; i < 1000; i++) {
        XrEventDataBuffer ev;
        XrResult r = conf_poll(c, &ev);
        if (r != XR_SUCCESS) break;
        if (ev.type == XR_TYPE_EVENT_DATA_EVENTS_LOST) {
            lost_events++;
            lost_total += (int)((XrEventDataEventsLost *)&ev)->lostEventCount;
            lost_after_last_presence = 1;
            printf("  %s: XrEventDataEventsLost after %d state changes: lostEventCount %u\n", mode, changes,
                   ((XrEventDataEventsLost *)&ev)->lostEventCount);
            continue;
        }
        if (ev.type == XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT) {
            presences++;
            last_presence = ((XrEventDataUserPresenceChangedEXT *)&ev)->isUserPresent ? 1 : 0;
            lost_after_last_presence = 0;
            continue;
        }
        if (ev.type != XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED) continue;
        XrSessionState st = ((XrEventDataSessionStateChanged *)&ev)->state;
        if (!legal(prev, st) && illegal++ < 3)
            CONF_FAIL(
                c,
                "%s: state change %d: %d -> %d is not a transition of the session state diagram (a state "
                "change was lost)",
                mode, changes + 1, (int)prev, (int)st);
        changes++;
        focused += st == XR_SESSION_STATE_FOCUSED;
        prev = st;
        if (st == XR_SESSION_STATE_STOPPING) break;
    }
    (void)seen_before;
    printf("  %s: %d state changes polled after READY, %d of them FOCUSED; %d presence events, %d lost\n",
           mode, changes, focused, presences, lost_total);
    CONF_CHECK(c, prev == XR_SESSION_STATE_STOPPING,
               "%s: the last state change polled is %d, not STOPPING: the app cannot end its session", mode,
               (int)prev);
    CONF_CHECK(
        c, focused == TOGGLES + 1,
        "%s: FOCUSED arrived %d times, expected %d (once after xrBeginSession, once after each of the %d "
        "visibility changes)",
        mode, focused, TOGGLES + 1, TOGGLES);
    CONF_CHECK(c, changes > 64, "%s: only %d state changes were queued: the queue never overflowed", mode,
               changes);
    if (!presence) {
        CONF_CHECK(c, lost_events == 0,
                   "%s: %d XrEventDataEventsLost although only state changes were queued", mode, lost_events);
    } else {
        /* Presence events did overflow: some were lost and said so, and the newest, which tells the presence
         * as it is (the script ends with the headset on), was kept, after the gap. */
        CONF_CHECK(c, lost_total > 0,
                   "%s: %d presence events and no XrEventDataEventsLost: nothing overflowed?", mode,
                   presences);
        CONF_CHECK(c, last_presence == 1, "%s: the last presence event says %d, the user has the headset on",
                   mode, last_presence);
        CONF_CHECK(
            c, !lost_after_last_presence,
            "%s: an XrEventDataEventsLost came after the newest presence event: the newest was dropped",
            mode);
    }
    if (c->state == XR_SESSION_STATE_STOPPING && CONF_XR(c, xrEndSession(c->session))) conf_drain(c);
    conf_teardown(c);
    unsetenv("PARALLAX_SIM_INPUT");
}

int main(void)
{
    conf c;
    conf_start(&c, "event_overflow_keeps_state_changes",
               "xrPollEvent: on queue overflow no session state change is lost; XrEventDataEventsLost marks "
               "the gap");
    char faults[1024] = "";
    for (int i = 0; i < TOGGLES; i++) {
        char entry[64];
        snprintf(entry, sizeof(entry), "visibility@frame=%d:to=synchronized,for=1ms;", 8 + 4 * i);
        strcat(faults, entry);
    }
    setenv("PARALLAX_SIM_FAULTS", faults, 1);
    run(&c, false);
    run(&c, true);
    unsetenv("PARALLAX_SIM_FAULTS");
    return conf_finish(&c);
}
