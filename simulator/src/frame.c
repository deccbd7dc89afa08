/* The frame loop of the simulated headset: the display clock, xrWaitFrame pacing, xrBeginFrame, and
 * xrEndFrame with its layer validation. xrEndFrame turns each frame into a sim_frame_record (what the app
 * submitted, which pose it used and when that pose was sampled) and hands it to the compositor, which
 * decides when the frame reaches the photons and measures it.
 *
 * Display clock: vsync n happens at s->epoch + n * s->period. The epoch is also time 0 of the head motion
 * and of the IMU (sim_motion.h), so truth and tracking share one time origin. */
#include "sim_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIM_WAIT_HISTORY   16 /* xrWaitFrame results an xrEndFrame may still refer to */
#define SIM_LOCATE_HISTORY 32 /* xrLocateViews results kept to find when submitted poses were sampled */
#define SIM_MAX_LAYERS     XR_MIN_COMPOSITION_LAYERS_SUPPORTED /* what xrGetSystemProperties reports */

typedef struct sim_wait_entry {
    XrTime display_time; /* predictedDisplayTime returned */
    int64_t vsync;       /* vsync index it targets */
    XrTime return_time;  /* when xrWaitFrame returned */
} sim_wait_entry;

typedef struct sim_located_entry {
    XrPosef pose[2]; /* the eye poses in LOCAL */
    XrTime locate_time, sample_time;
} sim_located_entry;

struct sim_frame_state {
    pthread_mutex_t lock; /* guards the located ring only: xrLocateViews may run on any thread */
    sim_located_entry located[SIM_LOCATE_HISTORY];
    int located_next, located_count;
    /* the rest is guarded by s->lock */
    sim_wait_entry waits[SIM_WAIT_HISTORY];
    int wait_next, wait_count;
    bool waiting;         /* an xrWaitFrame is sleeping: a second one queues behind it */
    sim_wait_entry begun; /* the xrWaitFrame the current xrBeginFrame consumed */
    XrTime begin_time;
};

/* Created on first use, under s->lock; lives until the session is destroyed. */
static struct sim_frame_state *frame_state(sim_session *s)
{
    if (!s->frame_state) {
        struct sim_frame_state *fs = calloc(1, sizeof(*fs));
        if (!fs) return NULL;
        pthread_mutex_init(&fs->lock, NULL);
        s->frame_state = fs;
    }
    return s->frame_state;
}

XrTime sim_vsync_time(const sim_session *s, int64_t n)
{
    /* epoch + n * period, unless a period_change fault re-anchored the grid or period_jitter wobbles it. */
    return sim_faults_vsync_time(s, n);
}

/* Index of the first vsync at or after t. */
static int64_t vsync_at_or_after(const sim_session *s, XrTime t)
{
    return sim_faults_vsync_index(s, t);
}

XrResult sim_frame_session_begin(sim_session *s)
{
    const sim_config *cfg = &s->inst->cfg;
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = frame_state(s);
    if (!fs) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    /* The epoch may already be set (the IMU and motion start when the session is created); the vsync grid
     * simply continues from it. */
    if (s->epoch == 0) s->epoch = sim_now();
    double hz = cfg->refresh_hz > 0 ? cfg->refresh_hz : 90.0;
    s->period = (XrDuration)llround(1e9 / hz);
    s->display_offset = (XrDuration)llround(cfg->display_offset_ms * 1e6);
    s->compositor_lead = (XrDuration)llround(cfg->compositor_lead_ms * 1e6);
    if (s->compositor_lead >= s->period) s->compositor_lead = s->period / 2;
    s->frames_waited = s->frames_begun = s->frames_ended = 0;
    s->frame_in_progress = false;
    s->wait_pending_begin = false;
    s->last_vsync_index = vsync_at_or_after(s, sim_now());
    s->last_predicted_display_time = 0;
    fs->wait_count = fs->wait_next = 0;
    fs->waiting = false;
    pthread_mutex_unlock(&s->lock);

    sim_compositor *c = NULL;
    XrResult r = sim_compositor_create(s, &c);
    if (r != XR_SUCCESS) return r;
    pthread_mutex_lock(&s->lock);
    s->compositor = c;
    pthread_mutex_unlock(&s->lock);
    return XR_SUCCESS;
}

