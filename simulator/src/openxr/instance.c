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
};
#define SUPPORTED_EXTENSION_COUNT ((uint32_t)(sizeof(supported_extensions) / sizeof(supported_extensions[0])))

SIM_FN(xrEnumerateApiLayerProperties)
(uint32_t propertyCapacityInput, uint32_t *propertyCountOutput, XrApiLayerProperties *properties)
{
    /* A runtime provides no API layers; the loader lists the installed ones itself. */
    return sim_two_call(propertyCapacityInput, propertyCountOutput, properties, 0);
}

SIM_FN(xrEnumerateInstanceExtensionProperties)
(const char *layerName, uint32_t propertyCapacityInput, uint32_t *propertyCountOutput,
 XrExtensionProperties *properties)
{
    if (layerName && layerName[0]) return XR_ERROR_API_LAYER_NOT_PRESENT;
    XrResult r =
        sim_two_call(propertyCapacityInput, propertyCountOutput, properties, SUPPORTED_EXTENSION_COUNT);
    if (r != XR_SUCCESS || propertyCapacityInput == 0) return r;
    for (uint32_t i = 0; i < SUPPORTED_EXTENSION_COUNT; i++)
        if (properties[i].type != XR_TYPE_EXTENSION_PROPERTIES) return XR_ERROR_VALIDATION_FAILURE;
    for (uint32_t i = 0; i < SUPPORTED_EXTENSION_COUNT; i++) {
        memcpy(properties[i].extensionName, supported_extensions[i].extensionName,
               XR_MAX_EXTENSION_NAME_SIZE);
        properties[i].extensionVersion = supported_extensions[i].extensionVersion;
    }
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- debug utils state */

typedef struct sim_debug_messenger {
    sim_handle h;
    struct sim_debug_messenger *next;
    XrDebugUtilsMessageSeverityFlagsEXT severities;
    XrDebugUtilsMessageTypeFlagsEXT types;
    PFN_xrDebugUtilsMessengerCallbackEXT callback;
    void *user_data;
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
    bool insert_active;
    /* Messenger from XrInstanceCreateInfo::next: reports during xrCreateInstance and xrDestroyInstance. */
    sim_debug_messenger create_messenger;
    bool create_messenger_active;
} sim_debug_state;

static int severity_to_log(XrDebugUtilsMessageSeverityFlagsEXT sev)
{
    if (sev & XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT) return SIM_LOG_ERROR;
    if (sev & XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT) return SIM_LOG_WARN;
    if (sev & XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT) return SIM_LOG_INFO;
    return SIM_LOG_DEBUG;
}

typedef struct messenger_call {
    PFN_xrDebugUtilsMessengerCallbackEXT callback;
    void *user_data;
} messenger_call;

/* Calls every messenger interested in (sev, types) with the given callback data. Callbacks run without the
 * instance lock held: an application may call back into the runtime from its callback. */
static void deliver(sim_instance *inst, XrDebugUtilsMessageSeverityFlagsEXT sev,
                    XrDebugUtilsMessageTypeFlagsEXT types,
                    const XrDebugUtilsMessengerCallbackDataEXT *in_data)
{
    XrDebugUtilsMessengerCallbackDataEXT data_copy = *in_data, *data = &data_copy;
    messenger_call calls[16];
    int n = 0;
    char label_text[8][128];
    XrDebugUtilsLabelEXT labels[8];
    pthread_mutex_lock(&inst->lock);
    for (sim_debug_messenger *m = inst->messengers; m && n < 16; m = m->next)
        if ((m->severities & sev) && (m->types & types))
            calls[n++] = (messenger_call){m->callback, m->user_data};
    sim_debug_state *d = inst->debug;
    if (d && d->create_messenger_active && (d->create_messenger.severities & sev) &&
        (d->create_messenger.types & types) && n < 16)
        calls[n++] = (messenger_call){d->create_messenger.callback, d->create_messenger.user_data};
    /* The newest labels first, as the extension orders sessionLabels. */
    uint32_t nl = 0;
    if (d && data->sessionLabelCount == 0) {
        for (uint32_t i = d->label_count; i > 0 && nl < 8; i--, nl++) {
            snprintf(label_text[nl], sizeof(label_text[nl]), "%s", d->labels[i - 1]);
            labels[nl] =
                (XrDebugUtilsLabelEXT){.type = XR_TYPE_DEBUG_UTILS_LABEL_EXT, .labelName = label_text[nl]};
        }
    }
    pthread_mutex_unlock(&inst->lock);
    if (nl) {
        data->sessionLabelCount = nl;
        data->sessionLabels = labels;
    }
    for (int i = 0; i < n; i++) calls[i].callback(sev, types, data, calls[i].user_data);
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
    free(d);
}

static bool check_messenger_info(const XrDebugUtilsMessengerCreateInfoEXT *ci)
{
    const XrDebugUtilsMessageSeverityFlagsEXT all_sev =
        XR_DEBUG_UTILS_MESSAGE_SEVERITY_VERBOSE_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_INFO_BIT_EXT |
        XR_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
    const XrDebugUtilsMessageTypeFlagsEXT all_types =
        XR_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
        XR_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT | XR_DEBUG_UTILS_MESSAGE_TYPE_CONFORMANCE_BIT_EXT;
    return ci->type == XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT && ci->userCallback &&
           ci->messageSeverities != 0 && (ci->messageSeverities & ~all_sev) == 0 && ci->messageTypes != 0 &&
           (ci->messageTypes & ~all_types) == 0;
}

SIM_FN(xrCreateDebugUtilsMessengerEXT)
(XrInstance instance, const XrDebugUtilsMessengerCreateInfoEXT *createInfo,
 XrDebugUtilsMessengerEXT *messenger)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_debug_utils) return XR_ERROR_FUNCTION_UNSUPPORTED;
    if (!createInfo || !messenger || !check_messenger_info(createInfo)) return XR_ERROR_VALIDATION_FAILURE;
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

