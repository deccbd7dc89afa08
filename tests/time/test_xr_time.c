/* SPDX-License-Identifier: MIT */
/* Unit tests of libparallax's one XrTime <-> CLOCK_MONOTONIC conversion (runtime/src/base/time.c), with fake
 * xrConvertTimespecTimeToTimeKHR functions standing in for a runtime: an epoch far from CLOCK_MONOTONIC of
 * either sign converts exactly both ways; a runtime whose XrTime runs at another rate gives a stated error
 * bound that covers the real error; a failing call keeps the last offset; no conversion is the safe mode.
 * The timing guard (runtime/src/timing/guard.c) judges xrWaitFrame's answer on that clock: against the moment
 * the runtime answered, not the moment the loop got round to it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "base/plx_time.h"
#include "timing/plx_timing.h"

#define S  1000000000LL
#define MS 1000000LL

/* The fake runtime's clock: XrTime = base + (CLOCK_MONOTONIC - base) * (1 + rate_ppm) + offset. */
static int64_t fake_offset;
static double fake_rate_ppm;
static int64_t fake_base;
static XrResult fake_result = XR_SUCCESS;

static XrTime fake_xr_of(int64_t host)
{
    return host + fake_offset + (int64_t)((double)(host - fake_base) * fake_rate_ppm * 1e-6);
}

static XRAPI_ATTR XrResult XRAPI_CALL fake_convert(XrInstance instance, const struct timespec *ts,
                                                   XrTime *out)
{
    (void)instance;
    if (fake_result != XR_SUCCESS) return fake_result;
    *out = fake_xr_of((int64_t)ts->tv_sec * S + ts->tv_nsec);
    return XR_SUCCESS;
}

/* A conversion bound to the fake runtime as plx_time_bind would leave it (bind itself needs a loader). */
static plx_time bound(int64_t offset, double rate_ppm)
{
    fake_offset = offset;
    fake_rate_ppm = rate_ppm;
    fake_base = plx_now_ns();
    fake_result = XR_SUCCESS;
    plx_time t;
    plx_time_init(&t, NULL);
    t.instance = (XrInstance)(uintptr_t)1;
    t.to_xr = fake_convert;
    t.known = true;
    plx_time_refresh(&t);
    t.error_bound_ns = 0; /* the first refresh moved it from 0 */
    return t;
}

static void an_epoch_far_either_way_converts_exactly(void **state)
{
    (void)state;
    /* A runtime 1,925 s behind CLOCK_MONOTONIC (the one in issue 11) and one a day ahead. */
    const int64_t offsets[2] = {-1925365204000LL, 86400 * S};
    for (int k = 0; k < 2; k++) {
        plx_time t = bound(offsets[k], 0.0);
        assert_true(plx_time_known(&t));
        assert_int_equal(t.offset_ns, offsets[k]);
        int64_t host = plx_now_ns();
        assert_int_equal(plx_time_from_host(&t, host), fake_xr_of(host));
        assert_int_equal(plx_time_to_host(&t, plx_time_from_host(&t, host)), host);
        /* Now in loop time is XrTime now: within the few microseconds between the two reads. */
        int64_t before = fake_xr_of(plx_now_ns()), now = plx_time_now(&t), after = fake_xr_of(plx_now_ns());
        assert_true(before <= now && now <= after);
        /* 0 stays "unknown". */
        assert_int_equal(plx_time_from_host(&t, 0), 0);
        for (int i = 0; i < 10; i++) plx_time_refresh(&t);
        assert_int_equal(t.error_bound_ns, 0); /* an exact offset never moves */
    }
}

static void another_rate_is_covered_by_the_stated_bound(void **state)
{
    (void)state;
    /* XrTime runs 200 ppm fast: the offset moves 2 us per 10 ms frame. A timestamp converted with the offset
     * of the frame's start is off by at most what the offset moved by the next refresh: the bound. */
    plx_time t = bound(-5 * S, 200.0);
    int64_t worst = 0;
    for (int frame = 0; frame < 20; frame++) {
        int64_t until = plx_now_ns() + 10 * MS;
        while (plx_now_ns() < until) {
            int64_t host = plx_now_ns();
            int64_t err = llabs(plx_time_from_host(&t, host) - fake_xr_of(host));
            if (err > worst) worst = err;
            struct timespec ts = {0, 500000};
            nanosleep(&ts, NULL);
        }
        plx_time_refresh(&t);
    }
    assert_true(t.error_bound_ns >= 1000); /* the drift was seen (2 us per frame, more if one ran long) ... */
    /* ... and covers the real error: within a frame the error grows to what the offset moves by at the next
     * refresh, however long the frame took (1 ns of rounding in the fake). */
    assert_true(worst <= t.error_bound_ns + 1);
}

