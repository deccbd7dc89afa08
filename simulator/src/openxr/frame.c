/* SPDX-License-Identifier: MIT */
/* The frame loop of the simulated headset: xrWaitFrame pacing on the display clock, xrBeginFrame, and
 * xrEndFrame with its layer validation. xrEndFrame turns each frame into a sim_frame (device/sim_frame.h):
 * every layer the app submitted, in order, with its swapchain images resolved to Vulkan images, its poses
 * brought into LOCAL where the truth lives, and, for projection layers, when their poses were sampled; it
 * hands the frame to the compositor, which decides when it reaches the photons and measures it.
 * Layer: openxr (the upper part), above space.c and swapchain.c; calls space.c, faults_apply.c, session.c,
 * handles.c, device/ (clock, compositor, user) and base/. Starting and stopping the frame loop
 * (sim_frame_session_*) is called by lifecycle.c. */
#include "openxr/sim_entry_points.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_pose.h"

typedef struct sim_wait_entry {
    XrTime display_time; /* predictedDisplayTime returned */
    int64_t vsync;       /* vsync index it targets */
    XrTime return_time;  /* when xrWaitFrame returned */
} sim_wait_entry;

/* Guarded by s->lock. */
struct sim_frame_state {
    sim_wait_entry last_wait; /* the newest xrWaitFrame's result */
    bool waited;              /* a wait happened since xrBeginSession */
    bool waiting;             /* an xrWaitFrame is sleeping: a second one queues behind it */
    sim_wait_entry begun;     /* the xrWaitFrame the current xrBeginFrame consumed */
    XrTime begin_time;
};

/* Created on first use, under s->lock; lives until the session is destroyed. */
static struct sim_frame_state *frame_state(sim_session *s)
{
    if (!s->frame_state) {
        struct sim_frame_state *fs = calloc(1, sizeof(*fs));
        if (!fs) return NULL;
        s->frame_state = fs;
    }
    return s->frame_state;
}

