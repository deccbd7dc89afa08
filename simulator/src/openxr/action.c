/* Actions: action sets, actions, suggested bindings, attachment, xrSyncActions, states and haptics.
 * Layer: openxr (the upper part), above session.c; calls session.c, instance.c, handles.c, device/user.c
 * (the controllers' inputs and haptics), device/clock.c and base/.
 *
 * The simulated headset has two controllers that are always tracked and idle (nothing pressed; the user,
 * device/user.c, presses buttons from the preview window or the input script). They can present themselves
 * as any of the interaction profiles in profile_table, so apps written for a specific controller still get
 * bound actions: at xrAttachSessionActionSets the runtime picks the first profile in table order the app
 * suggested bindings for, as a real runtime picks the profile of the controller in the user's hands.
 *
 * Locking: inst->lock guards the lists (action sets, actions, bindings) and object lifetimes;
 * s->actions->lock guards per-session state (bound sources and the values of the last sync);
 * s->lock guards the session state; the user's own lock its controllers. Lock order: inst->lock before the
 * action state lock; s->lock is never held together with either here. */
#include "openxr/sim_entry_points.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_MAX_SUBACTIONS 5 /* one per top-level user path */
#define SIM_MAX_BOUND      8 /* bound sources per hand per action */

/* ---------------------------------------------------------------- interaction profiles */

typedef struct profile_desc {
    const char *path;
    const char *localized;
    const char *const *both; /* components under /user/hand/{left,right}/ (NULL-terminated) */
    const char *const *left; /* only on the left hand */
    const char *const *right;
} profile_desc;

static const char *const simple_both[] = {"input/select/click", "input/menu/click", "input/grip/pose",
                                          "input/aim/pose",     "output/haptic",    NULL};
static const char *const touch_both[] = {"input/squeeze/value",
                                         "input/trigger/value",
                                         "input/trigger/touch",
                                         "input/thumbstick",
                                         "input/thumbstick/x",
                                         "input/thumbstick/y",
                                         "input/thumbstick/click",
                                         "input/thumbstick/touch",
                                         "input/thumbrest/touch",
                                         "input/grip/pose",
                                         "input/aim/pose",
                                         "output/haptic",
                                         NULL};
static const char *const touch_left[] = {"input/x/click", "input/x/touch",    "input/y/click",
                                         "input/y/touch", "input/menu/click", NULL};
static const char *const touch_right[] = {"input/a/click", "input/a/touch",      "input/b/click",
                                          "input/b/touch", "input/system/click", NULL};
static const char *const index_both[] = {"input/system/click",
                                         "input/system/touch",
                                         "input/a/click",
                                         "input/a/touch",
                                         "input/b/click",
                                         "input/b/touch",
                                         "input/squeeze/value",
                                         "input/squeeze/force",
                                         "input/trigger/click",
                                         "input/trigger/value",
                                         "input/trigger/touch",
                                         "input/thumbstick",
                                         "input/thumbstick/x",
                                         "input/thumbstick/y",
                                         "input/thumbstick/click",
                                         "input/thumbstick/touch",
                                         "input/trackpad",
                                         "input/trackpad/x",
                                         "input/trackpad/y",
                                         "input/trackpad/force",
                                         "input/trackpad/touch",
                                         "input/grip/pose",
                                         "input/aim/pose",
                                         "output/haptic",
                                         NULL};
static const char *const vive_both[] = {"input/system/click",   "input/squeeze/click",
                                        "input/menu/click",     "input/trigger/click",
                                        "input/trigger/value",  "input/trackpad",
                                        "input/trackpad/x",     "input/trackpad/y",
                                        "input/trackpad/click", "input/trackpad/touch",
                                        "input/grip/pose",      "input/aim/pose",
                                        "output/haptic",        NULL};
static const char *const wmr_both[] = {
    "input/menu/click",   "input/squeeze/click", "input/trigger/value",    "input/thumbstick",
    "input/thumbstick/x", "input/thumbstick/y",  "input/thumbstick/click", "input/trackpad",
    "input/trackpad/x",   "input/trackpad/y",    "input/trackpad/click",   "input/trackpad/touch",
    "input/grip/pose",    "input/aim/pose",      "output/haptic",          NULL};
static const char *const no_components[] = {NULL};

/* In order of preference when the app suggested bindings for several. */
static const profile_desc profile_table[] = {
    {"/interaction_profiles/khr/simple_controller", "Simple Controller", simple_both, no_components,
     no_components},
    {"/interaction_profiles/oculus/touch_controller", "Oculus Touch Controller", touch_both, touch_left,
     touch_right},
    {"/interaction_profiles/valve/index_controller", "Index Controller", index_both, no_components,
     no_components},
    {"/interaction_profiles/htc/vive_controller", "Vive Controller", vive_both, no_components, no_components},
    {"/interaction_profiles/microsoft/motion_controller", "Mixed Reality Motion Controller", wmr_both,
     no_components, no_components},
};
#define PROFILE_COUNT ((int)(sizeof(profile_table) / sizeof(profile_table[0])))

