/* SPDX-License-Identifier: MIT */
/* Unit tests of the simulated headset's display clock (simulator/src/device/clock.c): the one conversion
 * between XrTime and CLOCK_MONOTONIC (with an epoch offset of either sign), the vsync grid with its photon
 * times and deadlines, period changes that keep promised times, deterministic jitter inside its window only,
 * and late compositor wake-ups. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "device/sim_clock.h"

#define MS INT64_C(1000000)
#define S  INT64_C(1000000000)

static const sim_clock_desc k_90hz = {
    .refresh_hz = 90.0, .display_offset_ms = 2.0, .compositor_lead_ms = 2.0, .seed = 7};

static void timespecs_convert_exactly_and_refuse_what_xrtime_cannot_hold(void **state)
{
    (void)state;
    XrTime t = 0;
    assert_true(sim_time_from_timespec(&(struct timespec){.tv_sec = 12, .tv_nsec = 345}, &t));
    assert_true(t == 12 * S + 345);
    struct timespec back = sim_time_to_timespec(t);
    assert_true(back.tv_sec == 12 && back.tv_nsec == 345);
    static const struct timespec bad[] = {
        {.tv_sec = -1, .tv_nsec = 0},           /* negative */
        {.tv_sec = 1, .tv_nsec = -1},           /* malformed */
        {.tv_sec = 1, .tv_nsec = 1000000000},   /* malformed */
        {.tv_sec = 0, .tv_nsec = 0},            /* XrTime 0 is not a time */
        {.tv_sec = INT64_MAX / 1000000000 + 1}, /* past INT64_MAX ns */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        t = 42;
        assert_false(sim_time_from_timespec(&bad[i], &t));
        assert_true(t == 42); /* untouched */
    }
    /* sim_now is CLOCK_MONOTONIC. */
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    XrTime before = 0;
    assert_true(sim_time_from_timespec(&ts, &before));
    XrTime now = sim_now();
    assert_true(now >= before && now - before < 10 * S);
}

/* PARALLAX_SIM_TIME_OFFSET: XrTime = CLOCK_MONOTONIC + offset, both signs, converted exactly both ways; a
 * timespec whose XrTime would be 0 or less is refused, and sleeps and timed waits still end at their XrTime.
 */
static void an_epoch_offset_converts_exactly_both_ways(void **state)
{
    (void)state;
    struct timespec mono;
    clock_gettime(CLOCK_MONOTONIC, &mono);
    int64_t m = (int64_t)mono.tv_sec * S + mono.tv_nsec;
    const XrDuration offsets[2] = {-(m - 2 * S), 86400 * S}; /* XrTime 2 s now (far behind), a day ahead */
    for (int k = 0; k < 2; k++) {
        sim_time_set_offset(offsets[k]);
        assert_true(sim_time_offset() == offsets[k]);
        XrTime t = 0;
        struct timespec later = {.tv_sec = mono.tv_sec + 5, .tv_nsec = 7};
        assert_true(sim_time_from_timespec(&later, &t));
        assert_true(t == (int64_t)later.tv_sec * S + 7 + offsets[k]);
        struct timespec back = sim_time_to_timespec(t);
        assert_true(back.tv_sec == later.tv_sec && back.tv_nsec == 7);
        XrTime now = sim_now();
        assert_true(now - (m + offsets[k]) >= 0 && now - (m + offsets[k]) < 10 * S);
        /* A sleep to an XrTime 20 ms ahead ends after it, on the offset clock. */
        XrTime wake = sim_now() + 20 * MS;
        sim_sleep_until(wake);
        assert_true(sim_now() >= wake);
    }
    /* Behind: CLOCK_MONOTONIC times before the epoch are no XrTime. */
    sim_time_set_offset(offsets[0]);
    XrTime t = 42;
    assert_false(sim_time_from_timespec(&(struct timespec){.tv_sec = 1, .tv_nsec = 0}, &t));
    assert_true(t == 42);
    sim_time_set_offset(0);
}

static void timed_waits_end_at_their_xrtime(void **state)
{
    (void)state;
    pthread_mutex_t m = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t c;
    assert_int_equal(sim_cond_init(&c), 0);
    pthread_mutex_lock(&m);
    XrTime deadline = sim_now() + 20 * MS;
    int r;
    while ((r = sim_cond_wait_until(&c, &m, deadline)) == 0) {
    } /* spurious wake-ups */
    pthread_mutex_unlock(&m);
    assert_int_equal(r, ETIMEDOUT);
    assert_true(sim_now() >= deadline); /* timed on the same clock as XrTime */
    pthread_cond_destroy(&c);
    sim_sleep_until(sim_now() + 1 * MS);
    sim_sleep_until(-5); /* a time long past returns at once */
}

