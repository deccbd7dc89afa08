/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: controller input: one action set with actions for both hands (subaction paths
 * /user/hand/left and /user/hand/right), suggested bindings for the simple and touch controllers, hand poses
 * located at the frame's predicted display time.
 *
 * Prediction: a runtime is supposed to predict action-space poses to the display time it is asked for, but
 * some return the newest sample unpredicted (as some do for the head). Each sync also locates the grip at
 * a second, later time in the same call; the runtime predicts if the two poses differ by the rotation the
 * reported angular velocity implies (plx_predict_check_runtime, voted over frames). When the verdict is
 * "unpredicted", the poses are located at the current time and extrapolated to the display time with the
 * same predictor the head uses. A loss a call meets is handed to recovery, and objects made on a session or
 * instance that recovery has since re-created are made again. May call xr/ (the session's handles, the
 * restart counts, recovery) and base/. */
#include "plx_context.h"
#include "plx_math.h"
#include "plx_predict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* How far past the display time the detector's second locate looks: long enough for a turning hand to
 * move measurably, short enough to stay inside any runtime's prediction horizon. */
#define DETECT_AHEAD_NS 20000000

enum { POSE_GRIP = 0, POSE_AIM = 1 };

struct plx_input {
    plx_child child;  /* first: released by plx_context_destroy when the app has not destroyed the input */
    plx_context *ctx; /* NULL once the context was destroyed (released) */
    XrActionSet set;
    XrAction grip_pose, aim_pose, trigger, grip, thumbstick, menu, haptic;
    XrPath hand_path[2];
    XrSpace spaces[2][2]; /* [hand][POSE_GRIP / POSE_AIM] */
    plx_hand_state state[2];
    plx_predictor predictor[2][2];
    plx_prediction_detector detector[2];
    plx_runtime_prediction verdict[2];
    char profile[2][XR_MAX_PATH_LENGTH];
    uint32_t profiles; /* plx_input_profiles bits */
    char set_name[XR_MAX_ACTION_SET_NAME_SIZE], localized_name[XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE];
    /* recovery's restart counts when the objects were made: a change means they died with the old
     * session or instance */
    uint32_t session_generation, instance_generation;
};

/* A loss the call met goes to recovery (the public frame functions do the same). */
static plx_result noted(plx_input *in, plx_result res)
{
    plx_recover_take_loss(&in->ctx->recover, &in->ctx->xr);
    return res;
}

static plx_result create_action(plx_input *in, const char *name, const char *localized, XrActionType type,
                                XrAction *out)
{
    XrActionCreateInfo info = {.type = XR_TYPE_ACTION_CREATE_INFO,
                               .actionType = type,
                               .countSubactionPaths = 2,
                               .subactionPaths = in->hand_path};
    snprintf(info.actionName, sizeof(info.actionName), "%s", name);
    snprintf(info.localizedActionName, sizeof(info.localizedActionName), "%s", localized);
    return PLX_XR(&in->ctx->report, xrCreateAction(in->set, &info, out));
}

typedef struct binding_src {
    XrAction *action;
    const char *component; /* under /user/hand/<side>/ */
    bool left_only;        /* only the left touch controller has a menu button */
} binding_src;

/* Suggests one profile's bindings for both hands. */
static plx_result suggest(plx_input *in, const char *profile, const binding_src *src, size_t n)
{
    plx_context *ctx = in->ctx;
    XrActionSuggestedBinding b[32];
    uint32_t count = 0;
    plx_result res;
    for (int h = 0; h < 2; h++)
        for (size_t i = 0; i < n && count < 32; i++) {
            if (src[i].left_only && h == 1) continue;
            char path[XR_MAX_PATH_LENGTH];
            snprintf(path, sizeof(path), "/user/hand/%s/%s", h == 0 ? "left" : "right", src[i].component);
            XrPath p;
            if ((res = PLX_XR(&ctx->report, xrStringToPath(ctx->xr.instance, path, &p))) < 0) return res;
            b[count++] = (XrActionSuggestedBinding){.action = *src[i].action, .binding = p};
        }
    XrPath profile_path;
    if ((res = PLX_XR(&ctx->report, xrStringToPath(ctx->xr.instance, profile, &profile_path))) < 0)
        return res;
    XrInteractionProfileSuggestedBinding sb = {.type = XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
                                               .interactionProfile = profile_path,
                                               .countSuggestedBindings = count,
                                               .suggestedBindings = b};
    return PLX_XR(&ctx->report, xrSuggestInteractionProfileBindings(ctx->xr.instance, &sb));
}

