/* SPDX-License-Identifier: MIT */
/* Actions: action sets, actions, suggested bindings, interaction profiles, xrSyncActions, states and haptics.
 * Layer: openxr (the upper part), above session.c; calls session.c, instance.c, handles.c, device/user.c (the
 * devices' inputs and haptics), device/hand.c (what a tracked hand's gesture amounts to), device/clock.c and
 * base/ (the interaction profile table, generated from the OpenXR registry).
 *
 * The simulated user has two hands (holding controllers, or tracked), a gamepad and the headset's own
 * buttons: one device per top-level user path that has interaction profiles (device/sim_user.h). Each device
 * presents itself as one of the profiles the application suggested bindings for, the way a runtime reports
 * the controller in the user's hands: the first in base/profiles.c's order of preference that has the
 * device's user path, unless the user (PARALLAX_SIM_INPUT "left.profile=...", the window's profile key) picks
 * one; a picked profile the application has no bindings for is emulated through the runtime's own pick (the
 * spec lets a runtime rebind a device to a profile the application knows), "none" leaves the user path
 * without a device. Choosing happens only in xrSyncActions (spec "Suggested Bindings": "Interaction profile
 * selection changes must only happen when xrSyncActions is called"), which then queues one
 * XrEventDataInteractionProfileChanged.
 *
 * Every input of every profile reads the device's inputs by identifier: the device's own controls
 * (trigger, squeeze, select, menu, system, a, b, thumbstick) and anything set by name, with aliases so that
 * the window's keys drive every profile: x/y are a/b, a trackpad is the thumbstick on a profile without one,
 * back is menu, home is system; the gamepad reads the two hands (thumbstick_left is the left thumbstick,
 * trigger_right the right trigger, shoulder_* the squeezes, a/b the right hand's, x/y the left hand's, menu
 * the right menu, view the left menu); XR_EXT_hand_interaction's pinch, grasp and aim_activate come from the
 * tracked hand's gesture (device/hand.c), the trigger and the squeeze.
 *
 * Locking: inst->lock guards the lists (action sets, actions, bindings) and object lifetimes;
 * s->actions->lock guards per-session state (profiles, bound sources and the values of the last sync);
 * s->lock guards the session state; the user's own lock its devices. Lock order: inst->lock before the
 * action state lock; s->lock is never held together with either here. */
#include "openxr/sim_entry_points.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_profiles.h"
#include "device/sim_hand.h"

#define SIM_MAX_SUBACTIONS 5 /* one per top-level user path */
#define SIM_MAX_BOUND      8 /* bound sources per device per action */
#define DEVICES            SIM_DEVICE_COUNT

/* Every top-level user path the spec lists (xrCreateAction's subaction paths); the first four are devices. */
static const char *const top_level_paths[] = {"/user/hand/left", "/user/hand/right", "/user/gamepad",
                                              "/user/head", "/user/treadmill"};

/* The features of the instance that decide which profiles and binding paths exist (base/sim_profiles.h). */
static uint32_t features_of(const sim_instance *inst)
{
    uint32_t f = 0;
    if (sim_instance_is_1_1(inst)) f |= SIM_PROFILE_FEATURE_XR_VERSION_1_1;
    if (inst->ext_hand_interaction) f |= SIM_PROFILE_FEATURE_XR_EXT_HAND_INTERACTION;
    if (inst->ext_palm_pose) f |= SIM_PROFILE_FEATURE_XR_EXT_PALM_POSE;
    return f;
}

/* "/input/trigger/value" -> id "trigger", component "value"; "/input/thumbstick" -> "thumbstick", "". */
static void split_subpath(const char *subpath, char *id, size_t id_cap, const char **out_component)
{
    const char *p = strchr(subpath + 1, '/'); /* after "/input" or "/output" */
    p = p ? p + 1 : subpath;
    const char *slash = strchr(p, '/');
    size_t n = slash ? (size_t)(slash - p) : strlen(p);
    if (n >= id_cap) n = id_cap - 1;
    memcpy(id, p, n);
    id[n] = '\0';
    *out_component = slash ? slash + 1 : "";
}

/* ---------------------------------------------------------------- objects */

typedef struct sim_action_set {
    sim_handle h;
    struct sim_action_set *next; /* inst->action_sets */
    char name[XR_MAX_ACTION_SET_NAME_SIZE];
    char localized[XR_MAX_LOCALIZED_ACTION_SET_NAME_SIZE];
    uint32_t priority;
    struct sim_action *actions;
    int attach_count; /* live sessions it is attached to: it is immutable while > 0 */
    bool destroyed;   /* handle destroyed; memory kept while attached */
} sim_action_set;

typedef struct device_value {
    bool active, changed;
    float scalar; /* bool 0/1 or float */
    XrVector2f vec;
    XrTime last_change;
} device_value;

typedef struct sim_action {
    sim_handle h;
    struct sim_action *next; /* set->actions */
    sim_action_set *set;
    char name[XR_MAX_ACTION_NAME_SIZE];
    char localized[XR_MAX_LOCALIZED_ACTION_NAME_SIZE];
    XrActionType type;
    XrPath subactions[SIM_MAX_SUBACTIONS];
    uint32_t subaction_count;
    int space_refs; /* action spaces using it: they outlive xrDestroyAction */
    bool destroyed;
    /* Per session (one at a time), guarded by the session's action state lock: the sources each device's
     * profile binds (chosen in xrSyncActions), and the values of the last xrSyncActions. */
    uint32_t bound_count[DEVICES];
    const sim_profile_component *bound[DEVICES][SIM_MAX_BOUND]; /* in the profile table */
    XrPath bound_path[DEVICES][SIM_MAX_BOUND];
    device_value value[DEVICES];
} sim_action;

typedef struct binding_item {
    sim_action *action;
    XrPath path;
} binding_item;

/* The suggested bindings for one interaction profile (the newest suggestion replaces older ones). */
typedef struct sim_binding {
    struct sim_binding *next;
    const sim_profile_def *profile;
    uint32_t count;
    binding_item *items;
} sim_binding;

typedef struct sim_action_state {
    pthread_mutex_t lock;
    sim_action_set **sets; /* attached */
    uint32_t set_count;
    XrPath device_path[DEVICES]; /* the devices' top-level user paths */
    const sim_profile_def
        *profile[DEVICES];             /* what each device presents (NULL: no device / not chosen yet) */
    XrPath current[DEVICES];           /* xrGetCurrentInteractionProfile: its path, or XR_NULL_PATH */
    uint32_t request_serial[DEVICES];  /* the user's profile requests seen so far */
    bool choose;                       /* attached: choose profiles at the next xrSyncActions */
    sim_controller_state ctl[DEVICES]; /* the devices at the last xrSyncActions */
    sim_hand_actions hand[2];          /* what the tracked hands' gestures amounted to then */
} sim_action_state;

/* ---------------------------------------------------------------- lifetime */

static void bindings_forget_action(sim_instance *inst, const sim_action *a)
{
    for (sim_binding *b = inst->bindings; b; b = b->next) {
        uint32_t k = 0;
        for (uint32_t i = 0; i < b->count; i++)
            if (b->items[i].action != a) b->items[k++] = b->items[i];
        b->count = k;
    }
}

/* Frees destroyed actions and sets nothing refers to any more. Caller holds inst->lock. */
static void collect_locked(sim_instance *inst)
{
    for (sim_action_set **ps = &inst->action_sets; *ps;) {
        sim_action_set *set = *ps;
        for (sim_action **pa = &set->actions; *pa;) {
            sim_action *a = *pa;
            if (a->destroyed && a->space_refs == 0 && set->attach_count == 0) {
                *pa = a->next;
                bindings_forget_action(inst, a);
                sim_handle_delete(a, sizeof(*a));
            } else {
                pa = &a->next;
            }
        }
        if (set->destroyed && set->attach_count == 0 && !set->actions) {
            *ps = set->next;
            sim_handle_delete(set, sizeof(*set));
        } else {
            ps = &set->next;
        }
    }
}

void sim_action_space_ref(struct sim_action *a, int delta)
{
    sim_instance *inst = a->h.instance;
    pthread_mutex_lock(&inst->lock);
    a->space_refs += delta;
    if (a->space_refs == 0 && a->destroyed) collect_locked(inst);
    pthread_mutex_unlock(&inst->lock);
}

void sim_actions_instance_destroy(sim_instance *inst)
{
    pthread_mutex_lock(&inst->lock);
    while (inst->action_sets) {
        sim_action_set *set = inst->action_sets;
        inst->action_sets = set->next;
        while (set->actions) {
            sim_action *a = set->actions;
            set->actions = a->next;
            if (!a->destroyed) sim_handle_unregister(a);
            sim_handle_delete(a, sizeof(*a));
        }
        if (!set->destroyed) sim_handle_unregister(set);
        sim_handle_delete(set, sizeof(*set));
    }
    while (inst->bindings) {
        sim_binding *b = inst->bindings;
        inst->bindings = b->next;
        free(b->items);
        free(b);
    }
    pthread_mutex_unlock(&inst->lock);
}

