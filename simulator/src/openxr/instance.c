/* SPDX-License-Identifier: MIT */
/* Instance, system, properties, paths, strings, the event queue, XR_EXT_debug_utils (messengers, object
 * names, the label stack) and XR_KHR_convert_timespec_time.
 * Layer: openxr (the upper part), above handles.c and config.c; calls those, device/clock.c (time) and base/.
 * It knows no session: the session-scoped label calls are in session.c, xrDestroyInstance and xrPollEvent
 * (which reach sessions and faults) in lifecycle.c. */
#include "openxr/sim_entry_points.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openxr/openxr_reflection.h>

#define SIM_RUNTIME_NAME "Parallax simulated headset"
/* The project version (project(VERSION) in the top-level CMakeLists.txt, passed in by
 * simulator/CMakeLists.txt). */
#define SIM_RUNTIME_VERSION XR_MAKE_VERSION(SIM_VERSION_MAJOR, SIM_VERSION_MINOR, SIM_VERSION_PATCH)
/* The two-call size of a debug-utils label stack we keep per instance (one session at a time). */
#define SIM_MAX_LABELS 32

/* ---------------------------------------------------------------- extensions */

static const XrExtensionProperties supported_extensions[] = {
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_VULKAN_ENABLE_EXTENSION_NAME,
     XR_KHR_vulkan_enable_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME,
     XR_KHR_vulkan_enable2_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME,
     XR_KHR_composition_layer_depth_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME,
     XR_KHR_convert_timespec_time_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_DEBUG_UTILS_EXTENSION_NAME, XR_EXT_debug_utils_SPEC_VERSION},
    /* OpenXR 1.1 promoted these; a 1.0 application has them as extensions (space.c, base/profiles.c). */
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_LOCATE_SPACES_EXTENSION_NAME,
     XR_KHR_locate_spaces_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_LOCAL_FLOOR_EXTENSION_NAME, XR_EXT_local_floor_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_MAINTENANCE1_EXTENSION_NAME,
     XR_KHR_maintenance1_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_UUID_EXTENSION_NAME, XR_EXT_uuid_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_PALM_POSE_EXTENSION_NAME, XR_EXT_palm_pose_SPEC_VERSION},
    /* the simulated user's hands (openxr/hand.c, device/hand.c) and their interaction profile (action.c) */
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_HAND_TRACKING_EXTENSION_NAME,
     XR_EXT_hand_tracking_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_HAND_INTERACTION_EXTENSION_NAME,
     XR_EXT_hand_interaction_SPEC_VERSION},
    /* What engines ask for (headset.c, metrics.c). */
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_VISIBILITY_MASK_EXTENSION_NAME,
     XR_KHR_visibility_mask_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_EXT_USER_PRESENCE_EXTENSION_NAME,
     XR_EXT_user_presence_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_META_PERFORMANCE_METRICS_EXTENSION_NAME,
     XR_META_performance_metrics_SPEC_VERSION},
    /* Layer types the compositor draws (openxr/frame.c validates them, device/composite.c draws them). */
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_COMPOSITION_LAYER_CYLINDER_EXTENSION_NAME,
     XR_KHR_composition_layer_cylinder_SPEC_VERSION},
    {XR_TYPE_EXTENSION_PROPERTIES, NULL, XR_KHR_COMPOSITION_LAYER_EQUIRECT2_EXTENSION_NAME,
     XR_KHR_composition_layer_equirect2_SPEC_VERSION},
};
#define SUPPORTED_EXTENSION_COUNT ((uint32_t)(sizeof(supported_extensions) / sizeof(supported_extensions[0])))

/* Index of an extension in supported_extensions (for the enabled flags of xrCreateInstance). */
static uint32_t ext_index(const char *name)
{
    for (uint32_t k = 0; k < SUPPORTED_EXTENSION_COUNT; k++)
        if (strcmp(name, supported_extensions[k].extensionName) == 0) return k;
    /* A name missing from the list reads the spare slot of xrCreateInstance's flags, which stays false. */
    return SUPPORTED_EXTENSION_COUNT;
}

SIM_FN(xrEnumerateApiLayerProperties)
(uint32_t propertyCapacityInput, uint32_t *propertyCountOutput, XrApiLayerProperties *properties)
{
    /* A runtime provides no API layers; the loader lists the installed ones itself. */
    return sim_two_call(propertyCapacityInput, propertyCountOutput, properties, 0);
}

/* The extensions offered: all supported ones but those PARALLAX_SIM_HIDE_EXTENSIONS hides (a runtime that
 * lacks them). Returns how many; out[i] indexes supported_extensions. */
static uint32_t offered_extensions(uint32_t out[SUPPORTED_EXTENSION_COUNT])
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < SUPPORTED_EXTENSION_COUNT; i++)
        if (!sim_config_extension_hidden(supported_extensions[i].extensionName)) out[n++] = i;
    return n;
}

SIM_FN(xrEnumerateInstanceExtensionProperties)
(const char *layerName, uint32_t propertyCapacityInput, uint32_t *propertyCountOutput,
 XrExtensionProperties *properties)
{
    if (layerName && layerName[0])
        return sim_reject(
            NULL, "xrEnumerateInstanceExtensionProperties", XR_ERROR_API_LAYER_NOT_PRESENT,
            "layerName \"%.64s\" is not an API layer of this runtime (a runtime has no layers; spec "
            "xrEnumerateInstanceExtensionProperties: a layer that is not available is "
            "XR_ERROR_API_LAYER_NOT_PRESENT)",
            layerName);
    uint32_t offered[SUPPORTED_EXTENSION_COUNT];
    uint32_t n = offered_extensions(offered);
    XrResult r = sim_two_call(propertyCapacityInput, propertyCountOutput, properties, n);
    if (r != XR_SUCCESS || propertyCapacityInput == 0) return r;
    for (uint32_t i = 0; i < n; i++)
        if (properties[i].type != XR_TYPE_EXTENSION_PROPERTIES)
            return sim_reject(NULL, "xrEnumerateInstanceExtensionProperties", XR_ERROR_VALIDATION_FAILURE,
                              "properties[%u].type is %d, not XR_TYPE_EXTENSION_PROPERTIES "
                              "(VUID-XrExtensionProperties-type-type)",
                              i, (int)properties[i].type);
    for (uint32_t i = 0; i < n; i++) {
        memcpy(properties[i].extensionName, supported_extensions[offered[i]].extensionName,
               XR_MAX_EXTENSION_NAME_SIZE);
        properties[i].extensionVersion = supported_extensions[offered[i]].extensionVersion;
    }
    return XR_SUCCESS;
}

/* PARALLAX_SIM_HIDE_EXTENSIONS names only extensions this runtime has (a typo would hide nothing). */
static bool hidden_extensions_known(const sim_config *cfg)
{
    char item[128];
    for (const char *p = cfg->hide_extensions; (p = sim_config_list_next(p, item, sizeof(item)));) {
        bool known = false;
        for (uint32_t k = 0; k < SUPPORTED_EXTENSION_COUNT && !known; k++)
            known = strcmp(item, supported_extensions[k].extensionName) == 0;
        if (known) continue;
        char expected[2048];
        size_t len =
            (size_t)snprintf(expected, sizeof(expected), "names of extensions this runtime offers (");
        for (uint32_t k = 0; k < SUPPORTED_EXTENSION_COUNT && len < sizeof(expected); k++)
            len += (size_t)snprintf(expected + len, sizeof(expected) - len, "%s%s", k ? ", " : "",
                                    supported_extensions[k].extensionName);
        if (len < sizeof(expected)) snprintf(expected + len, sizeof(expected) - len, ") separated by ','");
        return sim_config_bad_value("PARALLAX_SIM_HIDE_EXTENSIONS", cfg->hide_extensions, expected);
    }
    return true;
}