/* Instance-level objects: hand paths, the action set, its actions and the suggested bindings. */
static plx_result instance_setup(plx_input *in)
{
    plx_context *ctx = in->ctx;
    plx_result res;
    for (int h = 0; h < 2; h++)
        if ((res = PLX_XR(&ctx->report,
                          xrStringToPath(ctx->xr.instance, h == 0 ? "/user/hand/left" : "/user/hand/right",
                                         &in->hand_path[h]))) < 0)
            return res;
    XrActionSetCreateInfo set_info = {.type = XR_TYPE_ACTION_SET_CREATE_INFO};
    snprintf(set_info.actionSetName, sizeof(set_info.actionSetName), "%s", in->set_name);
    snprintf(set_info.localizedActionSetName, sizeof(set_info.localizedActionSetName), "%s",
             in->localized_name);
    if ((res = PLX_XR(&ctx->report, xrCreateActionSet(ctx->xr.instance, &set_info, &in->set))) < 0)
        return res;

    if ((res = create_action(in, "grip_pose", "Grip pose", XR_ACTION_TYPE_POSE_INPUT, &in->grip_pose)) < 0 ||
        (res = create_action(in, "aim_pose", "Aim pose", XR_ACTION_TYPE_POSE_INPUT, &in->aim_pose)) < 0 ||
        (res = create_action(in, "trigger", "Trigger", XR_ACTION_TYPE_FLOAT_INPUT, &in->trigger)) < 0 ||
        (res = create_action(in, "grip", "Grip", XR_ACTION_TYPE_FLOAT_INPUT, &in->grip)) < 0 ||
        (res = create_action(in, "thumbstick", "Thumbstick", XR_ACTION_TYPE_VECTOR2F_INPUT,
                             &in->thumbstick)) < 0 ||
        (res = create_action(in, "menu", "Menu", XR_ACTION_TYPE_BOOLEAN_INPUT, &in->menu)) < 0 ||
        (res = create_action(in, "haptic", "Haptics", XR_ACTION_TYPE_VIBRATION_OUTPUT, &in->haptic)) < 0)
        return res;

    /* The simple controller has a select click for the trigger and no squeeze or thumbstick. */
    const binding_src simple[] = {
        {&in->grip_pose, "input/grip/pose", false},  {&in->aim_pose, "input/aim/pose", false},
        {&in->trigger, "input/select/click", false}, {&in->menu, "input/menu/click", false},
        {&in->haptic, "output/haptic", false},
    };
    const binding_src touch[] = {
        {&in->grip_pose, "input/grip/pose", false},   {&in->aim_pose, "input/aim/pose", false},
        {&in->trigger, "input/trigger/value", false}, {&in->grip, "input/squeeze/value", false},
        {&in->thumbstick, "input/thumbstick", false}, {&in->menu, "input/menu/click", true},
        {&in->haptic, "output/haptic", false},
    };
    if ((in->profiles & PLX_INPUT_PROFILE_SIMPLE) &&
        (res = suggest(in, "/interaction_profiles/khr/simple_controller", simple,
                       sizeof(simple) / sizeof(simple[0]))) < 0)
        return res;
    if ((in->profiles & PLX_INPUT_PROFILE_TOUCH) &&
        (res = suggest(in, "/interaction_profiles/oculus/touch_controller", touch,
                       sizeof(touch) / sizeof(touch[0]))) < 0)
        return res;
    return PLX_SUCCESS;
}

