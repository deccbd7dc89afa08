/* SPDX-License-Identifier: MIT */
/* Layer 2, xr: OpenXR actions for the layers above: the app's action sets (api/actions.c) and plx_input's
 * (api/input.c) in one place, because OpenXR gives a session one attach for all of them and one list of
 * suggested bindings per interaction profile for the whole instance.
 *
 *   - Declarations are kept (names, types, subaction paths, bindings as strings) and made on the current
 *     instance at once, so OpenXR's verdict on a name or a path comes back to the call that gave it.
 *   - Bindings accumulate per profile; every change suggests the profile's whole list, because
 *     xrSuggestInteractionProfileBindings replaces what was suggested for the profile before. A list the
 *     runtime refuses is taken back, and the binding at fault is found by suggesting each new one alone.
 *   - The attach comes at the first sync (plx_actions_frame, from the frame loop after xrWaitFrame) or
 *     plx_actions_attach; from then on nothing may be declared (PLX_ERROR_CALL_ORDER).
 *   - One xrSyncActions per frame, only while FOCUSED (otherwise every action reads inactive, as OpenXR's
 *     XR_SESSION_NOT_FOCUSED says); the states read afterwards are that sync's.
 *   - After a recovery (recover.c) the objects of the lost session or instance are gone (plx_xr destroyed the
 *     tracked sets and spaces and cleared their slots): plx_actions_follow makes them again from the
 *     declarations and attaches them to the new session; the handles above never change.
 * May call session.c (the tracked children, the session's state) and base/. */
#include <stdio.h>
#include <string.h>

#include "xr/plx_xr.h"

/* ---------------------------------------------------------------- handles */

/* A handle value: serial (upper bits), slot (low 8 bits), XORed with the context's salt; never 0. */
static uint32_t make_id(plx_actions *a, uint32_t slot)
{
    if (!a->salt) {
        /* Per context (its address): a handle of another context does not match a slot here. */
        uintptr_t p = (uintptr_t)a;
        a->salt = ((uint32_t)(p >> 4) * 2654435761u) & 0xFFFFFF00u;
    }
    uint32_t id;
    do {
        a->serial++;
        id = ((a->serial << 8) | slot) ^ a->salt;
    } while (id == 0);
    return id;
}

static uint32_t slot_of(const plx_actions *a, uint32_t id)
{
    return (id ^ a->salt) & 0xFFu;
}

plx_result plx_actions_find_set(plx_actions *a, plx_report *r, uint32_t id, const char *fn, uint32_t *out)
{
    uint32_t s = slot_of(a, id);
    if (id == 0 || s >= a->set_count || a->sets[s].id != id)
        return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: action set handle %u is not an action set of this context (zero, made up, or of "
                        "another context)",
                        fn, (unsigned)id);
    *out = s;
    return PLX_SUCCESS;
}

plx_result plx_actions_find_action(plx_actions *a, plx_report *r, uint32_t id, const char *fn, uint32_t *out)
{
    uint32_t s = slot_of(a, id);
    if (id == 0 || s >= a->action_count || a->actions[s].id != id)
        return PLX_FAIL(
            r, PLX_ERROR_INVALID_ARGUMENT,
            "%s: action handle %u is not an action of this context (zero, made up, of a destroyed "
            "set, or of another context)",
            fn, (unsigned)id);
    *out = s;
    return PLX_SUCCESS;
}

plx_result plx_actions_find_subaction(const plx_actions *a, plx_report *r, uint32_t action, const char *path,
                                      const char *fn, int *out)
{
    const plx_xr_action *ac = &a->actions[action];
    *out = -1;
    if (!path) return PLX_SUCCESS;
    for (uint32_t i = 0; i < ac->sub_count; i++)
        if (strcmp(ac->sub_names[i], path) == 0) {
            *out = (int)i;
            return PLX_SUCCESS;
        }
    return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT,
                    "%s: action \"%s\" was not created with the subaction path \"%s\" (it has %u; NULL reads "
                    "all its bindings)",
                    fn, ac->name, path, (unsigned)ac->sub_count);
}

static const char *type_name(XrActionType t)
{
    switch (t) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
        return "boolean";
    case XR_ACTION_TYPE_FLOAT_INPUT:
        return "float";
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
        return "vector2";
    case XR_ACTION_TYPE_POSE_INPUT:
        return "pose";
    case XR_ACTION_TYPE_VIBRATION_OUTPUT:
        return "haptic";
    default:
        return "?";
    }
}

/* ---------------------------------------------------------------- OpenXR objects */