/* ---------------------------------------------------------------- debug utils state */

typedef struct sim_debug_messenger {
    sim_handle h;
    struct sim_debug_messenger *next;
    XrDebugUtilsMessageSeverityFlagsEXT severities;
    XrDebugUtilsMessageTypeFlagsEXT types;
    PFN_xrDebugUtilsMessengerCallbackEXT callback;
    void *user_data;
    /* Under inst->lock: deliveries that hold this messenger (it is not freed while one does); destroyed (no
     * callback starts any more); orphaned: destroyed from inside one of its own deliveries, so the last
     * delivery holding it frees it. */
    int in_flight;
    bool dead, orphaned;
} sim_debug_messenger;

typedef struct sim_object_name {
    struct sim_object_name *next;
    XrObjectType type;
    uint64_t handle;
    char *name;
} sim_object_name;

typedef struct sim_debug_state {
    sim_object_name *names;
    /* Session label stack: labels[0..label_count). A trailing "insert" label (insert_active) is replaced by
     * the next begin/insert/end, as the extension describes. */
    char *labels[SIM_MAX_LABELS];
    uint32_t label_count;
    uint32_t label_overflow; /* regions begun beyond SIM_MAX_LABELS, counted so their ends match */
    bool insert_active;
    /* Messenger from XrInstanceCreateInfo::next: reports during xrCreateInstance and xrDestroyInstance. */
    sim_debug_messenger create_messenger;
    bool create_messenger_active;
    /* Signalled (with inst->lock) whenever a delivery lets go of a messenger: xrDestroyDebugUtilsMessengerEXT
     * waits on it until no other thread is inside that messenger's callback. */
    pthread_cond_t released;
} sim_debug_state;

static int severity_to_log(XrDebugUtilsMessageSeverityFlagsEXT sev)
{
    if (sev & XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) return SIM_LOG_ERROR;
    if (sev & XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) return SIM_LOG_WARN;
    if (sev & XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT) return SIM_LOG_INFO;
    return SIM_LOG_DEBUG;
}

/* The messengers this thread is delivering to right now (nested when a callback calls back into the runtime).
 * A messenger destroyed from inside its own delivery cannot wait for that delivery to end. */
#define SIM_MAX_HELD 64
static _Thread_local sim_debug_messenger *held[SIM_MAX_HELD];
static _Thread_local int held_count;

static int held_by_this_thread(const sim_debug_messenger *m)
{
    int n = 0;
    for (int i = 0; i < held_count; i++) n += held[i] == m;
    return n;
}

static const char *object_name_find(const sim_debug_state *d, XrObjectType type, uint64_t handle)
{
    for (const sim_object_name *n = d->names; n; n = n->next)
        if (n->type == type && n->handle == handle) return n->name;
    return NULL;
}

#define SIM_MAX_TARGETS 16

/* Calls every messenger interested in (sev, types) with the given callback data, the session labels and the
 * names the application gave the objects (xrSetDebugUtilsObjectNameEXT; they replace a submitted name).
 * Callbacks run without the instance lock held, since an application may call back into the runtime from its
 * callback; each messenger is held (in_flight) meanwhile, so xrDestroyDebugUtilsMessengerEXT waits for a
 * callback running on another thread and no callback starts once it has returned. */
static void deliver(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev,
                    XrDebugUtilsMessageTypeFlagsEXT types,
                    const XrDebugUtilsMessengerCallbackDataEXT *in_data)
{
    XrDebugUtilsMessengerCallbackDataEXT data = *in_data;
    sim_debug_messenger *targets[SIM_MAX_TARGETS];
    int n = 0;
    sim_debug_messenger create_call = {0};
    char label_text[8][128];
    XrDebugUtilsLabelEXT labels[8];
    uint32_t nobj = (in_data->objects && in_data->objectCount) ? in_data->objectCount : 0;
    XrDebugUtilsObjectNameInfoEXT *objs = nobj ? malloc(nobj * sizeof(*objs)) : NULL;
    char **names = nobj ? calloc(nobj, sizeof(*names)) : NULL;
    if (!objs || !names) nobj = 0;
    if (nobj) memcpy(objs, in_data->objects, nobj * sizeof(*objs));

    pthread_mutex_lock(&inst->lock);
    for (sim_debug_messenger *m = inst->messengers; m && n < SIM_MAX_TARGETS && held_count < SIM_MAX_HELD;
         m = m->next)
        if ((m->severities & sev) && (m->types & types)) {
            m->in_flight++;
            held[held_count++] = m;
            targets[n++] = m;
        }
    sim_debug_state *d = inst->debug;
    if (d && d->create_messenger_active && (d->create_messenger.severities & sev) &&
        (d->create_messenger.types & types))
        create_call = d->create_messenger;
    /* The newest labels first, as the extension orders sessionLabels. */
    uint32_t nl = 0;
    if (d && data.sessionLabelCount == 0) {
        for (uint32_t i = d->label_count; i > 0 && nl < 8; i--, nl++) {
            snprintf(label_text[nl], sizeof(label_text[nl]), "%s", d->labels[i - 1]);
            labels[nl] =
                (XrDebugUtilsLabelEXT){.type = XR_TYPE_DEBUG_UTILS_LABEL_EXT, .labelName = label_text[nl]};
        }
    }
    for (uint32_t i = 0; d && i < nobj; i++) {
        const char *name = object_name_find(d, objs[i].objectType, objs[i].objectHandle);
        if (name && (names[i] = strdup(name))) objs[i].objectName = names[i];
    }
    pthread_mutex_unlock(&inst->lock);

    if (nl) {
        data.sessionLabelCount = nl;
        data.sessionLabels = labels;
    }
    if (nobj) data.objects = objs;
    if (create_call.callback) create_call.callback(sev, types, &data, create_call.user_data);
    for (int i = 0; i < n; i++) {
        sim_debug_messenger *m = targets[i];
        pthread_mutex_lock(&inst->lock);
        bool alive = !m->dead;
        pthread_mutex_unlock(&inst->lock);
        if (alive) m->callback(sev, types, &data, m->user_data);
        pthread_mutex_lock(&inst->lock);
        m->in_flight--;
        for (int j = held_count - 1; j >= 0; j--)
            if (held[j] == m) {
                memmove(&held[j], &held[j + 1], (size_t)(held_count - j - 1) * sizeof(held[0]));
                held_count--;
                break;
            }
        bool free_now = m->orphaned && m->in_flight == 0;
        pthread_cond_broadcast(&d->released);
        pthread_mutex_unlock(&inst->lock);
        if (free_now) free(m);
    }
    for (uint32_t i = 0; i < nobj; i++) free(names[i]);
    free(names);
    free(objs);
}

void sim_debug_message(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev, const char *fn,
                       const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    sim_log(severity_to_log(sev), "%s: %s", fn ? fn : "runtime", msg);
    if (!inst) return;
    /* Errors and warnings about API use are validation messages; the rest is general information. */
    XrDebugUtilsMessageTypeFlagsEXT types = XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT;
    if (sev &
        (XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT))
        types |= XR_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT;
    XrDebugUtilsMessengerCallbackDataEXT data = {.type = XR_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT,
                                                 .messageId = "parallax-sim",
                                                 .functionName = fn ? fn : "",
                                                 .message = msg};
    deliver(inst, sev, types, &data);
}

