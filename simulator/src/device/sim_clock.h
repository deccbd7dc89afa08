/* SPDX-License-Identifier: MIT */
/* The display clock of the simulated headset.
 * Layer: device (the lower part), its lowest file; calls only base/.
 *
 * Two things live here and nowhere else:
 *   - The time base. XrTime is nanoseconds of CLOCK_MONOTONIC plus an offset (PARALLAX_SIM_TIME_OFFSET,
 *     set at xrCreateInstance; 0 by default): sim_now, sim_time_to_timespec, sim_time_from_timespec,
 *     sim_sleep_until and sim_cond_wait_until are the only places that convert between the two.
 *   - The vsync grid of one session (sim_clock): vsync n at epoch + n * period; photons a fixed display
 *     offset after their vsync; composition (the compositor's wake-up, the deadline for a frame's GPU work)
 *     a fixed lead before it. The upper part changes the grid through sim_clock_set_period (re-anchored so
 *     times already promised stay put), sim_clock_set_jitter and sim_clock_delay_wakeups, the faults it
 *     applies; the frame loop and the compositor read it. The epoch is also time 0 of the head motion and of
 *     the IMU, so truth and tracking share one origin. */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <openxr/openxr.h>

/* ---------------------------------------------------------------- time base */

/* XrTime = CLOCK_MONOTONIC + offset from now on (xrCreateInstance; one instance at a time). Any thread. */
void sim_time_set_offset(XrDuration offset);
XrDuration sim_time_offset(void);
/* CLOCK_MONOTONIC now, ns (to choose an offset that keeps XrTime positive). */
int64_t sim_time_monotonic_ns(void);
/* The current XrTime. Any thread. */
XrTime sim_now(void);
/* An XrTime as a CLOCK_MONOTONIC timespec (a time before CLOCK_MONOTONIC's 0 gives 0). */
struct timespec sim_time_to_timespec(XrTime t);
/* A CLOCK_MONOTONIC timespec as an XrTime (exactly: the offset added); false (out untouched) when the
 * timespec is malformed (negative, tv_nsec outside [0, 1e9)) or names a time XrTime cannot hold (0 or less,
 * or past INT64_MAX ns). */
bool sim_time_from_timespec(const struct timespec *ts, XrTime *out);
/* Sleeps until XrTime t (returns at once for a time already past). */
void sim_sleep_until(XrTime t);
/* Initializes a condition variable that sim_cond_wait_until can time. Returns pthread_cond_init's result. */
int sim_cond_init(pthread_cond_t *cond);
/* pthread_cond_timedwait until XrTime t on a condition variable made by sim_cond_init; returns its result
 * (0, ETIMEDOUT, ...). Caller holds mutex. */
int sim_cond_wait_until(pthread_cond_t *cond, pthread_mutex_t *mutex, XrTime t);

/* ---------------------------------------------------------------- the vsync grid */

typedef struct sim_clock sim_clock;

/* The display's timing as configured (PARALLAX_SIM_REFRESH_HZ, _DISPLAY_OFFSET_MS, _COMPOSITOR_LEAD_MS,
 * _WAIT_JITTER_MS, _SEED). A zero refresh_hz means 90 Hz. A lead of a period or more is halved to
 * period / 2. */
typedef struct sim_clock_desc {
    double refresh_hz;
    double display_offset_ms;
    double compositor_lead_ms;
    double wait_jitter_ms; /* the app's xrWaitFrame wake-ups come up to this late (sim_clock_wait_lateness) */
    uint64_t seed;         /* period jitter and wake-up lateness draw their offsets from it */
} sim_clock_desc;

/* A clock whose vsync 0 is at epoch (xrCreateSession). NULL when out of memory. */
sim_clock *sim_clock_create(const sim_clock_desc *desc, XrTime epoch);
/* NULL-safe; sets *c = NULL. */
void sim_clock_destroy(sim_clock **c);
/* xrBeginSession: the configured period, offset and lead again, the grid back on epoch + n * period, no
 * jitter. Wake-ups already delayed stay delayed. */
void sim_clock_restart(sim_clock *c);

/* The values in force. Any thread. */
XrTime sim_clock_epoch(sim_clock *c);
XrDuration sim_clock_period(sim_clock *c);
XrDuration sim_clock_display_offset(sim_clock *c);
XrDuration sim_clock_compositor_lead(sim_clock *c);

/* Time of vsync n (jittered while jitter is in force). Any thread. */
XrTime sim_clock_vsync_time(sim_clock *c, int64_t n);
/* Index of the first vsync at or after t on the grid (jitter aside); 0 at the earliest. Any thread. */
int64_t sim_clock_vsync_index(sim_clock *c, XrTime t);
/* Photon time of vsync n: its time plus the display offset (what xrWaitFrame predicts). Any thread. */
XrTime sim_clock_photon_time(sim_clock *c, int64_t n);
/* Composition start for vsync n: its time minus the compositor's lead, the deadline for a frame's GPU work.
 * Any thread. */
XrTime sim_clock_deadline(sim_clock *c, int64_t n);
/* When the compositor wakes for vsync n: its deadline, plus the delay of a late wake-up when one is armed
 * (sim_clock_delay_wakeups; each call uses up one). The compositor thread calls it once per refresh. */
XrTime sim_clock_next_wake(sim_clock *c, int64_t n);

/* Changes the period from vsync anchor_index on (negative: 0), which keeps its time, so display times
 * already handed out stay valid; a lead of a period or more is halved. Returns false (nothing changes)
 * when the period is already in force; otherwise the period it replaced goes to *out_old (may be NULL). */
bool sim_clock_set_period(sim_clock *c, XrDuration period, int64_t anchor_index, XrDuration *out_old);
/* Moves each vsync whose time falls in [from, to) (to 0: no end) by a deterministic offset in
 * [-amount/2, +amount/2] drawn from the seed and the vsync index, so every reader agrees on the grid.
 * amount 0 turns jitter off. */
void sim_clock_set_jitter(sim_clock *c, XrTime from, XrTime to, XrDuration amount);
/* How late the app's xrWaitFrame for vsync n wakes (PARALLAX_SIM_WAIT_JITTER_MS): a deterministic draw in
 * [0, wait_jitter] from the seed and n, as a runtime's scheduler would add. 0 when unset. Any thread. */
XrDuration sim_clock_wait_lateness(sim_clock *c, int64_t n);
/* The compositor's next `count` wake-ups come `delay` late (late_compositor). */
void sim_clock_delay_wakeups(sim_clock *c, int32_t count, XrDuration delay);
