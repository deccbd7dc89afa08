/* Session lifecycle and its state events, and the view configuration queries. The state machine follows
 * the specification's diagram: IDLE -> READY -> (xrBeginSession) -> SYNCHRONIZED -> VISIBLE -> FOCUSED while
 * frames flow; xrRequestExitSession walks back down to STOPPING; xrEndSession -> IDLE -> EXITING. */
#include "sim_internal.h"
#include <openxr/openxr_reflection.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_MAX_IMAGE_SIZE 4096

/* "XR_SESSION_STATE_FOCUSED" -> "FOCUSED", from the OpenXR reflection header rather than a hand-kept list. */
static const char *state_name(XrSessionState st)
{
#define SIM_STATE_CASE(name, value) \
    case name:                      \
        return #name + sizeof("XR_SESSION_STATE_") - 1;
    switch (st) {
        XR_LIST_ENUM_XrSessionState(SIM_STATE_CASE) default : return "UNKNOWN";
    }
#undef SIM_STATE_CASE
}

XrResult sim_session_check(XrSession session, sim_session **out)
{
    if (!sim_handle_valid(session, SIM_HANDLE_SESSION)) return XR_ERROR_HANDLE_INVALID;
    *out = (sim_session *)session;
    /* After an injected session_loss / instance_loss (faults_apply.c) the session only accepts
     * xrDestroySession, which checks the handle alone. */
    return sim_faults_session_status(*out);
}

/* Sets the state and queues its event in one step, so transitions from the frame thread and the app's
 * thread cannot interleave their events. Caller holds s->lock (lock order: session, then instance). */
static void set_state_locked(sim_session *s, XrSessionState state)
{
    s->state = state;
    XrEventDataSessionStateChanged ev = {.type = XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED,
                                         .session = (XrSession)s,
                                         .state = state,
                                         .time = sim_now()};
    sim_event_push(s->inst, &ev, sizeof(ev));
    sim_log(SIM_LOG_DEBUG, "session state -> %s", state_name(state));
}

void sim_session_set_state(sim_session *s, XrSessionState state)
{
    pthread_mutex_lock(&s->lock);
    set_state_locked(s, state);
    pthread_mutex_unlock(&s->lock);
}

/* The part of the state diagram a running session moves along while frames flow. */
static const XrSessionState ladder[4] = {XR_SESSION_STATE_READY, XR_SESSION_STATE_SYNCHRONIZED,
                                         XR_SESSION_STATE_VISIBLE, XR_SESSION_STATE_FOCUSED};

static int ladder_rank(XrSessionState st)
{
    for (int i = 0; i < 4; i++)
        if (ladder[i] == st) return i;
    return -1;
}

/* Steps one state (and event) at a time towards target (SYNCHRONIZED, VISIBLE, FOCUSED or STOPPING, which
 * is reached from SYNCHRONIZED), so the app sees every transition of the diagram. Caller holds s->lock. */
static void walk_locked(sim_session *s, XrSessionState target)
{
    int cur = ladder_rank(s->state);
    int want = target == XR_SESSION_STATE_STOPPING ? 1 : ladder_rank(target);
    if (cur < 0 || want < 1) return;
    while (cur < want) set_state_locked(s, ladder[++cur]);
    while (cur > want) set_state_locked(s, ladder[--cur]);
    if (target == XR_SESSION_STATE_STOPPING) set_state_locked(s, XR_SESSION_STATE_STOPPING);
}

void sim_session_frame_progress(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    /* Once the app asked to exit, the session only goes down. */
    if (s->running && !s->exit_requested && !s->ramp_done) {
        if (s->state == XR_SESSION_STATE_READY) {
            set_state_locked(s, XR_SESSION_STATE_SYNCHRONIZED);
        } else if (s->state == XR_SESSION_STATE_SYNCHRONIZED) {
            /* The simulated display shows the app at once and there is no system UI to take focus. */
            walk_locked(s, XR_SESSION_STATE_FOCUSED);
            s->ramp_done = true;
        }
    }
    pthread_mutex_unlock(&s->lock);
}

void sim_session_walk_to(sim_session *s, XrSessionState target)
{
    pthread_mutex_lock(&s->lock);
    if (s->running && !s->exit_requested) {
        walk_locked(s, target);
        /* An explicit move ends the initial ramp: frames flowing must not undo it. */
        s->ramp_done = true;
    }
    pthread_mutex_unlock(&s->lock);
}

