/* SPDX-License-Identifier: MIT */
/* Layer 7, public entry points: the app's own OpenXR actions (parallax.h "actions"): action sets, actions of
 * every type, suggested bindings, the attach, the states of the frame's sync, pose actions located at the
 * frame's predicted display time, haptics and the current interaction profile. The work is in xr/actions.c
 * (shared with plx_input); here the arguments, handles and thread are checked, and a loss a call met is
 * handed to recovery. May call xr/ (actions, recovery) and base/. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "plx_context.h"

/* NULL ctx and the thread: every call's first check. */
static plx_result check_ctx(plx_context *ctx, const char *fn)
{
    if (!ctx) return PLX_FAIL(NULL, PLX_ERROR_INVALID_ARGUMENT, "%s: ctx is NULL", fn);
    return plx_api_check_thread(ctx, fn);
}

/* A loss the call met goes to recovery (the public frame functions do the same). */
static plx_result noted(plx_context *ctx, plx_result res)
{
    plx_recover_take_loss(&ctx->recover, &ctx->xr);
    if (res == PLX_ERROR_SESSION_LOST) return PLX_SESSION_NOT_RUNNING;
    return res;
}

static bool valid_name(const char *s)
{
    return s && *s;
}

static plx_result action_set_create(plx_context *ctx, const plx_action_set_desc *desc,
                                    plx_action_set *out_set)
{
    const char *fn = "plx_action_set_create";
    if (out_set) *out_set = (plx_action_set){0};
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    if (!desc || !out_set)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        desc ? "out_set" : "desc");
    if (!valid_name(desc->name))
        return PLX_FAIL(
            &ctx->report, PLX_ERROR_INVALID_ARGUMENT,
            "%s: desc.name is NULL or empty; an action set needs a name (lower-case letters, digits, "
            "'-', '_', '.')",
            fn);
    uint32_t index;
    res = plx_actions_create_set(&ctx->actions, &ctx->xr, fn, desc->name,
                                 valid_name(desc->localized_name) ? desc->localized_name : desc->name,
                                 desc->priority, &index);
    if ((res = noted(ctx, res)) != PLX_SUCCESS) return res;
    out_set->id = ctx->actions.sets[index].id;
    return PLX_SUCCESS;
}

static XrActionType xr_type(plx_action_type t)
{
    switch (t) {
    case PLX_ACTION_BOOLEAN:
        return XR_ACTION_TYPE_BOOLEAN_INPUT;
    case PLX_ACTION_FLOAT:
        return XR_ACTION_TYPE_FLOAT_INPUT;
    case PLX_ACTION_VECTOR2:
        return XR_ACTION_TYPE_VECTOR2F_INPUT;
    case PLX_ACTION_POSE:
        return XR_ACTION_TYPE_POSE_INPUT;
    case PLX_ACTION_HAPTIC:
        return XR_ACTION_TYPE_VIBRATION_OUTPUT;
    default:
        return XR_ACTION_TYPE_MAX_ENUM;
    }
}

static const char *type_name(plx_action_type t)
{
    switch (t) {
    case PLX_ACTION_BOOLEAN:
        return "PLX_ACTION_BOOLEAN";
    case PLX_ACTION_FLOAT:
        return "PLX_ACTION_FLOAT";
    case PLX_ACTION_VECTOR2:
        return "PLX_ACTION_VECTOR2";
    case PLX_ACTION_POSE:
        return "PLX_ACTION_POSE";
    case PLX_ACTION_HAPTIC:
        return "PLX_ACTION_HAPTIC";
    default:
        return "no plx_action_type";
    }
}

static plx_action_type plx_type(XrActionType t)
{
    switch (t) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
        return PLX_ACTION_BOOLEAN;
    case XR_ACTION_TYPE_FLOAT_INPUT:
        return PLX_ACTION_FLOAT;
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
        return PLX_ACTION_VECTOR2;
    case XR_ACTION_TYPE_POSE_INPUT:
        return PLX_ACTION_POSE;
    default:
        return PLX_ACTION_HAPTIC;
    }
}

