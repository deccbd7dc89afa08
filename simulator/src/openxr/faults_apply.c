/* SPDX-License-Identifier: MIT */
/* Applies the PARALLAX_SIM_FAULTS plan (simulator/faults) to a running instance: the frame loop, the
 * swapchains and the lifecycle calls call the small hooks below at the points the faults README names, and
 * this file decides what each fault does there and applies it: to the session's state (session.c), to the
 * instance (instance.c: loss, events, the restart) and to the display clock (device/clock.c: period, jitter,
 * late compositor wake-ups). Nothing below calls back here: the objects hold facts (a loss time, a grid) that
 * their own checks read.
 * Layer: openxr (the upper part), above session.c; calls session.c, instance.c, device/clock.c, base/ and the
 * faults library.
 *
 * One sim_fault_state per instance, created on first use. The plan, its frame counter and its time origin
 * belong to the instance (not the session): frame numbers and t= count from the instance's first
 * xrBeginSession, so a session re-created after session_loss does not meet the same fault again, while a
 * new instance (after instance_loss, "a runtime restart") parses the list again and starts over.
 *
 * Locking: state->lock is a leaf lock, and nothing else is ever taken while it is held; actions that take
 * other locks (state changes, events, the clock) run after it is released. */
#include "openxr/sim_openxr.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim_faults.h"

#define FIRE_MAX 16
/* An xrWaitSwapchainImage with an infinite timeout cannot expire by the spec; a wait_timeout fault without
 * delay= then blocks this long before it returns XR_TIMEOUT_EXPIRED. */
#define WAIT_TIMEOUT_INFINITE_CAP_NS 1000000000ll

struct sim_fault_state {
    pthread_mutex_t lock;
    sim_fault_plan plan;
    bool any; /* the plan has entries: otherwise every hook returns at once */
    bool origin_set;
    XrTime origin;  /* the instance's first xrBeginSession: time 0 of t= triggers */
    int64_t frame;  /* xrWaitFrame calls since then: frame= triggers */
    sim_session *s; /* the session the per-session fields below describe */
    /* session_loss: LOSS_PENDING queued at loss_at - pending; calls fail from loss_at (s->lost_at) */
    XrTime session_loss_at;
    /* visibility: the state the window holds the session in, until vis_until (0 = session end) */
    bool vis_active;
    XrTime vis_until;
    /* idle: READY again at idle_until (0 = never) once the app has ended the session */
    bool idle_active;
    XrTime idle_until;
    XrDuration base_period; /* the configured period, restored when a period_change window ends */
};

static struct sim_fault_state *state_of(sim_instance *inst)
{
    pthread_mutex_lock(&inst->lock);
    struct sim_fault_state *st = inst->faults;
    if (!st) {
        st = calloc(1, sizeof(*st));
        if (st) {
            pthread_mutex_init(&st->lock, NULL);
            /* config.c already refused a malformed list, so this parse cannot fail; if it did the plan
             * is left empty, which injects nothing. */
            char err[SIM_FAULTS_ERR_SIZE];
            if (!sim_faults_parse(inst->cfg.faults, &st->plan, err, sizeof(err))) {
                sim_log(SIM_LOG_ERROR, "%s", err);
                memset(&st->plan, 0, sizeof(st->plan));
            }
            st->any = st->plan.count > 0;
            inst->faults = st;
        }
    }
    pthread_mutex_unlock(&inst->lock);
    return st;
}

void sim_faults_instance_fini(sim_instance *inst)
{
    if (!inst->faults) return;
    pthread_mutex_destroy(&inst->faults->lock);
    free(inst->faults);
    inst->faults = NULL;
}

/* ---------------------------------------------------------------- session lifecycle */

void sim_faults_session_begin(sim_session *s)
{
    struct sim_fault_state *st = state_of(s->inst);
    if (!st) return;
    pthread_mutex_lock(&st->lock);
    if (!st->origin_set) {
        st->origin_set = true;
        st->origin = sim_now();
    }
    if (st->s != s) {
        st->s = s;
        st->session_loss_at = 0;
        st->vis_active = false;
        st->idle_active = false;
    }
    /* xrBeginSession restarted the display clock at the configured rate: a period_change still in force
     * re-anchors the grid at the next xrWaitFrame. */
    st->base_period = sim_clock_period(s->clock);
    pthread_mutex_unlock(&st->lock);
}