XrResult sim_frame_session_begin(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = frame_state(s);
    if (!fs) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    /* The configured refresh rate again; the vsync grid continues from the clock's epoch (xrCreateSession,
     * when the IMU and the motion started). */
    sim_clock_restart(s->clock);
    s->frames_waited = s->frames_begun = s->frames_ended = 0;
    s->max_images_acquired = 0;
    s->frame_in_progress = false;
    s->wait_pending_begin = false;
    s->last_vsync_index = sim_clock_vsync_index(s->clock, sim_now());
    s->last_predicted_display_time = 0;
    fs->waited = false;
    fs->waiting = false;
    pthread_mutex_unlock(&s->lock);

    /* Time 0 of the PARALLAX_SIM_INPUT script: frames are about to flow. */
    sim_user_session_begin(s->user, sim_now());
    sim_compositor *c = NULL;
    XrResult r = sim_compositor_create(&(sim_compositor_desc){.vk = &s->vk,
                                                              .clock = s->clock,
                                                              .motion = s->motion,
                                                              .user = s->user,
                                                              .cfg = &s->inst->cfg,
                                                              .app_name = s->inst->app_name},
                                       &c);
    if (r != XR_SUCCESS) return r;
    pthread_mutex_lock(&s->lock);
    s->compositor = c;
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

void sim_frame_session_end(sim_session *s, const char *how)
{
    pthread_mutex_lock(&s->lock);
    sim_compositor *c = s->compositor;
    s->compositor = NULL;
    /* What the report says of the app's calls: images it still holds, how the session stopped. */
    uint32_t held = 0;
    for (const sim_swapchain *sc = s->swapchains; sc; sc = sc->next) held += sc->acquired_count;
    sim_compositor_set_protocol(c, &(sim_protocol_facts){.call_order_violations = sim_protocol_violations(),
                                                         .max_images_acquired = s->max_images_acquired,
                                                         .images_acquired_at_end = held,
                                                         .session_end = how});
    s->frame_in_progress = false;
    s->wait_pending_begin = false;
    /* Wakes an xrWaitFrame queued behind another so it sees the session is no longer running. */
    pthread_cond_broadcast(&s->frame_cond);
    pthread_mutex_unlock(&s->lock);
    sim_compositor_destroy(&c);
}

void sim_frame_session_destroy(sim_session *s)
{
    sim_frame_session_end(s, "xrDestroySession");
    free(s->frame_state);
    s->frame_state = NULL;
}

/* ---------------------------------------------------------------- xrWaitFrame */

/* Chooses the vsync the next frame targets and when xrWaitFrame returns. Caller holds s->lock. */
static void plan_frame(sim_session *s, XrTime now, int64_t *out_vsync, XrTime *out_wake)
{
    sim_clock *clock = s->clock;
    XrDuration period = sim_clock_period(clock);
    int64_t min_target = s->last_vsync_index + 1; /* one frame per refresh at most */
    if (s->inst->cfg.pacing == SIM_PACING_ADAPTIVE) {
        /* Wake as late as the app's measured cost allows: it must be GPU-complete by vsync - lead. The
         * budget is the cost's 95th percentile plus a margin that grows with its spread (a jittery app or
         * a loaded machine needs more room), at least 1 ms. Until 64 frames are measured the budget
         * is what fixed pacing gives (two periods). A budget over several periods is legitimate: a slow
         * app is then pipelined towards the first vsync it can reach. */
        XrDuration p50 = 0, p95 = 0;
        XrDuration need = 2 * period;
        if (s->compositor && sim_compositor_frame_cost(s->compositor, &p50, &p95)) {
            XrDuration margin = p95 - p50 > 1000000 ? p95 - p50 : 1000000;
            need = p95 + margin + sim_clock_compositor_lead(clock);
        }
        int64_t v = sim_clock_vsync_index(clock, now + need);
        if (v < min_target) v = min_target;
        *out_vsync = v;
        *out_wake = sim_clock_vsync_time(clock, v) - need;
    } else {
        /* Fixed: wake at a vsync, display two periods later (a classic double-buffered compositor). */
        int64_t wake = sim_clock_vsync_index(clock, now);
        if (wake + 2 < min_target) wake = min_target - 2;
        *out_vsync = wake + 2;
        *out_wake = sim_clock_vsync_time(clock, wake);
    }
}

SIM_FN(xrWaitFrame)(XrSession session, const XrFrameWaitInfo *frameWaitInfo, XrFrameState *frameState)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    /* frameWaitInfo is optional (NULL is valid); frameState is not. */
    if (frameWaitInfo) SIM_REQUIRE_IN(s->inst, frameWaitInfo, XR_TYPE_FRAME_WAIT_INFO, XrFrameWaitInfo);
    SIM_REQUIRE_IN(s->inst, frameState, XR_TYPE_FRAME_STATE, XrFrameState);
    /* Faults due at this frame (faults_apply.c): state changes, losses, a stall added to the wake-up; or an
     * injected failure of this call, which then does nothing. */
    XrResult fault_status = XR_SUCCESS;
    XrDuration fault_stall = sim_faults_wait_frame(s, &fault_status);
    if (XR_FAILED(fault_status)) return fault_status;
    /* The user put the headset on or took it off, or the lens changed (headset.c). */
    sim_headset_poll(s);
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = frame_state(s);
    if (!fs) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrWaitFrame", "the session is not running (spec xrWaitFrame: "
                                              "XR_ERROR_SESSION_NOT_RUNNING before xrBeginSession or after "
                                              "xrEndSession): XR_ERROR_SESSION_NOT_RUNNING");
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    if (fs->waiting)
        sim_protocol_violation("xrWaitFrame",
                               "another xrWaitFrame of this session is still blocked (the spec "
                               "requires the calls to be externally synchronized)");
    /* A wait whose frame has not begun yet holds back the next one until xrBeginFrame (spec: xrWaitFrame
     * blocks until the previous frame has begun). On the thread that would call that xrBeginFrame this never
     * ends: after a second it is reported, once, and the wait goes on as the spec says. */
    XrTime blocked_at = sim_now();
    bool stuck_reported = false;
    while (s->running && (fs->waiting || s->wait_pending_begin)) {
        /* Timed, so a session ended from another thread (running cleared without a signal) is noticed. */
        sim_cond_wait_until(&s->frame_cond, &s->lock, sim_now() + 50000000);
        if (!stuck_reported && s->wait_pending_begin && sim_now() - blocked_at > 1000000000) {
            stuck_reported = true;
            sim_protocol_violation("xrWaitFrame",
                                   "blocked 1 s for the xrBeginFrame of the frame the previous xrWaitFrame "
                                   "returned (the spec makes it wait for that): the app's frame loop looks "
                                   "stuck");
        }
    }
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrWaitFrame", "the session stopped running while the call waited (ended "
                                              "from another thread): XR_ERROR_SESSION_NOT_RUNNING");
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    int64_t vsync;
    XrTime wake;
    plan_frame(s, sim_now(), &vsync, &wake);
    s->last_vsync_index = vsync;
    fs->waiting = true;
    pthread_mutex_unlock(&s->lock);

    /* A scheduler's lateness (PARALLAX_SIM_WAIT_JITTER_MS) and a stall fault only ever make it late. */
    sim_sleep_until(wake + fault_stall + sim_clock_wait_lateness(s->clock, vsync));

    pthread_mutex_lock(&s->lock);
    sim_wait_entry e = {
        .display_time = sim_clock_photon_time(s->clock, vsync), .vsync = vsync, .return_time = sim_now()};
    fs->last_wait = e;
    fs->waited = true;
    fs->waiting = false;
    s->wait_pending_begin = true;
    s->frames_waited++;
    s->last_predicted_display_time = e.display_time;
    bool render = s->state == XR_SESSION_STATE_VISIBLE || s->state == XR_SESSION_STATE_FOCUSED;
    XrDuration period = sim_clock_period(s->clock);
    pthread_cond_broadcast(&s->frame_cond);
    pthread_mutex_unlock(&s->lock);

    frameState->predictedDisplayTime = e.display_time;
    frameState->predictedDisplayPeriod = period;
    frameState->shouldRender = render ? XR_TRUE : XR_FALSE;
    return fault_status;
}

/* ---------------------------------------------------------------- xrBeginFrame */