static plx_result action_create(plx_context *ctx, plx_action_set set, const plx_action_desc *desc,
                                plx_action *out_action)
{
    const char *fn = "plx_action_create";
    if (out_action) *out_action = (plx_action){0};
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    if (!desc || !out_action)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "%s: %s is NULL", fn,
                        desc ? "out_action" : "desc");
    uint32_t set_index;
    if ((res = plx_actions_find_set(&ctx->actions, &ctx->report, set.id, fn, &set_index)) < 0) return res;
    if (!valid_name(desc->name))
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: desc.name is NULL or empty; an action needs a name (lower-case letters, digits, "
                        "'-', '_', '.')",
                        fn);
    XrActionType type = xr_type(desc->type);
    if (type == XR_ACTION_TYPE_MAX_ENUM)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: action \"%s\": desc.type %d is not a plx_action_type (PLX_ACTION_BOOLEAN .. "
                        "PLX_ACTION_HAPTIC)",
                        fn, desc->name, (int)desc->type);
    if (desc->subaction_path_count && !desc->subaction_paths)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: action \"%s\": subaction_path_count %u with subaction_paths NULL", fn,
                        desc->name, (unsigned)desc->subaction_path_count);
    uint32_t index;
    res = plx_actions_create_action(&ctx->actions, &ctx->xr, fn, set_index, desc->name,
                                    valid_name(desc->localized_name) ? desc->localized_name : desc->name,
                                    type, desc->subaction_paths, desc->subaction_path_count, &index);
    if ((res = noted(ctx, res)) != PLX_SUCCESS) return res;
    out_action->id = ctx->actions.actions[index].id;
    return PLX_SUCCESS;
}

/* The bindings come as the app's array at its stride (binding_size). */
static plx_result suggest_bindings(plx_context *ctx, const char *profile, const void *bindings,
                                   uint32_t count, size_t stride)
{
    const char *fn = "plx_action_suggest_bindings";
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    if (!profile || !bindings || count == 0)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: %s (profile and bindings must be given, count at least 1)", fn,
                        !profile    ? "profile is NULL"
                        : !bindings ? "bindings is NULL"
                                    : "count is 0");
    if ((res = plx_abi_check_size(&ctx->report, fn, "plx_action_binding", stride,
                                  PLX_ABI_0_2_ACTION_BINDING)) < 0)
        return res;
    if (count > PLX_MAX_BINDINGS)
        return PLX_FAIL(&ctx->report, PLX_ERROR_UNSUPPORTED, "%s: %u bindings in one call; at most %d", fn,
                        (unsigned)count, PLX_MAX_BINDINGS);
    uint32_t actions[PLX_MAX_BINDINGS];
    const char *paths[PLX_MAX_BINDINGS];
    for (uint32_t i = 0; i < count; i++) {
        plx_action_binding b;
        if ((res = plx_abi_in(&ctx->report, fn, "plx_action_binding", &b, sizeof b,
                              (const unsigned char *)bindings + (size_t)i * stride, stride,
                              PLX_ABI_0_2_ACTION_BINDING)) < 0)
            return res;
        char what[64];
        snprintf(what, sizeof what, "%s (bindings[%u])", fn, (unsigned)i);
        if ((res = plx_actions_find_action(&ctx->actions, &ctx->report, b.action.id, what, &actions[i])) < 0)
            return res;
        if (!b.path)
            return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "%s: bindings[%u].path is NULL", fn,
                            (unsigned)i);
        paths[i] = b.path;
    }
    return noted(ctx, plx_actions_suggest(&ctx->actions, &ctx->xr, fn, profile, actions, paths, count));
}

plx_result plx_actions_attach(plx_context *ctx)
{
    const char *fn = "plx_actions_attach";
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    if (plx_recover_pending(&ctx->recover)) return PLX_SESSION_NOT_RUNNING;
    return noted(ctx, plx_actions_attach_all(&ctx->actions, &ctx->xr, fn));
}

plx_result plx_action_set_activate(plx_context *ctx, plx_action_set set, bool active)
{
    const char *fn = "plx_action_set_activate";
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    uint32_t index;
    if ((res = plx_actions_find_set(&ctx->actions, &ctx->report, set.id, fn, &index)) < 0) return res;
    ctx->actions.sets[index].active = active;
    return PLX_SUCCESS;
}