void sim_faults_session_destroyed(sim_session *s)
{
    struct sim_fault_state *st = s->inst->faults;
    if (!st) return;
    pthread_mutex_lock(&st->lock);
    if (st->s == s) {
        st->s = NULL;
        st->session_loss_at = 0;
        st->vis_active = st->idle_active = false;
    }
    pthread_mutex_unlock(&st->lock);
}

/* ---------------------------------------------------------------- xrWaitFrame */

static XrDuration window_end(const struct sim_fault_state *st, const sim_fault_event *e)
{
    return e->params.window_ns > 0 ? st->origin + e->start_ns + e->params.window_ns : 0;
}

static XrSessionState visibility_target(sim_fault_visibility to)
{
    switch (to) {
    case SIM_FAULT_TO_SYNCHRONIZED:
        return XR_SESSION_STATE_SYNCHRONIZED;
    case SIM_FAULT_TO_FOCUSED:
        return XR_SESSION_STATE_FOCUSED;
    default:
        return XR_SESSION_STATE_VISIBLE;
    }
}

/* Ends windows that are over and starts idle's READY; called from xrWaitFrame and xrPollEvent. */
static void expire_windows(sim_session *s, struct sim_fault_state *st, XrTime now)
{
    bool refocus = false, ready = false;
    pthread_mutex_lock(&st->lock);
    if (st->s == s && st->vis_active && st->vis_until && now >= st->vis_until) {
        st->vis_active = false;
        refocus = true;
    }
    pthread_mutex_unlock(&st->lock);
    if (refocus) {
        sim_log(SIM_LOG_INFO, "fault: visibility window over, back to FOCUSED");
        sim_session_walk_to(s, XR_SESSION_STATE_FOCUSED);
    }
    /* READY only once the app has answered STOPPING with xrEndSession (the session is IDLE). */
    pthread_mutex_lock(&s->lock);
    bool idle = !s->running && s->state == XR_SESSION_STATE_IDLE && !s->exit_requested;
    pthread_mutex_unlock(&s->lock);
    pthread_mutex_lock(&st->lock);
    if (idle && st->s == s && st->idle_active && st->idle_until && now >= st->idle_until) {
        st->idle_active = false;
        ready = true;
    }
    pthread_mutex_unlock(&st->lock);
    if (ready) {
        sim_log(SIM_LOG_INFO, "fault: idle window over, session READY again");
        sim_session_set_state(s, XR_SESSION_STATE_READY);
    }
}

static void log_fail(const sim_fault_event *e, int64_t frame)
{
    const char *name = sim_fault_result_name(e->params.result);
    sim_log(SIM_LOG_INFO, "fault: entry %d fail fires at frame %lld: %s returns %s (%d of %d)", e->entry,
            (long long)frame, sim_fault_call_name(e->params.call), name ? name : "?", (int)e->index + 1,
            (int)e->params.count);
}