static plx_result name_error(plx_report *r, const char *fn, const char *what, const char *name, XrResult xr)
{
    const char *rule = xr == XR_ERROR_NAME_DUPLICATED             ? "the name is taken"
                       : xr == XR_ERROR_LOCALIZED_NAME_DUPLICATED ? "the localized name is taken"
                       : xr == XR_ERROR_PATH_FORMAT_INVALID
                           ? "names are lower-case letters, digits, '-', '_' and '.'"
                       : xr == XR_ERROR_NAME_INVALID           ? "the name is empty"
                       : xr == XR_ERROR_LOCALIZED_NAME_INVALID ? "the localized name is empty"
                                                               : NULL;
    if (!rule) return PLX_XR_RESULT(r, xr, what);
    return PLX_FAIL(r, PLX_ERROR_INVALID_ARGUMENT, "%s: %s refused \"%s\": %s (%s)", fn, what, name, rule,
                    plx_xr_result_name(xr));
}

static plx_result make_set(plx_xr *xr, const char *fn, plx_xr_action_set *s)
{
    XrActionSetCreateInfo info = {.type = XR_TYPE_ACTION_SET_CREATE_INFO, .priority = s->priority};
    snprintf(info.actionSetName, sizeof info.actionSetName, "%s", s->name);
    snprintf(info.localizedActionSetName, sizeof info.localizedActionSetName, "%s", s->localized);
    XrResult r = xrCreateActionSet(xr->instance, &info, &s->handle);
    if (XR_FAILED(r)) {
        s->handle = XR_NULL_HANDLE;
        return name_error(xr->report, fn, "xrCreateActionSet", s->name, r);
    }
    return PLX_SUCCESS;
}

static plx_result make_action(plx_actions *a, plx_xr *xr, const char *fn, plx_xr_action *ac)
{
    plx_result res;
    for (uint32_t i = 0; i < ac->sub_count; i++) {
        XrResult r = xrStringToPath(xr->instance, ac->sub_names[i], &ac->sub[i]);
        if (r == XR_ERROR_PATH_FORMAT_INVALID)
            return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                            "%s: subaction path \"%s\" of action \"%s\" is not a valid path (%s)", fn,
                            ac->sub_names[i], ac->name, plx_xr_result_name(r));
        if ((res = PLX_XR_RESULT(xr->report, r, "xrStringToPath")) < 0) return res;
    }
    XrActionCreateInfo info = {.type = XR_TYPE_ACTION_CREATE_INFO,
                               .actionType = ac->type,
                               .countSubactionPaths = ac->sub_count,
                               .subactionPaths = ac->sub_count ? ac->sub : NULL};
    snprintf(info.actionName, sizeof info.actionName, "%s", ac->name);
    snprintf(info.localizedActionName, sizeof info.localizedActionName, "%s", ac->localized);
    XrResult r = xrCreateAction(a->sets[ac->set].handle, &info, &ac->handle);
    if (r == XR_ERROR_PATH_UNSUPPORTED)
        return PLX_FAIL(
            xr->report, PLX_ERROR_INVALID_ARGUMENT,
            "%s: xrCreateAction refused the subaction paths of \"%s\" (XR_ERROR_PATH_UNSUPPORTED: "
            "each must be a top-level user path such as /user/hand/left, given once)",
            fn, ac->name);
    if (XR_FAILED(r)) {
        ac->handle = XR_NULL_HANDLE;
        return name_error(xr->report, fn, "xrCreateAction", ac->name, r);
    }
    return PLX_SUCCESS;
}

/* The profile's whole list, suggested (count 0: nothing to suggest). The raw result, for the caller to
 * judge; *out_count says how many bindings went. */
static XrResult suggest_list(plx_actions *a, plx_xr *xr, uint32_t profile, int only, uint32_t *out_count)
{
    XrActionSuggestedBinding list[PLX_MAX_BINDINGS];
    uint32_t n = 0;
    *out_count = 0;
    XrResult r;
    for (uint32_t i = 0; i < a->binding_count; i++) {
        const plx_xr_binding *b = &a->bindings[i];
        if (b->profile != profile || (only >= 0 && (int)i != only)) continue;
        XrPath p;
        if (XR_FAILED(r = xrStringToPath(xr->instance, b->path, &p))) return r;
        list[n++] = (XrActionSuggestedBinding){.action = a->actions[b->action].handle, .binding = p};
    }
    *out_count = n;
    if (n == 0) return XR_SUCCESS;
    XrPath pp;
    if (XR_FAILED(r = xrStringToPath(xr->instance, a->profiles[profile], &pp))) return r;
    XrInteractionProfileSuggestedBinding sb = {.type = XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
                                               .interactionProfile = pp,
                                               .countSuggestedBindings = n,
                                               .suggestedBindings = list};
    return xrSuggestInteractionProfileBindings(xr->instance, &sb);
}