/* ---------------------------------------------------------------- view configurations */

static XrResult check_system(XrInstance instance, XrSystemId systemId, sim_instance **out)
{
    XrResult r = sim_instance_check(instance, out);
    if (XR_FAILED(r)) return r;
    return systemId == SIM_SYSTEM_ID ? XR_SUCCESS : XR_ERROR_SYSTEM_INVALID;
}

SIM_FN(xrEnumerateViewConfigurations)
(XrInstance instance, XrSystemId systemId, uint32_t viewConfigurationTypeCapacityInput,
 uint32_t *viewConfigurationTypeCountOutput, XrViewConfigurationType *viewConfigurationTypes)
{
    sim_instance *inst;
    XrResult r = check_system(instance, systemId, &inst);
    if (XR_FAILED(r)) return r;
    r = sim_two_call(viewConfigurationTypeCapacityInput, viewConfigurationTypeCountOutput,
                     viewConfigurationTypes, 1);
    if (r == XR_SUCCESS && viewConfigurationTypeCapacityInput)
        viewConfigurationTypes[0] = XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO;
    return r;
}

SIM_FN(xrGetViewConfigurationProperties)
(XrInstance instance, XrSystemId systemId, XrViewConfigurationType viewConfigurationType,
 XrViewConfigurationProperties *configurationProperties)
{
    sim_instance *inst;
    XrResult r = check_system(instance, systemId, &inst);
    if (XR_FAILED(r)) return r;
    if (!configurationProperties || configurationProperties->type != XR_TYPE_VIEW_CONFIGURATION_PROPERTIES)
        return XR_ERROR_VALIDATION_FAILURE;
    if (viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    configurationProperties->viewConfigurationType = viewConfigurationType;
    /* The compositor draws each submitted view with the fov it was submitted with. */
    configurationProperties->fovMutable = XR_TRUE;
    return XR_SUCCESS;
}

SIM_FN(xrEnumerateViewConfigurationViews)
(XrInstance instance, XrSystemId systemId, XrViewConfigurationType viewConfigurationType,
 uint32_t viewCapacityInput, uint32_t *viewCountOutput, XrViewConfigurationView *views)
{
    sim_instance *inst;
    XrResult r = check_system(instance, systemId, &inst);
    if (XR_FAILED(r)) return r;
    if (viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    r = sim_two_call(viewCapacityInput, viewCountOutput, views, 2);
    if (r != XR_SUCCESS || viewCapacityInput == 0) return r;
    for (uint32_t i = 0; i < 2; i++)
        if (views[i].type != XR_TYPE_VIEW_CONFIGURATION_VIEW) return XR_ERROR_VALIDATION_FAILURE;
    for (uint32_t i = 0; i < 2; i++) {
        views[i].recommendedImageRectWidth = inst->cfg.eye_width;
        views[i].recommendedImageRectHeight = inst->cfg.eye_height;
        views[i].maxImageRectWidth = SIM_MAX_IMAGE_SIZE;
        views[i].maxImageRectHeight = SIM_MAX_IMAGE_SIZE;
        views[i].recommendedSwapchainSampleCount = 1;
        views[i].maxSwapchainSampleCount = 1;
    }
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- session lifecycle */

static bool has_graphics_binding(const XrSessionCreateInfo *info)
{
    /* XR_TYPE_GRAPHICS_BINDING_VULKAN2_KHR is an alias of XR_TYPE_GRAPHICS_BINDING_VULKAN_KHR. */
    for (const XrBaseInStructure *n = info->next; n; n = n->next)
        if (n->type == XR_TYPE_GRAPHICS_BINDING_VULKAN_KHR) return true;
    return false;
}

SIM_FN(xrCreateSession)(XrInstance instance, const XrSessionCreateInfo *createInfo, XrSession *session)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!createInfo || !session || createInfo->type != XR_TYPE_SESSION_CREATE_INFO ||
        createInfo->createFlags != 0)
        return XR_ERROR_VALIDATION_FAILURE;
    pthread_mutex_lock(&inst->lock);
    bool system_queried = inst->system_queried, requirements = inst->graphics_requirements_queried;
    pthread_mutex_unlock(&inst->lock);
    if (!system_queried || createInfo->systemId != SIM_SYSTEM_ID) {
        sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrCreateSession",
                          "systemId %" PRIu64 " was not returned by xrGetSystem",
                          (uint64_t)createInfo->systemId);
        return XR_ERROR_SYSTEM_INVALID;
    }
    if (!requirements) {
        sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrCreateSession",
                          "xrGetVulkanGraphicsRequirements(2)KHR must be called before xrCreateSession");
        return XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING;
    }
    if (!has_graphics_binding(createInfo)) {
        sim_debug_message(
            inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrCreateSession",
            "no XrGraphicsBindingVulkanKHR in the next chain (this runtime has no headless mode)");
        return XR_ERROR_GRAPHICS_DEVICE_INVALID;
    }

    sim_session *s = calloc(1, sizeof(*s));
    if (!s) return XR_ERROR_OUT_OF_MEMORY;
    /* Claim the instance's single session slot before doing any work, so two threads cannot both succeed. */
    pthread_mutex_lock(&inst->lock);
    bool busy = inst->session != NULL;
    if (!busy) inst->session = s;
    pthread_mutex_unlock(&inst->lock);
    if (busy) {
        free(s);
        sim_debug_message(inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrCreateSession",
                          "the simulated headset runs one session at a time");
        return XR_ERROR_LIMIT_REACHED;
    }

    s->inst = inst;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->frame_cond, NULL);
    s->state = XR_SESSION_STATE_UNKNOWN;
    s->period = (XrDuration)(1e9 / inst->cfg.refresh_hz + 0.5);
    s->display_offset = (XrDuration)(inst->cfg.display_offset_ms * 1e6 + 0.5);
    s->compositor_lead = (XrDuration)(inst->cfg.compositor_lead_ms * 1e6 + 0.5);
    s->last_vsync_index = -1;

    r = sim_vk_session_init(s, createInfo);
    if (XR_FAILED(r)) {
        sim_log(SIM_LOG_ERROR, "xrCreateSession: Vulkan session setup failed (%d)", (int)r);
        goto fail_vk;
    }
    s->motion = sim_motion_create(inst->cfg.motion, inst->cfg.seed);
    if (!s->motion) {
        /* sim_motion_create already printed which file/line or value was wrong. */
        r = XR_ERROR_RUNTIME_FAILURE;
        goto fail_motion;
    }
    /* Session creation is time 0 of the head motion, the IMU and (at xrBeginSession) the vsync grid. */
    s->epoch = sim_now();
    s->imu = sim_imu_create(s->motion, s->epoch, &(sim_imu_desc){.seed = inst->cfg.seed});
    if (!s->imu) {
        sim_log(SIM_LOG_ERROR, "xrCreateSession: sim_imu_create failed");
        r = XR_ERROR_RUNTIME_FAILURE;
        goto fail_imu;
    }

    /* The user's head offset and scripted input (window.c), read by the tracker from now on. */
    s->user = sim_user_create(&inst->cfg);
    if (!s->user) {
        r = XR_ERROR_OUT_OF_MEMORY;
        goto fail_user;
    }
    r = sim_actions_session_init(s);
    if (XR_FAILED(r)) goto fail_actions;

    sim_handle_register(s, SIM_HANDLE_SESSION, inst);
    *session = (XrSession)s;
    /* Nothing delays the simulated headset: the session is ready as soon as it exists. */
    pthread_mutex_lock(&s->lock);
    set_state_locked(s, XR_SESSION_STATE_IDLE);
    set_state_locked(s, XR_SESSION_STATE_READY);
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;

