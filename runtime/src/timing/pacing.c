/* SPDX-License-Identifier: MIT */
/* Layer 3, timing: just-in-time pacing in the frame loop: feeds the pacer (pacer.c, the logic, clock-free)
 * from the frame loop's timestamps and does the sleeping. The plan is made in every mode, so the estimates,
 * the miss count and the adaptive-runtime verdict are available to plx_get_latency_info; only
 * PLX_MODE_JIT_LATCH sleeps. Every time here is loop time (XrTime through base/plx_time.h); without the
 * XrTime conversion (safe mode) nothing sleeps and nothing waits ahead. May call the pacer (pacer.c) and
 * base/; the session is given. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "timing/plx_timing.h"

/* PARALLAX_WAIT_AHEAD: auto (default) waits ahead on a runtime judged to pace at fixed times, on always
 * tries (still only in PLX_MODE_JIT_LATCH and when the frame fits), off never. */
enum { PLX_WAIT_AHEAD_AUTO = 0, PLX_WAIT_AHEAD_ON = 1, PLX_WAIT_AHEAD_OFF = 2 };

/* Frames of steady fixed-pacing evidence before wait-ahead starts: adaptive runtimes need a moment to
 * measure the app, and may wake it at fixed times until they have (the simulated headset does for 64). */
static const uint64_t wait_ahead_min_frames = 128;

static int wait_ahead_from_env(const plx_report *r)
{
    const char *v = getenv("PARALLAX_WAIT_AHEAD");
    if (!v || !*v || strcmp(v, "auto") == 0) return PLX_WAIT_AHEAD_AUTO;
    if (strcmp(v, "on") == 0) return PLX_WAIT_AHEAD_ON;
    if (strcmp(v, "off") == 0) return PLX_WAIT_AHEAD_OFF;
    plx_log(r, PLX_LOG_ERROR, "PARALLAX_WAIT_AHEAD=%.64s is not valid: expected auto|on|off (using auto)", v);
    return PLX_WAIT_AHEAD_AUTO;
}

/* ---------------------------------------------------------------- the waiter thread */

/* Calls xrWaitFrame for the frame loop when asked. OpenXR lets xrWaitFrame run on another thread than
 * xrBeginFrame/xrEndFrame, and lets it return once the previous frame has begun, so the next frame's wait
 * overlaps this frame's sleep, recording and xrEndFrame. The frame loop asks (waiter_post) right after
 * xrBeginFrame and collects the result at its next plx_frame_wait; only one request is ever outstanding,
 * and nothing else the thread touches is shared. */
struct plx_waiter {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    bool request, done, quit;
    XrSession session;
    XrFrameState state;
    XrResult result;
    int64_t returned; /* CLOCK_MONOTONIC: the frame thread converts it (base/plx_time.h is not shared) */
};

static void *waiter_main(void *arg)
{
    struct plx_waiter *w = arg;
    pthread_mutex_lock(&w->lock);
    for (;;) {
        while (!w->request && !w->quit) pthread_cond_wait(&w->cond, &w->lock);
        if (w->quit) break;
        w->request = false;
        XrSession session = w->session;
        pthread_mutex_unlock(&w->lock);
        XrFrameWaitInfo wi = {.type = XR_TYPE_FRAME_WAIT_INFO};
        XrFrameState fs = {.type = XR_TYPE_FRAME_STATE};
        XrResult xr = xrWaitFrame(session, &wi, &fs);
        int64_t t = plx_now_ns();
        pthread_mutex_lock(&w->lock);
        w->state = fs;
        w->result = xr;
        w->returned = t;
        w->done = true;
        pthread_cond_broadcast(&w->cond);
    }
    pthread_mutex_unlock(&w->lock);
    return NULL;
}

static plx_result waiter_post(plx_pacing *l, XrSession session)
{
    if (!l->waiter) {
        struct plx_waiter *w = calloc(1, sizeof *w);
        if (!w) return PLX_FAIL(l->report, PLX_ERROR_OUT_OF_MEMORY, "pacing: out of memory for the waiter");
        pthread_mutex_init(&w->lock, NULL);
        pthread_cond_init(&w->cond, NULL);
        if (pthread_create(&w->thread, NULL, waiter_main, w) != 0) {
            pthread_cond_destroy(&w->cond);
            pthread_mutex_destroy(&w->lock);
            free(w);
            return PLX_FAIL(l->report, PLX_ERROR_UNSUPPORTED, "pacing: cannot start the xrWaitFrame thread");
        }
        l->waiter = w;
    }
    struct plx_waiter *w = l->waiter;
    pthread_mutex_lock(&w->lock);
    w->session = session;
    w->done = false;
    w->request = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    l->ahead_pending = true;
    return PLX_SUCCESS;
}

