/* SPDX-License-Identifier: MIT */
/* XR_META_performance_metrics: the compositor's own measurements of the app's frames, as counters under
 * /perfmetrics_meta. The figures are the compositor's (device/report.c: the same frames and times as
 * PARALLAX_SIM_FRAMES), over the newest SIM_METRICS_FRAMES frames it settled:
 *   /perfmetrics_meta/app/cpu_frametime              ms  xrWaitFrame's return -> xrEndFrame, mean
 *   /perfmetrics_meta/app/gpu_frametime              ms  xrEndFrame -> the app's GPU work done (its fence),
 * mean /perfmetrics_meta/app/motion_to_photon_latency   ms  pose sample -> photons of the displayed frames,
 * mean /perfmetrics_meta/compositor/dropped_frame_count     frames not shown at their refresh (late or never)
 * Layer: openxr (the upper part), beside action.c and headset.c; calls instance.c (paths), session.c,
 * handles.c, device/compositor.c and base/. */
#include "openxr/sim_entry_points.h"

#include <math.h>
#include <string.h>

enum { C_APP_CPU, C_APP_GPU, C_LATENCY, C_DROPPED, C_COUNT };
static const char *const counter_paths[C_COUNT] = {
    "/perfmetrics_meta/app/cpu_frametime",
    "/perfmetrics_meta/app/gpu_frametime",
    "/perfmetrics_meta/app/motion_to_photon_latency",
    "/perfmetrics_meta/compositor/dropped_frame_count",
};

SIM_FN(xrEnumeratePerformanceMetricsCounterPathsMETA)
(XrInstance instance, uint32_t counterPathCapacityInput, uint32_t *counterPathCountOutput,
 XrPath *counterPaths)
{
    sim_instance *inst;
    XrResult r = sim_instance_check(instance, &inst);
    if (XR_FAILED(r)) return r;
    if (!inst->ext_performance_metrics)
        return sim_reject(inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
                          "XR_META_performance_metrics is not enabled on this instance (spec "
                          "fundamentals-extensions: an extension's functions need the extension enabled at "
                          "xrCreateInstance)");
    r = sim_two_call(counterPathCapacityInput, counterPathCountOutput, counterPaths, C_COUNT);
    if (r != XR_SUCCESS || counterPathCapacityInput == 0) return r;
    for (uint32_t i = 0; i < C_COUNT; i++) {
        counterPaths[i] = sim_path_get(inst, counter_paths[i]);
        if (counterPaths[i] == XR_NULL_PATH) return XR_ERROR_PATH_COUNT_EXCEEDED;
    }
    return XR_SUCCESS;
}

/* Shared checks of the three session functions. */
static XrResult metrics_session(XrSession session, const void *state, const char *fn, sim_session **out)
{
    XrResult r = sim_session_check_in(fn, "session", session, out);
    if (XR_FAILED(r)) return r;
    if (!(*out)->inst->ext_performance_metrics)
        return sim_reject((*out)->inst, fn, XR_ERROR_FUNCTION_UNSUPPORTED,
                          "XR_META_performance_metrics is not enabled on this instance (spec "
                          "fundamentals-extensions: an extension's functions need the extension enabled at "
                          "xrCreateInstance)");
    const XrPerformanceMetricsStateMETA *st = state;
    if (!st || st->type != XR_TYPE_PERFORMANCE_METRICS_STATE_META)
        return sim_reject((*out)->inst, fn, XR_ERROR_VALIDATION_FAILURE,
                          "%s (VUID-%s-state-parameter, VUID-XrPerformanceMetricsStateMETA-type-type)",
                          !st ? "state is NULL" : "state->type is not XR_TYPE_PERFORMANCE_METRICS_STATE_META",
                          fn);
    return XR_SUCCESS;
}