void sim_frame_session_end(sim_session *s)
{
    pthread_mutex_lock(&s->lock);
    sim_compositor *c = s->compositor;
    s->compositor = NULL;
    s->frame_in_progress = false;
    s->wait_pending_begin = false;
    /* Wakes an xrWaitFrame queued behind another so it sees the session is no longer running. */
    pthread_cond_broadcast(&s->frame_cond);
    pthread_mutex_unlock(&s->lock);
    sim_compositor_destroy(&c);
}

void sim_frame_session_destroy(sim_session *s)
{
    sim_frame_session_end(s);
    if (s->frame_state) {
        pthread_mutex_destroy(&s->frame_state->lock);
        free(s->frame_state);
        s->frame_state = NULL;
    }
}

void sim_frame_note_located(sim_session *s, const XrView views[2], XrTime locate_time, XrTime sample_time)
{
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = frame_state(s);
    pthread_mutex_unlock(&s->lock);
    if (!fs) return;
    pthread_mutex_lock(&fs->lock);
    sim_located_entry *e = &fs->located[fs->located_next];
    e->pose[0] = views[0].pose;
    e->pose[1] = views[1].pose;
    e->locate_time = locate_time;
    e->sample_time = sample_time;
    fs->located_next = (fs->located_next + 1) % SIM_LOCATE_HISTORY;
    if (fs->located_count < SIM_LOCATE_HISTORY) fs->located_count++;
    pthread_mutex_unlock(&fs->lock);
}

static bool pose_equal(const XrPosef *a, const XrPosef *b)
{
    /* Apps pass the located pose through, at most converted to float math of their own: allow a little. */
    const float pos_eps = 1e-5f, dot_eps = 1e-6f;
    float dx = a->position.x - b->position.x, dy = a->position.y - b->position.y,
          dz = a->position.z - b->position.z;
    if (fabsf(dx) > pos_eps || fabsf(dy) > pos_eps || fabsf(dz) > pos_eps) return false;
    float dot = a->orientation.x * b->orientation.x + a->orientation.y * b->orientation.y +
                a->orientation.z * b->orientation.z + a->orientation.w * b->orientation.w;
    return fabsf(dot) > 1.0f - dot_eps;
}

/* When were the submitted poses sampled? The newest located entry whose poses match; false if none does. */
static bool find_located(sim_session *s, const XrPosef submitted[2], XrTime *out_sample, XrTime *out_locate)
{
    struct sim_frame_state *fs = s->frame_state;
    if (!fs) return false;
    bool found = false;
    pthread_mutex_lock(&fs->lock);
    for (int k = 0; k < fs->located_count && !found; k++) {
        int i = (fs->located_next - 1 - k + 2 * SIM_LOCATE_HISTORY) % SIM_LOCATE_HISTORY;
        const sim_located_entry *e = &fs->located[i];
        if (pose_equal(&e->pose[0], &submitted[0]) && pose_equal(&e->pose[1], &submitted[1])) {
            *out_sample = e->sample_time;
            *out_locate = e->locate_time;
            found = true;
        }
    }
    pthread_mutex_unlock(&fs->lock);
    return found;
}

/* ---------------------------------------------------------------- xrWaitFrame */

/* Chooses the vsync the next frame targets and when xrWaitFrame returns. Caller holds s->lock. */
static void plan_frame(sim_session *s, XrTime now, int64_t *out_vsync, XrTime *out_wake)
{
    int64_t min_target = s->last_vsync_index + 1; /* one frame per refresh at most */
    if (s->inst->cfg.pacing == SIM_PACING_ADAPTIVE) {
        /* Wake as late as the app's measured cost allows: it must be GPU-complete by vsync - lead. The
         * budget is the cost's 95th percentile plus a margin that grows with its spread (a jittery app or
         * a loaded machine needs more room), at least 1 ms. Until 64 frames are measured the budget
         * is what fixed pacing gives (two periods). A budget over several periods is legitimate: a slow
         * app is then pipelined towards the first vsync it can reach. */
        XrDuration p50 = 0, p95 = 0;
        XrDuration need = 2 * s->period;
        if (s->compositor && sim_compositor_frame_cost(s->compositor, &p50, &p95)) {
            XrDuration margin = p95 - p50 > 1000000 ? p95 - p50 : 1000000;
            need = p95 + margin + s->compositor_lead;
        }
        int64_t v = vsync_at_or_after(s, now + need);
        if (v < min_target) v = min_target;
        *out_vsync = v;
        *out_wake = sim_vsync_time(s, v) - need;
    } else {
        /* Fixed: wake at a vsync, display two periods later (a classic double-buffered compositor). */
        int64_t wake = vsync_at_or_after(s, now);
        if (wake + 2 < min_target) wake = min_target - 2;
        *out_vsync = wake + 2;
        *out_wake = sim_vsync_time(s, wake);
    }
}