/* Blocks until the outstanding xrWaitFrame has returned (at most about a display period on a running
 * session) and takes its result. */
static XrResult waiter_collect(plx_pacing *p, XrFrameState *fs, int64_t *out_returned)
{
    struct plx_waiter *w = p->waiter;
    pthread_mutex_lock(&w->lock);
    while (!w->done) pthread_cond_wait(&w->cond, &w->lock);
    w->done = false;
    *fs = w->state;
    *out_returned = plx_time_from_host(p->time, w->returned);
    XrResult xr = w->result;
    pthread_mutex_unlock(&w->lock);
    p->ahead_pending = false;
    return xr;
}

static void waiter_stop(plx_pacing *p)
{
    struct plx_waiter *w = p->waiter;
    if (!w) return;
    plx_pacing_session_reset(p); /* the outstanding xrWaitFrame, if any, is over first */
    pthread_mutex_lock(&w->lock);
    w->quit = true;
    pthread_cond_broadcast(&w->cond);
    pthread_mutex_unlock(&w->lock);
    pthread_join(w->thread, NULL);
    pthread_cond_destroy(&w->cond);
    pthread_mutex_destroy(&w->lock);
    free(w);
    p->waiter = NULL;
}

void plx_pacing_init(plx_pacing *p, plx_report *r, const plx_time *time, plx_mode mode)
{
    p->report = r;
    p->time = time;
    p->mode = mode;
    plx_pacer_init(&p->pacer, NULL);
    p->wait_ahead_setting = wait_ahead_from_env(r);
}

void plx_pacing_fini(plx_pacing *p)
{
    waiter_stop(p);
}

/* ---------------------------------------------------------------- per frame */

plx_result plx_pacing_wait(plx_pacing *p, XrSession session, XrFrameState *fs, int64_t *out_returned)
{
    if (p->ahead_pending) {
        XrResult xr = waiter_collect(p, fs, out_returned);
        return PLX_XR_RESULT(p->report, xr, "xrWaitFrame");
    }
    XrFrameWaitInfo wi = {.type = XR_TYPE_FRAME_WAIT_INFO};
    *fs = (XrFrameState){.type = XR_TYPE_FRAME_STATE};
    plx_result res = PLX_XR(p->report, xrWaitFrame(session, &wi, fs));
    *out_returned = plx_time_now(p->time);
    return res;
}

void plx_pacing_session_reset(plx_pacing *p)
{
    /* The outstanding xrWaitFrame must be over before the session is ended or destroyed. */
    if (p->ahead_pending) {
        XrFrameState fs;
        int64_t t;
        waiter_collect(p, &fs, &t);
    }
    p->begun_early = false;
    p->wait_ahead_active = false;
}

bool plx_pacing_take_begun_early(plx_pacing *p)
{
    bool early = p->begun_early;
    p->begun_early = false;
    return early;
}

/* Should this frame wait ahead? Only when sleeping is the point (jit+latch), the runtime steadily wakes the
 * app at fixed times (auto), and the frame's estimated cost leaves room: the frame must begin before the
 * runtime's next wake-up point (the next xrWaitFrame returns only then), about a period after its own, and
 * the loop comes back about the display allowance before its display time. Hysteresis keeps a cost near
 * the limit from switching every frame. */
static bool want_wait_ahead(plx_pacing *l, int64_t period)
{
    plx_pacer *p = &l->pacer;
    if (l->mode != PLX_MODE_JIT_LATCH || l->wait_ahead_setting == PLX_WAIT_AHEAD_OFF || period <= 0 ||
        !plx_time_known(l->time))
        return false;
    if (l->wait_ahead_setting == PLX_WAIT_AHEAD_AUTO && !plx_pacer_steady_fixed(p, wait_ahead_min_frames))
        return false;
    if (l->plan.frame_cost <= 0) return false;
    int64_t need = p->desc.display_allowance_ns + l->plan.frame_cost + l->plan.margin;
    return need < (l->wait_ahead_active ? period * 17 / 10 : period * 3 / 2);
}