static void messenger_destroy(sim_instance *inst, sim_debug_messenger *m)
{
    pthread_mutex_lock(&inst->lock);
    for (sim_debug_messenger **p = &inst->messengers; *p; p = &(*p)->next)
        if (*p == m) {
            *p = m->next;
            break;
        }
    pthread_mutex_unlock(&inst->lock);
    sim_handle_unregister(m);
    free(m);
}

SIM_FN(xrDestroyDebugUtilsMessengerEXT)(XrDebugUtilsMessengerEXT messenger)
{
    if (!sim_handle_valid(messenger, SIM_HANDLE_DEBUG_MESSENGER)) return XR_ERROR_HANDLE_INVALID;
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
    if (!inst->ext_debug_utils) return XR_ERROR_FUNCTION_UNSUPPORTED;
    if (!callbackData || callbackData->type != XR_TYPE_DEBUG_UTILS_MESSENGER_CALLBACK_DATA_EXT ||
        !callbackData->message || messageSeverity == 0 || messageTypes == 0)
        return XR_ERROR_VALIDATION_FAILURE;
    XrDebugUtilsMessengerCallbackDataEXT data = *callbackData;
    deliver(inst, messageSeverity, messageTypes, &data);
    return XR_SUCCESS;
}

SIM_FN(xrSetDebugUtilsObjectNameEXT)(XrInstance instance, const XrDebugUtilsObjectNameInfoEXT *nameInfo)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_debug_utils) return XR_ERROR_FUNCTION_UNSUPPORTED;
    if (!nameInfo || nameInfo->type != XR_TYPE_DEBUG_UTILS_OBJECT_NAME_INFO_EXT ||
        nameInfo->objectType == XR_OBJECT_TYPE_UNKNOWN || nameInfo->objectHandle == 0)
        return XR_ERROR_VALIDATION_FAILURE;
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
        pthread_mutex_unlock(&inst->lock);
        free(copy);
        return XR_ERROR_LIMIT_REACHED;
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
    bool had = d->label_count > 0;
    labels_pop(d);
    pthread_mutex_unlock(&inst->lock);
    return had;
}