/* Everything of the instance, made again from the declarations (a new instance after a recovery). */
static plx_result remake_instance_objects(plx_actions *a, plx_xr *xr)
{
    plx_result res;
    for (uint32_t s = 0; s < a->set_count; s++)
        if (a->sets[s].id && (res = make_set(xr, "recovery", &a->sets[s])) < 0) return res;
    for (uint32_t i = 0; i < a->action_count; i++)
        if (a->actions[i].id && (res = make_action(a, xr, "recovery", &a->actions[i])) < 0) return res;
    for (uint32_t p = 0; p < a->profile_count; p++) {
        uint32_t n;
        XrResult r = suggest_list(a, xr, p, -1, &n);
        if ((res = PLX_XR_RESULT(xr->report, r, "xrSuggestInteractionProfileBindings")) < 0) return res;
    }
    return PLX_SUCCESS;
}

static bool any_set(const plx_actions *a)
{
    for (uint32_t s = 0; s < a->set_count; s++)
        if (a->sets[s].id) return true;
    return false;
}

static plx_result attach_now(plx_actions *a, plx_xr *xr, const char *fn)
{
    XrActionSet sets[PLX_MAX_ACTION_SETS];
    uint32_t n = 0;
    for (uint32_t s = 0; s < a->set_count; s++)
        if (a->sets[s].id) sets[n++] = a->sets[s].handle;
    if (n == 0) return PLX_SUCCESS; /* nothing declared: nothing to attach, nothing frozen */
    XrSessionActionSetsAttachInfo info = {
        .type = XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO, .countActionSets = n, .actionSets = sets};
    XrResult r = xrAttachSessionActionSets(xr->session, &info);
    if (r == XR_ERROR_ACTIONSETS_ALREADY_ATTACHED)
        return PLX_FAIL(
            xr->report, PLX_ERROR_CALL_ORDER,
            "%s: xrAttachSessionActionSets: XR_ERROR_ACTIONSETS_ALREADY_ATTACHED: the app attached "
            "action sets of its own to the session; with libparallax's actions (plx_action_*, "
            "plx_input) it must not, as OpenXR allows one attach per session",
            fn);
    plx_result res = PLX_XR_RESULT(xr->report, r, "xrAttachSessionActionSets");
    if (res < 0) return res;
    a->attached = true;
    a->attached_session = xr->session_generation;
    a->synced = false;
    plx_log(xr->report, PLX_LOG_INFO, "actions: %u action set%s attached to the session", (unsigned)n,
            n == 1 ? "" : "s");
    return PLX_SUCCESS;
}

plx_result plx_actions_follow(plx_actions *a, plx_xr *xr)
{
    if (a->instance_generation == 0) return PLX_SUCCESS; /* nothing made yet */
    if (xr->instance == XR_NULL_HANDLE || xr->session == XR_NULL_HANDLE) return PLX_SESSION_NOT_RUNNING;
    plx_result res;
    if (a->instance_generation != xr->instance_generation) {
        plx_log(xr->report, PLX_LOG_INFO,
                "actions: the OpenXR instance was re-created; making the action sets, actions and bindings "
                "again");
        /* plx_xr destroyed the sets (their actions with them) and the spaces before the old instance. */
        if ((res = remake_instance_objects(a, xr)) < 0) return res;
        a->instance_generation = xr->instance_generation;
    }
    if (a->attached && a->attached_session != xr->session_generation) {
        plx_log(xr->report, PLX_LOG_INFO,
                "actions: the OpenXR session was re-created; attaching the action sets again");
        a->synced = false;
        return attach_now(a, xr, "recovery");
    }
    return PLX_SUCCESS;
}

/* Before a declaration: not after the attach, and on the current instance. */
static plx_result before_declaring(plx_actions *a, plx_xr *xr, const char *fn)
{
    if (a->attached)
        return PLX_FAIL(
            xr->report, PLX_ERROR_CALL_ORDER,
            "%s: the action sets are already attached to the session (at the first plx_frame_wait "
            "that returned a frame, plx_actions_attach or plx_input_sync); OpenXR allows one attach "
            "per session, so every action set, action, binding and plx_input must be made before",
            fn);
    if (xr->instance == XR_NULL_HANDLE)
        return PLX_FAIL(xr->report, PLX_SESSION_NOT_RUNNING,
                        "%s: the OpenXR instance is being re-created; try again after plx_poll", fn);
    plx_result res = plx_actions_follow(a, xr);
    if (res != PLX_SUCCESS) return res;
    if (a->instance_generation == 0) a->instance_generation = xr->instance_generation;
    return PLX_SUCCESS;
}