SIM_FN(xrBeginFrame)(XrSession session, const XrFrameBeginInfo *frameBeginInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    if (frameBeginInfo) SIM_REQUIRE_IN(s->inst, frameBeginInfo, XR_TYPE_FRAME_BEGIN_INFO, XrFrameBeginInfo);
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = s->frame_state;
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrBeginFrame", "the session is not running (spec xrBeginFrame: "
                                               "XR_ERROR_SESSION_NOT_RUNNING before xrBeginSession or after "
                                               "xrEndSession): XR_ERROR_SESSION_NOT_RUNNING");
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    if (!s->wait_pending_begin || !fs || !fs->waited) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrBeginFrame", "no xrWaitFrame precedes it (spec xrBeginFrame: "
                                               "XR_ERROR_CALL_ORDER_INVALID without a prior successful "
                                               "xrWaitFrame): XR_ERROR_CALL_ORDER_INVALID");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    /* An injected failure (PARALLAX_SIM_FAULTS fail): the frame is not begun, the next xrWaitFrame still
     * waits for it. */
    if (XR_FAILED(r = sim_faults_fail(s->inst, SIM_FAULT_CALL_BEGIN_FRAME))) {
        pthread_mutex_unlock(&s->lock);
        return r;
    }
    bool discarded = s->frame_in_progress;
    fs->begun = fs->last_wait;
    fs->begin_time = sim_now();
    s->wait_pending_begin = false;
    s->frame_in_progress = true;
    s->frames_begun++;
    pthread_cond_broadcast(&s->frame_cond);
    pthread_mutex_unlock(&s->lock);
    sim_session_frame_progress(s);
    return discarded ? XR_FRAME_DISCARDED : XR_SUCCESS;
}

/* ---------------------------------------------------------------- xrEndFrame */

static bool space_of_session(const sim_session *s, XrSpace space)
{
    return sim_handle_valid((const void *)space, SIM_HANDLE_SPACE) &&
           ((const sim_space *)space)->session == s;
}

static bool pose_valid(const XrPosef *p)
{
    const XrQuaternionf *q = &p->orientation;
    float n = q->x * q->x + q->y * q->y + q->z * q->z + q->w * q->w;
    return isfinite(n) && fabsf(n - 1.0f) < 1e-3f && isfinite(p->position.x) && isfinite(p->position.y) &&
           isfinite(p->position.z);
}

/* A sub-image must name a live swapchain of this session with a released image, a layer inside the array
 * and a rectangle inside the image. */
static XrResult check_sub_image(const sim_session *s, const XrSwapchainSubImage *sub, const char *what,
                                sim_swapchain **out_sc)
{
    if (!sim_handle_valid((const void *)sub->swapchain, SIM_HANDLE_SWAPCHAIN) ||
        ((const sim_swapchain *)sub->swapchain)->session != s) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: %s: swapchain is not a live swapchain of this session: "
                "XR_ERROR_HANDLE_INVALID",
                what);
        return XR_ERROR_HANDLE_INVALID;
    }
    sim_swapchain *sc = (sim_swapchain *)sub->swapchain;
    if (sc->last_released < 0) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %s: the swapchain has no released image: XR_ERROR_LAYER_INVALID",
                what);
        return XR_ERROR_LAYER_INVALID;
    }
    if (sub->imageArrayIndex >= sc->info.arraySize) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: %s: imageArrayIndex %u >= arraySize %u: XR_ERROR_VALIDATION_FAILURE", what,
                sub->imageArrayIndex, sc->info.arraySize);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    const XrRect2Di *rc = &sub->imageRect;
    if (rc->offset.x < 0 || rc->offset.y < 0 || rc->extent.width <= 0 || rc->extent.height <= 0 ||
        (int64_t)rc->offset.x + rc->extent.width > (int64_t)sc->info.width ||
        (int64_t)rc->offset.y + rc->extent.height > (int64_t)sc->info.height) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: %s: imageRect (%d,%d %dx%d) is not inside the %ux%u image: "
                "XR_ERROR_SWAPCHAIN_RECT_INVALID",
                what, rc->offset.x, rc->offset.y, rc->extent.width, rc->extent.height, sc->info.width,
                sc->info.height);
        return XR_ERROR_SWAPCHAIN_RECT_INVALID;
    }
    *out_sc = sc;
    return XR_SUCCESS;
}

/* XrCompositionLayerDepthInfoKHR (XR_KHR_composition_layer_depth): a depth swapchain; minDepth and maxDepth
 * in [0, 1] with minDepth < maxDepth; nearZ and farZ in (0, +infinity] and different (nearZ > farZ is
 * reversed Z; either may be +infinity). Each failure names the one condition that failed. */