fail_actions:
    sim_user_destroy(&s->user);
fail_user:
    sim_imu_destroy(&s->imu);
fail_imu:
    sim_motion_destroy(&s->motion);
fail_motion:
    sim_vk_session_fini(s);
fail_vk:
    pthread_cond_destroy(&s->frame_cond);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_lock(&inst->lock);
    inst->session = NULL;
    pthread_mutex_unlock(&inst->lock);
    free(s);
    return r;
}

void sim_session_destroy(sim_session *s)
{
    sim_instance *inst = s->inst;
    /* Unregister first: from here on every call with this handle is refused instead of racing the teardown.
     */
    sim_handle_unregister(s);
    pthread_mutex_lock(&s->lock);
    bool running = s->running;
    s->running = false;
    pthread_mutex_unlock(&s->lock);
    /* Destroying a running session is allowed: stop the display clock and compositor as xrEndSession would.
     */
    if (running) sim_frame_session_end(s);
    sim_spaces_destroy_all(s);
    sim_swapchains_destroy_all(s);
    sim_frame_session_destroy(s);
    sim_actions_session_destroy(s);
    sim_vk_session_fini(s);
    sim_imu_destroy(&s->imu);
    sim_motion_destroy(&s->motion);
    sim_user_destroy(&s->user);
    sim_faults_session_destroyed(s);
    sim_events_purge_session(inst, (XrSession)s);
    pthread_mutex_lock(&inst->lock);
    if (inst->session == s) inst->session = NULL;
    pthread_mutex_unlock(&inst->lock);
    pthread_cond_destroy(&s->frame_cond);
    pthread_mutex_destroy(&s->lock);
    free(s);
}