plx_result plx_actions_create_set(plx_actions *a, plx_xr *xr, const char *fn, const char *name,
                                  const char *localized, uint32_t priority, uint32_t *out_index)
{
    plx_result res = before_declaring(a, xr, fn);
    if (res < 0) return res;
    if (strlen(name) >= XR_MAX_ACTION_SET_NAME_SIZE ||
        strlen(localized) >= XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE)
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: action set name \"%.64s\" or its localized name is too long (at most %d and %d "
                        "bytes)",
                        fn, name, XR_MAX_ACTION_SET_NAME_SIZE - 1, XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE - 1);
    uint32_t s = 0;
    while (s < a->set_count && a->sets[s].id) s++;
    if (s == PLX_MAX_ACTION_SETS)
        return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED, "%s: more than %d action sets", fn,
                        PLX_MAX_ACTION_SETS);
    plx_xr_action_set *set = &a->sets[s];
    *set = (plx_xr_action_set){.priority = priority, .active = true};
    snprintf(set->name, sizeof set->name, "%s", name);
    snprintf(set->localized, sizeof set->localized, "%s", localized);
    /* Destroyed before the instance whenever plx_xr destroys it (session.c plx_xr_track_child says why). */
    if ((res = plx_xr_track_child(xr, XR_OBJECT_TYPE_ACTION_SET, &set->handle)) < 0) return res;
    if ((res = make_set(xr, fn, set)) < 0) {
        plx_xr_untrack_child(xr, &set->handle);
        return res;
    }
    set->id = make_id(a, s);
    if (s == a->set_count) a->set_count++;
    *out_index = s;
    return PLX_SUCCESS;
}

plx_result plx_actions_create_action(plx_actions *a, plx_xr *xr, const char *fn, uint32_t set,
                                     const char *name, const char *localized, XrActionType type,
                                     const char *const *subaction_paths, uint32_t subaction_count,
                                     uint32_t *out_index)
{
    plx_result res = before_declaring(a, xr, fn);
    if (res < 0) return res;
    if (strlen(name) >= XR_MAX_ACTION_NAME_SIZE || strlen(localized) >= XR_MAX_LOCALIZED_ACTION_NAME_SIZE)
        return PLX_FAIL(
            xr->report, PLX_ERROR_INVALID_ARGUMENT,
            "%s: action name \"%.64s\" or its localized name is too long (at most %d and %d bytes)", fn, name,
            XR_MAX_ACTION_NAME_SIZE - 1, XR_MAX_LOCALIZED_ACTION_NAME_SIZE - 1);
    if (subaction_count > PLX_MAX_SUBACTIONS)
        return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED,
                        "%s: action \"%s\" has %u subaction paths; at most %d", fn, name,
                        (unsigned)subaction_count, PLX_MAX_SUBACTIONS);
    for (uint32_t i = 0; i < subaction_count; i++)
        if (!subaction_paths[i] || strlen(subaction_paths[i]) >= XR_MAX_PATH_LENGTH)
            return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                            "%s: subaction path %u of action \"%s\" is NULL or too long", fn, (unsigned)i,
                            name);
    uint32_t k = 0;
    while (k < a->action_count && a->actions[k].id) k++;
    if (k == PLX_MAX_ACTIONS)
        return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED, "%s: more than %d actions", fn, PLX_MAX_ACTIONS);
    plx_xr_action *ac = &a->actions[k];
    *ac = (plx_xr_action){.set = set, .type = type, .sub_count = subaction_count};
    snprintf(ac->name, sizeof ac->name, "%s", name);
    snprintf(ac->localized, sizeof ac->localized, "%s", localized);
    for (uint32_t i = 0; i < subaction_count; i++)
        snprintf(ac->sub_names[i], sizeof ac->sub_names[i], "%s", subaction_paths[i]);
    if ((res = make_action(a, xr, fn, ac)) < 0) return res;
    ac->id = make_id(a, k);
    if (k == a->action_count) a->action_count++;
    *out_index = k;
    return PLX_SUCCESS;
}

/* What the runtime said about a refused list, named: which profile and which path (found by suggesting each
 * new binding, first..count-1 of the list, alone), or the profile when it takes none of them. */