static XrResult check_depth_info(const XrCompositionLayerDepthInfoKHR *d, const sim_swapchain *dsc,
                                 const char *what)
{
    const char *fail = NULL;
    char detail[160];
    if (!dsc->is_depth) {
        snprintf(detail, sizeof(detail), "subImage.swapchain has colour format %lld, not a depth format",
                 (long long)dsc->info.format);
        fail = detail;
    } else if (!(d->minDepth >= 0.0f && d->minDepth <= 1.0f)) {
        snprintf(detail, sizeof(detail), "minDepth %g is not in [0, 1]", (double)d->minDepth);
        fail = detail;
    } else if (!(d->maxDepth >= 0.0f && d->maxDepth <= 1.0f)) {
        snprintf(detail, sizeof(detail), "maxDepth %g is not in [0, 1]", (double)d->maxDepth);
        fail = detail;
    } else if (!(d->minDepth < d->maxDepth)) {
        snprintf(detail, sizeof(detail), "minDepth %g is not less than maxDepth %g", (double)d->minDepth,
                 (double)d->maxDepth);
        fail = detail;
    } else if (!(d->nearZ > 0.0f)) { /* +infinity passes; NaN, 0 and negatives do not */
        snprintf(detail, sizeof(detail), "nearZ %g is not in (0, +infinity]", (double)d->nearZ);
        fail = detail;
    } else if (!(d->farZ > 0.0f)) {
        snprintf(detail, sizeof(detail), "farZ %g is not in (0, +infinity]", (double)d->farZ);
        fail = detail;
    } else if (d->nearZ == d->farZ) {
        snprintf(detail, sizeof(detail), "nearZ and farZ are both %g (they must differ)", (double)d->nearZ);
        fail = detail;
    }
    if (!fail) return XR_SUCCESS;
    sim_log(SIM_LOG_ERROR, "xrEndFrame: %s: %s: XR_ERROR_VALIDATION_FAILURE", what, fail);
    return XR_ERROR_VALIDATION_FAILURE;
}

/* layerFlags may hold only the bits of XrCompositionLayerFlagBits this runtime knows. */
static XrResult check_layer_flags(XrCompositionLayerFlags flags, uint32_t li)
{
    const XrCompositionLayerFlags known = XR_COMPOSITION_LAYER_CORRECT_CHROMATIC_ABERRATION_BIT |
                                          XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT |
                                          XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT;
    if (!(flags & ~known)) return XR_SUCCESS;
    sim_log(
        SIM_LOG_ERROR,
        "xrEndFrame: layers[%u].layerFlags 0x%llx has bits no XrCompositionLayerFlagBits defines (0x%llx): "
        "XR_ERROR_VALIDATION_FAILURE",
        li, (unsigned long long)flags, (unsigned long long)(flags & ~known));
    return XR_ERROR_VALIDATION_FAILURE;
}

/* What a quad, cylinder and equirect2 layer share: space, flags, eye visibility, pose, a colour sub-image. */
static XrResult check_placed_layer(const sim_session *s, XrSpace space, XrCompositionLayerFlags flags,
                                   XrEyeVisibility eyes, const XrPosef *pose, const XrSwapchainSubImage *sub,
                                   uint32_t li)
{
    char what[48];
    snprintf(what, sizeof(what), "layers[%u]", li);
    if (!space_of_session(s, space)) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: %s.space is not a live space of this session: XR_ERROR_HANDLE_INVALID", what);
        return XR_ERROR_HANDLE_INVALID;
    }
    XrResult r = check_layer_flags(flags, li);
    if (r != XR_SUCCESS) return r;
    if (eyes != XR_EYE_VISIBILITY_BOTH && eyes != XR_EYE_VISIBILITY_LEFT && eyes != XR_EYE_VISIBILITY_RIGHT) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: %s.eyeVisibility %d is not an XrEyeVisibility (BOTH 0, LEFT 1, RIGHT 2): "
                "XR_ERROR_VALIDATION_FAILURE",
                what, (int)eyes);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    if (!pose_valid(pose)) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %s.pose is not a unit-quaternion pose: XR_ERROR_POSE_INVALID",
                what);
        return XR_ERROR_POSE_INVALID;
    }
    sim_swapchain *sc;
    r = check_sub_image(s, sub, what, &sc);
    if (r == XR_SUCCESS && sc->is_depth) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %s uses a depth swapchain: XR_ERROR_VALIDATION_FAILURE", what);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    return r;
}

/* A radius of a cylinder or equirect2 layer: non-negative (0 and +infinity mean infinitely far). */
static XrResult check_radius(float radius, uint32_t li)
{
    if (radius >= 0.0f) return XR_SUCCESS;
    sim_log(SIM_LOG_ERROR,
            "xrEndFrame: layers[%u].radius %g is not >= 0 (0 or +infinity mean an infinite radius): "
            "XR_ERROR_VALIDATION_FAILURE",
            li, (double)radius);
    return XR_ERROR_VALIDATION_FAILURE;
}

/* An angle in [lo, hi] (or [lo, hi) when hi_open), compared in float: an app's (float)(2 * pi) or
 * (float)(pi / 2) is the bound itself. */
static XrResult check_angle(float a, double lo, double hi, bool hi_open, uint32_t li, const char *name,
                            const char *range)
{
    float flo = (float)lo, fhi = (float)hi;
    if (a >= flo && (hi_open ? a < fhi : a <= fhi)) return XR_SUCCESS;
    sim_log(SIM_LOG_ERROR, "xrEndFrame: layers[%u].%s %g is not in %s: XR_ERROR_VALIDATION_FAILURE", li, name,
            (double)a, range);
    return XR_ERROR_VALIDATION_FAILURE;
}

static XrResult check_cylinder(const sim_session *s, const XrCompositionLayerCylinderKHR *c, uint32_t li)
{
    XrResult r = check_placed_layer(s, c->space, c->layerFlags, c->eyeVisibility, &c->pose, &c->subImage, li);
    if (r == XR_SUCCESS) r = check_radius(c->radius, li);
    if (r == XR_SUCCESS)
        r = check_angle(c->centralAngle, 0.0, 2.0 * PLX_PI, true, li, "centralAngle", "[0, 2*pi)");
    if (r == XR_SUCCESS && isnan(c->aspectRatio)) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: layers[%u].aspectRatio is NaN: XR_ERROR_VALIDATION_FAILURE", li);
        r = XR_ERROR_VALIDATION_FAILURE;
    }
    return r;
}