SIM_FN(xrWaitFrame)(XrSession session, const XrFrameWaitInfo *frameWaitInfo, XrFrameState *frameState)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    if ((frameWaitInfo && frameWaitInfo->type != XR_TYPE_FRAME_WAIT_INFO) || !frameState ||
        frameState->type != XR_TYPE_FRAME_STATE) {
        sim_log(SIM_LOG_ERROR, "xrWaitFrame: frameWaitInfo or frameState has the wrong type: "
                               "XR_ERROR_VALIDATION_FAILURE");
        return XR_ERROR_VALIDATION_FAILURE;
    }
    /* Faults due at this frame (faults_apply.c): state changes, losses, a stall added to the wake-up. */
    XrResult fault_status = XR_SUCCESS;
    XrDuration fault_stall = sim_faults_wait_frame(s, &fault_status);
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = frame_state(s);
    if (!fs) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_OUT_OF_MEMORY;
    }
    /* A wait whose frame has not begun yet holds back the next one until xrBeginFrame (spec: xrWaitFrame
     * blocks until the previous frame has begun). */
    while (s->running && (fs->waiting || s->wait_pending_begin)) {
        /* Timed, so a session ended from another thread (running cleared without a signal) is noticed.
         * frame_cond uses the default clock, CLOCK_REALTIME. */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 50000000;
        if (ts.tv_nsec >= 1000000000) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000;
        }
        pthread_cond_timedwait(&s->frame_cond, &s->lock, &ts);
    }
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    int64_t vsync;
    XrTime wake;
    plan_frame(s, sim_now(), &vsync, &wake);
    s->last_vsync_index = vsync;
    fs->waiting = true;
    pthread_mutex_unlock(&s->lock);

    sim_sleep_until(wake + fault_stall);

    pthread_mutex_lock(&s->lock);
    sim_wait_entry e = {.display_time = sim_vsync_time(s, vsync) + s->display_offset,
                        .vsync = vsync,
                        .return_time = sim_now()};
    fs->waits[fs->wait_next] = e;
    fs->wait_next = (fs->wait_next + 1) % SIM_WAIT_HISTORY;
    if (fs->wait_count < SIM_WAIT_HISTORY) fs->wait_count++;
    fs->waiting = false;
    s->wait_pending_begin = true;
    s->frames_waited++;
    s->last_predicted_display_time = e.display_time;
    bool render = s->state == XR_SESSION_STATE_VISIBLE || s->state == XR_SESSION_STATE_FOCUSED;
    XrDuration period = s->period;
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
    if (frameBeginInfo && frameBeginInfo->type != XR_TYPE_FRAME_BEGIN_INFO) {
        sim_log(SIM_LOG_ERROR,
                "xrBeginFrame: frameBeginInfo has the wrong type: XR_ERROR_VALIDATION_FAILURE");
        return XR_ERROR_VALIDATION_FAILURE;
    }
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = s->frame_state;
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    if (!s->wait_pending_begin || !fs || fs->wait_count == 0) {
        pthread_mutex_unlock(&s->lock);
        sim_log(SIM_LOG_ERROR, "xrBeginFrame: no xrWaitFrame precedes it: XR_ERROR_CALL_ORDER_INVALID");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    bool discarded = s->frame_in_progress;
    fs->begun = fs->waits[(fs->wait_next - 1 + SIM_WAIT_HISTORY) % SIM_WAIT_HISTORY];
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
            if (!dsc->is_depth ||
                !(d->minDepth >= 0.0f && d->minDepth <= d->maxDepth && d->maxDepth <= 1.0f) ||
                !isfinite(d->nearZ) || !isfinite(d->farZ) || d->nearZ == d->farZ) {
                sim_log(SIM_LOG_ERROR,
                        "xrEndFrame: %s: needs a depth swapchain, 0 <= minDepth <= maxDepth <= 1 and "
                        "nearZ != farZ: XR_ERROR_VALIDATION_FAILURE",
                        dwhat);
                return XR_ERROR_VALIDATION_FAILURE;
            }
        }
    }
    return XR_SUCCESS;
}