/* The checks every read and haptic call makes: the context, the handle, its type, the subaction path. */
static plx_result find_typed(plx_context *ctx, plx_action action, const char *subaction_path,
                             plx_action_type want, const char *fn, uint32_t *out_index, int *out_sub)
{
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    if ((res = plx_actions_find_action(&ctx->actions, &ctx->report, action.id, fn, out_index)) < 0)
        return res;
    const plx_xr_action *ac = &ctx->actions.actions[*out_index];
    plx_action_type have = plx_type(ac->type);
    if (have != want)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: action \"%s\" is a %s action; this call reads %s (use the call of its type)", fn,
                        ac->name, type_name(have), type_name(want));
    return plx_actions_find_subaction(&ctx->actions, &ctx->report, *out_index, subaction_path, fn, out_sub);
}

static plx_result get_state(plx_context *ctx, plx_action action, const char *subaction_path,
                            plx_action_type type, plx_action_state *out)
{
    const char *fn = type == PLX_ACTION_BOOLEAN   ? "plx_action_get_boolean"
                     : type == PLX_ACTION_FLOAT   ? "plx_action_get_float"
                     : type == PLX_ACTION_VECTOR2 ? "plx_action_get_vector2"
                                                  : "plx_action_get_state";
    *out = (plx_action_state){0};
    if (type != PLX_ACTION_BOOLEAN && type != PLX_ACTION_FLOAT && type != PLX_ACTION_VECTOR2)
        return PLX_FAIL(ctx && plx_api_check_thread(ctx, fn) == PLX_SUCCESS ? &ctx->report : NULL,
                        PLX_ERROR_INVALID_ARGUMENT,
                        "%s: type %s has no plx_action_state (poses: plx_action_get_pose)", fn,
                        type_name(type));
    uint32_t index;
    int sub;
    plx_result res = find_typed(ctx, action, subaction_path, type, fn, &index, &sub);
    if (res < 0) return res;
    if (plx_recover_pending(&ctx->recover)) return PLX_SUCCESS; /* inactive until the session is back */
    union {
        XrActionStateBoolean b;
        XrActionStateFloat f;
        XrActionStateVector2f v;
    } st;
    if ((res = noted(ctx, plx_actions_state(&ctx->actions, &ctx->xr, index, sub, &st))) != PLX_SUCCESS)
        return res < 0 ? res : PLX_SUCCESS;
    switch (type) {
    case PLX_ACTION_BOOLEAN:
        if (!st.b.isActive) return PLX_SUCCESS;
        *out = (plx_action_state){.active = true,
                                  .changed = st.b.changedSinceLastSync,
                                  .last_change_time = st.b.lastChangeTime,
                                  .boolean = st.b.currentState};
        break;
    case PLX_ACTION_FLOAT:
        if (!st.f.isActive) return PLX_SUCCESS;
        *out = (plx_action_state){.active = true,
                                  .changed = st.f.changedSinceLastSync,
                                  .last_change_time = st.f.lastChangeTime,
                                  .value = st.f.currentState};
        break;
    default:
        if (!st.v.isActive) return PLX_SUCCESS;
        *out = (plx_action_state){.active = true,
                                  .changed = st.v.changedSinceLastSync,
                                  .last_change_time = st.v.lastChangeTime,
                                  .vector = {st.v.currentState.x, st.v.currentState.y}};
        break;
    }
    return PLX_SUCCESS;
}