static XrResult check_equirect2(const sim_session *s, const XrCompositionLayerEquirect2KHR *e, uint32_t li)
{
    XrResult r = check_placed_layer(s, e->space, e->layerFlags, e->eyeVisibility, &e->pose, &e->subImage, li);
    if (r == XR_SUCCESS) r = check_radius(e->radius, li);
    if (r == XR_SUCCESS)
        r = check_angle(e->centralHorizontalAngle, 0.0, 2.0 * PLX_PI, false, li, "centralHorizontalAngle",
                        "[0, 2*pi]");
    if (r == XR_SUCCESS)
        r = check_angle(e->upperVerticalAngle, -PLX_PI / 2.0, PLX_PI / 2.0, false, li, "upperVerticalAngle",
                        "[-pi/2, pi/2]");
    if (r == XR_SUCCESS)
        r = check_angle(e->lowerVerticalAngle, -PLX_PI / 2.0, PLX_PI / 2.0, false, li, "lowerVerticalAngle",
                        "[-pi/2, pi/2]");
    return r;
}

static XrResult check_projection(const sim_session *s, const XrCompositionLayerProjection *p, uint32_t li)
{
    char what[64];
    if (!space_of_session(s, p->space)) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: layers[%u].space is not a live space of this session: "
                "XR_ERROR_HANDLE_INVALID",
                li);
        return XR_ERROR_HANDLE_INVALID;
    }
    XrResult fr = check_layer_flags(p->layerFlags, li);
    if (fr != XR_SUCCESS) return fr;
    if (p->viewCount != 2 || !p->views) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: layers[%u].viewCount is %u (stereo needs 2 views): "
                "XR_ERROR_VALIDATION_FAILURE",
                li, p->viewCount);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    for (uint32_t v = 0; v < 2; v++) {
        const XrCompositionLayerProjectionView *view = &p->views[v];
        snprintf(what, sizeof(what), "layers[%u].views[%u]", li, v);
        if (view->type != XR_TYPE_COMPOSITION_LAYER_PROJECTION_VIEW) {
            sim_log(SIM_LOG_ERROR, "xrEndFrame: %s has the wrong type: XR_ERROR_VALIDATION_FAILURE", what);
            return XR_ERROR_VALIDATION_FAILURE;
        }
        if (!pose_valid(&view->pose)) {
            sim_log(SIM_LOG_ERROR, "xrEndFrame: %s.pose is not a unit-quaternion pose: XR_ERROR_POSE_INVALID",
                    what);
            return XR_ERROR_POSE_INVALID;
        }
        sim_swapchain *sc;
        XrResult r = check_sub_image(s, &view->subImage, what, &sc);
        if (r != XR_SUCCESS) return r;
        if (sc->is_depth) {
            sim_log(SIM_LOG_ERROR,
                    "xrEndFrame: %s uses a depth swapchain as colour: XR_ERROR_VALIDATION_FAILURE", what);
            return XR_ERROR_VALIDATION_FAILURE;
        }
        /* Depth submitted through XR_KHR_composition_layer_depth: accepted and checked when enabled. */
        for (const XrBaseInStructure *n = view->next; n; n = n->next) {
            if (n->type != XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR || !s->inst->ext_depth) continue;
            const XrCompositionLayerDepthInfoKHR *d = (const XrCompositionLayerDepthInfoKHR *)n;
            char dwhat[96];
            snprintf(dwhat, sizeof(dwhat), "%s depth info", what);
            sim_swapchain *dsc;
            r = check_sub_image(s, &d->subImage, dwhat, &dsc);
            if (r != XR_SUCCESS) return r;
            r = check_depth_info(d, dsc, dwhat);
            if (r != XR_SUCCESS) return r;
        }
    }
    return XR_SUCCESS;
}

/* A quad's size is its width and height in metres: finite and >= 0 (a zero size is valid and draws
 * nothing). */
static XrResult check_quad(const sim_session *s, const XrCompositionLayerQuad *q, uint32_t li)
{
    XrResult r = check_placed_layer(s, q->space, q->layerFlags, q->eyeVisibility, &q->pose, &q->subImage, li);
    if (r != XR_SUCCESS) return r;
    const float dims[2] = {q->size.width, q->size.height};
    const char *names[2] = {"width", "height"};
    for (int k = 0; k < 2; k++)
        if (!(dims[k] >= 0.0f) || isinf(dims[k])) {
            sim_log(SIM_LOG_ERROR,
                    "xrEndFrame: layers[%u].size.%s %g is not a size in metres (finite, >= 0): "
                    "XR_ERROR_VALIDATION_FAILURE",
                    li, names[k], (double)dims[k]);
            return XR_ERROR_VALIDATION_FAILURE;
        }
    return XR_SUCCESS;
}

/* ---------------------------------------------------------------- the frame's layers for the compositor */

/* The image a validated sub-image names: the swapchain's last released image. Caller holds s->lock (the
 * swapchain's release state is written under it). */