static const char *const hand_paths[2] = {"/user/hand/left", "/user/hand/right"};
static const char *const top_level_paths[] = {"/user/hand/left", "/user/hand/right", "/user/head",
                                              "/user/gamepad", "/user/treadmill"};

typedef enum source_kind { SRC_BOOL, SRC_FLOAT, SRC_VEC2, SRC_POSE, SRC_HAPTIC } source_kind;

static source_kind component_kind(const char *component)
{
    const char *last = strrchr(component, '/');
    last = last ? last + 1 : component;
    if (strcmp(last, "click") == 0 || strcmp(last, "touch") == 0) return SRC_BOOL;
    if (strcmp(last, "pose") == 0) return SRC_POSE;
    if (strcmp(last, "haptic") == 0) return SRC_HAPTIC;
    if (strcmp(last, "thumbstick") == 0 || strcmp(last, "trackpad") == 0) return SRC_VEC2;
    return SRC_FLOAT; /* value, force, x, y */
}

static bool profile_has(const profile_desc *p, int hand, const char *component)
{
    const char *const *lists[3] = {p->both, hand == 0 ? p->left : p->right, NULL};
    for (int l = 0; lists[l]; l++)
        for (const char *const *c = lists[l]; *c; c++)
            if (strcmp(*c, component) == 0) return true;
    return false;
}

/* Splits "/user/hand/<side>/<rest>" into the hand and rest. */
static bool split_hand_path(const char *path, int *out_hand, const char **out_rest)
{
    for (int h = 0; h < 2; h++) {
        size_t n = strlen(hand_paths[h]);
        if (strncmp(path, hand_paths[h], n) == 0 && path[n] == '/') {
            *out_hand = h;
            *out_rest = path + n + 1;
            return true;
        }
    }
    return false;
}

/* The component a binding path names for an action of type t. The spec lets apps bind an identifier
 * without its component ("input/trigger"); the runtime then picks the component that fits the action. */
static const char *resolve_component(const profile_desc *p, int hand, const char *rest, XrActionType t)
{
    const char *const *lists[3] = {p->both, hand == 0 ? p->left : p->right, NULL};
    for (int l = 0; lists[l]; l++)
        for (const char *const *c = lists[l]; *c; c++)
            if (strcmp(*c, rest) == 0) return *c;
    /* Identifier only: prefer the component of the action's own kind. */
    static const char *const prefer_bool[] = {"click", "value", "touch", NULL};
    static const char *const prefer_float[] = {"value", "click", "force", NULL};
    static const char *const prefer_pose[] = {"pose", NULL};
    const char *const *prefer = t == XR_ACTION_TYPE_BOOLEAN_INPUT ? prefer_bool
                                : t == XR_ACTION_TYPE_FLOAT_INPUT ? prefer_float
                                : t == XR_ACTION_TYPE_POSE_INPUT  ? prefer_pose
                                                                  : NULL;
    if (!prefer) return NULL;
    size_t n = strlen(rest);
    for (const char *const *want = prefer; *want; want++)
        for (int l = 0; lists[l]; l++)
            for (const char *const *c = lists[l]; *c; c++)
                if (strncmp(*c, rest, n) == 0 && (*c)[n] == '/' && strcmp(*c + n + 1, *want) == 0) return *c;
    return NULL;
}

/* Is rest a component or an identifier (a prefix of components) of the profile on that hand? */
static bool binding_supported(const profile_desc *p, int hand, const char *rest)
{
    if (profile_has(p, hand, rest)) return true;
    size_t n = strlen(rest);
    const char *const *lists[3] = {p->both, hand == 0 ? p->left : p->right, NULL};
    for (int l = 0; lists[l]; l++)
        for (const char *const *c = lists[l]; *c; c++)
            if (strncmp(*c, rest, n) == 0 && (*c)[n] == '/') return true;
    return false;
}

static bool kind_fits(XrActionType t, source_kind k)
{
    switch (t) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
    case XR_ACTION_TYPE_FLOAT_INPUT:
        return k == SRC_BOOL || k == SRC_FLOAT;
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
        return k == SRC_VEC2;
    case XR_ACTION_TYPE_POSE_INPUT:
        return k == SRC_POSE;
    case XR_ACTION_TYPE_VIBRATION_OUTPUT:
        return k == SRC_HAPTIC;
    default:
        return false;
    }
}