static plx_result explain_refusal(plx_actions *a, plx_xr *xr, const char *fn, uint32_t profile,
                                  uint32_t first, XrResult r)
{
    int culprit = -1;
    uint32_t refused = 0, n;
    for (uint32_t i = first; i < a->binding_count; i++) {
        XrResult one = suggest_list(a, xr, profile, (int)i, &n);
        if (XR_FAILED(one)) {
            refused++;
            if (culprit < 0) culprit = (int)i;
        }
    }
    uint32_t tried = a->binding_count - first;
    if (culprit >= 0 && (refused < tried || tried == 1))
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: xrSuggestInteractionProfileBindings: %s for interaction profile \"%s\" and path "
                        "\"%s\" (action \"%s\")%s",
                        fn, plx_xr_result_name(r), a->profiles[profile], a->bindings[culprit].path,
                        a->actions[a->bindings[culprit].action].name,
                        tried == 1 ? ": the runtime does not have that profile, or the profile has no such "
                                     "path on that user path"
                                   : ": the profile has no such path on that user path");
    if (culprit >= 0)
        return PLX_FAIL(
            xr->report, PLX_ERROR_INVALID_ARGUMENT,
            "%s: xrSuggestInteractionProfileBindings: %s for interaction profile \"%s\": the runtime "
            "refuses every one of its %u paths (first \"%s\"); it does not have that profile",
            fn, plx_xr_result_name(r), a->profiles[profile], (unsigned)tried, a->bindings[culprit].path);
    return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                    "%s: xrSuggestInteractionProfileBindings: %s for interaction profile \"%s\" with the new "
                    "bindings together, though it takes each alone",
                    fn, plx_xr_result_name(r), a->profiles[profile]);
}

plx_result plx_actions_suggest(plx_actions *a, plx_xr *xr, const char *fn, const char *profile,
                               const uint32_t *actions, const char *const *paths, uint32_t count)
{
    plx_result res = before_declaring(a, xr, fn);
    if (res < 0) return res;
    if (strlen(profile) >= XR_MAX_PATH_LENGTH)
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT, "%s: profile path \"%.64s...\" is too long",
                        fn, profile);
    XrPath check;
    XrResult r = xrStringToPath(xr->instance, profile, &check);
    if (r == XR_ERROR_PATH_FORMAT_INVALID)
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: interaction profile \"%s\" is not a valid path (%s)", fn, profile,
                        plx_xr_result_name(r));
    if ((res = PLX_XR_RESULT(xr->report, r, "xrStringToPath")) < 0) return res;
    uint32_t p = 0;
    while (p < a->profile_count && strcmp(a->profiles[p], profile) != 0) p++;
    bool new_profile = p == a->profile_count;
    if (new_profile) {
        if (p == PLX_MAX_PROFILES)
            return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED, "%s: more than %d interaction profiles", fn,
                            PLX_MAX_PROFILES);
        snprintf(a->profiles[p], sizeof a->profiles[p], "%s", profile);
        a->profile_count++;
    }
    uint32_t first = a->binding_count;
    for (uint32_t i = 0; i < count; i++) {
        const char *path = paths[i];
        if (strlen(path) >= XR_MAX_PATH_LENGTH) {
            res = PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                           "%s: binding path \"%.64s...\" is too long", fn, path);
            goto fail;
        }
        XrPath pp;
        r = xrStringToPath(xr->instance, path, &pp);
        if (r == XR_ERROR_PATH_FORMAT_INVALID) {
            res = PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                           "%s: binding path \"%s\" for interaction profile \"%s\" is not a valid path (%s)",
                           fn, path, profile, plx_xr_result_name(r));
            goto fail;
        }
        if ((res = PLX_XR_RESULT(xr->report, r, "xrStringToPath")) < 0) goto fail;
        bool known = false;
        for (uint32_t j = 0; j < a->binding_count && !known; j++)
            known = a->bindings[j].profile == p && a->bindings[j].action == actions[i] &&
                    strcmp(a->bindings[j].path, path) == 0;
        if (known) continue;
        if (a->binding_count == PLX_MAX_BINDINGS) {
            res = PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED, "%s: more than %d suggested bindings", fn,
                           PLX_MAX_BINDINGS);
            goto fail;
        }
        plx_xr_binding *b = &a->bindings[a->binding_count++];
        *b = (plx_xr_binding){.profile = (uint16_t)p, .action = (uint16_t)actions[i]};
        snprintf(b->path, sizeof b->path, "%s", path);
    }
    if (a->binding_count == first) return PLX_SUCCESS; /* all known already */
    uint32_t n;
    r = suggest_list(a, xr, p, -1, &n);
    if (XR_SUCCEEDED(r)) return PLX_SUCCESS;
    if (r == XR_ERROR_PATH_UNSUPPORTED || r == XR_ERROR_PATH_INVALID)
        res = explain_refusal(a, xr, fn, p, first, r);
    else
        res = PLX_XR_RESULT(xr->report, r, "xrSuggestInteractionProfileBindings");
    /* Nothing of the call is kept; the runtime gets the list as it was (a probe replaced it). */
    char why[sizeof xr->report->last_error];
    snprintf(why, sizeof why, "%s", plx_report_last_error(xr->report));
    a->binding_count = first;
    (void)suggest_list(a, xr, p, -1, &n);
    plx_report_restore_error(xr->report, why);