static XrResult check_quad(const sim_session *s, const XrCompositionLayerQuad *q, uint32_t li)
{
    char what[48];
    snprintf(what, sizeof(what), "layers[%u]", li);
    if (!space_of_session(s, q->space)) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: %s.space is not a live space of this session: XR_ERROR_HANDLE_INVALID", what);
        return XR_ERROR_HANDLE_INVALID;
    }
    if (!pose_valid(&q->pose)) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %s.pose is not a unit-quaternion pose: XR_ERROR_POSE_INVALID",
                what);
        return XR_ERROR_POSE_INVALID;
    }
    if (!(q->size.width > 0.0f) || !(q->size.height > 0.0f) || !isfinite(q->size.width) ||
        !isfinite(q->size.height)) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %s.size must be positive: XR_ERROR_VALIDATION_FAILURE", what);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    sim_swapchain *sc;
    XrResult r = check_sub_image(s, &q->subImage, what, &sc);
    if (r == XR_SUCCESS && sc->is_depth) {
        sim_log(SIM_LOG_ERROR, "xrEndFrame: %s uses a depth swapchain: XR_ERROR_VALIDATION_FAILURE", what);
        return XR_ERROR_VALIDATION_FAILURE;
    }
    return r;
}

/* Pose of a layer's space in LOCAL at the frame's display time. VIEW-space layers are head-locked: they
 * have no world-locked pose to judge against the truth. */
static bool space_in_local(sim_space *sp, XrTime t, plx_pose *out)
{
    if (!sp->action && sp->ref_type == XR_REFERENCE_SPACE_TYPE_VIEW) return false;
    XrPosef p;
    if (!sim_space_pose_in_local(sp, t, &p)) return false;
    memcpy(out, &p, sizeof(*out));
    return true;
}