/* ---------------------------------------------------------------- instance */

bool sim_instance_lost(sim_instance *inst)
{
    XrTime at = atomic_load(&inst->lost_at);
    return at != 0 && sim_now() >= at;
}

XrResult sim_instance_check(XrInstance instance, sim_instance **out)
{
    if (!sim_handle_valid(instance, SIM_HANDLE_INSTANCE)) return XR_ERROR_HANDLE_INVALID;
    *out = (sim_instance *)instance;
    /* After an injected instance_loss (faults_apply.c) only xrDestroyInstance and xrPollEvent work. */
    return sim_instance_lost(*out) ? XR_ERROR_INSTANCE_LOST : XR_SUCCESS;
}

/* The one piece of process-wide state: a restart outlives the lost instance. */
static pthread_mutex_t g_restart_lock = PTHREAD_MUTEX_INITIALIZER;
static XrTime g_restart_until;

void sim_instance_restart_until(XrTime until)
{
    pthread_mutex_lock(&g_restart_lock);
    g_restart_until = until;
    pthread_mutex_unlock(&g_restart_lock);
}

/* xrCreateInstance: XR_ERROR_RUNTIME_FAILURE while the runtime "restarts" after an instance loss. */
static XrResult create_instance_allowed(void)
{
    pthread_mutex_lock(&g_restart_lock);
    XrTime until = g_restart_until;
    pthread_mutex_unlock(&g_restart_lock);
    XrTime now = sim_now();
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
    if (!createInfo || !instance || createInfo->type != XR_TYPE_INSTANCE_CREATE_INFO)
        return XR_ERROR_VALIDATION_FAILURE;
    if (createInfo->createFlags != 0) return XR_ERROR_VALIDATION_FAILURE;
    const XrApplicationInfo *app = &createInfo->applicationInfo;
    if (!name_fits(app->applicationName, sizeof(app->applicationName)) || app->applicationName[0] == '\0' ||
        !name_fits(app->engineName, sizeof(app->engineName)))
        return XR_ERROR_NAME_INVALID;
    /* We implement 1.0: any 1.0.x request is fine, anything else is not. */
    if (XR_VERSION_MAJOR(app->apiVersion) != 1 || XR_VERSION_MINOR(app->apiVersion) != 0) {
        sim_log(SIM_LOG_ERROR,
                "xrCreateInstance: API version %u.%u.%u requested, this runtime implements 1.0",
                XR_VERSION_MAJOR(app->apiVersion), XR_VERSION_MINOR(app->apiVersion),
                XR_VERSION_PATCH(app->apiVersion));
        return XR_ERROR_API_VERSION_UNSUPPORTED;
    }
    if (createInfo->enabledExtensionCount && !createInfo->enabledExtensionNames)
        return XR_ERROR_VALIDATION_FAILURE;
    bool ext[SUPPORTED_EXTENSION_COUNT] = {0};
    for (uint32_t i = 0; i < createInfo->enabledExtensionCount; i++) {
        const char *name = createInfo->enabledExtensionNames[i];
        if (!name) return XR_ERROR_VALIDATION_FAILURE;
        bool found = false;
        for (uint32_t k = 0; k < SUPPORTED_EXTENSION_COUNT && !found; k++)
            if (strcmp(name, supported_extensions[k].extensionName) == 0) ext[k] = found = true;
        if (!found) {
            sim_log(SIM_LOG_ERROR, "xrCreateInstance: extension %s is not supported", name);
            return XR_ERROR_EXTENSION_NOT_PRESENT;
        }
    }
    /* API layers are the loader's business: by the time the runtime is called they have been resolved. */

    const XrDebugUtilsMessengerCreateInfoEXT *chain_messenger = NULL;
    for (const XrBaseInStructure *n = createInfo->next; n; n = n->next)
        if (n->type == XR_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT)
            chain_messenger = (const XrDebugUtilsMessengerCreateInfoEXT *)n;
    /* A messenger chained without enabling XR_EXT_debug_utils belongs to an extension the app did not ask
     * for: ignore it, as for any unknown structure in a next chain. */
    if (!ext[4]) chain_messenger = NULL;
    if (chain_messenger && !check_messenger_info(chain_messenger)) return XR_ERROR_VALIDATION_FAILURE;
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
    if (!sim_config_load(&inst->cfg)) {
        free(inst);
        free(debug);
        return XR_ERROR_INITIALIZATION_FAILED;
    }
    inst->debug = debug;
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
    inst->ext_vulkan_enable = ext[0];
    inst->ext_vulkan_enable2 = ext[1];
    inst->ext_depth = ext[2];
    inst->ext_timespec = ext[3];
    inst->ext_debug_utils = ext[4];
    pthread_mutex_init(&inst->lock, NULL);
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
    for (uint32_t i = 0; i < inst->path_count; i++) free(inst->paths[i]);
    pthread_mutex_destroy(&inst->lock);
    free(inst);
}

