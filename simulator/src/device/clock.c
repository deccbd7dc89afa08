/* SPDX-License-Identifier: MIT */
/* The display clock of the simulated headset: the time base (XrTime <-> CLOCK_MONOTONIC, with the epoch
 * offset of PARALLAX_SIM_TIME_OFFSET) and the vsync grid.
 * Layer: device (the lower part), its lowest file; calls only base/ (sim_log).
 * See device/sim_clock.h for what the grid promises; the lock here is a leaf (taken under the session's and
 * the compositor's locks, never around anything). */
#include "device/sim_clock.h"

#include <errno.h>
#include <stdatomic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/sim_log.h"

#define NS_PER_S 1000000000ll

/* ---------------------------------------------------------------- time base */

/* XrTime - CLOCK_MONOTONIC (PARALLAX_SIM_TIME_OFFSET): set by xrCreateInstance, read by every thread. One
 * instance exists at a time (the loader allows no more), so one offset serves the whole process. */
static _Atomic int64_t g_offset;

static int64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_S + ts.tv_nsec;
}

void sim_time_set_offset(XrDuration offset)
{
    atomic_store_explicit(&g_offset, offset, memory_order_relaxed);
}

XrDuration sim_time_offset(void)
{
    return atomic_load_explicit(&g_offset, memory_order_relaxed);
}

int64_t sim_time_monotonic_ns(void)
{
    return monotonic_ns();
}

XrTime sim_now(void)
{
    return monotonic_ns() + sim_time_offset();
}

struct timespec sim_time_to_timespec(XrTime t)
{
    int64_t m = t - sim_time_offset();
    if (m < 0) m = 0;
    return (struct timespec){.tv_sec = (time_t)(m / NS_PER_S), .tv_nsec = (long)(m % NS_PER_S)};
}

bool sim_time_from_timespec(const struct timespec *ts, XrTime *out)
{
    if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= NS_PER_S ||
        (int64_t)ts->tv_sec > (INT64_MAX - ts->tv_nsec) / NS_PER_S)
        return false;
    int64_t m = (int64_t)ts->tv_sec * NS_PER_S + ts->tv_nsec;
    XrDuration offset = sim_time_offset();
    /* Exactly m + offset, or refused where that is no XrTime (0 or less) or does not fit. */
    if ((offset > 0 && m > INT64_MAX - offset) || m + offset <= 0) return false;
    *out = m + offset;
    return true;
}

void sim_sleep_until(XrTime t)
{
    if (t <= 0) return;
    struct timespec ts = sim_time_to_timespec(t);
    /* clock_nanosleep returns the error number (not -1/errno); an absolute deadline makes restarting after a
     * signal exact. */
    int r;
    do {
        r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    } while (r == EINTR);
    if (r != 0) sim_log(SIM_LOG_ERROR, "clock_nanosleep(CLOCK_MONOTONIC) failed: %s", strerror(r));
}

int sim_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    int r = pthread_cond_init(cond, &ca);
    pthread_condattr_destroy(&ca);
    return r;
}

int sim_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, XrTime t)
{
    struct timespec ts = sim_time_to_timespec(t > 0 ? t : 0);
    return pthread_cond_timedwait(cond, mutex, &ts);
}

/* ---------------------------------------------------------------- the vsync grid */

struct sim_clock {
    pthread_mutex_t lock;
    sim_clock_desc desc;
    XrTime epoch;
    XrDuration period, display_offset, lead;
    /* Once the period changed: vsync n at anchor_time + (n - anchor_index) * period. */
    bool anchored;
    XrTime anchor_time;
    int64_t anchor_index;
    /* period jitter in force: vsyncs whose time is in [jitter_from, jitter_to) (to 0: no end) */
    XrDuration jitter_amount; /* 0: off */
    XrTime jitter_from, jitter_to;
    /* late wake-ups still to come */
    int32_t late_wakeups;
    XrDuration late_delay;
};

/* The configured timing. Caller holds c->lock (or owns c alone). */
static void configure(sim_clock *c)
{
    double hz = c->desc.refresh_hz > 0 ? c->desc.refresh_hz : 90.0;
    c->period = (XrDuration)llround(1e9 / hz);
    c->display_offset = (XrDuration)llround(c->desc.display_offset_ms * 1e6);
    c->lead = (XrDuration)llround(c->desc.compositor_lead_ms * 1e6);
    if (c->lead >= c->period) c->lead = c->period / 2;
    c->anchored = false;
    c->jitter_amount = 0;
}

sim_clock *sim_clock_create(const sim_clock_desc *desc, XrTime epoch)
{
    sim_clock *c = calloc(1, sizeof(*c));
    if (!c) return NULL;
    pthread_mutex_init(&c->lock, NULL);
    c->desc = *desc;
    c->epoch = epoch;
    configure(c);
    return c;
}