SIM_FN(xrDestroySession)(XrSession session)
{
    /* Valid even after the session or instance was lost: that is how the app lets go of it. */
    if (!sim_handle_valid(session, SIM_HANDLE_SESSION)) return XR_ERROR_HANDLE_INVALID;
    sim_session *s = (sim_session *)session;
    sim_session_destroy(s);
    return XR_SUCCESS;
}

SIM_FN(xrBeginSession)(XrSession session, const XrSessionBeginInfo *beginInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    if (!beginInfo || beginInfo->type != XR_TYPE_SESSION_BEGIN_INFO) return XR_ERROR_VALIDATION_FAILURE;
    if (beginInfo->primaryViewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) {
        sim_debug_message(s->inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrBeginSession",
                          "view configuration %d is not supported (only PRIMARY_STEREO)",
                          (int)beginInfo->primaryViewConfigurationType);
        return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
    }
    pthread_mutex_lock(&s->lock);
    bool running = s->running;
    XrSessionState state = s->state;
    pthread_mutex_unlock(&s->lock);
    if (running) return XR_ERROR_SESSION_RUNNING;
    if (state != XR_SESSION_STATE_READY) {
        sim_debug_message(s->inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrBeginSession",
                          "the session is %s, not READY", state_name(state));
        return XR_ERROR_SESSION_NOT_READY;
    }
    s->view_config = beginInfo->primaryViewConfigurationType;
    s->exit_requested = false;
    s->ramp_done = false;
    r = sim_frame_session_begin(s);
    if (XR_FAILED(r)) {
        sim_log(SIM_LOG_ERROR, "xrBeginSession: starting the display clock and compositor failed (%d)",
                (int)r);
        return r;
    }
    pthread_mutex_lock(&s->lock);
    s->running = true;
    pthread_mutex_unlock(&s->lock);
    sim_faults_session_begin(s);
    return XR_SUCCESS;
}

SIM_FN(xrRequestExitSession)(XrSession session)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    pthread_mutex_lock(&s->lock);
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    if (!s->exit_requested) {
        s->exit_requested = true;
        walk_locked(s, XR_SESSION_STATE_STOPPING);
    }
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

SIM_FN(xrEndSession)(XrSession session)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    pthread_mutex_lock(&s->lock);
    bool running = s->running;
    XrSessionState state = s->state;
    pthread_mutex_unlock(&s->lock);
    if (!running) return XR_ERROR_SESSION_NOT_RUNNING;
    if (state != XR_SESSION_STATE_STOPPING) {
        sim_debug_message(s->inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrEndSession",
                          "the session is %s, not STOPPING", state_name(state));
        return XR_ERROR_SESSION_NOT_STOPPING;
    }
    /* Stop the display clock and compositor (writes the report) before the state says it has stopped. */
    sim_frame_session_end(s);
    pthread_mutex_lock(&s->lock);
    s->running = false;
    set_state_locked(s, XR_SESSION_STATE_IDLE);
    /* After an exit request the session is done. A stop the runtime initiated (sim_session_walk_to) leaves
     * it IDLE until the runtime makes it READY again. */
    if (s->exit_requested) set_state_locked(s, XR_SESSION_STATE_EXITING);
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}