SIM_FN(xrGetInstanceProperties)(XrInstance instance, XrInstanceProperties *instanceProperties)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!instanceProperties || instanceProperties->type != XR_TYPE_INSTANCE_PROPERTIES)
        return XR_ERROR_VALIDATION_FAILURE;
    instanceProperties->runtimeVersion = SIM_RUNTIME_VERSION;
    snprintf(instanceProperties->runtimeName, sizeof(instanceProperties->runtimeName), "%s",
             SIM_RUNTIME_NAME);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- events */

void sim_event_push(sim_instance *inst, const void *event, size_t size)
{
    if (size > sizeof(XrEventDataBuffer)) size = sizeof(XrEventDataBuffer);
    pthread_mutex_lock(&inst->lock);
    if (inst->event_count == SIM_MAX_EVENTS) {
        /* Drop the oldest; the application learns how many through XrEventDataEventsLost. */
        inst->event_head = (inst->event_head + 1) % SIM_MAX_EVENTS;
        inst->event_count--;
        inst->events_lost++;
    }
    XrEventDataBuffer *slot = &inst->events[(inst->event_head + inst->event_count) % SIM_MAX_EVENTS];
    memset(slot, 0, sizeof(*slot));
    memcpy(slot, event, size);
    slot->next = NULL;
    inst->event_count++;
    pthread_mutex_unlock(&inst->lock);
}

/* Events of these types carry the session right after type/next. */
static bool event_has_session(XrStructureType t)
{
    return t == XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED ||
           t == XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED ||
           t == XR_TYPE_EVENT_DATA_REFERENCE_SPACE_CHANGE_PENDING;
}

void sim_events_purge_session(sim_instance *inst, XrSession session)
{
    pthread_mutex_lock(&inst->lock);
    XrEventDataBuffer kept[SIM_MAX_EVENTS];
    int n = 0;
    for (int i = 0; i < inst->event_count; i++) {
        const XrEventDataBuffer *e = &inst->events[(inst->event_head + i) % SIM_MAX_EVENTS];
        if (event_has_session(e->type) && ((const XrEventDataSessionStateChanged *)e)->session == session)
            continue;
        kept[n++] = *e;
    }
    for (int i = 0; i < n; i++) inst->events[i] = kept[i];
    inst->event_head = 0;
    inst->event_count = n;
    pthread_mutex_unlock(&inst->lock);
}