const char *sim_result_name(XrResult r)
{
    switch (r) {
#define SIM_RESULT_NAME(n, v) \
    case n:                   \
        return #n;
        XR_LIST_ENUM_XrResult(SIM_RESULT_NAME)
#undef SIM_RESULT_NAME
            default : return "XR_UNKNOWN_RESULT";
    }
}

/* sim_reject and sim_reject_quiet: the condition, then the result's name, at that severity. */
static XrResult reject_v(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev, const char *fn,
                         XrResult result, const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));
static XrResult reject_v(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev, const char *fn,
                         XrResult result, const char *fmt, va_list ap)
{
    char what[768];
    vsnprintf(what, sizeof(what), fmt, ap);
    sim_debug_message(inst, sev, fn, "%s: %s", what, sim_result_name(result));
    return result;
}

XrResult sim_reject(sim_instance *inst, const char *fn, XrResult result, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, fn, result, fmt, ap);
    va_end(ap);
    return result;
}

XrResult sim_reject_quiet(sim_instance *inst, const char *fn, XrResult result, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reject_v(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT, fn, result, fmt, ap);
    va_end(ap);
    return result;
}

static void object_names_free(sim_debug_state *d)
{
    while (d->names) {
        sim_object_name *n = d->names;
        d->names = n->next;
        free(n->name);
        free(n);
    }
}

static void labels_pop(sim_debug_state *d)
{
    if (d->label_count == 0) return;
    free(d->labels[--d->label_count]);
    d->labels[d->label_count] = NULL;
}

static void debug_state_free(sim_debug_state *d)
{
    if (!d) return;
    object_names_free(d);
    while (d->label_count) labels_pop(d);
    pthread_cond_destroy(&d->released);
    free(d);
}

/* NULL when the create info is valid, else the condition that failed (for the message). */
static const char *messenger_info_problem(const XrDebugUtilsMessengerCreateInfoEXT *ci)
{
    const XrDebugUtilsMessageSeverityFlagsEXT all_sev =
        XR_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT |
        XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    const XrDebugUtilsMessageTypeFlagsEXT all_types =
        XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
        XR_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_TYPE_CONFORMANCE_BIT_EXT;
    if (ci->type != XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT)
        return "type is not XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT";
    if (!ci->userCallback) return "userCallback is NULL";
    if (ci->messageSeverities == 0) return "messageSeverities is 0";
    if (ci->messageSeverities & ~all_sev)
        return "messageSeverities has a bit that is no XrDebugUtilsMessageSeverityFlagBitsEXT";
    if (ci->messageTypes == 0) return "messageTypes is 0";
    if (ci->messageTypes & ~all_types)
        return "messageTypes has a bit that is no XrDebugUtilsMessageTypeFlagBitsEXT";
    return NULL;
}

SIM_FN(xrCreateDebugUtilsMessengerEXT)
(XrInstance instance, const XrDebugUtilsMessengerCreateInfoEXT *createInfo,
 XrDebugUtilsMessengerEXT *messenger)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_debug_utils)
        return sim_reject(
            inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
            "XR_EXT_debug_utils is not enabled on this instance (spec fundamentals-extensions: an "
            "extension's functions need the extension enabled at xrCreateInstance)");
    const char *bad = !createInfo  ? "createInfo is NULL"
                      : !messenger ? "messenger is NULL"
                                   : messenger_info_problem(createInfo);
    if (bad) {
        return sim_reject(inst, "xrCreateDebugUtilsMessengerEXT", XR_ERROR_VALIDATION_FAILURE,
                          "%s (valid usage of xrCreateDebugUtilsMessengerEXT and "
                          "XrDebugUtilsMessengerCreateInfoEXT)",
                          bad);
    }
    sim_debug_messenger *m = calloc(1, sizeof(*m));
    if (!m) return XR_ERROR_OUT_OF_MEMORY;
    m->severities = createInfo->messageSeverities;
    m->types = createInfo->messageTypes;
    m->callback = createInfo->userCallback;
    m->user_data = createInfo->userData;
    sim_handle_register(m, SIM_HANDLE_DEBUG_MESSENGER, inst);
    pthread_mutex_lock(&inst->lock);
    m->next = inst->messengers;
    inst->messengers = m;
    pthread_mutex_unlock(&inst->lock);
    *messenger = (XrDebugUtilsMessengerEXT)m;
    return XR_SUCCESS;
}

/* Unlinks m; waits until no other thread is inside its callback (no callback may fire once
 * xrDestroyDebugUtilsMessengerEXT or xrDestroyInstance has returned: the app frees the callback's data then),
 * and frees it, or leaves that to this thread's own delivery still holding it (destroyed from inside its
 * callback). */
static void messenger_destroy(sim_instance *inst, sim_debug_messenger *m)
{
    pthread_mutex_lock(&inst->lock);
    for (sim_debug_messenger **p = &inst->messengers; *p; p = &(*p)->next)
        if (*p == m) {
            *p = m->next;
            break;
        }
    m->dead = true;
    int own = held_by_this_thread(m);
    while (m->in_flight > own) pthread_cond_wait(&inst->debug->released, &inst->lock);
    bool orphan = m->in_flight > 0;
    m->orphaned = orphan;
    pthread_mutex_unlock(&inst->lock);
    sim_handle_unregister(m);
    if (!orphan) free(m);
}

SIM_FN(xrDestroyDebugUtilsMessengerEXT)(XrDebugUtilsMessengerEXT messenger)
{
    if (!sim_handle_valid(messenger, SIM_HANDLE_DEBUG_MESSENGER))
        return sim_handle_reject(sim_fn_name(__func__), "messenger", (const void *)messenger,
                                 "XrDebugUtilsMessengerEXT");
    sim_debug_messenger *m = (sim_debug_messenger *)messenger;
    messenger_destroy(m->h.instance, m);
    return XR_SUCCESS;
}

SIM_FN(xrSubmitDebugUtilsMessageEXT)
(XrInstance instance, XrDebugUtilsMessageSeverityFlagsEXT messageSeverity,
 XrDebugUtilsMessageTypeFlagsEXT messageTypes, const XrDebugUtilsMessengerCallbackDataEXT *callbackData)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_debug_utils)
        return sim_reject(
            inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
            "XR_EXT_debug_utils is not enabled on this instance (spec fundamentals-extensions: an "
            "extension's functions need the extension enabled at xrCreateInstance)");
    const char *bad = !callbackData ? "callbackData is NULL"
                      : callbackData->type != XR_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT
                          ? "callbackData->type is not XR_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT"
                      : !callbackData->message ? "callbackData->message is NULL"
                      : messageSeverity == 0   ? "messageSeverity is 0"
                      : messageTypes == 0      ? "messageTypes is 0"
                                               : NULL;
    if (bad) {
        return sim_reject(inst, "xrSubmitDebugUtilsMessageEXT", XR_ERROR_VALIDATION_FAILURE,
                          "%s (valid usage of xrSubmitDebugUtilsMessageEXT and "
                          "XrDebugUtilsMessengerCallbackDataEXT)",
                          bad);
    }
    XrDebugUtilsMessengerCallbackDataEXT data = *callbackData;
    deliver(inst, messageSeverity, messageTypes, &data);
    return XR_SUCCESS;
}