static sim_layer_image layer_image(const XrSwapchainSubImage *sub)
{
    const sim_swapchain *sc = (const sim_swapchain *)sub->swapchain;
    return (sim_layer_image){.image = sc->images[sc->last_released],
                             .format = (VkFormat)sc->info.format,
                             .width = sc->info.width,
                             .height = sc->info.height,
                             .array_size = sc->info.arraySize,
                             .sample_count = sc->info.sampleCount,
                             .array_index = sub->imageArrayIndex,
                             .rect = sub->imageRect};
}

static sim_layer_alpha layer_alpha(XrCompositionLayerFlags flags)
{
    if (!(flags & XR_COMPOSITION_LAYER_BLEND_TEXTURE_SOURCE_ALPHA_BIT)) return SIM_ALPHA_OPAQUE;
    return (flags & XR_COMPOSITION_LAYER_UNPREMULTIPLIED_ALPHA_BIT) ? SIM_ALPHA_UNPREMULTIPLIED
                                                                    : SIM_ALPHA_PREMULTIPLIED;
}

/* A validated projection layer in the compositor's terms, poses as submitted. Caller holds s->lock. */
static void take_projection(const sim_session *s, const XrCompositionLayerProjection *p, sim_layer *out)
{
    *out = (sim_layer){.type = SIM_LAYER_PROJECTION,
                       .flags = p->layerFlags,
                       .alpha = layer_alpha(p->layerFlags),
                       .eye_visibility = XR_EYE_VISIBILITY_BOTH};
    out->projection.view_count = p->viewCount;
    for (uint32_t v = 0; v < p->viewCount && v < SIM_MAX_LAYER_VIEWS; v++) {
        const XrCompositionLayerProjectionView *pv = &p->views[v];
        sim_projection_view *view = &out->projection.views[v];
        view->pose = pv->pose;
        view->fov = pv->fov;
        view->color = layer_image(&pv->subImage);
        for (const XrBaseInStructure *n = pv->next; n; n = n->next) {
            if (n->type != XR_TYPE_COMPOSITION_LAYER_DEPTH_INFO_KHR || !s->inst->ext_depth) continue;
            const XrCompositionLayerDepthInfoKHR *d = (const XrCompositionLayerDepthInfoKHR *)n;
            view->has_depth = true;
            view->depth = (sim_layer_depth){.image = layer_image(&d->subImage),
                                            .min_depth = d->minDepth,
                                            .max_depth = d->maxDepth,
                                            .near_z = d->nearZ,
                                            .far_z = d->farZ};
        }
    }
}

/* A validated quad layer in the compositor's terms, pose as submitted. Caller holds s->lock. */
static void take_quad(const XrCompositionLayerQuad *q, sim_layer *out)
{
    *out = (sim_layer){.type = SIM_LAYER_QUAD,
                       .flags = q->layerFlags,
                       .alpha = layer_alpha(q->layerFlags),
                       .eye_visibility = q->eyeVisibility};
    out->quad.pose = q->pose;
    out->quad.size = q->size;
    out->quad.image = layer_image(&q->subImage);
}

/* A validated cylinder layer in the compositor's terms, pose as submitted. Caller holds s->lock. */
static void take_cylinder(const XrCompositionLayerCylinderKHR *c, sim_layer *out)
{
    *out = (sim_layer){.type = SIM_LAYER_CYLINDER,
                       .flags = c->layerFlags,
                       .alpha = layer_alpha(c->layerFlags),
                       .eye_visibility = c->eyeVisibility};
    out->cylinder.pose = c->pose;
    out->cylinder.radius = c->radius;
    out->cylinder.central_angle = c->centralAngle;
    out->cylinder.aspect_ratio = c->aspectRatio;
    out->cylinder.image = layer_image(&c->subImage);
}

/* A validated equirect2 layer in the compositor's terms, pose as submitted. Caller holds s->lock. */
static void take_equirect2(const XrCompositionLayerEquirect2KHR *e, sim_layer *out)
{
    *out = (sim_layer){.type = SIM_LAYER_EQUIRECT2,
                       .flags = e->layerFlags,
                       .alpha = layer_alpha(e->layerFlags),
                       .eye_visibility = e->eyeVisibility};
    out->equirect2.pose = e->pose;
    out->equirect2.radius = e->radius;
    out->equirect2.central_horizontal_angle = e->centralHorizontalAngle;
    out->equirect2.upper_vertical_angle = e->upperVerticalAngle;
    out->equirect2.lower_vertical_angle = e->lowerVerticalAngle;
    out->equirect2.image = layer_image(&e->subImage);
}

/* Brings a layer's poses into LOCAL, where the truth lives, at the frame's display time: a VIEW-space layer
 * is head-locked and keeps its poses relative to the head (the space's own offset applied; it has no
 * world-locked pose to judge), and a layer whose space has no pose then keeps them as submitted. A projection
 * layer also learns when its poses were sampled: xrLocateViews reports its views in LOCAL, and a pose that
 * matches none of them (made up or re-predicted by the app) counts as sampled at xrEndFrame (now). */
