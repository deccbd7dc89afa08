/* SPDX-License-Identifier: MIT */
/* The lifecycle of instances and sessions: xrCreateSession, xrBeginSession, xrEndSession, xrDestroySession,
 * xrDestroyInstance, and xrPollEvent, where the changes the runtime starts on its own reach the app (fault
 * windows that end while no frames run, the user asking to exit from the preview window). These calls set up
 * or tear down what every other file of the upper part owns, so they sit above all of them.
 * Layer: openxr (the upper part), just below dispatch.c; calls every file of openxr/ below it, device/ and
 * base/. */
#include "openxr/sim_entry_points.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- sessions */

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
    SIM_REQUIRE_IN(inst, createInfo, XR_TYPE_SESSION_CREATE_INFO, XrSessionCreateInfo);
    SIM_REQUIRE_OUT(inst, session, "an XrSession handle");
    if (createInfo->createFlags != 0)
        return sim_reject(inst, "xrCreateSession", XR_ERROR_VALIDATION_FAILURE,
                          "createInfo->createFlags is 0x%llx; no flags are defined "
                          "(VUID-XrSessionCreateInfo-createFlags-zerobitmask: must be 0)",
                          (unsigned long long)createInfo->createFlags);
    pthread_mutex_lock(&inst->lock);
    bool system_queried = inst->system_queried, requirements = inst->graphics_requirements_queried;
    pthread_mutex_unlock(&inst->lock);
    if (!system_queried || createInfo->systemId != SIM_SYSTEM_ID) {
        return sim_reject(inst, "xrCreateSession", XR_ERROR_SYSTEM_INVALID,
                          "createInfo->systemId %" PRIu64 " was not returned by xrGetSystem on this instance "
                          "(spec xrCreateSession: XR_ERROR_SYSTEM_INVALID)",
                          (uint64_t)createInfo->systemId);
    }
    if (!requirements) {
        return sim_reject(
            inst, "xrCreateSession", XR_ERROR_GRAPHICS_REQUIREMENTS_CALL_MISSING,
            "xrGetVulkanGraphicsRequirements2KHR (or xrGetVulkanGraphicsRequirementsKHR) was not "
            "called first (spec XR_KHR_vulkan_enable2: it must be called before xrCreateSession)");
    }
    if (!has_graphics_binding(createInfo)) {
        return sim_reject(
            inst, "xrCreateSession", XR_ERROR_GRAPHICS_DEVICE_INVALID,
            "no XrGraphicsBindingVulkanKHR (or XrGraphicsBindingVulkan2KHR) in createInfo->next (spec "
            "xrCreateSession: a graphics binding is required without XR_MND_headless, which this "
            "runtime does not offer)");
    }
    /* An injected failure (PARALLAX_SIM_FAULTS fail, e.g. while a recovering app re-creates its session). */
    if (XR_FAILED(r = sim_faults_fail(inst, SIM_FAULT_CALL_CREATE_SESSION))) return r;

    sim_session *s = sim_handle_new(sizeof(*s));
    if (!s) return XR_ERROR_OUT_OF_MEMORY;
    /* Claim the instance's single session slot before doing any work, so two threads cannot both succeed. */
    pthread_mutex_lock(&inst->lock);
    bool busy = inst->session != NULL;
    if (!busy) inst->session = s;
    pthread_mutex_unlock(&inst->lock);
    if (busy) {
        sim_handle_delete(s, sizeof(*s));
        return sim_reject(
            inst, "xrCreateSession", XR_ERROR_LIMIT_REACHED,
            "the instance has a session already; the simulated headset runs one at a time (spec "
            "xrCreateSession: XR_ERROR_LIMIT_REACHED when the runtime cannot create another)");
    }

    s->inst = inst;
    pthread_mutex_init(&s->lock, NULL);
    sim_cond_init(&s->frame_cond);
    s->state = XR_SESSION_STATE_UNKNOWN;
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
    /* Session creation is time 0 of the display clock's vsync grid, the head motion and the IMU. */
    const sim_config *cfg = &inst->cfg;
    s->clock = sim_clock_create(&(sim_clock_desc){.refresh_hz = cfg->refresh_hz,
                                                  .display_offset_ms = cfg->display_offset_ms,
                                                  .compositor_lead_ms = cfg->compositor_lead_ms,
                                                  .wait_jitter_ms = cfg->wait_jitter_ms,
                                                  .seed = cfg->seed},
                                sim_now());
    if (!s->clock) {
        r = XR_ERROR_OUT_OF_MEMORY;
        goto fail_clock;
    }
    s->imu = sim_imu_create(s->motion, sim_clock_epoch(s->clock), &(sim_imu_desc){.seed = cfg->seed});
    if (!s->imu) {
        sim_log(SIM_LOG_ERROR, "xrCreateSession: sim_imu_create failed");
        r = XR_ERROR_RUNTIME_FAILURE;
        goto fail_imu;
    }

    /* The user's head offset, controllers and scripted input (device/user.c), read by the tracker from now
     * on. */
    s->user = sim_user_create(cfg->input);
    if (!s->user) {
        r = XR_ERROR_OUT_OF_MEMORY;
        goto fail_user;
    }
    r = sim_actions_session_init(s);
    if (XR_FAILED(r)) goto fail_actions;

    sim_handle_register(s, SIM_HANDLE_SESSION, inst);
    pthread_mutex_lock(&inst->lock);
    s->live = true; /* from now on calls through the instance may use it (sim_session_get) */
    pthread_mutex_unlock(&inst->lock);
    *session = (XrSession)s;
    /* Nothing delays the simulated headset: the session is ready as soon as it exists. */
    pthread_mutex_lock(&s->lock);
    sim_session_set_state_locked(s, XR_SESSION_STATE_IDLE);
    sim_session_set_state_locked(s, XR_SESSION_STATE_READY);
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;