SIM_FN(xrSetDebugUtilsObjectNameEXT)(XrInstance instance, const XrDebugUtilsObjectNameInfoEXT *nameInfo)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_debug_utils)
        return sim_reject(
            inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
            "XR_EXT_debug_utils is not enabled on this instance (spec fundamentals-extensions: an "
            "extension's functions need the extension enabled at xrCreateInstance)");
    const char *bad = !nameInfo ? "nameInfo is NULL"
                      : nameInfo->type != XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT
                          ? "nameInfo->type is not XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT"
                      : nameInfo->objectType == XR_OBJECT_TYPE_UNKNOWN
                          ? "nameInfo->objectType is XR_OBJECT_TYPE_UNKNOWN"
                      : nameInfo->objectHandle == 0 ? "nameInfo->objectHandle is 0"
                                                    : NULL;
    if (bad) {
        return sim_reject(inst, "xrSetDebugUtilsObjectNameEXT", XR_ERROR_VALIDATION_FAILURE,
                          "%s (valid usage of XrDebugUtilsObjectNameInfoEXT)", bad);
    }
    char *copy = NULL;
    if (nameInfo->objectName && nameInfo->objectName[0]) {
        copy = strdup(nameInfo->objectName);
        if (!copy) return XR_ERROR_OUT_OF_MEMORY;
    }
    pthread_mutex_lock(&inst->lock);
    sim_debug_state *d = inst->debug;
    sim_object_name **p = &d->names;
    while (*p && !((*p)->type == nameInfo->objectType && (*p)->handle == nameInfo->objectHandle))
        p = &(*p)->next;
    if (*p) {
        /* Renaming replaces; an empty or NULL name removes the name. */
        free((*p)->name);
        if (copy) {
            (*p)->name = copy;
        } else {
            sim_object_name *dead = *p;
            *p = dead->next;
            free(dead);
        }
    } else if (copy) {
        sim_object_name *n = calloc(1, sizeof(*n));
        if (!n) {
            pthread_mutex_unlock(&inst->lock);
            free(copy);
            return XR_ERROR_OUT_OF_MEMORY;
        }
        *n = (sim_object_name){
            .next = d->names, .type = nameInfo->objectType, .handle = nameInfo->objectHandle, .name = copy};
        d->names = n;
    }
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