static plx_result get_pose(plx_context *ctx, plx_action action, const char *subaction_path,
                           plx_action_pose *out)
{
    const char *fn = "plx_action_get_pose";
    *out = (plx_action_pose){.pose = {.orientation = {0, 0, 0, 1}}};
    uint32_t index;
    int sub;
    plx_result res = find_typed(ctx, action, subaction_path, PLX_ACTION_POSE, fn, &index, &sub);
    if (res < 0) return res;
    if (plx_recover_pending(&ctx->recover)) return PLX_SUCCESS;
    XrActionStatePose ps;
    if ((res = noted(ctx, plx_actions_state(&ctx->actions, &ctx->xr, index, sub, &ps))) != PLX_SUCCESS)
        return res < 0 ? res : PLX_SUCCESS;
    if (!ps.isActive) return PLX_SUCCESS;
    out->active = true;
    XrTime t = plx_actions_sync_time(&ctx->actions);
    out->time = t;
    XrSpace space;
    if ((res = noted(ctx, plx_actions_space(&ctx->actions, &ctx->xr, index, sub, &space))) != PLX_SUCCESS)
        return res < 0 ? res : PLX_SUCCESS;
    XrSpaceVelocity vel = {.type = XR_TYPE_SPACE_VELOCITY};
    XrSpaceLocation loc = {.type = XR_TYPE_SPACE_LOCATION, .next = &vel};
    if ((res = noted(ctx, PLX_XR(&ctx->report, xrLocateSpace(space, ctx->xr.space, t, &loc)))) != PLX_SUCCESS)
        return res < 0 ? res : PLX_SUCCESS;
    XrSpaceLocationFlags f = loc.locationFlags;
    out->position_valid = f & XR_SPACE_LOCATION_POSITION_VALID_BIT;
    out->orientation_valid = f & XR_SPACE_LOCATION_ORIENTATION_VALID_BIT;
    out->position_tracked = f & XR_SPACE_LOCATION_POSITION_TRACKED_BIT;
    out->orientation_tracked = f & XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT;
    plx_tracked_pose *p = &out->pose;
    p->valid = out->position_valid && out->orientation_valid;
    p->tracked = out->position_tracked && out->orientation_tracked;
    /* A part without its valid bit is undefined in OpenXR (it may be NaN): identity/zero instead. */
    if (out->position_valid) memcpy(p->position, &loc.pose.position, sizeof p->position);
    if (out->orientation_valid) memcpy(p->orientation, &loc.pose.orientation, sizeof p->orientation);
    const XrSpaceVelocityFlags vneed =
        XR_SPACE_VELOCITY_LINEAR_VALID_BIT | XR_SPACE_VELOCITY_ANGULAR_VALID_BIT;
    if ((vel.velocityFlags & vneed) == vneed) {
        p->velocity_valid = true;
        memcpy(p->linear_velocity, &vel.linearVelocity, sizeof p->linear_velocity);
        memcpy(p->angular_velocity, &vel.angularVelocity, sizeof p->angular_velocity);
    }
    return PLX_SUCCESS;
}

plx_result plx_action_haptic(plx_context *ctx, plx_action action, const char *subaction_path, float amplitude,
                             float frequency_hz, int64_t duration_ns)
{
    const char *fn = "plx_action_haptic";
    uint32_t index;
    int sub;
    plx_result res = find_typed(ctx, action, subaction_path, PLX_ACTION_HAPTIC, fn, &index, &sub);
    if (res < 0) return res;
    if (!(amplitude >= 0.0f && amplitude <= 1.0f) || !(frequency_hz >= 0.0f && isfinite(frequency_hz)) ||
        duration_ns < 0)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: amplitude %g (0..1), frequency %g Hz (>= 0), duration %lld ns (>= 0)", fn,
                        (double)amplitude, (double)frequency_hz, (long long)duration_ns);
    if (plx_recover_pending(&ctx->recover)) return PLX_NOT_FOCUSED;
    return noted(
        ctx, plx_actions_haptic(&ctx->actions, &ctx->xr, index, sub, amplitude, frequency_hz, duration_ns));
}

plx_result plx_action_haptic_stop(plx_context *ctx, plx_action action, const char *subaction_path)
{
    const char *fn = "plx_action_haptic_stop";
    uint32_t index;
    int sub;
    plx_result res = find_typed(ctx, action, subaction_path, PLX_ACTION_HAPTIC, fn, &index, &sub);
    if (res < 0) return res;
    if (plx_recover_pending(&ctx->recover)) return PLX_NOT_FOCUSED;
    return noted(ctx, plx_actions_haptic(&ctx->actions, &ctx->xr, index, sub, -1.0f, 0.0f, 0));
}