/* Session-level objects: the hands' pose spaces, and the set attached to the session. */
static plx_result session_setup(plx_input *in)
{
    plx_context *ctx = in->ctx;
    plx_result res;
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++) {
            XrActionSpaceCreateInfo si = {.type = XR_TYPE_ACTION_SPACE_CREATE_INFO,
                                          .action = k == POSE_GRIP ? in->grip_pose : in->aim_pose,
                                          .subactionPath = in->hand_path[h],
                                          .poseInActionSpace = {.orientation = {0, 0, 0, 1}}};
            if ((res = PLX_XR(&ctx->report, xrCreateActionSpace(ctx->xr.session, &si, &in->spaces[h][k]))) <
                0)
                return res;
        }
    XrSessionActionSetsAttachInfo attach = {
        .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = 1, .actionSets = &in->set};
    XrResult xr = xrAttachSessionActionSets(ctx->xr.session, &attach);
    if (xr == XR_ERROR_ACTIONSETS_ALREADY_ATTACHED)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_CALL_ORDER,
                        "xrAttachSessionActionSets: XR_ERROR_ACTIONSETS_ALREADY_ATTACHED (one plx_input per "
                        "context)");
    if ((res = PLX_XR_RESULT(&ctx->report, xr, "xrAttachSessionActionSets")) < 0) return res;
    /* Nothing measured on the old session says anything about the new one. */
    memset(in->state, 0, sizeof(in->state));
    memset(in->detector, 0, sizeof(in->detector));
    for (int h = 0; h < 2; h++) {
        in->verdict[h] = PLX_RUNTIME_PREDICTION_UNKNOWN;
        for (int k = 0; k < 2; k++) plx_predictor_reset(&in->predictor[h][k]);
    }
    uint32_t session_restarts = 0, instance_restarts = 0;
    plx_recover_restarts(&ctx->recover, &session_restarts, &instance_restarts);
    in->session_generation = session_restarts + instance_restarts;
    in->instance_generation = instance_restarts;
    return PLX_SUCCESS;
}

/* After libparallax re-created the session or the instance (recover.c), the old handles are gone (xr/
 * destroyed the tracked spaces and set before their parent and cleared them here): make the objects again. */
static plx_result follow_restarts(plx_input *in)
{
    uint32_t session_restarts = 0, instance_restarts = 0;
    plx_recover_restarts(&in->ctx->recover, &session_restarts, &instance_restarts);
    plx_result res;
    if (instance_restarts != in->instance_generation) {
        plx_log(&in->ctx->report, PLX_LOG_INFO,
                "input: the OpenXR instance was re-created; making the actions again");
        in->set = XR_NULL_HANDLE;
        memset(in->spaces, 0, sizeof(in->spaces));
        if ((res = instance_setup(in)) < 0) return res;
        return session_setup(in);
    }
    if (session_restarts + instance_restarts != in->session_generation) {
        plx_log(&in->ctx->report, PLX_LOG_INFO,
                "input: the OpenXR session was re-created; attaching the actions again");
        memset(in->spaces, 0, sizeof(in->spaces));
        return session_setup(in);
    }
    return PLX_SUCCESS;
}

static void release_input(plx_child *child);