void sim_clock_destroy(sim_clock **pc)
{
    sim_clock *c = pc ? *pc : NULL;
    if (!c) return;
    *pc = NULL;
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void sim_clock_restart(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    configure(c);
    pthread_mutex_unlock(&c->lock);
}

XrTime sim_clock_epoch(sim_clock *c)
{
    /* Set at creation and never changed: no lock needed. */
    return c->epoch;
}

XrDuration sim_clock_period(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    XrDuration p = c->period;
    pthread_mutex_unlock(&c->lock);
    return p;
}

XrDuration sim_clock_display_offset(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    XrDuration d = c->display_offset;
    pthread_mutex_unlock(&c->lock);
    return d;
}

XrDuration sim_clock_compositor_lead(sim_clock *c)
{
    pthread_mutex_lock(&c->lock);
    XrDuration d = c->lead;
    pthread_mutex_unlock(&c->lock);
    return d;
}

/* A deterministic draw in [0, 1) for index n and a salt: a hash of the seed, so every reader agrees without
 * sharing a sequence. */
static double draw(const sim_clock *c, int64_t n, uint64_t salt)
{
    uint64_t z = c->desc.seed ^ salt ^ ((uint64_t)n * 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    z ^= z >> 31;
    return (double)(z >> 11) / 9007199254740992.0;
}

/* Deterministic offset of vsync n in [-amount/2, +amount/2] (so each period is off by at most +-amount), so
 * the frame thread and the compositor agree on the grid. Caller holds c->lock. */
static int64_t jitter_of(const sim_clock *c, int64_t n)
{
    return (int64_t)llround((draw(c, n, 0) - 0.5) * (double)c->jitter_amount);
}

XrDuration sim_clock_wait_lateness(sim_clock *c, int64_t n)
{
    /* desc is set at creation and never changed: no lock needed. */
    if (c->desc.wait_jitter_ms <= 0) return 0;
    return (XrDuration)llround(draw(c, n, 0x5bd1e9955bd1e995ull) * c->desc.wait_jitter_ms * 1e6);
}

/* Caller holds c->lock. */
static XrTime vsync_time_locked(const sim_clock *c, int64_t n)
{
    XrTime t = c->anchored ? c->anchor_time + (n - c->anchor_index) * c->period : c->epoch + n * c->period;
    if (c->jitter_amount > 0 && t >= c->jitter_from && (c->jitter_to == 0 || t < c->jitter_to))
        t += jitter_of(c, n);
    return t;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

XrTime sim_clock_vsync_time(sim_clock *c, int64_t n)
{
    pthread_mutex_lock(&c->lock);
    XrTime t = vsync_time_locked(c, n);
    pthread_mutex_unlock(&c->lock);
    return t;
}

int64_t sim_clock_vsync_index(sim_clock *c, XrTime t)
{
    pthread_mutex_lock(&c->lock);
    int64_t n = c->anchored ? c->anchor_index + ceil_div(t - c->anchor_time, c->period)
                            : ceil_div(t - c->epoch, c->period);
    pthread_mutex_unlock(&c->lock);
    return n < 0 ? 0 : n;
}

XrTime sim_clock_photon_time(sim_clock *c, int64_t n)
{
    pthread_mutex_lock(&c->lock);
    XrTime t = vsync_time_locked(c, n) + c->display_offset;
    pthread_mutex_unlock(&c->lock);
    return t;
}

XrTime sim_clock_deadline(sim_clock *c, int64_t n)
{
    pthread_mutex_lock(&c->lock);
    XrTime t = vsync_time_locked(c, n) - c->lead;
    pthread_mutex_unlock(&c->lock);
    return t;
}

XrTime sim_clock_next_wake(sim_clock *c, int64_t n)
{
    pthread_mutex_lock(&c->lock);
    XrTime t = vsync_time_locked(c, n) - c->lead;
    if (c->late_wakeups > 0) {
        c->late_wakeups--;
        t += c->late_delay;
    }
    pthread_mutex_unlock(&c->lock);
    return t;
}

bool sim_clock_set_period(sim_clock *c, XrDuration period, int64_t anchor_index, XrDuration *out_old)
{
    if (period <= 0) return false;
    pthread_mutex_lock(&c->lock);
    XrDuration old = c->period;
    bool change = period != old;
    if (change) {
        int64_t k = anchor_index > 0 ? anchor_index : 0;
        XrTime at = vsync_time_locked(c, k);
        c->anchored = true;
        c->anchor_time = at;
        c->anchor_index = k;
        c->period = period;
        if (c->lead >= c->period) c->lead = c->period / 2;
    }
    pthread_mutex_unlock(&c->lock);
    if (change && out_old) *out_old = old;
    return change;
}

void sim_clock_set_jitter(sim_clock *c, XrTime from, XrTime to, XrDuration amount)
{
    pthread_mutex_lock(&c->lock);
    c->jitter_amount = amount > 0 ? amount : 0;
    c->jitter_from = from;
    c->jitter_to = to;
    pthread_mutex_unlock(&c->lock);
}

void sim_clock_delay_wakeups(sim_clock *c, int32_t count, XrDuration delay)
{
    if (count <= 0) return;
    pthread_mutex_lock(&c->lock);
    c->late_wakeups += count;
    c->late_delay = delay;
    pthread_mutex_unlock(&c->lock);
}