XrResult sim_actions_session_init(sim_session *s)
{
    sim_action_state *st = calloc(1, sizeof(*st));
    if (!st) return XR_ERROR_OUT_OF_MEMORY;
    pthread_mutex_init(&st->lock, NULL);
    for (int d = 0; d < DEVICES; d++) {
        st->device_path[d] = sim_path_get(s->inst, sim_device_user_path(d));
        if (st->device_path[d] == XR_NULL_PATH) {
            pthread_mutex_destroy(&st->lock);
            free(st);
            return XR_ERROR_PATH_COUNT_EXCEEDED;
        }
    }
    s->actions = st;
    return XR_SUCCESS;
}

void sim_actions_session_destroy(sim_session *s)
{
    sim_action_state *st = s->actions;
    if (!st) return;
    sim_instance *inst = s->inst;
    pthread_mutex_lock(&inst->lock);
    for (uint32_t i = 0; i < st->set_count; i++) {
        sim_action_set *set = st->sets[i];
        set->attach_count--;
        for (sim_action *a = set->actions; a; a = a->next) {
            memset(a->bound_count, 0, sizeof(a->bound_count));
            memset(a->value, 0, sizeof(a->value));
        }
    }
    collect_locked(inst);
    pthread_mutex_unlock(&inst->lock);
    free(st->sets);
    pthread_mutex_destroy(&st->lock);
    free(st);
    s->actions = NULL;
    s->actions_attached = false;
}

/* ---------------------------------------------------------------- names */

/* A single level of a well-formed path: [a-z0-9-_.], not all periods. field: "createInfo->actionName". */
static XrResult check_name(sim_instance *inst, const char *fn, const char *field, const char *name,
                           size_t cap)
{
    if (!memchr(name, '\0', cap) || name[0] == '\0')
        return sim_reject(inst, fn, XR_ERROR_NAME_INVALID,
                          "%s is %s (spec %s: XR_ERROR_NAME_INVALID for an empty name or one without a "
                          "terminating NUL in its %zu bytes)",
                          field, name[0] == '\0' ? "empty" : "not null-terminated", fn, cap);
    bool all_dots = true;
    for (const char *c = name; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
        if (!ok)
            return sim_reject(
                inst, fn, XR_ERROR_PATH_FORMAT_INVALID,
                "%s \"%s\" has the character '%c', which a path segment cannot have (spec %s: the "
                "name must be a well-formed path component, lower-case a-z, 0-9, '-', '_' and "
                "'.'; xrspec.html#well-formed-path-strings)",
                field, name, *c, fn);
        if (*c != '.') all_dots = false;
    }
    if (all_dots)
        return sim_reject(inst, fn, XR_ERROR_PATH_FORMAT_INVALID,
                          "%s \"%s\" is all periods (spec %s: the name must be a well-formed path component, "
                          "which cannot be only periods; xrspec.html#well-formed-path-strings)",
                          field, name, fn);
    return XR_SUCCESS;
}

static XrResult check_localized(sim_instance *inst, const char *fn, const char *field, const char *name,
                                size_t cap)
{
    if (!memchr(name, '\0', cap) || name[0] == '\0')
        return sim_reject(
            inst, fn, XR_ERROR_LOCALIZED_NAME_INVALID,
            "%s is %s (spec %s: XR_ERROR_LOCALIZED_NAME_INVALID for an empty localized name or one "
            "without a terminating NUL in its %zu bytes)",
            field, name[0] == '\0' ? "empty" : "not null-terminated", fn, cap);
    return XR_SUCCESS;
}

/* A name or localized name already taken by a live object of the same parent. */
static XrResult reject_duplicate(sim_instance *inst, const char *fn, XrResult r, const char *what,
                                 const char *name, const char *parent)
{
    return sim_reject(
        inst, fn, r, "%s \"%s\" is already used by another %s (spec %s: names must be unique within the %s)",
        r == XR_ERROR_NAME_DUPLICATED ? what : "localized name", name,
        strcmp(parent, "instance") == 0 ? "action set of this instance" : "action of this set", fn, parent);
}

/* ---------------------------------------------------------------- action sets and actions */

static XrResult set_check_in(const char *fn, const char *expr, XrActionSet h, sim_action_set **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid(h, SIM_HANDLE_ACTION_SET)) return sim_handle_reject(fn, expr, h, "XrActionSet");
    *out = (sim_action_set *)h;
    return XR_SUCCESS;
}
#define set_check(h, out) set_check_in(sim_fn_name(__func__), #h, h, out)

static XrResult action_check_in(const char *fn, const char *expr, XrAction h, sim_action **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid(h, SIM_HANDLE_ACTION)) return sim_handle_reject(fn, expr, h, "XrAction");
    *out = (sim_action *)h;
    return XR_SUCCESS;
}
#define action_check(h, out) action_check_in(sim_fn_name(__func__), #h, h, out)

SIM_FN(xrCreateActionSet)
(XrInstance instance, const XrActionSetCreateInfo *createInfo, XrActionSet *actionSet)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(inst, createInfo, XR_TYPE_ACTION_SET_CREATE_INFO, XrActionSetCreateInfo);
    SIM_REQUIRE_OUT(inst, actionSet, "an XrActionSet handle");
    if (XR_FAILED(r = check_name(inst, "xrCreateActionSet", "createInfo->actionSetName",
                                 createInfo->actionSetName, sizeof(createInfo->actionSetName))))
        return r;
    if (XR_FAILED(r = check_localized(inst, "xrCreateActionSet", "createInfo->localizedActionSetName",
                                      createInfo->localizedActionSetName,
                                      sizeof(createInfo->localizedActionSetName))))
        return r;
    sim_action_set *set = sim_handle_new(sizeof(*set));
    if (!set) return XR_ERROR_OUT_OF_MEMORY;
    snprintf(set->name, sizeof(set->name), "%s", createInfo->actionSetName);
    snprintf(set->localized, sizeof(set->localized), "%s", createInfo->localizedActionSetName);
    set->priority = createInfo->priority;
    pthread_mutex_lock(&inst->lock);
    for (sim_action_set *o = inst->action_sets; o; o = o->next) {
        if (o->destroyed) continue;
        if (strcmp(o->name, set->name) == 0)
            r = XR_ERROR_NAME_DUPLICATED;
        else if (strcmp(o->localized, set->localized) == 0)
            r = XR_ERROR_LOCALIZED_NAME_DUPLICATED;
        if (XR_FAILED(r)) break;
    }
    if (XR_SUCCEEDED(r)) {
        set->next = inst->action_sets;
        inst->action_sets = set;
    }
    pthread_mutex_unlock(&inst->lock);
    if (XR_FAILED(r)) {
        reject_duplicate(inst, "xrCreateActionSet", r, "actionSetName",
                         r == XR_ERROR_NAME_DUPLICATED ? set->name : set->localized, "instance");
        sim_handle_delete(set, sizeof(*set));
        return r;
    }
    sim_handle_register(set, SIM_HANDLE_ACTION_SET, inst);
    *actionSet = (XrActionSet)set;
    return XR_SUCCESS;
}