static plx_result input_create(plx_context *ctx, const plx_input_desc *desc, plx_input **out_input)
{
    if (!out_input)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT, "plx_input_create: out_input is NULL");
    *out_input = NULL;
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "plx_input_create: ctx is NULL");
    plx_result res = plx_api_check_thread(ctx, "plx_input_create");
    if (res < 0) return res;
    plx_input_desc d = desc ? *desc : (plx_input_desc){0};
    if (!d.action_set_name) d.action_set_name = "parallax_input";
    if (!d.localized_name) d.localized_name = "Parallax input";
    if (strlen(d.action_set_name) >= XR_MAX_ACTION_SET_NAME_SIZE ||
        strlen(d.localized_name) >= XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT,
                        "plx_input_create: action set name too long");
    if (d.profiles & ~(uint32_t)(PLX_INPUT_PROFILE_SIMPLE | PLX_INPUT_PROFILE_TOUCH))
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT,
                        "plx_input_create: profiles 0x%x has unknown bits", (unsigned)d.profiles);

    plx_input *in = calloc(1, sizeof(*in));
    if (!in) return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_OUT_OF_MEMORY, "plx_input_create: out of memory");
    in->ctx = ctx;
    plx_context_adopt(ctx, &in->child, release_input);
    in->profiles = d.profiles ? d.profiles : PLX_INPUT_PROFILE_SIMPLE | PLX_INPUT_PROFILE_TOUCH;
    snprintf(in->set_name, sizeof(in->set_name), "%s", d.action_set_name);
    snprintf(in->localized_name, sizeof(in->localized_name), "%s", d.localized_name);
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++) plx_predictor_init(&in->predictor[h][k], NULL);
    /* The action spaces and the set go before their session or instance whenever libparallax destroys it
     * (recovery, context destroy): xr/session.c plx_xr_track_child says why. */
    res = plx_xr_track_child(&ctx->xr, XR_OBJECT_TYPE_ACTION_SET, &in->set);
    for (int h = 0; h < 2 && res >= 0; h++)
        for (int k = 0; k < 2 && res >= 0; k++)
            res = plx_xr_track_child(&ctx->xr, XR_OBJECT_TYPE_SPACE, &in->spaces[h][k]);
    if (res < 0) {
        plx_input_destroy(&in);
        return res;
    }
    uint32_t session_restarts = 0, instance_restarts = 0;
    plx_recover_restarts(&ctx->recover, &session_restarts, &instance_restarts);
    in->instance_generation = instance_restarts;
    res = instance_setup(in);
    if (res >= 0) res = session_setup(in);
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    if (res < 0) {
        plx_input_destroy(&in);
        return res;
    }
    *out_input = in;
    return PLX_SUCCESS;
}

/* The input's OpenXR objects (those of a session or instance that has since been re-created are gone
 * already); the context is forgotten. */
static void destroy_xr_objects(plx_input *in)
{
    plx_context *ctx = in->ctx;
    uint32_t session_restarts = 0, instance_restarts = 0;
    plx_recover_restarts(&ctx->recover, &session_restarts, &instance_restarts);
    bool instance_alive = instance_restarts == in->instance_generation;
    bool session_alive = instance_alive && session_restarts + instance_restarts == in->session_generation;
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++)
            if (session_alive && in->spaces[h][k] != XR_NULL_HANDLE)
                PLX_XR(&ctx->report, xrDestroySpace(in->spaces[h][k]));
    /* Destroying the set destroys its actions. */
    if (instance_alive && in->set != XR_NULL_HANDLE) PLX_XR(&ctx->report, xrDestroyActionSet(in->set));
    plx_xr_untrack_child(&ctx->xr, &in->set);
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++) plx_xr_untrack_child(&ctx->xr, &in->spaces[h][k]);
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    in->ctx = NULL;
}

/* plx_context_destroy with the input alive: it lets go of the session and the instance. */
static void release_input(plx_child *child)
{
    destroy_xr_objects((plx_input *)child);
}

void plx_input_destroy(plx_input **pin)
{
    plx_input *in = pin ? *pin : NULL;
    if (!in) return;
    *pin = NULL;
    if (in->ctx) {
        plx_context_disown(in->ctx, &in->child);
        destroy_xr_objects(in);
    }
    free(in);
}