static void place_layer(sim_session *s, sim_space *sp, XrTime display_time, XrTime now, sim_layer *l)
{
    XrPosef space_pose;
    if (!sp->action && sp->ref_type == XR_REFERENCE_SPACE_TYPE_VIEW) {
        l->space = SIM_LAYER_SPACE_VIEW;
        space_pose = sp->pose_in_space; /* relative to the head */
    } else if (!sim_space_pose_in_local(sp, display_time, &space_pose))
        l->space = SIM_LAYER_SPACE_UNTRACKED;
    else
        l->space = SIM_LAYER_SPACE_LOCAL;
    bool local = l->space == SIM_LAYER_SPACE_LOCAL;
    XrPosef *poses[SIM_MAX_LAYER_VIEWS] = {NULL};
    uint32_t n = 1;
    switch (l->type) {
    case SIM_LAYER_PROJECTION:
        n = l->projection.view_count < SIM_MAX_LAYER_VIEWS ? l->projection.view_count : SIM_MAX_LAYER_VIEWS;
        for (uint32_t v = 0; v < n; v++) poses[v] = &l->projection.views[v].pose;
        break;
    case SIM_LAYER_QUAD:
        poses[0] = &l->quad.pose;
        break;
    case SIM_LAYER_CYLINDER:
        poses[0] = &l->cylinder.pose;
        break;
    case SIM_LAYER_EQUIRECT2:
        poses[0] = &l->equirect2.pose;
        break;
    }
    for (uint32_t v = 0; v < n && l->space != SIM_LAYER_SPACE_UNTRACKED; v++)
        *poses[v] = sim_xr_pose(plx_pose_mul(sim_plx_pose(space_pose), sim_plx_pose(*poses[v])));
    if (l->type != SIM_LAYER_PROJECTION) return;
    sim_pose_measure *m = &l->projection.measure;
    XrPosef located[2] = {l->projection.views[0].pose, l->projection.views[1].pose};
    if (!local || !sim_space_find_located(s, located, &m->sample_time, &m->locate_time)) {
        m->sample_time = now;
        m->locate_time = now;
    }
}

/* ---------------------------------------------------------------- xrEndFrame */

