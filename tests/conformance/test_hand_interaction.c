/* SPDX-License-Identifier: MIT */
/* XR_EXT_hand_interaction: its interaction profile and the paths it adds exist only with the extension, and
 * its values follow the hand. Spec: the XR_EXT_hand_interaction appendix of OpenXR 1.0 and 1.1,
 * xrspec.html#XR_EXT_hand_interaction: the profile /interaction_profiles/ext/hand_interaction_ext with
 * pinch_ext, poke_ext, grip and aim poses and the pinch_ext, aim_activate_ext and grasp_ext value/ready_ext
 * inputs; "the pinch_ext/pose and poke_ext/pose [...] are added to" the core profiles of the hands; "The
 * /input/pinch_ext/value must be at value 0.0f or XR_FALSE when the hand is in a natural and relaxed open
 * state"; "[value] must be 0.0f or XR_FALSE when the [...] ready_ext is XR_FALSE"; and
 * #xrSuggestInteractionProfileBindings (paths of an extension that is not enabled are not in the allowlist:
 * XR_ERROR_PATH_UNSUPPORTED). The simulated user's hands (PARALLAX_SIM_INPUT) present the hand interaction
 * profile: the right hand pinches, the left makes a fist and later loses tracking. */
#include "conf.h"

#include <stdlib.h>
#include <string.h>

static float get_float(conf *c, XrAction a, XrPath sub)
{
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = a, .subactionPath = sub};
    XrActionStateFloat s = {.type = XR_TYPE_ACTION_STATE_FLOAT};
    CONF_XR(c, xrGetActionStateFloat(c->session, &gi, &s));
    return s.isActive ? s.currentState : -1.0f;
}

static int get_bool(conf *c, XrAction a, XrPath sub)
{
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO, .action = a, .subactionPath = sub};
    XrActionStateBoolean s = {.type = XR_TYPE_ACTION_STATE_BOOLEAN};
    CONF_XR(c, xrGetActionStateBoolean(c->session, &gi, &s));
    return s.isActive ? (int)s.currentState : -1;
}