XrResult sim_debug_label_push(sim_instance *inst, const char *name, bool insert)
{
    char *copy = strdup(name);
    if (!copy) return XR_ERROR_OUT_OF_MEMORY;
    pthread_mutex_lock(&inst->lock);
    sim_debug_state *d = inst->debug;
    if (d->insert_active) labels_pop(d);
    d->insert_active = false;
    if (d->label_count == SIM_MAX_LABELS) {
        /* Deeper regions are counted, not kept: the begin succeeds (XR_ERROR_LIMIT_REACHED is not among the
         * label functions' results) and its end still matches it; messages carry the newest labels kept. */
        if (!insert) d->label_overflow++;
        pthread_mutex_unlock(&inst->lock);
        free(copy);
        return XR_SUCCESS;
    }
    d->labels[d->label_count++] = copy;
    d->insert_active = insert;
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

bool sim_debug_label_end(sim_instance *inst)
{
    pthread_mutex_lock(&inst->lock);
    sim_debug_state *d = inst->debug;
    if (d->insert_active) labels_pop(d);
    d->insert_active = false;
    bool had = d->label_overflow > 0 || d->label_count > 0;
    if (d->label_overflow)
        d->label_overflow--;
    else
        labels_pop(d);
    pthread_mutex_unlock(&inst->lock);
    return had;
}

/* ---------------------------------------------------------------- instance */

bool sim_instance_is_1_1(const sim_instance *inst)
{
    return XR_VERSION_MAJOR(inst->api_version) == 1 && XR_VERSION_MINOR(inst->api_version) >= 1;
}

bool sim_instance_lost(sim_instance *inst)
{
    XrTime at = atomic_load(&inst->lost_at);
    return at != 0 && sim_now() >= at;
}

XrResult sim_instance_check_in(const char *fn, const char *expr, XrInstance instance, sim_instance **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid(instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(fn, expr, instance, "XrInstance");
    *out = (sim_instance *)instance;
    /* After an injected instance_loss (faults_apply.c) only xrDestroyInstance and xrPollEvent work. */
    return sim_instance_lost(*out) ? XR_ERROR_INSTANCE_LOST : XR_SUCCESS;
}

/* The one piece of process-wide state: a restart outlives the lost instance. Kept on CLOCK_MONOTONIC: the
 * next instance may have another XrTime epoch (PARALLAX_SIM_TIME_OFFSET=start). */
static pthread_mutex_t g_restart_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t g_restart_until_mono;

void sim_instance_restart_until(XrTime until)
{
    pthread_mutex_lock(&g_restart_lock);
    g_restart_until_mono = until - sim_time_offset();
    pthread_mutex_unlock(&g_restart_lock);
}

/* xrCreateInstance: XR_ERROR_RUNTIME_FAILURE while the runtime "restarts" after an instance loss. */
static XrResult create_instance_allowed(void)
{
    pthread_mutex_lock(&g_restart_lock);
    int64_t until = g_restart_until_mono;
    pthread_mutex_unlock(&g_restart_lock);
    int64_t now = sim_time_monotonic_ns();
    if (now >= until) return XR_SUCCESS;
    sim_log(SIM_LOG_WARN,
            "xrCreateInstance: the simulated runtime is restarting after an instance loss (%.0f ms left): "
            "XR_ERROR_RUNTIME_FAILURE",
            (double)(until - now) / 1e6);
    return XR_ERROR_RUNTIME_FAILURE;
}

static bool name_fits(const char *s, size_t cap)
{
    return memchr(s, '\0', cap) != NULL;
}

SIM_FN(xrCreateInstance)(const XrInstanceCreateInfo *createInfo, XrInstance *instance)
{
    SIM_REQUIRE_IN(NULL, createInfo, XR_TYPE_INSTANCE_CREATE_INFO, XrInstanceCreateInfo);
    SIM_REQUIRE_OUT(NULL, instance, "an XrInstance handle");
    if (createInfo->createFlags != 0)
        return sim_reject(NULL, "xrCreateInstance", XR_ERROR_VALIDATION_FAILURE,
                          "createInfo->createFlags is 0x%llx; no flags are defined "
                          "(VUID-XrInstanceCreateInfo-createFlags-zerobitmask: must be 0)",
                          (unsigned long long)createInfo->createFlags);
    const XrApplicationInfo *app = &createInfo->applicationInfo;
    if (!name_fits(app->applicationName, sizeof(app->applicationName)) || app->applicationName[0] == '\0')
        return sim_reject(NULL, "xrCreateInstance", XR_ERROR_NAME_INVALID,
                          "applicationInfo.applicationName is %s (spec XrApplicationInfo: a non-empty, "
                          "null-terminated UTF-8 string of at most XR_MAX_APPLICATION_NAME_SIZE bytes; "
                          "xrCreateInstance: otherwise XR_ERROR_NAME_INVALID)",
                          app->applicationName[0] == '\0' ? "empty" : "not null-terminated");
    if (!name_fits(app->engineName, sizeof(app->engineName)))
        return sim_reject(
            NULL, "xrCreateInstance", XR_ERROR_NAME_INVALID,
            "applicationInfo.engineName is not null-terminated within XR_MAX_ENGINE_NAME_SIZE bytes "
            "(spec XrApplicationInfo: a null-terminated UTF-8 string; xrCreateInstance: otherwise "
            "XR_ERROR_NAME_INVALID)");
    /* We implement 1.1 and everything 1.0 had: 1.0.x and 1.1.x are both fine, whatever x (a patch version
     * changes no interface and no required behaviour, spec "API Version Numbers and Semantics"); what the
     * application asked for decides what 1.1 brings (xrLocateSpaces, LOCAL_FLOOR, the 1.1 profiles). */
    if (XR_VERSION_MAJOR(app->apiVersion) != 1 || XR_VERSION_MINOR(app->apiVersion) > 1) {
        sim_log(SIM_LOG_ERROR,
                "xrCreateInstance: API version %u.%u.%u requested, this runtime implements 1.0 and 1.1 "
                "(XR_API_VERSION_1_0 or XR_API_VERSION_1_1): XR_ERROR_API_VERSION_UNSUPPORTED",
                XR_VERSION_MAJOR(app->apiVersion), XR_VERSION_MINOR(app->apiVersion),
                XR_VERSION_PATCH(app->apiVersion));
        return XR_ERROR_API_VERSION_UNSUPPORTED;
    }
    if (createInfo->enabledExtensionCount && !createInfo->enabledExtensionNames)
        return sim_reject(
            NULL, "xrCreateInstance", XR_ERROR_VALIDATION_FAILURE,
            "createInfo->enabledExtensionNames is NULL while enabledExtensionCount is %u "
            "(VUID-XrInstanceCreateInfo-enabledExtensionNames-parameter: a pointer to an array of "
            "enabledExtensionCount null-terminated strings)",
            createInfo->enabledExtensionCount);
    bool ext[SUPPORTED_EXTENSION_COUNT + 1] = {0}; /* + the spare slot of ext_index */
    for (uint32_t i = 0; i < createInfo->enabledExtensionCount; i++) {
        const char *name = createInfo->enabledExtensionNames[i];
        if (!name)
            return sim_reject(NULL, "xrCreateInstance", XR_ERROR_VALIDATION_FAILURE,
                              "createInfo->enabledExtensionNames[%u] is NULL "
                              "(VUID-XrInstanceCreateInfo-enabledExtensionNames-parameter: each must be a "
                              "null-terminated UTF-8 string)",
                              i);
        bool found = false;
        for (uint32_t k = 0; k < SUPPORTED_EXTENSION_COUNT && !found; k++)
            if (strcmp(name, supported_extensions[k].extensionName) == 0) ext[k] = found = true;
        /* A hidden extension is one this runtime does not have. */
        if (found && sim_config_extension_hidden(name)) found = false;
        if (!found) {
            return sim_reject(NULL, "xrCreateInstance", XR_ERROR_EXTENSION_NOT_PRESENT,
                              "extension %.128s is not offered by this runtime (spec xrCreateInstance: an "
                              "extension xrEnumerateInstanceExtensionProperties does not list is "
                              "XR_ERROR_EXTENSION_NOT_PRESENT)",
                              name);
        }
    }
    /* API layers are the loader's business: by the time the runtime is called they have been resolved. */

    const XrDebugUtilsMessengerCreateInfoEXT *chain_messenger = NULL;
    for (const XrBaseInStructure *n = createInfo->next; n; n = n->next)
        if (n->type == XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT)
            chain_messenger = (const XrDebugUtilsMessengerCreateInfoEXT *)n;
    /* A messenger chained without enabling XR_EXT_debug_utils belongs to an extension the app did not ask
     * for: ignore it, as for any unknown structure in a next chain. */
    if (!ext[ext_index(XR_EXT_DEBUG_UTILS_EXTENSION_NAME)]) chain_messenger = NULL;
    const char *bad_chain = chain_messenger ? messenger_info_problem(chain_messenger) : NULL;
    if (bad_chain) {
        return sim_reject(NULL, "xrCreateInstance", XR_ERROR_VALIDATION_FAILURE,
                          "the XrDebugUtilsMessengerCreateInfoEXT in next: %s (valid usage of "
                          "XrDebugUtilsMessengerCreateInfoEXT)",
                          bad_chain);
    }
    /* Shortly after an injected instance_loss the runtime is still "restarting" (faults_apply.c). */
    XrResult restarting = create_instance_allowed();
    if (restarting != XR_SUCCESS) return restarting;

    sim_instance *inst = calloc(1, sizeof(*inst));
    sim_debug_state *debug = calloc(1, sizeof(*debug));
    if (!inst || !debug) {
        free(inst);
        free(debug);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    if (!sim_config_load(&inst->cfg) || !hidden_extensions_known(&inst->cfg)) {
        free(inst);
        free(debug);
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    /* The XrTime epoch (PARALLAX_SIM_TIME_OFFSET), from here on: "start" counts from 1 s at each new
     * instance, as a runtime whose clock starts with its process would after a restart. */
    sim_time_set_offset(inst->cfg.time_offset_start ? 1000000000ll - sim_time_monotonic_ns()
                                                    : inst->cfg.time_offset_ns);
    sim_handle_set_values(inst->cfg.handle_values);
    inst->debug = debug;
    pthread_cond_init(&debug->released, NULL);
    if (chain_messenger) {
        debug->create_messenger = (sim_debug_messenger){.severities = chain_messenger->messageSeverities,
                                                        .types = chain_messenger->messageTypes,
                                                        .callback = chain_messenger->userCallback,
                                                        .user_data = chain_messenger->userData};
        debug->create_messenger_active = true;
    }
    inst->info_copy = *createInfo;
    inst->info_copy.next = NULL;
    inst->info_copy.enabledApiLayerNames = NULL;
    inst->info_copy.enabledExtensionNames = NULL;
    memcpy(inst->app_name, app->applicationName, sizeof(inst->app_name));
    inst->api_version = app->apiVersion;
    inst->ext_vulkan_enable = ext[ext_index(XR_KHR_VULKAN_ENABLE_EXTENSION_NAME)];
    inst->ext_vulkan_enable2 = ext[ext_index(XR_KHR_VULKAN_ENABLE2_EXTENSION_NAME)];
    inst->ext_depth = ext[ext_index(XR_KHR_COMPOSITION_LAYER_DEPTH_EXTENSION_NAME)];
    inst->ext_timespec = ext[ext_index(XR_KHR_CONVERT_TIMESPEC_TIME_EXTENSION_NAME)];
    inst->ext_debug_utils = ext[ext_index(XR_EXT_DEBUG_UTILS_EXTENSION_NAME)];
    inst->ext_locate_spaces = ext[ext_index(XR_KHR_LOCATE_SPACES_EXTENSION_NAME)];
    inst->ext_local_floor = ext[ext_index(XR_EXT_LOCAL_FLOOR_EXTENSION_NAME)];
    inst->ext_palm_pose = ext[ext_index(XR_EXT_PALM_POSE_EXTENSION_NAME)];
    inst->ext_hand_tracking = ext[ext_index(XR_EXT_HAND_TRACKING_EXTENSION_NAME)];
    inst->ext_hand_interaction = ext[ext_index(XR_EXT_HAND_INTERACTION_EXTENSION_NAME)];
    inst->ext_visibility_mask = ext[ext_index(XR_KHR_VISIBILITY_MASK_EXTENSION_NAME)];
    inst->ext_user_presence = ext[ext_index(XR_EXT_USER_PRESENCE_EXTENSION_NAME)];
    inst->ext_performance_metrics = ext[ext_index(XR_META_PERFORMANCE_METRICS_EXTENSION_NAME)];
    inst->ext_cylinder = ext[ext_index(XR_KHR_COMPOSITION_LAYER_CYLINDER_EXTENSION_NAME)];
    inst->ext_equirect2 = ext[ext_index(XR_KHR_COMPOSITION_LAYER_EQUIRECT2_EXTENSION_NAME)];
    pthread_mutex_init(&inst->lock, NULL);
    pthread_cond_init(&inst->session_released, NULL);
    inst->created_at = sim_now();
    sim_handle_register(inst, SIM_HANDLE_INSTANCE, inst);
    sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT, "xrCreateInstance",
                      "instance created for \"%s\" (%u Hz, eyes %ux%u, motion %s)", inst->app_name,
                      (unsigned)inst->cfg.refresh_hz, inst->cfg.eye_width, inst->cfg.eye_height,
                      inst->cfg.motion);
    /* The create-info messenger only covers xrCreateInstance and xrDestroyInstance. */
    debug->create_messenger_active = false;
    *instance = (XrInstance)inst;
    return XR_SUCCESS;
}

void sim_instance_begin_destroy(sim_instance *inst)
{
    if (inst->debug->create_messenger.callback) inst->debug->create_messenger_active = true;
    sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT, "xrDestroyInstance",
                      "destroying instance");
}

void sim_instance_free(sim_instance *inst)
{
    while (inst->messengers) messenger_destroy(inst, inst->messengers);
    sim_handle_unregister(inst);
    debug_state_free(inst->debug);
    sim_events_free(inst);
    for (uint32_t i = 0; i < inst->path_count; i++) free(inst->paths[i]);
    pthread_cond_destroy(&inst->session_released);
    pthread_mutex_destroy(&inst->lock);
    free(inst);
}

SIM_FN(xrGetInstanceProperties)(XrInstance instance, XrInstanceProperties *instanceProperties)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(inst, instanceProperties, XR_TYPE_INSTANCE_PROPERTIES, XrInstanceProperties);
    instanceProperties->runtimeVersion = SIM_RUNTIME_VERSION;
    snprintf(instanceProperties->runtimeName, sizeof(instanceProperties->runtimeName), "%s",
             SIM_RUNTIME_NAME);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- events */

/* Events of these types carry the session right after type/next. */
static bool event_has_session(XrStructureType t)
{
    return t == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED ||
           t == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED ||
           t == XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING ||
           t == XR_TYPE_EVENT_DATA_VISIBILITY_MASK_CHANGED_KHR ||
           t == XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT;
}

static XrSession event_session(const XrEventDataBuffer *e)
{
    return event_has_session(e->type) ? ((const XrEventDataSessionStateChanged *)e)->session : XR_NULL_HANDLE;
}

/* Whether newer says all that older said (the same kind of event about the same thing): a newer presence or
 * interaction profile event carries the current state, a newer mask event of the same view asks again. */
static bool event_supersedes(const XrEventDataBuffer *newer, const XrEventDataBuffer *older)
{
    if (newer->type != older->type || event_session(newer) != event_session(older)) return false;
    if (older->type == XR_TYPE_EVENT_DATA_VISIBILITY_MASK_CHANGED_KHR) {
        const XrEventDataVisibilityMaskChangedKHR *a = (const void *)newer, *b = (const void *)older;
        return a->viewConfigurationType == b->viewConfigurationType && a->viewIndex == b->viewIndex;
    }
    return true;
}

/* Never dropped: an app that misses a session state (READY, STOPPING, EXITING...) or the instance loss cannot
 * find it out any other way. */
static bool event_critical(XrStructureType t)
{
    return t == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED || t == XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING;
}

/* Index of the queued event to drop for the droppable event incoming when the queue is full, or -1 when every
 * queued event is critical or a marker: the oldest one that incoming or a newer queued event supersedes, else
 * the oldest droppable. */
static int event_victim(const sim_instance *inst, const XrEventDataBuffer *incoming)
{
    int oldest = -1;
    for (int i = 0; i < inst->event_count; i++) {
        const XrEventDataBuffer *e = &inst->events[i];
        if (event_critical(e->type) || e->type == XR_TYPE_EVENT_DATA_EVENTS_LOST) continue;
        if (oldest < 0) oldest = i;
        if (event_supersedes(incoming, e)) return i;
        for (int j = i + 1; j < inst->event_count; j++)
            if (event_supersedes(&inst->events[j], e)) return i;
    }
    return oldest;
}

static void lost_marker(XrEventDataBuffer *slot, uint32_t count)
{
    XrEventDataEventsLost lost = {.type = XR_TYPE_EVENT_DATA_EVENTS_LOST, .lostEventCount = count};
    memset(slot, 0, sizeof(*slot));
    memcpy(slot, &lost, sizeof(lost));
}

static uint32_t *lost_count(XrEventDataBuffer *e)
{
    return &((XrEventDataEventsLost *)e)->lostEventCount;
}

/* Replaces events[i] with a lost marker, merged into a marker right before or after it. */
static void event_drop(sim_instance *inst, int i)
{
    XrEventDataBuffer *ev = inst->events;
    if (i > 0 && ev[i - 1].type == XR_TYPE_EVENT_DATA_EVENTS_LOST) {
        (*lost_count(&ev[i - 1]))++;
    } else if (i + 1 < inst->event_count && ev[i + 1].type == XR_TYPE_EVENT_DATA_EVENTS_LOST) {
        (*lost_count(&ev[i + 1]))++;
    } else {
        lost_marker(&ev[i], 1);
        return;
    }
    memmove(&ev[i], &ev[i + 1], (size_t)(inst->event_count - i - 1) * sizeof(ev[0]));
    inst->event_count--;
}

static bool event_reserve(sim_instance *inst, int n)
{
    if (n <= inst->event_capacity) return true;
    int cap = inst->event_capacity ? inst->event_capacity * 2 : SIM_MAX_EVENTS;
    while (cap < n) cap *= 2;
    XrEventDataBuffer *grown = realloc(inst->events, (size_t)cap * sizeof(*grown));
    if (!grown) return false;
    inst->events = grown;
    inst->event_capacity = cap;
    return true;
}

void sim_event_push(sim_instance *inst, const void *event, size_t size)
{
    if (size > sizeof(XrEventDataBuffer)) size = sizeof(XrEventDataBuffer);
    XrEventDataBuffer copy;
    memset(&copy, 0, sizeof(copy));
    memcpy(&copy, event, size);
    copy.next = NULL;
    pthread_mutex_lock(&inst->lock);
    /* Full: a critical event is queued beyond the limit; a droppable one takes the place of an older one that
     * says less, or is itself the one lost when only critical events are queued. */
    if (inst->event_count >= SIM_MAX_EVENTS && !event_critical(copy.type)) {
        int victim = event_victim(inst, &copy);
        if (victim >= 0) {
            event_drop(inst, victim);
        } else {
            XrEventDataBuffer *last = &inst->events[inst->event_count - 1];
            sim_log(SIM_LOG_DEBUG,
                    "xrPollEvent queue full (%d events, all kept): an event of type %d was lost",
                    inst->event_count, (int)copy.type);
            if (last->type == XR_TYPE_EVENT_DATA_EVENTS_LOST) {
                (*lost_count(last))++;
                pthread_mutex_unlock(&inst->lock);
                return;
            }
            lost_marker(&copy, 1);
        }
    }
    if (!event_reserve(inst, inst->event_count + 1)) {
        pthread_mutex_unlock(&inst->lock);
        sim_log(SIM_LOG_ERROR, "event queue: out of memory, event of type %d lost", (int)copy.type);
        return;
    }
    inst->events[inst->event_count++] = copy;
    pthread_mutex_unlock(&inst->lock);
}

void sim_events_purge_session(sim_instance *inst, XrSession session)
{
    pthread_mutex_lock(&inst->lock);
    int n = 0;
    for (int i = 0; i < inst->event_count; i++) {
        if (event_session(&inst->events[i]) == session) continue;
        inst->events[n++] = inst->events[i];
    }
    inst->event_count = n;
    pthread_mutex_unlock(&inst->lock);
}

XrResult sim_event_pop(sim_instance *inst, XrEventDataBuffer *out)
{
    pthread_mutex_lock(&inst->lock);
    if (inst->event_count == 0) {
        pthread_mutex_unlock(&inst->lock);
        return XR_EVENT_UNAVAILABLE;
    }
    *out = inst->events[0];
    memmove(&inst->events[0], &inst->events[1], (size_t)(inst->event_count - 1) * sizeof(inst->events[0]));
    inst->event_count--;
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

void sim_events_free(sim_instance *inst)
{
    free(inst->events);
    inst->events = NULL;
    inst->event_count = inst->event_capacity = 0;
}

/* ---------------------------------------------------------------- strings */

SIM_FN(xrResultToString)(XrInstance instance, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE])
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_OUT(inst, buffer, "a character array of XR_MAX_RESULT_STRING_SIZE");
    const char *name = NULL;
    switch (value) {
#define SIM_RESULT_CASE(n, v) \
    case n:                   \
        name = #n;            \
        break;
        XR_LIST_ENUM_XrResult(SIM_RESULT_CASE)
#undef SIM_RESULT_CASE
            default : break;
    }
    /* The spec's form for values this header does not know. */
    if (name)
        snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "%s", name);
    else
        snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "XR_UNKNOWN_%s_%d",
                 XR_SUCCEEDED(value) ? "SUCCESS" : "FAILURE", (int)value);
    return XR_SUCCESS;
}