fail_actions:
    sim_user_destroy(&s->user);
fail_user:
    sim_imu_destroy(&s->imu);
fail_imu:
    sim_clock_destroy(&s->clock);
fail_clock:
    sim_motion_destroy(&s->motion);
fail_motion:
    sim_vk_session_fini(s);
fail_vk:
    pthread_cond_destroy(&s->frame_cond);
    pthread_mutex_destroy(&s->lock);
    pthread_mutex_lock(&inst->lock);
    inst->session = NULL;
    pthread_mutex_unlock(&inst->lock);
    sim_handle_delete(s, sizeof(*s));
    return r;
}

static void session_destroy(sim_session *s)
{
    sim_instance *inst = s->inst;
    /* Unregister first: from here on every call with this handle is refused instead of racing the teardown.
     * Calls that reached the session through the instance (xrPollEvent) finish with it first. */
    sim_handle_unregister(s);
    pthread_mutex_lock(&inst->lock);
    s->live = false;
    while (s->refs > 0) pthread_cond_wait(&inst->session_released, &inst->lock);
    pthread_mutex_unlock(&inst->lock);
    pthread_mutex_lock(&s->lock);
    bool running = s->running;
    s->running = false;
    pthread_mutex_unlock(&s->lock);
    /* Destroying a running session is allowed: stop the display clock and compositor as xrEndSession would.
     */
    if (running) sim_frame_session_end(s, "xrDestroySession");
    sim_hand_trackers_destroy_all(s);
    sim_spaces_destroy_all(s);
    sim_swapchains_destroy_all(s);
    sim_frame_session_destroy(s);
    sim_headset_session_destroy(s);
    sim_actions_session_destroy(s);
    sim_vk_session_fini(s);
    sim_imu_destroy(&s->imu);
    sim_motion_destroy(&s->motion);
    sim_user_destroy(&s->user);
    sim_clock_destroy(&s->clock);
    sim_faults_session_destroyed(s);
    sim_events_purge_session(inst, (XrSession)s);
    pthread_mutex_lock(&inst->lock);
    if (inst->session == s) inst->session = NULL;
    pthread_mutex_unlock(&inst->lock);
    pthread_cond_destroy(&s->frame_cond);
    pthread_mutex_destroy(&s->lock);
    sim_handle_delete(s, sizeof(*s));
}

SIM_FN(xrDestroySession)(XrSession session)
{
    /* Valid even after the session or instance was lost: that is how the app lets go of it. */
    if (!sim_handle_valid(session, SIM_HANDLE_SESSION))
        return sim_handle_reject(sim_fn_name(__func__), "session", (const void *)session, "XrSession");
    sim_session *s = (sim_session *)session;
    session_destroy(s);
    return XR_SUCCESS;
}