fail:
    a->binding_count = first;
    if (new_profile) a->profile_count--;
    return res;
}

void plx_actions_destroy_set(plx_actions *a, plx_xr *xr, uint32_t set)
{
    plx_xr_action_set *s = &a->sets[set];
    if (!s->id) return;
    bool current = a->instance_generation == xr->instance_generation;
    for (uint32_t i = 0; i < a->action_count; i++) {
        plx_xr_action *ac = &a->actions[i];
        if (!ac->id || ac->set != set) continue;
        for (uint32_t k = 0; k <= PLX_MAX_SUBACTIONS; k++) {
            if (!ac->space_tracked[k]) continue;
            if (ac->spaces[k] != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroySpace(ac->spaces[k]));
            plx_xr_untrack_child(xr, &ac->spaces[k]);
            a->space_count--;
        }
        /* Its bindings go from the lists (before the attach the runtime gets the rest at the next suggest
         * for that profile; after it, at a recovery's). */
        uint32_t w = 0;
        for (uint32_t j = 0; j < a->binding_count; j++)
            if (a->bindings[j].action != i) a->bindings[w++] = a->bindings[j];
        a->binding_count = w;
        *ac = (plx_xr_action){0};
    }
    /* Destroying the set destroys its actions. */
    if (current && s->handle != XR_NULL_HANDLE) PLX_XR(xr->report, xrDestroyActionSet(s->handle));
    plx_xr_untrack_child(xr, &s->handle);
    *s = (plx_xr_action_set){0};
}

plx_result plx_actions_attach_all(plx_actions *a, plx_xr *xr, const char *fn)
{
    plx_result res = plx_actions_follow(a, xr);
    if (res != PLX_SUCCESS) return res;
    if (a->attached) return PLX_SUCCESS;
    if (xr->session == XR_NULL_HANDLE) return PLX_SESSION_NOT_RUNNING;
    return attach_now(a, xr, fn);
}

/* ---------------------------------------------------------------- sync */

static plx_result sync_now(plx_actions *a, plx_xr *xr, XrTime display_time, const char *fn)
{
    a->synced_frame = a->frames;
    a->synced = false;
    a->sync_time = display_time;
    if (!any_set(a)) return a->sync_result = PLX_SUCCESS;
    plx_result res = plx_actions_attach_all(a, xr, fn);
    if (res != PLX_SUCCESS) return a->sync_result = res;
    /* Input belongs to the app with focus: no sync otherwise, and every action reads inactive. */
    if (plx_xr_state(xr) != XR_SESSION_STATE_FOCUSED) return a->sync_result = PLX_NOT_FOCUSED;
    XrActiveActionSet active[PLX_MAX_ACTION_SETS];
    uint32_t n = 0;
    for (uint32_t s = 0; s < a->set_count; s++) {
        a->sets[s].synced_active = a->sets[s].id && a->sets[s].active;
        if (a->sets[s].synced_active)
            active[n++] = (XrActiveActionSet){.actionSet = a->sets[s].handle, .subactionPath = XR_NULL_PATH};
    }
    if (n > 0) {
        XrActionsSyncInfo info = {
            .type = XR_TYPE_ACTIONS_SYNC_INFO, .countActiveActionSets = n, .activeActionSets = active};
        XrResult r = xrSyncActions(xr->session, &info);
        if (r == XR_SESSION_NOT_FOCUSED) return a->sync_result = PLX_NOT_FOCUSED;
        if ((res = PLX_XR_RESULT(xr->report, r, "xrSyncActions")) < 0) return a->sync_result = res;
    }
    a->synced = true;
    a->synced_session = xr->session_generation;
    return a->sync_result = PLX_SUCCESS;
}