SIM_FN(xrStructureTypeToString)
(XrInstance instance, XrStructureType value, char buffer[XR_MAX_STRUCTURE_NAME_SIZE])
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_OUT(inst, buffer, "a character array of XR_MAX_STRUCTURE_NAME_SIZE");
    const char *name = NULL;
    switch (value) {
#define SIM_STRUCT_CASE(n, v) \
    case n:                   \
        name = #n;            \
        break;
        XR_LIST_ENUM_XrStructureType(SIM_STRUCT_CASE)
#undef SIM_STRUCT_CASE
            default : break;
    }
    if (name) {
        /* A few vendor structure names of the 1.1 headers are longer than the buffer the API gives (64 bytes
         * with the NUL); they are cut, as any runtime must. */
        size_t n = strlen(name);
        if (n >= XR_MAX_STRUCTURE_NAME_SIZE) n = XR_MAX_STRUCTURE_NAME_SIZE - 1;
        memcpy(buffer, name, n);
        buffer[n] = '\0';
    } else
        snprintf(buffer, XR_MAX_STRUCTURE_NAME_SIZE, "XR_UNKNOWN_STRUCTURE_TYPE_%d", (int)value);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- system */

SIM_FN(xrGetSystem)(XrInstance instance, const XrSystemGetInfo *getInfo, XrSystemId *systemId)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(inst, getInfo, XR_TYPE_SYSTEM_GET_INFO, XrSystemGetInfo);
    SIM_REQUIRE_OUT(inst, systemId, "an XrSystemId value");
    /* The one system is a head-mounted display. Every other form factor is UNSUPPORTED ("formatted correctly
     * but cannot be used for the lifetime of this function's parent handle"), a value this runtime does not
     * know included: it may come from a newer specification or an extension, and the conformance suite asks
     * for UNSUPPORTED with XR_FORM_FACTOR_MAX_ENUM. */
    if (getInfo->formFactor != XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY) {
        sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT, "xrGetSystem",
                          "formFactor %d is not supported: the simulated headset is only "
                          "XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY (1)",
                          (int)getInfo->formFactor);
        return XR_ERROR_FORM_FACTOR_UNSUPPORTED;
    }
    /* PARALLAX_SIM_CONNECT_DELAY_MS: the headset is "plugged in" that long after xrCreateInstance. Until then
     * the form factor is supported but temporarily unavailable; a later call succeeds. */
    XrTime connected_at = inst->created_at + (XrTime)(inst->cfg.connect_delay_ms * 1e6);
    XrTime now = sim_now();
    if (now < connected_at) {
        sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT, "xrGetSystem",
                          "the head-mounted display is not connected yet (PARALLAX_SIM_CONNECT_DELAY_MS): "
                          "available in %.0f ms",
                          (double)(connected_at - now) / 1e6);
        return XR_ERROR_FORM_FACTOR_UNAVAILABLE;
    }
    pthread_mutex_lock(&inst->lock);
    inst->system_queried = true;
    pthread_mutex_unlock(&inst->lock);
    *systemId = SIM_SYSTEM_ID;
    return XR_SUCCESS;
}