XrDuration sim_faults_wait_frame(sim_session *s, XrResult *out_status)
{
    *out_status = XR_SUCCESS;
    struct sim_fault_state *st = state_of(s->inst);
    if (!st || !st->any) return 0;
    XrTime now = sim_now();
    expire_windows(s, st, now);

    sim_fault_event ev[FIRE_MAX];
    const uint32_t kinds = SIM_FAULT_BIT(SIM_FAULT_SESSION_LOSS) | SIM_FAULT_BIT(SIM_FAULT_INSTANCE_LOSS) |
                           SIM_FAULT_BIT(SIM_FAULT_VISIBILITY) | SIM_FAULT_BIT(SIM_FAULT_IDLE) |
                           SIM_FAULT_BIT(SIM_FAULT_WAIT_STALL) | SIM_FAULT_BIT(SIM_FAULT_LATE_COMPOSITOR);
    pthread_mutex_lock(&st->lock);
    if (!st->origin_set) {
        st->origin_set = true;
        st->origin = now;
    }
    int64_t frame = st->frame++;
    int64_t t = now - st->origin;
    /* fail@...:call=xrWaitFrame: this call fails and does nothing; whatever else is due waits for the next.
     */
    sim_fault_event fail_ev;
    if (sim_faults_poll_call(&st->plan, SIM_FAULT_CALL_WAIT_FRAME, frame, t, &fail_ev)) {
        pthread_mutex_unlock(&st->lock);
        log_fail(&fail_ev, frame);
        *out_status = (XrResult)fail_ev.params.result;
        return 0;
    }
    int n = sim_faults_poll(&st->plan, kinds, frame, t, ev, FIRE_MAX);

    /* Windows in force: refresh rate and jitter. */
    const sim_fault *f = NULL;
    XrDuration want_period = st->base_period;
    if (sim_faults_active(&st->plan, SIM_FAULT_PERIOD_CHANGE, frame, t, &f) &&
        (f->params.window_ns == 0 || t < f->start_ns + f->params.window_ns))
        want_period = (XrDuration)llround(1e9 / f->params.hz);
    XrTime jitter_from = 0, jitter_to = 0;
    XrDuration jitter_amount = 0;
    if (sim_faults_active(&st->plan, SIM_FAULT_PERIOD_JITTER, frame, t, &f) &&
        (f->params.window_ns == 0 || t < f->start_ns + f->params.window_ns)) {
        jitter_from = st->origin + f->start_ns;
        jitter_to = f->params.window_ns ? jitter_from + f->params.window_ns : 0;
        jitter_amount = f->params.amount_ns;
    }
    pthread_mutex_unlock(&st->lock);
    sim_clock_set_jitter(s->clock, jitter_from, jitter_to, jitter_amount);

    /* A new period: re-anchor the grid at the newest targeted vsync so times already promised stay put. */
    if (want_period > 0) {
        pthread_mutex_lock(&s->lock);
        int64_t anchor = s->last_vsync_index;
        XrDuration old = 0;
        if (sim_clock_set_period(s->clock, want_period, anchor, &old))
            sim_log(SIM_LOG_INFO, "fault: display period %.3f ms -> %.3f ms", (double)old / 1e6,
                    (double)want_period / 1e6);
        pthread_mutex_unlock(&s->lock);
    }

    XrDuration stall = 0;
    for (int i = 0; i < n; i++) {
        const sim_fault_event *e = &ev[i];
        if (e->kind != SIM_FAULT_LATE_COMPOSITOR || e->index == 0)
            sim_log(SIM_LOG_INFO, "fault: entry %d %s fires at frame %lld", e->entry,
                    sim_fault_kind_name(e->kind), (long long)frame);
        switch (e->kind) {
        case SIM_FAULT_WAIT_STALL:
            stall += e->params.duration_ns;
            break;
        case SIM_FAULT_LATE_COMPOSITOR:
            /* The poll reports a fault with count=N at N consecutive frames; the clock takes all N wake-ups
             * at the first, so the next N compositor wake-ups come late. */
            if (e->index == 0) sim_clock_delay_wakeups(s->clock, e->params.count, e->params.delay_ns);
            break;
        case SIM_FAULT_SESSION_LOSS: {
            XrTime at = now + e->params.pending_ns;
            if (at == 0) at = 1;
            pthread_mutex_lock(&st->lock);
            st->session_loss_at = at;
            pthread_mutex_unlock(&st->lock);
            atomic_store(&s->lost_at, at);
            sim_session_set_state(s, XR_SESSION_STATE_LOSS_PENDING);
            break;
        }
        case SIM_FAULT_INSTANCE_LOSS: {
            XrEventDataInstanceLossPending lp = {.type = XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING,
                                                 .lossTime = now + e->params.pending_ns};
            atomic_store(&s->inst->lost_at, lp.lossTime);
            /* The "runtime restarts": xrCreateInstance fails for restart= (300 ms) after the loss time, so an
             * app has to retry with back-off as against a real runtime process coming back. */
            sim_instance_restart_until(lp.lossTime + e->params.restart_ns);
            sim_event_push(s->inst, &lp, sizeof(lp));
            break;
        }
        case SIM_FAULT_VISIBILITY: {
            pthread_mutex_lock(&st->lock);
            st->vis_active = true;
            st->vis_until = window_end(st, e);
            pthread_mutex_unlock(&st->lock);
            sim_session_walk_to(s, visibility_target(e->params.to));
            break;
        }
        case SIM_FAULT_IDLE:
            pthread_mutex_lock(&st->lock);
            st->idle_active = true;
            st->idle_until = window_end(st, e);
            pthread_mutex_unlock(&st->lock);
            sim_session_walk_to(s, XR_SESSION_STATE_STOPPING);
            break;
        default:
            break;
        }
    }
    /* Between LOSS_PENDING and the loss itself the frame loop still works, and says so. */
    pthread_mutex_lock(&st->lock);
    if (st->s == s && st->session_loss_at && now < st->session_loss_at) *out_status = XR_SESSION_LOSS_PENDING;
    pthread_mutex_unlock(&st->lock);
    return stall;
}