/* xrBeginFrame of the waited frame now, then the next frame's xrWaitFrame on the waiter thread. */
static plx_result wait_ahead(plx_pacing *p, XrSession session, int64_t *io_begin)
{
    XrFrameBeginInfo bi = {.type = XR_TYPE_FRAME_BEGIN_INFO};
    plx_result res = PLX_XR(p->report, xrBeginFrame(session, &bi));
    if (res < 0) return res;
    p->begun_early = true;
    *io_begin = plx_time_now(p->time);
    if ((res = waiter_post(p, session)) < 0) return res;
    p->frames_waited_ahead++;
    return PLX_SUCCESS;
}

plx_result plx_pacing_after_wait(plx_pacing *l, XrSession session, int64_t wait_call, int64_t returned,
                                 int64_t display_time, int64_t period, int64_t *out_wake, int64_t *io_begin)
{
    plx_pacer *p = &l->pacer;
    bool ahead = want_wait_ahead(l, period);
    if (ahead != l->wait_ahead_active)
        plx_log(l->report, PLX_LOG_INFO, "pacing: %s",
                ahead ? "waiting ahead (the runtime paces at fixed times)" : "no longer waiting ahead");
    l->wait_ahead_active = ahead;
    p->waits_ahead = ahead ? 1u : 0u;
    /* Safe mode: a wake time on the host clock cannot be put before a display time on the runtime's. */
    p->display_unrelated = !plx_time_known(l->time);
    plx_pacer_plan plan = plx_pacer_plan_frame(p, wait_call, returned, display_time, period);
    l->plan = plan;
    if (ahead) {
        plx_result res = wait_ahead(l, session, io_begin);
        if (res < 0) return res;
    }
    int64_t now = plx_time_now(l->time);
    if (l->mode != PLX_MODE_JIT_LATCH || plan.wake <= now) {
        /* The loop runs from here: the next loop-cost sample is measured from now. */
        p->last_wake = now;
        *out_wake = now;
        return PLX_SUCCESS;
    }
    plx_time_sleep_until(l->time, plan.wake);
    int64_t woke = plx_time_now(l->time);
    plx_log(
        l->report, PLX_LOG_DEBUG,
        "pacing: slept %.2f ms (frame cost %.2f ms, loop cost %.2f ms, margin %.2f ms, overslept %.3f ms)",
        (double)(plan.wake - now) * 1e-6, (double)plan.frame_cost * 1e-6, (double)plan.loop_cost * 1e-6,
        (double)plan.margin * 1e-6, (double)(woke - plan.wake) * 1e-6);
    *out_wake = woke;
    return PLX_SUCCESS;
}

void plx_pacing_frame_done(plx_pacing *p, const plx_frame_stats *st, int64_t done)
{
    plx_pacer_frame f = {
        .display_time = st->predicted_display_time,
        .period = st->predicted_display_period,
        .wake = st->wake,
        .submit = st->submit,
        .end = st->end,
        .done = done,
        .rendered = st->rendered,
    };
    if (plx_pacer_frame_done(&p->pacer, &f))
        plx_log(p->report, PLX_LOG_DEBUG, "pacing: frame %llu late for its deadline; margin now %.2f ms",
                (unsigned long long)st->index, (double)p->pacer.margin * 1e-6);
}

int64_t plx_pacing_estimate_ns(const plx_pacing *p)
{
    return p->plan.frame_cost;
}

void plx_pacing_info(const plx_pacing *p, plx_latency_info *out)
{
    out->runtime_paces_adaptively = p->pacer.runtime_adaptive;
    out->pacing_misses = p->pacer.misses;
    out->pacing_frames_slept = p->pacer.frames_slept;
    out->pacing_margin_ms = (double)p->pacer.margin * 1e-6;
    out->pacing_frame_cost_ms = (double)p->plan.frame_cost * 1e-6;
    out->waiting_ahead = p->wait_ahead_active;
    out->frames_waited_ahead = p->frames_waited_ahead;
}