SIM_FN(xrGetSystemProperties)(XrInstance instance, XrSystemId systemId, XrSystemProperties *properties)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (systemId != SIM_SYSTEM_ID)
        return sim_reject(inst, sim_fn_name(__func__), XR_ERROR_SYSTEM_INVALID,
                          "systemId %llu is not the system xrGetSystem returned (%llu) (spec xrGetSystem: an "
                          "XrSystemId this instance did not return is XR_ERROR_SYSTEM_INVALID)",
                          (unsigned long long)systemId, (unsigned long long)SIM_SYSTEM_ID);
    SIM_REQUIRE_IN(inst, properties, XR_TYPE_SYSTEM_PROPERTIES, XrSystemProperties);
    properties->systemId = SIM_SYSTEM_ID;
    properties->vendorId = 0x504C58; /* "PLX" */
    snprintf(properties->systemName, sizeof(properties->systemName), "%s", SIM_RUNTIME_NAME);
    properties->graphicsProperties.maxSwapchainImageWidth = 4096;
    properties->graphicsProperties.maxSwapchainImageHeight = 4096;
    properties->graphicsProperties.maxLayerCount = SIM_MAX_LAYERS;
    properties->trackingProperties.orientationTracking = XR_TRUE;
    properties->trackingProperties.positionTracking = XR_TRUE;
    for (XrBaseOutStructure *n = properties->next; n; n = n->next)
        if (n->type == XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT && inst->ext_hand_tracking)
            ((XrSystemHandTrackingPropertiesEXT *)n)->supportsHandTracking = XR_TRUE;
        else if (n->type == XR_TYPE_SYSTEM_USER_PRESENCE_PROPERTIES_EXT && inst->ext_user_presence)
            ((XrSystemUserPresencePropertiesEXT *)n)->supportsUserPresence =
                inst->cfg.user_presence != SIM_USER_PRESENCE_NONE ? XR_TRUE : XR_FALSE;
    return XR_SUCCESS;
}

SIM_FN(xrEnumerateEnvironmentBlendModes)
(XrInstance instance, XrSystemId systemId, XrViewConfigurationType viewConfigurationType,
 uint32_t environmentBlendModeCapacityInput, uint32_t *environmentBlendModeCountOutput,
 XrEnvironmentBlendMode *environmentBlendModes)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (systemId != SIM_SYSTEM_ID)
        return sim_reject(inst, sim_fn_name(__func__), XR_ERROR_SYSTEM_INVALID,
                          "systemId %llu is not the system xrGetSystem returned (%llu) (spec xrGetSystem: an "
                          "XrSystemId this instance did not return is XR_ERROR_SYSTEM_INVALID)",
                          (unsigned long long)systemId, (unsigned long long)SIM_SYSTEM_ID);
    if (viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return sim_reject(inst, "xrEnumerateEnvironmentBlendModes",
                          XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED,
                          "viewConfigurationType %d is not one xrEnumerateViewConfigurations lists (only "
                          "XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) (spec "
                          "xrEnumerateEnvironmentBlendModes: XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED)",
                          (int)viewConfigurationType);
    /* PARALLAX_SIM_BLEND_MODES, most preferred first (OPAQUE alone by default: a VR headset). */
    const sim_config *cfg = &inst->cfg;
    r = sim_two_call(environmentBlendModeCapacityInput, environmentBlendModeCountOutput,
                     environmentBlendModes, cfg->blend_mode_count);
    for (uint32_t i = 0; r == XR_SUCCESS && i < cfg->blend_mode_count && environmentBlendModeCapacityInput;
         i++)
        environmentBlendModes[i] = (XrEnvironmentBlendMode)cfg->blend_modes[i];
    return r;
}

