/* SPDX-License-Identifier: MIT */
/* The session's state machine and its state events, the view configuration queries, and the session's
 * debug-utils labels. The state machine follows the specification's diagram: IDLE -> READY ->
 * (xrBeginSession) -> SYNCHRONIZED -> VISIBLE -> FOCUSED while frames flow; xrRequestExitSession walks back
 * down to STOPPING; xrEndSession -> IDLE -> EXITING. Creating, beginning, ending and destroying sessions
 * is in lifecycle.c, which calls down to everything a session owns.
 * Layer: openxr (the upper part), above instance.c; calls instance.c, handles.c, device/clock.c and base/. */
#include "openxr/sim_entry_points.h"
#include <openxr/openxr_reflection.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_MAX_IMAGE_SIZE 4096

/* "XR_SESSION_STATE_FOCUSED" -> "FOCUSED", from the OpenXR reflection header rather than a hand-kept list. */
const char *sim_session_state_name(XrSessionState st)
{
#define SIM_STATE_CASE(name, value) \
    case name:                      \
        return #name + sizeof("XR_SESSION_STATE_") - 1;
    switch (st) {
        XR_LIST_ENUM_XrSessionState(SIM_STATE_CASE) default : return "UNKNOWN";
    }
#undef SIM_STATE_CASE
}

static _Atomic uint64_t protocol_violations;

void sim_protocol_violation(const char *fn, const char *fmt, ...)
{
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    uint64_t n = atomic_fetch_add(&protocol_violations, 1) + 1;
    sim_log(SIM_LOG_ERROR, "%s: %s (call-order violation %llu)", fn, what, (unsigned long long)n);
}

uint64_t sim_protocol_violations(void)
{
    return atomic_load(&protocol_violations);
}

sim_session *sim_session_get(sim_instance *inst)
{
    pthread_mutex_lock(&inst->lock);
    sim_session *s = inst->session;
    if (s && s->live)
        s->refs++;
    else
        s = NULL;
    pthread_mutex_unlock(&inst->lock);
    return s;
}

void sim_session_put(sim_session *s)
{
    if (!s) return;
    sim_instance *inst = s->inst;
    pthread_mutex_lock(&inst->lock);
    if (--s->refs == 0) pthread_cond_broadcast(&inst->session_released);
    pthread_mutex_unlock(&inst->lock);
}

XrResult sim_session_status(sim_session *s)
{
    /* After an injected session_loss / instance_loss (faults_apply.c) the session only accepts
     * xrDestroySession, which checks the handle alone. */
    if (sim_instance_lost(s->inst)) return XR_ERROR_INSTANCE_LOST;
    XrTime at = atomic_load(&s->lost_at);
    return at != 0 && sim_now() >= at ? XR_ERROR_SESSION_LOST : XR_SUCCESS;
}

XrResult sim_session_check_in(const char *fn, const char *expr, XrSession session, sim_session **out)
{
    *out = NULL; /* (set below once the handle is known to be valid) */
    if (!sim_handle_valid(session, SIM_HANDLE_SESSION))
        return sim_handle_reject(fn, expr, session, "XrSession");
    *out = (sim_session *)session;
    return sim_session_status(*out);
}

/* Sets the state and queues its event in one step, so transitions from the frame thread and the app's
 * thread cannot interleave their events. Caller holds s->lock (lock order: session, then instance). */
void sim_session_set_state_locked(sim_session *s, XrSessionState state)
{
    s->state = state;
    XrEventDataSessionStateChanged ev = {.type = XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED,
                                         .session = (XrSession)s,
                                         .state = state,
                                         .time = sim_now()};
    sim_event_push(s->inst, &ev, sizeof(ev));
    sim_log(SIM_LOG_DEBUG, "session state -> %s", sim_session_state_name(state));
}

void sim_session_set_state(sim_session *s, XrSessionState state)
{
    pthread_mutex_lock(&s->lock);
    sim_session_set_state_locked(s, state);
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
    while (cur < want) sim_session_set_state_locked(s, ladder[++cur]);
    while (cur > want) sim_session_set_state_locked(s, ladder[--cur]);
    if (target == XR_SESSION_STATE_STOPPING) sim_session_set_state_locked(s, XR_SESSION_STATE_STOPPING);
}