void sim_faults_poll_events(sim_instance *inst)
{
    struct sim_fault_state *st = state_of(inst);
    if (!st || !st->any) return;
    /* A reference: a concurrent xrDestroySession waits until the windows are checked. */
    sim_session *s = sim_session_get(inst);
    if (s) expire_windows(s, st, sim_now());
    sim_session_put(s);
}

/* ---------------------------------------------------------------- swapchains */

/* One counted poll of a kind at the current frame and time; returns the event's params when it fired. The
 * current frame is the newest one xrWaitFrame was called for (st->frame counts the calls). */
static bool poll_one(sim_session *s, sim_fault_kind kind, sim_fault_params *out)
{
    struct sim_fault_state *st = state_of(s->inst);
    if (!st || !st->any) return false;
    XrTime now = sim_now();
    sim_fault_event e;
    pthread_mutex_lock(&st->lock);
    int n = 0;
    if (st->origin_set)
        n = sim_faults_poll(&st->plan, SIM_FAULT_BIT(kind), st->frame - 1, now - st->origin, &e, 1);
    pthread_mutex_unlock(&st->lock);
    if (n == 1) {
        sim_log(SIM_LOG_INFO, "fault: entry %d %s fires (%d of %d)", e.entry, sim_fault_kind_name(kind),
                (int)e.index + 1, (int)e.params.count);
        *out = e.params;
    }
    return n == 1;
}

XrDuration sim_faults_acquire_delay(sim_session *s)
{
    sim_fault_params p;
    return poll_one(s, SIM_FAULT_ACQUIRE_TIMEOUT, &p) ? p.delay_ns : 0;
}

bool sim_faults_wait_timeout(sim_session *s, XrDuration app_timeout, XrDuration *out_block)
{
    sim_fault_params p;
    if (!poll_one(s, SIM_FAULT_WAIT_TIMEOUT, &p)) return false;
    XrDuration block = app_timeout < 0 ? 0 : app_timeout;
    if (p.delay_ns > 0 && p.delay_ns < block) block = p.delay_ns;
    if (block >= XR_INFINITE_DURATION || block > WAIT_TIMEOUT_INFINITE_CAP_NS * 60)
        block = WAIT_TIMEOUT_INFINITE_CAP_NS;
    *out_block = block;
    return true;
}

/* ---------------------------------------------------------------- failing calls */

/* The fault list spells results by value without OpenXR types; these are the ones it must agree on. */
_Static_assert(XR_ERROR_VALIDATION_FAILURE == -1 && XR_ERROR_RUNTIME_FAILURE == -2 &&
                   XR_ERROR_SESSION_LOST == -17 && XR_ERROR_CALL_ORDER_INVALID == -37 &&
                   XR_ERROR_RUNTIME_UNAVAILABLE == -51,
               "PARALLAX_SIM_FAULTS result values match openxr.h");

XrResult sim_faults_fail(sim_instance *inst, sim_fault_call call)
{
    struct sim_fault_state *st = state_of(inst);
    if (!st || !st->any) return XR_SUCCESS;
    XrTime now = sim_now();
    sim_fault_event e;
    pthread_mutex_lock(&st->lock);
    int64_t frame = st->frame - 1;
    bool fired = st->origin_set && sim_faults_poll_call(&st->plan, call, frame, now - st->origin, &e);
    pthread_mutex_unlock(&st->lock);
    if (!fired) return XR_SUCCESS;
    log_fail(&e, frame);
    return (XrResult)e.params.result;
}