static plx_result get_float(plx_input *in, XrAction action, int hand, float *out, bool *out_active)
{
    XrActionStateGetInfo gi = {
        .type = XR_TYPE_ACTION_STATE_GET_INFO, .action = action, .subactionPath = in->hand_path[hand]};
    XrActionStateFloat st = {.type = XR_TYPE_ACTION_STATE_FLOAT};
    plx_result res = PLX_XR(&in->ctx->report, xrGetActionStateFloat(in->ctx->xr.session, &gi, &st));
    if (res < 0) return res;
    *out = st.isActive ? st.currentState : 0.0f;
    *out_active |= st.isActive;
    return PLX_SUCCESS;
}

static plx_pose to_pose(const XrPosef *p)
{
    return (plx_pose){.orientation = {p->orientation.x, p->orientation.y, p->orientation.z, p->orientation.w},
                      .position = {p->position.x, p->position.y, p->position.z}};
}

/* Locates a space at t with velocities. */
static plx_result locate(plx_input *in, XrSpace space, XrTime t, XrSpaceLocation *loc, XrSpaceVelocity *vel)
{
    *vel = (XrSpaceVelocity){.type = XR_TYPE_SPACE_VELOCITY};
    *loc = (XrSpaceLocation){.type = XR_TYPE_SPACE_LOCATION, .next = vel};
    return PLX_XR(&in->ctx->report, xrLocateSpace(space, in->ctx->xr.space, t, loc));
}

static void fill_pose(plx_tracked_pose *out, const XrSpaceLocation *loc, const XrSpaceVelocity *vel,
                      const plx_pose *override)
{
    *out = (plx_tracked_pose){.orientation = {0, 0, 0, 1}};
    const XrSpaceLocationFlags need =
        XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
    if ((loc->locationFlags & need) != need) return;
    plx_pose p = override ? *override : to_pose(&loc->pose);
    out->valid = true;
    out->tracked = (loc->locationFlags &
                    (XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT)) ==
                   (XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT);
    memcpy(out->position, &p.position, sizeof(out->position));
    memcpy(out->orientation, &p.orientation, sizeof(out->orientation));
    const XrSpaceVelocityFlags vneed =
        XR_SPACE_VELOCITY_LINEAR_VALID_BIT | XR_SPACE_VELOCITY_ANGULAR_VALID_BIT;
    if ((vel->velocityFlags & vneed) == vneed) {
        out->velocity_valid = true;
        memcpy(out->linear_velocity, &vel->linearVelocity, sizeof(out->linear_velocity));
        memcpy(out->angular_velocity, &vel->angularVelocity, sizeof(out->angular_velocity));
    }
}