XrResult sim_event_pop(sim_instance *inst, XrEventDataBuffer *out)
{
    pthread_mutex_lock(&inst->lock);
    if (inst->events_lost) {
        XrEventDataEventsLost lost = {.type = XR_TYPE_EVENT_DATA_EVENTS_LOST,
                                      .lostEventCount = inst->events_lost};
        inst->events_lost = 0;
        pthread_mutex_unlock(&inst->lock);
        memset(out, 0, sizeof(*out));
        memcpy(out, &lost, sizeof(lost));
        return XR_SUCCESS;
    }
    if (inst->event_count == 0) {
        pthread_mutex_unlock(&inst->lock);
        return XR_EVENT_UNAVAILABLE;
    }
    *out = inst->events[inst->event_head];
    inst->event_head = (inst->event_head + 1) % SIM_MAX_EVENTS;
    inst->event_count--;
    pthread_mutex_unlock(&inst->lock);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- strings */

SIM_FN(xrResultToString)(XrInstance instance, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE])
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!buffer) return XR_ERROR_VALIDATION_FAILURE;
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
    if (!buffer) return XR_ERROR_VALIDATION_FAILURE;
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
    if (!getInfo || !systemId || getInfo->type != XR_TYPE_SYSTEM_GET_INFO) return XR_ERROR_VALIDATION_FAILURE;
    switch (getInfo->formFactor) {
    case XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY:
        break;
    case XR_FORM_FACTOR_HANDHELD_DISPLAY:
        return XR_ERROR_FORM_FACTOR_UNSUPPORTED;
    default:
        return XR_ERROR_VALIDATION_FAILURE;
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
    if (systemId != SIM_SYSTEM_ID) return XR_ERROR_SYSTEM_INVALID;
    if (!properties || properties->type != XR_TYPE_SYSTEM_PROPERTIES) return XR_ERROR_VALIDATION_FAILURE;
    properties->systemId = SIM_SYSTEM_ID;
    properties->vendorId = 0x504C58; /* "PLX" */
    snprintf(properties->systemName, sizeof(properties->systemName), "%s", SIM_RUNTIME_NAME);
    properties->graphicsProperties.maxSwapchainImageWidth = 4096;
    properties->graphicsProperties.maxSwapchainImageHeight = 4096;
    properties->graphicsProperties.maxLayerCount = SIM_MAX_LAYERS;
    properties->trackingProperties.orientationTracking = XR_TRUE;
    properties->trackingProperties.positionTracking = XR_TRUE;
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
    if (systemId != SIM_SYSTEM_ID) return XR_ERROR_SYSTEM_INVALID;
    if (viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    r = sim_two_call(environmentBlendModeCapacityInput, environmentBlendModeCountOutput,
                     environmentBlendModes, 1);
    if (r == XR_SUCCESS && environmentBlendModeCapacityInput)
        environmentBlendModes[0] = XR_ENVIRONMENT_BLEND_MODE_OPAQUE;
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
    if (inst->path_count == SIM_MAX_PATHS) return XR_ERROR_PATH_COUNT_EXCEEDED;
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
    if (!pathString || !path) return XR_ERROR_VALIDATION_FAILURE;
    if (!path_well_formed(pathString)) return XR_ERROR_PATH_FORMAT_INVALID;
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
    if (!s) return XR_ERROR_PATH_INVALID;
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
    if (!inst->ext_timespec) return XR_ERROR_FUNCTION_UNSUPPORTED;
    if (!timespecTime || !time) return XR_ERROR_VALIDATION_FAILURE;
    return sim_time_from_timespec(timespecTime, time) ? XR_SUCCESS : XR_ERROR_TIME_INVALID;
}

SIM_FN(xrConvertTimeToTimespecTimeKHR)(XrInstance instance, XrTime time, struct timespec *timespecTime)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_timespec) return XR_ERROR_FUNCTION_UNSUPPORTED;
    if (!timespecTime) return XR_ERROR_VALIDATION_FAILURE;
    if (time <= 0) return XR_ERROR_TIME_INVALID;
    *timespecTime = sim_time_to_timespec(time);
    return XR_SUCCESS;
}