void sim_session_frame_progress(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    /* Once the app asked to exit, the session only goes down. */
    if (s->running && !s->exit_requested && !s->ramp_done) {
        if (s->state == XR_SESSION_STATE_READY) {
            sim_session_set_state_locked(s, XR_SESSION_STATE_SYNCHRONIZED);
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

static XrResult check_system_in(const char *fn, XrInstance instance, XrSystemId systemId, sim_instance **out)
{
    XrResult r = sim_instance_check_in(fn, "instance", instance, out);
    if (XR_FAILED(r)) return r;
    if (systemId == SIM_SYSTEM_ID) return XR_SUCCESS;
    return sim_reject(
        *out, fn, XR_ERROR_SYSTEM_INVALID,
        "systemId %llu is not the system xrGetSystem returned (%llu) (spec xrGetSystem: an XrSystemId "
        "this instance did not return is XR_ERROR_SYSTEM_INVALID)",
        (unsigned long long)systemId, (unsigned long long)SIM_SYSTEM_ID);
}
#define check_system(instance, system, out) check_system_in(sim_fn_name(__func__), instance, system, out)

/* The one view configuration: anything else is XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED, named. */
static XrResult check_view_configuration(sim_instance *inst, const char *fn, XrViewConfigurationType type)
{
    if (type == XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO) return XR_SUCCESS;
    return sim_reject(inst, fn, XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED,
                      "viewConfigurationType %d is not one xrEnumerateViewConfigurations lists (only "
                      "XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO, 2) (spec %s: "
                      "XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED)",
                      (int)type, fn);
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
    SIM_REQUIRE_IN(inst, configurationProperties, XR_TYPE_VIEW_CONFIGURATION_PROPERTIES,
                   XrViewConfigurationProperties);
    if (XR_FAILED(
            r = check_view_configuration(inst, "xrGetViewConfigurationProperties", viewConfigurationType)))
        return r;
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
    if (XR_FAILED(
            r = check_view_configuration(inst, "xrEnumerateViewConfigurationViews", viewConfigurationType)))
        return r;
    r = sim_two_call(viewCapacityInput, viewCountOutput, views, 2);
    if (r != XR_SUCCESS || viewCapacityInput == 0) return r;
    for (uint32_t i = 0; i < 2; i++)
        if (views[i].type != XR_TYPE_VIEW_CONFIGURATION_VIEW)
            return sim_reject(inst, "xrEnumerateViewConfigurationViews", XR_ERROR_VALIDATION_FAILURE,
                              "views[%u].type is %d, not XR_TYPE_VIEW_CONFIGURATION_VIEW "
                              "(VUID-XrViewConfigurationView-type-type)",
                              i, (int)views[i].type);
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

/* ---------------------------------------------------------------- exit requests */

XrResult sim_session_request_exit(sim_session *s)
{
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

SIM_FN(xrRequestExitSession)(XrSession session)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    if (sim_session_request_exit(s) == XR_ERROR_SESSION_NOT_RUNNING)
        return sim_reject(
            s->inst, "xrRequestExitSession", XR_ERROR_SESSION_NOT_RUNNING,
            "the session is not running (xrBeginSession has not succeeded, or xrEndSession ended it) "
            "(spec xrRequestExitSession: XR_ERROR_SESSION_NOT_RUNNING)");
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- XR_EXT_debug_utils labels */

/* Shared checks of the three session label functions. */
static XrResult label_session(XrSession session, const XrDebugUtilsLabelEXT *label, bool need_label,
                              const char *fn, sim_session **out)
{
    sim_session *s;
    XrResult r = sim_session_check_in(fn, "session", session, &s);
    if (XR_FAILED(r)) return r;
    if (!s->inst->ext_debug_utils)
        return sim_reject(
            s->inst, fn, XR_ERROR_FUNCTION_UNSUPPORTED,
            "XR_EXT_debug_utils is not enabled on this instance (spec fundamentals-extensions: an "
            "extension's functions need the extension enabled at xrCreateInstance)");
    const char *bad = !need_label ? NULL
                      : !label    ? "labelInfo is NULL"
                      : label->type != XR_TYPE_DEBUG_UTILS_LABEL_EXT
                          ? "labelInfo->type is not XR_TYPE_DEBUG_UTILS_LABEL_EXT"
                      : !label->labelName ? "labelInfo->labelName is NULL"
                                          : NULL;
    if (bad)
        return sim_reject(s->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                          "%s (VUID-%s-labelInfo-parameter, VUID-XrDebugUtilsLabelEXT-type-type, "
                          "VUID-XrDebugUtilsLabelEXT-labelName-parameter)",
                          bad, fn);
    *out = s;
    return XR_SUCCESS;
}

SIM_FN(xrSessionBeginDebugUtilsLabelRegionEXT)(XrSession session, const XrDebugUtilsLabelEXT *labelInfo)
{
    sim_session *s = NULL;
    XrResult r = label_session(session, labelInfo, true, "xrSessionBeginDebugUtilsLabelRegionEXT", &s);
    return XR_FAILED(r) ? r : sim_debug_label_push(s->inst, labelInfo->labelName, false);
}

SIM_FN(xrSessionInsertDebugUtilsLabelEXT)(XrSession session, const XrDebugUtilsLabelEXT *labelInfo)
{
    sim_session *s = NULL;
    XrResult r = label_session(session, labelInfo, true, "xrSessionInsertDebugUtilsLabelEXT", &s);
    return XR_FAILED(r) ? r : sim_debug_label_push(s->inst, labelInfo->labelName, true);
}

SIM_FN(xrSessionEndDebugUtilsLabelRegionEXT)(XrSession session)
{
    sim_session *s = NULL;
    XrResult r = label_session(session, NULL, false, "xrSessionEndDebugUtilsLabelRegionEXT", &s);
    if (XR_FAILED(r)) return r;
    /* Ending a region that was never begun breaks the function's Valid Usage, but a runtime need not check
     * it, and the loader (which implements the extension for runtimes without it) and the OpenXR conformance
     * suite answer XR_SUCCESS: an engine ending a region from an error path must not fail here. */
    if (!sim_debug_label_end(s->inst))
        sim_log(SIM_LOG_DEBUG,
                "xrSessionEndDebugUtilsLabelRegionEXT: no label region was begun; nothing to end");
    return XR_SUCCESS;
}