/* Current value of a component of a controller, as a float (bool 0/1) or a vector. */
static float read_scalar(const sim_controller_state *c, const char *component)
{
    char id[64] = "";
    const char *feature = strrchr(component, '/');
    const char *start = strchr(component, '/'); /* after "input" */
    if (!start || !feature) return 0.0f;
    size_t n = (size_t)(feature - start - 1);
    if (feature == start) { /* "input/thumbstick": identifier only */
        snprintf(id, sizeof(id), "%s", start + 1);
        feature = "";
    } else {
        snprintf(id, sizeof(id), "%.*s", (int)(n < sizeof(id) ? n : sizeof(id) - 1), start + 1);
        feature++;
    }
    bool click = strcmp(feature, "click") == 0, touch = strcmp(feature, "touch") == 0;
    if (strcmp(id, "select") == 0) return c->select;
    if (strcmp(id, "menu") == 0) return c->menu;
    if (strcmp(id, "system") == 0) return c->system;
    if (strcmp(id, "a") == 0 || strcmp(id, "x") == 0) return c->a;
    if (strcmp(id, "b") == 0 || strcmp(id, "y") == 0) return c->b;
    if (strcmp(id, "trigger") == 0) {
        if (click) return c->trigger_click || c->trigger >= 1.0f;
        if (touch) return c->trigger_click || c->trigger > 0.0f;
        return c->trigger_click ? 1.0f : c->trigger;
    }
    if (strcmp(id, "squeeze") == 0) {
        if (click) return c->squeeze_click || c->squeeze >= 1.0f;
        if (touch) return c->squeeze_click || c->squeeze > 0.0f;
        return c->squeeze_click ? 1.0f : c->squeeze;
    }
    if (strcmp(id, "thumbstick") == 0 || strcmp(id, "trackpad") == 0) {
        if (strcmp(feature, "x") == 0) return c->thumbstick.x;
        if (strcmp(feature, "y") == 0) return c->thumbstick.y;
        if (click) return c->thumbstick_click;
        if (touch) return c->thumbstick_click || c->thumbstick.x != 0.0f || c->thumbstick.y != 0.0f;
        if (strcmp(feature, "force") == 0) return c->thumbstick_click ? 1.0f : 0.0f;
    }
    return 0.0f; /* thumbrest and anything else the idle controllers do not have */
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

typedef struct hand_value {
    bool active, changed;
    float scalar; /* bool 0/1 or float */
    XrVector2f vec;
    XrTime last_change;
} hand_value;

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
    /* Per session (one at a time), guarded by the session's action state lock: sources resolved at
     * attach, and the values of the last xrSyncActions. */
    uint32_t bound_count[2];
    const char *bound[2][SIM_MAX_BOUND]; /* components in profile_table */
    XrPath bound_path[2][SIM_MAX_BOUND];
    hand_value value[2];
} sim_action;

typedef struct binding_item {
    sim_action *action;
    XrPath path;
} binding_item;

/* The suggested bindings for one interaction profile (the newest suggestion replaces older ones). */
typedef struct sim_binding {
    struct sim_binding *next;
    int profile; /* index in profile_table */
    uint32_t count;
    binding_item *items;
} sim_binding;