void plx_actions_frame(plx_actions *a, plx_xr *xr, XrTime display_time)
{
    a->frames++;
    plx_result before = a->sync_result;
    plx_result res = sync_now(a, xr, display_time, "plx_frame_wait (the frame's action sync)");
    if (res < 0 && res != PLX_ERROR_SESSION_LOST && res != before)
        /* The frame goes on (once per kind of failure in a row): the actions read inactive, and the error
         * stays in plx_last_error. */
        plx_log(xr->report, PLX_LOG_WARN, "actions: no input this frame: %s",
                plx_report_last_error(xr->report));
}

plx_result plx_actions_sync_once(plx_actions *a, plx_xr *xr, XrTime display_time)
{
    if (a->frames > 0 && a->synced_frame == a->frames) return a->sync_result;
    /* No frame since the last sync (or none at all): this is the frame's sync. */
    if (a->frames == 0) a->frames = 1;
    return sync_now(a, xr, display_time, "plx_input_sync");
}

XrTime plx_actions_sync_time(const plx_actions *a)
{
    return a->sync_time;
}

/* ---------------------------------------------------------------- reading */

/* Whether the last sync's states may be read for this action. */
static bool readable(const plx_actions *a, const plx_xr *xr, uint32_t action)
{
    return a->synced && a->synced_session == xr->session_generation &&
           a->sets[a->actions[action].set].synced_active;
}

plx_result plx_actions_state(plx_actions *a, plx_xr *xr, uint32_t action, int sub, void *out)
{
    const plx_xr_action *ac = &a->actions[action];
    XrActionStateGetInfo gi = {.type = XR_TYPE_ACTION_STATE_GET_INFO,
                               .action = ac->handle,
                               .subactionPath = sub < 0 ? XR_NULL_PATH : ac->sub[sub]};
    XrResult r;
    switch (ac->type) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
        *(XrActionStateBoolean *)out = (XrActionStateBoolean){.type = XR_TYPE_ACTION_STATE_BOOLEAN};
        if (!readable(a, xr, action)) return PLX_SUCCESS;
        r = xrGetActionStateBoolean(xr->session, &gi, out);
        return PLX_XR_RESULT(xr->report, r, "xrGetActionStateBoolean");
    case XR_ACTION_TYPE_FLOAT_INPUT:
        *(XrActionStateFloat *)out = (XrActionStateFloat){.type = XR_TYPE_ACTION_STATE_FLOAT};
        if (!readable(a, xr, action)) return PLX_SUCCESS;
        r = xrGetActionStateFloat(xr->session, &gi, out);
        return PLX_XR_RESULT(xr->report, r, "xrGetActionStateFloat");
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
        *(XrActionStateVector2f *)out = (XrActionStateVector2f){.type = XR_TYPE_ACTION_STATE_VECTOR2F};
        if (!readable(a, xr, action)) return PLX_SUCCESS;
        r = xrGetActionStateVector2f(xr->session, &gi, out);
        return PLX_XR_RESULT(xr->report, r, "xrGetActionStateVector2f");
    case XR_ACTION_TYPE_POSE_INPUT:
        *(XrActionStatePose *)out = (XrActionStatePose){.type = XR_TYPE_ACTION_STATE_POSE};
        if (!readable(a, xr, action)) return PLX_SUCCESS;
        r = xrGetActionStatePose(xr->session, &gi, out);
        return PLX_XR_RESULT(xr->report, r, "xrGetActionStatePose");
    default:
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                        "action \"%s\" is a %s action: it has no state", ac->name, type_name(ac->type));
    }
}

plx_result plx_actions_space(plx_actions *a, plx_xr *xr, uint32_t action, int sub, XrSpace *out)
{
    plx_xr_action *ac = &a->actions[action];
    uint32_t k = (uint32_t)(sub + 1);
    *out = XR_NULL_HANDLE;
    plx_result res;
    if (ac->spaces[k] == XR_NULL_HANDLE) {
        if (xr->session == XR_NULL_HANDLE) return PLX_SESSION_NOT_RUNNING;
        if (!ac->space_tracked[k]) {
            if (a->space_count == PLX_MAX_ACTION_SPACES)
                return PLX_FAIL(xr->report, PLX_ERROR_UNSUPPORTED,
                                "action \"%s\": more than %d pose action spaces (pose actions times their "
                                "subaction paths read)",
                                ac->name, PLX_MAX_ACTION_SPACES);
            /* Destroyed before the session whenever plx_xr destroys it; made again here after that. */
            if ((res = plx_xr_track_child(xr, XR_OBJECT_TYPE_SPACE, &ac->spaces[k])) < 0) return res;
            ac->space_tracked[k] = true;
            a->space_count++;
        }
        XrActionSpaceCreateInfo si = {.type = XR_TYPE_ACTION_SPACE_CREATE_INFO,
                                      .action = ac->handle,
                                      .subactionPath = sub < 0 ? XR_NULL_PATH : ac->sub[sub],
                                      .poseInActionSpace = {.orientation = {0, 0, 0, 1}}};
        if ((res = PLX_XR(xr->report, xrCreateActionSpace(xr->session, &si, &ac->spaces[k]))) < 0) return res;
    }
    *out = ac->spaces[k];
    return PLX_SUCCESS;
}

