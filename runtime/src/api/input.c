/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: controller input, the ready-made action set for two controllers: actions for
 * both hands (subaction paths /user/hand/left and /user/hand/right), suggested bindings for the simple and
 * touch controllers, hand poses located at the frame's predicted display time. It is made with the same
 * OpenXR plumbing as the app's own actions (xr/actions.c): one attach for all sets, bindings merged per
 * profile, one xrSyncActions per frame (the frame loop's), and the set, its actions, spaces and bindings made
 * again after a recovery.
 *
 * Prediction: a runtime is supposed to predict action-space poses to the display time it is asked for, but
 * some return the newest sample unpredicted (as some do for the head). Each sync also locates the grip at
 * a second, later time in the same call; the runtime predicts if the two poses differ by the rotation the
 * reported angular velocity implies (plx_predict_check_runtime, voted over frames). When the verdict is
 * "unpredicted", the poses are located at the current time and extrapolated to the display time with the
 * same predictor the head uses. A loss a call meets is handed to recovery. May call xr/ (actions, the
 * session's handles, recovery) and base/. */
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
enum { A_GRIP_POSE, A_AIM_POSE, A_TRIGGER, A_GRIP, A_THUMBSTICK, A_MENU, A_HAPTIC, A_COUNT };

struct plx_input {
    plx_child child;  /* first: released by plx_context_destroy when the app has not destroyed the input */
    plx_context *ctx; /* NULL once the context was destroyed (released) */
    uint32_t set;     /* xr/actions.c's indices of the set and its actions */
    uint32_t action[A_COUNT];
    plx_hand_state state[2];
    plx_predictor predictor[2][2];
    plx_prediction_detector detector[2];
    plx_runtime_prediction verdict[2];
    char profile[2][XR_MAX_PATH_LENGTH];
    uint32_t session_generation; /* the session the prediction state was measured on */
};

/* A loss the call met goes to recovery (the public frame functions do the same). */
static plx_result noted(plx_input *in, plx_result res)
{
    plx_recover_take_loss(&in->ctx->recover, &in->ctx->xr);
    return res;
}

typedef struct binding_src {
    int action;
    const char *component; /* under /user/hand/<side>/ */
    bool left_only;        /* only the left touch controller has a menu button */
} binding_src;

/* Suggests one profile's bindings for both hands (added to the app's for that profile, if any). */
static plx_result suggest(plx_input *in, const char *profile, const binding_src *src, size_t n)
{
    plx_context *ctx = in->ctx;
    uint32_t actions[32];
    char paths[32][XR_MAX_PATH_LENGTH];
    const char *path_ptrs[32];
    uint32_t count = 0;
    for (int h = 0; h < 2; h++)
        for (size_t i = 0; i < n && count < 32; i++) {
            if (src[i].left_only && h == 1) continue;
            snprintf(paths[count], sizeof paths[count], "/user/hand/%s/%s", h == 0 ? "left" : "right",
                     src[i].component);
            path_ptrs[count] = paths[count];
            actions[count++] = in->action[src[i].action];
        }
    return plx_actions_suggest(&ctx->actions, &ctx->xr, "plx_input_create", profile, actions, path_ptrs,
                               count);
}

static plx_result declare(plx_input *in, const char *set_name, const char *localized, uint32_t profiles)
{
    plx_context *ctx = in->ctx;
    plx_actions *a = &ctx->actions;
    const char *fn = "plx_input_create";
    static const char *const hands[] = {"/user/hand/left", "/user/hand/right"};
    plx_result res = plx_actions_create_set(a, &ctx->xr, fn, set_name, localized, 0, &in->set);
    if (res < 0) return res;
    static const struct {
        const char *name, *localized;
        XrActionType type;
    } decl[A_COUNT] = {
        [A_GRIP_POSE] = {"grip_pose", "Grip pose", XR_ACTION_TYPE_POSE_INPUT},
        [A_AIM_POSE] = {"aim_pose", "Aim pose", XR_ACTION_TYPE_POSE_INPUT},
        [A_TRIGGER] = {"trigger", "Trigger", XR_ACTION_TYPE_FLOAT_INPUT},
        [A_GRIP] = {"grip", "Grip", XR_ACTION_TYPE_FLOAT_INPUT},
        [A_THUMBSTICK] = {"thumbstick", "Thumbstick", XR_ACTION_TYPE_VECTOR2F_INPUT},
        [A_MENU] = {"menu", "Menu", XR_ACTION_TYPE_BOOLEAN_INPUT},
        [A_HAPTIC] = {"haptic", "Haptics", XR_ACTION_TYPE_VIBRATION_OUTPUT},
    };
    for (int i = 0; i < A_COUNT; i++)
        if ((res = plx_actions_create_action(a, &ctx->xr, fn, in->set, decl[i].name, decl[i].localized,
                                             decl[i].type, hands, 2, &in->action[i])) < 0)
            return res;

    /* The simple controller has a select click for the trigger and no squeeze or thumbstick. */
    const binding_src simple[] = {
        {A_GRIP_POSE, "input/grip/pose", false},  {A_AIM_POSE, "input/aim/pose", false},
        {A_TRIGGER, "input/select/click", false}, {A_MENU, "input/menu/click", false},
        {A_HAPTIC, "output/haptic", false},
    };
    const binding_src touch[] = {
        {A_GRIP_POSE, "input/grip/pose", false},   {A_AIM_POSE, "input/aim/pose", false},
        {A_TRIGGER, "input/trigger/value", false}, {A_GRIP, "input/squeeze/value", false},
        {A_THUMBSTICK, "input/thumbstick", false}, {A_MENU, "input/menu/click", true},
        {A_HAPTIC, "output/haptic", false},
    };
    if ((profiles & PLX_INPUT_PROFILE_SIMPLE) &&
        (res = suggest(in, "/interaction_profiles/khr/simple_controller", simple,
                       sizeof(simple) / sizeof(simple[0]))) < 0)
        return res;
    if ((profiles & PLX_INPUT_PROFILE_TOUCH) &&
        (res = suggest(in, "/interaction_profiles/oculus/touch_controller", touch,
                       sizeof(touch) / sizeof(touch[0]))) < 0)
        return res;
    return PLX_SUCCESS;
}

/* Nothing measured on an old session says anything about a new one. */
static void reset_measurements(plx_input *in)
{
    memset(in->state, 0, sizeof(in->state));
    memset(in->detector, 0, sizeof(in->detector));
    for (int h = 0; h < 2; h++) {
        in->verdict[h] = PLX_RUNTIME_PREDICTION_UNKNOWN;
        for (int k = 0; k < 2; k++) plx_predictor_reset(&in->predictor[h][k]);
    }
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
    if (plx_recover_pending(&ctx->recover))
        return PLX_FAIL(&ctx->report, PLX_SESSION_NOT_RUNNING,
                        "plx_input_create: the OpenXR session is being re-created; try again after plx_poll");

    plx_input *in = calloc(1, sizeof(*in));
    if (!in) return PLX_FAIL(PLX_REPORT(ctx), PLX_ERROR_OUT_OF_MEMORY, "plx_input_create: out of memory");
    in->ctx = ctx;
    in->set = UINT32_MAX; /* none yet */
    plx_context_adopt(ctx, &in->child, release_input);
    for (int h = 0; h < 2; h++)
        for (int k = 0; k < 2; k++) plx_predictor_init(&in->predictor[h][k], NULL);
    reset_measurements(in);
    in->session_generation = ctx->xr.session_generation;
    res = declare(in, d.action_set_name, d.localized_name,
                  d.profiles ? d.profiles : PLX_INPUT_PROFILE_SIMPLE | PLX_INPUT_PROFILE_TOUCH);
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    if (res < 0) {
        plx_input_destroy(&in);
        return res;
    }
    *out_input = in;
    return PLX_SUCCESS;
}

/* The input's set, actions, spaces and bindings (those of a session or instance that has since been
 * re-created are gone already); the context is forgotten. */
static void destroy_xr_objects(plx_input *in)
{
    plx_context *ctx = in->ctx;
    if (in->set != UINT32_MAX) plx_actions_destroy_set(&ctx->actions, &ctx->xr, in->set);
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

static plx_result get_float(plx_input *in, int action, int hand, float *out, bool *out_active)
{
    XrActionStateFloat st;
    plx_result res = plx_actions_state(&in->ctx->actions, &in->ctx->xr, in->action[action], hand, &st);
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
    XrSpace spaces[2];
    for (int k = 0; k < 2; k++)
        if ((res = plx_actions_space(&in->ctx->actions, &in->ctx->xr,
                                     in->action[k == POSE_GRIP ? A_GRIP_POSE : A_AIM_POSE], h, &spaces[k])) !=
            PLX_SUCCESS)
            return res < 0 ? res : PLX_ERROR_SESSION_LOST;
    if ((res = locate(in, spaces[POSE_GRIP], display_time, &loc, &vel)) < 0) return res;
    if ((res = locate(in, spaces[POSE_GRIP], display_time + DETECT_AHEAD_NS, &far_loc, &far_vel)) < 0)
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
        if ((res = locate(in, spaces[POSE_AIM], display_time, &loc, &vel)) < 0) return res;
        fill_pose(&st->aim_pose, &loc, &vel, NULL);
        return PLX_SUCCESS;
    }
    /* The runtime hands out its newest sample whatever time is asked: take it as a sample of now and
     * extrapolate to the display time ourselves. */
    XrTime now = plx_time_now(&in->ctx->time);
    for (int k = 0; k < 2; k++) {
        if ((res = locate(in, spaces[k], now, &loc, &vel)) < 0) return res;
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
    if (in->session_generation != ctx->xr.session_generation) {
        in->session_generation = ctx->xr.session_generation;
        reset_measurements(in);
    }
    plx_hand_state prev[2] = {in->state[0], in->state[1]};
    /* The frame loop synced already (plx_frame_wait); this syncs only when no frame did since the last. */
    plx_result res = plx_actions_sync_once(&ctx->actions, &ctx->xr, display_time);
    if (res == PLX_NOT_FOCUSED || res == PLX_SESSION_NOT_RUNNING) {
        /* Input belongs to whoever has focus: every hand reads inactive, poses included. */
        memset(in->state, 0, sizeof(in->state));
        return res;
    }
    if (res < 0) return res;
    for (int h = 0; h < 2; h++) {
        plx_hand_state *st = &in->state[h];
        *st = (plx_hand_state){0};
        bool active = false;
        if ((res = get_float(in, A_TRIGGER, h, &st->trigger, &active)) < 0) return res;
        if ((res = get_float(in, A_GRIP, h, &st->grip, &active)) < 0) return res;
        XrActionStateVector2f v2;
        if ((res = plx_actions_state(&ctx->actions, &ctx->xr, in->action[A_THUMBSTICK], h, &v2)) < 0)
            return res;
        if (v2.isActive) {
            st->thumbstick[0] = v2.currentState.x;
            st->thumbstick[1] = v2.currentState.y;
            active = true;
        }
        XrActionStateBoolean b;
        if ((res = plx_actions_state(&ctx->actions, &ctx->xr, in->action[A_MENU], h, &b)) < 0) return res;
        st->menu = b.isActive && b.currentState;
        active |= b.isActive;
        XrActionStatePose ps;
        if ((res = plx_actions_state(&ctx->actions, &ctx->xr, in->action[A_GRIP_POSE], h, &ps)) < 0)
            return res;
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
    if (plx_recover_pending(&in->ctx->recover)) return PLX_NOT_FOCUSED;
    return noted(in, plx_actions_haptic(&in->ctx->actions, &in->ctx->xr, in->action[A_HAPTIC], (int)hand,
                                        amplitude, frequency_hz, duration_ns));
}

plx_result plx_input_haptic_stop(plx_input *in, plx_hand hand)
{
    plx_result res = plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_haptic_stop");
    if (res < 0) return res;
    if (hand != PLX_HAND_LEFT && hand != PLX_HAND_RIGHT)
        return PLX_FAIL(&in->ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "plx_input_haptic_stop: hand %d is not a plx_hand", (int)hand);
    if (plx_recover_pending(&in->ctx->recover)) return PLX_NOT_FOCUSED;
    return noted(in, plx_actions_haptic(&in->ctx->actions, &in->ctx->xr, in->action[A_HAPTIC], (int)hand,
                                        -1.0f, 0.0f, 0));
}

const char *plx_input_profile(plx_input *in, plx_hand hand)
{
    if (plx_api_check_child(in, in ? in->ctx : NULL, "input", "plx_input_profile") < 0 ||
        (hand != PLX_HAND_LEFT && hand != PLX_HAND_RIGHT))
        return "";
    char *out = in->profile[hand];
    out[0] = '\0';
    if (plx_recover_pending(&in->ctx->recover)) return out;
    if (plx_actions_profile(&in->ctx->actions, &in->ctx->xr, "plx_input_profile",
                            hand == PLX_HAND_LEFT ? "/user/hand/left" : "/user/hand/right", out,
                            XR_MAX_PATH_LENGTH) < 0)
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