static void the_grid_starts_at_the_epoch(void **state)
{
    (void)state;
    const XrTime epoch = 100 * S;
    sim_clock *c = sim_clock_create(&k_90hz, epoch);
    assert_non_null(c);
    const XrDuration p = 11111111; /* llround(1e9 / 90) */
    assert_true(sim_clock_epoch(c) == epoch);
    assert_true(sim_clock_period(c) == p);
    assert_true(sim_clock_display_offset(c) == 2 * MS && sim_clock_compositor_lead(c) == 2 * MS);
    assert_true(sim_clock_vsync_time(c, 0) == epoch && sim_clock_vsync_time(c, 9) == epoch + 9 * p);
    assert_true(sim_clock_photon_time(c, 9) == epoch + 9 * p + 2 * MS);
    assert_true(sim_clock_deadline(c, 9) == epoch + 9 * p - 2 * MS);
    /* The first vsync at or after t; never before vsync 0. */
    assert_int_equal(sim_clock_vsync_index(c, epoch), 0);
    assert_int_equal(sim_clock_vsync_index(c, epoch + 1), 1);
    assert_int_equal(sim_clock_vsync_index(c, epoch + 9 * p), 9);
    assert_int_equal(sim_clock_vsync_index(c, epoch - 5 * S), 0);
    /* Without a late wake-up armed, the compositor wakes at the deadline. */
    assert_true(sim_clock_next_wake(c, 9) == sim_clock_deadline(c, 9));
    sim_clock_destroy(&c);
    assert_null(c);
    sim_clock_destroy(&c); /* NULL-safe */

    /* A lead of a whole period or more leaves no frame time: it is halved. */
    c = sim_clock_create(&(sim_clock_desc){.refresh_hz = 90.0, .compositor_lead_ms = 20.0}, epoch);
    assert_true(sim_clock_compositor_lead(c) == p / 2);
    sim_clock_destroy(&c);
}

static void a_period_change_keeps_promised_times(void **state)
{
    (void)state;
    const XrTime epoch = 100 * S;
    sim_clock *c = sim_clock_create(&k_90hz, epoch);
    const XrTime at10 = sim_clock_vsync_time(c, 10);
    XrDuration old = 0;
    const XrDuration p60 = 16666667;
    assert_true(sim_clock_set_period(c, p60, 10, &old));
    assert_true(old == 11111111);
    assert_false(sim_clock_set_period(c, p60, 12, NULL)); /* already in force: nothing moves */
    assert_true(sim_clock_period(c) == p60);
    assert_true(sim_clock_vsync_time(c, 10) == at10);
    assert_true(sim_clock_vsync_time(c, 13) == at10 + 3 * p60);
    assert_int_equal(sim_clock_vsync_index(c, at10 + 1), 11);
    assert_int_equal(sim_clock_vsync_index(c, at10 + 3 * p60), 13);
    /* A period too short for the lead halves the lead (a 1000 Hz display, 2 ms lead). */
    assert_true(sim_clock_set_period(c, 1 * MS, 13, NULL));
    assert_true(sim_clock_compositor_lead(c) == MS / 2);
    /* xrBeginSession: the configured timing, on the epoch's grid again. */
    sim_clock_restart(c);
    assert_true(sim_clock_period(c) == 11111111 && sim_clock_compositor_lead(c) == 2 * MS);
    assert_true(sim_clock_vsync_time(c, 13) == epoch + 13 * 11111111);
    sim_clock_destroy(&c);
}

static void jitter_moves_vsyncs_in_its_window_only_and_the_same_for_everyone(void **state)
{
    (void)state;
    const XrTime epoch = 100 * S;
    const XrDuration p = 11111111;
    sim_clock *a = sim_clock_create(&k_90hz, epoch), *b = sim_clock_create(&k_90hz, epoch);
    const XrTime from = epoch + 20 * p, to = epoch + 80 * p;
    sim_clock_set_jitter(a, from, to, 2 * MS);
    sim_clock_set_jitter(b, from, to, 2 * MS);
    int moved = 0;
    for (int64_t n = 0; n < 100; n++) {
        XrTime grid = epoch + n * p, t = sim_clock_vsync_time(a, n);
        assert_true(t == sim_clock_vsync_time(b, n)); /* deterministic: seed and index */
        if (grid < from || grid >= to) {
            assert_true(t == grid);
            continue;
        }
        assert_true(t >= grid - MS && t <= grid + MS); /* [-amount/2, +amount/2] */
        moved += t != grid;
        assert_true(sim_clock_photon_time(a, n) == t + 2 * MS);
    }
    assert_true(moved > 50);
    sim_clock_set_jitter(a, from, to, 0); /* off */
    assert_true(sim_clock_vsync_time(a, 50) == epoch + 50 * p);
    sim_clock_destroy(&a);
    sim_clock_destroy(&b);
}

static void late_wakeups_come_late_as_many_times_as_armed(void **state)
{
    (void)state;
    sim_clock *c = sim_clock_create(&k_90hz, 100 * S);
    sim_clock_delay_wakeups(c, 2, 15 * MS);
    assert_true(sim_clock_next_wake(c, 5) == sim_clock_deadline(c, 5) + 15 * MS);
    assert_true(sim_clock_next_wake(c, 6) == sim_clock_deadline(c, 6) + 15 * MS);
    assert_true(sim_clock_next_wake(c, 7) == sim_clock_deadline(c, 7));
    sim_clock_delay_wakeups(c, 0, 15 * MS); /* nothing */
    assert_true(sim_clock_next_wake(c, 8) == sim_clock_deadline(c, 8));
    sim_clock_destroy(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(timespecs_convert_exactly_and_refuse_what_xrtime_cannot_hold),
        cmocka_unit_test(an_epoch_offset_converts_exactly_both_ways),
        cmocka_unit_test(timed_waits_end_at_their_xrtime),
        cmocka_unit_test(the_grid_starts_at_the_epoch),
        cmocka_unit_test(a_period_change_keeps_promised_times),
        cmocka_unit_test(jitter_moves_vsyncs_in_its_window_only_and_the_same_for_everyone),
        cmocka_unit_test(late_wakeups_come_late_as_many_times_as_armed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