plx_result plx_actions_get_profile(plx_context *ctx, const char *top_level_path, char *out_profile,
                                   uint32_t size)
{
    const char *fn = "plx_actions_get_profile";
    plx_result res = check_ctx(ctx, fn);
    if (res < 0) return res;
    if (!top_level_path || !out_profile || size == 0)
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "%s: %s", fn,
                        !top_level_path ? "top_level_path is NULL"
                        : !out_profile  ? "out_profile is NULL"
                                        : "size is 0");
    out_profile[0] = '\0';
    if (plx_recover_pending(&ctx->recover)) return PLX_SUCCESS;
    res = noted(ctx, plx_actions_profile(&ctx->actions, &ctx->xr, fn, top_level_path, out_profile, size));
    return res < 0 ? res : PLX_SUCCESS;
}

/* ---------------------------------------------------------------- ABI entry points (base/abi.c, README "ABI
 * policy"): the app's structs come with their size; the functions above work on the library's own copies. */

plx_result plx_action_set_create_sized(plx_context *ctx, const plx_action_set_desc *desc, size_t desc_size,
                                       plx_action_set *out_set)
{
    if (!desc) return action_set_create(ctx, NULL, out_set);
    plx_action_set_desc own;
    plx_result res = plx_abi_in(PLX_REPORT(ctx), "plx_action_set_create", "plx_action_set_desc", &own,
                                sizeof own, desc, desc_size, PLX_ABI_0_2_ACTION_SET_DESC);
    if (res < 0) {
        if (out_set) *out_set = (plx_action_set){0};
        return res;
    }
    return action_set_create(ctx, &own, out_set);
}

plx_result plx_action_create_sized(plx_context *ctx, plx_action_set set, const plx_action_desc *desc,
                                   size_t desc_size, plx_action *out_action)
{
    if (!desc) return action_create(ctx, set, NULL, out_action);
    plx_action_desc own;
    plx_result res = plx_abi_in(PLX_REPORT(ctx), "plx_action_create", "plx_action_desc", &own, sizeof own,
                                desc, desc_size, PLX_ABI_0_2_ACTION_DESC);
    if (res < 0) {
        if (out_action) *out_action = (plx_action){0};
        return res;
    }
    return action_create(ctx, set, &own, out_action);
}

plx_result plx_action_suggest_bindings_sized(plx_context *ctx, const char *profile,
                                             const plx_action_binding *bindings, uint32_t count,
                                             size_t binding_size)
{
    return suggest_bindings(ctx, profile, bindings, count, binding_size);
}

plx_result plx_action_get_state_sized(plx_context *ctx, plx_action action, const char *subaction_path,
                                      plx_action_type type, plx_action_state *out_state, size_t state_size)
{
    if (!out_state) {
        plx_result res = check_ctx(ctx, "plx_action_get_state");
        if (res < 0) return res;
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_action_get_%s: out_state is NULL",
                        type == PLX_ACTION_BOOLEAN ? "boolean"
                        : type == PLX_ACTION_FLOAT ? "float"
                                                   : "vector2");
    }
    plx_result res = plx_abi_check_size(ctx ? &ctx->report : NULL, "plx_action_get_state", "plx_action_state",
                                        state_size, PLX_ABI_0_2_ACTION_STATE);
    if (res < 0) return res;
    plx_action_state own;
    res = get_state(ctx, action, subaction_path, type, &own);
    plx_abi_copy(out_state, state_size, &own, sizeof own);
    return res;
}

plx_result plx_action_get_pose_sized(plx_context *ctx, plx_action action, const char *subaction_path,
                                     plx_action_pose *out_pose, size_t pose_size)
{
    if (!out_pose) {
        plx_result res = check_ctx(ctx, "plx_action_get_pose");
        if (res < 0) return res;
        return PLX_FAIL(&ctx->report, PLX_ERROR_INVALID_ARGUMENT, "plx_action_get_pose: out_pose is NULL");
    }
    plx_result res = plx_abi_check_size(ctx ? &ctx->report : NULL, "plx_action_get_pose", "plx_action_pose",
                                        pose_size, PLX_ABI_0_2_ACTION_POSE);
    if (res < 0) return res;
    plx_action_pose own;
    res = get_pose(ctx, action, subaction_path, &own);
    plx_abi_copy(out_pose, pose_size, &own, sizeof own);
    return res;
}