SIM_FN(xrBeginSession)(XrSession session, const XrSessionBeginInfo *beginInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    SIM_REQUIRE_IN(s->inst, beginInfo, XR_TYPE_SESSION_BEGIN_INFO, XrSessionBeginInfo);
    if (beginInfo->primaryViewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return sim_reject(s->inst, "xrBeginSession", XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED,
                          "beginInfo->primaryViewConfigurationType %d is not supported (only "
                          "XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) (spec xrBeginSession: "
                          "XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED)",
                          (int)beginInfo->primaryViewConfigurationType);
    pthread_mutex_lock(&s->lock);
    bool running = s->running;
    XrSessionState state = s->state;
    pthread_mutex_unlock(&s->lock);
    if (running) {
        sim_protocol_violation("xrBeginSession", "the session is already running: XR_ERROR_SESSION_RUNNING");
        return sim_reject(s->inst, "xrBeginSession", XR_ERROR_SESSION_RUNNING,
                          "the session is already running (spec xrBeginSession: XR_ERROR_SESSION_RUNNING if "
                          "xrBeginSession was called before and xrEndSession has not ended it)");
    }
    if (state != XR_SESSION_STATE_READY) {
        sim_protocol_violation("xrBeginSession", "the session is %s, not READY: XR_ERROR_SESSION_NOT_READY",
                               sim_session_state_name(state));
        return sim_reject(
            s->inst, "xrBeginSession", XR_ERROR_SESSION_NOT_READY,
            "the session is %s, not READY (spec xrBeginSession: only a session in the READY state "
            "may begin)",
            sim_session_state_name(state));
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
    sim_headset_session_begin(s);
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
    if (!running) {
        sim_protocol_violation("xrEndSession", "the session is not running: XR_ERROR_SESSION_NOT_RUNNING");
        return sim_reject(
            s->inst, "xrEndSession", XR_ERROR_SESSION_NOT_RUNNING,
            "the session is not running (spec xrEndSession: XR_ERROR_SESSION_NOT_RUNNING before "
            "xrBeginSession)");
    }
    if (state != XR_SESSION_STATE_STOPPING) {
        sim_protocol_violation("xrEndSession",
                               "the session is %s, not STOPPING: XR_ERROR_SESSION_NOT_STOPPING",
                               sim_session_state_name(state));
        return sim_reject(
            s->inst, "xrEndSession", XR_ERROR_SESSION_NOT_STOPPING,
            "the session is %s, not STOPPING (spec xrEndSession: only a session in the STOPPING "
            "state may end)",
            sim_session_state_name(state));
    }
    /* Stop the display clock and compositor (writes the report) before the state says it has stopped. */
    sim_frame_session_end(s, "xrEndSession");
    sim_headset_session_end(s);
    pthread_mutex_lock(&s->lock);
    s->running = false;
    sim_session_set_state_locked(s, XR_SESSION_STATE_IDLE);
    /* After an exit request the session is done. A stop the runtime initiated (sim_session_walk_to) leaves
     * it IDLE until the runtime makes it READY again. */
    if (s->exit_requested) sim_session_set_state_locked(s, XR_SESSION_STATE_EXITING);
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- instance */

SIM_FN(xrDestroyInstance)(XrInstance instance)
{
    /* Valid after an instance loss: the app must destroy the lost instance. */
    if (!sim_handle_valid(instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(sim_fn_name(__func__), "instance", (const void *)instance, "XrInstance");
    sim_instance *inst = (sim_instance *)instance;
    sim_instance_begin_destroy(inst);
    /* Children first: the session (with its spaces and swapchains), then actions, then the fault plan; the
     * messengers go with the instance. */
    if (inst->session) session_destroy(inst->session);
    sim_actions_instance_destroy(inst);
    sim_faults_instance_fini(inst);
    sim_instance_free(inst);
    return XR_SUCCESS;
}

SIM_FN(xrPollEvent)(XrInstance instance, XrEventDataBuffer *eventData)
{
    /* A lost instance still hands out the events queued before the loss (the app learns why), then
     * answers XR_ERROR_INSTANCE_LOST. */
    if (!sim_handle_valid(instance, SIM_HANDLE_INSTANCE))
        return sim_handle_reject(sim_fn_name(__func__), "instance", (const void *)instance, "XrInstance");
    sim_instance *inst = (sim_instance *)instance;
    bool lost = sim_instance_lost(inst);
    SIM_REQUIRE_IN(inst, eventData, XR_TYPE_EVENT_DATA_BUFFER, XrEventDataBuffer);
    if (!lost) {
        /* Fault windows that end while the app runs no frames (idle -> READY) are noticed here. */
        sim_faults_poll_events(inst);
        /* The user asked to exit (the preview window): the session walks down to STOPPING, as after
         * xrRequestExitSession. The reference keeps a concurrent xrDestroySession from freeing the session
         * meanwhile. */
        sim_session *s = sim_session_get(inst);
        if (s && sim_user_take_exit_request(s->user) && XR_FAILED(sim_session_request_exit(s)))
            sim_log(SIM_LOG_INFO, "preview window: the user asked to exit, but the session is not running");
        /* The user put the headset on or took it off, or the lens changed (headset.c). */
        if (s) sim_headset_poll(s);
        sim_session_put(s);
    }
    XrResult r = sim_event_pop(inst, eventData);
    if (r == XR_EVENT_UNAVAILABLE && lost) return XR_ERROR_INSTANCE_LOST;
    return r;
}