/* ---------------------------------------------------------------- paths */

/* Spec "well-formed path": starts with '/', segments of [a-z0-9-_.] that are not all periods, separated by
 * single slashes, no trailing slash, shorter than XR_MAX_PATH_LENGTH. */
static bool path_well_formed(const char *s)
{
    size_t len = strnlen(s, XR_MAX_PATH_LENGTH);
    if (len == 0 || len >= XR_MAX_PATH_LENGTH || s[0] != '/' || s[len - 1] == '/') return false;
    bool seg_all_dots = true;
    size_t seg_len = 0;
    for (size_t i = 1; i <= len; i++) {
        char c = s[i];
        if (c == '/' || c == '\0') {
            if (seg_len == 0 || seg_all_dots) return false;
            seg_len = 0;
            seg_all_dots = true;
            continue;
        }
        bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
        if (!ok) return false;
        if (c != '.') seg_all_dots = false;
        seg_len++;
    }
    return true;
}

/* The path tables of all instances share one lock of their own, so code holding inst->lock (e.g. while
 * resolving bindings) can still turn paths into strings. Paths are interned rarely; contention is nil. */
static pthread_mutex_t path_lock = PTHREAD_MUTEX_INITIALIZER;

/* Interns str (already validated). Caller holds path_lock. */
static XrResult path_intern_locked(sim_instance *inst, const char *str, XrPath *out)
{
    for (uint32_t i = 0; i < inst->path_count; i++)
        if (strcmp(inst->paths[i], str) == 0) {
            *out = (XrPath)i + 1;
            return XR_SUCCESS;
        }
    if (inst->path_count == SIM_MAX_PATHS)
        return sim_reject(inst, "xrStringToPath", XR_ERROR_PATH_COUNT_EXCEEDED,
                          "the instance holds %d paths already, this runtime's limit (spec xrStringToPath: "
                          "XR_ERROR_PATH_COUNT_EXCEEDED when the runtime cannot hold another path)",
                          SIM_MAX_PATHS);
    char *copy = strdup(str);
    if (!copy) return XR_ERROR_OUT_OF_MEMORY;
    inst->paths[inst->path_count++] = copy;
    *out = inst->path_count;
    return XR_SUCCESS;
}

XrPath sim_path_get(sim_instance *inst, const char *str)
{
    if (!str || !path_well_formed(str)) return XR_NULL_PATH;
    XrPath p = XR_NULL_PATH;
    pthread_mutex_lock(&path_lock);
    if (XR_FAILED(path_intern_locked(inst, str, &p))) p = XR_NULL_PATH;
    pthread_mutex_unlock(&path_lock);
    return p;
}

const char *sim_path_string(sim_instance *inst, XrPath p)
{
    /* Interned strings are never freed before the instance, so the pointer stays valid without the lock. */
    pthread_mutex_lock(&path_lock);
    const char *s = (p >= 1 && p <= inst->path_count) ? inst->paths[p - 1] : NULL;
    pthread_mutex_unlock(&path_lock);
    return s;
}

SIM_FN(xrStringToPath)(XrInstance instance, const char *pathString, XrPath *path)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_OUT(inst, pathString, "a null-terminated UTF-8 string");
    SIM_REQUIRE_OUT(inst, path, "an XrPath value");
    if (!path_well_formed(pathString))
        return sim_reject(
            inst, "xrStringToPath", XR_ERROR_PATH_FORMAT_INVALID,
            "\"%.200s\" is not a well-formed path: it must start with '/', have segments of "
            "a-z 0-9 - _ . that are not all periods, no empty segment or trailing '/', and fewer than "
            "XR_MAX_PATH_LENGTH characters (xrspec.html#well-formed-path-strings)",
            pathString);
    pthread_mutex_lock(&path_lock);
    r = path_intern_locked(inst, pathString, path);
    pthread_mutex_unlock(&path_lock);
    return r;
}

SIM_FN(xrPathToString)
(XrInstance instance, XrPath path, uint32_t bufferCapacityInput, uint32_t *bufferCountOutput, char *buffer)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    const char *s = sim_path_string(inst, path);
    if (!s)
        return sim_reject(
            inst, "xrPathToString", XR_ERROR_PATH_INVALID,
            "path %llu was not returned by xrStringToPath on this instance (spec xrPathToString: "
            "XR_ERROR_PATH_INVALID)",
            (unsigned long long)path);
    uint32_t n = (uint32_t)strlen(s) + 1;
    r = sim_two_call(bufferCapacityInput, bufferCountOutput, buffer, n);
    if (r == XR_SUCCESS && bufferCapacityInput) memcpy(buffer, s, n);
    return r;
}

/* ---------------------------------------------------------------- XR_KHR_convert_timespec_time */

/* The display clock (device/clock.c) holds the one conversion between XrTime and CLOCK_MONOTONIC. */
SIM_FN(xrConvertTimespecTimeToTimeKHR)(XrInstance instance, const struct timespec *timespecTime, XrTime *time)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_timespec)
        return sim_reject(inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
                          "XR_KHR_convert_timespec_time is not enabled on this instance (spec "
                          "fundamentals-extensions: an extension's functions need the extension enabled at "
                          "xrCreateInstance)");
    SIM_REQUIRE_OUT(inst, timespecTime, "a valid timespec structure");
    SIM_REQUIRE_OUT(inst, time, "an XrTime value");
    if (!sim_time_from_timespec(timespecTime, time))
        return sim_reject(inst, "xrConvertTimespecTimeToTimeKHR", XR_ERROR_TIME_INVALID,
                          "timespecTime {%lld s, %ld ns} is no XrTime: it would be 0 or less, or is not a "
                          "CLOCK_MONOTONIC time (spec xrConvertTimespecTimeToTimeKHR: XR_ERROR_TIME_INVALID)",
                          (long long)timespecTime->tv_sec, (long)timespecTime->tv_nsec);
    return XR_SUCCESS;
}

SIM_FN(xrConvertTimeToTimespecTimeKHR)(XrInstance instance, XrTime time, struct timespec *timespecTime)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_timespec)
        return sim_reject(inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
                          "XR_KHR_convert_timespec_time is not enabled on this instance (spec "
                          "fundamentals-extensions: an extension's functions need the extension enabled at "
                          "xrCreateInstance)");
    SIM_REQUIRE_OUT(inst, timespecTime, "a timespec structure");
    /* Not an XrTime, or before CLOCK_MONOTONIC's 0 (which a timespec of that clock cannot name). */
    if (time <= 0 || time - sim_time_offset() < 0)
        return sim_reject(inst, "xrConvertTimeToTimespecTimeKHR", XR_ERROR_TIME_INVALID,
                          "time %lld is %s (spec xrConvertTimeToTimespecTimeKHR: XR_ERROR_TIME_INVALID)",
                          (long long)time,
                          time <= 0 ? "not an XrTime (0 or less)" : "before CLOCK_MONOTONIC's 0");
    *timespecTime = sim_time_to_timespec(time);
    return XR_SUCCESS;
}