/* Grip and aim pose of one hand at display_time, through the runtime's prediction or ours. */
static plx_result locate_hand(plx_input *in, int h, XrTime display_time, plx_hand_state *st)
{
    plx_result res;
    XrSpaceLocation loc, far_loc;
    XrSpaceVelocity vel, far_vel;
    if ((res = locate(in, in->spaces[h][POSE_GRIP], display_time, &loc, &vel)) < 0) return res;
    if ((res = locate(in, in->spaces[h][POSE_GRIP], display_time + DETECT_AHEAD_NS, &far_loc, &far_vel)) < 0)
        return res;
    const XrSpaceLocationFlags need =
        XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
    if ((loc.locationFlags & need) == need && (far_loc.locationFlags & need) == need &&
        (vel.velocityFlags & XR_SPACE_VELOCITY_ANGULAR_VALID_BIT)) {
        plx_pose near_p = to_pose(&loc.pose), far_p = to_pose(&far_loc.pose);
        plx_vec3 w = {vel.angularVelocity.x, vel.angularVelocity.y, vel.angularVelocity.z};
        plx_runtime_prediction check =
            plx_predict_check_runtime(&near_p, display_time, &far_p, display_time + DETECT_AHEAD_NS, w);
        plx_runtime_prediction verdict = plx_prediction_detector_add(&in->detector[h], check);
        if (verdict != in->verdict[h] && verdict != PLX_RUNTIME_PREDICTION_UNKNOWN)
            plx_log(&in->ctx->report, PLX_LOG_INFO, "input: the runtime %s the %s hand's pose",
                    verdict == PLX_RUNTIME_PREDICTION_PREDICTED ? "predicts" : "does not predict",
                    h == 0 ? "left" : "right");
        if (verdict != PLX_RUNTIME_PREDICTION_UNKNOWN) in->verdict[h] = verdict;
    }
    /* Predicting ourselves needs "now" in XrTime (base/plx_time.h): in safe mode the runtime's pose stands.
     */
    if (in->verdict[h] != PLX_RUNTIME_PREDICTION_UNPREDICTED || !plx_time_known(&in->ctx->time)) {
        fill_pose(&st->grip_pose, &loc, &vel, NULL);
        if ((res = locate(in, in->spaces[h][POSE_AIM], display_time, &loc, &vel)) < 0) return res;
        fill_pose(&st->aim_pose, &loc, &vel, NULL);
        return PLX_SUCCESS;
    }
    /* The runtime hands out its newest sample whatever time is asked: take it as a sample of now and
     * extrapolate to the display time ourselves. */
    XrTime now = plx_time_now(&in->ctx->time);
    for (int k = 0; k < 2; k++) {
        if ((res = locate(in, in->spaces[h][k], now, &loc, &vel)) < 0) return res;
        plx_tracked_pose *out = k == POSE_GRIP ? &st->grip_pose : &st->aim_pose;
        fill_pose(out, &loc, &vel, NULL);
        if (!out->valid) continue;
        uint32_t flags = PLX_PREDICT_ORIENTATION_VALID | PLX_PREDICT_POSITION_VALID;
        plx_vec3 lin = {vel.linearVelocity.x, vel.linearVelocity.y, vel.linearVelocity.z};
        plx_vec3 ang = {vel.angularVelocity.x, vel.angularVelocity.y, vel.angularVelocity.z};
        if (vel.velocityFlags & XR_SPACE_VELOCITY_LINEAR_VALID_BIT)
            flags |= PLX_PREDICT_LINEAR_VELOCITY_VALID;
        if (vel.velocityFlags & XR_SPACE_VELOCITY_ANGULAR_VALID_BIT)
            flags |= PLX_PREDICT_ANGULAR_VELOCITY_VALID;
        plx_pose sample = to_pose(&loc.pose), predicted;
        plx_predictor_add_sample(&in->predictor[h][k], now, &sample, &lin, &ang, flags);
        if (plx_predictor_predict(&in->predictor[h][k], display_time, &predicted))
            fill_pose(out, &loc, &vel, &predicted);
    }
    return PLX_SUCCESS;
}