SIM_FN(xrDestroyActionSet)(XrActionSet actionSet)
{
    sim_action_set *set;
    XrResult r = set_check(actionSet, &set);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = set->h.instance;
    pthread_mutex_lock(&inst->lock);
    /* The set's actions are destroyed with it; an attached set's data stays until its session goes. */
    for (sim_action *a = set->actions; a; a = a->next)
        if (!a->destroyed) {
            a->destroyed = true;
            sim_handle_unregister(a);
        }
    set->destroyed = true;
    sim_handle_unregister(set);
    collect_locked(inst);
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

/* A subaction path: an XrPath of this instance that is a top-level user path the runtime has. field:
 * "createInfo->subactionPaths[1]". */
static XrResult check_top_level_in(sim_instance *inst, const char *fn, const char *field, XrPath p)
{
    const char *s = sim_path_string(inst, p);
    if (!s)
        return sim_reject(inst, fn, XR_ERROR_PATH_INVALID,
                          "%s (%llu) is not an XrPath of this instance (spec %s: XR_ERROR_PATH_INVALID)",
                          field, (unsigned long long)p, fn);
    for (size_t i = 0; i < sizeof(top_level_paths) / sizeof(top_level_paths[0]); i++)
        if (strcmp(s, top_level_paths[i]) == 0) return XR_SUCCESS;
    return sim_reject(
        inst, fn, XR_ERROR_PATH_UNSUPPORTED,
        "%s \"%s\" is not a top-level user path (/user/hand/left, /user/hand/right, /user/head, "
        "/user/gamepad, ...) (spec semantic-paths-user: XR_ERROR_PATH_UNSUPPORTED)",
        field, s);
}
#define check_top_level(inst, p) check_top_level_in(inst, sim_fn_name(__func__), #p, p)

SIM_FN(xrCreateAction)(XrActionSet actionSet, const XrActionCreateInfo *createInfo, XrAction *action)
{
    sim_action_set *set;
    XrResult r = set_check(actionSet, &set);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = set->h.instance;
    SIM_REQUIRE_IN(inst, createInfo, XR_TYPE_ACTION_CREATE_INFO, XrActionCreateInfo);
    SIM_REQUIRE_OUT(inst, action, "an XrAction handle");
    switch (createInfo->actionType) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
    case XR_ACTION_TYPE_FLOAT_INPUT:
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
    case XR_ACTION_TYPE_POSE_INPUT:
    case XR_ACTION_TYPE_VIBRATION_OUTPUT:
        break;
    default:
        return sim_reject(inst, "xrCreateAction", XR_ERROR_VALIDATION_FAILURE,
                          "createInfo->actionType %d is no XrActionType (VUID-XrActionCreateInfo-actionType-"
                          "parameter: must be a valid XrActionType value)",
                          (int)createInfo->actionType);
    }
    if (XR_FAILED(r = check_name(inst, "xrCreateAction", "createInfo->actionName", createInfo->actionName,
                                 sizeof(createInfo->actionName))))
        return r;
    if (XR_FAILED(r = check_localized(inst, "xrCreateAction", "createInfo->localizedActionName",
                                      createInfo->localizedActionName,
                                      sizeof(createInfo->localizedActionName))))
        return r;
    if (createInfo->countSubactionPaths && !createInfo->subactionPaths)
        return sim_reject(inst, "xrCreateAction", XR_ERROR_VALIDATION_FAILURE,
                          "createInfo->subactionPaths is NULL while countSubactionPaths is %u "
                          "(VUID-XrActionCreateInfo-subactionPaths-parameter: a pointer to an array of "
                          "countSubactionPaths XrPath values)",
                          createInfo->countSubactionPaths);
    if (createInfo->countSubactionPaths > SIM_MAX_SUBACTIONS)
        return sim_reject(inst, "xrCreateAction", XR_ERROR_PATH_UNSUPPORTED,
                          "createInfo->countSubactionPaths is %u; there are only %d top-level user paths, so "
                          "some repeat (spec xrCreateAction: XR_ERROR_PATH_UNSUPPORTED for a duplicate)",
                          createInfo->countSubactionPaths, SIM_MAX_SUBACTIONS);
    for (uint32_t i = 0; i < createInfo->countSubactionPaths; i++) {
        char field[64];
        snprintf(field, sizeof(field), "createInfo->subactionPaths[%u]", i);
        if (XR_FAILED(r = check_top_level_in(inst, "xrCreateAction", field, createInfo->subactionPaths[i])))
            return r;
        for (uint32_t k = 0; k < i; k++)
            if (createInfo->subactionPaths[k] == createInfo->subactionPaths[i])
                return sim_reject(
                    inst, "xrCreateAction", XR_ERROR_PATH_UNSUPPORTED,
                    "createInfo->subactionPaths[%u] repeats subactionPaths[%u] (%s) (spec "
                    "xrCreateAction: XR_ERROR_PATH_UNSUPPORTED if a subaction path is given twice)",
                    i, k, sim_path_string(inst, createInfo->subactionPaths[i]));
    }
    sim_action *a = sim_handle_new(sizeof(*a));
    if (!a) return XR_ERROR_OUT_OF_MEMORY;
    snprintf(a->name, sizeof(a->name), "%s", createInfo->actionName);
    snprintf(a->localized, sizeof(a->localized), "%s", createInfo->localizedActionName);
    a->type = createInfo->actionType;
    a->subaction_count = createInfo->countSubactionPaths;
    /* subactionPaths may be NULL when the count is 0, and memcpy must not be given NULL. */
    if (a->subaction_count)
        memcpy(a->subactions, createInfo->subactionPaths, a->subaction_count * sizeof(XrPath));
    a->set = set;
    pthread_mutex_lock(&inst->lock);
    if (set->attach_count > 0) r = XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
    for (sim_action *o = set->actions; o && XR_SUCCEEDED(r); o = o->next) {
        if (o->destroyed) continue;
        if (strcmp(o->name, a->name) == 0)
            r = XR_ERROR_NAME_DUPLICATED;
        else if (strcmp(o->localized, a->localized) == 0)
            r = XR_ERROR_LOCALIZED_NAME_DUPLICATED;
    }
    if (XR_SUCCEEDED(r)) {
        a->next = set->actions;
        set->actions = a;
    }
    pthread_mutex_unlock(&inst->lock);
    if (XR_FAILED(r)) {
        if (r == XR_ERROR_ACTIONSETS_ALREADY_ATTACHED)
            sim_reject(inst, "xrCreateAction", r,
                       "action set \"%s\" is attached to a session already (spec xrCreateAction: actions can "
                       "only be added before xrAttachSessionActionSets)",
                       set->name);
        else
            reject_duplicate(inst, "xrCreateAction", r, "actionName",
                             r == XR_ERROR_NAME_DUPLICATED ? a->name : a->localized, "action set");
        sim_handle_delete(a, sizeof(*a));
        return r;
    }
    sim_handle_register(a, SIM_HANDLE_ACTION, inst);
    *action = (XrAction)a;
    return XR_SUCCESS;
}

SIM_FN(xrDestroyAction)(XrAction action)
{
    sim_action *a;
    XrResult r = action_check(action, &a);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = a->h.instance;
    pthread_mutex_lock(&inst->lock);
    a->destroyed = true;
    sim_handle_unregister(a);
    collect_locked(inst);
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- suggested bindings */

SIM_FN(xrSuggestInteractionProfileBindings)
(XrInstance instance, const XrInteractionProfileSuggestedBinding *suggestedBindings)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    const XrInteractionProfileSuggestedBinding *sb = suggestedBindings;
    SIM_REQUIRE_IN(inst, suggestedBindings, XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING,
                   XrInteractionProfileSuggestedBinding);
    if (sb->countSuggestedBindings == 0 || !sb->suggestedBindings)
        return sim_reject(
            inst, "xrSuggestInteractionProfileBindings", XR_ERROR_VALIDATION_FAILURE,
            "suggestedBindings->%s (VUID-XrInteractionProfileSuggestedBinding-countSuggestedBindings-"
            "arraylength: countSuggestedBindings must be greater than 0; "
            "VUID-XrInteractionProfileSuggestedBinding-suggestedBindings-parameter)",
            sb->countSuggestedBindings == 0 ? "countSuggestedBindings is 0" : "suggestedBindings is NULL");
    const char *profile_path = sim_path_string(inst, sb->interactionProfile);
    if (!profile_path)
        return sim_reject(
            inst, "xrSuggestInteractionProfileBindings", XR_ERROR_PATH_INVALID,
            "suggestedBindings->interactionProfile (%llu) is not an XrPath of this instance (spec "
            "xrSuggestInteractionProfileBindings: XR_ERROR_PATH_INVALID)",
            (unsigned long long)sb->interactionProfile);
    const uint32_t features = features_of(inst);
    /* Spec (xrSuggestInteractionProfileBindings): a profile or binding path not in the allowlist of the
     * interaction profiles (for the version and extensions enabled) is XR_ERROR_PATH_UNSUPPORTED. */
    const sim_profile_def *profile = sim_profile_find(profile_path, features, false);
    if (!profile) {
        const bool exists = sim_profile_find(profile_path, ~0u, false) != NULL;
        sim_debug_message(
            inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT, "xrSuggestInteractionProfileBindings",
            "interaction profile %s is not supported%s (spec xrSuggestInteractionProfileBindings: a profile "
            "not in the allowlist of semantic-paths-interaction-profiles is XR_ERROR_PATH_UNSUPPORTED): "
            "XR_ERROR_PATH_UNSUPPORTED",
            profile_path,
            exists ? " by this instance (it needs OpenXR 1.1 or an extension it did not enable)" : "");
        return XR_ERROR_PATH_UNSUPPORTED;
    }
    binding_item *items = calloc(sb->countSuggestedBindings, sizeof(*items));
    if (!items) return XR_ERROR_OUT_OF_MEMORY;
    for (uint32_t i = 0; i < sb->countSuggestedBindings && XR_SUCCEEDED(r); i++) {
        const XrActionSuggestedBinding *b = &sb->suggestedBindings[i];
        sim_action *a;
        if (XR_FAILED(r = action_check(b->action, &a))) break;
        if (a->h.instance != inst) {
            r = sim_reject(
                inst, "xrSuggestInteractionProfileBindings", XR_ERROR_HANDLE_INVALID,
                "suggestedBindings->suggestedBindings[%u].action belongs to another instance (spec "
                "xrSuggestInteractionProfileBindings: the actions must be of this instance)",
                i);
            break;
        }
        const char *path = sim_path_string(inst, b->binding);
        if (!path) {
            r = sim_reject(inst, "xrSuggestInteractionProfileBindings", XR_ERROR_PATH_INVALID,
                           "suggestedBindings->suggestedBindings[%u].binding (%llu) is not an XrPath of this "
                           "instance (spec xrSuggestInteractionProfileBindings: XR_ERROR_PATH_INVALID)",
                           i, (unsigned long long)b->binding);
            break;
        }
        int user;
        const char *sub;
        if (!sim_profile_split_binding(profile, path, &user, &sub) ||
            !sim_profile_binding_valid(profile, user, sub, features)) {
            sim_debug_message(
                inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrSuggestInteractionProfileBindings",
                "%s is not a binding path of %s (spec xrSuggestInteractionProfileBindings: a binding path "
                "not in the profile's allowlist is XR_ERROR_PATH_UNSUPPORTED): XR_ERROR_PATH_UNSUPPORTED",
                path, profile_path);
            r = XR_ERROR_PATH_UNSUPPORTED;
            break;
        }
        items[i] = (binding_item){a, b->binding};
    }
    if (XR_FAILED(r)) {
        free(items);
        return r;
    }
    pthread_mutex_lock(&inst->lock);
    /* Bindings of an attached action set can no longer change. */
    for (uint32_t i = 0; i < sb->countSuggestedBindings; i++)
        if (items[i].action->set->attach_count > 0) r = XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
    if (r == XR_ERROR_ACTIONSETS_ALREADY_ATTACHED)
        sim_reject(
            inst, "xrSuggestInteractionProfileBindings", r,
            "an action's set is attached to a session already (spec xrSuggestInteractionProfileBindings: "
            "bindings cannot change after xrAttachSessionActionSets)");
    if (XR_SUCCEEDED(r)) {
        sim_binding *b = inst->bindings;
        while (b && b->profile != profile) b = b->next;
        if (!b && (b = calloc(1, sizeof(*b)))) {
            b->profile = profile;
            b->next = inst->bindings;
            inst->bindings = b;
        }
        if (b) {
            free(b->items);
            b->items = items;
            b->count = sb->countSuggestedBindings;
            items = NULL;
        } else {
            r = XR_ERROR_OUT_OF_MEMORY;
        }
    }
    pthread_mutex_unlock(&inst->lock);
    free(items);
    return r;
}

