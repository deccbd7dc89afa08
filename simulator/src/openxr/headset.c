/* SPDX-License-Identifier: MIT */
/* What the app sees of the simulated headset's lens and of its wearer: XR_KHR_visibility_mask
 * (xrGetVisibilityMaskKHR: the lens of device/optics.c; XrEventDataVisibilityMaskChangedKHR when the lens
 * changes) and XR_EXT_user_presence (XrEventDataUserPresenceChangedEXT when the user puts the headset on or
 * takes it off, and at xrBeginSession; with PARALLAX_SIM_USER_PRESENCE=focus the session also leaves FOCUSED
 * while the headset is off). The user (device/user.c: the script's head.worn and head.lens, the preview
 * window's P key) changes on its own; this file notices it when the app calls in (xrPollEvent, xrWaitFrame).
 * Layer: openxr (the upper part), beside faults_apply.c and action.c; calls session.c, instance.c, handles.c,
 * device/ (user, optics, clock) and base/. Called by frame.c, lifecycle.c and dispatch.c. */
#include "openxr/sim_entry_points.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "device/sim_optics.h"

/* Guarded by s->lock. */
struct sim_headset_state {
    bool running;          /* between xrBeginSession and xrEndSession: presence events go out */
    bool reported_worn;    /* the presence the app was last told */
    bool focus_worn;       /* the presence the session state follows (PARALLAX_SIM_USER_PRESENCE=focus) */
    float reported_radius; /* the lens the app's masks were last announced for */
};

static struct sim_headset_state *state_locked(sim_session *s)
{
    if (!s->headset) {
        s->headset = calloc(1, sizeof(*s->headset));
        if (s->headset) {
            s->headset->reported_worn = s->headset->focus_worn = true;
            s->headset->reported_radius = sim_user_lens_radius(s->user, sim_now());
        }
    }
    return s->headset;
}

static void push_presence(sim_session *s, bool worn)
{
    XrEventDataUserPresenceChangedEXT ev = {.type = XR_TYPE_EVENT_DATA_USER_PRESENCE_CHANGED_EXT,
                                            .session = (XrSession)s,
                                            .isUserPresent = worn ? XR_TRUE : XR_FALSE};
    sim_event_push(s->inst, &ev, sizeof(ev));
}

void sim_headset_session_begin(sim_session *s)
{
    bool worn = sim_user_worn(s->user, sim_now());
    pthread_mutex_lock(&s->lock);
    struct sim_headset_state *h = state_locked(s);
    if (h) {
        h->running = true;
        h->reported_worn = worn;
        h->focus_worn = true;
    }
    pthread_mutex_unlock(&s->lock);
    /* Spec (XR_EXT_user_presence): queued at every successful xrBeginSession, whatever the presence. */
    if (h && s->inst->ext_user_presence && s->inst->cfg.user_presence != SIM_USER_PRESENCE_NONE)
        push_presence(s, worn);
    sim_headset_poll(s);
}

void sim_headset_session_end(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    if (s->headset) s->headset->running = false;
    pthread_mutex_unlock(&s->lock);
}

void sim_headset_session_destroy(sim_session *s)
{
    free(s->headset);
    s->headset = NULL;
}

void sim_headset_poll(sim_session *s)
{
    XrTime now = sim_now();
    bool worn = sim_user_worn(s->user, now);
    float radius = sim_user_lens_radius(s->user, now);
    const sim_config *cfg = &s->inst->cfg;
    pthread_mutex_lock(&s->lock);
    struct sim_headset_state *h = state_locked(s);
    if (!h) {
        pthread_mutex_unlock(&s->lock);
        return;
    }
    bool presence_changed = h->running && worn != h->reported_worn;
    if (presence_changed) h->reported_worn = worn;
    bool mask_changed = radius != h->reported_radius;
    h->reported_radius = radius;
    /* The state follows the headset once frames flow (the ramp to FOCUSED is over or was cut short). */
    bool walk = cfg->user_presence == SIM_USER_PRESENCE_FOCUS && h->running && worn != h->focus_worn;
    if (walk) h->focus_worn = worn;
    pthread_mutex_unlock(&s->lock);

    if (presence_changed && s->inst->ext_user_presence && cfg->user_presence != SIM_USER_PRESENCE_NONE) {
        push_presence(s, worn);
        sim_log(SIM_LOG_INFO, "user presence: the headset was %s", worn ? "put on" : "taken off");
    }
    if (walk) {
        /* Off: the display is dark, the app neither shown nor focused; on: back to FOCUSED. */
        sim_session_walk_to(s, worn ? XR_SESSION_STATE_FOCUSED : XR_SESSION_STATE_SYNCHRONIZED);
    }
    if (mask_changed && s->inst->ext_visibility_mask) {
        /* Spec: one event per view whose mask changed; the lens is the same for both eyes. */
        for (uint32_t v = 0; v < 2; v++) {
            XrEventDataVisibilityMaskChangedKHR ev = {.type = XR_TYPE_EVENT_DATA_VISIBILITY_MASK_CHANGED_KHR,
                                                      .session = (XrSession)s,
                                                      .viewConfigurationType =
                                                          XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO,
                                                      .viewIndex = v};
            sim_event_push(s->inst, &ev, sizeof(ev));
        }
        sim_log(SIM_LOG_INFO, "visibility mask: the lens radius is now %.3f", (double)radius);
    }
}