SIM_FN(xrEndFrame)(XrSession session, const XrFrameEndInfo *frameEndInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    const XrFrameEndInfo *ei = frameEndInfo;
    SIM_REQUIRE_IN(s->inst, frameEndInfo, XR_TYPE_FRAME_END_INFO, XrFrameEndInfo);
    XrTime now = sim_now();
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = s->frame_state;
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrEndFrame", "the session is not running (spec xrEndFrame: "
                                             "XR_ERROR_SESSION_NOT_RUNNING before xrBeginSession or after "
                                             "xrEndSession): XR_ERROR_SESSION_NOT_RUNNING");
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    if (!s->frame_in_progress || !fs) {
        pthread_mutex_unlock(&s->lock);
        sim_protocol_violation("xrEndFrame", "no xrBeginFrame precedes it (spec xrEndFrame: "
                                             "XR_ERROR_CALL_ORDER_INVALID without a prior successful "
                                             "xrBeginFrame): XR_ERROR_CALL_ORDER_INVALID");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    /* An injected failure (PARALLAX_SIM_FAULTS fail): nothing is submitted and the frame stays begun, so the
     * next xrBeginFrame reports it XR_FRAME_DISCARDED. */
    if (XR_FAILED(r = sim_faults_fail(s->inst, SIM_FAULT_CALL_END_FRAME))) {
        pthread_mutex_unlock(&s->lock);
        return r;
    }
    /* displayTime (spec #XrFrameEndInfo, #xrEndFrame): "the XrTime at which this frame should be displayed",
     * which "should be computed using values returned by xrWaitFrame" -- should, not must: a pipelined app
     * may target a later period than the xrWaitFrame its frame began with, or reuse an earlier one. Any time
     * XrTime can hold is accepted; only zero or a negative time is XR_ERROR_TIME_INVALID ("zero, negative, or
     * out of range"). The frame targets the refresh whose photons are nearest its displayTime, so it is never
     * shown before the period it was predicted for (spec #xrEndFrame's note on reprojection); a time already
     * past is shown as soon as possible and counted late. */
    if (ei->displayTime <= 0) {
        pthread_mutex_unlock(&s->lock);
        sim_debug_message(s->inst, XR_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT, "xrEndFrame",
                          "frameEndInfo->displayTime is %lld: an XrTime must be greater than 0 "
                          "(XR_ERROR_TIME_INVALID)",
                          (long long)ei->displayTime);
        return XR_ERROR_TIME_INVALID;
    }
    sim_wait_entry target = fs->begun;
    XrDuration period = sim_clock_period(s->clock);
    target.vsync =
        sim_clock_vsync_index(s->clock, ei->displayTime - sim_clock_display_offset(s->clock) - period / 2);
    XrTime begin_time = fs->begin_time;
    pthread_mutex_unlock(&s->lock);

    /* One of the modes xrEnumerateEnvironmentBlendModes lists (PARALLAX_SIM_BLEND_MODES). */
    const sim_config *cfg = &s->inst->cfg;
    bool offered = false;
    for (uint32_t i = 0; i < cfg->blend_mode_count; i++)
        offered |= (int)cfg->blend_modes[i] == (int)ei->environmentBlendMode;
    if (!offered) {
        char list[64] = "";
        static const char *const names[] = {"", "OPAQUE", "ADDITIVE", "ALPHA_BLEND"};
        for (uint32_t i = 0; i < cfg->blend_mode_count; i++)
            snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? ", " : "",
                     names[cfg->blend_modes[i] < 4 ? cfg->blend_modes[i] : 0]);
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: environmentBlendMode %d is not one xrEnumerateEnvironmentBlendModes lists (%s; "
                "PARALLAX_SIM_BLEND_MODES): XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED",
                (int)ei->environmentBlendMode, list);
        return XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED;
    }
    if (ei->layerCount > SIM_MAX_LAYERS) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %u layers, the limit is %u: XR_ERROR_LAYER_LIMIT_EXCEEDED",
                ei->layerCount, (unsigned)SIM_MAX_LAYERS);
        return XR_ERROR_LAYER_LIMIT_EXCEEDED;
    }
    if (ei->layerCount > 0 && !ei->layers) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: layers is NULL with layerCount %u: XR_ERROR_VALIDATION_FAILURE",
                ei->layerCount);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    /* The frame the compositor gets: every accepted layer, in order. Large, so not on the stack. */
    sim_frame *frame = calloc(1, sizeof(*frame));
    if (!frame) return XR_ERROR_OUT_OF_MEMORY;
    sim_space *spaces[SIM_MAX_LAYERS];
    /* Swapchain state (released images) is read under the session lock it is written under. */
    pthread_mutex_lock(&s->lock);
    for (uint32_t i = 0; i < ei->layerCount && r == XR_SUCCESS; i++) {
        const XrCompositionLayerBaseHeader *l = ei->layers[i];
        if (!l) {
            sim_log(SIM_LOG_ERROR, "xrEndFrame: layers[%u] is NULL: XR_ERROR_LAYER_INVALID", i);
            r = XR_ERROR_LAYER_INVALID;
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_PROJECTION) {
            const XrCompositionLayerProjection *p = (const XrCompositionLayerProjection *)l;
            r = check_projection(s, p, i);
            if (r == XR_SUCCESS) take_projection(s, p, &frame->layers[frame->layer_count]);
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_QUAD) {
            const XrCompositionLayerQuad *q = (const XrCompositionLayerQuad *)l;
            r = check_quad(s, q, i);
            if (r == XR_SUCCESS) take_quad(q, &frame->layers[frame->layer_count]);
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_CYLINDER_KHR && s->inst->ext_cylinder) {
            const XrCompositionLayerCylinderKHR *c = (const XrCompositionLayerCylinderKHR *)l;
            r = check_cylinder(s, c, i);
            if (r == XR_SUCCESS) take_cylinder(c, &frame->layers[frame->layer_count]);
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_EQUIRECT2_KHR && s->inst->ext_equirect2) {
            const XrCompositionLayerEquirect2KHR *e = (const XrCompositionLayerEquirect2KHR *)l;
            r = check_equirect2(s, e, i);
            if (r == XR_SUCCESS) take_equirect2(e, &frame->layers[frame->layer_count]);
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_CYLINDER_KHR ||
                   l->type == XR_TYPE_COMPOSITION_LAYER_EQUIRECT2_KHR) {
            sim_log(SIM_LOG_ERROR,
                    "xrEndFrame: layers[%u] is a %s layer but the instance did not enable %s: "
                    "XR_ERROR_LAYER_INVALID",
                    i, l->type == XR_TYPE_COMPOSITION_LAYER_CYLINDER_KHR ? "cylinder" : "equirect2",
                    l->type == XR_TYPE_COMPOSITION_LAYER_CYLINDER_KHR
                        ? XR_KHR_COMPOSITION_LAYER_CYLINDER_EXTENSION_NAME
                        : XR_KHR_COMPOSITION_LAYER_EQUIRECT2_EXTENSION_NAME);
            r = XR_ERROR_LAYER_INVALID;
        } else {
            sim_log(SIM_LOG_ERROR,
                    "xrEndFrame: layers[%u] has type %d, not a supported layer: XR_ERROR_LAYER_INVALID", i,
                    (int)l->type);
            r = XR_ERROR_LAYER_INVALID;
        }
        if (r == XR_SUCCESS) spaces[frame->layer_count++] = (sim_space *)l->space;
    }
    if (r != XR_SUCCESS) {
        pthread_mutex_unlock(&s->lock);
        free(frame);
        return r;
    }
    frame->predicted_display_time = ei->displayTime;
    frame->blend_mode = ei->environmentBlendMode;
    frame->target_vsync = target.vsync;
    frame->wait_return_time = target.return_time;
    frame->begin_time = begin_time;
    frame->end_time = now;
    frame->frame_id = s->frames_ended++;
    s->frame_in_progress = false;
    pthread_mutex_unlock(&s->lock);

    /* Spaces are located without the session lock (an action space asks the actions and the tracker). */
    for (uint32_t i = 0; i < frame->layer_count; i++)
        place_layer(s, spaces[i], ei->displayTime, now, &frame->layers[i]);
    /* Where the tracker puts the head at the display time: the display's eyes when no projection layer
     * gives them, and the head head-locked layers hang from (device/sim_composite.h). */
    sim_tracker_head(s, ei->displayTime, &frame->head_pose, NULL, NULL, NULL);
    frame->head_valid = true;

    pthread_mutex_lock(&s->lock);
    sim_compositor *c = s->compositor;
    pthread_mutex_unlock(&s->lock);
    if (c) r = sim_compositor_submit(c, frame);
    free(frame);
    return r;
}