/* ---------------------------------------------------------------- attach */

static bool set_attached(const sim_action_state *st, const sim_action_set *set)
{
    for (uint32_t i = 0; i < st->set_count; i++)
        if (st->sets[i] == set) return true;
    return false;
}

/* The application's suggested bindings for a profile (non-empty), or NULL. Caller holds inst->lock. */
static const sim_binding *suggested(const sim_instance *inst, const sim_profile_def *p)
{
    for (const sim_binding *b = inst->bindings; b; b = b->next)
        if (b->profile == p && b->count > 0) return b;
    return NULL;
}

SIM_FN(xrAttachSessionActionSets)(XrSession session, const XrSessionActionSetsAttachInfo *attachInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, attachInfo, XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO,
                   XrSessionActionSetsAttachInfo);
    if (attachInfo->countActionSets == 0 || !attachInfo->actionSets)
        return sim_reject(s->inst, "xrAttachSessionActionSets", XR_ERROR_VALIDATION_FAILURE,
                          "attachInfo->%s (VUID-XrSessionActionSetsAttachInfo-countActionSets-arraylength: "
                          "countActionSets must be greater than 0; "
                          "VUID-XrSessionActionSetsAttachInfo-actionSets-parameter)",
                          attachInfo->countActionSets == 0 ? "countActionSets is 0" : "actionSets is NULL");
    sim_instance *inst = s->inst;
    sim_action_state *st = s->actions;
    for (uint32_t i = 0; i < attachInfo->countActionSets; i++) {
        sim_action_set *set;
        if (XR_FAILED(r = set_check(attachInfo->actionSets[i], &set))) return r;
        if (set->h.instance != inst)
            return sim_reject(inst, "xrAttachSessionActionSets", XR_ERROR_HANDLE_INVALID,
                              "attachInfo->actionSets[%u] belongs to another instance than the session "
                              "(VUID-XrSessionActionSetsAttachInfo-actionSets-parameter)",
                              i);
    }
    sim_action_set **sets = calloc(attachInfo->countActionSets, sizeof(*sets));
    if (!sets) return XR_ERROR_OUT_OF_MEMORY;

    pthread_mutex_lock(&inst->lock);
    pthread_mutex_lock(&st->lock);
    if (s->actions_attached) {
        pthread_mutex_unlock(&st->lock);
        pthread_mutex_unlock(&inst->lock);
        free(sets);
        return sim_reject(inst, "xrAttachSessionActionSets", XR_ERROR_ACTIONSETS_ALREADY_ATTACHED,
                          "the session has action sets attached already (spec xrAttachSessionActionSets: it "
                          "can be called only once per session)");
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < attachInfo->countActionSets; i++) {
        sim_action_set *set = (sim_action_set *)attachInfo->actionSets[i];
        bool dup = false;
        for (uint32_t k = 0; k < n; k++) dup |= sets[k] == set;
        if (!dup) sets[n++] = set;
    }
    st->sets = sets;
    st->set_count = n;
    for (uint32_t i = 0; i < n; i++) {
        sets[i]->attach_count++;
        for (sim_action *a = sets[i]->actions; a; a = a->next) {
            memset(a->bound_count, 0, sizeof(a->bound_count));
            memset(a->value, 0, sizeof(a->value));
        }
    }
    /* No profile yet: the devices present themselves at the next xrSyncActions, the only call in which the
     * spec lets the interaction profile change (and its event be queued). */
    st->choose = true;
    s->actions_attached = true;
    /* The hands' profiles the application knows, for the window's profile key. */
    const char *offer[32];
    uint32_t offered = 0;
    const uint32_t features = features_of(inst);
    for (uint32_t i = 0; i < sim_profile_count() && offered < 32; i++) {
        const sim_profile_def *p = sim_profile_at(i);
        if (sim_profile_available(p, features) && suggested(inst, p) &&
            sim_profile_user_index(p, "/user/hand/right") >= 0)
            offer[offered++] = p->path;
    }
    pthread_mutex_unlock(&st->lock);
    pthread_mutex_unlock(&inst->lock);
    sim_user_offer_profiles(s->user, offer, offered);
    return XR_SUCCESS;
}

/* Which top-level user path (device index) a path is; -1 for none of the devices (e.g. /user/treadmill). */
static int device_of(const sim_action_state *st, XrPath p)
{
    for (int d = 0; d < DEVICES; d++)
        if (st->device_path[d] == p) return d;
    return -1;
}

SIM_FN(xrGetCurrentInteractionProfile)
(XrSession session, XrPath topLevelUserPath, XrInteractionProfileState *interactionProfile)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, interactionProfile, XR_TYPE_INTERACTION_PROFILE_STATE, XrInteractionProfileState);
    if (XR_FAILED(r = check_top_level(s->inst, topLevelUserPath))) return r;
    if (!s->actions_attached)
        return sim_reject(s->inst, "xrGetCurrentInteractionProfile", XR_ERROR_ACTIONSET_NOT_ATTACHED,
                          "no action set is attached to the session (spec xrGetCurrentInteractionProfile: "
                          "XR_ERROR_ACTIONSET_NOT_ATTACHED before xrAttachSessionActionSets)");
    pthread_mutex_lock(&s->actions->lock);
    int d = device_of(s->actions, topLevelUserPath);
    interactionProfile->interactionProfile = d >= 0 ? s->actions->current[d] : XR_NULL_PATH;
    pthread_mutex_unlock(&s->actions->lock);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- choosing profiles (in xrSyncActions) */

/* The profile device d presents for the user's request (c->profile). Caller holds inst->lock. */
static const sim_profile_def *choose_profile(const sim_instance *inst, int d, const sim_controller_state *c)
{
    const uint32_t features = features_of(inst);
    const char *user_path = sim_device_user_path(d);
    if (strcmp(c->profile, "none") == 0) return NULL;
    if (c->profile[0]) {
        const sim_profile_def *p = sim_profile_find(c->profile, features, true);
        if (p && suggested(inst, p) && sim_profile_user_index(p, user_path) >= 0) return p;
        /* Not one the application knows: a runtime emulates it with a profile the application knows. */
    }
    for (uint32_t i = 0; i < sim_profile_count(); i++) {
        const sim_profile_def *p = sim_profile_at(i);
        if (sim_profile_available(p, features) && suggested(inst, p) &&
            sim_profile_user_index(p, user_path) >= 0)
            return p;
    }
    return NULL;
}

/* Device d now presents profile p: every attached action's sources on d come from the application's
 * suggested bindings for p. Caller holds inst->lock and st->lock. */