SIM_FN(xrEndFrame)(XrSession session, const XrFrameEndInfo *frameEndInfo)
{
    sim_session *s;
    XrResult r = sim_session_check(session, &s);
    if (r != XR_SUCCESS) return r;
    const XrFrameEndInfo *ei = frameEndInfo;
    if (!ei || ei->type != XR_TYPE_FRAME_END_INFO) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: frameEndInfo is NULL or has the wrong type: XR_ERROR_VALIDATION_FAILURE");
        return XR_ERROR_VALIDATION_FAILURE;
    }
    XrTime now = sim_now();
    pthread_mutex_lock(&s->lock);
    struct sim_frame_state *fs = s->frame_state;
    if (!s->running) {
        pthread_mutex_unlock(&s->lock);
        return XR_ERROR_SESSION_NOT_RUNNING;
    }
    if (!s->frame_in_progress || !fs) {
        pthread_mutex_unlock(&s->lock);
        sim_log(SIM_LOG_ERROR, "xrEndFrame: no xrBeginFrame precedes it: XR_ERROR_CALL_ORDER_INVALID");
        return XR_ERROR_CALL_ORDER_INVALID;
    }
    /* displayTime must be one xrWaitFrame returned (normally the one this frame began with). */
    const sim_wait_entry *wait = NULL;
    for (int k = 0; k < fs->wait_count && !wait; k++) {
        const sim_wait_entry *e =
            &fs->waits[(fs->wait_next - 1 - k + 2 * SIM_WAIT_HISTORY) % SIM_WAIT_HISTORY];
        if (e->display_time == ei->displayTime) wait = e;
    }
    if (!wait) {
        pthread_mutex_unlock(&s->lock);
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: displayTime %lld is not a time xrWaitFrame returned: "
                "XR_ERROR_TIME_INVALID",
                (long long)ei->displayTime);
        return XR_ERROR_TIME_INVALID;
    }
    sim_wait_entry target = *wait;
    XrTime begin_time = fs->begin_time;
    pthread_mutex_unlock(&s->lock);

    if (ei->environmentBlendMode != XR_ENVIRONMENT_BLEND_MODE_OPAQUE) {
        sim_log(SIM_LOG_ERROR,
                "xrEndFrame: environmentBlendMode %d is not supported (OPAQUE only): "
                "XR_ERROR_ENVIRONMENT_BLEND_MODE_UNSUPPORTED",
                (int)ei->environmentBlendMode);
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
    /* Swapchain state (released images) is read under the session lock it is written under. */
    pthread_mutex_lock(&s->lock);
    const XrCompositionLayerProjection *proj = NULL;
    for (uint32_t i = 0; i < ei->layerCount && r == XR_SUCCESS; i++) {
        const XrCompositionLayerBaseHeader *l = ei->layers[i];
        if (!l) {
            sim_log(SIM_LOG_ERROR, "xrEndFrame: layers[%u] is NULL: XR_ERROR_LAYER_INVALID", i);
            r = XR_ERROR_LAYER_INVALID;
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_PROJECTION) {
            r = check_projection(s, (const XrCompositionLayerProjection *)l, i);
            if (r == XR_SUCCESS && !proj) proj = (const XrCompositionLayerProjection *)l;
        } else if (l->type == XR_TYPE_COMPOSITION_LAYER_QUAD) {
            r = check_quad(s, (const XrCompositionLayerQuad *)l, i);
        } else {
            sim_log(SIM_LOG_ERROR,
                    "xrEndFrame: layers[%u] has type %d, not a supported layer: XR_ERROR_LAYER_INVALID", i,
                    (int)l->type);
            r = XR_ERROR_LAYER_INVALID;
        }
    }
    if (r != XR_SUCCESS) {
        pthread_mutex_unlock(&s->lock);
        return r;
    }

    sim_frame_record rec;
    memset(&rec, 0, sizeof(rec));
    rec.predicted_display_time = ei->displayTime;
    rec.target_vsync = target.vsync;
    rec.shown_vsync = -1;
    rec.wait_return_time = target.return_time;
    rec.begin_time = begin_time;
    rec.end_time = now;
    rec.error_deg = rec.error_mm = NAN;
    rec.has_layers = ei->layerCount > 0;
    if (proj) {
        for (int v = 0; v < 2; v++) {
            const XrCompositionLayerProjectionView *pv = &proj->views[v];
            sim_swapchain *sc = (sim_swapchain *)pv->subImage.swapchain;
            rec.views[v].pose = pv->pose;
            rec.views[v].fov = pv->fov;
            rec.views[v].swapchain = sc;
            rec.views[v].image_index = (uint32_t)sc->last_released;
            rec.views[v].rect = pv->subImage.imageRect;
            rec.views[v].array_index = pv->subImage.imageArrayIndex;
        }
    }
    rec.frame_id = s->frames_ended++;
    s->frame_in_progress = false;
    pthread_mutex_unlock(&s->lock);

    if (proj) {
        /* Judge the poses in LOCAL, where the truth lives; views[].pose is stored in LOCAL from here on. A
         * head-locked layer keeps its raw poses and gets no error. */
        plx_pose space_pose;
        if (space_in_local((sim_space *)proj->space, ei->displayTime, &space_pose)) {
            for (int v = 0; v < 2; v++) {
                plx_pose p;
                memcpy(&p, &rec.views[v].pose, sizeof(p));
                p = plx_pose_mul(space_pose, p);
                memcpy(&rec.views[v].pose, &p, sizeof(p));
            }
            rec.pose_in_local = true; /* the compositor measures the error at photon time */
        }
        /* When were the submitted poses sampled? xrLocateViews reports its views in LOCAL; a pose that
         * matches none of them (made up or re-predicted by the app) counts as sampled at xrEndFrame. */
        XrPosef local[2] = {rec.views[0].pose, rec.views[1].pose};
        if (!rec.pose_in_local || !find_located(s, local, &rec.pose_sample_time, &rec.pose_locate_time)) {
            rec.pose_sample_time = now;
            rec.pose_locate_time = now;
        }
    }

    pthread_mutex_lock(&s->lock);
    sim_compositor *c = s->compositor;
    pthread_mutex_unlock(&s->lock);
    if (c) {
        r = sim_compositor_submit(c, &rec);
        if (r != XR_SUCCESS) return r;
    }
    return XR_SUCCESS;
}