SIM_FN(xrSetPerformanceMetricsStateMETA)(XrSession session, const XrPerformanceMetricsStateMETA *state)
{
    sim_session *s;
    XrResult r = metrics_session(session, state, "xrSetPerformanceMetricsStateMETA", &s);
    if (XR_FAILED(r)) return r;
    pthread_mutex_lock(&s->lock);
    s->metrics_enabled = state->enabled == XR_TRUE;
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

SIM_FN(xrGetPerformanceMetricsStateMETA)(XrSession session, XrPerformanceMetricsStateMETA *state)
{
    sim_session *s;
    XrResult r = metrics_session(session, state, "xrGetPerformanceMetricsStateMETA", &s);
    if (XR_FAILED(r)) return r;
    pthread_mutex_lock(&s->lock);
    state->enabled = s->metrics_enabled ? XR_TRUE : XR_FALSE;
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

static void float_counter(XrPerformanceMetricsCounterMETA *c, double ms)
{
    c->counterUnit = XR_PERFORMANCE_METRICS_COUNTER_UNIT_MILLISECONDS_META;
    if (!isfinite(ms)) return; /* nothing measured yet: no value is valid */
    c->floatValue = (float)ms;
    c->counterFlags = XR_PERFORMANCE_METRICS_COUNTER_ANY_VALUE_VALID_BIT_META |
                      XR_PERFORMANCE_METRICS_COUNTER_FLOAT_VALUE_VALID_BIT_META;
}

SIM_FN(xrQueryPerformanceMetricsCounterMETA)
(XrSession session, XrPath counterPath, XrPerformanceMetricsCounterMETA *counter)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = s->inst;
    if (!inst->ext_performance_metrics)
        return sim_reject(inst, sim_fn_name(__func__), XR_ERROR_FUNCTION_UNSUPPORTED,
                          "XR_META_performance_metrics is not enabled on this instance (spec "
                          "fundamentals-extensions: an extension's functions need the extension enabled at "
                          "xrCreateInstance)");
    SIM_REQUIRE_IN(inst, counter, XR_TYPE_PERFORMANCE_METRICS_COUNTER_META, XrPerformanceMetricsCounterMETA);
    pthread_mutex_lock(&s->lock);
    bool enabled = s->metrics_enabled;
    sim_compositor *c = s->compositor;
    sim_report_metrics m =
        c ? sim_compositor_metrics(c) : (sim_report_metrics){.cpu_ms = NAN, .gpu_ms = NAN, .latency_ms = NAN};
    pthread_mutex_unlock(&s->lock);
    /* Spec: must be XR_ERROR_VALIDATION_FAILURE until the app enabled the metrics with
     * xrSetPerformanceMetricsStateMETA. */
    if (!enabled) {
        return sim_reject(
            inst, "xrQueryPerformanceMetricsCounterMETA", XR_ERROR_VALIDATION_FAILURE,
            "the performance metrics are not enabled (spec xrQueryPerformanceMetricsCounterMETA: "
            "XR_ERROR_VALIDATION_FAILURE until xrSetPerformanceMetricsStateMETA enabled them)");
    }
    const char *path = sim_path_string(inst, counterPath);
    int which = -1;
    for (int i = 0; path && i < C_COUNT; i++)
        if (strcmp(path, counter_paths[i]) == 0) which = i;
    if (which < 0) {
        return sim_reject(
            inst, "xrQueryPerformanceMetricsCounterMETA", XR_ERROR_PATH_UNSUPPORTED,
            "counterPath %s is not one xrEnumeratePerformanceMetricsCounterPathsMETA lists (spec "
            "xrQueryPerformanceMetricsCounterMETA: XR_ERROR_PATH_UNSUPPORTED)",
            path ? path : "(not a path)");
    }
    counter->counterFlags = 0;
    counter->uintValue = 0;
    counter->floatValue = 0.0f;
    switch (which) {
    case C_APP_CPU:
        float_counter(counter, m.cpu_ms);
        break;
    case C_APP_GPU:
        float_counter(counter, m.gpu_ms);
        break;
    case C_LATENCY:
        float_counter(counter, m.latency_ms);
        break;
    case C_DROPPED:
        counter->counterUnit = XR_PERFORMANCE_METRICS_COUNTER_UNIT_GENERIC_META;
        if (c) {
            counter->uintValue = m.missed;
            counter->counterFlags = XR_PERFORMANCE_METRICS_COUNTER_ANY_VALUE_VALID_BIT_META |
                                    XR_PERFORMANCE_METRICS_COUNTER_UINT_VALUE_VALID_BIT_META;
        }
        break;
    }
    return XR_SUCCESS;
}