static void bind_device(sim_instance *inst, sim_action_state *st, int d, const sim_profile_def *p)
{
    for (uint32_t i = 0; i < st->set_count; i++)
        for (sim_action *a = st->sets[i]->actions; a; a = a->next) {
            a->bound_count[d] = 0;
            a->value[d] = (device_value){0};
        }
    st->profile[d] = p;
    const sim_binding *b = p ? suggested(inst, p) : NULL;
    if (!b) return;
    const uint32_t features = features_of(inst);
    const char *user_path = sim_device_user_path(d);
    for (uint32_t i = 0; i < b->count; i++) {
        sim_action *a = b->items[i].action;
        if (!set_attached(st, a->set)) continue;
        const char *path = sim_path_string(inst, b->items[i].path);
        int user;
        const char *sub;
        if (!path || !sim_profile_split_binding(p, path, &user, &sub) ||
            strcmp(p->user_paths[user], user_path) != 0)
            continue;
        const sim_profile_component *c = sim_profile_resolve(p, user, sub, a->type, features);
        if (!c) {
            /* Spec: a source that cannot be converted to the action's type is ignored. */
            sim_log(SIM_LOG_INFO, "binding %s ignored for action %s: its type does not fit", path, a->name);
            continue;
        }
        /* Bound sources are reported by their full component path (".../input/select/click" even for a
         * suggested ".../input/select"), which also lets priorities compare sources exactly. */
        char full[XR_MAX_PATH_LENGTH];
        snprintf(full, sizeof(full), "%s%s", user_path, c->subpath);
        XrPath source = sim_path_get(inst, full);
        if (source == XR_NULL_PATH) source = b->items[i].path;
        bool dup = false;
        for (uint32_t k = 0; k < a->bound_count[d]; k++) dup |= a->bound_path[d][k] == source;
        if (!dup && a->bound_count[d] < SIM_MAX_BOUND) {
            a->bound[d][a->bound_count[d]] = c;
            a->bound_path[d][a->bound_count[d]++] = source;
        }
    }
}

/* At xrSyncActions: the devices present the profiles the user asks for now (after attach, and after every
 * request). true when a current interaction profile changed: the caller queues the event. Caller holds
 * inst->lock and st->lock. */
static bool choose_profiles(sim_instance *inst, sim_action_state *st, sim_user *user)
{
    bool changed = false;
    for (int d = 0; d < DEVICES; d++) {
        if (!st->choose && st->ctl[d].profile_serial == st->request_serial[d]) continue;
        st->request_serial[d] = st->ctl[d].profile_serial;
        const sim_profile_def *p = choose_profile(inst, d, &st->ctl[d]);
        if (st->ctl[d].profile[0] && strcmp(st->ctl[d].profile, "none") != 0 &&
            (!p || strcmp(p->path + strlen("/interaction_profiles/"), st->ctl[d].profile) != 0) &&
            (!p || strcmp(p->path, st->ctl[d].profile) != 0))
            sim_log(SIM_LOG_WARN, "%s presents %s, which the application has no bindings for: %s",
                    sim_device_name(d), st->ctl[d].profile,
                    p ? "emulated through one it has bindings for" : "no profile (XR_NULL_PATH)");
        XrPath path = p ? sim_path_get(inst, p->path) : XR_NULL_PATH;
        if (st->choose || p != st->profile[d]) bind_device(inst, st, d, p);
        if (path != st->current[d]) {
            st->current[d] = path;
            changed = true;
            sim_user_note_presented(user, d, p ? p->path : "");
            sim_log(SIM_LOG_INFO, "%s presents as %s", sim_device_user_path(d), p ? p->path : "nothing");
        }
    }
    st->choose = false;
    return changed;
}

/* ---------------------------------------------------------------- reading inputs */

/* Hands: identifiers that read another of the hand's controls when the profile lacks that control itself. */
static const struct {
    const char *id, *from;
} hand_alias[] = {
    {"x", "a"},
    {"y", "b"},
    {"trackpad", "thumbstick"},
    {"back", "menu"},
    {"home", "system"},
    {"pinch_ext", "trigger"},
    {"aim_activate_ext", "trigger"},
    {"grasp_ext", "squeeze"},
};

/* The gamepad, held in both hands: its identifiers read the hands' controls. */
static const struct {
    const char *id;
    int hand;
    const char *from;
} gamepad_alias[] = {
    {"thumbstick_left", SIM_DEVICE_LEFT, "thumbstick"},
    {"thumbstick_right", SIM_DEVICE_RIGHT, "thumbstick"},
    {"trigger_left", SIM_DEVICE_LEFT, "trigger"},
    {"trigger_right", SIM_DEVICE_RIGHT, "trigger"},
    {"shoulder_left", SIM_DEVICE_LEFT, "squeeze"},
    {"shoulder_right", SIM_DEVICE_RIGHT, "squeeze"},
    {"a", SIM_DEVICE_RIGHT, "a"},
    {"b", SIM_DEVICE_RIGHT, "b"},
    {"x", SIM_DEVICE_LEFT, "a"},
    {"y", SIM_DEVICE_LEFT, "b"},
    {"menu", SIM_DEVICE_RIGHT, "menu"},
    {"view", SIM_DEVICE_LEFT, "menu"},
};

/* Identifier id of device d as profile p (user path index user) sees it. Caller holds st->lock. */
static sim_input device_input(const sim_action_state *st, int d, const sim_profile_def *p, int user,
                              const char *id, uint32_t features)
{
    sim_input in = sim_controller_input(&st->ctl[d], id);
    if (d == SIM_DEVICE_LEFT || d == SIM_DEVICE_RIGHT) {
        for (size_t i = 0; i < sizeof(hand_alias) / sizeof(hand_alias[0]); i++)
            if (strcmp(hand_alias[i].id, id) == 0 &&
                !sim_profile_has_identifier(p, user, hand_alias[i].from, features)) {
                sim_input from = sim_controller_input(&st->ctl[d], hand_alias[i].from);
                sim_input_merge(&in, &from);
            }
        /* XR_EXT_hand_interaction: what the tracked hand's gesture amounts to (nothing while it is lost). */
        const sim_hand_actions *h = &st->hand[d];
        const bool gesture_id = strcmp(id, "pinch_ext") == 0 || strcmp(id, "aim_activate_ext") == 0 ||
                                strcmp(id, "grasp_ext") == 0;
        float gesture = strcmp(id, "pinch_ext") == 0          ? h->pinch
                        : strcmp(id, "aim_activate_ext") == 0 ? h->aim_activate
                        : strcmp(id, "grasp_ext") == 0        ? h->grasp
                                                              : 0.0f;
        if (gesture > in.value) in.value = gesture;
        /* Spec (XR_EXT_hand_interaction): a value is 0 whenever its ready_ext is false, i.e. while the hand
         * is not tracked. */
        if (gesture_id && st->ctl[d].hand_lost) in = (sim_input){0};
    } else if (d == SIM_DEVICE_GAMEPAD) {
        for (size_t i = 0; i < sizeof(gamepad_alias) / sizeof(gamepad_alias[0]); i++)
            if (strcmp(gamepad_alias[i].id, id) == 0) {
                sim_input from = sim_controller_input(&st->ctl[gamepad_alias[i].hand], gamepad_alias[i].from);
                sim_input_merge(&in, &from);
            }
    }
    return in;
}

/* The value of one bound component of device d: a scalar (booleans 0/1) or, for a vector component, a vector.
 * Caller holds st->lock. */
static void read_component(const sim_action_state *st, int d, const sim_profile_component *c,
                           uint32_t features, float *out_scalar, XrVector2f *out_vec)
{
    const sim_profile_def *p = st->profile[d];
    int user = sim_profile_user_index(p, sim_device_user_path(d));
    char id[SIM_INPUT_ID_MAX];
    const char *component;
    split_subpath(c->subpath, id, sizeof(id), &component);
    sim_input in = device_input(st, d, p, user, id, features);
    bool click = in.click || in.value >= 1.0f;
    bool touch =
        in.touch || click || in.value > 0.0f || in.force > 0.0f || in.xy.x != 0.0f || in.xy.y != 0.0f;
    *out_vec = in.xy;
    if (strcmp(component, "click") == 0)
        *out_scalar = click;
    else if (strcmp(component, "touch") == 0)
        *out_scalar = touch;
    else if (strcmp(component, "proximity") == 0)
        *out_scalar = touch || in.proximity;
    else if (strcmp(component, "value") == 0)
        *out_scalar = in.value > 0.0f ? in.value : click ? 1.0f : 0.0f;
    else if (strcmp(component, "force") == 0)
        *out_scalar = in.force > 0.0f ? in.force : click ? 1.0f : 0.0f;
    else if (strcmp(component, "x") == 0)
        *out_scalar = in.xy.x;
    else if (strcmp(component, "y") == 0)
        *out_scalar = in.xy.y;
    else if (strcmp(component, "ready_ext") == 0)
        /* XR_EXT_hand_interaction: the hand is tracked, so ready to perform the gesture. */
        *out_scalar = !st->ctl[d].hand_lost;
    else
        *out_scalar = in.value > 0.0f ? in.value : click ? 1.0f : 0.0f;
}

/* ---------------------------------------------------------------- sync */

/* Is source `path` also bound to an action of a higher-priority active set? Then this action ignores it. */
static bool shadowed(const sim_action_state *st, const bool *set_active, const sim_action_set *set, int d,
                     XrPath path)
{
    for (uint32_t i = 0; i < st->set_count; i++) {
        const sim_action_set *o = st->sets[i];
        if (!set_active[i * DEVICES + d] || o->priority <= set->priority) continue;
        for (const sim_action *a = o->actions; a; a = a->next)
            for (uint32_t k = 0; k < a->bound_count[d]; k++)
                if (a->bound_path[d][k] == path) return true;
    }
    return false;
}