static plx_result sync_hands(plx_input *in, int64_t display_time)
{
    plx_context *ctx = in->ctx;
    if (display_time <= 0)
        return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_INVALID_ARGUMENT,
                        "plx_input_sync: display_time %lld is not a valid XrTime (use "
                        "frame.predicted_display_time)",
                        (long long)display_time);
    plx_result res = follow_restarts(in);
    if (res < 0) return res;
    plx_hand_state prev[2] = {in->state[0], in->state[1]};
    XrActiveActionSet active_set = {.actionSet = in->set, .subactionPath = XR_NULL_PATH};
    XrActionsSyncInfo sync = {
        .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = 1, .activeActionSets = &active_set};
    XrResult xr = xrSyncActions(ctx->xr.session, &sync);
    if (xr == XR_SESSION_NOT_FOCUSED) {
        /* Input belongs to whoever has focus: every hand reads inactive, poses included. */
        memset(in->state, 0, sizeof(in->state));
        return PLX_NOT_FOCUSED;
    }
    res = PLX_XR_RESULT(&ctx->report, xr, "xrSyncActions");
    if (res < 0) return res;
    for (int h = 0; h < 2; h++) {
        plx_hand_state *st = &in->state[h];
        *st = (plx_hand_state){0};
        bool active = false;
        if ((res = get_float(in, in->trigger, h, &st->trigger, &active)) < 0) return res;
        if ((res = get_float(in, in->grip, h, &st->grip, &active)) < 0) return res;
        XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO,
                                   .action = in->thumbstick,
                                   .subactionPath = in->hand_path[h]};
        XrActionStateVector2f v2 = {.type = XR_TYPE_ACTION_STATE_VECTOR2F};
        if ((res = PLX_XR(&ctx->report, xrGetActionStateVector2f(ctx->xr.session, &gi, &v2))) < 0) return res;
        if (v2.isActive) {
            st->thumbstick[0] = v2.currentState.x;
            st->thumbstick[1] = v2.currentState.y;
            active = true;
        }
        gi.action = in->menu;
        XrActionStateBoolean b = {.type = XR_TYPE_ACTION_STATE_BOOLEAN};
        if ((res = PLX_XR(&ctx->report, xrGetActionStateBoolean(ctx->xr.session, &gi, &b))) < 0) return res;
        st->menu = b.isActive && b.currentState;
        active |= b.isActive;
        gi.action = in->grip_pose;
        XrActionStatePose ps = {.type = XR_TYPE_ACTION_STATE_POSE};
        if ((res = PLX_XR(&ctx->report, xrGetActionStatePose(ctx->xr.session, &gi, &ps))) < 0) return res;
        active |= ps.isActive;
        st->active = active;
        st->trigger_pressed = st->trigger > 0.5f;
        st->grip_pressed = st->grip > 0.5f;
        /* Edges against the previous sync; a hand that just became active starts from "released". */
        st->trigger_pressed_now = st->trigger_pressed && !prev[h].trigger_pressed;
        st->trigger_released_now = !st->trigger_pressed && prev[h].trigger_pressed;
        st->menu_pressed_now = st->menu && !prev[h].menu;
        if (ps.isActive && (res = locate_hand(in, h, display_time, st)) < 0) return res;
    }
    return PLX_SUCCESS;
}

plx_result plx_input_sync(plx_input *in, int64_t display_time)
{
    plx_result res = plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_sync");
    if (res < 0) return res;
    if (plx_recover_pending(&in->ctx->recover)) {
        /* The session is being re-created (xr/recover.c): no input until it is back, like the frame loop. */
        memset(in->state, 0, sizeof(in->state));
        return PLX_SESSION_NOT_RUNNING;
    }
    res = sync_hands(in, display_time);
    plx_recover_take_loss(&in->ctx->recover, &in->ctx->xr);
    if (res == PLX_ERROR_SESSION_LOST) {
        memset(in->state, 0, sizeof(in->state));
        return PLX_SESSION_NOT_RUNNING;
    }
    return res;
}

