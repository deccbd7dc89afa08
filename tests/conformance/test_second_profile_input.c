/* SPDX-License-Identifier: MIT */
/* A device presenting a second interaction profile the application suggested bindings for drives the actions
 * bound through that profile, and xrGetCurrentInteractionProfile names it. Spec: OpenXR 1.0 and 1.1,
 * xrspec.html#input-suggested-bindings ("If bindings are provided for an appropriate interaction profile, the
 * runtime may select one and input will begin to flow"; the runtime must make a best effort to convert the
 * input to the action: a vector parent path binds its x and y), #xrGetCurrentInteractionProfile ("The runtime
 * must return only interaction profiles for which the application has provided suggested bindings"). The
 * application suggests Oculus Touch (preferred) and HTC Vive bindings; the simulated user then holds a Vive
 * controller in the right hand (PARALLAX_SIM_INPUT "right.profile=htc/vive_controller") and moves its
 * trackpad and trigger: the values reach the actions through the Vive bindings, the left hand stays Touch,
 * and the "none" device of the gamepad path reports XR_NULL_PATH. */
#include "conf.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int main(void)
{
    conf c;
    conf_start(&c, "second_profile_input",
               "input on a second suggested profile's components reaches the actions bound through it");
    /* Seconds after xrBeginSession: the right hand holds a Vive controller from the start. */
    setenv("PARALLAX_SIM_INPUT",
           "right.profile=htc/vive_controller@0; right.trackpad=0.5,-0.25@0.2; right.trigger=0.7@0.2", 1);
    if (conf_instance(&c, NULL) && conf_session(&c) && conf_begin(&c)) {
        XrPath hands[2] = {conf_path(&c, "/user/hand/left"), conf_path(&c, "/user/hand/right")};
        XrActionSet set = conf_action_set(&c, "play");
        XrAction fire = conf_action(&c, set, "fire", XR_ACTION_TYPE_FLOAT_INPUT, 2, hands);
        XrAction move = conf_action(&c, set, "move", XR_ACTION_TYPE_VECTOR2F_INPUT, 2, hands);
        XrActionSuggestedBinding touch[] = {
            {fire, conf_path(&c, "/user/hand/left/input/trigger/value")},
            {fire, conf_path(&c, "/user/hand/right/input/trigger/value")},
            {move, conf_path(&c, "/user/hand/left/input/thumbstick")},
            {move, conf_path(&c, "/user/hand/right/input/thumbstick")},
        };
        XrActionSuggestedBinding vive[] = {
            {fire, conf_path(&c, "/user/hand/left/input/trigger/value")},
            {fire, conf_path(&c, "/user/hand/right/input/trigger/value")},
            {move, conf_path(&c, "/user/hand/left/input/trackpad")},
            {move, conf_path(&c, "/user/hand/right/input/trackpad")},
        };
        CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/oculus/touch_controller", touch, 4));
        CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/htc/vive_controller", vive, 4));
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));
        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        /* Frames until the scripted input is in (0.2 s) and the session is focused. */
        XrActionStateFloat f = {.type = XR_TYPE_ACTION_STATE_FLOAT};
        XrActionStateVector2f v = {.type = XR_TYPE_ACTION_STATE_VECTOR2F};
        for (int i = 0; i < 90; i++) {
            conf_frame(&c);
            XrResult r = xrSyncActions(c.session, &si);
            if (r != XR_SUCCESS) continue;
            XrActionStateGetInfo gi = {
                .type = XR_TYPE_ACTION_STATE_GET_INFO, .action = fire, .subactionPath = hands[1]};
            xrGetActionStateFloat(c.session, &gi, &f);
            gi.action = move;
            xrGetActionStateVector2f(c.session, &gi, &v);
            if (f.currentState > 0.0f && v.currentState.x != 0.0f) break;
        }
        XrInteractionProfileState ips = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, hands[1], &ips));
        CONF_CHECK(&c, ips.interactionProfile == conf_path(&c, "/interaction_profiles/htc/vive_controller"),
                   "the right hand does not present the Vive controller");
        ips = (XrInteractionProfileState){.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, hands[0], &ips));
        CONF_CHECK(&c,
                   ips.interactionProfile == conf_path(&c, "/interaction_profiles/oculus/touch_controller"),
                   "the left hand does not present the Touch controller (the preferred suggested profile)");
        ips = (XrInteractionProfileState){.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, conf_path(&c, "/user/gamepad"), &ips));
        CONF_CHECK(&c, ips.interactionProfile == XR_NULL_PATH,
                   "the gamepad reports a profile the application has no bindings for");
        CONF_CHECK(&c, f.isActive && fabsf(f.currentState - 0.7f) < 1e-4f,
                   "fire (Vive trigger/value) is %s %.3f, expected active 0.7",
                   f.isActive ? "active" : "inactive", (double)f.currentState);
        CONF_CHECK(&c,
                   v.isActive && fabsf(v.currentState.x - 0.5f) < 1e-4f &&
                       fabsf(v.currentState.y + 0.25f) < 1e-4f,
                   "move (Vive trackpad) is %s (%.3f, %.3f), expected active (0.5, -0.25)",
                   v.isActive ? "active" : "inactive", (double)v.currentState.x, (double)v.currentState.y);
        uint32_t n = 0;
        XrPath sources[8];
        XrBoundSourcesForActionEnumerateInfo be = {.type = XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO,
                                                   .action = move};
        CONF_XR(&c, xrEnumerateBoundSourcesForAction(c.session, &be, 8, &n, sources));
        bool trackpad = false;
        for (uint32_t i = 0; i < n; i++)
            trackpad |= sources[i] == conf_path(&c, "/user/hand/right/input/trackpad");
        CONF_CHECK(&c, trackpad, "move is not bound to /user/hand/right/input/trackpad");
        printf("  right hand: Vive trigger %.2f, trackpad (%.2f, %.2f); %u bound sources of move\n",
               (double)f.currentState, (double)v.currentState.x, (double)v.currentState.y, n);
        conf_end(&c);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