typedef struct sim_action_state {
    pthread_mutex_t lock;
    sim_action_set **sets; /* attached */
    uint32_t set_count;
    int profile; /* -1: none */
    XrPath hand_path[2];
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
                free(a);
            } else {
                pa = &a->next;
            }
        }
        if (set->destroyed && set->attach_count == 0 && !set->actions) {
            *ps = set->next;
            free(set);
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
            free(a);
        }
        if (!set->destroyed) sim_handle_unregister(set);
        free(set);
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
    st->profile = -1;
    for (int h = 0; h < 2; h++) {
        st->hand_path[h] = sim_path_get(s->inst, hand_paths[h]);
        if (st->hand_path[h] == XR_NULL_PATH) {
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

/* A single level of a well-formed path: [a-z0-9-_.], not all periods. */
static XrResult check_name(const char *name, size_t cap)
{
    if (!memchr(name, '\0', cap)) return XR_ERROR_NAME_INVALID;
    if (name[0] == '\0') return XR_ERROR_NAME_INVALID;
    bool all_dots = true;
    for (const char *c = name; *c; c++) {
        bool ok = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' || *c == '.';
        if (!ok) return XR_ERROR_PATH_FORMAT_INVALID;
        if (*c != '.') all_dots = false;
    }
    return all_dots ? XR_ERROR_PATH_FORMAT_INVALID : XR_SUCCESS;
}

static XrResult check_localized(const char *name, size_t cap)
{
    if (!memchr(name, '\0', cap) || name[0] == '\0') return XR_ERROR_LOCALIZED_NAME_INVALID;
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- action sets and actions */

static XrResult set_check(XrActionSet h, sim_action_set **out)
{
    if (!sim_handle_valid(h, SIM_HANDLE_ACTION_SET)) return XR_ERROR_HANDLE_INVALID;
    *out = (sim_action_set *)h;
    return XR_SUCCESS;
}

static XrResult action_check(XrAction h, sim_action **out)
{
    if (!sim_handle_valid(h, SIM_HANDLE_ACTION)) return XR_ERROR_HANDLE_INVALID;
    *out = (sim_action *)h;
    return XR_SUCCESS;
}

SIM_FN(xrCreateActionSet)
(XrInstance instance, const XrActionSetCreateInfo *createInfo, XrActionSet *actionSet)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!createInfo || !actionSet || createInfo->type != XR_TYPE_ACTION_SET_CREATE_INFO)
        return XR_ERROR_VALIDATION_FAILURE;
    if (XR_FAILED(r = check_name(createInfo->actionSetName, sizeof(createInfo->actionSetName)))) return r;
    if (XR_FAILED(r = check_localized(createInfo->localizedActionSetName,
                                      sizeof(createInfo->localizedActionSetName))))
        return r;
    sim_action_set *set = calloc(1, sizeof(*set));
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
        free(set);
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

static XrResult check_top_level(sim_instance *inst, XrPath p)
{
    const char *s = sim_path_string(inst, p);
    if (!s) return XR_ERROR_PATH_INVALID;
    for (size_t i = 0; i < sizeof(top_level_paths) / sizeof(top_level_paths[0]); i++)
        if (strcmp(s, top_level_paths[i]) == 0) return XR_SUCCESS;
    return XR_ERROR_PATH_UNSUPPORTED;
}

SIM_FN(xrCreateAction)(XrActionSet actionSet, const XrActionCreateInfo *createInfo, XrAction *action)
{
    sim_action_set *set;
    XrResult r = set_check(actionSet, &set);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = set->h.instance;
    if (!createInfo || !action || createInfo->type != XR_TYPE_ACTION_CREATE_INFO)
        return XR_ERROR_VALIDATION_FAILURE;
    switch (createInfo->actionType) {
    case XR_ACTION_TYPE_BOOLEAN_INPUT:
    case XR_ACTION_TYPE_FLOAT_INPUT:
    case XR_ACTION_TYPE_VECTOR2F_INPUT:
    case XR_ACTION_TYPE_POSE_INPUT:
    case XR_ACTION_TYPE_VIBRATION_OUTPUT:
        break;
    default:
        return XR_ERROR_VALIDATION_FAILURE;
    }
    if (XR_FAILED(r = check_name(createInfo->actionName, sizeof(createInfo->actionName)))) return r;
    if (XR_FAILED(
            r = check_localized(createInfo->localizedActionName, sizeof(createInfo->localizedActionName))))
        return r;
    if (createInfo->countSubactionPaths && !createInfo->subactionPaths) return XR_ERROR_VALIDATION_FAILURE;
    if (createInfo->countSubactionPaths > SIM_MAX_SUBACTIONS) return XR_ERROR_PATH_UNSUPPORTED;
    for (uint32_t i = 0; i < createInfo->countSubactionPaths; i++) {
        if (XR_FAILED(r = check_top_level(inst, createInfo->subactionPaths[i]))) return r;
        for (uint32_t k = 0; k < i; k++)
            if (createInfo->subactionPaths[k] == createInfo->subactionPaths[i])
                return XR_ERROR_PATH_UNSUPPORTED;
    }
    sim_action *a = calloc(1, sizeof(*a));
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
        free(a);
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

static int profile_index(const char *path)
{
    for (int i = 0; i < PROFILE_COUNT; i++)
        if (strcmp(profile_table[i].path, path) == 0) return i;
    return -1;
}

SIM_FN(xrSuggestInteractionProfileBindings)
(XrInstance instance, const XrInteractionProfileSuggestedBinding *suggestedBindings)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    const XrInteractionProfileSuggestedBinding *sb = suggestedBindings;
    if (!sb || sb->type != XR_TYPE_INTERACTION_PROFILE_SUGGESTED_BINDING || sb->countSuggestedBindings == 0 ||
        !sb->suggestedBindings)
        return XR_ERROR_VALIDATION_FAILURE;
    const char *profile_path = sim_path_string(inst, sb->interactionProfile);
    if (!profile_path) return XR_ERROR_PATH_INVALID;
    int profile = profile_index(profile_path);
    if (profile < 0) {
        sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT,
                          "xrSuggestInteractionProfileBindings", "interaction profile %s is not supported",
                          profile_path);
        return XR_ERROR_PATH_UNSUPPORTED;
    }
    binding_item *items = calloc(sb->countSuggestedBindings, sizeof(*items));
    if (!items) return XR_ERROR_OUT_OF_MEMORY;
    for (uint32_t i = 0; i < sb->countSuggestedBindings && XR_SUCCEEDED(r); i++) {
        const XrActionSuggestedBinding *b = &sb->suggestedBindings[i];
        sim_action *a;
        if (XR_FAILED(r = action_check(b->action, &a))) break;
        if (a->h.instance != inst) {
            r = XR_ERROR_HANDLE_INVALID;
            break;
        }
        const char *path = sim_path_string(inst, b->binding);
        if (!path) {
            r = XR_ERROR_PATH_INVALID;
            break;
        }
        int hand;
        const char *rest;
        if (!split_hand_path(path, &hand, &rest) || !binding_supported(&profile_table[profile], hand, rest)) {
            sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT,
                              "xrSuggestInteractionProfileBindings", "%s is not a valid binding of %s", path,
                              profile_path);
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

SIM_FN(xrAttachSessionActionSets)(XrSession session, const XrSessionActionSetsAttachInfo *attachInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    if (!attachInfo || attachInfo->type != XR_TYPE_SESSION_ACTION_SETS_ATTACH_INFO ||
        attachInfo->countActionSets == 0 || !attachInfo->actionSets)
        return XR_ERROR_VALIDATION_FAILURE;
    sim_instance *inst = s->inst;
    sim_action_state *st = s->actions;
    for (uint32_t i = 0; i < attachInfo->countActionSets; i++) {
        sim_action_set *set;
        if (XR_FAILED(r = set_check(attachInfo->actionSets[i], &set))) return r;
        if (set->h.instance != inst) return XR_ERROR_HANDLE_INVALID;
    }
    sim_action_set **sets = calloc(attachInfo->countActionSets, sizeof(*sets));
    if (!sets) return XR_ERROR_OUT_OF_MEMORY;

    pthread_mutex_lock(&inst->lock);
    pthread_mutex_lock(&st->lock);
    if (s->actions_attached) {
        pthread_mutex_unlock(&st->lock);
        pthread_mutex_unlock(&inst->lock);
        free(sets);
        return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
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
    /* The controllers present themselves as the most preferred profile the app has bindings for. */
    st->profile = -1;
    const sim_binding *chosen = NULL;
    for (int p = 0; p < PROFILE_COUNT && !chosen; p++)
        for (const sim_binding *b = inst->bindings; b && !chosen; b = b->next)
            if (b->profile == p && b->count > 0) chosen = b;
    if (chosen) {
        st->profile = chosen->profile;
        const profile_desc *pd = &profile_table[chosen->profile];
        for (uint32_t i = 0; i < chosen->count; i++) {
            sim_action *a = chosen->items[i].action;
            if (!set_attached(st, a->set)) continue;
            const char *path = sim_path_string(inst, chosen->items[i].path);
            int hand;
            const char *rest;
            if (!path || !split_hand_path(path, &hand, &rest)) continue;
            const char *component = resolve_component(pd, hand, rest, a->type);
            if (!component || !kind_fits(a->type, component_kind(component))) {
                sim_log(SIM_LOG_INFO, "binding %s ignored for action %s: type does not fit", path, a->name);
                continue;
            }
            /* Bound sources are reported by their full component path ("/user/hand/left/input/select/click"
             * even for a suggested ".../input/select"), which also lets priorities compare sources exactly.
             */
            char full[XR_MAX_PATH_LENGTH];
            snprintf(full, sizeof(full), "%s/%s", hand_paths[hand], component);
            XrPath source = sim_path_get(inst, full);
            if (source == XR_NULL_PATH) source = chosen->items[i].path;
            bool dup = false;
            for (uint32_t k = 0; k < a->bound_count[hand]; k++) dup |= a->bound_path[hand][k] == source;
            if (!dup && a->bound_count[hand] < SIM_MAX_BOUND) {
                a->bound[hand][a->bound_count[hand]] = component;
                a->bound_path[hand][a->bound_count[hand]++] = source;
            }
        }
    }
    s->actions_attached = true;
    pthread_mutex_unlock(&st->lock);
    pthread_mutex_unlock(&inst->lock);

    if (chosen) {
        XrPath profile_path = sim_path_get(inst, profile_table[chosen->profile].path);
        pthread_mutex_lock(&s->lock);
        s->active_profile[0] = s->active_profile[1] = profile_path;
        pthread_mutex_unlock(&s->lock);
        XrEventDataInteractionProfileChanged ev = {.type = XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED,
                                                   .session = (XrSession)s};
        sim_event_push(inst, &ev, sizeof(ev));
        sim_log(SIM_LOG_INFO, "controllers present as %s", profile_table[chosen->profile].path);
    }
    return XR_SUCCESS;
}

SIM_FN(xrGetCurrentInteractionProfile)
(XrSession session, XrPath topLevelUserPath, XrInteractionProfileState *interactionProfile)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    if (!interactionProfile || interactionProfile->type != XR_TYPE_INTERACTION_PROFILE_STATE)
        return XR_ERROR_VALIDATION_FAILURE;
    if (XR_FAILED(r = check_top_level(s->inst, topLevelUserPath))) return r;
    if (!s->actions_attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
    pthread_mutex_lock(&s->lock);
    XrPath p = XR_NULL_PATH;
    if (topLevelUserPath == s->actions->hand_path[0]) p = s->active_profile[0];
    if (topLevelUserPath == s->actions->hand_path[1]) p = s->active_profile[1];
    pthread_mutex_unlock(&s->lock);
    interactionProfile->interactionProfile = p;
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- sync */

/* Is source `path` also bound to an action of a higher-priority active set? Then this action ignores it. */
static bool shadowed(const sim_action_state *st, const bool *set_active, const sim_action_set *set, int hand,
                     XrPath path)
{
    for (uint32_t i = 0; i < st->set_count; i++) {
        const sim_action_set *o = st->sets[i];
        if (!set_active[i * 2 + hand] || o->priority <= set->priority) continue;
        for (const sim_action *a = o->actions; a; a = a->next)
            for (uint32_t k = 0; k < a->bound_count[hand]; k++)
                if (a->bound_path[hand][k] == path) return true;
    }
    return false;
}

SIM_FN(xrSyncActions)(XrSession session, const XrActionsSyncInfo *syncInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    if (!syncInfo || syncInfo->type != XR_TYPE_ACTIONS_SYNC_INFO ||
        (syncInfo->countActiveActionSets && !syncInfo->activeActionSets))
        return XR_ERROR_VALIDATION_FAILURE;
    sim_action_state *st = s->actions;
    for (uint32_t i = 0; i < syncInfo->countActiveActionSets; i++) {
        const XrActiveActionSet *aas = &syncInfo->activeActionSets[i];
        sim_action_set *set;
        if (XR_FAILED(r = set_check(aas->actionSet, &set))) return r;
        if (aas->subactionPath != XR_NULL_PATH && XR_FAILED(r = check_top_level(s->inst, aas->subactionPath)))
            return r == XR_ERROR_PATH_INVALID ? r : XR_ERROR_PATH_UNSUPPORTED;
    }

    pthread_mutex_lock(&s->lock);
    bool focused = s->state == XR_SESSION_STATE_FOCUSED;
    pthread_mutex_unlock(&s->lock);
    sim_controller_state ctl[2];
    sim_user_sync_controllers(s->user, sim_now(), ctl); /* with PARALLAX_SIM_INPUT events due by now */

    XrTime now = sim_now();
    pthread_mutex_lock(&st->lock);
    if (!s->actions_attached) {
        pthread_mutex_unlock(&st->lock);
        return XR_ERROR_ACTIONSET_NOT_ATTACHED;
    }
    bool *set_active = calloc(st->set_count * 2, sizeof(bool));
    if (!set_active) {
        pthread_mutex_unlock(&st->lock);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    for (uint32_t i = 0; i < syncInfo->countActiveActionSets && XR_SUCCEEDED(r); i++) {
        const XrActiveActionSet *aas = &syncInfo->activeActionSets[i];
        bool found = false;
        for (uint32_t k = 0; k < st->set_count; k++)
            if ((XrActionSet)st->sets[k] == aas->actionSet) {
                found = true;
                for (int h = 0; h < 2; h++)
                    if (aas->subactionPath == XR_NULL_PATH || aas->subactionPath == st->hand_path[h])
                        set_active[k * 2 + h] = true;
            }
        if (!found) r = XR_ERROR_ACTIONSET_NOT_ATTACHED;
    }
    if (XR_FAILED(r)) {
        pthread_mutex_unlock(&st->lock);
        free(set_active);
        return r;
    }
    /* Without focus every action reads inactive: input goes to whoever has focus, not to this app. */
    for (uint32_t i = 0; i < st->set_count; i++) {
        for (sim_action *a = st->sets[i]->actions; a; a = a->next) {
            for (int h = 0; h < 2; h++) {
                hand_value *v = &a->value[h];
                hand_value prev = *v;
                bool active = false;
                float scalar = 0.0f;
                XrVector2f vec = {0.0f, 0.0f};
                for (uint32_t k = 0; focused && set_active[i * 2 + h] && k < a->bound_count[h]; k++) {
                    if (shadowed(st, set_active, st->sets[i], h, a->bound_path[h][k])) continue;
                    active = true;
                    const char *c = a->bound[h][k];
                    if (a->type == XR_ACTION_TYPE_VECTOR2F_INPUT) {
                        /* Several sources: the longest vector wins. */
                        XrVector2f cand = ctl[h].thumbstick;
                        if (cand.x * cand.x + cand.y * cand.y > vec.x * vec.x + vec.y * vec.y) vec = cand;
                    } else if (a->type == XR_ACTION_TYPE_BOOLEAN_INPUT ||
                               a->type == XR_ACTION_TYPE_FLOAT_INPUT) {
                        float x = read_scalar(&ctl[h], c);
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
    free(set_active);
    return focused ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}

/* ---------------------------------------------------------------- states */

/* Hands an action state call covers: both for XR_NULL_PATH, else the one named (which must be one of the
 * action's subaction paths). out_mask bit h = hand h. */
static XrResult state_common(sim_session *s, const XrActionStateGetInfo *info, XrActionType want,
                             sim_action **out, unsigned *out_mask)
{
    if (!info || info->type != XR_TYPE_ACTION_STATE_GET_INFO) return XR_ERROR_VALIDATION_FAILURE;
    sim_action *a;
    XrResult r = action_check(info->action, &a);
    if (XR_FAILED(r)) return r;
    if (a->type != want) return XR_ERROR_ACTION_TYPE_MISMATCH;
    sim_action_state *st = s->actions;
    pthread_mutex_lock(&st->lock);
    bool attached = s->actions_attached && set_attached(st, a->set);
    pthread_mutex_unlock(&st->lock);
    if (!attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
    unsigned mask = 3;
    if (info->subactionPath != XR_NULL_PATH) {
        if (!sim_path_string(s->inst, info->subactionPath)) return XR_ERROR_PATH_INVALID;
        bool declared = false;
        for (uint32_t i = 0; i < a->subaction_count; i++) declared |= a->subactions[i] == info->subactionPath;
        if (!declared) return XR_ERROR_PATH_UNSUPPORTED;
        mask = 0;
        for (int h = 0; h < 2; h++)
            if (info->subactionPath == st->hand_path[h]) mask |= 1u << h;
    }
    *out = a;
    *out_mask = mask;
    return XR_SUCCESS;
}

/* Combines the covered hands the way the spec says: the largest magnitude wins, and the state reports that
 * source's change flags. */
static hand_value combined(sim_session *s, const sim_action *a, unsigned mask)
{
    hand_value best = {0};
    pthread_mutex_lock(&s->actions->lock);
    for (int h = 0; h < 2; h++) {
        if (!(mask & (1u << h)) || !a->value[h].active) continue;
        const hand_value *v = &a->value[h];
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
    if (!state || state->type != XR_TYPE_ACTION_STATE_BOOLEAN) return XR_ERROR_VALIDATION_FAILURE;
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_BOOLEAN_INPUT, &a, &mask))) return r;
    hand_value v = combined(s, a, mask);
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
    if (!state || state->type != XR_TYPE_ACTION_STATE_FLOAT) return XR_ERROR_VALIDATION_FAILURE;
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_FLOAT_INPUT, &a, &mask))) return r;
    hand_value v = combined(s, a, mask);
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
    if (!state || state->type != XR_TYPE_ACTION_STATE_VECTOR2F) return XR_ERROR_VALIDATION_FAILURE;
    sim_action *a;
    unsigned mask;
    if (XR_FAILED(r = state_common(s, getInfo, XR_ACTION_TYPE_VECTOR2F_INPUT, &a, &mask))) return r;
    hand_value v = combined(s, a, mask);
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
    if (!state || state->type != XR_TYPE_ACTION_STATE_POSE) return XR_ERROR_VALIDATION_FAILURE;
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
    XrResult r = action_check(info->action, &a);
    if (XR_FAILED(r)) return r;
    if (a->h.instance != s->inst) return XR_ERROR_HANDLE_INVALID;
    if (a->type != XR_ACTION_TYPE_POSE_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
    if (info->subactionPath != XR_NULL_PATH) {
        if (!sim_path_string(s->inst, info->subactionPath)) return XR_ERROR_PATH_INVALID;
        bool declared = false;
        for (uint32_t i = 0; i < a->subaction_count; i++) declared |= a->subactions[i] == info->subactionPath;
        if (!declared) return XR_ERROR_PATH_UNSUPPORTED;
    }
    *out = a;
    return XR_SUCCESS;
}

bool sim_action_pose_hand(sim_session *s, struct sim_action *a, XrPath sub, int *out_hand)
{
    sim_action_state *st = s->actions;
    if (!st) return false;
    bool found = false;
    pthread_mutex_lock(&st->lock);
    for (int h = 0; h < 2 && !found; h++) {
        if (sub != XR_NULL_PATH && sub != st->hand_path[h]) continue;
        if (a->value[h].active) {
            *out_hand = h;
            found = true;
        }
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
    if (!enumerateInfo || enumerateInfo->type != XR_TYPE_BOUND_SOURCES_FOR_ACTION_ENUMERATE_INFO)
        return XR_ERROR_VALIDATION_FAILURE;
    sim_action *a;
    if (XR_FAILED(r = action_check(enumerateInfo->action, &a))) return r;
    sim_action_state *st = s->actions;
    pthread_mutex_lock(&st->lock);
    if (!s->actions_attached || !set_attached(st, a->set)) {
        pthread_mutex_unlock(&st->lock);
        return XR_ERROR_ACTIONSET_NOT_ATTACHED;
    }
    XrPath list[2 * SIM_MAX_BOUND];
    uint32_t n = 0;
    for (int h = 0; h < 2; h++)
        for (uint32_t k = 0; k < a->bound_count[h]; k++) list[n++] = a->bound_path[h][k];
    pthread_mutex_unlock(&st->lock);
    r = sim_two_call(sourceCapacityInput, sourceCountOutput, sources, n);
    if (r == XR_SUCCESS && sourceCapacityInput) memcpy(sources, list, n * sizeof(XrPath));
    return r;
}

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
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    const XrInputSourceLocalizedNameFlags all = XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT |
                                                XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT |
                                                XR_INPUT_SOURCE_LOCALIZED_NAME_COMPONENT_BIT;
    if (!getInfo || getInfo->type != XR_TYPE_INPUT_SOURCE_LOCALIZED_NAME_GET_INFO ||
        getInfo->whichComponents == 0 || (getInfo->whichComponents & ~all))
        return XR_ERROR_VALIDATION_FAILURE;
    const char *path = sim_path_string(s->inst, getInfo->sourcePath);
    if (!path) return XR_ERROR_PATH_INVALID;
    if (!s->actions_attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
    int hand;
    const char *rest = NULL;
    bool is_hand = split_hand_path(path, &hand, &rest);
    if (!is_hand) {
        for (int h = 0; h < 2; h++)
            if (strcmp(path, hand_paths[h]) == 0) hand = h, is_hand = true;
    }
    if (!is_hand) return XR_ERROR_PATH_UNSUPPORTED;
    pthread_mutex_lock(&s->actions->lock);
    int profile = s->actions->profile;
    pthread_mutex_unlock(&s->actions->lock);

    char name[256] = "";
    size_t len = 0;
    if (getInfo->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_USER_PATH_BIT)
        len += (size_t)snprintf(name + len, sizeof(name) - len, "%s", hand == 0 ? "Left Hand" : "Right Hand");
    if ((getInfo->whichComponents & XR_INPUT_SOURCE_LOCALIZED_NAME_INTERACTION_PROFILE_BIT) && profile >= 0)
        len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s", len ? " " : "",
                                profile_table[profile].localized);
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

static XrResult haptic_common(sim_session *s, const XrHapticActionInfo *info, unsigned *out_mask)
{
    if (!info || info->type != XR_TYPE_HAPTIC_ACTION_INFO) return XR_ERROR_VALIDATION_FAILURE;
    XrActionStateGetInfo gi = {
        .type = XR_TYPE_ACTION_STATE_GET_INFO, .action = info->action, .subactionPath = info->subactionPath};
    sim_action *a;
    unsigned mask;
    XrResult r = state_common(s, &gi, XR_ACTION_TYPE_VIBRATION_OUTPUT, &a, &mask);
    if (XR_FAILED(r)) return r;
    /* Only hands the action is bound to on the active controller vibrate. */
    unsigned bound = 0;
    pthread_mutex_lock(&s->actions->lock);
    for (int h = 0; h < 2; h++)
        if (a->value[h].active) bound |= 1u << h;
    pthread_mutex_unlock(&s->actions->lock);
    *out_mask = mask & bound;
    return XR_SUCCESS;
}

SIM_FN(xrApplyHapticFeedback)
(XrSession session, const XrHapticActionInfo *hapticActionInfo, const XrHapticBaseHeader *hapticFeedback)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    unsigned mask;
    if (XR_FAILED(r = haptic_common(s, hapticActionInfo, &mask))) return r;
    if (!hapticFeedback || hapticFeedback->type != XR_TYPE_HAPTIC_VIBRATION)
        return XR_ERROR_VALIDATION_FAILURE;
    const XrHapticVibration *v = (const XrHapticVibration *)hapticFeedback;
    if (!(v->amplitude >= 0.0f && v->amplitude <= 1.0f)) return XR_ERROR_VALIDATION_FAILURE;
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
    if (XR_FAILED(r = haptic_common(s, hapticActionInfo, &mask))) return r;
    pthread_mutex_lock(&s->lock);
    bool focused = s->state == XR_SESSION_STATE_FOCUSED;
    pthread_mutex_unlock(&s->lock);
    for (int h = 0; h < 2 && focused; h++)
        if (mask & (1u << h)) sim_user_stop_haptic(s->user, h, sim_now());
    return focused ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}