SIM_FN(xrSyncActions)(XrSession session, const XrActionsSyncInfo *syncInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, syncInfo, XR_TYPE_ACTIONS_SYNC_INFO, XrActionsSyncInfo);
    if (syncInfo->countActiveActionSets && !syncInfo->activeActionSets)
        return sim_reject(s->inst, "xrSyncActions", XR_ERROR_VALIDATION_FAILURE,
                          "syncInfo->activeActionSets is NULL while countActiveActionSets is %u "
                          "(VUID-XrActionsSyncInfo-activeActionSets-parameter)",
                          syncInfo->countActiveActionSets);
    sim_action_state *st = s->actions;
    sim_instance *inst = s->inst;
    for (uint32_t i = 0; i < syncInfo->countActiveActionSets; i++) {
        const XrActiveActionSet *aas = &syncInfo->activeActionSets[i];
        sim_action_set *set;
        if (XR_FAILED(r = set_check(aas->actionSet, &set))) return r;
        if (aas->subactionPath != XR_NULL_PATH && XR_FAILED(r = check_top_level(inst, aas->subactionPath)))
            return r == XR_ERROR_PATH_INVALID ? r : XR_ERROR_PATH_UNSUPPORTED;
    }

    pthread_mutex_lock(&s->lock);
    bool focused = s->state == XR_SESSION_STATE_FOCUSED;
    pthread_mutex_unlock(&s->lock);
    sim_controller_state ctl[DEVICES];
    XrTime now = sim_now();
    sim_user_sync_controllers(s->user, now, ctl); /* with PARALLAX_SIM_INPUT events due by now */
    sim_hand_actions hand[2];
    for (int h = 0; h < 2; h++) hand[h] = sim_hand_actions_at(h, &ctl[h], now);

    pthread_mutex_lock(&inst->lock);
    pthread_mutex_lock(&st->lock);
    if (!s->actions_attached) {
        pthread_mutex_unlock(&st->lock);
        pthread_mutex_unlock(&inst->lock);
        return sim_reject(inst, "xrSyncActions", XR_ERROR_ACTIONSET_NOT_ATTACHED,
                          "no action set is attached to the session (spec xrSyncActions: "
                          "XR_ERROR_ACTIONSET_NOT_ATTACHED before xrAttachSessionActionSets)");
    }
    memcpy(st->ctl, ctl, sizeof(ctl));
    memcpy(st->hand, hand, sizeof(hand));
    bool *set_active = calloc((size_t)st->set_count * DEVICES, sizeof(bool));
    if (!set_active) {
        pthread_mutex_unlock(&st->lock);
        pthread_mutex_unlock(&inst->lock);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    for (uint32_t i = 0; i < syncInfo->countActiveActionSets && XR_SUCCEEDED(r); i++) {
        const XrActiveActionSet *aas = &syncInfo->activeActionSets[i];
        bool found = false;
        for (uint32_t k = 0; k < st->set_count; k++)
            if ((XrActionSet)st->sets[k] == aas->actionSet) {
                found = true;
                for (int d = 0; d < DEVICES; d++)
                    if (aas->subactionPath == XR_NULL_PATH || aas->subactionPath == st->device_path[d])
                        set_active[k * DEVICES + d] = true;
            }
        if (!found)
            r = sim_reject(inst, "xrSyncActions", XR_ERROR_ACTIONSET_NOT_ATTACHED,
                           "syncInfo->activeActionSets[%u].actionSet is not attached to this session (spec "
                           "xrSyncActions: XR_ERROR_ACTIONSET_NOT_ATTACHED)",
                           i);
    }
    if (XR_FAILED(r)) {
        pthread_mutex_unlock(&st->lock);
        pthread_mutex_unlock(&inst->lock);
        free(set_active);
        return r;
    }
    /* Profiles change here and only here (spec "Suggested Bindings"). */
    const bool profiles_changed = choose_profiles(inst, st, s->user);
    const uint32_t features = features_of(inst);
    /* Without focus every action reads inactive: input goes to whoever has focus, not to this app. */
    for (uint32_t i = 0; i < st->set_count; i++) {
        for (sim_action *a = st->sets[i]->actions; a; a = a->next) {
            for (int d = 0; d < DEVICES; d++) {
                device_value *v = &a->value[d];
                device_value prev = *v;
                bool active = false;
                float scalar = 0.0f;
                XrVector2f vec = {0.0f, 0.0f};
                for (uint32_t k = 0; focused && set_active[i * DEVICES + d] && k < a->bound_count[d]; k++) {
                    if (shadowed(st, set_active, st->sets[i], d, a->bound_path[d][k])) continue;
                    active = true;
                    float x;
                    XrVector2f cand;
                    read_component(st, d, a->bound[d][k], features, &x, &cand);
                    if (a->type == XR_ACTION_TYPE_VECTOR2F_INPUT) {
                        /* Several sources: the longest vector wins. */
                        if (cand.x * cand.x + cand.y * cand.y > vec.x * vec.x + vec.y * vec.y) vec = cand;
                    } else if (a->type == XR_ACTION_TYPE_BOOLEAN_INPUT ||
                               a->type == XR_ACTION_TYPE_FLOAT_INPUT) {
                        /* A boolean action reads an analog source as pressed past the half-way point. */
                        if (a->type == XR_ACTION_TYPE_BOOLEAN_INPUT) x = x > 0.5f ? 1.0f : 0.0f;
                        if (fabsf(x) > fabsf(scalar)) scalar = x;
                    }
                }
                v->active = active;
                v->scalar = scalar;
                v->vec = vec;
                bool differs = scalar != prev.scalar || vec.x != prev.vec.x || vec.y != prev.vec.y;
                v->changed = active && prev.active && differs;
                if (active && (!prev.active || differs)) v->last_change = now;
            }
        }
    }
    pthread_mutex_unlock(&st->lock);
    pthread_mutex_unlock(&inst->lock);
    free(set_active);
    if (profiles_changed) {
        XrEventDataInteractionProfileChanged ev = {.type = XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED,
                                                   .session = (XrSession)s};
        sim_event_push(inst, &ev, sizeof(ev));
    }
    return focused ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}

/* ---------------------------------------------------------------- states */

/* Devices an action state call covers: every one for XR_NULL_PATH, else the one named (which must be one of
 * the action's subaction paths). out_mask bit d = device d. */
static const char *action_type_name(XrActionType t)
{
    switch (t) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
        return "XR_ACTION_TYPE_BOOLEAN_INPUT";
    case XR_ACTION_TYPE_FLOAT_INPUT:
        return "XR_ACTION_TYPE_FLOAT_INPUT";
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
        return "XR_ACTION_TYPE_VECTOR2F_INPUT";
    case XR_ACTION_TYPE_POSE_INPUT:
        return "XR_ACTION_TYPE_POSE_INPUT";
    case XR_ACTION_TYPE_VIBRATION_OUTPUT:
        return "XR_ACTION_TYPE_VIBRATION_OUTPUT";
    default:
        return "an unknown XrActionType";
    }
}

/* A subaction path of a state or space call: an XrPath of the instance that the action declared. */
static XrResult check_subaction(sim_session *s, const char *fn, const char *field, const sim_action *a,
                                XrPath p)
{
    const char *str = sim_path_string(s->inst, p);
    if (!str)
        return sim_reject(s->inst, fn, XR_ERROR_PATH_INVALID,
                          "%s (%llu) is not an XrPath of this instance (spec %s: XR_ERROR_PATH_INVALID)",
                          field, (unsigned long long)p, fn);
    for (uint32_t i = 0; i < a->subaction_count; i++)
        if (a->subactions[i] == p) return XR_SUCCESS;
    return sim_reject(
        s->inst, fn, XR_ERROR_PATH_UNSUPPORTED,
        "%s %s is not one of action \"%s\"'s subaction paths (spec %s: XR_ERROR_PATH_UNSUPPORTED for "
        "a subaction path the action was not created with)",
        field, str, a->name, fn);
}