/* ---------------------------------------------------------------- xrGetVisibilityMaskKHR */

SIM_FN(xrGetVisibilityMaskKHR)
(XrSession session, XrViewConfigurationType viewConfigurationType, uint32_t viewIndex,
 XrVisibilityMaskTypeKHR visibilityMaskType, XrVisibilityMaskKHR *visibilityMask)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (XR_FAILED(r)) return r;
    sim_instance *inst = s->inst;
    if (!inst->ext_visibility_mask)
        return sim_reject(
            inst, "xrGetVisibilityMaskKHR", XR_ERROR_FUNCTION_UNSUPPORTED,
            "XR_KHR_visibility_mask is not enabled on this instance (spec fundamentals-extensions: an "
            "extension's functions need the extension enabled at xrCreateInstance)");
    const char *bad = NULL;
    if (!visibilityMask)
        bad = "visibilityMask is NULL";
    else if (visibilityMask->type != XR_TYPE_VISIBILITY_MASK_KHR)
        bad = "visibilityMask->type is not XR_TYPE_VISIBILITY_MASK_KHR";
    else if (visibilityMaskType < XR_VISIBILITY_MASK_TYPE_HIDDEN_TRIANGLE_MESH_KHR ||
             visibilityMaskType > XR_VISIBILITY_MASK_TYPE_LINE_LOOP_KHR)
        bad = "visibilityMaskType is not an XrVisibilityMaskTypeKHR";
    if (bad)
        return sim_reject(inst, "xrGetVisibilityMaskKHR", XR_ERROR_VALIDATION_FAILURE,
                          "%s (VUID-xrGetVisibilityMaskKHR-visibilityMask-parameter, "
                          "VUID-xrGetVisibilityMaskKHR-visibilityMaskType-parameter)",
                          bad);
    if (viewConfigurationType != XR_VIEW_CONFIGURATION_TYPE_PRIMARY_STEREO)
        return sim_reject(inst, "xrGetVisibilityMaskKHR", XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED,
                          "viewConfigurationType %d is not supported (only PRIMARY_STEREO) (spec "
                          "xrGetVisibilityMaskKHR: XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED)",
                          (int)viewConfigurationType);
    if (viewIndex >= 2)
        return sim_reject(
            inst, "xrGetVisibilityMaskKHR", XR_ERROR_VALIDATION_FAILURE,
            "viewIndex %u is out of range: PRIMARY_STEREO has 2 views (spec xrGetVisibilityMaskKHR: "
            "viewIndex must be less than the view configuration's view count)",
            viewIndex);
    sim_mask *mask = malloc(sizeof(*mask));
    if (!mask) return XR_ERROR_OUT_OF_MEMORY;
    XrFovf fov = sim_eye_fov((int)viewIndex);
    sim_optics_mask(&fov, sim_user_lens_radius(s->user, sim_now()), (sim_mask_type)visibilityMaskType, mask);
    XrVisibilityMaskKHR *m = visibilityMask;
    /* Two-call idiom for two buffers: either capacity 0 asks for both counts. */
    m->vertexCountOutput = mask->vertex_count;
    m->indexCountOutput = mask->index_count;
    if (m->vertexCapacityInput == 0 || m->indexCapacityInput == 0) {
        free(mask);
        return XR_SUCCESS;
    }
    if (m->vertexCapacityInput < mask->vertex_count || m->indexCapacityInput < mask->index_count) {
        sim_reject(inst, "xrGetVisibilityMaskKHR", XR_ERROR_SIZE_INSUFFICIENT,
                   "vertexCapacityInput %u / indexCapacityInput %u, the mask needs %u / %u "
                   "(xrspec.html#fundamentals-buffer-size-parameters)",
                   m->vertexCapacityInput, m->indexCapacityInput, mask->vertex_count, mask->index_count);
        free(mask);
        return XR_ERROR_SIZE_INSUFFICIENT;
    }
    if (!m->vertices || !m->indices) {
        sim_reject(
            inst, "xrGetVisibilityMaskKHR", XR_ERROR_VALIDATION_FAILURE,
            "visibilityMask->%s is NULL with a capacity above 0 (VUID-XrVisibilityMaskKHR-%s-parameter)",
            !m->vertices ? "vertices" : "indices", !m->vertices ? "vertices" : "indices");
        free(mask);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    memcpy(m->vertices, mask->vertices, mask->vertex_count * sizeof(XrVector2f));
    memcpy(m->indices, mask->indices, mask->index_count * sizeof(uint32_t));
    free(mask);
    return XR_SUCCESS;
}