static plx_result input_get_hand(const plx_input *in, plx_hand hand, plx_hand_state *out_state)
{
    plx_result res = plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_get_hand");
    if (res < 0) return res;
    if (!out_state || (hand != PLX_HAND_LEFT && hand != PLX_HAND_RIGHT))
        return PLX_FAIL(&in->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_input_get_hand: NULL argument or hand %d is not a plx_hand", (int)hand);
    *out_state = in->state[hand];
    return PLX_SUCCESS;
}

plx_result plx_input_haptic(plx_input *in, plx_hand hand, float amplitude, float frequency_hz,
                            int64_t duration_ns)
{
    plx_result res = plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_haptic");
    if (res < 0) return res;
    if ((hand != PLX_HAND_LEFT && hand != PLX_HAND_RIGHT) || !(amplitude >= 0.0f && amplitude <= 1.0f) ||
        !(frequency_hz >= 0.0f && isfinite(frequency_hz)) || duration_ns < 0)
        return PLX_FAIL(
            &in->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
            "plx_input_haptic: hand %d, amplitude %g (0..1), frequency %g Hz (>= 0), duration %lld "
            "ns (>= 0)",
            (int)hand, (double)amplitude, (double)frequency_hz, (long long)duration_ns);
    XrHapticActionInfo info = {
        .type = XR_TYPE_HAPTIC_ACTION_INFO, .action = in->haptic, .subactionPath = in->hand_path[hand]};
    XrHapticVibration v = {.type = XR_TYPE_HAPTIC_VIBRATION,
                           .duration = duration_ns > 0 ? duration_ns : XR_MIN_HAPTIC_DURATION,
                           .frequency = frequency_hz > 0.0f ? frequency_hz : XR_FREQUENCY_UNSPECIFIED,
                           .amplitude = amplitude};
    XrResult xr = xrApplyHapticFeedback(in->ctx->xr.session, &info, (const XrHapticBaseHeader *)&v);
    /* Without focus the runtime ignores haptics and says so with a success code. */
    if (xr == XR_SESSION_NOT_FOCUSED) return PLX_NOT_FOCUSED;
    return noted(in, PLX_XR_RESULT(&in->ctx->report, xr, "xrApplyHapticFeedback"));
}

plx_result plx_input_haptic_stop(plx_input *in, plx_hand hand)
{
    plx_result res = plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_haptic_stop");
    if (res < 0) return res;
    if (hand != PLX_HAND_LEFT && hand != PLX_HAND_RIGHT)
        return PLX_FAIL(&in->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_input_haptic_stop: hand %d is not a plx_hand", (int)hand);
    XrHapticActionInfo info = {
        .type = XR_TYPE_HAPTIC_ACTION_INFO, .action = in->haptic, .subactionPath = in->hand_path[hand]};
    XrResult xr = xrStopHapticFeedback(in->ctx->xr.session, &info);
    if (xr == XR_SESSION_NOT_FOCUSED) return PLX_NOT_FOCUSED;
    return noted(in, PLX_XR_RESULT(&in->ctx->report, xr, "xrStopHapticFeedback"));
}

const char *plx_input_profile(plx_input *in, plx_hand hand)
{
    if (plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_profile") < 0 ||
        (hand != PLX_HAND_LEFT && hand != PLX_HAND_RIGHT))
        return "";
    char *out = in->profile[hand];
    out[0] = '\0';
    XrInteractionProfileState ps = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
    if (PLX_XR(&in->ctx->report,
               xrGetCurrentInteractionProfile(in->ctx->xr.session, in->hand_path[hand], &ps)) < 0 ||
        ps.interactionProfile == XR_NULL_PATH) {
        noted(in, PLX_SUCCESS);
        return out;
    }
    uint32_t len = 0;
    if (PLX_XR(&in->ctx->report, xrPathToString(in->ctx->xr.instance, ps.interactionProfile,
                                                XR_MAX_PATH_LENGTH, &len, out)) < 0)
        out[0] = '\0';
    noted(in, PLX_SUCCESS);
    return out;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

plx_result plx_input_create_sized(plx_context *ctx, const plx_input_desc *desc, size_t desc_size,
                                  plx_input **out_input)
{
    if (!desc) return input_create(ctx, NULL, out_input);
    plx_input_desc own;
    plx_result res = plx_abi_in(PLX_REPORT(ctx), "plx_input_create", "plx_input_desc", &own, sizeof own, desc,
                                desc_size, PLX_ABI_0_2_INPUT_DESC);
    if (res < 0) {
        if (out_input) *out_input = NULL;
        return res;
    }
    return input_create(ctx, &own, out_input);
}

plx_result plx_input_get_hand_sized(const plx_input *input, plx_hand hand, plx_hand_state *out_state,
                                    size_t state_size)
{
    if (!out_state) return input_get_hand(input, hand, NULL);
    plx_result res =
        plx_abi_check_size(input && input->ctx ? &input->ctx->report : NULL, "plx_input_get_hand",
                           "plx_hand_state", state_size, PLX_ABI_0_2_HAND_STATE);
    if (res < 0) return res;
    plx_hand_state own;
    if ((res = input_get_hand(input, hand, &own)) >= 0) plx_abi_copy(out_state, state_size, &own, sizeof own);
    return res;
}