static XrResult state_common_in(const char *fn, const char *info_name, sim_session *s,
                                const XrActionStateGetInfo *info, XrActionType want, sim_action **out,
                                unsigned *out_mask)
{
    if (!info)
        return sim_reject(s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                          "%s is NULL (VUID-%s-%s-parameter: must be a pointer to a valid structure)",
                          info_name, fn, info_name);
    if (info->type != XR_TYPE_ACTION_STATE_GET_INFO)
        return sim_reject(s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                          "%s->type is %d, not XR_TYPE_ACTION_STATE_GET_INFO "
                          "(VUID-XrActionStateGetInfo-type-type)",
                          info_name, (int)info->type);
    sim_action *a;
    XrResult r = action_check_in(fn, "action", info->action, &a);
    if (XR_FAILED(r)) return r;
    if (a->type != want)
        return sim_reject(s->inst, fn, XR_ERROR_ACTION_TYPE_MISMATCH,
                          "action \"%s\" is of type %s; %s reads %s (spec %s: XR_ERROR_ACTION_TYPE_MISMATCH)",
                          a->name, action_type_name(a->type), fn, action_type_name(want), fn);
    sim_action_state *st = s->actions;
    pthread_mutex_lock(&st->lock);
    bool attached = s->actions_attached && set_attached(st, a->set);
    pthread_mutex_unlock(&st->lock);
    if (!attached)
        return sim_reject(s->inst, fn, XR_ERROR_ACTIONSET_NOT_ATTACHED,
                          "action \"%s\"'s set \"%s\" is not attached to this session (spec %s: "
                          "XR_ERROR_ACTIONSET_NOT_ATTACHED)",
                          a->name, a->set->name, fn);
    unsigned mask = (1u << DEVICES) - 1;
    if (info->subactionPath != XR_NULL_PATH) {
        char field[64];
        snprintf(field, sizeof(field), "%s->subactionPath", info_name);
        if (XR_FAILED(r = check_subaction(s, fn, field, a, info->subactionPath))) return r;
        mask = 0;
        for (int d = 0; d < DEVICES; d++)
            if (info->subactionPath == st->device_path[d]) mask |= 1u << d;
    }
    *out = a;
    *out_mask = mask;
    return XR_SUCCESS;
}
#define state_common(s, info, want, out, mask) \
    state_common_in(sim_fn_name(__func__), #info, s, info, want, out, mask)

/* Combines the covered devices the way the spec says: the largest magnitude wins, and the state reports that
 * source's change flags. */
static device_value combined(sim_session *s, const sim_action *a, unsigned mask)
{
    device_value best = {0};
    pthread_mutex_lock(&s->actions->lock);
    for (int d = 0; d < DEVICES; d++) {
        if (!(mask & (1u << d)) || !a->value[d].active) continue;
        const device_value *v = &a->value[d];
        float mag = a->type == XR_ACTION_TYPE_VECTOR2F_INPUT ? v->vec.x * v->vec.x + v->vec.y * v->vec.y
                                                             : fabsf(v->scalar);
        float best_mag = a->type == XR_ACTION_TYPE_VECTOR2F_INPUT
                             ? best.vec.x * best.vec.x + best.vec.y * best.vec.y
                             : fabsf(best.scalar);
        if (!best.active || mag > best_mag) {
            bool changed = best.changed || v->changed;
            XrTime last = best.last_change > v->last_change ? best.last_change : v->last_change;
            best = *v;
            best.changed = changed;
            best.last_change = last;
        } else {
            best.changed |= v->changed;
            if (v->last_change > best.last_change) best.last_change = v->last_change;
        }
    }
    pthread_mutex_unlock(&s->actions->lock);
    return best;
}

SIM_FN(xrGetActionStateBoolean)
(XrSession session, const XrActionStateGetInfo *getInfo, XrActionStateBoolean *state)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, state, XR_TYPE_ACTION_STATE_BOOLEAN, XrActionStateBoolean);
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_BOOLEAN_INPUT, &a, &mask))) return r;
    device_value v = combined(s, a, mask);
    state->currentState = v.scalar != 0.0f;
    state->changedSinceLastSync = v.changed;
    state->lastChangeTime = v.active ? v.last_change : 0;
    state->isActive = v.active;
    return XR_SUCCESS;
}

SIM_FN(xrGetActionStateFloat)
(XrSession session, const XrActionStateGetInfo *getInfo, XrActionStateFloat *state)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, state, XR_TYPE_ACTION_STATE_FLOAT, XrActionStateFloat);
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_FLOAT_INPUT, &a, &mask))) return r;
    device_value v = combined(s, a, mask);
    state->currentState = v.scalar;
    state->changedSinceLastSync = v.changed;
    state->lastChangeTime = v.active ? v.last_change : 0;
    state->isActive = v.active;
    return XR_SUCCESS;
}

SIM_FN(xrGetActionStateVector2f)
(XrSession session, const XrActionStateGetInfo *getInfo, XrActionStateVector2f *state)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, state, XR_TYPE_ACTION_STATE_VECTOR2F, XrActionStateVector2f);
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_VECTOR2F_INPUT, &a, &mask))) return r;
    device_value v = combined(s, a, mask);
    state->currentState = v.vec;
    state->changedSinceLastSync = v.changed;
    state->lastChangeTime = v.active ? v.last_change : 0;
    state->isActive = v.active;
    return XR_SUCCESS;
}

SIM_FN(xrGetActionStatePose)(XrSession session, const XrActionStateGetInfo *getInfo, XrActionStatePose *state)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, state, XR_TYPE_ACTION_STATE_POSE, XrActionStatePose);
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_POSE_INPUT, &a, &mask))) return r;
    state->isActive = combined(s, a, mask).active;
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- action spaces */

XrResult sim_action_space_check(sim_session *s, const XrActionSpaceCreateInfo *info, struct sim_action **out)
{
    sim_action *a;
    XrResult r = action_check_in("xrCreateActionSpace", "createInfo->action", info->action, &a);
    if (XR_FAILED(r)) return r;
    if (a->h.instance != s->inst)
        return sim_reject(s->inst, "xrCreateActionSpace", XR_ERROR_HANDLE_INVALID,
                          "createInfo->action belongs to another instance than the session (spec "
                          "xrCreateActionSpace)");
    if (a->type != XR_ACTION_TYPE_POSE_INPUT)
        return sim_reject(s->inst, "xrCreateActionSpace", XR_ERROR_ACTION_TYPE_MISMATCH,
                          "createInfo->action \"%s\" is of type %s, not XR_ACTION_TYPE_POSE_INPUT (spec "
                          "xrCreateActionSpace: XR_ERROR_ACTION_TYPE_MISMATCH)",
                          a->name, action_type_name(a->type));
    if (info->subactionPath != XR_NULL_PATH &&
        XR_FAILED(r = check_subaction(s, "xrCreateActionSpace", "createInfo->subactionPath", a,
                                      info->subactionPath)))
        return r;
    *out = a;
    return XR_SUCCESS;
}

bool sim_action_pose_source(sim_session *s, struct sim_action *a, XrPath sub, int *out_hand,
                            sim_pose_kind *out_kind)
{
    sim_action_state *st = s->actions;
    if (!st) return false;
    bool found = false;
    pthread_mutex_lock(&st->lock);
    for (int h = 0; h < 2 && !found; h++) {
        if (sub != XR_NULL_PATH && sub != st->device_path[h]) continue;
        if (!a->value[h].active || a->bound_count[h] == 0) continue;
        /* A tracked hand (XR_EXT_hand_interaction's profile) whose tracking is lost has no pose. */
        if (st->ctl[h].hand_lost && st->profile[h] &&
            strcmp(st->profile[h]->path, "/interaction_profiles/ext/hand_interaction_ext") == 0)
            continue;
        /* The first bound pose source of the hand: which pose of it (grip, aim, ...). */
        char id[SIM_INPUT_ID_MAX];
        const char *component;
        split_subpath(a->bound[h][0]->subpath, id, sizeof(id), &component);
        *out_kind = strcmp(id, "aim") == 0                                           ? SIM_POSE_AIM
                    : strcmp(id, "grip_surface") == 0 || strcmp(id, "palm_ext") == 0 ? SIM_POSE_GRIP_SURFACE
                    : strcmp(id, "pinch_ext") == 0                                   ? SIM_POSE_PINCH
                    : strcmp(id, "poke_ext") == 0                                    ? SIM_POSE_POKE
                                                                                     : SIM_POSE_GRIP;
        *out_hand = h;
        found = true;
    }
    pthread_mutex_unlock(&st->lock);
    return found;
}

/* ---------------------------------------------------------------- bound sources, names */

SIM_FN(xrEnumerateBoundSourcesForAction)
(XrSession session, const XrBoundSourcesForActionEnumerateInfo *enumerateInfo, uint32_t sourceCapacityInput,
 uint32_t *sourceCountOutput, XrPath *sources)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, enumerateInfo, XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO,
                   XrBoundSourcesForActionEnumerateInfo);
    sim_action *a;
    if (XR_FAILED(r = action_check(enumerateInfo->action, &a))) return r;
    sim_action_state *st = s->actions;
    pthread_mutex_lock(&st->lock);
    if (!s->actions_attached || !set_attached(st, a->set)) {
        pthread_mutex_unlock(&st->lock);
        return sim_reject(s->inst, "xrEnumerateBoundSourcesForAction", XR_ERROR_ACTIONSET_NOT_ATTACHED,
                          "action \"%s\"'s set is not attached to this session (spec "
                          "xrEnumerateBoundSourcesForAction: XR_ERROR_ACTIONSET_NOT_ATTACHED)",
                          a->name);
    }
    XrPath list[DEVICES * SIM_MAX_BOUND];
    uint32_t n = 0;
    for (int d = 0; d < DEVICES; d++)
        for (uint32_t k = 0; k < a->bound_count[d]; k++) list[n++] = a->bound_path[d][k];
    pthread_mutex_unlock(&st->lock);
    r = sim_two_call(sourceCapacityInput, sourceCountOutput, sources, n);
    if (r == XR_SUCCESS && sourceCapacityInput) memcpy(sources, list, n * sizeof(XrPath));
    return r;
}