int main(void)
{
    conf c;
    conf_start(&c, "hand_interaction",
               "XR_EXT_hand_interaction: its profile and paths only with the extension; pinch "
               "and grasp follow the hand, nothing while it is not tracked");
    /* Without the extension: neither its profile nor the paths it adds to the core profiles. */
    XrInstance plain = XR_NULL_HANDLE;
    if (conf_create_instance(&c, NULL, &plain)) {
        XrInstance keep = c.instance;
        c.instance = plain;
        XrActionSet set = conf_action_set(&c, "probe");
        XrPath hands[2] = {conf_path(&c, "/user/hand/left"), conf_path(&c, "/user/hand/right")};
        XrAction pose = conf_action(&c, set, "pose", XR_ACTION_TYPE_POSE_INPUT, 2, hands);
        XrActionSuggestedBinding b = {pose, conf_path(&c, "/user/hand/left/input/pinch_ext/pose")};
        CONF_XR_EXPECT(&c, conf_suggest(&c, "/interaction_profiles/ext/hand_interaction_ext", &b, 1),
                       XR_ERROR_PATH_UNSUPPORTED);
        CONF_XR_EXPECT(&c, conf_suggest(&c, "/interaction_profiles/khr/simple_controller", &b, 1),
                       XR_ERROR_PATH_UNSUPPORTED);
        c.instance = keep;
        xrDestroyInstance(plain);
    }

    setenv("PARALLAX_SIM_INPUT",
           "left.profile=ext/hand_interaction_ext@0; right.profile=ext/hand_interaction_ext@0; "
           "right.gesture=pinch@0.1; left.gesture=grab@0.1; left.hand_tracked=0@0.5",
           1);
    const char *ext[] = {XR_EXT_HAND_INTERACTION_EXTENSION_NAME};
    if (conf_instance(&c, &(conf_desc){.extensions = ext, .extension_count = 1}) && conf_session(&c) &&
        conf_begin(&c)) {
        XrPath hands[2] = {conf_path(&c, "/user/hand/left"), conf_path(&c, "/user/hand/right")};
        XrActionSet set = conf_action_set(&c, "hands");
        XrAction pinch = conf_action(&c, set, "pinch", XR_ACTION_TYPE_FLOAT_INPUT, 2, hands);
        XrAction pinch_ready = conf_action(&c, set, "pinch_ready", XR_ACTION_TYPE_BOOLEAN_INPUT, 2, hands);
        XrAction grasp = conf_action(&c, set, "grasp", XR_ACTION_TYPE_FLOAT_INPUT, 2, hands);
        XrAction grasp_ready = conf_action(&c, set, "grasp_ready", XR_ACTION_TYPE_BOOLEAN_INPUT, 2, hands);
        XrAction poke = conf_action(&c, set, "poke", XR_ACTION_TYPE_POSE_INPUT, 2, hands);
        const char *side[2] = {"left", "right"};
        XrActionSuggestedBinding b[10];
        char p[128];
        for (int h = 0; h < 2; h++) {
            snprintf(p, sizeof(p), "/user/hand/%s/input/pinch_ext/value", side[h]);
            b[h * 5 + 0] = (XrActionSuggestedBinding){pinch, conf_path(&c, p)};
            snprintf(p, sizeof(p), "/user/hand/%s/input/pinch_ext/ready_ext", side[h]);
            b[h * 5 + 1] = (XrActionSuggestedBinding){pinch_ready, conf_path(&c, p)};
            snprintf(p, sizeof(p), "/user/hand/%s/input/grasp_ext/value", side[h]);
            b[h * 5 + 2] = (XrActionSuggestedBinding){grasp, conf_path(&c, p)};
            snprintf(p, sizeof(p), "/user/hand/%s/input/grasp_ext/ready_ext", side[h]);
            b[h * 5 + 3] = (XrActionSuggestedBinding){grasp_ready, conf_path(&c, p)};
            snprintf(p, sizeof(p), "/user/hand/%s/input/poke_ext/pose", side[h]);
            b[h * 5 + 4] = (XrActionSuggestedBinding){poke, conf_path(&c, p)};
        }
        CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/ext/hand_interaction_ext", b, 10));
        /* The extension adds pinch_ext and poke_ext poses to the core profiles of the hands. */
        XrActionSuggestedBinding sc = {poke, conf_path(&c, "/user/hand/right/input/poke_ext/pose")};
        CONF_XR(&c, conf_suggest(&c, "/interaction_profiles/khr/simple_controller", &sc, 1));
        XrSessionActionSetsAttachInfo ai = {
            .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &set};
        CONF_XR(&c, xrAttachSessionActionSets(c.session, &ai));
        XrSpace poke_space = XR_NULL_HANDLE;
        XrActionSpaceCreateInfo sci = {.type = XR_TYPE_ACTION_SPACE_CREATE_INFO,
                                       .action = poke,
                                       .subactionPath = hands[0],
                                       .poseInActionSpace = {.orientation = {0, 0, 0, 1}}};
        CONF_XR(&c, xrCreateActionSpace(c.session, &sci, &poke_space));
        XrActiveActionSet active = {set, XR_NULL_PATH};
        XrActionsSyncInfo si = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active};
        /* ~0.35 s: both gestures done (0.1 s + 150 ms blend), the left hand still tracked. */
        for (int i = 0; i < 32; i++) {
            conf_frame(&c);
            xrSyncActions(c.session, &si);
        }
        XrInteractionProfileState ips = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
        CONF_XR(&c, xrGetCurrentInteractionProfile(c.session, hands[1], &ips));
        CONF_CHECK(&c,
                   ips.interactionProfile == conf_path(&c, "/interaction_profiles/ext/hand_interaction_ext"),
                   "the hands do not present the hand interaction profile");
        float rp = get_float(&c, pinch, hands[1]), lg = get_float(&c, grasp, hands[0]),
              lp = get_float(&c, pinch, hands[0]);
        int rr = get_bool(&c, pinch_ready, hands[1]);
        CONF_CHECK(&c, rp > 0.95f && rr == 1, "right hand pinching: pinch %.2f, ready %d", (double)rp, rr);
        CONF_CHECK(&c, lg > 0.95f && get_bool(&c, grasp_ready, hands[0]) == 1, "left fist: grasp %.2f",
                   (double)lg);
        CONF_CHECK(&c, lp == 0.0f, "left fist: pinch %.2f, expected 0", (double)lp);
        XrSpaceLocation l = {.type = XR_TYPE_SPACE_LOCATION};
        CONF_XR(&c, xrLocateSpace(poke_space, c.local, c.last_frame.predictedDisplayTime, &l));
        CONF_CHECK(&c, l.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT,
                   "left poke pose not valid while tracked");
        printf("  tracked: right pinch %.2f ready %d; left grasp %.2f pinch %.2f\n", (double)rp, rr,
               (double)lg, (double)lp);
        /* ~0.65 s: the left hand is lost. */
        for (int i = 0; i < 30; i++) {
            conf_frame(&c);
            xrSyncActions(c.session, &si);
        }
        lg = get_float(&c, grasp, hands[0]);
        int lr = get_bool(&c, grasp_ready, hands[0]);
        CONF_CHECK(&c, lr == 0 && lg == 0.0f,
                   "left hand lost: grasp %.2f with ready %d, expected 0 and false", (double)lg, lr);
        l = (XrSpaceLocation){.type = XR_TYPE_SPACE_LOCATION};
        CONF_XR(&c, xrLocateSpace(poke_space, c.local, c.last_frame.predictedDisplayTime, &l));
        CONF_CHECK(&c, !(l.locationFlags & XR_SPACE_LOCATION_POSITION_VALID_BIT),
                   "left poke pose valid while lost");
        printf("  left hand lost: grasp %.2f ready %d, poke pose flags %#llx\n", (double)lg, lr,
               (unsigned long long)l.locationFlags);
        xrDestroySpace(poke_space);
        conf_end(&c);
    }
    unsetenv("PARALLAX_SIM_INPUT");
    return conf_finish(&c);
}