plx_result plx_actions_haptic(plx_actions *a, plx_xr *xr, uint32_t action, int sub, float amplitude,
                              float frequency_hz, int64_t duration_ns)
{
    plx_result res = plx_actions_follow(a, xr);
    if (res != PLX_SUCCESS) return res;
    if (!a->attached) return PLX_NOT_FOCUSED; /* nothing is bound before the attach */
    const plx_xr_action *ac = &a->actions[action];
    XrHapticActionInfo info = {.type = XR_TYPE_HAPTIC_ACTION_INFO,
                               .action = ac->handle,
                               .subactionPath = sub < 0 ? XR_NULL_PATH : ac->sub[sub]};
    XrResult r;
    const char *call;
    if (amplitude < 0.0f) {
        r = xrStopHapticFeedback(xr->session, &info);
        call = "xrStopHapticFeedback";
    } else {
        XrHapticVibration v = {.type = XR_TYPE_HAPTIC_VIBRATION,
                               .duration = duration_ns > 0 ? duration_ns : XR_MIN_HAPTIC_DURATION,
                               .frequency = frequency_hz > 0.0f ? frequency_hz : XR_FREQUENCY_UNSPECIFIED,
                               .amplitude = amplitude};
        r = xrApplyHapticFeedback(xr->session, &info, (const XrHapticBaseHeader *)&v);
        call = "xrApplyHapticFeedback";
    }
    /* Without focus the runtime ignores haptics and says so with a success code. */
    if (r == XR_SESSION_NOT_FOCUSED) return PLX_NOT_FOCUSED;
    return PLX_XR_RESULT(xr->report, r, call);
}

plx_result plx_actions_profile(plx_actions *a, plx_xr *xr, const char *fn, const char *top_level_path,
                               char *out, uint32_t size)
{
    out[0] = '\0';
    plx_result res = plx_actions_follow(a, xr);
    if (res < 0) return res;
    if (res != PLX_SUCCESS || !a->attached || a->attached_session != xr->session_generation)
        return PLX_SUCCESS; /* no profile before the attach */
    XrPath top;
    XrResult r = xrStringToPath(xr->instance, top_level_path, &top);
    if (r == XR_ERROR_PATH_FORMAT_INVALID)
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT, "%s: \"%s\" is not a valid path (%s)", fn,
                        top_level_path, plx_xr_result_name(r));
    if ((res = PLX_XR_RESULT(xr->report, r, "xrStringToPath")) < 0) return res;
    XrInteractionProfileState ps = {.type = XR_TYPE_INTERACTION_PROFILE_STATE};
    r = xrGetCurrentInteractionProfile(xr->session, top, &ps);
    if (r == XR_ERROR_PATH_UNSUPPORTED)
        return PLX_FAIL(
            xr->report, PLX_ERROR_INVALID_ARGUMENT,
            "%s: \"%s\" is not a top-level user path the runtime knows (XR_ERROR_PATH_UNSUPPORTED; "
            "e.g. /user/hand/left)",
            fn, top_level_path);
    if ((res = PLX_XR_RESULT(xr->report, r, "xrGetCurrentInteractionProfile")) < 0) return res;
    if (ps.interactionProfile == XR_NULL_PATH) return PLX_SUCCESS;
    char buf[XR_MAX_PATH_LENGTH];
    uint32_t len = 0;
    if ((res = PLX_XR(xr->report,
                      xrPathToString(xr->instance, ps.interactionProfile, sizeof buf, &len, buf))) < 0)
        return res;
    if (len > size)
        return PLX_FAIL(xr->report, PLX_ERROR_INVALID_ARGUMENT,
                        "%s: the profile \"%s\" needs %u bytes; out_profile has %u", fn, buf, (unsigned)len,
                        (unsigned)size);
    memcpy(out, buf, len);
    return PLX_SUCCESS;
}