/* ---------------------------------------------------------------- localized names */

/* "input/trigger/value" -> "Trigger Value" */
static void component_words(const char *component, char *out, size_t cap)
{
    const char *c = strchr(component, '/');
    c = c ? c + 1 : component;
    size_t n = 0;
    bool start = true;
    for (; *c && n + 1 < cap; c++) {
        char ch = *c == '/' || *c == '_' ? ' ' : *c;
        out[n++] = start ? (char)toupper((unsigned char)ch) : ch;
        start = ch == ' ';
    }
    out[n] = '\0';
}

SIM_FN(xrGetInputSourceLocalizedName)
(XrSession session, const XrInputSourceLocalizedNameGetInfo *getInfo, uint32_t bufferCapacityInput,
 uint32_t *bufferCountOutput, char *buffer)
{
    static const char *const device_words[DEVICES] = {"Left Hand", "Right Hand", "Gamepad", "Head"};
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    const XrInputSourceLocalizedNameFlags all = XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT |
                                                XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT |
                                                XR_INPUT_SOURCE_LOCALIZED_NAME_COMPONENT_BIT;
    SIM_REQUIRE_IN(s->inst, getInfo, XR_TYPE_INPUT_SOURCE_LOCALIZED_NAME_GET_INFO,
                   XrInputSourceLocalizedNameGetInfo);
    if (getInfo->whichComponents == 0 || (getInfo->whichComponents & ~all))
        return sim_reject(s->inst, "xrGetInputSourceLocalizedName", XR_ERROR_VALIDATION_FAILURE,
                          "getInfo->whichComponents is 0x%llx (VUID-XrInputSourceLocalizedNameGetInfo-"
                          "whichComponents-parameter and -requiredbitmask: a non-zero combination of "
                          "XrInputSourceLocalizedNameFlagBits)",
                          (unsigned long long)getInfo->whichComponents);
    const char *path = sim_path_string(s->inst, getInfo->sourcePath);
    if (!path)
        return sim_reject(s->inst, "xrGetInputSourceLocalizedName", XR_ERROR_PATH_INVALID,
                          "getInfo->sourcePath (%llu) is not an XrPath of this instance (spec "
                          "xrGetInputSourceLocalizedName: XR_ERROR_PATH_INVALID)",
                          (unsigned long long)getInfo->sourcePath);
    if (!s->actions_attached)
        return sim_reject(s->inst, "xrGetInputSourceLocalizedName", XR_ERROR_ACTIONSET_NOT_ATTACHED,
                          "no action set is attached to the session (spec xrGetInputSourceLocalizedName: "
                          "XR_ERROR_ACTIONSET_NOT_ATTACHED)");
    int device = -1;
    const char *rest = NULL;
    for (int d = 0; d < DEVICES && device < 0; d++) {
        const char *up = sim_device_user_path(d);
        size_t n = strlen(up);
        if (strncmp(path, up, n) == 0 && (path[n] == '\0' || path[n] == '/')) {
            device = d;
            rest = path[n] == '/' ? path + n + 1 : NULL;
        }
    }
    if (device < 0)
        return sim_reject(s->inst, "xrGetInputSourceLocalizedName", XR_ERROR_PATH_UNSUPPORTED,
                          "getInfo->sourcePath %s is under no top-level user path of this runtime (spec "
                          "xrGetInputSourceLocalizedName: XR_ERROR_PATH_UNSUPPORTED)",
                          path);
    pthread_mutex_lock(&s->actions->lock);
    const sim_profile_def *profile = s->actions->profile[device];
    pthread_mutex_unlock(&s->actions->lock);

    char name[256] = "";
    size_t len = 0;
    if (getInfo->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT)
        len += (size_t)snprintf(name + len, sizeof(name) - len, "%s", device_words[device]);
    if ((getInfo->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT) && profile)
        len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s", len ? " " : "", profile->title);
    if ((getInfo->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_COMPONENT_BIT) && rest) {
        char words[128];
        component_words(rest, words, sizeof(words));
        snprintf(name + len, sizeof(name) - len, "%s%s", len ? " " : "", words);
    }
    uint32_t n = (uint32_t)strlen(name) + 1;
    r = sim_two_call(bufferCapacityInput, bufferCountOutput, buffer, n);
    if (r == XR_SUCCESS && bufferCapacityInput) memcpy(buffer, name, n);
    return r;
}

/* ---------------------------------------------------------------- haptics */

/* Which hands (bit 0 left, 1 right) vibrate for the action's bound outputs on the devices in mask: a hand's
 * own haptic, and the gamepad's left and right motors (the hands hold it). */
static XrResult haptic_common(const char *fn, sim_session *s, const XrHapticActionInfo *hapticActionInfo,
                              unsigned *out_hands)
{
    const XrHapticActionInfo *info = hapticActionInfo;
    if (!info)
        return sim_reject(
            s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
            "hapticActionInfo is NULL (VUID-%s-hapticActionInfo-parameter: must be a pointer to a "
            "valid XrHapticActionInfo structure)",
            fn);
    if (info->type != XR_TYPE_HAPTIC_ACTION_INFO)
        return sim_reject(s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                          "hapticActionInfo->type is %d, not XR_TYPE_HAPTIC_ACTION_INFO "
                          "(VUID-XrHapticActionInfo-type-type)",
                          (int)info->type);
    XrActionStateGetInfo gi = {
        .type = XR_TYPE_ACTION_STATE_GET_INFO, .action = info->action, .subactionPath = info->subactionPath};
    sim_action *a;
    unsigned mask;
    XrResult r = state_common_in(fn, "hapticActionInfo", s, &gi, XR_ACTION_TYPE_VIBRATION_OUTPUT, &a, &mask);
    if (XR_FAILED(r)) return r;
    unsigned hands = 0;
    pthread_mutex_lock(&s->actions->lock);
    for (int d = 0; d < DEVICES; d++) {
        if (!(mask & (1u << d)) || !a->value[d].active) continue;
        if (d == SIM_DEVICE_LEFT || d == SIM_DEVICE_RIGHT) hands |= 1u << d;
        if (d == SIM_DEVICE_GAMEPAD)
            for (uint32_t k = 0; k < a->bound_count[d]; k++)
                hands |= strstr(a->bound[d][k]->subpath, "left") ? 1u : 2u;
    }
    pthread_mutex_unlock(&s->actions->lock);
    *out_hands = hands;
    return XR_SUCCESS;
}

SIM_FN(xrApplyHapticFeedback)
(XrSession session, const XrHapticActionInfo *hapticActionInfo, const XrHapticBaseHeader *hapticFeedback)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    unsigned mask;
    if (XR_FAILED(r = haptic_common(sim_fn_name(__func__), s, hapticActionInfo, &mask))) return r;
    SIM_REQUIRE_IN(s->inst, hapticFeedback, XR_TYPE_HAPTIC_VIBRATION, XrHapticVibration);
    const XrHapticVibration *v = (const XrHapticVibration *)hapticFeedback;
    if (!(v->amplitude >= 0.0f && v->amplitude <= 1.0f))
        return sim_reject(
            s->inst, "xrApplyHapticFeedback", XR_ERROR_VALIDATION_FAILURE,
            "XrHapticVibration::amplitude %g is not in [0, 1] (spec XrHapticVibration: amplitude "
            "from 0.0 to 1.0)",
            (double)v->amplitude);
    pthread_mutex_lock(&s->lock);
    bool focused = s->state == XR_SESSION_STATE_FOCUSED;
    pthread_mutex_unlock(&s->lock);
    float frequency = v->frequency == XR_FREQUENCY_UNSPECIFIED ? 160.0f : v->frequency;
    /* XR_MIN_HAPTIC_DURATION asks for the shortest pulse the device can do: 10 ms here. */
    XrDuration duration = v->duration == XR_MIN_HAPTIC_DURATION ? 10000000 : v->duration;
    for (int h = 0; h < 2 && focused; h++)
        if (mask & (1u << h)) sim_user_haptic(s->user, h, v->amplitude, frequency, duration, sim_now());
    return focused ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}

SIM_FN(xrStopHapticFeedback)(XrSession session, const XrHapticActionInfo *hapticActionInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    unsigned mask;
    if (XR_FAILED(r = haptic_common(sim_fn_name(__func__), s, hapticActionInfo, &mask))) return r;
    pthread_mutex_lock(&s->lock);
    bool focused = s->state == XR_SESSION_STATE_FOCUSED;
    pthread_mutex_unlock(&s->lock);
    for (int h = 0; h < 2 && focused; h++)
        if (mask & (1u << h)) sim_user_stop_haptic(s->user, h, sim_now());
    return focused ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}