static void a_failing_call_keeps_the_last_offset(void **state)
{
    (void)state;
    plx_time t = bound(3600 * S, 0.0);
    fake_result = XR_ERROR_INSTANCE_LOST;
    plx_time_refresh(&t);
    plx_time_refresh(&t);
    assert_true(plx_time_known(&t));
    assert_int_equal(t.offset_ns, 3600 * S);
    assert_true(t.warned_failure);
    fake_result = XR_SUCCESS;
}

static void no_conversion_is_the_safe_mode(void **state)
{
    (void)state;
    plx_time t;
    plx_time_init(&t, NULL);
    assert_false(plx_time_known(&t));
    int64_t host = plx_now_ns();
    /* Loop time is CLOCK_MONOTONIC itself: durations stay right, nothing pretends to be XrTime. */
    assert_int_equal(plx_time_from_host(&t, host), host);
    assert_int_equal(plx_time_to_host(&t, host), host);
    plx_time_refresh(&t); /* nothing to call */
    assert_false(plx_time_known(&t));
    /* An instance that goes keeps the last offset for the timestamps taken until the next one. */
    plx_time b = bound(-100 * S, 0.0);
    plx_time_unbind(&b);
    assert_true(plx_time_known(&b));
    assert_null(b.to_xr);
    assert_int_equal(plx_time_from_host(&b, host), host - 100 * S);
}

/* Log lines the guard writes (a plx_report's sink). */
static int warnings;
static void count_log(void *user, plx_log_level level, const char *message)
{
    (void)user;
    (void)message;
    if (level == PLX_LOG_WARN) warnings++;
}

/* The spec (xrWaitFrame): it "returns a predicted display time for the next time that the runtime predicts
 * a composited frame will be displayed", a time still to come. A runtime plans it before it sleeps, so one
 * late wake-up (or a waited-ahead answer picked up late) hands over a past time: lateness, clamped for pacing
 * only. A runtime bug (another clock, a broken prediction) repeats: more than a period past at the answer on
 * three frames in a row, or by more than a second, is counted and logged once. */
static void the_guard_judges_the_runtime_at_its_answer(void **state)
{
    (void)state;
    plx_time t = bound(-1925365204000LL, 0.0);
    plx_report r;
    plx_report_init(&r, count_log, NULL);
    warnings = 0;
    plx_timing_guard g = {0};
    const int64_t period = 11111111;
    int64_t now = plx_time_now(&t);

    /* Waited ahead 60 ms ago for a display 12 ms after that: late on our side. */
    int64_t display = now - 48 * MS, p = period;
    assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now - 60 * MS, &display, &p), 0);
    assert_true(display > now && display <= plx_time_now(&t) + period);
    assert_int_equal(warnings, 0);

    /* Answered just now with a time 5 ms ago (within a period), then 48 and 30 ms ago (its thread woke late,
     * twice in a row): lateness. */
    const int64_t late[3] = {5 * MS, 48 * MS, 30 * MS};
    for (int i = 0; i < 3; i++) {
        now = plx_time_now(&t);
        display = now - late[i];
        assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now, &display, &p), 0);
        assert_true(display > now);
    }
    assert_int_equal(warnings, 0);

    /* A third answer more than a period past in a row: the runtime's bug, and each one after it. */
    for (int i = 0; i < 2; i++) {
        now = plx_time_now(&t);
        display = now - 30 * MS;
        assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now, &display, &p), 1 + i);
        assert_true(display > now);
    }
    assert_int_equal(warnings, 1);

    /* A plausible answer is left alone and ends the row; a single answer a second and more in the past (an
     * epoch the app did not convert) is a bug at once. */
    now = plx_time_now(&t);
    display = now + 2 * period;
    int64_t want = display;
    assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now, &display, &p), 2);
    assert_int_equal(display, want);
    now = plx_time_now(&t);
    display = now - 30 * MS;
    assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now, &display, &p), 2);
    now = plx_time_now(&t);
    display = now - 2 * S;
    assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now, &display, &p), 3);

    /* Far ahead, and a period no display has: counted (logged once). */
    now = plx_time_now(&t);
    display = now + 5 * S;
    p = 0;
    assert_int_equal(plx_timing_guard_apply(&g, &r, &t, now, &display, &p), 4);
    assert_int_equal(p, period);
    assert_int_equal(warnings, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_epoch_far_either_way_converts_exactly),
        cmocka_unit_test(another_rate_is_covered_by_the_stated_bound),
        cmocka_unit_test(a_failing_call_keeps_the_last_offset),
        cmocka_unit_test(no_conversion_is_the_safe_mode),
        cmocka_unit_test(the_guard_judges_the_runtime_at_its_answer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
